package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/exoprobe/exoprobe/probe/redact"
)

// How much of the input explain's text and Markdown output echo: enough to recognise it.
const (
	echoMaxLines = 12
	echoMaxRunes = 1200
)

// noMatch says what to do when the input carries no code at all.
const noMatch = "No SMTP reply code, enhanced status code or AADSTS error was found in the input. " +
	"Paste the whole error as the application or the bounce message (NDR) shows it, " +
	"for example: 550 5.7.64 TenantAttribution; Relay Access Denied."

// tokensNote introduces the tokens of a match.
const tokensNote = "Also in the reply, not documented by Microsoft (quote them to Microsoft support as they are):"

// echo returns the input's lines as explain shows them, cut to a readable length, and a note
// of what was left out.
func echo(input string) (lines []string, cut string) {
	all := strings.Split(strings.ReplaceAll(strings.TrimSpace(input), "\r\n", "\n"), "\n")
	runes := 0
	for i, l := range all {
		n := utf8.RuneCountInString(l)
		if i == echoMaxLines || runes+n > echoMaxRunes {
			if i == 0 { // one huge line: show its start
				lines = append(lines, string([]rune(l)[:echoMaxRunes]))
			}
			return lines, fmt.Sprintf("(input cut here: %d characters in all)", utf8.RuneCountInString(input))
		}
		runes += n
		lines = append(lines, l)
	}
	return lines, ""
}

// safeInput is the input as every format echoes it: explain redacts the text it reads, and
// this is a second guard, because a password in a report is the one mistake that cannot be
// taken back.
func (e Explanation) safeInput() string { return redact.Text(e.Input) }

// renderText writes the input, then what each match means, best first.
func (e Explanation) renderText(w io.Writer, o TextOptions) error {
	input, matches := e.safeInput(), e.Matches
	ew := newErrWriter(w)
	p := newPalette(o.Color)
	width := o.width()
	lines, cut := echo(input)
	ew.line(p.bold.Sprint("Input:"))
	for _, l := range lines {
		ew.line("  " + clean(l))
	}
	if cut != "" {
		ew.line("  " + cut)
	}
	if len(matches) == 0 {
		ew.line("")
		for _, l := range wrap(noMatch, width, "", "") {
			ew.line(l)
		}
		return ew.flush()
	}
	body := strings.Repeat(" ", bodyIndent)
	for i, m := range matches {
		ew.line("")
		label := "Most likely cause"
		if i > 0 {
			label = "Also in the text"
		}
		if len(matches) == 1 {
			label = "Meaning"
		}
		head := p.bold.Sprint(label+":") + " " + clean(string(m.Code))
		if m.Hint.ID != "" {
			head += "  [" + clean(m.Hint.ID) + "]"
		}
		ew.line(head)
		textHint(ew, p, m.Hint, width)
		if toks := nonEmpty(m.Tokens); len(toks) > 0 {
			for _, l := range wrap(tokensNote, width, body, body) {
				ew.line(l)
			}
			for _, t := range toks {
				ew.line(strings.Repeat(" ", stepIndent) + clean(t))
			}
		}
	}
	return ew.flush()
}

// renderMarkdown writes the input in a fence, then a section for each match, best first.
func (e Explanation) renderMarkdown(w io.Writer) error {
	input, matches := e.safeInput(), e.Matches
	ew := newErrWriter(w)
	ew.line("# exoprobe explain")
	ew.line("")
	ew.line("**Input:**")
	ew.line("")
	lines, cut := echo(input)
	fenced(ew, "", "text", lines)
	if cut != "" {
		ew.line("")
		ew.line(mdBlock(cut))
	}
	if len(matches) == 0 {
		ew.line("")
		ew.line(mdBlock(noMatch))
		return ew.flush()
	}
	for i, m := range matches {
		ew.line("")
		head := fmt.Sprintf("## %d. %s", i+1, mdText(string(m.Code)))
		if m.Hint.Title != "" {
			head += ": " + mdText(m.Hint.Title)
		}
		ew.line(head)
		if m.Hint.ID != "" {
			ew.line("")
			ew.line("Knowledge base entry " + codeSpan(m.Hint.ID, false) + ".")
		}
		mdHint(ew, m.Hint)
		if toks := nonEmpty(m.Tokens); len(toks) > 0 {
			ew.line("")
			spans := make([]string, 0, len(toks))
			for _, t := range toks {
				spans = append(spans, codeSpan(t, false))
			}
			ew.line(mdText(tokensNote) + " " + strings.Join(spans, ", "))
		}
	}
	return ew.flush()
}
