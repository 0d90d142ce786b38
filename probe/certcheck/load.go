// Package certcheck reads the client certificate that a sending server presents to an
// Exchange Online inbound connector of type OnPremises (PEM, PFX/PKCS#12 or DER) and inspects
// it offline: validity, chain as sent, trust, key, and whether its names match the connector's
// TlsSenderCertificateName and the tenant's accepted domain. It never prints and never echoes a
// password.
package certcheck

import (
	"bytes"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"unicode/utf16"

	"software.sslmate.com/src/go-pkcs12"
)

// The formats a Bundle can come from.
const (
	FormatPEM = "pem" // PEM text: CERTIFICATE blocks and optionally one private key
	FormatPFX = "pfx" // PKCS#12 (.pfx, .p12), as Windows and most CAs export it
	FormatDER = "der" // one binary certificate (.cer, .crt), as Windows exports it; no key
)

// MaxFileSize is the largest certificate file Load accepts. A client certificate with its chain
// and key is a few kilobytes; anything near this size is not a certificate file.
const MaxFileSize = 4 << 20

// maxCerts bounds the certificates in one file: a client chain has two to four, and the
// order analysis compares every pair.
const maxCerts = 64

// maxPFXIterations bounds the key-derivation iteration counts a PFX file may ask for, read
// before any derivation runs. Windows, OpenSSL 3 and .NET use 2000 or 2048, Java 10000; a
// crafted or corrupt file could ask for billions and hold the probe for hours.
const maxPFXIterations = 1_000_000

// Errors Load and LoadPair return; match them with errors.Is. Each is wrapped with the detail.
var (
	// ErrTooLarge is returned for input over MaxFileSize.
	ErrTooLarge = errors.New("certcheck: file too large to be a certificate")
	// ErrEncryptedKey is returned for a PEM private key protected by a passphrase, which
	// exoprobe does not decrypt.
	ErrEncryptedKey = errors.New("certcheck: the private key is encrypted")
	// ErrNoCertificate is returned when the input holds no readable certificate.
	ErrNoCertificate = errors.New("certcheck: no certificate found")
	// ErrNoKey is returned when a key file holds no private key, and by TLSCertificate when
	// the bundle has none.
	ErrNoKey = errors.New("certcheck: no private key")
	// ErrKeyMismatch is returned by TLSCertificate when the private key does not belong to
	// the leaf certificate.
	ErrKeyMismatch = errors.New("certcheck: the private key does not belong to the certificate")
)

// PasswordError reports that a PFX file could not be opened with the password given (from
// EXOPROBE_PFX_PASSWORD or the prompt). It never holds the password.
type PasswordError struct {
	// Missing is true when no password was given and the file needs one.
	Missing bool
}

func (e *PasswordError) Error() string {
	if e.Missing {
		return "certcheck: the PFX file is password-protected: set EXOPROBE_PFX_PASSWORD or enter the password at the prompt"
	}
	return "certcheck: wrong PFX password (EXOPROBE_PFX_PASSWORD)"
}

// Bundle is a certificate as read from a file: the leaf the sender presents, every certificate
// the file holds, and the private key when the file has one.
type Bundle struct {
	// Leaf is the end-entity certificate: the one the private key belongs to, or without a
	// key the one that issued no other certificate in the file.
	Leaf *x509.Certificate
	// Chain is every certificate in the file, the leaf included, in file order. A sender
	// sends what its file holds, so the order is reported as found.
	Chain []*x509.Certificate
	// Key is the private key, nil when the file has none (a .cer, or PEM without a key).
	Key crypto.PrivateKey
	// Format is FormatPEM, FormatPFX or FormatDER.
	Format string
}

