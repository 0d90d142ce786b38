package certcheck

import (
	"crypto/x509"
	"fmt"
	"net/netip"
	"strings"
)

// How a certificate name is matched against the connector's TlsSenderCertificateName, as
// Microsoft documents it and where it does not:
//
//   - Exact names compare case-insensitively, a trailing dot ignored (DNS names).
//   - A connector value "*.contoso.com" matches contoso.com itself and every subdomain at any
//     depth (mail.contoso.com, a.b.contoso.com). Source: New-InboundConnector,
//     TlsSenderCertificateName: "Wildcards are supported to indicate a domain and all
//     subdomains (for example, *.contoso.com), but you can't embed the wildcard character
//     (for example, domain.*.contoso.com is not valid)"; the parameter is of Exchange's
//     domain-with-subdomains kind, the same wording as SenderDomains and the outbound
//     connector's TlsDomain ("all subdomains of a domain"). Compared as text, so a wildcard
//     certificate name under the domain (*.contoso.com, *.mail.contoso.com) matches it too.
//     Microsoft support confirms that "*.contoso.com" on the connector matches a certificate
//     for email.contoso.com, "but it's not recommended" (Q&A guide to the 2023 relay
//     requirements, learn.microsoft.com/en-us/answers/a/11582569); a staff answer on the
//     relay-requirements blog (techcommunity 3851357, reply 3855525) explains why: the
//     wildcard also catches certificates for other subdomains that are meant for other tenants.
//   - A wildcard in the certificate (SAN *.contoso.com) against an exact connector name
//     (mail.contoso.com): Microsoft documents no rule. RFC 6125 would match one label deep;
//     Exchange Online may compare the certificate domain as text. Reported as MatchUnsure,
//     a warning: set the connector to the certificate's wildcard, or use a certificate that
//     names the host.
//   - An embedded wildcard (domain.*.contoso.com), or anything but a leading "*." label, is
//     invalid on the connector: ValidateCertDomain refuses it as a usage error.
//   - Both the subject alternative names and the subject CN count: Microsoft calls the
//     "certificate domain" the CN (Q&A guide above) and the subject/SAN (MC1226222, staff
//     answer on blog 3851357 reply 3981065). SANs are listed first; both are reported.

// Match is how one certificate name relates to a connector's TlsSenderCertificateName.
type Match int

// The outcomes of MatchCertName.
const (
	NoMatch     Match = iota // Exchange Online will not match this name to the connector
	Matches                  // documented to match
	MatchUnsure              // only a wildcard certificate name covers the connector's exact name
)

// CertDomainError reports an invalid --cert-domain value: one that New-InboundConnector would
// refuse as TlsSenderCertificateName, or that is not a domain at all.
type CertDomainError struct {
	Value  string
	Reason string
}

func (e *CertDomainError) Error() string {
	return fmt.Sprintf("certcheck: --cert-domain %q: %s", e.Value, e.Reason)
}

// ValidateCertDomain checks a --cert-domain value (the connector's TlsSenderCertificateName)
// and returns a *CertDomainError for a value Exchange Online would refuse, such as an embedded
// wildcard (domain.*.contoso.com). The command treats the error as a usage error.
func ValidateCertDomain(s string) error {
	fail := func(reason string) error { return &CertDomainError{Value: s, Reason: reason} }
	v := normalizeName(s)
	switch {
	case v == "":
		return fail("it is empty; give the domain name on the certificate, such as mail.contoso.com")
	case strings.HasPrefix(v, "<i>") || strings.HasPrefix(v, "<s>"):
		return fail("it is the <I>issuer<S>subject form of an on-premises Exchange send connector; the Exchange Online connector's TlsSenderCertificateName takes a domain, such as mail.contoso.com")
	case strings.Contains(v, "@"):
		return fail("it is an e-mail address; give the domain name on the certificate, such as contoso.com")
	case strings.Contains(v, "/") || strings.Contains(v, ":"):
		return fail("it is not a domain name; give the domain name on the certificate, such as mail.contoso.com")
	case strings.Contains(v, "*") && (!strings.HasPrefix(v, "*.") || strings.Count(v, "*") > 1):
		return fail("a wildcard may only be the whole leftmost label (*.contoso.com); Exchange Online refuses an embedded wildcard such as domain.*.contoso.com")
	}
	host := strings.TrimPrefix(v, "*.")
	if _, err := netip.ParseAddr(host); err == nil {
		return fail("it is an IP address; a certificate connector matches the domain name on the certificate (an IP connector uses SenderIPAddresses)")
	}
	if len(host) > 253 {
		return fail("it is longer than a domain name can be (253 characters)")
	}
	labels := strings.Split(host, ".")
	if len(labels) < 2 {
		return fail("it is not a full domain name; give one such as mail.contoso.com")
	}
	for _, l := range labels {
		if reason := badLabel(l); reason != "" {
			return fail(reason)
		}
	}
	return nil
}

