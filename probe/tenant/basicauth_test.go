package tenant

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
)

func TestMailboxState(t *testing.T) {
	t.Parallel()
	on, off := true, false
	tests := []struct {
		name            string
		mailbox, tenant *bool
		want            SMTPAuthState
		canUse          bool
	}{
		{"explicitly enabled, tenant off", &off, &on, StateEnabled, true},
		{"explicitly enabled, tenant on", &off, &off, StateEnabled, true},
		{"explicitly disabled, tenant on", &on, &off, StateDisabled, false},
		{"explicitly disabled, tenant unread", &on, nil, StateDisabled, false},
		{"inherits an enabled tenant", nil, &off, StateInheritsEnabled, true},
		{"inherits a disabled tenant", nil, &on, StateInheritsDisabled, false},
		{"inherits an unread tenant", nil, nil, StateInheritsUnknown, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := MailboxState(tc.mailbox, tc.tenant)
			if got != tc.want || got.CanUse() != tc.canUse {
				t.Errorf("got %s (can use %v); want %s (%v)", got, got.CanUse(), tc.want, tc.canUse)
			}
		})
	}
}

func TestGroupSignIns(t *testing.T) {
	t.Parallel()
	at := func(d int) time.Time { return time.Date(2026, 11, d, 8, 0, 0, 0, time.UTC) }
	ok := func(d int, user, ip string) SignIn {
		return SignIn{Time: at(d), Account: user, IP: ip, ClientApp: "Authenticated SMTP"}
	}
	bad := func(d int, user, ip string, code int, reason string) SignIn {
		s := ok(d, user, ip)
		s.ErrorCode, s.FailureReason = code, reason
		return s
	}
	type group struct {
		account, ip string
		success     bool
		count       int
		first, last int
		codes       []int
	}
	tests := []struct {
		name string
		in   []SignIn
		want []group
	}{
		{"none", nil, nil},
		{"one device, newest first as Graph gives them", []SignIn{ok(9, "a@x", "1.1.1.1"), ok(3, "a@x", "1.1.1.1"), ok(5, "a@x", "1.1.1.1")},
			[]group{{"a@x", "1.1.1.1", true, 3, 3, 9, nil}}},
		{"one account, two IPs", []SignIn{ok(2, "a@x", "1.1.1.1"), ok(3, "a@x", "2.2.2.2")},
			[]group{{"a@x", "1.1.1.1", true, 1, 2, 2, nil}, {"a@x", "2.2.2.2", true, 1, 3, 3, nil}}},
		{"success and failure apart, failures after", []SignIn{
			bad(4, "a@x", "1.1.1.1", 50126, "bad password"), ok(5, "a@x", "1.1.1.1"), bad(6, "a@x", "1.1.1.1", 50053, "locked"),
			bad(7, "a@x", "1.1.1.1", 50126, "bad password")},
			[]group{{"a@x", "1.1.1.1", true, 1, 5, 5, nil}, {"a@x", "1.1.1.1", false, 3, 4, 7, []int{50053, 50126}}}},
		{"accounts sorted", []SignIn{ok(1, "z@x", "1.1.1.1"), ok(1, "b@x", "1.1.1.1")},
			[]group{{"b@x", "1.1.1.1", true, 1, 1, 1, nil}, {"z@x", "1.1.1.1", true, 1, 1, 1, nil}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := GroupSignIns(tc.in)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d groups; want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Account != w.account || g.IP != w.ip || g.Success != w.success || g.Count != w.count ||
					!g.First.Equal(at(w.first)) || !g.Last.Equal(at(w.last)) || !slices.Equal(g.ErrorCodes, w.codes) {
					t.Errorf("group %d: got %s %s %v %d %s..%s %v; want %+v", i, g.Account, g.IP, g.Success, g.Count,
						day(g.First), day(g.Last), g.ErrorCodes, w)
				}
			}
		})
	}
}

func day(t time.Time) string { return t.Format("01-02") }

