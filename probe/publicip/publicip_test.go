package publicip

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe/check"
)

const (
	opendnsA   = "myip.opendns.com. 0 IN A 203.0.113.7"
	googleTXT  = `o-o.myaddr.l.google.com. 0 IN TXT "203.0.113.7"`
	cloudCHTXT = `whoami.cloudflare. 0 CH TXT "203.0.113.7"`
	ptr        = "7.113.0.203.in-addr.arpa. 0 IN PTR gw.contoso.com."
)

var (
	ip        = netip.MustParseAddr("203.0.113.7")
	otherIP   = netip.MustParseAddr("198.51.100.23")
	refuseAll = map[string]int{
		"myip.opendns.com.": dns.RcodeRefused, "o-o.myaddr.l.google.com.": dns.RcodeRefused,
		"whoami.cloudflare.": dns.RcodeRefused,
	}
)

// ipServer answers the HTTPS sources' way: the address as text.
func ipServer(t *testing.T, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func findingCodes(r *check.Result) []string {
	var codes []string
	for _, f := range r.Findings {
		codes = append(codes, string(f.Code))
	}
	return codes
}

func TestDetect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		rcodes   map[string]int // forced answers, by name
		records  []string
		https    string // body of the HTTPS sources; "" = none
		given    netip.Addr
		expect   []netip.Addr
		wantIPv4 netip.Addr
		status   check.Status
		codes    []string
		sources  []string
	}{
		{
			name: "three agree", records: []string{opendnsA, googleTXT, cloudCHTXT, ptr},
			wantIPv4: ip, status: check.Pass, sources: []string{"opendns", "google", "cloudflare"},
		},
		{
			name: "one disagrees", records: []string{opendnsA, googleTXT, `whoami.cloudflare. 0 CH TXT "198.51.100.23"`},
			wantIPv4: ip, status: check.Warn, codes: []string{"publicip-disagree"}, sources: []string{"opendns", "google"},
		},
		{
			name: "google answer through a resolver carries a subnet note",
			records: []string{opendnsA, `o-o.myaddr.l.google.com. 0 IN TXT "203.0.113.7"`,
				`o-o.myaddr.l.google.com. 0 IN TXT "edns0-client-subnet 203.0.113.0/24"`},
			rcodes:   map[string]int{"whoami.cloudflare.": dns.RcodeRefused},
			wantIPv4: ip, status: check.Pass, sources: []string{"opendns", "google"},
		},
		{
			name: "only one answers", records: []string{opendnsA},
			rcodes:   map[string]int{"o-o.myaddr.l.google.com.": dns.RcodeRefused, "whoami.cloudflare.": dns.RcodeServerFailure},
			wantIPv4: ip, status: check.Warn, codes: []string{"publicip-unconfirmed"}, sources: []string{"opendns"},
		},
		{
			name: "nothing answers", rcodes: refuseAll,
			status: check.Warn, codes: []string{"publicip-undetected"},
		},
		{
			name: "DNS refused, HTTPS agrees", rcodes: refuseAll, https: "203.0.113.7\n",
			wantIPv4: ip, status: check.Pass,
		},
		{
			name: "HTTPS confirms a single DNS answer", records: []string{opendnsA},
			rcodes:   map[string]int{"o-o.myaddr.l.google.com.": dns.RcodeRefused, "whoami.cloudflare.": dns.RcodeRefused},
			https:    "203.0.113.7",
			wantIPv4: ip, status: check.Pass,
		},
		{
			name: "HTTPS sends junk", rcodes: refuseAll, https: strings.Repeat("x", 1000),
			status: check.Warn, codes: []string{"publicip-undetected"},
		},
		{
			name: "given", given: ip, rcodes: refuseAll,
			wantIPv4: ip, status: check.Warn, codes: []string{"publicip-not-public"}, sources: []string{"given"},
		},
		{
			name: "given, not on the connector", given: ip, expect: []netip.Addr{otherIP},
			wantIPv4: ip, status: check.Fail, codes: []string{"publicip-not-public", "ip-mismatch"}, sources: []string{"given"},
		},
		{
			name: "detected, not on the connector", records: []string{opendnsA, googleTXT, cloudCHTXT},
			expect:   []netip.Addr{otherIP, netip.MustParseAddr("192.0.2.1")},
			wantIPv4: ip, status: check.Fail, codes: []string{"ip-mismatch"},
		},
		{
			name: "detected, on the connector", records: []string{opendnsA, googleTXT, cloudCHTXT},
			expect:   []netip.Addr{otherIP, ip},
			wantIPv4: ip, status: check.Pass,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			z := fixtures.ZoneOf(t, tt.records...)
			for name, rc := range tt.rcodes {
				z.Rcode(name, rc)
			}
			dnsSrv := fixtures.NewDNS(t, z)
			cfg := Config{
				Sources: SourcesAt(dnsSrv.Addr), HTTPSURLs: []string{},
				Given: tt.given, ExpectIP: tt.expect, Resolver: dnsSrv.Addr, Logf: t.Logf,
			}
			if tt.https != "" {
				h := ipServer(t, tt.https)
				cfg.HTTPSURLs = []string{h.URL + "/a", h.URL + "/b"}
				cfg.HTTPClient = h.Client()
			}
			out := Detect(t.Context(), cfg)
			r := out.Result
			if r.ID != "publicip" {
				t.Errorf("id = %q; want publicip", r.ID)
			}
			if out.IPv4 != tt.wantIPv4 {
				t.Errorf("IPv4 = %v; want %v", out.IPv4, tt.wantIPv4)
			}
			if out.IPv6.IsValid() {
				t.Errorf("IPv6 = %v; want none (every source here is IPv4)", out.IPv6)
			}
			if r.Status != tt.status {
				t.Errorf("status = %s; want %s (findings %+v)", r.Status, tt.status, r.Findings)
			}
			if got := findingCodes(r); !slices.Equal(got, tt.codes) {
				t.Errorf("codes = %v; want %v", got, tt.codes)
			}
			if tt.sources != nil {
				got, _ := r.Facts["sources"].([]string)
				if !slices.Equal(got, tt.sources) {
					t.Errorf("sources = %v; want %v", got, tt.sources)
				}
			}
			if tt.wantIPv4.IsValid() && r.Facts["ipv4"] != tt.wantIPv4.String() {
				t.Errorf("fact ipv4 = %v; want %v", r.Facts["ipv4"], tt.wantIPv4)
			}
			if r.Summary == "" {
				t.Errorf("no summary")
			}
		})
	}
}

