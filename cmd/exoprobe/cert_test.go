package main

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/exoprobe/exoprobe/fixtures"
)

// runCmdEnv is runCmd with environment variables.
func runCmdEnv(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv:     func(k string) string { return vars[k] },
		isTerminal: func(io.Writer) bool { return false },
	}
	code := run(t.Context(), e, args)
	return code, out.String(), errb.String()
}

// certFiles makes the files of one certificate case in a temporary directory.
type certFiles struct {
	t   *testing.T
	dir string
}

func newCertFiles(t *testing.T) *certFiles { return &certFiles{t: t, dir: t.TempDir()} }

func (f *certFiles) write(name string, data []byte) string {
	f.t.Helper()
	p := filepath.Join(f.dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		f.t.Fatal(err)
	}
	return p
}

// clientPKI is the public CA of the simulator, backdated so that expired and not-yet-valid
// certificates lie within its validity; its root is what the tests trust (--roots).
func clientPKI(t *testing.T) *fixtures.ClientPKI {
	t.Helper()
	cp, err := fixtures.DefaultClientPKI()
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

func pemOf(certs ...*x509.Certificate) []byte {
	var b bytes.Buffer
	for _, c := range certs {
		b.Write(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
	}
	return b.Bytes()
}

var bothEKU = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}

// TestCertCommand runs `exoprobe cert` on certificates made here, one per case the issue
// lists, and checks the finding codes and the exit code.
func TestCertCommand(t *testing.T) {
	t.Parallel()
	cp := clientPKI(t)
	now := time.Now()
	issue := func(t *testing.T, o fixtures.CertOptions) *fixtures.Leaf {
		t.Helper()
		if o.Subject.CommonName == "" && len(o.DNSNames) == 0 {
			o.DNSNames = []string{"mail.contoso.com", "contoso.com"}
		}
		if o.ExtKeyUsage == nil {
			o.ExtKeyUsage = bothEKU
		}
		l, err := cp.Issuing.Issue(o)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	good := issue(t, fixtures.CertOptions{})
	rootFile := filepath.Join(t.TempDir(), "roots.pem")
	if err := os.WriteFile(rootFile, cp.Root.RootPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	private, err := fixtures.NewCA("Contoso Internal Root CA")
	if err != nil {
		t.Fatal(err)
	}
	privateIssuing, err := private.Intermediate("Contoso Internal Issuing CA")
	if err != nil {
		t.Fatal(err)
	}
	fromPrivate, err := privateIssuing.Issue(fixtures.CertOptions{DNSNames: []string{"mail.contoso.com", "contoso.com"}, ExtKeyUsage: bothEKU})
	if err != nil {
		t.Fatal(err)
	}
	selfSigned, err := fixtures.SelfSigned(fixtures.CertOptions{DNSNames: []string{"mail.contoso.com", "contoso.com"}, ExtKeyUsage: bothEKU})
	if err != nil {
		t.Fatal(err)
	}

	type files struct {
		cert, key []byte // key nil: in cert, or none
	}
	withKey := func(l *fixtures.Leaf, certs ...*x509.Certificate) files {
		return files{cert: append(pemOf(certs...), l.KeyPEM()...)}
	}
	tests := []struct {
		name  string
		files func(t *testing.T) files
		args  []string // after the file
		codes []string // finding codes that must be there (others may be)
		exit  int
		clean bool // no finding at all but notes
	}{
		{
			name:  "valid chain",
			files: func(*testing.T) files { return withKey(good, good.Cert, cp.Issuing.Cert) },
			args:  []string{"--cert-domain", "mail.contoso.com", "--domain", "contoso.com"},
			exit:  0, clean: true,
		},
		{
			name:  "separate key file",
			files: func(*testing.T) files { return files{cert: pemOf(good.Cert, cp.Issuing.Cert), key: good.KeyPEM()} },
			args:  []string{"--cert-domain", "mail.contoso.com"},
			exit:  0, clean: true,
		},
		{
			name:  "wildcard connector name",
			files: func(*testing.T) files { return withKey(good, good.Cert, cp.Issuing.Cert) },
			args:  []string{"--cert-domain", "*.contoso.com"},
			exit:  0, clean: true,
		},
		{
			name: "expiring in 10 days",
			files: func(t *testing.T) files {
				l := issue(t, fixtures.CertOptions{NotBefore: now.Add(-80 * 24 * time.Hour), NotAfter: now.Add(10 * 24 * time.Hour)})
				return withKey(l, l.Cert, cp.Issuing.Cert)
			},
			codes: []string{"cert-expiring"}, exit: 1,
		},
		{
			name: "expired",
			files: func(t *testing.T) files {
				l := issue(t, fixtures.CertOptions{NotBefore: now.Add(-400 * 24 * time.Hour), NotAfter: now.Add(-3 * 24 * time.Hour)})
				return withKey(l, l.Cert, cp.Issuing.Cert)
			},
			codes: []string{"cert-expired"}, exit: 2,
		},
		{
			name: "not yet valid",
			files: func(t *testing.T) files {
				l := issue(t, fixtures.CertOptions{NotBefore: now.Add(5 * 24 * time.Hour), NotAfter: now.Add(300 * 24 * time.Hour)})
				return withKey(l, l.Cert, cp.Issuing.Cert)
			},
			codes: []string{"cert-not-yet-valid"}, exit: 2,
		},
		{
			name:  "self-signed",
			files: func(*testing.T) files { return withKey(selfSigned, selfSigned.Cert) },
			codes: []string{"cert-self-signed"}, exit: 2,
		},
		{
			name:  "intermediate missing",
			files: func(*testing.T) files { return withKey(good, good.Cert) },
			codes: []string{"cert-chain-incomplete"}, exit: 2,
		},
		{
			name:  "out of order",
			files: func(*testing.T) files { return withKey(good, cp.Issuing.Cert, good.Cert) },
			codes: []string{"cert-chain-incomplete"}, exit: 2,
		},
		{
			name:  "private CA",
			files: func(*testing.T) files { return withKey(fromPrivate, fromPrivate.Cert, privateIssuing.Cert) },
			codes: []string{"cert-untrusted-root"}, exit: 2,
		},
		{
			name: "key of another certificate",
			files: func(*testing.T) files {
				return files{cert: pemOf(good.Cert, cp.Issuing.Cert), key: selfSigned.KeyPEM()}
			},
			codes: []string{"cert-key-mismatch"}, exit: 2,
		},
		{
			name:  "name does not match the connector",
			files: func(*testing.T) files { return withKey(good, good.Cert, cp.Issuing.Cert) },
			args:  []string{"--cert-domain", "mail.fabrikam.com"},
			codes: []string{"cert-domain-mismatch"}, exit: 2,
		},
		{
			name: "not an accepted domain",
			files: func(t *testing.T) files {
				l := issue(t, fixtures.CertOptions{DNSNames: []string{"relay.mail.contoso.com"}})
				return withKey(l, l.Cert, cp.Issuing.Cert)
			},
			args:  []string{"--domain", "contoso.com"},
			codes: []string{"cert-not-accepted-domain"}, exit: 1,
		},
		{
			name: "serverAuth only",
			files: func(t *testing.T) files {
				l := issue(t, fixtures.CertOptions{ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
				return withKey(l, l.Cert, cp.Issuing.Cert)
			},
			codes: []string{"cert-no-clientauth"}, exit: 0,
		},
		{
			name: "CN only, RSA key",
			files: func(t *testing.T) files {
				l := issue(t, fixtures.CertOptions{Subject: pkix.Name{CommonName: "mail.contoso.com"}, KeyType: fixtures.RSA, KeySlot: 91})
				return withKey(l, l.Cert, cp.Issuing.Cert)
			},
			args: []string{"--cert-domain", "mail.contoso.com"},
			exit: 0, clean: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cf := newCertFiles(t)
			fs := tt.files(t)
			args := []string{"cert", cf.write("cert.pem", fs.cert)}
			if fs.key != nil {
				args = append(args, "--key", cf.write("key.pem", fs.key))
			}
			args = append(append(args, tt.args...), "--roots", rootFile, "-o", "json")
			code, stdout, stderr := runCmd(t, "", args...)
			if code != tt.exit {
				t.Errorf("exit code = %d; want %d\nstdout:\n%s\nstderr:\n%s", code, tt.exit, stdout, stderr)
			}
			var rep jsonReport
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("output is not JSON: %v\n%s\n%s", err, stdout, stderr)
			}
			if rep.Mode != "cert" || len(rep.Checks) != 1 || rep.Checks[0].ID != "clientcert" {
				t.Fatalf("report: mode %q, checks %+v; want one clientcert check", rep.Mode, rep.Checks)
			}
			var codes []string
			for _, f := range rep.Checks[0].Findings {
				codes = append(codes, f.Code)
				if f.Hint == nil || f.Hint.ID != f.Code {
					t.Errorf("finding %s has hint %+v; want the knowledge base's entry", f.Code, f.Hint)
				}
				if tt.clean && f.Severity != "pass" {
					t.Errorf("finding %s (%s): %s; want none", f.Code, f.Severity, f.Message)
				}
			}
			for _, c := range tt.codes {
				if !slices.Contains(codes, c) {
					t.Errorf("findings %v; want %s", codes, c)
				}
			}
		})
	}
}

// TestCertCommandPFX covers the PFX paths: a password from the environment, none needed,
// a wrong one and a missing one; the password never shows.
func TestCertCommandPFX(t *testing.T) {
	t.Parallel()
	cp := clientPKI(t)
	leaf, err := cp.Issuing.Issue(fixtures.CertOptions{DNSNames: []string{"mail.contoso.com", "contoso.com"}, ExtKeyUsage: bothEKU})
	if err != nil {
		t.Fatal(err)
	}
	const password = "Pfx-S3cret-4711" // a test value; it must appear nowhere
	cf := newCertFiles(t)
	withPW, err := pkcs12.Modern2023.Encode(leaf.Key, leaf.Cert, leaf.Chain, password)
	if err != nil {
		t.Fatal(err)
	}
	noPW, err := pkcs12.Modern2023.Encode(leaf.Key, leaf.Cert, leaf.Chain, "")
	if err != nil {
		t.Fatal(err)
	}
	pfx, open := cf.write("c.pfx", withPW), cf.write("open.pfx", noPW)
	roots := cf.write("roots.pem", cp.Root.RootPEM())
	tests := []struct {
		name   string
		file   string
		env    map[string]string
		exit   int
		stderr string
	}{
		{"password from the environment", pfx, map[string]string{envPFXPassword: password}, 0, ""},
		{"no password needed", open, nil, 0, ""},
		{"stale password for a file without one", open, map[string]string{envPFXPassword: "other"}, 0, ""},
		{"wrong password", pfx, map[string]string{envPFXPassword: "wrong-" + password}, exitCantRun, "wrong PFX password"},
		{"no password, no terminal", pfx, nil, exitCantRun, envPFXPassword},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCmdEnv(t, tt.env, "cert", tt.file, "--cert-domain", "mail.contoso.com", "--roots", roots)
			if code != tt.exit {
				t.Errorf("exit code = %d; want %d\nstdout:\n%s\nstderr:\n%s", code, tt.exit, stdout, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr = %q; want it to contain %q", stderr, tt.stderr)
			}
			if strings.Contains(stdout+stderr, password) {
				t.Errorf("the PFX password appears in the output")
			}
		})
	}
}

// TestCertCommandUsage checks what cannot run: exit 3 with a message, and no secret echoed.
func TestCertCommandUsage(t *testing.T) {
	t.Parallel()
	cf := newCertFiles(t)
	junk := cf.write("junk.pem", []byte("not a certificate at all\n"))
	csr := cf.write("req.csr", []byte("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no file", []string{"cert"}, "give one certificate file"},
		{"two files", []string{"cert", junk, junk}, "give one certificate file"},
		{"missing file", []string{"cert", filepath.Join(cf.dir, "nope.pfx")}, "nope.pfx"},
		{"not a certificate", []string{"cert", junk}, "neither PEM"},
		{"a CSR", []string{"cert", csr}, "certificate signing request"},
		{"embedded wildcard", []string{"cert", junk, "--cert-domain", "mail.*.contoso.com"}, "embedded wildcard"},
		{"cert-domain is an address", []string{"cert", junk, "--cert-domain", "app@contoso.com"}, "e-mail address"},
		{"bad domain", []string{"cert", junk, "--domain", "contoso com"}, "not a domain name"},
		{"password as a flag", []string{"cert", junk, "--pfx-password=Hunter2-secret"}, envPFXPassword},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr := assertCantRun(t, tt.want, tt.args...)
			if strings.Contains(stdout+stderr, "Hunter2-secret") {
				t.Errorf("the secret given as a flag was echoed")
			}
		})
	}
}
