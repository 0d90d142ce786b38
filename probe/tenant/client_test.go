package tenant

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
)

// verbs are PowerShell's approved verbs (Get-Verb), every one of which is tried with every noun
// of the allow-list: only the allow-listed names may pass.
var verbs = []string{
	"Add", "Approve", "Assert", "Backup", "Block", "Build", "Checkpoint", "Clear", "Close", "Compare", "Complete",
	"Compress", "Confirm", "Connect", "Convert", "ConvertFrom", "ConvertTo", "Copy", "Debug", "Deny", "Deploy",
	"Disable", "Disconnect", "Dismount", "Edit", "Enable", "Enter", "Exit", "Expand", "Export", "Find", "Format",
	"Get", "Grant", "Group", "Hide", "Import", "Initialize", "Install", "Invoke", "Join", "Limit", "Lock",
	"Measure", "Merge", "Mount", "Move", "New", "Open", "Optimize", "Out", "Ping", "Pop", "Protect", "Publish",
	"Push", "Read", "Receive", "Redo", "Register", "Remove", "Rename", "Repair", "Request", "Reset", "Resize",
	"Resolve", "Restart", "Restore", "Resume", "Revoke", "Save", "Search", "Select", "Send", "Set", "Show",
	"Skip", "Split", "Start", "Step", "Stop", "Submit", "Suspend", "Switch", "Sync", "Test", "Trace",
	"Unblock", "Undo", "Uninstall", "Unlock", "Unprotect", "Unpublish", "Unregister", "Update", "Use", "Wait",
	"Watch", "Write",
}

// methods are every HTTP method: only POST (Admin API) and GET (Graph) are read calls.
var methods = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete,
	http.MethodConnect, http.MethodOptions, http.MethodTrace, "PROPFIND", "MERGE",
}

// refusingTransport fails the test for any request that reaches the network.
type refusingTransport struct{ t *testing.T }

func (rt refusingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.t.Errorf("a request left the client: %s %s", r.Method, r.URL)
	return nil, errors.New("refused by the test")
}

func testClient(t *testing.T) *Client {
	return &Client{
		HTTP: &http.Client{Transport: refusingTransport{t}}, Tenant: "contoso.onmicrosoft.com",
		AdminBase: "https://outlook.office365.com", GraphBase: "https://graph.microsoft.com",
		ExchangeToken: "exo-token", GraphToken: "graph-token",
	}
}

