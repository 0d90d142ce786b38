package probe

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
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

// The kinds of inbound connector the pre-flight plans: how Exchange Online recognises the
// sending site.
const (
	ConnectorByIP          = "ip"          // by the site's public IPv4 (SenderIPAddresses)
	ConnectorByCertificate = "certificate" // by the domain on the client certificate (TlsSenderCertificateName)
)

// DefaultConnectorName is the connector's name when none is given (--name).
const DefaultConnectorName = "SMTP relay"

// connectorChecks are the check ids of a connector pre-flight, in report order; clientcert
// only when a certificate was given. smtp and tls are the conversation a relay holds, up to
// EHLO after STARTTLS: no envelope is sent.
var connectorChecks = []check.ID{check.PublicIP, check.DNS, check.TCP, check.ClientCert, check.SMTP, check.TLS, check.Connector}

// ConnectorOptions configure a connector pre-flight. As for Options, the zero value of every
// hook means the real thing.
type ConnectorOptions struct {
	Domain   string     // the tenant's accepted domain whose MX the application will send to
	Name     string     // the connector's name; DefaultConnectorName when empty
	PublicIP netip.Addr // given: detection is skipped
	// ClientCert makes it a certificate-based connector; nil plans an IP-based one.
	ClientCert *certcheck.Bundle
	// CertDomain is the TlsSenderCertificateName to plan; empty picks a name on the certificate
	// (see CertDomainFor). It should have passed certcheck.ValidateCertDomain.
	CertDomain string
	Host       string // overrides the MX
	Port       int    // 25 unless set
	Resolver   string // "" = the system's resolver, else host[:port]
	// Skip are the checks left out (--skip): dns (the MX is still looked up for the smart
	// host; SPF and DMARC are not), tcp, clientcert. The public IP cannot be: the connector is
	// made of it (--public-ip gives it instead).
	Skip map[check.ID]bool

	// TenantCheck, when set, reads the tenant's inbound connectors and accepted domains with
	// this read-only access once the plan is made, and says which connectors exist, whether one
	// already recognises this site, whether another would conflict with the planned one, and
	// whether the domain and the certificate's name are accepted domains: the "exchange" check
	// (--tenant-check). That no connector recognises the site yet is not a failure here.
	TenantCheck *TenantAccess

	RunOptions // RootCAs serve the server's chain and the client certificate's

	ReplyTimeout time.Duration // each SMTP reply; DefaultReplyTimeout

	// Hooks for tests and the demo, as in Options.
	PublicIPSources []publicip.Source
	PublicIPHTTPS   []string
}

// ConnectorPlan is what the pre-flight concludes: whether the connector can be created now,
// and the values to create it with and to type into the sending application. The report
// package turns it into PowerShell.
type ConnectorPlan struct {
	Name string
	Kind string // ConnectorByIP or ConnectorByCertificate
	// Domain is the accepted domain the application sends from (MAIL FROM).
	Domain string
	// SenderIPs are the IPv4 addresses for SenderIPAddresses (an IP-based connector); empty
	// when none is known.
	SenderIPs []string
	// CertDomain is the TlsSenderCertificateName of a certificate-based connector.
	CertDomain string
	// SmartHost is the host the application must send to: the domain's MX host; empty when the
	// MX could not be found.
	SmartHost string
	Port      int
	// Ready is true when nothing failed: the connector can be created as planned.
	Ready bool
	// Existing is the name of the tenant's enabled connector that recognises this site already
	// (--tenant-check): then there is nothing to create, and the plan's commands are for
	// making it again. "" without --tenant-check or when none does.
	Existing string
	// MustChange are the codes of the failures to fix before creating the connector, most
	// important first; LookAt the codes of the warnings.
	MustChange []check.Code
	LookAt     []check.Code
}

// PlaceholderIP stands in, in the PowerShell of a plan, for a public IPv4 address the run could
// not find.
const PlaceholderIP = "<public IPv4 address>"

// CreateCommand is the New-InboundConnector command that creates the planned connector, each
// value a PowerShell single-quoted literal (kb.PSQuote), in which nothing is expanded. It is the
// one place the command is written: the report's PowerShell and the tenant's findings
// (--tenant-check) both quote it. See report/connector.go for the parameters' sources.
func (p *ConnectorPlan) CreateCommand() string {
	create := []string{"New-InboundConnector", "-Name", kb.PSQuote(p.Name), "-ConnectorType", "OnPremises", "-SenderDomains", kb.PSQuote("*")}
	if p.Kind == ConnectorByCertificate {
		create = append(create, "-TlsSenderCertificateName", kb.PSQuote(p.CertDomain), "-RequireTls", "$true")
	} else {
		create = append(create, "-SenderIPAddresses", p.SenderIPList())
	}
	return strings.Join(create, " ")
}

