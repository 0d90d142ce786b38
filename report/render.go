package report

import (
	"errors"
	"fmt"
	"io"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/kb"
)

// Render writes doc to w in format f: the one way to print a report, an explanation or a
// progress line. Text from the network is shown with control characters escaped in every
// format. It returns the writer's first error, or an error for a document with nothing to
// render or an unknown output.
func Render(w io.Writer, f Format, doc Doc) error {
	if doc == nil {
		return errors.New("report: nothing to render")
	}
	switch f.Output {
	case OutputText, "":
		return doc.renderText(w, f.Text)
	case OutputJSON:
		return doc.renderJSON(w)
	case OutputMarkdown:
		return doc.renderMarkdown(w)
	case OutputHTML:
		if h, ok := doc.(htmlDoc); ok {
			return h.renderHTML(w)
		}
		return fmt.Errorf("report: %T has no HTML layout", doc)
	}
	return fmt.Errorf("report: unknown output format %q", string(f.Output))
}

// Doc is what Render lays out: a Run, a Site, an Explanation or a Progress line. Each kind renders
// itself once per format, its text, JSON and Markdown renderers side by side.
type Doc interface {
	renderText(w io.Writer, o TextOptions) error
	renderJSON(w io.Writer) error
	renderMarkdown(w io.Writer) error
}

// Run is the finished report of a run (relay, direct, submit, ip, cert), written after its
// progress lines. A connector pre-flight also sets Connector: the connector to create, with
// the PowerShell to create it and the settings for the sending application. Ticket, set by
// every command, is how the run was made: the command line, the machine, the inputs and the
// exit code.
type Run struct {
	Report    *probe.Report
	Connector *probe.ConnectorPlan // nil unless the run is a connector pre-flight
	Ticket    *Ticket              // nil leaves the run's circumstances out (tests)
}

// Explanation is what `exoprobe explain` found in a pasted reply, NDR or log line: the input
// and the knowledge base's matches, best first. Tokens of a match (such as ATTR36 or a server
// name in brackets) are shown as they are, with no meaning made up for them. In JSON it is
// {"input": ..., "matches": [{"code", "id", "title", "cause", "fix", "docs", "tokens"}]}, with
// tokens only where the match has them. Secrets in Input (AUTH data, tokens, passwords) are
// shown as [redacted] in every format.
type Explanation struct {
	Input   string
	Matches []kb.Match
}

// Progress is the line of a check that just finished, the live view of the text format: its
// status, id, summary and how long it took. JSON and Markdown are written whole at the end, so
// they write nothing for it; neither does a nil Check.
type Progress struct {
	Check *check.Result
}

func (Progress) renderJSON(io.Writer) error     { return nil }
func (Progress) renderMarkdown(io.Writer) error { return nil }
