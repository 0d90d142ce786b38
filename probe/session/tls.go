package session

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"maps"
	"net"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/cloud"
	"github.com/exoprobe/exoprobe/probe/code"
	"github.com/exoprobe/exoprobe/probe/roots"
)

// CertInfo describes one certificate of the chain the server presented, as the "chain" fact
// of the tls result lists them, the server's own certificate first.
type CertInfo struct {
	Subject  string    `json:"subject"`
	Issuer   string    `json:"issuer"`
	SANs     []string  `json:"sans"`
	NotAfter time.Time `json:"not_after"`
	DaysLeft int       `json:"days_left"`
	IsCA     bool      `json:"is_ca"`
}

// startTLS upgrades the conversation when the server offers STARTTLS and reports whether the
// session can go on. Without STARTTLS, or when the server refuses it, the conversation goes on
// in plaintext so that the send check can still say whether the envelope would be accepted.
func (c *conv) startTLS(ctx context.Context) bool {
	r := c.out.TLS
	if !c.caps.has("STARTTLS") {
		reason := "the server did not offer STARTTLS (see the smtp check)"
		if len(c.caps.stripped) > 0 {
			reason = "STARTTLS was removed from the server's reply on the way (see the smtp check)"
		}
		r.Skip(reason)
		c.note("no STARTTLS: the rest of the conversation is in plaintext")
		return true
	}

	rep, err := c.cmd(ctx, "STARTTLS")
	if err != nil {
		c.stepFailed(ctx, r, "STARTTLS", err)
		return false
	}
	r.Set("starttls_reply", rep.String())
	if rep.Code != 220 {
		c.refused(r, rep, "STARTTLS refused: "+rep.String(),
			fmt.Sprintf("%s offered STARTTLS but refused it: %s. Exchange Online does not do that: a firewall or an antivirus "+
				"mail shield that answers for it is the usual cause (it may reply 500 to a command it took out).", c.serverName(), rep.String()))
		c.note("STARTTLS refused: going on in plaintext to test the envelope")
		return true
	}
	if n := c.rd.Buffered(); n > 0 {
		// RFC 3207 section 4.2 and CVE-2011-0411: what follows the 220 must be the TLS handshake.
		// The buffered bytes are dropped with the plaintext reader and never reach TLS.
		c.note("%d bytes of plaintext arrived after the 220 to STARTTLS, before any TLS; they were discarded", n)
		r.Set("injected_bytes", n)
		c.own(r, check.Fail, code.STARTTLSInjection, "plaintext injected after STARTTLS",
			fmt.Sprintf("after its 220 reply to STARTTLS the server sent %d more bytes in plaintext instead of starting TLS. "+
				"A real server waits for the client's handshake: this is a broken server, or a device on the path injecting "+
				"data into the conversation. The probe stopped here; find what answers on %s:%d.", n, c.endpoint(), c.cfg.Port))
		return false
	}

	requested := false
	tc := tls.Client(&flightConn{Conn: c.raw}, &tls.Config{
		ServerName: strings.TrimSuffix(c.cfg.Host, "."),
		MinVersion: tls.VersionTLS12,
		// The chain is verified after the handshake (judgeChain), so that an untrusted or
		// intercepted chain can still be inspected and named instead of only refused, and so
		// that the handshake does not wait for the trusted roots.
		InsecureSkipVerify: true,
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			requested = true
			if c.cfg.ClientCert != nil {
				return c.cfg.ClientCert, nil
			}
			return &tls.Certificate{}, nil
		},
	})
	if err := c.deadline(ctx, c.cfg.ReplyTimeout); err != nil {
		c.stepFailed(ctx, r, "the TLS handshake", err)
		return false
	}
	c.waiting("the TLS handshake with %s")
	t0 := time.Now()
	if err := tc.HandshakeContext(ctx); err != nil {
		c.handshakeFailed(ctx, err)
		return false
	}
	c.conn, c.rd, c.tlsOn = tc, c.newReader(tc), true

	st := tc.ConnectionState()
	version, cipher := tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite)
	c.tlsVersion = version
	r.Set("version", version)
	r.Set("cipher", cipher)
	if st.CurveID != 0 {
		r.Set("key_exchange", st.CurveID.String())
	}
	r.Set("alpn", "none")
	r.Set("handshake_ms", time.Since(t0).Milliseconds())
	r.Set("client_cert_requested", requested)
	c.out.ClientCertSent = requested && c.cfg.ClientCert != nil
	r.Set("client_cert_sent", c.out.ClientCertSent)
	c.note("%s handshake done, %s", version, cipher)
	sentNote := c.clientCertSent(requested)

	leaf := c.inspectChain(st.PeerCertificates)

	k, _, ok := c.ehlo(ctx, r, "EHLO "+c.cfg.Helo)
	if !ok {
		return false
	}
	c.caps = k
	r.Set("capabilities_after_tls", nonNil(k.list))
	summary := version + " " + cipher
	if leaf != nil {
		summary += fmt.Sprintf(", certificate %s valid until %s (%d days)", certName(leaf),
			leaf.NotAfter.UTC().Format(time.DateOnly), daysLeft(leaf, c.cfg.Now()))
	}
	summary += sentNote
	if c.chain != nil {
		c.chain.summary = summary // once the chain is judged, if it passes
	} else if r.Status == check.Pass {
		r.Summary = summary
	}
	return true
}

