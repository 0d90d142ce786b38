package resolve

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// Kinds of bad answers, matched with errors.Is on the errors of Exchange and of a Resolver.
var (
	// ErrWrongID is an answer whose message id is not the question's: a DNS proxy or firewall
	// that rewrites DNS, or an answer meant for another question. Over UDP such answers are
	// ignored; the error then comes with the timeout.
	ErrWrongID = errors.New("resolve: answer with the wrong message id")
	// ErrMalformed is an answer that does not parse as a DNS message: garbage, or a packet cut
	// short on the way.
	ErrMalformed = errors.New("resolve: answer that is not a valid DNS message")
	// ErrTruncated is an answer that is still truncated when asked again over TCP.
	ErrTruncated = errors.New("resolve: answer truncated even over TCP")
	// ErrOtherQuestion is an answer to another question than the one asked.
	ErrOtherQuestion = errors.New("resolve: the answer is for another question")
)

// exchangeError is a failed exchange with one server.
type exchangeError struct {
	network string // "udp", "tcp4", ...
	// wrongID and malformed count the UDP answers ignored while waiting for a valid one.
	wrongID, malformed int
	// afterTruncation is set when the failure came on the retry over TCP after a truncated
	// UDP answer.
	afterTruncation bool
	err             error
}

func (e *exchangeError) Error() string { return "resolve: " + e.words(0) }

// Unwrap returns the underlying failure and the kinds of the answers ignored.
func (e *exchangeError) Unwrap() []error {
	errs := []error{e.err}
	if e.wrongID > 0 {
		errs = append(errs, ErrWrongID)
	}
	if e.malformed > 0 {
		errs = append(errs, ErrMalformed)
	}
	return errs
}

// mergeIgnored adds the answers the first try ignored to the error of the second.
func mergeIgnored(err, first error) error {
	var e, f *exchangeError
	if errors.As(err, &e) && errors.As(first, &f) {
		e.wrongID += f.wrongID
		e.malformed += f.malformed
	}
	return err
}

// Reason says in words why a DNS look-up or exchange failed, for a message a helpdesk engineer
// reads: "no answer within 3 s", "nothing answers DNS on that address and port (port
// unreachable)", "no valid answer within 3 s; the server sent 2 answers with the wrong message
// id, ignored: ...". It is "" for nil.
func Reason(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.what()
	}
	return reason(err, 0)
}

// reason words a failure; limit is how long the look-up could wait (0: not known).
func reason(err error, limit time.Duration) string {
	var (
		ee *exchangeError
		de *net.DNSError
	)
	switch {
	case errors.As(err, &ee):
		return ee.words(limit)
	case errors.As(err, &de):
		switch {
		case de.IsTimeout:
			return noAnswer(limit)
		case de.IsNotFound:
			return "no such name"
		}
		return "the DNS server could not answer (" + de.Err + ")"
	case isTimeout(err):
		return noAnswer(limit)
	}
	return err.Error()
}

func (e *exchangeError) words(limit time.Duration) string {
	tcp := strings.HasPrefix(e.network, "tcp")
	over := ""
	if tcp {
		over = " over TCP"
	}
	var w string
	switch {
	case errors.Is(e.err, context.Canceled):
		w = "the look-up was cancelled"
	case isTimeout(e.err):
		w = noAnswer(limit)
		if e.wrongID+e.malformed > 0 {
			w = "no valid" + strings.TrimPrefix(w, "no")
		}
	case isRefused(e.err) && tcp:
		w = "the server refused the connection over TCP (nothing listens on its TCP port, or a firewall rejects it)"
	case isRefused(e.err):
		w = "nothing answers DNS on that address and port (port unreachable)"
	case errors.Is(e.err, ErrTruncated):
		return "the answer came truncated over UDP and again over TCP: the server never gave the whole answer"
	case errors.Is(e.err, ErrWrongID):
		w = "the answer" + over + " carried the wrong message id (a DNS proxy or firewall on the path probably mangles DNS)"
	case errors.Is(e.err, ErrMalformed):
		w = "the answer" + over + " is not a valid DNS message (a DNS proxy or firewall on the path probably mangles DNS)"
	case errors.Is(e.err, ErrOtherQuestion):
		w = "the answer is for another question than the one asked (a DNS proxy or firewall on the path rewrites DNS)"
	case errors.Is(e.err, io.EOF):
		w = "the server closed the TCP connection without an answer"
	case errors.Is(e.err, io.ErrUnexpectedEOF):
		w = "the server closed the TCP connection in the middle of its answer"
	default:
		var op *net.OpError
		if errors.As(e.err, &op) && op.Err != nil {
			w = "cannot reach the server over " + strings.ToUpper(strings.TrimRight(e.network, "46")) + ": " + op.Err.Error()
		} else {
			w = e.err.Error()
		}
	}
	if e.afterTruncation {
		w = "the answer was too large for UDP (truncated), and the retry over TCP failed: " + w
	}
	var ignored []string
	if e.wrongID > 0 {
		ignored = append(ignored, count(e.wrongID, "answer", "answers")+" with the wrong message id")
	}
	switch {
	case e.malformed == 1:
		ignored = append(ignored, "1 answer that is not a valid DNS message")
	case e.malformed > 1:
		ignored = append(ignored, strconv.Itoa(e.malformed)+" answers that are not valid DNS messages")
	}
	if len(ignored) > 0 {
		which := ", which were ignored"
		if e.wrongID+e.malformed == 1 {
			which = ", which was ignored"
		}
		w += "; the server sent " + strings.Join(ignored, " and ") + which +
			": a DNS proxy or firewall on the path probably mangles DNS"
	}
	return w
}

// rcodeWords explains the response codes a resolver meets.
func rcodeWords(rc int) string {
	switch rc {
	case dns.RcodeServerFailure:
		return " (it could not get an answer: the domain's own DNS servers may be failing or unreachable)"
	case dns.RcodeRefused:
		return " (it does not answer this machine's questions: ask another server with --resolver)"
	case dns.RcodeFormatError:
		return " (it did not understand the question)"
	}
	return ""
}

func noAnswer(limit time.Duration) string {
	if limit > 0 {
		return "no answer within " + secs(limit)
	}
	return "no answer in time"
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		errors.As(err, &ne) && ne.Timeout()
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// secs renders a duration for a helpdesk reader: "3 s", "1.5 s", "600 ms".
func secs(d time.Duration) string {
	if d < time.Second {
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	}
	return strconv.FormatFloat(d.Round(100*time.Millisecond).Seconds(), 'f', -1, 64) + " s"
}
