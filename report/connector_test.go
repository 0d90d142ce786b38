package report

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/certcheck"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
	"github.com/exoprobe/exoprobe/probe/kb"
)

// hostileName is a connector name an admin could type, or paste from a ticket, that would run
// code or break the command if it were not quoted: quotes of every kind, a subexpression, a
// backtick escape, a variable, a statement separator and spaces.
const hostileName = "Relay O'Brien ’s “scanners” $(Remove-Item -Recurse C:\\) `$env:USERNAME; Get-Process # ‘x’"

// connectorReport is a connector pre-flight's report: public IP, MX, port 25, the certificate
// when given, and the connector check.
func connectorReport(cert bool, failing bool) *probe.Report {
	v := kb.Context{Domain: "contoso.com", PublicIP: netip.MustParseAddr("203.0.113.7"), Host: "contoso-com.mail.protection.outlook.com", Port: 25}
	checks := []*check.Result{
		result("publicip", check.Pass, 38, "203.0.113.7 (opendns, google, cloudflare agree); no IPv6",
			check.Facts{"ipv4": "203.0.113.7", "sources": []string{"opendns", "google", "cloudflare"}}),
		result("dns", check.Pass, 22, "MX contoso-com.mail.protection.outlook.com (Exchange Online), 2 IPv4 addresses",
			check.Facts{"mx": []string{"contoso-com.mail.protection.outlook.com"}}),
	}
	if failing {
		checks = append(checks, result("tcp", check.Fail, 5004, "25/ipv4 filtered; controls: 587/ipv4 open, 443/ipv4 open",
			check.Facts{"25/ipv4": map[string]any{"state": "filtered"}, "443/ipv4": map[string]any{"state": "open"}},
			check.Finding{Severity: check.Fail, Code: code.PortBlocked,
				Message: "The ISP or a firewall blocks port 25: nothing answered a connection to contoso-com.mail.protection.outlook.com (52.101.68.3:25) on port 25 within 5s, while port 587 and 443 on the same host connected, so the host is reachable and only outbound port 25 is dropped.",
				Hint:    kb.Hint(string(code.PortBlocked), v)}))
	} else {
		checks = append(checks, result("tcp", check.Pass, 31, "port 25 open over IPv4 (52.101.68.3, 24 ms); 587 and 443 open",
			check.Facts{"port_25": "open"}))
	}
	if cert {
		checks = append(checks, result("clientcert", check.Pass, 3,
			"mail.contoso.com, issued by CN=GlobalSign GCC R6 AlphaSSL CA 2025, expires 2027-03-01 (99 days)",
			check.Facts{"subject": "CN=mail.contoso.com", "sans": []string{"mail.contoso.com", "contoso.com"}}))
	}
	if failing {
		const reason = "port 25 is not reachable (see the tcp check)"
		checks = append(checks, skippedResult("smtp", reason), skippedResult("tls", reason))
	} else {
		checks = append(checks,
			result("smtp", check.Pass, 48, "Exchange Online (DM6PEPF0000A1B2.mail.protection.outlook.com), sees you as 203.0.113.7",
				check.Facts{"banner_host": "DM6PEPF0000A1B2.mail.protection.outlook.com", "echo_ip": "203.0.113.7", "starttls": true}),
			result("tls", check.Pass, 61, "TLSv1.3 TLS_AES_256_GCM_SHA384, certificate mail.protection.outlook.com valid until 2027-01-15 (54 days)",
				check.Facts{"version": "TLSv1.3", "verified": true}))
	}
	if cert {
		checks = append(checks, result("connector", check.Pass, 0, "certificate-based connector for mail.contoso.com",
			check.Facts{"kind": "certificate", "tls_sender_certificate_name": "mail.contoso.com"}))
	} else {
		checks = append(checks, result("connector", check.Pass, 0, "IP-based connector for 203.0.113.7",
			check.Facts{"kind": "ip", "sender_ip_addresses": []string{"203.0.113.7"}}))
	}
	rep := &probe.Report{
		SchemaVersion: probe.SchemaVersion, Tool: "exoprobe", Version: "0.1.0", Mode: check.ModeConnector,
		Started: started, DurationMS: 5071,
		Target: probe.Target{Domain: "contoso.com", Host: "contoso-com.mail.protection.outlook.com", Port: 25},
		Checks: checks, Transcript: []check.Line{},
	}
	rep.Verdict = probe.Verdict(rep.Checks)
	return rep
}

