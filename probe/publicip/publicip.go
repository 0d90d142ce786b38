// Package publicip finds the public IPv4 and IPv6 addresses this site leaves the Internet
// from: the address an Exchange Online inbound connector must list, and the one SPF must
// authorise for Direct Send. DNS services that echo the asker's address come first, asked
// directly over sockets forced to one address family; HTTPS services are the fallback. At least
// two sources must agree before the address is trusted.
package publicip

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
	"github.com/exoprobe/exoprobe/probe/resolve"
	"github.com/exoprobe/exoprobe/probe/webproxy"
)

// Timeouts of detection. TestTimeoutsNest holds each below DefaultTimeout.
const (
	// DefaultTimeout bounds the whole detection, reverse look-ups included, when Config.Timeout
	// is zero.
	DefaultTimeout = 8 * time.Second
	// DNSQueryTimeout bounds one DNS source; they answer in tens of milliseconds, and one that
	// is silent is blocked.
	DNSQueryTimeout = 1500 * time.Millisecond
	// HTTPSDelay is the head start the DNS sources get: the HTTPS fallback starts when they are
	// done without two agreeing, or when they have not agreed by then.
	HTTPSDelay = 400 * time.Millisecond
	// HTTPSTimeout bounds one HTTPS source: connect, TLS handshake and the answer.
	HTTPSTimeout = 4 * time.Second
	// PTRTimeout bounds the reverse look-up of a detected address.
	PTRTimeout = 2 * time.Second
)

// maxBody bounds what an HTTPS source may send: an address is at most 45 bytes.
const maxBody = 256

// Query is the kind of question a DNS source answers.
type Query int

// Kinds of question.
const (
	// QueryAddr asks for an A record over IPv4 and an AAAA record over IPv6 (OpenDNS).
	QueryAddr Query = iota
	// QueryTXT asks for a TXT record in class IN that holds the address (Google).
	QueryTXT
	// QueryChaosTXT asks for a TXT record in class CHAOS (Cloudflare).
	QueryChaosTXT
)

// Source is a DNS service that answers with the address the question came from.
type Source struct {
	Name    string // reported in facts and findings: "opendns", "google", "cloudflare"
	QName   string // the name asked
	Query   Query
	Server4 string // host:port asked over udp4 for the IPv4 address; "" leaves it out
	Server6 string // host:port asked over udp6 for the IPv6 address; "" leaves it out
}

// DefaultSources returns the real DNS sources, each asked by address so that no resolver sits
// in between: OpenDNS resolver1 (myip.opendns.com), Google's authoritative ns1.google.com
// (o-o.myaddr.l.google.com; through a recursive resolver it would echo the resolver's address)
// and Cloudflare's 1.1.1.1 (whoami.cloudflare, class CHAOS).
func DefaultSources() []Source {
	return []Source{
		{Name: "opendns", QName: "myip.opendns.com.", Query: QueryAddr,
			Server4: "208.67.222.222:53", Server6: "[2620:119:35::35]:53"},
		{Name: "google", QName: "o-o.myaddr.l.google.com.", Query: QueryTXT,
			Server4: "216.239.32.10:53", Server6: "[2001:4860:4802:32::a]:53"},
		{Name: "cloudflare", QName: "whoami.cloudflare.", Query: QueryChaosTXT,
			Server4: "1.1.1.1:53", Server6: "[2606:4700:4700::1111]:53"},
	}
}

// SourcesAt returns the three DNS sources all asked of one server (host:port) that answers
// their names, such as the fixtures' DNS server in tests and the demo. The server is asked for
// the family of its address; a host name is asked for both.
func SourcesAt(server string) []Source {
	var s4, s6 string
	host, _, _ := net.SplitHostPort(server)
	switch a, err := netip.ParseAddr(host); {
	case err != nil:
		s4, s6 = server, server
	case a.Unmap().Is4():
		s4 = server
	default:
		s6 = server
	}
	out := DefaultSources()
	for i := range out {
		out[i].Server4, out[i].Server6 = s4, s6
	}
	return out
}

// DefaultHTTPSURLs returns the real HTTPS fallbacks. Each is asked over both families; the
// IPv4-only and IPv6-only names fail fast over the other.
func DefaultHTTPSURLs() []string {
	return []string{
		"https://api4.ipify.org", "https://ipv4.icanhazip.com",
		"https://api6.ipify.org", "https://ipv6.icanhazip.com",
	}
}

