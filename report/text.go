package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fatih/color"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// TextOptions shape the text format. The zero value is plain text, 80 columns, no transcript.
type TextOptions struct {
	// Color turns on ANSI colours. The caller decides: off for NO_COLOR, --no-color and
	// output that is not a terminal. The package never looks at color.NoColor.
	Color bool
	// Transcript shows the SMTP conversation (AUTH redacted) before the findings.
	Transcript bool
	// Verbose also shows every check's facts.
	Verbose bool
	// Width is the column at which prose wraps; zero means DefaultWidth. Commands, transcript
	// lines and words longer than the room are never broken.
	Width int
}

// palette holds the colours of one rendering, each on or off as TextOptions.Color says.
type palette struct {
	pass, warn, fail, skip, bold *color.Color
}

func newPalette(on bool) palette {
	p := palette{
		pass: color.New(color.FgGreen, color.Bold),
		warn: color.New(color.FgYellow, color.Bold),
		fail: color.New(color.FgRed, color.Bold),
		skip: color.New(color.FgCyan),
		bold: color.New(color.Bold),
	}
	for _, c := range []*color.Color{p.pass, p.warn, p.fail, p.skip, p.bold} {
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
	}
	return p
}

// status returns the coloured tag of s.
func (p palette) status(s check.Status) string {
	switch s {
	case check.Pass:
		return p.pass.Sprint(tag(s))
	case check.Warn:
		return p.warn.Sprint(tag(s))
	case check.Fail:
		return p.fail.Sprint(tag(s))
	}
	return p.skip.Sprint(tag(s))
}

// Layout of the text format, in columns.
const (
	idColumn   = 10 // check ids are padded to this width in progress lines
	bodyIndent = 6  // findings' text under their tag
	stepIndent = 8  // fix steps and docs links
	cmdIndent  = 4  // commands, further in than the text of their step
)

