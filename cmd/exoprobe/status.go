package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/exoprobe/exoprobe/probe"
)

// The status line's timing.
const (
	// statusInterval is how often the line is redrawn: its seconds count up.
	statusInterval = 250 * time.Millisecond
	// statusDelay is how long a wait lasts before the line shows it, so that a quick run does
	// not flicker.
	statusDelay = 500 * time.Millisecond
)

// statusLine is the line on a terminal's stderr that says what a run is waiting for, and for
// how long, while nothing else moves: "waiting for the banner of host:25 ... 5 s". It is drawn
// from the probe's OnStage reports, redrawn every statusInterval, erased before a check's line
// is printed and when the run ends. Only one wait is shown: the one that has lasted longest.
type statusLine struct {
	w     io.Writer
	width int // the terminal's columns: the line is cut to fit, for a wrapped line cannot be erased
	now   func() time.Time

	mu     sync.Mutex                // guards the fields below, and every write to w
	waits  map[string]probe.Activity // what each stage in progress waits for, by stage
	shown  int                       // columns of the line on the screen; 0 when none is
	ticker *time.Ticker              // redraws the line; nil until the first wait
	stop   chan struct{}             // closed by close: the redrawing goroutine ends
	done   chan struct{}             // closed when that goroutine has ended
	closed bool
}

// newStatusLine returns the status line of a terminal w with width columns (0: unknown, 80).
func newStatusLine(w io.Writer, width int, now func() time.Time) *statusLine {
	if width <= 0 {
		width = 80
	}
	return &statusLine{w: w, width: width, now: now, waits: map[string]probe.Activity{}}
}

// update is the OnStage hook: it records what a stage waits for, or that it ended, and redraws.
// The first wait starts the redrawing goroutine, which close ends.
func (s *statusLine) update(a probe.Activity) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	if a.Done {
		delete(s.waits, a.Stage)
	} else {
		s.waits[a.Stage] = a
	}
	if s.ticker == nil && !a.Done {
		s.ticker = time.NewTicker(statusInterval)
		s.stop, s.done = make(chan struct{}), make(chan struct{})
		go s.redraw(s.ticker.C)
	}
	s.draw()
}

// redraw draws the line at every tick until close.
func (s *statusLine) redraw(tick <-chan time.Time) {
	defer close(s.done)
	for {
		select {
		case <-s.stop:
			return
		case <-tick:
			s.mu.Lock()
			if !s.closed {
				s.draw()
			}
			s.mu.Unlock()
		}
	}
}

// text is the line to show now: the wait that has lasted longest, once it has lasted
// statusDelay, cut to the terminal's width (what is awaited is shortened, never how long);
// "" for none.
func (s *statusLine) text() string {
	var oldest probe.Activity
	for _, a := range s.waits {
		if oldest.Since.IsZero() || a.Since.Before(oldest.Since) {
			oldest = a
		}
	}
	if oldest.Since.IsZero() {
		return ""
	}
	d := s.now().Sub(oldest.Since)
	if d < statusDelay {
		return ""
	}
	what := []rune("waiting for " + printable(oldest.What))
	took := fmt.Sprintf(" ... %d s", int(d/time.Second))
	if room := s.width - 1 - len(took); len(what) > room {
		what = append(what[:max(room-3, 0)], []rune("...")...)
	}
	return string(what) + took
}

// draw replaces the line on the screen with text: a carriage return, the text, and blanks over
// what is left of the line before. s.mu must be held.
func (s *statusLine) draw() {
	t := []rune(s.text())
	if len(t) == 0 {
		s.erase()
		return
	}
	pad := max(s.shown-len(t), 0)
	fmt.Fprint(s.w, "\r"+string(t)+strings.Repeat(" ", pad)+strings.Repeat("\b", pad))
	s.shown = len(t)
}

// erase blanks the line and puts the cursor back at its start. s.mu must be held.
func (s *statusLine) erase() {
	if s.shown == 0 {
		return
	}
	fmt.Fprint(s.w, "\r"+strings.Repeat(" ", s.shown)+"\r")
	s.shown = 0
}

// pause erases the line while f writes to the terminal (a check's line); the next tick draws
// it again below.
func (s *statusLine) pause(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.erase()
	f()
}

// close erases the line for good and ends the redrawing goroutine. It is safe to call more
// than once.
func (s *statusLine) close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.erase()
	s.mu.Unlock()
	if s.ticker != nil {
		s.ticker.Stop()
		close(s.stop)
		<-s.done
	}
}

// printable drops control and format characters: the line is written to a terminal as is.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
}
