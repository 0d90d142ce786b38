package certcheck

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"net"
	"strings"
	"testing"
	"unicode/utf16"

	"software.sslmate.com/src/go-pkcs12"
)

const pfxPassword = "Tr0ub4dor&3-pfx"

func encodePFX(tb testing.TB, enc *pkcs12.Encoder, leaf *tcert, cas []*tcert, password string) []byte {
	tb.Helper()
	var ca []*x509.Certificate
	for _, c := range cas {
		ca = append(ca, c.cert)
	}
	data, err := enc.Encode(leaf.key, leaf.cert, ca, password)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func TestLoad(t *testing.T) {
	p := newPKI(t, "Load")
	rsaLeaf := p.leafUnder(t, spec{cn: "rsa.contoso.com", keyKind: "rsa", keyName: "load rsa"})
	ecLeaf := p.leafUnder(t, spec{cn: "ec.contoso.com", keyName: "load ec"})

	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaLeaf.key.(*rsa.PrivateKey))})
	sec1DER, err := x509.MarshalECPrivateKey(ecLeaf.key.(*ecdsa.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	sec1 := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1DER})
	ecParams := pem.EncodeToMemory(&pem.Block{Type: "EC PARAMETERS", Bytes: []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}})
	crlf := bytes.ReplaceAll(append(pemCerts(p.leaf, p.inter), pemKey(t, p.leaf.key)...), []byte("\n"), []byte("\r\n"))

	tests := []struct {
		name     string
		data     []byte
		password string
		format   string
		leafCN   string
		chain    int
		hasKey   bool
	}{
		{"PEM leaf, chain and PKCS#8 key", append(pemCerts(p.leaf, p.inter), pemKey(t, p.leaf.key)...), "", FormatPEM, "mail.contoso.com", 2, true},
		{"PEM key first", append(pemKey(t, p.leaf.key), pemCerts(p.leaf, p.inter)...), "", FormatPEM, "mail.contoso.com", 2, true},
		{"PEM PKCS#1 RSA key", append(pemCerts(rsaLeaf, p.inter), pkcs1...), "", FormatPEM, "rsa.contoso.com", 2, true},
		{"PEM SEC1 EC key after EC PARAMETERS", append(append(pemCerts(ecLeaf), ecParams...), sec1...), "", FormatPEM, "ec.contoso.com", 1, true},
		{"PEM without key, leaf found by issuing nothing", pemCerts(p.root, p.inter, p.leaf), "", FormatPEM, "mail.contoso.com", 3, false},
		{"PEM with CRLF and text around the blocks", append([]byte("Bag Attributes\r\n    friendlyName: mail\r\n"), crlf...), "", FormatPEM, "mail.contoso.com", 2, true},
		{"PEM in UTF-16LE with BOM", utf16le(append(pemCerts(p.leaf, p.inter), pemKey(t, p.leaf.key)...)), "", FormatPEM, "mail.contoso.com", 2, true},
		{"PEM with UTF-8 BOM", append([]byte("\xEF\xBB\xBF"), pemCerts(p.leaf)...), "", FormatPEM, "mail.contoso.com", 1, false},
		{"DER certificate", p.leaf.cert.Raw, "", FormatDER, "mail.contoso.com", 1, false},
		{"PFX with password", encodePFX(t, pkcs12.Modern2023, p.leaf, []*tcert{p.inter}, pfxPassword), pfxPassword, FormatPFX, "mail.contoso.com", 2, true},
		{"PFX legacy RC2 with password", encodePFX(t, pkcs12.LegacyRC2, rsaLeaf, []*tcert{p.inter, p.root}, pfxPassword), pfxPassword, FormatPFX, "rsa.contoso.com", 3, true},
		{"PFX legacy DES with empty password", encodePFX(t, pkcs12.LegacyDES, p.leaf, nil, ""), "", FormatPFX, "mail.contoso.com", 1, true},
		{"PFX without password", encodePFX(t, pkcs12.Passwordless, p.leaf, []*tcert{p.inter}, ""), "", FormatPFX, "mail.contoso.com", 2, true},
		{"PFX without password, stale password given", encodePFX(t, pkcs12.Passwordless, p.leaf, []*tcert{p.inter}, ""), "left-over", FormatPFX, "mail.contoso.com", 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Load(tt.data, tt.password)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if b.Format != tt.format || b.Leaf.Subject.CommonName != tt.leafCN || len(b.Chain) != tt.chain || (b.Key != nil) != tt.hasKey {
				t.Errorf("format, leaf, chain, key = %s, %s, %d, %v; want %s, %s, %d, %v",
					b.Format, b.Leaf.Subject.CommonName, len(b.Chain), b.Key != nil, tt.format, tt.leafCN, tt.chain, tt.hasKey)
			}
			if b.Key != nil && !keyMatches(b.Leaf, b.Key) {
				t.Errorf("the key does not match the leaf")
			}
		})
	}
}

