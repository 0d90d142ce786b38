package session

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
	"github.com/exoprobe/exoprobe/probe/reply"
)

// The values of Config.Auth: how a submission (submit mode) signs in after STARTTLS.
const (
	// AuthOAuth signs in with AUTH XOAUTH2 and an access token for Exchange Online.
	AuthOAuth = "oauth"
	// AuthBasic signs in with AUTH LOGIN, the mailbox's user name and password. Exchange Online
	// offers no AUTH PLAIN on port 587 (facts §2.2), so basic authentication means LOGIN.
	AuthBasic = "basic"
	// AuthNone does not sign in: MAIL FROM goes out unauthenticated, as from a device that has no
	// credentials configured. Exchange Online's submission endpoint refuses it (530 5.7.57).
	AuthNone = "none"
	// AuthNotTried stops a submission once the server has said, inside TLS, which mechanisms it
	// offers: no credential was given, so nothing signs in and no envelope is sent (exoprobe
	// site without credentials). The auth check is skipped with the mechanisms in its facts.
	AuthNotTried = "not-tried"
)

// The SASL mechanisms Exchange Online advertises after STARTTLS on port 587: "250-AUTH LOGIN
// XOAUTH2" (facts §2.2).
const (
	mechXOAUTH2 = "XOAUTH2"
	mechLOGIN   = "LOGIN"
)

// redactedText stands in the transcript, facts and messages for every credential: the access
// token, the password, and the base64 lines that carry them.
const redactedText = "<redacted>"

// authenticate signs in with the configured method and reports whether the conversation may go
// on to the envelope. Nothing secret is sent unless the session is inside TLS 1.2 or later with
// a server certificate that verified and no known interceptor in its chain: a token or password
// given to a server that cannot prove it is Exchange Online is given away. On failure the
// session is ended (QUIT) and the finding is on the auth result.
func (c *conv) authenticate(ctx context.Context) bool {
	r := c.out.Auth
	method := c.cfg.Auth
	if method == "" {
		method = AuthOAuth
	}
	r.Set("method", method)
	if c.cfg.User != "" {
		r.Set("user", c.cfg.User)
	}
	if method == AuthNotTried {
		params, offered := c.caps.kw["AUTH"]
		r.Set("mechanisms", nonNil(strings.Fields(params)))
		r.Set("offered", offered)
		r.Skip("sign-in not tried: no credentials given")
		c.note("not signing in: no credentials given")
		c.quit(ctx)
		return false
	}
	if method == AuthNone {
		r.Skip("--auth none: no sign-in, as from a device without credentials (Exchange Online then refuses MAIL FROM with 530 5.7.57)")
		c.note("not signing in (--auth none)")
		return true
	}
	if method == AuthBasic {
		// Whatever happens next, the timeline applies: the application must move off passwords.
		c.basicDeprecated()
	}
	if why := c.withhold(); why != "" {
		c.note("credentials withheld: %s", why)
		r.Skip("credentials withheld: " + why)
		c.quit(ctx)
		return false
	}

	want := mechXOAUTH2
	if method == AuthBasic {
		want = mechLOGIN
	}
	mech, ok := c.mechanism(want)
	if !ok {
		c.quit(ctx)
		return false
	}
	r.Set("mechanism", mech)

	var rep *reply.Reply
	if method == AuthBasic {
		rep, ok = c.authLogin(ctx, mech)
	} else {
		rep, ok = c.authXOAUTH2(ctx, mech)
	}
	if !ok {
		return false
	}
	r.Set("reply", rep.String())
	if rep.Code == 235 {
		c.note("signed in as %s with %s", c.cfg.User, mech)
		r.Summary = "signed in as " + c.cfg.User + " with AUTH " + mech
		return true
	}
	c.authRefused(rep, mech)
	if rep.Code == 421 {
		c.note("the server is closing the session (421)")
	} else {
		c.quit(ctx)
	}
	return false
}

