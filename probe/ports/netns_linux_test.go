//go:build linux

package ports

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
)

// The network-namespace test: a namespace of its own, with an address whose port 25 drops
// SYNs (a filtered port, as behind a firewall or an ISP's block) and whose port 587 answers
// them with a TCP reset (a refused port), while port 443 is open. The test binary runs itself
// again inside the namespace, where the real dialer meets the real kernel's behaviour.
const (
	// netnsChildEnv is set in the test binary run inside the namespace.
	netnsChildEnv = "EXOPROBE_NETNS_CHILD"
	// netnsRequireEnv, set by .ci/run, makes the test fail where it would skip: in CI the
	// namespace must be made, or the filtered-port path goes untested without anyone noticing.
	netnsRequireEnv = "EXOPROBE_REQUIRE_NETNS"
	// netnsAddr is the endpoint's address inside the namespace (TEST-NET-2, RFC 5737); nothing
	// sent to it leaves the namespace.
	netnsAddr = "198.51.100.25"
	// netnsConnectTimeout is the connect timeout of the runs inside the namespace.
	netnsConnectTimeout = time.Second
	// netnsSlack is what the race detector and a loaded machine may add to it.
	netnsSlack = 700 * time.Millisecond
	// netnsCommandTimeout bounds each ip, nft or iptables command, and netnsChildTimeout the
	// test binary's run inside the namespace.
	netnsCommandTimeout = 10 * time.Second
	netnsChildTimeout   = 60 * time.Second
)

// nftRules drop SYNs to port 25 and reset connections to port 587 of netnsAddr, as they
// arrive: the same as a firewall on the path, seen from the client.
const nftRules = `table inet exoprobe_test {
	chain input {
		type filter hook input priority 0; policy accept;
		ip daddr ` + netnsAddr + ` tcp dport 25 drop
		ip daddr ` + netnsAddr + ` tcp dport 587 reject with tcp reset
	}
}
`

// iptablesRules are the same rules for iptables, used where nft is missing.
var iptablesRules = [][]string{
	{"-A", "INPUT", "-d", netnsAddr, "-p", "tcp", "--dport", "25", "-j", "DROP"},
	{"-A", "INPUT", "-d", netnsAddr, "-p", "tcp", "--dport", "587", "-j", "REJECT", "--reject-with", "tcp-reset"},
}

// TestFilteredPortsInNetns checks, against the kernel's real behaviour rather than a scripted
// dialer, that a port whose SYNs are dropped is called filtered at the connect timeout and one
// that answers with a reset is called refused. It needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN)
// and the ip command; it skips with the reason where it cannot make a namespace.
func TestFilteredPortsInNetns(t *testing.T) {
	if os.Getenv(netnsChildEnv) != "" {
		netnsChild(t)
		return
	}
	t.Parallel()
	ns := makeNetns(t)
	ctx, cancel := context.WithTimeout(t.Context(), netnsChildTimeout)
	defer cancel()
	ipCmd, _ := exec.LookPath("ip")
	cmd := exec.CommandContext(ctx, ipCmd, "netns", "exec", ns, os.Args[0],
		"-test.run=^TestFilteredPortsInNetns$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), netnsChildEnv+"="+ns)
	out, err := cmd.CombinedOutput()
	t.Logf("inside the namespace %s:\n%s", ns, bytes.TrimSpace(out))
	if err != nil {
		t.Fatalf("the test inside the namespace failed: %v", err)
	}
	if !bytes.Contains(out, []byte("--- PASS: TestFilteredPortsInNetns")) {
		t.Fatalf("the test inside the namespace did not pass (skipped?)")
	}
}

// netnsChild is the test inside the namespace.
func netnsChild(t *testing.T) {
	addr := netip.MustParseAddr(netnsAddr)
	// Port 443 is open: the control that tells a blocked port from an unreachable host.
	ln, err := net.Listen("tcp4", net.JoinHostPort(netnsAddr, "443"))
	if err != nil {
		t.Fatalf("listen on %s:443 inside the namespace: %v", netnsAddr, err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()

	tests := []struct {
		name     string
		port     int
		controls []Control
		state    State
		code     string
		want     []string
		no443    bool // 443 is not among the controls
		// min and max bound the run's duration.
		min, max time.Duration
	}{
		{name: "dropped SYNs", port: 25, controls: []Control{{Port: 587}, {Port: 443}}, state: Filtered,
			code: "port-blocked", min: netnsConnectTimeout - 50*time.Millisecond, max: netnsConnectTimeout + netnsSlack,
			want: []string{"The ISP or a firewall blocks port 25: nothing answered a connection to contoso-com.mail.protection.outlook.com (" +
				netnsAddr + ":25) on port 25 within 1s", "while port 443 on the same host connected", "only outbound port 25 is dropped"}},
		{name: "dropped SYNs, control reset", port: 25, controls: []Control{{Port: 587}}, state: Filtered, no443: true,
			code: "mail-ports-blocked", min: netnsConnectTimeout - 50*time.Millisecond, max: netnsConnectTimeout + netnsSlack,
			want: []string{"This network blocks all outbound mail ports: port 25 of contoso-com.mail.protection.outlook.com (" +
				netnsAddr + ":25) got no answer within 1s (filtered), and port 587 was refused too."}},
		{name: "reset", port: 587, controls: []Control{{Port: 443}}, state: Refused,
			code: "port-refused", max: netnsSlack,
			want: []string{"on port 587 was refused (a TCP reset came back)", "Port 443 on the same host connected, so only port 587 is rejected"}},
	}
	var wg sync.WaitGroup
	for _, tt := range tests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			r := Run(t.Context(), Config{
				Host: "contoso-com.mail.protection.outlook.com", Addrs4: []netip.Addr{addr}, Port: tt.port,
				Controls: tt.controls, Family: FamilyIPv4, ConnectTimeout: netnsConnectTimeout,
			}).Result
			elapsed := time.Since(start)
			if elapsed < tt.min || elapsed > tt.max {
				t.Errorf("%s: the check took %v; want between %v and %v", tt.name, elapsed, tt.min, tt.max)
			}
			key := fmt.Sprintf("%d/ipv4", tt.port)
			fact, _ := r.Facts[key].(map[string]any)
			if got := fact["state"]; got != string(tt.state) {
				t.Errorf("%s: %s is %v (%v); want %s", tt.name, key, got, fact["error"], tt.state)
			}
			if c443, _ := r.Facts["443/ipv4"].(map[string]any); !tt.no443 && c443["state"] != string(Open) {
				t.Errorf("%s: the control 443/ipv4 is %v; want open", tt.name, c443["state"])
			}
			if r.Status != check.Fail || len(r.Findings) != 1 || string(r.Findings[0].Code) != tt.code {
				t.Errorf("%s: got %s %v; want fail with only %s", tt.name, r.Status, r.Findings, tt.code)
				return
			}
			msg := r.Findings[0].Message
			t.Logf("%s in %v: %s", tt.name, elapsed.Round(time.Millisecond), msg)
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%s: got %q; want it to say %q", tt.name, msg, w)
				}
			}
		}()
	}
	wg.Wait()
}

