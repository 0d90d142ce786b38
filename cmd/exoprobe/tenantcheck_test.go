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
	"sync"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/publicip"
)

// The reading app of submit --tenant-check: an app of its own, beside the sending one, with a
// secret of its own that no output may hold.
const (
	readerID     = "6f1e2d3c-4b5a-4987-8c6d-5e4f3a2b1c0d"
	readerSecret = "reader-S3cret~exoprobe-tenantcheck-8Kp"
)

// readerTenant starts the reading app's token endpoint and the simulated tenant, world changed
// by edit. The reading app signs in with readerSecret, or with the certificate of readerPFX.
func readerTenant(t *testing.T, tenantID string, edit func(*fixtures.TenantWorld)) (*fixtures.TokenServer, *fixtures.TenantServer) {
	t.Helper()
	tokens := fixtures.NewTokenServer(t, fixtures.TokenConfig{
		TenantID: tenantID, ClientID: readerID, Secret: readerSecret, Cert: readerLeaf().Cert,
		Audience: fixtures.TenantAdminAudience, Roles: []string{fixtures.RoleManageAsApp},
		Resources: map[string][]string{fixtures.TenantGraphAudience: {fixtures.RoleApplicationReadAll}},
	})
	w := fixtures.DefaultTenantWorld(time.Now())
	if edit != nil {
		edit(&w)
	}
	return tokens, fixtures.NewTenantServer(t, tokens, w)
}

// readerLeaf is the reading app's certificate, the same for every test.
var readerLeaf = sync.OnceValue(func() *fixtures.Leaf {
	pki, err := fixtures.DefaultPKI()
	if err != nil {
		panic(err)
	}
	leaf, err := pki.Issuing.Issue(fixtures.CertOptions{DNSNames: []string{"reader.contoso.com"}, Client: true, KeyType: fixtures.RSA, KeySlot: 611})
	if err != nil {
		panic(err)
	}
	return leaf
})

