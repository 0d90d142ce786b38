package main

// Flag values that validate while the flags are parsed, as restic's typed pflag.Values do: a bad
// value stops parsing with an error that names the flag and says what is wrong with the value,
// and the options structs hold parsed values (a netip.Addr, a port number, a domain in its
// A-label form). Each rule below exists once. Rules that span flags (required flags, flags that
// go together, deadlines that nest) stay in each command's options method.

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe/certcheck"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/idn"
)

// invalidValue is why a flag's value was refused, phrased to follow the flag's name
// (parseFlags puts it there): `"2001:db8::1" is not an IPv4 address: inbound connectors hold
// IPv4 only`.
type invalidValue struct {
	value string // the value, or the item of a list, as given
	what  string // what it should have been: "an IPv4 address"
	err   error  // why it is not
}

func (e *invalidValue) Error() string { return fmt.Sprintf("%q is not %s: %v", e.value, e.what, e.err) }

func (e *invalidValue) Unwrap() error { return e.err }

// valueFlag is a pflag.Value holding one value that parse checked. The zero T means "not
// given" and prints as nothing in --help.
type valueFlag[T comparable] struct {
	p     *T
	parse func(string) (T, error)
	what  string // what a value is, for errors: "an IPv4 address"
	typ   string // the placeholder --help shows after the flag's name
}

func (f *valueFlag[T]) Set(s string) error {
	v, err := f.parse(s)
	if err != nil {
		return &invalidValue{value: s, what: f.what, err: err}
	}
	*f.p = v
	return nil
}

func (f *valueFlag[T]) String() string { return formatValue(*f.p) }

func (f *valueFlag[T]) Type() string { return f.typ }

// listFlag is a pflag.Value holding a list: items separated by commas, by repeating the flag,
// or both. Each item is parsed as valueFlag parses one value; an empty item is refused rather
// than dropped, since "a@x.org,,b@x.org" is more likely a mistake than a list of two. A
// semicolon (as Outlook separates recipients) is the item's parser's to refuse, naming the item.
type listFlag[T comparable] struct {
	p     *[]T
	parse func(string) (T, error)
	what  string // what an item is: "an e-mail address"
	items string // what the items are, in the plural: "e-mail addresses"
	typ   string
}

func (f *listFlag[T]) Set(s string) error {
	items := strings.Split(s, ",")
	for i, item := range items {
		if strings.TrimSpace(item) == "" {
			return &invalidValue{value: s, what: "a list of " + f.items,
				err: fmt.Errorf("it has an empty item (item %d of %d); separate them with single commas, and leave none empty", i+1, len(items))}
		}
	}
	parsed := make([]T, len(items))
	for i, item := range items {
		v, err := f.parse(item)
		if err != nil {
			return &invalidValue{value: strings.TrimSpace(item), what: f.what, err: err}
		}
		parsed[i] = v
	}
	*f.p = append(*f.p, parsed...)
	return nil
}

func (f *listFlag[T]) String() string {
	s := make([]string, len(*f.p))
	for i, v := range *f.p {
		s[i] = formatValue(v)
	}
	return strings.Join(s, ",")
}

func (f *listFlag[T]) Type() string { return f.typ }

// formatValue prints a flag's value for --help: nothing for the zero value ("not given").
func formatValue[T comparable](v T) string {
	var zero T
	if v == zero {
		return ""
	}
	return fmt.Sprint(v)
}

// meaningless is why a command refuses a flag that other commands share but that means nothing
// to it, phrased to follow the flag's name (parseFlags puts it there).
type meaningless struct{ why string }

func (e *meaningless) Error() string { return e.why }

// meaninglessFlag is a flag a command refuses: hidden from its --help, and refused with why
// when given, rather than reported as unknown, since the README lists it among the flags
// every command shares.
type meaninglessFlag struct{ why string }

func (f *meaninglessFlag) Set(string) error { return &meaningless{why: f.why} }
func (f *meaninglessFlag) String() string   { return "" }
func (f *meaninglessFlag) Type() string     { return "" }

// refuseVar defines the common flag name, which the command refuses because why ("has no
// meaning for ip: ..."). A boolean flag is refused given alone too.
func refuseVar(fs *pflag.FlagSet, name string, boolean bool, why string) {
	f := fs.VarPF(&meaninglessFlag{why: why}, name, "", "")
	if boolean {
		f.NoOptDefVal = "true"
	}
	_ = fs.MarkHidden(name) // the flag was just defined: MarkHidden cannot fail
}

