package kb

import (
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/probe/check"
)

// fixText is a hint's fix steps as one text, each step's text then its command, for tests that
// look for words anywhere in the fix.
func fixText(fix []check.Step) string {
	var b strings.Builder
	for _, s := range fix {
		b.WriteString(s.Text)
		b.WriteByte('\n')
		if s.Command != "" {
			b.WriteString(s.Command)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// stepStrings lists the texts and commands of steps, for tests that look at every string a
// hint holds.
func stepStrings[S check.Step | step](fix []S) []string {
	var out []string
	for _, s := range fix {
		switch s := any(s).(type) {
		case check.Step:
			out = append(out, s.Text, s.Command)
		case step:
			out = append(out, s.text, s.command)
		}
	}
	return out
}

// The rules a command keeps so that it can be pasted: what reads as prose in it is an error.
var (
	// cmdletStart is a PowerShell cmdlet: an approved verb, a hyphen, a capitalised noun.
	cmdletStart = regexp.MustCompile(`^(Add|Clear|Connect|Disable|Disconnect|Enable|Export|Format|Get|Grant|Import|Install|Invoke|Mount|New|Register|Remove|Resolve|Restart|Retry|Revoke|Search|Select|Send|Set|Start|Stop|Test|Unregister|Update|Where)-[A-Z][A-Za-z0-9]*$`)
	// sentenceEnd is a full stop that ends a sentence and starts another.
	sentenceEnd = regexp.MustCompile(`[a-z)]\. [A-Z]`)
	// commandInText is a text that goes on into a command after a colon: the step is not split.
	commandInText = regexp.MustCompile(`: (Get|Set|New|Add|Remove|Connect|Test|Resolve|Enable)-[A-Z][a-z]`)
	// tools are the programs a command may start with besides cmdlets.
	tools = map[string]bool{
		"w32tm": true, "certutil": true, "ipconfig": true, "auditpol": true, // Windows
		"timedatectl": true, "resolvectl": true, "sudo": true, "read": true, "export": true, "dig": true, // Unix
		"exoprobe": true, "openssl": true, "nslookup": true, "pip": true, // either
	}
	proseInCommand = []string{" — ", "Exchange admin centre", "admin centre", "or, if", " > ", "for example", "e.g."}
)

// commandProblem says what in a command is not something to paste; "" when nothing is.
func commandProblem(cmd string) string {
	if strings.TrimSpace(cmd) != cmd {
		return "leading or trailing space"
	}
	for _, p := range proseInCommand {
		if strings.Contains(cmd, p) {
			return "holds the prose " + strconvQuote(p)
		}
	}
	if m := sentenceEnd.FindString(cmd); m != "" {
		return "holds a sentence end " + strconvQuote(m)
	}
	for _, line := range strings.Split(cmd, "\n") {
		if line == "" || strings.TrimSpace(line) != line {
			return "has an empty or indented line"
		}
		if strings.HasSuffix(line, ".") || strings.HasSuffix(line, ":") || strings.HasSuffix(line, ";") {
			return "line ends in punctuation: " + strconvQuote(line)
		}
		if strings.Contains(line, " ; ") {
			return "joins commands with ' ; ' (one command a line): " + strconvQuote(line)
		}
		for _, pair := range []string{"()", "{}", "[]"} {
			if strings.Count(line, pair[:1]) != strings.Count(line, pair[1:]) {
				return "line has unbalanced " + pair + ": " + strconvQuote(line)
			}
		}
		if strings.Count(line, "'")%2 != 0 || strings.Count(line, "\"")%2 != 0 {
			return "line has an unclosed quote: " + strconvQuote(line)
		}
		word, _, _ := strings.Cut(line, " ")
		switch {
		case cmdletStart.MatchString(word), tools[strings.ToLower(word)]:
		case strings.HasPrefix(line, "$env:"), strings.HasPrefix(line, "$"), strings.HasPrefix(line, "["), strings.HasPrefix(line, "("):
		default:
			return "line starts with neither a cmdlet, a variable nor a known tool: " + strconvQuote(line)
		}
	}
	return ""
}

func strconvQuote(s string) string { return "\"" + s + "\"" }

// TestStepsAreData holds every fix step of every entry to the rules of check.Step: a text to read,
// and a command with nothing in it but commands.
func TestStepsAreData(t *testing.T) {
	for _, e := range entries {
		t.Run(e.id, func(t *testing.T) {
			for i, s := range e.fix {
				if strings.TrimSpace(s.text) == "" {
					t.Errorf("step %d has no text", i+1)
				}
				if m := commandInText.FindString(s.text); m != "" {
					t.Errorf("step %d: the text goes on into a command (%q): make it the step's command: %q", i+1, m, s.text)
				}
				if strings.Contains(s.text, "\n") {
					t.Errorf("step %d: the text spans lines: %q", i+1, s.text)
				}
				if s.command == "" {
					if strings.HasSuffix(s.text, ":") {
						t.Errorf("step %d: the text introduces a command it does not have: %q", i+1, s.text)
					}
					continue
				}
				if p := commandProblem(s.command); p != "" {
					t.Errorf("step %d: command %s:\n%s", i+1, p, s.command)
				}
				// A value in a command is quoted for the shell ({ps:name}), so that a hostile
				// value stays one argument and a missing one fails visibly. A port is a number.
				for _, m := range placeholderLike.FindAllString(s.command, -1) {
					if p, ok := parsePlaceholder(m[1 : len(m)-1]); ok && p.form == "" && m != "{port}" {
						t.Errorf("step %d: %s in a command is not quoted: write {ps:%s}", i+1, m, m[1:len(m)-1])
					}
				}
			}
		})
	}
}

// TestStepsFilled fills every entry with a run that knew every value: no command may still
// hold a readable placeholder, and a value with a newline cannot add a line to a command.
func TestStepsFilled(t *testing.T) {
	full := Context{
		Domain: "contoso.com", From: "scanner@contoso.com", To: "someone@fabrikam.com",
		MXHost: "contoso-com.mail.protection.outlook.com", Host: "smtp.office365.com", Port: 587,
		PublicIP: netip.MustParseAddr("203.0.113.7"), EchoIP: netip.MustParseAddr("203.0.113.8"),
		ExpectIPs: []netip.Addr{netip.MustParseAddr("203.0.113.9")},
		Tenant:    "contoso.onmicrosoft.com", AppID: "11111111-2222-3333-4444-555555555555",
		Mailbox: "app@contoso.com", CertDomain: "mail.contoso.com",
	}
	hostile := full
	hostile.From = "app@contoso.com\nRemove-Item C:\\"
	for _, e := range entries {
		t.Run(e.id, func(t *testing.T) {
			h := e.hint(&full)
			for i, s := range h.Fix {
				for _, unfilled := range placeholderNames {
					if strings.Contains(s.Command, unfilled) {
						t.Errorf("step %d: %q left in the command although the run knew it:\n%s", i+1, unfilled, s.Command)
					}
				}
			}
			bad := e.hint(&hostile)
			for i, s := range bad.Fix {
				if got, want := strings.Count(s.Command, "\n"), strings.Count(e.fix[i].command, "\n"); got != want {
					t.Errorf("step %d: a value added a line to the command:\n%s", i+1, s.Command)
				}
			}
		})
	}
}

// TestStepShell names the shell of the commands the table writes.
func TestStepShell(t *testing.T) {
	tests := []struct {
		cmd, want string
	}{
		{"", ""},
		{"Get-InboundConnector | Format-List Name", "powershell"},
		{"$env:EXOPROBE_CLIENT_SECRET = 'x'", "powershell"},
		{"w32tm /resync", "powershell"},
		{"timedatectl status", "sh"},
		{"read -rs EXOPROBE_PASSWORD\nexport EXOPROBE_PASSWORD", "sh"},
		{"exoprobe submit --auth oauth", "console"},
		{"openssl x509 -noout -pubkey -in cert.pem", "console"},
		{"pip install --upgrade certifi", "console"},
		{"sudo postconf -e 'smtp_address_preference = ipv4'\nsudo postfix reload", "sh"},
		{"Set-ItemProperty -Path 'HKLM:\\SOFTWARE' -Name X -Value 1 -Type DWord", "powershell"},
	}
	for _, tc := range tests {
		t.Run(tc.want+" "+tc.cmd, func(t *testing.T) {
			if got := (check.Step{Text: "x", Command: tc.cmd}).Shell(); got != tc.want {
				t.Errorf("Shell(%q) = %q; want %q", tc.cmd, got, tc.want)
			}
		})
	}
}

// texts lists the texts of steps.
func texts(fix []check.Step) []string {
	out := make([]string, len(fix))
	for i, s := range fix {
		out[i] = s.Text
	}
	return out
}
