package report

import (
	"fmt"
	"io"
	"time"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/tenant"
)

// The JSON contract of `exoprobe inventory -o json`, in the style of json.go: every key pinned
// here, in its order, snake_case, durations as _ms integers, every list [] and never null. The
// report has a section per source of what still signs in with a password: "machine" (the
// configuration files on this machine; null with --no-machine) and "tenant" (the tenant's
// basic-auth SMTP sign-ins and the mailboxes that can still use SMTP AUTH; null without
// --tenant). A row never holds a password: password_at says where one is kept. Change it only
// on purpose, with the golden files.
type (
	jsonInventory struct {
		SchemaVersion int              `json:"schema_version"`
		Tool          string           `json:"tool"`
		Version       string           `json:"version"`
		Mode          string           `json:"mode"` // "inventory"
		CommandLine   string           `json:"command_line,omitempty"`
		Started       string           `json:"started"`
		DurationMS    int64            `json:"duration_ms"`
		Environment   *jsonEnvironment `json:"environment,omitempty"`
		// Verdict is warn when a row breaks when basic authentication is turned off, or a
		// source could not be read to its end; pass otherwise.
		Verdict  string                `json:"verdict"`
		ExitCode *int                  `json:"exit_code,omitempty"`
		Machine  *jsonInventoryMachine `json:"machine"`
		Tenant   *jsonInventoryTenant  `json:"tenant"`
	}
	// jsonInventoryTenant is what the tenant's reads found. Status is warn when a sign-in group
	// succeeds (it breaks) or a read was not whole (findings say why).
	jsonInventoryTenant struct {
		Status     string              `json:"status"`
		Summary    string              `json:"summary"`
		Tenant     string              `json:"tenant"`
		Days       int                 `json:"days"`
		Since      string              `json:"since"`
		DurationMS int64               `json:"duration_ms"`
		Breaking   int                 `json:"breaking"`
		SignIns    jsonTenantSignIns   `json:"sign_ins"`
		SMTPAuth   jsonTenantSMTPAuth  `json:"smtp_auth"`
		Findings   []jsonTenantFinding `json:"findings"`
		Calls      []jsonTenantCall    `json:"calls"`
	}
	// jsonTenantSignIns are the basic-auth SMTP sign-ins of the window: read is false when the
	// logs did not answer (a finding says why), events counts those read.
	jsonTenantSignIns struct {
		Read   bool              `json:"read"`
		Events int               `json:"events"`
		Groups []jsonSignInGroup `json:"groups"`
	}
	// jsonSignInGroup is the sign-ins of one account from one client IP with one outcome
	// ("success" or "failure"); error_codes are the failures' status.errorCode values.
	jsonSignInGroup struct {
		Account    string        `json:"account"`
		IP         string        `json:"ip"`
		Result     string        `json:"result"`
		Count      int           `json:"count"`
		FirstSeen  string        `json:"first_seen"`
		LastSeen   string        `json:"last_seen"`
		ErrorCodes []int         `json:"error_codes"`
		Failures   []string      `json:"failure_reasons"`
		ClientApps []string      `json:"client_apps"`
		Breaks     bool          `json:"breaks"`
		Way        string        `json:"way"` // the first step's
		Reason     string        `json:"reason"`
		Steps      []jsonStepInv `json:"steps"`
	}
	// jsonStepInv is one way forward: the way, what to do, the command ("" when none).
	jsonStepInv struct {
		Way     string `json:"way"` // oauth, connector, direct-send, turn-off
		Text    string `json:"text"`
		Command string `json:"command"`
	}
	// jsonTenantSMTPAuth is the tenant's SMTP AUTH setting (null when not read) and the
	// mailboxes: read is false when Get-CASMailbox did not answer; counts count every mailbox
	// by state; mailboxes lists those that can still use SMTP AUTH.
	jsonTenantSMTPAuth struct {
		TenantDisabled *bool               `json:"tenant_smtp_client_authentication_disabled"`
		Read           bool                `json:"read"`
		Counts         jsonMailboxCounts   `json:"counts"`
		Mailboxes      []jsonTenantMailbox `json:"mailboxes"`
		// TenantStep turns SMTP AUTH off for the tenant; null when it is off or unread.
		TenantStep *jsonStepInv `json:"tenant_step"`
	}
	jsonMailboxCounts struct {
		Total            int `json:"total"`
		Enabled          int `json:"enabled"`
		InheritsEnabled  int `json:"inherits_enabled"`
		InheritsUnknown  int `json:"inherits_unknown"`
		Disabled         int `json:"disabled"`
		InheritsDisabled int `json:"inherits_disabled"`
	}
	// jsonTenantMailbox is a mailbox that can still use SMTP AUTH: its own setting (null is
	// $null, inheriting the tenant's), its state, its successful basic sign-ins in the window.
	jsonTenantMailbox struct {
		Address string   `json:"address"`
		Setting *bool    `json:"smtp_client_authentication_disabled"`
		State   string   `json:"state"` // enabled, inherits-enabled, inherits-unknown
		SignIns int      `json:"basic_sign_ins"`
		IPs     []string `json:"ips"`
		Way     string   `json:"way"`
		Reason  string   `json:"reason"`
		Command string   `json:"command"`
	}
	// jsonTenantFinding is a read that was refused, failed or stopped early: kind is
	// no-premium-licence, permission-missing, no-token, throttled, truncated or read-failed;
	// source is sign-ins or mailboxes.
	jsonTenantFinding struct {
		Kind    string `json:"kind"`
		Source  string `json:"source"`
		Message string `json:"message"`
	}
	// jsonTenantCall is one read made: a cmdlet or a Graph path, and the interface it went
	// through (graph, admin-api-v2.0, invokecommand-undocumented).
	jsonTenantCall struct {
		Call      string `json:"call"`
		Interface string `json:"interface"`
	}
	// jsonInventoryMachine is what the scan of this machine's configuration files found.
	jsonInventoryMachine struct {
		Status          string             `json:"status"`
		Summary         string             `json:"summary"`
		Paths           []string           `json:"paths"`
		DefaultPaths    bool               `json:"default_paths"` // the usual places of the OS, not --path
		FilesRead       int                `json:"files_read"`
		DirsWalked      int                `json:"directories_walked"`
		MaxFileBytes    int64              `json:"max_file_bytes"`
		MaxDepth        int                `json:"max_depth"`
		Incomplete      bool               `json:"incomplete"` // --timeout ended the scan
		DurationMS      int64              `json:"duration_ms"`
		Breaking        int                `json:"breaking"`
		Rows            []jsonInventoryRow `json:"rows"`
		Problems        []jsonProblem      `json:"problems"`
		ProblemsLeftOut int                `json:"problems_left_out"`
	}
	// jsonInventoryRow is one configuration that sends through Microsoft 365. port is 0 when
	// neither the file nor the product says; user "" when none is named; password_at "" when
	// no password goes with it; command "" when exoprobe has none for the way forward.
	jsonInventoryRow struct {
		File       string `json:"file"`
		Line       int    `json:"line"`
		Format     string `json:"format"`
		Setting    string `json:"setting"`
		Host       string `json:"host"`
		Port       int    `json:"port"`
		Cloud      string `json:"cloud"`
		Endpoint   string `json:"endpoint"` // submission, legacy-tls, hve, mx
		Auth       string `json:"auth"`     // basic, oauth, windows, none
		User       string `json:"user"`
		PasswordAt string `json:"password_at"`
		Breaks     bool   `json:"breaks"`
		Way        string `json:"way"` // oauth, connector, direct-send, hve, none
		Reason     string `json:"reason"`
		Command    string `json:"command"`
	}
	// jsonProblem is a file or directory not read whole: kind is unreadable, too-large,
	// too-deep, symlink-loop, malformed, encrypted or timeout.
	jsonProblem struct {
		Path   string `json:"path"`
		Kind   string `json:"kind"`
		Detail string `json:"detail"`
	}
)

