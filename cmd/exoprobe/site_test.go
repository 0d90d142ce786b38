package main

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/publicip"
)

// siteJSON is the part of `site -o json` the tests read.
type siteJSON struct {
	Mode    string `json:"mode"`
	Verdict string `json:"verdict"`
	Inputs  struct {
		Domain string   `json:"domain"`
		From   string   `json:"from"`
		To     []string `json:"to"`
	} `json:"inputs"`
	Paths []struct {
		ID       string   `json:"id"`
		Status   string   `json:"status"`
		Works    bool     `json:"works"`
		Summary  string   `json:"summary"`
		NotTried string   `json:"not_tried"`
		To       []string `json:"to"`
		Blocker  *struct {
			Check string `json:"check"`
			Code  string `json:"code"`
		} `json:"blocker"`
		Submission *struct {
			STARTTLS   bool     `json:"starttls"`
			Mechanisms []string `json:"mechanisms"`
			SignIn     string   `json:"sign_in"`
		} `json:"submission"`
		Report *jsonReport `json:"report"`
	} `json:"paths"`
}

// runSiteSim runs `exoprobe site` against sim with its scenario's environment and extra args,
// the hooks no flag reaches pointed at the simulator, and returns the exit code and output.
func runSiteSim(t *testing.T, sim *fixtures.Sim, vars map[string]string, extra ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv:     func(k string) string { return vars[k] },
		isTerminal: func(io.Writer) bool { return false },
	}
	args := append(sim.Args(), extra...)
	e.args = append([]string{"site"}, args...) // as run sets them: the command line a report shows
	v, err := runSiteWith(t.Context(), e, args, func(o *probe.SiteOptions) {
		o.Port25.PublicIPSources = publicip.SourcesAt(sim.DNSAddr)
		o.Port25.PublicIPHTTPS = []string{}
		o.Port25.RootCAs, o.Submit.RootCAs = sim.RootCAs, sim.RootCAs
		o.Port25.ControlPorts = sim.ControlPorts
		o.Submit.ControlPorts = sim.ControlPorts[len(sim.ControlPorts)-1:]
		o.Submit.LoginURL = sim.Tokens.URL
		o.Submit.TokenHTTPClient = sim.Tokens.Client()
	})
	if err != nil {
		errb.WriteString(err.Error())
		v = couldNotRun
	}
	return exitCode(v), out.String(), errb.String()
}