// withhold says why no credential may be sent on this session, or "" when it may.
func (c *conv) withhold() string {
	if !c.tlsOn {
		return "the session is not encrypted, so exoprobe sends no token or password on it (see the smtp and tls checks)"
	}
	if tc, ok := c.conn.(*tls.Conn); ok {
		if v := tc.ConnectionState().Version; v < tls.VersionTLS12 {
			return tls.VersionName(v) + " is older than TLS 1.2, which Exchange Online requires for SMTP AUTH"
		}
	}
	if c.interceptor != "" {
		return "the TLS session is intercepted by " + c.interceptor + ", so the token or password would go to it and not to Exchange Online (see the tls check)"
	}
	if !c.verified {
		return "the server's certificate did not verify, so nothing proves the server is Exchange Online (see the tls check)"
	}
	return ""
}

// mechanism finds want among the mechanisms the server advertised after STARTTLS and returns it
// spelled as advertised (some servers refuse a mechanism name in another case).
func (c *conv) mechanism(want string) (string, bool) {
	r := c.out.Auth
	params, offered := c.caps.kw["AUTH"]
	mechs := strings.Fields(params)
	r.Set("mechanisms", nonNil(mechs))
	if i := slices.IndexFunc(mechs, func(m string) bool { return strings.EqualFold(m, want) }); i >= 0 {
		return strings.ToUpper(mechs[i]), true
	}
	if !offered {
		c.own(r, check.Fail, code.AuthNotOffered, "the server offers no SMTP AUTH",
			fmt.Sprintf("%s did not offer SMTP AUTH after STARTTLS, so nothing can sign in. Exchange Online's submission endpoint "+
				"(smtp.office365.com, port 587) offers \"AUTH LOGIN XOAUTH2\" once TLS is on: check that %s:%d is that endpoint "+
				"(port 25 and the MX hosts never offer AUTH), and that no firewall or proxy answers in its place.",
				c.serverName(), c.endpoint(), c.cfg.Port))
		return "", false
	}
	c.own(r, check.Fail, code.AuthMechanismMissing, "AUTH "+want+" not offered (offered: "+params+")",
		fmt.Sprintf("%s offers AUTH %s, but not %s, which %s needs. Exchange Online offers \"AUTH LOGIN XOAUTH2\" on port 587: "+
			"another server or a proxy answers on %s:%d, or the endpoint is not Exchange Online's submission endpoint.",
			c.serverName(), params, want, methodName(c.cfg.Auth), c.endpoint(), c.cfg.Port))
	return "", false
}

func methodName(auth string) string {
	if auth == AuthBasic {
		return "--auth basic (AUTH LOGIN)"
	}
	return "OAuth (AUTH XOAUTH2)"
}

// authXOAUTH2 waits for the access token, then sends it as the XOAUTH2 initial response
// (facts §2.1): base64("user=" + mailbox + "\x01auth=Bearer " + token + "\x01\x01").
func (c *conv) authXOAUTH2(ctx context.Context, mech string) (*reply.Reply, bool) {
	r := c.out.Auth
	token := c.cfg.Token
	if token == "" && c.cfg.AwaitToken != nil {
		c.note("waiting for the access token")
		var why string
		token, why = c.cfg.AwaitToken(ctx)
		if token == "" {
			if why == "" {
				why = "no access token (see the oauth check)"
			}
			c.note("no AUTH: %s", why)
			r.Skip(why)
			c.quit(ctx)
			return nil, false
		}
	}
	if token == "" {
		r.Skip("no access token to sign in with (see the oauth check)")
		c.quit(ctx)
		return nil, false
	}
	c.secret(token)
	ir := base64.StdEncoding.EncodeToString([]byte("user=" + c.cfg.User + "\x01auth=Bearer " + token + "\x01\x01"))
	c.secret(ir)
	step := "AUTH " + mech
	if err := c.writeSecret(ctx, "AUTH "+mech+" "+ir, "AUTH "+mech+" "+redactedText); err != nil {
		c.authStepFailed(ctx, step, err)
		return nil, false
	}
	rep, err := c.read(ctx)
	if err != nil {
		c.authStepFailed(ctx, step, err)
		return nil, false
	}
	if rep.Code == 334 {
		// A server that answers a refused token with a challenge (Google's XOAUTH2 sends its error
		// as base64 JSON) waits for an empty line before its final reply (RFC 7628 3.2.3).
		if detail := decodeChallenge(rep); detail != "" {
			r.Set("challenge", detail)
		}
		if rep, err = c.cmd(ctx, ""); err != nil {
			c.authStepFailed(ctx, step, err)
			return nil, false
		}
	}
	return rep, true
}

