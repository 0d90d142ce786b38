package session

import (
	"net"
	"sync"
)

// flightConn sits under the TLS connection and holds what TLS writes until the conversation
// next reads, then sends it in one write: each flight of the client leaves as one segment.
// That matters once, after the TLS 1.3 handshake: Go's crypto/tls writes the client's last
// handshake flight (its Finished, with the certificate when one was asked for) when the
// handshake ends, and the EHLO that follows is a second write. Sent back to back the two cost
// no round trip, but as one write they are one flight for certain: nothing the server sends in
// between (OpenSSL's session tickets) can come first, and no delayed ACK can hold the second.
// Every write of the conversation is followed by a read of its reply, so nothing stays held;
// the ClientHello leaves when the handshake reads the server's answer.
type flightConn struct {
	net.Conn

	mu  sync.Mutex // guards buf: crypto/tls may write from Read (a KeyUpdate's answer)
	buf []byte     // written and not sent yet
}

func (f *flightConn) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.buf = append(f.buf, p...)
	return len(p), nil
}

// Read sends what is held, then reads.
func (f *flightConn) Read(p []byte) (int, error) {
	if err := f.flush(); err != nil {
		return 0, err
	}
	return f.Conn.Read(p)
}

func (f *flightConn) flush() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.buf) == 0 {
		return nil
	}
	_, err := f.Conn.Write(f.buf)
	f.buf = f.buf[:0]
	return err
}
