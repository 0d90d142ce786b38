package oauth

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
	"github.com/exoprobe/exoprobe/probe/webproxy"
)

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestAcquireThroughProxy runs the token request with the probe's own client (no HTTPClient)
// and a proxy configured: the requests go through a loopback CONNECT proxy that records the
// tunnel's target, and the result names the proxy. The authority is a name under .test that only
// the proxy's route leads anywhere: a request that went direct could not reach it.
func TestAcquireThroughProxy(t *testing.T) {
	t.Parallel()
	ts := fixtures.NewTokenServer(t, fixtures.TokenConfig{})
	_, port, _ := net.SplitHostPort(ts.Addr)
	target := net.JoinHostPort(fixtures.TokenHost, port)
	tests := []struct {
		name      string
		routes    map[string]string
		proxyURL  func(p *fixtures.ConnectProxy) string
		authority string
		noProxy   string
		want      check.Status
		wantCode  check.Code
		wantMsg   string
		wantSeen  bool // the proxy saw the tunnel to target
	}{
		{name: "through the proxy", routes: map[string]string{target: ts.Addr}, authority: "https://" + target + "/" + ts.TenantID,
			want: check.Pass, wantSeen: true},
		{name: "the proxy refuses the tunnel", routes: map[string]string{}, authority: "https://" + target + "/" + ts.TenantID,
			want: check.Fail, wantCode: code.TokenRequestFailed, wantMsg: "through the proxy http://127.0.0.1:", wantSeen: true},
		{name: "the proxy is down", proxyURL: func(*fixtures.ConnectProxy) string { return "http://" + closedPort(t) },
			authority: "https://" + target + "/" + ts.TenantID,
			want:      check.Fail, wantCode: code.TokenEndpointUnreachable, wantMsg: "cannot connect to the proxy http://127.0.0.1:"},
		{name: "loopback goes direct", routes: map[string]string{target: ts.Addr}, authority: ts.Authority(), want: check.Pass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			proxy := fixtures.NewConnectProxy(t, tt.routes)
			proxyURL := proxy.URL
			if tt.proxyURL != nil {
				proxyURL = tt.proxyURL(proxy)
			}
			cfg := Config{
				Tenant: ts.TenantID, ClientID: ts.ClientID, Secret: fixtures.TokenSecret, Authority: tt.authority,
				Proxy: webproxy.Manual(proxyURL, tt.noProxy, webproxy.Environment), RootCAs: ts.RootCAs, Timeout: 5 * time.Second,
			}
			r := Acquire(t.Context(), cfg).Result
			if r.Status != tt.want {
				t.Fatalf("status %s %v; want %s", r.Status, r.Findings, tt.want)
			}
			if tt.wantCode != "" {
				f, ok := finding(r, string(tt.wantCode))
				if !ok {
					t.Fatalf("findings %v; want %s", codes(r), tt.wantCode)
				}
				if !strings.Contains(f.Message, tt.wantMsg) {
					t.Errorf("message %q; want it to hold %q", f.Message, tt.wantMsg)
				}
			}
			seen := proxy.Seen()
			if tt.wantSeen {
				if len(seen) == 0 {
					t.Fatalf("the proxy saw nothing; want CONNECT %s", target)
				}
				for _, s := range seen {
					if s != target {
						t.Errorf("the proxy saw CONNECT %s; want %s", s, target)
					}
				}
			} else if len(seen) > 0 {
				t.Errorf("the proxy saw %v; want nothing", seen)
			}
			got, _ := r.Facts["proxy"].(string)
			switch {
			case tt.want == check.Pass && tt.wantSeen && got != proxyURL:
				t.Errorf("fact proxy = %q; want %q", got, proxyURL)
			case !tt.wantSeen && tt.proxyURL == nil && got != "":
				t.Errorf("fact proxy = %q; want none: nothing went through the proxy", got)
			}
		})
	}
}
