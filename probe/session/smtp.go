package session

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/cloud"
	"github.com/exoprobe/exoprobe/probe/code"
	"github.com/exoprobe/exoprobe/probe/reply"
)

// exoGreetingText is what Exchange Online says after its name. On-premises Exchange says it
// too, but under the customer's own host name.
const exoGreetingText = "Microsoft ESMTP MAIL Service ready"

// greetingInfo is what a 220 greeting says about the server.
type greetingInfo struct {
	host   string // the first word
	exo    bool   // Exchange Online's greeting, under one of its domains
	masked bool   // hidden by a Cisco ASA/PIX "mask-banner"
}

// parseGreeting reads the server's first word and recognises Exchange Online and a masked
// greeting. A Cisco ASA with ESMTP inspection (on by default) replaces the greeting's text by
// asterisks and keeps only the characters '2' and '0' (facts §6): "220 ****0**2**".
func parseGreeting(rep *reply.Reply) greetingInfo {
	text := strings.Join(rep.Lines, " ")
	var g greetingInfo
	if f := strings.Fields(text); len(f) > 0 {
		g.host = f[0]
	}
	g.masked = strings.Contains(text, "*") && strings.Trim(text, "*02 ") == ""
	g.exo = !g.masked && cloud.IsServerName(g.host) && strings.Contains(text, exoGreetingText)
	return g
}

// greeting reads the server's 220 and reports whether the conversation can go on.
func (c *conv) greeting(ctx context.Context) bool {
	r := c.out.SMTP
	rep, err := c.read(ctx)
	if err != nil {
		if fc, _, _ := c.classifyStep(ctx, "the greeting", err); fc == code.ReplyTimeout && !runExpired(ctx) && c.partial() > 0 {
			c.note("greeting unfinished after %s: %s arrived", secs(c.cfg.ReplyTimeout), byteCount(c.partial()))
			c.own(r, check.Fail, code.BannerTimeout, "greeting unfinished after "+secs(c.cfg.ReplyTimeout),
				fmt.Sprintf("connected to %s; the server began its greeting but did not finish it in %s (%s arrived, "+
					"a little at a time). Exchange Online greets at once and whole: a firewall or antivirus that inspects SMTP "+
					"is holding the connection and letting the greeting through a little at a time (a tarpit), or something other "+
					"than a mail server accepts connections on port %d.", c.cfg.Addr, secs(c.cfg.ReplyTimeout), byteCount(c.partial()), c.cfg.Port))
			return false
		} else if fc == code.ReplyTimeout && !runExpired(ctx) {
			c.note("no greeting in %s", secs(c.cfg.ReplyTimeout))
			c.own(r, check.Fail, code.BannerTimeout, "connected, but no greeting in "+secs(c.cfg.ReplyTimeout),
				fmt.Sprintf("connected to %s, but the server said nothing in %s. Exchange Online greets at once: a firewall "+
					"or antivirus that inspects SMTP is holding the connection, or something other than a mail server "+
					"accepts connections on port %d.", c.cfg.Addr, secs(c.cfg.ReplyTimeout), c.cfg.Port))
			return false
		}
		c.stepFailed(ctx, r, "the greeting", err)
		return false
	}
	r.Set("banner", strings.Join(rep.Lines, "\n"))
	r.Set("banner_code", rep.Code)
	if rep.Class() == 4 || rep.Class() == 5 {
		c.refused(r, rep, "refused at the greeting: "+rep.String(),
			fmt.Sprintf("%s refused the connection in its greeting: %s. Nothing else can be tested from this address until that is fixed.",
				c.endpoint(), rep.String()))
		c.quit(ctx)
		return false
	}
	if rep.Code != 220 {
		c.own(r, check.Warn, code.BannerUnexpected, "greeting with code "+strconv.Itoa(rep.Code),
			fmt.Sprintf("the server greeted with %q; SMTP servers greet with 220. Going on, but what answers on %s:%d may not be a mail server.",
				rep.String(), c.endpoint(), c.cfg.Port))
	}
	g := parseGreeting(rep)
	c.exo = g.exo
	c.out.EXO = g.exo
	r.Set("is_exo", g.exo)
	if g.host != "" && !g.masked {
		c.bannerHost = g.host
		r.Set("banner_host", g.host)
	}
	switch {
	case g.masked:
		sev, more := check.Warn, ""
		if c.cfg.Mode == check.ModeConnector {
			// Before a connector is created the path must be clean: the device would send
			// through a firewall that rewrites every session and may take STARTTLS out later.
			sev, more = check.Fail, " Fix the path before creating the connector: a connector cannot help mail that a firewall rewrites."
		}
		c.own(r, sev, code.BannerMasked, "greeting masked (firewall SMTP inspection)",
			fmt.Sprintf("the greeting from %s arrived masked as %q: a Cisco ASA/PIX (or a similar firewall) with ESMTP inspection sits "+
				"on the path and rewrites the conversation. It usually also removes STARTTLS, which Exchange Online needs; turn ESMTP "+
				"inspection off for this traffic (no inspect esmtp).%s", c.endpoint(), rep.String(), more))
	case !g.exo && cloud.IsServerName(c.cfg.Host):
		c.own(r, check.Warn, code.NotEXOBanner, "greeting is not Exchange Online's",
			fmt.Sprintf("%s is an Exchange Online endpoint, but the server that answered greeted as %q. Something between this machine "+
				"and Microsoft answers on port %d instead: a transparent proxy, an antivirus mail shield or the firewall; or the "+
				"host name or address is wrong.", c.cfg.Host, rep.String(), c.cfg.Port))
	}
	return true
}

