package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/fatih/color"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/kb"
)

func TestParseOutput(t *testing.T) {
	tests := []struct {
		in      string
		want    Output
		wantErr bool
	}{
		{"text", OutputText, false},
		{"", OutputText, false},
		{"JSON", OutputJSON, false},
		{" markdown ", OutputMarkdown, false},
		{"md", OutputMarkdown, false},
		{"yaml", "", true},
		{"html", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseOutput(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseOutput(%q) error = %v; want error %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseOutput(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

// unquotePS reads a PowerShell single-quoted literal as PowerShell's tokenizer does: a quote
// character followed by another one stands for the second; a lone one ends the string.
func unquotePS(lit string) (string, bool) {
	r := []rune(lit)
	if len(r) < 2 || r[0] != '\'' {
		return "", false
	}
	var b strings.Builder
	for i := 1; i < len(r); i++ {
		if isPSSingleQuote(r[i]) {
			if i+1 < len(r) && isPSSingleQuote(r[i+1]) {
				b.WriteRune(r[i+1])
				i++
				continue
			}
			return b.String(), i == len(r)-1
		}
		b.WriteRune(r[i])
	}
	return "", false
}

// isPSSingleQuote reports whether PowerShell's tokenizer takes r as a single quote.
func isPSSingleQuote(r rune) bool {
	switch r {
	case '\'', '\u2018', '\u2019', '\u201a', '\u201b':
		return true
	}
	return false
}

func TestWrap(t *testing.T) {
	long := "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device"
	tests := []struct {
		name        string
		text        string
		width       int
		first, rest string
		want        []string
	}{
		{"fits", "one two three", 40, "", "", []string{"one two three"}},
		{"breaks between words", "one two three four", 10, "", "", []string{"one two", "three four"}},
		{"prefixes", "alpha beta gamma", 12, "Why: ", "     ", []string{"Why: alpha", "     beta", "     gamma"}},
		{"long word whole", "see " + long + " now", 30, "", "", []string{"see", long, "now"}},
		{"code span kept whole", "set `v=spf1 ip4:1.2.3.4 -all` now", 12, "", "", []string{"set", "`v=spf1 ip4:1.2.3.4 -all`", "now"}},
		{"newline starts a line", "a b\nc", 40, "", "", []string{"a b", "c"}},
		{"empty", "", 40, "> ", "> ", []string{">"}},
		{"escape sequence made visible", "x\x1b[2Jy", 40, "", "", []string{`x\x1b[2Jy`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrap(tt.text, tt.width, tt.first, tt.rest)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("wrap(%q, %d) = %q; want %q", tt.text, tt.width, got, tt.want)
			}
		})
	}
}

func FuzzWrap(f *testing.F) {
	f.Add("Exchange Online refused RCPT TO:<someone@example.org> from 203.0.113.7", 40)
	f.Add("a `b c` d\ne", 5)
	f.Add("", 1)
	f.Fuzz(func(t *testing.T, text string, width int) {
		if width < 1 || width > 500 || strings.Contains(text, "`") {
			t.Skip() // code spans join words on purpose
		}
		lines := wrap(text, width, "  ", "  ")
		var gotWords []string
		for _, l := range lines {
			if !strings.HasPrefix(l+" ", "  ") && l != "" {
				t.Fatalf("line %q lost its prefix", l)
			}
			f := strings.Fields(l)
			if n := utf8.RuneCountInString(l); n > width && len(f) > 1 {
				t.Errorf("line %q is %d wide with more than one word; width %d", l, n, width)
			}
			gotWords = append(gotWords, f...)
		}
		var wantWords []string
		for _, para := range strings.Split(text, "\n") {
			wantWords = append(wantWords, strings.Fields(clean(para))...)
		}
		if strings.Join(gotWords, " ") != strings.Join(wantWords, " ") {
			t.Errorf("words changed: got %q; want %q", gotWords, wantWords)
		}
	})
}

func TestProgress(t *testing.T) {
	tests := []struct {
		name string
		r    *check.Result
		want string
	}{
		{"pass", result("publicip", check.Pass, 41, "203.0.113.7 (opendns and google agree)", nil),
			"PASS  publicip    203.0.113.7 (opendns and google agree) (41 ms)\n"},
		{"fail seconds", result("tcp", check.Fail, 5003, "port 25 filtered", nil),
			"FAIL  tcp         port 25 filtered (5.00 s)\n"},
		{"skip has no duration", skippedResult("tls", "port 25 is not reachable"),
			"SKIP  tls         skipped: port 25 is not reachable\n"},
		{"empty summary falls back to the finding", result("dns", check.Warn, 9, "", nil,
			check.Finding{Severity: check.Warn, Code: "dmarc-missing", Message: "contoso.com has no DMARC record"}),
			"WARN  dns         contoso.com has no DMARC record (9 ms)\n"},
		{"empty summary on a pass", result("dns", check.Pass, 9, "", nil), "PASS  dns         ok (9 ms)\n"},
		{"long summary wraps under itself", result("smtp", check.Pass, 61,
			"Exchange Online banner; STARTTLS offered; Exchange Online sees this site as 203.0.113.7", nil),
			"PASS  smtp        Exchange Online banner; STARTTLS offered; Exchange Online sees\n" +
				"                  this site as 203.0.113.7 (61 ms)\n"},
		{"duration never splits", result("tls", check.Pass, 80,
			"TLS 1.3, TLS_AES_256_GCM_SHA384; certificate outlook.com valid", nil),
			"PASS  tls         TLS 1.3, TLS_AES_256_GCM_SHA384; certificate outlook.com valid\n" +
				"                  (80 ms)\n"},
		{"long id", result("clientcert-chain", check.Pass, 3, "complete", nil), "PASS  clientcert-chain  complete (3 ms)\n"},
		{"hostile summary", result("smtp", check.Fail, 5, "banner \x1b[2J\x1b[32mPASS", nil),
			"FAIL  smtp        banner \\x1b[2J\\x1b[32mPASS (5 ms)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			progress(t, &b, tt.r, TextOptions{})
			if got := b.String(); got != tt.want {
				t.Errorf("got\n%q; want\n%q", got, tt.want)
			}
		})
	}
	t.Run("nil writes nothing", func(t *testing.T) {
		var b bytes.Buffer
		progress(t, &b, nil, TextOptions{})
		if b.Len() != 0 {
			t.Errorf("got %q; want nothing", b.String())
		}
	})
}

func TestVerdictLine(t *testing.T) {
	failing := func(mode string, target probe.Target) *probe.Report {
		rep := relayTenantAttribution()
		rep.Mode, rep.Target = check.Mode(mode), target
		return rep
	}
	exo := probe.Target{Domain: "contoso.com", Host: "contoso-com.mail.protection.outlook.com", Port: 25}
	tests := []struct {
		name string
		rep  *probe.Report
		want string
	}{
		{"relay fail", failing("relay", exo),
			"Verdict: FAIL - relay through contoso-com.mail.protection.outlook.com:25 will not work: Relay refused: Exchange Online did not tie this connection to your tenant (5.7.64)"},
		{"direct fail", failing("direct", exo),
			"Verdict: FAIL - Direct Send to contoso-com.mail.protection.outlook.com:25 will not work: Relay refused: Exchange Online did not tie this connection to your tenant (5.7.64)"},
		{"no host yet", failing("relay", probe.Target{Domain: "contoso.com"}),
			"Verdict: FAIL - relay through the MX of contoso.com will not work: Relay refused: Exchange Online did not tie this connection to your tenant (5.7.64)"},
		{"pass", relayPass(),
			"Verdict: PASS - relay through contoso-com.mail.protection.outlook.com:25 should work: every check passed"},
		{"submit warn", submitWarn(),
			"Verdict: WARN - submission through smtp.office365.com:587 should work, but look at this first: The client secret of app 00000000-0000-0000-0000-0000000000aa expires on 2026-12-04, in 12 days; sending stops on that day. (secret-expiring)"},
		{"pass with skips", &probe.Report{Mode: "relay", Target: exo, Checks: []*check.Result{
			result("publicip", check.Pass, 1, "x", nil), skippedResult("dns", "left out with --skip")}},
			"Verdict: PASS - relay through contoso-com.mail.protection.outlook.com:25 should work: every check that ran passed (1 skipped)"},
		{"all skipped", &probe.Report{Mode: "relay", Target: exo, Checks: []*check.Result{skippedResult("dns", "left out")}},
			"Verdict: PASS - relay through contoso-com.mail.protection.outlook.com:25 was not tested: every check was skipped"},
		{"verdict worked out when unset", &probe.Report{Mode: "submit", Target: probe.Target{Host: "smtp.office365.com", Port: 587},
			Checks: []*check.Result{result("auth", check.Fail, 1, "x", nil, check.Finding{Severity: check.Fail, Code: "5.7.139",
				Message: "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox."})}},
			"Verdict: FAIL - submission through smtp.office365.com:587 will not work: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox."},
		{"ip pass says what was found", &probe.Report{Mode: "ip", Checks: []*check.Result{
			result("publicip", check.Pass, 1, "203.0.113.7 (opendns, google agree); IPv6 not detected", nil)}},
			"Verdict: PASS - public-IP detection worked: 203.0.113.7 (opendns, google agree); IPv6 not detected"},
		{"ip warn", &probe.Report{Mode: "ip", Checks: []*check.Result{
			result("publicip", check.Warn, 1, "IPv4 not detected; IPv6 detection failed", nil, check.Finding{
				Severity: check.Warn, Code: "publicip-undetected", Message: "The public IPv4 address could not be detected."})}},
			"Verdict: WARN - public-IP detection is not conclusive: The public IPv4 address could not be detected. (publicip-undetected)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Render(&b, Format{}, Run{Report: tt.rep}); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
			if got := lines[len(lines)-1]; got != tt.want {
				t.Errorf("got  %q;\nwant %q", got, tt.want)
			}
		})
	}
}

func TestJSONContract(t *testing.T) {
	t.Run("defined once: the probe's types have no json tags", func(t *testing.T) {
		for _, v := range []any{probe.Report{}, probe.Target{}, probe.ConnectorPlan{}, check.Result{},
			check.Finding{}, check.Hint{}, check.Line{}, kb.Match{}} {
			typ := reflect.TypeOf(v)
			for i := range typ.NumField() {
				if f := typ.Field(i); f.Tag.Get("json") != "" {
					t.Errorf("%s.%s has the tag %s; want the JSON contract in report/json.go only", typ, f.Name, f.Tag)
				}
			}
		}
	})
	t.Run("empty lists are [] and facts {}", func(t *testing.T) {
		r := &check.Result{ID: "dns", Status: check.Fail} // nil facts and findings
		r.Findings = []check.Finding{{Severity: check.Fail, Code: "mx-missing", Message: "no MX",
			Hint: &check.Hint{ID: "mx-missing", Title: "t"}}} // nil fix and docs
		rep := &probe.Report{Mode: "relay", Checks: []*check.Result{r, nil, {ID: "tcp", Status: check.Skip}}}
		var b bytes.Buffer
		if err := Render(&b, Format{Output: OutputJSON}, Run{Report: rep}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, want := range []string{`"transcript": []`, `"facts": {}`, `"findings": []`, `"fix": []`, `"docs": []`,
			`"schema_version": 1`, `"tool": "exoprobe"`, `"verdict": "fail"`} {
			if !strings.Contains(out, want) {
				t.Errorf("JSON lacks %s:\n%s", want, out)
			}
		}
		if strings.Contains(out, "null") {
			t.Errorf("JSON holds null:\n%s", out)
		}
	})
	t.Run("shape", func(t *testing.T) {
		var b bytes.Buffer
		if err := Render(&b, Format{Output: OutputJSON}, Run{Report: relayTenantAttribution()}); err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal(b.Bytes(), &got); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		for _, k := range []string{"schema_version", "tool", "version", "mode", "started", "duration_ms", "target", "verdict", "checks", "transcript"} {
			if _, ok := got[k]; !ok {
				t.Errorf("key %q missing", k)
			}
		}
		if got["started"] != "2026-11-22T12:00:00Z" {
			t.Errorf("started = %v; want 2026-11-22T12:00:00Z (RFC 3339, UTC)", got["started"])
		}
		c := got["checks"].([]any)[5].(map[string]any)
		f := c["findings"].([]any)[0].(map[string]any)
		h := f["hint"].(map[string]any)
		if c["id"] != "send" || f["severity"] != "fail" || f["code"] != "5.7.64" || h["id"] != "relay-tenant-attribution" {
			t.Errorf("send check = %v; want the 5.7.64 finding with its hint", c)
		}
		if !strings.Contains(b.String(), `"<someone@example.org>`) && !strings.Contains(b.String(), "RCPT TO:<someone@example.org>") {
			t.Errorf("angle brackets were escaped; want them readable")
		}
	})
	t.Run("invisible characters escaped, value kept", func(t *testing.T) {
		evil := "a\u202eb\u0085c\U000e0001d\x7fe\x1bf"
		r := check.New("smtp")
		r.Summary = evil
		var b bytes.Buffer
		if err := Render(&b, Format{Output: OutputJSON}, Run{Report: &probe.Report{Checks: []*check.Result{r}}}); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`\u202e`, `\u0085`, `\udb40\udc01`, `\u007f`, `\u001b`} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("JSON lacks the escape %s:\n%s", want, b.String())
			}
		}
		var got struct {
			Checks []struct{ Summary string } `json:"checks"`
		}
		if err := json.Unmarshal(b.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if got.Checks[0].Summary != evil {
			t.Errorf("summary reads back as %q; want %q", got.Checks[0].Summary, evil)
		}
	})
	t.Run("a fact JSON cannot encode does not sink the report", func(t *testing.T) {
		r := check.New("smtp")
		r.Set("odd", make(chan int))
		r.Set("took", 41*time.Millisecond)
		var b bytes.Buffer
		if err := Render(&b, Format{Output: OutputJSON}, Run{Report: &probe.Report{Checks: []*check.Result{r}}}); err != nil {
			t.Fatalf("JSON: %v", err)
		}
		if !json.Valid(b.Bytes()) {
			t.Errorf("invalid JSON:\n%s", b.String())
		}
	})
}

// countCells counts the cells of a Markdown table row: pipes not escaped with a backslash.
func countCells(row string) int {
	n := 0
	for i := 0; i < len(row); i++ {
		if row[i] == '\\' {
			i++
			continue
		}
		if row[i] == '|' {
			n++
		}
	}
	return n - 1
}

func TestMarkdownPipe(t *testing.T) {
	rep := relayTenantAttribution()
	rep.Checks[5].Summary = "RCPT TO refused | 550 5.7.64 `a|b` || c"
	rep.Checks[5].Findings[0].Message = "Reply: 550 5.7.64 x | y"
	rep.Checks[1].ID = "dns|mx"
	var b bytes.Buffer
	if err := Render(&b, Format{Output: OutputMarkdown}, Run{Report: rep}); err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, line := range strings.Split(b.String(), "\n") {
		if !strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "|---") {
			continue
		}
		rows++
		if got := countCells(line); got != 4 {
			t.Errorf("row %q has %d cells; want 4", line, got)
		}
	}
	if rows != 8 {
		t.Errorf("got %d table rows; want 8 (header, rule, 6 checks)", rows)
	}
	if !strings.Contains(b.String(), `RCPT TO refused \| 550 5.7.64`) {
		t.Errorf("pipe in the summary not escaped:\n%s", b.String())
	}
}

