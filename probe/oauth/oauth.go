// Package oauth is the "oauth" check of `exoprobe submit`: it obtains an app-only access token for
// Exchange Online by the client-credentials grant through the Microsoft Authentication Library
// (MSAL Go), decodes a refusal by its AADSTS code, and reads the token's claims (without verifying
// them) to catch, before any SMTP is tried, the token that Exchange Online will refuse: no
// SMTP.SendAsApp role, the wrong audience, tenant or app, or an expired token.
//
// The check never prints, and neither the client secret nor the token appears in any fact,
// finding, summary or log line: Outcome.Token is the only place the token is handed out.
package oauth

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/cloud"
	"github.com/exoprobe/exoprobe/probe/code"
	"github.com/exoprobe/exoprobe/probe/webproxy"
)

// Named limits and timeouts of the check.
const (
	// DefaultTimeout bounds the whole token request: tenant discovery plus the token call. Entra
	// ID answers in well under a second; an authenticating proxy can add a few seconds. It stays
	// below the run's default --timeout so that a silent endpoint is reported, not the run killed.
	DefaultTimeout = 20 * time.Second
	// MaxResponseBytes bounds every response body read from the token endpoint: a real answer
	// is a few KB, a proxy's error page some tens of KB.
	MaxResponseBytes = 1 << 20
	// CertExpiryWarning is how soon before its expiry a client certificate is called expiring.
	CertExpiryWarning = 30 * 24 * time.Hour
	// ClockSkew is how far a token's nbf may lie ahead of this machine's clock before the
	// token is called not yet valid.
	ClockSkew = 5 * time.Minute
)

// Config is what the oauth check needs. A credential is a client secret, a certificate (Certs and
// Key), or an access token acquired elsewhere (MSAL is then skipped and the claims still checked).
type Config struct {
	// Cloud is the --cloud name ("" is global); see cloud.Lookup.
	Cloud string
	// Tenant is the tenant id (GUID) or a verified domain of the tenant.
	Tenant string
	// ClientID is the application (client) id of the app registration.
	ClientID string
	// Secret is the client secret (from EXOPROBE_CLIENT_SECRET or a prompt). Never shown.
	Secret string
	// Certs and Key are a certificate credential; Key must be RSA (MSAL signs with RSA only).
	// When both a certificate and a secret are given, the certificate is used.
	Certs []*x509.Certificate
	Key   crypto.PrivateKey
	// AccessToken is a token acquired elsewhere (EXOPROBE_ACCESS_TOKEN). Never shown.
	AccessToken string
	// Authority overrides the login endpoint, tenant included (https://127.0.0.1:PORT/tenant),
	// for tests and the demo. Empty: https://<cloud login host>/<Tenant>.
	Authority string
	// HTTPClient carries the token requests; nil means the probe's own client: through the proxy
	// Proxy chooses, verifying against RootCAs. Response bodies are capped at MaxResponseBytes
	// either way.
	HTTPClient *http.Client
	// Proxy is this machine's proxy configuration (webproxy.FromEnvironment); the zero value goes
	// direct. The proxy a request went through is the result's fact "proxy".
	Proxy webproxy.Settings
	// RootCAs verifies the token endpoint; nil: the system's roots. Tests use it.
	RootCAs *x509.CertPool
	// Scope, when set, is the scope of a token for another API than SMTP (Microsoft Graph, the
	// Exchange Online Admin API: cloud.Cloud's GraphScope and AdminScope), for exoprobe tenant.
	// The checks of the claims that SMTP AUTH needs (SMTP.SendAsApp, its audience, tenant and
	// app) are then left out: the API's own answer says what the token may do.
	Scope string
	// Timeout bounds the token request; 0 means DefaultTimeout. The context bounds it too.
	Timeout time.Duration
	// Logf receives progress lines; nil discards them.
	Logf check.Logf
	// Now is the clock for expiry checks; nil means time.Now.
	Now func() time.Time
}

// Outcome is what Acquire returns.
type Outcome struct {
	// Result is the "oauth" check result.
	Result *check.Result
	// Token is the access token, set whenever one was obtained and decodes as a JWT, even when a
	// claim check failed: do not try AUTH XOAUTH2 when Result.Status is fail. It is never
	// marshalled and must never be printed.
	Token string `json:"-"`
	// Claims are the token's decoded claims (zero when there is no token).
	Claims Claims
}

