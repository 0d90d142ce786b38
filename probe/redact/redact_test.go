package redact

import (
	"encoding/base64"
	"strings"
	"testing"
)

// The credentials of the transcripts below, and their encoded forms as clients send them.
const (
	user     = "app@contoso.com"
	password = "Winter2026!"
	// jwt is an access token's shape: header, claims (aud outlook.office365.com), signature.
	jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlMzY1LmNvbSJ9.c2lnbmF0dXJl"
)

var (
	plainB64    = base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + password))
	userB64     = base64.StdEncoding.EncodeToString([]byte(user))
	passwordB64 = base64.StdEncoding.EncodeToString([]byte(password))
	xoauth2B64  = base64.StdEncoding.EncodeToString([]byte("user=" + user + "\x01auth=Bearer " + jwt + "\x01\x01"))
)

// secrets are every form of the credentials that must not survive Text.
func secrets() []string {
	return []string{password, plainB64, userB64, passwordB64, xoauth2B64, jwt}
}

func TestTextExact(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"nothing to hide", "550 5.7.64 TenantAttribution; Relay Access Denied ATTR36", "550 5.7.64 TenantAttribution; Relay Access Denied ATTR36"},
		{"AUTH PLAIN", "C: AUTH PLAIN " + plainB64, "C: AUTH PLAIN [redacted]"},
		{"AUTH LOGIN with initial response", "AUTH LOGIN " + userB64 + "\r\n", "AUTH LOGIN [redacted]\r\n"},
		{"AUTH XOAUTH2, lower case", "auth xoauth2 " + xoauth2B64, "auth xoauth2 [redacted]"},
		{"IMAP AUTHENTICATE", "A1 AUTHENTICATE XOAUTH2 " + xoauth2B64, "A1 AUTHENTICATE XOAUTH2 [redacted]"},
		{"capabilities are not a secret", "250-AUTH LOGIN PLAIN XOAUTH2", "250-AUTH LOGIN PLAIN XOAUTH2"},
		{"old capability form", "250-AUTH=LOGIN PLAIN", "250-AUTH=LOGIN PLAIN"},
		{"empty initial response", "AUTH PLAIN =", "AUTH PLAIN ="},
		{"AUTH without a mechanism", "SMTP AUTH is disabled for the mailbox", "SMTP AUTH is disabled for the mailbox"},
		{"Python smtplib", "send: 'AUTH PLAIN " + plainB64 + "\\r\\n'", "send: 'AUTH PLAIN [redacted]\\r\\n'"},
		{"bearer header", "Authorization: Bearer " + jwt, "Authorization: Bearer [redacted]"},
		{"basic header", "authorization: Basic " + userB64, "authorization: Basic [redacted]"},
		{"authorization in JSON", `{"Authorization": "Bearer opaque-token-value-1234"}`, `{"Authorization": "Bearer [redacted]"}`},
		{"bearer in a decoded XOAUTH2 string", "user=app@contoso.com\x01auth=Bearer " + jwt + "\x01\x01", "user=app@contoso.com\x01auth=Bearer [redacted]\x01\x01"},
		{"bearer in prose", "the bearer token is invalid", "the bearer token is invalid"},
		{"JWT alone", "token: " + jwt + " expired", "token: [redacted] expired"},
		{"not a JWT", "eyJnot-a-token here", "eyJnot-a-token here"},
		{"JWT after =", "login_hint=x&id_token_hint=" + jwt, "login_hint=x&id_token_hint=[redacted]"},
		{"JWT after an unknown name", "assertion_x=" + jwt + "&y=1", "assertion_x=[redacted]&y=1"},
		{"query string", "POST /token?client_id=0b7c&client_secret=Abc~8Q.x_y&scope=x", "POST /token?client_id=0b7c&client_secret=[redacted]&scope=x"},
		{"form body", "grant_type=client_credentials&client_secret=Abc~8Q&scope=https%3A%2F%2Foutlook.office365.com%2F.default", "grant_type=client_credentials&client_secret=[redacted]&scope=https%3A%2F%2Foutlook.office365.com%2F.default"},
		{"URL-encoded form", "body=grant_type%3Dpassword%26password%3DWinter2026!%26scope%3Dx", "body=grant_type%3Dpassword%26password%3D[redacted]%26scope%3Dx"},
		{"tokens in a query", "access_token=ya29.abc&refresh_token=1//0def", "access_token=[redacted]&refresh_token=[redacted]"},
		{"connection string", "Server=smtp.office365.com;Port=587;User Id=app@contoso.com;Password=Winter2026!;EnableSsl=true", "Server=smtp.office365.com;Port=587;User Id=app@contoso.com;Password=[redacted];EnableSsl=true"},
		{"pwd", "smtp://app:x@host?pwd=Winter2026!", "smtp://app:x@host?pwd=[redacted]"},
		{"environment", "MAIL_PASSWORD=Winter2026! MAIL_USERNAME=app", "MAIL_PASSWORD=[redacted] MAIL_USERNAME=app"},
		{"JSON password", `{"username": "app@contoso.com", "password": "Winter \"2026\"!", "port": 587}`, `{"username": "app@contoso.com", "password": "[redacted]", "port": 587}`},
		{"JSON client secret", `{"client_secret":"Abc~8Q.x_y"}`, `{"client_secret":"[redacted]"}`},
		{"escaped JSON", `"{\"password\":\"Winter2026!\"}"`, `"{\"password\":\"[redacted]\"}"`},
		{"secret with spaces around =", "secret = Winter2026!", "secret = [redacted]"},
		{"DMARC and SPF results are not secrets", "spf=pass smtp.mailfrom=contoso.com; dkim=pass", "spf=pass smtp.mailfrom=contoso.com; dkim=pass"},
		{"password in prose", "Invalid password: 535 5.7.3 Authentication unsuccessful", "Invalid password: 535 5.7.3 Authentication unsuccessful"},
		{"already redacted", "password=[redacted] AUTH PLAIN [redacted]", "password=[redacted] AUTH PLAIN [redacted]"},
		{"XOAUTH2 blob alone", "error sending " + xoauth2B64 + ": 535", "error sending [redacted]: 535"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// transcripts are AUTH exchanges as the tools people paste from print them. Each ends in the
// server's refusal, whose codes must survive.
var transcripts = []struct{ name, text, code string }{
	{"swaks", ` -> EHLO app01.contoso.com
<-  250-SN4PR0501CA0056.outlook.office365.com Hello [203.0.113.7]
<-  250-SIZE 157286400
<-  250-AUTH LOGIN XOAUTH2
<-  250 SMTPUTF8
 ~> AUTH LOGIN
<~  334 VXNlcm5hbWU6
 ~> ` + userB64 + `
<~  334 UGFzc3dvcmQ6
 ~> ` + passwordB64 + `
<~* 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [SN4PR0501CA0056.namprd05.prod.outlook.com]
*** No authentication type succeeded
 ~> QUIT`, "5.7.139"},
	{"curl -v", `> EHLO app01
< 250-AUTH LOGIN XOAUTH2
< 250 SMTPUTF8
> AUTH PLAIN ` + plainB64 + `
< 535 5.7.3 Authentication unsuccessful [BN9PR03CA0123.namprd03.prod.outlook.com]
* Closing connection`, "5.7.3"},
	{"PHPMailer SMTPDebug", `2026-12-07 03:00:00 CLIENT -> SERVER: AUTH LOGIN
2026-12-07 03:00:00 SERVER -> CLIENT: 334 VXNlcm5hbWU6
2026-12-07 03:00:00 CLIENT -> SERVER: ` + userB64 + `
2026-12-07 03:00:00 SERVER -> CLIENT: 334 UGFzc3dvcmQ6
2026-12-07 03:00:00 CLIENT -> SERVER: ` + passwordB64 + `
2026-12-07 03:00:01 SERVER -> CLIENT: 535 5.7.3 Authentication unsuccessful [LO4P265CA0001.GBRP265.PROD.OUTLOOK.COM]
2026-12-07 03:00:01 SMTP ERROR: Password command failed: 535 5.7.3 Authentication unsuccessful`, "5.7.3"},
	{"MailKit protocol log", `C: EHLO [192.168.1.20]
S: 250-AUTH LOGIN XOAUTH2
S: 250 SMTPUTF8
C: AUTH XOAUTH2 ` + xoauth2B64 + `
S: 334 eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL291dGxvb2sub2ZmaWNlLmNvbS9TTVRQLlNlbmQifQ==
C: 
S: 535 5.7.3 Authentication unsuccessful [DB9PR02CA0011.eurprd02.prod.outlook.com]`, "5.7.3"},
	{"MailKit, AUTH LOGIN", `S: 334 VXNlcm5hbWU6
C: ` + userB64 + `
S: 334 UGFzc3dvcmQ6
C: ` + passwordB64 + `
S: 535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [PR3P191CA0015.EURP191.PROD.OUTLOOK.COM]`, "5.7.139"},
	{">> and << prefixes", `>> EHLO app01.contoso.com
<< 250-AUTH LOGIN XOAUTH2
>> AUTH LOGIN ` + userB64 + `
<< 334 UGFzc3dvcmQ6
>> ` + passwordB64 + `
<< 535 5.7.3 Authentication unsuccessful [CH2PR04CA0012.namprd04.prod.outlook.com]`, "5.7.3"},
	{"Java Mail debug", `DEBUG SMTP: AUTH LOGIN command trace suppressed
AUTH LOGIN
334 VXNlcm5hbWU6
` + userB64 + `
334 UGFzc3dvcmQ6
` + passwordB64 + `
535 5.7.3 Authentication unsuccessful [AM0PR10CA0044.EURPRD10.PROD.OUTLOOK.COM]`, "5.7.3"},
	{"Python smtplib debug", `send: 'AUTH PLAIN ` + plainB64 + `\r\n'
reply: b'535 5.7.139 Authentication unsuccessful, the user credentials were incorrect. [SA0PR11CA0077.namprd11.prod.outlook.com]\r\n'`, "5.7.139"},
	{"System.Net.Mail exception with the token", `System.Net.Mail.SmtpException: The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.57 Client not authenticated to send mail. Error: 535 5.7.3 Authentication unsuccessful
   at Contoso.Mailer.Send() token=` + jwt + `
   Authorization: Bearer ` + jwt, "5.7.57"},
}

func TestTranscripts(t *testing.T) {
	t.Parallel()
	for _, tt := range transcripts {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Text(tt.text)
			for _, s := range secrets() {
				if strings.Contains(got, s) {
					t.Errorf("Text left %q in:\n%s", s, got)
				}
			}
			if !strings.Contains(got, tt.code) {
				t.Errorf("Text lost the code %s:\n%s", tt.code, got)
			}
			if !strings.Contains(got, Mark) {
				t.Errorf("Text redacted nothing:\n%s", got)
			}
			for _, keep := range []string{"334 VXNlcm5hbWU6", "250-AUTH LOGIN XOAUTH2"} {
				if strings.Contains(tt.text, keep) && !strings.Contains(got, keep) {
					t.Errorf("Text removed the server's %q:\n%s", keep, got)
				}
			}
		})
	}
}

