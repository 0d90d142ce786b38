package probe

import (
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/kb"
)

// RootCause is the one finding a run's verdict names, chosen among the findings of the
// verdict's severity (and, for a cause, any finding that is not a pass):
//  1. a finding that explains why a server refused: a client certificate the connector cannot
//     accept, an echoed IP the connector does not list, a token Exchange Online cannot use, with
//     the refusal it explains in the same run (kb.Explains);
//  2. else the server's explicit refusal itself (a reply or an Entra ID error), the earliest in
//     check order, a follow-on symptom (5.7.57 after a failed AUTH) after any other;
//  3. else the first finding of the verdict's severity, in check order.
//
// Observations that do not explain a refusal (this machine not trusting the server's
// certificate, SPF on a relay) therefore never outrank it. Nil when the verdict is pass or skip,
// or when no finding carries the verdict's severity.
func RootCause(checks []*check.Result, verdict check.Status) *CheckFinding {
	if verdict != check.Fail && verdict != check.Warn {
		return nil
	}
	var all, refusals []CheckFinding
	for _, c := range checks {
		if c == nil {
			continue
		}
		for _, f := range c.Findings {
			if f.Severity != check.Fail && f.Severity != check.Warn {
				continue
			}
			cf := CheckFinding{Check: c.ID, Finding: f}
			all = append(all, cf)
			if f.Reply != "" && f.Hint != nil {
				refusals = append(refusals, cf)
			}
		}
	}
	for _, f := range all {
		if f.Hint == nil || f.Reply != "" {
			continue
		}
		for _, r := range refusals {
			if kb.Explains(f.Hint.ID, r.Hint.ID) {
				return &f
			}
		}
	}
	var followOn *CheckFinding
	for _, r := range refusals {
		switch {
		case r.Severity != verdict:
		case !kb.FollowOn(r.Hint.ID):
			return &r
		case followOn == nil:
			followOn = &r
		}
	}
	if followOn != nil {
		return followOn
	}
	for _, f := range all {
		if f.Severity == verdict {
			return &f
		}
	}
	return nil
}
