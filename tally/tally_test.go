package tally

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
)

func TestEntities(t *testing.T) {
	arts := []trawl.Article{
		{ID: "b", Mentions: []trawl.Mention{
			{Type: trawl.Organization, Text: "World Bank"},
			{Type: trawl.Location, Text: "Geneva"},
			{Type: trawl.Commodity, Text: "Rare earths", Value: "rare-earths", Category: "minerals"},
		}},
		{ID: "a", Mentions: []trawl.Mention{
			{Type: trawl.Organization, Text: "the World Bank"},
			{Type: trawl.Organization, Text: "World  Bank"},
			{Type: trawl.Person, Text: "Ajay Banga", Entity: "ajay-banga"},
			{Type: trawl.Commodity, Text: "rare earth", Value: "rare-earths", Category: "minerals"},
		}},
	}
	c := NewCollector()
	for _, a := range arts {
		c.Add(a)
	}
	want := []Entity{
		{ID: "org/world-bank", Type: trawl.Organization, Name: "World Bank", Mentions: 3, Variants: []string{"World Bank", "the World Bank"}, Articles: []string{"a", "b"}},
	}
	if diff := cmp.Diff(want, c.Entities(trawl.Organization)); diff != "" {
		t.Errorf("organisations (-want +got):\n%s", diff)
	}
	got, ok := c.Find("rare-earths")
	wantC := Entity{ID: "rare-earths", Type: trawl.Commodity, Name: "rare earths", Category: "minerals", HS: "2805", Mentions: 2, Variants: []string{"rare earth", "rare earths"}, Articles: []string{"a", "b"}}
	if diff := cmp.Diff(wantC, got); !ok || diff != "" {
		t.Errorf("Find(rare-earths) ok=%v (-want +got):\n%s", ok, diff)
	}
	if _, ok := c.Find("place/geneva"); !ok {
		t.Errorf("Find(place/geneva) found nothing")
	}
	if n := len(c.Entities()); n != 3 {
		t.Errorf("Entities() = %d entities, want 3 (one organisation, one place, one commodity)", n)
	}
}
