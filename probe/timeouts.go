package probe

import "time"

// Named timeouts. Every dial, read and write below the run has its own deadline, and none of
// them may exceed the whole run's (TestTimeoutsNest holds them to that).
const (
	// DefaultTimeout bounds a whole run (--timeout): the helpdesk engineer waits for the
	// verdict, and a healthy run against Exchange Online takes a few seconds at most.
	DefaultTimeout = 45 * time.Second
	// DefaultConnectTimeout decides how soon a silent port is called filtered (--connect-timeout).
	DefaultConnectTimeout = 5 * time.Second
	// DefaultReplyTimeout is how long the probe waits for each SMTP reply (--reply-timeout).
	// Exchange Online answers within a second; a firewall or antivirus that holds the
	// connection shows as a reply that never comes.
	DefaultReplyTimeout = 15 * time.Second
	// PublicIPTimeout bounds public-IP detection; the DNS sources answer in tens of milliseconds
	// and the HTTPS fallback needs a TLS handshake.
	PublicIPTimeout = 8 * time.Second
	// DNSTimeout bounds the endpoint's look-ups: the MX and the addresses of its host.
	DNSTimeout = 10 * time.Second
	// SenderTimeout bounds the sender domain's SPF and DMARC look-ups, from the moment the
	// public IP is known (SPF is evaluated for it): a slow IP detection does not eat their time.
	SenderTimeout = 10 * time.Second
)