func FuzzMarkdownCell(f *testing.F) {
	for _, s := range []string{"a | b", "`x|y`", "\\|", "line\nbreak", "<b>&amp;</b>", "# head", "```", "1. x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		row := "| " + mdCell(s) + " |"
		if strings.ContainsAny(row, "\n\r") {
			t.Fatalf("cell %q holds a line break", row)
		}
		if got := countCells(row); got != 1 {
			t.Errorf("mdCell(%q) = %q makes %d cells; want 1", s, row, got)
		}
	})
}

// hostile is a report whose server said things meant for the engineer's terminal.
func hostile() *probe.Report {
	rep := relayTenantAttribution()
	evil := "550 5.7.1 \x1b[2J\x1b[32mall good\x1b[0m \u202eksat\u202c\r\nX-Injected: yes"
	rep.Checks[3].Summary = "banner: " + evil
	rep.Checks[5].Findings[0].Message = "refused: " + evil
	rep.Checks[5].Facts["reply"] = evil
	rep.Transcript = append(rep.Transcript, check.Line{Dir: "S", Line: evil})
	return rep
}

func TestNetworkTextCannotDriveTheTerminal(t *testing.T) {
	renders := map[string]func(io.Writer) error{
		"text": func(w io.Writer) error {
			for _, c := range hostile().Checks {
				if err := Render(w, Format{}, Progress{Check: c}); err != nil {
					return err
				}
			}
			return Render(w, Format{Text: TextOptions{Transcript: true, Verbose: true}}, Run{Report: hostile()})
		},
		"markdown": func(w io.Writer) error { return Render(w, Format{Output: OutputMarkdown}, Run{Report: hostile()}) },
		"json":     func(w io.Writer) error { return Render(w, Format{Output: OutputJSON}, Run{Report: hostile()}) },
		"explain": func(w io.Writer) error {
			return Render(w, Format{Output: OutputText}, Explanation{Input: "550 \x1b]0;pwned\x07 5.7.64", Matches: []kb.Match{{Code: "5.7.64", Tokens: []string{"ATTR\x1b[1m36"}}}})
		},
	}
	for name, render := range renders {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := render(&b); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, bad := range []string{"\x1b", "\u202e", "\r", "\x07"} {
				if strings.Contains(out, bad) {
					t.Errorf("output holds %q", bad)
				}
			}
			if strings.Contains(out, "\nX-Injected") {
				t.Errorf("a CR LF in server text started a new line of output")
			}
		})
	}
}

