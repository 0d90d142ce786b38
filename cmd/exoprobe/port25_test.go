package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/publicip"
)

// runPort25Sim runs `exoprobe relay` or `exoprobe direct` with args against a simulator, as the
// demo does: the hooks a flag cannot reach point at it. It returns the exit code, stdout and
// stderr.
func runPort25Sim(t *testing.T, sim *fixtures.Sim, mode check.Mode, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv:     func(string) string { return "" },
		isTerminal: func(io.Writer) bool { return false },
	}
	v, err := runPort25(t.Context(), e, mode, append(args, "--no-color"), func(o *probe.Options) {
		o.PublicIPSources = publicip.SourcesAt(sim.DNSAddr)
		o.PublicIPHTTPS = []string{}
		o.RootCAs = sim.RootCAs
		o.ControlPorts = sim.ControlPorts
	})
	if err != nil {
		if ue := (*usageError)(nil); !errors.As(err, &ue) {
			t.Fatalf("%s: %v", mode, err)
		}
		return exitCantRun, out.String(), err.Error()
	}
	return exitCode(v), out.String(), errb.String()
}

// TestDirectOutsideRecipient: Direct Send reaches the tenant's own mailboxes only, so a
// recipient outside the tenant is refused before the run (exit 3), with the paths that do
// reach outside recipients; inside recipients cost no look-up at all.
func TestDirectOutsideRecipient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		zone    func(*fixtures.Zone)
		exit    int
		want    []string // in stderr for a refusal
		queries []string // the MX questions the DNS server must have been asked before the run
	}{
		{name: "outside, no MX", args: []string{"--from", fixtures.SimFrom, "--to", "someone@example.org"},
			exit: exitCantRun, queries: []string{"example.org"},
			want: []string{"someone@example.org is outside it", "compared example.org with contoso.com (the domain of --from)",
				"example.org does not exist in DNS", "exoprobe relay", "exoprobe submit"}},
		{name: "outside, MX elsewhere, --domain", args: []string{"--domain", fixtures.SimDomain, "--from", fixtures.SimFrom, "--to", "a@fabrikam.example,b@contoso.com"},
			zone: func(z *fixtures.Zone) { z.MX("fabrikam.example", 10, "mx.fabrikam.example") },
			exit: exitCantRun, queries: []string{"fabrikam.example"},
			want: []string{"a@fabrikam.example is outside it", "compared fabrikam.example with contoso.com (--domain)",
				"it is mx.fabrikam.example, which is not Exchange Online (a host under mail.protection.outlook.com, mx.microsoft",
				"exoprobe relay", "exoprobe submit"}},
		{name: "another domain in Exchange Online", args: []string{"--domain", fixtures.SimDomain, "--from", fixtures.SimFrom, "--to", "user@contoso.co.uk"},
			zone: func(z *fixtures.Zone) { z.MX("contoso.co.uk", 0, "contoso-co-uk.mail.protection.outlook.com") },
			exit: exitPass, queries: []string{"contoso.co.uk"}},
		{name: "inside", args: []string{"--from", fixtures.SimFrom, "--to", fixtures.SimInternalTo}, exit: exitPass},
		{name: "subdomain", args: []string{"--domain", fixtures.SimDomain, "--from", fixtures.SimFrom, "--to", "user@sales.contoso.com"}, exit: exitPass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var opts []fixtures.SimOption
			if tt.zone != nil {
				opts = append(opts, fixtures.WithZone(tt.zone))
			}
			sim := fixtures.NewSim(t, "ok", opts...)
			args := append([]string{"--resolver", sim.DNSAddr, "--port", strconv.Itoa(sim.SMTPPort)}, tt.args...)
			code, stdout, stderr := runPort25Sim(t, sim, check.ModeDirect, args...)
			if code != tt.exit {
				t.Errorf("exit code = %d; want %d\n%s\n%s", code, tt.exit, stdout, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("message lacks %q:\n%s", w, stderr)
				}
			}
			if tt.exit == exitCantRun {
				// Refused before the run: no check ran, nothing connected, nothing but the
				// recipient's MX was asked.
				if stdout != "" || len(sim.Received().Sessions) > 0 {
					t.Errorf("the run started: stdout %q, %d SMTP sessions", stdout, len(sim.Received().Sessions))
				}
				var asked []string
				for _, q := range sim.DNS.Queries() {
					asked = append(asked, strings.TrimSuffix(q.Name, "."))
				}
				if strings.Join(asked, ",") != strings.Join(tt.queries, ",") {
					t.Errorf("DNS questions %v; want %v", asked, tt.queries)
				}
				return
			}
			for _, d := range tt.queries {
				if !sim.DNS.Asked(d, dns.TypeMX) {
					t.Errorf("the MX of %s was not looked up", d)
				}
			}
		})
	}
}