// TestSite runs every path against the simulator through the command line: where all works,
// where port 25 is blocked, and without credentials.
func TestSite(t *testing.T) {
	t.Parallel()
	type want struct {
		status     string // the path's status
		summary    string // in the path's sentence
		blockerKey string // check/code of the blocker, "" for none
	}
	tests := []struct {
		scenario string
		exit     int
		verdict  string
		paths    map[string]want
		signIn   string
		text     []string // in the text output
	}{
		{
			scenario: "site-ok", exit: exitPass, verdict: "pass", signIn: probe.AuthOAuth,
			paths: map[string]want{
				"relay":  {status: "pass", summary: "relay to someone@example.org accepted"},
				"direct": {status: "pass", summary: "accepted for internal recipients (app@contoso.com)"},
				"submit": {status: "pass", summary: "STARTTLS ok, AUTH LOGIN XOAUTH2 offered; signed in"},
			},
			text: []string{"Relay (connector, port 25)   WORKS", "Direct Send (port 25)        WORKS",
				"SMTP AUTH (port 587)         WORKS", "Verdict: PASS - every path tried works from this site"},
		},
		{
			scenario: "site-port25-blocked", exit: exitWarn, verdict: "warn", signIn: probe.AuthOAuth,
			paths: map[string]want{
				"relay":  {status: "fail", summary: "refused (a firewall, antivirus or the ISP rejects it)", blockerKey: "tcp/port-refused"},
				"direct": {status: "fail", summary: "refused", blockerKey: "tcp/port-refused"},
				"submit": {status: "pass", summary: "signed in"},
			},
			text: []string{"Relay (connector, port 25)   BLOCKED   port ", "FAIL  tcp  port-refused",
				"Direct Send (port 25): blocked, for the same reason as Relay (connector, port 25) above",
				"Verdict: WARN - 1 of 3 paths work from this site: SMTP AUTH (port 587)"},
		},
		{
			scenario: "site-no-credentials", exit: exitPass, verdict: "pass", signIn: probe.AuthNotTried,
			paths: map[string]want{
				"relay":  {status: "pass"},
				"direct": {status: "pass"},
				"submit": {status: "pass", summary: "STARTTLS ok, AUTH LOGIN XOAUTH2 offered; sign-in not tried (no credentials)"},
			},
			text: []string{"sign-in not tried (no credentials)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			t.Parallel()
			sim := fixtures.NewSim(t, tt.scenario)
			code, stdout, stderr := runSiteSim(t, sim, sim.Scenario.Env, "-o", "json")
			if code != tt.exit {
				t.Errorf("exit code = %d; want %d\nstderr:\n%s", code, tt.exit, stderr)
			}
			var got siteJSON
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, stdout)
			}
			if got.Mode != "site" || got.Verdict != tt.verdict {
				t.Errorf("mode, verdict = %q, %q; want site, %q", got.Mode, got.Verdict, tt.verdict)
			}
			var ids []string
			for _, p := range got.Paths {
				ids = append(ids, p.ID)
				w := tt.paths[p.ID]
				if p.Status != w.status {
					t.Errorf("path %s: status %q; want %q (%s)", p.ID, p.Status, w.status, p.Summary)
				}
				if !strings.Contains(p.Summary, w.summary) {
					t.Errorf("path %s: summary %q; want it to contain %q", p.ID, p.Summary, w.summary)
				}
				key := ""
				if p.Blocker != nil {
					key = p.Blocker.Check + "/" + p.Blocker.Code
				}
				if key != w.blockerKey {
					t.Errorf("path %s: blocker %q; want %q", p.ID, key, w.blockerKey)
				}
				if p.Report == nil {
					t.Errorf("path %s: no report", p.ID)
					continue
				}
				if p.Report.Mode != p.ID {
					t.Errorf("path %s: report of mode %q", p.ID, p.Report.Mode)
				}
				for _, l := range p.Report.Transcript {
					if l.Dir == "C" && strings.EqualFold(strings.TrimSpace(l.Line), "DATA") {
						t.Errorf("path %s: DATA sent: site delivers nothing", p.ID)
					}
				}
				if p.ID == "submit" {
					if p.Submission == nil || !p.Submission.STARTTLS || p.Submission.SignIn != tt.signIn ||
						!slices.Equal(p.Submission.Mechanisms, []string{"LOGIN", "XOAUTH2"}) {
						t.Errorf("submission = %+v; want STARTTLS, LOGIN XOAUTH2 and sign-in %q", p.Submission, tt.signIn)
					}
				}
			}
			if !slices.Equal(ids, []string{"relay", "direct", "submit"}) {
				t.Errorf("paths %v; want relay, direct, submit", ids)
			}
			if strings.Contains(stdout, fixtures.TokenSecret) {
				t.Errorf("the client secret is in the output")
			}
			if sim.Submission.Received().DataSent() || sim.Received().DataSent() {
				t.Errorf("a message was sent: site delivers nothing")
			}

			_, text, _ := runSiteSim(t, sim, sim.Scenario.Env, "--no-color")
			for _, w := range tt.text {
				if !strings.Contains(text, w) {
					t.Errorf("text output lacks %q:\n%s", w, text)
				}
			}
			_, md, _ := runSiteSim(t, sim, sim.Scenario.Env, "-o", "markdown")
			if !strings.Contains(md, "| Path | Result | What the run showed |") || !strings.Contains(md, "# exoprobe site - contoso.com - "+strings.ToUpper(tt.verdict)) {
				t.Errorf("markdown output lacks its table or heading:\n%s", md)
			}
		})
	}
}

// TestSiteNoCredentialsNoSignIn checks that without credentials the submission stops before
// AUTH: the server sees no AUTH and no MAIL FROM, and no token is asked for.
func TestSiteNoCredentialsNoSignIn(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "site-no-credentials")
	if code, stdout, stderr := runSiteSim(t, sim, nil); code != exitPass {
		t.Fatalf("exit code = %d; want %d\n%s\n%s", code, exitPass, stdout, stderr)
	}
	for _, s := range sim.Submission.Received().Sessions {
		for _, c := range s.Commands {
			if up := strings.ToUpper(c); strings.HasPrefix(up, "AUTH") || strings.HasPrefix(up, "MAIL") {
				t.Errorf("the submission endpoint got %q without credentials", c)
			}
		}
	}
}

