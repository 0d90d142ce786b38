package main

// The interop suite: the real command line (flag parsing, the probe, the JSON renderer and the
// exit code) against real servers from Debian's packages on loopback: Postfix as the MX or
// submission endpoint, Dovecot as its SASL back end and Unbound as --resolver. The simulator in
// fixtures is the project's own reading of Exchange Online; these keep it honest. Nothing
// leaves 127.0.0.1: Unbound answers every name from local data (and NXDOMAIN for the rest of
// the world), the public IP comes from --public-ip or from Unbound, the control ports are a
// local acceptor and Postfix discards whatever it accepts.
//
// Without the servers the tests skip (fail with CI=true); see fixtures/interop.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/fixtures/interop"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/publicip"
	"github.com/exoprobe/exoprobe/probe/session"
)

// The interop world: a domain whose MX is a plain Postfix, a tenant domain whose MX has an
// Exchange Online name (served by Postfix too), and the public IP every source reports.
const (
	interopDomain   = "interop.example"
	interopMX       = "mx.interop.example"
	interopTenant   = "contoso-interop.example"
	interopTenantMX = "contoso-interop-example.mail.protection.outlook.com"
	// interopOtherTenant is a domain in Exchange Online that is not the tenant's.
	interopOtherTenant = "fabrikam-interop.example"
	interopPublicIP    = "203.0.113.7"
	// interopEXOGreeting is how Exchange Online greets after its host name (facts §4.4).
	interopEXOGreeting = "Microsoft ESMTP MAIL Service ready at Mon, 23 Nov 2026 12:00:00 +0000 [08DE2A7F1A2B3C4D]"
	// interopAttr36 is the reply of Exchange Online when no inbound connector matches.
	interopAttr36 = "550 5.7.64 TenantAttribution; Relay Access Denied ATTR36"
	// interopNotAccepted is Exchange Server's refusal to relay for an anonymous client.
	interopNotAccepted = "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain"
	// interopPassword is the mailbox password Dovecot knows; it must never appear in any output.
	interopPassword = "Interop-Pa55word-Never-Shown"
	interopMailbox  = "app@" + interopDomain
	// interopRefused3 and interopRefused139 are mailboxes whose sign-in the back end refuses as
	// Exchange Online does, whatever the password.
	interopRefused3   = "refused3@" + interopDomain
	interopRefused139 = "refused139@" + interopDomain
	// interopRunTimeout bounds one run; a healthy run on loopback takes milliseconds.
	interopRunTimeout = 30 * time.Second
)

// interopZone is what Unbound answers.
func interopZone() []string {
	ip := interopPublicIP
	spf := `"v=spf1 ip4:` + ip + ` include:spf.protection.outlook.com -all"`
	return []string{
		interopDomain + ". 60 IN MX 10 " + interopMX + ".",
		interopMX + ". 60 IN A 127.0.0.1",
		interopDomain + ". 60 IN TXT " + spf,
		"_dmarc." + interopDomain + `. 60 IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@` + interopDomain + `"`,
		interopTenant + ". 60 IN MX 0 " + interopTenantMX + ".",
		interopTenantMX + ". 60 IN A 127.0.0.1",
		interopOtherTenant + ". 60 IN MX 0 fabrikam-interop-example.mail.protection.outlook.com.",
		interopTenant + ". 60 IN TXT " + spf,
		"_dmarc." + interopTenant + `. 60 IN TXT "v=DMARC1; p=quarantine"`,
		`spf.protection.outlook.com. 60 IN TXT "v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 ip4:52.100.0.0/14 ip4:104.47.0.0/17 -all"`,
		// The public-IP services, as they answer the asker's address.
		fixtures.OpenDNSMyIP + " 0 IN A " + ip,
		fixtures.GoogleMyAddr + ` 0 IN TXT "` + ip + `"`,
		fixtures.CloudflareWhoami + ` 0 CH TXT "` + ip + `"`,
	}
}

// interopWorld is what every case shares: Unbound, a control-port acceptor and the test PKI.
type interopWorld struct {
	dns     *interop.UnboundServer
	control *fixtures.Acceptor
	pki     *fixtures.PKI
}

func newInteropWorld(t testing.TB) *interopWorld {
	t.Helper()
	interop.Require(t, interop.Unbound, interop.Postfix)
	pki, err := fixtures.DefaultPKI()
	if err != nil {
		t.Fatal(err)
	}
	return &interopWorld{dns: interop.StartUnbound(t, interopZone()...), control: fixtures.NewAcceptor(t), pki: pki}
}

