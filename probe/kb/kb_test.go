package kb

import (
	"encoding/json"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
	"github.com/exoprobe/exoprobe/probe/reply"
)

var testCtx = Context{
	Domain: "contoso.com", From: "scanner@contoso.com", To: "someone@example.org",
	MXHost: "contoso-com.mail.protection.outlook.com", Host: "contoso-com.mail.protection.outlook.com",
	Port: 25, PublicIP: netip.MustParseAddr("203.0.113.7"), EchoIP: netip.MustParseAddr("203.0.113.7"),
	ExpectIPs: []netip.Addr{netip.MustParseAddr("198.51.100.2")},
	Tenant:    "11111111-2222-3333-4444-555555555555", AppID: "66666666-7777-8888-9999-000000000000",
	Mailbox: "app@contoso.com", CertDomain: "mail.contoso.com",
}

// textContext returns a context whose every string value is s: a hostile or fuzzed text reaches
// every placeholder that prints text (addresses are typed and cannot carry it).
func textContext(s string) Context {
	return Context{
		Domain: s, From: s, FromDomain: s, To: s, MXHost: s, PreferredMX: s, Host: s,
		Tenant: s, AppID: s, Mailbox: s, CertDomain: s,
	}
}

// checkHint fails when a hint lacks any of its parts.
func checkHint(t *testing.T, h *check.Hint) {
	t.Helper()
	if h == nil {
		t.Fatal("got nil hint; want one")
	}
	if h.ID == "" || h.Title == "" || h.Cause == "" || len(h.Fix) == 0 || len(h.Docs) == 0 {
		t.Errorf("hint %q is incomplete: %+v", h.ID, h)
	}
	for _, s := range append([]string{h.Title, h.Cause}, stepStrings(h.Fix)...) {
		if strings.ContainsAny(s, "\x00\x1b\r") {
			t.Errorf("hint %q has a control character in %q", h.ID, s)
		}
	}
	for i, s := range h.Fix {
		if strings.Contains(s.Text, "\n") {
			t.Errorf("hint %q: step %d's text spans lines: %q", h.ID, i+1, s.Text)
		}
	}
}

func ids(ms []Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = string(m.Code) + "=" + m.ID
	}
	return out
}

// placeholderLike finds brace groups that were meant as placeholders.
var placeholderLike = regexp.MustCompile(`\{[a-z_:|]+\}`)

var allowedDocHosts = map[string]bool{
	"learn.microsoft.com":         true,
	"techcommunity.microsoft.com": true,
	"www.cisco.com":               true,
	"www.rfc-editor.org":          true, // the SMTP, STARTTLS, SPF and DMARC standards
	"www.postfix.org":             true, // the CVE-2011-0411 (STARTTLS injection) write-up
}

func TestEntriesWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range entries {
		t.Run(e.id, func(t *testing.T) {
			if seen[e.id] {
				t.Fatalf("duplicate id %s", e.id)
			}
			seen[e.id] = true
			if e.title == "" || e.cause == "" || len(e.fix) == 0 || len(e.docs) == 0 {
				t.Errorf("entry %s is incomplete", e.id)
			}
			if e.probe && (len(e.codes) > 0 || len(e.aadsts) > 0) {
				t.Errorf("probe entry %s must not match codes", e.id)
			}
			if !e.probe && len(e.codes) == 0 && len(e.aadsts) == 0 && !(e.alone && len(e.patterns) > 0) {
				t.Errorf("entry %s matches nothing", e.id)
			}
			if e.needPattern && len(e.patterns) == 0 {
				t.Errorf("entry %s needs a pattern but has none", e.id)
			}
			for _, p := range e.patterns {
				if fold(p) != p {
					t.Errorf("pattern %q is not in folded form %q", p, fold(p))
				}
			}
			for _, c := range e.codes {
				lo, hi, isRange := strings.Cut(c, "-")
				l, ok1 := parseEnhanced(lo)
				if !ok1 {
					t.Errorf("code %q does not parse", c)
				}
				if isRange {
					h, ok2 := parseEnhanced(hi)
					if !ok2 || h.class != l.class || h.subject != l.subject || h.detail < l.detail {
						t.Errorf("range %q is not a range of details", c)
					}
				}
			}
			for _, d := range e.docs {
				u, err := url.Parse(d)
				if err != nil || u.Scheme != "https" || !allowedDocHosts[u.Host] {
					t.Errorf("doc %q is not an https link to Microsoft (or Cisco) documentation", d)
				}
			}
			for _, s := range append([]string{e.title, e.cause}, stepStrings(e.fix)...) {
				for _, m := range placeholderLike.FindAllString(s, -1) {
					p, ok := parsePlaceholder(m[1 : len(m)-1])
					if !ok {
						t.Errorf("%s: %q is not a valid placeholder", e.id, m)
						continue
					}
					for _, n := range p.names {
						if _, known := placeholderNames[n]; !known {
							t.Errorf("%s: unknown placeholder name %q in %q", e.id, n, m)
						}
					}
				}
			}
			// Filled with nothing, every placeholder becomes readable text.
			h := e.hint(&Context{})
			checkHint(t, h)
			for _, s := range append([]string{h.Title, h.Cause}, stepStrings(h.Fix)...) {
				if m := placeholderLike.FindString(s); m != "" {
					t.Errorf("%s: placeholder %s left unfilled", e.id, m)
				}
			}
		})
	}
}

