package main

import (
	"errors"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

// interruptSignals end a run at once (exit 130), with the report of what had concluded: Ctrl-C
// (SIGINT, or the console's Ctrl-C event on Windows) and SIGTERM, as a service manager or a
// monitoring system stops a process.
var interruptSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// errInterrupted ends a prompt, or the guided interview, that Ctrl-C (or SIGTERM) interrupted.
var errInterrupted = errors.New("interrupted")

// readHidden reads a line from the terminal fd without echo. Ctrl-C ends it at once with
// errInterrupted, the terminal's echo restored: the read itself cannot be cancelled, and the
// process exits (130) right after, so it is left behind.
func readHidden(fd int) ([]byte, error) {
	state, err := term.GetState(fd)
	if err != nil {
		return nil, err
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, interruptSignals...)
	defer signal.Stop(sig)
	type line struct {
		b   []byte
		err error
	}
	read := make(chan line, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		read <- line{b, err}
	}()
	select {
	case l := <-read:
		return l.b, l.err
	case <-sig:
		_ = term.Restore(fd, state) // best effort: the terminal is left as it was found
		return nil, errInterrupted
	}
}
