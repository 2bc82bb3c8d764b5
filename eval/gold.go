package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/trawlnews/trawl"
)

// Gold is one gold record: the FORMAT.md article plus the fields that say
// what is scored in it.
type Gold struct {
	trawl.Article
	// Annotated lists the mention types this record labels; only these are
	// scored for it.
	Annotated []trawl.Kind `json:"annotated"`
	// Partial lists annotated types that are labelled only in part of the
	// text: their recall is scored, their precision is not.
	Partial []trawl.Kind `json:"partial"`
	// Ignore holds spans that are neither gold mentions nor errors.
	Ignore []Span `json:"ignore"`
	// Topics keeps all the source's document topics (Reuters), scored or not.
	Topics []string `json:"topics"`
}

// Span is a byte range of an article's text, end exclusive.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// maxLine bounds one JSONL record; the largest dev record is well below 1 MB.
const maxLine = 64 << 20

// ReadGold reads a gold JSONL file, one record a line, blank lines skipped.
// It checks what the scorer relies on: a non-empty id, unique ids, and
// mention offsets inside the text whose slice equals the mention's text.
// Errors name the file and the 1-based line.
func ReadGold(path string) ([]Gold, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	defer f.Close()

	var golds []Gold
	seen := make(map[string]int)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), maxLine)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var g Gold
		if err := json.Unmarshal(b, &g); err != nil {
			return nil, fmt.Errorf("eval: %s:%d: %w", path, line, err)
		}
		if err := checkGold(&g); err != nil {
			return nil, fmt.Errorf("eval: %s:%d: %w", path, line, err)
		}
		if first, ok := seen[g.ID]; ok {
			return nil, fmt.Errorf("eval: %s:%d: id %q already used on line %d", path, line, g.ID, first)
		}
		seen[g.ID] = line
		golds = append(golds, g)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("eval: %s: after line %d: %w", path, line, err)
	}
	return golds, nil
}

// checkGold reports the first inconsistency of a decoded record.
func checkGold(g *Gold) error {
	if g.ID == "" {
		return fmt.Errorf("record has no id")
	}
	for i, m := range g.Mentions {
		if m.Start < 0 || m.End < m.Start || m.End > len(g.Text) {
			return fmt.Errorf("%s: mention %d (%s %q): offsets %d-%d outside text of %d bytes",
				g.ID, i, m.Type, m.Text, m.Start, m.End, len(g.Text))
		}
		if got := g.Text[m.Start:m.End]; got != m.Text {
			return fmt.Errorf("%s: mention %d (%s): text[%d:%d] is %q, record says %q",
				g.ID, i, m.Type, m.Start, m.End, got, m.Text)
		}
	}
	for i, s := range g.Ignore {
		if s.Start < 0 || s.End < s.Start || s.End > len(g.Text) {
			return fmt.Errorf("%s: ignore span %d: offsets %d-%d outside text of %d bytes",
				g.ID, i, s.Start, s.End, len(g.Text))
		}
	}
	return nil
}
