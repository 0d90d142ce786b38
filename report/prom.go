package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// The Prometheus output (--prom-file) is the text exposition format that node_exporter's and
// windows_exporter's textfile collectors read: a family per metric, each with its HELP and TYPE
// lines and its samples together, no timestamps, a newline at the end. Every label value is
// bounded: the mode, the check id, the target (the tenant's domain, or the host) and a
// finding's code, never free text from the network and never a secret.

// promDoc is a document with a Prometheus layout.
type promDoc interface {
	renderProm(w io.Writer) error
}

// The metrics, in the order a file lists them.
const (
	metricCheckStatus   = "exoprobe_check_status"
	metricCheckDuration = "exoprobe_check_duration_seconds"
	metricVerdict       = "exoprobe_verdict"
	metricRunTimestamp  = "exoprobe_run_timestamp_seconds"
	metricTLSExpiry     = "exoprobe_tls_cert_expiry_timestamp_seconds"
	metricClientExpiry  = "exoprobe_client_cert_expiry_timestamp_seconds"
	metricAppExpiry     = "exoprobe_app_credential_expiry_timestamp_seconds"
	metricSecretExpiry  = "exoprobe_app_secret_expiry_timestamp_seconds"
	metricRegCertExpiry = "exoprobe_app_registration_cert_expiry_timestamp_seconds"
	metricRootCause     = "exoprobe_root_cause_info"
)

// promFamilies are the metrics with their help, in file order; every one is a gauge.
var promFamilies = []struct{ name, help string }{
	{metricCheckStatus, "Status of one check in the last run: 0 pass, 1 warn, 2 fail, 3 skip."},
	{metricCheckDuration, "How long one check of the last run took (checks that were skipped have none)."},
	{metricVerdict, "Verdict of the last run: 0 pass, 1 warn, 2 fail, 3 skip (nothing was concluded)."},
	{metricRunTimestamp, "When the last run started, in seconds since the Unix epoch."},
	{metricTLSExpiry, "When the server's certificate seen in the last run expires, in seconds since the Unix epoch."},
	{metricClientExpiry, "When the client certificate of the last run expires, in seconds since the Unix epoch."},
	{metricAppExpiry, "When the app's certificate for OAuth expires, in seconds since the Unix epoch."},
	{metricSecretExpiry, "When the sending app's client secret that ends first expires, as its registration in Entra ID lists it, in seconds since the Unix epoch."},
	{metricRegCertExpiry, "When the sending app's certificate that ends first expires, as its registration in Entra ID lists it, in seconds since the Unix epoch."},
	{metricRootCause, "The finding code of the last run's root cause; absent when it passed."},
	{metricInventoryBreaking, "What stops sending when basic authentication for SMTP AUTH ends, per source: configurations on this machine, or sign-in groups (account and client IP) in the tenant."},
	{metricInventorySignIns, "Basic SMTP AUTH sign-ins in the tenant's sign-in logs over the inventory's window."},
	{metricInventoryMailboxes, "Mailboxes that can still sign in with SMTP AUTH, by why: enabled, inherits-enabled, inherits-unknown."},
	{metricInventoryFilesRead, "Configuration files the inventory read on this machine."},
}

// expiryMetric is the metric of each certificate's end of validity.
var expiryMetric = map[certKind]string{
	serverCert:    metricTLSExpiry,
	clientCert:    metricClientExpiry,
	appCredential: metricAppExpiry,
	entraSecret:   metricSecretExpiry,
	entraCert:     metricRegCertExpiry,
}

// promSample is one line of a family: its labels, in order, and its value.
type promSample struct {
	labels [][2]string
	value  string
}

// promFile gathers the samples of every family, written in promFamilies' order.
type promFile map[string][]promSample

func (f promFile) add(metric, value string, labels ...[2]string) {
	f[metric] = append(f[metric], promSample{labels: labels, value: value})
}

// addRun adds the samples of one run, labelled with its mode and target.
func (f promFile) addRun(rep *probe.Report, target string) {
	mode := label("mode", string(rep.Mode))
	tgt := label("target", target)
	for _, c := range checks(rep) {
		id := label("check", string(c.ID))
		f.add(metricCheckStatus, strconv.Itoa(statusValue(c.Status)), mode, id, tgt)
		if c.Status != check.Skip {
			f.add(metricCheckDuration, promFloat(float64(max(c.DurationMS, 0))/1000), mode, id, tgt)
		}
	}
	f.add(metricVerdict, strconv.Itoa(statusValue(verdictOf(rep))), mode, tgt)
	f.add(metricRunTimestamp, promTime(rep.Started), mode, tgt)
	for _, e := range certExpiries(rep) {
		f.add(expiryMetric[e.kind], promTime(e.notAfter), mode, tgt)
	}
	if rc, ok := rootCause(rep); ok {
		f.add(metricRootCause, "1", mode, tgt, label("code", codeLabel(rc.Code)))
	}
}

