package session

import (
	"context"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/cloud"
	"github.com/exoprobe/exoprobe/probe/reply"
)

func mustParse(t testing.TB, s string) *reply.Reply {
	t.Helper()
	r, err := reply.Parse(s)
	if err != nil {
		t.Fatalf("reply.Parse(%q): %v", s, err)
	}
	return r
}

func TestParseGreeting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       string
		wantHost string
		exo      bool
		masked   bool
	}{
		{"exo mx", "220 CH3PEPF00000015.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at Sun, 22 Jun 2025 05:58:00 +0000 [08DDB07650EC6878]",
			"CH3PEPF00000015.mail.protection.outlook.com", true, false},
		{"exo mx.microsoft", "220 AM4PEPF00027A5F.mx.microsoft Microsoft ESMTP MAIL Service ready at Mon, 3 Nov 2025 10:00:00 +0000", "AM4PEPF00027A5F.mx.microsoft", true, false},
		{"exo 587", "220 SY5P282CA0097.outlook.office365.com Microsoft ESMTP MAIL Service ready at Sun, 23 Nov 2025 11:12:20 +0000 [08DE2A6028D26C22]",
			"SY5P282CA0097.outlook.office365.com", true, false},
		{"gcc high", "220 BN1GCC01FT001.mail.protection.office365.us Microsoft ESMTP MAIL Service ready", "BN1GCC01FT001.mail.protection.office365.us", true, false},
		{"on-prem exchange", "220 mail.contoso.com Microsoft ESMTP MAIL Service ready at Sun, 22 Jun 2025", "mail.contoso.com", false, false},
		{"lookalike domain", "220 evil-outlook.com Microsoft ESMTP MAIL Service ready", "evil-outlook.com", false, false},
		{"postfix", "220 mx.example.org ESMTP Postfix (Debian/GNU)", "mx.example.org", false, false},
		{"asa mask", "220 ***********************************0*****2******", "***********************************0*****2******", false, true},
		{"asa mask all stars", "220 *************************************", "*************************************", false, true},
		{"bare code", "220", "", false, false},
		{"enhanced code only", "220 2.0.0", "2.0.0", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := parseGreeting(mustParse(t, tt.in))
			if g.host != tt.wantHost || g.exo != tt.exo || g.masked != tt.masked {
				t.Errorf("parseGreeting(%q) = %+v; want host %q exo %v masked %v", tt.in, g, tt.wantHost, tt.exo, tt.masked)
			}
		})
	}
}

func TestParseEHLO(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       string
		echo     string
		keywords []string
		stripped []string
	}{
		{"exo", "250-CH3PEPF00000015.mail.protection.outlook.com Hello [120.221.100.232]\r\n250-SIZE 49283072\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 SMTPUTF8\r\n",
			"120.221.100.232", []string{"PIPELINING", "SIZE", "SMTPUTF8", "STARTTLS"}, nil},
		{"exo ipv6", "250-PN4P287CA0064.outlook.office365.com Hello [2001:db8::25]\r\n250 PIPELINING\r\n", "2001:db8::25", []string{"PIPELINING"}, nil},
		{"sendmail", "250-mx.example.org Hello client.example.net [192.0.2.1], pleased to meet you\r\n250 ENHANCEDSTATUSCODES\r\n",
			"192.0.2.1", []string{"ENHANCEDSTATUSCODES"}, nil},
		{"ipv6 literal", "250-mx Hello [IPv6:2001:db8::1]\r\n250 8BITMIME\r\n", "2001:db8::1", []string{"8BITMIME"}, nil},
		{"mapped v4", "250-mx Hello [::ffff:192.0.2.7]\r\n250 8BITMIME\r\n", "192.0.2.7", []string{"8BITMIME"}, nil},
		{"postfix, no echo", "250-mx.example.org\r\n250-pipelining\r\n250 STARTTLS\r\n", "", []string{"PIPELINING", "STARTTLS"}, nil},
		{"asa", "250-mx Hello [192.0.2.1]\r\n250-XXXXXXXA\r\n250 PIPELINING\r\n", "192.0.2.1", []string{"PIPELINING"}, []string{"XXXXXXXA"}},
		{"asa all x", "250-mx\r\n250-XXXXXXXX\r\n250 8BITMIME\r\n", "", []string{"8BITMIME"}, []string{"XXXXXXXX"}},
		{"lower-case x is no mask", "250-\n250 x", "", []string{"X"}, nil},
		{"x-exps is a real keyword", "250-mx\r\n250 X-EXPS GSSAPI NTLM\r\n", "", []string{"X-EXPS"}, nil},
		{"garbage in brackets", "250-mx Hello [not-an-ip]\r\n250 OK\r\n", "", []string{"OK"}, nil},
		{"one line", "250 mx.example.org\r\n", "", []string{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k, echo := parseEHLO(mustParse(t, tt.in))
			gotEcho := ""
			if echo.IsValid() {
				gotEcho = echo.String()
			}
			if gotEcho != tt.echo {
				t.Errorf("echo = %q; want %q", gotEcho, tt.echo)
			}
			kws := []string{}
			for kw := range k.kw {
				kws = append(kws, kw)
			}
			slices.Sort(kws)
			if !slices.Equal(kws, tt.keywords) {
				t.Errorf("keywords = %v; want %v", kws, tt.keywords)
			}
			if !slices.Equal(k.stripped, tt.stripped) {
				t.Errorf("stripped = %v; want %v", k.stripped, tt.stripped)
			}
		})
	}
}

