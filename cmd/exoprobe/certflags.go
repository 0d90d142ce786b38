package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe/certcheck"
)

// credentialFiles are the flags that give a certificate with its private key: a PFX/PKCS#12
// file, or a certificate file with the key in it or in a separate PEM key file. relay and
// connector name them --cert, --key and --pfx; submit, whose certificate is the app's,
// --client-cert, --client-key and --client-pfx. All of them load through loadCredential.
type credentialFiles struct {
	prefix         string // put before each flag's name: "", "client-" or "reader-"
	cert, key, pfx string
	// pfxEnv is the environment variable the PFX password comes from; "" is envPFXPassword.
	// submit's reading app has its own (envReaderPFXPassword), beside the sending app's.
	pfxEnv string
}

// register adds the three flags with the command's own descriptions.
func (c *credentialFiles) register(fs *pflag.FlagSet, certUsage, keyUsage, pfxUsage string) {
	fs.StringVar(&c.cert, c.prefix+"cert", "", certUsage)
	fs.StringVar(&c.key, c.prefix+"key", "", keyUsage)
	fs.StringVar(&c.pfx, c.prefix+"pfx", "", pfxUsage)
}

// flag is the command-line name of one of the flags: flag("pfx") is "--pfx" or "--client-pfx".
func (c *credentialFiles) flag(name string) string { return "--" + c.prefix + name }

// given reports whether a certificate was given.
func (c *credentialFiles) given() bool { return c.cert != "" || c.pfx != "" }

// validate checks that the flags go together.
func (c *credentialFiles) validate() error {
	switch {
	case c.cert != "" && c.pfx != "":
		return usagef("give the certificate with %s (and %s) or with %s, not both", c.flag("cert"), c.flag("key"), c.flag("pfx"))
	case c.key != "" && c.cert == "":
		return usagef("%s needs %s: the certificate the key belongs to", c.flag("key"), c.flag("cert"))
	}
	return nil
}

// load reads the certificate the flags give; nil without one. keyFor says what the private key
// is needed for: a file without a key is refused with that reason.
func (c *credentialFiles) load(e *env, keyFor string) (*certcheck.Bundle, error) {
	path, flag := c.pfx, c.flag("pfx")
	if path == "" {
		path, flag = c.cert, c.flag("cert")
	}
	if path == "" {
		return nil, nil
	}
	b, err := loadCredentialWith(e, path, c.key, orDefault(c.pfxEnv, envPFXPassword))
	if err != nil {
		return nil, err
	}
	if b.Key == nil {
		return nil, usagef("%s %s holds no private key: give the key with %s, or a PEM or PFX file that holds it (%s)",
			flag, path, c.flag("key"), keyFor)
	}
	return b, nil
}

// certOptions are the flags that give the client certificate of a certificate-based connector
// (relay and connector) and the name the connector expects on it.
type certOptions struct {
	credentialFiles
	certDomain string // parsed by parseCertDomain
}

func (c *certOptions) register(fs *pflag.FlagSet) {
	c.credentialFiles.register(fs,
		"client certificate (PEM with its chain, or DER) of a certificate-based connector; the key with --key, or in the same PEM file",
		"private key (PEM) of --cert",
		"client certificate with its key and chain as PFX/PKCS#12 (password from "+envPFXPassword+" or a prompt)")
	certDomainVar(fs, &c.certDomain, "cert-domain", "the connector's TlsSenderCertificateName, such as mail.contoso.com or *.contoso.com")
}

// domain is --cert-domain as it is compared: lower case, without a trailing dot, as
// parseCertDomain returned it.
func (c *certOptions) domain() string { return c.certDomain }

// load reads the client certificate, which is presented during STARTTLS and so must come with
// its key; nil without one.
func (c *certOptions) load(e *env) (*certcheck.Bundle, error) {
	return c.credentialFiles.load(e, "the certificate is presented during STARTTLS, which needs the key")
}

// loadCredential is the one way exoprobe reads a certificate file: PEM, DER or PFX/PKCS#12, with
// the key from the PEM file keyPath when that is not "". A PFX is opened with the empty password
// first, as files exported without one need (whatever EXOPROBE_PFX_PASSWORD holds for another
// file), then with EXOPROBE_PFX_PASSWORD or, when that is not set and standard input is a
// terminal, a password asked for without echo. The password never appears in an error.
func loadCredential(e *env, path, keyPath string) (*certcheck.Bundle, error) {
	return loadCredentialWith(e, path, keyPath, envPFXPassword)
}

// loadCredentialWith is loadCredential with the PFX password from the environment variable
// pfxEnv.
func loadCredentialWith(e *env, path, keyPath, pfxEnv string) (*certcheck.Bundle, error) {
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
	b, err := certcheck.Load(data, "")
	var pe *certcheck.PasswordError
	if errors.As(err, &pe) {
		pw, perr := readSecret(e, pfxEnv, "PFX password for "+path)
		if perr != nil {
			return nil, fmt.Errorf("%s is password-protected: %w", path, perr)
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

// file is the certificate file given (--pfx, else --cert), for the report's inputs; "" for none.
func (c *credentialFiles) file() string {
	if c.pfx != "" {
		return c.pfx
	}
	return c.cert
}
