package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/inventory"
	"github.com/exoprobe/exoprobe/probe/tenant"
)

// Inventory is the report of `exoprobe inventory`: what still signs in to Microsoft 365 with a
// password, a section per source. Machine is the scan of this machine's configuration files
// (nil with --no-machine); Tenant the tenant's basic-auth SMTP sign-ins and the mailboxes that
// can still use SMTP AUTH (nil without --tenant). At least one is set.
// Every format shows, per row, the file and line, the endpoint, the sign-in, the user, where
// the password is kept (never the password) and the way forward with its reason and command.
type Inventory struct {
	Version  string
	Started  time.Time
	Duration time.Duration
	Machine  *inventory.Result
	Tenant   *tenant.BasicAuth
	Ticket   *Ticket // nil leaves the run's circumstances out (tests)
	// Interrupted is set when Ctrl-C or SIGTERM stopped the inventory before it ended: the
	// plugin output says UNKNOWN.
	Interrupted bool
}

// Verdict is the worst status of the report's sources.
func (inv Inventory) Verdict() check.Status {
	v := check.Pass
	if inv.Machine != nil {
		v = check.Worst(v, inv.Machine.Status())
	}
	if inv.Tenant != nil {
		v = check.Worst(v, inv.Tenant.Status())
	}
	return v
}

// breakDate is when basic authentication for SMTP AUTH is turned off by default for existing
// tenants (Exchange Team blog, 27 Jan 2026).
const breakDate = "the end of December 2026"

// machineSummary says in a sentence what the scan of this machine found.
func machineSummary(m *inventory.Result) string {
	n, b := len(m.Rows), m.Breaking()
	var s string
	switch {
	case n == 0:
		s = "No configuration file found sends through Microsoft 365."
	case b == 0:
		s = fmt.Sprintf("%s send%s through Microsoft 365; none signs in with a password where basic authentication ends at %s.", count(n, "configuration"), plural1(n), breakDate)
	default:
		s = fmt.Sprintf("%s send%s through Microsoft 365; %d will stop sending when basic authentication for SMTP AUTH is turned off at %s.", count(n, "configuration"), plural1(n), b, breakDate)
	}
	if m.Incomplete {
		s += " The scan ran out of time before it ended: what it did not read is not in this list."
	}
	return s
}

// count is "1 configuration" or "3 configurations".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// plural1 is the verb's ending for n subjects: "sends" for one, "send" for more.
func plural1(n int) string {
	if n == 1 {
		return "s"
	}
	return ""
}

// wayTitle names a way forward in the helpdesk's words.
func wayTitle(w inventory.Way) string {
	switch w {
	case inventory.WayOAuth:
		return "OAuth with an app"
	case inventory.WayConnector:
		return "relay through a connector"
	case inventory.WayDirect:
		return "Direct Send"
	case inventory.WayHVE:
		return "High Volume Email"
	case inventory.WayTurnOff:
		return "turn SMTP AUTH off"
	}
	return "nothing to change"
}

// rowEndpoint is "smtp.office365.com:587 (SMTP AUTH)".
func rowEndpoint(r inventory.Row) string {
	hp := r.Host
	if r.Port != 0 {
		hp += ":" + strconv.Itoa(r.Port)
	}
	kind := map[inventory.Endpoint]string{
		inventory.EndpointSubmission: "SMTP AUTH", inventory.EndpointLegacyTLS: "SMTP AUTH, legacy TLS",
		inventory.EndpointHVE: "High Volume Email", inventory.EndpointMX: "MX, port 25",
	}[r.Endpoint]
	if r.Cloud != "" && r.Cloud != "global" {
		kind += ", " + r.Cloud
	}
	return hp + " (" + kind + ")"
}

// rowSignIn is "basic auth as app@contoso.com, password on line 12".
func rowSignIn(r inventory.Row) string {
	s := map[inventory.Auth]string{
		inventory.AuthBasic: "basic auth (a password)", inventory.AuthOAuth: "OAuth",
		inventory.AuthWindows: "the Windows account (NTLM)", inventory.AuthNone: "no sign-in",
	}[r.Auth]
	if r.User != "" {
		s += " as " + r.User
	}
	if r.PasswordAt != "" {
		s += "; password: " + r.PasswordAt
	}
	return s
}