// Config is what detection needs. The zero value asks the real services.
type Config struct {
	Sources   []Source // nil: DefaultSources
	HTTPSURLs []string // nil: DefaultHTTPSURLs; empty and non-nil: no HTTPS fallback
	// HTTPClient asks the HTTPS sources. nil: a client per family whose dialer only makes
	// tcp4 or tcp6 connections, through the proxy Proxy chooses, verifying against RootCAs. A
	// client given here is used as it is; an answer of the wrong family is discarded.
	HTTPClient *http.Client
	// Proxy is this machine's proxy configuration (webproxy.FromEnvironment); the zero value
	// goes direct. An answer that came through a proxy is the proxy's address, which need not
	// be the one mail leaves from (SMTP never goes through it): the answers say so, and the
	// proxy is the fact "proxy".
	Proxy webproxy.Settings
	// RootCAs verifies the HTTPS sources; nil: the system's roots. Tests use it.
	RootCAs *x509.CertPool
	// Given is an address known already (--public-ip): nothing is detected.
	Given netip.Addr
	// ExpectIP are the addresses on the inbound connector (--expect-ip); a detected IPv4
	// address not among them fails the check.
	ExpectIP []netip.Addr
	// Resolver is the server for reverse look-ups: "" is the system's resolver, else host[:port].
	Resolver string
	// Lookup, when set, is used for reverse look-ups instead of Resolver.
	Lookup  resolve.Resolver
	Timeout time.Duration // 0: DefaultTimeout
	// Logf is called from several goroutines at once.
	Logf check.Logf
}

// Outcome is what detection found. IPv4 and IPv6 are the zero netip.Addr when not found.
type Outcome struct {
	Result     *check.Result // check id "publicip"
	IPv4, IPv6 netip.Addr
	// Disagree says that the sources saw more than one IPv4 address: the site leaves through
	// several, and IPv4 is only the one most sources agreed on.
	Disagree bool
}

// answer is one source's reply.
type answer struct {
	source string
	order  int // the source's place in the configuration: DNS sources first, then HTTPS
	https  bool
	addr   netip.Addr
	err    error
	rtt    time.Duration
	via    string // the proxy an HTTPS source was asked through, "" when direct
}

// family is what detection saw for one address family.
type family struct {
	name    string // "ipv4" or "ipv6"
	addr    netip.Addr
	agreed  []string // sources that gave addr
	answers []answer // in the order they came
	asked   int      // sources asked
}

// distinct returns each address answered and the sources that gave it, most sources first.
func (f *family) distinct() []addrVotes {
	var out []addrVotes
	for _, a := range f.answers {
		if a.err != nil {
			continue
		}
		i := slices.IndexFunc(out, func(v addrVotes) bool { return v.addr == a.addr })
		if i < 0 {
			out = append(out, addrVotes{addr: a.addr})
			i = len(out) - 1
		}
		out[i].sources = append(out[i].sources, a.source)
	}
	slices.SortStableFunc(out, func(a, b addrVotes) int { return len(b.sources) - len(a.sources) })
	return out
}

type addrVotes struct {
	addr    netip.Addr
	sources []string
}

// agreed reports whether two sources gave the same address.
func agreed(answers []answer) bool {
	seen := map[netip.Addr]int{}
	for _, a := range answers {
		if a.err == nil {
			if seen[a.addr]++; seen[a.addr] >= 2 {
				return true
			}
		}
	}
	return false
}

