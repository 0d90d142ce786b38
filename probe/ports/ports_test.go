package ports

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
)

var loop4 = netip.MustParseAddr("127.0.0.1")

// listener is an open port on loopback that accepts and closes.
func listener(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	t.Cleanup(func() { l.Close(); wg.Wait() })
	return l.Addr().(*net.TCPAddr).Port
}

// closedPort is a loopback port nothing listens on: connecting gets a reset.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// scripted dials by a table: port/family → what happens. Unlisted attempts use a real dialer.
type scripted map[string]func(ctx context.Context) (net.Conn, error)

func (s scripted) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	ap := netip.MustParseAddrPort(addr)
	fam := "ipv4"
	if network == "tcp6" {
		fam = "ipv6"
	}
	if f, ok := s[strconv.Itoa(int(ap.Port()))+"/"+fam]; ok {
		return f(ctx)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

// silent never answers, like a port behind a dropping firewall.
func silent(ctx context.Context) (net.Conn, error) {
	<-ctx.Done()
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: ctx.Err()}
}

// errno fails at once with a system error, as connect(2) would.
func errno(err error) func(context.Context) (net.Conn, error) {
	return func(context.Context) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", err)}
	}
}

// opened succeeds with an in-memory connection.
func opened(context.Context) (net.Conn, error) {
	c1, c2 := net.Pipe()
	c2.Close()
	return c1, nil
}

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want State
	}{
		{"nil", nil, Open},
		{"deadline", context.DeadlineExceeded, Filtered},
		{"cancel", context.Canceled, Aborted},
		{"other", errors.New("boom"), Failed},
	}
	for i, e := range refusedErrnos {
		tests = append(tests, struct {
			name string
			err  error
			want State
		}{"refused" + strconv.Itoa(i), &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", e)}, Refused})
	}
	for i, e := range unreachableErrnos {
		tests = append(tests, struct {
			name string
			err  error
			want State
		}{"unreachable" + strconv.Itoa(i), &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", e)}, Unreachable})
	}
	for i, e := range blockedErrnos {
		tests = append(tests, struct {
			name string
			err  error
			want State
		}{"blocked" + strconv.Itoa(i), &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", e)}, Blocked})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.err); got != tt.want {
				t.Errorf("Classify(%v) = %s; want %s", tt.err, got, tt.want)
			}
		})
	}
}

// TestClassifyRealSockets: open and refused from real loopback sockets, filtered from a real
// dialer's own timeout.
func TestClassifyRealSockets(t *testing.T) {
	t.Parallel()
	var d net.Dialer
	open := listener(t)
	c, err := d.DialContext(t.Context(), "tcp4", "127.0.0.1:"+strconv.Itoa(open))
	if c != nil {
		c.Close()
	}
	if got := Classify(err); got != Open {
		t.Errorf("listening port: %s (%v); want open", got, err)
	}
	_, err = d.DialContext(t.Context(), "tcp4", "127.0.0.1:"+strconv.Itoa(closedPort(t)))
	if got := Classify(err); got != Refused {
		t.Errorf("closed port: %s (%v); want refused", got, err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Nanosecond)
	defer cancel()
	time.Sleep(time.Millisecond)
	_, err = d.DialContext(ctx, "tcp4", "127.0.0.1:"+strconv.Itoa(open))
	if got := Classify(err); got != Filtered {
		t.Errorf("expired dial: %s (%v); want filtered", got, err)
	}
}

func codes(r *check.Result) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, string(f.Severity)+":"+string(f.Code))
	}
	return out
}

