package probe

import (
	"context"
	"crypto"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/dnscheck"
	"github.com/exoprobe/exoprobe/probe/kb"
	"github.com/exoprobe/exoprobe/probe/oauth"
	"github.com/exoprobe/exoprobe/probe/roots"
	"github.com/exoprobe/exoprobe/probe/session"
)

// ModeSubmit is the mode of an SMTP AUTH client submission run (exoprobe submit).
const ModeSubmit = "submit"

// The sign-in methods of a submission (SubmitOptions.Auth).
const (
	AuthOAuth = session.AuthOAuth // AUTH XOAUTH2 with an app token from Entra ID
	AuthBasic = session.AuthBasic // AUTH LOGIN with the mailbox's password (being retired)
)

// DefaultSubmitPort is the port of Exchange Online's client submission endpoint (STARTTLS).
const DefaultSubmitPort = 587

// Check ids of a submission run, in report order.
var submitChecks = []string{"dns", "tcp", "oauth", "smtp", "tls", "auth", "send"}

// SubmitChecks returns the ids of the checks a submission run makes, in report order.
func SubmitChecks() []string { return append([]string(nil), submitChecks...) }

// SubmitOptions configure a submission run. The credentials are never marshalled, logged or
// shown: the report carries "<redacted>" where the conversation sent them, and neither the
// token nor any secret appears in a fact, finding or transcript line. The zero value of every
// hook means the real thing: the cloud's login endpoint, the system's roots and proxy settings.
type SubmitOptions struct {
	From string
	To   []string
	// User is the mailbox to sign in as (XOAUTH2 user=, the LOGIN user name); From when empty.
	User string
	// Auth is AuthOAuth (the default) or AuthBasic.
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

	// Hooks for tests and the demo.
	LoginURL        string       // replaces https://<cloud login host>; the tenant is appended
	TokenHTTPClient *http.Client // carries the token requests; nil: the system's proxy and roots
}

