package resolve

import (
	"context"
	"errors"
	"net"

	"blitiri.com.ar/go/spf"
)

// SPF adapts r to the resolver blitiri.com.ar/go/spf takes (spf.WithResolver), so that SPF
// evaluation asks the same server as the rest of the run. That library tells a missing record
// from a failure by asserting *net.DNSError (not errors.As), so errors are handed over as
// *net.DNSError with IsNotFound, IsTimeout and IsTemporary set from r's error.
func SPF(r Resolver) spf.DNSResolver { return spfResolver{r} }

type spfResolver struct{ r Resolver }

func (s spfResolver) LookupTXT(ctx context.Context, name string) ([]string, error) {
	txt, err := s.r.LookupTXT(ctx, name)
	return txt, netDNSError(name, err)
}

func (s spfResolver) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	mx, err := s.r.LookupMX(ctx, name)
	return mx, netDNSError(name, err)
}

func (s spfResolver) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	addrs, err := s.r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, netDNSError(host, err)
	}
	out := make([]net.IPAddr, len(addrs))
	for i, a := range addrs {
		out[i] = net.IPAddr{IP: a.AsSlice(), Zone: a.Zone()}
	}
	return out, nil
}

func (s spfResolver) LookupAddr(ctx context.Context, addr string) ([]string, error) {
	names, err := s.r.LookupAddr(ctx, addr)
	return names, netDNSError(addr, err)
}

// netDNSError converts err into the *net.DNSError the spf library expects; nil stays nil.
func netDNSError(name string, err error) error {
	if err == nil {
		return nil
	}
	de := &net.DNSError{Err: err.Error(), Name: name, UnwrapErr: err}
	var e *Error
	if errors.As(err, &e) {
		de.Server = e.Server
		de.IsNotFound = e.NotFound
		de.IsTimeout = e.Timeout()
		de.IsTemporary = e.Temporary()
		return de
	}
	var ne net.Error
	de.IsTimeout = errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
	de.IsTemporary = true
	return de
}
