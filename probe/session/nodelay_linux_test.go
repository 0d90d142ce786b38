package session

import (
	"syscall"

	"github.com/exoprobe/exoprobe/probe/check"
	"testing"
)

// TestNoDelay checks that the conversation's TCP connection has Nagle's algorithm off, so that
// a command is never held back behind an unacknowledged TLS record (the ~40 ms stall).
func TestNoDelay(t *testing.T) {
	t.Parallel()
	srv := newServer(t, hang())
	c := &conv{cfg: Config{Network: "tcp4", Addr: srv.Addr, ConnectTimeout: 0}, out: &Outcome{SMTP: check.New("smtp")}}
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
