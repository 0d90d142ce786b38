package kb

import (
	"strings"
)

// Finding codes in free text. Texts arrive as servers, libraries, MTAs and log files shaped
// them: "550 5.7.64 …", "535: 5.7.3 …", "(550, b'5.7.64 …')", "dsn=5.4.1, status=bounced (host x
// said: 550 5.4.1 …)", "#5.7.1 smtp;550 5.7.1 …", "550%205.7.64%20…", JSON bodies with
// "AADSTS7000215: …". The scanner walks the text once, byte by byte, with no regular
// expressions, so its work is linear in the input.

// Bounds on the work Explain does for one text.
const (
	maxExplainInput = 1 << 20 // bytes of input looked at; the rest is ignored
	maxOccurrences  = 10000   // codes collected from one text
	maxSegment      = 4096    // bytes of text after a code that belong to its reply
	maxMatches      = 25      // matches returned by Explain
	maxTokens       = 8       // tokens kept per match
	maxTokenLen     = 200     // bytes of one token
)

// occKind says what kind of code an occurrence is.
type occKind int

const (
	kindEnhanced occKind = iota // RFC 3463 "5.7.64"
	kindBasic                   // RFC 5321 "554", with no enhanced code after it
	kindAADSTS                  // Entra ID "AADSTS7000215"
	kindWords                   // no code: an entry found by its words alone, or by its id
)

// occurrence is one code found in a text.
type occurrence struct {
	kind       occKind
	code       string // "5.7.64", "554" or the AADSTS number "7000215"
	enh        enhancedCode
	basic      int // the basic code, for kindBasic or the one in front of an enhanced code
	start, end int // byte offsets of the code in the text
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlpha(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) || c == '_' }

// digitsAt returns the end of the run of ASCII digits starting at i.
func digitsAt(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// scanCodes returns the codes in text in the order they appear. Enhanced codes that look like
// version numbers or parts of addresses ("MailKit 4.3.0,", "10.5.5.105") are left out: an
// enhanced code counts when a basic code, a marker (#, =, ;, :, a quote, an opening bracket) or
// the word "code"/"error" comes before it, or a word follows it, or it is the whole text.
func scanCodes(text string) []occurrence {
	var out []occurrence
	trimmed := strings.TrimSpace(text)
	lastBasic := -1 // index in out of the last basic code, while it can still pair
	for i := 0; i < len(text) && len(out) < maxOccurrences; {
		c := text[i]
		if (c == 'A' || c == 'a') && (i == 0 || !isAlnum(text[i-1])) && len(text)-i > 6 && strings.EqualFold(text[i:i+6], "AADSTS") {
			j := digitsAt(text, i+6)
			if n := j - (i + 6); n >= 5 && n <= 8 && (j == len(text) || !isAlnum(text[j])) {
				out = append(out, occurrence{kind: kindAADSTS, code: text[i+6 : j], start: i, end: j})
				lastBasic = -1
			}
			i = j
			continue
		}
		if !isDigit(c) || (i > 0 && (isAlnum(text[i-1]) || text[i-1] == '.')) {
			i++
			continue
		}
		j := digitsAt(text, i)
		if o, end, ok := enhancedAt(text, i); ok {
			if lastBasic >= 0 && onlySeparators(text[out[lastBasic].end:i]) {
				o.basic = out[lastBasic].basic
				out[lastBasic] = o // the basic code belongs to this reply: keep one occurrence
				lastBasic = -1
				i = end
				continue
			}
			if strongEnhanced(text, i, end, trimmed) {
				out = append(out, o)
			}
			lastBasic = -1
			i = end
			continue
		}
		if j-i == 3 && (j == len(text) || !isAlnum(text[j]) && !(text[j] == '.' && j+1 < len(text) && isDigit(text[j+1]))) {
			code := int(c-'0')*100 + int(text[i+1]-'0')*10 + int(text[i+2]-'0')
			if code >= 200 && code <= 599 && code/10%10 <= 5 {
				o := occurrence{kind: kindBasic, code: text[i:j], basic: code, start: i, end: j}
				switch {
				case followedByEnhanced(text, j):
					out = append(out, o)
					lastBasic = len(out) - 1
				case code >= 400 && standaloneBasic(text, i, j):
					out = append(out, o)
					lastBasic = -1
				}
			}
		}
		i = j
	}
	return out
}

// enhancedAt parses an enhanced status code starting at i.
func enhancedAt(s string, i int) (o occurrence, end int, ok bool) {
	if i+5 > len(s) || (s[i] != '2' && s[i] != '4' && s[i] != '5') || s[i+1] != '.' {
		return o, 0, false
	}
	a := i + 2
	b := digitsAt(s, a)
	if b == a || b-a > 3 || b >= len(s) || s[b] != '.' {
		return o, 0, false
	}
	d := digitsAt(s, b+1)
	if d == b+1 || d-(b+1) > 3 {
		return o, 0, false
	}
	if d < len(s) && (isAlnum(s[d]) || (s[d] == '.' && d+1 < len(s) && isDigit(s[d+1]))) {
		return o, 0, false // "5.7.64.1", "4.4.62x": not a status code
	}
	code := s[i:d]
	e, valid := parseEnhanced(code)
	if !valid {
		return o, 0, false
	}
	return occurrence{kind: kindEnhanced, code: e.String(), enh: e, start: i, end: d}, d, true
}

// onlySeparators reports whether s is what stands between a basic and an enhanced code of one
// reply: "550 5.7.64", "550-5.7.1", "535: 5.7.3".
func onlySeparators(s string) bool {
	if len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '-' && s[i] != ':' && s[i] != '+' {
			return false
		}
	}
	return true
}

