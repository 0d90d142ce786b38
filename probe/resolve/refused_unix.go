//go:build unix

package resolve

import (
	"errors"
	"syscall"
)

// isRefused reports a refused TCP connection, or an ICMP port unreachable on a UDP socket.
func isRefused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }
