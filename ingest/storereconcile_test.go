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
	// The entity each PERSON mention is assigned to, as the store gives
	// its articles back, is the one Reconcile assigned in memory.
	people := func(a trawl.Article) []string {
		var ids []string
		for _, m := range a.Mentions {
			if m.Type == trawl.Person {
				ids = append(ids, m.Entity)
			}
		}
		return ids
	}
	assigned := 0
	for _, a := range arts {
		stored, ok, err := s.Article(a.ID)
		if err != nil || !ok {
			t.Fatalf("article %s: stored %v, %v", a.ID, ok, err)
		}
		if diff := cmp.Diff(people(a), people(stored), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("entities of the PERSON mentions of %s (-in memory +store):\n%s", a.ID, diff)
		}
		assigned += len(people(a))
	}
	if assigned == 0 {
		t.Fatal("the samples have no PERSON mention: the assignments are not checked")
	}
}
