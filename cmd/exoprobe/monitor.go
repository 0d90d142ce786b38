package main

import (
	"errors"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/report"
)

// What a monitoring system needs of a run: -o nagios (the output of a monitoring plugin, with
// thresholds on the days a certificate has left) and --prom-file (a file for node_exporter's or
// windows_exporter's textfile collector). Only the commands that probe register them.

// monitorOptions are the monitoring flags of a command that probes.
type monitorOptions struct {
	// registered is set by registerMonitor: -o nagios is refused by the other commands.
	registered                 bool
	warnCertDays, critCertDays int
	promFile                   string
}

// outputUsage is the help line of -o on a command that probes.
const outputUsage = "report format: text, json, markdown, or nagios (a monitoring plugin's output: state, cause, performance data; exit code 0-3)"

// registerMonitor adds -o nagios, the certificate thresholds and --prom-file to a command that
// probes; register (or registerOffline) must have added -o first.
func (o *outputOptions) registerMonitor(fs *pflag.FlagSet) {
	o.registerNagios(fs, outputUsage)
	fs.IntVar(&o.monitor.warnCertDays, "warn-cert-days", report.DefaultWarnCertDays,
		"-o nagios: WARNING when a certificate the run sees (server, client, the app's) or the sending app's client secret has fewer days left")
	fs.IntVar(&o.monitor.critCertDays, "crit-cert-days", report.DefaultCritCertDays,
		"-o nagios: CRITICAL when a certificate or client secret the run sees has fewer days left")
	o.registerPromFile(fs, "also write the run's metrics to `FILE.prom` for node_exporter's or windows_exporter's textfile collector (atomically)")
}

// registerNagios offers -o nagios, with usage as -o's help line; -o must be registered.
// Without registerMonitor's thresholds (inventory, which sees no certificate) they are 0.
func (o *outputOptions) registerNagios(fs *pflag.FlagSet, usage string) {
	o.monitor.registered = true
	if f := fs.Lookup("output"); f != nil {
		f.Usage = usage
	}
}

// registerPromFile adds --prom-file with its help line.
func (o *outputOptions) registerPromFile(fs *pflag.FlagSet, usage string) {
	fs.StringVar(&o.monitor.promFile, "prom-file", "", usage)
}

// nagiosOptions checks the thresholds: whole days, the critical one no higher than the warning.
func (m *monitorOptions) nagiosOptions() (report.NagiosOptions, error) {
	o := report.NagiosOptions{WarnCertDays: m.warnCertDays, CritCertDays: m.critCertDays}
	if o.WarnCertDays < 0 || o.CritCertDays < 0 {
		return o, usagef("--warn-cert-days and --crit-cert-days are days left: give 0 or more")
	}
	if o.CritCertDays > o.WarnCertDays {
		return o, usagef("--crit-cert-days %d is more than --warn-cert-days %d: the critical threshold comes after the warning one", o.CritCertDays, o.WarnCertDays)
	}
	return o, nil
}

// promExt is the extension the textfile collectors read; other files in their directory are
// ignored, which is also why the temporary file has another.
const promExt = ".prom"

// openPromFile checks --prom-file before the run: a name ending in .prom, and a file that can
// be written. It returns nil when --prom-file was not given. The metrics are readable by all
// (0644): the exporter runs as its own user, and they hold no secret; the temporary file does
// not end in .prom, so that a collector never reads half of it.
func openPromFile(path string) (*outFile, error) {
	if path == "" {
		return nil, nil
	}
	if !strings.EqualFold(filepath.Ext(path), promExt) {
		return nil, usagef("--prom-file %s: the name must end in .prom: the textfile collectors of node_exporter and windows_exporter read only those", path)
	}
	f := &outFile{flag: "--prom-file", what: "the metrics", kind: "metrics", path: path, output: report.OutputPrometheus, mode: 0o644}
	if err := f.check(".prom"); err != nil {
		return nil, err
	}
	return f, nil
}

// nagiosRequested reports whether the arguments ask for -o nagios (the last -o counts, as for
// pflag), so that a command that cannot run still answers as a monitoring plugin does (UNKNOWN,
// and why), even when its flags could not be read.
func nagiosRequested(args []string) bool {
	last := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			i = len(args)
		case a == "-o" || a == "--output":
			if i+1 < len(args) {
				last = args[i+1]
				i++
			}
		case strings.HasPrefix(a, "--output="):
			last = strings.TrimPrefix(a, "--output=")
		case strings.HasPrefix(a, "-o"):
			last = strings.TrimPrefix(strings.TrimPrefix(a, "-o"), "=")
		}
	}
	o, err := report.ParseOutput(last)
	return err == nil && o == report.OutputNagios
}

// errNagiosElsewhere refuses -o nagios on a command that does not probe.
var errNagiosElsewhere = errors.New("-o nagios is the output of the commands that probe (relay, direct, submit, connector, site, ip, cert, inventory, demo)")