// Load reads a certificate file: PEM (CERTIFICATE blocks and at most one PRIVATE KEY,
// RSA PRIVATE KEY or EC PRIVATE KEY block), PFX/PKCS#12, or a single DER certificate.
// password opens a PFX file and is ignored otherwise; it never appears in an error.
// PEM saved as UTF-16 (Windows PowerShell 5 redirection does that) is read as well.
func Load(data []byte, password string) (*Bundle, error) {
	data, err := normalize(data)
	if err != nil {
		return nil, err
	}
	if isPEM(data) {
		return loadPEM(data)
	}
	if looksLikePFX(data) {
		return loadPFX(data, password)
	}
	cert, err := x509.ParseCertificate(data)
	if err != nil {
		if isPKCS7(data) {
			return nil, fmt.Errorf("%w: the file is a PKCS#7 bundle (.p7b); export the certificate as PFX (with its key and chain) or PEM instead", ErrNoCertificate)
		}
		return nil, fmt.Errorf("%w: the file is neither PEM (-----BEGIN CERTIFICATE-----), PFX/P12, nor a DER certificate (%d bytes)", ErrNoCertificate, len(data))
	}
	return newBundle([]*x509.Certificate{cert}, nil, FormatDER), nil
}

// LoadPair reads a certificate file (PEM or DER, as for --cert) and a separate PEM key file
// (--key). The key file must hold exactly one private key; certificates in it are ignored.
func LoadPair(certPEM, keyPEM []byte) (*Bundle, error) {
	b, err := Load(certPEM, "")
	if err != nil {
		return nil, err
	}
	if b.Format == FormatPFX {
		return nil, fmt.Errorf("certcheck: the certificate file is a PFX: give it with --pfx, not --cert")
	}
	keyPEM, err = normalize(keyPEM)
	if err != nil {
		return nil, err
	}
	p, err := parsePEM(keyPEM)
	if err != nil {
		return nil, err
	}
	if p.key == nil {
		return nil, fmt.Errorf("%w in the key file: expected a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block", ErrNoKey)
	}
	return newBundle(b.Chain, p.key, FormatPEM), nil
}

// TLSCertificate returns the certificate to present during STARTTLS: the leaf first, then its
// issuers from the file in order (the root too when the file has it). Certificates in the file
// that are not part of the leaf's chain are left out.
func (b *Bundle) TLSCertificate() (tls.Certificate, error) {
	if b == nil || b.Leaf == nil {
		return tls.Certificate{}, ErrNoCertificate
	}
	if b.Key == nil {
		return tls.Certificate{}, fmt.Errorf("%w: give --key with --cert, or a PFX that holds the key", ErrNoKey)
	}
	if !keyMatches(b.Leaf, b.Key) {
		return tls.Certificate{}, ErrKeyMismatch
	}
	path := buildPath(b.Leaf, b.Chain)
	raw := make([][]byte, len(path))
	for i, c := range path {
		raw[i] = c.Raw
	}
	return tls.Certificate{Certificate: raw, PrivateKey: b.Key, Leaf: b.Leaf}, nil
}

// Names returns the DNS names of the leaf: the subject alternative names first, then the
// subject common name when it is not among them. A sender can use one as its EHLO name.
func (b *Bundle) Names() []string {
	if b == nil || b.Leaf == nil {
		return nil
	}
	refs := certNames(b.Leaf)
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.name
	}
	return out
}

// normalize bounds the input and turns UTF-16 text (with a byte-order mark) into UTF-8.
func normalize(data []byte) ([]byte, error) {
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(data), MaxFileSize)
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrNoCertificate)
	}
	if len(data) >= 2 && len(data)%2 == 0 {
		var units []uint16
		switch {
		case data[0] == 0xFF && data[1] == 0xFE:
			for i := 2; i < len(data); i += 2 {
				units = append(units, uint16(data[i])|uint16(data[i+1])<<8)
			}
		case data[0] == 0xFE && data[1] == 0xFF:
			for i := 2; i < len(data); i += 2 {
				units = append(units, uint16(data[i])<<8|uint16(data[i+1]))
			}
		}
		if units != nil {
			data = []byte(string(utf16.Decode(units)))
		}
	}
	return bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")), nil
}

func isPEM(data []byte) bool { return bytes.Contains(data, []byte("-----BEGIN ")) }

// pemContents is what one PEM file held.
type pemContents struct {
	certs []*x509.Certificate
	key   crypto.PrivateKey
	// other names blocks that explain an empty result: a CSR, a PKCS#7 bundle.
	other []string
}

func loadPEM(data []byte) (*Bundle, error) {
	p, err := parsePEM(data)
	if err != nil {
		return nil, err
	}
	if len(p.certs) == 0 {
		switch {
		case len(p.other) > 0:
			return nil, fmt.Errorf("%w: the file holds a %s, not a certificate", ErrNoCertificate, p.other[0])
		case p.key != nil:
			return nil, fmt.Errorf("%w: the file holds only a private key; give the certificate with --cert and this file with --key", ErrNoCertificate)
		}
		return nil, fmt.Errorf("%w: no readable CERTIFICATE block in the PEM file", ErrNoCertificate)
	}
	return newBundle(p.certs, p.key, FormatPEM), nil
}

