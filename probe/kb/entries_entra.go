package kb

// Entra ID documentation the entries of this table link to (besides docs.go). Each page is in
// Microsoft's entra-docs sources (docs/identity-platform/…, docs/identity/…) or is the
// troubleshooting article that the AADSTS reference links for the error.
const (
	docEntraROPC        = "https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth-ropc"
	docEntraClientCreds = "https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow"
	docEntraScopes      = "https://learn.microsoft.com/en-us/entra/identity-platform/scopes-oidc"
	docEntraRefresh     = "https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens"
	docEntraLockout     = "https://learn.microsoft.com/en-us/entra/identity/authentication/howto-password-smart-lockout"
	docEntraResetPwd    = "https://learn.microsoft.com/en-us/entra/fundamentals/users-reset-password-azure-portal"
	docEntra50105       = "https://learn.microsoft.com/en-us/troubleshoot/azure/active-directory/error-code-aadsts50105-user-not-assigned-role"
	docEntra50020       = "https://learn.microsoft.com/en-us/troubleshoot/azure/active-directory/error-code-aadsts50020-user-account-identity-provider-does-not-exist"
	docEntra50011       = "https://learn.microsoft.com/en-us/troubleshoot/azure/active-directory/error-code-aadsts50011-reply-url-mismatch"
	docEntra650056      = "https://learn.microsoft.com/en-us/troubleshoot/azure/active-directory/error-code-aadsts650056-misconfigured-app"
)

