package ingest

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/dedup"
	"github.com/trawlnews/trawl/extract"
	"github.com/trawlnews/trawl/store"
)

// TestExtractChunk checks the pluggable extraction step that trawl ingest
// --nats uses: the store ends up as with the local extractor, only new
// and changed files are handed over, and a failed chunk commits nothing.
func TestExtractChunk(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.txt": sample,
		"b.txt": "Copper rose 2% on Monday, said Janet Yellen.\n",
		"c.jsonl": `{"id":"c-1","text":"Wheat fell 3 pct."}
{"id":"c-2","text":"Oil rose 5% on Tuesday."}
`,
	})
	ctx := context.Background()
	local := mustOpen(t, t.TempDir())
	defer local.Close()
	mustIngest(t, local, dir)

	x := extract.New(extract.Options{})
	var handed []string
	opts := Options{ExtractChunk: func(_ context.Context, arts []trawl.Article, _ []dedup.Signature) error {
		for i := range arts {
			handed = append(handed, arts[i].ID)
			x.Extract(&arts[i])
		}
		return nil
	}}
	s := mustOpen(t, t.TempDir())
	defer s.Close()
	if _, err := Run(ctx, s, []string{dir}, opts); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a.txt", "b.txt", "c-1", "c-2"}, handed); diff != "" {
		t.Errorf("articles handed to ExtractChunk (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(storedArticles(t, local), storedArticles(t, s)); diff != "" {
		t.Errorf("store with ExtractChunk differs from the local one (-want +got):\n%s", diff)
	}
	handed = nil
	if _, err := Run(ctx, s, []string{dir}, opts); err != nil {
		t.Fatal(err)
	}
	if len(handed) != 0 {
		t.Errorf("re-run handed %q to ExtractChunk, want nothing", handed)
	}

	failing := mustOpen(t, t.TempDir())
	defer failing.Close()
	boom := errors.New("workers gone")
	_, err := Run(ctx, failing, []string{dir}, Options{ExtractChunk: func(context.Context, []trawl.Article, []dedup.Signature) error { return boom }})
	if !errors.Is(err, boom) {
		t.Errorf("Run with a failing ExtractChunk: %v, want %v", err, boom)
	}
	if n, _ := failing.Count(); n != 0 {
		t.Errorf("a failed chunk committed %d articles", n)
	}
}

func storedArticles(t *testing.T, s *store.Store) []trawl.Article {
	t.Helper()
	var arts []trawl.Article
	if err := s.Articles(func(a trawl.Article) error { arts = append(arts, a); return nil }); err != nil {
		t.Fatal(err)
	}
	return arts
}
