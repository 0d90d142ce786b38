package oauth

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe/check"
)

// codes lists the finding codes of r in order.
func codes(r *check.Result) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, string(f.Code))
	}
	return out
}

func finding(r *check.Result, code string) (check.Finding, bool) {
	for _, f := range r.Findings {
		if string(f.Code) == code {
			return f, true
		}
	}
	return check.Finding{}, false
}

// secretConfig is a configuration that authenticates to ts with its secret. Its client refuses
// any host but 127.0.0.1, so that no test can reach login.microsoftonline.com.
func secretConfig(ts *fixtures.TokenServer) Config {
	return Config{
		Tenant:     ts.TenantID,
		ClientID:   ts.ClientID,
		Secret:     fixtures.TokenSecret,
		Authority:  ts.Authority(),
		HTTPClient: loopbackOnly(ts.Client()),
		Timeout:    5 * time.Second,
	}
}

// errNotLoopback is what loopbackOnly answers for any other host.
var errNotLoopback = errors.New("test: request to a host other than 127.0.0.1 refused")

func loopbackOnly(c *http.Client) *http.Client {
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Hostname() != "127.0.0.1" {
			return nil, fmt.Errorf("%w: %s", errNotLoopback, r.URL.Host)
		}
		return c.Transport.RoundTrip(r)
	})}
}

func TestAcquireScenarios(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		server     fixtures.TokenConfig
		edit       func(*Config, *fixtures.TokenServer)
		wantStatus check.Status
		wantCode   string // a finding that must be there; "" for none at all
		wantToken  bool
		wantFacts  map[string]any
	}{
		{name: "ok", server: fixtures.TokenConfig{Scenario: fixtures.TokenOK}, wantStatus: check.Pass, wantToken: true,
			wantFacts: map[string]any{"aud": "https://outlook.office365.com", "token_source": "entra", "credential": "client_secret", "token_kind": "app"}},
		{name: "bad secret", server: fixtures.TokenConfig{Scenario: fixtures.TokenBadSecret}, wantStatus: check.Fail, wantCode: "AADSTS7000215",
			wantFacts: map[string]any{"http_status": 401, "entra_error": "invalid_client", "failed_at": "token request"}},
		{name: "wrong secret", server: fixtures.TokenConfig{Scenario: fixtures.TokenOK}, wantStatus: check.Fail, wantCode: "AADSTS7000215",
			edit: func(c *Config, _ *fixtures.TokenServer) { c.Secret = "not-the-secret-value" }},
		{name: "expired secret", server: fixtures.TokenConfig{Scenario: fixtures.TokenExpiredSecret}, wantStatus: check.Fail, wantCode: "AADSTS7000222"},
		{name: "no role", server: fixtures.TokenConfig{Scenario: fixtures.TokenNoRole}, wantStatus: check.Fail, wantCode: "token-missing-role", wantToken: true},
		{name: "tenant not found", server: fixtures.TokenConfig{Scenario: fixtures.TokenTenantNotFound}, wantStatus: check.Fail, wantCode: "AADSTS90002",
			wantFacts: map[string]any{"http_status": 400, "failed_at": "tenant discovery", "entra_error": "invalid_tenant"}},
		{name: "unknown tenant", server: fixtures.TokenConfig{}, wantStatus: check.Fail, wantCode: "AADSTS90002",
			edit: func(c *Config, ts *fixtures.TokenServer) {
				c.Tenant = "fabrikam.onmicrosoft.com"
				c.Authority = ts.AuthorityFor(c.Tenant)
			}},
		{name: "app not found", server: fixtures.TokenConfig{Scenario: fixtures.TokenAppNotFound}, wantStatus: check.Fail, wantCode: "AADSTS700016"},
		{name: "consent missing", server: fixtures.TokenConfig{Scenario: fixtures.TokenConsentMissing}, wantStatus: check.Fail, wantCode: "AADSTS65001"},
		{name: "conditional access", server: fixtures.TokenConfig{Scenario: fixtures.TokenConditionalAccess}, wantStatus: check.Fail, wantCode: "AADSTS53003"},
		{name: "disabled app", server: fixtures.TokenConfig{Scenario: fixtures.TokenDisabledApp}, wantStatus: check.Fail, wantCode: "AADSTS7000112"},
		{name: "resource not in tenant", server: fixtures.TokenConfig{Audience: "https://outlook.office365.us"}, wantStatus: check.Fail, wantCode: "AADSTS500011"},
		{name: "html page", server: fixtures.TokenConfig{Scenario: fixtures.TokenHTML}, wantStatus: check.Fail, wantCode: "token-response-invalid"},
		{name: "huge body", server: fixtures.TokenConfig{Scenario: fixtures.TokenHuge}, wantStatus: check.Fail, wantCode: "token-response-too-large"},
		{name: "tenant by domain", server: fixtures.TokenConfig{}, wantStatus: check.Pass, wantToken: true,
			edit: func(c *Config, ts *fixtures.TokenServer) {
				c.Tenant = fixtures.TokenTenantDomain
				c.Authority = ts.AuthorityFor(c.Tenant)
			}},
		{name: "token from another tenant", server: fixtures.TokenConfig{}, wantStatus: check.Fail, wantCode: "token-wrong-tenant", wantToken: true,
			edit: func(c *Config, _ *fixtures.TokenServer) { c.Tenant = "11111111-2222-3333-4444-555555555555" }},
		{name: "secret id instead of value", server: fixtures.TokenConfig{}, wantStatus: check.Fail, wantCode: "secret-looks-like-id",
			edit: func(c *Config, _ *fixtures.TokenServer) { c.Secret = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := fixtures.NewTokenServer(t, tt.server)
			cfg := secretConfig(ts)
			if tt.edit != nil {
				tt.edit(&cfg, ts)
			}
			out := Acquire(t.Context(), cfg)
			r := out.Result
			if r.ID != "oauth" {
				t.Errorf("got id %q; want oauth", r.ID)
			}
			if r.Status != tt.wantStatus {
				t.Errorf("got status %s (%v: %q); want %s", r.Status, codes(r), r.Summary, tt.wantStatus)
			}
			if tt.wantCode == "" {
				if len(r.Findings) != 0 {
					t.Errorf("got findings %v; want none", codes(r))
				}
			} else if f, ok := finding(r, tt.wantCode); !ok {
				t.Errorf("got findings %v; want %s", codes(r), tt.wantCode)
			} else if f.Message == "" {
				t.Errorf("finding %s has no message", tt.wantCode)
			}
			if r.Summary == "" {
				t.Error("got an empty summary")
			}
			if got := out.Token != ""; got != tt.wantToken {
				t.Errorf("got token %v; want %v", got, tt.wantToken)
			}
			if tt.wantToken {
				if _, ok := ts.Valid(out.Token); !ok {
					t.Error("the token server does not recognise the token it issued")
				}
			}
			for k, want := range tt.wantFacts {
				if got := r.Facts[k]; fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("got fact %s = %v; want %v", k, got, want)
				}
			}
		})
	}
}

