package certcheck

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"sync"
	"testing"
	"time"
)

// testNow is the clock every test runs at.
var testNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// Keys are made once per test binary: RSA generation is slow, and every certificate in a test
// needs a key of its own (the leaf is found by its key).
var (
	keyMu    sync.Mutex
	ecKeys   = map[string]*ecdsa.PrivateKey{}
	rsaKeys  = map[string]*rsa.PrivateKey{}
	edKeys   = map[string]ed25519.PrivateKey{}
	serialNo int64
)

func testKey(tb testing.TB, kind, name string) crypto.Signer {
	tb.Helper()
	keyMu.Lock()
	defer keyMu.Unlock()
	var err error
	switch kind {
	case "rsa":
		k, ok := rsaKeys[name]
		if !ok {
			if k, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
				tb.Fatal(err)
			}
			rsaKeys[name] = k
		}
		return k
	case "ed25519":
		k, ok := edKeys[name]
		if !ok {
			if _, k, err = ed25519.GenerateKey(rand.Reader); err != nil {
				tb.Fatal(err)
			}
			edKeys[name] = k
		}
		return k
	default:
		k, ok := ecKeys[name]
		if !ok {
			if k, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
				tb.Fatal(err)
			}
			ecKeys[name] = k
		}
		return k
	}
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

// tcert is a test certificate with its key.
type tcert struct {
	cert *x509.Certificate
	key  crypto.Signer
}

func mkcert(tb testing.TB, s spec) *tcert {
	tb.Helper()
	keyName := s.keyName
	if keyName == "" {
		keyName = s.cn
	}
	key := testKey(tb, s.keyKind, keyName)
	nb, na := s.notBefore, s.notAfter
	if nb.IsZero() {
		nb = testNow.AddDate(-1, 0, 0)
	}
	if na.IsZero() {
		na = testNow.AddDate(1, 0, 0)
	}
	keyMu.Lock()
	serialNo++
	serial := big.NewInt(serialNo + 1000)
	keyMu.Unlock()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: s.cn, Organization: []string{"Test"}},
		DNSNames:              s.dns,
		NotBefore:             nb,
		NotAfter:              na,
		ExtKeyUsage:           s.eku,
		BasicConstraintsValid: true,
		IsCA:                  s.ca,
		KeyUsage:              x509.KeyUsageDigitalSignature,
	}
	if s.ca {
		tmpl.KeyUsage |= x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	}
	parent, signer := tmpl, key
	if s.parent != nil {
		parent, signer = s.parent.cert, s.parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	return &tcert{cert: c, key: key}
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
