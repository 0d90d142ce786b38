package dnscheck

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe/check"
)

const exoSPF = `spf.protection.outlook.com. 300 IN TXT "v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 ip4:52.100.0.0/14 ip4:104.47.0.0/17 ip6:2a01:111:f400::/48 ip6:2a01:111:f403::/48 -all"`

// base is the zone of a healthy tenant, as the fixtures' scenarios have it.
var base = []string{
	"contoso.com. 300 IN MX 0 contoso-com.mail.protection.outlook.com.",
	"contoso-com.mail.protection.outlook.com. 300 IN A 127.0.0.1",
	`contoso.com. 300 IN TXT "v=spf1 ip4:203.0.113.7 include:spf.protection.outlook.com -all"`,
	`contoso.com. 300 IN TXT "MS=ms12345678"`,
	exoSPF,
	`_dmarc.contoso.com. 300 IN TXT "v=DMARC1; p=quarantine; sp=reject; rua=mailto:dmarc@contoso.com"`,
	// fabrikam.com: MX at a filtering service, EXO as backup.
	"fabrikam.com. 300 IN MX 10 mx1.filter.example.",
	"fabrikam.com. 300 IN MX 20 fabrikam-com.c-v1.mx.microsoft.",
	"mx1.filter.example. 300 IN A 192.0.2.25",
	"fabrikam-com.c-v1.mx.microsoft. 300 IN A 192.0.2.26",
	"fabrikam-com.c-v1.mx.microsoft. 300 IN AAAA 2001:db8::26",
	// notexo.example: a Postfix, nothing else.
	"notexo.example. 300 IN MX 10 mx1.contoso-filter.example.",
	"mx1.contoso-filter.example. 300 IN A 192.0.2.27",
	// nullmx.example: RFC 7505.
	"nullmx.example. 300 IN MX 0 .",
	// nomx.example exists but has no MX.
	"nomx.example. 300 IN A 192.0.2.28",
	// v6only.example: the endpoint has no IPv4.
	"v6only.example. 300 IN MX 0 v6only-example.mail.protection.outlook.com.",
	"v6only-example.mail.protection.outlook.com. 300 IN AAAA 2001:db8::29",
	// noaddr.example: the MX host has no address at all.
	"noaddr.example. 300 IN MX 0 noaddr-example.mail.protection.outlook.com.",
}

func codes(r *check.Result) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, string(f.Severity)+":"+string(f.Code))
	}
	return out
}

