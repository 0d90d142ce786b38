package probe

import (
	"context"
	"crypto"
	"crypto/x509"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/cloud"
	"github.com/exoprobe/exoprobe/probe/code"
	"github.com/exoprobe/exoprobe/probe/kb"
	"github.com/exoprobe/exoprobe/probe/oauth"
	"github.com/exoprobe/exoprobe/probe/tenant"
)

// tenantChecks are the checks of exoprobe tenant, in report order.
var tenantChecks = []check.ID{check.Exchange, check.Entra}

// The stages of exoprobe tenant.
const (
	stageExchange stageName = "exchange" // Exchange Online's configuration, through the Admin API
	stageEntra    stageName = "entra"    // the sending app's registration, through Graph
)

// TenantAccess is how a run reads the tenant: the read-only app (Tenant, ClientID and a
// credential) that exoprobe tenant and the --tenant-check of relay and direct sign in with.
type TenantAccess struct {
	Cloud    string // --cloud; "" is global
	Tenant   string // tenant id or a verified domain
	ClientID string // the reading app
	// ClientSecret, or ClientCerts and ClientKey, are the reading app's credential. Never shown.
	ClientSecret string
	ClientCerts  []*x509.Certificate
	ClientKey    crypto.PrivateKey

	// Hooks for tests and the demo: the login base (the tenant is appended), the Admin API and
	// Graph bases, and the clients that carry their calls. Empty: the cloud's.
	LoginURL           string
	TokenHTTPClient    *http.Client
	AdminURL, GraphURL string
	APIHTTPClient      *http.Client
}

// TenantOptions are what exoprobe tenant reads and what it judges the tenant against. The
// reading app needs only read permissions; the sending app (AppID) and the site (PublicIP,
// CertDomain, From) are what the configuration is compared with.
type TenantOptions struct {
	RunOptions
	TenantAccess

	Mailbox    string     // the mailbox the sending app signs in as
	AppID      string     // the sending app
	PublicIP   netip.Addr // the IPv4 Exchange Online sees the site come from
	CertDomain string     // the name on the site's certificate
	From       string     // the MAIL FROM address
}

// Tenant reads the tenant's configuration, read-only, and judges it: the "exchange" check
// (Exchange Online through the Admin API and the undocumented InvokeCommand endpoint) and the
// "entra" check (the sending app through Microsoft Graph) run at once, each with its own token.
func Tenant(ctx context.Context, o TenantOptions) *Report {
	o.defaults()
	cl, _ := cloud.Lookup(o.Cloud)
	// The target is the tenant, read through its cloud's Admin API host.
	target := Target{Domain: o.Tenant, Host: cl.AdminAPIHost}
	if u, err := url.Parse(o.AdminURL); err == nil && u.Host != "" {
		target.Host = u.Host
	}
	r := newRun(ctx, check.ModeTenant, target, &o.RunOptions, tenantChecks)
	in := tenant.Inputs{
		Mailbox: o.Mailbox, AppID: o.AppID, PublicIP: o.PublicIP, CertDomain: o.CertDomain,
		FromDomain: domainOf(o.From), Now: o.Now,
		CreateCommand: plannedFor(o.PublicIP, o.CertDomain).CreateCommand(),
	}
	o.tenantStages(r, in, true)
	return r.finish(kb.Context{
		Tenant: o.Tenant, AppID: o.AppID, Mailbox: o.Mailbox, PublicIP: o.PublicIP,
		CertDomain: o.CertDomain, From: o.From,
	})
}

// tenantStages adds the stages that read the tenant to the run r: exchange, and with withEntra
// entra (skipped, with the reason, when in names no sending app), at once. When exchange finds
// the app not registered in Exchange, it waits for the object ID of the app's service principal
// that entra found, so that New-ServicePrincipal's command comes whole; a Graph that does not
// answer holds it no longer than the run's deadline.
func (o *TenantAccess) tenantStages(r *run, in tenant.Inputs, withEntra bool) {
	if !withEntra {
		goStage(r, stageExchange, 0, func(ctx context.Context) struct{} {
			r.emit(o.readExchange(ctx, r, in))
			return struct{}{}
		})
		return
	}
	entra := goStage(r, stageEntra, 0, func(ctx context.Context) string {
		res, sp := o.readEntra(ctx, r, in)
		r.emit(res)
		return sp
	})
	goStage(r, stageExchange, 0, func(ctx context.Context) struct{} {
		in := in
		in.ServicePrincipalID = entra.wait
		r.emit(o.readExchange(ctx, r, in))
		return struct{}{}
	})
}

