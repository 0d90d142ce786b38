package probe_test

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/certcheck"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
	"github.com/exoprobe/exoprobe/probe/publicip"
)

// connectorOptions points a connector pre-flight at the simulator.
func connectorOptions(sim *fixtures.Sim) probe.ConnectorOptions {
	return probe.ConnectorOptions{
		Domain: sim.Domain, Port: sim.SMTPPort, Resolver: sim.DNSAddr,
		PublicIPSources: publicip.SourcesAt(sim.DNSAddr), PublicIPHTTPS: []string{},
		RunOptions: probe.RunOptions{
			RootCAs: sim.RootCAs, ControlPorts: sim.ControlPorts,
			Timeout: 20 * time.Second, ConnectTimeout: 2 * time.Second,
		},
	}
}

// simBundle loads the certificate a cert-* scenario wrote for the sending server.
func simBundle(t *testing.T, sim *fixtures.Sim) *certcheck.Bundle {
	t.Helper()
	var (
		b   *certcheck.Bundle
		err error
	)
	if data, rerr := os.ReadFile(filepath.Join(sim.CertDir, "client.pfx")); rerr == nil {
		b, err = certcheck.Load(data, "")
	} else {
		c, _ := os.ReadFile(filepath.Join(sim.CertDir, "client.pem"))
		k, _ := os.ReadFile(filepath.Join(sim.CertDir, "client.key"))
		b, err = certcheck.LoadPair(c, k)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ids(rep *probe.Report) []string {
	var out []string
	for _, c := range rep.Checks {
		out = append(out, string(c.ID))
	}
	return out
}

func TestConnectorIP(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "ok")
	o := connectorOptions(sim)
	o.Name = "Scanners"
	rep, plan := probe.Connector(t.Context(), o)
	if rep.Verdict != check.Pass || !plan.Ready {
		for _, c := range rep.Checks {
			t.Logf("%s %s %s %+v", c.ID, c.Status, c.Summary, c.Findings)
		}
		t.Fatalf("verdict %s, ready %v; want pass and ready", rep.Verdict, plan.Ready)
	}
	if got, want := ids(rep), []string{"publicip", "dns", "tcp", "smtp", "tls", "connector"}; !slices.Equal(got, want) {
		t.Errorf("checks %v; want %v", got, want)
	}
	if plan.Kind != probe.ConnectorByIP || !slices.Equal(plan.SenderIPs, []string{"203.0.113.7"}) ||
		plan.SmartHost != sim.MXHost || plan.Name != "Scanners" || plan.Port != sim.SMTPPort {
		t.Errorf("plan %+v", plan)
	}
	if rep.Mode != check.ModeConnector {
		t.Errorf("mode %q; want %q", rep.Mode, check.ModeConnector)
	}
}

func TestConnectorCertificate(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "cert-ok")
	o := connectorOptions(sim)
	o.ClientCert = simBundle(t, sim)
	rep, plan := probe.Connector(t.Context(), o)
	if rep.Verdict != check.Pass || !plan.Ready {
		for _, c := range rep.Checks {
			t.Logf("%s %s %s %+v", c.ID, c.Status, c.Summary, c.Findings)
		}
		t.Fatalf("verdict %s; want pass", rep.Verdict)
	}
	if got, want := ids(rep), []string{"publicip", "dns", "tcp", "clientcert", "smtp", "tls", "connector"}; !slices.Equal(got, want) {
		t.Errorf("checks %v; want %v", got, want)
	}
	if plan.Kind != probe.ConnectorByCertificate || plan.CertDomain != fixtures.SimCertDomain || len(plan.SenderIPs) != 0 {
		t.Errorf("plan %+v; want a certificate connector for %s", plan, fixtures.SimCertDomain)
	}
	if plan.Name != probe.DefaultConnectorName {
		t.Errorf("name %q; want the default %q", plan.Name, probe.DefaultConnectorName)
	}
}

// TestConnectorNotReady: a certificate problem stops the plan, and the plan names it.
func TestConnectorNotReady(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "cert-nochain")
	o := connectorOptions(sim)
	o.ClientCert = simBundle(t, sim)
	o.CertDomain = fixtures.SimCertDomain
	rep, plan := probe.Connector(t.Context(), o)
	if rep.Verdict != check.Fail || plan.Ready {
		t.Fatalf("verdict %s, ready %v; want fail, not ready", rep.Verdict, plan.Ready)
	}
	if !slices.Contains(plan.MustChange, code.CertChainIncomplete) {
		t.Errorf("must change %v; want %s", plan.MustChange, code.CertChainIncomplete)
	}
}