func parsePEM(data []byte) (*pemContents, error) {
	var p pemContents
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		switch block.Type {
		case "CERTIFICATE", "X509 CERTIFICATE":
			if len(p.certs) == maxCerts {
				return nil, fmt.Errorf("certcheck: more than %d certificates in one file: this is a CA bundle, not a client certificate", maxCerts)
			}
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("certcheck: certificate %d in the file cannot be read: %w", len(p.certs)+1, err)
			}
			p.certs = append(p.certs, c)
		case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY":
			if _, ok := block.Headers["DEK-Info"]; ok || block.Headers["Proc-Type"] == "4,ENCRYPTED" {
				return nil, fmt.Errorf("%w with a passphrase (legacy PEM encryption of the %s block), which exoprobe does not decrypt: write an unencrypted copy (openssl pkey -in key.pem -out plain.pem) or use the PFX with --pfx", ErrEncryptedKey, block.Type)
			}
			if p.key != nil {
				return nil, fmt.Errorf("certcheck: more than one private key in the file; keep only the one that belongs to the certificate")
			}
			k, err := parseKey(block)
			if err != nil {
				return nil, err
			}
			p.key = k
		case "ENCRYPTED PRIVATE KEY":
			return nil, fmt.Errorf("%w with a passphrase (ENCRYPTED PRIVATE KEY), which exoprobe does not decrypt: write an unencrypted copy (openssl pkey -in key.pem -out plain.pem) or use the PFX with --pfx", ErrEncryptedKey)
		case "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST":
			p.other = append(p.other, "certificate signing request (CSR): send it to the CA and use the certificate it returns")
		case "PKCS7":
			p.other = append(p.other, "PKCS#7 bundle (.p7b): export the certificate as PFX or PEM instead")
		}
	}
	return &p, nil
}

func parseKey(block *pem.Block) (crypto.PrivateKey, error) {
	var k crypto.PrivateKey
	var err error
	switch block.Type {
	case "RSA PRIVATE KEY":
		k, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		k, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		k, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	}
	if err != nil {
		// Some tools label a PKCS#8 key as RSA or EC; accept it when it parses as one.
		if k8, err8 := x509.ParsePKCS8PrivateKey(block.Bytes); err8 == nil {
			return k8, nil
		}
		return nil, fmt.Errorf("certcheck: the private key (%s) cannot be read: %w", block.Type, err)
	}
	return k, nil
}

// looksLikePFX reports whether data is a DER SEQUENCE whose first element is an INTEGER (the
// PFX version); a DER certificate starts with a SEQUENCE instead.
func looksLikePFX(data []byte) bool {
	var outer asn1.RawValue
	if _, err := asn1.Unmarshal(data, &outer); err != nil || outer.Tag != asn1.TagSequence || !outer.IsCompound {
		return false
	}
	var first asn1.RawValue
	if _, err := asn1.Unmarshal(outer.Bytes, &first); err != nil {
		return false
	}
	return first.Class == asn1.ClassUniversal && first.Tag == asn1.TagInteger
}

// oidSignedData is PKCS#7 signed-data, the content type of a .p7b certificate bundle.
var oidSignedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}

// isPKCS7 reports whether data is a DER PKCS#7 ContentInfo of type signed-data.
func isPKCS7(data []byte) bool {
	var ci struct {
		Type    asn1.ObjectIdentifier
		Content asn1.RawValue `asn1:"explicit,optional,tag:0"`
	}
	_, err := asn1.Unmarshal(data, &ci)
	return err == nil && ci.Type.Equal(oidSignedData)
}

