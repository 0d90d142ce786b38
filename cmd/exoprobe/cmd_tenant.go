package main

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/cloud"
	"github.com/exoprobe/exoprobe/probe/tenant"
	"github.com/exoprobe/exoprobe/report"
)

// tenantOptions are the flags of tenant. No flag carries a secret.
type tenantOptions struct {
	tenant, clientID, cloud, appID, mailbox, certDomain, from string
	app                                                       credentialFiles // the reading app's certificate
	publicIP                                                  netip.Addr
	setup                                                     bool
	timeout                                                   time.Duration
	out                                                       outputOptions
}

func (o *tenantOptions) flags() *pflag.FlagSet {
	fs := pflag.NewFlagSet("tenant", pflag.ContinueOnError)
	fs.SortFlags = false
	fs.BoolVar(&o.setup, "setup", false, "print the permissions the reading app needs and how to create it, then exit")
	fs.StringVar(&o.tenant, "tenant", "", "tenant ID or a verified domain of the tenant (required)")
	fs.StringVar(&o.clientID, "client-id", "", "application (client) ID of the read-only app that reads the tenant (required; see --setup)")
	o.app.prefix = "client-"
	o.app.register(fs,
		"the reading app's certificate, PEM (with --client-key, or with the key in the same file); recommended over a client secret",
		"private key of --client-cert, PEM (RSA)",
		"the reading app's certificate and key as PFX/P12 (password: "+envPFXPassword+" or a prompt)")
	fs.StringVar(&o.cloud, "cloud", "global", "Microsoft 365 cloud: "+strings.Join(cloud.Names(), ", "))
	fs.StringVar(&o.appID, "app-id", "", "application (client) ID of the app that sends: its registration, secrets and SMTP.SendAsApp are read")
	addressVar(fs, &o.mailbox, "mailbox", "mailbox the sending app signs in as: its SMTP AUTH setting and the app's rights on it are read")
	ipv4Var(fs, &o.publicIP, "public-ip", "the site's public IPv4 (as Exchange Online sees it): compared with the connectors' SenderIPAddresses")
	certDomainVar(fs, &o.certDomain, "cert-domain", "the name on the site's certificate: compared with the connectors' TlsSenderCertificateName")
	addressVar(fs, &o.from, "from", "MAIL FROM address: its domain must be an accepted domain")
	timeoutVar(fs, &o.timeout, "timeout", probe.DefaultTimeout, "bound on the whole run")
	o.out.register(fs)
	o.out.registerReport(fs)
	o.out.registerMonitor(fs)
	return fs
}

// tenantUsage is printed after the flags by --help.
const tenantUsage = `exoprobe tenant reads, app-only and strictly read-only, what decides whether the
tenant accepts the mail: accepted domains, inbound connectors, transport and
organization config, authentication policies, the connection filter's IP allow
list, the mailbox's SMTP AUTH setting and the sending app's rights on it
(Exchange Online), and the sending app's secrets, certificates and
SMTP.SendAsApp (Microsoft Graph). It sends only Get-* cmdlets from a fixed list,
and Graph GETs. Exchange Online's documented Admin API (/adminapi/v2.0) covers
only accepted domains and the organization config; the rest goes through the
InvokeCommand endpoint the ExchangeOnlineManagement module uses, which Microsoft
does not document: the report names each cmdlet and the interface it went through.

The reading app signs in with a certificate (recommended) or with the client
secret in ` + envClientSecret + ` (or a prompt); secrets never go on the command line.
"exoprobe tenant --setup" prints the permissions it needs and how to create it.
`

