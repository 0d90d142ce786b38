package session_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures/hostile"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/kb"
	"github.com/exoprobe/exoprobe/probe/session"
)

// Limits of the hostile conversations: every reply is given hostileReplyTimeout, and a run
// may take hostileSlack more than the waits it is allowed (the race detector, a loaded machine).
const (
	hostileReplyTimeout = 500 * time.Millisecond
	hostileSlack        = 700 * time.Millisecond
)

// hostileConfig is a direct-send conversation with p, which stands for a host that is not
// Exchange Online: the findings are about what the peer did, not about its name.
func hostileConfig(p *hostile.Peer, send bool) session.Config {
	return session.Config{
		Mode: check.ModeDirect, Host: "mx.hostile.example", Addr: p.Addr, Port: p.Port,
		Helo: "app01.contoso.com", From: "scanner@contoso.com", To: []string{"user@contoso.com"}, Send: send,
		ConnectTimeout: time.Second, ReplyTimeout: hostileReplyTimeout,
	}
}

// hostileCase is one misbehaving peer and what the conversation must make of it.
type hostileCase struct {
	name   string
	script hostile.Script
	send   bool
	// check is the result that holds the failure ("smtp", "tls" or "send") and code its code.
	check, code string
	// waits is how many reply timeouts the run may spend: the longest it may take.
	waits int
	want  []string
}

var hostileCases = []hostileCase{
	{name: "accepts and never speaks", script: hostile.Silent(), check: "smtp", code: "banner-timeout", waits: 1,
		want: []string{"but the server said nothing in 500 ms", "holding the connection"}},
	{name: "banner one byte a second", script: hostile.Trickle(hostile.Greeting+"\r\n", time.Second),
		check: "smtp", code: "banner-timeout", waits: 1,
		want: []string{"began its greeting but did not finish it in 500 ms", "(1 byte arrived", "holding the connection"}},
	// A byte every 100 ms renews a deadline set per read five times over: the whole reply must
	// be bounded by one deadline.
	{name: "banner one byte every 100 ms", script: hostile.Trickle(hostile.Greeting+"\r\n", 100*time.Millisecond),
		check: "smtp", code: "banner-timeout", waits: 1,
		want: []string{"began its greeting but did not finish it in 500 ms", "bytes arrived", "holding the connection"}},
	{name: "EHLO reply one byte every 100 ms", script: trickleEHLO(100 * time.Millisecond),
		check: "smtp", code: "reply-timeout", waits: 1,
		want: []string{"began its answer to EHLO but did not finish it in 500 ms", "bytes arrived"}},
	{name: "greeting line of 10 MB", script: hostile.LongLine(10 << 20), check: "smtp", code: "reply-malformed",
		want: []string{"the greeting had a line longer than 4096 bytes", "not a working mail server"}},
	{name: "endless 220- greeting", script: hostile.Endless(hostile.AtGreeting), check: "smtp", code: "reply-malformed",
		want: []string{"the greeting went on for more than 200 lines without ending", "not a working mail server"}},
	{name: "endless 250- reply to EHLO", script: hostile.Endless(hostile.AtEHLO), check: "smtp", code: "reply-malformed",
		want: []string{"EHLO went on for more than 200 lines without ending"}},
	{name: "closes after EHLO", script: hostile.CloseAfterEHLO(), check: "smtp", code: "connection-closed",
		want: []string{"closed the connection at EHLO without a reply", "firewall or intrusion prevention"}},
	{name: "220 to STARTTLS, then plaintext at once", script: hostile.STARTTLSPlaintext(0), check: "tls",
		code: "starttls-injection", want: []string{"sent", "more bytes in plaintext instead of starting TLS"}},
	{name: "220 to STARTTLS, then plaintext to the ClientHello", script: hostile.STARTTLSPlaintext(50 * time.Millisecond),
		check: "tls", code: "tls-handshake-failed",
		want: []string{"answered the handshake with data that is not TLS", "middlebox"}},
	{name: "TLS handshake stalls", script: hostile.TLSStall(), check: "tls", code: "tls-handshake-failed", waits: 1,
		want: []string{"did not complete the TLS handshake within 500 ms", "inspects TLS"}},
	{name: "reset in the middle of DATA", script: hostile.ResetMidData(100), send: true, check: "send",
		code: "connection-closed", want: []string{"reset the connection", "the message"}},
}

// trickleEHLO greets at once and trickles its reply to EHLO a byte every interval.
func trickleEHLO(every time.Duration) hostile.Script {
	trickle := hostile.Trickle("250-hostile.example Hello\r\n250 8BITMIME\r\n", every)
	return func(ctx context.Context, c *hostile.Conn) {
		if c.Send(hostile.Greeting+"\r\n") != nil {
			return
		}
		if _, err := c.ReadLine(); err != nil {
			return
		}
		trickle(ctx, c)
	}
}