// TestOnlyReadsLeave proves that nothing but the read calls can leave the client: every verb
// with every allow-listed noun, every unlisted parameter, and every method other than the read
// calls, against both services and others.
func TestOnlyReadsLeave(t *testing.T) {
	t.Parallel()
	c := testClient(t)
	nouns := map[string]bool{}
	for _, name := range AllowedCmdlets() {
		if !strings.HasPrefix(name, "Get-") && !strings.HasPrefix(name, "Test-") {
			t.Errorf("allow-list holds %s, which neither gets nor tests", name)
		}
		_, noun, _ := strings.Cut(name, "-")
		nouns[noun] = true
	}
	nouns["Mailbox"], nouns["TransportRule"], nouns["ExoSecureApp"] = true, true, true

	t.Run("cmdlets", func(t *testing.T) {
		for noun := range nouns {
			for _, verb := range verbs {
				name := verb + "-" + noun
				for _, spelled := range []string{name, strings.ToLower(name), " " + name} {
					if _, ok := allowed[spelled]; ok {
						continue // allowed: TestClientAgainstSimulator sends them
					}
					_, _, err := c.Cmdlet(t.Context(), spelled, nil)
					var re *RefusedError
					if !errors.As(err, &re) {
						t.Errorf("Cmdlet(%q) = %v; want a *RefusedError", spelled, err)
					}
				}
			}
		}
	})
	t.Run("parameters", func(t *testing.T) {
		for _, name := range AllowedCmdlets() {
			for _, p := range []Params{
				{"Confirm": "false"}, {"WhatIf": "true"}, {"Identity": map[string]any{"Add": "x"}},
				{"SenderIPAddresses": "203.0.113.7"}, {"Identity": "x", "Force": "true"},
				{"ResultSize": "1000"}, {"ResultSize": "unlimited"}, {"ResultSize": 5000}, {"ResultSize": "Unlimited; Set-CASMailbox"},
			} {
				var re *RefusedError
				if _, _, err := c.Cmdlet(t.Context(), name, p); !errors.As(err, &re) {
					t.Errorf("Cmdlet(%s, %v) = %v; want a *RefusedError", name, p, err)
				}
			}
		}
	})
	t.Run("interfaces", func(t *testing.T) {
		// Through either interface only the allow-list goes, and the Admin API only with its
		// endpoints.
		for _, via := range []Interface{AdminAPI, InvokeCommand, Graph, "", "adminapi/beta"} {
			for _, name := range []string{"Set-OrganizationConfig", "Remove-InboundConnector", "get-organizationconfig"} {
				var re *RefusedError
				if _, _, err := c.CmdletThrough(t.Context(), name, nil, via); !errors.As(err, &re) {
					t.Errorf("CmdletThrough(%s, %q) = %v; want a *RefusedError", name, via, err)
				}
			}
		}
		for _, name := range AllowedCmdlets() {
			if Via(name) == AdminAPI {
				continue
			}
			var re *RefusedError
			if _, _, err := c.CmdletThrough(t.Context(), name, nil, AdminAPI); !errors.As(err, &re) {
				t.Errorf("CmdletThrough(%s, the Admin API, which has no endpoint for it) = %v; want a *RefusedError", name, err)
			}
		}
		for _, via := range []Interface{Graph, "", "v2.0"} {
			var re *RefusedError
			if _, _, err := c.CmdletThrough(t.Context(), "Get-OrganizationConfig", nil, via); !errors.As(err, &re) {
				t.Errorf("CmdletThrough(Get-OrganizationConfig, %q) = %v; want a *RefusedError", via, err)
			}
		}
	})
	t.Run("values", func(t *testing.T) {
		// ResultSize is allowed on Get-CASMailbox alone, and only as Unlimited.
		if err := checkCmdlet("Get-CASMailbox", Params{"ResultSize": "Unlimited"}); err != nil {
			t.Errorf("Get-CASMailbox -ResultSize Unlimited refused: %v", err)
		}
		for _, name := range AllowedCmdlets() {
			if name == "Get-CASMailbox" {
				continue
			}
			var re *RefusedError
			if err := checkCmdlet(name, Params{"ResultSize": "Unlimited"}); !errors.As(err, &re) {
				t.Errorf("%s -ResultSize Unlimited = %v; want a *RefusedError", name, err)
			}
		}
	})
	t.Run("requests", func(t *testing.T) {
		okBody := []byte(`{"CmdletInput":{"CmdletName":"Get-InboundConnector","Parameters":{}}}`)
		bodies := map[string][]byte{
			"none":         nil,
			"allowed":      okBody,
			"set":          []byte(`{"CmdletInput":{"CmdletName":"Set-InboundConnector","Parameters":{"Identity":"x","Enabled":false}}}`),
			"extra field":  []byte(`{"CmdletInput":{"CmdletName":"Get-InboundConnector","Parameters":{}},"Batch":[{"CmdletName":"Remove-InboundConnector"}]}`),
			"two inputs":   append(append([]byte{}, okBody...), []byte(`{"CmdletInput":{"CmdletName":"New-InboundConnector"}}`)...),
			"bad param":    []byte(`{"CmdletInput":{"CmdletName":"Get-CASMailbox","Parameters":{"Identity":"a","Confirm":"x"}}}`),
			"not json":     []byte(`Remove-InboundConnector 'x'`),
			"graph change": []byte(`{"passwordCredentials":[]}`),
		}
		urls := []string{
			"https://outlook.office365.com/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand",
			"https://outlook.office365.com/adminapi/v2.0/contoso.onmicrosoft.com/AcceptedDomain",
			"https://outlook.office365.com/adminapi/beta/contoso.onmicrosoft.com/$batch",
			"https://outlook.office365.com/ews/exchange.asmx",
			"https://graph.microsoft.com/v1.0/applications",
			"https://graph.microsoft.com/v1.0/applications/1234/addPassword",
			"https://graph.microsoft.com/oauth2/token",
			"https://evil.example/adminapi/beta/x/InvokeCommand",
			"https://evil.example/v1.0/applications",
			"http://outlook.office365.com/adminapi/beta/contoso.onmicrosoft.com/InvokeCommand",
			"https://user:pass@graph.microsoft.com/v1.0/applications",
		}
		for _, m := range methods {
			for _, u := range urls {
				for name, body := range bodies {
					req, err := c.newRequest(t.Context(), m, u, body)
					admin := m == http.MethodPost && strings.HasPrefix(u, "https://outlook.office365.com/adminapi/") && name == "allowed"
					graph := m == http.MethodGet && strings.HasPrefix(u, "https://graph.microsoft.com/v1.0/") && name == "none"
					if admin || graph {
						if err != nil {
							t.Errorf("%s %s (%s) refused: %v", m, u, name, err)
						}
						continue
					}
					var re *RefusedError
					if req != nil || !errors.As(err, &re) {
						t.Errorf("%s %s (%s) = %v, %v; want a *RefusedError", m, u, name, req, err)
					}
				}
			}
		}
	})
}

