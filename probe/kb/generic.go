package kb

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/exoprobe/exoprobe/probe/check"
)

// The generic meanings: RFC 3463 enhanced status codes (class, subject and detail, with the
// details added to the IANA registry by later RFCs, RFC 5248), RFC 5321 basic reply codes
// (with the AUTH codes of RFC 4954 and STARTTLS of RFC 3207), and Entra ID codes that have no
// entry of their own.

const (
	docRFC3463  = "https://www.rfc-editor.org/rfc/rfc3463"
	docRegistry = "https://www.iana.org/assignments/smtp-enhanced-status-codes/smtp-enhanced-status-codes.xhtml"
	docRFC5321  = "https://www.rfc-editor.org/rfc/rfc5321#section-4.2"
)

// enhancedClasses are the class sub-codes of RFC 3463 section 3.1.
var enhancedClasses = map[int]string{
	2: "success",
	4: "persistent transient failure: the message as sent is valid, but a temporary condition stopped it; sending it again later may work",
	5: "permanent failure: sending the same message again will fail until something is changed",
}

// enhancedSubjects are the subject sub-codes of RFC 3463 section 3.2.
var enhancedSubjects = map[int]string{
	0: "other or undefined status",
	1: "addressing status (the sender or recipient address)",
	2: "mailbox status (the recipient's mailbox)",
	3: "mail system status (the receiving system)",
	4: "network and routing status",
	5: "mail delivery protocol status (SMTP commands)",
	6: "message content or media status",
	7: "security or policy status (authentication, authorisation, filtering)",
}

// enhancedDetails are the detail codes X.subject.detail of RFC 3463 section 3.3 and of the IANA
// registry (RFC 3886, 4468, 4954, 5248, 6531, 6710, 7293, 7372, 7505, 8617, 8689).
var enhancedDetails = map[string]string{
	"0.0":  "Other undefined status",
	"1.0":  "Other address status",
	"1.1":  "Bad destination mailbox address: the mailbox does not exist",
	"1.2":  "Bad destination system address: the destination domain does not exist or does not accept mail",
	"1.3":  "Bad destination mailbox address syntax",
	"1.4":  "Destination mailbox address ambiguous",
	"1.5":  "Destination address valid",
	"1.6":  "Destination mailbox has moved, no forwarding address",
	"1.7":  "Bad sender's mailbox address syntax",
	"1.8":  "Bad sender's system address",
	"1.9":  "Message relayed to non-compliant mailer",
	"1.10": "Recipient address has null MX",
	"2.0":  "Other or undefined mailbox status",
	"2.1":  "Mailbox disabled, not accepting messages",
	"2.2":  "Mailbox full",
	"2.3":  "Message length exceeds administrative limit",
	"2.4":  "Mailing list expansion problem",
	"3.0":  "Other or undefined mail system status",
	"3.1":  "Mail system full",
	"3.2":  "System not accepting network messages",
	"3.3":  "System not capable of selected features",
	"3.4":  "Message too big for system",
	"3.5":  "System incorrectly configured",
	"3.6":  "Requested priority was changed",
	"4.0":  "Other or undefined network or routing status",
	"4.1":  "No answer from host",
	"4.2":  "Bad connection",
	"4.3":  "Directory server failure",
	"4.4":  "Unable to route",
	"4.5":  "Mail system congestion",
	"4.6":  "Routing loop detected",
	"4.7":  "Delivery time expired",
	"5.0":  "Other or undefined protocol status",
	"5.1":  "Invalid command",
	"5.2":  "Syntax error",
	"5.3":  "Too many recipients",
	"5.4":  "Invalid command arguments",
	"5.5":  "Wrong protocol version",
	"5.6":  "Authentication exchange line is too long",
	"6.0":  "Other or undefined media error",
	"6.1":  "Media not supported",
	"6.2":  "Conversion required and prohibited",
	"6.3":  "Conversion required but not supported",
	"6.4":  "Conversion with loss performed",
	"6.5":  "Conversion failed",
	"6.6":  "Message content not available",
	"6.7":  "Non-ASCII addresses not permitted for that sender or recipient",
	"6.8":  "UTF-8 string reply is required, but not permitted by the SMTP client",
	"6.9":  "UTF-8 header message cannot be transferred to one or more recipients",
	"6.10": "Duplicate of X.6.8 (deprecated)",
	"7.0":  "Other or undefined security status",
	"7.1":  "Delivery not authorized, message refused",
	"7.2":  "Mailing list expansion prohibited",
	"7.3":  "Security conversion required but not possible",
	"7.4":  "Security features not supported",
	"7.5":  "Cryptographic failure",
	"7.6":  "Cryptographic algorithm not supported",
	"7.7":  "Message integrity failure",
	"7.8":  "Authentication credentials invalid",
	"7.9":  "Authentication mechanism is too weak",
	"7.10": "Encryption needed",
	"7.11": "Encryption required for requested authentication mechanism",
	"7.12": "A password transition is needed",
	"7.13": "User account disabled",
	"7.14": "Trust relationship required",
	"7.15": "Priority level is too low",
	"7.16": "Message is too big for the specified priority",
	"7.17": "Mailbox owner has changed",
	"7.18": "Domain owner has changed",
	"7.19": "RRVS test cannot be completed",
	"7.20": "No passing DKIM signature found",
	"7.21": "No acceptable DKIM signature found",
	"7.22": "No valid author-matched DKIM signature found",
	"7.23": "SPF validation failed",
	"7.24": "SPF validation error",
	"7.25": "Reverse DNS validation failed",
	"7.26": "Multiple authentication checks failed",
	"7.27": "Sender address has null MX",
	"7.28": "Mail flood detected",
	"7.29": "ARC validation failure",
	"7.30": "REQUIRETLS support required",
}