// SenderIPList is the plan's SenderIPs as a PowerShell list ('a','b'), or the quoted
// PlaceholderIP when none is known.
func (p *ConnectorPlan) SenderIPList() string {
	q := make([]string, 0, len(p.SenderIPs))
	for _, v := range p.SenderIPs {
		if v = strings.TrimSpace(v); v != "" {
			q = append(q, kb.PSQuote(v))
		}
	}
	if len(q) == 0 {
		return kb.PSQuote(PlaceholderIP)
	}
	return strings.Join(q, ",")
}

// plannedFor is the plan of the connector a site with this public IPv4 address, or this name
// on its certificate, needs: what a tenant's finding that no connector exists quotes.
func plannedFor(ip netip.Addr, certDomain string) *ConnectorPlan {
	p := &ConnectorPlan{Name: DefaultConnectorName, Kind: ConnectorByIP}
	switch {
	case certDomain != "":
		p.Kind, p.CertDomain = ConnectorByCertificate, certDomain
	case ip.IsValid():
		p.SenderIPs = []string{ip.String()}
	}
	return p
}

func (o *ConnectorOptions) defaults() {
	o.RunOptions.defaults(587, 443)
	if o.Port == 0 {
		o.Port = 25
	}
	if o.ReplyTimeout <= 0 {
		o.ReplyTimeout = DefaultReplyTimeout
	}
	if strings.TrimSpace(o.Name) == "" {
		o.Name = DefaultConnectorName
	}
	if o.ClientCert != nil && o.CertDomain == "" {
		o.CertDomain = CertDomainFor(o.ClientCert, o.Domain)
	}
}

// CertDomainFor picks the TlsSenderCertificateName for a certificate: its subject CN, or else
// its first SAN, that is the accepted domain or a name under it; else its first name that is a
// valid connector value. Microsoft's support guide to the 2023 relay requirements says the
// connector should match the certificate's CN (learn.microsoft.com/en-us/answers/a/11582569).
// A wildcard name on the certificate is kept as it is: it is a valid connector value too.
func CertDomainFor(b *certcheck.Bundle, domain string) string {
	if b == nil || b.Leaf == nil {
		return ""
	}
	norm := func(n string) string { return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(n), ".")) }
	domain = norm(domain)
	names := append([]string{b.Leaf.Subject.CommonName}, b.Names()...)
	var valid []string
	for _, n := range names {
		if n = norm(n); n != "" && certcheck.ValidateCertDomain(n) == nil {
			valid = append(valid, n)
		}
	}
	for _, n := range valid {
		if domain != "" && (n == domain || strings.HasSuffix(n, "."+domain)) {
			return n
		}
	}
	if len(valid) > 0 {
		return valid[0]
	}
	return ""
}

