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
	"github.com/exoprobe/exoprobe/probe/kb"
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

// Modes the check knows; they decide what a finding weighs.
const (
	ModeRelay  = "relay"  // through an inbound connector: the connector matches IPv4
	ModeDirect = "direct" // Direct Send: SPF must authorise the public IP
)

// Config is what the check needs.
type Config struct {
	Mode       string // ModeRelay, ModeDirect or another command's name
	Domain     string // the domain whose MX is the endpoint
	FromDomain string // the MAIL FROM domain whose SPF and DMARC are checked; Domain when empty
	Host       string // overrides the MX (--host): a host name or an IP address
	// Resolver is the DNS server: "" is the system's resolver, else host[:port].
	Resolver string
	// Lookup, when set, is used instead of Resolver.
	Lookup  resolve.Resolver
	Timeout time.Duration // bounds Endpoint and Sender each; 0 means DefaultTimeout
	Logf    check.Logf    // may be called from several goroutines at once
	Vars    kb.Vars
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
	IsEXO  bool      // Host is under an Exchange Online suffix
	MX     []*net.MX // the domain's MX records by preference; nil when not looked up or none
}

// EXO's endpoint suffixes per cloud. New domains get *.mx.microsoft hosts, so the MX is never
// built by hand from the domain.
var exoSuffixes = []struct{ suffix, cloud string }{
	{".mail.protection.outlook.com", "worldwide"},
	{".mx.microsoft", "worldwide"},
	{".mail.protection.office365.us", "usgov"},
	{".partner.outlook.cn", "china"},
	{".olc.protection.outlook.com", "consumer"},
}

// EXOCloud returns the Exchange Online cloud whose inbound endpoint host is ("worldwide",
// "usgov" for GCC High and DoD, "china" for 21Vianet, "consumer" for Outlook.com), or "" when
// the host is not an Exchange Online endpoint.
func EXOCloud(host string) string {
	h := "." + strings.ToLower(strings.TrimSuffix(host, "."))
	for _, s := range exoSuffixes {
		if strings.HasSuffix(h, s.suffix) && len(h) > len(s.suffix) {
			return s.cloud
		}
	}
	return ""
}

// exoSPFInclude is the include a sender domain's SPF needs for mail that Exchange Online sends
// on, per cloud.
var exoSPFInclude = map[string]string{
	"worldwide": "spf.protection.outlook.com",
	"usgov":     "spf.protection.office365.us",
	"china":     "spf.protection.partner.outlook.cn",
	"consumer":  "spf.protection.outlook.com",
}