// TestSiteOneTimeout checks that the paths run together under one --timeout: with both
// endpoints silent, the whole run ends at about --timeout, not at a multiple of it.
func TestSiteOneTimeout(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "site-no-credentials", fixtures.WithBehavior(func(b *fixtures.Behavior) { b.Silent = true }))
	start := time.Now()
	code, stdout, _ := runSiteSim(t, sim, nil, "--timeout", "1s", "--connect-timeout", "1s", "--reply-timeout", "1s", "-o", "json")
	if took := time.Since(start); took > 2500*time.Millisecond {
		t.Errorf("site took %v with --timeout 1s; want about 1s", took)
	}
	var got siteJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	if code != exitFail || got.Verdict != "fail" {
		t.Errorf("exit %d, verdict %q; want %d, fail (every endpoint silent)", code, got.Verdict, exitFail)
	}
}

func TestSiteUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"without from", []string{"site", "--to", "a@b.example"}, "--from is required"},
		{"without to", []string{"site", "--from", "a@b.example"}, "--to is required"},
		{"auth none", []string{"site", "--from", "a@b.example", "--to", "c@d.example", "--auth", "none"}, "use oauth or basic"},
		{"a secret as a flag", []string{"site", "--from", "a@b.example", "--to", "c@d.example", "--client-secret", "x-Secret-77"}, "--client-secret"},
		{"app without its secret", []string{"site", "--from", "a@b.example", "--to", "c@d.example", "--tenant", "contoso.com", "--client-id", "x"}, "EXOPROBE_CLIENT_SECRET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr := assertCantRun(t, tt.want, tt.args...)
			if strings.Contains(stdout+stderr, "x-Secret-77") {
				t.Errorf("the secret given as a flag was echoed")
			}
		})
	}
}

// TestSiteReportFile runs site where port 25 is blocked with --report in each format: the
// screen shows text, and the file (0600, written whole) holds the site's report with its
// ticket: the table of paths, each path's verdict and root cause, and the exit code.
func TestSiteReportFile(t *testing.T) {
	t.Parallel()
	// The path, its status, and the root cause its verdict names ("" for none).
	want := []struct{ id, status, root string }{
		{"relay", "fail", "tcp/port-refused"},
		{"direct", "fail", "tcp/port-refused"},
		{"submit", "pass", ""},
	}
	for _, ext := range []string{"json", "md", "html"} {
		t.Run(ext, func(t *testing.T) {
			t.Parallel()
			sim := fixtures.NewSim(t, "site-port25-blocked")
			dir := t.TempDir()
			path := filepath.Join(dir, "site."+ext)
			code, stdout, stderr := runSiteSim(t, sim, sim.Scenario.Env, "--report", path)
			if code != exitWarn {
				t.Fatalf("exit code %d; want %d\n%s%s", code, exitWarn, stdout, stderr)
			}
			if !strings.Contains(stdout, "Verdict: WARN - 1 of 3 paths work from this site") || !strings.Contains(stdout, "Run    exoprobe") {
				t.Errorf("screen does not show the text report with its run:\n%s", stdout)
			}
			got := readReportFile(t, path)
			noTempFiles(t, dir)
			switch ext {
			case "json":
				var rep struct {
					siteJSON
					CommandLine string           `json:"command_line"`
					ExitCode    *int             `json:"exit_code"`
					Environment *json.RawMessage `json:"environment"`
					Inputs      map[string]any   `json:"inputs"`
					Paths       []struct {
						ID        string `json:"id"`
						Status    string `json:"status"`
						RootCause *struct {
							Check string `json:"check"`
							Code  string `json:"code"`
						} `json:"root_cause"`
					} `json:"paths"`
				}
				if err := json.Unmarshal([]byte(got), &rep); err != nil {
					t.Fatalf("not JSON: %v\n%s", err, got)
				}
				if rep.Mode != "site" || rep.ExitCode == nil || *rep.ExitCode != exitWarn || rep.Environment == nil ||
					!strings.HasPrefix(rep.CommandLine, "exoprobe site --domain contoso.com") {
					t.Errorf("mode %q, exit code %v, environment %v, command line %q", rep.Mode, rep.ExitCode, rep.Environment, rep.CommandLine)
				}
				if rep.Inputs["submit_port"] != float64(sim.SubmitPort) || rep.Inputs["tenant"] == nil || rep.Inputs["domain"] != "contoso.com" {
					t.Errorf("inputs = %v; want the submission port %d, the tenant and the domain", rep.Inputs, sim.SubmitPort)
				}
				if len(rep.Paths) != len(want) {
					t.Fatalf("%d paths; want %d", len(rep.Paths), len(want))
				}
				for i, w := range want {
					p := rep.Paths[i]
					root := ""
					if p.RootCause != nil {
						root = p.RootCause.Check + "/" + p.RootCause.Code
					}
					if p.ID != w.id || p.Status != w.status || root != w.root {
						t.Errorf("path %d = %s %s root cause %q; want %s %s %q", i, p.ID, p.Status, root, w.id, w.status, w.root)
					}
				}
			case "md":
				for _, s := range []string{"# exoprobe site - contoso.com - WARN", "**Exit code:** 1", "**Command:** `exoprobe site --domain contoso.com",
					"**Root cause, Relay (connector, port 25):** the tcp check, port-refused", "| Path | Result | What the run showed |", "| submit-port |"} {
					if !strings.Contains(got, s) {
						t.Errorf("Markdown lacks %q:\n%s", s, got)
					}
				}
			case "html":
				checkSiteHTML(t, got, "warn", exitWarn, want)
			}
		})
	}
}

