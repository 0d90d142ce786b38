package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
)

// Site is the report of `exoprobe site`: every path from this site side by side, one row each
// (which works, and what blocks the others), then the cause and fix of each blocked path. With
// Verbose or Transcript, the text format adds each path's whole report; the HTML page always
// holds it. Ticket, set by cmd, is how the run was made, as for a Run: every format shows it,
// with each path's root cause.
type Site struct {
	Site   *probe.Site
	Ticket *Ticket // nil leaves the run's circumstances out (tests)
}

// pathCauses names the root cause of each path whose verdict names one, path first:
// "Relay (connector, port 25): the send check, 5.7.64 (relay-tenant-attribution)".
func pathCauses(s *probe.Site) []string {
	var out []string
	for _, p := range s.Paths {
		if p.Report == nil {
			continue
		}
		if _, ok := rootCause(p.Report); ok {
			out = append(out, pathTitle(p.ID)+": "+rootCauseText(p.Report))
		}
	}
	return out
}

// pathTitle names a path in the helpdesk's words.
func pathTitle(id probe.PathID) string {
	switch id {
	case probe.PathRelay:
		return "Relay (connector, port 25)"
	case probe.PathDirect:
		return "Direct Send (port 25)"
	case probe.PathSubmit:
		return "SMTP AUTH (port 587)"
	}
	return string(id)
}

// pathResult is a path's result in one word or two.
func pathResult(p probe.Path) string {
	switch p.Status {
	case check.Pass:
		return "works"
	case check.Warn:
		return "works, with warnings"
	case check.Fail:
		if p.ID == probe.PathDirect && p.Accepted && p.SPFFails {
			return "accepted, but SPF fails"
		}
		return "blocked"
	}
	return "not tried"
}

// pathTag is the path's result as the table's status column prints it.
func pathTag(p probe.Path) string {
	if p.ID == probe.PathDirect && p.Status == check.Fail && p.Accepted && p.SPFFails {
		return "FAILS SPF" // accepted at RCPT, but the mail goes to junk or is rejected
	}
	switch p.Status {
	case check.Pass:
		return "WORKS"
	case check.Warn:
		return "WARN"
	case check.Fail:
		return "BLOCKED"
	}
	return "NOT TRIED"
}

// pathWhy says what the path's run showed: what works and what blocks it, in the helpdesk's
// words, as parts joined with "; ".
func pathWhy(p probe.Path) string {
	if p.Status == check.Skip {
		return clean(p.NotTried)
	}
	var parts []string
	blocker := func() {
		if p.Blocker != nil {
			parts = append(parts, blockerText(p, *p.Blocker))
		}
	}
	warnings := func() {
		seen := map[string]bool{}
		for _, w := range p.Warnings {
			if h := headline(w); !seen[h] {
				seen[h] = true
				parts = append(parts, h)
			}
		}
	}
	to := clean(strings.Join(p.To, ", "))
	switch p.ID {
	case probe.PathRelay:
		if p.Works() {
			parts = append(parts, "relay to "+to+" accepted by "+clean(endpoint(probe.Target{Host: p.Host, Port: p.Port})))
		}
		blocker()
	case probe.PathDirect:
		if p.Accepted {
			parts = append(parts, "accepted for internal recipients ("+to+")")
			if p.SPFFails {
				parts = append(parts, "SPF does not list this site's IP, so the mail goes to junk or is rejected")
			} else if p.Blocker != nil {
				blocker()
			}
		} else {
			blocker()
		}
	case probe.PathSubmit:
		if p.Encrypted {
			s := "STARTTLS ok"
			if len(p.Mechanisms) > 0 {
				s += ", AUTH " + clean(strings.Join(p.Mechanisms, " ")) + " offered"
			} else {
				s += ", no AUTH offered"
			}
			parts = append(parts, s)
		}
		switch {
		case p.SignIn == probe.AuthNotTried && p.Status != check.Fail:
			parts = append(parts, "sign-in not tried (no credentials)")
		case p.Works():
			parts = append(parts, "signed in; sender and recipient accepted")
		}
		blocker()
	}
	if p.Status == check.Warn || (p.Status == check.Fail && p.Blocker == nil) {
		warnings()
	}
	if len(parts) == 0 {
		return pathResult(p)
	}
	return strings.Join(parts, "; ")
}

