package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// withCerts is rep with the certificates a run records: the server's (the tls check's
// not_after, a time), a client certificate (the clientcert check's, RFC 3339 text) and the
// app's (the oauth check's cert_not_after), each ending the given days after the run started.
func withCerts(rep *probe.Report, server, client, app float64) *probe.Report {
	at := func(days float64) time.Time {
		return rep.Started.Add(time.Duration(days * 24 * float64(time.Hour))).UTC()
	}
	set := func(id check.ID, fact string, v any) {
		for _, c := range rep.Checks {
			if c.ID == id {
				c.Facts[fact] = v
				return
			}
		}
		rep.Checks = append(rep.Checks, result(string(id), check.Pass, 2, "", check.Facts{fact: v}))
	}
	if server != 0 {
		set(check.TLS, "not_after", at(server))
	}
	if client != 0 {
		set(check.ClientCert, "not_after", at(client).Format(time.RFC3339))
	}
	if app != 0 {
		set(check.OAuth, "cert_not_after", at(app).Format(time.RFC3339))
	}
	return rep
}

func renderNagios(t *testing.T, doc Doc, o NagiosOptions) string {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, Format{Output: OutputNagios, Nagios: o}, doc); err != nil {
		t.Fatalf("Render(nagios): %v", err)
	}
	return b.String()
}

var defaultThresholds = NagiosOptions{WarnCertDays: DefaultWarnCertDays, CritCertDays: DefaultCritCertDays}

func TestGoldenMonitoring(t *testing.T) {
	reports := []struct {
		name string
		rep  func() *probe.Report
	}{
		{"relay-pass", func() *probe.Report { return withCerts(relayPass(), 187.2, 0, 0) }},
		{"relay-5.7.64", relayTenantAttribution},
		{"direct-port-filtered", directFiltered},
		{"submit-warn", func() *probe.Report { return withCerts(submitWarn(), 90.5, 0, 12.5) }},
	}
	ticket := &Ticket{Inputs: Inputs{From: "scanner@contoso.com", Domain: "contoso.com"}}
	for _, r := range reports {
		t.Run(r.name, func(t *testing.T) {
			golden(t, r.name+".nagios.txt", []byte(renderNagios(t, Run{Report: r.rep()}, defaultThresholds)))
			var b bytes.Buffer
			if err := Render(&b, Format{Output: OutputPrometheus}, Run{Report: r.rep(), Ticket: ticket}); err != nil {
				t.Fatalf("Render(prometheus): %v", err)
			}
			golden(t, r.name+".prom", b.Bytes())
		})
	}
}

