package ingest

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/store"
)

// storedText returns each stored article's id and text, as a reader of
// the store sees them.
func storedText(t *testing.T, st string) map[string]string {
	t.Helper()
	s, err := store.Open(st, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got := map[string]string{}
	if err := s.Articles(func(a trawl.Article) error { got[a.ID] = a.Text; return nil }); err != nil {
		t.Fatal(err)
	}
	return got
}

// ingestLines ingests dir into st and returns the problems reported.
func ingestLines(t *testing.T, st, dir string) (*Summary, string) {
	t.Helper()
	sum, lines, err := ingestInto(t, st, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return sum, strings.Join(lines, "\n")
}

// TestSameIDFromTwoFolders is issue 17 case 1: two folders holding a file
// of the same name, ingested in separate runs. Before the fix the second
// silently replaced the first's article, and removing it deleted the
// article for good.
func TestSameIDFromTwoFolders(t *testing.T) {
	top := t.TempDir()
	a, b := filepath.Join(top, "A"), filepath.Join(top, "B")
	must(t, os.MkdirAll(a, 0o755))
	must(t, os.MkdirAll(b, 0o755))
	must(t, os.WriteFile(filepath.Join(a, "001.txt"), []byte("Copper rose 2% in Lima on Monday.\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(b, "001.txt"), []byte("Zinc fell 3% in Oslo on Tuesday.\n"), 0o644))
	st := filepath.Join(top, "store")
	want := map[string]string{"001.txt": "Copper rose 2% in Lima on Monday.\n"}

	ingestLines(t, st, a)
	_, problems := ingestLines(t, st, b)
	if diff := cmp.Diff(want, storedText(t, st)); diff != "" {
		t.Errorf("after ingesting B the stored articles changed (-want +got):\n%s", diff)
	}
	for _, name := range []string{filepath.Join(a, "001.txt"), filepath.Join(b, "001.txt")} {
		if !strings.Contains(problems, name) {
			t.Errorf("the warning does not name %s:\n%s", name, problems)
		}
	}
	if strings.Contains(problems, "\x00") {
		t.Errorf("the warning holds a raw NUL: %q", problems)
	}

	// Removing B's file must not take A's article with it.
	must(t, os.Remove(filepath.Join(b, "001.txt")))
	ingestLines(t, st, b)
	if diff := cmp.Diff(want, storedText(t, st)); diff != "" {
		t.Errorf("after removing B/001.txt (-want +got):\n%s", diff)
	}

	// Once A's file is gone, the id is free and B's file takes it.
	must(t, os.WriteFile(filepath.Join(b, "001.txt"), []byte("Zinc fell 3% in Oslo on Tuesday.\n"), 0o644))
	ingestLines(t, st, b)
	must(t, os.Remove(filepath.Join(a, "001.txt")))
	ingestLines(t, st, a)
	ingestLines(t, st, b)
	want = map[string]string{"001.txt": "Zinc fell 3% in Oslo on Tuesday.\n"}
	if diff := cmp.Diff(want, storedText(t, st)); diff != "" {
		t.Errorf("after A/001.txt is gone, B's file does not hold the id (-want +got):\n%s", diff)
	}
}

// TestJSONLIDHeldByAnotherFile is issue 17 case 1 for a JSONL record whose
// id a text file stored in an earlier run holds.
func TestJSONLIDHeldByAnotherFile(t *testing.T) {
	dir := t.TempDir()
	st := filepath.Join(t.TempDir(), "store")
	must(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("Copper rose 2% in Lima on Monday.\n"), 0o644))
	ingestLines(t, st, dir)
	must(t, os.WriteFile(filepath.Join(dir, "b.jsonl"), []byte(`{"id":"a.txt","text":"Zinc fell 3% in Oslo."}`+"\n"+`{"id":"b1","text":"Tin rose 1%."}`+"\n"), 0o644))
	_, problems := ingestLines(t, st, dir)
	want := map[string]string{"a.txt": "Copper rose 2% in Lima on Monday.\n", "b1": "Tin rose 1%."}
	if diff := cmp.Diff(want, storedText(t, st)); diff != "" {
		t.Errorf("stored articles (-want +got):\n%s", diff)
	}
	if !strings.Contains(problems, `article id "a.txt" is already held by `+filepath.Join(dir, "a.txt")) {
		t.Errorf("no warning names the file that holds the id:\n%s", problems)
	}
	// Removing the JSONL file leaves the text file's article alone.
	must(t, os.Remove(filepath.Join(dir, "b.jsonl")))
	ingestLines(t, st, dir)
	if diff := cmp.Diff(map[string]string{"a.txt": want["a.txt"]}, storedText(t, st)); diff != "" {
		t.Errorf("after removing b.jsonl (-want +got):\n%s", diff)
	}
}

// TestUnreachableFileKeepsArticles is issue 17 case 2: a file the walk
// finds but cannot read this time (here a symlink whose target is on a
// volume that is not mounted) keeps its stored articles and is reported as
// kept; before the fix they were removed as if the file were gone.
func TestUnreachableFileKeepsArticles(t *testing.T) {
	dir, vol := t.TempDir(), t.TempDir()
	st := filepath.Join(t.TempDir(), "store")
	must(t, os.WriteFile(filepath.Join(vol, "far.txt"), []byte("Copper rose 2% in Lima on Monday.\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "near.txt"), []byte("Zinc fell 3% in Oslo.\n"), 0o644))
	must(t, os.Symlink(filepath.Join(vol, "far.txt"), filepath.Join(dir, "far.txt")))
	sum, _, err := ingestInto(t, st, dir, Options{Corpus: corpus.Options{FollowSymlinks: true}})
	if err != nil || sum.Articles != 2 {
		t.Fatalf("first ingest: %v, %d articles", err, sum.Articles)
	}
	must(t, os.Rename(vol, vol+".unmounted"))
	sum, _, err = ingestInto(t, st, dir, Options{Corpus: corpus.Options{FollowSymlinks: true}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Removed != 0 || sum.Articles != 2 {
		t.Errorf("after the link target went away: %d removed, %d articles; want 0 removed, 2 articles kept", sum.Removed, sum.Articles)
	}
	if len(sum.Kept) != 1 || !strings.HasPrefix(sum.Kept[0], "far.txt: dangling symlink") {
		t.Errorf("summary lists kept %q, want far.txt with its reason", sum.Kept)
	}
	// A file that is really gone is removed.
	must(t, os.Remove(filepath.Join(dir, "far.txt")))
	sum, _, _ = ingestInto(t, st, dir, Options{})
	if sum.Removed != 1 || sum.Articles != 1 {
		t.Errorf("after the link was deleted: %d removed, %d articles; want 1 and 1", sum.Removed, sum.Articles)
	}
}

// TestFileThatStopsBeingAnArticle is issue 17 case 3: a stored file that
// becomes empty or binary no longer holds an article, so the store drops
// it, as a fresh store of the folder would; before the fix the old text
// stayed searchable while the warning said "skipped".
func TestFileThatStopsBeingAnArticle(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.txt":   "Copper rose 2% in Lima on Monday.\n",
		"b.txt":   "Zinc fell 3% in Oslo on Tuesday.\n",
		"c.txt":   "Tin rose 1% in La Paz on Friday.\n",
		"d.jsonl": `{"id":"d1","text":"Lead fell 4%."}` + "\n",
	})
	st := filepath.Join(t.TempDir(), "store")
	ingestLines(t, st, dir)
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
	must(t, os.WriteFile(filepath.Join(dir, "a.txt"), nil, 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "b.txt"), png, 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "d.jsonl"), png, 0o644))
	_, problems := ingestLines(t, st, dir)
	fresh := filepath.Join(t.TempDir(), "fresh")
	ingestLines(t, fresh, dir)
	want := storedText(t, fresh)
	if diff := cmp.Diff(want, storedText(t, st)); diff != "" {
		t.Errorf("re-ingested store differs from a fresh one (-fresh +re-ingested):\n%s", diff)
	}
	for _, name := range []string{"a.txt", "b.txt", "d.jsonl"} {
		if !slices.ContainsFunc(strings.Split(problems, "\n"), func(l string) bool {
			return strings.Contains(l, name) && strings.Contains(l, "removed")
		}) {
			t.Errorf("no warning says what was removed of %s:\n%s", name, problems)
		}
	}
}

// TestReadFailureKeepsArticles is the read-time half of issue 17 case 2: a
// stored file the walk listed but that cannot be read when its turn comes
// is not written (its articles stay) and is named as kept; before, the
// read-time and walk-time rules differed.
func TestReadFailureKeepsArticles(t *testing.T) {
	dir := t.TempDir() // a directory where the file was listed: reading it fails
	f := corpus.File{Rel: "x.txt", Abs: dir, Size: 10, Format: corpus.FormatText}
	old := &store.FileRecord{Hash: "h", Size: 9, IDs: []string{"x.txt"}}
	var warm sync.Once
	res := readFile(context.Background(), f, "k", old, nil, &warm, corpus.Options{}, false)
	if _, write := res.write(); write {
		t.Errorf("a file that could not be read is written (status %v): its stored articles would be replaced", res.status)
	}
	if !strings.HasPrefix(res.kept, "x.txt: could not be read this time; its 1 stored article(s) are kept") {
		t.Errorf("kept = %q, want it to name the file and say its articles are kept", res.kept)
	}
}
