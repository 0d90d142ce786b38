// Package probe runs exoprobe's checks for one command and returns a Report. It never prints:
// the report package lays a Report out, and cmd/exoprobe chooses the format.
package probe

import (
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/kb"
)

// SchemaVersion is the version of the JSON report; it changes only on purpose. 2: a hint's fix
// is a list of {"text", "command"} steps, no longer of strings that mixed prose and commands.
const SchemaVersion = 1

// Target is the endpoint a run talks to.
type Target struct {
	Domain string
	Host   string
	Port   int
}

// Report is the outcome of one run: every check in a fixed order, the overall verdict and the
// SMTP transcript (secrets redacted). The report package lays it out; its JSON is defined there.
type Report struct {
	SchemaVersion int
	Tool          string
	Version       string
	Mode          check.Mode
	Started       time.Time
	DurationMS    int64
	Target        Target
	Verdict       check.Status
	RootCause     *CheckFinding // the finding the verdict names; nil when it is pass or skip
	Checks        []*check.Result
	Transcript    []check.Line
	// Interrupted is set when the run was stopped (Ctrl-C, SIGTERM) before every check
	// concluded: the checks that had not are skipped with the reason InterruptedReason, and the
	// verdict is that of the checks that had, skip rather than pass (MarkInterrupted).
	Interrupted bool
}

// MarkInterrupted marks the report of a run that was stopped before every check concluded. Its
// verdict stays that of the checks that had concluded, but pass becomes skip: a run cut short
// has not shown that sending works.
func (r *Report) MarkInterrupted() {
	r.Interrupted = true
	if r.Verdict == check.Pass {
		r.Verdict = check.Skip
	}
}

// InterruptedReason is why a check that had not concluded when the run was stopped is skipped.
const InterruptedReason = "interrupted"

// InterruptedCheck is the result of a check that had not concluded when the run was stopped.
func InterruptedCheck(id check.ID) *check.Result { return skipped(id, InterruptedReason) }

// Verdict is the worst status among results; pass when all were skipped or there are none.
func Verdict(results []*check.Result) check.Status {
	v := check.Pass
	for _, r := range results {
		v = check.Worst(v, r.Status)
	}
	return v
}

// Findings returns every finding of the report with the id of the check that made it,
// most severe first, in check order within a severity.
func (r *Report) Findings() []CheckFinding {
	var out []CheckFinding
	for _, sev := range []check.Status{check.Fail, check.Warn, check.Pass} {
		for _, c := range r.Checks {
			for _, f := range c.Findings {
				if f.Severity == sev {
					out = append(out, CheckFinding{Check: c.ID, Finding: f})
				}
			}
		}
	}
	return out
}

// CheckFinding is a finding with the id of the check that made it.
type CheckFinding struct {
	Check check.ID
	check.Finding
}

// NewReport starts the report of a run of mode begun at started; the runner adds the checks,
// the verdict and the duration.
func NewReport(mode check.Mode, version string, started time.Time, target Target) *Report {
	return &Report{
		SchemaVersion: SchemaVersion, Tool: "exoprobe", Version: version, Mode: mode,
		Started: started.UTC(), Target: target, Checks: []*check.Result{}, Transcript: []check.Line{},
	}
}

// SingleCheck is the whole report of a run that made one check (ip, cert, a refused command
// line), finished now, with its findings explained with the run's values in hints.
func SingleCheck(mode check.Mode, version string, started time.Time, r *check.Result, hints kb.Context) *Report {
	rep := NewReport(mode, version, started, Target{})
	rep.Checks = []*check.Result{r}
	kb.Attach(rep.Checks, hints)
	rep.Verdict = Verdict(rep.Checks)
	rep.RootCause = RootCause(rep.Checks, rep.Verdict)
	rep.DurationMS = time.Since(started).Milliseconds()
	return rep
}
