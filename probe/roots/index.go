package roots

import (
	"crypto/x509"
	"encoding/pem"
)

// index is a root store read as x509.CertPool.AppendCertsFromPEM reads it, each certificate
// kept as DER under its subject and parsed only when a chain asks for it. Its zero value is not
// useful: use newIndex. It is written while it is read and only read afterwards.
type index struct {
	certs     [][]byte         // each certificate once, in the order the store adds them
	have      map[string]bool  // keys: the DER of certs
	bySubject map[string][]int // raw subject -> indexes into certs, in the order added
	// decoded are texts already decoded: whole files, and each block of a file with the text
	// before it. A file with one of these texts adds nothing to the index and is not decoded
	// again: Debian's /etc/ssl/certs repeats each block of the bundle in a file of its own, and
	// the bundle itself.
	decoded map[string]bool
}

func newIndex() *index {
	return &index{have: map[string]bool{}, bySubject: map[string][]int{}, decoded: map[string]bool{}}
}

// addPEM adds the certificates of a PEM file as AppendCertsFromPEM does: blocks of type
// CERTIFICATE without headers, each certificate once.
func (ix *index) addPEM(data []byte) {
	if ix.decoded[string(data)] {
		return
	}
	ix.decoded[string(data)] = true
	for len(data) > 0 {
		text := data
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return
		}
		// pem.Decode found b in text's first len(text)-len(data) bytes and consumed exactly
		// those: decoding them alone finds b again, and nothing after it.
		ix.decoded[string(text[:len(text)-len(data)])] = true
		if b.Type == "CERTIFICATE" && len(b.Headers) == 0 {
			ix.addDER(b.Bytes)
		}
	}
}

// addDER adds one certificate. One that x509 cannot parse is left out, as AppendCertsFromPEM
// leaves it out (see anchors for one whose subject is read but which x509 refuses).
func (ix *index) addDER(der []byte) {
	if ix.have[string(der)] {
		return
	}
	subject, ok := rawSubject(der)
	if !ok {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return
		}
		subject = c.RawSubject
	}
	ix.have[string(der)] = true
	ix.bySubject[string(subject)] = append(ix.bySubject[string(subject)], len(ix.certs))
	ix.certs = append(ix.certs, der)
}

// usable reports whether the index holds a certificate that parses: x509 would have a pool.
func (ix *index) usable() bool {
	for _, der := range ix.certs {
		if _, err := x509.ParseCertificate(der); err == nil {
			return true
		}
	}
	return false
}

// anchors returns a pool of the certificates that x509.Certificate.Verify can take from the
// store for chain: those whose subject is the issuer of one of chain's certificates (the
// candidate parents Verify looks up by name) or the subject of one (a certificate the store
// holds itself, which Verify looks up by its bytes). Certificates of one subject keep their
// order, so that Verify tries them in the same order as in the whole store.
func (ix *index) anchors(chain []*x509.Certificate) *x509.CertPool {
	pool := x509.NewCertPool()
	added := map[int]bool{}
	for _, c := range chain {
		for _, name := range [][]byte{c.RawIssuer, c.RawSubject} {
			for _, i := range ix.bySubject[string(name)] {
				if added[i] {
					continue
				}
				added[i] = true
				if ct, err := x509.ParseCertificate(ix.certs[i]); err == nil {
					pool.AddCert(ct)
				}
			}
		}
	}
	return pool
}

// rawSubject returns the DER of a certificate's subject name, as x509 reads it into
// Certificate.RawSubject, without parsing the rest of the certificate:
//
//	Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, ... }
//	TBSCertificate ::= SEQUENCE { version [0] EXPLICIT OPTIONAL, serialNumber INTEGER,
//	    signature AlgorithmIdentifier, issuer Name, validity Validity, subject Name, ... }
func rawSubject(der []byte) ([]byte, bool) {
	cert, _, ok := derElement(der, tagSequence)
	if !ok {
		return nil, false
	}
	tbs, _, ok := derElement(derContent(cert), tagSequence)
	if !ok {
		return nil, false
	}
	rest := derContent(tbs)
	if len(rest) > 0 && rest[0] == tagVersion {
		if _, rest, ok = derElement(rest, tagVersion); !ok {
			return nil, false
		}
	}
	for _, tag := range []byte{tagInteger, tagSequence, tagSequence, tagSequence} { // serial, signature, issuer, validity
		if _, rest, ok = derElement(rest, tag); !ok {
			return nil, false
		}
	}
	subject, _, ok := derElement(rest, tagSequence)
	return subject, ok
}

// DER tags read by rawSubject.
const (
	tagInteger  = 0x02
	tagSequence = 0x30
	tagVersion  = 0xa0 // [0] EXPLICIT, constructed
)

// derElement splits b into its first element (tag, length and content), which must have the
// tag, and what follows it. Only the definite lengths DER allows are read.
func derElement(b []byte, tag byte) (elem, rest []byte, ok bool) {
	if len(b) < 2 || b[0] != tag {
		return nil, nil, false
	}
	n, hdr := int(b[1]), 2
	if n&0x80 != 0 {
		octets := n & 0x7f
		if octets == 0 || octets > 4 || len(b) < 2+octets {
			return nil, nil, false
		}
		n = 0
		for _, o := range b[2 : 2+octets] {
			n = n<<8 | int(o)
		}
		hdr += octets
	}
	if n < 0 || n > len(b)-hdr {
		return nil, nil, false
	}
	return b[:hdr+n], b[hdr+n:], true
}

// derContent returns the content of an element derElement returned.
func derContent(elem []byte) []byte {
	if elem[1]&0x80 == 0 {
		return elem[2:]
	}
	return elem[2+int(elem[1]&0x7f):]
}
