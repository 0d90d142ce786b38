package kb

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/replies.json from realReplies")

// corpusFile holds realReplies as JSON so that other packages (the fixtures, the simulator) can
// read the same recorded texts. Refresh it with go test ./probe/kb -run TestCorpusFile -update.
const corpusFile = "testdata/replies.json"

type corpusEntry struct {
	Name   string `json:"name"`
	Text   string `json:"text"`
	WantID string `json:"want_id"`
	Code   string `json:"code"`
	Source string `json:"source"`
}

func TestCorpusFile(t *testing.T) {
	var list []corpusEntry
	for _, r := range realReplies {
		list = append(list, corpusEntry{r.name, r.text, r.wantID, r.code, r.source})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(list); err != nil {
		t.Fatal(err)
	}
	want := buf.Bytes()
	if *update {
		if err := os.MkdirAll(filepath.Dir(corpusFile), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(corpusFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(corpusFile)
	if err != nil {
		t.Fatalf("read %s: %v (run with -update)", corpusFile, err)
	}
	if !bytes.Equal(bytes.ReplaceAll(got, []byte("\r\n"), []byte("\n")), want) {
		t.Errorf("%s is out of date: run go test ./probe/kb -run TestCorpusFile -update", corpusFile)
	}
}
