package ingest

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
)

// TestExtractReconcilesAcrossArticles checks the store-less path: every
// article is extracted, and a person named in two articles carries the same
// entity id in both.
func TestExtractReconcilesAcrossArticles(t *testing.T) {
	arts := []trawl.Article{
		{ID: "a", Text: "Treasury Secretary Scott Bessent said tariffs on steel rose to 50% on Friday."},
		{ID: "b", Text: "Scott Bessent met Chinese officials in London on Monday."},
	}
	if err := Extract(context.Background(), arts, ExtractOptions{Workers: 2}); err != nil {
		t.Fatal(err)
	}
	ids := map[string][]string{}
	for _, a := range arts {
		for _, m := range a.Mentions {
			if m.Type == trawl.Person {
				ids[a.ID] = append(ids[a.ID], m.Entity)
			}
		}
	}
	if len(ids["a"]) != 1 || len(ids["b"]) != 1 {
		t.Fatalf("people found: %v, want Scott Bessent once in each article", ids)
	}
	if diff := cmp.Diff(ids["a"], ids["b"]); diff != "" {
		t.Errorf("entity ids of Scott Bessent differ between articles (-a +b):\n%s", diff)
	}
}

// TestExtractStopsOnCancel checks that a cancelled context stops Extract
// with the context's error.
func TestExtractStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	arts := []trawl.Article{{ID: "a", Text: "Copper rose 2% on Monday."}}
	if err := Extract(ctx, arts, ExtractOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Extract with a cancelled context = %v, want context.Canceled", err)
	}
}