// readerPFX writes the reading app's certificate and key as a PFX protected by password.
func readerPFX(t *testing.T, password string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "reader.pfx")
	if err := os.WriteFile(path, appPFX(t, readerLeaf(), password), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// submitTenantWorld is the default tenant made to fit the submit simulator: its app
// (TokenClientID) sends as SimFrom.
func submitTenantWorld(w *fixtures.TenantWorld) {
	off := false
	w.SenderAppID = fixtures.TokenClientID
	w.ExchangeSPs = []string{fixtures.TokenClientID}
	w.Mailboxes[fixtures.SimFrom] = &off
	w.FullAccess = map[string][]string{fixtures.SimFrom: {fixtures.TokenClientID}}
}

// runSubmitTenantCheck runs submit --tenant-check against the submit simulator of scenario and
// a simulated tenant read by the reading app, with vars in the environment.
func runSubmitTenantCheck(t *testing.T, scenario string, edit func(*fixtures.TenantWorld), vars map[string]string, extra ...string) (int, string, string) {
	t.Helper()
	sim := fixtures.NewSim(t, scenario)
	tokens, api := readerTenant(t, sim.Tokens.TenantID, func(w *fixtures.TenantWorld) {
		submitTenantWorld(w)
		if edit != nil {
			edit(w)
		}
	})
	args := sim.Args()
	if !slices.Contains(args, "--tenant") {
		args = append(args, "--tenant", sim.Tokens.TenantID) // --auth basic: the tenant read
	}
	args = append(append(args, "--tenant-check", "--reader-id", readerID, "--timeout", "30s"), extra...)
	return runEnv(t, vars, func(o *probe.SubmitOptions) {
		o.LoginURL, o.TokenHTTPClient = sim.Tokens.URL, sim.Tokens.Client()
		o.RootCAs = sim.RootCAs
		o.ControlPorts = sim.ControlPorts[len(sim.ControlPorts)-1:]
		o.TenantCheck.LoginURL, o.TenantCheck.TokenHTTPClient = tokens.URL, tokens.Client()
		o.TenantCheck.AdminURL, o.TenantCheck.GraphURL, o.TenantCheck.APIHTTPClient = api.URL, api.URL, api.Client()
	}, append([]string{"submit"}, args...)...)
}

// TestSubmitTenantCheck runs submit --tenant-check against the submit simulator and a simulated
// tenant: the exchange and entra checks judge the mailbox's SMTP AUTH setting (explicit or
// inherited), the sending app's registration and rights in Exchange and its credentials in
// Entra ID, the MAIL FROM domain and, with a password, the authentication policy, each finding
// with its command filled in.
func TestSubmitTenantCheck(t *testing.T) {
	t.Parallel()
	on, off := true, false
	tests := []struct {
		name, scenario string
		world          func(*fixtures.TenantWorld)
		verdict, root  string
		codes          []string // the warn and fail codes of the exchange and entra checks
		says           []string // in their findings and summaries
		entra          bool     // the entra check runs
		pfx            bool     // the reading app signs in with --reader-pfx
	}{
		{"the tenant agrees", "submit-ok", nil, "pass", "", nil,
			[]string{"SMTP AUTH enabled for this mailbox; the app holds FullAccess on the mailbox", "holds SMTP.SendAsApp"}, true, false},
		{"the reading app signs in with a PFX", "submit-ok", nil, "pass", "", nil, nil, true, true},
		{"mailbox disabled explicitly", "submit-ok", func(w *fixtures.TenantWorld) { w.Mailboxes[fixtures.SimFrom] = &on },
			"fail", "exchange/smtpauth-mailbox-disabled", []string{"smtpauth-mailbox-disabled"}, []string{
				"SMTP AUTH is disabled for app@contoso.com explicitly (SmtpClientAuthenticationDisabled $true, not inherited)",
				"Set-CASMailbox -Identity 'app@contoso.com' -SmtpClientAuthenticationDisabled $false"}, true, false},
		{"mailbox inherits a disabled tenant", "submit-ok", func(w *fixtures.TenantWorld) { w.Mailboxes[fixtures.SimFrom] = nil },
			"fail", "exchange/smtpauth-inherited-disabled", []string{"smtpauth-inherited-disabled"}, []string{
				"because it inherits the tenant's setting", "Set-CASMailbox -Identity 'app@contoso.com' -SmtpClientAuthenticationDisabled $false"}, true, false},
		{"mailbox inherits an enabled tenant", "submit-ok", func(w *fixtures.TenantWorld) {
			w.Mailboxes[fixtures.SimFrom] = nil
			w.SMTPAuthDisabled = false
		}, "pass", "", nil, []string{"SMTP AUTH on, inherited from the tenant"}, true, false},
		{"app not registered in Exchange", "submit-ok", func(w *fixtures.TenantWorld) { w.ExchangeSPs = nil },
			"fail", "exchange/app-not-in-exchange", []string{"app-not-in-exchange"}, []string{
				"the app " + fixtures.TokenClientID + " is not registered in Exchange Online",
				"New-ServicePrincipal -AppId '" + fixtures.TokenClientID + "' -ObjectId '8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d'"}, true, false},
		{"app without SendAs", "submit-ok", func(w *fixtures.TenantWorld) { w.FullAccess = map[string][]string{} },
			"fail", "exchange/app-no-mailbox-rights", []string{"app-no-mailbox-rights"}, []string{
				"neither FullAccess nor SendAs on app@contoso.com",
				"Add-MailboxPermission -Identity 'app@contoso.com' -User '8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d' -AccessRights FullAccess"}, true, false},
		{"secret expiring", "submit-ok", func(w *fixtures.TenantWorld) {
			w.SecretEnds = []time.Time{time.Now().Add(9*24*time.Hour + time.Hour)}
		}, "warn", "entra/entra-secret-expiring", []string{"entra-secret-expiring"}, []string{"expires in 9 days"}, true, false},
		{"MAIL FROM not an accepted domain", "submit-ok", func(w *fixtures.TenantWorld) { w.AcceptedDomains = []string{"fabrikam.com"} },
			"fail", "exchange/from-not-accepted-domain", []string{"from-not-accepted-domain"}, []string{
				"the MAIL FROM domain contoso.com is not an accepted domain of the tenant (fabrikam.com)"}, true, false},
		{"basic auth blocked by the default policy", "basic-retired", func(w *fixtures.TenantWorld) {
			w.AuthPolicies = map[string]bool{"Block basic auth": false, "Allow SMTP": true}
			w.DefaultAuthPolicy = "Block basic auth"
		}, "fail", "", []string{"basic-auth-smtp-blocked"}, []string{
			"the authentication policy 'Block basic auth' (the organisation's default",
			"goes off by default for existing tenants at the end of December 2026",
			"Set-User -Identity 'app@contoso.com' -AuthenticationPolicy 'Allow basic SMTP AUTH'"}, false, false},
		{"basic auth allowed by the user's policy", "basic-retired", func(w *fixtures.TenantWorld) {
			w.AuthPolicies = map[string]bool{"Block basic auth": false, "Allow SMTP": true}
			w.DefaultAuthPolicy = "Block basic auth"
			w.UserAuthPolicies = map[string]string{fixtures.SimFrom: "Allow SMTP"}
			w.Mailboxes[fixtures.SimFrom] = &off
		}, "fail", "", nil, []string{"basic authentication allowed until it goes off by default at the end of December 2026"}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{envClientSecret: fixtures.TokenSecret, envPassword: fixtures.SimPassword, envReaderSecret: readerSecret}
			extra := []string{"-o", "json"}
			if tc.pfx {
				// Its password is the reading app's own; the sending app's variable holds another.
				delete(vars, envReaderSecret)
				vars[envReaderPFXPassword], vars[envPFXPassword] = leakPFXPassword, "not-this-one"
				extra = append(extra, "--reader-pfx", readerPFX(t, leakPFXPassword))
			}
			code, stdout, stderr := runSubmitTenantCheck(t, tc.scenario, tc.world, vars, extra...)
			var rep jsonReport
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("not JSON (exit %d): %v\n%s\n%s", code, err, stdout, stderr)
			}
			if rep.Verdict != tc.verdict || (tc.root != "" && rep.rootCause() != tc.root) {
				t.Errorf("verdict %s root cause %s; want %s %s (codes %v)", rep.Verdict, rep.rootCause(), tc.verdict, tc.root, rep.codes())
			}
			var got []string
			var text strings.Builder
			seen := map[string]bool{}
			for _, c := range rep.Checks {
				seen[c.ID] = true
				if c.ID != "exchange" && c.ID != "entra" {
					continue
				}
				text.WriteString(c.Summary + "\n")
				for _, f := range c.Findings {
					if f.Severity == "warn" || f.Severity == "fail" {
						got = append(got, f.Code)
					}
					text.WriteString(f.Message + "\n")
				}
			}
			if !seen["exchange"] || seen["entra"] != tc.entra {
				t.Errorf("checks %v; want exchange, and entra %v", seen, tc.entra)
			}
			if !slices.Equal(got, tc.codes) {
				t.Errorf("tenant codes %v; want %v\n%s", got, tc.codes, text.String())
			}
			for _, s := range tc.says {
				if !strings.Contains(text.String(), s) {
					t.Errorf("nothing says %q:\n%s", s, text.String())
				}
			}
			if !strings.Contains(stdout, `"reader_id": "`+readerID+`"`) {
				t.Error("the report's inputs do not name the reading app")
			}
			assertNoLeak(t, "output", stdout+stderr, readerSecret, fixtures.TokenSecret, fixtures.SimPassword, leakPFXPassword)
		})
	}
}

