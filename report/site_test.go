package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/net/html"

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

// siteTicket is the ticket cmd gives a site run in the tests: a Windows machine behind a proxy.
func siteTicket(s *probe.Site) *Ticket {
	send := false
	return &Ticket{
		CommandLine: "exoprobe site --domain contoso.com --from " + s.From + " --to " + strings.Join(s.To, ",") +
			" --tenant contoso.com --client-id 00000000-0000-0000-0000-0000000000aa",
		Environment: Environment{
			OS: "windows", Arch: "amd64", Machine: "SCANNER01", TimeZone: "CET", UTCOffset: 3600,
			Proxies: []ProxyVariable{{"HTTPS_PROXY", "http://proxy.contoso.local:8080"}},
		},
		Inputs: Inputs{
			From: s.From, To: s.To, Domain: s.Domain, Port: 25, SubmitPort: 587, Auth: "oauth",
			Tenant: "contoso.com", ClientID: "00000000-0000-0000-0000-0000000000aa", Cloud: "global", Send: &send,
		},
		ExitCode: map[check.Status]int{check.Pass: 0, check.Warn: 1, check.Fail: 2}[s.Verdict],
	}
}

func TestGoldenSite(t *testing.T) {
	cases := []struct {
		name string
		site func() *probe.Site
		html bool // also the HTML page
	}{
		{"site-mixed", siteMixed, true},
		{"site-no-credentials", siteNoCredentials, false},
		{"site-direct-spf", siteDirectSPF, false},
	}
	// The text on a console without a ticket (tests), then the text and the files of a report
	// for a ticket, with the run's ticket, as cmd writes them.
	outputs := []struct {
		suffix string
		format Output
		opts   TextOptions
		ticket bool
	}{
		{".txt", OutputText, TextOptions{}, false},
		{".color.txt", OutputText, TextOptions{Color: true}, false},
		{".ticket.txt", OutputText, TextOptions{}, true},
		{".json", OutputJSON, TextOptions{}, true},
		{".md", OutputMarkdown, TextOptions{}, true},
		{".html", OutputHTML, TextOptions{}, true},
	}
	for _, c := range cases {
		for _, o := range outputs {
			if o.format == OutputHTML && !c.html {
				continue
			}
			t.Run(c.name+o.suffix, func(t *testing.T) {
				doc := Site{Site: c.site()}
				if o.ticket {
					doc.Ticket = siteTicket(doc.Site)
				}
				var b bytes.Buffer
				if err := Render(&b, Format{Output: o.format, Text: o.opts}, doc); err != nil {
					t.Fatalf("Render: %v", err)
				}
				golden(t, c.name+o.suffix, b.Bytes())
			})
		}
	}
}

