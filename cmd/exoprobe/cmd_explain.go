package main

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/kb"
	"github.com/exoprobe/exoprobe/report"
)

// explainHelp introduces explain's flags in --help: what it reads and its exit codes.
const explainHelp = `Decode a pasted SMTP reply, bounce (NDR), application error, log line or AADSTS error, offline.

  exoprobe explain "550 5.7.64 TenantAttribution; Relay Access Denied ATTR36"
  exoprobe explain < error.txt            (or: some-command | exoprobe explain)
  exoprobe explain                        on a terminal: paste, then an empty line or Ctrl-D
  exoprobe explain --file bounce.eml      a saved bounce: its delivery report is explained
  exoprobe explain --file app.log         (--file - reads stdin)

It reads the argument, else --file, else stdin, up to 16 MiB. Passwords, AUTH data, bearer
tokens, JWTs and secret fields in the text are shown as [redacted]. Values the text holds (the
IP Exchange Online saw, sender, recipient, server, tenant and app IDs) fill in the fixes; the
flags below override them.

Exit codes:
  0  a code or error was decoded
  1  nothing known was found in the text
  3  could not run (bad usage, unreadable file)

`

// explainOptions are explain's flags: where the text comes from, and values that override what
// the text holds.
type explainOptions struct {
	out      outputOptions
	file     string
	domain   string
	from     string
	to       string
	host     string
	publicIP netip.Addr
	tenant   string
	clientID string
}

func (o *explainOptions) register(fs *pflag.FlagSet) {
	o.out.registerOffline(fs)
	fs.StringVar(&o.file, "file", "", "read the text from a file (a log, or a saved bounce: .eml or any MIME message); - for stdin")
	domainVar(fs, &o.domain, "domain", "your tenant's domain, for the fixes (default: read from the text)")
	addressVar(fs, &o.from, "from", "the sender address, for the fixes (default: read from the text)")
	addressVar(fs, &o.to, "to", "the recipient address, for the fixes (default: read from the text)")
	hostVar(fs, &o.host, "host", "the server that answered, for the fixes (default: read from the text)")
	ipv4Var(fs, &o.publicIP, "public-ip", "this site's public IPv4 address, for the fixes")
	fs.StringVar(&o.tenant, "tenant", "", "tenant ID or domain, for the fixes (default: read from the text)")
	fs.StringVar(&o.clientID, "client-id", "", "application (client) ID, for the fixes (default: read from the text)")
}

// context returns the values given as flags; the zero value of a field means not given.
func (o *explainOptions) context() kb.Context {
	return kb.Context{Domain: o.domain, From: o.from, To: o.to, Host: o.host, PublicIP: o.publicIP, Tenant: o.tenant, AppID: o.clientID}
}

// runExplain decodes a pasted reply, NDR, log line or AADSTS error, offline.
func runExplain(_ context.Context, e *env, args []string) (check.Status, error) {
	var o explainOptions
	fs := pflag.NewFlagSet("explain", pflag.ContinueOnError)
	o.register(fs)
	if done, err := parseFlags(e, fs, "explain", args); done {
		return check.Pass, err
	}
	r, err := o.out.renderer(e)
	if err != nil {
		return "", err
	}
	in, err := readExplainInput(e, fs.Args(), o.file)
	if err != nil {
		return "", err
	}
	for _, n := range in.notes {
		fmt.Fprintf(e.stderr, "exoprobe explain: %s\n", n)
	}
	if in.text == "" {
		return "", usagef("give the reply text as an argument, with --file, or on stdin: exoprobe explain \"550 5.7.64 ...\"")
	}
	c := o.context().Merge(kb.ContextFromText(in.text))
	matches := kb.Explain(in.text, c)
	if err := report.Render(r.out, r.format, report.Explanation{Input: in.text, Matches: matches}); err != nil {
		return "", err
	}
	if len(matches) == 0 {
		return check.Warn, nil // nothing known found: exit 1, a warning as monitoring reads it
	}
	return check.Pass, nil
}
