package main

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/publicip"
)

// runRelaySim runs `exoprobe relay` (or direct, for a Direct Send scenario) against the
// simulator of scenario, with extra flags after the simulator's, and returns the exit code
// and the JSON report.
func runSkipSim(t *testing.T, scenario string, extra ...string) (int, jsonReport) {
	t.Helper()
	sim := fixtures.NewSim(t, scenario)
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" }, isTerminal: func(io.Writer) bool { return false },
	}
	args := append(append(sim.Args(), extra...), "-o", "json")
	v, err := runPort25(t.Context(), e, sim.Scenario.Mode, args, func(o *probe.Options) {
		o.PublicIPSources = publicip.SourcesAt(sim.DNSAddr)
		o.PublicIPHTTPS = []string{}
		o.RootCAs = sim.RootCAs
		o.ControlPorts = sim.ControlPorts
	})
	if err != nil {
		t.Fatalf("%s: %v", scenario, err)
	}
	var rep jsonReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("output is not JSON: %v\n%s\n%s", err, out.String(), errb.String())
	}
	return exitCode(v), rep
}

// summary returns the status and summary of check id in the report, "" when it is not there.
func (r *jsonReport) summary(id string) string {
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Status + ": " + c.Summary
		}
	}
	return ""
}

// sent reports whether exoprobe sent a command starting with cmd.
func (r *jsonReport) sent(cmd string) bool {
	for _, l := range r.Transcript {
		if l.Dir == "C" && strings.HasPrefix(strings.ToUpper(l.Line), cmd) {
			return true
		}
	}
	return false
}

// TestSkip runs --skip through the real command line: a check left out does not run and
// cannot decide the verdict, and the ones the others need still do what they need.
func TestSkip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, scenario string
		skip           string
		exit           int
		skipped        map[string]string // check -> a part of its summary
		sent, notSent  []string          // commands in the transcript, or not
		noCode         string            // a finding code that must not be there
	}{
		{
			name: "tls: STARTTLS still done, the intercepted chain not judged", scenario: "tls-intercepted", skip: "tls", exit: exitPass,
			skipped: map[string]string{"tls": "STARTTLS was still done, the server's certificate was not judged"},
			sent:    []string{"STARTTLS", "MAIL FROM", "RCPT TO"}, noCode: "tls-intercepted",
		},
		{
			name: "send: no envelope, so the refused recipient decides nothing", scenario: "attr36", skip: "send", exit: exitPass,
			skipped: map[string]string{"send": "the conversation ended before MAIL FROM"},
			sent:    []string{"EHLO", "STARTTLS"}, notSent: []string{"MAIL FROM", "RCPT TO"}, noCode: "5.7.64",
		},
		{
			name: "smtp: no conversation", scenario: "attr36", skip: "smtp", exit: exitPass,
			skipped: map[string]string{"smtp": "left out with --skip", "tls": "left out with --skip", "send": "left out with --skip"},
			notSent: []string{"EHLO"}, noCode: "5.7.64",
		},
		{
			name: "publicip and tcp", scenario: "ok", skip: "publicip,tcp", exit: exitPass,
			skipped: map[string]string{"publicip": "left out with --skip", "tcp": "left out with --skip"},
			sent:    []string{"RCPT TO"},
		},
		{
			name: "dns: the endpoint still found, its judgement left out", scenario: "ok", skip: "DNS", exit: exitPass,
			skipped: map[string]string{"dns": "the endpoint was still looked up"},
			sent:    []string{"RCPT TO"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, rep := runSkipSim(t, tt.scenario, "--skip", tt.skip)
			if code != tt.exit {
				t.Errorf("exit %d; want %d (findings %v)", code, tt.exit, rep.codes())
			}
			for id, want := range tt.skipped {
				if s := rep.summary(id); !strings.HasPrefix(s, "skip: ") || !strings.Contains(s, want) {
					t.Errorf("%s = %q; want skipped with %q", id, s, want)
				}
			}
			for _, c := range tt.sent {
				if !rep.sent(c) {
					t.Errorf("%s not sent; want it sent", c)
				}
			}
			for _, c := range tt.notSent {
				if rep.sent(c) {
					t.Errorf("%s sent; want it left out", c)
				}
			}
			if tt.noCode != "" && contains(rep.codes(), tt.noCode) {
				t.Errorf("findings %v hold %s; want it left out", rep.codes(), tt.noCode)
			}
			if rep.RootCause != nil && tt.skipped[rep.RootCause.Check] != "" {
				t.Errorf("root cause %s is a check left out", rep.rootCause())
			}
		})
	}
}

// TestSubmitSkip runs submit's --skip against the submission simulator.
func TestSubmitSkip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, scenario, skip string
		exit                 int
		skipped              map[string]string
		notSent              []string
	}{
		{"auth: no sign-in and no envelope", "auth-disabled", "auth", exitPass,
			map[string]string{"auth": "left out with --skip", "send": "auth was left out with --skip"}, []string{"AUTH", "MAIL FROM"}},
		{"oauth: no token, so no AUTH", "no-role", "oauth,tcp", exitPass,
			map[string]string{"oauth": "left out with --skip", "tcp": "left out with --skip", "auth": "no access token"}, []string{"AUTH"}},
		{"send", "submit-ok", "send", exitPass,
			map[string]string{"send": "before MAIL FROM"}, []string{"MAIL FROM"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim := fixtures.NewSim(t, tt.scenario)
			code, stdout, stderr := runEnv(t, sim.Scenario.Env, simHooks(sim),
				append(append([]string{"submit"}, sim.Args()...), "--skip", tt.skip, "-o", "json")...)
			var rep jsonReport
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("output is not JSON: %v\n%s\n%s", err, stdout, stderr)
			}
			if code != tt.exit {
				t.Errorf("exit %d; want %d (findings %v)", code, tt.exit, rep.codes())
			}
			for id, want := range tt.skipped {
				if s := rep.summary(id); !strings.HasPrefix(s, "skip: ") || !strings.Contains(s, want) {
					t.Errorf("%s = %q; want skipped with %q", id, s, want)
				}
			}
			for _, c := range tt.notSent {
				if rep.sent(c) {
					t.Errorf("%s sent; want it left out", c)
				}
			}
		})
	}
}

