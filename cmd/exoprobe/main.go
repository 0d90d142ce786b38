// Command exoprobe tells a helpdesk engineer why an application, scanner or server cannot send
// mail through Microsoft 365 / Exchange Online, and what to change.
//
// This package only parses flags, runs the probe and renders its report; the checks live in
// probe/ and the layouts in report/.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"

	"github.com/mattn/go-colorable"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/report"
)

// version is stamped at build time with -ldflags "-X main.version=..."; cmd_version.go has the
// other stamps.
var version = "0.1.0-dev"

// Exit codes, as monitoring plugins expect them.
const (
	exitPass    = 0 // every check passed
	exitWarn    = 1 // warnings only
	exitFail    = 2 // at least one failure
	exitCantRun = 3 // bad usage, bad configuration or an internal error
	// exitInterrupted is how a run stopped by Ctrl-C (SIGINT) or SIGTERM ends, whatever its
	// checks had concluded: 128 + SIGINT, as shells report it.
	exitInterrupted = 130
)

// couldNotRun is how a command ended that could not run: bad usage, bad configuration or an
// internal error. No check has this status; run gives it to a command that returned an error.
const couldNotRun check.Status = "could-not-run"

// exitCode maps how a command ended to the process exit code; the one place that decides it.
// A verdict of skip, or none (help, version, a list), is a pass.
func exitCode(v check.Status) int {
	switch v {
	case couldNotRun:
		return exitCantRun
	case check.Fail:
		return exitFail
	case check.Warn:
		return exitWarn
	}
	return exitPass
}

// usageError is a mistake on the command line; run adds a pointer to --help after the message.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{msg: fmt.Sprintf(format, args...)} }

// env is what a command needs from the process, injectable for tests.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// isTerminal reports whether w is a terminal (colour and prompts depend on it).
	isTerminal func(w io.Writer) bool
	// args are the arguments exoprobe was run with, after its own name; run sets them, and a
	// report shows them, secrets redacted (commandLine).
	args []string

	// width returns the columns of the terminal w is, 0 when it is not one or they are unknown;
	// nil means 0 for every writer. Text wraps at the width of stdout, 80 when it is 0.
	width func(w io.Writer) int
}

// columns returns the width of w as e.width says, 0 when unknown.
func (e *env) columns(w io.Writer) int {
	if e.width == nil {
		return 0
	}
	return e.width(w)
}

// command is one subcommand: run returns the verdict of what it did, or an error when it could
// not run; exitCode turns either into the exit code.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) (check.Status, error)
	// credentials is set for a command that reads credentials (or that people hand them to out
	// of habit): a secret given to it as a flag is refused with a report (refuseSecretFlag).
	// The others have no such flag, and pflag refuses it as unknown without showing its value.
	credentials bool
}

func commands() []command {
	return []command{
		{"relay", "pre-flight of an inbound connector: relay through the tenant's MX on port 25", runRelay, true},
		{"direct", "Direct Send: anonymous mail to the tenant's own mailboxes on port 25", runDirect, true},
		{"submit", "SMTP AUTH client submission on port 587 with OAuth (or a password): token, sign-in, send", runSubmit, true},
		{"site", "every path from this site side by side: relay, Direct Send and SMTP AUTH, and what blocks each", runSite, true},
		{"explain", "decode a pasted SMTP reply, NDR, log line or AADSTS error (offline)", runExplain, false},
		{"cert", "inspect a client certificate for a certificate-based connector (offline)", runCert, true},
		{"connector", "pre-flight before creating an inbound connector: verdict and the PowerShell to create it", runConnector, true},
		{"inventory", "what still sends to Microsoft 365 with a password: this machine's files, the tenant's sign-ins", runInventory, false},
		{"tenant", "read the tenant's configuration (read-only) and judge it: connectors, SMTP AUTH, the sending app", runTenant, true},
		{"ip", "detect the public IPv4 and IPv6 addresses this site sends from", runIP, false},
		{"demo", "run the real probe against the built-in Exchange Online simulator", runDemo, false},
		{"version", "print the version, the commit and how this binary was built", runVersion, false},
	}
}

// commandHelp is what a command's --help says before its flags: what it reads, its exit codes.
var commandHelp = map[string]string{
	"explain":   explainHelp,
	"inventory": inventoryHelp,
	"site":      siteUsage,
	"submit":    submitUsage,
	"tenant":    tenantUsage,
}

