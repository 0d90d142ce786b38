package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/publicip"
)

// The Monitoring Plugins development guidelines (https://www.monitoring-plugins.org/doc/guidelines.html),
// as a parser: the plugin output that Nagios, Icinga and their kin read.

// pluginOutput is one plugin output, parsed.
type pluginOutput struct {
	service, state, text string
	perf                 []perfDatum
	long                 []string // the lines after the first
}

// perfDatum is one token of performance data: 'label'=value[UOM];[warn];[crit];[min];[max].
type perfDatum struct {
	label, value, uom, warn, crit, min, max string
}

// stateExit is the exit code of each state, as the guidelines define them.
var stateExit = map[string]int{"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}

// pluginFirstLine is the first line exoprobe writes: the service, its state, the text, and after a
// '|' the performance data.
var pluginFirstLine = regexp.MustCompile(`^(EXOPROBE(?: [A-Z]+)?) (OK|WARNING|CRITICAL|UNKNOWN) - ([^|]+?)(?: \| (.*))?$`)

// The guidelines' classes: a value, min and max in [-0-9.], a unit of measurement, a range.
var (
	perfNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
	perfUOM    = regexp.MustCompile(`^(|s|ms|us|%|B|KB|MB|GB|TB|c)$`)
	// A range: [@][start:][end], start a number or ~ (negative infinity), end a number or empty
	// (positive infinity) when start: is given.
	perfRange = regexp.MustCompile(`^@?(?:(?:~|-?[0-9]+(?:\.[0-9]+)?):)?(?:-?[0-9]+(?:\.[0-9]+)?)?$`)
)

// parsePluginOutput reads out as the guidelines define plugin output, and fails the test
// where it breaks them.
func parsePluginOutput(t *testing.T, out string) pluginOutput {
	t.Helper()
	if !strings.HasSuffix(out, "\n") {
		t.Errorf("output does not end with a line break: %q", out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	m := pluginFirstLine.FindStringSubmatch(lines[0])
	if m == nil {
		t.Fatalf("first line is not SERVICE STATE - text | perfdata: %q", lines[0])
	}
	p := pluginOutput{service: m[1], state: m[2], text: m[3], long: lines[1:]}
	for _, l := range p.long {
		if strings.Contains(l, "|") {
			t.Errorf("a line of the long output holds '|', which starts performance data: %q", l)
		}
	}
	for _, tok := range splitPerf(t, m[4]) {
		p.perf = append(p.perf, parsePerfDatum(t, tok))
	}
	return p
}

// splitPerf splits performance data at the spaces between tokens; a quoted label may hold
// spaces, and two quotes inside it stand for one.
func splitPerf(t *testing.T, s string) []string {
	t.Helper()
	var toks []string
	var cur strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' && quoted && i+1 < len(s) && s[i+1] == '\'':
			cur.WriteString("''")
			i++
		case c == '\'':
			quoted = !quoted
			cur.WriteByte(c)
		case c == ' ' && !quoted:
			if cur.Len() == 0 {
				t.Errorf("two spaces in a row in the performance data %q", s)
			}
			toks = append(toks, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	if quoted {
		t.Errorf("unterminated quote in the performance data %q", s)
	}
	if cur.Len() > 0 {
		toks = append(toks, cur.String())
	}
	return toks
}

func parsePerfDatum(t *testing.T, tok string) perfDatum {
	t.Helper()
	var d perfDatum
	rest := tok
	if strings.HasPrefix(tok, "'") {
		end := -1
		for i := 1; i < len(tok); i++ {
			if tok[i] == '\'' {
				if i+1 < len(tok) && tok[i+1] == '\'' {
					i++
					continue
				}
				end = i
				break
			}
		}
		if end < 0 {
			t.Errorf("%q: the label's quote is not closed", tok)
			return d
		}
		d.label = strings.ReplaceAll(tok[1:end], "''", "'")
		rest = tok[end+1:]
	} else {
		i := strings.IndexByte(tok, '=')
		if i < 0 {
			t.Errorf("%q: no '='", tok)
			return d
		}
		d.label, rest = tok[:i], tok[i:]
		if strings.ContainsAny(d.label, " '=") {
			t.Errorf("%q: a label with a space, '=' or a quote must be quoted", tok)
		}
	}
	if d.label == "" {
		t.Errorf("%q: empty label", tok)
	}
	if !strings.HasPrefix(rest, "=") {
		t.Errorf("%q: no '=' after the label", tok)
		return d
	}
	fields := strings.Split(rest[1:], ";")
	if len(fields) > 5 {
		t.Errorf("%q: more than value;warn;crit;min;max", tok)
	}
	for len(fields) < 5 {
		fields = append(fields, "")
	}
	v := fields[0]
	i := len(v)
	for i > 0 && !strings.ContainsRune("-0123456789.", rune(v[i-1])) {
		i--
	}
	d.value, d.uom, d.warn, d.crit, d.min, d.max = v[:i], v[i:], fields[1], fields[2], fields[3], fields[4]
	if !perfNumber.MatchString(d.value) {
		t.Errorf("%q: value %q is not in [-0-9.]", tok, d.value)
	}
	if !perfUOM.MatchString(d.uom) {
		t.Errorf("%q: unit %q is none of the guidelines' (s, ms, us, %%, B, KB, MB, TB, c)", tok, d.uom)
	}
	for _, r := range []string{d.warn, d.crit} {
		if r != "" && !perfRange.MatchString(r) {
			t.Errorf("%q: threshold %q is not in the range format", tok, r)
		}
	}
	for _, n := range []string{d.min, d.max} {
		if n != "" && !perfNumber.MatchString(n) {
			t.Errorf("%q: min or max %q is not in [-0-9.]", tok, n)
		}
	}
	return d
}

// TestNagiosOutputEveryScenario runs every scenario of the simulator with -o nagios through the
// real command line and reads the output as the guidelines define it: the first line, each
// performance-data token, the long output, and the exit code the state names.
func TestNagiosOutputEveryScenario(t *testing.T) {
	t.Parallel()
	for _, sc := range fixtures.Scenarios() {
		if sc.Mode == check.ModeInventory {
			continue // inventory is a list, not checks: its rows and counts are TestInventoryMonitorOutput's
		}
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCmd(t, "", "demo", "--scenario", sc.Name, "-o", "nagios")
			p := parsePluginOutput(t, stdout)
			if got := stateExit[p.state]; got != code {
				t.Errorf("state %s but exit code %d; want %d\nstderr:\n%s", p.state, code, got, stderr)
			}
			if code != sc.Want.Exit {
				t.Errorf("exit code = %d; want the scenario's %d (its certificates are far from the thresholds)\n%s", code, sc.Want.Exit, stdout)
			}
			for name, secret := range sc.Env {
				if secret != "" && strings.Contains(stdout, secret) {
					t.Errorf("the value of %s is in the plugin output", name)
				}
			}
			if want := "EXOPROBE " + strings.ToUpper(string(sc.Mode)); p.service != want {
				t.Errorf("service %q; want %q", p.service, want)
			}
			times, total := 0, false
			for _, d := range p.perf {
				switch {
				case strings.HasSuffix(d.label, "_days"):
					if d.uom != "" || d.warn != "30:" || d.crit != "7:" {
						t.Errorf("%+v: days left want no unit and the thresholds 30: and 7:", d)
					}
				default:
					if d.uom != "s" || d.min != "0" {
						t.Errorf("%+v: a time wants the unit s and the minimum 0", d)
					}
					times++
					total = total || strings.HasSuffix(d.label, "total")
				}
			}
			if times < 2 || !total {
				t.Errorf("performance data %v; want the checks' times and the total", p.perf)
			}
			// One long-output line per check (and per path of a site): the JSON of the same
			// scenario says how many checks there are.
			_, js, _ := runCmd(t, "", "demo", "--scenario", sc.Name, "-o", "json")
			if n := countChecks(t, js); len(p.long) < n {
				t.Errorf("%d lines of long output; want at least one per check (%d):\n%s", len(p.long), n, stdout)
			}
			for _, l := range p.long {
				tag, _, _ := strings.Cut(l, " ")
				if !slicesContains([]string{"PASS", "WARN", "FAIL", "SKIP", "WORKS", "BLOCKED", "NOT", "FAILS"}, tag) {
					t.Errorf("long output line %q starts with no status", l)
				}
			}
		})
	}
}

// countChecks counts the checks of a JSON report, or of every path of a site's.
func countChecks(t *testing.T, js string) int {
	t.Helper()
	var doc struct {
		Checks []json.RawMessage `json:"checks"`
		Paths  []struct {
			Report *struct {
				Checks []json.RawMessage `json:"checks"`
			} `json:"report"`
		} `json:"paths"`
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatalf("JSON of the scenario: %v\n%s", err, js)
	}
	n := len(doc.Checks)
	for _, p := range doc.Paths {
		if p.Report != nil {
			n += len(p.Report.Checks)
		}
	}
	return n
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestNagiosThresholdsDecideTheState checks, through the command line, that a certificate
// nearer its end than a threshold raises the state and the exit code.
func TestNagiosThresholdsDecideTheState(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		args      []string
		wantState string
		wantText  string
	}{
		{"defaults", nil, "OK", "should work"},
		{"server certificate within --warn-cert-days", []string{"--warn-cert-days", "100"}, "WARNING", "the server certificate expires in"},
		{"server certificate within --crit-cert-days", []string{"--warn-cert-days", "100", "--crit-cert-days", "95"}, "CRITICAL", "(critical below 95)"},
		{"client certificate", []string{"--scenario", "cert-ok", "--warn-cert-days", "365"}, "WARNING", "certificate expires in"},
		{"thresholds do not hide a failure", []string{"--scenario", "attr36", "--warn-cert-days", "365"}, "CRITICAL", "5.7.64"},
		{"the sending app's client secret, read from Entra ID", []string{"--scenario", "tenant-secret-expiring", "--warn-cert-days", "20", "--crit-cert-days", "10"},
			"CRITICAL", "the sending app's client secret expires in 9 days (critical below 10)"},
		{"a far secret leaves the state to the verdict", []string{"--scenario", "tenant-ok"}, "OK", "should work"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"demo", "--scenario", "ok", "-o", "nagios"}, tt.args...)
			code, stdout, _ := runCmd(t, "", args...)
			p := parsePluginOutput(t, stdout)
			if p.state != tt.wantState || code != stateExit[tt.wantState] {
				t.Errorf("state %s, exit %d; want %s, %d\n%s", p.state, code, tt.wantState, stateExit[tt.wantState], stdout)
			}
			if !strings.Contains(p.text, tt.wantText) {
				t.Errorf("text %q; want it to contain %q", p.text, tt.wantText)
			}
		})
	}
}