// clientCertSent records what became of the client certificate of a certificate-based
// connector: whether the server asked for one, and what was sent (the leaf and how many
// certificates of its chain). A TLS client sends its certificate only when asked, so a server
// that does not ask never sees it. It returns a note for the summary, "" without a certificate.
func (c *conv) clientCertSent(requested bool) string {
	cc := c.cfg.ClientCert
	if cc == nil || len(cc.Certificate) == 0 {
		return ""
	}
	r := c.out.TLS
	leaf := cc.Leaf
	if leaf == nil {
		leaf, _ = x509.ParseCertificate(cc.Certificate[0]) // nil when unreadable: named by count only
	}
	name := "the client certificate"
	if leaf != nil {
		name = certName(leaf)
		r.Set("client_cert", name)
	}
	chain := len(cc.Certificate) - 1
	if !requested {
		c.note("the server did not ask for a client certificate; %s was not sent", name)
		c.own(r, check.Fail, code.ClientCertNotRequested, "client certificate not requested",
			fmt.Sprintf("%s did not ask for a client certificate during the TLS handshake, so the certificate for %s was not sent. "+
				"Exchange Online asks for one on port 25; a server that does not is not Exchange Online, or something on the path "+
				"(an antivirus mail shield, a TLS-inspecting firewall) ends TLS in its place. A certificate-based connector cannot "+
				"match this connection.", c.endpoint(), name))
		return ""
	}
	r.Set("client_cert_chain_sent", chain)
	with := "no chain certificate"
	switch {
	case chain == 1:
		with = "1 chain certificate"
	case chain > 1:
		with = fmt.Sprintf("%d chain certificates", chain)
	}
	c.note("the server asked for a client certificate: sent %s with %s", name, with)
	return fmt.Sprintf(", client certificate %s sent when asked, with %s", name, with)
}

