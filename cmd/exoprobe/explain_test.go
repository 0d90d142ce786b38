package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The credentials in the pasted texts below, in the forms clients send them.
const (
	pastedUser     = "scanner@contoso.com"
	pastedPassword = "Winter2026!"
	// pastedJWT has an access token's shape (header, claims with aud outlook.office365.com,
	// signature).
	pastedJWT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlMzY1LmNvbSJ9.c2lnbmF0dXJl"
)

var (
	pastedPlain   = base64.StdEncoding.EncodeToString([]byte("\x00" + pastedUser + "\x00" + pastedPassword))
	pastedUserB64 = base64.StdEncoding.EncodeToString([]byte(pastedUser))
	pastedPassB64 = base64.StdEncoding.EncodeToString([]byte(pastedPassword))
	pastedXOAUTH2 = base64.StdEncoding.EncodeToString([]byte("user=" + pastedUser + "\x01auth=Bearer " + pastedJWT + "\x01\x01"))
)

// pastedSecrets are every form of the credentials that must never be printed.
var pastedSecrets = []string{pastedPassword, pastedPlain, pastedUserB64, pastedPassB64, pastedXOAUTH2, pastedJWT, "Abc~8Q.x_y-Secret"}

// pastedTexts are what people paste into explain with a secret in it, and the code each must
// still decode to.
var pastedTexts = []struct{ name, text, code string }{
	{"swaks AUTH LOGIN", ` -> EHLO scanner01.corp.contoso.com
<-  250-SN4PR0501CA0056.outlook.office365.com Hello [203.0.113.7]
<-  250-AUTH LOGIN XOAUTH2
 ~> AUTH LOGIN
<~  334 VXNlcm5hbWU6
 ~> ` + pastedUserB64 + `
<~  334 UGFzc3dvcmQ6
 ~> ` + pastedPassB64 + `
<~* 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [SN4PR0501CA0056.namprd05.prod.outlook.com]`, "5.7.139"},
	{"curl -v AUTH PLAIN", `> EHLO app01
< 250-AUTH LOGIN XOAUTH2
> AUTH PLAIN ` + pastedPlain + `
< 535 5.7.3 Authentication unsuccessful [BN9PR03CA0123.namprd03.prod.outlook.com]`, "5.7.3"},
	{"MailKit XOAUTH2", `C: AUTH XOAUTH2 ` + pastedXOAUTH2 + `
S: 334 eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL291dGxvb2sub2ZmaWNlLmNvbS9TTVRQLlNlbmQifQ==
C: 
S: 535 5.7.3 Authentication unsuccessful [DB9PR02CA0011.eurprd02.prod.outlook.com]`, "5.7.3"},
	{"an exception with a bearer token and a JWT", `MailKit.Security.AuthenticationException: 535: 5.7.3 Authentication unsuccessful [DB9PR02CA0011.eurprd02.prod.outlook.com]
   request: Authorization: Bearer ` + pastedJWT + `
   token response: {"token_type":"Bearer","access_token":"` + pastedJWT + `"}`, "5.7.3"},
	{"a token request with the client secret", `POST https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token
client_id=0b7c4f0e-2d1a-4e5b-9c8d-7a6b5c4d3e2f&client_secret=Abc~8Q.x_y-Secret&scope=https%3A%2F%2Foutlook.office365.com%2F.default&grant_type=client_credentials
{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '0b7c4f0e-2d1a-4e5b-9c8d-7a6b5c4d3e2f'."}`, "AADSTS7000215"},
	{"a connection string", `System.Net.Mail.SmtpException: The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.57 Client not authenticated to send mail.
   Settings: Host=smtp.office365.com;Port=587;User=scanner@contoso.com;Password=Winter2026!;EnableSsl=true`, "5.7.57"},
}

