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
// pre-flight, the facts, and the transcript (AUTH redacted) in a collapsible block.

//go:embed html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Parse(htmlSource))

// htmlDoc is a document with an HTML layout: only the report of a run has one.
type htmlDoc interface {
	renderHTML(w io.Writer) error
}

type (
	// htmlPage is what the template lays out; every string in it is clean.
	htmlPage struct {
		Title       string
		Mode        string
		Endpoint    string // "" for a run without one (ip, cert)
		Verdict     htmlStatus
		VerdictText string
		RootCause   *htmlRootCause
		Run         []htmlRow
		Inputs      []htmlRow
		Checks      []htmlCheck
		Findings    []htmlFinding
		Connector   *htmlConnector
		Facts       []htmlFacts
		Transcript  []string
		Generated   string
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
		IsReady           bool
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
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, htmlPageOf(r)); err != nil {
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
	v := verdictOf(rep)
	mode := string(rep.Mode)
	if mode == "" {
		mode = "run"
	}
	p := htmlPage{
		Mode:        clean(mode),
		Verdict:     statusOf(v),
		VerdictText: clean(verdictText(rep)),
		Generated:   clean(system(rep, t)),
	}
	if rep.Target != (probe.Target{}) {
		p.Endpoint = clean(endpoint(rep.Target))
	}
	p.Title = "exoprobe " + p.Mode + " - " + p.Verdict.Tag
	if p.Endpoint != "" {
		p.Title = "exoprobe " + p.Mode + " - " + p.Endpoint + " - " + p.Verdict.Tag
	}
	root, hasRoot := rootCause(rep)
	if hasRoot {
		p.RootCause = &htmlRootCause{Headline: headline(root), Check: clean(string(root.Check)), Code: clean(string(root.Code))}
		if root.Hint != nil {
			p.RootCause.HintID = clean(root.Hint.ID)
		}
	}

	row := func(label, value string, code bool) { p.Run = append(p.Run, htmlRow{label, clean(value), code}) }
	if t != nil {
		row("Exit code", fmt.Sprint(t.ExitCode), false)
		row("Command", orValue(t.CommandLine, "exoprobe "+mode), true)
	}
	if p.Endpoint != "" {
		target := endpoint(rep.Target)
		if rep.Target.Domain != "" && rep.Target.Host != "" {
			target += " (domain " + rep.Target.Domain + ")"
		}
		row("Target", target, false)
	}
	started := "not recorded"
	if !rep.Started.IsZero() {
		started = rep.Started.UTC().Format(time.RFC3339)
		if t != nil {
			started = localStart(rep, t) + "; " + started
		}
	}
	row("Started", started+", took "+duration(rep.DurationMS), false)
	row("exoprobe", strings.TrimPrefix(system(rep, t), "exoprobe "), false)
	if t != nil {
		if t.Environment.Machine != "" {
			row("Machine", t.Environment.Machine, true)
		}
		row("Proxy", proxyText(t.Environment), false)
		for _, pr := range t.Inputs.pairs() {
			p.Inputs = append(p.Inputs, htmlRow{Label: clean(pr.name), Value: clean(pr.value), Code: true})
		}
	}

	for _, c := range checks(rep) {
		took := duration(c.DurationMS)
		if c.Status == check.Skip {
			took = "-"
		}
		summary := c.Summary
		if summary == "" {
			summary = fallbackSummary(c)
		}
		p.Checks = append(p.Checks, htmlCheck{ID: clean(string(c.ID)), Status: statusOf(c.Status), Time: took, Summary: clean(summary)})
		if keys := sortedKeys(c.Facts); len(keys) > 0 {
			f := htmlFacts{Check: clean(string(c.ID))}
			for _, k := range keys {
				f.Items = append(f.Items, htmlRow{Label: clean(k), Value: factText(c.Facts[k]), Code: true})
			}
			p.Facts = append(p.Facts, f)
		}
	}
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
		p.Findings = append(p.Findings, hf)
	}
	if r.Connector != nil {
		p.Connector = htmlConnectorOf(r.Connector)
	}
	for _, l := range safeTranscript(rep.Transcript) {
		p.Transcript = append(p.Transcript, transcriptLine(l))
	}
	return p
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
		Name: clean(plan.Name), Kind: clean(connectorKind(plan)), IsReady: plan.Ready, Ready: "yes",
		Create: []string{clean(s.Connect), clean(s.Create)}, Update: []string{clean(s.Update)}, Check: clean(s.Check),
	}
	if !plan.Ready {
		c.Ready = "no: fix the failures above first"
	}
	for _, a := range appSettings(plan) {
		c.Settings = append(c.Settings, htmlRow{Label: clean(a.Setting), Value: clean(a.Value)})
	}
	return c
}