func TestIsEXOHost(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]bool{
		"contoso-com.mail.protection.outlook.com":        true,
		"contoso-com.mail.protection.outlook.com.":       true,
		"contoso-com.l-v1.mx.microsoft":                  true,
		"smtp.office365.com":                             true,
		"smtp-hve.office365.com":                         true,
		"contoso-com.mail.protection.office365.us":       true,
		"contoso-com.mail.protection.partner.outlook.cn": true,
		"mail.contoso.com":                               false,
		"outlook.com.evil.example":                       false,
		"notoffice365.com":                               false,
		"":                                               false,
		"127.0.0.1":                                      false,
		"CONTOSO.MAIL.PROTECTION.OUTLOOK.COM":            true,
	} {
		if got := cloud.IsServerName(host); got != want {
			t.Errorf("cloud.IsServerName(%q) = %v; want %v", host, got, want)
		}
	}
}

func TestDotStuff(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"plain", "a\r\nb\r\n", "a\r\nb\r\n"},
		{"leading dot", ".hidden\r\n", "..hidden\r\n"},
		{"lone dot", "a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n"},
		{"bare LF", "a\n.b\n", "a\r\n..b\r\n"},
		{"bare CR", "a\r.b", "a\r\n..b\r\n"},
		{"no final newline", "a", "a\r\n"},
		{"dot mid line", "a.b\r\n", "a.b\r\n"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := string(dotStuff([]byte(tt.in))); got != tt.want {
				t.Errorf("dotStuff(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseQueued(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, id, host, serverID string }{
		{"exo", "250 2.6.0 <JIRA.938152.1690810170000@Atlassian.JIRA> [InternalId=105849469029151, Hostname=AS8PR07MB7669.eurprd07.prod.outlook.com] 29353 bytes in 0.060, 472.320 KB/sec Queued mail for delivery",
			"105849469029151", "AS8PR07MB7669.eurprd07.prod.outlook.com", "JIRA.938152.1690810170000@Atlassian.JIRA"},
		{"old exchange", "250 2.6.0 <20111025103822.7F94E1C0299@host> [InternalId=274498] Queued mail for delivery", "274498", "", "20111025103822.7F94E1C0299@host"},
		{"postfix", "250 2.0.0 Ok: queued as 4F1B2C3D", "4F1B2C3D", "", ""},
		{"plain", "250 OK", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q := parseQueued(mustParse(t, tt.in))
			if q.queueID != tt.id || q.host != tt.host || q.serverID != tt.serverID {
				t.Errorf("parseQueued(%q) = %+v; want id %q host %q server id %q", tt.in, q, tt.id, tt.host, tt.serverID)
			}
		})
	}
}

