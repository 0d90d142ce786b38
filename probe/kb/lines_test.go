package kb

import (
	"strings"
	"testing"
)

func TestCodeLines(t *testing.T) {
	t.Parallel()
	noise := strings.Repeat("2026-12-07 03:00:00 DEBUG queue runner woke up, nothing to do\n", MaxInput/60+1)
	transcript := "S: 250-BN8NAM11FT066.mail.protection.outlook.com Hello [203.0.113.7]\nC: MAIL FROM:<scanner@contoso.com>\nS: 250 2.1.0 Sender OK\n" +
		"C: RCPT TO:<someone@example.org>\nS: 550 5.7.64 TenantAttribution; Relay Access Denied ATTR36\nC: QUIT\n"
	text := noise + transcript + noise + "AADSTS7000215: Invalid client secret provided.\n" + noise

	got, kept, cut := CodeLines(text)
	if cut {
		t.Error("cut = true; want every line with a code kept")
	}
	for _, want := range []string{"Hello [203.0.113.7]", "MAIL FROM:<scanner@contoso.com>", "RCPT TO:<someone@example.org>", "550 5.7.64 TenantAttribution", "C: QUIT", "AADSTS7000215"} {
		if !strings.Contains(got, want) {
			t.Errorf("CodeLines lacks %q; got:\n%s", want, got)
		}
	}
	if strings.Contains(got, "queue runner") && kept > 8 {
		t.Errorf("CodeLines kept %d lines of noise:\n%s", kept, got)
	}
	ms := Explain(got, ContextFromText(got))
	if len(ms) < 2 || ms[0].ID != "relay-tenant-attribution" {
		t.Errorf("Explain(CodeLines) = %v; want the refusal and the AADSTS error, both past %d bytes", ids(ms), MaxInput)
	}

	many := strings.Repeat("550 5.7.1 Service unavailable, Client host [198.51.100.7] blocked using Spamhaus\n", 2*MaxInput/80)
	if got, _, cut := CodeLines(many); !cut || len(got) > MaxInput {
		t.Errorf("CodeLines of %d bytes of codes: cut = %v, %d bytes; want it cut to at most %d", len(many), cut, len(got), MaxInput)
	}
}

func BenchmarkCodeLines(b *testing.B) {
	// A log of 16 MiB: one line in ten a refusal, the others noise with timestamps and numbers.
	lines := strings.Repeat("2026-12-07 03:00:01.512 queue 4F2A1C: to=<someone@example.org>, relay=none, delay=0.12, status=deferred\n", 9) +
		"2026-12-07 03:00:01 status=bounced (host said: 550 5.7.64 TenantAttribution; Relay Access Denied [x])\n"
	text := strings.Repeat(lines, 16<<20/len(lines))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		CodeLines(text)
	}
}
