package inventory_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/inventory"
)

// TestScanSamples scans the sample directory and finds each sample with its line, host, user
// and way forward, and nothing of the files that send elsewhere; no row holds a password.
func TestScanSamples(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	samples := fixtures.WriteInventorySamples(t, dir)
	res := inventory.Scan(t.Context(), inventory.Config{Paths: []string{dir}})
	if len(res.Problems) != 0 {
		t.Errorf("problems: %+v; want none", res.Problems)
	}
	byFile := map[string]inventory.Row{}
	for _, r := range res.Rows {
		rel, _ := filepath.Rel(dir, r.File)
		rel = filepath.ToSlash(rel)
		if _, dup := byFile[rel]; dup {
			t.Errorf("%s: more than one row", rel)
		}
		byFile[rel] = r
		for _, s := range samples {
			if s.Password != "" && strings.Contains(fmt.Sprintf("%+v", r), s.Password) {
				t.Errorf("%s: the row holds the password of %s", rel, s.Name)
			}
		}
	}
	breaking := 0
	for _, s := range samples {
		t.Run(s.Name, func(t *testing.T) {
			r, ok := byFile[s.Name]
			if s.Host == "" {
				if ok {
					t.Errorf("got a row %+v; want none", r)
				}
				return
			}
			if !ok {
				t.Fatalf("no row; rows: %+v", res.Rows)
			}
			if r.Line != s.Line || r.Host != s.Host || r.User != s.User || r.Breaks != s.Breaks || string(r.Way) != s.Way {
				t.Errorf("got line %d host %q user %q breaks %v way %q; want %d %q %q %v %q",
					r.Line, r.Host, r.User, r.Breaks, r.Way, s.Line, s.Host, s.User, s.Breaks, s.Way)
			}
			if r.Reason == "" {
				t.Error("no reason for the way forward")
			}
			if s.Password != "" && r.Breaks && r.PasswordAt == "" {
				t.Error("a password in the file, but PasswordAt is empty")
			}
		})
		if s.Breaks {
			breaking++
		}
	}
	if got := res.Breaking(); got != breaking {
		t.Errorf("Breaking() = %d; want %d", got, breaking)
	}
	if res.Status() != check.Warn {
		t.Errorf("status %s; want warn", res.Status())
	}
}