// Usable returns the token when Exchange Online can accept it, or "" and why AUTH XOAUTH2 is
// not tried: a refused request, or claims that would get 535 5.7.3.
func (o Outcome) Usable() (token, why string) {
	r := o.Result
	if r == nil {
		return "", "no access token (see the oauth check)"
	}
	if r.Status == check.Fail {
		for _, f := range r.Findings {
			if f.Severity != check.Fail {
				continue
			}
			switch f.Code {
			case code.TokenMissingRole:
				return "", "the token lacks the SMTP.SendAsApp permission, so Exchange Online would refuse it with 535 5.7.3; " +
					"AUTH was not tried (see the oauth check)"
			case code.TokenWrongAudience:
				return "", "the token is for another resource than Exchange Online, which would refuse it with 535 5.7.3; " +
					"AUTH was not tried (see the oauth check)"
			}
			return "", "no usable access token (" + string(f.Code) + "); AUTH was not tried (see the oauth check)"
		}
	}
	if o.Token == "" {
		return "", "no access token (see the oauth check)"
	}
	return o.Token, ""
}

// Acquire obtains an access token for Exchange Online's SMTP AUTH and checks its claims. It never
// returns an error: configuration problems, refusals and network failures are findings of the
// "oauth" result.
func Acquire(ctx context.Context, cfg Config) Outcome {
	start := time.Now()
	a := &attempt{cfg: cfg, r: check.New(check.OAuth), red: newRedactor(cfg.Secret, cfg.AccessToken)}
	defer a.r.Since(start)
	out := Outcome{Result: a.r}
	cl, ok := cloud.Lookup(cfg.Cloud)
	if !ok {
		a.fail(code.OAuthConfig, "unknown cloud", fmt.Sprintf("the cloud %q is not known: use one of %s",
			a.red.clean(cfg.Cloud, 40), strings.Join(cloud.Names(), ", ")))
		return out
	}
	a.cloud = cl
	a.r.Set("cloud", cl.Name)
	if cfg.Tenant != "" {
		a.r.Set("tenant", a.red.clean(cfg.Tenant, 256))
	}
	if cfg.ClientID != "" {
		a.r.Set("client_id", a.red.clean(cfg.ClientID, 64))
	}

	token := normalizeToken(cfg.AccessToken)
	if token != "" {
		a.r.Set("credential", "access_token")
		a.r.Set("token_source", "EXOPROBE_ACCESS_TOKEN")
		a.cfg.Logf.Printf("oauth: using the access token from EXOPROBE_ACCESS_TOKEN; MSAL skipped")
	} else if token, ok = a.request(ctx); !ok {
		return out
	}
	a.red.add(token)

	claims, err := DecodeClaims(token)
	if err != nil {
		from := "Entra ID"
		if cfg.AccessToken != "" {
			from = "EXOPROBE_ACCESS_TOKEN"
		}
		a.fail(code.TokenMalformed, "the access token does not decode", fmt.Sprintf(
			"the access token from %s cannot be read (%s): Exchange Online will refuse it; "+
				"give the access_token value of the token response (a JWT starting with eyJ), not the whole JSON or the refresh token",
			from, strings.TrimPrefix(err.Error(), "oauth: ")))
		return out
	}
	out.Token, out.Claims = token, claims
	if cfg.Scope != "" {
		a.r.Summary = fmt.Sprintf("token for app %s in tenant %s: aud %s, roles %s, valid until %s",
			orNone(a.red.clean(claims.App(), 64)), orNone(a.red.clean(claims.TenantID, 64)),
			orNone(a.red.clean(strings.Join(claims.Audience, " "), 200)),
			orNone(a.red.clean(strings.Join(claims.Roles, " "), 200)), formatTime(claims.Expires))
		a.r.Set("roles", a.red.cleanAll(claims.Roles, 100))
		return out
	}
	a.inspect(claims)
	if !a.failed {
		sum := fmt.Sprintf("token for app %s in tenant %s: aud %s, roles %s, valid until %s",
			orNone(a.red.clean(claims.App(), 64)), orNone(a.red.clean(claims.TenantID, 64)),
			orNone(a.red.clean(strings.Join(claims.Audience, " "), 200)),
			orNone(a.red.clean(strings.Join(claims.Roles, " "), 200)), formatTime(claims.Expires))
		if a.warned {
			sum += "; " + a.r.Summary
		}
		a.r.Summary = sum
	}
	return out
}

