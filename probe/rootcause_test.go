package probe_test

import (
	"testing"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
	"github.com/exoprobe/exoprobe/probe/kb"
)

func TestRootCause(t *testing.T) {
	own := func(id check.ID, sev check.Status, c check.Code) *check.Result {
		r := check.New(id)
		r.Addf(sev, c, "%s", c)
		return r
	}
	refused := func(id check.ID, c check.Code, text string) *check.Result {
		r := check.New(id)
		r.Add(check.Finding{Severity: check.Fail, Code: c, Message: "refused: " + text, Reply: text})
		return r
	}
	const (
		r5764  = "550 5.7.64 TenantAttribution; Relay Access Denied ATTR36 [DM6NAM12FT035.eop-nam12.prod.protection.outlook.com]"
		r57139 = "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox."
		r5757  = "530 5.7.57 Client not authenticated to send mail. [AM0PR02CA0001.eurprd02.prod.outlook.com]"
		r578   = "535 5.7.8 Error: authentication failed: 5.7.3 Authentication unsuccessful"
	)
	tests := []struct {
		name   string
		checks []*check.Result
		want   string // check/code, "" for none
	}{
		{"the refusal outranks this machine not trusting the certificate",
			[]*check.Result{own(check.TLS, check.Fail, code.TLSVerifyFailed), refused(check.Send, "5.7.64", r5764)},
			"send/5.7.64"},
		{"the refusal outranks SPF on a relay",
			[]*check.Result{own(check.DNS, check.Fail, code.SPFIPNotAuthorised), refused(check.Send, "5.7.64", r5764)},
			"send/5.7.64"},
		{"a client certificate the connector cannot accept explains 5.7.64",
			[]*check.Result{own(check.ClientCert, check.Warn, code.CertChainIncomplete), own(check.TLS, check.Fail, code.TLSVerifyFailed),
				refused(check.Send, "5.7.64", r5764)},
			"clientcert/cert-chain-incomplete"},
		{"an echoed IP the connector does not list explains 5.7.64",
			[]*check.Result{own(check.PublicIP, check.Warn, code.IPMismatch), refused(check.Send, "5.7.64", r5764)},
			"publicip/ip-mismatch"},
		{"an echoed IP does not explain a refused sign-in",
			[]*check.Result{own(check.PublicIP, check.Warn, code.IPMismatch), refused(check.Auth, "5.7.139", r57139)},
			"auth/5.7.139"},
		{"5.7.57 after a failed AUTH: the AUTH wins",
			[]*check.Result{refused(check.Auth, "5.7.139", r57139), refused(check.Send, "5.7.57", r5757)},
			"auth/5.7.139"},
		{"5.7.57 before the AUTH in check order still loses",
			[]*check.Result{refused(check.Send, "5.7.57", r5757), refused(check.Auth, "5.7.139", r57139)},
			"auth/5.7.139"},
		{"5.7.57 alone is the cause",
			[]*check.Result{own(check.DNS, check.Warn, code.SPFMissing), refused(check.Send, "5.7.57", r5757)},
			"send/5.7.57"},
		{"the code inside a relay's wrapper",
			[]*check.Result{refused(check.Auth, "5.7.8", r578)},
			"auth/5.7.3"},
		{"no refusal: the first failure in check order",
			[]*check.Result{own(check.DNS, check.Warn, code.SPFMissing), own(check.TCP, check.Fail, code.PortFiltered),
				own(check.TLS, check.Fail, code.TLSVerifyFailed)},
			"tcp/port-filtered"},
		{"a warning run names its first warning",
			[]*check.Result{own(check.DNS, check.Warn, code.SPFMissing), check.New(check.Send)},
			"dns/spf-missing"},
		{"a passing run has none",
			[]*check.Result{check.New(check.TCP), check.New(check.Send)},
			""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kb.Attach(tt.checks, kb.Context{Domain: "contoso.com"})
			f := probe.RootCause(tt.checks, probe.Verdict(tt.checks))
			got := ""
			if f != nil {
				got = string(f.Check) + "/" + string(f.Code)
				if f.Hint == nil {
					t.Errorf("root cause %s has no hint", got)
				}
			}
			if got != tt.want {
				t.Errorf("root cause %q; want %q", got, tt.want)
			}
		})
	}
}