// TestScanRowDetails checks what a row says beyond its location, for the cases that decide it.
func TestScanRowDetails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, content string
		want                inventory.Row // the fields compared: Port, Auth, Endpoint, Cloud, PasswordAt (prefix), Command (contains)
	}{
		{"windows credentials", "web.config", `<configuration><system.net><mailSettings><smtp><network host="smtp.office365.com" port="587" defaultCredentials="true"/></smtp></mailSettings></system.net></configuration>`,
			inventory.Row{Port: 587, Auth: inventory.AuthWindows, Endpoint: inventory.EndpointSubmission, Cloud: "global", Command: "exoprobe connector --domain <DOMAIN>"}},
		{"location in applicationHost", "applicationHost.config", "<configuration>\n<location path=\"Default Web Site\">\n<system.net><mailSettings><smtp><network host=\"smtp-legacy.office365.com\" userName=\"old@fabrikam.com\" password=\"x-legacy-pw\"/></smtp></mailSettings></system.net>\n</location>\n</configuration>",
			inventory.Row{Port: 25, Auth: inventory.AuthBasic, Endpoint: inventory.EndpointLegacyTLS, Cloud: "global", PasswordAt: "line 3", Command: "--domain fabrikam.com"}},
		{"gcc high", ".env", "SMTP_HOST=outlook.office365.us\nSMTP_PORT=587\nSMTP_USERNAME=gov@agency.gov\nSMTP_PASSWORD=${SMTP_SECRET}\n",
			inventory.Row{Port: 587, Auth: inventory.AuthBasic, Endpoint: inventory.EndpointSubmission, Cloud: "gcc-high", PasswordAt: "the variable SMTP_SECRET"}},
		{"java oauth", "mail.properties", "mail.smtp.host=smtp.office365.com\nmail.smtp.auth=true\nmail.smtp.auth.mechanisms=XOAUTH2\n",
			inventory.Row{Auth: inventory.AuthOAuth, Endpoint: inventory.EndpointSubmission, Command: "exoprobe submit --auth oauth"}},
		{"java auth off", "mail.properties", "mail.smtp.host=smtp.office365.com\nmail.smtp.auth=false\nmail.smtp.user=x@contoso.com\n",
			inventory.Row{Auth: inventory.AuthNone, Endpoint: inventory.EndpointSubmission}},
		{"msmtp xoauth2", ".msmtprc", "account o365\nhost smtp.office365.com\nport 587\nauth xoauth2\nuser a@contoso.com\npasswordeval get-token\n",
			inventory.Row{Port: 587, Auth: inventory.AuthOAuth}},
		{"msmtp passwordeval", "msmtprc", "defaults\nauth on\naccount o365\nhost smtp.office365.com\nuser a@contoso.com\npasswordeval gpg -d pw.gpg\n",
			inventory.Row{Port: 25, Auth: inventory.AuthBasic, PasswordAt: "a command (passwordeval, line 6)"}},
		{"postfix to the MX", "main.cf", "relayhost = [contoso-com.mail.protection.outlook.com]\n",
			inventory.Row{Port: 25, Auth: inventory.AuthNone, Endpoint: inventory.EndpointMX, Command: "exoprobe relay --host contoso-com.mail.protection.outlook.com"}},
		{"postfix continuation and unreadable map", "main.cf", "relayhost =\n    [smtp.office365.com]:587\nsmtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/nonexistent/exoprobe/sasl_passwd\n",
			inventory.Row{Port: 587, Auth: inventory.AuthBasic, PasswordAt: "/nonexistent/exoprobe/sasl_passwd (not readable"}},
		{"postfix service name", "main.cf", "relayhost = smtp.office365.com:submission\nsmtp_sasl_auth_enable = yes\n",
			inventory.Row{Port: 587, Auth: inventory.AuthBasic, Endpoint: inventory.EndpointSubmission}},
		{"spring yaml from the environment", "application-prod.yaml", "spring:\n  mail:\n    host: smtp.office365.com\n    username: ${MAIL_USER}\n    password: ${MAIL_PASSWORD:}\n",
			inventory.Row{Auth: inventory.AuthBasic, PasswordAt: "the variable MAIL_PASSWORD (named on line 5)", Command: "exoprobe submit --auth oauth"}},
		{"spring yaml oauth", "application.yml", "spring.mail:\n  host: smtp.office365.com\n  properties:\n    \"[mail.smtp.auth.mechanisms]\": XOAUTH2\n    mail.smtp.auth: true\n",
			inventory.Row{Auth: inventory.AuthOAuth}},
		{"django from the environment", "local_settings.py", "EMAIL_HOST = 'smtp.office365.com'\nEMAIL_HOST_USER = env('EMAIL_USER')\nEMAIL_HOST_PASSWORD = os.environ['EMAIL_PASSWORD']\n",
			inventory.Row{Auth: inventory.AuthBasic, PasswordAt: "the variable EMAIL_PASSWORD", Command: "exoprobe connector --domain <DOMAIN>"}},
		{"flask-mail", "config.py", "class Config:\n    MAIL_SERVER = os.getenv('MAIL_SERVER', 'smtp.office365.com')\n    MAIL_PORT = int(os.getenv('MAIL_PORT', 587))\n    MAIL_USERNAME = 'flask@fabrikam.com'\n",
			inventory.Row{Auth: inventory.AuthBasic, Command: "exoprobe connector --domain fabrikam.com"}},
		{"new mx host", "ssmtp.conf", "mailhub=contoso-com.j-v1.mx.microsoft\n",
			inventory.Row{Port: 25, Auth: inventory.AuthNone, Endpoint: inventory.EndpointMX}},
		{"hostile user kept out of commands", ".env", "MAIL_HOST=smtp.office365.com\nMAIL_USERNAME=a@b.com;rm -rf /\nMAIL_PASSWORD=hostile-pw-1\n",
			inventory.Row{Auth: inventory.AuthBasic, Command: "--domain <DOMAIN>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			p := filepath.Join(dir, tt.file)
			if err := os.WriteFile(p, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			res := inventory.Scan(t.Context(), inventory.Config{Paths: []string{dir}})
			if len(res.Rows) != 1 {
				t.Fatalf("got %d rows (%+v); want 1", len(res.Rows), res.Rows)
			}
			r, w := res.Rows[0], tt.want
			if w.Port != 0 && r.Port != w.Port {
				t.Errorf("port %d; want %d", r.Port, w.Port)
			}
			if r.Auth != w.Auth {
				t.Errorf("auth %s; want %s", r.Auth, w.Auth)
			}
			if w.Endpoint != "" && r.Endpoint != w.Endpoint {
				t.Errorf("endpoint %s; want %s", r.Endpoint, w.Endpoint)
			}
			if w.Cloud != "" && r.Cloud != w.Cloud {
				t.Errorf("cloud %s; want %s", r.Cloud, w.Cloud)
			}
			if !strings.HasPrefix(r.PasswordAt, w.PasswordAt) {
				t.Errorf("password at %q; want it to start %q", r.PasswordAt, w.PasswordAt)
			}
			if !strings.Contains(r.Command, w.Command) {
				t.Errorf("command %q; want it to contain %q", r.Command, w.Command)
			}
			if strings.Contains(r.Command, ";") || strings.Contains(r.Command, "rm -rf") {
				t.Errorf("command %q holds a value from the file a shell would run", r.Command)
			}
		})
	}
}

