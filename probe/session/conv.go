package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
	"github.com/exoprobe/exoprobe/probe/reply"
)

// conv is one conversation in progress. It is used by one goroutine only.
type conv struct {
	cfg Config
	out *Outcome

	raw  net.Conn // the TCP connection
	conn net.Conn // raw, or the TLS connection over it after STARTTLS
	rd   *reply.Reader
	stop func() bool // stops the context watcher that unblocks reads on cancellation

	lines []check.Line // the transcript so far
	caps  caps         // capabilities from the latest EHLO
	exo   bool         // the greeting was Exchange Online's
	tlsOn bool         // STARTTLS succeeded; the conversation runs inside TLS
	// chain is the server's chain while it waits to be judged (see chainCheck); nil before
	// STARTTLS and once judged.
	chain *chainCheck

	bannerHost string // the host the greeting named; "" when masked or none
	// tlsVersion, interceptor and verified are what the TLS step saw: the version negotiated,
	// the TLS-inspecting product that issued the server's certificate ("" for none), and
	// whether the certificate verified. AUTH reads them before it sends a credential.
	tlsVersion  string
	interceptor string
	verified    bool

	// secrets are the credentials of a submission and their encoded forms; redact removes
	// them from the outcome (see auth.go).
	secrets []string

	// bytesIn counts the bytes read from the server (inside TLS once it is on); stepIn is its
	// value when the current reply began, so that a reply trickled in part is told from silence.
	bytesIn, stepIn int64

	// verb is the command whose reply the conversation waits for, such as "EHLO" or "MAIL
	// FROM"; "" before the first command, while the banner is awaited.
	verb string

	// shorts holds, per result and severity, the one-line summary of the first finding of that
	// severity: the progress view shows the worst.
	shorts map[*check.Result]map[check.Status]string
}

// dial connects and reports whether the conversation can go on; a failed dial is a finding
// on the smtp result.
func (c *conv) dial(ctx context.Context) bool {
	d := net.Dialer{Timeout: c.cfg.ConnectTimeout}
	c.waiting("a connection to %s")
	t0 := time.Now()
	conn, err := d.DialContext(ctx, c.cfg.Network, c.cfg.Addr)
	if err != nil {
		fc, words := classifyDial(ctx, err, c.cfg.ConnectTimeout)
		c.note("cannot connect to %s (%s): %s", c.cfg.Addr, c.cfg.Network, words)
		c.own(c.out.SMTP, check.Fail, fc, "cannot connect: "+words,
			fmt.Sprintf("could not connect to %s on port %d (%s): %s.", c.endpoint(), c.cfg.Port, c.cfg.Addr, dialAdvice(fc, words, c.cfg.Port)))
		c.out.SMTP.Set("connected", false)
		return false
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		// Go already disables Nagle on TCP connections; set it anyway, because a command held back
		// behind an unacknowledged TLS record costs a delayed-ACK stall (~40 ms) per round trip.
		_ = tc.SetNoDelay(true)
	}
	// The other direction of the same trap: the server's Nagle waiting for our delayed ACK.
	conn = quickAck(conn)
	c.raw, c.conn = conn, conn
	c.rd = c.newReader(conn)
	c.stop = context.AfterFunc(ctx, func() {
		// A deadline in the past unblocks any read or write in progress, TLS or not.
		_ = conn.SetDeadline(time.Unix(1, 0))
	})
	rtt := time.Since(t0)
	c.out.Connected = true
	c.out.SMTP.Set("connected", true)
	c.out.SMTP.Set("remote_addr", conn.RemoteAddr().String())
	c.out.SMTP.Set("connect_ms", rtt.Milliseconds())
	c.note("connected to %s from %s in %d ms", conn.RemoteAddr(), conn.LocalAddr(), rtt.Milliseconds())
	c.cfg.Logf.Printf("session: connected to %s", conn.RemoteAddr())
	return true
}

func (c *conv) close() {
	if c.stop != nil {
		c.stop()
	}
	if c.raw != nil {
		_ = c.raw.Close()
	}
}

func (c *conv) newReader(r io.Reader) *reply.Reader {
	rd := reply.NewReader(&countingReader{r: r, n: &c.bytesIn})
	rd.OnLine = func(line string) { c.lines = append(c.lines, check.Line{Dir: "S", Line: line}) }
	return rd
}

// endpoint names the server in messages: its host name, else the address dialled.
func (c *conv) endpoint() string {
	if c.cfg.Host != "" {
		return c.cfg.Host
	}
	return c.cfg.Addr
}

// where names the server for OnWait: host:port, else the address dialled.
func (c *conv) where() string {
	if c.cfg.Host != "" {
		return net.JoinHostPort(c.cfg.Host, strconv.Itoa(c.cfg.Port))
	}
	return c.cfg.Addr
}

