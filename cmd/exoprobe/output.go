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

func (o *outputOptions) register(fs *pflag.FlagSet) {
	fs.StringVarP(&o.format, "output", "o", "text", "report format: text, json or markdown")
	fs.BoolVar(&o.noColor, "no-color", false, "no colour in text output (also: NO_COLOR set in the environment)")
	fs.BoolVar(&o.transcript, "transcript", false, "show the SMTP conversation (AUTH redacted) in text output")
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "log what the probe does to stderr")
}

// renderer is the chosen output for one run.
type renderer struct {
	format report.Format
	text   report.TextOptions
	out    io.Writer
	errw   io.Writer
	mu     sync.Mutex // guards out while checks finish concurrently
}

func (o *outputOptions) renderer(e *env) (*renderer, error) {
	f, err := report.ParseFormat(o.format)
	if err != nil {
		return nil, usagef("%v", err)
	}
	color := !o.noColor && e.getenv("NO_COLOR") == "" && e.isTerminal(e.stdout)
	return &renderer{
		format: f,
		text:   report.TextOptions{Color: color, Transcript: o.transcript, Verbose: o.verbose},
		out:    e.stdout,
		errw:   e.stderr,
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

// progress is the OnCheck hook: in text format, one line per check as it finishes.
func (r *renderer) progress(res *check.Result) {
	if r.format != report.FormatText {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	report.Progress(r.out, res, r.text)
}

// report writes the finished report and returns the exit code for its verdict.
func (r *renderer) report(rep *probe.Report) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var err error
	switch r.format {
	case report.FormatJSON:
		err = report.JSON(r.out, rep)
	case report.FormatMarkdown:
		err = report.Markdown(r.out, rep)
	default:
		err = report.Text(r.out, rep, r.text)
	}
	if err != nil {
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
