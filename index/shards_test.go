package index

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// manyDocs are n generated articles with overlapping words, people,
// commodities, sources and dates, enough for every shard to hold many and
// for the terms' frequencies to differ from shard to shard.
func manyDocs(n int) []Doc {
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("tariffs steel exports talks market prices oil wheat inflation bank rates trade deal " +
		"minister growth shares profit strike court election harvest drought copper mine port shipping")
	people := seedDocs()[1].People
	commodities := [][2]string{{"steel", "metals"}, {"oil", "energy"}, {"wheat", "agriculture"}, {"copper", "metals"}}
	sources := []string{"Trade Wire", "Farm News", "Supply Chain Report"}
	docs := make([]Doc, n)
	for i := range docs {
		var text []string
		for range 20 + r.IntN(60) {
			// One word in ten is a news word; the others are filler,
			// so that a news word is in a fifth of the articles.
			if r.IntN(10) == 0 {
				text = append(text, words[r.IntN(len(words))])
			} else {
				text = append(text, fmt.Sprintf("w%03d", r.IntN(300)))
			}
		}
		c := commodities[r.IntN(len(commodities))]
		docs[i] = Doc{
			ID:                  fmt.Sprintf("gen/%04d", i),
			Title:               strings.Join(text[:8], " "),
			Text:                strings.Join(text, " ") + ".",
			Source:              sources[r.IntN(len(sources))],
			Published:           fmt.Sprintf("2025-%02d-%02d", 1+r.IntN(12), 1+r.IntN(28)),
			People:              people[:r.IntN(len(people)+1)],
			Commodities:         []string{c[0]},
			CommodityCategories: []string{c[1]},
		}
	}
	return docs
}

// TestShardedSearchMatchesOneIndex checks what a user of a sharded index
// sees against one index of the same articles: the same number of hits, the
// same articles, the same facet counts, and the same order wherever the
// order is not by relevance (dates, filters alone). Relevance scores differ
// a little, because bleve scores a term within each shard (see
// docs/performance.md for the measured agreement of the top hits).
func TestShardedSearchMatchesOneIndex(t *testing.T) {
	docs := append(seedDocs(), manyDocs(400)...)
	open := func(n int) *Index {
		ix, err := OpenShards(t.TempDir()+"/index.bleve", n)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		if err := ix.Put(docs); err != nil {
			t.Fatal(err)
		}
		return ix
	}
	one, four := open(1), open(4)
	if got := len(four.shards); got != 4 {
		t.Fatalf("%d shards, want 4", got)
	}
	for i, s := range four.shards {
		if n, _ := s.DocCount(); n == 0 {
			t.Errorf("shard %d holds no document: routing does not spread", i)
		}
	}
	queries := []struct {
		q       Query
		byScore bool
	}{
		{Query{Text: "tariffs", Limit: MaxLimit}, true},
		{Query{Text: "+copper +strike", Limit: MaxLimit}, true},
		{Query{Text: `"critical minerals"`, Limit: MaxLimit}, true},
		{Query{Text: "title:minister", Limit: MaxLimit}, true},
		{Query{Text: "oil -prices", Sort: SortDate, Limit: 30}, false},
		{Query{Text: "market", Sort: SortDate, Offset: 20, Limit: 10}, false},
		{Query{Text: "wheat", Sort: SortDate, Sources: []string{"Farm News"}, From: "2025-03-01", To: "2025-09-30"}, false},
		{Query{Commodities: []string{"metals"}, Limit: 40}, false},
		{Query{}, false},
	}
	byID := func(r *Results) *Results {
		c := *r
		c.Hits = slices.Clone(r.Hits)
		slices.SortFunc(c.Hits, func(a, b Hit) int { return strings.Compare(a.ID, b.ID) })
		return &c
	}
	for _, tt := range queries {
		want, err := one.Search(context.Background(), tt.q)
		if err != nil {
			t.Fatalf("one index, %+v: %v", tt.q, err)
		}
		got, err := four.Search(context.Background(), tt.q)
		if err != nil {
			t.Fatalf("four shards, %+v: %v", tt.q, err)
		}
		if want.Total == 0 {
			t.Errorf("%+v finds nothing: the query does not test anything", tt.q)
		}
		opts := cmp.Options{cmpopts.IgnoreFields(Results{}, "Took"), cmpopts.IgnoreFields(Hit{}, "Score")}
		if tt.byScore {
			if want.Total > uint64(len(want.Hits)) {
				t.Fatalf("%+v: %d of %d hits; the comparison needs them all", tt.q, len(want.Hits), want.Total)
			}
			if !slices.IsSortedFunc(got.Hits, func(a, b Hit) int {
				if b.Score < a.Score {
					return -1
				}
				if b.Score > a.Score {
					return 1
				}
				return 0
			}) {
				t.Errorf("%+v: sharded hits are not in score order", tt.q)
			}
			want, got = byID(want), byID(got)
		}
		if diff := cmp.Diff(want, got, opts); diff != "" {
			t.Errorf("search %+v, one index vs four shards (-want +got):\n%s", tt.q, diff)
		}
	}
	if n, err := four.Count(); err != nil || n != uint64(len(docs)) {
		t.Errorf("Count = %d, %v; want %d", n, err, len(docs))
	}
}

// TestShardCountIsFixedAtCreation checks that an index reopened on a machine
// with another number of cores keeps its shards, so a re-ingest replaces a
// document instead of adding a second copy in another shard.
func TestShardCountIsFixedAtCreation(t *testing.T) {
	path := t.TempDir() + "/index.bleve"
	ix, err := OpenShards(path, 3)
	if err != nil {
		t.Fatal(err)
	}
	docs := seedDocs()
	if err := ix.Put(docs); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix, err = OpenShards(path, 5)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if len(ix.shards) != 3 {
		t.Errorf("reopened with %d shards, want the 3 it was created with", len(ix.shards))
	}
	if err := ix.Put(docs); err != nil {
		t.Fatal(err)
	}
	if n, err := ix.Count(); err != nil || n != uint64(len(docs)) {
		t.Errorf("after re-indexing the same articles Count = %d, %v; want %d", n, err, len(docs))
	}
	if err := ix.Delete([]string{docs[0].ID}); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); n != uint64(len(docs)-1) {
		t.Errorf("after deleting one article Count = %d, want %d", n, len(docs)-1)
	}
}

// TestSingleIndexLayoutIsIncompatible checks that an index written before
// shards is reported as one to rebuild, not opened half-way.
func TestSingleIndexLayoutIsIncompatible(t *testing.T) {
	path := t.TempDir() + "/index.bleve"
	old, err := bleve.New(path, bleve.NewIndexMapping())
	if err != nil {
		t.Fatal(err)
	}
	old.Close()
	for name, open := range map[string]func(string) (*Index, error){"Open": Open, "OpenReadOnly": OpenReadOnly} {
		if ix, err := open(path); !errors.Is(err, ErrIncompatible) {
			if ix != nil {
				ix.Close()
			}
			t.Errorf("%s of a single-index layout: %v, want ErrIncompatible", name, err)
		}
	}
	if err := Check(path); !errors.Is(err, ErrIncompatible) {
		t.Errorf("Check of a single-index layout: %v, want ErrIncompatible", err)
	}
}