func TestProbeCodesExist(t *testing.T) {
	// The probe's own finding codes (issue 2 and the checks built so far); ids equal codes.
	for _, id := range []string{
		"port-filtered", "port-refused", "port-unreachable", "banner-timeout", "banner-masked",
		"starttls-stripped", "starttls-missing", "tls-intercepted", "tls-verify-failed",
		"tls-handshake-failed", "ip-mismatch", "egress-ip-differs", "ipv6-egress", "mx-not-exo",
		"mx-missing", "spf-ip-not-authorised", "spf-missing", "spf-no-exo-include", "dmarc-missing",
		"publicip-disagree", "publicip-undetected", "not-exo-banner", "connection-closed",
		"reply-timeout", "reply-malformed", "publicip-unconfirmed", "host-not-found",
		"token-missing-role", "token-wrong-audience", "token-wrong-tenant", "token-timeout",
		"basic-auth-deprecated",
	} {
		t.Run(id, func(t *testing.T) {
			h := Hint(id, testCtx)
			checkHint(t, h)
			if h.ID != id {
				t.Errorf("Hint(%q).ID = %q; want the code itself", id, h.ID)
			}
			if got := ForCode(id, testCtx); got == nil || got.ID != id {
				t.Errorf("ForCode(%q) = %v; want the probe entry", id, got)
			}
		})
	}
	if h := Hint("no-such-code", Context{}); h != nil {
		t.Errorf("Hint(no-such-code) = %+v; want nil", h)
	}
}

// TestEveryCodeHasAnEntry holds the probe's own finding codes (package probe/code) and the
// knowledge base to each other: every code a check can report has an entry that gives its cause
// and fix, and every probe entry is a code some check can report.
func TestEveryCodeHasAnEntry(t *testing.T) {
	declared := map[string]bool{}
	for _, c := range code.All {
		declared[string(c)] = true
		if c == check.Skipped {
			continue // a skipped check explains itself in its message; HintFor gives it no hint
		}
		t.Run(string(c), func(t *testing.T) {
			if Hint(string(c), Context{}) == nil {
				t.Errorf("code %q has no knowledge-base entry; add an entry with id %q and probe: true to probe/kb/entries.go", c, c)
			}
		})
	}
	if Hint(string(check.Skipped), Context{}) != nil {
		t.Errorf("code %q has an entry, but HintFor never gives a skipped finding a hint; drop the entry from probe/kb/entries.go", check.Skipped)
	}
	for _, e := range entries {
		if e.probe && !declared[e.id] {
			t.Errorf("probe entry %q names no code in package probe/code: declare it in probe/code/code.go and list it in code.All, or drop the entry from probe/kb/entries.go", e.id)
		}
	}
}

