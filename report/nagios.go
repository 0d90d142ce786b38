package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// The Monitoring Plugins output (-o nagios) follows the Monitoring Plugins development
// guidelines (https://www.monitoring-plugins.org/doc/guidelines.html), which Nagios, Icinga,
// Naemon, Shinken and their kin read:
//
//	EXOPROBE RELAY CRITICAL - <the root cause in a few words> | 'tcp'=0.012s;;;0 'server_cert_days'=89;30:;7:
//	FAIL send: RCPT TO <someone@example.org> refused: 550 5.7.64 ...
//	PASS tcp: 25/ipv4 open
//
// The first line is the service, its state and the cause, then the performance data; every
// following line (the long output) is one check. The state is the verdict's (OK, WARNING,
// CRITICAL), raised by the certificate thresholds when one is crossed, and the process's exit
// code says the same (0, 1, 2); UNKNOWN (3) is a run that could not run or was interrupted.
// Performance data: each check's time in seconds and the whole run's ('total'), and the days
// left on each certificate the run saw, with the thresholds as ranges ("30:" alerts below 30).
// Text never holds a '|', which would start performance data, nor a line break.

// NagiosOptions shape the Monitoring Plugins output: the days a certificate may have left
// before its state is WARNING or CRITICAL. The zero value alerts only on an expired one.
type NagiosOptions struct {
	WarnCertDays, CritCertDays int
}

// The certificate thresholds' defaults (--warn-cert-days, --crit-cert-days).
const (
	DefaultWarnCertDays = 30
	DefaultCritCertDays = 7
)

// nagiosDoc is a document with a Monitoring Plugins layout.
type nagiosDoc interface {
	renderNagios(w io.Writer, o NagiosOptions) error
}

// Progress lines are the text format's live view: the plugin output is written whole at the end.
func (Progress) renderNagios(io.Writer, NagiosOptions) error { return nil }

// nagiosLineMax bounds one line of text, so that a long reply cannot push the performance
// data out of what the engine keeps of the output.
const nagiosLineMax = 240

// nagiosState is the Monitoring Plugins' name of a status. A run whose every check was skipped
// is OK, as its exit code 0 says.
func nagiosState(s check.Status) string {
	switch s {
	case check.Fail:
		return "CRITICAL"
	case check.Warn:
		return "WARNING"
	case nagiosUnknown:
		return "UNKNOWN"
	}
	return "OK"
}

// nagiosUnknown is the state of a run that was interrupted: no check status has it.
const nagiosUnknown check.Status = "unknown"

// NagiosStatus is the state of the run in the Monitoring Plugins output: the worse of its
// verdict and the certificate thresholds. The exit code of -o nagios follows it.
func (r Run) NagiosStatus(o NagiosOptions) check.Status {
	if r.Report == nil {
		return check.Pass
	}
	v := verdictOf(r.Report)
	for _, t := range certThresholds(r.Report, o) {
		v = check.Worst(v, t.status)
	}
	return v
}

// certThreshold is one certificate's days left, judged against the thresholds.
type certThreshold struct {
	certExpiry
	started time.Time // when the run started, from which the days are counted
	days    int
	status  check.Status // pass, or warn or fail when a threshold is crossed
}

func certThresholds(rep *probe.Report, o NagiosOptions) []certThreshold {
	var out []certThreshold
	for _, e := range certExpiries(rep) {
		t := certThreshold{certExpiry: e, started: rep.Started, days: e.daysLeft(rep.Started), status: check.Pass}
		switch {
		case t.days < o.CritCertDays:
			t.status = check.Fail
		case t.days < o.WarnCertDays:
			t.status = check.Warn
		}
		out = append(out, t)
	}
	return out
}

// certNames are the certificates as the text of the output names them, and their labels in
// the performance data.
var certNames = map[certKind]struct{ text, label string }{
	serverCert:    {"the server certificate", "server_cert_days"},
	clientCert:    {"the client certificate", "client_cert_days"},
	appCredential: {"the app's certificate", "app_credential_days"},
	entraSecret:   {"the sending app's client secret", "app_secret_days"},
	entraCert:     {"the sending app's certificate in Entra ID", "app_registration_cert_days"},
}

