package roots

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
)

// helperEnv makes the test binary, run as a child, compare its index with x509's own pool
// (TestIndexIsX509Pool): x509 loads the system's roots once per process, from the environment
// of that process, so only a fresh process can load them from a test's files.
const helperEnv = "EXOPROBE_ROOTS_HELPER"

// TestIndexIsX509Pool is run by storeMatchesX509 in a child process: it fails unless the index
// holds the certificates of x509.SystemCertPool, in the same order.
func TestIndexIsX509Pool(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		t.Skip("run as a child process by the tests of the store's files")
	}
	pool, err := x509.SystemCertPool()
	ix := loadSystem()
	if err != nil || pool == nil {
		if ix != nil {
			t.Fatalf("x509 has no pool (%v); the index holds %d certificates, want none", err, len(ix.certs))
		}
		return
	}
	if ix == nil {
		// x509 has a pool, and an empty one is what For's nil gives: Verify loads it.
		//lint:ignore SA1019 the subjects are the pool's only listing
		if n := len(pool.Subjects()); n != 0 {
			t.Fatalf("the index is nil; x509's pool holds %d certificates", n)
		}
		return
	}
	whole := ix.whole()
	if !whole.Equal(pool) {
		t.Fatal("the index holds other certificates than x509's pool")
	}
	//lint:ignore SA1019 the subjects are the pool's only listing, in the order of the pool
	got, want := whole.Subjects(), pool.Subjects()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("the index holds x509's certificates in another order:\ngot  %x\nwant %x", got, want)
	}
	fmt.Printf("roots: %d certificates, as x509 loads them\n", len(want))
}

// storeMatchesX509 runs TestIndexIsX509Pool in a child process with env added.
func storeMatchesX509(t *testing.T, env ...string) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the index reads the store only on Linux")
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestIndexIsX509Pool$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), append(env, helperEnv+"=1")...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the child process: %v\n%s", err, out)
	}
	t.Logf("%s", bytes.TrimSpace(out))
}

// whole returns a pool of every certificate of the index that parses: what x509 would load.
func (ix *index) whole() *x509.CertPool {
	pool := x509.NewCertPool()
	for _, der := range ix.certs {
		if c, err := x509.ParseCertificate(der); err == nil {
			pool.AddCert(c)
		}
	}
	return pool
}

func TestSystemStoreAsX509LoadsIt(t *testing.T) {
	// The machine's own store, as the environment of the test has it.
	storeMatchesX509(t)
}

// store is a root store in files, laid out the way distributions lay theirs out.
type store struct {
	dir        string
	file, dirs string // for SSL_CERT_FILE and SSL_CERT_DIR
}

