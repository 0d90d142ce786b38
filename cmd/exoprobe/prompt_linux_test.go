package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair: the controller, which the test reads and types into,
// and the terminal, which exoprobe gets as its standard input, output and error.
func openPTY(t *testing.T) (controller, terminal *os.File) {
	t.Helper()
	controller, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	t.Cleanup(func() { controller.Close() })
	fd := int(controller.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlocking the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Skipf("naming the pseudo-terminal: %v", err)
	}
	terminal, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("opening the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { terminal.Close() })
	return controller, terminal
}

// TestPromptInterrupted types Ctrl-C at the no-echo prompt for a secret: exoprobe ends at once
// with exit 130, rather than waiting for Enter, and leaves the terminal echoing again.
func TestPromptInterrupted(t *testing.T) {
	t.Parallel()
	bin := buildExoprobe(t)
	controller, terminal := openPTY(t)
	cmd := exec.CommandContext(t.Context(), bin, "submit", "--from", "app@contoso.com", "--to", "x@example.org",
		"--tenant", "contoso.com", "--client-id", "11111111-2222-3333-4444-555555555555", "--resolver", "127.0.0.1:1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = terminal, terminal, terminal
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")} // no EXOPROBE_ secret: it must ask
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	var seen bytes.Buffer
	got := make(chan struct{})
	go func() {
		b := make([]byte, 512)
		for {
			n, err := controller.Read(b)
			seen.Write(b[:n])
			if strings.Contains(seen.String(), "input hidden") {
				close(got)
				return
			}
			if err != nil {
				return
			}
		}
	}()
	select {
	case <-got:
	case <-time.After(10 * time.Second):
		t.Fatalf("no prompt for the client secret; the terminal showed:\n%s", seen.String())
	}
	time.Sleep(50 * time.Millisecond)                      // the prompt is printed before the terminal's echo goes off
	if _, err := controller.Write([]byte{3}); err != nil { // Ctrl-C
		t.Fatal(err)
	}
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
			t.Errorf("exit %v; want exit status %d", err, exitInterrupted)
		}
	case <-time.After(interruptedWithin):
		t.Fatalf("exoprobe did not end within %v of Ctrl-C at the prompt", interruptedWithin)
	}
	termios, err := unix.IoctlGetTermios(int(terminal.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if termios.Lflag&unix.ECHO == 0 {
		t.Errorf("the terminal no longer echoes after the interrupted prompt")
	}
}
