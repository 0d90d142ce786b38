// Package ports is the "tcp" check: can this machine open a TCP connection to the endpoint
// on the mail port, per address family, and on control ports (587, 443) that tell a blocked
// port 25 from a host that cannot be reached at all. Every connection is made at once, each with
// its own deadline, so a filtered port is called filtered at the connect timeout while the
// others go on.
package ports

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
)

// DefaultConnectTimeout decides how soon a silent port is called filtered (--connect-timeout)
// when Config.ConnectTimeout is zero. Exchange Online answers a SYN in well under a second
// from anywhere.
const DefaultConnectTimeout = 5 * time.Second

// State is what a connection attempt found.
type State string

// The states of a port.
const (
	Open        State = "open"        // the connection was made
	Refused     State = "refused"     // a TCP reset came back
	Filtered    State = "filtered"    // nothing came back before the timeout
	Unreachable State = "unreachable" // no route to the network or host, or no address of the family here
	Blocked     State = "blocked"     // this machine refused to send it (local firewall or security product)
	Aborted     State = "aborted"     // the run ended (its deadline or a cancel) before the attempt did
	Failed      State = "error"       // any other failure
)

// Classify returns the state a dial error means; nil is Open. A deadline of the dial's own
// context is Filtered; the caller tells a run that ended apart (Aborted).
func Classify(err error) State {
	switch {
	case err == nil:
		return Open
	case isAny(err, refusedErrnos):
		return Refused
	case isAny(err, unreachableErrnos):
		return Unreachable
	case isAny(err, blockedErrnos):
		return Blocked
	case isAny(err, timedOutErrnos), errors.Is(err, context.DeadlineExceeded):
		return Filtered
	case errors.Is(err, context.Canceled):
		return Aborted
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return Filtered
	}
	return Failed
}

func isAny(err error, targets []error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

// Control is a port tried for comparison only: its state is a fact, never a finding.
type Control struct {
	Port  int
	Label string // how messages name it, e.g. "443"; the port number when empty
}

// Family values of Config.
const (
	// FamilyIPv4 makes IPv4 alone decide the result, as for a relay through an inbound
	// connector (connectors match IPv4 only). IPv6 is still tried on the main port, to warn
	// when the site could reach Exchange Online over IPv6.
	FamilyIPv4 = "ipv4"
)

// Config is what the check needs.
type Config struct {
	Host           string       // the endpoint's name, for messages
	Addrs4, Addrs6 []netip.Addr // the first of each family is tried
	Port           int          // the main port; 25 when zero
	Controls       []Control    // tried on each family the result rests on
	Family         string       // FamilyIPv4, or "" for both families
	ConnectTimeout time.Duration
	// Proxy is the HTTP proxy this machine's HTTPS goes through (scheme://host:port), "" when
	// none: SMTP does not go through it, which a port that cannot be reached directly is told
	// with (code.SMTPNotProxied).
	Proxy string
	// Dial makes a connection; nil is a net.Dialer. Tests use it for the states loopback
	// cannot show (a silent, filtered port).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	Logf check.Logf // called from several goroutines at once
}

// attempt is one connection attempt.
type attempt struct {
	port    int
	label   string
	main    bool
	fam     string // "ipv4" or "ipv6"
	addr    netip.AddrPort
	state   State
	elapsed time.Duration
	err     error
}

func (a *attempt) key() string { return strconv.Itoa(a.port) + "/" + a.fam }

// Outcome is what the check saw: its result, and the state of the endpoint's port per family,
// which the runner reads to tell a conversation that could not connect from a new fact.
type Outcome struct {
	Result *check.Result
	// Main is the state of the endpoint's port per family tried ("ipv4", "ipv6"); empty when
	// the check was skipped.
	Main map[string]State
}

// Run tries every (port, family) at once and returns the "tcp" result and the states.
func Run(ctx context.Context, cfg Config) Outcome {
	start := time.Now()
	r := check.New("tcp")
	out := Outcome{Result: r, Main: map[string]State{}}
	defer r.Since(start)
	if cfg.Port == 0 {
		cfg.Port = 25
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	if cfg.Dial == nil {
		var d net.Dialer
		cfg.Dial = d.DialContext
	}

	attempts := plan(cfg)
	if len(attempts) == 0 {
		reason := "no address to connect to (see the dns check)"
		if cfg.Family == FamilyIPv4 {
			reason = "no IPv4 address to connect to (see the dns check)"
		}
		r.Skip(reason)
		return out
	}
	var wg sync.WaitGroup
	for _, a := range attempts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dial(ctx, cfg, a)
			cfg.Logf.Printf("tcp: %s %s: %s in %v", a.key(), a.addr, a.state, a.elapsed.Round(time.Millisecond))
		}()
	}
	wg.Wait()

	for _, a := range attempts {
		fact := map[string]any{"state": string(a.state), "connect_ms": a.elapsed.Milliseconds(), "addr": a.addr.String()}
		if a.err != nil {
			fact["error"] = a.err.Error()
		}
		r.Set(a.key(), fact)
	}
	for _, a := range attempts {
		if a.main {
			out.Main[a.fam] = a.state
		}
	}
	judge(r, cfg, attempts)
	r.Summary = summary(attempts)
	return out
}

