package kb

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func FuzzExplain(f *testing.F) {
	for _, c := range loadCorpus(f) {
		f.Add(c.Text)
	}
	for _, s := range []string{
		"", "5.7.64", "554", "AADSTS", "AADSTS7000215", "550%205.7.64%20TenantAttribution",
		"#5.7.1 smtp;550 5.7.1 blocked using Spamhaus", "[", "(AS", "ATTR", "Trace ID: ",
		"5.7.606-649", "550-5.7.1-", "\xff\xfe5.7.64\x00", "{ps:public_ip}", "%", "%2", "%zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ms := Explain(text, textContext(text))
		if len(ms) > maxMatches {
			t.Fatalf("%d matches; want at most %d", len(ms), maxMatches)
		}
		seen := map[string]bool{}
		for _, m := range ms {
			if m.ID == "" || m.Title == "" || m.Cause == "" || len(m.Fix) == 0 || len(m.Docs) == 0 || m.Code == "" {
				t.Fatalf("incomplete match %+v", m)
			}
			key := m.ID + " " + string(m.Code)
			if seen[key] {
				t.Fatalf("match %s listed twice", key)
			}
			seen[key] = true
			for _, tok := range m.Tokens {
				if !utf8.ValidString(tok) || strings.IndexFunc(tok, unicode.IsControl) >= 0 {
					t.Fatalf("token %q is not clean", tok)
				}
			}
		}
		if ForCode(text, Context{}) != nil && strings.TrimSpace(text) == "" {
			t.Fatal("ForCode of blank text found a hint")
		}
	})
}

func FuzzFill(f *testing.F) {
	for _, e := range entries[:5] {
		f.Add(e.fix[0].text, "203.0.113.7")
		f.Add(e.fix[len(e.fix)-1].command, "203.0.113.7")
	}
	f.Add("{", "x")
	f.Add("{ps:a|b|c}", "'")
	f.Add("{psl:mx_host}", "1,2,,3;;'")
	f.Fuzz(func(t *testing.T, tmpl, val string) {
		c := textContext(val)
		out := fill(tmpl, &c)
		if strings.IndexByte(tmpl, '{') < 0 && out != tmpl {
			t.Fatalf("fill changed a template without braces: %q -> %q", tmpl, out)
		}
	})
}

// ndr is a full Exchange Online NDR as a user pastes it.
const ndr = `Delivery has failed to these recipients or groups:
someone@example.org
Your message wasn't delivered because the recipient's email provider rejected it.
Diagnostic information for administrators:
Generating server: AM0PR01MB1234.eurprd01.prod.outlook.com
someone@example.org
Remote Server returned '550 5.7.64 TenantAttribution; Relay Access Denied ATTR36 [AM0PR01MB1234.eurprd01.prod.outlook.com]'
Original message headers:
Received: from app.contoso.com (203.0.113.7) by AM0PR01MB1234.eurprd01.prod.outlook.com
 (10.167.9.1) with Microsoft SMTP Server (version=TLS1_2,
 cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.1471.13; Fri, 2 Oct 2026 10:00:00 +0000
`

func BenchmarkExplain(b *testing.B) {
	big := strings.Repeat(ndr, (1<<20)/len(ndr))
	cases := []struct{ name, text string }{
		{"reply", "550 5.7.64 TenantAttribution; Relay Access Denied ATTR36 [SN1PR01MB1234.namprd01.prod.outlook.com]"},
		{"ndr", ndr},
		{"exception", "The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant."},
		{"1MB", big},
		{"1MB-codes", strings.Repeat("550 5.7.1 blocked using Spamhaus [x.prod.outlook.com] ", (1<<20)/54)},
		{"1MB-aadsts", strings.Repeat("AADSTS7000215 ", (1<<20)/14)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.text)))
			b.ReportAllocs()
			for b.Loop() {
				Explain(c.text, testCtx)
			}
		})
	}
}

func BenchmarkHint(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Hint("relay-tenant-attribution", testCtx)
	}
}
