// Package reply reads SMTP replies off the wire, with bounds on line length and line count so
// that a hostile server cannot make the probe hang or eat memory, and gives them one type.
package reply

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Reply is one SMTP reply (RFC 5321 section 4.2): a three-digit code, the RFC 3463 enhanced
// status code of its first line where present, and the text of each line after the code.
type Reply struct {
	Code     int
	Enhanced string
	Lines    []string
}

// enhancedRE matches an RFC 3463 enhanced status code at the start of a reply's text.
var enhancedRE = regexp.MustCompile(`^([245])\.(\d{1,3})\.(\d{1,3})(?:\s|$)`)

// EnhancedPrefix returns the enhanced status code that text starts with, or "".
func EnhancedPrefix(text string) string {
	m := enhancedRE.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return m[1] + "." + m[2] + "." + m[3]
}

// Message is the reply's text: its lines joined by a space, without the leading enhanced code.
func (r *Reply) Message() string {
	if len(r.Lines) == 0 {
		return ""
	}
	first := r.Lines[0]
	if r.Enhanced != "" {
		first = strings.TrimSpace(strings.TrimPrefix(first, r.Enhanced))
	}
	parts := append([]string{first}, r.Lines[1:]...)
	return strings.TrimSpace(strings.Join(parts, " "))
}

// String renders the reply on one line as a server would begin it: "550 5.7.64 text".
func (r *Reply) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%03d", r.Code)
	if r.Enhanced != "" {
		b.WriteString(" " + r.Enhanced)
	}
	if m := r.Message(); m != "" {
		b.WriteString(" " + m)
	}
	return b.String()
}

// Error makes a refusal usable as an error, matched with errors.As.
func (r *Reply) Error() string { return "smtp reply: " + r.String() }

// StatusCode is the code that names the reply in a finding: its enhanced status code, or its
// basic code when it has none.
func (r *Reply) StatusCode() string {
	if r.Enhanced != "" {
		return r.Enhanced
	}
	return strconv.Itoa(r.Code)
}

// Class is the first digit of the code: 2 success, 3 intermediate, 4 transient, 5 permanent.
func (r *Reply) Class() int { return r.Code / 100 }

// Positive reports a 2xx or 3xx reply.
func (r *Reply) Positive() bool { return r.Code >= 200 && r.Code < 400 }

// Limits that keep a hostile server from holding the probe: RFC 5321 caps a reply line at 512
// octets; real servers stay far below these.
const (
	DefaultMaxLine  = 4096
	DefaultMaxLines = 200
)

// ErrLineTooLong and ErrTooManyLines report a server that exceeded the reader's bounds.
var (
	ErrLineTooLong  = errors.New("reply: line longer than the limit")
	ErrTooManyLines = errors.New("reply: more continuation lines than the limit")
)

// MalformedError reports a line that is not an SMTP reply line.
type MalformedError struct {
	Line string // the offending line, cut to 120 bytes
}

func (e *MalformedError) Error() string {
	return fmt.Sprintf("reply: not an SMTP reply line: %q", e.Line)
}

// Reader reads replies from a server connection. OnLine, when set, sees every raw line read,
// for the transcript.
type Reader struct {
	br       *bufio.Reader
	maxLines int
	OnLine   func(line string)
}

// NewReader returns a Reader over r with the default limits.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, DefaultMaxLine), maxLines: DefaultMaxLines}
}

// Buffered reports how many bytes are already read from the connection but not yet consumed:
// a server that sends data right after its reply to STARTTLS (a plaintext injection) shows here.
func (rd *Reader) Buffered() int { return rd.br.Buffered() }

// ReadLine reads one line without its CR LF, bounded by the reader's line limit.
func (rd *Reader) ReadLine() (string, error) {
	b, err := rd.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return "", ErrLineTooLong
	}
	if err != nil {
		if len(b) > 0 && errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return "", err
	}
	line := strings.TrimRight(string(b), "\r\n")
	if rd.OnLine != nil {
		rd.OnLine(line)
	}
	return line, nil
}

// ReadReply reads one whole reply, following continuation lines ("250-...").
// A refusal is still a nil error: the caller decides what a 5xx means.
func (rd *Reader) ReadReply() (*Reply, error) {
	var rep *Reply
	for n := 0; ; n++ {
		if n >= rd.maxLines {
			return rep, ErrTooManyLines
		}
		line, err := rd.ReadLine()
		if err != nil {
			if rep != nil && errors.Is(err, io.EOF) {
				// The server hung up in the middle of a multi-line reply.
				err = io.ErrUnexpectedEOF
			}
			return rep, err
		}
		code, more, text, ok := splitLine(line)
		if !ok {
			return rep, &MalformedError{Line: cut(line, 120)}
		}
		if rep == nil {
			rep = &Reply{Code: code}
		} else if code != rep.Code {
			return rep, &MalformedError{Line: cut(line, 120)}
		}
		rep.Lines = append(rep.Lines, text)
		if !more {
			rep.Enhanced = EnhancedPrefix(rep.Lines[0])
			return rep, nil
		}
	}
}

// splitLine splits "250-text" or "250 text" (or a bare "250") into its parts.
func splitLine(line string) (code int, more bool, text string, ok bool) {
	if len(line) < 3 {
		return 0, false, "", false
	}
	for i := 0; i < 3; i++ {
		c := line[i]
		if c < '0' || c > '9' {
			return 0, false, "", false
		}
		code = code*10 + int(c-'0')
	}
	if code < 200 || code > 599 {
		return 0, false, "", false
	}
	if len(line) == 3 {
		return code, false, "", true
	}
	switch line[3] {
	case '-':
		return code, true, line[4:], true
	case ' ':
		return code, false, line[4:], true
	}
	return 0, false, "", false
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// Parse reads one reply from its text as a server sent it (lines separated by CR LF or LF).
func Parse(s string) (*Reply, error) {
	if !strings.HasSuffix(s, "\n") {
		s += "\r\n"
	}
	return NewReader(strings.NewReader(s)).ReadReply()
}
