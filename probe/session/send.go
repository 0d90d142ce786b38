package session

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/reply"
)

// RcptInfo is the server's answer to one RCPT TO, as the "rcpt" fact of the send result lists them.
type RcptInfo struct {
	To       string `json:"to"`
	Reply    string `json:"reply"`
	Accepted bool   `json:"accepted"`
}

// send runs the envelope and, with Send, the message; then it ends the session.
//
// With PIPELINING (RFC 2920) the conversation costs no more turns than the protocol needs: a
// dry run sends MAIL FROM, every RCPT TO, RSET and QUIT in one write and reads the replies in
// order, one round trip in all; with Send the envelope goes with DATA (which RFC 2920 allows as
// the last command of a group), and the message, once the server has said 354, with QUIT.
// Without PIPELINING every command waits for the reply to the one before.
func (c *conv) send(ctx context.Context) {
	r := c.out.Send
	r.Set("delivered", false)
	r.Set("tls", c.tlsOn)
	if len(c.cfg.To) == 0 {
		r.Skip("no recipient given (--to)")
		c.quit(ctx)
		return
	}

	var msg []byte
	var token string
	if c.cfg.Send {
		token = newToken()
		msg = buildMessage(c.cfg.From, c.cfg.To, token, c.cfg.Now(), c.cfg.Helo)
	}
	mailCmd := "MAIL FROM:<" + c.cfg.From + ">"
	if c.caps.has("SIZE") && msg != nil {
		mailCmd += " SIZE=" + strconv.Itoa(len(msg))
	}
	if c.caps.has("SMTPUTF8") && !isASCII(c.cfg.From+strings.Join(c.cfg.To, "")) {
		mailCmd += " SMTPUTF8"
	}
	cmds := []string{mailCmd}
	for _, to := range c.cfg.To {
		cmds = append(cmds, "RCPT TO:<"+to+">")
	}
	steps := append([]string{"MAIL FROM"}, prefixAll("RCPT TO <", c.cfg.To, ">")...)

	pipelined := c.caps.has("PIPELINING")
	r.Set("pipelining", pipelined)
	var tail []string // what goes in the envelope's write after it
	if pipelined {
		tail = []string{"RSET", "QUIT"}
		if c.cfg.Send {
			tail = []string{"DATA"}
		}
	}
	replies, ok := c.envelope(ctx, cmds, steps, tail)
	if !ok {
		return
	}

	// MAIL FROM
	mail := replies[0]
	r.Set("mail_from_reply", mail.String())
	if mail.Code != 250 {
		c.refused(r, mail, "MAIL FROM <"+c.cfg.From+"> refused: "+mail.String(),
			fmt.Sprintf("MAIL FROM <%s> refused: %s", c.cfg.From, mail.String()))
		c.rcptFacts(replies[1:])
		c.endTx(ctx, 0, false)
		return
	}
	// RCPT TO
	accepted := c.rcptFacts(replies[1:])
	for i, rep := range replies[1:] {
		if rep.Code == 250 || rep.Code == 251 {
			continue
		}
		to := c.cfg.To[i]
		c.refused(r, rep, "RCPT TO <"+to+"> refused: "+rep.String(),
			fmt.Sprintf("RCPT TO <%s> refused: %s", to, rep.String()))
	}
	if has421(replies) {
		c.note("the server is closing the session (421)")
		return
	}
	if accepted == 0 {
		c.endTx(ctx, 0, false)
		return
	}
	if !c.cfg.Send {
		c.end(ctx, true)
		if r.Status == check.Pass {
			r.Summary = "accepted sender and " + plural(accepted, "recipient") + "; nothing delivered (use --send)"
		}
		return
	}
	c.data(ctx, msg, token)
}

