// Package code declares the probe's own finding codes, once. A check reports what it saw with
// one of these (or, for a server's reply or an Entra ID error, the code the server gave), and
// the knowledge base (probe/kb) explains each of them: TestEveryCodeHasAnEntry holds every
// constant in All to an entry. Checks import this package, never probe/kb.
package code

import "github.com/exoprobe/exoprobe/probe/check"

// The run itself.
const (
	Skipped                 = check.Skipped
	Cancelled    check.Code = "cancelled"
	SecretInArgv check.Code = "secret-in-argv"
)

// publicip: the addresses this site leaves from.
const (
	PublicIPUndetected  check.Code = "publicip-undetected"
	PublicIPDisagree    check.Code = "publicip-disagree"
	PublicIPUnconfirmed check.Code = "publicip-unconfirmed"
	PublicIPNotPublic   check.Code = "publicip-not-public"
	IPMismatch          check.Code = "ip-mismatch"
)

// dns: the endpoint (MX or --host) and its addresses.
const (
	MXMissing         check.Code = "mx-missing"
	MXNotEXO          check.Code = "mx-not-exo"
	HostNotEXO        check.Code = "host-not-exo" // --host names a host outside Exchange Online
	HostOverride      check.Code = "host-override"
	HostNotFound      check.Code = "host-not-found"
	HostNoAddress     check.Code = "host-no-address"
	DNSFailed         check.Code = "dns-failed"
	SubmitHostUnknown check.Code = "submit-host-unknown"
)

// dns: the sender domain's SPF and DMARC.
const (
	SPFMissing         check.Code = "spf-missing"
	SPFError           check.Code = "spf-error"
	SPFIPNotAuthorised check.Code = "spf-ip-not-authorised"
	SPFNoEXOInclude    check.Code = "spf-no-exo-include"
	DMARCMissing       check.Code = "dmarc-missing"
	DMARCInvalid       check.Code = "dmarc-invalid"
)

// tcp: outbound connections.
const (
	PortFiltered       check.Code = "port-filtered"
	PortRefused        check.Code = "port-refused"
	PortUnreachable    check.Code = "port-unreachable"
	PortBlockedLocally check.Code = "port-blocked-locally"
	PortAborted        check.Code = "port-aborted"
	PortError          check.Code = "port-error"
	IPv6Egress         check.Code = "ipv6-egress"
	// PortBlocked is the endpoint's port filtered while a control port (587, 443) to the same
	// host connects: the ISP or a firewall on the path blocks that one port (port 25, usually).
	PortBlocked check.Code = "port-blocked"
	// MailPortsBlocked is the endpoint's port and every control port filtered or refused: this
	// network lets no mail port out to the host.
	MailPortsBlocked check.Code = "mail-ports-blocked"
	// SMTPNotProxied: a proxy is configured for HTTPS, and the SMTP port is not reachable
	// directly; SMTP does not go through an HTTP proxy.
	SMTPNotProxied check.Code = "smtp-not-proxied"
)

// smtp: the conversation and what answers it.
const (
	BannerTimeout     check.Code = "banner-timeout"
	BannerMasked      check.Code = "banner-masked"
	BannerUnexpected  check.Code = "banner-unexpected"
	NotEXOBanner      check.Code = "not-exo-banner"
	ReplyTimeout      check.Code = "reply-timeout"
	ReplyMalformed    check.Code = "reply-malformed"
	ConnectionClosed  check.Code = "connection-closed"
	ConnectionFailed  check.Code = "connection-failed"
	EgressIPDiffers   check.Code = "egress-ip-differs"
	STARTTLSMissing   check.Code = "starttls-missing"
	STARTTLSStripped  check.Code = "starttls-stripped"
	STARTTLSInjection check.Code = "starttls-injection"
	SendAsUnverified  check.Code = "sendas-unverified"
)

// tls: STARTTLS and the server's certificate.
const (
	TLSHandshakeFailed     check.Code = "tls-handshake-failed"
	TLSVerifyFailed        check.Code = "tls-verify-failed"
	TLSIntercepted         check.Code = "tls-intercepted"
	ClientCertNotRequested check.Code = "client-cert-not-requested"
	LegacyTLSMiddlebox     check.Code = "legacy-tls-middlebox"
)

