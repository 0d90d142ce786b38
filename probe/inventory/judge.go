package inventory

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"

	"github.com/exoprobe/exoprobe/probe/cloud"
)

// endpointOf names the Microsoft 365 endpoint host is, from the cloud table; ok is false for
// any other host. High Volume Email and the legacy-TLS endpoint are among a cloud's other
// submission hosts, told apart by the names Microsoft gave them (smtp-hve, smtp.hve,
// smtp-legacy).
func endpointOf(host string) (cloudName string, ep Endpoint, ok bool) {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "" {
		return "", "", false
	}
	if c, ok := cloud.ForMX(h); ok {
		return c.Name, EndpointMX, true
	}
	for _, c := range cloud.All() {
		if h == c.SMTPHost {
			return c.Name, EndpointSubmission, true
		}
		for _, o := range c.OtherSubmitHosts {
			if h != o {
				continue
			}
			switch {
			case strings.Contains(h, "hve"):
				return c.Name, EndpointHVE, true
			case strings.Contains(h, "legacy"):
				return c.Name, EndpointLegacyTLS, true
			}
			return c.Name, EndpointSubmission, true
		}
	}
	return "", "", false
}

// servicePorts are the mail services' names that Postfix (relayhost = host:submission) and
// msmtp accept in place of a port number, as /etc/services (IANA) numbers them.
var servicePorts = map[string]int{"smtp": 25, "submission": 587, "submissions": 465, "smtps": 465}

// splitHost reads a host as configuration files write it: "smtp.office365.com",
// "[smtp.office365.com]:587", "smtp.office365.com:587", "[smtp.office365.com]:submission",
// "smtp://smtp.office365.com". port is 0 when none is written.
func splitHost(v string) (host string, port int) {
	v = strings.TrimSpace(v)
	if i := strings.Index(v, "://"); i >= 0 {
		v = v[i+3:]
	}
	v = strings.TrimRight(v, "/")
	if h, p, err := net.SplitHostPort(v); err == nil {
		if n, err := strconv.Atoi(p); err == nil && n > 0 && n < 65536 {
			port = n
		} else {
			port = servicePorts[strings.ToLower(p)]
		}
		v = h
	}
	v = strings.TrimSuffix(strings.TrimPrefix(v, "["), "]")
	return strings.ToLower(strings.TrimSpace(v)), port
}

// software is what a format says about the program that reads it: its name and whether it
// can sign in to Exchange Online with OAuth.
type software struct {
	name string
	// oauth says how the program can sign in with a token; "" when it cannot.
	oauth string
	// cannot says why it cannot, when oauth is "".
	cannot string
}

// jakartaMail reads .properties and Spring Boot's application.yml alike.
var jakartaMail = software{name: "Jakarta Mail / JavaMail (Spring Mail)",
	oauth: "Jakarta Mail signs in with XOAUTH2 (mail.smtp.auth.mechanisms=XOAUTH2, the app token as the password)"}

var programs = map[Format]software{
	FormatDotNet: {name: "System.Net.Mail (.NET's <mailSettings>)",
		cannot: "System.Net.Mail's SmtpClient cannot sign in with OAuth, and Microsoft no longer recommends it for new work"},
	FormatSSRS: {name: "Reporting Services e-mail delivery",
		cannot: "Reporting Services signs in to SMTP with a password or NTLM only"},
	FormatINI: {name: "PHP's mail() or fake sendmail (sendmail.ini)",
		cannot: "PHP's mail() cannot sign in at all, and fake sendmail only with a password"},
	FormatDotenv: {name: "the application that reads this .env",
		cannot: "Whether the application's mail library can sign in with OAuth (XOAUTH2) is not in the file; a connector works for any application"},
	FormatProperties: jakartaMail,
	FormatSpringYAML: jakartaMail,
	FormatPython: {name: "a Python application (Django, Flask-Mail)",
		cannot: "Django's SMTP e-mail backend and Flask-Mail, which read these settings, sign in with a user name and password only; a connector needs no change to the code"},
	FormatPostfix: {name: "Postfix",
		cannot: "Postfix relaying for this site is what an inbound connector is for; Postfix has no XOAUTH2 of its own (the sasl-xoauth2 plug-in adds it)"},
	FormatMsmtp: {name: "msmtp",
		oauth: "msmtp signs in with XOAUTH2 (auth xoauth2, with passwordeval printing a fresh app token)"},
	FormatSsmtp: {name: "ssmtp",
		cannot: "ssmtp is no longer maintained and cannot sign in with OAuth (msmtp, its usual replacement, can)"},
	FormatWordPress: {name: "WP Mail SMTP (WordPress)",
		oauth: "WP Mail SMTP's Microsoft 365 / Outlook mailer signs in with an app registration (OAuth, through Microsoft Graph rather than SMTP): switch the mailer to it and take the SMTP password out of wp-config.php"},
	FormatAppSettings: {name: "an ASP.NET Core application",
		cannot: "Whether the application sends with MailKit (which can sign in with OAuth) or System.Net.Mail (which cannot) is not in the file; a connector works for either"},
	FormatSendmail: {name: "sendmail",
		cannot: "sendmail relaying for this site is what an inbound connector is for; it has no XOAUTH2 of its own"},
	FormatKeyValue: {name: "the application that reads this file",
		cannot: "Whether the application can sign in with OAuth (XOAUTH2) is not in the file; a connector works for any application"},
}