// plan lists the attempts: the main port on each family with an address, the control ports
// on the families that decide.
func plan(cfg Config) []*attempt {
	var out []*attempt
	add := func(fam string, addrs []netip.Addr, controls bool) {
		if len(addrs) == 0 {
			return
		}
		a := addrs[0].Unmap()
		out = append(out, &attempt{port: cfg.Port, label: strconv.Itoa(cfg.Port), main: true, fam: fam,
			addr: netip.AddrPortFrom(a, uint16(cfg.Port))})
		if !controls {
			return
		}
		for _, c := range cfg.Controls {
			if c.Port == cfg.Port || c.Port <= 0 || c.Port > 65535 {
				continue
			}
			label := c.Label
			if label == "" {
				label = strconv.Itoa(c.Port)
			}
			out = append(out, &attempt{port: c.Port, label: label, fam: fam, addr: netip.AddrPortFrom(a, uint16(c.Port))})
		}
	}
	if cfg.Family == FamilyIPv4 && len(cfg.Addrs4) == 0 {
		return nil
	}
	add("ipv4", cfg.Addrs4, true)
	add("ipv6", cfg.Addrs6, cfg.Family != FamilyIPv4)
	return out
}

// dial makes one attempt with its own deadline and classifies it.
func dial(ctx context.Context, cfg Config, a *attempt) {
	network := "tcp4"
	if a.fam == "ipv6" {
		network = "tcp6"
	}
	dctx, cancel := context.WithTimeout(ctx, cfg.ConnectTimeout)
	defer cancel()
	start := time.Now()
	conn, err := cfg.Dial(dctx, network, a.addr.String())
	a.elapsed = time.Since(start)
	if conn != nil {
		conn.Close()
	}
	a.err = err
	a.state = Classify(err)
	if err != nil && ctx.Err() != nil {
		a.state = Aborted // the run ended first: the port was not given its full time
	}
}