func TestDetectFacts(t *testing.T) {
	t.Parallel()
	dnsSrv := fixtures.NewDNS(t, fixtures.ZoneOf(t, opendnsA, googleTXT, `whoami.cloudflare. 0 CH TXT "198.51.100.23"`, ptr))
	out := Detect(t.Context(), Config{Sources: SourcesAt(dnsSrv.Addr), HTTPSURLs: []string{}, Resolver: dnsSrv.Addr})
	r := out.Result
	if r.Facts["ptr"] != "gw.contoso.com" {
		t.Errorf("ptr = %v; want gw.contoso.com", r.Facts["ptr"])
	}
	answers, _ := r.Facts["answers"].(map[string]map[string]string)
	want := map[string]string{"opendns": "203.0.113.7", "google": "203.0.113.7", "cloudflare": "198.51.100.23"}
	for k, v := range want {
		if answers["ipv4"][k] != v {
			t.Errorf("answers[ipv4][%s] = %q; want %q", k, answers["ipv4"][k], v)
		}
	}
	if r.Facts["ipv6"] != nil {
		t.Errorf("ipv6 = %v; want null", r.Facts["ipv6"])
	}
	msg := r.Findings[0].Message
	for _, s := range []string{"opendns and google saw 203.0.113.7", "cloudflare saw 198.51.100.23"} {
		if !strings.Contains(msg, s) {
			t.Errorf("message %q does not say %q", msg, s)
		}
	}
	// The CHAOS question must go out in class CH, the others in IN.
	for _, q := range dnsSrv.Queries() {
		wantClass := uint16(dns.ClassINET)
		if q.Name == "whoami.cloudflare." {
			wantClass = dns.ClassCHAOS
		}
		if q.Class != wantClass {
			t.Errorf("%s asked in class %d; want %d", q.Name, q.Class, wantClass)
		}
	}
}

// TestHTTPSAnswerOfWrongFamily: one client serves both families here, so the IPv6 detection
// gets an IPv4 answer, which it must discard.
func TestHTTPSAnswerOfWrongFamily(t *testing.T) {
	t.Parallel()
	h := ipServer(t, "203.0.113.7")
	out := Detect(t.Context(), Config{
		Sources: []Source{}, HTTPSURLs: []string{h.URL + "/1", h.URL + "/2"}, HTTPClient: h.Client(),
		Resolver: "127.0.0.1:1", Logf: t.Logf,
	})
	if out.IPv4 != ip || out.IPv6.IsValid() {
		t.Errorf("got %v, %v; want %v and no IPv6", out.IPv4, out.IPv6, ip)
	}
	answers, _ := out.Result.Facts["answers"].(map[string]map[string]string)
	if got := answers["ipv6"][h.URL+"/1"]; !strings.Contains(got, "no ipv6 address") {
		t.Errorf("ipv6 answer = %q; want it discarded as not IPv6", got)
	}
}

