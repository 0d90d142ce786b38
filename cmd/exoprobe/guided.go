package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/cloud"
)

// Exit codes of the guided interview when it does not reach its end: Ctrl-C is the shell's
// 128+SIGINT; input that ends (EOF) before the last answer means the command could not run.
const (
	exitGuidedInterrupted = 130
	exitGuidedEOF         = exitCantRun
)

// interactive reports whether exoprobe may interview the user: standard input and standard
// output are both terminals. Standard input is a terminal only when it is a file (os.Stdin)
// that isTerminal accepts.
func interactive(e *env) bool {
	w, ok := e.stdin.(io.Writer)
	return ok && e.isTerminal(w) && e.isTerminal(e.stdout)
}

// runGuided interviews the user, prints the command their answers imply (never a secret: the
// commands read secrets from the environment or a prompt) and runs it.
func runGuided(ctx context.Context, e *env) int {
	args, err := interview(ctx, e.stdin, e.stdout)
	switch {
	case errors.Is(err, errInterrupted):
		fmt.Fprintln(e.stdout, "\nInterrupted: nothing was run.")
		return exitGuidedInterrupted
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		fmt.Fprintln(e.stdout, "\nThe input ended before the last question: nothing was run. \"exoprobe --help\" lists the commands.")
		return exitGuidedEOF
	case err != nil:
		fmt.Fprintf(e.stderr, "exoprobe: %v\n", err)
		return exitCantRun
	}
	fmt.Fprintf(e.stdout, "\nRunning: exoprobe %s\n\n", quoteArgs(args))
	return run(ctx, e, args)
}

// prompter asks one question at a time on a terminal: a line in, with no read-ahead, so that a
// secret prompt after the interview reads the terminal from where the interview left it.
type prompter struct {
	ctx context.Context
	in  io.Reader
	out io.Writer
}

// line reads one line. Ctrl-C (the context cancelled) and the end of the input end it.
func (p *prompter) line() (string, error) {
	type result struct {
		s   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		var b []byte
		one := make([]byte, 1)
		for {
			n, err := p.in.Read(one)
			if n == 1 {
				if one[0] == '\n' {
					ch <- result{strings.TrimRight(string(b), "\r"), nil}
					return
				}
				b = append(b, one[0])
				continue
			}
			if err != nil {
				if errors.Is(err, io.EOF) && len(b) > 0 {
					err = io.ErrUnexpectedEOF
				}
				ch <- result{"", err}
				return
			}
		}
	}()
	select {
	case <-p.ctx.Done():
		// The read goroutine stays blocked on the terminal until the process exits, which it
		// does right after the interview ends.
		return "", errInterrupted
	case r := <-ch:
		return strings.TrimSpace(r.s), r.err
	}
}

// ask prints the question and returns the answer, def when it is empty; check, when set,
// refuses an answer with its reason and asks again.
func (p *prompter) ask(question, def string, check func(string) (string, error)) (string, error) {
	for {
		if def != "" {
			fmt.Fprintf(p.out, "%s [%s]: ", question, def)
		} else {
			fmt.Fprintf(p.out, "%s: ", question)
		}
		a, err := p.line()
		if err != nil {
			return "", err
		}
		if a == "" {
			a = def
		}
		if check == nil {
			return a, nil
		}
		v, err := check(a)
		if err == nil {
			return v, nil
		}
		fmt.Fprintf(p.out, "  %v\n", err)
	}
}

// yes asks a yes/no question.
func (p *prompter) yes(question string, def bool) (bool, error) {
	d := "y/N"
	if def {
		d = "Y/n"
	}
	a, err := p.ask(question+" ("+d+")", "", func(s string) (string, error) {
		switch strings.ToLower(s) {
		case "", "y", "yes", "n", "no":
			return strings.ToLower(s), nil
		}
		return "", errors.New("answer y or n")
	})
	if err != nil {
		return false, err
	}
	if a == "" {
		return def, nil
	}
	return strings.HasPrefix(a, "y"), nil
}

// endpointKind is what the server name a device is set up with says about the path it takes.
type endpointKind int

const (
	endpointUnknown    endpointKind = iota // left empty: every path is tried (site)
	endpointSubmission                     // smtp.office365.com and the other clouds' submission hosts
	endpointMX                             // the tenant's MX host at Exchange Online
	endpointOther                          // an on-premises relay or another server
)

// classifyHost tells the path from the server name the device is set up with.
func classifyHost(host string) endpointKind {
	h := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	switch {
	case h == "" || h == "?" || h == "don't know" || h == "dont know":
		return endpointUnknown
	case cloud.IsSubmissionHost(h):
		return endpointSubmission
	}
	if _, ok := cloud.ForMX(h); ok {
		return endpointMX
	}
	return endpointOther
}