func TestAcquireAADSTSFacts(t *testing.T) {
	t.Parallel()
	ts := fixtures.NewTokenServer(t, fixtures.TokenConfig{Scenario: fixtures.TokenBadSecret})
	r := Acquire(t.Context(), secretConfig(ts)).Result
	for _, k := range []string{"trace_id", "correlation_id", "timestamp", "error_uri", "error_codes"} {
		if _, ok := r.Facts[k]; !ok {
			t.Errorf("got no fact %s; want it for Microsoft support (facts %v)", k, r.Facts)
		}
	}
	f, _ := finding(r, "AADSTS7000215")
	for _, want := range []string{"Invalid client secret provided", "trace ID", "HTTP 401 invalid_client"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("got message %q; want it to contain %q", f.Message, want)
		}
	}
	if strings.Contains(f.Message, "\r") || strings.Contains(f.Message, "\n") {
		t.Errorf("got message with line breaks: %q", f.Message)
	}
	if got := r.Summary; got != "token request refused: AADSTS7000215" {
		t.Errorf("got summary %q; want %q", got, "token request refused: AADSTS7000215")
	}
}

func TestAcquireCertificate(t *testing.T) {
	t.Parallel()
	now := time.Now()
	rsaLeaf := issue(t, fixtures.CertOptions{DNSNames: []string{"app.contoso.com"}, Client: true, KeyType: fixtures.RSA, KeySlot: 601})
	otherRSA := issue(t, fixtures.CertOptions{DNSNames: []string{"other.contoso.com"}, Client: true, KeyType: fixtures.RSA, KeySlot: 602})
	ecLeaf := issue(t, fixtures.CertOptions{DNSNames: []string{"app.contoso.com"}, Client: true})
	soon := issue(t, fixtures.CertOptions{DNSNames: []string{"app.contoso.com"}, Client: true, KeyType: fixtures.RSA, KeySlot: 601,
		NotBefore: now.Add(-300 * 24 * time.Hour), NotAfter: now.Add(10 * 24 * time.Hour)})
	expired := issue(t, fixtures.CertOptions{DNSNames: []string{"app.contoso.com"}, Client: true, KeyType: fixtures.RSA, KeySlot: 601,
		NotBefore: now.Add(-400 * 24 * time.Hour), NotAfter: now.Add(-24 * time.Hour)})

	tests := []struct {
		name         string
		registered   *x509.Certificate // the certificate the app registration holds
		scenario     string
		certs        []*x509.Certificate
		key          any
		wantStatus   check.Status
		wantCodes    []string
		wantRequests int // token requests the server saw
		wantMessage  string
	}{
		{name: "rsa", registered: rsaLeaf.Cert, certs: []*x509.Certificate{rsaLeaf.Cert}, key: rsaLeaf.Key,
			wantStatus: check.Pass, wantRequests: 1},
		{name: "certificate not uploaded", registered: otherRSA.Cert, certs: []*x509.Certificate{rsaLeaf.Cert}, key: rsaLeaf.Key,
			wantStatus: check.Fail, wantCodes: []string{"AADSTS700027"}, wantRequests: 1},
		{name: "clock skew", registered: rsaLeaf.Cert, scenario: fixtures.TokenClockSkew, certs: []*x509.Certificate{rsaLeaf.Cert}, key: rsaLeaf.Key,
			wantStatus: check.Fail, wantCodes: []string{"AADSTS700024"}, wantRequests: 1},
		{name: "ecdsa refused before MSAL", registered: rsaLeaf.Cert, certs: []*x509.Certificate{ecLeaf.Cert}, key: ecLeaf.Key,
			wantStatus: check.Fail, wantCodes: []string{"cert-key-not-rsa"}, wantMessage: "ECDSA P-256"},
		{name: "key of another certificate", registered: rsaLeaf.Cert, certs: []*x509.Certificate{rsaLeaf.Cert}, key: otherRSA.Key,
			wantStatus: check.Fail, wantCodes: []string{"app-cert-key-mismatch"}},
		{name: "no key", registered: rsaLeaf.Cert, certs: []*x509.Certificate{rsaLeaf.Cert},
			wantStatus: check.Fail, wantCodes: []string{"app-cert-key-missing"}},
		{name: "expiring in 10 days", registered: soon.Cert, certs: []*x509.Certificate{soon.Cert}, key: soon.Key,
			wantStatus: check.Warn, wantCodes: []string{"app-cert-expiring"}, wantRequests: 1, wantMessage: "in 10 days"},
		{name: "expired", registered: expired.Cert, certs: []*x509.Certificate{expired.Cert}, key: expired.Key,
			wantStatus: check.Fail, wantCodes: []string{"app-cert-expired"}, wantRequests: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := fixtures.NewTokenServer(t, fixtures.TokenConfig{Scenario: tt.scenario, Cert: tt.registered})
			cfg := secretConfig(ts)
			cfg.Secret = ""
			cfg.Certs = tt.certs
			cfg.Key = tt.key
			out := Acquire(t.Context(), cfg)
			r := out.Result
			if r.Status != tt.wantStatus {
				t.Errorf("got status %s (%v: %q); want %s", r.Status, codes(r), r.Summary, tt.wantStatus)
			}
			for _, c := range tt.wantCodes {
				if _, ok := finding(r, c); !ok {
					t.Errorf("got findings %v; want %s", codes(r), c)
				}
			}
			if tt.wantMessage != "" && !strings.Contains(fmt.Sprint(r.Findings), tt.wantMessage) {
				t.Errorf("got findings %v; want a message with %q", r.Findings, tt.wantMessage)
			}
			reqs := ts.Requests()
			if len(reqs) != tt.wantRequests {
				t.Errorf("got %d token requests; want %d", len(reqs), tt.wantRequests)
			}
			for _, q := range reqs {
				if q.Credential != "assertion" {
					t.Errorf("got credential %q; want assertion", q.Credential)
				}
			}
			if r.Facts["credential"] != "certificate" {
				t.Errorf("got credential fact %v; want certificate", r.Facts["credential"])
			}
			if tt.wantStatus == check.Pass && r.Facts["cert_thumbprint"] != Thumbprint(tt.certs[0]) {
				t.Errorf("got thumbprint %v; want %s", r.Facts["cert_thumbprint"], Thumbprint(tt.certs[0]))
			}
		})
	}
}

