package certcheck

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
	"github.com/exoprobe/exoprobe/probe/roots"
)

// CheckID is the id of the check Inspect returns.
const CheckID = check.ClientCert

// ExpiryWarning is how close to its end of validity a certificate draws a warning: time to
// renew it and install the new one on the sending server.
const ExpiryWarning = 30 * 24 * time.Hour

// VerifyTimeout bounds the trust check. With the system store on Windows and macOS the
// platform verifier runs, and it may download missing intermediates and roots (AIA fetching,
// Windows root update), which a blocked network turns into a long wait; the rest of the
// inspection is offline and takes well under a millisecond. (macOS also applies its TLS
// server policy there, so a clientAuth-only certificate may be reported as not verifying.)
const VerifyTimeout = 10 * time.Second

// noClientAuthSeverity is the severity of cert-no-clientauth. It is a note (pass), not a
// warning: public CAs no longer issue clientAuth, and nothing Microsoft has published says
// Exchange Online requires it, so a warning would flag every current public certificate.
const noClientAuthSeverity = check.Pass

// Config is what Inspect checks the certificate against.
type Config struct {
	// CertDomain is the connector's TlsSenderCertificateName (--cert-domain); empty skips
	// the name check. It should have passed ValidateCertDomain; an invalid value is reported
	// as cert-domain-mismatch.
	CertDomain string
	// Domain is the tenant's accepted domain (--domain); empty skips that check.
	Domain string
	// Roots are the trusted roots; nil means the system store (as probe/roots hands it over).
	Roots *x509.CertPool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// ChainCert is one certificate of the chain as found in the file, in the "chain" fact.
type ChainCert struct {
	Subject    string `json:"subject"`
	Issuer     string `json:"issuer"`
	NotAfter   string `json:"not_after"`
	CA         bool   `json:"ca"`
	SelfSigned bool   `json:"self_signed"`
}

// Outcome is what Inspect concluded.
type Outcome struct {
	Result *check.Result // the "clientcert" check
	// ChainIncomplete says that the chain in the file is missing an intermediate or holds it out
	// of order: a sender that presents the certificate sends that chain, and Exchange Online
	// sees only what is sent.
	ChainIncomplete bool
}

// Inspect checks a client certificate offline, as Exchange Online will judge it on a
// certificate connector, and returns the "clientcert" check. A nil bundle gives a skipped check.
func Inspect(b *Bundle, cfg Config) Outcome {
	start := time.Now()
	r := check.New(CheckID)
	defer r.Since(start)
	if b == nil || b.Leaf == nil {
		r.Skip("no client certificate given")
		return Outcome{Result: r}
	}
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	in := &inspection{r: r, b: b, cfg: cfg, leaf: b.Leaf, now: now().UTC()}
	in.setFacts()
	in.checkValidity()
	selfSignedLeaf := selfSigned(in.leaf)
	if selfSignedLeaf {
		in.add(check.Fail, code.CertSelfSigned, fmt.Sprintf(
			"the certificate for %s is self-signed: it names itself (%s) as its issuer. Exchange Online matches only a certificate issued by a public certification authority to a connector, so relay is refused (typically 550 5.7.64 TenantAttribution). Get a certificate for %s from a public CA.",
			in.name(), in.leaf.Issuer, in.name()))
	}
	in.checkKey()
	in.checkChain(selfSignedLeaf)
	in.checkCertDomain()
	in.checkAcceptedDomain()
	in.checkEKU()
	in.summarize()
	return Outcome{Result: r, ChainIncomplete: in.chainIncomplete}
}

// inspection carries one Inspect run.
type inspection struct {
	r    *check.Result
	b    *Bundle
	cfg  Config
	leaf *x509.Certificate
	now  time.Time
	// chainIncomplete is set with a cert-chain-incomplete finding.
	chainIncomplete bool
}

func (in *inspection) add(sev check.Status, c check.Code, msg string) {
	in.r.Add(check.Finding{Severity: sev, Code: c, Message: msg})
}

// name is how messages call the leaf: its first DNS name, else its subject.
func (in *inspection) name() string {
	if n := certNames(in.leaf); len(n) > 0 {
		return n[0].name
	}
	return label(in.leaf)
}

func (in *inspection) setFacts() {
	l, r := in.leaf, in.r
	r.Set("format", in.b.Format)
	r.Set("subject", l.Subject.String())
	r.Set("common_name", l.Subject.CommonName)
	r.Set("issuer", l.Issuer.String())
	r.Set("sans", append([]string{}, l.DNSNames...))
	r.Set("serial", strings.ToUpper(l.SerialNumber.Text(16)))
	r.Set("not_before", l.NotBefore.UTC().Format(time.RFC3339))
	r.Set("not_after", l.NotAfter.UTC().Format(time.RFC3339))
	r.Set("days_left", daysLeft(l, in.now))
	kt, bits, curve := keyInfo(l)
	r.Set("key_type", kt)
	r.Set("key_bits", bits)
	if curve != "" {
		r.Set("key_curve", curve)
	}
	r.Set("ekus", ekuNames(l))
	r.Set("key_usage", keyUsageNames(l.KeyUsage))
	r.Set("self_signed", selfSigned(l))
	r.Set("has_private_key", in.b.Key != nil)
	r.Set("thumbprint", fmt.Sprintf("%X", sha1.Sum(l.Raw))) // as Windows shows it (certlm.msc, Get-ChildItem Cert:\)
	r.Set("sha256", fmt.Sprintf("%X", sha256.Sum256(l.Raw)))
	chain := make([]ChainCert, len(in.b.Chain))
	for i, c := range in.b.Chain {
		chain[i] = ChainCert{
			Subject: c.Subject.String(), Issuer: c.Issuer.String(),
			NotAfter: c.NotAfter.UTC().Format(time.RFC3339), CA: c.IsCA, SelfSigned: selfSigned(c),
		}
	}
	r.Set("chain", chain)
	r.Set("verified_chain", []string{})
}

// daysLeft is the whole days until c expires; negative once it has.
func daysLeft(c *x509.Certificate, now time.Time) int {
	return int(math.Floor(c.NotAfter.Sub(now).Hours() / 24))
}

func (in *inspection) checkValidity() {
	l, now := in.leaf, in.now
	switch {
	case now.After(l.NotAfter):
		in.add(check.Fail, code.CertExpired, fmt.Sprintf(
			"the certificate for %s expired on %s (%d days ago). Exchange Online does not accept an expired certificate, so the connector no longer matches and relay is refused. Renew it, install the new certificate on the sending server, and check that its name still matches the connector.",
			in.name(), day(l.NotAfter), -daysLeft(l, now)))
	case now.Before(l.NotBefore):
		in.add(check.Fail, code.CertNotYetValid, fmt.Sprintf(
			"the certificate for %s is valid only from %s; this machine's clock says %s. Check the date and time here and on the sending server; if they are right, use the certificate from that date on.",
			in.name(), l.NotBefore.UTC().Format(time.RFC3339), now.Format(time.RFC3339)))
	case l.NotAfter.Sub(now) < ExpiryWarning:
		in.add(check.Warn, code.CertExpiring, fmt.Sprintf(
			"the certificate for %s expires on %s, in %d days. Renew it now and install the new one on the sending server before then; if the new certificate's name differs, change the connector's TlsSenderCertificateName too.",
			in.name(), day(l.NotAfter), daysLeft(l, now)))
	}
}

func (in *inspection) checkKey() {
	if in.b.Key == nil {
		return
	}
	ok := keyMatches(in.leaf, in.b.Key)
	in.r.Set("key_matches", ok)
	if !ok {
		in.add(check.Fail, code.CertKeyMismatch, fmt.Sprintf(
			"the private key does not belong to the certificate for %s (nor to any other certificate in the file). The sending server cannot use this pair: the TLS handshake fails before Exchange Online sees the certificate. Export the certificate together with its own key (a PFX from the machine where the request was made).",
			in.name()))
	}
}

func (in *inspection) checkChain(selfSignedLeaf bool) {
	path := buildPath(in.leaf, in.b.Chain)
	order := checkOrder(in.b.Chain, path)
	in.r.Set("chain_order_ok", order == nil)
	if selfSignedLeaf {
		return // no chain to judge: cert-self-signed says what to do
	}
	if order != nil {
		in.chainIncomplete = true
		in.add(check.Fail, code.CertChainIncomplete, in.orderMessage(order))
	}
	expiredInChain := in.checkChainValidity(path)

	chains, err := in.verify()
	top := path[len(path)-1]
	var unknown x509.UnknownAuthorityError
	var noRoots x509.SystemRootsError
	var invalid x509.CertificateInvalidError
	switch {
	case err == nil:
		in.r.Set("verified_chain", subjects(chains[0]))
		if selfSigned(top) {
			return
		}
		if missing := missingFromFile(chains, path); len(missing) > 0 {
			in.chainIncomplete = true
			in.add(check.Fail, code.CertChainIncomplete, fmt.Sprintf(
				"the file lacks the intermediate certificate %s, which issued %s. This machine completed the chain from its own store or by download, but Exchange Online sees only what the sender sends, and a missing intermediate gives 550 5.7.64 TenantAttribution. Add %s to the file right after the certificate for %s (or export a PFX with the whole chain).",
				labels(missing), label(top), labels(missing), in.name()))
		}
	case errors.Is(err, errVerifyTimeout):
		in.add(check.Warn, code.CertUntrustedRoot, fmt.Sprintf(
			"the trust check did not finish within %s: the system verifier was probably downloading a missing intermediate or root from %s's issuer and the network held it. Run exoprobe cert again where the network is open, or check the chain in certlm.msc.",
			verifyTimeout, in.name()))
	case errors.As(err, &unknown):
		switch {
		case selfSigned(top):
			in.add(check.Fail, code.CertUntrustedRoot, fmt.Sprintf(
				"the chain in the file ends at the root %s, which is not a trusted root on this machine. Exchange Online trusts only public certification authorities; a certificate from a private or internal CA is not matched to a connector (550 5.7.64 TenantAttribution). Get the certificate for %s from a public CA.",
				label(top), in.name()))
		case top == in.leaf:
			in.chainIncomplete = true
			in.add(check.Fail, code.CertChainIncomplete, fmt.Sprintf(
				"the file holds only the certificate for %s; its issuer %s is not in the file and is not a trusted root here. Add the intermediate certificate %s (from the CA's download page) right after the leaf, or export a PFX with the whole chain: without it Exchange Online answers 550 5.7.64 TenantAttribution. If %s is itself a private root, the certificate must come from a public CA instead.",
				in.name(), issuerLabel(top), issuerLabel(top), issuerLabel(top)))
		default:
			in.add(check.Fail, code.CertUntrustedRoot, fmt.Sprintf(
				"the chain in the file ends at %s, issued by %s, which is neither in the file nor a trusted root on this machine. If %s is a root, it is not a public CA that Exchange Online trusts: get the certificate from a public CA. If it is another intermediate, add it to the file after %s.",
				label(top), issuerLabel(top), issuerLabel(top), label(top)))
		}
	case errors.As(err, &noRoots):
		in.add(check.Warn, code.CertUntrustedRoot, fmt.Sprintf(
			"this machine has no trusted root store, so whether %s chains to a public root could not be checked (%v). Install the system's CA certificates and run again.",
			in.name(), err))
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired && expiredInChain:
		// The expired intermediate has its own finding.
	default:
		in.add(check.Fail, code.CertUntrustedRoot, fmt.Sprintf(
			"the chain of %s does not verify on this machine: %v. Exchange Online will not accept a chain that does not verify; reissue the certificate from a public CA or fix the chain.",
			in.name(), err))
	}
}

// checkChainValidity reports intermediates in the file that are outside their validity;
// it returns whether any has expired or is not valid yet.
func (in *inspection) checkChainValidity(path []*x509.Certificate) bool {
	bad := false
	for _, c := range path[1:] {
		if selfSigned(c) {
			continue // Exchange Online uses its own copy of the root
		}
		switch {
		case in.now.After(c.NotAfter):
			bad = true
			in.add(check.Fail, code.CertExpired, fmt.Sprintf(
				"the intermediate certificate %s in the file expired on %s. Replace it in the file with the CA's current intermediate (from the CA's download page) so that the chain of %s verifies.",
				label(c), day(c.NotAfter), in.name()))
		case in.now.Before(c.NotBefore):
			bad = true
			in.add(check.Fail, code.CertNotYetValid, fmt.Sprintf(
				"the intermediate certificate %s in the file is valid only from %s; check this machine's clock, or use the CA's current intermediate.",
				label(c), c.NotBefore.UTC().Format(time.RFC3339)))
		case c.NotAfter.Sub(in.now) < ExpiryWarning:
			in.add(check.Warn, code.CertExpiring, fmt.Sprintf(
				"the intermediate certificate %s in the file expires on %s, in %d days; get the CA's current intermediate and put it in the file in its place.",
				label(c), day(c.NotAfter), daysLeft(c, in.now)))
		}
	}
	return bad
}

func (in *inspection) orderMessage(o *orderProblem) string {
	chain := in.b.Chain
	const why = "Many senders send the file as it is, and Exchange Online then cannot build the chain (550 5.7.64 TenantAttribution). Put the leaf first, then its issuer, then that one's issuer, or export a PFX with the whole chain."
	if o.leafAt != 1 {
		return fmt.Sprintf("the certificates in the file are out of order: the certificate for %s (the leaf) is number %d of %d, after %s; the leaf must come first. %s",
			in.name(), o.leafAt, len(chain), label(chain[0]), why)
	}
	return fmt.Sprintf("the certificates in the file are out of order: number %d (%s) is not the issuer of number %d (%s); its issuer %s is number %d. Each certificate must be followed by its issuer. %s",
		o.pos, label(chain[o.pos-1]), o.pos-1, label(chain[o.pos-2]), label(chain[o.want-1]), o.want, why)
}

var errVerifyTimeout = errors.New("certcheck: trust check timed out")

// verifyCert and verifyTimeout are variables so that tests can stand in for a platform
// verifier that downloads intermediates, hangs, or has no root store.
var (
	verifyCert    = (*x509.Certificate).Verify
	verifyTimeout = VerifyTimeout
)

// verify checks the leaf against the roots with the file's other certificates as
// intermediates, at a time inside the leaf's validity (expiry has its own finding), for any
// key usage (clientAuth has its own note).
func (in *inspection) verify() ([][]*x509.Certificate, error) {
	inter := x509.NewCertPool()
	certs := []*x509.Certificate{in.leaf}
	for _, c := range in.b.Chain {
		if c != in.leaf {
			inter.AddCert(c)
			certs = append(certs, c)
		}
	}
	at := in.now
	if at.Before(in.leaf.NotBefore) {
		at = in.leaf.NotBefore
	}
	if at.After(in.leaf.NotAfter) {
		at = in.leaf.NotAfter
	}
	opts := x509.VerifyOptions{
		Roots:         in.cfg.Roots,
		Intermediates: inter,
		CurrentTime:   at,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	}
	type result struct {
		chains [][]*x509.Certificate
		err    error
	}
	done := make(chan result, 1) // buffered: a verifier that outlives the timeout does not block
	verify, leaf := verifyCert, in.leaf
	go func() {
		// Waiting for the system's roots (probe/roots) counts against the timeout too.
		opts.Roots = roots.For(opts.Roots, certs)
		c, err := verify(leaf, opts)
		done <- result{c, err}
	}()
	t := time.NewTimer(verifyTimeout)
	defer t.Stop()
	select {
	case res := <-done:
		return res.chains, res.err
	case <-t.C:
		return nil, errVerifyTimeout
	}
}

// missingFromFile returns the intermediates a verified chain needed that the file's path lacks,
// or nil when some verified chain is the file's path plus at most its root.
func missingFromFile(chains [][]*x509.Certificate, path []*x509.Certificate) []*x509.Certificate {
	prefix := func(c []*x509.Certificate) int {
		k := 0
		for k < len(c) && k < len(path) && c[k].Equal(path[k]) {
			k++
		}
		return k
	}
	for _, c := range chains {
		if prefix(c) == len(path) && len(c) <= len(path)+1 {
			return nil
		}
	}
	c := chains[0]
	k := prefix(c)
	if k == 0 || k >= len(c)-1 {
		return nil
	}
	return c[k : len(c)-1]
}

func (in *inspection) checkCertDomain() {
	want := strings.TrimSpace(in.cfg.CertDomain)
	if want == "" {
		return
	}
	if err := ValidateCertDomain(want); err != nil {
		var de *CertDomainError
		reason := err.Error()
		if errors.As(err, &de) {
			reason = de.Reason
		}
		in.add(check.Fail, code.CertDomainMismatch, fmt.Sprintf(
			"the connector name %q is not a valid TlsSenderCertificateName: %s. Exchange Online refuses such a value, so no certificate can match it.", want, reason))
		return
	}
	names := certNames(in.leaf)
	var unsure string
	for _, n := range names {
		switch MatchCertName(want, n.name) {
		case Matches:
			in.r.Set("cert_domain_match", n.name+" ("+n.field+")")
			return
		case MatchUnsure:
			if unsure == "" {
				unsure = n.name
			}
		}
	}
	if unsure != "" {
		in.add(check.Warn, code.CertDomainMismatch, fmt.Sprintf(
			"the certificate names only the wildcard %s; the connector expects the exact name %s (TlsSenderCertificateName). Microsoft documents no rule for matching a wildcard certificate to an exact connector name, so Exchange Online may not match it. Use a certificate that names %s, or set the connector to %s (Microsoft advises against wildcards on the connector: they also catch other subdomains' certificates).",
			unsure, want, want, unsure))
		return
	}
	expect := "a certificate for " + want
	if base, ok := strings.CutPrefix(normalizeName(want), "*."); ok {
		expect = "a certificate for " + base + " or a name under it"
	}
	in.add(check.Fail, code.CertDomainMismatch, fmt.Sprintf(
		"the certificate names %s; the connector expects %s (TlsSenderCertificateName). Exchange Online will not match this certificate to the connector, so relay to outside recipients is refused (550 5.7.64 TenantAttribution). Set the connector's TlsSenderCertificateName to the name on the certificate, or use %s.",
		nameList(names), want, expect))
}

func (in *inspection) checkAcceptedDomain() {
	domain := strings.TrimSpace(in.cfg.Domain)
	if domain == "" {
		return
	}
	names := certNames(in.leaf)
	how, name := accepted(names, domain)
	switch how {
	case acceptedSub:
		if strings.HasPrefix(name, "*.") {
			in.add(check.Warn, code.CertNotAcceptedDomain, fmt.Sprintf(
				"the certificate names the wildcard %s but not %s itself. Exchange Online counts the certificate domain only when it is an accepted domain, and a wildcard is not one. Mail whose MAIL FROM is in an accepted domain still relays, but mail with an empty MAIL FROM (non-delivery reports, automatic replies) is refused, and Microsoft calls a certificate without an accepted domain a setup that may stop working (MC1226222). Use a certificate whose SAN holds %s or another accepted domain.",
				name, domain, domain))
			return
		}
		in.add(check.Warn, code.CertNotAcceptedDomain, fmt.Sprintf(
			"the certificate names %s, a subdomain of %s, but not %s itself. Exchange Online counts the certificate domain only when it is itself an accepted domain; a subdomain of one is not enough (check with Get-AcceptedDomain: if %s is listed, all is well). Mail whose MAIL FROM is in an accepted domain still relays, but mail with an empty MAIL FROM (non-delivery reports, automatic replies) is refused, and Microsoft calls a certificate without an accepted domain a setup that may stop working (MC1226222). Add %s as an accepted domain of the tenant.",
			name, domain, domain, name, name))
	case acceptedNone:
		in.add(check.Warn, code.CertNotAcceptedDomain, fmt.Sprintf(
			"none of the certificate's names (%s) is %s or under it. Unless one of them is another accepted domain of this tenant, Exchange Online relays only mail whose MAIL FROM is in an accepted domain, and because it attributes relayed mail to a tenant by the certificate domain first, Microsoft calls this a setup that may stop working (MC1226222). Use a certificate for a name in an accepted domain, or add the certificate's domain as an accepted domain.",
			nameList(names), domain))
	}
}

func (in *inspection) checkEKU() {
	l := in.leaf
	if len(l.ExtKeyUsage) == 0 && len(l.UnknownExtKeyUsage) == 0 {
		return // no EKU extension: the certificate is good for any use
	}
	for _, u := range l.ExtKeyUsage {
		if u == x509.ExtKeyUsageClientAuth || u == x509.ExtKeyUsageAny {
			return
		}
	}
	in.add(noClientAuthSeverity, code.CertNoClientAuth, fmt.Sprintf(
		"note: the certificate's extended key usage is %s, without clientAuth. Public CAs issue serverAuth-only certificates since 2026 (CA/Browser Forum ballot SC-081, Chrome root program policy). Microsoft has published nothing that says Exchange Online requires clientAuth on a connector certificate, so this alone is not known to break relay; but some sending software will not present a certificate without it. If the TLS handshake fails or the sender presents no certificate, ask the CA whether it still issues clientAuth, or check the sending software's documentation.",
		strings.Join(ekuNames(l), ", ")))
}

func (in *inspection) summarize() {
	l := in.leaf
	var when string
	switch d := daysLeft(l, in.now); {
	case in.now.After(l.NotAfter):
		when = "expired " + day(l.NotAfter)
	case in.now.Before(l.NotBefore):
		when = "valid from " + day(l.NotBefore)
	default:
		when = fmt.Sprintf("expires %s (%d days)", day(l.NotAfter), d)
	}
	s := fmt.Sprintf("%s, issued by %s, %s", in.name(), issuerLabel(l), when)
	problems := 0
	for _, f := range in.r.Findings {
		if f.Severity == check.Warn || f.Severity == check.Fail {
			problems++
		}
	}
	if problems > 0 {
		s += fmt.Sprintf("; %d problem(s)", problems)
	}
	in.r.Summary = s
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// label names a certificate in a message: CN=..., else its first DNS name, else its subject.
func label(c *x509.Certificate) string {
	switch {
	case c.Subject.CommonName != "":
		return "CN=" + c.Subject.CommonName
	case len(c.DNSNames) > 0:
		return c.DNSNames[0]
	case c.Subject.String() != "":
		return c.Subject.String()
	}
	return "(a certificate without a name)"
}

// issuerLabel names the issuer of c as label names a certificate.
func issuerLabel(c *x509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return "CN=" + c.Issuer.CommonName
	}
	if s := c.Issuer.String(); s != "" {
		return s
	}
	return "(an issuer without a name)"
}

func labels(cs []*x509.Certificate) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = label(c)
	}
	return strings.Join(out, " and ")
}