// Detect finds the public addresses, IPv4 and IPv6 at once, and returns them with the
// "publicip" result. It never fails: what could not be found is a finding.
func Detect(ctx context.Context, cfg Config) Outcome {
	start := time.Now()
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	r := check.New("publicip")
	out := Outcome{Result: r}

	var f4, f6 *family
	var used webproxy.Used // the proxies the HTTPS sources were asked through
	if cfg.Given.IsValid() {
		given := cfg.Given.Unmap()
		f := &family{addr: given, agreed: []string{"given"}}
		if given.Is4() {
			f.name, f4 = "ipv4", f
		} else {
			f.name, f6 = "ipv6", f
		}
	} else {
		if cfg.Sources == nil {
			cfg.Sources = DefaultSources()
		}
		if cfg.HTTPSURLs == nil {
			cfg.HTTPSURLs = DefaultHTTPSURLs()
		}
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); f4 = detect(ctx, cfg, "ipv4", &used) }()
		go func() { defer wg.Done(); f6 = detect(ctx, cfg, "ipv6", &used) }()
		wg.Wait()
	}
	if f4 != nil {
		out.IPv4 = f4.addr
	}
	if f6 != nil {
		out.IPv6 = f6.addr
	}
	ptr4, ptr6 := reverse(ctx, cfg, out.IPv4, out.IPv6)

	r.Set("ipv4", addrFact(out.IPv4))
	r.Set("ipv6", addrFact(out.IPv6))
	if f4 != nil && len(f4.agreed) > 0 {
		r.Set("sources", f4.agreed)
	}
	if f6 != nil && len(f6.agreed) > 0 {
		r.Set("sources_ipv6", f6.agreed)
	}
	if answers := answerFacts(f4, f6); len(answers) > 0 {
		r.Set("answers", answers)
	}
	if p := used.Proxies(); len(p) > 0 {
		r.Set("proxy", p[0])
	}
	if ptr4 != "" {
		r.Set("ptr", ptr4)
	}
	if ptr6 != "" {
		r.Set("ptr_ipv6", ptr6)
	}

	out.Disagree = judgeIPv4(r, f4)
	if cfg.Given.IsValid() {
		judgeGiven(r, cfg.Given.Unmap())
	}
	if !out.IPv6.IsValid() && !cfg.Given.IsValid() {
		_, note := ipv6Missing(f6)
		r.Set("ipv6_note", note)
	}
	if len(cfg.ExpectIP) > 0 && out.IPv4.IsValid() {
		match := slices.ContainsFunc(cfg.ExpectIP, func(a netip.Addr) bool { return a.Unmap() == out.IPv4 })
		r.Set("expect_ip_match", match)
		if !match {
			via := "detected"
			if cfg.Given.IsValid() {
				via = "given with --public-ip"
			}
			r.Add(check.Finding{
				Severity: check.Fail, Code: code.IPMismatch,
				Message: fmt.Sprintf("This site leaves the Internet from %s (%s), but the inbound connector lists %s. "+
					"Exchange Online matches an IP-based connector by the source address, so mail from here is not "+
					"attributed to the tenant and relaying to outside recipients fails with 550 5.7.64. "+
					"Add the address to the connector: Set-InboundConnector -Identity \"<connector>\" "+
					"-SenderIPAddresses @{Add=\"%s\"}, or find out why this site leaves from another address.",
					out.IPv4, via, joinAddrs(cfg.ExpectIP), out.IPv4),
			})
		}
	}

	r.Summary = summary(out, f4, f6)
	r.Since(start)
	return out
}

// judgeIPv4 adds the findings about the IPv4 detection: only IPv4 matters to connectors and
// SPF, so IPv6 detection is reported as facts only. It reports whether the sources disagreed.
func judgeIPv4(r *check.Result, f *family) (disagree bool) {
	if f == nil || slices.Equal(f.agreed, []string{"given"}) {
		return false
	}
	votes := f.distinct()
	switch {
	case len(votes) == 0:
		r.Add(check.Finding{
			Severity: check.Warn, Code: code.PublicIPUndetected,
			Message: "The public IPv4 address could not be detected: " + failures(f) + ". " +
				"A firewall probably blocks DNS (UDP 53) to outside servers and direct HTTPS to the detection services. " +
				"Give the address with --public-ip (the site's firewall or router shows it); " +
				"the EHLO reply of Exchange Online (\"Hello [address]\") shows it too.",
		})
	case len(votes) > 1:
		var said []string
		for _, v := range votes {
			said = append(said, strings.Join(v.sources, " and ")+" saw "+v.addr.String())
		}
		r.Add(check.Finding{
			Severity: check.Warn, Code: code.PublicIPDisagree,
			Message: "The public-IP services disagree: " + strings.Join(said, "; ") + ". " +
				"This site leaves the Internet through more than one address (several egress NATs, a " +
				"load-balanced firewall or a proxy), or a firewall intercepts DNS. Mail on port 25 may leave from " +
				"any of them: each must be on the inbound connector (and in SPF for Direct Send), " +
				"or route mail through one fixed address. Using " + f.addr.String() + ".",
		})
		return true
	case len(votes[0].sources) < 2:
		r.Add(check.Finding{
			Severity: check.Warn, Code: code.PublicIPUnconfirmed,
			Message: fmt.Sprintf("Only %s answered (%s); no second source could confirm it (%s). "+
				"If it is wrong, give the right address with --public-ip.",
				votes[0].sources[0], votes[0].addr, failures(f)),
		})
	}
	return false
}

