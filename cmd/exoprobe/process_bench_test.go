package main

// Process-level benchmarks: the whole "exoprobe relay" as a separate process, start-up, flag
// parsing, root store, probe, JSON report and exit included, the way a helpdesk engineer runs
// it. The in-process benchmarks (BenchmarkRelay, BenchmarkInteropRelay) cannot see what the
// process does before main or outside the probe, which is where the time went: package
// initialisation and the system root store (DESIGN.md, Speed).
//
// The binary is the one "make build" makes: $EXOPROBE_BIN when set (make bench sets it), else
// built here with the same flags. It trusts the test CA the way a real run trusts a public CA:
// through the system root store, with the test root added by SSL_CERT_DIR next to the system's
// own directories, so the process still reads the whole system store. That is Linux-only (on
// macOS and Windows Go asks the platform verifier), so these benchmarks skip elsewhere. The
// control ports (587 and 443) are dialled on 127.0.0.1, where nothing listens: refused, which
// the tcp check accepts.
//
// Against real Postfix, each iteration also runs swaks' SMTP-only pre-flight
// (swaks --tls --quit-after RCPT) when swaks is installed, interleaved with exoprobe so that
// both see the same load, and reports the medians and their ratio (ns/op is their sum). The
// goal (README, Speed): the whole relay pre-flight at most 0.25x swaks' SMTP part.

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/exoprobe/exoprobe/fixtures"
)

// processRunTimeout bounds one run of a process; a healthy one on loopback takes milliseconds.
const processRunTimeout = 30 * time.Second

// BenchmarkProcessRelaySim runs "exoprobe relay" as a process against the in-process simulator
// of Exchange Online (scenario ok), with the public IP given.
func BenchmarkProcessRelaySim(b *testing.B) {
	bin := processBinary(b)
	sim, err := fixtures.Start(b.Context(), "ok")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = sim.Close() })
	pki, err := fixtures.DefaultPKI()
	if err != nil {
		b.Fatal(err)
	}
	args := append([]string{"relay"}, sim.Args()...)
	exo := processCommand(b, bin, pki.Root.RootPEM(), append(args, "--public-ip", sim.PublicIP.String(), "-o", "json"))
	var times []time.Duration
	for b.Loop() {
		// exit 1: the run passes but for the warning that --public-ip is documentation space.
		times = append(times, timeProcess(b, exo, exitWarn))
	}
	reportMedian(b, "exoprobe", times)
}

// BenchmarkProcessRelayPostfix runs "exoprobe relay" as a process against real Postfix with
// STARTTLS (fixtures/interop), the DNS answers from Unbound, the public IP given; and, when
// swaks is installed, swaks' SMTP-only pre-flight against the same Postfix, interleaved.
func BenchmarkProcessRelayPostfix(b *testing.B) {
	bin := processBinary(b)
	w, pf := benchSetup(b)
	args := append([]string{"relay"}, relayArgs(interopTenant, "someone@example.org")...)
	args = append(args, "--resolver", w.dns.Addr, "--port", strconv.Itoa(pf.Port), "--public-ip", interopPublicIP, "-o", "json")
	exo := processCommand(b, bin, w.pki.Root.RootPEM(), args)
	var swaks []string
	if path, err := exec.LookPath("swaks"); err == nil {
		swaks = []string{path, "--server", pf.Addr, "--tls", "--quit-after", "RCPT",
			"--helo", "app." + interopTenant, "--from", "app@" + interopTenant, "--to", "someone@example.org"}
	} else {
		b.Log("swaks is not installed: no side-by-side figure (apt-get install swaks libnet-ssleay-perl)")
	}
	var exoTimes, swaksTimes []time.Duration
	for b.Loop() {
		exoTimes = append(exoTimes, timeProcess(b, exo, exitWarn)) // documentation-space --public-ip warns
		if swaks != nil {
			swaksTimes = append(swaksTimes, timeProcess(b, swaks, 0))
		}
	}
	ex := reportMedian(b, "exoprobe", exoTimes)
	if swaks != nil {
		sw := reportMedian(b, "swaks", swaksTimes)
		b.ReportMetric(float64(ex)/float64(sw), "ratio")
	}
}

// processBinary returns the exoprobe binary to run: $EXOPROBE_BIN, else one built as
// "make build" builds it.
func processBinary(b *testing.B) string {
	b.Helper()
	if runtime.GOOS != "linux" {
		b.Skip("process benchmarks add the test CA through SSL_CERT_DIR, which Go reads on Linux")
	}
	if bin := os.Getenv("EXOPROBE_BIN"); bin != "" {
		return bin
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(b.TempDir(), "exoprobe")
	cmd := exec.CommandContext(b.Context(), goBin, "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building exoprobe: %v\n%s", err, out)
	}
	return bin
}

// processCommand returns the command line of one run of bin, after writing root to a
// directory that the run's environment adds to the system's certificate directories.
func processCommand(b *testing.B, bin string, root []byte, args []string) []string {
	b.Helper()
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "exoprobe-test-root.pem"), root, 0o644); err != nil {
		b.Fatal(err)
	}
	// Go's own list of certificate directories on Linux, with the test root's first.
	b.Setenv("SSL_CERT_DIR", strings.Join([]string{dir, "/etc/ssl/certs", "/etc/pki/tls/certs"}, ":"))
	b.Setenv("NO_COLOR", "1")
	return append([]string{bin}, args...)
}

// timeProcess runs the command line once and returns its wall time, from start to exit. The
// run must exit with code.
func timeProcess(b *testing.B, argv []string, code int) time.Duration {
	b.Helper()
	ctx, cancel := context.WithTimeout(b.Context(), processRunTimeout)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stderr = &stderr
	t0 := time.Now()
	err := cmd.Run()
	d := time.Since(t0)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		b.Fatalf("%s: %v", filepath.Base(argv[0]), err)
	}
	if got := cmd.ProcessState.ExitCode(); got != code {
		b.Fatalf("%s exited %d; want %d\n%s", filepath.Base(argv[0]), got, code, stderr.Bytes())
	}
	return d
}

// reportMedian reports the median of times, in milliseconds, as name-ms, and returns it.
func reportMedian(b *testing.B, name string, times []time.Duration) time.Duration {
	b.Helper()
	if len(times) == 0 {
		return 0
	}
	s := slices.Clone(times)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	b.ReportMetric(float64(m)/float64(time.Millisecond), name+"-ms")
	return m
}
