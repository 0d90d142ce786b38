package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/publicip"
)

// ruleCase is one value given to a rule: what it must become, or a part of the reason it is
// refused with.
type ruleCase struct {
	name, in, want, err string
}

// testRule runs the cases through parse: a case with err must be refused with a reason that
// holds it, any other must parse to want.
func testRule[T comparable](t *testing.T, parse func(string) (T, error), format func(T) string, tests []ruleCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parse(tt.in)
			switch {
			case tt.err != "" && err == nil:
				t.Errorf("parse(%q) = %q; want an error with %q", tt.in, format(got), tt.err)
			case tt.err != "" && !strings.Contains(err.Error(), tt.err):
				t.Errorf("parse(%q): error %q; want it to hold %q", tt.in, err, tt.err)
			case tt.err == "" && err != nil:
				t.Errorf("parse(%q): %v; want %q", tt.in, err, tt.want)
			case tt.err == "" && format(got) != tt.want:
				t.Errorf("parse(%q) = %q; want %q", tt.in, format(got), tt.want)
			}
		})
	}
}

func same(s string) string { return s }

func TestParseIPv4(t *testing.T) {
	t.Parallel()
	testRule(t, parseIPv4, netip.Addr.String, []ruleCase{
		{name: "address", in: "203.0.113.7", want: "203.0.113.7"},
		{name: "spaces around", in: " 203.0.113.7 ", want: "203.0.113.7"},
		{name: "IPv6", in: "2001:db8::1", err: "IPv4 only"},
		{name: "IPv4-mapped IPv6", in: "::ffff:203.0.113.7", err: "IPv4 only"},
		{name: "range", in: "203.0.113.0/24", err: "four numbers"},
		{name: "name", in: "mail.contoso.com", err: "four numbers"},
		{name: "out of range", in: "203.0.113.256", err: "four numbers"},
		{name: "empty", in: "", err: "four numbers"},
	})
}

func TestParsePort(t *testing.T) {
	t.Parallel()
	testRule(t, parsePort, func(n int) string { return formatValue(n) }, []ruleCase{
		{name: "smtp", in: "25", want: "25"},
		{name: "highest", in: "65535", want: "65535"},
		{name: "lowest", in: "1", want: "1"},
		{name: "zero", in: "0", err: "1 to 65535"},
		{name: "too high", in: "65536", err: "1 to 65535"},
		{name: "negative", in: "-25", err: "1 to 65535"},
		{name: "name", in: "smtp", err: "1 to 65535"},
		{name: "empty", in: "", err: "1 to 65535"},
	})
}

func TestParseDomain(t *testing.T) {
	t.Parallel()
	testRule(t, parseDomain, same, []ruleCase{
		{name: "plain", in: "contoso.com", want: "contoso.com"},
		{name: "upper case, trailing dot", in: "Contoso.COM.", want: "contoso.com"},
		{name: "subdomain", in: "mail.contoso.co.uk", want: "mail.contoso.co.uk"},
		{name: "unicode", in: "bücher.de", want: "xn--bcher-kva.de"},
		{name: "unicode upper case", in: "BÜCHER.DE", want: "xn--bcher-kva.de"},
		{name: "A-label as given", in: "xn--bcher-kva.de", want: "xn--bcher-kva.de"},
		{name: "unicode top-level domain", in: "例え.テスト", want: "xn--r8jz45g.xn--zckzah"},
		{name: "ideographic full stop", in: "bücher。de", want: "xn--bcher-kva.de"},
		{name: "hyphen inside", in: "my-company.example", want: "my-company.example"},
		{name: "empty", in: "", err: "empty"},
		{name: "only a dot", in: ".", err: "empty"},
		{name: "one label", in: "contoso", err: "not a full domain name"},
		{name: "address", in: "app@contoso.com", err: "e-mail address"},
		{name: "space", in: "contoso com", err: "' '"},
		{name: "underscore", in: "my_company.example", err: "'_'"},
		{name: "URL", in: "https://contoso.com", err: "':'"},
		{name: "wildcard", in: "*.contoso.com", err: "'*'"},
		{name: "empty label", in: "contoso..com", err: "empty label"},
		{name: "leading dot", in: ".contoso.com", err: "empty label"},
		{name: "leading hyphen", in: "-contoso.com", err: "hyphen"},
		{name: "trailing hyphen", in: "contoso-.com", err: "hyphen"},
		{name: "label too long", in: strings.Repeat("a", 64) + ".com", err: "63"},
		{name: "name too long", in: strings.Repeat("abcdefghi.", 26) + "com", err: "253"},
		{name: "bad punycode", in: "xn--zzzz.de", err: "cannot be written as a DNS name"},
		{name: "control character", in: "conto\x00so.com", err: "character"},
		{name: "not UTF-8", in: "b\xfccher.de", err: "not valid text"},
		{name: "IP address", in: "203.0.113.7", err: "IP address"},
	})
}

