package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// mdInputs writes the section of a run's inputs; nothing when none is set.
func mdInputs(ew *errWriter, in Inputs) {
	pairs := in.pairs()
	if len(pairs) == 0 {
		return
	}
	ew.line("")
	ew.line("## Inputs")
	ew.line("")
	ew.line("| Input | Value |")
	ew.line("|---|---|")
	for _, pr := range pairs {
		ew.line("| " + mdCell(pr.name) + " | " + codeSpan(pr.value, true) + " |")
	}
}

// renderMarkdown writes the report for a ticket: a heading with the mode, target and verdict,
// the verdict sentence, the root cause, the run (exit code, command line, time, machine,
// proxy) and its inputs when the ticket is given, a table of the checks, the findings with their fixes (commands in
// ```powershell fences), the connector of a pre-flight, the facts, and the transcript (AUTH
// redacted) in a fenced block. Text from the network is escaped so that it cannot break the
// layout.
func (r Run) renderMarkdown(w io.Writer) error {
	rep := r.Report
	if rep == nil {
		return fmt.Errorf("report: no report to render")
	}
	ew := newErrWriter(w)
	v := verdictOf(rep)
	mode := rep.Mode
	if mode == "" {
		mode = "run"
	}
	noTarget := rep.Target == (probe.Target{}) // an offline run (cert) or one without an endpoint (ip)
	if noTarget {
		ew.line(fmt.Sprintf("# exoprobe %s - %s", mdText(string(mode)), tag(v)))
	} else {
		ew.line(fmt.Sprintf("# exoprobe %s - %s - %s", mdText(string(mode)), mdText(endpoint(rep.Target)), tag(v)))
	}
	ew.line("")
	ew.line(fmt.Sprintf("**Verdict: %s** - %s", tag(v), mdText(verdictSentence(rep))))
	ew.line("")
	if !noTarget {
		target := codeSpan(endpoint(rep.Target), false)
		if rep.Target.Domain != "" && rep.Target.Host != "" {
			target += " (domain " + codeSpan(shownName(rep.Target.Domain), false) + ")"
		}
		ew.line("- **Target:** " + target)
	}
	if _, ok := rootCause(rep); ok {
		ew.line("- **Root cause:** " + mdText(rootCauseText(rep)))
	}
	t := r.Ticket
	if t != nil {
		ew.line("- **Exit code:** " + strconv.Itoa(t.ExitCode))
		ew.line("- **Command:** " + codeSpan(orValue(t.CommandLine, "exoprobe "+string(mode)), false))
	}
	started := "not recorded"
	if !rep.Started.IsZero() {
		started = rep.Started.UTC().Format(time.RFC3339)
		if t != nil {
			started = localStart(headOf(rep), t) + "; " + started
		}
	}
	ew.line("- **Started:** " + mdText(started) + ", took " + duration(rep.DurationMS))
	ew.line("- **exoprobe:** " + mdText(strings.TrimPrefix(system(headOf(rep), t), "exoprobe ")))
	if t != nil {
		if t.Environment.Machine != "" {
			ew.line("- **Machine:** " + codeSpan(t.Environment.Machine, false))
		}
		ew.line("- **Proxy:** " + mdText(proxyText(t.Environment)))
		mdInputs(ew, t.Inputs)
	}

	cs := checks(rep)
	if len(cs) > 0 {
		ew.line("")
		ew.line("## Checks")
		ew.line("")
		ew.line("| Check | Status | Time | Summary |")
		ew.line("|---|---|---|---|")
		for _, c := range cs {
			ew.line(fmt.Sprintf("| %s | %s | %s | %s |", mdCell(string(c.ID)), tag(c.Status), tookOf(c), mdCell(summaryOf(c))))
		}
	}

	if fs := findings(rep); len(fs) > 0 {
		ew.line("")
		ew.line("## Findings")
		for i, f := range fs {
			ew.line("")
			mdFinding(ew, i+1, f)
		}
	}
	if r.Connector != nil {
		connectorMarkdown(ew, r.Connector)
	}

	if len(cs) > 0 {
		ew.line("")
		ew.line("## Facts")
		ew.line("")
		for _, c := range cs {
			keys := sortedKeys(c.Facts)
			if len(keys) == 0 {
				continue
			}
			items := make([]string, 0, len(keys))
			for _, k := range keys {
				items = append(items, mdText(k)+" "+codeSpan(factText(c.Facts[k]), false))
			}
			ew.line("- **" + mdText(string(c.ID)) + "**: " + strings.Join(items, ", "))
		}
	}

	if tr := safeTranscript(rep.Transcript); len(tr) > 0 {
		ew.line("")
		ew.line("## Transcript")
		ew.line("")
		ew.line("S: server, C: exoprobe, *: note; AUTH redacted.")
		ew.line("")
		lines := make([]string, 0, len(tr))
		for _, l := range tr {
			lines = append(lines, transcriptLine(l))
		}
		fenced(ew, "", "text", lines)
	}
	return ew.flush()
}

// mdFinding writes one finding under a numbered heading.
func mdFinding(ew *errWriter, n int, f probe.CheckFinding) {
	head := fmt.Sprintf("### %d. %s - %s", n, tag(f.Severity), mdText(string(f.Check)))
	if f.Code != "" {
		head += " - " + mdText(string(f.Code))
	}
	if f.Hint != nil && f.Hint.Title != "" {
		head += ": " + mdText(f.Hint.Title)
	}
	ew.line(head)
	ew.line("")
	ew.line(mdBlock(f.Message))
	if f.Hint == nil {
		return
	}
	mdHint(ew, *f.Hint)
}

