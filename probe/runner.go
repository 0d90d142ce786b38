package probe

import (
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/dnscheck"
)

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
