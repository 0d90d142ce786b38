package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/fixtures"
)

// inventoryPasswords are every password the sample files hold, those of the rows and those of
// settings that are not mail (a database password beside MAIL_PASSWORD).
func inventoryPasswords(samples []fixtures.InventorySample) []string {
	out := []string{"Db-Not-Mail-Pass1", "Wp-Db-Password-1"}
	for _, s := range samples {
		if s.Password != "" {
			out = append(out, s.Password)
		}
	}
	return out
}

// TestInventoryFindsEachSample runs `exoprobe inventory --path DIR` over a directory of sample
// configuration files, one or more per format, in every output format and with --report: each
// file is found with its line, the exit code says that some will break, and no output, report
// file or stderr holds any of the passwords in any of their forms.
func TestInventoryFindsEachSample(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	samples := fixtures.WriteInventorySamples(t, dir)
	passwords := inventoryPasswords(samples)
	out := t.TempDir()

	for _, o := range [][]string{{"-o", "json"}, {"-o", "markdown"}, {"-o", "text", "--verbose", "--no-color"}, {}} {
		name := strings.Join(o, " ")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"inventory", "--path", dir}, o...)
			code, stdout, stderr := runCmd(t, "", args...)
			if code != exitWarn {
				t.Errorf("exit code %d; want %d (rows that break)\nstderr: %s", code, exitWarn, stderr)
			}
			assertNoLeak(t, "stdout", stdout, passwords...)
			assertNoLeak(t, "stderr", stderr, passwords...)
			if len(o) > 1 && o[1] == "json" {
				var doc struct {
					Mode    string `json:"mode"`
					Verdict string `json:"verdict"`
					Machine struct {
						Rows []struct {
							File   string `json:"file"`
							Line   int    `json:"line"`
							Host   string `json:"host"`
							User   string `json:"user"`
							Breaks bool   `json:"breaks"`
							Way    string `json:"way"`
						} `json:"rows"`
					} `json:"machine"`
				}
				if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
					t.Fatalf("JSON: %v\n%s", err, stdout)
				}
				if doc.Mode != "inventory" || doc.Verdict != "warn" {
					t.Errorf("mode %q verdict %q; want inventory, warn", doc.Mode, doc.Verdict)
				}
				for _, s := range samples {
					if s.Host == "" {
						continue
					}
					found := false
					for _, r := range doc.Machine.Rows {
						if r.File == filepath.Join(dir, filepath.FromSlash(s.Name)) && r.Line == s.Line {
							found = true
							if r.Host != s.Host || r.User != s.User || r.Breaks != s.Breaks || r.Way != s.Way {
								t.Errorf("%s: host %q user %q breaks %v way %q; want %q %q %v %q", s.Name, r.Host, r.User, r.Breaks, r.Way, s.Host, s.User, s.Breaks, s.Way)
							}
						}
					}
					if !found {
						t.Errorf("%s line %d: not in the JSON rows", s.Name, s.Line)
					}
				}
				return
			}
			for _, s := range samples {
				file := filepath.Join(dir, filepath.FromSlash(s.Name))
				switch {
				case s.Host == "" && strings.Contains(stdout, file) && !s.Companion:
					t.Errorf("%s sends elsewhere, but the output names it", s.Name)
				case s.Host == "":
				case len(o) > 1 && o[1] == "markdown":
					if !strings.Contains(stdout, "`"+file+"` | "+strconv.Itoa(s.Line)+" |") {
						t.Errorf("%s line %d: not in the Markdown table", s.Name, s.Line)
					}
				default:
					if !strings.Contains(stdout, file+":"+strconv.Itoa(s.Line)+" ") {
						t.Errorf("%s: %s:%d not in the text", s.Name, file, s.Line)
					}
				}
			}
		})
	}
	for _, ext := range []string{"json", "md", "html"} {
		t.Run("--report "+ext, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(out, "inventory."+ext)
			code, stdout, stderr := runCmd(t, "", "inventory", "--path", dir, "--report", path)
			b, err := os.ReadFile(path)
			if err != nil || code != exitWarn {
				t.Fatalf("exit %d, report file: %v; want 1 and the file", code, err)
			}
			if !strings.Contains(string(b), "smtp.office365.com") {
				t.Errorf("the report file lacks the rows:\n%s", b)
			}
			assertNoLeak(t, "report file", string(b), passwords...)
			assertNoLeak(t, "stdout", stdout, passwords...)
			assertNoLeak(t, "stderr", stderr, passwords...)
		})
	}
}

