package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/kb"
)

// The JSON contract (DESIGN.md "JSON report"). These types pin its field order and make every
// list [] and every facts object {} even where the report holds nil.
type (
	jsonReport struct {
		SchemaVersion int          `json:"schema_version"`
		Tool          string       `json:"tool"`
		Version       string       `json:"version"`
		Mode          string       `json:"mode"`
		Started       string       `json:"started"`
		DurationMS    int64        `json:"duration_ms"`
		Target        probe.Target `json:"target"`
		Verdict       check.Status `json:"verdict"`
		Checks        []jsonCheck  `json:"checks"`
		Transcript    []check.Line `json:"transcript"`
	}
	jsonCheck struct {
		ID         string         `json:"id"`
		Status     check.Status   `json:"status"`
		Summary    string         `json:"summary"`
		DurationMS int64          `json:"duration_ms"`
		Facts      map[string]any `json:"facts"`
		Findings   []jsonFinding  `json:"findings"`
	}
	jsonFinding struct {
		Severity check.Status `json:"severity"`
		Code     string       `json:"code"`
		Message  string       `json:"message"`
		Hint     *jsonHint    `json:"hint,omitempty"`
	}
	jsonHint struct {
		ID    string   `json:"id"`
		Title string   `json:"title"`
		Cause string   `json:"cause"`
		Fix   []string `json:"fix"`
		Docs  []string `json:"docs"`
	}
	jsonExplain struct {
		Input   string      `json:"input"`
		Matches []jsonMatch `json:"matches"`
	}
	jsonMatch struct {
		Code string `json:"code"`
		jsonHint
		Tokens []string `json:"tokens,omitempty"`
	}
)

// JSON writes the report as DESIGN.md's JSON report: snake_case keys, durations in
// milliseconds, the start time in RFC 3339 UTC, lists as [] rather than null, two-space
// indent. A fact that JSON cannot encode is written as its text.
func JSON(w io.Writer, rep *probe.Report) error {
	if rep == nil {
		return fmt.Errorf("report: no report to render")
	}
	out := toJSONReport(rep)
	return encodeReport(w, out, out.Checks)
}

// toJSONReport lays a report out as the JSON contract.
func toJSONReport(rep *probe.Report) jsonReport {
	out := jsonReport{
		SchemaVersion: rep.SchemaVersion,
		Tool:          rep.Tool,
		Version:       rep.Version,
		Mode:          string(rep.Mode),
		Started:       rep.Started.UTC().Format(time.RFC3339),
		DurationMS:    rep.DurationMS,
		Target:        rep.Target,
		Verdict:       verdictOf(rep),
		Checks:        make([]jsonCheck, 0, len(rep.Checks)),
		Transcript:    safeTranscript(rep.Transcript),
	}
	if out.SchemaVersion == 0 {
		out.SchemaVersion = probe.SchemaVersion
	}
	if out.Tool == "" {
		out.Tool = "exoprobe"
	}
	for _, c := range checks(rep) {
		jc := jsonCheck{
			ID: string(c.ID), Status: c.Status, Summary: c.Summary, DurationMS: c.DurationMS,
			Facts:    make(map[string]any, len(c.Facts)),
			Findings: make([]jsonFinding, 0, len(c.Findings)),
		}
		for k, v := range c.Facts {
			jc.Facts[k] = v
		}
		for _, f := range c.Findings {
			jf := jsonFinding{Severity: f.Severity, Code: string(f.Code), Message: f.Message}
			if f.Hint != nil {
				h := toJSONHint(*f.Hint)
				jf.Hint = &h
			}
			jc.Findings = append(jc.Findings, jf)
		}
		out.Checks = append(out.Checks, jc)
	}
	return out
}

// encodeReport writes out, a report laid out for JSON whose checks are cs. A fact that JSON
// cannot encode (a channel, a NaN) must not sink the report: then each fact is encoded alone,
// and the ones that fail are written as their text.
func encodeReport(w io.Writer, out any, cs []jsonCheck) error {
	err := encode(w, out)
	var enc *encodeError
	if !errors.As(err, &enc) {
		return err
	}
	for _, c := range cs {
		for k, v := range c.Facts {
			c.Facts[k] = factJSON(v) // the maps are shared with out
		}
	}
	return encode(w, out)
}

// toJSONHint copies a hint with [] in place of nil lists.
func toJSONHint(h check.Hint) jsonHint {
	return jsonHint{ID: h.ID, Title: h.Title, Cause: h.Cause, Fix: orEmpty(h.Fix), Docs: orEmpty(h.Docs)}
}

// explainJSON writes `explain -o json`: the input and the matches, best first.
func explainJSON(w io.Writer, input string, matches []kb.Match) error {
	out := jsonExplain{Input: input, Matches: make([]jsonMatch, 0, len(matches))}
	for _, m := range matches {
		out.Matches = append(out.Matches, jsonMatch{Code: string(m.Code), jsonHint: toJSONHint(m.Hint), Tokens: m.Tokens})
	}
	return encode(w, out)
}

func orEmpty[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// encode writes v as indented JSON; replies hold < and > and & (<CRLF>, <user@host>), which
// stay readable rather than \u003c. Control and format characters that encoding/json leaves
// as they are (DEL, C1 controls such as the 8-bit CSI, bidi overrides) are escaped too, so
// that the JSON is as safe to cat on a terminal as the text format.
func encode(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return &encodeError{err}
	}
	if _, err := w.Write(escapeInvisible(buf.Bytes())); err != nil {
		return fmt.Errorf("report: writing JSON: %w", err)
	}
	return nil
}

// encodeError is a value that JSON cannot encode; nothing has been written when it is returned.
type encodeError struct{ err error }

func (e *encodeError) Error() string { return "report: encoding JSON: " + e.err.Error() }
func (e *encodeError) Unwrap() error { return e.err }

// escapeInvisible rewrites the control and format characters left in encoded JSON as \u
// escapes. Outside strings JSON holds only ASCII punctuation, digits, letters and blanks, so
// every such character is inside a string, where an escape means the same.
func escapeInvisible(b []byte) []byte {
	if isPlainASCII(string(b)) || !bytes.ContainsFunc(b, invisible) {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if invisible(r) {
			if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
				out = fmt.Appendf(out, `\u%04x\u%04x`, r1, r2)
			} else {
				out = fmt.Appendf(out, `\u%04x`, r)
			}
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

// invisible reports a rune that clean escapes in text output: a control or format character
// beyond what encoding/json escapes itself (it escapes below U+0020, U+2028 and U+2029).
func invisible(r rune) bool {
	return r >= 0x7f && (unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r))
}