// judge adds the findings. The main port decides on the families that count: a failure on
// every one of them fails the check; on one of two, it is a warning, except a family that is
// unreachable (a site without IPv6 is normal). Control ports only colour the messages.
func judge(r *check.Result, cfg Config, attempts []*attempt) {
	var decisive, failed []*attempt
	for _, a := range attempts {
		if !a.main || (cfg.Family == FamilyIPv4 && a.fam != "ipv4") {
			continue
		}
		decisive = append(decisive, a)
		if a.state != Open {
			failed = append(failed, a)
		}
	}
	anyOpen := len(failed) < len(decisive)
	if cfg.Proxy != "" {
		// First, so that it names the root cause: the proxy explains the blocked port.
		for _, a := range failed {
			if a.state != Filtered && a.state != Refused {
				continue
			}
			sev := check.Fail
			if anyOpen {
				sev = check.Warn
			}
			r.Add(check.Finding{
				Severity: sev, Code: code.SMTPNotProxied,
				Message: fmt.Sprintf("HTTPS from this machine goes through the proxy %s, but SMTP on port %d does not go "+
					"through an HTTP proxy: mail reaches Exchange Online only over a direct TCP connection, and the "+
					"connection to %s (%s) on port %d was %s. A site that reaches the Internet only through a proxy "+
					"cannot relay or submit mail to Exchange Online at all.", cfg.Proxy, a.port, hostName(cfg, a), a.addr,
					a.port, a.state),
			})
			break
		}
	}
	for _, a := range failed {
		if anyOpen && a.state == Unreachable {
			continue
		}
		sev := check.Fail
		if anyOpen || a.state == Aborted {
			sev = check.Warn
		}
		fc, msg := explain(cfg, a, attempts)
		r.Add(check.Finding{Severity: sev, Code: fc, Message: msg})
	}

	if cfg.Family == FamilyIPv4 {
		for _, a := range attempts {
			if a.main && a.fam == "ipv6" && a.state == Open {
				r.Add(check.Finding{
					Severity: check.Warn, Code: code.IPv6Egress,
					Message: fmt.Sprintf("This site can also reach %s over IPv6 (%s connected in %d ms). Inbound "+
						"connectors match IPv4 source addresses only, so an application or server that prefers IPv6 "+
						"connects over IPv6, is not recognised by the connector and is refused (550 5.7.64 "+
						"TenantAttribution). Make it connect over IPv4: configure it to use IPv4 only, or give it the "+
						"endpoint's IPv4 address.", hostName(cfg, a), a.addr, a.elapsed.Milliseconds()),
				})
			}
		}
	}
}

// explain returns the code and message for a main port that did not open. The control ports
// on the same family turn two patterns into verdicts of their own: the main port filtered while
// a control port connects is a block of that one port (an ISP's, a cloud provider's or a
// firewall's); the main port and every control port filtered or refused is a network that lets
// no mail port out.
func explain(cfg Config, a *attempt, attempts []*attempt) (c check.Code, msg string) {
	where := fmt.Sprintf("%s (%s)", hostName(cfg, a), a.addr)
	open, silent, refused := controlsOf(a, attempts)
	closed := len(silent) + len(refused)
	if (a.state == Filtered || a.state == Refused) && closed > 0 && closed == controlCount(a, attempts) {
		return code.MailPortsBlocked, fmt.Sprintf("This network blocks all outbound mail ports: port %d of %s %s, and "+
			"%s. Nothing this test tried reaches the host from here, so no connector, Direct Send or client submission "+
			"can work from this network as it is. A firewall blocks all outbound traffic to Exchange Online, or this "+
			"network reaches the Internet only through a proxy. Allow outbound TCP %d (and 587 for client submission) to "+
			"Exchange Online in the firewall, or send from a network that allows it.",
			a.port, where, stateWords(a, cfg), controlWords(silent, refused), a.port)
	}
	switch a.state {
	case Filtered:
		msg = fmt.Sprintf("Nothing answered a connection to %s on port %d within %v: the port is filtered "+
			"(the packets are dropped without a reply).", where, a.port, cfg.ConnectTimeout)
		if len(open) > 0 {
			msg = fmt.Sprintf("The ISP or a firewall blocks port %d: nothing answered a connection to %s on port %d "+
				"within %v, while port %s on the same host connected, so the host is reachable and only outbound port "+
				"%d is dropped. This is the classic block of an ISP, a cloud provider (Azure blocks outbound port 25 for "+
				"most subscriptions) or a firewall. Allow outbound TCP %d to Exchange Online in the firewall, or ask the "+
				"ISP to lift the block; else submit on port 587 with authentication instead.",
				a.port, where, a.port, cfg.ConnectTimeout, strings.Join(open, " and "), a.port, a.port)
			return code.PortBlocked, msg
		}
		msg += fmt.Sprintf(" A firewall, the ISP or the cloud provider drops outbound port %d; allow it to Exchange Online.", a.port)
		return code.PortFiltered, msg
	case Refused:
		msg = fmt.Sprintf("The connection to %s on port %d was refused (a TCP reset came back). Exchange Online "+
			"listens on port %d, so something on the way rejects it: a local firewall or antivirus, a network "+
			"firewall, or the ISP.", where, a.port, a.port)
		if len(open) > 0 {
			msg += fmt.Sprintf(" Port %s on the same host connected, so only port %d is rejected.", strings.Join(open, " and "), a.port)
		}
		return code.PortRefused, msg
	case Unreachable:
		return code.PortUnreachable, fmt.Sprintf("There is no route from this machine to %s over %s (%v). Check the "+
			"network connection, the default gateway and the routing for %s.", where, famName(a.fam), a.err, famName(a.fam))
	case Blocked:
		return code.PortBlockedLocally, fmt.Sprintf("This machine refused to open the connection to %s on port %d (%v): "+
			"a local firewall or security product blocks outbound port %d (antivirus \"mass-mailing worm\" rules "+
			"do this). Allow the application, or outbound port %d to Exchange Online, in it.", where, a.port, a.err, a.port, a.port)
	case Aborted:
		return code.PortAborted, fmt.Sprintf("The run ended before the connection to %s on port %d finished (after %d ms); "+
			"give the run more time with --timeout.", where, a.port, a.elapsed.Milliseconds())
	}
	return code.PortError, fmt.Sprintf("The connection to %s on port %d failed: %v.", where, a.port, a.err)
}

