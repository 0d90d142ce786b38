package report

import (
	"strconv"
	"strings"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/kb"
)

// The PowerShell for an inbound connector, as Microsoft documents New-InboundConnector and
// Set-InboundConnector:
//
//   - ConnectorType OnPremises: the type that lets mail relay through the tenant to the
//     Internet ("OnPremises connectors grant special rights ... allowing relay through the
//     tenant to internet destinations").
//   - SenderDomains '*': the parameter is required; a relay connector sends for any domain.
//   - SenderIPAddresses: IPv4 only ("IPv6 addresses are not supported"), single addresses or
//     CIDR /24 to /32.
//   - TlsSenderCertificateName: "A valid value is an SMTP domain", a leading wildcard allowed.
//     Its documentation says the name is used "when the value of the RequireTls parameter is
//     $true", and Microsoft's Set-InboundConnector example pairs the two, so the certificate
//     case sets -RequireTls $true explicitly rather than relying on a default that older
//     versions of the documentation state differently.
//   - RequireTls, RestrictDomainsToIPAddresses and RestrictDomainsToCertificate are each
//     documented as applying "only to Partner type connectors"; an IP-based OnPremises
//     connector therefore gets none of them.
//
// Every value from the run or the command line is a PowerShell single-quoted literal
// (kb.PSQuote), in which nothing is expanded: a connector name with quotes, $(...), backticks or
// typographic quotes stays a name.

// psPlaceholderIP stands in for a public IPv4 address the run could not find.
const psPlaceholderIP = probe.PlaceholderIP

// connectorCommands builds the PowerShell for plan. The command that creates the connector is
// the plan's own (ConnectorPlan.CreateCommand), which the tenant's findings quote as well.
func connectorCommands(plan *probe.ConnectorPlan) connectorScript {
	name := kb.PSQuote(plan.Name)
	update := []string{"Set-InboundConnector", "-Identity", name, "-ConnectorType", "OnPremises"}
	if plan.Kind == probe.ConnectorByCertificate {
		update = append(update, "-TlsSenderCertificateName", kb.PSQuote(plan.CertDomain), "-RequireTls", "$true")
	} else {
		update = append(update, "-SenderIPAddresses", "@{Add="+plan.SenderIPList()+"}")
	}
	return connectorScript{
		Connect: "Connect-ExchangeOnline",
		Create:  plan.CreateCommand(),
		Update:  strings.Join(update, " "),
		Check: "Get-InboundConnector -Identity " + name +
			" | Format-List Name,ConnectorType,Enabled,SenderDomains,SenderIPAddresses,TlsSenderCertificateName,RequireTls",
	}
}

// appSettings are what the application needs to send through the planned connector: the MX
// host on port 25 with STARTTLS and no authentication, from an address in an accepted domain
// (Microsoft's settings for SMTP relay in "How to set up a multifunction device or
// application to send email").
func appSettings(plan *probe.ConnectorPlan) []appSetting {
	host := plan.SmartHost
	if host == "" {
		host = "the MX host of " + orDomain(plan.Domain) + " (not found: see the dns check)"
	}
	port := plan.Port
	if port == 0 {
		port = 25
	}
	tls := "on (STARTTLS); recommended, and Exchange Online offers it"
	if plan.Kind == probe.ConnectorByCertificate {
		tls = "on (STARTTLS): required, the certificate is presented during STARTTLS"
	}
	out := []appSetting{
		{"SMTP server (smart host)", host},
		{"Port", strconv.Itoa(port)},
		{"TLS", tls},
		{"Authentication", "none: no user name or password"},
	}
	if plan.Kind == probe.ConnectorByCertificate {
		out = append(out, appSetting{"Client certificate", "the certificate for " + orValue(plan.CertDomain, "<certificate domain>") + ", with its intermediate certificates"})
	} else {
		out = append(out, appSetting{"Address family", "IPv4 (the connector matches IPv4 addresses only)"})
	}
	d := orDomain(plan.Domain)
	out = append(out, appSetting{"From address", "an address in an accepted domain, such as scanner@" + d})
	return out
}

func orDomain(d string) string { return orValue(d, "<your domain>") }

