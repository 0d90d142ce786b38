package main

import (
	"context"
	"strings"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/cloud"
	"github.com/exoprobe/exoprobe/probe/webproxy"
	"github.com/exoprobe/exoprobe/report"
)

// submitOptions are the flags of submit. No flag carries a secret: the client secret, the
// password, the PFX password and an access token come from the environment or a prompt.
type submitOptions struct {
	from, user, auth, tenant, clientID, cloud, host, resolver, helo string
	app                                                             credentialFiles // the app's certificate
	to                                                              []string
	skip                                                            []check.ID
	port                                                            int
	send                                                            bool
	tenantCheck                                                     tenantCheckFlags // the reading app
	timeouts                                                        timeoutOptions
	out                                                             outputOptions
}

func (o *submitOptions) flags() *pflag.FlagSet {
	fs := pflag.NewFlagSet("submit", pflag.ContinueOnError)
	fs.SortFlags = false
	addressVar(fs, &o.from, "from", "MAIL FROM address the application sends as (required)")
	addressListVar(fs, &o.to, "to", "recipient address(es), separated by commas or semicolons (required)")
	fs.StringVar(&o.auth, "auth", probe.AuthOAuth, "how the application signs in: oauth (AUTH XOAUTH2, an Entra app token), basic (AUTH LOGIN, user name and password; being retired) or none (no sign-in, as a device without credentials; Exchange Online refuses it with 5.7.57)")
	addressVar(fs, &o.user, "user", "mailbox to sign in as (default: --from)")
	fs.StringVar(&o.tenant, "tenant", "", "tenant ID or a verified domain of the tenant (oauth; with --tenant-check, the tenant read)")
	fs.StringVar(&o.clientID, "client-id", "", "application (client) ID of the app registration (oauth)")
	o.app.prefix = "client-"
	o.app.register(fs,
		"app certificate, PEM (with --client-key, or with the key in the same file) instead of a client secret",
		"private key of --client-cert, PEM (RSA: the sign-in library signs with RSA only)",
		"app certificate and key as PFX/P12 (password: "+envPFXPassword+" or a prompt)")
	fs.StringVar(&o.cloud, "cloud", "global", "Microsoft 365 cloud: "+strings.Join(cloud.Names(), ", "))
	hostVar(fs, &o.host, "host", "submission endpoint (default: the cloud's, smtp.office365.com; smtp-hve.office365.com for High Volume Email)")
	portVar(fs, &o.port, "port", probe.DefaultSubmitPort, "submission port (STARTTLS)")
	resolverVar(fs, &o.resolver, "resolver", "DNS server host[:port] to ask (default: the system's resolver)")
	heloVar(fs, &o.helo, "helo", "EHLO name (default: this machine's name)")
	fs.BoolVar(&o.send, "send", false, "really send a clearly marked test message (default: stop after RCPT TO, deliver nothing; Send As is checked only when a message is sent)")
	o.tenantCheck.registerReader(fs)
	skippable := []check.ID{check.DNS, check.TCP, check.OAuth, check.SMTP, check.Auth, check.Send}
	skipVar(fs, &o.skip, "submit", skippable, map[check.ID]string{
		check.TLS: "credentials go only to a server whose certificate was judged and verified",
	}, "checks to leave out, comma-separated: "+joinIDs(skippable, ",")+"; one left out cannot decide the verdict (dns still"+
		" finds the endpoint; without oauth there is no token to sign in with; without auth the session stops before MAIL FROM;"+
		" send stops before MAIL FROM). tls cannot be left out")
	refuseVar(fs, "public-ip", false, "has no meaning for submit: a submission is recognised by its sign-in, not by the address it comes from; "+
		"exoprobe relay and connector use the public IP")
	o.timeouts.register(fs)
	o.out.register(fs)
	o.out.registerReport(fs)
	o.out.registerMonitor(fs)
	return fs
}

// submitUsage is printed after the flags by --help.
const submitUsage = `Secrets never go on the command line (shell history, process lists). Set them
in the environment, or leave them out and exoprobe asks without echo:
  ` + envClientSecret + `  the app's client secret (its Value, not its Secret ID)
  ` + envPassword + `       the mailbox's password (--auth basic)
  ` + envPFXPassword + `   the password of --client-pfx
  ` + envAccessToken + `   a token acquired elsewhere: no token request, its
                          claims are still checked

--tenant-check reads the tenant while the submission runs (read-only, as
"exoprobe tenant" does) and judges what it means for this submission: the
mailbox's SMTP AUTH setting (set on the mailbox, or inherited from the tenant),
the MAIL FROM domain, with --auth oauth the sending app's registration in
Exchange, its FullAccess or SendAs on the mailbox, its secrets, certificates
and SMTP.SendAsApp, with --auth basic the authentication policy that applies.
Two apps take part, so the reading app has flags of its own:
  --tenant, --cloud          the tenant, shared by both apps
  --client-id, --client-*    the SENDING app (holds only SMTP.SendAsApp, cannot
                             read the tenant)
  --reader-id, --reader-*    the READING app ("exoprobe tenant --setup" shows
                             how to create it)
The reading app's secrets, never on the command line either:
  ` + envReaderSecret + `         the reading app's client secret
  ` + envReaderPFXPassword + `   the password of --reader-pfx
`

func runSubmit(ctx context.Context, e *env, args []string) (check.Status, error) {
	return runSubmitWith(ctx, e, args, nil)
}

