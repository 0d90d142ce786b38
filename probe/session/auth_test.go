package session_test

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/kb"
	"github.com/exoprobe/exoprobe/probe/session"
)

// authReplyTimeout bounds each reply in these tests; the simulator answers in microseconds.
const authReplyTimeout = time.Second

// submitWorld is a submission endpoint with its token endpoint, and the roots that trust them.
type submitWorld struct {
	srv   *fixtures.SMTPServer
	ts    *fixtures.TokenServer
	roots *x509.CertPool
}

func newSubmitWorld(t *testing.T, b fixtures.Behavior, edit func(*fixtures.Submission)) submitWorld {
	t.Helper()
	ts := fixtures.NewTokenServer(t, fixtures.TokenConfig{})
	sub := &fixtures.Submission{Tokens: ts}
	if edit != nil {
		edit(sub)
	}
	b.Submission = sub
	pki, err := fixtures.DefaultPKI()
	if err != nil {
		t.Fatal(err)
	}
	return submitWorld{srv: fixtures.NewSMTP(t, b), ts: ts, roots: pki.Root.Pool()}
}

// token issues an app token for Exchange Online with the given roles.
func (w submitWorld) token(roles ...string) string {
	now := time.Now()
	return w.ts.Issue(fixtures.TokenClaims{
		Audience: fixtures.TokenAudience, Issuer: "https://sts.windows.net/" + w.ts.TenantID + "/",
		TenantID: w.ts.TenantID, AppID: w.ts.ClientID, ObjectID: "sp", Roles: roles,
		IssuedAt: now, NotBefore: now, Expires: now.Add(time.Hour),
	}, "1")
}

func (w submitWorld) config(auth string) session.Config {
	return session.Config{
		Mode: check.ModeSubmit, Host: fixtures.SubmissionHost, Addr: w.srv.Addr, Port: w.srv.Port,
		Helo: "app01.contoso.com", From: fixtures.SimFrom, To: []string{fixtures.SimExternalTo},
		Auth: auth, User: fixtures.SimFrom,
		ConnectTimeout: authReplyTimeout, ReplyTimeout: authReplyTimeout, RootCAs: w.roots,
		AppID: fixtures.TokenClientID,
	}
}

func codesOf(r *check.Result) []string {
	out := []string{}
	for _, f := range r.Findings {
		out = append(out, string(f.Code))
	}
	return out
}

func authLines(out session.Outcome) string {
	var b strings.Builder
	for _, l := range out.Transcript {
		b.WriteString(l.Dir + ": " + l.Line + "\n")
	}
	return b.String()
}

