package main

import (
	"crypto/x509"
	"io"
	"strings"
	"testing"
)

// TestCredentialLoader runs the same files through every flag set that gives a certificate
// (relay and connector's --cert/--key/--pfx, submit's --client-cert/--client-key/--client-pfx,
// and cert's FILE --key) and checks that each reads them alike: a PFX opens with the empty
// password first, then with EXOPROBE_PFX_PASSWORD; without it and without a terminal the error
// names the variable; the password never shows.
func TestCredentialLoader(t *testing.T) {
	t.Parallel()
	leaf := appLeaf(t)
	const password = "Pfx-S3cret-loader-5150" // a test value; it must appear in no error
	cf := newCertFiles(t)
	chain := append([]*x509.Certificate{leaf.Cert}, leaf.Chain...)
	var (
		locked   = cf.write("locked.pfx", appPFX(t, leaf, password))
		open     = cf.write("open.pfx", appPFX(t, leaf, ""))
		certOnly = cf.write("cert.pem", pemOf(chain...))
		key      = cf.write("key.pem", leaf.KeyPEM())
		both     = cf.write("both.pem", append(pemOf(chain...), leaf.KeyPEM()...))
	)

	// The flag sets, each filled with the files of a case as its command fills it.
	type given struct{ cert, key, pfx string }
	loaders := map[string]func(e *env, g given) (hasKey bool, err error){
		"relay": func(e *env, g given) (bool, error) {
			c := certOptions{credentialFiles: credentialFiles{cert: g.cert, key: g.key, pfx: g.pfx}}
			b, err := c.load(e)
			return b != nil && b.Key != nil, err
		},
		"submit": func(e *env, g given) (bool, error) {
			c := credentialFiles{prefix: "client-", cert: g.cert, key: g.key, pfx: g.pfx}
			b, err := c.load(e, "the app signs its token request with the key")
			return b != nil && b.Key != nil, err
		},
		"cert": func(e *env, g given) (bool, error) {
			path := g.pfx
			if path == "" {
				path = g.cert
			}
			b, err := loadCredential(e, path, g.key)
			return b != nil && b.Key != nil, err
		},
	}
	tests := []struct {
		name    string
		files   given
		env     map[string]string
		err     string // "" for a certificate with its key
		certErr string // the cert command's error, when it differs (it needs no key)
	}{
		{name: "PFX, password from the environment", files: given{pfx: locked}, env: map[string]string{envPFXPassword: password}},
		{name: "PFX without a password", files: given{pfx: open}},
		{name: "PFX without a password, another file's password set", files: given{pfx: open}, env: map[string]string{envPFXPassword: "other"}},
		{name: "PFX, wrong password", files: given{pfx: locked}, env: map[string]string{envPFXPassword: "wrong-" + password}, err: "wrong PFX password"},
		{name: "PFX, no password and no terminal", files: given{pfx: locked}, err: "locked.pfx is password-protected: secret not set: set " + envPFXPassword},
		{name: "PEM with a separate key", files: given{cert: certOnly, key: key}},
		{name: "PEM with the key in it", files: given{cert: both}},
		{name: "PEM without a key", files: given{cert: certOnly}, err: "holds no private key", certErr: "-"},
		{name: "missing file", files: given{pfx: cf.dir + "/none.pfx"}, err: "none.pfx"},
	}
	for _, tt := range tests {
		for name, load := range loaders {
			t.Run(name+": "+tt.name, func(t *testing.T) {
				t.Parallel()
				e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard,
					getenv: func(k string) string { return tt.env[k] }}
				hasKey, err := load(e, tt.files)
				want := tt.err
				if name == "cert" && tt.certErr != "" {
					want = ""
				}
				switch {
				case want == "" && err != nil:
					t.Errorf("error %v; want the certificate", err)
				case want == "" && name != "cert" && !hasKey:
					t.Errorf("no key; want the certificate with its key")
				case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
					t.Errorf("error %v; want one with %q", err, want)
				}
				if err != nil && strings.Contains(err.Error(), password) {
					t.Errorf("the PFX password appears in the error")
				}
			})
		}
	}
}

// TestCredentialFlagsGoTogether checks the one rule for combining the certificate flags, under
// both names.
func TestCredentialFlagsGoTogether(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		cert, key, pfx string
		want           string // "" when they go together
	}{
		{"PFX", "", "", "c.pfx", ""},
		{"certificate and key", "c.pem", "k.pem", "", ""},
		{"certificate alone", "c.pem", "", "", ""},
		{"both", "c.pem", "", "c.pfx", "give the certificate with --{}cert (and --{}key) or with --{}pfx, not both"},
		{"key alone", "", "k.pem", "", "--{}key needs --{}cert"},
		{"key with a PFX", "", "k.pem", "c.pfx", "--{}key needs --{}cert"},
	}
	for _, tt := range tests {
		for _, prefix := range []string{"", "client-"} {
			c := credentialFiles{prefix: prefix, cert: tt.cert, key: tt.key, pfx: tt.pfx}
			err := c.validate()
			want := strings.ReplaceAll(tt.want, "{}", prefix)
			switch {
			case want == "" && err != nil:
				t.Errorf("%s (%q): %v; want none", tt.name, prefix, err)
			case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
				t.Errorf("%s (%q): error %v; want %q", tt.name, prefix, err, want)
			}
		}
	}
}
