package ports

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
)

// TestSMTPNotProxied: with a proxy configured for HTTPS, an SMTP port that cannot be reached
// directly says that SMTP does not go through the proxy, first (it names the root cause); an
// open port, or no proxy, says nothing of it.
func TestSMTPNotProxied(t *testing.T) {
	t.Parallel()
	v6 := netip.MustParseAddr("::1")
	tests := []struct {
		name     string
		proxy    string
		script   scripted
		addrs6   []netip.Addr
		want     []string
		severity check.Status
	}{
		{"filtered behind a proxy", "http://proxy.corp.example:3128", scripted{"25/ipv4": silent, "443/ipv4": silent},
			nil, []string{"fail:" + string(code.SMTPNotProxied), "fail:" + string(code.MailPortsBlocked)}, check.Fail},
		{"refused behind a proxy", "http://proxy.corp.example:3128", scripted{"25/ipv4": errno(refusedErrnos[0]), "443/ipv4": silent},
			nil, []string{"fail:" + string(code.SMTPNotProxied), "fail:" + string(code.MailPortsBlocked)}, check.Fail},
		{"filtered on one family of two", "http://proxy.corp.example:3128", scripted{"25/ipv4": silent, "25/ipv6": opened, "443/ipv4": opened, "443/ipv6": opened},
			[]netip.Addr{v6}, []string{"warn:" + string(code.SMTPNotProxied), "warn:" + string(code.PortBlocked)}, check.Warn},
		{"open behind a proxy", "http://proxy.corp.example:3128", scripted{"25/ipv4": opened, "443/ipv4": opened}, nil, nil, check.Pass},
		{"filtered, no proxy", "", scripted{"25/ipv4": silent, "443/ipv4": silent}, nil, []string{"fail:" + string(code.MailPortsBlocked)}, check.Fail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := Run(t.Context(), Config{
				Host: "contoso-com.mail.protection.outlook.com", Addrs4: []netip.Addr{loop4}, Addrs6: tt.addrs6, Port: 25,
				Controls: []Control{{Port: 443}}, ConnectTimeout: 200 * time.Millisecond, Dial: tt.script.dial, Proxy: tt.proxy,
			}).Result
			if got := codes(r); !slices.Equal(got, tt.want) {
				t.Errorf("codes %v; want %v", got, tt.want)
			}
			if r.Status != tt.severity {
				t.Errorf("status %s; want %s", r.Status, tt.severity)
			}
			if len(r.Findings) > 0 && r.Findings[0].Code == code.SMTPNotProxied {
				msg := r.Findings[0].Message
				for _, s := range []string{tt.proxy, "does not go through an HTTP proxy", "cannot relay or submit mail to Exchange Online at all"} {
					if !strings.Contains(msg, s) {
						t.Errorf("message %q lacks %q", msg, s)
					}
				}
			}
		})
	}
}
