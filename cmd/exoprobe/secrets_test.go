package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestSecretFlagRefused checks that every command refuses a secret given as a flag the same
// way, before anything runs: a report in the format asked for whose one check, "input", fails
// with secret-in-argv and its hint; a line on stderr that names the variable; exit code 3; the
// value nowhere. Flags before and after the secret, even a bad value, do not change that.
func TestSecretFlagRefused(t *testing.T) {
	t.Parallel()
	const value = "argv-Refusal-S3cret-0451"
	tests := []struct {
		name, env string
		args      []string
	}{
		{"relay", envPFXPassword, []string{"relay", "--from", "a@contoso.com", "--pfx-password", value, "-o", "json"}},
		{"direct", envPassword, []string{"direct", "-o", "json", "--password=" + value, "--to", "b@contoso.com"}},
		{"submit", envClientSecret, []string{"submit", "--from", "a@contoso.com", "--client-secret", value, "-o", "json"}},
		{"cert", envPFXPassword, []string{"cert", "c.pfx", "--cert-password=" + value, "-o", "json"}},
		{"connector", envPFXPassword, []string{"connector", "--domain", "contoso.com", "--pfx", "c.pfx", "--pfx-password", value, "-o", "json"}},
		{"a bad value before it", envPassword, []string{"relay", "--port", "0", "--pass", value, "-o", "json"}},
		{"flag name in capitals", envClientSecret, []string{"submit", "--Client-Secret=" + value, "-o", "json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCmd(t, "", tt.args...)
			if code != exitCantRun {
				t.Errorf("exit code = %d; want %d", code, exitCantRun)
			}
			if strings.Contains(stdout+stderr, value) {
				t.Fatalf("the value given as a flag was echoed:\nstdout:\n%s\nstderr:\n%s", stdout, stderr)
			}
			var rep jsonReport
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
			}
			if rep.Mode != tt.args[0] || len(rep.Checks) != 1 || rep.Checks[0].ID != "input" || rep.Checks[0].Status != "fail" ||
				len(rep.Checks[0].Findings) != 1 || rep.Checks[0].Findings[0].Code != "secret-in-argv" || rep.Checks[0].Findings[0].Hint == nil {
				t.Errorf("report %+v; want mode %s, one failing input check with secret-in-argv and its hint", rep, tt.args[0])
			}
			if !strings.Contains(stdout, tt.env) || !strings.Contains(stderr, tt.env) || !strings.Contains(stderr, "refused") {
				t.Errorf("stdout and stderr must both say where the secret goes (%s):\nstdout:\n%s\nstderr:\n%s", tt.env, stdout, stderr)
			}
		})
	}

	// The commands that read no credentials have no such flag: it is an unknown flag, refused
	// without its value.
	for _, args := range [][]string{
		{"ip", "--token", value}, {"demo", "--access-token=" + value}, {"explain", "--password", value, "535 5.7.3"}, {"version", "--secret", value},
	} {
		t.Run(args[0], func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCmd(t, "", args...)
			if code != exitCantRun || strings.Contains(stdout+stderr, value) {
				t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s\nwant 3, without the value", code, stdout, stderr)
			}
		})
	}

	t.Run("text", func(t *testing.T) {
		t.Parallel()
		code, stdout, stderr := runCmd(t, "", "relay", "--from", "a@contoso.com", "--secret", value)
		if code != exitCantRun || !strings.Contains(stdout, "secret-in-argv") || strings.Contains(stdout+stderr, value) {
			t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s\nwant 3 and a text report with secret-in-argv, without the value", code, stdout, stderr)
		}
	})
}