func pemOf(certs ...*x509.Certificate) []byte {
	var b bytes.Buffer
	for _, c := range certs {
		_ = pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	return b.Bytes()
}

func newCA(t *testing.T, cn string) *fixtures.CA {
	t.Helper()
	ca, err := fixtures.NewCA(cn)
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// TestAnchorsVerifyAsWholeStore verifies chains against the anchors the index hands over and
// against the whole store, and wants the same chains or the same error, for every outcome the
// tls and clientcert checks tell apart.
func TestAnchorsVerifyAsWholeStore(t *testing.T) {
	root := newCA(t, "Root")
	inter, err := root.Intermediate("Issuing")
	if err != nil {
		t.Fatal(err)
	}
	decoy, err := fixtures.NewCAWithSubject(root.Cert.Subject) // Root's name, another key
	if err != nil {
		t.Fatal(err)
	}
	crossed, err := fixtures.NewCAWithSubject(inter.Cert.Subject) // Issuing's name as a root
	if err != nil {
		t.Fatal(err)
	}
	untrusted := newCA(t, "Untrusted")
	unrelated := []*fixtures.CA{newCA(t, "Unrelated 1"), newCA(t, "Unrelated 2")}
	leaf := func(o fixtures.CertOptions) *fixtures.Leaf {
		if o.DNSNames == nil {
			o.DNSNames = []string{"mx.example"}
		}
		l, err := inter.Issue(o)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	ok := leaf(fixtures.CertOptions{})
	self, err := fixtures.SelfSigned(fixtures.CertOptions{DNSNames: []string{"mx.example"}})
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := untrusted.Issue(fixtures.CertOptions{DNSNames: []string{"mx.example"}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()

	tests := []struct {
		name  string
		store []*x509.Certificate
		chain []*x509.Certificate
		host  string
		at    time.Time
	}{
		{name: "verifies", store: []*x509.Certificate{unrelated[0].Cert, root.Cert, unrelated[1].Cert},
			chain: []*x509.Certificate{ok.Cert, inter.Cert}, host: "mx.example", at: now},
		{name: "a root of the same name first", store: []*x509.Certificate{decoy.Cert, root.Cert},
			chain: []*x509.Certificate{ok.Cert, inter.Cert}, host: "mx.example", at: now},
		{name: "only a root of the same name", store: []*x509.Certificate{unrelated[0].Cert, decoy.Cert},
			chain: []*x509.Certificate{ok.Cert, inter.Cert}, host: "mx.example", at: now},
		{name: "the issuer is a root itself", store: []*x509.Certificate{crossed.Cert, inter.Cert},
			chain: []*x509.Certificate{ok.Cert}, host: "mx.example", at: now},
		{name: "incomplete chain", store: []*x509.Certificate{root.Cert},
			chain: []*x509.Certificate{ok.Cert}, host: "mx.example", at: now},
		{name: "unknown authority", store: []*x509.Certificate{root.Cert, unrelated[0].Cert},
			chain: []*x509.Certificate{foreign.Cert}, host: "mx.example", at: now},
		{name: "self-signed, not in the store", store: []*x509.Certificate{root.Cert},
			chain: []*x509.Certificate{self.Cert}, host: "mx.example", at: now},
		{name: "self-signed, in the store", store: []*x509.Certificate{root.Cert, self.Cert},
			chain: []*x509.Certificate{self.Cert}, host: "mx.example", at: now},
		{name: "wrong host name", store: []*x509.Certificate{root.Cert},
			chain: []*x509.Certificate{ok.Cert, inter.Cert}, host: "other.example", at: now},
		{name: "expired", store: []*x509.Certificate{root.Cert},
			chain: []*x509.Certificate{ok.Cert, inter.Cert}, host: "mx.example", at: now.AddDate(1, 0, 0)},
		{name: "not yet valid", store: []*x509.Certificate{root.Cert},
			chain: []*x509.Certificate{ok.Cert, inter.Cert}, host: "mx.example", at: now.AddDate(-1, 0, 0)},
		{name: "empty store", store: nil,
			chain: []*x509.Certificate{ok.Cert, inter.Cert}, host: "mx.example", at: now},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := newIndex()
			ix.addPEM(pemOf(tt.store...))
			verify := func(roots *x509.CertPool) ([][]*x509.Certificate, error) {
				inter := x509.NewCertPool()
				for _, c := range tt.chain[1:] {
					inter.AddCert(c)
				}
				return tt.chain[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, DNSName: tt.host, CurrentTime: tt.at})
			}
			got, gotErr := verify(ix.anchors(tt.chain))
			want, wantErr := verify(ix.whole())
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || reflect.TypeOf(gotErr) != reflect.TypeOf(wantErr) {
				t.Fatalf("with the anchors: %T %v; with the whole store: %T %v", gotErr, gotErr, wantErr, wantErr)
			}
			if !sameChains(got, want) {
				t.Errorf("with the anchors: %d chains %v; with the whole store: %d chains %v", len(got), names(got), len(want), names(want))
			}
		})
	}
}

func sameChains(a, b [][]*x509.Certificate) bool {
	return slices.EqualFunc(a, b, func(x, y []*x509.Certificate) bool {
		return slices.EqualFunc(x, y, (*x509.Certificate).Equal)
	})
}

func names(chains [][]*x509.Certificate) [][]string {
	var out [][]string
	for _, ch := range chains {
		var n []string
		for _, c := range ch {
			n = append(n, c.Subject.CommonName)
		}
		out = append(out, n)
	}
	return out
}

// TestAnchorsOfTheSystemStore verifies each root of this machine's store against the anchors
// and against the whole store: the same chains.
func TestAnchorsOfTheSystemStore(t *testing.T) {
	ix := loadSystem()
	if ix == nil {
		t.Skip("no system root store here")
	}
	whole := ix.whole()
	for _, der := range ix.certs {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			continue
		}
		opts := x509.VerifyOptions{CurrentTime: c.NotBefore.Add(time.Hour), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}
		opts.Roots = ix.anchors([]*x509.Certificate{c})
		got, gotErr := c.Verify(opts)
		opts.Roots = whole
		want, wantErr := c.Verify(opts)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !sameChains(got, want) {
			t.Errorf("%s: with the anchors %v %v; with the whole store %v %v", c.Subject, names(got), gotErr, names(want), wantErr)
		}
	}
}

// certificates for the subject tests: every shape the fixtures make.
func subjectSamples(t testing.TB) []*x509.Certificate {
	ca, err := fixtures.NewCAWithSubject(pkix.Name{CommonName: "Sample Root", Organization: []string{"exoprobe"}, Country: []string{"DE"}})
	if err != nil {
		t.Fatal(err)
	}
	inter, err := ca.Intermediate("Sample Issuing")
	if err != nil {
		t.Fatal(err)
	}
	out := []*x509.Certificate{ca.Cert, inter.Cert}
	for _, o := range []fixtures.CertOptions{
		{DNSNames: []string{"mx.example"}},
		{DNSNames: []string{"rsa.example"}, KeyType: fixtures.RSA},
		{Subject: pkix.Name{}, Client: true},
	} {
		l, err := inter.Issue(o)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, l.Cert)
	}
	self, err := fixtures.SelfSigned(fixtures.CertOptions{DNSNames: []string{"self.example"}})
	if err != nil {
		t.Fatal(err)
	}
	return append(out, self.Cert)
}

