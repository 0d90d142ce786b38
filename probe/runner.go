package probe

import (
	"context"
	"crypto/x509"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/dnscheck"
	"github.com/exoprobe/exoprobe/probe/kb"
	"github.com/exoprobe/exoprobe/probe/ports"
	"github.com/exoprobe/exoprobe/probe/publicip"
)

// RunOptions are the settings every networked run shares; each run's options embed them.
// The zero value of each field means the default, or the real thing.
type RunOptions struct {
	// Timeout bounds the whole run (DefaultTimeout); ConnectTimeout decides how soon a silent
	// port is called filtered (DefaultConnectTimeout).
	Timeout, ConnectTimeout time.Duration

	// Hooks for tests and the demo.
	ControlPorts []int          // ports dialled beside the endpoint's; nil: the run's usual ones
	RootCAs      *x509.CertPool // trusted roots for the run's certificate checks; nil: the system's
	Now          func() time.Time

	Version string
	Logf    check.Logf
	// OnCheck, when set, is called once per check as it finishes, from the check's goroutine;
	// calls may overlap.
	OnCheck func(*check.Result)
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

// collector gathers the results of a run's checks as they finish, from any goroutine, and
// lays them out in report order at the end.
type collector struct {
	onCheck func(*check.Result) // called once per check as it finishes; calls may overlap

	mu      sync.Mutex // guards results
	results map[string]*check.Result
}

func newCollector(onCheck func(*check.Result)) *collector {
	return &collector{onCheck: onCheck, results: map[string]*check.Result{}}
}

// emit records a finished result and reports it to the OnCheck hook.
func (c *collector) emit(r *check.Result) {
	if r == nil {
		return
	}
	c.mu.Lock()
	c.results[r.ID] = r
	c.mu.Unlock()
	if c.onCheck != nil {
		c.onCheck(r)
	}
}

// finish puts the results into rep in the order of ids and sets the verdict and duration. It
// must be called once every goroutine that emits has returned.
func (c *collector) finish(rep *Report, ids []string, started time.Time, now func() time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		if r := c.results[id]; r != nil {
			rep.Checks = append(rep.Checks, r)
		}
	}
	rep.Verdict = Verdict(rep.Checks)
	rep.DurationMS = now().Sub(started).Milliseconds()
}

// skipped is a result for a check that did not run, with the reason.
func skipped(id, reason string) *check.Result {
	r := check.New(id)
	r.Skip(reason)
	return r
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

// detectIP runs the publicip check under its own deadline.
func detectIP(ctx context.Context, cfg publicip.Config) publicip.Outcome {
	ctx, cancel := context.WithTimeout(ctx, PublicIPTimeout)
	defer cancel()
	cfg.Timeout = PublicIPTimeout
	return publicip.Detect(ctx, cfg)
}

// dnsStages starts the dns check in its own goroutine: the endpoint first, published through
// the returned channel so that tcp and smtp can start at once, then (unless senderChecks is
// false) SPF and DMARC, which wait for the public IP in *ip once ipDone is closed.
func dnsStages(ctx context.Context, wg *sync.WaitGroup, col *collector, cfg dnscheck.Config,
	ipDone <-chan struct{}, ip *publicip.Outcome, senderChecks bool) (<-chan struct{}, *dnscheck.EndpointOutcome) {
	epDone := make(chan struct{})
	ep := new(dnscheck.EndpointOutcome)
	wg.Add(1)
	go func() {
		defer wg.Done()
		dctx, cancel := context.WithTimeout(ctx, DNSTimeout)
		defer cancel()
		*ep = dnscheck.Endpoint(dctx, cfg)
		close(epDone)
		if !senderChecks {
			// The endpoint is still needed; the sender checks are what --skip dns leaves out.
			ep.Result.Set("sender_checks", "left out with --skip")
		} else {
			select {
			case <-ipDone:
			case <-ctx.Done():
			}
			dnscheck.Sender(dctx, cfg, ep.Result, ip.IPv4, ip.IPv6)
		}
		col.emit(ep.Result)
	}()
	return epDone, ep
}

// tcpCheck runs the ports check against the endpoint's port with the control ports beside it;
// family ports.FamilyIPv4 dials IPv4 only. Skipped when the endpoint has no address.
func tcpCheck(ctx context.Context, ep dnscheck.EndpointOutcome, port int, controlPorts []int, family string,
	connectTimeout time.Duration, logf check.Logf, v kb.Vars) *check.Result {
	if len(ep.Addrs4)+len(ep.Addrs6) == 0 {
		return skipped("tcp", "no address for the endpoint (see the dns check)")
	}
	controls := make([]ports.Control, 0, len(controlPorts))
	for _, p := range controlPorts {
		controls = append(controls, ports.Control{Port: p})
	}
	return ports.Run(ctx, ports.Config{
		Host: ep.Host, Addrs4: ep.Addrs4, Addrs6: ep.Addrs6, Port: port, Controls: controls,
		Family: family, ConnectTimeout: connectTimeout, Logf: logf, Vars: v,
	})
}