// serverCert issues a server certificate for host (and 127.0.0.1) from the test PKI.
func (w *interopWorld) serverCert(t testing.TB, host string) *fixtures.Leaf {
	t.Helper()
	leaf, err := w.pki.Issuing.Issue(fixtures.CertOptions{
		DNSNames: []string{host}, IPAddresses: []netip.Addr{netip.MustParseAddr("127.0.0.1")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return leaf
}

// tweak points what no flag reaches at loopback: the public-IP sources at Unbound (used when
// --public-ip is not given), no HTTPS fallback, the test CA as trusted root, and the acceptor
// as the 587 and 443 controls.
func (w *interopWorld) tweak(o *probe.Options) {
	o.PublicIPSources = publicip.SourcesAt(w.dns.Addr)
	o.PublicIPHTTPS = []string{}
	o.RootCAs = w.pki.Root.Pool()
	o.ControlPorts = []int{w.control.Port, w.control.Port}
}

func (w *interopWorld) submitTweak(o *probe.SubmitOptions) {
	o.RootCAs = w.pki.Root.Pool()
	o.ControlPorts = []int{w.control.Port}
}

// status returns the status of check id, "" when the report lacks it.
func (r *jsonReport) status(id string) string {
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Status
		}
	}
	return ""
}

// fact returns fact key of check id as JSON text, "" when absent.
func (r *jsonReport) fact(id, key string) string {
	for _, c := range r.Checks {
		if c.ID == id {
			if v, ok := c.Facts[key]; ok {
				b, _ := json.Marshal(v)
				return string(b)
			}
		}
	}
	return ""
}

// hint returns the hint id of the first finding with code, and whether there is one.
func (r *jsonReport) hint(code string) (hint, message string, ok bool) {
	for _, c := range r.Checks {
		for _, f := range c.Findings {
			if f.Code == code {
				if f.Hint != nil {
					hint = f.Hint.ID
				}
				return hint, f.Message, true
			}
		}
	}
	return "", "", false
}

// checkCodes lists the findings as check:code.
func (r *jsonReport) checkCodes() []string {
	var out []string
	for _, c := range r.Checks {
		for _, f := range c.Findings {
			out = append(out, c.ID+":"+f.Code)
		}
	}
	return out
}

func (r *jsonReport) transcript() string {
	var b strings.Builder
	for _, l := range r.Transcript {
		b.WriteString(l.Dir + " " + l.Line + "\n")
	}
	return b.String()
}

// interopOutcome is one run of the command.
type interopOutcome struct {
	code           int
	rep            jsonReport
	stdout, stderr string
}

// runInterop runs "exoprobe <mode> args... -o json" through the command's own entry point with
// w's hooks, EXOPROBE_* variables from env, and returns its exit code and report.
func (w *interopWorld) run(t testing.TB, env map[string]string, mode string, args ...string) interopOutcome {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(t.Context(), interopRunTimeout)
	defer cancel()
	args = append(append([]string(nil), args...), "-o", "json")
	v, err := w.dispatch(ctx, interopEnv(&out, &errb, env), mode, args)
	if err != nil {
		t.Fatalf("exoprobe %s %s: %v\nstderr:\n%s", mode, strings.Join(args, " "), err, errb.String())
	}
	o := interopOutcome{code: exitCode(v), stdout: out.String(), stderr: errb.String()}
	if err := json.Unmarshal(out.Bytes(), &o.rep); err != nil {
		t.Fatalf("exoprobe %s: output is not a JSON report: %v\nstdout:\n%s\nstderr:\n%s", mode, err, out.String(), errb.String())
	}
	return o
}

// dispatch is run's switch with the hooks added: relay and direct go through runPort25, submit
// through runSubmitWith, exactly as "exoprobe <mode>" does apart from the tweak.
func (w *interopWorld) dispatch(ctx context.Context, e *env, mode string, args []string) (check.Status, error) {
	switch check.Mode(mode) {
	case check.ModeRelay, check.ModeDirect:
		return runPort25(ctx, e, check.Mode(mode), args, w.tweak)
	case "submit":
		return runSubmitWith(ctx, e, args, w.submitTweak)
	}
	panic("interop: unknown mode " + mode)
}

// interopEnv is the process environment of one run: no terminal, and of the environment
// variables only those in vars.
func interopEnv(stdout, stderr io.Writer, vars map[string]string) *env {
	return &env{
		stdin: strings.NewReader(""), stdout: stdout, stderr: stderr,
		getenv:     func(k string) string { return vars[k] },
		isTerminal: func(io.Writer) bool { return false },
	}
}

// interopCase is one run against one Postfix and what its report must say.
type interopCase struct {
	name    string
	postfix func(w *interopWorld, t *testing.T) interop.PostfixConfig
	mode    string
	// args come after the mode; {port} is replaced by Postfix's SMTP port.
	args []string
	// detectIP leaves --public-ip out: the address is detected through Unbound's answers to
	// the OpenDNS, Google and Cloudflare names.
	detectIP    bool
	wantVerdict string
	wantExit    int
	wantStatus  map[string]string // check id → status
	wantCodes   map[string]string // finding code → hint id ("" for any or none)
	noCodes     []string
	wantRoot    string // the report's root cause as check/code; "" for none
	// check, when set, checks more; pf is the case's Postfix.
	check func(t *testing.T, rep *jsonReport, pf *interop.PostfixServer)
}

func relayArgs(domain, to string) []string {
	return []string{"--domain", domain, "--from", "app@" + domain, "--to", to}
}

func TestInteropRelay(t *testing.T) {
	t.Parallel()
	w := newInteropWorld(t)
	exoLike := func(w *interopWorld, t *testing.T) interop.PostfixConfig {
		return interop.PostfixConfig{
			Hostname: interopTenantMX, Greeting: interopEXOGreeting, Cert: w.serverCert(t, interopTenantMX),
			MyNetworks: []string{"127.0.0.0/8"}, RelayDomains: []string{interopTenant},
		}
	}
	tests := []interopCase{
		{
			name: "plain accept without TLS",
			postfix: func(w *interopWorld, t *testing.T) interop.PostfixConfig {
				return interop.PostfixConfig{MyNetworks: []string{"127.0.0.0/8"}}
			},
			mode: string(check.ModeRelay), args: relayArgs(interopDomain, "someone@example.org"),
			wantVerdict: "fail", wantExit: exitFail,
			// --public-ip is a documentation address, which the publicip check warns of.
			wantStatus: map[string]string{"publicip": "warn", "dns": "fail", "tcp": "pass", "smtp": "fail", "tls": "skip", "send": "pass"},
			wantCodes:  map[string]string{"mx-not-exo": "", "starttls-missing": "", "publicip-not-public": "publicip-not-public"},
			wantRoot:   "dns/mx-not-exo",
			check: func(t *testing.T, rep *jsonReport, _ *interop.PostfixServer) {
				if got := rep.fact("smtp", "is_exo"); got != "false" {
					t.Errorf("smtp is_exo = %s; want false for Postfix", got)
				}
				if got := rep.fact("smtp", "banner"); !strings.Contains(got, interopMX) || !strings.Contains(got, "Postfix") {
					t.Errorf("smtp banner = %s; want Postfix's greeting as %s", got, interopMX)
				}
			},
		},
		{
			name: "relay refused the way Exchange Online refuses it",
			postfix: func(w *interopWorld, t *testing.T) interop.PostfixConfig {
				return interop.PostfixConfig{
					RelayRestrictions: []string{"check_recipient_access texthash:${config_directory}/attribution", "reject_unauth_destination"},
					Maps:              map[string]string{"attribution": "example.org " + interopAttr36},
				}
			},
			mode: string(check.ModeRelay), args: relayArgs(interopDomain, "someone@example.org"),
			wantVerdict: "fail", wantExit: exitFail,
			wantStatus: map[string]string{"send": "fail"},
			wantCodes:  map[string]string{"5.7.64": "relay-tenant-attribution"},
			wantRoot:   "send/5.7.64",
			check: func(t *testing.T, rep *jsonReport, _ *interop.PostfixServer) {
				_, msg, _ := rep.hint("5.7.64")
				if !strings.Contains(msg, "ATTR36") {
					t.Errorf("5.7.64 finding message %q; want the ATTR36 token kept", msg)
				}
				if !strings.Contains(rep.transcript(), "TenantAttribution; Relay Access Denied ATTR36") {
					t.Errorf("transcript lacks Postfix's 5.7.64 reply:\n%s", rep.transcript())
				}
			},
		},
		{
			name: "relay refused by Postfix itself",
			postfix: func(w *interopWorld, t *testing.T) interop.PostfixConfig {
				return interop.PostfixConfig{}
			},
			mode: string(check.ModeRelay), args: relayArgs(interopDomain, "someone@example.org"),
			wantVerdict: "fail", wantExit: exitFail,
			wantStatus: map[string]string{"send": "fail"},
			wantCodes:  map[string]string{"5.7.1": ""},
			noCodes:    []string{"5.7.64"},
			wantRoot:   "send/5.7.1",
			check: func(t *testing.T, rep *jsonReport, _ *interop.PostfixServer) {
				if !strings.Contains(rep.transcript(), "554 5.7.1 <someone@example.org>: Relay access denied") {
					t.Errorf("transcript lacks Postfix's relay denial:\n%s", rep.transcript())
				}
			},
		},
		{
			name: "STARTTLS with a real certificate",
			postfix: func(w *interopWorld, t *testing.T) interop.PostfixConfig {
				return interop.PostfixConfig{Cert: w.serverCert(t, interopMX), MyNetworks: []string{"127.0.0.0/8"}}
			},
			mode: string(check.ModeRelay), args: relayArgs(interopDomain, "someone@example.org"),
			wantVerdict: "fail", wantExit: exitFail, // the MX is not Exchange Online
			wantStatus: map[string]string{"smtp": "pass", "tls": "pass", "send": "pass"},
			wantCodes:  map[string]string{"mx-not-exo": ""},
			noCodes:    []string{"starttls-missing", "tls-verify-failed", "tls-handshake-failed"},
			wantRoot:   "dns/mx-not-exo",
			check:      checkTLSFacts(interopMX),
		},
		{
			name:    "Exchange Online look-alike passes, public IP detected",
			postfix: exoLike, mode: string(check.ModeRelay), args: relayArgs(interopTenant, "someone@example.org"),
			detectIP: true, wantVerdict: "pass", wantExit: exitPass,
			wantStatus: map[string]string{"publicip": "pass", "dns": "pass", "tcp": "pass", "smtp": "pass", "tls": "pass", "send": "pass"},
			check: func(t *testing.T, rep *jsonReport, _ *interop.PostfixServer) {
				checkTLSFacts(interopTenantMX)(t, rep, nil)
				if got := rep.fact("publicip", "ipv4"); got != `"`+interopPublicIP+`"` {
					t.Errorf("publicip ipv4 = %s; want %q detected through Unbound", got, interopPublicIP)
				}
				if got := rep.fact("smtp", "is_exo"); got != "true" {
					t.Errorf("smtp is_exo = %s; want true for the look-alike greeting", got)
				}
				if rep.Target.Host != interopTenantMX {
					t.Errorf("target host = %q; want the MX %q", rep.Target.Host, interopTenantMX)
				}
			},
		},
		{
			name:    "the test message of --send is taken and delivered",
			postfix: exoLike, mode: string(check.ModeRelay),
			args:        append(relayArgs(interopTenant, "someone@example.org"), "--send"),
			detectIP:    true, // a --public-ip in documentation space would warn
			wantVerdict: "pass", wantExit: exitPass,
			wantStatus: map[string]string{"send": "pass"},
			check: func(t *testing.T, rep *jsonReport, pf *interop.PostfixServer) {
				if got := rep.fact("send", "delivered"); got != "true" {
					t.Errorf("send delivered = %s; want true", got)
				}
				// Postfix queued the message and its queue manager handed it to the discard
				// transport: the message the probe writes passes a real MTA's checks.
				if err := pf.WaitLog(t.Context(), "status=sent (exoprobe interop test server)"); err != nil {
					t.Error(err)
				}
			},
		},
		{
			name: "direct send to a mailbox of the tenant",
			postfix: func(w *interopWorld, t *testing.T) interop.PostfixConfig {
				c := exoLike(w, t)
				c.MyNetworks = nil // Direct Send has no connector: only the tenant's own domain is accepted
				return c
			},
			mode:        string(check.ModeDirect),
			args:        []string{"--domain", interopTenant, "--from", "scanner@" + interopTenant, "--to", "user@" + interopTenant},
			detectIP:    true, // a --public-ip in documentation space would warn
			wantVerdict: "pass", wantExit: exitPass,
			wantStatus: map[string]string{"dns": "pass", "smtp": "pass", "tls": "pass", "send": "pass"},
		},
		{
			// A recipient whose domain has no Exchange Online MX is refused before the run
			// (TestDirectOutsideRecipient); one whose MX is in Exchange Online may be in the
			// tenant, so the run goes on, and the server's refusal decides.
			name: "direct send outside the tenant is refused",
			postfix: func(w *interopWorld, t *testing.T) interop.PostfixConfig {
				c := exoLike(w, t)
				c.MyNetworks = nil
				return c
			},
			mode:        string(check.ModeDirect),
			args:        []string{"--domain", interopTenant, "--from", "scanner@" + interopTenant, "--to", "someone@" + interopOtherTenant},
			wantVerdict: "fail", wantExit: exitFail,
			wantStatus: map[string]string{"send": "fail"},
			wantCodes:  map[string]string{"5.7.1": ""},
			wantRoot:   "send/5.7.1",
		},
		{
			name: "relay refused the way an on-premises Exchange server refuses it",
			postfix: func(w *interopWorld, t *testing.T) interop.PostfixConfig {
				c := exoLike(w, t)
				c.MyNetworks = nil
				c.RelayRestrictions = []string{"check_recipient_access texthash:${config_directory}/relay", "reject_unauth_destination"}
				c.Maps = map[string]string{"relay": "example.org " + interopNotAccepted}
				return c
			},
			mode: string(check.ModeRelay), args: relayArgs(interopTenant, "someone@example.org"),
			wantVerdict: "fail", wantExit: exitFail,
			wantStatus: map[string]string{"send": "fail"},
			wantCodes:  map[string]string{"5.7.54": "relay-not-accepted-domain"},
			wantRoot:   "send/5.7.54",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w.runCase(t, tc)
		})
	}
}

