// Package dnscheck is the "dns" check: where mail for the domain goes (its MX, and whether
// that is Exchange Online), the endpoint's addresses, and whether the sender domain's SPF and
// DMARC records fit the way the site sends. It is split in two so that the runner can start
// the TCP and SMTP checks as soon as the endpoint is known (Endpoint) while the SPF evaluation
// waits for the public IP address (Sender).
package dnscheck

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/cloud"
	"github.com/exoprobe/exoprobe/probe/code"
	"github.com/exoprobe/exoprobe/probe/resolve"
)

// Timeouts of the check. TestTimeoutsNest holds each below DefaultTimeout.
const (
	// DefaultTimeout bounds Endpoint, and Sender, when Config.Timeout is zero.
	DefaultTimeout = 10 * time.Second
	// LookupTimeout bounds one look-up (with its retry over TCP and CNAMEs).
	LookupTimeout = 3 * time.Second
	// SPFTimeout bounds one SPF evaluation with every include it follows (at most 10
	// look-ups by RFC 7208, most of them answered from the cache of the check).
	SPFTimeout = 6 * time.Second
)

// Config is what the check needs.
type Config struct {
	// Mode decides what a finding weighs (relay and Direct Send need the domain's MX to be
	// Exchange Online; Direct Send needs SPF to authorise the site) and, for submit, that the
	// endpoint is a submission host rather than an MX.
	Mode check.Mode
	// Cloud is the cloud whose submission host is the default in submit mode; the zero value
	// is the worldwide one.
	Cloud      cloud.Cloud
	Domain     string // the domain whose MX is the endpoint
	FromDomain string // the MAIL FROM domain whose SPF and DMARC are checked; Domain when empty
	Host       string // overrides the MX (--host): a host name or an IP address
	// Resolver is the DNS server: "" is the system's resolver, else host[:port].
	Resolver string
	// Lookup, when set, is used instead of Resolver.
	Lookup  resolve.Resolver
	Timeout time.Duration // bounds Endpoint and Sender each; 0 means DefaultTimeout
	Logf    check.Logf    // may be called from several goroutines at once
}

func (c *Config) resolver() resolve.Resolver {
	if c.Lookup != nil {
		return c.Lookup
	}
	return resolve.New(c.Resolver, LookupTimeout)
}

func (c *Config) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

func (c *Config) resolverName() string {
	if c.Lookup != nil || c.Resolver == "" {
		return "this machine's DNS resolver"
	}
	return "the DNS server " + resolve.ServerAddr(c.Resolver)
}

// EndpointOutcome is the endpoint the other checks talk to, with the partial "dns" result.
type EndpointOutcome struct {
	Result *check.Result // check id "dns"; Sender adds to it
	Host   string        // the MX (or --host) without its trailing dot; "" when none
	Addrs4 []netip.Addr
	Addrs6 []netip.Addr
	// IsEXO says that Host is an Exchange Online MX host (a submission host in submit mode);
	// Cloud is the cloud whose MX host it is, the zero Cloud when it is none.
	IsEXO bool
	Cloud cloud.Cloud
	MX    []*net.MX // the domain's MX records by preference; nil when not looked up or none
	// MXHost is the domain's MX host the checks judge: the most preferred one under an Exchange
	// Online suffix, else the most preferred one; "" when the domain has no MX or its look-up
	// failed. It is Host unless --host names another endpoint, and MXIsEXO says whether it is
	// an Exchange Online MX host.
	MXHost  string
	MXIsEXO bool
	// PreferredMX is the most preferred MX host, which need not be the endpoint: a gateway in
	// front of Exchange Online; "" when the domain has no MX.
	PreferredMX string
	// LookupFailed says that a look-up of the endpoint failed (a timeout, SERVFAIL...), as
	// opposed to an answer that the record does not exist: what depends on the DNS server
	// answering is then not judged again (see Sender).
	LookupFailed bool
	// NoDomain says that the domain does not exist in DNS (NXDOMAIN for its MX).
	NoDomain bool
}

