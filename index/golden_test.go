package index

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/internal/golden"
)

// goldenDocs is a fixed corpus of stories published several times, as a
// newsroom archive has them: each copy rotates the story's sentences (as
// grow.sh does), and some copies differ in a sentence, their source or
// their people, so that copies of one story do not all match a query or
// share their facets.
func goldenDocs() []Doc {
	r := rand.New(rand.NewPCG(15, 2026))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	subjects := []string{"The central bank", "Oil producers", "The finance minister", "Traders", "The government", "Analysts", "Wheat farmers", "The steel industry"}
	verbs := []string{"said", "warned", "expected", "reported", "denied", "confirmed"}
	objects := []string{"that interest rates would rise", "higher oil prices", "a fall in interest on deposits", "the market would recover",
		"rates of interest near record lows", "lower crude oil output", "a rise in wheat prices", "steel tariffs", "that the market was calm",
		"gold prices at a high", "interest rates unchanged", "oil and gas exports"}
	sources := []string{"Reuters", "BBC", "AP", "AFP"}
	people := []Person{
		{ID: "tony-blair", Canonical: "Tony Blair", Variants: []string{"Tony Blair", "Blair"}},
		{ID: "gordon-brown", Canonical: "Gordon Brown", Variants: []string{"Gordon Brown"}},
		{ID: "alan-greenspan", Canonical: "Alan Greenspan", Variants: []string{"Alan Greenspan", "Greenspan"}},
		{ID: "james-baker", Canonical: "James Baker", Variants: []string{"James Baker"}},
	}
	commodities := [][2]string{{"oil", "energy"}, {"wheat", "agriculture"}, {"steel", "metals"}, {"gold", "metals"}}
	orgs := []Named{{Key: "bank of england", Name: "Bank of England"}, {Key: "opec", Name: "OPEC"}, {Key: "federal reserve", Name: "Federal Reserve"}}
	places := []Named{{Key: "london", Name: "London"}, {Key: "washington", Name: "Washington"}, {Key: "tokyo", Name: "Tokyo"}}

	var docs []Doc
	for s := range 60 {
		title := fmt.Sprintf("%s %s %s", pick(subjects), pick(verbs), pick(objects))
		var sentences []string
		for range 3 + r.IntN(5) {
			sentences = append(sentences, fmt.Sprintf("%s %s %s.", pick(subjects), pick(verbs), pick(objects)))
		}
		base := Doc{Title: title, Source: pick(sources)}
		if r.IntN(4) > 0 {
			base.Published = fmt.Sprintf("1987-%02d-%02d", 1+r.IntN(12), 1+r.IntN(28))
		}
		for _, i := range r.Perm(len(people))[:r.IntN(3)] {
			base.People = append(base.People, people[i])
		}
		slices.SortFunc(base.People, func(a, b Person) int { return strings.Compare(a.ID, b.ID) })
		if r.IntN(3) > 0 {
			c := commodities[r.IntN(len(commodities))]
			base.Commodities, base.CommodityCategories = []string{c[0]}, []string{c[1]}
		}
		if r.IntN(2) == 0 {
			base.Organizations = []Named{orgs[r.IntN(len(orgs))]}
		}
		if r.IntN(2) == 0 {
			base.Places = []Named{places[r.IntN(len(places))]}
		}
		copies := 1 + r.IntN(8)
		for k := range copies {
			d := base
			d.ID = fmt.Sprintf("s%02d-c%d", s, k)
			body := slices.Clone(sentences)
			rot := k % len(body)
			body = append(body[rot:], body[:rot]...)
			switch r.IntN(6) {
			case 0: // rewritten in part
				body[r.IntN(len(body))] = fmt.Sprintf("%s %s %s.", pick(subjects), pick(verbs), pick(objects))
			case 1: // another source
				d.Source = pick(sources)
			case 2: // another person named
				d.People = append(slices.Clone(d.People), people[r.IntN(len(people))])
				slices.SortFunc(d.People, func(a, b Person) int { return strings.Compare(a.ID, b.ID) })
				d.People = slices.CompactFunc(d.People, func(a, b Person) bool { return a.ID == b.ID })
			}
			d.Text = strings.Join(body, "\n")
			if copies > 1 {
				d.CopyGroup = fmt.Sprintf("s%02d", s)
			}
			docs = append(docs, d)
		}
	}
	return docs
}

// TestSearchGolden: the hits (ids, order, scores, snippets, copies),
// totals and facets of searches on a fixed corpus of copied stories, in
// two shards, are those of the golden file. It was written by the code
// that visited every hit's facet terms; a change of how a search collects
// its hits that changes what a user sees shows in its diff.
func TestSearchGolden(t *testing.T) {
	ix, err := OpenShards(filepath.Join(t.TempDir(), "index"), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	docs := goldenDocs()
	for chunk := range slices.Chunk(docs, 50) {
		if err := ix.Put(chunk); err != nil {
			t.Fatal(err)
		}
	}
	var ents []trawl.Entity
	for _, p := range []Person{
		{ID: "tony-blair", Canonical: "Tony Blair", Variants: []string{"Tony Blair", "Blair"}},
		{ID: "gordon-brown", Canonical: "Gordon Brown", Variants: []string{"Gordon Brown"}},
		{ID: "alan-greenspan", Canonical: "Alan Greenspan", Variants: []string{"Alan Greenspan", "Greenspan"}},
		{ID: "james-baker", Canonical: "James Baker", Variants: []string{"James Baker"}},
	} {
		e := trawl.Entity{ID: p.ID, Type: trawl.Person, Canonical: p.Canonical}
		for _, v := range p.Variants {
			e.Variants = append(e.Variants, trawl.Variant{Name: v})
		}
		ents = append(ents, e)
	}
	setPeople(t, ix, ents)
	queries := []Query{
		{Text: "oil"},
		{Text: "oil", Offset: 10},
		{Text: "oil", Sort: SortDate},
		{Text: `"interest rates"`},
		{Text: `"interest rates"`, Sort: SortDate, Limit: 5, Offset: 5},
		{Text: "interest rates"},
		{Text: "market", People: []string{"Tony Blair"}},
		{Text: "prices", From: "1987-03-01", To: "1987-09-30", Commodities: []string{"energy"}},
		{Text: "Greenspan"},
		{Text: "oil OR gold"},
		{Text: "oil -crude"},
		{Text: "rates", Organizations: []string{"Bank of England"}},
		{Text: "gold", Places: []string{"London"}},
		{Text: "", Sort: SortDate, Offset: 20},
		{Text: "", Sources: []string{"BBC", "AP"}},
		{Text: "the", People: []string{"Tony Blair"}},
		{Text: `"rates of interest"`},
		{Text: `"interest rates" OR oil`, People: []string{"Gordon Brown"}, Sort: SortDate},
		{Text: "oil", From: "1987-06-01", Offset: 5},
	}
	var out strings.Builder
	for _, q := range queries {
		r, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatalf("search %+v: %v", q, err)
		}
		r.Took = 0
		js, err := json.MarshalIndent(map[string]any{"query": q, "results": r}, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		out.Write(js)
		out.WriteByte('\n')
	}
	golden.Check(t, filepath.Join("testdata", "search.golden.json"), []byte(out.String()))
}
