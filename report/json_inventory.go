package report

import (
	"fmt"
	"io"
	"time"

	"github.com/exoprobe/exoprobe/probe"
)

// The JSON contract of `exoprobe inventory -o json`, in the style of json.go: every key pinned
// here, in its order, snake_case, durations as _ms integers, every list [] and never null. The
// report has a section per source of what still signs in with a password: "machine" (the
// configuration files on this machine) is the one there is; another source is another key
// beside it. A row never holds a password: password_at says where one is kept. Change it only
// on purpose, with the golden files.
type (
	jsonInventory struct {
		SchemaVersion int              `json:"schema_version"`
		Tool          string           `json:"tool"`
		Version       string           `json:"version"`
		Mode          string           `json:"mode"` // "inventory"
		CommandLine   string           `json:"command_line,omitempty"`
		Started       string           `json:"started"`
		DurationMS    int64            `json:"duration_ms"`
		Environment   *jsonEnvironment `json:"environment,omitempty"`
		// Verdict is warn when a row breaks when basic authentication is turned off, or a
		// source could not be read to its end; pass otherwise.
		Verdict  string                `json:"verdict"`
		ExitCode *int                  `json:"exit_code,omitempty"`
		Machine  *jsonInventoryMachine `json:"machine"`
	}
	// jsonInventoryMachine is what the scan of this machine's configuration files found.
	jsonInventoryMachine struct {
		Status          string             `json:"status"`
		Summary         string             `json:"summary"`
		Paths           []string           `json:"paths"`
		DefaultPaths    bool               `json:"default_paths"` // the usual places of the OS, not --path
		FilesRead       int                `json:"files_read"`
		DirsWalked      int                `json:"directories_walked"`
		MaxFileBytes    int64              `json:"max_file_bytes"`
		MaxDepth        int                `json:"max_depth"`
		Incomplete      bool               `json:"incomplete"` // --timeout ended the scan
		DurationMS      int64              `json:"duration_ms"`
		Breaking        int                `json:"breaking"`
		Rows            []jsonInventoryRow `json:"rows"`
		Problems        []jsonProblem      `json:"problems"`
		ProblemsLeftOut int                `json:"problems_left_out"`
	}
	// jsonInventoryRow is one configuration that sends through Microsoft 365. port is 0 when
	// neither the file nor the product says; user "" when none is named; password_at "" when
	// no password goes with it; command "" when exoprobe has none for the way forward.
	jsonInventoryRow struct {
		File       string `json:"file"`
		Line       int    `json:"line"`
		Format     string `json:"format"`
		Setting    string `json:"setting"`
		Host       string `json:"host"`
		Port       int    `json:"port"`
		Cloud      string `json:"cloud"`
		Endpoint   string `json:"endpoint"` // submission, legacy-tls, hve, mx
		Auth       string `json:"auth"`     // basic, oauth, windows, none
		User       string `json:"user"`
		PasswordAt string `json:"password_at"`
		Breaks     bool   `json:"breaks"`
		Way        string `json:"way"` // oauth, connector, direct-send, hve, none
		Reason     string `json:"reason"`
		Command    string `json:"command"`
	}
	// jsonProblem is a file or directory not read whole: kind is unreadable, too-large,
	// too-deep, symlink-loop, malformed or timeout.
	jsonProblem struct {
		Path   string `json:"path"`
		Kind   string `json:"kind"`
		Detail string `json:"detail"`
	}
)

// renderJSON writes the inventory as its contract.
func (inv Inventory) renderJSON(w io.Writer) error {
	m := inv.Machine
	if m == nil {
		return fmt.Errorf("report: no inventory to render")
	}
	out := jsonInventory{
		SchemaVersion: probe.SchemaVersion, Tool: "exoprobe", Version: inv.Version, Mode: ModeInventory,
		Started: inv.Started.UTC().Format(time.RFC3339), DurationMS: inv.Duration.Milliseconds(),
		Verdict: string(inv.Verdict()),
		Machine: &jsonInventoryMachine{
			Status: string(m.Status()), Summary: machineSummary(m), Paths: stringsOf(m.Paths), DefaultPaths: m.Defaults,
			FilesRead: m.FilesRead, DirsWalked: m.DirsWalked, MaxFileBytes: m.MaxFileSize, MaxDepth: m.MaxDepth,
			Incomplete: m.Incomplete, DurationMS: m.Duration.Milliseconds(), Breaking: m.Breaking(),
			Rows: make([]jsonInventoryRow, 0, len(m.Rows)), Problems: make([]jsonProblem, 0, len(m.Problems)),
			ProblemsLeftOut: m.ProblemsLeftOut,
		},
	}
	if t := inv.Ticket; t != nil {
		out.CommandLine = t.CommandLine
		out.Environment = toJSONEnvironment(t.Environment)
		code := t.ExitCode
		out.ExitCode = &code
	}
	for _, r := range m.Rows {
		out.Machine.Rows = append(out.Machine.Rows, jsonInventoryRow{
			File: r.File, Line: r.Line, Format: string(r.Format), Setting: r.Setting, Host: r.Host, Port: r.Port,
			Cloud: r.Cloud, Endpoint: string(r.Endpoint), Auth: string(r.Auth), User: r.User, PasswordAt: r.PasswordAt,
			Breaks: r.Breaks, Way: string(r.Way), Reason: r.Reason, Command: r.Command,
		})
	}
	for _, p := range m.Problems {
		out.Machine.Problems = append(out.Machine.Problems, jsonProblem{Path: p.Path, Kind: string(p.Kind), Detail: p.Detail})
	}
	return encode(w, out)
}

// ModeInventory is the mode of an inventory report.
const ModeInventory = "inventory"
