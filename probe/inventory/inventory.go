// Package inventory finds what on this machine still sends mail through Microsoft 365 with a
// password, before basic authentication for SMTP AUTH is turned off by default at the end of
// December 2026: the configuration files of IIS and .NET applications, Reporting Services, PHP,
// .env files, Java properties, Postfix, msmtp, ssmtp and WordPress that name an Exchange Online
// endpoint. Each row says where it was found (file and line), the endpoint, the sign-in and the
// user, and the way forward with its reason.
//
// It never keeps a password: a parser notes only where one is kept ("line 14", "a command"),
// so that no output can show it. It reads files only: bounded in size, depth and time;
// symbolic links are followed once, loops are reported; a file it cannot read is reported,
// and the scan goes on.
package inventory

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
)

// Limits of a scan; Config's zero values mean these.
const (
	// MaxFileSize is the largest file read: configuration files are small, and a large file
	// with a configuration name is a log or a dump, reported as skipped.
	MaxFileSize = 4 << 20
	// MaxDepth is how many directories deep a walk goes below each path.
	MaxDepth = 12
	// MaxProblems bounds the problems kept; the rest are counted.
	MaxProblems = 200
)

// Format is the kind of configuration a row was read from.
type Format string

// The formats a scan reads, each named by the files it looks for.
const (
	FormatDotNet      Format = "dotnet-config"      // web.config, applicationHost.config, *.exe.config: <system.net><mailSettings>, <appSettings>
	FormatSSRS        Format = "ssrs"               // rsreportserver.config: Reporting Services e-mail delivery
	FormatINI         Format = "ini"                // php.ini (SMTP, smtp_port), sendmail.ini of fake sendmail
	FormatDotenv      Format = "dotenv"             // .env files: MAIL_HOST, SMTP_HOST, EMAIL_HOST, MAILER_DSN
	FormatProperties  Format = "java-properties"    // *.properties: mail.smtp.*, spring.mail.*
	FormatPostfix     Format = "postfix"            // main.cf relayhost with smtp_sasl_password_maps
	FormatMsmtp       Format = "msmtp"              // .msmtprc, /etc/msmtprc
	FormatSsmtp       Format = "ssmtp"              // ssmtp.conf
	FormatWordPress   Format = "wordpress"          // wp-config.php: WP Mail SMTP's WPMS_* constants, the SMTP_* constants of phpmailer_init snippets
	FormatAppSettings Format = "dotnet-appsettings" // appsettings.json, appsettings.*.json: "Smtp": {"Host": ...}
	FormatSendmail    Format = "sendmail"           // sendmail.mc: SMART_HOST, with the authinfo file
	FormatSpringYAML  Format = "spring-yaml"        // application.yml, application-*.yml, bootstrap.yml: spring.mail.*
	FormatPython      Format = "python-settings"    // settings.py, local_settings.py, config.py: Django's EMAIL_*, Flask-Mail's MAIL_*
	FormatKeyValue    Format = "key-value"          // a file given by path whose name says nothing: KEY=value lines
)

// Auth is how a configuration signs in.
type Auth string

// The sign-ins a configuration can name.
const (
	AuthBasic   Auth = "basic"   // a user name and a password (AUTH LOGIN)
	AuthOAuth   Auth = "oauth"   // a token (XOAUTH2, OAUTHBEARER, or the product's own OAuth mailer)
	AuthWindows Auth = "windows" // the Windows account (NTLM or Kerberos), which Exchange Online does not offer
	AuthNone    Auth = "none"    // no sign-in
)

// Endpoint is the kind of Exchange Online endpoint a row sends to.
type Endpoint string

// The Exchange Online endpoints a row can name.
const (
	EndpointSubmission Endpoint = "submission" // SMTP AUTH client submission: smtp.office365.com and the sovereign clouds' hosts
	EndpointLegacyTLS  Endpoint = "legacy-tls" // smtp-legacy.office365.com, SMTP AUTH for TLS 1.0/1.1 clients
	EndpointHVE        Endpoint = "hve"        // High Volume Email
	EndpointMX         Endpoint = "mx"         // a tenant's MX host on port 25: a connector or Direct Send
)

// Way is the way forward for a row.
type Way string

// The ways forward.
const (
	WayOAuth     Way = "oauth"       // sign in with an app registration (XOAUTH2); exoprobe submit tests it
	WayConnector Way = "connector"   // relay through an inbound connector on port 25; exoprobe connector prepares it
	WayDirect    Way = "direct-send" // Direct Send to the tenant's own mailboxes on port 25
	WayHVE       Way = "hve"         // High Volume Email, for mail to the tenant's own mailboxes
	WayNone      Way = "none"        // nothing to change for the end of basic authentication
	WayTurnOff   Way = "turn-off"    // a mailbox that may still sign in with SMTP AUTH: turn it off for the mailbox (the tenant's inventory)
)

