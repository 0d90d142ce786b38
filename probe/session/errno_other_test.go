//go:build !windows

package session

import "syscall"

// The platform's errors for a refused, an unreachable and a blocked connection, for TestClassifyDial.
var (
	refusedErrno     error = syscall.ECONNREFUSED
	blockedErrno     error = syscall.EACCES
	unreachableErrno error = syscall.ENETUNREACH
)
