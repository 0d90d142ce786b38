package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
)

// jsonTenantInventory is the part of an inventory report in -o json the tenant tests read.
type jsonTenantInventory struct {
	Mode    string          `json:"mode"`
	Verdict string          `json:"verdict"`
	Machine json.RawMessage `json:"machine"`
	Tenant  *struct {
		Status   string `json:"status"`
		Breaking int    `json:"breaking"`
		SignIns  struct {
			Read   bool `json:"read"`
			Events int  `json:"events"`
			Groups []struct {
				Account    string `json:"account"`
				IP         string `json:"ip"`
				Result     string `json:"result"`
				Count      int    `json:"count"`
				ErrorCodes []int  `json:"error_codes"`
				Way        string `json:"way"`
				Steps      []struct {
					Way, Command string
				} `json:"steps"`
			} `json:"groups"`
		} `json:"sign_ins"`
		SMTPAuth struct {
			TenantDisabled *bool `json:"tenant_smtp_client_authentication_disabled"`
			Read           bool  `json:"read"`
			Counts         struct {
				Total, Enabled, Disabled int
				InheritsEnabled          int `json:"inherits_enabled"`
				InheritsDisabled         int `json:"inherits_disabled"`
			} `json:"counts"`
			Mailboxes []struct {
				Address string `json:"address"`
				State   string `json:"state"`
				SignIns int    `json:"basic_sign_ins"`
				Command string `json:"command"`
			} `json:"mailboxes"`
		} `json:"smtp_auth"`
		Findings []struct {
			Kind, Source, Message string
		} `json:"findings"`
		Calls []struct {
			Call, Interface string
		} `json:"calls"`
	} `json:"tenant"`
}

// TestInventoryScenarios runs every inventory scenario through `exoprobe demo --scenario NAME
// -o json`: the verdict and exit code, the sign-in groups with their commands filled in, the
// mailboxes read as the tri-state, and the findings of what could not be read.
func TestInventoryScenarios(t *testing.T) {
	t.Parallel()
	type group struct {
		account, ip, result string
		count               int
	}
	tests := []struct {
		name      string
		groups    []group
		mailboxes []string // address state sign-ins
		findings  []string
		commands  []string
	}{
		{"inventory-basic",
			[]group{{fixtures.InventoryPrinter, fixtures.InventoryPrinterIP, "success", 3}, {fixtures.TenantMailbox, fixtures.SimPublicIP.String(), "success", 3},
				{fixtures.SimFrom, fixtures.InventoryAppIP, "failure", 2}},
			[]string{"app@contoso.com inherits-enabled 0", "frontdesk@contoso.com inherits-enabled 0", "printer@contoso.com inherits-enabled 3", "scanner@contoso.com enabled 3"},
			nil,
			[]string{"exoprobe connector --domain contoso.com --public-ip 198.51.100.23",
				"exoprobe submit --auth oauth --tenant " + "{TENANT}" + " --client-id <APP-ID> --user scanner@contoso.com --from scanner@contoso.com --to <RECIPIENT>",
				"Set-CASMailbox -Identity 'frontdesk@contoso.com' -SmtpClientAuthenticationDisabled $true",
				"Set-TransportConfig -SmtpClientAuthenticationDisabled $true"}},
		{"inventory-no-p1", nil,
			[]string{"app@contoso.com inherits-enabled 0", "frontdesk@contoso.com inherits-enabled 0", "printer@contoso.com inherits-enabled 0", "scanner@contoso.com enabled 0"},
			[]string{"no-premium-licence"},
			[]string{"Set-CASMailbox -Identity 'printer@contoso.com' -SmtpClientAuthenticationDisabled $true"}},
	}
	var names []string
	for _, tc := range tests {
		names = append(names, tc.name)
	}
	for _, n := range fixtures.ScenarioNames() {
		if strings.HasPrefix(n, "inventory-") && !slices.Contains(names, n) {
			t.Errorf("scenario %s has no case here", n)
		}
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sc, _ := fixtures.Lookup(tc.name)
			code, stdout, stderr := runCmd(t, "", "demo", "--scenario", tc.name, "-o", "json")
			var rep jsonTenantInventory
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil || rep.Tenant == nil {
				t.Fatalf("not an inventory with a tenant: %v\n%s\n%s", err, stdout, stderr)
			}
			if rep.Mode != "inventory" || rep.Verdict != sc.Want.Verdict || code != sc.Want.Exit {
				t.Errorf("mode %s verdict %s exit %d; want inventory %s %d", rep.Mode, rep.Verdict, code, sc.Want.Verdict, sc.Want.Exit)
			}
			if string(rep.Machine) != "null" || !strings.Contains(stderr, "--no-machine") {
				t.Errorf("the demo scanned this machine: %s", rep.Machine)
			}
			var groups []group
			for _, g := range rep.Tenant.SignIns.Groups {
				groups = append(groups, group{g.Account, g.IP, g.Result, g.Count})
				if g.Result == "failure" && !slices.Equal(g.ErrorCodes, []int{fixtures.InventoryFailure}) {
					t.Errorf("failure group %s: error codes %v", g.Account, g.ErrorCodes)
				}
			}
			if !slices.Equal(groups, tc.groups) {
				t.Errorf("groups %v; want %v", groups, tc.groups)
			}
			var mbx []string
			for _, m := range rep.Tenant.SMTPAuth.Mailboxes {
				mbx = append(mbx, m.Address+" "+m.State+" "+strconv.Itoa(m.SignIns))
			}
			if !slices.Equal(mbx, tc.mailboxes) {
				t.Errorf("mailboxes %v; want %v", mbx, tc.mailboxes)
			}
			if c := rep.Tenant.SMTPAuth.Counts; c.Total != 5 || c.Enabled != 1 || c.InheritsEnabled != 3 || c.Disabled != 1 || c.InheritsDisabled != 0 {
				t.Errorf("counts %+v", c)
			}
			var kinds []string
			for _, f := range rep.Tenant.Findings {
				kinds = append(kinds, f.Kind)
			}
			if !slices.Equal(kinds, tc.findings) {
				t.Errorf("findings %v; want %v", kinds, tc.findings)
			}
			for _, c := range tc.commands {
				c = strings.ReplaceAll(c, "{TENANT}", tenantIDOf(t, stderr))
				if !strings.Contains(stdout, c) {
					t.Errorf("no row holds the command %q", c)
				}
			}
			undoc := false
			for _, c := range rep.Tenant.Calls {
				undoc = undoc || c.Call == "Get-CASMailbox" && c.Interface == "invokecommand-undocumented"
			}
			if !undoc {
				t.Errorf("the calls do not name Get-CASMailbox's undocumented interface: %+v", rep.Tenant.Calls)
			}
		})
	}
}

