package main

import (
	"bytes"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/publicip"
)

// terminal is what a test's env pretends is a terminal, and how wide.
type terminal struct {
	stdout, stderr bool
	width          int // columns of stdout; stderr's too
}

// syncBuffer is a bytes.Buffer safe for the status line's goroutine and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runRelaySim runs `exoprobe relay` against sim through the real command line, its hooks
// pointed at the simulator as the demo does: the public-IP sources ask ipDNS (the simulator's
// own DNS server when ""). The env pretends to be the terminal term.
func runRelaySim(t *testing.T, sim *fixtures.Sim, ipDNS string, term terminal, args ...string) (int, string, string) {
	t.Helper()
	var out, errb syncBuffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" },
		isTerminal: func(w io.Writer) bool {
			return w == io.Writer(&out) && term.stdout || w == io.Writer(&errb) && term.stderr
		},
		width: func(io.Writer) int { return term.width },
	}
	if ipDNS == "" {
		ipDNS = sim.DNSAddr
	}
	args = append(append([]string{}, sim.Args()...), args...)
	v, err := runPort25(t.Context(), e, sim.Scenario.Mode, args, func(o *probe.Options) {
		o.PublicIPSources = publicip.SourcesAt(ipDNS)
		o.PublicIPHTTPS = []string{}
		o.RootCAs = sim.RootCAs
		o.ControlPorts = sim.ControlPorts
	})
	if err != nil {
		t.Fatalf("relay: %v\nstderr:\n%s", err, errb.String())
	}
	return exitCode(v), out.String(), errb.String()
}

// progressIDs returns the check ids of the progress lines at the top of a text report.
func progressIDs(stdout string) []string {
	var ids []string
	for _, l := range strings.Split(stdout, "\n") {
		f := strings.Fields(l)
		if len(f) < 2 || !slices.Contains([]string{"PASS", "WARN", "FAIL", "SKIP"}, f[0]) {
			if l == "" {
				break // the end of the progress lines
			}
			continue // a wrapped summary
		}
		ids = append(ids, f[1])
	}
	return ids
}

// finishedRE finds the run's log of a check that finished, which --verbose shows.
var finishedRE = regexp.MustCompile(`run: (\S+) finished`)

// TestStableOrder makes the checks of a relay finish in different orders, run after run: the
// public-IP sources answer late in half the runs, the tenant's DNS (and so the endpoint, the
// ports and the conversation after it) in the other half, and the banner comes after a random
// delay. The check lines must come in the run's check order every time, whatever the order the
// log shows they finished in.
func TestStableOrder(t *testing.T) {
	t.Parallel()
	want := []string{"publicip", "dns", "tcp", "smtp", "tls", "send"}
	var finished []string // each run's completion order, joined
	for i := range 20 {
		banner := time.Duration(i%5) * 15 * time.Millisecond
		sim := fixtures.NewSim(t, "ok", fixtures.WithBehavior(func(b *fixtures.Behavior) { b.BannerDelay = banner }))
		ipDNS := fixtures.NewDNS(t, fixtures.DNSDelay(150*time.Millisecond, sim.Zone)).Addr
		resolver := sim.DNSAddr
		if i%2 == 1 {
			ipDNS = sim.DNSAddr
			resolver = fixtures.NewDNS(t, fixtures.DNSDelay(60*time.Millisecond, sim.Zone)).Addr
		}
		code, stdout, stderr := runRelaySim(t, sim, ipDNS, terminal{}, "--resolver", resolver, "--verbose")
		if code != exitPass {
			t.Fatalf("run %d: exit code %d; want 0\n%s\n%s", i, code, stdout, stderr)
		}
		if got := progressIDs(stdout); !slices.Equal(got, want) {
			t.Errorf("run %d: check lines %v; want %v\n%s", i, got, want, stdout)
		}
		var order []string
		for _, m := range finishedRE.FindAllStringSubmatch(stderr, -1) {
			order = append(order, m[1])
		}
		finished = append(finished, strings.Join(order, " "))
	}
	slices.Sort(finished)
	orders := slices.Compact(finished)
	t.Logf("completion orders: %q", orders)
	if len(orders) < 2 {
		t.Errorf("the checks finished in the same order in every run (%v): the test proves nothing", orders)
	}
}

// TestStatusLineDraw renders the status line with a fake clock into a fake terminal: it waits
// before it shows, says what is awaited and for how long, is cut to the terminal's width, shows
// the wait that has lasted longest, and is erased when the wait ends, before a check's line and
// when the run ends.
func TestStatusLineDraw(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC)
	now := t0
	var w bytes.Buffer
	s := newStatusLine(&w, 60, func() time.Time { return now })
	s.waits["endpoint"] = probe.Activity{Stage: "endpoint", What: "the MX of contoso.com from 192.0.2.53", Since: t0}

	steps := []struct {
		name  string
		at    time.Duration
		do    func()
		wants string // what the terminal shows after the step, "" for nothing
	}{
		{"a quick wait shows nothing", 200 * time.Millisecond, s.draw, ""},
		{"a long one shows", 3200 * time.Millisecond, s.draw, "waiting for the MX of contoso.com from 192.0.2.53 ... 3 s"},
		{"a newer wait does not replace it", 3500 * time.Millisecond, func() {
			s.waits["conversation"] = probe.Activity{Stage: "conversation", What: "the banner of contoso-com.mail.protection.outlook.com:25", Since: now}
			s.draw()
		}, "waiting for the MX of contoso.com from 192.0.2.53 ... 3 s"},
		{"a long line is cut to the width", 9 * time.Second, func() {
			delete(s.waits, "endpoint")
			s.draw()
		}, "waiting for the banner of contoso-com.mail.prote... ... 5 s"},
		{"erased before a check line", 9 * time.Second, func() { s.pause(func() {}) }, ""},
		{"erased when the wait ends", 10 * time.Second, func() {
			s.draw()
			delete(s.waits, "conversation")
			s.draw()
		}, ""},
	}
	for _, st := range steps {
		now = t0.Add(st.at)
		w.Reset()
		st.do()
		if got := screen(w.String()); got != st.wants {
			t.Errorf("%s: the terminal shows %q; want %q (written %q)", st.name, got, st.wants, w.String())
		}
		for _, l := range strings.Split(w.String(), "\r") {
			if n := utf8.RuneCountInString(l); n >= 60 {
				t.Errorf("%s: wrote %d columns on a 60-column terminal: %q", st.name, n, l)
			}
		}
	}
}