// runCase starts the case's Postfix, runs the command against it and checks the report.
func (w *interopWorld) runCase(t *testing.T, tc interopCase) *jsonReport {
	t.Helper()
	pf := interop.StartPostfix(t, tc.postfix(w, t))
	args := append([]string(nil), tc.args...)
	args = append(args, "--resolver", w.dns.Addr, "--port", strconv.Itoa(pf.Port))
	if !tc.detectIP {
		args = append(args, "--public-ip", interopPublicIP)
	}
	o := w.run(t, nil, tc.mode, args...)
	rep := &o.rep
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("findings: %v\ntranscript:\n%s\nstderr:\n%s", rep.checkCodes(), rep.transcript(), o.stderr)
		}
	})
	if rep.Verdict != tc.wantVerdict {
		t.Errorf("verdict = %q; want %q", rep.Verdict, tc.wantVerdict)
	}
	if o.code != tc.wantExit {
		t.Errorf("exit code = %d; want %d", o.code, tc.wantExit)
	}
	if got := rep.rootCause(); got != tc.wantRoot {
		t.Errorf("root cause = %q; want %q", got, tc.wantRoot)
	}
	for id, want := range tc.wantStatus {
		if got := rep.status(id); got != want {
			t.Errorf("check %s = %q; want %q", id, got, want)
		}
	}
	for code, wantHint := range tc.wantCodes {
		hint, _, ok := rep.hint(code)
		switch {
		case !ok:
			t.Errorf("no finding with code %q; want one", code)
		case wantHint != "" && hint != wantHint:
			t.Errorf("finding %s has hint %q; want %q", code, hint, wantHint)
		}
	}
	for _, code := range tc.noCodes {
		if _, _, ok := rep.hint(code); ok {
			t.Errorf("finding with code %q; want none", code)
		}
	}
	for _, l := range rep.Transcript {
		if l.Dir == "C" && strings.EqualFold(strings.TrimSpace(l.Line), "DATA") && !slices.Contains(tc.args, "--send") {
			t.Errorf("DATA sent without --send")
		}
	}
	if tc.check != nil {
		tc.check(t, rep, pf)
	}
	return rep
}

