package main

import (
	"context"
	"net/netip"
	"strings"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/cloud"
	"github.com/exoprobe/exoprobe/probe/webproxy"
	"github.com/exoprobe/exoprobe/report"
)

// siteOptions are the flags of site: the port-25 endpoint (the MX), the submission endpoint,
// and the submission's sign-in, whose secrets come from the environment as submit's do.
type siteOptions struct {
	domain, from, host, resolver, helo string
	to                                 []string
	expectIP                           []netip.Addr
	publicIP                           netip.Addr
	port                               int
	submit                             submitOptions // auth, user, tenant, client id, app certificate, cloud, host, port
	timeouts                           timeoutOptions
	out                                outputOptions
}

func (o *siteOptions) flags() *pflag.FlagSet {
	fs := pflag.NewFlagSet("site", pflag.ContinueOnError)
	fs.SortFlags = false
	domainVar(fs, &o.domain, "domain", "the tenant's accepted domain whose MX is the port-25 endpoint (default: the domain of --from)")
	addressVar(fs, &o.from, "from", "MAIL FROM address the device sends as (required)")
	addressListVar(fs, &o.to, "to", "recipient address(es), separated by commas (required); those outside --domain test the relay, those inside it Direct Send (the --from address when none is)")
	hostVar(fs, &o.host, "host", "port-25 endpoint host name or IP instead of the MX")
	portVar(fs, &o.port, "port", 25, "port-25 endpoint port")
	hostVar(fs, &o.submit.host, "submit-host", "submission endpoint (default: the cloud's, smtp.office365.com)")
	portVar(fs, &o.submit.port, "submit-port", probe.DefaultSubmitPort, "submission port (STARTTLS)")
	resolverVar(fs, &o.resolver, "resolver", "DNS server host[:port] to ask (default: the system's resolver)")
	ipv4ListVar(fs, &o.expectIP, "expect-ip", "the connector's SenderIPAddresses, comma-separated: the site's IPv4 must be one of them")
	ipv4Var(fs, &o.publicIP, "public-ip", "use this public IPv4 instead of detecting it")
	fs.StringVar(&o.helo, "helo", "", "EHLO name (default: this machine's name)")
	fs.StringVar(&o.submit.auth, "auth", "", "how the device signs in on port 587: oauth or basic (default: whichever credentials the environment holds; none: no sign-in is tried)")
	addressVar(fs, &o.submit.user, "user", "mailbox to sign in as (default: --from)")
	fs.StringVar(&o.submit.tenant, "tenant", "", "tenant ID or a verified domain of the tenant (oauth)")
	fs.StringVar(&o.submit.clientID, "client-id", "", "application (client) ID of the app registration (oauth)")
	o.submit.app.prefix = "client-"
	o.submit.app.register(fs,
		"app certificate, PEM (with --client-key, or with the key in the same file) instead of a client secret",
		"private key of --client-cert, PEM (RSA)",
		"app certificate and key as PFX/P12 (password: "+envPFXPassword+" or a prompt)")
	fs.StringVar(&o.submit.cloud, "cloud", "global", "Microsoft 365 cloud: "+strings.Join(cloud.Names(), ", "))
	o.timeouts.register(fs)
	o.out.register(fs)
	o.out.registerReport(fs)
	o.out.registerMonitor(fs)
	return fs
}

// siteUsage is printed after the flags by --help.
const siteUsage = `site tries every path from this machine at once and nothing is delivered:
relay through a connector and Direct Send (port 25 to the MX, SPF of the sender
domain), and SMTP AUTH (port 587: STARTTLS, the AUTH mechanisms offered, and the
sign-in when credentials are given).

Credentials never go on the command line. The sign-in is tried when the
environment holds them:
  ` + envClientSecret + `  with --tenant and --client-id (or --client-pfx):
                          an app token
  ` + envAccessToken + `   a token acquired elsewhere
  ` + envPassword + `       the mailbox's password (AUTH LOGIN, being retired)
Without any, port 587 is checked up to the mechanisms offered, and no sign-in is
tried.
`

func runSite(ctx context.Context, e *env, args []string) (check.Status, error) {
	return runSiteWith(ctx, e, args, nil)
}

