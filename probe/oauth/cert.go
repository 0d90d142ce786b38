package oauth

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"software.sslmate.com/src/go-pkcs12"
)

// MaxCredentialFileBytes bounds the certificate, key and PFX files the loaders read.
const MaxCredentialFileBytes = 1 << 20

// KeyError says why a certificate credential cannot be used to sign the client assertion. It is
// returned before MSAL is called, and Acquire turns it into a finding.
type KeyError struct {
	// Code is the finding code: "cert-key-not-rsa", "cert-key-mismatch", "cert-missing" or
	// "cert-key-missing".
	Code string
	// KeyType names the key ("ECDSA P-256", "Ed25519", "RSA 2048").
	KeyType string
	msg     string
}

func (e *KeyError) Error() string { return "oauth: " + e.msg }

// ParsePEM reads a client certificate for the token request from PEM: keyPEM may be nil when
// certPEM holds the key as well. It accepts CERTIFICATE, PRIVATE KEY (PKCS#8), RSA PRIVATE KEY
// (PKCS#1) and EC PRIVATE KEY blocks, so that an ECDSA key is recognised and refused with a clear
// message rather than reported as missing. Encrypted keys are refused.
func ParsePEM(certPEM, keyPEM []byte) ([]*x509.Certificate, crypto.PrivateKey, error) {
	if len(certPEM)+len(keyPEM) > MaxCredentialFileBytes {
		return nil, nil, fmt.Errorf("oauth: certificate files larger than %d bytes are not certificates", MaxCredentialFileBytes)
	}
	var certs []*x509.Certificate
	var key crypto.PrivateKey
	for _, data := range [][]byte{certPEM, keyPEM} {
		for {
			var block *pem.Block
			block, data = pem.Decode(data)
			if block == nil {
				break
			}
			if _, ok := block.Headers["DEK-Info"]; ok || block.Type == "ENCRYPTED PRIVATE KEY" {
				return nil, nil, errors.New("oauth: the private key is encrypted; give it unencrypted " +
					"(openssl pkcs8 -topk8 -nocrypt -in key.pem -out plain.pem) and protect the file, or use a PFX with EXOPROBE_PFX_PASSWORD")
			}
			switch block.Type {
			case "CERTIFICATE":
				c, err := x509.ParseCertificate(block.Bytes)
				if err != nil {
					return nil, nil, fmt.Errorf("oauth: a CERTIFICATE block does not parse: %w", err)
				}
				certs = append(certs, c)
			case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY":
				if key != nil {
					return nil, nil, errors.New("oauth: the PEM holds more than one private key")
				}
				k, err := parsePEMKey(block)
				if err != nil {
					return nil, nil, err
				}
				key = k
			}
		}
	}
	if len(certs) == 0 {
		return nil, nil, errors.New("oauth: no CERTIFICATE block found in the certificate file")
	}
	if key == nil {
		return nil, nil, errors.New("oauth: no private key found: give --client-key, or a PEM that holds both the certificate and its key")
	}
	return certs, key, nil
}

func parsePEMKey(block *pem.Block) (crypto.PrivateKey, error) {
	var (
		k   any
		err error
	)
	switch block.Type {
	case "PRIVATE KEY":
		k, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		k, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	default:
		k, err = x509.ParseECPrivateKey(block.Bytes)
	}
	if err != nil {
		return nil, fmt.Errorf("oauth: the %s block does not parse: %w", block.Type, err)
	}
	return k, nil
}

// ParsePFX reads a client certificate for the token request from a PFX (PKCS#12) file. The
// password comes from EXOPROBE_PFX_PASSWORD or a prompt; errors never quote it.
func ParsePFX(data []byte, password string) ([]*x509.Certificate, crypto.PrivateKey, error) {
	if len(data) > MaxCredentialFileBytes {
		return nil, nil, fmt.Errorf("oauth: PFX files larger than %d bytes are not certificates", MaxCredentialFileBytes)
	}
	key, leaf, chain, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		if errors.Is(err, pkcs12.ErrIncorrectPassword) {
			return nil, nil, errors.New("oauth: wrong PFX password (EXOPROBE_PFX_PASSWORD)")
		}
		return nil, nil, fmt.Errorf("oauth: the PFX does not decode: %w", err)
	}
	return append([]*x509.Certificate{leaf}, chain...), key, nil
}

// SigningCert returns the certificate among certs whose public key belongs to key, after checking
// that key is one MSAL can sign the client assertion with: MSAL Go (NewCredFromCert) takes RSA keys
// only. The error is a *KeyError.
func SigningCert(certs []*x509.Certificate, key crypto.PrivateKey) (*x509.Certificate, error) {
	if len(certs) == 0 {
		return nil, &KeyError{Code: "cert-missing", msg: "no certificate was given with the private key"}
	}
	if key == nil {
		return nil, &KeyError{Code: "cert-key-missing", msg: "the certificate was given without its private key"}
	}
	kt := KeyType(key)
	rk, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, &KeyError{Code: "cert-key-not-rsa", KeyType: kt, msg: fmt.Sprintf(
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
	return nil, &KeyError{Code: "cert-key-mismatch", KeyType: kt, msg: fmt.Sprintf(
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

// looksLikePEM reports whether data starts like a PEM file (after optional whitespace).
func looksLikePEM(data []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(data), []byte("-----BEGIN"))
}

// ParseCredentialFile reads a certificate credential from one file, PEM or PFX (told apart by
// their content), with an optional separate PEM key file.
func ParseCredentialFile(data, keyPEM []byte, pfxPassword string) ([]*x509.Certificate, crypto.PrivateKey, error) {
	if looksLikePEM(data) {
		return ParsePEM(data, keyPEM)
	}
	return ParsePFX(data, pfxPassword)
}
