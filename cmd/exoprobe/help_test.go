package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe/publicip"
)

// TestHelp runs every command's --help: it exits 0, says how to call the command with its
// arguments, shows booleans plainly, and offers no flag that does nothing there.
func TestHelp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cmd     string
		usage   string
		has     []string
		hasNot  []string
		noFlags bool
	}{
		{cmd: "relay", usage: "Usage: exoprobe relay [flags]", has: []string{"--send  ", "--transcript", "--no-color", "-v, --verbose"}},
		{cmd: "direct", usage: "Usage: exoprobe direct [flags]", has: []string{"--transcript"}},
		{cmd: "submit", usage: "Usage: exoprobe submit [flags]", has: []string{"--transcript", "EXOPROBE_CLIENT_SECRET"}},
		{cmd: "connector", usage: "Usage: exoprobe connector [flags]", has: []string{"--domain domain"}},
		{cmd: "cert", usage: "Usage: exoprobe cert FILE [flags]", has: []string{"--key string"}, hasNot: []string{"--transcript", "--roots"}},
		{cmd: "ip", usage: "Usage: exoprobe ip [flags]", has: []string{"--timeout duration"}, hasNot: []string{"--transcript"}},
		{cmd: "site", usage: "Usage: exoprobe site [flags]", has: []string{"--report FILE", "--submit-host", "--transcript", "EXOPROBE_CLIENT_SECRET"}},
		{cmd: "demo", usage: "Usage: exoprobe demo [flags]", has: []string{"--list  ", "--transcript"}},
		{cmd: "version", usage: "Usage: exoprobe version [flags]", has: []string{"-o, --output string"}, hasNot: []string{"--transcript", "--report"}},
	}
	for _, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			t.Parallel()
			for _, h := range []string{"--help", "-h"} {
				code, stdout, stderr := runCmd(t, "", tt.cmd, h)
				if code != exitPass || stderr != "" {
					t.Errorf("%s: exit code %d, stderr %q; want 0 and nothing", h, code, stderr)
				}
				if !strings.HasPrefix(stdout, tt.usage+"\n") {
					t.Errorf("%s: help starts %q; want %q", h, firstLine(stdout), tt.usage)
				}
				if strings.Contains(stdout, "[=") {
					t.Errorf("%s: help shows a flag with an optional value:\n%s", h, stdout)
				}
				if tt.noFlags && strings.Contains(stdout, "--") {
					t.Errorf("%s: help shows flags:\n%s", h, stdout)
				}
				for _, s := range tt.has {
					if !strings.Contains(stdout, s) {
						t.Errorf("%s: help lacks %q:\n%s", h, s, stdout)
					}
				}
				for _, s := range tt.hasNot {
					if strings.Contains(stdout, s) {
						t.Errorf("%s: help shows %q, which does nothing here:\n%s", h, s, stdout)
					}
				}
				for _, l := range strings.Split(stdout, "\n") {
					if len([]rune(l)) > 80 && strings.Contains(strings.TrimSpace(l), " ") {
						t.Errorf("%s: line of %d columns, not a terminal: want 80 at most:\n%s", h, len([]rune(l)), l)
					}
				}
			}
			// A flag that is not offered is refused, not ignored: as unknown, or with the reason
			// it means nothing to this command.
			for _, f := range tt.hasNot {
				if f == "--transcript" {
					code, _, stderr := runCmd(t, "", tt.cmd, f)
					if code != exitCantRun || !strings.Contains(stderr, "unknown flag") && !strings.Contains(stderr, "has no meaning") {
						t.Errorf("%s %s: exit code %d, stderr %q; want 3 and unknown flag or the reason", tt.cmd, f, code, stderr)
					}
				}
			}
		})
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// TestDemoList: the scenario list in each output format.
func TestDemoList(t *testing.T) {
	t.Parallel()
	var names []string
	for _, s := range fixtures.Scenarios() {
		names = append(names, s.Name)
	}
	t.Run("json", func(t *testing.T) {
		t.Parallel()
		code, stdout, _ := runCmd(t, "", "demo", "--list", "-o", "json")
		var list []struct{ Name, Mode, Summary string }
		if err := json.Unmarshal([]byte(stdout), &list); err != nil || code != exitPass {
			t.Fatalf("exit code %d, not a JSON list: %v\n%s", code, err, stdout)
		}
		var got []string
		for _, s := range list {
			got = append(got, s.Name)
			if s.Mode == "" || s.Summary == "" {
				t.Errorf("scenario %+v lacks its mode or summary", s)
			}
		}
		if !slices.Equal(got, names) {
			t.Errorf("scenarios %v; want %v", got, names)
		}
	})
	t.Run("markdown", func(t *testing.T) {
		t.Parallel()
		_, stdout, _ := runCmd(t, "", "demo", "--list", "-o", "markdown")
		if !strings.HasPrefix(stdout, "| scenario | command | what it shows |\n|---|---|---|\n") ||
			!strings.Contains(stdout, "| `"+names[0]+"` |") {
			t.Errorf("not a Markdown table:\n%s", stdout)
		}
	})
	t.Run("text", func(t *testing.T) {
		t.Parallel()
		_, stdout, _ := runCmd(t, "", "demo", "--list")
		if n := strings.Count(stdout, "\n"); n != len(names) {
			t.Errorf("%d lines; want one per scenario (%d)", n, len(names))
		}
	})
	t.Run("unknown format", func(t *testing.T) {
		t.Parallel()
		assertCantRun(t, "unknown output format", "demo", "--list", "-o", "xml")
	})
}

