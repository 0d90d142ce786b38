package probe

import (
	"context"
	"crypto"
	"crypto/x509"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/cloud"
	"github.com/exoprobe/exoprobe/probe/dnscheck"
	"github.com/exoprobe/exoprobe/probe/kb"
	"github.com/exoprobe/exoprobe/probe/oauth"
	"github.com/exoprobe/exoprobe/probe/session"
	"github.com/exoprobe/exoprobe/probe/tenant"
)

// The sign-in methods of a submission (SubmitOptions.Auth).
const (
	AuthOAuth = session.AuthOAuth // AUTH XOAUTH2 with an app token from Entra ID
	AuthBasic = session.AuthBasic // AUTH LOGIN with the mailbox's password (being retired)
	AuthNone  = session.AuthNone  // no sign-in, as a device without credentials (refused: 5.7.57)
	// AuthNotTried stops after the mechanisms offered inside TLS: no credentials were given
	// (exoprobe site). Neither a token nor an envelope is tried.
	AuthNotTried = session.AuthNotTried
)

// DefaultSubmitPort is the port of Exchange Online's client submission endpoint (STARTTLS).
const DefaultSubmitPort = 587

// Check ids of a submission run, in report order.
var submitChecks = []check.ID{check.DNS, check.TCP, check.OAuth, check.SMTP, check.TLS, check.Auth, check.Send}

// SubmitChecks returns the ids of the checks a submission run makes, in report order.
func SubmitChecks() []check.ID { return append([]check.ID(nil), submitChecks...) }

// SubmitOptions configure a submission run. The credentials are never marshalled, logged or
// shown: the report carries "<redacted>" where the conversation sent them, and neither the
// token nor any secret appears in a fact, finding or transcript line. The zero value of every
// hook means the real thing: the cloud's login endpoint, the system's roots and proxy settings.
type SubmitOptions struct {
	From string
	To   []string
	// User is the mailbox to sign in as (XOAUTH2 user=, the LOGIN user name); From when empty.
	User string
	// Auth is AuthOAuth (the default), AuthBasic or AuthNone.
	Auth string
	// Cloud is the --cloud name ("" is global); it decides the login host, the token's audience
	// and the default submission host.
	Cloud string
	// Host is the submission endpoint; empty means the cloud's (smtp.office365.com).
	Host     string
	Port     int    // DefaultSubmitPort unless set
	Resolver string // "" = the system's resolver, else host[:port]
	Helo     string
	Send     bool
	// Skip are the checks left out (--skip). The endpoint is still looked up when dns is left
	// out; tls cannot be (credentials go only to a server whose chain verified), and a session
	// holds no envelope when auth is left out.
	Skip map[check.ID]bool

	// Tenant (id or verified domain) and ClientID (application id) of the app registration.
	Tenant, ClientID string
	// ClientSecret, or ClientCerts and ClientKey (RSA), is the app's credential; AccessToken is a
	// token acquired elsewhere (MSAL is skipped, its claims are still checked).
	ClientSecret string              `json:"-"`
	ClientCerts  []*x509.Certificate `json:"-"`
	ClientKey    crypto.PrivateKey   `json:"-"`
	AccessToken  string              `json:"-"`
	// Password is the mailbox's password for AuthBasic.
	Password string `json:"-"`

	RunOptions // RootCAs serve the SMTP server's chain; the control port is 443

	// ReplyTimeout bounds each SMTP reply (DefaultReplyTimeout), TokenTimeout the token request
	// (oauth.DefaultTimeout, and never more than Timeout).
	ReplyTimeout, TokenTimeout time.Duration

	// TenantCheck, when set, reads the tenant's configuration with this access, the read-only
	// app's (never the sending app's, which holds only SMTP.SendAsApp), concurrently with the
	// conversation, and judges what it means for this submission: the "exchange" check (the
	// mailbox's SMTP AUTH, the MAIL FROM domain, with OAuth the app's registration and rights in
	// Exchange, with a password the authentication policy) and, with OAuth, the "entra" check of
	// the sending app (--tenant-check).
	TenantCheck *TenantAccess

	// Hooks for tests and the demo.
	LoginURL        string       // replaces https://<cloud login host>; the tenant is appended
	TokenHTTPClient *http.Client // carries the token requests; nil: through Proxy, verified against RootCAs
}