func TestRun(t *testing.T) {
	t.Parallel()
	v6 := netip.MustParseAddr("2001:db8::25")
	tests := []struct {
		name   string
		family string
		addrs6 bool
		// noControls leaves the control ports out: the main port alone decides.
		noControls bool
		main       func(t *testing.T) (port int, script scripted) // the main port and any scripted attempts
		status     check.Status
		codes      []string
		states     map[string]State // "main/ipv4" stands for the main port
		message    string
	}{
		{
			name: "open", family: FamilyIPv4,
			main:   func(t *testing.T) (int, scripted) { return listener(t), nil },
			status: check.Pass, states: map[string]State{"main/ipv4": Open, "587/ipv4": Open, "443/ipv4": Open},
		},
		{
			name: "refused", family: FamilyIPv4,
			main:   func(t *testing.T) (int, scripted) { return closedPort(t), nil },
			status: check.Fail, codes: []string{"fail:port-refused"}, states: map[string]State{"main/ipv4": Refused},
			message: "Port 587 and 443 on the same host connected",
		},
		{
			name: "filtered while the controls open: the classic block", family: FamilyIPv4,
			main: func(t *testing.T) (int, scripted) {
				return 2525, scripted{"2525/ipv4": silent}
			},
			status: check.Fail, codes: []string{"fail:port-blocked"}, states: map[string]State{"main/ipv4": Filtered, "587/ipv4": Open},
			message: "The ISP or a firewall blocks port 2525",
		},
		{
			name: "filtered while one control opens", family: FamilyIPv4,
			main: func(t *testing.T) (int, scripted) {
				return 2525, scripted{"2525/ipv4": silent, "587/ipv4": silent}
			},
			status: check.Fail, codes: []string{"fail:port-blocked"}, states: map[string]State{"587/ipv4": Filtered, "443/ipv4": Open},
			message: "while port 443 on the same host connected",
		},
		{
			name: "everything silent", family: FamilyIPv4,
			main: func(t *testing.T) (int, scripted) {
				return 2525, scripted{"2525/ipv4": silent, "587/ipv4": silent, "443/ipv4": silent}
			},
			status: check.Fail, codes: []string{"fail:mail-ports-blocked"},
			message: "This network blocks all outbound mail ports: port 2525 of contoso-com.mail.protection.outlook.com (127.0.0.1:2525) got no answer within 300ms (filtered), and ports 587 and 443 got no answer either (filtered).",
		},
		{
			name: "everything refused", family: FamilyIPv4,
			main: func(t *testing.T) (int, scripted) {
				return 2525, scripted{"2525/ipv4": errno(refusedErrnos[0]), "587/ipv4": errno(refusedErrnos[0]), "443/ipv4": errno(refusedErrnos[0])}
			},
			status: check.Fail, codes: []string{"fail:mail-ports-blocked"},
			message: "(127.0.0.1:2525) was refused (a TCP reset came back), and ports 587 and 443 were refused too.",
		},
		{
			name: "filtered and refused", family: FamilyIPv4,
			main: func(t *testing.T) (int, scripted) {
				return 2525, scripted{"2525/ipv4": silent, "587/ipv4": errno(refusedErrnos[0]), "443/ipv4": silent}
			},
			status: check.Fail, codes: []string{"fail:mail-ports-blocked"},
			message: "port 587 was refused too, and port 443 got no answer either (filtered)",
		},
		{
			name: "filtered without controls", family: FamilyIPv4, noControls: true,
			main: func(t *testing.T) (int, scripted) {
				return 2525, scripted{"2525/ipv4": silent}
			},
			status: check.Fail, codes: []string{"fail:port-filtered"}, message: "the port is filtered",
		},
		{
			name: "unreachable", family: FamilyIPv4,
			main: func(t *testing.T) (int, scripted) {
				return 2525, scripted{"2525/ipv4": errno(unreachableErrnos[0])}
			},
			status: check.Fail, codes: []string{"fail:port-unreachable"}, states: map[string]State{"main/ipv4": Unreachable},
		},
		{
			name: "blocked by this machine", family: FamilyIPv4,
			main: func(t *testing.T) (int, scripted) {
				return 2525, scripted{"2525/ipv4": errno(blockedErrnos[0])}
			},
			status: check.Fail, codes: []string{"fail:port-blocked-locally"}, states: map[string]State{"main/ipv4": Blocked},
		},
		{
			name: "relay reaches EXO over IPv6", family: FamilyIPv4, addrs6: true,
			main: func(t *testing.T) (int, scripted) {
				p := listener(t)
				return p, scripted{strconv.Itoa(p) + "/ipv6": opened}
			},
			status: check.Warn, codes: []string{"warn:ipv6-egress"}, states: map[string]State{"main/ipv4": Open, "main/ipv6": Open},
			message: "IPv4",
		},
		{
			name: "relay: IPv6 failing does not count", family: FamilyIPv4, addrs6: true,
			main: func(t *testing.T) (int, scripted) {
				p := listener(t)
				return p, scripted{strconv.Itoa(p) + "/ipv6": silent}
			},
			status: check.Pass, states: map[string]State{"main/ipv6": Filtered},
		},
		{
			name: "direct: no IPv6 route is normal", addrs6: true,
			main: func(t *testing.T) (int, scripted) {
				p := listener(t)
				return p, scripted{strconv.Itoa(p) + "/ipv6": errno(unreachableErrnos[0]),
					"587/ipv6": errno(unreachableErrnos[0]), "443/ipv6": errno(unreachableErrnos[0])}
			},
			status: check.Pass, states: map[string]State{"main/ipv6": Unreachable},
		},
		{
			name: "direct: IPv6 filtered while IPv4 works", addrs6: true,
			main: func(t *testing.T) (int, scripted) {
				p := listener(t)
				return p, scripted{strconv.Itoa(p) + "/ipv6": silent, "587/ipv6": opened, "443/ipv6": opened}
			},
			status: check.Warn, codes: []string{"warn:port-blocked"}, message: v6.String(),
		},
		{
			name: "direct: both families filtered", addrs6: true,
			main: func(t *testing.T) (int, scripted) {
				return 2525, scripted{"2525/ipv4": silent, "2525/ipv6": silent, "587/ipv6": opened, "443/ipv6": opened}
			},
			status: check.Fail, codes: []string{"fail:port-blocked", "fail:port-blocked"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			port, script := tt.main(t)
			c587, c443 := listener(t), listener(t)
			if script == nil {
				script = scripted{}
			}
			// The control ports are on loopback listeners; scripted entries for "587/..." and
			// "443/..." stand in for them by label, so map the real ports onto those labels.
			for label, real := range map[string]int{"587": c587, "443": c443} {
				for _, fam := range []string{"ipv4", "ipv6"} {
					if f, ok := script[label+"/"+fam]; ok {
						script[strconv.Itoa(real)+"/"+fam] = f
					}
				}
			}
			cfg := Config{
				Host: "contoso-com.mail.protection.outlook.com", Addrs4: []netip.Addr{loop4}, Port: port,
				Controls: []Control{{Port: c587, Label: "587"}, {Port: c443, Label: "443"}},
				Family:   tt.family, ConnectTimeout: 300 * time.Millisecond, Dial: script.dial, Logf: t.Logf,
			}
			if tt.addrs6 {
				cfg.Addrs6 = []netip.Addr{v6}
			}
			if tt.noControls {
				cfg.Controls = nil
			}
			r := Run(t.Context(), cfg).Result
			if r.ID != "tcp" {
				t.Errorf("id = %q; want tcp", r.ID)
			}
			if r.Status != tt.status {
				t.Errorf("status = %s; want %s (%+v)", r.Status, tt.status, r.Findings)
			}
			if got := codes(r); !slices.Equal(got, tt.codes) {
				t.Errorf("findings %v; want %v", got, tt.codes)
			}
			real := map[string]int{"main": port, "587": c587, "443": c443}
			for key, want := range tt.states {
				name, fam, _ := strings.Cut(key, "/")
				key = strconv.Itoa(real[name]) + "/" + fam
				fact, _ := r.Facts[key].(map[string]any)
				if fact["state"] != string(want) {
					t.Errorf("%s = %v; want %s", key, r.Facts[key], want)
				}
			}
			if tt.message != "" && (len(r.Findings) == 0 || !strings.Contains(r.Findings[0].Message, tt.message)) {
				t.Errorf("findings %+v; want the first to say %q", r.Findings, tt.message)
			}
		})
	}
}

