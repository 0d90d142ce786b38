package session

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
)

// TestChainVerifyTimeout stands in for a platform verifier that never returns (one fetching
// intermediates over a network that holds them back): the tls check says the check timed out,
// within its bound, and the conversation goes on as over any unverified session. Not parallel:
// it replaces the package's verifier, and parallel tests start only after it has put it back.
func TestChainVerifyTimeout(t *testing.T) {
	ms, msTLS := msPKI(t)
	release := make(chan struct{})
	defer close(release)
	oldVerify, oldTimeout := verifyLeaf, chainVerifyTimeout
	verifyLeaf = func(*x509.Certificate, x509.VerifyOptions) ([][]*x509.Certificate, error) {
		<-release
		return nil, nil
	}
	chainVerifyTimeout = 200 * time.Millisecond
	defer func() { verifyLeaf, chainVerifyTimeout = oldVerify, oldTimeout }()

	srv := newServer(t, concat(exoUpToTLS(msTLS), exoProbeEnd())...)
	start := time.Now()
	out := Run(t.Context(), baseConfig(srv, ms))
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the run took %v; want the verify bounded by %v", d, chainVerifyTimeout)
	}
	if out.TLS.Status != check.Fail || finding(out.TLS, string(code.TLSVerifyFailed)) == nil {
		t.Fatalf("tls %s %v; want fail with %s", out.TLS.Status, codes(out.TLS), code.TLSVerifyFailed)
	}
	if got, _ := out.TLS.Facts["verify_error"].(string); !strings.Contains(got, "did not finish within 200ms") {
		t.Errorf("verify_error = %q; want it to say the check timed out", got)
	}
	if out.TLS.Facts["verified"] != false {
		t.Errorf("verified = %v; want false", out.TLS.Facts["verified"])
	}
}
