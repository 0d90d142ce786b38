package session

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe/check"
)

// TestTurns counts the turns of the conversation's paths that the simulator does not stage,
// through a fixtures.Proxy in front of a scripted server: the client's flights that the server
// had to answer before the client went on. The whole-command paths are counted in
// cmd/exoprobe (TestTurns); these are the ones around them: a server without PIPELINING, the
// envelope refused with --send, and the variants of AUTH LOGIN.
func TestTurns(t *testing.T) {
	t.Parallel()
	ms, msTLS := msPKI(t)
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	plainEHLO := func(caps ...string) act {
		lines := []string{"250-" + exoFront + " Hello [" + echoIP + "]"}
		for _, c := range caps {
			lines = append(lines, "250-"+c)
		}
		return say(append(lines, "250 8BITMIME")...)
	}
	authEHLO := say("250-"+exoFront+" Hello ["+echoIP+"]", "250-PIPELINING", "250-AUTH LOGIN XOAUTH2", "250 8BITMIME")
	upToAuth := []act{exoGreeting(), expect("EHLO "), exoEHLO(true), expect("STARTTLS"), say("220 2.0.0 SMTP server ready"),
		startTLS(msTLS), expect("EHLO "), authEHLO}
	pipelinedEnd := []act{expect("MAIL FROM"), expect("RCPT TO"), expect("RSET"), expect("QUIT"),
		say("250 2.1.0 Sender OK", "250 2.1.5 Recipient OK", "250 2.0.0 Resetting", "221 2.0.0 Bye")}
	tests := []struct {
		name   string
		script []act
		config func(*Config)
		turns  int
		why    string
		send   check.Status
	}{
		{
			name: "without PIPELINING, one command per turn",
			script: []act{exoGreeting(), expect("EHLO"), plainEHLO(),
				expect("MAIL"), say("250 2.1.0 Sender OK"), expect("RCPT"), say("250 2.1.5 Recipient OK"),
				expect("RSET"), say("250 2.0.0 Resetting"), expect("QUIT"), say("221 2.0.0 Bye")},
			config: func(c *Config) { c.Mode = check.ModeDirect },
			turns:  5, why: "EHLO; MAIL; RCPT; RSET; QUIT", send: check.Pass,
		},
		{
			name:   "with PIPELINING, the envelope, RSET and QUIT in one",
			script: append([]act{exoGreeting(), expect("EHLO"), plainEHLO("PIPELINING")}, pipelinedEnd...),
			config: func(c *Config) { c.Mode = check.ModeDirect },
			turns:  2, why: "EHLO; MAIL+RCPT+RSET+QUIT", send: check.Pass,
		},
		{
			name: "--send, every recipient refused: DATA refused, then QUIT",
			script: []act{exoGreeting(), expect("EHLO"), plainEHLO("PIPELINING"),
				expect("MAIL FROM"), expect("RCPT TO"), expect("DATA"),
				say("250 2.1.0 Sender OK", "550 5.7.64 TenantAttribution; Relay Access Denied ATTR36", "554 5.5.1 Error: no valid recipients"),
				expect("QUIT"), say("221 2.0.0 Bye")},
			config: func(c *Config) { c.Mode, c.Send = check.ModeDirect, true },
			turns:  3, why: "EHLO; MAIL+RCPT+DATA; QUIT", send: check.Fail,
		},
		{
			name: "--send, DATA taken though no recipient was: a lone dot, no message",
			script: []act{exoGreeting(), expect("EHLO"), plainEHLO("PIPELINING"),
				expect("MAIL FROM"), expect("RCPT TO"), expect("DATA"),
				say("250 2.1.0 Sender OK", "550 5.1.1 User unknown", "354 Go ahead"),
				expect("."), expect("QUIT"), say("554 5.5.1 No recipients", "221 2.0.0 Bye")},
			config: func(c *Config) { c.Mode, c.Send = check.ModeDirect, true },
			turns:  3, why: "EHLO; MAIL+RCPT+DATA; the lone dot+QUIT", send: check.Fail,
		},
		{
			name: "AUTH LOGIN with the user name as initial response",
			script: concat(upToAuth, []act{expect("AUTH LOGIN " + b64("app@contoso.com")), say("334 UGFzc3dvcmQ6"),
				expect(b64("Pa55-word-for-tests")), say("235 2.7.0 Authentication successful")}, pipelinedEnd),
			config: loginConfig, turns: 7, send: check.Pass,
			why: "EHLO; STARTTLS; ClientHello; Finished+EHLO; AUTH LOGIN <user>; the password; MAIL+RCPT+RSET+QUIT",
		},
		{
			name: "AUTH LOGIN's initial response refused as a syntax error: asked again with the prompts",
			script: concat(upToAuth, []act{expect("AUTH LOGIN " + b64("app@contoso.com")), say("501 5.5.2 Syntax error"),
				expect("AUTH LOGIN"), say("334 VXNlcm5hbWU6"), expect(b64("app@contoso.com")), say("334 UGFzc3dvcmQ6"),
				expect(b64("Pa55-word-for-tests")), say("235 2.7.0 Authentication successful")}, pipelinedEnd),
			config: loginConfig, turns: 9, send: check.Pass,
			why: "as with the initial response, plus AUTH LOGIN again and the user name after its prompt",
		},
		{
			name: "AUTH LOGIN prompting for the user name all the same: given it, then the password",
			script: concat(upToAuth, []act{expect("AUTH LOGIN " + b64("app@contoso.com")), say("334 VXNlcm5hbWU6"),
				expect(b64("app@contoso.com")), say("334 UGFzc3dvcmQ6"),
				expect(b64("Pa55-word-for-tests")), say("235 2.7.0 Authentication successful")}, pipelinedEnd),
			config: loginConfig, turns: 8, send: check.Pass,
			why: "as with the initial response, plus the user name again after its prompt",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, tt.script...)
			proxy := fixtures.NewProxy(t, srv.Addr, 0)
			cfg := baseConfig(srv, ms)
			cfg.Addr = proxy.Addr
			if tt.config != nil {
				tt.config(&cfg)
			}
			out := Run(t.Context(), cfg)
			srv.check(t)
			if out.Send.Status != tt.send {
				t.Errorf("send = %s %v; want %s", out.Send.Status, codes(out.Send), tt.send)
			}
			if got := proxy.Turns(); len(got) != 1 || got[0] != tt.turns {
				t.Errorf("turns = %v; want [%d] (%s)\n%s", got, tt.turns, tt.why, transcript(out))
			}
			if tr := transcript(out); strings.Contains(tr, "Pa55-word") || strings.Contains(tr, b64("Pa55-word-for-tests")) {
				t.Errorf("the transcript holds the password:\n%s", tr)
			}
		})
	}
}

// loginConfig signs in with AUTH LOGIN.
func loginConfig(c *Config) {
	c.Mode, c.Auth, c.User, c.Password = check.ModeSubmit, AuthBasic, "app@contoso.com", "Pa55-word-for-tests"
	c.Port = 587
}