func orValue(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}

// connectorKind names the kind of connector in words.
func connectorKind(plan *probe.ConnectorPlan) string {
	if plan.Kind == probe.ConnectorByCertificate {
		return "certificate-based, TlsSenderCertificateName " + orValue(plan.CertDomain, "<certificate domain>")
	}
	ips := strings.Join(plan.SenderIPs, ", ")
	return "IP-based, SenderIPAddresses " + orValue(ips, psPlaceholderIP)
}

// connectorText writes the connector to create, with the PowerShell to create it or update an
// existing one and to check it, and the settings for the sending application.
func connectorText(ew *errWriter, p palette, plan *probe.ConnectorPlan, o TextOptions) {
	width := o.width()
	s := connectorCommands(plan)
	ind := strings.Repeat(" ", 2)
	cmd := strings.Repeat(" ", stepIndent)
	ew.line("")
	ew.line(p.bold.Sprint("Connector") + ": " + clean(plan.Name) + " (" + clean(connectorKind(plan)) + ")")
	lead := createLead(plan)
	for _, l := range wrap(lead, width, ind, ind) {
		ew.line(l)
	}
	ew.line(cmd + clean(s.Connect))
	ew.line(cmd + clean(s.Create))
	ew.line(ind + "Or, to change an existing connector of that name:")
	ew.line(cmd + clean(s.Update))
	ew.line(ind + "Check it:")
	ew.line(cmd + clean(s.Check))
	ew.line("")
	ew.line(p.bold.Sprint("Settings for the sending application"))
	settings := appSettings(plan)
	col := 0
	for _, a := range settings {
		if n := len(a.Setting); n > col {
			col = n
		}
	}
	for _, a := range settings {
		head := ind + a.Setting + strings.Repeat(" ", col-len(a.Setting)+2)
		for _, l := range wrap(a.Value, width, head, strings.Repeat(" ", len(head))) {
			ew.line(clean(l))
		}
	}
}

// createLead is the sentence before the commands that create the connector: they are to run
// now, once the failures are fixed, or, when the tenant has the connector already
// (--tenant-check), only should it need making again.
func createLead(plan *probe.ConnectorPlan) string {
	switch {
	case plan.Existing != "":
		return "The tenant's connector '" + plan.Existing + "' recognises this site already: there is nothing to create; " +
			"test it with exoprobe relay. Should it need making again, in Exchange Online PowerShell:"
	case !plan.Ready:
		return "Once the failures above are fixed, create it in Exchange Online PowerShell:"
	}
	return "Create it in Exchange Online PowerShell:"
}

// readyText says whether the connector can be created as planned.
func readyText(plan *probe.ConnectorPlan) string {
	switch {
	case plan.Existing != "":
		return "no need: the tenant's connector '" + plan.Existing + "' recognises this site already"
	case !plan.Ready:
		return "no: fix the failures above first"
	}
	return "yes"
}

// connectorMarkdown writes what connectorText writes, as Markdown sections.
func connectorMarkdown(ew *errWriter, plan *probe.ConnectorPlan) {
	s := connectorCommands(plan)
	ew.line("")
	ew.line("## Connector")
	ew.line("")
	ew.line("- **Name:** " + codeSpan(plan.Name, false))
	ew.line("- **Kind:** " + mdText(connectorKind(plan)))
	ew.line("- **Ready to create:** " + mdText(readyText(plan)))
	ew.line("")
	ew.line(mdText(createLead(plan)))
	ew.line("")
	fenced(ew, "", "powershell", []string{s.Connect, s.Create})
	ew.line("")
	ew.line("Or, to change an existing connector of that name:")
	ew.line("")
	fenced(ew, "", "powershell", []string{s.Update})
	ew.line("")
	ew.line("Check it:")
	ew.line("")
	fenced(ew, "", "powershell", []string{s.Check})
	ew.line("")
	ew.line("## Settings for the sending application")
	ew.line("")
	ew.line("| Setting | Value |")
	ew.line("|---|---|")
	for _, a := range appSettings(plan) {
		ew.line("| " + mdCell(a.Setting) + " | " + mdCell(a.Value) + " |")
	}
}
