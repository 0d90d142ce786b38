package oauth

import (
	"encoding/base64"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/exoprobe/exoprobe/probe/redact"
)

// redacted replaces a secret in any text the check shows.
const redacted = "[redacted]"

// redactor removes secrets from text that came from elsewhere (server answers, error texts,
// claims) before it goes into a fact or a finding: the secrets themselves in the forms they
// travel in (raw, URL-encoded, base64), and anything that looks like a JWT.
type redactor struct {
	forms []string
}

// minSecretLen keeps a degenerate one- or two-character "secret" from blanking every message.
const minSecretLen = 4

func newRedactor(secrets ...string) *redactor {
	r := &redactor{}
	for _, s := range secrets {
		r.add(s)
	}
	return r
}

// add registers one more secret.
func (r *redactor) add(secret string) {
	if len(secret) < minSecretLen {
		return
	}
	b := []byte(secret)
	for _, f := range []string{
		secret,
		url.QueryEscape(secret),
		url.PathEscape(secret),
		base64.StdEncoding.EncodeToString(b),
		base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b),
		base64.RawURLEncoding.EncodeToString(b),
	} {
		if !containsString(r.forms, f) {
			r.forms = append(r.forms, f)
		}
	}
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// clean redacts s, replaces control characters with spaces and truncates it to max runes.
func (r *redactor) clean(s string, max int) string {
	for _, f := range r.forms {
		s = strings.ReplaceAll(s, f, redacted)
	}
	s = redact.JWTs(s, "[token]")
	var b strings.Builder
	n := 0
	for _, c := range s {
		if n == max {
			b.WriteString("…")
			break
		}
		if c == utf8.RuneError || unicode.IsControl(c) {
			c = ' '
		}
		b.WriteRune(c)
		n++
	}
	return strings.TrimSpace(b.String())
}

// cleanAll cleans every element of list; the result is never nil, so that it marshals as [].
func (r *redactor) cleanAll(list []string, max int) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, r.clean(s, max))
	}
	return out
}