func TestEndpoint(t *testing.T) {
	t.Parallel()
	srv := fixtures.NewDNS(t, fixtures.ZoneOf(t, base...).Rcode("servfail.example.", dns.RcodeServerFailure))
	tests := []struct {
		name, mode, domain, host string
		wantHost                 string
		wantEXO                  bool
		want4, want6             int
		status                   check.Status
		codes                    []string
		msg                      string // a part of the first finding's message
		wantMX                   string // the MX host judged; not compared when empty
		summary                  string // the summary; not compared when empty
	}{
		{name: "exo", mode: string(check.ModeRelay), domain: "contoso.com", wantHost: "contoso-com.mail.protection.outlook.com",
			wantEXO: true, want4: 1, status: check.Pass},
		{name: "filter first, exo backup", mode: string(check.ModeRelay), domain: "fabrikam.com", wantHost: "fabrikam-com.c-v1.mx.microsoft",
			wantEXO: true, want4: 1, want6: 1, status: check.Warn, codes: []string{"warn:mx-not-exo"}, msg: "mx1.filter.example"},
		{name: "not exo, relay", mode: string(check.ModeRelay), domain: "notexo.example", wantHost: "mx1.contoso-filter.example",
			want4: 1, status: check.Fail, codes: []string{"fail:mx-not-exo"}, msg: "--host"},
		{name: "not exo, direct", mode: string(check.ModeDirect), domain: "notexo.example", wantHost: "mx1.contoso-filter.example",
			want4: 1, status: check.Fail, codes: []string{"fail:mx-not-exo"}},
		{name: "not exo, other mode", mode: string(check.ModeConnector), domain: "notexo.example", wantHost: "mx1.contoso-filter.example",
			want4: 1, status: check.Warn, codes: []string{"warn:mx-not-exo"}},
		{name: "no MX", mode: string(check.ModeRelay), domain: "nomx.example", status: check.Fail, codes: []string{"fail:mx-missing"}, msg: "has no MX"},
		{name: "no such domain", mode: string(check.ModeRelay), domain: "nosuch.example", status: check.Fail, codes: []string{"fail:mx-missing"}, msg: "NXDOMAIN"},
		{name: "null MX", mode: string(check.ModeRelay), domain: "nullmx.example", status: check.Fail, codes: []string{"fail:mx-missing"}, msg: "null MX"},
		{name: "SERVFAIL", mode: string(check.ModeRelay), domain: "servfail.example", status: check.Fail, codes: []string{"fail:dns-failed"}, msg: "SERVFAIL"},
		{name: "host given", mode: string(check.ModeRelay), domain: "contoso.com", host: "fabrikam-com.c-v1.mx.microsoft.",
			wantHost: "fabrikam-com.c-v1.mx.microsoft", wantEXO: true, want4: 1, want6: 1, status: check.Pass,
			codes: []string{"pass:host-override"}, msg: "instead of the MX of contoso.com (contoso-com.mail.protection.outlook.com)"},
		{name: "host is an address", mode: string(check.ModeRelay), host: "127.0.0.1", wantHost: "127.0.0.1", want4: 1,
			status: check.Warn, codes: []string{"pass:host-override", "warn:host-not-exo"}},
		// The host given is judged as the host, the MX as the MX: an MX in Exchange Online is
		// never called "not Exchange Online" because --host names another host.
		{name: "host elsewhere, MX in EXO", mode: string(check.ModeRelay), domain: "contoso.com", host: "127.0.0.1",
			wantHost: "127.0.0.1", want4: 1, status: check.Warn, codes: []string{"pass:host-override", "warn:host-not-exo"},
			msg: "instead of the MX of contoso.com (contoso-com.mail.protection.outlook.com)", wantMX: "contoso-com.mail.protection.outlook.com",
			summary: "127.0.0.1 (given with --host; not Exchange Online), 1 IPv4, no IPv6; MX contoso-com.mail.protection.outlook.com (Exchange Online)"},
		{name: "relay, no IPv4", mode: string(check.ModeRelay), domain: "v6only.example", wantHost: "v6only-example.mail.protection.outlook.com",
			wantEXO: true, want6: 1, status: check.Fail, codes: []string{"fail:host-no-address"}, msg: "IPv4"},
		{name: "direct, IPv6 only is fine", mode: string(check.ModeDirect), domain: "v6only.example", wantHost: "v6only-example.mail.protection.outlook.com",
			wantEXO: true, want6: 1, status: check.Pass},
		{name: "no address", mode: string(check.ModeDirect), domain: "noaddr.example", wantHost: "noaddr-example.mail.protection.outlook.com",
			wantEXO: true, status: check.Fail, codes: []string{"fail:host-no-address"}},
		{name: "nothing to look up", mode: string(check.ModeRelay), status: check.Skip, codes: []string{"skip:skipped"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := Endpoint(t.Context(), Config{Mode: check.Mode(tt.mode), Domain: tt.domain, Host: tt.host, Resolver: srv.Addr, Logf: t.Logf})
			r := out.Result
			if r.ID != "dns" {
				t.Errorf("id = %q; want dns", r.ID)
			}
			if out.Host != tt.wantHost || out.IsEXO != tt.wantEXO {
				t.Errorf("host = %q (exo %v); want %q (exo %v)", out.Host, out.IsEXO, tt.wantHost, tt.wantEXO)
			}
			if len(out.Addrs4) != tt.want4 || len(out.Addrs6) != tt.want6 {
				t.Errorf("addresses %v %v; want %d IPv4, %d IPv6", out.Addrs4, out.Addrs6, tt.want4, tt.want6)
			}
			if r.Status != tt.status {
				t.Errorf("status = %s; want %s (%+v)", r.Status, tt.status, r.Findings)
			}
			if got := codes(r); !slices.Equal(got, tt.codes) {
				t.Errorf("findings %v; want %v", got, tt.codes)
			}
			if tt.msg != "" && (len(r.Findings) == 0 || !strings.Contains(r.Findings[0].Message, tt.msg)) {
				t.Errorf("first finding %+v; want its message to hold %q", r.Findings, tt.msg)
			}
			if tt.wantMX != "" && (out.MXHost != tt.wantMX || !out.MXIsEXO) {
				t.Errorf("MX %q (exo %v); want %q in Exchange Online", out.MXHost, out.MXIsEXO, tt.wantMX)
			}
			if tt.summary != "" && r.Summary != tt.summary {
				t.Errorf("summary %q; want %q", r.Summary, tt.summary)
			}
		})
	}
}