func TestCertDomainFor(t *testing.T) {
	t.Parallel()
	cp, err := fixtures.DefaultClientPKI()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		cn     string
		sans   []string
		domain string
		want   string
	}{
		{"CN under the domain", "mail.contoso.com", []string{"mail.contoso.com", "contoso.com"}, "contoso.com", "mail.contoso.com"},
		{"CN elsewhere, SAN under the domain", "relay.fabrikam.com", []string{"relay.fabrikam.com", "smtp.contoso.com"}, "contoso.com", "smtp.contoso.com"},
		{"no name in the domain", "relay.fabrikam.com", nil, "contoso.com", "relay.fabrikam.com"},
		{"wildcard kept", "*.contoso.com", []string{"*.contoso.com"}, "contoso.com", "*.contoso.com"},
		{"CN not a DNS name", "Contoso Relay", []string{"MAIL.Contoso.com."}, "contoso.com", "mail.contoso.com"},
		{"no DNS name", "Contoso Relay", nil, "contoso.com", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, err := cp.Issuing.Issue(fixtures.CertOptions{Subject: pkix.Name{CommonName: tt.cn}, DNSNames: tt.sans,
				ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
			if err != nil {
				t.Fatal(err)
			}
			b := &certcheck.Bundle{Leaf: l.Cert, Chain: []*x509.Certificate{l.Cert}}
			if got := probe.CertDomainFor(b, tt.domain); got != tt.want {
				t.Errorf("CertDomainFor = %q; want %q", got, tt.want)
			}
		})
	}
}

// TestRelayClientCert runs a relay with the client certificate of each cert-* scenario and
// checks what the tls check says was asked for and sent, and that the EHLO name comes from the
// certificate.
func TestRelayClientCert(t *testing.T) {
	t.Parallel()
	tests := []struct {
		scenario string
		sent     int // chain certificates sent after the leaf
		whole    bool
		code     string
		ehlo     string // the first name on the certificate
	}{
		{"cert-ok", 1, true, "", fixtures.SimCertDomain},
		{"cert-nochain", 0, false, string(code.CertChainIncomplete), fixtures.SimCertDomain},
		{"cert-wrongdomain", 1, true, string(code.CertDomainMismatch), fixtures.SimWrongCertDomain},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			t.Parallel()
			sim := fixtures.NewSim(t, tt.scenario)
			o := simOptions(sim, string(check.ModeRelay))
			o.ClientCert = simBundle(t, sim)
			o.CertDomain = fixtures.SimCertDomain
			rep := probe.Relay(t.Context(), o)
			var tlsRes, cert *check.Result
			for _, c := range rep.Checks {
				switch c.ID {
				case "tls":
					tlsRes = c
				case "clientcert":
					cert = c
				}
			}
			if tlsRes == nil || cert == nil {
				t.Fatalf("checks %v; want tls and clientcert", ids(rep))
			}
			if got := ids(rep); !slices.Equal(got, []string{"publicip", "dns", "tcp", "clientcert", "smtp", "tls", "send"}) {
				t.Errorf("checks %v", got)
			}
			f := tlsRes.Facts
			if f["client_cert_requested"] != true || f["client_cert_sent"] != true || f["client_cert_chain_sent"] != tt.sent ||
				f["client_chain_whole"] != tt.whole {
				t.Errorf("tls facts: requested %v, sent %v, chain sent %v, whole %v; want true, true, %d, %v",
					f["client_cert_requested"], f["client_cert_sent"], f["client_cert_chain_sent"], f["client_chain_whole"], tt.sent, tt.whole)
			}
			// The tcp check's connection is a session too, without a command.
			var conv *fixtures.Session
			for _, s := range sim.Received().Sessions {
				if s.TLS {
					conv = &s
				}
			}
			if conv == nil || conv.EHLO != tt.ehlo || len(conv.ClientCertificates) != tt.sent+1 {
				t.Errorf("the server saw %+v; want EHLO %s and %d certificates", conv, tt.ehlo, tt.sent+1)
			}
			want := check.Pass
			if tt.code != "" {
				want = check.Fail
				var codes []string
				for _, f := range cert.Findings {
					codes = append(codes, string(f.Code))
				}
				if !slices.Contains(codes, tt.code) {
					t.Errorf("clientcert findings %v; want %s", codes, tt.code)
				}
			}
			if rep.Verdict != want {
				t.Errorf("verdict %s; want %s", rep.Verdict, want)
			}
		})
	}
}