// TestConnectorSkip leaves tcp out of the connector pre-flight.
func TestConnectorSkip(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "ok")
	code, stdout, _ := runConnectorSim(t, sim, "--skip", "tcp", "-o", "json")
	var rep jsonReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if code != exitPass || rep.summary("tcp") != "skip: skipped: left out with --skip" {
		t.Errorf("exit %d, tcp %q; want 0 and tcp left out", code, rep.summary("tcp"))
	}
}

// TestSkipNames checks that each command takes the names of its own checks only, and refuses
// the ones it has but cannot leave out with the reason.
func TestSkipNames(t *testing.T) {
	t.Parallel()
	relay := []string{"relay", "--from", "app@contoso.com", "--to", "x@example.org"}
	direct := []string{"direct", "--from", "app@contoso.com", "--to", "x@contoso.com"}
	submit := []string{"submit", "--from", "app@contoso.com", "--to", "x@example.org"}
	connector := []string{"connector", "--domain", "contoso.com"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"relay, unknown", append(relay, "--skip", "nope"), `--skip "nope" is not a check relay can leave out: no such check; relay's checks are publicip, dns, tcp, smtp, tls, send, clientcert`},
		{"relay, oauth", append(relay, "--skip", "dns,oauth"), `--skip "oauth" is not a check relay can leave out: no such check`},
		{"direct, clientcert", append(direct, "--skip", "clientcert"), `--skip "clientcert" is not a check direct can leave out`},
		{"submit, tls", append(submit, "--skip", "tls"), `--skip "tls" is not a check submit can leave out: credentials go only to a server whose certificate was judged`},
		{"submit, publicip", append(submit, "--skip", "publicip"), `no such check; submit's checks are dns, tcp, oauth, smtp, auth, send`},
		{"connector, publicip", append(connector, "--skip", "publicip"), "give it with --public-ip instead"},
		{"connector, smtp", append(connector, "--skip", "smtp"), "no such check; connector's checks are dns, tcp, clientcert"},
		{"empty item", append(relay, "--skip", "tls,,dns"), "empty item"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertCantRun(t, tt.want, tt.args...)
		})
	}
}

// TestCommonFlags checks that every probing command takes the common flags of the README
// where they mean something, and refuses the others with the reason, without showing them in
// its --help.
func TestCommonFlags(t *testing.T) {
	t.Parallel()
	common := []string{"output", "no-color", "transcript", "timeout", "connect-timeout", "reply-timeout", "resolver", "host", "port", "public-ip", "skip"}
	refused := map[string]map[string]string{
		"submit": {"public-ip": "--public-ip has no meaning for submit: a submission is recognised by its sign-in"},
		"ip": {
			"transcript": "--transcript has no meaning for ip", "connect-timeout": "--connect-timeout has no meaning for ip",
			"reply-timeout": "--reply-timeout has no meaning for ip", "host": "--host has no meaning for ip",
			"port": "--port has no meaning for ip", "public-ip": "--public-ip has no meaning for ip", "skip": "--skip has no meaning for ip",
		},
	}
	// connector gains --reply-timeout with its SMTP conversation (issue 10's connector
	// pre-flight, another branch): not held to either rule here.
	unchecked := map[string]bool{"connector reply-timeout": true}
	values := map[string]string{
		"output": "json", "timeout": "30s", "connect-timeout": "2s", "reply-timeout": "2s", "resolver": "127.0.0.1:1",
		"host": "127.0.0.1", "port": "2525", "public-ip": "203.0.113.7", "skip": "tcp",
	}
	for _, cmd := range []string{"relay", "direct", "submit", "connector", "ip"} {
		_, help, _ := runCmd(t, "", cmd, "--help")
		for _, flag := range common {
			if unchecked[cmd+" "+flag] {
				continue
			}
			why, isRefused := refused[cmd][flag]
			if shown := strings.Contains(help, "--"+flag+" ") || strings.Contains(help, "--"+flag+"["); shown == isRefused {
				t.Errorf("%s --help shows --%s: %v; want %v", cmd, flag, shown, !isRefused)
			}
			if !isRefused {
				continue
			}
			arg := "--" + flag
			if v := values[flag]; v != "" {
				arg += "=" + v
			}
			t.Run(cmd+" "+flag, func(t *testing.T) {
				t.Parallel()
				args := []string{cmd, arg}
				if cmd == "submit" {
					args = append(args, "--from", "app@contoso.com", "--to", "x@example.org")
				}
				if cmd == "connector" {
					args = append(args, "--domain", "contoso.com")
				}
				assertCantRun(t, why, args...)
			})
		}
	}
}