// TestSiteHTML parses the site page: the verdict, the table of paths at the top with each
// path's status and what blocks it, the run's ticket, and under the table each path's run with
// its own verdict, root cause, checks, findings with their fix steps, facts and transcript.
func TestSiteHTML(t *testing.T) {
	for _, c := range []struct {
		name string
		site func() *probe.Site
	}{
		{"site-mixed", siteMixed},
		{"site-no-credentials", siteNoCredentials},
		{"site-direct-spf", siteDirectSPF},
	} {
		t.Run(c.name, func(t *testing.T) {
			site := c.site()
			doc, out := parseSiteHTML(t, Site{Site: site, Ticket: siteTicket(site)})
			v := byID(doc, "verdict")
			if v == nil || !hasClass(v, string(site.Verdict)) {
				t.Fatalf("no verdict section of class %q", site.Verdict)
			}
			if got, want := textOf(byID(doc, "verdict-text")), siteVerdictText(site); got != want {
				t.Errorf("verdict text = %q; want %q", got, want)
			}

			table := byID(doc, "paths")
			if table == nil {
				t.Fatal("no table of paths")
			}
			sections := find(doc, func(n *html.Node) bool { return n.Data == "section" })
			if sections[1] != table {
				t.Errorf("the table of paths is not the page's first section after the verdict")
			}
			rows := find(table, func(n *html.Node) bool { return n.Data == "tr" && attr(n, "data-path") != "" })
			if len(rows) != len(site.Paths) {
				t.Fatalf("%d rows in the table; want %d", len(rows), len(site.Paths))
			}
			for i, p := range site.Paths {
				row := rows[i]
				want := []string{pathTitle(p.ID), pathTag(p), strings.Join(strings.Fields(pathWhy(p)), " ")}
				if attr(row, "data-path") != string(p.ID) || !hasClass(row, string(p.Status)) {
					t.Errorf("row %d = %s of class %q; want %s of class %s", i, attr(row, "data-path"), attr(row, "class"), p.ID, p.Status)
				}
				for _, w := range want {
					if !strings.Contains(textOf(row), w) {
						t.Errorf("row %s lacks %q: %s", p.ID, w, textOf(row))
					}
				}
			}

			run := textOf(byID(doc, "run"))
			for _, want := range []string{"SCANNER01", "windows/amd64", "0.1.0", "CET (UTC+01:00)", "exoprobe site --domain contoso.com",
				"proxy in the environment: HTTPS_PROXY=http://proxy.contoso.local:8080", "submit-port 587",
				"Exit code " + map[check.Status]string{check.Pass: "0", check.Warn: "1", check.Fail: "2"}[site.Verdict]} {
				if !strings.Contains(run, want) {
					t.Errorf("run section lacks %q: %s", want, run)
				}
			}

			for _, p := range site.Paths {
				id := string(p.ID)
				sec := byID(doc, "path-"+id)
				if sec == nil {
					t.Errorf("no section for the path %s", id)
					continue
				}
				if p.Report == nil {
					if !strings.Contains(textOf(sec), "Not tried: "+p.NotTried) {
						t.Errorf("path %s: the reason it was not tried is missing: %s", id, textOf(sec))
					}
					continue
				}
				rep := p.Report
				pv := byID(sec, id+"-verdict")
				if pv == nil || !hasClass(pv, string(verdictOf(rep))) {
					t.Errorf("path %s: no verdict of class %s", id, verdictOf(rep))
				}
				if got, want := textOf(byID(sec, id+"-verdict-text")), strings.Join(strings.Fields(clean(verdictText(rep))), " "); got != want {
					t.Errorf("path %s: verdict text = %q; want %q", id, got, want)
				}
				rc := byID(sec, id+"-root-cause")
				if f, ok := rootCause(rep); ok {
					if rc == nil || !strings.Contains(textOf(rc), string(f.Code)) || !strings.Contains(textOf(rc), string(f.Check)) {
						t.Errorf("path %s: root cause missing or without %s/%s", id, f.Check, f.Code)
					}
				} else if rc != nil {
					t.Errorf("path %s: root cause %q shown for a run without one", id, textOf(rc))
				}
				for _, c := range checks(rep) {
					rows := find(sec, func(n *html.Node) bool { return n.Data == "tr" && attr(n, "data-check") == string(c.ID) })
					if len(rows) != 1 || !hasClass(rows[0], string(c.Status)) {
						t.Errorf("path %s, check %s: %d rows; want one of class %s", id, c.ID, len(rows), c.Status)
					}
				}
				articles := find(sec, func(n *html.Node) bool { return hasClass(n, "finding") })
				fs := findings(rep)
				if len(articles) != len(fs) {
					t.Errorf("path %s: %d findings shown; want %d", id, len(articles), len(fs))
					continue
				}
				for i, f := range fs {
					if attr(articles[i], "data-code") != string(f.Code) {
						t.Errorf("path %s, finding %d = %s; want %s", id, i, attr(articles[i], "data-code"), f.Code)
					}
					if f.Hint != nil && len(fixSteps(f.Hint.Fix)) > 0 {
						steps := find(articles[i], func(n *html.Node) bool { return n.Data == "li" && n.Parent != nil && hasClass(n.Parent, "fix") })
						if len(steps) != len(fixSteps(f.Hint.Fix)) {
							t.Errorf("path %s, finding %d: %d fix steps; want %d", id, i, len(steps), len(fixSteps(f.Hint.Fix)))
						}
					}
				}
				if len(rep.Transcript) > 0 && byID(sec, id+"-transcript") == nil {
					t.Errorf("path %s: no transcript", id)
				}
				if len(find(sec, func(n *html.Node) bool { return n.Data == "h2" })) != 1 {
					t.Errorf("path %s: its run's headings are not under the path's", id)
				}
			}

			// Self-contained as the run's page: nothing loaded, nothing run, the same style sheet.
			if n := find(doc, func(n *html.Node) bool { return n.Data == "script" || n.Data == "link" || n.Data == "img" }); len(n) > 0 {
				t.Errorf("page holds <%s>", n[0].Data)
			}
			if !strings.Contains(out, "@media print") || !strings.Contains(out, "default-src 'none'") {
				t.Errorf("the page lacks the run page's style sheet or policy")
			}
			ids := map[string]bool{}
			for _, n := range find(doc, func(n *html.Node) bool { return attr(n, "id") != "" }) {
				if ids[attr(n, "id")] {
					t.Errorf("id %q used twice", attr(n, "id"))
				}
				ids[attr(n, "id")] = true
			}
		})
	}
}

// parseSiteHTML renders a site run as HTML and parses it.
func parseSiteHTML(t *testing.T, s Site) (*html.Node, string) {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, Format{Output: OutputHTML}, s); err != nil {
		t.Fatalf("HTML: %v", err)
	}
	doc, err := html.Parse(strings.NewReader(b.String()))
	if err != nil {
		t.Fatalf("not HTML: %v", err)
	}
	return doc, b.String()
}

