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

// sampleTicket is the ticket cmd would gather for rep: a Windows machine behind a proxy (the
// passing relay runs on one without), with the inputs of the report's mode.
func sampleTicket(rep *probe.Report) *Ticket {
	send := false
	t := &Ticket{
		Environment: Environment{
			OS: "windows", Arch: "amd64", Machine: "SCANNER01", TimeZone: "CET", UTCOffset: 3600,
			Proxies: []ProxyVariable{{"HTTPS_PROXY", "http://proxy.contoso.local:8080"}, {"NO_PROXY", "localhost,.contoso.local"}},
		},
		ExitCode: map[check.Status]int{check.Pass: 0, check.Warn: 1, check.Fail: 2}[verdictOf(rep)],
	}
	switch rep.Mode {
	case "submit":
		t.CommandLine = "exoprobe submit --from app@contoso.com --to someone@example.org --tenant contoso.com --client-id 00000000-0000-0000-0000-0000000000aa"
		t.Inputs = Inputs{From: "app@contoso.com", To: []string{"someone@example.org"}, Port: 587, Auth: "oauth",
			Tenant: "contoso.com", ClientID: "00000000-0000-0000-0000-0000000000aa", Cloud: "global", Send: &send}
	case "direct":
		t.CommandLine = "exoprobe direct --from scanner@contoso.com --to user@contoso.com"
		t.Inputs = Inputs{From: "scanner@contoso.com", To: []string{"user@contoso.com"}, Domain: "contoso.com", Port: 25, Send: &send}
	default:
		t.CommandLine = "exoprobe relay --from scanner@contoso.com --to someone@example.org --expect-ip 203.0.113.7"
		t.Inputs = Inputs{From: "scanner@contoso.com", To: []string{"someone@example.org"}, Domain: "contoso.com", Port: 25,
			ExpectIP: []string{"203.0.113.7"}, Send: &send}
	}
	if rep.Verdict == check.Pass {
		t.Environment.Proxies = nil
	}
	return t
}

// parseHTML renders run as HTML and parses it.
func parseHTML(t *testing.T, run Run) (*html.Node, string) {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, Format{Output: OutputHTML}, run); err != nil {
		t.Fatalf("HTML: %v", err)
	}
	doc, err := html.Parse(strings.NewReader(b.String()))
	if err != nil {
		t.Fatalf("not HTML: %v", err)
	}
	return doc, b.String()
}

// find returns the elements under n for which match holds, in document order.
func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// textOf is the text of n and its descendants, blanks collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
		case html.ElementNode:
			b.WriteByte(' ') // cells and blocks read apart
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func byID(doc *html.Node, id string) *html.Node {
	if n := find(doc, func(n *html.Node) bool { return attr(n, "id") == id }); len(n) == 1 {
		return n[0]
	}
	return nil
}