func TestForCode(t *testing.T) {
	tests := []struct {
		code, wantID string // wantID "" means nil
	}{
		{"5.7.64", "relay-tenant-attribution"},
		{" 5.7.64 ", "relay-tenant-attribution"},
		{"5.7.68", "direct-send-rejected"},
		{"5.7.51", "tenant-inbound-attribution"},
		{"5.7.54", "relay-not-accepted-domain"},
		{"5.7.57", "client-not-authenticated"},
		{"5.7.708", "ip-low-reputation"},
		{"5.7.705", "tenant-threshold"},
		{"5.7.750", "tenant-unregistered-domain"},
		{"5.7.605", "rfc3463-5.7.605"},
		{"5.7.606", "ip-banned"},
		{"5.7.627", "ip-banned"},
		{"5.7.649", "ip-banned"},
		{"5.7.650", "rfc3463-5.7.650"},
		{"5.1.8", "sender-restricted"},
		{"4.7.499", "rfc3463-4.7.499"},
		{"4.7.500", "throttled-temporary"},
		{"4.7.699", "throttled-temporary"},
		{"4.7.700", "rfc3463-4.7.700"},
		{"4.4.62", "wrong-region"},
		{"4.7.66", "legacy-tls"},
		{"5.7.3", "auth-failed"},
		{"5.7.139", "smtp-auth-blocked"},
		{"5.7.30", "basic-auth-retired"},
		{"5.7.60", "sendas-denied"},
		{"5.2.252", "sendas-denied"},
		{"5.5.105", "hve-external-recipient"},
		{"5.7.1", "rfc3463-5.7.1"}, // Spamhaus needs its text
		{"5.4.1", "rfc3463-5.4.1"}, // DBEB needs its text
		{"2.0.0", "rfc3463-2.0.0"}, // success has a generic meaning too
		{"5.9.999", "rfc3463-5.9.999"},
		{"554", "rfc5321-554"},
		{"421", "rfc5321-421"},
		{"599", "rfc5321-599"},
		{"600", ""},
		{"099", ""},
		{"AADSTS7000215", "aadsts-invalid-secret"},
		{"aadsts7000222", "aadsts-expired-secret"},
		{"AADSTS700016", "aadsts-app-not-found"},
		{"AADSTS90002", "aadsts-tenant-not-found"},
		{"AADSTS900023", "aadsts-invalid-tenant"},
		{"AADSTS500011", "aadsts-resource-not-found"},
		{"AADSTS65001", "aadsts-consent-missing"},
		{"AADSTS53003", "aadsts-conditional-access"},
		{"AADSTS700027", "aadsts-bad-assertion"},
		{"AADSTS700024", "aadsts-clock-skew"},
		{"AADSTS7000112", "aadsts-app-disabled"},
		{"AADSTS7000274", "aadsts-other"}, // two meanings in Microsoft's own sources: no entry
		{"AADSTS12", ""},
		{"AADSTSabc", ""},
		{"AADSTS123456789", ""},
		{"port-filtered", "port-filtered"},
		{"", ""},
		{"bogus", ""},
		{"9.9.9", ""},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			h := ForCode(tc.code, testCtx)
			if tc.wantID == "" {
				if h != nil {
					t.Fatalf("ForCode(%q) = %s; want nil", tc.code, h.ID)
				}
				return
			}
			if h == nil || h.ID != tc.wantID {
				t.Fatalf("ForCode(%q) = %v; want %s", tc.code, h, tc.wantID)
			}
			checkHint(t, h)
		})
	}
}

func TestHintForReply(t *testing.T) {
	tests := []struct {
		name       string
		reply      *reply.Reply // nil: a finding with neither a code nor a reply
		wantCode   string
		wantID     string // "" means nil
		wantInText string
	}{
		{"no reply", nil, "", "", ""},
		{"enhanced code with an entry", &reply.Reply{Code: 550, Enhanced: "5.7.64", Lines: []string{"5.7.64 TenantAttribution; Relay Access Denied ATTR36"}}, "5.7.64", "relay-tenant-attribution", "203.0.113.7"},
		{"enhanced code that needs its text", &reply.Reply{Code: 550, Enhanced: "5.7.1", Lines: []string{"5.7.1 Service unavailable, Client host [203.0.113.7] blocked using Spamhaus."}}, "5.7.1", "ip-spamhaus", ""},
		{"same code without the text", &reply.Reply{Code: 550, Enhanced: "5.7.1", Lines: []string{"5.7.1 Service unavailable"}}, "5.7.1", "rfc3463-5.7.1", ""},
		{"unknown detail", &reply.Reply{Code: 550, Enhanced: "5.7.999", Lines: []string{"5.7.999 something new"}}, "5.7.999", "rfc3463-5.7.999", ""},
		{"no enhanced code", &reply.Reply{Code: 554, Lines: []string{"Relay access denied"}}, "554", "rfc5321-554", ""},
		{"no text at all", &reply.Reply{Code: 421}, "421", "rfc5321-421", ""},
		{"multi-line reply", &reply.Reply{Code: 535, Enhanced: "5.7.139", Lines: []string{"5.7.139 Authentication unsuccessful,", "SmtpClientAuthentication is disabled for the Mailbox."}}, "5.7.139", "smtp-auth-disabled-mailbox", ""},
		{"code outside SMTP's range", &reply.Reply{Code: 700, Lines: []string{"what"}}, "700", "rfc5321-unknown", ""},
		{"success", &reply.Reply{Code: 250, Enhanced: "2.6.0", Lines: []string{"2.6.0 <id> Queued mail for delivery"}}, "2.6.0", "rfc3463-2.6.0", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var f check.Finding
			if tc.reply != nil {
				f = check.Finding{Code: check.Code(tc.reply.StatusCode()), Reply: tc.reply.String()}
			}
			if f.Code != check.Code(tc.wantCode) {
				t.Fatalf("finding code = %q; want %q", f.Code, tc.wantCode)
			}
			h := HintFor(f, testCtx)
			if tc.wantID == "" {
				if h != nil {
					t.Fatalf("HintFor(%+v) = %s; want nil", f, h.ID)
				}
				return
			}
			if h == nil || h.ID != tc.wantID {
				t.Fatalf("HintFor(%+v) = %v; want %s", f, h, tc.wantID)
			}
			checkHint(t, h)
			if tc.wantInText != "" && !strings.Contains(fixText(h.Fix), tc.wantInText) {
				t.Errorf("fix steps do not carry %q: %q", tc.wantInText, h.Fix)
			}
		})
	}
}

