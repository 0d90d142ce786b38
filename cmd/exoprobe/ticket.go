package main

import (
	"bufio"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/report"
)

// What a report for a ticket says about the run beside its checks (report.Ticket) is gathered
// here, in cmd, and handed to the renderers: the command line with anything that looks like a
// secret replaced, the machine and its proxy variables, the inputs and the exit code. The
// report package never reads the environment itself.

// redacted replaces what looks like a secret on the command line shown in a report.
const redacted = "<redacted>"

// reportFlagUsage is the help line of --report.
const reportFlagUsage = "also write the report to `FILE` for a ticket, in the format of its extension: .md, .json or .html (one self-contained page); the screen still shows -o"

// registerReport adds --report to a command that writes a report of a run.
func (o *outputOptions) registerReport(fs *pflag.FlagSet) {
	fs.StringVar(&o.report, "report", "", reportFlagUsage)
}

// reportFile is where --report writes the report, and in which format; checked before the run.
type reportFile struct {
	path   string
	output report.Output
}

// openReportFile checks --report before the run, so that a typo does not cost the run: the
// extension names a format, the path is not a directory, and a file can be created beside it.
// It returns nil when --report was not given.
func openReportFile(path string) (*reportFile, error) {
	if path == "" {
		return nil, nil
	}
	out, err := report.ReportFileOutput(path)
	if err != nil {
		return nil, usagef("--report %s: the file name must end in .md, .json or .html: the format follows the extension", path)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, usagef("--report %s is a directory; give a file name ending in .md, .json or .html", path)
	}
	probe, err := os.CreateTemp(filepath.Dir(path), ".exoprobe-report-*.tmp")
	if err != nil {
		return nil, usagef("--report %s: cannot write there: %v", path, pathError(err))
	}
	probe.Close()
	if err := os.Remove(probe.Name()); err != nil {
		return nil, fmt.Errorf("--report %s: removing the trial file %s: %w", path, probe.Name(), err)
	}
	return &reportFile{path: path, output: out}, nil
}

