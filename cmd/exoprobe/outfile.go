package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/exoprobe/exoprobe/report"
)

// outFile is a file a command writes once it has concluded, beside what it prints: the report
// of --report, the metrics of --prom-file. It is checked before the run, so that a typo does
// not cost the run, and written atomically: into a temporary file in the same directory (whose
// name no reader of the real file looks for), flushed to disk, then renamed over the path, so
// that a reader never sees half of it and an old file is replaced whole or not at all.
type outFile struct {
	flag   string // the flag that named it: "--report"
	what   string // what it holds, for messages: "the report"
	kind   string // in the temporary file's name: ".exoprobe-<kind>-*.tmp"
	path   string
	output report.Output
	mode   os.FileMode
}

// Renaming over a file can fail for a moment on Windows while another process reads it (a
// collector, a viewer); the rename is tried again within renameRetryFor.
const (
	renameRetryFor   = 2 * time.Second
	renameRetryPause = 50 * time.Millisecond
)

// check refuses, before the run, a path that is a directory (wantExt says what to give
// instead) or one beside which no file can be created.
func (f *outFile) check(wantExt string) error {
	if fi, err := os.Stat(f.path); err == nil && fi.IsDir() {
		return usagef("%s %s is a directory; give a file name ending in %s", f.flag, f.path, wantExt)
	}
	trial, err := os.CreateTemp(filepath.Dir(f.path), f.tempPattern())
	if err != nil {
		return usagef("%s %s: cannot write there: %v", f.flag, f.path, pathError(err))
	}
	trial.Close()
	if err := os.Remove(trial.Name()); err != nil {
		return fmt.Errorf("%s %s: removing the trial file %s: %w", f.flag, f.path, trial.Name(), err)
	}
	return nil
}

func (f *outFile) tempPattern() string { return ".exoprobe-" + f.kind + "-*.tmp" }

// write renders doc into the file, atomically.
func (f *outFile) write(doc report.Doc) (err error) {
	fail := func(err error) error { return fmt.Errorf("writing %s to %s: %v", f.what, f.path, pathError(err)) }
	tmp, err := os.CreateTemp(filepath.Dir(f.path), f.tempPattern())
	if err != nil {
		return fail(err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(f.mode); err != nil && runtime.GOOS != "windows" {
		return fail(err)
	}
	w := bufio.NewWriter(tmp)
	if err := report.Render(w, report.Format{Output: f.output}, doc); err != nil {
		return fmt.Errorf("writing %s to %s: %w", f.what, f.path, err)
	}
	if err := w.Flush(); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	deadline := time.Now().Add(renameRetryFor)
	for {
		err := os.Rename(tmp.Name(), f.path)
		if err == nil {
			return nil
		}
		if runtime.GOOS != "windows" || time.Now().After(deadline) {
			return fail(err)
		}
		time.Sleep(renameRetryPause)
	}
}

// pathError is what went wrong with a file, without the operation and path that the message
// around it already names.
func pathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