func ipPlan() *probe.ConnectorPlan {
	return &probe.ConnectorPlan{
		Name: "SMTP relay", Kind: probe.ConnectorByIP, Domain: "contoso.com",
		SenderIPs: []string{"203.0.113.7"}, SmartHost: "contoso-com.mail.protection.outlook.com", Port: 25,
		Ready: true, MustChange: []check.Code{}, LookAt: []check.Code{},
	}
}

func certPlan() *probe.ConnectorPlan {
	return &probe.ConnectorPlan{
		Name: "Relay from Exchange 2019", Kind: probe.ConnectorByCertificate, Domain: "contoso.com",
		CertDomain: "mail.contoso.com", SmartHost: "contoso-com.mail.protection.outlook.com", Port: 25,
		Ready: false, MustChange: []check.Code{code.PortBlocked}, LookAt: []check.Code{},
	}
}

// hostilePlan has hostile values everywhere a value can come from: the name from the command
// line, the certificate name (which --cert-domain validation would refuse, but a renderer must
// not rely on that) and the smart host from a DNS answer.
func hostilePlan() *probe.ConnectorPlan {
	return &probe.ConnectorPlan{
		Name: hostileName, Kind: probe.ConnectorByCertificate, Domain: "contoso.com",
		CertDomain: "mail.contoso.com' -Enabled $false; Remove-InboundConnector '*",
		SmartHost:  "mx.contoso.com`$(whoami)", Port: 25,
		Ready: true, MustChange: []check.Code{}, LookAt: []check.Code{},
	}
}

func TestGoldenConnector(t *testing.T) {
	cases := []struct {
		name string
		rep  func() *probe.Report
		plan func() *probe.ConnectorPlan
	}{
		{"connector-ip", func() *probe.Report { return connectorReport(false, false) }, ipPlan},
		{"connector-cert", func() *probe.Report { return connectorReport(true, true) }, certPlan},
		{"connector-hostile", func() *probe.Report { return connectorReport(true, false) }, hostilePlan},
	}
	outputs := []struct {
		suffix string
		format Output
	}{
		{".txt", OutputText},
		{".json", OutputJSON},
		{".md", OutputMarkdown},
	}
	for _, c := range cases {
		for _, o := range outputs {
			t.Run(c.name+o.suffix, func(t *testing.T) {
				var b bytes.Buffer
				if o.format == OutputText {
					for _, r := range c.rep().Checks {
						progress(t, &b, r, TextOptions{})
					}
				}
				if err := Render(&b, Format{Output: o.format}, Run{Report: c.rep(), Connector: c.plan()}); err != nil {
					t.Fatalf("Connector: %v", err)
				}
				golden(t, c.name+o.suffix, b.Bytes())
			})
		}
	}
}

// psArgs splits a PowerShell command line into its arguments the way PowerShell's tokenizer
// does for the forms the connector commands use: bare words, single-quoted literals (a quote
// doubled inside, the typographic single quotes counting as quotes), lists of literals joined
// by commas, and @{Add=...}. It reports an error for anything else: an unquoted character
// PowerShell would treat as code ($, `, ;, (, |, a double quote) outside a literal.
func psArgs(t *testing.T, line string) [][]string {
	t.Helper()
	var args [][]string
	isQuote := func(r rune) bool { return isPSSingleQuote(r) }
	i := 0
	next := func() (rune, int) { return utf8.DecodeRuneInString(line[i:]) }
	for i < len(line) {
		r, size := next()
		switch {
		case r == ' ':
			i += size
		case r == '|':
			return args // the pipeline after Get-InboundConnector
		case isQuote(r) || strings.HasPrefix(line[i:], "@{Add="):
			wrapped := strings.HasPrefix(line[i:], "@{Add=")
			if wrapped {
				i += len("@{Add=")
			}
			var vals []string
			for {
				r, size = next()
				if !isQuote(r) {
					t.Fatalf("at %d of %q: want a quote", i, line)
				}
				i += size
				var v strings.Builder
				for {
					if i >= len(line) {
						t.Fatalf("unterminated literal in %q", line)
					}
					r, size = next()
					i += size
					if isQuote(r) {
						if r2, s2 := next(); i < len(line) && isQuote(r2) {
							v.WriteRune(r2)
							i += s2
							continue
						}
						break
					}
					v.WriteRune(r)
				}
				vals = append(vals, v.String())
				if i < len(line) && line[i] == ',' {
					i++
					continue
				}
				break
			}
			if wrapped {
				if i >= len(line) || line[i] != '}' {
					t.Fatalf("unterminated @{Add= in %q", line)
				}
				i++
			}
			args = append(args, vals)
		default:
			j := i
			for j < len(line) && line[j] != ' ' {
				if strings.ContainsRune("`;()\"'|{}@,", rune(line[j])) || (line[j] == '$' && line[j:] != "$true" && !strings.HasPrefix(line[j:], "$true ")) {
					t.Fatalf("unquoted %q at %d of %q", line[j], j, line)
				}
				j++
			}
			args = append(args, []string{line[i:j]})
			i = j
		}
	}
	return args
}

