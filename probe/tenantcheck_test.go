package probe_test

import (
	"slices"
	"testing"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// TestSubmitTenantCheckPaths runs a submission with --tenant-check against a tenant that knows
// neither the submit simulator's mailbox nor its app: what the tenant is asked about follows how
// the submission signs in.
func TestSubmitTenantCheckPaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		auth   string
		checks []check.ID // the tenant's checks in the report
		codes  []string   // the exchange check's warn and fail codes
	}{
		// The app is judged: the mailbox is unknown to the tenant, and so is the app.
		{"oauth", probe.AuthOAuth, []check.ID{check.Exchange, check.Entra}, []string{"mailbox-not-found"}},
		// A password: the mailbox and its authentication policy, no app.
		{"basic", probe.AuthBasic, []check.ID{check.Exchange}, []string{"mailbox-not-found"}},
		// Nothing signs in: no mailbox's setting counts.
		{"none", probe.AuthNone, []check.ID{check.Exchange}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sim := fixtures.NewSim(t, "submit-ok")
			tsim := fixtures.NewSim(t, "tenant-ok")
			o := submitOptions(sim)
			o.Auth = tc.auth
			if tc.auth != probe.AuthOAuth {
				o.ClientID, o.ClientSecret, o.Password = "", "", fixtures.SimPassword
			}
			access := tenantAccess(tsim.Tokens, tsim.Tenant)
			o.TenantCheck = &access
			rep := probe.Submit(t.Context(), o)
			var ids []check.ID
			var codes []string
			for _, c := range rep.Checks {
				if c.ID != check.Exchange && c.ID != check.Entra {
					continue
				}
				ids = append(ids, c.ID)
				for _, f := range c.Findings {
					if c.ID == check.Exchange && (f.Severity == check.Warn || f.Severity == check.Fail) {
						codes = append(codes, string(f.Code))
					}
				}
			}
			if !slices.Equal(ids, tc.checks) || !slices.Equal(codes, tc.codes) {
				t.Errorf("checks %v codes %v; want %v %v", ids, codes, tc.checks, tc.codes)
			}
		})
	}
}