// attempt is one run of the check.
type attempt struct {
	cfg   Config
	cloud cloud.Cloud
	r     *check.Result
	red   *redactor
	// failed and warned say whether the summary already names a failure or a warning.
	failed, warned bool
	// proxy is the proxy the token requests go through (scheme://host:port), "" when direct.
	proxy string
}

func (c Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c Config) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

// add records a finding with its hint; the first failure (or warning, when there is no
// failure) names the result in its summary.
func (a *attempt) add(sev check.Status, c check.Code, summary, msg string) {
	a.r.Add(check.Finding{Severity: sev, Code: c, Message: msg})
	if sev == check.Fail && !a.failed {
		a.failed = true
		a.r.Summary = summary
	} else if sev == check.Warn && !a.failed && !a.warned {
		a.warned = true
		a.r.Summary = summary
	}
}

func (a *attempt) fail(c check.Code, summary, msg string) { a.add(check.Fail, c, summary, msg) }

// request validates the configuration and asks Entra ID for a token through MSAL.
func (a *attempt) request(ctx context.Context) (string, bool) {
	cfg := a.cfg
	if !a.validate() {
		return "", false
	}
	cred, ok := a.credential()
	if !ok {
		return "", false
	}
	authority := cfg.Authority
	if authority == "" {
		authority = "https://" + a.cloud.LoginHost + "/" + url.PathEscape(strings.TrimSpace(cfg.Tenant))
	}
	a.r.Set("authority", a.red.clean(authority, 256))
	scope := a.cloud.Scope()
	if cfg.Scope != "" {
		scope = cfg.Scope
	}
	a.r.Set("scope", scope)
	host := authorityHost(authority)

	var used webproxy.Used
	if cfg.HTTPClient == nil {
		a.proxy = cfg.Proxy.Describe(authority)
	}
	hc := httpClient(cfg.HTTPClient, cfg.Proxy, cfg.RootCAs, &used)
	defer hc.CloseIdleConnections()
	defer func() {
		if p := used.Proxies(); len(p) > 0 {
			a.r.Set("proxy", p[0])
		}
	}()
	app, err := confidential.New(authority, cfg.ClientID, cred,
		confidential.WithHTTPClient(hc),
		// Discovery would ask login.microsoftonline.com about any host it does not know,
		// which must never happen for an authority override; the cloud hosts are known to
		// MSAL and need no discovery.
		confidential.WithInstanceDiscovery(false),
		// MSAL_FORCE_REGION in the environment would send the request to a regional
		// endpoint found through instance discovery; the probe asks the authority given.
		confidential.WithAzureRegion("DisableMsalForceRegion"),
	)
	if err != nil {
		a.fail(code.OAuthConfig, "cannot set up the token request", fmt.Sprintf(
			"the token request cannot be set up for %s: %s", a.red.clean(authority, 256), a.red.clean(err.Error(), 300)))
		return "", false
	}

	tctx, cancel := context.WithTimeout(ctx, cfg.timeout())
	defer cancel()
	cfg.Logf.Printf("oauth: requesting a token for client %s from %s (scope %s)", a.red.clean(cfg.ClientID, 64), a.red.clean(authority, 256), scope)
	t0 := time.Now()
	res, err := app.AcquireTokenByCredential(tctx, []string{scope})
	a.r.Set("request_ms", time.Since(t0).Milliseconds())
	if err != nil {
		a.classify(ctx, tctx, host, err)
		return "", false
	}
	cfg.Logf.Printf("oauth: token issued in %s", time.Since(t0).Round(time.Millisecond))
	a.r.Set("token_source", "entra")
	if !res.ExpiresOn.IsZero() {
		a.r.Set("expires_on", res.ExpiresOn.UTC().Format(time.RFC3339))
	}
	return res.AccessToken, true
}