// Connector runs the pre-flight an admin runs before creating an inbound connector for this
// site: the public IP (unless given), the domain's MX (the smart host the application must
// use), outbound TCP 25 over IPv4 with 587 and 443 beside it, the SMTP conversation a relay
// holds up to EHLO (greeting, EHLO, STARTTLS with the client certificate when one is given, and
// the server's certificate), and the client certificate itself. It returns the report and the
// plan; the last check, "connector", says whether the connector can be created.
func Connector(ctx context.Context, o ConnectorOptions) (*Report, *ConnectorPlan) {
	o.defaults()
	order := withCert(connectorChecks, o.ClientCert != nil)
	if o.TenantCheck != nil {
		order = append(order, check.Exchange)
	}
	r := newRun(ctx, check.ModeConnector, Target{Domain: o.Domain, Host: o.Host, Port: o.Port}, &o.RunOptions, order)

	after := []input{}
	var cert *stage[certcheck.Outcome]
	if o.ClientCert != nil {
		cert = clientCertStage(r, o.ClientCert, certcheck.Config{
			CertDomain: o.CertDomain, Domain: o.Domain, Roots: o.RootCAs, Now: o.Now,
		}, o.Skip[check.ClientCert])
		after = append(after, cert)
	}
	ip := goStage(r, stagePublicIP, PublicIPTimeout, func(ctx context.Context) publicip.Outcome {
		out := r.detectIP(ctx, publicip.Config{
			Sources: o.PublicIPSources, HTTPSURLs: o.PublicIPHTTPS, Given: o.PublicIP,
			Resolver: o.Resolver, Logf: o.Logf,
		})
		r.emit(out.Result)
		return out
	})
	ep := dnsStages(r, dnscheck.Config{
		Mode: check.ModeRelay, Domain: o.Domain, FromDomain: o.Domain, Host: o.Host,
		Resolver: o.Resolver, Timeout: DNSTimeout, Logf: o.Logf,
	}, ip, !o.Skip[check.DNS])
	tcp := tcpStage(r, ep, o.Port, ports.FamilyIPv4, o.Skip[check.TCP])
	conv := goStage(r, stageConversation, 0, func(ctx context.Context) session.Outcome {
		return o.converse(ctx, ep.wait())
	}, ep)

	plan := &ConnectorPlan{
		Name: o.Name, Domain: o.Domain, Port: o.Port,
		SenderIPs: []string{}, MustChange: []check.Code{}, LookAt: []check.Code{},
	}
	judged := goStage(r, stageJudge, 0, func(context.Context) struct{} {
		addrs, out := ip.wait(), conv.wait()
		e := ep.wait()
		_, network := endpointAddr(e, o.Port, false)
		unreached(&out, tcp.wait(), o.Port, network)
		if !o.PublicIP.IsValid() {
			compareEcho(out.SMTP, out.EchoIP, addrs.IPv4)
		}
		if cert != nil {
			chainSent(out, cert.wait())
		}
		r.emit(out.SMTP, out.TLS)
		plan.SmartHost = e.Host
		if o.ClientCert != nil {
			plan.Kind, plan.CertDomain = ConnectorByCertificate, o.CertDomain
		} else {
			plan.Kind = ConnectorByIP
			if ip4 := senderIP(o.PublicIP, out, addrs); ip4.IsValid() {
				plan.SenderIPs = append(plan.SenderIPs, ip4.String())
			}
		}
		r.emit(judgeConnector(plan, addrs, exoSaw(out)))
		return struct{}{}
	}, append(after, ip, ep, tcp, conv)...)
	if a := o.TenantCheck; a != nil {
		// The tenant is compared with the plan, once the plan is made.
		goStage(r, stageExchange, 0, func(ctx context.Context) struct{} {
			in := tenant.Inputs{
				Path: check.ModeConnector, FromDomain: o.Domain, CertDomain: plan.CertDomain,
				ConnectorName: plan.Name, CreateCommand: plan.CreateCommand(), Now: o.Now,
			}
			if len(plan.SenderIPs) > 0 {
				in.PublicIP, _ = netip.ParseAddr(plan.SenderIPs[0])
			}
			if !in.PublicIP.IsValid() {
				in.PublicIP = senderIP(o.PublicIP, conv.wait(), ip.wait())
			}
			r.emit(a.readExchange(ctx, r, in))
			return struct{}{}
		}, judged)
	}

	e, conversation := ep.wait(), conv.wait()
	r.rep.Transcript = conversation.Transcript
	if e.Host != "" {
		r.rep.Target.Host = e.Host
	}
	rep := r.finish(kb.Context{
		Domain: o.Domain, FromDomain: o.Domain, MXHost: e.MXHost, PreferredMX: e.PreferredMX, Host: o.Host,
		Port: o.Port, PublicIP: orAddr(o.PublicIP, ip.wait().IPv4), EchoIP: conversation.EchoIP, CertDomain: o.CertDomain,
	})
	for _, f := range rep.Findings() {
		switch f.Severity {
		case check.Fail:
			plan.MustChange = appendNew(plan.MustChange, f.Code)
		case check.Warn:
			plan.LookAt = appendNew(plan.LookAt, f.Code)
		}
	}
	plan.Ready = rep.Verdict != check.Fail
	for _, c := range rep.Checks {
		if name, ok := c.Facts["existing_connector"].(string); ok && c.ID == check.Exchange {
			plan.Existing = name
		}
	}
	return rep, plan
}

// converse holds the conversation a relay holds with the endpoint, over IPv4 (a connector
// matches IPv4 only), up to EHLO after STARTTLS, presenting the client certificate when one is
// given; its checks are skipped when the endpoint has no IPv4 address.
func (o *ConnectorOptions) converse(ctx context.Context, ep dnscheck.EndpointOutcome) session.Outcome {
	addr, network := endpointAddr(ep, o.Port, false)
	if o.Skip[check.SMTP] || addr == "" {
		reason := "the SMTP conversation was left out with --skip"
		if addr == "" {
			reason = "no IPv4 address for the endpoint (see the dns check)"
		}
		return session.Outcome{
			SMTP: skipped(check.SMTP, reason), TLS: skipped(check.TLS, reason), Send: skipped(check.Send, reason),
			Transcript: []check.Line{},
		}
	}
	helo := ""
	if o.ClientCert != nil {
		helo = heloFromCert(o.ClientCert)
	}
	return session.Run(ctx, session.Config{
		Mode: check.ModeConnector, Host: ep.Host, Addr: addr, Port: o.Port, Network: network, Helo: helo,
		PublicIP: o.PublicIP, ConnectTimeout: o.ConnectTimeout, ReplyTimeout: o.ReplyTimeout, RootCAs: o.RootCAs,
		ClientCert: presentable(o.ClientCert, o.Logf), Logf: o.Logf, Now: o.Now, LeaveOut: o.Skip,
		OnWait: o.waitFunc(stageConversation),
	})
}