// client is a tenant client for the access's cloud (or its hooks), without tokens yet.
func (o *TenantAccess) client(cl cloud.Cloud, logf check.Logf) *tenant.Client {
	return &tenant.Client{
		HTTP: o.APIHTTPClient, Tenant: strings.TrimSpace(o.Tenant), Logf: logf,
		AdminBase: orString(o.AdminURL, "https://"+cl.AdminAPIHost),
		GraphBase: orString(o.GraphURL, "https://"+cl.GraphHost),
	}
}

// readExchange is the exchange check of a run r: the reading app's token for the Admin API,
// then the configuration judged against in.
func (o *TenantAccess) readExchange(ctx context.Context, r *run, in tenant.Inputs) *check.Result {
	cl, _ := cloud.Lookup(o.Cloud)
	r.waiting(stageExchange, "a token for the Exchange Online Admin API")
	tok, failed := o.token(ctx, check.Exchange, cl.AdminScope(), r.opts.Logf, r.opts.Now)
	if failed != nil {
		return failed
	}
	c := o.client(cl, r.opts.Logf)
	c.ExchangeToken = tok
	r.waiting(stageExchange, "the configuration of tenant "+o.Tenant+" from Exchange Online")
	return tenant.Exchange(ctx, c, in)
}

// readEntra is the entra check of a run r: the reading app's token for Microsoft Graph, then
// the registration of the sending app (in.AppID) judged; skipped, with the reason, without one.
// It also returns the object ID of the app's service principal, when it found one.
func (o *TenantAccess) readEntra(ctx context.Context, r *run, in tenant.Inputs) (*check.Result, string) {
	if in.AppID == "" {
		return tenant.Entra(ctx, nil, in), "" // skipped, with the reason
	}
	cl, _ := cloud.Lookup(o.Cloud)
	r.waiting(stageEntra, "a token for Microsoft Graph")
	tok, failed := o.token(ctx, check.Entra, cl.GraphScope(), r.opts.Logf, r.opts.Now)
	if failed != nil {
		return failed, ""
	}
	c := o.client(cl, r.opts.Logf)
	c.GraphToken = tok
	r.waiting(stageEntra, "the registration of app "+in.AppID+" from Microsoft Graph")
	return tenant.EntraApp(ctx, c, in)
}

// token asks Entra ID for the reading app's token for scope. When none comes, it returns the
// result of the check id carrying the token request's findings (AADSTS codes and all).
func (o *TenantAccess) token(ctx context.Context, id check.ID, scope string, logf check.Logf, now func() time.Time) (string, *check.Result) {
	cfg := oauth.Config{
		Cloud: o.Cloud, Tenant: o.Tenant, ClientID: o.ClientID, Secret: o.ClientSecret,
		Certs: o.ClientCerts, Key: o.ClientKey, Scope: scope,
		HTTPClient: o.TokenHTTPClient, Logf: logf, Now: now,
	}
	if o.LoginURL != "" && strings.TrimSpace(o.Tenant) != "" {
		cfg.Authority = strings.TrimSuffix(o.LoginURL, "/") + "/" + url.PathEscape(strings.TrimSpace(o.Tenant))
	}
	out := oauth.Acquire(ctx, cfg)
	if out.Token != "" && out.Result.Status != check.Fail {
		return out.Token, nil
	}
	res := check.New(id)
	res.Status = out.Result.Status
	res.DurationMS = out.Result.DurationMS
	res.Summary = "no token for " + scope + ": " + out.Result.Summary
	for k, v := range out.Result.Facts {
		res.Set("token_"+k, v)
	}
	res.Findings = append(res.Findings, out.Result.Findings...)
	if res.Status != check.Fail {
		res.Addf(check.Fail, code.TokenRequestFailed, "no token for %s", scope)
	}
	return "", res
}