// TestSiteTicket checks the ticket in the text, JSON and Markdown of a site run: the command
// line, the machine, the inputs, each path's root cause and the exit code.
func TestSiteTicket(t *testing.T) {
	site := siteMixed()
	doc := Site{Site: site, Ticket: siteTicket(site)}
	render := func(o Output) string {
		var b bytes.Buffer
		if err := Render(&b, Format{Output: o}, doc); err != nil {
			t.Fatalf("%s: %v", o, err)
		}
		return b.String()
	}
	causes := []string{"Relay (connector, port 25): the send check, 5.7.64 (relay-tenant-attribution)",
		"Direct Send (port 25): the tcp check, port-filtered (port-filtered)", "SMTP AUTH (port 587): the oauth check, secret-expiring"}
	text := strings.Join(strings.Fields(render(OutputText)), " ")
	for _, want := range append([]string{"Run exoprobe site --domain contoso.com", "exoprobe 0.1.0, windows/amd64, machine SCANNER01",
		"13:00:00 CET (UTC+01:00)", "proxy in the environment: HTTPS_PROXY", "Input from app@contoso.com;", "submit-port 587",
		"Root causes: ", "; exit code 1"}, causes...) {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	md := render(OutputMarkdown)
	for _, want := range []string{"- **Exit code:** 1", "- **Command:** `exoprobe site --domain contoso.com", "- **Machine:** `SCANNER01`",
		"- **Root cause, Relay (connector, port 25):** the send check, 5.7.64", "CET (UTC+01:00)", "| submit-port | `587` |"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	var j struct {
		CommandLine string           `json:"command_line"`
		ExitCode    *int             `json:"exit_code"`
		Environment *jsonEnvironment `json:"environment"`
		Inputs      map[string]any   `json:"inputs"`
		Paths       []struct {
			ID        string         `json:"id"`
			RootCause *jsonRootCause `json:"root_cause"`
		} `json:"paths"`
	}
	if err := json.Unmarshal([]byte(render(OutputJSON)), &j); err != nil {
		t.Fatal(err)
	}
	if j.ExitCode == nil || *j.ExitCode != 1 || j.Environment == nil || j.Environment.Machine != "SCANNER01" ||
		!j.Environment.ProxyConfigured || !strings.HasPrefix(j.CommandLine, "exoprobe site ") {
		t.Errorf("JSON ticket: exit code %v, environment %+v, command line %q", j.ExitCode, j.Environment, j.CommandLine)
	}
	if j.Inputs["submit_port"] != float64(587) || j.Inputs["domain"] != "contoso.com" || j.Inputs["tenant"] != "contoso.com" {
		t.Errorf("JSON inputs = %v", j.Inputs)
	}
	for i, want := range []string{"send/5.7.64", "tcp/port-filtered", "oauth/secret-expiring"} {
		rc := j.Paths[i].RootCause
		if rc == nil || rc.Check+"/"+rc.Code != want {
			t.Errorf("path %s: root_cause %+v; want %s", j.Paths[i].ID, rc, want)
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
	for _, f := range []Output{OutputText, OutputJSON, OutputMarkdown, OutputHTML} {
		if err := Render(&bytes.Buffer{}, Format{Output: f}, Site{}); err == nil {
			t.Errorf("%s: rendering no site gave no error", f)
		}
	}
}

// TestSiteHTMLHostileText feeds the site page server text and names meant to break out of it:
// none may become markup, in the table or in a path's run.
func TestSiteHTMLHostileText(t *testing.T) {
	evil := `</td></tr><script>alert(1)</script><img src=x onerror=alert(2)>"' onmouseover="x` + "\u202e"
	site := siteMixed()
	site.Domain = "contoso.com" + evil
	site.Paths[0].Report.Checks[5].Findings[0].Message = evil
	site.Paths[0].Report.Checks[5].Summary = evil
	site.Paths[0].Blocker.Hint = &check.Hint{Title: evil}
	site.Paths[1].NotTried = evil
	site.Paths[1].Report, site.Paths[1].Status = nil, check.Skip
	doc, out := parseSiteHTML(t, Site{Site: site, Ticket: siteTicket(site)})
	for _, bad := range []string{"<script", "<img", "\u202e"} {
		if strings.Contains(out, bad) {
			t.Errorf("page holds %q", bad)
		}
	}
	if n := find(doc, func(n *html.Node) bool { return n.Data == "script" || n.Data == "img" }); len(n) > 0 {
		t.Errorf("server text became the element <%s>", n[0].Data)
	}
	if !strings.Contains(textOf(byID(doc, "paths")), "<script>alert(1)</script>") {
		t.Errorf("the hostile text is not shown as text in the table")
	}
}
