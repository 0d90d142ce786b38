package main

import (
	"context"
	"time"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/kb"
	"github.com/exoprobe/exoprobe/probe/publicip"
)

// runIP detects the public IPv4 and IPv6 addresses only.
func runIP(ctx context.Context, e *env, args []string) (check.Status, error) {
	fs := pflag.NewFlagSet("ip", pflag.ContinueOnError)
	var (
		timeout  time.Duration
		resolver string
		out      outputOptions
	)
	timeoutVar(fs, &timeout, "timeout", probe.PublicIPTimeout, "bound on the whole run")
	resolverVar(fs, &resolver, "resolver", "DNS server host[:port] for the reverse look-up (default: the system's resolver)")
	out.register(fs)
	if done, err := parseFlags(e, fs, "ip", args); done {
		return check.Pass, err
	}
	r, err := out.renderer(e)
	if err != nil {
		return "", err
	}
	started := time.Now()
	run, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	res := publicip.Detect(run, publicip.Config{Resolver: resolver, Timeout: timeout, Logf: out.logf(e)}).Result
	interrupted := ctx.Err() != nil // Ctrl-C: the detection did not conclude
	if interrupted {
		res = probe.InterruptedCheck(check.PublicIP)
	}
	r.progress(res)
	rep := probe.SingleCheck(check.ModeIP, version, started, res, kb.Context{})
	rep.Interrupted = interrupted
	return render(r, rep)
}
