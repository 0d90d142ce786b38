package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestInterview drives the interview with typed answers and checks the command it chooses.
func TestInterview(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		answers []string
		want    []string
		says    string // in what the interview printed
	}{
		{
			name:    "submission with a password",
			answers: []string{"smtp.office365.com", "", "", "scanner@contoso.com", "someone@example.org", "n"},
			want:    []string{"submit", "--from", "scanner@contoso.com", "--to", "someone@example.org", "--auth", "basic"},
			says:    "EXOPROBE_PASSWORD",
		},
		{
			name:    "submission with an app",
			answers: []string{"smtp.office365.com", "587", "y", "app@contoso.com", "someone@example.org", "y", "", "0b7c4f0e-2d1a-4e5b-9c8d-7a6b5c4d3e2f"},
			want: []string{"submit", "--from", "app@contoso.com", "--to", "someone@example.org",
				"--tenant", "contoso.com", "--client-id", "0b7c4f0e-2d1a-4e5b-9c8d-7a6b5c4d3e2f"},
			says: "EXOPROBE_CLIENT_SECRET",
		},
		{
			name:    "high volume email host",
			answers: []string{"smtp-hve.office365.com", "", "y", "app@contoso.com", "someone@example.org", "n"},
			want:    []string{"submit", "--from", "app@contoso.com", "--to", "someone@example.org", "--auth", "basic", "--host", "smtp-hve.office365.com"},
		},
		{
			name:    "MX, outside recipient: relay",
			answers: []string{"contoso-com.mail.protection.outlook.com", "25", "app@contoso.com", "someone@example.org", "n"},
			want:    []string{"relay", "--domain", "contoso.com", "--from", "app@contoso.com", "--to", "someone@example.org"},
		},
		{
			name:    "MX, internal recipient: Direct Send",
			answers: []string{"contoso-com.mail.protection.outlook.com", "", "scanner@contoso.com", "user@contoso.com", ""},
			want:    []string{"direct", "--domain", "contoso.com", "--from", "scanner@contoso.com", "--to", "user@contoso.com"},
		},
		{
			name:    "MX with a certificate",
			answers: []string{"contoso-com.mail.protection.outlook.com", "", "app@contoso.com", "someone@example.org", "y", "", "C:\\certs\\relay.pfx"},
			want:    []string{"relay", "--domain", "contoso.com", "--from", "app@contoso.com", "--to", "someone@example.org", "--pfx", "C:\\certs\\relay.pfx"},
			says:    "give the file's path",
		},
		{
			name:    "on-premises relay",
			answers: []string{"relay.contoso.local", "25", "n", "app@contoso.com", "someone@example.org", "n"},
			want:    []string{"relay", "--domain", "contoso.com", "--from", "app@contoso.com", "--to", "someone@example.org"},
			says:    "run exoprobe on that relay server",
		},
		{
			name:    "does not know: every path",
			answers: []string{"", "app@contoso.com", "someone@example.org"},
			want:    []string{"site", "--domain", "contoso.com", "--from", "app@contoso.com", "--to", "someone@example.org"},
			says:    "tries every path",
		},
		{
			name:    "a wrong answer is asked again",
			answers: []string{"", "not an address", "app@contoso.com", "x@@example.org", "someone@example.org"},
			want:    []string{"site", "--domain", "contoso.com", "--from", "app@contoso.com", "--to", "someone@example.org"},
			says:    "it has a space",
		},
		{
			name:    "a bad port is asked again",
			answers: []string{"smtp.office365.com", "99999", "587", "", "app@contoso.com", "someone@example.org", "n"},
			want:    []string{"submit", "--from", "app@contoso.com", "--to", "someone@example.org", "--auth", "basic"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			got, err := interview(t.Context(), strings.NewReader(strings.Join(tt.answers, "\n")+"\n"), &out)
			if err != nil {
				t.Fatalf("interview: %v\n%s", err, out.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q; want %q\n%s", got, tt.want, out.String())
			}
			if !strings.Contains(out.String(), tt.says) {
				t.Errorf("the interview did not say %q:\n%s", tt.says, out.String())
			}
		})
	}
}

// fakeTTY is a standard input that run takes for a terminal: a reader that is also a writer,
// as os.Stdin is, with isTerminal saying yes.
type fakeTTY struct{ io.Reader }

func (fakeTTY) Write(p []byte) (int, error) { return len(p), nil }

// runGuidedCmd runs exoprobe without arguments on a fake terminal with the typed input.
func runGuidedCmd(ctx context.Context, in io.Reader) (int, string, string) {
	var out, errb bytes.Buffer
	e := &env{
		stdin: fakeTTY{in}, stdout: &out, stderr: &errb,
		getenv:     func(string) string { return "" },
		isTerminal: func(io.Writer) bool { return true },
	}
	code := run(ctx, e, nil)
	return code, out.String(), errb.String()
}

