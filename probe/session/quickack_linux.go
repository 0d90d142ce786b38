package session

import (
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// quickAck makes the connection acknowledge what it receives at once. A server that writes a
// reply in more than one piece with Nagle's algorithm on (OpenSSL sends its TLS 1.3 session
// tickets after the handshake; some servers write each pipelined reply on its own) holds the
// next piece until the previous one is acknowledged, and Linux delays that ACK by up to 40 ms:
// measured against a Python/OpenSSL server on loopback, the relay conversation took 90 ms
// instead of 1.5 ms. TCP_QUICKACK is not sticky on Linux, so it is set again before each read.
func quickAck(conn net.Conn) net.Conn {
	tc, ok := conn.(*net.TCPConn)
	if !ok {
		return conn
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return conn
	}
	return &quickAckConn{TCPConn: tc, rc: rc}
}

// quickAckConn is a TCP connection that turns on TCP_QUICKACK before every read.
type quickAckConn struct {
	*net.TCPConn
	rc syscall.RawConn
}

func (c *quickAckConn) Read(p []byte) (int, error) {
	_ = c.rc.Control(func(fd uintptr) {
		_ = unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_QUICKACK, 1)
	})
	return c.TCPConn.Read(p)
}