// checkTLSFacts checks what the tls check reports of a verified session with Postfix.
func checkTLSFacts(host string) func(t *testing.T, rep *jsonReport, _ *interop.PostfixServer) {
	return func(t *testing.T, rep *jsonReport, _ *interop.PostfixServer) {
		t.Helper()
		if got := rep.fact("tls", "version"); got != `"TLS 1.3"` && got != `"TLS 1.2"` {
			t.Errorf("tls version = %s; want TLS 1.3 or 1.2", got)
		}
		if got := rep.fact("tls", "cipher"); got == "" || got == `""` {
			t.Errorf("tls cipher = %s; want the negotiated suite", got)
		}
		if got := rep.fact("tls", "verified"); got != "true" {
			t.Errorf("tls verified = %s; want true against the test CA", got)
		}
		if got := rep.fact("tls", "certificate"); !strings.Contains(got, host) {
			t.Errorf("tls certificate = %s; want %s", got, host)
		}
		if got := rep.fact("send", "tls"); got != "true" {
			t.Errorf("send tls = %s; want the envelope sent inside TLS", got)
		}
	}
}

// TestInteropClientCertificate: Postfix asks for a client certificate and relays only for the
// right one (its fingerprint in check_ccert_access); anything else gets Exchange Online's
// 5.7.64, as a certificate-based connector that does not match.
func TestInteropClientCertificate(t *testing.T) {
	t.Parallel()
	w := newInteropWorld(t)
	issue := func(name string) *fixtures.Leaf {
		l, err := w.pki.Issuing.Issue(fixtures.CertOptions{DNSNames: []string{name}, Client: true})
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	// The right certificate names the accepted domain itself, as Exchange Online wants it.
	right, wrong := issue(interopDomain), issue("other.interop.example")
	pf := interop.StartPostfix(t, interop.PostfixConfig{
		Cert: w.serverCert(t, interopMX), ClientCA: w.pki.Root.Root(),
		RelayRestrictions: []string{
			"check_ccert_access texthash:${config_directory}/clientcerts",
			"check_recipient_access texthash:${config_directory}/attribution",
			"reject_unauth_destination",
		},
		Maps: map[string]string{
			"clientcerts": interop.Fingerprint(right.Cert) + " OK",
			"attribution": "example.org " + interopAttr36,
		},
	})
	dir := t.TempDir()
	files := func(name string, l *fixtures.Leaf) []string {
		cert, key := filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".key")
		if err := os.WriteFile(cert, l.ChainPEM(), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(key, l.KeyPEM(), 0o600); err != nil {
			t.Fatal(err)
		}
		return []string{"--cert", cert, "--key", key}
	}
	tests := []struct {
		name           string
		certArgs       []string
		wantClientCert string // status of the clientcert check; "" when it must be absent
		wantSend       string
		wantCode       string
		wantSent       string
		wantRoot       string // the root cause as check/code
	}{
		// The MX is Postfix, not Exchange Online: that is all the run has against the right one.
		{"the right certificate", append(files("right", right), "--cert-domain", interopDomain), "pass", "pass", "", "true", "dns/mx-not-exo"},
		// The certificate names no accepted domain: why the connector did not match.
		{"another certificate of the same CA", files("wrong", wrong), "", "fail", "5.7.64", "true", "clientcert/cert-not-accepted-domain"},
		{"no certificate", nil, "", "fail", "5.7.64", "false", "send/5.7.64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append(relayArgs(interopDomain, "someone@example.org"),
				"--resolver", w.dns.Addr, "--port", strconv.Itoa(pf.Port), "--public-ip", interopPublicIP)
			o := w.run(t, nil, string(check.ModeRelay), append(args, tt.certArgs...)...)
			rep := &o.rep
			if got := rep.status("send"); got != tt.wantSend {
				t.Errorf("send = %q; want %q (findings %v)\n%s", got, tt.wantSend, rep.checkCodes(), rep.transcript())
			}
			if got := rep.status("clientcert"); got != tt.wantClientCert && tt.wantClientCert != "" {
				t.Errorf("clientcert = %q; want %q (findings %v)", got, tt.wantClientCert, rep.checkCodes())
			}
			if got := rep.rootCause(); got != tt.wantRoot {
				t.Errorf("root cause = %q; want %q (findings %v)", got, tt.wantRoot, rep.checkCodes())
			}
			if tt.wantCode != "" {
				if hint, _, ok := rep.hint(tt.wantCode); !ok || hint != "relay-tenant-attribution" {
					t.Errorf("finding %s with hint %q (present %v); want relay-tenant-attribution (findings %v)", tt.wantCode, hint, ok, rep.checkCodes())
				}
			}
			if got := rep.fact("tls", "client_cert_requested"); got != "true" {
				t.Errorf("tls client_cert_requested = %s; want true: Postfix asks (smtpd_tls_ask_ccert)", got)
			}
			if got := rep.fact("tls", "client_cert_sent"); got != tt.wantSent {
				t.Errorf("tls client_cert_sent = %s; want %s", got, tt.wantSent)
			}
		})
	}
}

