package kb

// Microsoft's NDR reference ("Email non-delivery reports and SMTP errors in Exchange Online") and
// the pages it links. Addresses as the reference links them; Learn redirects moved articles.
const (
	ndrBase          = "https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/"
	docFix447        = ndrBase + "fix-error-code-550-4-4-7-in-exchange-online"
	docFix50350      = ndrBase + "fix-error-code-550-5-0-350-in-exchange-online"
	docFix510        = ndrBase + "fix-error-code-550-5-1-0-in-exchange-online"
	docFix511        = ndrBase + "fix-error-code-550-5-1-1-through-5-1-20-in-exchange-online"
	docFix5110       = ndrBase + "fix-error-code-550-5-1-10-in-exchange-online"
	docFix546        = ndrBase + "fix-error-code-5-4-6-through-5-4-20-in-exchange-online"
	docFix5611       = ndrBase + "fix-error-code-550-5-6-11-in-exchange-online"
	docFix571        = ndrBase + "fix-error-code-550-5-7-1-in-exchange-online"
	docFix5712       = ndrBase + "fix-error-code-5-7-12-in-exchange-online"
	docFix5723       = ndrBase + "fix-error-code-5-7-23-in-exchange-online"
	docFix57124      = ndrBase + "fix-error-code-5-7-124-in-exchange-online"
	docFix57133      = ndrBase + "fix-error-code-5-7-133-in-exchange-online"
	docFix57134      = ndrBase + "fix-error-code-5-7-134-in-exchange-online"
	docFix57135      = ndrBase + "fix-error-code-5-7-13-or-5-7-135-in-exchange-online"
	docFix57136      = ndrBase + "fix-error-code-5-7-136-in-exchange-online"
	docFixQuota      = ndrBase + "fix-error-for-submission-quota-exceeded-in-exchange-online"
	docHighVolume    = "https://techcommunity.microsoft.com/blog/microsoftdefenderforoffice365blog/strengthening-email-ecosystem-outlook%E2%80%99s-new-requirements-for-high%E2%80%90volume-senders/4399730"
	docExServerNDR   = "https://learn.microsoft.com/en-us/exchange/mail-flow/non-delivery-reports-and-bounce-messages/non-delivery-reports-and-bounce-messages"
	docMailboxLimits = "https://learn.microsoft.com/en-us/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits#mailbox-storage-limits"
	docMessageLimits = "https://learn.microsoft.com/en-us/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits#message-limits"
	docFix57703      = ndrBase + "fix-error-codes-550-5-7-703-550-5-7-705-550-5-7-708-550-5-7-750"
	docSendingLimits = "https://learn.microsoft.com/en-us/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits#sending-limits"
	docCompromised   = "https://learn.microsoft.com/en-us/microsoft-365/security/office-365-security/responding-to-a-compromised-email-account"
	docIPv6Inbound   = "https://learn.microsoft.com/en-us/microsoft-365/security/office-365-security/support-for-anonymous-inbound-email-messages-over-ipv6"
	docMTASTS        = "https://learn.microsoft.com/en-us/purview/enhancing-mail-flow-with-mta-sts"
	docDANE          = "https://learn.microsoft.com/en-us/microsoft-365/compliance/how-smtp-dane-works"
	docTABL          = "https://learn.microsoft.com/en-us/microsoft-365/security/office-365-security/tenant-allow-block-list-about"
	docStoreDriver   = "https://techcommunity.microsoft.com/t5/exchange-team-blog/store-driver-fault-isolation-improvements-in-exchange-2010-sp1/ba-p/586093"
)

// Fix steps shared by the entries for recipients that accept mail only from authenticated
// (internal) senders: 5.7.12, 5.7.13/5.7.135, 5.7.133, 5.7.134, 5.7.136.
var fixExternalSenders = []step{
	{"The sender cannot fix this: ask the recipient's organisation ({to_domain}) to allow mail from outside senders for {to}, or to add the sender to the recipient's allowed senders.", ""},
	{"If the recipient is in your tenant, allow senders inside and outside your organisation: Exchange admin centre > Recipients > (Mailboxes, Groups, Contacts or Public folders) > {to} > Message delivery restrictions / Delivery management.", ""},
	{"Or in Exchange Online PowerShell, for a mailbox (for a mail user or a public folder, Set-MailUser or Set-MailPublicFolder in its place):", "Set-Mailbox -Identity {ps:to} -RequireSenderAuthenticationEnabled $false"},
	{"For a distribution group:", "Set-DistributionGroup -Identity {ps:to} -RequireSenderAuthenticationEnabled $false"},
	{"For a Microsoft 365 group:", "Set-UnifiedGroup -Identity {ps:to} -RequireSenderAuthenticationEnabled $false"},
}

