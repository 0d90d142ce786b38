package probe_test

import (
	"slices"
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
		"submit": func(t *testing.T, stall string) (*probe.Report, []check.ID) {
			sim := fixtures.NewSim(t, "submit-ok")
			o := submitOptions(sim)
			o.Timeout = stallTimeout
			probe.StallStage(&o.RunOptions, stall)
			return probe.Submit(t.Context(), o), probe.SubmitChecks()
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
