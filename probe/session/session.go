// Package session holds exoprobe's SMTP conversation with the endpoint: one sequential
// conversation on a raw connection that yields three check results, "smtp" (greeting, EHLO,
// capabilities), "tls" (STARTTLS, the negotiated session and the server's chain) and "send"
// (MAIL FROM, RCPT TO and, only when asked, DATA); a submission (submit mode) adds a fourth,
// "auth" (AUTH XOAUTH2 or AUTH LOGIN, see auth.go).
//
// The conversation reads every reply through probe/reply's bounded Reader, so that the probe
// sees each raw line and a hostile or broken server cannot hold it or fill its memory. Nothing
// here prints: what was seen is in the results' facts and the transcript, what it means is in
// their findings.
package session

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
)

// Timeouts used when a Config leaves them zero. The runner in package probe always sets them
// (from --connect-timeout and --reply-timeout); these only keep a bare call from waiting forever.
const (
	// DefaultConnectTimeout decides how soon a silent port is called filtered.
	DefaultConnectTimeout = 5 * time.Second
	// DefaultReplyTimeout is how long the probe waits for each reply; Exchange Online answers
	// within a second.
	DefaultReplyTimeout = 15 * time.Second
	// quitTimeout bounds the wait for the reply to QUIT: the verdict is known by then, so a
	// server that does not say goodbye must not hold the run.
	quitTimeout = 2 * time.Second
	// defaultPort is SMTP's port, where Exchange Online's MX hosts listen.
	defaultPort = 25
)

// Config is what one conversation needs. Only Host or Addr is required; every network call
// is bounded by both the context and the timeouts here.
type Config struct {
	// Mode decides how strict the checks are (a relay through an inbound connector must see
	// Exchange Online's STARTTLS and the IP the connector lists); submit signs in after STARTTLS;
	// the connector pre-flight holds the conversation a relay holds up to EHLO after STARTTLS,
	// sends no envelope, and fails a greeting a firewall masked.
	Mode    check.Mode
	Host    string // endpoint name: TLS server name, certificate verification and messages
	Addr    string // "ip:port" to dial; empty: Host:Port
	Port    int    // 25 when zero
	Network string // "tcp4" for relay (connectors are IPv4-only); empty: "tcp4" for relay, else "tcp"
	// Helo is the EHLO name; empty: the local host name when it is a dotted DNS name, else the
	// address literal of the local end of the connection ("[192.0.2.10]"), as RFC 5321 4.1.4 asks
	// of a client without a name.
	Helo string
	From string
	To   []string
	// Send allows DATA; without it the conversation stops after RCPT TO with RSET and QUIT, and
	// nothing is delivered.
	Send bool
	// LeaveOut names the checks left out with --skip that the conversation still passes
	// through: check.TLS (STARTTLS is still done, so that the rest goes over TLS as it would,
	// but the server's chain is not judged and the tls result is skipped; not in submit mode,
	// where credentials go only to a server whose chain verified), check.Auth (no AUTH, and
	// then no envelope, which the server would refuse unsigned) and check.Send (the
	// conversation ends after EHLO: no MAIL FROM).
	LeaveOut map[check.ID]bool
	ExpectIP []netip.Addr // the IPs an inbound connector lists (--expect-ip)
	PublicIP netip.Addr   // the public IPv4 detected or given; the zero Addr when unknown

	ConnectTimeout time.Duration // per dial; DefaultConnectTimeout when zero
	ReplyTimeout   time.Duration // per command and reply; DefaultReplyTimeout when zero

	RootCAs    *x509.CertPool   // roots to verify the server's chain; nil: the system's
	ClientCert *tls.Certificate // presented when the server asks; nil: none

	// Submission (submit mode) only: how to sign in after STARTTLS. The credentials are sent only
	// inside TLS 1.2 or later to a server whose certificate verified. They are never marshalled
	// (json:"-"), logged or shown: the transcript has "<redacted>" in their place, and the outcome
	// is scrubbed of them and their base64 forms.
	Auth     string `json:"-"` // AuthOAuth (AUTH XOAUTH2, the default) or AuthBasic (AUTH LOGIN)
	User     string `json:"-"` // the mailbox to sign in as (the XOAUTH2 user= or the LOGIN user name)
	Password string `json:"-"` // the password for AuthBasic
	Token    string `json:"-"` // the access token for AuthOAuth, when known before the conversation
	// AwaitToken, used when Token is empty, is called at AUTH XOAUTH2 and blocks until the token
	// that is being acquired concurrently is ready. It returns the token, or "" and the reason no
	// AUTH may be tried (the skipped auth check shows it).
	AwaitToken func(ctx context.Context) (token, reason string) `json:"-"`

	AppID string     // the application (client) ID of an OAuth sign-in, for the messages
	Logf  check.Logf // progress log; nil discards
	// OnWait, when set, is called from the conversation's goroutine each time it starts waiting
	// on the server, with what for in a person's words: "a connection to host:25", "the banner of
	// host:25", "the reply of host:25 to EHLO", "the TLS handshake with host:25". It never carries
	// a value the conversation sent, only command verbs, nor text the server sent.
	OnWait func(what string) `json:"-"`
	Now    func() time.Time  // clock for certificate expiry; nil: time.Now
}

