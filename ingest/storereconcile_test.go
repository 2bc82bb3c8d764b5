package ingest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/extract"
	"github.com/trawlnews/trawl/reconcile"
	"github.com/trawlnews/trawl/store"
)

// TestStoreReconcilesAsInMemory checks that a store's refresh, which
// reconciles the articles read back from bbolt thinned to what
// reconciliation reads, finds the entities and discrepancies (evidence
// sentences and offsets included) that reconciling the full articles in
// memory finds.
func TestStoreReconcilesAsInMemory(t *testing.T) {
	const root = "../testdata/articles"
	s, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := Run(t.Context(), s, []string{root}, Options{}); err != nil {
		t.Fatal(err)
	}
	gotEntities, err := s.Entities()
	if err != nil {
		t.Fatal(err)
	}
	gotDiscs, err := s.Discrepancies()
	if err != nil {
		t.Fatal(err)
	}

	files, _, err := corpus.Walk(context.Background(), root, corpus.Options{})
	if err != nil || len(files) == 0 {
		t.Fatalf("sample articles: %d files, %v", len(files), err)
	}
	var arts []trawl.Article
	for _, f := range files {
		as, _, err := corpus.Read(f, corpus.Options{})
		if err != nil {
			continue
		}
		arts = append(arts, as...)
	}
	x := extract.New(extract.Options{})
	for i := range arts {
		x.Extract(&arts[i])
	}
	MarkCopies(arts)
	want, err := reconcile.Reconcile(t.Context(), arts, reconcile.Options{Decisions: &reconcile.Decisions{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Discrepancies) == 0 {
		t.Fatal("the samples give no discrepancy: the test checks nothing")
	}
	if diff := cmp.Diff(want.Entities, gotEntities, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("entities of the store (-in memory +store):\n%s", diff)
	}
	if diff := cmp.Diff(want.Discrepancies, gotDiscs, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("discrepancies of the store (-in memory +store):\n%s", diff)
	}
}
