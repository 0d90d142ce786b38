//go:build windows

package resolve

import (
	"errors"

	"golang.org/x/sys/windows"
)

// isRefused reports a refused TCP connection. Winsock reports it with its own code, which
// syscall.ECONNREFUSED does not match; Go turns off ICMP port-unreachable reports on UDP
// sockets, so a closed UDP port is silence there.
func isRefused(err error) bool { return errors.Is(err, windows.WSAECONNREFUSED) }
