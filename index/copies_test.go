package index

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
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

// TestFoldingAcrossShards: with many copies of each story spread over
// several shards, every page of a search by date is the stories in order,
// each shown by its newest copy, with every other copy listed once, and the
// total and facets still count every copy; one shard and three agree.
func TestFoldingAcrossShards(t *testing.T) {
	var docs []Doc
	others := map[string]int{} // article id -> number of its copies
	day := 0
	for s := range 12 {
		copies := 1 + s%5 // stories of 1 to 5 copies; a story of one has no group
		group := ""
		if copies > 1 {
			group = fmt.Sprintf("story%02d/c0", s)
		}
		for c := range copies {
			day++
			docs = append(docs, Doc{
				ID:        fmt.Sprintf("story%02d/c%d", s, c),
				Title:     fmt.Sprintf("Story %d", s),
				Source:    fmt.Sprintf("Outlet %d", c),
				Published: fmt.Sprintf("2025-%02d-%02d", 1+day/28, 1+day%28),
				Text:      "The harbour reopened after the strike.",
				CopyGroup: group,
			})
			others[docs[len(docs)-1].ID] = copies - 1
		}
	}
	// want: stories newest copy first, as folding after the fact gives.
	byDate := slices.Clone(docs)
	slices.SortFunc(byDate, func(a, b Doc) int { return strings.Compare(b.Published, a.Published) })
	var wantIDs []string
	seen := map[string]bool{}
	for _, d := range byDate {
		if d.CopyGroup != "" && seen[d.CopyGroup] {
			continue
		}
		seen[d.CopyGroup] = true
		wantIDs = append(wantIDs, d.ID)
	}
	for _, n := range []int{1, 3} {
		ix, err := OpenShards(filepath.Join(t.TempDir(), "index"), n)
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		if err := ix.Put(docs); err != nil {
			t.Fatal(err)
		}
		for _, text := range []string{"", "harbour"} {
			var got []string
			for off := 0; off < len(wantIDs)+3; off += 4 {
				res, err := ix.Search(context.Background(), Query{Text: text, Sort: SortDate, Limit: 4, Offset: off})
				if err != nil {
					t.Fatal(err)
				}
				if res.Total != uint64(len(docs)) {
					t.Errorf("%d shards, %q: total %d, want every copy, %d", n, text, res.Total, len(docs))
				}
				if c := res.Facets["source"][0]; c.Term != "Outlet 0" || c.Count != 12 {
					t.Errorf("%d shards, %q: source facet %v, want Outlet 0 counted 12 times", n, text, res.Facets["source"])
				}
				for _, h := range res.Hits {
					got = append(got, h.ID)
					if want := others[h.ID]; len(h.AlsoPublished) != want {
						t.Errorf("%d shards, %q: %s has %d copies, want %d", n, text, h.ID, len(h.AlsoPublished), want)
					}
				}
			}
			if diff := cmp.Diff(wantIDs, got); diff != "" {
				t.Errorf("%d shards, %q: pages (-want +got):\n%s", n, text, diff)
			}
		}
	}
}

// TestFacetsOf: the facets of a search's term counts are, for each prefix,
// the ten most frequent terms by count then term, and every month in order,
// as a full sort of the counts gives them.
func TestFacetsOf(t *testing.T) {
	counts := map[string]int{}
	want := map[string][]FacetCount{}
	for _, fp := range facetPrefixes {
		var all []FacetCount
		for i := range 40 {
			n := (i*7)%13 + 1 // counts with ties
			term := fmt.Sprintf("t%02d", (i*17)%40)
			counts[fp.prefix+term] = n
			all = append(all, FacetCount{Term: term, Count: n})
		}
		if fp.name == "published" {
			slices.SortFunc(all, func(a, b FacetCount) int { return strings.Compare(a.Term, b.Term) })
			want[fp.name] = all
			continue
		}
		slices.SortFunc(all, func(a, b FacetCount) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Term, b.Term)
		})
		want[fp.name] = all[:facetSize]
	}
	if diff := cmp.Diff(want, facetsOf(counts)); diff != "" {
		t.Errorf("facetsOf (-want +got):\n%s", diff)
	}
}

// TestFoldingAfterRegrouping: articles indexed in several batches and then
// indexed again in new copy groups, as an incremental ingest does when new
// copies arrive, fold by their new groups.
func TestFoldingAfterRegrouping(t *testing.T) {
	ix, err := OpenShards(filepath.Join(t.TempDir(), "index"), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	doc := func(i int, group string) Doc {
		return Doc{
			ID: fmt.Sprintf("a%03d", i), Title: "Copper", Source: "Wire",
			Text:      fmt.Sprintf("Report number %d: copper rose %d%% on the day.", i, i%7),
			CopyGroup: group,
		}
	}
	// First three groups of 40, in batches of 30; then two groups of 60.
	var first, second []Doc
	for i := range 120 {
		first = append(first, doc(i, fmt.Sprintf("a%03d", i/40*40)))
		second = append(second, doc(i, fmt.Sprintf("a%03d", i/60*60)))
	}
	for _, docs := range [][]Doc{first, second} {
		for chunk := range slices.Chunk(docs, 30) {
			if err := ix.Put(chunk); err != nil {
				t.Fatal(err)
			}
		}
	}
	res, err := ix.Search(context.Background(), Query{Text: "copper", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var groups []string
	for _, h := range res.Hits {
		groups = append(groups, h.CopyGroup)
		if len(h.AlsoPublished) != maxCopies {
			t.Errorf("%s lists %d copies, want %d", h.ID, len(h.AlsoPublished), maxCopies)
		}
	}
	slices.Sort(groups)
	if diff := cmp.Diff([]string{"a000", "a060"}, groups); diff != "" {
		t.Errorf("groups of the hits (-want +got):\n%s", diff)
	}
	if res.Total != 120 {
		t.Errorf("total %d, want 120", res.Total)
	}
}

// TestCopyTerm: the copy read back from a document's copy term has the
// document's title, source and date, whatever characters they hold.
func TestCopyTerm(t *testing.T) {
	for _, d := range []Doc{
		{ID: "a1", Title: "Copper rises", Source: "Reuters", Published: "1987-03-02"},
		{ID: "a2", Title: `He said "no" \ twice, 5½%`, Source: "BBC News"},
		{ID: "a3", Published: "2004-11-30"},
		{ID: "a4"},
	} {
		term, err := copyTerm(d)
		if err != nil {
			t.Fatal(err)
		}
		got, err := copyOfTerm(d.ID, term)
		if err != nil {
			t.Fatalf("%s: %v", term, err)
		}
		want := Copy{ID: d.ID, Title: d.Title, Source: d.Source, Published: d.Published}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("copyOfTerm(copyTerm(%+v)) (-want +got):\n%s", d, diff)
		}
	}
	if _, err := copyOfTerm("a5", `{"not": "an array"}`); err == nil {
		t.Error("copyOfTerm of a JSON object: no error")
	}
}