func utf16le(b []byte) []byte {
	units := utf16.Encode([]rune(string(b)))
	out := []byte{0xFF, 0xFE}
	for _, u := range units {
		out = binary.LittleEndian.AppendUint16(out, u)
	}
	return out
}

func TestLoadErrors(t *testing.T) {
	p := newPKI(t, "Errors")
	withPW := encodePFX(t, pkcs12.Modern2023, p.leaf, []*tcert{p.inter}, pfxPassword)
	encHeaders := &pem.Block{Type: "RSA PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF"}, Bytes: []byte{1, 2, 3}}
	csr := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: []byte{0x30, 0x00}})
	tests := []struct {
		name     string
		data     []byte
		password string
		is       error  // errors.Is target, or nil
		contains string // in the message
	}{
		{"empty", nil, "", ErrNoCertificate, "empty"},
		{"too large", bytes.Repeat([]byte("A"), MaxFileSize+1), "", ErrTooLarge, "at most"},
		{"garbage", []byte("hello, world"), "", ErrNoCertificate, "neither PEM"},
		{"legacy encrypted PEM key", append(pemCerts(p.leaf), pem.EncodeToMemory(encHeaders)...), "", ErrEncryptedKey, "legacy PEM encryption"},
		{"PKCS#8 encrypted key", append(pemCerts(p.leaf), pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{1}})...), "", ErrEncryptedKey, "ENCRYPTED PRIVATE KEY"},
		{"key only", pemKey(t, p.leaf.key), "", ErrNoCertificate, "only a private key"},
		{"CSR only", csr, "", ErrNoCertificate, "certificate signing request"},
		{"two keys", append(append(pemCerts(p.leaf), pemKey(t, p.leaf.key)...), pemKey(t, p.inter.key)...), "", nil, "more than one private key"},
		{"broken certificate", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{0x30, 0x03, 1, 2, 3}}), "", nil, "certificate 1 in the file cannot be read"},
		{"PKCS#7 bundle", pkcs7Of(t, p.leaf), "", ErrNoCertificate, ".p7b"},
		{"too many certificates", bytes.Repeat(pemCerts(p.leaf), maxCerts+1), "", nil, "CA bundle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Load(tt.data, tt.password)
			if err == nil {
				t.Fatalf("Load = %v; want an error", b)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v; want it to wrap %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("error %q; want it to contain %q", err, tt.contains)
			}
			if !strings.HasPrefix(err.Error(), "certcheck: ") {
				t.Errorf("error %q; want the certcheck: prefix", err)
			}
		})
	}

	t.Run("wrong PFX password", func(t *testing.T) {
		const tried = "Wr0ng-Guess-42"
		_, err := Load(withPW, tried)
		var pe *PasswordError
		if !errors.As(err, &pe) || pe.Missing {
			t.Fatalf("error %v; want *PasswordError with Missing false", err)
		}
		msg := err.Error()
		if !strings.Contains(msg, "wrong PFX password (EXOPROBE_PFX_PASSWORD)") {
			t.Errorf("error %q; want it to name EXOPROBE_PFX_PASSWORD", msg)
		}
		if strings.Contains(msg, tried) || strings.Contains(msg, pfxPassword) {
			t.Errorf("error %q echoes a password", msg)
		}
	})
	t.Run("missing PFX password", func(t *testing.T) {
		_, err := Load(withPW, "")
		var pe *PasswordError
		if !errors.As(err, &pe) || !pe.Missing {
			t.Fatalf("error %v; want *PasswordError with Missing true", err)
		}
	})
	t.Run("PFX asking for too many iterations", func(t *testing.T) {
		data := withIterations(t, encodePFX(t, pkcs12.LegacyDES, p.leaf, nil, pfxPassword), maxPFXIterations+1)
		_, err := Load(data, pfxPassword)
		if err == nil || !strings.Contains(err.Error(), "key-derivation iterations") {
			t.Fatalf("error %v; want the iteration bound", err)
		}
	})
	t.Run("PFX given as --cert", func(t *testing.T) {
		_, err := LoadPair(withPW, pemKey(t, p.leaf.key))
		if err == nil {
			t.Fatal("LoadPair accepted a PFX as the certificate file")
		}
	})
}

