package index

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCopiesAreOneHit: three copies of one wire story (group "wire/a") are
// one hit, the best-ranked, with the others as "also published by"; a
// different story stays a hit of its own, and paging counts stories.
func TestCopiesAreOneHit(t *testing.T) {
	ix, err := Open(t.TempDir() + "/index.bleve")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	story := "The harbour authority said container traffic fell by a fifth as crane operators stayed away."
	docs := []Doc{
		{ID: "wire/a", Title: "Harbour traffic falls", Source: "Wire", Published: "2025-03-04", Text: story, CopyGroup: "wire/a"},
		{ID: "daily/b", Title: "Harbour traffic falls a fifth", Source: "Daily", Published: "2025-03-04", Text: "By a staff writer. " + story, CopyGroup: "wire/a"},
		{ID: "post/c", Title: "Traffic falls at the harbour", Source: "Post", Published: "2025-03-05", Text: story + " The union declined to comment.", CopyGroup: "wire/a"},
		{ID: "gazette/d", Title: "Crane operators vote", Source: "Gazette", Text: "Crane operators at the harbour voted to return to night shifts."},
	}
	if err := ix.Put(docs); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), Query{Text: "harbour", Sort: SortDate})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"post/c", "gazette/d"}, hitIDs(res)); diff != "" {
		t.Errorf("hits (-want +got):\n%s", diff)
	}
	want := []Copy{
		{ID: "daily/b", Title: "Harbour traffic falls a fifth", Source: "Daily", Published: "2025-03-04"},
		{ID: "wire/a", Title: "Harbour traffic falls", Source: "Wire", Published: "2025-03-04"},
	}
	if diff := cmp.Diff(want, res.Hits[0].AlsoPublished); diff != "" {
		t.Errorf("also published (-want +got):\n%s", diff)
	}
	if res.Hits[0].Snippet == "" {
		t.Error("the folded hit has no snippet")
	}
	// A copy that alone matches still brings its group's other copies.
	res, err = ix.Search(context.Background(), Query{Text: "union"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].ID != "post/c" || len(res.Hits[0].AlsoPublished) != 2 {
		t.Errorf("search for a word of one copy = %+v, want post/c with 2 copies", res.Hits)
	}
	// The second page of one hit a page is the other story, not a copy.
	res, err = ix.Search(context.Background(), Query{Text: "harbour", Sort: SortDate, Limit: 1, Offset: 1})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"gazette/d"}, hitIDs(res)); diff != "" {
		t.Errorf("page 2 (-want +got):\n%s", diff)
	}
}