// makeNetns makes a network namespace with netnsAddr on it and the firewall rules, and
// deletes it when the test ends. It skips the test (or fails it under netnsRequireEnv) where
// that is not possible.
func makeNetns(t *testing.T) string {
	t.Helper()
	cannot := func(format string, args ...any) {
		t.Helper()
		msg := "cannot make a network namespace for the filtered-port test: " + fmt.Sprintf(format, args...)
		if os.Getenv(netnsRequireEnv) != "" {
			t.Fatal(msg + " (" + netnsRequireEnv + " is set)")
		}
		t.Skip(msg)
	}
	if os.Geteuid() != 0 {
		cannot("it needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN); run the tests as root, or in CI")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		cannot("the ip command (iproute2) is not installed")
	}
	var id [4]byte
	_, _ = rand.Read(id[:])
	ns := fmt.Sprintf("exoprobe-test-%d-%s", os.Getpid(), hex.EncodeToString(id[:]))
	if out, err := run(t, "ip", "netns", "add", ns); err != nil {
		cannot("ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := run(t, "ip", "netns", "delete", ns); err != nil {
			t.Errorf("ip netns delete %s: %v: %s", ns, err, out)
		}
	})
	if out, err := run(t, "ip", "-n", ns, "link", "set", "lo", "up"); err != nil {
		cannot("ip link set lo up: %v: %s", err, out)
	}
	// A dummy interface holds the address; where the kernel has no dummy driver, lo does.
	dev := "dummy0"
	if _, err := run(t, "ip", "-n", ns, "link", "add", dev, "type", "dummy"); err != nil {
		dev = "lo"
	} else if out, err := run(t, "ip", "-n", ns, "link", "set", dev, "up"); err != nil {
		cannot("ip link set %s up: %v: %s", dev, err, out)
	}
	if out, err := run(t, "ip", "-n", ns, "addr", "add", netnsAddr+"/24", "dev", dev); err != nil {
		cannot("ip addr add: %v: %s", err, out)
	}

	nftErr := "nft is not installed"
	if nft, err := exec.LookPath("nft"); err == nil {
		out, err := runInput(t, nftRules, "ip", "netns", "exec", ns, nft, "-f", "-")
		if err == nil {
			return ns
		}
		nftErr = fmt.Sprintf("nft: %v: %s", err, out)
	}
	ipt, err := exec.LookPath("iptables")
	if err != nil {
		cannot("neither nft nor iptables can set the firewall rules (%s; iptables is not installed)", nftErr)
	}
	for _, rule := range iptablesRules {
		if out, err := run(t, "ip", append([]string{"netns", "exec", ns, ipt}, rule...)...); err != nil {
			cannot("neither nft nor iptables can set the firewall rules (%s; iptables: %v: %s)", nftErr, err, out)
		}
	}
	return ns
}

// run runs a command with a deadline and returns its combined output.
func run(t *testing.T, name string, args ...string) (string, error) {
	return runInput(t, "", name, args...)
}

func runInput(t *testing.T, stdin, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), netnsCommandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}
