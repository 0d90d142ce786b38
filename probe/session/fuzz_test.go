package session

import (
	"bytes"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/probe/reply"
)

// FuzzParseReplies feeds any reply text to the parsers of greetings, EHLO replies and final
// 250s: they must not panic, and what they extract must come from the text.
func FuzzParseReplies(f *testing.F) {
	for _, s := range []string{
		"220 CH3PEPF00000015.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at Sun, 22 Jun 2025 05:58:00 +0000 [08DDB07650EC6878]",
		"250-CH3PEPF00000015.mail.protection.outlook.com Hello [120.221.100.232]\r\n250-SIZE 49283072\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 SMTPUTF8\r\n",
		"250-mx Hello [IPv6:2001:db8::1]\r\n250-XXXXXXXA\r\n250 8BITMIME\r\n",
		"250-mx Hello host [192.0.2.1], pleased to meet you\r\n250 ENHANCEDSTATUSCODES\r\n",
		"250 2.6.0 <a@b> [InternalId=105849469029151, Hostname=AS8PR07MB7669.eurprd07.prod.outlook.com] 29353 bytes Queued mail for delivery",
		"250 2.0.0 Ok: queued as 4F1B2C3D",
		"220 ****0****2****",
		"250",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rep, err := reply.Parse(s)
		if err != nil || rep == nil {
			return
		}
		text := strings.Join(rep.Lines, "\n")
		g := parseGreeting(rep)
		if g.exo && g.masked {
			t.Errorf("greeting %q both Exchange Online and masked", s)
		}
		if !strings.Contains(text, g.host) {
			t.Errorf("greeting host %q not in %q", g.host, s)
		}
		k, echo := parseEHLO(rep)
		if echo.IsValid() && echo.Is4() && !strings.Contains(text, echo.String()) {
			t.Errorf("echo %s not in %q", echo, s)
		}
		for _, l := range k.stripped {
			if strings.Trim(l, "XA") != "" {
				t.Errorf("stripped capability %q is not X's", l)
			}
		}
		q := parseQueued(rep)
		if !strings.Contains(text, q.queueID) || !strings.Contains(text, q.host) {
			t.Errorf("queue %+v not in %q", q, s)
		}
	})
}

// FuzzDotStuff checks that a stuffed message never ends DATA early and unstuffs to the input
// with its line ends made CR LF.
func FuzzDotStuff(f *testing.F) {
	for _, s := range []string{"", "a", ".", "a\r\n.\r\nb", "..\n.\r.", "\r\n\r\n", "x\ry\nz"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out := dotStuff(in)
		if len(out) > 0 && !bytes.HasSuffix(out, []byte("\r\n")) {
			t.Fatalf("dotStuff(%q) = %q; does not end in CR LF", in, out)
		}
		lines := strings.Split(string(out), "\r\n")
		lines = lines[:len(lines)-1] // after the final CR LF
		var unstuffed strings.Builder
		for _, l := range lines {
			if strings.ContainsAny(l, "\r\n") {
				t.Fatalf("dotStuff(%q) = %q; bare CR or LF in a line", in, out)
			}
			if l == "." {
				t.Fatalf("dotStuff(%q) = %q; a lone dot would end DATA", in, out)
			}
			unstuffed.WriteString(strings.TrimPrefix(l, ".") + "\r\n")
		}
		norm := strings.NewReplacer("\r\n", "\r\n", "\r", "\r\n", "\n", "\r\n").Replace(string(in))
		if norm != "" && !strings.HasSuffix(norm, "\r\n") {
			norm += "\r\n"
		}
		if unstuffed.String() != norm {
			t.Fatalf("dotStuff(%q) unstuffs to %q; want %q", in, unstuffed.String(), norm)
		}
	})
}
