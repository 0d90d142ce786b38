package main

import (
	"context"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/cloud"
	"github.com/exoprobe/exoprobe/probe/inventory"
	"github.com/exoprobe/exoprobe/probe/tenant"
	"github.com/exoprobe/exoprobe/report"
)

// defaultInventoryTimeout bounds a scan of the usual places: long enough for a web server's
// /var/www or C:\inetpub, short enough that a scan of a whole disk ends with what it read.
const defaultInventoryTimeout = 2 * time.Minute

// inventoryOptions are the flags of inventory. No flag carries a secret.
type inventoryOptions struct {
	paths     []string
	noMachine bool
	timeout   time.Duration
	out       outputOptions
	// The reading app of the tenant half, as exoprobe tenant takes it.
	tenant, clientID, cloud string
	app                     credentialFiles
	days                    int
}

func (o *inventoryOptions) flags() *pflag.FlagSet {
	fs := pflag.NewFlagSet("inventory", pflag.ContinueOnError)
	fs.SortFlags = false
	fs.StringArrayVar(&o.paths, "path", nil, "a file or directory (`PATH`) to scan instead of the usual places; repeat it for more")
	fs.StringVar(&o.tenant, "tenant", "", "also read the tenant (tenant ID or a verified domain): its basic SMTP AUTH sign-ins and the mailboxes that can still use SMTP AUTH")
	fs.StringVar(&o.clientID, "client-id", "", "with --tenant: application (client) ID of the read-only app (\"exoprobe tenant --setup\"; it needs AuditLog.Read.All for the sign-ins)")
	o.app.prefix = "client-"
	o.app.register(fs,
		"with --tenant: the read-only app's certificate, PEM (recommended over a client secret in "+envClientSecret+")",
		"with --tenant: private key of --client-cert, PEM (RSA)",
		"with --tenant: the read-only app's certificate and key as PFX/P12 (password: "+envPFXPassword+" or a prompt)")
	fs.StringVar(&o.cloud, "cloud", "global", "with --tenant: Microsoft 365 cloud: "+strings.Join(cloud.Names(), ", "))
	fs.IntVar(&o.days, "days", tenant.DefaultSignInDays, "with --tenant: how many days of sign-in logs to read, 1 to 30 (Entra ID keeps them 30 days)")
	fs.BoolVar(&o.noMachine, "no-machine", false, "with --tenant: read the tenant only, not this machine's configuration files")
	timeoutVar(fs, &o.timeout, "timeout", defaultInventoryTimeout, "bound on the whole run; what was not read by then is reported")
	o.out.registerOffline(fs)
	o.out.registerNagios(fs, "report format: text, json, markdown, or nagios (a monitoring plugin's output: WARNING when something breaks or was not read whole, the counts as performance data)")
	o.out.registerReport(fs)
	o.out.registerPromFile(fs, "also write the counts to `FILE.prom` for node_exporter's or windows_exporter's textfile collector (atomically)")
	return fs
}

// inventoryHelp is what inventory's --help says before its flags.
const inventoryHelp = `inventory lists what on this machine still sends through Microsoft 365 with a
password, before basic authentication for SMTP AUTH is turned off by default at
the end of December 2026. It reads configuration files, and never shows a
password: IIS and .NET <mailSettings> and <appSettings> (web.config, *.config),
ASP.NET Core (appsettings.json), Reporting Services (rsreportserver.config), PHP
(php.ini, sendmail.ini), .env files, Java *.properties and Spring Boot's
application.yml, Python settings (Django's settings.py, Flask's config.py),
Postfix (main.cf and its sasl_passwd), sendmail (sendmail.mc and authinfo),
msmtp, ssmtp and WordPress (wp-config.php).

Without --path it reads the usual places: on Windows C:\inetpub, IIS's
configuration, Reporting Services, the .NET Framework's configuration, PHP and
XAMPP; elsewhere /etc/postfix, /etc/msmtprc, ~/.msmtprc, /etc/ssmtp, /etc/php,
/var/www, /srv and /opt. Files over 4 MiB and directories more than 12 levels
down are skipped and reported; so is a file it cannot read (run it as an
administrator or root to read them all).

Each row says the file and line, the endpoint, the sign-in and the user, and the
way forward: OAuth with an app (exoprobe submit tests it), a connector (exoprobe
connector prepares it), Direct Send, or High Volume Email.

With --tenant it also reads the tenant, read-only, with the app exoprobe tenant
uses (--client-id and a certificate, or the client secret in
` + envClientSecret + ` or a prompt): the basic SMTP AUTH sign-ins of the last
--days days from Entra ID's sign-in logs (Microsoft Graph, AuditLog.Read.All;
the logs need an Entra ID P1 licence), grouped by account, client IP and
success or failure; and every mailbox's SMTP AUTH setting (Get-TransportConfig
and Get-CASMailbox through Exchange Online's undocumented InvokeCommand
endpoint), read as the tri-state it is: a mailbox explicitly enabled, or
inheriting an enabled tenant, can still use SMTP AUTH. Without P1 or without the
permission it says so and lists the mailboxes alone. Each sign-in group gets its
ways forward (OAuth, a connector for its IP, Direct Send or High Volume Email),
each mailbox the Set-CASMailbox command that turns SMTP AUTH off for it.

This machine is scanned in every run (the usual places, or --path), and also
with --tenant; --no-machine, with --tenant and without --path, leaves it out.

For a monitoring system (docs/monitoring.md): -o nagios prints a monitoring
plugin's output, WARNING when something will break or a source was not read
whole, OK otherwise, never CRITICAL (nothing fails yet), with the counts as
performance data; --prom-file writes them for node_exporter's or
windows_exporter's textfile collector (exoprobe_inventory_breaking and others),
the tenant (or this machine's name) as the target.

Exit codes: 0 nothing found that breaks, 1 something will break (or the scan ran
out of time, or the tenant could not be read whole), 3 could not run.
`

