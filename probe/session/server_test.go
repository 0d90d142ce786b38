package session

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/fixtures/hostile"
)

// A scripted SMTP server on 127.0.0.1:0: a hostile.Peer whose every connection plays the
// script, a list of acts (say these lines, expect that command, start TLS, hang, close...). It
// misbehaves exactly as far as the script says, which is what the middlebox cases need.

// act is one step of a script. errStop ends the script quietly.
type act func(s *srvConn) error

var errStop = errors.New("script stopped")

type srvConn struct {
	conn net.Conn // a *hostile.Conn, or the TLS connection over it after startTLS
	br   *bufio.Reader
	rec  *record
}

// record is what the server saw, shared by all its connections.
type record struct {
	mu       sync.Mutex // guards the fields below
	cmds     []string   // every command line received, in order
	messages []string   // every message received after DATA, dot-unstuffed
	errs     []error    // script mismatches: the client said something unexpected
	done     int        // connections that played the whole script
	after    []int      // bytes read by readRest
}

func (r *record) add(f func(r *record)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(r)
}

// fakeServer plays its script on each connection a hostile.Peer accepts.
type fakeServer struct {
	Addr   string
	script []act
	rec    record
}

func newServer(tb testing.TB, script ...act) *fakeServer {
	tb.Helper()
	s := &fakeServer{script: script}
	s.Addr = hostile.New(tb, s.play).Addr
	return s
}

// play runs the script on one connection.
func (s *fakeServer) play(_ context.Context, c *hostile.Conn) {
	// No script step may outlive a test by long, whatever the client does.
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	sc := &srvConn{conn: c, br: c.Reader(), rec: &s.rec}
	for i, a := range s.script {
		if err := a(sc); err != nil {
			var mm mismatch
			if errors.As(err, &mm) {
				s.rec.add(func(r *record) { r.errs = append(r.errs, fmt.Errorf("step %d: %w", i, err)) })
			}
			return
		}
	}
	s.rec.add(func(r *record) { r.done++ })
}

func (s *fakeServer) cmds() []string {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	return append([]string(nil), s.rec.cmds...)
}

// check fails the test when the client said something the script did not expect.
func (s *fakeServer) check(tb testing.TB) {
	tb.Helper()
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	for _, err := range s.rec.errs {
		tb.Errorf("server: %v", err)
	}
}

type mismatch struct{ got, want string }

func (m mismatch) Error() string { return fmt.Sprintf("got command %q; want %q", m.got, m.want) }

// say writes lines, each ended by CR LF, in one write.
func say(lines ...string) act {
	return func(s *srvConn) error {
		_, err := io.WriteString(s.conn, strings.Join(lines, "\r\n")+"\r\n")
		return err
	}
}

// raw writes bytes as they are.
func raw(b []byte) act {
	return func(s *srvConn) error { _, err := s.conn.Write(b); return err }
}

// expect reads one command line and checks that it starts with prefix (case-insensitive).
func expect(prefix string) act {
	return func(s *srvConn) error {
		line, err := fixtures.ReadLine(s.br)
		if errors.Is(err, fixtures.ErrLineTooLong) {
			return mismatch{"a line longer than " + strconv.Itoa(s.br.Size()) + " bytes", prefix}
		}
		if err != nil {
			return errStop
		}
		s.rec.add(func(r *record) { r.cmds = append(r.cmds, line) })
		if !strings.HasPrefix(strings.ToUpper(line), strings.ToUpper(prefix)) {
			return mismatch{line, prefix}
		}
		return nil
	}
}

// readData reads a message up to the lone dot and records it dot-unstuffed.
func readData() act {
	return func(s *srvConn) error {
		var b strings.Builder
		for {
			line, err := s.br.ReadString('\n')
			if err != nil {
				return errStop
			}
			if !strings.HasSuffix(line, "\r\n") {
				return mismatch{line, "a line ended by CR LF"}
			}
			if line == ".\r\n" {
				break
			}
			b.WriteString(strings.TrimPrefix(line, "."))
		}
		s.rec.add(func(r *record) { r.messages = append(r.messages, b.String()) })
		return nil
	}
}

// startTLS runs the server's side of the handshake; the script goes on inside TLS.
func startTLS(cfg *tls.Config) act {
	return func(s *srvConn) error {
		if s.br.Buffered() > 0 {
			return mismatch{"data before the handshake", "a TLS ClientHello"}
		}
		tc := tls.Server(s.conn, cfg)
		if err := tc.Handshake(); err != nil {
			return errStop
		}
		s.conn, s.br = tc, bufio.NewReader(tc)
		return nil
	}
}

// readSome waits for the client to send something (a ClientHello, say) and drops it.
func readSome() act {
	return func(s *srvConn) error {
		buf := make([]byte, 4096)
		_, err := s.br.Read(buf)
		if err != nil {
			return errStop
		}
		return nil
	}
}

// readRest reads until the client closes and records how many bytes came.
func readRest() act {
	return func(s *srvConn) error {
		n, _ := io.Copy(io.Discard, s.br)
		s.rec.add(func(r *record) { r.after = append(r.after, int(n)) })
		return nil
	}
}

