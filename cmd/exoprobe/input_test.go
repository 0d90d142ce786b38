package main

import (
	"bytes"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/idn"
	"github.com/exoprobe/exoprobe/probe/publicip"
)

func TestParseHelo(t *testing.T) {
	t.Parallel()
	testRule(t, parseHelo, same, []ruleCase{
		{name: "host", in: "Mail.Contoso.com", want: "mail.contoso.com"},
		{name: "unicode", in: "mail.bücher.de", want: "mail.xn--bcher-kva.de"},
		{name: "one label", in: "scanner", want: "scanner"},
		{name: "IPv4", in: "192.0.2.10", want: "[192.0.2.10]"},
		{name: "IPv4 literal", in: "[192.0.2.10]", want: "[192.0.2.10]"},
		{name: "IPv6", in: "2001:db8::10", want: "[IPv6:2001:db8::10]"},
		{name: "IPv6 literal", in: "[IPv6:2001:db8::10]", want: "[IPv6:2001:db8::10]"},
		{name: "space", in: "my host", err: "' '"},
		{name: "empty", in: "", err: "empty"},
	})
}

// TestTimeoutsFit checks that --timeout shortens the defaults of the other deadlines, that a
// deadline the user typed lengthens the default of --timeout, and that only values the user
// typed can contradict each other, in one message naming them all.
func TestTimeoutsFit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                  string
		args                  []string
		total, connect, reply time.Duration
		err                   string
	}{
		{"defaults", nil, 45 * time.Second, 5 * time.Second, 15 * time.Second, ""},
		{"a short whole shortens the parts", []string{"--timeout", "10s"}, 10 * time.Second, 5 * time.Second, 10 * time.Second, ""},
		{"a very short whole", []string{"--timeout", "1ms"}, time.Millisecond, time.Millisecond, time.Millisecond, ""},
		{"a typed part lengthens the whole", []string{"--reply-timeout", "60s"}, 60 * time.Second, 5 * time.Second, 60 * time.Second, ""},
		{"typed parts that fit", []string{"--timeout", "10s", "--connect-timeout", "2s", "--reply-timeout", "3s"}, 10 * time.Second, 2 * time.Second, 3 * time.Second, ""},
		{"a part equal to the whole", []string{"--timeout", "5s", "--connect-timeout", "5s"}, 5 * time.Second, 5 * time.Second, 5 * time.Second, ""},
		{"one typed contradiction", []string{"--timeout", "2s", "--connect-timeout", "5s"}, 0, 0, 0,
			"--connect-timeout 5s is longer than --timeout 2s, which bounds the whole run"},
		{"two typed contradictions, one message", []string{"--timeout", "1ms", "--connect-timeout", "5s", "--reply-timeout", "15s"}, 0, 0, 0,
			"--connect-timeout 5s and --reply-timeout 15s are longer than --timeout 1ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var ro relayOptions
			fs := ro.flags(check.ModeRelay)
			if msg := parseTestFlags(t, fs, append([]string{"--from", "a@contoso.com", "--to", "b@example.org"}, tt.args...)...); msg != "" {
				t.Fatal(msg)
			}
			o, err := ro.options(check.ModeRelay)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error %v; want one with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if o.Timeout != tt.total || o.ConnectTimeout != tt.connect || o.ReplyTimeout != tt.reply {
				t.Errorf("timeouts %v, %v, %v; want %v, %v, %v", o.Timeout, o.ConnectTimeout, o.ReplyTimeout, tt.total, tt.connect, tt.reply)
			}
		})
	}
}

