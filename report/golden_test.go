package report

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/kb"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file: %v (run go test ./report -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s\nwant:\n%s", name, got, want)
	}
}

// cliText renders a report as the text format appears on a console: a progress line per check
// as it finishes, then the report.
func cliText(t *testing.T, rep *probe.Report, o TextOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, c := range rep.Checks {
		progress(t, &b, c, o)
	}
	if err := Render(&b, Format{Text: o}, Run{Report: rep}); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return b.Bytes()
}

// progress writes the progress line of r as the text format does while a run goes on.
func progress(tb testing.TB, w io.Writer, r *check.Result, o TextOptions) {
	tb.Helper()
	if err := Render(w, Format{Text: o}, Progress{Check: r}); err != nil {
		tb.Fatalf("Render(Progress): %v", err)
	}
}

func TestGoldenReports(t *testing.T) {
	reports := []struct {
		name string
		rep  func() *probe.Report
	}{
		{"relay-pass", relayPass},
		{"relay-5.7.64", relayTenantAttribution},
		{"direct-port-filtered", directFiltered},
		{"submit-warn", submitWarn},
	}
	for _, r := range reports {
		t.Run(r.name, func(t *testing.T) {
			t.Run("text", func(t *testing.T) {
				golden(t, r.name+".txt", cliText(t, r.rep(), TextOptions{}))
			})
			t.Run("text-color", func(t *testing.T) {
				golden(t, r.name+".color.txt", cliText(t, r.rep(), TextOptions{Color: true}))
			})
			t.Run("text-verbose", func(t *testing.T) {
				golden(t, r.name+".verbose.txt", cliText(t, r.rep(), TextOptions{Transcript: true, Verbose: true}))
			})
			// The files a report for a ticket is written as, with the run's ticket; and the text on
			// screen with it.
			t.Run("text-ticket", func(t *testing.T) {
				rep := r.rep()
				var b bytes.Buffer
				if err := Render(&b, Format{}, Run{Report: rep, Ticket: sampleTicket(rep)}); err != nil {
					t.Fatalf("text: %v", err)
				}
				golden(t, r.name+".ticket.txt", b.Bytes())
			})
			for _, f := range []struct {
				output Output
				ext    string
			}{{OutputJSON, ".json"}, {OutputMarkdown, ".md"}, {OutputHTML, ".html"}} {
				t.Run(string(f.output), func(t *testing.T) {
					rep := r.rep()
					var b bytes.Buffer
					if err := Render(&b, Format{Output: f.output}, Run{Report: rep, Ticket: sampleTicket(rep)}); err != nil {
						t.Fatalf("%s: %v", f.output, err)
					}
					golden(t, r.name+f.ext, b.Bytes())
				})
			}
		})
	}
}

func TestGoldenExplain(t *testing.T) {
	cases := []struct {
		name    string
		input   string
		matches []kb.Match
	}{
		{"explain-5.7.64", explainInput, explainMatches()},
		{"explain-none", "The operation has timed out.", nil},
	}
	outputs := []struct {
		suffix string
		format Output
		opts   TextOptions
	}{
		{".txt", OutputText, TextOptions{}},
		{".color.txt", OutputText, TextOptions{Color: true}},
		{".json", OutputJSON, TextOptions{}},
		{".md", OutputMarkdown, TextOptions{}},
	}
	for _, c := range cases {
		for _, o := range outputs {
			t.Run(c.name+o.suffix, func(t *testing.T) {
				var b bytes.Buffer
				if err := Render(&b, Format{Output: o.format, Text: o.opts}, Explanation{Input: c.input, Matches: c.matches}); err != nil {
					t.Fatalf("Explain: %v", err)
				}
				golden(t, c.name+o.suffix, b.Bytes())
			})
		}
	}
}