// TestInteropSubmitBasic: AUTH LOGIN through Postfix's submission listener and Dovecot.
func TestInteropSubmitBasic(t *testing.T) {
	t.Parallel()
	interop.Require(t, interop.Dovecot)
	w := newInteropWorld(t)
	dc := interop.StartDovecot(t, map[string]string{interopMailbox: interopPassword},
		// Exchange Online's own refusals, passed on by Postfix inside its 535 5.7.8 reply.
		interop.Refusal{User: interopRefused3, Reason: "5.7.3 Authentication unsuccessful"},
		interop.Refusal{User: interopRefused139, Reason: "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information."})
	pf := interop.StartPostfix(t, interop.PostfixConfig{
		Cert: w.serverCert(t, interopMX), Submission: true, SASLPath: dc.AuthSocket,
	})
	tests := []struct {
		name        string
		user        string
		password    string
		wantAuth    string
		wantSend    string
		wantCode    string // a finding the run must have
		wantVerdict string
		wantExit    int
		wantRoot    string // the root cause as check/code; "" for none
		wantHint    string // the root cause's hint
	}{
		// Postfix is no Exchange Online endpoint (a warning), and basic authentication is being
		// retired (a warning): signed in, the run warns.
		{"right password", interopMailbox, interopPassword, "warn", "pass", "basic-auth-deprecated", "warn", exitWarn,
			"dns/submit-host-unknown", "submit-host-unknown"},
		{"wrong password", interopMailbox, "Wrong-Interop-Password", "fail", "skip", "5.7.8", "fail", exitFail,
			"auth/5.7.8", "rfc3463-5.7.8"},
		{"5.7.3 behind Postfix's 5.7.8", interopRefused3, interopPassword, "fail", "skip", "5.7.3", "fail", exitFail,
			"auth/5.7.3", "auth-failed"},
		{"5.7.139 behind Postfix's 5.7.8", interopRefused139, interopPassword, "fail", "skip", "5.7.139", "fail", exitFail,
			"auth/5.7.139", "smtp-auth-disabled-mailbox"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := w.run(t, map[string]string{envPassword: tt.password}, "submit",
				"--auth", "basic", "--host", "127.0.0.1", "--port", strconv.Itoa(pf.SubmissionPort),
				"--from", tt.user, "--to", "someone@example.org", "--resolver", w.dns.Addr)
			rep := &o.rep
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("findings: %v\ntranscript:\n%s\nstderr:\n%s", rep.checkCodes(), rep.transcript(), o.stderr)
				}
			})
			if rep.Verdict != tt.wantVerdict || o.code != tt.wantExit {
				t.Errorf("verdict %q, exit %d; want %q, %d", rep.Verdict, o.code, tt.wantVerdict, tt.wantExit)
			}
			for id, want := range map[string]string{"smtp": "pass", "tls": "pass", "auth": tt.wantAuth, "send": tt.wantSend} {
				if got := rep.status(id); got != want {
					t.Errorf("check %s = %q; want %q", id, got, want)
				}
			}
			if _, _, ok := rep.hint(tt.wantCode); !ok {
				t.Errorf("no finding with code %q; want one", tt.wantCode)
			}
			if got := rep.rootCause(); got != tt.wantRoot || (rep.RootCause != nil && rep.RootCause.HintID != tt.wantHint) {
				t.Errorf("root cause = %q %+v; want %q with hint %s", got, rep.RootCause, tt.wantRoot, tt.wantHint)
			}
			tr := rep.transcript()
			if !strings.Contains(tr, "C AUTH LOGIN\n") || strings.Count(tr, "<redacted>") < 2 {
				t.Errorf("transcript lacks AUTH LOGIN with the user name and password redacted:\n%s", tr)
			}
			for name, text := range map[string]string{"stdout": o.stdout, "stderr": o.stderr} {
				for _, secret := range secretForms(tt.password) {
					if strings.Contains(text, secret) {
						t.Errorf("%s holds the password (as %q)", name, secret)
					}
				}
			}
		})
	}
}

