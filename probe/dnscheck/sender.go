package dnscheck

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"blitiri.com.ar/go/spf"
	"github.com/emersion/go-msgauth/dmarc"
	"golang.org/x/net/publicsuffix"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/cloud"
	"github.com/exoprobe/exoprobe/probe/code"
	"github.com/exoprobe/exoprobe/probe/resolve"
)

// maxSPFWalk bounds the look-ups of the walk through a record's includes, as RFC 7208 bounds
// evaluation.
const maxSPFWalk = 10

// Sender checks the sender (MAIL FROM) domain and adds to ep.Result, the result Endpoint
// returned: its SPF record evaluated for the public addresses (ip4 and ip6 may be the zero Addr
// when unknown) and its DMARC record. What weighs depends on the mode: Direct Send needs SPF to
// authorise the site's address; a relay needs SPF to include Exchange Online (of the endpoint's
// cloud), which sends the mail on. ep.Result.DurationMS grows by the time Sender takes.
func Sender(ctx context.Context, cfg Config, ep EndpointOutcome, ip4, ip6 netip.Addr) {
	r := ep.Result
	start := time.Now()
	defer func() { r.DurationMS += time.Since(start).Milliseconds() }()
	domain := strings.ToLower(strings.TrimSuffix(cfg.FromDomain, "."))
	if domain == "" {
		domain = strings.ToLower(strings.TrimSuffix(cfg.Domain, "."))
	}
	if domain == "" {
		r.Set("sender_checks", "no sender domain (--from) to check")
		return
	}
	if ep.NoDomain && strings.EqualFold(domain, strings.TrimSuffix(cfg.Domain, ".")) {
		// One fact: the domain does not exist, and the MX finding said so. Its SPF and DMARC
		// records cannot exist either.
		r.Set("sender_checks", "not judged: "+domain+" does not exist in DNS (see the MX finding)")
		r.Summary += "; SPF and DMARC not judged"
		return
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout())
	defer cancel()
	res := &cachedTXT{Resolver: cfg.resolver()}
	include := ep.Cloud.SPFInclude
	if include == "" {
		include = cloud.Global().SPFInclude
	}

	var (
		wg sync.WaitGroup
		dm dmarcOutcome
	)
	wg.Add(1)
	go func() { defer wg.Done(); dm = lookupDMARC(ctx, res, domain) }()
	sp := checkSPF(ctx, res, domain, ip4, ip6)
	wg.Wait()

	r.Set("spf_domain", domain)
	judgeSPF(r, cfg, sp, domain, ip4, include, dm, ep.LookupFailed)
	judgeDMARC(r, cfg, dm, domain)
	r.Summary += "; " + senderSummary(sp, dm, ip4)
}

// spfOutcome is what the SPF part saw.
type spfOutcome struct {
	record      string // the sender domain's SPF record; "" when none
	lookupErr   error  // the TXT look-up failed (not: no record)
	multiple    bool   // more than one SPF record: a permerror
	result4     spf.Result
	err4        error
	result6     spf.Result
	includes    []string // every include and redirect target reached, in order
	includesEXO string   // the EXO include found among them; "" when none
}

func checkSPF(ctx context.Context, res *cachedTXT, domain string, ip4, ip6 netip.Addr) spfOutcome {
	var sp spfOutcome
	txts, err := res.LookupTXT(ctx, domain)
	if err != nil && !resolve.IsNotFound(err) {
		sp.lookupErr = err
		return sp
	}
	records := spfRecords(txts)
	switch len(records) {
	case 0:
		return sp
	case 1:
		sp.record = records[0]
	default:
		sp.record, sp.multiple = records[0], true
	}
	var wg sync.WaitGroup
	eval := func(ip netip.Addr, result *spf.Result, errp *error) {
		defer wg.Done()
		if !ip.IsValid() {
			return
		}
		ctx, cancel := context.WithTimeout(ctx, SPFTimeout)
		defer cancel()
		*result, *errp = spf.CheckHostWithSender(ip.AsSlice(), domain, "postmaster@"+domain,
			spf.WithResolver(resolve.SPF(res)), spf.WithContext(ctx))
	}
	var err6 error
	wg.Add(3)
	go eval(ip4, &sp.result4, &sp.err4)
	go eval(ip6, &sp.result6, &err6)
	go func() {
		defer wg.Done()
		sp.includes = walkIncludes(ctx, res, sp.record)
		for _, inc := range sp.includes {
			if slices.Contains(cloud.SPFIncludes(), inc) {
				sp.includesEXO = inc
				break
			}
		}
	}()
	wg.Wait()
	return sp
}

// spfRecords returns the TXT strings that are SPF records (RFC 7208 section 4.5).
func spfRecords(txts []string) []string {
	var out []string
	for _, t := range txts {
		l := strings.ToLower(t)
		if l == "v=spf1" || strings.HasPrefix(l, "v=spf1 ") {
			out = append(out, t)
		}
	}
	return out
}

