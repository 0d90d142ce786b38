package main

import (
	"encoding/json"
	"io"
	"maps"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/fixtures"
	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// TestSubmitThroughProxy runs `exoprobe submit` through the real command line with HTTPS_PROXY in
// its environment and the probe's own token client (no test client): the token requests go
// through a loopback CONNECT proxy, which records the tunnel's target, and the report names the
// proxy on the oauth check. The login host is a name under .test that only the proxy's route
// leads anywhere. NO_PROXY naming it, or a login host on loopback, goes direct.
func TestSubmitThroughProxy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		loopback bool   // the login URL is the token server's 127.0.0.1 address
		noProxy  string // NO_PROXY
		userinfo string // user:password@ in the proxy URL
		want     bool   // the token request goes through the proxy
	}{
		{name: "HTTPS_PROXY", want: true},
		{name: "credentials in HTTPS_PROXY are never shown", userinfo: "alice:Pr0xy-S3cret-exoprobe@", want: true},
		{name: "NO_PROXY names another host", noProxy: "example.org,.contoso.com", want: true},
		{name: "loopback goes direct", loopback: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim := fixtures.NewSim(t, "submit-ok")
			_, port, _ := net.SplitHostPort(sim.Tokens.Addr)
			target := net.JoinHostPort(fixtures.TokenHost, port)
			proxy := fixtures.NewConnectProxy(t, map[string]string{target: sim.Tokens.Addr})
			vars := maps.Clone(sim.Scenario.Env)
			vars["HTTPS_PROXY"] = strings.Replace(proxy.URL, "http://", "http://"+tt.userinfo, 1)
			if tt.noProxy != "" {
				vars["NO_PROXY"] = tt.noProxy
			}
			loginURL := "https://" + target
			if tt.loopback {
				loginURL = sim.Tokens.URL
			}
			code, stdout, stderr := runEnv(t, vars, func(o *probe.SubmitOptions) {
				o.LoginURL = loginURL
				o.RootCAs = sim.RootCAs // the probe's own client, verifying against the simulator's CA
				o.ControlPorts = sim.ControlPorts[len(sim.ControlPorts)-1:]
			}, append(append([]string{"submit"}, sim.Args()...), "-o", "json")...)
			var rep jsonReport
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("not JSON: %v\n%s\n%s", err, stdout, stderr)
			}
			if tt.userinfo != "" {
				assertNoLeak(t, "stdout", stdout, "Pr0xy-S3cret-exoprobe")
				assertNoLeak(t, "stderr", stderr, "Pr0xy-S3cret-exoprobe")
			}
			if code != exitPass {
				t.Errorf("exit %d; want 0 (findings %v)", code, rep.codes())
			}
			oauthFacts := map[string]any{}
			for _, c := range rep.Checks {
				if c.ID == string(check.OAuth) {
					oauthFacts = c.Facts
				}
			}
			seen := proxy.Seen()
			if tt.want {
				if len(seen) == 0 || slices.ContainsFunc(seen, func(s string) bool { return s != target }) {
					t.Errorf("the proxy saw %v; want CONNECT %s only", seen, target)
				}
				if oauthFacts["proxy"] != proxy.URL {
					t.Errorf("oauth fact proxy = %v; want %s", oauthFacts["proxy"], proxy.URL)
				}
			} else {
				if len(seen) > 0 {
					t.Errorf("the proxy saw %v; want nothing", seen)
				}
				if p, ok := oauthFacts["proxy"]; ok {
					t.Errorf("oauth fact proxy = %v; want none", p)
				}
			}
		})
	}
}

// TestRelayBehindProxy runs `exoprobe relay` with HTTPS_PROXY set and port 25 refused: the report
// says that SMTP does not go through an HTTP proxy, as its root cause. Without the proxy the
// refusal alone is the root cause.
func TestRelayBehindProxy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		vars      map[string]string
		wantRoot  string
		wantCodes []string
	}{
		{"HTTPS_PROXY set", map[string]string{"HTTPS_PROXY": "http://proxy.corp.example:3128"}, "tcp/smtp-not-proxied",
			[]string{"smtp-not-proxied", "port-refused"}},
		{"https_proxy in lower case", map[string]string{"https_proxy": "proxy.corp.example:8080"}, "tcp/smtp-not-proxied",
			[]string{"smtp-not-proxied", "port-refused"}},
		{"no proxy", nil, "tcp/port-refused", []string{"port-refused"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim := fixtures.NewSim(t, "ok")
			ln, err := net.Listen("tcp4", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			closed := ln.Addr().(*net.TCPAddr).Port
			ln.Close()
			args := []string{"relay", "--domain", sim.Domain, "--from", sim.From, "--to", sim.To, "--resolver", sim.DNSAddr,
				"--public-ip", sim.PublicIP.String(), "--port", strconv.Itoa(closed), "-o", "json"}
			var out, errb syncBuffer
			e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
				getenv: func(k string) string { return tt.vars[k] }, isTerminal: func(io.Writer) bool { return false }}
			v, err := runPort25(t.Context(), e, check.ModeRelay, args[1:], func(o *probe.Options) {
				o.RootCAs = sim.RootCAs
				o.ControlPorts = sim.ControlPorts
			})
			if err != nil {
				t.Fatal(err)
			}
			var rep jsonReport
			if err := json.Unmarshal([]byte(out.String()), &rep); err != nil {
				t.Fatalf("not JSON: %v\n%s\n%s", err, out.String(), errb.String())
			}
			if exitCode(v) != exitFail {
				t.Errorf("exit %d; want 2", exitCode(v))
			}
			if got := rep.rootCause(); got != tt.wantRoot {
				t.Errorf("root cause %s; want %s (findings %v)", got, tt.wantRoot, rep.codes())
			}
			var tcp []string
			for _, c := range rep.Checks {
				if c.ID == "tcp" {
					for _, f := range c.Findings {
						tcp = append(tcp, f.Code)
						if f.Code == "smtp-not-proxied" && (f.Hint == nil || f.Hint.ID != "smtp-not-proxied") {
							t.Errorf("smtp-not-proxied has hint %v; want the entry smtp-not-proxied", f.Hint)
						}
					}
				}
			}
			if !slices.Equal(tcp, tt.wantCodes) {
				t.Errorf("tcp findings %v; want %v", tcp, tt.wantCodes)
			}
		})
	}
}
