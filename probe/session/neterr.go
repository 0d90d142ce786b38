package session

import (
	"context"
	"errors"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/code"
)

// classifyDial turns a failed dial into a finding code and a few words: a silent drop
// (filtered), a reset (refused), a local block, no route (unreachable), or a name that does not
// resolve. The codes are the ones the tcp check (probe/ports) uses for the same states.
func classifyDial(ctx context.Context, err error, timeout time.Duration) (fc check.Code, words string) {
	var (
		ne  net.Error
		dns *net.DNSError
	)
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return code.Cancelled, "the run was cancelled"
	case errors.As(err, &dns):
		return code.HostNotFound, "the name " + dns.Name + " does not resolve"
	case isRefusedErrno(err):
		return code.PortRefused, "the connection was refused (reset)"
	case isBlockedErrno(err):
		return code.PortBlockedLocally, "this machine refused to open the connection"
	case isUnreachableErrno(err):
		return code.PortUnreachable, "no route to the address (network or host unreachable)"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return code.PortFiltered, "no answer within " + secs(timeout) + " (filtered)"
	}
	return code.PortError, err.Error()
}

// dialAdvice says what a failed dial means for a helpdesk engineer.
func dialAdvice(fc check.Code, words string, port int) string {
	p := strconv.Itoa(port)
	switch fc {
	case code.PortFiltered:
		return words + ": a firewall, the Internet provider or the cloud host silently drops outbound port " + p +
			". Many providers and Azure block port 25; ask for it to be opened, or check the local firewall's outbound rules"
	case code.PortRefused:
		return words + ": something on the path (a local firewall, a security product or the provider) rejects port " + p +
			"; Exchange Online itself never refuses the connection"
	case code.PortUnreachable:
		return words + ": this machine has no route to the endpoint; check its network connection, gateway and proxy settings"
	case code.PortBlockedLocally:
		return words + ": a local firewall or security product blocks outbound port " + p +
			" (antivirus \"mass-mailing worm\" rules do this); allow the application, or outbound port " + p + " to Exchange Online, in it"
	case code.HostNotFound:
		return words + ": check the host name and this machine's DNS servers"
	}
	return words
}
