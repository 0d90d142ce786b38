package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// sitePath makes a path from a report as RunSite does.
func sitePath(id probe.PathID, to []string, rep *probe.Report) probe.Path {
	p := probe.Path{ID: id, To: to, Report: rep}
	if rep != nil && rep.Verdict == check.Fail && rep.RootCause == nil {
		rep.RootCause = probe.RootCause(rep.Checks, rep.Verdict)
	}
	p.Judge()
	return p
}

// siteMixed: the relay refused (5.7.64), port 25 filtered for Direct Send, SMTP AUTH working
// with a warning.
func siteMixed() *probe.Site {
	sub := sitePath(probe.PathSubmit, []string{"someone@example.org"}, submitWarn())
	sub.Encrypted, sub.Mechanisms, sub.SignIn = true, []string{"LOGIN", "XOAUTH2"}, probe.AuthOAuth
	return &probe.Site{
		SchemaVersion: probe.SchemaVersion, Tool: "exoprobe", Version: "0.1.0", Started: started, DurationMS: 5120,
		Domain: "contoso.com", From: "app@contoso.com", To: []string{"someone@example.org"},
		Paths: []probe.Path{
			sitePath(probe.PathRelay, []string{"someone@example.org"}, relayTenantAttribution()),
			sitePath(probe.PathDirect, []string{"app@contoso.com"}, directFiltered()),
			sub,
		},
		Verdict: check.Warn,
	}
}

// siteNoCredentials: the relay works, Direct Send was not tried, and the submission stopped
// after the mechanisms offered.
func siteNoCredentials() *probe.Site {
	rep := &probe.Report{
		SchemaVersion: probe.SchemaVersion, Tool: "exoprobe", Version: "0.1.0", Mode: "submit",
		Started: started, DurationMS: 210, Target: probe.Target{Host: "smtp.office365.com", Port: 587},
		Verdict: check.Pass,
		Checks: []*check.Result{
			result("dns", check.Pass, 12, "smtp.office365.com (Exchange Online submission), 1 IPv4", nil),
			result("tcp", check.Pass, 22, "587/ipv4 open", nil),
			result("oauth", check.Skip, 0, "skipped: not tried: no credentials given", nil),
			result("smtp", check.Pass, 47, "Exchange Online banner; STARTTLS offered", nil),
			result("tls", check.Pass, 80, "TLS 1.3, TLS_AES_256_GCM_SHA384; certificate outlook.com", nil),
			result("auth", check.Skip, 0, "skipped: sign-in not tried: no credentials given",
				check.Facts{"mechanisms": []string{"LOGIN", "XOAUTH2"}, "offered": true}),
			result("send", check.Skip, 0, "skipped: not tried: no sign-in", nil),
		},
		Transcript: []check.Line{},
	}
	sub := sitePath(probe.PathSubmit, []string{"someone@example.org"}, rep)
	sub.Encrypted, sub.Mechanisms, sub.SignIn = true, []string{"LOGIN", "XOAUTH2"}, probe.AuthNotTried
	return &probe.Site{
		SchemaVersion: probe.SchemaVersion, Tool: "exoprobe", Version: "0.1.0", Started: started, DurationMS: 430,
		Domain: "contoso.com", From: "scanner@fabrikam.com", To: []string{"someone@example.org"},
		Paths: []probe.Path{
			sitePath(probe.PathRelay, []string{"someone@example.org"}, relayPass()),
			{ID: probe.PathDirect, Status: check.Skip,
				NotTried: "no recipient inside contoso.com was given: Direct Send only reaches the tenant's own mailboxes"},
			sub,
		},
		Verdict: check.Pass,
	}
}

// siteDirectSPF: Direct Send accepted at RCPT, but the sender domain's SPF does not list this
// site's address.
func siteDirectSPF() *probe.Site {
	direct := &probe.Report{
		SchemaVersion: probe.SchemaVersion, Tool: "exoprobe", Version: "0.1.0", Mode: "direct",
		Started: started, DurationMS: 310,
		Target:  probe.Target{Domain: "contoso.com", Host: "contoso-com.mail.protection.outlook.com", Port: 25},
		Verdict: check.Fail,
		Checks: []*check.Result{
			result("dns", check.Fail, 31, "MX is Exchange Online; SPF of contoso.com does not authorise 198.51.100.23",
				check.Facts{"spf_result": "fail"},
				check.Finding{Severity: check.Fail, Code: "spf-ip-not-authorised",
					Message: "The SPF record of contoso.com does not authorise this site's public address 198.51.100.23 (result fail)."}),
			result("send", check.Pass, 40, "accepted sender and recipient; nothing delivered (use --send)", nil),
		},
		Transcript: []check.Line{},
	}
	sub := sitePath(probe.PathSubmit, []string{"user@contoso.com"}, submitWarn())
	sub.Encrypted, sub.Mechanisms, sub.SignIn = true, []string{"LOGIN", "XOAUTH2"}, probe.AuthOAuth
	return &probe.Site{
		SchemaVersion: probe.SchemaVersion, Tool: "exoprobe", Version: "0.1.0", Started: started, DurationMS: 640,
		Domain: "contoso.com", From: "scanner@contoso.com", To: []string{"user@contoso.com"},
		Paths: []probe.Path{
			{ID: probe.PathRelay, Status: check.Skip,
				NotTried: "no recipient outside contoso.com was given: relaying is proven only by an outside recipient"},
			sitePath(probe.PathDirect, []string{"user@contoso.com"}, direct),
			sub,
		},
		Verdict: check.Warn,
	}
}

func TestGoldenSite(t *testing.T) {
	cases := []struct {
		name string
		site func() *probe.Site
	}{
		{"site-mixed", siteMixed},
		{"site-no-credentials", siteNoCredentials},
		{"site-direct-spf", siteDirectSPF},
	}
	outputs := []struct {
		suffix string
		format Output
		opts   TextOptions
	}{
		{".txt", OutputText, TextOptions{}},
		{".color.txt", OutputText, TextOptions{Color: true}},
		{".json", OutputJSON, TextOptions{}},
		{".md", OutputMarkdown, TextOptions{}},
	}
	for _, c := range cases {
		for _, o := range outputs {
			t.Run(c.name+o.suffix, func(t *testing.T) {
				var b bytes.Buffer
				if err := Render(&b, Format{Output: o.format, Text: o.opts}, Site{Site: c.site()}); err != nil {
					t.Fatalf("Render: %v", err)
				}
				golden(t, c.name+o.suffix, b.Bytes())
			})
		}
	}
}

// TestSiteJSONKeys pins the keys of a path in order, null and [] included.
func TestSiteJSONKeys(t *testing.T) {
	var b bytes.Buffer
	if err := Render(&b, Format{Output: OutputJSON}, Site{Site: siteNoCredentials()}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths []map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	direct := doc.Paths[1]
	for key, want := range map[string]string{"report": "null", "blocker": "null", "warnings": "[]", "submission": "null", "status": `"skip"`} {
		if got := string(direct[key]); got != want {
			t.Errorf("direct path %s = %s; want %s", key, got, want)
		}
	}
	if got := string(doc.Paths[2]["submission"]); !strings.Contains(got, `"sign_in": "not-tried"`) {
		t.Errorf("submit path submission = %s; want sign_in not-tried", got)
	}
}

func TestSiteNilRenders(t *testing.T) {
	for _, f := range []Output{OutputText, OutputJSON, OutputMarkdown} {
		if err := Render(&bytes.Buffer{}, Format{Output: f}, Site{}); err == nil {
			t.Errorf("%s: rendering no site gave no error", f)
		}
	}
}