// TestNagiosCouldNotRun checks that a command asked for -o nagios that cannot run says so as a
// plugin does: one line on stdout, UNKNOWN and why, exit code 3.
func TestNagiosCouldNotRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"relay", "-o", "nagios", "--frm", "a@b.example"}, "EXOPROBE RELAY UNKNOWN - unknown flag: --frm"},
		{"--output=nagios", []string{"relay", "--output=nagios", "--to", "a@b.example"}, "EXOPROBE RELAY UNKNOWN - --from is required"},
		{"-onagios", []string{"ip", "-onagios", "--timeout", "0s"}, "EXOPROBE IP UNKNOWN - "},
		{"a secret as a flag", []string{"submit", "-o", "nagios", "--from", "a@b.example", "--to", "c@d.example", "--client-secret", "Never-Shown-77"}, "EXOPROBE SUBMIT UNKNOWN - --client-secret refused"},
		{"a command that does not probe", []string{"explain", "-o", "nagios", "550 5.7.64"}, "EXOPROBE EXPLAIN UNKNOWN - -o nagios is the output of the commands that probe"},
		{"thresholds the wrong way round", []string{"demo", "-o", "nagios", "--warn-cert-days", "5", "--crit-cert-days", "10"}, "EXOPROBE DEMO UNKNOWN - --crit-cert-days 10 is more than --warn-cert-days 5"},
		{"negative threshold", []string{"cert", "x.pem", "-o", "nagios", "--crit-cert-days", "-1"}, "EXOPROBE CERT UNKNOWN - --warn-cert-days and --crit-cert-days are days left"},
		{"demo --list", []string{"demo", "--list", "-o", "nagios"}, "EXOPROBE DEMO UNKNOWN - --list is a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCmd(t, "", tt.args...)
			if code != exitCantRun {
				t.Errorf("exit code %d; want %d", code, exitCantRun)
			}
			if !strings.HasPrefix(stdout, tt.want) || strings.Count(stdout, "\n") != 1 {
				t.Errorf("stdout %q; want one line starting %q (stderr %q)", stdout, tt.want, stderr)
			}
			if strings.Contains(stdout+stderr, "Never-Shown-77") {
				t.Error("the secret was shown")
			}
		})
	}
	// Without -o nagios, stdout stays empty as before.
	if _, stdout, _ := runCmd(t, "", "relay", "--frm", "x"); stdout != "" {
		t.Errorf("stdout %q without -o nagios; want nothing", stdout)
	}
}