func TestTranscriptSecretsRedacted(t *testing.T) {
	secrets := []string{"AHVzZXIAaHVudGVyMg==", "dXNlckBjb250b3NvLmNvbQ==", "aHVudGVyMg==", "dXNlcj1hcHBAY29udG9zby5jb20BYXV0aD1CZWFyZXIgZXlKMGVYQQEB"}
	rep := submitWarn()
	rep.Transcript = []check.Line{
		{Dir: "C", Line: "AUTH PLAIN " + secrets[0]},
		{Dir: "S", Line: "535 5.7.3 Authentication unsuccessful"},
		{Dir: "C", Line: "AUTH LOGIN"},
		{Dir: "S", Line: "334 VXNlcm5hbWU6"},
		{Dir: "C", Line: secrets[1]},
		{Dir: "S", Line: "334 UGFzc3dvcmQ6"},
		{Dir: "C", Line: secrets[2]},
		{Dir: "S", Line: "535 5.7.139 Authentication unsuccessful, basic authentication is disabled."},
		{Dir: "C", Line: "auth xoauth2 " + secrets[3]},
		{Dir: "S", Line: "334 eyJzdGF0dXMiOiI0MDEifQ=="},
		{Dir: "C", Line: ""},
		{Dir: "S", Line: "535 5.7.3 Authentication unsuccessful"},
		{Dir: "C", Line: "MAIL FROM:<app@contoso.com>"},
	}
	outputs := map[string]func(io.Writer) error{
		"text": func(w io.Writer) error {
			return Render(w, Format{Text: TextOptions{Transcript: true}}, Run{Report: rep})
		},
		"json":     func(w io.Writer) error { return Render(w, Format{Output: OutputJSON}, Run{Report: rep}) },
		"markdown": func(w io.Writer) error { return Render(w, Format{Output: OutputMarkdown}, Run{Report: rep}) },
	}
	for name, render := range outputs {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := render(&b); err != nil {
				t.Fatal(err)
			}
			for _, s := range secrets {
				if strings.Contains(b.String(), s) {
					t.Errorf("output holds the credential %q", s)
				}
			}
			for _, keep := range []string{"AUTH PLAIN <redacted>", "AUTH LOGIN", "MAIL FROM:", "334 VXNlcm5hbWU6"} {
				if !strings.Contains(b.String(), keep) && !strings.Contains(b.String(), strings.ReplaceAll(keep, "<", `\u003c`)) {
					t.Errorf("output lacks %q", keep)
				}
			}
		})
	}
}