// clientcert: the certificate of a certificate-based connector.
const (
	CertExpired           check.Code = "cert-expired"
	CertNotYetValid       check.Code = "cert-not-yet-valid"
	CertExpiring          check.Code = "cert-expiring"
	CertSelfSigned        check.Code = "cert-self-signed"
	CertChainIncomplete   check.Code = "cert-chain-incomplete"
	CertUntrustedRoot     check.Code = "cert-untrusted-root"
	CertKeyMismatch       check.Code = "cert-key-mismatch"
	CertDomainMismatch    check.Code = "cert-domain-mismatch"
	CertNotAcceptedDomain check.Code = "cert-not-accepted-domain"
	CertNoClientAuth      check.Code = "cert-no-clientauth"
)

// connector: the connector pre-flight.
const (
	ConnectorNoCertDomain check.Code = "connector-no-cert-domain"
	ConnectorNoIPv4       check.Code = "connector-no-ipv4"
)

// oauth: the app's credential, the token request and the token.
const (
	OAuthConfig              check.Code = "oauth-config"
	OAuthNoCredential        check.Code = "oauth-no-credential"
	SecretWhitespace         check.Code = "secret-whitespace"
	SecretLooksLikeID        check.Code = "secret-looks-like-id"
	AppCertExpired           check.Code = "app-cert-expired"
	AppCertExpiring          check.Code = "app-cert-expiring"
	AppCertNotYetValid       check.Code = "app-cert-not-yet-valid"
	AppCertKeyMismatch       check.Code = "app-cert-key-mismatch"
	AppCertMissing           check.Code = "app-cert-missing"
	AppCertKeyMissing        check.Code = "app-cert-key-missing"
	CertKeyNotRSA            check.Code = "cert-key-not-rsa"
	TokenEndpointDNS         check.Code = "token-endpoint-dns"
	TokenEndpointUnreachable check.Code = "token-endpoint-unreachable"
	TokenEndpointTLS         check.Code = "token-endpoint-tls"
	TokenTimeout             check.Code = "token-timeout"
	TokenCanceled            check.Code = "token-canceled"
	TokenHTTPError           check.Code = "token-http-error"
	TokenRequestFailed       check.Code = "token-request-failed"
	TokenResponseInvalid     check.Code = "token-response-invalid"
	TokenResponseTooLarge    check.Code = "token-response-too-large"
	TokenMalformed           check.Code = "token-malformed"
	TokenExpired             check.Code = "token-expired"
	TokenNotYetValid         check.Code = "token-not-yet-valid"
	TokenMissingRole         check.Code = "token-missing-role"
	TokenWrongAudience       check.Code = "token-wrong-audience"
	TokenWrongTenant         check.Code = "token-wrong-tenant"
	TokenWrongApp            check.Code = "token-wrong-app"
	TokenDelegated           check.Code = "token-delegated"
)

// auth: signing in.
const (
	AuthNotOffered       check.Code = "auth-not-offered"
	AuthMechanismMissing check.Code = "auth-mechanism-missing"
	AuthXOAUTH2Rejected  check.Code = "auth-xoauth2-rejected"
	BasicAuthDeprecated  check.Code = "basic-auth-deprecated"
)

// tenant: the tenant's configuration, read by exoprobe tenant.
const (
	ExoUnauthorized           check.Code = "exo-unauthorized"
	ExoForbidden              check.Code = "exo-forbidden"
	GraphUnauthorized         check.Code = "graph-unauthorized"
	GraphForbidden            check.Code = "graph-forbidden"
	TenantAPIFailed           check.Code = "tenant-api-failed"
	TenantThrottled           check.Code = "tenant-throttled"
	DomainNotAccepted         check.Code = "domain-not-accepted"
	ConnectorNone             check.Code = "connector-none"
	ConnectorIPMismatch       check.Code = "connector-ip-mismatch"
	ConnectorDisabled         check.Code = "connector-disabled"
	ConnectorCertMismatch     check.Code = "connector-cert-mismatch"
	RejectDirectSendOn        check.Code = "rejectdirectsend-on"
	SMTPAuthMailboxDisabled   check.Code = "smtpauth-mailbox-disabled"
	SMTPAuthInheritedDisabled check.Code = "smtpauth-inherited-disabled"
	MailboxNotFound           check.Code = "mailbox-not-found"
	AppNotInExchange          check.Code = "app-not-in-exchange"
	AppNoMailboxRights        check.Code = "app-no-mailbox-rights"
	AppNotFound               check.Code = "app-not-found"
	AppNoServicePrincipal     check.Code = "app-no-service-principal"
	AppNoSMTPRole             check.Code = "app-no-smtp-role"
	EntraSecretExpired        check.Code = "entra-secret-expired"
	EntraSecretExpiring       check.Code = "entra-secret-expiring"
	EntraCertExpired          check.Code = "entra-cert-expired"
	EntraCertExpiring         check.Code = "entra-cert-expiring"
)