func TestNagiosRequested(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want bool
	}{
		{[]string{"-o", "nagios"}, true},
		{[]string{"--output", "NAGIOS"}, true},
		{[]string{"--output=nagios"}, true},
		{[]string{"-onagios"}, true},
		{[]string{"-o=nagios"}, true},
		{[]string{"-o", "nagios", "-o", "json"}, false},
		{[]string{"-o", "json"}, false},
		{[]string{"--", "-o", "nagios"}, false},
		{[]string{"--from", "nagios@contoso.com"}, false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := nagiosRequested(tt.args); got != tt.want {
			t.Errorf("nagiosRequested(%q) = %v; want %v", tt.args, got, tt.want)
		}
	}
}

// promSeries reads a textfile with Prometheus' own parser, as node_exporter does, into
// "name{label="value",...}" (labels sorted) -> value.
func promSeries(t *testing.T, path string) map[string]float64 {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) == 0 || data[len(data)-1] != '\n' {
		t.Errorf("%s does not end with a newline", path)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(data)))
	if err != nil {
		t.Fatalf("Prometheus' parser refuses %s: %v\n%s", path, err, data)
	}
	out := map[string]float64{}
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			ls := model.LabelSet{}
			for _, l := range m.GetLabel() {
				ls[model.LabelName(l.GetName())] = model.LabelValue(l.GetValue())
			}
			key := name + ls.String()
			if _, dup := out[key]; dup {
				t.Errorf("%s: the series %s twice; node_exporter refuses that", path, key)
			}
			out[key] = m.GetGauge().GetValue()
		}
	}
	return out
}

