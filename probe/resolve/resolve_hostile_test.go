package resolve_test

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/exoprobe/exoprobe/fixtures/hostile"
	"github.com/exoprobe/exoprobe/probe/resolve"
)

// hostileZone is what the hostile servers know when they answer at all.
var hostileZone = []string{
	"contoso.com. 300 IN MX 0 contoso-com.mail.protection.outlook.com.",
	"contoso-com.mail.protection.outlook.com. 300 IN A 52.101.68.11",
}

// hostileTimeout bounds each look-up against a hostile server; deadlineSlack is what the race
// detector and a loaded machine may add.
const (
	hostileTimeout = 600 * time.Millisecond
	deadlineSlack  = 700 * time.Millisecond
)

// TestHostileDNSServers points the direct resolver at servers that misbehave and checks that
// each look-up ends within its timeout with an error that says what happened in words, and is
// never mistaken for a name without records.
func TestHostileDNSServers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		udp, tcp hostile.DNSBehavior
		// want are words the error must hold; empty means the look-up must succeed.
		want        []string
		wantTimeout bool
		wantIs      error // a kind errors.Is must find, when set
	}{
		{name: "silent", udp: hostile.DNSSilent, tcp: hostile.DNSSilent,
			want: []string{"no answer within 600 ms"}, wantTimeout: true},
		{name: "wrong id over UDP", udp: hostile.DNSWrongID, tcp: hostile.DNSAnswer,
			want: []string{"wrong message id", "no valid answer within 600 ms"}, wantTimeout: true, wantIs: resolve.ErrWrongID},
		{name: "wrong id over TCP after truncation", udp: hostile.DNSTruncated, tcp: hostile.DNSWrongID,
			want: []string{"wrong message id"}, wantIs: resolve.ErrWrongID},
		{name: "truncated, then answered over TCP", udp: hostile.DNSTruncated, tcp: hostile.DNSAnswer},
		{name: "truncated over UDP and TCP", udp: hostile.DNSTruncated, tcp: hostile.DNSTruncated,
			want: []string{"truncated over UDP and again over TCP"}, wantIs: resolve.ErrTruncated},
		{name: "truncated, TCP refused", udp: hostile.DNSTruncated, tcp: hostile.DNSClosed,
			want: []string{"too large for UDP", "TCP", "refused"}},
		{name: "truncated, TCP silent", udp: hostile.DNSTruncated, tcp: hostile.DNSSilent,
			want: []string{"too large for UDP", "TCP", "no answer"}, wantTimeout: true},
		{name: "cut short", udp: hostile.DNSCut, tcp: hostile.DNSCut,
			want: []string{"valid DNS message"}, wantTimeout: true},
		{name: "garbage", udp: hostile.DNSGarbage, tcp: hostile.DNSGarbage,
			want: []string{"valid DNS message"}, wantTimeout: true, wantIs: resolve.ErrMalformed},
		{name: "garbage over TCP after truncation", udp: hostile.DNSTruncated, tcp: hostile.DNSGarbage,
			want: []string{"not a valid DNS message"}, wantIs: resolve.ErrMalformed},
		{name: "nothing listens", udp: hostile.DNSClosed, tcp: hostile.DNSClosed,
			want: []string{"nothing answers DNS", "port unreachable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := hostile.NewDNS(t, hostile.DNSConfig{UDP: tt.udp, TCP: tt.tcp, Records: hostileZone})
			r := resolve.New(srv.Addr, hostileTimeout)
			start := time.Now()
			mx, err := r.LookupMX(t.Context(), "contoso.com")
			elapsed := time.Since(start)
			if elapsed > hostileTimeout+deadlineSlack {
				t.Errorf("the look-up took %v; want at most %v (+ %v slack)", elapsed, hostileTimeout, deadlineSlack)
			}
			if len(tt.want) == 0 {
				if err != nil || len(mx) != 1 {
					t.Fatalf("got %v, %v; want the MX", mx, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("got %v; want an error", mx)
			}
			msg := err.Error()
			t.Logf("%v: %s", elapsed.Round(time.Millisecond), msg)
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("got %q; want it to say %q", msg, w)
				}
			}
			for _, jargon := range []string{"context deadline exceeded", "i/o timeout", "overflow", "unpack", "dns: "} {
				if strings.Contains(msg, jargon) {
					t.Errorf("got %q; want words, not %q", msg, jargon)
				}
			}
			if resolve.IsNotFound(err) {
				t.Errorf("got IsNotFound for %q; a failed look-up must not read as a name without records", msg)
			}
			var re *resolve.Error
			if !errors.As(err, &re) {
				t.Fatalf("got %T; want *resolve.Error", err)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(%q, %v) = false; want true", msg, tt.wantIs)
			}
			var ne net.Error
			if got := errors.As(err, &ne) && ne.Timeout(); got != tt.wantTimeout {
				t.Errorf("got Timeout() %v; want %v", got, tt.wantTimeout)
			}
		})
	}
}

