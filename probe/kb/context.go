package kb

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/exoprobe/exoprobe/probe/check"
)

// Context is what the run knew once every stage had finished: the values that fill the
// placeholders of titles, causes and fix steps (see fill.go). The zero value of a field means
// the run did not know it, and its placeholder reads as such ("<public IP>").
type Context struct {
	Domain     string // the tenant's domain whose MX is the endpoint (--domain)
	From       string // the MAIL FROM address
	FromDomain string // the domain whose SPF and DMARC were read; From's domain when empty
	To         string // the first recipient
	// MXHost is the domain's MX host (the Exchange Online one when it has one), as DNS names
	// it: never the host given with --host, which is Host.
	MXHost string
	// PreferredMX is the domain's most preferred MX, which need not be Exchange Online (a
	// gateway in front of it); MXHost when empty.
	PreferredMX string
	Host        string // the host the user named (--host, the submission host); MXHost when empty
	Port        int
	PublicIP    netip.Addr   // given with --public-ip, else detected
	EchoIP      netip.Addr   // the address Exchange Online said it saw (EHLO's Hello [IP])
	ExpectIPs   []netip.Addr // --expect-ip: the addresses on the connector
	Tenant      string
	AppID       string
	Mailbox     string // the mailbox that signs in
	CertDomain  string // the connector's TlsSenderCertificateName (--cert-domain)
}

// value returns the context's value for a placeholder name; "" when the run did not know it.
// The names are those of placeholderNames.
func (c *Context) value(name string) string {
	switch name {
	case "domain":
		return c.Domain
	case "from":
		return c.From
	case "from_domain":
		if c.FromDomain != "" {
			return c.FromDomain
		}
		return domainOf(c.From)
	case "to":
		return c.To
	case "to_domain":
		return domainOf(c.To)
	case "mx_host":
		return c.MXHost
	case "preferred_mx":
		if c.PreferredMX != "" {
			return c.PreferredMX
		}
		return c.MXHost
	case "host":
		if c.Host != "" {
			return c.Host
		}
		return c.MXHost
	case "port":
		if c.Port > 0 {
			return strconv.Itoa(c.Port)
		}
	case "public_ip":
		return addr(c.PublicIP)
	case "echo_ip":
		return addr(c.EchoIP)
	case "expect_ip":
		s := make([]string, len(c.ExpectIPs))
		for i, a := range c.ExpectIPs {
			s[i] = a.String()
		}
		return strings.Join(s, ",")
	case "tenant":
		return c.Tenant
	case "app_id":
		return c.AppID
	case "mailbox":
		return c.Mailbox
	case "cert_domain":
		return c.CertDomain
	}
	return ""
}

func addr(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// Attach explains every finding of results that has no hint yet, in one pass, with the run's
// values from c: a finding that names its entry gets that entry; one read from a server's
// reply or an error text gets the entry that the text's code and words select; any other gets
// the entry of its code (a probe code, an AADSTS code, or the generic meaning of an SMTP code).
// A skipped check's finding explains itself and gets none.
//
// A finding read from a reply takes the most specific code the knowledge base recognised in it
// (5.7.3 inside a relay's "535 5.7.8 Error: authentication failed: 5.7.3 ..."); its check
// keeps the code the reply led with as the fact reply_code, and the reply as the fact reply.
func Attach(results []*check.Result, c Context) {
	for _, r := range results {
		if r == nil {
			continue
		}
		for i := range r.Findings {
			f := &r.Findings[i]
			if f.Hint != nil {
				continue
			}
			h, inner := hintFor(*f, c)
			f.Hint = h
			if inner != "" && inner != f.Code {
				r.Set("reply_code", string(f.Code))
				if _, ok := r.Facts["reply"]; !ok {
					r.Set("reply", f.Reply)
				}
				f.Code = inner
			}
		}
	}
}

// HintFor returns the hint that explains one finding with the run's values from c; nil when
// the knowledge base has nothing to say about it (a skipped check).
func HintFor(f check.Finding, c Context) *check.Hint {
	h, _ := hintFor(f, c)
	return h
}

// hintFor is HintFor and, for a finding read from a reply, the code the hint explains.
func hintFor(f check.Finding, c Context) (*check.Hint, check.Code) {
	switch {
	case f.Code == check.Skipped:
		return nil, ""
	case f.Entry != "":
		return Hint(string(f.Entry), c), ""
	case f.Reply != "":
		return forReplyText(string(f.Code), f.Reply, c)
	}
	return ForCode(string(f.Code), c), ""
}
