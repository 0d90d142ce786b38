package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/exoprobe/exoprobe/fixtures"
)

// simArgs are the flags that point relay, direct and connector at sim and nothing beyond
// loopback: its DNS server, its SMTP port, and the public IP given.
func simArgs(sim *fixtures.Sim) []string {
	return []string{"--resolver", sim.DNSAddr, "--public-ip", sim.PublicIP.String(), "--port", strconv.Itoa(sim.SMTPPort)}
}

// reportJSON is what the tests of --report read of a JSON report.
type reportJSON struct {
	jsonReport
	CommandLine string `json:"command_line"`
	ExitCode    *int   `json:"exit_code"`
	Environment *struct {
		OS              string `json:"os"`
		Arch            string `json:"arch"`
		Machine         string `json:"machine"`
		TimeZone        string `json:"time_zone"`
		UTCOffset       string `json:"utc_offset"`
		ProxyConfigured bool   `json:"proxy_configured"`
		Proxy           []struct {
			Variable string `json:"variable"`
			Value    string `json:"value"`
		} `json:"proxy"`
	} `json:"environment"`
	Inputs map[string]any `json:"inputs"`
}

// readReportFile reads a report file and checks that only its owner may read it.
func readReportFile(t *testing.T, path string) string {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no report file: %v", err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("report file mode %v; want 0600", fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// noTempFiles fails when a temporary file of a report was left in dir.
func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	left, _ := filepath.Glob(filepath.Join(dir, ".exoprobe-report-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestReportFile runs relay against the simulator's refused relay (550 5.7.64) with --report
// in each format, and checks that the screen shows text while the file holds the whole report:
// the verdict, the root cause, every check and finding, the command line, the machine, the
// inputs and the exit code.
func TestReportFile(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "attr36")
	host, _ := os.Hostname()
	for _, ext := range []string{"json", "md", "html"} {
		t.Run(ext, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "ticket 4711."+ext)
			args := append([]string{"relay", "--from", sim.From, "--to", sim.To, "--report", path}, simArgs(sim)...)
			code, stdout, stderr := runCmd(t, "", args...)
			if code != exitFail {
				t.Fatalf("exit %d; want %d\n%s%s", code, exitFail, stdout, stderr)
			}
			if !strings.Contains(stdout, "Verdict: FAIL") || !strings.Contains(stdout, "Root cause: the send check, 5.7.64") {
				t.Errorf("screen does not show the text report:\n%s", stdout)
			}
			got := readReportFile(t, path)
			noTempFiles(t, dir)
			wantCmd := "exoprobe relay --from " + sim.From + " --to " + sim.To + " --report '" + path + "'"
			switch ext {
			case "json":
				var rep reportJSON
				if err := json.Unmarshal([]byte(got), &rep); err != nil {
					t.Fatalf("not JSON: %v\n%s", err, got)
				}
				if rep.Verdict != "fail" || rep.rootCause() != "send/5.7.64" || rep.ExitCode == nil || *rep.ExitCode != exitFail {
					t.Errorf("verdict %s, root cause %s, exit code %v; want fail, send/5.7.64, 2", rep.Verdict, rep.rootCause(), rep.ExitCode)
				}
				if !strings.HasPrefix(rep.CommandLine, wantCmd) {
					t.Errorf("command_line = %q; want it to start with %q", rep.CommandLine, wantCmd)
				}
				env := rep.Environment
				if env == nil || env.OS != runtime.GOOS || env.Arch != runtime.GOARCH || env.Machine != host || env.TimeZone == "" || env.UTCOffset == "" {
					t.Errorf("environment = %+v; want %s/%s on %s with a time zone", env, runtime.GOOS, runtime.GOARCH, host)
				}
				for k, v := range map[string]any{"from": sim.From, "domain": sim.Domain, "port": float64(sim.SMTPPort),
					"resolver": sim.DNSAddr, "public_ip": sim.PublicIP.String(), "send": false} {
					if rep.Inputs[k] != v {
						t.Errorf("inputs.%s = %v; want %v", k, rep.Inputs[k], v)
					}
				}
				if len(rep.Checks) == 0 {
					t.Error("no checks")
				}
			case "md":
				for _, want := range []string{"**Verdict: FAIL**", "**Root cause:** the send check, 5.7.64", "**Exit code:** 2",
					"**Machine:** `" + host + "`", "| from | `" + sim.From + "` |", "## Findings", "## Transcript", "exoprobe relay --from"} {
					if !strings.Contains(got, want) {
						t.Errorf("Markdown lacks %q:\n%s", want, got)
					}
				}
			case "html":
				checkHTMLReport(t, got, "fail", "5.7.64", []string{"publicip", "dns", "tcp", "smtp", "tls", "send"})
				if !strings.Contains(got, "exoprobe relay --from") || !strings.Contains(got, host) {
					t.Errorf("HTML lacks the command line or the machine")
				}
			}
		})
	}
}

