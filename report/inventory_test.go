package report

import (
	"bytes"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/probe/inventory"
	"github.com/exoprobe/exoprobe/probe/tenant"
)

// goldenInventory is an inventory with a row of each kind that decides its layout: one that
// breaks, one that does not, a value from a hostile file, and the problems of a scan.
func goldenInventory() Inventory {
	return Inventory{
		Version: "0.1.0", Started: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), Duration: 42 * time.Millisecond,
		Machine: &inventory.Result{
			Paths: []string{"/var/www", "/etc/postfix"}, Defaults: true, FilesRead: 3, DirsWalked: 7,
			MaxFileSize: inventory.MaxFileSize, MaxDepth: inventory.MaxDepth, Duration: 40 * time.Millisecond,
			Rows: []inventory.Row{
				{File: "/var/www/app/.env", Line: 7, Format: inventory.FormatDotenv, Setting: "MAIL_HOST", Host: "smtp.office365.com", Port: 587,
					Cloud: "global", Endpoint: inventory.EndpointSubmission, Auth: inventory.AuthBasic, User: "app@contoso.com", PasswordAt: "line 11",
					Breaks: true, Way: inventory.WayConnector, Reason: "A connector works for any application.", Command: "exoprobe connector --domain contoso.com"},
				{File: "/etc/postfix/main.cf", Line: 4, Format: inventory.FormatPostfix, Setting: "relayhost", Host: "contoso-com.mail.protection.outlook.com", Port: 25,
					Cloud: "global", Endpoint: inventory.EndpointMX, Auth: inventory.AuthNone, Way: inventory.WayNone, Reason: "It sends to the MX.",
					Command: "exoprobe relay --host contoso-com.mail.protection.outlook.com --domain <DOMAIN> --from <FROM> --to <RECIPIENT>"},
				{File: "/var/www/x|y/.env", Line: 1, Format: inventory.FormatDotenv, Setting: "SMTP_HOST\x1b[31m", Host: "smtp.office365.com",
					Cloud: "global", Endpoint: inventory.EndpointSubmission, Auth: inventory.AuthBasic, User: "evil\u202e@contoso.com", PasswordAt: "line 2",
					Breaks: true, Way: inventory.WayConnector, Reason: "Hostile values are cleaned.", Command: "exoprobe connector --domain <DOMAIN>"},
			},
			Problems: []inventory.Problem{
				{Path: "/etc/postfix/sasl_passwd", Kind: inventory.ProblemUnreadable, Detail: "permission denied (run as an administrator or root to read it)"},
				{Path: "/var/www/dump/huge.config", Kind: inventory.ProblemTooLarge, Detail: "5242880 bytes, over the 4 MiB a configuration file is read up to: skipped"},
			},
		},
		Ticket: &Ticket{CommandLine: "exoprobe inventory", Environment: Environment{OS: "linux", Arch: "amd64", Machine: "web01"}, ExitCode: 1},
	}
}

// TestGoldenInventory pins the inventory's layout in every format, the JSON contract with it.
func TestGoldenInventory(t *testing.T) {
	inv := goldenInventory()
	for _, f := range []struct {
		name string
		out  Output
	}{{"inventory.txt", OutputText}, {"inventory.json", OutputJSON}, {"inventory.md", OutputMarkdown}, {"inventory.html", OutputHTML}} {
		t.Run(f.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Render(&b, Format{Output: f.out}, inv); err != nil {
				t.Fatal(err)
			}
			if bytes.ContainsAny(b.Bytes(), "\x1b\u202e") || bytes.Contains(b.Bytes(), []byte("<script")) {
				t.Errorf("%s holds a control or bidi character from a file", f.name)
			}
			golden(t, f.name, b.Bytes())
		})
	}
}