func TestHTMLReport(t *testing.T) {
	reports := []struct {
		name    string
		rep     func() *probe.Report
		verdict string
		root    string // the root cause's code, "" for none
	}{
		{"relay-pass", relayPass, "pass", ""},
		{"relay-5.7.64", relayTenantAttribution, "fail", "5.7.64"},
		{"direct-port-filtered", directFiltered, "fail", ""},
		{"submit-warn", submitWarn, "warn", "secret-expiring"},
	}
	for _, r := range reports {
		t.Run(r.name, func(t *testing.T) {
			rep := r.rep()
			doc, _ := parseHTML(t, Run{Report: rep, Ticket: sampleTicket(rep)})

			v := byID(doc, "verdict")
			if v == nil || !hasClass(v, r.verdict) {
				t.Fatalf("no verdict section of class %q", r.verdict)
			}
			if got, want := textOf(byID(doc, "verdict-text")), clean(verdictText(rep)); got != strings.Join(strings.Fields(want), " ") {
				t.Errorf("verdict text = %q; want %q", got, want)
			}
			rc := byID(doc, "root-cause")
			if f, ok := rootCause(rep); ok {
				if rc == nil || !strings.Contains(textOf(rc), string(f.Code)) || !strings.Contains(textOf(rc), string(f.Check)) {
					t.Errorf("root cause section missing or without %s/%s", f.Check, f.Code)
				}
				if r.root != "" && string(f.Code) != r.root {
					t.Errorf("root cause %s; want %s", f.Code, r.root)
				}
			} else if rc != nil {
				t.Errorf("root cause %q shown for a report without one", textOf(rc))
			}

			for _, c := range checks(rep) {
				rows := find(doc, func(n *html.Node) bool { return n.Data == "tr" && attr(n, "data-check") == string(c.ID) })
				if len(rows) != 1 || !hasClass(rows[0], string(c.Status)) || !strings.Contains(textOf(rows[0]), tag(c.Status)) {
					t.Errorf("check %s: %d rows; want one of class %s saying %s", c.ID, len(rows), c.Status, tag(c.Status))
				}
			}
			articles := find(doc, func(n *html.Node) bool { return hasClass(n, "finding") })
			fs := findings(rep)
			if len(articles) != len(fs) {
				t.Fatalf("%d findings shown; want %d", len(articles), len(fs))
			}
			for i, f := range fs {
				a := articles[i]
				if attr(a, "data-check") != string(f.Check) || attr(a, "data-code") != string(f.Code) || !hasClass(a, string(f.Severity)) {
					t.Errorf("finding %d = %s/%s; want %s/%s of class %s", i, attr(a, "data-check"), attr(a, "data-code"), f.Check, f.Code, f.Severity)
				}
				if want := strings.Join(strings.Fields(clean(f.Message)), " "); !strings.Contains(textOf(a), want) {
					t.Errorf("finding %d lacks its message %q", i, want)
				}
				if f.Hint != nil && len(f.Hint.Fix) > 0 {
					steps := find(a, func(n *html.Node) bool { return n.Data == "li" && n.Parent != nil && hasClass(n.Parent, "fix") })
					if len(steps) != len(fixSteps(f.Hint.Fix)) {
						t.Errorf("finding %d: %d fix steps; want %d", i, len(steps), len(fixSteps(f.Hint.Fix)))
					}
				}
			}

			run := textOf(byID(doc, "run"))
			for _, want := range []string{"SCANNER01", "windows/amd64", "0.1.0", "CET (UTC+01:00)", "exoprobe " + string(rep.Mode) + " --from",
				"Exit code " + map[string]string{"pass": "0", "warn": "1", "fail": "2"}[r.verdict]} {
				if !strings.Contains(run, want) {
					t.Errorf("run section lacks %q: %s", want, run)
				}
			}
			if len(rep.Transcript) > 0 {
				tr := byID(doc, "transcript")
				if tr == nil || len(find(tr, func(n *html.Node) bool { return n.Data == "details" })) != 1 {
					t.Errorf("transcript not in a <details> block")
				}
			}
		})
	}
}

// TestHTMLSelfContained checks that the page loads nothing and runs nothing: no script, no
// external style sheet, image, frame or font, and a policy that forbids them.
func TestHTMLSelfContained(t *testing.T) {
	rep := relayTenantAttribution()
	doc, out := parseHTML(t, Run{Report: rep, Ticket: sampleTicket(rep), Connector: ipPlan()})
	for _, tagName := range []string{"script", "link", "img", "iframe", "object", "embed", "base", "form"} {
		if n := find(doc, func(n *html.Node) bool { return n.Data == tagName }); len(n) > 0 {
			t.Errorf("page holds <%s>", tagName)
		}
	}
	for _, n := range find(doc, func(*html.Node) bool { return true }) {
		if attr(n, "src") != "" {
			t.Errorf("<%s> loads %q", n.Data, attr(n, "src"))
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("<%s> has the handler %s", n.Data, a.Key)
			}
		}
	}
	if strings.Contains(out, "@import") || strings.Contains(out, "url(") {
		t.Errorf("the style sheet loads something")
	}
	csp := find(doc, func(n *html.Node) bool {
		return n.Data == "meta" && strings.EqualFold(attr(n, "http-equiv"), "Content-Security-Policy")
	})
	if len(csp) != 1 || !strings.Contains(attr(csp[0], "content"), "default-src 'none'") {
		t.Errorf("no Content-Security-Policy forbidding loads")
	}
	if !strings.Contains(out, "@media print") {
		t.Errorf("no print style sheet")
	}
	if byID(doc, "connector") == nil || !strings.Contains(textOf(byID(doc, "connector")), "New-InboundConnector") {
		t.Errorf("the connector pre-flight's PowerShell is missing")
	}
}

