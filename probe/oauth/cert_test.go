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
)

func TestParseCredentials(t *testing.T) {
	t.Parallel()
	rsaLeaf := issue(t, fixtures.CertOptions{DNSNames: []string{"app.contoso.com"}, Client: true, KeyType: fixtures.RSA, KeySlot: 601})
	ecLeaf := issue(t, fixtures.CertOptions{DNSNames: []string{"app.contoso.com"}, Client: true})
	ecDER, err := x509.MarshalECPrivateKey(ecLeaf.Key.(*ecdsa.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	ecSEC1 := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecDER})
	encrypted := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Headers: map[string]string{
		"Proc-Type": "4,ENCRYPTED", "DEK-Info": "DES-EDE3-CBC,0011223344556677"}, Bytes: []byte{1, 2, 3}})
	const pfxPassword = "pfx-pass-Q7w!"
	pfx, err := pkcs12.Modern.Encode(rsaLeaf.Key, rsaLeaf.Cert, rsaLeaf.Chain, pfxPassword)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		data     []byte
		keyPEM   []byte
		password string
		wantErr  string // part of the error; "" for success
		wantKey  string // KeyType of the key; "" to skip
		wantCode string // SigningCert's KeyError code; "" for a usable credential
	}{
		{name: "pem cert and key in one file", data: append(rsaLeaf.ChainPEM(), rsaLeaf.KeyPEM()...), wantKey: "RSA 2048"},
		{name: "pem key in its own file", data: rsaLeaf.CertPEM(), keyPEM: rsaLeaf.KeyPEM(), wantKey: "RSA 2048"},
		{name: "pem ecdsa pkcs8", data: ecLeaf.CertPEM(), keyPEM: ecLeaf.KeyPEM(), wantKey: "ECDSA P-256", wantCode: "cert-key-not-rsa"},
		{name: "pem ecdsa sec1", data: ecLeaf.CertPEM(), keyPEM: ecSEC1, wantKey: "ECDSA P-256", wantCode: "cert-key-not-rsa"},
		{name: "pem key of another cert", data: ecLeaf.CertPEM(), keyPEM: rsaLeaf.KeyPEM(), wantKey: "RSA 2048", wantCode: "cert-key-mismatch"},
		{name: "pem without key", data: rsaLeaf.CertPEM(), wantErr: "no private key found"},
		{name: "pem without certificate", data: rsaLeaf.KeyPEM(), wantErr: "no CERTIFICATE block"},
		{name: "pem encrypted key", data: rsaLeaf.CertPEM(), keyPEM: encrypted, wantErr: "encrypted"},
		{name: "pem two keys", data: append(rsaLeaf.CertPEM(), append(rsaLeaf.KeyPEM(), rsaLeaf.KeyPEM()...)...), wantErr: "more than one private key"},
		{name: "pfx", data: pfx, password: pfxPassword, wantKey: "RSA 2048"},
		{name: "pfx wrong password", data: pfx, password: "Tr0ub4dor&3", wantErr: "wrong PFX password (EXOPROBE_PFX_PASSWORD)"},
		{name: "not a pfx", data: []byte("garbage"), wantErr: "does not decode"},
		{name: "too large", data: make([]byte, MaxCredentialFileBytes+1), wantErr: "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			certs, key, err := ParseCredentialFile(tt.data, tt.keyPEM, tt.password)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got err %v; want %q", err, tt.wantErr)
				}
				if tt.password != "" && strings.Contains(err.Error(), tt.password) {
					t.Errorf("the error quotes the password: %v", err)
				}
				if !strings.HasPrefix(err.Error(), "oauth: ") {
					t.Errorf("got %q; want the package prefix", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("got err %v; want none", err)
			}
			if tt.wantKey != "" && KeyType(key) != tt.wantKey {
				t.Errorf("got key %s; want %s", KeyType(key), tt.wantKey)
			}
			leaf, err := SigningCert(certs, key)
			var ke *KeyError
			switch {
			case tt.wantCode == "" && err != nil:
				t.Errorf("SigningCert got %v; want the leaf", err)
			case tt.wantCode == "" && leaf.Subject.CommonName != "app.contoso.com":
				t.Errorf("SigningCert got %s; want the app certificate", leaf.Subject)
			case tt.wantCode != "" && (!errors.As(err, &ke) || ke.Code != tt.wantCode):
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
