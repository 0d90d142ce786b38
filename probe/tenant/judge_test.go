package tenant

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
)

func TestConnectorMatching(t *testing.T) {
	t.Parallel()
	k := Connector{SenderIPAddresses: []string{"198.51.100.0/24", "203.0.113.7", "192.0.2.10-192.0.2.20"}, TlsSenderCertificateName: "*.contoso.com"}
	for _, tc := range []struct {
		ip   string
		want bool
	}{{"198.51.100.200", true}, {"203.0.113.7", true}, {"203.0.113.8", false}, {"192.0.2.15", true}, {"192.0.2.21", false}} {
		if got := k.lists(netip.MustParseAddr(tc.ip)); got != tc.want {
			t.Errorf("lists(%s) = %v; want %v", tc.ip, got, tc.want)
		}
	}
	for _, tc := range []struct {
		name string
		want bool
	}{{"mail.contoso.com", true}, {"MAIL.contoso.com.", true}, {"contoso.com", false}, {"mail.fabrikam.com", false}, {"", false}} {
		if got := k.certMatches(tc.name); got != tc.want {
			t.Errorf("certMatches(%q) = %v; want %v", tc.name, got, tc.want)
		}
	}
}

func codes(r *check.Result) []string {
	var out []string
	for _, f := range r.Findings {
		if f.Severity == check.Fail || f.Severity == check.Warn {
			out = append(out, string(f.Code))
		}
	}
	return out
}