func issue(t *testing.T, o fixtures.CertOptions) *fixtures.Leaf {
	t.Helper()
	pki, err := fixtures.DefaultPKI()
	if err != nil {
		t.Fatal(err)
	}
	l, err := pki.Issuing.Issue(o)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// noNetwork is an HTTP client that fails the test if anything is sent through it.
func noNetwork(t *testing.T) *http.Client {
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request to %s", r.URL)
		return nil, errors.New("no network in this test")
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// unsignedJWT makes a token with the given payload; DecodeClaims does not verify signatures.
func unsignedJWT(t testing.TB, payload map[string]any) string {
	t.Helper()
	b, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"JWT","alg":"RS256"}`)) + "." +
		base64.RawURLEncoding.EncodeToString(b) + ".c2lnbmF0dXJl"
}

func TestAccessTokenFromEnvironment(t *testing.T) {
	t.Parallel()
	const (
		tenant = fixtures.TokenTenantID
		app    = fixtures.TokenClientID
	)
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	base := func(edit func(map[string]any)) map[string]any {
		p := map[string]any{
			"aud": "https://outlook.office365.com", "iss": "https://sts.windows.net/" + tenant + "/",
			"tid": tenant, "appid": app, "oid": "8d2a3b4c-1111-2222-3333-444455556666", "roles": []string{"SMTP.SendAsApp"},
			"ver": "1.0", "idtyp": "app", "iat": now.Add(-5 * time.Minute).Unix(), "nbf": now.Add(-5 * time.Minute).Unix(),
			"exp": now.Add(time.Hour).Unix(),
		}
		if edit != nil {
			edit(p)
		}
		return p
	}
	tests := []struct {
		name       string
		token      string
		cloud      string
		wantStatus check.Status
		wantCodes  []string
		wantInMsg  string
	}{
		{name: "app token", token: unsignedJWT(t, base(nil)), wantStatus: check.Pass},
		{name: "bearer prefix", token: "Bearer " + unsignedJWT(t, base(nil)), wantStatus: check.Pass},
		{name: "outlook.office.com audience", token: unsignedJWT(t, base(func(p map[string]any) { p["aud"] = "https://outlook.office.com/" })), wantStatus: check.Pass},
		{name: "no roles", token: unsignedJWT(t, base(func(p map[string]any) { delete(p, "roles") })),
			wantStatus: check.Fail, wantCodes: []string{"token-missing-role"}, wantInMsg: "Grant admin consent"},
		{name: "graph token with Mail.Send", token: unsignedJWT(t, base(func(p map[string]any) {
			p["aud"] = "https://graph.microsoft.com"
			p["roles"] = []string{"Mail.Send"}
		})), wantStatus: check.Fail, wantCodes: []string{"token-wrong-audience", "token-missing-role"}, wantInMsg: "Microsoft Graph"},
		{name: "gcc high token in the global cloud", token: unsignedJWT(t, base(func(p map[string]any) { p["aud"] = "https://outlook.office365.us" })),
			wantStatus: check.Fail, wantCodes: []string{"token-wrong-audience"}, wantInMsg: "--cloud gcc-high"},
		{name: "gcc high token in gcc high", cloud: "gcc-high",
			token: unsignedJWT(t, base(func(p map[string]any) { p["aud"] = "https://outlook.office365.us" })), wantStatus: check.Pass},
		{name: "other tenant", token: unsignedJWT(t, base(func(p map[string]any) { p["tid"] = "99999999-8888-7777-6666-555555555555" })),
			wantStatus: check.Fail, wantCodes: []string{"token-wrong-tenant"}},
		{name: "other app", token: unsignedJWT(t, base(func(p map[string]any) { p["appid"] = "99999999-8888-7777-6666-555555555555" })),
			wantStatus: check.Fail, wantCodes: []string{"token-wrong-app"}},
		{name: "v2 token with azp", token: unsignedJWT(t, base(func(p map[string]any) {
			delete(p, "appid")
			p["azp"] = app
			p["ver"] = "2.0"
		})), wantStatus: check.Pass},
		{name: "expired", token: unsignedJWT(t, base(func(p map[string]any) { p["exp"] = now.Add(-time.Minute).Unix() })),
			wantStatus: check.Fail, wantCodes: []string{"token-expired"}, wantInMsg: "request a new token"},
		{name: "not yet valid", token: unsignedJWT(t, base(func(p map[string]any) { p["nbf"] = now.Add(time.Hour).Unix() })),
			wantStatus: check.Fail, wantCodes: []string{"token-not-yet-valid"}},
		{name: "delegated SMTP.Send", token: unsignedJWT(t, base(func(p map[string]any) {
			delete(p, "roles")
			p["scp"] = "SMTP.Send offline_access"
			p["upn"] = "app@contoso.com"
			p["aud"] = "https://outlook.office.com"
		})), wantStatus: check.Pass, wantCodes: []string{"token-delegated"}, wantInMsg: "user=app@contoso.com"},
		{name: "delegated without SMTP.Send", token: unsignedJWT(t, base(func(p map[string]any) {
			delete(p, "roles")
			p["scp"] = "IMAP.AccessAsUser.All"
		})), wantStatus: check.Fail, wantCodes: []string{"token-missing-role"}},
		{name: "not a JWT", token: "0.AVAA-not-a-token", wantStatus: check.Fail, wantCodes: []string{"token-malformed"}},
		{name: "encrypted", token: "a.b.c.d.e", wantStatus: check.Fail, wantCodes: []string{"token-malformed"}, wantInMsg: "encrypted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := Acquire(t.Context(), Config{
				Cloud: tt.cloud, Tenant: tenant, ClientID: app, AccessToken: tt.token,
				HTTPClient: noNetwork(t), Now: func() time.Time { return now },
			})
			r := out.Result
			if r.Status != tt.wantStatus {
				t.Errorf("got status %s (%v: %q); want %s", r.Status, codes(r), r.Summary, tt.wantStatus)
			}
			for _, c := range tt.wantCodes {
				if _, ok := finding(r, c); !ok {
					t.Errorf("got findings %v; want %s", codes(r), c)
				}
			}
			if tt.wantCodes == nil && len(r.Findings) != 0 {
				t.Errorf("got findings %v; want none", codes(r))
			}
			if tt.wantInMsg != "" && !strings.Contains(fmt.Sprint(r.Findings), tt.wantInMsg) {
				t.Errorf("got findings %v; want a message with %q", r.Findings, tt.wantInMsg)
			}
			if r.Facts["token_source"] != "EXOPROBE_ACCESS_TOKEN" {
				t.Errorf("got token_source %v; want EXOPROBE_ACCESS_TOKEN", r.Facts["token_source"])
			}
			if _, err := DecodeClaims(tt.token); err == nil && out.Token != strings.TrimPrefix(tt.token, "Bearer ") {
				t.Errorf("got outcome token %.20q…; want the token without prefix", out.Token)
			}
		})
	}
}

// leakForms are the forms in which a secret could leak into output.
func leakForms(secret string) []string {
	b := []byte(secret)
	return []string{secret, url.QueryEscape(secret), base64.StdEncoding.EncodeToString(b),
		base64.RawStdEncoding.EncodeToString(b), base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b)}
}

func assertNoLeak(t *testing.T, what string, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, f := range leakForms(s) {
			if strings.Contains(text, f) {
				t.Errorf("%s contains a secret (form %.12q…)", what, f)
			}
		}
		// A token's payload alone is enough to leak its claims and reuse it.
		if parts := strings.Split(s, "."); len(parts) == 3 && strings.HasPrefix(s, "eyJ") && strings.Contains(text, parts[1]) {
			t.Errorf("%s contains the token's payload", what)
		}
	}
}

// logSink collects Logf lines.
type logSink struct {
	mu    sync.Mutex
	lines []string
}

func (l *logSink) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logSink) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func TestSecretsNeverAppear(t *testing.T) {
	t.Parallel()
	rsaLeaf := issue(t, fixtures.CertOptions{DNSNames: []string{"app.contoso.com"}, Client: true, KeyType: fixtures.RSA, KeySlot: 601})
	scenarios := append(fixtures.TokenScenarios(), "cert", "env-token", "echo")
	for _, sc := range scenarios {
		t.Run(sc, func(t *testing.T) {
			t.Parallel()
			var logs logSink
			cfg := Config{Logf: logs.logf, Timeout: 2 * time.Second}
			switch sc {
			case "cert":
				ts := fixtures.NewTokenServer(t, fixtures.TokenConfig{Cert: rsaLeaf.Cert})
				cfg = secretConfig(ts)
				cfg.Certs, cfg.Key = []*x509.Certificate{rsaLeaf.Cert}, rsaLeaf.Key
			case "env-token":
				ts := fixtures.NewTokenServer(t, fixtures.TokenConfig{})
				cfg.Tenant, cfg.ClientID = ts.TenantID, ts.ClientID
				cfg.AccessToken = ts.Issue(fixtures.TokenClaims{Audience: "https://graph.microsoft.com", TenantID: ts.TenantID,
					AppID: ts.ClientID, Roles: []string{"Mail.Send"}, Expires: time.Now().Add(-time.Hour)}, "1")
			case "echo":
				cfg = echoServerConfig(t)
			default:
				ts := fixtures.NewTokenServer(t, fixtures.TokenConfig{Scenario: sc, SlowFor: 5 * time.Second})
				cfg = secretConfig(ts)
				if sc == fixtures.TokenSlow {
					cfg.Timeout = 200 * time.Millisecond
				}
			}
			cfg.Logf = logs.logf
			out := Acquire(t.Context(), cfg)
			b, err := json.Marshal(out.Result)
			if err != nil {
				t.Fatal(err)
			}
			text := string(b) + "\n" + fmt.Sprintf("%+v", out.Result) + "\n" + logs.String()
			assertNoLeak(t, "the result", text, cfg.Secret, cfg.AccessToken, out.Token)
			if ob, _ := json.Marshal(out); out.Token != "" && strings.Contains(string(ob), out.Token) {
				t.Error("the marshalled outcome contains the token")
			}
			if sc == "echo" && !strings.Contains(string(b), redacted) {
				t.Errorf("got %s; want the echoed secret replaced by %s", b, redacted)
			}
		})
	}
}

// echoServerConfig points Acquire at a hostile token endpoint that echoes the client secret and a
// token in its error description.
func echoServerConfig(t *testing.T) Config {
	t.Helper()
	var base string
	mux := http.NewServeMux()
	mux.HandleFunc("GET /t/v2.0/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"issuer":%q,"token_endpoint":%q,"authorization_endpoint":%q}`, base+"/t/v2.0", base+"/t/oauth2/v2.0/token", base+"/t/oauth2/v2.0/authorize")
	})
	mux.HandleFunc("POST /t/oauth2/v2.0/token", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		desc := "AADSTS7000215: Invalid client secret provided: you sent " + r.PostForm.Get("client_secret") +
			" and " + url.QueryEscape(r.PostForm.Get("client_secret")) + " token eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ4In0.c2ln"
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": "invalid_client", "error_description": desc,
			"error_codes": []int{7000215}, "trace_id": r.PostForm.Get("client_secret")})
	})
	srv, client := startTLS(t, mux)
	base = srv
	return Config{Tenant: "t", ClientID: fixtures.TokenClientID, Secret: "echo-me-" + fixtures.TokenSecret,
		Authority: base + "/t", HTTPClient: client, Timeout: 2 * time.Second}
}

