package session

import "golang.org/x/sys/windows"

// The platform's errors for a refused, an unreachable and a blocked connection, for TestClassifyDial.
var (
	refusedErrno     error = windows.WSAECONNREFUSED
	blockedErrno     error = windows.WSAEACCES
	unreachableErrno error = windows.WSAENETUNREACH
)