func (o *SubmitOptions) defaults() oauth.Cloud {
	cloud, ok := oauth.LookupCloud(o.Cloud)
	if !ok {
		// The oauth check reports the unknown name; the endpoint falls back to the worldwide one.
		cloud, _ = oauth.LookupCloud("")
	}
	if o.Auth == "" {
		o.Auth = AuthOAuth
	}
	if o.User == "" {
		o.User = o.From
	}
	o.Host = strings.TrimSuffix(o.Host, ".")
	if o.Host == "" {
		o.Host = cloud.SMTPHost
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
	return cloud
}

// vars are the values from the run that fill the knowledge base's fix steps.
func (o *SubmitOptions) vars() kb.Vars {
	v := kb.Vars{"from": o.From, "from_domain": domainOf(o.From), "mailbox": o.User, "host": o.Host,
		"port": strconv.Itoa(o.Port)}
	if len(o.To) > 0 {
		v["to"] = o.To[0]
		v["to_domain"] = domainOf(o.To[0])
	}
	if o.Tenant != "" {
		v["tenant"] = o.Tenant
	}
	if o.ClientID != "" {
		v["app_id"] = o.ClientID
	}
	if d := domainOf(o.User); d != "" {
		v["domain"] = d
	}
	return v
}

// Submit runs the client submission pre-flight (SMTP AUTH on port 587) and returns its report.
// The token request starts at once, alongside the DNS and TCP checks and the SMTP conversation,
// which waits for the token only when it reaches AUTH. A token that failed, or whose claims
// Exchange Online would refuse (no SMTP.SendAsApp, another audience), is never sent: the auth
// check is skipped with the reason.
func Submit(ctx context.Context, o SubmitOptions) *Report {
	roots.Preload(o.RootCAs) // read while the network stages run, for the certificate checks
	cloud := o.defaults()
	started := o.Now()
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()

	rep := NewReport(ModeSubmit, o.Version, started, Target{Host: o.Host, Port: o.Port})
	col := newCollector(o.OnCheck)
	vars := o.vars() // read by several goroutines; never written once they start

	// oauth: the token, concurrently with everything up to AUTH.
	tokenDone := make(chan struct{})
	var tok oauth.Outcome
	if o.Auth == AuthBasic {
		col.emit(skipped("oauth", "not used with --auth basic: the mailbox's password signs in"))
		close(tokenDone)
	} else {
		go func() {
			defer close(tokenDone)
			tok = oauth.Acquire(ctx, o.oauthConfig(o.vars()))
			col.emit(tok.Result)
		}()
	}
	// No goroutine outlives the run: the token request is bounded by ctx.
	defer func() { <-tokenDone }()

	ep := o.endpoint(ctx, cloud, vars)
	col.emit(ep.Result)

	done := make(chan struct{})
	go func() {
		defer close(done)
		col.emit(tcpCheck(ctx, ep, o.Port, o.ControlPorts, "", o.ConnectTimeout, o.Logf, vars))
	}()

	addr, network := endpointAddr(ep, o.Port, true)
	if addr == "" {
		for _, id := range []string{"smtp", "tls", "auth", "send"} {
			col.emit(skipped(id, "no address for the endpoint (see the dns check)"))
		}
	} else {
		out := session.Run(ctx, session.Config{
			Mode: session.ModeSubmit, Host: ep.Host, Addr: addr, Port: o.Port, Network: network,
			Helo: o.Helo, From: o.From, To: o.To, Send: o.Send,
			Auth: o.Auth, User: o.User, Password: o.Password,
			AwaitToken: func(ctx context.Context) (string, string) {
				select {
				case <-tokenDone:
				case <-ctx.Done():
					return "", "the run's time limit (--timeout) ran out while waiting for the access token (see the oauth check)"
				}
				return usableToken(tok)
			},
			ConnectTimeout: o.ConnectTimeout, ReplyTimeout: o.ReplyTimeout, RootCAs: o.RootCAs,
			Vars: vars, Logf: o.Logf, Now: o.Now,
		})
		rep.Transcript = out.Transcript
		col.emit(out.SMTP)
		col.emit(out.TLS)
		col.emit(out.Auth)
		col.emit(out.Send)
	}
	<-done
	<-tokenDone
	col.finish(rep, submitChecks, started, o.Now)
	return rep
}

// oauthConfig is the oauth check's configuration for the run.
func (o *SubmitOptions) oauthConfig(vars kb.Vars) oauth.Config {
	cfg := oauth.Config{
		Cloud: o.Cloud, Tenant: o.Tenant, ClientID: o.ClientID, Secret: o.ClientSecret,
		Certs: o.ClientCerts, Key: o.ClientKey, AccessToken: o.AccessToken,
		HTTPClient: o.TokenHTTPClient, Timeout: o.TokenTimeout, Vars: vars, Logf: o.Logf, Now: o.Now,
	}
	if o.LoginURL != "" && strings.TrimSpace(o.Tenant) != "" {
		cfg.Authority = strings.TrimSuffix(o.LoginURL, "/") + "/" + url.PathEscape(strings.TrimSpace(o.Tenant))
	}
	return cfg
}

// usableToken returns the token the oauth check obtained when Exchange Online can accept it, or
// "" and why AUTH is not tried: a refused request, or claims that would get 535 5.7.3.
func usableToken(tok oauth.Outcome) (token, reason string) {
	r := tok.Result
	if r == nil {
		return "", "no access token (see the oauth check)"
	}
	if r.Status == check.Fail {
		for _, f := range r.Findings {
			if f.Severity != check.Fail {
				continue
			}
			switch f.Code {
			case "token-missing-role":
				return "", "the token lacks the SMTP.SendAsApp permission, so Exchange Online would refuse it with 535 5.7.3; " +
					"AUTH was not tried (see the oauth check)"
			case "token-wrong-audience":
				return "", "the token is for another resource than Exchange Online, which would refuse it with 535 5.7.3; " +
					"AUTH was not tried (see the oauth check)"
			}
			return "", "no usable access token (" + f.Code + "); AUTH was not tried (see the oauth check)"
		}
	}
	if tok.Token == "" {
		return "", "no access token (see the oauth check)"
	}
	return tok.Token, ""
}

// submissionHosts are the client submission endpoints of Exchange Online beyond the cloud table:
// the opt-in legacy-TLS endpoint and the High Volume Email names (facts §3: HVE may move to
// smtp.hve.mx.microsoft, so both names are accepted).
var submissionHosts = []string{"smtp-legacy.office365.com", "smtp.hve.mx.microsoft", "outlook.office365.com"}

// isSubmissionHost reports whether host is one of Exchange Online's client submission endpoints.
func isSubmissionHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	for _, c := range oauth.Clouds() {
		if h == c.SMTPHost || (c.HVEHost != "" && h == c.HVEHost) {
			return true
		}
	}
	return slices.Contains(submissionHosts, h)
}