// ndrEntries: the codes listed in Microsoft's Exchange Online NDR reference and the NDR pages it links, not already in entries.go.
var ndrEntries = []entry{
	// ---- 4.x.x: deferrals ------------------------------------------------------------------------
	{
		id:          "ndr-recipient-thread-limit",
		codes:       []string{"4.3.2"},
		patterns:    []string{"recipient thread limit exceeded"},
		needPattern: true,
		title:       "The recipient's mailbox is receiving too many messages too quickly (432 4.3.2 STOREDRV.Deliver; recipient thread limit exceeded)",
		cause: "Exchange throttles the delivery of messages to one mailbox when it receives too many too quickly, so that one recipient's mail processing does not hold up the other recipients sharing the same mailbox database. " +
			"This is by design and temporary: the sending server keeps the message queued and retries.",
		fix: []step{
			{"Let the sending server retry: the message is delivered once the burst to {to} is over.", ""},
			{"If an application sends many messages in parallel to one mailbox, make it send them one after another or spread them over time.", ""},
		},
		docs: []string{docNDR, docStoreDriver},
	},
	{
		id:       "ndr-remote-connection-refused",
		codes:    []string{"4.4.316", "5.4.316"},
		patterns: []string{"connection refused", "socket error code 10061"},
		title:    "Exchange Online could not connect to the recipient's mail server: the connection was refused (4.4.316, then 5.4.316 when the message expires)",
		cause: "Exchange Online tried to deliver to an email server outside Microsoft 365, and the attempts to connect to it failed with a network connection problem at the external server's location " +
			"(socket error 10061: connection refused). The problem almost always lies with the receiving server or its network; the reply names the IP address that refused.",
		fix: []step{
			{"Find who runs the server at the IP address in the reply and ask them to make their mail server accept connections on port 25 from Exchange Online (or fix the MX record of {to_domain} if it points to a server that no longer receives mail).", ""},
			{"If the destination is your own server reached through an outbound connector, check that the smart host the connector names is up and that its firewall allows the Exchange Online IP ranges.", "Get-OutboundConnector | Format-List Name,SmartHosts,RecipientDomains"},
			{"Exchange Online keeps retrying; the message is returned only when it expires.", ""},
		},
		docs: []string{docNDR, docM365URLs},
	},
	{
		id:       "ndr-message-expired",
		codes:    []string{"4.4.7", "5.4.300"},
		patterns: []string{"queue.expired", "message expired"},
		title:    "The message expired in the queue before it could be delivered (4.4.7 / 5.4.300 Message expired)",
		cause: "The sending server tried to relay or deliver the message but could not before the message's expiration time: the destination server never responded, refused for a long time, " +
			"a protocol time-out or a message header limit was hit on the remote server; for 5.4.300 also when the NDR for the message could not be delivered to the original sender. " +
			"The problem usually lies with the receiving server.",
		fix: []step{
			{"Look at the last error in the NDR's diagnostic information (for example '451 4.4.0 Primary target IP address responded with ...'): it names the server and the reason of the last attempt.", ""},
			{"Check that {to_domain} has a valid MX record pointing to a server that accepts mail, and that the recipient address {to} is correct.", ""},
			{"If the destination is your own server reached through a connector, check the connector's smart host and the server's availability.", "Get-OutboundConnector | Format-List Name,SmartHosts,TlsSettings"},
			{"Reduce the number of recipients per message for that host if the error mentions header limits; then send the message again.", ""},
		},
		docs: []string{docFix447, docNDR},
	},
	{
		id:       "ndr-mta-sts-mx",
		codes:    []string{"4.4.8", "5.4.8"},
		patterns: []string{"failed mta sts validation"},
		title:    "The recipient domain's MX host is not allowed by its MTA-STS policy (4.4.8 / 5.4.8 MX hosts failed MTA-STS validation)",
		cause: "The destination domain ({to_domain}) publishes an MTA-STS policy in enforce mode, and the MX host Exchange Online found is not one of the hosts the policy lists. " +
			"The problem is usually in the destination domain's MTA-STS policy, which does not contain its MX host.",
		fix: []step{
			{"Ask the admins of {to_domain} to list every MX host in the mx: lines of their policy file (https://mta-sts.{to_domain}/.well-known/mta-sts.txt) and to raise the id in the _mta-sts TXT record after the change.", ""},
			{"Check the policy and the MX records yourself.", "Resolve-DnsName -Type MX {ps:to_domain}\nResolve-DnsName -Type TXT ('_mta-sts.' + {ps:to_domain})"},
		},
		docs: []string{docMTASTS, docNDR},
	},
	{
		id:          "ndr-mta-sts-certificate",
		codes:       []string{"4.7.5", "5.7.5"},
		patterns:    []string{"mta sts"},
		needPattern: true,
		title:       "The recipient's mail server certificate failed MTA-STS validation (4.7.5 / 5.7.5 Remote certificate failed MTA-STS validation)",
		cause: "The destination domain ({to_domain}) enforces MTA-STS, so its mail server's certificate must chain to a trusted root certification authority and its common name or subject alternative name " +
			"must contain the host name listed in the STS policy. The certificate it presented does not; the reply's Reason names what failed.",
		fix: []step{
			{"Ask the admins of {to_domain} to install a certificate from a public CA whose CN or SAN names the MX host, with the complete chain, and to renew it before it expires.", ""},
			{"Until it is fixed, delivery to {to_domain} stays deferred (4.7.5) and then fails (5.7.5); there is nothing to change in your tenant.", ""},
		},
		docs: []string{docMTASTS, docNDR},
	},
	{
		id:       "ndr-too-many-recipients",
		codes:    []string{"4.5.3"},
		patterns: []string{"too many recipients"},
		title:    "The message has too many envelope recipients for one domain (4.5.3 Too many recipients)",
		cause: "Microsoft 365 returns this when a message has more than 200 SMTP envelope recipients (RCPT TO) from the same domain. " +
			"The sending server must split the recipients into smaller chunks and send the message again.",
		fix: []step{
			{"Configure the sending server or application to send to at most 200 recipients per message (per SMTP transaction); most MTAs have a 'recipients per message' setting.", ""},
			{"For large mailings, use a distribution group as a single recipient instead of listing every address.", ""},
		},
		docs: []string{docNDR, docSendingLimits},
	},
	{
		id:          "ndr-ipv6-unauthenticated",
		codes:       []string{"4.7.26"},
		patterns:    []string{"ipv6", "must pass either spf or dkim"},
		needPattern: true,
		title:       "A message sent over IPv6 must pass SPF or DKIM (4.7.26)",
		cause: "Exchange Online accepts anonymous mail over IPv6 only when the message passes SPF or DKIM validation. This message came over IPv6, was not DKIM-signed, " +
			"and the sending domain's SPF record did not authorise the sending IPv6 address.",
		fix: []step{
			{"Add the sending server's IPv6 address to the SPF record of the sending domain ({from_domain}), for example ip6:2001:db8::25, or sign the mail with DKIM.", ""},
			{"Or make the sending server deliver over IPv4 to Exchange Online.", ""},
		},
		docs: []string{docIPv6Inbound, docNDR},
	},
	{
		id:       "ndr-dane-starttls-not-supported",
		codes:    []string{"4.7.321", "5.7.321"},
		patterns: []string{"starttls not supported"},
		title:    "The recipient's mail server does not offer TLS, which its DNSSEC/DANE records require (4.7.321 / 5.7.321 starttls-not-supported)",
		cause: "The destination domain ({to_domain}) is DNSSEC-signed and publishes TLSA records, so Exchange Online must deliver over TLS. DNSSEC checks passed, but on connection " +
			"the destination server did not respond to STARTTLS, or it did and the TLS handshake failed.",
		fix: []step{
			{"The fix is on the destination server: ask the admins of {to_domain} to enable STARTTLS with a working certificate on their MX host.", ""},
			{"Check the recipient address, and whether the domain's MX record points to the right server.", "Resolve-DnsName -Type MX {ps:to_domain}"},
		},
		docs: []string{docDANE, docNDR},
	},
	{
		id:       "ndr-dane-certificate-expired",
		codes:    []string{"4.7.322", "5.7.322"},
		patterns: []string{"certificate expired"},
		title:    "The recipient's mail server presented an expired certificate (4.7.322 / 5.7.322 certificate-expired, DANE)",
		cause: "DNSSEC checks for the destination domain ({to_domain}) passed, but on connection its mail server presented an X.509 certificate that has expired. " +
			"A valid certificate that is not expired must be presented.",
		fix: []step{
			{"Ask the admins of {to_domain} to renew their mail server's certificate (and, if they pin it in TLSA records, to publish the new TLSA record before switching).", ""},
		},
		docs: []string{docDANE, docNDR},
	},
	{
		id:       "ndr-dane-tlsa-invalid",
		codes:    []string{"4.7.323", "5.7.323"},
		patterns: []string{"tlsa invalid", "failed dane validation"},
		title:    "The recipient domain failed DANE validation (4.7.323 / 5.7.323 tlsa-invalid)",
		cause: "The destination domain's ({to_domain}) records are DNSSEC-authentic, but DANE validation failed: its mail server's certificate does not match the authentic TLSA record, " +
			"the TLSA record is misconfigured, the certificate's start date is in the future, the domain is being attacked, or another DANE failure occurred.",
		fix: []step{
			{"Ask the admins of {to_domain} to compare their TLSA records with the certificate their MX host presents, and to update whichever is wrong. The records, for their MX host:", "Resolve-DnsName -Type TLSA '_25._tcp.<their MX host>'"},
			{"After a certificate change they must publish the new TLSA record before the new certificate is used.", ""},
		},
		docs: []string{docDANE, docNDR},
	},
	{
		id:       "ndr-dnssec-invalid",
		codes:    []string{"4.7.324", "5.7.324"},
		patterns: []string{"dnssec invalid", "invalid dnssec records"},
		title:    "The recipient domain returned invalid DNSSEC records (4.7.324 / 5.7.324 dnssec-invalid)",
		cause:    "The destination domain ({to_domain}) indicated that it is DNSSEC-authentic, but Exchange Online could not verify it as DNSSEC-authentic (broken signatures, expired RRSIGs, or a DS record that does not match).",
		fix: []step{
			{"Ask the admins of {to_domain} to repair the DNSSEC signing of their zone (re-sign it, or correct the DS record at the registrar).", ""},
		},
		docs: []string{docDANE, docNDR},
	},
	{
		id:       "ndr-dane-certificate-host-mismatch",
		codes:    []string{"4.7.325", "5.7.325"},
		patterns: []string{"certificate host mismatch"},
		title:    "The recipient's mail server certificate does not name its host (4.7.325 / 5.7.325 certificate-host-mismatch, DANE)",
		cause:    "The identities in the certificate the destination server presented (CN and SAN) match neither the recipient domain ({to_domain}) nor the MX host.",
		fix: []step{
			{"Ask the admins of {to_domain} to install a certificate whose CN or SAN contains the MX host name.", ""},
		},
		docs: []string{docDANE, docNDR},
	},

	// ---- 5.0.x – 5.3.x ------------------------------------------------------------------------------
	{
		id:          "ndr-x-dg-ref-too-long",
		codes:       []string{"5.0.350"},
		patterns:    []string{"x dg ref header is too long"},
		needPattern: true,
		textScope:   true, // "550 5.0.350 Remote server returned an error -> 550 x-dg-ref header is too long": the words follow the remote server's own code
		title:       "The recipient's server rejected a Rich Text message whose header is too long (5.0.350 x-dg-ref header is too long)",
		cause: "The message was sent in Rich Text Format and contains an attachment (typically an attached message that itself has an attachment). In Rich Text messages the attachment's data becomes part of " +
			"the X-MS-TNEF-Correlator header, the header line grows too long, and the receiving server rejects the message.",
		fix: []step{
			{"Send the message in HTML format: Outlook > File > Options > Mail > Compose messages in: HTML (and for this message, Format Text > HTML).", ""},
			{"Organisation-wide, make Exchange Online convert Rich Text for external recipients.", "Set-RemoteDomain Default -TNEFEnabled $false"},
		},
		docs: []string{docFix50350, docNDR},
	},
	{
		id:          "ndr-nested-attachments-as345",
		codes:       []string{"5.0.350"},
		patterns:    []string{"as345"},
		needPattern: true,
		textScope:   true,
		title:       "The message was rejected for an attachment with too many embedded files (5.0.350 policy violation detected (AS345))",
		cause:       "Microsoft documents 'Requested action not taken: policy violation detected (AS345)' for a message that contains an attachment (for example, a Word file) with 20 or more embedded files (for example, Excel or Word files).",
		fix: []step{
			{"Remove some embedded files from the attachment (fewer than 20), or send them as separate attachments or as links, and send the message again.", ""},
		},
		docs: []string{docFix50350, docNDR},
	},
	{
		id:    "ndr-generic-5-0-350",
		codes: []string{"5.0.350"},
		title: "The recipient's organisation rejected the message with a non-specific error (5.0.350)",
		cause: "5.0.350 is a generic wrapper that Exchange Online uses for a wide variety of non-specific errors, typically returned by the recipient's email organisation. " +
			"The text after the code, from the remote server, is what explains it.",
		fix: []step{
			{"Read the remote server's text in the NDR's diagnostic information (Remote server returned ...): it names the reason; look that text up with exoprobe explain.", "exoprobe explain '<the text after Remote server returned>'"},
			{"If it is not clear, the recipient's email admins ({to_domain}) must say why their server rejected the message.", ""},
		},
		docs: []string{docFix50350, docNDR},
	},
	{
		id:       "ndr-sender-denied",
		codes:    []string{"5.1.0"},
		patterns: []string{"sender denied", "address rejected", "spf"},
		title:    "The destination server refused the sender or could not resolve the recipient (5.1.0)",
		cause: "Microsoft documents 5.1.0 ('Sender denied', 'Address rejected') for a destination server that won't accept messages from this sender — the address, the organisation, or all of Exchange Online is blocked by the recipient — " +
			"and notes that the SPF record of the sending domain ({from_domain}) may be incomplete ('Recipient address rejected: SPF Permanent Error'). " +
			"A recipient that cannot be resolved gives it too: a message saved from Outlook as a file, opened offline and replied to keeps only the recipient's legacyExchangeDN, which may no longer resolve.",
		fix: []step{
			{"Check the SPF record of the sending domain: it must include every source of mail for the domain (for Microsoft 365, include:spf.protection.outlook.com).", "Resolve-DnsName -Type TXT {ps:from_domain} | Where-Object Strings -match 'v=spf1'"},
			{"If the destination blocks you, the recipient's admins must remove {from} or {from_domain} from their block list.", ""},
			{"Check the recipient address ({to}) and send the message again as a new message; remove the recipient's entry from the Outlook Auto-Complete list and type the address in full.", ""},
			{"For internal recipients after a migration: add the old legacyExchangeDN as an X500 proxy address.", "Set-Mailbox -Identity {ps:to} -EmailAddresses @{Add='X500:<old legacyExchangeDN>'}"},
		},
		docs: []string{docFix510, docSPF, docNDR},
	},
	{
		id:          "ndr-recipient-not-found",
		codes:       []string{"5.1.1-5.1.20"},
		patterns:    []string{"recipnotfound", "bad destination mailbox address", "user unknown", "does not exist"},
		needPattern: true,
		title:       "The recipient address does not exist at the destination (5.1.1 Bad destination mailbox address)",
		cause: "The destination email system has no recipient {to}: a typo, an address that changed or was removed, a mailbox moved while the sender's Outlook recipient cache (Auto-Complete) still holds the old entry, " +
			"or an invalid legacyExchangeDN for the recipient. For {to_domain} it can also be a stale MX record pointing to an old email server.",
		fix: []step{
			{"Check the spelling of {to} and send again; remove the recipient from the Outlook Auto-Complete list and type the address in full (resending the original message gives the same failure).", ""},
			{"If the recipient is in your organisation, check that it exists and has that address.", "Get-Recipient -Identity {ps:to} | Format-List RecipientTypeDetails,PrimarySmtpAddress,EmailAddresses"},
			{"Check that the MX record of {to_domain} points to the server that hosts the recipient.", "Resolve-DnsName -Type MX {ps:to_domain}"},
		},
		docs: []string{docFix511, docNDR},
	},
	{
		id:       "ndr-recipient-not-found-5110",
		codes:    []string{"5.1.10"},
		patterns: []string{"recipientnotfound", "recipient not found"},
		title:    "Exchange Online found no recipient with this SMTP address (5.1.10 Recipient not found)",
		cause: "The recipient's SMTP address ({to}) was not found by SMTP address lookup: it does not exist, has no active licence, or a forwarding rule sends mail to an address that no longer exists. " +
			"A spammer forging your address can also cause such bounces (backscatter), which you can ignore.",
		fix: []step{
			{"Check the spelling of {to} and send the message again.", ""},
			{"If the recipient is in your tenant, check that it exists and is licensed (Microsoft 365 admin centre > Users > Active users > Licenses and apps).", "Get-Recipient -Identity {ps:to} | Format-List RecipientTypeDetails,EmailAddresses"},
			{"Look for broken forwarding to a deleted address.", "Get-Mailbox -Identity {ps:to} | Format-List ForwardingSmtpAddress,ForwardingAddress\nGet-InboxRule -Mailbox {ps:to} | Where-Object {$_.ForwardTo -or $_.RedirectTo}"},
			{"Hybrid: the recipient may exist only on premises; set the accepted domain {to_domain} to Internal relay while recipients are synchronised (Exchange admin centre > Mail flow > Accepted domains).", ""},
		},
		docs: []string{docFix5110, docNDR},
	},
	{
		id:       "ndr-daily-recipient-limit",
		codes:    []string{"5.1.90"},
		patterns: []string{"daily limit for message recipients"},
		title:    "The sender reached the daily recipient limit (5.1.90)",
		cause: "The sending mailbox ({mailbox|from}) exceeded the recipient rate limit of Exchange Online's sending limits (10,000 recipients a day). " +
			"This can mean that the account has been compromised and is used to send spam.",
		fix: []step{
			{"Check the account for compromise first: its sent items, inbox rules and sign-in logs.", "Get-InboxRule -Mailbox {ps:mailbox|from} | Format-List Name,Enabled,ForwardTo,RedirectTo,DeleteMessage"},
			{"Wait: the limit is over a rolling 24 hours. For legitimate bulk mail use a service meant for it (High Volume Email for internal recipients, Azure Communication Services for external ones).", ""},
		},
		docs: []string{docNDR, docSendingLimits, docCompromised},
	},
	{
		id:          "ndr-submission-quota",
		codes:       []string{"5.2.2", "5.2.0"},
		patterns:    []string{"submission quota", "submissionquotaexceeded"},
		needPattern: true,
		alone:       true,
		title:       "The sender exceeded Exchange Online's sending limits (5.2.2 Submission quota exceeded)",
		cause: "The sending account ({mailbox|from}) exceeded the recipient rate limit (10,000 recipients a day) or the message rate limit of Exchange Online. " +
			"Microsoft notes that the account has likely been compromised and is being used to send spam.",
		fix: []step{
			{"Treat the account as compromised until shown otherwise: reset its password, check its inbox rules and forwarding, and review its sign-ins.", "Get-InboxRule -Mailbox {ps:mailbox|from} | Format-List Name,Enabled,ForwardTo,RedirectTo,DeleteMessage\nGet-Mailbox -Identity {ps:mailbox|from} | Format-List ForwardingSmtpAddress,ForwardingAddress"},
			{"If the volume is legitimate, spread it out or move it to a service made for it; the limit is counted over a rolling 24 hours.", ""},
			{"If the account was also blocked: Microsoft Defender portal > Email & collaboration > Review > Restricted entities.", ""},
			{"See how much it sent: Exchange admin centre > Mail flow > Message trace, sender {mailbox|from}, the last 2 days.", ""},
		},
		docs: []string{docFixQuota, docSendingLimits, docCompromised},
	},
	{
		id:       "ndr-message-too-large",
		codes:    []string{"5.2.3", "5.3.4"},
		patterns: []string{"too large", "size exceeds", "recipsizelimit", "too big"},
		title:    "The message is larger than a size limit on its way (5.2.3 message too large / 5.3.4 message size exceeds fixed maximum)",
		cause: "The message, with its attachments, is larger than the size limit of the recipient, the sender, the organisation or a server on the way. " +
			"Attachments grow by about a third when they are encoded for sending, so a 25 MB file makes a message of about 33 MB. Exchange Online's default limits are 35 MB sent and 36 MB received per mailbox (configurable up to 150 MB).",
		fix: []step{
			{"Send the file as a OneDrive or SharePoint link instead of an attachment, or split or compress it, and send the message again.", ""},
			{"If the limit is in your tenant, check the sender's and the recipient's limits.", "Get-Mailbox -Identity {ps:to} | Format-List MaxSendSize,MaxReceiveSize\nGet-TransportConfig | Format-List MaxSendSize,MaxReceiveSize"},
			{"Raise them if needed.", "Set-Mailbox -Identity {ps:to} -MaxReceiveSize 150MB"},
			{"If the NDR names another server, its administrators set that limit: only they can raise it.", ""},
		},
		docs: []string{docExServerNDR, docMessageLimits},
	},
	{
		id:          "ndr-mailbox-full",
		codes:       []string{"5.2.2", "4.2.2"},
		patterns:    []string{"mailbox full", "quotaexceeded", "mailbox is full"},
		needPattern: true,
		title:       "The recipient's mailbox is full (5.2.2 Mailbox full)",
		cause: "The recipient's mailbox ({to}) has exceeded its storage quota (the ProhibitReceiveQuota, or ProhibitSendReceiveQuota) and no longer accepts new messages; " +
			"Exchange reports it as 'mailbox full' with QuotaExceededException or MapiExceptionShutoffQuotaExceeded in the details.",
		fix: []step{
			{"The sender cannot fix this: tell the recipient by another channel, and send again after they have freed space.", ""},
			{"If the recipient is in your tenant, check the mailbox size against its quota.", "Get-MailboxStatistics -Identity {ps:to} | Format-List TotalItemSize,TotalDeletedItemSize\nGet-Mailbox -Identity {ps:to} | Format-List ProhibitSendReceiveQuota,RecoverableItemsQuota,ArchiveStatus"},
			{"Free space: empty Deleted Items, move old mail to an online archive or assign a licence with a larger mailbox; then send the message again. To turn the archive on:", "Enable-Mailbox -Identity {ps:to} -Archive"},
		},
		docs: []string{docExServerNDR, docMailboxLimits},
	},
	{
		id:       "ndr-recipient-receive-limit",
		codes:    []string{"5.2.121", "5.2.122"},
		patterns: []string{"per hour message receive limit", "messages they can receive per hour", "send to this recipient per hour"},
		title:    "The recipient reached its hourly limit of received messages (5.2.121 / 5.2.122)",
		cause: "Exchange Online limits how many messages a recipient receives per hour: 5.2.121 when one sender exceeded the messages it may send per hour to this recipient, 5.2.122 when the recipient exceeded what it may receive per hour from all senders. " +
			"The limit protects inboxes from being flooded by errant automated notification systems or mail storms.",
		fix: []step{
			{"Make the automated sender send fewer messages per hour to {to} (batch notifications into a digest), then send again later.", ""},
			{"Look for a mail loop or a runaway notification system sending to {to}.", ""},
		},
		docs: []string{docNDR, docSendingLimits},
	},
	{
		id:       "ndr-journaling-archive-disabled",
		codes:    []string{"5.3.190"},
		patterns: []string{"journaling archive is disabled"},
		title:    "Exchange Online does not accept journal reports from on premises while Journaling Archive is off (5.3.190)",
		cause:    "A journaling rule in the on-premises organisation sends journal reports to Microsoft 365, but Journaling Archive is disabled in the tenant, so journaling on-premises messages to Microsoft 365 is not supported.",
		fix: []step{
			{"Either turn on Journaling Archive for the organisation in Microsoft 365, or change the on-premises journal rule to send journal reports elsewhere (Exchange Management Shell on premises).", "Get-JournalRule | Format-List Name,JournalEmailAddress,Enabled"},
		},
		docs: []string{docNDR},
	},

	// ---- 5.4.x – 5.6.x ------------------------------------------------------------------------------
	{
		id:          "ndr-relay-access-denied-541",
		codes:       []string{"5.4.1"},
		patterns:    []string{"relay access denied"},
		needPattern: true,
		title:       "The server that answered does not accept mail for the recipient's domain (5.4.1 Relay Access Denied)",
		cause: "The mail server that generated the error does not accept mail for the recipient's domain ({to_domain}): a mail server or DNS misconfiguration, typically an MX record that points to a server " +
			"(or an Exchange Online tenant) where {to_domain} is not an accepted domain, or a domain that is still being set up in Microsoft 365.",
		fix: []step{
			{"Check the MX record of {to_domain}: it must point to the server that hosts the domain (for Microsoft 365, {mx_host}).", "Resolve-DnsName -Type MX {ps:to_domain}"},
			{"If {to_domain} is yours and in Microsoft 365: check that it is added and verified (Microsoft 365 admin centre > Settings > Domains) and an accepted domain.", "Get-AcceptedDomain | Format-Table DomainName,DomainType"},
			{"DNS changes can take up to 72 hours to propagate; if the domain was just changed, wait and send again.", ""},
		},
		docs: []string{docFix541, docAcceptedDomain, docNDR},
	},
	{
		id:       "ndr-routing-loop",
		codes:    []string{"5.4.6", "5.4.14"},
		patterns: []string{"hop count exceeded", "routing loop"},
		title:    "The message was caught in a mail loop (5.4.6 / 5.4.14 Hop count exceeded - possible mail loop)",
		cause: "A configuration error made mail loop between servers or mailboxes; Exchange interrupts the loop after 20 iterations and returns the message. 5.4.6 is generated by on-premises Exchange (seen in hybrid), 5.4.14 by Exchange Online. " +
			"Common causes: forwarding between two mailboxes, an accepted domain set to Internal relay or an outbound connector that sends the domain's mail back to Exchange Online, or an MX record pointing back to the sender.",
		fix: []step{
			{"Check forwarding on the recipient and sender.", "Get-Mailbox -Identity {ps:to} | Format-List ForwardingSmtpAddress,ForwardingAddress,DeliverToMailboxAndForward\nGet-InboxRule -Mailbox {ps:to}"},
			{"Check how the domain routes: an Internal relay domain must route to a server that really hosts the recipient.", "Get-AcceptedDomain {ps:to_domain} | Format-List DomainType\nGet-OutboundConnector | Format-List Name,RecipientDomains,SmartHosts"},
			{"Hybrid: the on-premises send connector for the domain must not send the mail back to Exchange Online, and the recipient must exist on one side only.", ""},
		},
		docs: []string{docFix546, docNDR},
	},
	{
		id:          "ndr-consumer-mailbox-unavailable",
		codes:       []string{"5.5.0"},
		patterns:    []string{"requested action not taken mailbox unavailable"},
		needPattern: true,
		title:       "Outlook.com has no mailbox with this address (5.5.0 Requested action not taken: mailbox unavailable)",
		cause:       "Microsoft's NDR reference: the recipient's domain is @hotmail.com or @outlook.com (the consumer service) and the address ({to}) was not found by SMTP address lookup; similar to 5.1.10.",
		fix: []step{
			{"Check the spelling of {to} with the recipient, and send again.", ""},
			{"The consumer account may have been closed for inactivity; the recipient must give you a current address.", ""},
		},
		docs: []string{docNDR, docFix5110},
	},
	{
		id:       "ndr-bare-linefeeds",
		codes:    []string{"5.6.11"},
		patterns: []string{"bare line feed", "bare linefeed"},
		alone:    true, // the user text of the NDR names the bare line feed characters without the code
		title:    "The message contains bare line feeds, which the destination server does not accept (5.6.11 Invalid characters)",
		cause: "The message contains line feed characters not preceded by a carriage return (bare LF). Such messages need SMTP CHUNKING (the BDAT command) to be transmitted; the destination server does not support BDAT. " +
			"Exchange Online no longer removes bare line feeds, to keep DKIM signatures intact.",
		fix: []step{
			{"Fix the application or script that builds the message: end every line with CR LF (\\r\\n), not LF alone.", ""},
			{"Or ask the destination's admins ({to_domain}) to support CHUNKING/BDAT on their server.", ""},
		},
		docs: []string{docFix5611, docNDR},
	},

	// ---- 5.7.x --------------------------------------------------------------------------------------
	{
		id:          "ndr-delivery-not-authorized",
		codes:       []string{"5.7.1"},
		patterns:    []string{"delivery not authorized", "resolver.rst.authrequired", "resolver.rst.notauthorized", "authentication required stage createmessage"},
		needPattern: true,
		title:       "The sender is not allowed to send to this recipient (5.7.1 Delivery not authorized)",
		cause: "The recipient (often a distribution group) accepts messages only from members or other authorised senders, or only from authenticated (internal) senders, and {from} is not one of them; " +
			"or a mail flow (transport) rule rejected the message because it matched the rule's conditions.",
		fix: []step{
			{"The sender must ask the recipient's owner for permission to send to {to}.", ""},
			{"If the recipient is your group: Exchange admin centre > Recipients > Groups > {to} > Settings / Delivery management: allow senders outside the organisation or add {from}; or in PowerShell:", "Set-DistributionGroup -Identity {ps:to} -AcceptMessagesOnlyFromSendersOrMembers @{Add={ps:from}}"},
			{"If a mail flow rule rejected it, find the rule, or run a message trace (Exchange admin centre > Mail flow > Message trace).", "Get-TransportRule | Where-Object {$_.RejectMessageReasonText -or $_.RejectMessageEnhancedStatusCode} | Format-List Name,RejectMessageReasonText,RejectMessageEnhancedStatusCode"},
		},
		docs: []string{docFix571, docNDR},
	},
	{
		id:       "ndr-sender-not-authenticated-org",
		codes:    []string{"5.7.12"},
		patterns: []string{"sender was not authenticated by organization", "sendernotauthenticated"},
		title:    "The recipient accepts mail only from inside its organisation (5.7.12 Sender was not authenticated by organization)",
		cause:    "The recipient address ({to}) is set up to reject messages sent from outside its organisation. Only an email admin of the recipient's organisation (or the group owner) can change this.",
		fix:      fixExternalSenders,
		docs:     []string{docFix5712, docNDR},
	},
	{
		id:       "ndr-spf-violation",
		codes:    []string{"5.7.23"},
		patterns: []string{"sender policy framework violation", "spf"},
		title:    "The destination rejected the message for an SPF failure (5.7.23)",
		cause: "The destination email system validates inbound mail with SPF, and the SPF record of the sending domain ({from_domain}) does not authorise the server that delivered the message: " +
			"a missing include:spf.protection.outlook.com, an on-premises IP not listed, a message sent from an unprovisioned domain, or a message routed through the High Risk Delivery Pool.",
		fix: []step{
			{"Check the SPF record: for Microsoft 365 it needs include:spf.protection.outlook.com, plus the IP of every on-premises server that sends for the domain.", "Resolve-DnsName -Type TXT {ps:from_domain} | Where-Object Strings -match 'v=spf1'"},
			{"Add and verify every domain you send from (Microsoft 365 admin centre > Settings > Domains).", ""},
			{"If outbound mail was marked as spam, it left through the High Risk Delivery Pool, which fails SPF: check the sender in Microsoft Defender portal > Email & collaboration > Review > Restricted entities and fix the cause.", ""},
		},
		docs: []string{docFix5723, docSPF, docNDR},
	},
	{
		id:       "ndr-group-allowed-senders",
		codes:    []string{"5.7.124"},
		patterns: []string{"sender not in allowed senders list"},
		title:    "The sender is not on the group's allowed-senders list (5.7.124)",
		cause:    "The distribution group {to} accepts messages only from the senders on its allowed-senders list, and {from} is not on it. Depending on how the group is set up, even the group's owner may need to be added.",
		fix: []step{
			{"Ask the group's owner to add {from} to the allowed senders: Exchange admin centre > Recipients > Groups > {to} > Settings > Delivery management.", ""},
			{"Or in Exchange Online PowerShell:", "Set-DistributionGroup -Identity {ps:to} -AcceptMessagesOnlyFromSendersOrMembers @{Add={ps:from}}"},
		},
		docs: []string{docFix57124, docNDR},
	},
	{
		id:       "ndr-group-external-senders",
		codes:    []string{"5.7.133"},
		patterns: []string{"sender not authenticated for group", "sendernotauthenticatedforgroup"},
		title:    "The group accepts mail only from inside its organisation (5.7.133 Sender not authenticated for group)",
		cause:    "The recipient ({to}) is a group set up to reject messages sent from outside its organisation. Only an email admin of the recipient's organisation or the group owner can change this.",
		fix:      fixExternalSenders,
		docs:     []string{docFix57133, docNDR},
	},
	{
		id:       "ndr-mailbox-external-senders",
		codes:    []string{"5.7.134"},
		patterns: []string{"sender was not authenticated for mailbox", "sendernotauthenticatedformailbox"},
		title:    "The mailbox accepts mail only from inside its organisation (5.7.134 Sender was not authenticated for mailbox)",
		cause:    "The recipient ({to}) is a mailbox set up to reject messages sent from outside its organisation. Only an email admin of the recipient's organisation can change this.",
		fix:      fixExternalSenders,
		docs:     []string{docFix57134, docNDR},
	},
	{
		id:       "ndr-public-folder-external-senders",
		codes:    []string{"5.7.135"},
		patterns: []string{"sender was not authenticated for public folder", "sendernotauthenticatedforpublicfolder"},
		title:    "The public folder accepts mail only from inside its organisation (5.7.13 / 5.7.135 Sender was not authenticated for public folder)",
		cause:    "The recipient ({to}) is a mail-enabled public folder set up to reject messages sent from outside its organisation. Only an email admin of the recipient's organisation can change this.",
		fix:      fixExternalSenders,
		docs:     []string{docFix57135, docNDR},
	},
	{
		id:          "ndr-public-folder-external-senders-5713",
		codes:       []string{"5.7.13"},
		patterns:    []string{"public folder"},
		needPattern: true,
		title:       "The public folder accepts mail only from inside its organisation (5.7.13 Sender was not authenticated for public folder)",
		cause:       "Exchange Online uses 5.7.13 (as well as 5.7.135) when the recipient ({to}) is a mail-enabled public folder set up to reject messages sent from outside its organisation.",
		fix:         fixExternalSenders,
		docs:        []string{docFix57135, docNDR},
	},
	{
		id:       "ndr-mailuser-external-senders",
		codes:    []string{"5.7.136"},
		patterns: []string{"sender was not authenticated", "sendernotauthenticated"},
		title:    "The mail user or contact accepts mail only from inside its organisation (5.7.136 Sender was not authenticated)",
		cause:    "The recipient ({to}) is a mail user (or mail contact) set up to reject messages sent from outside its organisation. Only an email admin of the recipient's organisation can change this.",
		fix:      fixExternalSenders,
		docs:     []string{docFix57136, docNDR},
	},
	{
		id:       "ndr-ipv6-no-ptr",
		codes:    []string{"5.7.25"},
		patterns: []string{"must have a reverse dns record"},
		title:    "The sending IPv6 address has no reverse DNS record (5.7.25)",
		cause:    "To send email to Exchange Online over IPv6, the sending IPv6 address must have a reverse DNS (PTR) record; this one has none.",
		fix: []step{
			{"Ask whoever owns the sending IPv6 address (your ISP or hosting provider) to create a PTR record for it that names the sending server, with a matching AAAA record.", ""},
			{"Or make the sending server deliver over IPv4.", ""},
		},
		docs: []string{docIPv6Inbound, docNDR},
	},
	{
		id:       "ndr-account-banned-spam",
		codes:    []string{"5.7.501-5.7.503"},
		patterns: []string{"spam abuse detected", "banned sender"},
		title:    "The sending account has been banned for spam (5.7.501–5.7.503 Access denied, spam abuse detected / banned sender)",
		cause:    "Microsoft's NDR reference: the sending account ({mailbox|from}) has been banned due to detected spam activity.",
		fix: []step{
			{"Verify that the account's issues are resolved: treat it as compromised, reset its credentials, check its inbox rules and forwarding, and scan the devices that use it.", ""},
			{"Then contact Microsoft Support through your regular channel to restore the account's ability to send mail.", ""},
		},
		docs: []string{docNDR, docFix451, docCompromised},
	},
	{
		id:       "ndr-recipient-invalid-504",
		codes:    []string{"5.7.504"},
		patterns: []string{"recipient address rejected"},
		title:    "The recipient address is not valid at the destination tenant (5.7.504 Recipient address rejected: Access denied)",
		cause:    "Microsoft's NDR reference: the recipient address that you're attempting to contact ({to}) isn't valid.",
		fix: []step{
			{"Verify the recipient's email address ({to}) and try again.", ""},
			{"If the recipient is in your tenant, check that it exists (Directory-Based Edge Blocking rejects addresses it does not know) and, for hybrid, that it is synchronised.", "Get-Recipient -Identity {ps:to}"},
		},
		docs: []string{docNDR, docDBEB},
	},
	{
		id:       "ndr-banned-recipient",
		codes:    []string{"5.7.505"},
		patterns: []string{"banned recipient"},
		title:    "Exchange Online does not accept mail for this recipient (5.7.505 Access denied, banned recipient)",
		cause:    "Microsoft's NDR reference: the recipient that you're attempting to contact ({to}) isn't valid.",
		fix: []step{
			{"Check the recipient address ({to}).", ""},
			{"If you believe this is an error, contact Microsoft Support (the recipient's admins can open the case for their tenant).", ""},
		},
		docs: []string{docNDR},
	},
	{
		id:       "ndr-bad-helo",
		codes:    []string{"5.7.506"},
		patterns: []string{"bad helo"},
		title:    "The sending server introduced itself with the receiving server's own name (5.7.506 Access Denied, Bad HELO)",
		cause:    "The sending server's HELO/EHLO named the server it connected to (the Microsoft server) rather than its own fully qualified domain name. Exchange Online does not allow this: it is typical spambot behaviour.",
		fix: []step{
			{"Set the sending server's HELO/EHLO name to its own FQDN, one that resolves in DNS (for example the name in its PTR record), never to a Microsoft host name; exoprobe tests such a name with --helo.", "exoprobe relay --domain {ps:domain} --from {ps:from} --to {ps:to} --helo '<your server name>'"},
		},
		docs: []string{docNDR},
	},
	{
		id:       "ndr-ip-rejected-by-recipient",
		codes:    []string{"5.7.507"},
		patterns: []string{"rejected by recipient"},
		title:    "The recipient's organisation blocked the sending IP (5.7.507 Access denied, rejected by recipient)",
		cause:    "Microsoft's NDR reference: the IP address that you're attempting to send from ({echo_ip|public_ip}) has been blocked by the recipient's organisation ({to_domain}).",
		fix: []step{
			{"Contact the recipient to resolve it: their admins must remove the IP from their block list (in Exchange Online: the connection filter policy's IP Block list or their Tenant Allow/Block List).", ""},
		},
		docs: []string{docNDR},
	},
	{
		id:       "ndr-ipv6-range-limit",
		codes:    []string{"5.7.508"},
		patterns: []string{"has exceeded permitted limits"},
		title:    "The sender's IPv6 range sent too many messages in too short a time (5.7.508)",
		cause:    "Microsoft's NDR reference: the sender's IPv6 range has attempted to send too many messages in too short a time period.",
		fix: []step{
			{"Slow the sending down and retry later; spread bulk mail over time.", ""},
			{"Or deliver over IPv4, where the address's own reputation applies.", ""},
		},
		docs: []string{docNDR, docIPv6Inbound},
	},
	{
		id:       "ndr-dmarc-reject",
		codes:    []string{"5.7.509"},
		patterns: []string{"does not pass dmarc verification"},
		title:    "The sending domain failed DMARC and its policy is reject (5.7.509)",
		cause: "The domain in the message's From header ({from_domain}) does not pass DMARC, and its DMARC policy is p=reject, so Exchange Online rejected the message. " +
			"Why DMARC fails: missing or incorrect SPF/DKIM/DMARC records and alignment, a missing DKIM record or an unsigned message, or forwarding that broke SPF and DKIM.",
		fix: []step{
			{"Read the Authentication-Results header in the returned message: it shows spf=, dkim= and dmarc= results and which domains were checked.", ""},
			{"Make SPF or DKIM pass for a domain aligned with the From domain: the SPF record of the MAIL FROM domain must list the sending server, or the mail must be DKIM-signed with d={from_domain} (Microsoft Defender portal > Email & collaboration > Policies > Email authentication settings > DKIM).", ""},
			{"Check the DMARC record.", "Resolve-DnsName -Type TXT ('_dmarc.' + {ps:from_domain})"},
		},
		docs: []string{docNDR, docDMARC, docSPF},
	},
	{
		id:       "ndr-recipient-no-ipv6",
		codes:    []string{"5.7.510"},
		patterns: []string{"does not accept email over ipv6"},
		title:    "The recipient does not accept mail over IPv6 (5.7.510)",
		cause:    "The sender tried to deliver to the recipient's domain ({to_domain}) over IPv6, but the recipient does not accept email over IPv6.",
		fix: []step{
			{"Make the sending server deliver to {to_domain} over IPv4 (or disable IPv6 for outbound SMTP). Postfix:", "sudo postconf -e 'smtp_address_preference = ipv4'\nsudo postfix reload"},
		},
		docs: []string{docNDR, docIPv6Inbound},
	},
	{
		id:       "ndr-ip-banned-511",
		codes:    []string{"5.7.511"},
		patterns: []string{"banned sender"},
		title:    "The sending IP has been banned (5.7.511 Access denied, banned sender)",
		cause:    "Microsoft's NDR reference: the IP address that you're attempting to send from ({echo_ip|public_ip}) has been banned. The delist portal cannot remove this kind of ban.",
		fix: []step{
			{"Make sure the address no longer sends spam (compromised accounts, open relay, infected hosts).", ""},
			{"To delist it, email delist@microsoft.com with the full NDR code and the IP address.", ""},
		},
		docs: []string{docNDR, docDelist},
	},
	{
		id:       "ndr-from-header-invalid",
		codes:    []string{"5.7.512"},
		patterns: []string{"rfc 5322 section 3.6.2"},
		title:    "The message has no valid From address (5.7.512 message must be RFC 5322 section 3.6.2 compliant)",
		cause:    "Every message sent to Microsoft 365 must contain a valid email address in the From header field, properly formatted (angle brackets around the address when a display name is given, for example \"Name\" <security@contoso.com>). This one does not.",
		fix: []step{
			{"Fix the application or device that builds the message: set a From header with a full address, e.g. From: \"Scanner\" <{from}>.", ""},
			{"Check that the From header is not empty, does not hold only a display name, and is not repeated.", ""},
		},
		docs: []string{docNDR},
	},
	{
		id:       "ndr-customer-block-list",
		codes:    []string{"5.7.513"},
		patterns: []string{"customer block list", "as16012607"},
		title:    "The recipient's organisation put the sending IP on its own block list (5.7.513 ... using Customer Block list (AS16012607))",
		cause:    "The recipient domain ({to_domain}) has added your sending IP address ({echo_ip|public_ip}) to its custom block list. Microsoft's delist portal does not apply: only the recipient's organisation can remove it.",
		fix: []step{
			{"Contact the recipient's organisation directly and ask them to remove the IP from their block list (in Exchange Online: the connection filter policy's IP Block List).", ""},
		},
		docs: []string{docNDR},
	},
	{
		id:       "ndr-consumer-auth-required",
		codes:    []string{"5.7.515"},
		patterns: []string{"required authentication level"},
		title:    "Outlook.com rejected mail from a domain that does not meet its sender authentication requirements (5.7.515)",
		cause: "Since May 2025 Microsoft's consumer mail service (Outlook.com, Hotmail, Live.com, MSN) rejects mail from high-volume sender domains whose messages do not pass SPF, DKIM and DMARC: " +
			"the domain in the From header ({from_domain}) must publish SPF and DKIM that both pass, publish a DMARC record (p=none is enough), and SPF or DKIM must align with the From domain. The NDR ends with the results it saw (Spf=, Dkim=, DMARC=).",
		fix: []step{
			{"Read the Spf= / Dkim= / DMARC= results at the end of the rejection to see which check failed.", ""},
			{"Make SPF pass for the sending server, DKIM-sign the mail with d={from_domain} (or an aligned subdomain), and publish a DMARC record.", "Resolve-DnsName -Type TXT ('_dmarc.' + {ps:from_domain})"},
			{"Third-party senders (newsletters, CRMs, ticketing) sending as {from_domain} need their own SPF include and DKIM keys for the domain.", ""},
		},
		docs: []string{docHighVolume, docDMARC, docSPF},
	},
	{
		id:       "ndr-tabl-recipient-blocked",
		codes:    []string{"5.7.703"},
		patterns: []string{"using tenant allow block list", "tenant recipient block policy", "tenant allow block list policy"},
		alone:    true,
		title:    "Your organisation's Tenant Allow/Block List blocks one of the recipients (5.7.703)",
		cause:    "Someone in your organisation sent mail to an email address or domain that is blocked in the Tenant Allow/Block List. The whole message is blocked for all internal and external recipients, even if only one recipient address or domain is in a block entry.",
		fix: []step{
			{"Find the block entry: Microsoft Defender portal > Email & collaboration > Policies & rules > Threat policies > Tenant Allow/Block Lists > Domains & addresses; or in PowerShell:", "Get-TenantAllowBlockListItems -ListType Sender -Block"},
			{"Remove the entry if the block is not wanted, or remove the blocked recipient and send again.", "Remove-TenantAllowBlockListItems -ListType Sender -Entries '<address or domain>'"},
		},
		docs: []string{docFix57703, docTABL},
	},
	{
		id:       "ndr-domain-banned",
		codes:    []string{"5.7.800"},
		patterns: []string{"banned sender"},
		title:    "The sender domain has been banned for spam (5.7.800 Access denied, banned sender)",
		cause:    "Microsoft's NDR reference: the EHLO, P1 (envelope) or P2 (From header) sender domain of this message ({from_domain}) has been banned due to detected spam activity.",
		fix: []step{
			{"Find and stop the spam sent with the domain (compromised accounts, open relays, third-party senders using it).", ""},
			{"Then contact Microsoft Support to restore the domain's ability to send mail.", ""},
		},
		docs: []string{docNDR},
	},
}