// handshakeFailed records a failed TLS handshake in words: a timeout, an alert from the
// server, an answer that is not TLS, or a closed connection.
func (c *conv) handshakeFailed(ctx context.Context, err error) {
	if runExpired(ctx) {
		c.stepFailed(ctx, c.out.TLS, "the TLS handshake", err)
		return
	}
	var (
		ne  net.Error
		op  *net.OpError
		rh  tls.RecordHeaderError
		why string
	)
	switch {
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, os.ErrDeadlineExceeded):
		why = fmt.Sprintf("the server did not complete the TLS handshake within %s; a device that inspects TLS on the path "+
			"(deep SSL inspection on a firewall) is the usual cause", secs(c.cfg.ReplyTimeout))
	case errors.As(err, &op) && op.Op == "remote error":
		why = fmt.Sprintf("the server ended the handshake with the TLS alert %q: it accepts none of what this client offers "+
			"(TLS 1.2 or 1.3 with current ciphers), or it wanted something else", op.Err.Error())
	case errors.As(err, &rh):
		why = fmt.Sprintf("the server answered the handshake with data that is not TLS (%q): it said 220 to STARTTLS but "+
			"does not speak TLS, which points to a middlebox answering for it", printable(rh.RecordHeader[:]))
	case isClosed(err):
		why = "the server closed the connection during the TLS handshake; a device that blocks or inspects TLS on the path is " +
			"the usual cause"
	default:
		why = "the TLS handshake failed: " + err.Error()
	}
	c.note("TLS handshake failed: %v", err)
	c.own(c.out.TLS, check.Fail, code.TLSHandshakeFailed, "TLS handshake failed",
		fmt.Sprintf("STARTTLS with %s failed: %s.", c.endpoint(), why))
}

// inspectChain records the server's chain and returns the server's own certificate (nil when
// none came). Checking the chain against the trusted roots and the known interceptors waits
// for the roots, so it is left to judgeChain (see chainCheck).
func (c *conv) inspectChain(certs []*x509.Certificate) *x509.Certificate {
	r := c.out.TLS
	now := c.cfg.Now()
	chain := make([]CertInfo, 0, len(certs))
	for _, ct := range certs {
		chain = append(chain, CertInfo{
			Subject: ct.Subject.String(), Issuer: ct.Issuer.String(), SANs: sans(ct),
			NotAfter: ct.NotAfter.UTC(), DaysLeft: daysLeft(ct, now), IsCA: ct.IsCA,
		})
	}
	r.Set("chain", chain)
	if len(certs) == 0 {
		r.Set("verified", false)
		c.own(r, check.Fail, code.TLSVerifyFailed, "no certificate",
			"the server completed the handshake without presenting a certificate, so nothing proves who it is.")
		return nil
	}
	leaf := certs[0]
	r.Set("certificate", certName(leaf))
	r.Set("issuer", leaf.Issuer.String())
	r.Set("not_after", leaf.NotAfter.UTC())
	r.Set("days_left", daysLeft(leaf, now))
	c.chain = &chainCheck{
		certs: certs, now: now, lines: len(c.lines), findings: len(r.Findings), shorts: maps.Clone(c.shorts[r]),
	}
	return leaf
}

// chainCheck is the server's chain waiting to be judged. Verifying it needs the trusted roots,
// which the run reads in the background (probe/roots), and the conversation does not need the
// verdict to go on: it is judged when it is needed, before AUTH sends credentials, else once
// the conversation is over, so that the roots are never waited for between the handshake and
// the next command. What the verdict records goes where it would have gone right after the
// handshake: its notes before the lines that came later, its findings before the tls result's
// later ones, its one-line summary before theirs.
type chainCheck struct {
	certs []*x509.Certificate // as the server presented them, its own first
	now   time.Time           // the time of the handshake, at which the chain is judged
	// lines and findings are how many transcript lines and tls findings there were after the
	// handshake; shorts are the tls result's one-line summaries then (see conv.shorts).
	lines, findings int
	shorts          map[check.Status]string
	// summary is the tls result's summary for when it passes, set once the conversation went
	// on after STARTTLS; "" until then.
	summary string
}

// judgeChain judges the server's chain if it is waiting (see chainCheck); it does nothing
// otherwise, so that it may be called wherever the verdict is needed.
func (c *conv) judgeChain() {
	p := c.chain
	if p == nil {
		return
	}
	c.chain = nil
	r := c.out.TLS
	laterLines, laterFindings, laterShorts := slices.Clone(c.lines[p.lines:]), slices.Clone(r.Findings[p.findings:]), c.shorts[r]
	c.lines, r.Findings, c.shorts[r] = c.lines[:p.lines], r.Findings[:p.findings], p.shorts
	c.judge(p.certs, p.now)
	c.lines = append(c.lines, laterLines...)
	r.Findings = append(r.Findings, laterFindings...)
	for _, sev := range []check.Status{check.Fail, check.Warn, check.Pass, check.Skip} {
		if s, ok := laterShorts[sev]; ok {
			c.short(r, sev, s) // kept only where the verdict left none: the first one stays
		}
	}
	if p.summary != "" && r.Status == check.Pass {
		r.Summary = p.summary
	}
}

