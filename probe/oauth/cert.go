package oauth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
	"strings"
)

// KeyError says why a certificate credential cannot be used to sign the client assertion. It is
// returned before MSAL is called, and Acquire turns it into a finding. The files themselves are
// read by probe/certcheck (Load, LoadPair), as for every other certificate exoprobe reads.
type KeyError struct {
	// Code is the finding code: code.CertKeyNotRSA, AppCertKeyMismatch, AppCertMissing or
	// AppCertKeyMissing. The "app-" codes are the app registration's certificate, told apart
	// from the connector certificate codes of probe/certcheck.
	Code check.Code
	// KeyType names the key ("ECDSA P-256", "Ed25519", "RSA 2048").
	KeyType string
	msg     string
}

func (e *KeyError) Error() string { return "oauth: " + e.msg }

// SigningCert returns the certificate among certs whose public key belongs to key, after checking
// that key is one MSAL can sign the client assertion with: MSAL Go (NewCredFromCert) takes RSA keys
// only. The error is a *KeyError.
func SigningCert(certs []*x509.Certificate, key crypto.PrivateKey) (*x509.Certificate, error) {
	if len(certs) == 0 {
		return nil, &KeyError{Code: code.AppCertMissing, msg: "no certificate was given with the private key"}
	}
	if key == nil {
		return nil, &KeyError{Code: code.AppCertKeyMissing, msg: "the certificate was given without its private key"}
	}
	kt := KeyType(key)
	rk, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, &KeyError{Code: code.CertKeyNotRSA, KeyType: kt, msg: fmt.Sprintf(
			"the certificate's private key is %s, but the Microsoft Authentication Library signs the client assertion "+
				"with RSA keys only: create an RSA certificate (2048 bits or more), upload its public part to the app "+
				"registration (Certificates & secrets > Certificates) and give it here", kt)}
	}
	for _, c := range certs {
		if c == nil {
			continue
		}
		if pub, ok := c.PublicKey.(*rsa.PublicKey); ok && pub.E == rk.E && pub.N.Cmp(rk.N) == 0 {
			return c, nil
		}
	}
	return nil, &KeyError{Code: code.AppCertKeyMismatch, KeyType: kt, msg: fmt.Sprintf(
		"the private key (%s) does not belong to the certificate %s: give the key that was created with this certificate",
		kt, certs[0].Subject)}
}

// KeyType names a private key's algorithm and size for messages ("RSA 2048", "ECDSA P-256").
func KeyType(key crypto.PrivateKey) string {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return fmt.Sprintf("RSA %d", k.N.BitLen())
	case *ecdsa.PrivateKey:
		return "ECDSA " + k.Curve.Params().Name
	case ed25519.PrivateKey, *ed25519.PrivateKey:
		return "Ed25519"
	case nil:
		return "none"
	}
	return fmt.Sprintf("%T", key)
}

// Thumbprint is the certificate's SHA-1 thumbprint in upper-case hex, as the Entra admin centre
// shows it under Certificates & secrets.
func Thumbprint(c *x509.Certificate) string {
	sum := sha1.Sum(c.Raw) // #nosec G401 -- a display fingerprint, as the portal shows it
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}
