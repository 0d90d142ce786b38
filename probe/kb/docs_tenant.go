package kb

// Documents only the tenant entries (exoprobe tenant) cite.
const (
	docAppOnlyEXO       = "https://learn.microsoft.com/en-us/powershell/exchange/app-only-auth-powershell-v2"
	docAdminAPIAuth     = "https://learn.microsoft.com/en-us/exchange/reference/admin-api-authentication"
	docGraphThrottling  = "https://learn.microsoft.com/en-us/graph/throttling"
	docGraphAppReadAll  = "https://learn.microsoft.com/en-us/graph/permissions-reference"
	docGraphApplication = "https://learn.microsoft.com/en-us/graph/api/resources/application"
	docGlobalReader     = "https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/permissions-reference"
	docSetCASMailbox    = "https://learn.microsoft.com/en-us/powershell/module/exchange/set-casmailbox"
	docAddMailboxPerm   = "https://learn.microsoft.com/en-us/powershell/module/exchange/add-mailboxpermission"
	docAppRoleAssign    = "https://learn.microsoft.com/en-us/graph/api/serviceprincipal-list-approleassignments"
)
