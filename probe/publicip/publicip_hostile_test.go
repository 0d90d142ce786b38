package publicip_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures/hostile"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/publicip"
)

// Limits of the hostile runs: each detection is given hostileTimeout; deadlineSlack is what the
// race detector and a loaded machine may add.
const (
	hostileTimeout = time.Second
	deadlineSlack  = 700 * time.Millisecond
)

// sourceZone is what the DNS sources would answer if they answered.
var sourceZone = []string{
	"myip.opendns.com. 0 IN A 203.0.113.7",
	`o-o.myaddr.l.google.com. 0 IN TXT "203.0.113.7"`,
	`whoami.cloudflare. 0 CH TXT "203.0.113.7"`,
}

func httpsSource(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	t.Cleanup(srv.CloseClientConnections) // a held request must not hold Close
	return srv.URL
}

// TestDetectHostileSources runs detection against DNS sources and HTTPS fallbacks that
// misbehave: each run ends within its time limit with publicip-undetected, and the finding says
// what each source did.
func TestDetectHostileSources(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		dns   hostile.DNSBehavior
		https http.Handler
		want  []string
	}{
		{name: "silent DNS, HTTPS held", dns: hostile.DNSSilent, https: hostile.Hold(),
			want: []string{"opendns: no answer (timed out)", "URL: no answer (timed out)"}},
		{name: "wrong ids, an HTML block page", dns: hostile.DNSWrongID, https: hostile.HTMLPage(),
			want: []string{"google: no valid answer in time; the server sent 1 answer with the wrong message id, which was ignored",
				"URL: answered with a web page (text/html), not an address"}},
		{name: "garbage, a trickled body", dns: hostile.DNSGarbage, https: hostile.TrickleBody("203.0.113.7", 200*time.Millisecond),
			want: []string{"cloudflare: no valid answer in time; the server sent 1 answer that is not a valid DNS message",
				"URL: no answer (timed out)"}},
		{name: "truncated twice, a huge body", dns: hostile.DNSTruncated,
			https: hostile.HugeBody(50<<20, "text/plain", false),
			want:  []string{"never gave the whole answer", "URL: sent more than 256 bytes"}},
		{name: "nothing listens, a huge body announced", dns: hostile.DNSClosed,
			https: hostile.HugeBody(50<<20, "text/plain", true),
			want:  []string{"opendns: nothing answers DNS", "URL: sent more than 256 bytes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := hostile.NewDNS(t, hostile.DNSConfig{UDP: tt.dns, TCP: tt.dns, Records: sourceZone})
			url := httpsSource(t, tt.https)
			start := time.Now()
			out := publicip.Detect(t.Context(), publicip.Config{
				Sources: publicip.SourcesAt(srv.Addr), HTTPSURLs: []string{url}, HTTPClient: &http.Client{},
				Timeout: hostileTimeout,
			})
			if elapsed := time.Since(start); elapsed > hostileTimeout+deadlineSlack {
				t.Errorf("detection took %v; want at most %v (+ %v slack)", elapsed, hostileTimeout, deadlineSlack)
			}
			if out.IPv4.IsValid() {
				t.Fatalf("got IPv4 %s; want none", out.IPv4)
			}
			r := out.Result
			if r.Status != check.Warn || len(r.Findings) != 1 || r.Findings[0].Code != "publicip-undetected" {
				t.Fatalf("got %s %v; want warn with publicip-undetected", r.Status, r.Findings)
			}
			msg := r.Findings[0].Message
			t.Logf("%s", msg)
			for _, w := range tt.want {
				w = strings.ReplaceAll(w, "URL", url)
				if !strings.Contains(msg, w) {
					t.Errorf("got %q; want it to say %q", msg, w)
				}
			}
			for _, jargon := range []string{"context deadline exceeded", "i/o timeout", ": dns: ", "resolve: ", "publicip: "} {
				if strings.Contains(msg, jargon) {
					t.Errorf("got %q; want words, not %q", msg, jargon)
				}
			}
		})
	}
}

// TestDetectHugeBodyMemory checks that an HTTPS source that sends 50 MB costs the probe a
// bounded amount of memory. It does not run in parallel: the measurement is of the process.
func TestDetectHugeBodyMemory(t *testing.T) {
	const bound = 2 << 20
	srv := hostile.NewDNS(t, hostile.DNSConfig{UDP: hostile.DNSClosed, TCP: hostile.DNSClosed})
	url := httpsSource(t, hostile.HugeBody(50<<20, "text/plain", false))
	var out publicip.Outcome
	use := hostile.Measure(func() {
		out = publicip.Detect(t.Context(), publicip.Config{
			Sources: publicip.SourcesAt(srv.Addr), HTTPSURLs: []string{url}, HTTPClient: &http.Client{},
			Timeout: hostileTimeout,
		})
	})
	t.Logf("%v", use)
	if use.TotalAlloc > bound {
		t.Errorf("detection against a 50 MB body %v; want under %s allocated", use, hostile.Bytes(bound))
	}
	if out.IPv4.IsValid() {
		t.Errorf("got IPv4 %s; want none", out.IPv4)
	}
}