// rowTag is the row's status word: WILL BREAK for a row that stops sending, ok otherwise.
func rowTag(r inventory.Row) (string, check.Status) {
	if r.Breaks {
		return "BREAKS", check.Warn
	}
	return "OK", check.Pass
}

// renderText writes the inventory for a console: the summary, a block per row, what was not
// read, and the verdict.
func (inv Inventory) renderText(w io.Writer, o TextOptions) error {
	m := inv.Machine
	if m == nil && inv.Tenant == nil {
		return fmt.Errorf("report: no inventory to render")
	}
	p := newPalette(o.Color)
	ew := newErrWriter(w)
	width := o.width()
	for _, l := range wrap("What still signs in to Microsoft 365 with a password: basic authentication for SMTP AUTH is turned off at "+breakDate+".", width, "", "") {
		ew.line(p.bold.Sprint(l))
	}
	if m != nil {
		inv.machineText(ew, p, width)
	}
	if t := inv.Tenant; t != nil {
		inv.tenantText(ew, p, width)
	}
	ew.line("")
	lines := wrap(inventoryVerdict(inv), width-len("Verdict: WARN "), "", "")
	ew.line(p.bold.Sprint("Verdict: ") + p.status(inv.Verdict()) + " " + lines[0])
	for _, l := range lines[1:] {
		ew.line(strings.Repeat(" ", len("Verdict: WARN ")) + l)
	}
	if t := inv.Ticket; t != nil {
		ew.line(fmt.Sprintf("Exit code %d.", t.ExitCode))
	}
	return ew.flush()
}

// machineText writes the machine section for a console.
func (inv Inventory) machineText(ew *errWriter, p palette, width int) {
	m := inv.Machine
	ew.line("")
	ew.line(p.bold.Sprint("This machine: configuration files"))
	for _, l := range wrap(machineSummary(m), width, "", "") {
		ew.line(l)
	}
	for _, r := range m.Rows {
		word, st := rowTag(r)
		tagged := p.pass.Sprint(word)
		if st == check.Warn {
			tagged = p.warn.Sprint(word)
		}
		ew.line("")
		ew.line(tagged + strings.Repeat(" ", max(1, 8-len(word))) + clean(r.File) + ":" + strconv.Itoa(r.Line) + "  " + clean(r.Setting))
		indent := strings.Repeat(" ", bodyIndent)
		for _, l := range wrap("sends to "+rowEndpoint(r)+" with "+rowSignIn(r), width, indent, indent) {
			ew.line(l)
		}
		for _, l := range wrap("way forward: "+wayTitle(r.Way)+". "+r.Reason, width, indent, indent+"  ") {
			ew.line(l)
		}
		if r.Command != "" {
			ew.line(strings.Repeat(" ", stepIndent) + clean(r.Command))
		}
	}
	if len(m.Problems) > 0 {
		ew.line("")
		ew.line(p.bold.Sprint("Not read:"))
		for _, pr := range m.Problems {
			for _, l := range wrap(clean(pr.Path)+": "+pr.Detail, width, "  ", "    ") {
				ew.line(l)
			}
		}
		if m.ProblemsLeftOut > 0 {
			ew.line(fmt.Sprintf("  and %d more", m.ProblemsLeftOut))
		}
	}
	ew.line("")
	where := "the paths given"
	if m.Defaults {
		where = "the usual places"
	}
	for _, l := range wrap(fmt.Sprintf("Searched %s: %s (%s, %s; files over %d MiB skipped) in %s.", where, strings.Join(m.Paths, ", "),
		count(m.FilesRead, "file")+" read", dirsWalked(m.DirsWalked), m.MaxFileSize>>20, duration(m.Duration.Milliseconds())), width, "", "  ") {
		ew.line(l)
	}
}