func TestColorFollowsOptionsNotGlobal(t *testing.T) {
	saved := color.NoColor
	defer func() { color.NoColor = saved }()
	for _, global := range []bool{true, false} {
		color.NoColor = global
		for _, want := range []bool{true, false} {
			var b bytes.Buffer
			progress(t, &b, result("dns", check.Fail, 1, "x", nil), TextOptions{Color: want})
			if err := Render(&b, Format{Text: TextOptions{Color: want}}, Run{Report: relayTenantAttribution()}); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(b.String(), "\x1b["); got != want {
				t.Errorf("color.NoColor=%v, Color=%v: output coloured = %v; want %v", global, want, got, want)
			}
		}
	}
}

func TestTextWidth(t *testing.T) {
	for _, width := range []int{0, 60, 100, 10} {
		var b bytes.Buffer
		o := TextOptions{Width: width}
		for _, c := range directFiltered().Checks {
			progress(t, &b, c, o)
		}
		if err := Render(&b, Format{Text: o}, Run{Report: directFiltered()}); err != nil {
			t.Fatal(err)
		}
		limit := o.width()
		// A command is never wrapped, so that it can be copied: it may be wider.
		commands := map[string]bool{}
		for _, f := range findings(directFiltered()) {
			if f.Hint != nil {
				for _, s := range f.Hint.Fix {
					for _, c := range strings.Split(s.Command, "\n") {
						commands[c] = true
					}
				}
			}
		}
		for _, l := range strings.Split(b.String(), "\n") {
			f := strings.Fields(l)
			if utf8.RuneCountInString(l) <= limit || len(f) <= 1 || strings.HasPrefix(l, "Verdict:") || commands[strings.TrimSpace(l)] {
				continue
			}
			t.Errorf("width %d: line %q is wider than %d", width, l, limit)
		}
	}
}

