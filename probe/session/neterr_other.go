//go:build !windows

package session

import (
	"errors"
	"syscall"
)

func isRefusedErrno(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }

func isUnreachableErrno(err error) bool {
	return errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH)
}

func isResetErrno(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE)
}
