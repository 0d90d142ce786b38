package tenant

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
)

// Inputs are what the tenant is judged against: what the site and the application will present.
// The zero value of each field leaves its judgement out.
type Inputs struct {
	// Mailbox is the mailbox the application signs in as (SMTP AUTH).
	Mailbox string
	// AppID is the application (client) id of the app that sends.
	AppID string
	// PublicIP is the IPv4 address Exchange Online sees the site come from.
	PublicIP netip.Addr
	// CertDomain is the name on the certificate the site's server presents.
	CertDomain string
	// FromDomain is the domain of the MAIL FROM address.
	FromDomain string
	// Now is the clock for credential expiry; nil means time.Now.
	Now func() time.Time
	// Path is the way of sending the judgement is for: check.ModeRelay (the connectors and the
	// accepted domains), check.ModeDirect (RejectDirectSend refuses it), check.ModeSubmit (the
	// mailbox, the sending app, the authentication policy and the MAIL FROM domain; not the
	// connectors, which a submission is not matched by), check.ModeConnector (the pre-flight
	// before a connector is created: the connectors that exist, a conflict, and whether the
	// certificate's name and the domain are accepted domains), or "" for all of them (exoprobe
	// tenant, where RejectDirectSend is a warning).
	Path check.Mode
	// BasicAuth is set when the submission signs in with a password (check.ModeSubmit): the
	// authentication policy that applies to Mailbox is judged.
	BasicAuth bool
	// ConnectorName is the name of the connector to create (check.ModeConnector).
	ConnectorName string
	// ServicePrincipalID gives the object ID of the sending app's service principal (enterprise
	// application) in Entra ID, when the entra check found it (EntraApp): the -ObjectId of the
	// New-ServicePrincipal command that registers the app in Exchange. The exchange check calls
	// it only for that command, so that the two checks run at once and exchange waits for entra
	// only when it needs the ID. nil, or "", leaves a placeholder.
	ServicePrincipalID func() string
	// CreateCommand is the New-InboundConnector command that creates the connector this site
	// needs, filled in with its values (the caller builds it: probe.ConnectorPlan.CreateCommand);
	// "" when the caller has none.
	CreateCommand string
}

// servicePrincipalID is the object ID ServicePrincipalID gives, "" without one.
func (in Inputs) servicePrincipalID() string {
	if in.ServicePrincipalID == nil {
		return ""
	}
	return in.ServicePrincipalID()
}

func (in Inputs) now() time.Time {
	if in.Now != nil {
		return in.Now()
	}
	return time.Now()
}

// Connector is one inbound connector, as Get-InboundConnector returns it.
type Connector struct {
	Name                         string   `json:"Name"`
	ConnectorType                string   `json:"ConnectorType"`
	Enabled                      bool     `json:"Enabled"`
	SenderIPAddresses            []string `json:"SenderIPAddresses"`
	SenderDomains                []string `json:"SenderDomains"`
	TlsSenderCertificateName     string   `json:"TlsSenderCertificateName"`
	RequireTls                   bool     `json:"RequireTls"`
	RestrictDomainsToIPAddresses bool     `json:"RestrictDomainsToIPAddresses"`
	RestrictDomainsToCertificate bool     `json:"RestrictDomainsToCertificate"`
}

func (c Connector) onPremises() bool { return strings.EqualFold(c.ConnectorType, "OnPremises") }

// lists reports whether the connector's SenderIPAddresses hold ip: an address, a CIDR range or
// a from-to range, as Set-InboundConnector takes them.
func (c Connector) lists(ip netip.Addr) bool {
	for _, s := range c.SenderIPAddresses {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil && p.Contains(ip) {
			return true
		}
		if a, err := netip.ParseAddr(s); err == nil && a == ip {
			return true
		}
		if lo, hi, ok := strings.Cut(s, "-"); ok {
			l, err1 := netip.ParseAddr(strings.TrimSpace(lo))
			h, err2 := netip.ParseAddr(strings.TrimSpace(hi))
			if err1 == nil && err2 == nil && l.Compare(ip) <= 0 && ip.Compare(h) <= 0 {
				return true
			}
		}
	}
	return false
}