// TestConnectorQuoting parses the commands back as PowerShell would and checks that every
// hostile value arrives as one literal, unchanged.
func TestConnectorQuoting(t *testing.T) {
	t.Parallel()
	plan := hostilePlan()
	s := connectorCommands(plan)
	value := func(args [][]string, param string) []string {
		for i, a := range args {
			if len(a) == 1 && strings.EqualFold(a[0], param) && i+1 < len(args) {
				return args[i+1]
			}
		}
		t.Fatalf("no %s in %v", param, args)
		return nil
	}
	create := psArgs(t, s.Create)
	if got := value(create, "-Name"); len(got) != 1 || got[0] != plan.Name {
		t.Errorf("create -Name = %q; want %q", got, plan.Name)
	}
	if got := value(create, "-TlsSenderCertificateName"); len(got) != 1 || got[0] != plan.CertDomain {
		t.Errorf("create -TlsSenderCertificateName = %q; want %q", got, plan.CertDomain)
	}
	if got := value(create, "-SenderDomains"); len(got) != 1 || got[0] != "*" {
		t.Errorf("create -SenderDomains = %q; want *", got)
	}
	update := psArgs(t, s.Update)
	if got := value(update, "-Identity"); len(got) != 1 || got[0] != plan.Name {
		t.Errorf("update -Identity = %q; want %q", got, plan.Name)
	}
	check := psArgs(t, s.Check)
	if got := value(check, "-Identity"); len(got) != 1 || got[0] != plan.Name {
		t.Errorf("check -Identity = %q; want %q", got, plan.Name)
	}

	ip := ipPlan()
	ip.SenderIPs = []string{"203.0.113.7", "198.51.100.0/24"}
	s = connectorCommands(ip)
	if got := value(psArgs(t, s.Create), "-SenderIPAddresses"); strings.Join(got, ",") != "203.0.113.7,198.51.100.0/24" {
		t.Errorf("create -SenderIPAddresses = %q", got)
	}
	if got := value(psArgs(t, s.Update), "-SenderIPAddresses"); strings.Join(got, ",") != "203.0.113.7,198.51.100.0/24" {
		t.Errorf("update -SenderIPAddresses = %q", got)
	}
	if strings.Contains(s.Create, "RequireTls") || strings.Contains(s.Create, "Restrict") {
		t.Errorf("IP connector %q carries a Partner-only parameter", s.Create)
	}
}

// TestConnectorParameters pins the parameters each kind of connector gets.
func TestConnectorParameters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		plan *probe.ConnectorPlan
		want []string
		not  []string
	}{
		{"ip", ipPlan(), []string{"-ConnectorType OnPremises", "-SenderDomains '*'", "-SenderIPAddresses '203.0.113.7'"},
			[]string{"RequireTls", "RestrictDomains", "TlsSenderCertificateName"}},
		{"certificate", certPlan(), []string{"-ConnectorType OnPremises", "-TlsSenderCertificateName 'mail.contoso.com'", "-RequireTls $true"},
			[]string{"SenderIPAddresses", "RestrictDomains"}},
		{"no ip", &probe.ConnectorPlan{Name: "x", Kind: probe.ConnectorByIP}, []string{"-SenderIPAddresses '<public IPv4 address>'"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			create := connectorCommands(tt.plan).Create
			for _, w := range tt.want {
				if !strings.Contains(create, w) {
					t.Errorf("create %q; want it to contain %q", create, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(create, n) {
					t.Errorf("create %q; want no %q", create, n)
				}
			}
		})
	}
}

func TestConnectorJSONShape(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := Render(&b, Format{Output: OutputJSON}, Run{Report: connectorReport(false, false), Connector: ipPlan()}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Mode      string `json:"mode"`
		Checks    []any  `json:"checks"`
		Connector struct {
			Kind       string   `json:"kind"`
			Ready      bool     `json:"ready"`
			SenderIPs  []string `json:"sender_ip_addresses"`
			PowerShell struct {
				Create string `json:"create"`
			} `json:"powershell"`
			Application []struct {
				Setting, Value string
			} `json:"application"`
		} `json:"connector"`
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, b.Bytes())
	}
	if got.Mode != "connector" || len(got.Checks) != 6 || got.Connector.Kind != "ip" || !got.Connector.Ready ||
		len(got.Connector.SenderIPs) != 1 || !strings.HasPrefix(got.Connector.PowerShell.Create, "New-InboundConnector ") ||
		len(got.Connector.Application) == 0 {
		t.Errorf("JSON: got %+v", got)
	}
}

