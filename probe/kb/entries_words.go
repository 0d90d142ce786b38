package kb

// Microsoft's documentation the entries of this table link to, beside those of docs.go.
const (
	docSMTPSubmission  = "https://learn.microsoft.com/en-us/exchange/troubleshoot/send-emails/smtp-submission-improvements"
	docSubmissionQuota = "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/fix-error-for-submission-quota-exceeded-in-exchange-online"
	docEXOLimits       = "https://learn.microsoft.com/en-us/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits"
	docOutboundSpam    = "https://learn.microsoft.com/en-us/defender-office-365/outbound-spam-policies-configure"
	docRecipientPerms  = "https://learn.microsoft.com/en-us/exchange/recipients-in-exchange-online/manage-permissions-for-recipients"
	docMountDatabase   = "https://learn.microsoft.com/en-us/powershell/module/exchange/mount-database"
	docBlogConcurrent  = "https://techcommunity.microsoft.com/t5/exchange-team-blog/changes-coming-to-the-smtp-authenticated-submission-client/ba-p/607825"
)

// replyWordsEntries: SMTP replies whose enhanced code is generic (5.2.0, 5.7.1, 5.7.3, 5.5.2...) but whose words name the cause; the words win over the code.
var replyWordsEntries = []entry{
	// ---- Exchange's store driver (STOREDRV) under a generic 5.2.0 / 4.3.2 -------------------------
	{
		id:          "sendas-denied-words",
		codes:       []string{"5.2.0", "5.7.1", "5.7.0"},
		patterns:    []string{"sendasdenied", "send as this sender", "not allowed to send as", "sendas denied"},
		needPattern: true,
		alone:       true,
		title:       "The signed-in account may not send as this From address (SendAsDenied behind a generic code)",
		cause: "Exchange refused to submit the message because the account that signed in ({mailbox}) has no Send As permission on the address the message is sent from ({from}). " +
			"Exchange Online reports it as 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied (or 5.2.252 / 5.7.60); an on-premises Exchange server as " +
			"550 5.7.1 Client does not have permissions to send as this sender. The application signs in as one mailbox and puts another address in MAIL FROM or the From: header.",
		fix: []step{
			{"Make the application send from the same address it signs in with ({mailbox}), in both the envelope (MAIL FROM) and the From: header.", ""},
			{"Or grant Send As on the From address (Exchange admin centre > Recipients > Mailboxes > {from} > Delegation > Send as).", "Add-RecipientPermission -Identity {ps:from} -Trustee {ps:mailbox} -AccessRights SendAs"},
			{"On an on-premises Exchange server (Exchange Management Shell):", "Add-ADPermission -Identity '<from mailbox>' -User '<signed-in account>' -ExtendedRights 'Send As'"},
			{"Wait for the permission to apply (up to an hour in Exchange Online) before testing again; 'Send on behalf' is a different permission and does not allow this.", ""},
			{"An application that must send as many different addresses should relay through an inbound connector instead; exoprobe relay checks it.", "exoprobe relay --domain {ps:domain} --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docRecipientPerm, docRecipientPerms, docPrinters},
	},
	{
		id:          "outbound-spam-blocked",
		codes:       []string{"5.2.0", "5.7.0"},
		patterns:    []string{"outboundspamexception", "wascl useraction verdict", "refusequota"},
		needPattern: true,
		alone:       true,
		title:       "Microsoft refused the message as outbound spam from this account (5.2.0 OutboundSpamException, WASCL verdict)",
		cause: "The store driver refused the submission with OutboundSpamException: Microsoft's outbound spam protection judged the account ({mailbox|from}) as not allowed to send this message now. " +
			"The verdict names after 'Actual verdict is' (HipNotify, RefuseQuota, ShowTierUpgrade) are not documented by Microsoft. It is seen mostly with Outlook.com / Hotmail accounts " +
			"(new or unverified accounts, or accounts over their sending limit) and with Microsoft 365 accounts that outbound spam policies restrict.",
		fix: []step{
			{"Outlook.com / Hotmail account: sign in at https://outlook.com in a browser with the same account and complete any verification Microsoft asks for, then send one test message from the web.", ""},
			{"Microsoft 365 account: Microsoft Defender portal > Email & collaboration > Review > Restricted entities: if {mailbox|from} is listed, check it for compromise, then release it.", ""},
			{"Check the outbound spam policy limits (Microsoft Defender portal > Email & collaboration > Policies & rules > Threat policies > Anti-spam > outbound policy).", "Get-HostedOutboundSpamFilterPolicy | Format-List Name,RecipientLimitExternalPerHour,RecipientLimitInternalPerHour,RecipientLimitPerDay,ActionWhenThresholdReached"},
			{"Do not send bulk or newsletter mail through a mailbox: use a bulk mail service, or Azure Communication Services Email.", ""},
		},
		docs: []string{docOutboundSpam, docRestricted, docEXOLimits},
	},
	{
		id:          "sender-thread-limit",
		codes:       []string{"4.3.2"},
		patterns:    []string{"sender thread limit", "concurrent connections limit", "concurrent connection limit"},
		needPattern: true,
		alone:       true,
		title:       "Too many connections send as this mailbox at once (4.3.2 sender thread limit / concurrent connections limit exceeded)",
		cause: "Exchange Online allows up to three concurrent SMTP AUTH connections per mailbox to submit messages; each further connection gets 432 4.3.2 (STOREDRV.ClientSubmit; sender thread limit exceeded, " +
			"or Concurrent connections limit exceeded). Several devices or application threads send as {mailbox|from} at the same time. The condition is temporary.",
		fix: []step{
			{"Let the application retry: the message was not lost, the connection was refused, and a retry after a short wait succeeds once another connection is done.", ""},
			{"Limit the application (or the sum of all devices sending as {mailbox|from}) to no more than 3 concurrent connections, e.g. a mail queue with a pool size of 1-3 instead of one connection per message.", ""},
			{"Spread devices over several mailboxes, or let them relay through an inbound connector, which has no per-mailbox connection limit; exoprobe relay checks it.", "exoprobe relay --domain {ps:domain} --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docSMTPSubmission, docBlogConcurrent},
	},
	{
		id:          "mailbox-database-offline",
		codes:       []string{"4.3.2", "4.2.0", "5.2.0"},
		patterns:    []string{"mailbox database is offline", "mailbox server is offline", "mapiexceptionmdboffline", "database is offline"},
		needPattern: true,
		alone:       true,
		title:       "The Exchange mailbox database (or its server) is offline (4.3.2 STOREDRV; mailbox database is offline)",
		cause: "The Exchange transport could not reach the mailbox database that holds the mailbox: the database is dismounted, the mailbox server is down or overloaded, or its Information Store service stopped. " +
			"This is a server-side, usually temporary condition of an Exchange server; messages wait in its queue and are retried.",
		fix: []step{
			{"On the Exchange server (Exchange Management Shell), find the database that is not mounted.", "Get-MailboxDatabase -Status | Format-Table Name,Server,Mounted"},
			{"Mount it; if it does not mount, read the Application event log for the reason (for example a full disk or a dirty shutdown).", "Mount-Database -Identity '<database name>'"},
			{"Check the services, then retry the queue.", "Test-ServiceHealth\nGet-Queue | Where-Object {$_.MessageCount -gt 0} | Retry-Queue"},
			{"In Exchange Online the condition is on Microsoft's side: let the sender retry, and check Microsoft 365 admin centre > Health > Service health if it lasts.", ""},
		},
		docs: []string{docMountDatabase, docNDR},
	},

	// ---- TLS and the order of commands -----------------------------------------------------------
	{
		id:          "starttls-required",
		codes:       []string{"5.7.3", "5.7.0", "5.7.10", "5.5.1"},
		patterns:    []string{"starttls is required", "issue a starttls command first", "must issue a starttls", "issue starttls command first", "starttls command first", "must issue starttls"},
		needPattern: true,
		title:       "The server requires STARTTLS before this command, and the client did not start TLS (STARTTLS is required / Must issue a STARTTLS command first)",
		cause: "The server ({host}) accepts AUTH and MAIL only inside an encrypted session: the client must send STARTTLS after EHLO and repeat EHLO before signing in. " +
			"This client sent its command in plain text: encryption is off in its settings, or it is set to implicit TLS (SSL) on a port that expects STARTTLS, or to 'TLS if available' and did not use it. " +
			"Exchange Online answers 451 5.7.3 STARTTLS is required to send mail; this is not a failed sign-in.",
		fix: []step{
			{"Turn on STARTTLS in the application (often called 'TLS', 'STARTTLS', 'Use secure connection' or EnableSsl = true in System.Net.Mail; JavaMail: mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true; PHPMailer: SMTPSecure = 'tls'; nodemailer: secure: false with requireTLS: true).", ""},
			{"For smtp.office365.com use port 587 with STARTTLS (not implicit SSL on 587, and not port 465), and TLS 1.2 or later.", ""},
			{"If the device cannot do STARTTLS at all, it cannot use SMTP AUTH: send to your tenant's MX host ({mx_host}) on port 25 instead (Direct Send, or relay through an inbound connector).", ""},
		},
		docs: []string{docSMTPAuth, docMFD, docRFC3207},
	},
	{
		id:          "bad-command-sequence",
		codes:       []string{"5.5.1", "5.5.2", "5.5.0"},
		patterns:    []string{"send hello first", "send helo", "helo ehlo first", "ehlo helo first", "bad sequence of commands"},
		needPattern: true,
		title:       "The client sent SMTP commands out of order (503 5.5.x Send hello first / Bad sequence of commands)",
		cause: "SMTP requires EHLO (or HELO) first, again after STARTTLS, and then MAIL FROM, RCPT TO, DATA in this order. The server ({host}) received a command the session was not ready for: " +
			"typically the client did not repeat EHLO after STARTTLS, sent MAIL FROM before EHLO, reused a connection whose earlier transaction failed, or pipelined commands after a rejected one. " +
			"The cause is in the client's SMTP library or its settings, not in the account.",
		fix: []step{
			{"Update the application or SMTP library: clients that send STARTTLS must send EHLO again afterwards (RFC 3207), and must start each session with EHLO.", ""},
			{"Check its settings: choose STARTTLS (not plain text with a later upgrade done by hand), and turn off options that force HELO or skip the greeting.", ""},
			{"If the error follows an earlier rejected command in the same session (a 5xx to RCPT TO or AUTH), fix that first; exoprobe shows the whole exchange with --transcript.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to} --transcript"},
		},
		docs: []string{docRFC5321Session, docRFC3207},
	},

	// ---- Authentication that is not possible as asked ---------------------------------------------
	{
		id:          "auth-type-unrecognized",
		codes:       []string{"5.7.4", "5.3.3", "5.5.4"},
		patterns:    []string{"unrecognized authentication type", "unrecognized authentication", "auth mechanism", "authentication mechanism"},
		needPattern: true,
		title:       "The server does not offer the sign-in method the client used (504 5.7.4 Unrecognized authentication type)",
		cause: "The client sent AUTH with a mechanism the server does not offer at this point of the session. Exchange Online offers only AUTH LOGIN and XOAUTH2, and only after STARTTLS on smtp.office365.com: " +
			"AUTH PLAIN, CRAM-MD5 or NTLM, or any AUTH before STARTTLS, gets 504 5.7.4. Its MX hosts (*.mail.protection.outlook.com) offer no AUTH at all, so a client configured with credentials " +
			"for port 25 gets the same answer. An on-premises Exchange receive connector answers the same when its authentication methods do not include the client's.",
		fix: []step{
			{"Set the application's authentication method to AUTH LOGIN (user name and password) or OAuth 2.0 (XOAUTH2), not PLAIN, CRAM-MD5 or NTLM.", ""},
			{"Turn on STARTTLS and use smtp.office365.com port 587: the server lists AUTH LOGIN XOAUTH2 only after STARTTLS.", ""},
			{"Sending to {mx_host} on port 25 (Direct Send or an inbound connector)? Then remove the user name and password from the application: that endpoint takes no AUTH.", ""},
		},
		docs: []string{docSMTPAuth, docMFD, docOAuth},
	},
	{
		id:          "auth-not-available",
		codes:       []string{"5.5.1", "5.7.0", "5.5.2", "5.3.3"},
		patterns:    []string{"authentication not enabled", "authentication not supported", "auth not available", "auth command used when not advertised", "auth not supported", "authentication not available"},
		needPattern: true,
		title:       "The server offers no sign-in on this connection (AUTH not available / authentication not enabled)",
		cause: "The client sent AUTH, but the server ({host}) does not offer SMTP authentication on this port or at this point of the session: many servers (Postfix with smtpd_tls_auth_only, Exchange Online) " +
			"offer AUTH only after STARTTLS, and a relay or MX endpoint on port 25 offers none. The EHLO reply lists what is offered (250-AUTH ...).",
		fix: []step{
			{"Turn on STARTTLS in the application and send EHLO again after it; then AUTH is offered (for smtp.office365.com: port 587, AUTH LOGIN or XOAUTH2).", ""},
			{"If the endpoint is a relay or an MX host on port 25 that takes no AUTH (such as {mx_host}), remove the credentials from the application and let the server accept it by its IP address (relay connector, inbound connector).", ""},
			{"Check what the server offers: exoprobe shows the EHLO reply before and after STARTTLS with --transcript.", "exoprobe submit --auth none --from {ps:from} --to {ps:to} --transcript"},
		},
		docs: []string{docSMTPAuth, docMFD, docRFC3207},
	},

	// ---- SMTP AUTH: Exchange Online's 5.7.139 with words the core table has no entry for -------------
	{
		id:          "smtp-auth-wrong-credentials",
		codes:       []string{"5.7.139"},
		patterns:    []string{"user credentials were incorrect", "credentials were incorrect"},
		needPattern: true,
		alone:       true,
		title:       "Exchange Online did not accept the user name or password (5.7.139 the user credentials were incorrect)",
		cause: "Exchange Online's SMTP AUTH endpoint checked the user name and password against Entra ID and the sign-in failed on the credentials: a mistyped or changed password, " +
			"a user name that is not the mailbox's sign-in name (UPN), or an account whose password sign-in is blocked. The words after 5.7.139 are Exchange Online's own.",
		fix: []step{
			{"Sign in at https://outlook.office.com with exactly the user name ({mailbox|from}) and password the application uses; fix the one that is wrong in the application.", ""},
			{"Entra admin centre > Entra ID > Monitoring & health > Sign-in logs: filter on {mailbox|from} and read the failure reason of the failed sign-in (wrong password, account locked or disabled, MFA required).", ""},
			{"If the account needs MFA or the organisation blocks passwords for SMTP, switch the application to OAuth, and test it with exoprobe.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docSMTPAuth, docCATroubleshoot},
	},

	// ---- Relay -------------------------------------------------------------------------------------
	{
		id:    "relay-denied",
		codes: []string{"5.7.1", "4.7.1", "5.7.0", "5.0.0"},
		patterns: []string{"unable to relay", "relay access denied", "relaying denied", "relay not permitted", "relay denied", "not permitted to relay", "relaying not allowed", "relay not allowed",
			"rcpthosts", "rcpt hosts", "anfitri es rcpt"}, // folded: "rcpt-hosts" (Dutch), "anfitriões rcpt" (Portuguese), in Outlook's translated error
		needPattern: true,
		textScope:   true, // qmail: "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)": the words come before the code
		title:       "The server refused to relay for this client (5.7.1 Unable to relay / Relay access denied)",
		cause: "The server ({host}) delivers to outside domains only for clients it trusts: a client that signed in (SMTP AUTH), or one whose IP address its relay rules allow. " +
			"This client did neither, so a recipient outside the server's own domains ({to}) was refused. Exchange on premises says 550 5.7.1 Unable to relay; Postfix says 554 5.7.1 Relay access denied.",
		fix: []step{
			{"Let the application sign in: enter the mailbox's user name and password (SMTP AUTH) with STARTTLS, on the submission port (587) of the server.", ""},
			{"Or allow the application's IP address to relay: on an on-premises Exchange server, a dedicated receive connector for anonymous relay from that address (Microsoft: Allow anonymous relay on Exchange servers; it grants Ms-Exch-SMTP-Accept-Any-Recipient to ANONYMOUS LOGON); on Postfix, add the address to mynetworks.", ""},
			{"Relaying through Exchange Online instead: send to your tenant's MX host ({mx_host}) on port 25 with an OnPremises inbound connector for {echo_ip|public_ip}, or use SMTP AUTH to smtp.office365.com; exoprobe relay checks the connector.", "exoprobe relay --domain {ps:domain} --from {ps:from} --to {ps:to}"},
			{"If the refusal came back as an NDR for mail to {to_domain} and that domain is yours: make its MX record point to the system that accepts the domain ({mx_host} for Microsoft 365), and make it an accepted domain there.", "Get-AcceptedDomain | Format-Table DomainName,DomainType"},
			{"If you never sent the message, the NDR is backscatter from spam that forged your address: ignore it, and publish SPF and DMARC for {from_domain}.", ""},
		},
		docs: []string{docAnonRelay, docFix571, docMFD, docPrinters},
	},
	// Listed after relay-denied: "Relaying denied. Proper authentication required." is a relay refusal.
	{
		id:          "auth-required",
		codes:       []string{"5.7.1", "5.7.0", "5.5.4"},
		patterns:    []string{"client was not authenticated", "authentication required", "authentication is required", "send auth command first", "must authenticate", "smtp auth required"},
		needPattern: true,
		title:       "The server accepts mail from this client only after a sign-in (5.7.x Client was not authenticated / Authentication required)",
		cause: "The client sent MAIL FROM (or RCPT TO) without signing in, and the server ({host}) does not accept anonymous mail from it on this port. " +
			"An on-premises Exchange server says 530 5.7.1 Client was not authenticated when the receive connector that took the connection does not allow anonymous senders; " +
			"other servers say 530 5.7.0 Authentication required. Exchange Online's smtp.office365.com says the same with 5.7.57.",
		fix: []step{
			{"Enter the mailbox's credentials (user name and password, or OAuth) in the application, with STARTTLS on port 587, so that it signs in before MAIL FROM.", ""},
			{"On-premises Exchange, for an application that cannot sign in: create a dedicated receive connector for anonymous relay restricted to the application's IP address (Microsoft: Allow anonymous relay on Exchange servers), rather than opening the default connector.", ""},
			{"Exchange Online, for a device that cannot sign in: send to your tenant's MX host ({mx_host}) on port 25 instead (Direct Send, or relay through an inbound connector).", ""},
			{"If the refusing server is your own Exchange server and should receive Internet mail: allow anonymous senders on its Internet-facing receive connector.", "Set-ReceiveConnector '<connector name>' -PermissionGroups AnonymousUsers,ExchangeServers"},
		},
		docs: []string{docAnonRelay, docFix571, docMFD, docSMTPAuth},
	},
}
