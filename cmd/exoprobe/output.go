package main

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/mattn/go-isatty"
	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/report"
)

// outputOptions are the flags every reporting command shares.
type outputOptions struct {
	format     string
	noColor    bool
	transcript bool
	verbose    bool
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

// renderer is the chosen output for one run.
type renderer struct {
	format report.Format
	out    io.Writer
	errw   io.Writer
	mu     sync.Mutex // guards out while checks finish concurrently
}

func (o *outputOptions) renderer(e *env) (*renderer, error) {
	output, err := report.ParseOutput(o.format)
	if err != nil {
		return nil, usagef("%v", err)
	}
	color := !o.noColor && e.getenv("NO_COLOR") == "" && e.isTerminal(e.stdout)
	return &renderer{
		format: report.Format{
			Output: output,
			Text:   report.TextOptions{Color: color, Transcript: o.transcript, Verbose: o.verbose},
		},
		out:  e.stdout,
		errw: e.stderr,
	}, nil
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
	// Best effort: a stdout that fails here fails the report too, and that error is reported.
	_ = report.Render(r.out, r.format, report.Progress{Check: res})
}

// report writes the finished report and returns the exit code for its verdict.
func (r *renderer) report(rep *probe.Report) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := report.Render(r.out, r.format, report.Run{Report: rep}); err != nil {
		return exitCantRun, fmt.Errorf("writing the report: %w", err)
	}
	return exitCode(rep.Verdict), nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}