// TestFilteredDoesNotHoldTheOthers: a silent port is called filtered at ConnectTimeout, and
// the open ones are timed on their own.
func TestFilteredDoesNotHoldTheOthers(t *testing.T) {
	t.Parallel()
	open := listener(t)
	const timeout = 400 * time.Millisecond
	cfg := Config{
		Addrs4: []netip.Addr{loop4}, Port: 2525, Controls: []Control{{Port: open, Label: "443"}},
		ConnectTimeout: timeout, Dial: scripted{"2525/ipv4": silent}.dial,
	}
	start := time.Now()
	r := Run(t.Context(), cfg).Result
	d := time.Since(start)
	if d < timeout || d > timeout+500*time.Millisecond {
		t.Errorf("run took %v; want about the connect timeout %v", d, timeout)
	}
	main, _ := r.Facts["2525/ipv4"].(map[string]any)
	ctl, _ := r.Facts[strconv.Itoa(open)+"/ipv4"].(map[string]any)
	if main["state"] != string(Filtered) || ctl["state"] != string(Open) {
		t.Fatalf("facts %v; want 2525 filtered and %d open", r.Facts, open)
	}
	if ms := ctl["connect_ms"].(int64); ms > 100 {
		t.Errorf("open port took %d ms; want it timed on its own", ms)
	}
	if ms := main["connect_ms"].(int64); ms < timeout.Milliseconds() {
		t.Errorf("filtered port called after %d ms; want %d", ms, timeout.Milliseconds())
	}
}

