package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// The HTML report is one self-contained page for a ticket or a browser: inline CSS (with a
// print style sheet), no scripts, no external assets, and a Content-Security-Policy that
// forbids loading any. It is rendered with html/template, which escapes every value for where
// it lands; values from the network are also cleaned of control and format characters first
// (clean), so that a bidi override cannot reorder what the reader sees. The page holds what the
// Markdown report holds: the verdict and its root cause, the run and its inputs, the checks,
// the findings with their fix steps (commands in their own blocks), the connector of a
// pre-flight, the facts, and the transcript (AUTH redacted) in a collapsible block. A site
// run's page is made of the same blocks (html.tmpl): its table of paths at the top, then each
// path's run as a run's page shows it.

//go:embed html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Parse(htmlSource))

// htmlDoc is a document with an HTML layout: the report of a run, and of a site run.
type htmlDoc interface {
	renderHTML(w io.Writer) error
}

type (
	// htmlPage is what the template lays out; every string in it is clean. A run's page holds
	// one Run; a site's page holds Site, each of its paths with its own run.
	htmlPage struct {
		Title     string
		Mode      string
		Endpoint  string // "" for a run without one (ip, cert); the domain of a site run
		Verdict   htmlVerdict
		Ticket    []htmlRow // exit code, command line, start, version, machine, proxy
		Inputs    []htmlRow
		Run       *htmlRun // the run's page
		Site      *htmlSite
		Generated string
	}
	// htmlVerdict is the verdict box: the run's verdict and root cause, or a site run's verdict.
	// ID prefixes its element ids: "" for the page's own, "<path>-" for a path's on a site page.
	htmlVerdict struct {
		ID        string
		Status    htmlStatus
		Text      string
		RootCause *htmlRootCause
	}
	// htmlRun is what a run showed: its checks, findings, connector, facts and transcript.
	// The run's page shows one, a site page one per path tried, with its headings a level down
	// (Nested) and its element ids prefixed with ID.
	htmlRun struct {
		ID         string
		Nested     bool
		Checks     []htmlCheck
		Findings   []htmlFinding
		Connector  *htmlConnector
		Facts      []htmlFacts
		Transcript []string
	}
	// htmlSite is a site run's table of paths and, under it, each path's run.
	htmlSite struct {
		Paths []htmlPath
	}
	htmlPath struct {
		ID, Title    string
		Status       htmlStatus
		Tag, Why     string // the table's status word and what works or blocks the path
		Result       string // the path's result in a few words, for its heading
		Verdict      *htmlVerdict
		Run          *htmlRun // nil for a path that was not tried
		NotTried     string
		SameReasonAs string // the path whose findings are the same, "" for none
	}
	// htmlStatus is a status as a class for its colour and a tag for its word.
	htmlStatus struct{ Class, Tag string }
	htmlRow    struct {
		Label, Value string
		Code         bool // shown as code: a command line, a host name
	}
	htmlRootCause struct{ Headline, Check, Code, HintID string }
	htmlCheck     struct {
		ID, Time, Summary string
		Status            htmlStatus
	}
	htmlFinding struct {
		N                  int
		Status             htmlStatus
		Check, Code, Title string
		Message, Cause     string
		RootCause          bool
		Steps              [][]htmlPart
		Docs               []htmlLink
	}
	// htmlPart is a piece of a fix step: prose to read, or lines to copy (a command or a value).
	htmlPart struct {
		Prose   string
		Lines   []string
		Command bool // the lines are PowerShell (or console) commands
	}
	htmlLink struct {
		Text string
		URL  string // set only for an http(s) address; html/template checks and escapes it again
	}
	htmlConnector struct {
		Name, Kind, Ready string
		Lead              string   // the sentence before the commands that create it
		Create, Update    []string // PowerShell lines
		Check             string
		Settings          []htmlRow
	}
	htmlFacts struct {
		Check string
		Items []htmlRow
	}
)

// renderHTML writes the report as one HTML page.
func (r Run) renderHTML(w io.Writer) error {
	if r.Report == nil {
		return fmt.Errorf("report: no report to render")
	}
	return executeHTML(w, "run-page", htmlPageOf(r))
}