// envelope sends MAIL FROM and the RCPT TOs and returns one reply per command. With
// PIPELINING (RFC 2920) they go in one write, followed by tail (what the rest of the
// conversation sends without waiting for these replies: RSET and QUIT, or DATA), and the
// replies to the envelope are read in order; the tail's are left to whoever ends the session
// (end, data). Without PIPELINING tail must be empty, and a refused MAIL FROM stops the
// envelope: only its reply comes back.
func (c *conv) envelope(ctx context.Context, cmds, steps, tail []string) ([]*reply.Reply, bool) {
	r := c.out.Send
	replies := make([]*reply.Reply, 0, len(cmds))
	if len(tail) > 0 || c.caps.has("PIPELINING") {
		if err := c.write(ctx, append(slices.Clone(cmds), tail...)...); err != nil {
			c.stepFailed(ctx, r, steps[0], err)
			return nil, false
		}
		c.unread = tail
		for i := range cmds {
			rep, err := c.readFor(ctx, cmds[i])
			if err != nil {
				c.stepFailed(ctx, r, steps[i], err)
				return nil, false
			}
			replies = append(replies, rep)
		}
		return replies, true
	}
	for i, cmd := range cmds {
		rep, err := c.cmd(ctx, cmd)
		if err != nil {
			c.stepFailed(ctx, r, steps[i], err)
			return nil, false
		}
		replies = append(replies, rep)
		if i == 0 && rep.Code != 250 {
			break // without a sender there is nothing to ask about the recipients
		}
	}
	return replies, true
}

// readFor reads the reply to line, a command sent earlier in a pipelined group: what the
// conversation waits for is named after it.
func (c *conv) readFor(ctx context.Context, line string) (*reply.Reply, error) {
	c.sent(line)
	if line == "QUIT" {
		return c.readWithin(ctx, min(quitTimeout, c.cfg.ReplyTimeout))
	}
	return c.read(ctx)
}

// rcptFacts records the answer to each RCPT TO and returns how many were accepted.
func (c *conv) rcptFacts(replies []*reply.Reply) int {
	infos := make([]RcptInfo, 0, len(c.cfg.To))
	n := 0
	for i, to := range c.cfg.To {
		if i >= len(replies) {
			infos = append(infos, RcptInfo{To: to, Reply: "not sent: MAIL FROM was refused"})
			continue
		}
		ok := replies[i].Code == 250 || replies[i].Code == 251
		if ok {
			n++
		}
		infos = append(infos, RcptInfo{To: to, Reply: replies[i].String(), Accepted: ok})
	}
	c.out.Send.Set("rcpt", infos)
	c.out.Send.Set("accepted", n)
	return n
}

// end closes the session politely: RSET (when a transaction is open) and QUIT, pipelined
// when the server allows it. When they went out with the envelope already, it reads their
// replies: a server that closes the connection right after its 221 is normal, and one that
// does not answer QUIT holds the run no longer than quitTimeout.
func (c *conv) end(ctx context.Context, rset bool) {
	if len(c.unread) > 0 {
		c.readUnread(ctx)
		return
	}
	if !rset {
		c.quit(ctx)
		return
	}
	if c.caps.has("PIPELINING") {
		if err := c.write(ctx, "RSET", "QUIT"); err != nil {
			return
		}
		c.unread = []string{"RSET", "QUIT"}
		c.readUnread(ctx)
		return
	}
	if _, err := c.cmd(ctx, "RSET"); err != nil {
		return
	}
	c.quit(ctx)
}

// readUnread reads the replies to the commands sent ahead (c.unread), in order, until one
// fails: they only close the session, so what they say is in the transcript and nothing else.
func (c *conv) readUnread(ctx context.Context) {
	pending := c.unread
	c.unread = nil
	for _, line := range pending {
		if _, err := c.readFor(ctx, line); err != nil {
			return
		}
	}
}

