package webproxy

import (
	"strings"

	"github.com/mattn/go-ieproxy"
	"golang.org/x/net/http/httpproxy"
)

// fromIEConf turns Windows' proxy settings, as go-ieproxy reads them, into Settings: a static
// proxy ("proxy:8080", or per scheme "http=p:80;https=p:443") with its bypass list. A PAC
// script or automatic detection is not evaluated (it would run a script, or ask the network, on
// every request): it is kept in AutoConfig so that the report can say so. It is compiled on
// every platform so that its test runs everywhere; only Windows calls it.
func fromIEConf(c ieproxy.ProxyConf) Settings {
	var s Settings
	if c.Automatic.Active {
		s.autoConfig = c.Automatic.PreConfiguredURL
		if s.autoConfig == "" {
			s.autoConfig = "automatic detection (WPAD)"
		}
	}
	if !c.Static.Active {
		return s
	}
	pick := func(scheme string) string {
		if v, ok := c.Static.Protocols[scheme]; ok {
			return v
		}
		return c.Static.Protocols[""]
	}
	cfg := &httpproxy.Config{HTTPSProxy: pick("https"), HTTPProxy: pick("http"), NoProxy: bypass(c.Static.NoProxy)}
	if cfg.HTTPSProxy == "" && cfg.HTTPProxy == "" {
		return s
	}
	s.cfg, s.source = cfg, System
	return s
}

// bypass turns Internet Options' bypass list into NO_PROXY's syntax: "<local>" (names without
// a dot) has no NO_PROXY form and is dropped, "*.contoso.com" becomes ".contoso.com".
func bypass(list string) string {
	var out []string
	for _, h := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		switch {
		case strings.EqualFold(h, "<local>"):
		case strings.HasPrefix(h, "*."):
			out = append(out, h[1:])
		default:
			out = append(out, h)
		}
	}
	return strings.Join(out, ",")
}
