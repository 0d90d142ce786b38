package oauth

import (
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
//     [community], see research/exchange-online-facts.md section 3.
type Cloud struct {
	// Name is the value of --cloud: "global", "gcc-high", "dod" or "china".
	Name string
	// Title names the cloud for a helpdesk engineer.
	Title string
	// LoginHost is the Entra ID authority host.
	LoginHost string
	// SMTPHost is the SMTP AUTH client submission endpoint (port 587, STARTTLS).
	SMTPHost string
	// HVEHost is the High Volume Email submission endpoint, empty where there is none.
	HVEHost string
	// Audience is the resource whose .default scope the token is requested for; an app token
	// for Exchange Online carries it as its aud claim.
	Audience string
	// Audiences are the aud values Exchange Online's SMTP accepts in this cloud, Audience first.
	Audiences []string
	// MXSuffixes are the host suffixes of the cloud's inbound MX endpoints.
	MXSuffixes []string
}

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

// clouds is the cloud table: one place for every sovereign-cloud difference (sources above).
var clouds = []Cloud{
	{
		Name:       "global",
		Title:      "Microsoft 365 worldwide (including GCC)",
		LoginHost:  "login.microsoftonline.com",
		SMTPHost:   "smtp.office365.com",
		HVEHost:    "smtp-hve.office365.com",
		Audience:   "https://outlook.office365.com",
		Audiences:  []string{"https://outlook.office365.com", "https://outlook.office.com"},
		MXSuffixes: []string{".mail.protection.outlook.com", ".mx.microsoft"},
	},
	{
		Name:       "gcc-high",
		Title:      "Microsoft 365 U.S. Government GCC High",
		LoginHost:  "login.microsoftonline.us",
		SMTPHost:   "outlook.office365.us",
		Audience:   "https://outlook.office365.us",
		Audiences:  []string{"https://outlook.office365.us"},
		MXSuffixes: []string{".mail.protection.office365.us"},
	},
	{
		Name:       "dod",
		Title:      "Microsoft 365 U.S. Government DoD",
		LoginHost:  "login.microsoftonline.us",
		SMTPHost:   "outlook-dod.office365.us",
		Audience:   "https://outlook-dod.office365.us",
		Audiences:  []string{"https://outlook-dod.office365.us", "https://outlook.office365.us"},
		MXSuffixes: []string{".mail.protection.office365.us"},
	},
	{
		Name:       "china",
		Title:      "Microsoft 365 operated by 21Vianet",
		LoginHost:  "login.partner.microsoftonline.cn",
		SMTPHost:   "smtp.partner.outlook.cn",
		Audience:   "https://partner.outlook.cn",
		Audiences:  []string{"https://partner.outlook.cn"},
		MXSuffixes: []string{".mail.protection.partner.outlook.cn"},
	},
}

// cloudAliases maps the names people type to the table's names.
var cloudAliases = map[string]string{
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

// LookupCloud returns the cloud named name (case-insensitive; "" is global; "gcc" is global
// because GCC uses the worldwide endpoints).
func LookupCloud(name string) (Cloud, bool) {
	n, ok := cloudAliases[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return Cloud{}, false
	}
	for _, c := range clouds {
		if c.Name == n {
			return c.clone(), true
		}
	}
	return Cloud{}, false
}

// clone copies c so that callers cannot change the table through its slices.
func (c Cloud) clone() Cloud {
	c.Audiences = append([]string(nil), c.Audiences...)
	c.MXSuffixes = append([]string(nil), c.MXSuffixes...)
	return c
}

// Clouds returns the cloud table, sorted by name.
func Clouds() []Cloud {
	out := make([]Cloud, 0, len(clouds))
	for _, c := range clouds {
		out = append(out, c.clone())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// CloudNames returns the names --cloud accepts, sorted, for usage messages.
func CloudNames() []string {
	var names []string
	for _, c := range Clouds() {
		names = append(names, c.Name)
	}
	return names
}