func TestBuildMessage(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	msg := string(buildMessage("app@contoso.com", []string{"a@example.org", "b@example.org"}, "tok123", now, "app01.contoso.com"))
	for _, want := range []string{
		"Date: Sun, 22 Nov 2026 12:00:00 +0000\r\n",
		"From: exoprobe test <app@contoso.com>\r\n",
		"To: <a@example.org>, <b@example.org>\r\n",
		"Subject: exoprobe test message tok123\r\n",
		"Message-ID: <exoprobe.tok123@contoso.com>\r\n",
		"\r\n\r\nThis is a test message sent by exoprobe.\r\n",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(strings.ReplaceAll(msg, "\r\n", ""), "\n") {
		t.Errorf("message has a bare LF")
	}
	if a, b := newToken(), newToken(); a == b || len(a) != 16 {
		t.Errorf("tokens %q and %q; want two different 16-character tokens", a, b)
	}
}

func TestDNSSafe(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"DESKTOP-AB12":          "desktop-ab12",
		"app01.Contoso.com":     "app01.contoso.com",
		"app01.contoso.com.":    "app01.contoso.com",
		"my_host.corp":          "my-host.corp",
		"-odd-.example..org":    "odd.example.org",
		"Büro-PC.local":         "b--ro-pc.local",
		"":                      "",
		"...":                   "",
		strings.Repeat("a", 70): strings.Repeat("a", 63),
	} {
		if got := dnsSafe(in); got != want {
			t.Errorf("dnsSafe(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestDefaultHeloLiteral(t *testing.T) {
	t.Parallel()
	name := defaultHelo(&net.TCPAddr{IP: net.ParseIP("192.0.2.10"), Port: 50000})
	if h, _ := os.Hostname(); strings.Contains(dnsSafe(h), ".") {
		if name != dnsSafe(h) {
			t.Errorf("defaultHelo = %q; want the host name %q", name, dnsSafe(h))
		}
		return
	}
	if name != "[192.0.2.10]" {
		t.Errorf("defaultHelo = %q; want [192.0.2.10]", name)
	}
	if got := defaultHelo(&net.TCPAddr{IP: net.ParseIP("2001:db8::1")}); got != "[IPv6:2001:db8::1]" {
		t.Errorf("defaultHelo(v6) = %q; want [IPv6:2001:db8::1]", got)
	}
}

func TestClassifyDial(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	op := func(err error) error { return &net.OpError{Op: "dial", Net: "tcp4", Err: err} }
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want string
	}{
		{"timeout", t.Context(), op(os.ErrDeadlineExceeded), "port-filtered"},
		{"dial context deadline", t.Context(), fmt.Errorf("dial: %w", context.DeadlineExceeded), "port-filtered"},
		{"refused", t.Context(), op(os.NewSyscallError("connect", refusedErrno)), "port-refused"},
		{"unreachable", t.Context(), op(os.NewSyscallError("connect", unreachableErrno)), "port-unreachable"},
		{"dns", t.Context(), op(&net.DNSError{Err: "no such host", Name: "nx.example", IsNotFound: true}), "host-not-found"},
		{"cancelled", cancelled, op(context.Canceled), "cancelled"},
		{"blocked", t.Context(), op(os.NewSyscallError("connect", blockedErrno)), "port-blocked-locally"},
		{"other", t.Context(), op(errors.New("something else")), "port-error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got, _ := classifyDial(tt.ctx, tt.err, 5*time.Second); string(got) != tt.want {
				t.Errorf("classifyDial(%v) = %s; want %s", tt.err, got, tt.want)
			}
		})
	}
}