func TestRunEnded(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	r := Run(ctx, Config{Addrs4: []netip.Addr{loop4}, Port: 2525, ConnectTimeout: 5 * time.Second,
		Dial: scripted{"2525/ipv4": silent}.dial}).Result
	if got := codes(r); !slices.Equal(got, []string{"warn:port-aborted"}) {
		t.Errorf("findings %v; want [warn:port-aborted]: the port was not given its time", got)
	}
}

func TestRunNoAddress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		cfg    Config
		status check.Status
	}{
		{"nothing", Config{}, check.Skip},
		{"relay with IPv6 only", Config{Family: FamilyIPv4, Addrs6: []netip.Addr{netip.MustParseAddr("2001:db8::1")}}, check.Skip},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := Run(t.Context(), tt.cfg).Result; r.Status != tt.status {
				t.Errorf("status = %s; want %s", r.Status, tt.status)
			}
		})
	}
}

func TestPlanSkipsControlOnMainPort(t *testing.T) {
	t.Parallel()
	got := plan(Config{Addrs4: []netip.Addr{loop4}, Port: 587, Controls: []Control{{Port: 587}, {Port: 443}}})
	var keys []string
	for _, a := range got {
		keys = append(keys, a.key())
	}
	if !slices.Equal(keys, []string{"587/ipv4", "443/ipv4"}) {
		t.Errorf("attempts %v; want [587/ipv4 443/ipv4]", keys)
	}
}

func TestTimeoutsNest(t *testing.T) {
	t.Parallel()
	// The runner's --timeout default is 45 s (probe.DefaultTimeout); a connect attempt must fit
	// well inside it, with the SMTP conversation after it.
	if DefaultConnectTimeout > 15*time.Second {
		t.Errorf("DefaultConnectTimeout %v is too long for a helpdesk run", DefaultConnectTimeout)
	}
}

func BenchmarkRun(b *testing.B) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	port := l.Addr().(*net.TCPAddr).Port
	cfg := Config{Addrs4: []netip.Addr{loop4}, Port: port, Controls: []Control{{Port: port + 0}}}
	for b.Loop() {
		if r := Run(context.Background(), cfg).Result; r.Status != check.Pass {
			b.Fatal(r.Findings)
		}
	}
}