// TestJudgements runs the exchange and entra checks against simulated tenants, one difference
// from the default each.
func TestJudgements(t *testing.T) {
	t.Parallel()
	on, off := true, false
	site := Inputs{
		Mailbox: fixtures.TenantMailbox, AppID: fixtures.TenantSenderAppID, PublicIP: fixtures.SimPublicIP,
		CertDomain: fixtures.TenantCertName, FromDomain: "contoso.com",
	}
	tests := []struct {
		name     string
		world    func(*fixtures.TenantWorld)
		in       func(*Inputs)
		exoRoles []string
		grRoles  []string
		exchange []string
		entra    []string
		fact     string // a fact of the exchange check that must be set
		factVal  any
	}{
		{name: "all in order", fact: "mailbox_smtp_auth", factVal: "enabled for this mailbox"},
		{name: "mailbox inherits an enabled tenant", world: func(w *fixtures.TenantWorld) {
			w.SMTPAuthDisabled = false
			w.Mailboxes[fixtures.TenantMailbox] = nil
		}, fact: "mailbox_smtp_auth", factVal: "inherits the tenant"},
		{name: "mailbox inherits a disabled tenant", world: func(w *fixtures.TenantWorld) { w.Mailboxes[fixtures.TenantMailbox] = nil },
			exchange: []string{"smtpauth-inherited-disabled"}},
		{name: "mailbox disabled though the tenant allows", world: func(w *fixtures.TenantWorld) {
			w.SMTPAuthDisabled = false
			w.Mailboxes[fixtures.TenantMailbox] = &on
		}, exchange: []string{"smtpauth-mailbox-disabled"}},
		{name: "mailbox enabled in a disabled tenant", world: func(w *fixtures.TenantWorld) { w.Mailboxes[fixtures.TenantMailbox] = &off }},
		{name: "no such mailbox", in: func(in *Inputs) { in.Mailbox = "nobody@contoso.com" }, exchange: []string{"mailbox-not-found"}},
		{name: "connector disabled", world: func(w *fixtures.TenantWorld) { w.Connectors[1].Enabled = false },
			exchange: []string{"connector-disabled", "connector-disabled"}},
		{name: "no OnPremises connector", world: func(w *fixtures.TenantWorld) { w.Connectors = w.Connectors[:1] }, exchange: []string{"connector-none"}},
		{name: "sender domain not accepted", in: func(in *Inputs) { in.FromDomain = "fabrikam.com" }, exchange: []string{"domain-not-accepted"}},
		{name: "app not registered in Exchange", world: func(w *fixtures.TenantWorld) { w.ExchangeSPs = nil }, exchange: []string{"app-not-in-exchange"}},
		{name: "SendAs alone is enough", world: func(w *fixtures.TenantWorld) {
			w.FullAccess = map[string][]string{}
			w.SendAs = map[string][]string{fixtures.TenantMailbox: {fixtures.TenantSenderAppID}}
		}, fact: "app_send_as", factVal: true},
		{name: "secret expired, certificate expiring", world: func(w *fixtures.TenantWorld) {
			w.SecretEnds = []time.Time{time.Now().Add(-24 * time.Hour)}
			w.CertEnds = []time.Time{time.Now().Add(10 * 24 * time.Hour)}
		}, entra: []string{"entra-secret-expired", "entra-cert-expiring"}},
		{name: "certificate expired", world: func(w *fixtures.TenantWorld) { w.CertEnds = []time.Time{time.Now().Add(-time.Hour)} },
			entra: []string{"entra-cert-expired"}},
		{name: "no SMTP.SendAsApp", world: func(w *fixtures.TenantWorld) { w.SendAsApp = false }, entra: []string{"app-no-smtp-role"}},
		{name: "unknown app", in: func(in *Inputs) { in.AppID = "11111111-2222-3333-4444-555555555555" },
			exchange: []string{"app-not-in-exchange"}, entra: []string{"app-not-found"}},
		{name: "reading app without Exchange.ManageAsApp", exoRoles: []string{}, exchange: []string{"exo-unauthorized"}},
		{name: "reading app without a role", world: func(w *fixtures.TenantWorld) { w.NoExchangeRole = true }, exchange: []string{"exo-forbidden"}},
		{name: "reading app without Application.Read.All", grRoles: []string{"User.Read.All"}, entra: []string{"graph-forbidden"}},
		{name: "throttled, then answered", world: func(w *fixtures.TenantWorld) { w.Throttle = 2 }},
		{name: "the Admin API answers the core properties only", world: func(w *fixtures.TenantWorld) {
			w.OrgConfigCoreOnly, w.RejectDirectSend = true, true
		}, exchange: []string{"rejectdirectsend-on"}, fact: "reject_direct_send", factVal: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := fixtures.DefaultTenantWorld(time.Now())
			if tc.world != nil {
				tc.world(&w)
			}
			in := site
			if tc.in != nil {
				tc.in(&in)
			}
			exo, gr := []string{fixtures.RoleManageAsApp}, []string{fixtures.RoleApplicationReadAll}
			if tc.exoRoles != nil {
				exo = tc.exoRoles
			}
			if tc.grRoles != nil {
				gr = tc.grRoles
			}
			c, _ := newWorld(t, w, exo, gr)
			ex := Exchange(t.Context(), c, in)
			en := Entra(t.Context(), c, in)
			if got := codes(ex); !slices.Equal(got, tc.exchange) {
				t.Errorf("exchange codes %v; want %v (%v)", got, tc.exchange, ex.Findings)
			}
			if got := codes(en); !slices.Equal(got, tc.entra) {
				t.Errorf("entra codes %v; want %v (%v)", got, tc.entra, en.Findings)
			}
			if tc.fact != "" && ex.Facts[tc.fact] != tc.factVal {
				t.Errorf("fact %s = %v; want %v", tc.fact, ex.Facts[tc.fact], tc.factVal)
			}
			for _, r := range []*check.Result{ex, en} {
				for _, f := range r.Findings {
					if strings.Contains(f.Message, c.ExchangeToken) || strings.Contains(f.Message, c.GraphToken) {
						t.Errorf("a finding shows a token")
					}
				}
			}
		})
	}
}

func TestEntraSkippedWithoutApp(t *testing.T) {
	t.Parallel()
	r := Entra(t.Context(), nil, Inputs{})
	if r.Status != check.Skip {
		t.Errorf("status %s; want skip", r.Status)
	}
}

