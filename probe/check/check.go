// Package check holds the vocabulary every exoprobe check speaks: a Result with a status,
// facts (what was seen) and findings (what that means, with a hint that says what to do).
// Checks never print; they return a Result, and a network failure is a finding, not an error.
//
// These types carry no json tags: the JSON report's contract is defined once, in the report
// package, so a field added here stays out of the JSON until that contract names it.
package check

import (
	"fmt"
	"strings"
	"time"
)

// Status is the outcome of a check or the severity of a finding.
type Status string

// The four statuses, as they appear in the JSON report.
const (
	Pass Status = "pass"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip"
)

// rank orders statuses for Worst: a skipped check says nothing about the verdict.
func (s Status) rank() int {
	switch s {
	case Pass:
		return 1
	case Warn:
		return 2
	case Fail:
		return 3
	}
	return 0
}

// Worst returns the more severe of a and b (fail > warn > pass > skip).
func Worst(a, b Status) Status {
	if b.rank() > a.rank() {
		return b
	}
	return a
}

// Hint is the knowledge base's advice for one finding: what it means and what to do,
// with values from the run filled in.
type Hint struct {
	ID    string
	Title string
	Cause string
	Fix   []Step
	Docs  []string
}

// Step is one thing to do about a finding. Text says what and why, for a person to read; it may
// name an admin-centre path, which is something to click, not to paste. Command, when set, is
// what to paste into the shell Shell names: one command a line, values from the run filled in,
// never a word of prose, so that a renderer can put it in a block of its own and a copy of that
// block runs. The zero Command means the step has nothing to run.
type Step struct {
	Text    string
	Command string
}

// Shell names the shell a step's command is written for, as a Markdown fence names it:
// "powershell" for PowerShell (cmdlets, variables, and Windows' own tools such as w32tm and
// certutil, which PowerShell runs too), "sh" for a Unix shell (timedatectl, sudo ...), and
// "console" for a program that runs the same in either (exoprobe, openssl, nslookup). It is ""
// when the step has no command.
func (s Step) Shell() string {
	first, _, _ := strings.Cut(strings.TrimSpace(s.Command), "\n")
	word, _, _ := strings.Cut(first, " ")
	switch {
	case word == "":
		return ""
	case unixTools[word]:
		return "sh"
	case consoleTools[strings.ToLower(word)]:
		return "console"
	}
	return "powershell"
}

// unixTools are the programs whose commands are written for a Unix shell.
var unixTools = map[string]bool{"timedatectl": true, "resolvectl": true, "sudo": true, "read": true, "export": true, "dig": true}

// consoleTools are the programs whose commands run the same in PowerShell and in a Unix shell.
var consoleTools = map[string]bool{"exoprobe": true, "openssl": true, "nslookup": true, "curl": true, "pip": true}

// Code names what a finding is, stably: the enhanced status code of a server reply ("5.7.64"),
// its basic code when it has none ("554"), an Entra ID code ("AADSTS7000215"), or one of the
// probe's own codes, declared once in package probe/code ("port-filtered").
type Code string

// Skipped is the code of the finding that says why a check did not run.
const Skipped Code = "skipped"

// ID names a check, as the report shows it.
type ID string

// The checks, in the order a report lists them.
const (
	PublicIP   ID = "publicip"
	DNS        ID = "dns"
	TCP        ID = "tcp"
	ClientCert ID = "clientcert"
	OAuth      ID = "oauth"
	SMTP       ID = "smtp"
	TLS        ID = "tls"
	Auth       ID = "auth"
	Send       ID = "send"
	Connector  ID = "connector"
	Exchange   ID = "exchange" // the tenant's Exchange Online configuration (exoprobe tenant)
	Entra      ID = "entra"    // the sending app's registration in Entra ID (exoprobe tenant)
	Input      ID = "input"    // the command line, when exoprobe refused it
)

// Mode is what a run is for: the command that made it.
type Mode string

// The modes of exoprobe's runs.
const (
	ModeRelay     Mode = "relay"     // relay through an inbound connector, port 25
	ModeDirect    Mode = "direct"    // Direct Send to the tenant's own mailboxes, port 25
	ModeSubmit    Mode = "submit"    // SMTP AUTH client submission, port 587
	ModeConnector Mode = "connector" // the pre-flight before creating an inbound connector
	ModeCert      Mode = "cert"      // an offline inspection of a client certificate
	ModeIP        Mode = "ip"        // the site's public addresses alone
	ModeSite      Mode = "site"      // every path from this site at once: relay, Direct Send, submission
	ModeTenant    Mode = "tenant"    // the tenant's configuration, read-only
	ModeInventory Mode = "inventory" // what still signs in with a password: this machine's files, the tenant's sign-ins
)

// Finding is one thing a check concluded: what it saw, in its own words. The knowledge base
// explains it afterwards: the runner attaches every hint in one pass (kb.Attach) once the run's
// values are known, so a check never fills Hint.
type Finding struct {
	Severity Status
	Code     Code
	Message  string
	// Reply is the server's reply or the error text the finding was read from, for the
	// knowledge base to match its words; "" for the probe's own observations. The report shows
	// replies through the facts and the transcript, not through this field.
	Reply string
	// Entry names the knowledge-base entry that explains the finding when its code and reply
	// alone would pick another (a 5.7.3 after XOAUTH2 is not a wrong password); "" lets them.
	Entry Code
	Hint  *Hint
}

// Facts are what a check saw, keyed by snake_case names. Values must marshal to JSON.
type Facts map[string]any

// Result is what one check returns. Its zero value is not useful: use New.
type Result struct {
	ID         ID
	Status     Status
	Summary    string
	DurationMS int64
	Facts      Facts
	Findings   []Finding
}

// New returns a passing result for the check id with empty facts and findings.
func New(id ID) *Result {
	return &Result{ID: id, Status: Pass, Facts: Facts{}, Findings: []Finding{}}
}

// Add records a finding and raises the result's status to the finding's severity.
func (r *Result) Add(f Finding) {
	r.Findings = append(r.Findings, f)
	if r.Status != Skip {
		r.Status = Worst(r.Status, f.Severity)
	}
}

// Addf records a finding of one of the probe's own codes.
func (r *Result) Addf(sev Status, code Code, format string, args ...any) {
	r.Add(Finding{Severity: sev, Code: code, Message: fmt.Sprintf(format, args...)})
}

// Skip marks the check as not run, with the reason as a finding.
func (r *Result) Skip(reason string) {
	r.Status = Skip
	r.Summary = "skipped: " + reason
	r.Findings = append(r.Findings, Finding{Severity: Skip, Code: Skipped, Message: reason})
}

// Set records a fact.
func (r *Result) Set(key string, v any) { r.Facts[key] = v }

// Since sets DurationMS from start to now.
func (r *Result) Since(start time.Time) { r.DurationMS = time.Since(start).Milliseconds() }

// Logf is how checks log progress; the zero value discards. --verbose routes it to stderr.
type Logf func(format string, args ...any)

// Printf logs through l when l is set.
func (l Logf) Printf(format string, args ...any) {
	if l != nil {
		l(format, args...)
	}
}

// Line is one line of a protocol transcript. Dir is "C" (sent by exoprobe), "S" (sent by the
// server) or "*" (a note from the probe, such as the outcome of a TLS handshake). Secrets are
// redacted before a Line is made.
type Line struct {
	Dir  string
	Line string
}