// certMatches reports whether the connector's TlsSenderCertificateName accepts a certificate
// naming name: the same name, or a wildcard *.domain covering it.
func (c Connector) certMatches(name string) bool {
	want := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(c.TlsSenderCertificateName), "."))
	name = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(name), "."))
	if want == "" || name == "" {
		return false
	}
	if want == name {
		return true
	}
	if rest, ok := strings.CutPrefix(want, "*."); ok {
		return strings.HasSuffix(name, "."+rest)
	}
	return false
}

// reader is one run of a check: the client, its result, and whether an earlier call was
// refused for want of a permission, which stops the calls after it.
type reader struct {
	c       *Client
	r       *check.Result
	calls   []map[string]string
	stopped bool
}

// cmdlet runs one cmdlet into v (a pointer to a slice), recording the interface it went through;
// false when it failed, with the failure recorded as a finding.
func (rd *reader) cmdlet(ctx context.Context, name string, params Params, v any) bool {
	return rd.cmdletThrough(ctx, name, params, Via(name), v)
}

// cmdletThrough is cmdlet through the interface via.
func (rd *reader) cmdletThrough(ctx context.Context, name string, params Params, via Interface, v any) bool {
	if rd.stopped {
		return false
	}
	objs, via, err := rd.c.CmdletThrough(ctx, name, params, via)
	rd.calls = append(rd.calls, map[string]string{"cmdlet": name, "interface": string(via)})
	if err != nil {
		rd.fail(err)
		return false
	}
	b, _ := json.Marshal(objs)
	if err := json.Unmarshal(b, v); err != nil {
		rd.fail(&APIError{Interface: via, Call: name, Status: http.StatusOK, Err: fmt.Errorf("unexpected answer: %w", err)})
		return false
	}
	return true
}

// fail records a failed call as its finding. 401 and 403 name what is missing and stop the
// calls after them: every one would be refused the same way.
func (rd *reader) fail(err error) {
	var ae *APIError
	var re *RefusedError
	switch {
	case errors.As(err, &re):
		rd.r.Addf(check.Fail, code.TenantAPIFailed, "%s", re.Error())
	case errors.As(err, &ae):
		f := apiFinding(ae)
		switch {
		case f.Code != code.TenantAPIFailed:
			rd.stopped = true // every later call would be refused the same way
		case ae.notTheService() || errors.Is(ae, context.DeadlineExceeded) || errors.Is(ae, context.Canceled):
			rd.stopped = true
			f.Message += "; the reads after it were not made, as each would most likely end the same way"
		}
		rd.r.Add(f)
	default:
		rd.r.Addf(check.Fail, code.TenantAPIFailed, "%v", err)
	}
}