// startTLS serves h over HTTPS on 127.0.0.1 with a certificate from the fixtures' test CA and
// returns its base URL and a client that trusts it.
func startTLS(t *testing.T, h http.Handler) (string, *http.Client) {
	t.Helper()
	pki, err := fixtures.DefaultPKI()
	if err != nil {
		t.Fatal(err)
	}
	leaf := issue(t, fixtures.CertOptions{IPAddresses: []netip.Addr{netip.MustParseAddr("127.0.0.1")}})
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second,
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{leaf.TLSCertificate()}, MinVersion: tls.VersionTLS12}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.ServeTLS(ln, "", "")
	}()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pki.Root.Pool(), MinVersion: tls.VersionTLS12}}}
	t.Cleanup(func() {
		client.CloseIdleConnections()
		_ = srv.Close()
		<-done
	})
	return "https://" + ln.Addr().String(), client
}

func TestSlowEndpointEndsAtDeadline(t *testing.T) {
	t.Parallel()
	ts := fixtures.NewTokenServer(t, fixtures.TokenConfig{Scenario: fixtures.TokenSlow})
	cfg := secretConfig(ts)
	cfg.Timeout = 300 * time.Millisecond
	start := time.Now()
	r := Acquire(t.Context(), cfg).Result
	elapsed := time.Since(start)
	if _, ok := finding(r, "token-timeout"); !ok || r.Status != check.Fail {
		t.Errorf("got %s %v; want fail token-timeout", r.Status, codes(r))
	}
	if elapsed > 3*time.Second {
		t.Errorf("got %s; want the check to end near its 300ms deadline", elapsed)
	}
	f, _ := finding(r, "token-timeout")
	if !strings.Contains(f.Message, "300ms") || !strings.Contains(f.Message, "127.0.0.1") {
		t.Errorf("got message %q; want the deadline and the host", f.Message)
	}

	t.Run("context deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		cfg := secretConfig(ts)
		cfg.Timeout = time.Minute
		if r := Acquire(ctx, cfg).Result; !slices.Contains(codes(r), "token-timeout") {
			t.Errorf("got %v; want token-timeout", codes(r))
		}
	})
	t.Run("cancelled run", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(100*time.Millisecond, cancel)
		cfg := secretConfig(ts)
		if r := Acquire(ctx, cfg).Result; !slices.Contains(codes(r), "token-canceled") {
			t.Errorf("got %v; want token-canceled", codes(r))
		}
	})
}