// tenantSetup is what --setup prints: the permissions and the steps to create the read-only app.
const tenantSetup = `What exoprobe tenant needs: an app registration that may only read.

Permissions (application permissions, each with admin consent):
  Office 365 Exchange Online > Exchange.ManageAsApp
      (or, for the Admin API alone, Exchange.ManageAsAppV2)
  Microsoft Graph > Application.Read.All   the sending app's secrets and roles
  Microsoft Graph > AuditLog.Read.All      sign-in logs, for the inventory of basic
                                           SMTP AUTH (needs Entra ID P1)
  Microsoft Graph > Directory.Read.All     with it: Microsoft's List signIns page has
                                           asked for both (a known issue)
and a read-only role for the app's service principal:
  Entra role Global Reader (reads everything, changes nothing), or the Exchange
  role group View-Only Configuration (Exchange only).
Without the permission Exchange Online answers 401; without the role, 403.

Create it in PowerShell (Microsoft.Graph module, as a Global Administrator or
Privileged Role Administrator):

  Connect-MgGraph -Scopes 'Application.ReadWrite.All','AppRoleAssignment.ReadWrite.All','RoleManagement.ReadWrite.Directory'
  $app = New-MgApplication -DisplayName 'exoprobe read-only'
  $sp  = New-MgServicePrincipal -AppId $app.AppId
  $exo   = Get-MgServicePrincipal -Filter "appId eq '00000002-0000-0ff1-ce00-000000000000'"
  $graph = Get-MgServicePrincipal -Filter "appId eq '00000003-0000-0000-c000-000000000000'"
  foreach ($r in @(@($exo,'Exchange.ManageAsApp'), @($graph,'Application.Read.All'), @($graph,'AuditLog.Read.All'), @($graph,'Directory.Read.All'))) {
    $role = $r[0].AppRoles | Where-Object Value -eq $r[1]
    New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -PrincipalId $sp.Id -ResourceId $r[0].Id -AppRoleId $role.Id
  }
  # Global Reader, by its role template id
  New-MgRoleManagementDirectoryRoleAssignment -PrincipalId $sp.Id -RoleDefinitionId 'f2ef992c-3afb-46b9-b7cf-a126ee74c451' -DirectoryScopeId '/'
  # a certificate credential (recommended): upload its public part
  $cert = New-SelfSignedCertificate -Subject 'CN=exoprobe read-only' -CertStoreLocation Cert:\CurrentUser\My -KeySpec Signature -NotAfter (Get-Date).AddYears(1)
  Update-MgApplication -ApplicationId $app.Id -KeyCredentials @(@{Type='AsymmetricX509Cert'; Usage='Verify'; Key=$cert.RawData})
  "--tenant $((Get-MgContext).TenantId) --client-id $($app.AppId)"

Or in the Entra admin centre (entra.microsoft.com):
  1. App registrations > New registration: name 'exoprobe read-only', single tenant.
  2. API permissions > Add a permission > APIs my organization uses >
     Office 365 Exchange Online > Application permissions > Exchange.ManageAsApp;
     Add a permission > Microsoft Graph > Application permissions >
     Application.Read.All, AuditLog.Read.All and Directory.Read.All; then
     Grant admin consent.
  3. Certificates & secrets > Certificates > Upload certificate (recommended), or
     Client secrets > New client secret (give its Value in ` + envClientSecret + `).
  4. Roles & admins > Global Reader > Add assignments > the app
     (or, Exchange only: Exchange admin centre > Roles > Admin roles >
     View-Only Configuration > Assigned > add the app's service principal).

Then:
  exoprobe tenant --tenant <tenant ID> --client-id <reading app> --client-pfx reader.pfx \
      --app-id <sending app> --mailbox <its mailbox> --public-ip <site IPv4>
`

func runTenant(ctx context.Context, e *env, args []string) (check.Status, error) {
	return runTenantWith(ctx, e, args, nil)
}