// Row is one configuration that sends through Microsoft 365. It never holds a password.
type Row struct {
	File    string
	Line    int    // of the setting that names the host, from 1
	Format  Format // how the file was read
	Setting string // the setting that names the host: "MAIL_HOST", "<network host>", "relayhost"
	Host    string // as the file names it, lower case, without brackets or port
	Port    int    // 0: the file does not say and the product has no default
	Cloud   string // the Microsoft 365 cloud of the endpoint: global, gcc-high, dod, china
	Endpoint
	Auth Auth
	// User is the account it signs in as; "" when the file names none.
	User string
	// PasswordAt says where the password is kept, never what it is: "line 15",
	// "/etc/postfix/sasl_passwd line 2", "a command (passwordeval, line 9)"; "" when no
	// password goes with the row.
	PasswordAt string
	// Breaks is true when the row signs in with a password to an endpoint where basic
	// authentication is turned off by default at the end of December 2026.
	Breaks bool
	Way    Way
	// Reason says why Way is the way forward for this row, in the helpdesk's words.
	Reason string
	// Command is the exoprobe command that tests or prepares the way forward, filled in with
	// the row's host and user; "" when exoprobe has none for it. Values it cannot know are
	// left as <PLACEHOLDERS>.
	Command string
}

// ProblemKind is what kept a scan from reading a file or a directory.
type ProblemKind string

// The kinds of problem.
const (
	ProblemUnreadable  ProblemKind = "unreadable"   // permission denied, or another error reading
	ProblemTooLarge    ProblemKind = "too-large"    // over MaxFileSize: skipped
	ProblemTooDeep     ProblemKind = "too-deep"     // below MaxDepth: not walked
	ProblemSymlinkLoop ProblemKind = "symlink-loop" // a link to a directory that holds it
	ProblemMalformed   ProblemKind = "malformed"    // a file that could not be parsed to its end
	ProblemEncrypted   ProblemKind = "encrypted"    // a protected (encrypted) .NET configuration section: where it sends is not in the file
	ProblemTimeout     ProblemKind = "timeout"      // the scan's time ran out, or it was interrupted, here
)

// Problem is a file or directory the scan could not read whole; a problem is reported, never
// fatal.
type Problem struct {
	Path   string
	Kind   ProblemKind
	Detail string
}

// Config is what to scan.
type Config struct {
	// Paths are the files and directories to scan. Empty means the usual places of this
	// operating system (DefaultPaths), of which those that do not exist are passed over quietly.
	Paths []string
	// MaxFileSize and MaxDepth override the limits; zero means MaxFileSize and MaxDepth.
	MaxFileSize int64
	MaxDepth    int
	// Home is the user's home directory for the default paths (~/.msmtprc); "" leaves it out.
	Home string
	Logf check.Logf
}

// Result is what a scan found.
type Result struct {
	// Paths are the paths scanned, as given or the defaults that exist.
	Paths []string
	// Defaults is true when Paths are the usual places, not paths given.
	Defaults bool
	Rows     []Row
	Problems []Problem
	// ProblemsLeftOut counts the problems beyond MaxProblems.
	ProblemsLeftOut int
	FilesRead       int
	DirsWalked      int
	MaxFileSize     int64
	MaxDepth        int
	// Incomplete is true when the scan's deadline passed before it ended.
	Incomplete bool
	Duration   time.Duration
}

// Status is the result's verdict: warn when a row will stop sending or the scan did not end,
// pass otherwise.
func (r *Result) Status() check.Status {
	if r.Incomplete || r.Breaking() > 0 {
		return check.Warn
	}
	return check.Pass
}

// Breaking counts the rows that stop sending when basic authentication is turned off.
func (r *Result) Breaking() int {
	n := 0
	for _, row := range r.Rows {
		if row.Breaks {
			n++
		}
	}
	return n
}

// Scan reads the configuration files under cfg.Paths until ctx ends. What it could not read is
// in Result.Problems; an error is never returned.
func Scan(ctx context.Context, cfg Config) *Result {
	start := time.Now()
	s := &scanner{ctx: ctx, cfg: cfg, res: &Result{MaxFileSize: cfg.MaxFileSize, MaxDepth: cfg.MaxDepth}, visited: map[string]bool{}}
	if s.res.MaxFileSize <= 0 {
		s.res.MaxFileSize = MaxFileSize
	}
	if s.res.MaxDepth <= 0 {
		s.res.MaxDepth = MaxDepth
	}
	paths := cfg.Paths
	if len(paths) == 0 {
		s.res.Defaults = true
		for _, p := range DefaultPaths(cfg.Home) {
			if _, err := os.Stat(p); err == nil {
				paths = append(paths, p)
			}
		}
	}
	s.res.Paths = append([]string{}, paths...)
	for _, p := range paths {
		if s.stopped(p) {
			break
		}
		s.root(p)
	}
	s.res.Duration = time.Since(start)
	return s.res
}