func TestParseHost(t *testing.T) {
	t.Parallel()
	testRule(t, parseHost, same, []ruleCase{
		{name: "name", in: "smtp.office365.com", want: "smtp.office365.com"},
		{name: "one label", in: "localhost", want: "localhost"},
		{name: "trailing dot", in: "smtp.office365.com.", want: "smtp.office365.com"},
		{name: "unicode", in: "mail.bücher.de", want: "mail.xn--bcher-kva.de"},
		{name: "IPv4", in: "127.0.0.1", want: "127.0.0.1"},
		{name: "IPv6", in: "2001:db8::25", want: "2001:db8::25"},
		{name: "IPv6 in brackets", in: "[2001:db8::25]", want: "2001:db8::25"},
		{name: "with a port", in: "smtp.office365.com:587", err: "':'"},
		{name: "empty", in: "", err: "empty"},
		{name: "space", in: "smtp office365.com", err: "' '"},
	})
}

func TestParseAddress(t *testing.T) {
	t.Parallel()
	testRule(t, parseAddress, same, []ruleCase{
		{name: "plain", in: "app@contoso.com", want: "app@contoso.com"},
		{name: "local part as given, domain in lower case", in: "App.Scanner@Contoso.COM", want: "App.Scanner@contoso.com"},
		{name: "plus and dots", in: "first.last+tag@contoso.com", want: "first.last+tag@contoso.com"},
		{name: "unicode domain", in: "info@bücher.de", want: "info@xn--bcher-kva.de"},
		{name: "unicode local part", in: "jörg@contoso.com", want: "jörg@contoso.com"},
		{name: "spaces around", in: " app@contoso.com ", want: "app@contoso.com"},
		{name: "two @", in: "x@@example.org", err: "two @ in a row"},
		{name: "semicolon", in: "x@example.org;y@example.org", err: "semicolon; separate addresses with commas"},
		{name: "space inside", in: "app scanner@contoso.com", err: "has a space"},
		{name: "quoted local part", in: `"app scanner"@contoso.com`, err: "has a space"},
		{name: "quoted local part without space", in: `"app"@contoso.com`, err: "quoted local part"},
		{name: "leading dot", in: ".app@contoso.com", err: "starts or ends with a dot"},
		{name: "two dots", in: "app..x@contoso.com", err: "two in a row"},
		{name: "special character", in: "app(x)@contoso.com", err: "'('"},
		{name: "address literal", in: "app@[192.0.2.1]", err: "address literal"},
		{name: "all atext", in: "a!#$%&'*+-/=?^_`{|}~z@contoso.com", want: "a!#$%&'*+-/=?^_`{|}~z@contoso.com"},
		{name: "@ in the domain", in: "x@y@example.org", err: "more than one @"},
		{name: "no @", in: "nobody", err: "no @"},
		{name: "nothing before @", in: "@contoso.com", err: "nothing before the @"},
		{name: "nothing after @", in: "app@", err: "domain it is empty"},
		{name: "display name", in: "App <app@contoso.com>", err: "bare address"},
		{name: "angle brackets", in: "<app@contoso.com>", err: "bare address"},
		{name: "one-label domain", in: "app@localhost", err: "not a full domain name"},
		{name: "bad domain", in: "app@contoso..com", err: "empty label"},
		{name: "local part too long", in: strings.Repeat("a", 65) + "@contoso.com", err: "64"},
		{name: "line break", in: "app\r\n@contoso.com", err: "bare address"},
	})
}

