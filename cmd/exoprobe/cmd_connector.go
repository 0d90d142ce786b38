package main

import (
	"context"
	"net/netip"
	"strings"
	"unicode"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/webproxy"
	"github.com/exoprobe/exoprobe/report"
)

// connectorOptions are the flags of connector.
type connectorOptions struct {
	domain, name, host, resolver string
	publicIP                     netip.Addr
	port                         int
	skip                         []check.ID
	certs                        certOptions
	tenantCheck                  tenantCheckFlags
	timeouts                     timeoutOptions
	out                          outputOptions
}

func (o *connectorOptions) flags() *pflag.FlagSet {
	fs := pflag.NewFlagSet("connector", pflag.ContinueOnError)
	fs.SortFlags = false
	domainVar(fs, &o.domain, "domain", "the tenant's accepted domain the application sends from; its MX is the smart host (required)")
	fs.StringVar(&o.name, "name", probe.DefaultConnectorName, "the connector's name")
	ipv4Var(fs, &o.publicIP, "public-ip", "the site's public IPv4 for the connector, instead of detecting it")
	o.certs.register(fs)
	hostVar(fs, &o.host, "host", "smart host instead of the MX")
	portVar(fs, &o.port, "port", 25, "port to test")
	skippable := []check.ID{check.DNS, check.TCP, check.ClientCert}
	skipVar(fs, &o.skip, "connector", skippable, map[check.ID]string{
		check.PublicIP:  "the connector is made of the site's public IP; give it with --public-ip instead",
		check.Connector: "it is the verdict of the pre-flight itself",
	}, "checks to leave out, comma-separated: "+joinIDs(skippable, ",")+"; one left out cannot decide the verdict (dns still finds the smart host, without SPF and DMARC)")
	resolverVar(fs, &o.resolver, "resolver", "DNS server host[:port] to ask (default: the system's resolver)")
	o.tenantCheck.register(fs)
	o.timeouts.register(fs)
	o.out.register(fs)
	o.out.registerReport(fs)
	o.out.registerMonitor(fs)
	return fs
}

// options validates the flags into probe options; the certificate is loaded by the caller.
func (o *connectorOptions) options() (probe.ConnectorOptions, error) {
	co := probe.ConnectorOptions{
		Domain: o.domain, Name: strings.TrimSpace(o.name), PublicIP: o.publicIP,
		Host: o.host, Port: o.port, Resolver: o.resolver, Skip: skipSet(o.skip),
	}
	switch {
	case co.Domain == "":
		return co, usagef("--domain is required: the tenant's accepted domain the application sends from, such as contoso.com")
	case co.Name == "":
		return co, usagef("--name must not be empty")
	case strings.IndexFunc(co.Name, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0:
		return co, usagef("--name holds a control or invisible character; give the connector's name as plain text")
	}
	var err error
	if co.Timeout, co.ConnectTimeout, co.ReplyTimeout, err = o.timeouts.values(); err != nil {
		return co, err
	}
	if err := o.certs.validate(); err != nil {
		return co, err
	}
	if o.certs.certDomain != "" && !o.certs.given() {
		return co, usagef("--cert-domain needs the certificate: give --cert (and --key) or --pfx, so that it can be checked against the name")
	}
	co.CertDomain = o.certs.domain()
	return co, nil
}

// runConnector is the pre-flight before an admin creates an inbound connector for this site.
func runConnector(ctx context.Context, e *env, args []string) (check.Status, error) {
	return runConnectorWith(ctx, e, args, nil)
}

// runConnectorWith parses the flags, runs the pre-flight and renders it with the PowerShell for
// the connector. tweak, when set, adjusts the options after parsing (tests point the hooks at
// the simulator).
func runConnectorWith(ctx context.Context, e *env, args []string, tweak func(*probe.ConnectorOptions)) (check.Status, error) {
	var o connectorOptions
	fs := o.flags()
	if done, err := parseFlags(e, fs, "connector", args); done {
		return check.Pass, err
	}
	opts, err := o.options()
	if err != nil {
		return "", err
	}
	r, err := o.out.renderer(e)
	if err != nil {
		return "", err
	}
	if opts.ClientCert, err = o.certs.load(e); err != nil {
		return "", err
	}
	if opts.TenantCheck, err = o.tenantCheck.access(e); err != nil {
		return "", err
	}
	r.ticket.Inputs = report.Inputs{
		Domain: opts.Domain, Host: opts.Host, Port: opts.Port, PublicIP: addrString(opts.PublicIP),
		Certificate: o.certs.file(), CertDomain: opts.CertDomain, Name: opts.Name, Resolver: opts.Resolver,
	}
	if a := opts.TenantCheck; a != nil {
		r.ticket.Inputs.Tenant, r.ticket.Inputs.ClientID, r.ticket.Inputs.Cloud = a.Tenant, a.ClientID, a.Cloud
	}
	opts.Version = version
	opts.Proxy = webproxy.FromEnvironment(e.getenv)
	opts.Logf = o.out.logf(e)
	r.hooks(&opts.RunOptions)
	if tweak != nil {
		tweak(&opts)
	}
	rep, plan := probe.Connector(ctx, opts)
	return r.report(report.Run{Report: rep, Connector: plan})
}