// walkIncludes follows the include: and redirect= terms of record, breadth first, and returns
// every domain reached. Terms with macros are not followed: their target depends on the mail.
func walkIncludes(ctx context.Context, res *cachedTXT, record string) []string {
	var out []string
	queue := spfTargets(record)
	for lookups := 0; len(queue) > 0 && lookups < maxSPFWalk; lookups++ {
		d := queue[0]
		queue = queue[1:]
		if slices.Contains(out, d) {
			continue
		}
		out = append(out, d)
		if slices.Contains(cloud.SPFIncludes(), d) {
			continue // Microsoft's own record: nothing of the tenant's below it
		}
		txts, err := res.LookupTXT(ctx, d)
		if err != nil {
			continue
		}
		if recs := spfRecords(txts); len(recs) == 1 {
			queue = append(queue, spfTargets(recs[0])...)
		}
	}
	return out
}

// spfTargets returns the domains a record's include: and redirect= terms name.
func spfTargets(record string) []string {
	var out []string
	for _, term := range strings.Fields(record) {
		t := strings.ToLower(term)
		t = strings.TrimLeft(t, "+-~?")
		var target string
		switch {
		case strings.HasPrefix(t, "include:"):
			target = t[len("include:"):]
		case strings.HasPrefix(t, "redirect="):
			target = t[len("redirect="):]
		default:
			continue
		}
		target = strings.TrimRight(target, ".")
		if target != "" && !strings.Contains(target, "%") {
			out = append(out, target)
		}
	}
	return out
}

// suggestSPF returns record with term added before its all (or redirect), or a new record
// when there is none.
func suggestSPF(record, term string) string {
	if record == "" {
		return "v=spf1 " + term + " -all"
	}
	fields := strings.Fields(record)
	for i, f := range fields {
		l := strings.ToLower(strings.TrimLeft(f, "+-~?"))
		if l == "all" || strings.HasPrefix(l, "redirect=") {
			return strings.Join(slices.Insert(fields, i, term), " ")
		}
	}
	return strings.Join(append(fields, term), " ")
}

// judgeSPF adds the SPF findings. A failed look-up is a finding once per run: when the
// endpoint's look-ups failed already (dnsFailed), the SPF look-up failing too is the same DNS
// server not answering, kept as a fact only.
func judgeSPF(r *check.Result, cfg Config, sp spfOutcome, domain string, ip4 netip.Addr, include string, dm dmarcOutcome, dnsFailed bool) {
	if sp.lookupErr != nil {
		r.Set("spf", nil)
		r.Set("spf_error", resolve.Reason(sp.lookupErr))
		if dnsFailed {
			return
		}
		r.Add(check.Finding{
			Severity: check.Warn, Code: code.DNSFailed,
			Message: fmt.Sprintf("The SPF (TXT) look-up of %s failed: %s (asked %s). SPF could not be checked.",
				domain, resolve.Reason(sp.lookupErr), cfg.resolverName()),
		})
		return
	}
	if sp.record == "" {
		r.Set("spf", nil)
		want := "include:" + include
		if cfg.Mode == check.ModeDirect && ip4.IsValid() {
			want = "ip4:" + ip4.String() + " " + want
		}
		msg := domain + " has no SPF record, so receivers cannot tell its genuine mail from forgeries. Publish a TXT " +
			"record on " + domain + ": \"" + suggestSPF("", want) + "\"."
		if cfg.Mode == check.ModeDirect {
			msg += " For Direct Send it must authorise this site's public address."
		}
		r.Add(check.Finding{Severity: check.Warn, Code: code.SPFMissing, Message: msg})
		return
	}
	r.Set("spf", sp.record)
	r.Set("spf_includes", sp.includes)
	r.Set("spf_includes_exo", sp.includesEXO != "")
	if ip4.IsValid() {
		r.Set("spf_result", string(sp.result4))
		if sp.err4 != nil && !isMatch(sp.err4) {
			r.Set("spf_error", spfReason(sp.err4))
		}
	} else {
		r.Set("spf_result", "not evaluated: the public IPv4 address is unknown")
	}
	if sp.result6 != "" {
		r.Set("spf_result_ipv6", string(sp.result6))
	}

	if sp.multiple {
		r.Add(check.Finding{
			Severity: severity(cfg, check.Fail), Code: code.SPFError,
			Message: domain + " has more than one SPF record; RFC 7208 makes that a permanent error, so every " +
				"receiver treats SPF as failed. Merge them into one TXT record.",
		})
		return
	}
	switch {
	case !ip4.IsValid():
	case sp.result4 == spf.PermError:
		r.Add(check.Finding{
			Severity: severity(cfg, check.Fail), Code: code.SPFError,
			Message: fmt.Sprintf("The SPF record of %s is broken (permerror: %s): receivers treat it as failed. Record: %q.",
				domain, spfReason(sp.err4), sp.record),
		})
	case sp.result4 == spf.TempError:
		r.Add(check.Finding{
			Severity: check.Warn, Code: code.SPFError,
			Message: fmt.Sprintf("The SPF record of %s could not be evaluated (temperror: %s): a DNS look-up it needs failed.",
				domain, spfReason(sp.err4)),
		})
	case cfg.Mode == check.ModeDirect && sp.result4 != spf.Pass:
		msg := fmt.Sprintf("The SPF record of %s does not authorise this site's public address %s (result %s). "+
			"Direct Send mail from here fails SPF at Exchange Online and goes to junk or is rejected", domain, ip4, sp.result4)
		if dm.policy() == string(dmarc.PolicyReject) || dm.policy() == string(dmarc.PolicyQuarantine) {
			msg += fmt.Sprintf(" (DMARC p=%s)", dm.policy())
		}
		msg += fmt.Sprintf(". Add ip4:%s to the record: \"%s\".", ip4, suggestSPF(sp.record, "ip4:"+ip4.String()))
		r.Add(check.Finding{Severity: check.Fail, Code: code.SPFIPNotAuthorised, Message: msg})
	}
	if cfg.Mode == check.ModeRelay && sp.includesEXO == "" {
		r.Add(check.Finding{
			Severity: check.Warn, Code: code.SPFNoEXOInclude,
			Message: fmt.Sprintf("The SPF record of %s (%q) does not include %s. Mail relayed through a connector "+
				"leaves Exchange Online from Microsoft's addresses, so receivers see SPF fail for %s. "+
				"Add the include: \"%s\".", domain, sp.record, include, domain, suggestSPF(sp.record, "include:"+include)),
		})
	}
}

