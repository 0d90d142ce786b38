package resolve

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// maxCNAMEs bounds the CNAME chain a look-up follows.
const maxCNAMEs = 8

// ednsSize is the UDP payload size advertised with EDNS0 (the DNS flag day 2020 value): large
// enough for most SPF TXT answers, small enough to avoid IP fragmentation.
const ednsSize = 1232

// direct asks one server with miekg/dns.
type direct struct {
	server  string
	timeout time.Duration
}

func (d *direct) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	rrs, err := d.lookup(ctx, name, dns.TypeMX)
	if err != nil {
		return nil, err
	}
	out := make([]*net.MX, 0, len(rrs))
	for _, rr := range rrs {
		if mx, ok := rr.(*dns.MX); ok {
			out = append(out, &net.MX{Host: mx.Mx, Pref: mx.Preference})
		}
	}
	sortMX(out)
	return out, nil
}

func (d *direct) LookupTXT(ctx context.Context, name string) ([]string, error) {
	rrs, err := d.lookup(ctx, name, dns.TypeTXT)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(rrs))
	for _, rr := range rrs {
		if txt, ok := rr.(*dns.TXT); ok {
			// As net.Resolver does: the character-strings of one record, joined.
			out = append(out, strings.Join(txt.Txt, ""))
		}
	}
	return out, nil
}

func (d *direct) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	switch network {
	case "ip4":
		return d.addrs(ctx, host, dns.TypeA)
	case "ip6":
		return d.addrs(ctx, host, dns.TypeAAAA)
	case "ip":
	default:
		_, err := networkType(network)
		return nil, err
	}
	var (
		wg         sync.WaitGroup
		a4, a6     []netip.Addr
		err4, err6 error
	)
	wg.Add(2)
	go func() { defer wg.Done(); a4, err4 = d.addrs(ctx, host, dns.TypeA) }()
	go func() { defer wg.Done(); a6, err6 = d.addrs(ctx, host, dns.TypeAAAA) }()
	wg.Wait()
	out := append(a4, a6...)
	if len(out) > 0 {
		return out, nil
	}
	switch {
	case IsNotFound(err4) && IsNotFound(err6):
		return nil, err4
	case err4 != nil && !IsNotFound(err4):
		return nil, err4
	case err6 != nil:
		return nil, err6
	}
	return nil, &Error{Name: host, Type: "A", Server: d.server, Rcode: dns.RcodeSuccess, NotFound: true}
}

func (d *direct) addrs(ctx context.Context, host string, qtype uint16) ([]netip.Addr, error) {
	rrs, err := d.lookup(ctx, host, qtype)
	if err != nil {
		return nil, err
	}
	var out []netip.Addr
	for _, rr := range rrs {
		var ip net.IP
		switch rr := rr.(type) {
		case *dns.A:
			ip = rr.A
		case *dns.AAAA:
			ip = rr.AAAA
		}
		if a, ok := netip.AddrFromSlice(ip); ok {
			out = append(out, a.Unmap())
		}
	}
	return out, nil
}

func (d *direct) LookupAddr(ctx context.Context, addr string) ([]string, error) {
	arpa, err := dns.ReverseAddr(addr)
	if err != nil {
		return nil, &Error{Name: addr, Type: "PTR", Server: d.server, Rcode: -1,
			Err: fmt.Errorf("resolve: not an IP address: %q", addr)}
	}
	rrs, err := d.lookup(ctx, arpa, dns.TypePTR)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Name = addr
		}
		return nil, err
	}
	var out []string
	for _, rr := range rrs {
		if p, ok := rr.(*dns.PTR); ok {
			out = append(out, p.Ptr)
		}
	}
	return out, nil
}