func TestAuth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		behavior fixtures.Behavior
		edit     func(*fixtures.Submission)
		cfg      func(*session.Config, submitWorld)
		// status and codes of the auth result; hint is the id of the first finding's hint.
		status   check.Status
		codes    []string
		hint     string
		message  string // part of the first finding's message
		send     check.Status
		authSent bool // the server saw an AUTH command
	}{
		{name: "xoauth2", status: check.Pass, codes: []string{}, send: check.Pass, authSent: true,
			cfg: func(c *session.Config, w submitWorld) { c.Token = w.token(fixtures.TokenRoleSendAsApp) }},
		{name: "xoauth2 token awaited", status: check.Pass, codes: []string{}, send: check.Pass, authSent: true,
			cfg: func(c *session.Config, w submitWorld) {
				tok := w.token(fixtures.TokenRoleSendAsApp)
				c.AwaitToken = func(context.Context) (string, string) { time.Sleep(20 * time.Millisecond); return tok, "" }
			}},
		{name: "no token: no AUTH", status: check.Skip, codes: []string{"skipped"}, message: "the token lacks SMTP.SendAsApp",
			send: check.Skip,
			cfg: func(c *session.Config, _ submitWorld) {
				c.AwaitToken = func(context.Context) (string, string) { return "", "the token lacks SMTP.SendAsApp" }
			}},
		{name: "service principal without the mailbox", edit: func(s *fixtures.Submission) { s.Mailboxes = []string{"other@contoso.com"} },
			status: check.Fail, codes: []string{"5.7.3"}, hint: "auth-xoauth2-rejected", message: "New-ServicePrincipal",
			send: check.Skip, authSent: true,
			cfg: func(c *session.Config, w submitWorld) { c.Token = w.token(fixtures.TokenRoleSendAsApp) }},
		{name: "smtp auth disabled for the tenant", edit: func(s *fixtures.Submission) { s.Refuse = fixtures.ReplyAuthDisabledTenant },
			status: check.Fail, codes: []string{"5.7.139"}, hint: "smtp-auth-disabled-tenant", message: "OAuth tokens and passwords alike",
			send: check.Skip, authSent: true,
			cfg: func(c *session.Config, w submitWorld) { c.Token = w.token(fixtures.TokenRoleSendAsApp) }},
		{name: "legacy tls", behavior: fixtures.Behavior{Injects: []fixtures.Inject{{At: fixtures.AtAUTH, Reply: fixtures.ReplyLegacyTLS, Close: true}}},
			status: check.Fail, codes: []string{"4.7.66"}, hint: "legacy-tls-middlebox", message: "exoprobe negotiated TLS 1.3",
			send: check.Skip, authSent: true,
			cfg: func(c *session.Config, w submitWorld) { c.Token = w.token(fixtures.TokenRoleSendAsApp) }},
		{name: "login", status: check.Warn, codes: []string{"basic-auth-deprecated"}, hint: "basic-auth-deprecated",
			message: "end of December 2026", send: check.Pass, authSent: true,
			cfg: func(c *session.Config, _ submitWorld) { c.Auth, c.Password = session.AuthBasic, fixtures.SimPassword }},
		{name: "login wrong password", status: check.Fail, codes: []string{"basic-auth-deprecated", "5.7.3"}, hint: "basic-auth-deprecated",
			send: check.Skip, authSent: true,
			cfg: func(c *session.Config, _ submitWorld) { c.Auth, c.Password = session.AuthBasic, "Wr0ng-password" }},
		{name: "basic retired", edit: func(s *fixtures.Submission) { s.Refuse = fixtures.ReplyBasicRetired },
			status: check.Fail, codes: []string{"basic-auth-deprecated", "5.7.30"}, hint: "basic-auth-deprecated",
			send: check.Skip, authSent: true,
			cfg: func(c *session.Config, _ submitWorld) { c.Auth, c.Password = session.AuthBasic, fixtures.SimPassword }},
		{name: "untrusted certificate: nothing sent", status: check.Skip, codes: []string{"skipped"}, message: "intercepted",
			send: check.Skip,
			cfg: func(c *session.Config, w submitWorld) {
				c.RootCAs = x509.NewCertPool()
				c.Token = w.token(fixtures.TokenRoleSendAsApp)
			}},
		{name: "no STARTTLS: nothing sent", behavior: fixtures.Behavior{NoSTARTTLS: true}, status: check.Skip, codes: []string{"skipped"},
			message: "not encrypted", send: check.Skip,
			cfg: func(c *session.Config, w submitWorld) { c.Token = w.token(fixtures.TokenRoleSendAsApp) }},
		{name: "XOAUTH2 not offered", behavior: fixtures.Behavior{Injects: []fixtures.Inject{{At: fixtures.AtEHLO,
			Reply: "250-{host} Hello [{ip}]\n250-STARTTLS\n250 AUTH PLAIN"}}},
			status: check.Fail, codes: []string{"auth-mechanism-missing"}, hint: "auth-mechanism-missing", message: "not XOAUTH2",
			send: check.Skip,
			cfg:  func(c *session.Config, w submitWorld) { c.Token = w.token(fixtures.TokenRoleSendAsApp) }},
		{name: "sender is not the mailbox, no --send", status: check.Pass, codes: []string{}, send: check.Warn, authSent: true,
			cfg: func(c *session.Config, w submitWorld) {
				c.Token = w.token(fixtures.TokenRoleSendAsApp)
				c.From = fixtures.SimOtherSender
			}},
		{name: "sender is not the mailbox, --send", status: check.Pass, codes: []string{}, send: check.Fail, authSent: true,
			cfg: func(c *session.Config, w submitWorld) {
				c.Token = w.token(fixtures.TokenRoleSendAsApp)
				c.From, c.Send = fixtures.SimOtherSender, true
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newSubmitWorld(t, tt.behavior, tt.edit)
			cfg := w.config(session.AuthOAuth)
			tt.cfg(&cfg, w)
			out := session.Run(t.Context(), cfg)
			if out.Auth == nil {
				t.Fatal("no auth result in submit mode")
			}
			r := out.Auth
			if r.Status != tt.status || !slices.Equal(codesOf(r), tt.codes) {
				t.Errorf("auth = %s %v; want %s %v (%q)\n%s", r.Status, codesOf(r), tt.status, tt.codes, r.Summary, authLines(out))
			}
			if tt.hint != "" && (len(r.Findings) == 0 || hintID(r.Findings[0]) != tt.hint) {
				t.Errorf("first finding %+v; want hint %s", r.Findings, tt.hint)
			}
			if tt.message != "" && (len(r.Findings) == 0 || !strings.Contains(r.Findings[0].Message, tt.message)) {
				t.Errorf("first finding %+v; want a message with %q", r.Findings, tt.message)
			}
			if out.Send.Status != tt.send {
				t.Errorf("send = %s %v; want %s", out.Send.Status, codesOf(out.Send), tt.send)
			}
			sawAuth := false
			for _, c := range w.srv.Received().Commands() {
				if strings.HasPrefix(c, "AUTH") {
					sawAuth = true
				}
			}
			if sawAuth != tt.authSent {
				t.Errorf("server saw AUTH %v; want %v", sawAuth, tt.authSent)
			}
			checkRedacted(t, out, cfg)
		})
	}
}