// judge classifies a parsed row: ok is false for a host that is not Microsoft 365's. It fills
// in the cloud, the endpoint, whether the row breaks and its way forward.
func judge(r Row) (Row, bool) {
	c, ep, ok := endpointOf(r.Host)
	if !ok {
		return r, false
	}
	r.Cloud, r.Endpoint = c, ep
	sw := programs[r.Format]
	// A user goes into a command only as a plain address: a value from a file is not to be
	// pasted into a shell as it is.
	domain, from := "<DOMAIN>", "<FROM>"
	if _, d, ok := strings.Cut(r.User, "@"); ok && d != "" && plainAddress.MatchString(r.User) {
		domain, from = d, r.User
	}
	hostPort := r.Host
	if r.Port != 0 {
		hostPort = net.JoinHostPort(r.Host, strconv.Itoa(r.Port))
	}
	connector := func(why string) {
		r.Way = WayConnector
		r.Reason = why + ". Relay through an inbound connector instead: the application sends to the tenant's MX on port 25 without a password, to any recipient. If it only ever writes to the tenant's own mailboxes, Direct Send (port 25, no password) or a High Volume Email account (which keeps basic authentication until September 2028) also work."
		r.Command = "exoprobe connector --domain " + domain
	}
	switch {
	case ep == EndpointMX:
		r.Way = WayNone
		r.Reason = "It sends to the tenant's MX on port 25, where no password is used: a connector or Direct Send accepts it, and the end of basic authentication does not touch it."
		r.Command = fmt.Sprintf("exoprobe relay --host %s --domain %s --from %s --to <RECIPIENT>", r.Host, domain, from)
	case r.Auth == AuthOAuth:
		r.Way = WayNone
		r.Reason = "It signs in with OAuth already: the end of basic authentication does not touch it."
		r.Command = submitCommand(r, from)
	case r.Auth == AuthNone || r.Auth == AuthWindows:
		how := "without signing in"
		if r.Auth == AuthWindows {
			how = "with the Windows account (NTLM), which Exchange Online does not offer"
		}
		if r.Format == FormatINI {
			r.Way = WayDirect
			r.Reason = fmt.Sprintf("It sends to %s %s, which Exchange Online refuses already (5.7.57). PHP's mail() cannot sign in: point SMTP at the tenant's MX on port 25 for Direct Send to the tenant's own mailboxes, or add a connector for mail to anyone else.", hostPort, how)
			to := "<MAILBOX>"
			if domain != "<DOMAIN>" {
				to = "<MAILBOX@" + domain + ">"
			}
			r.Command = fmt.Sprintf("exoprobe direct --domain %s --from %s --to %s", domain, from, to)
			break
		}
		connector(fmt.Sprintf("It sends to %s %s, which Exchange Online refuses already (5.7.57)", hostPort, how))
	case ep == EndpointHVE:
		r.Way = WayHVE
		r.Reason = "It signs in with a password to High Volume Email, whose accounts keep basic authentication until September 2028 (Microsoft's HVE announcement): the December 2026 change to client submission does not touch it. Plan OAuth before 2028; HVE delivers to the tenant's own mailboxes only."
		r.Command = fmt.Sprintf("exoprobe submit --auth basic --host %s --from %s --to <MAILBOX>", r.Host, from)
	default: // a password to a submission endpoint
		r.Breaks = true
		if r.Format == FormatWordPress && !strings.HasPrefix(r.Setting, "WPMS_") {
			sw = software{cannot: "The phpmailer_init snippet that reads these constants signs in with a password (WP Mail SMTP's Microsoft 365 / Outlook mailer could sign in with an app)"}
		}
		if sw.oauth != "" {
			r.Way = WayOAuth
			if r.Format == FormatWordPress {
				r.Reason = sw.oauth + "."
				break
			}
			r.Reason = sw.oauth + ": register an app with SMTP.SendAsApp, give it rights on the mailbox, and sign in as " + userOr(r.User) + " with its token."
			r.Command = submitCommand(r, from)
			break
		}
		connector(sw.cannot)
	}
	return r, true
}

// plainAddress is a mailbox address with nothing a shell would read: what a command may hold.
var plainAddress = regexp.MustCompile(`^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+$`)

// submitCommand is the exoprobe submit command that tests OAuth for the row's host and user.
func submitCommand(r Row, from string) string {
	cmd := "exoprobe submit --auth oauth --tenant <TENANT> --client-id <APP-ID>"
	if r.Host != cloud.Global().SMTPHost {
		cmd += " --host " + r.Host
		if r.Cloud != "" && r.Cloud != "global" {
			cmd += " --cloud " + r.Cloud
		}
	}
	if r.Port != 0 && r.Port != 587 {
		cmd += " --port " + strconv.Itoa(r.Port)
	}
	cmd += " --from " + from
	if r.User != "" && r.User != from && plainAddress.MatchString(r.User) {
		cmd += " --user " + r.User
	}
	return cmd + " --to <RECIPIENT>"
}

func userOr(u string) string {
	if u == "" {
		return "the mailbox"
	}
	return u
}
