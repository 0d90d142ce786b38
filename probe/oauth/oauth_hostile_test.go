package oauth

import (
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/fixtures/hostile"
	"github.com/exoprobe/exoprobe/probe/check"
)

// hostileSlack is what the race detector and a loaded machine may add to a deadline.
const hostileSlack = time.Second

// TestHostileTokenEndpoint runs the check against a token endpoint that holds the request,
// answers with a proxy's HTML page, or sends a 50 MB body: each run ends within the check's
// time limit with one failure that says, in words, what answered and what to do.
func TestHostileTokenEndpoint(t *testing.T) {
	t.Parallel()
	const limit = 700 * time.Millisecond
	tests := []struct {
		scenario string
		code     string
		want     []string
	}{
		{scenario: fixtures.TokenSlow, code: "token-timeout",
			want: []string{"did not answer within 700ms", "a proxy or firewall is holding HTTPS", "HTTPS_PROXY"}},
		{scenario: fixtures.TokenHTML, code: "token-response-invalid",
			want: []string{"not Entra ID's JSON", "an HTML page", "open https://127.0.0.1:"}},
		{scenario: fixtures.TokenHuge, code: "token-response-too-large",
			want: []string{"larger than 1048576 bytes", "a proxy or captive portal is answering in its place"}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			t.Parallel()
			ts := fixtures.NewTokenServer(t, fixtures.TokenConfig{Scenario: tt.scenario})
			cfg := secretConfig(ts)
			cfg.Timeout = limit
			start := time.Now()
			out := Acquire(t.Context(), cfg)
			if elapsed := time.Since(start); elapsed > limit+hostileSlack {
				t.Errorf("the check took %v; want at most %v (+ %v slack)", elapsed, limit, hostileSlack)
			}
			r := out.Result
			if r.Status != check.Fail || len(r.Findings) != 1 || string(r.Findings[0].Code) != tt.code {
				t.Fatalf("got %s %v; want fail with only %s", r.Status, codes(r), tt.code)
			}
			if out.Token != "" {
				t.Errorf("got a token; want none")
			}
			f := r.Findings[0]
			t.Logf("%s", f.Message)
			for _, w := range tt.want {
				if !strings.Contains(f.Message, w) {
					t.Errorf("got %q; want it to say %q", f.Message, w)
				}
			}
			if strings.Contains(f.Message, fixtures.TokenSecret) || strings.Contains(r.Summary, fixtures.TokenSecret) {
				t.Errorf("the client secret appears in the result")
			}
		})
	}
}

// TestHostileTokenEndpointMemory checks that a token endpoint that sends a 50 MB body costs the
// check a bounded amount of memory: the body is read up to MaxResponseBytes and no further. It
// does not run in parallel: the measurement is of the whole process, the server included.
func TestHostileTokenEndpointMemory(t *testing.T) {
	// What the bound allows: MSAL reads the body with io.ReadAll, whose buffer grows by
	// doubling to the 1 MB cap (about 2 MB allocated in all); HTTP/2 buffers what the server
	// sends ahead of the reader up to the stream's flow-control window (4 MB in net/http's
	// client); TLS and the server's frames add some more. Measured: 4 to 7 MB for bodies of
	// 2, 10, 50 and 200 MB alike, up to 11 MB under the race detector.
	const bound = 16 << 20
	ts := fixtures.NewTokenServer(t, fixtures.TokenConfig{Scenario: fixtures.TokenHuge})
	cfg := secretConfig(ts)
	cfg.Timeout = 5 * time.Second
	var out Outcome
	use := hostile.Measure(func() { out = Acquire(t.Context(), cfg) })
	t.Logf("%v", use)
	if use.TotalAlloc > bound {
		t.Errorf("a 50 MB token answer: %v; want under %s allocated", use, hostile.Bytes(bound))
	}
	if got := codes(out.Result); len(got) != 1 || got[0] != "token-response-too-large" {
		t.Errorf("got %v; want [token-response-too-large]", got)
	}
}
