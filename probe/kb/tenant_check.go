package kb

// tenantCheckEntries explain what submit and connector with --tenant-check find when they
// compare the tenant with a submission or with a connector about to be created (see tables.go).
// They live beside the other tables, not in them, so that the tables can grow on their own.
var tenantCheckEntries = []entry{
	{
		id:    "basic-auth-smtp-blocked",
		probe: true,
		title: "An authentication policy blocks basic authentication for SMTP for {mailbox}",
		cause: "The authentication policy that applies to the mailbox (the one assigned to its user, else the organisation's default) has AllowBasicAuthSmtp $false, " +
			"so Exchange Online refuses a sign-in with a user name and password (AUTH LOGIN) before it looks at the password (535 5.7.139). " +
			"Basic authentication for SMTP AUTH is being retired: at the end of December 2026 it goes off by default for existing tenants.",
		fix: []step{
			{"Move the application to OAuth (an Entra app with SMTP.SendAsApp), and test it with exoprobe.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id '<sending app ID>' --from {ps:from} --to {ps:to}"},
			{"See which policy applies.", "Get-User -Identity {ps:mailbox} | Format-List AuthenticationPolicy\nGet-OrganizationConfig | Format-List DefaultAuthenticationPolicy\nGet-AuthenticationPolicy | Format-Table Name,AllowBasicAuthSmtp"},
			{"Only if the application must keep its password until then: give the mailbox a policy that allows basic authentication for SMTP alone (it can take up to 24 hours to apply).", "New-AuthenticationPolicy -Name 'Allow basic SMTP AUTH' -AllowBasicAuthSmtp\nSet-User -Identity {ps:mailbox} -AuthenticationPolicy 'Allow basic SMTP AUTH'"},
		},
		docs: []string{docNewAuthPolicy, docBlogBasicAuth, docSMTPAuth},
	},
	{
		id:    "from-not-accepted-domain",
		probe: true,
		title: "The MAIL FROM domain {from_domain} is not an accepted domain of the tenant",
		cause: "A mailbox sends only as its own addresses and the ones it has SendAs on, and all of them are in the tenant's accepted domains. " +
			"Mail from an address in another domain is refused after the sign-in (5.7.60 SendAsDenied).",
		fix: []step{
			{"List the accepted domains, and send from an address of {mailbox|from} in one of them.", "Get-AcceptedDomain | Format-Table DomainName,DomainType"},
			{"Or add {from_domain} to the tenant: Microsoft 365 admin centre > Settings > Domains > Add domain.", ""},
		},
		docs: []string{docAcceptedDomain, docAddDomain, docSMTPAuth},
	},
	{
		id:    "connector-exists",
		probe: true,
		title: "An inbound connector already recognises this site",
		cause: "One of the tenant's OnPremises connectors already lists this site's public IPv4 address, or already accepts the name on its certificate, and it is enabled: " +
			"there is nothing to create. A second connector for the same site would only overlap it.",
		fix: []step{
			{"Test it: exoprobe relay sends through it as the application will, from an address in {domain}.", "exoprobe relay --domain {ps:domain} --from '<address in the domain>' --to '<outside address>'"},
		},
		docs: []string{docSetInbound, docRelayRules},
	},
	{
		id:    "connector-conflict",
		probe: true,
		title: "Another inbound connector already recognises this site",
		cause: "An OnPremises connector other than the one planned already lists this site's address or accepts its certificate name, or has the planned name. " +
			"Two connectors for one site overlap, and Microsoft does not document which one Exchange Online matches; New-InboundConnector refuses a name in use.",
		fix: []step{
			{"List the connectors, and keep one connector for this site.", "Get-InboundConnector | Format-List Name,ConnectorType,Enabled,SenderIPAddresses,TlsSenderCertificateName"},
			{"Once the new connector works (exoprobe relay), take the site out of the other one, as the finding says.", ""},
		},
		docs: []string{docSetInbound, docNewInbound},
	},
	{
		id:    "connector-to-create",
		probe: true,
		title: "No inbound connector recognises this site yet",
		cause: "None of the tenant's OnPremises connectors lists this site's public IPv4 address or accepts its certificate name: that is expected before the connector is created.",
		fix: []step{
			{"Create it with the command this pre-flight prints (under Connector), in Exchange Online PowerShell.", ""},
			{"Then test it: exoprobe relay sends through it as the application will.", "exoprobe relay --domain {ps:domain} --from '<address in the domain>' --to '<outside address>'"},
		},
		docs: []string{docNewInbound, docRelayRules},
	},
}

// Documents only the --tenant-check entries cite.
const docNewAuthPolicy = "https://learn.microsoft.com/en-us/powershell/module/exchange/new-authenticationpolicy"
