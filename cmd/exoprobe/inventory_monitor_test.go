package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/fixtures"
)

// inventoryMonitorPassword is the password of the sample configuration the inventory finds: no
// output may hold it.
const inventoryMonitorPassword = "Inventory-Monitor!pw-81"

// writeInventorySamples writes a directory with a .env that signs in to SMTP AUTH with a
// password (it breaks) and, under ok/, a Postfix main.cf that relays to the MX (it does not).
func writeInventorySamples(t *testing.T, dir string) (all, ok string) {
	t.Helper()
	ok = filepath.Join(dir, "ok")
	if err := os.MkdirAll(ok, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		filepath.Join(dir, ".env"):   "MAIL_HOST=smtp.office365.com\nMAIL_PORT=587\nMAIL_USERNAME=app@contoso.com\nMAIL_PASSWORD=" + inventoryMonitorPassword + "\n",
		filepath.Join(ok, "main.cf"): "relayhost = [contoso-com.mail.protection.outlook.com]:25\n",
	}
	for path, body := range files {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, ok
}

// TestInventoryMonitorOutput runs inventory with -o nagios and --prom-file through the command
// line, for the tenant (the inventory-basic scenario) and for this machine (a directory that
// breaks, one that does not), and reads the plugin output as the guidelines define it and the
// metrics with Prometheus' parser: the state and exit code, each performance datum (only for the
// half that ran), the long output's rows, each series and its value, and no secret in either.
func TestInventoryMonitorOutput(t *testing.T) {
	t.Parallel()
	all, ok := writeInventorySamples(t, t.TempDir())
	host, _ := os.Hostname()
	machine := strings.ToLower(host)
	tenantID := fixtures.TokenTenantID
	sc, _ := fixtures.Lookup("inventory-basic")
	tests := []struct {
		name   string
		args   []string
		state  string
		perf   []string // tokens of the performance data
		noPerf []string // labels that must not be there
		long   []string // lines of the long output that must be there (as they start)
		series map[string]float64
		absent []string // series prefixes that must not be there
	}{
		{"tenant: sign-ins that break", []string{"demo", "--scenario", "inventory-basic"}, "WARNING",
			[]string{"'signin_groups_breaking'=2;0;;0", "'signins'=8;;;0", "'mailboxes_smtp_auth'=4;;;0"},
			[]string{"breaking_rows", "files_read"},
			[]string{"BREAKS sign-ins: printer@contoso.com from 198.51.100.23: 3 sign-ins",
				"FAILS sign-ins: app@contoso.com from 192.0.2.50", "MAILBOX smtp-auth: scanner@contoso.com enabled for the mailbox"},
			map[string]float64{
				`exoprobe_verdict{mode="inventory", target="` + tenantID + `"}`:                                                 1,
				`exoprobe_inventory_breaking{mode="inventory", source="tenant", target="` + tenantID + `"}`:                     2,
				`exoprobe_inventory_basic_signins{mode="inventory", target="` + tenantID + `"}`:                                 8,
				`exoprobe_inventory_smtp_auth_mailboxes{mode="inventory", state="enabled", target="` + tenantID + `"}`:          1,
				`exoprobe_inventory_smtp_auth_mailboxes{mode="inventory", state="inherits-enabled", target="` + tenantID + `"}`: 3,
				`exoprobe_inventory_smtp_auth_mailboxes{mode="inventory", state="inherits-unknown", target="` + tenantID + `"}`: 0,
			},
			[]string{`exoprobe_inventory_breaking{mode="inventory", source="machine"`, "exoprobe_inventory_files_read", "exoprobe_check_status"}},
		{"tenant without Entra ID P1: the mailboxes alone", []string{"demo", "--scenario", "inventory-no-p1"}, "WARNING",
			[]string{"'mailboxes_smtp_auth'=4;;;0"},
			[]string{"signins", "signin_groups_breaking", "breaking_rows"},
			[]string{"WARN tenant: sign-in logs not read whole (no-premium-licence)", "MAILBOX smtp-auth: printer@contoso.com inherits the tenant's, which is on ($null)"},
			map[string]float64{
				`exoprobe_verdict{mode="inventory", target="` + tenantID + `"}`:                                                 1,
				`exoprobe_inventory_smtp_auth_mailboxes{mode="inventory", state="inherits-enabled", target="` + tenantID + `"}`: 3,
			},
			[]string{"exoprobe_inventory_breaking", "exoprobe_inventory_basic_signins"}},
		{"machine: a password that breaks", []string{"inventory", "--path", all}, "WARNING",
			[]string{"'breaking_rows'=1;0;;0", "'files_read'=2;;;0"},
			[]string{"signins", "signin_groups_breaking", "mailboxes_smtp_auth"},
			[]string{"BREAKS machine: " + filepath.Join(all, ".env") + ":1 MAIL_HOST: smtp.office365.com:587 (SMTP AUTH)",
				"OK machine: " + filepath.Join(ok, "main.cf") + ":1 relayhost"},
			map[string]float64{
				`exoprobe_verdict{mode="inventory", target="` + machine + `"}`:                              1,
				`exoprobe_inventory_breaking{mode="inventory", source="machine", target="` + machine + `"}`: 1,
				`exoprobe_inventory_files_read{mode="inventory", target="` + machine + `"}`:                 2,
			},
			[]string{`exoprobe_inventory_breaking{mode="inventory", source="tenant"`, "exoprobe_inventory_basic_signins", "exoprobe_inventory_smtp_auth_mailboxes"}},
		{"machine: nothing breaks", []string{"inventory", "--path", ok}, "OK",
			[]string{"'breaking_rows'=0;0;;0", "'files_read'=1;;;0"}, nil,
			[]string{"OK machine: " + filepath.Join(ok, "main.cf") + ":1 relayhost"},
			map[string]float64{
				`exoprobe_verdict{mode="inventory", target="` + machine + `"}`:                              0,
				`exoprobe_inventory_breaking{mode="inventory", source="machine", target="` + machine + `"}`: 0,
			}, nil},
	}
	dir := t.TempDir()
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCmd(t, "", append(tt.args, "-o", "nagios")...)
			p := parsePluginOutput(t, stdout)
			if p.service != "EXOPROBE INVENTORY" || p.state != tt.state || code != stateExit[tt.state] {
				t.Errorf("%s %s, exit %d; want EXOPROBE INVENTORY %s, exit %d\n%s\n%s", p.service, p.state, code, tt.state, stateExit[tt.state], stdout, stderr)
			}
			perf := map[string]perfDatum{}
			for _, d := range p.perf {
				perf[d.label] = d
			}
			got := " " + strings.SplitN(strings.SplitN(stdout, "\n", 2)[0], " | ", 2)[1] + " "
			for _, w := range append(tt.perf, "'total'=") {
				if !strings.Contains(got, " "+w) {
					t.Errorf("performance data %q; want %s", got, w)
				}
			}
			if d := perf["total"]; d.uom != "s" || d.min != "0" {
				t.Errorf("'total' = %+v; want seconds with the minimum 0", d)
			}
			for _, l := range tt.noPerf {
				if _, ok := perf[l]; ok {
					t.Errorf("performance data has %s, of the half that did not run: %q", l, got)
				}
			}
			for _, w := range tt.long {
				found := false
				for _, l := range p.long {
					found = found || strings.HasPrefix(l, w)
				}
				if !found {
					t.Errorf("no long-output line starting %q:\n%s", w, strings.Join(p.long, "\n"))
				}
			}
			for _, l := range strings.Split(stdout, "\n") {
				if n := len([]rune(l)); n > 400 {
					t.Errorf("a line of %d characters: %q", n, l)
				}
			}

			path := filepath.Join(dir, "exoprobe-inventory-"+string(rune('a'+i))+".prom")
			code, _, stderr = runCmd(t, "", append(tt.args, "--prom-file", path, "-o", "json")...)
			if code != stateExit[tt.state] {
				t.Errorf("--prom-file: exit %d; want %d\n%s", code, stateExit[tt.state], stderr)
			}
			series := promSeries(t, path)
			for k, want := range tt.series {
				if got, ok := series[k]; !ok || got != want {
					t.Errorf("%s = %v (present %v); want %v\nseries: %v", k, got, ok, want, keys(series))
				}
			}
			for k := range series {
				for _, a := range tt.absent {
					if strings.HasPrefix(k, a) {
						t.Errorf("%s is there; want it absent", k)
					}
				}
			}
			if k := runKey(series); !strings.Contains(k, `mode="inventory"`) {
				t.Errorf("exoprobe_run_timestamp_seconds %q; want it with mode inventory", k)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, secret := range []string{inventoryMonitorPassword, sc.Env[envClientSecret], fixtures.TokenSecret} {
				if secret != "" && strings.Contains(stdout+string(data), secret) {
					t.Errorf("a secret is in the plugin output or the metrics")
				}
			}
		})
	}
}