// scanner is one scan's state; it is used by one goroutine.
type scanner struct {
	ctx context.Context
	cfg Config
	res *Result
	// visited holds the real path of every directory walked, so that a directory reached
	// twice (through a link, or given twice) is read once.
	visited map[string]bool
	// read holds the files parsed, so that a file reached twice is read once.
	read map[string]bool
}

func (s *scanner) logf(format string, args ...any) {
	if s.cfg.Logf != nil {
		s.cfg.Logf(format, args...)
	}
}

// stopped reports whether the scan's time ran out, noting it once, at path.
func (s *scanner) stopped(path string) bool {
	if s.ctx.Err() == nil {
		return false
	}
	if !s.res.Incomplete {
		s.res.Incomplete = true
		detail := "the scan's time ran out before this was read; give a longer --timeout or fewer paths"
		if errors.Is(s.ctx.Err(), context.Canceled) {
			detail = "the scan was interrupted before this was read"
		}
		s.problem(path, ProblemTimeout, detail)
	}
	return true
}

func (s *scanner) problem(path string, kind ProblemKind, detail string) {
	if len(s.res.Problems) >= MaxProblems {
		s.res.ProblemsLeftOut++
		return
	}
	s.res.Problems = append(s.res.Problems, Problem{Path: path, Kind: kind, Detail: detail})
}

// root scans one given path: a directory is walked, a file is read whatever its name.
func (s *scanner) root(p string) {
	fi, err := os.Stat(p)
	if err != nil {
		s.problem(p, ProblemUnreadable, errText(err))
		return
	}
	if !fi.IsDir() {
		f := formatFor(filepath.Base(p))
		if f == "" {
			f = FormatKeyValue
		}
		s.file(p, f, fi)
		return
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		real = p
	}
	if abs, err := filepath.Abs(real); err == nil {
		real = abs
	}
	s.dir(p, real, 0)
}

// skipDirs are directories no configuration is looked for in: version control and package
// caches, large and never configuration of their own.
var skipDirs = map[string]bool{".git": true, ".svn": true, ".hg": true, "node_modules": true, "__pycache__": true}

// dir walks the directory at path, whose real path (links resolved) is real, depth levels
// below a given path.
func (s *scanner) dir(path, real string, depth int) {
	if s.visited[real] {
		return
	}
	s.visited[real] = true
	if depth > s.res.MaxDepth {
		s.problem(path, ProblemTooDeep, fmt.Sprintf("more than %d directories below the path given: not read; give it with --path to read it", s.res.MaxDepth))
		return
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		s.problem(path, ProblemUnreadable, errText(err))
		if len(entries) == 0 {
			return
		}
	}
	s.res.DirsWalked++
	for _, e := range entries {
		child := filepath.Join(path, e.Name())
		if s.stopped(child) {
			return
		}
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			s.link(child, real, depth)
		case e.IsDir():
			if !skipDirs[e.Name()] {
				s.dir(child, filepath.Join(real, e.Name()), depth+1)
			}
		case e.Type().IsRegular():
			if f := formatFor(e.Name()); f != "" {
				fi, err := e.Info()
				if err != nil {
					s.problem(child, ProblemUnreadable, errText(err))
					continue
				}
				s.file(child, f, fi)
			}
		}
	}
}

// link follows a symbolic link found in the directory whose real path is parent: to a file of
// a known name, or to a directory not yet walked; a link to a directory that holds it is a loop.
func (s *scanner) link(path, parent string, depth int) {
	fi, err := os.Stat(path)
	if err != nil {
		if f := formatFor(filepath.Base(path)); f != "" {
			s.problem(path, ProblemUnreadable, "a symbolic link whose target cannot be read: "+errText(err))
		}
		return // a dangling link to anything else is not this scan's business
	}
	if !fi.IsDir() {
		if f := formatFor(filepath.Base(path)); f != "" && fi.Mode().IsRegular() {
			s.file(path, f, fi)
		}
		return
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		s.problem(path, ProblemUnreadable, "a symbolic link that cannot be resolved: "+errText(err))
		return
	}
	if abs, err := filepath.Abs(target); err == nil {
		target = abs
	}
	if target == parent || strings.HasPrefix(parent, target+string(filepath.Separator)) {
		s.problem(path, ProblemSymlinkLoop, "a symbolic link to "+target+", which holds it: not followed")
		return
	}
	s.dir(path, target, depth+1)
}

