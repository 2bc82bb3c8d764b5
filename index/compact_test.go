package index

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// compactDoc is document i of the compaction tests.
func compactDoc(i int) Doc {
	return Doc{
		ID: fmt.Sprintf("c%05d", i), Title: "Oil", Source: fmt.Sprintf("wire-%d", i%3),
		Published: fmt.Sprintf("2024-%02d-%02d", 1+i%12, 1+i%28),
		Text:      fmt.Sprintf("Report %d: oil rose %d%% as interest rates held.", i, i%9),
	}
}

// putChunks writes docs in Put calls of size documents, as a refresh does
// (each call leaves a new segment in every shard).
func putChunks(t *testing.T, ix *Index, docs []Doc, size int) {
	t.Helper()
	for chunk := range slices.Chunk(docs, size) {
		if err := ix.Put(chunk); err != nil {
			t.Fatal(err)
		}
	}
}

// segments is ix.Segments or the end of the test.
func segments(t *testing.T, ix *Index) []int {
	t.Helper()
	n, err := ix.Segments()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCompactWritten counts the segments a search visits after an index is
// written in many small Puts: CompactWritten leaves one per shard, still
// one after the index is opened again, with the same hits; a later write of
// a small share of the documents is left to scorch's merge planner.
func TestCompactWritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index")
	ix, err := OpenShards(path, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }()
	var docs []Doc
	for i := range 2000 {
		docs = append(docs, compactDoc(i))
	}
	putChunks(t, ix, docs, 40)
	before := segments(t, ix)
	if slices.Max(before) < 3 {
		t.Fatalf("segments after 50 writes: %v, want several a shard to compact", before)
	}
	q := Query{Text: "oil", Limit: 20}
	want, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.CompactWritten(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if ix, err = Open(path); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{1, 1}, segments(t, ix)); diff != "" {
		t.Errorf("segments after CompactWritten and a reopen (-want +got):\n%s (before: %v)", diff, before)
	}
	got, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Results{}, "Took")); diff != "" {
		t.Errorf("search after compaction (-want +got):\n%s", diff)
	}

	// A tenth of the documents rewritten: one new segment a shard, kept.
	putChunks(t, ix, docs[:200], 200)
	if err := ix.CompactWritten(context.Background()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{2, 2}, segments(t, ix)); diff != "" {
		t.Errorf("segments after a small write (-want +got):\n%s", diff)
	}
}

// TestCompactCancelled: a compaction whose context is done returns its
// error and leaves every document searchable.
func TestCompactCancelled(t *testing.T) {
	ix, err := OpenShards(filepath.Join(t.TempDir(), "index"), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var docs []Doc
	for i := range 300 {
		docs = append(docs, compactDoc(i))
	}
	putChunks(t, ix, docs, 30)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ix.CompactWritten(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("CompactWritten with a cancelled context = %v, want context.Canceled", err)
	}
	r, err := ix.Search(context.Background(), Query{Text: "oil"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 300 {
		t.Errorf("after a cancelled compaction, %d hits for oil, want 300", r.Total)
	}
}
