package main

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/publicip"
)

// The conversation's turns, counted: every path of the command line runs against the simulator
// through a fixtures.Proxy, which counts the client's flights that the server had to answer
// before the client went on. On a customer's site Exchange Online is 20-150 ms away, so each
// turn is a round trip the helpdesk engineer waits for; a change that adds one fails here.
//
// The bound of a dry run after the TCP connect is 5.5 round trips: the banner (half of one),
// then five turns: EHLO; STARTTLS; the TLS 1.3 handshake (ClientHello); the client's Finished
// with the EHLO after it; MAIL FROM, every RCPT TO, RSET and QUIT pipelined. The other paths
// add to that only what their protocol needs.
func TestTurns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		scenario string
		mode     string            // the command: relay, direct or submit
		set      map[string]string // flags set on top of the scenario's
		add      []string          // flags added
		env      map[string]string
		turns    int
		why      string
	}{
		{name: "relay dry run", scenario: "ok", mode: "relay", turns: 5,
			why: "EHLO; STARTTLS; ClientHello; Finished+EHLO; MAIL+RCPT+RSET+QUIT"},
		{name: "direct dry run", scenario: "ok", mode: "direct", set: map[string]string{"--to": "user@" + fixtures.SimDomain}, turns: 5,
			why: "as relay: Direct Send is the same conversation without a connector"},
		{name: "relay with a client certificate", scenario: "cert-ok", mode: "relay", turns: 5,
			why: "as relay: the certificate goes in the client's last handshake flight, with its Finished"},
		{name: "relay --send", scenario: "ok", mode: "relay", add: []string{"--send"}, turns: 6,
			why: "EHLO; STARTTLS; ClientHello; Finished+EHLO; MAIL+RCPT+DATA; the message+QUIT (the message waits for 354)"},
		{name: "submit with XOAUTH2", scenario: "submit-ok", mode: "submit", turns: 6,
			why: "EHLO; STARTTLS; ClientHello; Finished+EHLO; AUTH XOAUTH2 with the initial response; MAIL+RCPT+RSET+QUIT"},
		{name: "submit with LOGIN", scenario: "submit-ok", mode: "submit", set: map[string]string{"--auth": "basic"},
			env: map[string]string{envPassword: fixtures.SimPassword}, turns: 7,
			why: "as XOAUTH2, but LOGIN takes two: AUTH LOGIN with the user name as initial response; the password after its prompt"},
		{name: "submit --send", scenario: "submit-ok", mode: "submit", add: []string{"--send"}, turns: 7,
			why: "EHLO; STARTTLS; ClientHello; Finished+EHLO; AUTH XOAUTH2; MAIL+RCPT+DATA; the message+QUIT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim := fixtures.NewSim(t, tt.scenario)
			proxy := fixtures.NewProxy(t, sim.SMTP.Addr, 0)
			args := turnArgs(sim, tt.set, tt.add, proxy.Port)
			rep, stderr := runThrough(t, sim, tt.mode, tt.env, args)
			if rep.Verdict == "fail" {
				t.Fatalf("verdict fail (findings %v); want a run that goes to the end\n%s", rep.codes(), stderr)
			}
			turns := proxy.Turns()
			if len(turns) != 1 || turns[0] != tt.turns {
				var tr strings.Builder
				for _, l := range rep.Transcript {
					tr.WriteString(l.Dir + ": " + l.Line + "\n")
				}
				t.Errorf("turns per conversation = %v; want [%d] (%s)\ntranscript:\n%s", turns, tt.turns, tt.why, tr.String())
			}
		})
	}
}

// turnArgs are the scenario's arguments for the command, with set's flags set (replaced or
// added), add's added, and the port pointed at the proxy.
func turnArgs(sim *fixtures.Sim, set map[string]string, add []string, port int) []string {
	args := sim.Args()
	set = maps.Clone(set)
	if set == nil {
		set = map[string]string{}
	}
	set["--port"] = strconv.Itoa(port)
	if set["--auth"] == "basic" {
		// The mailbox's password signs in: no app registration.
		for _, f := range []string{"--tenant", "--client-id"} {
			if j := slices.Index(args, f); j >= 0 {
				args = slices.Delete(args, j, j+2)
			}
		}
	}
	for _, f := range slices.Sorted(maps.Keys(set)) {
		if j := slices.Index(args, f); j >= 0 {
			args[j+1] = set[f]
		} else {
			args = append(args, f, set[f])
		}
	}
	return append(append(args, add...), "-o", "json")
}

// runThrough runs "exoprobe mode args" in-process with the simulator's hooks, as the demo does.
func runThrough(t *testing.T, sim *fixtures.Sim, mode string, vars map[string]string, args []string) (jsonReport, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := interopEnv(&out, &errb, vars)
	if mode == "submit" && vars == nil {
		e = interopEnv(&out, &errb, sim.Scenario.Env)
	}
	var err error
	switch mode {
	case "submit":
		_, err = runSubmitWith(t.Context(), e, args, simHooks(sim))
	default:
		_, err = runPort25(t.Context(), e, check.Mode(mode), args, func(o *probe.Options) {
			o.PublicIPSources = publicip.SourcesAt(sim.DNSAddr)
			o.PublicIPHTTPS = []string{}
			o.RootCAs = sim.RootCAs
			o.ControlPorts = sim.ControlPorts
			o.Timeout = 20 * time.Second
		})
	}
	if err != nil {
		t.Fatalf("exoprobe %s %s: %v\n%s", mode, strings.Join(args, " "), err, errb.String())
	}
	var rep jsonReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("output is not JSON: %v\n%s\n%s", err, out.String(), errb.String())
	}
	return rep, errb.String()
}