// checkRedacted asserts that no credential of cfg, in any form it travels in, is in the outcome.
func checkRedacted(t *testing.T, out session.Outcome, cfg session.Config) {
	t.Helper()
	var secrets []string
	for _, s := range []string{cfg.Token, cfg.Password} {
		if s == "" {
			continue
		}
		secrets = append(secrets, s, base64.StdEncoding.EncodeToString([]byte(s)))
	}
	if cfg.Token != "" {
		secrets = append(secrets, base64.StdEncoding.EncodeToString([]byte("user="+cfg.User+"\x01auth=Bearer "+cfg.Token+"\x01\x01")))
	}
	all := authLines(out)
	for _, r := range []*check.Result{out.SMTP, out.TLS, out.Auth, out.Send} {
		all += r.Summary + "\n"
		for _, f := range r.Findings {
			all += f.Message + "\n" + f.Reply + "\n"
		}
		for k, v := range r.Facts {
			all += k + "=" + strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(toString(v), "\n", " "), "\r", " ")) + "\n"
		}
	}
	for _, s := range secrets {
		if strings.Contains(all, s) {
			t.Errorf("the outcome holds a credential (%d characters)", len(s))
		}
	}
	for _, l := range out.Transcript {
		if l.Dir == "C" && strings.HasPrefix(l.Line, "AUTH XOAUTH2 ") && l.Line != "AUTH XOAUTH2 <redacted>" {
			t.Errorf("transcript line %q; want the token redacted", l.Line)
		}
	}
}

func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []string:
		return strings.Join(v, " ")
	}
	return ""
}

// TestAuthLoginTranscript shows both credential lines of AUTH LOGIN redacted, and the server's
// prompts as they came.
func TestAuthLoginTranscript(t *testing.T) {
	t.Parallel()
	w := newSubmitWorld(t, fixtures.Behavior{}, nil)
	cfg := w.config(session.AuthBasic)
	cfg.Password = fixtures.SimPassword
	out := session.Run(t.Context(), cfg)
	// The user name is the initial response (RFC 4954): the server prompts for the password only.
	want := []string{"C: AUTH LOGIN <redacted>", "S: 334 UGFzc3dvcmQ6", "C: <redacted>", "S: 235 2.7.0 Authentication successful"}
	got := authLines(out)
	if !strings.Contains(got, strings.Join(want, "\n")) {
		t.Errorf("transcript:\n%s\nwant the sequence:\n%s", got, strings.Join(want, "\n"))
	}
}

// TestAuthSilentServer holds AUTH against a server that never answers it: the exchange ends at
// the reply timeout with a finding that says so.
func TestAuthSilentServer(t *testing.T) {
	t.Parallel()
	w := newSubmitWorld(t, fixtures.Behavior{}, func(s *fixtures.Submission) { s.AuthDelay = time.Minute })
	cfg := w.config(session.AuthOAuth)
	cfg.Token = w.token(fixtures.TokenRoleSendAsApp)
	cfg.ReplyTimeout = 300 * time.Millisecond
	start := time.Now()
	out := session.Run(t.Context(), cfg)
	if d := time.Since(start); d > cfg.ReplyTimeout+2*time.Second {
		t.Errorf("the run took %v; want it to end at the 300 ms reply timeout", d)
	}
	r := out.Auth
	if r.Status != check.Fail || len(r.Findings) == 0 || r.Findings[0].Code != "reply-timeout" {
		t.Fatalf("auth = %s %v; want fail reply-timeout", r.Status, codesOf(r))
	}
	if msg := r.Findings[0].Message; !strings.Contains(msg, "did not answer AUTH XOAUTH2 within 300 ms") {
		t.Errorf("message %q; want it to say AUTH got no answer in 300 ms", msg)
	}
}

// TestAuthRunDeadlineWhileWaitingForToken ends the run while the conversation waits for a token
// that never comes.
func TestAuthRunDeadlineWhileWaitingForToken(t *testing.T) {
	t.Parallel()
	w := newSubmitWorld(t, fixtures.Behavior{}, nil)
	cfg := w.config(session.AuthOAuth)
	cfg.AwaitToken = func(ctx context.Context) (string, string) {
		<-ctx.Done()
		return "", "the run's time limit ran out while waiting for the access token"
	}
	ctx, cancel := context.WithTimeout(t.Context(), 400*time.Millisecond)
	defer cancel()
	start := time.Now()
	out := session.Run(ctx, cfg)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the run took %v; want it to end at its 400 ms deadline", d)
	}
	if out.Auth.Status != check.Skip || !strings.Contains(out.Auth.Summary, "waiting for the access token") {
		t.Errorf("auth = %s %q; want skipped while waiting for the token", out.Auth.Status, out.Auth.Summary)
	}
}

// TestAuthNotInOtherModes keeps the relay and direct conversations without an auth result.
func TestAuthNotInOtherModes(t *testing.T) {
	t.Parallel()
	w := newSubmitWorld(t, fixtures.Behavior{}, nil)
	cfg := w.config("")
	cfg.Mode = check.ModeDirect
	if out := session.Run(t.Context(), cfg); out.Auth != nil {
		t.Errorf("direct conversation has an auth result %+v", out.Auth)
	}
}

// hintID is the id of the knowledge-base entry that explains f, as the runner will attach it;
// "" when there is none.
func hintID(f check.Finding) string {
	if h := kb.HintFor(f, kb.Context{}); h != nil {
		return h.ID
	}
	return ""
}
