package session

import (
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
)

// BenchmarkRun times the whole relay pre-flight on loopback: greeting, EHLO, STARTTLS with a
// TLS 1.3 handshake, EHLO, pipelined MAIL and RCPT, RSET and QUIT.
func BenchmarkRun(b *testing.B) {
	ms, msTLS := msPKI(b)
	srv := newServer(b, concat(exoUpToTLS(msTLS), exoProbeEnd())...)
	cfg := baseConfig(srv, ms)
	cfg.ReplyTimeout = 5 * time.Second
	b.ReportAllocs()
	for b.Loop() {
		out := Run(b.Context(), cfg)
		if out.Send.Status != check.Pass {
			b.Fatalf("send = %s %v", out.Send.Status, out.Send.Findings)
		}
	}
}

// BenchmarkRunPlaintext is the same conversation without STARTTLS: the SMTP part alone.
func BenchmarkRunPlaintext(b *testing.B) {
	ms, _ := msPKI(b)
	srv := newServer(b, append([]act{exoGreeting(), expect("EHLO"), exoEHLO(false)}, exoProbeEnd()...)...)
	cfg := baseConfig(srv, ms)
	cfg.Mode = check.ModeDirect
	b.ReportAllocs()
	for b.Loop() {
		out := Run(b.Context(), cfg)
		if out.Send.Status != check.Pass {
			b.Fatalf("send = %s %v", out.Send.Status, out.Send.Findings)
		}
	}
}

func BenchmarkParseEHLO(b *testing.B) {
	rep := mustParse(b, "250-CH3PEPF00000015.mail.protection.outlook.com Hello [120.221.100.232]\r\n250-SIZE 157286400\r\n250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n250-8BITMIME\r\n250-BINARYMIME\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n")
	b.ReportAllocs()
	for b.Loop() {
		parseEHLO(rep)
	}
}

func BenchmarkDotStuff(b *testing.B) {
	msg := buildMessage("app@contoso.com", []string{"someone@example.org"}, "tok", time.Now(), "app01.contoso.com")
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		dotStuff(msg)
	}
}
