// Package report lays out what exoprobe found: a probe.Report as text for a console, as the
// JSON contract for monitoring, or as Markdown or a self-contained HTML page for a ticket, the
// connector a pre-flight planned, and the decoded matches of `exoprobe explain`, all through
// one entry, Render. It renders values and never dials, probes or reads the environment. Text
// from the network (replies, banners) is shown with control characters escaped, so that a
// hostile server cannot drive the engineer's terminal.
package report

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Format is how Render lays a document out: the output chosen with -o/--output and, for text,
// how the text looks. The zero value is plain text, 80 columns, no transcript.
type Format struct {
	Output Output
	// Text shapes the text output; JSON and Markdown ignore it (they always hold the facts and
	// the transcript, and never colour).
	Text TextOptions
	// Nagios holds the certificate thresholds of the Monitoring Plugins output.
	Nagios NagiosOptions
}

// Output is an output format, as given to -o/--output. The empty Output is text.
type Output string

// The output formats.
const (
	OutputText     Output = "text"
	OutputJSON     Output = "json"
	OutputMarkdown Output = "markdown"
	// OutputHTML is a report as one self-contained HTML page, for a ticket or a browser. It is
	// written to a file (--report x.html), never chosen with -o.
	OutputHTML Output = "html"
	// OutputNagios is the output of a monitoring plugin, as the Monitoring Plugins development
	// guidelines define it, for Nagios, Icinga and their kin (nagios.go).
	OutputNagios Output = "nagios"
	// OutputPrometheus is the Prometheus text exposition format for node_exporter's and
	// windows_exporter's textfile collectors (prom.go). It is written to a file
	// (--prom-file x.prom), never chosen with -o.
	OutputPrometheus Output = "prometheus"
)

// ParseOutput reads the value of -o/--output: text, json, markdown (md is accepted for
// markdown) or nagios, in any case and with surrounding blanks ignored. The empty string means
// text.
func ParseOutput(s string) (Output, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "text", "txt":
		return OutputText, nil
	case "json":
		return OutputJSON, nil
	case "markdown", "md":
		return OutputMarkdown, nil
	case "nagios":
		return OutputNagios, nil
	}
	return "", fmt.Errorf("report: unknown output format %q (want text, json, markdown or nagios)", s)
}

// ReportFileOutput is the format of a report file, from its name's extension: .md (Markdown),
// .json or .html, in any case. Any other name is refused: the extension is how the engineer
// says which format the ticket needs, so a guess would write a file nobody asked for.
func ReportFileOutput(name string) (Output, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".md":
		return OutputMarkdown, nil
	case ".json":
		return OutputJSON, nil
	case ".html":
		return OutputHTML, nil
	}
	return "", fmt.Errorf("report: %q: the report file's name must end in .md, .json or .html (the format follows the extension)", name)
}