// write renders a finished report (a run's or a site's) to the file atomically: into a temporary file of mode 0600 in the same
// directory (a report can hold internal host names), then renamed over the path, so that a
// reader never sees half a report and an old report is replaced whole or not at all.
func (f *reportFile) write(doc report.Doc) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(f.path), ".exoprobe-report-*.tmp")
	if err != nil {
		return fmt.Errorf("writing the report to %s: %v", f.path, pathError(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("writing the report to %s: %v", f.path, pathError(err))
	}
	w := bufio.NewWriter(tmp)
	if err := report.Render(w, report.Format{Output: f.output}, doc); err != nil {
		return fmt.Errorf("writing the report to %s: %w", f.path, err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("writing the report to %s: %v", f.path, pathError(err))
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("writing the report to %s: %v", f.path, pathError(err))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing the report to %s: %v", f.path, pathError(err))
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return fmt.Errorf("writing the report to %s: %v", f.path, pathError(err))
	}
	return nil
}

// pathError is what went wrong with a file, without the operation and path that the message
// around it already names.
func pathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// environment gathers the machine a run is made on, as it is at the start of the run.
func environment(e *env, now time.Time) report.Environment {
	env := report.Environment{OS: runtime.GOOS, Arch: runtime.GOARCH, Proxies: proxyVariables(e.getenv)}
	if h, err := os.Hostname(); err == nil {
		env.Machine = h
	}
	env.TimeZone, env.UTCOffset = now.Zone()
	return env
}

// proxyNames are the proxy variables Go's HTTP client (and curl, and most tools) read, each in
// upper and lower case.
var proxyNames = []string{"HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"}

// proxyVariables lists the proxy variables set, with their values made safe to show. On Windows
// a variable's name has no case, so the lower-case name that reads the same value is left out.
func proxyVariables(getenv func(string) string) []report.ProxyVariable {
	var out []report.ProxyVariable
	for _, name := range proxyNames {
		upper := strings.TrimSpace(getenv(name))
		if upper != "" {
			out = append(out, report.ProxyVariable{Name: name, Value: proxyValue(name, upper)})
		}
		lower := strings.TrimSpace(getenv(strings.ToLower(name)))
		if lower != "" && lower != upper {
			out = append(out, report.ProxyVariable{Name: strings.ToLower(name), Value: proxyValue(name, lower)})
		}
	}
	return out
}

// maxNoProxy bounds the NO_PROXY list shown.
const maxNoProxy = 200

// proxyValue is what a report shows of a proxy variable: for a proxy URL only scheme://host:port
// (a proxy URL can hold user:password, and its path or query a token), for NO_PROXY its hosts.
func proxyValue(name, v string) string {
	if strings.EqualFold(name, "NO_PROXY") {
		if len(v) > maxNoProxy {
			return v[:maxNoProxy] + "..."
		}
		return v
	}
	raw := v
	if !strings.Contains(v, "://") {
		raw = "http://" + v // as Go's HTTP client reads a proxy without a scheme
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(set, not a URL; value not shown)"
	}
	if !strings.Contains(v, "://") {
		return u.Host
	}
	return u.Scheme + "://" + u.Host
}

// secretEnvNames are the variables whose values are secrets: a command line that holds one of
// these values (a secret pasted into the wrong flag) shows it redacted.
var secretEnvNames = []string{envClientSecret, envPassword, envPFXPassword, envAccessToken}

// Shapes of secrets on a command line: a JWT (an access token), an Entra client secret (three
// characters, a digit, "Q~", then 31 to 34 more), and a URL's user:password@.
var (
	jwtShape          = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.`)
	clientSecretShape = regexp.MustCompile(`[A-Za-z0-9_.~-]{3}[0-9]Q~[A-Za-z0-9_.~-]{31,34}`)
	userinfoShape     = regexp.MustCompile(`(?i)([a-z][a-z0-9+.-]*://)[^/@\s]+@`)
)

// secretWords in a flag's name say its value is a secret, whatever the flag.
var secretWords = []string{"secret", "password", "passwd", "token", "credential", "apikey", "api-key"}

// secretFlagName reports whether a flag's name (without dashes) says it carries a secret.
func secretFlagName(name string) bool {
	name = strings.ToLower(name)
	if _, ok := secretFlags[name]; ok {
		return true
	}
	for _, w := range secretWords {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// commandLine is the command line a report shows: "exoprobe" and the arguments, quoted for a
// shell, with every value of a secret flag, every argument that holds the value of a secret
// variable or looks like a token or a client secret, and every URL's user name and password
// replaced. Secret flags are refused before a command runs; this is the second guard.
func commandLine(e *env) string {
	var secrets []string
	for _, name := range secretEnvNames {
		if v := strings.TrimSpace(e.getenv(name)); len(v) >= 4 {
			secrets = append(secrets, v)
		}
	}
	words := []string{"exoprobe"}
	valueIsSecret := false // the previous argument was a secret flag without its value
	for _, a := range e.args {
		switch {
		case valueIsSecret && !strings.HasPrefix(a, "-"):
			a = redacted
		case strings.HasPrefix(a, "-"):
			name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
			if secretFlagName(name) {
				switch {
				case looksSecret(name, secrets):
					a = redacted
				case hasValue:
					a = a[:strings.IndexByte(a, '=')+1] + redacted
				}
				valueIsSecret = !hasValue
				words = append(words, shellQuote(a))
				continue
			}
		}
		valueIsSecret = false
		words = append(words, shellQuote(safeArg(a, secrets)))
	}
	return strings.Join(words, " ")
}

// safeArg is one argument with what looks like a secret replaced; a flag keeps its name.
func safeArg(a string, secrets []string) string {
	prefix, value := "", a
	if strings.HasPrefix(a, "-") {
		if i := strings.IndexByte(a, '='); i >= 0 {
			prefix, value = a[:i+1], a[i+1:]
		}
	}
	switch {
	case looksSecret(prefix, secrets):
		return redacted // the name itself: "-<secret>=" is no flag
	case looksSecret(value, secrets):
		return prefix + redacted
	}
	return prefix + userinfoShape.ReplaceAllString(value, "${1}"+redacted+"@")
}

// looksSecret reports whether s holds the value of a secret variable, or a token or a client
// secret by its shape.
func looksSecret(s string, secrets []string) bool {
	for _, secret := range secrets {
		if strings.Contains(s, secret) {
			return true
		}
	}
	return jwtShape.MatchString(s) || clientSecretShape.MatchString(s)
}

// shellQuote quotes an argument for PowerShell and POSIX shells alike where it needs quoting:
// single quotes, in which neither expands anything; a single quote inside is doubled for
// PowerShell's sake (the one case the two disagree on, and rare on this command line).
func shellQuote(a string) string {
	if a == "" {
		return "''"
	}
	if !strings.ContainsAny(a, " \t\n\"'`$&|;<>()*?[]{}#~!\\,") {
		return a
	}
	return "'" + strings.ReplaceAll(a, "'", "''") + "'"
}