// TestSubmitTenantCheckConcurrent holds the submission's conversation until --timeout: the
// tenant is read all the same, at once, and the run still ends within --timeout.
func TestSubmitTenantCheckConcurrent(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "submit-ok", fixtures.WithBehavior(func(b *fixtures.Behavior) { b.BannerDelay = time.Hour }))
	tokens, api := readerTenant(t, sim.Tokens.TenantID, submitTenantWorld)
	vars := map[string]string{envClientSecret: fixtures.TokenSecret, envReaderSecret: readerSecret}
	start := time.Now()
	_, stdout, stderr := runEnv(t, vars, func(o *probe.SubmitOptions) {
		o.LoginURL, o.TokenHTTPClient = sim.Tokens.URL, sim.Tokens.Client()
		o.RootCAs = sim.RootCAs
		o.ControlPorts = sim.ControlPorts[len(sim.ControlPorts)-1:]
		o.TenantCheck.LoginURL, o.TenantCheck.TokenHTTPClient = tokens.URL, tokens.Client()
		o.TenantCheck.AdminURL, o.TenantCheck.GraphURL, o.TenantCheck.APIHTTPClient = api.URL, api.URL, api.Client()
	}, append(append([]string{"submit"}, sim.Args()...), "--tenant-check", "--reader-id", readerID, "--timeout", "4s", "-o", "json")...)
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the run took %v; --timeout is 4s", took)
	}
	var rep jsonReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s\n%s", err, stdout, stderr)
	}
	if got := rep.status("exchange"); got != "pass" {
		t.Errorf("exchange %s; want pass while the conversation waits (codes %v)", got, rep.codes())
	}
	if got := rep.status("smtp"); got == "pass" {
		t.Errorf("smtp %s; want the held banner to fail it", got)
	}
}

