package inventory

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// postfixParams reads main.cf (postconf(5)): name = value lines, # comments, and a line that
// starts with white space goes on the one before. Each value keeps its first line.
func postfixParams(data []byte) map[string]kv {
	params := map[string]kv{}
	var last string
	for i, l := range lines(data) {
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '#' {
			continue
		}
		if (l[0] == ' ' || l[0] == '\t') && last != "" {
			p := params[last]
			p.value += " " + t
			params[last] = p
			continue
		}
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			last = ""
			continue
		}
		last = strings.TrimSpace(k)
		params[last] = kv{key: last, value: strings.TrimSpace(v), line: i + 1}
	}
	return params
}

// parsePostfix reads main.cf's relayhost and, when SASL is on, the user for it from the
// smtp_sasl_password_maps file (sasl_passwd: "[smtp.office365.com]:587 user@contoso.com:secret",
// of which only the user is kept). A map's text source is read where main.cf names it, or,
// for a main.cf read outside /etc/postfix, beside main.cf. smtp_sasl_mechanism_filter naming
// xoauth2 is the sasl-xoauth2 plug-in: OAuth.
func (s *scanner) parsePostfix(path string, data []byte) []Row {
	p := postfixParams(data)
	relay, ok := p["relayhost"]
	if !ok || empty(relay.value) {
		return nil
	}
	host, port := splitHost(relay.value)
	if port == 0 {
		port = 25
	}
	r := Row{File: path, Line: relay.line, Format: FormatPostfix, Setting: "relayhost", Host: host, Port: port, Auth: AuthNone}
	if !yes(p["smtp_sasl_auth_enable"].value) {
		return []Row{r}
	}
	r.Auth = AuthBasic
	if strings.Contains(strings.ToLower(p["smtp_sasl_mechanism_filter"].value), "xoauth2") {
		r.Auth = AuthOAuth
	}
	maps := p["smtp_sasl_password_maps"]
	r.PasswordAt = "not found: smtp_sasl_password_maps is not set"
	for _, m := range strings.FieldsFunc(maps.value, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		typ, file, ok := strings.Cut(m, ":")
		if !ok {
			continue
		}
		switch typ {
		case "hash", "btree", "lmdb", "cdb", "dbm", "texthash", "inline":
		default:
			r.PasswordAt = "the " + typ + ": table named on line " + strconv.Itoa(maps.line)
			continue
		}
		if typ == "inline" {
			continue
		}
		src := file
		if _, err := os.Stat(src); err != nil {
			if beside := filepath.Join(filepath.Dir(path), filepath.Base(file)); beside != src {
				if _, err := os.Stat(beside); err == nil {
					src = beside
				}
			}
		}
		b, ok := s.readFile(src, nil)
		if !ok {
			r.PasswordAt = src + " (not readable here: run as root to see the user)"
			continue
		}
		if user, line, ok := saslUser(b, relay.value, host); ok {
			r.User, r.PasswordAt = user, src+" line "+strconv.Itoa(line)
			break
		}
		r.PasswordAt = src + " (no line for " + relay.value + ")"
	}
	if r.Auth == AuthOAuth {
		r.PasswordAt = ""
	}
	return []Row{r}
}

// saslUser finds the line of sasl_passwd for the relay host as main.cf writes it (or the bare
// host) and returns its user, never its password.
func saslUser(data []byte, relay, host string) (user string, line int, ok bool) {
	for i, l := range lines(data) {
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '#' {
			continue
		}
		f := strings.Fields(t)
		if len(f) < 2 {
			continue
		}
		h, _ := splitHost(f[0])
		if f[0] != relay && h != host {
			continue
		}
		u, _, _ := strings.Cut(f[1], ":")
		return u, i + 1, true
	}
	return "", 0, false
}

func yes(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "true", "on", "1":
		return true
	}
	return false
}

// parseMsmtp reads an msmtp configuration (msmtp(1)): "defaults", then "account NAME [:
// PARENT,...]" sections of "command argument" lines, # comments. Each account that names a
// host is a row; it takes what defaults and its parents set. auth on (or a method such as
// login or plain) signs in with a password, given by password, passwordeval (a command), or
// else ~/.netrc or the keyring; auth xoauth2 or oauthbearer is OAuth.
func parseMsmtp(path string, data []byte) []Row {
	type account struct {
		name string
		set  map[string]kv
	}
	defaults := map[string]kv{}
	var accounts []*account
	cur := defaults
	for i, l := range lines(data) {
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '#' {
			continue
		}
		cmd := strings.Fields(t)[0]
		arg := strings.TrimSpace(t[len(cmd):])
		switch cmd {
		case "defaults":
			cur = defaults
			continue
		case "account":
			name, parents, _ := strings.Cut(arg, ":")
			a := &account{name: strings.TrimSpace(name), set: map[string]kv{}}
			for k, v := range defaults {
				a.set[k] = v
			}
			for _, p := range strings.Split(parents, ",") {
				for _, prev := range accounts {
					if prev.name == strings.TrimSpace(p) {
						for k, v := range prev.set {
							a.set[k] = v
						}
					}
				}
			}
			accounts = append(accounts, a)
			cur = a.set
			continue
		}
		cur[cmd] = kv{key: cmd, value: unquote(arg, false), line: i + 1}
	}
	var rows []Row
	for _, a := range accounts {
		h, ok := a.set["host"]
		if !ok {
			continue
		}
		host, _ := splitHost(h.value)
		r := Row{File: path, Line: h.line, Format: FormatMsmtp, Setting: "host (account " + a.name + ")", Host: host, Port: 25, Auth: AuthNone}
		if p, err := strconv.Atoi(a.set["port"].value); err == nil {
			r.Port = p
		}
		r.User = a.set["user"].value
		switch auth := strings.ToLower(a.set["auth"].value); auth {
		case "", "off":
		case "xoauth2", "oauthbearer":
			r.Auth = AuthOAuth
		default:
			r.Auth = AuthBasic
			switch {
			case a.set["passwordeval"].line > 0:
				r.PasswordAt = "a command (passwordeval, line " + strconv.Itoa(a.set["passwordeval"].line) + ")"
			case a.set["password"].line > 0 && !empty(a.set["password"].value):
				r.PasswordAt = "line " + strconv.Itoa(a.set["password"].line)
			default:
				r.PasswordAt = "not in this file (~/.netrc or the keyring)"
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// parseSsmtp reads ssmtp.conf (ssmtp.conf(5)): mailhub=host[:port], AuthUser, AuthPass,
// keys in any case, # comments.
func parseSsmtp(path string, data []byte) []Row {
	set := map[string]kv{}
	for i, l := range lines(data) {
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		set[k] = kv{key: k, value: strings.TrimSpace(v), line: i + 1}
	}
	hub, ok := set["mailhub"]
	if !ok || empty(hub.value) {
		return nil
	}
	host, port := splitHost(hub.value)
	if port == 0 {
		port = 25
	}
	r := Row{File: path, Line: hub.line, Format: FormatSsmtp, Setting: "mailhub", Host: host, Port: port, Auth: AuthNone}
	if u, ok := set["authuser"]; ok && !empty(u.value) {
		r.User, r.Auth = u.value, AuthBasic
	}
	if p, ok := set["authpass"]; ok && !empty(p.value) {
		r.Auth, r.PasswordAt = AuthBasic, "line "+strconv.Itoa(p.line)
	}
	return []Row{r}
}
