package kb

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Placeholders in titles, causes and fix steps take three forms:
//
//	{name}       the value as text, for prose
//	{ps:name}    the value as a PowerShell single-quoted string literal: '203.0.113.7'
//	{psl:name}   a comma- or space-separated value as a PowerShell list: '203.0.113.7','198.51.100.2'
//
// A name may list fallbacks, first non-empty wins: {ps:echo_ip|public_ip}. A missing value
// becomes a readable placeholder ("<public IP>"), quoted in PowerShell so that a pasted command
// fails visibly instead of running with an empty argument. Braces whose content is not a
// placeholder (PowerShell script blocks, hash tables) are left as they are.

// placeholderNames are the names templates may use (Context.value gives their values), with the
// text shown when the run did not know the value.
var placeholderNames = map[string]string{
	"domain":       "<your domain>",
	"from":         "<sender address>",
	"from_domain":  "<sender domain>",
	"to":           "<recipient address>",
	"to_domain":    "<recipient domain>",
	"mx_host":      "<MX host>",
	"preferred_mx": "<MX host>",
	"host":         "<host>",
	"port":         "<port>",
	"public_ip":    "<public IP>",
	"expect_ip":    "<connector IPs>",
	"echo_ip":      "<IP seen by Exchange Online>",
	"tenant":       "<tenant ID>",
	"app_id":       "<application (client) ID>",
	"mailbox":      "<mailbox>",
	"cert_domain":  "<certificate domain>",
}

// maxValueLen bounds a value inserted into a hint: values can come from a hostile server (the
// EHLO echo, a banner host name) and must not flood a report.
const maxValueLen = 256

// placeholder is one parsed {…} reference.
type placeholder struct {
	form  string   // "", "ps" or "psl"
	names []string // fallbacks, in order
}

// parsePlaceholder parses the text between braces; ok is false when it is not a placeholder.
func parsePlaceholder(s string) (p placeholder, ok bool) {
	if form, rest, found := strings.Cut(s, ":"); found {
		if form != "ps" && form != "psl" {
			return p, false
		}
		p.form, s = form, rest
	}
	if s == "" {
		return p, false
	}
	for _, n := range strings.Split(s, "|") {
		if n == "" {
			return p, false
		}
		for i := 0; i < len(n); i++ {
			c := n[i]
			if (c < 'a' || c > 'z') && c != '_' {
				return p, false
			}
		}
		p.names = append(p.names, n)
	}
	return p, true
}

// lookup returns the first non-empty value among names, and the readable placeholder of the
// first name when none is set.
func (c *Context) lookup(names []string) (val string, ok bool) {
	for _, n := range names {
		if s := strings.TrimSpace(c.value(n)); s != "" {
			return s, true
		}
	}
	if text, known := placeholderNames[names[0]]; known {
		return text, false
	}
	return "<" + names[0] + ">", false
}

// domainOf returns the part after the last @ of an address, or "".
func domainOf(addr string) string {
	addr = strings.Trim(strings.TrimSpace(addr), "<>")
	if i := strings.LastIndexByte(addr, '@'); i >= 0 && i < len(addr)-1 {
		return addr[i+1:]
	}
	return ""
}

// fill replaces the placeholders of a template with values from c.
func fill(tmpl string, c *Context) string {
	if strings.IndexByte(tmpl, '{') < 0 {
		return tmpl
	}
	var b strings.Builder
	b.Grow(len(tmpl) + 32)
	for {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		end := strings.IndexByte(tmpl[open:], '}')
		if end < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		end += open
		p, ok := parsePlaceholder(tmpl[open+1 : end])
		if !ok {
			b.WriteString(tmpl[:open+1])
			tmpl = tmpl[open+1:]
			continue
		}
		b.WriteString(tmpl[:open])
		val, found := c.lookup(p.names)
		switch {
		case p.form == "ps" || (p.form == "psl" && !found):
			b.WriteString(PSQuote(clean(val)))
		case p.form == "psl":
			b.WriteString(psList(val))
		default:
			b.WriteString(clean(val))
		}
		tmpl = tmpl[end+1:]
	}
}

// clean makes a value safe to show: control and format characters (newlines, escape sequences,
// bidirectional overrides) are dropped, invalid UTF-8 is replaced, and the length is bounded.
func clean(s string) string {
	ok := len(s) <= maxValueLen && utf8.ValidString(s)
	if ok {
		for _, r := range s {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				ok = false
				break
			}
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		if n >= maxValueLen {
			b.WriteString("…")
			break
		}
		b.WriteRune(r) // an invalid byte arrives as utf8.RuneError and is written as U+FFFD
		n++
	}
	return b.String()
}

// PSQuote returns s as a PowerShell single-quoted string literal. Inside single quotes PowerShell
// expands nothing ($, backtick and double quotes are literal); the only special characters are
// the single quotes, and PowerShell counts the typographic ones (U+2018, U+2019, U+201A, U+201B)
// as single quotes too, so each of them is doubled. Control and format characters are dropped.
func PSQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for _, r := range s {
		switch {
		case r == '\'' || r == '\u2018' || r == '\u2019' || r == '\u201A' || r == '\u201B':
			b.WriteRune(r)
			b.WriteRune(r)
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			// dropped: a newline would end the command when pasted
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// psList quotes each element of a comma- or space-separated value for a PowerShell array.
func psList(val string) string {
	parts := strings.FieldsFunc(clean(val), func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) })
	if len(parts) == 0 {
		return PSQuote(val)
	}
	q := make([]string, len(parts))
	for i, p := range parts {
		q[i] = PSQuote(p)
	}
	return strings.Join(q, ",")
}
