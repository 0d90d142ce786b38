package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// The JSON contract (DESIGN.md "JSON report"), defined here and nowhere else: the probe's types
// carry no json tags, so that a field added to them for the probe's own use never reaches the
// JSON by accident. These types pin every key, its spelling and its order: snake_case keys,
// durations as _ms integers, the start time in RFC 3339 UTC, a schema_version, and every list []
// and every facts object {} even where the report holds nil. Keys hold plain strings and
// numbers, not the probe's named types, so that a method added to one of those cannot change
// the output. Change them only on purpose, with probe.SchemaVersion and the golden files under
// testdata/ (go test ./report -update). The values of facts are the one free-form part: each is
// encoded as its own type encodes.
type (
	// jsonReport is the report of a run. Connector is there only for a connector pre-flight.
	// command_line, environment, inputs and exit_code come from the report.Ticket that every
	// command passes; they are left out only when a report is rendered without one (tests).
	jsonReport struct {
		SchemaVersion int    `json:"schema_version"`
		Tool          string `json:"tool"`
		Version       string `json:"version"`
		Mode          string `json:"mode"`
		// CommandLine is the command as typed, quoted for a shell, secrets replaced.
		CommandLine string           `json:"command_line,omitempty"`
		Started     string           `json:"started"`
		DurationMS  int64            `json:"duration_ms"`
		Environment *jsonEnvironment `json:"environment,omitempty"`
		Inputs      *jsonInputs      `json:"inputs,omitempty"`
		Target      jsonTarget       `json:"target"`
		Verdict     string           `json:"verdict"`
		Interrupted bool             `json:"interrupted"` // stopped (Ctrl-C) before every check concluded
		RootCause   *jsonRootCause   `json:"root_cause"`
		// ExitCode is the process's exit code: 0 pass, 1 warnings, 2 a failure, 3 could not run.
		ExitCode   *int           `json:"exit_code,omitempty"`
		Checks     []jsonCheck    `json:"checks"`
		Transcript []jsonLine     `json:"transcript"`
		Connector  *jsonConnector `json:"connector,omitempty"`
	}
	// jsonEnvironment is the machine the run was made on.
	jsonEnvironment struct {
		OS      string `json:"os"`      // runtime.GOOS: windows, linux, darwin
		Arch    string `json:"arch"`    // runtime.GOARCH: amd64, arm64
		Machine string `json:"machine"` // the host name; "" when the system would not say
		// TimeZone is the local zone's abbreviation at the start ("CET"), UTCOffset its
		// offset from UTC then ("+01:00"); started itself is in UTC.
		TimeZone  string `json:"time_zone"`
		UTCOffset string `json:"utc_offset"`
		// ProxyConfigured is true when HTTPS_PROXY, HTTP_PROXY or ALL_PROXY (in either case) is
		// set; Proxy lists every proxy variable set, NO_PROXY included, [] for none.
		ProxyConfigured bool        `json:"proxy_configured"`
		Proxy           []jsonProxy `json:"proxy"`
	}
	// jsonProxy is a proxy variable set in the environment. value is a proxy URL cut down to
	// scheme://host:port (never its user name, password, path or query), or NO_PROXY's hosts.
	jsonProxy struct {
		Variable string `json:"variable"`
		Value    string `json:"value"`
	}
	// jsonInputs are the values the run used, defaults filled in (the domain from --from, the
	// port); a key is there only when its value is set. to and expect_ip are lists; port a
	// number; certificate the file of the client or app certificate; connector_name the name
	// of the connector a pre-flight plans; send is there for the commands that can send.
	jsonInputs struct {
		From          string   `json:"from,omitempty"`
		To            []string `json:"to,omitempty"`
		Domain        string   `json:"domain,omitempty"`
		Host          string   `json:"host,omitempty"`
		Port          int      `json:"port,omitempty"`
		SubmitHost    string   `json:"submit_host,omitempty"`
		SubmitPort    int      `json:"submit_port,omitempty"`
		ExpectIP      []string `json:"expect_ip,omitempty"`
		PublicIP      string   `json:"public_ip,omitempty"`
		Certificate   string   `json:"certificate,omitempty"`
		CertDomain    string   `json:"cert_domain,omitempty"`
		ConnectorName string   `json:"connector_name,omitempty"`
		User          string   `json:"user,omitempty"`
		Auth          string   `json:"auth,omitempty"`
		Tenant        string   `json:"tenant,omitempty"`
		ClientID      string   `json:"client_id,omitempty"`
		ReaderID      string   `json:"reader_id,omitempty"`
		Cloud         string   `json:"cloud,omitempty"`
		Resolver      string   `json:"resolver,omitempty"`
		Helo          string   `json:"helo,omitempty"`
		Send          *bool    `json:"send,omitempty"`
		Skip          []string `json:"skip,omitempty"`
	}
	// jsonRootCause names the finding the verdict names: its check, its code and its hint's id
	// ("" when it has none); null when the verdict is pass or skip.
	jsonRootCause struct {
		Check  string `json:"check"`
		Code   string `json:"code"`
		HintID string `json:"hint_id"`
	}
	// jsonTarget is the endpoint of the run; an offline run has none and prints {}.
	jsonTarget struct {
		Domain string `json:"domain,omitempty"`
		Host   string `json:"host,omitempty"`
		Port   int    `json:"port,omitempty"`
	}
	jsonCheck struct {
		ID         string         `json:"id"`
		Status     string         `json:"status"`
		Summary    string         `json:"summary"`
		DurationMS int64          `json:"duration_ms"`
		Facts      map[string]any `json:"facts"`
		Findings   []jsonFinding  `json:"findings"`
	}
	// jsonFinding is a finding as the contract shows it: severity, code, message and the hint.
	// What else the probe keeps on a finding stays out.
	jsonFinding struct {
		Severity string    `json:"severity"`
		Code     string    `json:"code"`
		Message  string    `json:"message"`
		Hint     *jsonHint `json:"hint,omitempty"`
	}
	jsonHint struct {
		ID    string     `json:"id"`
		Title string     `json:"title"`
		Cause string     `json:"cause"`
		Fix   []jsonStep `json:"fix"`
		Docs  []string   `json:"docs"`
	}
	// jsonStep is one fix step: text to read, and the command to paste into its shell, which
	// holds nothing but commands (one a line) and is left out when the step has none.
	jsonStep struct {
		Text    string `json:"text"`
		Command string `json:"command,omitempty"`
	}
	// jsonLine is a transcript line: dir is S (server), C (exoprobe) or * (a note).
	jsonLine struct {
		Dir  string `json:"dir"`
		Line string `json:"line"`
	}
	// jsonConnector is the connector a pre-flight planned, the PowerShell for it and the
	// settings for the sending application.
	jsonConnector struct {
		Name        string          `json:"name"`
		Kind        string          `json:"kind"`
		Domain      string          `json:"domain"`
		SenderIPs   []string        `json:"sender_ip_addresses"`
		CertDomain  string          `json:"tls_sender_certificate_name,omitempty"`
		SmartHost   string          `json:"smart_host"`
		Port        int             `json:"port"`
		Ready       bool            `json:"ready"`
		Existing    string          `json:"existing,omitempty"` // the tenant's connector that recognises the site already (--tenant-check)
		MustChange  []string        `json:"must_change"`
		LookAt      []string        `json:"look_at"`
		PowerShell  connectorScript `json:"powershell"`
		Application []appSetting    `json:"application"`
	}
	// connectorScript is the PowerShell for a planned connector: connect, create, update an
	// existing connector, and check the result. The text and Markdown formats print it too.
	connectorScript struct {
		Connect string `json:"connect"`
		Create  string `json:"create"`
		Update  string `json:"update"`
		Check   string `json:"check"`
	}
	// appSetting is one setting to type into the sending application or device. The text and
	// Markdown formats print it too.
	appSetting struct {
		Setting string `json:"setting"`
		Value   string `json:"value"`
	}
	// jsonExplain is `explain -o json`: the input and the matches, best first.
	jsonExplain struct {
		Input   string      `json:"input"`
		Matches []jsonMatch `json:"matches"`
	}
	// jsonMatch is the hint's fields after the code; tokens only where the match has them.
	jsonMatch struct {
		Code string `json:"code"`
		jsonHint
		Tokens []string `json:"tokens,omitempty"`
	}
)