// TestConnectorTenantCheck runs the connector pre-flight with --tenant-check against the relay
// simulator and a simulated tenant: which connectors exist, one that already recognises the
// site, a conflict, and the accepted domains of --domain and of the certificate's name.
func TestConnectorTenantCheck(t *testing.T) {
	t.Parallel()
	ok := fixtures.NewSim(t, "ok")
	certOK := fixtures.NewSim(t, "cert-ok")
	pfx := []string{"--pfx", filepath.Join(certOK.CertDir, "client.pfx")}
	tests := []struct {
		name  string
		sim   *fixtures.Sim
		args  []string
		world func(*fixtures.TenantWorld)
		exit  int
		codes []string // of the exchange check, every severity
		says  []string
	}{
		{"no connector yet", ok, nil, func(w *fixtures.TenantWorld) { w.Connectors = w.Connectors[:1] }, 0,
			[]string{"connector-to-create"}, []string{
				"no inbound connector recognises this site yet (the tenant's inbound connectors: 'Partner fabrikam' (Partner, sender domains fabrikam.com))",
				"create it: New-InboundConnector -Name 'SMTP relay' -ConnectorType OnPremises -SenderDomains '*' -SenderIPAddresses '203.0.113.7'"}},
		{"one lists the IP already", ok, nil, nil, 0, []string{"connector-exists"}, []string{
			"connector 'Scanner relay' already lists 203.0.113.7: it exists, so there is nothing to create; test it with exoprobe relay"}},
		{"a disabled one lists the IP", ok, nil, func(w *fixtures.TenantWorld) { w.Connectors[1].Enabled = false }, 1,
			[]string{"connector-disabled"}, []string{"Set-InboundConnector -Identity 'Scanner relay' -Enabled $true"}},
		{"the name is taken", ok, []string{"--name", "Scanner relay"}, func(w *fixtures.TenantWorld) {
			w.Connectors[1].SenderIPAddresses = []string{fixtures.TenantOtherIP}
		}, 1, []string{"connector-to-create", "connector-conflict"}, []string{"a connector named 'Scanner relay' exists already"}},
		{"domain not accepted", ok, nil, func(w *fixtures.TenantWorld) {
			w.AcceptedDomains = []string{"fabrikam.com"}
			w.Connectors = w.Connectors[:1]
		}, 2, []string{"domain-not-accepted", "connector-to-create"}, []string{"the domain contoso.com is not an accepted domain of the tenant (fabrikam.com)"}},
		{"certificate, its name not an accepted domain", certOK, pfx, func(w *fixtures.TenantWorld) { w.Connectors = w.Connectors[:1] }, 1,
			[]string{"cert-not-accepted-domain", "connector-to-create"}, []string{
				"the certificate's name mail.contoso.com is under the accepted domain contoso.com but is not an accepted domain itself",
				"(MC1226222)", "add mail.contoso.com", "-TlsSenderCertificateName 'mail.contoso.com' -RequireTls $true"}},
		{"certificate, its name under no accepted domain", certOK, pfx, func(w *fixtures.TenantWorld) {
			w.AcceptedDomains = []string{"contoso.onmicrosoft.com", "contoso.com.example"}
			w.Connectors = w.Connectors[:1]
		}, 2, []string{"domain-not-accepted", "cert-not-accepted-domain", "connector-to-create"}, []string{
			"the certificate's name mail.contoso.com is not an accepted domain of the tenant (contoso.onmicrosoft.com, contoso.com.example)"}},
		{"certificate, the IP on another connector", certOK, pfx, func(w *fixtures.TenantWorld) {
			w.AcceptedDomains = append(w.AcceptedDomains, fixtures.TenantCertName)
			w.Connectors[1].TlsSenderCertificateName = ""
		}, 1, []string{"connector-conflict"}, []string{
			"connector 'Scanner relay' already lists 203.0.113.7, so it recognises this site already",
			"Set-InboundConnector -Identity 'Scanner relay' -SenderIPAddresses @{Remove='203.0.113.7'}"}},
		{"certificate, accepted already", certOK, pfx, func(w *fixtures.TenantWorld) {
			w.AcceptedDomains = append(w.AcceptedDomains, fixtures.TenantCertName)
		}, 0, []string{"connector-exists"}, []string{"connector 'Scanner relay' already accepts the certificate name mail.contoso.com"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout := runConnectorTenant(t, tc.sim, tc.world, append(tc.args, "-o", "json")...)
			var rep jsonReport
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, stdout)
			}
			if code != tc.exit {
				t.Errorf("exit %d; want %d (codes %v)", code, tc.exit, rep.codes())
			}
			var got []string
			var msgs strings.Builder
			for _, c := range rep.Checks {
				if c.ID != "exchange" {
					continue
				}
				for _, f := range c.Findings {
					got = append(got, f.Code)
					msgs.WriteString(f.Message + "\n")
				}
			}
			if !slices.Equal(got, tc.codes) {
				t.Errorf("exchange codes %v; want %v\n%s", got, tc.codes, msgs.String())
			}
			for _, s := range tc.says {
				if !strings.Contains(msgs.String(), s) {
					t.Errorf("no finding says %q:\n%s", s, msgs.String())
				}
			}
		})
	}
	t.Run("the verdict of a connector that exists", func(t *testing.T) {
		t.Parallel()
		_, stdout := runConnectorTenant(t, ok, nil, "--no-color")
		if want := "Verdict: PASS - a connector for this site exists already (see the exchange check): test it with exoprobe relay"; !strings.Contains(stdout, want) {
			t.Errorf("the text does not say %q:\n%s", want, stdout)
		}
		// The plan's commands are for making it again, not to be run now.
		lead := strings.Join(strings.Fields("The tenant's connector 'Scanner relay' recognises this site already: there is nothing to create"), " ")
		if !strings.Contains(strings.Join(strings.Fields(stdout), " "), lead) || strings.Contains(stdout, "Create it in Exchange Online PowerShell") {
			t.Errorf("the connector section does not say it exists:\n%s", stdout)
		}
		_, js := runConnectorTenant(t, ok, nil, "-o", "json")
		var jr struct {
			Connector struct {
				Existing string `json:"existing"`
			} `json:"connector"`
		}
		if err := json.Unmarshal([]byte(js), &jr); err != nil || jr.Connector.Existing != "Scanner relay" {
			t.Errorf("connector.existing = %q (%v); want Scanner relay", jr.Connector.Existing, err)
		}
	})
}

