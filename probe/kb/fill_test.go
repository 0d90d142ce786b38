package kb

import (
	"net/netip"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestFill(t *testing.T) {
	c := Context{
		PublicIP:  netip.MustParseAddr("203.0.113.7"),
		From:      "app@contoso.com",
		ExpectIPs: []netip.Addr{netip.MustParseAddr("198.51.100.2"), netip.MustParseAddr("198.51.100.3")},
	}
	tests := []struct {
		name, tmpl, want string
	}{
		{"prose", "IP {public_ip}.", "IP 203.0.113.7."},
		{"PowerShell literal", "-X {ps:public_ip}", "-X '203.0.113.7'"},
		{"PowerShell list", "-SenderIPAddresses {psl:expect_ip}", "-SenderIPAddresses '198.51.100.2','198.51.100.3'"},
		{"fallback to the second name", "{echo_ip|public_ip}", "203.0.113.7"},
		{"missing value in prose", "{tenant}", "<tenant ID>"},
		{"missing value in PowerShell", "{ps:tenant}", "'<tenant ID>'"},
		{"missing list in PowerShell", "{psl:echo_ip}", "'<IP seen by Exchange Online>'"},
		{"derived sender domain", "{from_domain}", "contoso.com"},
		{"derived recipient domain, missing", "{to_domain}", "<recipient domain>"},
		{"unknown name", "{nonsense}", "<nonsense>"},
		{"hash table around a placeholder", "@{Add={psl:public_ip}}", "@{Add='203.0.113.7'}"},
		{"script block left alone", "Where-Object {$_.Enabled -eq $true}", "Where-Object {$_.Enabled -eq $true}"},
		{"empty braces left alone", "{}", "{}"},
		{"unknown form left alone", "{xx:public_ip}", "{xx:public_ip}"},
		{"empty fallback left alone", "{public_ip|}", "{public_ip|}"},
		{"unclosed brace", "{public_ip", "{public_ip"},
		{"no placeholders", "plain", "plain"},
		{"several", "{public_ip} {ps:from} {public_ip}", "203.0.113.7 'app@contoso.com' 203.0.113.7"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := fill(tc.tmpl, &c); got != tc.want {
				t.Errorf("fill(%q) = %q; want %q", tc.tmpl, got, tc.want)
			}
		})
	}
}

func TestFillDoesNotExpandValues(t *testing.T) {
	c := Context{From: "{tenant}", Tenant: "secret-tenant"}
	if got := fill("{from} {ps:from}", &c); got != "{tenant} '{tenant}'" {
		t.Errorf("fill expanded a placeholder inside a value: %q", got)
	}
}

func TestPSQuote(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"203.0.113.7", "'203.0.113.7'"},
		{"", "''"},
		{"O'Brien", "'O''Brien'"},
		{"'", "''''"},
		{"it’s", "'it’’s'"},       // U+2019 is a single quote to PowerShell
		{"‘x‛y‚z", "'‘‘x‛‛y‚‚z'"}, // U+2018, U+201B, U+201A too
		{"$(Remove-Item -Recurse C:\\)", "'$(Remove-Item -Recurse C:\\)'"}, // no expansion inside ''
		{"a`b\"c", "'a`b\"c'"},
		{"x'; Remove-Item -Recurse C:\\ #", "'x''; Remove-Item -Recurse C:\\ #'"},
		{"line1\nline2\r\n", "'line1line2'"},
		{"\x1b[31mred", "'[31mred'"},
		{"a\u202eb\u200bc", "'abc'"}, // bidi override and zero-width space dropped
		{"\xff", "'\uFFFD'"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := PSQuote(tc.in)
			if got != tc.want {
				t.Fatalf("PSQuote(%q) = %q; want %q", tc.in, got, tc.want)
			}
			lit, rest, ok := psLiteral(got)
			if !ok || rest != "" {
				t.Fatalf("PSQuote(%q) = %q does not read back as one literal (rest %q)", tc.in, got, rest)
			}
			if want := dropControls(tc.in); lit != want {
				t.Errorf("literal reads back as %q; want %q", lit, want)
			}
		})
	}
}

// hostileEcho is what a hostile server could put where a host name is expected: a quote that
// ends a PowerShell literal, then a command.
const hostileEcho = "203.0.113.7'; Remove-Item -Recurse C:\\ #"

