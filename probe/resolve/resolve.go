// Package resolve is the small DNS client the network checks share: the system's resolver, or
// one server asked directly (with miekg/dns) so that a run can be pointed at a chosen resolver
// or at an in-process server in tests. A name that does not exist, or has no record of the type
// asked, is told apart from a failure: errors.Is(err, ErrNotFound).
package resolve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/exoprobe/exoprobe/probe/idn"
)

// DefaultQueryTimeout bounds one look-up (all its attempts, a retry over TCP and the CNAMEs it
// follows) when New is given no timeout. A resolver that has not answered by then is not
// going to.
const DefaultQueryTimeout = 3 * time.Second

// Resolver looks up the records the checks need. Every method takes a context and gives up at
// its deadline; a look-up with no record returns an error for which IsNotFound is true.
type Resolver interface {
	// LookupMX returns the MX records of name sorted by preference, hosts fully qualified.
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	// LookupTXT returns the TXT records of name, each with its strings joined.
	LookupTXT(ctx context.Context, name string) ([]string, error)
	// LookupNetIP returns the addresses of host: network "ip4" asks for A, "ip6" for AAAA,
	// "ip" for both. An IP literal is returned as it is.
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
	// LookupAddr returns the names (PTR) of an address, fully qualified.
	LookupAddr(ctx context.Context, addr string) ([]string, error)
}

// New returns a resolver. server "" is the system's resolver (net.Resolver, which works the
// same on Linux, macOS and Windows); "host:port" or "host" (port 53) asks that server directly
// over UDP, again over TCP when an answer is truncated. timeout bounds each look-up;
// 0 means DefaultQueryTimeout.
func New(server string, timeout time.Duration) Resolver {
	if timeout <= 0 {
		timeout = DefaultQueryTimeout
	}
	if server == "" {
		return aLabels{&system{r: &net.Resolver{}, timeout: timeout}}
	}
	return aLabels{&direct{server: ServerAddr(server), timeout: timeout}}
}

// aLabels asks every name in its A-label form (idn.ToASCII), whoever called: a raw UTF-8 name
// such as bücher.de never reaches DNS, where it would match nothing or be refused by a proxy.
// A name IDNA cannot write fails as a look-up of that name.
type aLabels struct{ r Resolver }

// name returns the name to ask for name, or the failure of the look-up of type typ.
func (aLabels) name(name, typ string) (string, error) {
	if idn.IsASCII(name) {
		return name, nil
	}
	a, err := idn.ToASCII(strings.TrimSuffix(name, "."))
	if err != nil {
		return "", &Error{Name: name, Type: typ, Rcode: -1, Err: fmt.Errorf("the name %w", err)}
	}
	return a, nil
}

func (a aLabels) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	n, err := a.name(name, "MX")
	if err != nil {
		return nil, err
	}
	return a.r.LookupMX(ctx, n)
}

func (a aLabels) LookupTXT(ctx context.Context, name string) ([]string, error) {
	n, err := a.name(name, "TXT")
	if err != nil {
		return nil, err
	}
	return a.r.LookupTXT(ctx, n)
}

func (a aLabels) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	n, err := a.name(host, "A")
	if err != nil {
		return nil, err
	}
	return a.r.LookupNetIP(ctx, network, n)
}

func (a aLabels) LookupAddr(ctx context.Context, addr string) ([]string, error) {
	return a.r.LookupAddr(ctx, addr)
}

// ServerAddr adds port 53 to a server given without one ("192.0.2.53", "2001:db8::53",
// "dns.example"); "host:port" and "[v6]:port" are returned as they are.
func ServerAddr(server string) string {
	if _, _, err := net.SplitHostPort(server); err == nil {
		return server
	}
	if a, err := netip.ParseAddr(server); err == nil {
		return netip.AddrPortFrom(a, 53).String()
	}
	return net.JoinHostPort(server, "53")
}

// ErrNotFound is matched by errors.Is for a name that does not exist (NXDOMAIN) or that has no
// record of the type asked (NODATA).
var ErrNotFound = errors.New("resolve: no such record")

// Error is a failed look-up.
type Error struct {
	Name   string // the name asked
	Type   string // the record type asked: "MX", "TXT", "A", "AAAA", "PTR"
	Server string // the server asked (host:port); "" for the system's resolver
	// Rcode is the DNS response code when the server answered with one (dns.RcodeNameError for
	// NXDOMAIN, dns.RcodeServerFailure, ...); -1 when no answer came or the system's resolver
	// does not say.
	Rcode int
	// NotFound is set when the name does not exist or has no record of the type.
	NotFound bool
	// Err is the underlying failure, such as a timeout, when there is one.
	Err error

	// limit is how long the look-up could wait for an answer, for the words of a timeout;
	// zero when not known.
	limit time.Duration
}

// Error says what failed in words a helpdesk engineer can act on:
// "resolve: MX contoso.com: no answer within 3 s (asked 192.0.2.53:53)".
func (e *Error) Error() string {
	s := fmt.Sprintf("resolve: %s %s: %s", e.Type, e.Name, e.what())
	if e.Server != "" {
		s += " (asked " + e.Server + ")"
	}
	return s
}

// what is the failure without the name and the server.
func (e *Error) what() string {
	switch {
	case e.Rcode == dns.RcodeNameError:
		return "no such domain (NXDOMAIN)"
	case e.NotFound:
		return "no " + e.Type + " record"
	case e.Rcode > 0:
		return "the DNS server answered " + rcodeName(e.Rcode) + rcodeWords(e.Rcode)
	case e.Err != nil:
		return reason(e.Err, e.limit)
	}
	return "failed"
}

// Unwrap returns the underlying failure.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNotFound) true for NXDOMAIN and NODATA.
func (e *Error) Is(target error) bool { return target == ErrNotFound && e.NotFound }

// NXDomain reports a name that does not exist, as opposed to one without the record type.
func (e *Error) NXDomain() bool { return e.Rcode == dns.RcodeNameError }

// Timeout reports a look-up that got no answer in time. With Temporary it makes *Error a
// net.Error.
func (e *Error) Timeout() bool {
	if errors.Is(e.Err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(e.Err, &ne) && ne.Timeout()
}

// Temporary reports a failure that may go away when asked again: anything but NXDOMAIN,
// NODATA and a refusal.
func (e *Error) Temporary() bool {
	return !e.NotFound && e.Rcode != dns.RcodeRefused && e.Rcode != dns.RcodeFormatError
}

// IsNotFound reports whether err says the name or the record does not exist.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

func rcodeName(rc int) string {
	if s, ok := dns.RcodeToString[rc]; ok {
		return s
	}
	return fmt.Sprintf("rcode %d", rc)
}

// typeName names a record type for errors.
func typeName(t uint16) string {
	if s, ok := dns.TypeToString[t]; ok {
		return s
	}
	return fmt.Sprintf("TYPE%d", t)
}
