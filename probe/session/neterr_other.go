//go:build !windows

package session

import (
	"errors"
	"syscall"
)

func isRefusedErrno(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }

// isBlockedErrno reports a connection this machine refused to open: a local firewall rule that
// rejects (iptables REJECT with icmp-admin-prohibited, pf "block return") fails connect with
// EPERM or EACCES.
func isBlockedErrno(err error) bool {
	return errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EACCES)
}

func isUnreachableErrno(err error) bool {
	return errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH)
}

func isResetErrno(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE)
}