// exoSaw is the IPv4 address Exchange Online said it saw this site as (its EHLO reply's Hello
// [IP]); the zero Addr when the server was not Exchange Online or did not say.
func exoSaw(conv session.Outcome) netip.Addr {
	if conv.EXO && conv.EchoIP.Is4() {
		return conv.EchoIP
	}
	return netip.Addr{}
}

// senderIP is the address an IP-based connector must list: the one given with --public-ip (an
// Exchange Online that sees another is warned about by the smtp check), else the one Exchange
// Online saw, which is what a connector matches, else the one detected.
func senderIP(given netip.Addr, conv session.Outcome, ip publicip.Outcome) netip.Addr {
	switch {
	case given.IsValid():
		return given
	case exoSaw(conv).IsValid():
		return exoSaw(conv)
	}
	return ip.IPv4
}

// judgeConnector makes the connector check: what the plan itself needs beyond the other checks.
// An IP-based connector needs exactly one known public IPv4 address: none (IPv6-only egress,
// or nothing detected) and several that disagree both stop it, unless Exchange Online said
// which address it sees (seen), which settles both.
func judgeConnector(plan *ConnectorPlan, ip publicip.Outcome, seen netip.Addr) *check.Result {
	start := time.Now()
	r := check.New(check.Connector)
	defer r.Since(start)
	r.Set("kind", plan.Kind)
	r.Set("name", plan.Name)
	if plan.SmartHost != "" {
		r.Set("smart_host", plan.SmartHost)
	}
	if plan.Kind == ConnectorByCertificate {
		r.Set("tls_sender_certificate_name", plan.CertDomain)
		r.Summary = "certificate-based connector for " + plan.CertDomain
		if plan.CertDomain == "" {
			r.Add(check.Finding{
				Severity: check.Fail, Code: code.ConnectorNoCertDomain,
				Message: "the certificate holds no DNS name that a connector could expect (TlsSenderCertificateName takes a domain such as mail." +
					plan.Domain + "). Use a certificate whose SAN holds a name in an accepted domain.",
			})
			r.Summary = "no name on the certificate for the connector"
		}
		return r
	}
	r.Set("sender_ip_addresses", plan.SenderIPs)
	switch {
	case len(plan.SenderIPs) > 0:
		r.Summary = "IP-based connector for " + strings.Join(plan.SenderIPs, ", ")
	case ip.IPv4.IsValid():
		r.Summary = "IP-based connector for " + ip.IPv4.String()
	}
	switch {
	case seen.IsValid():
		if slices.Equal(plan.SenderIPs, []string{seen.String()}) {
			r.Set("sender_ip_source", "the address Exchange Online saw (its EHLO reply)")
		}
	case !ip.IPv4.IsValid() && ip.IPv6.IsValid():
		r.Add(check.Finding{
			Severity: check.Fail, Code: code.ConnectorNoIPv4,
			Message: fmt.Sprintf("this site reaches the Internet over IPv6 only (%s); no public IPv4 address was found. "+
				"An inbound connector matches IPv4 addresses only (SenderIPAddresses takes no IPv6), so it cannot recognise this site. "+
				"Give the site IPv4 egress with a fixed address, or use a certificate-based connector (--cert or --pfx).", ip.IPv6),
		})
		r.Summary = "IPv6-only egress: no IPv4 address for the connector"
	case !ip.IPv4.IsValid():
		r.Add(check.Finding{
			Severity: check.Fail, Code: code.ConnectorNoIPv4,
			Message: "the public IPv4 address of this site is not known, so the connector cannot list it. Give it with --public-ip " +
				"(the firewall or router shows it), or use a certificate-based connector (--cert or --pfx).",
		})
		r.Summary = "no public IPv4 address for the connector"
	case ip.Disagree:
		r.Add(check.Finding{
			Severity: check.Fail, Code: code.PublicIPDisagree,
			Message: "the public-IP services saw more than one address for this site (see the publicip check), so mail may " +
				"leave from an address the connector does not list. Find the address mail to port 25 leaves from (the firewall's " +
				"outbound NAT rule; exoprobe relay shows the one Exchange Online sees) and put every such address on the connector, " +
				"or route mail through one fixed address, before creating it.",
		})
		r.Summary = "the public IPv4 address is not certain"
	}
	return r
}

func appendNew(list []check.Code, s check.Code) []check.Code {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
