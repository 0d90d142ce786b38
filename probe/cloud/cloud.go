// Package cloud is the one table of Microsoft 365's clouds: for each, where its tokens come
// from, which audience Exchange Online's SMTP accepts, its client submission hosts, the
// suffixes of its tenants' MX hosts, the SPF include of its outbound mail and the domains its
// servers are named under. The oauth, dns and smtp checks and the runner all read it here.
package cloud

import (
	"slices"
	"sort"
	"strings"
)

// Cloud is one Microsoft 365 cloud instance: where its tokens come from, which audience Exchange
// Online's SMTP accepts, and where its submission and MX endpoints are. Every value in the table
// below is taken from a Microsoft page unless its comment says [community]:
//
//   - Login hosts: "National clouds", Microsoft Entra authentication endpoints table,
//     https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud
//     (login.microsoftonline.com, login.microsoftonline.us, login.partner.microsoftonline.cn).
//   - Global scope and audience: "Authenticate an IMAP, POP or SMTP connection using OAuth",
//     https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth
//     ("You must use https://outlook.office365.com/.default in the scope property"); the same
//     page uses https://outlook.office.com/SMTP.Send for delegated tokens, so that audience is
//     accepted too.
//   - GCC High SMTP host: "Microsoft 365 U.S. Government GCC High endpoints", Exchange Online
//     ID 5, outlook.office365.us on TCP 587,
//     https://learn.microsoft.com/microsoft-365/enterprise/microsoft-365-u-s-government-gcc-high-endpoints
//     (many configurations use smtp.office365.us [community]; both names are Microsoft's).
//   - DoD SMTP host: "Microsoft 365 U.S. Government DoD endpoints", Exchange Online ID 4,
//     outlook-dod.office365.us on TCP 587,
//     https://learn.microsoft.com/microsoft-365/enterprise/microsoft-365-u-s-government-dod-endpoints
//   - 21Vianet: "Microsoft 365 endpoints operated by 21Vianet", Exchange Online ID 1
//     (*.partner.outlook.cn) and ID 17 (login.partner.microsoftonline.cn),
//     https://learn.microsoft.com/microsoft-365/enterprise/urls-and-ip-address-ranges-21vianet
//     The submission host smtp.partner.outlook.cn is [community] (widely configured, not named
//     on a Microsoft page I could reach).
//   - Sovereign audiences (https://outlook.office365.us, https://outlook-dod.office365.us,
//     https://partner.outlook.cn) are [community]: the EXO host names from the endpoint lists
//     above, used as the .default scope by several public tools; no Microsoft page lists them
//     for SMTP.
//   - MX suffixes: mail.protection.outlook.com and mx.microsoft (worldwide, MC1048624),
//     mail.protection.office365.us (GCC High, DoD), mail.protection.partner.outlook.cn (21Vianet)
//     [community], see research/exchange-online-facts.md section 3. Outlook.com's consumer MX
//     (outlook-com.olc.protection.outlook.com) is served by the same worldwide service.
//   - High Volume Email: smtp-hve.office365.com, and smtp.hve.mx.microsoft, which a third party
//     says replaces it [unverified], so both are accepted; smtp-legacy.office365.com is the
//     opt-in endpoint for clients that still speak TLS 1.0/1.1 (facts section 3).
//   - SPF includes: spf.protection.outlook.com (worldwide), spf.protection.office365.us and
//     spf.protection.partner.outlook.cn [community].
//   - Server domains: Exchange Online's servers greet under the domains of their endpoints
//     ("220 CH3PEPF00000015.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready",
//     BN9PR03CA0553.outlook.office365.com on 587; facts section 4.4).
//   - Exchange Online Admin API base URLs: "Get started with the Exchange Online Admin API",
//     supported environments and base URLs (outlook.office365.com, outlook.office365.us,
//     outlook-dod.office365.us, outlook.office365.cn),
//     https://learn.microsoft.com/exchange/reference/admin-api-get-started; the module's
//     undocumented InvokeCommand endpoint lives on the same hosts.
//   - Microsoft Graph hosts: "National cloud deployments", Microsoft Graph and Graph Explorer
//     service root endpoints (graph.microsoft.com, graph.microsoft.us, dod-graph.microsoft.us,
//     microsoftgraph.chinacloudapi.cn),
//     https://learn.microsoft.com/graph/deployments
type Cloud struct {
	// Name is the value of --cloud: "global", "gcc-high", "dod" or "china".
	Name string
	// Title names the cloud for a helpdesk engineer.
	Title string
	// LoginHost is the Entra ID authority host.
	LoginHost string
	// SMTPHost is the SMTP AUTH client submission endpoint (port 587, STARTTLS).
	SMTPHost string
	// OtherSubmitHosts are the cloud's other client submission endpoints (High Volume Email,
	// legacy TLS); none where there is none.
	OtherSubmitHosts []string
	// Audience is the resource whose .default scope the token is requested for; an app token
	// for Exchange Online carries it as its aud claim.
	Audience string
	// Audiences are the aud values Exchange Online's SMTP accepts in this cloud, Audience first.
	Audiences []string
	// MXSuffixes are the host suffixes of the cloud's inbound MX endpoints, with a leading dot.
	MXSuffixes []string
	// SPFInclude is the include a sender domain's SPF record needs for mail the cloud sends on.
	SPFInclude string
	// ServerDomains are the domains Exchange Online's servers and endpoints are named under in
	// this cloud: a greeting from a host under one of them is Exchange Online's.
	ServerDomains []string
	// AdminAPIHost is the host of Exchange Online's Admin API (/adminapi/v2.0) and of the
	// InvokeCommand endpoint the ExchangeOnlineManagement module uses; its .default scope is
	// what a token for either is requested for.
	AdminAPIHost string
	// GraphHost is the host of Microsoft Graph in this cloud.
	GraphHost string
}