// withIterations rewrites the MAC iteration count of a PFX (whose MAC uses the classic
// MacData fields, as LegacyDES writes it).
func withIterations(tb testing.TB, pfx []byte, n int) []byte {
	tb.Helper()
	var outer struct {
		Version  int
		AuthSafe asn1.RawValue
		MacData  struct {
			Mac        asn1.RawValue
			MacSalt    []byte
			Iterations int `asn1:"optional,default:1"`
		}
	}
	if _, err := asn1.Unmarshal(pfx, &outer); err != nil {
		tb.Fatal(err)
	}
	outer.MacData.Iterations = n
	out, err := asn1.Marshal(outer)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestMaxIterationCount(t *testing.T) {
	p := newPKI(t, "Iter")
	tests := []struct {
		name string
		data []byte
		want int64
	}{
		{"legacy DES 2048", encodePFX(t, pkcs12.LegacyDES, p.leaf, nil, "x"), 2048},
		{"modern 2023", encodePFX(t, pkcs12.Modern2023, p.leaf, nil, "x"), 2048},
		{"raised MAC count", withIterations(t, encodePFX(t, pkcs12.LegacyDES, p.leaf, nil, "x"), 5_000_000), 5_000_000},
		{"not DER", []byte("plain text"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := maxIterationCount(tt.data); got != tt.want {
				t.Errorf("maxIterationCount = %d; want %d", got, tt.want)
			}
		})
	}
}

func TestLoadPair(t *testing.T) {
	p := newPKI(t, "Pair")
	tests := []struct {
		name    string
		cert    []byte
		key     []byte
		wantErr error
	}{
		{"PEM certificate and key", pemCerts(p.leaf, p.inter), pemKey(t, p.leaf.key), nil},
		{"DER certificate and key", p.leaf.cert.Raw, pemKey(t, p.leaf.key), nil},
		{"key file with a certificate in it", pemCerts(p.leaf), append(pemCerts(p.inter), pemKey(t, p.leaf.key)...), nil},
		{"key file without a key", pemCerts(p.leaf), pemCerts(p.inter), ErrNoKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := LoadPair(tt.cert, tt.key)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error %v; want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadPair: %v", err)
			}
			if b.Leaf != b.Chain[0] || b.Key == nil || b.Format != FormatPEM {
				t.Errorf("leaf first, key, format = %v, %v, %s; want true, true, pem", b.Leaf == b.Chain[0], b.Key != nil, b.Format)
			}
		})
	}
}

