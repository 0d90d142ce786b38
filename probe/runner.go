package probe

import (
	"context"
	"crypto/x509"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/exoprobe/exoprobe/probe/certcheck"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/dnscheck"
	"github.com/exoprobe/exoprobe/probe/kb"
	"github.com/exoprobe/exoprobe/probe/ports"
	"github.com/exoprobe/exoprobe/probe/publicip"
	"github.com/exoprobe/exoprobe/probe/roots"
	"github.com/exoprobe/exoprobe/probe/session"
	"github.com/exoprobe/exoprobe/probe/webproxy"
)

// RunOptions are the settings every networked run shares; each run's options embed them.
// The zero value of each field means the default, or the real thing.
type RunOptions struct {
	// Timeout bounds the whole run (DefaultTimeout); ConnectTimeout decides how soon a silent
	// port is called filtered (DefaultConnectTimeout).
	Timeout, ConnectTimeout time.Duration

	// Proxy is this machine's proxy configuration (webproxy.FromEnvironment), which the HTTPS
	// requests (token, public-IP fallback) go through and SMTP never does; the zero value goes
	// direct.
	Proxy webproxy.Settings

	// Hooks for tests and the demo.
	ControlPorts []int          // ports dialled beside the endpoint's; nil: the run's usual ones
	RootCAs      *x509.CertPool // trusted roots for the run's certificate checks and HTTPS; nil: the system's
	Now          func() time.Time

	Version string
	Logf    check.Logf
	// OnCheck, when set, is called once per check in the run's check order (the report's),
	// whatever order the checks finish in: as soon as the check and every check before it have
	// finished. Calls do not overlap; each comes from the goroutine of a stage that just ended,
	// and must not block. The result has no hints yet: they are attached when the run ends.
	OnCheck func(*check.Result)
	// OnStage, when set, is told what each stage of the run is waiting for on the network, each
	// time that changes, and when the stage ends (Activity.Done); calls come from the stages'
	// goroutines and may overlap. The status line of a terminal is drawn from it.
	OnStage func(Activity)

	// stall, set by tests only (export_test.go), holds the named stage at its start until its
	// context ends, so that --timeout fires in the middle of it.
	stall stageName
}

// Activity is what one stage of a run is waiting for, as RunOptions.OnStage reports it. It
// never holds a secret nor text a server sent.
type Activity struct {
	Stage string // the stage: "publicip", "endpoint", "sender", "tcp", "conversation", "token"...
	// What is what the stage waits for, in a person's words: "the MX of contoso.com from
	// 192.0.2.53", "the banner of contoso-com.mail.protection.outlook.com:25"; "" when Done.
	What  string
	Since time.Time // when it began waiting for What (RunOptions.Now)
	Done  bool      // the stage has ended: it waits for nothing any more
}