// renderHTML writes the site report as one HTML page: the table of paths, the run, then each
// path's run as the run's own page shows it.
func (s Site) renderHTML(w io.Writer) error {
	if s.Site == nil {
		return fmt.Errorf("report: no site report to render")
	}
	return executeHTML(w, "site-page", htmlSitePageOf(s))
}

// executeHTML lays page out with the named template, whole or not at all.
func executeHTML(w io.Writer, name string, page htmlPage) error {
	var buf bytes.Buffer
	if err := htmlTemplate.ExecuteTemplate(&buf, name, page); err != nil {
		return fmt.Errorf("report: laying out HTML: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("report: writing HTML: %w", err)
	}
	return nil
}

func statusOf(s check.Status) htmlStatus {
	class := string(s)
	switch s {
	case check.Pass, check.Warn, check.Fail, check.Skip:
	default:
		class = "unknown"
	}
	return htmlStatus{Class: class, Tag: tag(s)}
}

// htmlPageOf lays the run out as the page's values.
func htmlPageOf(r Run) htmlPage {
	rep, t := r.Report, r.Ticket
	mode := string(rep.Mode)
	if mode == "" {
		mode = "run"
	}
	p := htmlPage{
		Mode:      clean(mode),
		Verdict:   htmlVerdictOf("", rep),
		Generated: clean(system(headOf(rep), t)),
		Run:       htmlRunOf("", false, rep),
	}
	if rep.Target != (probe.Target{}) {
		p.Endpoint = clean(endpoint(rep.Target))
	}
	p.Title = "exoprobe " + p.Mode + " - " + p.Verdict.Status.Tag
	if p.Endpoint != "" {
		p.Title = "exoprobe " + p.Mode + " - " + p.Endpoint + " - " + p.Verdict.Status.Tag
	}
	var target string
	if p.Endpoint != "" {
		target = endpoint(rep.Target)
		if rep.Target.Domain != "" && rep.Target.Host != "" {
			target += " (domain " + rep.Target.Domain + ")"
		}
	}
	p.Ticket, p.Inputs = htmlTicket(headOf(rep), t, target)
	if r.Connector != nil {
		p.Run.Connector = htmlConnectorOf(r.Connector)
	}
	return p
}

// htmlSitePageOf lays a site run out as the page's values: the site's verdict, the table of
// paths, and each path's run with its own verdict and root cause.
func htmlSitePageOf(s Site) htmlPage {
	site, t := s.Site, s.Ticket
	h := siteHead(site)
	p := htmlPage{
		Mode:      string(check.ModeSite),
		Endpoint:  clean(site.Domain),
		Verdict:   htmlVerdict{Status: statusOf(site.Verdict), Text: clean(siteVerdictText(site))},
		Generated: clean(system(h, t)),
		Site:      &htmlSite{},
	}
	p.Title = "exoprobe site - " + p.Endpoint + " - " + p.Verdict.Status.Tag
	p.Ticket, p.Inputs = htmlTicket(h, t, "")
	for _, path := range site.Paths {
		id := clean(string(path.ID))
		hp := htmlPath{
			ID: id, Title: pathTitle(path.ID), Status: statusOf(path.Status), Tag: pathTag(path),
			Why: clean(pathWhy(path)), Result: pathResult(path), NotTried: clean(path.NotTried),
		}
		if path.Report != nil {
			v := htmlVerdictOf(id+"-", path.Report)
			hp.Verdict = &v
			hp.Run = htmlRunOf(id+"-", true, path.Report)
		}
		p.Site.Paths = append(p.Site.Paths, hp)
	}
	return p
}

// htmlVerdictOf is a run's verdict box: its verdict, the sentence and the root cause.
func htmlVerdictOf(id string, rep *probe.Report) htmlVerdict {
	v := htmlVerdict{ID: id, Status: statusOf(verdictOf(rep)), Text: clean(verdictText(rep))}
	if root, ok := rootCause(rep); ok {
		v.RootCause = &htmlRootCause{Headline: headline(root), Check: clean(string(root.Check)), Code: clean(string(root.Code))}
		if root.Hint != nil {
			v.RootCause.HintID = clean(root.Hint.ID)
		}
	}
	return v
}

// htmlTicket is the page's run section: the ticket's rows (target is the run's endpoint, ""
// for none) and its inputs.
func htmlTicket(h runHead, t *Ticket, target string) (rows, inputs []htmlRow) {
	row := func(label, value string, code bool) { rows = append(rows, htmlRow{label, clean(value), code}) }
	if t != nil {
		row("Exit code", fmt.Sprint(t.ExitCode), false)
		row("Command", orValue(t.CommandLine, "exoprobe "+string(h.Mode)), true)
	}
	if target != "" {
		row("Target", target, false)
	}
	started := "not recorded"
	if !h.Started.IsZero() {
		started = h.Started.UTC().Format(time.RFC3339)
		if t != nil {
			started = localStart(h, t) + "; " + started
		}
	}
	row("Started", started+", took "+duration(h.DurationMS), false)
	row("exoprobe", strings.TrimPrefix(system(h, t), "exoprobe "), false)
	if t != nil {
		if t.Environment.Machine != "" {
			row("Machine", t.Environment.Machine, true)
		}
		row("Proxy", proxyText(t.Environment), false)
		for _, pr := range t.Inputs.pairs() {
			inputs = append(inputs, htmlRow{Label: clean(pr.name), Value: clean(pr.value), Code: true})
		}
	}
	return rows, inputs
}

// htmlRunOf lays out what a run showed: its checks and their facts, its findings with their
// fix steps, and its transcript.
func htmlRunOf(id string, nested bool, rep *probe.Report) *htmlRun {
	r := &htmlRun{ID: id, Nested: nested}
	for _, c := range checks(rep) {
		r.Checks = append(r.Checks, htmlCheck{ID: clean(string(c.ID)), Status: statusOf(c.Status), Time: tookOf(c), Summary: clean(summaryOf(c))})
		if keys := sortedKeys(c.Facts); len(keys) > 0 {
			f := htmlFacts{Check: clean(string(c.ID))}
			for _, k := range keys {
				f.Items = append(f.Items, htmlRow{Label: clean(k), Value: factText(c.Facts[k]), Code: true})
			}
			r.Facts = append(r.Facts, f)
		}
	}
	root, hasRoot := rootCause(rep)
	for i, f := range findings(rep) {
		hf := htmlFinding{
			N: i + 1, Status: statusOf(f.Severity), Check: clean(string(f.Check)), Code: clean(string(f.Code)),
			Message:   clean(f.Message),
			RootCause: hasRoot && f.Check == root.Check && f.Code == root.Code && f.Message == root.Message,
		}
		if h := f.Hint; h != nil {
			hf.Title, hf.Cause = clean(h.Title), clean(h.Cause)
			for _, s := range fixSteps(h.Fix) {
				hf.Steps = append(hf.Steps, htmlStep(s))
			}
			for _, d := range nonEmpty(h.Docs) {
				hf.Docs = append(hf.Docs, htmlLinkOf(d))
			}
		}
		r.Findings = append(r.Findings, hf)
	}
	for _, l := range safeTranscript(rep.Transcript) {
		r.Transcript = append(r.Transcript, transcriptLine(l))
	}
	return r
}

// htmlStep lays out a fix step as the Markdown report does: its text, then its command in a
// block of its own.
func htmlStep(step check.Step) []htmlPart {
	var out []htmlPart
	if text := strings.TrimSpace(step.Text); text != "" {
		out = append(out, htmlPart{Prose: clean(text)})
	}
	if lines := commandLines(step.Command); len(lines) > 0 {
		out = append(out, htmlPart{Lines: lines, Command: true})
	}
	return out
}

// htmlLinkOf makes a docs entry a link when it is a web address; anything else stays text.
func htmlLinkOf(s string) htmlLink {
	s = clean(strings.TrimSpace(s))
	l := htmlLink{Text: s}
	if (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) && !strings.ContainsAny(s, " \"'<>`") {
		l.URL = s
	}
	return l
}

func htmlConnectorOf(plan *probe.ConnectorPlan) *htmlConnector {
	s := connectorCommands(plan)
	c := &htmlConnector{
		Name: clean(plan.Name), Kind: clean(connectorKind(plan)), Ready: clean(readyText(plan)), Lead: clean(createLead(plan)),
		Create: []string{clean(s.Connect), clean(s.Create)}, Update: []string{clean(s.Update)}, Check: clean(s.Check),
	}
	for _, a := range appSettings(plan) {
		c.Settings = append(c.Settings, htmlRow{Label: clean(a.Setting), Value: clean(a.Value)})
	}
	return c
}