func TestHintFor(t *testing.T) {
	tests := []struct {
		name   string
		f      check.Finding
		wantID string // "" means nil
	}{
		{"a skipped check explains itself", check.Finding{Code: check.Skipped, Message: "no MX"}, ""},
		{"a skipped check with a reply still explains itself", check.Finding{Code: check.Skipped, Reply: "550 5.7.64 TenantAttribution"}, ""},
		{"a probe code", check.Finding{Code: code.PortFiltered}, "port-filtered"},
		{"a reply code without its reply", check.Finding{Code: "5.7.64"}, "relay-tenant-attribution"},
		{"an Entra ID code", check.Finding{Code: "AADSTS7000215"}, "aadsts-invalid-secret"},
		{"the entry named beats the reply's words", check.Finding{Code: "5.7.3", Reply: "535 5.7.3 Authentication unsuccessful", Entry: code.AuthXOAUTH2Rejected}, "auth-xoauth2-rejected"},
		{"the reply's words without an entry named", check.Finding{Code: "5.7.3", Reply: "535 5.7.3 Authentication unsuccessful"}, "auth-failed"},
		{"an unknown code", check.Finding{Code: "bogus"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := HintFor(tc.f, testCtx)
			if tc.wantID == "" {
				if h != nil {
					t.Fatalf("HintFor = %s; want nil", h.ID)
				}
				return
			}
			if h == nil || h.ID != tc.wantID {
				t.Fatalf("HintFor = %v; want %s", h, tc.wantID)
			}
			checkHint(t, h)
		})
	}
}

func TestAttach(t *testing.T) {
	kept := &check.Hint{ID: "kept"}
	r := check.New(check.SMTP)
	r.Add(check.Finding{Severity: check.Fail, Code: "5.7.64", Reply: "550 5.7.64 TenantAttribution; Relay Access Denied"})
	r.Add(check.Finding{Severity: check.Warn, Code: code.BannerMasked, Hint: kept})
	r.Addf(check.Fail, code.PortFiltered, "no answer")
	skipped := check.New(check.TLS)
	skipped.Skip("STARTTLS failed")

	Attach([]*check.Result{nil, r, skipped}, testCtx)

	var got []string
	for _, res := range []*check.Result{r, skipped} {
		for _, f := range res.Findings {
			id := "<nil>"
			if f.Hint != nil {
				id = f.Hint.ID
			}
			got = append(got, string(f.Code)+"="+id)
		}
	}
	want := []string{"5.7.64=relay-tenant-attribution", "banner-masked=kept", "port-filtered=port-filtered", "skipped=<nil>"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Attach gave %v; want %v", got, want)
	}
	if r.Findings[1].Hint != kept {
		t.Error("Attach replaced a hint a finding already had")
	}
	if fix := fixText(r.Findings[0].Hint.Fix); !strings.Contains(fix, "203.0.113.7") {
		t.Errorf("Attach did not fill the run's values: %q", fix)
	}
}

