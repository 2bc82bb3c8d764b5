// Package gold reads the shared evaluation data that lives next to the
// repository (../shared: seed articles, gold mentions, reference files) for
// the extractors' tests, and scores extractors against it. Tests that need
// the data skip with a message naming the missing path.
package gold

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/eval"
	"github.com/trawlnews/trawl/internal/proctest"
)

// Shared returns the path of elem under the shared data directory, which
// sits next to the repository: ../shared from the directory holding go.mod,
// however deep the test's package is.
func Shared(elem ...string) string {
	root, err := proctest.ModuleRoot()
	if err != nil {
		root = "."
	}
	return filepath.Join(append([]string{root, "..", "shared"}, elem...)...)
}

// BenchTexts returns the first n articles of the shared benchmark corpus
// (../shared/bench/corpus, by file name), for tests that compare two ways of
// computing the same thing on real news; without the corpus it logs that
// the test runs on its written cases only and returns none.
func BenchTexts(tb testing.TB, n int) []string {
	tb.Helper()
	names, _ := filepath.Glob(Shared("bench", "corpus", "*.txt"))
	if len(names) == 0 {
		tb.Log("benchmark corpus not available (needs ../shared/bench/corpus): written cases only")
		return nil
	}
	slices.Sort(names)
	texts := make([]string, 0, min(n, len(names)))
	for _, name := range names[:min(n, len(names))] {
		raw, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		texts = append(texts, string(raw))
	}
	return texts
}

// Seeds returns the seed articles of ../shared/seeds concatenated, for
// benchmarks; it skips when they are not beside the repository.
func Seeds(tb testing.TB) string {
	tb.Helper()
	dir := Shared("seeds")
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(files) == 0 {
		tb.Skipf("seed articles not available (needs %s next to the repository)", dir)
	}
	var sb strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		sb.Write(data)
		sb.WriteString("\n\n")
	}
	return sb.String()
}

// Record is one gold record of ../shared/eval, as the evaluator reads it.
type Record = eval.Gold

// Records reads a gold JSONL file of ../shared/eval/dev with the evaluator's
// reader, or skips the test when the shared data is not there.
func Records(tb testing.TB, name string) []Record {
	tb.Helper()
	path := Shared("eval", "dev", name)
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("gold data not available (needs ../shared next to the repository): %v", err)
	}
	recs, err := eval.ReadGold(path)
	if err != nil {
		tb.Fatal(err)
	}
	return recs
}

// StrictScore runs find over the texts of the records that annotate kind and
// returns strict span precision, recall and F1, dropping predictions that
// overlap an ignore span and no gold mention, as the scorer does. It logs
// each error so a failing test shows what went wrong.
func StrictScore(t *testing.T, recs []Record, kind trawl.Kind, find func(text string) []trawl.Mention) (p, r, f1 float64) {
	t.Helper()
	tp, fp, fn := 0, 0, 0
	for _, rec := range recs {
		annotated := false
		for _, k := range rec.Annotated {
			annotated = annotated || k == kind
		}
		if !annotated {
			continue
		}
		type key struct{ s, e int }
		gold := map[key]bool{}
		var golds []trawl.Mention
		for _, m := range rec.Mentions {
			if m.Type == kind {
				gold[key{m.Start, m.End}] = true
				golds = append(golds, m)
			}
		}
		found := map[key]bool{}
		for _, m := range find(rec.Text) {
			k := key{m.Start, m.End}
			if gold[k] {
				tp++
				found[k] = true
				continue
			}
			overlaps := func(s, e int) bool { return m.Start < e && s < m.End }
			ignored := false
			for _, ig := range rec.Ignore {
				ignored = ignored || overlaps(ig.Start, ig.End)
			}
			for _, g := range golds {
				if overlaps(g.Start, g.End) {
					ignored = false
				}
			}
			if ignored {
				continue
			}
			fp++
			t.Logf("%s: false %s %q at %d", rec.ID, kind, m.Text, m.Start)
		}
		for _, g := range golds {
			if !found[key{g.Start, g.End}] {
				fn++
				t.Logf("%s: missed %s %q at %d", rec.ID, kind, g.Text, g.Start)
			}
		}
	}
	if tp+fp > 0 {
		p = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		r = float64(tp) / float64(tp+fn)
	}
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return p, r, f1
}

// CheckMentions fails when a mention is outside the text, not on rune
// boundaries (of a valid UTF-8 text), or has a Text that is not its span,
// or a Value that is not a finite decimal (for PERCENT).
func CheckMentions(t *testing.T, text string, ms []trawl.Mention) {
	t.Helper()
	for _, m := range ms {
		if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
			t.Fatalf("mention %+v outside text of %d bytes", m, len(text))
		}
		if utf8.ValidString(text) && (!utf8.RuneStart(text[m.Start]) || m.End < len(text) && !utf8.RuneStart(text[m.End])) {
			t.Fatalf("mention %+v not on rune boundaries", m)
		}
		if m.Text != text[m.Start:m.End] {
			t.Fatalf("mention Text %q != text[%d:%d] %q", m.Text, m.Start, m.End, text[m.Start:m.End])
		}
		if m.Type == trawl.Percent && m.Value != "" {
			if f, err := strconv.ParseFloat(m.Value, 64); err == nil && (math.IsNaN(f) || math.IsInf(f, 0)) {
				t.Fatalf("mention %+v has a non-finite value", m)
			}
			if strings.ContainsAny(m.Value, "eEnN+") {
				t.Fatalf("mention %+v value is not a plain decimal", m)
			}
		}
	}
}
