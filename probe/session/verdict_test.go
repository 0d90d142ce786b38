package session

import (
	"crypto/x509/pkix"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
)

// TestChainVerdictInPlace: the chain is judged once the conversation no longer needs to wait
// (see chainCheck), and its verdict reads as if it had been given right after the handshake:
// its notes before the next EHLO in the transcript, its finding before the later ones, its
// one-line summary first.
func TestChainVerdictInPlace(t *testing.T) {
	t.Parallel()
	ms, _ := msPKI(t)
	other := newPKI(t, pkix.Name{CommonName: "Corp Inspection CA"})
	untrusted := other.serverTLS(t, "mail.protection.outlook.com", "*.mail.protection.outlook.com")
	client := other.leaf(t, "app01.contoso.com", []string{"app01.contoso.com"}, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	upToHandshake := []act{exoGreeting(), expect("EHLO "), exoEHLO(true),
		expect("STARTTLS"), say("220 2.0.0 SMTP server ready"), startTLS(untrusted)}

	tests := []struct {
		name    string
		script  []act
		config  func(*Config)
		tls     want
		summary string
		// lines must appear in the transcript in this order.
		lines []string
	}{
		{
			name:    "the conversation goes on",
			script:  concat(upToHandshake, []act{expect("EHLO "), exoEHLO(false)}, exoProbeEnd()),
			tls:     want{check.Fail, []string{"tls-intercepted"}},
			summary: "intercepted by an unknown TLS-inspecting product",
			lines: []string{"*: TLS 1.3 handshake done", "*: certificate not trusted: it was issued by",
				"*: going on over the unverified session", "C: EHLO app01.contoso.com", "C: MAIL FROM", "S: 221 2.0.0"},
		},
		{
			name: "EHLO refused after the handshake",
			script: concat(upToHandshake, []act{expect("EHLO "), say("554 5.7.1 Service unavailable"),
				expect("QUIT"), say("221 2.0.0 Bye")}),
			tls:     want{check.Fail, []string{"tls-intercepted", "5.7.1"}},
			summary: "intercepted by an unknown TLS-inspecting product",
			lines: []string{"*: TLS 1.3 handshake done", "*: certificate not trusted: it was issued by",
				"*: going on over the unverified session", "C: EHLO app01.contoso.com", "S: 554 5.7.1", "C: QUIT"},
		},
		{
			name:    "a client certificate nobody asked for",
			script:  concat(upToHandshake, []act{expect("EHLO "), exoEHLO(false)}, exoProbeEnd()),
			config:  func(c *Config) { c.ClientCert = &client },
			tls:     want{check.Fail, []string{"client-cert-not-requested", "tls-intercepted"}},
			summary: "client certificate not requested",
			lines: []string{"*: TLS 1.3 handshake done", "*: the server did not ask for a client certificate",
				"*: certificate not trusted: it was issued by", "C: EHLO app01.contoso.com"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, tt.script...)
			cfg := baseConfig(srv, ms)
			if tt.config != nil {
				tt.config(&cfg)
			}
			out := Run(t.Context(), cfg)
			tt.tls.check(t, out.TLS)
			if out.TLS.Summary != tt.summary {
				t.Errorf("tls summary = %q; want %q", out.TLS.Summary, tt.summary)
			}
			// The second EHLO is the one after the handshake: look for each line after the last.
			at := slices.IndexFunc(out.Transcript, func(l check.Line) bool { return l.Dir == "C" && l.Line == "STARTTLS" })
			for _, want := range tt.lines {
				i := slices.IndexFunc(out.Transcript[at+1:], func(l check.Line) bool {
					return strings.HasPrefix(l.Dir+": "+l.Line, want)
				})
				if i < 0 {
					t.Fatalf("transcript lacks %q after line %d:\n%s", want, at, transcript(out))
				}
				at += 1 + i
			}
			srv.check(t)
		})
	}
}
