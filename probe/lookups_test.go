package probe_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// TestLookupsGoOutTogether checks that DNS look-ups that do not depend on each other are asked
// at once, without timing them: the DNS server holds back the answer to one question until the
// others have been asked. Asked one after the other, the held answer would wait for a question
// that comes only after it, and the barrier would time out.
func TestLookupsGoOutTogether(t *testing.T) {
	t.Parallel()
	mx := fixtures.SimMXHost + "."
	dom := fixtures.SimDomain + "."
	tests := []struct {
		name string
		host string // --host
		hold string // the question held back ("MX contoso.com.")
		for_ []string
	}{
		{name: "the sender's SPF and DMARC with the MX", hold: "MX " + dom,
			for_: []string{"TXT " + dom, "TXT _dmarc." + dom}},
		{name: "A with AAAA", hold: "A " + mx, for_: []string{"AAAA " + mx}},
		{name: "--host's addresses with the MX", host: fixtures.SimMXHost, hold: "MX " + dom,
			for_: []string{"A " + mx, "AAAA " + mx}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim := fixtures.NewSim(t, "ok")
			b := &barrier{h: sim.Zone, hold: tt.hold, deps: tt.for_, seen: map[string]bool{}, changed: make(chan struct{})}
			srv := fixtures.NewDNS(t, b)
			o := simOptions(sim, string(check.ModeRelay))
			o.Resolver, o.Host = srv.Addr, tt.host
			rep := probe.Relay(t.Context(), o)
			if !b.met() {
				t.Errorf("%s was answered before %s had been asked: they went out one after the other", tt.hold, strings.Join(tt.for_, " and "))
			}
			if rep.Verdict != check.Pass {
				t.Errorf("verdict = %s; want pass", rep.Verdict)
			}
		})
	}
}

// barrierWait bounds how long the held answer waits for the questions it is held for.
const barrierWait = 3 * time.Second

// barrier is a DNS handler that answers through h, holding back the answer to the question
// hold until every question of deps has been asked.
type barrier struct {
	h    dns.Handler
	hold string
	deps []string

	mu      sync.Mutex // guards seen, changed, held and ok
	seen    map[string]bool
	changed chan struct{} // closed and replaced whenever a question is seen
	held    bool          // hold was asked: only its first asking is held and judged
	ok      bool          // the held answer found every dep asked
	// again says that hold was asked again while held: the client gave up waiting for it and
	// asked anew, so what came after was no longer asked alongside it.
	again bool
}

func (b *barrier) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	var key string
	if len(r.Question) > 0 {
		q := r.Question[0]
		key = dns.TypeToString[q.Qtype] + " " + strings.ToLower(q.Name)
	}
	b.mu.Lock()
	b.seen[key] = true
	close(b.changed)
	b.changed = make(chan struct{})
	first := key == b.hold && !b.held
	if first {
		b.held = true
	} else if key == b.hold && !b.ok {
		b.again = true
	}
	b.mu.Unlock()
	if first {
		deadline := time.After(barrierWait)
	wait:
		for {
			b.mu.Lock()
			all := true
			for _, d := range b.deps {
				all = all && b.seen[d]
			}
			ch := b.changed
			if all && !b.again {
				b.ok = true
			}
			b.mu.Unlock()
			if all {
				break
			}
			select {
			case <-ch:
			case <-deadline:
				break wait
			}
		}
	}
	b.h.ServeDNS(w, r)
}

func (b *barrier) met() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ok && !b.again
}
