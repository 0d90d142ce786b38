// Package redact removes secrets from text whose secrets the program does not know: a pasted
// SMTP transcript, an application's log, a saved bounce. It finds them by their shape: the
// argument of SMTP AUTH and the lines a client sends after a 334 challenge, bearer tokens and
// Authorization headers, JWTs anywhere, and the values of password, secret and token fields in
// query strings, form bodies, JSON and connection strings.
//
// Where the secrets are known (the probe's own credentials), their callers replace every
// encoded form of them as well; this package is the net under that, and the only guard for
// text that people paste.
package redact

import (
	"sort"
	"strings"
)

// Mark replaces each secret in Text's result.
const Mark = "[redacted]"

// span is the byte range [start, end) of one secret.
type span struct{ start, end int }

// Text returns s with every secret it recognises replaced by Mark; the rest of the text,
// SMTP codes included, is left as it is byte for byte, so that it can still be decoded. The
// work is linear in the length of s.
func Text(s string) string {
	if s == "" {
		return s
	}
	lower := asciiLower(s)
	var spans []span
	spans = authArguments(s, lower, spans)
	spans = challengeAnswers(s, spans)
	spans = authorizationHeaders(s, lower, spans)
	spans = bearerTokens(s, lower, spans)
	spans = fieldValues(s, lower, spans)
	spans = jwtSpans(s, spans)
	spans = xoauth2Blobs(s, spans)
	return replace(s, spans, Mark)
}

// JWTs returns s with every run shaped like a JWT (eyJ…, base64url parts joined by at least two
// dots) replaced by mark.
func JWTs(s, mark string) string {
	return replace(s, jwtSpans(s, nil), mark)
}

