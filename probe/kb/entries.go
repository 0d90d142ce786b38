package kb

// entry is one piece of knowledge: what it matches and what it says. Titles, causes and fix
// steps may hold placeholders (see fill.go). Every entry states what Microsoft documents, or
// what the reply itself says; trailing tokens whose meaning nobody documents (ATTR36, AS(…),
// server names) are shown as tokens and never explained.
type entry struct {
	id string

	codes  []string // enhanced status codes, exact ("5.7.64") or a range ("5.7.606-5.7.649")
	aadsts []string // Entra ID error numbers, without the AADSTS prefix

	// patterns are lower-case phrases looked for in the reply's text (see fold). A pattern makes
	// a match more specific; with needPattern the code alone is not enough.
	patterns    []string
	needPattern bool
	textScope   bool // look for the patterns anywhere in the text, not only in this reply
	alone       bool // a pattern without any code is enough (for texts that lost their code)
	followOn    bool // a symptom of an earlier failure: ranks after the other specific matches
	probe       bool // one of the probe's own observations, matched by id only

	title, cause string
	fix          []step
	docs         []string
}

// step is one fix step as the table writes it (see check.Step): the text to read, and the
// command to paste, or "" when there is none. A command holds commands only, one a line, in the
// shell check.Step.Shell names; placeholders in it take the {ps:name} form, so that a value is
// quoted for the shell and a missing one fails visibly.
type step struct{ text, command string }

