// Package webproxy decides which HTTP proxy the probe's HTTPS requests go through: the token
// requests to Entra ID and the HTTPS fallback of public-IP detection. It reads HTTPS_PROXY,
// HTTP_PROXY and NO_PROXY (either case) as Go's and curl's clients do, each time it is asked
// rather than once per process as net/http does, and, on Windows, falls back to the system's
// proxy (Internet Options / WinHTTP) when the environment sets none. Loopback addresses and
// localhost never go through a proxy.
//
// SMTP never goes through an HTTP proxy: ports 25 and 587 are dialled directly, so a site that
// reaches the Internet only through a proxy cannot send through Exchange Online at all.
package webproxy

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"golang.org/x/net/http/httpproxy"
)

// Source says where a proxy setting came from.
type Source string

// Sources of a proxy setting.
const (
	// Direct: no proxy is configured.
	Direct Source = ""
	// Environment: HTTPS_PROXY, HTTP_PROXY and NO_PROXY.
	Environment Source = "environment"
	// System: Windows' proxy settings (Internet Options, else WinHTTP's), read because the
	// environment sets none.
	System Source = "system"
)

// Settings is a machine's proxy configuration. The zero value goes direct.
type Settings struct {
	cfg    *httpproxy.Config // nil: direct
	source Source
	// autoConfig is the system's automatic configuration (a PAC script's URL, or "automatic
	// detection"), which the probe does not evaluate; "" when there is none.
	autoConfig string
}

// FromEnvironment reads the proxy settings through getenv (the upper-case name first, as Go
// does), else, on Windows, the system's settings.
func FromEnvironment(getenv func(string) string) Settings {
	either := func(name string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return getenv(strings.ToLower(name))
	}
	cfg := &httpproxy.Config{HTTPSProxy: either("HTTPS_PROXY"), HTTPProxy: either("HTTP_PROXY"), NoProxy: either("NO_PROXY")}
	if cfg.HTTPSProxy != "" || cfg.HTTPProxy != "" {
		return Settings{cfg: cfg, source: Environment}
	}
	return systemSettings()
}

// Manual returns settings that send HTTPS requests through proxy (a URL such as
// http://proxy.example:3128) except to the hosts of noProxy (NO_PROXY's syntax).
func Manual(proxy, noProxy string, source Source) Settings {
	if proxy == "" {
		return Settings{}
	}
	return Settings{cfg: &httpproxy.Config{HTTPSProxy: proxy, HTTPProxy: proxy, NoProxy: noProxy}, source: source}
}

// Configured reports whether a proxy is configured at all.
func (s Settings) Configured() bool { return s.cfg != nil }

// Source says where the settings came from.
func (s Settings) Source() Source { return s.source }

// AutoConfig is the system's automatic proxy configuration that the probe does not evaluate
// (a PAC script's URL, or "automatic detection"); "" when there is none.
func (s Settings) AutoConfig() string { return s.autoConfig }

// For returns the proxy a request to u goes through, nil when it goes direct.
func (s Settings) For(u *url.URL) (*url.URL, error) {
	if s.cfg == nil {
		return nil, nil
	}
	return s.cfg.ProxyFunc()(u)
}

// Describe names the proxy a request to target would go through, as scheme://host:port
// without credentials; "" when it goes direct (or target is not a URL).
func (s Settings) Describe(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return ""
	}
	p, err := s.For(u)
	if err != nil || p == nil {
		return ""
	}
	return Name(p)
}

// Name is a proxy URL as a report shows it: scheme://host:port, never a user name, password,
// path or query.
func Name(p *url.URL) string {
	return (&url.URL{Scheme: p.Scheme, Host: p.Host}).String()
}

// Used notes the proxies requests went through. The zero value is ready; it is safe for
// concurrent use.
type Used struct {
	mu      sync.Mutex // guards proxies
	proxies []string
}

// Proxies returns the proxies noted, each once, in the order first used.
func (u *Used) Proxies() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return slices.Clone(u.proxies)
}

func (u *Used) note(p *url.URL) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if n := Name(p); !slices.Contains(u.proxies, n) {
		u.proxies = append(u.proxies, n)
	}
}

// ProxyFunc returns the function for http.Transport.Proxy: the proxy s chooses for each
// request, noted in used (nil: not noted).
func (s Settings) ProxyFunc(used *Used) func(*http.Request) (*url.URL, error) {
	return func(req *http.Request) (*url.URL, error) {
		p, err := s.For(req.URL)
		if p != nil && used != nil {
			used.note(p)
		}
		return p, err
	}
}