func (o *SubmitOptions) defaults() cloud.Cloud {
	cl, ok := cloud.Lookup(o.Cloud)
	if !ok {
		// The oauth check reports the unknown name; the endpoint falls back to the worldwide one.
		cl = cloud.Global()
	}
	if o.Auth == "" {
		o.Auth = AuthOAuth
	}
	if o.User == "" {
		o.User = o.From
	}
	o.Host = strings.TrimSuffix(o.Host, ".")
	if o.Host == "" {
		o.Host = cl.SMTPHost
	}
	if o.Port == 0 {
		o.Port = DefaultSubmitPort
	}
	o.RunOptions.defaults(443)
	if o.ReplyTimeout <= 0 {
		o.ReplyTimeout = DefaultReplyTimeout
	}
	if o.TokenTimeout <= 0 {
		o.TokenTimeout = oauth.DefaultTimeout
	}
	o.TokenTimeout = min(o.TokenTimeout, o.Timeout)
	return cl
}

// hints are the run's values for the knowledge base's hints, once every stage has finished.
func (o *SubmitOptions) hints(conv session.Outcome) kb.Context {
	return kb.Context{
		Domain: domainOf(o.User), From: o.From, To: first(o.To), Host: o.Host, Port: o.Port,
		EchoIP: conv.EchoIP, Tenant: o.Tenant, AppID: o.ClientID, Mailbox: o.User,
	}
}

// Submit runs the client submission pre-flight (SMTP AUTH on port 587) and returns its report.
// The token request starts at once, alongside the DNS and TCP checks and the SMTP conversation,
// which waits for the token only when it reaches AUTH. A token that failed, or whose claims
// Exchange Online would refuse (no SMTP.SendAsApp, another audience), is never sent: the auth
// check is skipped with the reason.
func Submit(ctx context.Context, o SubmitOptions) *Report {
	rep, _ := submit(ctx, o)
	return rep
}

// submit is Submit, with the conversation's outcome for a run that reads more of it (Site).
func submit(ctx context.Context, o SubmitOptions) (*Report, session.Outcome) {
	cl := o.defaults()
	order := SubmitChecks()
	in := o.tenantInputs()
	if o.TenantCheck != nil {
		order = append(order, check.Exchange)
		if in.AppID != "" {
			order = append(order, check.Entra)
		}
	}
	r := newRun(ctx, check.ModeSubmit, Target{Host: o.Host, Port: o.Port}, &o.RunOptions, order)

	// entra and exchange: the tenant, read alongside everything else, since they read nothing
	// the other stages find.
	if a := o.TenantCheck; a != nil {
		a.tenantStages(r, in, in.AppID != "")
	}

	// oauth: the token, concurrently with everything up to AUTH.
	tok := goStage(r, stageToken, o.TokenTimeout, func(ctx context.Context) oauth.Outcome {
		if o.Skip[check.OAuth] {
			out := oauth.Outcome{Result: skipped(check.OAuth, leftOut)}
			r.emit(out.Result)
			return out
		}
		switch o.Auth {
		case AuthBasic, AuthNone, AuthNotTried:
			why := "not used with --auth basic: the mailbox's password signs in"
			switch o.Auth {
			case AuthNone:
				why = "not used with --auth none: the session does not sign in"
			case AuthNotTried:
				why = "not tried: no credentials given"
			}
			out := oauth.Outcome{Result: skipped(check.OAuth, why)}
			r.emit(out.Result)
			return out
		}
		r.waiting(stageToken, o.tokenWait(cl))
		out := oauth.Acquire(ctx, o.oauthConfig())
		r.emit(out.Result)
		return out
	})

	ep := goStage(r, stageEndpoint, DNSTimeout, func(ctx context.Context) dnscheck.EndpointOutcome {
		r.waiting(stageEndpoint, "the address of "+o.Host+" "+fromResolver(o.Resolver))
		out := dnscheck.Endpoint(ctx, dnscheck.Config{
			Mode: check.ModeSubmit, Cloud: cl, Host: o.Host, Resolver: o.Resolver, Timeout: DNSTimeout, Logf: o.Logf,
		})
		if o.Skip[check.DNS] {
			leaveOut(out.Result, "left out with --skip; the endpoint was still looked up to connect to it")
		}
		r.emit(out.Result)
		return out
	})
	tcp := tcpStage(r, ep, o.Port, "", o.Skip[check.TCP])
	conv := goStage(r, stageConversation, 0, func(ctx context.Context) session.Outcome {
		e := ep.wait()
		out := o.converse(ctx, e, tok)
		if !out.Connected {
			// Only a conversation that could not connect waits for the tcp check's verdict.
			_, network := endpointAddr(e, o.Port, true)
			unreached(&out, tcp.wait(), o.Port, network)
		}
		r.emit(out.SMTP, out.TLS, out.Auth, out.Send)
		return out
	}, ep)

	conversation := conv.wait()
	r.rep.Transcript = conversation.Transcript
	return r.finish(o.hints(conversation)), conversation
}