// interview asks how the device sends, the sender and a recipient, and returns the command
// line that tests that path. It never asks for a secret: the command reads it from the
// environment or asks without echo.
func interview(ctx context.Context, in io.Reader, out io.Writer) ([]string, error) {
	p := &prompter{ctx: ctx, in: in, out: out}
	fmt.Fprint(out, `exoprobe: a few questions about how the device or application sends mail, then the
command that tests it. Ctrl-C ends here; nothing is sent without --send.

`)
	host, err := p.ask("Which server name is it set up to send to? (for example smtp.office365.com,\n"+
		"  contoso-com.mail.protection.outlook.com, your own relay; empty if you don't know)", "", nil)
	if err != nil {
		return nil, err
	}
	kind := classifyHost(host)
	if kind == endpointUnknown {
		fmt.Fprintln(out, "  Then exoprobe tries every path from this machine: relay, Direct Send and SMTP AUTH.")
	}
	port := 0
	if kind != endpointUnknown {
		def := "25"
		if kind == endpointSubmission {
			def = "587"
		}
		ps, err := p.ask("Which port?", def, func(s string) (string, error) {
			n, err := parsePort(s)
			return strconv.Itoa(n), err
		})
		if err != nil {
			return nil, err
		}
		port, _ = strconv.Atoi(ps)
	}
	userName := false
	if kind == endpointSubmission || kind == endpointOther || port == 587 {
		if userName, err = p.yes("Does it sign in with a user name?", kind == endpointSubmission); err != nil {
			return nil, err
		}
	}
	from, err := p.ask("Which address does it send as (the sender)?", "", parseAddress)
	if err != nil {
		return nil, err
	}
	to, err := p.ask("Which address should the test go to (a recipient)?", "", parseAddress)
	if err != nil {
		return nil, err
	}

	switch {
	case kind == endpointUnknown:
		return []string{"site", "--domain", domainPart(from), "--from", from, "--to", to}, nil
	case kind == endpointSubmission || userName:
		return submitInterview(p, host, port, kind, from, to)
	}
	args := []string{"--domain", domainPart(from), "--from", from, "--to", to}
	cert, err := p.yes("Does it present a certificate (a certificate-based connector)?", false)
	if err != nil {
		return nil, err
	}
	if cert {
		file, err := p.ask("The certificate file (.pfx, .p12 or .pem)", "", func(s string) (string, error) {
			if s == "" {
				return "", errors.New("give the file's path")
			}
			return s, nil
		})
		if err != nil {
			return nil, err
		}
		flag := "--cert"
		if l := strings.ToLower(file); strings.HasSuffix(l, ".pfx") || strings.HasSuffix(l, ".p12") {
			flag = "--pfx"
		}
		args = append(args, flag, file)
	}
	if kind == endpointOther {
		fmt.Fprintf(out, "  %s is not Exchange Online: run exoprobe on that relay server, which relays through a connector.\n", host)
	}
	if port != 25 && kind == endpointMX {
		args = append(args, "--port", strconv.Itoa(port))
	}
	if !cert && domainPart(to) == domainPart(from) {
		// Anonymous mail to the tenant's own mailboxes is Direct Send; anything else is a relay.
		return append([]string{"direct"}, args...), nil
	}
	return append([]string{"relay"}, args...), nil
}

// submitInterview asks how a device that signs in does it and returns the submit command.
func submitInterview(p *prompter, host string, port int, kind endpointKind, from, to string) ([]string, error) {
	app, err := p.yes("Does it sign in as an Entra app (OAuth: client ID, secret or certificate)?\n  No means a user name and password", false)
	if err != nil {
		return nil, err
	}
	args := []string{"submit", "--from", from, "--to", to}
	if !app {
		args = append(args, "--auth", "basic")
	} else {
		tenant, err := p.ask("The tenant ID or a verified domain of the tenant", domainPart(from), nil)
		if err != nil {
			return nil, err
		}
		client, err := p.ask("The application (client) ID", "", func(s string) (string, error) {
			if s == "" {
				return "", errors.New("App registrations > your app > Overview shows it")
			}
			return s, nil
		})
		if err != nil {
			return nil, err
		}
		args = append(args, "--tenant", tenant, "--client-id", client)
	}
	if kind == endpointSubmission && !strings.EqualFold(strings.TrimSuffix(host, "."), cloud.Global().SMTPHost) {
		args = append(args, "--host", strings.ToLower(host))
	}
	if kind == endpointOther {
		fmt.Fprintf(p.out, "  %s is not Exchange Online: exoprobe tests the sign-in at Exchange Online, which that server must reach.\n", host)
	}
	if port != 0 && port != probe.DefaultSubmitPort {
		args = append(args, "--port", strconv.Itoa(port))
	}
	if !app {
		fmt.Fprintf(p.out, "  The password is asked for without echo, or read from %s.\n", envPassword)
	} else {
		fmt.Fprintf(p.out, "  The client secret is asked for without echo, or read from %s.\n", envClientSecret)
	}
	return args, nil
}
