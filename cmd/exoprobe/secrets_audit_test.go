package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/fixtures"
)

// Known values of the secrets audit: every command runs with all four in its environment.
const (
	auditClientSecret = "audit-ClientSecret~exoprobe-7Qw.9"
	auditPassword     = "audit-Password!exoprobe-4Zx#2"
	auditToken        = "eyJhdWRpdCI6dHJ1ZX0.eyJhdWRpdC10b2tlbiI6ImV4b3Byb2JlIn0.YXVkaXQtc2lnbmF0dXJl"
)

// TestSecretsAudit runs every command and every demo scenario with known secret, password, PFX
// password and token values in the environment (and given as flags, which must be refused), and
// searches stdout, stderr, every report format, the transcripts, the report files of --report
// and every file left in the temporary directory for them and their base64 and URL-encoded
// forms.
//
// It sets TMPDIR, so it cannot run in parallel with the other tests of this package.
func TestSecretsAudit(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	vars := map[string]string{
		envClientSecret: auditClientSecret, envPassword: auditPassword,
		envPFXPassword: leakPFXPassword, envAccessToken: auditToken,
		envReaderSecret: readerSecret, envReaderPFXPassword: leakPFXPassword,
	}
	secrets := []string{auditClientSecret, auditPassword, leakPFXPassword, auditToken, leakArgvSecret,
		fixtures.TokenSecret, fixtures.SimPassword, readerSecret}

	check := func(t *testing.T, code int, stdout, stderr string) {
		t.Helper()
		if code < exitPass || code > exitCantRun {
			t.Errorf("exit code %d is not one of 0-3", code)
		}
		assertNoLeak(t, "stdout", stdout, secrets...)
		assertNoLeak(t, "stderr", stderr, secrets...)
		assertNoLeakInFiles(t, tmp, secrets...)
	}

	// The monitoring outputs too: the plugin output on stdout, the metrics in a file under tmp,
	// which check searches after every run.
	monitoring := []string{"-o", "nagios", "--prom-file", filepath.Join(tmp, "audit.prom")}
	withMonitoring := append(append([][]string{}, outputs...), monitoring)

	t.Run("demo", func(t *testing.T) {
		for _, sc := range fixtures.Scenarios() {
			for _, o := range withMonitoring {
				t.Run(sc.Name+" "+strings.Join(o, " "), func(t *testing.T) {
					code, stdout, stderr := runEnv(t, vars, nil, append([]string{"demo", "--scenario", sc.Name}, o...)...)
					check(t, code, stdout, stderr)
				})
			}
		}
	})

	pfx := writePFX(t, leakPFXPassword)
	sim := fixtures.NewSim(t, "ok")
	local := []string{"--resolver", sim.DNSAddr, "--public-ip", sim.PublicIP.String(), "--port", strconv.Itoa(sim.SMTPPort)}
	// A configuration that signs in with the audit's password, for inventory to find.
	confDir := t.TempDir()
	env := "MAIL_HOST=smtp.office365.com\nMAIL_PORT=587\nMAIL_USERNAME=" + fixtures.SimFrom + "\nMAIL_PASSWORD=" + auditPassword + "\n"
	if err := os.WriteFile(filepath.Join(confDir, ".env"), []byte(env), 0o600); err != nil {
		t.Fatal(err)
	}
	commands := map[string][]string{
		"inventory":        {"inventory", "--path", confDir},
		"relay with a PFX": append([]string{"relay", "--from", sim.From, "--to", sim.To, "--pfx", pfx}, local...),
		"direct":           append([]string{"direct", "--from", sim.From, "--to", fixtures.SimFrom}, local...),
		"site":             append([]string{"site", "--from", sim.From, "--to", sim.To}, local...),
		"cert":             {"cert", pfx, "--domain", sim.Domain},
		"connector":        append([]string{"connector", "--domain", sim.Domain, "--pfx", pfx}, local...),
		"explain":          {"explain", "535 5.7.3 Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]"},
		"version":          {"version"},
	}
	for name, args := range commands {
		outs := outputs
		if name == "inventory" {
			outs = withMonitoring
		}
		for _, o := range outs {
			if name == "version" && len(o) > 0 {
				continue
			}
			t.Run(name+" "+strings.Join(o, " "), func(t *testing.T) {
				code, stdout, stderr := runEnv(t, vars, nil, append(append([]string{}, args...), o...)...)
				check(t, code, stdout, stderr)
				if name == "inventory" && code != exitCantRun && !strings.Contains(stdout, "MAIL_HOST") { // inventory takes no --transcript
					t.Errorf("inventory did not find the .env that holds the password:\n%s", stdout)
				}
			})
		}
		if name == "explain" || name == "version" {
			continue // no report of a run, no --report
		}
		for _, ext := range []string{"json", "md", "html"} {
			t.Run(name+" --report "+ext, func(t *testing.T) {
				path := filepath.Join(tmp, strings.ReplaceAll(name, " ", "-")+"."+ext)
				code, stdout, stderr := runEnv(t, vars, nil, append(append([]string{}, args...), "--report", path)...)
				if _, err := os.Stat(path); err != nil {
					t.Errorf("no report file: %v", err)
				}
				check(t, code, stdout, stderr)
			})
		}
	}
	// submit --tenant-check: two apps, each with its secret in its own variable, and the
	// reading app's tenant read while the submission runs.
	t.Run("submit --tenant-check", func(t *testing.T) {
		both := map[string]string{envClientSecret: fixtures.TokenSecret, envReaderSecret: readerSecret}
		for _, o := range outputs {
			code, stdout, stderr := runSubmitTenantCheck(t, "submit-ok", nil, both, o...)
			check(t, code, stdout, stderr)
		}
		for _, ext := range []string{"json", "md", "html"} {
			path := filepath.Join(tmp, "submit-tenant-check."+ext)
			code, stdout, stderr := runSubmitTenantCheck(t, "submit-ok", nil, both, "--report", path)
			if _, err := os.Stat(path); err != nil {
				t.Errorf("no report file: %v", err)
			}
			check(t, code, stdout, stderr)
		}
	})
	t.Run("demo --report", func(t *testing.T) {
		for _, sc := range []string{"submit-ok", "basic-retired", "cert-ok"} {
			path := filepath.Join(tmp, "demo-"+sc+".html")
			code, stdout, stderr := runEnv(t, vars, nil, "demo", "--scenario", sc, "--report", path)
			if _, err := os.Stat(path); err != nil {
				t.Errorf("%s: no report file: %v", sc, err)
			}
			check(t, code, stdout, stderr)
		}
	})

	t.Run("secrets given as flags", func(t *testing.T) {
		for _, cmd := range []string{"relay", "direct", "submit", "cert", "connector"} {
			for flag := range secretFlags {
				args := []string{cmd, "--from", sim.From, "--to", sim.To, "--domain", sim.Domain, "--" + flag + "=" + leakArgvSecret}
				code, stdout, stderr := runEnv(t, nil, nil, append(args, "-o", "json")...)
				if code != exitCantRun {
					t.Errorf("%s --%s: exit %d; want %d", cmd, flag, code, exitCantRun)
				}
				check(t, code, stdout, stderr)
				// The refusal is a report too, and --report writes it, the value left out.
				for _, ext := range []string{"json", "md", "html"} {
					path := filepath.Join(tmp, "refused-"+cmd+"-"+flag+"."+ext)
					code, stdout, stderr := runEnv(t, nil, nil, append(args, "--report", path, "--"+flag, leakArgvSecret)...)
					if _, err := os.Stat(path); err != nil || code != exitCantRun {
						t.Errorf("%s --%s --report %s: exit %d, %v; want %d and the refusal in the file", cmd, flag, ext, code, err, exitCantRun)
					}
					check(t, code, stdout, stderr)
				}
			}
		}
	})
}

// assertNoLeakInFiles fails when a file under dir holds a secret in any of its forms.
func assertNoLeakInFiles(t *testing.T, dir string, secrets ...string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil // a directory removed while walking is not a leak
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		assertNoLeak(t, "temporary file "+filepath.Base(path), string(b), secrets...)
		return nil
	})
	if err != nil {
		t.Fatalf("walking %s: %v", dir, err)
	}
}
