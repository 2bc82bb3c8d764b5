package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
)

// commitArticles commits articles from..to-1, one file each, and
// refreshes the store.
func commitArticles(t *testing.T, s *Store, from, to int) Counts {
	t.Helper()
	if err := s.MarkDirty(); err != nil {
		t.Fatal(err)
	}
	var ws []FileWrite
	for i := from; i < to; i++ {
		id := fmt.Sprintf("a%05d.txt", i)
		text := fmt.Sprintf("Report %d: oil rose %d%% in week %d.", i, i%9, i)
		ws = append(ws, FileWrite{Key: FileKey("/root", id), Hash: id, Size: int64(len(text)), Read: time.Now(),
			Articles: []trawl.Article{{ID: id, Text: text}}})
	}
	if _, err := s.Commit(ws); err != nil {
		t.Fatal(err)
	}
	n, err := s.Refresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// indexSegments is the number of segments of each shard of s's index.
func indexSegments(t *testing.T, s *Store) []int {
	t.Helper()
	ix, err := s.OpenIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	n, err := ix.Segments()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRefreshCompacts counts the segments a search visits after a refresh:
// one a shard after a refresh that wrote the whole index (three batches a
// shard), and one more, not a new compaction, after a refresh that added a
// few articles.
func TestRefreshCompacts(t *testing.T) {
	s, err := Open(t.TempDir(), Options{Shards: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := commitArticles(t, s, 0, 2*indexBatch+300); n.Indexed != 2*indexBatch+300 {
		t.Fatalf("first refresh indexed %d articles, want %d", n.Indexed, 2*indexBatch+300)
	}
	if diff := cmp.Diff([]int{1, 1}, indexSegments(t, s)); diff != "" {
		t.Errorf("segments after the first refresh (-want +got):\n%s", diff)
	}
	if n := commitArticles(t, s, 2*indexBatch+300, 2*indexBatch+400); n.Indexed != 100 {
		t.Fatalf("second refresh indexed %d articles, want 100", n.Indexed)
	}
	if diff := cmp.Diff([]int{2, 2}, indexSegments(t, s)); diff != "" {
		t.Errorf("segments after a refresh of 100 new articles (-want +got):\n%s", diff)
	}
}
