package main

import (
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/probe/check"
)

func TestParseHelo(t *testing.T) {
	t.Parallel()
	testRule(t, parseHelo, same, []ruleCase{
		{name: "host", in: "Mail.Contoso.com", want: "mail.contoso.com"},
		{name: "unicode", in: "mail.bücher.de", want: "mail.xn--bcher-kva.de"},
		{name: "one label", in: "scanner", want: "scanner"},
		{name: "IPv4", in: "192.0.2.10", want: "[192.0.2.10]"},
		{name: "IPv4 literal", in: "[192.0.2.10]", want: "[192.0.2.10]"},
		{name: "IPv6", in: "2001:db8::10", want: "[IPv6:2001:db8::10]"},
		{name: "IPv6 literal", in: "[IPv6:2001:db8::10]", want: "[IPv6:2001:db8::10]"},
		{name: "space", in: "my host", err: "' '"},
		{name: "empty", in: "", err: "empty"},
	})
}

// TestTimeoutsFit checks that --timeout shortens the defaults of the other deadlines, that a
// deadline the user typed lengthens the default of --timeout, and that only values the user
// typed can contradict each other, in one message naming them all.
func TestTimeoutsFit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                  string
		args                  []string
		total, connect, reply time.Duration
		err                   string
	}{
		{"defaults", nil, 45 * time.Second, 5 * time.Second, 15 * time.Second, ""},
		{"a short whole shortens the parts", []string{"--timeout", "10s"}, 10 * time.Second, 5 * time.Second, 10 * time.Second, ""},
		{"a very short whole", []string{"--timeout", "1ms"}, time.Millisecond, time.Millisecond, time.Millisecond, ""},
		{"a typed part lengthens the whole", []string{"--reply-timeout", "60s"}, 60 * time.Second, 5 * time.Second, 60 * time.Second, ""},
		{"typed parts that fit", []string{"--timeout", "10s", "--connect-timeout", "2s", "--reply-timeout", "3s"}, 10 * time.Second, 2 * time.Second, 3 * time.Second, ""},
		{"a part equal to the whole", []string{"--timeout", "5s", "--connect-timeout", "5s"}, 5 * time.Second, 5 * time.Second, 5 * time.Second, ""},
		{"one typed contradiction", []string{"--timeout", "2s", "--connect-timeout", "5s"}, 0, 0, 0,
			"--connect-timeout 5s is longer than --timeout 2s, which bounds the whole run"},
		{"two typed contradictions, one message", []string{"--timeout", "1ms", "--connect-timeout", "5s", "--reply-timeout", "15s"}, 0, 0, 0,
			"--connect-timeout 5s and --reply-timeout 15s are longer than --timeout 1ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var ro relayOptions
			fs := ro.flags(check.ModeRelay)
			if msg := parseTestFlags(t, fs, append([]string{"--from", "a@contoso.com", "--to", "b@example.org"}, tt.args...)...); msg != "" {
				t.Fatal(msg)
			}
			o, err := ro.options(check.ModeRelay)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error %v; want one with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if o.Timeout != tt.total || o.ConnectTimeout != tt.connect || o.ReplyTimeout != tt.reply {
				t.Errorf("timeouts %v, %v, %v; want %v, %v, %v", o.Timeout, o.ConnectTimeout, o.ReplyTimeout, tt.total, tt.connect, tt.reply)
			}
		})
	}
}

// TestTimeoutCommandLine runs the cases of issue 10 through the real command line: --timeout
// alone is accepted by every networked command, and values the user typed that contradict each
// other are refused once.
func TestTimeoutCommandLine(t *testing.T) {
	t.Parallel()
	for _, cmd := range [][]string{
		{"relay", "--from", "app@contoso.com", "--to", "x@example.org"},
		{"direct", "--from", "app@contoso.com", "--to", "x@contoso.com"},
		{"submit", "--from", "app@contoso.com", "--to", "x@example.org", "--auth", "none"},
		{"connector", "--domain", "contoso.com"},
	} {
		t.Run(cmd[0], func(t *testing.T) {
			t.Parallel()
			// A resolver on loopback that refuses, and a known public IP, so that nothing leaves
			// the machine.
			args := append(cmd, "--timeout", "10s", "--resolver", "127.0.0.1:1", "-o", "json")
			if cmd[0] != "submit" {
				args = append(args, "--public-ip", "203.0.113.7")
			}
			code, stdout, stderr := runCmd(t, "", args...)
			if code == exitCantRun {
				t.Fatalf("exit %d; want a run\nstderr:\n%s", code, stderr)
			}
			if !strings.Contains(stdout, `"verdict"`) {
				t.Errorf("no report:\n%s", stdout)
			}
		})
	}
	t.Run("contradiction", func(t *testing.T) {
		t.Parallel()
		_, stderr := assertCantRun(t, "--connect-timeout 5s and --reply-timeout 15s are longer than --timeout 1ms",
			"relay", "--from", "app@contoso.com", "--to", "x@example.org", "--timeout", "1ms", "--connect-timeout", "5s", "--reply-timeout", "15s")
		if n := strings.Count(stderr, "longer than"); n != 1 {
			t.Errorf("%d messages; want one:\n%s", n, stderr)
		}
	})
}
