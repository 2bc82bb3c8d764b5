package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/index"
	"github.com/trawlnews/trawl/store"
)

// writeFiles creates files (path -> content) under a new temp dir.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const sample = "Published: 2025-06-08\n\nTreasury Secretary Scott Bessent said on Friday that tariffs on steel rose to 50%.\n"

func TestBadFilesDoNotStopTheBatch(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"good.txt":        sample,
		"empty.txt":       "",
		"blank.txt":       "  \n\t\n",
		"header-only.txt": "Title: Nothing here\n\n",
		"image.png":       "\x89PNG\r\n\x1a\n\x00\x00",
		"fake.txt":        "\x89PNG\r\n\x1a\n\x00\x00\x00\x00binary",
		"lines.jsonl": `{"id":"ok-1","text":"Copper rose 2% on Monday."}
{"id":"bad-1","text":
{"id":"no-text"}
{"id":"ok-2","text":"Wheat fell 3 pct.","published":"2025-06-01"}
`,
	})
	s := mustOpen(t, t.TempDir())
	defer s.Close()
	sum := mustIngest(t, s, dir)
	var ids []string
	s.Articles(func(a trawl.Article) error { ids = append(ids, a.ID); return nil })
	if diff := cmp.Diff([]string{"good.txt", "ok-1", "ok-2"}, ids); diff != "" {
		t.Errorf("stored articles (-want +got):\n%s", diff)
	}
	all := strings.Join(sum.Problems, "\n")
	for _, want := range []string{"empty.txt", "blank.txt", "header-only.txt", "fake.txt", "lines.jsonl line 2", "lines.jsonl line 3"} {
		if !strings.Contains(all, want) {
			t.Errorf("problems do not mention %s:\n%s", want, all)
		}
	}
	if len(sum.Skipped) != 1 || sum.Skipped[0].Path != "image.png" {
		t.Errorf("skipped %+v, want image.png", sum.Skipped)
	}
}