// stateWords says what became of an attempt that did not open, for a sentence about it.
func stateWords(a *attempt, cfg Config) string {
	if a.state == Refused {
		return "was refused (a TCP reset came back)"
	}
	return fmt.Sprintf("got no answer within %v (filtered)", cfg.ConnectTimeout)
}

// controlWords says what became of the control ports that did not open: "port 587 was refused
// too, and port 443 got no answer either (filtered)".
func controlWords(silent, refused []string) string {
	var parts []string
	switch len(refused) {
	case 0:
	case 1:
		parts = append(parts, "port "+refused[0]+" was refused too")
	default:
		parts = append(parts, "ports "+strings.Join(refused, " and ")+" were refused too")
	}
	switch len(silent) {
	case 0:
	case 1:
		parts = append(parts, "port "+silent[0]+" got no answer either (filtered)")
	default:
		parts = append(parts, "ports "+strings.Join(silent, " and ")+" got no answer either (filtered)")
	}
	return strings.Join(parts, ", and ")
}

// controlCount is how many control ports were tried on a's family.
func controlCount(a *attempt, attempts []*attempt) int {
	n := 0
	for _, c := range attempts {
		if !c.main && c.fam == a.fam {
			n++
		}
	}
	return n
}

// controlsOf returns the labels of the control ports on a's family that opened, that were
// silent and that were refused.
func controlsOf(a *attempt, attempts []*attempt) (open, silent, refused []string) {
	for _, c := range attempts {
		if c.main || c.fam != a.fam {
			continue
		}
		switch c.state {
		case Open:
			open = append(open, c.label)
		case Filtered:
			silent = append(silent, c.label)
		case Refused:
			refused = append(refused, c.label)
		}
	}
	return open, silent, refused
}

func hostName(cfg Config, a *attempt) string {
	if cfg.Host != "" {
		return cfg.Host
	}
	return a.addr.Addr().String()
}

func famName(fam string) string {
	if fam == "ipv6" {
		return "IPv6"
	}
	return "IPv4"
}

func summary(attempts []*attempt) string {
	var mains, controls []string
	for _, a := range attempts {
		if a.main {
			s := fmt.Sprintf("%s %s", a.key(), a.state)
			if a.state == Open {
				s += fmt.Sprintf(" (%d ms)", a.elapsed.Milliseconds())
			}
			mains = append(mains, s)
		} else {
			controls = append(controls, fmt.Sprintf("%s %s", a.key(), a.state))
		}
	}
	s := strings.Join(mains, ", ")
	if len(controls) > 0 {
		s += "; controls: " + strings.Join(controls, ", ")
	}
	return s
}