// runConnectorTenant runs exoprobe connector --tenant-check against the relay simulator sim and
// a simulated tenant, the default world changed by world; it returns the exit code and stdout.
func runConnectorTenant(t *testing.T, sim *fixtures.Sim, world func(*fixtures.TenantWorld), args ...string) (int, string) {
	t.Helper()
	tokens := fixtures.NewTokenServer(t, fixtures.TokenConfig{
		Audience: fixtures.TenantAdminAudience, Roles: []string{fixtures.RoleManageAsApp},
	})
	w := fixtures.DefaultTenantWorld(time.Now())
	if world != nil {
		world(&w)
	}
	api := fixtures.NewTenantServer(t, tokens, w)
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv:     func(k string) string { return map[string]string{envClientSecret: fixtures.TokenSecret}[k] },
		isTerminal: func(io.Writer) bool { return false },
	}
	args = append([]string{"--domain", sim.Domain, "--resolver", sim.DNSAddr, "--port", strconv.Itoa(sim.SMTPPort),
		"--timeout", "30s", "--tenant-check", "--tenant", tokens.TenantID, "--client-id", tokens.ClientID}, args...)
	v, err := runConnectorWith(t.Context(), e, args, func(o *probe.ConnectorOptions) {
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
	if strings.Contains(out.String()+errb.String(), fixtures.TokenSecret) {
		t.Error("the output shows the secret")
	}
	return exitCode(v), out.String()
}

// TestTenantCheckFlags covers the flag errors of --tenant-check on submit and connector.
func TestTenantCheckFlags(t *testing.T) {
	t.Parallel()
	submit := []string{"submit", "--from", "app@contoso.com", "--to", "b@example.org"}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"reader id without --tenant-check", append(slices.Clone(submit), "--tenant", "contoso.com", "--client-id", "x", "--reader-id", "y"),
			"--reader-id and the --reader-* certificate flags go with --tenant-check"},
		{"reader certificate without --tenant-check", append(slices.Clone(submit), "--tenant", "contoso.com", "--client-id", "x", "--reader-pfx", "r.pfx"),
			"go with --tenant-check"},
		{"no reader id", append(slices.Clone(submit), "--tenant", "contoso.com", "--client-id", "x", "--tenant-check"),
			"--tenant-check needs --reader-id"},
		{"basic without a tenant", append(slices.Clone(submit), "--auth", "basic", "--tenant-check", "--reader-id", "y"),
			"--tenant-check needs --tenant"},
		{"basic keeps --tenant only for --tenant-check", append(slices.Clone(submit), "--auth", "basic", "--tenant", "contoso.com"),
			"--auth basic signs in with the mailbox's password"},
		{"reader key without its certificate", append(slices.Clone(submit), "--tenant", "contoso.com", "--client-id", "x", "--tenant-check", "--reader-id", "y", "--reader-key", "k.pem"),
			"--reader-key needs --reader-cert"},
		{"no reader secret", append(slices.Clone(submit), "--tenant", "contoso.com", "--client-id", "x", "--tenant-check", "--reader-id", "y"),
			envReaderSecret},
		{"connector: tenant without --tenant-check", []string{"connector", "--domain", "contoso.com", "--tenant", "contoso.com"},
			"go with --tenant-check"},
		{"connector: no client id", []string{"connector", "--domain", "contoso.com", "--tenant-check", "--tenant", "contoso.com"},
			"--tenant-check needs --client-id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{envClientSecret: fixtures.TokenSecret}
			if !strings.Contains(tc.name, "no reader secret") {
				vars[envReaderSecret] = readerSecret
			}
			code, stdout, stderr := runEnv(t, vars, nil, tc.args...)
			if code != exitCantRun || !strings.Contains(stdout+stderr, tc.want) {
				t.Errorf("exit %d; want %d and %q in:\n%s%s", code, exitCantRun, tc.want, stdout, stderr)
			}
			assertNoLeak(t, "output", stdout+stderr, readerSecret)
		})
	}
	_, help, _ := runEnv(t, nil, nil, "submit", "--help")
	for _, want := range []string{"--reader-id", "--reader-pfx", envReaderSecret, envReaderPFXPassword, "the SENDING app", "the READING app"} {
		if !strings.Contains(help, want) {
			t.Errorf("submit --help does not say %q", want)
		}
	}
}