// renderJSON writes the inventory as its contract.
func (inv Inventory) renderJSON(w io.Writer) error {
	m := inv.Machine
	if m == nil && inv.Tenant == nil {
		return fmt.Errorf("report: no inventory to render")
	}
	out := jsonInventory{
		SchemaVersion: probe.SchemaVersion, Tool: "exoprobe", Version: inv.Version, Mode: ModeInventory,
		Started: inv.Started.UTC().Format(time.RFC3339), DurationMS: inv.Duration.Milliseconds(),
		Verdict: string(inv.Verdict()),
		Tenant:  jsonTenantOf(inv.Tenant),
	}
	if t := inv.Ticket; t != nil {
		out.CommandLine = t.CommandLine
		out.Environment = toJSONEnvironment(t.Environment)
		code := t.ExitCode
		out.ExitCode = &code
	}
	if m == nil {
		return encode(w, out)
	}
	out.Machine = &jsonInventoryMachine{
		Status: string(m.Status()), Summary: machineSummary(m), Paths: stringsOf(m.Paths), DefaultPaths: m.Defaults,
		FilesRead: m.FilesRead, DirsWalked: m.DirsWalked, MaxFileBytes: m.MaxFileSize, MaxDepth: m.MaxDepth,
		Incomplete: m.Incomplete, DurationMS: m.Duration.Milliseconds(), Breaking: m.Breaking(),
		Rows: make([]jsonInventoryRow, 0, len(m.Rows)), Problems: make([]jsonProblem, 0, len(m.Problems)),
		ProblemsLeftOut: m.ProblemsLeftOut,
	}
	for _, r := range m.Rows {
		out.Machine.Rows = append(out.Machine.Rows, jsonInventoryRow{
			File: r.File, Line: r.Line, Format: string(r.Format), Setting: r.Setting, Host: r.Host, Port: r.Port,
			Cloud: r.Cloud, Endpoint: string(r.Endpoint), Auth: string(r.Auth), User: r.User, PasswordAt: r.PasswordAt,
			Breaks: r.Breaks, Way: string(r.Way), Reason: r.Reason, Command: r.Command,
		})
	}
	for _, p := range m.Problems {
		out.Machine.Problems = append(out.Machine.Problems, jsonProblem{Path: p.Path, Kind: string(p.Kind), Detail: p.Detail})
	}
	return encode(w, out)
}

