package probe

import (
	"context"
	"crypto/tls"
	"net/netip"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe/certcheck"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
	"github.com/exoprobe/exoprobe/probe/dnscheck"
	"github.com/exoprobe/exoprobe/probe/kb"
	"github.com/exoprobe/exoprobe/probe/ports"
	"github.com/exoprobe/exoprobe/probe/publicip"
	"github.com/exoprobe/exoprobe/probe/session"
	"github.com/exoprobe/exoprobe/probe/tenant"
)

// relayChecks are the check ids of a port-25 run, in report order. The clientcert check is in
// the report only when a client certificate was given: for an IP-based connector a skipped line
// saying "no client certificate" would only be noise.
var relayChecks = []check.ID{check.PublicIP, check.DNS, check.TCP, check.ClientCert, check.SMTP, check.TLS, check.Send}

// RelayChecks returns the ids of the checks every relay or direct run makes, in report order. A
// relay with a client certificate (Options.ClientCert) also makes the clientcert check, which
// comes after tcp.
func RelayChecks() []check.ID { return withCert(relayChecks, false) }

// Options configure a relay or direct run. The zero value of every hook means the real thing:
// the Internet's public-IP services, the system's root certificates and the usual ports.
type Options struct {
	Mode     check.Mode // check.ModeRelay or check.ModeDirect
	Domain   string     // whose MX is the endpoint
	From     string
	To       []string
	Host     string // overrides the MX
	Port     int    // 25 unless set
	Resolver string // "" = the system's resolver, else host[:port]
	ExpectIP []netip.Addr
	PublicIP netip.Addr // given: detection is skipped
	// Helo is the EHLO name; empty means a DNS name on the client certificate when one is given
	// (what a sending server with that certificate says), else the session's default.
	Helo string
	Send bool
	Skip map[check.ID]bool

	// ClientCert is the client certificate of a certificate-based connector (--cert/--key or
	// --pfx), presented during STARTTLS when the server asks and inspected offline by the
	// clientcert check; nil for an IP-based connector. A bundle without a usable key (none, or
	// one that does not belong to the certificate) is inspected but not presented.
	ClientCert *certcheck.Bundle
	// CertDomain is the connector's TlsSenderCertificateName (--cert-domain); it should have
	// passed certcheck.ValidateCertDomain.
	CertDomain string

	// TenantCheck, when set, reads the tenant's configuration with this read-only access once
	// the conversation is over, and compares it with what the site showed: the "exchange" check
	// (--tenant-check).
	TenantCheck *TenantAccess

	RunOptions // RootCAs serve both the server's chain and the client certificate (clientcert)

	ReplyTimeout time.Duration // each SMTP reply; DefaultReplyTimeout

	// Hooks for tests and the demo.
	PublicIPSources []publicip.Source // nil: the real DNS sources
	PublicIPHTTPS   []string          // nil: the real HTTPS fallbacks; empty non-nil: none
}

func (o *Options) defaults() {
	o.RunOptions.defaults(587, 443)
	if o.Port == 0 {
		o.Port = 25
	}
	if o.ReplyTimeout <= 0 {
		o.ReplyTimeout = DefaultReplyTimeout
	}
	if o.Helo == "" && o.ClientCert != nil {
		o.Helo = heloFromCert(o.ClientCert)
	}
}

// heloFromCert picks the EHLO name a server with this certificate would give: the first DNS
// name on it that is a whole host name (a wildcard is not one); "" when there is none.
func heloFromCert(b *certcheck.Bundle) string {
	for _, n := range b.Names() {
		n = strings.TrimSuffix(strings.TrimSpace(n), ".")
		if n != "" && !strings.Contains(n, "*") && strings.Contains(n, ".") && !strings.ContainsAny(n, " \t\r\n") {
			return n
		}
	}
	return ""
}

func (o *Options) skipped(id check.ID) bool { return o.Skip[id] }

// hints are the run's values for the knowledge base's hints, once every stage has finished.
func (o *Options) hints(ep dnscheck.EndpointOutcome, ip publicip.Outcome, conv session.Outcome) kb.Context {
	return kb.Context{
		Domain: o.Domain, From: o.From, To: first(o.To),
		MXHost: ep.MXHost, PreferredMX: ep.PreferredMX, Host: o.Host, Port: o.Port,
		PublicIP: orAddr(o.PublicIP, ip.IPv4), EchoIP: conv.EchoIP, ExpectIPs: o.ExpectIP,
		CertDomain: o.CertDomain,
	}
}