// validate checks the inputs MSAL needs before anything goes on the wire.
func (a *attempt) validate() bool {
	cfg := a.cfg
	switch t := strings.ToLower(strings.TrimSpace(cfg.Tenant)); {
	case t == "":
		a.fail(code.OAuthConfig, "no tenant given", "no tenant was given: give --tenant with the tenant id "+
			"(Entra admin centre > Overview > Tenant ID) or a verified domain such as contoso.onmicrosoft.com")
		return false
	case t == "common" || t == "organizations" || t == "consumers":
		a.fail(code.OAuthConfig, "tenant must be specific", fmt.Sprintf("--tenant %s cannot issue an app-only token: "+
			"the client-credentials grant needs the tenant id or a verified domain of the tenant that owns the mailbox", t))
		return false
	case !validTenant(t):
		a.fail(code.OAuthConfig, "tenant is not valid", fmt.Sprintf("--tenant %q is neither a tenant id (GUID) nor a domain name",
			a.red.clean(cfg.Tenant, 80)))
		return false
	}
	if strings.TrimSpace(cfg.ClientID) == "" {
		a.fail(code.OAuthConfig, "no client id given", "no client id was given: give --client-id with the Application "+
			"(client) ID from Entra admin centre > App registrations > your app > Overview")
		return false
	}
	return true
}

// credential builds the MSAL credential, checking a certificate's key before MSAL sees it.
func (a *attempt) credential() (confidential.Credential, bool) {
	cfg := a.cfg
	if len(cfg.Certs) > 0 || cfg.Key != nil {
		a.r.Set("credential", "certificate")
		if cfg.Secret != "" {
			a.r.Set("secret_ignored", true)
		}
		leaf, err := SigningCert(cfg.Certs, cfg.Key)
		var ke *KeyError
		if errors.As(err, &ke) {
			a.fail(ke.Code, "client certificate cannot be used", strings.TrimPrefix(ke.Error(), "oauth: "))
			return confidential.Credential{}, false
		}
		a.certFacts(leaf)
		cred, err := confidential.NewCredFromCert(cfg.Certs, cfg.Key)
		if err != nil {
			a.fail(code.AppCertKeyMismatch, "client certificate cannot be used", "the certificate and key were refused: "+a.red.clean(err.Error(), 200))
			return confidential.Credential{}, false
		}
		return cred, true
	}
	if cfg.Secret == "" {
		a.fail(code.OAuthNoCredential, "no credential given", "no credential was given: set EXOPROBE_CLIENT_SECRET "+
			"(the secret's Value from App registrations > your app > Certificates & secrets), give a certificate "+
			"with --client-cert/--client-key or --client-pfx, or a token in EXOPROBE_ACCESS_TOKEN")
		return confidential.Credential{}, false
	}
	a.r.Set("credential", "client_secret")
	a.r.Set("secret_expiry", "unknown to the client: Entra ID does not tell it; see App registrations > "+
		orPlaceholder(cfg.ClientID, "<app>")+" > Certificates & secrets > Client secrets > Expires")
	if isGUID(strings.TrimSpace(cfg.Secret)) {
		a.add(check.Warn, code.SecretLooksLikeID, "the client secret looks like a secret ID",
			"the client secret has the form of a GUID: that is usually the secret's Secret ID, not its Value; "+
				"copy the Value column (shown only once, when the secret is created) from App registrations > "+
				orPlaceholder(cfg.ClientID, "<app>")+" > Certificates & secrets, or create a new secret")
	}
	if strings.TrimSpace(cfg.Secret) != cfg.Secret {
		a.add(check.Warn, code.SecretWhitespace, "the client secret has surrounding white space",
			"the client secret starts or ends with white space, usually a copy-and-paste slip; it is sent as given")
	}
	cred, err := confidential.NewCredFromSecret(cfg.Secret)
	if err != nil {
		a.fail(code.OAuthNoCredential, "no credential given", "the client secret is empty")
		return confidential.Credential{}, false
	}
	return cred, true
}