func TestParseResolver(t *testing.T) {
	t.Parallel()
	testRule(t, parseResolver, same, []ruleCase{
		{name: "IPv4", in: "192.0.2.53", want: "192.0.2.53"},
		{name: "IPv4 and port", in: "127.0.0.1:5353", want: "127.0.0.1:5353"},
		{name: "IPv6", in: "2001:db8::53", want: "2001:db8::53"},
		{name: "IPv6 and port", in: "[2001:db8::53]:53", want: "[2001:db8::53]:53"},
		{name: "name", in: "dns.contoso.com", want: "dns.contoso.com"},
		{name: "name and port", in: "dns.contoso.com:53", want: "dns.contoso.com:53"},
		{name: "unicode name", in: "dns.bücher.de:53", want: "dns.xn--bcher-kva.de:53"},
		{name: "port out of range", in: "127.0.0.1:99999", err: "1 to 65535"},
		{name: "port zero", in: "127.0.0.1:0", err: "1 to 65535"},
		{name: "port not a number", in: "127.0.0.1:dns", err: "1 to 65535"},
		{name: "not a resolver", in: "not a resolver", err: "' '"},
		{name: "URL", in: "https://dns.google/dns-query", err: "host:port"},
		{name: "two colons", in: "dns.contoso.com:53:53", err: "host:port"},
		{name: "empty", in: "", err: "empty"},
		{name: "empty host", in: ":53", err: "empty"},
	})
}

func TestParseTimeout(t *testing.T) {
	t.Parallel()
	testRule(t, parseTimeout, time.Duration.String, []ruleCase{
		{name: "seconds", in: "30s", want: "30s"},
		{name: "mixed", in: "1m30s", want: "1m30s"},
		{name: "milliseconds", in: "500ms", want: "500ms"},
		{name: "zero", in: "0s", err: "longer than zero"},
		{name: "negative", in: "-5s", err: "longer than zero"},
		{name: "no unit", in: "30", err: "with a unit"},
		{name: "empty", in: "", err: "with a unit"},
	})
}

func TestParseCertDomain(t *testing.T) {
	t.Parallel()
	testRule(t, parseCertDomain, same, []ruleCase{
		{name: "host", in: "mail.contoso.com", want: "mail.contoso.com"},
		{name: "upper case, trailing dot", in: "Mail.Contoso.com.", want: "mail.contoso.com"},
		{name: "wildcard", in: "*.contoso.com", want: "*.contoso.com"},
		{name: "unicode", in: "mail.bücher.de", want: "mail.xn--bcher-kva.de"},
		{name: "unicode wildcard", in: "*.bücher.de", want: "*.xn--bcher-kva.de"},
		{name: "embedded wildcard", in: "mail.*.contoso.com", err: "embedded wildcard"},
		{name: "address", in: "app@contoso.com", err: "e-mail address"},
		{name: "IP address", in: "203.0.113.7", err: "IP address"},
		{name: "empty", in: "", err: "empty"},
	})
}