// TestPromFile writes the metrics of runs of several modes and targets, one file each, through
// the real command line, and reads them back with Prometheus' parser.
func TestPromFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		scenario string
		want     map[string]float64
		absent   []string
	}{
		{"ok", map[string]float64{
			`exoprobe_verdict{mode="relay", target="contoso.com"}`:                        0,
			`exoprobe_check_status{check="send", mode="relay", target="contoso.com"}`:     0,
			`exoprobe_check_status{check="publicip", mode="relay", target="contoso.com"}`: 0,
		}, []string{"exoprobe_root_cause_info", "exoprobe_client_cert_expiry_timestamp_seconds"}},
		{"attr36", map[string]float64{
			`exoprobe_verdict{mode="relay", target="contoso.com"}`:                        2,
			`exoprobe_check_status{check="send", mode="relay", target="contoso.com"}`:     2,
			`exoprobe_root_cause_info{code="5.7.64", mode="relay", target="contoso.com"}`: 1,
		}, nil},
		{"submit-ok", map[string]float64{
			`exoprobe_verdict{mode="submit", target="contoso.com"}`:                     0,
			`exoprobe_check_status{check="oauth", mode="submit", target="contoso.com"}`: 0,
		}, nil},
		{"site-port25-blocked", map[string]float64{
			`exoprobe_verdict{mode="site", target="contoso.com"}`:                      1,
			`exoprobe_verdict{mode="relay", target="contoso.com"}`:                     2,
			`exoprobe_check_status{check="tls", mode="relay", target="contoso.com"}`:   3,
			`exoprobe_check_status{check="auth", mode="submit", target="contoso.com"}`: 0,
		}, nil},
		{"cert-ok", map[string]float64{
			`exoprobe_verdict{mode="relay", target="contoso.com"}`: 0,
		}, nil},
		{"tenant-secret-expiring", map[string]float64{
			`exoprobe_verdict{mode="tenant", target="` + fixtures.TokenTenantID + `"}`:                     1,
			`exoprobe_check_status{check="entra", mode="tenant", target="` + fixtures.TokenTenantID + `"}`: 1,
		}, []string{"exoprobe_app_registration_cert_expiry_timestamp_seconds"}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, "exoprobe-"+tt.scenario+".prom")
			code, stdout, stderr := runCmd(t, "", "demo", "--scenario", tt.scenario, "--prom-file", path, "-o", "json")
			if code > exitFail {
				t.Fatalf("exit code %d\n%s\n%s", code, stdout, stderr)
			}
			if data, err := os.ReadFile(path); err == nil {
				sc, _ := fixtures.Lookup(tt.scenario)
				for name, secret := range sc.Env {
					if secret != "" && strings.Contains(string(data), secret) {
						t.Errorf("the value of %s is in the metrics", name)
					}
				}
			}
			series := promSeries(t, path)
			for k, want := range tt.want {
				if got, ok := series[k]; !ok || got != want {
					t.Errorf("%s = %v (present %v); want %v\nseries: %v", k, got, ok, want, keys(series))
				}
			}
			for k := range series {
				for _, a := range tt.absent {
					if strings.HasPrefix(k, a+"{") {
						t.Errorf("%s is there; want it absent", k)
					}
				}
			}
			// The run's start and the server certificate's end are times, in seconds.
			var jr struct {
				Started string `json:"started"`
			}
			if tt.scenario != "site-port25-blocked" {
				if err := json.Unmarshal([]byte(stdout), &jr); err != nil {
					t.Fatal(err)
				}
				found := false
				for k, v := range series {
					if strings.HasPrefix(k, "exoprobe_run_timestamp_seconds{") {
						found = true
						if s := strconv.FormatFloat(v, 'f', 0, 64); len(s) != 10 {
							t.Errorf("%s = %v; want seconds since the epoch", k, v)
						}
					}
					if strings.HasPrefix(k, "exoprobe_tls_cert_expiry_timestamp_seconds{") && v < series[runKey(series)] {
						t.Errorf("%s = %v: before the run", k, v)
					}
				}
				if !found {
					t.Error("no exoprobe_run_timestamp_seconds")
				}
			}
			if strings.HasPrefix(tt.scenario, "tenant-") {
				// The sending app's client secret ends 9 days and an hour after the run starts.
				k := `exoprobe_app_secret_expiry_timestamp_seconds{mode="tenant", target="` + fixtures.TokenTenantID + `"}`
				left := time.Duration((series[k] - series[runKey(series)]) * float64(time.Second))
				if left < 9*24*time.Hour || left > 10*24*time.Hour {
					t.Errorf("%s is %v after the run (present: %v); want 9 days and an hour\nseries: %v", k, left, series[k] != 0, keys(series))
				}
			}
			if strings.HasPrefix(tt.scenario, "cert-") {
				if _, ok := series[`exoprobe_client_cert_expiry_timestamp_seconds{mode="relay", target="contoso.com"}`]; !ok {
					t.Errorf("no client certificate expiry: %v", keys(series))
				}
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm()&0o044 != 0o044 {
				t.Errorf("mode %v; want it readable by the exporter's user (0644)", fi.Mode().Perm())
			}
		})
	}
	t.Cleanup(func() {
		// Atomic writes leave no temporary file behind.
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".prom") {
				t.Errorf("%s left in the textfile directory", e.Name())
			}
		}
	})
}

