// Package kb is the knowledge base of replies: it turns SMTP replies, Entra ID (AADSTS) errors
// and the probe's own observations into a cause and the steps that fix it.
//
// STUB: the API below is fixed; the implementation is being written.
package kb

import (
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/reply"
)

// Vars are values from the run that fill the placeholders in fix steps. Known keys: domain,
// from, from_domain, to, to_domain, mx_host, host, port, public_ip, expect_ip, echo_ip,
// tenant, app_id, mailbox, cert_domain. A missing key leaves a readable placeholder.
type Vars map[string]string

// Match is one entry that a text matched, best first in Explain's result.
type Match struct {
	Code string `json:"code"`
	check.Hint
	Tokens []string `json:"tokens,omitempty"`
}

// Hint returns the entry with the given id (a reply entry or a probe code such as
// "port-filtered"), filled with v; nil when there is none.
func Hint(id string, v Vars) *check.Hint { return nil }

// ForReply returns the finding code (the enhanced status code, or the basic code when the reply
// has none) and the hint for a server reply; the hint falls back to the RFC 3463 meaning of the
// code's class and subject and is never nil.
func ForReply(r *reply.Reply, v Vars) (code string, h *check.Hint) {
	return r.Enhanced, &check.Hint{}
}

// Explain decodes any text that carries replies or error codes: a pasted NDR, an application's
// exception, a log line. Best match first; empty when the text carries no code at all.
func Explain(text string, v Vars) []Match { return nil }

// ForCode returns the hint for a code as findings carry it: an enhanced status code ("5.7.64"),
// a basic code ("554"), or an Entra ID code ("AADSTS7000215"); nil when the knowledge base
// has no entry and no generic meaning for it.
func ForCode(code string, v Vars) *check.Hint { return nil }