// TestInventoryMonitorRefused: inventory's monitoring flags are checked before it reads
// anything, and a plugin that cannot run says UNKNOWN; it has no certificate thresholds.
func TestInventoryMonitorRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"a path that is not there", []string{"inventory", "-o", "nagios", "--path", filepath.Join(dir, "none")}, "EXOPROBE INVENTORY UNKNOWN - --path "},
		{"no certificate thresholds", []string{"inventory", "-o", "nagios", "--path", dir, "--warn-cert-days", "3"}, "EXOPROBE INVENTORY UNKNOWN - unknown flag: --warn-cert-days"},
		{"a metrics file not ending in .prom", []string{"inventory", "-o", "nagios", "--path", dir, "--prom-file", filepath.Join(dir, "x.txt")}, "EXOPROBE INVENTORY UNKNOWN - --prom-file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, _ := runCmd(t, "", tt.args...)
			if code != exitCantRun || !strings.HasPrefix(stdout, tt.want) || strings.Count(stdout, "\n") != 1 {
				t.Errorf("exit %d, stdout %q; want %d and one line starting %q", code, stdout, exitCantRun, tt.want)
			}
		})
	}
}

// TestInventoryMonitorInterrupted: an inventory stopped by Ctrl-C or SIGTERM (its context
// cancelled, as the signal handler does) says UNKNOWN as a plugin, exits 130, and writes no
// metrics, whose counts could be short.
func TestInventoryMonitorInterrupted(t *testing.T) {
	t.Parallel()
	all, _ := writeInventorySamples(t, t.TempDir())
	prom := filepath.Join(t.TempDir(), "exoprobe-inventory.prom")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" }, isTerminal: func(io.Writer) bool { return false },
	}
	code := run(ctx, e, []string{"inventory", "--path", all, "-o", "nagios", "--prom-file", prom})
	if code != exitInterrupted {
		t.Errorf("exit code %d; want %d\n%s", code, exitInterrupted, errb.String())
	}
	if p := parsePluginOutput(t, out.String()); p.state != "UNKNOWN" || !strings.HasPrefix(p.text, "interrupted") {
		t.Errorf("state %s, text %q; want UNKNOWN, interrupted", p.state, p.text)
	}
	if _, err := os.Stat(prom); !os.IsNotExist(err) {
		t.Errorf("an interrupted inventory wrote its metrics (%v); want no file", err)
	}
}