// judge checks the server's chain against the trusted roots and the known interceptors, and
// records the verdict: the "verified" fact and, when it fails, the notes and the finding.
func (c *conv) judge(certs []*x509.Certificate, now time.Time) {
	r := c.out.TLS
	verr := c.verifyChain(certs, now)
	c.verified = verr == nil
	r.Set("verified", c.verified)
	var short, words string
	if verr != nil {
		short, words = verifyWords(verr, c.cfg.Host, now)
		r.Set("verify_error", words)
		c.note("certificate not trusted: %s", words)
	}

	product, _ := findInterceptor(certs)
	where := product
	var unknownIssuer x509.UnknownAuthorityError
	if product == "" && errors.As(verr, &unknownIssuer) && (c.exo || cloud.IsServerName(c.cfg.Host)) {
		// Exchange Online's chains end in public roots; an unknown issuer on its endpoint is
		// something on the path re-signing the connection, whether the table knows it or not.
		product, where = "an unknown TLS-inspecting product", "the firewall, proxy or antivirus that issued it"
	}
	if product != "" {
		c.interceptor = product
		r.Set("interceptor", product)
		issuer := certs[0].Issuer.String()
		r.Set("issuer", issuer)
		msg := fmt.Sprintf("the certificate presented for %s was issued by %q: %s intercepts TLS between this machine and "+
			"Exchange Online, re-signing the connection with its own certificate authority. Applications that trust that "+
			"authority send through it; others refuse it, and a certificate-based connector never "+
			"sees the client's certificate. Exclude %s (ports 25 and 587) from mail or SSL scanning in %s, or turn that scanning off.",
			c.endpoint(), issuer, product, c.endpoint(), where)
		if verr != nil {
			msg += " Besides, the chain does not verify here: " + words + "."
		}
		c.own(r, check.Fail, code.TLSIntercepted, "intercepted by "+product, msg)
	} else if verr != nil {
		c.own(r, check.Fail, code.TLSVerifyFailed, "certificate not trusted: "+short,
			fmt.Sprintf("the certificate %s presented does not verify: %s. Applications that check certificates (most do) "+
				"will refuse to send.", c.endpoint(), words))
	}
	if (product != "" || verr != nil) && c.cfg.Mode != check.ModeSubmit {
		// Nothing secret is sent without AUTH; going on shows whether the envelope would pass.
		c.note("going on over the unverified session: nothing secret is sent in %s mode", c.cfg.Mode)
	}
}

// verifyChain verifies the server's chain against the configured roots (the system's when nil,
// as probe/roots hands them over) for the endpoint's host name, at the time now. It waits at
// most chainVerifyTimeout: with the system store on Windows and macOS the platform's verifier
// may fetch intermediates or revocation lists over the network, and waiting for the system's
// roots counts too.
func (c *conv) verifyChain(certs []*x509.Certificate, now time.Time) error {
	inter := x509.NewCertPool()
	for _, ct := range certs[1:] {
		inter.AddCert(ct)
	}
	opts := x509.VerifyOptions{
		Intermediates: inter,
		DNSName:       strings.TrimSuffix(c.cfg.Host, "."),
		CurrentTime:   now,
	}
	done := make(chan error, 1) // buffered: a verifier that outlives the timeout does not block
	verify, given, leaf := verifyLeaf, c.cfg.RootCAs, certs[0]
	go func() {
		opts.Roots = roots.For(given, certs)
		_, err := verify(leaf, opts)
		done <- err
	}()
	t := time.NewTimer(chainVerifyTimeout)
	defer t.Stop()
	var err error
	select {
	case err = <-done:
	case <-t.C:
		err = errVerifyTimeout
	}
	if err != nil {
		return &tls.CertificateVerificationError{UnverifiedCertificates: certs, Err: err}
	}
	return nil
}

