package resolve

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"time"
)

// system asks the operating system's resolver through net.Resolver.
type system struct {
	r       *net.Resolver
	timeout time.Duration
}

func (s *system) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	mx, err := s.r.LookupMX(ctx, name)
	if err != nil && len(mx) == 0 {
		return nil, s.fail(name, "MX", err)
	}
	sortMX(mx)
	return mx, nil
}

func (s *system) LookupTXT(ctx context.Context, name string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	txt, err := s.r.LookupTXT(ctx, name)
	if err != nil && len(txt) == 0 {
		return nil, s.fail(name, "TXT", err)
	}
	return txt, nil
}

func (s *system) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	typ, err := networkType(network)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	addrs, err := s.r.LookupNetIP(ctx, network, host)
	if err != nil && len(addrs) == 0 {
		return nil, s.fail(host, typ, err)
	}
	for i, a := range addrs {
		addrs[i] = a.Unmap()
	}
	return addrs, nil
}

func (s *system) LookupAddr(ctx context.Context, addr string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	names, err := s.r.LookupAddr(ctx, addr)
	if err != nil && len(names) == 0 {
		return nil, s.fail(addr, "PTR", err)
	}
	return names, nil
}

// fail is systemError with the look-up's time limit, for the words of a timeout.
func (s *system) fail(name, typ string, err error) error {
	e := systemError(name, typ, err)
	e.(*Error).limit = s.timeout
	return e
}

// systemError turns the standard library's *net.DNSError into *Error.
func systemError(name, typ string, err error) error {
	e := &Error{Name: name, Type: typ, Rcode: -1, Err: err}
	var de *net.DNSError
	if errors.As(err, &de) {
		e.NotFound = de.IsNotFound
		e.Server = de.Server
	}
	return e
}
