package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

// commandArgs are the arguments a command takes besides its flags, as its --help shows them.
var commandArgs = map[string]string{
	"cert":    "FILE",
	"explain": "[TEXT|-]",
}

// printUsage writes a command's --help: how to call it, then its flags, their descriptions
// wrapped at width columns (80 when 0).
func printUsage(w io.Writer, name string, fs *pflag.FlagSet, width int) {
	call := "exoprobe " + name
	if a := commandArgs[name]; a != "" {
		call += " " + a
	}
	if !hasFlags(fs) {
		fmt.Fprintf(w, "Usage: %s\n%s", call, helpText(name))
		return
	}
	fmt.Fprintf(w, "Usage: %s [flags]\n%s\nFlags:\n%s", call, helpText(name), flagUsages(fs, width))
}

// helpText is what a command's help says between its usage line and its flags, with a blank
// line before it; "" for a command with nothing more to say.
func helpText(name string) string {
	if h := commandHelp[name]; h != "" {
		return "\n" + h
	}
	return ""
}

func hasFlags(fs *pflag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			n++
		}
	})
	return n > 0
}

// flagUsages lays out the flags of fs as pflag does, one a line with its value's name and its
// description in a column, but a boolean flag is shown plainly ("--send"): pflag's
// "--send[=true|false]" makes people type a value that the flag does not need. Descriptions wrap
// under themselves at width columns (80 when 0); a default that is not the zero value follows
// its description, as in pflag.
func flagUsages(fs *pflag.FlagSet, width int) string {
	if width <= 0 {
		width = 80
	}
	type row struct{ left, text string }
	var rows []row
	col := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		left := "      --" + f.Name
		if f.Shorthand != "" {
			left = "  -" + f.Shorthand + ", --" + f.Name
		}
		name, text := pflag.UnquoteUsage(f)
		if f.Value.Type() != "bool" && name != "" {
			left += " " + name
		}
		if d := defaultText(f); d != "" {
			text += " (default " + d + ")"
		}
		rows = append(rows, row{left, text})
		col = max(col, len(left))
	})
	col += 3
	var b strings.Builder
	for _, r := range rows {
		lines := wrapWords(r.text, max(width-col, 30))
		for i, l := range lines {
			lead := strings.Repeat(" ", col)
			if i == 0 {
				lead = r.left + strings.Repeat(" ", col-len(r.left))
			}
			b.WriteString(lead + l + "\n")
		}
	}
	return b.String()
}

// defaultText is a flag's default as --help shows it, "" when it is the zero value of its type
// (false, "", 0, an empty list, no address).
func defaultText(f *pflag.Flag) string {
	switch f.DefValue {
	case "", "false", "0", "0s", "[]", "<nil>", "invalid IP":
		return ""
	}
	if f.Value.Type() == "string" {
		return fmt.Sprintf("%q", f.DefValue)
	}
	return f.DefValue
}

// wrapWords breaks text into lines of at most width runes at blanks; a longer word keeps a line
// of its own.
func wrapWords(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
			line = w
		case len([]rune(line))+1+len([]rune(w)) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	return append(lines, line)
}
