package kb

// Microsoft's documentation the entries link to. Each address was found in Microsoft's published
// documentation sources (MicrosoftDocs repositories, learn.microsoft.com pages) while writing the
// entries; old learn.microsoft.com paths are kept where they are the ones found, since Learn
// redirects moved articles.
const (
	docNDR            = "https://learn.microsoft.com/en-us/troubleshoot/exchange/email-delivery/ndr/non-delivery-reports-in-exchange-online"
	docRelayDenied    = "https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/relay-access-denied-smtp"
	docFix5764        = "https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/fix-error-code-5-7-64-in-exchange-online"
	docFix5757        = "https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/fix-error-code-5-7-57-in-exchange-online"
	docFix451         = "https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/fix-error-code-451-4-7-500-699-asxxx-in-exchange-online"
	docFix518         = "https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/fix-error-code-5-1-8-in-exchange-online"
	docFix541         = "https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/fix-error-code-550-5-4-1-in-exchange-online"
	docFix57700       = "https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/fix-error-code-5-7-700-through-5-7-750"
	docWrongRegion    = "https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/wrong-office-365-region-exo"
	docRelayRules     = "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/updated-requirements-smtp-relay"
	docMFD            = "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365"
	docPrinters       = "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/fix-issues-with-printers-scanners-and-lob-applications-that-send-email-using-off"
	docConnectors     = "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/use-connectors-to-configure-mail-flow/set-up-connectors-to-route-mail"
	docNewInbound     = "https://learn.microsoft.com/en-us/powershell/module/exchange/new-inboundconnector"
	docSetInbound     = "https://learn.microsoft.com/en-us/powershell/module/exchange/set-inboundconnector"
	docSetOrgConfig   = "https://learn.microsoft.com/en-us/powershell/module/exchange/set-organizationconfig"
	docDelist         = "https://learn.microsoft.com/en-us/defender-office-365/external-senders-use-the-delist-portal-to-unblock-yourself"
	docRestricted     = "https://learn.microsoft.com/en-us/defender-office-365/outbound-spam-restore-restricted-users"
	docDBEB           = "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/use-directory-based-edge-blocking"
	docAcceptedDomain = "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/manage-accepted-domains/manage-accepted-domains"
	docAddDomain      = "https://learn.microsoft.com/en-us/microsoft-365/admin/setup/add-domain"
	docLegacyTLS      = "https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/opt-in-exchange-online-endpoint-for-legacy-tls-using-smtp-auth"
	docSMTPAuth       = "https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission"
	docOAuth          = "https://learn.microsoft.com/en-us/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth"
	docNewSP          = "https://learn.microsoft.com/en-us/powershell/module/exchange/new-serviceprincipal"
	docRecipientPerm  = "https://learn.microsoft.com/en-us/powershell/module/exchange/add-recipientpermission"
	docHVE            = "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/high-volume-mails-m365"
	docEntraErrors    = "https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes"
	docSecDefaults    = "https://learn.microsoft.com/en-us/entra/fundamentals/security-defaults"
	docCATroubleshoot = "https://learn.microsoft.com/en-us/entra/identity/conditional-access/troubleshoot-conditional-access"
	docCertCreds      = "https://learn.microsoft.com/en-us/entra/identity-platform/certificate-credentials"
	docAdminConsent   = "https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/grant-admin-consent"
	docSPF            = "https://learn.microsoft.com/en-us/defender-office-365/email-authentication-spf-configure"
	docDMARC          = "https://learn.microsoft.com/en-us/defender-office-365/email-authentication-dmarc-configure"
	docM365URLs       = "https://learn.microsoft.com/en-us/microsoft-365/enterprise/urls-and-ip-address-ranges"
	docAnonRelay      = "https://learn.microsoft.com/en-us/exchange/mail-flow/connectors/allow-anonymous-relay"

	docBlogDirectSend = "https://techcommunity.microsoft.com/blog/exchange/introducing-more-control-over-direct-send-in-exchange-online/4408790"
	docBlogHybridTLS  = "https://techcommunity.microsoft.com/blog/exchange/tls-certificates-in-exchange-hybrid---common-issues--how-to-fix-them/4420592"
	docBlogBasicAuth  = "https://techcommunity.microsoft.com/blog/exchange/updated-exchange-online-smtp-auth-basic-authentication-deprecation-timeline/4489835"

	// Not Microsoft's: Cisco documents its own firewall's SMTP inspection.
	docCiscoESMTP = "https://www.cisco.com/c/en/us/support/docs/security/asa-5500-x-series-next-generation-firewalls/113423-asa-esmtp-smtp-inspection.html"

	// Windows networking: which firewall rule blocked a connection, DNS client behaviour.
	docFirewallFilterOrigin = "https://learn.microsoft.com/en-us/windows/security/operating-system-security/network-security/windows-firewall/filter-origin-documentation"
	docGetNetFirewallRule   = "https://learn.microsoft.com/en-us/powershell/module/netsecurity/get-netfirewallrule"
	docDNSClientTimeouts    = "https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/dns-client-resolution-timeouts"
	docNslookup             = "https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/nslookup"

	// Not Microsoft's: the standards, and the write-up of the STARTTLS plaintext injection flaw
	// (CVE-2011-0411) by the author of Postfix, who found it.
	docRFC5321Session = "https://www.rfc-editor.org/rfc/rfc5321#section-3.1"
	docRFC3207        = "https://www.rfc-editor.org/rfc/rfc3207#section-4"
	docRFC7208Limits  = "https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4"
	docRFC7489Record  = "https://www.rfc-editor.org/rfc/rfc7489#section-6.3"
	docPostfixCVE     = "https://www.postfix.org/CVE-2011-0411.html"
)
