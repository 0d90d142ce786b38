package inventory

import (
	"strings"
)

// yamlKeys reads the block mappings of a Spring Boot application.yml: every scalar setting is
// named by its path joined with dots, as Spring names it ("spring.mail.host"), so that the
// settings are grouped as a .properties file's are. Mail settings are plain scalars under
// plain keys; sequences, flow collections, block scalars (| and >) and what is nested in them
// are passed over. "---" starts another document (a profile's settings), whose paths start
// again. It is no general YAML parser, and needs none: it never fails, it finds less.
func yamlKeys(data []byte) []kv {
	type level struct {
		indent int
		key    string
	}
	var (
		out   []kv
		stack []level
		// skip is the indent of a line whose deeper lines go with it, unread: a block scalar's or
		// a flow collection's key, a sequence's dash; -1 when none.
		skip = -1
	)
	for i, raw := range lines(data) {
		trimmed := strings.TrimSpace(raw)
		if trimmed == "" || trimmed[0] == '#' {
			continue
		}
		indent := len(raw) - len(strings.TrimLeft(raw, " "))
		if skip >= 0 && indent > skip {
			continue
		}
		skip = -1
		if strings.HasPrefix(raw[indent:], "\t") {
			continue // YAML indents with spaces only
		}
		if indent == 0 && (trimmed == "---" || strings.HasPrefix(trimmed, "--- ") || trimmed == "...") {
			stack = stack[:0]
			continue
		}
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		if trimmed == "-" || strings.HasPrefix(trimmed, "- ") {
			skip = indent // a sequence's item, and the lines of a mapping it holds
			continue
		}
		key, value, ok := yamlKeyValue(trimmed)
		if !ok {
			continue
		}
		switch {
		case value == "":
			stack = append(stack, level{indent, key})
			continue
		case value[0] == '|' || value[0] == '>' || value[0] == '[' || value[0] == '{' || value[0] == '&' || value[0] == '*' || value[0] == '!':
			skip = indent // a block scalar's lines, or a flow collection that goes on
			continue
		}
		path := make([]string, 0, len(stack)+1)
		for _, l := range stack {
			path = append(path, l.key)
		}
		out = append(out, kv{key: strings.Join(append(path, key), "."), value: yamlScalar(value), line: i + 1})
	}
	return out
}

// yamlKeyValue splits "key: value" (the key plain or quoted); value is "" for a key that opens
// a mapping.
func yamlKeyValue(l string) (key, value string, ok bool) {
	if l[0] == '"' || l[0] == '\'' {
		end := strings.IndexByte(l[1:], l[0])
		if end < 0 {
			return "", "", false
		}
		key, l = l[1:1+end], l[2+end:]
		if !strings.HasPrefix(l, ":") {
			return "", "", false
		}
		l = l[1:]
	} else {
		i := strings.Index(l, ": ")
		switch {
		case i >= 0:
			key, l = l[:i], l[i+1:]
		case strings.HasSuffix(l, ":"):
			key, l = l[:len(l)-1], ""
		default:
			return "", "", false
		}
	}
	key = strings.TrimSpace(key)
	value = strings.TrimSpace(l)
	if strings.HasPrefix(value, "#") {
		value = "" // "key: # a comment" opens a mapping
	}
	return key, value, key != ""
}

// yamlScalar is a scalar's value: single-quoted (two quotes inside stand for one), or as
// unquote reads it (double-quoted, or plain without a trailing " #" comment).
func yamlScalar(v string) string {
	if v[0] != '\'' {
		return unquote(v, false)
	}
	var b strings.Builder
	for j := 1; j < len(v); j++ {
		if v[j] == '\'' {
			if j+1 < len(v) && v[j+1] == '\'' {
				b.WriteByte('\'')
				j++
				continue
			}
			break
		}
		b.WriteByte(v[j])
	}
	return b.String()
}