// TestRelayClientCertNotRequested: a server that does not ask for the certificate (here a
// Postfix in front of the tenant) never receives it, and the tls check says so.
func TestRelayClientCertNotRequested(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "not-exo")
	cp, err := fixtures.DefaultClientPKI()
	if err != nil {
		t.Fatal(err)
	}
	l, err := cp.Issuing.Issue(fixtures.CertOptions{DNSNames: []string{"mail.contoso.com"}, Client: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := certcheck.LoadPair(append(l.CertPEM(), cp.Issuing.CertPEM()...), l.KeyPEM())
	if err != nil {
		t.Fatal(err)
	}
	o := simOptions(sim, string(check.ModeRelay))
	o.ClientCert = b
	rep := probe.Relay(t.Context(), o)
	for _, c := range rep.Checks {
		if c.ID != "tls" {
			continue
		}
		if c.Facts["client_cert_requested"] != false || c.Facts["client_cert_sent"] != false {
			t.Errorf("facts %v; want not requested, not sent", c.Facts)
		}
		for _, f := range c.Findings {
			if f.Code == "client-cert-not-requested" && f.Hint != nil && f.Severity == check.Fail {
				return
			}
		}
		t.Errorf("tls findings %+v; want client-cert-not-requested", c.Findings)
		return
	}
	t.Fatalf("no tls check in %v", ids(rep))
}

// BenchmarkRelayClientCert measures a relay pre-flight with a client certificate against the
// simulator: the offline inspection runs beside the network checks, and the certificate is
// presented during STARTTLS.
func BenchmarkRelayClientCert(b *testing.B) {
	sim := fixtures.NewSim(b, "cert-ok")
	data, err := os.ReadFile(filepath.Join(sim.CertDir, "client.pfx"))
	if err != nil {
		b.Fatal(err)
	}
	bundle, err := certcheck.Load(data, "")
	if err != nil {
		b.Fatal(err)
	}
	o := simOptions(sim, string(check.ModeRelay))
	o.ClientCert, o.CertDomain = bundle, fixtures.SimCertDomain
	for b.Loop() {
		if rep := probe.Relay(b.Context(), o); rep.Verdict != check.Pass {
			b.Fatalf("verdict = %s", rep.Verdict)
		}
	}
}

// TestConnectorPreflight holds the connector pre-flight to what a relay would meet on port 25:
// the conversation up to EHLO after STARTTLS (never an envelope), a silent or masked port as a
// failure, and the network verdicts of the tcp check when port 25 or every port is blocked.
func TestConnectorPreflight(t *testing.T) {
	t.Parallel()
	type setup struct {
		port     int   // the endpoint's port; the simulator's when zero
		controls []int // the control ports; the simulator's when nil
	}
	tests := []struct {
		name     string
		scenario string
		setup    func(t *testing.T, sim *fixtures.Sim) setup
		verdict  check.Status
		cause    string // check/code of the root cause; "" for a pass
		skipped  bool   // smtp and tls are skipped, pointing at the tcp check
	}{
		{name: "ok", scenario: "ok", verdict: check.Pass},
		{name: "silent port", scenario: "banner-timeout", verdict: check.Fail, cause: "smtp/banner-timeout"},
		{name: "masked greeting", scenario: "masked-banner", verdict: check.Fail, cause: "smtp/banner-masked"},
		{name: "STARTTLS stripped", scenario: "no-starttls", verdict: check.Fail, cause: "smtp/starttls-stripped"},
		{name: "TLS intercepted", scenario: "tls-intercepted", verdict: check.Fail, cause: "tls/tls-intercepted"},
		{name: "25 filtered, 587 and 443 open", scenario: "ok", verdict: check.Fail, cause: "tcp/port-blocked", skipped: true,
			setup: func(t *testing.T, sim *fixtures.Sim) setup { return setup{port: fixtures.NewFiltered(t).Port} }},
		{name: "all filtered", scenario: "ok", verdict: check.Fail, cause: "tcp/mail-ports-blocked", skipped: true,
			setup: func(t *testing.T, sim *fixtures.Sim) setup {
				return setup{port: fixtures.NewFiltered(t).Port, controls: []int{fixtures.NewFiltered(t).Port, fixtures.NewFiltered(t).Port}}
			}},
		{name: "all refused", scenario: "ok", verdict: check.Fail, cause: "tcp/mail-ports-blocked", skipped: true,
			setup: func(t *testing.T, sim *fixtures.Sim) setup {
				return setup{port: fixtures.ClosedPort(t), controls: []int{fixtures.ClosedPort(t), fixtures.ClosedPort(t)}}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim := fixtures.NewSim(t, tt.scenario)
			o := connectorOptions(sim)
			o.ConnectTimeout, o.ReplyTimeout = 500*time.Millisecond, 500*time.Millisecond
			if tt.setup != nil {
				s := tt.setup(t, sim)
				if s.port != 0 {
					o.Port = s.port
				}
				if s.controls != nil {
					o.ControlPorts = s.controls
				}
			}
			rep, plan := probe.Connector(t.Context(), o)
			if got, want := ids(rep), []string{"publicip", "dns", "tcp", "smtp", "tls", "connector"}; !slices.Equal(got, want) {
				t.Errorf("checks %v; want %v", got, want)
			}
			cause := ""
			if rep.RootCause != nil {
				cause = string(rep.RootCause.Check) + "/" + string(rep.RootCause.Code)
			}
			if rep.Verdict != tt.verdict || cause != tt.cause || plan.Ready != (tt.verdict != check.Fail) {
				for _, c := range rep.Checks {
					t.Logf("%s %s %s %+v", c.ID, c.Status, c.Summary, c.Findings)
				}
				t.Fatalf("verdict %s, root cause %q, ready %v; want %s, %q", rep.Verdict, cause, plan.Ready, tt.verdict, tt.cause)
			}
			for _, c := range rep.Checks {
				switch {
				case c.ID != check.SMTP && c.ID != check.TLS:
				case tt.skipped && (c.Status != check.Skip || !strings.Contains(c.Summary, "is not reachable (see the tcp check)")):
					t.Errorf("%s is %s (%s); want it skipped, pointing at the tcp check", c.ID, c.Status, c.Summary)
				case !tt.skipped && c.ID == check.SMTP && c.Status == check.Skip:
					t.Errorf("smtp is skipped (%s); want the conversation held", c.Summary)
				}
			}
			// One fact, one finding: a closed port is the tcp check's alone.
			var n int
			for _, f := range rep.Findings() {
				if f.Severity == check.Fail {
					n++
				}
			}
			if tt.skipped && n != 1 {
				t.Errorf("%d failures; want the tcp check's one: %+v", n, rep.Findings())
			}
			for _, c := range sim.Received().Commands() {
				if v := strings.Fields(c); len(v) > 0 && (strings.EqualFold(v[0], "MAIL") || strings.EqualFold(v[0], "RCPT")) {
					t.Errorf("the pre-flight sent %q; want no envelope", c)
				}
			}
		})
	}
}

// TestConnectorConversation: a passing pre-flight greets, says EHLO, starts TLS, checks the
// server's certificate, says EHLO again and QUIT, presenting the client certificate when asked.
func TestConnectorConversation(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "cert-ok")
	o := connectorOptions(sim)
	o.ClientCert = simBundle(t, sim)
	rep, _ := probe.Connector(t.Context(), o)
	if rep.Verdict != check.Pass {
		t.Fatalf("verdict %s; want pass: %+v", rep.Verdict, rep.Findings())
	}
	var conv *fixtures.Session
	for _, s := range sim.Received().Sessions {
		if s.TLS {
			conv = &s
		}
	}
	if conv == nil {
		t.Fatalf("no TLS session in %+v", sim.Received().Sessions)
	}
	var verbs []string
	for _, c := range conv.Commands {
		verbs = append(verbs, strings.Fields(c)[0])
	}
	if want := []string{"EHLO", "STARTTLS", "EHLO", "QUIT"}; !slices.Equal(verbs, want) {
		t.Errorf("commands %v; want %v", verbs, want)
	}
	if conv.EHLO != fixtures.SimCertDomain || len(conv.ClientCertificates) != 2 {
		t.Errorf("EHLO %q with %d certificates; want %s and the certificate with its chain", conv.EHLO, len(conv.ClientCertificates), fixtures.SimCertDomain)
	}
	for _, c := range rep.Checks {
		if c.ID == check.TLS && (c.Facts["verified"] != true || c.Facts["client_cert_sent"] != true) {
			t.Errorf("tls facts %v; want the chain verified and the client certificate sent", c.Facts)
		}
	}
	if len(rep.Transcript) == 0 {
		t.Error("no transcript")
	}
}
