package kb

import "slices"

// entries is the knowledge base: one table per kind of text, so that each can grow on its own.
// An id is unique across all of them (init checks it).
var entries = slices.Concat(
	coreEntries,        // entries.go: relay, connectors, reputation, SMTP AUTH, certificates, the probe's own findings
	ndrEntries,         // entries_ndr.go: the codes of Exchange Online's NDR reference
	replyWordsEntries,  // entries_words.go: replies whose code is generic but whose words name the cause
	entraEntries,       // entries_entra.go: Entra ID (AADSTS) sign-in and token errors
	clientEntries,      // entries_client.go: what applications, libraries, the OS and devices say
	tenantCheckEntries, // tenant_check.go: the tenant compared with a submission or a connector to create
)
