package main

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/webproxy"
	"github.com/exoprobe/exoprobe/report"
)

// relayOptions are the flags of relay and direct.
type relayOptions struct {
	domain, from, host, resolver, helo string
	to                                 []string
	skip                               []check.ID
	expectIP                           []netip.Addr
	publicIP                           netip.Addr
	port                               int
	send                               bool
	certs                              certOptions // relay only
	tenantCheck                        tenantCheckFlags
	timeouts                           timeoutOptions
	out                                outputOptions
}

func (o *relayOptions) flags(mode check.Mode) *pflag.FlagSet {
	fs := pflag.NewFlagSet(string(mode), pflag.ContinueOnError)
	fs.SortFlags = false
	domainHelp := "the tenant's accepted domain whose MX is the endpoint (default: the domain of --from)"
	if mode == check.ModeDirect {
		domainHelp = "the tenant's domain whose MX is the endpoint (default: the domain of --to)"
	}
	domainVar(fs, &o.domain, "domain", domainHelp)
	addressVar(fs, &o.from, "from", "MAIL FROM address the application sends as (required)")
	addressListVar(fs, &o.to, "to", "recipient address(es), separated by commas or semicolons (required)")
	hostVar(fs, &o.host, "host", "endpoint host name or IP instead of the MX")
	portVar(fs, &o.port, "port", 25, "endpoint port")
	resolverVar(fs, &o.resolver, "resolver", "DNS server host[:port] to ask (default: the system's resolver)")
	if mode == check.ModeRelay {
		ipv4ListVar(fs, &o.expectIP, "expect-ip", "the connector's SenderIPAddresses, comma-separated: the site's IPv4 must be one of them")
	}
	ipv4Var(fs, &o.publicIP, "public-ip", "use this public IPv4 instead of detecting it")
	heloHelp := "EHLO name (default: this machine's name)"
	if mode == check.ModeRelay {
		o.certs.register(fs)
		heloHelp = "EHLO name (default: a name on the client certificate when one is given, else this machine's name)"
	}
	heloVar(fs, &o.helo, "helo", heloHelp)
	o.tenantCheck.register(fs)
	fs.BoolVar(&o.send, "send", false, "really send a clearly marked test message (default: stop after RCPT TO, deliver nothing)")
	skippable := probe.RelayChecks()
	if mode == check.ModeRelay {
		skippable = append(skippable, check.ClientCert)
	}
	skipVar(fs, &o.skip, string(mode), skippable, nil, "checks to leave out, comma-separated: "+joinIDs(skippable, ",")+
		"; one left out cannot decide the verdict (dns still finds the endpoint, without SPF and DMARC; tls still does STARTTLS"+
		" but does not judge the server's certificate; send stops before MAIL FROM)")
	o.timeouts.register(fs)
	o.out.register(fs)
	o.out.registerReport(fs)
	o.out.registerMonitor(fs)
	return fs
}

func runRelay(ctx context.Context, e *env, args []string) (check.Status, error) {
	return runPort25(ctx, e, check.ModeRelay, args, nil)
}

func runDirect(ctx context.Context, e *env, args []string) (check.Status, error) {
	return runPort25(ctx, e, check.ModeDirect, args, nil)
}

// runPort25 parses the flags of relay or direct, runs the probe and renders it. tweak, when
// set, adjusts the options after parsing (the demo points the hooks at its simulator).
func runPort25(ctx context.Context, e *env, mode check.Mode, args []string, tweak func(*probe.Options)) (check.Status, error) {
	var ro relayOptions
	fs := ro.flags(mode)
	if done, err := parseFlags(e, fs, string(mode), args); done {
		return check.Pass, err
	}
	opts, err := ro.options(mode)
	if err != nil {
		return "", err
	}
	if mode == check.ModeDirect {
		if err := ro.directScope(ctx, opts); err != nil {
			return "", err
		}
	}
	if opts.ClientCert, err = ro.certs.load(e); err != nil {
		return "", err
	}
	opts.CertDomain = ro.certs.domain()
	r, err := ro.out.renderer(e)
	if err != nil {
		return "", err
	}
	if opts.TenantCheck, err = ro.tenantCheck.access(e); err != nil {
		return "", err
	}
	r.ticket.Inputs = relayInputs(opts, ro.certs.file())
	if a := opts.TenantCheck; a != nil {
		r.ticket.Inputs.Tenant, r.ticket.Inputs.ClientID, r.ticket.Inputs.Cloud = a.Tenant, a.ClientID, a.Cloud
	}
	opts.Version = version
	opts.Proxy = webproxy.FromEnvironment(e.getenv)
	opts.Logf = ro.out.logf(e)
	r.hooks(&opts.RunOptions)
	if tweak != nil {
		tweak(&opts)
	}
	return render(r, probe.Relay(ctx, opts))
}

