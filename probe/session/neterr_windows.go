package session

import (
	"errors"

	"golang.org/x/sys/windows"
)

// Winsock reports socket errors with its own numbers, which syscall.ECONNREFUSED and friends
// do not match on Windows.

func isRefusedErrno(err error) bool { return errors.Is(err, windows.WSAECONNREFUSED) }

// isBlockedErrno reports a connection this machine refused to open: Windows Firewall or a
// security product's filter fails connect with WSAEACCES.
func isBlockedErrno(err error) bool { return errors.Is(err, windows.WSAEACCES) }

func isUnreachableErrno(err error) bool {
	return errors.Is(err, windows.WSAENETUNREACH) || errors.Is(err, windows.WSAEHOSTUNREACH)
}

func isResetErrno(err error) bool {
	return errors.Is(err, windows.WSAECONNRESET) || errors.Is(err, windows.WSAECONNABORTED) ||
		errors.Is(err, windows.ERROR_NETNAME_DELETED)
}