func TestRender(t *testing.T) {
	t.Run("nothing to render", func(t *testing.T) {
		for name, doc := range map[string]Doc{"nil doc": nil, "nil report": Run{}, "plan without report": Run{Connector: ipPlan()}} {
			for _, out := range []Output{OutputText, OutputJSON, OutputMarkdown} {
				if err := Render(io.Discard, Format{Output: out}, doc); err == nil {
					t.Errorf("%s, %s: got no error; want one", name, out)
				}
			}
		}
	})
	t.Run("unknown output", func(t *testing.T) {
		for _, doc := range []Doc{Run{Report: relayPass()}, Explanation{Input: "x"}, Progress{Check: relayPass().Checks[0]}} {
			var b bytes.Buffer
			if err := Render(&b, Format{Output: "yaml"}, doc); err == nil || b.Len() > 0 {
				t.Errorf("%T: got %v and %q; want an error and nothing written", doc, err, b.String())
			}
		}
	})
	t.Run("the zero format is text", func(t *testing.T) {
		var zero, text bytes.Buffer
		if err := Render(&zero, Format{}, Run{Report: relayPass()}); err != nil {
			t.Fatal(err)
		}
		if err := Render(&text, Format{Output: OutputText}, Run{Report: relayPass()}); err != nil {
			t.Fatal(err)
		}
		if zero.String() != text.String() || !strings.Contains(zero.String(), "Verdict: PASS") {
			t.Errorf("zero format wrote\n%s\nwant the text format:\n%s", zero.String(), text.String())
		}
	})
	t.Run("progress only in text", func(t *testing.T) {
		for _, out := range []Output{OutputJSON, OutputMarkdown} {
			var b bytes.Buffer
			if err := Render(&b, Format{Output: out}, Progress{Check: relayPass().Checks[0]}); err != nil || b.Len() > 0 {
				t.Errorf("%s: got %v and %q; want no error and nothing written", out, err, b.String())
			}
		}
	})
}