func TestNetworkFailures(t *testing.T) {
	t.Parallel()
	ts := fixtures.NewTokenServer(t, fixtures.TokenConfig{})
	closed, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()

	tests := []struct {
		name      string
		authority string
		client    *http.Client
		wantCode  string
		wantInMsg string
	}{
		{name: "dns", authority: "https://login.microsoftonline.com/contoso.com", wantCode: "token-endpoint-dns", wantInMsg: "does not resolve",
			client: &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				return nil, &net.DNSError{Err: "no such host", Name: "login.microsoftonline.com", IsNotFound: true}
			}}}},
		{name: "refused", authority: "https://" + closedAddr + "/contoso.com", client: loopbackOnly(ts.Client()), wantCode: "token-endpoint-unreachable"},
		{name: "untrusted certificate", authority: ts.Authority(), wantCode: "token-endpoint-tls", wantInMsg: "exoprobe Simulated",
			client: loopbackOnly(&http.Client{Transport: &http.Transport{}})}, // system roots: the test CA is not among them
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := secretConfig(ts)
			cfg.Authority, cfg.HTTPClient = tt.authority, tt.client
			r := Acquire(t.Context(), cfg).Result
			f, ok := finding(r, tt.wantCode)
			if !ok || r.Status != check.Fail {
				t.Fatalf("got %s %v (%v); want fail %s", r.Status, codes(r), r.Findings, tt.wantCode)
			}
			if tt.wantInMsg != "" && !strings.Contains(f.Message, tt.wantInMsg) {
				t.Errorf("got message %q; want %q", f.Message, tt.wantInMsg)
			}
		})
	}
}

