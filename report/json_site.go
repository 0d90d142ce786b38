package report

import (
	"fmt"
	"io"
	"time"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// The JSON contract of `exoprobe site -o json`, in the style of json.go: every key pinned here,
// in its order, snake_case, durations as _ms integers, every list [] and every absent object
// null. Each path carries its run's whole report as json.go's jsonReport, so that one contract
// describes a run wherever it appears; the ticket's fields (command_line, environment, inputs,
// exit_code, and each path's root_cause) have the names and the types json.go gives them.
// Change it only on purpose, with the golden files.
type (
	// jsonSite is the site run. command_line, environment and exit_code come from the
	// report.Ticket that cmd passes and are left out only without one (tests); inputs is always
	// there: the ticket's, or without one the domain, sender and recipients of the run.
	jsonSite struct {
		SchemaVersion int              `json:"schema_version"`
		Tool          string           `json:"tool"`
		Version       string           `json:"version"`
		Mode          string           `json:"mode"`
		CommandLine   string           `json:"command_line,omitempty"`
		Started       string           `json:"started"`
		DurationMS    int64            `json:"duration_ms"`
		Environment   *jsonEnvironment `json:"environment,omitempty"`
		Inputs        *jsonInputs      `json:"inputs"`
		Verdict       string           `json:"verdict"`
		ExitCode      *int             `json:"exit_code,omitempty"`
		Paths         []jsonPath       `json:"paths"`
	}
	// jsonPath is one path: its status (pass: works, warn, fail: blocked, skip: not tried), a
	// sentence for people, and the data it was drawn from. root_cause is the finding the path's
	// verdict names, as the report's own root_cause (null when it names none, and for a path
	// that was not tried); blocker is that finding, told in full, when the path is blocked.
	// Submission is null but for submit; report is null for a path that was not tried.
	jsonPath struct {
		ID         string              `json:"id"`
		Title      string              `json:"title"`
		Status     string              `json:"status"`
		Works      bool                `json:"works"`
		Summary    string              `json:"summary"`
		NotTried   string              `json:"not_tried"`
		To         []string            `json:"to"`
		Host       string              `json:"host"`
		Port       int                 `json:"port"`
		Accepted   bool                `json:"accepted"`
		SPFFails   bool                `json:"spf_fails"`
		RootCause  *jsonRootCause      `json:"root_cause"`
		Blocker    *jsonPathFinding    `json:"blocker"`
		Warnings   []jsonPathFinding   `json:"warnings"`
		Submission *jsonPathSubmission `json:"submission"`
		Report     *jsonReport         `json:"report"`
	}
	// jsonPathFinding names a finding of the path's report: its check, code, hint id and title.
	jsonPathFinding struct {
		Check   string `json:"check"`
		Code    string `json:"code"`
		HintID  string `json:"hint_id"`
		Title   string `json:"title"`
		Message string `json:"message"`
	}
	// jsonPathSubmission is what the submission endpoint showed: STARTTLS, the mechanisms offered
	// inside TLS and how the run signed in ("not-tried" without credentials).
	jsonPathSubmission struct {
		STARTTLS   bool     `json:"starttls"`
		Mechanisms []string `json:"mechanisms"`
		SignIn     string   `json:"sign_in"`
	}
)

// renderJSON writes the site report as its contract.
func (s Site) renderJSON(w io.Writer) error {
	site := s.Site
	if site == nil {
		return fmt.Errorf("report: no site report to render")
	}
	out := jsonSite{
		SchemaVersion: site.SchemaVersion, Tool: site.Tool, Version: site.Version, Mode: string(check.ModeSite),
		Started: site.Started.UTC().Format(time.RFC3339), DurationMS: site.DurationMS,
		Verdict: string(site.Verdict), Paths: make([]jsonPath, 0, len(site.Paths)),
	}
	if t := s.Ticket; t != nil {
		out.CommandLine = t.CommandLine
		out.Environment = toJSONEnvironment(t.Environment)
		out.Inputs = toJSONInputs(t.Inputs)
		code := t.ExitCode
		out.ExitCode = &code
	} else {
		out.Inputs = toJSONInputs(Inputs{Domain: site.Domain, From: site.From, To: site.To})
	}
	if out.SchemaVersion == 0 {
		out.SchemaVersion = probe.SchemaVersion
	}
	if out.Tool == "" {
		out.Tool = "exoprobe"
	}
	for _, p := range site.Paths {
		jp := jsonPath{
			ID: string(p.ID), Title: pathTitle(p.ID), Status: string(p.Status), Works: p.Works(),
			Summary: pathWhy(p), NotTried: p.NotTried, To: stringsOf(p.To), Host: p.Host, Port: p.Port,
			Accepted: p.Accepted, SPFFails: p.SPFFails, Warnings: make([]jsonPathFinding, 0, len(p.Warnings)),
		}
		if p.Blocker != nil {
			f := toJSONPathFinding(*p.Blocker)
			jp.Blocker = &f
		}
		for _, w := range p.Warnings {
			jp.Warnings = append(jp.Warnings, toJSONPathFinding(w))
		}
		if p.ID == probe.PathSubmit {
			jp.Submission = &jsonPathSubmission{STARTTLS: p.Encrypted, Mechanisms: stringsOf(p.Mechanisms), SignIn: p.SignIn}
		}
		if p.Report != nil {
			r := toJSONReport(p.Report)
			jp.Report, jp.RootCause = &r, r.RootCause
		}
		out.Paths = append(out.Paths, jp)
	}
	return encode(w, out)
}

func toJSONPathFinding(f probe.CheckFinding) jsonPathFinding {
	out := jsonPathFinding{Check: string(f.Check), Code: string(f.Code), Message: f.Message}
	if f.Hint != nil {
		out.HintID, out.Title = f.Hint.ID, f.Hint.Title
	}
	return out
}
