package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/fixtures/hostile"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/kb"
	"github.com/exoprobe/exoprobe/probe/publicip"
)

// runConnectorSim runs `exoprobe connector` against a simulator: the flags point DNS and the
// port at it, the hooks its public-IP names, CA and control ports.
func runConnectorSim(t *testing.T, sim *fixtures.Sim, args ...string) (int, string, string) {
	t.Helper()
	return runConnectorControls(t, sim, sim.ControlPorts, args...)
}

// runConnectorControls is runConnectorSim with the ports that stand in for 587 and 443.
func runConnectorControls(t *testing.T, sim *fixtures.Sim, controls []int, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv:     func(string) string { return "" },
		isTerminal: func(io.Writer) bool { return false },
	}
	args = append([]string{"--domain", sim.Domain, "--resolver", sim.DNSAddr, "--port", strconv.Itoa(sim.SMTPPort),
		"--connect-timeout", "2s", "--timeout", "20s"}, args...)
	v, err := runConnectorWith(t.Context(), e, args, func(o *probe.ConnectorOptions) {
		o.PublicIPSources = publicip.SourcesAt(sim.DNSAddr)
		o.PublicIPHTTPS = []string{}
		o.RootCAs = sim.RootCAs
		o.ControlPorts = controls
	})
	if err != nil {
		t.Fatalf("connector: %v\nstderr:\n%s", err, errb.String())
	}
	return exitCode(v), out.String(), errb.String()
}

func TestConnectorCommand(t *testing.T) {
	t.Parallel()
	ok := fixtures.NewSim(t, "ok")
	certOK := fixtures.NewSim(t, "cert-ok")
	nochain := fixtures.NewSim(t, "cert-nochain")
	// The site leaves through another NAT for port 25 than for the public-IP services.
	nat := fixtures.NewSim(t, "ok", fixtures.WithBehavior(func(b *fixtures.Behavior) {
		b.EchoIP = netip.MustParseAddr(fixtures.WrongEchoIP)
	}))
	hostile := "Scanner's relay $(whoami) `n ‘x’"
	tests := []struct {
		name string
		sim  *fixtures.Sim
		args []string
		exit int
		want []string // in the text output
	}{
		{"IP, detected", ok, nil, 0, []string{
			"PASS  smtp        Exchange Online (",
			"PASS  tls         TLS",
			"New-InboundConnector -Name 'SMTP relay' -ConnectorType OnPremises -SenderDomains '*' -SenderIPAddresses '203.0.113.7'",
			"Set-InboundConnector -Identity 'SMTP relay' -ConnectorType OnPremises -SenderIPAddresses @{Add='203.0.113.7'}",
			"SMTP server (smart host)  " + fixtures.SimMXHost,
			"Verdict: PASS - ready to create the connector",
		}},
		// A documentation, private or shared address is taken, with a warning that a connector
		// listing it never matches; Exchange Online (the simulator) sees the site as
		// 203.0.113.7, and the pre-flight says that too.
		{"IP, given", ok, []string{"--public-ip", "198.51.100.40"}, 1, []string{"-SenderIPAddresses '198.51.100.40'",
			"WARN  publicip  publicip-not-public", "--public-ip 198.51.100.40 is a documentation address (RFC 5737)",
			"smtp  egress-ip-differs"}},
		{"IP, given, private", ok, []string{"--public-ip", "10.1.2.3"}, 1, []string{
			"--public-ip 10.1.2.3 is a private address (RFC 1918)", "publicip-not-public"}},
		{"IP, given, carrier-grade NAT", ok, []string{"--public-ip", "100.64.7.1"}, 1, []string{"is a carrier-grade NAT address (RFC 6598)"}},
		{"IP, as Exchange Online sees it", nat, nil, 1, []string{
			"-SenderIPAddresses '" + fixtures.WrongEchoIP + "'",
			"smtp  egress-ip-differs",
			"PASS  connector   IP-based connector for " + fixtures.WrongEchoIP,
		}},
		{"hostile name", ok, []string{"--name", hostile}, 0, []string{"-Name " + kb.PSQuote(hostile) + " -ConnectorType"}},
		{"certificate", certOK, []string{"--pfx", filepath.Join(certOK.CertDir, "client.pfx")}, 0, []string{
			"-TlsSenderCertificateName 'mail.contoso.com' -RequireTls $true",
			"Client certificate",
		}},
		{"certificate without its chain", nochain, []string{"--cert", filepath.Join(nochain.CertDir, "client.pem"),
			"--key", filepath.Join(nochain.CertDir, "client.key"), "--cert-domain", "mail.contoso.com"}, 2, []string{
			"cert-chain-incomplete",
			"Once the failures above are fixed",
			"Verdict: FAIL - not ready to create the connector; change this first: The certificate file does not hold the whole chain",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runConnectorSim(t, tt.sim, append(tt.args, "--no-color")...)
			if code != tt.exit {
				t.Errorf("exit code = %d; want %d\n%s\n%s", code, tt.exit, stdout, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("output lacks %q:\n%s", w, stdout)
				}
			}
		})
	}
}

