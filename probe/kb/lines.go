package kb

import "strings"

// MaxInput is how many bytes of a text Explain looks at; the rest is ignored. A longer text
// (a whole log file) should be cut to its CodeLines first.
const MaxInput = maxExplainInput

// CodeLines returns the lines of text that Explain can use, for a text longer than MaxInput:
// each line that carries a code (an SMTP reply, an enhanced status code, an AADSTS error), the
// line after it (a reply's continuation, or the client's answer to a 334 challenge), and the
// lines that name the session's values (MAIL FROM, RCPT TO, the EHLO reply's Hello [IP]),
// in their order, up to MaxInput bytes. kept counts the lines returned; cut is set when lines
// that qualify were left out because the bound was reached.
func CodeLines(text string) (out string, kept int, cut bool) {
	var b strings.Builder
	b.Grow(min(len(text), MaxInput))
	keepNext := false
	for rest := text; rest != ""; {
		line := rest
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		code := hasCode(line)
		if !code && !keepNext && !namesValue(line) {
			continue
		}
		keepNext = code
		if b.Len()+len(line)+1 > MaxInput {
			return b.String(), kept, true
		}
		b.WriteString(line)
		b.WriteByte('\n')
		kept++
	}
	return b.String(), kept, false
}

// hasCode reports whether line carries a code Explain recognises.
func hasCode(line string) bool {
	if len(line) < 3 {
		return false
	}
	return len(scanCodes(line)) > 0
}

// valueMarks are what the lines that name a session's values hold (lower case).
var valueMarks = []string{"mail from:", "rcpt to:", "hello [", "remote-mta:", "final-recipient:"}

// namesValue reports whether line names one of the values ContextFromText reads.
func namesValue(line string) bool {
	if !strings.ContainsAny(line, "<[:") {
		return false
	}
	for _, m := range valueMarks {
		if containsFoldASCII(line, m) {
			return true
		}
	}
	return false
}

// containsFoldASCII reports whether s holds lower, ASCII letters compared without case,
// without making a lower-case copy of s.
func containsFoldASCII(s, lower string) bool {
	for i := 0; i+len(lower) <= len(s); i++ {
		j := 0
		for ; j < len(lower); j++ {
			c := s[i+j]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != lower[j] {
				break
			}
		}
		if j == len(lower) {
			return true
		}
	}
	return false
}
