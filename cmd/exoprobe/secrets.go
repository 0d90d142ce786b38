package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
	"github.com/exoprobe/exoprobe/probe/kb"
	"github.com/exoprobe/exoprobe/report"
)

// The environment variables secrets come from. A secret is never taken from a flag value: flag
// values land in shell history and in process lists that other users can read.
const (
	envClientSecret = "EXOPROBE_CLIENT_SECRET"
	envPassword     = "EXOPROBE_PASSWORD"
	envPFXPassword  = "EXOPROBE_PFX_PASSWORD"
	envAccessToken  = "EXOPROBE_ACCESS_TOKEN"
	// submit --tenant-check: the reading app's client secret and PFX password, beside the
	// sending app's own.
	envReaderSecret      = "EXOPROBE_READER_SECRET"
	envReaderPFXPassword = "EXOPROBE_READER_PFX_PASSWORD"
)

// secretFlags are flag names people reach for out of habit; giving one is refused with a
// message that says where the secret goes instead.
var secretFlags = map[string]string{
	"client-secret": envClientSecret, "secret": envClientSecret,
	"password": envPassword, "pass": envPassword,
	"pfx-password": envPFXPassword, "cert-password": envPFXPassword,
	"access-token": envAccessToken, "token": envAccessToken,
	"reader-secret": envReaderSecret, "reader-client-secret": envReaderSecret, "reader-password": envReaderSecret,
	"reader-pfx-password": envReaderPFXPassword, "reader-cert-password": envReaderPFXPassword,
}

// secretInArgv reports the first secret-looking flag in args, and the variable it belongs in.
func secretInArgv(args []string) (flag, envName string, found bool) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "--") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		if v, ok := secretFlags[strings.ToLower(name)]; ok {
			return "--" + name, v, true
		}
	}
	return "", "", false
}

// secretArgvMessage says why a secret on the command line is refused and what to do instead.
func secretArgvMessage(flag, envName string) string {
	return fmt.Sprintf("%s is refused: a secret given on the command line stays in the shell's history and "+
		"shows in process lists to other users of this machine. Leave it out and exoprobe asks for it "+
		"without echo; for unattended runs put it in the environment variable %s (%s).",
		flag, envName, envHint(envName))
}

// envHint says how to put a secret in the environment variable envName, in the shells a
// helpdesk uses: Windows PowerShell 5.1 (the default on Windows, which has no Read-Host
// -MaskInput) and PowerShell 7 alike, typed without echo or in a script, then bash. Each form
// is one statement (Windows PowerShell 5.1 has no &&), in a code span that wrapping keeps whole.
func envHint(envName string) string {
	return fmt.Sprintf("PowerShell, typed unseen: `$env:%s = [Net.NetworkCredential]::new('', (Read-Host -AsSecureString)).Password`, "+
		"or in a script: `$env:%s = '<secret>'`; bash: `read -rs %s; export %s`",
		envName, envName, envName, envName)
}

// secretFlagError is a secret given as a flag, refused by refuseSecretFlag. It names the flag and
// the environment variable the secret belongs in, never the value.
type secretFlagError struct{ flag, envName string }

func (e *secretFlagError) Error() string {
	return fmt.Sprintf("%s refused: secrets are not taken from the command line; set %s, or leave the flag out and exoprobe asks for it",
		e.flag, e.envName)
}

// errNoSecret is returned when a secret is needed, is not in the environment, and cannot be
// asked for because standard input is not a terminal.
var errNoSecret = errors.New("secret not set")

// readSecret returns the secret in the environment variable envName or, when that is empty and
// standard input is a terminal, asks for it without echo. It never prints the value.
func readSecret(e *env, envName, prompt string) (string, error) {
	if v := e.getenv(envName); v != "" {
		return strings.TrimRight(v, "\r\n"), nil
	}
	f, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", fmt.Errorf("%w: set %s in the environment (standard input is not a terminal, so exoprobe cannot ask for it; %s)",
			errNoSecret, envName, envHint(envName))
	}
	fmt.Fprintf(e.stderr, "%s (input hidden; or set %s): ", prompt, envName)
	b, err := readHidden(int(f.Fd()))
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", strings.ToLower(prompt), err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// refuseSecretFlag is the one answer to a secret given as a flag, to any command, before its
// flags are parsed: a report whose one check, "input", fails with the code secret-in-argv, in
// the format asked for, then a *secretFlagError, so that the command could not run. The
// value is dropped from the arguments before the output flags are read, and is never shown.
// It returns nil when args hold no secret flag.
func refuseSecretFlag(e *env, mode string, args []string) error {
	flag, envName, found := secretInArgv(args)
	if !found {
		return nil
	}
	clean := args
	for {
		f, _, found := secretInArgv(clean)
		if !found {
			break
		}
		clean = withoutFlag(clean, f)
	}
	if nagiosRequested(clean) {
		// A monitoring plugin answers in one line, which run writes: UNKNOWN, and why.
		return &secretFlagError{flag: flag, envName: envName}
	}
	// Only the output flags matter here; the command's other flags are skipped with their values.
	var out outputOptions
	fs := pflag.NewFlagSet(mode, pflag.ContinueOnError)
	fs.ParseErrorsAllowlist.UnknownFlagsHandling = pflag.IgnoreUnknownFlag
	out.register(fs)
	out.registerReport(fs)
	fs.SetOutput(io.Discard)
	_ = fs.Parse(clean)
	r, err := out.renderer(e)
	if err != nil {
		// A bad -o or --report: the refusal is still shown, as text on the screen.
		r, _ = (&outputOptions{format: "text", noColor: true}).renderer(e)
	}
	res := check.New(check.Input)
	res.Add(check.Finding{Severity: check.Fail, Code: code.SecretInArgv, Message: secretArgvMessage(flag, envName)})
	res.Summary = flag + " refused: secrets are not taken from the command line"
	now := time.Now()
	rep := probe.SingleCheck(check.Mode(mode), version, now, res, kb.Context{})
	if err := r.refusal(report.Run{Report: rep}); err != nil {
		return err
	}
	return &secretFlagError{flag: flag, envName: envName}
}

// withoutFlag returns args without the secret flag and its value ("--flag=value" or
// "--flag value").
func withoutFlag(args []string, flag string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			out = append(out, args[i:]...)
			break
		}
		name, _, hasValue := strings.Cut(a, "=")
		if strings.EqualFold(name, flag) {
			if !hasValue && i+1 < len(args) {
				// The value is the next argument, unless that is another secret flag (a flag
				// given without its value), which the caller removes in its turn.
				if _, _, next := secretInArgv(args[i+1 : i+2]); !next {
					i++
				}
			}
			continue
		}
		out = append(out, a)
	}
	return out
}
