package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
)

// interruptedWithin is how soon a run must end once interrupted: at once, not at a deadline.
const interruptedWithin = 3 * time.Second

// silentRelay is a relay run against a simulator whose port 25 accepts and never speaks, with
// a reply timeout far longer than the test waits: the run only ends early when interrupted.
func silentRelay(t *testing.T) (*fixtures.Sim, []string) {
	t.Helper()
	sim := fixtures.NewSim(t, "banner-timeout")
	args := append([]string{"relay"}, sim.Args()...)
	return sim, append(args, "--reply-timeout", "40s", "--timeout", "45s", "--public-ip", sim.PublicIP.String(), "-o", "json")
}

// waitConnected waits until the simulator has accepted the probe's connection.
func waitConnected(t *testing.T, sim *fixtures.Sim, done <-chan struct{}) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(sim.Received().Sessions) == 0 {
		select {
		case <-done:
			t.Fatal("the run ended before it reached the SMTP server")
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the probe never connected to the simulator")
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // the banner is now being waited for
}

// checkInterruptedReport checks a JSON report of a run interrupted while it waited for the
// banner: marked interrupted, the checks that had concluded kept, the others skipped.
func checkInterruptedReport(t *testing.T, stdout string) {
	t.Helper()
	var rep struct {
		jsonReport
		Interrupted bool `json:"interrupted"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	if !rep.Interrupted {
		t.Errorf(`"interrupted" = false; want true`)
	}
	status := map[string]string{}
	for _, c := range rep.Checks {
		status[c.ID] = c.Status + ": " + c.Summary
	}
	for _, id := range []string{"smtp", "tls", "send"} {
		if status[id] != "skip: skipped: interrupted" {
			t.Errorf("%s = %q; want skipped: interrupted", id, status[id])
		}
	}
	// The given address concluded at once (with a warning: it is a documentation address).
	if s := status["publicip"]; !strings.HasPrefix(s, "warn: 203.0.113.7 (given)") {
		t.Errorf("publicip = %q; want it kept as it concluded", s)
	}
}

// TestInterrupt runs relay with a context cancelled as the signal handler cancels it, while
// the probe waits for a banner that never comes: the run ends at once, with exit 130 and the
// partial report marked interrupted.
func TestInterrupt(t *testing.T) {
	t.Parallel()
	sim, args := silentRelay(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" }, isTerminal: func(io.Writer) bool { return false },
	}
	done := make(chan struct{})
	var code int
	go func() {
		defer close(done)
		code = run(ctx, e, args)
	}()
	waitConnected(t, sim, done)
	cancel()
	select {
	case <-done:
	case <-time.After(interruptedWithin):
		t.Fatalf("the run did not end within %v of the interrupt", interruptedWithin)
	}
	if code != exitInterrupted {
		t.Errorf("exit code = %d; want %d\nstderr:\n%s", code, exitInterrupted, errb.String())
	}
	checkInterruptedReport(t, out.String())
}

// TestInterruptSignal sends SIGINT to the exoprobe process itself: main turns it into the
// same interrupted run.
func TestInterruptSignal(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGINT cannot be sent to another process on Windows")
	}
	t.Parallel()
	bin := buildExoprobe(t)
	sim, args := silentRelay(t)
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			var out, errb bytes.Buffer
			cmd := exec.CommandContext(t.Context(), bin, args...)
			cmd.Stdout, cmd.Stderr = &out, &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			var werr error
			go func() {
				defer close(done)
				werr = cmd.Wait()
			}()
			sessions := len(sim.Received().Sessions)
			deadline := time.Now().Add(10 * time.Second)
			for len(sim.Received().Sessions) == sessions && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(50 * time.Millisecond)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			select {
			case <-done:
			case <-time.After(interruptedWithin):
				t.Fatalf("exoprobe did not end within %v of %v", interruptedWithin, sig)
			}
			var ee *exec.ExitError
			if !errors.As(werr, &ee) || ee.ExitCode() != exitInterrupted {
				t.Errorf("exit %v; want exit status %d\nstderr:\n%s", werr, exitInterrupted, errb.String())
			}
			checkInterruptedReport(t, out.String())
		})
	}
}

// buildExoprobe builds the binary of this package for the test.
func buildExoprobe(t *testing.T) string {
	t.Helper()
	return buildExoprobeIn(t, t.TempDir())
}