func TestParseSignIn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		raw  string
		ok   bool
		want SignIn
	}{
		{"success", `{"createdDateTime":"2026-11-20T08:01:02.1234567Z","userPrincipalName":"Scanner@Contoso.com","ipAddress":"203.0.113.7","clientAppUsed":"Authenticated SMTP","status":{"errorCode":0,"failureReason":null}}`,
			true, SignIn{Time: time.Date(2026, 11, 20, 8, 1, 2, 123456700, time.UTC), Account: "scanner@contoso.com", IP: "203.0.113.7", ClientApp: "Authenticated SMTP"}},
		{"failure, the other literal", `{"createdDateTime":"2026-11-20T08:01:02Z","userPrincipalName":"a@x","ipAddress":"2001:db8::1","clientAppUsed":"SMTP","status":{"errorCode":50126,"failureReason":"Invalid\nusername"}}`,
			true, SignIn{Time: time.Date(2026, 11, 20, 8, 1, 2, 0, time.UTC), Account: "a@x", IP: "2001:db8::1", ClientApp: "SMTP", ErrorCode: 50126, FailureReason: "Invalid username"}},
		{"not SMTP: held out even when the filter let it through", `{"createdDateTime":"2026-11-20T08:01:02Z","clientAppUsed":"Browser"}`, false, SignIn{}},
		{"no time", `{"userPrincipalName":"a@x","clientAppUsed":"SMTP"}`, false, SignIn{}},
		{"not an object", `[1,2]`, false, SignIn{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := ParseSignIn([]byte(tc.raw))
			if ok != tc.ok || ok && (!got.Time.Equal(tc.want.Time) || got.Account != tc.want.Account || got.IP != tc.want.IP ||
				got.ClientApp != tc.want.ClientApp || got.ErrorCode != tc.want.ErrorCode || got.FailureReason != tc.want.FailureReason) {
				t.Errorf("got %+v, %v; want %+v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

// FuzzParseSignIn: any object from the logs parses or is held out, and what parses groups with
// counts that add up and texts that are one printable line.
func FuzzParseSignIn(f *testing.F) {
	f.Add([]byte(`{"createdDateTime":"2026-11-20T08:01:02Z","userPrincipalName":"a@x","ipAddress":"1.2.3.4","clientAppUsed":"SMTP","status":{"errorCode":0}}`))
	f.Add([]byte(`{"createdDateTime":"2026-11-20T08:01:02Z","userPrincipalName":"a\u202e\u0000@x","clientAppUsed":"authenticated smtp","status":{"errorCode":-1,"failureReason":"\r\n"}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, ok := ParseSignIn(raw)
		if !ok {
			return
		}
		for _, v := range []string{s.Account, s.IP, s.ClientApp, s.FailureReason} {
			if strings.ContainsAny(v, "\r\n\x00\x1b") {
				t.Errorf("a text holds a control character: %q", v)
			}
		}
		groups := GroupSignIns([]SignIn{s, s})
		if len(groups) != 1 || groups[0].Count != 2 {
			t.Errorf("two of one sign-in grouped as %+v", groups)
		}
		for _, st := range groupSteps(groups[0], "contoso.com") {
			if strings.ContainsAny(st.Command, "\"'`$;|&\r\n") {
				t.Errorf("a command holds a value a shell would read: %q", st.Command)
			}
		}
	})
}

func TestSignInQuery(t *testing.T) {
	t.Parallel()
	q := SignInQuery(time.Date(2026, 11, 7, 5, 0, 0, 0, time.FixedZone("CET", 3600)))
	want := "createdDateTime ge 2026-11-07T04:00:00Z and (clientAppUsed eq 'Authenticated SMTP' or clientAppUsed eq 'SMTP')"
	if got := q.Get("$filter"); got != want {
		t.Errorf("$filter = %q; want %q", got, want)
	}
	for _, f := range []string{"createdDateTime", "userPrincipalName", "ipAddress", "clientAppUsed", "status"} {
		if !strings.Contains(q.Get("$select"), f) {
			t.Errorf("$select %q lacks %s", q.Get("$select"), f)
		}
	}
	if q.Get("$top") != "1000" {
		t.Errorf("$top = %q; want 1000", q.Get("$top"))
	}
}

// TestGroupSteps: a group's ways forward are filled in with its values, and a value that is not
// plain stays a placeholder.
func TestGroupSteps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		g        SignInGroup
		tenant   string
		commands []string
	}{
		{"IPv4", SignInGroup{Account: "scanner@contoso.com", IP: "203.0.113.7", Success: true}, "contoso.onmicrosoft.com", []string{
			"exoprobe submit --auth oauth --tenant contoso.onmicrosoft.com --client-id <APP-ID> --user scanner@contoso.com --from scanner@contoso.com --to <RECIPIENT>",
			"exoprobe connector --domain contoso.com --public-ip 203.0.113.7",
			"exoprobe direct --domain contoso.com --from scanner@contoso.com --to <MAILBOX@contoso.com>"}},
		{"IPv6: no connector command", SignInGroup{Account: "a@contoso.com", IP: "2001:db8::7"}, "t", []string{
			"exoprobe submit --auth oauth --tenant t --client-id <APP-ID> --user a@contoso.com --from a@contoso.com --to <RECIPIENT>", "",
			"exoprobe direct --domain contoso.com --from a@contoso.com --to <MAILBOX@contoso.com>"}},
		{"hostile values", SignInGroup{Account: "a@x;rm -rf", IP: "1.2.3.4 ; x"}, "t$(x)", []string{
			"exoprobe submit --auth oauth --tenant <TENANT> --client-id <APP-ID> --user <MAILBOX> --from <MAILBOX> --to <RECIPIENT>",
			"exoprobe direct --domain <DOMAIN> --from <MAILBOX> --to <MAILBOX>"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, s := range groupSteps(tc.g, tc.tenant) {
				got = append(got, s.Command)
			}
			if !slices.Equal(got, tc.commands) {
				t.Errorf("commands\n%q\nwant\n%q", got, tc.commands)
			}
		})
	}
}

// TestReadBasicAuth reads the inventory's tenant from the simulator: the sign-ins paged and
// grouped, the mailboxes by the tri-state, and each refusal as its own note while the other
// half still runs.
func TestReadBasicAuth(t *testing.T) {
	t.Parallel()
	graphRoles := []string{fixtures.RoleApplicationReadAll, fixtures.RoleAuditLogReadAll}
	tests := []struct {
		name                 string
		world                func(*fixtures.TenantWorld)
		graph                []string
		groups, mailboxes    int
		kinds                []NoteKind
		signInsRead, mbxRead bool
	}{
		{"ok", nil, graphRoles, 3, 4, nil, true, true},
		{"no P1", func(w *fixtures.TenantWorld) { w.NoP1 = true }, graphRoles, 0, 4, []NoteKind{NoteNoPremium}, false, true},
		{"no AuditLog.Read.All", nil, []string{fixtures.RoleApplicationReadAll}, 0, 4, []NoteKind{NotePermission}, false, true},
		{"no Exchange role", func(w *fixtures.TenantWorld) { w.NoExchangeRole = true }, graphRoles, 3, 0, []NoteKind{NotePermission}, true, false},
		{"throttled beyond the retries", func(w *fixtures.TenantWorld) { w.Throttle = 100 }, graphRoles, 0, 0, []NoteKind{NoteThrottled, NoteThrottled}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := fixtures.DefaultTenantWorld(time.Now())
			fixtures.InventoryWorld(&w)
			if tc.world != nil {
				tc.world(&w)
			}
			c, srv := newWorld(t, w, []string{fixtures.RoleManageAsApp}, tc.graph)
			b := ReadBasicAuth(t.Context(), Clients{Graph: c, Exchange: c}, BasicAuthInputs{Tenant: "contoso.onmicrosoft.com", Days: 30}, nil)
			var kinds []NoteKind
			for _, n := range b.Notes {
				kinds = append(kinds, n.Kind)
			}
			if len(b.Groups) != tc.groups || len(b.Mailboxes) != tc.mailboxes || !slices.Equal(kinds, tc.kinds) ||
				b.SignInsRead != tc.signInsRead || b.MailboxesRead != tc.mbxRead {
				t.Errorf("groups %d mailboxes %d notes %v read %v/%v; want %d %d %v %v/%v\n%+v", len(b.Groups), len(b.Mailboxes), kinds,
					b.SignInsRead, b.MailboxesRead, tc.groups, tc.mailboxes, tc.kinds, tc.signInsRead, tc.mbxRead, b.Notes)
			}
			for _, n := range b.Notes {
				if n.Kind == NotePermission && n.Source == "sign-ins" && !strings.Contains(n.Message, "AuditLog.Read.All") {
					t.Errorf("the permission note does not name AuditLog.Read.All: %s", n.Message)
				}
				if n.Kind == NoteNoPremium && !strings.Contains(n.Message, "Entra ID P1") {
					t.Errorf("the no-P1 note does not name the licence: %s", n.Message)
				}
			}
			if tc.name != "ok" {
				return
			}
			if b.Events != 8 || b.Breaking() != 2 || b.Status() != "warn" {
				t.Errorf("events %d breaking %d status %s; want 8 (the browser and the old sign-in left out), 2, warn", b.Events, b.Breaking(), b.Status())
			}
			if c := b.Counts; c != (MailboxCounts{Total: 5, Enabled: 1, InheritsEnabled: 3, Disabled: 1}) {
				t.Errorf("counts %+v", c)
			}
			pages := 0
			for _, call := range srv.Calls() {
				if call.Path == signInPath {
					pages++
				}
			}
			if pages < 2 {
				t.Errorf("the sign-ins were asked %d times; want a request per page", pages)
			}
			if got := fmt.Sprint(b.Mailboxes[3].Address, b.Mailboxes[3].State, b.Mailboxes[3].SignIns); got != "scanner@contoso.comenabled3" {
				t.Errorf("scanner mailbox: %s", got)
			}
		})
	}
}