// portWords say in a few words what a port check saw, for the table; the finding under the
// table says it in full.
var portWords = map[check.Code]string{
	code.PortFiltered:       "filtered (no answer: a firewall or the ISP drops it)",
	code.PortRefused:        "refused (a firewall, antivirus or the ISP rejects it)",
	code.PortUnreachable:    "unreachable (no route)",
	code.PortBlockedLocally: "blocked on this machine",
}

// blockerText names what blocks a path in the table: a port in a few words, else the finding's
// headline.
func blockerText(p probe.Path, f probe.CheckFinding) string {
	if w, ok := portWords[f.Code]; ok && f.Check == check.TCP && p.Port > 0 {
		return fmt.Sprintf("port %d %s", p.Port, w)
	}
	return headline(f)
}

// siteVerdictText is the sentence after the site's verdict: which paths work from here.
func siteVerdictText(s *probe.Site) string {
	var works, tried []string
	for _, p := range s.Paths {
		if p.Status == check.Skip {
			continue
		}
		tried = append(tried, pathTitle(p.ID))
		if p.Works() {
			works = append(works, pathTitle(p.ID))
		}
	}
	switch {
	case len(tried) == 0:
		return "no path was tried"
	case len(works) == 0:
		return "no path works from this site"
	case len(works) == len(tried):
		return "every path tried works from this site"
	}
	return fmt.Sprintf("%d of %d paths work from this site: %s", len(works), len(tried), strings.Join(works, ", "))
}

// pathFindings are what the text and Markdown formats explain under a path: its blocker, else
// its warnings.
func pathFindings(p probe.Path) []probe.CheckFinding {
	if p.Blocker != nil {
		return []probe.CheckFinding{*p.Blocker}
	}
	if p.Status == check.Warn || p.Status == check.Fail {
		return p.Warnings
	}
	return nil
}

// renderText writes the table of paths, the run block of the ticket, then the cause and fix of
// each blocked or warned path (and each path's whole report with Verbose or Transcript), then
// the verdict and the ticket's root causes and exit code.
func (s Site) renderText(w io.Writer, o TextOptions) error {
	if s.Site == nil {
		return fmt.Errorf("report: no site report to render")
	}
	ew := newErrWriter(w)
	p := newPalette(o.Color)
	width := o.width()
	ew.line(p.bold.Sprint("Every path from this site to " + clean(s.Site.Domain) + "'s Exchange Online"))
	ew.line("")
	const titleWidth, tagWidth = 28, 9
	for _, path := range s.Site.Paths {
		title := fmt.Sprintf("%-*s", titleWidth, pathTitle(path.ID))
		tg := fmt.Sprintf("%-*s", tagWidth, pathTag(path))
		lead := strings.Repeat(" ", titleWidth+tagWidth+2)
		lines := wrap(pathWhy(path), width, lead, lead)
		for i, l := range lines {
			if i == 0 {
				l = title + " " + colourTag(p, path.Status, tg) + " " + strings.TrimPrefix(l, lead)
			}
			ew.line(l)
		}
	}
	ticketText(ew, p, siteHead(s.Site), s.Ticket, width)
	shown := map[string]probe.PathID{}
	for _, path := range s.Site.Paths {
		fs := pathFindings(path)
		full := (o.Verbose || o.Transcript) && path.Report != nil
		if len(fs) == 0 && !full {
			continue
		}
		ew.line("")
		head := p.bold.Sprint(pathTitle(path.ID)) + ": " + pathResult(path)
		if full {
			ew.line(head)
			textBody(ew, p, path.Report, o)
			continue
		}
		if first, ok := shown[sameCause(fs)]; ok {
			ew.line(head + ", for the same reason as " + pathTitle(first) + " above")
			continue
		}
		shown[sameCause(fs)] = path.ID
		ew.line(head)
		for _, f := range fs {
			ew.line("")
			textFinding(ew, p, f, width)
		}
	}
	ew.line("")
	ew.line("For one path's whole report, run exoprobe relay, direct or submit with the same flags.")
	ew.line("")
	ew.line(p.bold.Sprint("Verdict:") + " " + p.status(s.Site.Verdict) + " - " + siteVerdictText(s.Site))
	ticketTextEnd(ew, p, pathCauses(s.Site), s.Ticket, width)
	return ew.flush()
}