// certFacts records the signing certificate and warns about its expiry.
func (a *attempt) certFacts(leaf *x509.Certificate) {
	now := a.cfg.now()
	a.r.Set("cert_subject", leaf.Subject.String())
	a.r.Set("cert_thumbprint", Thumbprint(leaf))
	a.r.Set("cert_not_after", leaf.NotAfter.UTC().Format(time.RFC3339))
	left := leaf.NotAfter.Sub(now)
	days := int(math.Ceil(left.Hours() / 24))
	a.r.Set("cert_days_left", days)
	app := orPlaceholder(a.cfg.ClientID, "<app>")
	switch {
	case now.Before(leaf.NotBefore):
		a.fail(code.AppCertNotYetValid, "client certificate not yet valid", fmt.Sprintf(
			"the client certificate %s (thumbprint %s) is valid only from %s: check this machine's clock",
			leaf.Subject, Thumbprint(leaf), formatTime(leaf.NotBefore)))
	case left <= 0:
		a.fail(code.AppCertExpired, "client certificate expired", fmt.Sprintf(
			"the client certificate %s (thumbprint %s) expired on %s: Entra ID refuses assertions signed with it; "+
				"create a new certificate and upload it to App registrations > %s > Certificates & secrets > Certificates",
			leaf.Subject, Thumbprint(leaf), formatTime(leaf.NotAfter), app))
	case left < CertExpiryWarning:
		a.add(check.Warn, code.AppCertExpiring, "client certificate expires soon", fmt.Sprintf(
			"the client certificate %s (thumbprint %s) expires on %s, in %d days: upload its successor to "+
				"App registrations > %s > Certificates & secrets > Certificates before then, and switch the application to it",
			leaf.Subject, Thumbprint(leaf), formatTime(leaf.NotAfter), days, app))
	}
}

