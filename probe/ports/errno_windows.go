//go:build windows

package ports

import "golang.org/x/sys/windows"

// Winsock reports connection errors with its own codes (WSAE...), which errors.Is does not
// match against syscall.ECONNREFUSED and friends on Windows.
var (
	refusedErrnos     = []error{windows.WSAECONNREFUSED}
	unreachableErrnos = []error{windows.WSAENETUNREACH, windows.WSAEHOSTUNREACH, windows.WSAENETDOWN,
		windows.WSAEHOSTDOWN, windows.WSAEADDRNOTAVAIL, windows.WSAEAFNOSUPPORT}
	// Windows Firewall and security products that block an outbound connection make
	// connect fail with WSAEACCES.
	blockedErrnos  = []error{windows.WSAEACCES}
	timedOutErrnos = []error{windows.WSAETIMEDOUT}
)
