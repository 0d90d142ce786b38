package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe/certcheck"
)

// certOptions are the flags that give the client certificate of a certificate-based connector.
type certOptions struct {
	cert, key, pfx, certDomain string
}

func (c *certOptions) register(fs *pflag.FlagSet) {
	fs.StringVar(&c.cert, "cert", "", "client certificate (PEM with its chain, or DER) of a certificate-based connector; the key with --key, or in the same PEM file")
	fs.StringVar(&c.key, "key", "", "private key (PEM) of --cert")
	fs.StringVar(&c.pfx, "pfx", "", "client certificate with its key and chain as PFX/PKCS#12 (password from "+envPFXPassword+" or a prompt)")
	certDomainVar(fs, &c.certDomain, "cert-domain", "the connector's TlsSenderCertificateName, such as mail.contoso.com or *.contoso.com")
}

// given reports whether a certificate was given.
func (c *certOptions) given() bool { return c.cert != "" || c.pfx != "" }

// validate checks that the flags go together.
func (c *certOptions) validate() error {
	switch {
	case c.cert != "" && c.pfx != "":
		return usagef("give the certificate with --cert (and --key) or with --pfx, not both")
	case c.key != "" && c.cert == "":
		return usagef("--key needs --cert: the certificate the key belongs to")
	}
	return nil
}

// domain is --cert-domain as it is compared: lower case, without a trailing dot, as
// parseCertDomain returned it.
func (c *certOptions) domain() string { return c.certDomain }

// load reads the certificate given by the flags; nil without one. A certificate to present
// must come with its private key.
func (c *certOptions) load(e *env) (*certcheck.Bundle, error) {
	var (
		b    *certcheck.Bundle
		err  error
		path = c.pfx
	)
	switch {
	case c.pfx != "":
		b, err = loadCertFile(e, c.pfx, "")
	case c.cert != "":
		path = c.cert
		b, err = loadCertFile(e, c.cert, c.key)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if b.Key == nil {
		return nil, usagef("%s holds no private key: give the key with --key, or a PEM or PFX file that holds it (the certificate is presented during STARTTLS, which needs the key)", path)
	}
	return b, nil
}

// loadCertFile reads a certificate file (PEM, PFX or DER), with the PEM key file keyPath when
// it is not "". A PFX that needs a password gets it from EXOPROBE_PFX_PASSWORD or, on a
// terminal, from a prompt without echo; the password never appears in an error.
func loadCertFile(e *env, path, keyPath string) (*certcheck.Bundle, error) {
	data, err := readBounded(path)
	if err != nil {
		return nil, err
	}
	if keyPath != "" {
		key, err := readBounded(keyPath)
		if err != nil {
			return nil, err
		}
		b, err := certcheck.LoadPair(data, key)
		if err != nil {
			return nil, fmt.Errorf("%s with %s: %w", path, keyPath, err)
		}
		return b, nil
	}
	pw := e.getenv(envPFXPassword)
	b, err := certcheck.Load(data, pw)
	var pe *certcheck.PasswordError
	if errors.As(err, &pe) && !pe.Missing {
		// A file exported with an empty password refuses a password left in the environment
		// for another file; it should open as it would without the variable.
		if b2, err2 := certcheck.Load(data, ""); err2 == nil {
			b, err = b2, nil
		}
	}
	if errors.As(err, &pe) && pe.Missing {
		if pw, err = readSecret(e, envPFXPassword, "PFX password for "+path); err != nil {
			return nil, err
		}
		b, err = certcheck.Load(data, pw)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// readBounded reads a certificate or key file, at most one byte more than certcheck accepts, so
// that a wrong path to a large file is refused without reading it all.
func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, certcheck.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return data, nil
}

// refuseSecretArgs refuses a secret given as a flag before anything else runs.
func refuseSecretArgs(args []string) error {
	if flag, envName, found := secretInArgv(args); found {
		return usagef("%s", secretArgvMessage(flag, envName))
	}
	return nil
}