// endTx ends a session whose envelope found no one to deliver to (accepted recipients, of
// which there are none, or a refused MAIL FROM: mailOK false). When DATA went out with the
// envelope, its reply is read first; a server that answers it with 354 all the same gets a
// lone dot, as RFC 2920 section 3.1 asks, so that no message is delivered.
func (c *conv) endTx(ctx context.Context, accepted int, mailOK bool) {
	if len(c.unread) == 0 || c.unread[0] != "DATA" {
		c.end(ctx, mailOK)
		return
	}
	c.unread = nil
	rep, err := c.readFor(ctx, "DATA")
	if err != nil {
		return
	}
	if rep.Code == 354 && accepted == 0 {
		c.note("the server answered DATA with 354 though no recipient was accepted; ending the message at once")
		if err := c.write(ctx, ".", "QUIT"); err != nil {
			return
		}
		c.verb = dataEnd
		c.unread = []string{".", "QUIT"}
		c.readUnread(ctx)
		return
	}
	c.quit(ctx)
}

// dataEnd stands for the end of the message as the command awaiting a reply (conv.verb).
const dataEnd = "."

// data sends the test message and records what the server did with it. With PIPELINING,
// DATA went out with the envelope (c.unread), and QUIT goes with the end of the message.
func (c *conv) data(ctx context.Context, msg []byte, token string) {
	r := c.out.Send
	r.Set("token", token)
	r.Set("message_id", messageID(token, c.cfg.From))
	pipelined := len(c.unread) > 0 && c.unread[0] == "DATA"
	var (
		rep *reply.Reply
		err error
	)
	if pipelined {
		c.unread = nil
		rep, err = c.readFor(ctx, "DATA")
	} else {
		rep, err = c.cmd(ctx, "DATA")
	}
	if err != nil {
		c.stepFailed(ctx, r, "DATA", err)
		return
	}
	if rep.Code != 354 {
		c.refused(r, rep, "DATA refused: "+rep.String(), fmt.Sprintf("DATA refused: %s", rep.String()))
		c.end(ctx, true)
		return
	}
	body := dotStuff(msg)
	c.lines = append(c.lines,
		check.Line{Dir: "C", Line: fmt.Sprintf("<message, %d bytes, Subject: exoprobe test message %s>", len(body), token)},
		check.Line{Dir: "C", Line: "."})
	out := append(body, ".\r\n"...)
	if pipelined {
		// The message is the first "command" of a group and QUIT its last (RFC 2920 3.1): the
		// session ends in the same round trip as the message.
		c.lines = append(c.lines, check.Line{Dir: "C", Line: "QUIT"})
		out = append(out, "QUIT\r\n"...)
		c.unread = []string{"QUIT"}
	}
	c.verb = dataEnd
	if err := c.writeRaw(ctx, out); err != nil {
		c.stepFailed(ctx, r, "the message", err)
		return
	}
	rep, err = c.read(ctx)
	if err != nil {
		c.stepFailed(ctx, r, "the end of the message", err)
		return
	}
	r.Set("final_reply", rep.String())
	if rep.Code != 250 {
		c.refused(r, rep, "message refused: "+rep.String(),
			fmt.Sprintf("the server took the envelope but refused the message itself: %s", rep.String()))
		c.end(ctx, false)
		return
	}
	r.Set("delivered", true)
	q := parseQueued(rep)
	if q.queueID != "" {
		r.Set("queue_id", q.queueID)
	}
	if q.host != "" {
		r.Set("queued_on", q.host)
	}
	if q.serverID != "" {
		r.Set("server_message_id", q.serverID)
	}
	c.end(ctx, false)
	if r.Status == check.Pass {
		r.Summary = "delivered test message " + token
		if q.queueID != "" {
			r.Summary += ", queued as " + q.queueID
		}
		if q.host != "" {
			r.Summary += " on " + q.host
		}
	}
}

// queued is what a server's final 250 says about the message it queued.
type queued struct {
	queueID  string // Exchange's InternalId, or Postfix's "queued as" id
	host     string // Exchange's Hostname=, the server that holds the message
	serverID string // the <...> Exchange puts first: the message's id as it knows it
}