func TestExplain(t *testing.T) {
	t.Run("unknown format", func(t *testing.T) {
		if err := Render(io.Discard, Format{Output: "yaml"}, Explanation{Input: "x"}); err == nil {
			t.Error("got no error; want one for format yaml")
		}
	})
	t.Run("json without matches", func(t *testing.T) {
		var b bytes.Buffer
		if err := Render(&b, Format{Output: OutputJSON}, Explanation{Input: "hello"}); err != nil {
			t.Fatal(err)
		}
		if got, want := b.String(), "{\n  \"input\": \"hello\",\n  \"matches\": []\n}\n"; got != want {
			t.Errorf("got %q; want %q", got, want)
		}
	})
	t.Run("tokens shown as they are", func(t *testing.T) {
		for _, f := range []Output{OutputText, OutputMarkdown, OutputJSON} {
			var b bytes.Buffer
			if err := Render(&b, Format{Output: f}, Explanation{Input: explainInput, Matches: explainMatches()}); err != nil {
				t.Fatal(err)
			}
			for _, tok := range []string{"ATTR36", "SN1PR05MB1234.namprd05.prod.outlook.com"} {
				if !strings.Contains(b.String(), tok) {
					t.Errorf("%s: output lacks token %q", f, tok)
				}
			}
		}
	})
	t.Run("huge input is cut in text", func(t *testing.T) {
		var b bytes.Buffer
		in := strings.Repeat("550 5.7.64 TenantAttribution ", 40000)
		if err := Render(&b, Format{Output: OutputText}, Explanation{Input: in}); err != nil {
			t.Fatal(err)
		}
		if b.Len() > 4000 || !strings.Contains(b.String(), "input cut here") {
			t.Errorf("got %d bytes; want the input cut with a note", b.Len())
		}
	})
}

// failWriter fails every write, as a closed pipe does.
type failWriter struct{}

