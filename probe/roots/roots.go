// Package roots gives a run's certificate checks the trusted roots to verify a chain against,
// without putting the system's root store on the run's critical path.
//
// Go reads the whole system store the first time a chain is verified against it: on Linux it
// reads the bundle and every file of the certificate directories and parses each certificate,
// 13-18 ms on a 2-core machine, which is most of a relay run against a server on loopback.
// Here the run calls Preload as it starts, and the store is read in the background while the
// network stages run; and only its certificates that can anchor the chain being verified
// (those whose subject is the issuer or subject of one of the chain's certificates) are parsed,
// when For asks. A chain verifies against those exactly as against the whole store: Go builds
// chains only through roots whose subject is a certificate's issuer, and checks whether the
// store holds a chain's certificate itself by its bytes.
//
// The index is kept where Go reads the store from files itself, on Linux, from the same files
// in the same order. Elsewhere For leaves the roots to x509.Certificate.Verify as before, and
// Preload only has x509 load its own pool in the background (on macOS and Windows there is
// nothing to load: the platform's verifier judges the chain). For does the same when the store
// could not be read or holds no certificate: x509 then says so in its own words
// (x509.SystemRootsError).
package roots

import (
	"crypto/x509"
	"sync/atomic"
)

// load is the reading of the system's store that the first Preload of the process started.
type load struct {
	done chan struct{} // closed once ix is set
	ix   *index        // nil: leave the roots to x509 (see For)
}

// current is the process's load; nil until Preload is called.
var current atomic.Pointer[load]

// Preload starts reading the system's root store in the background, unless given is not nil:
// those are the run's roots (a test's or the demo's), and the store is not needed. The store is
// read once per process; later calls do nothing. A run calls Preload as it starts, so that
// For does not wait for the store, or waits only for what is left of it.
func Preload(given *x509.CertPool) {
	if given != nil || current.Load() != nil {
		return
	}
	l := &load{done: make(chan struct{})}
	if !current.CompareAndSwap(nil, l) {
		return
	}
	go func() {
		l.ix = loadSystem()
		close(l.done)
	}()
}

// For returns the roots to verify chain against, for x509.VerifyOptions.Roots.
//
// With given roots, it returns them. Without, it returns the system's roots that can anchor
// chain, with which chain verifies (or fails to, with the same error) exactly as with the
// whole system store, waiting until the store Preload started reading is read. It returns nil,
// which Verify takes to mean the system's roots as x509 loads them itself, when Preload was not
// called, when the platform verifies chains itself, or when the store could not be read.
func For(given *x509.CertPool, chain []*x509.Certificate) *x509.CertPool {
	if given != nil {
		return given
	}
	l := current.Load()
	if l == nil {
		return nil
	}
	<-l.done
	if l.ix == nil {
		return nil
	}
	return l.ix.anchors(chain)
}