func runKey(series map[string]float64) string {
	for k := range series {
		if strings.HasPrefix(k, "exoprobe_run_timestamp_seconds{") {
			return k
		}
	}
	return ""
}

func keys(m map[string]float64) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestPromFileRefused checks --prom-file before the run: a name the collectors would not read,
// a directory, a place that cannot be written.
func TestPromFileRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name, path, want string
	}{
		{"not .prom", filepath.Join(dir, "metrics.txt"), "the name must end in .prom"},
		{"a directory", filepath.Join(dir, "d.prom"), "is a directory"},
		{"no such directory", filepath.Join(dir, "none", "x.prom"), "cannot write there"},
	}
	if err := os.Mkdir(filepath.Join(dir, "d.prom"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertCantRun(t, tt.want, "demo", "--scenario", "ok", "--prom-file", tt.path)
		})
	}
	// explain has no metrics to write.
	assertCantRun(t, "unknown flag: --prom-file", "explain", "--prom-file", filepath.Join(dir, "x.prom"), "550 5.7.64")
}

// TestPromFileReplaced checks that a second run replaces the file whole.
func TestPromFileReplaced(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "exoprobe.prom")
	for i, sc := range []string{"attr36", "ok"} {
		if code, _, stderr := runCmd(t, "", "demo", "--scenario", sc, "--prom-file", path, "-o", "json"); code > exitFail {
			t.Fatalf("run %d: exit %d: %s", i, code, stderr)
		}
	}
	series := promSeries(t, path)
	if v := series[`exoprobe_verdict{mode="relay", target="contoso.com"}`]; v != 0 {
		t.Errorf("verdict %v after the passing run; want 0 (the file replaced)", v)
	}
	for k := range series {
		if strings.HasPrefix(k, "exoprobe_root_cause_info") {
			t.Errorf("%s left from the first run", k)
		}
	}
}

