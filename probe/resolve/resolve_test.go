package resolve

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"blitiri.com.ar/go/spf"
	"github.com/miekg/dns"

	"github.com/exoprobe/exoprobe/fixtures"
)

var zone = []string{
	"contoso.com. 300 IN MX 20 backup.contoso.com.",
	"contoso.com. 300 IN MX 0 contoso-com.mail.protection.outlook.com.",
	"contoso.com. 300 IN MX 10 second.contoso.com.",
	`contoso.com. 300 IN TXT "v=spf1 ip4:203.0.113.7 " "include:spf.protection.outlook.com -all"`,
	`contoso.com. 300 IN TXT "MS=ms12345678"`,
	`spf.protection.outlook.com. 300 IN TXT "v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 -all"`,
	"contoso-com.mail.protection.outlook.com. 300 IN A 52.101.68.11",
	"contoso-com.mail.protection.outlook.com. 300 IN A 52.101.68.12",
	"dual.contoso.com. 300 IN A 192.0.2.10",
	"dual.contoso.com. 300 IN AAAA 2001:db8::10",
	"alias.contoso.com. 300 IN CNAME dual.contoso.com.",
	"7.113.0.203.in-addr.arpa. 300 IN PTR gw.contoso.com.",
	"nomx.contoso.com. 300 IN A 192.0.2.11",
}

// testZone is zone as a fixtures.Zone, for a test to change and serve.
func testZone(t testing.TB) *fixtures.Zone { return fixtures.ZoneOf(t, zone...) }

func newDirect(t *testing.T, h dns.Handler) (*fixtures.DNSServer, Resolver) {
	t.Helper()
	srv := fixtures.NewDNS(t, h)
	return srv, New(srv.Addr, time.Second)
}

// newSystem returns the system-resolver path with its Go resolver dialling the test server,
// so the code that wraps net.Resolver is exercised without leaving the machine.
func newSystem(t *testing.T, h dns.Handler) Resolver {
	t.Helper()
	srv := fixtures.NewDNS(t, h)
	var d net.Dialer
	return &system{timeout: time.Second, r: &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, srv.Addr)
		},
	}}
}

func resolvers(t *testing.T) map[string]Resolver {
	_, d := newDirect(t, testZone(t))
	return map[string]Resolver{"direct": d, "system": newSystem(t, testZone(t))}
}

func TestLookupMX(t *testing.T) {
	t.Parallel()
	for name, r := range resolvers(t) {
		t.Run(name, func(t *testing.T) {
			mx, err := r.LookupMX(t.Context(), "contoso.com")
			if err != nil {
				t.Fatalf("LookupMX: %v", err)
			}
			var got []string
			for _, m := range mx {
				got = append(got, m.Host)
			}
			want := []string{"contoso-com.mail.protection.outlook.com.", "second.contoso.com.", "backup.contoso.com."}
			if !slices.Equal(got, want) {
				t.Errorf("got %v; want %v", got, want)
			}
		})
	}
}

func TestLookupTXT(t *testing.T) {
	t.Parallel()
	for name, r := range resolvers(t) {
		t.Run(name, func(t *testing.T) {
			txt, err := r.LookupTXT(t.Context(), "contoso.com")
			if err != nil {
				t.Fatalf("LookupTXT: %v", err)
			}
			want := "v=spf1 ip4:203.0.113.7 include:spf.protection.outlook.com -all"
			if !slices.Contains(txt, want) {
				t.Errorf("got %q; want it to hold %q (strings joined)", txt, want)
			}
		})
	}
}

func TestLookupNetIP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, network, host string
		want                []string
	}{
		{"A", "ip4", "dual.contoso.com", []string{"192.0.2.10"}},
		{"AAAA", "ip6", "dual.contoso.com", []string{"2001:db8::10"}},
		{"both", "ip", "dual.contoso.com", []string{"192.0.2.10", "2001:db8::10"}},
		{"CNAME", "ip4", "alias.contoso.com", []string{"192.0.2.10"}},
		{"literal", "ip4", "198.51.100.1", []string{"198.51.100.1"}},
		{"two A", "ip4", "contoso-com.mail.protection.outlook.com.", []string{"52.101.68.11", "52.101.68.12"}},
	}
	for rname, r := range resolvers(t) {
		for _, tt := range tests {
			t.Run(rname+"/"+tt.name, func(t *testing.T) {
				addrs, err := r.LookupNetIP(t.Context(), tt.network, tt.host)
				if err != nil {
					t.Fatalf("LookupNetIP: %v", err)
				}
				var got []string
				for _, a := range addrs {
					got = append(got, a.String())
				}
				slices.Sort(got)
				if !slices.Equal(got, tt.want) {
					t.Errorf("got %v; want %v", got, tt.want)
				}
			})
		}
	}
}