// defaults fills the zero fields; controls are the run's usual control ports.
func (o *RunOptions) defaults(controls ...int) {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.ControlPorts == nil {
		o.ControlPorts = controls
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// run is one run of a command: the stages it started, under one deadline (--timeout), and the
// results they reported. Every command's run has this one shape:
//
//	r := newRun(ctx, mode, target, opts, order) // the deadline starts
//	ip := goStage(r, stagePublicIP, PublicIPTimeout, ...) // stages start at once...
//	ep := goStage(r, stageEndpoint, DNSTimeout, ...)
//	goStage(r, stageTCP, 0, f, ep)                       // ...or once the stages they read have finished
//	return r.finish(hints)                   // waits for every stage, explains, lays out
type run struct {
	ctx     context.Context // the whole run: bounded by --timeout, cancelled by finish
	stopped context.Context // the caller's: cancelled when the run is interrupted (Ctrl-C)
	cancel  context.CancelFunc
	rep     *Report
	started time.Time
	opts    *RunOptions
	wg      sync.WaitGroup // every stage's goroutine

	// order is the run's check order: every check it reports, in the report's order.
	order []check.ID

	mu      sync.Mutex // guards results and announced, and serialises the calls of OnCheck
	results map[check.ID]*check.Result
	// announced counts the checks at the head of order already handed to OnCheck.
	announced int
}

// newRun starts the run of mode and its deadline, from ctx; order is the run's check order,
// every check its stages will emit and no other. finish must be called. The system's root store
// starts loading too, off the critical path: the tls and clientcert checks verify against it only
// when their verdict is needed.
func newRun(ctx context.Context, mode check.Mode, target Target, o *RunOptions, order []check.ID) *run {
	roots.Preload(o.RootCAs)
	started := o.Now()
	stopped := ctx
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	return &run{
		ctx: ctx, stopped: stopped, cancel: cancel, started: started, opts: o, order: order,
		rep:     NewReport(mode, o.Version, started, target),
		results: map[check.ID]*check.Result{},
	}
}

// emit records finished results and hands to the OnCheck hook every result whose turn has
// come: a check that finishes before one ahead of it in the run's order waits for it. A stage
// emits a check's result once, when nothing will change it any more (but its hints). A result
// emitted once the run was interrupted did not conclude: what it says is only that its calls
// were cancelled, so it is replaced by a skip with the reason.
func (r *run) emit(rs ...*check.Result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, res := range rs {
		if res == nil {
			continue
		}
		if r.stopped.Err() != nil {
			res = InterruptedCheck(res.ID)
		}
		r.results[res.ID] = res
		r.opts.Logf.Printf("run: %s finished: %s in %d ms", res.ID, res.Status, res.DurationMS)
	}
	r.announce(false)
}

// announce hands to OnCheck the results at the head of the run's order not handed yet, up to
// the first check that has not finished; with all, past it too (when the run ends, a check no
// stage reported is left out). r.mu must be held.
func (r *run) announce(all bool) {
	for ; r.announced < len(r.order); r.announced++ {
		res := r.results[r.order[r.announced]]
		if res == nil {
			if !all {
				return
			}
			continue
		}
		if r.opts.OnCheck != nil {
			r.opts.OnCheck(res)
		}
	}
}

// finish waits for every stage, attaches the knowledge base's hints to every finding in one
// pass with the run's values, and returns the report with the results in the run's order (an
// id no stage reported is left out), its verdict and its duration.
func (r *run) finish(hints kb.Context) *Report {
	r.wg.Wait()
	r.cancel()
	interrupted := r.stopped.Err() != nil
	if interrupted {
		r.rep.Transcript = append(r.rep.Transcript, check.Line{Dir: "*", Line: "interrupted: the run was stopped before every check concluded"})
	}
	r.mu.Lock()
	r.announce(true)
	r.mu.Unlock()
	for _, id := range r.order {
		if res := r.results[id]; res != nil {
			r.rep.Checks = append(r.rep.Checks, res)
		}
	}
	kb.Attach(r.rep.Checks, hints)
	r.rep.Verdict = Verdict(r.rep.Checks)
	r.rep.RootCause = RootCause(r.rep.Checks, r.rep.Verdict)
	r.rep.DurationMS = r.opts.Now().Sub(r.started).Milliseconds()
	if interrupted {
		r.rep.MarkInterrupted()
	}
	return r.rep
}

// stageName names a stage, for tests that stop a run in the middle of one.
type stageName string

// The stages of the runs.
const (
	stagePublicIP      stageName = "publicip"       // public-IP detection
	stageClientCert    stageName = "clientcert"     // the client certificate, offline
	stageEndpoint      stageName = "endpoint"       // the MX or submission host and its addresses
	stageSender        stageName = "sender"         // SPF and DMARC of the sender domain, judged
	stageSenderRecords stageName = "sender-records" // the sender domain's SPF and DMARC records
	stageTCP           stageName = "tcp"            // the ports
	stageConversation  stageName = "conversation"   // SMTP, STARTTLS, AUTH, MAIL/RCPT
	stageToken         stageName = "token"          // the OAuth token
	stageJudge         stageName = "judge"          // what the run concludes from the others' outcomes
)

// A stage is one step of a run whose outcome other steps read: it runs in its own goroutine,
// once the stages it reads have finished, under its own deadline within the run's.
type stage[T any] struct {
	done chan struct{} // closed once out is written
	out  T
}

// finished is closed when the stage has returned.
func (s *stage[T]) finished() <-chan struct{} { return s.done }

// wait returns the stage's outcome once it has finished. It needs no deadline of its own:
// every stage returns soon after the run's deadline, because each of its calls is bounded by
// its context. Waiting for the stage itself, never for ctx.Done(), is what makes reading its
// outcome safe (the close of done happens after the write of out).
func (s *stage[T]) wait() T {
	<-s.done
	return s.out
}

// input is a stage another stage reads.
type input interface{ finished() <-chan struct{} }

// goStage starts f as a stage of r: in its own goroutine, once every stage of after has
// finished, with a context bounded by timeout (0: the run's deadline alone) from that moment.
// A stage that reads another's outcome names it in after, and then reads it with wait.
func goStage[T any](r *run, name stageName, timeout time.Duration, f func(ctx context.Context) T, after ...input) *stage[T] {
	s := &stage[T]{done: make(chan struct{})}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer close(s.done)
		defer r.ended(name)
		for _, in := range after {
			<-in.finished()
		}
		ctx, cancel := r.ctx, context.CancelFunc(func() {})
		if timeout > 0 {
			ctx, cancel = context.WithTimeout(r.ctx, timeout)
		}
		defer cancel()
		if r.opts.stall == name {
			<-ctx.Done()
		}
		s.out = f(ctx)
	}()
	return s
}

// withCert returns a copy of the check order ids, without the clientcert check unless cert:
// a run makes that check only when it was given a client certificate.
func withCert(ids []check.ID, cert bool) []check.ID {
	out := make([]check.ID, 0, len(ids))
	for _, id := range ids {
		if cert || id != check.ClientCert {
			out = append(out, id)
		}
	}
	return out
}

// waiting tells OnStage that the stage name now waits for what.
func (r *run) waiting(name stageName, what string) { r.opts.waiting(name, what) }

func (o *RunOptions) waiting(name stageName, what string) {
	if o.OnStage != nil {
		o.OnStage(Activity{Stage: string(name), What: what, Since: o.Now()})
	}
}

// ended tells OnStage that the stage name has ended.
func (r *run) ended(name stageName) {
	if r.opts.OnStage != nil {
		r.opts.OnStage(Activity{Stage: string(name), Since: r.opts.Now(), Done: true})
	}
}

// waitFunc is the OnWait hook of a stage's conversation: what it waits for, for OnStage.
func (o *RunOptions) waitFunc(name stageName) func(string) {
	if o.OnStage == nil {
		return nil
	}
	return func(what string) { o.waiting(name, what) }
}

// fromResolver names the DNS server a look-up asks, for OnStage: "from 192.0.2.53", "from the
// system's resolver".
func fromResolver(resolver string) string {
	if resolver == "" {
		return "from the system's resolver"
	}
	return "from " + resolver
}

// skipped is a result for a check that did not run, with the reason.
func skipped(id check.ID, reason string) *check.Result {
	r := check.New(id)
	r.Skip(reason)
	return r
}

// leftOut is the reason of a check left out with --skip.
const leftOut = "left out with --skip"

// leaveOut turns the result of a check left out with --skip, which ran only as far as other
// checks needed, into a skipped one: what it saw stays in its facts, its findings go, so that
// it cannot decide the verdict.
func leaveOut(r *check.Result, reason string) {
	r.Findings = []check.Finding{}
	r.Skip(reason)
}

// endpointAddr picks the address a conversation dials: the first IPv4 address, else, when
// ipv6 allows it, the first IPv6 one; "" when there is none.
func endpointAddr(ep dnscheck.EndpointOutcome, port int, ipv6 bool) (addr, network string) {
	p := strconv.Itoa(port)
	if len(ep.Addrs4) > 0 {
		return net.JoinHostPort(ep.Addrs4[0].String(), p), "tcp4"
	}
	if ipv6 && len(ep.Addrs6) > 0 {
		return net.JoinHostPort(ep.Addrs6[0].String(), p), "tcp6"
	}
	return "", ""
}

// detectIP is the publicip stage of r.
func (r *run) detectIP(ctx context.Context, cfg publicip.Config) publicip.Outcome {
	if cfg.Given.IsValid() {
		r.waiting(stagePublicIP, "the name of "+cfg.Given.String()+" (reverse look-up) "+fromResolver(cfg.Resolver))
	} else {
		r.waiting(stagePublicIP, "this site's public IP addresses from the public-IP services")
	}
	cfg.Timeout = PublicIPTimeout
	cfg.Proxy, cfg.RootCAs = r.opts.Proxy, r.opts.RootCAs
	return publicip.Detect(ctx, cfg)
}

// dnsStages are the dns check's two stages: the endpoint, which tcp and smtp read as soon as it
// is known, and the sender domain's SPF and DMARC, which read the public IP and get their own
// deadline once it is known. The dns result is emitted when both are done; with senderChecks
// false (--skip dns), the endpoint alone, as a skipped result that keeps its facts.
func dnsStages(r *run, cfg dnscheck.Config, ip *stage[publicip.Outcome], senderChecks bool) *stage[dnscheck.EndpointOutcome] {
	ep := goStage(r, stageEndpoint, DNSTimeout, func(ctx context.Context) dnscheck.EndpointOutcome {
		// The domain's MX is asked first, even with --host (the dns check judges it too).
		if cfg.Domain != "" {
			r.waiting(stageEndpoint, "the MX of "+cfg.Domain+" "+fromResolver(cfg.Resolver))
		} else {
			r.waiting(stageEndpoint, "the address of "+cfg.Host+" "+fromResolver(cfg.Resolver))
		}
		return dnscheck.Endpoint(ctx, cfg)
	})
	// The sender domain's SPF and DMARC records depend on neither the endpoint nor the public
	// IP: they are asked for together with the MX, and only the SPF evaluation waits for both.
	recs := goStage(r, stageSenderRecords, DNSTimeout, func(ctx context.Context) *dnscheck.SenderRecords {
		if !senderChecks {
			return nil
		}
		r.waiting(stageSenderRecords, "the SPF and DMARC records of "+orString(cfg.FromDomain, cfg.Domain)+" "+fromResolver(cfg.Resolver))
		return dnscheck.LookupSender(ctx, cfg)
	})
	goStage(r, stageSender, SenderTimeout, func(ctx context.Context) struct{} {
		e := ep.wait()
		if senderChecks {
			addrs := ip.wait()
			r.waiting(stageSender, "the SPF and DMARC records of "+orString(cfg.FromDomain, cfg.Domain)+" "+fromResolver(cfg.Resolver))
			dnscheck.SenderFrom(ctx, cfg, e, recs.wait(), addrs.IPv4, addrs.IPv6)
		} else {
			// The endpoint is still looked up, since the other checks connect to it; what it
			// found stays in the facts, but no judgement of it can decide the verdict.
			leaveOut(e.Result, "left out with --skip; the endpoint was still looked up to connect to it, SPF and DMARC were not")
		}
		r.emit(e.Result)
		return struct{}{}
	}, ep, ip, recs)
	return ep
}

// clientCertStage starts the offline inspection of the client certificate at once, and emits
// it; a skip when --skip named the check.
func clientCertStage(r *run, b *certcheck.Bundle, cfg certcheck.Config, skip bool) *stage[certcheck.Outcome] {
	return goStage(r, stageClientCert, certcheck.VerifyTimeout, func(context.Context) certcheck.Outcome {
		out := certcheck.Outcome{Result: skipped(check.ClientCert, leftOut)}
		if !skip {
			out = certcheck.Inspect(b, cfg)
		}
		r.emit(out.Result)
		return out
	})
}

// tcpStage starts the tcp check once the endpoint ep is known, and emits it: the port and
// the control ports, in family when it is set, or a skip when --skip named the check.
func tcpStage(r *run, ep *stage[dnscheck.EndpointOutcome], port int, family string, skip bool) *stage[ports.Outcome] {
	return goStage(r, stageTCP, 0, func(ctx context.Context) ports.Outcome {
		out := ports.Outcome{Result: skipped(check.TCP, leftOut)}
		if !skip {
			out = tcpCheck(ctx, ep.wait(), port, r.opts, family)
		}
		r.emit(out.Result)
		return out
	}, ep)
}

// tcpCheck runs the ports check against the endpoint's port with the control ports beside it;
// family ports.FamilyIPv4 dials IPv4 only. Skipped when the endpoint has no address.
func tcpCheck(ctx context.Context, ep dnscheck.EndpointOutcome, port int, o *RunOptions, family string) ports.Outcome {
	if len(ep.Addrs4)+len(ep.Addrs6) == 0 {
		return ports.Outcome{Result: skipped(check.TCP, "no address for the endpoint (see the dns check)")}
	}
	controls := make([]ports.Control, 0, len(o.ControlPorts))
	list := []string{strconv.Itoa(port)}
	for _, p := range o.ControlPorts {
		controls = append(controls, ports.Control{Port: p})
		list = append(list, strconv.Itoa(p))
	}
	o.waiting(stageTCP, "connections to "+ep.Host+" on ports "+strings.Join(list, ", "))
	return ports.Run(ctx, ports.Config{
		Host: ep.Host, Addrs4: ep.Addrs4, Addrs6: ep.Addrs6, Port: port, Controls: controls,
		Family: family, ConnectTimeout: o.ConnectTimeout, Logf: o.Logf,
		Proxy: o.Proxy.Describe("https://" + ep.Host),
	})
}

// unreached makes a conversation that could not connect say so once: when the tcp check found
// the endpoint's port closed on the family the conversation dialled (network "tcp4" or
// "tcp6"), that is its fact and its finding, and the conversation's checks are skipped with a
// pointer to it rather than report the same closed port again. A port the tcp check found open,
// or did not finish (the run ended), leaves the conversation's own finding in place.
func unreached(out *session.Outcome, tcp ports.Outcome, port int, network string) {
	if out.Connected || out.SMTP == nil || out.SMTP.Status == check.Skip {
		return
	}
	fam := "ipv4"
	if network == "tcp6" {
		fam = "ipv6"
	}
	switch st, ok := tcp.Main[fam]; {
	case !ok, st == ports.Open, st == ports.Aborted:
		return
	}
	reason := "port " + strconv.Itoa(port) + " is not reachable (see the tcp check)"
	for _, r := range []**check.Result{&out.SMTP, &out.TLS, &out.Auth, &out.Send} {
		if *r != nil {
			*r = skipped((*r).ID, reason)
		}
	}
}

// orAddr returns a when it is valid, else b.
func orAddr(a, b netip.Addr) netip.Addr {
	if a.IsValid() {
		return a
	}
	return b
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return strings.ToLower(addr[i+1:])
	}
	return ""
}

func orString(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

func first(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}
