package main

import (
	"context"
	"crypto/x509"
	"time"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/certcheck"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/kb"
	"github.com/exoprobe/exoprobe/report"
)

// certCmdOptions are the flags of cert.
type certCmdOptions struct {
	key, certDomain, domain, roots string
	out                            outputOptions
}

// runCert inspects a client certificate offline, as Exchange Online will judge it on a
// certificate-based connector.
func runCert(_ context.Context, e *env, args []string) (check.Status, error) {
	var o certCmdOptions
	fs := pflag.NewFlagSet("cert", pflag.ContinueOnError)
	fs.SortFlags = false
	fs.StringVar(&o.key, "key", "", "private key (PEM) of a PEM or DER certificate file")
	certDomainVar(fs, &o.certDomain, "cert-domain", "the connector's TlsSenderCertificateName to match, such as mail.contoso.com or *.contoso.com")
	domainVar(fs, &o.domain, "domain", "the tenant's accepted domain the certificate should name, such as contoso.com")
	fs.StringVar(&o.roots, "roots", "", "PEM file of the roots to trust instead of the system store")
	// Exchange Online trusts public roots, which is what the system store holds; other roots
	// are for tests and the simulator only.
	_ = fs.MarkHidden("roots")
	o.out.registerOffline(fs)
	o.out.registerReport(fs)
	o.out.registerMonitor(fs)
	if done, err := parseFlags(e, fs, "cert", args); done {
		return check.Pass, err
	}
	if fs.NArg() != 1 {
		return "", usagef("give one certificate file: exoprobe cert FILE [--key KEY] [--cert-domain NAME] [--domain DOMAIN] (PEM, PFX/P12 or DER; a PFX password comes from %s or a prompt)", envPFXPassword)
	}
	cd, domain := certOptions{certDomain: o.certDomain}, o.domain
	var roots *x509.CertPool
	if o.roots != "" {
		data, err := readBounded(o.roots)
		if err != nil {
			return "", err
		}
		roots = x509.NewCertPool()
		if !roots.AppendCertsFromPEM(data) {
			return "", usagef("--roots %s holds no PEM certificate", o.roots)
		}
	}
	r, err := o.out.renderer(e)
	if err != nil {
		return "", err
	}
	b, err := loadCredential(e, fs.Arg(0), o.key)
	if err != nil {
		return "", err
	}

	r.ticket.Inputs = report.Inputs{Certificate: fs.Arg(0), CertDomain: cd.domain(), Domain: domain}
	started := time.Now()
	res := certcheck.Inspect(b, certcheck.Config{CertDomain: cd.domain(), Domain: domain, Roots: roots}).Result
	r.progress(res)
	rep := probe.SingleCheck(check.ModeCert, version, started, res, kb.Context{CertDomain: cd.domain(), Domain: domain})
	return render(r, rep)
}