// options validates the flags into probe options.
func (ro *relayOptions) options(mode check.Mode) (probe.Options, error) {
	o := probe.Options{
		Mode: mode, Domain: ro.domain, From: ro.from, To: ro.to, Host: ro.host, Port: ro.port,
		Resolver: ro.resolver, Helo: ro.helo, Send: ro.send, ExpectIP: ro.expectIP, PublicIP: ro.publicIP,
	}
	if err := requireAddresses(ro.from, ro.to); err != nil {
		return o, err
	}
	if o.Domain == "" {
		switch mode {
		case check.ModeDirect:
			o.Domain = domainPart(ro.to[0])
		default:
			o.Domain = domainPart(ro.from)
		}
	}
	if err := ro.certs.validate(); err != nil {
		return o, err
	}
	if ro.certs.certDomain != "" && !ro.certs.given() {
		return o, usagef("--cert-domain needs the certificate: give --cert (and --key) or --pfx")
	}
	o.Skip = skipSet(ro.skip)
	var err error
	if o.Timeout, o.ConnectTimeout, o.ReplyTimeout, err = ro.timeouts.values(); err != nil {
		return o, err
	}
	return o, nil
}

// directScope refuses a Direct Send run to recipients outside the tenant before it starts:
// Direct Send reaches the tenant's own mailboxes only. The recipients are compared with
// --domain, else with the domain of --from; a recipient in another domain costs one MX
// look-up of that domain (probe.DirectOutside), bounded by --timeout.
func (ro *relayOptions) directScope(ctx context.Context, o probe.Options) error {
	scope := probe.DirectScope{Domain: ro.domain, Source: "--domain", To: o.To, Resolver: o.Resolver}
	if scope.Domain == "" {
		scope.Domain, scope.Source = domainPart(ro.from), "the domain of --from"
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	if err := probe.DirectOutside(ctx, scope); err != nil {
		return usagef("%v", err)
	}
	return nil
}

// requireAddresses checks that --from and --to were given; their values are addresses already
// (parseAddress).
func requireAddresses(from string, to []string) error {
	if from == "" {
		return usagef("--from is required")
	}
	if len(to) == 0 {
		return usagef("--to is required: the recipient the application sends to")
	}
	return nil
}

// domainPart is the domain of an address parseAddress returned: lower case, in A-label form.
func domainPart(a string) string {
	return a[strings.LastIndexByte(a, '@')+1:]
}

// parseFlags parses args; done is true when the command should stop: with err nil after the
// help was shown, else for the usage error err.
func parseFlags(e *env, fs *pflag.FlagSet, name string, args []string) (done bool, err error) {
	fs.SetOutput(e.stderr)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if err == pflag.ErrHelp {
			printUsage(e.stdout, name, fs, e.columns(e.stdout))
			return true, nil
		}
		// A value its flag's rule refused: name the flag, then say what is wrong with the value.
		var iv *invalidValue
		var ml *meaningless
		var pe *pflag.InvalidValueError
		switch {
		case errors.As(err, &iv) && errors.As(err, &pe):
			return true, usagef("--%s %v", pe.GetFlag().Name, iv)
		case errors.As(err, &ml) && errors.As(err, &pe):
			return true, usagef("--%s %v", pe.GetFlag().Name, ml)
		}
		return true, usagef("%v", err)
	}
	if fs.NArg() > 0 && name != "explain" && name != "cert" {
		return true, usagef("unexpected argument %q", fs.Arg(0))
	}
	return false, nil
}

// joinIDs joins check ids for a usage message.
func joinIDs(ids []check.ID, sep string) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, sep)
}

// relayInputs are the inputs of a relay or direct run for its report; certificate is the file
// of the client certificate, "" for none.
func relayInputs(o probe.Options, certificate string) report.Inputs {
	in := report.Inputs{
		From: o.From, To: o.To, Domain: o.Domain, Host: o.Host, Port: o.Port, PublicIP: addrString(o.PublicIP),
		Certificate: certificate, CertDomain: o.CertDomain, Resolver: o.Resolver, Helo: o.Helo, Send: &o.Send,
	}
	for _, a := range o.ExpectIP {
		in.ExpectIP = append(in.ExpectIP, a.String())
	}
	for id := range o.Skip {
		in.Skip = append(in.Skip, string(id))
	}
	slices.Sort(in.Skip)
	return in
}

// addrString is an address as text, "" for none.
func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}
