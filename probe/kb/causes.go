package kb

// What explains a refusal. A server's refusal (a 4xx/5xx reply, an Entra ID error) says what it
// refused; some of the probe's own findings say why: the connector cannot match a client
// certificate that has no intermediate, nor an echoed IP that is not the one it lists. When a run
// has both, its verdict names the cause rather than the refusal.
var (
	// refusalsOfAttribution are Exchange Online's refusals when no connector matches the connection.
	refusalsOfAttribution = []string{"relay-tenant-attribution", "tenant-inbound-attribution"}
	// refusalsOfToken are Exchange Online's refusals of a sign-in with a token.
	refusalsOfToken = []string{"auth-failed", "auth-xoauth2-rejected"}
	// refusalsOfSMTPAuth are Exchange Online's refusals of SMTP AUTH itself (5.7.139).
	refusalsOfSMTPAuth = []string{"smtp-auth-disabled-tenant", "smtp-auth-disabled-mailbox", "smtp-auth-basic-disabled",
		"smtp-auth-criteria", "smtp-auth-blocked"}
	// refusalsOfAssertion are Entra ID's refusals of a certificate credential.
	refusalsOfAssertion = []string{"aadsts-bad-assertion", "aadsts-app-not-found"}

	// causes maps a finding's entry to the refusals it explains.
	causes = map[string][]string{
		// The client certificate a certificate-based connector is matched by.
		"cert-expired":              refusalsOfAttribution,
		"cert-not-yet-valid":        refusalsOfAttribution,
		"cert-self-signed":          refusalsOfAttribution,
		"cert-chain-incomplete":     refusalsOfAttribution,
		"cert-untrusted-root":       refusalsOfAttribution,
		"cert-key-mismatch":         refusalsOfAttribution,
		"cert-domain-mismatch":      refusalsOfAttribution,
		"cert-not-accepted-domain":  refusalsOfAttribution,
		"cert-no-clientauth":        refusalsOfAttribution,
		"connector-no-cert-domain":  refusalsOfAttribution,
		"client-cert-not-requested": refusalsOfAttribution,
		// The address an IP-based connector is matched by.
		"ip-mismatch":       refusalsOfAttribution,
		"egress-ip-differs": refusalsOfAttribution,
		"ipv6-egress":       refusalsOfAttribution,
		"connector-no-ipv4": refusalsOfAttribution,
		// What the tenant's own configuration says (--tenant-check).
		"connector-ip-mismatch":   refusalsOfAttribution,
		"connector-cert-mismatch": refusalsOfAttribution,
		"connector-disabled":      refusalsOfAttribution,
		"connector-none":          refusalsOfAttribution,
		"domain-not-accepted":     refusalsOfAttribution,
		"rejectdirectsend-on":     {"direct-send-rejected"},
		// ... and with a submission (submit --tenant-check).
		"smtpauth-mailbox-disabled":   refusalsOfSMTPAuth,
		"smtpauth-inherited-disabled": refusalsOfSMTPAuth,
		"basic-auth-smtp-blocked":     refusalsOfSMTPAuth,
		"app-not-in-exchange":         refusalsOfToken,
		"app-no-mailbox-rights":       refusalsOfToken,
		"app-no-smtp-role":            refusalsOfToken,
		"from-not-accepted-domain":    {"sendas-denied"},
		"entra-secret-expired":        {"aadsts-expired-secret"},
		// The token Exchange Online refused.
		"token-missing-role":   refusalsOfToken,
		"token-wrong-audience": refusalsOfToken,
		"token-wrong-tenant":   refusalsOfToken,
		"token-wrong-app":      refusalsOfToken,
		"token-delegated":      refusalsOfToken,
		"token-expired":        refusalsOfToken,
		"token-not-yet-valid":  refusalsOfToken,
		"token-malformed":      refusalsOfToken,
		// The credential Entra ID refused.
		"secret-looks-like-id":   {"aadsts-invalid-secret"},
		"secret-whitespace":      {"aadsts-invalid-secret"},
		"app-cert-key-mismatch":  refusalsOfAssertion,
		"app-cert-expired":       refusalsOfAssertion,
		"app-cert-not-yet-valid": refusalsOfAssertion,
		// Without STARTTLS Exchange Online offers no AUTH, and MAIL FROM is refused unsigned.
		"starttls-stripped": {"client-not-authenticated"},
	}
)

// Explains reports whether a finding explained by the entry cause is why the server refused
// with the entry refusal.
func Explains(cause, refusal string) bool {
	for _, r := range causes[cause] {
		if r == refusal {
			return true
		}
	}
	return false
}

// FollowOn reports whether the entry id explains a symptom of an earlier failure (5.7.57 after a
// failed AUTH): a refusal that never names the root cause while another one is there.
func FollowOn(id string) bool {
	e, ok := byID[id]
	return ok && e.followOn
}