// runTenantWith parses the flags of tenant, reads the credential, runs the probe and renders
// it. tweak, when set, adjusts the options after parsing (the demo points them at its simulator).
func runTenantWith(ctx context.Context, e *env, args []string, tweak func(*probe.TenantOptions)) (check.Status, error) {
	var to tenantOptions
	fs := to.flags()
	if done, err := parseFlags(e, fs, "tenant", args); done {
		return check.Pass, err
	}
	if to.setup {
		fmt.Fprint(e.stdout, tenantSetup)
		fmt.Fprintf(e.stdout, "\nThe cmdlets exoprobe tenant can send (nothing else leaves it):\n  %s\n",
			strings.Join(tenant.AllowedCmdlets(), ", "))
		return check.Pass, nil
	}
	opts, err := to.options()
	if err != nil {
		return "", err
	}
	r, err := to.out.renderer(e)
	if err != nil {
		return "", err
	}
	if err := to.credentials(e, &opts); err != nil {
		return "", err
	}
	r.ticket.Inputs = report.Inputs{
		From: opts.From, Tenant: opts.Tenant, ClientID: opts.ClientID, Cloud: opts.Cloud,
		Certificate: to.app.file(), User: opts.Mailbox,
	}
	opts.Version = version
	opts.Logf = to.out.logf(e)
	r.hooks(&opts.RunOptions)
	if tweak != nil {
		tweak(&opts)
	}
	return render(r, probe.Tenant(ctx, opts))
}

// options validates the flags into probe options; the credential is read separately.
func (to *tenantOptions) options() (probe.TenantOptions, error) {
	o := probe.TenantOptions{
		TenantAccess: probe.TenantAccess{Cloud: to.cloud, Tenant: strings.TrimSpace(to.tenant), ClientID: strings.TrimSpace(to.clientID)},
		AppID:        strings.TrimSpace(to.appID), Mailbox: to.mailbox, PublicIP: to.publicIP,
		CertDomain: to.certDomain, From: to.from,
	}
	o.Timeout = to.timeout
	if _, ok := cloud.Lookup(to.cloud); !ok {
		return o, usagef("--cloud %q: use one of %s", to.cloud, strings.Join(cloud.Names(), ", "))
	}
	if o.Tenant == "" {
		return o, usagef("--tenant is required: the tenant ID (Entra admin centre > Overview > Tenant ID) or a verified domain")
	}
	if o.ClientID == "" {
		return o, usagef("--client-id is required: the Application (client) ID of the read-only app (\"exoprobe tenant --setup\" shows how to create it)")
	}
	if err := to.app.validate(); err != nil {
		return o, err
	}
	return o, nil
}

// credentials reads the reading app's certificate, or its client secret from the environment
// or the no-echo prompt; never from a flag, never printed.
func (to *tenantOptions) credentials(e *env, o *probe.TenantOptions) error {
	if to.app.given() {
		b, err := to.app.load(e, "the app signs its token request with the key")
		if err != nil {
			return err
		}
		o.ClientCerts, o.ClientKey = b.Chain, b.Key
		return nil
	}
	s, err := readSecret(e, envClientSecret, "Client secret of app "+o.ClientID)
	if err != nil {
		return err
	}
	o.ClientSecret = s
	return nil
}

// tenantCheckFlags are the flags of --tenant-check: the read-only app that reads the tenant.
// relay, direct and connector take it as exoprobe tenant does (register: --tenant, --client-id,
// --client-cert/--client-key/--client-pfx, --cloud, the secret in EXOPROBE_CLIENT_SECRET). submit,
// whose --tenant, --client-id and --client-* flags are the sending app's (which holds only
// SMTP.SendAsApp and cannot read the tenant), takes the reading app as --reader-id and
// --reader-cert/--reader-key/--reader-pfx (registerReader), reads the same --tenant in the same
// --cloud as the send, and takes the reading app's secret from EXOPROBE_READER_SECRET and its
// PFX password from EXOPROBE_READER_PFX_PASSWORD.
type tenantCheckFlags struct {
	on                      bool
	tenant, clientID, cloud string // submit sets tenant and cloud from its own flags
	app                     credentialFiles
	reader                  bool // submit's form
}