// caps are the capabilities of an EHLO reply.
type caps struct {
	greeting string            // the first line: "host Hello [IP]"
	list     []string          // every capability line as sent
	kw       map[string]string // upper-case keyword → its parameters
	stripped []string          // lines a firewall overwrote with X's ("XXXXXXXA")
	esmtp    bool              // EHLO worked; false after a HELO fallback
}

func (k caps) has(keyword string) bool { _, ok := k.kw[keyword]; return ok }

// xOnlyRE matches a capability a Cisco ASA overwrote: STARTTLS turns into "XXXXXXXA" (facts §6).
var xOnlyRE = regexp.MustCompile(`^X+A?$`)

// echoRE finds the address the server saw in "host Hello [203.0.113.7]" (Exchange) or
// "host Hello name [203.0.113.7], pleased to meet you" (sendmail).
var echoRE = regexp.MustCompile(`(?i)\bHello\b[^\[]*\[(?:IPv6:)?([0-9A-Fa-f:.]+)\]`)

// parseEHLO reads the capabilities and the echoed address of an EHLO reply.
func parseEHLO(rep *reply.Reply) (caps, netip.Addr) {
	k := caps{kw: map[string]string{}, esmtp: true}
	if len(rep.Lines) > 0 {
		k.greeting = rep.Lines[0]
	}
	for _, l := range rep.Lines[min(1, len(rep.Lines)):] {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		k.list = append(k.list, l)
		kw, params, _ := strings.Cut(l, " ")
		// The mask is matched as sent: the ASA writes upper-case X's, and a lower-case "x" is
		// some server's own keyword, not a capability overwritten.
		if xOnlyRE.MatchString(kw) && params == "" {
			k.stripped = append(k.stripped, l)
			continue
		}
		k.kw[strings.ToUpper(kw)] = params
	}
	var echo netip.Addr
	if m := echoRE.FindStringSubmatch(k.greeting); m != nil {
		if a, err := netip.ParseAddr(m[1]); err == nil {
			echo = a.Unmap()
		}
	}
	return k, echo
}