// renderJSON writes the report, and the connector of a pre-flight, as DESIGN.md's JSON report:
// two-space indent, no HTML escapes. A fact that JSON cannot encode is written as its text.
func (r Run) renderJSON(w io.Writer) error {
	if r.Report == nil {
		return fmt.Errorf("report: no report to render")
	}
	out := toJSONReport(r.Report)
	if r.Connector != nil {
		out.Connector = toJSONConnector(r.Connector)
	}
	if t := r.Ticket; t != nil {
		out.CommandLine = t.CommandLine
		out.Environment = toJSONEnvironment(t.Environment)
		out.Inputs = toJSONInputs(t.Inputs)
		code := t.ExitCode
		out.ExitCode = &code
	}
	return encodeReport(w, &out)
}

// toJSONEnvironment lays out the machine of the run, with [] for no proxy.
func toJSONEnvironment(e Environment) *jsonEnvironment {
	out := &jsonEnvironment{
		OS: e.OS, Arch: e.Arch, Machine: e.Machine, TimeZone: e.TimeZone, UTCOffset: utcOffset(e.UTCOffset),
		ProxyConfigured: e.ProxyConfigured(), Proxy: make([]jsonProxy, 0, len(e.Proxies)),
	}
	for _, p := range e.Proxies {
		out.Proxy = append(out.Proxy, jsonProxy{Variable: p.Name, Value: p.Value})
	}
	return out
}

