package index

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
)

// TestOrgPlaceFilters checks that --org and --place keep the articles that
// name the organisation or place, whatever its spelling.
func TestOrgPlaceFilters(t *testing.T) {
	ix, _ := newTestIndex(t)
	for _, tc := range []struct {
		q    Query
		want []string
	}{
		{Query{Places: []string{"Washington"}}, []string{"seed/000", "seed/001"}},
		{Query{Places: []string{"london"}}, []string{"seed/001"}},
		{Query{Places: []string{"Washington", "London"}}, []string{"seed/001"}},
		{Query{Organizations: []string{"the U.S. Treasury"}}, []string{"seed/000"}},
		{Query{Organizations: []string{"u-s-treasury"}, Text: "Bessent"}, []string{"seed/000"}},
		{Query{Organizations: []string{"Nobody Inc"}}, nil},
	} {
		var got []string
		if err := ix.Each(context.Background(), tc.q, func(h Hit) error {
			got = append(got, h.ID)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%+v (-want +got):\n%s", tc.q, diff)
		}
	}
}

// TestEachPassesThePageCap checks that Each streams every hit, past the
// page size of a search.
func TestEachPassesThePageCap(t *testing.T) {
	ix, err := Open(t.TempDir() + "/index.bleve")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var docs []Doc
	for i := range 2*MaxLimit + 7 {
		docs = append(docs, Doc{ID: string(rune('a'+i%26)) + string(rune('a'+i/26)), Text: "copper"})
	}
	if err := ix.Put(docs); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	if err := ix.Each(context.Background(), Query{Text: "copper"}, func(h Hit) error {
		seen[h.ID] = true
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != len(docs) {
		t.Errorf("Each gave %d distinct hits, want %d", len(seen), len(docs))
	}
}

// TestBatch checks that a batch gives one result per query, in order, and
// that a query the index cannot parse is reported in its row.
func TestBatch(t *testing.T) {
	ix, _ := newTestIndex(t)
	rs, err := ix.Batch(context.Background(), ReadBatch("Bessent\n\n# a comment\nsoybean\nzzzz\n\"oil\n"), Query{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Query string
		Total uint64
		Best  int
		Bad   bool
	}
	var got []row
	for _, r := range rs {
		got = append(got, row{r.Query, r.Total, len(r.Best), r.Error != ""})
	}
	want := []row{{"Bessent", 3, 1, false}, {"soybean", 1, 1, false}, {"zzzz", 0, 0, false}, {`"oil`, 0, 0, true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Batch (-want +got):\n%s", diff)
	}
}

// TestDocOfNamesOrgsAndPlaces checks that ORGANIZATION and LOCATION
// mentions become the document's organisations and places, one per key.
func TestDocOfNamesOrgsAndPlaces(t *testing.T) {
	a := trawl.Article{ID: "a", Text: "x", Mentions: []trawl.Mention{
		{Type: trawl.Organization, Text: "the World Bank"},
		{Type: trawl.Location, Text: "Geneva"},
		{Type: trawl.Organization, Text: "World  Bank"},
		{Type: trawl.Organization, Text: "IMF"},
	}}
	d := DocOf(a, nil)
	want := []Named{{Key: "imf", Name: "IMF"}, {Key: "world-bank", Name: "the World Bank"}}
	if diff := cmp.Diff(want, d.Organizations); diff != "" {
		t.Errorf("organizations (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Named{{Key: "geneva", Name: "Geneva"}}, d.Places); diff != "" {
		t.Errorf("places (-want +got):\n%s", diff)
	}
}

// TestDocOfMentionedCommodities checks that the commodity filter's terms are
// every commodity the article mentions, with its parents, while the
// commodities it is about stay the ranked list of the article: "tariffs on
// imported steel and aluminum" is found under steel though the article is
// ranked as being about aluminium.
func TestDocOfMentionedCommodities(t *testing.T) {
	a := trawl.Article{ID: "a", Text: "x", Commodities: []string{"aluminium", "base-metals"}, Mentions: []trawl.Mention{
		{Type: trawl.Commodity, Text: "steel", Value: "steel", Category: "metals"},
		{Type: trawl.Commodity, Text: "aluminum", Value: "aluminium", Category: "metals", Parents: []string{"base-metals"}},
		{Type: trawl.Commodity, Text: "wheat", Value: "wheat", Category: "agriculture", Parents: []string{"grain"}},
	}}
	d := DocOf(a, nil)
	got := struct{ About, Mentioned, Categories []string }{d.Commodities, d.Mentioned, d.CommodityCategories}
	want := struct{ About, Mentioned, Categories []string }{
		About:      []string{"aluminium", "base-metals"},
		Mentioned:  []string{"aluminium", "base-metals", "grain", "steel", "wheat"},
		Categories: []string{"agriculture", "metals"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DocOf commodities (-want +got):\n%s", diff)
	}
}
