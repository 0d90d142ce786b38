package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/inventory"
	"github.com/exoprobe/exoprobe/probe/tenant"
)

// The HTML page of an inventory, for a ticket: one self-contained page as the run's page is
// (inline CSS, no scripts, a Content-Security-Policy that loads nothing), rendered with
// html/template, every value from a file cleaned of control and format characters first. It
// holds what the Markdown report holds: the verdict, a table of rows, the way forward of each
// with its command, what was not read, and how the run was made.

type (
	invPage struct {
		Verdict     htmlStatus
		VerdictText string
		Summary     string
		Rows        []invRow
		Problems    []invProblem
		LeftOut     int
		Run         []htmlRow
		Generated   string
		Machine     bool
		Tenant      *invTenant
	}
	invTenant struct {
		Title, Summary string
		Groups         []invGroup
		Mailboxes      []invMailbox
		TenantSteps    []invStep
		Notes          []string
	}
	invGroup struct {
		Status                          htmlStatus
		Account, IP, Count, First, Last string
		Way, Head, Seen, Reason         string
		Steps                           []invStep
	}
	invMailbox struct {
		Address, State, SignIns, Way string
		Steps                        []invStep
	}
	invStep struct{ Lead, Way, Text, Command string }
	invRow  struct {
		N                             int
		Status                        htmlStatus
		File, Line, Setting           string
		Endpoint, SignIn, Way, Reason string
		Command                       string
	}
	invProblem struct{ Path, Detail string }
)

