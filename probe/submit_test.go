package probe_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
)

// submitOptions points every stage of a submission run at the simulator, as the demo does.
func submitOptions(sim *fixtures.Sim) probe.SubmitOptions {
	return probe.SubmitOptions{
		From: sim.From, To: []string{sim.To}, User: sim.User,
		Tenant: sim.Tokens.TenantID, ClientID: sim.Tokens.ClientID, ClientSecret: fixtures.TokenSecret,
		Port: sim.SMTPPort, Resolver: sim.DNSAddr,
		LoginURL: sim.Tokens.URL, TokenHTTPClient: sim.Tokens.Client(),
		RunOptions: probe.RunOptions{
			RootCAs: sim.RootCAs, ControlPorts: sim.ControlPorts[len(sim.ControlPorts)-1:],
			Timeout: 20 * time.Second, ConnectTimeout: 2 * time.Second,
		},
		ReplyTimeout: 2 * time.Second, TokenTimeout: 5 * time.Second,
	}
}

func result(rep *probe.Report, id string) *check.Result {
	for _, c := range rep.Checks {
		if string(c.ID) == id {
			return c
		}
	}
	return nil
}

func reportCodes(rep *probe.Report) []string {
	var out []string
	for _, c := range rep.Checks {
		for _, f := range c.Findings {
			out = append(out, string(c.ID)+":"+string(f.Code))
		}
	}
	return out
}

func authSent(sim *fixtures.Sim) bool {
	for _, c := range sim.Received().Commands() {
		if strings.HasPrefix(c, "AUTH") {
			return true
		}
	}
	return false
}

func TestSubmitOK(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "submit-ok")
	var (
		mu   sync.Mutex
		seen []string
	)
	o := submitOptions(sim)
	o.OnCheck = func(r *check.Result) { mu.Lock(); seen = append(seen, string(r.ID)); mu.Unlock() }
	rep := probe.Submit(t.Context(), o)
	if rep.Verdict != check.Pass {
		t.Fatalf("verdict = %s; want pass (%v)", rep.Verdict, reportCodes(rep))
	}
	ids := probe.SubmitChecks()
	if len(rep.Checks) != len(ids) {
		t.Fatalf("%d checks; want %d", len(rep.Checks), len(ids))
	}
	for i, c := range rep.Checks {
		if c.ID != ids[i] {
			t.Errorf("check %d = %s; want %s", i, c.ID, ids[i])
		}
		if c.Status != check.Pass {
			t.Errorf("%s = %s %v; want pass", c.ID, c.Status, c.Findings)
		}
	}
	if len(seen) != len(ids) {
		t.Errorf("OnCheck saw %v; want every check once", seen)
	}
	if rep.Mode != check.ModeSubmit || rep.Target.Host != fixtures.SubmissionHost {
		t.Errorf("mode %q, target %+v; want submit to %s", rep.Mode, rep.Target, fixtures.SubmissionHost)
	}
	// The tcp check's connection is a session too; the conversation is the one that spoke.
	signins := 0
	for _, s := range sim.Received().Sessions {
		if s.Authenticated && s.AuthMechanism == "XOAUTH2" && s.AuthUser == fixtures.SimFrom {
			signins++
		}
	}
	if signins != 1 {
		t.Errorf("the server saw %+v; want one XOAUTH2 sign-in as %s", sim.Received().Sessions, fixtures.SimFrom)
	}
	if sim.Received().DataSent() {
		t.Errorf("the simulator received DATA without Send")
	}
}