// runSubmitWith parses the flags of submit, reads the credentials, runs the probe and renders
// it. tweak, when set, adjusts the options after parsing (the demo points the hooks at its
// simulator).
func runSubmitWith(ctx context.Context, e *env, args []string, tweak func(*probe.SubmitOptions)) (check.Status, error) {
	var so submitOptions
	fs := so.flags()
	if done, err := parseFlags(e, fs, "submit", args); done {
		return check.Pass, err
	}
	opts, err := so.options()
	if err != nil {
		return "", err
	}
	r, err := so.out.renderer(e)
	if err != nil {
		return "", err
	}
	if err := so.credentials(e, &opts); err != nil {
		return "", err
	}
	if opts.TenantCheck, err = so.tenantCheck.access(e); err != nil {
		return "", err
	}
	r.ticket.Inputs = report.Inputs{
		From: opts.From, To: opts.To, Host: opts.Host, Port: opts.Port, User: opts.User, Auth: opts.Auth,
		Tenant: opts.Tenant, ClientID: opts.ClientID, Cloud: opts.Cloud, Certificate: so.app.file(),
		Resolver: opts.Resolver, Helo: opts.Helo, Send: &opts.Send,
	}
	if a := opts.TenantCheck; a != nil {
		r.ticket.Inputs.ReaderID = a.ClientID
	}
	opts.Version = version
	opts.Proxy = webproxy.FromEnvironment(e.getenv)
	opts.Logf = so.out.logf(e)
	r.hooks(&opts.RunOptions)
	if tweak != nil {
		tweak(&opts)
	}
	return render(r, probe.Submit(ctx, opts))
}

// options validates the flags into probe options; the credentials are read separately.
func (so *submitOptions) options() (probe.SubmitOptions, error) {
	o := probe.SubmitOptions{
		From: so.from, To: so.to, User: so.user, Auth: strings.ToLower(so.auth), Cloud: so.cloud,
		Host: so.host, Port: so.port, Resolver: so.resolver, Helo: so.helo, Send: so.send,
		Tenant: strings.TrimSpace(so.tenant), ClientID: strings.TrimSpace(so.clientID),
		Skip: skipSet(so.skip),
	}
	if err := requireAddresses(so.from, so.to); err != nil {
		return o, err
	}
	switch o.Auth {
	case probe.AuthOAuth, probe.AuthBasic, probe.AuthNone:
	default:
		return o, usagef("--auth %q: use oauth, basic or none", so.auth)
	}
	if _, ok := cloud.Lookup(so.cloud); !ok {
		return o, usagef("--cloud %q: use one of %s", so.cloud, strings.Join(cloud.Names(), ", "))
	}
	// Without OAuth there is no app that signs in; --tenant stays only as the tenant that
	// --tenant-check reads.
	if o.Auth != probe.AuthOAuth && (so.app.given() || so.app.key != "" || (so.tenant != "" && !so.tenantCheck.on) || so.clientID != "") {
		if o.Auth == probe.AuthNone {
			return o, usagef("--auth none does not sign in: leave out --tenant (unless --tenant-check reads it), --client-id and the certificate flags")
		}
		return o, usagef("--auth basic signs in with the mailbox's password: leave out --tenant (unless --tenant-check reads it), --client-id and the --client-* certificate flags")
	}
	if err := so.app.validate(); err != nil {
		return o, err
	}
	// The tenant read is the send's, in the same cloud; the reading app is its own.
	so.tenantCheck.tenant, so.tenantCheck.cloud = o.Tenant, o.Cloud
	if err := so.tenantCheck.validate(); err != nil {
		return o, err
	}
	var err error
	if o.Timeout, o.ConnectTimeout, o.ReplyTimeout, err = so.timeouts.values(); err != nil {
		return o, err
	}
	return o, nil
}

// credentials reads what the run signs in with: the password (basic), or a token from the
// environment, a certificate, or the client secret (oauth). Values come from the environment
// or the no-echo prompt, never from a flag, and are never printed.
func (so *submitOptions) credentials(e *env, o *probe.SubmitOptions) error {
	if o.Auth == probe.AuthNone {
		return nil
	}
	if o.Auth == probe.AuthBasic {
		p, err := readSecret(e, envPassword, "Password of "+orDefault(o.User, o.From))
		if err != nil {
			return err
		}
		o.Password = p
		return nil
	}
	if t := strings.TrimSpace(e.getenv(envAccessToken)); t != "" {
		o.AccessToken = t
		return nil
	}
	if o.Tenant == "" {
		return usagef("--tenant is required with --auth oauth: the tenant ID (Entra admin centre > Overview > Tenant ID) or a verified domain")
	}
	if o.ClientID == "" {
		return usagef("--client-id is required with --auth oauth: the Application (client) ID from App registrations > your app > Overview")
	}
	switch {
	case so.app.given():
		b, err := so.app.load(e, "the app signs its token request with the key")
		if err != nil {
			return err
		}
		o.ClientCerts, o.ClientKey = b.Chain, b.Key
	default:
		s, err := readSecret(e, envClientSecret, "Client secret of app "+o.ClientID)
		if err != nil {
			return err
		}
		o.ClientSecret = s
	}
	return nil
}

func orDefault(s, def string) string {
	if s != "" {
		return s
	}
	return def
}