// TestOneFindingPerFact: a failed look-up is reported once, and what depends on it (the
// endpoint's addresses, SPF and DMARC of the same domain) is not reported as a second fact,
// nor summarised as missing.
func TestOneFindingPerFact(t *testing.T) {
	t.Parallel()
	silent := fixtures.NewDNS(t, fixtures.DNSSilent())
	servfail := fixtures.NewDNS(t, fixtures.ZoneOf(t, base...).
		Rcode("contoso.com.", dns.RcodeServerFailure).Rcode("_dmarc.contoso.com.", dns.RcodeServerFailure).
		Rcode("contoso-com.mail.protection.outlook.com.", dns.RcodeServerFailure))
	addrFail := fixtures.NewDNS(t, fixtures.ZoneOf(t, base...).Rcode("contoso-com.mail.protection.outlook.com.", dns.RcodeServerFailure))
	nxdomain := fixtures.NewDNS(t, fixtures.ZoneOf(t, base...))
	tests := []struct {
		name, server, mode, domain, host string
		codes                            []string
		summary                          []string // parts of the summary
	}{
		{name: "silent server, relay", server: silent.Addr, mode: string(check.ModeRelay), domain: "contoso.com",
			codes: []string{"fail:dns-failed"}, summary: []string{"the MX look-up of contoso.com failed", "SPF and DMARC not checked (look-ups failed)"}},
		{name: "silent server, direct", server: silent.Addr, mode: string(check.ModeDirect), domain: "contoso.com",
			codes: []string{"fail:dns-failed"}, summary: []string{"SPF and DMARC not checked"}},
		{name: "silent server, --host", server: silent.Addr, mode: string(check.ModeDirect), domain: "contoso.com",
			host:  "contoso-com.mail.protection.outlook.com",
			codes: []string{"pass:host-override", "fail:dns-failed"},
			summary: []string{"IPv4 unknown (look-up failed), IPv6 unknown (look-up failed); MX of contoso.com unknown (look-up failed)",
				"SPF and DMARC not checked"}},
		{name: "SERVFAIL, direct", server: servfail.Addr, mode: string(check.ModeDirect), domain: "contoso.com",
			codes: []string{"fail:dns-failed"}, summary: []string{"SPF and DMARC not checked"}},
		{name: "addresses fail, relay", server: addrFail.Addr, mode: string(check.ModeRelay), domain: "contoso.com",
			codes: []string{"fail:dns-failed"}, summary: []string{"IPv4 unknown (look-up failed)"}},
		{name: "no such domain", server: nxdomain.Addr, mode: string(check.ModeDirect), domain: "nosuch.example",
			codes: []string{"fail:mx-missing"}, summary: []string{"SPF and DMARC not judged"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := Config{Mode: check.Mode(tt.mode), Domain: tt.domain, Host: tt.host, Resolver: tt.server, Timeout: 2 * time.Second, Logf: t.Logf}
			ep := Endpoint(t.Context(), cfg)
			Sender(t.Context(), cfg, ep, siteIP, netip.Addr{})
			r := ep.Result
			if got := codes(r); !slices.Equal(got, tt.codes) {
				t.Errorf("findings %v; want %v", got, tt.codes)
			}
			for _, w := range tt.summary {
				if !strings.Contains(r.Summary, w) {
					t.Errorf("summary %q; want it to say %q", r.Summary, w)
				}
			}
			for _, w := range []string{"no DMARC", "no SPF", "no IPv6", "no IPv4"} {
				if strings.Contains(r.Summary, w) {
					t.Errorf("summary %q says %q, which no look-up found", r.Summary, w)
				}
			}
		})
	}
}