// detect asks every source of one family: the DNS sources at once, the HTTPS sources when the
// DNS sources have not agreed within HTTPSDelay or are done without agreeing.
func detect(ctx context.Context, cfg Config, fam string, used *webproxy.Used) *family {
	f := &family{name: fam}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait() // after cancel: no source outlives detection
	defer cancel()

	var servers []Source
	for _, s := range cfg.Sources {
		if serverFor(s, fam) != "" {
			servers = append(servers, s)
		}
	}
	answers := make(chan answer, len(servers)+len(cfg.HTTPSURLs))
	for i, s := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := askDNS(ctx, s, fam)
			a.order = i
			cfg.Logf.Printf("publicip: %s/%s: %s in %v", s.Name, fam, describe(a), a.rtt.Round(time.Millisecond))
			answers <- a
		}()
	}
	pending, dnsPending := len(servers), len(servers)
	f.asked = len(servers)

	httpsStarted := false
	startHTTPS := func() {
		httpsStarted = true
		if len(cfg.HTTPSURLs) == 0 {
			return
		}
		client := cfg.HTTPClient
		if client == nil {
			client = familyClient(fam, cfg.Proxy, cfg.RootCAs, used) // keep-alives are off: nothing idle to close
		}
		for i, u := range cfg.HTTPSURLs {
			pending++
			f.asked++
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := askHTTPS(ctx, client, u, fam)
				a.order = len(servers) + i
				if cfg.HTTPClient == nil {
					a.via = cfg.Proxy.Describe(u)
				}
				cfg.Logf.Printf("publicip: %s/%s: %s in %v", u, fam, describe(a), a.rtt.Round(time.Millisecond))
				answers <- a
			}()
		}
	}
	if dnsPending == 0 {
		startHTTPS()
	}
	timer := time.NewTimer(HTTPSDelay)
	defer timer.Stop()

loop:
	for pending > 0 {
		select {
		case a := <-answers:
			pending--
			if !a.https {
				dnsPending--
			}
			f.answers = append(f.answers, a)
			ok := agreed(f.answers)
			if dnsPending == 0 && !httpsStarted && !ok {
				startHTTPS()
			}
			if dnsPending == 0 && ok {
				break loop // every DNS source has spoken and two agree: the HTTPS ones are not needed
			}
		case <-timer.C:
			if !httpsStarted && !agreed(f.answers) {
				startHTTPS()
			}
		case <-ctx.Done():
			// The sources end at once with the context; what they saw until then (an answer
			// with the wrong id, garbage) says more than "did not finish".
			wg.Wait()
			for len(answers) > 0 {
				f.answers = append(f.answers, <-answers)
			}
			break loop
		}
	}
	slices.SortFunc(f.answers, func(a, b answer) int { return a.order - b.order })
	if votes := f.distinct(); len(votes) > 0 {
		f.addr, f.agreed = votes[0].addr, votes[0].sources
	}
	return f
}

func serverFor(s Source, fam string) string {
	if fam == "ipv4" {
		return s.Server4
	}
	return s.Server6
}

// askDNS asks one DNS source over a socket of the family.
func askDNS(ctx context.Context, s Source, fam string) answer {
	a := answer{source: s.Name}
	ctx, cancel := context.WithTimeout(ctx, DNSQueryTimeout)
	defer cancel()
	network, qtype, qclass := "udp4", dns.TypeA, uint16(dns.ClassINET)
	if fam == "ipv6" {
		network, qtype = "udp6", dns.TypeAAAA
	}
	switch s.Query {
	case QueryTXT:
		qtype = dns.TypeTXT
	case QueryChaosTXT:
		qtype, qclass = dns.TypeTXT, dns.ClassCHAOS
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(s.QName), qtype)
	m.Question[0].Qclass = qclass
	resp, rtt, err := resolve.Exchange(ctx, m, network, serverFor(s, fam))
	a.rtt = rtt
	if err != nil {
		a.err = err
		return a
	}
	if resp.Rcode != dns.RcodeSuccess {
		a.err = &rcodeError{source: s.Name, rcode: resp.Rcode}
		return a
	}
	var candidates []string
	for _, rr := range resp.Answer {
		switch rr := rr.(type) {
		case *dns.A:
			candidates = append(candidates, rr.A.String())
		case *dns.AAAA:
			candidates = append(candidates, rr.AAAA.String())
		case *dns.TXT:
			// Google adds "edns0-client-subnet a.b.c.0/24" when asked through a resolver.
			candidates = append(candidates, rr.Txt...)
		}
	}
	a.addr, a.err = pick(candidates, fam)
	return a
}

