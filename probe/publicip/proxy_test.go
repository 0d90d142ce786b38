package publicip

import (
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe/webproxy"
)

// TestHTTPSThroughProxy: with a proxy configured, the HTTPS fallback goes through it (the probe's
// own clients, not a test client), the answers say that they are the proxy's address, and the
// result names the proxy. The sources are names under .test that only the proxy's routes lead
// anywhere.
func TestHTTPSThroughProxy(t *testing.T) {
	t.Parallel()
	pki, err := fixtures.DefaultPKI()
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := pki.Issuing.Issue(fixtures.CertOptions{DNSNames: []string{"ip1.exoprobe.test", "ip2.exoprobe.test"}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("203.0.113.7"))
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{leaf.TLSCertificate()}, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	ip1, ip2 := net.JoinHostPort("ip1.exoprobe.test", port), net.JoinHostPort("ip2.exoprobe.test", port)
	proxy := fixtures.NewConnectProxy(t, map[string]string{ip1: srv.Listener.Addr().String(), ip2: srv.Listener.Addr().String()})

	out := Detect(t.Context(), Config{
		Sources: []Source{}, HTTPSURLs: []string{"https://" + ip1 + "/", "https://" + ip2 + "/"},
		Proxy: webproxy.Manual(proxy.URL, "", webproxy.Environment), RootCAs: pki.Root.Pool(),
		Resolver: "127.0.0.1:1", Logf: t.Logf,
	})
	if out.IPv4 != ip {
		t.Fatalf("IPv4 %v; want %v (%v)", out.IPv4, ip, out.Result.Findings)
	}
	if got, _ := out.Result.Facts["proxy"].(string); got != proxy.URL {
		t.Errorf("fact proxy = %q; want %q", got, proxy.URL)
	}
	seen := map[string]bool{}
	for _, s := range proxy.Seen() {
		seen[s] = true
	}
	if !seen[ip1] || !seen[ip2] || len(seen) != 2 {
		t.Errorf("the proxy saw %v; want CONNECT %s and %s", proxy.Seen(), ip1, ip2)
	}
	answers, _ := out.Result.Facts["answers"].(map[string]map[string]string)
	for _, u := range []string{"https://" + ip1 + "/", "https://" + ip2 + "/"} {
		if got := answers["ipv4"][u]; !strings.HasPrefix(got, ip.String()+" (through the proxy "+proxy.URL) {
			t.Errorf("answer of %s = %q; want %s marked as through the proxy", u, got, ip)
		}
	}
}
