package probe

import (
	"context"
	"crypto/tls"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/exoprobe/exoprobe/probe/certcheck"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/dnscheck"
	"github.com/exoprobe/exoprobe/probe/kb"
	"github.com/exoprobe/exoprobe/probe/ports"
	"github.com/exoprobe/exoprobe/probe/publicip"
	"github.com/exoprobe/exoprobe/probe/roots"
	"github.com/exoprobe/exoprobe/probe/session"
)

// Modes of a port-25 run.
const (
	ModeRelay  = "relay"
	ModeDirect = "direct"
)

// Check ids of a port-25 run, in report order. The clientcert check is in the report only when
// a client certificate was given: for an IP-based connector a skipped line saying "no client
// certificate" would only be noise.
var relayChecks = []string{"publicip", "dns", "tcp", certcheck.CheckID, "smtp", "tls", "send"}

// RelayChecks returns the ids of the checks every relay or direct run makes, in report order. A
// relay with a client certificate (Options.ClientCert) also makes the clientcert check, which
// comes after tcp.
func RelayChecks() []string {
	out := make([]string, 0, len(relayChecks))
	for _, id := range relayChecks {
		if id != certcheck.CheckID {
			out = append(out, id)
		}
	}
	return out
}

// Options configure a relay or direct run. The zero value of every hook means the real thing:
// the Internet's public-IP services, the system's root certificates and the usual ports.
type Options struct {
	Mode     string // ModeRelay or ModeDirect
	Domain   string // whose MX is the endpoint
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
	Skip map[string]bool

	// ClientCert is the client certificate of a certificate-based connector (--cert/--key or
	// --pfx), presented during STARTTLS when the server asks and inspected offline by the
	// clientcert check; nil for an IP-based connector. A bundle without a usable key (none, or
	// one that does not belong to the certificate) is inspected but not presented.
	ClientCert *certcheck.Bundle
	// CertDomain is the connector's TlsSenderCertificateName (--cert-domain); it should have
	// passed certcheck.ValidateCertDomain.
	CertDomain string

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

// vars are the values from the run that fill the knowledge base's fix steps.
func (o *Options) vars() kb.Vars {
	v := kb.Vars{"domain": o.Domain, "from": o.From, "from_domain": domainOf(o.From), "port": strconv.Itoa(o.Port)}
	if len(o.To) > 0 {
		v["to"] = o.To[0]
		v["to_domain"] = domainOf(o.To[0])
	}
	if len(o.ExpectIP) > 0 {
		v["expect_ip"] = joinAddrs(o.ExpectIP)
	}
	if o.PublicIP.IsValid() {
		v["public_ip"] = o.PublicIP.String()
	}
	if o.Host != "" {
		v["host"] = o.Host
	}
	if o.CertDomain != "" {
		v["cert_domain"] = o.CertDomain
	}
	return v
}

func (o *Options) skipped(id string) bool { return o.Skip[id] }

// Relay runs the port-25 pre-flight (relay through an inbound connector, or Direct Send) and
// returns its report. Independent checks run concurrently: the public IP, the MX, then the
// ports and the SMTP conversation as soon as the endpoint is known.
func Relay(ctx context.Context, o Options) *Report {
	roots.Preload(o.RootCAs) // read while the network stages run, for the certificate checks
	o.defaults()
	started := o.Now()
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()

	rep := NewReport(o.Mode, o.Version, started, Target{Domain: o.Domain, Host: o.Host, Port: o.Port})
	col := newCollector(o.OnCheck)
	var wg sync.WaitGroup
	defer wg.Wait() // no goroutine outlives the run

	// clientcert: offline, bounded by certcheck.VerifyTimeout.
	certDone := make(chan struct{})
	var cert *check.Result
	if o.ClientCert == nil {
		close(certDone)
	} else {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(certDone)
			if o.skipped(certcheck.CheckID) {
				cert = skipped(certcheck.CheckID, "left out with --skip")
			} else {
				cert = certcheck.Inspect(o.ClientCert, certcheck.Config{
					CertDomain: o.CertDomain, Domain: o.Domain, Roots: o.RootCAs, Now: o.Now, Vars: o.vars(),
				})
			}
			col.emit(cert)
		}()
	}

	// publicip
	ipDone := make(chan struct{})
	var ip publicip.Outcome
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(ipDone)
		if o.skipped("publicip") && !o.PublicIP.IsValid() {
			ip = publicip.Outcome{Result: skipped("publicip", "left out with --skip")}
		} else {
			ip = detectIP(ctx, publicip.Config{
				Sources: o.PublicIPSources, HTTPSURLs: o.PublicIPHTTPS, Given: o.PublicIP,
				ExpectIP: o.ExpectIP, Resolver: o.Resolver, Logf: o.Logf, Vars: o.vars(),
			})
		}
		col.emit(ip.Result)
	}()

	// dns: the endpoint first, so that tcp and smtp can start; SPF once the public IP is known.
	epDone, epp := dnsStages(ctx, &wg, col, dnscheck.Config{
		Mode: o.Mode, Domain: o.Domain, FromDomain: domainOf(o.From), Host: o.Host,
		Resolver: o.Resolver, Timeout: DNSTimeout, Logf: o.Logf, Vars: o.vars(),
	}, ipDone, &ip, !o.skipped("dns"))

	// tcp
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-epDone
		if o.skipped("tcp") {
			col.emit(skipped("tcp", "left out with --skip"))
			return
		}
		family := ""
		if o.Mode == ModeRelay {
			family = ports.FamilyIPv4
		}
		col.emit(tcpCheck(ctx, *epp, o.Port, o.ControlPorts, family, o.ConnectTimeout, o.Logf, withHost(o.vars(), epp.Host)))
	}()

	// smtp, tls, send: one conversation.
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-epDone
		ep := *epp
		addr, network := o.dialAddr(ep)
		if o.skipped("smtp") || addr == "" {
			reason := "left out with --skip"
			if addr == "" {
				reason = "no IPv4 address for the endpoint (see the dns check)"
				if o.Mode != ModeRelay {
					reason = "no address for the endpoint (see the dns check)"
				}
			}
			for _, id := range []string{"smtp", "tls", "send"} {
				col.emit(skipped(id, reason))
			}
			return
		}
		out := session.Run(ctx, session.Config{
			Mode: o.Mode, Host: ep.Host, Addr: addr, Port: o.Port, Network: network,
			Helo: o.Helo, From: o.From, To: o.To, Send: o.Send && !o.skipped("send"),
			ExpectIP: o.ExpectIP, PublicIP: o.PublicIP,
			ConnectTimeout: o.ConnectTimeout, ReplyTimeout: o.ReplyTimeout, RootCAs: o.RootCAs,
			ClientCert: o.presented(), Vars: withHost(o.vars(), ep.Host), Logf: o.Logf, Now: o.Now,
		})
		// The IP Exchange Online saw is compared with the detected one once detection is done.
		select {
		case <-ipDone:
		case <-ctx.Done():
		}
		if !o.PublicIP.IsValid() && len(o.ExpectIP) == 0 {
			compareEcho(out.SMTP, out.EchoIP, ip.IPv4, withHost(o.vars(), ep.Host))
		}
		<-certDone // offline and bounded; the tls check compares what was sent with it
		chainSent(out.TLS, cert)
		rep.Transcript = out.Transcript // read only after wg.Wait
		col.emit(out.SMTP)
		col.emit(out.TLS)
		col.emit(out.Send)
	}()

	wg.Wait()
	if epp.Host != "" {
		rep.Target.Host = epp.Host
	}
	col.finish(rep, relayChecks, started, o.Now)
	return rep
}

