package report

import (
	"time"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/kb"
)

// The reports below are what real runs look like: the values, reply texts and hints follow
// Exchange Online's replies and Microsoft's documentation, so that the golden files show what a
// helpdesk engineer will see.

var started = time.Date(2026, 11, 22, 13, 0, 0, 0, time.FixedZone("CET", 3600))

const (
	docMFD      = "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365"
	docPrinter  = "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/fix-issues-with-printers-scanners-and-lob-applications-that-send-email-using-off"
	docSPF      = "https://learn.microsoft.com/en-us/defender-office-365/email-authentication-spf-configure"
	docSMTPAuth = "https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission"
)

func result(id string, status check.Status, ms int64, summary string, facts check.Facts, fs ...check.Finding) *check.Result {
	r := check.New(check.ID(id))
	r.Status = status
	r.DurationMS = ms
	r.Summary = summary
	if facts != nil {
		r.Facts = facts
	}
	for _, f := range fs {
		r.Findings = append(r.Findings, f)
	}
	return r
}

func skippedResult(id, reason string) *check.Result {
	r := check.New(check.ID(id))
	r.Skip(reason)
	return r
}

var exoTranscript = []check.Line{
	{Dir: "S", Line: "220 DM6PEPF0000A1B2.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at Sun, 22 Nov 2026 12:00:00 +0000 [08DDB07650EC6878]"},
	{Dir: "C", Line: "EHLO scanner01.contoso.local"},
	{Dir: "S", Line: "250-DM6PEPF0000A1B2.mail.protection.outlook.com Hello [203.0.113.7]"},
	{Dir: "S", Line: "250-SIZE 157286400"},
	{Dir: "S", Line: "250-PIPELINING"},
	{Dir: "S", Line: "250-DSN"},
	{Dir: "S", Line: "250-ENHANCEDSTATUSCODES"},
	{Dir: "S", Line: "250-STARTTLS"},
	{Dir: "S", Line: "250-8BITMIME"},
	{Dir: "S", Line: "250-BINARYMIME"},
	{Dir: "S", Line: "250-CHUNKING"},
	{Dir: "S", Line: "250 SMTPUTF8"},
	{Dir: "C", Line: "STARTTLS"},
	{Dir: "S", Line: "220 2.0.0 SMTP server ready"},
	{Dir: "*", Line: "TLS 1.3 handshake done, TLS_AES_256_GCM_SHA384, server certificate mail.protection.outlook.com"},
	{Dir: "C", Line: "EHLO scanner01.contoso.local"},
	{Dir: "S", Line: "250-DM6PEPF0000A1B2.mail.protection.outlook.com Hello [203.0.113.7]"},
	{Dir: "S", Line: "250 SMTPUTF8"},
	{Dir: "C", Line: "MAIL FROM:<scanner@contoso.com>"},
	{Dir: "S", Line: "250 2.1.0 Sender OK"},
	{Dir: "C", Line: "RCPT TO:<someone@example.org>"},
}

// relayPass: a relay pre-flight where everything holds.
func relayPass() *probe.Report {
	tr := append(append([]check.Line{}, exoTranscript...),
		check.Line{Dir: "S", Line: "250 2.1.5 Recipient OK"},
		check.Line{Dir: "C", Line: "RSET"},
		check.Line{Dir: "S", Line: "250 2.0.0 Resetting"},
		check.Line{Dir: "C", Line: "QUIT"},
		check.Line{Dir: "S", Line: "221 2.0.0 Service closing transmission channel"},
	)
	return &probe.Report{
		SchemaVersion: probe.SchemaVersion, Tool: "exoprobe", Version: "0.1.0", Mode: "relay",
		Started: started, DurationMS: 412,
		Target:  probe.Target{Domain: "contoso.com", Host: "contoso-com.mail.protection.outlook.com", Port: 25},
		Verdict: check.Pass,
		Checks: []*check.Result{
			result("publicip", check.Pass, 41, "203.0.113.7 (opendns and google agree); no IPv6 route",
				check.Facts{"ipv4": "203.0.113.7", "sources": []string{"opendns", "google"}, "ptr": "mail.contoso.com."}),
			result("dns", check.Pass, 23, "MX contoso-com.mail.protection.outlook.com is Exchange Online; SPF includes spf.protection.outlook.com",
				check.Facts{"mx": []string{"contoso-com.mail.protection.outlook.com"}, "exo": true,
					"spf": "v=spf1 ip4:203.0.113.7 include:spf.protection.outlook.com -all"}),
			result("tcp", check.Pass, 35, "port 25 open; controls 587 and 443 open",
				check.Facts{"25": "open", "587": "open", "443": "open", "addr": "52.101.40.18"}),
			result("smtp", check.Pass, 61, "Exchange Online banner; STARTTLS offered; EXO sees this site as 203.0.113.7",
				check.Facts{"banner": exoTranscript[0].Line, "echo_ip": "203.0.113.7"},
				check.Finding{Severity: check.Pass, Code: "ip-match",
					Message: "Exchange Online sees this site as 203.0.113.7, the address given with --expect-ip: an IP-based connector for it will match."}),
			result("tls", check.Pass, 88, "TLS 1.3, TLS_AES_256_GCM_SHA384; certificate mail.protection.outlook.com valid for 187 days",
				check.Facts{"version": "TLS 1.3", "cipher": "TLS_AES_256_GCM_SHA384", "subject": "CN=mail.protection.outlook.com", "days_left": 187}),
			result("send", check.Pass, 120, "MAIL FROM and RCPT TO accepted; nothing was sent (no --send)",
				check.Facts{"mail_from": "250 2.1.0 Sender OK", "rcpt_to": "250 2.1.5 Recipient OK", "sent": false}),
		},
		Transcript: tr,
	}
}