func subjects(cs []*x509.Certificate) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Subject.String()
	}
	return out
}

func nameList(names []nameRef) string {
	if len(names) == 0 {
		return "no DNS name at all"
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n.name
	}
	return strings.Join(out, ", ")
}

func keyInfo(c *x509.Certificate) (kind string, bits int, curve string) {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return "RSA", k.N.BitLen(), ""
	case *ecdsa.PublicKey:
		return "ECDSA", k.Curve.Params().BitSize, k.Curve.Params().Name
	case ed25519.PublicKey:
		return "Ed25519", 256, ""
	}
	return c.PublicKeyAlgorithm.String(), 0, ""
}

var ekuName = map[x509.ExtKeyUsage]string{
	x509.ExtKeyUsageAny:                            "any",
	x509.ExtKeyUsageServerAuth:                     "serverAuth",
	x509.ExtKeyUsageClientAuth:                     "clientAuth",
	x509.ExtKeyUsageCodeSigning:                    "codeSigning",
	x509.ExtKeyUsageEmailProtection:                "emailProtection",
	x509.ExtKeyUsageIPSECEndSystem:                 "ipsecEndSystem",
	x509.ExtKeyUsageIPSECTunnel:                    "ipsecTunnel",
	x509.ExtKeyUsageIPSECUser:                      "ipsecUser",
	x509.ExtKeyUsageTimeStamping:                   "timeStamping",
	x509.ExtKeyUsageOCSPSigning:                    "OCSPSigning",
	x509.ExtKeyUsageMicrosoftServerGatedCrypto:     "msSGC",
	x509.ExtKeyUsageNetscapeServerGatedCrypto:      "nsSGC",
	x509.ExtKeyUsageMicrosoftCommercialCodeSigning: "msCodeCom",
	x509.ExtKeyUsageMicrosoftKernelCodeSigning:     "msKernelCodeSigning",
}

func ekuNames(c *x509.Certificate) []string {
	out := []string{}
	for _, u := range c.ExtKeyUsage {
		if n, ok := ekuName[u]; ok {
			out = append(out, n)
		} else {
			out = append(out, fmt.Sprintf("eku(%d)", u))
		}
	}
	for _, oid := range c.UnknownExtKeyUsage {
		out = append(out, oid.String())
	}
	return out
}

func keyUsageNames(u x509.KeyUsage) []string {
	names := []string{"digitalSignature", "contentCommitment", "keyEncipherment", "dataEncipherment",
		"keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"}
	out := []string{}
	for i, n := range names {
		if u&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}
