package report

import (
	"regexp"
	"strings"
)

// A fix step is prose, and may hold commands to run. The knowledge base writes a command as a
// line of its own, or after a colon at the end of the prose ("In Exchange Online PowerShell:
// Set-InboundConnector ..."), or as a whole line in backticks. A command starts with a
// PowerShell cmdlet (Verb-Noun with a verb PowerShell approves), a variable assignment
// ($x = ...), or one of a few console tools. The renderers never wrap a command, so that it can
// be copied as it stands.

// partKind says what a piece of a fix step is.
type partKind int

const (
	prose   partKind = iota // text to read, wrapped
	command                 // PowerShell (or console) lines to run, never wrapped
	literal                 // a value to paste as it stands (a DNS record), never wrapped
)

// part is one piece of a fix step.
type part struct {
	kind  partKind
	lines []string // prose has one line, joined from the step's prose lines
}

// cmdletRE matches a cmdlet name: an approved PowerShell verb, a hyphen, a capitalised noun.
var cmdletRE = regexp.MustCompile(`^(Add|Clear|Connect|Disable|Disconnect|Enable|Export|Format|Get|Grant|Import|Install|Invoke|New|Register|Remove|Resolve|Restart|Revoke|Search|Select|Send|Set|Start|Stop|Test|Unregister|Update|Where)-[A-Z][A-Za-z0-9]*$`)

// consoleTools are programs whose invocation in a step is a command too.
var consoleTools = map[string]bool{"nslookup": true, "certutil": true, "openssl": true, "curl": true, "curl.exe": true, "tnc": true}

// isCommand reports whether a line is a command to run.
func isCommand(s string) bool {
	f := strings.Fields(s)
	if len(f) == 0 {
		return false
	}
	if strings.HasPrefix(f[0], "$") && len(f[0]) > 1 && len(f) >= 3 && f[1] == "=" {
		return true
	}
	if consoleTools[strings.ToLower(f[0])] {
		return len(f) > 1
	}
	return cmdletRE.MatchString(strings.TrimSuffix(f[0], ";"))
}

// unticked returns s without the backticks of a line that is one code span, and whether it was.
func unticked(s string) (string, bool) {
	if len(s) >= 3 && s[0] == '`' && s[len(s)-1] == '`' && !strings.Contains(s[1:len(s)-1], "`") {
		return s[1 : len(s)-1], true
	}
	return s, false
}

// splitStep splits a fix step into prose, commands and literal values, in order. Consecutive
// command (or literal) lines form one part; consecutive prose lines are joined into one. A
// value in backticks that ends a line after a colon, or fills a line, is a literal.
func splitStep(step string) []part {
	var parts []part
	add := func(kind partKind, line string) {
		if n := len(parts); n > 0 && parts[n-1].kind == kind {
			if kind == prose {
				parts[n-1].lines[0] += " " + line
			} else {
				parts[n-1].lines = append(parts[n-1].lines, line)
			}
			return
		}
		parts = append(parts, part{kind: kind, lines: []string{line}})
	}
	for _, line := range strings.Split(step, "\n") {
		line = strings.TrimRight(line, " \t\r")
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		if u, ok := unticked(t); ok {
			if isCommand(u) {
				add(command, u)
			} else {
				add(literal, u)
			}
			continue
		}
		if isCommand(t) {
			add(command, t)
			continue
		}
		if text, kind, rest, ok := cutCommand(t); ok {
			add(prose, text)
			add(kind, rest)
			continue
		}
		add(prose, t)
	}
	return parts
}

// cutCommand splits "prose: command" or "prose: `value`" at the first colon that such a tail
// follows.
func cutCommand(s string) (text string, kind partKind, rest string, ok bool) {
	for i := 0; i < len(s); i++ {
		if s[i] != ':' || i+1 >= len(s) || s[i+1] != ' ' {
			continue
		}
		tail := strings.TrimSpace(s[i+1:])
		if u, tick := unticked(tail); tick {
			if isCommand(u) {
				return s[:i+1], command, u, true
			}
			return s[:i+1], literal, u, true
		}
		if isCommand(tail) {
			return s[:i+1], command, tail, true
		}
	}
	return "", prose, "", false
}
