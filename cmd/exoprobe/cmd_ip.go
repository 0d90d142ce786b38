package main

import (
	"context"
	"time"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/kb"
	"github.com/exoprobe/exoprobe/probe/publicip"
	"github.com/exoprobe/exoprobe/probe/webproxy"
	"github.com/exoprobe/exoprobe/report"
)

// runIP detects the public IPv4 and IPv6 addresses only.
func runIP(ctx context.Context, e *env, args []string) (check.Status, error) {
	return runIPWith(ctx, e, args, nil)
}

// runIPWith is runIP; tweak, when set, adjusts the detection's configuration after parsing
// (tests point the sources at a simulator).
func runIPWith(ctx context.Context, e *env, args []string, tweak func(*publicip.Config)) (check.Status, error) {
	fs := pflag.NewFlagSet("ip", pflag.ContinueOnError)
	var (
		timeout  time.Duration
		resolver string
		out      outputOptions
	)
	timeoutVar(fs, &timeout, "timeout", probe.PublicIPTimeout, "bound on the whole run")
	resolverVar(fs, &resolver, "resolver", "DNS server host[:port] for the reverse look-up (default: the system's resolver)")
	out.registerOffline(fs)
	out.registerReport(fs)
	out.registerMonitor(fs)
	// The common flags that mean nothing here are refused with the reason, not as unknown.
	for _, f := range []struct {
		name, why string
	}{
		{"transcript", "has no meaning for ip: it holds no SMTP conversation"},
		{"host", "has no meaning for ip: it asks the public-IP services, not a mail server"},
		{"port", "has no meaning for ip: it asks the public-IP services, not a mail server"},
		{"connect-timeout", "has no meaning for ip: it connects to no mail server; --timeout bounds the detection"},
		{"reply-timeout", "has no meaning for ip: it holds no SMTP conversation; --timeout bounds the detection"},
		{"public-ip", "has no meaning for ip: ip is the detection of the public IP; give the address to relay, direct or connector"},
		{"skip", "has no meaning for ip: its one check is the public-IP detection"},
	} {
		refuseVar(fs, f.name, f.name == "transcript", f.why)
	}
	if done, err := parseFlags(e, fs, "ip", args); done {
		return check.Pass, err
	}
	r, err := out.renderer(e)
	if err != nil {
		return "", err
	}
	r.ticket.Inputs = report.Inputs{Resolver: resolver}
	stopped := ctx // cancelled by Ctrl-C; the ctx of the detection is bounded by --timeout too
	started := time.Now()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if r.status != nil {
		r.status.update(probe.Activity{Stage: "publicip", What: "this site's public IP addresses from the public-IP services", Since: started})
	}
	cfg := publicip.Config{Resolver: resolver, Timeout: timeout, Proxy: webproxy.FromEnvironment(e.getenv), Logf: out.logf(e)}
	if tweak != nil {
		tweak(&cfg)
	}
	res := publicip.Detect(ctx, cfg).Result
	if r.status != nil {
		r.status.update(probe.Activity{Stage: "publicip", Done: true})
	}
	interrupted := stopped.Err() != nil // the detection did not conclude
	if interrupted {
		res = probe.InterruptedCheck(check.PublicIP)
	}
	r.progress(res)
	rep := probe.SingleCheck(check.ModeIP, version, started, res, kb.Context{})
	if interrupted {
		rep.MarkInterrupted()
	}
	return render(r, rep)
}