func (tc *tenantCheckFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&tc.on, "tenant-check", false, "also read the tenant's configuration (read-only, as exoprobe tenant) and compare it with what this site showed; needs --tenant and --client-id of a read-only app")
	fs.StringVar(&tc.tenant, "tenant", "", "with --tenant-check: tenant ID or a verified domain")
	fs.StringVar(&tc.clientID, "client-id", "", "with --tenant-check: application (client) ID of the read-only app (\"exoprobe tenant --setup\")")
	tc.app.prefix = "client-"
	tc.app.register(fs,
		"with --tenant-check: the read-only app's certificate, PEM (recommended over a client secret in "+envClientSecret+")",
		"with --tenant-check: private key of --client-cert, PEM (RSA)",
		"with --tenant-check: the read-only app's certificate and key as PFX/P12")
	fs.StringVar(&tc.cloud, "cloud", "global", "with --tenant-check: Microsoft 365 cloud: "+strings.Join(cloud.Names(), ", "))
}

// registerReader adds submit's form of the flags: the reading app beside the sending one.
func (tc *tenantCheckFlags) registerReader(fs *pflag.FlagSet) {
	tc.reader = true
	fs.BoolVar(&tc.on, "tenant-check", false, "also read the tenant's configuration (read-only, as exoprobe tenant) while the submission runs, "+
		"and judge it for this mailbox and app; the tenant is read by a separate read-only app (--reader-id), in the same --tenant and --cloud")
	fs.StringVar(&tc.clientID, "reader-id", "", "with --tenant-check: application (client) ID of the read-only app that reads the tenant "+
		"(\"exoprobe tenant --setup\"); not --client-id, the sending app, which holds only SMTP.SendAsApp")
	tc.app.prefix = "reader-"
	tc.app.pfxEnv = envReaderPFXPassword
	tc.app.register(fs,
		"with --tenant-check: the read-only app's certificate, PEM (recommended over a client secret in "+envReaderSecret+")",
		"with --tenant-check: private key of --reader-cert, PEM (RSA)",
		"with --tenant-check: the read-only app's certificate and key as PFX/P12 (password: "+envReaderPFXPassword+" or a prompt)")
}

// validate checks that the flags go together, before any secret is read.
func (tc *tenantCheckFlags) validate() error {
	if !tc.on {
		switch {
		case tc.reader && (tc.clientID != "" || tc.app.given() || tc.app.key != ""):
			return usagef("--reader-id and the --reader-* certificate flags go with --tenant-check")
		case !tc.reader && (tc.tenant != "" || tc.clientID != "" || tc.app.given() || tc.app.key != ""):
			return usagef("--tenant, --client-id and the --client-* certificate flags go with --tenant-check")
		}
		return nil
	}
	idFlag := "--client-id"
	if tc.reader {
		idFlag = "--reader-id"
	}
	switch {
	case strings.TrimSpace(tc.tenant) == "":
		return usagef("--tenant-check needs --tenant: the tenant ID or a verified domain")
	case strings.TrimSpace(tc.clientID) == "":
		return usagef("--tenant-check needs %s: the read-only app (\"exoprobe tenant --setup\" shows how to create it)", idFlag)
	}
	if _, ok := cloud.Lookup(tc.cloud); !ok {
		return usagef("--cloud %q: use one of %s", tc.cloud, strings.Join(cloud.Names(), ", "))
	}
	return tc.app.validate()
}

// access validates the flags and reads the credential; nil without --tenant-check.
func (tc *tenantCheckFlags) access(e *env) (*probe.TenantAccess, error) {
	if err := tc.validate(); err != nil || !tc.on {
		return nil, err
	}
	secretEnv := envClientSecret
	if tc.reader {
		secretEnv = envReaderSecret
	}
	a := &probe.TenantAccess{Cloud: tc.cloud, Tenant: strings.TrimSpace(tc.tenant), ClientID: strings.TrimSpace(tc.clientID)}
	if tc.app.given() {
		b, err := tc.app.load(e, "the app signs its token request with the key")
		if err != nil {
			return nil, err
		}
		a.ClientCerts, a.ClientKey = b.Chain, b.Key
		return a, nil
	}
	s, err := readSecret(e, secretEnv, "Client secret of the reading app "+a.ClientID)
	if err != nil {
		return nil, err
	}
	a.ClientSecret = s
	return a, nil
}
