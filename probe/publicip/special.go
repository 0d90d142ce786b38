package publicip

import (
	"fmt"
	"net/netip"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
)

// specialRanges are the address blocks that are never a site's public address on the
// Internet, with what each is; the IANA special-purpose registries (RFC 6890) list them.
var specialRanges = []struct {
	prefix netip.Prefix
	what   string
}{
	{netip.MustParsePrefix("10.0.0.0/8"), "a private address (RFC 1918)"},
	{netip.MustParsePrefix("172.16.0.0/12"), "a private address (RFC 1918)"},
	{netip.MustParsePrefix("192.168.0.0/16"), "a private address (RFC 1918)"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a carrier-grade NAT address (RFC 6598), shared by the provider's customers"},
	{netip.MustParsePrefix("127.0.0.0/8"), "a loopback address"},
	{netip.MustParsePrefix("169.254.0.0/16"), "a link-local address"},
	{netip.MustParsePrefix("192.0.2.0/24"), "a documentation address (RFC 5737)"},
	{netip.MustParsePrefix("198.51.100.0/24"), "a documentation address (RFC 5737)"},
	{netip.MustParsePrefix("203.0.113.0/24"), "a documentation address (RFC 5737)"},
	{netip.MustParsePrefix("0.0.0.0/8"), "an address of \"this network\" (RFC 791)"},
	{netip.MustParsePrefix("224.0.0.0/4"), "a multicast address"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved address"},
	{netip.MustParsePrefix("fc00::/7"), "a private address (unique local, RFC 4193)"},
	{netip.MustParsePrefix("fe80::/10"), "a link-local address"},
	{netip.MustParsePrefix("::1/128"), "a loopback address"},
	{netip.MustParsePrefix("2001:db8::/32"), "a documentation address (RFC 3849)"},
}

// SpecialUse says what kind of address a is when it is never a site's public address on the
// Internet ("a private address (RFC 1918)"); "" for any other.
func SpecialUse(a netip.Addr) string {
	a = a.Unmap()
	for _, r := range specialRanges {
		if r.prefix.Contains(a) {
			return r.what
		}
	}
	return ""
}

// judgeGiven warns when the address given with --public-ip cannot be the site's public one:
// it is accepted (a test may mean it), but a connector made of it never matches.
func judgeGiven(r *check.Result, given netip.Addr) {
	what := SpecialUse(given)
	if what == "" {
		return
	}
	r.Set("given_special_use", what)
	r.Add(check.Finding{
		Severity: check.Warn, Code: code.PublicIPNotPublic,
		Message: fmt.Sprintf("--public-ip %s is %s, not an address the Internet sees: an inbound connector listing it never "+
			"matches mail from here.", given, what),
	})
}
