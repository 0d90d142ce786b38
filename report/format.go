// Package report lays out what exoprobe found: a probe.Report as text for a console, as the
// JSON contract for monitoring, or as Markdown for a ticket, and the decoded matches of
// `exoprobe explain`. It renders values and never dials or probes. Text from the network
// (replies, banners) is shown with control characters escaped, so that a hostile server cannot
// drive the engineer's terminal.
package report

import (
	"fmt"
	"strings"
)

// Format is an output format, as given to -o/--output.
type Format string

// The output formats.
const (
	FormatText     Format = "text"
	FormatJSON     Format = "json"
	FormatMarkdown Format = "markdown"
)

// ParseFormat reads the value of -o/--output: text, json or markdown (md is accepted for
// markdown), in any case and with surrounding blanks ignored. The empty string means text.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "text", "txt":
		return FormatText, nil
	case "json":
		return FormatJSON, nil
	case "markdown", "md":
		return FormatMarkdown, nil
	}
	return "", fmt.Errorf("report: unknown output format %q (want text, json or markdown)", s)
}