// checkHTMLReport parses an HTML report and finds in it the verdict of class verdict, the root
// cause with its code, a row for each check, each finding, and the transcript in <details>.
func checkHTMLReport(t *testing.T, page, verdict, rootCode string, checks []string) {
	t.Helper()
	els := parseHTML(t, page)
	attr, text := htmlAttr, htmlText
	byID := map[string]*html.Node{}
	rows := map[string]bool{}
	var findings []string
	for _, n := range els {
		if id := attr(n, "id"); id != "" {
			byID[id] = n
		}
		if n.Data == "tr" && attr(n, "data-check") != "" {
			rows[attr(n, "data-check")] = true
		}
		if n.Data == "article" && strings.Contains(attr(n, "class"), "finding") {
			findings = append(findings, attr(n, "data-code"))
		}
		if n.Data == "script" || attr(n, "src") != "" {
			t.Errorf("the page loads or runs something: <%s src=%q>", n.Data, attr(n, "src"))
		}
	}
	if v := byID["verdict"]; v == nil || !strings.Contains(attr(v, "class"), verdict) || !strings.Contains(text(v), strings.ToUpper(verdict)) {
		t.Errorf("no verdict %q in the page", verdict)
	}
	if rc := byID["root-cause"]; rootCode != "" && (rc == nil || !strings.Contains(text(rc), rootCode)) {
		t.Errorf("no root cause %s in the page", rootCode)
	}
	for _, c := range checks {
		if !rows[c] {
			t.Errorf("no row for the check %s", c)
		}
	}
	if rootCode != "" && !contains(findings, rootCode) {
		t.Errorf("findings %v; want one with %s", findings, rootCode)
	}
	if tr := byID["transcript"]; tr == nil || !strings.Contains(page, "<details>") {
		t.Errorf("no transcript in a <details> block")
	}
}