var inventoryHTML = template.Must(template.New("inventory").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="{{.Generated}}">
<title>exoprobe inventory: what still signs in with a password</title>
<style>
:root { --pass: #1a7f37; --warn: #9a6700; --fail: #cf222e; --skip: #57606a; --line: #d0d7de; --soft: #f6f8fa; }
body { font: 15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2328; margin: 0 auto; max-width: 70rem; padding: 1.5rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; border-bottom: 1px solid var(--line); margin-top: 2rem; }
code, pre { font: 13px/1.45 Consolas, "Cascadia Mono", Menlo, "Liberation Mono", monospace; }
code { background: var(--soft); padding: 0 .25em; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: var(--soft); border: 1px solid var(--line); border-left: 4px solid #0969da; border-radius: 6px; padding: .5rem .8rem; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: .3rem .5rem; }
th { background: var(--soft); }
.badge { display: inline-block; font-weight: 700; font-size: .8rem; color: #fff; border-radius: 4px; padding: .05rem .4rem; }
.badge.pass { background: var(--pass); } .badge.warn { background: var(--warn); } .badge.fail { background: var(--fail); } .badge.skip { background: var(--skip); }
.verdict { border: 2px solid var(--skip); border-left-width: 8px; border-radius: 6px; padding: .7rem 1rem; }
.verdict.pass { border-color: var(--pass); background: #dafbe1; } .verdict.warn { border-color: var(--warn); background: #fff8c5; }
footer { color: var(--skip); font-size: .85rem; margin-top: 2rem; border-top: 1px solid var(--line); }
@media print { body { max-width: none; padding: 0; } pre { white-space: pre-wrap; } tr { break-inside: avoid; } }
</style>
</head>
<body>
<h1>exoprobe inventory: what still signs in with a password</h1>
<div class="verdict {{.Verdict.Class}}"><p><span class="badge {{.Verdict.Class}}">{{.Verdict.Tag}}</span> {{.VerdictText}}</p></div>
{{- if .Machine}}
<h2>This machine: configuration files</h2>
<p>{{.Summary}}</p>
{{- if .Rows}}
<table>
<tr><th></th><th>file</th><th>line</th><th>endpoint</th><th>sign-in</th><th>way forward</th></tr>
{{- range .Rows}}
<tr><td><span class="badge {{.Status.Class}}">{{.Status.Tag}}</span></td><td><code>{{.File}}</code></td><td>{{.Line}}</td><td>{{.Endpoint}}</td><td>{{.SignIn}}</td><td>{{.Way}}</td></tr>
{{- end}}
</table>
<h3>Ways forward</h3>
<ol>
{{- range .Rows}}
<li><p><code>{{.File}}</code> line {{.Line}} ({{.Setting}}): <strong>{{.Way}}.</strong> {{.Reason}}</p>{{if .Command}}<pre>{{.Command}}</pre>{{end}}</li>
{{- end}}
</ol>
{{- end}}
{{- if .Problems}}
<h3>Not read</h3>
<ul>
{{- range .Problems}}
<li><code>{{.Path}}</code>: {{.Detail}}</li>
{{- end}}
{{- if .LeftOut}}<li>and {{.LeftOut}} more</li>{{end}}
</ul>
{{- end}}
{{- end}}
{{- with .Tenant}}
<h2>{{.Title}}</h2>
<p>{{.Summary}}</p>
{{- if .Groups}}
<table>
<tr><th></th><th>account</th><th>client IP</th><th>sign-ins</th><th>first seen</th><th>last seen</th><th>way forward</th></tr>
{{- range .Groups}}
<tr><td><span class="badge {{.Status.Class}}">{{.Status.Tag}}</span></td><td>{{.Account}}</td><td>{{.IP}}</td><td>{{.Count}}</td><td>{{.First}}</td><td>{{.Last}}</td><td>{{.Way}}</td></tr>
{{- end}}
</table>
<h3>Ways forward for the sign-ins</h3>
<ol>
{{- range .Groups}}
<li><p>{{.Head}}: {{.Seen}}. {{.Reason}}</p>{{range .Steps}}<p><strong>{{.Lead}}{{.Way}}.</strong> {{.Text}}</p>{{if .Command}}<pre>{{.Command}}</pre>{{end}}{{end}}</li>
{{- end}}
</ol>
{{- end}}
{{- if .Mailboxes}}
<h3>Mailboxes that can still use SMTP AUTH</h3>
<table>
<tr><th>mailbox</th><th>SMTP AUTH</th><th>basic sign-ins</th><th>way forward</th></tr>
{{- range .Mailboxes}}
<tr><td>{{.Address}}</td><td>{{.State}}</td><td>{{.SignIns}}</td><td>{{.Way}}</td></tr>
{{- end}}
</table>
<ol>
{{- range .Mailboxes}}
<li><p>{{.Address}}</p>{{range .Steps}}<p><strong>{{.Lead}}{{.Way}}.</strong> {{.Text}}</p>{{if .Command}}<pre>{{.Command}}</pre>{{end}}{{end}}</li>
{{- end}}
</ol>
{{- end}}
{{- if .TenantSteps}}
<h3>The tenant&#39;s SMTP AUTH</h3>
{{- range .TenantSteps}}
<p><strong>{{.Lead}}{{.Way}}.</strong> {{.Text}}</p>{{if .Command}}<pre>{{.Command}}</pre>{{end}}
{{- end}}
{{- end}}
{{- if .Notes}}
<h3>Not read in the tenant</h3>
<ul>
{{- range .Notes}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
{{- end}}
<h2>Run</h2>
<table>
{{- range .Run}}
<tr><th>{{.Label}}</th><td>{{if .Code}}<code>{{.Value}}</code>{{else}}{{.Value}}{{end}}</td></tr>
{{- end}}
</table>
<footer><p>{{.Generated}}</p></footer>
</body>
</html>
`))

// invStatus is a status as the page's badge shows it.
func invStatus(s check.Status, word string) htmlStatus {
	return htmlStatus{Class: string(s), Tag: word}
}

// renderHTML writes the inventory as one HTML page.
func (inv Inventory) renderHTML(w io.Writer) error {
	m := inv.Machine
	if m == nil && inv.Tenant == nil {
		return fmt.Errorf("report: no inventory to render")
	}
	v := inv.Verdict()
	page := invPage{
		Verdict: invStatus(v, tag(v)), VerdictText: clean(inventoryVerdict(inv)),
		Generated: "exoprobe " + clean(inv.Version), Machine: m != nil, Tenant: htmlTenant(inv.Tenant),
	}
	if m == nil {
		m = &inventory.Result{} // the machine's rows below are none
	} else {
		page.Summary, page.LeftOut = clean(machineSummary(m)), m.ProblemsLeftOut
	}
	for i, r := range m.Rows {
		word, st := rowTag(r)
		page.Rows = append(page.Rows, invRow{
			N: i + 1, Status: invStatus(st, word), File: clean(r.File), Line: strconv.Itoa(r.Line), Setting: clean(r.Setting),
			Endpoint: clean(rowEndpoint(r)), SignIn: clean(rowSignIn(r)), Way: wayTitle(r.Way), Reason: clean(r.Reason), Command: clean(r.Command),
		})
	}
	for _, p := range m.Problems {
		page.Problems = append(page.Problems, invProblem{Path: clean(p.Path), Detail: clean(p.Detail)})
	}
	if t := inv.Ticket; t != nil {
		page.Run = append(page.Run,
			htmlRow{Label: "command", Value: clean(t.CommandLine), Code: true},
			htmlRow{Label: "machine", Value: clean(t.Environment.Machine + " (" + t.Environment.OS + "/" + t.Environment.Arch + ")")},
			htmlRow{Label: "exit code", Value: strconv.Itoa(t.ExitCode)})
	}
	if page.Machine {
		page.Run = append(page.Run,
			htmlRow{Label: "searched", Value: clean(strings.Join(m.Paths, ", "))},
			htmlRow{Label: "read", Value: fmt.Sprintf("%s read, %s; files over %d MiB skipped", count(m.FilesRead, "file"), dirsWalked(m.DirsWalked), m.MaxFileSize>>20)})
	}
	if t := inv.Tenant; t != nil {
		page.Run = append(page.Run, htmlRow{Label: "tenant", Value: fmt.Sprintf("%s, sign-in logs since %s (%d days)", clean(t.Tenant), t.Since.UTC().Format(time.RFC3339), t.Days)})
	}
	page.Run = append(page.Run, htmlRow{Label: "started", Value: inv.Started.UTC().Format(time.RFC3339) + ", took " + duration(inv.Duration.Milliseconds())})
	var b bytes.Buffer
	if err := inventoryHTML.Execute(&b, page); err != nil {
		return fmt.Errorf("report: laying out the HTML page: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("report: writing HTML: %w", err)
	}
	return nil
}

// htmlTenant is the tenant section of the page; nil without a tenant read.
func htmlTenant(t *tenant.BasicAuth) *invTenant {
	if t == nil {
		return nil
	}
	steps := func(list []tenant.Step) []invStep {
		var out []invStep
		for i, s := range list {
			out = append(out, invStep{Lead: wayWord(i), Way: wayTitle(s.Way), Text: clean(s.Text), Command: clean(s.Command)})
		}
		return out
	}
	out := &invTenant{Title: tenantTitle(t), Summary: clean(tenantSummary(t))}
	for _, g := range t.Groups {
		word, st := groupTag(g)
		ig := invGroup{
			Status: invStatus(st, word), Account: orDash(g.Account), IP: orDash(g.IP), Count: strconv.Itoa(g.Count),
			First: day(g.First), Last: day(g.Last), Head: clean(groupHead(g)), Seen: clean(groupSeen(g)), Reason: groupReason(g, t.Days),
			Steps: steps(g.Steps),
		}
		if len(g.Steps) > 0 {
			ig.Way = wayTitle(g.Steps[0].Way)
		}
		out.Groups = append(out.Groups, ig)
	}
	for _, mb := range t.Mailboxes {
		out.Mailboxes = append(out.Mailboxes, invMailbox{Address: clean(mb.Address), State: mailboxState(mb), SignIns: strconv.Itoa(mb.SignIns),
			Way: wayTitle(mb.Step.Way), Steps: steps([]tenant.Step{mb.Step})})
	}
	if t.TenantStep != nil {
		out.TenantSteps = steps([]tenant.Step{*t.TenantStep})
	}
	for _, n := range t.Notes {
		out.Notes = append(out.Notes, noteSource(n)+" ("+string(n.Kind)+"): "+clean(n.Message))
	}
	return out
}
