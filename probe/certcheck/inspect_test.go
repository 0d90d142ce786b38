package certcheck

import (
	"crypto/x509"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
)

// findingKeys lists a result's findings as "severity:code", sorted.
func findingKeys(r *check.Result) []string {
	out := []string{}
	for _, f := range r.Findings {
		out = append(out, string(f.Severity)+":"+string(f.Code))
	}
	slices.Sort(out)
	return out
}

func TestInspect(t *testing.T) {
	p := newPKI(t, "Contoso")
	other := newPKI(t, "Other")
	cfg := func(extra ...func(*Config)) Config {
		c := Config{Roots: p.roots(), Now: fixedNow, CertDomain: "mail.contoso.com"}
		for _, f := range extra {
			f(&c)
		}
		return c
	}
	withCertDomain := func(d string) func(*Config) { return func(c *Config) { c.CertDomain = d } }
	withDomain := func(d string) func(*Config) { return func(c *Config) { c.Domain = d } }
	withRoots := func(r *x509.CertPool) func(*Config) { return func(c *Config) { c.Roots = r } }

	tests := []struct {
		name  string
		build func(t *testing.T) (*Bundle, Config)
		want  []string
		// inMessage, when set, must appear in the message of the first finding.
		inMessage string
		status    check.Status
	}{
		{
			name: "valid chain with key",
			build: func(t *testing.T) (*Bundle, Config) {
				return bundleOf(t, p.leaf.key, p.leaf, p.inter), cfg()
			},
			want: []string{}, status: check.Pass,
		},
		{
			name: "valid chain with the root in the file",
			build: func(t *testing.T) (*Bundle, Config) {
				return bundleOf(t, p.leaf.key, p.leaf, p.inter, p.root), cfg()
			},
			want: []string{}, status: check.Pass,
		},
		{
			name: "self-signed",
			build: func(t *testing.T) (*Bundle, Config) {
				ss := mkcert(t, spec{cn: "mail.contoso.com", dns: []string{"mail.contoso.com"}, keyName: "self",
					eku: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
				return bundleOf(t, ss.key, ss), cfg()
			},
			want: []string{"fail:cert-self-signed"}, inMessage: "self-signed", status: check.Fail,
		},
		{
			name: "missing intermediate",
			build: func(t *testing.T) (*Bundle, Config) {
				return bundleOf(t, p.leaf.key, p.leaf), cfg()
			},
			want: []string{"fail:cert-chain-incomplete"}, inMessage: "CN=Contoso Issuing CA", status: check.Fail,
		},
		{
			name: "intermediate before the leaf",
			build: func(t *testing.T) (*Bundle, Config) {
				return bundleOf(t, p.leaf.key, p.inter, p.leaf), cfg()
			},
			want: []string{"fail:cert-chain-incomplete"}, inMessage: "is number 2 of 2", status: check.Fail,
		},
		{
			name: "root between leaf and intermediate",
			build: func(t *testing.T) (*Bundle, Config) {
				return bundleOf(t, p.leaf.key, p.leaf, p.root, p.inter), cfg()
			},
			want: []string{"fail:cert-chain-incomplete"}, inMessage: "number 2 (CN=Contoso Root CA) is not the issuer of number 1", status: check.Fail,
		},
		{
			name: "out of order without a key",
			build: func(t *testing.T) (*Bundle, Config) {
				return bundleOf(t, nil, p.root, p.inter, p.leaf), cfg()
			},
			want: []string{"fail:cert-chain-incomplete"}, inMessage: "is number 3 of 3", status: check.Fail,
		},
		{
			name: "untrusted root, root not in the file",
			build: func(t *testing.T) (*Bundle, Config) {
				return bundleOf(t, p.leaf.key, p.leaf, p.inter), cfg(withRoots(other.roots()))
			},
			want: []string{"fail:cert-untrusted-root"}, inMessage: "issued by CN=Contoso Root CA", status: check.Fail,
		},
		{
			name: "untrusted root in the file",
			build: func(t *testing.T) (*Bundle, Config) {
				return bundleOf(t, p.leaf.key, p.leaf, p.inter, p.root), cfg(withRoots(x509.NewCertPool()))
			},
			want: []string{"fail:cert-untrusted-root"}, inMessage: "ends at the root CN=Contoso Root CA", status: check.Fail,
		},
		{
			name: "expired",
			build: func(t *testing.T) (*Bundle, Config) {
				l := p.leafUnder(t, spec{cn: "mail.contoso.com", dns: []string{"mail.contoso.com"}, keyName: "expired",
					notBefore: testNow.AddDate(-1, 0, 0), notAfter: testNow.AddDate(0, 0, -3)})
				return bundleOf(t, l.key, l, p.inter), cfg()
			},
			want: []string{"fail:cert-expired"}, inMessage: "3 days ago", status: check.Fail,
		},
		{
			name: "not yet valid",
			build: func(t *testing.T) (*Bundle, Config) {
				l := p.leafUnder(t, spec{cn: "mail.contoso.com", dns: []string{"mail.contoso.com"}, keyName: "future",
					notBefore: testNow.AddDate(0, 0, 5), notAfter: testNow.AddDate(1, 0, 0)})
				return bundleOf(t, l.key, l, p.inter), cfg()
			},
			want: []string{"fail:cert-not-yet-valid"}, inMessage: "valid only from 2026-11-27", status: check.Fail,
		},
		{
			name: "expiring in 10 days",
			build: func(t *testing.T) (*Bundle, Config) {
				l := p.leafUnder(t, spec{cn: "mail.contoso.com", dns: []string{"mail.contoso.com"}, keyName: "soon",
					notAfter: testNow.Add(10*24*time.Hour + time.Hour)})
				return bundleOf(t, l.key, l, p.inter), cfg()
			},
			want: []string{"warn:cert-expiring"}, inMessage: "in 10 days", status: check.Warn,
		},
		{
			name: "expired intermediate",
			build: func(t *testing.T) (*Bundle, Config) {
				oldInter := mkcert(t, spec{cn: "Contoso Old CA", ca: true, parent: p.root, keyName: "old inter",
					notBefore: testNow.AddDate(-3, 0, 0), notAfter: testNow.AddDate(0, -1, 0)})
				l := mkcert(t, spec{cn: "mail.contoso.com", dns: []string{"mail.contoso.com"}, parent: oldInter, keyName: "under old",
					eku: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
				return bundleOf(t, l.key, l, oldInter), cfg()
			},
			want: []string{"fail:cert-expired"}, inMessage: "intermediate certificate CN=Contoso Old CA", status: check.Fail,
		},
		{
			name: "key mismatch",
			build: func(t *testing.T) (*Bundle, Config) {
				return bundleOf(t, testKey(t, "ecdsa", "stranger"), p.leaf, p.inter), cfg()
			},
			want: []string{"fail:cert-key-mismatch"}, status: check.Fail,
		},
		{
			name: "serverAuth only is a note",
			build: func(t *testing.T) (*Bundle, Config) {
				l := p.leafUnder(t, spec{cn: "mail.contoso.com", dns: []string{"mail.contoso.com"}, keyName: "server only",
					eku: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
				return bundleOf(t, l.key, l, p.inter), cfg()
			},
			want: []string{"pass:cert-no-clientauth"}, inMessage: "serverAuth, without clientAuth", status: check.Pass,
		},
		{
			name: "no EKU extension at all",
			build: func(t *testing.T) (*Bundle, Config) {
				l := mkcert(t, spec{cn: "mail.contoso.com", dns: []string{"mail.contoso.com"}, keyName: "no eku", parent: p.inter})
				return bundleOf(t, l.key, l, p.inter), cfg()
			},
			want: []string{}, status: check.Pass,
		},
		{
			name: "RSA leaf",
			build: func(t *testing.T) (*Bundle, Config) {
				l := p.leafUnder(t, spec{cn: "mail.contoso.com", dns: []string{"mail.contoso.com"}, keyName: "rsa leaf", keyKind: "rsa"})
				return bundleOf(t, l.key, l, p.inter), cfg()
			},
			want: []string{}, status: check.Pass,
		},
		{
			name: "connector name differs",
			build: func(t *testing.T) (*Bundle, Config) {
				l := p.leafUnder(t, spec{cn: "mail.fabrikam.com", dns: []string{"mail.fabrikam.com"}, keyName: "fabrikam"})
				return bundleOf(t, l.key, l, p.inter), cfg(withCertDomain("*.contoso.com"), withDomain(""))
			},
			want:      []string{"fail:cert-domain-mismatch"},
			inMessage: "the certificate names mail.fabrikam.com; the connector expects *.contoso.com", status: check.Fail,
		},
		{
			name: "connector wildcard matches a deeper name",
			build: func(t *testing.T) (*Bundle, Config) {
				l := p.leafUnder(t, spec{cn: "a.b.contoso.com", dns: []string{"a.b.contoso.com"}, keyName: "deep"})
				return bundleOf(t, l.key, l, p.inter), cfg(withCertDomain("*.contoso.com"), withDomain(""))
			},
			want: []string{}, status: check.Pass,
		},
		{
			name: "connector wildcard matches the domain itself",
			build: func(t *testing.T) (*Bundle, Config) {
				l := p.leafUnder(t, spec{cn: "contoso.com", dns: []string{"contoso.com"}, keyName: "apex"})
				return bundleOf(t, l.key, l, p.inter), cfg(withCertDomain("*.contoso.com"), withDomain("contoso.com"))
			},
			want: []string{}, status: check.Pass,
		},
		{
			name: "wildcard certificate against an exact connector name",
			build: func(t *testing.T) (*Bundle, Config) {
				l := p.leafUnder(t, spec{cn: "*.contoso.com", dns: []string{"*.contoso.com"}, keyName: "wild"})
				return bundleOf(t, l.key, l, p.inter), cfg(withDomain(""))
			},
			want: []string{"warn:cert-domain-mismatch"}, inMessage: "only the wildcard *.contoso.com", status: check.Warn,
		},
		{
			name: "wildcard certificate against the same wildcard connector",
			build: func(t *testing.T) (*Bundle, Config) {
				l := p.leafUnder(t, spec{cn: "*.contoso.com", dns: []string{"*.contoso.com", "contoso.com"}, keyName: "wild2"})
				return bundleOf(t, l.key, l, p.inter), cfg(withCertDomain("*.contoso.com"), withDomain("contoso.com"))
			},
			want: []string{}, status: check.Pass,
		},
		{
			name: "wildcard certificate against the apex",
			build: func(t *testing.T) (*Bundle, Config) {
				l := p.leafUnder(t, spec{cn: "*.contoso.com", dns: []string{"*.contoso.com"}, keyName: "wild3"})
				return bundleOf(t, l.key, l, p.inter), cfg(withCertDomain("contoso.com"), withDomain(""))
			},
			want: []string{"fail:cert-domain-mismatch"}, status: check.Fail,
		},
		{
			name: "connector name in the CN while SANs differ",
			build: func(t *testing.T) (*Bundle, Config) {
				l := p.leafUnder(t, spec{cn: "legacy.contoso.com", dns: []string{"mail.contoso.com"}, keyName: "cn only"})
				return bundleOf(t, l.key, l, p.inter), cfg(withCertDomain("LEGACY.Contoso.com."))
			},
			want: []string{}, status: check.Pass,
		},
		{
			name: "CN only, no SAN",
			build: func(t *testing.T) (*Bundle, Config) {
				l := p.leafUnder(t, spec{cn: "mail.contoso.com", keyName: "no san"})
				return bundleOf(t, l.key, l, p.inter), cfg()
			},
			want: []string{}, status: check.Pass,
		},
		{
			name: "invalid connector name",
			build: func(t *testing.T) (*Bundle, Config) {
				return bundleOf(t, p.leaf.key, p.leaf, p.inter), cfg(withCertDomain("mail.*.contoso.com"))
			},
			want: []string{"fail:cert-domain-mismatch"}, inMessage: "embedded wildcard", status: check.Fail,
		},
		{
			name: "certificate names the accepted domain itself",
			build: func(t *testing.T) (*Bundle, Config) {
				l := p.leafUnder(t, spec{cn: "contoso.com", dns: []string{"contoso.com", "mail.contoso.com"}, keyName: "exact"})
				return bundleOf(t, l.key, l, p.inter), cfg(withDomain("contoso.com"))
			},
			want: []string{}, status: check.Pass,
		},
		{
			name: "certificate names a subdomain of the accepted domain",
			build: func(t *testing.T) (*Bundle, Config) {
				return bundleOf(t, p.leaf.key, p.leaf, p.inter), cfg(withDomain("Contoso.com"))
			},
			want: []string{"warn:cert-not-accepted-domain"}, inMessage: "Add mail.contoso.com as an accepted domain", status: check.Warn,
		},
		{
			name: "certificate outside the accepted domain",
			build: func(t *testing.T) (*Bundle, Config) {
				l := p.leafUnder(t, spec{cn: "relay.fabrikam.com", dns: []string{"relay.fabrikam.com"}, keyName: "outside"})
				return bundleOf(t, l.key, l, p.inter), cfg(withCertDomain("relay.fabrikam.com"), withDomain("contoso.com"))
			},
			want: []string{"warn:cert-not-accepted-domain"}, inMessage: "(relay.fabrikam.com) is contoso.com or under it", status: check.Warn,
		},
		{
			name: "wildcard-only certificate and the accepted domain",
			build: func(t *testing.T) (*Bundle, Config) {
				l := p.leafUnder(t, spec{cn: "*.contoso.com", dns: []string{"*.contoso.com"}, keyName: "wild4"})
				return bundleOf(t, l.key, l, p.inter), cfg(withCertDomain("*.contoso.com"), withDomain("contoso.com"))
			},
			want: []string{"warn:cert-not-accepted-domain"}, inMessage: "names the wildcard *.contoso.com but not contoso.com itself", status: check.Warn,
		},
		{
			name: "not a lookalike domain",
			build: func(t *testing.T) (*Bundle, Config) {
				l := p.leafUnder(t, spec{cn: "notcontoso.com", dns: []string{"notcontoso.com"}, keyName: "lookalike"})
				return bundleOf(t, l.key, l, p.inter), cfg(withCertDomain("*.contoso.com"), withDomain("contoso.com"))
			},
			want:   []string{"fail:cert-domain-mismatch", "warn:cert-not-accepted-domain"},
			status: check.Fail,
		},
		{
			name: "several problems at once",
			build: func(t *testing.T) (*Bundle, Config) {
				l := p.leafUnder(t, spec{cn: "mail.fabrikam.com", dns: []string{"mail.fabrikam.com"}, keyName: "many",
					notAfter: testNow.AddDate(0, 0, -1), eku: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
				return bundleOf(t, nil, l), cfg(withDomain("contoso.com"))
			},
			want: []string{"fail:cert-chain-incomplete", "fail:cert-domain-mismatch", "fail:cert-expired",
				"pass:cert-no-clientauth", "warn:cert-not-accepted-domain"},
			status: check.Fail,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, c := tt.build(t)
			r := Inspect(b, c).Result
			if got := findingKeys(r); !slices.Equal(got, tt.want) {
				for _, f := range r.Findings {
					t.Logf("%s %s: %s", f.Severity, f.Code, f.Message)
				}
				t.Fatalf("findings = %v; want %v", got, tt.want)
			}
			if r.Status != tt.status {
				t.Errorf("status = %s; want %s", r.Status, tt.status)
			}
			if tt.inMessage != "" && !strings.Contains(r.Findings[0].Message, tt.inMessage) {
				t.Errorf("message = %q; want it to contain %q", r.Findings[0].Message, tt.inMessage)
			}
			if r.ID != CheckID || r.Summary == "" {
				t.Errorf("id, summary = %q, %q; want %q and a summary", r.ID, r.Summary, CheckID)
			}
			if _, err := json.Marshal(r); err != nil {
				t.Errorf("result does not marshal: %v", err)
			}
		})
	}
}

func TestInspectFacts(t *testing.T) {
	p := newPKI(t, "Facts")
	tests := []struct {
		name    string
		keyKind string
		keyType string
		bits    int
	}{
		{"ecdsa", "ecdsa", "ECDSA", 256},
		{"rsa", "rsa", "RSA", 2048},
		{"ed25519", "ed25519", "Ed25519", 256},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := p.leafUnder(t, spec{cn: "mail.contoso.com", dns: []string{"mail.contoso.com", "smtp.contoso.com"},
				keyKind: tt.keyKind, keyName: "facts " + tt.name})
			b := bundleOf(t, l.key, l, p.inter)
			r := Inspect(b, Config{Roots: p.roots(), Now: fixedNow}).Result
			f := r.Facts
			if f["key_type"] != tt.keyType || f["key_bits"] != tt.bits {
				t.Errorf("key = %v %v; want %s %d", f["key_type"], f["key_bits"], tt.keyType, tt.bits)
			}
			if got := f["sans"].([]string); !slices.Equal(got, []string{"mail.contoso.com", "smtp.contoso.com"}) {
				t.Errorf("sans = %v; want mail.contoso.com, smtp.contoso.com", got)
			}
			if f["days_left"] != 365 {
				t.Errorf("days_left = %v; want 365", f["days_left"])
			}
			if got := f["ekus"].([]string); !slices.Equal(got, []string{"serverAuth", "clientAuth"}) {
				t.Errorf("ekus = %v; want serverAuth, clientAuth", got)
			}
			if f["chain_order_ok"] != true || f["self_signed"] != false || f["has_private_key"] != true || f["key_matches"] != true {
				t.Errorf("chain_order_ok, self_signed, has_private_key, key_matches = %v %v %v %v; want true false true true",
					f["chain_order_ok"], f["self_signed"], f["has_private_key"], f["key_matches"])
			}
			chain := f["chain"].([]ChainCert)
			if len(chain) != 2 || chain[0].Issuer != "CN=Facts Issuing CA,O=Test" || !chain[1].CA {
				t.Errorf("chain = %+v; want leaf then CA CN=Facts Issuing CA", chain)
			}
			verified := f["verified_chain"].([]string)
			want := []string{"CN=mail.contoso.com,O=Test", "CN=Facts Issuing CA,O=Test", "CN=Facts Root CA,O=Test"}
			if !slices.Equal(verified, want) {
				t.Errorf("verified_chain = %v; want %v", verified, want)
			}
			if f["subject"] != "CN=mail.contoso.com,O=Test" || f["issuer"] != "CN=Facts Issuing CA,O=Test" {
				t.Errorf("subject, issuer = %v, %v", f["subject"], f["issuer"])
			}
			if s, _ := f["thumbprint"].(string); len(s) != 40 {
				t.Errorf("thumbprint = %q; want 40 hex digits", s)
			}
			if !strings.HasPrefix(r.Summary, "mail.contoso.com, issued by CN=Facts Issuing CA, expires 2027-11-22 (365 days)") {
				t.Errorf("summary = %q", r.Summary)
			}
		})
	}
}

func TestInspectNil(t *testing.T) {
	r := Inspect(nil, Config{}).Result
	if r.Status != check.Skip {
		t.Errorf("status = %s; want skip", r.Status)
	}
}

// TestInspectPlatformVerifier stands in for what the Windows and macOS verifiers do beyond
// Go's own: complete a chain from the network, hang on a blocked network, find no root store.
func TestInspectPlatformVerifier(t *testing.T) {
	p := newPKI(t, "Platform")
	tests := []struct {
		name      string
		verify    func(*x509.Certificate, x509.VerifyOptions) ([][]*x509.Certificate, error)
		want      []string
		inMessage string
	}{
		{
			name: "intermediate downloaded by the verifier",
			verify: func(*x509.Certificate, x509.VerifyOptions) ([][]*x509.Certificate, error) {
				return [][]*x509.Certificate{{p.leaf.cert, p.inter.cert, p.root.cert}}, nil
			},
			want: []string{"fail:cert-chain-incomplete"}, inMessage: "the file lacks the intermediate certificate CN=Platform Issuing CA",
		},
		{
			name: "verifier hangs",
			verify: func(*x509.Certificate, x509.VerifyOptions) ([][]*x509.Certificate, error) {
				time.Sleep(time.Second)
				return nil, x509.UnknownAuthorityError{}
			},
			want: []string{"warn:cert-untrusted-root"}, inMessage: "did not finish within 20ms",
		},
		{
			name: "no root store",
			verify: func(*x509.Certificate, x509.VerifyOptions) ([][]*x509.Certificate, error) {
				return nil, x509.SystemRootsError{}
			},
			want: []string{"warn:cert-untrusted-root"}, inMessage: "no trusted root store",
		},
		{
			name: "other verification error",
			verify: func(c *x509.Certificate, _ x509.VerifyOptions) ([][]*x509.Certificate, error) {
				return nil, x509.CertificateInvalidError{Cert: c, Reason: x509.NotAuthorizedToSign}
			},
			want: []string{"fail:cert-untrusted-root"}, inMessage: "does not verify on this machine",
		},
	}
	defer func(v func(*x509.Certificate, x509.VerifyOptions) ([][]*x509.Certificate, error), d time.Duration) {
		verifyCert, verifyTimeout = v, d
	}(verifyCert, verifyTimeout)
	verifyTimeout = 20 * time.Millisecond
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			verifyCert = tt.verify
			r := Inspect(bundleOf(t, p.leaf.key, p.leaf), Config{Now: fixedNow}).Result
			if got := findingKeys(r); !slices.Equal(got, tt.want) {
				t.Fatalf("findings = %v; want %v", got, tt.want)
			}
			if !strings.Contains(r.Findings[0].Message, tt.inMessage) {
				t.Errorf("message = %q; want it to contain %q", r.Findings[0].Message, tt.inMessage)
			}
		})
	}
}