// basicCodes are the reply codes of RFC 5321 section 4.2.3, with 235, 334, 432, 454, 500, 530,
// 534, 535 and 538 of RFC 4954 (AUTH) and 454 of RFC 3207 (STARTTLS).
var basicCodes = map[int]string{
	211: "System status, or system help reply",
	214: "Help message",
	220: "Service ready",
	221: "Service closing transmission channel",
	235: "Authentication succeeded",
	250: "Requested mail action okay, completed",
	251: "User not local; will forward",
	252: "Cannot verify the user, but will accept the message and attempt delivery",
	334: "Server challenge for authentication",
	354: "Start mail input",
	421: "Service not available, closing transmission channel",
	432: "A password transition is needed",
	450: "Requested mail action not taken: mailbox unavailable (busy or temporarily blocked)",
	451: "Requested action aborted: local error in processing",
	452: "Requested action not taken: insufficient system storage",
	454: "Temporary authentication failure, or TLS not available due to a temporary reason",
	455: "Server unable to accommodate parameters",
	500: "Syntax error, command unrecognized (or an authentication line too long)",
	501: "Syntax error in parameters or arguments",
	502: "Command not implemented",
	503: "Bad sequence of commands",
	504: "Command parameter not implemented",
	530: "Authentication required",
	534: "Authentication mechanism is too weak",
	535: "Authentication credentials invalid",
	538: "Encryption required for requested authentication mechanism",
	550: "Requested action not taken: mailbox unavailable (not found, no access, or refused by policy)",
	551: "User not local",
	552: "Requested mail action aborted: exceeded storage allocation",
	553: "Requested action not taken: mailbox name not allowed",
	554: "Transaction failed (or, in a greeting, no SMTP service here)",
	555: "MAIL FROM/RCPT TO parameters not recognized or not implemented",
}

// basicFirstDigit is the meaning of the first digit of a reply code (RFC 5321 section 4.2.1).
var basicFirstDigit = map[int]string{
	2: "positive completion",
	3: "positive intermediate: the server waits for more",
	4: "transient negative completion: the command was not accepted, but the condition is temporary and the client may retry",
	5: "permanent negative completion: the command was not accepted and repeating it unchanged will fail",
}

// basicSecondDigit is the meaning of the second digit (RFC 5321 section 4.2.1).
var basicSecondDigit = map[int]string{
	0: "syntax",
	1: "information",
	2: "connections",
	3: "unspecified",
	4: "unspecified",
	5: "mail system",
}

// enhancedCode is a parsed enhanced status code.
type enhancedCode struct{ class, subject, detail int }

func (c enhancedCode) String() string {
	return strconv.Itoa(c.class) + "." + strconv.Itoa(c.subject) + "." + strconv.Itoa(c.detail)
}

// parseEnhanced parses "5.7.64"; ok is false unless the class is 2, 4 or 5 and subject and
// detail have one to three digits.
func parseEnhanced(s string) (c enhancedCode, ok bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 || len(parts[0]) != 1 {
		return c, false
	}
	var n [3]int
	for i, p := range parts {
		if len(p) == 0 || len(p) > 3 {
			return c, false
		}
		for j := 0; j < len(p); j++ {
			if p[j] < '0' || p[j] > '9' {
				return c, false
			}
			n[i] = n[i]*10 + int(p[j]-'0')
		}
	}
	if n[0] != 2 && n[0] != 4 && n[0] != 5 {
		return c, false
	}
	return enhancedCode{n[0], n[1], n[2]}, true
}