func TestEndpointFacts(t *testing.T) {
	t.Parallel()
	srv := fixtures.NewDNS(t, fixtures.ZoneOf(t, base...))
	out := Endpoint(t.Context(), Config{Mode: check.ModeRelay, Domain: "fabrikam.com", Resolver: srv.Addr})
	f := out.Result.Facts
	mx, _ := f["mx"].([]map[string]any)
	if len(mx) != 2 || mx[0]["host"] != "mx1.filter.example" || mx[0]["pref"] != uint16(10) {
		t.Errorf("mx = %v; want mx1.filter.example (10) first", f["mx"])
	}
	if f["host"] != "fabrikam-com.c-v1.mx.microsoft" || f["is_exo"] != true || f["exo_cloud"] != "global" {
		t.Errorf("host facts %v %v %v", f["host"], f["is_exo"], f["exo_cloud"])
	}
	if a, _ := f["a"].([]string); !slices.Equal(a, []string{"192.0.2.26"}) {
		t.Errorf("a = %v; want [192.0.2.26]", f["a"])
	}
	if a, _ := f["aaaa"].([]string); !slices.Equal(a, []string{"2001:db8::26"}) {
		t.Errorf("aaaa = %v; want [2001:db8::26]", f["aaaa"])
	}
	if out.Result.Summary == "" {
		t.Errorf("no summary")
	}
}

var (
	siteIP  = netip.MustParseAddr("203.0.113.7")
	otherIP = netip.MustParseAddr("198.51.100.23")
)