// screen is what a terminal line shows after the writes in out: each carriage return goes
// back to the start and writes over what is there, a backspace steps back.
func screen(out string) string {
	var line []rune
	col := 0
	for _, r := range out {
		switch r {
		case '\r':
			col = 0
		case '\b':
			col = max(col-1, 0)
		default:
			if col < len(line) {
				line[col] = r
			} else {
				line = append(line, r)
			}
			col++
		}
	}
	return strings.TrimRight(string(line), " ")
}

// TestStatusLine runs relay against a server whose banner is slow: on a terminal, stderr says
// what is awaited, and the line is erased by the end; with stderr not a terminal, or in JSON
// or Markdown, there is no status line.
func TestStatusLine(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "ok", fixtures.WithBehavior(func(b *fixtures.Behavior) { b.BannerDelay = 1200 * time.Millisecond }))
	banner := "waiting for the banner of " + sim.MXHost + ":" + strconv.Itoa(sim.SMTPPort) + " ... "
	tests := []struct {
		name string
		term terminal
		args []string
		want bool
	}{
		{"stderr a terminal", terminal{stderr: true, width: 200}, nil, true},
		{"stdout and stderr the same terminal", terminal{stdout: true, stderr: true, width: 200}, []string{"--no-color"}, true},
		{"stderr not a terminal", terminal{stdout: true}, nil, false},
		{"json", terminal{stderr: true}, []string{"-o", "json"}, false},
		{"markdown", terminal{stderr: true}, []string{"-o", "markdown"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runRelaySim(t, sim, "", tt.term, tt.args...)
			if code != exitPass {
				t.Fatalf("exit code %d; want 0\n%s\n%s", code, stdout, stderr)
			}
			if got := strings.Contains(stderr, banner); got != tt.want {
				t.Errorf("stderr says %q: %v; want %v\nstderr: %q", banner, got, tt.want, stderr)
			}
			if tt.want && screen(stderr[strings.LastIndex(stderr, "\n")+1:]) != "" {
				t.Errorf("the status line is still on the screen at the end: %q", stderr)
			}
			if strings.Contains(stdout, "waiting for") {
				t.Errorf("the status line went to stdout:\n%s", stdout)
			}
		})
	}
}

// TestWrapWidth runs relay with stdout a terminal of 40, 80 and 160 columns and with stdout not
// a terminal: the prose wraps at the terminal's width, 80 when there is none.
func TestWrapWidth(t *testing.T) {
	t.Parallel()
	sim := fixtures.NewSim(t, "attr36")
	tests := []struct {
		name  string
		term  terminal
		width int
	}{
		{"40 columns", terminal{stdout: true, width: 40}, 40},
		{"80 columns", terminal{stdout: true, width: 80}, 80},
		{"160 columns", terminal{stdout: true, width: 160}, 160},
		{"not a terminal", terminal{}, 80},
		{"a terminal of unknown width", terminal{stdout: true}, 80},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, stdout, _ := runRelaySim(t, sim, "", tt.term, "--no-color")
			longest := 0
			for _, l := range strings.Split(stdout, "\n") {
				n := utf8.RuneCountInString(l)
				if n > tt.width && !isCommand(l) && !unbreakable(l, tt.width) {
					t.Errorf("line of %d columns; want at most %d:\n%s", n, tt.width, l)
				}
				longest = max(longest, n)
			}
			if longest <= tt.width*3/4 {
				t.Errorf("the longest line has %d columns: the text does not use the %d columns it has\n%s", longest, tt.width, stdout)
			}
		})
	}
}

// unbreakable reports whether a line is too long only because of its last word, which is too
// long to have a line of its own (a host name, a URL): the line without it fits.
func unbreakable(l string, width int) bool {
	f := strings.Fields(l)
	last := f[len(f)-1]
	rest := strings.TrimRight(strings.TrimSuffix(l, last), " ")
	return utf8.RuneCountInString(last) > width-20 && utf8.RuneCountInString(rest) <= width
}

// isCommand reports whether a text line is a PowerShell command or the verdict, which are never
// wrapped.
func isCommand(l string) bool {
	t := strings.TrimSpace(l)
	return strings.HasPrefix(l, "Verdict:") || regexp.MustCompile(`^[A-Z][a-z]+-[A-Z][A-Za-z]+ `).MatchString(t) ||
		strings.HasPrefix(t, "$")
}
