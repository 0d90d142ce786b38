package main

import (
	"time"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe"
)

// timeoutOptions are the deadline flags every networked command shares.
type timeoutOptions struct {
	timeout, connect, reply time.Duration
}

func (t *timeoutOptions) register(fs *pflag.FlagSet) {
	fs.DurationVar(&t.timeout, "timeout", probe.DefaultTimeout, "bound on the whole run")
	fs.DurationVar(&t.connect, "connect-timeout", probe.DefaultConnectTimeout, "how long a silent port is waited for before it is called filtered")
	fs.DurationVar(&t.reply, "reply-timeout", probe.DefaultReplyTimeout, "how long each server reply is waited for")
}

// values checks that the deadlines nest: no part may be longer than the whole.
func (t *timeoutOptions) values() (total, connect, reply time.Duration, err error) {
	for name, d := range map[string]time.Duration{"--timeout": t.timeout, "--connect-timeout": t.connect, "--reply-timeout": t.reply} {
		if d <= 0 {
			return 0, 0, 0, usagef("%s must be positive, got %v", name, d)
		}
	}
	if t.connect > t.timeout {
		return 0, 0, 0, usagef("--connect-timeout %v is longer than --timeout %v", t.connect, t.timeout)
	}
	if t.reply > t.timeout {
		return 0, 0, 0, usagef("--reply-timeout %v is longer than --timeout %v", t.reply, t.timeout)
	}
	return t.timeout, t.connect, t.reply, nil
}