// replace writes s with each span (merged where they overlap) replaced by mark.
func replace(s string, spans []span, mark string) string {
	if len(spans) == 0 {
		return s
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var b strings.Builder
	b.Grow(len(s))
	at := 0
	for i := 0; i < len(spans); {
		sp := spans[i]
		for i++; i < len(spans) && spans[i].start <= sp.end; i++ {
			sp.end = max(sp.end, spans[i].end)
		}
		if sp.start < at { // inside the previous merged span: cannot happen after merging
			sp.start = at
		}
		b.WriteString(s[at:sp.start])
		b.WriteString(mark)
		at = sp.end
	}
	b.WriteString(s[at:])
	return b.String()
}

// asciiLower folds ASCII letters only, so that byte offsets into the result are offsets into s.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
func isAlnum(c byte) bool { return isDigit(c) || isUpper(c) || isLower(c) }

// isB64 reports whether c can be part of a base64 or base64url token.
func isB64(c byte) bool {
	return isAlnum(c) || c == '+' || c == '/' || c == '=' || c == '-' || c == '_'
}

// isB64URL reports whether c can be part of a JWT's segment.
func isB64URL(c byte) bool { return isAlnum(c) || c == '-' || c == '_' || c == '=' }

// b64Run returns the end of the run of base64 characters starting at i.
func b64Run(s string, i int) int {
	for i < len(s) && isB64(s[i]) {
		i++
	}
	return i
}

// wordStart reports whether a word can start at i: the byte before it is not a letter or digit.
func wordStart(s string, i int) bool { return i == 0 || !isAlnum(s[i-1]) && s[i-1] != '_' }

// looksEncoded reports whether a token has the look of an encoding rather than of a word: a
// digit or one of + / = . - _ ~, or a capital letter after its first character.
func looksEncoded(t string) bool {
	for i := 0; i < len(t); i++ {
		c := t[i]
		if isDigit(c) || strings.IndexByte("+/=.-_~", c) >= 0 || (i > 0 && isUpper(c)) {
			return true
		}
	}
	return false
}

// mechanisms are the SASL mechanisms an AUTH command names (RFC 4954 and the registry), and
// those Microsoft's and other clients send.
var mechanisms = map[string]bool{
	"PLAIN": true, "LOGIN": true, "XOAUTH2": true, "XOAUTH": true, "OAUTHBEARER": true,
	"CRAM-MD5": true, "DIGEST-MD5": true, "NTLM": true, "GSSAPI": true, "ANONYMOUS": true,
	"EXTERNAL": true, "SCRAM-SHA-1": true, "SCRAM-SHA-256": true, "SCRAM-SHA-1-PLUS": true,
	"SCRAM-SHA-256-PLUS": true, "MSN": true, "WDIGEST": true, "KERBEROS_V4": true,
}

// authArguments finds the initial response of "AUTH <mechanism> <response>" (and IMAP's
// AUTHENTICATE), wherever the line puts it: "C: AUTH PLAIN …", "> AUTH XOAUTH2 …",
// "send: 'AUTH LOGIN …\r\n'". A list of mechanisms ("250-AUTH LOGIN PLAIN XOAUTH2") and the
// empty response "=" are not secrets.
func authArguments(s, lower string, spans []span) []span {
	for from := 0; ; {
		k := strings.Index(lower[from:], "auth")
		if k < 0 {
			return spans
		}
		i := from + k
		from = i + 4
		if !wordStart(s, i) {
			continue
		}
		j := i + 4
		if strings.HasPrefix(lower[j:], "enticate") {
			j += len("enticate")
		}
		m := skipBlanks(s, j)
		if m == j {
			continue
		}
		me := m
		for me < len(s) && (isAlnum(s[me]) || s[me] == '-' || s[me] == '_') {
			me++
		}
		if !mechanisms[strings.ToUpper(s[m:me])] {
			continue
		}
		a := skipBlanks(s, me)
		if a == me {
			continue
		}
		ae := b64Run(s, a)
		arg := s[a:ae]
		if arg == "" || arg == "=" || mechanisms[strings.ToUpper(arg)] {
			continue
		}
		spans = append(spans, span{a, ae})
		from = ae
	}
}

func skipBlanks(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// challengeAnswers finds the line a client sends after a 334 challenge (AUTH LOGIN's user name
// and password, a SASL response), whatever prefix the tool puts before it: "C: ", " -> ",
// "CLIENT -> SERVER: ", "send: '…\r\n'", or none. The line's last field is the answer.
func challengeAnswers(s string, spans []span) []span {
	if !strings.Contains(s, "334") {
		return spans
	}
	challenged := false
	for at := 0; at < len(s); {
		end := strings.IndexByte(s[at:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += at
		}
		line := s[at:end]
		switch {
		case strings.TrimSpace(line) == "":
			// a blank line between the challenge and the answer changes nothing
		case isChallenge(line):
			challenged = true // a challenge after a challenge: the answer in between was not shown
		case challenged:
			challenged = false
			if sp, ok := answerIn(line); ok {
				spans = append(spans, span{at + sp.start, at + sp.end})
			}
		}
		at = end + 1
	}
	return spans
}

// isChallenge reports whether line carries a 334 reply: "334", then at most one base64 token
// (the challenge) before the end of the line.
func isChallenge(line string) bool {
	for from := 0; ; {
		k := strings.Index(line[from:], "334")
		if k < 0 {
			return false
		}
		i := from + k
		from = i + 3
		if i > 0 && (isAlnum(line[i-1]) || line[i-1] == '.' || line[i-1] == ',') {
			continue
		}
		rest := line[i+3:]
		if rest != "" && rest[0] != ' ' && rest[0] != '-' && rest[0] != '\r' && rest[0] != '\\' && rest[0] != '\'' && rest[0] != '"' {
			continue
		}
		if rest != "" && (rest[0] == ' ' || rest[0] == '-') {
			rest = rest[1:]
		}
		rest = trimTrailer(rest)
		if rest == "" || b64Run(rest, 0) == len(rest) {
			return true
		}
	}
}

// trimTrailer removes what tools print after a line's content: blanks, quotes and a literal
// "\r\n" (Python's smtplib debug output).
func trimTrailer(s string) string {
	for {
		t := strings.TrimRight(s, " \t\r'\"")
		t = strings.TrimSuffix(t, `\n`)
		t = strings.TrimSuffix(t, `\r`)
		if t == s {
			return t
		}
		s = t
	}
}

// answerIn returns where the answer to a challenge is in line: its last field, when that is a
// base64 token. A server's reply is not an answer: a line that carries a reply code keeps a
// last field that reads as a word.
func answerIn(line string) (span, bool) {
	body := trimTrailer(line)
	start := strings.LastIndexAny(body, " \t'\"") + 1
	tok := body[start:]
	if tok == "" || tok == "*" || b64Run(tok, 0) != len(tok) {
		return span{}, false
	}
	if !looksEncoded(tok) && hasReplyCode(body[:start]) {
		return span{}, false
	}
	return span{start, start + len(tok)}, true
}

// hasReplyCode reports whether s holds a token shaped like an SMTP reply code (2xx to 5xx).
func hasReplyCode(s string) bool {
	for i := 0; i+3 <= len(s); i++ {
		if s[i] < '2' || s[i] > '5' || !isDigit(s[i+1]) || !isDigit(s[i+2]) {
			continue
		}
		if (i == 0 || !isAlnum(s[i-1])) && (i+3 == len(s) || s[i+3] == ' ' || s[i+3] == '-') {
			return true
		}
	}
	return false
}

// authorizationHeaders finds the credentials of an Authorization header or field, in HTTP
// ("Authorization: Basic …"), JSON ("\"Authorization\": \"Bearer …\"") or a query.
func authorizationHeaders(s, lower string, spans []span) []span {
	for from := 0; ; {
		k := strings.Index(lower[from:], "authorization")
		if k < 0 {
			return spans
		}
		i := from + k
		from = i + len("authorization")
		if !wordStart(s, i) {
			continue
		}
		j := from
		if j < len(s) && (s[j] == '"' || s[j] == '\'') {
			j++
		}
		j = skipBlanks(s, j)
		if j >= len(s) || (s[j] != ':' && s[j] != '=') {
			continue
		}
		j = skipBlanks(s, j+1)
		if j < len(s) && (s[j] == '"' || s[j] == '\'') {
			j++
		}
		first := credentialEnd(s, j)
		if first == j {
			continue
		}
		// "Basic <credentials>": the scheme is a word, then a blank, then the credentials.
		if isScheme(s[j:first]) && first < len(s) && s[first] == ' ' {
			c := skipBlanks(s, first)
			if ce := credentialEnd(s, c); ce > c {
				spans = append(spans, span{c, ce})
				from = ce
				continue
			}
		}
		spans = append(spans, span{j, first})
		from = first
	}
}

// credentialEnd returns the end of a credential starting at i: up to a blank, a quote, a comma
// or a line's end.
func credentialEnd(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case ' ', '\t', '\r', '\n', '"', '\'', ',', '\\':
			return i
		}
		i++
	}
	return i
}

// isScheme reports whether w reads as an HTTP authentication scheme: letters only.
func isScheme(w string) bool {
	if w == "" || len(w) > 20 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if !isUpper(w[i]) && !isLower(w[i]) {
			return false
		}
	}
	return true
}

