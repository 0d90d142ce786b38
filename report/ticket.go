package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// Ticket is what a report for a ticket says beside the checks: how exoprobe was run, on which
// machine, with which inputs, and how the process ended. cmd gathers it before it renders; the
// renderers only lay it out and never read the environment themselves. Every format shows it:
// text as a short block before the findings and a line after the verdict, JSON as
// command_line, environment, inputs and exit_code, Markdown and HTML as a section of the run.
type Ticket struct {
	// CommandLine is the command as typed, quoted for a shell, with anything that looks like a
	// secret already replaced by cmd. The renderers show it as it is (control characters escaped).
	CommandLine string
	Environment Environment
	Inputs      Inputs
	// ExitCode is the process's exit code for this report (0 pass, 1 warnings, 2 a failure, 3
	// could not run).
	ExitCode int
}

// Environment is the machine a run was made on, as a helpdesk ticket needs it.
type Environment struct {
	OS, Arch string // runtime.GOOS and runtime.GOARCH
	// Machine is this machine's host name; empty when the system would not say.
	Machine string
	// TimeZone is the local zone's abbreviation at the start of the run ("CET"), UTCOffset its
	// offset east of UTC in seconds then.
	TimeZone  string
	UTCOffset int
	// Proxies are the proxy variables set in the environment, in a fixed order. exoprobe's
	// HTTPS requests (the public-IP fallback, the token request) go through such a proxy; SMTP
	// does not.
	Proxies []ProxyVariable
}

// ProxyVariable is a proxy variable set in the environment. Value is never the variable's whole
// value: cmd keeps only scheme://host:port of a proxy URL (no user name, password, path or
// query) and, for NO_PROXY, its list of hosts.
type ProxyVariable struct {
	Name  string // HTTPS_PROXY, https_proxy, HTTP_PROXY, ALL_PROXY, NO_PROXY...
	Value string
}

// ProxyConfigured reports whether a proxy variable other than NO_PROXY is set.
func (e Environment) ProxyConfigured() bool {
	for _, p := range e.Proxies {
		if !strings.EqualFold(p.Name, "NO_PROXY") {
			return true
		}
	}
	return false
}

// Inputs are the values a run used, after defaults were filled in (the domain from --from, the
// port): what the engineer asked about, as the report's reader needs them. A zero field was
// not part of the run and is left out.
type Inputs struct {
	From   string
	To     []string
	Domain string
	Host   string // the endpoint given with --host; empty when it is the MX or the cloud's host
	Port   int

	// site: the submission endpoint beside the port-25 one (Host and Port)
	SubmitHost string
	SubmitPort int

	// relay, direct and connector
	ExpectIP    []string
	PublicIP    string // given with --public-ip
	Certificate string // the file of the client or app certificate (--cert, --pfx, --client-cert, --client-pfx, cert's FILE)
	CertDomain  string
	Name        string // the connector's name

	// submit
	User, Auth, Tenant, ClientID, Cloud string
	// ReaderID is the read-only app that read the tenant for submit --tenant-check (--reader-id).
	ReaderID string

	Resolver string
	Helo     string
	Send     *bool // nil where the command never sends
	Skip     []string
}

// inputPair is one input as the text, Markdown and HTML formats show it: the flag's name and
// the value.
type inputPair struct{ name, value string }

// pairs lists the inputs that are set, in the order the commands' help lists their flags.
func (in Inputs) pairs() []inputPair {
	var out []inputPair
	add := func(name, value string) {
		if value != "" {
			out = append(out, inputPair{name, value})
		}
	}
	add("from", in.From)
	add("to", strings.Join(in.To, ", "))
	add("domain", in.Domain)
	add("host", in.Host)
	if in.Port != 0 {
		add("port", strconv.Itoa(in.Port))
	}
	add("submit-host", in.SubmitHost)
	if in.SubmitPort != 0 {
		add("submit-port", strconv.Itoa(in.SubmitPort))
	}
	add("expect-ip", strings.Join(in.ExpectIP, ", "))
	add("public-ip", in.PublicIP)
	add("certificate", in.Certificate)
	add("cert-domain", in.CertDomain)
	add("name", in.Name)
	add("user", in.User)
	add("auth", in.Auth)
	add("tenant", in.Tenant)
	add("client-id", in.ClientID)
	add("reader-id", in.ReaderID)
	add("cloud", in.Cloud)
	add("resolver", in.Resolver)
	add("helo", in.Helo)
	if in.Send != nil {
		add("send", strconv.FormatBool(*in.Send))
	}
	add("skip", strings.Join(in.Skip, ", "))
	return out
}

// utcOffset prints an offset in seconds as +01:00.
func utcOffset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	return fmt.Sprintf("%s%02d:%02d", sign, sec/3600, sec%3600/60)
}

// runHead is what a ticket says of a run beside the ticket itself: the command that made it,
// exoprobe's version, when it started and how long it took. A run and a site run have one each.
type runHead struct {
	Mode       check.Mode
	Version    string
	Started    time.Time // zero: not recorded
	DurationMS int64
}