// submissionEndpoint is Endpoint in submit mode: the addresses of the submission host, which
// is chosen (the cloud's, or --host), not found in DNS, so none of an MX's words apply.
func submissionEndpoint(ctx context.Context, cfg Config, out *EndpointOutcome) {
	r := out.Result
	cl := cfg.Cloud
	if cl.Name == "" {
		cl = cloud.Global()
	}
	out.Host = strings.TrimSuffix(cfg.Host, ".")
	source := "--host"
	if out.Host == "" || strings.EqualFold(out.Host, cl.SMTPHost) {
		out.Host, source = cl.SMTPHost, "the submission endpoint of "+cl.Title
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout())
	defer cancel()
	out.IsEXO = cloud.IsSubmissionHost(out.Host)
	r.Set("host", out.Host)
	r.Set("host_source", source)
	r.Set("is_exo", out.IsEXO)
	if !out.IsEXO {
		msg := fmt.Sprintf("%s (given with --host) is not one of Exchange Online's client submission endpoints (%s for %s; "+
			"smtp-hve.office365.com for High Volume Email). The checks that follow talk to it, but what they find says nothing "+
			"about Exchange Online.", out.Host, cl.SMTPHost, cl.Title)
		if a, err := netip.ParseAddr(out.Host); err == nil {
			msg += fmt.Sprintf(" An address such as %s cannot be checked against the server's certificate, which names "+
				"%s: give the host name.", a, cl.SMTPHost)
		}
		r.Add(check.Finding{Severity: check.Warn, Code: code.SubmitHostUnknown, Message: msg})
	}
	var fail4, fail6 bool
	out.Addrs4, out.Addrs6, fail4, fail6 = addresses(ctx, r, cfg, cfg.resolver(), out.Host)
	out.LookupFailed = fail4 || fail6
	what := "Exchange Online submission"
	if !out.IsEXO {
		what = "not a known Exchange Online submission endpoint"
	}
	r.Summary = endpointSummary(*out, Config{}, what, fail4, fail6, false)
	switch {
	case len(out.Addrs4)+len(out.Addrs6) > 0:
	case out.LookupFailed:
		r.Summary = out.Host + ": address look-up failed"
	default:
		r.Summary = out.Host + ": no address"
	}
}