// ipv4Var defines a flag holding one IPv4 address (parseIPv4).
func ipv4Var(fs *pflag.FlagSet, p *netip.Addr, name, usage string) {
	fs.Var(&valueFlag[netip.Addr]{p: p, parse: parseIPv4, what: "an IPv4 address", typ: "ipv4"}, name, usage)
}

// ipv4ListVar defines a flag holding a list of IPv4 addresses (parseIPv4).
func ipv4ListVar(fs *pflag.FlagSet, p *[]netip.Addr, name, usage string) {
	fs.Var(&listFlag[netip.Addr]{p: p, parse: parseIPv4, what: "an IPv4 address", items: "IPv4 addresses", typ: "ipv4s"}, name, usage)
}

// portVar defines a flag holding a TCP port (parsePort), def unless given.
func portVar(fs *pflag.FlagSet, p *int, name string, def int, usage string) {
	*p = def
	fs.Var(&valueFlag[int]{p: p, parse: parsePort, what: "a TCP port", typ: "port"}, name, usage)
}

// domainVar defines a flag holding a mail domain (parseDomain).
func domainVar(fs *pflag.FlagSet, p *string, name, usage string) {
	fs.Var(&valueFlag[string]{p: p, parse: parseDomain, what: "a domain name", typ: "domain"}, name, usage)
}

// hostVar defines a flag holding a server's name or IP address (parseHost).
func hostVar(fs *pflag.FlagSet, p *string, name, usage string) {
	fs.Var(&valueFlag[string]{p: p, parse: parseHost, what: "a host name or IP address", typ: "host"}, name, usage)
}

// addressVar defines a flag holding one e-mail address (parseAddress).
func addressVar(fs *pflag.FlagSet, p *string, name, usage string) {
	fs.Var(&valueFlag[string]{p: p, parse: parseAddress, what: "an e-mail address", typ: "address"}, name, usage)
}

// addressListVar defines a flag holding a list of e-mail addresses (parseAddress).
func addressListVar(fs *pflag.FlagSet, p *[]string, name, usage string) {
	fs.Var(&listFlag[string]{p: p, parse: parseAddress, what: "an e-mail address", items: "e-mail addresses", typ: "addresses"}, name, usage)
}

// heloVar defines a flag holding the EHLO name (parseHelo).
func heloVar(fs *pflag.FlagSet, p *string, name, usage string) {
	fs.Var(&valueFlag[string]{p: p, parse: parseHelo, what: "an EHLO name", typ: "name"}, name, usage)
}

// resolverVar defines a flag holding a DNS server (parseResolver).
func resolverVar(fs *pflag.FlagSet, p *string, name, usage string) {
	fs.Var(&valueFlag[string]{p: p, parse: parseResolver, what: "a DNS server, host[:port]", typ: "host[:port]"}, name, usage)
}

// timeoutVar defines a flag holding a deadline (parseTimeout), def unless given.
func timeoutVar(fs *pflag.FlagSet, p *time.Duration, name string, def time.Duration, usage string) {
	*p = def
	fs.Var(&valueFlag[time.Duration]{p: p, parse: parseTimeout, what: "a timeout", typ: "duration"}, name, usage)
}

// skipVar defines --skip: checks of the command cmd to leave out, a list of the ids in valid
// (parseSkip). refused are the checks the command has but cannot leave out, with why.
func skipVar(fs *pflag.FlagSet, p *[]check.ID, cmd string, valid []check.ID, refused map[check.ID]string, usage string) {
	parse := func(s string) (check.ID, error) { return parseSkip(s, cmd, valid, refused) }
	fs.Var(&listFlag[check.ID]{p: p, parse: parse, what: "a check " + cmd + " can leave out", items: "checks", typ: "checks"}, "skip", usage)
}

// certDomainVar defines a flag holding a connector's TlsSenderCertificateName (parseCertDomain).
func certDomainVar(fs *pflag.FlagSet, p *string, name, usage string) {
	fs.Var(&valueFlag[string]{p: p, parse: parseCertDomain, what: "a certificate name a connector takes", typ: "domain"}, name, usage)
}

// parseIPv4 is the rule for an address of the site as an inbound connector holds it
// (--expect-ip, --public-ip): IPv4 only, since SenderIPAddresses takes nothing else.
func parseIPv4(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	switch {
	case err != nil:
		return netip.Addr{}, errors.New("want four numbers separated by dots, such as 203.0.113.7")
	case !a.Is4():
		return netip.Addr{}, errors.New("inbound connectors hold IPv4 only")
	}
	return a, nil
}

