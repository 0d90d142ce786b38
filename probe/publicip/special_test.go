package publicip

import (
	"net/netip"
	"testing"
)

func TestSpecialUse(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"10.0.0.5", "a private address (RFC 1918)"},
		{"172.31.255.1", "a private address (RFC 1918)"},
		{"172.32.0.1", ""},
		{"192.168.1.10", "a private address (RFC 1918)"},
		{"100.64.0.1", "a carrier-grade NAT address (RFC 6598), shared by the provider's customers"},
		{"100.128.0.1", ""},
		{"127.0.0.1", "a loopback address"},
		{"169.254.10.20", "a link-local address"},
		{"192.0.2.1", "a documentation address (RFC 5737)"},
		{"198.51.100.1", "a documentation address (RFC 5737)"},
		{"203.0.113.7", "a documentation address (RFC 5737)"},
		{"2001:db8::7", "a documentation address (RFC 3849)"},
		{"::ffff:10.0.0.1", "a private address (RFC 1918)"},
		{"0.0.0.0", `an address of "this network" (RFC 791)`},
		{"52.96.0.1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := SpecialUse(netip.MustParseAddr(tt.in)); got != tt.want {
				t.Errorf("SpecialUse(%s) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}