// TestAttachInnerCode: a finding read from a reply takes the most specific code the knowledge
// base recognises in it; the code the reply led with stays in the facts.
func TestAttachInnerCode(t *testing.T) {
	tests := []struct {
		name, code, reply string
		wantCode, wantID  string
		wantFact          string // reply_code, "" when the code stays
	}{
		{"Postfix wraps Exchange Online's 5.7.3", "5.7.8", "535 5.7.8 Error: authentication failed: 5.7.3 Authentication unsuccessful",
			"5.7.3", "auth-failed", "5.7.8"},
		{"the reply's own code is the most specific", "5.7.64", "550 5.7.64 TenantAttribution; Relay Access Denied ATTR36",
			"5.7.64", "relay-tenant-attribution", ""},
		{"nothing known: the code stays", "5.7.8", "535 5.7.8 Error: authentication failed: bad credentials",
			"5.7.8", "rfc3463-5.7.8", ""},
		// An Exim log line whose first number is a process id: the entry its words find has no
		// code, and the finding keeps its own.
		{"words alone: the code stays", "276", "276 Connecting to gmail-smtp-in.l.google.com [173.194.193.26]:25 ... failed: Connection refused",
			"276", "port-refused", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := check.New(check.Auth)
			r.Add(check.Finding{Severity: check.Fail, Code: check.Code(tt.code), Reply: tt.reply})
			Attach([]*check.Result{r}, testCtx)
			f := r.Findings[0]
			if string(f.Code) != tt.wantCode || f.Hint == nil || f.Hint.ID != tt.wantID {
				t.Fatalf("finding %s %v; want %s %s", f.Code, f.Hint, tt.wantCode, tt.wantID)
			}
			got, _ := r.Facts["reply_code"].(string)
			if got != tt.wantFact {
				t.Errorf("reply_code = %q; want %q", got, tt.wantFact)
			}
			if tt.wantFact != "" && r.Facts["reply"] != tt.reply {
				t.Errorf("reply = %v; want the whole reply kept", r.Facts["reply"])
			}
		})
	}
}

func TestExplainRanking(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // code=id, in order
	}{
		{
			name: "a follow-on 503 before the real refusal",
			text: "503 5.5.2 Need rcpt command\r\n550 5.7.64 TenantAttribution; Relay Access Denied ATTR36",
			want: []string{"5.7.64=relay-tenant-attribution", "5.5.2=rfc3463-5.5.2"},
		},
		{
			name: "Entra ID's general error wraps the specific one on its line",
			text: "AADSTS70002: Error validating credentials. AADSTS50126: Invalid username or password, Trace ID: 1",
			want: []string{"AADSTS50126=aadsts-invalid-password", "AADSTS70002=aadsts-client-credential-missing"},
		},
		{
			name: "two errors on two lines keep their order",
			text: "AADSTS7000215: Invalid client secret provided.\nAADSTS50126: Invalid username or password",
			want: []string{"AADSTS7000215=aadsts-invalid-secret", "AADSTS50126=aadsts-invalid-password"},
		},
		{
			name: "5.7.57 is a symptom of the failed AUTH before it",
			text: "5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully.",
			want: []string{"5.7.139=smtp-auth-criteria", "5.7.57=client-not-authenticated"},
		},
		{
			name: "an MTA's own code in front of the upstream one",
			text: "dsn=5.0.0, status=bounced (host x[1.2.3.4] said: 550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. AS(7171) (in reply to RCPT TO command))",
			want: []string{"5.7.708=ip-low-reputation", "5.0.0=rfc3463-5.0.0"},
		},
		{
			name: "the same entry twice is one match",
			text: "dsn=5.7.64, status=bounced (host x said: 550 5.7.64 TenantAttribution; Relay Access Denied (in reply to RCPT TO command))",
			want: []string{"5.7.64=relay-tenant-attribution"},
		},
		{
			name: "a generic code that an entry explains is not listed again",
			text: "Status: 5.4.1\r\nDiagnostic-Code: smtp;550 5.4.1 Recipient address rejected: Access denied. AS(201806281)",
			want: []string{"5.4.1=recipient-rejected-dbeb"},
		},
		{
			name: "two unrelated failures, most specific first",
			text: "550 5.1.7 bad sender address syntax; 550 5.7.606 Access denied, banned sending IP [192.0.2.1]",
			want: []string{"5.7.606=ip-banned", "5.1.7=rfc3463-5.1.7"},
		},
		{
			name: "a code with its phrase beats a code alone",
			text: "550 5.7.64 Relay Access Denied; then 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.",
			want: []string{"5.7.139=smtp-auth-disabled-tenant", "5.7.64=relay-tenant-attribution"},
		},
		{
			name: "a code without its phrase still finds the entry",
			text: "550 5.7.64 Relay Access Denied",
			want: []string{"5.7.64=relay-tenant-attribution"},
		},
		{
			name: "XOAUTH2 only offered by the server: a password failure",
			text: "SERVER -> CLIENT: 250-BM1PR01CA0104.outlook.office365.com Hello [124.123.71.13]250-SIZE 157286400250-PIPELINING250-DSN250-ENHANCEDSTATUSCODES250-AUTH LOGIN XOAUTH2250-8BITMIME\nCLIENT -> SERVER: AUTH LOGIN\nSMTP ERROR: Password command failed: 535 5.7.3 Authentication unsuccessful",
			want: []string{"5.7.3=auth-failed"},
		},
		{
			name: "XOAUTH2 used by the client",
			text: "CLIENT -> SERVER: AUTH XOAUTH2 dXNlcj1hcHBAY29udG9zby5jb20BYXV0aD1CZWFyZXIgZXlKMGVYQQEB\nSERVER -> CLIENT: 535 5.7.3 Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]",
			want: []string{"5.7.3=auth-xoauth2-rejected"},
		},
		{
			name: "AADSTS and SMTP in one log",
			text: "token: AADSTS7000215: Invalid client secret provided. then: 535 5.7.3 Authentication unsuccessful",
			want: []string{"AADSTS7000215=aadsts-invalid-secret", "5.7.3=auth-failed"},
		},
		{
			name: "an AADSTS number with no entry",
			text: "AADSTS50058: A silent sign-in request was sent but no user is signed in.",
			want: []string{"AADSTS50058=aadsts-other"},
		},
		{
			name: "a phrase without its code",
			text: "TenantAttribution; Relay Access Denied ATTR36 [SN1PR01MB1234.namprd01.prod.outlook.com]",
			want: []string{"5.7.64=relay-tenant-attribution"},
		},
		{
			name: "a probe's own code",
			text: "port-filtered",
			want: []string{"port-filtered=port-filtered"},
		},
		{
			name: "a bare code",
			text: "5.7.64",
			want: []string{"5.7.64=relay-tenant-attribution"},
		},
		{
			name: "successes in a pasted transcript are left out",
			text: "250 2.1.0 Sender OK\r\n250 2.1.5 Recipient OK\r\n550 5.7.64 TenantAttribution; Relay Access Denied",
			want: []string{"5.7.64=relay-tenant-attribution"},
		},
		{
			name: "a success alone is explained",
			text: "250 2.6.0 <id@host> [InternalId=1, Hostname=x] Queued mail for delivery",
			want: []string{"2.6.0=rfc3463-2.6.0"},
		},
		{
			name: "a bare basic code",
			text: "554",
			want: []string{"554=rfc5321-554"},
		},
		{
			name: "form-encoded spaces",
			text: "550+5.7.1+Service+unavailable,+Client+host+[203.0.113.7]+blocked+using+Spamhaus",
			want: []string{"5.7.1=ip-spamhaus"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ids(Explain(tc.text, testCtx))
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Fatalf("Explain(%q) = %v; want %v", tc.text, got, tc.want)
			}
		})
	}
}

