package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/tenant"
)

// The inventory for a monitoring system: -o nagios and --prom-file, for an MSP that schedules
// `exoprobe inventory --tenant ... --no-machine` per customer and wants to be alerted when
// something still signs in with a password before basic SMTP AUTH ends.
//
// The state is the inventory's verdict: WARNING when something breaks at the switch-off or a
// source was not read whole, OK otherwise. Nothing is CRITICAL: the inventory foretells what
// will stop, it does not see mail failing today (the probing commands do), and a sign-in that
// fails already is listed but breaks nothing more. UNKNOWN is a run that could not run, or was
// interrupted before it ended.

// Inventory metrics, after the runs' in a file.
const (
	metricInventoryBreaking  = "exoprobe_inventory_breaking"
	metricInventorySignIns   = "exoprobe_inventory_basic_signins"
	metricInventoryMailboxes = "exoprobe_inventory_smtp_auth_mailboxes"
	metricInventoryFilesRead = "exoprobe_inventory_files_read"
)

// nagiosInventoryRows bounds the long output's rows (configurations, sign-in groups,
// mailboxes): Nagios keeps a few KiB of a plugin's output, and the text and JSON reports list
// them all.
const nagiosInventoryRows = 25

// NagiosStatus is the state of the inventory in the Monitoring Plugins output: its verdict
// (never CRITICAL), or UNKNOWN when it was interrupted.
func (inv Inventory) NagiosStatus() check.Status {
	if inv.Interrupted {
		return nagiosUnknown
	}
	return inv.Verdict()
}

// renderNagios writes the Monitoring Plugins output of an inventory: the state and what breaks
// on the first line with the counts as performance data, then a line per row.
func (inv Inventory) renderNagios(w io.Writer, _ NagiosOptions) error {
	m, t := inv.Machine, inv.Tenant
	if m == nil && t == nil {
		return fmt.Errorf("report: no inventory to render")
	}
	text := nagiosInventorySummary(inv)
	if inv.Interrupted {
		text = "interrupted before the inventory ended: what was read is below, and may be short"
	}
	var perf []string
	datum := func(label string, n int, breaking bool) {
		warn := ""
		if breaking {
			warn = "0" // the guidelines' range: WARNING above 0
		}
		perf = append(perf, perfLabel(label)+"="+strconv.Itoa(n)+";"+warn+";;0")
	}
	if m != nil {
		datum("breaking_rows", m.Breaking(), true)
		datum("files_read", m.FilesRead, false)
	}
	if t != nil && t.SignInsRead {
		datum("signin_groups_breaking", t.Breaking(), true)
		datum("signins", t.Events, false)
	}
	if t != nil && t.MailboxesRead {
		datum("mailboxes_smtp_auth", len(t.Mailboxes), false)
	}
	perf = append(perf, perfSeconds("total", inv.Duration.Milliseconds()))

	ew := newErrWriter(w)
	ew.line(nagiosService(check.ModeInventory) + " " + nagiosState(inv.NagiosStatus()) + " - " + nagiosText(text) + " | " + strings.Join(perf, " "))
	for _, l := range nagiosInventoryLines(inv) {
		ew.line(l)
	}
	return ew.flush()
}

// nagiosInventorySummary is the first line's text: what will stop sending, and which source
// was not read whole; when nothing breaks, that, and the mailboxes that could still use SMTP
// AUTH.
func nagiosInventorySummary(inv Inventory) string {
	m, t := inv.Machine, inv.Tenant
	var breaks, short []string
	if m != nil && m.Breaking() > 0 {
		breaks = append(breaks, count(m.Breaking(), "configuration")+" on this machine")
	}
	if t != nil && t.Breaking() > 0 {
		breaks = append(breaks, devicesOrApps(t.Breaking())+" signing in with basic SMTP AUTH")
	}
	if m != nil && m.Incomplete {
		short = append(short, "the scan of this machine did not end")
	}
	if t != nil && len(t.Notes) > 0 {
		var what []string
		for _, n := range t.Notes {
			what = append(what, noteSource(n)+": "+string(n.Kind))
		}
		short = append(short, "the tenant was not read whole ("+strings.Join(what, ", ")+")")
	}
	var s string
	switch {
	case len(breaks) > 0:
		s = strings.Join(breaks, " and ") + " will stop sending at " + breakDate
		if len(short) > 0 {
			s += "; " + strings.Join(short, "; ")
		}
	case len(short) > 0:
		s = "nothing found that breaks, but " + strings.Join(short, "; ")
	default:
		s = "nothing found that breaks when basic authentication for SMTP AUTH ends"
	}
	if t != nil && t.MailboxesRead && len(t.Mailboxes) > 0 {
		s += "; " + pluralMailbox(len(t.Mailboxes)) + " can still use SMTP AUTH"
	}
	return s
}