// apiFinding is the finding of a refused or failed call.
func apiFinding(e *APIError) check.Finding {
	what := clean(e.Code+" "+e.Message, 300)
	if what != "" {
		what = " (" + what + ")"
	}
	undoc := ""
	if e.Interface == InvokeCommand {
		undoc = " through the undocumented InvokeCommand endpoint"
	}
	switch {
	case e.Throttled:
		return check.Finding{Severity: check.Fail, Code: code.TenantThrottled, Message: fmt.Sprintf(
			"%s kept throttling %s (HTTP %d) until the retries or --timeout ran out: run again in a few minutes, or with a longer --timeout",
			service(e.Interface), e.Call, e.Status)}
	case e.Status == http.StatusUnauthorized && e.Interface == Graph:
		return check.Finding{Severity: check.Fail, Code: code.GraphUnauthorized, Message: fmt.Sprintf(
			"Microsoft Graph refused the token for %s with 401%s: the app holds no Microsoft Graph application permission "+
				"(it needs Application.Read.All, with admin consent)", e.Call, what)}
	case e.Status == http.StatusForbidden && e.Interface == Graph:
		return check.Finding{Severity: check.Fail, Code: code.GraphForbidden, Message: fmt.Sprintf(
			"Microsoft Graph refused %s with 403%s: the app lacks the application permission Application.Read.All "+
				"(Microsoft Graph, with admin consent)", e.Call, what)}
	case e.Status == http.StatusUnauthorized && !noExchangeRole(e):
		return check.Finding{Severity: check.Fail, Code: code.ExoUnauthorized, Message: fmt.Sprintf(
			"Exchange Online refused the token for %s%s with 401%s: the app lacks the application permission "+
				"Office 365 Exchange Online > Exchange.ManageAsApp (or the Admin API's Exchange.ManageAsAppV2), with admin consent",
			e.Call, undoc, what)}
	case e.Status == http.StatusForbidden || noExchangeRole(e):
		return check.Finding{Severity: check.Fail, Code: code.ExoForbidden, Message: fmt.Sprintf(
			"Exchange Online refused %s%s with %d%s: the app signs in, but its service principal holds no role that may read the "+
				"configuration: assign it the Entra role Global Reader (or the Exchange role group View-Only Configuration)",
			e.Call, undoc, e.Status, what)}
	case errors.Is(e.Err, context.DeadlineExceeded):
		return check.Finding{Severity: check.Fail, Code: code.TenantAPIFailed, Message: fmt.Sprintf(
			"%s had not finished answering %s%s when --timeout ran out: the service, or a proxy or firewall on the way, held the "+
				"connection or answered too slowly (or --timeout is too short for this tenant)",
			service(e.Interface), e.Call, undoc)}
	case errors.Is(e.Err, context.Canceled):
		return check.Finding{Severity: check.Fail, Code: code.TenantAPIFailed, Message: fmt.Sprintf(
			"the run was interrupted while %s read %s%s", service(e.Interface), e.Call, undoc)}
	case e.Err != nil:
		return check.Finding{Severity: check.Fail, Code: code.TenantAPIFailed, Message: fmt.Sprintf(
			"%s %s%s failed: %v", service(e.Interface), e.Call, undoc, e.Err)}
	case e.Status/100 == 3:
		return check.Finding{Severity: check.Fail, Code: code.TenantAPIFailed, Message: strings.TrimSpace(fmt.Sprintf(
			"%s answered %s%s with a redirect (HTTP %d %s", service(e.Interface), e.Call, undoc, e.Status, e.Message)) +
			"), which exoprobe does not follow: the token goes to the service's own host only. The services do not redirect these " +
			"calls, so a proxy on the way sent it"}
	case e.notTheService():
		return check.Finding{Severity: check.Fail, Code: code.TenantAPIFailed, Message: fmt.Sprintf(
			"%s answered %s%s with HTTP %d and a page that is not the service's: a proxy or gateway on the way answered in its place",
			service(e.Interface), e.Call, undoc, e.Status)}
	}
	return check.Finding{Severity: check.Fail, Code: code.TenantAPIFailed, Message: fmt.Sprintf(
		"%s answered %s%s with HTTP %d%s", service(e.Interface), e.Call, undoc, e.Status, what)}
}

// noExchangeRole reports Exchange Online's refusal of an app whose service principal holds no
// directory role it accepts, whatever the status it came with: "The role assigned to
// application <id> isn't supported in this scenario. Please check online documentation for
// assigning correct Directory Roles to Azure AD Application for EXO App-Only Authentication."
// (as pasted in github.com/Microsoft365DSC/Microsoft365DSC/issues/4530 and
// github.com/maester365/maester/issues/718).
func noExchangeRole(e *APIError) bool {
	m := strings.ToLower(e.Message)
	return e.Interface != Graph && strings.Contains(m, "role assigned to application") && strings.Contains(m, "directory roles")
}

func service(i Interface) string {
	if i == Graph {
		return "Microsoft Graph"
	}
	return "Exchange Online"
}