func TestLookupAddr(t *testing.T) {
	t.Parallel()
	for name, r := range resolvers(t) {
		t.Run(name, func(t *testing.T) {
			names, err := r.LookupAddr(t.Context(), "203.0.113.7")
			if err != nil {
				t.Fatalf("LookupAddr: %v", err)
			}
			if !slices.Equal(names, []string{"gw.contoso.com."}) {
				t.Errorf("got %v; want [gw.contoso.com.]", names)
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		lookup   func(context.Context, Resolver) error
		nxdomain bool
	}{
		{"NXDOMAIN MX", func(ctx context.Context, r Resolver) error {
			_, err := r.LookupMX(ctx, "nosuch.contoso.com")
			return err
		}, true},
		{"NODATA MX", func(ctx context.Context, r Resolver) error {
			_, err := r.LookupMX(ctx, "nomx.contoso.com")
			return err
		}, false},
		{"NODATA AAAA", func(ctx context.Context, r Resolver) error {
			_, err := r.LookupNetIP(ctx, "ip6", "nomx.contoso.com")
			return err
		}, false},
		{"NXDOMAIN TXT", func(ctx context.Context, r Resolver) error {
			_, err := r.LookupTXT(ctx, "_dmarc.nosuch.contoso.com")
			return err
		}, true},
		{"NXDOMAIN both families", func(ctx context.Context, r Resolver) error {
			_, err := r.LookupNetIP(ctx, "ip", "nosuch.contoso.com")
			return err
		}, true},
	}
	for rname, r := range resolvers(t) {
		for _, tt := range tests {
			t.Run(rname+"/"+tt.name, func(t *testing.T) {
				err := tt.lookup(t.Context(), r)
				if !errors.Is(err, ErrNotFound) || !IsNotFound(err) {
					t.Fatalf("got %v; want ErrNotFound", err)
				}
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("got %T; want *resolve.Error", err)
				}
				if e.Timeout() || e.Temporary() {
					t.Errorf("Timeout=%v Temporary=%v; want both false", e.Timeout(), e.Temporary())
				}
				// The system's resolver does not tell NXDOMAIN from NODATA; ours does.
				if rname == "direct" && e.NXDomain() != tt.nxdomain {
					t.Errorf("NXDomain() = %v; want %v", e.NXDomain(), tt.nxdomain)
				}
			})
		}
	}
}

func TestServerFailure(t *testing.T) {
	t.Parallel()
	_, r := newDirect(t, testZone(t).Rcode("contoso.com.", dns.RcodeServerFailure))
	_, err := r.LookupMX(t.Context(), "contoso.com")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v; want *resolve.Error", err)
	}
	if IsNotFound(err) || e.Rcode != dns.RcodeServerFailure || !e.Temporary() {
		t.Errorf("got NotFound=%v Rcode=%d Temporary=%v; want false, SERVFAIL, true", e.NotFound, e.Rcode, e.Temporary())
	}
	if !strings.Contains(err.Error(), "SERVFAIL") {
		t.Errorf("error %q does not name SERVFAIL", err)
	}
}

func TestSilentServerTimesOut(t *testing.T) {
	t.Parallel()
	srv := fixtures.NewDNS(t, testZone(t).Drop("contoso.com."))
	r := New(srv.Addr, 300*time.Millisecond)
	start := time.Now()
	_, err := r.LookupTXT(t.Context(), "contoso.com")
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v; want about the 300 ms timeout", d)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("got %v; want a net.Error timeout", err)
	}
	if IsNotFound(err) {
		t.Errorf("a timeout is not a missing record")
	}
	// Two UDP attempts: the second after half the time.
	if n := len(srv.Queries()); n != 2 {
		t.Errorf("server saw %d queries; want 2 (one retry)", n)
	}
}

func TestCancelEndsLookup(t *testing.T) {
	t.Parallel()
	srv := fixtures.NewDNS(t, testZone(t).Drop("contoso.com."))
	r := New(srv.Addr, 10*time.Second)
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := r.LookupTXT(ctx, "contoso.com")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v after cancel; want it to end at once", d)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v; want context.Canceled", err)
	}
}