// runInventory scans this machine's configuration files and, with --tenant, reads the tenant,
// and renders what still signs in with a password.
func runInventory(ctx context.Context, e *env, args []string) (check.Status, error) {
	return runInventoryWith(ctx, e, args, nil)
}

// runInventoryWith is runInventory; tweak, when set, adjusts the tenant's access after parsing
// (the demo points it at its simulator).
func runInventoryWith(ctx context.Context, e *env, args []string, tweak func(*probe.TenantAccess)) (check.Status, error) {
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
	access, err := o.tenantAccess(fs)
	if err != nil {
		return "", err
	}
	r, err := o.out.renderer(e)
	if err != nil {
		return "", err
	}
	if access != nil {
		if err := o.credentials(e, access); err != nil {
			return "", err
		}
		r.ticket.Inputs = report.Inputs{Tenant: access.Tenant, ClientID: access.ClientID, Cloud: access.Cloud, Certificate: o.app.file()}
		if tweak != nil {
			tweak(access)
		}
	}
	if h, err := os.UserHomeDir(); err == nil {
		cfg.Home = h
	}
	started := time.Now()
	runCtx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	inv := report.Inventory{Version: version, Started: started}
	var wg sync.WaitGroup
	if access != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			inv.Tenant = probe.TenantInventory(runCtx, probe.TenantInventoryOptions{TenantAccess: *access, Days: o.days, Logf: cfg.Logf})
		}()
	}
	if !o.noMachine {
		inv.Machine = inventory.Scan(runCtx, cfg)
	}
	wg.Wait()
	inv.Duration = time.Since(started)
	inv.Interrupted = ctx.Err() != nil
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
	// An interrupted inventory writes no metrics: its counts may be short, and the file of the
	// last whole run is better than one that says less breaks.
	if r.prom != nil && !inv.Interrupted {
		if err := r.prom.write(inv); err != nil {
			return "", err
		}
	}
	return verdict, nil // after Ctrl-C, run exits 130 and the report says the scan did not end
}

// tenantAccess validates the tenant flags: nil without --tenant, where none of them may be
// given. The credential is read later, once the output is known to work.
func (o *inventoryOptions) tenantAccess(fs *pflag.FlagSet) (*probe.TenantAccess, error) {
	if strings.TrimSpace(o.tenant) == "" {
		for _, name := range []string{"tenant", "client-id", "client-cert", "client-key", "client-pfx", "cloud", "days", "no-machine"} {
			if fs.Changed(name) {
				return nil, usagef("--%s reads the tenant: give --tenant (and --client-id) with it", name)
			}
		}
		return nil, nil
	}
	if o.noMachine && len(o.paths) > 0 {
		return nil, usagef("--no-machine leaves this machine out, --path names what to scan on it: give one of them")
	}
	if o.days < 1 || o.days > tenant.MaxSignInDays {
		return nil, usagef("--days %d: give 1 to %d (Entra ID keeps sign-in logs %d days)", o.days, tenant.MaxSignInDays, tenant.MaxSignInDays)
	}
	if _, ok := cloud.Lookup(o.cloud); !ok {
		return nil, usagef("--cloud %q: use one of %s", o.cloud, strings.Join(cloud.Names(), ", "))
	}
	a := &probe.TenantAccess{Cloud: o.cloud, Tenant: strings.TrimSpace(o.tenant), ClientID: strings.TrimSpace(o.clientID)}
	if a.ClientID == "" {
		return nil, usagef("--client-id is required with --tenant: the Application (client) ID of the read-only app (\"exoprobe tenant --setup\" shows how to create it)")
	}
	if err := o.app.validate(); err != nil {
		return nil, err
	}
	return a, nil
}

// credentials reads the reading app's certificate, or its client secret from the environment
// or the no-echo prompt; never from a flag, never printed.
func (o *inventoryOptions) credentials(e *env, a *probe.TenantAccess) error {
	if o.app.given() {
		b, err := o.app.load(e, "the app signs its token request with the key")
		if err != nil {
			return err
		}
		a.ClientCerts, a.ClientKey = b.Chain, b.Key
		return nil
	}
	s, err := readSecret(e, envClientSecret, "Client secret of app "+a.ClientID)
	if err != nil {
		return err
	}
	a.ClientSecret = s
	return nil
}