// TestScanLimits: a file over the size limit, a directory below the depth limit, a symbolic
// link loop, a dangling link with a configuration name and a deadline already passed are
// each reported, and none ends the scan.
func TestScanLimits(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("big/web.config", strings.Repeat(" ", 2048))
	write("a/b/c/d/.env", "MAIL_HOST=smtp.office365.com\nMAIL_USERNAME=deep@contoso.com\n")
	write("ok/.env", "MAIL_HOST=smtp.office365.com\nMAIL_USERNAME=ok@contoso.com\nMAIL_PASSWORD=limits-pw-1\n")
	if err := os.Symlink("..", filepath.Join(dir, "ok", "loop")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "ok", "gone.config")); err != nil {
		t.Fatal(err)
	}
	res := inventory.Scan(t.Context(), inventory.Config{Paths: []string{dir}, MaxFileSize: 1024, MaxDepth: 2})
	kinds := map[inventory.ProblemKind]string{}
	for _, p := range res.Problems {
		kinds[p.Kind] = p.Path
	}
	for _, k := range []inventory.ProblemKind{inventory.ProblemTooLarge, inventory.ProblemTooDeep, inventory.ProblemSymlinkLoop, inventory.ProblemUnreadable} {
		if _, ok := kinds[k]; !ok {
			t.Errorf("no %s problem; problems: %+v", k, res.Problems)
		}
	}
	if len(res.Rows) != 1 || res.Rows[0].User != "ok@contoso.com" {
		t.Errorf("rows %+v; want the one in ok/.env", res.Rows)
	}

	ctx, cancel := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel()
	res = inventory.Scan(ctx, inventory.Config{Paths: []string{dir}})
	if !res.Incomplete || res.Status() != check.Warn || len(res.Problems) != 1 || res.Problems[0].Kind != inventory.ProblemTimeout {
		t.Errorf("after the deadline: incomplete %v, status %s, problems %+v; want incomplete, warn, one timeout", res.Incomplete, res.Status(), res.Problems)
	}
}

// TestScanUnreadable: a file the user may not read is a problem, and the scan goes on.
func TestScanUnreadable(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root reads every file")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "web.config")
	if err := os.WriteFile(p, []byte("<configuration/>"), 0o000); err != nil {
		t.Fatal(err)
	}
	res := inventory.Scan(t.Context(), inventory.Config{Paths: []string{dir}})
	if len(res.Problems) != 1 || res.Problems[0].Kind != inventory.ProblemUnreadable || !strings.Contains(res.Problems[0].Detail, "permission denied") {
		t.Errorf("problems %+v; want one unreadable, permission denied", res.Problems)
	}
}