// TestNoInternalPrefixes runs the error paths of every command: what reaches stderr never
// carries an internal package's prefix ("certcheck: ", "report: ").
func TestNoInternalPrefixes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(junk, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.pem")
	relay := []string{"relay", "--from", "a@contoso.com", "--to", "b@example.org"}
	tests := [][]string{
		{"nope"},
		append(slices.Clone(relay), "-o", "xml"),
		append(slices.Clone(relay), "--cert", junk),
		append(slices.Clone(relay), "--pfx", junk),
		append(slices.Clone(relay), "--cert", missing),
		append(slices.Clone(relay), "--timeout", "1s", "--connect-timeout", "2s"),
		append(slices.Clone(relay), "--password", "Hunter2-secret"),
		{"direct", "--from", "a@contoso.com"},
		{"direct", "--from", "a@contoso.com", "--to", "b@contoso.com", "--nope"},
		{"submit", "--from", "a@contoso.com", "--to", "b@example.org"},
		{"submit", "--from", "a@contoso.com", "--to", "b@example.org", "--tenant", "contoso.com", "--client-id", "00000000-0000-0000-0000-000000000001"},
		{"submit", "--from", "a@contoso.com", "--to", "b@example.org", "--tenant", "contoso.com", "--client-id", "00000000-0000-0000-0000-000000000001", "--client-cert", junk},
		{"submit", "--from", "a@contoso.com", "--to", "b@example.org", "--auth", "basic"},
		{"submit", "--from", "a@contoso.com", "--to", "b@example.org", "--cloud", "mars"},
		{"cert"},
		{"cert", junk},
		{"cert", missing},
		{"cert", junk, "--roots", junk},
		{"cert", junk, "-o", "yaml"},
		{"connector"},
		{"connector", "--domain", "contoso.com", "--pfx", junk},
		{"connector", "--domain", "contoso.com", "-o", "xml"},
		{"ip", "--timeout", "0s"},
		{"ip", "-o", "xml"},
		{"demo", "--scenario", "nope"},
		{"demo", "--list", "-o", "xml"},
		{"explain"},
		{"version", "now"},
	}
	for _, args := range tests {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runCmd(t, "", args...)
			if code != exitCantRun {
				t.Errorf("exit code %d; want %d\n%s", code, exitCantRun, stderr)
			}
			for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
				msg := l
				if strings.HasPrefix(l, "exoprobe ") {
					_, msg, _ = strings.Cut(l, ": ")
				}
				if m := internalPrefix.FindString(msg); m != "" {
					t.Errorf("stderr shows the internal prefix %q: %s", m, l)
				}
			}
		})
	}
}

