package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
)

// verdictOf is the report's verdict, worked out from its checks when the report has none.
func verdictOf(rep *probe.Report) check.Status {
	if rep.Verdict != "" {
		return rep.Verdict
	}
	return probe.Verdict(checks(rep))
}

// checks returns the report's results without nil entries.
func checks(rep *probe.Report) []*check.Result {
	out := make([]*check.Result, 0, len(rep.Checks))
	for _, c := range rep.Checks {
		if c != nil {
			out = append(out, c)
		}
	}
	return out
}

// endpoint names where the run talked to: "host:port", or the domain whose MX it is.
func endpoint(t probe.Target) string {
	switch {
	case t.Host != "" && t.Port != 0:
		return shownHostPort(t.Host, t.Port)
	case t.Host != "":
		return shownName(t.Host)
	case t.Domain != "":
		return "the MX of " + shownName(t.Domain)
	}
	return "the endpoint"
}

// subject says what the run tried, in the words of its mode.
func subject(rep *probe.Report) string {
	ep := clean(endpoint(rep.Target))
	switch rep.Mode {
	case "relay":
		return "relay through " + ep
	case "direct":
		return "Direct Send to " + ep
	case "submit":
		return "submission through " + ep
	case "cert":
		return "the client certificate"
	case "tenant":
		return "sending through tenant " + clean(rep.Target.Domain)
	case "":
		return "sending through " + ep
	}
	return clean(string(rep.Mode)) + " through " + ep
}

// rootCause is the finding the verdict names: the report's root cause, worked out from its
// checks when the report has none.
func rootCause(rep *probe.Report) (probe.CheckFinding, bool) {
	f := rep.RootCause
	if f == nil {
		f = probe.RootCause(checks(rep), verdictOf(rep))
	}
	if f == nil {
		return probe.CheckFinding{}, false
	}
	return *f, true
}

// findings are the report's findings worth showing, most severe first.
func findings(rep *probe.Report) []probe.CheckFinding {
	r := *rep
	r.Checks = checks(rep)
	return r.Findings()
}

// headline names a finding in one line: the hint's title, else the message, with its code.
func headline(f probe.CheckFinding) string {
	s := f.Message
	if f.Hint != nil && f.Hint.Title != "" {
		s = f.Hint.Title
	}
	if f.Code != "" && !strings.Contains(s, string(f.Code)) {
		s += " (" + string(f.Code) + ")"
	}
	return clean(s)
}

// verdictText is the sentence after the verdict's tag: what the run means for sending.
func verdictText(rep *probe.Report) string {
	v := verdictOf(rep)
	switch rep.Mode {
	case check.ModeConnector:
		return connectorVerdict(rep, v)
	case check.ModeIP:
		return ipVerdict(rep, v)
	}
	subj := subject(rep)
	skipped, ran := 0, 0
	for _, c := range checks(rep) {
		if c.Status == check.Skip {
			skipped++
		} else {
			ran++
		}
	}
	if cs := checks(rep); len(cs) == 1 && cs[0].ID == check.Input {
		// The command line was refused before any check ran.
		reason := "the command line was refused"
		if f, ok := rootCause(rep); ok {
			reason = headline(f)
		}
		return fmt.Sprintf("exoprobe %s did not run: %s", clean(string(rep.Mode)), reason)
	}
	switch v {
	case check.Fail, check.Warn:
		reason := ""
		if f, ok := rootCause(rep); ok {
			reason = headline(f)
		} else {
			for _, c := range checks(rep) {
				if c.Status == v {
					reason = "the " + clean(string(c.ID)) + " check reported a problem"
					break
				}
			}
		}
		if v == check.Fail {
			return fmt.Sprintf("%s will not work: %s", subj, reason)
		}
		return fmt.Sprintf("%s should work, but look at this first: %s", subj, reason)
	case check.Pass:
		switch {
		case ran == 0:
			return fmt.Sprintf("%s was not tested: every check was skipped", subj)
		case skipped > 0:
			return fmt.Sprintf("%s should work: every check that ran passed (%d skipped)", subj, skipped)
		}
		return fmt.Sprintf("%s should work: every check passed", subj)
	}
	return fmt.Sprintf("%s was not tested", subj)
}

// tag is a status as the text and Markdown formats print it.
func tag(s check.Status) string {
	switch s {
	case check.Pass:
		return "PASS"
	case check.Warn:
		return "WARN"
	case check.Fail:
		return "FAIL"
	case check.Skip:
		return "SKIP"
	}
	return "????"
}

// duration prints milliseconds for a person: "41 ms", "1.83 s".
func duration(ms int64) string {
	if ms < 1000 {
		return strconv.FormatInt(ms, 10) + " ms"
	}
	return strconv.FormatFloat(float64(ms)/1000, 'f', 2, 64) + " s"
}

// ipVerdict says what `exoprobe ip` found: it sends nothing and talks to no endpoint, so its
// verdict speaks of detecting the site's public addresses, and says what was found.
func ipVerdict(rep *probe.Report, v check.Status) string {
	const subj = "public-IP detection"
	reason := "the publicip check reported a problem"
	if f, ok := rootCause(rep); ok {
		reason = headline(f)
	}
	switch v {
	case check.Fail:
		return subj + " failed: " + reason
	case check.Warn:
		return subj + " is not conclusive: " + reason
	case check.Pass:
		for _, c := range checks(rep) {
			if c.ID == check.PublicIP && c.Summary != "" {
				return subj + " worked: " + clean(c.Summary)
			}
		}
		return subj + " worked"
	}
	return subj + " did not run"
}

// connectorVerdict says whether the connector pre-flight allows creating the connector, and
// what to change first when it does not. A network that does not let port 25 out is said as
// such: it is no setting of the connector, and no connector helps until it is fixed.
func connectorVerdict(rep *probe.Report, v check.Status) string {
	// With --tenant-check the tenant may already have the connector: then it is to be tested,
	// not created.
	const exists = "a connector for this site exists already (see the exchange check): test it with exoprobe relay"
	existing := false
	for _, f := range findings(rep) {
		existing = existing || f.Code == code.ConnectorExists
	}
	switch v {
	case check.Fail, check.Warn:
		reason := "a check reported a problem"
		more := 0
		blocked := false
		if f, ok := rootCause(rep); ok {
			reason = headline(f)
			blocked = f.Code == code.PortBlocked || f.Code == code.MailPortsBlocked
			for _, g := range findings(rep) {
				if g.Severity == v {
					more++
				}
			}
			more--
		}
		if more > 0 {
			reason += fmt.Sprintf(" (and %d more)", more)
		}
		if v == check.Fail && blocked {
			return "not ready to create the connector: " + reason + "; no connector helps until mail gets out of this network"
		}
		if v == check.Fail {
			return "not ready to create the connector; change this first: " + reason
		}
		if existing {
			return exists + "; look at this too: " + reason
		}
		return "ready to create the connector, but look at this first: " + reason
	case check.Pass:
		if existing {
			return exists
		}
		return "ready to create the connector: every check passed"
	}
	return "the connector pre-flight did not run"
}

// verdictSentence is the sentence after the verdict's tag; for a run that was stopped before
// every check concluded, it says so first, and what the checks that had concluded found.
func verdictSentence(rep *probe.Report) string {
	if !rep.Interrupted {
		return verdictText(rep)
	}
	const head = "Interrupted (Ctrl-C) before every check concluded"
	switch verdictOf(rep) {
	case check.Fail, check.Warn:
		return head + "; so far: " + verdictText(rep)
	}
	return head + ": nothing is known yet about " + subject(rep) + "; the checks that concluded passed"
}