// inventoryVerdict is the verdict in a sentence.
func inventoryVerdict(inv Inventory) string {
	m := inv.Machine
	if inv.Tenant != nil || m == nil {
		return sourcesVerdict(inv)
	}
	switch b := m.Breaking(); {
	case b > 0:
		return fmt.Sprintf("%s on this machine will stop sending at %s; each row says its way forward.", count(b, "configuration"), breakDate)
	case m.Incomplete:
		return "nothing found that breaks, but the scan did not end: give a longer --timeout or fewer paths."
	}
	return "nothing found on this machine that breaks when basic authentication ends."
}

// renderMarkdown writes the inventory for a ticket: the summary, a table of rows, the way
// forward of each, what was not read, and how the run was made.
func (inv Inventory) renderMarkdown(w io.Writer) error {
	m := inv.Machine
	if m == nil && inv.Tenant == nil {
		return fmt.Errorf("report: no inventory to render")
	}
	ew := newErrWriter(w)
	ew.line("# exoprobe inventory: what still signs in with a password")
	ew.line("")
	ew.line(fmt.Sprintf("**Verdict: %s** %s", tag(inv.Verdict()), mdText(inventoryVerdict(inv))))
	if m != nil {
		inv.machineMarkdown(ew)
	}
	if inv.Tenant != nil {
		inv.tenantMarkdown(ew)
	}
	ew.line("")
	ew.line("## Run")
	ew.line("")
	if t := inv.Ticket; t != nil {
		ew.line("- command: " + codeSpan(t.CommandLine, false))
		ew.line("- machine: " + mdText(t.Environment.Machine+" ("+t.Environment.OS+"/"+t.Environment.Arch+")"))
		ew.line(fmt.Sprintf("- exit code: %d", t.ExitCode))
	}
	if m != nil {
		ew.line("- searched: " + mdText(strings.Join(m.Paths, ", ")))
		ew.line(fmt.Sprintf("- %s read, %s; files over %d MiB skipped; started %s, took %s", count(m.FilesRead, "file"),
			dirsWalked(m.DirsWalked), m.MaxFileSize>>20, inv.Started.UTC().Format(time.RFC3339), duration(inv.Duration.Milliseconds())))
	}
	if t := inv.Tenant; t != nil {
		ew.line(fmt.Sprintf("- tenant: %s, sign-in logs since %s (%d days)", mdText(t.Tenant), t.Since.UTC().Format(time.RFC3339), t.Days))
		if m == nil {
			ew.line(fmt.Sprintf("- started %s, took %s", inv.Started.UTC().Format(time.RFC3339), duration(inv.Duration.Milliseconds())))
		}
	}
	return ew.flush()
}

// machineMarkdown writes the machine section for a ticket.
func (inv Inventory) machineMarkdown(ew *errWriter) {
	m := inv.Machine
	ew.line("")
	ew.line("## This machine: configuration files")
	ew.line("")
	ew.line(mdText(machineSummary(m)))
	if len(m.Rows) > 0 {
		ew.line("")
		ew.line("| | file | line | endpoint | sign-in | way forward |")
		ew.line("|---|---|---|---|---|---|")
		for _, r := range m.Rows {
			word, _ := rowTag(r)
			ew.line(fmt.Sprintf("| %s | %s | %d | %s | %s | %s |", word, codeSpan(r.File, true), r.Line,
				mdCell(rowEndpoint(r)), mdCell(rowSignIn(r)), mdCell(wayTitle(r.Way))))
		}
		ew.line("")
		ew.line("### Ways forward")
		for i, r := range m.Rows {
			ew.line("")
			ew.line(fmt.Sprintf("%d. %s line %d (%s): **%s.** %s", i+1, codeSpan(r.File, false), r.Line, mdText(r.Setting), mdText(wayTitle(r.Way)), mdText(r.Reason)))
			if r.Command != "" {
				fenced(ew, "   ", "console", []string{clean(r.Command)})
			}
		}
	}
	if len(m.Problems) > 0 {
		ew.line("")
		ew.line("### Not read")
		ew.line("")
		for _, pr := range m.Problems {
			ew.line(fmt.Sprintf("- %s: %s", codeSpan(pr.Path, false), mdText(pr.Detail)))
		}
		if m.ProblemsLeftOut > 0 {
			ew.line(fmt.Sprintf("- and %d more", m.ProblemsLeftOut))
		}
	}
}