func usage(w io.Writer) {
	fmt.Fprintf(w, `exoprobe %s: why can't this application send mail through Microsoft 365?

Usage:
  exoprobe <command> [flags]

Commands:
`, version)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run "exoprobe <command> --help" for a command's flags.

Exit codes:
  0    every check passed
  1    warnings only
  2    at least one check failed
  3    could not run (bad usage, bad configuration, internal error)
  130  interrupted (Ctrl-C): the report of what had concluded, marked interrupted

Start with "exoprobe demo" to see a run against the built-in simulator. On a terminal,
"exoprobe" alone asks how the device sends and runs the command that tests it.
`)
}

func main() {
	// Ctrl-C or SIGTERM cancels ctx: every call of the run is bound to it, so the run ends at
	// once, and the report of what had concluded is written, marked interrupted.
	ctx, stop := signal.NotifyContext(context.Background(), interruptSignals...)
	// On Windows consoles that do not interpret ANSI escapes themselves, colorable turns the
	// colour codes into console calls; elsewhere it returns the file unchanged. Whether the
	// output is a terminal is decided on the files themselves, before the wrapping.
	stdoutTTY := isTerminal(os.Stdout)
	e := &env{
		stdin: os.Stdin, stdout: colorable.NewColorable(os.Stdout), stderr: os.Stderr, getenv: os.Getenv,
	}
	e.isTerminal = func(w io.Writer) bool {
		if w == e.stdout {
			return stdoutTTY
		}
		return isTerminal(w)
	}
	e.width = func(w io.Writer) int {
		if w == e.stdout {
			return columns(os.Stdout) // asked of the terminal window each time: it may be resized
		}
		return columns(w)
	}
	code := run(ctx, e, os.Args[1:])
	stop()
	os.Exit(code)
}

// run dispatches to a command and maps its outcome to an exit code.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		if interactive(e) {
			return runGuided(ctx, e)
		}
		usage(e.stderr)
		return exitCode(couldNotRun)
	}
	switch args[0] {
	case "-h", "--help", "help":
		usage(e.stdout)
		return exitCode(check.Pass)
	case "--version", "-V":
		args[0] = "version"
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		e.args = args
		// A monitoring plugin that cannot run still says so on stdout: UNKNOWN, and why (unless
		// the command wrote its output already and failed after).
		var nagios *writeCounter
		if nagiosRequested(args[1:]) {
			nagios = &writeCounter{w: e.stdout}
			e.stdout = nagios
		}
		// A secret given as a flag is refused before the command parses its flags, so that its
		// value reaches neither a message nor the report.
		var (
			v   check.Status
			err error
		)
		if c.credentials {
			err = refuseSecretFlag(e, c.name, args[1:])
		}
		if err == nil {
			v, err = c.run(ctx, e, args[1:])
		}
		if err != nil {
			var ue *usageError
			if errors.As(err, &ue) {
				fmt.Fprintf(e.stderr, "exoprobe %s: %s\nRun \"exoprobe %s --help\" for usage.\n", c.name, message(err), c.name)
			} else {
				fmt.Fprintf(e.stderr, "exoprobe %s: %s\n", c.name, message(err))
			}
			v = couldNotRun
			if nagios != nil && nagios.n == 0 {
				_ = report.NagiosCouldNotRun(e.stdout, check.Mode(c.name), message(err))
			}
		}
		if ctx.Err() != nil || errors.Is(err, errInterrupted) {
			return exitInterrupted // the report, if any, says so
		}
		return exitCode(v)
	}
	fmt.Fprintf(e.stderr, "exoprobe: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return exitCode(couldNotRun)
}

// writeCounter counts what is written through it.
type writeCounter struct {
	w io.Writer
	n int
}

func (c *writeCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += n
	return n, err
}

// internalPackages are the names of exoprobe's own packages, whose prefix on an error ("certcheck:
// ", "report: ") says where it came from to a developer but nothing to the person who reads it.
var internalPackages = []string{
	"probe", "check", "cloud", "code", "certcheck", "dnscheck", "kb", "oauth", "ports", "publicip",
	"reply", "resolve", "roots", "session", "tenant", "report", "fixtures", "hostile", "interop", "main", "redact", "ndr", "idn",
	"webproxy", "inventory",
}

// internalPrefix matches an internal package's prefix at the start of a message or after the
// ": " of a wrapping.
var internalPrefix = regexp.MustCompile(`(^|: )(?:` + strings.Join(internalPackages, "|") + `): `)

// message is err as a person reads it on stderr: without the package prefixes errors carry
// inside the program ("reading --cert a.pem: certcheck: no certificate found" becomes
// "reading --cert a.pem: no certificate found").
func message(err error) string {
	s := err.Error()
	for {
		t := internalPrefix.ReplaceAllString(s, "$1")
		if t == s {
			return s
		}
		s = t
	}
}

// render writes rep in the run's format and returns its verdict, from which run decides the
// exit code.
func render(r *renderer, rep *probe.Report) (check.Status, error) {
	return r.report(report.Run{Report: rep})
}