// parsePort is the rule for a TCP port: 1 to 65535.
func parsePort(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 65535 {
		return 0, errors.New("want a number from 1 to 65535")
	}
	return n, nil
}

// parseName is the rule for a DNS name given on the command line: labels of letters, digits and
// hyphens, 1 to 63 characters each and none starting or ending with a hyphen, 253 characters in
// all. A unicode name such as bücher.de is returned in its A-label form (xn--bcher-kva.de);
// every name is returned in lower case without a trailing dot.
func parseName(s string) (string, error) {
	name := strings.TrimSuffix(strings.TrimSpace(s), ".")
	switch {
	case name == "":
		return "", errors.New("it is empty")
	case strings.Contains(name, "@"):
		return "", errors.New("it is an e-mail address; give the part after the @")
	}
	for _, r := range name {
		if r < utf8.RuneSelf && r != '.' && r != '-' && !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return "", fmt.Errorf("it has the character %q, which a DNS name cannot hold", r)
		}
	}
	name, err := toASCII(name)
	if err != nil {
		return "", err
	}
	if len(name) > 253 {
		return "", errors.New("it is longer than a DNS name can be (253 characters)")
	}
	for l := range strings.SplitSeq(name, ".") {
		switch {
		case l == "":
			return "", errors.New("it has an empty label (two dots in a row, or a leading dot)")
		case len(l) > 63:
			return "", fmt.Errorf("it has a label longer than 63 characters (%.20s...)", l)
		case l[0] == '-' || l[len(l)-1] == '-':
			return "", fmt.Errorf("its label %q starts or ends with a hyphen", l)
		}
	}
	return name, nil
}

// parseDomain is the rule for a mail domain (--domain, the part of an address after the @): a
// DNS name (parseName) of two labels or more that is not an IP address.
func parseDomain(s string) (string, error) {
	if _, err := netip.ParseAddr(strings.TrimSpace(s)); err == nil {
		return "", errors.New("it is an IP address; give the domain, such as contoso.com")
	}
	name, err := parseName(s)
	if err != nil {
		return "", err
	}
	if !strings.Contains(name, ".") {
		return "", errors.New("it is not a full domain name; give one such as contoso.com")
	}
	return name, nil
}

// parseHost is the rule for a server given by name or address (--host, the host of --resolver):
// an IP address, bracketed or not, or a DNS name (parseName).
func parseHost(s string) (string, error) {
	if a, err := netip.ParseAddr(strings.Trim(strings.TrimSpace(s), "[]")); err == nil {
		return a.String(), nil
	}
	return parseName(s)
}

// parseAddress is the rule for an e-mail address (--from, --to, --user): an RFC 5321 Mailbox
// as a device sends it, local@domain. The local part is a Dot-string (RFC 5321 4.1.2): atoms of
// letters, digits and !#$%&'*+-/=?^_`{|}~ (and, for SMTPUTF8, any non-ASCII letter; RFC 6531)
// joined by single dots, at most 64 octets; the domain is as parseDomain takes it and returns it
// (in A-label form). A display name, angle brackets, spaces, a list, a quoted local part and an
// address literal are refused, each with the words that say so.
func parseAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", errors.New("it is empty")
	case !utf8.ValidString(s):
		return "", errors.New("it is not valid text (UTF-8)")
	case strings.ContainsAny(s, "<>"):
		return "", errors.New("it has a display name or angle brackets; give the bare address, such as app@contoso.com")
	case strings.ContainsRune(s, ';'):
		return "", errors.New("it has a semicolon; separate addresses with commas (a@contoso.com,b@contoso.com)")
	case strings.IndexFunc(s, unicode.IsSpace) >= 0:
		return "", errors.New("it has a space; give the bare address, such as app@contoso.com")
	case strings.HasPrefix(s, `"`):
		return "", errors.New(`it has a quoted local part ("..."@); give a plain address, such as app@contoso.com`)
	case strings.Contains(s, "@@"):
		return "", errors.New("it has two @ in a row; want name@domain, such as app@contoso.com")
	}
	local, domain, ok := strings.Cut(s, "@")
	switch {
	case !ok:
		return "", errors.New("it has no @; want name@domain, such as app@contoso.com")
	case strings.Contains(domain, "@"):
		return "", errors.New("it has more than one @; want name@domain, such as app@contoso.com")
	case local == "":
		return "", errors.New("it has nothing before the @")
	case len(local) > 64:
		return "", errors.New("the part before the @ is longer than 64 characters")
	case strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, ".."):
		return "", errors.New("the part before the @ starts or ends with a dot, or has two in a row")
	case strings.HasPrefix(domain, "["):
		return "", errors.New("its domain is an address literal ([...]); give the domain, such as contoso.com")
	}
	for _, r := range local {
		if r < utf8.RuneSelf && r != '.' && !isAtext(byte(r)) || r >= utf8.RuneSelf && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
			return "", fmt.Errorf("it has the character %q before the @, which an address cannot hold unquoted", r)
		}
	}
	d, err := parseDomain(domain)
	if err != nil {
		return "", fmt.Errorf("its domain %w", err)
	}
	return local + "@" + d, nil
}

