package roots

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"path/filepath"
	"slices"
	"testing"

	"github.com/exoprobe/exoprobe/fixtures"
)

// TestStoreFilesAsX509ReadsThem lays out a store with everything x509's reading has a rule
// for, and checks that the index holds what x509 loads from it, in the same order.
func TestStoreFilesAsX509ReadsThem(t *testing.T) {
	a, b, c, d, e := newCA(t, "Root A"), newCA(t, "Root B"), newCA(t, "Root C"), newCA(t, "Root D"), newCA(t, "Root E")
	sameName, err := fixtures.NewCAWithSubject(a.Cert.Subject) // another key under A's name
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	withHeaders := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Headers: map[string]string{"Note": "x"}, Bytes: e.Cert.Raw})
	garbage := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("\x30\x03\x02\x01\x01")})
	other := pem.EncodeToMemory(&pem.Block{Type: "TRUSTED CERTIFICATE", Bytes: d.Cert.Raw})
	bundle := slices.Concat([]byte("# a comment before the first block\n"), pemOf(a.Cert, b.Cert), withHeaders, garbage, other,
		pemOf(b.Cert, sameName.Cert))
	write(t, filepath.Join(dir, "bundle.pem"), bundle)
	certs := filepath.Join(dir, "certs")
	write(t, filepath.Join(certs, "Root_A.pem"), pemOf(a.Cert))                                                      // repeats the bundle
	write(t, filepath.Join(certs, "Root_A_CRLF.pem"), bytes.ReplaceAll(pemOf(a.Cert), []byte("\n"), []byte("\r\n"))) // same certificate, other text
	write(t, filepath.Join(certs, "Root_C.pem"), pemOf(c.Cert))                                                      // new
	write(t, filepath.Join(certs, "two.pem"), pemOf(a.Cert, d.Cert))                                                 // one known, one new
	write(t, filepath.Join(certs, "README"), []byte("not a certificate\n"))                                          // nothing
	symlink(t, "Root_C.pem", filepath.Join(certs, "1a2b3c4d.0"))                                                     // OpenSSL's hash link: skipped
	outside := filepath.Join(dir, "share", "Root_E.crt")
	write(t, outside, pemOf(e.Cert))
	symlink(t, outside, filepath.Join(certs, "Root_E.pem")) // a link out of the directory: read
	s := store{dir: dir, file: filepath.Join(dir, "bundle.pem"), dirs: certs + ":" + filepath.Join(dir, "missing")}

	t.Run("x509 loads the same", func(t *testing.T) {
		storeMatchesX509(t, certFileEnv+"="+s.file, certDirEnv+"="+s.dirs)
	})
	t.Run("each certificate once, in order", func(t *testing.T) {
		t.Setenv(certFileEnv, s.file)
		t.Setenv(certDirEnv, s.dirs)
		ix := loadSystem()
		if ix == nil {
			t.Fatal("loadSystem() = nil; want the store")
		}
		// The directory in name order: Root_A*.pem repeat A, Root_C.pem, Root_E.pem, two.pem adds D.
		want := []*x509.Certificate{a.Cert, b.Cert, sameName.Cert, c.Cert, e.Cert, d.Cert}
		if len(ix.certs) != len(want) {
			t.Fatalf("the index holds %d certificates; want %d", len(ix.certs), len(want))
		}
		for i, der := range ix.certs {
			if !bytes.Equal(der, want[i].Raw) {
				ct, _ := x509.ParseCertificate(der)
				t.Errorf("certificate %d is %v; want %s", i, ct.Subject, want[i].Subject)
			}
		}
	})
	t.Run("no certificate: left to x509", func(t *testing.T) {
		t.Setenv(certFileEnv, filepath.Join(dir, "none.pem"))
		t.Setenv(certDirEnv, filepath.Join(certs, "README"))
		if ix := loadSystem(); ix != nil {
			t.Errorf("loadSystem() holds %d certificates; want nil", len(ix.certs))
		}
		storeMatchesX509(t, certFileEnv+"="+filepath.Join(dir, "none.pem"), certDirEnv+"="+filepath.Join(dir, "missing"))
	})
}
