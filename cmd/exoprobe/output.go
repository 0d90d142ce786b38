package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/report"
)

// outputOptions are the flags every reporting command shares; report is --report, which only
// the commands that report a run register (registerReport).
type outputOptions struct {
	format     string
	noColor    bool
	transcript bool
	verbose    bool
	report     string
	// monitor holds -o nagios's thresholds and --prom-file, for the commands that probe.
	monitor monitorOptions
}

// register adds the output flags of a command that holds an SMTP conversation.
func (o *outputOptions) register(fs *pflag.FlagSet) { o.registerFlags(fs, true) }

// registerOffline adds the output flags of a command that holds no SMTP conversation (cert,
// ip): --transcript would do nothing there, so it is not offered.
func (o *outputOptions) registerOffline(fs *pflag.FlagSet) { o.registerFlags(fs, false) }

func (o *outputOptions) registerFlags(fs *pflag.FlagSet, transcript bool) {
	fs.StringVarP(&o.format, "output", "o", "text", "report format: text, json or markdown")
	fs.BoolVar(&o.noColor, "no-color", false, "no colour in text output (also: NO_COLOR set in the environment)")
	if transcript {
		fs.BoolVar(&o.transcript, "transcript", false, "show the SMTP conversation (AUTH redacted) in text output")
	}
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "log what the probe does to stderr")
}

// renderer is the chosen output for one run: the screen in the format of -o, and the file of
// --report.
type renderer struct {
	format report.Format
	out    io.Writer
	errw   io.Writer
	mu     sync.Mutex // guards out while checks finish concurrently
	// status is the status line on stderr; nil unless stderr is a terminal and the output text.
	status *statusLine
	file   *outFile
	prom   *outFile // --prom-file; nil when not given
	// ticket is how the run was made, gathered when the renderer is made (before the run);
	// the command adds the inputs, report the exit code.
	ticket report.Ticket
}

// renderer makes the run's output. It checks -o and --report, so that a mistake in either is
// refused before the run.
func (o *outputOptions) renderer(e *env) (*renderer, error) {
	output, err := report.ParseOutput(o.format)
	if err != nil {
		return nil, usagef("%v", err)
	}
	if output == report.OutputNagios && !o.monitor.registered {
		return nil, usagef("%v", errNagiosElsewhere)
	}
	nagios, err := o.monitor.nagiosOptions()
	if err != nil {
		return nil, err
	}
	file, err := openReportFile(o.report)
	if err != nil {
		return nil, err
	}
	prom, err := openPromFile(o.monitor.promFile)
	if err != nil {
		return nil, err
	}
	color := !o.noColor && e.getenv("NO_COLOR") == "" && e.isTerminal(e.stdout)
	r := &renderer{
		format: report.Format{
			Output: output,
			Text: report.TextOptions{
				Color: color, Transcript: o.transcript, Verbose: o.verbose, Width: e.columns(e.stdout),
			},
			Nagios: nagios,
		},
		out:    e.stdout,
		errw:   e.stderr,
		file:   file,
		prom:   prom,
		ticket: report.Ticket{CommandLine: commandLine(e), Environment: environment(e, time.Now())},
	}
	// The status line is for a person watching text come: never in JSON or Markdown, which a
	// program or a ticket reads, and not with --verbose, whose log says what happens instead.
	if output == report.OutputText && !o.verbose && e.isTerminal(e.stderr) {
		r.status = newStatusLine(e.stderr, e.columns(e.stderr), time.Now)
	}
	return r, nil
}

// hooks points the run's hooks at the renderer: its check lines and its status line.
func (r *renderer) hooks(o *probe.RunOptions) {
	o.OnCheck = r.progress
	if r.status != nil {
		o.OnStage = r.status.update
	}
}

// logf routes the probe's log to stderr with --verbose and discards it otherwise.
func (o *outputOptions) logf(e *env) check.Logf {
	if !o.verbose {
		return nil
	}
	var mu sync.Mutex
	return func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(e.stderr, "exoprobe: "+format+"\n", args...)
	}
}

// progress is the OnCheck hook: in text format, one line per check as it finishes (the other
// formats write nothing until the report).
func (r *renderer) progress(res *check.Result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	write := func() {
		// Best effort: a stdout that fails here fails the report too, and that error is reported.
		_ = report.Render(r.out, r.format, report.Progress{Check: res})
	}
	if r.status != nil {
		r.status.pause(write) // stdout and stderr may share the terminal's line
		return
	}
	write()
}

// report writes the finished report of a run (with the connector of a pre-flight) to the
// screen and, with --report, to its file, each with the run's ticket and the exit code for the
// verdict, and with --prom-file its metrics. It returns the status the exit code follows: the
// verdict, or with -o nagios the plugin's state (the verdict, raised by a certificate
// threshold that was crossed).
func (r *renderer) report(doc report.Run) (check.Status, error) {
	v := doc.Report.Verdict
	if r.format.Output == report.OutputNagios {
		v = doc.NagiosStatus(r.format.Nagios)
	}
	doc.Ticket = r.ticketFor(exitCode(v))
	if err := r.finish(doc); err != nil {
		return couldNotRun, err
	}
	return v, nil
}

// refusal writes the report of a command line refused before any check ran (a secret given as
// a flag): the process exits 3, could not run, and the report says so.
func (r *renderer) refusal(doc report.Run) error {
	doc.Ticket = r.ticketFor(exitCantRun)
	return r.finish(doc)
}

// reportSite writes the finished report of a site run as report does a run's.
func (r *renderer) reportSite(doc report.Site) (check.Status, error) {
	v := doc.Site.Verdict
	if r.format.Output == report.OutputNagios {
		v = doc.NagiosStatus(r.format.Nagios)
	}
	doc.Ticket = r.ticketFor(exitCode(v))
	if err := r.finish(doc); err != nil {
		return couldNotRun, err
	}
	return v, nil
}

// ticketFor is the run's ticket with the exit code the process ends with.
func (r *renderer) ticketFor(code int) *report.Ticket {
	t := r.ticket
	t.ExitCode = code
	return &t
}

// finish writes a finished report to the screen and, with --report, to its file, and with
// --prom-file its metrics.
func (r *renderer) finish(doc report.Doc) error {
	if err := r.render(doc); err != nil {
		return err
	}
	if r.file != nil {
		if err := r.file.write(doc); err != nil {
			return err
		}
	}
	if r.prom != nil {
		return r.prom.write(doc)
	}
	return nil
}

// render ends the status line and writes the finished document.
func (r *renderer) render(doc report.Doc) error {
	if r.status != nil {
		r.status.close()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := report.Render(r.out, r.format, doc); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// columns returns the width of the terminal f is, 0 when it is not one or its width is unknown.
func columns(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !isTerminal(f) {
		return 0
	}
	cols, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return cols
}
