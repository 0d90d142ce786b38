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
// describes a run wherever it appears. Change it only on purpose, with the golden files.
type (
	jsonSite struct {
		SchemaVersion int            `json:"schema_version"`
		Tool          string         `json:"tool"`
		Version       string         `json:"version"`
		Mode          string         `json:"mode"`
		Started       string         `json:"started"`
		DurationMS    int64          `json:"duration_ms"`
		Inputs        jsonSiteInputs `json:"inputs"`
		Verdict       string         `json:"verdict"`
		Paths         []jsonPath     `json:"paths"`
	}
	// jsonSiteInputs are the values the site run was given.
	jsonSiteInputs struct {
		Domain string   `json:"domain"`
		From   string   `json:"from"`
		To     []string `json:"to"`
	}
	// jsonPath is one path: its status (pass: works, warn, fail: blocked, skip: not tried), a
	// sentence for people, and the data it was drawn from. Submission is null but for submit;
	// report is null for a path that was not tried.
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
		Inputs:  jsonSiteInputs{Domain: site.Domain, From: site.From, To: stringsOf(site.To)},
		Verdict: string(site.Verdict), Paths: make([]jsonPath, 0, len(site.Paths)),
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
			jp.Report = &r
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
