package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe"
)

// timeoutOptions are the deadline flags every networked command shares. Each is longer than
// zero once parsed (parseTimeout); reply is zero when the command has no --reply-timeout.
type timeoutOptions struct {
	timeout, connect, reply time.Duration
	fs                      *pflag.FlagSet // tells which of them the user typed
}

// register adds --timeout, --connect-timeout and --reply-timeout.
func (t *timeoutOptions) register(fs *pflag.FlagSet) {
	t.registerWithoutReply(fs)
	timeoutVar(fs, &t.reply, "reply-timeout", probe.DefaultReplyTimeout, "how long each server reply is waited for, at most --timeout")
}

// registerWithoutReply adds --timeout and --connect-timeout only, for a command whose replies
// are waited for as long as the probe's default.
func (t *timeoutOptions) registerWithoutReply(fs *pflag.FlagSet) {
	t.fs = fs
	timeoutVar(fs, &t.timeout, "timeout", probe.DefaultTimeout, "bound on the whole run")
	timeoutVar(fs, &t.connect, "connect-timeout", probe.DefaultConnectTimeout, "how long a silent port is waited for before it is called filtered, at most --timeout")
}

// values makes the deadlines nest: no part may be longer than the whole. A part the user did
// not type is shortened to fit the whole; a whole the user did not type is lengthened to hold
// the parts the user typed. Only parts and a whole that were all typed can contradict each
// other, and then every part that does not fit is named in one message.
func (t *timeoutOptions) values() (total, connect, reply time.Duration, err error) {
	typed := func(name string) bool { return t.fs != nil && t.fs.Changed(name) }
	parts := []struct {
		name string
		v    *time.Duration
	}{{"connect-timeout", &t.connect}, {"reply-timeout", &t.reply}}
	if !typed("timeout") {
		for _, p := range parts {
			if typed(p.name) {
				t.timeout = max(t.timeout, *p.v)
			}
		}
	}
	var clash []string
	for _, p := range parts {
		switch {
		case *p.v <= t.timeout:
		case typed(p.name):
			clash = append(clash, fmt.Sprintf("--%s %v", p.name, *p.v))
		default:
			*p.v = t.timeout
		}
	}
	switch len(clash) {
	case 0:
		return t.timeout, t.connect, t.reply, nil
	case 1:
		return 0, 0, 0, usagef("%s is longer than --timeout %v, which bounds the whole run: shorten it or lengthen --timeout", clash[0], t.timeout)
	}
	return 0, 0, 0, usagef("%s are longer than --timeout %v, which bounds the whole run: shorten them or lengthen --timeout",
		strings.Join(clash, " and "), t.timeout)
}