var errClosed = errors.New("closed")

func (failWriter) Write([]byte) (int, error) { return 0, errClosed }

func TestWriteErrors(t *testing.T) {
	renders := map[string]func(io.Writer) error{
		"text":     func(w io.Writer) error { return Render(w, Format{}, Run{Report: relayPass()}) },
		"json":     func(w io.Writer) error { return Render(w, Format{Output: OutputJSON}, Run{Report: relayPass()}) },
		"markdown": func(w io.Writer) error { return Render(w, Format{Output: OutputMarkdown}, Run{Report: relayPass()}) },
		"explain": func(w io.Writer) error {
			return Render(w, Format{Output: OutputMarkdown}, Explanation{Input: "x", Matches: explainMatches()})
		},
		"progress": func(w io.Writer) error { return Render(w, Format{}, Progress{Check: relayPass().Checks[0]}) },
	}
	for name, render := range renders {
		t.Run(name, func(t *testing.T) {
			if err := render(failWriter{}); !errors.Is(err, errClosed) {
				t.Errorf("got %v; want the writer's error", err)
			}
		})
	}
	t.Run("nil report", func(t *testing.T) {
		if err := Render(io.Discard, Format{}, Run{Report: nil}); err == nil {
			t.Error("got no error; want one")
		}
	})
}

func BenchmarkText(b *testing.B) {
	rep := relayTenantAttribution()
	o := TextOptions{Color: true, Transcript: true, Verbose: true}
	for b.Loop() {
		for _, c := range rep.Checks {
			progress(b, io.Discard, c, o)
		}
		if err := Render(io.Discard, Format{Text: o}, Run{Report: rep}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJSON(b *testing.B) {
	rep := relayTenantAttribution()
	for b.Loop() {
		if err := Render(io.Discard, Format{Output: OutputJSON}, Run{Report: rep}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarkdown(b *testing.B) {
	rep := relayTenantAttribution()
	for b.Loop() {
		if err := Render(io.Discard, Format{Output: OutputMarkdown}, Run{Report: rep}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestStepLayout: a step's text is read, its command is copied. Text wraps, the command never
// does; Markdown fences the command alone, named for its shell; a step without a command has no
// block.
func TestStepLayout(t *testing.T) {
	h := check.Hint{ID: "x", Title: "t", Fix: []check.Step{
		{Text: "Linux: check the clock, and enable NTP, which keeps it right from then on whatever happens to the hardware clock.", Command: "timedatectl status\nsudo timedatectl set-ntp true"},
		{Text: "Windows:", Command: "w32tm /resync"},
		{Text: "Test again.", Command: "exoprobe submit --auth none --from 'app@contoso.com' --to 'someone@example.org'"},
		{Text: "Wait a few minutes."},
		{},
	}}
	var md bytes.Buffer
	ew := newErrWriter(&md)
	mdHint(ew, h)
	if err := ew.flush(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"1. Linux: check the clock",
		"   ```sh\n   timedatectl status\n   sudo timedatectl set-ntp true\n   ```\n",
		"2. Windows:\n   ```powershell\n   w32tm /resync\n   ```\n",
		"   ```console\n   exoprobe submit --auth none --from 'app@contoso.com' --to 'someone@example.org'\n   ```\n",
		"4. Wait a few minutes.\n",
	} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md.String())
		}
	}
	if strings.Contains(md.String(), "5.") || strings.Count(md.String(), "```") != 6 {
		t.Errorf("Markdown has a block or step too many:\n%s", md.String())
	}

	var txt bytes.Buffer
	ew = newErrWriter(&txt)
	textHint(ew, newPalette(false), h, 60)
	if err := ew.flush(); err != nil {
		t.Fatal(err)
	}
	hang := strings.Repeat(" ", stepIndent+len("1. ")+cmdIndent)
	for _, want := range []string{
		"\n" + hang + "timedatectl status\n" + hang + "sudo timedatectl set-ntp true\n",
		"\n" + hang + "exoprobe submit --auth none --from 'app@contoso.com' --to 'someone@example.org'\n",
	} {
		if !strings.Contains(txt.String(), want) {
			t.Errorf("text lacks the command on lines of its own %q:\n%s", want, txt.String())
		}
	}
	if strings.Contains(txt.String(), "NTP, which keeps it right from then on whatever happens to the hardware clock.") {
		t.Errorf("the text of a step was not wrapped at 60:\n%s", txt.String())
	}
}