// TestInteropSubmitNoAuth: --auth none reproduces a device that sends without signing in;
// the submission listener answers MAIL FROM as Exchange Online does on port 587 (530 5.7.57).
func TestInteropSubmitNoAuth(t *testing.T) {
	t.Parallel()
	interop.Require(t, interop.Dovecot)
	w := newInteropWorld(t)
	dc := interop.StartDovecot(t, map[string]string{interopMailbox: interopPassword})
	pf := interop.StartPostfix(t, interop.PostfixConfig{
		Cert: w.serverCert(t, interopMX), Submission: true, SASLPath: dc.AuthSocket,
	})
	o := w.run(t, nil, "submit", "--auth", "none", "--host", "127.0.0.1", "--port", strconv.Itoa(pf.SubmissionPort),
		"--from", interopMailbox, "--to", "someone@example.org", "--resolver", w.dns.Addr)
	rep := &o.rep
	if rep.Verdict != "fail" || o.code != exitFail {
		t.Errorf("verdict %q, exit %d; want fail, %d", rep.Verdict, o.code, exitFail)
	}
	for id, want := range map[string]string{"oauth": "skip", "auth": "skip", "send": "fail"} {
		if got := rep.status(id); got != want {
			t.Errorf("check %s = %q; want %q", id, got, want)
		}
	}
	if got := rep.rootCause(); got != "send/5.7.57" || rep.RootCause.HintID != "client-not-authenticated" {
		t.Errorf("root cause = %q %+v; want send/5.7.57 client-not-authenticated (findings %v)\n%s", got, rep.RootCause, rep.checkCodes(), rep.transcript())
	}
	if strings.Contains(rep.transcript(), "C AUTH") {
		t.Errorf("AUTH sent with --auth none:\n%s", rep.transcript())
	}
}

