package probe

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
)

// PathID names one of the ways a device or application can send through Exchange Online.
type PathID string

// The paths a site run tries, in report order.
const (
	PathRelay  PathID = "relay"  // port 25 to the tenant's MX, attributed by an inbound connector
	PathDirect PathID = "direct" // port 25 to the tenant's MX, anonymous, to its own mailboxes
	PathSubmit PathID = "submit" // port 587 to the submission host, SMTP AUTH
)

// SiteOptions configure exoprobe site: every path from this site at once. The runs are the
// relay, direct and submit runs themselves, each with its own options, started together under
// one deadline.
type SiteOptions struct {
	// Port25 configures the relay and Direct Send runs: the tenant's Domain, From, To, Host,
	// Port, Resolver, PublicIP, ExpectIP and their hooks. Mode and To are set per path: the
	// relay gets the recipients outside Domain, Direct Send those inside it (or From, when
	// none is: Direct Send only reaches the tenant's own mailboxes).
	Port25 Options
	// Submit configures the submission run: host, port and the credentials. Auth is
	// AuthNotTried when none were given: the run stops after the mechanisms offered.
	Submit SubmitOptions

	// Timeout bounds the whole site run, all three runs (DefaultTimeout); it overrides theirs.
	Timeout time.Duration
	Now     func() time.Time
	Version string
}

// Site is the outcome of exoprobe site: each path's own report and what it concludes, side by
// side. It never prints; the report package lays it out.
type Site struct {
	SchemaVersion int
	Tool          string
	Version       string
	Started       time.Time
	DurationMS    int64
	Domain, From  string
	To            []string
	Paths         []Path
	// Verdict is pass when every path tried works, warn when at least one works (with warnings,
	// or beside one that is blocked), fail when none works.
	Verdict check.Status
}

// Path is one way of sending as tried from this site.
type Path struct {
	ID PathID
	// Status is the verdict of the path's run: pass (works), warn (works, with warnings), fail
	// (blocked); skip when it was not tried (NotTried says why).
	Status   check.Status
	NotTried string
	// To are the recipients the path was tried with.
	To []string
	// Report is the path's whole run; nil when it was not tried.
	Report *Report
	// Blocker is the finding that names the root cause of a blocked path; nil otherwise.
	Blocker *CheckFinding
	// Warnings are the path's warnings, in check order.
	Warnings []CheckFinding
	// Accepted says that the server accepted the envelope (MAIL FROM and every RCPT TO): a
	// Direct Send path can be accepted and still fail SPF.
	Accepted bool
	// SPFFails says that the sender domain's SPF does not authorise this site's address (the
	// finding is among the path's).
	SPFFails bool
	// Port is the port the path dials; Host the endpoint it talked to.
	Host string
	Port int

	// Submission only.
	Encrypted  bool     // STARTTLS succeeded
	Mechanisms []string // the AUTH mechanisms offered inside TLS
	// SignIn is how the run signed in: AuthOAuth, AuthBasic, or AuthNotTried when no
	// credentials were given.
	SignIn string
}

// Works says that mail can go this way from this site: the run passed or only warned.
func (p *Path) Works() bool { return p.Status == check.Pass || p.Status == check.Warn }

// RunSite tries every path from this site at once: the relay, Direct Send and submission runs
// start together, each on the stage runner with its own checks, under one deadline. Nothing is
// delivered: Send is off in every run.
func RunSite(ctx context.Context, o SiteOptions) *Site {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	started := o.Now()
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()

	domain := strings.ToLower(o.Port25.Domain)
	site := &Site{
		SchemaVersion: SchemaVersion, Tool: "exoprobe", Version: o.Version, Started: started.UTC(),
		Domain: domain, From: o.Port25.From, To: slices.Clone(o.Port25.To),
	}
	var outside, inside []string
	for _, to := range o.Port25.To {
		if domainOf(to) == domain {
			inside = append(inside, to)
		} else {
			outside = append(outside, to)
		}
	}
	if len(inside) == 0 && domainOf(o.Port25.From) == domain {
		inside = []string{o.Port25.From}
	}

	relay := Path{ID: PathRelay, To: outside}
	direct := Path{ID: PathDirect, To: inside}
	sub := Path{ID: PathSubmit, To: slices.Clone(o.Port25.To), SignIn: o.Submit.Auth}
	if len(outside) == 0 {
		relay.NotTried = "no recipient outside " + domain + " was given: relaying is proven only by an outside recipient"
	}
	if len(inside) == 0 {
		direct.NotTried = "no recipient inside " + domain + " was given: Direct Send only reaches the tenant's own mailboxes"
	}

	var wg sync.WaitGroup
	port25 := func(p *Path, mode check.Mode) {
		if p.NotTried != "" {
			return
		}
		ro := o.Port25
		ro.Mode, ro.To, ro.Send = mode, p.To, false
		ro.Timeout, ro.Now, ro.Version = o.Timeout, o.Now, o.Version
		wg.Go(func() { p.Report = Relay(ctx, ro) })
	}
	port25(&relay, check.ModeRelay)
	port25(&direct, check.ModeDirect)
	so := o.Submit
	so.Send = false
	so.Timeout, so.Now, so.Version = o.Timeout, o.Now, o.Version
	wg.Go(func() {
		rep, conv := submit(ctx, so)
		sub.Report, sub.Encrypted, sub.Mechanisms = rep, conv.Encrypted, conv.Mechanisms
	})
	wg.Wait()

	for _, p := range []*Path{&relay, &direct, &sub} {
		p.Judge()
		site.Paths = append(site.Paths, *p)
	}
	site.Verdict = siteVerdict(site.Paths)
	site.DurationMS = o.Now().Sub(started).Milliseconds()
	return site
}

// Judge reads the path's report into its status, blocker and warnings; RunSite calls it once
// the run has finished, and a renderer's test can call it on a report it made.
func (p *Path) Judge() {
	if p.Report == nil {
		p.Status = check.Skip
		return
	}
	rep := p.Report
	p.Status = rep.Verdict
	p.Host, p.Port = rep.Target.Host, rep.Target.Port
	if rep.Verdict == check.Fail {
		p.Blocker = rep.RootCause
	}
	for _, c := range rep.Checks {
		for _, f := range c.Findings {
			if f.Severity == check.Warn {
				p.Warnings = append(p.Warnings, CheckFinding{Check: c.ID, Finding: f})
			}
			if f.Code == code.SPFIPNotAuthorised && f.Severity != check.Pass {
				p.SPFFails = true
			}
		}
		if c.ID == check.Send {
			p.Accepted = c.Status == check.Pass || c.Status == check.Warn
		}
	}
}

// siteVerdict is pass when every path tried works, warn when some work, fail when none does.
func siteVerdict(paths []Path) check.Status {
	works, tried := 0, 0
	v := check.Pass
	for _, p := range paths {
		if p.Status == check.Skip {
			continue
		}
		tried++
		if p.Works() {
			works++
		}
		v = check.Worst(v, p.Status)
	}
	switch {
	case tried == 0 || works == 0:
		return check.Fail
	case works < tried:
		return check.Warn
	}
	return v
}
