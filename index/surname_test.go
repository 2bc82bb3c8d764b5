package index

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlnews/trawl"
)

// TestSurnameExpandsThroughItsOwner: a one-word query expands to the people
// whose canonical name has that surname, not to someone else who got the
// surname through a misspelt variant; a surname that no canonical name has
// still expands through the variants.
func TestSurnameExpandsThroughItsOwner(t *testing.T) {
	ix, err := Open(t.TempDir() + "/index.bleve")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	donald := Person{ID: "donald-regan", Canonical: "Donald Regan"}
	ronald := Person{ID: "ronald-reagan", Canonical: "Ronald Reagan"}
	docs := []Doc{
		{ID: "a", Text: "Chief of staff Donald Regan resigned.", People: []Person{withVariants(donald, "Donald Regan")}},
		{ID: "b", Text: "Regan said the budget would pass.", People: []Person{withVariants(donald, "Regan")}},
		{ID: "c", Text: "President Ronald Regan vetoed the bill.", People: []Person{withVariants(ronald, "Ronald Regan")}},
		{ID: "d", Text: "President Ronald Reagan met the Soviet leader.", People: []Person{withVariants(ronald, "Ronald Reagan")}},
	}
	if err := ix.Put(docs); err != nil {
		t.Fatal(err)
	}
	ents := []trawl.Entity{
		{ID: "donald-regan", Type: trawl.Person, Canonical: "Donald Regan", Variants: []trawl.Variant{{Name: "Donald Regan"}, {Name: "Regan"}}},
		{ID: "ronald-reagan", Type: trawl.Person, Canonical: "Ronald Reagan", Variants: []trawl.Variant{{Name: "Ronald Reagan"}, {Name: "Ronald Regan"}}},
	}
	for _, people := range [][]trawl.Entity{nil, ents} {
		setPeople(t, ix, people)
		for _, tt := range []struct {
			q    Query
			want []string
		}{
			// "Regan" in c's text matches as a word, but does not bring in
			// d, Reagan's article, through c's misspelling.
			{Query{Text: "Regan", Sort: SortDate}, []string{"a", "b", "c"}},
			{Query{People: []string{"Regan"}, Sort: SortDate}, []string{"a", "b"}},
			{Query{Text: "Reagan", Sort: SortDate}, []string{"c", "d"}},
			// The full misspelt name names Reagan.
			{Query{Text: "Ronald Regan", Sort: SortDate}, []string{"a", "b", "c", "d"}},
		} {
			r, err := ix.Search(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := hitIDs(r)
			slices.Sort(got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Search(%+v) with %d entities (-want +got):\n%s", tt.q, len(people), diff)
			}
		}
	}
}

func withVariants(p Person, vs ...string) Person { p.Variants = vs; return p }
