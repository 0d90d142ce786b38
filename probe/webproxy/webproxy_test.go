package webproxy

import (
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"testing"

	"github.com/mattn/go-ieproxy"
)

func TestFromEnvironment(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		target string
		want   string // the proxy's name, "" for direct
	}{
		{"HTTPS_PROXY", map[string]string{"HTTPS_PROXY": "http://proxy.corp.example:3128"}, "https://login.microsoftonline.com/x", "http://proxy.corp.example:3128"},
		{"lower case", map[string]string{"https_proxy": "http://proxy.corp.example:8080"}, "https://api4.ipify.org", "http://proxy.corp.example:8080"},
		{"upper case first", map[string]string{"HTTPS_PROXY": "http://upper:1", "https_proxy": "http://lower:2"}, "https://api4.ipify.org", "http://upper:1"},
		{"no scheme is http", map[string]string{"HTTPS_PROXY": "proxy.corp.example:3128"}, "https://login.microsoftonline.com/x", "http://proxy.corp.example:3128"},
		{"credentials never shown", map[string]string{"HTTPS_PROXY": "http://alice:S3cret-pw@proxy.corp.example:3128"}, "https://login.microsoftonline.com/x", "http://proxy.corp.example:3128"},
		{"HTTP_PROXY does not serve https", map[string]string{"HTTP_PROXY": "http://proxy.corp.example:3128"}, "https://login.microsoftonline.com/x", ""},
		{"NO_PROXY domain", map[string]string{"HTTPS_PROXY": "http://p:3128", "NO_PROXY": ".microsoftonline.com"}, "https://login.microsoftonline.com/x", ""},
		{"NO_PROXY other domain", map[string]string{"HTTPS_PROXY": "http://p:3128", "NO_PROXY": "contoso.com"}, "https://login.microsoftonline.com/x", "http://p:3128"},
		{"NO_PROXY *", map[string]string{"HTTPS_PROXY": "http://p:3128", "NO_PROXY": "*"}, "https://login.microsoftonline.com/x", ""},
		{"loopback is direct", map[string]string{"HTTPS_PROXY": "http://p:3128"}, "https://127.0.0.1:4443/tenant", ""},
		{"localhost is direct", map[string]string{"HTTPS_PROXY": "http://p:3128"}, "https://localhost:4443/tenant", ""},
		{"IPv6 loopback is direct", map[string]string{"HTTPS_PROXY": "http://p:3128"}, "https://[::1]:4443/tenant", ""},
		{"nothing set", map[string]string{}, "https://login.microsoftonline.com/x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := FromEnvironment(func(k string) string { return tt.env[k] })
			if len(tt.env) > 0 && s.Source() != Environment {
				t.Errorf("source %q; want environment", s.Source())
			}
			if got := s.Describe(tt.target); got != tt.want {
				t.Errorf("Describe(%s) = %q; want %q", tt.target, got, tt.want)
			}
		})
	}
	if runtime.GOOS != "windows" {
		if s := FromEnvironment(func(string) string { return "" }); s.Configured() {
			t.Errorf("no variable set: Configured() = true; want false outside Windows")
		}
	}
	var zero Settings
	if p, err := zero.For(&url.URL{Scheme: "https", Host: "login.microsoftonline.com"}); p != nil || err != nil {
		t.Errorf("zero Settings: For = %v, %v; want direct", p, err)
	}
}

// TestProxyFuncNotesUse checks that a transport's proxy function notes each proxy used once,
// without its credentials, and nothing for a request that goes direct.
func TestProxyFuncNotesUse(t *testing.T) {
	s := Manual("http://bob:pw@proxy.corp.example:3128", "contoso.com", Environment)
	var used Used
	f := s.ProxyFunc(&used)
	for _, target := range []string{"https://login.microsoftonline.com/a", "https://api4.ipify.org/", "https://mail.contoso.com/", "https://127.0.0.1:1/"} {
		req, err := http.NewRequest(http.MethodGet, target, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f(req); err != nil {
			t.Fatal(err)
		}
	}
	if got := used.Proxies(); !slices.Equal(got, []string{"http://proxy.corp.example:3128"}) {
		t.Errorf("used %v; want [http://proxy.corp.example:3128]", got)
	}
}

// TestFromIEConf checks how Windows' settings (as go-ieproxy reads them) become Settings.
func TestFromIEConf(t *testing.T) {
	tests := []struct {
		name       string
		conf       ieproxy.ProxyConf
		target     string
		want       string
		autoConfig string
	}{
		{"one proxy for every scheme", ieproxy.ProxyConf{Static: ieproxy.StaticProxyConf{Active: true,
			Protocols: map[string]string{"": "proxy.corp.example:8080"}}}, "https://login.microsoftonline.com/x", "http://proxy.corp.example:8080", ""},
		{"per scheme", ieproxy.ProxyConf{Static: ieproxy.StaticProxyConf{Active: true,
			Protocols: map[string]string{"http": "web:80", "https": "secure:443"}}}, "https://login.microsoftonline.com/x", "http://secure:443", ""},
		{"bypass list", ieproxy.ProxyConf{Static: ieproxy.StaticProxyConf{Active: true, NoProxy: "<local>;*.microsoftonline.com",
			Protocols: map[string]string{"": "p:8080"}}}, "https://login.microsoftonline.com/x", "", ""},
		{"inactive", ieproxy.ProxyConf{Static: ieproxy.StaticProxyConf{Active: false,
			Protocols: map[string]string{"": "p:8080"}}}, "https://login.microsoftonline.com/x", "", ""},
		{"a PAC script is not evaluated", ieproxy.ProxyConf{Automatic: ieproxy.ProxyScriptConf{Active: true,
			PreConfiguredURL: "http://wpad.corp.example/proxy.pac"}}, "https://login.microsoftonline.com/x", "", "http://wpad.corp.example/proxy.pac"},
		{"automatic detection", ieproxy.ProxyConf{Automatic: ieproxy.ProxyScriptConf{Active: true}}, "https://login.microsoftonline.com/x", "", "automatic detection (WPAD)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fromIEConf(tt.conf)
			if got := s.Describe(tt.target); got != tt.want {
				t.Errorf("Describe = %q; want %q", got, tt.want)
			}
			if tt.want != "" && s.Source() != System {
				t.Errorf("source %q; want system", s.Source())
			}
			if s.AutoConfig() != tt.autoConfig {
				t.Errorf("AutoConfig = %q; want %q", s.AutoConfig(), tt.autoConfig)
			}
		})
	}
}
