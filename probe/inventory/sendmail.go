package inventory

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// sendmail.mc's m4 definitions: define(`SMART_HOST', `[smtp.office365.com]')dnl, the mailer
// arguments that carry the port (define(`RELAY_MAILER_ARGS', `TCP $h 587')dnl), and
// FEATURE(`authinfo', `hash -o /etc/mail/authinfo.db')dnl, the map of AuthInfo lines.
var (
	mcDefine   = regexp.MustCompile("define\\(\\s*`?([A-Z_]+)'?\\s*,\\s*`?([^')]*)'?\\s*\\)")
	mcAuthinfo = regexp.MustCompile("FEATURE\\(\\s*`?authinfo'?\\s*(?:,\\s*`?([^')]*)'?)?\\s*\\)")
	mcPort     = regexp.MustCompile(`TCP\s+\$h\s+(\d+)`)
	authInfo   = regexp.MustCompile(`"([UIPM]):([^"]*)"`)
)

// parseSendmail reads sendmail.mc's SMART_HOST and, when the authinfo feature is on, the user
// of its AuthInfo line from the map's text source (/etc/mail/authinfo by default):
// AuthInfo:smtp.office365.com "U:root" "I:user@contoso.com" "P:secret" "M:LOGIN", of which
// the authentication identity (I:, else U:) is kept, never P:.
func (s *scanner) parseSendmail(path string, data []byte) []Row {
	var (
		r        Row
		found    bool
		authFile string
		authOn   bool
	)
	for i, l := range lines(data) {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "dnl") || strings.HasPrefix(t, "#") {
			continue
		}
		for _, m := range mcDefine.FindAllStringSubmatch(t, -1) {
			switch m[1] {
			case "SMART_HOST":
				v := m[2]
				if mailer, rest, ok := strings.Cut(v, ":["); ok && !strings.Contains(mailer, ".") {
					v = "[" + rest // a mailer named before the host: esmtp:[host], relay:[host]
				}
				host, port := splitHost(v)
				r = Row{File: path, Line: i + 1, Format: FormatSendmail, Setting: "SMART_HOST", Host: host, Port: port, Auth: AuthNone}
				found = true
			case "RELAY_MAILER_ARGS", "ESMTP_MAILER_ARGS", "SMTP_MAILER_ARGS":
				if p := mcPort.FindStringSubmatch(m[2]); p != nil && r.Port == 0 {
					r.Port, _ = strconv.Atoi(p[1])
				}
			}
		}
		if m := mcAuthinfo.FindStringSubmatch(t); m != nil {
			authOn = true
			if f := strings.Fields(m[1]); len(f) > 0 {
				authFile = strings.TrimSuffix(f[len(f)-1], ".db")
			}
		}
	}
	if !found {
		return nil
	}
	if r.Port == 0 {
		r.Port = 25
	}
	if !authOn {
		return []Row{r}
	}
	if authFile == "" {
		authFile = "/etc/mail/authinfo"
	}
	src := authFile
	if _, err := os.Stat(src); err != nil {
		if beside := filepath.Join(filepath.Dir(path), filepath.Base(authFile)); beside != src {
			if _, err := os.Stat(beside); err == nil {
				src = beside
			}
		}
	}
	b, ok := s.readFile(src, nil)
	if !ok {
		r.Auth, r.PasswordAt = AuthBasic, src+" (not readable here: run as root to see the user)"
		return []Row{r}
	}
	for i, l := range lines(b) {
		t := strings.TrimSpace(l)
		sp := strings.IndexAny(t, " \t")
		if sp < 0 || !strings.HasPrefix(t, "AuthInfo:") {
			continue
		}
		key, rest := t[:sp], t[sp:]
		if h, _ := splitHost(strings.TrimPrefix(key, "AuthInfo:")); h != r.Host && h != "" {
			continue
		}
		fields := map[string]string{}
		for _, m := range authInfo.FindAllStringSubmatch(rest, -1) {
			fields[m[1]] = m[2]
		}
		r.Auth = AuthBasic
		r.User = fields["I"]
		if r.User == "" {
			r.User = fields["U"]
		}
		if _, ok := fields["P"]; ok {
			r.PasswordAt = src + " line " + strconv.Itoa(i+1)
		}
		break
	}
	return []Row{r}
}