// TestHTTPSWaitsForDNS: when the DNS sources agree at once, the HTTPS fallback is never asked.
func TestHTTPSWaitsForDNS(t *testing.T) {
	t.Parallel()
	asked := make(chan struct{}, 10)
	h := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		asked <- struct{}{}
		_, _ = w.Write([]byte("203.0.113.7"))
	}))
	t.Cleanup(h.Close)
	dnsSrv := fixtures.NewDNS(t, fixtures.ZoneOf(t, opendnsA, googleTXT, cloudCHTXT))
	sources := SourcesAt(dnsSrv.Addr)
	out := Detect(t.Context(), Config{Sources: sources, HTTPSURLs: []string{h.URL}, HTTPClient: h.Client(), Resolver: dnsSrv.Addr})
	// IPv6 has no DNS source here, so it goes straight to HTTPS: one request is expected.
	if n := len(asked); n != 1 {
		t.Errorf("HTTPS asked %d times; want 1 (by IPv6 only)", n)
	}
	if out.IPv4 != ip {
		t.Errorf("IPv4 = %v; want %v", out.IPv4, ip)
	}
}

// TestSilentSourcesAreCalledAtTheirTimeout: DNS dropped by a firewall is a finding after
// DNSQueryTimeout, not a hang.
func TestSilentSourcesAreCalledAtTheirTimeout(t *testing.T) {
	t.Parallel()
	dnsSrv := fixtures.NewDNS(t, fixtures.NewZone().Drop(
		"myip.opendns.com.", "o-o.myaddr.l.google.com.", "whoami.cloudflare.",
		"7.113.0.203.in-addr.arpa.",
	))
	start := time.Now()
	out := Detect(t.Context(), Config{Sources: SourcesAt(dnsSrv.Addr), HTTPSURLs: []string{}, Resolver: dnsSrv.Addr})
	if d := time.Since(start); d > DNSQueryTimeout+time.Second {
		t.Errorf("took %v; want about DNSQueryTimeout (%v)", d, DNSQueryTimeout)
	}
	if got := findingCodes(out.Result); !slices.Equal(got, []string{"publicip-undetected"}) {
		t.Errorf("codes = %v; want [publicip-undetected]", got)
	}
	if msg := out.Result.Findings[0].Message; !strings.Contains(msg, "timed out") || !strings.Contains(msg, "--public-ip") {
		t.Errorf("message %q should say the sources timed out and suggest --public-ip", msg)
	}
}

func TestDetectBoundedByContext(t *testing.T) {
	t.Parallel()
	dnsSrv := fixtures.NewDNS(t, fixtures.NewZone().Drop(
		"myip.opendns.com.", "o-o.myaddr.l.google.com.", "whoami.cloudflare.",
	))
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	out := Detect(ctx, Config{Sources: SourcesAt(dnsSrv.Addr), HTTPSURLs: []string{}, Resolver: dnsSrv.Addr})
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v; want it bounded by the 200 ms context", d)
	}
	if out.IPv4.IsValid() {
		t.Errorf("IPv4 = %v; want none", out.IPv4)
	}
}

func TestSourcesAt(t *testing.T) {
	t.Parallel()
	tests := []struct{ server, want4, want6 string }{
		{"127.0.0.1:5353", "127.0.0.1:5353", ""},
		{"[::1]:5353", "", "[::1]:5353"},
		{"dns.test:53", "dns.test:53", "dns.test:53"},
	}
	for _, tt := range tests {
		t.Run(tt.server, func(t *testing.T) {
			got := SourcesAt(tt.server)
			if len(got) != 3 {
				t.Fatalf("%d sources; want 3", len(got))
			}
			for _, s := range got {
				if s.Server4 != tt.want4 || s.Server6 != tt.want6 {
					t.Errorf("%s: %q, %q; want %q, %q", s.Name, s.Server4, s.Server6, tt.want4, tt.want6)
				}
			}
		})
	}
}

