package certcheck

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"sync"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
)

// testNow is the clock every test runs at.
var testNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// Keys are made once per test binary: RSA generation is slow, and every certificate in a test
// needs a key of its own (the leaf is found by its key).
var (
	keyMu sync.Mutex // guards keys
	keys  = map[string]crypto.Signer{}
)

// keyTypes maps a spec's keyKind to the key type of fixtures.
var keyTypes = map[string]fixtures.KeyType{"ecdsa": fixtures.ECDSA, "rsa": fixtures.RSA, "ed25519": fixtures.Ed25519}

func testKey(tb testing.TB, kind, name string) crypto.Signer {
	tb.Helper()
	keyMu.Lock()
	defer keyMu.Unlock()
	id := kind + "/" + name
	if kind == "" || keyTypes[kind] == fixtures.ECDSA {
		id = "ecdsa/" + name
	}
	if k, ok := keys[id]; ok {
		return k
	}
	k, err := fixtures.NewKey(keyTypes[kind])
	if err != nil {
		tb.Fatal(err)
	}
	keys[id] = k
	return k
}

// spec describes one test certificate.
type spec struct {
	cn        string
	dns       []string
	ca        bool
	eku       []x509.ExtKeyUsage
	notBefore time.Time // zero: a year before testNow
	notAfter  time.Time // zero: a year after testNow
	keyKind   string    // "ecdsa" (default), "rsa", "ed25519"
	keyName   string    // zero: cn; certificates with the same keyName share a key
	parent    *tcert    // nil: self-signed
}

// tcert is a test certificate with its key; ca is set when it is a certificate authority.
type tcert struct {
	cert *x509.Certificate
	key  crypto.Signer
	ca   *fixtures.CA
}

// mkcert makes the certificate s describes with fixtures' CA, valid around testNow.
func mkcert(tb testing.TB, s spec) *tcert {
	tb.Helper()
	keyName := s.keyName
	if keyName == "" {
		keyName = s.cn
	}
	nb, na := s.notBefore, s.notAfter
	if nb.IsZero() {
		nb = testNow.AddDate(-1, 0, 0)
	}
	if na.IsZero() {
		na = testNow.AddDate(1, 0, 0)
	}
	eku := s.eku
	if eku == nil {
		eku = []x509.ExtKeyUsage{} // none, rather than fixtures' default serverAuth
	}
	o := fixtures.CertOptions{
		Subject:  pkix.Name{CommonName: s.cn, Organization: []string{"Test"}},
		DNSNames: s.dns, NotBefore: nb, NotAfter: na, ExtKeyUsage: eku,
		Key: testKey(tb, s.keyKind, keyName),
	}
	if s.parent != nil && s.parent.ca == nil {
		tb.Fatalf("mkcert %q: parent %q is not a CA", s.cn, s.parent.cert.Subject.CommonName)
	}
	var (
		ca   *fixtures.CA
		leaf *fixtures.Leaf
		err  error
	)
	switch {
	case s.ca && s.parent == nil:
		ca, err = fixtures.NewCAWith(o)
	case s.ca:
		ca, err = s.parent.ca.IntermediateWith(o)
	case s.parent == nil:
		leaf, err = fixtures.SelfSigned(o)
	default:
		leaf, err = s.parent.ca.Issue(o)
	}
	if err != nil {
		tb.Fatal(err)
	}
	if ca != nil {
		return &tcert{cert: ca.Cert, key: ca.Key, ca: ca}
	}
	return &tcert{cert: leaf.Cert, key: leaf.Key}
}

// pki is a root, an intermediate and a leaf for mail.contoso.com with clientAuth.
type pki struct {
	root, inter, leaf *tcert
}

func newPKI(tb testing.TB, prefix string) pki {
	tb.Helper()
	root := mkcert(tb, spec{cn: prefix + " Root CA", ca: true})
	inter := mkcert(tb, spec{cn: prefix + " Issuing CA", ca: true, parent: root})
	leaf := mkcert(tb, spec{cn: "mail.contoso.com", dns: []string{"mail.contoso.com"},
		eku: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}, parent: inter, keyName: prefix + " leaf"})
	return pki{root: root, inter: inter, leaf: leaf}
}

func (p pki) roots() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(p.root.cert)
	return pool
}

// leafUnder issues a leaf from p's intermediate.
func (p pki) leafUnder(tb testing.TB, s spec) *tcert {
	tb.Helper()
	s.parent = p.inter
	if s.eku == nil {
		s.eku = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
	}
	return mkcert(tb, s)
}

func pemCerts(certs ...*tcert) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.cert.Raw})...)
	}
	return out
}

func pemKey(tb testing.TB, k crypto.Signer) []byte {
	tb.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		tb.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func bundleOf(tb testing.TB, key crypto.Signer, certs ...*tcert) *Bundle {
	tb.Helper()
	data := pemCerts(certs...)
	if key != nil {
		data = append(data, pemKey(tb, key)...)
	}
	b, err := Load(data, "")
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return b
}