// newWorld starts the token endpoint and the tenant simulator, and returns a client with tokens
// for both services carrying roles.
func newWorld(t *testing.T, world fixtures.TenantWorld, exoRoles, graphRoles []string) (*Client, *fixtures.TenantServer) {
	t.Helper()
	tokens := fixtures.NewTokenServer(t, fixtures.TokenConfig{})
	srv := fixtures.NewTenantServer(t, tokens, world)
	now := time.Now()
	issue := func(aud string, roles []string) string {
		return tokens.Issue(fixtures.TokenClaims{
			Audience: aud, TenantID: tokens.TenantID, AppID: tokens.ClientID, Roles: roles,
			IssuedAt: now, NotBefore: now.Add(-time.Minute), Expires: now.Add(time.Hour),
		}, "2")
	}
	c := &Client{
		HTTP: srv.Client(), Tenant: tokens.TenantID, AdminBase: srv.URL, GraphBase: srv.URL,
		ExchangeToken: issue(fixtures.TenantAdminAudience, exoRoles),
		GraphToken:    issue(fixtures.TenantGraphAudience, graphRoles),
		Sleep:         func(context.Context, time.Duration) error { return nil },
	}
	return c, srv
}

// TestClientAgainstSimulator sends every allow-listed cmdlet and the Graph reads to the
// simulator: each goes through the interface it should, pages are followed, and the simulator
// sees nothing but the read calls.
func TestClientAgainstSimulator(t *testing.T) {
	t.Parallel()
	c, srv := newWorld(t, fixtures.DefaultTenantWorld(time.Now()), []string{fixtures.RoleManageAsApp}, []string{fixtures.RoleApplicationReadAll})
	for _, name := range AllowedCmdlets() {
		var p Params
		if slices.Contains(allowed[name].params, "Identity") {
			p = Params{"Identity": fixtures.TenantMailbox}
		}
		objs, via, err := c.Cmdlet(t.Context(), name, p)
		if err != nil {
			t.Errorf("Cmdlet(%s) = %v", name, err)
			continue
		}
		if want := Via(name); via != want {
			t.Errorf("Cmdlet(%s) went through %s; want %s", name, via, want)
		}
		if name == "Get-InboundConnector" && len(objs) != 2 {
			t.Errorf("Get-InboundConnector returned %d connectors; want both pages' 2", len(objs))
		}
	}
	if _, err := c.Graph(t.Context(), "/v1.0/servicePrincipals/8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d/appRoleAssignments", nil); err != nil {
		t.Errorf("Graph = %v", err)
	}
	pages := 0
	for _, call := range srv.Calls() {
		switch {
		case call.Method == http.MethodPost && strings.HasPrefix(call.Path, "/adminapi/"):
			if _, ok := allowed[call.Cmdlet]; !ok {
				t.Errorf("the simulator received %s", call.Cmdlet)
			}
			if call.Cmdlet == "Get-InboundConnector" {
				pages++
			}
		case call.Method == http.MethodGet && strings.HasPrefix(call.Path, "/v1.0/"):
		default:
			t.Errorf("the simulator received %s %s", call.Method, call.Path)
		}
	}
	if pages < 2 {
		t.Errorf("Get-InboundConnector was asked %d times; want a request per page (nextLink followed)", pages)
	}
}

func TestRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name              string
		world             func(*fixtures.TenantWorld)
		exoRoles, grRoles []string
		graph             bool
		wantStatus        int
		wantThrottled     bool
	}{
		{"no app role", nil, nil, nil, false, http.StatusUnauthorized, false},
		{"no exchange role", func(w *fixtures.TenantWorld) { w.NoExchangeRole = true }, []string{fixtures.RoleManageAsApp}, nil, false, http.StatusForbidden, false},
		{"graph without Application.Read.All", nil, nil, []string{"User.Read.All"}, true, http.StatusForbidden, false},
		{"throttled beyond the retries", func(w *fixtures.TenantWorld) { w.Throttle = 100 }, []string{fixtures.RoleManageAsApp}, nil, false, http.StatusTooManyRequests, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := fixtures.DefaultTenantWorld(time.Now())
			if tc.world != nil {
				tc.world(&w)
			}
			c, _ := newWorld(t, w, tc.exoRoles, tc.grRoles)
			var err error
			if tc.graph {
				_, err = c.Graph(t.Context(), "/v1.0/applications", nil)
			} else {
				_, _, err = c.Cmdlet(t.Context(), "Get-InboundConnector", nil)
			}
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v; want an *APIError", err)
			}
			if ae.Status != tc.wantStatus || ae.Throttled != tc.wantThrottled {
				t.Errorf("status %d throttled %v; want %d %v (%v)", ae.Status, ae.Throttled, tc.wantStatus, tc.wantThrottled, ae)
			}
			if strings.Contains(ae.Error(), c.ExchangeToken) || strings.Contains(ae.Error(), c.GraphToken) {
				t.Errorf("the error shows a token: %v", ae)
			}
		})
	}
}