// rcodeError is a DNS source that answered with an error code, such as REFUSED from a
// firewall's DNS proxy.
type rcodeError struct {
	source string
	rcode  int
}

func (e *rcodeError) Error() string {
	return fmt.Sprintf("publicip: %s answered %s", e.source, dns.RcodeToString[e.rcode])
}

// askHTTPS asks one HTTPS source; the body is the address as text.
func askHTTPS(ctx context.Context, client *http.Client, url, fam string) answer {
	a := answer{source: url, https: true}
	ctx, cancel := context.WithTimeout(ctx, HTTPSTimeout)
	defer cancel()
	start := time.Now()
	defer func() { a.rtt = time.Since(start) }()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		a.err = fmt.Errorf("publicip: %w", err)
		return a
	}
	req.Header.Set("User-Agent", "exoprobe")
	resp, err := client.Do(req)
	if err != nil {
		a.err = err
		return a
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		a.err = &sourceError{"answered HTTP " + resp.Status + ", not an address"}
		return a
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/html" {
		a.err = &sourceError{"answered with a web page (text/html), not an address: a proxy or captive portal answers in its place"}
		return a
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		a.err = fmt.Errorf("publicip: reading %s: %w", url, err)
		return a
	}
	if len(body) > maxBody {
		a.err = &sourceError{fmt.Sprintf("sent more than %d bytes, which no address is: something else answers in its place", maxBody)}
		return a
	}
	a.addr, a.err = pick([]string{string(body)}, fam)
	return a
}

// pick returns the first candidate that is an address of the family.
func pick(candidates []string, fam string) (netip.Addr, error) {
	for _, c := range candidates {
		addr, err := netip.ParseAddr(strings.TrimSpace(c))
		if err != nil {
			continue
		}
		addr = addr.Unmap()
		if (fam == "ipv4") == addr.Is4() {
			return addr, nil
		}
	}
	if len(candidates) == 0 {
		return netip.Addr{}, &sourceError{"the answer holds no address"}
	}
	return netip.Addr{}, &sourceError{fmt.Sprintf("the answer %q holds no %s address", cut(strings.Join(candidates, " "), 60), fam)}
}

// sourceError is an answer that holds no usable address; msg says why in words.
type sourceError struct{ msg string }

func (e *sourceError) Error() string { return "publicip: " + e.msg }

// familyClient returns an HTTPS client whose connections are all of one family, through the
// proxy p chooses (noted in used): then the family is the one of the connection to the proxy.
func familyClient(fam string, p webproxy.Settings, roots *x509.CertPool, used *webproxy.Used) *http.Client {
	network := "tcp4"
	if fam == "ipv6" {
		network = "tcp6"
	}
	d := &net.Dialer{Timeout: HTTPSTimeout}
	return &http.Client{
		Timeout: HTTPSTimeout,
		Transport: &http.Transport{
			Proxy:           p.ProxyFunc(used),
			TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: roots},
			DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
				return d.DialContext(ctx, network, addr)
			},
			TLSHandshakeTimeout:    HTTPSTimeout,
			ResponseHeaderTimeout:  HTTPSTimeout,
			DisableKeepAlives:      true,
			MaxResponseHeaderBytes: 16 << 10,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// reverse looks up the names of the detected addresses, both at once.
func reverse(ctx context.Context, cfg Config, v4, v6 netip.Addr) (ptr4, ptr6 string) {
	if !v4.IsValid() && !v6.IsValid() {
		return "", ""
	}
	r := cfg.Lookup
	if r == nil {
		r = resolve.New(cfg.Resolver, PTRTimeout)
	}
	ctx, cancel := context.WithTimeout(ctx, PTRTimeout)
	defer cancel()
	one := func(a netip.Addr) string {
		if !a.IsValid() {
			return ""
		}
		names, err := r.LookupAddr(ctx, a.String())
		switch {
		case resolve.IsNotFound(err):
			return "(none)"
		case err != nil:
			cfg.Logf.Printf("publicip: reverse look-up of %s: %v", a, err)
			return ""
		}
		for i := range names {
			names[i] = strings.TrimSuffix(names[i], ".")
		}
		return strings.Join(names, ", ")
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); ptr6 = one(v6) }()
	ptr4 = one(v4)
	wg.Wait()
	return ptr4, ptr6
}