func TestInterruptedIngestResumes(t *testing.T) {
	files := map[string]string{}
	for i := range 60 {
		files[filepath.Join("d", string(rune('a'+i%26))+strings.Repeat("x", i/26)+".txt")] = sample
	}
	dir := writeFiles(t, files)
	s := mustOpen(t, t.TempDir())
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	sum, err := Run(ctx, s, []string{dir}, Options{Workers: 1, Progress: func(p Progress) {
		calls++
		if calls == 1 {
			cancel()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Interrupted {
		t.Fatalf("cancelled ingest not marked interrupted: %+v", sum)
	}
	done := sum.New
	if done == 0 || done >= 60 {
		t.Fatalf("interrupted run stored %d files, want some but not all", done)
	}
	sum = mustIngest(t, s, dir)
	if sum.New != 60-done || sum.Unchanged != done || sum.Articles != 60 {
		t.Errorf("resumed run: new %d unchanged %d articles %d; want %d, %d, 60", sum.New, sum.Unchanged, sum.Articles, 60-done, done)
	}
	ix, err := s.OpenIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, _ := ix.Count(); n != 60 {
		t.Errorf("index holds %d documents after the resumed run, want 60", n)
	}
}

func TestDirtyIndexIsRebuilt(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.txt": sample, "b.txt": sample + "Lithium fell 4%.\n"})
	st := t.TempDir()
	s := mustOpen(t, st)
	mustIngest(t, s, dir)
	s.Close()
	// Simulate a crash that lost the index after the database was written.
	os.RemoveAll(s.IndexPath())
	s = mustOpen(t, st)
	defer s.Close()
	sum := mustIngest(t, s, dir)
	if sum.Indexed != 2 {
		t.Errorf("after losing the index: %d documents re-indexed, want 2", sum.Indexed)
	}
}

// TestOutdatedIndexIsRebuilt checks that an index built by another version
// of trawl (another mapping or layout, as after an upgrade) is rebuilt by the
// next ingest even when no file changed, instead of leaving search broken.
func TestOutdatedIndexIsRebuilt(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.txt": sample, "b.txt": sample + "Lithium fell 4%.\n"})
	st := t.TempDir()
	s := mustOpen(t, st)
	mustIngest(t, s, dir)
	s.Close()
	manifest := filepath.Join(s.IndexPath(), "trawl-shards.json")
	if err := os.WriteFile(manifest, []byte(`{"mapping":"trawl-index-0","shards":1}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s = mustOpen(t, st)
	defer s.Close()
	if _, err := s.OpenIndex(); !errors.Is(err, index.ErrIncompatible) {
		t.Fatalf("opening the outdated index: %v, want ErrIncompatible", err)
	}
	sum := mustIngest(t, s, dir)
	if sum.Indexed != 2 {
		t.Errorf("after an upgrade: %d documents re-indexed, want 2", sum.Indexed)
	}
	ix, err := s.OpenIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, _ := ix.Count(); n != 2 {
		t.Errorf("rebuilt index holds %d documents, want 2", n)
	}
}

// TestShardedStoreSearchesEveryShard checks an ingest into an index of three
// shards: each article is found once, by text and by person, and a re-ingest
// of the same files with another shard count keeps the index as it is.
func TestShardedStoreSearchesEveryShard(t *testing.T) {
	files := map[string]string{}
	for i := range 12 {
		// Distinct stories, so that no two are folded as copies.
		var story strings.Builder
		for w := range 40 {
			fmt.Fprintf(&story, "w%d%d ", i, w)
		}
		files[fmt.Sprintf("%02d.txt", i)] = sample + fmt.Sprintf("Copper output rose %d%% in the quarter. %s\n", i+1, story.String())
	}
	dir := writeFiles(t, files)
	st := t.TempDir()
	s, err := store.Open(st, store.Options{Shards: 3})
	if err != nil {
		t.Fatal(err)
	}
	mustIngest(t, s, dir)
	s.Close()
	shards, _ := filepath.Glob(filepath.Join(st, "index.bleve", "shard-*"))
	if len(shards) != 3 {
		t.Errorf("index has %d shards, want 3", len(shards))
	}
	s = mustOpen(t, st)
	defer s.Close()
	if sum := mustIngest(t, s, dir); sum.Unchanged != 12 {
		t.Errorf("re-ingest: %d of 12 files unchanged", sum.Unchanged)
	}
	ix, err := s.OpenIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, q := range []index.Query{{Text: "copper", Limit: 20}, {People: []string{"Bessent"}, Limit: 20}} {
		r, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != 12 || len(r.Hits) != 12 {
			t.Errorf("search %+v: %d hits (%d listed), want each of the 12 articles once", q, r.Total, len(r.Hits))
		}
	}
}

func TestDirtyFlagForcesReindex(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.txt": sample, "b.txt": sample + "Lithium fell 4%.\n"})
	st := t.TempDir()
	s := mustOpen(t, st)
	mustIngest(t, s, dir)
	// Simulate a process killed after writing the database but before the
	// index was flushed: the dirty flag stays set.
	if err := s.MarkDirty(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	os.Remove(filepath.Join(dir, "b.txt"))

	s = mustOpen(t, st)
	defer s.Close()
	sum := mustIngest(t, s, dir)
	if sum.Indexed != 1 || sum.Removed != 1 {
		t.Errorf("after a dirty shutdown: indexed %d removed %d, want every live document (1) re-indexed and b.txt removed", sum.Indexed, sum.Removed)
	}
	ix, err := s.OpenIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, _ := ix.Count(); n != 1 {
		t.Errorf("index holds %d documents, want 1", n)
	}
}

// mustOpen opens the store in dir for writing or fails the test.
func mustOpen(t *testing.T, dir string) *store.Store {
	t.Helper()
	s, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// mustIngest ingests dir with default options or fails the test.
func mustIngest(t *testing.T, s *store.Store, dir string) *Summary {
	t.Helper()
	sum, err := Run(context.Background(), s, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func TestRunRefusesReadOnlyStore(t *testing.T) {
	st := t.TempDir()
	mustOpen(t, st).Close()
	s, err := store.Open(st, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := Run(context.Background(), s, []string{writeFiles(t, map[string]string{"a.txt": sample})}, Options{}); err == nil {
		t.Error("Run into a store opened read-only succeeded")
	}
}