// coreEntries are the first table of the knowledge base (see tables.go). Ids are stable: reports
// and tests refer to them. The ids of the probe's own observations are the finding codes the
// checks use.
var coreEntries = []entry{
	// ---- Relay through an inbound connector (exoprobe relay) -----------------------------------
	{
		id:       "relay-tenant-attribution",
		codes:    []string{"5.7.64"},
		patterns: []string{"tenantattribution"},
		alone:    true,
		title:    "Exchange Online did not attribute this connection to your tenant, so it refused to relay (5.7.64 TenantAttribution)",
		cause: "Exchange Online relays mail to outside recipients only when an inbound connector of type OnPremises in your tenant matches the connection: " +
			"by the sending IPv4 address or by the domain on the client certificate. Since 1 November 2023 it also requires that the certificate domain " +
			"or the MAIL FROM domain ({from_domain}) is an accepted domain of the tenant (the From: header no longer counts). Microsoft names these causes: " +
			"the IP address Exchange Online sees ({echo_ip|public_ip}) is not (or no longer) on the connector, or there is no OnPremises connector; " +
			"the certificate on the sending server no longer matches the connector's TlsSenderCertificateName, for example after a renewal; " +
			"the server sends its certificate without the intermediate CA certificates.",
		fix: []step{
			{"Find the IP address Exchange Online sees: it is the [address] in the server's EHLO reply (250-... Hello [{echo_ip|public_ip}]). An IP-based connector must list exactly this IPv4 address; IPv6 addresses never match a connector.", ""},
			{"List the connectors (Exchange Online PowerShell).", "Get-InboundConnector | Format-List Name,ConnectorType,Enabled,SenderIPAddresses,TlsSenderCertificateName"},
			{"Add the address to the OnPremises connector.", "Set-InboundConnector -Identity '<connector name>' -SenderIPAddresses @{Add={psl:echo_ip|public_ip}}"},
			{"If there is none, create one (Exchange admin centre > Mail flow > Connectors > Add a connector: from 'Your organization's email server' to 'Office 365').", "New-InboundConnector -Name 'SMTP relay' -ConnectorType OnPremises -SenderDomains '*' -SenderIPAddresses {psl:echo_ip|public_ip}"},
			{"Make the MAIL FROM address an address in an accepted domain: {from} must end in a domain that Get-AcceptedDomain lists. If it cannot, use a certificate-based connector whose certificate names an accepted domain.", "Get-AcceptedDomain | Format-Table DomainName,DomainType"},
			{"Certificate-based connector: the certificate's CN or SAN must match the connector's TlsSenderCertificateName, and the sending server must present the whole chain (its certificate plus the intermediate CA certificates); a missing intermediate gives this same error.", "Set-InboundConnector -Identity '<connector name>' -TlsSenderCertificateName {ps:cert_domain}"},
			{"Connector changes can take a while to apply; run the check again after a few minutes.", ""},
		},
		docs: []string{docRelayDenied, docFix5764, docRelayRules, docSetInbound, docConnectors},
	},
	{
		id:       "direct-send-rejected",
		codes:    []string{"5.7.68"},
		patterns: []string{"tenantinboundattribution", "direct send not allowed"},
		title:    "Direct Send is turned off for this tenant (5.7.68 RejectDirectSend)",
		cause: "The tenant has RejectDirectSend turned on. Exchange Online then rejects every anonymous message whose MAIL FROM (envelope) domain — here {from_domain} — " +
			"is one of the tenant's own accepted domains, unless a connector identifies the sender. The From: header is not looked at.",
		fix: []step{
			{"Check the setting (Exchange Online PowerShell).", "Get-OrganizationConfig | Format-List RejectDirectSend"},
			{"Let the sender be identified instead of sending anonymously as your own domain: create an inbound connector that recognises it by its IP address ({echo_ip|public_ip}) or by its certificate (Exchange admin centre > Mail flow > Connectors), or send with SMTP AUTH through smtp.office365.com; exoprobe tests that path.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
			{"Only if the organisation decides to accept Direct Send again (Microsoft says the change can take up to 30 minutes).", "Set-OrganizationConfig -RejectDirectSend $false"},
		},
		docs: []string{docBlogDirectSend, docSetOrgConfig, docMFD},
	},
	{
		id:       "tenant-inbound-attribution",
		codes:    []string{"5.7.51"},
		patterns: []string{"tenantinboundattribution", "restrictdomainstoipaddresses", "restrictdomainstocertificate"},
		title:    "The recipient's tenant only accepts mail from the senders its Partner connector names (5.7.51 TenantInboundAttribution)",
		cause: "The recipient's Exchange Online tenant ({to_domain}) has an inbound connector of type Partner with RestrictDomainsToIPAddresses or RestrictDomainsToCertificate set. " +
			"Exchange Online attributed the message to that tenant by its recipient domain, and this connection matched neither the connector's IP addresses nor its certificate, " +
			"so it was rejected. Typical cases: the tenant receives its mail through a gateway that its MX record points to, and this sender delivered straight to the tenant's " +
			"Exchange Online host; or an Exchange hybrid server sends with a certificate whose name does not match the connector's TlsSenderCertificateName.",
		fix: []step{
			{"Deliver to the host that {to_domain}'s MX record names, not straight to its *.mail.protection.outlook.com host when the MX points elsewhere.", ""},
			{"If the recipient tenant is yours, find the restricted connector.", "Get-InboundConnector | Where-Object {$_.RestrictDomainsToIPAddresses -or $_.RestrictDomainsToCertificate} | Format-List Name,SenderDomains,SenderIPAddresses,TlsSenderCertificateName"},
			{"Then add this sender's address to it.", "Set-InboundConnector -Identity '<connector name>' -SenderIPAddresses @{Add={psl:echo_ip|public_ip}}"},
			{"For an Exchange hybrid server instead, make the certificate named in the on-premises send connector's TlsCertificateName match the connector's TlsSenderCertificateName.", ""},
		},
		docs: []string{docBlogHybridTLS, docSetInbound, docConnectors},
	},
	{
		id:    "relay-not-accepted-domain",
		codes: []string{"5.7.54"},
		title: "The server refused to relay to a domain it does not host (5.7.54 Unable to relay recipient in non-accepted domain)",
		cause: "Exchange answers with this text when an unauthenticated session asks it to deliver to a recipient domain ({to_domain}) that is not one of its accepted domains, " +
			"and nothing allows this client to relay. The server that answered ({host}) does not treat this client as allowed to relay.",
		fix: []step{
			{"If the server is an on-premises Exchange server: relaying for applications and devices needs a dedicated receive connector that allows anonymous relay from the sender's IP address (Microsoft: Allow anonymous relay on Exchange servers).", ""},
			{"To relay through Exchange Online instead: send to your tenant's MX host ({mx_host}) on port 25 with an OnPremises inbound connector for {echo_ip|public_ip}, or send with SMTP AUTH through smtp.office365.com. exoprobe relay checks the connector.", "exoprobe relay --domain {ps:domain} --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docAnonRelay, docMFD},
	},
	{
		id:       "client-not-authenticated",
		codes:    []string{"5.7.57"},
		patterns: []string{"not authenticated"},
		followOn: true,
		title:    "smtp.office365.com accepts mail only after a sign-in (5.7.57 Client not authenticated)",
		cause: "The client submission endpoint smtp.office365.com requires SMTP AUTH with the credentials (or an OAuth token) of a mailbox before MAIL FROM. " +
			"This client sent MAIL FROM without having signed in: it has no credentials configured, it could not start TLS (Exchange Online offers AUTH only after STARTTLS), " +
			"or its sign-in failed just before. When the same text also holds a 535 reply, that reply is the real cause.",
		fix: []step{
			{"If the device or application cannot sign in, it must not use smtp.office365.com: send to your tenant's MX host ({mx_host}) on port 25 instead (Direct Send for internal recipients, or relay through an inbound connector).", ""},
			{"Otherwise enter the mailbox's credentials (or OAuth settings) in the application, with STARTTLS and TLS 1.2 turned on.", ""},
			{"Check that SMTP AUTH is allowed (Exchange Online PowerShell).", "Get-CASMailbox -Identity {ps:mailbox|from} | Format-List SmtpClientAuthenticationDisabled\nGet-TransportConfig | Format-List SmtpClientAuthenticationDisabled"},
		},
		docs: []string{docFix5757, docPrinters, docSMTPAuth},
	},

	// ---- Reputation, blocks and throttling -------------------------------------------------------
	{
		id:       "ip-low-reputation",
		codes:    []string{"5.7.708"},
		patterns: []string{"traffic not accepted from this ip"},
		title:    "Exchange Online does not accept traffic from this sending IP (5.7.708)",
		cause: "Microsoft generates this when mail comes from an IP address with a low reputation; it mostly affects new customers, such as trial subscriptions. " +
			"Microsoft's NDR list also gives it when most of a tenant's traffic was found suspicious.",
		fix: []step{
			{"Rule out compromise first: Microsoft Defender portal > Email & collaboration > Review > Restricted entities, and the tenant's connectors (Exchange admin centre > Mail flow > Connectors) for ones nobody created.", ""},
			{"During a trial subscription: contact Microsoft Support (Microsoft 365 admin centre > Support) to request an IP address exception until Exchange Online licences are assigned.", ""},
			{"Once any compromise or open relay is fixed, contact Microsoft Support to have the block removed.", ""},
		},
		docs: []string{docFix57700, docNDR},
	},
	{
		id:       "tenant-threshold",
		codes:    []string{"5.7.705"},
		patterns: []string{"tenant has exceeded threshold"},
		title:    "Exchange Online blocked the tenant's outgoing mail: the tenant exceeded its threshold (5.7.705)",
		cause: "Exchange Online blocks a tenant's outgoing mail when it sends too much spam or bulk mail, commonly through a compromised on-premises server that routes mail to Exchange Online " +
			"or a compromised admin account used to create connectors; rarely while an expired subscription is being renewed.",
		fix: []step{
			{"Find and stop the source: compromised accounts, unknown inbound connectors, open relays on premises. List the inbound connectors and look for ones nobody created.", "Get-InboundConnector | Format-List Name,ConnectorType,Enabled,SenderIPAddresses,WhenCreated"},
			{"After the cause is fixed, contact Microsoft Support to have the block removed.", ""},
		},
		docs: []string{docFix57700},
	},
	{
		id:       "tenant-unregistered-domain",
		codes:    []string{"5.7.750"},
		patterns: []string{"unregistered domain"},
		title:    "The tenant is blocked from sending from unregistered domains (5.7.750)",
		cause: "Microsoft generates this when a large volume of mail is sent from domains that are not accepted domains of the tenant (Exchange Online allows only a limited amount); " +
			"less often, incorrectly configured connectors. Is the sender domain {from_domain} an accepted domain?",
		fix: []step{
			{"List the accepted domains, then add and verify every domain you send from: Microsoft 365 admin centre > Settings > Domains > Add domain.", "Get-AcceptedDomain | Format-Table DomainName,DomainType"},
			{"Look for connectors nobody created and for compromised accounts (attackers add inbound connectors to send spam).", ""},
			{"After the cause is fixed, contact Microsoft Support to have the block removed.", ""},
		},
		docs: []string{docFix57700, docAddDomain, docAcceptedDomain},
	},
	{
		id:       "ip-banned",
		codes:    []string{"5.7.606-5.7.649"},
		patterns: []string{"banned sending ip"},
		title:    "The sending IP is on Microsoft's blocked senders list (5.7.606–5.7.649 Access denied, banned sending IP)",
		cause: "Exchange Online refuses mail from this IP address because it is on Microsoft's own block list (this is not a third-party list), " +
			"usually after spam was sent from the address or its range.",
		fix: []step{
			{"Make sure the address no longer sends spam (compromised account, infected host, open relay), or it will be listed again.", ""},
			{"Request removal at https://sender.office.com: enter your email address and the IP address from the bounce ({echo_ip|public_ip}), confirm the message Microsoft sends, then choose Delist IP.", ""},
			{"Allow up to 24 hours after the request for the delisting to take effect.", ""},
		},
		docs: []string{docDelist, docNDR},
	},
	{
		id:          "ip-spamhaus",
		codes:       []string{"5.7.1"},
		patterns:    []string{"blocked using spamhaus"},
		needPattern: true,
		alone:       true,
		title:       "The sending IP is listed by Spamhaus, and Exchange Online rejects mail from it (5.7.1 … blocked using Spamhaus)",
		cause: "Exchange Online checked the connecting IP address against the Spamhaus block lists and found it listed. Spamhaus' list is not managed by Microsoft: " +
			"Microsoft's delist portal cannot remove it, and the delisting is between the owner of the IP address and Spamhaus. " +
			"Addresses from dynamic or consumer ISP ranges are often listed by design.",
		fix: []step{
			{"Look the address ({echo_ip|public_ip}) up at https://check.spamhaus.org/ and follow the removal procedure of the list that names it.", ""},
			{"If the address belongs to a dynamic or consumer range, do not deliver from it directly: send with SMTP AUTH through smtp.office365.com (port 587) or through a relay with a static address.", ""},
			{"Fix the cause (infected host, open relay) before asking for removal.", ""},
		},
		docs: []string{docPrinters, docNDR},
	},
	{
		id:          "domain-spamhaus",
		codes:       []string{"5.7.1"},
		patterns:    []string{"domain is listed in spamhaus", "domain listed in spamhaus"},
		needPattern: true,
		alone:       true,
		title:       "A domain of this session is on a Spamhaus list (5.7.1 … domain listed in Spamhaus)",
		cause: "The reply says that a domain the client used — the HELO/EHLO name or the MAIL FROM domain, as the text names it — is listed by Spamhaus, " +
			"and Exchange Online rejected the session for it. Spamhaus' list is not managed by Microsoft.",
		fix: []step{
			{"Look the domain up at https://check.spamhaus.org/ and follow Spamhaus' removal procedure.", ""},
			{"For a listed HELO name: make the sending server introduce itself with a name of your own that resolves in DNS; exoprobe tests such a name with --helo.", "exoprobe relay --domain {ps:domain} --from {ps:from} --to {ps:to} --helo '<your server name>'"},
		},
		docs: []string{docPrinters, docNDR},
	},
	{
		id:       "sender-restricted",
		codes:    []string{"5.1.8"},
		patterns: []string{"outbound sender"},
		title:    "The sending mailbox is blocked for sending spam (5.1.8 Access denied, bad outbound sender)",
		cause: "Exchange Online restricted the sending account ({mailbox|from}) after it sent too much spam; typically the account was compromised. " +
			"The account is listed on the Restricted entities page of the Microsoft Defender portal and can send no more mail until an admin releases it.",
		fix: []step{
			{"Treat the account as compromised: reset its password, check its inbox rules and delegates, and scan the device or application host.", ""},
			{"Release it: Microsoft Defender portal > Email & collaboration > Review > Restricted entities > select the user > Release; or in Exchange Online PowerShell.", "Remove-BlockedSenderAddress -SenderAddress {ps:mailbox|from}"},
			{"The account can send again within a few hours of the release.", ""},
		},
		docs: []string{docFix518, docRestricted},
	},
	{
		id:       "throttled-temporary",
		codes:    []string{"4.7.500-4.7.699"},
		patterns: []string{"server busy", "try again later"},
		title:    "Exchange Online is temporarily throttling this sender (4.7.500–4.7.699, try again later)",
		cause: "Microsoft documents 451 4.7.500-699 as IP throttling, a form of graylisting: when a source IP address is new or suddenly sends much more mail than before, " +
			"Exchange Online treats it with suspicion for a while. Its NDR list also describes 4.7.500-699 as sending temporarily restricted while suspicious activity is evaluated. " +
			"The condition is temporary.",
		fix: []step{
			{"Let the sender keep the message queued and retry; a sender with no queue (a scanner, a script) should retry later.", ""},
			{"If this is your own outbound mail relayed through Exchange Online, set up an inbound connector from your mail server so the traffic is attributed to your tenant; exoprobe relay checks it.", "exoprobe relay --domain {ps:domain} --from {ps:from} --to {ps:to}"},
			{"Do not send more than test messages from the initial onmicrosoft.com domain: its mail is limited; add your own domain.", ""},
		},
		docs: []string{docFix451, docConnectors},
	},
	{
		id:          "recipient-rejected-dbeb",
		codes:       []string{"5.4.1"},
		patterns:    []string{"recipient address rejected", "all recipient addresses rejected"},
		needPattern: true,
		title:       "The recipient address does not exist in that Exchange Online tenant (5.4.1 Recipient address rejected: Access denied)",
		cause: "Directory-Based Edge Blocking (DBEB) in the recipient's tenant rejected {to}: Exchange Online knows no recipient with that address " +
			"(a typo, a deleted mailbox, or in a hybrid organisation an on-premises recipient that is not synchronised).",
		fix: []step{
			{"Check the spelling of {to}, and whether every address in {to_domain} fails or only this one.", ""},
			{"If all of {to_domain} fails and the tenant is yours: switch the accepted domain's type from Authoritative to Internal relay and back to Authoritative to resynchronise it (Exchange admin centre > Mail flow > Accepted domains > {to_domain}, or in PowerShell).", "Set-AcceptedDomain -Identity {ps:to_domain} -DomainType InternalRelay\nSet-AcceptedDomain -Identity {ps:to_domain} -DomainType Authoritative"},
			{"Hybrid: make sure the recipient is synchronised to Entra ID; after a change allow up to 24 hours for DBEB to update. While recipients are still being migrated, keep the domain on Internal relay.", ""},
		},
		docs: []string{docFix541, docDBEB, docAcceptedDomain},
	},
	{
		id:       "wrong-region",
		codes:    []string{"4.4.62"},
		patterns: []string{"wrong office 365 region"},
		title:    "Exchange Online says the mail reached the wrong Office 365 region (4.4.62)",
		cause: "Microsoft documents this as delivery through an MX record or smart host with a wrong destination for Office 365: a legacy name " +
			"(mail.messaging.microsoft.com, mail.global.frontbridge.com) or an Office 365 IP address instead of the tenant's MX host. " +
			"When relaying to outside recipients it also happens without a correctly configured inbound connector.",
		fix: []step{
			{"Use the tenant's MX host as smart host ({mx_host}; Microsoft 365 admin centre > Settings > Domains > {domain} > DNS records), never an IP address and never the legacy names.", ""},
			{"On an on-premises Exchange server, check the smart host of the send connector that routes mail to Office 365.", ""},
			{"When relaying to external recipients, the OnPremises inbound connector must match the sending IP ({echo_ip|public_ip}) or certificate.", ""},
		},
		docs: []string{docWrongRegion, docMFD},
	},

	// ---- Client submission: smtp.office365.com (exoprobe submit) ---------------------------------
	{
		id:       "legacy-tls",
		codes:    []string{"4.7.66"},
		patterns: []string{"tls 1.0 and 1.1 are not supported"},
		title:    "The client used TLS 1.0 or 1.1, which smtp.office365.com refuses (4.7.66)",
		cause:    "Exchange Online's SMTP AUTH endpoint accepts only TLS 1.2 or later. The application or device negotiated TLS 1.0 or 1.1.",
		fix: []step{
			{"Update the device firmware or the application (and the operating system it runs on) so that it uses TLS 1.2.", ""},
			{"Only as a stopgap: Microsoft offers the opt-in endpoint smtp-legacy.office365.com, which needs the setting below and is not available in GCC, GCC High or DoD.", "Set-TransportConfig -AllowLegacyTLSClients $true"},
		},
		docs: []string{docLegacyTLS},
	},
	{
		id:       "auth-failed",
		codes:    []string{"5.7.3"},
		patterns: []string{"authentication unsuccessful"},
		title:    "Exchange Online rejected the sign-in (5.7.3 Authentication unsuccessful)",
		cause: "The credentials were not accepted. With a password (AUTH LOGIN): a wrong user name or password, or an account that is blocked. " +
			"With OAuth (AUTH XOAUTH2): Entra ID issued a token, but Exchange Online does not let it use the mailbox {mailbox|from} — the service principal is not " +
			"registered in Exchange, has no permission on the mailbox, or the token lacks the SMTP.SendAsApp role or the https://outlook.office365.com audience.",
		fix: []step{
			{"Password: sign in to Outlook on the web with the same user name ({mailbox|from}) and password, and send a test message, to rule out a wrong password or a blocked account.", ""},
			{"OAuth: check the token, which exoprobe submit decodes: aud must be https://outlook.office365.com and roles must contain SMTP.SendAsApp.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
			{"OAuth: register the app in Exchange and give it the mailbox.", "New-ServicePrincipal -AppId {ps:app_id} -ObjectId '<enterprise application object ID>'\nAdd-MailboxPermission -Identity {ps:mailbox|from} -User '<service principal ID>' -AccessRights FullAccess"},
		},
		docs: []string{docOAuth, docPrinters, docSMTPAuth},
	},
	{
		id:          "auth-xoauth2-rejected",
		codes:       []string{"5.7.3"},
		patterns:    []string{"auth xoauth2", "authenticator xoauth2"}, // the command, or the mailer's name for it; "250-AUTH LOGIN XOAUTH2" only offers it
		needPattern: true,
		textScope:   true,
		title:       "Exchange Online rejected the OAuth token for this mailbox (535 5.7.3 after AUTH XOAUTH2)",
		cause: "Entra ID issued a token, but Exchange Online does not accept it for {mailbox|from}. For an app-only token (client credentials) Microsoft requires: " +
			"the application registered in Exchange with New-ServicePrincipal using the object ID of its Enterprise Application (not the object ID of the App registration); " +
			"a mailbox permission for that service principal (Add-MailboxPermission); a token requested for https://outlook.office365.com/.default that holds the SMTP.SendAsApp role; " +
			"and SMTP AUTH enabled for the mailbox. Each change also takes time to apply.",
		fix: []step{
			{"List the service principals registered in Exchange Online.", "Connect-ExchangeOnline -Organization {ps:tenant}\nGet-ServicePrincipal | Format-List DisplayName,AppId,ObjectId,Identity"},
			{"If app {app_id} is not listed: Entra admin centre > Entra ID > Enterprise applications > search {app_id} > Overview > copy its Object ID, then register it.", "New-ServicePrincipal -AppId {ps:app_id} -ObjectId '<enterprise application object ID>'"},
			{"Give it the mailbox.", "Add-MailboxPermission -Identity {ps:mailbox|from} -User '<service principal ID from Get-ServicePrincipal>' -AccessRights FullAccess"},
			{"Check the permission: Entra admin centre > App registrations > {app_id} > API permissions must list Office 365 Exchange Online > SMTP.SendAsApp (type Application) with admin consent granted.", ""},
			{"SMTP AUTH must be allowed even with OAuth.", "Set-CASMailbox -Identity {ps:mailbox|from} -SmtpClientAuthenticationDisabled $false"},
			{"Wait for the changes to apply (commonly 15–30 minutes) and request a new token before testing again.", ""},
		},
		docs: []string{docOAuth, docNewSP, docSMTPAuth},
	},
	{
		id:          "smtp-auth-disabled-tenant",
		codes:       []string{"5.7.139"},
		patterns:    []string{"disabled for the tenant"},
		needPattern: true,
		alone:       true,
		title:       "SMTP AUTH is turned off for the whole organisation (5.7.139 SmtpClientAuthentication is disabled for the Tenant)",
		cause:       "The organisation-wide setting SmtpClientAuthenticationDisabled is $true and the mailbox has no setting of its own that overrides it. This applies to passwords and OAuth tokens alike.",
		fix: []step{
			{"Preferred: allow SMTP AUTH only for the mailbox that sends (Microsoft 365 admin centre > Users > Active users > {mailbox|from} > Mail > Manage email apps > Authenticated SMTP).", "Set-CASMailbox -Identity {ps:mailbox|from} -SmtpClientAuthenticationDisabled $false"},
			{"Or organisation-wide (Exchange admin centre > Settings > Mail flow > clear 'Turn off SMTP AUTH protocol for your organization').", "Set-TransportConfig -SmtpClientAuthenticationDisabled $false"},
		},
		docs: []string{docSMTPAuth},
	},
	{
		id:          "smtp-auth-disabled-mailbox",
		codes:       []string{"5.7.139"},
		patterns:    []string{"disabled for the mailbox"},
		needPattern: true,
		alone:       true,
		title:       "SMTP AUTH is turned off for this mailbox (5.7.139 SmtpClientAuthentication is disabled for the Mailbox)",
		cause:       "The mailbox {mailbox|from} has SmtpClientAuthenticationDisabled set to $true (or inherits it from the organisation). This applies to passwords and OAuth tokens alike.",
		fix: []step{
			{"Allow SMTP AUTH for the mailbox (or Microsoft 365 admin centre > Users > Active users > {mailbox|from} > Mail > Manage email apps > tick Authenticated SMTP).", "Set-CASMailbox -Identity {ps:mailbox|from} -SmtpClientAuthenticationDisabled $false"},
			{"Check it.", "Get-CASMailbox -Identity {ps:mailbox|from} | Format-List SmtpClientAuthenticationDisabled"},
		},
		docs: []string{docSMTPAuth},
	},
	{
		id:          "smtp-auth-security-defaults",
		codes:       []string{"5.7.139"},
		patterns:    []string{"security defaults"},
		needPattern: true,
		alone:       true,
		title:       "Security defaults block this sign-in (5.7.139 user is locked by your organization's security defaults policy)",
		cause: "The tenant uses Microsoft Entra security defaults. Microsoft documents that with security defaults on, SMTP AUTH with a password is disabled in Exchange Online " +
			"(security defaults block legacy authentication).",
		fix: []step{
			{"Switch the application to OAuth (an Entra app with SMTP.SendAsApp), which security defaults do not block, and test it with exoprobe.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
			{"Or, if the organisation replaces security defaults with Conditional Access policies: Entra admin centre > Entra ID > Overview > Properties > Manage security defaults > Disabled.", ""},
		},
		docs: []string{docSMTPAuth, docSecDefaults},
	},
	{
		id:          "smtp-auth-basic-disabled",
		codes:       []string{"5.7.139"},
		patterns:    []string{"basic authentication is disabled"},
		needPattern: true,
		alone:       true,
		title:       "Password sign-in (basic authentication) is disabled for SMTP (5.7.139 basic authentication is disabled)",
		cause:       "Exchange Online refuses the user name and password: basic authentication for SMTP is disabled for this account, for example by an authentication policy.",
		fix: []step{
			{"Use OAuth instead of a password, and test it with exoprobe.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
			{"Check the authentication policy.", "Get-AuthenticationPolicy | Format-List Name,AllowBasicAuthSmtp\nGet-User -Identity {ps:mailbox|from} | Format-List AuthenticationPolicy"},
		},
		docs: []string{docSMTPAuth, docBlogBasicAuth},
	},
	{
		id:          "smtp-auth-criteria",
		codes:       []string{"5.7.139"},
		patterns:    []string{"did not meet the criteria"},
		needPattern: true,
		alone:       true,
		title:       "The sign-in was refused by a policy (5.7.139 the request did not meet the criteria to be authenticated successfully)",
		cause: "Exchange Online does not say which rule refused the sign-in. Microsoft documents what blocks SMTP AUTH: security defaults, an authentication policy that " +
			"disables basic authentication for SMTP, and Conditional Access policies that block legacy authentication.",
		fix: []step{
			{"Entra admin centre > Entra ID > Monitoring & health > Sign-in logs: filter on {mailbox|from}, open the failed sign-in and read its failure reason and its Conditional Access tab.", ""},
			{"Check the authentication policy.", "Get-AuthenticationPolicy | Format-List Name,AllowBasicAuthSmtp\nGet-User -Identity {ps:mailbox|from} | Format-List AuthenticationPolicy"},
			{"Prefer OAuth over a password, and test it with exoprobe.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docSMTPAuth, docCATroubleshoot},
	},
	{
		id:    "smtp-auth-blocked",
		codes: []string{"5.7.139"},
		title: "Exchange Online refused SMTP AUTH for this account (5.7.139)",
		cause: "5.7.139 means Exchange Online will not let this account authenticate over SMTP. The text after the code says why: SMTP AUTH disabled for the tenant or the mailbox, " +
			"security defaults, basic authentication disabled, another policy, or the state of the account itself (texts such as 'account locked' or 'account has an issue').",
		fix: []step{
			{"Check SMTP AUTH.", "Get-CASMailbox -Identity {ps:mailbox|from} | Format-List SmtpClientAuthenticationDisabled\nGet-TransportConfig | Format-List SmtpClientAuthenticationDisabled"},
			{"Entra admin centre > Entra ID > Monitoring & health > Sign-in logs: find the failed sign-in of {mailbox|from} and its failure reason.", ""},
		},
		docs: []string{docSMTPAuth},
	},
	{
		id:       "basic-auth-retired",
		codes:    []string{"5.7.30"},
		patterns: []string{"basic authentication is not supported"},
		title:    "Basic authentication is no longer accepted for SMTP submission (5.7.30)",
		cause: "Exchange Online answers 550 5.7.30 when a client signs in to smtp.office365.com with a user name and password after basic authentication for client submission " +
			"was switched off. Microsoft's timeline (January 2026): from the end of December 2026 it is disabled by default for existing tenants (admins can turn it back on), " +
			"new tenants do not have it, and the final removal date follows in the second half of 2027.",
		fix: []step{
			{"Move the application to OAuth (an Entra app with the SMTP.SendAsApp permission), and test it with exoprobe.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
			{"If the application cannot do OAuth: relay through an inbound connector (exoprobe relay checks it) or use High Volume Email for internal recipients.", "exoprobe relay --domain {ps:domain} --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docBlogBasicAuth, docOAuth, docMFD},
	},
	{
		id:       "sendas-denied",
		codes:    []string{"5.7.60", "5.2.252"},
		patterns: []string{"sendasdenied", "send as this sender", "not allowed to send as"},
		title:    "The signed-in account may not send as this From address (5.7.60 / 5.2.252 SendAsDenied)",
		cause: "SMTP client submission sends only as the mailbox that signed in ({mailbox}), unless that mailbox (or the application) has the Send As permission on the address " +
			"used as sender ({from}). The application sent as a different address.",
		fix: []step{
			{"Make the application send from the same address it signs in with.", ""},
			{"Or grant Send As (for an OAuth application the trustee is its service principal).", "Add-RecipientPermission -Identity {ps:from} -Trustee {ps:mailbox} -AccessRights SendAs"},
			{"An application that must send as many different addresses should relay through an inbound connector instead; exoprobe relay checks it.", "exoprobe relay --domain {ps:domain} --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docPrinters, docRecipientPerm, docOAuth},
	},
	{
		id:       "hve-external-recipient",
		codes:    []string{"5.5.105"},
		patterns: []string{"high volume email"},
		title:    "A High Volume Email account tried to send to an outside recipient (5.5.105)",
		cause:    "High Volume Email (smtp-hve.office365.com) is built for mail to recipients inside the organisation; the reply says external sending is not supported for HVE accounts.",
		fix: []step{
			{"Send mail for outside recipients ({to}) from a regular mailbox (SMTP AUTH or an inbound connector) or with Azure Communication Services Email.", ""},
		},
		docs: []string{docHVE},
	},

	// ---- Entra ID token errors (AADSTS) ----------------------------------------------------------
	{
		id:       "aadsts-invalid-secret",
		aadsts:   []string{"7000215"},
		patterns: []string{"ensure the secret being sent in the request is the client secret value"},
		alone:    true,
		title:    "The client secret is wrong (AADSTS7000215 Invalid client secret provided)",
		cause: "Entra ID does not recognise the client secret sent for application {app_id}. Microsoft's text for this error points at the usual mistake: the secret's ID was " +
			"copied instead of its value; or the secret belongs to another application.",
		fix: []step{
			{"Entra admin centre > Entra ID > App registrations > {app_id} > Certificates & secrets > Client secrets > New client secret; copy the Value column at once (it is shown only once), not the Secret ID.", ""},
			{"Give the new value to the application (for exoprobe: the environment variable EXOPROBE_CLIENT_SECRET).", ""},
		},
		docs: []string{docEntraErrors},
	},
	{
		id:     "aadsts-expired-secret",
		aadsts: []string{"7000222"},
		title:  "The client secret has expired (AADSTS7000222)",
		cause:  "Every client secret of application {app_id} that was sent has passed its expiry date. Secrets are created with a limited lifetime.",
		fix: []step{
			{"Entra admin centre > Entra ID > App registrations > {app_id} > Certificates & secrets > Client secrets: check the Expires column, add a New client secret and copy its Value.", ""},
			{"Put the new value in the application and note the new expiry date; Microsoft suggests certificate credentials instead of secrets.", ""},
		},
		docs: []string{docEntraErrors, docCertCreds},
	},
	{
		id:     "aadsts-app-not-found",
		aadsts: []string{"700016", "700011", "70001"},
		title:  "The application does not exist in this tenant (AADSTS700016)",
		cause: "Entra ID found no application with client ID {app_id} in tenant {tenant}: the client ID is wrong, the request went to another tenant, " +
			"or the application was deleted or never consented to in this tenant.",
		fix: []step{
			{"Entra admin centre > Entra ID > App registrations > All applications: search for {app_id}; its Overview page shows the Application (client) ID and the Directory (tenant) ID to use.", ""},
			{"Compare that Directory (tenant) ID with the tenant the application asks ({tenant}).", ""},
		},
		docs: []string{docEntraErrors},
	},
	{
		id:     "aadsts-tenant-not-found",
		aadsts: []string{"90002"},
		title:  "The tenant was not found (AADSTS90002)",
		cause: "Entra ID has no tenant {tenant}: the tenant ID or domain is mistyped, or the request went to the wrong cloud (a GCC High, DoD or 21Vianet tenant " +
			"is not known to the global sign-in service, and the other way round).",
		fix: []step{
			{"Entra admin centre > Entra ID > Overview: copy the Tenant ID and use it.", ""},
			{"For a sovereign cloud tenant choose the matching cloud (exoprobe: --cloud gcc-high, dod or china).", "exoprobe submit --auth oauth --cloud gcc-high --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docEntraErrors},
	},
	{
		id:     "aadsts-invalid-tenant",
		aadsts: []string{"900023"},
		title:  "The tenant identifier is not valid (AADSTS900023)",
		cause:  "The tenant given ({tenant}) is neither a tenant ID (GUID) nor a valid domain name, so Entra ID cannot even look it up.",
		fix: []step{
			{"Use the Tenant ID from Entra admin centre > Entra ID > Overview, or a verified domain of the tenant such as {domain}.", ""},
			{"If the tenant named in the error is a word such as 'authorize', 'token' or 'undefined', the authority URL is built wrong: it must be https://login.microsoftonline.com/<tenant ID> with nothing after it, or the setting holding the tenant is empty.", ""},
		},
		docs: []string{docEntraErrors},
	},
	{
		id:     "aadsts-resource-not-found",
		aadsts: []string{"500011", "650052"},
		title:  "The requested resource does not exist in this tenant (AADSTS500011 / AADSTS650052)",
		cause: "Entra ID found no service principal for the resource of the requested scope in tenant {tenant} (AADSTS650052: the organisation has not subscribed to or enabled the service). For SMTP the scope must be https://outlook.office365.com/.default; " +
			"this error means the scope is wrong, the request went to the wrong tenant, or the tenant has no Exchange Online.",
		fix: []step{
			{"Request the scope https://outlook.office365.com/.default (for sovereign clouds the cloud's own Exchange Online host).", ""},
			{"Check the tenant: Entra admin centre > Entra ID > Enterprise applications, filter Application type = Microsoft Applications: 'Office 365 Exchange Online' must be listed.", ""},
		},
		docs: []string{docEntraErrors, docOAuth},
	},
	{
		id:       "aadsts-consent-missing",
		aadsts:   []string{"65001", "90094"},
		patterns: []string{"needs permission to access resources in your organization that only an admin can grant"},
		alone:    true,
		title:    "Consent for the application is missing (AADSTS65001)",
		cause:    "Neither the user nor an administrator has consented to application {app_id} using the requested permission.",
		fix: []step{
			{"Entra admin centre > Entra ID > App registrations > {app_id} > API permissions > Add a permission > APIs my organization uses > Office 365 Exchange Online > Application permissions > SMTP.SendAsApp.", ""},
			{"Then Grant admin consent for the tenant on the same page (needs an administrator role that may consent).", ""},
		},
		docs: []string{docAdminConsent, docOAuth},
	},
	{
		id:     "aadsts-conditional-access",
		aadsts: []string{"53003", "530032", "50131"},
		title:  "A Conditional Access policy blocked the token (AADSTS53003)",
		cause:  "Entra ID evaluated Conditional Access for this sign-in and a policy does not allow a token to be issued, for example a policy for workload identities that blocks this application or this location.",
		fix: []step{
			{"Entra admin centre > Entra ID > Monitoring & health > Sign-in logs > Service principal sign-ins: filter on application {app_id}, open the failure and read the Conditional Access tab to see which policy applied.", ""},
			{"Adjust that policy (Entra ID > Conditional Access > Policies) or send from a location the policy allows.", ""},
		},
		docs: []string{docCATroubleshoot, docEntraErrors},
	},
	{
		id:     "aadsts-security-defaults",
		aadsts: []string{"530035"},
		title:  "Security defaults blocked the sign-in (AADSTS530035)",
		cause:  "Microsoft documents this as access blocked by security defaults: the request used legacy authentication or was deemed unsafe.",
		fix: []step{
			{"For an unattended application use the client-credentials flow of an app registration rather than a user's sign-in; exoprobe tests it.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
			{"Review the security defaults: Entra admin centre > Entra ID > Overview > Properties > Manage security defaults.", ""},
		},
		docs: []string{docSecDefaults, docEntraErrors},
	},
	{
		id:     "aadsts-bad-assertion",
		aadsts: []string{"700027"},
		title:  "Entra ID rejected the certificate credential (AADSTS700027 client assertion failed signature validation)",
		cause: "The application signed its request with a certificate whose key Entra ID does not know for application {app_id}: the certificate was never uploaded to " +
			"the app registration, was replaced, or the private key used does not belong to it. The error text names the thumbprint Entra ID looked for.",
		fix: []step{
			{"Entra admin centre > Entra ID > App registrations > {app_id} > Certificates & secrets > Certificates: compare the thumbprint with the certificate the application uses, and upload the public certificate (.cer) if it is missing.", ""},
			{"Make sure the private key belongs to that certificate; exoprobe cert checks it.", "exoprobe cert '<certificate file>'"},
		},
		docs: []string{docCertCreds, docEntraErrors},
	},
	{
		id:     "aadsts-clock-skew",
		aadsts: []string{"700024"},
		title:  "The client assertion is outside its valid time range (AADSTS700024)",
		cause: "Entra ID says the signed client assertion is not within its valid time range. The client library signs it with validity times taken from this computer's clock " +
			"(MSAL: valid for 10 minutes from now), so a clock that is wrong by minutes produces this error; so does an assertion reused after it expired.",
		fix: []step{
			{"Correct this computer's clock and time zone. Windows:", "w32tm /resync"},
			{"Linux: the status must say NTP synchronised: yes.", "timedatectl status"},
			{"Request a new token rather than reusing an old assertion.", ""},
		},
		docs: []string{docCertCreds, docEntraErrors},
	},
	{
		id:     "aadsts-app-disabled",
		aadsts: []string{"7000112"},
		title:  "The application is disabled (AADSTS7000112)",
		cause:  "The service principal of application {app_id} is disabled in tenant {tenant}, by an administrator or by Microsoft.",
		fix: []step{
			{"Entra admin centre > Entra ID > Enterprise applications > {app_id} > Properties: set 'Enabled for users to sign in?' to Yes.", ""},
			{"If the properties say the application was disabled by Microsoft, it cannot be re-enabled there: contact Microsoft Support or register a new application.", ""},
		},
		docs: []string{docEntraErrors},
	},

	// ---- Client certificates of certificate-based connectors (exoprobe cert, relay --cert) ------
	// Ids are the finding codes of probe/certcheck and the tls check. Sources: New-InboundConnector
	// (TlsSenderCertificateName), the 2023 relay requirements (docRelayRules, docBlogRelay, the
	// Microsoft support guide docQARelayCert) and Fix 5.7.64 (the missing intermediate).
	{
		id:    "cert-expired",
		probe: true,
		title: "The client certificate (or an intermediate in its file) has expired",
		cause: "Exchange Online matches a certificate-based connector only to a valid certificate. An expired one no longer matches the connector's TlsSenderCertificateName, " +
			"so Exchange Online no longer attributes the connection to your tenant and refuses to relay to outside recipients (550 5.7.64 TenantAttribution).",
		fix: []step{
			{"Renew the certificate with the certification authority for the same name ({cert_domain}) and install it, with its intermediate certificates, on the sending server.", ""},
			{"Point the sending server or application at the new certificate; on Exchange Server, the send connector's TlsCertificateName (Exchange Management Shell):", "Set-SendConnector -Identity '<send connector name>' -TlsCertificateName '<I>issuer<S>subject'"},
			{"If the name on the new certificate differs, change the connector (Exchange Online PowerShell).", "Set-InboundConnector -Identity '<connector name>' -TlsSenderCertificateName {ps:cert_domain}"},
			{"Check the new certificate before it goes live.", "exoprobe cert '<certificate file>' --cert-domain {ps:cert_domain}"},
		},
		docs: []string{docBlogHybridTLS, docSetInbound, docFix5764},
	},
	{
		id:    "cert-not-yet-valid",
		probe: true,
		title: "The client certificate is not valid yet",
		cause: "The certificate's validity starts later than this machine's clock says. Either the clock is wrong (here or on the sending server), or the certification authority " +
			"issued the certificate with a start date in the future. Until that date no server accepts it.",
		fix: []step{
			{"Check the date, time and time zone on this machine and on the sending server. Windows:", "w32tm /query /status"},
			{"If the clocks are right, keep the old certificate in use until the new one's start date, or ask the certification authority to reissue it.", ""},
		},
		docs: []string{docBlogHybridTLS},
	},
	{
		id:    "cert-expiring",
		probe: true,
		title: "The client certificate expires within 30 days",
		cause: "When the certificate expires, the certificate-based connector stops matching and Exchange Online refuses to relay mail from this server to outside recipients (550 5.7.64 TenantAttribution).",
		fix: []step{
			{"Renew the certificate now for the same name ({cert_domain}) and install it with its intermediate certificates on the sending server.", ""},
			{"Switch the sending server or application to the new certificate before the old one expires.", ""},
			{"If the name on the new certificate differs, change the connector.", "Set-InboundConnector -Identity '<connector name>' -TlsSenderCertificateName {ps:cert_domain}"},
		},
		docs: []string{docBlogHybridTLS, docSetInbound},
	},
	{
		id:    "cert-self-signed",
		probe: true,
		title: "The client certificate is self-signed",
		cause: "A certificate-based connector needs a certificate issued by a certification authority, with an accepted domain of the tenant in its subject or SAN. " +
			"A self-signed certificate (such as the one Exchange Server makes for itself at installation) is not matched to the connector, so relay to outside recipients is refused (550 5.7.64 TenantAttribution).",
		fix: []step{
			{"Get a certificate from a public certification authority whose subject or SAN holds {cert_domain}, a name in an accepted domain of the tenant.", ""},
			{"Install it on the sending server and select it for outgoing SMTP; on Exchange Server, in the send connector (Exchange Management Shell):", "Set-SendConnector -Identity '<send connector name>' -TlsCertificateName '<I>issuer<S>subject'"},
			{"Make the connector expect that name.", "Set-InboundConnector -Identity '<connector name>' -TlsSenderCertificateName {ps:cert_domain}"},
		},
		docs: []string{docRelayRules, docBlogRelay, docBlogHybridTLS},
	},
	{
		id:    "cert-chain-incomplete",
		probe: true,
		title: "The certificate file does not hold the whole chain, in order",
		cause: "The sending server must present its certificate followed by every intermediate certificate, each followed by its issuer. Exchange Online does not fill in a " +
			"missing intermediate: the certificate is not matched to the connector and relay is refused with 550 5.7.64 TenantAttribution.",
		fix: []step{
			{"Download the intermediate certificates from the certification authority and put them in the file after the certificate, in order (certificate, its issuer, that one's issuer).", ""},
			{"Windows: export the certificate with its whole chain.", "Export-PfxCertificate -Cert 'Cert:\\LocalMachine\\My\\<thumbprint>' -FilePath c.pfx -ChainOption BuildChain -Password (Read-Host -AsSecureString)"},
			{"With OpenSSL:", "openssl pkcs12 -export -in cert.pem -certfile intermediates.pem -inkey key.pem -out c.pfx"},
			{"Exchange Server: install the intermediate certificates in the computer's Intermediate Certification Authorities store, so that the server sends them with its certificate.", ""},
		},
		docs: []string{docFix5764, docRelayDenied, docBlogHybridTLS},
	},
	{
		id:    "cert-untrusted-root",
		probe: true,
		title: "The client certificate does not chain to a trusted public root",
		cause: "A certificate-based connector accepts certificates issued by a certification authority that Exchange Online trusts: a public one. A certificate from a private " +
			"or internal CA, or one whose chain cannot be built, is not matched to the connector (550 5.7.64 TenantAttribution).",
		fix: []step{
			{"Get the certificate for {cert_domain} from a public certification authority.", ""},
			{"If the certification authority is public, the file probably lacks an intermediate certificate: add it after the certificate.", ""},
			{"Windows, to see where the chain breaks.", "certutil -verify -urlfetch '<certificate file>'"},
		},
		docs: []string{docRelayRules, docBlogRelay, docFix5764},
	},
	{
		id:    "cert-key-mismatch",
		probe: true,
		title: "The private key does not belong to the certificate",
		cause: "The private key in the file (or given with --key) is not the key of the certificate. A server cannot complete a TLS handshake with such a pair, so Exchange Online " +
			"never sees the certificate. This usually happens after a renewal, when the old key was kept with the new certificate.",
		fix: []step{
			{"Export the certificate together with its own private key from the machine where the certificate request was made (certlm.msc > Personal > Certificates > the certificate > All Tasks > Export, 'Yes, export the private key').", ""},
			{"OpenSSL, to compare the two (the outputs must be equal):", "openssl x509 -noout -pubkey -in cert.pem | openssl sha256\nopenssl pkey -pubout -in key.pem | openssl sha256"},
		},
		docs: []string{docBlogHybridTLS},
	},
	{
		id:    "cert-domain-mismatch",
		probe: true,
		title: "No name on the certificate matches the connector's TlsSenderCertificateName ({cert_domain})",
		cause: "Exchange Online matches a certificate-based OnPremises connector by the domain on the sender's certificate (subject CN or SAN). A connector value such as *.contoso.com " +
			"covers contoso.com and every subdomain; a wildcard cannot be embedded (domain.*.contoso.com is not valid). Whether a wildcard certificate matches an exact connector name " +
			"Microsoft does not document. When no name matches, relay to outside recipients is refused (550 5.7.64 TenantAttribution).",
		fix: []step{
			{"See what the connector expects (Exchange Online PowerShell).", "Get-InboundConnector | Format-List Name,ConnectorType,TlsSenderCertificateName"},
			{"Set it to the name on the certificate.", "Set-InboundConnector -Identity '<connector name>' -TlsSenderCertificateName '<name on the certificate>'"},
			{"Or use a certificate whose SAN holds {cert_domain}. Microsoft advises against a wildcard on the connector: it also matches other subdomains' certificates.", ""},
		},
		docs: []string{docNewInbound, docSetInbound, docQARelayCert, docBlogRelay},
	},
	{
		id:    "cert-not-accepted-domain",
		probe: true,
		title: "The certificate's domain is not an accepted domain ({domain})",
		cause: "Since 1 November 2023 Exchange Online relays through an OnPremises connector only when the certificate domain or the MAIL FROM domain is an accepted domain of the tenant, " +
			"and it attributes relayed mail to a tenant by the certificate domain first. A subdomain does not count unless it is an accepted domain itself. Without one, mail with an " +
			"empty MAIL FROM (non-delivery reports, automatic replies) is refused, and Microsoft warns that such setups may stop working.",
		fix: []step{
			{"List the accepted domains (Exchange Online PowerShell).", "Get-AcceptedDomain | Format-Table DomainName,DomainType"},
			{"Add the certificate's domain as an accepted domain: Microsoft 365 admin centre > Settings > Domains > Add domain.", ""},
			{"Or use a certificate whose subject or SAN holds an accepted domain such as {domain}.", ""},
		},
		docs: []string{docRelayRules, docQARelayCert, docAcceptedDomain, docAddDomain},
	},
	{
		id:    "cert-no-clientauth",
		probe: true,
		title: "Note: the certificate has no clientAuth extended key usage",
		cause: "Public certification authorities stopped issuing TLS certificates with clientAuth in 2026 (CA/Browser Forum ballot SC-081 and the Chrome root program). " +
			"Microsoft has published nothing that says Exchange Online requires clientAuth on a connector certificate, so this alone is not known to break relay; " +
			"some sending software, however, will not present a certificate without it.",
		fix: []step{
			{"Nothing to do while relay works.", ""},
			{"If the sending server presents no certificate or its TLS handshake fails, check the sending software's documentation, or ask the certification authority whether it still issues certificates with clientAuth.", ""},
		},
		docs: []string{docRelayRules},
	},
	{
		id:    "connector-no-ipv4",
		probe: true,
		title: "No public IPv4 address for an IP-based connector",
		cause: "An OnPremises inbound connector recognises a sending site by its public IPv4 address (SenderIPAddresses: single addresses, or CIDR ranges from /24 to /32; " +
			"IPv6 addresses are not supported). Without a known, fixed IPv4 address the connector cannot be made to recognise this site.",
		fix: []step{
			{"Find the public IPv4 address mail leaves this site from (the firewall's outbound NAT rule, or the router) and run again with --public-ip.", ""},
			{"If the site has no fixed IPv4 address, or reaches the Internet over IPv6 only, use a certificate-based connector instead, and check it first.", "exoprobe connector --domain {ps:domain} --pfx '<certificate.pfx>'"},
			{"Or send with SMTP AUTH through smtp.office365.com instead of a connector; exoprobe submit tests it.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docNewInbound, docMFD},
	},
	{
		id:    "connector-no-cert-domain",
		probe: true,
		title: "The certificate holds no name a connector can expect",
		cause: "A certificate-based connector compares the domain on the sending server's certificate (subject CN or SAN) with its TlsSenderCertificateName, which takes a domain. " +
			"This certificate holds no DNS name, so no connector can match it.",
		fix: []step{
			{"Get a certificate from a public certification authority whose SAN holds a name in an accepted domain of the tenant, such as mail.{domain}, and run again with it.", ""},
		},
		docs: []string{docNewInbound, docRelayRules},
	},
	{
		id:    "client-cert-not-requested",
		probe: true,
		title: "The server did not ask for the client certificate, so it was not sent",
		cause: "A TLS client sends its certificate only when the server asks for one during the handshake. Exchange Online asks on port 25, which is how a certificate-based " +
			"connector sees the sending server's certificate. This server did not ask: something between this machine and Exchange Online ends the TLS session itself " +
			"(an antivirus mail shield, a firewall or proxy that inspects TLS), or the endpoint is not Exchange Online. The certificate-based connector cannot match.",
		fix: []step{
			{"Look at who issued the server's certificate (the tls check shows it): the name of an antivirus product or firewall means interception; turn its mail or TLS scanning off for {host} on TCP {port}, or add an exclusion.", ""},
			{"Check that the endpoint is your tenant's MX host ({mx_host}).", ""},
		},
		docs: []string{docRelayRules, docBlogHybridTLS},
	},

	// ---- The probe's own observations (ids are the finding codes) --------------------------------
	{
		id:    "port-filtered",
		probe: true,
		// What the OS and libraries say for a connect that timed out (Windows 10060 WSAETIMEDOUT, ETIMEDOUT).
		patterns: []string{
			"connection timed out", "connect timed out", "connect etimedout", "error connection timeout", "wsaetimedout", "errno 110", "errno 10060",
			"did not properly respond after a period of time", "dial tcp i o timeout", "25 i o timeout", "587 i o timeout", "465 i o timeout",
			"ms timed out", "port 25 timed out", "port 587 timed out", "port 465 timed out",
		},
		alone: true,
		title: "Outbound TCP {port} to {host} gets no answer: a firewall or the provider drops it",
		cause: "The connection attempt timed out: nothing answered, not even with a refusal. A firewall on this network, the internet provider or the cloud platform silently " +
			"drops outbound TCP {port}. Many consumer providers and cloud platforms block outbound port 25; when port 443 to the same host works, it is a port-specific block. " +
			"A client set to a port Exchange Online does not serve waits the same way: Microsoft documents ports 587 and 25 for SMTP, not 465.",
		fix: []step{
			{"Allow outbound TCP {port} from this machine ({public_ip}) to Exchange Online on the firewall (Microsoft publishes the addresses: Microsoft 365 URLs and IP address ranges, Exchange Online).", ""},
			{"Ask the internet or hosting provider whether it blocks outbound port 25.", ""},
			{"If port 25 cannot be opened, use SMTP client submission instead: smtp.office365.com on port 587 with OAuth; exoprobe submit tests it.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
			{"When the error came from another machine or application, test on that machine: exoprobe submit (port 587) or exoprobe relay (port 25) tells a silent drop from a refusal, a local block and a wrong host or port; in PowerShell alone, a first test.", "Test-NetConnection smtp.office365.com -Port 587"},
		},
		docs: []string{docM365URLs, docPrinters, docMFD},
	},
	{
		id:    "port-refused",
		probe: true,
		// Windows 10061 WSAECONNREFUSED, ECONNREFUSED.
		patterns: []string{"connection refused", "actively refused", "econnrefused", "wsaeconnrefused", "errno 111", "errno 10061"},
		alone:    true,
		title:    "The connection to {host}:{port} was refused",
		cause: "Something answered the connection attempt with a refusal (TCP reset). Exchange Online listens on ports 25 and 587, so the refusal usually comes from a firewall, " +
			"a proxy or security software on the way, or from a host that is not Exchange Online.",
		fix: []step{
			{"Check that {host} is the Exchange Online endpoint (your MX host {mx_host} for port 25, smtp.office365.com for 587).", ""},
			{"Check the local firewall and security software on this machine, and the network firewall, for rules that reject outbound TCP {port}.", ""},
			{"When the error came from another machine or application, check the host and port in its settings (an empty or wrong host gives this error too) and test on that machine with exoprobe submit or exoprobe relay, or in PowerShell.", "Test-NetConnection {ps:host} -Port {port}"},
		},
		docs: []string{docPrinters, docM365URLs},
	},
	{
		id:    "port-unreachable",
		probe: true,
		// Windows 10051 WSAENETUNREACH and 10065 WSAEHOSTUNREACH, ENETUNREACH, EHOSTUNREACH.
		patterns: []string{
			"network is unreachable", "no route to host", "enetunreach", "ehostunreach", "wsaenetunreach", "wsaehostunreach",
			"attempted to an unreachable network", "attempted to an unreachable host",
		},
		alone: true,
		title: "No route to {host}:{port}",
		cause: "The network reported that the address cannot be reached: this machine has no route to it (no internet access, a wrong gateway, or an address family such as IPv6 that this network does not carry).",
		fix: []step{
			{"Check this machine's network connection, default gateway and proxy settings.", ""},
			{"If only IPv6 fails, the network has no IPv6 route; relay through a connector uses IPv4 anyway.", ""},
			{"When the error came from another machine or application (a server in a cloud network without outbound internet, for example), test on that machine with exoprobe submit, or in PowerShell.", "Test-NetConnection smtp.office365.com -Port 587"},
		},
		docs: []string{docM365URLs},
	},
	{
		id:    "host-not-found",
		probe: true,
		// The resolver's words: PHP, Node (ENOTFOUND), .NET, Java, Go, glibc, Windows 11001.
		patterns: []string{
			"getaddrinfo failed", "getaddrinfo enotfound", "name or service not known", "no such host", "no address associated with hostname",
			"remote name could not be resolved", "unknownhostexception", "nodename nor servname provided",
		},
		alone: true,
		title: "The host name {host} does not resolve",
		cause: "DNS has no address for {host}: the name is mistyped, or this machine's DNS servers cannot resolve it.",
		fix: []step{
			{"Check the name: for relay and Direct Send it is the MX host of your domain (Microsoft 365 admin centre > Settings > Domains > {domain} > DNS records); for client submission smtp.office365.com.", ""},
			{"Check the name with this machine's DNS servers.", "nslookup {ps:host}"},
		},
		docs: []string{docMFD},
	},
	// ---- Connection, DNS and session codes of the checks (dnscheck, ports, session) --------------
	// Sources beyond the docs linked: connect(2) (EACCES/EPERM: "the connection request failed
	// because of a local firewall rule"); McAfee VirusScan Enterprise 8.x product guide (Access
	// Protection, Anti-virus Standard Protection: "Prevent mass mailing worms from sending mail")
	// and DISA STIG DTAM150 for VirusScan 8.8, which says the rule blocks outbound SMTP on ports 25
	// and 587 for every process not on its exclusion list; RFC 5321 3.1 (the 220 greeting); RFC
	// 3207 4 (after 220 to STARTTLS the TLS negotiation comes next); Wietse Venema's CVE-2011-0411
	// write-up (plaintext injection across the STARTTLS boundary, client side included); Microsoft's
	// SPF page (one SPF record per domain, at most 10 DNS look-ups, permerror) and RFC 7208 4.6.4
	// (the two void look-ups); RFC 7489 6.3 and 6.6.3 (v=DMARC1 first, p= required, a record that
	// does not parse is not applied).
	{
		id:    "port-blocked-locally",
		probe: true,
		// Windows 10013 WSAEACCES.
		patterns: []string{"forbidden by its access permissions", "wsaeacces"},
		alone:    true,
		title:    "This machine refused to open the connection to {host}:{port}: a local firewall or security product blocks it",
		cause: "The connection attempt never left this computer: the operating system refused it (Windows: error 10013 WSAEACCES, 'an attempt was made to access a socket " +
			"in a way forbidden by its access permissions'; Linux: EPERM or EACCES). On Windows the usual causes are an outbound block rule of Windows Defender Firewall, " +
			"often pushed by Group Policy or Intune, and antivirus products: McAfee VirusScan Enterprise's access protection rule 'Prevent mass mailing worms from sending mail' " +
			"blocks outbound SMTP (ports 25 and 587) for every process that is not on its exclusion list, which is why Outlook can send while a scanner's software, " +
			"a script or this tool cannot. On Linux it is a local packet filter rule for outgoing traffic.",
		fix: []step{
			{"Windows Defender Firewall: list the outbound block rules in force (PowerShell). A rule that blocks TCP {port} must be changed where it is managed (Group Policy or Intune when the source type says so).", "Get-NetFirewallRule -PolicyStore ActiveStore -Direction Outbound -Action Block -Enabled True | Format-Table DisplayName,PolicyStoreSourceType"},
			{"To see which rule blocked the connection (Windows 11, Windows Server 2022 and later): in an administrator prompt turn on the audit of the Windows Filtering Platform, test again, and open event 5157 in the Security log; its Filter Origin names the rule.", "Auditpol /set /category:\"System\" /SubCategory:\"Filtering Platform Connection\" /success:enable /failure:enable"},
			{"Then look the rule up by its Filter Origin.", "Get-NetFirewallRule -Name '<Filter Origin>'"},
			{"McAfee VirusScan Enterprise: VirusScan Console > Access Protection > Anti-virus Standard Protection > 'Prevent mass mailing worms from sending mail': add the sending application's process (and exoprobe.exe while testing) to the processes to exclude, or have the policy changed in ePolicy Orchestrator. Other antivirus products have similar SMTP or 'worm' port rules with an exclusion list.", ""},
			{"Linux: look for rules that reject or drop outgoing TCP {port}.", "sudo nft list ruleset\nsudo iptables -S OUTPUT"},
		},
		docs: []string{docFirewallFilterOrigin, docGetNetFirewallRule},
	},
	{
		id:    "port-error",
		probe: true,
		title: "The connection to {host}:{port} failed for another reason",
		cause: "The connection attempt failed with an error that is neither a timeout, a refusal, a missing route nor a block on this machine; the message quotes the operating system's error. " +
			"Such errors are usually local: no usable network, the machine running out of sockets or ports, or VPN or proxy software that hooks connections.",
		fix: []step{
			{"Read the error in the message, and run again with --verbose to see each attempt.", ""},
			{"Check this machine's network connection and any VPN or proxy client, then test from another machine on the same network to see whether the problem follows the machine.", ""},
			{"Check that {host}:{port} is the endpoint you meant: your MX host {mx_host} on port 25, or smtp.office365.com on port 587.", ""},
		},
		docs: []string{docM365URLs, docMFD},
	},
	{
		id:    "port-aborted",
		probe: true,
		title: "The run ended before the connection to {host}:{port} finished",
		cause: "The run's time limit (--timeout) ran out, or the run was cancelled, while the connection attempt was still waiting. Nothing can be concluded about the port: " +
			"it was seen neither open nor blocked.",
		fix: []step{
			{"Run again with more time, for example --timeout 90s. A silent port is called filtered after --connect-timeout (5 s by default), so a run that is long enough tells open from filtered.", ""},
		},
		docs: []string{docM365URLs, docMFD},
	},
	{
		id:    "cancelled",
		probe: true,
		title: "The run was cancelled before this step finished",
		cause: "The probe was stopped (Ctrl+C, or the script or program that started it ended it) while it was waiting for the server. The step did not complete, " +
			"so it says nothing about the server or the network.",
		fix: []step{
			{"Run the check again and let it finish; a healthy run against Exchange Online takes a few seconds.", ""},
			{"If a script or scheduler starts exoprobe, give it more time than exoprobe's own --timeout (45 s by default).", ""},
		},
		docs: []string{docMFD},
	},
	{
		id:    "connection-failed",
		probe: true,
		title: "The connection to {host}:{port} broke during the SMTP conversation",
		cause: "An error other than a timeout or a close ended the connection in the middle of the conversation; the message names the step and the error. " +
			"Exchange Online does not break a working session this way. The cause is usually on the path (security software or a firewall that inspects SMTP and ends the session) " +
			"or on this machine (a VPN or network change, an unstable link).",
		fix: []step{
			{"Run again with --transcript to see the last command before the failure. If it fails at the same step every time, check firewalls and security software for SMTP inspection or mail scanning on TCP {port}.", ""},
			{"Test from another network or machine to see whether the problem follows the machine or the network.", ""},
		},
		docs: []string{docPrinters},
	},
	{
		id:    "banner-unexpected",
		probe: true,
		title: "The server on {host}:{port} greeted with an unexpected code instead of 220",
		cause: "An SMTP server opens the session with a 220 greeting (or 554 when it refuses the client, RFC 5321). This one greeted with another code, so what answers there " +
			"may not be a mail server, or a proxy or security product answers in its place. Exchange Online greets with 220 and a host name under outlook.com.",
		fix: []step{
			{"Check that {host}:{port} is the Exchange Online endpoint: your MX host ({mx_host}) on port 25, or smtp.office365.com on port 587; check what the name resolves to from this machine.", "nslookup {ps:host}"},
			{"Run with --transcript to see the whole greeting, and check firewalls and security software for SMTP proxying on TCP {port}.", ""},
		},
		docs: []string{docRFC5321Session, docPrinters},
	},
	{
		id:    "starttls-injection",
		probe: true,
		title: "Plaintext arrived after the 220 reply to STARTTLS, before TLS began",
		cause: "After a server's 220 reply to STARTTLS the next bytes must be the TLS handshake (RFC 3207). Here more plaintext came first. Exchange Online never does this: " +
			"it is a broken SMTP implementation, or a device on the path that injects data into the session. It is the class of flaw known since CVE-2011-0411 " +
			"(STARTTLS plaintext injection): a client that keeps such bytes reads them as if they had come through TLS, so whoever injects them can forge replies. " +
			"The probe discarded them and stopped.",
		fix: []step{
			{"Find what answers on {host}:{port}: compare its greeting with Exchange Online's (a host under outlook.com, 'Microsoft ESMTP MAIL Service ready'), and check firewalls, intrusion prevention and security software for SMTP proxying or inspection on TCP {port}.", ""},
			{"Test from another network: if the injection disappears there, the device is on this site's path.", ""},
			{"Until it is found, send no credentials over this path, and make sure the sending application is up to date and verifies the server's certificate.", ""},
		},
		docs: []string{docRFC3207, docPostfixCVE},
	},
	{
		id:    "host-override",
		probe: true,
		title: "The endpoint {host} was given with --host instead of {domain}'s MX",
		cause: "The run tested the host named with --host, not the one the MX record of {domain} names. That is right when the MX points to a filtering service or gateway " +
			"in front of Exchange Online and the device must send to the tenant's Exchange Online host directly; the results then say nothing about the MX host itself.",
		fix: []step{
			{"Configure the device or application with this same host ({host}), by name and never by IP address.", ""},
			{"Confirm that it is your tenant's Exchange Online host: Microsoft 365 admin centre > Settings > Domains > {domain} > DNS records shows the MX value (a host under mail.protection.outlook.com, or mx.microsoft for newer domains).", ""},
		},
		docs: []string{docMFD, docAddDomain},
	},
	{
		id:    "host-no-address",
		probe: true,
		title: "{host} has no usable address in DNS",
		cause: "DNS has no address for {host} to connect to: no A (IPv4) and no AAAA (IPv6) record; or, for relay through a connector, no A record, and a relay must reach " +
			"Exchange Online over IPv4 because connectors match IPv4 source addresses only. Exchange Online's MX hosts have IPv4 addresses; a name without one is mistyped, " +
			"names a retired host, or is an MX value copied wrongly.",
		fix: []step{
			{"Check the name from this machine and compare it with the MX value Microsoft shows: Microsoft 365 admin centre > Settings > Domains > {domain} > DNS records.", "nslookup {ps:host}"},
			{"If the MX record of {domain} names a host without an address, correct it at the domain's DNS host to the value Microsoft shows; if you gave the host with --host, check its spelling.", ""},
		},
		docs: []string{docAddDomain, docNslookup, docMFD},
	},
	{
		id:    "dns-failed",
		probe: true,
		// A look-up that failed rather than found nothing: PHP's gethostbyname errno, glibc EAI_AGAIN.
		patterns: []string{"gethostbyname failed", "temporary failure in name resolution", "getaddrinfo eai again"},
		alone:    true,
		title:    "A DNS look-up failed",
		cause: "The DNS server gave no usable answer: the query timed out, or the server answered with an error such as SERVFAIL or REFUSED. This is not an answer that the record " +
			"is missing; the record may well exist. Typical causes: this machine's DNS servers are down or unreachable, outbound DNS is blocked, or the domain's own DNS servers " +
			"are broken (broken delegations and DNSSEC errors give SERVFAIL).",
		fix: []step{
			{"Repeat the look-up from this machine.", "nslookup -type=MX {ps:domain}"},
			{"For the SPF record.", "nslookup -type=TXT {ps:from_domain}"},
			{"Check which DNS servers this machine uses and that they answer, or ask another server with --resolver <DNS server>. Windows:", "ipconfig /all"},
			{"Linux:", "resolvectl status"},
			{"If every DNS server fails for the same domain, the domain's own DNS servers are at fault: ask whoever hosts its DNS.", ""},
		},
		docs: []string{docNslookup, docDNSClientTimeouts},
	},
	{
		id:    "spf-error",
		probe: true,
		title: "The SPF record of {from_domain} is broken or could not be evaluated",
		cause: "SPF gave permerror or temperror for {from_domain}. Permerror means receivers cannot use the record at all and treat SPF as failed: the domain has more than " +
			"one SPF record (only one is allowed per domain), evaluating it needs more than 10 DNS look-ups (each include:, a, mx, ptr, exists and redirect counts, nested ones too), " +
			"more than two of its look-ups find nothing, or it has a syntax error. Temperror means a DNS look-up the record needs failed for now; receivers retry later.",
		fix: []step{
			{"Merge several v=spf1 TXT records of {from_domain} into one.", ""},
			{"Bring the look-ups down to 10: remove include: entries of services no longer used, replace a and mx by ip4: entries, and move other senders (bulk mail services) to a subdomain with its own SPF record, as Microsoft recommends.", ""},
			{"Remove include: entries whose names no longer exist and fix the syntax errors the message names; keep Exchange Online's include (include:spf.protection.outlook.com).", ""},
			{"Temperror: look the record up again later; if it persists, the DNS servers of the domain or of one of its include: names are failing.", "nslookup -type=TXT {ps:from_domain}"},
		},
		docs: []string{docSPF, docRFC7208Limits},
	},
	{
		id:    "dmarc-invalid",
		probe: true,
		title: "The DMARC record that applies to {from_domain} cannot be parsed",
		cause: "A TXT record exists at _dmarc for the domain (or for its parent domain), but it does not follow the DMARC syntax, so receivers ignore it and apply no DMARC policy, " +
			"as if there were none. The record must begin with v=DMARC1 and hold a policy tag p= (none, quarantine or reject), with tags separated by semicolons.",
		fix: []step{
			{"Replace the TXT record at _dmarc.{from_domain} with a valid one, starting in monitoring mode, for example: v=DMARC1; p=none; rua=mailto:<report address>", ""},
			{"Keep exactly one TXT record starting with v=DMARC1 at that name, and check it afterwards.", "Resolve-DnsName -Type TXT ('_dmarc.' + {ps:from_domain})"},
		},
		docs: []string{docDMARC, docRFC7489Record},
	},
	{
		id:    "banner-timeout",
		probe: true,
		title: "Connected to {host}:{port}, but the server said nothing",
		cause: "The TCP connection opened but no SMTP greeting arrived in time. Exchange Online greets at once, so something between this machine and Exchange Online holds the connection: " +
			"typically antivirus mail scanning (a mail shield) or a firewall's SMTP proxy or inspection.",
		fix: []step{
			{"Turn off the SMTP/mail scanning of the security product on this machine, or add an exclusion for {host}, and test again.", ""},
			{"Check the firewall for SMTP proxy or inspection features on TCP {port}.", ""},
			{"Test from another network to see whether the block follows the machine or the network.", ""},
		},
		docs: []string{docPrinters},
	},
	{
		id:    "banner-masked",
		probe: true,
		title: "The SMTP greeting was masked by a firewall (220 ****)",
		cause: "The greeting arrived with its text replaced by asterisks. This is what Cisco ASA/PIX ESMTP inspection does with its default setting mask-banner; " +
			"the same inspection usually also removes STARTTLS.",
		fix: []step{
			{"On the Cisco ASA, turn the ESMTP inspection off for this traffic (policy-map global_policy > class inspection_default > no inspect esmtp) or change its policy map (no mask-banner, allow-tls).", ""},
		},
		docs: []string{docCiscoESMTP},
	},
	{
		id:    "starttls-stripped",
		probe: true,
		title: "A firewall removed STARTTLS from the server's reply (250-XXXXXXXA)",
		cause: "Where the EHLO reply should offer STARTTLS it shows 250-XXXXXXXA. Cisco ASA/PIX ESMTP inspection does this with its default setting 'no allow-tls': " +
			"it removes STARTTLS to force a plain-text session it can inspect. Without TLS, a connector that requires TLS and certificate-based connectors cannot work, " +
			"and Exchange Online offers AUTH only after STARTTLS.",
		fix: []step{
			{"On the Cisco ASA, allow TLS in the ESMTP inspection policy map (policy-map type inspect esmtp <map> > parameters > allow-tls) or turn the inspection off for this traffic (policy-map global_policy > class inspection_default > no inspect esmtp).", ""},
		},
		docs: []string{docCiscoESMTP},
	},
	{
		id:    "starttls-missing",
		probe: true,
		// Postfix (smtp_tls_security_level = encrypt) and Python smtplib.starttls().
		patterns: []string{"tls is required but was not offered", "starttls extension not supported by server", "does not support the starttls extension"},
		alone:    true,
		title:    "The server did not offer STARTTLS",
		cause: "Exchange Online always offers STARTTLS on ports 25 and 587. A server that does not is either not Exchange Online, or something in between " +
			"(a firewall, proxy or antivirus product) removed it from the reply.",
		fix: []step{
			{"Check that {host} is the Exchange Online endpoint.", ""},
			{"Check firewalls and security software for SMTP inspection or mail scanning on TCP {port}.", ""},
		},
		docs: []string{docPrinters},
	},
	{
		id:    "tls-intercepted",
		probe: true,
		// Exchange Online's chain ends at a public root; a self-signed root in it is an interceptor's.
		patterns: []string{"self signed certificate in certificate chain", "self signed cert in chain"},
		alone:    true,
		title:    "The TLS session is intercepted by security software or a firewall",
		cause: "The certificate presented after STARTTLS was issued by a product that inspects encrypted traffic (an antivirus mail shield or a firewall's deep inspection), " +
			"not by the certificate authority Exchange Online uses. The product ends the TLS session itself and opens its own to Exchange Online, so a client certificate " +
			"never reaches Exchange Online and the connection is not what the application thinks it is.",
		fix: []step{
			{"Turn off the product's SMTP/mail scanning (or TLS inspection for mail), or add an exclusion for {host} on TCP {port}.", ""},
			{"On a firewall with SSL/TLS deep inspection, exempt the Exchange Online endpoints.", ""},
		},
		docs: []string{docM365URLs},
	},
	{
		id:    "tls-verify-failed",
		probe: true,
		// .NET SslStream / SmtpClient and its SslPolicyErrors.
		patterns: []string{
			"remote certificate is invalid according to the validation procedure", "remotecertificatechainerrors", "remotecertificatenamemismatch",
		},
		alone: true,
		title: "The server's certificate could not be verified",
		cause: "The certificate the server presented after STARTTLS does not verify: it does not chain to a trusted root, does not name the host that was dialled, " +
			"or has expired. With Exchange Online this points to interception, to a connection made by IP address instead of by name, or to an outdated root certificate store.",
		fix: []step{
			{"Connect by name: the MX host {mx_host} (port 25) or smtp.office365.com (port 587), never an IP address.", ""},
			{"Check who issued the certificate: if it is not a public certificate authority, security software or a firewall intercepts the session.", ""},
			{"Update the operating system's root certificates.", ""},
		},
		docs: []string{docMFD},
	},
	{
		id:    "tls-handshake-failed",
		probe: true,
		// curl with Schannel, OpenSSL, Java on Android.
		patterns: []string{"failed to receive handshake", "alert handshake failure", "sslhandshakeexception handshake failed"},
		alone:    true,
		title:    "The TLS handshake with {host} failed",
		cause: "STARTTLS was accepted but the TLS handshake did not complete. Exchange Online requires TLS 1.2 or later for client submission; " +
			"a handshake can also fail because something on the way interferes with the session.",
		fix: []step{
			{"Make sure the sending software supports TLS 1.2 or later.", ""},
			{"Check firewalls and security software for SMTP or TLS inspection.", ""},
		},
		docs: []string{docLegacyTLS},
	},
	{
		id:    "ip-mismatch",
		probe: true,
		title: "Exchange Online sees this site as {echo_ip|public_ip}, which the connector does not list",
		cause: "An IP-based inbound connector matches only the IPv4 address Exchange Online sees on the connection. This site reaches Exchange Online as {echo_ip|public_ip}, " +
			"but the connector lists {expect_ip}. Mail relayed from here is refused with 5.7.64 TenantAttribution.",
		fix: []step{
			{"Add the address to the OnPremises connector.", "Set-InboundConnector -Identity '<connector name>' -SenderIPAddresses @{Add={psl:echo_ip|public_ip}}"},
			{"Check the connector.", "Get-InboundConnector | Format-List Name,ConnectorType,SenderIPAddresses"},
			{"If the address changes (dynamic IP), ask the provider for a static address or use a certificate-based connector.", ""},
		},
		docs: []string{docSetInbound, docRelayDenied},
	},
	{
		id:    "egress-ip-differs",
		probe: true,
		title: "Exchange Online sees a different address ({echo_ip}) than this site's detected public IP ({public_ip})",
		cause: "The address in Exchange Online's EHLO reply is not the public address the detection services saw. The site leaves the internet through more than one address " +
			"(several NAT rules or lines, a proxy for port 25). A connector must list the address Exchange Online sees.",
		fix: []step{
			{"Use the address Exchange Online sees on the connector.", "Set-InboundConnector -Identity '<connector name>' -SenderIPAddresses @{Add={psl:echo_ip}}"},
			{"Check the firewall's outbound NAT rules for TCP 25, so that port 25 always leaves through the same address.", ""},
		},
		docs: []string{docSetInbound},
	},
	{
		id:    "ipv6-egress",
		probe: true,
		title: "This site reaches Exchange Online over IPv6, where connectors never match",
		cause: "The endpoint has IPv6 addresses and an IPv6 connection to it works from here. Inbound connectors match IPv4 addresses only (SenderIPAddresses does not accept IPv6), " +
			"so an application that prefers IPv6 is not matched by an IP-based connector and its relayed mail is refused.",
		fix: []step{
			{"Make the sending server or application use IPv4 for this connection (for example by preferring IPv4 over IPv6 in the operating system or the application's settings).", ""},
			{"Or use a certificate-based connector, which does not depend on the address.", ""},
		},
		docs: []string{docNewInbound},
	},
	{
		id:    "mx-not-exo",
		probe: true,
		title: "The MX record of {domain} does not point to Exchange Online",
		cause: "Relay through a connector and Direct Send go to the tenant's own Exchange Online MX host, but {domain}'s MX names another host ({preferred_mx}), " +
			"for example a mail gateway or the previous mail provider.",
		fix: []step{
			{"Find the tenant's Exchange Online host: Microsoft 365 admin centre > Settings > Domains > {domain} > DNS records (MX), and use it as the smart host (exoprobe: --host).", ""},
			{"If mail for {domain} must pass a gateway, send to that gateway as its operator documents.", ""},
		},
		docs: []string{docMFD},
	},
	{
		id:    "mx-missing",
		probe: true,
		title: "{domain} has no MX record",
		cause: "DNS has no MX record for {domain}: the name is mistyped, or the domain's mail records are not set up.",
		fix: []step{
			{"Check the domain name, then Microsoft 365 admin centre > Settings > Domains > {domain} > DNS records for the MX value Microsoft expects.", ""},
		},
		docs: []string{docAddDomain},
	},
	{
		id:    "spf-ip-not-authorised",
		probe: true,
		title: "The SPF record of {from_domain} does not authorise this site's address {public_ip}",
		cause: "Direct Send delivers anonymously, so Exchange Online judges the mail by SPF: Microsoft asks you to add the sending IP address to the domain's SPF record, " +
			"otherwise the mail will likely be marked as spam.",
		fix: []step{
			{"Add the address to the SPF TXT record of {from_domain}, for example: v=spf1 ip4:{public_ip} include:spf.protection.outlook.com -all (keep the other mechanisms you already have; one SPF record per domain).", ""},
		},
		docs: []string{docSPF, docBlogDirectSend, docMFD},
	},
	{
		id:    "spf-missing",
		probe: true,
		title: "{from_domain} has no SPF record",
		cause: "No TXT record starting with v=spf1 was found for {from_domain}. Without SPF, receivers cannot tell which servers may send for the domain.",
		fix: []step{
			{"Create one TXT record for {from_domain}: v=spf1 include:spf.protection.outlook.com -all (add ip4: entries for your own sending servers).", ""},
		},
		docs: []string{docSPF},
	},
	{
		id:    "spf-no-exo-include",
		probe: true,
		title: "The SPF record of {from_domain} does not include Exchange Online",
		cause: "Mail relayed through Exchange Online leaves from Microsoft's servers, so receivers check SPF against them: the SPF record of {from_domain} needs include:spf.protection.outlook.com.",
		fix: []step{
			{"Add include:spf.protection.outlook.com to the SPF TXT record of {from_domain}, for example: v=spf1 include:spf.protection.outlook.com -all", ""},
		},
		docs: []string{docSPF},
	},
	{
		id:    "dmarc-missing",
		probe: true,
		title: "{from_domain} has no DMARC record",
		cause: "No DMARC record was found at _dmarc.{from_domain}. Microsoft recommends DMARC for every domain that sends mail; with Direct Send it tells receivers what to do with mail that fails SPF and DKIM.",
		fix: []step{
			{"Create a TXT record at _dmarc.{from_domain}, starting in monitoring mode, for example: v=DMARC1; p=none; rua=mailto:<report address>", ""},
		},
		docs: []string{docDMARC},
	},
	{
		id:    "publicip-disagree",
		probe: true,
		title: "The public IP detection services disagree",
		cause: "Different services saw this machine with different public addresses: the site has more than one way out (several NAT addresses or lines, a proxy), " +
			"or DNS queries are intercepted. The address that counts for a connector is the one Exchange Online sees in its EHLO reply.",
		fix: []step{
			{"Use the address Exchange Online echoes ({echo_ip}) for the connector, or give the known address with --public-ip.", ""},
		},
		docs: []string{docRelayDenied},
	},
	{
		id:    "publicip-unconfirmed",
		probe: true,
		title: "Only one service could tell this site's public IP",
		cause: "A single detection service answered, so its answer could not be confirmed; the others were unreachable or blocked.",
		fix: []step{
			{"If {public_ip} is not the site's address, give the right one with --public-ip; the address Exchange Online echoes after EHLO ({echo_ip}) is the one a connector must list.", ""},
		},
		docs: []string{docRelayDenied},
	},
	{
		id:    "publicip-undetected",
		probe: true,
		title: "This site's public IP could not be detected",
		cause: "None of the detection services answered over DNS or HTTPS: outbound DNS to them, or HTTPS, is blocked or intercepted here.",
		fix: []step{
			{"Give the site's public IPv4 address with --public-ip, or read it from Exchange Online's EHLO reply (250-... Hello [address]).", ""},
		},
		docs: []string{docRelayDenied},
	},
	{
		id:    "not-exo-banner",
		probe: true,
		title: "The host that greeted is not Exchange Online",
		cause: "{host} should be an Exchange Online endpoint, but the SMTP greeting does not come from Exchange Online (its banner names a host under outlook.com and says " +
			"'Microsoft ESMTP MAIL Service ready'). A transparent proxy, an antivirus product or a firewall answers in its place, or the name resolves to another server.",
		fix: []step{
			{"Check the security software and firewalls for SMTP proxying or mail scanning on TCP {port}.", ""},
			{"Check what {host} resolves to from this machine.", "nslookup {ps:host}"},
		},
		docs: []string{docPrinters},
	},
	{
		id:    "connection-closed",
		probe: true,
		title: "The server closed the connection unexpectedly",
		cause: "The connection ended in the middle of the conversation. A firewall's SMTP inspection can drop a connection whose command is longer than it allows " +
			"(Cisco ASA drops command lines over 512 characters by default, which an AUTH XOAUTH2 line with its token exceeds); the server can also close after an error.",
		fix: []step{
			{"Check firewalls for SMTP/ESMTP inspection on TCP {port} (Cisco ASA: no inspect esmtp).", ""},
			{"Run with --transcript to see the last command before the close.", ""},
		},
		docs: []string{docCiscoESMTP},
	},
	{
		id:    "reply-timeout",
		probe: true,
		title: "The server stopped answering",
		cause: "A reply did not arrive in time. Exchange Online answers within seconds; a silent pause mid-conversation points to a middlebox holding the connection, or to a slow or overloaded server.",
		fix: []step{
			{"Run again with --transcript to see which command went unanswered, and check firewalls and security software for SMTP inspection.", ""},
		},
		docs: []string{docPrinters},
	},
	{
		id:    "reply-malformed",
		probe: true,
		title: "The server's answer is not an SMTP reply",
		cause: "What came back does not follow SMTP (a three-digit code at the start of each line, lines of reasonable length). Something other than a mail server answers on {host}:{port}, " +
			"such as a proxy, a web server or a broken middlebox.",
		fix: []step{
			{"Check that {host}:{port} is the Exchange Online endpoint, and look at the transcript (--transcript) for what arrived.", ""},
		},
		docs: []string{docMFD},
	},
	{
		id:    "token-missing-role",
		probe: true,
		title: "The token does not carry the SMTP.SendAsApp permission",
		cause: "Exchange Online accepts an app-only token for SMTP only when its roles claim holds SMTP.SendAsApp; otherwise AUTH XOAUTH2 fails with 535 5.7.3.",
		fix: []step{
			{"Entra admin centre > Entra ID > App registrations > {app_id} > API permissions > Add a permission > APIs my organization uses > Office 365 Exchange Online > Application permissions > SMTP.SendAsApp.", ""},
			{"Grant admin consent on the same page, then request a new token.", ""},
		},
		docs: []string{docOAuth, docAdminConsent},
	},
	{
		id:    "token-wrong-audience",
		probe: true,
		title: "The token was issued for another resource",
		cause: "The token's audience (aud) is not Exchange Online. For SMTP, Microsoft requires the scope https://outlook.office365.com/.default with client credentials; a token for Microsoft Graph does not work.",
		fix: []step{
			{"Request the token with the scope https://outlook.office365.com/.default (for sovereign clouds, the cloud's own Exchange Online host).", ""},
		},
		docs: []string{docOAuth},
	},
	{
		id:    "token-wrong-tenant",
		probe: true,
		title: "The token comes from another tenant",
		cause: "The token's tenant (tid) is not the tenant asked for ({tenant}). A multi-tenant application or a wrong authority produced a token of another organisation.",
		fix: []step{
			{"Request the token from https://login.microsoftonline.com/<tenant ID>/ with the tenant that owns the mailbox (Entra admin centre > Entra ID > Overview > Tenant ID).", ""},
		},
		docs: []string{docOAuth},
	},
	{
		id:    "token-timeout",
		probe: true,
		title: "The token endpoint did not answer in time",
		cause: "The request to Entra ID's token endpoint did not complete before the deadline: HTTPS to login.microsoftonline.com is blocked, slow, or held by a proxy.",
		fix: []step{
			{"Allow HTTPS to login.microsoftonline.com (and the Microsoft 365 identity endpoints) from this machine, and check proxy settings.", ""},
		},
		docs: []string{docM365URLs},
	},
	{
		id:    "basic-auth-deprecated",
		probe: true,
		title: "Basic authentication for SMTP is being retired",
		cause: "Signing in with a user name and password (AUTH LOGIN) still works where it is allowed, but Microsoft is retiring it for client submission (smtp.office365.com and smtp-legacy.office365.com). " +
			"Microsoft's timeline of January 2026: at the end of December 2026 it is disabled by default for existing tenants, and administrators can turn it back on; tenants created after December 2026 do not have it by default; " +
			"in the second half of 2027 Microsoft announces the final removal date. After that the reply is 550 5.7.30 Basic authentication is not supported for Client Submission.",
		fix: []step{
			{"Move the application to OAuth (an Entra app with SMTP.SendAsApp) or to relay through an inbound connector; exoprobe submit and exoprobe relay test each path.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
			{"Find the other senders that still use a password: Exchange admin centre > Reports > Mail flow > SMTP AUTH clients report shows whether each submits with basic authentication or OAuth.", ""},
		},
		docs: []string{docBlogBasicAuth, docBlogBasicAuthRetire, docOAuth},
	},

	// ---- exoprobe submit: the sign-in, the token request, the app's credential ------------------
	{
		id:    "secret-in-argv",
		probe: true,
		title: "A secret was given on the command line",
		cause: "Command-line arguments are saved in the shell's history (PowerShell's PSReadLine keeps a history file; bash keeps ~/.bash_history) and show in process lists to other users of the machine. " +
			"exoprobe therefore takes the client secret, the password, the PFX password and an access token only from the environment or a prompt without echo.",
		fix: []step{
			{"Leave the flag out: exoprobe asks for the secret without echo when it runs in a terminal.", ""},
			{"For unattended runs put it in the environment instead (likewise EXOPROBE_PASSWORD, EXOPROBE_PFX_PASSWORD, EXOPROBE_ACCESS_TOKEN). In PowerShell (5.1 and 7):", "$env:EXOPROBE_CLIENT_SECRET = [Net.NetworkCredential]::new('', (Read-Host -AsSecureString)).Password"},
			{"In bash:", "read -rs EXOPROBE_CLIENT_SECRET\nexport EXOPROBE_CLIENT_SECRET"},
			{"The secret was typed on a command line already: remove that line from PowerShell's history, in the file this command names, and consider replacing the secret (App registrations > {app_id} > Certificates & secrets).", "(Get-PSReadLineOption).HistorySavePath"},
		},
		docs: []string{docReadHost, docPSReadLine},
	},
	{
		id:    "legacy-tls-middlebox",
		probe: true,
		title: "Something on the path speaks old TLS to Exchange Online (4.7.66, though this client used TLS 1.2 or later)",
		cause: "Exchange Online's SMTP AUTH endpoint refuses TLS 1.0 and 1.1 with 421 4.7.66. This client negotiated TLS 1.2 or later, so the old TLS is spoken on another leg of the path: " +
			"a product that terminates this TLS session (an antivirus mail shield, a firewall or proxy with TLS inspection) and opens its own connection to Exchange Online with TLS 1.0 or 1.1.",
		fix: []step{
			{"Find the product that scans mail or TLS on this machine or at the network edge, and exclude {host} port {port} from its mail or TLS scanning.", ""},
			{"Or update that product so that its own connections use TLS 1.2 or later.", ""},
			{"Only as a stopgap: the opt-in endpoint smtp-legacy.office365.com accepts TLS 1.0 and 1.1 after this setting (not available in GCC, GCC High or DoD).", "Set-TransportConfig -AllowLegacyTLSClients $true"},
		},
		docs: []string{docLegacyTLS},
	},
	{
		id:    "auth-not-offered",
		probe: true,
		// Python smtplib / aiosmtplib login() on a session without STARTTLS.
		patterns: []string{"smtp auth extension not supported by server"},
		alone:    true,
		title:    "The server offers no SMTP AUTH",
		cause: "Microsoft documents SMTP AUTH client submission at smtp.office365.com, port 587, with STARTTLS; the sign-in (AUTH XOAUTH2 or AUTH LOGIN) happens inside TLS. " +
			"The MX endpoints on port 25 take no sign-in at all (they serve Direct Send and inbound connectors). A server that offers no AUTH after STARTTLS is not the submission endpoint, or something on the path answers in its place.",
		fix: []step{
			{"Submit to smtp.office365.com on port 587 with STARTTLS ({host}:{port} was tested); for a sovereign cloud give --cloud.", ""},
			{"If that is the endpoint tested, find what answers in Exchange Online's place: the smtp and tls checks show the server's greeting and certificate.", ""},
			{"In an application's code, send STARTTLS before signing in: Python smtplib: ehlo(), starttls(), ehlo(), then login(); aiosmtplib: start_tls=True.", ""},
		},
		docs: []string{docSMTPAuth, docMFD},
	},
	{
		id:    "auth-mechanism-missing",
		probe: true,
		title: "The server does not offer the sign-in method needed",
		cause: "OAuth signs in with the SASL mechanism XOAUTH2 (Microsoft documents the exchange AUTH XOAUTH2 with smtp.office365.com); a password signs in with AUTH LOGIN. " +
			"Exchange Online's submission endpoint offers both after STARTTLS. A server that lists other mechanisms is another server, or a device on the path rewrites the conversation.",
		fix: []step{
			{"Check the endpoint: smtp.office365.com, port 587 (smtp-hve.office365.com for High Volume Email); {host}:{port} was tested.", ""},
			{"If it is, look for a firewall, proxy or antivirus that inspects SMTP on port 587 and answers for the server (see the smtp and tls checks).", ""},
		},
		docs: []string{docOAuth, docSMTPAuth},
	},
	{
		id:    "sendas-unverified",
		probe: true,
		title: "Send As for this sender was not tested",
		cause: "The sender ({from}) is not the mailbox that signs in ({mailbox}). SMTP client submission sends as another address only with the Send As permission on it; otherwise Exchange Online refuses the message (5.7.60, or 5.2.252 SendAsDenied). " +
			"The refusal comes when the message is submitted, after its content, so a run that stops after RCPT TO cannot see it.",
		fix: []step{
			{"Run again with --send: a clearly marked test message is sent and the answer to it shows whether Send As is allowed.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to} --send"},
			{"Grant Send As.", "Add-RecipientPermission -Identity {ps:from} -Trustee {ps:mailbox} -AccessRights SendAs"},
			{"Or make the application send from {mailbox} itself.", ""},
		},
		docs: []string{docPrinters, docRecipientPerm},
	},
	{
		id:    "submit-host-unknown",
		probe: true,
		title: "The endpoint is not Exchange Online's submission endpoint",
		cause: "Microsoft documents smtp.office365.com (port 587, STARTTLS) as the endpoint for SMTP AUTH client submission, and smtp-hve.office365.com for High Volume Email. " +
			"The host given ({host}) is neither, so what the checks find about it says nothing about Exchange Online; an IP address cannot match the name on the server's certificate either.",
		fix: []step{
			{"Leave --host out (exoprobe uses the cloud's endpoint), or give the endpoint the application is configured with.", ""},
			{"Configure applications with the host name smtp.office365.com, not an IP address.", ""},
		},
		docs: []string{docMFD, docHVE},
	},
	{
		id:    "token-expired",
		probe: true,
		title: "The access token has expired",
		cause: "Exchange Online refuses a token after its exp time. Entra ID issues access tokens for a limited time (by default a random value between 60 and 90 minutes). " +
			"An expired token from EXOPROBE_ACCESS_TOKEN is simply stale; a token that Entra ID has just issued and that is already expired means this machine's clock is wrong.",
		fix: []step{
			{"Request a new token; an application should request one for each session or let its library renew it before it expires.", ""},
			{"Check this machine's clock, and set it right. Windows:", "w32tm /query /status\nw32tm /resync"},
			{"Linux: the status must say NTP synchronised: yes.", "timedatectl status"},
		},
		docs: []string{docAccessTokens},
	},
	{
		id:    "token-not-yet-valid",
		probe: true,
		title: "The access token is not valid yet",
		cause: "The token's nbf (not before) time lies minutes ahead of this machine's clock. Entra ID stamps tokens with its own time, so this machine's clock is behind.",
		fix: []step{
			{"Set the clock right. Windows:", "w32tm /resync"},
			{"Linux: check the clock, and enable NTP.", "timedatectl status\nsudo timedatectl set-ntp true"},
		},
		docs: []string{docAccessTokens},
	},
	{
		id:    "token-wrong-app",
		probe: true,
		title: "The token belongs to another application",
		cause: "The token's appid (or azp) is not the application given ({app_id}). Exchange Online accepts an app token for the service principal registered with New-ServicePrincipal for that application, " +
			"so the application's settings and its registration in Exchange must name the same app.",
		fix: []step{
			{"Check which client ID the application is configured with, and use the token of app {app_id} (or give exoprobe the other app's --client-id).", ""},
			{"Register the app that signs in.", "New-ServicePrincipal -AppId {ps:app_id} -ObjectId '<enterprise application object ID>'\nAdd-MailboxPermission -Identity {ps:mailbox|from} -User '<service principal ID>' -AccessRights FullAccess"},
		},
		docs: []string{docOAuth, docNewSP},
	},
	{
		id:    "token-delegated",
		probe: true,
		title: "The token is a delegated (user) token",
		cause: "The token was issued for a signed-in user: it carries the delegated permission SMTP.Send in scp and no application role. It sends only as that user. " +
			"Microsoft documents the delegated scope https://outlook.office.com/SMTP.Send for applications a user signs in to, and the client credentials grant with SMTP.SendAsApp for unattended services.",
		fix: []step{
			{"For an unattended application use the client credentials grant: Office 365 Exchange Online > Application permissions > SMTP.SendAsApp with admin consent, and register its service principal in Exchange.", "New-ServicePrincipal -AppId {ps:app_id} -ObjectId '<enterprise application object ID>'"},
		},
		docs: []string{docOAuth},
	},
	{
		id:    "token-malformed",
		probe: true,
		title: "The access token cannot be read",
		cause: "Entra ID's access tokens for Exchange Online are JSON web tokens: three base64url parts separated by dots, starting with eyJ. The value given is not one; " +
			"often the whole JSON response, a refresh token or an ID token was copied instead of the access_token value.",
		fix: []step{
			{"Put only the access_token value of the token response in EXOPROBE_ACCESS_TOKEN.", ""},
			{"Or leave EXOPROBE_ACCESS_TOKEN unset and let exoprobe request the token (--tenant, --client-id and the client secret or a certificate).", ""},
		},
		docs: []string{docAccessTokens, docOAuth},
	},
	{
		id:    "token-canceled",
		probe: true,
		title: "The token request was cancelled",
		cause: "The run was cancelled (for example with Ctrl+C) before Entra ID answered; nothing can be concluded about the token.",
		fix: []step{
			{"Run again and let it finish; --timeout bounds how long it may take.", ""},
		},
		docs: []string{docOAuth},
	},
	{
		id:    "token-response-too-large",
		probe: true,
		title: "Something other than Entra ID answered the token request",
		cause: "The answer to the token request was larger than any answer of Entra ID: a proxy, captive portal or filtering firewall answered in its place. " +
			"Entra ID answers with a small JSON document (a token, or an error with error, error_description and error_codes).",
		fix: []step{
			{"Open https://login.microsoftonline.com in a browser on this machine to see what answers.", ""},
			{"Let this machine reach the Microsoft 365 identity endpoints (login.microsoftonline.com) without a proxy's block page or TLS inspection.", ""},
		},
		docs: []string{docM365URLs, docEntraErrors},
	},
	{
		id:    "token-response-invalid",
		probe: true,
		title: "The answer to the token request is not Entra ID's",
		cause: "The token endpoint answered with something that is not Entra ID's JSON (an HTML page, for example): a proxy, captive portal or TLS-inspecting firewall answered in its place.",
		fix: []step{
			{"Open https://login.microsoftonline.com in a browser on this machine to see what answers.", ""},
			{"Let this machine reach the Microsoft 365 identity endpoints (login.microsoftonline.com) without a proxy's block page or TLS inspection.", ""},
		},
		docs: []string{docM365URLs, docEntraErrors},
	},
	{
		id:    "token-http-error",
		probe: true,
		title: "The token endpoint answered with an HTTP error that is not Entra ID's",
		cause: "Entra ID explains its refusals in JSON with an AADSTS code. This HTTP error came without it, so a proxy or firewall between this machine and Entra ID answered.",
		fix: []step{
			{"Check the proxy settings of this machine (HTTPS_PROXY, or the system proxy) and the proxy's log for login.microsoftonline.com.", ""},
			{"Let this machine reach the Microsoft 365 identity endpoints without TLS inspection.", ""},
		},
		docs: []string{docM365URLs, docEntraErrors},
	},
	{
		id:    "token-endpoint-dns",
		probe: true,
		title: "The token endpoint's name does not resolve",
		cause: "This machine cannot resolve Entra ID's login host (login.microsoftonline.com, or the sovereign cloud's), so no token can be requested. Its DNS does not answer for Internet names, or it reaches the Internet only through a proxy.",
		fix: []step{
			{"Check name resolution. Windows:", "nslookup login.microsoftonline.com"},
			{"Linux:", "dig login.microsoftonline.com"},
			{"If this network reaches the Internet only through a proxy, set it for the application (and for exoprobe: HTTPS_PROXY).", ""},
		},
		docs: []string{docM365URLs, docNslookup},
	},
	{
		id:    "token-endpoint-tls",
		probe: true,
		title: "TLS to the token endpoint is not trusted",
		cause: "The certificate presented for Entra ID's login host did not verify: a proxy, firewall or antivirus that inspects HTTPS re-signed the connection with its own certificate authority, which this machine does not trust.",
		fix: []step{
			{"Exclude the Microsoft 365 identity endpoints (login.microsoftonline.com) from TLS inspection, as Microsoft advises for Microsoft 365 traffic.", ""},
			{"Or make this machine trust the inspecting authority, if the organisation requires inspection.", ""},
		},
		docs: []string{docM365URLs},
	},
	{
		id:    "token-endpoint-unreachable",
		probe: true,
		title: "The token endpoint cannot be reached",
		cause: "The connection to Entra ID's login host failed: a firewall or proxy blocks outbound HTTPS (TCP 443) to it from this machine.",
		fix: []step{
			{"Allow outbound HTTPS to the Microsoft 365 identity endpoints (login.microsoftonline.com) from this machine, or set the proxy it must use (HTTPS_PROXY).", ""},
		},
		docs: []string{docM365URLs},
	},
	{
		id:    "token-request-failed",
		probe: true,
		title: "The token request failed",
		cause: "The request to Entra ID's token endpoint failed before an answer came back; the message gives the reason the client library reported.",
		fix: []step{
			{"Check that this machine can open https://login.microsoftonline.com, and its proxy settings.", ""},
			{"Run again with --verbose to see each step of the request.", ""},
		},
		docs: []string{docM365URLs, docEntraErrors},
	},
	{
		id:    "oauth-config",
		probe: true,
		title: "The OAuth settings are incomplete or not valid",
		cause: "A token for Exchange Online by the client credentials grant needs the tenant (its ID or a verified domain, not common or organizations), the application (client) ID of the app registration, and the cloud the tenant lives in.",
		fix: []step{
			{"Tenant ID: Entra admin centre > Entra ID > Overview > Tenant ID (--tenant).", ""},
			{"Application (client) ID: Entra admin centre > App registrations > your app > Overview (--client-id).", ""},
			{"A tenant in GCC High, DoD or 21Vianet: --cloud gcc-high, dod or china.", ""},
		},
		docs: []string{docOAuth, docEntraErrors},
	},
	{
		id:    "oauth-no-credential",
		probe: true,
		title: "No credential was given for the application",
		cause: "The client credentials grant proves the application's identity with a client secret or a certificate registered on the app registration; none was given.",
		fix: []step{
			{"Client secret: set EXOPROBE_CLIENT_SECRET to the secret's Value (App registrations > {app_id} > Certificates & secrets > Client secrets).", ""},
			{"Certificate: give --client-pfx (password in EXOPROBE_PFX_PASSWORD) or --client-cert and --client-key, for a certificate uploaded under Certificates & secrets > Certificates.", ""},
		},
		docs: []string{docAddCredentials, docCertCreds},
	},
	{
		id:    "secret-looks-like-id",
		probe: true,
		title: "The client secret looks like the secret's ID, not its value",
		cause: "The secret has the form of a GUID. Certificates & secrets lists each client secret with its Value and its Secret ID; the Value is shown only right after the secret is created. " +
			"Entra ID's error for a wrong secret (AADSTS7000215) warns of exactly this mix-up.",
		fix: []step{
			{"App registrations > {app_id} > Certificates & secrets > Client secrets > New client secret; copy the Value column at once.", ""},
		},
		docs: []string{docAddCredentials, docEntraErrors},
	},
	{
		id:    "secret-whitespace",
		probe: true,
		title: "The client secret starts or ends with white space",
		cause: "Client secrets created in the Entra admin centre do not start or end with spaces or line breaks; leading or trailing white space usually comes from copying and pasting, and makes the secret wrong.",
		fix: []step{
			{"Set the secret again without the white space; in PowerShell (5.1 and 7):", "$env:EXOPROBE_CLIENT_SECRET = [Net.NetworkCredential]::new('', (Read-Host -AsSecureString)).Password.Trim()"},
		},
		docs: []string{docAddCredentials},
	},
	{
		id:    "cert-key-not-rsa",
		probe: true,
		title: "The app certificate's key is not RSA",
		cause: "The Microsoft Authentication Library signs the client assertion, which proves the app's identity with its certificate, with an RSA key; MSAL Go refuses any other key (\"key must be an RSA key\"). " +
			"An ECDSA or Ed25519 certificate cannot be used for this sign-in.",
		fix: []step{
			{"Create an RSA certificate of 2048 bits or more, for example in PowerShell:", "New-SelfSignedCertificate -Subject 'CN=exoprobe-app' -CertStoreLocation Cert:\\CurrentUser\\My -KeyExportPolicy Exportable -KeySpec Signature -KeyLength 2048 -KeyAlgorithm RSA -HashAlgorithm SHA256"},
			{"Upload its public part (.cer) to App registrations > {app_id} > Certificates & secrets > Certificates, and give the application the certificate with its key.", ""},
		},
		docs: []string{docCertCreds, docSelfSignedCert},
	},
	{
		id:    "app-cert-key-mismatch",
		probe: true,
		title: "The private key does not belong to the app certificate",
		cause: "The client assertion must be signed with the private key of the certificate registered on the app; the key given belongs to another certificate, so Entra ID would reject the signature (AADSTS700027).",
		fix: []step{
			{"Give the key that was created with this certificate: export the certificate with its private key as PFX from the machine where it was created (certlm.msc or certmgr.msc > Personal > the certificate > All Tasks > Export > Yes, export the private key).", ""},
		},
		docs: []string{docCertCreds},
	},
	{
		id:    "app-cert-missing",
		probe: true,
		title: "The app certificate is missing",
		cause: "A private key was given without its certificate. The client assertion names the certificate (its thumbprint) so that Entra ID can find the public key registered on the app.",
		fix: []step{
			{"Give the certificate with --client-cert (and the key with --client-key), or both in one PFX file with --client-pfx.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --client-pfx '<certificate.pfx>' --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docCertCreds},
	},
	{
		id:    "app-cert-key-missing",
		probe: true,
		title: "The app certificate was given without its private key",
		cause: "Signing the client assertion needs the certificate's private key; the file holds only the public certificate (a .cer file, or a PEM without a key).",
		fix: []step{
			{"Give the key with --client-key, or export the certificate with its private key as PFX and give it with --client-pfx.", ""},
		},
		docs: []string{docCertCreds},
	},
	{
		id:    "app-cert-not-yet-valid",
		probe: true,
		title: "The app certificate is not valid yet",
		cause: "The certificate's validity starts later than this machine's clock says: the clock is wrong, or the certificate was issued with a future start date.",
		fix: []step{
			{"Check the clock. Windows:", "w32tm /query /status"},
			{"Linux:", "timedatectl status"},
			{"If the clock is right, use the certificate from its start date on, or issue one that is valid now and upload it to App registrations > {app_id} > Certificates & secrets > Certificates.", ""},
		},
		docs: []string{docCertCreds},
	},
	{
		id:    "app-cert-expired",
		probe: true,
		title: "The app certificate has expired",
		cause: "The certificate the application signs in with has passed its expiry date, so Entra ID refuses assertions signed with it.",
		fix: []step{
			{"Create a new certificate, upload its public part to App registrations > {app_id} > Certificates & secrets > Certificates, and give the application the new certificate with its key.", ""},
		},
		docs: []string{docCertCreds, docAddCredentials},
	},
	{
		id:    "app-cert-expiring",
		probe: true,
		title: "The app certificate expires soon",
		cause: "The certificate the application signs in with expires within 30 days; after that Entra ID refuses the application's sign-in and mail stops.",
		fix: []step{
			{"Upload the successor now (App registrations > {app_id} > Certificates & secrets > Certificates holds several at once), switch the application to it, then remove the old one.", ""},
		},
		docs: []string{docCertCreds, docAddCredentials},
	},
	{
		id:    "publicip-not-public",
		probe: true,
		title: "The address given with --public-ip is not one the Internet sees",
		cause: "{public_ip} is a private, loopback, link-local, shared (carrier-grade NAT) or documentation address. Exchange Online sees the public address " +
			"the site's firewall or router translates it to, and an IP-based inbound connector matches that address only, so a connector listing {public_ip} never matches mail from here.",
		fix: []step{
			{"Give the site's public IPv4 address with --public-ip: the firewall's or router's WAN address, or the one Exchange Online echoes after EHLO (250-... Hello [address]); or leave --public-ip out to detect it.", ""},
			{"If the site is behind carrier-grade NAT (100.64.0.0/10), its public address is shared with other customers of the provider: ask the provider for a static public address, or use a certificate-based connector.", ""},
		},
		docs: []string{docMFD, docNewInbound},
	},
	{
		id:    "port-blocked",
		probe: true,
		title: "The ISP or a firewall blocks outbound port {port}",
		cause: "The connection to {host} on port {port} got no answer at all, while port 587 or 443 of the same host connected at once: the host is reachable, and only " +
			"outbound TCP {port} is dropped on the way. This is the classic block of an internet provider (many block port 25 on consumer and small business lines), " +
			"of a cloud platform (Azure blocks outbound port 25 for most subscriptions) or of a firewall rule. Exchange Online is not the cause, and a connector " +
			"cannot help until port {port} gets through.",
		fix: []step{
			{"Test the port from this machine in PowerShell.", "Test-NetConnection {ps:host} -Port {port}"},
			{"Allow outbound TCP {port} from this site ({public_ip}) to Exchange Online on the firewall (Microsoft 365 URLs and IP address ranges, Exchange Online), or ask the internet or hosting provider to lift its port 25 block.", ""},
			{"If port {port} cannot be opened, send with SMTP client submission instead: smtp.office365.com on port 587 with OAuth; test that path from here.", "exoprobe submit --from {ps:from} --to {ps:to} --tenant {ps:tenant} --client-id {ps:app_id}"},
		},
		docs: []string{docM365URLs, docPrinters, docMFD},
	},
	{
		id:    "mail-ports-blocked",
		probe: true,
		title: "This network blocks all outbound mail ports",
		cause: "Port {port} of {host}, and the ports tried beside it (587 and 443 of the same host), were all filtered or refused: nothing reaches Exchange Online from this " +
			"network. A firewall blocks all outbound traffic to it, or this network reaches the Internet only through a proxy, which SMTP cannot use. Neither a connector, " +
			"Direct Send nor client submission can work from here until the firewall lets mail out.",
		fix: []step{
			{"Test the port from this machine in PowerShell.", "Test-NetConnection {ps:host} -Port {port}"},
			{"Allow outbound TCP {port} (relay and Direct Send) and TCP 587 (client submission) from this site to Exchange Online on the firewall (Microsoft 365 URLs and IP address ranges, Exchange Online).", ""},
			{"If this network reaches the Internet only through a proxy, send from a server or network that has direct outbound access, or through an on-premises relay that has.", ""},
		},
		docs: []string{docM365URLs, docPrinters, docMFD},
	},
	{
		id:    "host-not-exo",
		probe: true,
		title: "{host}, given with --host, is not an Exchange Online endpoint",
		cause: "The run talked to the host named with --host, which is not under one of Exchange Online's MX domains (mail.protection.outlook.com, mx.microsoft and those of the " +
			"sovereign clouds). Whatever the checks found there says nothing about Exchange Online: it may be a gateway, an on-premises server, or a typing error. " +
			"This says nothing about the MX record of {domain}: the dns check judges that separately.",
		fix: []step{
			{"If the device should send to Exchange Online, give the tenant's own host with --host: the MX value in Microsoft 365 admin centre > Settings > Domains > {domain} > DNS records, by name, never by IP address.", ""},
			{"If {host} is a gateway or relay in front of Exchange Online on purpose, test it as its operator documents; test Exchange Online itself without --host.", ""},
		},
		docs: []string{docMFD, docAddDomain},
	},
	{
		id:    "smtp-not-proxied",
		probe: true,
		title: "SMTP does not go through the HTTP proxy, and port {port} to {host} is blocked",
		cause: "This machine reaches the web through an HTTP proxy (HTTPS_PROXY, or the system's proxy settings), but SMTP is not HTTP: " +
			"mail reaches Exchange Online only over a direct TCP connection to port 25 or 587, which no HTTP proxy carries. " +
			"The direct connection to {host} on port {port} is blocked, so on a network that reaches the Internet only through the proxy " +
			"no relay, Direct Send or SMTP AUTH submission to Exchange Online can work.",
		fix: []step{
			{"Test the port from this machine in PowerShell: it is dialled directly, as SMTP is.", "Test-NetConnection {ps:host} -Port {port}"},
			{"Allow outbound TCP {port} from this machine ({public_ip}) directly to Exchange Online on the firewall, beside the proxy (Microsoft publishes the addresses: Microsoft 365 URLs and IP address ranges, Exchange Online).", ""},
			{"Or send through a relay that has a direct route: an on-premises SMTP relay (IIS SMTP, Postfix, an Exchange server) in a network segment allowed to reach Exchange Online on port 25 or 587.", ""},
			{"Or, for an application that can, send with Microsoft Graph (POST /users/{from}/sendMail) over HTTPS, which goes through the proxy.", ""},
		},
		docs: []string{docM365URLs},
	},
	// ---- The tenant's configuration (exoprobe tenant) ------------------------------------------
	{
		id:    "exo-unauthorized",
		probe: true,
		title: "Exchange Online refused the reading app's token (401): the app lacks Exchange.ManageAsApp",
		cause: "Exchange Online's Admin API and the InvokeCommand endpoint accept an app-only token only when the app holds the application permission " +
			"Office 365 Exchange Online > Exchange.ManageAsApp (the Admin API also takes Exchange.ManageAsAppV2), granted with admin consent. The token " +
			"was issued, but it carries no such role.",
		fix: []step{
			{"Add the permission: Entra admin centre > App registrations > the reading app > API permissions > Add a permission > APIs my organization uses > Office 365 Exchange Online > Application permissions > Exchange.ManageAsApp, then Grant admin consent for the tenant {tenant}.", ""},
			{"Or in PowerShell with the Microsoft.Graph module.", "$sp = Get-MgServicePrincipal -Filter \"appId eq '<reading app ID>'\"\n$exo = Get-MgServicePrincipal -Filter \"appId eq '00000002-0000-0ff1-ce00-000000000000'\"\nNew-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -PrincipalId $sp.Id -ResourceId $exo.Id -AppRoleId ($exo.AppRoles | Where-Object Value -eq 'Exchange.ManageAsApp').Id"},
			{"exoprobe tenant --setup prints every permission and role the reading app needs.", ""},
		},
		docs: []string{docAppOnlyEXO, docAdminAPIAuth},
	},
	{
		id:    "exo-forbidden",
		probe: true,
		title: "Exchange Online refused to read the configuration (403): the reading app has no role",
		cause: "The app signs in with Exchange.ManageAsApp, but app-only access to Exchange Online also needs a role for the app's service principal: " +
			"an Entra role such as Global Reader, or an Exchange role group such as View-Only Configuration. Without one, every cmdlet is refused " +
			"(\"The role assigned to application ... isn't supported in this scenario\").",
		fix: []step{
			{"Assign the read-only Entra role Global Reader to the reading app: Entra admin centre > Roles & admins > Global Reader > Add assignments > the app; or in PowerShell with the Microsoft.Graph module.", "New-MgRoleManagementDirectoryRoleAssignment -PrincipalId '<service principal object ID>' -RoleDefinitionId 'f2ef992c-3afb-46b9-b7cf-a126ee74c451' -DirectoryScopeId '/'"},
			{"Or, for Exchange alone, register the app in Exchange and make it a member of View-Only Configuration.", "New-ServicePrincipal -AppId '<reading app ID>' -ObjectId '<service principal object ID>'\nAdd-RoleGroupMember -Identity 'View-Only Configuration' -Member '<service principal object ID>'"},
			{"Role assignments can take a few minutes to apply; run the check again afterwards.", ""},
		},
		docs: []string{docAppOnlyEXO, docGlobalReader},
	},
	{
		id:    "graph-unauthorized",
		probe: true,
		title: "Microsoft Graph refused the reading app's token (401)",
		cause: "Microsoft Graph did not accept the token: the reading app holds no Microsoft Graph application permission, or the token is for another resource or tenant.",
		fix: []step{
			{"Add Microsoft Graph > Application permissions > Application.Read.All to the reading app (App registrations > the reading app > API permissions), then Grant admin consent for the tenant {tenant}.", ""},
		},
		docs: []string{docGraphAppReadAll, docAdminConsent},
	},
	{
		id:    "graph-forbidden",
		probe: true,
		title: "Microsoft Graph refused to read the app registration (403): Application.Read.All is missing",
		cause: "Reading an app's client secrets, certificates and granted permissions needs the application permission Application.Read.All; " +
			"nothing narrower exists. The reading app's token does not carry it (Authorization_RequestDenied).",
		fix: []step{
			{"Add Microsoft Graph > Application permissions > Application.Read.All to the reading app (App registrations > the reading app > API permissions > Add a permission > Microsoft Graph), then Grant admin consent.", ""},
			{"For the inventory of basic SMTP AUTH sign-ins add AuditLog.Read.All the same way.", ""},
		},
		docs: []string{docGraphAppReadAll, docAdminConsent},
	},
	{
		id:    "tenant-api-failed",
		probe: true,
		title: "A read of the tenant's configuration failed",
		cause: "Exchange Online or Microsoft Graph did not answer a read with the data asked for: the service was unreachable from here or did not answer in time, " +
			"answered with an error, or something else answered in its place (a proxy's or web filter's page, a redirect), or the answer came in a form exoprobe does not know. " +
			"Exchange Online's InvokeCommand endpoint is undocumented, and Microsoft may change it without notice.",
		fix: []step{
			{"Check that this machine reaches https://outlook.office365.com and https://graph.microsoft.com (and its proxy: HTTPS_PROXY).", ""},
			{"Run the cmdlet named in the finding in Exchange Online PowerShell (Connect-ExchangeOnline) to see the service's own answer.", ""},
		},
		docs: []string{docAppOnlyEXO, docAdminAPIAuth},
	},
	{
		id:    "tenant-throttled",
		probe: true,
		title: "The service kept throttling the reads (429)",
		cause: "Exchange Online or Microsoft Graph answered 429 Too Many Requests (or 503) to every retry within --timeout: the tenant or the app has made many calls recently.",
		fix: []step{
			{"Run again in a few minutes, or with a longer --timeout so that exoprobe can wait as long as Retry-After asks.", ""},
		},
		docs: []string{docGraphThrottling},
	},
	{
		id:    "domain-not-accepted",
		probe: true,
		title: "The MAIL FROM domain {from_domain} is not an accepted domain of the tenant",
		cause: "Since November 2023 Exchange Online relays mail through an inbound connector only when the MAIL FROM domain (or the certificate's domain) is one of the tenant's accepted domains.",
		fix: []step{
			{"Send from an address in an accepted domain (Get-AcceptedDomain | Format-Table DomainName,DomainType).", ""},
			{"Or add {from_domain} to the tenant: Microsoft 365 admin centre > Settings > Domains > Add domain.", ""},
		},
		docs: []string{docRelayRules, docAcceptedDomain, docAddDomain},
	},
	{
		id:    "connector-none",
		probe: true,
		title: "The tenant has no OnPremises inbound connector",
		cause: "Relaying to outside recipients through the tenant's MX needs an inbound connector of type OnPremises that recognises the site by its IPv4 address or its certificate; the tenant has none, so relayed mail gets 550 5.7.64.",
		fix: []step{
			{"Create one for this site, matched by its public IP address.", "New-InboundConnector -Name 'SMTP relay' -ConnectorType OnPremises -SenderDomains '*' -SenderIPAddresses {ps:public_ip}"},
			{"Or, matched by the certificate the sending server presents.", "New-InboundConnector -Name 'SMTP relay' -ConnectorType OnPremises -SenderDomains '*' -TlsSenderCertificateName {ps:cert_domain} -RequireTls $true"},
			{"exoprobe connector runs the pre-flight for it and prints the command with this site's values.", ""},
		},
		docs: []string{docNewInbound, docMFD},
	},
	{
		id:    "connector-ip-mismatch",
		probe: true,
		title: "No inbound connector lists the address Exchange Online sees ({echo_ip|public_ip})",
		cause: "An IP-based OnPremises connector matches a connection only when its SenderIPAddresses hold the public IPv4 address the mail comes from. The tenant's connectors list other addresses, so Exchange Online does not attribute this site's mail to the tenant and refuses to relay it (550 5.7.64).",
		fix: []step{
			{"Add the address to the connector the finding names.", "Set-InboundConnector -Identity '<connector name>' -SenderIPAddresses @{Add={psl:echo_ip|public_ip}}"},
			{"If the old address is no longer used, remove it.", "Set-InboundConnector -Identity '<connector name>' -SenderIPAddresses @{Remove='<old address>'}"},
			{"Connector changes can take a while to apply; run exoprobe relay again after a few minutes.", ""},
		},
		docs: []string{docSetInbound, docRelayDenied},
	},
	{
		id:    "connector-disabled",
		probe: true,
		title: "The connector that matches this site is disabled",
		cause: "An inbound connector lists this site's address or certificate, but it is turned off, so Exchange Online ignores it.",
		fix: []step{
			{"Turn it on.", "Set-InboundConnector -Identity '<connector name>' -Enabled $true"},
		},
		docs: []string{docSetInbound},
	},
	{
		id:    "connector-cert-mismatch",
		probe: true,
		title: "No inbound connector expects the certificate name {cert_domain}",
		cause: "A certificate-based OnPremises connector matches a connection only when the name on the sending server's certificate matches its TlsSenderCertificateName (a wildcard *.domain covers one label). No connector's name matches {cert_domain}, typically after a certificate renewal under a new name.",
		fix: []step{
			{"Make the connector expect the certificate's name.", "Set-InboundConnector -Identity '<connector name>' -TlsSenderCertificateName {ps:cert_domain}"},
			{"Or put the connector's name back on the certificate (its CN or a SAN), and send it with its intermediate certificates.", ""},
		},
		docs: []string{docSetInbound, docRelayRules},
	},
	{
		id:    "rejectdirectsend-on",
		probe: true,
		title: "RejectDirectSend is on: anonymous mail from the tenant's own domains is refused",
		cause: "With Set-OrganizationConfig -RejectDirectSend $true, Exchange Online rejects anonymous messages whose MAIL FROM domain is one of the tenant's accepted domains (550 5.7.68) unless a connector identifies the sender. Devices that send by Direct Send stop working; relaying through a connector and SMTP AUTH are not affected.",
		fix: []step{
			{"Give each device that sends by Direct Send a connector (exoprobe connector) or SMTP AUTH (exoprobe submit).", ""},
			{"Only if the organisation decides to allow Direct Send again.", "Set-OrganizationConfig -RejectDirectSend $false"},
		},
		docs: []string{docBlogDirectSend, docSetOrgConfig},
	},
	{
		id:    "smtpauth-mailbox-disabled",
		probe: true,
		title: "SMTP AUTH is disabled for {mailbox} explicitly",
		cause: "The mailbox's SmtpClientAuthenticationDisabled is $true: set on the mailbox itself, it overrides the tenant's setting, and Exchange Online refuses every SMTP AUTH sign-in as the mailbox (535 5.7.139), OAuth included.",
		fix: []step{
			{"Enable SMTP AUTH for this mailbox.", "Set-CASMailbox -Identity {ps:mailbox} -SmtpClientAuthenticationDisabled $false"},
			{"Microsoft 365 admin centre: Users > Active users > the user > Mail > Manage email apps > Authenticated SMTP.", ""},
		},
		docs: []string{docSMTPAuth, docSetCASMailbox},
	},
	{
		id:    "smtpauth-inherited-disabled",
		probe: true,
		title: "SMTP AUTH is off for {mailbox} because it inherits the tenant's setting",
		cause: "The mailbox's SmtpClientAuthenticationDisabled is $null, so it follows the tenant's Get-TransportConfig SmtpClientAuthenticationDisabled, which is $true. " +
			"Counting only mailboxes set to $false misses every mailbox in this state.",
		fix: []step{
			{"Enable SMTP AUTH for this mailbox alone (the tenant stays closed).", "Set-CASMailbox -Identity {ps:mailbox} -SmtpClientAuthenticationDisabled $false"},
		},
		docs: []string{docSMTPAuth, docSetCASMailbox},
	},
	{
		id:    "mailbox-not-found",
		probe: true,
		title: "Exchange Online has no mailbox {mailbox}",
		cause: "Get-CASMailbox found no mailbox with this address in the tenant: a typing error, an alias of another tenant, or a mailbox that does not exist yet.",
		fix: []step{
			{"Check the address.", "Get-Mailbox -Identity {ps:mailbox} | Format-List PrimarySmtpAddress,EmailAddresses"},
		},
		docs: []string{docSetCASMailbox},
	},
	{
		id:    "app-not-in-exchange",
		probe: true,
		title: "The app {app_id} is not registered in Exchange Online",
		cause: "To send as a mailbox with an app-only token, the app's service principal must be registered in Exchange Online (New-ServicePrincipal) and given rights on the mailbox; Get-ServicePrincipal lists no service principal for this app.",
		fix: []step{
			{"Find the object ID of the app's enterprise application (Entra admin centre > Enterprise applications > the app > Object ID), or in PowerShell with the Microsoft.Graph module.", "$appId = {ps:app_id}\n(Get-MgServicePrincipal -Filter \"appId eq '$appId'\").Id"},
			{"Register it.", "New-ServicePrincipal -AppId {ps:app_id} -ObjectId '<enterprise application object ID>'"},
			{"Then give it the mailbox.", "Add-MailboxPermission -Identity {ps:mailbox} -User '<enterprise application object ID>' -AccessRights FullAccess"},
		},
		docs: []string{docOAuth, docNewSP},
	},
	{
		id:    "app-no-mailbox-rights",
		probe: true,
		title: "The app {app_id} has no rights on {mailbox}",
		cause: "The app is registered in Exchange Online, but its service principal has neither FullAccess nor SendAs on the mailbox, so Exchange Online does not let it send as the mailbox.",
		fix: []step{
			{"Give it FullAccess, as Microsoft's OAuth guide does.", "Add-MailboxPermission -Identity {ps:mailbox} -User (Get-ServicePrincipal | Where-Object AppId -eq {ps:app_id}).Identity -AccessRights FullAccess"},
			{"Or SendAs only.", "Add-RecipientPermission -Identity {ps:mailbox} -Trustee (Get-ServicePrincipal | Where-Object AppId -eq {ps:app_id}).Identity -AccessRights SendAs -Confirm:$false"},
		},
		docs: []string{docOAuth, docAddMailboxPerm, docRecipientPerm},
	},
	{
		id:    "app-not-found",
		probe: true,
		title: "The tenant has no app registration {app_id}",
		cause: "Microsoft Graph found no application with this application (client) ID in the tenant: the ID is wrong, or the app is registered in another tenant.",
		fix: []step{
			{"Check the ID: Entra admin centre > App registrations > All applications > the app > Overview > Application (client) ID.", ""},
		},
		docs: []string{docGraphApplication},
	},
	{
		id:    "app-no-service-principal",
		probe: true,
		title: "The app {app_id} has no service principal in the tenant",
		cause: "An app's permissions are granted to its service principal (enterprise application), which admin consent creates. The app has none in this tenant, so it holds no permission at all.",
		fix: []step{
			{"Grant admin consent: App registrations > {app_id} > API permissions > Grant admin consent; or create the service principal in PowerShell with the Microsoft.Graph module.", "New-MgServicePrincipal -AppId {ps:app_id}"},
		},
		docs: []string{docAdminConsent},
	},
	{
		id:    "app-no-smtp-role",
		probe: true,
		title: "The app {app_id} does not hold SMTP.SendAsApp with admin consent",
		cause: "An app signs in to SMTP AUTH with a client-credentials token only when it holds the application permission Office 365 Exchange Online > SMTP.SendAsApp with admin consent; its service principal has no such app role assignment, so its tokens carry no role and AUTH XOAUTH2 gets 535 5.7.3.",
		fix: []step{
			{"Add it: App registrations > {app_id} > API permissions > Add a permission > APIs my organization uses > Office 365 Exchange Online > Application permissions > SMTP.SendAsApp, then Grant admin consent.", ""},
			{"Or in PowerShell with the Microsoft.Graph module.", "$appId = {ps:app_id}\n$sp = Get-MgServicePrincipal -Filter \"appId eq '$appId'\"\n$exo = Get-MgServicePrincipal -Filter \"appId eq '00000002-0000-0ff1-ce00-000000000000'\"\nNew-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -PrincipalId $sp.Id -ResourceId $exo.Id -AppRoleId ($exo.AppRoles | Where-Object Value -eq 'SMTP.SendAsApp').Id"},
		},
		docs: []string{docOAuth, docAppRoleAssign, docAdminConsent},
	},
	{
		id:    "entra-secret-expired",
		probe: true,
		title: "A client secret of the app {app_id} has expired",
		cause: "Entra ID refuses sign-ins with an expired client secret (AADSTS7000222); an application still configured with it cannot get a token, and mail stops.",
		fix: []step{
			{"Create a new secret: App registrations > {app_id} > Certificates & secrets > Client secrets > New client secret; give its Value to the application, then delete the expired one.", ""},
			{"Better, switch the application to a certificate credential, which lasts longer and is not a shared password.", ""},
		},
		docs: []string{docAddCredentials, docCertCreds},
	},
	{
		id:    "entra-secret-expiring",
		probe: true,
		title: "A client secret of the app {app_id} expires within 30 days",
		cause: "When the secret expires Entra ID refuses the application's sign-in (AADSTS7000222) and mail stops. An app can hold several secrets at once, so its successor can be created and rolled out before then.",
		fix: []step{
			{"Create the successor now: App registrations > {app_id} > Certificates & secrets > Client secrets > New client secret; give its Value to the application, test it (exoprobe submit), then delete the old secret.", ""},
		},
		docs: []string{docAddCredentials},
	},
	{
		id:    "entra-cert-expired",
		probe: true,
		title: "A certificate of the app {app_id} has expired",
		cause: "Entra ID refuses client assertions signed with a certificate whose registered credential has ended; an application still using it cannot get a token.",
		fix: []step{
			{"Upload a new certificate: App registrations > {app_id} > Certificates & secrets > Certificates > Upload certificate; install it with its key where the application runs, then remove the expired one.", ""},
		},
		docs: []string{docCertCreds, docAddCredentials},
	},
	{
		id:    "entra-cert-expiring",
		probe: true,
		title: "A certificate of the app {app_id} expires within 30 days",
		cause: "When the certificate credential ends Entra ID refuses the application's sign-in and mail stops. An app can hold several certificates at once.",
		fix: []step{
			{"Upload the successor now: App registrations > {app_id} > Certificates & secrets > Certificates > Upload certificate; switch the application to it, then remove the old one.", ""},
		},
		docs: []string{docCertCreds, docAddCredentials},
	},
}

// Documents only the certificate entries cite.
const (
	// docBlogRelay is the Exchange Team's announcement of the November 2023 relay requirements.
	docBlogRelay = "https://techcommunity.microsoft.com/blog/exchange/updated-requirements-for-smtp-relay-through-exchange-online/3851357"
	// docQARelayCert is Microsoft support's guide to those requirements, with the certificate
	// and wildcard questions answered.
	docQARelayCert = "https://learn.microsoft.com/en-us/answers/a/11582569"
)

// Documents only the submit entries cite.
const (
	docAccessTokens   = "https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens"
	docAddCredentials = "https://learn.microsoft.com/en-us/entra/identity-platform/how-to-add-credentials"
	docSelfSignedCert = "https://learn.microsoft.com/en-us/entra/identity-platform/howto-create-self-signed-certificate"
	docReadHost       = "https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.utility/read-host"
	docPSReadLine     = "https://learn.microsoft.com/en-us/powershell/module/psreadline/about/about_psreadline"
	// docBlogBasicAuthRetire is the Exchange Team's first announcement (April 2024) of the end of
	// basic authentication for client submission: the 550 5.7.30 reply and the SMTP AUTH report.
	docBlogBasicAuthRetire = "https://techcommunity.microsoft.com/blog/exchange/exchange-online-to-retire-basic-auth-for-client-submission-smtp-auth/4114750"
)
