package main

// The monitoring output against the real engines, from Debian's packages, on loopback:
// Prometheus's node_exporter reads the files --prom-file writes, and Nagios Core runs exoprobe
// as a plugin and records its state and performance data. Without them the tests skip (fail
// with CI=true); see fixtures/interop.

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/fixtures/interop"
)

// scrapeSeries scrapes node_exporter and returns its series as
// "name{label="value", ...}" (labels sorted) -> value, read with Prometheus' parser.
func scrapeSeries(t *testing.T, ne *interop.NodeExporter) map[string]float64 {
	t.Helper()
	text, err := interop.Scrape(t.Context(), ne.MetricsURL)
	if err != nil {
		t.Fatal(err)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("node_exporter's page does not parse: %v\n%s", err, text)
	}
	out := map[string]float64{}
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			ls := model.LabelSet{}
			for _, l := range m.GetLabel() {
				ls[model.LabelName(l.GetName())] = model.LabelValue(l.GetValue())
			}
			v := m.GetGauge().GetValue()
			if m.GetUntyped() != nil {
				v = m.GetUntyped().GetValue()
			}
			key := name
			if len(ls) > 0 {
				key += ls.String()
			}
			out[key] = v
		}
	}
	return out
}

// TestNodeExporterInterop writes the metrics of a failing relay run and a passing submit run,
// one file each, into the textfile directory of a real node_exporter, scrapes it, and finds
// every series with its value; then a passing relay run replaces the failing one's file, and the
// next scrape shows it.
func TestNodeExporterInterop(t *testing.T) {
	t.Parallel()
	interop.Require(t, interop.NodeExporterServer)
	dir := interop.Dir(t, "textfile")
	write := func(scenario, file string) {
		t.Helper()
		code, stdout, stderr := runCmd(t, "", "demo", "--scenario", scenario, "--prom-file", filepath.Join(dir, file), "-o", "json")
		if code > exitFail {
			t.Fatalf("demo %s: exit %d\n%s\n%s", scenario, code, stdout, stderr)
		}
	}
	write("attr36", "exoprobe-relay-contoso.prom")
	write("submit-ok", "exoprobe-submit-contoso.prom")
	write("tenant-secret-expiring", "exoprobe-tenant-contoso.prom")
	write("inventory-basic", "exoprobe-inventory-contoso.prom")
	ne := interop.StartNodeExporter(t, dir)

	check := func(series map[string]float64, want map[string]float64, absent ...string) {
		t.Helper()
		for k, w := range want {
			if got, ok := series[k]; !ok || got != w {
				t.Errorf("%s = %v (present %v); want %v", k, got, ok, w)
			}
		}
		for _, a := range absent {
			for k := range series {
				if strings.HasPrefix(k, a) {
					t.Errorf("%s is still there", k)
				}
			}
		}
		if t.Failed() {
			var exo []string
			for k := range series {
				if strings.HasPrefix(k, "exoprobe_") || strings.HasPrefix(k, "node_textfile") {
					exo = append(exo, k)
				}
			}
			t.Logf("series scraped: %s", strings.Join(exo, "\n"))
		}
	}
	relay := `{mode="relay", target="contoso.com"}`
	submit := `{mode="submit", target="contoso.com"}`
	inv := `mode="inventory", target="` + fixtures.TokenTenantID + `"`
	series := scrapeSeries(t, ne)
	check(series, map[string]float64{
		`node_textfile_scrape_error`: 0,
		`exoprobe_verdict` + relay:   2,
		`exoprobe_verdict` + submit:  0,
		`exoprobe_check_status{check="send", mode="relay", target="contoso.com"}`:     2,
		`exoprobe_check_status{check="tls", mode="relay", target="contoso.com"}`:      0,
		`exoprobe_check_status{check="oauth", mode="submit", target="contoso.com"}`:   0,
		`exoprobe_root_cause_info{code="5.7.64", mode="relay", target="contoso.com"}`: 1,
	})
	// inventory-basic: two sign-in groups that break, eight basic sign-ins, one mailbox enabled
	// explicitly and three inheriting an enabled tenant.
	tid := `target="` + fixtures.TokenTenantID + `"`
	check(series, map[string]float64{
		`exoprobe_verdict{` + inv + `}`:                                                                   1,
		`exoprobe_inventory_breaking{mode="inventory", source="tenant", ` + tid + `}`:                     2,
		`exoprobe_inventory_basic_signins{` + inv + `}`:                                                   8,
		`exoprobe_inventory_smtp_auth_mailboxes{mode="inventory", state="enabled", ` + tid + `}`:          1,
		`exoprobe_inventory_smtp_auth_mailboxes{mode="inventory", state="inherits-enabled", ` + tid + `}`: 3,
	})
	for _, k := range []string{
		`exoprobe_run_timestamp_seconds` + relay,
		`exoprobe_tls_cert_expiry_timestamp_seconds` + relay,
		`exoprobe_tls_cert_expiry_timestamp_seconds` + submit,
		`exoprobe_check_duration_seconds{check="smtp", mode="relay", target="contoso.com"}`,
		`exoprobe_app_secret_expiry_timestamp_seconds{mode="tenant", target="` + fixtures.TokenTenantID + `"}`,
		`exoprobe_run_timestamp_seconds{` + inv + `}`,
	} {
		if _, ok := series[k]; !ok {
			t.Errorf("no %s", k)
		}
	}
	if series[`exoprobe_tls_cert_expiry_timestamp_seconds`+relay] <= series[`exoprobe_run_timestamp_seconds`+relay] {
		t.Errorf("the server certificate expires before the run: %v", series)
	}

	write("ok", "exoprobe-relay-contoso.prom")
	check(scrapeSeries(t, ne), map[string]float64{
		`node_textfile_scrape_error`: 0,
		`exoprobe_verdict` + relay:   0,
		`exoprobe_check_status{check="send", mode="relay", target="contoso.com"}`: 0,
	}, `exoprobe_root_cause_info{code="5.7.64", mode="relay"`)
}