// TestOneFindingPerFact runs relay and direct where one fact could be told twice: with the DNS
// server down, the failed look-up is one finding, and the endpoint's missing address, SPF and
// DMARC are not reported (nor summarised) as facts of their own; with --host, the host given
// and the domain's MX are judged and named each for what it is.
func TestOneFindingPerFact(t *testing.T) {
	t.Parallel()
	silent := fixtures.NewDNS(t, fixtures.DNSSilent())
	sim := fixtures.NewSim(t, "ok")
	tests := []struct {
		name  string
		mode  check.Mode
		args  []string
		codes []string // every finding's code, in report order
		want  []string // in the text output
		not   []string
	}{
		{name: "DNS down, relay", mode: check.ModeRelay,
			args: []string{"--resolver", silent.Addr, "--from", fixtures.SimFrom, "--to", fixtures.SimExternalTo, "--public-ip", "203.0.113.7"},
			// 203.0.113.7 is documentation space: taken with its warning, the one other finding.
			codes: []string{"publicip-not-public", "dns-failed"},
			want:  []string{"no endpoint: the MX look-up of contoso.com failed; SPF and DMARC not checked (look-ups failed)"},
			not:   []string{"host-no-address", "no DMARC", "no SPF", "dmarc-missing", "spf-missing"}},
		{name: "DNS down, direct with --host", mode: check.ModeDirect,
			args: []string{"--resolver", silent.Addr, "--from", fixtures.SimFrom, "--to", fixtures.SimInternalTo, "--public-ip", "203.0.113.7",
				"--host", fixtures.SimMXHost},
			codes: []string{"publicip-not-public", "host-override", "dns-failed"},
			want:  []string{"IPv4 unknown (look-up failed)"},
			not:   []string{"host-no-address", "no DMARC", "dmarc-missing", "spf-missing", "has no usable address"}},
		{name: "--host elsewhere, MX in Exchange Online", mode: check.ModeRelay,
			args: []string{"--resolver", sim.DNSAddr, "--port", strconv.Itoa(sim.SMTPPort), "--from", fixtures.SimFrom, "--to", fixtures.SimExternalTo,
				"--public-ip", "203.0.113.7", "--host", "127.0.0.1"},
			want: []string{"127.0.0.1 (given with --host; not Exchange Online)", "MX " + fixtures.SimMXHost + " (Exchange Online)",
				`"code": "host-not-exo"`, "127.0.0.1, given with --host, is not an Exchange Online endpoint",
				"Give the tenant's host by name (the MX of contoso.com is " + fixtures.SimMXHost + ")"},
			not: []string{"mx-not-exo", "does not point to Exchange Online", "MX host 127.0.0.1", "MX host (127.0.0.1)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// The JSON holds every summary, message and hint unwrapped.
			_, stdout, stderr := runPort25Sim(t, sim, tt.mode, append(tt.args, "--timeout", "20s", "--reply-timeout", "2s", "-o", "json")...)
			js := stdout
			var rep jsonReport
			if err := json.Unmarshal([]byte(js), &rep); err != nil {
				t.Fatalf("not JSON: %v\n%s\n%s", err, js, stderr)
			}
			if tt.codes != nil {
				var got []string
				for _, c := range rep.codes() {
					if c != string(check.Skipped) {
						got = append(got, c)
					}
				}
				if !slices.Equal(got, tt.codes) {
					t.Errorf("findings %v; want %v\n%s", got, tt.codes, stdout)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("output lacks %q:\n%s", w, stdout)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(stdout, w) {
					t.Errorf("output says %q:\n%s", w, stdout)
				}
			}
		})
	}
}