// answerFacts lists every source's answer per family: the address, or what went wrong.
func answerFacts(fs ...*family) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, f := range fs {
		if f == nil || len(f.answers) == 0 {
			continue
		}
		m := map[string]string{}
		for _, a := range f.answers {
			m[a.source] = describe(a)
			if a.via != "" && a.err == nil {
				m[a.source] += " (through the proxy " + a.via + ": its address, not necessarily the one mail leaves from)"
			}
		}
		out[f.name] = m
	}
	return out
}

// failures says, for the finding, what each source of the family did.
func failures(f *family) string {
	if f.asked == 0 {
		return "no source was configured"
	}
	var parts []string
	for _, a := range f.answers {
		if a.err != nil {
			parts = append(parts, a.source+": "+describe(a))
		}
	}
	if missing := f.asked - len(f.answers); missing > 0 {
		parts = append(parts, fmt.Sprintf("%d more did not finish in time", missing))
	}
	return strings.Join(parts, "; ")
}

// describe renders an answer for facts and messages.
func describe(a answer) string {
	if a.err == nil {
		return a.addr.String()
	}
	var (
		ne net.Error
		re *rcodeError
		se *sourceError
		op *net.OpError
	)
	switch {
	case errors.As(a.err, &re):
		return "answered " + dns.RcodeToString[re.rcode]
	case errors.As(a.err, &se):
		return se.msg
	case errors.Is(a.err, resolve.ErrWrongID), errors.Is(a.err, resolve.ErrMalformed):
		return resolve.Reason(a.err) // what came instead of an answer says more than the timeout
	case errors.Is(a.err, context.DeadlineExceeded), errors.As(a.err, &ne) && ne.Timeout():
		return "no answer (timed out)"
	case errors.Is(a.err, context.Canceled):
		return "not needed (cancelled)"
	case !a.https:
		return resolve.Reason(a.err)
	case errors.As(a.err, &op) && op.Err != nil:
		return "cannot connect: " + op.Err.Error()
	}
	return a.err.Error()
}

func summary(out Outcome, f4, f6 *family) string {
	var b strings.Builder
	if out.IPv4.IsValid() {
		fmt.Fprintf(&b, "%s (%s)", out.IPv4, strings.Join(f4.agreed, ", "))
	} else {
		b.WriteString("IPv4 not detected")
	}
	if out.IPv6.IsValid() {
		fmt.Fprintf(&b, "; IPv6 %s", out.IPv6)
	} else {
		words, _ := ipv6Missing(f6)
		b.WriteString("; " + words)
	}
	return b.String()
}

// ipv6Missing says, in a few words for the summary and in a sentence for the facts, why no
// IPv6 address was found: none was looked for (an address given with --public-ip, or no IPv6
// source), every source ran out of time (or was cancelled with the run) so that nothing is known,
// or the sources failed at once or gave no address, as they do on a site without an IPv6 route.
func ipv6Missing(f *family) (words, note string) {
	if f == nil || f.asked == 0 {
		return "IPv6 not checked", "IPv6 not checked: no IPv6 source was asked"
	}
	for _, a := range f.answers {
		var ne net.Error
		timedOut := errors.Is(a.err, context.DeadlineExceeded) || errors.Is(a.err, context.Canceled) ||
			errors.As(a.err, &ne) && ne.Timeout()
		if !timedOut {
			return "IPv6 not detected", "no IPv6 address detected: the IPv6 sources could not be reached or gave no address, " +
				"as on a site without an IPv6 route to the Internet, which is normal"
		}
	}
	return "IPv6 detection failed", "IPv6 detection failed: no IPv6 source answered in time, so whether this site reaches " +
		"the Internet over IPv6 is not known (connectors and SPF need IPv4 only)"
}

// noAnswer reports whether IPv6 detection learnt nothing: no source of the family was asked,
// or every one ran out of time (or was cancelled with the run) before it answered. A source that
// failed at once, such as one with no route to it, did answer the question of whether the site
// has IPv6.
func noAnswer(f *family) bool {
	if f == nil {
		return true
	}
	for _, a := range f.answers {
		var ne net.Error
		timedOut := errors.Is(a.err, context.DeadlineExceeded) || errors.Is(a.err, context.Canceled) ||
			errors.As(a.err, &ne) && ne.Timeout()
		if !timedOut {
			return false
		}
	}
	return true
}

func addrFact(a netip.Addr) any {
	if !a.IsValid() {
		return nil
	}
	return a.String()
}

func joinAddrs(as []netip.Addr) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