func TestTruncatedRetriesOverTCP(t *testing.T) {
	t.Parallel()
	z := testZone(t)
	srv, r := newDirect(t, fixtures.DNSByTransport(fixtures.DNSTruncated(z), z))
	txt, err := r.LookupTXT(t.Context(), "spf.protection.outlook.com")
	if err != nil || len(txt) != 1 {
		t.Fatalf("got %q, %v; want one record", txt, err)
	}
	var nets []string
	for _, q := range srv.Queries() {
		nets = append(nets, q.Net)
	}
	if !slices.Equal(nets, []string{"udp", "tcp"}) {
		t.Errorf("transports %v; want [udp tcp]", nets)
	}
}

func TestFollowsCNAMEOutsideAnswer(t *testing.T) {
	t.Parallel()
	srv, r := newDirect(t, testZone(t).NoChase())
	addrs, err := r.LookupNetIP(t.Context(), "ip4", "alias.contoso.com")
	if err != nil || len(addrs) != 1 || addrs[0] != netip.MustParseAddr("192.0.2.10") {
		t.Fatalf("got %v, %v; want [192.0.2.10]", addrs, err)
	}
	if n := len(srv.Queries()); n != 2 {
		t.Errorf("%d queries; want 2 (the alias, then its target)", n)
	}
}

func TestServerAddr(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"192.0.2.53", "192.0.2.53:53"},
		{"192.0.2.53:5353", "192.0.2.53:5353"},
		{"2001:db8::53", "[2001:db8::53]:53"},
		{"[2001:db8::53]:5353", "[2001:db8::53]:5353"},
		{"dns.example", "dns.example:53"},
		{"dns.example:853", "dns.example:853"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := ServerAddr(tt.in); got != tt.want {
				t.Errorf("ServerAddr(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSPFAdapter(t *testing.T) {
	t.Parallel()
	_, r := newDirect(t, testZone(t))
	tests := []struct {
		name, ip, domain string
		want             spf.Result
	}{
		{"own ip4", "203.0.113.7", "contoso.com", spf.Pass},
		{"through include", "40.107.1.2", "contoso.com", spf.Pass},
		{"other ip", "198.51.100.9", "contoso.com", spf.Fail},
		{"no SPF record", "203.0.113.7", "nomx.contoso.com", spf.None},
		{"no such domain", "203.0.113.7", "nosuch.contoso.com", spf.None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := spf.CheckHostWithSender(net.ParseIP(tt.ip), tt.domain, "app@"+tt.domain,
				spf.WithResolver(SPF(r)), spf.WithContext(t.Context()))
			if res != tt.want {
				t.Errorf("got %s (%v); want %s", res, err, tt.want)
			}
		})
	}
}

func TestSPFAdapterTempError(t *testing.T) {
	t.Parallel()
	_, r := newDirect(t, testZone(t).Rcode("contoso.com.", dns.RcodeServerFailure))
	res, _ := spf.CheckHostWithSender(net.ParseIP("203.0.113.7"), "contoso.com", "app@contoso.com",
		spf.WithResolver(SPF(r)), spf.WithContext(t.Context()))
	if res != spf.TempError {
		t.Errorf("got %s; want temperror for SERVFAIL", res)
	}
}

func TestSystemErrorKeepsNotFound(t *testing.T) {
	t.Parallel()
	err := systemError("x.example", "MX", &net.DNSError{Err: "no such host", Name: "x.example", IsNotFound: true})
	if !IsNotFound(err) {
		t.Errorf("got %v; want not found", err)
	}
	err = systemError("x.example", "MX", &net.DNSError{Err: "i/o timeout", Name: "x.example", IsTimeout: true})
	var ne net.Error
	if IsNotFound(err) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("got %v; want a timeout that is not 'not found'", err)
	}
}

func BenchmarkLookupTXT(b *testing.B) {
	srv := fixtures.NewDNS(b, testZone(b))
	r := New(srv.Addr, time.Second)
	ctx := context.Background()
	for b.Loop() {
		if _, err := r.LookupTXT(ctx, "contoso.com"); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzServerAddr(f *testing.F) {
	for _, s := range []string{"192.0.2.1", "[::1]:53", "2001:db8::1", "dns.example", "", ":", "[", "1.2.3.4:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := ServerAddr(s)
		if _, _, err := net.SplitHostPort(s); err == nil && out != s {
			t.Errorf("ServerAddr(%q) = %q; want host:port kept as it is", s, out)
		}
		if a, err := netip.ParseAddr(s); err == nil {
			if ap, err := netip.ParseAddrPort(out); err != nil || ap.Addr() != a || ap.Port() != 53 {
				t.Errorf("ServerAddr(%q) = %q; want the address with port 53", s, out)
			}
		}
	})
}