// bearerTokens finds the token after the word Bearer ("auth=Bearer …" inside a decoded
// XOAUTH2 string, "Bearer …" in a log). Prose ("the bearer token is invalid") is left alone:
// the token must look encoded or be long.
func bearerTokens(s, lower string, spans []span) []span {
	for from := 0; ; {
		k := strings.Index(lower[from:], "bearer")
		if k < 0 {
			return spans
		}
		i := from + k
		from = i + 6
		if !wordStart(s, i) {
			continue
		}
		j := skipBlanks(s, from)
		if j == from {
			continue
		}
		e := j
		for e < len(s) && (isB64(s[e]) || s[e] == '.' || s[e] == '~') {
			e++
		}
		tok := s[j:e]
		if tok == "" || !(looksEncoded(tok) || len(tok) >= 20) {
			continue
		}
		spans = append(spans, span{j, e})
		from = e
	}
}

// secretNames are the field names whose values are secrets. A field matches when its name is
// one of them, or ends with one after a separator ("smtp_password", "spring.mail.password");
// anyPrefix names match at the end of any name ("SmtpPassword", "clientsecret").
var (
	secretNames = []string{"password", "passwd", "pwd", "pass", "passphrase", "secret", "client_secret",
		"token", "access_token", "refresh_token", "id_token", "client_assertion", "apikey", "api_key", "sig"}
	anyPrefix = []string{"password", "passwd", "passphrase", "secret"}
)

// isSecretName reports whether a lower-case field name names a secret.
func isSecretName(name string) bool {
	for _, n := range anyPrefix {
		if strings.HasSuffix(name, n) {
			return true
		}
	}
	for _, n := range secretNames {
		if name == n {
			return true
		}
		if len(name) > len(n) && strings.HasSuffix(name, n) && strings.IndexByte("_.-", name[len(name)-len(n)-1]) >= 0 {
			return true
		}
	}
	return false
}

func isNameChar(c byte) bool { return isAlnum(c) || c == '_' || c == '.' || c == '-' }

// maxName bounds how far back a field's name is looked for.
const maxName = 64

// nameBefore returns the field name that ends at i (blanks and a closing quote skipped), lower
// case, and whether it was quoted.
func nameBefore(lower string, i int) (name string, quoted bool) {
	for i > 0 && (lower[i-1] == ' ' || lower[i-1] == '\t') {
		i--
	}
	if i > 0 && (lower[i-1] == '"' || lower[i-1] == '\'') {
		quoted = true
		i--
		if i > 0 && lower[i-1] == '\\' { // an escaped quote inside a JSON string
			i--
		}
	}
	end := i
	for i > 0 && end-i < maxName && isNameChar(lower[i-1]) {
		i--
	}
	return lower[i:end], quoted
}