func TestSender(t *testing.T) {
	t.Parallel()
	var tooMany []string
	rec := "v=spf1"
	for i := range 11 {
		rec += fmt.Sprintf(" include:s%d.toomany.example", i)
		tooMany = append(tooMany, fmt.Sprintf(`s%d.toomany.example. 300 IN TXT "v=spf1 -all"`, i))
	}
	extra := append([]string{
		`toomany.example. 300 IN TXT "` + rec + ` -all"`,
		`noinclude.example. 300 IN TXT "v=spf1 ip4:203.0.113.7 ~all"`,
		`nested.example. 300 IN TXT "v=spf1 include:_spf.nested.example -all"`,
		`_spf.nested.example. 300 IN TXT "v=spf1 ip4:203.0.113.0/24 include:spf.protection.outlook.com ~all"`,
		`twospf.example. 300 IN TXT "v=spf1 -all"`,
		`twospf.example. 300 IN TXT "v=spf1 ip4:203.0.113.7 -all"`,
		`nospf.example. 300 IN TXT "google-site-verification=x"`,
		`_dmarc.baddmarc.example. 300 IN TXT "v=DMARC1; p=bogus"`,
		`baddmarc.example. 300 IN TXT "v=spf1 ip4:203.0.113.7 include:spf.protection.outlook.com -all"`,
		`mail.contoso.com. 300 IN TXT "v=spf1 ip4:203.0.113.7 include:spf.protection.outlook.com -all"`,
	}, tooMany...)
	srv := fixtures.NewDNS(t, fixtures.ZoneOf(t, append(base, extra...)...))

	tests := []struct {
		name, mode, from string
		ip4              netip.Addr
		status           check.Status
		codes            []string
		spfResult        string
		dmarcPolicy      string
		msg              string
	}{
		{name: "relay, all good", mode: string(check.ModeRelay), from: "contoso.com", ip4: siteIP, status: check.Pass, spfResult: "pass", dmarcPolicy: "quarantine"},
		{name: "relay, address not in SPF is fine", mode: string(check.ModeRelay), from: "contoso.com", ip4: otherIP, status: check.Pass, spfResult: "fail"},
		{name: "relay, no EXO include", mode: string(check.ModeRelay), from: "noinclude.example", ip4: siteIP, status: check.Warn,
			codes: []string{"warn:spf-no-exo-include"}, spfResult: "pass",
			msg: `"v=spf1 ip4:203.0.113.7 include:spf.protection.outlook.com ~all"`},
		{name: "relay, EXO include nested", mode: string(check.ModeRelay), from: "nested.example", ip4: siteIP, status: check.Pass, spfResult: "pass"},
		{name: "direct, all good", mode: string(check.ModeDirect), from: "contoso.com", ip4: siteIP, status: check.Pass, spfResult: "pass"},
		{name: "direct, address not authorised", mode: string(check.ModeDirect), from: "contoso.com", ip4: otherIP, status: check.Fail,
			codes: []string{"fail:spf-ip-not-authorised"}, spfResult: "fail",
			msg: `"v=spf1 ip4:203.0.113.7 include:spf.protection.outlook.com ip4:198.51.100.23 -all"`},
		{name: "direct, softfail is not authorised", mode: string(check.ModeDirect), from: "noinclude.example", ip4: otherIP, status: check.Fail,
			codes: []string{"fail:spf-ip-not-authorised", "warn:dmarc-missing"}, spfResult: "softfail"},
		{name: "direct, no SPF, no DMARC", mode: string(check.ModeDirect), from: "nospf.example", ip4: siteIP, status: check.Warn,
			codes: []string{"warn:spf-missing", "warn:dmarc-missing"}, msg: "ip4:203.0.113.7 include:spf.protection.outlook.com -all"},
		{name: "relay, no SPF", mode: string(check.ModeRelay), from: "nospf.example", ip4: siteIP, status: check.Warn, codes: []string{"warn:spf-missing"}},
		{name: "direct, public IP unknown", mode: string(check.ModeDirect), from: "contoso.com", status: check.Pass,
			spfResult: "not evaluated: the public IPv4 address is unknown"},
		{name: "direct, too many look-ups", mode: string(check.ModeDirect), from: "toomany.example", ip4: siteIP, status: check.Fail,
			codes: []string{"fail:spf-error", "warn:dmarc-missing"}, spfResult: "permerror", msg: "10 DNS look-ups"},
		{name: "relay, too many look-ups", mode: string(check.ModeRelay), from: "toomany.example", ip4: siteIP, status: check.Warn,
			codes: []string{"warn:spf-error", "warn:spf-no-exo-include"}, spfResult: "permerror"},
		{name: "direct, two SPF records", mode: string(check.ModeDirect), from: "twospf.example", ip4: siteIP, status: check.Fail,
			codes: []string{"fail:spf-error", "warn:dmarc-missing"}, msg: "more than one SPF record"},
		{name: "direct, DMARC unreadable", mode: string(check.ModeDirect), from: "baddmarc.example", ip4: siteIP, status: check.Warn,
			codes: []string{"warn:dmarc-invalid"}},
		{name: "subdomain takes sp= of the organisational domain", mode: string(check.ModeDirect), from: "mail.contoso.com", ip4: siteIP,
			status: check.Pass, spfResult: "pass", dmarcPolicy: "reject"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := Config{Mode: check.Mode(tt.mode), Domain: "contoso.com", FromDomain: tt.from, Resolver: srv.Addr, Logf: t.Logf}
			ep := Endpoint(t.Context(), cfg)
			Sender(t.Context(), cfg, ep, tt.ip4, netip.Addr{})
			r := ep.Result
			if r.Status != tt.status {
				t.Errorf("status = %s; want %s (%+v)", r.Status, tt.status, r.Findings)
			}
			if got := codes(r); !slices.Equal(got, tt.codes) {
				t.Errorf("findings %v; want %v", got, tt.codes)
			}
			if tt.spfResult != "" && r.Facts["spf_result"] != tt.spfResult {
				t.Errorf("spf_result = %v; want %s", r.Facts["spf_result"], tt.spfResult)
			}
			if tt.dmarcPolicy != "" {
				d, _ := r.Facts["dmarc"].(map[string]any)
				if d["effective_policy"] != tt.dmarcPolicy {
					t.Errorf("dmarc = %v; want effective policy %s", r.Facts["dmarc"], tt.dmarcPolicy)
				}
			}
			if tt.msg != "" && (len(r.Findings) == 0 || !strings.Contains(r.Findings[0].Message, tt.msg)) {
				t.Errorf("first finding %+v; want its message to hold %q", r.Findings, tt.msg)
			}
			if !strings.Contains(r.Summary, "SPF") {
				t.Errorf("summary %q does not mention SPF", r.Summary)
			}
		})
	}
}