// waiting reports to OnWait what the conversation waits for: what with the server in place of
// its %s ("the banner of %s").
func (c *conv) waiting(what string) {
	if c.cfg.OnWait != nil {
		c.cfg.OnWait(fmt.Sprintf(what, c.where()))
	}
}

// sent notes the command whose reply comes next, from the line as the transcript shows it:
// its verb ("EHLO", "MAIL FROM", "AUTH"). A line that is no command (an AUTH continuation, a
// redacted value) leaves the verb as it was.
func (c *conv) sent(line string) {
	verb, _, _ := strings.Cut(line, ":")
	f := strings.Fields(verb)
	if len(f) == 0 || strings.IndexFunc(f[0], func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		return
	}
	switch f[0] {
	case "MAIL", "RCPT":
		if len(f) > 1 {
			c.verb = f[0] + " " + f[1]
			return
		}
	}
	c.verb = f[0]
}

// note adds a probe's note to the transcript.
func (c *conv) note(format string, args ...any) {
	c.lines = append(c.lines, check.Line{Dir: "*", Line: fmt.Sprintf(format, args...)})
}

// deadline bounds the next read or write by d and by the context's deadline. It reports the
// context's error after setting the deadline, so that a cancellation racing with it is not lost
// (the watcher's deadline in the past may have been overwritten just now).
func (c *conv) deadline(ctx context.Context, d time.Duration) error {
	t := time.Now().Add(d)
	if dl, ok := ctx.Deadline(); ok && dl.Before(t) {
		t = dl
	}
	if err := c.conn.SetDeadline(t); err != nil {
		return err
	}
	return ctx.Err()
}

// write sends lines, each ended by CR LF, in one Write: one TCP segment (one TLS record) per
// command or pipelined group, so that nothing waits on Nagle's algorithm or a delayed ACK.
func (c *conv) write(ctx context.Context, lines ...string) error {
	if len(lines) > 0 {
		c.sent(lines[0])
	}
	var b strings.Builder
	for _, l := range lines {
		c.lines = append(c.lines, check.Line{Dir: "C", Line: l})
		b.WriteString(l)
		b.WriteString("\r\n")
	}
	return c.writeRaw(ctx, []byte(b.String()))
}

func (c *conv) writeRaw(ctx context.Context, p []byte) error {
	if err := c.deadline(ctx, c.cfg.ReplyTimeout); err != nil {
		return err
	}
	_, err := c.conn.Write(p)
	return err
}

// read reads one reply within the reply timeout.
func (c *conv) read(ctx context.Context) (*reply.Reply, error) {
	return c.readWithin(ctx, c.cfg.ReplyTimeout)
}

func (c *conv) readWithin(ctx context.Context, d time.Duration) (*reply.Reply, error) {
	if err := c.deadline(ctx, d); err != nil {
		return nil, err
	}
	// One deadline for the whole reply: a server that trickles it a byte at a time cannot
	// stretch the wait, as a deadline renewed per read would let it.
	c.stepIn = c.bytesIn
	switch c.verb {
	case "":
		c.waiting("the banner of %s")
	case dataEnd:
		c.waiting("the reply of %s to the message")
	default:
		c.waiting("the reply of %s to " + c.verb)
	}
	return c.rd.ReadReply()
}

// partial returns how many bytes of the reply being read arrived before it failed.
func (c *conv) partial() int64 { return c.bytesIn - c.stepIn }

