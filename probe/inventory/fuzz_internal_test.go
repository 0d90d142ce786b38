package inventory

import (
	"context"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/fixtures"
)

// FuzzParse feeds any content to every parser directly, as each format: no panic, no row
// with a line outside the content, and no password in what a row shows besides its user
// (which, in a mutated file, may be any text).
func FuzzParse(f *testing.F) {
	for _, s := range fixtures.InventorySamples() {
		f.Add(s.Content)
	}
	f.Add("relayhost = [smtp.office365.com]:587\nsmtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/dev/stdin\n")
	f.Add("define(`SMART_HOST', `[smtp.office365.com]')dnl\nFEATURE(`authinfo', `hash -o /dev/zero')dnl\n")
	f.Add("spring:\n  mail:\n    host: smtp.office365.com\n    password: 'Pa55'' x' # c\n  list:\n  - a: b\n    c: |\n      d\n---\nx: \"y\n")
	f.Add("EMAIL_HOST = os.environ.get('EMAIL_HOST', 'smtp.office365.com')\nEMAIL_HOST_PASSWORD = env.str('P', default=\"Pa55\")\n")
	f.Add(`{"Smtp": {"Host": "smtp.office365.com", "Password": "Json-Fuzz-Pa55", "Nested": [{"a": 1}, [2]]}}`)
	f.Fuzz(func(t *testing.T, content string) {
		const secret = "FuzzSecretValue-93"
		if strings.Contains(content, secret) {
			return
		}
		content = strings.ReplaceAll(content, "Pa55", secret)
		data := []byte(content)
		lines := len(strings.Split(content, "\n"))
		s := &scanner{ctx: context.Background(), res: &Result{MaxFileSize: MaxFileSize, MaxDepth: MaxDepth}}
		var rows []Row
		for _, f := range []Format{FormatDotNet, FormatSSRS} {
			r, _, _ := parseXMLConfig("x.config", f, data)
			rows = append(rows, r...)
		}
		r, _ := parseAppSettings("appsettings.json", data)
		rows = append(rows, r...)
		rows = append(rows, s.parsePostfix("main.cf", data)...)
		rows = append(rows, s.parseSendmail("sendmail.mc", data)...)
		rows = append(rows, parseMsmtp(".msmtprc", data)...)
		rows = append(rows, parseSsmtp("ssmtp.conf", data)...)
		for _, f := range []Format{FormatINI, FormatDotenv, FormatProperties, FormatSpringYAML, FormatPython, FormatWordPress, FormatKeyValue} {
			rows = append(rows, parseKeyValues("file", f, data)...)
		}
		for _, row := range rows {
			if row.Line < 1 || row.Line > lines {
				t.Errorf("row %+v: line %d outside the content's %d lines", row, row.Line, lines)
			}
			j, _ := judge(row)
			shown := j.Setting + j.PasswordAt + j.Command + j.Reason
			if j.User != "" {
				shown = strings.ReplaceAll(shown, j.User, "") // the user is shown, and here it may be any text
				if _, domain, ok := strings.Cut(j.User, "@"); ok && domain != "" {
					shown = strings.ReplaceAll(shown, domain, "") // and so is its domain, in the commands
				}
			}
			if strings.Contains(shown, secret) {
				t.Errorf("row %+v shows the password", j)
			}
		}
	})
}