// TestMonitoringOfflineAndPreflight runs the commands that are not demo scenarios with -o
// nagios and --prom-file through the real command line: cert (the client certificate's days
// against the thresholds), ip and connector (against the simulator).
func TestMonitoringOfflineAndPreflight(t *testing.T) {
	t.Parallel()
	cp := clientPKI(t)
	dir := t.TempDir()
	roots := filepath.Join(dir, "roots.pem")
	if err := os.WriteFile(roots, cp.Root.RootPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	issue := func(days int) string {
		l, err := cp.Issuing.Issue(fixtures.CertOptions{
			DNSNames: []string{"mail.contoso.com"}, ExtKeyUsage: bothEKU,
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Duration(days)*24*time.Hour + time.Hour),
		})
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprintf("cert-%d.pem", days))
		if err := os.WriteFile(p, append(l.ChainPEM(), l.KeyPEM()...), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name      string
		days      int
		args      []string
		wantState string
		wantText  string
		wantPerf  string
	}{
		{"far from the thresholds", 200, nil, "OK", "", "'client_cert_days'=200;30:;7:"},
		// The cert check warns within 30 days itself: the state is the verdict's, and its cause.
		{"within the warning", 20, nil, "WARNING", "(cert-expiring)", "'client_cert_days'=20;30:;7:"},
		{"within the critical", 5, nil, "CRITICAL", "the client certificate expires in 5 days", "'client_cert_days'=5;30:;7:"},
		{"custom thresholds", 50, []string{"--warn-cert-days", "60", "--crit-cert-days", "14"}, "WARNING", "(warning below 60)", "'client_cert_days'=50;60:;14:"},
	}
	for _, tt := range tests {
		t.Run("cert "+tt.name, func(t *testing.T) {
			t.Parallel()
			prom := filepath.Join(t.TempDir(), "cert.prom")
			args := append([]string{"cert", issue(tt.days), "--roots", roots, "--cert-domain", "mail.contoso.com",
				"-o", "nagios", "--prom-file", prom}, tt.args...)
			code, stdout, stderr := runCmd(t, "", args...)
			p := parsePluginOutput(t, stdout)
			if p.service != "EXOPROBE CERT" || p.state != tt.wantState || code != stateExit[tt.wantState] {
				t.Errorf("%s %s, exit %d; want EXOPROBE CERT %s\n%s\n%s", p.service, p.state, code, tt.wantState, stdout, stderr)
			}
			if !strings.Contains(p.text, tt.wantText) {
				t.Errorf("text %q; want %q", p.text, tt.wantText)
			}
			if !strings.Contains(stdout, " "+tt.wantPerf) {
				t.Errorf("performance data lacks %s:\n%s", tt.wantPerf, stdout)
			}
			series := promSeries(t, prom)
			if _, ok := series[`exoprobe_client_cert_expiry_timestamp_seconds{mode="cert", target="mail.contoso.com"}`]; !ok {
				t.Errorf("no client certificate expiry in the metrics: %v", keys(series))
			}
		})
	}

	t.Run("ip", func(t *testing.T) {
		t.Parallel()
		sim := fixtures.NewSim(t, "ok")
		prom := filepath.Join(t.TempDir(), "ip.prom")
		var out, errb bytes.Buffer
		e := &env{
			stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
			getenv: func(string) string { return "" }, isTerminal: func(io.Writer) bool { return false },
		}
		v, err := runIPWith(t.Context(), e, []string{"--resolver", sim.DNSAddr, "-o", "nagios", "--prom-file", prom}, func(c *publicip.Config) {
			c.Sources = publicip.SourcesAt(sim.DNSAddr)
			c.HTTPSURLs = []string{}
		})
		if err != nil || exitCode(v) != exitPass {
			t.Fatalf("ip: %v, verdict %s\n%s%s", err, v, out.String(), errb.String())
		}
		p := parsePluginOutput(t, out.String())
		if p.service != "EXOPROBE IP" || p.state != "OK" || !strings.Contains(p.text, sim.PublicIP.String()) {
			t.Errorf("first line %s %s - %s; want EXOPROBE IP OK naming %s", p.service, p.state, p.text, sim.PublicIP)
		}
		if v := promSeries(t, prom)[`exoprobe_verdict{mode="ip", target=""}`]; v != 0 {
			t.Errorf("ip verdict %v; want 0", v)
		}
	})

	t.Run("connector", func(t *testing.T) {
		t.Parallel()
		sim := fixtures.NewSim(t, "ok")
		prom := filepath.Join(t.TempDir(), "connector.prom")
		code, stdout, _ := runConnectorSim(t, sim, "-o", "nagios", "--prom-file", prom)
		p := parsePluginOutput(t, stdout)
		if p.service != "EXOPROBE CONNECTOR" || p.state != "OK" || code != exitPass {
			t.Errorf("%s %s, exit %d; want EXOPROBE CONNECTOR OK, 0\n%s", p.service, p.state, code, stdout)
		}
		if strings.Contains(stdout, "New-InboundConnector") {
			t.Errorf("the plugin output holds the PowerShell of the text report:\n%s", stdout)
		}
		if v, ok := promSeries(t, prom)[`exoprobe_verdict{mode="connector", target="`+sim.Domain+`"}`]; !ok || v != 0 {
			t.Errorf("connector verdict %v (present %v); want 0", v, ok)
		}
	})
}