// authLogin signs in with AUTH LOGIN. The user name goes as the initial response of the AUTH
// command (RFC 4954 4), and the password after the server's 334 prompt for it: two round trips,
// the fewest LOGIN allows, since the password may only follow the prompt (a server that refused
// the user name would read it as a command). Exchange Online takes the initial response, as it
// does from Python's smtplib; a server that refuses it as a syntax error (501) is asked again
// without one, and one that prompts for the user name all the same is given it. The lines that
// carry the credentials are shown redacted.
func (c *conv) authLogin(ctx context.Context, mech string) (*reply.Reply, bool) {
	c.secret(c.cfg.Password)
	c.secret(base64.StdEncoding.EncodeToString([]byte(c.cfg.Password)))
	step := "AUTH " + mech
	user := base64.StdEncoding.EncodeToString([]byte(c.cfg.User))
	if err := c.writeSecret(ctx, "AUTH "+mech+" "+user, "AUTH "+mech+" "+redactedText); err != nil {
		c.authStepFailed(ctx, step, err)
		return nil, false
	}
	rep, err := c.read(ctx)
	if err != nil {
		c.authStepFailed(ctx, step, err)
		return nil, false
	}
	userSent := true
	if rep.Code == 501 {
		c.note("the server refused the user name as an initial response; asking for the prompt")
		if rep, err = c.cmd(ctx, "AUTH "+mech); err != nil {
			c.authStepFailed(ctx, step, err)
			return nil, false
		}
		userSent = false
	}
	for prompts := 0; rep.Code == 334 && prompts < 2; prompts++ {
		value, what := c.cfg.Password, "the password"
		if !userSent || asksUser(rep) {
			value, what = c.cfg.User, "the user name"
		}
		if err := c.writeSecret(ctx, base64.StdEncoding.EncodeToString([]byte(value)), redactedText); err != nil {
			c.authStepFailed(ctx, step+" ("+what+")", err)
			return nil, false
		}
		if rep, err = c.read(ctx); err != nil {
			c.authStepFailed(ctx, step+" ("+what+")", err)
			return nil, false
		}
		if value == c.cfg.Password && what == "the password" {
			break
		}
		userSent = true
	}
	if rep.Code == 334 {
		// A prompt after the password, or a third one, is not LOGIN: cancel the exchange (RFC
		// 4954 4) and report it.
		if rep, err = c.cmd(ctx, "*"); err != nil {
			c.authStepFailed(ctx, step, err)
			return nil, false
		}
	}
	return rep, true
}

// asksUser reports whether a LOGIN prompt asks for the user name ("VXNlcm5hbWU6", base64 of
// "Username:"); any other prompt is taken as the password's.
func asksUser(rep *reply.Reply) bool {
	text := strings.ToLower(decodeChallenge(rep))
	return strings.Contains(text, "user") || strings.HasPrefix(text, "name")
}

// authStepFailed records a step of the AUTH exchange that got no reply. A connection dropped
// right after the XOAUTH2 line has a likely cause worth naming: that line is far longer than
// the 512 bytes SMTP inspection on some firewalls allows.
func (c *conv) authStepFailed(ctx context.Context, step string, err error) {
	fc, short, msg := c.classifyStep(ctx, step, err)
	if fc == code.ConnectionClosed && strings.HasSuffix(step, mechXOAUTH2) {
		msg += " The AUTH XOAUTH2 line carries the access token and is 1.5 to 2.5 KB long; a firewall whose SMTP inspection drops " +
			"command lines longer than 512 bytes (Cisco ASA: match cmd line length gt 512 drop-connection) ends the session " +
			"exactly here. Turn SMTP inspection off for port 587, or raise its line limit."
	}
	c.note("%s: %s", step, short)
	c.own(c.out.Auth, check.Fail, fc, short, msg)
}