// secretForms are the ways a password could leak: as is, and base64 as AUTH LOGIN and PLAIN
// send it.
func secretForms(p string) []string {
	b64 := base64.StdEncoding.EncodeToString
	return []string{p, b64([]byte(p)), b64([]byte("\x00" + interopMailbox + "\x00" + p))}
}

// BenchmarkInteropRelay measures the whole relay pre-flight through the command line, JSON
// report included, against a real Postfix with STARTTLS (TLS 1.3, OpenSSL) on loopback, with
// Unbound as the resolver and the public IP given. DESIGN.md: a few tens of milliseconds at most.
func BenchmarkInteropRelay(b *testing.B) {
	w, pf := benchSetup(b)
	args := append(relayArgs(interopTenant, "someone@example.org"),
		"--resolver", w.dns.Addr, "--port", strconv.Itoa(pf.Port), "--public-ip", interopPublicIP, "-o", "json")
	e := interopEnv(io.Discard, io.Discard, nil)
	for b.Loop() {
		// The run passes but for the warning that the given address is documentation space.
		if v, err := runPort25(b.Context(), e, check.ModeRelay, args, w.tweak); err != nil || v != check.Warn {
			b.Fatalf("verdict %q, %v; want a run whose one warning is publicip-not-public", v, err)
		}
	}
}

