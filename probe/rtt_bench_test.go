package probe_test

import (
	"context"
	"net"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// The latency benchmarks: whole runs against the simulator with every chunk to and from it held
// back by benchOneWay each way (fixtures.Proxy), as Exchange Online 40 ms away is. What a run
// costs there is counted in round trips, so the figure reported is the median run as a multiple
// of its bound ("x-bound"), which reads the same on any machine, beside the median in ms.
//
// The bound is the SMTP conversation's critical path after the TCP connect (which the proxy
// does not delay): the banner (half a round trip), EHLO, STARTTLS, the TLS 1.3 handshake, the
// EHLO that goes with the client's Finished, and the pipelined MAIL, RCPT, RSET and QUIT: 5.5
// round trips; a submission signs in with AUTH XOAUTH2 in one more, 6.5. The token request goes
// through a delaying proxy of its own, concurrently with the conversation, and must not add to it.

// benchOneWay is the delay each way: a 40 ms round trip.
const benchOneWay = 20 * time.Millisecond

// Bounds in round trips.
const (
	relayBoundRTT  = 5.5
	submitBoundRTT = 6.5
)

// BenchmarkRelayRTT is the whole relay pre-flight 40 ms away from the simulator.
func BenchmarkRelayRTT(b *testing.B) {
	sim := fixtures.NewSim(b, "ok")
	proxy := fixtures.NewProxy(b, sim.SMTP.Addr, benchOneWay)
	o := simOptions(sim, string(check.ModeRelay))
	o.Port = proxy.Port
	var times []time.Duration
	for b.Loop() {
		t0 := time.Now()
		if rep := probe.Relay(context.Background(), o); rep.Verdict != check.Pass {
			b.Fatalf("verdict = %s", rep.Verdict)
		}
		times = append(times, time.Since(t0))
	}
	reportBound(b, times, relayBoundRTT)
}

// BenchmarkSubmitRTT is the whole submission pre-flight (token, AUTH XOAUTH2) 40 ms away from
// both the simulated submission endpoint and its token endpoint.
func BenchmarkSubmitRTT(b *testing.B) {
	sim := fixtures.NewSim(b, "submit-ok")
	proxy := fixtures.NewProxy(b, sim.SMTP.Addr, benchOneWay)
	tokens := fixtures.NewProxy(b, sim.Tokens.Addr, benchOneWay)
	o := submitOptions(sim)
	o.Port = proxy.Port
	var times []time.Duration
	for b.Loop() {
		// A new connection to the token endpoint each time, as a run of the command makes.
		o.TokenHTTPClient = through(sim.Tokens.Client(), tokens.Addr)
		t0 := time.Now()
		if rep := probe.Submit(context.Background(), o); rep.Verdict != check.Pass {
			b.Fatalf("verdict = %s", rep.Verdict)
		}
		times = append(times, time.Since(t0))
	}
	reportBound(b, times, submitBoundRTT)
}

// through returns a copy of c whose connections all go to addr, with no idle one kept.
func through(c *http.Client, addr string) *http.Client {
	tr := c.Transport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	cc := *c
	cc.Transport = tr
	return &cc
}

// reportBound reports the median of times in ms and as a multiple of bound round trips.
func reportBound(b *testing.B, times []time.Duration, bound float64) {
	b.Helper()
	if len(times) == 0 {
		return
	}
	s := slices.Clone(times)
	slices.Sort(s)
	m := s[len(s)/2]
	rtt := 2 * benchOneWay
	b.ReportMetric(float64(m)/float64(time.Millisecond), "median-ms")
	b.ReportMetric(float64(m)/(bound*float64(rtt)), "x-bound")
}
