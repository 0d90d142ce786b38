package report

import (
	"math"
	"time"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// certKind names a certificate whose expiry a monitoring system watches.
type certKind int

// The certificates and credentials a run can see the end of: the server's (STARTTLS), the
// client certificate presented to a certificate-based connector (or inspected by `exoprobe
// cert`), the app's credential for OAuth (its certificate: Entra ID does not tell a client when
// a secret ends), and the sending app's client secrets and certificates as its registration in
// Entra ID lists them (exoprobe tenant, --tenant-check: the soonest end of each kind).
const (
	serverCert certKind = iota
	clientCert
	appCredential
	entraSecret
	entraCert
)

// certSources say where a run records each certificate's end of validity: the check and the
// fact. The facts are what the checks saw; a monitoring output only lays them out.
var certSources = []struct {
	kind  certKind
	check check.ID
	fact  string
}{
	{serverCert, check.TLS, "not_after"},
	{clientCert, check.ClientCert, "not_after"},
	{appCredential, check.OAuth, "cert_not_after"},
}

// entraSources are the kinds of credential in the entra check's "credentials" fact (the
// sending app's registration), and the certKind each is watched as.
var entraSources = []struct {
	kind certKind
	fact string // the credential's "kind"
}{
	{entraSecret, "client_secret"},
	{entraCert, "certificate"},
}

// certExpiry is the end of one certificate's validity as a run saw it.
type certExpiry struct {
	kind     certKind
	notAfter time.Time
}

// daysLeft is how many whole days the certificate had left when the run started, negative once
// it has expired (floor: a certificate that ends in 6.5 days has 6 left).
func (c certExpiry) daysLeft(started time.Time) int {
	return int(math.Floor(c.notAfter.Sub(started).Hours() / 24))
}

// certExpiries are the ends of validity the run's checks recorded, in certSources' order.
func certExpiries(rep *probe.Report) []certExpiry {
	var out []certExpiry
	for _, src := range certSources {
		for _, c := range checks(rep) {
			if c.ID != src.check {
				continue
			}
			if t, ok := factTime(c.Facts[src.fact]); ok {
				out = append(out, certExpiry{kind: src.kind, notAfter: t})
			}
		}
	}
	for _, c := range checks(rep) {
		if c.ID == check.Entra {
			out = append(out, soonestCredentials(c.Facts["credentials"])...)
		}
	}
	return out
}

// soonestCredentials are the soonest end of each kind of credential in an entra check's
// "credentials" fact: a list of objects with a "kind" and, when the credential has one, an
// "end" in RFC 3339. A monitoring system alerts on the credential that ends first; the report
// lists them all.
func soonestCredentials(v any) []certExpiry {
	var list []map[string]any
	switch l := v.(type) {
	case []map[string]any:
		list = l
	case []any: // the fact as JSON decodes it
		for _, e := range l {
			if m, ok := e.(map[string]any); ok {
				list = append(list, m)
			}
		}
	}
	var out []certExpiry
	for _, src := range entraSources {
		var soonest time.Time
		for _, cr := range list {
			if k, _ := cr["kind"].(string); k != src.fact {
				continue
			}
			if t, ok := factTime(cr["end"]); ok && (soonest.IsZero() || t.Before(soonest)) {
				soonest = t
			}
		}
		if !soonest.IsZero() {
			out = append(out, certExpiry{kind: src.kind, notAfter: soonest})
		}
	}
	return out
}

// factTime reads a time fact: a time.Time, or a string in RFC 3339 (as facts that go to JSON
// as they are hold it). The zero time and anything else are no time.
func factTime(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, !t.IsZero()
	case string:
		p, err := time.Parse(time.RFC3339, t)
		return p, err == nil && !p.IsZero()
	}
	return time.Time{}, false
}
