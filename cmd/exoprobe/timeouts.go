package main

import (
	"time"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe"
)

// timeoutOptions are the deadline flags every networked command shares. Each is longer than
// zero once parsed (parseTimeout); reply is zero when the command has no --reply-timeout.
type timeoutOptions struct {
	timeout, connect, reply time.Duration
}

// register adds --timeout, --connect-timeout and --reply-timeout.
func (t *timeoutOptions) register(fs *pflag.FlagSet) {
	t.registerWithoutReply(fs)
	timeoutVar(fs, &t.reply, "reply-timeout", probe.DefaultReplyTimeout, "how long each server reply is waited for")
}

// registerWithoutReply adds --timeout and --connect-timeout only, for a command whose replies
// are waited for as long as the probe's default.
func (t *timeoutOptions) registerWithoutReply(fs *pflag.FlagSet) {
	timeoutVar(fs, &t.timeout, "timeout", probe.DefaultTimeout, "bound on the whole run")
	timeoutVar(fs, &t.connect, "connect-timeout", probe.DefaultConnectTimeout, "how long a silent port is waited for before it is called filtered")
}

// values checks that the deadlines nest: no part may be longer than the whole.
func (t *timeoutOptions) values() (total, connect, reply time.Duration, err error) {
	if t.connect > t.timeout {
		return 0, 0, 0, usagef("--connect-timeout %v is longer than --timeout %v", t.connect, t.timeout)
	}
	if t.reply > t.timeout {
		return 0, 0, 0, usagef("--reply-timeout %v is longer than --timeout %v", t.reply, t.timeout)
	}
	return t.timeout, t.connect, t.reply, nil
}
