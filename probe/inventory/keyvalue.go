package inventory

import (
	"bytes"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// kv is one setting of a key-value file: its key, its value and its line. A parser hands the
// value of a password setting on only as "set or not": see group.
type kv struct {
	key, value string
	line       int
}

// role is what a setting is to the mail configuration.
type role int

const (
	roleOther    role = iota
	roleHost          // MAIL_HOST, mail.smtp.host, SMTP (php.ini), smtp_server, WPMS_SMTP_HOST
	rolePort          // MAIL_PORT, smtp_port
	roleUser          // MAIL_USERNAME, EMAIL_HOST_USER, auth_username
	rolePassword      // MAIL_PASSWORD, spring.mail.password, auth_password
	roleAuth          // mail.smtp.auth, WPMS_SMTP_AUTH: true or false
	roleMechs         // mail.smtp.auth.mechanisms
	roleDSN           // MAILER_DSN, MAIL_URL: smtp://user:password@host:port
)

// mailWords are the words that put a setting in the mail configuration.
var mailWords = map[string]bool{"SMTP": true, "SMTPS": true, "MAIL": true, "EMAIL": true, "MAILER": true, "MAILHUB": true, "AUTH": true, "WPMS": true, "SMARTHOST": true}

// classify reads a key's role and its prefix: the words before its first mail word, which tie
// a host to its user and password ("spring.mail.host" and "spring.mail.username" share
// "SPRING").
func classify(key string) (role, string) {
	words := splitWords(key)
	if len(words) == 0 {
		return roleOther, ""
	}
	first := -1
	for i, w := range words {
		if mailWords[w] {
			first = i
			break
		}
	}
	if first < 0 {
		return roleOther, ""
	}
	prefix := strings.Join(words[:first], "_")
	last := words[len(words)-1]
	n := len(words)
	if last == "NAME" && n >= 2 && first < n-2 {
		last = words[n-2] + "NAME" // UserName, HostName, ServerName, AccountName
	}
	switch {
	case n == 1 && (last == "SMTP" || last == "MAILHUB" || last == "SMARTHOST"):
		return roleHost, prefix
	case last == "MECHANISMS" && n >= 2 && words[n-2] == "AUTH":
		return roleMechs, prefix
	case last == "AUTH" && n >= 2 && (words[n-2] == "SMTP" || words[n-2] == "SMTPS"):
		return roleAuth, prefix
	case last == "AUTH" && n == 1:
		return roleOther, prefix
	}
	if first == n-1 {
		return roleOther, prefix // "MAIL" alone, "EMAIL": an address, not a server
	}
	switch last {
	case "HOST", "SERVER", "HOSTNAME", "SERVERNAME", "RELAY", "RELAYHOST", "SMARTHOST":
		return roleHost, prefix
	case "PORT":
		return rolePort, prefix
	case "USER", "USERNAME", "LOGIN", "ACCOUNT", "USERID", "UID":
		return roleUser, prefix
	case "PASSWORD", "PASS", "PWD", "PASSWD":
		return rolePassword, prefix
	case "DSN", "URL", "URI":
		return roleDSN, prefix
	}
	return roleOther, prefix
}

// splitWords splits a key into upper-case words at punctuation and at case changes:
// "spring.mail.host" is SPRING MAIL HOST, "SmtpServer" SMTP SERVER, "SMTPServerPort" SMTP
// SERVER PORT, "auth_username" AUTH USERNAME.
func splitWords(key string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToUpper(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(key)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if i > 0 && unicode.IsUpper(r) && len(cur) > 0 {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// parseKeyValues reads the settings of a .env, .properties, .ini, wp-config.php or other
// key-value file and groups them into rows.
func parseKeyValues(path string, f Format, data []byte) []Row {
	var kvs []kv
	switch f {
	case FormatWordPress:
		kvs = wordpressDefines(data)
	case FormatProperties:
		kvs = propertiesLines(data)
	case FormatSpringYAML:
		kvs = yamlKeys(data)
	case FormatPython:
		kvs = pythonAssignments(data)
	default:
		kvs = keyValueLines(data, f == FormatINI)
	}
	return group(path, f, kvs)
}

// keyValueLines reads KEY=value lines: .env (with export, quotes and # comments), .ini (with
// ; comments and [sections], whose names are not part of the key) and any other such file.
func keyValueLines(data []byte, ini bool) []kv {
	var out []kv
	for i, raw := range lines(data) {
		l := strings.TrimSpace(raw)
		if l == "" || l[0] == '#' || l[0] == ';' || (ini && l[0] == '[') {
			continue
		}
		l = strings.TrimPrefix(l, "export ")
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			continue
		}
		out = append(out, kv{key: strings.TrimSpace(k), value: unquote(v, ini), line: i + 1})
	}
	return out
}

// propertiesLines reads a Java .properties file: key=value, key: value or key value; # and !
// comments; a line ending in a backslash goes on, and the setting keeps its first line.
func propertiesLines(data []byte) []kv {
	var out []kv
	ls := lines(data)
	for i := 0; i < len(ls); i++ {
		first := i
		l := strings.TrimLeft(ls[i], " \t\f")
		if l == "" || l[0] == '#' || l[0] == '!' {
			continue
		}
		for strings.HasSuffix(l, `\`) && !strings.HasSuffix(l, `\\`) && i+1 < len(ls) {
			i++
			l = l[:len(l)-1] + strings.TrimLeft(ls[i], " \t\f")
		}
		end := strings.IndexFunc(l, func(r rune) bool { return r == '=' || r == ':' || r == ' ' || r == '\t' })
		if end < 0 {
			continue
		}
		k := l[:end]
		v := strings.TrimLeft(l[end:], " \t")
		if v != "" && (v[0] == '=' || v[0] == ':') {
			v = v[1:]
		}
		out = append(out, kv{key: k, value: strings.TrimSpace(v), line: first + 1})
	}
	return out
}

// envCall matches a Python setting read from the environment, with its default if it has one:
// os.environ.get('EMAIL_HOST', 'smtp.office365.com'), os.getenv("X"), os.environ["X"], and
// django-environ's env('X') / env.str('X', default='...') or python-decouple's config('X').
var envCall = regexp.MustCompile(`^(?:os\.environ\.get|os\.getenv|env(?:\.str|\.int)?|config)\(\s*['"]([A-Za-z0-9_]+)['"]\s*(?:,\s*(?:default\s*=\s*)?(?:'([^']*)'|"([^"]*)"|(\d+)))?|^os\.environ\[\s*['"]([A-Za-z0-9_]+)['"]\s*\]`)

// pythonAssignments reads NAME = value lines of a Python settings module (Django's
// settings.py, a Flask config.py): a value read from the environment is its default when it
// has one, else a reference to the variable, so that neither a host nor a password is taken
// from the code that reads it.
func pythonAssignments(data []byte) []kv {
	out := keyValueLines(data, false)
	for i, s := range out {
		raw := strings.TrimSpace(s.value)
		m := envCall.FindStringSubmatch(raw)
		switch {
		case m == nil:
			continue
		case m[2] != "" || m[3] != "" || m[4] != "":
			out[i].value = m[2] + m[3] + m[4]
		case m[1] != "":
			out[i].value = "${" + m[1] + "}"
		default:
			out[i].value = "${" + m[5] + "}"
		}
	}
	return out
}

// wpDefine matches define( 'WPMS_SMTP_HOST', 'smtp.office365.com' ); in wp-config.php: WP Mail
// SMTP's WPMS_* constants, and the SMTP_HOST, SMTP_USER, SMTP_PASS, SMTP_AUTH constants that
// the common phpmailer_init snippet reads.
var wpDefine = regexp.MustCompile(`(?i)define\s*\(\s*['"]([A-Z0-9_]+)['"]\s*,\s*([^)]*?)\s*\)\s*;`)

// wordpressDefines reads the constants of wp-config.php.
func wordpressDefines(data []byte) []kv {
	var out []kv
	for i, l := range lines(data) {
		for _, m := range wpDefine.FindAllStringSubmatch(l, -1) {
			out = append(out, kv{key: strings.ToUpper(m[1]), value: unquote(m[2], false), line: i + 1})
		}
	}
	return out
}

// lines splits data into lines without their line ends, a UTF-8 byte order mark dropped.
func lines(data []byte) []string {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	return strings.Split(s, "\n")
}

// unquote reads a value: quoted, it is what is between the quotes; unquoted, a comment after
// it is dropped (" #" in .env, ";" in .ini).
func unquote(v string, ini bool) string {
	v = strings.TrimSpace(v)
	if len(v) >= 1 && (v[0] == '"' || v[0] == '\'') {
		if end := strings.IndexByte(v[1:], v[0]); end >= 0 {
			return v[1 : 1+end]
		}
		return v[1:]
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = v[:i]
	}
	if ini {
		if i := strings.IndexByte(v, ';'); i >= 0 {
			v = v[:i]
		}
	}
	return strings.TrimSpace(v)
}

// empty reports a value that sets nothing: "", null, or a placeholder left empty.
func empty(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "null", "nil", "none", "~", "''", `""`:
		return true
	}
	return false
}

// fromElsewhere says where a value written as a reference is taken from: ${SMTP_PASSWORD},
// %env(MAIL_PASSWORD)%, env('X'); "" for a plain value.
func fromElsewhere(v string) string {
	v = strings.TrimSpace(v)
	switch {
	case strings.HasPrefix(v, "${") && strings.HasSuffix(v, "}"):
		name, _, _ := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(v, "${"), "}"), ":") // Spring's ${NAME:default}
		return "the variable " + name
	case strings.HasPrefix(v, "%env(") && strings.HasSuffix(v, ")%"):
		return "the variable " + strings.TrimSuffix(strings.TrimPrefix(v, "%env("), ")%")
	case strings.HasPrefix(v, "$") && len(v) > 1 && !strings.ContainsAny(v, " "):
		return "the variable " + strings.TrimPrefix(v, "$")
	}
	return ""
}

// passwordAt says where a password setting keeps its value, never the value.
func passwordAt(p kv) string {
	if src := fromElsewhere(p.value); src != "" {
		return src + " (named on line " + strconv.Itoa(p.line) + ")"
	}
	return "line " + strconv.Itoa(p.line)
}

// group ties the settings of one file into rows: one per host setting, with the port, user,
// password and sign-in settings of the same prefix, the nearest one where there are several.
// A DSN (smtp://user:password@host:port) is a row by itself.
func group(path string, f Format, kvs []kv) []Row {
	type setting struct {
		kv
		role   role
		prefix string
	}
	var all []setting
	for _, s := range kvs {
		r, p := classify(s.key)
		if r != roleOther {
			all = append(all, setting{s, r, p})
		}
	}
	nearest := func(h setting, want role) (setting, bool) {
		var best setting
		found := false
		for _, s := range all {
			if s.role != want || s.prefix != h.prefix {
				continue
			}
			if !found || abs(s.line-h.line) < abs(best.line-h.line) {
				best, found = s, true
			}
		}
		return best, found
	}
	var rows []Row
	for _, h := range all {
		switch h.role {
		case roleDSN:
			if r, ok := dsnRow(path, f, h.kv); ok {
				rows = append(rows, r)
			}
			continue
		case roleHost:
		default:
			continue
		}
		host, port := splitHost(h.value)
		r := Row{File: path, Line: h.line, Format: f, Setting: h.key, Host: host, Port: port}
		if p, ok := nearest(h, rolePort); ok && r.Port == 0 {
			r.Port, _ = strconv.Atoi(strings.TrimSpace(p.value))
		}
		if u, ok := nearest(h, roleUser); ok && !empty(u.value) {
			r.User = u.value
			if src := fromElsewhere(u.value); src != "" {
				r.User = "(from " + src + ")"
			}
		}
		if p, ok := nearest(h, rolePassword); ok && !empty(p.value) {
			r.PasswordAt = passwordAt(p.kv)
		}
		r.Auth = AuthNone
		if r.User != "" || r.PasswordAt != "" {
			r.Auth = AuthBasic
		}
		if a, ok := nearest(h, roleAuth); ok {
			switch strings.ToLower(strings.TrimSpace(a.value)) {
			case "false", "0", "no", "off":
				r.Auth, r.PasswordAt = AuthNone, ""
			case "true", "1", "yes", "on":
				if r.Auth == AuthNone {
					r.Auth = AuthBasic
				}
				if r.PasswordAt == "" {
					r.PasswordAt = "not in this file (the application passes it)"
				}
			}
		}
		if m, ok := nearest(h, roleMechs); ok && r.Auth != AuthNone {
			if u := strings.ToUpper(m.value); strings.Contains(u, "XOAUTH2") || strings.Contains(u, "OAUTHBEARER") {
				r.Auth, r.PasswordAt = AuthOAuth, ""
			}
		}
		if f == FormatWordPress {
			if mailer, ok := find(kvs, "WPMS_MAILER"); ok && !strings.EqualFold(mailer.value, "smtp") {
				continue // another mailer than "Other SMTP": the SMTP constants are not used
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// dsnRow reads a mailer DSN or URL, such as Symfony's MAILER_DSN=smtp://user:pass@host:587.
func dsnRow(path string, f Format, s kv) (Row, bool) {
	u, err := url.Parse(strings.TrimSpace(s.value))
	if err != nil || u.Host == "" || !strings.HasPrefix(strings.ToLower(u.Scheme), "smtp") {
		return Row{}, false
	}
	host, port := splitHost(u.Host)
	r := Row{File: path, Line: s.line, Format: f, Setting: s.key, Host: host, Port: port, Auth: AuthNone}
	if u.User != nil {
		r.User = u.User.Username()
		if _, ok := u.User.Password(); ok {
			r.PasswordAt = "line " + strconv.Itoa(s.line) + " (in the URL)"
		}
		r.Auth = AuthBasic
	}
	return r, true
}

func find(kvs []kv, key string) (kv, bool) {
	for _, s := range kvs {
		if strings.EqualFold(s.key, key) {
			return s, true
		}
	}
	return kv{}, false
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