// write lays the families out, those without samples left out.
func (f promFile) write(w io.Writer) error {
	ew := newErrWriter(w)
	for _, fam := range promFamilies {
		samples := f[fam.name]
		if len(samples) == 0 {
			continue
		}
		ew.line("# HELP " + fam.name + " " + fam.help)
		ew.line("# TYPE " + fam.name + " gauge")
		for _, s := range samples {
			var b strings.Builder
			b.WriteString(fam.name + "{")
			for i, l := range s.labels {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(l[0] + `="` + escapeLabelValue(l[1]) + `"`)
			}
			b.WriteString("} " + s.value)
			ew.line(b.String())
		}
	}
	return ew.flush()
}

// renderProm writes the run's metrics.
func (r Run) renderProm(w io.Writer) error {
	if r.Report == nil {
		return fmt.Errorf("report: no report to render")
	}
	var in Inputs
	if r.Ticket != nil {
		in = r.Ticket.Inputs
	}
	f := promFile{}
	f.addRun(r.Report, promTarget(r.Report, in))
	return f.write(w)
}

// renderProm writes the metrics of every path's run (mode relay, direct or submit), and the
// site's own verdict and start as mode "site".
func (s Site) renderProm(w io.Writer) error {
	site := s.Site
	if site == nil {
		return fmt.Errorf("report: no site report to render")
	}
	in := Inputs{From: site.From, Domain: site.Domain}
	f := promFile{}
	for _, p := range site.Paths {
		if p.Report != nil {
			f.addRun(p.Report, promTarget(p.Report, in))
		}
	}
	mode, tgt := label("mode", string(check.ModeSite)), label("target", boundedLabel(site.Domain))
	f.add(metricVerdict, strconv.Itoa(statusValue(site.Verdict)), mode, tgt)
	f.add(metricRunTimestamp, promTime(site.Started), mode, tgt)
	return f.write(w)
}

// promTarget is the target label of a run: what tells one check definition from another of
// the same mode. For relay, direct and connector it is the tenant's domain (--domain, else the
// endpoint host); for submit, whose endpoint every tenant shares, the domain of --from; for
// cert the domain the certificate must name; for ip, nothing.
func promTarget(rep *probe.Report, in Inputs) string {
	switch rep.Mode {
	case check.ModeSubmit:
		if i := strings.LastIndexByte(in.From, '@'); i >= 0 {
			return boundedLabel(strings.ToLower(in.From[i+1:]))
		}
	case check.ModeCert:
		return boundedLabel(firstOf(in.CertDomain, in.Domain))
	}
	return boundedLabel(firstOf(rep.Target.Domain, rep.Target.Host))
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// statusValue is a status as a sample: 0 pass, 1 warn, 2 fail, 3 skip (or none).
func statusValue(s check.Status) int {
	switch s {
	case check.Pass:
		return 0
	case check.Warn:
		return 1
	case check.Fail:
		return 2
	}
	return 3
}

func label(name, value string) [2]string { return [2]string{name, value} }

// promFloat is a value as the exposition format writes a float.
func promFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// promTime is a time in seconds since the Unix epoch, to the millisecond.
func promTime(t time.Time) string { return promFloat(float64(t.UnixMilli()) / 1000) }

// maxLabelLen bounds a label value: a DNS name is at most 253 characters.
const maxLabelLen = 253

// boundedLabel keeps a host or domain name as a label value: the characters of a name, an IPv6
// address or a wildcard, at most maxLabelLen of them; anything else is replaced with '_'.
func boundedLabel(s string) string {
	b := []byte(s)
	if len(b) > maxLabelLen {
		b = b[:maxLabelLen]
	}
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '.', c == '-', c == '_', c == ':', c == '*', c == '[', c == ']':
		default:
			b[i] = '_'
		}
	}
	return string(b)
}

// codeLabel is a finding's code as a label value: the codes are short tokens ("5.7.64",
// "AADSTS7000215", "port-filtered"); one that is not is shown as "other".
func codeLabel(c check.Code) string {
	s := string(c)
	if s == "" || len(s) > 64 {
		return "other"
	}
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9', ch == '.', ch == '-', ch == '_':
		default:
			return "other"
		}
	}
	return s
}

// escapeLabelValue escapes a label value as the exposition format requires: backslash, double
// quote and line feed. The values are bounded already; this is the format's own rule.
func escapeLabelValue(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}