func TestHostileValuesInHints(t *testing.T) {
	// Addresses are typed (netip.Addr) and cannot carry text; the host names, addresses and
	// names that reach templates as strings can, so they carry the hostile values.
	hostile := Context{
		MXHost:     hostileEcho,
		Host:       "mail\x1b[2J.contoso.com\r\n",
		From:       "app@contoso.com\nSet-Mailbox -Identity x",
		Domain:     "contoso.com\u202e\x07",
		PublicIP:   netip.MustParseAddr("203.0.113.7"),
		Mailbox:    "a’b@contoso.com\r\nSet-TransportConfig -SmtpClientAuthenticationDisabled $false",
		CertDomain: strings.Repeat("x", 5000),
		Tenant:     "\x1b]0;title\x07tenant",
	}
	for _, e := range entries {
		t.Run(e.id, func(t *testing.T) {
			h := e.hint(&hostile)
			// A command's own lines are the table's (TestStepsFilled counts them); no value adds one.
			cmds := make([]string, len(h.Fix))
			for i, s := range h.Fix {
				cmds[i] = strings.ReplaceAll(s.Command, "\n", " ")
				if strings.Count(s.Command, "\n") != strings.Count(e.fix[i].command, "\n") {
					t.Errorf("a value added a line to a command: %q", s.Command)
				}
			}
			for _, s := range append(append([]string{h.Title, h.Cause}, texts(h.Fix)...), cmds...) {
				if strings.ContainsAny(s, "\r\n\x1b\x07") {
					t.Errorf("a control character survived: %q", s)
				}
				if strings.Contains(s, strings.Repeat("x", maxValueLen+1)) {
					t.Errorf("an unbounded value was inserted")
				}
			}
		})
	}
	// The entries' lists hold addresses only; a hostile string in a list is still quoted element
	// by element.
	if got, want := fill("@{Add={psl:mx_host}}", &hostile), "@{Add='203.0.113.7''','Remove-Item','-Recurse','C:\\','#'}"; got != want {
		t.Errorf("hostile list = %q; want %q", got, want)
	}
	h := Hint("ip-mismatch", hostile)
	if joined := fixText(h.Fix); !strings.Contains(joined, "@{Add='203.0.113.7'}") {
		t.Errorf("ip-mismatch does not add the public IP as a PowerShell list: %q", joined)
	}
	h = Hint("smtp-auth-disabled-mailbox", hostile)
	if want := "Set-CASMailbox -Identity 'a’’b@contoso.comSet-TransportConfig -SmtpClientAuthenticationDisabled $false' -SmtpClientAuthenticationDisabled $false"; !strings.Contains(fixText(h.Fix), want) {
		t.Errorf("fix = %q; want it to contain %q", fixText(h.Fix), want)
	}
}

func TestClean(t *testing.T) {
	long := strings.Repeat("é", maxValueLen+10)
	got := clean(long)
	if utf8.RuneCountInString(got) != maxValueLen+1 || !strings.HasSuffix(got, "…") {
		t.Errorf("clean(long) has %d runes; want %d with an ellipsis", utf8.RuneCountInString(got), maxValueLen+1)
	}
	if got := clean("ok value"); got != "ok value" {
		t.Errorf("clean changed a clean value: %q", got)
	}
}

// psLiteral reads one PowerShell single-quoted string literal from the start of s, the way the
// PowerShell tokenizer does: any of the four single-quote characters opens and closes it, and
// two quote characters in a row stand for one.
func psLiteral(s string) (lit, rest string, ok bool) {
	isQ := func(r rune) bool {
		return r == '\'' || r == '\u2018' || r == '\u2019' || r == '\u201A' || r == '\u201B'
	}
	r, n := utf8.DecodeRuneInString(s)
	if !isQ(r) {
		return "", s, false
	}
	s = s[n:]
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if isQ(r) {
			r2, n2 := utf8.DecodeRuneInString(s[n:])
			if n < len(s) && isQ(r2) {
				b.WriteRune(r) // a doubled quote is one quote
				s = s[n+n2:]
				continue
			}
			return b.String(), s[n:], true
		}
		b.WriteRune(r)
		s = s[n:]
	}
	return "", "", false
}

func dropControls(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func FuzzPSQuote(f *testing.F) {
	for _, s := range []string{"", "x", "O'Brien", "it’s", "$(x)", "a\nb", "\xff\xfe", "‘‛‚’'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := PSQuote(s)
		lit, rest, ok := psLiteral(q)
		if !ok || rest != "" {
			t.Fatalf("PSQuote(%q) = %q is not exactly one literal (rest %q)", s, q, rest)
		}
		if want := dropControls(strings.ToValidUTF8(s, "\uFFFD")); lit != want && lit != dropControls(s) {
			// ToValidUTF8 collapses runs of invalid bytes; range yields one U+FFFD per byte.
			if utf8.ValidString(s) {
				t.Fatalf("literal %q; want %q", lit, want)
			}
		}
	})
}