// severity lowers a failure to a warning outside Direct Send, where SPF of the site's address
// does not decide delivery.
func severity(cfg Config, s check.Status) check.Status {
	if cfg.Mode != check.ModeDirect && s == check.Fail {
		return check.Warn
	}
	return s
}

// isMatch reports the errors the spf library returns on a successful match.
func isMatch(err error) bool {
	for _, m := range []error{spf.ErrMatchedAll, spf.ErrMatchedA, spf.ErrMatchedIP, spf.ErrMatchedMX,
		spf.ErrMatchedPTR, spf.ErrMatchedExists, spf.ErrNoResult} {
		if errors.Is(err, m) {
			return true
		}
	}
	return false
}

// spfReason says in words why an evaluation ended in error.
func spfReason(err error) string {
	switch {
	case err == nil:
		return "no detail"
	case errors.Is(err, spf.ErrLookupLimitReached):
		return "it needs more than 10 DNS look-ups, the limit of RFC 7208; flatten includes"
	case errors.Is(err, spf.ErrVoidLookupLimitReached):
		return "more than 2 of its look-ups found nothing; remove includes of names that do not exist"
	case errors.Is(err, spf.ErrMultipleRecords):
		return "a domain it reaches has more than one SPF record"
	case errors.Is(err, spf.ErrUnknownField), errors.Is(err, spf.ErrInvalidIP), errors.Is(err, spf.ErrInvalidMask),
		errors.Is(err, spf.ErrInvalidMacro), errors.Is(err, spf.ErrInvalidDomain):
		return "syntax error: " + err.Error()
	}
	return err.Error()
}

// dmarcOutcome is what the DMARC part saw.
type dmarcOutcome struct {
	record    string // "" when none
	at        string // the domain the record was found at (_dmarc.<at>)
	parsed    *dmarc.Record
	parseErr  error
	lookupErr error
	orgDomain bool // found at the organisational domain, not the sender domain itself
}

// policy returns the policy that applies to the sender domain: sp= at the organisational
// domain for a subdomain, p= otherwise.
func (d dmarcOutcome) policy() string {
	if d.parsed == nil {
		return ""
	}
	if d.orgDomain && d.parsed.SubdomainPolicy != "" {
		return string(d.parsed.SubdomainPolicy)
	}
	return string(d.parsed.Policy)
}

// lookupDMARC finds the DMARC record of domain, falling back to its organisational domain
// (RFC 7489 section 6.6.3, with the Public Suffix List).
func lookupDMARC(ctx context.Context, res *cachedTXT, domain string) dmarcOutcome {
	d := dmarcOutcome{at: domain}
	if d.record, d.lookupErr = dmarcAt(ctx, res, domain); d.record != "" || d.lookupErr != nil {
		return d.parse()
	}
	org, err := publicsuffix.EffectiveTLDPlusOne(domain)
	if err != nil || org == domain {
		return d
	}
	d.at, d.orgDomain = org, true
	d.record, d.lookupErr = dmarcAt(ctx, res, org)
	return d.parse()
}

