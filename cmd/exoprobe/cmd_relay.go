package main

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/certcheck"
	"github.com/exoprobe/exoprobe/probe/check"
)

// relayOptions are the flags of relay and direct.
type relayOptions struct {
	domain, from, host, resolver, helo, publicIP string
	to, expectIP, skip                           []string
	port                                         int
	send                                         bool
	certs                                        certOptions // relay only
	timeouts                                     timeoutOptions
	out                                          outputOptions
}

func (o *relayOptions) flags(mode check.Mode) *pflag.FlagSet {
	fs := pflag.NewFlagSet(string(mode), pflag.ContinueOnError)
	fs.SortFlags = false
	domainHelp := "the tenant's accepted domain whose MX is the endpoint (default: the domain of --from)"
	if mode == check.ModeDirect {
		domainHelp = "the tenant's domain whose MX is the endpoint (default: the domain of --to)"
	}
	fs.StringVar(&o.domain, "domain", "", domainHelp)
	fs.StringVar(&o.from, "from", "", "MAIL FROM address the application sends as (required)")
	fs.StringSliceVar(&o.to, "to", nil, "recipient address(es), comma-separated (required)")
	fs.StringVar(&o.host, "host", "", "endpoint host name or IP instead of the MX")
	fs.IntVar(&o.port, "port", 25, "endpoint port")
	fs.StringVar(&o.resolver, "resolver", "", "DNS server host[:port] to ask (default: the system's resolver)")
	if mode == check.ModeRelay {
		fs.StringSliceVar(&o.expectIP, "expect-ip", nil, "the connector's SenderIPAddresses, comma-separated: the site's IPv4 must be one of them")
	}
	fs.StringVar(&o.publicIP, "public-ip", "", "use this public IPv4 instead of detecting it")
	heloHelp := "EHLO name (default: this machine's name)"
	if mode == check.ModeRelay {
		o.certs.register(fs)
		heloHelp = "EHLO name (default: a name on the client certificate when one is given, else this machine's name)"
	}
	fs.StringVar(&o.helo, "helo", "", heloHelp)
	fs.BoolVar(&o.send, "send", false, "really send a clearly marked test message (default: stop after RCPT TO, deliver nothing)")
	skippable := probe.RelayChecks()
	if mode == check.ModeRelay {
		skippable = append(skippable, certcheck.CheckID)
	}
	fs.StringSliceVar(&o.skip, "skip", nil, "leave checks out, comma-separated: "+joinIDs(skippable, ","))
	o.timeouts.register(fs)
	o.out.register(fs)
	return fs
}

func runRelay(ctx context.Context, e *env, args []string) (int, error) {
	return runPort25(ctx, e, check.ModeRelay, args, nil)
}

func runDirect(ctx context.Context, e *env, args []string) (int, error) {
	return runPort25(ctx, e, check.ModeDirect, args, nil)
}

// runPort25 parses the flags of relay or direct, runs the probe and renders it. tweak, when
// set, adjusts the options after parsing (the demo points the hooks at its simulator).
func runPort25(ctx context.Context, e *env, mode check.Mode, args []string, tweak func(*probe.Options)) (int, error) {
	if err := refuseSecretArgs(args); err != nil {
		return 0, err
	}
	var ro relayOptions
	fs := ro.flags(mode)
	if done, code, err := parseFlags(e, fs, string(mode), args); done {
		return code, err
	}
	opts, err := ro.options(mode)
	if err != nil {
		return 0, err
	}
	if opts.ClientCert, err = ro.certs.load(e); err != nil {
		return 0, err
	}
	opts.CertDomain = ro.certs.domain()
	r, err := ro.out.renderer(e)
	if err != nil {
		return 0, err
	}
	opts.Version = version
	opts.Logf = ro.out.logf(e)
	opts.OnCheck = r.progress
	if tweak != nil {
		tweak(&opts)
	}
	return r.report(probe.Relay(ctx, opts))
}

// options validates the flags into probe options.
func (ro *relayOptions) options(mode check.Mode) (probe.Options, error) {
	o := probe.Options{
		Mode: mode, Domain: strings.ToLower(strings.TrimSuffix(ro.domain, ".")), From: ro.from,
		To: ro.to, Host: ro.host, Port: ro.port, Resolver: ro.resolver, Helo: ro.helo, Send: ro.send,
	}
	if err := checkAddress("--from", ro.from); err != nil {
		return o, err
	}
	if len(ro.to) == 0 {
		return o, usagef("--to is required: the recipient the application sends to")
	}
	for _, t := range ro.to {
		if err := checkAddress("--to", t); err != nil {
			return o, err
		}
	}
	if o.Domain == "" {
		switch mode {
		case check.ModeDirect:
			o.Domain = domainPart(ro.to[0])
		default:
			o.Domain = domainPart(ro.from)
		}
	}
	if ro.port < 1 || ro.port > 65535 {
		return o, usagef("--port %d is not a TCP port", ro.port)
	}
	for _, s := range ro.expectIP {
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil || !a.Is4() {
			return o, usagef("--expect-ip %q is not an IPv4 address (inbound connectors hold IPv4 only)", s)
		}
		o.ExpectIP = append(o.ExpectIP, a)
	}
	if ro.publicIP != "" {
		a, err := netip.ParseAddr(ro.publicIP)
		if err != nil || !a.Is4() {
			return o, usagef("--public-ip %q is not an IPv4 address", ro.publicIP)
		}
		o.PublicIP = a
	}
	if err := ro.certs.validate(); err != nil {
		return o, err
	}
	if ro.certs.certDomain != "" && !ro.certs.given() {
		return o, usagef("--cert-domain needs the certificate: give --cert (and --key) or --pfx")
	}
	if len(ro.skip) > 0 {
		valid := probe.RelayChecks()
		if mode == check.ModeRelay {
			valid = append(valid, certcheck.CheckID)
		}
		o.Skip = map[check.ID]bool{}
		for _, s := range ro.skip {
			id := check.ID(strings.TrimSpace(s))
			if !slices.Contains(valid, id) {
				return o, usagef("--skip %q: no such check (checks: %s)", s, joinIDs(valid, ", "))
			}
			o.Skip[id] = true
		}
	}
	var err error
	if o.Timeout, o.ConnectTimeout, o.ReplyTimeout, err = ro.timeouts.values(); err != nil {
		return o, err
	}
	return o, nil
}

func checkAddress(flag, a string) error {
	if a == "" {
		return usagef("%s is required", flag)
	}
	at := strings.LastIndexByte(a, '@')
	if at <= 0 || at == len(a)-1 || strings.ContainsAny(a, " <>\r\n") {
		return usagef("%s %q is not an e-mail address (want name@domain)", flag, a)
	}
	return nil
}

func domainPart(a string) string {
	return strings.ToLower(a[strings.LastIndexByte(a, '@')+1:])
}

// parseFlags parses args; done is true when the command should stop (help shown or error).
func parseFlags(e *env, fs *pflag.FlagSet, name string, args []string) (done bool, code int, err error) {
	fs.SetOutput(e.stderr)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if err == pflag.ErrHelp {
			fmt.Fprintf(e.stdout, "Usage of exoprobe %s:\n%s", name, fs.FlagUsages())
			return true, exitPass, nil
		}
		return true, 0, usagef("%v", err)
	}
	if fs.NArg() > 0 && name != "explain" && name != "cert" {
		return true, 0, usagef("unexpected argument %q", fs.Arg(0))
	}
	return false, 0, nil
}

// joinIDs joins check ids for a usage message.
func joinIDs(ids []check.ID, sep string) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, sep)
}