// Endpoint looks up the MX of the domain (or takes --host), decides whether it is Exchange
// Online, and looks up its addresses. It never fails: what went wrong is a finding.
func Endpoint(ctx context.Context, cfg Config) EndpointOutcome {
	start := time.Now()
	r := check.New("dns")
	out := EndpointOutcome{Result: r}
	defer r.Since(start)
	if cfg.Domain == "" && cfg.Host == "" {
		r.Skip("no domain (--domain) or host (--host) to look up")
		return out
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout())
	defer cancel()
	res := cfg.resolver()
	vars := copyVars(cfg.Vars)
	if cfg.Domain != "" && vars["domain"] == "" {
		vars["domain"] = cfg.Domain
	}

	var mxErr error
	if cfg.Domain != "" {
		out.MX, mxErr = res.LookupMX(ctx, cfg.Domain)
		cfg.Logf.Printf("dns: MX %s: %d records, err %v", cfg.Domain, len(out.MX), mxErr)
		if mxErr == nil {
			r.Set("mx", mxFacts(out.MX))
		}
	}

	switch {
	case cfg.Host != "":
		out.Host = strings.TrimSuffix(cfg.Host, ".")
		r.Set("host_source", "--host")
		msg := "Using " + out.Host + ", given with --host"
		if len(out.MX) > 0 {
			msg += fmt.Sprintf(", instead of the MX of %s (%s)", cfg.Domain, host(out.MX[0]))
		}
		r.Add(check.Finding{Severity: check.Pass, Code: "host-override", Message: msg + "."})
	case mxErr != nil:
		mxFailed(r, cfg, mxErr, vars)
		r.Summary = "no endpoint: the MX look-up of " + cfg.Domain + " failed"
		return out
	case len(out.MX) == 1 && out.MX[0].Host == ".": // the resolver never returns an empty host
		r.Add(check.Finding{
			Severity: check.Fail, Code: "mx-missing",
			Message: cfg.Domain + " publishes a null MX (RFC 7505): it says it accepts no mail at all. " +
				"If the domain's mail is in Exchange Online, set its MX to the value the Microsoft 365 admin " +
				"center shows under Settings > Domains > " + cfg.Domain + " > DNS records.",
			Hint: kb.Hint("mx-missing", vars),
		})
		r.Summary = "no endpoint: null MX"
		return out
	default:
		out.Host = pickMX(r, cfg, out.MX, vars)
	}
	vars["mx_host"] = out.Host
	if vars["host"] == "" {
		vars["host"] = out.Host
	}

	cloud := EXOCloud(out.Host)
	out.IsEXO = cloud != ""
	r.Set("host", out.Host)
	r.Set("is_exo", out.IsEXO)
	if out.IsEXO {
		r.Set("exo_cloud", cloud)
	}
	if !out.IsEXO && (cfg.Host != "" || !mxHasEXO(out.MX)) {
		notEXO(r, cfg, out.Host, vars)
	}

	out.Addrs4, out.Addrs6 = addresses(ctx, r, cfg, res, out.Host, vars)
	r.Summary = endpointSummary(out)
	return out
}

// pickMX chooses the endpoint among the MX records: the most preferred one under an Exchange
// Online suffix, else the most preferred one.
func pickMX(r *check.Result, cfg Config, mx []*net.MX, vars kb.Vars) string {
	first := host(mx[0])
	for _, m := range mx {
		h := host(m)
		if EXOCloud(h) == "" {
			continue
		}
		if h != first {
			r.Add(check.Finding{
				Severity: check.Warn, Code: "mx-not-exo",
				Message: fmt.Sprintf("The most preferred MX of %s is %s (preference %d), which is not Exchange Online; "+
					"the Exchange Online host %s (preference %d) is used for the checks. Mail from the Internet to "+
					"%s reaches %s first (a filtering service or another server). A device that relays through a "+
					"connector must be configured with the Exchange Online host, not the MX.",
					cfg.Domain, first, mx[0].Pref, h, m.Pref, cfg.Domain, first),
				Hint: kb.Hint("mx-not-exo", withMX(vars, first)),
			})
		}
		return h
	}
	return first
}

func mxHasEXO(mx []*net.MX) bool {
	for _, m := range mx {
		if EXOCloud(host(m)) != "" {
			return true
		}
	}
	return false
}

// notEXO adds the finding for an endpoint outside Exchange Online: a failure when it is the
// domain's MX and the mode sends to the MX, a warning when the user chose the host.
func notEXO(r *check.Result, cfg Config, h string, vars kb.Vars) {
	sev := check.Warn
	var msg string
	if cfg.Host != "" {
		msg = h + " (given with --host) is not an Exchange Online endpoint (*.mail.protection.outlook.com or " +
			"*.mx.microsoft). The checks that follow talk to it, but what they find says nothing about Exchange Online."
	} else {
		if cfg.Mode == ModeRelay || cfg.Mode == ModeDirect {
			sev = check.Fail
		}
		msg = "The MX of " + cfg.Domain + " is " + h + ", which is not Exchange Online. Mail sent to it does not " +
			"reach the tenant's inbound connectors, and Direct Send does not work through it. If the domain's mail " +
			"passes a filtering service (Mimecast, Proofpoint, ...) or an on-premises server before Exchange Online, " +
			"relay to the tenant's Exchange Online host instead: the Microsoft 365 admin center shows it under " +
			"Settings > Domains > " + cfg.Domain + " > DNS records (the MX \"Points to address\"). Give it with " +
			"--host, and configure the device with it."
	}
	r.Add(check.Finding{Severity: sev, Code: "mx-not-exo", Message: msg, Hint: kb.Hint("mx-not-exo", vars)})
}

