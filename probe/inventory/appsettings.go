package inventory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// parseAppSettings reads an ASP.NET Core appsettings.json: every setting is named by its path
// as the configuration system names it ("Smtp:Host", "EmailSettings:Password"), then grouped
// as key-value settings are. Comments, which ASP.NET Core's JSON reader allows, are skipped.
// Rows found before a syntax error are kept, and the error is returned.
func parseAppSettings(path string, data []byte) ([]Row, error) {
	data = withoutComments(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	lineOf := func(offset int64) int { return 1 + bytes.Count(data[:min(int(offset), len(data))], []byte("\n")) }
	type frame struct {
		object  bool
		key     string
		wantKey bool
	}
	var (
		stack   []*frame
		kvs     []kv
		keyLine int
	)
	keyPath := func() string {
		var parts []string
		for _, f := range stack {
			if f.object && f.key != "" {
				parts = append(parts, f.key)
			}
		}
		return strings.Join(parts, ":")
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var err error
	for {
		var tok json.Token
		if tok, err = d.Token(); err != nil {
			break
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if delim, ok := tok.(json.Delim); ok {
			switch delim {
			case '{', '[':
				stack = append(stack, &frame{object: delim == '{', wantKey: delim == '{'})
			default:
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].wantKey = true
				}
			}
			continue
		}
		if top == nil || !top.object {
			continue // a value in an array, or a document that is one value
		}
		if top.wantKey {
			top.key, _ = tok.(string)
			top.wantKey = false
			keyLine = lineOf(d.InputOffset())
			continue
		}
		value := ""
		switch v := tok.(type) {
		case string:
			value = v
		case json.Number:
			value = v.String()
		case bool:
			value = fmt.Sprint(v)
		}
		kvs = append(kvs, kv{key: keyPath(), value: value, line: keyLine})
		top.wantKey = true
	}
	rows := group(path, FormatAppSettings, kvs)
	if errors.Is(err, io.EOF) {
		return rows, nil
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return rows, fmt.Errorf("not valid JSON at line %d: rows before it are kept", lineOf(se.Offset))
	}
	return rows, fmt.Errorf("reading JSON: %v", err)
}

// withoutComments blanks // and /* */ comments outside strings, keeping every line break, so
// that offsets still give the lines of the file.
func withoutComments(data []byte) []byte {
	out := bytes.Clone(data)
	inString, escaped := false, false
	for i := 0; i < len(out); i++ {
		c := out[i]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '/' && i+1 < len(out) && out[i+1] == '/':
			for ; i < len(out) && out[i] != '\n'; i++ {
				out[i] = ' '
			}
		case c == '/' && i+1 < len(out) && out[i+1] == '*':
			out[i], out[i+1] = ' ', ' '
			for i += 2; i < len(out); i++ {
				if out[i] == '*' && i+1 < len(out) && out[i+1] == '/' {
					out[i], out[i+1] = ' ', ' '
					i++
					break
				}
				if out[i] != '\n' {
					out[i] = ' '
				}
			}
		}
	}
	return out
}
