package reply

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		code      int
		enhanced  string
		lines     []string
		message   string
		str       string
		wantErr   error // compared with errors.Is; nil means no error
		malformed bool  // the error is a *MalformedError
	}{
		{
			name: "EXO banner",
			in:   "220 CH3PEPF00000015.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at Sun, 22 Jun 2025 05:58:00 +0000 [08DDB07650EC6878]\r\n",
			code: 220, lines: []string{"CH3PEPF00000015.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at Sun, 22 Jun 2025 05:58:00 +0000 [08DDB07650EC6878]"},
			message: "CH3PEPF00000015.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at Sun, 22 Jun 2025 05:58:00 +0000 [08DDB07650EC6878]",
			str:     "220 CH3PEPF00000015.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at Sun, 22 Jun 2025 05:58:00 +0000 [08DDB07650EC6878]",
		},
		{
			name:     "EXO refusal with an enhanced code",
			in:       "550 5.7.64 TenantAttribution; Relay Access Denied [SN1PR01MB1234.namprd01.prod.outlook.com]\r\n",
			code:     550,
			enhanced: "5.7.64",
			lines:    []string{"5.7.64 TenantAttribution; Relay Access Denied [SN1PR01MB1234.namprd01.prod.outlook.com]"},
			message:  "TenantAttribution; Relay Access Denied [SN1PR01MB1234.namprd01.prod.outlook.com]",
			str:      "550 5.7.64 TenantAttribution; Relay Access Denied [SN1PR01MB1234.namprd01.prod.outlook.com]",
		},
		{
			name:  "EHLO reply over several lines",
			in:    "250-CH3PEPF00000015.mail.protection.outlook.com Hello [120.221.100.232]\r\n250-SIZE 49283072\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 SMTPUTF8\r\n",
			code:  250,
			lines: []string{"CH3PEPF00000015.mail.protection.outlook.com Hello [120.221.100.232]", "SIZE 49283072", "PIPELINING", "STARTTLS", "SMTPUTF8"},
			str:   "250 CH3PEPF00000015.mail.protection.outlook.com Hello [120.221.100.232] SIZE 49283072 PIPELINING STARTTLS SMTPUTF8",
		},
		{
			name:     "multi-line refusal keeps the enhanced code of the first line",
			in:       "550-5.7.1 first line\r\n550 5.7.1 second line\r\n",
			code:     550,
			enhanced: "5.7.1",
			lines:    []string{"5.7.1 first line", "5.7.1 second line"},
			message:  "first line 5.7.1 second line",
		},
		{name: "bare code", in: "250\r\n", code: 250, lines: []string{""}, str: "250"},
		{name: "LF only", in: "354 Start mail input; end with <CRLF>.<CRLF>\n", code: 354, lines: []string{"Start mail input; end with <CRLF>.<CRLF>"}},
		{name: "without a line end", in: "221 2.0.0 Service closing transmission channel", code: 221, enhanced: "2.0.0", lines: []string{"2.0.0 Service closing transmission channel"}},
		{name: "masked banner", in: "220 *************************************\r\n", code: 220, lines: []string{"*************************************"}},
		{name: "enhanced code needs a space after it", in: "550 5.7.64;x\r\n", code: 550, lines: []string{"5.7.64;x"}},
		{name: "enhanced code class must be 2, 4 or 5", in: "550 6.7.64 x\r\n", code: 550, lines: []string{"6.7.64 x"}},
		{name: "not a reply", in: "hello\r\n", malformed: true},
		{name: "code too small", in: "199 x\r\n", malformed: true},
		{name: "code too large", in: "600 x\r\n", malformed: true},
		{name: "wrong separator", in: "250_x\r\n", malformed: true},
		{name: "short line", in: "25\r\n", malformed: true},
		{name: "continuation with another code", in: "250-a\r\n251 b\r\n", malformed: true},
		{name: "empty input", in: "", malformed: true},
		{name: "line too long", in: "250 " + strings.Repeat("x", DefaultMaxLine) + "\r\n", wantErr: ErrLineTooLong},
		{name: "too many lines", in: strings.Repeat("250-x\r\n", DefaultMaxLines+1) + "250 x\r\n", wantErr: ErrTooManyLines},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse(tc.in)
			switch {
			case tc.malformed:
				var me *MalformedError
				if !errors.As(err, &me) {
					t.Fatalf("Parse(%q) error = %v; want a *MalformedError", tc.in, err)
				}
				if len(me.Line) > 123 {
					t.Errorf("MalformedError.Line has %d bytes; want it cut to 120", len(me.Line))
				}
				return
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Parse error = %v; want %v", err, tc.wantErr)
				}
				return
			case err != nil:
				t.Fatalf("Parse(%q) error = %v; want none", tc.in, err)
			}
			if r.Code != tc.code || r.Enhanced != tc.enhanced {
				t.Errorf("got %d %q; want %d %q", r.Code, r.Enhanced, tc.code, tc.enhanced)
			}
			if strings.Join(r.Lines, "|") != strings.Join(tc.lines, "|") {
				t.Errorf("got lines %q; want %q", r.Lines, tc.lines)
			}
			if tc.message != "" && r.Message() != tc.message {
				t.Errorf("got message %q; want %q", r.Message(), tc.message)
			}
			if tc.str != "" && r.String() != tc.str {
				t.Errorf("got string %q; want %q", r.String(), tc.str)
			}
			if got, want := r.Error(), "smtp reply: "+r.String(); got != want {
				t.Errorf("got error %q; want %q", got, want)
			}
		})
	}
}