// toJSONInputs lays out the run's inputs; empty lists are left out with the other unset values.
func toJSONInputs(in Inputs) *jsonInputs {
	list := func(l []string) []string {
		if len(l) == 0 {
			return nil
		}
		return l
	}
	return &jsonInputs{
		From: in.From, To: list(in.To), Domain: in.Domain, Host: in.Host, Port: in.Port,
		SubmitHost: in.SubmitHost, SubmitPort: in.SubmitPort,
		ExpectIP: list(in.ExpectIP), PublicIP: in.PublicIP, Certificate: in.Certificate, CertDomain: in.CertDomain,
		ConnectorName: in.Name, User: in.User, Auth: in.Auth, Tenant: in.Tenant, ClientID: in.ClientID, ReaderID: in.ReaderID,
		Cloud: in.Cloud, Resolver: in.Resolver, Helo: in.Helo, Send: in.Send, Skip: list(in.Skip),
	}
}

// toJSONRootCause is the root cause the report's verdict names, nil for none.
func toJSONRootCause(rep *probe.Report) *jsonRootCause {
	f, ok := rootCause(rep)
	if !ok {
		return nil
	}
	out := &jsonRootCause{Check: string(f.Check), Code: string(f.Code)}
	if f.Hint != nil {
		out.HintID = f.Hint.ID
	}
	return out
}

// toJSONReport lays a report out as the JSON contract.
func toJSONReport(rep *probe.Report) jsonReport {
	out := jsonReport{
		SchemaVersion: rep.SchemaVersion,
		Tool:          rep.Tool,
		Version:       rep.Version,
		Mode:          string(rep.Mode),
		Started:       rep.Started.UTC().Format(time.RFC3339),
		DurationMS:    rep.DurationMS,
		Target:        jsonTarget{Domain: rep.Target.Domain, Host: rep.Target.Host, Port: rep.Target.Port},
		Verdict:       string(verdictOf(rep)),
		Interrupted:   rep.Interrupted,
		Checks:        make([]jsonCheck, 0, len(rep.Checks)),
		Transcript:    toJSONTranscript(rep.Transcript),
	}
	if out.SchemaVersion == 0 {
		out.SchemaVersion = probe.SchemaVersion
	}
	if out.Tool == "" {
		out.Tool = "exoprobe"
	}
	out.RootCause = toJSONRootCause(rep)
	for _, c := range checks(rep) {
		jc := jsonCheck{
			ID: string(c.ID), Status: string(c.Status), Summary: c.Summary, DurationMS: c.DurationMS,
			Facts:    make(map[string]any, len(c.Facts)),
			Findings: make([]jsonFinding, 0, len(c.Findings)),
		}
		maps.Copy(jc.Facts, c.Facts)
		for _, f := range c.Findings {
			jf := jsonFinding{Severity: string(f.Severity), Code: string(f.Code), Message: f.Message}
			if f.Hint != nil {
				h := toJSONHint(*f.Hint)
				jf.Hint = &h
			}
			jc.Findings = append(jc.Findings, jf)
		}
		out.Checks = append(out.Checks, jc)
	}
	return out
}

