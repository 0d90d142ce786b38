package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/exoprobe/exoprobe/probe/kb"
)

// How much of the input explain's text and Markdown output echo: enough to recognise it.
const (
	echoMaxLines = 12
	echoMaxRunes = 1200
)

// Explain renders `exoprobe explain`: the input, then what each match means, best first. JSON
// is {"input": ..., "matches": [{"code", "id", "title", "cause", "fix", "docs", "tokens"}]},
// with tokens only where the match has them. Tokens (such as ATTR36 or a server name in
// brackets) are shown as they are, with no meaning made up for them.
func Explain(w io.Writer, f Format, input string, matches []kb.Match, o TextOptions) error {
	switch f {
	case FormatJSON:
		return explainJSON(w, input, matches)
	case FormatMarkdown:
		return explainMarkdown(w, input, matches)
	case FormatText, "":
		return explainText(w, input, matches, o)
	}
	return fmt.Errorf("report: unknown output format %q", string(f))
}

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

func explainText(w io.Writer, input string, matches []kb.Match, o TextOptions) error {
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

func explainMarkdown(w io.Writer, input string, matches []kb.Match) error {
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