// nagiosInventoryLines are the long output: what kept a source from being read whole, then a
// line per configuration, per sign-in group and per mailbox that can still use SMTP AUTH (at
// most nagiosInventoryRows of them), each starting with the word the text report gives it.
func nagiosInventoryLines(inv Inventory) []string {
	m, t := inv.Machine, inv.Tenant
	var head, rows []string
	if m != nil {
		if m.Incomplete {
			head = append(head, "WARN machine: the scan ran out of time before it ended: what it did not read is not listed")
		}
		for _, r := range m.Rows {
			word, _ := rowTag(r)
			rows = append(rows, word+" "+nagiosText(fmt.Sprintf("machine: %s:%d %s: %s with %s; way forward: %s",
				r.File, r.Line, r.Setting, rowEndpoint(r), rowSignIn(r), wayTitle(r.Way))))
		}
	}
	if t != nil {
		for _, n := range t.Notes {
			head = append(head, "WARN "+nagiosText("tenant: "+noteSource(n)+" not read whole ("+string(n.Kind)+"): "+n.Message))
		}
		for _, g := range t.Groups {
			word, _ := groupTag(g)
			way := ""
			if len(g.Steps) > 0 {
				way = "; way forward: " + wayTitle(g.Steps[0].Way)
			}
			rows = append(rows, word+" "+nagiosText("sign-ins: "+groupHead(g)+": "+groupSeen(g)+way))
		}
		if v := t.TenantSMTPAuthDisabled; v != nil && !*v {
			rows = append(rows, "TENANT "+nagiosText("smtp-auth: on for the tenant (SmtpClientAuthenticationDisabled $false): mailboxes that inherit it can use it"))
		}
		for _, mb := range t.Mailboxes {
			l := "smtp-auth: " + mb.Address + " " + mailboxState(mb)
			if t.SignInsRead {
				l += ", " + count(mb.SignIns, "successful basic sign-in")
			}
			rows = append(rows, "MAILBOX "+nagiosText(l))
		}
	}
	if len(rows) > nagiosInventoryRows {
		left := len(rows) - nagiosInventoryRows
		rows = append(rows[:nagiosInventoryRows], fmt.Sprintf("MORE %d more rows: the text or JSON report lists them all", left))
	}
	if m != nil && len(m.Problems) > 0 {
		what := "1 file or directory not read: "
		if n := len(m.Problems) + m.ProblemsLeftOut; n > 1 {
			what = strconv.Itoa(n) + " files or directories not read, the first: "
		}
		rows = append(rows, "UNREAD "+nagiosText("machine: "+what+m.Problems[0].Path+": "+m.Problems[0].Detail))
	}
	return append(head, rows...)
}

// renderProm writes the inventory's metrics: what breaks per source, the basic SMTP AUTH
// sign-ins and the mailboxes that can still use SMTP AUTH (each only when its read answered),
// the files read on this machine, the verdict and when the run started; mode "inventory", and
// the tenant as the target (the machine's name without --tenant).
func (inv Inventory) renderProm(w io.Writer) error {
	m, t := inv.Machine, inv.Tenant
	if m == nil && t == nil {
		return fmt.Errorf("report: no inventory to render")
	}
	mode, tgt := label("mode", string(check.ModeInventory)), label("target", inventoryTarget(inv))
	f := promFile{}
	if m != nil {
		f.add(metricInventoryBreaking, strconv.Itoa(m.Breaking()), mode, tgt, label("source", "machine"))
		f.add(metricInventoryFilesRead, strconv.Itoa(m.FilesRead), mode, tgt)
	}
	if t != nil && t.SignInsRead {
		f.add(metricInventoryBreaking, strconv.Itoa(t.Breaking()), mode, tgt, label("source", "tenant"))
		f.add(metricInventorySignIns, strconv.Itoa(t.Events), mode, tgt)
	}
	if t != nil && t.MailboxesRead {
		n := map[tenant.SMTPAuthState]int{}
		for _, mb := range t.Mailboxes {
			n[mb.State]++
		}
		for _, s := range []tenant.SMTPAuthState{tenant.StateEnabled, tenant.StateInheritsEnabled, tenant.StateInheritsUnknown} {
			f.add(metricInventoryMailboxes, strconv.Itoa(n[s]), mode, tgt, label("state", string(s)))
		}
	}
	f.add(metricVerdict, strconv.Itoa(statusValue(inv.Verdict())), mode, tgt)
	f.add(metricRunTimestamp, promTime(inv.Started), mode, tgt)
	return f.write(w)
}

// inventoryTarget is the target label of an inventory: the tenant as --tenant gave it, else
// this machine's host name.
func inventoryTarget(inv Inventory) string {
	if inv.Tenant != nil {
		return boundedLabel(inv.Tenant.Tenant)
	}
	if inv.Ticket != nil {
		return boundedLabel(strings.ToLower(inv.Ticket.Environment.Machine))
	}
	return ""
}
