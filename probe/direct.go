package probe

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/exoprobe/exoprobe/probe/cloud"
	"github.com/exoprobe/exoprobe/probe/dnscheck"
	"github.com/exoprobe/exoprobe/probe/resolve"
)

// DirectScope is what DirectOutside needs to tell a Direct Send recipient inside the tenant
// from one outside it.
type DirectScope struct {
	// Domain is the tenant's domain the recipients are compared with: --domain, else the domain
	// of --from (Microsoft's Direct Send settings send from an accepted domain); Source says
	// which, for the message ("--domain", "the domain of --from").
	Domain, Source string
	To             []string
	Resolver       string // "" = the system's resolver, else host[:port]
}

// OutsideError is a Direct Send run refused before it starts: recipients that Direct Send
// cannot reach, because their domain is not in Exchange Online. Its message says what was
// compared and names the paths for outside recipients.
type OutsideError struct {
	Scope   DirectScope
	Outside []OutsideRecipient
}

// OutsideRecipient is one recipient outside the tenant and what its domain's MX look-up found.
type OutsideRecipient struct {
	Address, Domain string
	// MX is the domain's most preferred MX host; "" when the domain has none.
	MX string
	// NoDomain says that the domain does not exist (NXDOMAIN).
	NoDomain bool
}

func (e *OutsideError) Error() string {
	var b strings.Builder
	addrs := make([]string, len(e.Outside))
	for i, o := range e.Outside {
		addrs[i] = o.Address
	}
	fmt.Fprintf(&b, "Direct Send only delivers to mailboxes of your own Microsoft 365 tenant, and %s %s outside it. ",
		strings.Join(addrs, ", "), map[bool]string{true: "is", false: "are"}[len(addrs) == 1])
	for _, o := range e.Outside {
		fmt.Fprintf(&b, "exoprobe compared %s with %s (%s) and looked up the MX of %s: ", o.Domain, e.Scope.Domain, e.Scope.Source, o.Domain)
		switch {
		case o.NoDomain:
			fmt.Fprintf(&b, "%s does not exist in DNS. ", o.Domain)
		case o.MX == "":
			fmt.Fprintf(&b, "%s has no MX record, so its mail is not in Exchange Online. ", o.Domain)
		default:
			fmt.Fprintf(&b, "it is %s, which is not Exchange Online (a host under %s), so %s's mail is not in your tenant. ",
				o.MX, strings.Join(mxSuffixes(), ", "), o.Domain)
		}
	}
	b.WriteString("To send to outside recipients, relay through an inbound connector (exoprobe relay) or sign in and " +
		"submit (exoprobe submit). If the recipient's domain is an accepted domain of your tenant whose mail goes " +
		"elsewhere first, give it with --domain.")
	return b.String()
}

// mxSuffixes are Exchange Online's MX host suffixes in every cloud, for the message.
func mxSuffixes() []string {
	var out []string
	for _, c := range cloud.All() {
		for _, s := range c.MXSuffixes {
			if s = strings.TrimPrefix(s, "."); !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// DirectOutside tells which recipients of a Direct Send run lie outside the tenant, before the
// run starts. A recipient in the scope's domain, or in a subdomain of it, is inside without any
// look-up: Exchange Online itself says at RCPT TO whether a subdomain is accepted. A recipient
// in another domain may still be in the tenant (a tenant has several accepted domains), and the
// name of an MX does not say which tenant it belongs to; so the other domain's MX is looked up,
// and the recipient is outside when that MX is not an Exchange Online host. A look-up that
// fails decides nothing: the recipient is let through and the run's own checks speak. It
// returns an *OutsideError when some recipient is outside, else nil.
func DirectOutside(ctx context.Context, s DirectScope) error {
	scope := normDomain(s.Domain)
	var res resolve.Resolver
	var outside []OutsideRecipient
	looked := map[string]*OutsideRecipient{} // per domain: nil when inside
	for _, to := range s.To {
		d := normDomain(domainOf(to))
		if d == "" || scope == "" || d == scope || strings.HasSuffix(d, "."+scope) {
			continue
		}
		o, done := looked[d]
		if !done {
			if res == nil {
				res = resolve.New(s.Resolver, dnscheck.LookupTimeout)
			}
			o = lookupOutside(ctx, res, d)
			looked[d] = o
		}
		if o != nil {
			r := *o
			r.Address = to
			outside = append(outside, r)
		}
	}
	if len(outside) == 0 {
		return nil
	}
	return &OutsideError{Scope: s, Outside: outside}
}

// lookupOutside looks up the MX of domain d and returns what makes it outside Exchange Online,
// nil when its MX is an Exchange Online host or the look-up failed.
func lookupOutside(ctx context.Context, res resolve.Resolver, d string) *OutsideRecipient {
	ctx, cancel := context.WithTimeout(ctx, DNSTimeout)
	defer cancel()
	mx, err := res.LookupMX(ctx, d)
	switch {
	case err != nil && !resolve.IsNotFound(err):
		return nil
	case err != nil:
		var e *resolve.Error
		return &OutsideRecipient{Domain: d, NoDomain: errors.As(err, &e) && e.NXDomain()}
	}
	var first string
	for _, m := range mx {
		h := strings.TrimSuffix(m.Host, ".")
		if _, exo := cloud.ForMX(h); exo {
			return nil
		}
		if first == "" {
			first = h // "" for a null MX (RFC 7505): no mail at all
		}
	}
	return &OutsideRecipient{Domain: d, MX: first}
}

func normDomain(d string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(d), "."))
}