// isAtext reports whether the ASCII character c may stand in an atom (RFC 5322 atext).
func isAtext(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

// parseHelo is the rule for the EHLO name (--helo): a host name (parseName, written in A-label
// form) or an IP address, which goes out as an address literal ([192.0.2.10], [IPv6:2001:db8::1])
// as RFC 5321 4.1.3 writes it.
func parseHelo(s string) (string, error) {
	t := strings.Trim(strings.TrimSpace(s), "[]")
	if a, err := netip.ParseAddr(strings.TrimPrefix(t, "IPv6:")); err == nil {
		if a.Is4() {
			return "[" + a.String() + "]", nil
		}
		return "[IPv6:" + a.String() + "]", nil
	}
	return parseName(s)
}

// parseResolver is the rule for a DNS server (--resolver): host or host:port, the host as
// parseHost takes it, the port as parsePort; an IPv6 address with a port goes in brackets
// ([2001:db8::53]:53). It is returned as host or host:port, the form resolve.New takes.
func parseResolver(s string) (string, error) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.String(), nil
	}
	if strings.Contains(s, "/") {
		return "", errors.New("it is a URL; want host or host:port, such as 192.0.2.53 or dns.contoso.com:53")
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		if strings.Contains(s, ":") {
			return "", errors.New("want host or host:port, an IPv6 address with a port in brackets ([2001:db8::53]:53)")
		}
		host, port = s, ""
	}
	if host, err = parseHost(host); err != nil {
		return "", err
	}
	if port == "" {
		return host, nil
	}
	n, err := parsePort(port)
	if err != nil {
		return "", fmt.Errorf("its port %s: %w", port, err)
	}
	return net.JoinHostPort(host, strconv.Itoa(n)), nil
}

// parseSkip is the rule for a check to leave out (--skip) of the command cmd: one of valid, in
// any case; a check in refused is refused with its reason, any other as no such check.
func parseSkip(s, cmd string, valid []check.ID, refused map[check.ID]string) (check.ID, error) {
	id := check.ID(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(valid, id) {
		return id, nil
	}
	if why, ok := refused[id]; ok {
		return "", errors.New(why)
	}
	return "", fmt.Errorf("no such check; %s's checks are %s", cmd, joinIDs(valid, ", "))
}

// skipSet is the set of checks --skip named; nil when it named none.
func skipSet(ids []check.ID) map[check.ID]bool {
	if len(ids) == 0 {
		return nil
	}
	m := make(map[check.ID]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// parseTimeout is the rule for a deadline (--timeout, --connect-timeout, --reply-timeout): a
// duration longer than zero. That the parts fit in the whole is timeoutOptions' rule.
func parseTimeout(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	switch {
	case err != nil:
		return 0, errors.New("want a number with a unit, such as 30s, 2m or 1m30s")
	case d <= 0:
		return 0, errors.New("it must be longer than zero, such as 30s")
	}
	return d, nil
}

// parseCertDomain is the rule for --cert-domain, the connector's TlsSenderCertificateName:
// certcheck.ValidateCertDomain's, once a unicode name is written in its A-label form. It is
// returned as certcheck compares it: lower case, without a trailing dot.
func parseCertDomain(s string) (string, error) {
	normalize := func(s string) string { return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".") }
	v := normalize(s)
	if base, wild := strings.CutPrefix(v, "*."); !idn.IsASCII(base) {
		a, err := toASCII(base)
		if err != nil {
			return "", err
		}
		v = a
		if wild {
			v = "*." + a
		}
	}
	if err := certcheck.ValidateCertDomain(v); err != nil {
		var de *certcheck.CertDomainError
		if errors.As(err, &de) {
			return "", errors.New(de.Reason)
		}
		return "", err
	}
	// certcheck normalizes v once more before it checks it ("x ." is "x " here and "x" there):
	// return what it checked.
	return normalize(v), nil
}

// toASCII writes a name in the A-label form DNS carries (idn.ToASCII).
func toASCII(name string) (string, error) { return idn.ToASCII(name) }