func TestPick(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, fam  string
		candidates []string
		want       string // "" = error
	}{
		{"v4", "ipv4", []string{"203.0.113.7\n"}, "203.0.113.7"},
		{"v6", "ipv6", []string{"2001:db8::7"}, "2001:db8::7"},
		{"v4-mapped is v4", "ipv4", []string{"::ffff:203.0.113.7"}, "203.0.113.7"},
		{"wrong family", "ipv6", []string{"203.0.113.7"}, ""},
		{"note first", "ipv4", []string{"edns0-client-subnet 203.0.113.0/24", "203.0.113.7"}, "203.0.113.7"},
		{"empty", "ipv4", nil, ""},
		{"junk", "ipv4", []string{"<html>"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pick(tt.candidates, tt.fam)
			if tt.want == "" {
				if err == nil {
					t.Errorf("got %v; want an error", got)
				}
				return
			}
			if err != nil || got.String() != tt.want {
				t.Errorf("got %v, %v; want %s", got, err, tt.want)
			}
		})
	}
}

func TestTimeoutsNest(t *testing.T) {
	t.Parallel()
	for name, d := range map[string]time.Duration{
		"DNSQueryTimeout":                             DNSQueryTimeout,
		"HTTPSDelay + HTTPSTimeout":                   HTTPSDelay + HTTPSTimeout,
		"DNSQueryTimeout + HTTPSTimeout + PTRTimeout": DNSQueryTimeout + HTTPSTimeout + PTRTimeout,
	} {
		if d > DefaultTimeout {
			t.Errorf("%s = %v exceeds DefaultTimeout %v", name, d, DefaultTimeout)
		}
	}
	if HTTPSDelay >= DNSQueryTimeout {
		t.Errorf("HTTPSDelay %v must be shorter than DNSQueryTimeout %v, or it never helps", HTTPSDelay, DNSQueryTimeout)
	}
}

func FuzzPick(f *testing.F) {
	for _, s := range []string{"203.0.113.7", "2001:db8::1", "::ffff:1.2.3.4", "", "fe80::1%eth0", " 1.2.3.4 \n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fam := range []string{"ipv4", "ipv6"} {
			a, err := pick([]string{s}, fam)
			if err == nil && (fam == "ipv4") != a.Is4() {
				t.Errorf("pick(%q, %s) = %v: wrong family", s, fam, a)
			}
		}
	})
}

func BenchmarkDetect(b *testing.B) {
	dnsSrv := fixtures.NewDNS(b, fixtures.ZoneOf(b, opendnsA, googleTXT, cloudCHTXT, ptr))
	cfg := Config{Sources: SourcesAt(dnsSrv.Addr), HTTPSURLs: []string{}, Resolver: dnsSrv.Addr}
	for b.Loop() {
		if out := Detect(context.Background(), cfg); out.Result.Status != check.Pass {
			b.Fatal(out.Result.Findings)
		}
	}
}

// TestIPv6Missing: without an IPv6 address, the summary says truthfully why: nothing asked,
// nothing answered in time (detection failed), or sources that failed at once or gave no
// address (not detected, as on a site without IPv6).
func TestIPv6Missing(t *testing.T) {
	t.Parallel()
	refused := &rcodeError{source: "opendns", rcode: dns.RcodeRefused}
	tests := []struct {
		name string
		f    *family
		want string
	}{
		{"IPv4 given with --public-ip", nil, "IPv6 not checked"},
		{"no IPv6 source", &family{name: "ipv6"}, "IPv6 not checked"},
		{"every source timed out", &family{name: "ipv6", asked: 2, answers: []answer{
			{source: "opendns", err: context.DeadlineExceeded}, {source: "google", err: context.Canceled}}}, "IPv6 detection failed"},
		{"the run ended before any answer", &family{name: "ipv6", asked: 3}, "IPv6 detection failed"},
		{"one source answered without an address", &family{name: "ipv6", asked: 2, answers: []answer{
			{source: "opendns", err: context.DeadlineExceeded}, {source: "google", err: refused}}}, "IPv6 not detected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			words, note := ipv6Missing(tt.f)
			if words != tt.want {
				t.Errorf("got %q; want %q", words, tt.want)
			}
			if tt.want != "IPv6 not detected" && strings.Contains(note, "normal") {
				t.Errorf("note %q calls it normal, but nothing is known", note)
			}
		})
	}
	out := Detect(t.Context(), Config{Given: ip, Resolver: "127.0.0.1:1", Logf: t.Logf})
	if got := out.Result.Summary; !strings.HasSuffix(got, "; IPv6 not checked") {
		t.Errorf("summary with a given address = %q; want it to end with IPv6 not checked", got)
	}
}
