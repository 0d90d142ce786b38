package main

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe/check"
)

// runCmd runs exoprobe in-process with args and returns its exit code, stdout and stderr.
func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv:     func(string) string { return "" },
		isTerminal: func(io.Writer) bool { return false },
	}
	code := run(t.Context(), e, args)
	return code, out.String(), errb.String()
}

// assertCantRun runs exoprobe in-process with args and fails unless it exits with exitCantRun
// and says want on stderr. It returns stdout and stderr for further checks.
func assertCantRun(t *testing.T, want string, args ...string) (string, string) {
	t.Helper()
	code, stdout, stderr := runCmd(t, "", args...)
	if code != exitCantRun {
		t.Errorf("exit code = %d; want %d\nstdout:\n%s", code, exitCantRun, stdout)
	}
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q; want it to contain %q", stderr, want)
	}
	return stdout, stderr
}

// jsonReport is the part of a report in -o json that the tests of this package read.
type jsonReport struct {
	SchemaVersion int    `json:"schema_version"`
	Mode          string `json:"mode"`
	Verdict       string `json:"verdict"`
	RootCause     *struct {
		Check  string `json:"check"`
		Code   string `json:"code"`
		HintID string `json:"hint_id"`
	} `json:"root_cause"`
	Target struct {
		Host string `json:"host"`
		Port int    `json:"port"`
	} `json:"target"`
	Checks []struct {
		ID       string         `json:"id"`
		Status   string         `json:"status"`
		Summary  string         `json:"summary"`
		Facts    map[string]any `json:"facts"`
		Findings []struct {
			Severity string `json:"severity"`
			Code     string `json:"code"`
			Message  string `json:"message"`
			Hint     *struct {
				ID  string     `json:"id"`
				Fix []jsonStep `json:"fix"`
			} `json:"hint"`
		} `json:"findings"`
	} `json:"checks"`
	// Tenant is the tenant section of an inventory report: its findings have a kind, not a code.
	Tenant *struct {
		Findings []struct {
			Kind string `json:"kind"`
		} `json:"findings"`
	} `json:"tenant"`
	Transcript []struct {
		Dir  string `json:"dir"`
		Line string `json:"line"`
	} `json:"transcript"`
}

// jsonStep is a fix step as the JSON report carries it.
type jsonStep struct {
	Text    string `json:"text"`
	Command string `json:"command"`
}

// stepsText is fix steps as one text, each step's text then its command.
func stepsText(steps []jsonStep) string {
	var b strings.Builder
	for _, s := range steps {
		b.WriteString(s.Text + "\n")
		if s.Command != "" {
			b.WriteString(s.Command + "\n")
		}
	}
	return b.String()
}

// rootCause is the report's root cause as "check/code", "" when it has none.
func (r *jsonReport) rootCause() string {
	if r.RootCause == nil {
		return ""
	}
	return r.RootCause.Check + "/" + r.RootCause.Code
}

func (r *jsonReport) codes() []string {
	var out []string
	for _, c := range r.Checks {
		for _, f := range c.Findings {
			out = append(out, f.Code)
		}
	}
	if r.Tenant != nil {
		for _, f := range r.Tenant.Findings {
			out = append(out, f.Kind)
		}
	}
	return out
}