// Endpoint looks up the MX of the domain (or takes --host), decides whether it is Exchange
// Online, and looks up its addresses; in submit mode the endpoint is the submission host. It
// never fails: what went wrong is a finding.
func Endpoint(ctx context.Context, cfg Config) EndpointOutcome {
	start := time.Now()
	r := check.New(check.DNS)
	out := EndpointOutcome{Result: r}
	defer r.Since(start)
	if cfg.Mode == check.ModeSubmit {
		submissionEndpoint(ctx, cfg, &out)
		return out
	}
	if cfg.Domain == "" && cfg.Host == "" {
		r.Skip("no domain (--domain) or host (--host) to look up")
		return out
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout())
	defer cancel()
	res := cfg.resolver()

	var mxErr error
	if cfg.Domain != "" {
		out.MX, mxErr = res.LookupMX(ctx, cfg.Domain)
		cfg.Logf.Printf("dns: MX %s: %d records, err %v", cfg.Domain, len(out.MX), mxErr)
		if mxErr == nil {
			r.Set("mx", mxFacts(out.MX))
		}
	}
	nullMX := len(out.MX) == 1 && out.MX[0].Host == "." // the resolver never returns an empty host
	if mxErr == nil && len(out.MX) > 0 && !nullMX {
		out.MXHost = pickMX(r, cfg, out.MX)
		out.PreferredMX = host(out.MX[0])
		_, out.MXIsEXO = cloud.ForMX(out.MXHost)
	}

	switch {
	case cfg.Host != "":
		out.Host = strings.TrimSuffix(cfg.Host, ".")
		r.Set("host_source", "--host")
		msg := "Using " + out.Host + ", given with --host"
		if out.MXHost != "" {
			msg += fmt.Sprintf(", instead of the MX of %s (%s)", cfg.Domain, out.MXHost)
		}
		r.Add(check.Finding{Severity: check.Pass, Code: code.HostOverride, Message: msg + "."})
		if mxErr != nil && !resolve.IsNotFound(mxErr) {
			// The endpoint is given, so nothing depends on the MX: its failed look-up is a fact,
			// not a finding (the host's own look-ups say whether DNS answers).
			r.Set("mx_error", resolve.Reason(mxErr))
			out.LookupFailed = true
		}
	case mxErr != nil:
		mxFailed(r, cfg, mxErr, check.Fail)
		out.LookupFailed = !resolve.IsNotFound(mxErr)
		var e *resolve.Error
		out.NoDomain = errors.As(mxErr, &e) && e.NXDomain()
		r.Summary = "no endpoint: the MX look-up of " + cfg.Domain + " failed"
		if !out.LookupFailed {
			r.Summary = "no endpoint: " + cfg.Domain + " has no MX"
		}
		return out
	case nullMX:
		r.Add(check.Finding{
			Severity: check.Fail, Code: code.MXMissing,
			Message: cfg.Domain + " publishes a null MX (RFC 7505): it says it accepts no mail at all. " +
				"If the domain's mail is in Exchange Online, set its MX to the value the Microsoft 365 admin " +
				"center shows under Settings > Domains > " + cfg.Domain + " > DNS records.",
		})
		r.Summary = "no endpoint: null MX"
		return out
	default:
		out.Host = out.MXHost
	}

	out.Cloud, out.IsEXO = cloud.ForMX(out.Host)
	r.Set("host", out.Host)
	r.Set("is_exo", out.IsEXO)
	if out.IsEXO {
		r.Set("exo_cloud", out.Cloud.Name)
	}
	if cfg.Host != "" && out.MXHost != "" {
		r.Set("mx_host", out.MXHost)
		r.Set("mx_is_exo", out.MXIsEXO)
	}
	switch {
	case cfg.Host != "" && !out.IsEXO:
		msg := out.Host + " (given with --host) is not an Exchange Online endpoint (*.mail.protection.outlook.com or " +
			"*.mx.microsoft). The checks that follow talk to it, but what they find says nothing about Exchange Online."
		if _, err := netip.ParseAddr(out.Host); err == nil {
			msg = out.Host + " (given with --host) is an address, not an Exchange Online host name, so nothing says it is " +
				"Exchange Online, and its certificate names a host, not an address. Give the tenant's host by name"
			if out.MXHost != "" && out.MXIsEXO {
				msg += " (the MX of " + cfg.Domain + " is " + out.MXHost + ")"
			}
			msg += "."
		}
		r.Add(check.Finding{Severity: check.Warn, Code: code.HostNotEXO, Message: msg})
	case cfg.Host == "" && !out.IsEXO:
		notEXO(r, cfg, out.Host)
	}

	var fail4, fail6 bool
	out.Addrs4, out.Addrs6, fail4, fail6 = addresses(ctx, r, cfg, res, out.Host)
	out.LookupFailed = out.LookupFailed || fail4 || fail6
	what := "not Exchange Online"
	if out.IsEXO {
		what = "Exchange Online"
	}
	r.Summary = endpointSummary(out, cfg, what, fail4, fail6, mxErr != nil && !resolve.IsNotFound(mxErr))
	return out
}