// genericEnhanced is the RFC 3463 meaning of an enhanced code.
func genericEnhanced(c enhancedCode) *check.Hint {
	code := c.String()
	detail := enhancedDetails[strconv.Itoa(c.subject)+"."+strconv.Itoa(c.detail)]
	subject := enhancedSubjects[c.subject]
	title := code + ": "
	switch {
	case detail != "":
		title += detail
	case subject != "":
		title += upperFirst(subject)
	default:
		title += "unregistered status code"
	}
	var cause strings.Builder
	fmt.Fprintf(&cause, "No entry of this knowledge base covers %s, so here is what the standard says. Class %d is %s. ",
		code, c.class, enhancedClasses[c.class])
	if subject != "" {
		fmt.Fprintf(&cause, "Subject %d is %s. ", c.subject, subject)
	} else {
		fmt.Fprintf(&cause, "Subject %d is not defined by RFC 3463. ", c.subject)
	}
	if detail != "" {
		fmt.Fprintf(&cause, "X.%d.%d is registered as %q.", c.subject, c.detail, detail)
	} else {
		fmt.Fprintf(&cause, "Detail X.%d.%d is not in the IANA registry: the server uses it with its own meaning, which only its text explains.", c.subject, c.detail)
	}
	fix := []check.Step{
		{Text: "Read the text after the code: the server names its reason there; keep the server name in brackets for support."},
	}
	if c.class == 4 {
		fix = append(fix, check.Step{Text: "A 4.x.x status is temporary: let the sending application queue the message and retry later before changing anything."})
	}
	fix = append(fix, check.Step{Text: "If the reply came from Exchange Online (a host under outlook.com or protection.outlook.com), look the code up in Microsoft's list of Exchange Online NDR codes."})
	return &check.Hint{
		ID:    "rfc3463-" + code,
		Title: title,
		Cause: cause.String(),
		Fix:   fix,
		Docs:  []string{docRFC3463, docRegistry, docNDR},
	}
}

// genericBasic is the RFC 5321 meaning of a basic reply code; nil when the code is not a reply
// code at all.
func genericBasic(code int) *check.Hint {
	if code < 200 || code > 599 {
		return nil
	}
	first, second := code/100, code/10%10
	meaning := basicCodes[code]
	title := strconv.Itoa(code) + ": "
	if meaning != "" {
		title += meaning
	} else {
		title += upperFirst(basicFirstDigit[first])
	}
	var cause strings.Builder
	fmt.Fprintf(&cause, "The reply has no enhanced status code, so only the basic code says what happened. %d is %s", code, basicFirstDigit[first])
	if s, ok := basicSecondDigit[second]; ok {
		fmt.Fprintf(&cause, ", about %s", s)
	}
	cause.WriteString(".")
	if meaning != "" {
		fmt.Fprintf(&cause, " RFC 5321 gives %d the text %q.", code, meaning)
	} else {
		fmt.Fprintf(&cause, " %d is not one of the codes RFC 5321 lists.", code)
	}
	fix := []check.Step{{Text: "Read the text after the code: the server names its reason there."}}
	if first == 4 {
		fix = append(fix, check.Step{Text: "The condition is temporary: the sender should keep the message queued and retry later."})
	}
	if code == 554 || code == 550 || code == 553 {
		fix = append(fix, check.Step{Text: "A server that is not Exchange Online answered (Exchange Online always adds an enhanced code): check that the application really talks to the Exchange Online host you expect, and not to a local relay, proxy or antivirus product."})
	}
	return &check.Hint{
		ID:    "rfc5321-" + strconv.Itoa(code),
		Title: title,
		Cause: cause.String(),
		Fix:   fix,
		Docs:  []string{docRFC5321},
	}
}

// genericAADSTS is the hint for an Entra ID code with no entry of its own.
func genericAADSTS(number string, c *Context) *check.Hint {
	return &check.Hint{
		ID:    "aadsts-other",
		Title: "Entra ID refused to issue a token (AADSTS" + number + ")",
		Cause: "Entra ID (Azure AD) answered the token request with error AADSTS" + number + ". This knowledge base has no entry for this number; Microsoft's error lookup page has its current description.",
		Fix: []check.Step{
			{Text: "Look the code up: https://login.microsoftonline.com/error?code=" + number},
			{Text: fill("In the Entra admin centre, open Entra ID > Monitoring & health > Sign-in logs > Service principal sign-ins, filter on application {app_id} and open the failed sign-in; the Correlation ID and Timestamp in the error text identify it.", c)},
		},
		Docs: []string{docEntraErrors},
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