// tenantAttributionHint is the knowledge base's advice for 5.7.64 with the run's values.
var tenantAttributionHint = &check.Hint{
	ID:    "relay-tenant-attribution",
	Title: "Relay refused: Exchange Online did not tie this connection to your tenant",
	Cause: "Exchange Online accepts relay to outside recipients only from a connection it can attribute to your organisation: " +
		"an OnPremises inbound connector whose SenderIPAddresses holds the address it sees (203.0.113.7), or whose " +
		"TlsSenderCertificateName matches the certificate the sender presents. Since November 2023 the MAIL FROM domain " +
		"must also be an accepted domain of the tenant.",
	Fix: []check.Step{
		{Text: "Look at the OnPremises inbound connectors and the addresses they accept (Exchange Online PowerShell).",
			Command: "Get-InboundConnector | Where-Object ConnectorType -eq 'OnPremises' | Format-List Name,Enabled,SenderIPAddresses,TlsSenderCertificateName,RestrictDomainsToIPAddresses"},
		{Text: "Add this site's public address to the connector.", Command: "Set-InboundConnector -Identity 'Relay from scanners' -SenderIPAddresses @{Add='203.0.113.7'}"},
		{Text: "If there is no OnPremises connector yet, create one (it takes effect after up to 30 minutes).",
			Command: "Connect-ExchangeOnline\nNew-InboundConnector -Name 'Relay from scanners' -ConnectorType OnPremises -SenderDomains * -SenderIPAddresses '203.0.113.7' -RestrictDomainsToIPAddresses $true"},
		{Text: "Check that contoso.com, the domain of MAIL FROM scanner@contoso.com, is an accepted domain.", Command: "Get-AcceptedDomain"},
		{Text: "Connector changes can take a while to apply; run the check again after a few minutes."},
	},
	Docs: []string{docMFD, docPrinter},
}

var spfIncludeHint = &check.Hint{
	ID:    "spf-no-exo-include",
	Title: "SPF of contoso.com does not include Exchange Online",
	Cause: "Mail relayed through Exchange Online leaves from Microsoft's addresses. Without include:spf.protection.outlook.com " +
		"in the SPF record of contoso.com, recipients that check SPF may reject it or send it to junk.",
	Fix: []check.Step{
		{Text: "In the DNS zone of contoso.com, change the TXT record to: v=spf1 ip4:203.0.113.7 include:spf.protection.outlook.com -all"},
		{Text: "Check the record once DNS has updated.", Command: "Resolve-DnsName -Type TXT contoso.com"},
	},
	Docs: []string{docSPF},
}

