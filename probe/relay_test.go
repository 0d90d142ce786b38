package probe_test

import (
	"context"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/certcheck"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
	"github.com/exoprobe/exoprobe/probe/oauth"
	"github.com/exoprobe/exoprobe/probe/publicip"
)

// simOptions points every stage of a run at the simulator, as the demo does.
func simOptions(sim *fixtures.Sim, mode string) probe.Options {
	return probe.Options{
		Mode: check.Mode(mode), Domain: sim.Domain, From: sim.From, To: []string{sim.To},
		Port: sim.SMTPPort, Resolver: sim.DNSAddr,
		PublicIPSources: publicip.SourcesAt(sim.DNSAddr), PublicIPHTTPS: []string{},
		RunOptions: probe.RunOptions{
			RootCAs: sim.RootCAs, ControlPorts: sim.ControlPorts,
			Timeout: 20 * time.Second, ConnectTimeout: 2 * time.Second,
		},
		ReplyTimeout: 2 * time.Second,
	}
}

func TestRelayOK(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "ok")
	var (
		mu   sync.Mutex
		seen []string
	)
	o := simOptions(sim, string(check.ModeRelay))
	o.OnCheck = func(r *check.Result) { mu.Lock(); seen = append(seen, string(r.ID)); mu.Unlock() }
	rep := probe.Relay(t.Context(), o)
	if rep.Verdict != check.Pass {
		for _, c := range rep.Checks {
			t.Logf("%s %s %s %+v", c.ID, c.Status, c.Summary, c.Findings)
		}
		t.Fatalf("verdict = %s; want pass", rep.Verdict)
	}
	ids := probe.RelayChecks()
	if len(rep.Checks) != len(ids) {
		t.Fatalf("%d checks; want %d", len(rep.Checks), len(ids))
	}
	for i, c := range rep.Checks {
		if c.ID != ids[i] {
			t.Errorf("check %d = %s; want %s", i, c.ID, ids[i])
		}
	}
	if len(seen) != len(ids) {
		t.Errorf("OnCheck saw %v; want every check once", seen)
	}
	if rep.Target.Host != sim.MXHost {
		t.Errorf("target host = %q; want the MX %q", rep.Target.Host, sim.MXHost)
	}
	if sim.Received().DataSent() {
		t.Errorf("the simulator received DATA without Send")
	}
}

func TestRelaySendDelivers(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "ok")
	o := simOptions(sim, string(check.ModeRelay))
	o.Send = true
	rep := probe.Relay(t.Context(), o)
	if rep.Verdict != check.Pass {
		t.Fatalf("verdict = %s; want pass", rep.Verdict)
	}
	if !sim.Received().DataSent() {
		t.Errorf("Send was set but the simulator received no message")
	}
}

func TestRelaySkip(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "ok")
	o := simOptions(sim, string(check.ModeRelay))
	o.Skip = map[check.ID]bool{check.SMTP: true, check.PublicIP: true}
	rep := probe.Relay(t.Context(), o)
	for _, c := range rep.Checks {
		switch c.ID {
		case "smtp", "tls", "send", "publicip":
			if c.Status != check.Skip {
				t.Errorf("%s = %s; want skip", c.ID, c.Status)
			}
		}
	}
}

// TestRelayTimeoutBoundsTheRun holds the run to --timeout against a server that never speaks.
func TestRelayTimeoutBoundsTheRun(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "banner-timeout")
	o := simOptions(sim, string(check.ModeRelay))
	o.Timeout, o.ReplyTimeout, o.ConnectTimeout = 1500*time.Millisecond, 1500*time.Millisecond, time.Second
	start := time.Now()
	rep := probe.Relay(t.Context(), o)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("run took %v; want it bounded by the 1.5 s timeout", d)
	}
	if rep.Verdict != check.Fail {
		t.Errorf("verdict = %s; want fail", rep.Verdict)
	}
}

func TestRelayCancelled(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "banner-timeout")
	ctx, cancel := context.WithCancel(t.Context())
	go func() { time.Sleep(200 * time.Millisecond); cancel() }()
	start := time.Now()
	probe.Relay(ctx, simOptions(sim, string(check.ModeRelay)))
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancelled run took %v", d)
	}
}

func TestRelayGivenPublicIP(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "ok")
	o := simOptions(sim, string(check.ModeRelay))
	o.PublicIP = netip.MustParseAddr("203.0.113.7")
	o.PublicIPSources = nil // must not be needed: nothing may leave loopback
	rep := probe.Relay(t.Context(), o)
	// 203.0.113.7 is a documentation address: the one warning is that a connector listing it
	// would never match.
	if rep.Verdict != check.Warn || rep.RootCause == nil || rep.RootCause.Code != code.PublicIPNotPublic {
		t.Errorf("verdict = %s, root cause %v; want warn for %s", rep.Verdict, rep.RootCause, code.PublicIPNotPublic)
	}
}

func TestTimeoutsNest(t *testing.T) {
	for name, d := range map[string]time.Duration{
		"DefaultConnectTimeout":   probe.DefaultConnectTimeout,
		"DefaultReplyTimeout":     probe.DefaultReplyTimeout,
		"PublicIPTimeout":         probe.PublicIPTimeout,
		"DNSTimeout":              probe.DNSTimeout,
		"oauth.DefaultTimeout":    oauth.DefaultTimeout,
		"certcheck.VerifyTimeout": certcheck.VerifyTimeout,
	} {
		if d > probe.DefaultTimeout {
			t.Errorf("%s = %v exceeds DefaultTimeout %v", name, d, probe.DefaultTimeout)
		}
	}
}

// BenchmarkRelay measures a whole relay pre-flight against the simulator on loopback:
// public IP, DNS, ports, SMTP with STARTTLS, MAIL and RCPT.
func BenchmarkRelay(b *testing.B) {
	sim := fixtures.NewSim(b, "ok")
	o := simOptions(sim, string(check.ModeRelay))
	b.ResetTimer()
	for b.Loop() {
		if rep := probe.Relay(context.Background(), o); rep.Verdict != check.Pass {
			b.Fatalf("verdict = %s", rep.Verdict)
		}
	}
}

// TestRelayClosedPortOnce: a port 25 that does not open is the tcp check's fact; the
// conversation that could not connect is skipped with a pointer to it, not reported again.
func TestRelayClosedPortOnce(t *testing.T) {
	t.Parallel()
	for _, mode := range []check.Mode{check.ModeRelay, check.ModeDirect} {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			sim := fixtures.NewSim(t, "ok")
			o := simOptions(sim, string(mode))
			o.Port, o.ConnectTimeout = fixtures.NewFiltered(t).Port, 500*time.Millisecond
			rep := probe.Relay(t.Context(), o)
			if rep.RootCause == nil || rep.RootCause.Check != check.TCP || rep.RootCause.Code != code.PortBlocked {
				t.Errorf("root cause %+v; want tcp/%s", rep.RootCause, code.PortBlocked)
			}
			var fails []string
			for _, c := range rep.Checks {
				for _, f := range c.Findings {
					if f.Severity == check.Fail {
						fails = append(fails, string(c.ID)+"/"+string(f.Code))
					}
				}
				if (c.ID == check.SMTP || c.ID == check.TLS || c.ID == check.Send) &&
					(c.Status != check.Skip || !strings.Contains(c.Summary, "is not reachable (see the tcp check)")) {
					t.Errorf("%s is %s (%s); want skipped, pointing at the tcp check", c.ID, c.Status, c.Summary)
				}
			}
			if len(fails) != 1 {
				t.Errorf("failures %v; want the tcp check's alone", fails)
			}
		})
	}
}