// Exchange reads and judges the tenant's Exchange Online configuration: the "exchange" check.
// It never returns an error: refusals and failures are findings.
func Exchange(ctx context.Context, c *Client, in Inputs) *check.Result {
	start := time.Now()
	r := check.New(check.Exchange)
	defer r.Since(start)
	rd := &reader{c: c, r: r}
	defer func() {
		r.Set("calls", rd.calls)
		undoc := 0
		for _, call := range rd.calls {
			if call["interface"] == string(InvokeCommand) {
				undoc++
			}
		}
		r.Set("undocumented_interface", undoc > 0)
		if r.Summary == "" {
			r.Summary = exchangeSummary(r)
		}
		if undoc > 0 {
			r.Summary += fmt.Sprintf(" [%d of %d reads through InvokeCommand, an undocumented interface]", undoc, len(rd.calls))
		}
	}()

	var domains []struct {
		DomainName string `json:"DomainName"`
		DomainType string `json:"DomainType"`
	}
	if rd.cmdlet(ctx, "Get-AcceptedDomain", nil, &domains) {
		names := []string{}
		for _, d := range domains {
			names = append(names, strings.ToLower(d.DomainName))
		}
		r.Set("accepted_domains", names)
		d := strings.ToLower(in.FromDomain)
		switch {
		case in.Path == check.ModeSubmit:
			judgeFromDomain(r, names, in)
		case in.Path == check.ModeConnector:
			judgePreflightDomains(r, names, in)
		case d != "" && !slices.Contains(names, d):
			r.Add(check.Finding{Severity: check.Fail, Code: code.DomainNotAccepted, Message: fmt.Sprintf(
				"the MAIL FROM domain %s is not an accepted domain of the tenant (%s): Exchange Online relays through a connector only "+
					"for mail from an accepted domain; send from an address in one of them, or add the domain "+
					"(Microsoft 365 admin centre > Settings > Domains > Add domain)", d, strings.Join(names, ", "))})
		}
	}

	submission, preflight := in.Path == check.ModeSubmit, in.Path == check.ModeConnector
	var connectors []Connector
	// A submission is recognised by its sign-in, never by a connector: they are not read.
	if !submission && rd.cmdlet(ctx, "Get-InboundConnector", nil, &connectors) {
		facts := []map[string]any{}
		for _, k := range connectors {
			facts = append(facts, map[string]any{
				"name": clean(k.Name, 200), "connector_type": k.ConnectorType, "enabled": k.Enabled,
				"sender_ip_addresses": nonNil(k.SenderIPAddresses), "sender_domains": nonNil(k.SenderDomains),
				"tls_sender_certificate_name": clean(k.TlsSenderCertificateName, 253), "require_tls": k.RequireTls,
				"restrict_domains_to_ip_addresses": k.RestrictDomainsToIPAddresses,
				"restrict_domains_to_certificate":  k.RestrictDomainsToCertificate,
			})
		}
		r.Set("inbound_connectors", facts)
		if preflight {
			judgePreflight(r, connectors, in)
		} else {
			judgeConnectors(r, connectors, in)
		}
	}
	if preflight {
		// The rest is what a sending site or mailbox meets, not what a connector's creation needs.
		return r
	}

	var transport []struct {
		SmtpClientAuthenticationDisabled *bool `json:"SmtpClientAuthenticationDisabled"`
		AllowLegacyTLSClients            *bool `json:"AllowLegacyTLSClients"`
	}
	tenantSMTPOff := false
	if rd.cmdlet(ctx, "Get-TransportConfig", nil, &transport) && len(transport) > 0 {
		t := transport[0]
		setBool(r, "smtp_client_authentication_disabled", t.SmtpClientAuthenticationDisabled)
		setBool(r, "allow_legacy_tls_clients", t.AllowLegacyTLSClients)
		tenantSMTPOff = t.SmtpClientAuthenticationDisabled != nil && *t.SmtpClientAuthenticationDisabled
	}

	var org []struct {
		// RejectDirectSend is nil when the answer lacks it: the Admin API's OrganizationConfig
		// returns the whole Get-OrganizationConfig object during its preview only, and a few
		// core properties after it
		// (https://learn.microsoft.com/exchange/reference/admin-api-endpoints-organization-config).
		// Then the reader asks InvokeCommand, which returns the whole object.
		RejectDirectSend            *bool  `json:"RejectDirectSend"`
		DefaultAuthenticationPolicy string `json:"DefaultAuthenticationPolicy"`
	}
	defaultPolicy := ""
	readOrg := (!submission || in.BasicAuth) && rd.cmdlet(ctx, "Get-OrganizationConfig", nil, &org) && len(org) > 0
	if readOrg && org[0].RejectDirectSend == nil && Via("Get-OrganizationConfig") == AdminAPI {
		// The Admin API's trimmed answer: the whole object through InvokeCommand.
		readOrg = rd.cmdletThrough(ctx, "Get-OrganizationConfig", nil, InvokeCommand, &org) && len(org) > 0
	}
	if readOrg {
		defaultPolicy = org[0].DefaultAuthenticationPolicy
		if !submission {
			setBool(r, "reject_direct_send", org[0].RejectDirectSend)
		}
		if v := org[0].RejectDirectSend; v != nil && *v && in.Path != check.ModeRelay && !submission {
			sev := check.Warn
			if in.Path == check.ModeDirect {
				sev = check.Fail // what this Direct Send is refused for
			}
			r.Add(check.Finding{Severity: sev, Code: code.RejectDirectSendOn, Message: "RejectDirectSend is on: Exchange Online " +
				"refuses anonymous mail from the tenant's own domains (550 5.7.68) unless a connector identifies the sender; a device " +
				"that sends by Direct Send needs a connector or SMTP AUTH. Only if the organisation decides to allow Direct Send again: " +
				"Set-OrganizationConfig -RejectDirectSend $false"})
		}
	}

	var policies []struct {
		Name               string `json:"Name"`
		AllowBasicAuthSmtp *bool  `json:"AllowBasicAuthSmtp"`
	}
	if (!submission || in.BasicAuth) && rd.cmdlet(ctx, "Get-AuthenticationPolicy", nil, &policies) {
		facts := []map[string]any{}
		for _, p := range policies {
			facts = append(facts, map[string]any{"name": clean(p.Name, 200), "allow_basic_auth_smtp": p.AllowBasicAuthSmtp})
		}
		r.Set("authentication_policies", facts)
	}

	var filters []struct {
		Name        string   `json:"Name"`
		IPAllowList []string `json:"IPAllowList"`
	}
	if !submission && rd.cmdlet(ctx, "Get-HostedConnectionFilterPolicy", nil, &filters) {
		allow := []string{}
		for _, f := range filters {
			allow = append(allow, f.IPAllowList...)
		}
		r.Set("connection_filter_ip_allow_list", allow)
		if in.PublicIP.IsValid() {
			r.Set("public_ip_on_ip_allow_list", Connector{SenderIPAddresses: allow}.lists(in.PublicIP))
		}
	}

	if in.Mailbox != "" && judgeMailbox(ctx, rd, in, tenantSMTPOff) && submission && in.BasicAuth {
		var applies []authPolicy
		for _, p := range policies {
			applies = append(applies, authPolicy{Name: p.Name, AllowBasicAuthSmtp: p.AllowBasicAuthSmtp})
		}
		judgeBasicAuth(ctx, rd, in, defaultPolicy, applies)
	}
	if submission && r.Summary == "" {
		r.Summary = submissionSummary(r)
	}
	return r
}

