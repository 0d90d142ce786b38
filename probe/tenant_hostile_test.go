package probe_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/fixtures/hostile"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// TestTenantHostileServices aims exoprobe tenant at an Admin API and a Graph that misbehave:
// silent, trickling, endless, an HTML page, not JSON, JSON of another shape, a redirect. The
// token comes from the real token simulator. Every run ends soon after its deadline, both
// checks conclude with a finding that says what came back, and no request follows a
// redirect (the token goes nowhere else, and nothing but the read calls leaves).
func TestTenantHostileServices(t *testing.T) {
	t.Parallel()
	const timeout = 2 * time.Second
	var elsewhere atomic.Int32
	other := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(other.Close)
	t.Cleanup(func() { // after every subtest
		if n := elsewhere.Load(); n != 0 {
			t.Errorf("%d requests followed a redirect to another server", n)
		}
	})
	json := func(status int, body string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		})
	}
	tests := []struct {
		name    string
		handler http.Handler
		want    string // in the exchange check's finding
	}{
		{"silent", hostile.Hold(), "--timeout ran out"},
		{"trickled body", hostile.TrickleBody(`{"value":[{"Name":"slow"}]}`, 300*time.Millisecond), "--timeout ran out"},
		{"endless body", hostile.HugeBody(64<<20, "application/json", false), "larger than"},
		{"an HTML block page", hostile.HTMLPage(), "not JSON"},
		{"a proxy's 502 page", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte(hostile.BlockPage))
		}), "502"},
		{"not JSON", json(http.StatusOK, "\x00\x01garbage\xff"), "not JSON"},
		{"JSON of another shape", json(http.StatusOK, `{"value":"connectors"}`), "JSON"},
		{"a redirect elsewhere", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
		}), "307"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewTLSServer(tc.handler)
			t.Cleanup(srv.Close)
			tokens := fixtures.NewTokenServer(t, fixtures.TokenConfig{})
			o := probe.TenantOptions{
				TenantAccess: probe.TenantAccess{
					Tenant: tokens.TenantID, ClientID: tokens.ClientID, ClientSecret: fixtures.TokenSecret,
					LoginURL: tokens.URL, TokenHTTPClient: tokens.Client(),
					AdminURL: srv.URL, GraphURL: srv.URL, APIHTTPClient: srv.Client(), // trusts other too: httptest serves one certificate
				},
				AppID: fixtures.TenantSenderAppID, Mailbox: fixtures.TenantMailbox,
				RunOptions: probe.RunOptions{Timeout: timeout},
			}
			start := time.Now()
			rep := probe.Tenant(t.Context(), o)
			if d := time.Since(start); d > timeout+3*time.Second {
				t.Errorf("the run took %s; want it to end soon after its %s deadline", d, timeout)
			}
			for _, c := range rep.Checks {
				if c.Status == check.Pass {
					t.Errorf("%s passed against a hostile service", c.ID)
				}
				if len(c.Findings) == 0 {
					t.Errorf("%s is %s without a finding", c.ID, c.Status)
				}
				for _, f := range c.Findings {
					if f.Severity != check.Pass && f.Severity != check.Skip && f.Hint == nil {
						t.Errorf("%s: finding %s has no hint", c.ID, f.Code)
					}
				}
			}
			var said []string
			for _, c := range rep.Checks {
				if c.ID == check.Exchange {
					for _, f := range c.Findings {
						said = append(said, string(f.Code)+": "+f.Message)
					}
				}
			}
			t.Logf("%s", strings.Join(said, "\n"))
			if !strings.Contains(strings.Join(said, "\n"), tc.want) {
				t.Errorf("exchange findings %q; want them to say %q", said, tc.want)
			}
		})
	}
}
