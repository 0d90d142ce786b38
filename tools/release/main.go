// Command release writes the files of a release that are made from its built artifacts, and
// checks them: the winget manifest (the multi-file manifest of schema 1.6: version, installer
// and default locale), the Scoop manifest, and RELEASE-NOTES.md, each with the SHA-256 of the
// Windows binaries as they are published (signed or not). scripts/release.sh runs it after the
// binaries are built and signed; scripts/release-check.sh runs its verify mode on the result.
//
//	go run ./tools/release manifests -dist dist -version 0.1.0 -commit ... -commit-time ... [-signed-by SUBJECT]
//	go run ./tools/release verify -dist dist
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command line: a mode, then its flags. It returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: release manifests|verify -dist DIR [flags]")
		return 2
	}
	fs := flag.NewFlagSet("release "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var r Release
	fs.StringVar(&r.Dist, "dist", "dist", "the directory that holds the built artifacts")
	switch args[0] {
	case "manifests":
		fs.StringVar(&r.Version, "version", "", "the version released (a tag without its v, or a development version)")
		fs.StringVar(&r.Commit, "commit", "", "the full hash of the commit built")
		fs.StringVar(&r.CommitTime, "commit-time", "", "the commit's time, RFC 3339 (the build's SOURCE_DATE_EPOCH)")
		fs.StringVar(&r.GoVersion, "go-version", "", "the Go version that built the binaries")
		fs.StringVar(&r.DownloadURL, "url", "", "where the release's files are downloaded from (default: the GitHub release of the tag)")
		fs.StringVar(&r.SignedBy, "signed-by", "", "the subject of the Authenticode certificate the Windows binaries are signed with; empty: unsigned")
		fs.StringVar(&r.License, "license", defaultLicense, "the licence named in the manifests")
		if err := fs.Parse(args[1:]); err != nil {
			return 2
		}
		if err := r.Write(); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "release: wrote %s, %s and %s\n", wingetDir, scoopFile, notesFile)
		return 0
	case "verify":
		if err := fs.Parse(args[1:]); err != nil {
			return 2
		}
		problems := Verify(r.Dist)
		for _, p := range problems {
			fmt.Fprintln(stderr, "release verify:", p)
		}
		if len(problems) > 0 {
			return 1
		}
		fmt.Fprintf(stdout, "release verify: SHA256SUMS, the winget and the Scoop manifests match the files in %s\n", r.Dist)
		return 0
	}
	fmt.Fprintf(stderr, "release: unknown mode %q: manifests or verify\n", args[0])
	return 2
}