// entraEntries: Entra ID (AADSTS) errors a client-credentials, certificate or password sign-in for SMTP meets, not already in entries.go.
// Source of every meaning: Microsoft's AADSTS reference (docEntraErrors, entra-docs
// docs/identity-platform/reference-error-codes.md) and, for password sign-ins, the ROPC article
// (docEntraROPC): ROPC needs a public client or a secret, cannot do MFA, does not work for
// federated (AD FS) users or personal accounts, and not over /common.
var entraEntries = []entry{
	// ---- The token request itself ----------------------------------------------------------------
	{
		id:     "aadsts-invalid-scope",
		aadsts: []string{"70011", "1002012", "28002", "700022", "700023"},
		patterns: []string{
			"client credential flows must have a scope value with .default",
			"the provided value for the input parameter scope is not valid",
		},
		alone: true,
		title: "The scope of the token request is not valid (AADSTS70011 / AADSTS1002012 invalid_scope)",
		cause: "Entra ID refused the scope the application asked for. Microsoft's texts name the cases: a client-credentials request must ask for a resource with /.default " +
			"appended (AADSTS1002012), not for permission names such as SMTP.SendAsApp, Mail.Send or User.Read; a scope may name only one resource (AADSTS700022); scopes are " +
			"separated by spaces and must be URIs (AADSTS70011). For SMTP AUTH with an application's own identity the only valid scope is https://outlook.office365.com/.default.",
		fix: []step{
			{"Client credentials (the application signs in as itself, permission SMTP.SendAsApp): request exactly the scope https://outlook.office365.com/.default — nothing else in the scope parameter (no openid, offline_access, Graph or permission names).", ""},
			{"Delegated sign-in (a user signs in, or a password grant): request https://outlook.office.com/SMTP.Send, plus offline_access if the application keeps a refresh token; separate scopes with spaces, not commas, and do not mix https://graph.microsoft.com scopes with Exchange Online scopes in one request.", ""},
			{"exoprobe requests https://outlook.office365.com/.default itself: if it gets a token, copy its scope into the application.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docOAuth, docEntraScopes, docEntraClientCreds, docEntraErrors},
	},
	{
		id:     "aadsts-missing-parameter",
		aadsts: []string{"900144", "90014", "9002313"},
		title:  "The token request lacks a parameter Entra ID requires, or is malformed (AADSTS900144 / AADSTS9002313)",
		cause: "Entra ID did not find a required parameter (its name is in the text: grant_type, client_id, scope, client_secret…) in the body of the token request. Most often the " +
			"parameters were sent as JSON or in the URL query string instead of as a form-encoded POST body, or the application's configuration leaves one of them empty.",
		fix: []step{
			{"Send the token request as an HTTP POST to https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token with Content-Type: application/x-www-form-urlencoded and the parameters in the body — not as JSON, not in the query string.", ""},
			{"Client credentials needs grant_type=client_credentials, client_id={app_id}, scope=https://outlook.office365.com/.default and client_secret (or client_assertion_type and client_assertion for a certificate).", ""},
			{"A refresh (grant_type=refresh_token, as sasl-xoauth2 and mail clients send it) needs client_id, refresh_token and scope: fill in the parameter the error names in the tool's configuration.", ""},
			{"AADSTS9002313 (request malformed or invalid): besides the encoding, check that the refresh token or authorization code was passed on whole and unchanged (not truncated, re-encoded or lower-cased); if in doubt, sign in again for a new one.", ""},
		},
		docs: []string{docEntraClientCreds, docOAuth, docEntraErrors},
	},
	{
		id:       "aadsts-client-credential-missing",
		aadsts:   []string{"7000218", "70002"},
		patterns: []string{"the request body must contain the following parameter client assertion or client secret", "the request body must contain the following parameter client secret or client assertion"},
		alone:    true,
		title:    "Entra ID could not validate the application's client credential: the secret or certificate is missing or wrong (AADSTS7000218 / AADSTS70002)",
		cause: "The app registration {app_id} is a confidential client, so Entra ID requires a credential with every token request: AADSTS7000218 says the body lacked client_secret " +
			"and client_assertion; AADSTS70002 (InvalidClient) says the credentials could not be validated — none was sent, or the client_secret does not match. A password (ROPC) " +
			"sign-in without a secret works only when the app registration allows public client flows.",
		fix: []step{
			{"Unattended SMTP (client credentials, SMTP.SendAsApp): give the application the secret's Value from Entra admin centre > Entra ID > App registrations > {app_id} > Certificates & secrets (or a certificate), so that it sends client_secret or client_assertion.", ""},
			{"Password sign-in (grant_type=password) without a secret: App registrations > {app_id} > Authentication > Advanced settings > Allow public client flows: Yes.", ""},
			{"If a secret is sent and Entra ID still answers AADSTS70002: the secret is wrong; create a New client secret and copy its Value (not the Secret ID).", ""},
			{"When AADSTS70002 'Error validating credentials' is followed by a second code, that second code names the actual reason: AADSTS50126 a wrong user password, AADSTS50053 a locked account, AADSTS65005 a missing permission, AADSTS50012 with 'Client assertion is not within its valid time range' a wrong clock — look that code up.", ""},
		},
		docs: []string{docEntraClientCreds, docEntraROPC, docEntraErrors},
	},
	{
		id:       "aadsts-public-client-secret",
		aadsts:   []string{"700025"},
		patterns: []string{"client is public so neither"},
		alone:    true,
		title:    "The app registration is a public client, so it must not send a secret (AADSTS700025)",
		cause: "Entra ID treats application {app_id} as a public client (Allow public client flows is on, or the redirect URI is registered under Mobile and desktop applications), and " +
			"for a public client neither client_secret nor client_assertion may be presented. The application sent one.",
		fix: []step{
			{"If the application signs in as itself (client credentials with a secret or certificate): Entra admin centre > Entra ID > App registrations > {app_id} > Authentication > Advanced settings > Allow public client flows: No; register any redirect URI under Web, not Mobile and desktop applications.", ""},
			{"If the application signs in a user (browser, device code or password): remove the client secret from its configuration.", ""},
		},
		docs: []string{docEntraROPC, docEntraClientCreds, docEntraErrors},
	},
	{
		id:     "aadsts-common-endpoint",
		aadsts: []string{"9001023", "90130", "50194", "90124", "50059", "90019", "50128"},
		title:  "The token request does not name the tenant (it went to /common, /consumers or /organizations), which this grant or application does not support (AADSTS9001023 / AADSTS50059)",
		cause: "Entra ID does not support the client-credentials and password grants (AADSTS9001023), applications that are not multitenant and were created after the cut-off date the text names (AADSTS50194) or v1 resources " +
			"(AADSTS90124) over the /common or /consumers endpoints, and when neither the request nor the credentials identify a tenant it answers AADSTS50059 (or AADSTS90019, " +
			"AADSTS50128): it cannot tell which tenant the application or user belongs to.",
		fix: []step{
			{"Use the tenant-specific endpoint: https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token (authority https://login.microsoftonline.com/{tenant}), with the Directory (tenant) ID from App registrations > {app_id} > Overview.", ""},
			{"A single-tenant app registration needs its own tenant ID or a verified domain of the tenant (such as {domain}) in the authority; Microsoft's alternative for /common is to make the application multitenant. For a delegated sign-in of a multitenant application, /organizations can stand for the tenant.", ""},
		},
		docs: []string{docEntraClientCreds, docEntraROPC, docEntraErrors},
	},
	{
		id:       "aadsts-redirect-uri",
		aadsts:   []string{"50011", "500113", "900971"},
		patterns: []string{"does not match the redirect uris configured for the application"},
		alone:    true,
		title:    "The redirect URI of the sign-in is not registered for the application (AADSTS50011 redirect URI mismatch)",
		cause: "Only delegated sign-ins use a redirect URI: a mail client, an OAuth proxy or a tool such as sasl-xoauth2 opens the browser and asks Entra ID to send the result to " +
			"its redirect URI (often http://localhost with a port). Entra ID refuses when that URI is not among the application's registered redirect URIs (AADSTS50011), when " +
			"the application has none (AADSTS500113), or when the request names none (AADSTS900971). The comparison is exact.",
		fix: []step{
			{"Entra admin centre > Entra ID > App registrations > {app_id} > Authentication > Add a platform > Mobile and desktop applications: add exactly the redirect URI from the error (scheme, host, port and path), then Save.", ""},
			{"Or set the tool's redirect URI to one that is already registered on that page.", ""},
			{"An unattended sender needs no redirect URI at all: OAuth client credentials (SMTP.SendAsApp) sign in without a browser; exoprobe tests them.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docEntra50011, docEntraErrors},
	},

	{
		id:     "aadsts-request-loop",
		aadsts: []string{"50196"},
		title:  "Entra ID stopped a loop of identical token requests (AADSTS50196 LoopDetected)",
		cause: "Microsoft's reference: the application made too many of the same request in too short a period, so Entra ID considers it faulty. An SMTP sender that asks for a " +
			"new token (or signs in with a password again) for every message or connection, instead of reusing its token, runs into this.",
		fix: []step{
			{"Reuse the access token until shortly before it expires (the token response's expires_in, usually about an hour) instead of requesting one per message or per connection; MSAL caches the token when the same client application object is kept and asked again.", ""},
			{"Handle errors without retrying at once in a tight loop; wait a few minutes before the next attempt.", ""},
		},
		docs: []string{docEntraErrors, docEntraClientCreds},
	},

	// ---- The app registration's permissions ----------------------------------------------------
	{
		id:     "aadsts-permission-not-listed",
		aadsts: []string{"650056", "650057", "65005"},
		title:  "The app registration does not list a permission for the resource it asks for (AADSTS650056 / AADSTS650057 misconfigured application)",
		cause: "Microsoft's reference: the client has not listed any permissions for the resource in its app registration's requested permissions, or the admin has not consented in " +
			"the tenant, or the client ID in the request is not the one configured. For SMTP the resource is Office 365 Exchange Online (https://outlook.office365.com).",
		fix: []step{
			{"Entra admin centre > Entra ID > App registrations > {app_id} > API permissions > Add a permission > APIs my organization uses > Office 365 Exchange Online > Application permissions > SMTP.SendAsApp (for a user sign-in: Delegated permissions > SMTP.Send).", ""},
			{"On the same page: Grant admin consent for the tenant.", ""},
			{"Check that the client ID the application sends is {app_id}, the registration that holds the permission.", ""},
		},
		docs: []string{docOAuth, docAdminConsent, docEntra650056, docEntraErrors},
	},
	{
		id:     "aadsts-not-assigned",
		aadsts: []string{"50105"},
		title:  "The user or application is not assigned to the application (AADSTS50105)",
		cause: "The enterprise application that was signed in to has 'Assignment required?' set to Yes, and the signed-in user (or the calling application) is not assigned to it, " +
			"directly or through a group.",
		fix: []step{
			{"Entra admin centre > Entra ID > Enterprise applications > the application named in the error > Users and groups > Add user/group: assign {mailbox|from} (or a group it belongs to).", ""},
			{"Or, if the application need not be restricted: Enterprise applications > the application > Properties > Assignment required?: No.", ""},
		},
		docs: []string{docEntra50105, docEntraErrors},
	},

	// ---- Password (ROPC) sign-ins of a mailbox ---------------------------------------------------
	{
		id:       "aadsts-invalid-password",
		aadsts:   []string{"50126", "50056", "50064"},
		patterns: []string{"invalid username or password or invalid on premise username or password"},
		alone:    true,
		title:    "Entra ID rejected the user name or password (AADSTS50126 invalid username or password)",
		cause: "A password sign-in (the ROPC grant) for {mailbox|from} failed: the password is wrong (AADSTS50126), the account has no password in Entra ID (AADSTS50056), or the " +
			"credential could not be validated (AADSTS50064). Microsoft documents that ROPC does not work for federated (AD FS) accounts unless their password is synced and " +
			"cloud password validation is allowed, nor for personal accounts, nor with passwords that start or end with a space.",
		fix: []step{
			{"Enter the user principal name of {mailbox|from} and its current password again in the application.", ""},
			{"Entra admin centre > Entra ID > Monitoring & health > Sign-in logs: open the failed sign-in of {mailbox|from} and read the failure reason.", ""},
			{"For a federated domain or an unattended sender, use OAuth client credentials instead of a password, and test them with exoprobe.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docEntraROPC, docEntraErrors},
	},
	{
		id:     "aadsts-user-not-found",
		aadsts: []string{"50034", "51004"},
		title:  "The user account does not exist in this tenant (AADSTS50034)",
		cause: "Entra ID found no account with the user name given in tenant {tenant}: the name is mistyped, it is an address rather than the user principal name, or the request " +
			"went to another tenant.",
		fix: []step{
			{"Find the user principal name of the mailbox (Exchange Online PowerShell).", "Get-User -Identity {ps:mailbox|from} | Format-List UserPrincipalName"},
			{"Sign in with that user principal name, against the tenant that holds it ({tenant}).", ""},
		},
		docs: []string{docEntraROPC, docEntraErrors},
	},
	{
		id:     "aadsts-external-account",
		aadsts: []string{"50020", "16000", "90072"},
		title:  "The account belongs to another identity provider or tenant (AADSTS50020 user account does not exist in tenant)",
		cause: "The account that signed in (often a personal Microsoft account, identity provider live.com) does not exist in tenant {tenant} where the application is registered. " +
			"Personal accounts, and personal accounts invited as guests, cannot use a password sign-in at all.",
		fix: []step{
			{"Sign in with the work account of the mailbox that sends, {mailbox|from}, which belongs to tenant {tenant}.", ""},
			{"If the application is registered in another tenant, register it in the mailbox's own tenant (or make it multitenant and consent to it there).", ""},
		},
		docs: []string{docEntra50020, docEntraROPC, docEntraErrors},
	},
	{
		id:     "aadsts-account-locked",
		aadsts: []string{"50053"},
		title:  "The account is locked or the sign-in came from a blocked IP address (AADSTS50053)",
		cause: "Microsoft gives two causes: the account is locked because there were too many sign-ins with a wrong user ID or password (smart lockout), or the sign-in came " +
			"from an IP address with malicious activity. A device or application that keeps retrying an old password keeps the account locked.",
		fix: []step{
			{"Entra admin centre > Entra ID > Monitoring & health > Sign-in logs: find the failed sign-in of {mailbox|from} with error code 50053 and read its failure reason.", ""},
			{"Stop every device and application that still uses an old password for {mailbox|from}, then wait for the smart lockout to end (Entra ID > Authentication methods > Password protection shows the lockout duration).", ""},
			{"If the sign-in was blocked for its IP address, send from another address or move the application to OAuth client credentials.", ""},
		},
		docs: []string{docEntraLockout, docEntraErrors},
	},
	{
		id:     "aadsts-user-disabled",
		aadsts: []string{"50057"},
		title:  "The user account is disabled (AADSTS50057)",
		cause: "The account {mailbox|from} has sign-in blocked (Account enabled = No) in Entra ID, or in the on-premises Active Directory it is synced from. The account of " +
			"a shared mailbox is normally blocked from signing in, as Microsoft recommends.",
		fix: []step{
			{"Entra admin centre > Entra ID > Users > {mailbox|from} > Properties > Account enabled: Yes (Microsoft 365 admin centre: Users > Active users > Unblock sign-in).", ""},
			{"For an account synced from Active Directory: enable it there and let synchronisation run (Active Directory PowerShell):", "Enable-ADAccount -Identity '<account name>'"},
			{"To send as a shared mailbox, do not sign in as it: use OAuth client credentials with the shared mailbox address as the user.", ""},
		},
		docs: []string{docEntraErrors, docOAuth},
	},
	{
		id:       "aadsts-password-expired",
		aadsts:   []string{"50055", "50144"},
		patterns: []string{"password is expired and therefore their login or session was ended"},
		alone:    true,
		title:    "The account's password has expired (AADSTS50055)",
		cause:    "The password of {mailbox|from} has expired (AADSTS50144: its on-premises Active Directory password), so Entra ID refuses the sign-in until it is changed.",
		fix: []step{
			{"Reset the password: Entra admin centre > Entra ID > Users > {mailbox|from} > Reset password (for a synced account, in Active Directory), then put the new password in the application.", ""},
			{"Better for an unattended sender: OAuth client credentials, which use no user password; exoprobe tests them.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
		},
		docs: []string{docEntraResetPwd, docEntraErrors},
	},
	{
		id:       "aadsts-mfa-required",
		aadsts:   []string{"50076", "50079", "50074", "50072", "50158"},
		patterns: []string{"you must use multi factor authentication to access", "you must enroll in multi factor authentication"},
		alone:    true,
		title:    "The account must complete multifactor authentication, which this sign-in cannot do (AADSTS50076 / AADSTS50079)",
		cause: "A Conditional Access policy, per-user MFA or security defaults require multifactor authentication for {mailbox|from} (AADSTS50079: the user must first register for it; " +
			"AADSTS50158: an external security challenge was not satisfied). A password sign-in (ROPC) or an unattended SMTP client cannot answer an MFA prompt: Microsoft documents " +
			"that ROPC is incompatible with MFA.",
		fix: []step{
			{"For an unattended application: use OAuth client credentials (an app registration with SMTP.SendAsApp); MFA does not apply to service principals. exoprobe tests them.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
			{"For a mail client used by a person: sign in interactively in the browser (OAuth) so the user can complete MFA; for AADSTS50079 the user first registers at https://aka.ms/mysecurityinfo.", ""},
			{"To see which policy asked for MFA: Entra admin centre > Entra ID > Monitoring & health > Sign-in logs > the failed sign-in of {mailbox|from} > Conditional Access.", ""},
		},
		docs: []string{docEntraROPC, docCATroubleshoot, docEntraErrors},
	},
	{
		id:     "aadsts-device-required",
		aadsts: []string{"53000", "53001", "50097"},
		title:  "Conditional Access requires a compliant or joined device (AADSTS53000 / AADSTS53001)",
		cause: "A Conditional Access policy grants access only from a compliant (Intune) or domain-joined device, or device authentication is required (AADSTS50097). A server, " +
			"scanner or application sending SMTP mail signs in without any device identity, so it can never satisfy the policy.",
		fix: []step{
			{"For an unattended sender: use OAuth client credentials; Conditional Access policies for users do not apply to the application's own sign-in. exoprobe tests them.", "exoprobe submit --auth oauth --tenant {ps:tenant} --client-id {ps:app_id} --from {ps:from} --to {ps:to}"},
			{"Entra admin centre > Entra ID > Monitoring & health > Sign-in logs > the failed sign-in > Conditional Access: find the policy, and if the account must keep signing in with a password, have it excluded from that policy (Entra ID > Conditional Access > Policies).", ""},
		},
		docs: []string{docCATroubleshoot, docEntraErrors},
	},
	{
		id:       "aadsts-refresh-token-invalid",
		aadsts:   []string{"700082", "70008", "70000", "50173", "50133", "70043"},
		patterns: []string{"the refresh token has expired due to inactivity"},
		alone:    true,
		title:    "The stored refresh token is no longer valid: sign in again (AADSTS700082 / AADSTS70000 invalid_grant)",
		cause: "Tools that send SMTP mail as a user (sasl-xoauth2, mail clients, OAuth proxies) keep a refresh token. Entra ID refuses it when it was unused for 90 days (AADSTS700082), " +
			"was revoked because the password changed or an admin revoked the sessions (AADSTS50173, AADSTS50133), exceeded a sign-in frequency policy (AADSTS70043), or is invalid " +
			"or malformed, for example refreshed with another client ID or tenant than it was issued to (AADSTS70000).",
		fix: []step{
			{"Sign in again to get a new refresh token: for sasl-xoauth2, sasl-xoauth2-tool get-token … with the same client ID and tenant as in its configuration; for a mail client, remove the saved account password or token and sign in again.", ""},
			{"Make sure the refresh uses the same client ID and tenant ({tenant}) the token was issued to.", ""},
			{"For an unattended relay, prefer OAuth client credentials (SMTP.SendAsApp), which need no refresh token and do not expire with inactivity.", ""},
		},
		docs: []string{docEntraRefresh, docOAuth, docEntraErrors},
	},
}