// file reads one file of format f and adds its rows.
func (s *scanner) file(path string, f Format, fi fs.FileInfo) {
	key := path
	if abs, err := filepath.Abs(path); err == nil {
		key = abs
	}
	if s.read == nil {
		s.read = map[string]bool{}
	}
	if s.read[key] {
		return
	}
	s.read[key] = true
	data, ok := s.readFile(path, fi)
	if !ok {
		return
	}
	s.logf("reading %s as %s", path, f)
	var rows []Row
	switch f {
	case FormatDotNet, FormatSSRS:
		var err error
		var enc []string
		rows, enc, err = parseXMLConfig(path, f, data)
		for _, e := range enc {
			s.problem(path, ProblemEncrypted, e)
		}
		if err != nil {
			s.problem(path, ProblemMalformed, err.Error())
		}
	case FormatPostfix:
		rows = s.parsePostfix(path, data)
	case FormatMsmtp:
		rows = parseMsmtp(path, data)
	case FormatSsmtp:
		rows = parseSsmtp(path, data)
	case FormatSendmail:
		rows = s.parseSendmail(path, data)
	case FormatAppSettings:
		var err error
		rows, err = parseAppSettings(path, data)
		if err != nil {
			s.problem(path, ProblemMalformed, err.Error())
		}
	default:
		rows = parseKeyValues(path, f, data)
	}
	seen := map[string]bool{} // msmtp's "account default : office365" names the same host line again
	for _, r := range rows {
		key := fmt.Sprint(r.Line, " ", r.Host, " ", r.User)
		if r, ok := judge(r); ok && !seen[key] {
			seen[key] = true
			s.res.Rows = append(s.res.Rows, r)
		}
	}
}

// readFile reads a file within the size limit; fi is its Stat, nil to stat it here. A file it
// cannot read is a problem, and ok is false.
func (s *scanner) readFile(path string, fi fs.FileInfo) (data []byte, ok bool) {
	if fi == nil {
		var err error
		if fi, err = os.Stat(path); err != nil {
			s.problem(path, ProblemUnreadable, errText(err))
			return nil, false
		}
	}
	// A device, a pipe or a socket could block the scan or never end: a configuration file
	// (or a map a configuration names) is a regular file.
	if !fi.Mode().IsRegular() {
		s.problem(path, ProblemUnreadable, "not a regular file: not read")
		return nil, false
	}
	f, err := os.Open(path)
	if err != nil {
		s.problem(path, ProblemUnreadable, errText(err))
		return nil, false
	}
	defer f.Close()
	if fi.Size() > s.res.MaxFileSize {
		s.problem(path, ProblemTooLarge, fmt.Sprintf("%d bytes, over the %d MiB a configuration file is read up to: skipped", fi.Size(), s.res.MaxFileSize>>20))
		return nil, false
	}
	data, err = io.ReadAll(io.LimitReader(f, s.res.MaxFileSize+1))
	if err != nil {
		s.problem(path, ProblemUnreadable, errText(err))
		return nil, false
	}
	if int64(len(data)) > s.res.MaxFileSize {
		s.problem(path, ProblemTooLarge, fmt.Sprintf("grew past %d MiB while read: skipped", s.res.MaxFileSize>>20))
		return nil, false
	}
	s.res.FilesRead++
	return data, true
}

// errText is what went wrong, without the operation and path a problem names already.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "permission denied (run as an administrator or root to read it)"
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	}
	return err.Error()
}

// formatFor is the format of a file by its name, "" for a file a walk passes over.
func formatFor(name string) Format {
	n := strings.ToLower(name)
	switch {
	case n == "rsreportserver.config":
		return FormatSSRS
	case strings.HasSuffix(n, ".config"):
		return FormatDotNet
	case n == "main.cf":
		return FormatPostfix
	case n == ".msmtprc" || n == "msmtprc":
		return FormatMsmtp
	case n == "ssmtp.conf":
		return FormatSsmtp
	case n == "wp-config.php":
		return FormatWordPress
	case n == "appsettings.json" || strings.HasPrefix(n, "appsettings.") && strings.HasSuffix(n, ".json"):
		return FormatAppSettings
	case n == "sendmail.mc":
		return FormatSendmail
	case strings.HasSuffix(n, ".ini"):
		return FormatINI
	case strings.HasSuffix(n, ".properties"):
		return FormatProperties
	case (strings.HasPrefix(n, "application") || strings.HasPrefix(n, "bootstrap")) && (strings.HasSuffix(n, ".yml") || strings.HasSuffix(n, ".yaml")):
		return FormatSpringYAML
	case n == "settings.py" || strings.HasSuffix(n, "_settings.py") || strings.HasPrefix(n, "settings_") && strings.HasSuffix(n, ".py") || n == "config.py":
		return FormatPython
	case n == ".env" || strings.HasPrefix(n, ".env.") || strings.HasSuffix(n, ".env"):
		return FormatDotenv
	}
	return ""
}