// hello sends EHLO (HELO when the server does not know EHLO) and checks what the reply says:
// the address the server saw, and whether STARTTLS is offered.
func (c *conv) hello(ctx context.Context) bool {
	r := c.out.SMTP
	name := c.cfg.Helo
	if name == "" {
		name = defaultHelo(c.raw.LocalAddr())
	}
	c.cfg.Helo = name
	r.Set("helo", name)
	k, echo, ok := c.ehlo(ctx, r, "EHLO "+name)
	if !ok {
		return false
	}
	r.Set("esmtp", k.esmtp)
	r.Set("capabilities", nonNil(k.list))
	if sz, ok := k.kw["SIZE"]; ok {
		if n, err := strconv.ParseInt(strings.TrimSpace(sz), 10, 64); err == nil && n > 0 {
			r.Set("size", n)
		}
	}
	c.caps = k

	c.checkEcho(echo)
	c.checkStartTLS()

	if r.Status == check.Pass {
		r.Summary = c.smtpSummary()
	}
	return true
}

// ehlo sends an EHLO (or the HELO fallback) and returns the capabilities; on failure the
// finding is on r and ok is false.
func (c *conv) ehlo(ctx context.Context, r *check.Result, line string) (k caps, echo netip.Addr, ok bool) {
	step := strings.Fields(line)[0]
	if c.tlsOn {
		step += " after TLS"
	}
	rep, err := c.cmd(ctx, line)
	if err != nil {
		c.stepFailed(ctx, r, step, err)
		return caps{}, echo, false
	}
	if (rep.Code == 500 || rep.Code == 502) && strings.HasPrefix(line, "EHLO ") {
		helo := "HELO " + strings.TrimPrefix(line, "EHLO ")
		c.note("the server does not know EHLO; falling back to HELO")
		hrep, err := c.cmd(ctx, helo)
		if err != nil {
			c.stepFailed(ctx, r, "HELO", err)
			return caps{}, echo, false
		}
		if hrep.Code != 250 {
			c.refused(r, hrep, "HELO refused: "+hrep.String(),
				fmt.Sprintf("%s refused both EHLO and HELO %s: %s.", c.endpoint(), c.cfg.Helo, hrep.String()))
			c.quit(ctx)
			return caps{}, echo, false
		}
		k, echo = parseEHLO(hrep)
		k.esmtp = false
		return k, echo, true
	}
	if rep.Code != 250 {
		c.refused(r, rep, step+" refused: "+rep.String(),
			fmt.Sprintf("%s refused %s %s: %s.", c.endpoint(), step, c.cfg.Helo, rep.String()))
		c.quit(ctx)
		return caps{}, echo, false
	}
	k, echo = parseEHLO(rep)
	return k, echo, true
}

// checkEcho compares the address the server saw with the connector's and the detected ones.
func (c *conv) checkEcho(echo netip.Addr) {
	r := c.out.SMTP
	if !echo.IsValid() {
		return
	}
	c.out.EchoIP = echo
	r.Set("echo_ip", echo.String())
	switch {
	case len(c.cfg.ExpectIP) > 0:
		if slices.ContainsFunc(c.cfg.ExpectIP, func(a netip.Addr) bool { return a.Unmap() == echo }) {
			r.Set("echo_ip_expected", true)
			return
		}
		r.Set("echo_ip_expected", false)
		c.own(r, check.Fail, code.IPMismatch, "seen as "+echo.String()+", connector lists "+joinAddrs(c.cfg.ExpectIP),
			fmt.Sprintf("%s sees this site as %s; the connector lists %s. An inbound connector that matches on the sender's IP "+
				"only accepts mail from the addresses it lists: add %s to the connector, or send from one of the listed addresses.",
				c.serverName(), echo, joinAddrs(c.cfg.ExpectIP), echo))
	case c.cfg.PublicIP.IsValid() && echo.Is4() && echo != c.cfg.PublicIP.Unmap():
		c.own(r, check.Warn, code.EgressIPDiffers, "seen as "+echo.String()+", not "+c.cfg.PublicIP.String(),
			fmt.Sprintf("%s saw this site as %s, but its public IP was given or detected as %s: the site leaves through more "+
				"than one address. An inbound connector must list %s, the address mail actually comes from.",
				c.serverName(), echo, c.cfg.PublicIP, echo))
	}
}