// TestHTMLHostileText feeds the page server text meant to break out of it: markup, a script, a
// bidi override, an attribute break and a javascript: link. None may become markup.
func TestHTMLHostileText(t *testing.T) {
	rep := hostile()
	evil := `</code></pre><script>alert(1)</script><img src=x onerror=alert(2)>"' onmouseover="x`
	rep.Checks[3].Summary = evil
	rep.Checks[5].Findings[0].Message = evil
	rep.Checks[5].Findings[0].Code = check.Code(`5.7.64"><b>x</b>`)
	rep.Checks[5].Facts["reply"] = evil
	rep.Checks[5].Findings[0].Hint.Docs = []string{"javascript:alert(3)", `https://example.org/"><script>x</script>`}
	rep.Transcript = append(rep.Transcript, check.Line{Dir: "S", Line: evil})
	tk := sampleTicket(rep)
	tk.CommandLine = "exoprobe relay --from " + evil
	tk.Environment.Machine = "host\u202etxt.exe<b>"
	doc, out := parseHTML(t, Run{Report: rep, Ticket: tk})
	for _, bad := range []string{"<script", "<img", "<b>", "\u202e", "\x1b"} {
		if strings.Contains(out, bad) {
			t.Errorf("page holds %q", bad)
		}
	}
	for _, a := range find(doc, func(n *html.Node) bool { return n.Data == "a" }) {
		if h := attr(a, "href"); !strings.HasPrefix(h, "https://") {
			t.Errorf("link to %q", h)
		}
	}
	if n := find(doc, func(n *html.Node) bool { return n.Data == "script" || n.Data == "img" || n.Data == "b" }); len(n) > 0 {
		t.Errorf("server text became the element <%s>", n[0].Data)
	}
	if !strings.Contains(textOf(doc), "<script>alert(1)</script>") {
		t.Errorf("the hostile text is not shown as text")
	}
}

func TestTicketText(t *testing.T) {
	rep := relayTenantAttribution()
	tk := sampleTicket(rep)
	var b bytes.Buffer
	if err := Render(&b, Format{}, Run{Report: rep, Ticket: tk}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "Run    "+tk.CommandLine+"\n") {
		t.Errorf("text lacks the command line on a line of its own:\n%s", out)
	}
	flat := strings.Join(strings.Fields(out), " ") // the lines as read, wrapping undone
	for _, want := range []string{
		"exoprobe 0.1.0, windows/amd64, machine SCANNER01",
		"started 2026-11-22 13:00:00 CET (UTC+01:00), took",
		"proxy in the environment: HTTPS_PROXY=http://proxy.contoso.local:8080, NO_PROXY=localhost,.contoso.local",
		"Input from scanner@contoso.com; to someone@example.org; domain contoso.com; port 25; expect-ip 203.0.113.7; send false",
		"Root cause: the send check, 5.7.64 (relay-tenant-attribution); exit code 2",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "Run ") > strings.Index(out, "Findings") || strings.Index(out, "Root cause:") < strings.Index(out, "Verdict:") {
		t.Errorf("want the run block before the findings and the root cause after the verdict:\n%s", out)
	}

	t.Run("a long command line is not wrapped", func(t *testing.T) {
		tk := sampleTicket(rep)
		tk.CommandLine = "exoprobe relay" + strings.Repeat(" --to someone@example.org", 10)
		var b bytes.Buffer
		if err := Render(&b, Format{}, Run{Report: rep, Ticket: tk}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tk.CommandLine+"\n") {
			t.Errorf("command line broken:\n%s", b.String())
		}
	})
	t.Run("pass: exit code only", func(t *testing.T) {
		rep := relayPass()
		var b bytes.Buffer
		if err := Render(&b, Format{}, Run{Report: rep, Ticket: sampleTicket(rep)}); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(b.String(), "Exit code: 0\n") || !strings.Contains(b.String(), "no proxy set in the environment") {
			t.Errorf("got:\n%s", b.String())
		}
	})
}

