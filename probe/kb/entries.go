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
	fix          []string
	docs         []string
}

// entries is the knowledge base. Ids are stable: reports and tests refer to them. The ids of the
// probe's own observations are the finding codes the checks use.
var entries = []entry{
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
		fix: []string{
			"Find the IP address Exchange Online sees: it is the [address] in the server's EHLO reply (250-... Hello [{echo_ip|public_ip}]). An IP-based connector must list exactly this IPv4 address; IPv6 addresses never match a connector.",
			"List the connectors (Exchange Online PowerShell): Get-InboundConnector | Format-List Name,ConnectorType,Enabled,SenderIPAddresses,TlsSenderCertificateName",
			"Add the address to the OnPremises connector: Set-InboundConnector -Identity '<connector name>' -SenderIPAddresses @{Add={psl:echo_ip|public_ip}} — or, if there is none, create one: New-InboundConnector -Name 'SMTP relay' -ConnectorType OnPremises -SenderDomains '*' -SenderIPAddresses {psl:echo_ip|public_ip} (Exchange admin centre > Mail flow > Connectors > Add a connector: from 'Your organization's email server' to 'Office 365').",
			"Make the MAIL FROM address an address in an accepted domain: {from} must end in a domain listed by Get-AcceptedDomain. If it cannot, use a certificate-based connector whose certificate names an accepted domain.",
			"Certificate-based connector: the certificate's CN or SAN must match the connector: Set-InboundConnector -Identity '<connector name>' -TlsSenderCertificateName {ps:cert_domain}; the sending server must present the whole chain (its certificate plus the intermediate CA certificates); a missing intermediate gives this same error.",
			"Connector changes can take a while to apply; run the check again after a few minutes.",
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
		fix: []string{
			"Check the setting (Exchange Online PowerShell): Get-OrganizationConfig | Format-List RejectDirectSend",
			"Let the sender be identified instead of sending anonymously as your own domain: create an inbound connector that recognises it by its IP address ({echo_ip|public_ip}) or by its certificate (Exchange admin centre > Mail flow > Connectors), or send with SMTP AUTH through smtp.office365.com (exoprobe submit).",
			"Only if the organisation decides to accept Direct Send again: Set-OrganizationConfig -RejectDirectSend $false (Microsoft says the change can take up to 30 minutes).",
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
		fix: []string{
			"Deliver to the host that {to_domain}'s MX record names, not straight to its *.mail.protection.outlook.com host when the MX points elsewhere.",
			"If the recipient tenant is yours, find the restricted connector: Get-InboundConnector | Where-Object {$_.RestrictDomainsToIPAddresses -or $_.RestrictDomainsToCertificate} | Format-List Name,SenderDomains,SenderIPAddresses,TlsSenderCertificateName",
			"Then add this sender's address to it: Set-InboundConnector -Identity '<connector name>' -SenderIPAddresses @{Add={psl:echo_ip|public_ip}} — or, for an Exchange hybrid server, make the certificate named in the on-premises send connector's TlsCertificateName match the connector's TlsSenderCertificateName.",
		},
		docs: []string{docBlogHybridTLS, docSetInbound, docConnectors},
	},
	{
		id:    "relay-not-accepted-domain",
		codes: []string{"5.7.54"},
		title: "The server refused to relay to a domain it does not host (5.7.54 Unable to relay recipient in non-accepted domain)",
		cause: "Exchange answers with this text when an unauthenticated session asks it to deliver to a recipient domain ({to_domain}) that is not one of its accepted domains, " +
			"and nothing allows this client to relay. The server that answered ({host}) does not treat this client as allowed to relay.",
		fix: []string{
			"If the server is an on-premises Exchange server: relaying for applications and devices needs a dedicated receive connector that allows anonymous relay from the sender's IP address (Microsoft: Allow anonymous relay on Exchange servers).",
			"To relay through Exchange Online instead: send to your tenant's MX host ({mx_host}) on port 25 with an OnPremises inbound connector for {echo_ip|public_ip} (exoprobe relay checks it), or send with SMTP AUTH through smtp.office365.com.",
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
		fix: []string{
			"If the device or application cannot sign in, it must not use smtp.office365.com: send to your tenant's MX host ({mx_host}) on port 25 instead (Direct Send for internal recipients, or relay through an inbound connector).",
			"Otherwise enter the mailbox's credentials (or OAuth settings) in the application, with STARTTLS and TLS 1.2 turned on.",
			"Check that SMTP AUTH is allowed (Exchange Online PowerShell): Get-CASMailbox -Identity {ps:mailbox|from} | Format-List SmtpClientAuthenticationDisabled ; Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled",
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
		fix: []string{
			"Rule out compromise first: Microsoft Defender portal > Email & collaboration > Review > Restricted entities, and the tenant's connectors (Exchange admin centre > Mail flow > Connectors) for ones nobody created.",
			"During a trial subscription: contact Microsoft Support (Microsoft 365 admin centre > Support) to request an IP address exception until Exchange Online licences are assigned.",
			"Once any compromise or open relay is fixed, contact Microsoft Support to have the block removed.",
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
		fix: []string{
			"Find and stop the source: compromised accounts, unknown inbound connectors (Get-InboundConnector), open relays on premises.",
			"After the cause is fixed, contact Microsoft Support to have the block removed.",
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
		fix: []string{
			"List the accepted domains: Get-AcceptedDomain | Format-Table DomainName,DomainType — and add and verify every domain you send from: Microsoft 365 admin centre > Settings > Domains > Add domain.",
			"Look for connectors nobody created and for compromised accounts (attackers add inbound connectors to send spam).",
			"After the cause is fixed, contact Microsoft Support to have the block removed.",
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
		fix: []string{
			"Make sure the address no longer sends spam (compromised account, infected host, open relay), or it will be listed again.",
			"Request removal at https://sender.office.com: enter your email address and the IP address from the bounce ({echo_ip|public_ip}), confirm the message Microsoft sends, then choose Delist IP.",
			"Allow up to 24 hours after the request for the delisting to take effect.",
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
		fix: []string{
			"Look the address ({echo_ip|public_ip}) up at https://check.spamhaus.org/ and follow the removal procedure of the list that names it.",
			"If the address belongs to a dynamic or consumer range, do not deliver from it directly: send with SMTP AUTH through smtp.office365.com (port 587) or through a relay with a static address.",
			"Fix the cause (infected host, open relay) before asking for removal.",
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
		fix: []string{
			"Look the domain up at https://check.spamhaus.org/ and follow Spamhaus' removal procedure.",
			"For a listed HELO name: make the sending server introduce itself with a name of your own that resolves in DNS (exoprobe: --helo).",
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
		fix: []string{
			"Treat the account as compromised: reset its password, check its inbox rules and delegates, and scan the device or application host.",
			"Release it: Microsoft Defender portal > Email & collaboration > Review > Restricted entities > select the user > Release; or Exchange Online PowerShell: Remove-BlockedSenderAddress -SenderAddress {ps:mailbox|from}",
			"The account can send again within a few hours of the release.",
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
		fix: []string{
			"Let the sender keep the message queued and retry; a sender with no queue (a scanner, a script) should retry later.",
			"If this is your own outbound mail relayed through Exchange Online, set up an inbound connector from your mail server so the traffic is attributed to your tenant (exoprobe relay checks it).",
			"Do not send more than test messages from the initial onmicrosoft.com domain: its mail is limited; add your own domain.",
		},
		docs: []string{docFix451, docConnectors},
	},
	{
		id:          "recipient-rejected-dbeb",
		codes:       []string{"5.4.1"},
		patterns:    []string{"recipient address rejected"},
		needPattern: true,
		title:       "The recipient address does not exist in that Exchange Online tenant (5.4.1 Recipient address rejected: Access denied)",
		cause: "Directory-Based Edge Blocking (DBEB) in the recipient's tenant rejected {to}: Exchange Online knows no recipient with that address " +
			"(a typo, a deleted mailbox, or in a hybrid organisation an on-premises recipient that is not synchronised).",
		fix: []string{
			"Check the spelling of {to}, and whether every address in {to_domain} fails or only this one.",
			"If all of {to_domain} fails and the tenant is yours: Exchange admin centre > Mail flow > Accepted domains > {to_domain}: switch the type from Authoritative to Internal relay and back to Authoritative to resynchronise it.",
			"Hybrid: make sure the recipient is synchronised to Entra ID; after a change allow up to 24 hours for DBEB to update. While recipients are still being migrated, keep the domain on Internal relay.",
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
		fix: []string{
			"Use the tenant's MX host as smart host ({mx_host}; Microsoft 365 admin centre > Settings > Domains > {domain} > DNS records), never an IP address and never the legacy names.",
			"On an on-premises Exchange server, check the smart host of the send connector that routes mail to Office 365.",
			"When relaying to external recipients, the OnPremises inbound connector must match the sending IP ({echo_ip|public_ip}) or certificate.",
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
		fix: []string{
			"Update the device firmware or the application (and the operating system it runs on) so that it uses TLS 1.2.",
			"Only as a stopgap: Microsoft offers the opt-in endpoint smtp-legacy.office365.com, which needs Set-TransportConfig -AllowLegacyTLSClients $true and is not available in GCC, GCC High or DoD.",
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
		fix: []string{
			"Password: sign in to Outlook on the web with the same user name ({mailbox|from}) and password, and send a test message, to rule out a wrong password or a blocked account.",
			"OAuth: check the token (exoprobe submit decodes it): aud must be https://outlook.office365.com and roles must contain SMTP.SendAsApp.",
			"OAuth: register the app in Exchange and give it the mailbox: New-ServicePrincipal -AppId {ps:app_id} -ObjectId '<enterprise application object ID>' ; Add-MailboxPermission -Identity {ps:mailbox|from} -User '<service principal ID>' -AccessRights FullAccess",
		},
		docs: []string{docOAuth, docPrinters, docSMTPAuth},
	},
	{
		id:          "auth-xoauth2-rejected",
		codes:       []string{"5.7.3"},
		patterns:    []string{"auth xoauth2"}, // the command; "250-AUTH LOGIN XOAUTH2" only offers it
		needPattern: true,
		textScope:   true,
		title:       "Exchange Online rejected the OAuth token for this mailbox (535 5.7.3 after AUTH XOAUTH2)",
		cause: "Entra ID issued a token, but Exchange Online does not accept it for {mailbox|from}. For an app-only token (client credentials) Microsoft requires: " +
			"the application registered in Exchange with New-ServicePrincipal using the object ID of its Enterprise Application (not the object ID of the App registration); " +
			"a mailbox permission for that service principal (Add-MailboxPermission); a token requested for https://outlook.office365.com/.default that holds the SMTP.SendAsApp role; " +
			"and SMTP AUTH enabled for the mailbox. Each change also takes time to apply.",
		fix: []string{
			"Connect-ExchangeOnline -Organization {ps:tenant} ; Get-ServicePrincipal | Format-List DisplayName,AppId,ObjectId,Identity",
			"If app {app_id} is not listed: Entra admin centre > Entra ID > Enterprise applications > search {app_id} > Overview > copy its Object ID, then New-ServicePrincipal -AppId {ps:app_id} -ObjectId '<enterprise application object ID>'",
			"Give it the mailbox: Add-MailboxPermission -Identity {ps:mailbox|from} -User '<service principal ID from Get-ServicePrincipal>' -AccessRights FullAccess",
			"Check the permission: Entra admin centre > App registrations > {app_id} > API permissions must list Office 365 Exchange Online > SMTP.SendAsApp (type Application) with admin consent granted.",
			"SMTP AUTH must be allowed even with OAuth: Set-CASMailbox -Identity {ps:mailbox|from} -SmtpClientAuthenticationDisabled $false",
			"Wait for the changes to apply (commonly 15–30 minutes) and request a new token before testing again.",
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
		fix: []string{
			"Preferred: allow SMTP AUTH only for the mailbox that sends: Set-CASMailbox -Identity {ps:mailbox|from} -SmtpClientAuthenticationDisabled $false (Microsoft 365 admin centre > Users > Active users > {mailbox|from} > Mail > Manage email apps > Authenticated SMTP).",
			"Or organisation-wide: Set-TransportConfig -SmtpClientAuthenticationDisabled $false (Exchange admin centre > Settings > Mail flow > clear 'Turn off SMTP AUTH protocol for your organization').",
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
		fix: []string{
			"Set-CASMailbox -Identity {ps:mailbox|from} -SmtpClientAuthenticationDisabled $false — or Microsoft 365 admin centre > Users > Active users > {mailbox|from} > Mail > Manage email apps > tick Authenticated SMTP.",
			"Check: Get-CASMailbox -Identity {ps:mailbox|from} | Format-List SmtpClientAuthenticationDisabled",
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
		fix: []string{
			"Switch the application to OAuth (an Entra app with SMTP.SendAsApp; exoprobe submit --auth oauth), which security defaults do not block.",
			"Or, if the organisation replaces security defaults with Conditional Access policies: Entra admin centre > Entra ID > Overview > Properties > Manage security defaults > Disabled.",
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
		fix: []string{
			"Use OAuth instead of a password (exoprobe submit --auth oauth).",
			"Check the authentication policy: Get-AuthenticationPolicy | Format-List Name,AllowBasicAuthSmtp ; Get-User -Identity {ps:mailbox|from} | Format-List AuthenticationPolicy",
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
		fix: []string{
			"Entra admin centre > Entra ID > Monitoring & health > Sign-in logs: filter on {mailbox|from}, open the failed sign-in and read its failure reason and its Conditional Access tab.",
			"Check the authentication policy: Get-AuthenticationPolicy | Format-List Name,AllowBasicAuthSmtp ; Get-User -Identity {ps:mailbox|from} | Format-List AuthenticationPolicy",
			"Prefer OAuth (exoprobe submit --auth oauth) over a password.",
		},
		docs: []string{docSMTPAuth, docCATroubleshoot},
	},
	{
		id:    "smtp-auth-blocked",
		codes: []string{"5.7.139"},
		title: "Exchange Online refused SMTP AUTH for this account (5.7.139)",
		cause: "5.7.139 means Exchange Online will not let this account authenticate over SMTP. The text after the code says why: SMTP AUTH disabled for the tenant or the mailbox, " +
			"security defaults, basic authentication disabled, another policy, or the state of the account itself (texts such as 'account locked' or 'account has an issue').",
		fix: []string{
			"Check SMTP AUTH: Get-CASMailbox -Identity {ps:mailbox|from} | Format-List SmtpClientAuthenticationDisabled ; Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled",
			"Entra admin centre > Entra ID > Monitoring & health > Sign-in logs: find the failed sign-in of {mailbox|from} and its failure reason.",
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
		fix: []string{
			"Move the application to OAuth (an Entra app with the SMTP.SendAsApp permission; exoprobe submit --auth oauth --tenant {tenant} --client-id {app_id}).",
			"If the application cannot do OAuth: relay through an inbound connector (exoprobe relay) or use High Volume Email for internal recipients.",
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
		fix: []string{
			"Make the application send from the same address it signs in with.",
			"Or grant Send As: Add-RecipientPermission -Identity {ps:from} -Trustee {ps:mailbox} -AccessRights SendAs (for an OAuth application the trustee is its service principal).",
			"An application that must send as many different addresses should relay through an inbound connector instead (exoprobe relay).",
		},
		docs: []string{docPrinters, docRecipientPerm, docOAuth},
	},
	{
		id:       "hve-external-recipient",
		codes:    []string{"5.5.105"},
		patterns: []string{"high volume email"},
		title:    "A High Volume Email account tried to send to an outside recipient (5.5.105)",
		cause:    "High Volume Email (smtp-hve.office365.com) is built for mail to recipients inside the organisation; the reply says external sending is not supported for HVE accounts.",
		fix: []string{
			"Send mail for outside recipients ({to}) from a regular mailbox (SMTP AUTH or an inbound connector) or with Azure Communication Services Email.",
		},
		docs: []string{docHVE},
	},

	// ---- Entra ID token errors (AADSTS) ----------------------------------------------------------
	{
		id:     "aadsts-invalid-secret",
		aadsts: []string{"7000215"},
		title:  "The client secret is wrong (AADSTS7000215 Invalid client secret provided)",
		cause: "Entra ID does not recognise the client secret sent for application {app_id}. Microsoft's text for this error points at the usual mistake: the secret's ID was " +
			"copied instead of its value; or the secret belongs to another application.",
		fix: []string{
			"Entra admin centre > Entra ID > App registrations > {app_id} > Certificates & secrets > Client secrets > New client secret; copy the Value column at once (it is shown only once), not the Secret ID.",
			"Give the new value to the application (for exoprobe: the environment variable EXOPROBE_CLIENT_SECRET).",
		},
		docs: []string{docEntraErrors},
	},
	{
		id:     "aadsts-expired-secret",
		aadsts: []string{"7000222"},
		title:  "The client secret has expired (AADSTS7000222)",
		cause:  "Every client secret of application {app_id} that was sent has passed its expiry date. Secrets are created with a limited lifetime.",
		fix: []string{
			"Entra admin centre > Entra ID > App registrations > {app_id} > Certificates & secrets > Client secrets: check the Expires column, add a New client secret and copy its Value.",
			"Put the new value in the application and note the new expiry date; Microsoft suggests certificate credentials instead of secrets.",
		},
		docs: []string{docEntraErrors, docCertCreds},
	},
	{
		id:     "aadsts-app-not-found",
		aadsts: []string{"700016"},
		title:  "The application does not exist in this tenant (AADSTS700016)",
		cause: "Entra ID found no application with client ID {app_id} in tenant {tenant}: the client ID is wrong, the request went to another tenant, " +
			"or the application was deleted or never consented to in this tenant.",
		fix: []string{
			"Entra admin centre > Entra ID > App registrations > All applications: search for {app_id}; its Overview page shows the Application (client) ID and the Directory (tenant) ID to use.",
			"Compare that Directory (tenant) ID with the tenant the application asks ({tenant}).",
		},
		docs: []string{docEntraErrors},
	},
	{
		id:     "aadsts-tenant-not-found",
		aadsts: []string{"90002"},
		title:  "The tenant was not found (AADSTS90002)",
		cause: "Entra ID has no tenant {tenant}: the tenant ID or domain is mistyped, or the request went to the wrong cloud (a GCC High, DoD or 21Vianet tenant " +
			"is not known to the global sign-in service, and the other way round).",
		fix: []string{
			"Entra admin centre > Entra ID > Overview: copy the Tenant ID and use it.",
			"For a sovereign cloud tenant choose the matching cloud (exoprobe: --cloud gcc-high, dod or china).",
		},
		docs: []string{docEntraErrors},
	},
	{
		id:     "aadsts-invalid-tenant",
		aadsts: []string{"900023"},
		title:  "The tenant identifier is not valid (AADSTS900023)",
		cause:  "The tenant given ({tenant}) is neither a tenant ID (GUID) nor a valid domain name, so Entra ID cannot even look it up.",
		fix: []string{
			"Use the Tenant ID from Entra admin centre > Entra ID > Overview, or a verified domain of the tenant such as {domain}.",
		},
		docs: []string{docEntraErrors},
	},
	{
		id:     "aadsts-resource-not-found",
		aadsts: []string{"500011"},
		title:  "The requested resource does not exist in this tenant (AADSTS500011)",
		cause: "Entra ID found no service principal for the resource of the requested scope in tenant {tenant}. For SMTP the scope must be https://outlook.office365.com/.default; " +
			"this error means the scope is wrong, the request went to the wrong tenant, or the tenant has no Exchange Online.",
		fix: []string{
			"Request the scope https://outlook.office365.com/.default (for sovereign clouds the cloud's own Exchange Online host).",
			"Check the tenant: Entra admin centre > Entra ID > Enterprise applications, filter Application type = Microsoft Applications: 'Office 365 Exchange Online' must be listed.",
		},
		docs: []string{docEntraErrors, docOAuth},
	},
	{
		id:     "aadsts-consent-missing",
		aadsts: []string{"65001"},
		title:  "Consent for the application is missing (AADSTS65001)",
		cause:  "Neither the user nor an administrator has consented to application {app_id} using the requested permission.",
		fix: []string{
			"Entra admin centre > Entra ID > App registrations > {app_id} > API permissions > Add a permission > APIs my organization uses > Office 365 Exchange Online > Application permissions > SMTP.SendAsApp.",
			"Then Grant admin consent for the tenant on the same page (needs an administrator role that may consent).",
		},
		docs: []string{docAdminConsent, docOAuth},
	},
	{
		id:     "aadsts-conditional-access",
		aadsts: []string{"53003"},
		title:  "A Conditional Access policy blocked the token (AADSTS53003)",
		cause:  "Entra ID evaluated Conditional Access for this sign-in and a policy does not allow a token to be issued, for example a policy for workload identities that blocks this application or this location.",
		fix: []string{
			"Entra admin centre > Entra ID > Monitoring & health > Sign-in logs > Service principal sign-ins: filter on application {app_id}, open the failure and read the Conditional Access tab to see which policy applied.",
			"Adjust that policy (Entra ID > Conditional Access > Policies) or send from a location the policy allows.",
		},
		docs: []string{docCATroubleshoot, docEntraErrors},
	},
	{
		id:     "aadsts-security-defaults",
		aadsts: []string{"530035"},
		title:  "Security defaults blocked the sign-in (AADSTS530035)",
		cause:  "Microsoft documents this as access blocked by security defaults: the request used legacy authentication or was deemed unsafe.",
		fix: []string{
			"For an unattended application use the client-credentials flow of an app registration (exoprobe submit --auth oauth) rather than a user's sign-in.",
			"Review the security defaults: Entra admin centre > Entra ID > Overview > Properties > Manage security defaults.",
		},
		docs: []string{docSecDefaults, docEntraErrors},
	},
	{
		id:     "aadsts-bad-assertion",
		aadsts: []string{"700027"},
		title:  "Entra ID rejected the certificate credential (AADSTS700027 client assertion failed signature validation)",
		cause: "The application signed its request with a certificate whose key Entra ID does not know for application {app_id}: the certificate was never uploaded to " +
			"the app registration, was replaced, or the private key used does not belong to it. The error text names the thumbprint Entra ID looked for.",
		fix: []string{
			"Entra admin centre > Entra ID > App registrations > {app_id} > Certificates & secrets > Certificates: compare the thumbprint with the certificate the application uses, and upload the public certificate (.cer) if it is missing.",
			"Make sure the private key belongs to that certificate (exoprobe cert checks it).",
		},
		docs: []string{docCertCreds, docEntraErrors},
	},
	{
		id:     "aadsts-clock-skew",
		aadsts: []string{"700024"},
		title:  "The client assertion is outside its valid time range (AADSTS700024)",
		cause: "Entra ID says the signed client assertion is not within its valid time range. The client library signs it with validity times taken from this computer's clock " +
			"(MSAL: valid for 10 minutes from now), so a clock that is wrong by minutes produces this error; so does an assertion reused after it expired.",
		fix: []string{
			"Correct this computer's clock and time zone: Windows: w32tm /resync ; Linux: timedatectl status (NTP synchronised: yes).",
			"Request a new token rather than reusing an old assertion.",
		},
		docs: []string{docCertCreds, docEntraErrors},
	},
	{
		id:     "aadsts-app-disabled",
		aadsts: []string{"7000112"},
		title:  "The application is disabled (AADSTS7000112)",
		cause:  "The service principal of application {app_id} is disabled in tenant {tenant}, by an administrator or by Microsoft.",
		fix: []string{
			"Entra admin centre > Entra ID > Enterprise applications > {app_id} > Properties: set 'Enabled for users to sign in?' to Yes.",
			"If the properties say the application was disabled by Microsoft, it cannot be re-enabled there: contact Microsoft Support or register a new application.",
		},
		docs: []string{docEntraErrors},
	},

	// ---- The probe's own observations (ids are the finding codes) --------------------------------
	{
		id:    "port-filtered",
		probe: true,
		title: "Outbound TCP {port} to {host} gets no answer: a firewall or the provider drops it",
		cause: "The connection attempt timed out: nothing answered, not even with a refusal. A firewall on this network, the internet provider or the cloud platform silently " +
			"drops outbound TCP {port}. Many consumer providers and cloud platforms block outbound port 25; when port 443 to the same host works, it is a port-specific block.",
		fix: []string{
			"Allow outbound TCP {port} from this machine ({public_ip}) to Exchange Online on the firewall (Microsoft publishes the addresses: Microsoft 365 URLs and IP address ranges, Exchange Online).",
			"Ask the internet or hosting provider whether it blocks outbound port 25.",
			"If port 25 cannot be opened, use SMTP client submission instead: smtp.office365.com on port 587 with OAuth (exoprobe submit).",
		},
		docs: []string{docM365URLs, docPrinters, docMFD},
	},
	{
		id:    "port-refused",
		probe: true,
		title: "The connection to {host}:{port} was refused",
		cause: "Something answered the connection attempt with a refusal (TCP reset). Exchange Online listens on ports 25 and 587, so the refusal usually comes from a firewall, " +
			"a proxy or security software on the way, or from a host that is not Exchange Online.",
		fix: []string{
			"Check that {host} is the Exchange Online endpoint (your MX host {mx_host} for port 25, smtp.office365.com for 587).",
			"Check the local firewall and security software on this machine, and the network firewall, for rules that reject outbound TCP {port}.",
		},
		docs: []string{docPrinters, docM365URLs},
	},
	{
		id:    "port-unreachable",
		probe: true,
		title: "No route to {host}:{port}",
		cause: "The network reported that the address cannot be reached: this machine has no route to it (no internet access, a wrong gateway, or an address family such as IPv6 that this network does not carry).",
		fix: []string{
			"Check this machine's network connection, default gateway and proxy settings.",
			"If only IPv6 fails, the network has no IPv6 route; relay through a connector uses IPv4 anyway.",
		},
		docs: []string{docM365URLs},
	},
	{
		id:    "host-not-found",
		probe: true,
		title: "The host name {host} does not resolve",
		cause: "DNS has no address for {host}: the name is mistyped, or this machine's DNS servers cannot resolve it.",
		fix: []string{
			"Check the name: for relay and Direct Send it is the MX host of your domain (Microsoft 365 admin centre > Settings > Domains > {domain} > DNS records); for client submission smtp.office365.com.",
			"Check this machine's DNS servers (nslookup {host}).",
		},
		docs: []string{docMFD},
	},
	{
		id:    "banner-timeout",
		probe: true,
		title: "Connected to {host}:{port}, but the server said nothing",
		cause: "The TCP connection opened but no SMTP greeting arrived in time. Exchange Online greets at once, so something between this machine and Exchange Online holds the connection: " +
			"typically antivirus mail scanning (a mail shield) or a firewall's SMTP proxy or inspection.",
		fix: []string{
			"Turn off the SMTP/mail scanning of the security product on this machine, or add an exclusion for {host}, and test again.",
			"Check the firewall for SMTP proxy or inspection features on TCP {port}.",
			"Test from another network to see whether the block follows the machine or the network.",
		},
		docs: []string{docPrinters},
	},
	{
		id:    "banner-masked",
		probe: true,
		title: "The SMTP greeting was masked by a firewall (220 ****)",
		cause: "The greeting arrived with its text replaced by asterisks. This is what Cisco ASA/PIX ESMTP inspection does with its default setting mask-banner; " +
			"the same inspection usually also removes STARTTLS.",
		fix: []string{
			"On the Cisco ASA, turn the ESMTP inspection off for this traffic (policy-map global_policy > class inspection_default > no inspect esmtp) or change its policy map (no mask-banner, allow-tls).",
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
		fix: []string{
			"On the Cisco ASA, allow TLS in the ESMTP inspection policy map (policy-map type inspect esmtp <map> > parameters > allow-tls) or turn the inspection off for this traffic (policy-map global_policy > class inspection_default > no inspect esmtp).",
		},
		docs: []string{docCiscoESMTP},
	},
	{
		id:    "starttls-missing",
		probe: true,
		title: "The server did not offer STARTTLS",
		cause: "Exchange Online always offers STARTTLS on ports 25 and 587. A server that does not is either not Exchange Online, or something in between " +
			"(a firewall, proxy or antivirus product) removed it from the reply.",
		fix: []string{
			"Check that {host} is the Exchange Online endpoint.",
			"Check firewalls and security software for SMTP inspection or mail scanning on TCP {port}.",
		},
		docs: []string{docPrinters},
	},
	{
		id:    "tls-intercepted",
		probe: true,
		title: "The TLS session is intercepted by security software or a firewall",
		cause: "The certificate presented after STARTTLS was issued by a product that inspects encrypted traffic (an antivirus mail shield or a firewall's deep inspection), " +
			"not by the certificate authority Exchange Online uses. The product ends the TLS session itself and opens its own to Exchange Online, so a client certificate " +
			"never reaches Exchange Online and the connection is not what the application thinks it is.",
		fix: []string{
			"Turn off the product's SMTP/mail scanning (or TLS inspection for mail), or add an exclusion for {host} on TCP {port}.",
			"On a firewall with SSL/TLS deep inspection, exempt the Exchange Online endpoints.",
		},
		docs: []string{docM365URLs},
	},
	{
		id:    "tls-verify-failed",
		probe: true,
		title: "The server's certificate could not be verified",
		cause: "The certificate the server presented after STARTTLS does not verify: it does not chain to a trusted root, does not name the host that was dialled, " +
			"or has expired. With Exchange Online this points to interception, to a connection made by IP address instead of by name, or to an outdated root certificate store.",
		fix: []string{
			"Connect by name: the MX host {mx_host} (port 25) or smtp.office365.com (port 587), never an IP address.",
			"Check who issued the certificate: if it is not a public certificate authority, security software or a firewall intercepts the session.",
			"Update the operating system's root certificates.",
		},
		docs: []string{docMFD},
	},
	{
		id:    "tls-handshake-failed",
		probe: true,
		title: "The TLS handshake with {host} failed",
		cause: "STARTTLS was accepted but the TLS handshake did not complete. Exchange Online requires TLS 1.2 or later for client submission; " +
			"a handshake can also fail because something on the way interferes with the session.",
		fix: []string{
			"Make sure the sending software supports TLS 1.2 or later.",
			"Check firewalls and security software for SMTP or TLS inspection.",
		},
		docs: []string{docLegacyTLS},
	},
	{
		id:    "ip-mismatch",
		probe: true,
		title: "Exchange Online sees this site as {echo_ip|public_ip}, which the connector does not list",
		cause: "An IP-based inbound connector matches only the IPv4 address Exchange Online sees on the connection. This site reaches Exchange Online as {echo_ip|public_ip}, " +
			"but the connector lists {expect_ip}. Mail relayed from here is refused with 5.7.64 TenantAttribution.",
		fix: []string{
			"Add the address to the OnPremises connector: Set-InboundConnector -Identity '<connector name>' -SenderIPAddresses @{Add={psl:echo_ip|public_ip}}",
			"Check: Get-InboundConnector | Format-List Name,ConnectorType,SenderIPAddresses",
			"If the address changes (dynamic IP), ask the provider for a static address or use a certificate-based connector.",
		},
		docs: []string{docSetInbound, docRelayDenied},
	},
	{
		id:    "egress-ip-differs",
		probe: true,
		title: "Exchange Online sees a different address ({echo_ip}) than this site's detected public IP ({public_ip})",
		cause: "The address in Exchange Online's EHLO reply is not the public address the detection services saw. The site leaves the internet through more than one address " +
			"(several NAT rules or lines, a proxy for port 25). A connector must list the address Exchange Online sees.",
		fix: []string{
			"Use the address Exchange Online sees on the connector: Set-InboundConnector -Identity '<connector name>' -SenderIPAddresses @{Add={psl:echo_ip}}",
			"Check the firewall's outbound NAT rules for TCP 25, so that port 25 always leaves through the same address.",
		},
		docs: []string{docSetInbound},
	},
	{
		id:    "ipv6-egress",
		probe: true,
		title: "This site reaches Exchange Online over IPv6, where connectors never match",
		cause: "The endpoint has IPv6 addresses and an IPv6 connection to it works from here. Inbound connectors match IPv4 addresses only (SenderIPAddresses does not accept IPv6), " +
			"so an application that prefers IPv6 is not matched by an IP-based connector and its relayed mail is refused.",
		fix: []string{
			"Make the sending server or application use IPv4 for this connection (for example by preferring IPv4 over IPv6 in the operating system or the application's settings).",
			"Or use a certificate-based connector, which does not depend on the address.",
		},
		docs: []string{docNewInbound},
	},
	{
		id:    "mx-not-exo",
		probe: true,
		title: "The MX record of {domain} does not point to Exchange Online",
		cause: "Relay through a connector and Direct Send go to the tenant's own Exchange Online MX host, but {domain}'s MX names another host ({mx_host}), " +
			"for example a mail gateway or the previous mail provider.",
		fix: []string{
			"Find the tenant's Exchange Online host: Microsoft 365 admin centre > Settings > Domains > {domain} > DNS records (MX), and use it as the smart host (exoprobe: --host).",
			"If mail for {domain} must pass a gateway, send to that gateway as its operator documents.",
		},
		docs: []string{docMFD},
	},
	{
		id:    "mx-missing",
		probe: true,
		title: "{domain} has no MX record",
		cause: "DNS has no MX record for {domain}: the name is mistyped, or the domain's mail records are not set up.",
		fix: []string{
			"Check the domain name, then Microsoft 365 admin centre > Settings > Domains > {domain} > DNS records for the MX value Microsoft expects.",
		},
		docs: []string{docAddDomain},
	},
	{
		id:    "spf-ip-not-authorised",
		probe: true,
		title: "The SPF record of {from_domain} does not authorise this site's address {public_ip}",
		cause: "Direct Send delivers anonymously, so Exchange Online judges the mail by SPF: Microsoft asks you to add the sending IP address to the domain's SPF record, " +
			"otherwise the mail will likely be marked as spam.",
		fix: []string{
			"Add the address to the SPF TXT record of {from_domain}, for example: v=spf1 ip4:{public_ip} include:spf.protection.outlook.com -all (keep the other mechanisms you already have; one SPF record per domain).",
		},
		docs: []string{docSPF, docBlogDirectSend, docMFD},
	},
	{
		id:    "spf-missing",
		probe: true,
		title: "{from_domain} has no SPF record",
		cause: "No TXT record starting with v=spf1 was found for {from_domain}. Without SPF, receivers cannot tell which servers may send for the domain.",
		fix: []string{
			"Create one TXT record for {from_domain}: v=spf1 include:spf.protection.outlook.com -all (add ip4: entries for your own sending servers).",
		},
		docs: []string{docSPF},
	},
	{
		id:    "spf-no-exo-include",
		probe: true,
		title: "The SPF record of {from_domain} does not include Exchange Online",
		cause: "Mail relayed through Exchange Online leaves from Microsoft's servers, so receivers check SPF against them: the SPF record of {from_domain} needs include:spf.protection.outlook.com.",
		fix: []string{
			"Add include:spf.protection.outlook.com to the SPF TXT record of {from_domain}, for example: v=spf1 include:spf.protection.outlook.com -all",
		},
		docs: []string{docSPF},
	},
	{
		id:    "dmarc-missing",
		probe: true,
		title: "{from_domain} has no DMARC record",
		cause: "No DMARC record was found at _dmarc.{from_domain}. Microsoft recommends DMARC for every domain that sends mail; with Direct Send it tells receivers what to do with mail that fails SPF and DKIM.",
		fix: []string{
			"Create a TXT record at _dmarc.{from_domain}, starting in monitoring mode, for example: v=DMARC1; p=none; rua=mailto:<report address>",
		},
		docs: []string{docDMARC},
	},
	{
		id:    "publicip-disagree",
		probe: true,
		title: "The public IP detection services disagree",
		cause: "Different services saw this machine with different public addresses: the site has more than one way out (several NAT addresses or lines, a proxy), " +
			"or DNS queries are intercepted. The address that counts for a connector is the one Exchange Online sees in its EHLO reply.",
		fix: []string{
			"Use the address Exchange Online echoes ({echo_ip}) for the connector, or give the known address with --public-ip.",
		},
		docs: []string{docRelayDenied},
	},
	{
		id:    "publicip-unconfirmed",
		probe: true,
		title: "Only one service could tell this site's public IP",
		cause: "A single detection service answered, so its answer could not be confirmed; the others were unreachable or blocked.",
		fix: []string{
			"If {public_ip} is not the site's address, give the right one with --public-ip; the address Exchange Online echoes after EHLO ({echo_ip}) is the one a connector must list.",
		},
		docs: []string{docRelayDenied},
	},
	{
		id:    "publicip-undetected",
		probe: true,
		title: "This site's public IP could not be detected",
		cause: "None of the detection services answered over DNS or HTTPS: outbound DNS to them, or HTTPS, is blocked or intercepted here.",
		fix: []string{
			"Give the site's public IPv4 address with --public-ip, or read it from Exchange Online's EHLO reply (250-... Hello [address]).",
		},
		docs: []string{docRelayDenied},
	},
	{
		id:    "not-exo-banner",
		probe: true,
		title: "The host that greeted is not Exchange Online",
		cause: "{host} should be an Exchange Online endpoint, but the SMTP greeting does not come from Exchange Online (its banner names a host under outlook.com and says " +
			"'Microsoft ESMTP MAIL Service ready'). A transparent proxy, an antivirus product or a firewall answers in its place, or the name resolves to another server.",
		fix: []string{
			"Check the security software and firewalls for SMTP proxying or mail scanning on TCP {port}.",
			"Check what {host} resolves to from this machine (nslookup {host}).",
		},
		docs: []string{docPrinters},
	},
	{
		id:    "connection-closed",
		probe: true,
		title: "The server closed the connection unexpectedly",
		cause: "The connection ended in the middle of the conversation. A firewall's SMTP inspection can drop a connection whose command is longer than it allows " +
			"(Cisco ASA drops command lines over 512 characters by default, which an AUTH XOAUTH2 line with its token exceeds); the server can also close after an error.",
		fix: []string{
			"Check firewalls for SMTP/ESMTP inspection on TCP {port} (Cisco ASA: no inspect esmtp).",
			"Run with --transcript to see the last command before the close.",
		},
		docs: []string{docCiscoESMTP},
	},
	{
		id:    "reply-timeout",
		probe: true,
		title: "The server stopped answering",
		cause: "A reply did not arrive in time. Exchange Online answers within seconds; a silent pause mid-conversation points to a middlebox holding the connection, or to a slow or overloaded server.",
		fix: []string{
			"Run again with --transcript to see which command went unanswered, and check firewalls and security software for SMTP inspection.",
		},
		docs: []string{docPrinters},
	},
	{
		id:    "reply-malformed",
		probe: true,
		title: "The server's answer is not an SMTP reply",
		cause: "What came back does not follow SMTP (a three-digit code at the start of each line, lines of reasonable length). Something other than a mail server answers on {host}:{port}, " +
			"such as a proxy, a web server or a broken middlebox.",
		fix: []string{
			"Check that {host}:{port} is the Exchange Online endpoint, and look at the transcript (--transcript) for what arrived.",
		},
		docs: []string{docMFD},
	},
	{
		id:    "token-missing-role",
		probe: true,
		title: "The token does not carry the SMTP.SendAsApp permission",
		cause: "Exchange Online accepts an app-only token for SMTP only when its roles claim holds SMTP.SendAsApp; otherwise AUTH XOAUTH2 fails with 535 5.7.3.",
		fix: []string{
			"Entra admin centre > Entra ID > App registrations > {app_id} > API permissions > Add a permission > APIs my organization uses > Office 365 Exchange Online > Application permissions > SMTP.SendAsApp.",
			"Grant admin consent on the same page, then request a new token.",
		},
		docs: []string{docOAuth, docAdminConsent},
	},
	{
		id:    "token-wrong-audience",
		probe: true,
		title: "The token was issued for another resource",
		cause: "The token's audience (aud) is not Exchange Online. For SMTP, Microsoft requires the scope https://outlook.office365.com/.default with client credentials; a token for Microsoft Graph does not work.",
		fix: []string{
			"Request the token with the scope https://outlook.office365.com/.default (for sovereign clouds, the cloud's own Exchange Online host).",
		},
		docs: []string{docOAuth},
	},
	{
		id:    "token-wrong-tenant",
		probe: true,
		title: "The token comes from another tenant",
		cause: "The token's tenant (tid) is not the tenant asked for ({tenant}). A multi-tenant application or a wrong authority produced a token of another organisation.",
		fix: []string{
			"Request the token from https://login.microsoftonline.com/<tenant ID>/ with the tenant that owns the mailbox (Entra admin centre > Entra ID > Overview > Tenant ID).",
		},
		docs: []string{docOAuth},
	},
	{
		id:    "token-timeout",
		probe: true,
		title: "The token endpoint did not answer in time",
		cause: "The request to Entra ID's token endpoint did not complete before the deadline: HTTPS to login.microsoftonline.com is blocked, slow, or held by a proxy.",
		fix: []string{
			"Allow HTTPS to login.microsoftonline.com (and the Microsoft 365 identity endpoints) from this machine, and check proxy settings.",
		},
		docs: []string{docM365URLs},
	},
	{
		id:    "basic-auth-deprecated",
		probe: true,
		title: "Basic authentication for SMTP is being retired",
		cause: "Signing in with a user name and password (AUTH LOGIN) still works where it is allowed, but Microsoft is retiring it for client submission: " +
			"from the end of December 2026 it is disabled by default for existing tenants, and a final removal date follows in the second half of 2027. Then the reply is 550 5.7.30.",
		fix: []string{
			"Plan the move to OAuth (exoprobe submit --auth oauth) or to relay through an inbound connector.",
		},
		docs: []string{docBlogBasicAuth, docOAuth},
	},
}
