//go:build unix

package ports

import "syscall"

var (
	refusedErrnos = []error{syscall.ECONNREFUSED}
	// EADDRNOTAVAIL and EAFNOSUPPORT: no source address of the family, or the family is off.
	unreachableErrnos = []error{syscall.ENETUNREACH, syscall.EHOSTUNREACH, syscall.ENETDOWN,
		syscall.EHOSTDOWN, syscall.EADDRNOTAVAIL, syscall.EAFNOSUPPORT}
	// A local packet filter that rejects an outbound connection (iptables/nftables OUTPUT
	// with REJECT, pf block return) makes connect fail with EPERM or EACCES.
	blockedErrnos  = []error{syscall.EPERM, syscall.EACCES}
	timedOutErrnos = []error{syscall.ETIMEDOUT}
)