// TestMessage: the prefixes of exoprobe's own packages are dropped wherever they are in a
// chain of wrapped errors; other text is left as it is.
func TestMessage(t *testing.T) {
	t.Parallel()
	tests := []struct{ err, want string }{
		{"certcheck: no certificate found", "no certificate found"},
		{"reading --cert a.pem: certcheck: no certificate found", "reading --cert a.pem: no certificate found"},
		{"report: writing JSON: report: x", "writing JSON: x"},
		{"writing the report: disk full", "writing the report: disk full"},
		{"--resolver \"probe: x\": not a DNS server", "--resolver \"probe: x\": not a DNS server"},
	}
	for _, tt := range tests {
		if got := message(errors.New(tt.err)); got != tt.want {
			t.Errorf("message(%q) = %q; want %q", tt.err, got, tt.want)
		}
	}
}

// TestInternalPackagesKnown: every package of the module is in internalPackages, so that its
// prefix never reaches a person.
func TestInternalPackagesKnown(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != "../.." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.PackageClauseOnly)
		if err != nil {
			return err
		}
		seen[f.Name.Name] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for name := range seen {
		if !slices.Contains(internalPackages, name) {
			t.Errorf("package %s is not in internalPackages: its errors' prefix would reach stderr", name)
		}
	}
}

// TestSecretAdvice: the advice for putting a secret in the environment works in Windows
// PowerShell 5.1 (no Read-Host -MaskInput, no &&), in PowerShell 7 and in bash, in the report
// of a refused secret flag and in the error when no secret can be asked for.
func TestSecretAdvice(t *testing.T) {
	t.Parallel()
	code, stdout, _ := runCmd(t, "", "relay", "--from", "a@contoso.com", "--to", "b@example.org", "--password", "Hunter2-secret", "-o", "json")
	var rep jsonReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != exitCantRun {
		t.Fatalf("exit code %d, report not JSON: %v\n%s", code, err, stdout)
	}
	_, _, stderr := runCmd(t, "", "submit", "--from", "a@contoso.com", "--to", "b@example.org", "--auth", "basic")
	for name, text := range map[string]string{"report": rep.Checks[0].Findings[0].Message, "stderr": stderr} {
		for _, want := range []string{
			"`$env:" + envPassword + " = [Net.NetworkCredential]::new('', (Read-Host -AsSecureString)).Password`",
			"`$env:" + envPassword + " = '<secret>'`",
			"`read -rs " + envPassword + "; export " + envPassword + "`",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %s:\n%s", name, want, text)
			}
		}
		for _, bad := range []string{"-MaskInput", "&&"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s advises %s, which Windows PowerShell 5.1 lacks:\n%s", name, bad, text)
			}
		}
	}
}

// TestIPCommand runs `exoprobe ip` against the simulator's public-IP names: the verdict says
// what was detected, not that "ip through the endpoint should work".
func TestIPCommand(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "ok")
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" }, isTerminal: func(io.Writer) bool { return false },
	}
	v, err := runIPWith(t.Context(), e, []string{"--resolver", sim.DNSAddr}, func(c *publicip.Config) {
		c.Sources = publicip.SourcesAt(sim.DNSAddr)
		c.HTTPSURLs = []string{}
	})
	if err != nil || exitCode(v) != exitPass {
		t.Fatalf("ip: %v, verdict %s\n%s%s", err, v, out.String(), errb.String())
	}
	want := fmt.Sprintf("Verdict: PASS - public-IP detection worked: %s (opendns, google, cloudflare); IPv6 not checked", sim.PublicIP)
	if !strings.Contains(out.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, out.String())
	}
	if strings.Contains(out.String(), "through the endpoint") {
		t.Errorf("the verdict speaks of an endpoint ip never talks to:\n%s", out.String())
	}
}
