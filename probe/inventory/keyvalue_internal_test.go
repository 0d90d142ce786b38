package inventory

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestClassify reads the keys of the formats' documented settings, and keys that only look
// like them.
func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key    string
		role   role
		prefix string
	}{
		{"MAIL_HOST", roleHost, ""},
		{"MAIL_USERNAME", roleUser, ""},
		{"MAIL_PASSWORD", rolePassword, ""},
		{"MAIL_FROM_ADDRESS", roleOther, ""},
		{"MAIL_MAILER", roleOther, ""},
		{"EMAIL_HOST_USER", roleUser, ""},
		{"EMAIL_HOST_PASSWORD", rolePassword, ""},
		{"MAILER_DSN", roleDSN, ""},
		{"SMTP", roleHost, ""},
		{"smtp_port", rolePort, ""},
		{"sendmail_from", roleOther, ""},
		{"auth_username", roleUser, ""},
		{"spring.mail.host", roleHost, "SPRING"},
		{"spring.mail.properties.mail.smtp.auth", roleAuth, "SPRING"},
		{"mail.smtp.auth.mechanisms", roleMechs, ""},
		{"mail.smtp.starttls.enable", roleOther, ""},
		{"SmtpServer", roleHost, ""},
		{"SMTPServerPort", rolePort, ""},
		{"EmailSettings:UserName", roleUser, ""},
		{"Smtp:HostName", roleHost, ""},
		{"WPMS_SMTP_PASS", rolePassword, ""},
		{"WPMS_MAILER", roleOther, ""},
		{"DB_HOST", roleOther, ""},
		{"DB_PASSWORD", roleOther, ""},
		{"REDIS_URL", roleOther, ""},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			t.Parallel()
			r, p := classify(tt.key)
			if r != tt.role || r != roleOther && p != tt.prefix {
				t.Errorf("classify(%q) = %d, %q; want %d, %q (words %v)", tt.key, r, p, tt.role, tt.prefix, splitWords(tt.key))
			}
		})
	}
}

// TestWindowsPaths: the usual places on Windows come from the system's variables, both
// Program Files, and fall back to C: without them.
func TestWindowsPaths(t *testing.T) {
	t.Parallel()
	env := map[string]string{`SystemDrive`: `D:`, `windir`: `D:\Windows`, `ProgramFiles`: `D:\Program Files`, `ProgramFiles(x86)`: `D:\Program Files (x86)`}
	got := strings.Join(windowsPaths(func(k string) string { return env[k] }), "|")
	for _, want := range []string{
		filepath.Join(`D:\`, "inetpub"),
		filepath.Join(`D:\Windows`, "System32", "inetsrv", "config"),
		filepath.Join(`D:\Program Files`, "Microsoft SQL Server Reporting Services"),
		filepath.Join(`D:\Program Files (x86)`, "Microsoft SQL Server"),
		filepath.Join(`D:\`, "xampp", "sendmail"),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("windowsPaths lacks %s:\n%s", want, got)
		}
	}
	if got := windowsPaths(func(string) string { return "" }); len(got) == 0 || !strings.HasPrefix(got[0], `C:`) {
		t.Errorf("without variables: %v; want paths on C:", got)
	}
}
