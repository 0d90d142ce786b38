package report

import (
	"bytes"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/probe/inventory"
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
