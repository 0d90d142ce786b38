package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/probe/inventory"
	"github.com/exoprobe/exoprobe/probe/tenant"
)

// TestGoldenInventoryMonitoring pins the inventory's plugin output and metrics: the machine
// alone, the tenant alone (with a read that was cut short), and both.
func TestGoldenInventoryMonitoring(t *testing.T) {
	both := goldenTenantInventory()
	both.Machine = goldenInventory().Machine
	for _, c := range []struct {
		name string
		inv  Inventory
	}{{"inventory", goldenInventory()}, {"inventory-tenant", goldenTenantInventory()}, {"inventory-both", both}} {
		t.Run(c.name, func(t *testing.T) {
			out := renderNagios(t, c.inv, NagiosOptions{})
			if strings.ContainsAny(out, "\x1b\u202e") {
				t.Errorf("the plugin output holds a control or bidi character from a file or the logs:\n%s", out)
			}
			for i, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				if i > 0 && strings.Contains(l, "|") {
					t.Errorf("a long-output line holds '|': %q", l)
				}
			}
			golden(t, c.name+".nagios.txt", []byte(out))
			var b bytes.Buffer
			if err := Render(&b, Format{Output: OutputPrometheus}, c.inv); err != nil {
				t.Fatalf("Render(prometheus): %v", err)
			}
			parseProm(t, b.String())
			golden(t, c.name+".prom", b.Bytes())
		})
	}
}

// TestInventoryNagiosState: WARNING when something breaks or a source was not read whole, OK
// otherwise, never CRITICAL, UNKNOWN when interrupted; the performance data of a read that did
// not answer is left out, not written as 0.
func TestInventoryNagiosState(t *testing.T) {
	clean := func() *inventory.Result { return &inventory.Result{Paths: []string{"/etc"}, FilesRead: 4} }
	tests := []struct {
		name     string
		inv      Inventory
		first    string // how the first line starts
		perf     []string
		withoutP []string
	}{
		{"nothing found", Inventory{Machine: clean()}, "EXOPROBE INVENTORY OK - nothing found that breaks", []string{"'breaking_rows'=0;0;;0", "'files_read'=4;;;0"}, []string{"'signins'"}},
		{"a scan that did not end", Inventory{Machine: func() *inventory.Result { r := clean(); r.Incomplete = true; return r }()},
			"EXOPROBE INVENTORY WARNING - nothing found that breaks, but the scan of this machine did not end", []string{"'breaking_rows'=0;0;;0"}, nil},
		{"no sign-in logs (no P1)", Inventory{Tenant: &tenant.BasicAuth{Tenant: "contoso.com", MailboxesRead: true,
			Mailboxes: []tenant.Mailbox{{Address: "a@contoso.com", State: tenant.StateEnabled}},
			Notes:     []tenant.Note{{Kind: tenant.NoteNoPremium, Source: "sign-ins", Message: "no P1"}}}},
			"EXOPROBE INVENTORY WARNING - nothing found that breaks, but the tenant was not read whole (sign-in logs: no-premium-licence); 1 mailbox can still use SMTP AUTH",
			[]string{"'mailboxes_smtp_auth'=1;;;0"}, []string{"'signins'", "'signin_groups_breaking'", "'breaking_rows'"}},
		{"interrupted", Inventory{Machine: clean(), Interrupted: true}, "EXOPROBE INVENTORY UNKNOWN - interrupted", nil, nil},
		{"something breaks, never critical", goldenTenantInventory(),
			"EXOPROBE INVENTORY WARNING - 2 devices or applications signing in with basic SMTP AUTH will stop sending", []string{"'signin_groups_breaking'=2;0;;0", "'signins'=7;;;0"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := renderNagios(t, tt.inv, NagiosOptions{})
			first, _, _ := strings.Cut(out, "\n")
			if !strings.HasPrefix(first, tt.first) {
				t.Errorf("first line %q; want it to start %q", first, tt.first)
			}
			for _, p := range tt.perf {
				if !strings.Contains(first, " "+p) {
					t.Errorf("first line %q; want %s", first, p)
				}
			}
			for _, p := range tt.withoutP {
				if strings.Contains(first, p) {
					t.Errorf("first line %q has %s; want it left out", first, p)
				}
			}
		})
	}
}

// TestInventoryNagiosRowsBounded: a scan that finds many rows lists the first ones and says how
// many more there are, so that the engine keeps the whole plugin output.
func TestInventoryNagiosRowsBounded(t *testing.T) {
	m := &inventory.Result{Paths: []string{"/var/www"}}
	for i := range 100 {
		m.Rows = append(m.Rows, inventory.Row{File: fmt.Sprintf("/var/www/site%d/.env", i), Line: 1, Setting: "MAIL_HOST", Host: "smtp.office365.com", Port: 587,
			Endpoint: inventory.EndpointSubmission, Auth: inventory.AuthBasic, Breaks: true, Way: inventory.WayOAuth})
	}
	out := renderNagios(t, Inventory{Machine: m}, NagiosOptions{})
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if got, want := len(lines), 1+nagiosInventoryRows+1; got != want {
		t.Errorf("%d lines; want %d (the first, %d rows and the rest counted)", got, want, nagiosInventoryRows)
	}
	if last := lines[len(lines)-1]; last != "MORE 75 more rows: the text or JSON report lists them all" {
		t.Errorf("last line %q", last)
	}
	if !strings.Contains(lines[0], "'breaking_rows'=100;0;;0") {
		t.Errorf("first line %q; want all 100 counted", lines[0])
	}
}