func TestExplainFindsNoCode(t *testing.T) {
	for _, text := range []string{
		"",
		"   ",
		"hello world",
		"MailKit, 4.3.0, Microsoft.Identity.Client, 4.59.0",
		"ping 10.5.5.105 and 52.101.194.15",
		"Timestamp: 2024-03-20T10:27:56.998Z 08DC48BEE95C08E5",
		"version 1.2.3",
		"id 15.20.1471.13 via Frontend Transport",
		"size=360, nrcpt=1 (queue active)",
		"AADSTS",
		"relay access denied",
		"5.7.64.1",
		"delay=0.38, delays=0.02/0.01/0.22/0.13",
	} {
		t.Run(text, func(t *testing.T) {
			if got := Explain(text, Context{}); len(got) != 0 {
				t.Errorf("Explain(%q) = %v; want nothing", text, ids(got))
			}
		})
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"550 5.7.64 TenantAttribution; Relay Access Denied ATTR36 [SN1PR01MB1234.namprd01.prod.outlook.com]",
			[]string{"ATTR36", "[SN1PR01MB1234.namprd01.prod.outlook.com]"}},
		{"550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DB5EUR01FT088.eop-EUR01.prod.protection.outlook.com 2023-06-22T08:26:31.592Z 08DB72B25E50380B]",
			[]string{"AS(201806281)", "[DB5EUR01FT088.eop-EUR01.prod.protection.outlook.com 2023-06-22T08:26:31.592Z 08DB72B25E50380B]"}},
		{"550 5.7.1 Service unavailable, Client host [203.0.113.7] blocked using Spamhaus. (AS16012611)",
			[]string{"(AS16012611)"}}, // an IP in brackets is not a server name
		{"550 5.7.1 Service unavailable, Helo domain is listed in Spamhaus. (S8001) [contoso.mail.protection.outlook.com]",
			[]string{"(S8001)", "[contoso.mail.protection.outlook.com]"}},
		{"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 9b55ca53-4c86-49db-8aab-a3848f3a0500\r\nCorrelation ID: 8ade3bab-dcdb-4307-b6a6-d65e9c66156c",
			[]string{"Trace ID: 9b55ca53-4c86-49db-8aab-a3848f3a0500", "Correlation ID: 8ade3bab-dcdb-4307-b6a6-d65e9c66156c"}},
		{"550 5.7.64 TenantAttribution ATTR36 ATTR36 ATTR36", []string{"ATTR36"}},
		{"550 5.7.64 TenantAttributionATTR36 XATTR1", nil},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			ms := Explain(tc.text, Context{})
			if len(ms) == 0 {
				t.Fatal("no match")
			}
			if strings.Join(ms[0].Tokens, "|") != strings.Join(tc.want, "|") {
				t.Errorf("tokens = %q; want %q", ms[0].Tokens, tc.want)
			}
		})
	}
}

