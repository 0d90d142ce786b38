package certcheck

import (
	"bytes"
	"crypto/x509"
	"errors"
)

// issuedBy reports whether parent signed child: the names chain and parent's key verifies
// child's signature. The CA flag is not required here (x509.Verify judges that later), and a
// signature in an algorithm Go refuses (SHA-1) counts on the names alone, so that an old chain
// is not reported as broken for the wrong reason.
func issuedBy(child, parent *x509.Certificate) bool {
	if !bytes.Equal(child.RawIssuer, parent.RawSubject) {
		return false
	}
	err := parent.CheckSignature(child.SignatureAlgorithm, child.RawTBSCertificate, child.Signature)
	var insecure x509.InsecureAlgorithmError
	return err == nil || errors.As(err, &insecure)
}

// selfSigned reports whether c is signed by its own key under its own name.
func selfSigned(c *x509.Certificate) bool { return issuedBy(c, c) }

// issuesAnother reports whether c issued another certificate in certs.
func issuesAnother(c *x509.Certificate, certs []*x509.Certificate) bool {
	for _, d := range certs {
		if d != c && !bytes.Equal(d.Raw, c.Raw) && issuedBy(d, c) {
			return true
		}
	}
	return false
}

// buildPath follows issuers from leaf through the certificates in the file, each used once,
// until a self-signed certificate or one whose issuer the file lacks.
func buildPath(leaf *x509.Certificate, certs []*x509.Certificate) []*x509.Certificate {
	path := []*x509.Certificate{leaf}
	used := map[*x509.Certificate]bool{leaf: true}
	for cur := leaf; !selfSigned(cur); {
		var next *x509.Certificate
		for _, c := range certs {
			if !used[c] && issuedBy(cur, c) {
				next = c
				break
			}
		}
		if next == nil {
			break
		}
		path = append(path, next)
		used[next] = true
		cur = next
	}
	return path
}

// orderProblem describes how the file order departs from leaf-then-issuers; nil when the file
// starts with the leaf's path in order (extra certificates after it are harmless).
type orderProblem struct {
	leafAt int // 1-based position of the leaf in the file
	// pos is the 1-based position in the file of the first certificate that is not the issuer
	// of the one before it; want is the 1-based position of that issuer.
	pos, want int
}

func checkOrder(chain, path []*x509.Certificate) *orderProblem {
	index := func(c *x509.Certificate) int {
		for i, d := range chain {
			if d == c {
				return i + 1
			}
		}
		return 0
	}
	if len(chain) == 0 || chain[0] != path[0] {
		return &orderProblem{leafAt: index(path[0])}
	}
	for i := 1; i < len(path); i++ {
		if i >= len(chain) || chain[i] != path[i] {
			return &orderProblem{leafAt: 1, pos: i + 1, want: index(path[i])}
		}
	}
	return nil
}