// colourTag colours a padded path tag as its status.
func colourTag(p palette, s check.Status, padded string) string {
	word := strings.TrimRight(padded, " ")
	pad := padded[len(word):]
	switch s {
	case check.Pass:
		return p.pass.Sprint(word) + pad
	case check.Warn:
		return p.warn.Sprint(word) + pad
	case check.Fail:
		return p.fail.Sprint(word) + pad
	}
	return p.skip.Sprint(word) + pad
}

// renderMarkdown writes the site report for a ticket: the verdict, the run (exit code, command
// line, each path's root cause, time, machine, proxy), the table of paths, the inputs, and the
// cause and fix of each blocked or warned path.
func (s Site) renderMarkdown(w io.Writer) error {
	site := s.Site
	if site == nil {
		return fmt.Errorf("report: no site report to render")
	}
	ew := newErrWriter(w)
	ew.line(fmt.Sprintf("# exoprobe site - %s - %s", mdText(site.Domain), tag(site.Verdict)))
	ew.line("")
	ew.line(fmt.Sprintf("**Verdict: %s** - %s", tag(site.Verdict), mdText(siteVerdictText(site))))
	ew.line("")
	t := s.Ticket
	if t != nil {
		ew.line("- **Exit code:** " + strconv.Itoa(t.ExitCode))
		ew.line("- **Command:** " + codeSpan(orValue(t.CommandLine, "exoprobe site"), false))
	}
	ew.line("- **Sender:** " + codeSpan(site.From, false))
	ew.line("- **Recipients:** " + codeSpan(strings.Join(site.To, ", "), false))
	for _, p := range site.Paths {
		if p.Report == nil {
			continue
		}
		if _, ok := rootCause(p.Report); ok {
			ew.line("- **Root cause, " + mdText(pathTitle(p.ID)) + ":** " + mdText(rootCauseText(p.Report)))
		}
	}
	h := siteHead(site)
	started := "not recorded"
	if !site.Started.IsZero() {
		started = site.Started.UTC().Format(time.RFC3339)
		if t != nil {
			started = localStart(h, t) + "; " + started
		}
	}
	ew.line("- **Started:** " + mdText(started) + ", took " + duration(site.DurationMS))
	ew.line("- **exoprobe:** " + mdText(strings.TrimPrefix(system(h, t), "exoprobe ")))
	if t != nil {
		if t.Environment.Machine != "" {
			ew.line("- **Machine:** " + codeSpan(t.Environment.Machine, false))
		}
		ew.line("- **Proxy:** " + mdText(proxyText(t.Environment)))
	}
	ew.line("")
	ew.line("## Paths")
	ew.line("")
	ew.line("| Path | Result | What the run showed |")
	ew.line("|---|---|---|")
	for _, p := range site.Paths {
		ew.line(fmt.Sprintf("| %s | %s | %s |", mdCell(pathTitle(p.ID)), pathTag(p), mdCell(pathWhy(p))))
	}
	if t != nil {
		mdInputs(ew, t.Inputs)
	}
	n := 0
	shown := map[string]probe.PathID{}
	for _, p := range site.Paths {
		fs := pathFindings(p)
		if len(fs) == 0 {
			continue
		}
		ew.line("")
		head := "## " + mdText(pathTitle(p.ID)) + ": " + mdText(pathResult(p))
		if first, ok := shown[sameCause(fs)]; ok {
			ew.line(head + ", for the same reason as " + mdText(pathTitle(first)) + " above")
			continue
		}
		shown[sameCause(fs)] = p.ID
		ew.line(head)
		for _, f := range fs {
			n++
			ew.line("")
			mdFinding(ew, n, f)
		}
	}
	return ew.flush()
}

// sameCause is a key under which two paths' findings are the same explanation: a port 25
// that is blocked blocks the relay and Direct Send alike, and is explained once.
func sameCause(fs []probe.CheckFinding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(string(f.Check) + "\x00" + string(f.Code) + "\x00" + f.Message + "\x00")
	}
	return b.String()
}
