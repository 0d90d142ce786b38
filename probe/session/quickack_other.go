//go:build !linux && !windows

package session

import "net"

// quickAck leaves the connection as it is: these systems have no per-socket switch for
// delayed ACKs that the probe relies on.
func quickAck(conn net.Conn) net.Conn { return conn }
