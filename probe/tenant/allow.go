package tenant

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Interface names which of Exchange Online's two interfaces a cmdlet goes through.
type Interface string

// The two interfaces to Exchange Online's configuration.
const (
	// AdminAPI is Microsoft's documented Exchange Online Admin API, POST
	// <base>/adminapi/v2.0/<tenant>/<endpoint> (preview since November 2025,
	// https://learn.microsoft.com/exchange/reference/admin-api-get-started). It covers a few
	// endpoints only (https://learn.microsoft.com/exchange/reference/admin-api-endpoints-reference).
	AdminAPI Interface = "admin-api-v2.0"
	// InvokeCommand is the endpoint the ExchangeOnlineManagement PowerShell module itself calls,
	// POST <base>/adminapi/beta/<tenant>/InvokeCommand. Microsoft does not document it and says
	// nothing about its stability: it is labelled as undocumented wherever exoprobe uses it.
	InvokeCommand Interface = "invokecommand-undocumented"
)

// cmdlet is one cmdlet the client may send, with the only parameters it may carry.
type cmdlet struct {
	// endpoint is the Admin API v2.0 endpoint that runs the cmdlet; "" when only the
	// undocumented InvokeCommand runs it.
	endpoint string
	params   []string
	// values holds, for a parameter that may carry only certain values, those values.
	values map[string][]string
}

// allowed is the fixed allow-list: the only cmdlets the client can send, every one of them a
// Get-* or Test-* cmdlet that reads and changes nothing, each with the parameters it may carry.
// Nothing else can leave the client (newRequest refuses it; TestOnlyReadsLeave proves it).
var allowed = map[string]cmdlet{
	"Get-AcceptedDomain":               {endpoint: "AcceptedDomain"},
	"Get-OrganizationConfig":           {endpoint: "OrganizationConfig"},
	"Get-InboundConnector":             {},
	"Get-TransportConfig":              {},
	"Get-AuthenticationPolicy":         {},
	"Get-HostedConnectionFilterPolicy": {},
	// Without Identity, with ResultSize Unlimited: every mailbox (exoprobe inventory).
	"Get-CASMailbox":          {params: []string{"Identity", "ResultSize"}, values: map[string][]string{"ResultSize": {"Unlimited"}}},
	"Get-ServicePrincipal":    {},
	"Get-MailboxPermission":   {params: []string{"Identity"}},
	"Get-RecipientPermission": {params: []string{"Identity"}},
	"Get-User":                {params: []string{"Identity"}},
}

// AllowedCmdlets returns the names of the cmdlets the client can send, sorted.
func AllowedCmdlets() []string {
	names := make([]string, 0, len(allowed))
	for n := range allowed {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Via returns the interface the client sends the cmdlet name through: the documented Admin API
// when it covers the cmdlet, else the undocumented InvokeCommand; "" when the cmdlet is not on
// the allow-list.
func Via(name string) Interface {
	c, ok := allowed[name]
	switch {
	case !ok:
		return ""
	case c.endpoint != "":
		return AdminAPI
	}
	return InvokeCommand
}

// RefusedError is a request the client refuses to build: a cmdlet or parameter outside the
// allow-list, a method other than the read calls, a URL outside the service. It never leaves
// the machine.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return "tenant: refused: " + e.Reason }

func refused(format string, args ...any) error {
	return &RefusedError{Reason: fmt.Sprintf(format, args...)}
}

// checkCmdlet holds a cmdlet and its parameters to the allow-list. Names compare exactly: the
// service would accept other spellings, the allow-list does not.
func checkCmdlet(name string, params map[string]any) error {
	c, ok := allowed[name]
	if !ok {
		return refused("the cmdlet %q is not on the read-only allow-list (%s)", name, strings.Join(AllowedCmdlets(), ", "))
	}
	if !strings.HasPrefix(name, "Get-") && !strings.HasPrefix(name, "Test-") {
		return refused("the cmdlet %q neither gets nor tests", name) // the list above holds none
	}
	for p, v := range params {
		if !slices.Contains(c.params, p) {
			return refused("the parameter %q of %s is not on the allow-list", p, name)
		}
		s, ok := v.(string)
		if !ok {
			return refused("the parameter %q of %s must be a string", p, name)
		}
		if only, ok := c.values[p]; ok && !slices.Contains(only, s) {
			return refused("the parameter %q of %s may only be %s", p, name, strings.Join(only, ", "))
		}
	}
	return nil
}