// certReport is `exoprobe cert` on a certificate that expires soon and was issued for a
// subdomain, as the clientcert check reports it.
func certReport() *probe.Report {
	v := kb.Context{Domain: "contoso.com", CertDomain: "mail.contoso.com"}
	r := result("clientcert", check.Warn, 1,
		"mail.contoso.com, issued by CN=GlobalSign GCC R6 AlphaSSL CA 2025, expires 2026-12-04 (11 days); 1 problem(s)",
		check.Facts{
			"subject": "CN=mail.contoso.com", "issuer": "CN=GlobalSign GCC R6 AlphaSSL CA 2025,O=GlobalSign nv-sa,C=BE",
			"common_name": "mail.contoso.com", "sans": []string{"mail.contoso.com", "contoso.com"},
			"not_before": "2025-12-03T09:12:44Z", "not_after": "2026-12-04T09:12:43Z", "days_left": 11,
			"key_type": "RSA", "key_bits": 2048, "key_matches": true, "has_private_key": true,
			"ekus": []string{"serverAuth", "clientAuth"}, "thumbprint": "6C2F0E9A57F1D5C3B8A04E9D21F7C6B0A3E58D14", "format": "pfx",
			"chain": []certcheck.ChainCert{
				{Subject: "CN=mail.contoso.com", Issuer: "CN=GlobalSign GCC R6 AlphaSSL CA 2025,O=GlobalSign nv-sa,C=BE", NotAfter: "2026-12-04T09:12:43Z"},
				{Subject: "CN=GlobalSign GCC R6 AlphaSSL CA 2025,O=GlobalSign nv-sa,C=BE", Issuer: "CN=GlobalSign,O=GlobalSign,OU=GlobalSign Root CA - R6", NotAfter: "2029-01-19T00:00:00Z", CA: true},
			},
		},
		check.Finding{Severity: check.Warn, Code: "cert-expiring",
			Message: "the certificate for mail.contoso.com expires on 2026-12-04, in 11 days. Renew it now and install the new one on the sending server before then; if the new certificate's name differs, change the connector's TlsSenderCertificateName too.",
			Hint:    kb.Hint("cert-expiring", v)})
	return &probe.Report{
		SchemaVersion: probe.SchemaVersion, Tool: "exoprobe", Version: "0.1.0", Mode: check.ModeCert,
		Started: started, DurationMS: 1, Checks: []*check.Result{r}, Verdict: check.Warn, Transcript: []check.Line{},
	}
}

func TestGoldenCert(t *testing.T) {
	golden(t, "cert-expiring.txt", cliText(t, certReport(), TextOptions{}))
	var b bytes.Buffer
	if err := Render(&b, Format{Output: OutputMarkdown}, Run{Report: certReport()}); err != nil {
		t.Fatal(err)
	}
	golden(t, "cert-expiring.md", b.Bytes())
}

// FuzzConnectorName checks that any connector name, once quoted, reaches New-InboundConnector
// as one literal equal to itself.
func FuzzConnectorName(f *testing.F) {
	for _, s := range []string{"SMTP relay", hostileName, "'", "''", "‘’‚‛", "$(x)", "`", "a' -Enabled $false #", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if !utf8.ValidString(name) || name == "" {
			t.Skip()
		}
		args := psArgs(t, connectorCommands(&probe.ConnectorPlan{Name: name, Kind: probe.ConnectorByIP}).Create)
		// Control and format characters are dropped (a newline would end a pasted command);
		// everything else comes back as one unchanged literal.
		want := strings.Map(func(r rune) rune {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				return -1
			}
			return r
		}, name)
		if len(args) < 3 || len(args[2]) != 1 || args[2][0] != want {
			t.Errorf("name %q came back as %q; want %q", name, args, want)
		}
	})
}
