package main

import (
	"context"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/kb"
	"github.com/exoprobe/exoprobe/report"
)

// maxExplainInput bounds what explain reads from stdin: a pasted NDR or log excerpt.
const maxExplainInput = 1 << 20

// runExplain decodes a pasted reply, NDR, log line or AADSTS error, offline.
func runExplain(_ context.Context, e *env, args []string) (check.Status, error) {
	var out outputOptions
	fs := pflag.NewFlagSet("explain", pflag.ContinueOnError)
	out.register(fs)
	if done, err := parseFlags(e, fs, "explain", args); done {
		return check.Pass, err
	}
	input := strings.Join(fs.Args(), " ")
	if input == "" || input == "-" {
		b, err := io.ReadAll(io.LimitReader(e.stdin, maxExplainInput))
		if err != nil {
			return "", err
		}
		input = string(b)
	}
	input = strings.TrimSpace(input)
	if input == "" {
		return "", usagef("give the reply text as an argument, or pipe it in: exoprobe explain \"550 5.7.64 ...\"")
	}
	r, err := out.renderer(e)
	if err != nil {
		return "", err
	}
	matches := kb.Explain(input, kb.Context{})
	if err := report.Render(r.out, r.format, report.Explanation{Input: input, Matches: matches}); err != nil {
		return "", err
	}
	if len(matches) == 0 {
		return check.Warn, nil // nothing known matched: a warning, as monitoring reads it
	}
	return check.Pass, nil
}