// parseTestFlags parses args with fs as a command does, and returns the message of the usage
// error, "" when there is none.
func parseTestFlags(t *testing.T, fs *pflag.FlagSet, args ...string) string {
	t.Helper()
	e := &env{stdout: io.Discard, stderr: io.Discard}
	_, err := parseFlags(e, fs, fs.Name(), args)
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestListFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want []string // the addresses; nil with err
		err  string
	}{
		{"one", []string{"--to", "x@example.org"}, []string{"x@example.org"}, ""},
		{"commas", []string{"--to", "x@example.org,y@example.org"}, []string{"x@example.org", "y@example.org"}, ""},
		{"commas with spaces", []string{"--to", "x@example.org, y@example.org ,z@example.org"}, []string{"x@example.org", "y@example.org", "z@example.org"}, ""},
		{"semicolons", []string{"--to", "x@example.org;y@example.org"}, nil,
			`--to "x@example.org;y@example.org" is not an e-mail address: it has a semicolon; separate addresses with commas`},
		{"semicolon in the second item", []string{"--to", "x@example.org,y@example.org;z@example.org"}, nil,
			`--to "y@example.org;z@example.org" is not an e-mail address: it has a semicolon`},
		{"display name in a list", []string{"--to", "x@example.org,Y <y@example.org>"}, nil,
			`--to "Y <y@example.org>" is not an e-mail address: it has a display name`},
		{"repeated", []string{"--to", "x@example.org", "--to=y@example.org"}, []string{"x@example.org", "y@example.org"}, ""},
		{"unicode domain", []string{"--to", "info@bücher.de"}, []string{"info@xn--bcher-kva.de"}, ""},
		{"two commas at the end", []string{"--to", "x@example.org,,"}, nil,
			`--to "x@example.org,," is not a list of e-mail addresses: it has an empty item`},
		{"one comma at the end", []string{"--to", "x@example.org,"}, nil, "empty item"},
		{"empty between", []string{"--to", "x@example.org,,y@example.org"}, nil, "empty item (item 2 of 3)"},
		{"only spaces between", []string{"--to", "x@example.org, ,y@example.org"}, nil, "empty item"},
		{"empty", []string{"--to", ""}, nil, "empty item"},
		{"two @", []string{"--to", "x@@example.org"}, nil, `--to "x@@example.org" is not an e-mail address: it has two @ in a row`},
		{"the bad one is named", []string{"--to", "x@example.org,nobody"}, nil, `--to "nobody" is not an e-mail address`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var to []string
			fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
			addressListVar(fs, &to, "to", "")
			msg := parseTestFlags(t, fs, tt.args...)
			if tt.err != "" {
				if !strings.Contains(msg, tt.err) {
					t.Errorf("error %q; want it to hold %q", msg, tt.err)
				}
				return
			}
			if msg != "" || !slices.Equal(to, tt.want) {
				t.Errorf("--to = %q, error %q; want %q", to, msg, tt.want)
			}
		})
	}

	t.Run("IPv4 list", func(t *testing.T) {
		t.Parallel()
		var ips []netip.Addr
		fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
		ipv4ListVar(fs, &ips, "expect-ip", "")
		if msg := parseTestFlags(t, fs, "--expect-ip", "203.0.113.7, 198.51.100.1", "--expect-ip", "192.0.2.1"); msg != "" {
			t.Fatal(msg)
		}
		want := []netip.Addr{netip.MustParseAddr("203.0.113.7"), netip.MustParseAddr("198.51.100.1"), netip.MustParseAddr("192.0.2.1")}
		if !slices.Equal(ips, want) {
			t.Errorf("--expect-ip = %v; want %v", ips, want)
		}
	})
}

// TestFlagDefaultsInHelp checks that the typed flags show their defaults, and nothing for the
// ones without, as pflag's own types do.
func TestFlagDefaultsInHelp(t *testing.T) {
	t.Parallel()
	var ro relayOptions
	usage := ro.flags(check.ModeRelay).FlagUsages()
	for _, want := range []string{"--port port ", "(default 25)", "--timeout duration ", "(default 45s)", "--to addresses ", "--resolver host[:port] "} {
		if !strings.Contains(usage, want) {
			t.Errorf("--help lacks %q:\n%s", want, usage)
		}
	}
	for _, line := range strings.Split(usage, "\n") {
		for _, flag := range []string{"--domain", "--from", "--to", "--host", "--resolver", "--expect-ip", "--public-ip", "--cert-domain"} {
			if strings.Contains(line, flag+" ") && strings.Contains(line, "(default") && !strings.Contains(line, "(default:") {
				t.Errorf("%s shows a default: %q", flag, line)
			}
		}
	}
}

