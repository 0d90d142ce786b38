package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/publicip"
	"github.com/exoprobe/exoprobe/report"
)

// defaultDemoScenario shows a failure and its fix, which is what a newcomer should see first.
const defaultDemoScenario = "attr36"

// runDemo runs the real probe against the built-in Exchange Online simulator on loopback.
func runDemo(ctx context.Context, e *env, args []string) (check.Status, error) {
	fs := pflag.NewFlagSet("demo", pflag.ContinueOnError)
	name := fs.String("scenario", defaultDemoScenario, "scenario to run (see --list)")
	list := fs.Bool("list", false, "list the scenarios")
	var out outputOptions
	out.register(fs)
	out.registerReport(fs)
	out.registerMonitor(fs)
	if done, err := parseFlags(e, fs, "demo", args); done {
		return check.Pass, err
	}
	if *list && out.report != "" {
		return "", usagef("--list writes no report: leave out --report, or give --scenario")
	}
	if *list && out.monitor.promFile != "" {
		return "", usagef("--list writes no metrics: leave out --prom-file, or give --scenario")
	}
	if *list {
		return check.Pass, listScenarios(e.stdout, out.format)
	}
	sc, ok := fixtures.Lookup(*name)
	if !ok {
		return "", usagef("no scenario %q; \"exoprobe demo --list\" shows them", *name)
	}
	if _, err := openReportFile(out.report); err != nil {
		return "", err // before the simulator starts; the run checks it again
	}
	if _, err := openPromFile(out.monitor.promFile); err != nil {
		return "", err
	}
	if _, err := out.monitor.nagiosOptions(); err != nil {
		return "", err
	}
	sim, err := fixtures.Start(ctx, sc.Name)
	if err != nil {
		return "", fmt.Errorf("starting the simulator: %w", err)
	}
	defer sim.Close()

	args = sim.Args()
	if sc.Mode == check.ModeInventory {
		return demoInventory(ctx, e, sc, sim, args, out)
	}
	fmt.Fprintf(e.stderr, "demo: scenario %s: %s\ndemo: simulator on loopback; the same as: exoprobe %s %s%s\n\n",
		sc.Name, sc.Summary, sc.Mode, quoteArgs(args), envNote(sc.Env))
	args = append(args, "-o", out.format, "--no-color="+strconv.FormatBool(out.noColor),
		"--transcript="+strconv.FormatBool(out.transcript), "--verbose="+strconv.FormatBool(out.verbose),
		"--warn-cert-days="+strconv.Itoa(out.monitor.warnCertDays), "--crit-cert-days="+strconv.Itoa(out.monitor.critCertDays))
	// The files are passed on only when asked for, so that a scenario of a command without
	// one of them still runs.
	if out.report != "" {
		args = append(args, "--report="+out.report)
	}
	if out.monitor.promFile != "" {
		args = append(args, "--prom-file="+out.monitor.promFile)
	}
	e = demoEnv(e, sc.Env)
	if sc.Mode == check.ModeSite {
		return runSiteWith(ctx, e, args, func(o *probe.SiteOptions) {
			// Both endpoints are the simulator's: its public-IP names, CA, token endpoint and
			// control listeners, as for the relay and submit scenarios.
			o.Port25.PublicIPSources = publicip.SourcesAt(sim.DNSAddr)
			o.Port25.PublicIPHTTPS = []string{}
			o.Port25.RootCAs, o.Submit.RootCAs = sim.RootCAs, sim.RootCAs
			o.Port25.ControlPorts = sim.ControlPorts
			o.Submit.ControlPorts = sim.ControlPorts[len(sim.ControlPorts)-1:]
			o.Submit.LoginURL = sim.Tokens.URL
			o.Submit.TokenHTTPClient = sim.Tokens.Client()
		})
	}
	if sc.Mode == check.ModeConnector {
		return runConnectorDemo(ctx, e, args, sim)
	}
	if sc.Mode == check.ModeTenant {
		return runTenantWith(ctx, e, args, func(o *probe.TenantOptions) {
			// The tokens come from the simulator's token endpoint, and the Admin API and Graph
			// are its tenant simulator, each through a client that trusts its CA.
			o.LoginURL = sim.Tokens.URL
			o.TokenHTTPClient = sim.Tokens.Client()
			o.AdminURL, o.GraphURL = sim.Tenant.URL, sim.Tenant.URL
			o.APIHTTPClient = sim.Tenant.Client()
		})
	}
	if sc.Mode == check.ModeSubmit {
		return runSubmitWith(ctx, e, args, func(o *probe.SubmitOptions) {
			// The token requests go to the simulator's token endpoint (through a client that
			// trusts its CA), the SMTP server's chain is checked against its CA, and one of its
			// listeners stands in for port 443.
			o.LoginURL = sim.Tokens.URL
			o.TokenHTTPClient = sim.Tokens.Client()
			o.RootCAs = sim.RootCAs
			o.ControlPorts = sim.ControlPorts[len(sim.ControlPorts)-1:]
			if a := o.TenantCheck; a != nil && sim.ReaderTokens != nil {
				// --tenant-check: the reading app's tokens and the tenant it reads.
				a.LoginURL, a.TokenHTTPClient = sim.ReaderTokens.URL, sim.ReaderTokens.Client()
				a.AdminURL, a.GraphURL, a.APIHTTPClient = sim.Tenant.URL, sim.Tenant.URL, sim.Tenant.Client()
			}
		})
	}
	return runPort25(ctx, e, sc.Mode, args, func(o *probe.Options) {
		// Point every remaining outside call at the simulator: the public-IP sources ask its
		// DNS server, there is no HTTPS fallback, its CA is trusted and its listeners stand in
		// for the control ports.
		o.PublicIPSources = publicip.SourcesAt(sim.DNSAddr)
		o.PublicIPHTTPS = []string{}
		o.RootCAs = sim.RootCAs
		o.ControlPorts = sim.ControlPorts
	})
}