// authRefused records the server's refusal of the sign-in, decoded by the knowledge base, with
// a message that says what was refused and what it means for this method.
func (c *conv) authRefused(rep *reply.Reply, mech string) {
	r := c.out.Auth
	fc := rep.StatusCode()
	var entry check.Code // the entry that explains it, when the reply's own would mislead
	user := c.cfg.User
	said := strings.TrimRight(rep.String(), ". ") // the reply inside a sentence of ours
	var msg string
	switch {
	case fc == "5.7.3" && mech == mechXOAUTH2:
		// The generic 5.7.3 entry covers passwords too; after XOAUTH2 the token itself passed the
		// oauth check, so the cause is on the Exchange side.
		entry = code.AuthXOAUTH2Rejected
		msg = fmt.Sprintf("Exchange Online refused the OAuth token for %s: %s. The token's claims passed the oauth check, so what is "+
			"missing is on the Exchange side: the application %s registered in Exchange (New-ServicePrincipal with the Enterprise "+
			"Application's object ID), its permission on the mailbox %s (Add-MailboxPermission), or SMTP AUTH for the mailbox; each "+
			"change takes a while to apply.", user, said, orPlaceholder(c.cfg.AppID, "(the app)"), user)
	case fc == "5.7.3":
		msg = fmt.Sprintf("Exchange Online refused the user name and password of %s: %s. The password is wrong or expired, or the "+
			"account is blocked from signing in.", user, said)
	case fc == "5.7.139":
		msg = fmt.Sprintf("Exchange Online refused SMTP AUTH for %s: %s. This applies to OAuth tokens and passwords alike: the "+
			"reply's text names the setting that blocks it.", user, said)
	case fc == "5.7.30":
		msg = fmt.Sprintf("Exchange Online no longer accepts a password for SMTP submission for %s: %s. Basic authentication for "+
			"client submission is switched off; the application must sign in with OAuth.", user, said)
	case fc == "4.7.66":
		// This client speaks TLS 1.2 or later (withhold), so the old TLS is on another leg.
		entry = code.LegacyTLSMiddlebox
		version := c.tlsVersion
		msg = fmt.Sprintf("Exchange Online answered %s: it saw TLS 1.0 or 1.1 on this connection, but exoprobe negotiated %s with "+
			"the server it reached. Something between this machine and Exchange Online terminates TLS and opens its own "+
			"connection with an old TLS version: an antivirus mail shield, a TLS-inspecting proxy or firewall. Exclude %s:%d from "+
			"its TLS or mail scanning, or update it so that it uses TLS 1.2.", said, orNone(version), c.endpoint(), c.cfg.Port)
	case rep.Code == 504 || rep.Code == 502 || fc == "5.7.4" || fc == "5.5.4":
		msg = fmt.Sprintf("%s does not accept AUTH %s although it offered it: %s.", c.serverName(), mech, said)
	case rep.Class() == 4:
		msg = fmt.Sprintf("%s refused the sign-in of %s for now: %s. Try again later; if it persists, see the hint.", c.serverName(), user, said)
	default:
		msg = fmt.Sprintf("%s refused the sign-in of %s: %s.", c.serverName(), user, said)
	}
	r.Add(check.Finding{Severity: check.Fail, Code: check.Code(fc), Message: msg, Reply: rep.String(), Entry: entry})
	c.short(r, check.Fail, "AUTH "+mech+" refused: "+rep.String())
}

