package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/probe"
	"github.com/exoprobe/exoprobe/probe/check"
)

// TestInterruptedReport checks that a report of a run stopped by Ctrl-C says so in every
// format: "Interrupted" in the verdict line of text and Markdown, "interrupted": true in JSON.
func TestInterruptedReport(t *testing.T) {
	t.Parallel()
	ip := check.New(check.PublicIP)
	ip.Summary = "203.0.113.7"
	rep := &probe.Report{
		Mode: check.ModeRelay, Target: probe.Target{Domain: "contoso.com"}, Verdict: check.Pass,
		Checks: []*check.Result{ip, probe.InterruptedCheck(check.DNS)},
	}
	rep.MarkInterrupted()
	failed := check.New(check.TCP)
	failed.Addf(check.Fail, "port-filtered", "port 25 is filtered")
	repFail := &probe.Report{
		Mode: check.ModeRelay, Target: probe.Target{Domain: "contoso.com"}, Verdict: check.Fail,
		Checks: []*check.Result{failed, probe.InterruptedCheck(check.SMTP)},
	}
	repFail.MarkInterrupted()
	tests := []struct {
		name   string
		rep    *probe.Report
		format Format
		want   string
	}{
		{"text", rep, Format{}, "Verdict: SKIP - Interrupted (Ctrl-C) before every check concluded: nothing is known yet about relay through the MX of contoso.com; the checks that concluded passed"},
		{"markdown", rep, Format{Output: OutputMarkdown}, "**Verdict: SKIP** - Interrupted (Ctrl-C) before every check concluded: nothing is known yet"},
		{"text, a failure before", repFail, Format{}, "Verdict: FAIL - Interrupted (Ctrl-C) before every check concluded; so far: "},
		{"markdown, a failure before", repFail, Format{Output: OutputMarkdown}, "**Verdict: FAIL** - Interrupted (Ctrl-C) before every check concluded; so far: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := Render(&b, tt.format, Run{Report: tt.rep}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), tt.want) {
				t.Errorf("got:\n%s\nwant a line with %q", b.String(), tt.want)
			}
		})
	}
	t.Run("json", func(t *testing.T) {
		t.Parallel()
		for _, interrupted := range []bool{true, false} {
			r := *rep
			r.Interrupted = interrupted
			var b bytes.Buffer
			if err := Render(&b, Format{Output: OutputJSON}, Run{Report: &r}); err != nil {
				t.Fatal(err)
			}
			var got struct {
				Interrupted *bool `json:"interrupted"`
				Checks      []struct {
					ID      string `json:"id"`
					Status  string `json:"status"`
					Summary string `json:"summary"`
				} `json:"checks"`
			}
			if err := json.Unmarshal(b.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if got.Interrupted == nil || *got.Interrupted != interrupted {
				t.Errorf("interrupted = %v; want %v", got.Interrupted, interrupted)
			}
			if len(got.Checks) != 2 || got.Checks[1].Status != "skip" || got.Checks[1].Summary != "skipped: interrupted" {
				t.Errorf("checks %+v; want dns skipped: interrupted", got.Checks)
			}
		}
	})
}