// TestDemoScenarios runs every scenario of the simulator through the real command line and
// checks the verdict, the finding code the scenario exists to show and the exit code.
func TestDemoScenarios(t *testing.T) {
	t.Parallel()
	for _, sc := range fixtures.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCmd(t, "", "demo", "--scenario", sc.Name, "-o", "json")
			var rep jsonReport
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("output is not JSON: %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
			}
			if rep.Verdict != sc.Want.Verdict {
				t.Errorf("verdict = %q; want %q (findings %v)", rep.Verdict, sc.Want.Verdict, rep.codes())
			}
			if code != sc.Want.Exit {
				t.Errorf("exit code = %d; want %d", code, sc.Want.Exit)
			}
			if sc.Want.Code != "" && !contains(rep.codes(), sc.Want.Code) {
				t.Errorf("findings %v; want one with code %q", rep.codes(), sc.Want.Code)
			}
			if sc.Want.Verdict == "pass" {
				for _, c := range rep.Checks {
					if c.Status != "pass" {
						t.Errorf("check %s = %s; want pass (findings %v)", c.ID, c.Status, c.Findings)
					}
				}
			}
			if !contains(sc.Args, "--send") {
				for _, l := range rep.Transcript {
					if l.Dir == "C" && strings.EqualFold(strings.TrimSpace(l.Line), "DATA") {
						t.Errorf("DATA sent without --send")
					}
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "Usage"},
		{"unknown command", []string{"nope"}, "unknown command"},
		{"relay without from", []string{"relay", "--to", "a@b.example"}, "--from is required"},
		{"relay without to", []string{"relay", "--from", "a@b.example"}, "--to is required"},
		{"bad from", []string{"relay", "--from", "nobody", "--to", "a@b.example"}, "not an e-mail address"},
		{"ipv6 expect-ip", []string{"relay", "--from", "a@b.example", "--to", "c@d.example", "--expect-ip", "2001:db8::1"}, "IPv4 only"},
		{"bad skip", []string{"relay", "--from", "a@b.example", "--to", "c@d.example", "--skip", "nope"}, "no such check"},
		{"bad output", []string{"relay", "--from", "a@b.example", "--to", "c@d.example", "-o", "xml"}, "xml"},
		{"timeouts do not nest", []string{"relay", "--from", "a@b.example", "--to", "c@d.example", "--timeout", "2s", "--connect-timeout", "5s"}, "longer than --timeout"},
		{"unknown scenario", []string{"demo", "--scenario", "nope"}, "no scenario"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertCantRun(t, tt.want, tt.args...)
		})
	}
}

func TestExitCode(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		verdict string
		want    int
	}{{"pass", 0}, {"warn", 1}, {"fail", 2}, {"skip", 0}, {"", 0}, {string(couldNotRun), 3}} {
		if got := exitCode(statusOf(tt.verdict)); got != tt.want {
			t.Errorf("exitCode(%s) = %d; want %d", tt.verdict, got, tt.want)
		}
	}
}

func statusOf(s string) check.Status { return check.Status(s) }

// TestExitCodes checks, through run, the exit code of the ways a command ends without a probe:
// each comes out of exitCode.
func TestExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  int
	}{
		{"no command", "", nil, exitCantRun},
		{"unknown command", "", []string{"nope"}, exitCantRun},
		{"help", "", []string{"--help"}, exitPass},
		{"a command's help", "", []string{"relay", "--help"}, exitPass},
		{"submit's help", "", []string{"submit", "-h"}, exitPass},
		{"version", "", []string{"version"}, exitPass},
		{"--version", "", []string{"--version"}, exitPass},
		{"version with an argument", "", []string{"version", "now"}, exitCantRun},
		{"demo list", "", []string{"demo", "--list"}, exitPass},
		{"explain, known", "", []string{"explain", "550 5.7.64 TenantAttribution; Relay Access Denied ATTR36"}, exitPass},
		{"explain, unknown", "", []string{"explain", "hello world, nothing to see"}, exitWarn},
		{"explain from stdin", "535 5.7.3 Authentication unsuccessful", []string{"explain"}, exitPass},
		{"explain, nothing given", "", []string{"explain"}, exitCantRun},
		{"explain, only blanks on stdin", " \n\t\n", []string{"explain"}, exitCantRun},
		{"explain a saved bounce", "", []string{"explain", "--file", "../../probe/ndr/testdata/exo-5.7.708-de.eml"}, exitPass},
		{"explain --file - with nothing on stdin", "", []string{"explain", "--file", "-"}, exitCantRun},
		{"explain, no such file", "", []string{"explain", "--file", "no-such-file.eml"}, exitCantRun},
		{"explain, an argument and --file", "", []string{"explain", "--file", "x.eml", "550 5.7.64"}, exitCantRun},
		{"explain, an unknown flag", "", []string{"explain", "--password", "x", "550 5.7.64"}, exitCantRun},
		{"a usage error", "", []string{"ip", "--timeout", "0s"}, exitCantRun},
		{"a secret as a flag", "", []string{"connector", "--domain", "contoso.com", "--pfx-password", "x-Secret-77"}, exitCantRun},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if code, stdout, stderr := runCmd(t, tt.stdin, tt.args...); code != tt.want {
				t.Errorf("exit code = %d; want %d\nstdout:\n%s\nstderr:\n%s", code, tt.want, stdout, stderr)
			}
		})
	}
}