func TestSenderFacts(t *testing.T) {
	t.Parallel()
	srv := fixtures.NewDNS(t, fixtures.ZoneOf(t, base...))
	cfg := Config{Mode: check.ModeRelay, Domain: "contoso.com", FromDomain: "contoso.com", Resolver: srv.Addr}
	ep := Endpoint(t.Context(), cfg)
	Sender(t.Context(), cfg, ep, siteIP, netip.MustParseAddr("2001:db8::7"))
	f := ep.Result.Facts
	if f["spf"] != "v=spf1 ip4:203.0.113.7 include:spf.protection.outlook.com -all" {
		t.Errorf("spf = %v", f["spf"])
	}
	if inc, _ := f["spf_includes"].([]string); !slices.Equal(inc, []string{"spf.protection.outlook.com"}) || f["spf_includes_exo"] != true {
		t.Errorf("spf_includes = %v, exo %v", f["spf_includes"], f["spf_includes_exo"])
	}
	if f["spf_result_ipv6"] != "fail" {
		t.Errorf("spf_result_ipv6 = %v; want fail", f["spf_result_ipv6"])
	}
	d, _ := f["dmarc"].(map[string]any)
	if d["record"] == nil || d["domain"] != "contoso.com" || d["policy"] != "quarantine" || d["subdomain_policy"] != "reject" {
		t.Errorf("dmarc = %v", d)
	}
}

func TestSenderCachesTXT(t *testing.T) {
	t.Parallel()
	srv := fixtures.NewDNS(t, fixtures.ZoneOf(t, base...))
	cfg := Config{Mode: check.ModeRelay, Domain: "contoso.com", Resolver: srv.Addr}
	ep := Endpoint(t.Context(), cfg)
	Sender(t.Context(), cfg, ep, otherIP, netip.Addr{})
	n := 0
	for _, q := range srv.Queries() {
		if q.Name == "contoso.com." && q.Type == dns.TypeTXT {
			n++
		}
	}
	if n != 1 {
		t.Errorf("TXT of contoso.com asked %d times; want once (cached)", n)
	}
}

