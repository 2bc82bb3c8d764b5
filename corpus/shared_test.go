package corpus

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedDir returns ../../shared/rel, the project's shared data, or skips.
func sharedDir(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "shared", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared data %s not present: %v", p, err)
	}
	return p
}

// TestSharedEval reads every gold JSONL file of ../shared/eval/dev: each
// line must become an article with its text exactly as in the record.
func TestSharedEval(t *testing.T) {
	dir := sharedDir(t, "eval/dev")
	files, skipped, err := Walk(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(skipped) > 0 {
		t.Errorf("skipped: %v", skipped)
	}
	for _, f := range files {
		if f.Format != FormatJSONL {
			continue
		}
		raw, err := os.ReadFile(f.Abs)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Count(strings.TrimRight(string(raw), "\n"), "\n") + 1
		arts, problems, err := Read(f, Options{})
		if err != nil {
			t.Errorf("%s: %v", f.Rel, err)
			continue
		}
		for _, p := range problems {
			t.Errorf("%v", p)
		}
		if len(arts) != lines {
			t.Errorf("%s: %d articles from %d lines", f.Rel, len(arts), lines)
		}
		t.Logf("%s: %d articles", f.Rel, len(arts))
	}
}

// TestSharedSeeds reads the seed articles of ../shared/seeds.
func TestSharedSeeds(t *testing.T) {
	dir := sharedDir(t, "seeds")
	files, skipped, err := Walk(context.Background(), dir, Options{})
	if err != nil || len(skipped) > 0 || len(files) == 0 {
		t.Fatalf("Walk: %d files, skipped %v, err %v", len(files), skipped, err)
	}
	for _, f := range files {
		arts, _, err := Read(f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		a := arts[0]
		if a.ID != f.Rel || a.Encoding != EncUTF8 || len(a.Text) < 1000 {
			t.Errorf("%s: id %q encoding %q, %d bytes of text", f.Rel, a.ID, a.Encoding, len(a.Text))
		}
		t.Logf("%s: published %q (%s)", a.ID, a.Published, a.PublishedSource)
	}
}

// BenchmarkReadCorpus walks and reads the 10 MB benchmark corpus of
// ../shared/bench/corpus, the cost of corpus in an ingest.
func BenchmarkReadCorpus(b *testing.B) {
	dir := sharedDir(b, "bench/corpus")
	b.ReportAllocs()
	for b.Loop() {
		files, _, err := Walk(context.Background(), dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		var n int64
		for _, f := range files {
			arts, _, err := Read(f, Options{})
			if err != nil {
				b.Fatal(err)
			}
			n += int64(len(arts[0].Text))
		}
		b.SetBytes(n)
	}
}