func TestConfigurationFindings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		cfg      Config
		wantCode string
	}{
		{name: "unknown cloud", cfg: Config{Cloud: "mars", Tenant: "contoso.com", ClientID: "x", Secret: "abcd"}, wantCode: "oauth-config"},
		{name: "no tenant", cfg: Config{ClientID: "x", Secret: "abcd"}, wantCode: "oauth-config"},
		{name: "common tenant", cfg: Config{Tenant: "organizations", ClientID: "x", Secret: "abcd"}, wantCode: "oauth-config"},
		{name: "path in tenant", cfg: Config{Tenant: "contoso.com/../x", ClientID: "x", Secret: "abcd"}, wantCode: "oauth-config"},
		{name: "no client id", cfg: Config{Tenant: "contoso.com", Secret: "abcd"}, wantCode: "oauth-config"},
		{name: "no credential", cfg: Config{Tenant: "contoso.com", ClientID: "x"}, wantCode: "oauth-no-credential"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.cfg.HTTPClient = noNetwork(t)
			r := Acquire(t.Context(), tt.cfg).Result
			if !slices.Contains(codes(r), tt.wantCode) || r.Status != check.Fail {
				t.Errorf("got %s %v; want fail %s", r.Status, codes(r), tt.wantCode)
			}
			if r.Summary == "" {
				t.Error("got an empty summary")
			}
		})
	}
}

