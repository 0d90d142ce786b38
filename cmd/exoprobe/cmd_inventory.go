package main

import (
	"context"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/inventory"
	"github.com/exoprobe/exoprobe/report"
)

// defaultInventoryTimeout bounds a scan of the usual places: long enough for a web server's
// /var/www or C:\inetpub, short enough that a scan of a whole disk ends with what it read.
const defaultInventoryTimeout = 2 * time.Minute

// inventoryOptions are the flags of inventory.
type inventoryOptions struct {
	paths   []string
	timeout time.Duration
	out     outputOptions
}

func (o *inventoryOptions) flags() *pflag.FlagSet {
	fs := pflag.NewFlagSet("inventory", pflag.ContinueOnError)
	fs.SortFlags = false
	fs.StringArrayVar(&o.paths, "path", nil, "a file or directory (`PATH`) to scan instead of the usual places; repeat it for more")
	timeoutVar(fs, &o.timeout, "timeout", defaultInventoryTimeout, "bound on the whole scan; what was not read by then is reported")
	o.out.registerOffline(fs)
	o.out.registerReport(fs)
	return fs
}

// inventoryHelp is what inventory's --help says before its flags.
const inventoryHelp = `inventory lists what on this machine still sends through Microsoft 365 with a
password, before basic authentication for SMTP AUTH is turned off by default at
the end of December 2026. It reads configuration files, and never shows a
password: IIS and .NET <mailSettings> and <appSettings> (web.config, *.config),
ASP.NET Core (appsettings.json), Reporting Services (rsreportserver.config), PHP
(php.ini, sendmail.ini), .env files, Java *.properties, Postfix (main.cf and its
sasl_passwd), sendmail (sendmail.mc and authinfo), msmtp, ssmtp and WordPress
(wp-config.php).

Without --path it reads the usual places: on Windows C:\inetpub, IIS's
configuration, Reporting Services, the .NET Framework's configuration, PHP and
XAMPP; elsewhere /etc/postfix, /etc/msmtprc, ~/.msmtprc, /etc/ssmtp, /etc/php,
/var/www, /srv and /opt. Files over 4 MiB and directories more than 12 levels
down are skipped and reported; so is a file it cannot read (run it as an
administrator or root to read them all).

Each row says the file and line, the endpoint, the sign-in and the user, and the
way forward: OAuth with an app (exoprobe submit tests it), a connector (exoprobe
connector prepares it), Direct Send, or High Volume Email.

Exit codes: 0 nothing found that breaks, 1 something will break (or the scan
ran out of time), 3 could not run.
`

// runInventory scans this machine's configuration files and renders what still signs in with a
// password.
func runInventory(ctx context.Context, e *env, args []string) (check.Status, error) {
	var o inventoryOptions
	fs := o.flags()
	if done, err := parseFlags(e, fs, "inventory", args); done {
		return check.Pass, err
	}
	cfg := inventory.Config{Logf: o.out.logf(e)}
	for _, p := range o.paths {
		if strings.TrimSpace(p) == "" {
			return "", usagef("--path must not be empty")
		}
		if _, err := os.Stat(p); err != nil {
			return "", usagef("--path %s: %v", p, pathError(err))
		}
		cfg.Paths = append(cfg.Paths, p)
	}
	r, err := o.out.renderer(e)
	if err != nil {
		return "", err
	}
	if h, err := os.UserHomeDir(); err == nil {
		cfg.Home = h
	}
	started := time.Now()
	scanCtx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	res := inventory.Scan(scanCtx, cfg)
	inv := report.Inventory{Version: version, Started: started, Duration: time.Since(started), Machine: res}
	verdict := inv.Verdict()
	t := r.ticket
	t.ExitCode = exitCode(verdict)
	inv.Ticket = &t
	if err := r.render(inv); err != nil {
		return "", err
	}
	if r.file != nil {
		if err := r.file.write(inv); err != nil {
			return "", err
		}
	}
	return verdict, nil // after Ctrl-C, run exits 130 and the report says the scan did not end
}