func mxFailed(r *check.Result, cfg Config, err error, vars kb.Vars) {
	if !resolve.IsNotFound(err) {
		r.Add(check.Finding{
			Severity: check.Fail, Code: "dns-failed",
			Message: fmt.Sprintf("The MX look-up of %s failed: %s (asked %s). Check the machine's DNS settings, "+
				"or ask another server with --resolver.", cfg.Domain, resolve.Reason(err), cfg.resolverName()),
			Hint: kb.Hint("dns-failed", vars),
		})
		return
	}
	what := cfg.Domain + " has no MX record"
	if e := (*resolve.Error)(nil); errors.As(err, &e) && e.NXDomain() {
		what = cfg.Domain + " does not exist in DNS (NXDOMAIN); check the spelling of --domain"
	}
	r.Add(check.Finding{
		Severity: check.Fail, Code: "mx-missing",
		Message: what + ". Without an MX there is no Exchange Online endpoint to send to. If the domain is in " +
			"Microsoft 365, add the MX the admin center shows under Settings > Domains > " + cfg.Domain +
			" > DNS records, or give the endpoint with --host.",
		Hint: kb.Hint("mx-missing", vars),
	})
}

// addresses looks up A and AAAA of the endpoint at once.
func addresses(ctx context.Context, r *check.Result, cfg Config, res resolve.Resolver, h string, vars kb.Vars) (v4, v6 []netip.Addr) {
	if a, err := netip.ParseAddr(h); err == nil {
		a = a.Unmap()
		if a.Is4() {
			v4 = []netip.Addr{a}
		} else {
			v6 = []netip.Addr{a}
		}
	} else {
		var (
			wg         sync.WaitGroup
			err4, err6 error
		)
		wg.Add(1)
		go func() { defer wg.Done(); v6, err6 = res.LookupNetIP(ctx, "ip6", h) }()
		v4, err4 = res.LookupNetIP(ctx, "ip4", h)
		wg.Wait()
		for _, e := range []error{err4, err6} {
			if e != nil && !resolve.IsNotFound(e) {
				r.Add(check.Finding{
					Severity: check.Fail, Code: "dns-failed",
					Message: fmt.Sprintf("The address look-up of %s failed: %s (asked %s). Check the machine's DNS "+
						"settings, or ask another server with --resolver.", h, resolve.Reason(e), cfg.resolverName()),
					Hint: kb.Hint("dns-failed", vars),
				})
				break
			}
		}
	}
	r.Set("a", addrStrings(v4))
	r.Set("aaaa", addrStrings(v6))
	switch {
	case len(v4) == 0 && len(v6) == 0:
		r.Add(check.Finding{
			Severity: check.Fail, Code: "host-no-address",
			Message: h + " has no address (no A or AAAA record): nothing can connect to it.",
			Hint:    kb.Hint("host-no-address", vars),
		})
	case len(v4) == 0 && cfg.Mode == ModeRelay:
		r.Add(check.Finding{
			Severity: check.Fail, Code: "host-no-address",
			Message: h + " has no IPv4 address (A record). A relay through an inbound connector must connect " +
				"over IPv4, because connectors match IPv4 source addresses only.",
			Hint: kb.Hint("host-no-address", vars),
		})
	}
	return v4, v6
}

func endpointSummary(out EndpointOutcome) string {
	what := "not Exchange Online"
	if out.IsEXO {
		what = "Exchange Online"
	}
	s := fmt.Sprintf("%s (%s), %d IPv4", out.Host, what, len(out.Addrs4))
	if len(out.Addrs6) > 0 {
		s += fmt.Sprintf(", %d IPv6", len(out.Addrs6))
	} else {
		s += ", no IPv6"
	}
	return s
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

func copyVars(v kb.Vars) kb.Vars {
	out := make(kb.Vars, len(v)+4)
	for k, s := range v {
		out[k] = s
	}
	return out
}

func withMX(v kb.Vars, mx string) kb.Vars {
	out := copyVars(v)
	out["mx_host"] = mx
	return out
}