func loadPFX(data []byte, password string) (*Bundle, error) {
	if n := maxIterationCount(data); n > maxPFXIterations {
		return nil, fmt.Errorf("certcheck: the PFX file asks for %d key-derivation iterations (at most %d are read); re-export it", n, maxPFXIterations)
	}
	key, leaf, cas, err := pkcs12.DecodeChain(data, password)
	if err != nil && password != "" && !isPasswordErr(err) {
		// A PFX without a password (no MAC) refuses any password; a stale
		// EXOPROBE_PFX_PASSWORD from another file should not hide that it opens without one.
		if k2, l2, c2, err2 := pkcs12.DecodeChain(data, ""); err2 == nil {
			key, leaf, cas, err = k2, l2, c2, nil
		}
	}
	if err != nil {
		if isPasswordErr(err) {
			return nil, &PasswordError{Missing: password == ""}
		}
		var ni pkcs12.NotImplementedError
		if errors.As(err, &ni) {
			return nil, fmt.Errorf("certcheck: the PFX file uses a format exoprobe cannot read; re-export it (Windows: Export-PfxCertificate, or openssl pkcs12 -export): %w", err)
		}
		return nil, fmt.Errorf("certcheck: the PFX file cannot be read: %w", err)
	}
	if 1+len(cas) > maxCerts {
		return nil, fmt.Errorf("certcheck: more than %d certificates in one file: this is a CA bundle, not a client certificate", maxCerts)
	}
	certs := append([]*x509.Certificate{leaf}, cas...)
	return newBundle(certs, key, FormatPFX), nil
}

func isPasswordErr(err error) bool {
	return errors.Is(err, pkcs12.ErrIncorrectPassword) || errors.Is(err, pkcs12.ErrDecryption)
}

// maxIterationCount walks the DER structure that can be read without the password and returns
// the largest iteration count in it: an INTEGER that follows an OCTET STRING (the salt) in a
// SEQUENCE, as in MacData, pbeParams and PBKDF2-params. OCTET STRINGs that hold DER (the
// authenticated safe, unencrypted safe contents, shrouded key bags) are walked too.
func maxIterationCount(data []byte) int64 {
	budget := 1 << 16 // elements visited; a real PFX has a few hundred
	var walk func(b []byte, depth int) int64
	walk = func(b []byte, depth int) int64 {
		var max int64
		var prevOctets bool
		for len(b) > 0 && budget > 0 && depth < 24 {
			budget--
			var v asn1.RawValue
			rest, err := asn1.Unmarshal(b, &v)
			if err != nil {
				return max
			}
			b = rest
			universal := v.Class == asn1.ClassUniversal
			if universal && v.Tag == asn1.TagInteger && !v.IsCompound && prevOctets {
				n := int64(1) << 62 // too long to be an int64: treat as huge
				if len(v.Bytes) <= 8 {
					var i int64
					if _, err := asn1.Unmarshal(v.FullBytes, &i); err == nil {
						n = i
					}
				}
				if n > max {
					max = n
				}
			}
			var inner int64
			switch {
			case v.IsCompound:
				inner = walk(v.Bytes, depth+1)
			case universal && v.Tag == asn1.TagOctetString:
				inner = walk(v.Bytes, depth+1)
			}
			if inner > max {
				max = inner
			}
			// go-pkcs12 checks only the tag number of a PBKDF2 salt, not its class.
			prevOctets = !v.IsCompound && v.Tag == asn1.TagOctetString
		}
		return max
	}
	return walk(data, 0)
}

// newBundle picks the leaf: the certificate the key belongs to, or without a key the one that
// issued no other certificate in the file (an end-entity certificate before a CA one).
func newBundle(certs []*x509.Certificate, key crypto.PrivateKey, format string) *Bundle {
	b := &Bundle{Chain: certs, Key: key, Format: format}
	if key != nil {
		for _, c := range certs {
			if keyMatches(c, key) {
				b.Leaf = c
				return b
			}
		}
	}
	for _, c := range certs {
		if issuesAnother(c, certs) {
			continue
		}
		if b.Leaf == nil || (b.Leaf.IsCA && !c.IsCA) {
			b.Leaf = c
		}
	}
	if b.Leaf == nil {
		b.Leaf = certs[0]
	}
	return b
}

// keyMatches reports whether key is the private half of c's public key.
func keyMatches(c *x509.Certificate, key crypto.PrivateKey) bool {
	priv, ok := key.(interface{ Public() crypto.PublicKey })
	if !ok {
		return false
	}
	pub, ok := priv.Public().(interface{ Equal(crypto.PublicKey) bool })
	return ok && pub.Equal(c.PublicKey)
}