func (c *Config) defaults() {
	if c.Port == 0 {
		c.Port = defaultPort
	}
	if c.Network == "" {
		c.Network = "tcp"
		if viaConnector(c.Mode) {
			c.Network = "tcp4"
		}
	}
	if c.Addr == "" {
		c.Addr = net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	}
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = DefaultConnectTimeout
	}
	if c.ReplyTimeout <= 0 {
		c.ReplyTimeout = DefaultReplyTimeout
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// viaConnector reports a mode whose mail goes through an inbound connector: a relay, and the
// pre-flight before creating one. Such a conversation is IPv4 only and must see STARTTLS.
func viaConnector(m check.Mode) bool { return m == check.ModeRelay || m == check.ModeConnector }

// preflightStop is why the send check of a connector pre-flight does not run.
const preflightStop = "the connector pre-flight stops after EHLO; exoprobe relay tests the envelope"

// Outcome is what one conversation produced. SMTP, TLS and Send are never nil, nor is Auth in
// check.ModeSubmit (it is nil in the other modes): a check that could not run is a skipped result with
// the reason.
type Outcome struct {
	SMTP, TLS, Auth, Send *check.Result
	// Transcript is every line in both directions ("C", "S") and the probe's notes ("*").
	// The body of a message sent with Send is summarised in one line.
	Transcript []check.Line
	// EchoIP is the address in the EHLO reply's "Hello [IP]": the address the server saw,
	// which is what an inbound connector matches. The zero Addr when the server did not say.
	EchoIP netip.Addr
	// ClientCertSent says that the server asked for a client certificate during STARTTLS and
	// Config.ClientCert was presented.
	ClientCertSent bool
	// Encrypted says that STARTTLS succeeded and the conversation went on inside TLS.
	Encrypted bool
	// Mechanisms are the SASL mechanisms the server offered in the EHLO reply after STARTTLS
	// ("AUTH LOGIN XOAUTH2"), as spelled there; nil when it offered none or TLS did not start.
	Mechanisms []string
	// Connected says that the TCP connection was made; false when the dial failed (the smtp
	// check says why).
	Connected bool
	// EXO says that the greeting was Exchange Online's, so that EchoIP is the address Exchange
	// Online itself saw.
	EXO bool
}

// results returns the outcome's results in conversation order, without a nil Auth.
func (o *Outcome) results() []*check.Result {
	if o.Auth == nil {
		return []*check.Result{o.SMTP, o.TLS, o.Send}
	}
	return []*check.Result{o.SMTP, o.TLS, o.Auth, o.Send}
}

// leftOut is the reason of a check left out with --skip.
const leftOut = "left out with --skip"

// leaveOut turns the result of a check left out with --skip, which ran only as far as the rest
// of the conversation needed, into a skipped one: what it saw stays in its facts, what that
// means (its findings) goes, so that it cannot decide the verdict.
func leaveOut(r *check.Result, reason string) {
	r.Findings = []check.Finding{}
	r.Skip(reason)
}

// skipAll marks each result as not run, for the reason.
func skipAll(reason string, rs ...*check.Result) {
	for _, r := range rs {
		if r != nil {
			r.Skip(reason)
		}
	}
}

// Run holds the conversation and returns its outcome. It never returns an error: a refused
// connection, a silent server or a refused recipient is a finding in the outcome.
func Run(ctx context.Context, cfg Config) (out Outcome) {
	cfg.defaults()
	out = Outcome{SMTP: check.New("smtp"), TLS: check.New("tls"), Send: check.New("send")}
	if cfg.Mode == check.ModeSubmit {
		out.Auth = check.New("auth")
	}
	c := &conv{cfg: cfg, out: &out, shorts: map[*check.Result]map[check.Status]string{}}
	leaveOutTLS := cfg.LeaveOut[check.TLS] && cfg.Mode != check.ModeSubmit
	defer func() {
		if leaveOutTLS && out.TLS.Status != check.Skip {
			c.chain = nil // never judged
			leaveOut(out.TLS, "left out with --skip; STARTTLS was still done, the server's certificate was not judged")
		}
		c.judgeChain() // when the conversation went on without needing the verdict
		for _, r := range out.results() {
			c.summarise(r)
		}
		c.redact(&out)
		out.Transcript = c.lines
		if out.Transcript == nil {
			out.Transcript = []check.Line{}
		}
	}()

	start := time.Now()
	if !c.dial(ctx) {
		out.SMTP.Since(start)
		skipAll("no connection (see the smtp check)", out.TLS, out.Auth, out.Send)
		return out
	}
	defer c.close()

	ok := c.greeting(ctx) && c.hello(ctx)
	out.SMTP.Since(start)
	if !ok {
		skipAll("no SMTP session (see the smtp check)", out.TLS, out.Auth, out.Send)
		return out
	}

	start = time.Now()
	alive := c.startTLS(ctx)
	out.TLS.Since(start)
	if !alive {
		skipAll("the session ended during STARTTLS (see the tls check)", out.Auth, out.Send)
		return out
	}
	if c.tlsOn {
		out.Encrypted = true
		if params, ok := c.caps.kw["AUTH"]; ok {
			out.Mechanisms = strings.Fields(params)
		}
	}
	if cfg.Mode == check.ModeConnector {
		c.quit(ctx)
		out.Send.Skip(preflightStop)
		return out
	}

	if out.Auth != nil && cfg.LeaveOut[check.Auth] {
		out.Auth.Skip(leftOut)
		out.Send.Skip("not signed in: auth was left out with --skip")
		c.quit(ctx)
		return out
	}
	if out.Auth != nil {
		c.judgeChain() // credentials go only to a server whose chain verified
		start = time.Now()
		authed := c.authenticate(ctx)
		out.Auth.Since(start)
		if !authed {
			if cfg.Auth == AuthNotTried {
				out.Send.Skip("not tried: no sign-in")
				return out
			}
			out.Send.Skip("not signed in (see the auth check)")
			return out
		}
	}

	if cfg.LeaveOut[check.Send] {
		out.Send.Skip("left out with --skip; the conversation ended before MAIL FROM")
		c.quit(ctx)
		return out
	}
	start = time.Now()
	c.send(ctx)
	if cfg.Mode == check.ModeSubmit {
		c.sendAsUnverified()
	}
	out.Send.Since(start)
	return out
}