// inspect checks the claims of the token against what Exchange Online requires.
func (a *attempt) inspect(c Claims) {
	r, cfg, now := a.r, a.cfg, a.cfg.now()
	if len(c.Audience) == 1 {
		r.Set("aud", a.red.clean(c.Audience[0], 200))
	} else if len(c.Audience) > 1 {
		r.Set("aud", a.red.cleanAll(c.Audience, 200))
	}
	for k, v := range map[string]string{"iss": c.Issuer, "tid": c.TenantID, "appid": c.AppID, "azp": c.AZP,
		"oid": c.ObjectID, "ver": c.Version, "idtyp": c.IDType, "upn": c.UPN} {
		if v != "" {
			r.Set(k, a.red.clean(v, 200))
		}
	}
	r.Set("roles", a.red.cleanAll(c.Roles, 100))
	if len(c.Scopes) > 0 {
		r.Set("scp", a.red.cleanAll(c.Scopes, 100))
	}
	for k, t := range map[string]time.Time{"exp": c.Expires, "nbf": c.NotBefore, "iat": c.IssuedAt} {
		if !t.IsZero() {
			r.Set(k, t.UTC().Format(time.RFC3339))
		}
	}
	kind := "app"
	if c.Delegated() {
		kind = "delegated"
	}
	r.Set("token_kind", kind)
	fromEnv := cfg.AccessToken != ""

	// Expiry.
	if !c.Expires.IsZero() && !now.Before(c.Expires) {
		next := "request a new token (they live 60 to 90 minutes)"
		if !fromEnv {
			next = "Entra ID has just issued it, so this machine's clock is wrong: set it right (w32tm /resync, or timedatectl)"
		}
		a.fail(code.TokenExpired, "the token has expired", fmt.Sprintf("the token expired at %s, %s ago: Exchange Online refuses it; %s",
			formatTime(c.Expires), now.Sub(c.Expires).Round(time.Second), next))
	}
	if !c.NotBefore.IsZero() && c.NotBefore.After(now.Add(ClockSkew)) {
		a.fail(code.TokenNotYetValid, "the token is not valid yet", fmt.Sprintf(
			"the token is valid only from %s, %s after this machine's clock: the clock is wrong; set it right (w32tm /resync, or timedatectl)",
			formatTime(c.NotBefore), c.NotBefore.Sub(now).Round(time.Second)))
	}

	// Audience.
	okAud := false
	for _, aud := range c.Audience {
		if a.cloud.AcceptsAudience(aud) {
			okAud = true
		}
	}
	if !okAud {
		got := orNone(a.red.clean(strings.Join(c.Audience, " "), 200))
		msg := fmt.Sprintf("the token is for %s, but Exchange Online's SMTP accepts only tokens for %s: request the scope %s",
			got, a.cloud.Audience, a.cloud.Scope())
		if other, ok := cloudOfAudience(c.Audience); ok && other.Name != a.cloud.Name {
			msg = fmt.Sprintf("the token is for %s, the audience of %s, but the run is for %s (%s): give --cloud %s, or request the scope %s",
				got, other.Title, a.cloud.Title, a.cloud.Audience, other.Name, a.cloud.Scope())
		} else if containsFold(c.Audience, "https://graph.microsoft.com") || containsFold(c.Audience, "00000003-0000-0000-c000-000000000000") {
			msg += " (a Microsoft Graph token, even one with Mail.Send, cannot be used for SMTP AUTH)"
		}
		a.fail(code.TokenWrongAudience, "the token is for the wrong audience", msg)
	}

	// Tenant.
	if t := strings.TrimSpace(cfg.Tenant); isGUID(t) && !strings.EqualFold(c.TenantID, t) {
		a.fail(code.TokenWrongTenant, "the token is from another tenant", fmt.Sprintf(
			"the token was issued by tenant %s, but --tenant is %s: the mailbox's tenant must issue it; "+
				"check the tenant id (Entra admin centre > Overview > Tenant ID) in the application's settings",
			orNone(a.red.clean(c.TenantID, 64)), t))
	}

	// Application.
	if id := strings.TrimSpace(cfg.ClientID); id != "" && c.App() != "" && !strings.EqualFold(c.App(), id) {
		a.fail(code.TokenWrongApp, "the token is for another application", fmt.Sprintf(
			"the token was issued to application %s, but --client-id is %s: the service principal registered in Exchange "+
				"(New-ServicePrincipal -AppId) and the token must belong to the same app",
			a.red.clean(c.App(), 64), id))
	}

	// Permission.
	switch {
	case c.HasRole(RoleSendAsApp):
	case c.Delegated() && c.HasScope(ScopeSend):
		user := orPlaceholder(c.UPN, "the signed-in user")
		a.add(check.Pass, code.TokenDelegated, "delegated token", fmt.Sprintf(
			"this is a delegated token for %s (scp %s), not an app token: it sends only as that user, so AUTH XOAUTH2 must use "+
				"user=%s; an unattended application should use the client-credentials grant with SMTP.SendAsApp instead",
			a.red.clean(user, 200), a.red.clean(strings.Join(c.Scopes, " "), 200), a.red.clean(user, 200)))
	case c.Delegated():
		a.fail(code.TokenMissingRole, "the token lacks SMTP.Send", fmt.Sprintf(
			"this delegated token has scp %s but not %s: add the delegated permission Office 365 Exchange Online > %s "+
				"to the app and sign in again (scope https://outlook.office.com/SMTP.Send)",
			a.red.clean(strings.Join(c.Scopes, " "), 200), ScopeSend, ScopeSend))
	default:
		have := "the token has no roles"
		if len(c.Roles) > 0 {
			have = "the token's roles are " + a.red.clean(strings.Join(c.Roles, ", "), 200)
		}
		extra := ""
		if c.HasRole("Mail.Send") {
			extra = " (Mail.Send is a Microsoft Graph permission; it does not allow SMTP AUTH)"
		}
		a.fail(code.TokenMissingRole, "the token lacks SMTP.SendAsApp", fmt.Sprintf(
			"%s: it lacks %s%s, so Exchange Online will answer AUTH with 535 5.7.3. Add the application permission "+
				"Office 365 Exchange Online > %s to app %s (Entra admin centre > App registrations > API permissions > Add a permission > "+
				"APIs my organization uses > Office 365 Exchange Online > Application permissions), then Grant admin consent, "+
				"and request a new token",
			have, RoleSendAsApp, extra, RoleSendAsApp, orPlaceholder(orFirst(c.App(), cfg.ClientID), "<app>")))
	}
}

// cloudOfAudience finds the cloud whose audiences include one of aud.
func cloudOfAudience(aud []string) (cloud.Cloud, bool) {
	for _, cl := range cloud.All() {
		for _, a := range aud {
			if cl.AcceptsAudience(a) {
				return cl, true
			}
		}
	}
	return cloud.Cloud{}, false
}

// validTenant accepts a GUID or a domain name (letters, digits, dots and hyphens).
func validTenant(t string) bool {
	if len(t) == 0 || len(t) > 253 {
		return false
	}
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			return false
		}
	}
	return true
}

// isGUID reports whether s has the 8-4-4-4-12 hex form of a tenant or app id.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// authorityHost is the host (and port, when it has one) of the authority, for messages.
func authorityHost(authority string) string {
	u, err := url.Parse(authority)
	if err != nil || u.Host == "" {
		return authority
	}
	return u.Host
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "(unknown)"
	}
	return t.UTC().Format("2006-01-02 15:04 MST")
}

func orNone(s string) string { return orPlaceholder(s, "(none)") }

func orPlaceholder(s, placeholder string) string {
	if strings.TrimSpace(s) == "" {
		return placeholder
	}
	return s
}

func orFirst(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