// TestNagiosInterop gives a real Nagios Core services whose check command is the built exoprobe
// running a demo scenario with -o nagios, forces each check through Nagios's command pipe, and
// reads back from Nagios's status file the state, output, long output and performance data
// Nagios recorded: a passing run, a failing one, a certificate threshold that raises the
// state, and the inventory of a tenant (WARNING) and of a directory where nothing breaks (OK).
func TestNagiosInterop(t *testing.T) {
	t.Parallel()
	interop.Require(t, interop.NagiosServer)
	bin := buildExoprobeIn(t, interop.Dir(t, "bin"))
	_, clean := writeInventorySamples(t, interop.Dir(t, "inventory"))
	tests := []struct {
		service string
		args    string
		state   int
		output  string   // how plugin_output starts
		perf    []string // tokens of performance_data
		long    string   // in long_plugin_output
	}{
		{"relay-ok", "demo --scenario ok -o nagios", 0,
			"EXOPROBE RELAY OK - relay through ", []string{"'server_cert_days'=89;30:;7:"}, "PASS send: accepted sender and recipient"},
		{"relay-attr36", "demo --scenario attr36 -o nagios", 2,
			"EXOPROBE RELAY CRITICAL - ", []string{"'server_cert_days'=89;30:;7:"}, "FAIL send: RCPT TO <someone@example.org> refused: 550 5.7.64"},
		{"submit-cert-days", "demo --scenario submit-ok -o nagios --warn-cert-days 120 --crit-cert-days 10", 1,
			"EXOPROBE SUBMIT WARNING - the server certificate expires in 89 days (warning below 120)", []string{"'server_cert_days'=89;120:;10:"}, "WARN the server certificate expires in 89 days"},
		{"tenant-secret", "demo --scenario tenant-secret-expiring -o nagios", 1,
			"EXOPROBE TENANT WARNING - ", []string{"'app_secret_days'=9;30:;7:"}, "WARN the sending app's client secret expires in 9 days"},
		{"inventory-tenant", "demo --scenario inventory-basic -o nagios", 1,
			"EXOPROBE INVENTORY WARNING - 2 devices or applications signing in with basic SMTP AUTH will stop sending",
			[]string{"'signin_groups_breaking'=2;0;;0", "'signins'=8;;;0", "'mailboxes_smtp_auth'=4;;;0"},
			"BREAKS sign-ins: printer@contoso.com from 198.51.100.23: 3 sign-ins"},
		{"inventory-machine", "inventory --path " + clean + " -o nagios", 0,
			"EXOPROBE INVENTORY OK - nothing found that breaks", []string{"'breaking_rows'=0;0;;0", "'files_read'=1;;;0"},
			"OK machine: " + filepath.Join(clean, "main.cf") + ":1 relayhost"},
	}
	var services []interop.NagiosService
	for _, tt := range tests {
		services = append(services, interop.NagiosService{Name: tt.service, Command: bin + " " + tt.args})
	}
	ng := interop.StartNagios(t, services...)
	for _, tt := range tests {
		t.Run(tt.service, func(t *testing.T) {
			t.Parallel()
			st, err := ng.ForceCheck(t.Context(), tt.service)
			if err != nil {
				t.Fatal(err)
			}
			if st.State != tt.state {
				t.Errorf("Nagios's state %d; want %d\n%+v", st.State, tt.state, st)
			}
			if !strings.HasPrefix(st.Output, tt.output) {
				t.Errorf("plugin_output %q; want it to start %q", st.Output, tt.output)
			}
			perf := " " + st.PerfData + " "
			for _, w := range append(tt.perf, "'total'=") {
				if !strings.Contains(perf, " "+w) {
					t.Errorf("performance_data %q; want %s", st.PerfData, w)
				}
			}
			ids := []string{"'dns'=", "'tcp'=", "'smtp'=", "'tls'=", "'send'="}
			switch {
			case strings.HasPrefix(tt.output, "EXOPROBE TENANT "):
				ids = []string{"'exchange'=", "'entra'="}
			case strings.HasPrefix(tt.output, "EXOPROBE INVENTORY "):
				ids = nil // a list, not checks: its counts are in tt.perf
			}
			for _, id := range ids {
				if !strings.Contains(perf, " "+id) {
					t.Errorf("performance_data %q lacks the time of %s", st.PerfData, id)
				}
			}
			if !strings.Contains(st.LongOutput, tt.long) {
				t.Errorf("long_plugin_output %q; want it to contain %q", st.LongOutput, tt.long)
			}
		})
	}
}

// buildExoprobeIn builds exoprobe into dir, which the user Nagios runs its checks as can read.
func buildExoprobeIn(t *testing.T, dir string) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(dir, "exoprobe")
	cmd := exec.CommandContext(t.Context(), goBin, "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building exoprobe: %v\n%s", err, out)
	}
	if err := os.Chmod(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}