func TestReplyClass(t *testing.T) {
	tests := []struct {
		code     int
		class    int
		positive bool
	}{
		{220, 2, true}, {354, 3, true}, {421, 4, false}, {550, 5, false},
	}
	for _, tc := range tests {
		r := &Reply{Code: tc.code}
		if r.Class() != tc.class || r.Positive() != tc.positive {
			t.Errorf("%d: got class %d positive %v; want %d %v", tc.code, r.Class(), r.Positive(), tc.class, tc.positive)
		}
	}
	var empty Reply
	if empty.Message() != "" || empty.String() != "000" {
		t.Errorf("zero Reply: got message %q string %q; want empty and 000", empty.Message(), empty.String())
	}
}

func TestEnhancedPrefix(t *testing.T) {
	tests := []struct{ in, want string }{
		{"5.7.64 TenantAttribution", "5.7.64"},
		{"4.7.500 Server busy", "4.7.500"},
		{"2.0.0", "2.0.0"},
		{"5.7.606-649 Access denied", ""},
		{"5.7.1234 x", ""},
		{"3.0.0 x", ""},
		{" 5.7.1 x", ""},
		{"5.7.1\tx", "5.7.1"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := EnhancedPrefix(tc.in); got != tc.want {
			t.Errorf("EnhancedPrefix(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestReaderSequence(t *testing.T) {
	in := "220 mx ready\r\n250-mx Hello [203.0.113.7]\r\n250 STARTTLS\r\n550 5.7.64 denied\r\n"
	var seen []string
	rd := NewReader(strings.NewReader(in))
	rd.OnLine = func(l string) { seen = append(seen, l) }
	var codes []int
	for {
		r, err := rd.ReadReply()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("ReadReply: %v", err)
		}
		codes = append(codes, r.Code)
	}
	if len(codes) != 3 || codes[0] != 220 || codes[1] != 250 || codes[2] != 550 {
		t.Errorf("got codes %v; want [220 250 550]", codes)
	}
	if len(seen) != 4 || seen[1] != "250-mx Hello [203.0.113.7]" {
		t.Errorf("OnLine saw %q; want the four raw lines", seen)
	}
}

func TestReaderCutOff(t *testing.T) {
	// The connection ends in the middle of a line of a multi-line reply.
	rd := NewReader(strings.NewReader("250-a\r\n250-b"))
	r, err := rd.ReadReply()
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("ReadReply error = %v; want io.ErrUnexpectedEOF", err)
	}
	if r == nil || r.Code != 250 || len(r.Lines) != 1 {
		t.Errorf("got partial reply %+v; want the one complete line", r)
	}
}

func TestReaderBuffered(t *testing.T) {
	// A server that sends data right after its 220 to STARTTLS: the bytes wait in the buffer.
	rd := NewReader(strings.NewReader("220 2.0.0 SMTP server ready\r\n250 injected\r\n"))
	if _, err := rd.ReadReply(); err != nil {
		t.Fatal(err)
	}
	if got := rd.Buffered(); got != len("250 injected\r\n") {
		t.Errorf("Buffered() = %d; want %d", got, len("250 injected\r\n"))
	}
}

func TestReaderLineTooLongStopsReading(t *testing.T) {
	// A hostile server sends one endless line: the reader gives up at its bound.
	r := io.MultiReader(strings.NewReader("250 "), infinite('x'))
	rd := NewReader(r)
	if _, err := rd.ReadReply(); !errors.Is(err, ErrLineTooLong) {
		t.Errorf("ReadReply error = %v; want ErrLineTooLong", err)
	}
}

type infinite byte

func (c infinite) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c)
	}
	return len(p), nil
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"220 ready\r\n", "250-a\r\n250 b\r\n", "550 5.7.64 TenantAttribution; Relay Access Denied ATTR36\r\n",
		"421 4.7.66 TLS 1.0 and 1.1 are not supported.\r\n", "250", "250-", "25", "", "\r\n", "599 x", "600 x",
		"250-x\n250 y", "550-5.7.1 a\r\n550 5.7.1 b", "250 " + strings.Repeat("y", 5000),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse(s)
		if err != nil {
			return
		}
		if r.Code < 200 || r.Code > 599 || len(r.Lines) == 0 || len(r.Lines) > DefaultMaxLines {
			t.Fatalf("Parse(%q) = %+v: out of bounds", s, r)
		}
		if r.Enhanced != EnhancedPrefix(r.Lines[0]) {
			t.Fatalf("Enhanced %q does not match the first line %q", r.Enhanced, r.Lines[0])
		}
		str := r.String()
		if len(str) < 3 || str[:3] != strings.TrimSpace(str[:3]) {
			t.Fatalf("String() = %q", str)
		}
		// A reply put on one line reads back with the same code and enhanced code, unless its
		// text holds line breaks of its own.
		if strings.ContainsAny(str, "\r\n") {
			return
		}
		again, err := Parse(str)
		if err != nil {
			t.Fatalf("Parse(String()) of %q: %v", str, err)
		}
		// String() trims the text, so a code that followed extra spaces may surface as
		// an enhanced code; one that was recognised stays.
		if again.Code != r.Code || (r.Enhanced != "" && again.Enhanced != r.Enhanced) {
			t.Fatalf("round trip: %d %q became %d %q", r.Code, r.Enhanced, again.Code, again.Enhanced)
		}
	})
}