var (
	// Exchange Online: "250 2.6.0 <id@host> [InternalId=105849469029151, Hostname=AS8PR07MB7669.eurprd07.prod.outlook.com]
	// 29353 bytes in 0.060, 472.320 KB/sec Queued mail for delivery".
	internalIDRE = regexp.MustCompile(`\[InternalId=([0-9]+)(?:,\s*Hostname=([^\]\s]+))?`)
	angleIDRE    = regexp.MustCompile(`^<([^<>\s]+)>`)
	// Postfix and others: "250 2.0.0 Ok: queued as 4F1B2C3D".
	queuedAsRE = regexp.MustCompile(`(?i)\bqueued as ([A-Za-z0-9._-]+)`)
)

// parseQueued reads the queue id out of a final 250.
func parseQueued(rep *reply.Reply) queued {
	var q queued
	text := rep.Message()
	if m := angleIDRE.FindStringSubmatch(text); m != nil {
		q.serverID = m[1]
	}
	if m := internalIDRE.FindStringSubmatch(text); m != nil {
		q.queueID, q.host = m[1], m[2]
	} else if m := queuedAsRE.FindStringSubmatch(text); m != nil {
		q.queueID = m[1]
	}
	return q
}

// newToken is the test message's unique token: 16 characters from crypto/rand.
func newToken() string { return strings.ToLower(rand.Text()[:16]) }

func messageID(token, from string) string {
	dom := "exoprobe.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i < len(from)-1 {
		dom = from[i+1:]
	}
	return "<exoprobe." + token + "@" + dom + ">"
}

// buildMessage makes the test message: clearly marked as a test by exoprobe in its subject,
// headers and body, with CR LF line ends and no line starting with a dot left unstuffed
// (dotStuff does that on the way out).
func buildMessage(from string, to []string, token string, now time.Time, helo string) []byte {
	fromHdr := from
	if fromHdr == "" {
		fromHdr = "exoprobe@exoprobe.invalid"
	}
	var b bytes.Buffer
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("Date", now.Format(time.RFC1123Z))
	h("From", "exoprobe test <"+fromHdr+">")
	h("To", strings.Join(prefixAll("<", to, ">"), ", "))
	h("Subject", "exoprobe test message "+token)
	h("Message-ID", messageID(token, from))
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=us-ascii")
	h("Content-Transfer-Encoding", "7bit")
	h("Auto-Submitted", "auto-generated")
	h("X-Exoprobe-Token", token)
	b.WriteString("\r\n")
	for _, l := range []string{
		"This is a test message sent by exoprobe.",
		"",
		"exoprobe checks whether an application, scanner or server can send mail",
		"through Microsoft 365 / Exchange Online. Someone ran it with --send to prove",
		"that a message from this site (" + helo + ") is accepted and delivered.",
		"",
		"Test token: " + token,
		"Sent: " + now.UTC().Format(time.RFC3339),
		"",
		"No action is needed; you can delete this message.",
	} {
		b.WriteString(l + "\r\n")
	}
	return b.Bytes()
}

// dotStuff prepares a message for DATA (RFC 5321 4.5.2): every line ends in CR LF, a line that
// starts with "." gets another, and the message ends with a line break so that the caller's
// ".\r\n" terminates it.
func dotStuff(msg []byte) []byte {
	out := make([]byte, 0, len(msg)+len(msg)/64+4)
	bol := true
	for i := 0; i < len(msg); i++ {
		ch := msg[i]
		if bol && ch == '.' {
			out = append(out, '.')
		}
		bol = false
		switch ch {
		case '\r':
			if i+1 < len(msg) && msg[i+1] == '\n' {
				i++
			}
			out = append(out, '\r', '\n')
			bol = true
		case '\n':
			out = append(out, '\r', '\n')
			bol = true
		default:
			out = append(out, ch)
		}
	}
	if !bol {
		out = append(out, '\r', '\n')
	}
	return out
}

func prefixAll(pre string, s []string, post string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = pre + v + post
	}
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// has421 reports a 421 among replies: the server is closing the session.
func has421(replies []*reply.Reply) bool {
	for _, r := range replies {
		if r != nil && r.Code == 421 {
			return true
		}
	}
	return false
}