func TestConnectorCommandJSON(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "ok")
	code, stdout, _ := runConnectorSim(t, sim, "-o", "json", "--name", "Copiers")
	if code != exitPass {
		t.Errorf("exit code = %d; want 0", code)
	}
	var rep struct {
		Mode      string `json:"mode"`
		Verdict   string `json:"verdict"`
		Connector struct {
			Name       string   `json:"name"`
			Kind       string   `json:"kind"`
			Ready      bool     `json:"ready"`
			SenderIPs  []string `json:"sender_ip_addresses"`
			SmartHost  string   `json:"smart_host"`
			PowerShell struct {
				Create, Update, Check string
			} `json:"powershell"`
		} `json:"connector"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	c := rep.Connector
	if rep.Mode != "connector" || rep.Verdict != "pass" || c.Name != "Copiers" || c.Kind != "ip" || !c.Ready ||
		len(c.SenderIPs) != 1 || c.SenderIPs[0] != "203.0.113.7" || c.SmartHost != fixtures.SimMXHost ||
		!strings.Contains(c.PowerShell.Create, "-Name 'Copiers'") {
		t.Errorf("report %+v", rep)
	}
}

func TestConnectorCommandUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no domain", []string{"connector"}, "--domain is required"},
		{"domain is an address", []string{"connector", "--domain", "app@contoso.com"}, "not a domain name"},
		{"IPv6 public IP", []string{"connector", "--domain", "contoso.com", "--public-ip", "2001:db8::1"}, "IPv4 only"},
		{"name with a line break", []string{"connector", "--domain", "contoso.com", "--name", "a\nNew-Thing"}, "control"},
		{"empty name", []string{"connector", "--domain", "contoso.com", "--name", "  "}, "must not be empty"},
		{"cert and pfx", []string{"connector", "--domain", "contoso.com", "--cert", "a.pem", "--pfx", "b.pfx"}, "not both"},
		{"key without cert", []string{"connector", "--domain", "contoso.com", "--key", "k.pem"}, "--key needs --cert"},
		{"cert-domain without cert", []string{"connector", "--domain", "contoso.com", "--cert-domain", "mail.contoso.com"}, "needs the certificate"},
		{"embedded wildcard", []string{"connector", "--domain", "contoso.com", "--pfx", "b.pfx", "--cert-domain", "a.*.contoso.com"}, "embedded wildcard"},
		{"missing file", []string{"connector", "--domain", "contoso.com", "--pfx", filepath.Join(t.TempDir(), "none.pfx")}, "none.pfx"},
		{"password flag", []string{"connector", "--domain", "contoso.com", "--pfx-password", "Hunter2-secret"}, envPFXPassword},
		{"relay: cert-domain without cert", []string{"relay", "--from", "a@contoso.com", "--to", "b@example.org", "--cert-domain", "mail.contoso.com"}, "needs the certificate"},
		{"relay: cert and pfx", []string{"relay", "--from", "a@contoso.com", "--to", "b@example.org", "--cert", "a", "--pfx", "b"}, "not both"},
		{"relay: password flag", []string{"relay", "--from", "a@contoso.com", "--to", "b@example.org", "--pfx-password=Hunter2-secret"}, envPFXPassword},
		{"direct has no --cert", []string{"direct", "--from", "a@contoso.com", "--to", "b@contoso.com", "--cert", "a.pem"}, "unknown flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr := assertCantRun(t, tt.want, tt.args...)
			if strings.Contains(stdout+stderr, "Hunter2-secret") {
				t.Errorf("a secret given as a flag was echoed")
			}
		})
	}
}

// TestRelayCertKeyless: a relay certificate must come with its key, or there is nothing to
// present.
func TestRelayCertKeyless(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "cert-nochain")
	code, _, stderr := runCmd(t, "", "relay", "--from", "a@contoso.com", "--to", "b@example.org",
		"--cert", filepath.Join(sim.CertDir, "client.pem"))
	if code != exitCantRun || !strings.Contains(stderr, "no private key") {
		t.Errorf("exit %d, stderr %q; want 3 and a message about the key", code, stderr)
	}
}

// TestConnectorCommandPreflight runs `exoprobe connector` where a relay would fail on port 25:
// a port that accepts and never speaks, a masked greeting, port 25 filtered while 587 and 443
// connect (the ISP's or a firewall's block), and every port filtered or refused (a network that
// lets no mail out). None of them may say the connector is ready.
func TestConnectorCommandPreflight(t *testing.T) {
	t.Parallel()
	ok := fixtures.NewSim(t, "ok")
	masked := fixtures.NewSim(t, "masked-banner")
	silent := hostile.New(t, hostile.Silent())
	filtered := func() string { return strconv.Itoa(fixtures.NewFiltered(t).Port) }
	closed := func() int { return fixtures.ClosedPort(t) }
	tests := []struct {
		name     string
		sim      *fixtures.Sim
		controls []int // nil: the simulator's listeners
		args     []string
		want     []string
		not      []string
	}{
		{name: "silent port", sim: ok, args: []string{"--port", strconv.Itoa(silent.Port), "--reply-timeout", "1s"},
			want: []string{"PASS  tcp", "FAIL  smtp        connected, but no greeting in 1 s", "smtp  banner-timeout",
				"Verdict: FAIL - not ready to create the connector; change this first: Connected to"}},
		{name: "masked greeting", sim: masked,
			want: []string{"FAIL  smtp        greeting masked", "Fix the path before creating the connector",
				"Verdict: FAIL - not ready to create the connector; change this first: The SMTP greeting was masked by a firewall"}},
		{name: "25 filtered, 587 and 443 open", sim: ok, args: []string{"--port", filtered(), "--connect-timeout", "500ms"},
			want: []string{"FAIL  tcp", "SKIP  smtp        skipped: port", "is not reachable (see the tcp check)", "tcp  port-blocked",
				"Verdict: FAIL - not ready to create the connector: The ISP or a firewall blocks outbound port"},
			not: []string{"smtp  port-filtered", "tcp  port-filtered"}},
		{name: "all filtered", sim: ok, controls: []int{fixtures.NewFiltered(t).Port, fixtures.NewFiltered(t).Port},
			args: []string{"--port", filtered(), "--connect-timeout", "500ms"},
			want: []string{"tcp  mail-ports-blocked", "This network blocks all outbound mail ports: port",
				"Verdict: FAIL - not ready to create the connector: This network blocks all outbound mail ports"},
			not: []string{"port-filtered"}},
		{name: "all refused", sim: ok, controls: []int{closed(), closed()},
			args: []string{"--port", strconv.Itoa(closed())},
			want: []string{"tcp  mail-ports-blocked", "were refused too",
				"Verdict: FAIL - not ready to create the connector: This network blocks all outbound mail ports"},
			not: []string{"port-refused"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			controls := tt.controls
			if controls == nil {
				controls = tt.sim.ControlPorts
			}
			code, stdout, stderr := runConnectorControls(t, tt.sim, controls, append(tt.args, "--no-color")...)
			if code != exitFail {
				t.Errorf("exit code = %d; want 2\n%s\n%s", code, stdout, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("output lacks %q:\n%s", w, stdout)
				}
			}
			for _, w := range append(tt.not, "ready to create the connector: every check passed") {
				if strings.Contains(stdout, w) {
					t.Errorf("output says %q:\n%s", w, stdout)
				}
			}
		})
	}
}