// tenantIDOf reads the tenant id from the demo's "the same as" line.
func tenantIDOf(t *testing.T, stderr string) string {
	t.Helper()
	_, rest, ok := strings.Cut(stderr, "--tenant ")
	if !ok {
		t.Fatalf("no --tenant in the demo's line:\n%s", stderr)
	}
	id, _, _ := strings.Cut(rest, " ")
	return id
}

// runInventoryAt runs exoprobe inventory with args against the simulated tenant of sim, with
// the reading app's secret in the environment.
func runInventoryAt(t *testing.T, sim *fixtures.Sim, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv:     func(k string) string { return map[string]string{envClientSecret: fixtures.TokenSecret}[k] },
		isTerminal: func(io.Writer) bool { return false },
	}
	v, err := runInventoryWith(t.Context(), e, args, func(a *probe.TenantAccess) {
		a.LoginURL, a.TokenHTTPClient = sim.Tokens.URL, sim.Tokens.Client()
		a.AdminURL, a.GraphURL, a.APIHTTPClient = sim.Tenant.URL, sim.Tenant.URL, sim.Tenant.Client()
	})
	if err != nil {
		errb.WriteString(err.Error())
		v = couldNotRun
	}
	return exitCode(v), out.String(), errb.String()
}

// TestInventoryTenantAndMachine runs inventory --tenant with --path over the sample files: both
// sections in one report, in every format and every --report file, and neither the reading
// app's secret, nor a token, nor a sample's password anywhere in stdout, stderr or the files.
func TestInventoryTenantAndMachine(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "inventory-basic")
	dir := t.TempDir()
	samples := fixtures.WriteInventorySamples(t, dir)
	secrets := append(inventoryPasswords(samples), fixtures.TokenSecret)
	reports := t.TempDir()
	// After every run below: no report file holds a secret.
	t.Cleanup(func() { assertNoLeakInFiles(t, reports, secrets...) })
	base := []string{"--tenant", sim.Tokens.TenantID, "--client-id", sim.Tokens.ClientID, "--path", dir, "--verbose"}
	for _, o := range [][]string{{"-o", "json"}, {"-o", "markdown"}, {"-o", "text", "--no-color"},
		{"--report", filepath.Join(reports, "r.html")}, {"--report", filepath.Join(reports, "r.md")}, {"--report", filepath.Join(reports, "r.json")}} {
		t.Run(strings.Join(o, " "), func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runInventoryAt(t, sim, append(append([]string{}, base...), o...)...)
			if code != exitWarn {
				t.Errorf("exit %d; want 1\n%s", code, stderr)
			}
			assertNoLeak(t, "stdout", stdout, secrets...)
			assertNoLeak(t, "stderr", stderr, secrets...)
			for _, out := range []string{stdout, stderr} {
				if strings.Contains(out, "eyJ") {
					t.Errorf("the output holds a token")
				}
			}
			if o[0] == "-o" && o[1] == "json" {
				var rep jsonTenantInventory
				if err := json.Unmarshal([]byte(stdout), &rep); err != nil || rep.Tenant == nil || string(rep.Machine) == "null" {
					t.Fatalf("want both sections: %v\n%s", err, stdout)
				}
			}
			if o[0] == "-o" && o[1] == "text" && (!strings.Contains(stdout, "This machine: configuration files") || !strings.Contains(stdout, "basic SMTP AUTH sign-ins and mailboxes")) {
				t.Errorf("the text lacks a section:\n%s", stdout)
			}
			if o[0] == "--report" {
				b, err := os.ReadFile(o[1])
				if err != nil || !bytes.Contains(b, []byte(fixtures.InventoryPrinterIP)) || !bytes.Contains(b, []byte("smtp.office365.com")) {
					t.Errorf("the report file lacks a section: %v", err)
				}
			}
		})
	}
}