// TestRelayOptionsParsed checks that the options the probe gets hold the parsed values.
func TestRelayOptionsParsed(t *testing.T) {
	t.Parallel()
	var ro relayOptions
	fs := ro.flags(check.ModeRelay)
	if msg := parseTestFlags(t, fs, "--from", "Scanner@Bücher.de", "--to", "x@example.org,y@example.org",
		"--expect-ip", "203.0.113.7", "--public-ip", "203.0.113.7", "--resolver", "[2001:db8::53]:53",
		"--host", "MX.Bücher.de.", "--port", "2525"); msg != "" {
		t.Fatal(msg)
	}
	o, err := ro.options(check.ModeRelay)
	if err != nil {
		t.Fatal(err)
	}
	ip := netip.MustParseAddr("203.0.113.7")
	if o.From != "Scanner@xn--bcher-kva.de" || o.Domain != "xn--bcher-kva.de" || !slices.Equal(o.To, []string{"x@example.org", "y@example.org"}) ||
		!slices.Equal(o.ExpectIP, []netip.Addr{ip}) || o.PublicIP != ip || o.Resolver != "[2001:db8::53]:53" ||
		o.Host != "mx.xn--bcher-kva.de" || o.Port != 2525 {
		t.Errorf("options %+v", o)
	}
}

// TestBadFlagValues runs bad values through the real command line: each command stops before
// anything runs, exits 3 and says which flag and what is wrong.
func TestBadFlagValues(t *testing.T) {
	t.Parallel()
	relay := []string{"relay", "--from", "app@contoso.com", "--to", "someone@example.org"}
	submit := []string{"submit", "--from", "app@contoso.com", "--to", "someone@example.org"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"two @", []string{"relay", "--from", "app@contoso.com", "--to", "x@@example.org"}, `--to "x@@example.org" is not an e-mail address: it has two @ in a row`},
		{"empty items", []string{"relay", "--from", "app@contoso.com", "--to", "x@example.org,,"}, `--to "x@example.org,," is not a list of e-mail addresses: it has an empty item`},
		{"resolver port", append(relay, "--resolver", "127.0.0.1:99999"), `--resolver "127.0.0.1:99999" is not a DNS server, host[:port]: its port 99999: want a number from 1 to 65535`},
		{"not a resolver", append(relay, "--resolver", "not a resolver"), `--resolver "not a resolver" is not a DNS server, host[:port]: it has the character ' '`},
		{"port", append(relay, "--port", "0"), `--port "0" is not a TCP port`},
		{"public IP", append(relay, "--public-ip", "2001:db8::1"), "IPv4 only"},
		{"expect-ip", append(relay, "--expect-ip", "203.0.113.7,mail.contoso.com"), `--expect-ip "mail.contoso.com" is not an IPv4 address`},
		{"domain", append(relay, "--domain", "contoso..com"), `--domain "contoso..com" is not a domain name: it has an empty label`},
		{"host", append(relay, "--host", "smtp office365.com"), `--host "smtp office365.com" is not a host name or IP address`},
		{"timeout", append(relay, "--timeout", "0"), `--timeout "0" is not a timeout: it must be longer than zero`},
		{"reply timeout", append(relay, "--reply-timeout", "15"), `--reply-timeout "15" is not a timeout: want a number with a unit`},
		{"direct to", []string{"direct", "--from", "a@contoso.com", "--to", "b@contoso"}, `--to "b@contoso" is not an e-mail address`},
		{"submit user", append(submit, "--user", "mailbox"), `--user "mailbox" is not an e-mail address`},
		{"submit port", append(submit, "--port", "587x"), `--port "587x" is not a TCP port`},
		{"submit resolver", append(submit, "--resolver", "127.0.0.1:99999"), "1 to 65535"},
		{"connector port", []string{"connector", "--domain", "contoso.com", "--port", "65536"}, `--port "65536" is not a TCP port`},
		{"connector connect timeout", []string{"connector", "--domain", "contoso.com", "--connect-timeout", "-1s"}, "longer than zero"},
		{"connector timeouts do not nest", []string{"connector", "--domain", "contoso.com", "--timeout", "2s", "--connect-timeout", "5s"}, "longer than --timeout"},
		{"cert domain", []string{"cert", "c.pem", "--domain", "contoso"}, `--domain "contoso" is not a domain name: it is not a full domain name`},
		{"ip timeout", []string{"ip", "--timeout", "0s"}, "longer than zero"},
		{"ip resolver", []string{"ip", "--resolver", "not a resolver"}, "is not a DNS server"},
		{"semicolon", []string{"relay", "--from", "app@contoso.com", "--to", "x@example.org;y@example.org"},
			`--to "x@example.org;y@example.org" is not an e-mail address: it has a semicolon; separate addresses with commas`},
		{"display name", []string{"relay", "--from", "App <app@contoso.com>", "--to", "x@example.org"},
			`--from "App <app@contoso.com>" is not an e-mail address: it has a display name or angle brackets`},
		{"space", []string{"direct", "--from", "app@contoso.com", "--to", "x y@contoso.com"},
			`--to "x y@contoso.com" is not an e-mail address: it has a space`},
		{"submit semicolon", append(submit, "--to", "a@example.org;b@example.org"), "it has a semicolon"},
		{"submit user with a display name", append(submit, "--user", `"Box" <box@contoso.com>`), `--user "\"Box\" <box@contoso.com>" is not an e-mail address: it has a display name`},
		{"helo", append(relay, "--helo", "my host"), `--helo "my host" is not an EHLO name: it has the character ' '`},
		{"submit helo", append(submit, "--helo", "-bad.example"), `--helo "-bad.example" is not an EHLO name: its label "-bad" starts or ends with a hyphen`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertCantRun(t, tt.want, tt.args...)
		})
	}
}