// followedByEnhanced reports whether an enhanced code follows position j after separators.
func followedByEnhanced(s string, j int) bool {
	k := j
	for k < len(s) && k-j < 3 && (s[k] == ' ' || s[k] == '-' || s[k] == ':' || s[k] == '+') {
		k++
	}
	if k == j {
		return false
	}
	_, _, ok := enhancedAt(s, k)
	return ok
}

// standaloneBasic reports whether a basic code at s[i:j] reads as the start of a reply:
// "554 Relay access denied", "421 Too many connections", or the whole text.
func standaloneBasic(s string, i, j int) bool {
	if strings.TrimSpace(s) == s[i:j] {
		return true
	}
	if i > 0 {
		switch s[i-1] {
		case ' ', '\t', '\n', '\r', '"', '\'', '(', '>', '[', ';', ':', '=', '+':
		default:
			return false
		}
	}
	if j+1 >= len(s) || (s[j] != ' ' && s[j] != '-' && s[j] != '+') {
		return false
	}
	return isAlpha(s[j+1]) || s[j+1] == '<' || s[j+1] == '['

}

// strongEnhanced decides whether an enhanced code at s[i:end] is a status code rather than a
// version number.
func strongEnhanced(s string, i, end int, trimmed string) bool {
	if trimmed == s[i:end] {
		return true
	}
	// What comes before, skipping up to three spaces.
	k := i - 1
	for n := 0; k >= 0 && n < 3 && s[k] == ' '; n++ {
		k--
	}
	if k >= 0 {
		switch s[k] {
		case '#', '=', ';', ':', '\'', '"', '(', '[', '<', '+':
			return true
		}
		if w := strings.ToLower(s[max(0, k-4) : k+1]); strings.HasSuffix(w, "code") || strings.HasSuffix(w, "error") {
			return true
		}
	} else {
		// Start of the text: a status code, if a word or line follows.
		return end < len(s) && strings.IndexByte(" \t\r\n;", s[end]) >= 0
	}
	// What follows: a word, a bracket or a semicolon.
	if end < len(s) && s[end] == ';' {
		return true
	}
	m := end
	for m < len(s) && (s[m] == ' ' || s[m] == '+') && m-end < 3 {
		m++
	}
	if m > end && m < len(s) {
		c := s[m]
		return isAlpha(c) || c == '[' || c == '<' || c == '('
	}
	return false
}

