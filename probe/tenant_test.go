package probe_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// tenantOptions points a tenant run at the simulator of the scenario, as the demo does.
func tenantOptions(sim *fixtures.Sim) probe.TenantOptions {
	return probe.TenantOptions{
		TenantAccess: tenantAccess(sim.Tokens, sim.Tenant),
		AppID:        fixtures.TenantSenderAppID, Mailbox: fixtures.TenantMailbox, PublicIP: fixtures.SimPublicIP,
		From:       fixtures.SimFrom,
		RunOptions: probe.RunOptions{Timeout: 20 * time.Second},
	}
}

// tenantAccess signs in to the token server as its app and reads the tenant simulator.
func tenantAccess(tokens *fixtures.TokenServer, srv *fixtures.TenantServer) probe.TenantAccess {
	return probe.TenantAccess{
		Tenant: tokens.TenantID, ClientID: tokens.ClientID, ClientSecret: fixtures.TokenSecret,
		LoginURL: tokens.URL, TokenHTTPClient: tokens.Client(),
		AdminURL: srv.URL, GraphURL: srv.URL, APIHTTPClient: srv.Client(),
	}
}

func TestTenantRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		scenario string
		adjust   func(*probe.TenantOptions)
		verdict  check.Status
		codes    []string
		ids      []check.ID
	}{
		{"ok", "tenant-ok", nil, check.Pass, nil, []check.ID{check.Exchange, check.Entra}},
		{"no app id: entra skipped", "tenant-ok", func(o *probe.TenantOptions) { o.AppID = "" }, check.Pass, nil, []check.ID{check.Exchange, check.Entra}},
		{"wrong secret: both checks name the AADSTS code", "tenant-ok", func(o *probe.TenantOptions) { o.ClientSecret = "wrong" },
			check.Fail, []string{"AADSTS7000215", "AADSTS7000215"}, []check.ID{check.Exchange, check.Entra}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sim := fixtures.NewSim(t, tc.scenario)
			o := tenantOptions(sim)
			if tc.adjust != nil {
				tc.adjust(&o)
			}
			rep := probe.Tenant(t.Context(), o)
			var ids []check.ID
			var got []string
			for _, c := range rep.Checks {
				ids = append(ids, c.ID)
				for _, f := range c.Findings {
					if f.Severity == check.Fail || f.Severity == check.Warn {
						got = append(got, string(f.Code))
					}
					if f.Severity != check.Skip && f.Hint == nil {
						t.Errorf("%s: finding %s has no hint", c.ID, f.Code)
					}
				}
			}
			if rep.Mode != check.ModeTenant || rep.Verdict != tc.verdict || !slices.Equal(got, tc.codes) || !slices.Equal(ids, tc.ids) {
				t.Errorf("mode %s verdict %s codes %v checks %v; want tenant %s %v %v", rep.Mode, rep.Verdict, got, ids, tc.verdict, tc.codes, tc.ids)
			}
		})
	}
}

// TestTenantRunDeadline: a service that never answers ends the run at --timeout, with the
// calls reported as failed.
func TestTenantRunDeadline(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "tenant-ok")
	stop := make(chan struct{})
	hang := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	t.Cleanup(hang.Close)
	t.Cleanup(func() { close(stop) }) // runs first: no handler outlives the test
	o := tenantOptions(sim)
	o.AdminURL, o.GraphURL, o.APIHTTPClient = hang.URL, hang.URL, hang.Client()
	o.Timeout = 1500 * time.Millisecond
	start := time.Now()
	rep := probe.Tenant(t.Context(), o)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the run took %s; want it to end soon after --timeout 1.5s", d)
	}
	if rep.Verdict != check.Fail || rep.RootCause == nil || rep.RootCause.Code != "tenant-api-failed" {
		t.Errorf("verdict %s root cause %+v; want fail, tenant-api-failed", rep.Verdict, rep.RootCause)
	}
}

// TestTenantFillsServicePrincipal checks that exoprobe tenant, like submit --tenant-check, gives
// an app not registered in Exchange its New-ServicePrincipal command whole: the object ID of the
// app's service principal comes from the entra check, which runs first.
func TestTenantFillsServicePrincipal(t *testing.T) {
	t.Parallel()
	tokens := fixtures.NewTokenServer(t, fixtures.TokenConfig{
		Audience: fixtures.TenantAdminAudience, Roles: []string{fixtures.RoleManageAsApp},
		Resources: map[string][]string{fixtures.TenantGraphAudience: {fixtures.RoleApplicationReadAll}},
	})
	w := fixtures.DefaultTenantWorld(time.Now())
	w.ExchangeSPs = nil
	o := probe.TenantOptions{
		TenantAccess: tenantAccess(tokens, fixtures.NewTenantServer(t, tokens, w)),
		AppID:        fixtures.TenantSenderAppID, Mailbox: fixtures.TenantMailbox,
		RunOptions: probe.RunOptions{Timeout: 20 * time.Second},
	}
	rep := probe.Tenant(t.Context(), o)
	want := "New-ServicePrincipal -AppId '" + fixtures.TenantSenderAppID + "' -ObjectId '8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d'"
	for _, f := range rep.Findings() {
		if f.Code == "app-not-in-exchange" {
			if !strings.Contains(f.Message, want) {
				t.Errorf("app-not-in-exchange says %q; want it to hold %q", f.Message, want)
			}
			return
		}
	}
	t.Errorf("no app-not-in-exchange finding: %v", rep.Findings())
}