// sentence says how long the certificate has left, and which threshold it crossed.
func (t certThreshold) sentence(o NagiosOptions) string {
	s := certNames[t.kind].text
	ago := int(math.Floor(t.started.Sub(t.notAfter).Hours() / 24))
	switch {
	case !t.notAfter.After(t.started) && ago == 0:
		s += " expired less than a day ago"
	case !t.notAfter.After(t.started):
		s += fmt.Sprintf(" expired %d days ago", ago)
	case t.days == 0:
		s += " expires within a day"
	default:
		s += fmt.Sprintf(" expires in %d days", t.days)
	}
	switch t.status {
	case check.Fail:
		s += fmt.Sprintf(" (critical below %d)", o.CritCertDays)
	case check.Warn:
		s += fmt.Sprintf(" (warning below %d)", o.WarnCertDays)
	}
	return s
}

// perfdata is the certificate's performance datum: days left, with the thresholds as ranges.
func (t certThreshold) perfdata(prefix string, o NagiosOptions) string {
	return perfLabel(prefix+certNames[t.kind].label) + "=" + strconv.Itoa(t.days) +
		";" + strconv.Itoa(o.WarnCertDays) + ":;" + strconv.Itoa(o.CritCertDays) + ":"
}

// renderNagios writes the Monitoring Plugins output of a run.
func (r Run) renderNagios(w io.Writer, o NagiosOptions) error {
	rep := r.Report
	if rep == nil {
		return fmt.Errorf("report: no report to render")
	}
	state := r.NagiosStatus(o)
	thresholds := certThresholds(rep, o)
	text := nagiosSummary(rep, state, thresholds, o)
	if rep.Interrupted {
		state, text = nagiosUnknown, verdictSentence(rep)
	}
	ew := newErrWriter(w)
	ew.line(nagiosService(rep.Mode) + " " + nagiosState(state) + " - " + nagiosText(text) +
		" | " + strings.Join(runPerfdata(rep, "", thresholds, o), " "))
	for _, l := range nagiosChecks(rep, thresholds, o) {
		ew.line(l)
	}
	return ew.flush()
}

// nagiosService names the service on the first line: EXOPROBE and the mode.
func nagiosService(m check.Mode) string {
	s := "EXOPROBE"
	if m != "" {
		s += " " + strings.ToUpper(string(m))
	}
	return s
}

// nagiosSummary is the text of the first line: the root cause when the state is the verdict's
// failure or warning, the certificate that crossed a threshold when that is worse, and the
// verdict's sentence when all is well.
func nagiosSummary(rep *probe.Report, state check.Status, thresholds []certThreshold, o NagiosOptions) string {
	v := verdictOf(rep)
	if state != v {
		for _, t := range thresholds {
			if t.status == state {
				return t.sentence(o)
			}
		}
	}
	switch v {
	case check.Fail, check.Warn:
		if f, ok := rootCause(rep); ok {
			return headline(f)
		}
		for _, c := range checks(rep) {
			if c.Status == v {
				return "the " + string(c.ID) + " check reported a problem"
			}
		}
	}
	return verdictText(rep)
}

// runPerfdata is the performance data of one run: each check's time but those skipped (they
// took none), the whole run's, then the days left on each certificate. prefix starts every
// label (a site's path, "relay_").
func runPerfdata(rep *probe.Report, prefix string, thresholds []certThreshold, o NagiosOptions) []string {
	var out []string
	for _, c := range checks(rep) {
		if c.Status == check.Skip {
			continue
		}
		out = append(out, perfSeconds(prefix+string(c.ID), c.DurationMS))
	}
	out = append(out, perfSeconds(prefix+"total", rep.DurationMS))
	for _, t := range thresholds {
		out = append(out, t.perfdata(prefix, o))
	}
	return out
}

// perfSeconds is a time as a performance datum in seconds, never negative: 'tcp'=0.012s;;;0.
func perfSeconds(label string, ms int64) string {
	return perfLabel(label) + "=" + strconv.FormatFloat(float64(max(ms, 0))/1000, 'f', 3, 64) + "s;;;0"
}