// TestRelayTwoRecipients runs relay against the simulator with two recipients given with a
// comma: the conversation names both.
func TestRelayTwoRecipients(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "ok")
	args := sim.Args()
	args[slices.Index(args, "--to")+1] = "x@example.org,y@example.org"
	var out bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: io.Discard,
		getenv:     func(string) string { return "" },
		isTerminal: func(io.Writer) bool { return false },
	}
	v, err := runPort25(t.Context(), e, check.ModeRelay, append(args, "-o", "json"), func(o *probe.Options) {
		o.PublicIPSources = publicip.SourcesAt(sim.DNSAddr)
		o.PublicIPHTTPS = []string{}
		o.RootCAs = sim.RootCAs
		o.ControlPorts = sim.ControlPorts
	})
	if err != nil || v != check.Pass {
		t.Fatalf("verdict %q, %v\n%s", v, err, out.String())
	}
	var rep jsonReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	var rcpt []string
	for _, l := range rep.Transcript {
		if l.Dir == "C" && strings.HasPrefix(strings.ToUpper(l.Line), "RCPT TO:") {
			rcpt = append(rcpt, l.Line)
		}
	}
	if want := []string{"RCPT TO:<x@example.org>", "RCPT TO:<y@example.org>"}; !slices.Equal(rcpt, want) {
		t.Errorf("RCPT commands %q; want %q", rcpt, want)
	}
}

// FuzzFlagRules checks that every rule takes any input without panicking, and that what a rule
// returns is its own canonical form: given again, it comes back unchanged.
func FuzzFlagRules(f *testing.F) {
	for _, s := range []string{"bücher.de", "App@Bücher.DE.", "x@@example.org", "127.0.0.1:99999", "[2001:db8::53]:053",
		"not a resolver", "*.bücher.de", "1m30s", "203.0.113.7", "+25", "xn--bcher-kva.de", "a。b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		canonical(t, "parseName", parseName, s)
		canonical(t, "parseDomain", parseDomain, s)
		canonical(t, "parseHost", parseHost, s)
		canonical(t, "parseAddress", parseAddress, s)
		canonical(t, "parseResolver", parseResolver, s)
		canonical(t, "parseCertDomain", parseCertDomain, s)
		canonical(t, "parseIPv4", parseIPv4, s)
		canonical(t, "parsePort", parsePort, s)
		canonical(t, "parseTimeout", parseTimeout, s)
	})
}

// canonical fails when parse accepts s but does not give back what it returned for s.
func canonical[T comparable](t *testing.T, name string, parse func(string) (T, error), s string) {
	t.Helper()
	v, err := parse(s)
	if err != nil {
		return
	}
	again, err := parse(formatValue(v))
	if err != nil || again != v {
		t.Errorf("%s(%q) = %v, but %s(%q) = %v, %v", name, s, v, name, formatValue(v), again, err)
	}
}