// TestReportFileEveryCommand writes a report from each probing command that can run on
// loopback (ip asks outside servers, so it is left out) and from the demo, in every format.
func TestReportFileEveryCommand(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "ok")
	pfx := writePFX(t, leakPFXPassword)
	vars := map[string]string{envPFXPassword: leakPFXPassword}
	commands := []struct {
		name string
		args []string
		mode string
	}{
		{"relay", append([]string{"relay", "--from", sim.From, "--to", sim.To}, simArgs(sim)...), "relay"},
		{"direct", append([]string{"direct", "--from", sim.From, "--to", fixtures.SimFrom}, simArgs(sim)...), "direct"},
		{"connector", append([]string{"connector", "--domain", sim.Domain}, simArgs(sim)...), "connector"},
		{"cert", []string{"cert", pfx, "--domain", sim.Domain}, "cert"},
		{"submit (demo)", []string{"demo", "--scenario", "submit-ok"}, "submit"},
		{"site (demo)", []string{"demo", "--scenario", "site-port25-blocked"}, "site"},
	}
	for _, c := range commands {
		for _, ext := range []string{"json", "md", "html"} {
			t.Run(c.name+" "+ext, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				path := filepath.Join(dir, "r."+ext)
				code, stdout, stderr := runEnv(t, vars, nil, append(append([]string{}, c.args...), "--report", path)...)
				if code == exitCantRun {
					t.Fatalf("could not run:\n%s%s", stdout, stderr)
				}
				got := readReportFile(t, path)
				noTempFiles(t, dir)
				exit := strconv.Itoa(code)
				switch ext {
				case "json":
					var rep reportJSON
					if err := json.Unmarshal([]byte(got), &rep); err != nil {
						t.Fatalf("not JSON: %v", err)
					}
					if rep.Mode != c.mode || rep.ExitCode == nil || *rep.ExitCode != code || rep.Environment == nil ||
						!strings.HasPrefix(rep.CommandLine, "exoprobe "+c.args[0]) {
						t.Errorf("mode %s, exit code %v, environment %v, command line %q; want %s, %d",
							rep.Mode, rep.ExitCode, rep.Environment, rep.CommandLine, c.mode, code)
					}
				case "md":
					if !strings.Contains(got, "**Exit code:** "+exit) || !strings.Contains(got, "**Command:** `exoprobe "+c.args[0]) {
						t.Errorf("Markdown lacks the exit code %s or the command line:\n%s", exit, got)
					}
				case "html":
					if !strings.Contains(got, "<th scope=\"row\">Exit code</th><td>"+exit+"</td>") || !strings.Contains(got, "id=\"verdict\"") {
						t.Errorf("HTML lacks the exit code %s or the verdict", exit)
					}
					if _, err := html.Parse(strings.NewReader(got)); err != nil {
						t.Errorf("not HTML: %v", err)
					}
				}
			})
		}
	}
}

// TestReportFileRefused checks that a --report that cannot be written is refused before the
// run, with exit 3: no progress line is shown and no file is left.
func TestReportFileRefused(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "ok")
	dir := t.TempDir()
	cases := []struct {
		name, path, want string
	}{
		{"text file", filepath.Join(dir, "r.txt"), "must end in .md, .json or .html"},
		{"no extension", filepath.Join(dir, "report"), "must end in .md, .json or .html"},
		{"htm", filepath.Join(dir, "r.htm"), "must end in .md, .json or .html"},
		{"pdf", filepath.Join(dir, "r.pdf"), "must end in .md, .json or .html"},
		{"no such directory", filepath.Join(dir, "missing", "r.json"), "cannot write there"},
		{"a directory", filepath.Join(dir, "d.json"), "is a directory"},
	}
	if err := os.Mkdir(filepath.Join(dir, "d.json"), 0o700); err != nil {
		t.Fatal(err)
	}
	commands := map[string][]string{
		"relay":     append([]string{"relay", "--from", sim.From, "--to", sim.To}, simArgs(sim)...),
		"direct":    append([]string{"direct", "--from", sim.From, "--to", fixtures.SimFrom}, simArgs(sim)...),
		"connector": append([]string{"connector", "--domain", sim.Domain}, simArgs(sim)...),
		"submit":    {"submit", "--from", sim.From, "--to", sim.To, "--auth", "none", "--resolver", sim.DNSAddr},
		"ip":        {"ip"},
		"site":      append([]string{"site", "--from", sim.From, "--to", sim.To}, simArgs(sim)...),
		"cert":      {"cert", "no-such-file.pem"},
		"demo":      {"demo"},
	}
	for name, args := range commands {
		for _, c := range cases {
			t.Run(name+" "+c.name, func(t *testing.T) {
				t.Parallel()
				stdout, stderr := assertCantRun(t, c.want, append(append([]string{}, args...), "--report", c.path)...)
				if stdout != "" {
					t.Errorf("the run went ahead:\n%s", stdout)
				}
				if strings.Contains(stderr, "demo: scenario") {
					t.Errorf("the demo started its simulator first:\n%s", stderr)
				}
			})
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "d.json" {
			t.Errorf("left in the directory: %s", e.Name())
		}
	}
}