// Relay runs the port-25 pre-flight (relay through an inbound connector, or Direct Send) and
// returns its report. Independent checks run concurrently: the public IP, the MX and the client
// certificate at once, then the ports and the SMTP conversation as soon as the endpoint is
// known, SPF and DMARC once the public IP is known.
func Relay(ctx context.Context, o Options) *Report {
	o.defaults()
	order := withCert(relayChecks, o.ClientCert != nil)
	if o.TenantCheck != nil {
		order = append(order, check.Exchange)
	}
	r := newRun(ctx, o.Mode, Target{Domain: o.Domain, Host: o.Host, Port: o.Port}, &o.RunOptions, order)

	var cert *stage[certcheck.Outcome]
	if o.ClientCert != nil {
		cert = clientCertStage(r, o.ClientCert, certcheck.Config{
			CertDomain: o.CertDomain, Domain: o.Domain, Roots: o.RootCAs, Now: o.Now,
		}, o.skipped(check.ClientCert))
	}

	ip := goStage(r, stagePublicIP, PublicIPTimeout, func(ctx context.Context) publicip.Outcome {
		out := publicip.Outcome{Result: skipped(check.PublicIP, leftOut)}
		if !o.skipped(check.PublicIP) {
			out = r.detectIP(ctx, publicip.Config{
				Sources: o.PublicIPSources, HTTPSURLs: o.PublicIPHTTPS, Given: o.PublicIP,
				ExpectIP: o.ExpectIP, Resolver: o.Resolver, Logf: o.Logf,
			})
		}
		r.emit(out.Result)
		return out
	})

	ep := dnsStages(r, dnscheck.Config{
		Mode: o.Mode, Domain: o.Domain, FromDomain: domainOf(o.From), Host: o.Host,
		Resolver: o.Resolver, Timeout: DNSTimeout, Logf: o.Logf,
	}, ip, !o.skipped(check.DNS))

	family := ""
	if o.Mode == check.ModeRelay {
		family = ports.FamilyIPv4 // a connector matches IPv4 source addresses only
	}
	tcp := tcpStage(r, ep, o.Port, family, o.skipped(check.TCP))

	// smtp, tls and send: one conversation, then what it saw compared with the public IP and
	// the client certificate once those are known.
	conv := goStage(r, stageConversation, 0, func(ctx context.Context) session.Outcome {
		return o.converse(ctx, ep.wait())
	}, ep)
	after := []input{conv, ip}
	if cert != nil {
		after = append(after, cert)
	}
	goStage(r, stageJudge, 0, func(context.Context) struct{} {
		out := conv.wait()
		if !out.Connected {
			// Only a conversation that could not connect needs the tcp check's verdict; one that
			// did is not held back by a silent control port.
			_, network := o.dialAddr(ep.wait())
			unreached(&out, tcp.wait(), o.Port, network)
		}
		if !o.PublicIP.IsValid() && len(o.ExpectIP) == 0 {
			compareEcho(out.SMTP, out.EchoIP, ip.wait().IPv4)
		}
		if cert != nil {
			chainSent(out, cert.wait())
		}
		r.emit(out.SMTP, out.TLS, out.Send)
		return struct{}{}
	}, after...)
	if o.TenantCheck != nil {
		goStage(r, stageExchange, 0, func(ctx context.Context) struct{} {
			r.emit(o.TenantCheck.readExchange(ctx, r, o.tenantInputs(conv.wait(), ip.wait())))
			return struct{}{}
		}, after...)
	}

	e, conversation := ep.wait(), conv.wait()
	r.rep.Transcript = conversation.Transcript
	if e.Host != "" {
		r.rep.Target.Host = e.Host
	}
	return r.finish(o.hints(e, ip.wait(), conversation))
}

