package kb

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/exoprobe/exoprobe/probe/check"
	"github.com/exoprobe/exoprobe/probe/reply"
)

// corpusFile holds real texts, one JSON object a line: what a server, an application, a library,
// a device or a log wrote, copied from a public page (its source URL), shortened at most, with
// personal data replaced by example values. Each names the entry it must decode to, the code
// shown with it, and words the fix must contain.
const corpusFile = "testdata/corpus.jsonl"

// The corpus must stay at least this large and decode at least this well.
const (
	corpusMin       = 400
	corpusPassRatio = 0.97
)

type corpusText struct {
	Name     string   `json:"name"`
	Text     string   `json:"text"`
	WantID   string   `json:"want_id"`
	Code     string   `json:"code"`
	Keywords []string `json:"keywords"`
	Source   string   `json:"source"`
}

var corpusOnce = sync.OnceValues(func() ([]corpusText, error) {
	b, err := os.ReadFile(corpusFile)
	if err != nil {
		return nil, err
	}
	var out []corpusText
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		var c corpusText
		if err := dec.Decode(&c); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", corpusFile, n, err)
		}
		out = append(out, c)
	}
	return out, sc.Err()
})

func loadCorpus(t testing.TB) []corpusText {
	t.Helper()
	c, err := corpusOnce()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCorpusWellFormed checks every line's fields; a malformed line is a mistake, not a miss.
func TestCorpusWellFormed(t *testing.T) {
	texts := loadCorpus(t)
	if len(texts) < corpusMin {
		t.Errorf("the corpus holds %d texts; it must hold at least %d", len(texts), corpusMin)
	}
	seen := map[string]bool{}
	for i, c := range texts {
		where := fmt.Sprintf("%s line %d (%s)", corpusFile, i+1, c.Name)
		switch {
		case c.Name == "" || strings.TrimSpace(c.Text) == "" || c.WantID == "":
			t.Errorf("%s: name, text and want_id are required", where)
		case len(c.Keywords) < 2 || len(c.Keywords) > 3:
			t.Errorf("%s: give 2 or 3 keywords the fix must contain, not %d", where, len(c.Keywords))
		case !strings.HasPrefix(c.Source, "https://") && !strings.HasPrefix(c.Source, "http://"):
			t.Errorf("%s: the source must be the URL of the public page the text was copied from, not %q", where, c.Source)
		}
		if seen[c.Text] {
			t.Errorf("%s: the same text is in the corpus twice", where)
		}
		seen[c.Text] = true
		if _, ok := byID[c.WantID]; !ok && !strings.HasPrefix(c.WantID, "rfc") && !strings.HasPrefix(c.WantID, "aadsts-") {
			t.Errorf("%s: want_id %q is not an entry", where, c.WantID)
		}
	}
}

// decodeMiss says why text c does not decode as it must; "" when it does.
func decodeMiss(c corpusText) string {
	ms := Explain(c.Text, testCtx)
	if len(ms) == 0 {
		return "nothing found"
	}
	got := ms[0]
	if got.ID != c.WantID || (c.Code != "" && string(got.Code) != c.Code) {
		return fmt.Sprintf("decoded as %s %s; want %s %s (all: %v)", got.Code, got.ID, c.Code, c.WantID, ids(ms))
	}
	fix := strings.ToLower(fixText(got.Fix)) // the text and the command together
	for _, k := range c.Keywords {
		if !strings.Contains(fix, strings.ToLower(k)) {
			return fmt.Sprintf("%s: the fix does not say %q", got.ID, k)
		}
	}
	if h := got.Hint; h.Title == "" || h.Cause == "" || len(h.Docs) == 0 {
		return fmt.Sprintf("%s: the hint is incomplete", got.ID)
	}
	// The same text read off the wire as one reply gives the same hint.
	if r, err := reply.Parse(c.Text); err == nil && !strings.ContainsAny(c.Text, "\r\n") {
		f := check.Finding{Code: check.Code(r.StatusCode()), Reply: r.String()}
		if h := HintFor(f, testCtx); h == nil || h.ID != c.WantID {
			return fmt.Sprintf("as a reply on the wire: %v; want %s", h, c.WantID)
		}
	}
	return ""
}

// TestCorpus decodes every text of the corpus and fails when fewer than corpusPassRatio of them
// decode to the right entry with the right code and a fix that says the keywords. Every miss is
// printed.
func TestCorpus(t *testing.T) {
	texts := loadCorpus(t)
	var misses int
	for _, c := range texts {
		if why := decodeMiss(c); why != "" {
			misses++
			t.Logf("MISS %s: %q: %s [%s]", c.Name, c.Text, why, c.Source)
		}
	}
	ratio := float64(len(texts)-misses) / float64(max(len(texts), 1))
	t.Logf("corpus: %d of %d texts decode right (%.1f %%)", len(texts)-misses, len(texts), 100*ratio)
	if ratio < corpusPassRatio {
		t.Errorf("only %.1f %% of the corpus decodes right; at least %.0f %% must", 100*ratio, 100*corpusPassRatio)
	}
}

// TestEveryEntryHasRealTexts: each entry that explains a server's or Entra ID's words is backed
// by at least one real text in the corpus.
func TestEveryEntryHasRealTexts(t *testing.T) {
	have := map[string]int{}
	for _, c := range loadCorpus(t) {
		have[c.WantID]++
	}
	for _, e := range entries {
		if e.probe {
			continue
		}
		t.Run(e.id, func(t *testing.T) {
			if have[e.id] == 0 {
				t.Errorf("entry %s has no real text in %s", e.id, corpusFile)
			}
		})
	}
}
