package tenant

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
)

// The cross-checks of submit and connector with --tenant-check: the tenant compared with a
// submission (Inputs.Path check.ModeSubmit) and with a connector about to be created
// (check.ModeConnector).

// BasicAuthEnd is when Microsoft turns basic authentication for SMTP AUTH off by default for
// existing tenants (Exchange Team blog, 27 January 2026; admins can turn it back on).
const BasicAuthEnd = "the end of December 2026"

// judgeFromDomain fails a submission whose MAIL FROM domain is not an accepted domain: a
// mailbox sends only as its own addresses and those it has SendAs on, all of them in the
// tenant's accepted domains.
func judgeFromDomain(r *check.Result, accepted []string, in Inputs) {
	d := strings.ToLower(in.FromDomain)
	if d == "" || slices.Contains(accepted, d) {
		return
	}
	r.Add(check.Finding{Severity: check.Fail, Code: code.FromNotAcceptedDomain, Message: fmt.Sprintf(
		"the MAIL FROM domain %s is not an accepted domain of the tenant (%s): a mailbox sends only as its own addresses and the "+
			"ones it has SendAs on, all in accepted domains, so Exchange Online refuses the message (5.7.60 SendAsDenied); send from "+
			"an address of %s, or add %s to the tenant (Microsoft 365 admin centre > Settings > Domains > Add domain)",
		clean(d, 253), strings.Join(accepted, ", "), clean(orString(in.Mailbox, "the mailbox"), 256), clean(d, 253))})
}

// judgePreflightDomains checks, before a connector is created, that the domain the application
// sends from and the name on its certificate are accepted domains. Exchange Online attributes a
// connection on an OnPremises connector to a tenant by the certificate's domain first, then the
// MAIL FROM domain (MC1226222); a certificate whose name is not an accepted domain is a setup
// Microsoft says may stop working.
func judgePreflightDomains(r *check.Result, accepted []string, in Inputs) {
	if d := strings.ToLower(in.FromDomain); d != "" && !slices.Contains(accepted, d) {
		r.Add(check.Finding{Severity: check.Fail, Code: code.DomainNotAccepted, Message: fmt.Sprintf(
			"the domain %s is not an accepted domain of the tenant (%s): Exchange Online relays through a connector only mail "+
				"from an accepted domain (or with a certificate in one); give the domain the application sends from, or add %s "+
				"(Microsoft 365 admin centre > Settings > Domains > Add domain)", clean(d, 253), strings.Join(accepted, ", "), clean(d, 253))})
	}
	name := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(in.CertDomain), "."))
	if name == "" {
		return
	}
	base := strings.TrimPrefix(name, "*.")
	r.Set("certificate_domain_accepted", slices.Contains(accepted, base))
	if slices.Contains(accepted, base) {
		return
	}
	for _, a := range accepted {
		if strings.HasSuffix(base, "."+a) {
			// Under an accepted domain, but not one itself: the parent may carry it, the exact
			// name is what Microsoft's staff call the safest way, and what NDRs need.
			r.Add(check.Finding{Severity: check.Warn, Code: code.CertNotAcceptedDomain, Message: fmt.Sprintf(
				"the certificate's name %s is under the accepted domain %s but is not an accepted domain itself: Exchange Online "+
					"attributes mail on an OnPremises connector to a tenant by the certificate's domain first (MC1226222), and "+
					"Microsoft recommends adding the certificate's exact name as an accepted domain, the safest way and the one with "+
					"which non-delivery reports (empty MAIL FROM) are accepted too: add %s (Microsoft 365 admin centre > Settings > "+
					"Domains > Add domain)", clean(name, 253), clean(a, 253), clean(base, 253))})
			return
		}
	}
	r.Add(check.Finding{Severity: check.Warn, Code: code.CertNotAcceptedDomain, Message: fmt.Sprintf(
		"the certificate's name %s is not an accepted domain of the tenant (%s): Exchange Online attributes mail on an OnPremises "+
			"connector to a tenant by the certificate's domain first (MC1226222), and Microsoft calls a certificate without an "+
			"accepted domain a setup that may stop working; mail with an empty MAIL FROM (non-delivery reports) is refused. Add %s "+
			"as an accepted domain (Microsoft 365 admin centre > Settings > Domains > Add domain), or use a certificate that names one",
		clean(name, 253), strings.Join(accepted, ", "), clean(base, 253))})
}