// AdminScope is the OAuth scope of an app-only token for the Exchange Online Admin API.
func (c Cloud) AdminScope() string { return "https://" + c.AdminAPIHost + "/.default" }

// GraphScope is the OAuth scope of an app-only token for Microsoft Graph.
func (c Cloud) GraphScope() string { return "https://" + c.GraphHost + "/.default" }

// Scope is the OAuth scope for a client-credentials token for Exchange Online in this cloud.
func (c Cloud) Scope() string { return c.Audience + "/.default" }

// AcceptsAudience reports whether aud is an audience Exchange Online accepts in this cloud.
// A trailing slash is ignored and hosts compare case-insensitively.
func (c Cloud) AcceptsAudience(aud string) bool {
	a := strings.TrimSuffix(strings.TrimSpace(aud), "/")
	for _, want := range c.Audiences {
		if strings.EqualFold(a, want) {
			return true
		}
	}
	return false
}

// table is every sovereign-cloud difference, in one place (sources above).
var table = []Cloud{
	{
		Name:             "global",
		Title:            "Microsoft 365 worldwide (including GCC)",
		LoginHost:        "login.microsoftonline.com",
		SMTPHost:         "smtp.office365.com",
		OtherSubmitHosts: []string{"smtp-hve.office365.com", "smtp.hve.mx.microsoft", "smtp-legacy.office365.com", "outlook.office365.com"},
		Audience:         "https://outlook.office365.com",
		Audiences:        []string{"https://outlook.office365.com", "https://outlook.office.com"},
		MXSuffixes:       []string{".mail.protection.outlook.com", ".mx.microsoft", ".olc.protection.outlook.com"},
		SPFInclude:       "spf.protection.outlook.com",
		ServerDomains:    []string{"outlook.com", "office365.com", "mx.microsoft"},
		AdminAPIHost:     "outlook.office365.com",
		GraphHost:        "graph.microsoft.com",
	},
	{
		Name:          "gcc-high",
		Title:         "Microsoft 365 U.S. Government GCC High",
		LoginHost:     "login.microsoftonline.us",
		SMTPHost:      "outlook.office365.us",
		Audience:      "https://outlook.office365.us",
		Audiences:     []string{"https://outlook.office365.us"},
		MXSuffixes:    []string{".mail.protection.office365.us"},
		SPFInclude:    "spf.protection.office365.us",
		ServerDomains: []string{"office365.us"},
		AdminAPIHost:  "outlook.office365.us",
		GraphHost:     "graph.microsoft.us",
	},
	{
		Name:          "dod",
		Title:         "Microsoft 365 U.S. Government DoD",
		LoginHost:     "login.microsoftonline.us",
		SMTPHost:      "outlook-dod.office365.us",
		Audience:      "https://outlook-dod.office365.us",
		Audiences:     []string{"https://outlook-dod.office365.us", "https://outlook.office365.us"},
		MXSuffixes:    []string{".mail.protection.office365.us"},
		SPFInclude:    "spf.protection.office365.us",
		ServerDomains: []string{"office365.us"},
		AdminAPIHost:  "outlook-dod.office365.us",
		GraphHost:     "dod-graph.microsoft.us",
	},
	{
		Name:          "china",
		Title:         "Microsoft 365 operated by 21Vianet",
		LoginHost:     "login.partner.microsoftonline.cn",
		SMTPHost:      "smtp.partner.outlook.cn",
		Audience:      "https://partner.outlook.cn",
		Audiences:     []string{"https://partner.outlook.cn"},
		MXSuffixes:    []string{".mail.protection.partner.outlook.cn"},
		SPFInclude:    "spf.protection.partner.outlook.cn",
		ServerDomains: []string{"partner.outlook.cn"},
		AdminAPIHost:  "outlook.office365.cn",
		GraphHost:     "microsoftgraph.chinacloudapi.cn",
	},
}