// judgeConnectors compares the site with the OnPremises connectors: its public IPv4 must be on
// an enabled one, and the name on its certificate must match one's TlsSenderCertificateName.
func judgeConnectors(r *check.Result, all []Connector, in Inputs) {
	if !in.PublicIP.IsValid() && in.CertDomain == "" {
		return
	}
	var onprem []Connector
	for _, k := range all {
		if k.onPremises() {
			onprem = append(onprem, k)
		}
	}
	if len(onprem) == 0 {
		r.Add(check.Finding{Severity: check.Fail, Code: code.ConnectorNone, Message: "the tenant has no inbound connector of type OnPremises, " +
			"so Exchange Online attributes no relayed mail to it (550 5.7.64): create one: " +
			createCommand(in)})
		return
	}
	if ip := in.PublicIP; ip.IsValid() {
		judgeIP(r, onprem, ip)
	}
	if d := in.CertDomain; d != "" {
		judgeCert(r, onprem, d)
	}
}

func judgeIP(r *check.Result, onprem []Connector, ip netip.Addr) {
	var disabled *Connector
	var ipBased []Connector
	for i, k := range onprem {
		if k.lists(ip) {
			if k.Enabled {
				r.Set("matching_connector", clean(k.Name, 200))
				return
			}
			disabled = &onprem[i]
		}
		if len(k.SenderIPAddresses) > 0 {
			ipBased = append(ipBased, k)
		}
	}
	if disabled != nil {
		r.Add(check.Finding{Severity: check.Fail, Code: code.ConnectorDisabled, Message: fmt.Sprintf(
			"connector %s lists %s but is disabled, so Exchange Online does not use it: Set-InboundConnector -Identity %s -Enabled $true",
			quoteName(disabled.Name), ip, psQuote(disabled.Name))})
		return
	}
	if len(ipBased) == 0 {
		k := onprem[0]
		r.Add(check.Finding{Severity: check.Fail, Code: code.ConnectorIPMismatch, Message: fmt.Sprintf(
			"Exchange Online sees %s; no OnPremises connector lists IP addresses (connector %s identifies senders by certificate only): "+
				"Set-InboundConnector -Identity %s -SenderIPAddresses @{Add=%s}",
			ip, quoteName(k.Name), psQuote(k.Name), psQuote(ip.String()))})
		return
	}
	k := ipBased[0]
	r.Add(check.Finding{Severity: check.Fail, Code: code.ConnectorIPMismatch, Message: fmt.Sprintf(
		"Exchange Online sees %s; connector %s lists %s: Set-InboundConnector -Identity %s -SenderIPAddresses @{Add=%s}",
		ip, quoteName(k.Name), clean(strings.Join(k.SenderIPAddresses, ", "), 300), psQuote(k.Name), psQuote(ip.String()))})
}