// TestThrottleRetried: 429s with Retry-After are retried, within MaxRetries, and the call then
// succeeds; a Retry-After beyond the deadline is not waited for.
func TestThrottleRetried(t *testing.T) {
	t.Parallel()
	w := fixtures.DefaultTenantWorld(time.Now())
	w.Throttle = MaxRetries
	c, _ := newWorld(t, w, []string{fixtures.RoleManageAsApp}, nil)
	var mu sync.Mutex
	slept := 0
	c.Sleep = func(context.Context, time.Duration) error { mu.Lock(); slept++; mu.Unlock(); return nil }
	if _, _, err := c.Cmdlet(t.Context(), "Get-TransportConfig", nil); err != nil {
		t.Fatalf("Cmdlet = %v; want success after %d retries", err, MaxRetries)
	}
	if slept != MaxRetries {
		t.Errorf("slept %d times; want %d", slept, MaxRetries)
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "20")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	t.Cleanup(srv.Close)
	c2 := &Client{HTTP: srv.Client(), Tenant: "t", AdminBase: srv.URL, GraphBase: srv.URL}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c2.Graph(ctx, "/v1.0/applications", nil)
	var ae *APIError
	if !errors.As(err, &ae) || !ae.Throttled {
		t.Errorf("err = %v; want a throttled *APIError", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %s: a Retry-After beyond the deadline must not be waited for", d)
	}
}

// TestNextLinkStaysOnHost: a nextLink to another host is refused, so the token goes nowhere else.
func TestNextLinkStaysOnHost(t *testing.T) {
	t.Parallel()
	var hits int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"value":[{"id":"1"}],"@odata.nextLink":"https://evil.example/v1.0/applications?$skiptoken=x"}`))
	}))
	t.Cleanup(srv.Close)
	c := &Client{HTTP: srv.Client(), Tenant: "t", AdminBase: srv.URL, GraphBase: srv.URL}
	objs, err := c.Graph(t.Context(), "/v1.0/applications", nil)
	var re *RefusedError
	if !errors.As(err, &re) || len(objs) != 1 || hits != 1 {
		t.Errorf("Graph = %d objects, %v after %d requests; want the first page and a *RefusedError", len(objs), err, hits)
	}
}

// TestRedirectNotFollowed: a redirect, even to another path of the same host, is an answer: the
// call is not made again anywhere newRequest did not check.
func TestRedirectNotFollowed(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.Method+" "+r.URL.Path)
		mu.Unlock()
		http.Redirect(w, r, "/adminapi/v2.0/t/SomethingElse", http.StatusPermanentRedirect)
	}))
	t.Cleanup(srv.Close)
	c := &Client{HTTP: srv.Client(), Tenant: "t", AdminBase: srv.URL, GraphBase: srv.URL, ExchangeToken: "exo-token"}
	_, _, err := c.Cmdlet(t.Context(), "Get-AcceptedDomain", nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusPermanentRedirect || !ae.notTheService() {
		t.Errorf("err = %v; want an *APIError with status 308 that is not the service's", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(paths) != 1 {
		t.Errorf("requests %q; want the one call, not followed", paths)
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    string
		try  int
		want time.Duration
	}{
		{"3", 0, 3 * time.Second},
		{"", 0, DefaultRetryAfter},
		{"", 2, 4 * DefaultRetryAfter},
		{"3600", 0, MaxRetryAfter},
		{"-1", 0, DefaultRetryAfter},
		{"soon", 1, 2 * DefaultRetryAfter},
	}
	for _, tc := range tests {
		if got := retryAfter(tc.v, tc.try); got != tc.want {
			t.Errorf("retryAfter(%q, %d) = %s; want %s", tc.v, tc.try, got, tc.want)
		}
	}
}