// aliases maps the names people type to the table's names.
var aliases = map[string]string{
	"":           "global",
	"global":     "global",
	"worldwide":  "global",
	"commercial": "global",
	"public":     "global",
	"gcc":        "global", // GCC (moderate) uses the worldwide endpoints
	"gcc-high":   "gcc-high",
	"gcchigh":    "gcc-high",
	"usgov":      "gcc-high",
	"dod":        "dod",
	"usgovdod":   "dod",
	"china":      "china",
	"21vianet":   "china",
}

// Global is the worldwide cloud, the default.
func Global() Cloud { c, _ := Lookup(""); return c }

// Lookup returns the cloud named name (case-insensitive; "" is global; "gcc" is global
// because GCC uses the worldwide endpoints).
func Lookup(name string) (Cloud, bool) {
	n, ok := aliases[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return Cloud{}, false
	}
	for _, c := range table {
		if c.Name == n {
			return c.clone(), true
		}
	}
	return Cloud{}, false
}

// clone copies c so that callers cannot change the table through its slices.
func (c Cloud) clone() Cloud {
	c.OtherSubmitHosts = slices.Clone(c.OtherSubmitHosts)
	c.Audiences = slices.Clone(c.Audiences)
	c.MXSuffixes = slices.Clone(c.MXSuffixes)
	c.ServerDomains = slices.Clone(c.ServerDomains)
	return c
}

// All returns the cloud table, the worldwide cloud first: where two clouds accept the same
// audience (DoD accepts GCC High's), the first one that does is the one it names.
func All() []Cloud {
	out := make([]Cloud, 0, len(table))
	for _, c := range table {
		out = append(out, c.clone())
	}
	return out
}

// Names returns the names --cloud accepts, sorted, for usage messages.
func Names() []string {
	var names []string
	for _, c := range table {
		names = append(names, c.Name)
	}
	sort.Strings(names)
	return names
}

// norm lower-cases a host name and drops its trailing dot.
func norm(host string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(host), "."))
}

// ForMX returns the cloud whose tenants' MX hosts host is one of; ok is false when host is not
// an Exchange Online MX host. A bare suffix ("mail.protection.outlook.com") is not a host, and
// a submission host under an MX suffix (smtp.hve.mx.microsoft) is not an MX host.
func ForMX(host string) (c Cloud, ok bool) {
	if IsSubmissionHost(host) {
		return Cloud{}, false
	}
	h := "." + norm(host)
	for _, c := range table {
		for _, s := range c.MXSuffixes {
			if strings.HasSuffix(h, s) && len(h) > len(s) {
				return c.clone(), true
			}
		}
	}
	return Cloud{}, false
}

// IsSubmissionHost reports whether host is one of Exchange Online's client submission endpoints,
// in any cloud.
func IsSubmissionHost(host string) bool {
	h := norm(host)
	for _, c := range table {
		if h == c.SMTPHost || slices.Contains(c.OtherSubmitHosts, h) {
			return true
		}
	}
	return false
}

// IsServerName reports whether host is named under one of the domains of Exchange Online's
// servers and endpoints, in any cloud: an MX host, a submission host, a front-end server.
func IsServerName(host string) bool {
	h := norm(host)
	for _, c := range table {
		for _, d := range c.ServerDomains {
			if h == d || strings.HasSuffix(h, "."+d) {
				return true
			}
		}
	}
	return false
}

// SPFIncludes returns the SPF include of every cloud, without repeats.
func SPFIncludes() []string {
	var out []string
	for _, c := range table {
		if !slices.Contains(out, c.SPFInclude) {
			out = append(out, c.SPFInclude)
		}
	}
	return out
}