// pickMX chooses the endpoint among the MX records: the most preferred one under an Exchange
// Online suffix, else the most preferred one.
func pickMX(r *check.Result, cfg Config, mx []*net.MX) string {
	first := host(mx[0])
	for _, m := range mx {
		h := host(m)
		if _, exo := cloud.ForMX(h); !exo {
			continue
		}
		if h != first {
			r.Add(check.Finding{
				Severity: check.Warn, Code: code.MXNotEXO,
				Message: fmt.Sprintf("The most preferred MX of %s is %s (preference %d), which is not Exchange Online; "+
					"the Exchange Online host %s (preference %d) is used for the checks. Mail from the Internet to "+
					"%s reaches %s first (a filtering service or another server). A device that relays through a "+
					"connector must be configured with the Exchange Online host, not the MX.",
					cfg.Domain, first, mx[0].Pref, h, m.Pref, cfg.Domain, first),
			})
		}
		return h
	}
	return first
}

func mxHasEXO(mx []*net.MX) bool {
	for _, m := range mx {
		if _, exo := cloud.ForMX(host(m)); exo {
			return true
		}
	}
	return false
}

// notEXO adds the finding for a domain whose MX is outside Exchange Online: a failure when
// the mode sends to the MX (relay and Direct Send), a warning otherwise.
func notEXO(r *check.Result, cfg Config, h string) {
	sev := check.Warn
	if cfg.Mode == check.ModeRelay || cfg.Mode == check.ModeDirect {
		sev = check.Fail
	}
	r.Add(check.Finding{Severity: sev, Code: code.MXNotEXO,
		Message: "The MX of " + cfg.Domain + " is " + h + ", which is not Exchange Online. Mail sent to it does not " +
			"reach the tenant's inbound connectors, and Direct Send does not work through it. If the domain's mail " +
			"passes a filtering service (Mimecast, Proofpoint, ...) or an on-premises server before Exchange Online, " +
			"relay to the tenant's Exchange Online host instead: the Microsoft 365 admin center shows it under " +
			"Settings > Domains > " + cfg.Domain + " > DNS records (the MX \"Points to address\"). Give it with " +
			"--host, and configure the device with it."})
}

// mxFailed adds the finding for an MX look-up that gave no MX: a failed look-up (of severity
// sev) or an answer that there is none.
func mxFailed(r *check.Result, cfg Config, err error, sev check.Status) {
	if !resolve.IsNotFound(err) {
		r.Add(check.Finding{
			Severity: sev, Code: code.DNSFailed,
			Message: fmt.Sprintf("The MX look-up of %s failed: %s (asked %s). Check the machine's DNS settings, "+
				"or ask another server with --resolver.", cfg.Domain, resolve.Reason(err), cfg.resolverName()),
		})
		return
	}
	what := cfg.Domain + " has no MX record"
	if e := (*resolve.Error)(nil); errors.As(err, &e) && e.NXDomain() {
		what = cfg.Domain + " does not exist in DNS (NXDOMAIN); check the spelling of --domain"
	}
	r.Add(check.Finding{
		Severity: sev, Code: code.MXMissing,
		Message: what + ". Without an MX there is no Exchange Online endpoint to send to. If the domain is in " +
			"Microsoft 365, add the MX the admin center shows under Settings > Domains > " + cfg.Domain +
			" > DNS records, or give the endpoint with --host.",
	})
}