// tenantMarkdown writes the tenant section for a ticket: a table of sign-in groups, a table of
// mailboxes, the ways forward of each with their commands, and what was not read.
func (inv Inventory) tenantMarkdown(ew *errWriter) {
	t := inv.Tenant
	ew.line("")
	ew.line("## " + mdText(tenantTitle(t)))
	ew.line("")
	ew.line(mdText(tenantSummary(t)))
	steps := func(list []tenant.Step) {
		for i, s := range list {
			ew.line("")
			ew.line(fmt.Sprintf("   - %s **%s.** %s", mdText(strings.TrimSpace(wayWord(i))), mdText(wayTitle(s.Way)), mdText(s.Text)))
			if s.Command != "" {
				fenced(ew, "     ", "console", []string{clean(s.Command)})
			}
		}
	}
	if len(t.Groups) > 0 {
		ew.line("")
		ew.line("| | account | client IP | sign-ins | first seen | last seen | way forward |")
		ew.line("|---|---|---|---|---|---|---|")
		for _, g := range t.Groups {
			word, _ := groupTag(g)
			way := ""
			if len(g.Steps) > 0 {
				way = wayTitle(g.Steps[0].Way)
			}
			ew.line(fmt.Sprintf("| %s | %s | %s | %d | %s | %s | %s |", word, mdCell(orDash(g.Account)), mdCell(orDash(g.IP)), g.Count,
				day(g.First), day(g.Last), mdCell(way)))
		}
		ew.line("")
		ew.line("### Ways forward for the sign-ins")
		for i, g := range t.Groups {
			ew.line("")
			ew.line(fmt.Sprintf("%d. %s: %s. %s", i+1, mdText(groupHead(g)), mdText(groupSeen(g)), mdText(groupReason(g, t.Days))))
			steps(g.Steps)
		}
	}
	if len(t.Mailboxes) > 0 {
		ew.line("")
		ew.line("### Mailboxes that can still use SMTP AUTH")
		ew.line("")
		ew.line("| mailbox | SMTP AUTH | basic sign-ins | way forward |")
		ew.line("|---|---|---|---|")
		for _, mb := range t.Mailboxes {
			ew.line(fmt.Sprintf("| %s | %s | %d | %s |", mdCell(mb.Address), mdCell(mailboxState(mb)), mb.SignIns, mdCell(wayTitle(mb.Step.Way))))
		}
		for i, mb := range t.Mailboxes {
			ew.line("")
			ew.line(fmt.Sprintf("%d. %s", i+1, mdText(mb.Address)))
			steps([]tenant.Step{mb.Step})
		}
	}
	if t.TenantStep != nil {
		ew.line("")
		ew.line("### The tenant's SMTP AUTH")
		steps([]tenant.Step{*t.TenantStep})
	}
	if len(t.Notes) > 0 {
		ew.line("")
		ew.line("### Not read in the tenant")
		ew.line("")
		for _, n := range t.Notes {
			ew.line(fmt.Sprintf("- %s (%s): %s", mdText(noteSource(n)), mdText(string(n.Kind)), mdText(n.Message)))
		}
	}
}

// dirsWalked is "1 directory walked" or "12 directories walked".
func dirsWalked(n int) string {
	if n == 1 {
		return "1 directory walked"
	}
	return strconv.Itoa(n) + " directories walked"
}

// devicesOrApps is "1 device or application" or "3 devices or applications": the tenant's
// sign-in groups that break.
func devicesOrApps(n int) string {
	if n == 1 {
		return "1 device or application"
	}
	return strconv.Itoa(n) + " devices or applications"
}