func TestRedactor(t *testing.T) {
	t.Parallel()
	red := newRedactor("s3cr3t~value", "", "ab")
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"x s3cr3t~value y", "x [redacted] y"},
		{"q=" + url.QueryEscape("s3cr3t~value"), "q=[redacted]"},
		{base64.StdEncoding.EncodeToString([]byte("s3cr3t~value")), "[redacted]"},
		{"tok eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln end", "tok [token] end"},
		{"eyJnot-a-token here", "eyJnot-a-token here"},
		{"line\r\nbreak\x00", "line  break"},
		{"ab stays: too short to be a secret", "ab stays: too short to be a secret"},
	}
	for _, tt := range tests {
		if got := red.clean(tt.in, 100); got != tt.want {
			t.Errorf("clean(%q) got %q; want %q", tt.in, got, tt.want)
		}
	}
	if got := red.clean(strings.Repeat("x", 50), 10); got != strings.Repeat("x", 10)+"…" {
		t.Errorf("got %q; want truncation to 10 runes", got)
	}
}

func TestCappedBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		size    int
		wantErr bool
	}{
		{name: "under", size: 10}, {name: "exact", size: 64}, {name: "over", size: 65, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &cappedBody{rc: nopCloser{strings.NewReader(strings.Repeat("a", tt.size))}, left: 64, limit: 64}
			var sb strings.Builder
			buf := make([]byte, 7)
			var err error
			for {
				var n int
				n, err = b.Read(buf)
				sb.Write(buf[:n])
				if err != nil {
					break
				}
			}
			var tooLarge *responseTooLargeError
			if got := errors.As(err, &tooLarge); got != tt.wantErr {
				t.Errorf("got err %v; want too large %v", err, tt.wantErr)
			}
			if !tt.wantErr && sb.Len() != tt.size {
				t.Errorf("got %d bytes; want %d", sb.Len(), tt.size)
			}
		})
	}
}

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }

// BenchmarkAcquire measures a whole token request through MSAL against the local token
// endpoint: tenant discovery, the token call and the claim checks.
func BenchmarkAcquire(b *testing.B) {
	ts := fixtures.NewTokenServer(b, fixtures.TokenConfig{})
	cfg := Config{Tenant: ts.TenantID, ClientID: ts.ClientID, Secret: fixtures.TokenSecret,
		Authority: ts.Authority(), HTTPClient: ts.Client()}
	b.ReportAllocs()
	for b.Loop() {
		if r := Acquire(b.Context(), cfg).Result; r.Status != check.Pass {
			b.Fatalf("got %s %v", r.Status, r.Findings)
		}
	}
}

// TestAcquireScope: a token for another API (Graph, the Admin API) is asked for with its scope,
// and the claim checks SMTP needs (SMTP.SendAsApp, the SMTP audience) are left out.
func TestAcquireScope(t *testing.T) {
	t.Parallel()
	ts := fixtures.NewTokenServer(t, fixtures.TokenConfig{
		Roles: []string{"Exchange.ManageAsApp"}, Resources: map[string][]string{"https://graph.microsoft.com": {"Application.Read.All"}},
	})
	cfg := secretConfig(ts)
	cfg.Scope = "https://graph.microsoft.com/.default"
	out := Acquire(t.Context(), cfg)
	if out.Token == "" || out.Result.Status != check.Pass || len(out.Result.Findings) != 0 {
		t.Fatalf("got %s %v; want a token and no findings", out.Result.Status, out.Result.Findings)
	}
	if c, ok := ts.Valid(out.Token); !ok || c.Audience != "https://graph.microsoft.com" || !slices.Contains(c.Roles, "Application.Read.All") {
		t.Errorf("token claims %+v; want Graph's audience and role", c)
	}
	reqs := ts.Requests()
	if got := reqs[len(reqs)-1].Scope; !slices.Contains(strings.Fields(got), cfg.Scope) {
		t.Errorf("scope %q; want %q", got, cfg.Scope)
	}
}
