package cloud

import (
	"slices"
	"testing"
)

func TestLookup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, want, smtp, scope, login string
	}{
		{"", "global", "smtp.office365.com", "https://outlook.office365.com/.default", "login.microsoftonline.com"},
		{"GCC", "global", "smtp.office365.com", "https://outlook.office365.com/.default", "login.microsoftonline.com"},
		{"gcc-high", "gcc-high", "outlook.office365.us", "https://outlook.office365.us/.default", "login.microsoftonline.us"},
		{"dod", "dod", "outlook-dod.office365.us", "https://outlook-dod.office365.us/.default", "login.microsoftonline.us"},
		{"21Vianet", "china", "smtp.partner.outlook.cn", "https://partner.outlook.cn/.default", "login.partner.microsoftonline.cn"},
	}
	for _, tt := range tests {
		c, ok := Lookup(tt.name)
		if !ok || c.Name != tt.want || c.SMTPHost != tt.smtp || c.Scope() != tt.scope || c.LoginHost != tt.login {
			t.Errorf("Lookup(%q) got %+v, %v; want %s %s %s %s", tt.name, c, ok, tt.want, tt.smtp, tt.scope, tt.login)
		}
	}
	if _, ok := Lookup("germany"); ok {
		t.Error("got a cloud for germany; want none")
	}
	c, _ := Lookup("global")
	c.Audiences[0] = "changed"
	if again, _ := Lookup("global"); again.Audiences[0] != "https://outlook.office365.com" {
		t.Error("changing a looked-up cloud changed the table")
	}
	if got := Names(); !slices.Equal(got, []string{"china", "dod", "gcc-high", "global"}) {
		t.Errorf("got %v", got)
	}
}

func TestHostKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		host              string
		mxCloud           string // "" when not an MX host
		submission, named bool
	}{
		{"contoso-com.mail.protection.outlook.com", "global", false, true},
		{"contoso-com.mail.protection.outlook.com.", "global", false, true},
		{"fabrikam-com.c-v1.mx.microsoft", "global", false, true},
		{"mail.protection.outlook.com", "", false, true},
		{"outlook-com.olc.protection.outlook.com", "global", false, true},
		{"contoso-us.mail.protection.office365.us", "gcc-high", false, true},
		{"contoso-cn.mail.protection.partner.outlook.cn", "china", false, true},
		{"smtp.office365.com", "", true, true},
		{"SMTP-HVE.office365.com", "", true, true},
		{"smtp.hve.mx.microsoft", "", true, true},
		{"outlook-dod.office365.us", "", true, true},
		{"BN9PR03CA0553.outlook.office365.com", "", false, true},
		{"mail.contoso.com", "", false, false},
		{"outlook.com.evil.example", "", false, false},
		{"", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			c, ok := ForMX(tt.host)
			if got := map[bool]string{true: c.Name}[ok]; got != tt.mxCloud {
				t.Errorf("ForMX(%q) = %q; want %q", tt.host, got, tt.mxCloud)
			}
			if got := IsSubmissionHost(tt.host); got != tt.submission {
				t.Errorf("IsSubmissionHost(%q) = %v; want %v", tt.host, got, tt.submission)
			}
			if got := IsServerName(tt.host); got != tt.named {
				t.Errorf("IsServerName(%q) = %v; want %v", tt.host, got, tt.named)
			}
		})
	}
}

func TestSPFIncludes(t *testing.T) {
	t.Parallel()
	want := []string{"spf.protection.outlook.com", "spf.protection.office365.us", "spf.protection.partner.outlook.cn"}
	if got := SPFIncludes(); !slices.Equal(got, want) {
		t.Errorf("SPFIncludes() = %v; want %v", got, want)
	}
}

// TestTenantHosts: every cloud names its Admin API and Graph hosts, and their scopes.
func TestTenantHosts(t *testing.T) {
	t.Parallel()
	tests := []struct{ cloud, admin, graph string }{
		{"global", "https://outlook.office365.com/.default", "https://graph.microsoft.com/.default"},
		{"gcc-high", "https://outlook.office365.us/.default", "https://graph.microsoft.us/.default"},
		{"dod", "https://outlook-dod.office365.us/.default", "https://dod-graph.microsoft.us/.default"},
		{"china", "https://outlook.office365.cn/.default", "https://microsoftgraph.chinacloudapi.cn/.default"},
	}
	for _, tc := range tests {
		c, ok := Lookup(tc.cloud)
		if !ok || c.AdminScope() != tc.admin || c.GraphScope() != tc.graph {
			t.Errorf("%s: admin %q graph %q; want %q %q", tc.cloud, c.AdminScope(), c.GraphScope(), tc.admin, tc.graph)
		}
	}
	if len(All()) != len(tests) {
		t.Errorf("the table has %d clouds; the test covers %d", len(All()), len(tests))
	}
}
