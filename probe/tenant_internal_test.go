package probe

import (
	"testing"

	"github.com/exoprobe/exoprobe/probe/cloud"
)

// TestTenantBases: without hooks, the tenant client reads the Admin API and Graph of the run's
// cloud, from the one cloud table.
func TestTenantBases(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ cloud, admin, graph string }{
		{"", "https://outlook.office365.com", "https://graph.microsoft.com"},
		{"gcc-high", "https://outlook.office365.us", "https://graph.microsoft.us"},
		{"dod", "https://outlook-dod.office365.us", "https://dod-graph.microsoft.us"},
		{"china", "https://outlook.office365.cn", "https://microsoftgraph.chinacloudapi.cn"},
	} {
		cl, _ := cloud.Lookup(tc.cloud)
		c := (&TenantAccess{Cloud: tc.cloud, Tenant: " contoso.com "}).client(cl, nil)
		if c.AdminBase != tc.admin || c.GraphBase != tc.graph || c.Tenant != "contoso.com" {
			t.Errorf("%q: admin %s graph %s tenant %q; want %s %s contoso.com", tc.cloud, c.AdminBase, c.GraphBase, c.Tenant, tc.admin, tc.graph)
		}
	}
}
