package main

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/publicip"
)

// TestTenantScenarios runs every tenant scenario through `exoprobe demo --scenario NAME -o json`
// and checks more than TestDemoScenarios does: the exact set of codes that are not a pass, the
// message with the exact command filled in, the undocumented interface named in the facts, and,
// in every output format, that the reading app's secret appears nowhere.
func TestTenantScenarios(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		codes []string // every warn or fail code
		says  []string // in the finding messages
	}{
		{"tenant-ok", nil, nil},
		{"tenant-connector-ip-mismatch", []string{"connector-ip-mismatch"}, []string{
			"Exchange Online sees 203.0.113.7; connector 'Scanner relay' lists 203.0.113.8",
			"Set-InboundConnector -Identity 'Scanner relay' -SenderIPAddresses @{Add='203.0.113.7'}"}},
		{"tenant-cert-name-mismatch", []string{"connector-cert-mismatch"}, []string{
			"the certificate names mail.contoso.com; no connector's TlsSenderCertificateName matches ('Scanner relay' expects relay.contoso.com)",
			"Set-InboundConnector -Identity 'Scanner relay' -TlsSenderCertificateName 'mail.contoso.com'"}},
		{"tenant-rejectdirectsend", []string{"rejectdirectsend-on"}, []string{"RejectDirectSend is on", "Set-OrganizationConfig -RejectDirectSend $false"}},
		{"tenant-smtpauth-mailbox-disabled", []string{"smtpauth-mailbox-disabled"}, []string{
			"SMTP AUTH is disabled for scanner@contoso.com explicitly",
			"Set-CASMailbox -Identity 'scanner@contoso.com' -SmtpClientAuthenticationDisabled $false"}},
		{"tenant-smtpauth-inherited", []string{"smtpauth-inherited-disabled"}, []string{
			"because it inherits the tenant's setting", "Set-CASMailbox -Identity 'scanner@contoso.com' -SmtpClientAuthenticationDisabled $false"}},
		{"tenant-app-no-sendas", []string{"app-no-mailbox-rights"}, []string{
			"neither FullAccess nor SendAs on scanner@contoso.com",
			"Add-MailboxPermission -Identity 'scanner@contoso.com' -User '8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d' -AccessRights FullAccess"}},
		{"tenant-secret-expiring", []string{"entra-secret-expiring"}, []string{"expires in 9 days"}},
		{"tenant-no-exchange-role", []string{"exo-forbidden"}, []string{"403", "Global Reader", "View-Only Configuration"}},
	}
	var names []string
	for _, tc := range tests {
		names = append(names, tc.name)
	}
	for _, n := range fixtures.ScenarioNames() {
		if strings.HasPrefix(n, "tenant-") && !slices.Contains(names, n) {
			t.Errorf("scenario %s has no case here", n)
		}
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sc, ok := fixtures.Lookup(tc.name)
			if !ok {
				t.Fatalf("no scenario %s", tc.name)
			}
			code, stdout, stderr := runCmd(t, "", "demo", "--scenario", tc.name, "-o", "json")
			var rep jsonReport
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("output is not JSON: %v\n%s\n%s", err, stdout, stderr)
			}
			if rep.Mode != "tenant" || rep.Verdict != sc.Want.Verdict || code != sc.Want.Exit {
				t.Errorf("mode %s verdict %s exit %d; want tenant %s %d", rep.Mode, rep.Verdict, code, sc.Want.Verdict, sc.Want.Exit)
			}
			var got []string
			var msgs strings.Builder
			for _, c := range rep.Checks {
				for _, f := range c.Findings {
					if f.Severity == "warn" || f.Severity == "fail" {
						got = append(got, f.Code)
					}
					msgs.WriteString(f.Message + "\n")
				}
				if c.ID == "exchange" && tc.name != "tenant-no-exchange-role" && c.Facts["undocumented_interface"] != true {
					t.Errorf("exchange facts do not name the undocumented interface: %v", c.Facts["calls"])
				}
			}
			if !slices.Equal(got, tc.codes) {
				t.Errorf("codes %v; want %v", got, tc.codes)
			}
			if sc.Want.Code != "" && (rep.RootCause == nil || rep.RootCause.Code != sc.Want.Code) {
				t.Errorf("root cause %s; want %s", rep.rootCause(), sc.Want.Code)
			}
			for _, s := range tc.says {
				if !strings.Contains(msgs.String(), s) {
					t.Errorf("no finding says %q:\n%s", s, msgs.String())
				}
			}
			for _, format := range []string{"text", "json", "markdown"} {
				_, out, errOut := runCmd(t, "", "demo", "--scenario", tc.name, "-o", format, "--verbose")
				if strings.Contains(out+errOut, fixtures.TokenSecret) || strings.Contains(out+errOut, "eyJ") {
					t.Errorf("-o %s shows the secret or a token", format)
				}
			}
		})
	}
}

func TestTenantSetup(t *testing.T) {
	t.Parallel()
	code, stdout, _ := runCmd(t, "", "tenant", "--setup")
	if code != exitPass {
		t.Errorf("exit %d; want 0", code)
	}
	for _, want := range []string{
		"Exchange.ManageAsApp", "Exchange.ManageAsAppV2", "Application.Read.All", "AuditLog.Read.All", "Global Reader",
		"View-Only Configuration", "New-MgServicePrincipalAppRoleAssignment", "Grant admin consent", "Get-InboundConnector",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("--setup does not say %q", want)
		}
	}
	for _, verb := range []string{"Set-", "New-InboundConnector", "Remove-"} {
		if i := strings.Index(stdout, "The cmdlets exoprobe tenant can send"); i < 0 || strings.Contains(stdout[i:], verb) {
			t.Errorf("the allow-list printed by --setup holds %q", verb)
		}
	}
	_, help, _ := runCmd(t, "", "tenant", "--help")
	if !strings.Contains(help, "does not document") || !strings.Contains(help, "InvokeCommand") {
		t.Errorf("tenant --help does not say that InvokeCommand is undocumented:\n%s", help)
	}
}

func TestTenantUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no tenant", []string{"tenant", "--client-id", "x"}, "--tenant is required"},
		{"no client id", []string{"tenant", "--tenant", "contoso.com"}, "--client-id is required"},
		{"bad cloud", []string{"tenant", "--tenant", "contoso.com", "--client-id", "x", "--cloud", "mars"}, "--cloud"},
		{"ipv6 public ip", []string{"tenant", "--tenant", "contoso.com", "--client-id", "x", "--public-ip", "2001:db8::1"}, "IPv4"},
		{"no secret", []string{"tenant", "--tenant", "contoso.com", "--client-id", "x"}, "EXOPROBE_CLIENT_SECRET"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assertCantRun(t, tc.want, tc.args...)
		})
	}
}

// TestTenantCheck runs relay and direct with --tenant-check against the simulator of a scenario
// and a simulated tenant: the run compares what Exchange Online saw with the tenant's
// configuration, names the connector and the address that differ, and makes that the root cause
// of the refusal.
func TestTenantCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, scenario string
		world          func(*fixtures.TenantWorld)
		verdict, root  string
		says           []string
	}{
		{"connector lists another address", "attr36", func(w *fixtures.TenantWorld) { w.Connectors[1].SenderIPAddresses = []string{fixtures.TenantOtherIP} },
			"fail", "exchange/connector-ip-mismatch", []string{"Exchange Online sees 203.0.113.7; connector 'Scanner relay' lists 203.0.113.8",
				"Set-InboundConnector -Identity 'Scanner relay' -SenderIPAddresses @{Add='203.0.113.7'}"}},
		{"sender domain not accepted", "attr36", func(w *fixtures.TenantWorld) { w.AcceptedDomains = []string{"fabrikam.com"} },
			"fail", "exchange/domain-not-accepted", []string{"the MAIL FROM domain contoso.com is not an accepted domain"}},
		{"tenant agrees with the site", "ok", nil, "pass", "", nil},
		{"RejectDirectSend refuses the Direct Send", "rejectdirectsend", func(w *fixtures.TenantWorld) { w.RejectDirectSend = true },
			"fail", "exchange/rejectdirectsend-on", []string{"RejectDirectSend is on"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sim := fixtures.NewSim(t, tc.scenario)
			tokens := fixtures.NewTokenServer(t, fixtures.TokenConfig{
				Audience: fixtures.TenantAdminAudience, Roles: []string{fixtures.RoleManageAsApp},
			})
			w := fixtures.DefaultTenantWorld(time.Now())
			if tc.world != nil {
				tc.world(&w)
			}
			api := fixtures.NewTenantServer(t, tokens, w)
			var out, errb bytes.Buffer
			e := &env{
				stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
				getenv:     func(k string) string { return map[string]string{envClientSecret: fixtures.TokenSecret}[k] },
				isTerminal: func(io.Writer) bool { return false },
			}
			args := append(sim.Args(), "--tenant-check", "--tenant", tokens.TenantID, "--client-id", tokens.ClientID, "-o", "json")
			_, err := runPort25(t.Context(), e, sim.Scenario.Mode, args, func(o *probe.Options) {
				o.PublicIPSources = publicip.SourcesAt(sim.DNSAddr)
				o.PublicIPHTTPS = []string{}
				o.RootCAs = sim.RootCAs
				o.ControlPorts = sim.ControlPorts
				o.TenantCheck.LoginURL, o.TenantCheck.TokenHTTPClient = tokens.URL, tokens.Client()
				o.TenantCheck.AdminURL, o.TenantCheck.APIHTTPClient = api.URL, api.Client()
			})
			if err != nil {
				t.Fatalf("run: %v\n%s", err, errb.String())
			}
			var rep jsonReport
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out.String())
			}
			if rep.Verdict != tc.verdict || rep.rootCause() != tc.root {
				t.Errorf("verdict %s root cause %s; want %s %s (codes %v)", rep.Verdict, rep.rootCause(), tc.verdict, tc.root, rep.codes())
			}
			var exchange bool
			var msgs strings.Builder
			for _, c := range rep.Checks {
				exchange = exchange || c.ID == "exchange"
				for _, f := range c.Findings {
					msgs.WriteString(f.Message + "\n")
				}
			}
			if !exchange {
				t.Error("no exchange check in the report")
			}
			for _, s := range tc.says {
				if !strings.Contains(msgs.String(), s) {
					t.Errorf("no finding says %q:\n%s", s, msgs.String())
				}
			}
			if strings.Contains(out.String()+errb.String(), fixtures.TokenSecret) {
				t.Error("the output shows the secret")
			}
		})
	}
}

func TestTenantCheckUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"relay", "--from", "a@contoso.com", "--to", "b@example.org", "--tenant", "contoso.com"}, "go with --tenant-check"},
		{[]string{"relay", "--from", "a@contoso.com", "--to", "b@example.org", "--tenant-check", "--client-id", "x"}, "--tenant-check needs --tenant"},
		{[]string{"direct", "--from", "a@contoso.com", "--to", "b@contoso.com", "--tenant-check", "--tenant", "contoso.com"}, "--tenant-check needs --client-id"},
	} {
		assertCantRun(t, tc.want, tc.args...)
	}
}