// judgePreflight compares the connector about to be created with the tenant's inbound
// connectors. That none recognises the site yet is what a pre-flight expects, not a failure: it
// says so with the command that creates the connector. A connector that already recognises the
// site the same way means there is nothing to create; one that recognises it the other way, two
// that recognise it alike, or one that has the name already, would conflict.
func judgePreflight(r *check.Result, all []Connector, in Inputs) {
	ip := in.PublicIP
	cert := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(in.CertDomain), "."))
	var byIP, byCert []Connector
	for _, k := range all {
		if !k.onPremises() {
			continue
		}
		if ip.IsValid() && k.lists(ip) {
			byIP = append(byIP, k)
		}
		if cert != "" && k.certMatches(cert) {
			byCert = append(byCert, k)
		}
	}
	r.Set("connectors_listing_ip", connectorNames(byIP))
	r.Set("connectors_accepting_certificate", connectorNames(byCert))

	// The way the planned connector recognises the site, and the other way.
	same, other := byIP, byCert
	how, otherHow := "lists "+ip.String(), "accepts the certificate name "+clean(cert, 253)
	if cert != "" {
		same, other = byCert, byIP
		how, otherHow = otherHow, how
	}
	// A connector that recognises the site both ways is the planned one already, not another.
	other = slices.DeleteFunc(slices.Clone(other), func(k Connector) bool {
		return slices.ContainsFunc(same, func(c Connector) bool { return c.Name == k.Name })
	})
	var enabled *Connector
	for i := range same {
		if same[i].Enabled {
			enabled = &same[i]
			break
		}
	}
	switch {
	case enabled != nil:
		r.Set("existing_connector", clean(enabled.Name, 200))
		r.Add(check.Finding{Severity: check.Pass, Code: code.ConnectorExists, Message: fmt.Sprintf(
			"connector %s already %s: it exists, so there is nothing to create; test it with exoprobe relay, which sends "+
				"through it as the application will (exoprobe relay --from <address in %s> --to <outside address>)",
			quoteName(enabled.Name), how, clean(orString(in.FromDomain, "an accepted domain"), 253))})
	case len(same) > 0:
		k := same[0]
		r.Add(check.Finding{Severity: check.Warn, Code: code.ConnectorDisabled, Message: fmt.Sprintf(
			"connector %s already %s but is disabled: turn it on rather than creating another: Set-InboundConnector -Identity %s -Enabled $true",
			quoteName(k.Name), how, psQuote(k.Name))})
	case len(other) == 0:
		r.Add(check.Finding{Severity: check.Pass, Code: code.ConnectorToCreate, Message: fmt.Sprintf(
			"no inbound connector recognises this site yet (%s): create it: %s",
			connectorList(all), createCommand(in))})
	}
	for _, k := range other {
		fix := fmt.Sprintf("Set-InboundConnector -Identity %s -SenderIPAddresses @{Remove=%s}", psQuote(k.Name), psQuote(ip.String()))
		if cert == "" {
			fix = fmt.Sprintf("Set-InboundConnector -Identity %s -TlsSenderCertificateName $null", psQuote(k.Name))
		}
		r.Add(check.Finding{Severity: check.Warn, Code: code.ConnectorConflict, Message: fmt.Sprintf(
			"connector %s already %s, so it recognises this site already; a second OnPremises connector for the same site "+
				"overlaps it, and which one Exchange Online matches is not documented. Keep one: test %s with exoprobe relay, or, "+
				"once the new connector works, take this site out of %s: %s",
			quoteName(k.Name), otherHow, quoteName(k.Name), quoteName(k.Name), fix)})
	}
	if len(same) > 1 {
		r.Add(check.Finding{Severity: check.Warn, Code: code.ConnectorConflict, Message: fmt.Sprintf(
			"connectors %s each %s: they overlap, and which one Exchange Online matches is not documented; keep one and take this "+
				"site out of the others", strings.Join(quotedNames(same), " and "), how)})
	}
	if enabled == nil && in.ConnectorName != "" {
		for _, k := range all {
			if strings.EqualFold(strings.TrimSpace(k.Name), strings.TrimSpace(in.ConnectorName)) && !slices.ContainsFunc(same, func(c Connector) bool { return c.Name == k.Name }) {
				r.Add(check.Finding{Severity: check.Warn, Code: code.ConnectorConflict, Message: fmt.Sprintf(
					"a connector named %s exists already (%s): New-InboundConnector refuses a name in use; give another --name, or "+
						"change that connector with Set-InboundConnector -Identity %s (the command under Connector below) if it is no longer used for anything else",
					quoteName(k.Name), describe(k), psQuote(k.Name))})
			}
		}
	}
	if slices.ContainsFunc(r.Findings, func(f check.Finding) bool { return f.Severity == check.Fail || f.Severity == check.Warn }) {
		return // the summary names the first of them
	}
	switch {
	case enabled != nil:
		r.Summary = "connector " + quoteName(enabled.Name) + " already " + how + ": test it with exoprobe relay"
	case len(same) == 0 && len(other) == 0:
		r.Summary = "no connector recognises this site yet: create it"
	}
}

