package session

import (
	"net"
	"unsafe"

	"golang.org/x/sys/windows"
)

// sioTCPSetAckFrequency is SIO_TCP_SET_ACK_FREQUENCY, _WSAIOW(IOC_VENDOR, 23) in mstcpip.h
// (Windows 8 and later): how many segments the socket receives before it sends an ACK.
const sioTCPSetAckFrequency = 0x98000017

// quickAck makes the connection acknowledge every segment at once. A server that writes a
// reply in more than one piece with Nagle's algorithm on (OpenSSL's TLS 1.3 session tickets,
// pipelined replies written one by one) holds the next piece until the previous one is
// acknowledged, and Windows delays that ACK by up to 200 ms. The setting lasts for the socket's
// life; where Windows does not know it, nothing changes.
func quickAck(conn net.Conn) net.Conn {
	tc, ok := conn.(*net.TCPConn)
	if !ok {
		return conn
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return conn
	}
	_ = rc.Control(func(fd uintptr) {
		freq := uint32(1)
		var n uint32
		_ = windows.WSAIoctl(windows.Handle(fd), sioTCPSetAckFrequency, (*byte)(unsafe.Pointer(&freq)),
			uint32(unsafe.Sizeof(freq)), nil, 0, &n, nil, 0)
	})
	return conn
}