// BenchmarkInteropSession measures the SMTP conversation alone (greeting, EHLO, STARTTLS,
// EHLO, MAIL FROM, RCPT TO, RSET, QUIT) against the same Postfix: the part swaks does.
func BenchmarkInteropSession(b *testing.B) {
	w, pf := benchSetup(b)
	cfg := session.Config{
		Mode: check.ModeRelay, Host: interopTenantMX, Addr: pf.Addr, Port: pf.Port,
		From: "app@" + interopTenant, To: []string{"someone@example.org"}, RootCAs: w.pki.Root.Pool(),
		Helo: "app.contoso-interop.example", ConnectTimeout: 5 * time.Second, ReplyTimeout: 5 * time.Second,
	}
	for b.Loop() {
		out := session.Run(b.Context(), cfg)
		if out.Send.Status != "pass" || out.TLS.Status != "pass" {
			b.Fatalf("tls %s, send %s; want both to pass", out.TLS.Status, out.Send.Status)
		}
	}
}

func benchSetup(b testing.TB) (*interopWorld, *interop.PostfixServer) {
	b.Helper()
	w := newInteropWorld(b)
	pf := interop.StartPostfix(b, interop.PostfixConfig{
		Hostname: interopTenantMX, Greeting: interopEXOGreeting, Cert: w.serverCert(b, interopTenantMX),
		MyNetworks: []string{"127.0.0.0/8"},
	})
	return w, pf
}