// connectorNames are the names of the connectors, cleaned for a fact.
func connectorNames(list []Connector) []string {
	out := []string{}
	for _, k := range list {
		out = append(out, clean(k.Name, 200))
	}
	return out
}

func quotedNames(list []Connector) []string {
	out := []string{}
	for _, k := range list {
		out = append(out, quoteName(k.Name))
	}
	return out
}

// connectorList says which inbound connectors the tenant has, each with what it recognises.
func connectorList(all []Connector) string {
	if len(all) == 0 {
		return "the tenant has no inbound connector"
	}
	var parts []string
	for _, k := range all {
		parts = append(parts, quoteName(k.Name)+" ("+describe(k)+")")
	}
	return "the tenant's inbound connectors: " + strings.Join(parts, "; ")
}

// describe says what a connector is and what it recognises.
func describe(k Connector) string {
	parts := []string{clean(orString(k.ConnectorType, "unknown type"), 40)}
	if !k.Enabled {
		parts = append(parts, "disabled")
	}
	if len(k.SenderIPAddresses) > 0 {
		parts = append(parts, "IP "+clean(strings.Join(k.SenderIPAddresses, ", "), 200))
	}
	if k.TlsSenderCertificateName != "" {
		parts = append(parts, "certificate "+clean(k.TlsSenderCertificateName, 253))
	}
	if len(k.SenderDomains) > 0 && k.ConnectorType != "" && !k.onPremises() {
		parts = append(parts, "sender domains "+clean(strings.Join(k.SenderDomains, ", "), 200))
	}
	return strings.Join(parts, ", ")
}

// authPolicy is one authentication policy, as Get-AuthenticationPolicy returns it.
type authPolicy struct {
	Name               string
	AllowBasicAuthSmtp *bool
}