// mdHint writes a hint's cause, fix steps and docs, the one layout of a hint in Markdown; its
// title is in the heading above it.
func mdHint(ew *errWriter, h check.Hint) {
	if h.Cause != "" {
		ew.line("")
		ew.line("**Why:** " + mdText(h.Cause))
	}
	if steps := fixSteps(h.Fix); len(steps) > 0 {
		ew.line("")
		ew.line("**Fix:**")
		ew.line("")
		for i, s := range steps {
			mdStep(ew, i+1, s)
		}
	}
	if docs := nonEmpty(h.Docs); len(docs) > 0 {
		ew.line("")
		ew.line("**Docs:**")
		ew.line("")
		for _, d := range docs {
			ew.line("- " + mdBlock(d))
		}
	}
}

// mdStep writes one numbered fix step: its text, then its command alone in a fenced block
// inside the list item, the fence named for the command's shell (powershell, sh or console), so
// that a copy of the block runs.
func mdStep(ew *errWriter, n int, step check.Step) {
	num := strconv.Itoa(n) + ". "
	lead := num
	if text := strings.TrimSpace(step.Text); text != "" {
		ew.line(num + mdBlock(text))
		lead = strings.Repeat(" ", len(num))
	}
	if lines := commandLines(step.Command); len(lines) > 0 {
		fenced(ew, lead, step.Shell(), lines)
	}
}

// fenced writes lines in a fenced code block, the first line of the fence after lead and the
// rest indented as deep. The fence is longer than any run of backticks in the lines.
func fenced(ew *errWriter, lead, lang string, lines []string) {
	indent := strings.Repeat(" ", len(lead))
	n := 3
	for _, l := range lines {
		if r := longestRun(l, '`') + 1; r > n {
			n = r
		}
	}
	fence := strings.Repeat("`", n)
	ew.line(lead + fence + lang)
	for _, l := range lines {
		ew.line(indent + clean(l))
	}
	ew.line(indent + fence)
}

// longestRun is the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			if cur > best {
				best = cur
			}
		} else {
			cur = 0
		}
	}
	return best
}

// mdText renders prose as Markdown inline text: one paragraph (line breaks become spaces),
// control characters escaped, Markdown's punctuation backslash-escaped, web addresses as
// autolinks, and `code spans` the knowledge base wrote kept as code.
func mdText(s string) string { return mdInline(s, false) }

// mdCell is mdText for a table cell, where a pipe must be escaped even inside a code span.
func mdCell(s string) string { return mdInline(s, true) }

func mdInline(s string, table bool) string {
	s = clean(strings.Join(strings.Fields(s), " "))
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		switch {
		case s[i] == '`':
			if j := strings.IndexByte(s[i+1:], '`'); j > 0 {
				code := s[i+1 : i+1+j]
				if table && strings.Contains(code, `\|`) {
					// In a cell, "\|" inside a code span would become "\\|": an escaped backslash
					// and a pipe that ends the cell. Show such code as escaped text instead.
					b.WriteString(mdEscape("`" + code + "`"))
					i += j + 2
					continue
				}
				if table {
					code = strings.ReplaceAll(code, "|", `\|`)
				}
				b.WriteString("`" + code + "`")
				i += j + 2
				continue
			}
			b.WriteString("\\`")
			i++
		case (i == 0 || s[i-1] == ' ') && (strings.HasPrefix(s[i:], "https://") || strings.HasPrefix(s[i:], "http://")):
			end := strings.IndexByte(s[i:], ' ')
			if end < 0 {
				end = len(s) - i
			}
			url := strings.TrimRight(s[i:i+end], ".,;:)'\"")
			if strings.ContainsAny(url, "<>`") || url == "https://" || url == "http://" {
				b.WriteString(mdEscape(url))
			} else {
				b.WriteString("<" + url + ">")
			}
			i += len(url)
		default:
			j := i + 1
			for j < len(s) && s[j] != '`' && !(s[j-1] == ' ' && s[j] == 'h') {
				j++
			}
			b.WriteString(mdEscape(s[i:j]))
			i = j
		}
	}
	return b.String()
}

// mdBlock is mdText for text that starts a block (a paragraph or a list item), where a leading
// "#", "- " or "1. " would make a heading or a list.
func mdBlock(s string) string { return escapeLineStart(mdText(s)) }

// mdEscape backslash-escapes the characters that would start Markdown or HTML inline syntax,
// and the pipe that would end a table cell. An underscore inside a word (echo_ip,
// TLS_AES_256_GCM_SHA384) cannot start emphasis and stays as it is.
func mdEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' && i > 0 && i+1 < len(s) && isWordByte(s[i-1]) && isWordByte(s[i+1]) {
			b.WriteByte(c)
			continue
		}
		switch c {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// isWordByte reports an ASCII letter or digit, or any byte of a multi-byte character.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// escapeLineStart escapes what would make the start of a block a heading, a list item or a
// thematic break: "#", "- ", "+ ", "--", "=", "1. ", "1) ". (">", "*" and "_" are escaped
// everywhere already.)
func escapeLineStart(s string) string {
	if s == "" {
		return s
	}
	next := func(i int) byte {
		if i < len(s) {
			return s[i]
		}
		return ' '
	}
	switch s[0] {
	case '#', '=':
		return `\` + s
	case '-', '+':
		if n := next(1); n == ' ' || n == s[0] {
			return `\` + s
		}
		return s
	}
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') && next(i+1) == ' ' {
		return s[:i] + `\` + s[i:]
	}
	return s
}

// codeSpan renders s as inline code, with a fence longer than any backtick run inside.
func codeSpan(s string, table bool) string {
	s = clean(strings.Join(strings.Fields(s), " "))
	if s == "" {
		return "` `"
	}
	if table {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}
