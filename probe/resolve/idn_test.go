package resolve

import (
	"testing"

	"github.com/miekg/dns"

	"github.com/exoprobe/exoprobe/fixtures"
)

// TestUnicodeNamesAskedInALabels checks that a name given in Unicode is asked in its A-label
// form, whoever called: the DNS server's log holds xn--bcher-kva.de and no raw UTF-8.
func TestUnicodeNamesAskedInALabels(t *testing.T) {
	t.Parallel()
	srv := fixtures.NewDNS(t, fixtures.ZoneOf(t,
		"xn--bcher-kva.de. 300 IN MX 0 mx.xn--bcher-kva.de.",
		`xn--bcher-kva.de. 300 IN TXT "v=spf1 -all"`,
		"mx.xn--bcher-kva.de. 300 IN A 192.0.2.25",
	))
	r := New(srv.Addr, 0)
	mx, err := r.LookupMX(t.Context(), "Bücher.de")
	if err != nil || len(mx) != 1 || mx[0].Host != "mx.xn--bcher-kva.de." {
		t.Fatalf("LookupMX = %v, %v; want mx.xn--bcher-kva.de.", mx, err)
	}
	if _, err := r.LookupTXT(t.Context(), "bücher.de."); err != nil {
		t.Errorf("LookupTXT: %v", err)
	}
	if a, err := r.LookupNetIP(t.Context(), "ip4", "mx.bücher.de"); err != nil || len(a) != 1 {
		t.Errorf("LookupNetIP = %v, %v", a, err)
	}
	for _, want := range []struct {
		name string
		typ  uint16
	}{{"xn--bcher-kva.de.", dns.TypeMX}, {"xn--bcher-kva.de.", dns.TypeTXT}, {"mx.xn--bcher-kva.de.", dns.TypeA}} {
		if !srv.Asked(want.name, want.typ) {
			t.Errorf("%s %s not asked; queries: %v", want.name, dns.TypeToString[want.typ], srv.Queries())
		}
	}
	for _, q := range srv.Queries() {
		for i := 0; i < len(q.Name); i++ {
			if q.Name[i] >= 0x80 {
				t.Errorf("raw UTF-8 reached DNS: %q", q.Name)
				break
			}
		}
	}
	if _, err := r.LookupMX(t.Context(), "a\u2028b.de"); err == nil {
		t.Errorf("a name IDNA cannot write was looked up")
	}
}