func FuzzReader(f *testing.F) {
	f.Add([]byte("220 a\r\n250-b\r\n250 c\r\n550 5.7.1 d\r\n"))
	f.Add([]byte("250-\r\n250-\r\n"))
	f.Add([]byte("\x00\xff\r\n\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rd := NewReader(bufio.NewReader(strings.NewReader(string(b))))
		for i := 0; i < 50; i++ {
			r, err := rd.ReadReply()
			if err != nil {
				var me *MalformedError
				if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, ErrLineTooLong) &&
					!errors.Is(err, ErrTooManyLines) && !errors.As(err, &me) {
					t.Fatalf("unexpected error kind %T: %v", err, err)
				}
				return
			}
			if r == nil || len(r.Lines) == 0 {
				t.Fatal("nil reply without an error")
			}
		}
	})
}

func BenchmarkReadReply(b *testing.B) {
	ehlo := "250-CH3PEPF00000015.mail.protection.outlook.com Hello [120.221.100.232]\r\n250-SIZE 157286400\r\n250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n250-8BITMIME\r\n250-BINARYMIME\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n"
	b.SetBytes(int64(len(ehlo)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewReader(strings.NewReader(ehlo)).ReadReply(); err != nil {
			b.Fatal(err)
		}
	}
}

func TestReadReplyEOFInsideContinuation(t *testing.T) {
	_, err := NewReader(strings.NewReader("250-first\r\n")).ReadReply()
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("err = %v; want io.ErrUnexpectedEOF", err)
	}
}