func TestFindInterceptor(t *testing.T) {
	t.Parallel()
	ca := func(cn, o string) *x509.Certificate {
		return &x509.Certificate{IsCA: true, Subject: pkix.Name{CommonName: cn, Organization: []string{o}}}
	}
	leaf := func(issuer pkix.Name, subject string, o string) *x509.Certificate {
		return &x509.Certificate{Issuer: issuer, Subject: pkix.Name{CommonName: subject, Organization: []string{o}}}
	}
	tests := []struct {
		name  string
		chain []*x509.Certificate
		want  string
	}{
		{"eset", []*x509.Certificate{leaf(pkix.Name{CommonName: "ESET SSL Filter CA", Organization: []string{"ESET, spol. s r.o."}}, "mail.protection.outlook.com", "")}, "ESET SSL Filter"},
		{"kaspersky", []*x509.Certificate{leaf(pkix.Name{CommonName: "Kaspersky Anti-Virus Personal Root Certificate", Organization: []string{"AO Kaspersky Lab"}}, "x", "")}, "Kaspersky (Anti-Virus Personal Root)"},
		{"fortigate intermediate", []*x509.Certificate{leaf(pkix.Name{CommonName: "FGT60F", Organization: []string{"Fortinet"}}, "x", ""), ca("FGT60F", "Fortinet")}, "Fortinet FortiGate"},
		{"zscaler", []*x509.Certificate{leaf(pkix.Name{CommonName: "Zscaler Intermediate Root CA (zscalertwo.net)"}, "x", "")}, "Zscaler"},
		{"microsoft", []*x509.Certificate{leaf(pkix.Name{CommonName: "DigiCert Cloud Services CA-1", Organization: []string{"DigiCert Inc"}}, "mail.protection.outlook.com", "Microsoft Corporation")}, ""},
		// A vendor's own mail server is not an interceptor: only CA subjects count.
		{"vendor's own server", []*x509.Certificate{leaf(pkix.Name{CommonName: "DigiCert Global G2 TLS RSA SHA256 2020 CA1"}, "mail.sophos.com", "Sophos Ltd")}, ""},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got, _ := findInterceptor(tt.chain); got != tt.want {
				t.Errorf("findInterceptor = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestCheckEcho(t *testing.T) {
	t.Parallel()
	v4 := netip.MustParseAddr
	tests := []struct {
		name     string
		expect   []netip.Addr
		public   netip.Addr
		echo     netip.Addr
		wantCode string
	}{
		{"matches connector", []netip.Addr{v4("203.0.113.7")}, netip.Addr{}, v4("203.0.113.7"), ""},
		{"mismatch", []netip.Addr{v4("198.51.100.1")}, netip.Addr{}, v4("203.0.113.7"), "ip-mismatch"},
		{"connector wins over public ip", []netip.Addr{v4("203.0.113.7")}, v4("198.51.100.9"), v4("203.0.113.7"), ""},
		{"public ip differs", nil, v4("198.51.100.9"), v4("203.0.113.7"), "egress-ip-differs"},
		{"public ip same", nil, v4("203.0.113.7"), v4("203.0.113.7"), ""},
		{"v6 echo not compared with public v4", nil, v4("198.51.100.9"), v4("2001:db8::1"), ""},
		{"no echo", []netip.Addr{v4("198.51.100.1")}, netip.Addr{}, netip.Addr{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := Outcome{SMTP: check.New("smtp")}
			c := &conv{cfg: Config{ExpectIP: tt.expect, PublicIP: tt.public, Addr: "192.0.2.1:25"}, out: &out,
				shorts: map[*check.Result]map[check.Status]string{}}
			c.checkEcho(tt.echo)
			got := ""
			if len(out.SMTP.Findings) > 0 {
				got = string(out.SMTP.Findings[0].Code)
			}
			if got != tt.wantCode {
				t.Errorf("code = %q; want %q", got, tt.wantCode)
			}
		})
	}
}

// TestTimeoutsNest holds the package's own timeouts under the ones they live within.
func TestTimeoutsNest(t *testing.T) {
	t.Parallel()
	if quitTimeout > DefaultReplyTimeout {
		t.Errorf("quitTimeout %v > DefaultReplyTimeout %v", quitTimeout, DefaultReplyTimeout)
	}
	c := Config{}
	c.defaults()
	if c.ConnectTimeout != DefaultConnectTimeout || c.ReplyTimeout != DefaultReplyTimeout || c.Port != 25 || c.Network != "tcp" {
		t.Errorf("defaults = %+v", c)
	}
	r := Config{Mode: check.ModeRelay, Host: "mx.example.org"}
	r.defaults()
	if r.Network != "tcp4" || r.Addr != "mx.example.org:25" {
		t.Errorf("relay defaults: network %q addr %q; want tcp4 and mx.example.org:25", r.Network, r.Addr)
	}
}