// runSiteWith parses the flags of site, reads the credentials there are, runs every path and
// renders the table. tweak, when set, adjusts the options after parsing (the demo points the
// hooks at its simulator).
func runSiteWith(ctx context.Context, e *env, args []string, tweak func(*probe.SiteOptions)) (check.Status, error) {
	var so siteOptions
	fs := so.flags()
	if done, err := parseFlags(e, fs, "site", args); done {
		return check.Pass, err
	}
	opts, err := so.options(e)
	if err != nil {
		return "", err
	}
	r, err := so.out.renderer(e)
	if err != nil {
		return "", err
	}
	if opts.Submit.Auth != probe.AuthNotTried {
		if err := so.submit.credentials(e, &opts.Submit); err != nil {
			return "", err
		}
	}
	r.ticket.Inputs = siteInputs(opts, so.submit.app.file())
	opts.Version = version
	opts.Port25.Proxy = webproxy.FromEnvironment(e.getenv)
	opts.Submit.Proxy = opts.Port25.Proxy
	logf := so.out.logf(e)
	opts.Port25.Logf, opts.Submit.Logf = logf, logf
	if r.status != nil {
		// One status line for the three runs: it shows the wait that has lasted longest.
		opts.Port25.OnStage, opts.Submit.OnStage = r.status.update, r.status.update
	}
	if tweak != nil {
		tweak(&opts)
	}
	return r.reportSite(report.Site{Site: probe.RunSite(ctx, opts)})
}

// siteInputs are the inputs of a site run for its report: the port-25 endpoint's (the MX
// unless --host), the submission endpoint's and the sign-in's; certificate is the file of the
// app certificate, "" for none.
func siteInputs(o probe.SiteOptions, certificate string) report.Inputs {
	p, s := o.Port25, o.Submit
	in := report.Inputs{
		From: p.From, To: p.To, Domain: p.Domain, Host: p.Host, Port: p.Port,
		SubmitHost: s.Host, SubmitPort: s.Port, PublicIP: addrString(p.PublicIP),
		User: s.User, Auth: s.Auth, Tenant: s.Tenant, ClientID: s.ClientID, Cloud: s.Cloud, Certificate: certificate,
		Resolver: p.Resolver, Helo: p.Helo,
	}
	for _, a := range p.ExpectIP {
		in.ExpectIP = append(in.ExpectIP, a.String())
	}
	return in
}

// options validates the flags into the site's options. The sign-in method is the one --auth
// names, else the one the environment and flags hold credentials for, else none is tried.
func (so *siteOptions) options(e *env) (probe.SiteOptions, error) {
	var o probe.SiteOptions
	if err := requireAddresses(so.from, so.to); err != nil {
		return o, err
	}
	domain := so.domain
	if domain == "" {
		domain = domainPart(so.from)
	}
	o.Port25 = probe.Options{
		Domain: domain, From: so.from, To: so.to, Host: so.host, Port: so.port,
		Resolver: so.resolver, Helo: so.helo, ExpectIP: so.expectIP, PublicIP: so.publicIP,
	}
	sub := &so.submit
	auth := strings.ToLower(strings.TrimSpace(sub.auth))
	if auth == "" {
		auth = so.detectAuth(e)
	}
	switch auth {
	case probe.AuthOAuth, probe.AuthBasic, probe.AuthNotTried:
	default:
		return o, usagef("--auth %q: use oauth or basic (or leave it out: the credentials in the environment decide)", sub.auth)
	}
	if _, ok := cloud.Lookup(sub.cloud); !ok {
		return o, usagef("--cloud %q: use one of %s", sub.cloud, strings.Join(cloud.Names(), ", "))
	}
	if auth == probe.AuthBasic && (sub.app.given() || sub.app.key != "" || sub.tenant != "" || sub.clientID != "") {
		return o, usagef("--auth basic signs in with the mailbox's password: leave out --tenant, --client-id and the certificate flags")
	}
	if err := sub.app.validate(); err != nil {
		return o, err
	}
	o.Submit = probe.SubmitOptions{
		From: so.from, To: so.to, User: sub.user, Auth: auth, Cloud: sub.cloud,
		Host: sub.host, Port: sub.port, Resolver: so.resolver, Helo: so.helo,
		Tenant: strings.TrimSpace(sub.tenant), ClientID: strings.TrimSpace(sub.clientID),
	}
	var err error
	if o.Timeout, o.Port25.ConnectTimeout, o.Port25.ReplyTimeout, err = so.timeouts.values(); err != nil {
		return o, err
	}
	o.Submit.ConnectTimeout, o.Submit.ReplyTimeout = o.Port25.ConnectTimeout, o.Port25.ReplyTimeout
	return o, nil
}

// detectAuth picks the sign-in the given credentials allow when --auth is left out: an app
// (a token in the environment, or the app registration on the command line), else a mailbox
// password in the environment, else none: no sign-in is tried.
func (so *siteOptions) detectAuth(e *env) string {
	sub := &so.submit
	switch {
	case strings.TrimSpace(e.getenv(envAccessToken)) != "",
		sub.tenant != "" || sub.clientID != "" || sub.app.given():
		return probe.AuthOAuth
	case e.getenv(envPassword) != "":
		return probe.AuthBasic
	}
	return probe.AuthNotTried
}