func TestNagiosCertThresholds(t *testing.T) {
	tests := []struct {
		name                string
		server, client, app float64 // days left when the run started; 0 for no such certificate
		o                   NagiosOptions
		verdict             check.Status
		wantState           check.Status
		wantFirst           []string // on the first line
		wantPerf            []string
	}{
		{"all far", 187.2, 300, 400, defaultThresholds, check.Pass, check.Pass,
			[]string{"EXOPROBE RELAY OK - "},
			[]string{"'server_cert_days'=187;30:;7:", "'client_cert_days'=300;30:;7:", "'app_credential_days'=400;30:;7:"}},
		{"server within warning", 20.9, 0, 0, defaultThresholds, check.Pass, check.Warn,
			[]string{"EXOPROBE RELAY WARNING - the server certificate expires in 20 days (warning below 30)"},
			[]string{"'server_cert_days'=20;30:;7:"}},
		{"client within critical", 187, 6.5, 0, defaultThresholds, check.Pass, check.Fail,
			[]string{"CRITICAL - the client certificate expires in 6 days (critical below 7)"},
			[]string{"'client_cert_days'=6;30:;7:"}},
		{"app credential expired", 187, 0, -2.5, defaultThresholds, check.Pass, check.Fail,
			[]string{"CRITICAL - the app's certificate expired 2 days ago"},
			[]string{"'app_credential_days'=-3;30:;7:"}},
		{"expired an hour ago is critical even at 0", 187, 0, -0.05, NagiosOptions{}, check.Pass, check.Fail,
			[]string{"CRITICAL - the app's certificate expired less than a day ago (critical below 0)"},
			[]string{"'app_credential_days'=-1;0:;0:"}},
		{"the verdict's failure outranks a warning", 20, 0, 0, defaultThresholds, check.Fail, check.Fail,
			[]string{"CRITICAL - Relay refused"}, []string{"'server_cert_days'=20;30:;7:"}},
		{"a critical certificate outranks the verdict's warning", 3, 0, 0, defaultThresholds, check.Warn, check.Fail,
			[]string{"CRITICAL - the server certificate expires in 3 days (critical below 7)"}, nil},
		{"custom thresholds", 45, 0, 0, NagiosOptions{WarnCertDays: 60, CritCertDays: 14}, check.Pass, check.Warn,
			[]string{"WARNING - the server certificate expires in 45 days (warning below 60)"},
			[]string{"'server_cert_days'=45;60:;14:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rep *probe.Report
			switch tt.verdict {
			case check.Pass:
				rep = relayPass()
			case check.Warn:
				rep = submitWarn()
			default:
				rep = relayTenantAttribution()
			}
			if rep.Verdict != tt.verdict {
				t.Fatalf("the case's report has the verdict %s; want %s", rep.Verdict, tt.verdict)
			}
			rep = withCerts(rep, tt.server, tt.client, tt.app)
			run := Run{Report: rep}
			if got := run.NagiosStatus(tt.o); got != tt.wantState {
				t.Errorf("NagiosStatus = %s; want %s", got, tt.wantState)
			}
			out := renderNagios(t, run, tt.o)
			first, _, _ := strings.Cut(out, "\n")
			text, perf, ok := strings.Cut(first, " | ")
			if !ok {
				t.Fatalf("first line has no performance data: %q", first)
			}
			for _, w := range tt.wantFirst {
				if !strings.Contains(text, w) && !strings.Contains(first, w) {
					t.Errorf("first line %q; want it to contain %q", first, w)
				}
			}
			for _, w := range tt.wantPerf {
				if !strings.Contains(" "+perf+" ", " "+w+" ") {
					t.Errorf("performance data %q; want the token %s", perf, w)
				}
			}
			if tt.wantState != check.Pass && tt.wantState != tt.verdict && !strings.Contains(out, "\n"+tag(tt.wantState)+" the ") {
				t.Errorf("long output names no certificate that crossed a threshold:\n%s", out)
			}
		})
	}
}

func TestNagiosText(t *testing.T) {
	rep := relayTenantAttribution()
	// A hostile server's reply: a '|' would start performance data, a line break a new line.
	for _, c := range rep.Checks {
		if c.ID == check.Send {
			c.Summary = "RCPT refused: 550 5.7.64 a|b\r\nEXOPROBE RELAY OK - fake | 'x'=1 " + strings.Repeat("long ", 100)
		}
	}
	out := renderNagios(t, Run{Report: rep}, defaultThresholds)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if n := strings.Count(lines[0], "|"); n != 1 {
		t.Errorf("first line has %d '|'; want 1: %q", n, lines[0])
	}
	for _, l := range lines[1:] {
		if strings.Contains(l, "|") {
			t.Errorf("long output line holds a '|', which would start performance data: %q", l)
		}
		if n := len([]rune(l)); n > nagiosLineMax+len("FAIL ") {
			t.Errorf("long output line of %d characters; want at most %d", n, nagiosLineMax)
		}
		if strings.HasPrefix(l, "EXOPROBE") {
			t.Errorf("a server's text made a line of its own: %q", l)
		}
	}
	if len(lines) != len(rep.Checks)+1 {
		t.Errorf("%d lines; want the first and one per check (%d):\n%s", len(lines), len(rep.Checks), out)
	}
}

func TestNagiosInterrupted(t *testing.T) {
	rep := relayPass()
	rep.Checks[len(rep.Checks)-1] = probe.InterruptedCheck(check.Send)
	rep.MarkInterrupted()
	first, _, _ := strings.Cut(renderNagios(t, Run{Report: rep}, defaultThresholds), "\n")
	if !strings.HasPrefix(first, "EXOPROBE RELAY UNKNOWN - Interrupted") {
		t.Errorf("first line %q; want UNKNOWN, interrupted", first)
	}
}

func TestNagiosCouldNotRun(t *testing.T) {
	var b bytes.Buffer
	if err := NagiosCouldNotRun(&b, check.ModeSubmit, "--from is required\nand | more"); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "EXOPROBE SUBMIT UNKNOWN - --from is required\\x0aand / more\n"; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
}