func TestRawSubject(t *testing.T) {
	certs := subjectSamples(t)
	if ix := loadSystem(); ix != nil {
		for _, der := range ix.certs {
			if c, err := x509.ParseCertificate(der); err == nil {
				certs = append(certs, c)
			}
		}
	}
	for _, c := range certs {
		got, ok := rawSubject(c.Raw)
		if !ok || !bytes.Equal(got, c.RawSubject) {
			t.Errorf("rawSubject(%s) = %x, %v; want %x", c.Subject, got, ok, c.RawSubject)
		}
	}
	for _, bad := range [][]byte{nil, {0x30}, {0x30, 0x85, 1, 2, 3, 4, 5}, {0x30, 0x80}, {0x30, 0x03, 0x30, 0x01}, {0x31, 0x00}} {
		if s, ok := rawSubject(bad); ok {
			t.Errorf("rawSubject(%x) = %x; want no subject", bad, s)
		}
	}
}

// FuzzRawSubject: whatever x509 parses, rawSubject reads the same subject from; nothing panics.
func FuzzRawSubject(f *testing.F) {
	for _, c := range subjectSamples(f) {
		f.Add(c.Raw)
	}
	f.Fuzz(func(t *testing.T, der []byte) {
		got, ok := rawSubject(der)
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return
		}
		if !ok || !bytes.Equal(got, c.RawSubject) {
			t.Fatalf("rawSubject = %x, %v; x509 reads %x", got, ok, c.RawSubject)
		}
	})
}

func TestFor(t *testing.T) {
	given := x509.NewCertPool()
	chain := subjectSamples(t)[2:3]
	if got := For(given, chain); got != given {
		t.Errorf("For(given) = %p; want the given pool %p", got, given)
	}
	Preload(nil)
	Preload(nil) // once per process: nothing more
	got := For(nil, chain)
	switch {
	case runtime.GOOS == "linux" && loadSystem() != nil && got == nil:
		t.Error("For(nil) after Preload = nil; want the system's anchors")
	case runtime.GOOS != "linux" && got != nil:
		t.Error("For(nil) = a pool; want nil (x509's own roots) outside Linux")
	}
}

// TestForMissingCertIsUnknownAuthority: a chain none of the system's roots anchors gets the
// error the whole store gives it.
func TestForMissingCertIsUnknownAuthority(t *testing.T) {
	Preload(nil)
	l, err := newCA(t, "Nobody's Root").Issue(fixtures.CertOptions{DNSNames: []string{"mx.example"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.Cert.Verify(x509.VerifyOptions{Roots: For(nil, []*x509.Certificate{l.Cert}), DNSName: "mx.example"})
	var ua x509.UnknownAuthorityError
	if !errors.As(err, &ua) {
		t.Errorf("Verify: %T %v; want x509.UnknownAuthorityError", err, err)
	}
}

func BenchmarkLoadSystem(b *testing.B) {
	if loadSystem() == nil {
		b.Skip("no system root store here")
	}
	for b.Loop() {
		loadSystem()
	}
}

func BenchmarkAnchors(b *testing.B) {
	ix := loadSystem()
	if ix == nil {
		b.Skip("no system root store here")
	}
	chain := subjectSamples(b)[2:4]
	for b.Loop() {
		ix.anchors(chain)
	}
}
