package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/exoprobe/exoprobe/probe/kb"
	"github.com/exoprobe/exoprobe/probe/ndr"
	"github.com/exoprobe/exoprobe/probe/redact"
)

// maxExplainInput bounds what explain reads, from a file or stdin: a pasted NDR, a saved bounce
// with its attachments, a log file.
const maxExplainInput = 16 << 20

// pastePrompt is said on stderr when explain waits for text typed or pasted on a terminal.
const pastePrompt = "Paste the error, then an empty line or Ctrl-D (Ctrl-Z Enter on Windows):"

// explainText is what explain decodes, and the notes on how it got it that go to stderr.
type explainText struct {
	text  string
	notes []string
}

// readExplainInput returns the text to explain: the arguments, else the file (- for stdin),
// else stdin, pasted on a terminal or piped. A saved message (a bounce) is cut to its delivery
// report; a text too long for the knowledge base to the lines that carry codes. Secrets are
// redacted before anything else sees the text.
func readExplainInput(e *env, args []string, file string) (explainText, error) {
	var (
		raw []byte
		in  explainText
		err error
	)
	switch {
	case len(args) > 0 && file != "":
		return in, usagef("give the text as an argument or with --file, not both")
	case len(args) == 1 && args[0] == "-":
		raw, in.notes, err = readStdin(e)
	case len(args) > 0:
		raw = []byte(strings.Join(args, " "))
	case file == "-":
		raw, in.notes, err = readStdin(e)
	case file != "":
		raw, in.notes, err = readFile(file)
	default:
		raw, in.notes, err = readStdin(e)
	}
	if err != nil {
		return in, err
	}
	text := string(raw)
	if m, ok := ndr.Extract(raw); ok {
		text = m
		in.notes = append(in.notes, "the input is a mail message: explaining its delivery report (or its text, when it has none)")
	}
	if len(text) > kb.MaxInput {
		// The lines kept are those with a code, the line after each (where a client's answer
		// to a 334 challenge stands) and those that name a value, so that the redaction below
		// still sees each challenge beside its answer.
		lines, kept, cut := kb.CodeLines(text)
		var note string
		switch {
		case kept == 0:
			// Nothing to pick: the knowledge base looks at the start, as it would anyway.
			lines = text[:kb.MaxInput]
			if i := strings.LastIndexByte(lines, '\n'); i > 0 {
				lines = lines[:i]
			}
			note = fmt.Sprintf("the text is %s and no line carries a code: explaining its first %s", size(len(text)), size(len(lines)))
		case cut:
			note = fmt.Sprintf("the text is %s: explaining the first %d lines that carry a code or name a value (%s); the rest was not decoded", size(len(text)), kept, size(kb.MaxInput))
		default:
			note = fmt.Sprintf("the text is %s: explaining the %d lines that carry a code or name a value", size(len(text)), kept)
		}
		in.notes = append(in.notes, note)
		text = lines
	}
	in.text = strings.TrimSpace(redact.Text(text))
	return in, nil
}

// readStdin reads piped input up to maxExplainInput, or, on a terminal, what is typed or
// pasted up to an empty line.
func readStdin(e *env) ([]byte, []string, error) {
	if w, ok := e.stdin.(io.Writer); ok && e.isTerminal(w) {
		fmt.Fprintln(e.stderr, pastePrompt)
		b, err := readPasted(e.stdin)
		return b, nil, err
	}
	b, err := io.ReadAll(io.LimitReader(e.stdin, maxExplainInput+1))
	if err != nil {
		return nil, nil, fmt.Errorf("reading stdin: %w", err)
	}
	if len(b) > maxExplainInput {
		return b[:maxExplainInput], []string{fmt.Sprintf("read the first %s of stdin; the input went on, and the rest was not decoded", size(maxExplainInput))}, nil
	}
	return b, nil, nil
}

// readPasted reads lines up to the first empty one after some text, or the end of the input
// (Ctrl-D; Ctrl-Z Enter on Windows), within maxExplainInput.
func readPasted(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxExplainInput)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "\x1a" { // Ctrl-Z on a Windows console line
			break
		}
		if strings.TrimSpace(line) == "" {
			if buf.Len() > 0 {
				break
			}
			continue // blank lines before the text
		}
		if buf.Len()+len(line)+1 > maxExplainInput {
			break
		}
		buf.WriteString(line)
		buf.WriteByte('\n')
	}
	if err := sc.Err(); err != nil && !errors.Is(err, bufio.ErrTooLong) {
		return nil, fmt.Errorf("reading stdin: %w", err)
	}
	return buf.Bytes(), nil
}

// readFile reads up to maxExplainInput of a file, saying how much was read when it is longer.
func readFile(path string) ([]byte, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err // the message names the file
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxExplainInput+1))
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(b) <= maxExplainInput {
		return b, nil, nil
	}
	b = b[:maxExplainInput]
	// A regular file has a size to report; a pipe or a device given as a path does not.
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		return b, []string{fmt.Sprintf("read %s of %s from %s; the rest was not decoded", size(maxExplainInput), size(int(fi.Size())), path)}, nil
	}
	return b, []string{fmt.Sprintf("read the first %s of %s; the input went on, and the rest was not decoded", size(maxExplainInput), path)}, nil
}

// size writes a byte count as people read it: 16 MiB, 40.5 MiB, 812 KiB, 95 bytes.
func size(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