func TestTicketJSON(t *testing.T) {
	rep := submitWarn()
	var b bytes.Buffer
	if err := Render(&b, Format{Output: OutputJSON}, Run{Report: rep, Ticket: sampleTicket(rep)}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		CommandLine string `json:"command_line"`
		ExitCode    *int   `json:"exit_code"`
		Environment struct {
			OS, Arch, Machine string
			TimeZone          string `json:"time_zone"`
			UTCOffset         string `json:"utc_offset"`
			ProxyConfigured   *bool  `json:"proxy_configured"`
			Proxy             []struct{ Variable, Value string }
		} `json:"environment"`
		Inputs map[string]any `json:"inputs"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	e := got.Environment
	if got.ExitCode == nil || *got.ExitCode != 1 || !strings.HasPrefix(got.CommandLine, "exoprobe submit ") {
		t.Errorf("exit_code %v, command_line %q; want 1 and the command", got.ExitCode, got.CommandLine)
	}
	if e.OS != "windows" || e.Arch != "amd64" || e.Machine != "SCANNER01" || e.TimeZone != "CET" || e.UTCOffset != "+01:00" ||
		e.ProxyConfigured == nil || !*e.ProxyConfigured || len(e.Proxy) != 2 || e.Proxy[0].Variable != "HTTPS_PROXY" {
		t.Errorf("environment = %+v", e)
	}
	want := map[string]any{"from": "app@contoso.com", "to": []any{"someone@example.org"}, "port": float64(587), "auth": "oauth",
		"tenant": "contoso.com", "client_id": "00000000-0000-0000-0000-0000000000aa", "cloud": "global", "send": false}
	for k, v := range want {
		if g, _ := json.Marshal(got.Inputs[k]); string(g) != string(must(json.Marshal(v))) {
			t.Errorf("inputs.%s = %s; want %v", k, g, v)
		}
	}
	if len(got.Inputs) != len(want) {
		t.Errorf("inputs = %v; want only %v", got.Inputs, want)
	}

	t.Run("no ticket: the keys are left out", func(t *testing.T) {
		var b bytes.Buffer
		if err := Render(&b, Format{Output: OutputJSON}, Run{Report: rep}); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{`"command_line"`, `"environment"`, `"inputs"`, `"exit_code"`} {
			if strings.Contains(b.String(), k) {
				t.Errorf("JSON without a ticket holds %s", k)
			}
		}
	})
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestReportFileOutput(t *testing.T) {
	cases := []struct {
		name string
		want Output
		err  bool
	}{
		{"ticket.md", OutputMarkdown, false},
		{"C:\\Temp\\Ticket.HTML", OutputHTML, false},
		{"out/report.json", OutputJSON, false},
		{"report.txt", "", true},
		{"report.htm", "", true},
		{"report", "", true},
		{"report.md.bak", "", true},
		{".json", OutputJSON, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ReportFileOutput(c.name)
			if (err != nil) != c.err || got != c.want {
				t.Errorf("ReportFileOutput(%q) = %q, %v; want %q (error %v)", c.name, got, err, c.want, c.err)
			}
		})
	}
}

func TestUTCOffset(t *testing.T) {
	for sec, want := range map[int]string{0: "+00:00", 3600: "+01:00", -18000: "-05:00", 19800: "+05:30", 45900: "+12:45"} {
		if got := utcOffset(sec); got != want {
			t.Errorf("utcOffset(%d) = %q; want %q", sec, got, want)
		}
	}
}

// FuzzHTMLText puts arbitrary server text in every place of the page that shows it (a check's
// summary, a finding's message, a fact, the transcript, the command line and the machine) and
// asserts that the page keeps the element structure it has with plain text: no text of a
// server can add, remove or change an element.
func FuzzHTMLText(f *testing.F) {
	for _, s := range []string{"</code></pre><script>alert(1)</script>", `"><img src=x onerror=y>`, "]]><!--", "\u202e\x1b[2J",
		"<details open>", "&lt;b&gt;", "</textarea></title><style>*{}</style>", "javascript:alert(1)"} {
		f.Add(s)
	}
	structure := func(t *testing.T, s string) []string {
		rep := relayTenantAttribution()
		rep.Checks[3].Summary = s
		rep.Checks[5].Findings[0].Message = s
		rep.Checks[5].Facts["reply"] = s
		rep.Transcript = append(rep.Transcript, check.Line{Dir: "S", Line: s})
		tk := sampleTicket(rep)
		tk.CommandLine += " " + s
		tk.Environment.Machine = "m" + s
		doc, _ := parseHTML(t, Run{Report: rep, Ticket: tk})
		var tags []string
		for _, n := range find(doc, func(*html.Node) bool { return true }) {
			keys := make([]string, 0, len(n.Attr))
			for _, a := range n.Attr {
				keys = append(keys, a.Key)
			}
			tags = append(tags, n.Data+"["+strings.Join(keys, ",")+"]")
		}
		return tags
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := structure(t, "plain")
		got := structure(t, s)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("text %q changed the page's elements:\ngot  %v\nwant %v", s, got, want)
		}
	})
}