func (d dmarcOutcome) parse() dmarcOutcome {
	if d.record != "" {
		d.parsed, d.parseErr = dmarc.Parse(d.record)
	}
	return d
}

// dmarcAt returns the one DMARC record at _dmarc.domain; "" when there is none, or more than
// one (RFC 7489 section 6.6.3: then no policy applies).
func dmarcAt(ctx context.Context, res *cachedTXT, domain string) (string, error) {
	txts, err := res.LookupTXT(ctx, "_dmarc."+domain)
	if err != nil {
		if resolve.IsNotFound(err) {
			return "", nil
		}
		return "", err
	}
	var recs []string
	for _, t := range txts {
		l := strings.ToLower(strings.TrimSpace(t))
		if l == "v=dmarc1" || strings.HasPrefix(l, "v=dmarc1;") || strings.HasPrefix(l, "v=dmarc1 ") {
			recs = append(recs, t)
		}
	}
	if len(recs) != 1 {
		return "", nil
	}
	return recs[0], nil
}

func judgeDMARC(r *check.Result, cfg Config, d dmarcOutcome, domain string) {
	switch {
	case d.lookupErr != nil:
		r.Set("dmarc", map[string]any{"error": d.lookupErr.Error()})
		return
	case d.record == "":
		r.Set("dmarc", nil)
		if cfg.Mode == check.ModeDirect {
			r.Add(check.Finding{
				Severity: check.Warn, Code: code.DMARCMissing,
				Message: domain + " has no DMARC record (_dmarc." + domain + "). Exchange Online's composite " +
					"authentication is more likely to send Direct Send mail to junk. Publish one, starting with " +
					"\"v=DMARC1; p=none; rua=mailto:<reports address>\" and tightening once SPF and DKIM pass.",
			})
		}
		return
	}
	fact := map[string]any{"record": d.record, "domain": d.at}
	if d.parseErr != nil {
		fact["error"] = d.parseErr.Error()
		r.Set("dmarc", fact)
		if cfg.Mode == check.ModeDirect {
			r.Add(check.Finding{
				Severity: check.Warn, Code: code.DMARCInvalid,
				Message: fmt.Sprintf("The DMARC record of %s (%q) cannot be parsed: %v. Receivers ignore it.", d.at, d.record, d.parseErr),
			})
		}
		return
	}
	fact["policy"] = string(d.parsed.Policy)
	if d.parsed.SubdomainPolicy != "" {
		fact["subdomain_policy"] = string(d.parsed.SubdomainPolicy)
	}
	fact["effective_policy"] = d.policy()
	r.Set("dmarc", fact)
}

func senderSummary(sp spfOutcome, dm dmarcOutcome, ip4 netip.Addr) string {
	var parts []string
	switch {
	case sp.lookupErr != nil && dm.lookupErr != nil:
		return "SPF and DMARC not checked (look-ups failed)"
	case sp.lookupErr != nil:
		parts = append(parts, "SPF not checked (look-up failed)")
	case sp.record == "":
		parts = append(parts, "no SPF")
	case ip4.IsValid():
		parts = append(parts, fmt.Sprintf("SPF %s for %s", sp.result4, ip4))
	default:
		parts = append(parts, "SPF present")
	}
	switch p := dm.policy(); {
	case p != "":
		parts = append(parts, "DMARC p="+p)
	case dm.record != "":
		parts = append(parts, "DMARC unreadable")
	case dm.lookupErr != nil:
		parts = append(parts, "DMARC not checked (look-up failed)")
	default:
		parts = append(parts, "no DMARC")
	}
	return strings.Join(parts, ", ")
}

// cachedTXT remembers TXT answers for one Sender call: the SPF evaluations and the walk
// through includes ask for the same records.
type cachedTXT struct {
	resolve.Resolver
	mu  sync.Mutex // guards txt
	txt map[string]txtAnswer
}

type txtAnswer struct {
	txt []string
	err error
}

func (c *cachedTXT) LookupTXT(ctx context.Context, name string) ([]string, error) {
	key := strings.ToLower(strings.TrimSuffix(name, "."))
	c.mu.Lock()
	if a, ok := c.txt[key]; ok {
		c.mu.Unlock()
		return a.txt, a.err
	}
	c.mu.Unlock()
	txt, err := c.Resolver.LookupTXT(ctx, name)
	if err == nil || resolve.IsNotFound(err) {
		c.mu.Lock()
		if c.txt == nil {
			c.txt = map[string]txtAnswer{}
		}
		c.txt[key] = txtAnswer{txt, err}
		c.mu.Unlock()
	}
	return txt, err
}
