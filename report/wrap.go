package report

import (
	"strings"
	"unicode/utf8"
)

// DefaultWidth is the column at which text output wraps prose when TextOptions.Width is zero:
// the width of a classic Windows console window.
const DefaultWidth = 80

// minWidth keeps a narrow or silly Width from wrapping every word onto its own line.
const minWidth = 40

// wrap lays out prose as lines at most width runes wide, the first line starting with first and
// the others with rest. Words are never split: a word longer than the room (a URL, a server
// name, a `code span`) stays whole on a line of its own. Line breaks in text start a new line.
// Each paragraph is cleaned of control characters first.
func wrap(text string, width int, first, rest string) []string {
	var lines []string
	var cur strings.Builder
	curLen := 0
	prefix := first
	count := 0 // words on the current line
	start := func() {
		cur.Reset()
		cur.WriteString(prefix)
		curLen = utf8.RuneCountInString(prefix)
		count = 0
	}
	flush := func() {
		lines = append(lines, strings.TrimRight(cur.String(), " "))
		prefix = rest
		start()
	}
	start()
	for i, para := range strings.Split(text, "\n") {
		if i > 0 {
			flush()
		}
		for _, w := range words(clean(para)) {
			n := utf8.RuneCountInString(w)
			if count > 0 && curLen+1+n > width {
				flush()
			}
			if count > 0 {
				cur.WriteByte(' ')
				curLen++
			}
			cur.WriteString(w)
			curLen += n
			count++
		}
	}
	flush()
	return lines
}

// words splits a paragraph at blanks, but keeps a `code span` whole: a value to type is not
// broken across lines.
func words(para string) []string {
	f := strings.Fields(para)
	out := f[:0]
	for i := 0; i < len(f); i++ {
		w := f[i]
		if strings.HasPrefix(w, "`") && strings.Count(w, "`") == 1 {
			for j := i + 1; j < len(f); j++ {
				if strings.Contains(f[j], "`") {
					w = strings.Join(f[i:j+1], " ")
					i = j
					break
				}
			}
		}
		out = append(out, w)
	}
	return out
}

// width returns the wrap column of o.
func (o TextOptions) width() int {
	switch {
	case o.Width <= 0:
		return DefaultWidth
	case o.Width < minWidth:
		return minWidth
	}
	return o.Width
}
