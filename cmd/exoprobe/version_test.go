package main

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"
)

// TestVersion runs `exoprobe version` through the real command line: the text names the
// version, commit, build time, Go version and whether the build is reproducible, and -o json
// holds the same fields. A test binary carries no stamps, so it is not a reproducible build.
func TestVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		exit int
		want []string
	}{
		{"text", []string{"version"}, exitPass, []string{"exoprobe " + version + "\n", "  commit ", "  built ",
			"  go            " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH, "  reproducible  no: "}},
		{"--version", []string{"--version"}, exitPass, []string{"exoprobe " + version + "\n", "  reproducible  "}},
		{"json", []string{"version", "-o", "json"}, exitPass, []string{`"version": "` + version + `"`, `"go_version": "` + runtime.Version() + `"`,
			`"reproducible": false`, `"commit": `, `"build_time": `, `"os": "` + runtime.GOOS + `"`}},
		{"another format", []string{"version", "-o", "markdown"}, exitCantRun, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCmd(t, "", tt.args...)
			if code != tt.exit {
				t.Fatalf("exit %d; want %d (stderr %q)", code, tt.exit, stderr)
			}
			for _, s := range tt.want {
				if !strings.Contains(stdout, s) {
					t.Errorf("output lacks %q:\n%s", s, stdout)
				}
			}
			if tt.name == "json" {
				var b build
				if err := json.Unmarshal([]byte(stdout), &b); err != nil {
					t.Fatalf("not JSON: %v\n%s", err, stdout)
				}
			}
		})
	}
}