// lookup asks the server for name's records of qtype (class IN), following CNAMEs the
// answer does not resolve itself. Records of the type are returned; none is an *Error with
// NotFound set.
func (d *direct) lookup(ctx context.Context, name string, qtype uint16) ([]dns.RR, error) {
	limit := d.timeout
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < limit {
		limit = time.Until(dl).Round(10 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	fail := func(rcode int, notFound bool, err error) error {
		return &Error{Name: name, Type: typeName(qtype), Server: d.server, Rcode: rcode, NotFound: notFound, Err: err,
			limit: limit}
	}
	qname := dns.Fqdn(name)
	for range maxCNAMEs {
		m := new(dns.Msg)
		m.SetQuestion(qname, qtype)
		m.SetEdns0(ednsSize, false)
		resp, err := d.exchange(ctx, m)
		if err != nil {
			return nil, fail(-1, false, err)
		}
		if resp.Rcode == dns.RcodeFormatError {
			// An old server that does not speak EDNS0: ask again without it.
			m.Extra = nil
			if resp, err = d.exchange(ctx, m); err != nil {
				return nil, fail(-1, false, err)
			}
		}
		switch resp.Rcode {
		case dns.RcodeSuccess:
		case dns.RcodeNameError:
			return nil, fail(resp.Rcode, true, nil)
		default:
			return nil, fail(resp.Rcode, false, nil)
		}
		var (
			found  []dns.RR
			target = qname
		)
		// Walk the chain in the answer: a recursive server returns the CNAMEs and the records
		// at their end together.
		for range maxCNAMEs {
			next := ""
			for _, rr := range resp.Answer {
				h := rr.Header()
				if !strings.EqualFold(h.Name, target) || h.Class != dns.ClassINET {
					continue
				}
				if h.Rrtype == qtype {
					found = append(found, rr)
				} else if c, ok := rr.(*dns.CNAME); ok {
					next = c.Target
				}
			}
			if len(found) > 0 || next == "" {
				break
			}
			target = next
		}
		if len(found) > 0 {
			for _, rr := range found {
				if incomplete(rr) {
					return nil, fail(-1, false, &exchangeError{err: ErrMalformed})
				}
			}
			return found, nil
		}
		if strings.EqualFold(target, qname) {
			return nil, fail(resp.Rcode, true, nil) // NODATA
		}
		qname = target // an authoritative server that left the CNAME's target to us
	}
	return nil, fail(-1, false, errors.New("resolve: CNAME chain too long"))
}

// incomplete reports whether rr's data stops short: miekg/dns decodes a record whose data
// ends early without an error, leaving the missing fields empty. A record without data, or an
// MX with a preference but no host, is not a null MX or an empty TXT: it is broken on the way
// and must not read as one. (A real null MX, RFC 7505, has the root "." as its host.)
func incomplete(rr dns.RR) bool {
	if rr.Header().Rdlength == 0 {
		return true
	}
	if mx, ok := rr.(*dns.MX); ok && mx.Mx == "" {
		return true
	}
	return false
}

// exchange sends m to the server over UDP, once more if the first try gets no answer in half
// the time left, and over TCP when the answer is truncated.
func (d *direct) exchange(ctx context.Context, m *dns.Msg) (*dns.Msg, error) {
	deadline, _ := ctx.Deadline()
	first, cancel := context.WithDeadline(ctx, time.Now().Add(time.Until(deadline)/2))
	resp, _, err := Exchange(first, m, "udp", d.server)
	cancel()
	var ne net.Error
	if err != nil && ctx.Err() == nil && errors.As(err, &ne) && ne.Timeout() {
		m.Id = dns.Id()
		var again error
		resp, _, again = Exchange(ctx, m, "udp", d.server)
		err = mergeIgnored(again, err)
	}
	return resp, err
}

// maxMessage is the largest DNS message: the buffer every answer is read into. An answer
// over UDP that is larger than the EDNS0 size asked for is still read whole.
const maxMessage = dns.MaxMsgSize

// Exchange sends m to server (host:port) over network ("udp", "udp4" or "udp6") and returns
// the answer and the round-trip time. A truncated answer is asked again over TCP of the same
// family. The context's deadline bounds the whole exchange and cancelling it ends it.
//
// Over UDP, an answer with the wrong message id or one that is not a valid DNS message is
// ignored and the wait goes on, so that a stray or forged packet cannot spoil the exchange;
// when no valid answer comes, the error says how many were ignored (errors.Is ErrWrongID,
// ErrMalformed). An answer whose question differs from m's is an error (ErrOtherQuestion), and
// so is one that is still truncated over TCP (ErrTruncated). Reason says what went wrong in words.
func Exchange(ctx context.Context, m *dns.Msg, network, server string) (*dns.Msg, time.Duration, error) {
	resp, rtt, err := exchangeOnce(ctx, m, network, server)
	if err != nil || !resp.Truncated || !strings.HasPrefix(network, "udp") {
		return resp, rtt, err
	}
	tcp := "tcp" + strings.TrimPrefix(network, "udp")
	resp, rtt, err = exchangeOnce(ctx, m, tcp, server)
	if err == nil && resp.Truncated && len(resp.Answer) == 0 {
		err = &exchangeError{network: tcp, err: ErrTruncated}
	}
	if err != nil {
		var ee *exchangeError
		if errors.As(err, &ee) {
			ee.afterTruncation = true
		}
		return nil, rtt, err
	}
	return resp, rtt, nil
}

func exchangeOnce(ctx context.Context, m *dns.Msg, network, server string) (*dns.Msg, time.Duration, error) {
	fail := func(err error) error { return &exchangeError{network: network, err: err} }
	d := net.Dialer{Timeout: DefaultQueryTimeout}
	nc, err := d.DialContext(ctx, network, server)
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, 0, fail(err)
	}
	conn := &dns.Conn{Conn: nc}
	defer conn.Close()
	// A deadline bounds each read and write; cancelling the context closes the connection.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	dl := time.Now().Add(DefaultQueryTimeout)
	if cdl, ok := ctx.Deadline(); ok && cdl.Before(dl) {
		dl = cdl
	}
	_ = conn.SetDeadline(dl)

	start := time.Now()
	if err := conn.WriteMsg(m); err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, 0, fail(err)
	}
	udp := strings.HasPrefix(network, "udp")
	buf := make([]byte, maxMessage)
	ee := &exchangeError{network: network}
	for {
		n, err := conn.Read(buf)
		rtt := time.Since(start)
		if err != nil {
			if ctx.Err() != nil {
				err = ctx.Err()
			}
			ee.err = err
			return nil, rtt, ee
		}
		resp := new(dns.Msg)
		if err := resp.Unpack(buf[:n]); err != nil || !resp.Response {
			if !udp {
				ee.err = ErrMalformed
				return nil, rtt, ee
			}
			ee.malformed++
			continue
		}
		if resp.Id != m.Id {
			if !udp {
				ee.err = ErrWrongID
				return nil, rtt, ee
			}
			ee.wrongID++
			continue
		}
		if len(resp.Question) != 1 || len(m.Question) != 1 ||
			!strings.EqualFold(resp.Question[0].Name, m.Question[0].Name) ||
			resp.Question[0].Qtype != m.Question[0].Qtype {
			ee.err = ErrOtherQuestion
			return nil, rtt, ee
		}
		return resp, rtt, nil
	}
}

// sortMX orders MX records by preference, keeping the server's order within one preference.
func sortMX(mx []*net.MX) {
	slices.SortStableFunc(mx, func(a, b *net.MX) int { return cmp.Compare(a.Pref, b.Pref) })
}

func networkType(network string) (string, error) {
	switch network {
	case "ip4":
		return "A", nil
	case "ip6":
		return "AAAA", nil
	case "ip":
		return "A", nil
	}
	return "", fmt.Errorf("resolve: unknown network %q (want ip, ip4 or ip6)", network)
}