func TestJWTs(t *testing.T) {
	t.Parallel()
	if got, want := JWTs("tok "+jwt+" end", "[token]"), "tok [token] end"; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
}

// FuzzText checks that Text never panics, never leaves an AUTH command's argument, and removes
// a credential put into any text after AUTH or after a 334 challenge.
func FuzzText(f *testing.F) {
	for _, tt := range transcripts {
		f.Add(tt.text, "Winter2026!")
	}
	f.Add("AUTH PLAIN AGFwcA==", "x")
	f.Add("password=\"abc", "p")
	f.Add("Authorization: Basic", "")
	f.Add("334\n\n", "s3cr3t")
	f.Fuzz(func(t *testing.T, text, cred string) {
		out := Text(text)
		if left := authArguments(out, asciiLower(out), nil); len(left) > 0 {
			sp := left[0]
			t.Fatalf("an AUTH argument survived: %q in %q", out[sp.start:sp.end], out)
		}
		b := base64.StdEncoding.EncodeToString([]byte("\x00user\x00" + cred))
		for _, in := range []string{
			text + "\nC: AUTH PLAIN " + b + "\r\n" + text,
			text + "\n334 VXNlcm5hbWU6\n" + b + "\n" + text,
		} {
			if got := Text(in); strings.Count(got, b) > strings.Count(text, b)*2 {
				t.Fatalf("the credential survived in %q", got)
			}
		}
	})
}

func BenchmarkText(b *testing.B) {
	var sb strings.Builder
	for sb.Len() < 16<<20 {
		sb.WriteString(transcripts[0].text)
		sb.WriteString("\n2026-12-07 03:00:01 smtp.mailfrom=contoso.com; dkim=pass header.d=contoso.com; status=bounced (host said: 550 5.7.64 TenantAttribution)\n")
	}
	s := sb.String()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Text(s)
	}
}