// relayTenantAttribution: EXO refuses RCPT TO with 5.7.64.
func relayTenantAttribution() *probe.Report {
	reply := "550 5.7.64 TenantAttribution; Relay Access Denied ATTR36 [SN1PR05MB1234.namprd05.prod.outlook.com 2026-11-22T12:00:01.123Z 08DDB07650EC6878]"
	tr := append(append([]check.Line{}, exoTranscript...),
		check.Line{Dir: "S", Line: reply},
		check.Line{Dir: "C", Line: "QUIT"},
		check.Line{Dir: "S", Line: "221 2.0.0 Service closing transmission channel"},
	)
	return &probe.Report{
		SchemaVersion: probe.SchemaVersion, Tool: "exoprobe", Version: "0.1.0", Mode: "relay",
		Started: started, DurationMS: 1830,
		Target:  probe.Target{Domain: "contoso.com", Host: "contoso-com.mail.protection.outlook.com", Port: 25},
		Verdict: check.Fail,
		Checks: []*check.Result{
			result("publicip", check.Pass, 41, "203.0.113.7 (opendns and google agree)",
				check.Facts{"ipv4": "203.0.113.7", "sources": []string{"opendns", "google"}}),
			result("dns", check.Warn, 27, "MX is Exchange Online; SPF of contoso.com lacks include:spf.protection.outlook.com",
				check.Facts{"mx": []string{"contoso-com.mail.protection.outlook.com"}, "exo": true, "spf": "v=spf1 ip4:203.0.113.7 -all"},
				check.Finding{Severity: check.Warn, Code: "spf-no-exo-include",
					Message: "The SPF record of contoso.com (v=spf1 ip4:203.0.113.7 -all) does not include spf.protection.outlook.com.",
					Hint:    spfIncludeHint}),
			result("tcp", check.Pass, 33, "port 25 open; controls 587 and 443 open", check.Facts{"25": "open"}),
			result("smtp", check.Pass, 58, "Exchange Online banner; STARTTLS offered; EXO sees this site as 203.0.113.7",
				check.Facts{"echo_ip": "203.0.113.7"}),
			result("tls", check.Pass, 91, "TLS 1.3, TLS_AES_256_GCM_SHA384; certificate mail.protection.outlook.com valid for 187 days", nil),
			result("send", check.Fail, 310, "RCPT TO refused: 550 5.7.64 TenantAttribution; Relay Access Denied",
				check.Facts{"reply": reply},
				check.Finding{Severity: check.Fail, Code: "5.7.64",
					Message: "Exchange Online refused RCPT TO:<someone@example.org> from 203.0.113.7: " + reply,
					Hint:    tenantAttributionHint}),
		},
		Transcript: tr,
	}
}

var portFilteredHint = &check.Hint{
	ID:    "port-filtered",
	Title: "Outbound port 25 is blocked between this site and Exchange Online",
	Cause: "Nothing answered on port 25 within 5s while port 443 of the same host answered at once: a firewall, " +
		"the internet provider or the cloud platform drops outgoing SMTP. Exchange Online is not the cause.",
	Fix: []check.Step{
		{Text: "Test from this machine.", Command: "Test-NetConnection contoso-com.mail.protection.outlook.com -Port 25"},
		{Text: "Allow outgoing TCP 25 to *.mail.protection.outlook.com on the firewall, or ask the internet provider to lift its port 25 block."},
		{Text: "If port 25 cannot be opened, send with SMTP AUTH client submission to smtp.office365.com port 587 instead.", Command: "exoprobe submit --auth oauth --from 'scanner@contoso.com' --to 'someone@example.org'"},
	},
	Docs: []string{docPrinter},
}

// directFiltered: Direct Send from a site whose firewall drops port 25; later checks skipped.
func directFiltered() *probe.Report {
	return &probe.Report{
		SchemaVersion: probe.SchemaVersion, Tool: "exoprobe", Version: "0.1.0", Mode: "direct",
		Started: started, DurationMS: 5087,
		Target:  probe.Target{Domain: "contoso.com", Host: "contoso-com.mail.protection.outlook.com", Port: 25},
		Verdict: check.Fail,
		Checks: []*check.Result{
			result("publicip", check.Pass, 52, "198.51.100.23 (opendns and cloudflare agree)",
				check.Facts{"ipv4": "198.51.100.23", "sources": []string{"opendns", "cloudflare"}}),
			result("dns", check.Warn, 31, "MX is Exchange Online; SPF of contoso.com does not authorise 198.51.100.23",
				check.Facts{"spf": "v=spf1 include:spf.protection.outlook.com -all", "spf_result": "fail"},
				check.Finding{Severity: check.Warn, Code: "spf-ip-not-authorised",
					Message: "SPF of contoso.com gives \"fail\" for 198.51.100.23: mail sent by Direct Send from this site will fail SPF and is likely to land in junk.",
					Hint: &check.Hint{ID: "spf-ip-not-authorised", Title: "SPF does not authorise this site's public address",
						Cause: "Direct Send mail arrives from 198.51.100.23, and Exchange Online checks the SPF record of the sender domain like any other inbound mail.",
						Fix:   []check.Step{{Text: "Add ip4:198.51.100.23 to the SPF record of contoso.com, for example: v=spf1 ip4:198.51.100.23 include:spf.protection.outlook.com -all"}},
						Docs:  []string{docMFD}}}),
			result("tcp", check.Fail, 5003, "port 25 filtered (no answer in 5s); 443 open (29 ms), 587 open (30 ms)",
				check.Facts{"25": "filtered", "443": "open", "587": "open", "addr": "52.101.40.18"},
				check.Finding{Severity: check.Fail, Code: "port-filtered",
					Message: "TCP port 25 of contoso-com.mail.protection.outlook.com (52.101.40.18) did not answer within 5s, while port 443 answered in 29 ms.",
					Hint:    portFilteredHint}),
			skippedResult("smtp", "port 25 is not reachable (see the tcp check)"),
			skippedResult("tls", "port 25 is not reachable (see the tcp check)"),
			skippedResult("send", "port 25 is not reachable (see the tcp check)"),
		},
		Transcript: []check.Line{},
	}
}

