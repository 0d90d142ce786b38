package dnscheck

import (
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures/hostile"
	"github.com/exoprobe/exoprobe/probe/check"
)

// TestEndpointHostileDNS points the dns check at DNS servers that misbehave: each run ends
// within the check's time limit with a dns-failed finding that says what the server did, and
// never with mx-missing (which would send the engineer to add an MX record that exists).
func TestEndpointHostileDNS(t *testing.T) {
	t.Parallel()
	const (
		limit = 600 * time.Millisecond
		slack = 700 * time.Millisecond // the race detector and a loaded machine
	)
	zone := []string{"contoso.com. 300 IN MX 0 contoso-com.mail.protection.outlook.com."}
	tests := []struct {
		name     string
		udp, tcp hostile.DNSBehavior
		want     []string
	}{
		{name: "silent", udp: hostile.DNSSilent, tcp: hostile.DNSSilent, want: []string{"no answer within 600 ms"}},
		{name: "wrong id", udp: hostile.DNSWrongID, tcp: hostile.DNSWrongID,
			want: []string{"no valid answer within 600 ms", "wrong message id", "mangles DNS"}},
		{name: "truncated over UDP and TCP", udp: hostile.DNSTruncated, tcp: hostile.DNSTruncated,
			want: []string{"truncated over UDP and again over TCP"}},
		{name: "truncated, TCP refused", udp: hostile.DNSTruncated, tcp: hostile.DNSClosed,
			want: []string{"too large for UDP", "refused the connection over TCP"}},
		{name: "garbage", udp: hostile.DNSGarbage, tcp: hostile.DNSGarbage, want: []string{"not valid DNS messages"}},
		{name: "cut short", udp: hostile.DNSCut, tcp: hostile.DNSCut, want: []string{"not valid DNS messages"}},
		{name: "nothing listens", udp: hostile.DNSClosed, tcp: hostile.DNSClosed, want: []string{"nothing answers DNS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := hostile.NewDNS(t, hostile.DNSConfig{UDP: tt.udp, TCP: tt.tcp, Records: zone})
			start := time.Now()
			out := Endpoint(t.Context(), Config{Mode: check.ModeRelay, Domain: "contoso.com", Resolver: srv.Addr, Timeout: limit})
			if elapsed := time.Since(start); elapsed > limit+slack {
				t.Errorf("the check took %v; want at most %v (+ %v slack)", elapsed, limit, slack)
			}
			r := out.Result
			if r.Status != check.Fail || len(r.Findings) != 1 {
				t.Fatalf("got %s with %v; want fail with one finding", r.Status, r.Findings)
			}
			f := r.Findings[0]
			if f.Code != "dns-failed" {
				t.Errorf("got code %q; want dns-failed", f.Code)
			}
			t.Logf("%s", f.Message)
			for _, w := range append(tt.want, "The MX look-up of contoso.com failed", "asked the DNS server "+srv.Addr) {
				if !strings.Contains(f.Message, w) {
					t.Errorf("got %q; want it to say %q", f.Message, w)
				}
			}
			if out.Host != "" {
				t.Errorf("got host %q; want none", out.Host)
			}
		})
	}
}