// TestHostileExchange asks a hostile server with Exchange, as the public-IP check does, and
// checks that Reason words the failure without the look-up around it.
func TestHostileExchange(t *testing.T) {
	t.Parallel()
	if got := resolve.Reason(nil); got != "" {
		t.Errorf("Reason(nil) = %q; want \"\"", got)
	}
	tests := []struct {
		name     string
		udp, tcp hostile.DNSBehavior
		want     string
	}{
		{name: "silent", udp: hostile.DNSSilent, tcp: hostile.DNSSilent, want: "no answer in time"},
		{name: "wrong id", udp: hostile.DNSWrongID, tcp: hostile.DNSWrongID, want: "no valid answer in time; the server sent 1 answer with the wrong message id"},
		{name: "garbage", udp: hostile.DNSGarbage, tcp: hostile.DNSGarbage, want: "1 answer that is not a valid DNS message"},
		{name: "truncated twice", udp: hostile.DNSTruncated, tcp: hostile.DNSTruncated, want: "never gave the whole answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := hostile.NewDNS(t, hostile.DNSConfig{UDP: tt.udp, TCP: tt.tcp, Records: hostileZone})
			ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			m := new(dns.Msg)
			m.SetQuestion("contoso.com.", dns.TypeMX)
			start := time.Now()
			resp, _, err := resolve.Exchange(ctx, m, "udp4", srv.Addr)
			if elapsed := time.Since(start); elapsed > 300*time.Millisecond+deadlineSlack {
				t.Errorf("the exchange took %v; want at most 300ms (+ %v slack)", elapsed, deadlineSlack)
			}
			if err == nil {
				t.Fatalf("got %v; want an error", resp)
			}
			if got := resolve.Reason(err); !strings.Contains(got, tt.want) {
				t.Errorf("Reason = %q; want it to say %q", got, tt.want)
			}
		})
	}
}

// FuzzLookupAnswer answers a look-up with arbitrary bytes (the message id patched to match)
// and checks that the resolver neither panics nor hangs, whatever the answer holds: CNAME
// chains and loops, records of other names and types, counts that lie, compression loops.
// UDP answers every question as truncated, so that the bytes come over TCP, where a bad answer
// fails at once instead of being waited out.
func FuzzLookupAnswer(f *testing.F) {
	seed := func(rcode int, truncated bool, rrs ...string) {
		m := new(dns.Msg)
		m.SetQuestion("contoso.com.", dns.TypeMX)
		m.Response, m.Rcode, m.Truncated = true, rcode, truncated
		for _, s := range rrs {
			rr, err := dns.NewRR(s)
			if err != nil {
				f.Fatal(err)
			}
			m.Answer = append(m.Answer, rr)
		}
		b, err := m.Pack()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	seed(dns.RcodeSuccess, false, hostileZone[0])
	seed(dns.RcodeSuccess, false, "contoso.com. 300 IN CNAME a.contoso.com.", "a.contoso.com. 300 IN CNAME contoso.com.")
	seed(dns.RcodeSuccess, false, "contoso.com. 300 IN CNAME elsewhere.example.")
	seed(dns.RcodeSuccess, false, "other.example. 300 IN MX 0 mx.other.example.", "contoso.com. 300 IN A 192.0.2.1")
	seed(dns.RcodeSuccess, true)
	seed(dns.RcodeNameError, false)
	seed(dns.RcodeServerFailure, false)
	f.Add([]byte{0, 0, 0x81, 0x80, 0, 1, 0xff, 0xff, 0, 0, 0, 0, 0xc0, 0x0c})
	f.Add([]byte{})

	var (
		mu     sync.Mutex // guards answer
		answer []byte
	)
	srv := hostile.NewDNS(f, hostile.DNSConfig{UDP: hostile.DNSTruncated, TCP: hostile.DNSScripted,
		Respond: func(req *dns.Msg) []byte {
			mu.Lock()
			defer mu.Unlock()
			out := append([]byte(nil), answer...)
			if len(out) >= 2 {
				binary.BigEndian.PutUint16(out, req.Id)
			}
			return out
		}})
	const limit = 300 * time.Millisecond
	r := resolve.New(srv.Addr, limit)
	f.Fuzz(func(t *testing.T, b []byte) {
		mu.Lock()
		answer = b
		mu.Unlock()
		start := time.Now()
		mx, err := r.LookupMX(t.Context(), "contoso.com")
		if elapsed := time.Since(start); elapsed > limit+deadlineSlack {
			t.Fatalf("the look-up took %v; want at most %v", elapsed, limit)
		}
		if err != nil {
			if resolve.Reason(err) == "" || err.Error() == "" {
				t.Fatalf("an error without words: %#v", err)
			}
			return
		}
		for _, m := range mx {
			if m == nil || m.Host == "" {
				t.Fatalf("got an empty MX in %v", mx)
			}
		}
	})
}

// TestRecordWithoutData is the regression test of an answer the fuzzer found: an MX record
// whose data is empty decoded as an MX with no host, which the dns check would have taken for
// a null MX ("the domain accepts no mail"). It is a broken answer.
func TestRecordWithoutData(t *testing.T) {
	t.Parallel()
	answer := []byte("00\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00\acontoso\x03com\x00\x00\x0f\x00\x01" +
		"\acontoso\x03com\x00\x00\x0f\x00\x01\x00\x00\x00\x3c\x00\x00")
	srv := hostile.NewDNS(t, hostile.DNSConfig{UDP: hostile.DNSScripted, TCP: hostile.DNSScripted,
		Respond: func(req *dns.Msg) []byte {
			out := append([]byte(nil), answer...)
			binary.BigEndian.PutUint16(out, req.Id)
			return out
		}})
	mx, err := resolve.New(srv.Addr, hostileTimeout).LookupMX(t.Context(), "contoso.com")
	if err == nil {
		t.Fatalf("got %v; want an error", mx)
	}
	if !errors.Is(err, resolve.ErrMalformed) || resolve.IsNotFound(err) {
		t.Errorf("got %v; want a malformed answer, not a missing record", err)
	}
	if got := resolve.Reason(err); !strings.Contains(got, "is not a valid DNS message") {
		t.Errorf("Reason = %q; want it to say the answer is not valid", got)
	}
}