// TestReportFileReplaced checks that --report replaces an older report whole, as a file only
// its owner can read.
func TestReportFileReplaced(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "ok")
	dir := t.TempDir()
	path := filepath.Join(dir, "r.json")
	if err := os.WriteFile(path, []byte(strings.Repeat("old report ", 10000)), 0o644); err != nil {
		t.Fatal(err)
	}
	// Without the simulator's CA the tls check fails: the verdict does not matter here.
	code, stdout, stderr := runCmd(t, "", append([]string{"relay", "--from", sim.From, "--to", sim.To, "-o", "json", "--report", path}, simArgs(sim)...)...)
	if code == exitCantRun {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	got := readReportFile(t, path)
	if strings.Contains(got, "old report") || !json.Valid([]byte(got)) {
		t.Errorf("the old report was not replaced whole")
	}
	// -o json on the screen and --report .json hold the same report.
	if got != stdout {
		t.Errorf("the file and the screen differ:\nfile:\n%s\nscreen:\n%s", got, stdout)
	}
	noTempFiles(t, dir)
}

// TestReportProxy checks that a proxy in the environment is named in the report with its host,
// and that a user name and password in its URL never are.
func TestReportProxy(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "ok")
	const password = "Pr0xyPassw0rd-exoprobe"
	vars := map[string]string{
		"HTTPS_PROXY": "http://helpdesk:" + password + "@proxy.contoso.local:3128/path?token=" + password,
		"http_proxy":  "proxy.contoso.local:8080",
		"NO_PROXY":    "localhost,.contoso.local",
	}
	dir := t.TempDir()
	for _, ext := range []string{"json", "md", "html"} {
		path := filepath.Join(dir, "r."+ext)
		code, stdout, stderr := runEnv(t, vars, nil, append([]string{"relay", "--from", sim.From, "--to", sim.To, "--report", path}, simArgs(sim)...)...)
		if code == exitCantRun {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		got := readReportFile(t, path)
		for what, s := range map[string]string{"file " + ext: got, "stdout": stdout, "stderr": stderr} {
			for _, bad := range []string{password, "helpdesk"} {
				if strings.Contains(s, bad) {
					t.Errorf("%s holds %q", what, bad)
				}
			}
		}
		for _, want := range []string{"HTTPS_PROXY", "http://proxy.contoso.local:3128", "http_proxy", "proxy.contoso.local:8080", "NO_PROXY"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s report lacks %q", ext, want)
			}
		}
		if ext == "json" {
			var rep reportJSON
			if err := json.Unmarshal([]byte(got), &rep); err != nil {
				t.Fatal(err)
			}
			if !rep.Environment.ProxyConfigured || len(rep.Environment.Proxy) != 3 {
				t.Errorf("environment = %+v; want a proxy configured, three variables", rep.Environment)
			}
		}
	}

	t.Run("none", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "r.json")
		runCmd(t, "", append([]string{"relay", "--from", sim.From, "--to", sim.To, "--report", path}, simArgs(sim)...)...)
		var rep reportJSON
		if err := json.Unmarshal([]byte(readReportFile(t, path)), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Environment.ProxyConfigured || len(rep.Environment.Proxy) != 0 {
			t.Errorf("environment = %+v; want no proxy", rep.Environment)
		}
	})
}