// tenant, compared with a submission or a connector to be created (--tenant-check of submit and
// connector).
const (
	BasicAuthSMTPBlocked  check.Code = "basic-auth-smtp-blocked"
	FromNotAcceptedDomain check.Code = "from-not-accepted-domain"
	ConnectorExists       check.Code = "connector-exists"
	ConnectorConflict     check.Code = "connector-conflict"
	ConnectorToCreate     check.Code = "connector-to-create"
)

// All lists every code above, in the order declared; the knowledge base's table test walks it.
var All = []check.Code{
	Skipped, Cancelled, SecretInArgv, PublicIPUndetected,
	PublicIPDisagree, PublicIPUnconfirmed, IPMismatch, MXMissing,
	MXNotEXO, HostOverride, HostNotFound, HostNoAddress,
	DNSFailed, SubmitHostUnknown, SPFMissing, SPFError,
	SPFIPNotAuthorised, SPFNoEXOInclude, DMARCMissing, DMARCInvalid,
	PortFiltered, PortRefused, PortUnreachable, PortBlockedLocally,
	PortAborted, PortError, IPv6Egress, BannerTimeout,
	BannerMasked, BannerUnexpected, NotEXOBanner, ReplyTimeout,
	ReplyMalformed, ConnectionClosed, ConnectionFailed, EgressIPDiffers,
	STARTTLSMissing, STARTTLSStripped, STARTTLSInjection, SendAsUnverified,
	TLSHandshakeFailed, TLSVerifyFailed, TLSIntercepted, ClientCertNotRequested,
	LegacyTLSMiddlebox, CertExpired, CertNotYetValid, CertExpiring,
	CertSelfSigned, CertChainIncomplete, CertUntrustedRoot, CertKeyMismatch,
	CertDomainMismatch, CertNotAcceptedDomain, CertNoClientAuth, ConnectorNoCertDomain,
	ConnectorNoIPv4, OAuthConfig, OAuthNoCredential, SecretWhitespace,
	SecretLooksLikeID, AppCertExpired, AppCertExpiring, AppCertNotYetValid,
	AppCertKeyMismatch, AppCertMissing, AppCertKeyMissing, CertKeyNotRSA, TokenEndpointDNS, TokenEndpointUnreachable, TokenEndpointTLS,
	TokenTimeout, TokenCanceled, TokenHTTPError, TokenRequestFailed,
	TokenResponseInvalid, TokenResponseTooLarge, TokenMalformed, TokenExpired,
	TokenNotYetValid, TokenMissingRole, TokenWrongAudience, TokenWrongTenant,
	TokenWrongApp, TokenDelegated, AuthNotOffered, AuthMechanismMissing,
	AuthXOAUTH2Rejected, BasicAuthDeprecated, PublicIPNotPublic, PortBlocked, MailPortsBlocked,
	HostNotEXO, SMTPNotProxied,
	ExoUnauthorized, ExoForbidden, GraphUnauthorized, GraphForbidden,
	TenantAPIFailed, TenantThrottled, DomainNotAccepted, ConnectorNone,
	ConnectorIPMismatch, ConnectorDisabled, ConnectorCertMismatch, RejectDirectSendOn,
	SMTPAuthMailboxDisabled, SMTPAuthInheritedDisabled, MailboxNotFound, AppNotInExchange,
	AppNoMailboxRights, AppNotFound, AppNoServicePrincipal, AppNoSMTPRole,
	EntraSecretExpired, EntraSecretExpiring, EntraCertExpired, EntraCertExpiring,
	BasicAuthSMTPBlocked, FromNotAcceptedDomain, ConnectorExists, ConnectorConflict, ConnectorToCreate,
}