// runConnectorDemo runs the connector pre-flight against the simulator: its public-IP names, CA
// and control listeners, as for the relay scenarios, and with --tenant-check the reading app's
// token endpoint and the simulated tenant.
func runConnectorDemo(ctx context.Context, e *env, args []string, sim *fixtures.Sim) (check.Status, error) {
	return runConnectorWith(ctx, e, args, func(o *probe.ConnectorOptions) {
		o.PublicIPSources = publicip.SourcesAt(sim.DNSAddr)
		o.PublicIPHTTPS = []string{}
		o.RootCAs = sim.RootCAs
		o.ControlPorts = sim.ControlPorts
		if a := o.TenantCheck; a != nil && sim.ReaderTokens != nil {
			a.LoginURL, a.TokenHTTPClient = sim.ReaderTokens.URL, sim.ReaderTokens.Client()
			a.AdminURL, a.GraphURL, a.APIHTTPClient = sim.Tenant.URL, sim.Tenant.URL, sim.Tenant.Client()
		}
	})
}

// demoInventory runs an inventory scenario: exoprobe inventory against the tenant simulator,
// with the output flags inventory has (no transcript, no certificate thresholds: it sees no
// certificate).
func demoInventory(ctx context.Context, e *env, sc fixtures.Scenario, sim *fixtures.Sim, args []string, out outputOptions) (check.Status, error) {
	fmt.Fprintf(e.stderr, "demo: scenario %s: %s\ndemo: simulator on loopback; the same as: exoprobe %s %s%s\n\n",
		sc.Name, sc.Summary, sc.Mode, quoteArgs(args), envNote(sc.Env))
	args = append(args, "-o", out.format, "--no-color="+strconv.FormatBool(out.noColor), "--verbose="+strconv.FormatBool(out.verbose))
	if out.report != "" {
		args = append(args, "--report="+out.report)
	}
	if out.monitor.promFile != "" {
		args = append(args, "--prom-file="+out.monitor.promFile)
	}
	return runInventoryWith(ctx, demoEnv(e, sc.Env), args, func(a *probe.TenantAccess) {
		// The tokens come from the simulator's token endpoint, Exchange Online and Graph are
		// its tenant simulator, each through a client that trusts its CA.
		a.LoginURL = sim.Tokens.URL
		a.TokenHTTPClient = sim.Tokens.Client()
		a.AdminURL, a.GraphURL = sim.Tenant.URL, sim.Tenant.URL
		a.APIHTTPClient = sim.Tenant.Client()
	})
}

// demoEnv is e with the scenario's environment: its known test secrets, and none of the caller's
// own EXOPROBE_ variables, so that no real secret or token ever reaches the simulator and every
// run of a scenario is the same.
func demoEnv(e *env, vars map[string]string) *env {
	de := *e
	de.getenv = func(k string) string {
		if strings.HasPrefix(k, "EXOPROBE_") {
			return vars[k]
		}
		return e.getenv(k)
	}
	return &de
}

// envNote names the variables the demo sets, never their values.
func envNote(vars map[string]string) string {
	if len(vars) == 0 {
		return ""
	}
	names := slices.Sorted(maps.Keys(vars))
	return "\ndemo: with " + strings.Join(names, ", ") + " set to the simulated tenant's test value"
}

func quoteArgs(args []string) string {
	s := ""
	for i, a := range args {
		if i > 0 {
			s += " "
		}
		if a == "" || containsSpace(a) {
			a = strconv.Quote(a)
		}
		s += a
	}
	return s
}

func containsSpace(s string) bool {
	for _, r := range s {
		if r == ' ' || r == '\t' {
			return true
		}
	}
	return false
}

// listScenarios writes the demo's scenarios in the output format: a line each in text, a
// table in Markdown, and in JSON a list of {"name", "mode", "summary"}.
func listScenarios(w io.Writer, format string) error {
	output, err := report.ParseOutput(format)
	if err != nil {
		return usagef("%v", err)
	}
	if output == report.OutputNagios {
		return usagef("--list is a list, not a run: give it -o text, json or markdown")
	}
	type scenario struct {
		Name    string `json:"name"`
		Mode    string `json:"mode"`
		Summary string `json:"summary"`
	}
	list := []scenario{}
	for _, s := range fixtures.Scenarios() {
		list = append(list, scenario{Name: s.Name, Mode: string(s.Mode), Summary: s.Summary})
	}
	switch output {
	case report.OutputJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	case report.OutputMarkdown:
		fmt.Fprintln(w, "| scenario | command | what it shows |")
		fmt.Fprintln(w, "|---|---|---|")
		for _, s := range list {
			fmt.Fprintf(w, "| `%s` | %s | %s |\n", s.Name, s.Mode, strings.ReplaceAll(s.Summary, "|", "\\|"))
		}
		return nil
	}
	width := 18
	for _, s := range list {
		width = max(width, len(s.Name))
	}
	for _, s := range list {
		fmt.Fprintf(w, "%-*s %-9s %s\n", width, s.Name, s.Mode, s.Summary)
	}
	return nil
}