func TestExplainHostileInput(t *testing.T) {
	tests := []string{
		"550 5.7.64 \x1b[31mred\x00 ATTR36 [\x1b]0;pwned\x07.prod.outlook.com]",
		"550 5.7.64 \xff\xfe\xfd [\xff.outlook.com]",
		"AADSTS7000215" + strings.Repeat("\x00", 100),
		strings.Repeat("[", 10000) + "5.7.64 x",
		strings.Repeat("550 5.7.1 ", 20000),
		strings.Repeat("%2", 5000) + "%20550%205.7.64",
		strings.Repeat("AADSTS1234567 ", 5000),
	}
	for i, text := range tests {
		t.Run(strings.Repeat("x", i+1), func(t *testing.T) {
			ms := Explain(text, textContext("\x1b[2J203.0.113.7\n"))
			if len(ms) > maxMatches {
				t.Errorf("%d matches; want at most %d", len(ms), maxMatches)
			}
			for _, m := range ms {
				checkHint(t, &m.Hint)
				if len(m.Tokens) > maxTokens {
					t.Errorf("%d tokens; want at most %d", len(m.Tokens), maxTokens)
				}
				for _, tok := range m.Tokens {
					if !utf8.ValidString(tok) || strings.IndexFunc(tok, unicode.IsControl) >= 0 || len(tok) > maxTokenLen+3 {
						t.Errorf("token %q is not clean", tok)
					}
				}
				if _, err := json.Marshal(m); err != nil {
					t.Errorf("match does not marshal: %v", err)
				}
			}
		})
	}
}

func TestExplainLargeInput(t *testing.T) {
	// 1 MB of NDR noise with the real refusal at the end, and then more than the bound.
	line := "Received: from BN0PR10MB5271.namprd10.prod.outlook.com by x with mapi id 15.20.1471.13; "
	noise := strings.Repeat(line, 1<<20/len(line)+1)
	text := noise[:1<<20-200] + " 550 5.7.64 TenantAttribution; Relay Access Denied"
	ms := Explain(text, Context{})
	if len(ms) == 0 || ms[0].ID != "relay-tenant-attribution" {
		t.Errorf("Explain(1 MB) = %v; want the refusal at its end", ids(ms))
	}
	beyond := noise + noise + " 550 5.7.64 TenantAttribution"
	if ms := Explain(beyond, Context{}); len(ms) != 0 {
		t.Errorf("Explain(2 MB) = %v; want text past %d bytes ignored", ids(ms), maxExplainInput)
	}
}

func TestHintIsACopy(t *testing.T) {
	h := Hint("relay-tenant-attribution", Context{})
	h.Fix[0].Text = "changed"
	h.Docs[0] = "changed"
	if again := Hint("relay-tenant-attribution", Context{}); again.Fix[0].Text == "changed" || again.Docs[0] == "changed" {
		t.Error("changing a returned hint changed the knowledge base")
	}
}

