package probe_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// stallTimeout is the --timeout of the runs below: every stage they stall holds until it fires.
const stallTimeout = 60 * time.Millisecond

// stallSlack bounds how long a run may go on after its deadline: every stage must end soon
// after it (generous, for the race detector on a loaded 2-core machine).
const stallSlack = 3 * time.Second

// TestTimeoutInEveryStage fires --timeout in the middle of every stage of every kind of run:
// the stage is held at its start until the run's deadline passes, then runs on the expired
// context while the stages that read it wait. The run must end soon after the deadline, with
// every check in the report, each one concluded (a finding or a skip) and explained, and the
// stages that read another's outcome must do so only after it finished (-race; CI runs this
// test with -count=50).
func TestTimeoutInEveryStage(t *testing.T) {
	t.Parallel()
	type runner func(t *testing.T, stall string) (*probe.Report, []check.ID)
	relay := func(mode check.Mode, cert bool) runner {
		return func(t *testing.T, stall string) (*probe.Report, []check.ID) {
			scenario := "ok"
			if cert {
				scenario = "cert-ok"
			}
			sim := fixtures.NewSim(t, scenario)
			o := simOptions(sim, string(mode))
			want := probe.RelayChecks()
			if cert {
				o.ClientCert = simBundle(t, sim)
				want = []check.ID{check.PublicIP, check.DNS, check.TCP, check.ClientCert, check.SMTP, check.TLS, check.Send}
			}
			o.Timeout = stallTimeout
			probe.StallStage(&o.RunOptions, stall)
			return probe.Relay(t.Context(), o), want
		}
	}
	runs := map[string]runner{
		"relay":             relay(check.ModeRelay, false),
		"relay with a cert": relay(check.ModeRelay, true),
		"direct":            relay(check.ModeDirect, false),
		"connector": func(t *testing.T, stall string) (*probe.Report, []check.ID) {
			sim := fixtures.NewSim(t, "cert-ok")
			o := connectorOptions(sim)
			o.ClientCert = simBundle(t, sim)
			o.Timeout = stallTimeout
			probe.StallStage(&o.RunOptions, stall)
			rep, _ := probe.Connector(t.Context(), o)
			return rep, []check.ID{check.PublicIP, check.DNS, check.TCP, check.ClientCert, check.SMTP, check.TLS, check.Connector}
		},
		"tenant": func(t *testing.T, stall string) (*probe.Report, []check.ID) {
			sim := fixtures.NewSim(t, "tenant-ok")
			o := tenantOptions(sim)
			o.Timeout = stallTimeout
			probe.StallStage(&o.RunOptions, stall)
			return probe.Tenant(t.Context(), o), []check.ID{check.Exchange, check.Entra}
		},
		"relay with --tenant-check": func(t *testing.T, stall string) (*probe.Report, []check.ID) {
			sim := fixtures.NewSim(t, "ok")
			tsim := fixtures.NewSim(t, "tenant-ok")
			o := simOptions(sim, string(check.ModeRelay))
			access := tenantAccess(tsim.Tokens, tsim.Tenant)
			o.TenantCheck = &access
			o.Timeout = stallTimeout
			probe.StallStage(&o.RunOptions, stall)
			return probe.Relay(t.Context(), o), append(probe.RelayChecks(), check.Exchange)
		},
		"submit": func(t *testing.T, stall string) (*probe.Report, []check.ID) {
			sim := fixtures.NewSim(t, "submit-ok")
			o := submitOptions(sim)
			o.Timeout = stallTimeout
			probe.StallStage(&o.RunOptions, stall)
			return probe.Submit(t.Context(), o), probe.SubmitChecks()
		},
		"submit with --tenant-check": func(t *testing.T, stall string) (*probe.Report, []check.ID) {
			sim := fixtures.NewSim(t, "submit-ok")
			tsim := fixtures.NewSim(t, "tenant-ok")
			o := submitOptions(sim)
			access := tenantAccess(tsim.Tokens, tsim.Tenant)
			o.TenantCheck = &access
			o.Timeout = stallTimeout
			probe.StallStage(&o.RunOptions, stall)
			return probe.Submit(t.Context(), o), append(probe.SubmitChecks(), check.Exchange, check.Entra)
		},
		"connector with --tenant-check": func(t *testing.T, stall string) (*probe.Report, []check.ID) {
			sim := fixtures.NewSim(t, "ok")
			tsim := fixtures.NewSim(t, "tenant-ok")
			o := connectorOptions(sim)
			access := tenantAccess(tsim.Tokens, tsim.Tenant)
			o.TenantCheck = &access
			o.Timeout = stallTimeout
			probe.StallStage(&o.RunOptions, stall)
			rep, _ := probe.Connector(t.Context(), o)
			return rep, []check.ID{check.PublicIP, check.DNS, check.TCP, check.SMTP, check.TLS, check.Connector, check.Exchange}
		},
	}
	for name, run := range runs {
		for _, stall := range probe.Stages {
			t.Run(name+"/"+stall, func(t *testing.T) {
				t.Parallel()
				start := time.Now()
				rep, want := run(t, stall)
				if d := time.Since(start); d > stallTimeout+stallSlack {
					t.Errorf("the run took %v; want it to end soon after its %v deadline", d, stallTimeout)
				}
				var got []check.ID
				for _, c := range rep.Checks {
					got = append(got, c.ID)
					if c.Status != check.Pass && len(c.Findings) == 0 {
						t.Errorf("%s is %s without a finding to say why", c.ID, c.Status)
					}
					for _, f := range c.Findings {
						if f.Severity != check.Pass && f.Severity != check.Skip && f.Hint == nil {
							t.Errorf("%s: finding %s has no hint", c.ID, f.Code)
						}
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("checks %v; want %v", got, want)
				}
			})
		}
	}
}

// TestOnStage runs relay and submit against the simulator and follows OnStage: every stage
// that waits on the network says for what, in words naming the server, and then ends.
func TestOnStage(t *testing.T) {
	t.Parallel()
	type recorder struct {
		mu   sync.Mutex
		what []string
		open map[string]bool // stages that reported a wait and have not ended
	}
	record := func(rec *recorder) func(probe.Activity) {
		rec.open = map[string]bool{}
		return func(a probe.Activity) {
			rec.mu.Lock()
			defer rec.mu.Unlock()
			if a.Done {
				delete(rec.open, a.Stage)
				return
			}
			if a.Since.IsZero() {
				t.Errorf("%s: %q without the time it began", a.Stage, a.What)
			}
			rec.open[a.Stage] = true
			rec.what = append(rec.what, a.Stage+": "+a.What)
		}
	}
	t.Run("relay", func(t *testing.T) {
		t.Parallel()
		sim := fixtures.NewSim(t, "ok", fixtures.WithBehavior(func(b *fixtures.Behavior) { b.BannerDelay = 50 * time.Millisecond }))
		o := simOptions(sim, "relay")
		var rec recorder
		o.OnStage = record(&rec)
		probe.Relay(t.Context(), o)
		server := fmt.Sprintf("%s:%d", sim.MXHost, sim.SMTPPort)
		want := []string{
			"publicip: this site's public IP addresses from the public-IP services",
			"endpoint: the MX of " + sim.Domain + " from " + sim.DNSAddr,
			"sender: the SPF and DMARC records of " + sim.Domain + " from " + sim.DNSAddr,
			fmt.Sprintf("tcp: connections to %s on ports %d, %d, %d", sim.MXHost, sim.SMTPPort, sim.ControlPorts[0], sim.ControlPorts[1]),
			"conversation: a connection to " + server,
			"conversation: the banner of " + server,
			"conversation: the reply of " + server + " to EHLO",
			"conversation: the reply of " + server + " to STARTTLS",
			"conversation: the TLS handshake with " + server,
			"conversation: the reply of " + server + " to MAIL FROM",
		}
		for _, w := range want {
			if !slices.Contains(rec.what, w) {
				t.Errorf("OnStage never said %q; it said:\n%s", w, strings.Join(rec.what, "\n"))
			}
		}
		if len(rec.open) > 0 {
			t.Errorf("stages never ended: %v", rec.open)
		}
	})
	t.Run("submit", func(t *testing.T) {
		t.Parallel()
		sim := fixtures.NewSim(t, "submit-ok")
		o := submitOptions(sim)
		var rec recorder
		o.OnStage = record(&rec)
		probe.Submit(t.Context(), o)
		u, _ := url.Parse(sim.Tokens.URL)
		server := fmt.Sprintf("smtp.office365.com:%d", sim.SMTPPort) // the default host, which the simulated DNS answers
		for _, w := range []string{
			"token: an access token from " + u.Host,
			"conversation: the reply of " + server + " to AUTH",
		} {
			if !slices.Contains(rec.what, w) {
				t.Errorf("OnStage never said %q; it said:\n%s", w, strings.Join(rec.what, "\n"))
			}
		}
		for _, w := range rec.what {
			if strings.Contains(w, fixtures.TokenSecret) || strings.Contains(w, "eyJ") {
				t.Errorf("OnStage said a secret: %q", w)
			}
		}
		if len(rec.open) > 0 {
			t.Errorf("stages never ended: %v", rec.open)
		}
	})
}
