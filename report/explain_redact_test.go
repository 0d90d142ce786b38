package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/probe/kb"
)

// TestExplanationRedactsInput renders an explanation whose input still holds secrets, as a
// caller that forgot to redact would pass it, and asserts on the bytes of every format: the
// renderer's guard leaves none of them, and keeps the codes.
func TestExplanationRedactsInput(t *testing.T) {
	t.Parallel()
	const (
		plain = "AGFwcEBjb250b3NvLmNvbQBXaW50ZXIyMDI2IQ=="
		jwt   = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlMzY1LmNvbSJ9.c2lnbmF0dXJl"
	)
	input := "C: AUTH PLAIN " + plain + "\nS: 334 VXNlcm5hbWU6\nC: YXBwQGNvbnRvc28uY29t\n" +
		"Authorization: Bearer " + jwt + "\n{\"client_secret\": \"Abc~8Q.x_y\"}\nS: 535 5.7.3 Authentication unsuccessful"
	matches := kb.Explain(input, kb.Context{})
	for _, f := range []Output{OutputText, OutputJSON, OutputMarkdown} {
		var b bytes.Buffer
		if err := Render(&b, Format{Output: f}, Explanation{Input: input, Matches: matches}); err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{plain, jwt, "YXBwQGNvbnRvc28uY29t", "Abc~8Q.x_y"} {
			if strings.Contains(b.String(), secret) {
				t.Errorf("%s: output holds %q:\n%s", f, secret, b.String())
			}
		}
		if !strings.Contains(b.String(), "5.7.3") || !strings.Contains(b.String(), "[redacted]") {
			t.Errorf("%s: output lacks the code or the redaction mark:\n%s", f, b.String())
		}
	}
}