func TestTLSCertificate(t *testing.T) {
	p := newPKI(t, "TLS")
	tests := []struct {
		name    string
		b       *Bundle
		want    []*tcert
		wantErr error
	}{
		{"in order", bundleOf(t, p.leaf.key, p.leaf, p.inter), []*tcert{p.leaf, p.inter}, nil},
		{"reordered, root kept", bundleOf(t, p.leaf.key, p.root, p.inter, p.leaf), []*tcert{p.leaf, p.inter, p.root}, nil},
		{"unrelated certificate left out", bundleOf(t, p.leaf.key, p.leaf, newPKI(t, "Stray").inter, p.inter), []*tcert{p.leaf, p.inter}, nil},
		{"no key", bundleOf(t, nil, p.leaf, p.inter), nil, ErrNoKey},
		{"wrong key", bundleOf(t, testKey(t, "ecdsa", "tls stranger"), p.leaf, p.inter), nil, ErrKeyMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.b.TLSCertificate()
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error %v; want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Certificate) != len(tt.want) {
				t.Fatalf("%d certificates; want %d", len(got.Certificate), len(tt.want))
			}
			for i, w := range tt.want {
				if !bytes.Equal(got.Certificate[i], w.cert.Raw) {
					t.Errorf("certificate %d is not %s", i, w.cert.Subject.CommonName)
				}
			}
		})
	}
}

// TestTLSCertificateHandshake presents the bundle to an in-memory TLS server that requires a
// client certificate, and checks that the server receives the whole chain and verifies it.
func TestTLSCertificateHandshake(t *testing.T) {
	p := newPKI(t, "Handshake")
	srvCert := mkcert(t, spec{cn: "smtp.test", dns: []string{"smtp.test"}, parent: p.inter, keyName: "handshake server",
		eku: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	b := bundleOf(t, p.leaf.key, p.inter, p.leaf) // out of order on purpose
	cc, err := b.TLSCertificate()
	if err != nil {
		t.Fatal(err)
	}
	c1, c2 := net.Pipe()
	defer c1.Close()
	defer c2.Close()
	server := tls.Server(c1, &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{srvCert.cert.Raw, p.inter.cert.Raw}, PrivateKey: srvCert.key}},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    p.roots(),
	})
	client := tls.Client(c2, &tls.Config{
		Certificates: []tls.Certificate{cc},
		RootCAs:      p.roots(),
		ServerName:   "smtp.test",
		MinVersion:   tls.VersionTLS12,
	})
	errc := make(chan error, 1)
	go func() { errc <- server.HandshakeContext(t.Context()) }()
	if err := client.HandshakeContext(t.Context()); err != nil {
		t.Fatalf("client handshake: %v", err)
	}
	if err := <-errc; err != nil {
		t.Fatalf("server handshake: %v", err)
	}
	peer := server.ConnectionState().PeerCertificates
	if len(peer) != 2 || !peer[0].Equal(p.leaf.cert) || !peer[1].Equal(p.inter.cert) {
		t.Errorf("server received %d certificates; want the leaf then the intermediate", len(peer))
	}
}

func TestNames(t *testing.T) {
	p := newPKI(t, "Names")
	l := p.leafUnder(t, spec{cn: "legacy.contoso.com", dns: []string{"mail.contoso.com", "MAIL.contoso.com", "smtp.contoso.com"}, keyName: "names"})
	got := bundleOf(t, nil, l).Names()
	want := []string{"mail.contoso.com", "smtp.contoso.com", "legacy.contoso.com"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("Names = %v; want %v", got, want)
	}
}

// pkcs7Of wraps certificates in a degenerate PKCS#7 signed-data, as a .p7b file holds them.
func pkcs7Of(tb testing.TB, certs ...*tcert) []byte {
	tb.Helper()
	var raw []byte
	for _, c := range certs {
		raw = append(raw, c.cert.Raw...)
	}
	type signedData struct {
		Version          int
		DigestAlgorithms asn1.RawValue
		ContentInfo      struct{ Type asn1.ObjectIdentifier }
		Certificates     asn1.RawValue `asn1:"optional,tag:0"`
		SignerInfos      asn1.RawValue
	}
	sd := signedData{
		Version:          1,
		DigestAlgorithms: asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true},
		Certificates:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: raw},
		SignerInfos:      asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true},
	}
	sd.ContentInfo.Type = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	inner, err := asn1.Marshal(sd)
	if err != nil {
		tb.Fatal(err)
	}
	out, err := asn1.Marshal(struct {
		Type    asn1.ObjectIdentifier
		Content asn1.RawValue `asn1:"explicit,tag:0"`
	}{oidSignedData, asn1.RawValue{FullBytes: inner}})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}