// tenantInputs are what the tenant's configuration is judged against for this submission: the
// mailbox that signs in (none with AuthNone), the MAIL FROM domain, and the sending app (OAuth)
// or the password (basic), whose authentication policy then counts.
func (o *SubmitOptions) tenantInputs() tenant.Inputs {
	in := tenant.Inputs{
		Path: check.ModeSubmit, Mailbox: o.User, FromDomain: domainOf(o.From),
		BasicAuth: o.Auth == AuthBasic, Now: o.Now,
	}
	switch o.Auth {
	case AuthOAuth:
		in.AppID = strings.TrimSpace(o.ClientID)
	case AuthNone:
		in.Mailbox = "" // nothing signs in: no mailbox's SMTP AUTH setting counts
	}
	return in
}

// converse holds the SMTP conversation with the submission host; at AUTH XOAUTH2 it waits for
// the token stage. Its four checks are skipped when the host has no address.
func (o *SubmitOptions) converse(ctx context.Context, ep dnscheck.EndpointOutcome, tok *stage[oauth.Outcome]) session.Outcome {
	addr, network := endpointAddr(ep, o.Port, true)
	if addr == "" || o.Skip[check.SMTP] {
		reason := "no address for the endpoint (see the dns check)"
		if o.Skip[check.SMTP] {
			reason = "the SMTP conversation was left out with --skip"
		}
		return session.Outcome{
			SMTP: skipped(check.SMTP, reason), TLS: skipped(check.TLS, reason), Auth: skipped(check.Auth, reason),
			Send: skipped(check.Send, reason), Transcript: []check.Line{},
		}
	}
	return session.Run(ctx, session.Config{
		Mode: check.ModeSubmit, Host: ep.Host, Addr: addr, Port: o.Port, Network: network,
		Helo: o.Helo, From: o.From, To: o.To, Send: o.Send, LeaveOut: o.Skip,
		Auth: o.Auth, User: o.User, Password: o.Password, AppID: o.ClientID,
		// The token stage ends by its own deadline, within the run's: waiting for it is safe.
		AwaitToken:     func(context.Context) (string, string) { return tok.wait().Usable() },
		ConnectTimeout: o.ConnectTimeout, ReplyTimeout: o.ReplyTimeout, RootCAs: o.RootCAs,
		Logf: o.Logf, Now: o.Now, OnWait: o.waitFunc(stageConversation),
	})
}

// tokenWait says what the token stage waits for, for OnStage.
func (o *SubmitOptions) tokenWait(cl cloud.Cloud) string {
	if o.AccessToken != "" {
		return "the check of the access token"
	}
	host := cl.LoginHost
	if u, err := url.Parse(o.LoginURL); err == nil && u.Host != "" {
		host = u.Host
	}
	return "an access token from " + host
}

// oauthConfig is the oauth check's configuration for the run.
func (o *SubmitOptions) oauthConfig() oauth.Config {
	cfg := oauth.Config{
		Cloud: o.Cloud, Tenant: o.Tenant, ClientID: o.ClientID, Secret: o.ClientSecret,
		Certs: o.ClientCerts, Key: o.ClientKey, AccessToken: o.AccessToken,
		HTTPClient: o.TokenHTTPClient, Proxy: o.Proxy, RootCAs: o.RootCAs, Timeout: o.TokenTimeout, Logf: o.Logf, Now: o.Now,
	}
	if o.LoginURL != "" && strings.TrimSpace(o.Tenant) != "" {
		cfg.Authority = strings.TrimSuffix(o.LoginURL, "/") + "/" + url.PathEscape(strings.TrimSpace(o.Tenant))
	}
	return cfg
}