// perfLabel quotes a performance-data label, as the guidelines allow for any label and require
// for one with a space, '=' or a quote; a quote inside is doubled.
func perfLabel(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// nagiosChecks are the lines of the long output: one per check, in report order, then each
// certificate that crossed a threshold.
func nagiosChecks(rep *probe.Report, thresholds []certThreshold, o NagiosOptions) []string {
	var out []string
	for _, c := range checks(rep) {
		out = append(out, tag(c.Status)+" "+nagiosText(string(c.ID)+": "+summaryOf(c)))
	}
	for _, t := range thresholds {
		if t.status != check.Pass {
			out = append(out, tag(t.status)+" "+nagiosText(t.sentence(o)))
		}
	}
	return out
}

// nagiosText makes text one line of plugin output: control characters escaped (as everywhere),
// '|' shown as '/' because it would start the performance data, and at most nagiosLineMax
// characters.
func nagiosText(s string) string {
	s = strings.ReplaceAll(clean(s), "|", "/")
	if utf8.RuneCountInString(s) <= nagiosLineMax {
		return s
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:nagiosLineMax-3]), " ") + "..."
}

// NagiosCouldNotRun writes the Monitoring Plugins output of a command that could not run (bad
// usage, a file that cannot be read, an internal error): UNKNOWN and why, for exit code 3, so
// that the monitoring system shows the reason rather than an empty output.
func NagiosCouldNotRun(w io.Writer, mode check.Mode, why string) error {
	_, err := io.WriteString(w, nagiosService(mode)+" UNKNOWN - "+nagiosText(why)+"\n")
	return err
}

// NagiosStatus is the state of the site in the Monitoring Plugins output: the worse of the
// site's verdict (pass when every path tried works, warn when one does, fail when none does)
// and the certificate thresholds of every path's run.
func (s Site) NagiosStatus(o NagiosOptions) check.Status {
	if s.Site == nil {
		return check.Pass
	}
	v := s.Site.Verdict
	for _, p := range s.Site.Paths {
		if p.Report == nil {
			continue
		}
		for _, t := range certThresholds(p.Report, o) {
			v = check.Worst(v, t.status)
		}
	}
	return v
}

// renderNagios writes the Monitoring Plugins output of a site: which paths work and what blocks
// the others on the first line, each path's checks in the long output (as "relay/tcp"), and
// each path's performance data with the path as the labels' prefix ('relay_tcp').
func (s Site) renderNagios(w io.Writer, o NagiosOptions) error {
	site := s.Site
	if site == nil {
		return fmt.Errorf("report: no site report to render")
	}
	state := s.NagiosStatus(o)
	var perf, long, crossed []string
	for _, p := range site.Paths {
		long = append(long, pathTag(p)+" "+nagiosText(string(p.ID)+": "+pathWhy(p)))
		if p.Report == nil {
			continue
		}
		thresholds := certThresholds(p.Report, o)
		perf = append(perf, runPerfdata(p.Report, string(p.ID)+"_", thresholds, o)...)
		for _, l := range nagiosChecks(p.Report, thresholds, o) {
			status, rest, _ := strings.Cut(l, " ")
			long = append(long, status+" "+string(p.ID)+"/"+rest)
		}
		for _, t := range thresholds {
			if t.status == state && t.status != site.Verdict {
				crossed = append(crossed, string(p.ID)+": "+t.sentence(o))
			}
		}
	}
	text := siteVerdictText(site)
	if state == check.Fail || state == check.Warn {
		// Paths blocked by the same thing (port 25 for relay and Direct Send) share a clause.
		var blocked []string
		paths := map[string][]string{}
		for _, p := range site.Paths {
			if p.Blocker == nil {
				continue
			}
			b := blockerText(p, *p.Blocker)
			if paths[b] == nil {
				blocked = append(blocked, b)
			}
			paths[b] = append(paths[b], string(p.ID))
		}
		for i, b := range blocked {
			blocked[i] = strings.Join(paths[b], ", ") + ": " + b
		}
		if len(crossed) > 0 {
			blocked = crossed
		}
		if len(blocked) > 0 {
			text += "; " + strings.Join(blocked, "; ")
		}
	}
	ew := newErrWriter(w)
	ew.line(nagiosService(check.ModeSite) + " " + nagiosState(state) + " - " + nagiosText(text) + " | " + strings.Join(perf, " "))
	for _, l := range long {
		ew.line(l)
	}
	return ew.flush()
}
