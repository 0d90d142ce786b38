package main

import (
	"net/url"
	"os"
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

// openReportFile checks --report before the run: the extension names a format (.md, .json or
// .html), and the file can be written. It returns nil when --report was not given. A report is
// written with mode 0600: it can hold internal host names.
func openReportFile(path string) (*outFile, error) {
	if path == "" {
		return nil, nil
	}
	out, err := report.ReportFileOutput(path)
	if err != nil {
		return nil, usagef("--report %s: the file name must end in .md, .json or .html: the format follows the extension", path)
	}
	f := &outFile{flag: "--report", what: "the report", kind: "report", path: path, output: out, mode: 0o600}
	if err := f.check(".md, .json or .html"); err != nil {
		return nil, err
	}
	return f, nil
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