// verifyLeaf and chainVerifyTimeout are variables so that tests can stand in for a platform
// verifier that hangs.
var (
	verifyLeaf         = (*x509.Certificate).Verify
	chainVerifyTimeout = certVerifyTimeout
)

// certVerifyTimeout bounds the check of the server's chain, as certcheck.VerifyTimeout bounds
// a certificate file's.
const certVerifyTimeout = 10 * time.Second

// errVerifyTimeout is a chain check that did not end in time.
var errVerifyTimeout = errors.New("the certificate check did not finish in time")

// verifyWords says why a chain did not verify, in a short form for the summary and in words.
func verifyWords(err error, host string, now time.Time) (short, words string) {
	var (
		hostErr  x509.HostnameError
		authErr  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		rootsErr x509.SystemRootsError
	)
	switch {
	case errors.As(err, &hostErr):
		names := sans(hostErr.Certificate)
		if len(names) == 0 {
			names = []string{hostErr.Certificate.Subject.CommonName}
		}
		return "wrong host name", fmt.Sprintf("it is for %s, not for %s: the connection reached another server (a proxy or "+
			"antivirus answering in its place), or the host name is wrong", strings.Join(names, ", "), host)
	case errors.As(err, &authErr):
		issuer := "an unknown authority"
		if authErr.Cert != nil {
			issuer = fmt.Sprintf("%q", authErr.Cert.Issuer.String())
		}
		return "unknown issuer", "it was issued by " + issuer + ", which this machine does not trust; Exchange Online's " +
			"certificates chain to public roots (DigiCert), so something on the path re-signed the connection or the root store is outdated"
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		ct := invalid.Cert
		if now.Before(ct.NotBefore) {
			return "not yet valid", fmt.Sprintf("it is valid only from %s, and this machine's clock says %s: check the clock",
				ct.NotBefore.UTC().Format(time.DateOnly), now.UTC().Format(time.DateOnly))
		}
		return "expired", fmt.Sprintf("%s expired on %s (%d days ago); Microsoft renews its certificates in time, so a "+
			"stale certificate points to a device answering in its place, or to this machine's clock",
			certName(ct), ct.NotAfter.UTC().Format(time.DateOnly), -daysLeft(ct, now))
	case errors.As(err, &invalid):
		return "invalid chain", "the chain is invalid: " + invalid.Error()
	case errors.As(err, &rootsErr):
		return "no root store", "this machine's root certificates could not be loaded: " + rootsErr.Error()
	case errors.Is(err, errVerifyTimeout):
		return "check timed out", fmt.Sprintf("this machine's certificate check did not finish within %s: the system's verifier "+
			"may be fetching intermediate certificates or revocation lists over a network that holds them back", chainVerifyTimeout)
	}
	return "not verified", err.Error()
}

// certName is the name a certificate is for: its common name, else its first SAN.
func certName(ct *x509.Certificate) string {
	if ct.Subject.CommonName != "" {
		return ct.Subject.CommonName
	}
	if s := sans(ct); len(s) > 0 {
		return s[0]
	}
	return ct.Subject.String()
}

func sans(ct *x509.Certificate) []string {
	out := append([]string{}, ct.DNSNames...)
	for _, ip := range ct.IPAddresses {
		out = append(out, ip.String())
	}
	return out
}

// daysLeft is the whole days from now until the certificate expires, negative once expired:
// 98 for 98.7 days left, -35 for an expiry 35.2 days ago.
func daysLeft(ct *x509.Certificate, now time.Time) int {
	return int(ct.NotAfter.Sub(now).Hours() / 24)
}

// printable shows bytes from the wire safely: printable ASCII as is, the rest as \xNN.
func printable(b []byte) string {
	var s strings.Builder
	for _, ch := range b {
		if ch >= 0x20 && ch < 0x7f {
			s.WriteByte(ch)
		} else {
			fmt.Fprintf(&s, "\\x%02x", ch)
		}
	}
	return s.String()
}