// TestExplainNeverRepeatsASecret runs explain on each pasted text, as an argument, on stdin and
// from a file, in every format, and asserts on the bytes printed: no secret in any form, the
// code still decoded, the redaction marked.
func TestExplainNeverRepeatsASecret(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for i, tt := range pastedTexts {
		path := filepath.Join(dir, "pasted"+string(rune('a'+i))+".txt")
		if err := os.WriteFile(path, []byte(tt.text), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{"text", "json", "markdown"} {
			for _, how := range []string{"argument", "stdin", "file"} {
				t.Run(tt.name+"/"+format+"/"+how, func(t *testing.T) {
					t.Parallel()
					var code int
					var stdout, stderr string
					switch how {
					case "argument":
						code, stdout, stderr = runCmd(t, "", "explain", "-o", format, "--no-color", tt.text)
					case "stdin":
						code, stdout, stderr = runCmd(t, tt.text, "explain", "-o", format, "--no-color")
					case "file":
						code, stdout, stderr = runCmd(t, "", "explain", "-o", format, "--no-color", "--file", path)
					}
					if code != exitPass {
						t.Fatalf("exit %d; want %d\nstderr: %s", code, exitPass, stderr)
					}
					for _, s := range pastedSecrets {
						if strings.Contains(stdout, s) || strings.Contains(stderr, s) {
							t.Errorf("output holds the secret %q:\n%s", s, stdout)
						}
					}
					if !strings.Contains(stdout, "[redacted]") {
						t.Errorf("output shows no [redacted]:\n%s", stdout)
					}
					if !strings.Contains(stdout, tt.code) {
						t.Errorf("output lacks the code %s:\n%s", tt.code, stdout)
					}
				})
			}
		}
	}
}

// fakeTerminal is stdin on a terminal: a reader that isTerminal says yes to.
type fakeTerminal struct{ io.Reader }

func (fakeTerminal) Write(p []byte) (int, error) { return len(p), nil }

func runTerminal(t *testing.T, typed string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	stdin := fakeTerminal{strings.NewReader(typed)}
	e := &env{
		stdin: stdin, stdout: &out, stderr: &errb,
		getenv:     func(string) string { return "" },
		isTerminal: func(w io.Writer) bool { _, ok := w.(fakeTerminal); return ok },
	}
	return run(t.Context(), e, args), out.String(), errb.String()
}

func TestExplainInputs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	reply := "550 5.7.64 TenantAttribution; Relay Access Denied ATTR36"
	replyFile := filepath.Join(dir, "reply.txt")
	if err := os.WriteFile(replyFile, []byte(reply), 0o600); err != nil {
		t.Fatal(err)
	}
	eml := filepath.Join("..", "..", "probe", "ndr", "testdata", "onprem-5.7.64-en.eml")

	t.Run("pasted on a terminal, up to an empty line", func(t *testing.T) {
		t.Parallel()
		code, stdout, stderr := runTerminal(t, "\n"+reply+"\n[BN8NAM11FT066.eop-nam11.prod.protection.outlook.com]\n\n535 5.7.3 typed after the empty line\n", "explain", "-o", "json")
		if code != exitPass {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if !strings.Contains(stderr, pastePrompt) {
			t.Errorf("stderr = %q; want the prompt", stderr)
		}
		if !strings.Contains(stdout, "relay-tenant-attribution") || strings.Contains(stdout, "5.7.3") {
			t.Errorf("stdout = %s; want the pasted lines explained and nothing after the empty line", stdout)
		}
	})
	t.Run("pasted on a terminal, up to Ctrl-D", func(t *testing.T) {
		t.Parallel()
		if code, _, stderr := runTerminal(t, reply, "explain"); code != exitPass {
			t.Errorf("exit %d: %s", code, stderr)
		}
	})
	t.Run("nothing pasted on a terminal", func(t *testing.T) {
		t.Parallel()
		if code, _, stderr := runTerminal(t, "\n\n", "explain"); code != exitCantRun {
			t.Errorf("exit %d; want %d: %s", code, exitCantRun, stderr)
		}
	})
	t.Run("--file", func(t *testing.T) {
		t.Parallel()
		if code, stdout, stderr := runCmd(t, "", "explain", "--file", replyFile); code != exitPass || !strings.Contains(stdout, "5.7.64") {
			t.Errorf("exit %d: %s%s", code, stdout, stderr)
		}
	})
	t.Run("--file - reads stdin", func(t *testing.T) {
		t.Parallel()
		if code, stdout, stderr := runCmd(t, reply, "explain", "--file", "-"); code != exitPass || !strings.Contains(stdout, "5.7.64") {
			t.Errorf("exit %d: %s%s", code, stdout, stderr)
		}
	})
	t.Run("a saved bounce", func(t *testing.T) {
		t.Parallel()
		code, stdout, stderr := runCmd(t, "", "explain", "-o", "json", "--file", eml)
		if code != exitPass {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var got struct {
			Input   string `json:"input"`
			Matches []struct {
				ID  string     `json:"id"`
				Fix []jsonStep `json:"fix"`
			} `json:"matches"`
		}
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Matches) == 0 || got.Matches[0].ID != "relay-tenant-attribution" {
			t.Fatalf("matches %+v; want relay-tenant-attribution", got.Matches)
		}
		if strings.Contains(got.Input, "Delivery has failed") || strings.Contains(got.Input, "Content-Type") {
			t.Errorf("input = %q; want the delivery report alone", got.Input)
		}
		if fix := stepsText(got.Matches[0].Fix); !strings.Contains(fix, "scanner@contoso.com") {
			t.Errorf("fix lacks the sender read from the bounce:\n%s", fix)
		}
		if !strings.Contains(stderr, "mail message") {
			t.Errorf("stderr = %q; want a note that the input is a message", stderr)
		}
	})
	t.Run("flags win over the text", func(t *testing.T) {
		t.Parallel()
		code, stdout, _ := runCmd(t, "", "explain", "--from", "app@fabrikam.com", "MAIL FROM:<scanner@contoso.com>\n"+reply)
		if code != exitPass || !strings.Contains(stdout, "app@fabrikam.com") || strings.Contains(stdout, "scanner@contoso.com must") {
			t.Errorf("exit %d; want the flag's sender in the fix:\n%s", code, stdout)
		}
	})
	t.Run("an argument and --file", func(t *testing.T) {
		t.Parallel()
		assertCantRun(t, "not both", "explain", "--file", replyFile, reply)
	})
	t.Run("a file that is not there", func(t *testing.T) {
		t.Parallel()
		assertCantRun(t, "no-such-file", "explain", "--file", filepath.Join(dir, "no-such-file"))
	})
}

// TestExplainLargeInput feeds explain more than it reads, from a file and from stdin, and
// checks what it says about it: the size it measured for a file, none for stdin.
func TestExplainLargeInput(t *testing.T) {
	t.Parallel()
	line := "2026-12-07 03:00:00 DEBUG queue runner woke up, nothing to do\n"
	big := strings.Repeat(line, (maxExplainInput+maxExplainInput/16)/len(line))
	text := "S: 550 5.7.64 TenantAttribution; Relay Access Denied ATTR36\n" + big + "S: 535 5.7.3 Authentication unsuccessful\n"
	path := filepath.Join(t.TempDir(), "big.log")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := runCmd(t, "", "explain", "--file", path)
	if code != exitPass || !strings.Contains(stdout, "5.7.64") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "read 16 MiB of 17.0 MiB from " + path + "; the rest was not decoded"; !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q; want %q", stderr, want)
	}
	if strings.Contains(stdout, "5.7.3") {
		t.Error("stdout explains 5.7.3, which is past what was read")
	}

	code, _, stderr = runCmd(t, text, "explain")
	if code != exitPass {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "read the first 16 MiB of stdin; the input went on"; !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q; want %q", stderr, want)
	}
	if strings.Contains(stderr, " of 17 MiB") {
		t.Errorf("stderr = %q claims a total it did not measure", stderr)
	}
}

