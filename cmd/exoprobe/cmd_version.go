package main

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe/check"
)

// Stamps of a build, set with -ldflags "-X main.NAME=VALUE" by the Makefile (make build, make
// release); each is "" in a plain "go build", where the Go toolchain's own VCS stamps, when it
// made any, stand in (buildInfo).
var (
	// commit is the full hash of the commit built.
	commit = ""
	// commitTime is the commit's time in RFC 3339, UTC: the build's only time stamp
	// (SOURCE_DATE_EPOCH), so that a rebuild of the commit stamps the same bytes.
	commitTime = ""
	// reproducible is "true" in a binary that scripts/release.sh built: from a clean clone of
	// the commit, -trimpath, no VCS stamps of the toolchain, every stamp taken from the commit.
	reproducible = ""
)

// build is what `exoprobe version` prints; its JSON is the -o json form.
type build struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`     // "" when unknown
	BuildTime string `json:"build_time"` // the commit's time, RFC 3339; "" when unknown
	GoVersion string `json:"go_version"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	// Reproducible is true when the binary was built by make release (scripts/release.sh):
	// the same commit built with the same Go version gives the same bytes.
	Reproducible bool `json:"reproducible"`
	// Modified is true when the toolchain recorded uncommitted changes in the tree it built.
	Modified bool `json:"modified"`
}

// buildInfo gathers the stamps of this binary: the Makefile's, else the VCS stamps the Go
// toolchain records in a plain "go build" of a clone.
func buildInfo() build {
	b := build{
		Version: version, Commit: commit, BuildTime: commitTime, GoVersion: runtime.Version(),
		OS: runtime.GOOS, Arch: runtime.GOARCH, Reproducible: reproducible == "true",
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.BuildTime == "" {
					b.BuildTime = s.Value
				}
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	if b.Modified {
		b.Reproducible = false
	}
	return b
}

func runVersion(_ context.Context, e *env, args []string) (check.Status, error) {
	fs := pflag.NewFlagSet("version", pflag.ContinueOnError)
	format := fs.StringP("output", "o", "text", "text or json")
	if done, err := parseFlags(e, fs, "version", args); done {
		return check.Pass, err
	}
	b := buildInfo()
	switch *format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return check.Pass, enc.Encode(b)
	case "text":
	default:
		return check.Pass, usagef("-o %q: version prints text or json", *format)
	}
	fmt.Fprintf(e.stdout, "exoprobe %s\n", b.Version)
	fmt.Fprintf(e.stdout, "  commit        %s\n", orUnknown(b.Commit))
	built := "unknown"
	if t, err := time.Parse(time.RFC3339, b.BuildTime); err == nil {
		built = t.UTC().Format(time.RFC3339) + " (the commit's time)"
	}
	fmt.Fprintf(e.stdout, "  built         %s\n", built)
	fmt.Fprintf(e.stdout, "  go            %s %s/%s\n", b.GoVersion, b.OS, b.Arch)
	switch {
	case b.Reproducible:
		fmt.Fprintf(e.stdout, "  reproducible  yes: built by make release; %s built again with %s gives the same bytes "+
			"(compare with REBUILD-SHA256SUMS of the release)\n", orUnknown(shortCommit(b.Commit)), b.GoVersion)
	case b.Modified:
		fmt.Fprintln(e.stdout, "  reproducible  no: built from a tree with uncommitted changes")
	default:
		fmt.Fprintln(e.stdout, "  reproducible  no: a development build, not made by make release")
	}
	return check.Pass, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// shortCommit is the first 12 characters of a commit hash, as git shows it.
func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}