// toJSONTranscript is the transcript with credentials removed (safeTranscript), never nil.
func toJSONTranscript(lines []check.Line) []jsonLine {
	safe := safeTranscript(lines)
	out := make([]jsonLine, 0, len(safe))
	for _, l := range safe {
		out = append(out, jsonLine{Dir: l.Dir, Line: l.Line})
	}
	return out
}

// toJSONConnector lays out the plan with its PowerShell and the application's settings.
func toJSONConnector(plan *probe.ConnectorPlan) *jsonConnector {
	return &jsonConnector{
		Name: plan.Name, Kind: plan.Kind, Domain: plan.Domain,
		SenderIPs: stringsOf(plan.SenderIPs), CertDomain: plan.CertDomain,
		SmartHost: plan.SmartHost, Port: plan.Port, Ready: plan.Ready, Existing: plan.Existing,
		MustChange: stringsOf(plan.MustChange), LookAt: stringsOf(plan.LookAt),
		PowerShell: connectorCommands(plan), Application: appSettings(plan),
	}
}

// encodeReport writes out. A fact that JSON cannot encode (a channel, a NaN) must not sink the
// report: then each fact is encoded alone, and the ones that fail are written as their text.
func encodeReport(w io.Writer, out *jsonReport) error {
	err := encode(w, out)
	var enc *encodeError
	if !errors.As(err, &enc) {
		return err
	}
	for _, c := range out.Checks {
		for k, v := range c.Facts {
			c.Facts[k] = factJSON(v)
		}
	}
	return encode(w, out)
}

// toJSONHint copies a hint with [] in place of nil lists.
func toJSONHint(h check.Hint) jsonHint {
	fix := make([]jsonStep, 0, len(h.Fix))
	for _, s := range h.Fix {
		fix = append(fix, jsonStep{Text: s.Text, Command: s.Command})
	}
	return jsonHint{ID: h.ID, Title: h.Title, Cause: h.Cause, Fix: fix, Docs: stringsOf(h.Docs)}
}

// renderJSON writes `explain -o json`: the input and the matches, best first.
func (e Explanation) renderJSON(w io.Writer) error {
	out := jsonExplain{Input: e.safeInput(), Matches: make([]jsonMatch, 0, len(e.Matches))}
	for _, m := range e.Matches {
		out.Matches = append(out.Matches, jsonMatch{Code: string(m.Code), jsonHint: toJSONHint(m.Hint), Tokens: m.Tokens})
	}
	return encode(w, out)
}

// stringsOf copies a list of strings, or of string-typed values such as codes, as the contract
// holds it: [] rather than null for none.
func stringsOf[S ~string](list []S) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, string(s))
	}
	return out
}

// encode writes v as indented JSON; replies hold < and > and & (<CRLF>, <user@host>), which
// stay readable rather than \u003c. Control and format characters that encoding/json leaves
// as they are (DEL, C1 controls such as the 8-bit CSI, bidi overrides) are escaped too, so
// that the JSON is as safe to cat on a terminal as the text format.
func encode(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return &encodeError{err}
	}
	if _, err := w.Write(escapeInvisible(buf.Bytes())); err != nil {
		return fmt.Errorf("report: writing JSON: %w", err)
	}
	return nil
}

// encodeError is a value that JSON cannot encode; nothing has been written when it is returned.
type encodeError struct{ err error }

func (e *encodeError) Error() string { return "report: encoding JSON: " + e.err.Error() }
func (e *encodeError) Unwrap() error { return e.err }

// escapeInvisible rewrites the control and format characters left in encoded JSON as \u
// escapes. Outside strings JSON holds only ASCII punctuation, digits, letters and blanks, so
// every such character is inside a string, where an escape means the same.
func escapeInvisible(b []byte) []byte {
	if isPlainASCII(string(b)) || !bytes.ContainsFunc(b, invisible) {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if invisible(r) {
			if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
				out = fmt.Appendf(out, `\u%04x\u%04x`, r1, r2)
			} else {
				out = fmt.Appendf(out, `\u%04x`, r)
			}
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

// invisible reports a rune that clean escapes in text output: a control or format character
// beyond what encoding/json escapes itself (it escapes below U+0020, U+2028 and U+2029).
func invisible(r rune) bool {
	return r >= 0x7f && (unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r))
}
