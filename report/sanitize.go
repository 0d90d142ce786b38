package report

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/exoprobe/exoprobe/probe/check"
)

// clean makes one line of text from the network safe to print on a terminal or in Markdown:
// control and format characters (ESC, CR, LF, TAB, bidi overrides, zero-width characters) are
// shown as \xNN or \uNNNN escapes and invalid UTF-8 as \xNN, so that a hostile server cannot
// move the cursor, recolour the console or reorder what the engineer reads.
func clean(s string) string {
	if isPlainASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x80 && (r < 0x20 || r == 0x7f):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) ||
			r == '\u2028' || r == '\u2029':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isPlainASCII reports whether s holds printable ASCII only: the common case, left as is.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// redactedMark replaces a credential in a transcript line.
const redactedMark = "<redacted>"

// safeTranscript returns the transcript with credentials removed, never nil. The session check
// redacts AUTH before it records a line; this is a second guard, because a password in a
// report is the one mistake that cannot be taken back: the argument of an AUTH command after
// its mechanism, and every client line that answers a 334 challenge, are replaced.
func safeTranscript(lines []check.Line) []check.Line {
	out := make([]check.Line, 0, len(lines))
	challenged := false // the last server line was a 334 challenge
	for _, l := range lines {
		switch l.Dir {
		case "S":
			challenged = strings.HasPrefix(l.Line, "334")
		case "C":
			l.Line = redactClientLine(l.Line, challenged)
			challenged = false
		}
		out = append(out, l)
	}
	return out
}

// redactClientLine hides the credential a client line may carry.
func redactClientLine(line string, challenged bool) string {
	if challenged {
		// An answer to a 334: a SASL response. Empty (the XOAUTH2 error acknowledgement) and
		// "*" (cancel) carry nothing.
		t := strings.TrimSpace(line)
		if t == "" || t == "*" || t == redactedMark {
			return line
		}
		return redactedMark
	}
	f := strings.Fields(line)
	if len(f) >= 3 && strings.EqualFold(f[0], "AUTH") && !(len(f) == 3 && f[2] == redactedMark) {
		return f[0] + " " + f[1] + " " + redactedMark
	}
	return line
}