// checkStartTLS checks that STARTTLS is on offer: Exchange Online always offers it, so its
// absence means a firewall took it out or another server answered.
func (c *conv) checkStartTLS() {
	r := c.out.SMTP
	r.Set("starttls", c.caps.has("STARTTLS"))
	switch {
	case c.caps.has("STARTTLS"):
	case len(c.caps.stripped) > 0:
		r.Set("stripped_capabilities", c.caps.stripped)
		c.own(r, check.Fail, code.STARTTLSStripped, "STARTTLS removed by a firewall ("+c.caps.stripped[0]+")",
			fmt.Sprintf("the server's capabilities arrived with %q where STARTTLS belongs: a Cisco ASA (or similar firewall) with "+
				"ESMTP inspection rewrote the reply and forces the mail into plaintext. Exchange Online offers STARTTLS; turn "+
				"ESMTP inspection off for this traffic (policy-map global_policy, class inspection_default, no inspect esmtp).",
				strings.Join(c.caps.stripped, ", ")))
	default:
		sev := check.Warn
		if viaConnector(c.cfg.Mode) || c.exo || cloud.IsServerName(c.cfg.Host) {
			sev = check.Fail
		}
		c.own(r, sev, code.STARTTLSMissing, "no STARTTLS offered",
			fmt.Sprintf("%s did not offer STARTTLS, so mail would travel in plaintext. Exchange Online always offers it: if this "+
				"is meant to be Exchange Online, something on the path removed it or answered instead.", c.serverName()))
	}
}

// serverName names the server as it named itself, else as dialled.
func (c *conv) serverName() string {
	if c.exo {
		return "Exchange Online"
	}
	return c.endpoint()
}

func (c *conv) smtpSummary() string {
	name := c.bannerHost
	var s string
	switch {
	case c.exo:
		s = "Exchange Online (" + name + ")"
	case name != "":
		s = "SMTP server " + name
		if cloud.IsServerName(c.cfg.Host) {
			s += " (not Exchange Online)"
		}
	default:
		s = "SMTP server at " + c.cfg.Addr
	}
	if c.out.EchoIP.IsValid() {
		s += ", sees you as " + c.out.EchoIP.String()
	}
	return s
}

// defaultHelo is the EHLO name when none is given: the host name when it is a dotted DNS
// name, else the address literal of the connection's local end (RFC 5321 4.1.4).
func defaultHelo(local net.Addr) string {
	if h, err := os.Hostname(); err == nil {
		if n := dnsSafe(h); strings.Contains(n, ".") {
			return n
		}
	}
	if ta, ok := local.(*net.TCPAddr); ok {
		a := ta.AddrPort().Addr().Unmap().WithZone("")
		if a.Is4() {
			return "[" + a.String() + "]"
		}
		if a.IsValid() {
			return "[IPv6:" + a.String() + "]"
		}
	}
	return "exoprobe.invalid"
}

// dnsSafe turns a host name into a valid DNS name: lower case, letters, digits and hyphens,
// no empty labels, no label starting or ending with a hyphen; "" when nothing is left.
func dnsSafe(name string) string {
	var labels []string
	for _, l := range strings.Split(strings.ToLower(name), ".") {
		b := []byte(l)
		for i, ch := range b {
			if !(ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '-') {
				b[i] = '-'
			}
		}
		l = strings.Trim(string(b), "-")
		if len(l) > 63 {
			l = strings.Trim(l[:63], "-")
		}
		if l != "" {
			labels = append(labels, l)
		}
	}
	n := strings.Join(labels, ".")
	if len(n) > 253 {
		return ""
	}
	return n
}

func joinAddrs(as []netip.Addr) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ",")
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