func judgeCert(r *check.Result, onprem []Connector, name string) {
	var names []string
	var first *Connector
	for i, k := range onprem {
		if k.TlsSenderCertificateName == "" {
			continue
		}
		if k.certMatches(name) {
			if k.Enabled {
				r.Set("matching_certificate_connector", clean(k.Name, 200))
				return
			}
			r.Add(check.Finding{Severity: check.Fail, Code: code.ConnectorDisabled, Message: fmt.Sprintf(
				"connector %s expects the certificate %s but is disabled: Set-InboundConnector -Identity %s -Enabled $true",
				quoteName(k.Name), clean(name, 253), psQuote(k.Name))})
			return
		}
		names = append(names, fmt.Sprintf("%s expects %s", quoteName(k.Name), clean(k.TlsSenderCertificateName, 253)))
		if first == nil {
			first = &onprem[i]
		}
	}
	target := onprem[0]
	if first != nil {
		target = *first
	}
	seen := "no connector has a TlsSenderCertificateName"
	if len(names) > 0 {
		seen = "no connector's TlsSenderCertificateName matches (" + strings.Join(names, "; ") + ")"
	}
	r.Add(check.Finding{Severity: check.Fail, Code: code.ConnectorCertMismatch, Message: fmt.Sprintf(
		"the certificate names %s; %s: Set-InboundConnector -Identity %s -TlsSenderCertificateName %s",
		clean(name, 253), seen, psQuote(target.Name), psQuote(name))})
}