// goldenTenantInventory is the tenant section of an inventory with the cases that decide its
// layout: a sign-in group that breaks, one that fails already, a hostile value from the logs,
// mailboxes in each state that can use SMTP AUTH, and a read that was refused. The machine
// section is left out (--no-machine).
func goldenTenantInventory() Inventory {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 9, 30, 0, 0, time.UTC) }
	off := false
	t := &tenant.BasicAuth{
		Tenant: "contoso.onmicrosoft.com", Days: 30, Since: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC),
		SignInsRead: true, Events: 7, Duration: 30 * time.Millisecond, TenantSMTPAuthDisabled: &off, MailboxesRead: true,
		Groups: []tenant.SignInGroup{
			{Account: "scanner@contoso.com", IP: "203.0.113.7", Success: true, Count: 4, First: day(2), Last: day(28), ClientApps: []string{"Authenticated SMTP"},
				Steps: []tenant.Step{
					{Way: inventory.WayOAuth, Text: "If the software at 203.0.113.7 can sign in with OAuth: test it:",
						Command: "exoprobe submit --auth oauth --tenant contoso.onmicrosoft.com --client-id <APP-ID> --user scanner@contoso.com --from scanner@contoso.com --to <RECIPIENT>"},
					{Way: inventory.WayConnector, Text: "A device that cannot relays through a connector:", Command: "exoprobe connector --domain contoso.com --public-ip 203.0.113.7"},
				}},
			{Account: "evil\u202e@contoso.com", IP: "198.51.100.9\x1b[31m", Success: true, Count: 1, First: day(3), Last: day(3),
				Steps: []tenant.Step{{Way: inventory.WayDirect, Text: "Hostile values are cleaned.", Command: "exoprobe direct --domain <DOMAIN> --from <MAILBOX> --to <MAILBOX@DOMAIN>"}}},
			{Account: "app@contoso.com", IP: "192.0.2.50", Count: 2, First: day(20), Last: day(21), ErrorCodes: []int{50126},
				Reasons: []string{"Error validating credentials due to invalid username or password."}, ClientApps: []string{"SMTP"},
				Steps: []tenant.Step{{Way: inventory.WayOAuth, Text: "Sign in with an app:", Command: "exoprobe submit --auth oauth --tenant contoso.onmicrosoft.com --client-id <APP-ID> --user app@contoso.com --from app@contoso.com --to <RECIPIENT>"}}},
		},
		Mailboxes: []tenant.Mailbox{
			{Address: "printer@contoso.com", State: tenant.StateInheritsEnabled, Step: tenant.Step{Way: inventory.WayTurnOff, Text: "It inherits the tenant's SMTP AUTH:",
				Command: "Set-CASMailbox -Identity 'printer@contoso.com' -SmtpClientAuthenticationDisabled $true"}},
			{Address: "scanner@contoso.com", Setting: &off, State: tenant.StateEnabled, SignIns: 4, IPs: []string{"203.0.113.7"},
				Step: tenant.Step{Way: inventory.WayTurnOff, Text: "Move the scanner first, then:", Command: "Set-CASMailbox -Identity 'scanner@contoso.com' -SmtpClientAuthenticationDisabled $true"}},
		},
		Counts: tenant.MailboxCounts{Total: 4, Enabled: 1, InheritsEnabled: 1, Disabled: 2},
		TenantStep: &tenant.Step{Way: inventory.WayTurnOff, Text: "SMTP AUTH is on for the tenant: turn it off:",
			Command: "Set-TransportConfig -SmtpClientAuthenticationDisabled $true"},
		Notes: []tenant.Note{{Kind: tenant.NoteThrottled, Source: "mailboxes", Message: "Exchange Online kept throttling Get-CASMailbox"}},
		Calls: []map[string]string{{"call": "/v1.0/auditLogs/signIns", "interface": "graph"},
			{"call": "Get-CASMailbox", "interface": "invokecommand-undocumented"}},
	}
	return Inventory{
		Version: "0.1.0", Started: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), Duration: 42 * time.Millisecond, Tenant: t,
		Ticket: &Ticket{CommandLine: "exoprobe inventory --tenant contoso.onmicrosoft.com --client-id 0b7c --no-machine",
			Environment: Environment{OS: "linux", Arch: "amd64", Machine: "web01"}, ExitCode: 1},
	}
}

// TestGoldenTenantInventory pins the tenant section's layout in every format, its JSON with it,
// alone and beside the machine's.
func TestGoldenTenantInventory(t *testing.T) {
	both := goldenTenantInventory()
	both.Machine = goldenInventory().Machine
	for _, c := range []struct {
		name string
		inv  Inventory
	}{{"inventory-tenant", goldenTenantInventory()}, {"inventory-both", both}} {
		for _, f := range []struct {
			ext string
			out Output
		}{{"txt", OutputText}, {"json", OutputJSON}, {"md", OutputMarkdown}, {"html", OutputHTML}} {
			name := c.name + "." + f.ext
			t.Run(name, func(t *testing.T) {
				var b bytes.Buffer
				if err := Render(&b, Format{Output: f.out}, c.inv); err != nil {
					t.Fatal(err)
				}
				if bytes.ContainsAny(b.Bytes(), "\x1b\u202e") || bytes.Contains(b.Bytes(), []byte("<script")) {
					t.Errorf("%s holds a control or bidi character from the logs", name)
				}
				golden(t, name, b.Bytes())
			})
		}
	}
}

// TestTenantRead checks the closing line's account of what was read: a source that did not
// answer is not said to have been read.
func TestTenantRead(t *testing.T) {
	since := time.Date(2026, 11, 7, 6, 0, 0, 0, time.UTC)
	tests := []struct {
		name            string
		signIns, mboxes bool
		want            string
	}{
		{"both", true, true, "the sign-in logs since 2026-11-07T06:00:00Z (30 days) and the mailboxes"},
		{"no sign-in logs (no P1)", false, true, "the mailboxes"},
		{"no mailboxes", true, false, "the sign-in logs since 2026-11-07T06:00:00Z (30 days)"},
		{"nothing", false, false, "nothing could be read (see above)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tenantRead(&tenant.BasicAuth{Days: 30, Since: since, SignInsRead: tt.signIns, MailboxesRead: tt.mboxes})
			if got != tt.want {
				t.Errorf("tenantRead = %q; want %q", got, tt.want)
			}
		})
	}
}