func badLabel(l string) string {
	if l == "" {
		return "it has an empty label (two dots in a row, or a leading dot)"
	}
	if len(l) > 63 {
		return fmt.Sprintf("it has a label longer than 63 characters (%.20s...)", l)
	}
	for _, r := range l {
		switch {
		case r > 0x7f:
			return "it has non-ASCII characters; give the punycode form (xn--...)"
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
		default:
			return fmt.Sprintf("it has the character %q, which a domain name cannot hold", r)
		}
	}
	if l[0] == '-' || l[len(l)-1] == '-' {
		return fmt.Sprintf("it has the label %q, which starts or ends with a hyphen", l)
	}
	return ""
}

// normalizeName lower-cases a DNS name and drops surrounding space and a trailing dot.
func normalizeName(s string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
}

// MatchCertName reports how the certificate name certName matches the connector's
// TlsSenderCertificateName connector (see the rules at the top of this file). Both are
// compared case-insensitively.
func MatchCertName(connector, certName string) Match {
	conn, name := normalizeName(connector), normalizeName(certName)
	if conn == "" || name == "" {
		return NoMatch
	}
	if name == conn {
		return Matches
	}
	if base, ok := strings.CutPrefix(conn, "*."); ok {
		if name == base || strings.HasSuffix(name, "."+base) {
			return Matches
		}
		return NoMatch
	}
	if base, ok := strings.CutPrefix(name, "*."); ok {
		if label, rest, found := strings.Cut(conn, "."); found && rest == base && label != "" && label != "*" {
			return MatchUnsure
		}
	}
	return NoMatch
}

// nameRef is one name on a certificate and where it was found.
type nameRef struct {
	name  string // as on the certificate
	field string // "SAN" or "CN"
}

// certNames lists the DNS names of c: subject alternative names first, then the subject CN
// when it is not among them (an old certificate may carry its name only there).
func certNames(c *x509.Certificate) []nameRef {
	var out []nameRef
	seen := map[string]bool{}
	for _, n := range c.DNSNames {
		if k := normalizeName(n); k != "" && !seen[k] {
			seen[k] = true
			out = append(out, nameRef{n, "SAN"})
		}
	}
	if cn := c.Subject.CommonName; cn != "" && !seen[normalizeName(cn)] {
		out = append(out, nameRef{cn, "CN"})
	}
	return out
}

// acceptance is how a certificate's names relate to the tenant's accepted domain.
type acceptance int

const (
	acceptedExact acceptance = iota // a name is the accepted domain itself
	acceptedSub                     // a name is under the accepted domain, none is the domain
	acceptedNone                    // no name is at or under the accepted domain
)

// accepted compares the names with the accepted domain: since November 2023 Exchange Online
// relays through an OnPremises connector only when the certificate domain or the MAIL FROM
// domain is an accepted domain, and attributes the message to a tenant by the certificate
// domain first (MC1226222). A subdomain counts only when it is an accepted domain itself:
// "must be accepted domain in O365" (staff answer, blog 3851357 reply 3873802); adding the
// subdomain as an accepted domain is "the safest way" (reply 3855525).
func accepted(names []nameRef, domain string) (acceptance, string) {
	d := normalizeName(domain)
	var sub string
	for _, n := range names {
		k := normalizeName(n.name)
		if k == d {
			return acceptedExact, n.name
		}
		if sub == "" && strings.HasSuffix(k, "."+d) {
			sub = n.name
		}
	}
	if sub != "" {
		return acceptedSub, sub
	}
	return acceptedNone, ""
}