// TestOrgConfigFromInvokeCommand checks that when the Admin API's OrganizationConfig answers
// only its core properties (as its documentation says it will after the preview), the reader
// asks InvokeCommand for the whole object, and the calls fact says it went through both.
func TestOrgConfigFromInvokeCommand(t *testing.T) {
	t.Parallel()
	for _, coreOnly := range []bool{false, true} {
		w := fixtures.DefaultTenantWorld(time.Now())
		w.OrgConfigCoreOnly, w.RejectDirectSend = coreOnly, true
		c, _ := newWorld(t, w, []string{fixtures.RoleManageAsApp}, []string{fixtures.RoleApplicationReadAll})
		ex := Exchange(t.Context(), c, Inputs{Path: check.ModeDirect})
		var via []string
		calls, _ := ex.Facts["calls"].([]map[string]string)
		for _, call := range calls {
			if call["cmdlet"] == "Get-OrganizationConfig" {
				via = append(via, call["interface"])
			}
		}
		want := []string{string(AdminAPI)}
		if coreOnly {
			want = append(want, string(InvokeCommand))
		}
		if !slices.Equal(via, want) {
			t.Errorf("core only %v: Get-OrganizationConfig went through %v; want %v", coreOnly, via, want)
		}
		if got := codes(ex); !slices.Equal(got, []string{"rejectdirectsend-on"}) || ex.Status != check.Fail {
			t.Errorf("core only %v: %s %v; want fail with rejectdirectsend-on", coreOnly, ex.Status, got)
		}
	}
}

// TestAPIFinding names what is missing from the refusal, whatever status it came with, and
// keeps every kind of failure apart.
func TestAPIFinding(t *testing.T) {
	t.Parallel()
	// noRole is Exchange Online's text as pasted in Microsoft365DSC/Microsoft365DSC#4530 and
	// maester365/maester#718 (the application ID is ours).
	const noRole = "The role assigned to application 0d5c6a1e-0000-4000-8000-000000000001 isn't supported in this scenario. " +
		"Please check online documentation for assigning correct Directory Roles to Azure AD Application for EXO App-Only Authentication."
	tests := []struct {
		name string
		err  APIError
		code check.Code
		says string
	}{
		{"no app role", APIError{Interface: InvokeCommand, Call: "Get-InboundConnector", Status: 401}, code.ExoUnauthorized, "Exchange.ManageAsApp"},
		{"no directory role, 403", APIError{Interface: AdminAPI, Call: "Get-AcceptedDomain", Status: 403, Code: "Forbidden", Message: noRole}, code.ExoForbidden, "Global Reader"},
		{"no directory role, 401", APIError{Interface: InvokeCommand, Call: "Get-TransportConfig", Status: 401, Message: noRole}, code.ExoForbidden, "with 401"},
		{"graph 403", APIError{Interface: Graph, Call: "/v1.0/applications", Status: 403, Code: "Authorization_RequestDenied"}, code.GraphForbidden, "Application.Read.All"},
		{"graph 401", APIError{Interface: Graph, Call: "/v1.0/applications", Status: 401}, code.GraphUnauthorized, "no Microsoft Graph application permission"},
		{"throttled", APIError{Interface: AdminAPI, Call: "Get-AcceptedDomain", Status: 429, Throttled: true}, code.TenantThrottled, "kept throttling"},
		{"deadline", APIError{Interface: AdminAPI, Call: "Get-AcceptedDomain", Err: context.DeadlineExceeded}, code.TenantAPIFailed, "--timeout ran out"},
		{"redirect", APIError{Interface: AdminAPI, Call: "Get-AcceptedDomain", Status: 302, Message: "to login.example.net"}, code.TenantAPIFailed, "redirect (HTTP 302 to login.example.net)"},
		{"a gateway's page", APIError{Interface: InvokeCommand, Call: "Get-CASMailbox", Status: 504}, code.TenantAPIFailed, "not the service's"},
		{"the service's own error", APIError{Interface: InvokeCommand, Call: "Get-CASMailbox", Status: 404, Code: "NotFound", Message: "couldn't be found"}, code.TenantAPIFailed, "HTTP 404 (NotFound couldn't be found)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := apiFinding(&tc.err)
			if f.Code != tc.code || !strings.Contains(f.Message, tc.says) {
				t.Errorf("apiFinding = %s %q; want %s saying %q", f.Code, f.Message, tc.code, tc.says)
			}
		})
	}
}