// TestSubmitNoAUTHWithoutAUsableToken: a refused token request or a token Exchange Online would
// refuse is never followed by AUTH.
func TestSubmitNoAUTHWithoutAUsableToken(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ scenario, code string }{
		{"no-role", "oauth:token-missing-role"},
		{"bad-secret", "oauth:AADSTS7000215"},
		{"expired-secret", "oauth:AADSTS7000222"},
	} {
		t.Run(tt.scenario, func(t *testing.T) {
			t.Parallel()
			sim := fixtures.NewSim(t, tt.scenario)
			rep := probe.Submit(t.Context(), submitOptions(sim))
			if !strings.Contains(strings.Join(reportCodes(rep), " "), tt.code) {
				t.Errorf("findings %v; want %s", reportCodes(rep), tt.code)
			}
			if a := result(rep, "auth"); a == nil || a.Status != check.Skip || !strings.Contains(a.Summary, "see the oauth check") {
				t.Errorf("auth = %+v; want skipped, pointing at the oauth check", a)
			}
			if authSent(sim) {
				t.Errorf("the server saw AUTH; want none without a usable token")
			}
			if tls := result(rep, "tls"); tls.Status != check.Pass {
				t.Errorf("tls = %s; want the conversation to reach TLS while the token was refused", tls.Status)
			}
		})
	}
}

// TestSubmitSlowTokenEndpoint holds the token request until its deadline: the oauth check says
// so, no AUTH is tried, and the SMTP conversation reached AUTH meanwhile.
func TestSubmitSlowTokenEndpoint(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "submit-ok")
	slow := fixtures.NewTokenServer(t, fixtures.TokenConfig{Scenario: fixtures.TokenSlow})
	o := submitOptions(sim)
	o.LoginURL, o.TokenHTTPClient = slow.URL, slow.Client()
	o.TokenTimeout = time.Second
	start := time.Now()
	rep := probe.Submit(t.Context(), o)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the run took %v; want it to end soon after the 1 s token timeout", d)
	}
	oa := result(rep, "oauth")
	if oa.Status != check.Fail || len(oa.Findings) == 0 || oa.Findings[0].Code != "token-timeout" {
		t.Fatalf("oauth = %s %v; want token-timeout", oa.Status, oa.Findings)
	}
	if msg := oa.Findings[0].Message; !strings.Contains(msg, "did not answer within 1s") {
		t.Errorf("message %q; want it to name the 1 s deadline", msg)
	}
	if authSent(sim) {
		t.Errorf("the server saw AUTH without a token")
	}
	var waited bool
	for _, l := range rep.Transcript {
		waited = waited || l.Line == "waiting for the access token"
	}
	if tls := result(rep, "tls"); !waited || tls.Status != check.Pass || tls.DurationMS > 900 {
		t.Errorf("tls %s in %d ms, waited %v; want STARTTLS done while the token request was still out", tls.Status, tls.DurationMS, waited)
	}
}

func TestSubmitAccessTokenFromEnvironment(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "submit-ok")
	now := time.Now()
	o := submitOptions(sim)
	o.ClientSecret = ""
	o.AccessToken = sim.Tokens.Issue(fixtures.TokenClaims{
		Audience: fixtures.TokenAudience, Issuer: "https://sts.windows.net/" + sim.Tokens.TenantID + "/",
		TenantID: sim.Tokens.TenantID, AppID: sim.Tokens.ClientID, ObjectID: "sp",
		Roles: []string{fixtures.TokenRoleSendAsApp}, IssuedAt: now, NotBefore: now, Expires: now.Add(time.Hour),
	}, "1")
	rep := probe.Submit(t.Context(), o)
	if rep.Verdict != check.Pass {
		t.Fatalf("verdict = %s %v; want pass", rep.Verdict, reportCodes(rep))
	}
	if n := len(sim.Tokens.Requests()); n != 0 {
		t.Errorf("%d token requests; want none with a token given", n)
	}
}

func TestSubmitBasic(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "submit-ok")
	o := submitOptions(sim)
	o.Auth, o.Password, o.ClientSecret, o.Tenant, o.ClientID = probe.AuthBasic, fixtures.SimPassword, "", "", ""
	rep := probe.Submit(t.Context(), o)
	if rep.Verdict != check.Warn {
		t.Errorf("verdict = %s %v; want warn (basic authentication is being retired)", rep.Verdict, reportCodes(rep))
	}
	if oa := result(rep, "oauth"); oa.Status != check.Skip {
		t.Errorf("oauth = %s; want skipped with --auth basic", oa.Status)
	}
	if got := strings.Join(reportCodes(rep), " "); got != "oauth:skipped auth:basic-auth-deprecated" {
		t.Errorf("findings %q; want only the skipped oauth check and the retirement warning", got)
	}
}