// TestCommandLineSecrets checks the second guard of the command line shown in a report:
// secret flags, the values of the secret variables, tokens, client secrets and URL passwords
// never show, whatever flag they were given to.
func TestCommandLineSecrets(t *testing.T) {
	const (
		envSecret    = "Env-Secret-Value-7731"
		clientSecret = "abC8Q~AbCdEfGhIjKlMnOpQrStUvWxYz0123456"
		jwt          = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl"
	)
	vars := map[string]string{envClientSecret: envSecret}
	cases := []struct {
		name string
		args []string
		want string
		bad  []string
	}{
		{"secret flag with =", []string{"submit", "--client-secret=hunter2hunter2", "--from", "a@contoso.com"},
			"exoprobe submit '--client-secret=<redacted>' --from a@contoso.com", []string{"hunter2"}},
		{"secret flag, value apart", []string{"submit", "--password", "hunter2hunter2", "--from", "a@contoso.com"},
			"exoprobe submit --password '<redacted>' --from a@contoso.com", []string{"hunter2"}},
		{"a flag named like a secret", []string{"relay", "--api-token", "abc123abc", "--x-Password=abc123abc"},
			"exoprobe relay --api-token '<redacted>' '--x-Password=<redacted>'", []string{"abc123"}},
		{"the variable's value in another flag", []string{"submit", "--tenant", envSecret, "--client-id=x" + envSecret},
			"exoprobe submit --tenant '<redacted>' '--client-id=<redacted>'", []string{envSecret}},
		{"the variable's value as a flag's name", []string{"relay", "--helo", "-" + envSecret + "="},
			"exoprobe relay --helo '<redacted>'", []string{envSecret}},
		{"a client secret's shape", []string{"submit", "--client-id", clientSecret}, "exoprobe submit --client-id '<redacted>'", []string{clientSecret}},
		{"a token's shape", []string{"explain", jwt}, "exoprobe explain '<redacted>'", []string{jwt}},
		{"a URL's user and password", []string{"relay", "--resolver", "https://user:pa55@dns.example/x"},
			"exoprobe relay --resolver 'https://<redacted>@dns.example/x'", []string{"pa55", "user:"}},
		{"quoting", []string{"connector", "--name", "Scanner's relay", "--to", "a@x.org,b@y.org", "--report", `C:\Tickets\r.html`},
			`exoprobe connector --name 'Scanner''s relay' --to 'a@x.org,b@y.org' --report 'C:\Tickets\r.html'`, nil},
		{"nothing to hide", []string{"relay", "--from", "app@contoso.com", "--to", "someone@example.org", "-o", "json"},
			"exoprobe relay --from app@contoso.com --to someone@example.org -o json", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := &env{getenv: func(k string) string { return vars[k] }, args: c.args}
			got := commandLine(e)
			if got != c.want {
				t.Errorf("commandLine = %s\nwant          %s", got, c.want)
			}
			for _, b := range c.bad {
				if strings.Contains(got, b) {
					t.Errorf("command line holds %q", b)
				}
			}
		})
	}
}

// FuzzCommandLine gives arbitrary values to secret flags, in both forms, and puts a secret
// variable's value inside another flag's value: none may reach the command line a report shows.
func FuzzCommandLine(f *testing.F) {
	f.Add("hunter2", "Secret-Value-1", "pre", "post")
	f.Add("a b'c", "xyz\n", "", "")
	f.Add("--not-a-value", "ab", "--", "=")
	f.Fuzz(func(t *testing.T, value, secret, pre, post string) {
		for _, flag := range []string{"--client-secret", "--password", "--pfx-password", "--token", "--my-api-token"} {
			e := &env{getenv: func(string) string { return "" }, args: []string{"submit", flag + "=" + value}}
			if got, want := commandLine(e), "exoprobe submit '"+flag+"=<redacted>'"; got != want {
				t.Errorf("commandLine(%s=%q) = %q; want %q", flag, value, got, want)
			}
			if strings.HasPrefix(value, "-") {
				continue // a flag, not the secret flag's value
			}
			e.args = []string{"submit", flag, value}
			if got, want := commandLine(e), "exoprobe submit "+flag+" '<redacted>'"; got != want {
				t.Errorf("commandLine(%s %q) = %q; want %q", flag, value, got, want)
			}
		}
		// A secret of letters and digits that the words around it cannot spell by chance.
		if s := secret; len(s) >= 6 && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == "" &&
			!strings.Contains("exoprobe relay helo to redacted", s) {
			e := &env{getenv: func(k string) string {
				if k == envPassword {
					return secret
				}
				return ""
			}, args: []string{"relay", "--helo", pre + s + post, "--to=" + pre + s + post}}
			if got := commandLine(e); strings.Contains(got, s) {
				t.Errorf("commandLine with %q in the values = %q", s, got)
			}
		}
	})
}