// judgeMailbox reads the mailbox's SMTP AUTH setting (a tri-state: $null inherits the tenant's)
// and, with an app, the app's registration in Exchange and its rights on the mailbox. It
// returns false when the mailbox could not be read.
func judgeMailbox(ctx context.Context, rd *reader, in Inputs, tenantSMTPOff bool) bool {
	r := rd.r
	var cas []struct {
		PrimarySmtpAddress               string `json:"PrimarySmtpAddress"`
		SmtpClientAuthenticationDisabled *bool  `json:"SmtpClientAuthenticationDisabled"`
	}
	if rd.stopped {
		return false
	}
	objs, via, err := rd.c.Cmdlet(ctx, "Get-CASMailbox", Params{"Identity": in.Mailbox})
	rd.calls = append(rd.calls, map[string]string{"cmdlet": "Get-CASMailbox", "interface": string(via)})
	var ae *APIError
	switch {
	case errors.As(err, &ae) && (ae.Status == http.StatusNotFound || strings.Contains(ae.Code, "NotFound")):
		r.Add(check.Finding{Severity: check.Fail, Code: code.MailboxNotFound, Message: fmt.Sprintf(
			"Exchange Online has no mailbox %s: check the address (Get-Mailbox -Identity %s)", clean(in.Mailbox, 256), psQuote(in.Mailbox))})
		return false
	case err != nil:
		rd.fail(err)
		return false
	}
	b, _ := json.Marshal(objs)
	if json.Unmarshal(b, &cas) != nil || len(cas) == 0 {
		r.Add(check.Finding{Severity: check.Fail, Code: code.MailboxNotFound, Message: fmt.Sprintf(
			"Exchange Online returned no mailbox %s", clean(in.Mailbox, 256))})
		return false
	}
	v := cas[0].SmtpClientAuthenticationDisabled
	switch {
	case v == nil:
		r.Set("mailbox_smtp_auth", "inherits the tenant")
	case *v:
		r.Set("mailbox_smtp_auth", "disabled for this mailbox")
	default:
		r.Set("mailbox_smtp_auth", "enabled for this mailbox")
	}
	setBool(r, "mailbox_smtp_client_authentication_disabled", v)
	switch {
	case v != nil && *v:
		r.Add(check.Finding{Severity: check.Fail, Code: code.SMTPAuthMailboxDisabled, Message: fmt.Sprintf(
			"SMTP AUTH is disabled for %s explicitly (SmtpClientAuthenticationDisabled $true, not inherited): Exchange Online refuses "+
				"its sign-in with 535 5.7.139; Set-CASMailbox -Identity %s -SmtpClientAuthenticationDisabled $false",
			clean(in.Mailbox, 256), psQuote(in.Mailbox))})
	case v == nil && tenantSMTPOff:
		r.Add(check.Finding{Severity: check.Fail, Code: code.SMTPAuthInheritedDisabled, Message: fmt.Sprintf(
			"SMTP AUTH is off for %s because it inherits the tenant's setting (its SmtpClientAuthenticationDisabled is $null, "+
				"the tenant's Get-TransportConfig says $true): Exchange Online refuses its sign-in with 535 5.7.139; enable it for this "+
				"mailbox alone: Set-CASMailbox -Identity %s -SmtpClientAuthenticationDisabled $false",
			clean(in.Mailbox, 256), psQuote(in.Mailbox))})
	}

	if in.AppID == "" {
		return true
	}
	var sps []struct {
		AppId       string `json:"AppId"`
		ServiceId   string `json:"ServiceId"`
		ObjectId    string `json:"ObjectId"`
		DisplayName string `json:"DisplayName"`
		Identity    string `json:"Identity"`
	}
	if !rd.cmdlet(ctx, "Get-ServicePrincipal", nil, &sps) {
		return true
	}
	var names []string
	found := false
	for _, sp := range sps {
		if strings.EqualFold(sp.AppId, in.AppID) {
			found = true
			for _, n := range []string{sp.Identity, sp.ServiceId, sp.ObjectId, sp.DisplayName, sp.AppId} {
				if n != "" {
					names = append(names, strings.ToLower(n))
				}
			}
			r.Set("exchange_service_principal", clean(orString(sp.DisplayName, sp.Identity), 200))
			r.Set("exchange_service_id", clean(orString(sp.ServiceId, sp.ObjectId), 64))
		}
	}
	if !found {
		objectID := "<object ID of its enterprise application>"
		if id := in.servicePrincipalID(); id != "" {
			objectID = psQuote(id)
		}
		r.Add(check.Finding{Severity: check.Fail, Code: code.AppNotInExchange, Message: fmt.Sprintf(
			"the app %s is not registered in Exchange Online (Get-ServicePrincipal lists no service principal with its AppId), so "+
				"Exchange Online cannot grant it a mailbox: New-ServicePrincipal -AppId %s -ObjectId %s",
			clean(in.AppID, 64), psQuote(in.AppID), objectID)})
		return true
	}
	sid := r.Facts["exchange_service_id"].(string)
	var perms []struct {
		User         string   `json:"User"`
		AccessRights []string `json:"AccessRights"`
		Deny         bool     `json:"Deny"`
	}
	var sendAs []struct {
		Trustee           string   `json:"Trustee"`
		AccessRights      []string `json:"AccessRights"`
		AccessControlType string   `json:"AccessControlType"`
	}
	full, send := false, false
	if rd.cmdlet(ctx, "Get-MailboxPermission", Params{"Identity": in.Mailbox}, &perms) {
		for _, p := range perms {
			if slices.Contains(names, strings.ToLower(p.User)) && !p.Deny && containsFold(p.AccessRights, "FullAccess") {
				full = true
			}
		}
	}
	if rd.cmdlet(ctx, "Get-RecipientPermission", Params{"Identity": in.Mailbox}, &sendAs) {
		for _, p := range sendAs {
			if slices.Contains(names, strings.ToLower(p.Trustee)) && !strings.EqualFold(p.AccessControlType, "Deny") &&
				containsFold(p.AccessRights, "SendAs") {
				send = true
			}
		}
	}
	if rd.stopped {
		return true
	}
	r.Set("app_full_access", full)
	r.Set("app_send_as", send)
	if !full && !send {
		r.Add(check.Finding{Severity: check.Fail, Code: code.AppNoMailboxRights, Message: fmt.Sprintf(
			"the app %s is registered in Exchange but has neither FullAccess nor SendAs on %s, so Exchange Online refuses to let "+
				"it send as the mailbox: Add-MailboxPermission -Identity %s -User %s -AccessRights FullAccess",
			clean(in.AppID, 64), clean(in.Mailbox, 256), psQuote(in.Mailbox), psQuote(sid))})
	}
	return true
}