func TestSenderBoundedBySilentServer(t *testing.T) {
	t.Parallel()
	srv := fixtures.NewDNS(t, fixtures.ZoneOf(t, base...).Drop("contoso.com.", "_dmarc.contoso.com."))
	cfg := Config{Mode: check.ModeDirect, FromDomain: "contoso.com", Lookup: nil, Resolver: srv.Addr, Timeout: 500 * time.Millisecond}
	r := check.New("dns")
	start := time.Now()
	Sender(t.Context(), cfg, EndpointOutcome{Result: r}, siteIP, netip.Addr{})
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v; want it bounded by the 500 ms timeout", d)
	}
	if got := codes(r); !slices.Equal(got, []string{"warn:dns-failed"}) {
		t.Errorf("findings %v; want [warn:dns-failed]", got)
	}
}

func TestSuggestSPF(t *testing.T) {
	t.Parallel()
	tests := []struct{ record, term, want string }{
		{"", "include:spf.protection.outlook.com", "v=spf1 include:spf.protection.outlook.com -all"},
		{"v=spf1 mx ~all", "ip4:203.0.113.7", "v=spf1 mx ip4:203.0.113.7 ~all"},
		{"v=spf1 a -ALL", "ip4:203.0.113.7", "v=spf1 a ip4:203.0.113.7 -ALL"},
		{"v=spf1 redirect=_spf.contoso.com", "ip4:203.0.113.7", "v=spf1 ip4:203.0.113.7 redirect=_spf.contoso.com"},
		{"v=spf1 mx", "ip4:203.0.113.7", "v=spf1 mx ip4:203.0.113.7"},
	}
	for _, tt := range tests {
		t.Run(tt.record, func(t *testing.T) {
			if got := suggestSPF(tt.record, tt.term); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}

func TestSPFTargets(t *testing.T) {
	t.Parallel()
	got := spfTargets("v=spf1 +include:A.example. -include:b.example ~all redirect=c.example include:%{d}.x.example exists:%{i}.e.example")
	want := []string{"a.example", "b.example", "c.example"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v; want %v", got, want)
	}
}

func TestTimeoutsNest(t *testing.T) {
	t.Parallel()
	for name, d := range map[string]time.Duration{
		"LookupTimeout": LookupTimeout,
		"SPFTimeout":    SPFTimeout,
		// Endpoint: the MX, then A and AAAA together.
		"2 × LookupTimeout": 2 * LookupTimeout,
		// Sender: the SPF record, then its evaluation (DMARC alongside).
		"LookupTimeout + SPFTimeout": LookupTimeout + SPFTimeout,
	} {
		if d > DefaultTimeout {
			t.Errorf("%s = %v exceeds DefaultTimeout %v", name, d, DefaultTimeout)
		}
	}
	if LookupTimeout > SPFTimeout {
		t.Errorf("LookupTimeout %v exceeds SPFTimeout %v: one include could use up the evaluation", LookupTimeout, SPFTimeout)
	}
}

func FuzzSPFTargets(f *testing.F) {
	for _, s := range []string{"v=spf1 include:a.example -all", "v=spf1 redirect=", "include:%{d}", "", "v=spf1 ~include:x. ?redirect=y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, d := range spfTargets(s) {
			if d == "" || strings.Contains(d, "%") || strings.HasSuffix(d, ".") && d != "." {
				t.Errorf("spfTargets(%q) gave %q", s, d)
			}
		}
		_ = suggestSPF(s, "ip4:192.0.2.1")
	})
}

func BenchmarkEndpointAndSender(b *testing.B) {
	srv := fixtures.NewDNS(b, fixtures.ZoneOf(b, base...))
	cfg := Config{Mode: check.ModeRelay, Domain: "contoso.com", Resolver: srv.Addr}
	ctx := context.Background()
	for b.Loop() {
		ep := Endpoint(ctx, cfg)
		Sender(ctx, cfg, ep, siteIP, netip.Addr{})
		if ep.Result.Status != check.Pass {
			b.Fatal(ep.Result.Findings)
		}
	}
}