func TestNagiosOnlyForRunsAndSites(t *testing.T) {
	var b bytes.Buffer
	if err := Render(&b, Format{Output: OutputNagios}, Explanation{Input: "550 5.7.64"}); err == nil {
		t.Error("an explanation rendered as plugin output; want an error")
	}
	if err := Render(&b, Format{Output: OutputNagios}, Progress{Check: relayPass().Checks[0]}); err != nil || b.Len() != 0 {
		t.Errorf("a progress line in plugin output wrote %q (%v); want nothing", b.String(), err)
	}
}

func TestParseOutputNagios(t *testing.T) {
	for _, s := range []string{"nagios", "NAGIOS", " nagios "} {
		if o, err := ParseOutput(s); err != nil || o != OutputNagios {
			t.Errorf("ParseOutput(%q) = %q, %v; want nagios", s, o, err)
		}
	}
	if _, err := ParseOutput("prometheus"); err == nil {
		t.Error("ParseOutput(prometheus) succeeded; the metrics go to --prom-file only")
	}
}

// parseProm parses a textfile as node_exporter does, with Prometheus' own parser.
func parseProm(t *testing.T, text string) map[string][]promSeries {
	t.Helper()
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("Prometheus' parser refuses the file: %v\n%s", err, text)
	}
	out := map[string][]promSeries{}
	for name, f := range fams {
		if f.GetType().String() != "GAUGE" {
			t.Errorf("%s is a %s; want a gauge", name, f.GetType())
		}
		if f.GetHelp() == "" {
			t.Errorf("%s has no HELP", name)
		}
		for _, m := range f.GetMetric() {
			s := promSeries{labels: map[string]string{}, value: m.GetGauge().GetValue()}
			for _, l := range m.GetLabel() {
				s.labels[l.GetName()] = l.GetValue()
			}
			out[name] = append(out[name], s)
		}
	}
	return out
}

type promSeries struct {
	labels map[string]string
	value  float64
}

// findSeries returns the value of the series of metric whose labels include want.
func findSeries(series map[string][]promSeries, metric string, want map[string]string) (float64, bool) {
	for _, s := range series[metric] {
		match := true
		for k, v := range want {
			if s.labels[k] != v {
				match = false
			}
		}
		if match {
			return s.value, true
		}
	}
	return 0, false
}

func TestPromRun(t *testing.T) {
	rep := withCerts(relayTenantAttribution(), 187, 300, 0)
	var b bytes.Buffer
	if err := Render(&b, Format{Output: OutputPrometheus}, Run{Report: rep}); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	if !strings.HasSuffix(text, "\n") {
		t.Error("the file does not end with a newline")
	}
	series := parseProm(t, text)
	relay := map[string]string{"mode": "relay", "target": "contoso.com"}
	checks := map[string]float64{"publicip": 0, "tcp": 0, "send": 2}
	for id, want := range checks {
		l := map[string]string{"mode": "relay", "target": "contoso.com", "check": id}
		if got, ok := findSeries(series, metricCheckStatus, l); !ok || got != want {
			t.Errorf("%s%v = %v (found %v); want %v", metricCheckStatus, l, got, ok, want)
		}
	}
	for _, tt := range []struct {
		metric string
		labels map[string]string
		want   float64
	}{
		{metricVerdict, relay, 2},
		{metricRunTimestamp, relay, float64(rep.Started.UnixMilli()) / 1000},
		{metricTLSExpiry, relay, float64(rep.Started.Add(187*24*time.Hour).UnixMilli()) / 1000},
		{metricClientExpiry, relay, float64(rep.Started.Add(300*24*time.Hour).UnixMilli()) / 1000},
		{metricRootCause, map[string]string{"mode": "relay", "target": "contoso.com", "code": "5.7.64"}, 1},
	} {
		if got, ok := findSeries(series, tt.metric, tt.labels); !ok || got != tt.want {
			t.Errorf("%s%v = %v (found %v); want %v", tt.metric, tt.labels, got, ok, tt.want)
		}
	}
	if _, ok := series[metricAppExpiry]; ok {
		t.Errorf("%s written for a run without an app certificate", metricAppExpiry)
	}
	for name, ss := range series {
		for _, s := range ss {
			for k, v := range s.labels {
				if k != "mode" && k != "check" && k != "target" && k != "code" {
					t.Errorf("%s has the label %s=%q; want only mode, check, target and code", name, k, v)
				}
			}
		}
	}
}

