package report

import (
	"strings"

	"github.com/exoprobe/exoprobe/probe/check"
)

// A fix step arrives as data (check.Step): the text to read and the command to paste, never
// mixed. The renderers wrap the text and never the command, which goes on lines (or in a block)
// of its own, so that a copy of it runs as it stands.

// fixSteps drops the steps that have neither text nor command.
func fixSteps(steps []check.Step) []check.Step {
	out := make([]check.Step, 0, len(steps))
	for _, s := range steps {
		if strings.TrimSpace(s.Text) != "" || strings.TrimSpace(s.Command) != "" {
			out = append(out, s)
		}
	}
	return out
}

// commandLines splits a step's command into its lines, each cleaned of what a terminal or a
// document would interpret (see clean); blank lines are dropped.
func commandLines(cmd string) []string {
	var out []string
	for _, l := range strings.Split(cmd, "\n") {
		if l = strings.TrimRight(clean(l), " \t"); strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