// renderText writes one line for the check: the status tag, the check id, its summary and how
// long it took. A long summary wraps under itself.
func (pr Progress) renderText(w io.Writer, o TextOptions) error {
	r := pr.Check
	if r == nil {
		return nil
	}
	p := newPalette(o.Color)
	summary := summaryOf(r)
	id := clean(string(r.ID))
	lead := "      " + fmt.Sprintf("%-*s", idColumn, id) + "  "
	if len(id) > idColumn {
		lead = "      " + id + "  "
	}
	hang := strings.Repeat(" ", len(lead))
	lines := wrap(summary, o.width(), lead, hang)
	if r.Status != check.Skip {
		// The duration is one unit: it joins the last line when it fits, else takes its own.
		took := "(" + duration(r.DurationMS) + ")"
		last := lines[len(lines)-1]
		switch {
		case strings.TrimSpace(last) == id:
			lines[len(lines)-1] = last + strings.Repeat(" ", len(lead)-len(last)) + took
		case utf8.RuneCountInString(last)+1+len(took) <= o.width():
			lines[len(lines)-1] = last + " " + took
		default:
			lines = append(lines, hang+took)
		}
	}
	var b strings.Builder
	for i, l := range lines {
		if i == 0 {
			b.WriteString(p.status(r.Status) + "  " + l[bodyIndent:])
		} else {
			b.WriteString(l)
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// summaryOf is a check's summary, or what stands in for one it left empty.
func summaryOf(r *check.Result) string {
	if r.Summary != "" {
		return r.Summary
	}
	return fallbackSummary(r)
}

// tookOf is how long a check took, as the reports show it: "-" for a skipped check.
func tookOf(r *check.Result) string {
	if r.Status == check.Skip {
		return "-"
	}
	return duration(r.DurationMS)
}

// fallbackSummary stands in for a check that left its summary empty.
func fallbackSummary(r *check.Result) string {
	for _, sev := range []check.Status{check.Fail, check.Warn, check.Skip} {
		for _, f := range r.Findings {
			if f.Severity == sev {
				return f.Message
			}
		}
	}
	if r.Status == check.Pass {
		return "ok"
	}
	return ""
}

// errWriter remembers the first write error so that rendering code can write freely.
type errWriter struct {
	w   *bufio.Writer
	err error
}

func (e *errWriter) line(s string) {
	if e.err != nil {
		return
	}
	_, e.err = e.w.WriteString(s + "\n")
}

func (e *errWriter) flush() error {
	if e.err != nil {
		return e.err
	}
	return e.w.Flush()
}

func newErrWriter(w io.Writer) *errWriter { return &errWriter{w: bufio.NewWriter(w)} }

// renderText writes what follows the progress lines: the run block of the ticket (command
// line, machine, inputs), the transcript when asked, each check's facts when verbose, then
// every finding, most severe first, with its message, cause, numbered fix steps and docs
// links, the connector of a pre-flight, one verdict line, and the ticket's root cause and exit
// code. Text from the network is shown as received, control characters escaped.
func (r Run) renderText(w io.Writer, o TextOptions) error {
	if r.Report == nil {
		return fmt.Errorf("report: no report to render")
	}
	ew := newErrWriter(w)
	p := newPalette(o.Color)
	ticketText(ew, p, headOf(r.Report), r.Ticket, o.width())
	textBody(ew, p, r.Report, o)
	if r.Connector != nil {
		connectorText(ew, p, r.Connector, o)
	}
	textVerdict(ew, p, r.Report)
	ticketTextEnd(ew, p, runCauses(r.Report), r.Ticket, o.width())
	return ew.flush()
}

// textBody writes the certificate of `exoprobe cert`, the transcript when asked, the facts when
// verbose, and the findings.
func textBody(ew *errWriter, p palette, rep *probe.Report, o TextOptions) {
	width := o.width()
	certDetails(ew, p, rep)

	if o.Transcript {
		tr := safeTranscript(rep.Transcript)
		ew.line("")
		if len(tr) == 0 {
			ew.line(p.bold.Sprint("Transcript") + ": none, no SMTP conversation took place")
		} else {
			ew.line(p.bold.Sprint("Transcript") + " (S: server, C: exoprobe, *: note; AUTH redacted)")
			for _, l := range tr {
				ew.line("  " + transcriptLine(l))
			}
		}
	}

	if o.Verbose {
		ew.line("")
		ew.line(p.bold.Sprint("Facts"))
		for _, c := range checks(rep) {
			keys := sortedKeys(c.Facts)
			if len(keys) == 0 {
				continue
			}
			ew.line("  " + clean(string(c.ID)) + ":")
			for _, k := range keys {
				ew.line("    " + clean(k) + ": " + factText(c.Facts[k]))
			}
		}
	}

	fs := findings(rep)
	if o.Verbose {
		fs = append(fs, skipped(rep)...)
	}
	if len(fs) > 0 {
		ew.line("")
		ew.line(p.bold.Sprint("Findings"))
	}
	for _, f := range fs {
		ew.line("")
		textFinding(ew, p, f, width)
	}
}

// textVerdict writes the last line: the verdict and what it means for sending.
func textVerdict(ew *errWriter, p palette, rep *probe.Report) {
	ew.line("")
	ew.line(p.bold.Sprint("Verdict:") + " " + p.status(verdictOf(rep)) + " - " + verdictSentence(rep))
}

// skipped returns the reasons of skipped checks, for verbose output.
func skipped(rep *probe.Report) []probe.CheckFinding {
	var out []probe.CheckFinding
	for _, c := range checks(rep) {
		for _, f := range c.Findings {
			if f.Severity == check.Skip {
				out = append(out, probe.CheckFinding{Check: c.ID, Finding: f})
			}
		}
	}
	return out
}

// textFinding writes one finding: tag, check and code on the first line, then its hint with
// the message as what was seen.
func textFinding(ew *errWriter, p palette, f probe.CheckFinding, width int) {
	head := p.status(f.Severity) + "  " + clean(string(f.Check))
	if f.Code != "" {
		head += "  " + clean(string(f.Code))
	}
	ew.line(head)
	var h check.Hint
	if f.Hint != nil {
		h = *f.Hint
	}
	textHint(ew, p, h, width, f.Message)
}

// textHint writes a hint under its heading line, the one layout of a hint in text: the title in
// bold, then what was seen (a finding's message; explain has none), the cause, the numbered fix
// steps and the docs links. An empty part is left out.
func textHint(ew *errWriter, p palette, h check.Hint, width int, seen ...string) {
	body := strings.Repeat(" ", bodyIndent)
	if h.Title != "" {
		for _, l := range wrap(h.Title, width, body, body) {
			ew.line(body + p.bold.Sprint(strings.TrimPrefix(l, body)))
		}
	}
	for _, s := range seen {
		for _, l := range wrap(s, width, body, body) {
			ew.line(l)
		}
	}
	if h.Cause != "" {
		for _, l := range wrap(h.Cause, width, body+"Why: ", body+"     ") {
			ew.line(l)
		}
	}
	if steps := fixSteps(h.Fix); len(steps) > 0 {
		ew.line(body + "Fix:")
		textSteps(ew, steps, width)
	}
	if docs := nonEmpty(h.Docs); len(docs) > 0 {
		ew.line(body + "Docs:")
		for _, d := range docs {
			ew.line(strings.Repeat(" ", stepIndent) + clean(d))
		}
	}
}

// textSteps writes numbered fix steps: the text wrapped under its number, then the command on
// lines of its own, indented further and never wrapped, so that it can be copied into its shell.
func textSteps(ew *errWriter, steps []check.Step, width int) {
	numWidth := len(strconv.Itoa(len(steps)))
	for i, s := range steps {
		num := fmt.Sprintf("%*d. ", numWidth, i+1)
		lead := strings.Repeat(" ", stepIndent) + num
		hang := strings.Repeat(" ", len(lead))
		if text := strings.TrimSpace(s.Text); text != "" {
			for _, line := range wrap(clean(text), width, lead, hang) {
				ew.line(line)
			}
		} else {
			ew.line(strings.TrimRight(lead, " "))
		}
		for _, c := range commandLines(s.Command) {
			ew.line(hang + strings.Repeat(" ", cmdIndent) + c)
		}
	}
}

// nonEmpty drops blank entries.
func nonEmpty(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// transcriptLine prints one transcript line after its direction.
func transcriptLine(l check.Line) string {
	switch l.Dir {
	case "S", "C":
		return l.Dir + ": " + clean(l.Line)
	case "*":
		return "*  " + clean(l.Line)
	}
	return clean(l.Dir) + ": " + clean(l.Line)
}

// sortedKeys returns the keys of facts in order.
func sortedKeys(f check.Facts) []string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// factText prints a fact's value on one line: a string as it is, anything else as compact JSON.
func factText(v any) string {
	switch x := v.(type) {
	case string:
		return clean(x)
	case error:
		return clean(x.Error())
	case fmt.Stringer:
		return clean(x.String())
	}
	return clean(string(factJSON(v)))
}

// factJSON encodes a fact's value as JSON without HTML escapes; a value JSON cannot encode
// becomes its %v text, so that one odd fact cannot sink the whole report.
func factJSON(v any) json.RawMessage {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		buf.Reset()
		_ = enc.Encode(fmt.Sprintf("%v", v)) // a string always encodes
	}
	return json.RawMessage(bytes.TrimRight(buf.Bytes(), "\n"))
}