// TestHostilePeers holds a conversation with each misbehaving peer: the run ends within the
// reply timeouts it may spend, the failure has the expected code on the right check and says
// what the peer did, and the probe closes the connection.
func TestHostilePeers(t *testing.T) {
	t.Parallel()
	for _, tc := range hostileCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := hostile.New(t, tc.script)
			start := time.Now()
			out := session.Run(t.Context(), hostileConfig(p, tc.send))
			elapsed := time.Since(start)
			limit := time.Duration(tc.waits)*hostileReplyTimeout + hostileSlack
			if elapsed > limit {
				t.Errorf("the conversation took %v; want at most %v", elapsed, limit)
			}
			checkHostile(t, tc, out)
			waitClosed(t, p)
		})
	}
}

// checkHostile checks the finding of a hostile case, and that no other check failed silently.
func checkHostile(t *testing.T, tc hostileCase, out session.Outcome) {
	t.Helper()
	results := map[string]*check.Result{"smtp": out.SMTP, "tls": out.TLS, "send": out.Send}
	r := results[tc.check]
	var f *check.Finding
	for i := range r.Findings {
		if string(r.Findings[i].Code) == tc.code {
			f = &r.Findings[i]
		}
	}
	if f == nil || r.Status != check.Fail {
		t.Fatalf("%s check: got %s %v; want fail with %s\n%s", tc.check, r.Status, r.Findings, tc.code, lines(out))
	}
	t.Logf("%s", f.Message)
	for _, w := range tc.want {
		if !strings.Contains(f.Message, w) {
			t.Errorf("got %q; want it to say %q", f.Message, w)
		}
	}
	if !strings.Contains(f.Message, "mx.hostile.example") && !strings.Contains(f.Message, "127.0.0.1") {
		t.Errorf("got %q; want it to name the server", f.Message)
	}
	if kb.HintFor(*f, kb.Context{}) == nil {
		t.Errorf("got no hint for %s; want the knowledge base's advice", tc.code)
	}
	if r.Summary == "" {
		t.Errorf("%s check: got no summary", tc.check)
	}
}

// waitClosed waits for the peer to see the probe close the connection.
func waitClosed(t *testing.T, p *hostile.Peer) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for p.Finished() < p.Accepted() {
		if time.Now().After(deadline) {
			t.Errorf("%d of %d connections still open after the run; want the probe to close them", p.Accepted()-p.Finished(), p.Accepted())
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func lines(out session.Outcome) string {
	var b strings.Builder
	for _, l := range out.Transcript {
		line := l.Line
		if len(line) > 120 {
			line = line[:120] + "..."
		}
		b.WriteString(l.Dir + ": " + line + "\n")
	}
	return b.String()
}

// TestHostilePeersMemory holds a conversation with the peers that send a lot, measuring what
// the whole process allocates: the probe must read a bounded amount whatever the peer sends.
// It does not run in parallel, so that only this conversation (and its peer) is measured.
func TestHostilePeersMemory(t *testing.T) {
	const bound = 1 << 20
	for _, tc := range hostileCases {
		switch tc.name {
		case "greeting line of 10 MB", "endless 220- greeting", "endless 250- reply to EHLO":
		default:
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			p := hostile.New(t, tc.script)
			var out session.Outcome
			use := hostile.Measure(func() { out = session.Run(t.Context(), hostileConfig(p, false)) })
			t.Logf("%v; the peer sent %s", use, hostile.Bytes(uint64(p.Sent())))
			if use.TotalAlloc > bound {
				t.Errorf("%v; want under %s allocated", use, hostile.Bytes(bound))
			}
			checkHostile(t, tc, out)
		})
	}
}

// TestHostilePeerRunDeadline gives a trickling peer a generous reply timeout but the run a short
// deadline (--timeout): the run's deadline wins, and the finding says that it was the run's
// time limit, not the server's reply timeout, that ran out.
func TestHostilePeerRunDeadline(t *testing.T) {
	t.Parallel()
	const runLimit = 400 * time.Millisecond
	p := hostile.New(t, hostile.Trickle(hostile.Greeting+"\r\n", 50*time.Millisecond))
	cfg := hostileConfig(p, false)
	cfg.ReplyTimeout = 10 * time.Second
	ctx, cancel := context.WithTimeout(t.Context(), runLimit)
	defer cancel()
	start := time.Now()
	out := session.Run(ctx, cfg)
	if elapsed := time.Since(start); elapsed > runLimit+hostileSlack {
		t.Errorf("the conversation took %v; want at most %v (+ %v slack)", elapsed, runLimit, hostileSlack)
	}
	checkHostile(t, hostileCase{check: "smtp", code: "reply-timeout",
		want: []string{"the run's time limit (--timeout) ran out while waiting for the greeting"}}, out)
	waitClosed(t, p)
}
