// Package resolvetest runs an in-process DNS server on 127.0.0.1 for tests of the network
// checks: UDP and TCP on the same port, answering from records given as zone-file lines, so
// that no test ever asks a real server.
package resolvetest

import (
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// Query is one question the server received.
type Query struct {
	Name  string // lower case, fully qualified
	Type  uint16
	Class uint16
	Net   string // "udp" or "tcp"
}

// Server is a DNS server on 127.0.0.1. Its zero value is not usable: use Start.
type Server struct {
	// Addr is the host:port the server listens on, over UDP and TCP.
	Addr string

	mu      sync.Mutex // guards records, opts and queries
	records []dns.RR
	opts    Options
	queries []Query

	udp, tcp *dns.Server
}

// Options change how the server answers.
type Options struct {
	// TruncateUDP answers every UDP question with TC set and no records, so that a client
	// must ask again over TCP.
	TruncateUDP bool
	// Rcode answers questions for these names (lower case, fully qualified) with the code,
	// such as dns.RcodeServerFailure.
	Rcode map[string]int
	// Silent names get no answer at all, as behind a firewall that drops the packets.
	Silent map[string]bool
	// Delay holds every answer back this long.
	Delay time.Duration
	// NoChase answers a name that is a CNAME with the CNAME alone, as an authoritative server
	// does when the target lies outside its zone, so that the client must follow it.
	NoChase bool
}

// Start runs a server answering from records, each a zone-file line such as
// "contoso.com. 300 IN MX 0 contoso-com.mail.protection.outlook.com." (the class may be CH).
// The server stops when the test ends.
func Start(tb testing.TB, opts Options, records ...string) *Server {
	tb.Helper()
	s := &Server{opts: opts}
	for _, line := range records {
		rr, err := dns.NewRR(line)
		if err != nil {
			tb.Fatalf("resolvetest: bad record %q: %v", line, err)
		}
		s.records = append(s.records, rr)
	}
	pc, l := listen(tb)
	s.Addr = pc.LocalAddr().String()
	started := make(chan struct{}, 2)
	notify := func() { started <- struct{}{} }
	s.udp = &dns.Server{PacketConn: pc, Handler: s.handler("udp"), NotifyStartedFunc: notify}
	s.tcp = &dns.Server{Listener: l, Handler: s.handler("tcp"), NotifyStartedFunc: notify}
	go func() { _ = s.udp.ActivateAndServe() }()
	go func() { _ = s.tcp.ActivateAndServe() }()
	<-started
	<-started
	tb.Cleanup(func() {
		_ = s.udp.Shutdown()
		_ = s.tcp.Shutdown()
	})
	return s
}

// listen binds UDP and TCP on the same free port of 127.0.0.1.
func listen(tb testing.TB) (net.PacketConn, net.Listener) {
	tb.Helper()
	var lastErr error
	for range 20 {
		pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			tb.Fatalf("resolvetest: %v", err)
		}
		port := pc.LocalAddr().(*net.UDPAddr).Port
		l, err := net.Listen("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err == nil {
			return pc, l
		}
		lastErr = err
		pc.Close()
	}
	tb.Fatalf("resolvetest: no port free for both UDP and TCP: %v", lastErr)
	return nil, nil
}

// Queries returns the questions received so far, in order.
func (s *Server) Queries() []Query {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Query(nil), s.queries...)
}

// Add adds records (zone-file lines) while the server runs.
func (s *Server) Add(tb testing.TB, records ...string) {
	tb.Helper()
	for _, line := range records {
		rr, err := dns.NewRR(line)
		if err != nil {
			tb.Fatalf("resolvetest: bad record %q: %v", line, err)
		}
		s.mu.Lock()
		s.records = append(s.records, rr)
		s.mu.Unlock()
	}
}

func (s *Server) handler(network string) dns.HandlerFunc {
	return func(w dns.ResponseWriter, req *dns.Msg) {
		if len(req.Question) != 1 {
			m := new(dns.Msg)
			m.SetRcode(req, dns.RcodeFormatError)
			_ = w.WriteMsg(m)
			return
		}
		q := req.Question[0]
		name := strings.ToLower(q.Name)
		s.mu.Lock()
		s.queries = append(s.queries, Query{Name: name, Type: q.Qtype, Class: q.Qclass, Net: network})
		opts := s.opts
		records := s.records
		s.mu.Unlock()

		if opts.Silent[name] {
			return
		}
		if opts.Delay > 0 {
			time.Sleep(opts.Delay)
		}
		m := new(dns.Msg)
		m.SetReply(req)
		m.Authoritative = true
		if rc, ok := opts.Rcode[name]; ok {
			m.Rcode = rc
			_ = w.WriteMsg(m)
			return
		}
		if network == "udp" && opts.TruncateUDP {
			m.Truncated = true
			_ = w.WriteMsg(m)
			return
		}
		m.Answer, m.Rcode = answer(records, name, q.Qtype, q.Qclass, opts.NoChase)
		_ = w.WriteMsg(m)
	}
}

// answer finds the records for a question, following CNAMEs inside the zone, and the rcode:
// NXDOMAIN for a name the zone does not hold, NOERROR with no records (NODATA) otherwise.
func answer(records []dns.RR, name string, qtype, qclass uint16, noChase bool) ([]dns.RR, int) {
	var out []dns.RR
	for hop := 0; hop < 8; hop++ {
		known, cname := false, ""
		var found []dns.RR
		for _, rr := range records {
			h := rr.Header()
			if !strings.EqualFold(h.Name, name) {
				continue
			}
			known = true
			if h.Class != qclass {
				continue
			}
			switch {
			case h.Rrtype == qtype:
				found = append(found, rr)
			case h.Rrtype == dns.TypeCNAME && qtype != dns.TypeCNAME:
				cname = rr.(*dns.CNAME).Target
				out = append(out, rr)
			}
		}
		if len(found) > 0 {
			return append(out, found...), dns.RcodeSuccess
		}
		if cname == "" || noChase {
			if !known && len(out) == 0 {
				return nil, dns.RcodeNameError
			}
			return out, dns.RcodeSuccess
		}
		name = strings.ToLower(cname)
	}
	return out, dns.RcodeSuccess
}