// TestNothingFound: a directory of files that send elsewhere passes.
func TestNothingFound(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte("MAIL_HOST=mail.example.org\nMAIL_PASSWORD=elsewhere-pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	res := inventory.Scan(t.Context(), inventory.Config{Paths: []string{dir}})
	if len(res.Rows) != 0 || res.Status() != check.Pass || res.FilesRead != 1 {
		t.Errorf("rows %+v, status %s, files read %d; want none, pass, 1", res.Rows, res.Status(), res.FilesRead)
	}
}

// FuzzScan feeds any content to every parser, through a scan of one file of each name: no
// panic, and no row holds a password written as one of the known password settings.
func FuzzScan(f *testing.F) {
	for _, s := range fixtures.InventorySamples() {
		f.Add(filepath.Base(s.Name), s.Content)
	}
	f.Add("web.config", "<configuration><system.net><mailSettings><smtp><network host=")
	f.Add(".msmtprc", "account a : a\naccount b : a,b\nhost smtp.office365.com\nauth on")
	f.Add("main.cf", "relayhost = [smtp.office365.com]:587\nsmtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = inline:{x=y}")
	f.Fuzz(func(t *testing.T, name, content string) {
		switch name = filepath.Base(name); name {
		case "", ".", "..", string(filepath.Separator):
			return
		}
		dir := t.TempDir()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			return // a name this file system refuses
		}
		res := inventory.Scan(context.Background(), inventory.Config{Paths: []string{p}})
		const secret = "FuzzSecretValue-93"
		if strings.Contains(content, secret) {
			return
		}
		withSecret := strings.NewReplacer("Pa55", secret).Replace(content)
		if withSecret == content {
			return
		}
		_ = os.WriteFile(p, []byte(withSecret), 0o600)
		res = inventory.Scan(context.Background(), inventory.Config{Paths: []string{p}})
		for _, r := range res.Rows {
			shown := r.PasswordAt + r.Command + r.Reason + r.Setting
			if r.User != "" {
				shown = strings.ReplaceAll(shown, r.User, "") // the user is shown, and here it may be any text
				if _, domain, ok := strings.Cut(r.User, "@"); ok && domain != "" {
					shown = strings.ReplaceAll(shown, domain, "") // and so is its domain, in the commands
				}
			}
			if strings.Contains(shown, secret) {
				t.Errorf("row %+v shows the password", r)
			}
		}
	})
}

// TestScanExplicitFile: a file given by path is read whatever its name, as KEY=value lines; a
// malformed XML file keeps the rows before its error and reports the rest.
func TestScanExplicitFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	conf := filepath.Join(dir, "mailer.conf")
	if err := os.WriteFile(conf, []byte("# app mailer\nsmtp_host = smtp.office365.com\nsmtp_user = app@contoso.com\nsmtp_password = explicit-pw-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "web.config")
	if err := os.WriteFile(broken, []byte("<configuration><system.net><mailSettings><smtp>\n<network host=\"smtp.office365.com\" userName=\"a@contoso.com\" password=\"broken-pw-1\"/>\n</smtp><oops</configuration>"), 0o600); err != nil {
		t.Fatal(err)
	}
	res := inventory.Scan(t.Context(), inventory.Config{Paths: []string{conf, broken}})
	if len(res.Rows) != 2 || res.Rows[0].Format != inventory.FormatKeyValue || res.Rows[0].Line != 2 || !res.Rows[0].Breaks || res.Rows[1].Line != 2 {
		t.Errorf("rows %+v; want mailer.conf line 2 (key-value, breaks) and web.config line 2", res.Rows)
	}
	if len(res.Problems) != 1 || res.Problems[0].Kind != inventory.ProblemMalformed || res.Problems[0].Path != broken {
		t.Errorf("problems %+v; want web.config malformed", res.Problems)
	}
}

// TestScanEncrypted: a mail section encrypted with protected configuration gives no row but a
// problem that says where it is and how an administrator reads it; the provider's name is
// shown only as a name.
func TestScanEncrypted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	content := "<configuration>\n<appSettings configProtectionProvider=\"DataProtectionConfigurationProvider\">\n<EncryptedData><CipherData><CipherValue>AQAAANCMnd8=</CipherValue></CipherData></EncryptedData>\n</appSettings>\n" +
		"<system.net><mailSettings>\n<smtp configProtectionProvider=\"Rsa&quot; &amp; del x &quot;Provider\">\n<EncryptedData><CipherData><CipherValue>HqJx0mH1Rk0=</CipherValue></CipherData></EncryptedData>\n</smtp></mailSettings></system.net>\n</configuration>\n"
	if err := os.WriteFile(filepath.Join(dir, "web.config"), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	res := inventory.Scan(t.Context(), inventory.Config{Paths: []string{dir}})
	if len(res.Rows) != 0 {
		t.Errorf("rows %+v; want none", res.Rows)
	}
	want := []string{
		`<appSettings> is encrypted (protected configuration, DataProtectionConfigurationProvider, line 2)`,
		`<system.net><mailSettings><smtp> is encrypted (protected configuration, RsadelxProvider, line 6)`,
	}
	if len(res.Problems) != len(want) {
		t.Fatalf("problems %+v; want %d", res.Problems, len(want))
	}
	for i, p := range res.Problems {
		if p.Kind != inventory.ProblemEncrypted || !strings.HasPrefix(p.Detail, want[i]) || !strings.Contains(p.Detail, `Framework64\v4.0.30319\aspnet_regiis.exe -pdf`) {
			t.Errorf("problem %d: %s %q; want encrypted, starting %q, naming aspnet_regiis.exe -pdf with its path", i, p.Kind, p.Detail, want[i])
		}
	}
}