// submitWarn: OAuth submission that works, with a client secret about to expire.
func submitWarn() *probe.Report {
	return &probe.Report{
		SchemaVersion: probe.SchemaVersion, Tool: "exoprobe", Version: "0.1.0", Mode: "submit",
		Started: started, DurationMS: 954,
		Target:  probe.Target{Host: "smtp.office365.com", Port: 587},
		Verdict: check.Warn,
		Checks: []*check.Result{
			result("tcp", check.Pass, 22, "port 587 open", nil),
			result("smtp", check.Pass, 47, "Exchange Online banner; STARTTLS offered", nil),
			result("tls", check.Pass, 80, "TLS 1.3, TLS_AES_256_GCM_SHA384; certificate outlook.com", nil),
			result("oauth", check.Warn, 402, "token issued for app 00000000-0000-0000-0000-0000000000aa; role SMTP.SendAsApp present",
				check.Facts{"aud": "https://outlook.office365.com", "roles": []string{"SMTP.SendAsApp"}, "secret_expires": "2026-12-04"},
				check.Finding{Severity: check.Warn, Code: "secret-expiring",
					Message: "The client secret of app 00000000-0000-0000-0000-0000000000aa expires on 2026-12-04, in 12 days; sending stops on that day."}),
			result("auth", check.Pass, 151, "AUTH XOAUTH2 accepted: 235 2.7.0 Authentication successful", nil),
			result("send", check.Pass, 98, "MAIL FROM and RCPT TO accepted; nothing was sent (no --send)", nil),
		},
		Transcript: []check.Line{
			{Dir: "S", Line: "220 PH0PR07CA0012.outlook.office365.com Microsoft ESMTP MAIL Service ready at Sun, 22 Nov 2026 12:00:00 +0000"},
			{Dir: "C", Line: "EHLO app01"},
			{Dir: "S", Line: "250-PH0PR07CA0012.outlook.office365.com Hello [203.0.113.7]"},
			{Dir: "S", Line: "250 AUTH LOGIN XOAUTH2"},
			{Dir: "C", Line: "AUTH XOAUTH2 <redacted>"},
			{Dir: "S", Line: "235 2.7.0 Authentication successful"},
		},
	}
}

// explainInput is what a helpdesk engineer pastes: two lines of an application's log, the real
// refusal and the follow-on error the client library reported after it.
const explainInput = "2026-11-22 12:00:01 ERROR Mailer: MailKit.Net.Smtp.SmtpCommandException: 5.7.64 TenantAttribution; " +
	"Relay Access Denied ATTR36 [SN1PR05MB1234.namprd05.prod.outlook.com]\r\n" +
	"2026-11-22 12:00:01 ERROR Mailer: DATA failed: 503 5.5.2 Need rcpt command | retry 3 of 3"

func explainMatches() []kb.Match {
	return []kb.Match{
		{Code: "5.7.64", Hint: *tenantAttributionHint, Tokens: []string{"ATTR36", "[SN1PR05MB1234.namprd05.prod.outlook.com]"}},
		{Code: "5.5.2", Hint: check.Hint{ID: "follow-on-need-rcpt", Title: "Follow-on error: no recipient had been accepted",
			Cause: "503 5.5.2 Need rcpt command comes after a refused RCPT TO: the client went on to DATA without an accepted recipient. " +
				"The refusal before it names the cause.",
			Docs: []string{"https://www.rfc-editor.org/rfc/rfc5321#section-4.1.1.4"}}},
	}
}
