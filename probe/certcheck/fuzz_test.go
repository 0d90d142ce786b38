package certcheck

import (
	"bytes"
	"crypto/x509"
	"strings"
	"testing"

	"software.sslmate.com/src/go-pkcs12"
)

// fuzzPassword opens the PFX seeds; it must never show up in an error.
const fuzzPassword = "Fuzz-Secret-7f3a"

func FuzzLoad(f *testing.F) {
	p := newPKI(f, "Fuzz")
	rsaLeaf := p.leafUnder(f, spec{cn: "rsa.contoso.com", keyKind: "rsa", keyName: "fuzz rsa"})
	f.Add(append(pemCerts(p.leaf, p.inter), pemKey(f, p.leaf.key)...))
	f.Add(pemCerts(p.inter, p.leaf, p.root))
	f.Add(append(pemKey(f, rsaLeaf.key), pemCerts(rsaLeaf)...))
	f.Add(p.leaf.cert.Raw)
	f.Add(encodePFX(f, pkcs12.Modern2023, p.leaf, []*tcert{p.inter}, fuzzPassword))
	f.Add(encodePFX(f, pkcs12.LegacyDES, rsaLeaf, []*tcert{p.inter, p.root}, fuzzPassword))
	f.Add(encodePFX(f, pkcs12.Passwordless, p.leaf, nil, ""))
	f.Add([]byte("-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n-----END CERTIFICATE REQUEST-----\n"))
	f.Add([]byte("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n"))
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x03})
	f.Add([]byte{})

	roots := p.roots()
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, pw := range []string{"", fuzzPassword} {
			b, err := Load(data, pw)
			if err != nil {
				if !bytes.Contains(data, []byte(fuzzPassword)) && strings.Contains(err.Error(), fuzzPassword) {
					t.Fatalf("error echoes the password: %v", err)
				}
				continue
			}
			if b.Leaf == nil || len(b.Chain) == 0 || len(b.Chain) > maxCerts {
				t.Fatalf("Load gave leaf %v with %d certificates", b.Leaf, len(b.Chain))
			}
			found := false
			for _, c := range b.Chain {
				found = found || c == b.Leaf
			}
			if !found {
				t.Fatal("the leaf is not in the chain")
			}
			r := Inspect(b, Config{Roots: roots, Now: fixedNow, CertDomain: "*.contoso.com", Domain: "contoso.com"}).Result
			if r.Summary == "" {
				t.Fatal("no summary")
			}
			if tc, err := b.TLSCertificate(); err == nil && (len(tc.Certificate) == 0 || !bytes.Equal(tc.Certificate[0], b.Leaf.Raw)) {
				t.Fatal("TLSCertificate does not start with the leaf")
			}
		}
	})
}

func FuzzValidateCertDomain(f *testing.F) {
	for _, s := range []string{"mail.contoso.com", "*.contoso.com", "mail.*.contoso.com", "contoso", "a@b.c", "203.0.113.7", "*.", "xn--bcher-kva.example"} {
		f.Add(s, "mail.contoso.com")
	}
	f.Fuzz(func(t *testing.T, connector, name string) {
		if ValidateCertDomain(connector) == nil {
			if MatchCertName(connector, connector) != Matches {
				t.Fatalf("valid connector %q does not match itself", connector)
			}
			if strings.Count(connector, "*") > 1 {
				t.Fatalf("valid connector %q has more than one wildcard", connector)
			}
		}
		_ = MatchCertName(connector, name)
	})
}

func BenchmarkLoadPEM(b *testing.B) {
	p := newPKI(b, "Bench")
	data := append(pemCerts(p.leaf, p.inter), pemKey(b, p.leaf.key)...)
	for b.Loop() {
		if _, err := Load(data, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadPFX(b *testing.B) {
	p := newPKI(b, "Bench")
	data := encodePFX(b, pkcs12.Modern2023, p.leaf, []*tcert{p.inter}, fuzzPassword)
	for b.Loop() {
		if _, err := Load(data, fuzzPassword); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkInspect(b *testing.B) {
	p := newPKI(b, "Bench")
	bundle := bundleOf(b, p.leaf.key, p.leaf, p.inter)
	cfg := Config{Roots: p.roots(), Now: fixedNow, CertDomain: "*.contoso.com", Domain: "contoso.com"}
	for b.Loop() {
		if r := Inspect(bundle, cfg).Result; r.Status == "" {
			b.Fatal("no status")
		}
	}
}

func BenchmarkInspectSystemRoots(b *testing.B) {
	p := newPKI(b, "Bench")
	bundle := bundleOf(b, p.leaf.key, p.leaf, p.inter)
	if _, err := x509.SystemCertPool(); err != nil {
		b.Skip("no system roots:", err)
	}
	cfg := Config{Now: fixedNow, CertDomain: "mail.contoso.com"}
	for b.Loop() {
		Inspect(bundle, cfg)
	}
}