// basicDeprecated adds the warning every basic-auth sign-in carries: Microsoft's retirement
// timeline for basic authentication in client submission (Exchange Team blog, 27 January 2026).
func (c *conv) basicDeprecated() {
	c.own(c.out.Auth, check.Warn, code.BasicAuthDeprecated, "basic authentication is being retired",
		"this application signs in with a user name and password (AUTH LOGIN). Microsoft is retiring basic authentication for "+
			"SMTP client submission: at the end of December 2026 it is disabled by default for existing tenants (admins can turn it "+
			"back on), tenants created after December 2026 do not have it, and Microsoft will announce the final removal date in "+
			"the second half of 2027. After that the reply is \"550 5.7.30 Basic authentication is not supported for Client "+
			"Submission\". Move the application to OAuth (exoprobe submit --auth oauth) or to relay through an inbound connector.")
}

// sendAsUnverified warns when the sender differs from the mailbox that signed in and no message
// was sent: Exchange Online checks Send As only when the message is submitted, after DATA
// (the 5.7.60 and 5.2.252 SendAsDenied replies come at the end of the message).
func (c *conv) sendAsUnverified() {
	r := c.out.Send
	if c.cfg.Send || c.cfg.Auth == AuthNone || r.Status == check.Skip || r.Status == check.Fail || c.cfg.User == "" ||
		strings.EqualFold(c.cfg.User, c.cfg.From) {
		return
	}
	c.own(r, check.Warn, code.SendAsUnverified, "Send As not tested ("+c.cfg.From+" is not "+c.cfg.User+")",
		fmt.Sprintf("the sender %s is not the mailbox that signed in (%s). Exchange Online checks the Send As permission only "+
			"when the message is submitted, after DATA, and answers 554 5.2.252 SendAsDenied (or 550 5.7.60) when it is "+
			"missing; without --send this run stops before that. Run again with --send to test it, or grant Send As first.",
			c.cfg.From, c.cfg.User))
}

// writeSecret sends a line that carries a credential; the transcript shows shown instead.
func (c *conv) writeSecret(ctx context.Context, line, shown string) error {
	c.lines = append(c.lines, check.Line{Dir: "C", Line: shown})
	c.sent(shown)
	return c.writeRaw(ctx, []byte(line+"\r\n"))
}

// secret registers a value that must never appear in the outcome; redact removes it (and its
// base64 forms) from the transcript, facts, findings and summaries when the run ends.
func (c *conv) secret(s string) {
	if len(s) < minSecretLen {
		return
	}
	for _, f := range []string{s, base64.StdEncoding.EncodeToString([]byte(s)), base64.RawStdEncoding.EncodeToString([]byte(s)),
		base64.URLEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s))} {
		if !slices.Contains(c.secrets, f) {
			c.secrets = append(c.secrets, f)
		}
	}
}

// minSecretLen keeps a degenerate one- or two-character "password" from blanking every line.
const minSecretLen = 4

// redact removes every registered secret from what the conversation produced. The conversation
// never writes a secret there itself; this catches a server that echoes one back.
func (c *conv) redact(out *Outcome) {
	if len(c.secrets) == 0 {
		return
	}
	clean := func(s string) string {
		for _, f := range c.secrets {
			s = strings.ReplaceAll(s, f, redactedText)
		}
		return s
	}
	for i := range c.lines {
		c.lines[i].Line = clean(c.lines[i].Line)
	}
	for _, r := range out.results() {
		r.Summary = clean(r.Summary)
		for i := range r.Findings {
			r.Findings[i].Message = clean(r.Findings[i].Message)
			r.Findings[i].Reply = clean(r.Findings[i].Reply)
		}
		for k, v := range r.Facts {
			switch v := v.(type) {
			case string:
				r.Facts[k] = clean(v)
			case []string:
				for i := range v {
					v[i] = clean(v[i])
				}
			}
		}
	}
}

// decodeChallenge returns the text of a 334 challenge when it is base64 of printable text (a
// JSON error, as Google sends), else "".
func decodeChallenge(rep *reply.Reply) string {
	raw := strings.TrimSpace(strings.Join(rep.Lines, ""))
	if raw == "" {
		return ""
	}
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		return ""
	}
	return printable(b)
}

func orPlaceholder(s, placeholder string) string {
	if s != "" {
		return s
	}
	return placeholder
}

func orNone(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}