// TestTimeoutCommandLine runs the cases of issue 10 through the real command line: --timeout
// alone is accepted by every networked command, and values the user typed that contradict each
// other are refused once.
func TestTimeoutCommandLine(t *testing.T) {
	t.Parallel()
	for _, cmd := range [][]string{
		{"relay", "--from", "app@contoso.com", "--to", "x@example.org"},
		{"direct", "--from", "app@contoso.com", "--to", "x@contoso.com"},
		{"submit", "--from", "app@contoso.com", "--to", "x@example.org", "--auth", "none"},
		{"connector", "--domain", "contoso.com"},
	} {
		t.Run(cmd[0], func(t *testing.T) {
			t.Parallel()
			// A resolver on loopback that refuses, and a known public IP, so that nothing leaves
			// the machine.
			args := append(cmd, "--timeout", "10s", "--resolver", "127.0.0.1:1", "-o", "json")
			if cmd[0] != "submit" {
				args = append(args, "--public-ip", "203.0.113.7")
			}
			code, stdout, stderr := runCmd(t, "", args...)
			if code == exitCantRun {
				t.Fatalf("exit %d; want a run\nstderr:\n%s", code, stderr)
			}
			if !strings.Contains(stdout, `"verdict"`) {
				t.Errorf("no report:\n%s", stdout)
			}
		})
	}
	t.Run("contradiction", func(t *testing.T) {
		t.Parallel()
		_, stderr := assertCantRun(t, "--connect-timeout 5s and --reply-timeout 15s are longer than --timeout 1ms",
			"relay", "--from", "app@contoso.com", "--to", "x@example.org", "--timeout", "1ms", "--connect-timeout", "5s", "--reply-timeout", "15s")
		if n := strings.Count(stderr, "longer than"); n != 1 {
			t.Errorf("%d messages; want one:\n%s", n, stderr)
		}
	})
}

// TestIDNQueriedInALabels runs relay with a unicode domain, sender and host through the real
// command line against the simulator: its DNS server is asked xn--bcher-kva.de and never a raw
// UTF-8 name, the envelope carries the A-label, and the report shows both forms.
func TestIDNQueriedInALabels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		format string
		asked  []fixtures.DNSQuery
		want   []string // in the output
	}{
		{
			name: "domain and sender", args: []string{"--domain", "Bücher.de", "--from", "app@bücher.de"}, format: "markdown",
			asked: []fixtures.DNSQuery{{Name: "xn--bcher-kva.de.", Type: dns.TypeMX}, {Name: "xn--bcher-kva.de.", Type: dns.TypeTXT}},
			want:  []string{"(domain `bücher.de (xn--bcher-kva.de)`)", "MAIL FROM:<app@xn--bcher-kva.de>"},
		},
		{
			name: "host", args: []string{"--domain", "bücher.de", "--from", "app@bücher.de", "--host", "mx.bücher.de"}, format: "text",
			asked: []fixtures.DNSQuery{{Name: "mx.xn--bcher-kva.de.", Type: dns.TypeA}},
			want:  []string{"mx.bücher.de:", "(mx.xn--bcher-kva.de)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim := fixtures.NewSim(t, "ok", fixtures.WithZone(func(z *fixtures.Zone) {
				z.MX("xn--bcher-kva.de", 0, fixtures.SimMXHost).
					TXT("xn--bcher-kva.de", "v=spf1 ip4:203.0.113.7 -all").
					Addr("mx.xn--bcher-kva.de", netip.MustParseAddr("127.0.0.1"))
			}))
			var out bytes.Buffer
			e := &env{
				stdin: strings.NewReader(""), stdout: &out, stderr: io.Discard,
				getenv: func(string) string { return "" }, isTerminal: func(io.Writer) bool { return false },
			}
			args := append([]string{"--to", "x@example.org", "--resolver", sim.DNSAddr, "--port", strconv.Itoa(sim.SMTPPort),
				"-o", tt.format, "--transcript"}, tt.args...)
			if _, err := runPort25(t.Context(), e, check.ModeRelay, args, func(o *probe.Options) {
				o.PublicIPSources = publicip.SourcesAt(sim.DNSAddr)
				o.PublicIPHTTPS = []string{}
				o.RootCAs = sim.RootCAs
				o.ControlPorts = sim.ControlPorts
			}); err != nil {
				t.Fatal(err)
			}
			for _, q := range tt.asked {
				if !sim.DNS.Asked(q.Name, q.Type) {
					t.Errorf("%s %s not asked; the DNS server's log: %v", q.Name, dns.TypeToString[q.Type], sim.DNS.Queries())
				}
			}
			for _, q := range sim.DNS.Queries() {
				if !idn.IsASCII(q.Name) {
					t.Errorf("raw UTF-8 reached DNS: %q", q.Name)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}