// endpoint is the dns check of a submission: the addresses of the submission host. The host is
// not an MX, so dnscheck's words for a host given in place of the MX are replaced by the
// submission's own.
func (o *SubmitOptions) endpoint(ctx context.Context, cloud oauth.Cloud, vars kb.Vars) dnscheck.EndpointOutcome {
	dctx, cancel := context.WithTimeout(ctx, DNSTimeout)
	defer cancel()
	ep := dnscheck.Endpoint(dctx, dnscheck.Config{
		Mode: ModeSubmit, Host: o.Host, Resolver: o.Resolver, Timeout: DNSTimeout, Logf: o.Logf, Vars: vars,
	})
	in := ep.Result
	r := check.New("dns")
	r.DurationMS = in.DurationMS
	for k, v := range in.Facts {
		switch k {
		case "host_source", "is_exo", "exo_cloud":
		default:
			r.Facts[k] = v
		}
	}
	for _, f := range in.Findings {
		switch f.Code {
		case "host-override", "mx-not-exo":
			// An MX's words: the submission host is chosen, not found.
		default:
			r.Add(f)
		}
	}
	if in.Status == check.Skip {
		r.Status = check.Skip
	}
	defaultHost := strings.EqualFold(o.Host, cloud.SMTPHost)
	source := "the submission endpoint of " + cloud.Title
	if !defaultHost {
		source = "--host"
	}
	r.Set("host_source", source)
	known := isSubmissionHost(ep.Host)
	r.Set("is_exo", known)
	if !known {
		msg := fmt.Sprintf("%s (given with --host) is not one of Exchange Online's client submission endpoints (%s for %s; "+
			"smtp-hve.office365.com for High Volume Email). The checks that follow talk to it, but what they find says nothing "+
			"about Exchange Online.", ep.Host, cloud.SMTPHost, cloud.Title)
		if a, err := netip.ParseAddr(ep.Host); err == nil {
			msg += fmt.Sprintf(" An address such as %s cannot be checked against the server's certificate, which names "+
				"%s: give the host name.", a, cloud.SMTPHost)
		}
		r.Add(check.Finding{Severity: check.Warn, Code: "submit-host-unknown", Message: msg, Hint: kb.Hint("submit-host-unknown", vars)})
	}
	if r.Status != check.Skip {
		what := "Exchange Online submission"
		if !known {
			what = "not a known Exchange Online submission endpoint"
		}
		r.Summary = fmt.Sprintf("%s (%s), %d IPv4", ep.Host, what, len(ep.Addrs4))
		if len(ep.Addrs6) > 0 {
			r.Summary += fmt.Sprintf(", %d IPv6", len(ep.Addrs6))
		} else {
			r.Summary += ", no IPv6"
		}
		if len(ep.Addrs4)+len(ep.Addrs6) == 0 {
			r.Summary = ep.Host + ": no address"
		}
	} else {
		r.Summary = in.Summary
	}
	ep.Result = r
	ep.IsEXO = known
	return ep
}

// tcp is the tcp check of a submission: the submission port on each address family, 443 as the
// control.
