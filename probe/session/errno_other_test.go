//go:build !windows

package session

import "syscall"

// The platform's errors for a refused and an unreachable connection, for TestClassifyDial.
var (
	refusedErrno     error = syscall.ECONNREFUSED
	unreachableErrno error = syscall.ENETUNREACH
)
