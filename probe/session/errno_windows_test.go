package session

import "golang.org/x/sys/windows"

// The platform's errors for a refused and an unreachable connection, for TestClassifyDial.
var (
	refusedErrno     error = windows.WSAECONNREFUSED
	unreachableErrno error = windows.WSAENETUNREACH
)