func exchangeSummary(r *check.Result) string {
	for _, f := range r.Findings {
		if f.Severity == check.Fail {
			return "the tenant's configuration blocks sending (" + string(f.Code) + ")"
		}
	}
	for _, f := range r.Findings {
		if f.Severity == check.Warn {
			return "look at the tenant's configuration (" + string(f.Code) + ")"
		}
	}
	n := 0
	if l, ok := r.Facts["inbound_connectors"].([]map[string]any); ok {
		n = len(l)
	}
	return fmt.Sprintf("read the configuration: %d inbound connector(s); nothing blocks sending", n)
}

func setBool(r *check.Result, key string, v *bool) {
	if v == nil {
		r.Set(key, nil)
		return
	}
	r.Set(key, *v)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = clean(x, 253)
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(x), s) {
			return true
		}
	}
	return false
}

func orString(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// quoteName shows a connector's name in a message.
func quoteName(s string) string { return "'" + clean(s, 200) + "'" }

// psQuote quotes s as a PowerShell single-quoted string: each quote character, typographic ones
// included (PowerShell treats them alike), is doubled.
func psQuote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range clean(s, 256) {
		switch r {
		case '\'', '\u2018', '\u2019', '\u201a', '\u201b':
			b.WriteRune(r)
		}
		b.WriteRune(r)
	}
	b.WriteByte('\'')
	return b.String()
}

// createCommand is the command that creates the connector the site needs, as the caller built
// it, or where to find it.
func createCommand(in Inputs) string {
	if in.CreateCommand != "" {
		return in.CreateCommand
	}
	return "exoprobe connector prints the New-InboundConnector command for this site"
}