// presented returns the certificate to present during STARTTLS, nil when there is none or it
// cannot be used (no key, or a key that does not belong to it: the clientcert check says so).
func (o *Options) presented() *tls.Certificate {
	if o.ClientCert == nil {
		return nil
	}
	c, err := o.ClientCert.TLSCertificate()
	if err != nil {
		o.Logf.Printf("client certificate not presented: %v", err)
		return nil
	}
	return &c
}

// chainSent adds to the tls check whether the chain sent with the client certificate was
// whole, as the clientcert check judged the file it came from: Exchange Online sees only what
// the sender sends, and a missing or misplaced intermediate is refused like a wrong certificate.
func chainSent(tlsRes, cert *check.Result) {
	if cert == nil || tlsRes == nil {
		return
	}
	if sent, _ := tlsRes.Facts["client_cert_sent"].(bool); !sent {
		return
	}
	if cert.Status == check.Skip {
		return // not inspected: nothing to compare with
	}
	whole := true
	for _, f := range cert.Findings {
		if f.Code == certcheck.CodeChainIncomplete {
			whole = false
		}
	}
	tlsRes.Set("client_chain_whole", whole)
	if !whole && tlsRes.Status == check.Pass {
		tlsRes.Summary += "; the chain sent is not whole (see the clientcert check)"
	}
}

// dialAddr picks the address the conversation dials. A relay dials IPv4 only: an inbound
// connector's SenderIPAddresses cannot hold IPv6, so an IPv6 connection would never match.
func (o *Options) dialAddr(ep dnscheck.EndpointOutcome) (addr, network string) {
	return endpointAddr(ep, o.Port, o.Mode != ModeRelay)
}

// compareEcho checks the address Exchange Online saw against the detected public IPv4: they
// differ when the site leaves through more than one NAT, and then the EHLO echo is the one an
// inbound connector matches.
func compareEcho(r *check.Result, echo, detected netip.Addr, v kb.Vars) {
	if !echo.IsValid() || !detected.IsValid() || echo == detected || !echo.Is4() {
		return
	}
	v["echo_ip"] = echo.String()
	v["public_ip"] = detected.String()
	r.Add(check.Finding{
		Severity: check.Warn, Code: "egress-ip-differs",
		Message: "the server saw this site as " + echo.String() + ", but the public-IP services saw " +
			detected.String() + ": the site leaves through more than one address. An inbound connector must list " +
			echo.String() + ", the address mail actually comes from.",
		Hint: kb.Hint("egress-ip-differs", v),
	})
}

func withHost(v kb.Vars, host string) kb.Vars {
	if host != "" {
		v["mx_host"] = host
		if v["host"] == "" {
			v["host"] = host
		}
	}
	return v
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return strings.ToLower(addr[i+1:])
	}
	return ""
}

func joinAddrs(as []netip.Addr) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ",")
}