// tenantInputs are what the tenant's configuration is compared with: the address Exchange
// Online saw (the EHLO echo, else the public IPv4), the name on the client certificate, and
// the MAIL FROM domain; for Direct Send only RejectDirectSend.
func (o *Options) tenantInputs(conv session.Outcome, ip publicip.Outcome) tenant.Inputs {
	in := tenant.Inputs{Path: o.Mode, Now: o.Now}
	if o.Mode != check.ModeRelay {
		return in
	}
	in.FromDomain = domainOf(o.From)
	in.PublicIP = orAddr(o.PublicIP, ip.IPv4)
	if conv.EchoIP.IsValid() && conv.EchoIP.Is4() {
		in.PublicIP = conv.EchoIP
	}
	if o.ClientCert != nil {
		in.CertDomain = orString(o.CertDomain, heloFromCert(o.ClientCert))
	}
	in.CreateCommand = plannedFor(in.PublicIP, in.CertDomain).CreateCommand()
	return in
}

// converse holds the SMTP conversation with the endpoint; its three checks are skipped when
// it cannot start.
func (o *Options) converse(ctx context.Context, ep dnscheck.EndpointOutcome) session.Outcome {
	addr, network := o.dialAddr(ep)
	if o.skipped(check.SMTP) || addr == "" {
		reason := "the SMTP conversation was left out with --skip"
		if addr == "" {
			reason = "no IPv4 address for the endpoint (see the dns check)"
			if o.Mode != check.ModeRelay {
				reason = "no address for the endpoint (see the dns check)"
			}
		}
		return session.Outcome{
			SMTP: skipped(check.SMTP, reason), TLS: skipped(check.TLS, reason), Send: skipped(check.Send, reason),
			Transcript: []check.Line{},
		}
	}
	return session.Run(ctx, session.Config{
		Mode: o.Mode, Host: ep.Host, Addr: addr, Port: o.Port, Network: network,
		Helo: o.Helo, From: o.From, To: o.To, Send: o.Send, LeaveOut: o.Skip,
		ExpectIP: o.ExpectIP, PublicIP: o.PublicIP,
		ConnectTimeout: o.ConnectTimeout, ReplyTimeout: o.ReplyTimeout, RootCAs: o.RootCAs,
		ClientCert: o.presented(), Logf: o.Logf, Now: o.Now, OnWait: o.waitFunc(stageConversation),
	})
}

// presented returns the certificate to present during STARTTLS, nil when there is none or it
// cannot be used (no key, or a key that does not belong to it: the clientcert check says so).
func (o *Options) presented() *tls.Certificate { return presentable(o.ClientCert, o.Logf) }

// presentable returns b as a certificate TLS can present; nil when b is nil or has no usable key.
func presentable(b *certcheck.Bundle, logf check.Logf) *tls.Certificate {
	if b == nil {
		return nil
	}
	c, err := b.TLSCertificate()
	if err != nil {
		logf.Printf("client certificate not presented: %v", err)
		return nil
	}
	return &c
}

// chainSent adds to the tls check whether the chain sent with the client certificate was
// whole, as the clientcert check judged the file it came from: Exchange Online sees only what
// the sender sends, and a missing or misplaced intermediate is refused like a wrong certificate.
func chainSent(conv session.Outcome, cert certcheck.Outcome) {
	if !conv.ClientCertSent || cert.Result.Status == check.Skip {
		return // nothing sent, or not inspected: nothing to compare with
	}
	whole := !cert.ChainIncomplete
	conv.TLS.Set("client_chain_whole", whole)
	if !whole && conv.TLS.Status == check.Pass {
		conv.TLS.Summary += "; the chain sent is not whole (see the clientcert check)"
	}
}

// dialAddr picks the address the conversation dials. A relay dials IPv4 only: an inbound
// connector's SenderIPAddresses cannot hold IPv6, so an IPv6 connection would never match.
func (o *Options) dialAddr(ep dnscheck.EndpointOutcome) (addr, network string) {
	return endpointAddr(ep, o.Port, o.Mode != check.ModeRelay)
}

// compareEcho checks the address Exchange Online saw against the detected public IPv4: they
// differ when the site leaves through more than one NAT, and then the EHLO echo is the one an
// inbound connector matches.
func compareEcho(r *check.Result, echo, detected netip.Addr) {
	if !echo.IsValid() || !detected.IsValid() || echo == detected || !echo.Is4() {
		return
	}
	r.Add(check.Finding{
		Severity: check.Warn, Code: code.EgressIPDiffers,
		Message: "the server saw this site as " + echo.String() + ", but the public-IP services saw " +
			detected.String() + ": the site leaves through more than one address. An inbound connector must list " +
			echo.String() + ", the address mail actually comes from.",
	})
}
