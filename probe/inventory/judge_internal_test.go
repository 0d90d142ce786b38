package inventory

import "testing"

func TestSplitHost(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		host string
		port int
	}{
		{"smtp.office365.com", "smtp.office365.com", 0},
		{" SMTP.Office365.com ", "smtp.office365.com", 0},
		{"[smtp.office365.com]:587", "smtp.office365.com", 587},
		{"smtp.office365.com:587", "smtp.office365.com", 587},
		{"[smtp.office365.com]:submission", "smtp.office365.com", 587},
		{"smtp.office365.com:smtp", "smtp.office365.com", 25},
		{"smtp.office365.com:smtps", "smtp.office365.com", 465},
		{"smtp.office365.com:nosuchservice", "smtp.office365.com", 0},
		{"smtp.office365.com:70000", "smtp.office365.com", 0},
		{"smtp://smtp.office365.com:587/", "smtp.office365.com", 587},
		{"[contoso-com.mail.protection.outlook.com]", "contoso-com.mail.protection.outlook.com", 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			host, port := splitHost(tt.in)
			if host != tt.host || port != tt.port {
				t.Errorf("splitHost(%q) = %q, %d; want %q, %d", tt.in, host, port, tt.host, tt.port)
			}
		})
	}
}