func TestPromLabelsAreBounded(t *testing.T) {
	rep := relayTenantAttribution()
	rep.Target.Domain = `evil"domain\with` + "\n" + strings.Repeat("x", 400)
	rc, ok := rootCause(rep)
	if !ok {
		t.Fatal("the case has no root cause")
	}
	rc.Code = "550 Relay {denied} for you"
	rep.RootCause = &rc
	var b bytes.Buffer
	if err := Render(&b, Format{Output: OutputPrometheus}, Run{Report: rep}); err != nil {
		t.Fatal(err)
	}
	series := parseProm(t, b.String())
	for _, s := range series[metricVerdict] {
		if tgt := s.labels["target"]; len(tgt) > maxLabelLen || strings.ContainsAny(tgt, "\"\\\n ") {
			t.Errorf("target label %q is not bounded", tgt)
		}
	}
	if got, ok := findSeries(series, metricRootCause, map[string]string{"code": "other"}); !ok || got != 1 {
		t.Errorf("a code that is not a token is not shown as other: %s", b.String())
	}
}

func TestPromTarget(t *testing.T) {
	tests := []struct {
		name string
		mode check.Mode
		tgt  probe.Target
		in   Inputs
		want string
	}{
		{"relay: the tenant's domain", check.ModeRelay, probe.Target{Domain: "contoso.com", Host: "contoso-com.mail.protection.outlook.com"}, Inputs{}, "contoso.com"},
		{"relay to a host alone", check.ModeRelay, probe.Target{Host: "mx.contoso.com"}, Inputs{}, "mx.contoso.com"},
		{"submit: the domain of --from", check.ModeSubmit, probe.Target{Host: "smtp.office365.com"}, Inputs{From: "App@Fabrikam.com"}, "fabrikam.com"},
		{"submit without --from", check.ModeSubmit, probe.Target{Host: "smtp.office365.com"}, Inputs{}, "smtp.office365.com"},
		{"cert: the certificate's domain", check.ModeCert, probe.Target{}, Inputs{CertDomain: "mail.contoso.com", Domain: "contoso.com"}, "mail.contoso.com"},
		{"ip: none", check.ModeIP, probe.Target{}, Inputs{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := &probe.Report{Mode: tt.mode, Target: tt.tgt}
			if got := promTarget(rep, tt.in); got != tt.want {
				t.Errorf("promTarget = %q; want %q", got, tt.want)
			}
		})
	}
}

// TestSoonestCredentials checks that the sending app's credentials, as the entra check lists
// them, give the soonest end of each kind, whether the fact is as the probe set it or as JSON
// decodes it, and that a credential without an end counts for nothing.
func TestSoonestCredentials(t *testing.T) {
	end := func(days int) string {
		return time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days).Format(time.RFC3339)
	}
	tests := []struct {
		name string
		fact any
		want map[certKind]string
	}{
		{"two secrets and a certificate", []map[string]any{
			{"kind": "client_secret", "end": end(200)},
			{"kind": "client_secret", "end": end(9)},
			{"kind": "certificate", "end": end(40)},
		}, map[certKind]string{entraSecret: end(9), entraCert: end(40)}},
		{"decoded from JSON", []any{
			map[string]any{"kind": "certificate", "end": end(-3)},
			map[string]any{"kind": "certificate", "end": end(3)},
		}, map[certKind]string{entraCert: end(-3)}},
		{"a credential without an end", []map[string]any{{"kind": "client_secret"}}, map[certKind]string{}},
		{"an unknown kind", []map[string]any{{"kind": "federated", "end": end(1)}}, map[certKind]string{}},
		{"no fact", nil, map[certKind]string{}},
		{"a fact of another shape", "soon", map[certKind]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[certKind]string{}
			for _, e := range soonestCredentials(tt.fact) {
				got[e.kind] = e.notAfter.Format(time.RFC3339)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v; want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("kind %d ends %s; want %s", k, got[k], v)
				}
			}
		})
	}
}
