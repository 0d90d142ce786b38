package tenant

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe/check"
)

// TestCrossChecks judges simulated tenants for a submission and for a connector about to be
// created: the codes of every severity, the summary, and which cmdlets were sent (a submission
// reads no connector; a pre-flight reads only the connectors and the accepted domains).
func TestCrossChecks(t *testing.T) {
	t.Parallel()
	submission := Inputs{Path: check.ModeSubmit, Mailbox: fixtures.TenantMailbox, AppID: fixtures.TenantSenderAppID, FromDomain: "contoso.com"}
	preflight := Inputs{Path: check.ModeConnector, PublicIP: fixtures.SimPublicIP, FromDomain: "contoso.com", ConnectorName: "SMTP relay",
		CreateCommand: "New-InboundConnector -Name 'SMTP relay' -ConnectorType OnPremises -SenderDomains '*' -SenderIPAddresses '203.0.113.7'"}
	tests := []struct {
		name    string
		world   func(*fixtures.TenantWorld)
		in      Inputs
		edit    func(*Inputs)
		codes   []string
		summary string
		never   []string // cmdlets that must not be sent
	}{
		{"submission, all in order", nil, submission, nil, nil,
			"SMTP AUTH enabled for this mailbox; the app holds FullAccess on the mailbox",
			[]string{"Get-InboundConnector", "Get-HostedConnectionFilterPolicy", "Get-OrganizationConfig", "Get-AuthenticationPolicy", "Get-User"}},
		{"submission, SendAs only", func(w *fixtures.TenantWorld) {
			w.FullAccess = map[string][]string{}
			w.SendAs = map[string][]string{fixtures.TenantMailbox: {fixtures.TenantSenderAppID}}
		}, submission, nil, nil, "the app holds SendAs on the mailbox", nil},
		{"submission with a password, no policy at all", nil, submission, func(in *Inputs) { in.AppID, in.BasicAuth = "", true }, nil,
			"basic authentication allowed until it goes off by default at the end of December 2026", []string{"Get-ServicePrincipal"}},
		{"submission with a password, the user's policy by its identity", func(w *fixtures.TenantWorld) {
			w.AuthPolicies = map[string]bool{"Block basic auth": false}
			w.UserAuthPolicies = map[string]string{fixtures.TenantMailbox: `contoso.onmicrosoft.com\Block basic auth`}
		}, submission, func(in *Inputs) { in.AppID, in.BasicAuth = "", true }, []string{"basic-auth-smtp-blocked"}, "", nil},
		{"pre-flight, the domain not accepted", func(w *fixtures.TenantWorld) {
			w.AcceptedDomains = []string{"fabrikam.com"}
			w.Connectors = w.Connectors[:1]
		}, preflight, nil, []string{"domain-not-accepted", "connector-to-create"}, "the tenant's configuration blocks sending (domain-not-accepted)",
			[]string{"Get-TransportConfig", "Get-CASMailbox", "Get-OrganizationConfig"}},
		{"pre-flight, a wildcard certificate name of an accepted domain", func(w *fixtures.TenantWorld) { w.Connectors = w.Connectors[:1] },
			preflight, func(in *Inputs) { in.CertDomain = "*.contoso.com" }, []string{"connector-to-create"}, "no connector recognises this site yet: create it", nil},
		{"pre-flight, two connectors list the address", func(w *fixtures.TenantWorld) {
			w.Connectors = append(w.Connectors, fixtures.TenantConnectorSpec{Name: "Old relay", Type: "OnPremises", Enabled: true,
				SenderIPAddresses: []string{"203.0.113.0/24"}, SenderDomains: []string{"*"}})
		}, preflight, nil, []string{"connector-exists", "connector-conflict"}, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := fixtures.DefaultTenantWorld(time.Now())
			if tc.world != nil {
				tc.world(&w)
			}
			c, srv := newWorld(t, w, []string{fixtures.RoleManageAsApp}, nil)
			in := tc.in
			if tc.edit != nil {
				tc.edit(&in)
			}
			r := Exchange(t.Context(), c, in)
			var got []string
			for _, f := range r.Findings {
				got = append(got, string(f.Code))
			}
			if !slices.Equal(got, tc.codes) {
				t.Errorf("codes %v; want %v (%s)", got, tc.codes, r.Summary)
			}
			if !strings.Contains(r.Summary, tc.summary) {
				t.Errorf("summary %q; want it to say %q", r.Summary, tc.summary)
			}
			for _, call := range srv.Calls() {
				if slices.Contains(tc.never, call.Cmdlet) {
					t.Errorf("%s was sent", call.Cmdlet)
				}
			}
		})
	}
}
