package probe

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/kb"
)

// TestEmitInOrder finishes the checks of a run in many orders, each from its own goroutine as
// stages do, some results emitted together and one check never reported: OnCheck must see them
// in the run's order every time, each once, with no two calls at once.
func TestEmitInOrder(t *testing.T) {
	t.Parallel()
	order := []check.ID{check.PublicIP, check.DNS, check.TCP, check.ClientCert, check.SMTP, check.TLS, check.Send}
	tests := []struct {
		name     string
		missing  check.ID // a check no stage reports; "" for none
		together bool     // smtp, tls and send emitted in one call, as the judge stage does
	}{
		{"every check", "", false},
		{"smtp, tls and send together", "", true},
		{"clientcert never reported", check.ClientCert, true},
		{"the first never reported", check.PublicIP, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := slices.DeleteFunc(slices.Clone(order), func(id check.ID) bool { return id == tt.missing })
			for i := range 50 {
				var (
					mu      sync.Mutex
					got     []check.ID
					calling bool
				)
				o := &RunOptions{OnCheck: func(res *check.Result) {
					mu.Lock()
					if calling {
						t.Error("OnCheck called while another call is in progress")
					}
					calling = true
					got = append(got, res.ID)
					mu.Unlock()
					mu.Lock()
					calling = false
					mu.Unlock()
				}}
				o.defaults()
				r := newRun(t.Context(), check.ModeRelay, Target{}, o, order)
				var batches [][]*check.Result
				for _, id := range want {
					switch {
					case tt.together && (id == check.TLS || id == check.Send):
						batches[len(batches)-1] = append(batches[len(batches)-1], check.New(id))
					default:
						batches = append(batches, []*check.Result{check.New(id)})
					}
				}
				rand.Shuffle(len(batches), func(a, b int) { batches[a], batches[b] = batches[b], batches[a] })
				for _, b := range batches {
					r.wg.Add(1)
					go func() {
						defer r.wg.Done()
						r.emit(b...)
					}()
				}
				rep := r.finish(kb.Context{})
				if !slices.Equal(got, want) {
					t.Fatalf("run %d: OnCheck saw %v; want %v", i, got, want)
				}
				var inReport []check.ID
				for _, c := range rep.Checks {
					inReport = append(inReport, c.ID)
				}
				if !slices.Equal(inReport, want) {
					t.Fatalf("run %d: report holds %v; want %v", i, inReport, want)
				}
			}
		})
	}
}