// TestGuidedThroughRun runs the interview through the command line: the command is printed
// (with no secret in it) and run; EOF before the end exits 3; Ctrl-C exits 130.
func TestGuidedThroughRun(t *testing.T) {
	t.Parallel()
	t.Run("prints and runs the command", func(t *testing.T) {
		t.Parallel()
		// The app's secret is neither in the environment nor askable (the fake terminal is no
		// file), so submit stops before any network call: what matters is that it ran.
		in := "smtp.office365.com\n\ny\napp@contoso.com\nsomeone@example.org\ny\ncontoso.com\nabc\n"
		code, stdout, stderr := runGuidedCmd(t.Context(), strings.NewReader(in))
		want := "Running: exoprobe submit --from app@contoso.com --to someone@example.org --tenant contoso.com --client-id abc\n"
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
		if code != exitCantRun || !strings.Contains(stderr, "exoprobe submit:") || !strings.Contains(stderr, envClientSecret) {
			t.Errorf("exit %d, stderr %q; want submit to have run and asked for %s", code, stderr, envClientSecret)
		}
	})
	t.Run("EOF before the end", func(t *testing.T) {
		t.Parallel()
		code, stdout, _ := runGuidedCmd(t.Context(), strings.NewReader("smtp.office365.com\n"))
		if code != exitGuidedEOF || !strings.Contains(stdout, "nothing was run") {
			t.Errorf("exit %d; want %d with a message\n%s", code, exitGuidedEOF, stdout)
		}
	})
	t.Run("Ctrl-C", func(t *testing.T) {
		t.Parallel()
		r, w := io.Pipe()
		defer w.Close()
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan int, 1)
		var stdout string
		go func() {
			var code int
			code, stdout, _ = runGuidedCmd(ctx, r)
			done <- code
		}()
		if _, err := io.WriteString(w, "smtp.office365.com\n"); err != nil {
			t.Fatal(err)
		}
		cancel() // what SIGINT does to the run's context
		select {
		case code := <-done:
			if code != exitGuidedInterrupted || !strings.Contains(stdout, "Interrupted") {
				t.Errorf("exit %d; want %d\n%s", code, exitGuidedInterrupted, stdout)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the interview did not end on Ctrl-C")
		}
	})
	t.Run("off a terminal, help as before", func(t *testing.T) {
		t.Parallel()
		code, stdout, stderr := runCmd(t, "smtp.office365.com\n")
		if code != exitCantRun || !strings.Contains(stderr, "Usage") || stdout != "" {
			t.Errorf("exit %d, stdout %q; want usage on stderr and exit %d", code, stdout, exitCantRun)
		}
	})
}

// TestGuidedPTY runs exoprobe without arguments on a real pseudo-terminal, with the real
// terminal detection: the interview starts, takes answers typed into the terminal, and ends
// with exit 3 when the terminal sends EOF (Ctrl-D) before the last answer.
func TestGuidedPTY(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no pseudo-terminals on Windows")
	}
	t.Parallel()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()

	var mu sync.Mutex
	var screen bytes.Buffer
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			mu.Lock()
			screen.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	waitFor := func(s string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			mu.Lock()
			ok := strings.Contains(screen.String(), s)
			mu.Unlock()
			if ok {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("the terminal never showed %q:\n%s", s, screen.String())
	}

	e := &env{stdin: tty, stdout: tty, stderr: tty, getenv: func(string) string { return "" }, isTerminal: isTerminal}
	if !interactive(e) {
		t.Fatal("a pseudo-terminal on stdin and stdout is not taken for a terminal")
	}
	done := make(chan int, 1)
	go func() { done <- run(t.Context(), e, nil) }()

	waitFor("Which server name")
	if _, err := ptmx.WriteString("smtp.office365.com\r"); err != nil {
		t.Fatal(err)
	}
	waitFor("Which port? [587]")
	if _, err := ptmx.Write([]byte{4}); err != nil { // Ctrl-D on an empty line: EOF
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != exitGuidedEOF {
			t.Errorf("exit %d; want %d", code, exitGuidedEOF)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the interview did not end at EOF")
	}
	waitFor("nothing was run")
}

// TestInteractive checks the terminal detection: both standard input and output must be
// terminals, and a reader that is no file is not one.
func TestInteractive(t *testing.T) {
	t.Parallel()
	yes := func(io.Writer) bool { return true }
	no := func(io.Writer) bool { return false }
	stdoutOnly := func(w io.Writer) bool { _, isFile := w.(*os.File); return !isFile }
	for _, tt := range []struct {
		name  string
		stdin io.Reader
		isTTY func(io.Writer) bool
		want  bool
	}{
		{"both terminals", fakeTTY{strings.NewReader("")}, yes, true},
		{"neither", fakeTTY{strings.NewReader("")}, no, false},
		{"stdin a plain reader", strings.NewReader(""), yes, false},
		{"stdin a file that is no terminal", os.Stdin, stdoutOnly, false},
	} {
		e := &env{stdin: tt.stdin, stdout: &bytes.Buffer{}, isTerminal: tt.isTTY}
		if got := interactive(e); got != tt.want {
			t.Errorf("%s: interactive = %v; want %v", tt.name, got, tt.want)
		}
	}
}
