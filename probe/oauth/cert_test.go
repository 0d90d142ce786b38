package oauth

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe/certcheck"
)

// TestCredentialFiles reads certificate credentials the way exoprobe submit does (probe/certcheck
// loads the files) and checks that SigningCert accepts what MSAL can sign with and names what it
// cannot, before any request is made.
func TestCredentialFiles(t *testing.T) {
	t.Parallel()
	rsaLeaf := issue(t, fixtures.CertOptions{DNSNames: []string{"app.contoso.com"}, Client: true, KeyType: fixtures.RSA, KeySlot: 601})
	ecLeaf := issue(t, fixtures.CertOptions{DNSNames: []string{"app.contoso.com"}, Client: true})
	ecDER, err := x509.MarshalECPrivateKey(ecLeaf.Key.(*ecdsa.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	ecSEC1 := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecDER})
	const pfxPassword = "pfx-pass-Q7w!"
	pfx, err := pkcs12.Modern.Encode(rsaLeaf.Key, rsaLeaf.Cert, rsaLeaf.Chain, pfxPassword)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		data     []byte
		keyPEM   []byte // nil: the key is in data
		password string
		wantKey  string // KeyType of the key
		wantCode string // SigningCert's KeyError code; "" for a usable credential
	}{
		{name: "pem cert and key in one file", data: append(rsaLeaf.ChainPEM(), rsaLeaf.KeyPEM()...), wantKey: "RSA 2048"},
		{name: "pem key in its own file", data: rsaLeaf.CertPEM(), keyPEM: rsaLeaf.KeyPEM(), wantKey: "RSA 2048"},
		{name: "pem ecdsa pkcs8", data: ecLeaf.CertPEM(), keyPEM: ecLeaf.KeyPEM(), wantKey: "ECDSA P-256", wantCode: "cert-key-not-rsa"},
		{name: "pem ecdsa sec1", data: ecLeaf.CertPEM(), keyPEM: ecSEC1, wantKey: "ECDSA P-256", wantCode: "cert-key-not-rsa"},
		{name: "pem key of another cert", data: ecLeaf.CertPEM(), keyPEM: rsaLeaf.KeyPEM(), wantKey: "RSA 2048", wantCode: "app-cert-key-mismatch"},
		{name: "pfx", data: pfx, password: pfxPassword, wantKey: "RSA 2048"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var (
				b   *certcheck.Bundle
				err error
			)
			if tt.keyPEM != nil {
				b, err = certcheck.LoadPair(tt.data, tt.keyPEM)
			} else {
				b, err = certcheck.Load(tt.data, tt.password)
			}
			if err != nil {
				t.Fatalf("got err %v; want the credential read", err)
			}
			if KeyType(b.Key) != tt.wantKey {
				t.Errorf("got key %s; want %s", KeyType(b.Key), tt.wantKey)
			}
			leaf, err := SigningCert(b.Chain, b.Key)
			var ke *KeyError
			switch {
			case tt.wantCode == "" && err != nil:
				t.Errorf("SigningCert got %v; want the leaf", err)
			case tt.wantCode == "" && leaf.Subject.CommonName != "app.contoso.com":
				t.Errorf("SigningCert got %s; want the app certificate", leaf.Subject)
			case tt.wantCode != "" && (!errors.As(err, &ke) || string(ke.Code) != tt.wantCode):
				t.Errorf("SigningCert got %v; want KeyError %s", err, tt.wantCode)
			}
		})
	}
}

func TestThumbprint(t *testing.T) {
	t.Parallel()
	l := issue(t, fixtures.CertOptions{DNSNames: []string{"app.contoso.com"}})
	got := Thumbprint(l.Cert)
	if len(got) != 40 || strings.ToUpper(got) != got {
		t.Errorf("got %q; want 40 upper-case hex digits as the portal shows", got)
	}
}

// MSAL reads MSAL_FORCE_REGION, which would send the request through instance discovery to
// login.microsoftonline.com; the check must keep asking the authority it was given.
func TestForcedRegionIgnored(t *testing.T) {
	t.Setenv("MSAL_FORCE_REGION", "westeurope")
	ts := fixtures.NewTokenServer(t, fixtures.TokenConfig{})
	cfg := secretConfig(ts)
	cfg.Timeout = 3 * time.Second
	if r := Acquire(t.Context(), cfg).Result; r.Status != "pass" {
		t.Errorf("got %s %v; want pass against the authority given", r.Status, r.Findings)
	}
}