func TestSubmitUnknownHost(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "submit-ok")
	o := submitOptions(sim)
	o.Host = "mail.contoso.com"
	rep := probe.Submit(t.Context(), o)
	dns := result(rep, "dns")
	if dns.Status != check.Fail || !strings.Contains(strings.Join(reportCodes(rep), " "), "dns:submit-host-unknown") {
		t.Errorf("dns = %s %v; want the host called unknown (and no address)", dns.Status, reportCodes(rep))
	}
}

// BenchmarkSubmit measures a whole submission pre-flight against the simulator on loopback:
// token request, DNS, ports, SMTP with STARTTLS, AUTH XOAUTH2, MAIL and RCPT.
func BenchmarkSubmit(b *testing.B) {
	sim := fixtures.NewSim(b, "submit-ok")
	o := submitOptions(sim)
	b.ResetTimer()
	for b.Loop() {
		if rep := probe.Submit(context.Background(), o); rep.Verdict != check.Pass {
			b.Fatalf("verdict = %s", rep.Verdict)
		}
	}
}

// TestSubmitCloudEndpoint takes the submission host and the token's scope from the cloud table.
func TestSubmitCloudEndpoint(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "submit-ok")
	o := submitOptions(sim)
	o.Cloud = "gcc-high"
	rep := probe.Submit(t.Context(), o)
	if rep.Target.Host != "outlook.office365.us" {
		t.Errorf("target %+v; want the GCC High submission host", rep.Target)
	}
	if oa := result(rep, "oauth"); oa.Facts["scope"] != "https://outlook.office365.us/.default" {
		t.Errorf("oauth scope %v; want the GCC High audience's .default", oa.Facts["scope"])
	}
}

// TestSubmitAuthNone reproduces a device that sends without signing in: no token is requested,
// no AUTH goes out, and the root cause is Exchange Online's 530 5.7.57 to MAIL FROM.
func TestSubmitAuthNone(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "submit-ok")
	o := submitOptions(sim)
	o.Auth, o.Tenant, o.ClientID, o.ClientSecret = probe.AuthNone, "", "", ""
	rep := probe.Submit(t.Context(), o)
	if rep.Verdict != check.Fail {
		t.Fatalf("verdict = %s; want fail (%v)", rep.Verdict, reportCodes(rep))
	}
	if authSent(sim) {
		t.Error("AUTH was sent with --auth none")
	}
	for _, id := range []string{"oauth", "auth"} {
		if r := result(rep, id); r == nil || r.Status != check.Skip {
			t.Errorf("%s = %v; want skipped", id, r)
		}
	}
	rc := rep.RootCause
	if rc == nil || rc.Check != check.Send || rc.Code != "5.7.57" || rc.Hint == nil || rc.Hint.ID != "client-not-authenticated" {
		t.Fatalf("root cause %+v; want send 5.7.57 client-not-authenticated (%v)", rc, reportCodes(rep))
	}
}

// TestSubmitClosedPortOnce: a port 587 that does not open is the tcp check's fact alone; the
// conversation's checks are skipped with a pointer to it.
func TestSubmitClosedPortOnce(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "submit-ok")
	o := submitOptions(sim)
	o.Port, o.ConnectTimeout = fixtures.NewFiltered(t).Port, 500*time.Millisecond
	rep := probe.Submit(t.Context(), o)
	if rep.RootCause == nil || rep.RootCause.Check != check.TCP || rep.RootCause.Code != code.PortBlocked {
		t.Errorf("root cause %+v; want tcp/%s", rep.RootCause, code.PortBlocked)
	}
	for _, id := range []string{"smtp", "tls", "auth", "send"} {
		if r := result(rep, id); r == nil || r.Status != check.Skip || !strings.Contains(r.Summary, "is not reachable (see the tcp check)") {
			t.Errorf("%s = %+v; want skipped, pointing at the tcp check", id, r)
		}
	}
}