func TestGenericEnhanced(t *testing.T) {
	for key, meaning := range enhancedDetails {
		code := "5." + key
		t.Run(code, func(t *testing.T) {
			h := ForCode(code, Context{})
			if h == nil {
				t.Fatalf("ForCode(%s) = nil", code)
			}
			if strings.HasPrefix(h.ID, "rfc3463-") && !strings.Contains(h.Title, meaning) {
				t.Errorf("title %q does not give the registered meaning %q", h.Title, meaning)
			}
		})
	}
	tests := []struct {
		code        string
		wantTitle   string
		wantInCause string
		wantRetry   bool
	}{
		{"4.2.2", "4.2.2: Mailbox full", "persistent transient failure", true},
		{"5.1.1", "5.1.1: Bad destination mailbox address: the mailbox does not exist", "permanent failure", false},
		{"5.7.26", "5.7.26: Multiple authentication checks failed", "security or policy", false},
		{"5.3.77", "5.3.77: Mail system status (the receiving system)", "not in the IANA registry", false},
		{"5.9.1", "5.9.1: unregistered status code", "Subject 9 is not defined", false},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			h := ForCode(tc.code, Context{})
			if h.Title != tc.wantTitle {
				t.Errorf("title = %q; want %q", h.Title, tc.wantTitle)
			}
			if !strings.Contains(h.Cause, tc.wantInCause) {
				t.Errorf("cause %q does not contain %q", h.Cause, tc.wantInCause)
			}
			if retry := strings.Contains(fixText(h.Fix), "retry"); retry != tc.wantRetry {
				t.Errorf("retry advice = %v; want %v", retry, tc.wantRetry)
			}
		})
	}
}

func TestGenericBasic(t *testing.T) {
	for code, meaning := range basicCodes {
		h := genericBasic(code)
		if h == nil || !strings.Contains(h.Title, meaning) {
			t.Errorf("genericBasic(%d) = %v; want the RFC text %q", code, h, meaning)
		}
	}
	if h := genericBasic(199); h != nil {
		t.Errorf("genericBasic(199) = %s; want nil", h.ID)
	}
	if h := genericBasic(456); h == nil || !strings.Contains(h.Cause, "not one of the codes") {
		t.Errorf("genericBasic(456) = %v; want the class meaning", h)
	}
}

func TestScanCodes(t *testing.T) {
	tests := []struct {
		text string
		want []string // kind:code
	}{
		{"550 5.7.64 x", []string{"e:5.7.64"}},
		{"550-5.7.1 x", []string{"e:5.7.1"}},
		{"535: 5.7.3 x", []string{"e:5.7.3"}},
		{"(550, b'5.7.64 x')", []string{"e:5.7.64"}},
		{"#5.7.1 smtp;550 5.7.1 x", []string{"e:5.7.1", "e:5.7.1"}},
		{"dsn=5.4.1, status", []string{"e:5.4.1"}},
		{"554 Relay access denied", []string{"b:554"}},
		{"250 OK", nil}, // success without an enhanced code says nothing
		{"got code \"530\", with message \"530 5.7.57 x\"", []string{"e:5.7.57"}},
		{"error 5.7.64.", []string{"e:5.7.64"}},
		{"5.7.64\nTenantAttribution", []string{"e:5.7.64"}},
		{"\n5.7.64 TenantAttribution", []string{"e:5.7.64"}},
		{"AADSTS7000215: x aadsts50126", []string{"a:7000215", "a:50126"}},
		{"XAADSTS7000215", nil},
		{"4.3.0,", nil},
		{"1.2.3.4", nil},
		{"5.7.1234 x", nil},
		{"6.7.1 x", nil},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			var got []string
			for _, o := range scanCodes(tc.text) {
				got = append(got, [...]string{"e", "b", "a"}[o.kind]+":"+o.code)
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("scanCodes(%q) = %v; want %v", tc.text, got, tc.want)
			}
		})
	}
}

// TestCausesNameEntries: the table of causes names entries that exist, causes that are the
// probe's own findings and refusals that are not.
func TestCausesNameEntries(t *testing.T) {
	for cause, refusals := range causes {
		if e, ok := byID[cause]; !ok || !e.probe {
			t.Errorf("cause %s is not one of the probe's own entries", cause)
		}
		for _, r := range refusals {
			if e, ok := byID[r]; !ok || e.probe {
				t.Errorf("cause %s explains %s, which is not an entry for a refusal", cause, r)
			}
			if !Explains(cause, r) {
				t.Errorf("Explains(%s, %s) = false", cause, r)
			}
		}
	}
	if Explains("spf-missing", "relay-tenant-attribution") || Explains("nope", "auth-failed") {
		t.Error("Explains is true for a pair the table does not hold")
	}
	if !FollowOn("client-not-authenticated") || FollowOn("relay-tenant-attribution") || FollowOn("nope") {
		t.Error("FollowOn is wrong")
	}
}
