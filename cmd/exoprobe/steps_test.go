package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/fixtures"
)

// commandStart is how a line to paste begins: a PowerShell cmdlet (an approved verb, a hyphen,
// a noun), a variable, an expression, or a program the knowledge base names.
var commandStart = regexp.MustCompile(`^((Add|Clear|Connect|Disable|Enable|Export|Format|Get|Grant|Install|Invoke|Mount|New|Remove|Resolve|Retry|Set|Start|Stop|Test|Update|Where)-[A-Z][A-Za-z0-9]*( |$)|\$|\[|\(|(w32tm|certutil|ipconfig|auditpol|Auditpol|timedatectl|resolvectl|sudo|read|export|dig|exoprobe|openssl|nslookup|pip) )`)

// proseInLine says what in a line of a command block reads as prose; "" when nothing does.
func proseInLine(line string) string {
	for _, p := range []string{" — ", "admin centre", "or, if", " > "} {
		if strings.Contains(line, p) {
			return p
		}
	}
	if m := regexp.MustCompile(`[a-z)]\. [A-Z]`).FindString(line); m != "" {
		return m
	}
	if strings.HasSuffix(line, ".") || strings.HasSuffix(line, ":") {
		return "a sentence's end"
	}
	if !commandStart.MatchString(line) {
		return "a line that is not a command"
	}
	return ""
}

// TestMarkdownCommandsPaste renders every demo scenario as Markdown through the command line and
// checks that pasting works: every shell block holds commands and nothing else, no fix step
// leaves a command in its prose, and every command of the JSON report's fix steps is in a block.
func TestMarkdownCommandsPaste(t *testing.T) {
	t.Parallel()
	for _, sc := range fixtures.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			code, md, stderr := runCmd(t, "", "demo", "--scenario", sc.Name, "-o", "markdown")
			if code == exitCantRun {
				t.Skipf("the scenario does not run (TestDemoScenarios reports it): %s", stderr)
			}
			var blocks []string
			var block strings.Builder
			fence, lang := "", ""
			for _, raw := range strings.Split(md, "\n") {
				line := strings.TrimSpace(raw)
				if fence != "" {
					if line == fence {
						if lang == "powershell" || lang == "sh" || lang == "console" {
							blocks = append(blocks, block.String())
						}
						fence = ""
						block.Reset()
						continue
					}
					block.WriteString(line + "\n")
					continue
				}
				if strings.HasPrefix(line, "```") {
					n := len(line) - len(strings.TrimLeft(line, "`"))
					fence, lang = line[:n], line[n:]
					continue
				}
				// A numbered fix step: its prose must not go on into a command.
				if m := regexp.MustCompile(`^\d+\. (.*)$`).FindStringSubmatch(line); m != nil {
					if regexp.MustCompile(`: (Get|Set|New|Add|Remove|Test|Resolve)-[A-Z]`).MatchString(m[1]) {
						t.Errorf("a fix step's prose holds a command: %q", line)
					}
				}
			}
			if fence != "" {
				t.Fatalf("a fenced block is not closed:\n%s", md)
			}
			for _, b := range blocks {
				for _, l := range strings.Split(strings.TrimSuffix(b, "\n"), "\n") {
					if p := proseInLine(l); p != "" {
						t.Errorf("a command block holds prose (%s): %q", p, l)
					}
				}
			}

			_, js, _ := runCmd(t, "", "demo", "--scenario", sc.Name, "-o", "json")
			var rep jsonReport
			if err := json.Unmarshal([]byte(js), &rep); err != nil {
				t.Fatalf("output is not JSON: %v", err)
			}
			all := strings.Join(blocks, "")
			for _, c := range rep.Checks {
				for _, f := range c.Findings {
					if f.Hint == nil {
						continue
					}
					for _, s := range f.Hint.Fix {
						if s.Text == "" {
							t.Errorf("%s: a fix step without text", f.Hint.ID)
						}
						if s.Command != "" && !strings.Contains(all, s.Command+"\n") {
							t.Errorf("%s: the command %q is not in a command block of the Markdown", f.Hint.ID, s.Command)
						}
					}
				}
			}
		})
	}
}