// fieldValues finds the values of secret fields: "password=…" in a query, a form body or a
// connection string ("Password=…;"), its URL-encoded form ("password%3D…"), and JSON
// ("\"client_secret\": \"…\"").
func fieldValues(s, lower string, spans []span) []span {
	for i := 0; i < len(s); i++ {
		var v int // where the value starts
		switch c := s[i]; {
		case c == '=':
			v = i + 1
		case c == '%' && i+2 < len(s) && s[i+1] == '3' && (s[i+2] == 'd' || s[i+2] == 'D'):
			v = i + 3
		case c == ':':
			// Only a quoted name ("password": …) makes a field of a colon; look no further
			// for the others, the colons of every timestamp.
			j := i
			for j > 0 && s[j-1] == ' ' {
				j--
			}
			if j == 0 || (s[j-1] != '"' && s[j-1] != '\'') {
				continue
			}
			v = i + 1
		default:
			continue
		}
		name, quoted := nameBefore(lower, i)
		if name == "" || (s[i] == ':' && !quoted) || !isSecretName(name) {
			continue
		}
		if sp, ok := valueAt(s, v, s[i] == '%'); ok {
			spans = append(spans, sp)
			i = sp.end - 1
		}
	}
	return spans
}

// valueAt returns the span of the value that starts at v (after blanks): a quoted string up to
// its closing quote, or a bare value up to a blank, &, ; or a quote. encoded is set for a
// URL-encoded field, whose value also ends at "%26" (an encoded &).
func valueAt(s string, v int, encoded bool) (span, bool) {
	v = skipBlanks(s, v)
	if v >= len(s) || strings.HasPrefix(s[v:], Mark) {
		return span{}, false
	}
	var quote string
	switch {
	case strings.HasPrefix(s[v:], `\"`):
		quote = `\"`
	case s[v] == '"' || s[v] == '\'':
		quote = s[v : v+1]
	}
	if quote != "" {
		start := v + len(quote)
		if strings.HasPrefix(s[start:], Mark) {
			return span{}, false
		}
		e := start
		for e < len(s) && !strings.HasPrefix(s[e:], quote) && s[e] != '\n' {
			if quote != `\"` && s[e] == '\\' && e+1 < len(s) {
				e++ // an escaped character inside the string
			}
			e++
		}
		e = min(e, len(s))
		if e == start {
			return span{}, false
		}
		return span{start, e}, true
	}
	e := v
	for e < len(s) {
		c := s[e]
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '&' || c == ';' || c == '"' || c == '\'' || c == '<' || c == '>' {
			break
		}
		if c == '\\' && e+1 < len(s) && s[e+1] == '"' {
			break
		}
		if encoded && c == '%' && strings.HasPrefix(s[e:], "%26") {
			break
		}
		e++
	}
	if e == v {
		return span{}, false
	}
	return span{v, e}, true
}

// jwtSpans finds every run that looks like a JWT: "eyJ" at the start of a base64url segment,
// and at least two dots joining segments.
func jwtSpans(s string, spans []span) []span {
	for from := 0; ; {
		k := strings.Index(s[from:], "eyJ")
		if k < 0 {
			return spans
		}
		i := from + k
		from = i + 3
		// "eyJ" inside a longer word is not a token's start; after "=" ("token=eyJ…") it is.
		if i > 0 && (isAlnum(s[i-1]) || s[i-1] == '-' || s[i-1] == '_') {
			continue
		}
		j, dots := i, 0
		for j < len(s) && (isB64URL(s[j]) || s[j] == '.') {
			if s[j] == '.' {
				dots++
			}
			j++
		}
		if dots >= 2 {
			spans = append(spans, span{i, j})
		}
		from = j
	}
}

// xoauth2Prefix is how every base64-encoded XOAUTH2 initial response begins: "user=" encodes
// to "dXNlcj…". Such a blob carries a bearer token, wherever it stands in the text.
const xoauth2Prefix = "dXNlcj"

// minXOAUTH2 is the shortest blob taken for one: "user=a@b.c\x01auth=Bearer x\x01\x01" is longer.
const minXOAUTH2 = 32

// xoauth2Blobs finds base64 XOAUTH2 responses that no AUTH command or challenge introduced.
func xoauth2Blobs(s string, spans []span) []span {
	for from := 0; ; {
		k := strings.Index(s[from:], xoauth2Prefix)
		if k < 0 {
			return spans
		}
		i := from + k
		from = i + len(xoauth2Prefix)
		if i > 0 && isB64(s[i-1]) {
			continue
		}
		e := b64Run(s, i)
		if e-i >= minXOAUTH2 {
			spans = append(spans, span{i, e})
		}
		from = e
	}
}