// percentDecode decodes %XX escapes when the text holds any ("550%205.7.64%20…"); other bytes,
// and malformed escapes, are kept as they are.
func percentDecode(s string) string {
	if !hasPercentEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func hasPercentEscape(s string) bool {
	for i := strings.IndexByte(s, '%'); i >= 0 && i+2 < len(s); {
		if isHex(s[i+1]) && isHex(s[i+2]) {
			return true
		}
		n := strings.IndexByte(s[i+1:], '%')
		if n < 0 {
			return false
		}
		i += n + 1
	}
	return false
}

func isHex(c byte) bool { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') }

func unhex(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// fold turns text into the form the patterns are written in: ASCII letters in lower case,
// letters, digits and dots kept, every other byte a single space. "Client host [1.2.3.4]
// blocked using Spamhaus" becomes "client host 1.2.3.4 blocked using spamhaus".
func fold(s string) string {
	b := make([]byte, 0, len(s))
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+('a'-'A'))
			space = false
		case (c >= 'a' && c <= 'z') || isDigit(c) || c == '.':
			b = append(b, c)
			space = false
		default:
			if !space {
				b = append(b, ' ')
				space = true
			}
		}
	}
	return string(b)
}

// tokens returns what follows a code and carries no documented meaning but helps support:
// ATTRnn, anti-spam rule ids such as AS(201806281) or (AS16012611), Microsoft server names in
// brackets, and the Trace and Correlation IDs of Entra ID errors.
func tokens(seg string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(t string) {
		if len(t) > maxTokenLen {
			t = t[:maxTokenLen]
		}
		t = clean(t)
		if t != "" && !seen[t] && len(out) < maxTokens {
			seen[t] = true
			out = append(out, t)
		}
	}
	for i := 0; i < len(seg) && len(out) < maxTokens; i++ {
		switch c := seg[i]; {
		case c == 'A' && strings.HasPrefix(seg[i:], "ATTR") && (i == 0 || !isAlnum(seg[i-1])):
			if j := digitsAt(seg, i+4); j > i+4 && (j == len(seg) || !isAlnum(seg[j])) {
				add(seg[i:j])
				i = j - 1
			}
		case c == 'A' && strings.HasPrefix(seg[i:], "AS(") && (i == 0 || !isAlnum(seg[i-1])):
			if j := digitsAt(seg, i+3); j > i+3 && j < len(seg) && seg[j] == ')' {
				add(seg[i : j+1])
				i = j
			}
		case c == '(':
			k := i + 1
			if strings.HasPrefix(seg[k:], "AS") {
				k += 2
			} else if strings.HasPrefix(seg[k:], "S") {
				k++
			} else {
				continue
			}
			if j := digitsAt(seg, k); j > k && j < len(seg) && seg[j] == ')' {
				add(seg[i : j+1])
				i = j
			}
		case c == '[':
			j := strings.IndexByte(seg[i+1:min(len(seg), i+1+maxTokenLen)], ']')
			if j < 0 {
				continue
			}
			inner := seg[i+1 : i+1+j]
			l := strings.ToLower(inner)
			if strings.Contains(l, "outlook.com") || strings.Contains(l, "office365.com") || strings.Contains(l, ".microsoft") || strings.Contains(l, "outlook.cn") || strings.Contains(l, "office365.us") {
				add("[" + inner + "]")
				i += j + 1
			}
		case c == 'T' || c == 'C':
			for _, label := range [...]string{"Trace ID: ", "Correlation ID: "} {
				if strings.HasPrefix(seg[i:], label) {
					k := i + len(label)
					j := k
					for j < len(seg) && j-k < 36 && (isHex(seg[j]) || seg[j] == '-') {
						j++
					}
					if j-k >= 32 {
						add(seg[i:j])
						i = j - 1
					}
				}
			}
		}
	}
	return out
}
