package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
)

func TestSecondWriterIsRefusedAtOnce(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	defer s.Close()
	_, err := Open(dir, Options{})
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("second writer: err %v, want ErrBusy", err)
	}
	if !strings.Contains(err.Error(), "trawl process") {
		t.Errorf("busy message %q does not name the process", err)
	}
	if _, err := Open(dir, Options{ReadOnly: true}); !errors.Is(err, ErrBusy) {
		t.Errorf("reader during a write: err %v, want ErrBusy", err)
	}
}

func TestReadOnlyOpenOfMissingStore(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "none"), Options{ReadOnly: true})
	if err == nil || !strings.Contains(err.Error(), "no trawl store") {
		t.Fatalf("err %v, want a clear 'no trawl store' message", err)
	}
}

// mustOpen opens the store in dir for writing or fails the test.
func mustOpen(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCommitRefreshRemove drives the operations an ingest calls, without
// extraction: a committed chunk is reconciled and indexed by Refresh (the
// people recorded in the index for name search), the store is then clean,
// and a removed file takes its articles with it.
func TestCommitRefreshRemove(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	defer s.Close()
	mention := func(text string, start int) trawl.Mention {
		return trawl.Mention{Type: trawl.Person, Text: text, Start: start, End: start + len(text), Entity: "p1"}
	}
	a := trawl.Article{ID: "a.txt", Text: "Scott Bessent spoke.", Mentions: []trawl.Mention{mention("Scott Bessent", 0)}}
	b := trawl.Article{ID: "b.txt", Text: "Scott Besset spoke.", Mentions: []trawl.Mention{mention("Scott Besset", 0)}}
	now := time.Now()
	keyA, keyB := FileKey("/root", "a.txt"), FileKey("/root", "b.txt")
	if err := s.MarkDirty(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit([]FileWrite{
		{Key: keyA, Hash: "ha", Size: 1, Read: now, Articles: []trawl.Article{a}},
		{Key: keyB, Hash: "hb", Size: 2, Read: now, Articles: []trawl.Article{b}},
	}); err != nil {
		t.Fatal(err)
	}
	recs, err := s.FileRecords([]string{keyA, FileKey("/root", "none.txt")})
	if err != nil {
		t.Fatal(err)
	}
	if recs[0] == nil || recs[0].Hash != "ha" || recs[1] != nil {
		t.Fatalf("FileRecords = %+v, want a's record and nil", recs)
	}
	if ok, _ := s.Clean(); ok {
		t.Error("store clean before any refresh")
	}
	n, err := s.Refresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n.Articles != 2 || n.Indexed != 2 {
		t.Errorf("Refresh = %+v, want 2 articles indexed", n)
	}
	if ok, err := s.Clean(); !ok || err != nil {
		t.Errorf("Clean after Refresh = %v, %v; want true", ok, err)
	}
	ix, err := s.OpenIndex()
	if err != nil {
		t.Fatal(err)
	}
	names, err := ix.Names()
	ix.Close()
	if err != nil || len(names) == 0 {
		t.Errorf("index Names after Refresh = %v, %v; want the people", names, err)
	}

	gone, err := s.Unseen("/root", []string{"a.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{keyB}, gone); diff != "" {
		t.Fatalf("Unseen (-want +got):\n%s", diff)
	}
	if err := s.RemoveFiles(gone); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Count(); c != 1 {
		t.Errorf("%d articles after removing b.txt, want 1", c)
	}
}

// TestReadOnlyStoreRefusesWrites checks that the writing operations fail on
// a store opened for reading.
func TestReadOnlyStoreRefusesWrites(t *testing.T) {
	dir := t.TempDir()
	mustOpen(t, dir).Close()
	s, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, commitErr := s.Commit([]FileWrite{{Key: "k"}})
	for name, err := range map[string]error{
		"Commit":      commitErr,
		"RemoveFiles": s.RemoveFiles([]string{"k"}),
		"MarkDirty":   s.MarkDirty(),
	} {
		if err == nil {
			t.Errorf("%s on a read-only store succeeded", name)
		}
	}
	if got := filepath.Base(s.IndexPath()); got != "index.bleve" {
		t.Errorf("IndexPath ends in %q", got)
	}
}

// TestUnseen lists the recorded files a walk no longer found, the walk's
// paths given in its order or in any other: nested directories, names
// that sort before and after a directory's files ('-' and '0' around '/'),
// and another root whose path starts with this one's.
func TestUnseen(t *testing.T) {
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	stored := map[string][]string{
		"/root":  {"a-c.txt", "a/b.txt", "a/z/y.txt", "a0.txt", "b.txt", "c.txt"},
		"/root2": {"a/b.txt", "d.txt"},
	}
	var ws []FileWrite
	for root, rels := range stored {
		for _, rel := range rels {
			ws = append(ws, FileWrite{Key: FileKey(root, rel), Hash: root + rel, Read: time.Now()})
		}
	}
	if _, err := s.Commit(ws); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		walked []string
		want   []string // under /root
	}{
		{[]string{"a-c.txt", "a/b.txt", "a/z/y.txt", "a0.txt", "b.txt", "c.txt"}, nil},
		{[]string{"a/z/y.txt", "c.txt", "a-c.txt", "b.txt", "a0.txt", "a/b.txt"}, nil},
		{[]string{"a-c.txt", "a0.txt", "new.txt"}, []string{"a/b.txt", "a/z/y.txt", "b.txt", "c.txt"}},
		{[]string{"a/z/y.txt", "b.txt"}, []string{"a-c.txt", "a/b.txt", "a0.txt", "c.txt"}},
		{nil, []string{"a-c.txt", "a/b.txt", "a/z/y.txt", "a0.txt", "b.txt", "c.txt"}},
	} {
		var want []string
		for _, rel := range tc.want {
			want = append(want, FileKey("/root", rel))
		}
		got, err := s.Unseen("/root", tc.walked)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Unseen after a walk of %q (-want +got):\n%s", tc.walked, diff)
		}
	}
}