// TestInventoryExitCodes: nothing found that breaks is 0, a scan whose time ran out is 1,
// mistakes on the command line are 3.
func TestInventoryExitCodes(t *testing.T) {
	t.Parallel()
	clean := t.TempDir()
	if err := os.WriteFile(filepath.Join(clean, ".env"), []byte("MAIL_HOST=mail.example.org\nMAIL_PASSWORD=Elsewhere-Pw-77\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := runCmd(t, "", "inventory", "--path", clean)
	if code != exitPass || !strings.Contains(stdout, "No configuration file found sends through Microsoft 365") {
		t.Errorf("nothing to find: exit %d; want 0\n%s", code, stdout)
	}
	assertNoLeak(t, "stdout", stdout, "Elsewhere-Pw-77")

	code, stdout, _ = runCmd(t, "", "inventory", "--path", clean, "--timeout", "1ns", "-o", "json")
	if code != exitWarn || !strings.Contains(stdout, `"incomplete": true`) {
		t.Errorf("--timeout 1ns: exit %d; want 1 and incomplete\n%s", code, stdout)
	}

	assertCantRun(t, "--path "+filepath.Join(clean, "missing")+": no such file or directory", "inventory", "--path", filepath.Join(clean, "missing"))
	assertCantRun(t, "must end in .md, .json or .html", "inventory", "--path", clean, "--report", filepath.Join(clean, "r.txt"))
	assertCantRun(t, "unexpected argument", "inventory", clean)
	assertCantRun(t, "unknown flag: --transcript", "inventory", "--transcript")
}

// TestInventoryHelp: inventory's help says what it reads, the tenant side with its rule for
// the machine scan, and its exit codes, in 80 columns.
func TestInventoryHelp(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCmd(t, "", "inventory", "--help")
	if code != exitPass || stderr != "" || !strings.HasPrefix(stdout, "Usage: exoprobe inventory [flags]\n") {
		t.Fatalf("exit %d, stderr %q, help:\n%s", code, stderr, stdout)
	}
	for _, want := range []string{"--path PATH", "rsreportserver.config", "sasl_passwd", "Exit codes",
		"--tenant", "--days", "--no-machine", "sign-in logs", "AuditLog.Read.All", "Entra ID P1", "undocumented", "tri-state",
		"This machine is scanned in every run", "--client-pfx", "EXOPROBE_CLIENT_SECRET"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	if strings.Contains(stdout, "--client-secret") {
		t.Errorf("help offers a secret as a flag")
	}
	for _, l := range strings.Split(stdout, "\n") {
		if len([]rune(l)) > 80 {
			t.Errorf("line of %d columns:\n%s", len([]rune(l)), l)
		}
	}
}

// TestInventoryInterrupted: a scan stopped by Ctrl-C exits 130 with the report of what it read,
// marked incomplete, and says it was interrupted.
func TestInventoryInterrupted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixtures.WriteInventorySamples(t, dir)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, isTerminal: func(io.Writer) bool { return false }}
	code := run(ctx, e, []string{"inventory", "--path", dir, "-o", "json"})
	if code != exitInterrupted || !strings.Contains(out.String(), `"incomplete": true`) || !strings.Contains(out.String(), "interrupted") {
		t.Errorf("exit %d; want %d and an incomplete report that says it was interrupted\nstdout: %s\nstderr: %s", code, exitInterrupted, out.String(), errb.String())
	}
}