// addresses looks up A and AAAA of the endpoint at once. A failed look-up is one finding: a
// failure when it leaves the endpoint without an address the mode can use, else a warning;
// and an address it could have found is not also reported missing. fail4 and fail6 say which
// look-up failed.
func addresses(ctx context.Context, r *check.Result, cfg Config, res resolve.Resolver, h string) (v4, v6 []netip.Addr, fail4, fail6 bool) {
	var err4, err6 error
	if a, err := netip.ParseAddr(h); err == nil {
		a = a.Unmap()
		if a.Is4() {
			v4 = []netip.Addr{a}
		} else {
			v6 = []netip.Addr{a}
		}
	} else {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); v6, err6 = res.LookupNetIP(ctx, "ip6", h) }()
		v4, err4 = res.LookupNetIP(ctx, "ip4", h)
		wg.Wait()
	}
	r.Set("a", addrStrings(v4))
	r.Set("aaaa", addrStrings(v6))
	fail4 = err4 != nil && !resolve.IsNotFound(err4)
	fail6 = err6 != nil && !resolve.IsNotFound(err6)
	ipv4Only := cfg.Mode == check.ModeRelay
	usable := len(v4) > 0 || (!ipv4Only && len(v6) > 0)
	// decisive: the look-up that failed could have given the endpoint a usable address.
	decisive := !usable && (fail4 || (fail6 && !ipv4Only))
	if fail4 || fail6 {
		sev := check.Warn
		if decisive {
			sev = check.Fail
		}
		var what string
		var err error
		switch {
		case fail4 && fail6:
			what, err = "address look-ups (A and AAAA)", err4
		case fail4:
			what, err = "IPv4 address look-up (A)", err4
		default:
			what, err = "IPv6 address look-up (AAAA)", err6
		}
		r.Set("address_lookup_error", resolve.Reason(err))
		r.Add(check.Finding{
			Severity: sev, Code: code.DNSFailed,
			Message: fmt.Sprintf("The %s of %s failed: %s (asked %s). Check the machine's DNS "+
				"settings, or ask another server with --resolver.", what, h, resolve.Reason(err), cfg.resolverName()),
		})
	}
	switch {
	case usable || decisive:
	case len(v4) == 0 && len(v6) == 0:
		r.Add(check.Finding{
			Severity: check.Fail, Code: code.HostNoAddress,
			Message: h + " has no address (no A or AAAA record): nothing can connect to it.",
		})
	default: // a relay, and the host has IPv6 addresses only
		r.Add(check.Finding{
			Severity: check.Fail, Code: code.HostNoAddress,
			Message: h + " has no IPv4 address (A record). A relay through an inbound connector must connect " +
				"over IPv4, because connectors match IPv4 source addresses only.",
		})
	}
	return v4, v6, fail4, fail6
}

// endpointSummary says where the endpoint is and what it is (what: "Exchange Online"...), how
// many addresses of each family it has or that their look-up failed, and with --host the
// domain's MX beside it, judged on its own (mxFailed: its look-up failed).
func endpointSummary(out EndpointOutcome, cfg Config, what string, fail4, fail6, mxFailed bool) string {
	if cfg.Host != "" {
		what = "given with --host; " + what
	}
	s := fmt.Sprintf("%s (%s), %s, %s", out.Host, what,
		addrCount(len(out.Addrs4), fail4, "IPv4"), addrCount(len(out.Addrs6), fail6, "IPv6"))
	switch {
	case cfg.Host == "" || cfg.Domain == "":
	case out.MXHost != "":
		mx := "not Exchange Online"
		if out.MXIsEXO {
			mx = "Exchange Online"
		}
		s += fmt.Sprintf("; MX %s (%s)", out.MXHost, mx)
	case mxFailed:
		s += "; MX of " + cfg.Domain + " unknown (look-up failed)"
	}
	return s
}

// addrCount says how many addresses of a family there are: "2 IPv4", "no IPv6", or "IPv6
// unknown (look-up failed)".
func addrCount(n int, failed bool, family string) string {
	switch {
	case n > 0:
		return fmt.Sprintf("%d %s", n, family)
	case failed:
		return family + " unknown (look-up failed)"
	}
	return "no " + family
}

func mxFacts(mx []*net.MX) []map[string]any {
	out := make([]map[string]any, 0, len(mx))
	for _, m := range mx {
		out = append(out, map[string]any{"host": host(m), "pref": m.Pref})
	}
	return out
}

func host(m *net.MX) string { return strings.TrimSuffix(m.Host, ".") }

func addrStrings(as []netip.Addr) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.String()
	}
	return out
}