// byteCount says "1 byte" or "n bytes".
func byteCount(n int64) string {
	if n == 1 {
		return "1 byte"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// countingReader counts what is read through it.
type countingReader struct {
	r io.Reader
	n *int64
}

func (cr *countingReader) Read(p []byte) (int, error) {
	n, err := cr.r.Read(p)
	*cr.n += int64(n)
	return n, err
}

// cmd sends one command and reads its reply.
func (c *conv) cmd(ctx context.Context, line string) (*reply.Reply, error) {
	if err := c.write(ctx, line); err != nil {
		return nil, err
	}
	return c.read(ctx)
}

// quit says goodbye without letting a server that never answers hold the run.
func (c *conv) quit(ctx context.Context) {
	if err := c.write(ctx, "QUIT"); err != nil {
		return
	}
	_, _ = c.readWithin(ctx, min(quitTimeout, c.cfg.ReplyTimeout))
}

// own records a finding with one of the probe's own codes and its hint.
func (c *conv) own(r *check.Result, sev check.Status, fc check.Code, short, msg string) {
	r.Add(check.Finding{Severity: sev, Code: fc, Message: msg})
	c.short(r, sev, short)
}

// refused records a finding for a server's refusal, coded and explained by the knowledge base.
func (c *conv) refused(r *check.Result, rep *reply.Reply, short, msg string) {
	r.Add(check.Finding{Severity: check.Fail, Code: check.Code(rep.StatusCode()), Message: msg, Reply: rep.String()})
	c.short(r, check.Fail, short)
}

func (c *conv) short(r *check.Result, sev check.Status, s string) {
	m := c.shorts[r]
	if m == nil {
		m = map[check.Status]string{}
		c.shorts[r] = m
	}
	if _, ok := m[sev]; !ok {
		m[sev] = s
	}
}

// summarise sets a result's one-line summary: the first finding of its worst severity, else
// the summary the passing path left.
func (c *conv) summarise(r *check.Result) {
	if r.Status == check.Skip {
		return
	}
	if s, ok := c.shorts[r][r.Status]; ok && r.Status != check.Pass {
		if r.Summary != "" {
			s += "; " + r.Summary
		}
		r.Summary = s
	}
}

// stepFailed records why the conversation ended at a step: a timeout, a cancelled run, a reply
// that broke the reader's bounds or a closed connection.
func (c *conv) stepFailed(ctx context.Context, r *check.Result, step string, err error) {
	fc, short, msg := c.classifyStep(ctx, step, err)
	c.note("%s: %s", step, short)
	c.own(r, check.Fail, fc, short, msg)
}

func (c *conv) classifyStep(ctx context.Context, step string, err error) (fc check.Code, short, msg string) {
	var (
		ne  net.Error
		mal *reply.MalformedError
	)
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return code.Cancelled, "cancelled while waiting for " + step,
			"the run was cancelled while waiting for " + step + "; nothing can be concluded from this step."
	case runExpired(ctx):
		return code.ReplyTimeout, "run time limit reached at " + step,
			"the run's time limit (--timeout) ran out while waiting for " + step + " from " + c.endpoint() +
				". Run again with a larger --timeout; if it stalls at the same step, something on the path holds the connection."
	case (errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded)) && c.partial() > 0:
		return code.ReplyTimeout, "reply to " + step + " unfinished after " + secs(c.cfg.ReplyTimeout),
			fmt.Sprintf("%s began its answer to %s but did not finish it in %s (%s arrived). Exchange Online answers "+
				"at once and whole: a firewall, antivirus or proxy that inspects SMTP is probably holding the connection and "+
				"letting it through a little at a time.", c.endpoint(), step, secs(c.cfg.ReplyTimeout), byteCount(c.partial()))
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, os.ErrDeadlineExceeded):
		return code.ReplyTimeout, "no reply to " + step + " in " + secs(c.cfg.ReplyTimeout),
			fmt.Sprintf("%s did not answer %s within %s. Exchange Online answers within a second: a firewall, "+
				"antivirus or proxy that inspects SMTP is probably holding the connection.", c.endpoint(), step, secs(c.cfg.ReplyTimeout))
	case errors.Is(err, reply.ErrLineTooLong):
		return code.ReplyMalformed, "reply line too long at " + step,
			fmt.Sprintf("the reply to %s had a line longer than %d bytes; SMTP allows 512. This is not a working mail "+
				"server: check that %s:%d is the right host and port, and what answers there.", step, reply.DefaultMaxLine, c.endpoint(), c.cfg.Port)
	case errors.Is(err, reply.ErrTooManyLines):
		return code.ReplyMalformed, "endless reply to " + step,
			fmt.Sprintf("the reply to %s went on for more than %d lines without ending. This is not a working mail "+
				"server: check what answers on %s:%d.", step, reply.DefaultMaxLines, c.endpoint(), c.cfg.Port)
	case errors.As(err, &mal):
		return code.ReplyMalformed, "not an SMTP reply at " + step,
			fmt.Sprintf("the answer to %s was not an SMTP reply (%q). Something other than a mail server answers on "+
				"%s:%d, or a middlebox corrupts the conversation.", step, mal.Line, c.endpoint(), c.cfg.Port)
	case isResetErrno(err):
		return code.ConnectionClosed, "connection reset at " + step,
			fmt.Sprintf("%s reset the connection (TCP RST) at %s without a reply. A server that refuses a client says why "+
				"first; a reset points to a firewall, intrusion prevention or a mail scanner on the path killing the session.",
				c.endpoint(), step)
	case isClosed(err):
		return code.ConnectionClosed, "connection closed at " + step,
			fmt.Sprintf("%s closed the connection at %s without a reply. A server that refuses a client usually says why "+
				"first; a silent close points to a firewall or intrusion prevention dropping the session.", c.endpoint(), step)
	}
	return code.ConnectionFailed, "connection failed at " + step,
		fmt.Sprintf("the connection to %s failed at %s: %v.", c.endpoint(), step, err)
}

// runExpired reports whether the run's context has ended, or its deadline has passed: a read
// whose deadline was the context's may fail a moment before the context's own timer fires.
func runExpired(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	dl, ok := ctx.Deadline()
	return ok && !time.Now().Before(dl)
}

// isClosed reports an error that means the peer closed or reset the connection.
func isClosed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		isResetErrno(err)
}

// secs renders a timeout for a helpdesk reader: "10 s", "1.5 s", "300 ms".
func secs(d time.Duration) string {
	if d < time.Second {
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + " s"
}