// hang waits until the client goes away.
func hang() act { return func(s *srvConn) error { _, _ = io.Copy(io.Discard, s.br); return errStop } }

// hangup closes the connection.
func hangup() act { return func(s *srvConn) error { _ = s.conn.Close(); return errStop } }

// flood writes line again and again until the client goes away.
func flood(line string) act {
	return func(s *srvConn) error {
		b := []byte(strings.Repeat(line+"\r\n", 64))
		for {
			if _, err := s.conn.Write(b); err != nil {
				return errStop
			}
		}
	}
}

// Replies as Exchange Online sends them (facts §4.4).

const (
	exoHost  = "contoso-com.mail.protection.outlook.com"
	exoFront = "CH3PEPF00000015.mail.protection.outlook.com"
	echoIP   = "203.0.113.7"
)

func exoGreeting() act {
	return say("220 " + exoFront + " Microsoft ESMTP MAIL Service ready at Sun, 22 Jun 2025 05:58:00 +0000 [08DDB07650EC6878]")
}

// exoEHLO is Exchange Online's EHLO reply; STARTTLS only before TLS, as EXO does.
func exoEHLO(starttls bool) act {
	lines := []string{"250-" + exoFront + " Hello [" + echoIP + "]", "250-SIZE 157286400", "250-PIPELINING", "250-DSN",
		"250-ENHANCEDSTATUSCODES"}
	if starttls {
		lines = append(lines, "250-STARTTLS")
	}
	lines = append(lines, "250-8BITMIME", "250-BINARYMIME", "250-CHUNKING", "250 SMTPUTF8")
	return say(lines...)
}

func concat(parts ...[]act) []act {
	var out []act
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// exoUpToTLS is the conversation up to and including EHLO after STARTTLS.
func exoUpToTLS(cfg *tls.Config) []act {
	return []act{
		exoGreeting(), expect("EHLO "), exoEHLO(true),
		expect("STARTTLS"), say("220 2.0.0 SMTP server ready"), startTLS(cfg),
		expect("EHLO "), exoEHLO(false),
	}
}

// exoProbeEnd is the envelope for one recipient without --send: MAIL FROM, RCPT TO, RSET and
// QUIT, which the probe sends in one write; the server answers the envelope, then the rest.
func exoProbeEnd() []act {
	return []act{
		expect("MAIL FROM:<app@contoso.com>"), expect("RCPT TO:<someone@example.org>"),
		say("250 2.1.0 Sender OK", "250 2.1.5 Recipient OK"),
		expect("RSET"), expect("QUIT"), say("250 2.0.0 Resetting", "221 2.0.0 Service closing transmission channel"),
	}
}

// pki is a certificate authority made for one test.
type pki struct {
	ca   *fixtures.CA
	pool *x509.CertPool
}

func newPKI(tb testing.TB, subject pkix.Name) *pki {
	tb.Helper()
	ca, err := fixtures.NewCAWithSubject(subject)
	if err != nil {
		tb.Fatal(err)
	}
	return &pki{ca: ca, pool: ca.Pool()}
}

// leaf issues a server certificate for names, valid from notBefore to notAfter.
func (p *pki) leaf(tb testing.TB, cn string, names []string, notBefore, notAfter time.Time) tls.Certificate {
	tb.Helper()
	l, err := p.ca.Issue(fixtures.CertOptions{
		Subject:  pkix.Name{CommonName: cn, Organization: []string{"Microsoft Corporation"}},
		DNSNames: names, NotBefore: notBefore, NotAfter: notAfter,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return l.TLSCertificate()
}

// serverTLS is a server configuration with a certificate for names valid for 90 days.
func (p *pki) serverTLS(tb testing.TB, names ...string) *tls.Config {
	now := time.Now()
	return &tls.Config{Certificates: []tls.Certificate{p.leaf(tb, names[0], names, now.Add(-time.Hour), now.Add(90*24*time.Hour))}}
}

// msPKI stands for Microsoft's public chain: a root the tests trust and a certificate for
// mail.protection.outlook.com with the wildcard Exchange Online's MX hosts match.
func msPKI(tb testing.TB) (*pki, *tls.Config) {
	p := newPKI(tb, pkix.Name{CommonName: "Test Global Root G2", Organization: []string{"exoprobe test PKI"}})
	return p, p.serverTLS(tb, "mail.protection.outlook.com", "*.mail.protection.outlook.com")
}

// sayEach writes each line in a write of its own, as a server that answers pipelined
// commands one by one does.
func sayEach(lines ...string) act {
	return func(s *srvConn) error {
		for _, l := range lines {
			if _, err := io.WriteString(s.conn, l+"\r\n"); err != nil {
				return err
			}
		}
		return nil
	}
}

// nagle turns Nagle's algorithm on for the server's side, as many C servers leave it.
func nagle() act {
	return func(s *srvConn) error {
		conn := s.conn
		if hc, ok := conn.(*hostile.Conn); ok {
			conn = hc.Conn
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			return tc.SetNoDelay(false)
		}
		return nil
	}
}