// TestReadBasicAuthTruncated: a sign-in log with more pages than the client follows keeps the
// sign-ins read and says it was cut.
func TestReadBasicAuthTruncated(t *testing.T) {
	t.Parallel()
	w := fixtures.DefaultTenantWorld(time.Now())
	fixtures.InventoryWorld(&w)
	for i := range MaxPages + 5 {
		w.SignIns = append(w.SignIns, fixtures.TenantSignIn{When: time.Now().Add(-time.Duration(i) * time.Minute), User: "bulk@contoso.com",
			IP: "203.0.113.9", ClientApp: "SMTP"})
	}
	c, _ := newWorld(t, w, []string{fixtures.RoleManageAsApp}, []string{fixtures.RoleAuditLogReadAll})
	b := ReadBasicAuth(t.Context(), Clients{Graph: c, Exchange: c}, BasicAuthInputs{Tenant: "t", Days: 30}, nil)
	if !b.SignInsRead || b.Events != MaxPages || len(b.Notes) != 1 || b.Notes[0].Kind != NoteTruncated {
		t.Errorf("read %v events %d notes %+v; want the %d read and a truncated note", b.SignInsRead, b.Events, b.Notes, MaxPages)
	}
}

// TestSignInNote: each way the sign-in read can fail is its own note, naming what is missing.
func TestSignInNote(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		read int
		kind NoteKind
		says string
	}{
		{"no P1", &APIError{Interface: Graph, Status: 403, Code: NoPremiumCode, Message: "Neither tenant is B2C or tenant doesn't have premium license"}, 0, NoteNoPremium, "Entra ID P1"},
		{"403", &APIError{Interface: Graph, Status: 403, Code: "Authorization_RequestDenied"}, 0, NotePermission, "AuditLog.Read.All"},
		{"401", &APIError{Interface: Graph, Status: 401, Code: "InvalidAuthenticationToken"}, 0, NotePermission, "Directory.Read.All"},
		{"throttled", &APIError{Interface: Graph, Status: 429, Throttled: true}, 3, NoteThrottled, "the 3 sign-ins read before are shown"},
		{"too many pages", &APIError{Interface: Graph, Err: fmt.Errorf("%w (50)", ErrTooManyPages)}, 50000, NoteTruncated, "fewer --days"},
		{"deadline", &APIError{Interface: Graph, Err: context.DeadlineExceeded}, 0, NoteTruncated, "--timeout"},
		{"interrupted", &APIError{Interface: Graph, Err: context.Canceled}, 0, NoteTruncated, "interrupted"},
		{"500", &APIError{Interface: Graph, Status: 500, Code: "UnknownError"}, 0, NoteFailed, "HTTP 500"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			n := signInNote(tc.err, tc.read)
			if n.Kind != tc.kind || n.Source != "sign-ins" || !strings.Contains(n.Message, tc.says) {
				t.Errorf("got %s %s %q; want %s saying %q", n.Source, n.Kind, n.Message, tc.kind, tc.says)
			}
		})
	}
}

// TestReadBasicAuthDeadline: a read whose time has run out ends at once, each half with its
// note, and returns what it has (nothing) rather than an error.
func TestReadBasicAuthDeadline(t *testing.T) {
	t.Parallel()
	w := fixtures.DefaultTenantWorld(time.Now())
	fixtures.InventoryWorld(&w)
	c, _ := newWorld(t, w, []string{fixtures.RoleManageAsApp}, []string{fixtures.RoleAuditLogReadAll})
	ctx, cancel := context.WithTimeout(t.Context(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	start := time.Now()
	b := ReadBasicAuth(ctx, Clients{Graph: c, Exchange: c}, BasicAuthInputs{Tenant: "t"}, nil)
	if time.Since(start) > 5*time.Second {
		t.Errorf("took %s after the deadline", time.Since(start))
	}
	if b.SignInsRead || b.MailboxesRead || len(b.Notes) == 0 || b.Notes[0].Kind != NoteTruncated || b.Status() != "warn" {
		t.Errorf("read %v/%v notes %+v status %s; want nothing read, a truncated note first, warn", b.SignInsRead, b.MailboxesRead, b.Notes, b.Status())
	}
}
