package store

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/extract"
	"github.com/trawlnews/trawl/reconcile"
)

// TestThinArticlesReconcileAlike checks that reconciling the thinned
// articles refresh keeps in memory gives the same entities and
// discrepancies, evidence offsets included, as reconciling the full ones.
func TestThinArticlesReconcileAlike(t *testing.T) {
	files, _, err := corpus.Walk(context.Background(), "../testdata/articles", corpus.Options{})
	if err != nil || len(files) == 0 {
		t.Fatalf("sample articles: %d files, %v", len(files), err)
	}
	x := extract.New(extract.Options{})
	var full, thin []trawl.Article
	segs := map[string][]textSegment{}
	for _, f := range files {
		arts, _, err := corpus.Read(f, corpus.Options{})
		if err != nil {
			continue
		}
		for _, a := range arts {
			x.Extract(&a)
			full = append(full, a)
			ta, sg := thinArticle(a)
			if len(ta.Text) >= len(a.Text) && len(a.Text) > 2000 {
				t.Errorf("%s: thin text %d bytes, full %d: nothing was left out", a.ID, len(ta.Text), len(a.Text))
			}
			thin = append(thin, ta)
			segs[a.ID] = sg
		}
	}
	want, err := reconcile.Reconcile(t.Context(), full, reconcile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := reconcile.Reconcile(t.Context(), thin, reconcile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mapEvidence(got.Discrepancies, segs)
	if len(want.Discrepancies) == 0 {
		t.Fatal("the samples give no discrepancy: the test checks nothing")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reconcile of thinned articles differs (-full +thin):\n%s", diff)
	}
}