// sourcesVerdict is the verdict in a sentence when the tenant was read.
func sourcesVerdict(inv Inventory) string {
	m, t := inv.Machine, inv.Tenant
	var breaks, short []string
	if m != nil && m.Breaking() > 0 {
		breaks = append(breaks, count(m.Breaking(), "configuration")+" on this machine")
	}
	if t != nil && t.Breaking() > 0 {
		breaks = append(breaks, devicesOrApps(t.Breaking())+" signing in to the tenant with basic SMTP AUTH (account and client IP)")
	}
	if m != nil && m.Incomplete {
		short = append(short, "the scan of this machine did not end (give a longer --timeout or fewer paths)")
	}
	switch {
	case t != nil && !t.SignInsRead && t.MailboxesRead && len(t.Mailboxes) > 0:
		short = append(short, fmt.Sprintf("the sign-in logs could not be read, and %s can still use SMTP AUTH: ask who sends as each before basic authentication ends",
			pluralMailbox(len(t.Mailboxes))))
	case t != nil && len(t.Notes) > 0:
		short = append(short, "the tenant could not be read whole (see what was not read)")
	}
	switch {
	case len(breaks) > 0 && len(short) > 0:
		return strings.Join(breaks, " and ") + " will stop sending at " + breakDate + "; each row says its way forward. And " + strings.Join(short, "; ") + "."
	case len(breaks) > 0:
		return strings.Join(breaks, " and ") + " will stop sending at " + breakDate + "; each row says its way forward."
	case len(short) > 0:
		return "nothing found that breaks, but " + strings.Join(short, "; ") + "."
	}
	return "nothing found that breaks when basic authentication ends."
}

// tenantText writes the tenant section for a console.
func (inv Inventory) tenantText(ew *errWriter, p palette, width int) {
	t := inv.Tenant
	indent := strings.Repeat(" ", bodyIndent)
	ew.line("")
	ew.line(p.bold.Sprint(tenantTitle(t)))
	for _, l := range wrap(tenantSummary(t), width, "", "") {
		ew.line(l)
	}
	steps := func(list []tenant.Step) {
		for i, s := range list {
			for _, l := range wrap(wayWord(i)+wayTitle(s.Way)+". "+clean(s.Text), width, indent, indent+"  ") {
				ew.line(l)
			}
			if s.Command != "" {
				ew.line(strings.Repeat(" ", stepIndent) + clean(s.Command))
			}
		}
	}
	for _, g := range t.Groups {
		word, st := groupTag(g)
		tagged := p.bold.Sprint(word)
		if st == check.Warn {
			tagged = p.warn.Sprint(word)
		}
		ew.line("")
		ew.line(tagged + strings.Repeat(" ", max(1, 8-len(word))) + groupHead(g))
		for _, l := range wrap(groupSeen(g)+". "+groupReason(g, t.Days), width, indent, indent) {
			ew.line(l)
		}
		steps(g.Steps)
	}
	if len(t.Mailboxes) > 0 {
		ew.line("")
		ew.line(p.bold.Sprint("Mailboxes that can still use SMTP AUTH:"))
		for _, mb := range t.Mailboxes {
			ew.line("")
			ew.line("MAILBOX " + clean(mb.Address) + "  " + mailboxState(mb))
			steps([]tenant.Step{mb.Step})
		}
	}
	if t.TenantStep != nil {
		ew.line("")
		ew.line(p.bold.Sprint("The tenant's SMTP AUTH:"))
		steps([]tenant.Step{*t.TenantStep})
	}
	if len(t.Notes) > 0 {
		ew.line("")
		ew.line(p.bold.Sprint("Not read:"))
		for _, n := range t.Notes {
			for _, l := range wrap(noteSource(n)+" ("+string(n.Kind)+"): "+clean(n.Message), width, "  ", "    ") {
				ew.line(l)
			}
		}
	}
	ew.line("")
	for _, l := range wrap(fmt.Sprintf("Read tenant %s: %s, in %s.", clean(t.Tenant), tenantRead(t), duration(t.Duration.Milliseconds())),
		width, "", "  ") {
		ew.line(l)
	}
}

// tenantRead says what of the tenant was read: the sign-in logs of the window and the mailboxes,
// each only when it answered.
func tenantRead(t *tenant.BasicAuth) string {
	var parts []string
	if t.SignInsRead {
		parts = append(parts, fmt.Sprintf("the sign-in logs since %s (%d days)", t.Since.UTC().Format(time.RFC3339), t.Days))
	}
	if t.MailboxesRead {
		parts = append(parts, "the mailboxes")
	}
	if len(parts) == 0 {
		return "nothing could be read (see above)"
	}
	return strings.Join(parts, " and ")
}