func TestExplainHelp(t *testing.T) {
	t.Parallel()
	code, stdout, _ := runCmd(t, "", "explain", "--help")
	if code != exitPass {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"--file", "stdin", "[redacted]", "Exit codes:", "1  nothing known", "3  could not run"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("explain --help lacks %q:\n%s", want, stdout)
		}
	}
}

// BenchmarkExplain16MiB runs explain in-process on a log of 16 MiB: read, redaction, the cut to
// the lines with codes, the values, the knowledge base and the JSON.
func BenchmarkExplain16MiB(b *testing.B) {
	lines := strings.Repeat("2026-12-07 03:00:01.512 queue 4F2A1C: to=<someone@example.org>, relay=none, delay=0.12, status=deferred\n", 9) +
		"2026-12-07 03:00:01 C: AUTH PLAIN " + pastedPlain + "\n2026-12-07 03:00:01 S: 535 5.7.3 Authentication unsuccessful [DB9PR02CA0011.eurprd02.prod.outlook.com]\n"
	text := strings.Repeat(lines, maxExplainInput/len(lines))
	path := filepath.Join(b.TempDir(), "app.log")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		var out, errb bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
			getenv: func(string) string { return "" }, isTerminal: func(io.Writer) bool { return false }}
		if code := run(b.Context(), e, []string{"explain", "-o", "json", "--file", path}); code != exitPass {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
}