// TestInventoryTenantNoToken: a reading app whose secret Entra ID refuses gets no token for
// either service: each half says so as its finding, with the AADSTS code, the run still ends
// with its report (exit 1, the tenant not read whole), and the wrong secret is shown nowhere.
func TestInventoryTenantNoToken(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "inventory-basic")
	const wrong = "Wrong-Reader-Secret-42"
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv:     func(k string) string { return map[string]string{envClientSecret: wrong}[k] },
		isTerminal: func(io.Writer) bool { return false },
	}
	v, err := runInventoryWith(t.Context(), e, []string{"--tenant", sim.Tokens.TenantID, "--client-id", sim.Tokens.ClientID, "--no-machine", "-o", "json", "--verbose"},
		func(a *probe.TenantAccess) {
			a.LoginURL, a.TokenHTTPClient = sim.Tokens.URL, sim.Tokens.Client()
			a.AdminURL, a.GraphURL, a.APIHTTPClient = sim.Tenant.URL, sim.Tenant.URL, sim.Tenant.Client()
		})
	if err != nil || exitCode(v) != exitWarn {
		t.Fatalf("exit %d, %v; want 1 and a report", exitCode(v), err)
	}
	var rep jsonTenantInventory
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil || rep.Tenant == nil {
		t.Fatalf("not a report: %v\n%s", err, out.String())
	}
	var kinds []string
	for _, f := range rep.Tenant.Findings {
		kinds = append(kinds, f.Source+" "+f.Kind)
		if !strings.Contains(f.Message, "AADSTS7000215") {
			t.Errorf("the finding does not name Entra's refusal: %s", f.Message)
		}
	}
	if !slices.Equal(kinds, []string{"sign-ins no-token", "mailboxes no-token"}) {
		t.Errorf("findings %v; want a no-token finding per half", kinds)
	}
	assertNoLeak(t, "stdout", out.String(), wrong)
	assertNoLeak(t, "stderr", errb.String(), wrong)
}

// TestInventoryTenantUsage: the tenant flags' errors, each a usage error before anything is
// read or asked.
func TestInventoryTenantUsage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"days 0", []string{"--tenant", "contoso.com", "--client-id", "x", "--days", "0"}, "--days 0: give 1 to 30"},
		{"days 31", []string{"--tenant", "contoso.com", "--client-id", "x", "--days", "31"}, "--days 31: give 1 to 30"},
		{"days without tenant", []string{"--days", "7"}, "--days reads the tenant: give --tenant"},
		{"client id without tenant", []string{"--client-id", "x"}, "--client-id reads the tenant"},
		{"no-machine without tenant", []string{"--no-machine"}, "--no-machine reads the tenant"},
		{"no-machine with path", []string{"--tenant", "contoso.com", "--client-id", "x", "--no-machine", "--path", dir}, "give one of them"},
		{"tenant without client id", []string{"--tenant", "contoso.com"}, "--client-id is required with --tenant"},
		{"bad cloud", []string{"--tenant", "contoso.com", "--client-id", "x", "--cloud", "mars"}, "--cloud"},
		{"pfx and cert", []string{"--tenant", "contoso.com", "--client-id", "x", "--client-pfx", "a.pfx", "--client-cert", "a.pem"}, "not both"},
		{"no secret", []string{"--tenant", "contoso.com", "--client-id", "x"}, "EXOPROBE_CLIENT_SECRET"},
		{"a secret as a flag", []string{"--tenant", "contoso.com", "--client-id", "x", "--client-secret", "s3cret-value"}, "unknown flag"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stderr := assertCantRun(t, tc.want, append([]string{"inventory"}, tc.args...)...)
			if strings.Contains(stderr, "s3cret-value") {
				t.Errorf("the usage error repeats the secret")
			}
		})
	}
}