// headOf is a run's head.
func headOf(rep *probe.Report) runHead {
	return runHead{Mode: rep.Mode, Version: rep.Version, Started: rep.Started, DurationMS: rep.DurationMS}
}

// siteHead is a site run's head.
func siteHead(s *probe.Site) runHead {
	return runHead{Mode: check.ModeSite, Version: s.Version, Started: s.Started, DurationMS: s.DurationMS}
}

// localStart is when the run started, in the time zone of the machine it ran on:
// "2026-11-22 13:00:00 CET (UTC+01:00)". Without a ticket it is the start in UTC.
func localStart(h runHead, t *Ticket) string {
	if h.Started.IsZero() {
		return "not recorded"
	}
	if t == nil {
		return h.Started.UTC().Format("2006-01-02 15:04:05") + " UTC"
	}
	env := t.Environment
	loc := time.FixedZone(env.TimeZone, env.UTCOffset)
	s := h.Started.In(loc).Format("2006-01-02 15:04:05")
	if env.TimeZone == "UTC" && env.UTCOffset == 0 {
		return s + " UTC"
	}
	if env.TimeZone != "" {
		s += " " + env.TimeZone
	}
	return s + " (UTC" + utcOffset(env.UTCOffset) + ")"
}

// system names exoprobe's version and the platform: "exoprobe 0.1.0, windows/amd64".
func system(h runHead, t *Ticket) string {
	s := "exoprobe " + orValue(h.Version, "(version unknown)")
	if t != nil && t.Environment.OS != "" {
		s += ", " + t.Environment.OS + "/" + t.Environment.Arch
	}
	return s
}

// proxyText says whether a proxy is set in the environment, and which.
func proxyText(env Environment) string {
	if len(env.Proxies) == 0 {
		return "no proxy set in the environment"
	}
	vars := make([]string, 0, len(env.Proxies))
	for _, p := range env.Proxies {
		vars = append(vars, p.Name+"="+p.Value)
	}
	if !env.ProxyConfigured() {
		return "no proxy set in the environment (" + strings.Join(vars, ", ") + ")"
	}
	return "proxy in the environment: " + strings.Join(vars, ", ")
}

// rootCauseText names the root cause in one line: "the send check, 5.7.64
// (relay-tenant-attribution)"; "none" when the verdict names none.
func rootCauseText(rep *probe.Report) string {
	f, ok := rootCause(rep)
	if !ok {
		return "none"
	}
	s := "the " + string(f.Check) + " check"
	if f.Code != "" {
		s += ", " + string(f.Code)
	}
	if f.Hint != nil && f.Hint.ID != "" {
		s += " (" + f.Hint.ID + ")"
	}
	return s
}

// ticketLabel is the width of the labels of the text format's run block.
const ticketLabel = 7

// ticketText writes the run block of the text format, before the findings: the command line
// (never wrapped, so that it can be copied), exoprobe's version, the platform and the machine,
// when the run started and whether a proxy is set, and the inputs.
func ticketText(ew *errWriter, p palette, h runHead, t *Ticket, width int) {
	if t == nil {
		return
	}
	label := func(s string) string { return p.bold.Sprint(s) + strings.Repeat(" ", ticketLabel-len(s)) }
	hang := strings.Repeat(" ", ticketLabel)
	ew.line("")
	ew.line(label("Run") + clean(orValue(t.CommandLine, "exoprobe "+string(h.Mode))))
	about := system(h, t)
	if t.Environment.Machine != "" {
		about += ", machine " + t.Environment.Machine
	}
	for _, text := range []string{about, "started " + localStart(h, t) + ", took " + duration(h.DurationMS), proxyText(t.Environment)} {
		for _, l := range wrap(text, width, hang, hang+"  ") {
			ew.line(l)
		}
	}
	if pairs := t.Inputs.pairs(); len(pairs) > 0 {
		items := make([]string, 0, len(pairs))
		for _, pr := range pairs {
			items = append(items, pr.name+" "+pr.value)
		}
		lines := wrap(strings.Join(items, "; "), width, hang, hang)
		lines[0] = label("Input") + strings.TrimPrefix(lines[0], hang)
		for _, l := range lines {
			ew.line(l)
		}
	}
}

// ticketTextEnd writes the line after the verdict: the root causes the verdict names (a run's
// one, or each path's of a site run), and the exit code.
func ticketTextEnd(ew *errWriter, p palette, causes []string, t *Ticket, width int) {
	if t == nil {
		return
	}
	label, text := "Exit code:", strconv.Itoa(t.ExitCode)
	switch len(causes) {
	case 0:
	case 1:
		label, text = "Root cause:", clean(causes[0])+"; exit code "+text
	default:
		label, text = "Root causes:", clean(strings.Join(causes, "; "))+"; exit code "+text
	}
	lines := wrap(label+" "+text, width, "", "  ")
	lines[0] = p.bold.Sprint(label) + strings.TrimPrefix(lines[0], label)
	for _, l := range lines {
		ew.line(l)
	}
}

// runCauses is a run's root cause as ticketTextEnd takes it: none or one.
func runCauses(rep *probe.Report) []string {
	if _, ok := rootCause(rep); ok {
		return []string{rootCauseText(rep)}
	}
	return nil
}