// ModeInventory is the mode of an inventory report.
const ModeInventory = "inventory"

// jsonTenantOf is the tenant section; nil without a tenant read.
func jsonTenantOf(t *tenant.BasicAuth) *jsonInventoryTenant {
	if t == nil {
		return nil
	}
	out := &jsonInventoryTenant{
		Status: string(t.Status()), Summary: tenantSummary(t), Tenant: t.Tenant, Days: t.Days,
		Since: t.Since.UTC().Format(time.RFC3339), DurationMS: t.Duration.Milliseconds(), Breaking: t.Breaking(),
		SignIns: jsonTenantSignIns{Read: t.SignInsRead, Events: t.Events, Groups: []jsonSignInGroup{}},
		SMTPAuth: jsonTenantSMTPAuth{TenantDisabled: t.TenantSMTPAuthDisabled, Read: t.MailboxesRead, Mailboxes: []jsonTenantMailbox{},
			Counts: jsonMailboxCounts{Total: t.Counts.Total, Enabled: t.Counts.Enabled, InheritsEnabled: t.Counts.InheritsEnabled,
				InheritsUnknown: t.Counts.InheritsUnknown, Disabled: t.Counts.Disabled, InheritsDisabled: t.Counts.InheritsDisabled}},
		Findings: []jsonTenantFinding{}, Calls: []jsonTenantCall{},
	}
	for _, g := range t.Groups {
		jg := jsonSignInGroup{
			Account: g.Account, IP: g.IP, Result: "failure", Count: g.Count,
			FirstSeen: g.First.UTC().Format(time.RFC3339), LastSeen: g.Last.UTC().Format(time.RFC3339),
			ErrorCodes: append([]int{}, g.ErrorCodes...), Failures: stringsOf(g.Reasons), ClientApps: stringsOf(g.ClientApps),
			Breaks: g.Breaks(), Reason: groupReason(g, t.Days), Steps: []jsonStepInv{},
		}
		if g.Success {
			jg.Result = "success"
		}
		for i, s := range g.Steps {
			if i == 0 {
				jg.Way = string(s.Way)
			}
			jg.Steps = append(jg.Steps, jsonStepInv{Way: string(s.Way), Text: s.Text, Command: s.Command})
		}
		out.SignIns.Groups = append(out.SignIns.Groups, jg)
	}
	for _, mb := range t.Mailboxes {
		out.SMTPAuth.Mailboxes = append(out.SMTPAuth.Mailboxes, jsonTenantMailbox{
			Address: mb.Address, Setting: mb.Setting, State: string(mb.State), SignIns: mb.SignIns, IPs: stringsOf(mb.IPs),
			Way: string(mb.Step.Way), Reason: mb.Step.Text, Command: mb.Step.Command,
		})
	}
	if st := t.TenantStep; st != nil {
		out.SMTPAuth.TenantStep = &jsonStepInv{Way: string(st.Way), Text: st.Text, Command: st.Command}
	}
	for _, n := range t.Notes {
		out.Findings = append(out.Findings, jsonTenantFinding{Kind: string(n.Kind), Source: n.Source, Message: n.Message})
	}
	for _, c := range t.Calls {
		out.Calls = append(out.Calls, jsonTenantCall{Call: c["call"], Interface: c["interface"]})
	}
	return out
}