// checkSiteHTML parses the HTML of a site report and finds in it the site's verdict, the exit
// code, the table of paths at the top (each path's row of its status), and each path's section
// with its own verdict and root cause, checks and transcript.
func checkSiteHTML(t *testing.T, page, verdict string, exit int, paths []struct{ id, status, root string }) {
	t.Helper()
	els := parseHTML(t, page)
	attr, text := htmlAttr, htmlText
	within := func(root *html.Node, n *html.Node) bool {
		for ; n != nil; n = n.Parent {
			if n == root {
				return true
			}
		}
		return false
	}
	byID := map[string]*html.Node{}
	var sections []*html.Node
	for _, n := range els {
		if id := attr(n, "id"); id != "" {
			if byID[id] != nil {
				t.Errorf("id %q used twice", id)
			}
			byID[id] = n
		}
		if n.Data == "section" {
			sections = append(sections, n)
		}
		if n.Data == "script" || attr(n, "src") != "" {
			t.Errorf("the page loads or runs something: <%s src=%q>", n.Data, attr(n, "src"))
		}
	}
	if v := byID["verdict"]; v == nil || !strings.Contains(attr(v, "class"), verdict) || !strings.Contains(text(v), strings.ToUpper(verdict)) {
		t.Errorf("no site verdict %q in the page", verdict)
	}
	if run := byID["run"]; run == nil || !strings.Contains(text(run), "Exit code "+strconv.Itoa(exit)) || !strings.Contains(text(run), "exoprobe site --domain") {
		t.Errorf("the run section lacks the exit code %d or the command line", exit)
	}
	table := byID["paths"]
	if table == nil || len(sections) < 2 || sections[1] != table {
		t.Fatalf("the table of paths is not at the top, under the verdict")
	}
	var rows []*html.Node
	for _, n := range els {
		if n.Data == "tr" && attr(n, "data-path") != "" && within(table, n) {
			rows = append(rows, n)
		}
	}
	if len(rows) != len(paths) {
		t.Fatalf("%d rows in the table of paths; want %d", len(rows), len(paths))
	}
	for i, w := range paths {
		if attr(rows[i], "data-path") != w.id || !strings.Contains(attr(rows[i], "class"), w.status) {
			t.Errorf("row %d = %s of class %q; want %s of class %s", i, attr(rows[i], "data-path"), attr(rows[i], "class"), w.id, w.status)
		}
		sec := byID["path-"+w.id]
		if sec == nil {
			t.Errorf("no section for the path %s", w.id)
			continue
		}
		v := byID[w.id+"-verdict"]
		if v == nil || !within(sec, v) || !strings.Contains(attr(v, "class"), w.status) {
			t.Errorf("path %s: no verdict of class %s in its section", w.id, w.status)
		}
		rc := byID[w.id+"-root-cause"]
		switch {
		case w.root == "" && rc != nil:
			t.Errorf("path %s: root cause %q shown for a path without one", w.id, text(rc))
		case w.root != "":
			check, code, _ := strings.Cut(w.root, "/")
			if rc == nil || !within(sec, rc) || !strings.Contains(text(rc), "check "+check) || !strings.Contains(text(rc), "code "+code) {
				t.Errorf("path %s: no root cause %s in its section", w.id, w.root)
			}
		}
		if c := byID[w.id+"-checks"]; c == nil || !within(sec, c) {
			t.Errorf("path %s: no checks in its section", w.id)
		}
		if tr := byID[w.id+"-transcript"]; tr == nil || !within(sec, tr) {
			t.Errorf("path %s: no transcript in its section", w.id)
		}
	}
}