// judgeBasicAuth judges, for a submission that signs in with a password, the authentication
// policy that applies to the mailbox: the one assigned to its user (Get-User), else the
// organisation's default (Get-OrganizationConfig DefaultAuthenticationPolicy). A policy without
// AllowBasicAuthSmtp refuses AUTH LOGIN before the password is looked at.
func judgeBasicAuth(ctx context.Context, rd *reader, in Inputs, defaultPolicy string, policies []authPolicy) {
	r := rd.r
	var users []struct {
		AuthenticationPolicy string `json:"AuthenticationPolicy"`
	}
	if !rd.cmdlet(ctx, "Get-User", Params{"Identity": in.Mailbox}, &users) {
		return
	}
	name, whose := strings.TrimSpace(defaultPolicy), "the organisation's default, Get-OrganizationConfig DefaultAuthenticationPolicy"
	if len(users) > 0 && strings.TrimSpace(users[0].AuthenticationPolicy) != "" {
		name, whose = strings.TrimSpace(users[0].AuthenticationPolicy), "assigned to "+clean(in.Mailbox, 256)
	}
	r.Set("basic_auth_off_by_default", BasicAuthEnd)
	if name == "" {
		r.Set("authentication_policy", nil)
		r.Set("basic_auth_smtp_allowed", true)
		return
	}
	r.Set("authentication_policy", clean(name, 200))
	i := slices.IndexFunc(policies, func(p authPolicy) bool { return samePolicy(p.Name, name) })
	if i < 0 {
		return // a policy the list does not hold: nothing certain to say
	}
	allowed := policies[i].AllowBasicAuthSmtp != nil && *policies[i].AllowBasicAuthSmtp
	r.Set("basic_auth_smtp_allowed", allowed)
	if allowed {
		return
	}
	pol := policies[i].Name
	r.Add(check.Finding{Severity: check.Fail, Code: code.BasicAuthSMTPBlocked, Message: fmt.Sprintf(
		"the authentication policy %s (%s) does not allow basic authentication for SMTP (AllowBasicAuthSmtp is $false), so "+
			"Exchange Online refuses the password sign-in of %s whatever the password (535 5.7.139). Basic authentication for "+
			"SMTP AUTH goes off by default for existing tenants at %s: move the application to OAuth (exoprobe submit --auth oauth). "+
			"Only if it must keep a password until then, give the mailbox a policy that allows it (it can take up to 24 hours to "+
			"apply): New-AuthenticationPolicy -Name 'Allow basic SMTP AUTH' -AllowBasicAuthSmtp; Set-User -Identity %s "+
			"-AuthenticationPolicy 'Allow basic SMTP AUTH'",
		quoteName(pol), whose, clean(in.Mailbox, 256), BasicAuthEnd, psQuote(in.Mailbox))})
}

// samePolicy reports whether a user's AuthenticationPolicy value names the policy called name:
// the name itself, or an identity ending in it.
func samePolicy(name, value string) bool {
	name, value = strings.ToLower(strings.TrimSpace(name)), strings.ToLower(strings.TrimSpace(value))
	return name != "" && (name == value || strings.HasSuffix(value, "\\"+name) || strings.HasSuffix(value, "/"+name))
}

// submissionSummary says what the tenant allows the submission, when nothing is wrong.
func submissionSummary(r *check.Result) string {
	for _, sev := range []check.Status{check.Fail, check.Warn} {
		for _, f := range r.Findings {
			if f.Severity == sev {
				return "the tenant's configuration refuses this submission (" + string(f.Code) + ")"
			}
		}
	}
	parts := []string{}
	if s, ok := r.Facts["mailbox_smtp_auth"].(string); ok {
		if s == "inherits the tenant" {
			s = "on, inherited from the tenant"
		}
		parts = append(parts, "SMTP AUTH "+s)
	}
	if full, _ := r.Facts["app_full_access"].(bool); full {
		parts = append(parts, "the app holds FullAccess on the mailbox")
	} else if send, _ := r.Facts["app_send_as"].(bool); send {
		parts = append(parts, "the app holds SendAs on the mailbox")
	}
	if allowed, ok := r.Facts["basic_auth_smtp_allowed"].(bool); ok && allowed {
		parts = append(parts, "basic authentication allowed until it goes off by default at "+BasicAuthEnd)
	}
	if len(parts) == 0 {
		return "nothing in the tenant's configuration refuses this submission"
	}
	return strings.Join(parts, "; ")
}
