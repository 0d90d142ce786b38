package kb

// Real reply texts, as servers sent them and as applications, MTAs and log files passed them on.
// Each one carries its source. Texts found with the search index's find_string (public GitHub
// files whose repository the index does not name) cite the exact string that finds them.
// The fixtures package may reuse this corpus.

type realReply struct {
	name   string
	text   string
	wantID string // hint id of the best match
	code   string // its code
	source string
}

var realReplies = []realReply{
	// ---- 5.7.64 TenantAttribution ---------------------------------------------------------------
	{
		name:   "5.7.64 as Microsoft documents it",
		text:   "550 5.7.64 TenantAttribution; Relay Access Denied SMTP",
		wantID: "relay-tenant-attribution", code: "5.7.64",
		source: "https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/relay-access-denied-smtp (and KB 3212877)",
	},
	{
		name:   "5.7.64 in Python smtplib's SMTPRecipientsRefused",
		text:   `Mail delivery failed via SMTP server 'None'. SMTPRecipientsRefused: {'xxxxxxx@gmail.com': (550, b'5.7.64 TenantAttribution; Relay Access Denied [xxxxxxxxxxxx.prod.protection.outlook.com]')}`,
		wantID: "relay-tenant-attribution", code: "5.7.64",
		source: "ventor.tech blog (Odoo outgoing mail through Office 365), reader comment of 2018-07-20; find_string \"5.7.64 TenantAttribution\"",
	},
	{
		name:   "5.7.64 with ATTR36, Microsoft article translated",
		text:   "550 5.7.64 Relay toegang geweigerd ATTR36. Voor meer informatie verwijzen wij u naar KB 3169958.",
		wantID: "relay-tenant-attribution", code: "5.7.64",
		source: "seeds/001 (Dutch translation of Microsoft's article on certificate-based connectors)",
	},
	{
		name:   "5.7.64 in an on-premises Exchange message trace",
		text:   `On the on premises Exchange Server message trace I always see a FAIL with the error message "550 5.7.64 TenantAttribution: Relay Access Denied".`,
		wantID: "relay-tenant-attribution", code: "5.7.64",
		source: "https://learn.microsoft.com/en-us/answers/questions/1657224/exchange-hybrid-external-out-of-office-not-working",
	},
	{
		name:   "5.7.64 URL-encoded in a log line",
		text:   "GET /log?status=550%205.7.64%20TenantAttribution%3B%20Relay%20Access%20Denied%20ATTR36",
		wantID: "relay-tenant-attribution", code: "5.7.64",
		source: "the documented reply (learn.microsoft.com relay-access-denied-smtp) URL-encoded as web logs store it",
	},

	// ---- 5.7.68 RejectDirectSend ------------------------------------------------------------------
	{
		name:   "5.7.68 in System.Net.Mail's message",
		text:   "The server response was: 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources.",
		wantID: "direct-send-rejected", code: "5.7.68",
		source: "https://techcommunity.microsoft.com/blog/exchange/introducing-more-control-over-direct-send-in-exchange-online/4408790 (Microsoft's reply in the comments)",
	},
	{
		name:   "5.7.68 as a vendor's customers saw it",
		text:   "550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from authorized sources",
		wantID: "direct-send-rejected", code: "5.7.68",
		source: "https://help.salesforce.com/s/articleView?id=005133045 (Salesforce knowledge article)",
	},

	// ---- 5.7.51 TenantInboundAttribution ---------------------------------------------------------
	{
		name:   "5.7.51 in an on-premises Exchange queue (LED=)",
		text:   "{[{LED=550 5.7.51 TenantInboundAttribution; There is a partner connector configured that matched the message's recipient domain. The connector had either the RestrictDomainsToIPAddresses or RestrictDomainsToCertificate set [CH3PEPF00000016.namprd21.prod.outlook.com 2025-01-29T19:07:30.476Z 08DD3FA5DBC8F401]};{MSG=};{FQDN=contoso-mail-onmicrosoft-com.mail.protection.outlook.com};{IP=52.101.194.15};{LRT=1/29/2025 7:07:29 PM}]}",
		wantID: "tenant-inbound-attribution", code: "5.7.51",
		source: "https://techcommunity.microsoft.com/blog/exchange/tls-certificates-in-exchange-hybrid---common-issues--how-to-fix-them/4420592 (Microsoft Japan's translation quotes it)",
	},

	// ---- 5.7.54 -------------------------------------------------------------------------------------
	{
		name:   "5.7.54 in an Exchange NDR",
		text:   "Remote Server returned '550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain'",
		wantID: "relay-not-accepted-domain", code: "5.7.54",
		source: "https://learn.microsoft.com/en-us/answers/questions/1193037/exchange2019-relay-recive-connector",
	},
	{
		name:   "5.7.54 in System.Net.Mail",
		text:   `System.Net.Mail.SmtpFailedRecipientException: Mailbox unavailable. The server response was: 5.7.54 SMTP; Unable to relay recipient in non-accepted domain\r\n   at System.Net.Mail.SmtpTransport.SendMail(MailAddress sender, MailAddressCollection recipients, String deliveryNotify, Boolean allowUnicode, SmtpFailedRecipientException& exception)`,
		wantID: "relay-not-accepted-domain", code: "5.7.54",
		source: "C# code comment in a public repository; find_string \"5.7.54 SMTP; Unable to relay recipient\"",
	},

	// ---- 5.7.57 -------------------------------------------------------------------------------------
	{
		name:   "5.7.57 in an Exchange Online NDR",
		text:   "Reported error: 530 5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM [AM6PR0732BE0065.eurprd07.prod.outlook.com] DSN generated by: CWLP235MB9823.GBRP261.PROD.OUTLOOK.COM",
		wantID: "client-not-authenticated", code: "5.7.57",
		source: "https://www.easy365manager.com/office-365-ndr-error-codes/",
	},
	{
		name:   "5.7.57 in a client log",
		text:   "SMTP< 530 5.7.57 Client not authenticated to send mail",
		wantID: "client-not-authenticated", code: "5.7.57",
		source: "https://github.com/simonrob/email-oauth2-proxy/issues/315",
	},
	{
		name:   "5.7.57 anonymous MAIL FROM in a build task",
		text:   "##[error]The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM",
		wantID: "client-not-authenticated", code: "5.7.57",
		source: "https://github.com/renevanosnabrugge/SendEmail-BuildTask/issues/49",
	},
	{
		name:   "5.7.57 after a failed AUTH: the 535 comes first",
		text:   "The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.57 Client not authenticated to send mail. Error: 535 5.7.3 Authentication unsuccessful.",
		wantID: "auth-failed", code: "5.7.3",
		source: "https://github.com/renevanosnabrugge/SendEmail-BuildTask/issues/49",
	},

	// ---- 5.7.708 / 5.7.705 / 5.7.750 ------------------------------------------------------------
	{
		name:   "5.7.708 as Microsoft documents it",
		text:   "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.",
		wantID: "ip-low-reputation", code: "5.7.708",
		source: "MicrosoftDocs/SupportArticles-docs: fix error codes 550 5.7.703, 5.7.705, 5.7.708, 5.7.750 (2024 version)",
	},
	{
		name:   "5.7.708 in a trial tenant's NDR",
		text:   "Remote Server returned 550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.",
		wantID: "ip-low-reputation", code: "5.7.708",
		source: "blog post on Office 365 trials cut off from mail (2019); find_string \"5.7.708 Service unavailable. Access denied\"",
	},
	{
		name:   "5.7.705 as Microsoft documents it",
		text:   "550 5.7.705 Access denied, tenant has exceeded threshold.",
		wantID: "tenant-threshold", code: "5.7.705",
		source: "MicrosoftDocs/SupportArticles-docs: fix error codes 550 5.7.703, 5.7.705, 5.7.708, 5.7.750",
	},
	{
		name:   "5.7.750 as Microsoft documents it",
		text:   "550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains",
		wantID: "tenant-unregistered-domain", code: "5.7.750",
		source: "Microsoft's NDR table (non-delivery-reports-in-exchange-online) and its article on unregistered domains",
	},

	// ---- 5.7.606-649 --------------------------------------------------------------------------------
	{
		name:   "5.7.606 in a delivery log",
		text:   "550 5.7.606 Access denied, banned sending IP [168.245.63.135]. To request removal from this list please visit https://sender.office.com/ and follow the directions. For more information please go to http://go.microsoft.com/fwlink/?LinkID=526655 (AS16012609) [VE1EUR02FT006.eop-EUR02.prod.protection.outlook.com]",
		wantID: "ip-banned", code: "5.7.606",
		source: "https://pastebin.com/LkiQYSWa (SendGrid block list, 2018)",
	},
	{
		name:   "5.7.606-649 as Microsoft's delist article shows it",
		text:   "550 5.7.606-649 Access denied, banned sending IP [x.x.x.x]; To request removal from this list please visit https://sender.office.com/ and follow the directions.",
		wantID: "ip-banned", code: "5.7.606",
		source: "https://learn.microsoft.com/en-us/defender-office-365/external-senders-use-the-delist-portal-to-unblock-yourself",
	},

	// ---- 5.7.1 Spamhaus -----------------------------------------------------------------------------
	{
		name:   "Spamhaus behind an on-premises Exchange's own 554",
		text:   "Remote Server returned '554 5.7.1 <DM3NAM03FT063.mail.protection.outlook.com #5.7.1 smtp;550 5.7.1 Service unavailable, Client host [15.211.195.9] blocked using Spamhaus. To request removal from this list see http://www.spamhaus.org/lookup.lasso (AS16012611)>'",
		wantID: "ip-spamhaus", code: "5.7.1",
		source: "https://pastebin.com/gXfSs49X (on-premises Exchange NDR, 2016)",
	},
	{
		name:   "Spamhaus as EOP sends it",
		text:   "smtp;550 5.7.1 Service unavailable, Client host [x.xx.xx.xx] blocked using Spamhaus. To request removal from this list see (AS16012611)",
		wantID: "ip-spamhaus", code: "5.7.1",
		source: "https://smtpfieldmanual.com/spamfilter/exchangeonline",
	},
	{
		name:   "HELO name listed in Spamhaus",
		text:   "550 5.7.1 Service unavailable, Helo domain is listed in Spamhaus. To request removal from this list see (S8001) []",
		wantID: "domain-spamhaus", code: "5.7.1",
		source: "https://smtpfieldmanual.com/spamfilter/exchangeonline",
	},
	{
		name:   "MAIL FROM domain listed in Spamhaus",
		text:   "My outgoing emails to Microsoft Outlook are being rejected with:\n550 5.7.1 Service unavailable, MailFrom domain listed in Spamhaus\n(S8002)",
		wantID: "domain-spamhaus", code: "5.7.1",
		source: "https://github.com/DigitalPlatDev/FreeDomain/discussions/80090",
	},

	// ---- 5.1.8 ----------------------------------------------------------------------------------------
	{
		name:   "5.1.8 in an NDR",
		text:   "Remote Server returned '550 5.1.8 Access denied, bad outbound sender'",
		wantID: "sender-restricted", code: "5.1.8",
		source: "Microsoft's article on removing blocked users from the Restricted users portal (MicrosoftDocs, several languages)",
	},
	{
		name:   "5.1.8 as the printer article shows it",
		text:   "Error: 550 5.1.8 Bad outbound sender",
		wantID: "sender-restricted", code: "5.1.8",
		source: "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/fix-issues-with-printers-scanners-and-lob-applications-that-send-email-using-off",
	},

	// ---- 4.7.500-699 -------------------------------------------------------------------------------
	{
		name:   "4.7.500 server busy",
		text:   "smtp;451 4.7.500 Server busy. Please try again later from [x.xx.xx.x]. (AS77712344) []",
		wantID: "throttled-temporary", code: "4.7.500",
		source: "https://smtpfieldmanual.com/spamfilter/exchangeonline",
	},
	{
		name:   "4.7.500 in a Postfix log",
		text:   "postfix/smtp[25122]: B60EA42D4: host hotmail-com.olc.protection.outlook.com[104.47.41.33] said: 451 4.7.500 Server busy. Please try again later from [174.136.107.245]. (AS843) (in reply to RCPT TO command)",
		wantID: "throttled-temporary", code: "4.7.500",
		source: "log-filter comment in a public repository; find_string \"4.7.500 Server busy. Please try again later\"",
	},
	{
		name:   "4.7.650, inside the throttling range",
		text:   "451 4.7.650 The mail server [104.30.0.94] has been temporarily rate limited\ndue to IP reputation.",
		wantID: "throttled-temporary", code: "4.7.650",
		source: "Cloudflare Email Routing activity log quoted in a public repository's notes; find_string \"451 4.7.650 The mail server\" (also in sisimai's test data)",
	},

	// ---- 5.4.1 DBEB -----------------------------------------------------------------------------------
	{
		name:   "5.4.1 in a Postfix log, after Postfix's own dsn=",
		text:   "postfix/smtp[380470]: 4D489100508D: to=<no-reply-unknown@xxx.com>, relay=xxx-com.mail.protection.outlook.com[104.47.2.36]:25, delay=0.38, delays=0.02/0.01/0.22/0.13, dsn=5.4.1, status=bounced (host xxx-com.mail.protection.outlook.com[104.9.8.9] said: 550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DB5EUR01FT088.eop-EUR01.prod.protection.outlook.com 2023-06-22T08:26:31.592Z 08DB72B25E50380B] (in reply to RCPT TO command))",
		wantID: "recipient-rejected-dbeb", code: "5.4.1",
		source: "notes on winebarrel/fluent-plugin-filter-parse-postfix output in a public repository; find_string \"Access denied. AS(201806281)\"",
	},
	{
		name:   "5.4.1 quoted on a kernel mailing list",
		text:   "Emails to Bogdan Pricop bounce (\"550 5.4.1 Recipient address rejected:\nAccess denied. AS(201806281)\").",
		wantID: "recipient-rejected-dbeb", code: "5.4.1",
		source: "Linux kernel patch (dt-bindings: iio: adc: ti,adc108s102), alsa-devel archive",
	},

	// ---- 4.4.62 ---------------------------------------------------------------------------------------
	{
		name:   "4.4.62 as Microsoft documents it",
		text:   "451 4.4.62 Mail sent to the wrong Office 365 region. ATTR35.",
		wantID: "wrong-region", code: "4.4.62",
		source: "https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/wrong-office-365-region-exo",
	},
	{
		name:   "4.4.62 with its link",
		text:   "451 4.4.62 Mail sent to the wrong Office 365 region. ATTR35. For more information please go to https://go.microsoft.com/fwlink/?linkid=865268 [#.prod.protection.outlook.com]",
		wantID: "wrong-region", code: "4.4.62",
		source: "https://smtp.codes/exchangeonline",
	},

	// ---- 4.7.66 -----------------------------------------------------------------------------------------
	{
		name:   "4.7.66 in JavaMail's exception",
		text:   "javax.mail.AuthenticationFailedException: 421 4.7.66 TLS 1.0 and 1.1 are not supported.\n *  Please upgrade/update your client to support TLS 1.2. Visit https://aka.ms/smtp_auth_tls. [MAXPR0101CA0021.INDPRD01.PROD.OUTLOOK.COM]",
		wantID: "legacy-tls", code: "4.7.66",
		source: "Java code comment in a public repository; find_string \"4.7.66 TLS 1.0 and 1.1 are not supported\"",
	},

	// ---- 5.7.3 --------------------------------------------------------------------------------------------
	{
		name:   "5.7.3 in MailKit's exception (client credentials)",
		text:   "Exception: MailKit.Security.AuthenticationException: 535: 5.7.3 Authentication unsuccessful [VI1PR0902CA0036.eurprd09.prod.outlook.com 2024-03-20T10:27:56.998Z 08DC48BEE95C08E5]",
		wantID: "auth-failed", code: "5.7.3",
		source: "https://github.com/jstedfast/MailKit/issues/1733",
	},
	{
		name:   "5.7.3 as MailKit names it",
		text:   "MailKit.Security.AuthenticationException: AuthenticationInvalidCredentials: 5.7.3 Authentication unsuccessful [BN3PR03CA0067.namprd03.prod.outlook.com]",
		wantID: "auth-failed", code: "5.7.3",
		source: "https://github.com/jstedfast/MailKit/issues/700",
	},
	{
		name:   "5.7.3 alone, as a plugin showed it",
		text:   "5.7.3 Authentication unsuccessful [DB6P18901CA0015.EURP189.PROD.OUTLOOK.COM]",
		wantID: "auth-failed", code: "5.7.3",
		source: "https://github.com/mageplaza/magento-2-smtp/issues/108",
	},
	{
		name:   "5.7.3 in PHPMailer's debug output",
		text:   "SMTP ERROR: Password command failed: 535 5.7.3 Authentication unsuccessful",
		wantID: "auth-failed", code: "5.7.3",
		source: "https://github.com/PHPMailer/PHPMailer/issues/992",
	},
	{
		name:   "5.7.3 after AUTH XOAUTH2 in a protocol log",
		text:   "C: AUTH XOAUTH2 ********\nS: 535 5.7.3 Authentication unsuccessful",
		wantID: "auth-xoauth2-rejected", code: "5.7.3",
		source: "https://github.com/jstedfast/MailKit/issues/1126",
	},

	// ---- 5.7.139 ----------------------------------------------------------------------------------------
	{
		name:   "5.7.139 tenant",
		text:   "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [MN2PR05CA0004.namprd05.prod.outlook.com 2023-09-12T20:59:57.214Z 08DBB276B7E699C4]",
		wantID: "smtp-auth-disabled-tenant", code: "5.7.139",
		source: "https://github.com/simonrob/email-oauth2-proxy/issues/193",
	},
	{
		name:   "5.7.139 tenant behind System.Net.Mail's 5.7.57",
		text:   "Error Message: The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
		wantID: "smtp-auth-disabled-tenant", code: "5.7.139",
		source: "https://github.com/MicrosoftDocs/OfficeDocs-Exchange/issues/3124",
	},
	{
		name:   "5.7.139 mailbox",
		text:   "An error occurred while sending the test mail: The SMTP server requires a secure connection, or the client was not authenticated. The server response was: 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. HResult: -2146233088.",
		wantID: "smtp-auth-disabled-mailbox", code: "5.7.139",
		source: "Patch My PC documentation, SMTP authentication for Exchange Online (2025)",
	},
	{
		name:   "5.7.139 security defaults",
		text:   "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.",
		wantID: "smtp-auth-security-defaults", code: "5.7.139",
		source: "https://docs.bookyourpto.com/features/smtp-troubleshoot",
	},
	{
		name:   "5.7.139 criteria",
		text:   "Exception: MailKit.Security.AuthenticationException: 535: 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.",
		wantID: "smtp-auth-criteria", code: "5.7.139",
		source: "https://github.com/jstedfast/MailKit/issues/1733",
	},
	{
		name:   "5.7.139 basic authentication disabled",
		text:   "The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [YT3PR01CA0122.CANPRD01.PROD.OUTLOOK.COM 2025-01-22T03:07:00.315Z 08DD393115E98C2B]",
		wantID: "smtp-auth-basic-disabled", code: "5.7.139",
		source: "C# code comment in a public repository; find_string \"5.7.57 Client not authenticated to send mail\"",
	},

	{
		name:   "5.7.139 with a reason no entry names",
		text:   "The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful, account has an issue. Contact your administrator. [AM8P190CA0003.EURP190.PROD.OUTLOOK.COM 2024-10-04T07:21:07.773Z 08DCE3FEF68EE81B]",
		wantID: "smtp-auth-blocked", code: "5.7.139",
		source: "application error log pasted in a public repository's issue notes; find_string \"5.7.139 Authentication unsuccessful, account\"",
	},

	// ---- 5.7.30 ---------------------------------------------------------------------------------------
	{
		name:   "5.7.30 basic auth retired",
		text:   "550 5.7.30 Basic authentication is not supported for Client Submission.",
		wantID: "basic-auth-retired", code: "5.7.30",
		source: "Exchange Team blog 'Exchange Online to retire Basic auth for Client Submission (SMTP AUTH)' (techcommunity ba-p/4114750)",
	},

	// ---- Send As ------------------------------------------------------------------------------------
	{
		name:   "5.7.60 as the printer article shows it",
		text:   "5.7.60 SMTP; Client does not have permissions to send as this sender.",
		wantID: "sendas-denied", code: "5.7.60",
		source: "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/fix-issues-with-printers-scanners-and-lob-applications-that-send-email-using-off",
	},
	{
		name:   "5.7.60 in JavaMail",
		text:   "com.sun.mail.smtp.SMTPSendFailedException: 550 5.7.60 SMTP; Client does not have permissions to send as this sender",
		wantID: "sendas-denied", code: "5.7.60",
		source: "Java code comment in a public repository; find_string \"5.7.60 SMTP; Client does not have permissions\"",
	},
	{
		name:   "5.2.252 in Python's SMTPDataError",
		text:   "SMTPDataError: (554, b'5.2.252 SendAsDenied; sistemas.helpharma@zentria.com.co not allowed to send as notificacion.sf@zentria.com.co')",
		wantID: "sendas-denied", code: "5.2.252",
		source: "deployment notes in a public repository; find_string \"5.2.252 SendAsDenied\"",
	},

	// ---- 5.5.105 HVE ------------------------------------------------------------------------------
	{
		name:   "5.5.105 HVE external recipient",
		text:   "550 5.5.105 External sending is not supported for High Volume Email accounts",
		wantID: "hve-external-recipient", code: "5.5.105",
		source: "Microsoft's HVE public preview announcement (reposted at thewindowsupdate.com, April 2024), quoted in shared/research/exchange-online-facts.md §3",
	},

	// ---- Entra ID ------------------------------------------------------------------------------------
	{
		name:   "AADSTS7000215 in an application log",
		text:   "Failed to acquire token for client credentials. AADSTS7000215: Invalid client secret is provided.",
		wantID: "aadsts-invalid-secret", code: "AADSTS7000215",
		source: "https://github.com/OfficeDev/microsoft-teams-apps-icebreaker/issues/193",
	},
	{
		name:   "AADSTS7000222 as a JSON body with \\r\\n escapes",
		text:   `java.io.IOException: com.microsoft.aad.adal4j.AuthenticationException: {"error_description":"AADSTS7000222: The provided client secret keys are expired.\r\nTrace ID: 9b55ca53-4c86-49db-8aab-a3848f3a0500\r\nCorrelation ID: 8ade3bab-dcdb-4307-b6a6-d65e9c66156c\r\nTimestamp: 2020-03-31 07:31:31Z","error":"invalid_client"}`,
		wantID: "aadsts-expired-secret", code: "AADSTS7000222",
		source: "https://github.com/JetBrains/azure-tools-for-intellij/issues/283",
	},
	{
		name:   "AADSTS7000222 with the app id",
		text:   "AADSTS7000222: The provided client secret keys for app 'e94f4444-1405-42b7-87f3-66833288091c' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds. Trace ID: edfae631-9bd6-4f45-b52d-1468cd43cd00",
		wantID: "aadsts-expired-secret", code: "AADSTS7000222",
		source: "https://github.com/banco-alimentar/alimentestaideia.pt/issues/777",
	},
	{
		name:   "AADSTS700016",
		text:   "Error: AADSTS700016: Application with identifier '31359c7f-bd7e-475c-86db-fdb8c937548e' was not found in the directory 'Islamic Development Bank (IsDB)'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant. Trace ID: fc4847ce-b49a-4440-b842-eb6f40c2f101 Correlation ID: 6fe55d13-bab9-488c-b1b3-fc3c115408d3 Timestamp: 2025-01-09 07:42:03Z",
		wantID: "aadsts-app-not-found", code: "AADSTS700016",
		source: "https://github.com/pnp/powershell/issues/4672",
	},
	{
		name:   "AADSTS90002 as a JSON body",
		text:   `ValueError: OIDC Discovery endpoint rejects our request. Error: {"error":"invalid_tenant","error_description":"AADSTS90002: Tenant '2b0623dd-90fa-4c5c-bee8-8dc18bd4d948' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.\r\nTrace ID: c1806f4a-bcae-4ac1-b7ff-4eea2dcd1200\r\nCorrelation ID: 9d8aaacf-a655-4b1f-b113-3d0691054798\r\nTimestamp: 2022-04-21 16:26:49Z","error_codes":[90002],"timestamp":"2022-04-21 16:26:49Z"}`,
		wantID: "aadsts-tenant-not-found", code: "AADSTS90002",
		source: "https://github.com/Azure/azure-cli/issues/22145",
	},
	{
		name:   "AADSTS900023",
		text:   "AADSTS900023: Specified tenant identifier 'asdf' is neither a valid DNS name, nor a valid external domain. Trace ID: ff41e5b9 Correlation ID: e0026983 Timestamp: 2026-04-27 18:51:05Z",
		wantID: "aadsts-invalid-tenant", code: "AADSTS900023",
		source: "Go test in a public repository quoting Entra's answer; find_string \"AADSTS900023\"",
	},
	{
		name:   "AADSTS500011 from PowerShell",
		text:   "Apply-PnPTenantTemplate : AADSTS500011: The resource principal named https://https://graph.microsoft.com// was not found in the tenant named xxxx. This can happen if the application has not been installed by the administrator of the\ntenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.\nTrace ID: c89257a0-92f4-4997-bbbd-5e3eb5260c00",
		wantID: "aadsts-resource-not-found", code: "AADSTS500011",
		source: "https://github.com/pnp/sp-starter-kit/issues/428",
	},
	{
		name:   "AADSTS500011 form-encoded by MSAL for iOS",
		text:   "MSALErrorDescriptionKey=AADSTS500011:+The+resource+principal+named+https://xxxxxxx+was+not+found+in+the+tenant+named+33440fc6-b7c7-412c-bb73-0e70b0198d5a.+This+can+happen+if+the+application+has+not+been+installed",
		wantID: "aadsts-resource-not-found", code: "AADSTS500011",
		source: "https://github.com/AzureAD/microsoft-authentication-library-for-objc/issues/1261",
	},
	{
		name:   "AADSTS65001",
		text:   "Microsoft.IdentityModel.Clients.ActiveDirectory.AdalServiceException: AADSTS65001: The user or administrator has not consented to use the application with ID 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx'. Send an interactive authorization request for this user and resource.",
		wantID: "aadsts-consent-missing", code: "AADSTS65001",
		source: "https://github.com/microsoft/mattercenter/issues/656",
	},
	{
		name:   "AADSTS53003 for client credentials",
		text:   "It throws error Failed to acquire token for client credentials. (AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance. Trace ID: 4d3115e2-773f-413d-ac57-9a69025d2e00 Correlation ID: 37810be3-b3dd-4f6a-9e87-5bab1e14d910 Timestamp: 2024-03-07 23:05:36Z)",
		wantID: "aadsts-conditional-access", code: "AADSTS53003",
		source: "https://github.com/microsoft/botbuilder-dotnet/issues/6759",
	},
	{
		name:   "AADSTS530035",
		text:   "durante il cleanup Azure CLI ha restituito l'errore `AADSTS530035: Access has been blocked by security defaults`, impedendo il completamento dell'autenticazione",
		wantID: "aadsts-security-defaults", code: "AADSTS530035",
		source: "lab report in a public repository; find_string \"AADSTS530035\"",
	},
	{
		name:   "AADSTS700027",
		text:   "AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '***', Please visit 'https://developer.microsoft.com/en-us/graph/graph-explorer'",
		wantID: "aadsts-bad-assertion", code: "AADSTS700027",
		source: "https://github.com/Azure/azure-sdk-for-net/pull/11194",
	},
	{
		name:   "AADSTS700024",
		text:   "Azure — \"AADSTS700024: Client assertion is not within its valid time range\"",
		wantID: "aadsts-clock-skew", code: "AADSTS700024",
		source: "pipeline troubleshooting notes in a public repository; find_string \"AADSTS700024\"",
	},
	{
		name:   "AADSTS7000112",
		text:   "Message: AADSTS7000112: Application 'f8119f58-4523-44c1-ab72-b2e0c815bd6a'(Presence Light) is disabled.",
		wantID: "aadsts-app-disabled", code: "AADSTS7000112",
		source: "https://github.com/isaacrlevin/presencelight/issues/935",
	},

	// ---- Generic meanings ------------------------------------------------------------------------
	{
		name:   "Postfix relay denied: RFC 3463 meaning of 5.7.1",
		text:   "Information\tThe mail server correctly rejected email to 'email_validation_service@domaincheckingservice.pingability.com' (554 5.7.1 <email_validation_service@domaincheckingservice.pingability.com>: Relay access denied)",
		wantID: "rfc3463-5.7.1", code: "5.7.1",
		source: "Postfix (its smtpd source has \"554 5.7.1 <user@example.com>: Relay access denied\"), as a pingability.com check reported it in a forum post; find_string \"554 5.7.1 <\"",
	},
	{
		name:   "no enhanced code: RFC 5321 meaning of 554",
		text:   "554 <email@example.com>: Recipient address rejected: Relay access denied",
		wantID: "rfc5321-554", code: "554",
		source: "https://www.antionline.com/showthread.php?mode=threaded&p=692064",
	},
	{
		name:   "no enhanced code: RFC 5321 meaning of 421",
		text:   "421 Too many connections, try again later",
		wantID: "rfc5321-421", code: "421",
		source: "https://docs.oracle.com/pt-br/iaas/Content/Email/Concepts/troubleshooting.htm (Oracle Email Delivery's reply list)",
	},
	{
		name:   "Outlook.com's own block list (no entry): RFC 3463 meaning of 5.7.1",
		text:   "550 5.7.1 Unfortunately, messages from [88.198.83.90] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [BN8NAM12FT066.eop-nam12.prod.protection.outlook.com 2023-05-22T11:57:51.362Z 08DB59E499E4A279]",
		wantID: "rfc3463-5.7.1", code: "5.7.1",
		source: "https://pastebin.com/ExQUnA6B",
	},
}
