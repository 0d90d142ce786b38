package session

import (
	"syscall"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
)

// TestNoDelay checks that the conversation's TCP connection has Nagle's algorithm off, so that
// a command is never held back behind an unacknowledged TLS record (the ~40 ms stall).
func TestNoDelay(t *testing.T) {
	t.Parallel()
	srv := newServer(t, hang())
	c := &conv{cfg: Config{Network: "tcp4", Addr: srv.Addr}, out: &Outcome{SMTP: check.New("smtp")}}
	c.cfg.defaults()
	if !c.dial(t.Context()) {
		t.Fatalf("dial failed: %+v", c.out.SMTP.Findings)
	}
	defer c.close()
	sc, err := c.raw.(syscall.Conn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var v int
	var gerr error
	if err := sc.Control(func(fd uintptr) {
		v, gerr = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_NODELAY)
	}); err != nil || gerr != nil {
		t.Fatalf("getsockopt: %v %v", err, gerr)
	}
	if v == 0 {
		t.Errorf("TCP_NODELAY = 0; want it set")
	}
}

// TestNoDelayedACKStall runs against a server with Nagle's algorithm on that writes its
// pipelined replies one by one: each second write waits for the ACK of the first, which Linux
// delays by 40 ms unless the client asks for quick ACKs.
func TestNoDelayedACKStall(t *testing.T) {
	t.Parallel()
	ms, _ := msPKI(t)
	srv := newServer(t, nagle(), exoGreeting(), expect("EHLO"), exoEHLO(false),
		expect("MAIL"), expect("RCPT"), sayEach("250 2.1.0 Sender OK", "250 2.1.5 Recipient OK"),
		expect("RSET"), expect("QUIT"), sayEach("250 2.0.0 Resetting", "221 2.0.0 Bye"))
	cfg := baseConfig(srv, ms)
	cfg.Mode = check.ModeDirect
	best := time.Hour
	for range 5 {
		start := time.Now()
		out := Run(t.Context(), cfg)
		best = min(best, time.Since(start))
		if out.Send.Status != check.Pass {
			t.Fatalf("send = %s %+v", out.Send.Status, out.Send.Findings)
		}
	}
	if best > 30*time.Millisecond {
		t.Errorf("best of 5 conversations took %v; want no delayed-ACK stall (40 ms)", best)
	}
}
