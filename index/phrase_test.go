package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/google/go-cmp/cmp"
)

// phraseDocs are articles of words drawn from a small vocabulary, so that
// phrases occur in them often, more than once, next to their words in the
// other order and with stop words between them.
func phraseDocs(n int) []Doc {
	r := rand.New(rand.NewPCG(7, 2026))
	words := strings.Fields("interest rates rate rise oil prices price of the bank central crude interest rates oil a in and rising")
	sentence := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = words[r.IntN(len(words))]
		}
		return strings.Join(ws, " ")
	}
	docs := make([]Doc, n)
	for i := range docs {
		var body []string
		for range 1 + r.IntN(6) {
			body = append(body, sentence(3+r.IntN(12))+".")
		}
		docs[i] = Doc{ID: fmt.Sprintf("d%04d", i), Title: sentence(2 + r.IntN(5)), Text: strings.Join(body, "\n"), Source: "Wire"}
	}
	return docs
}

// phraseHit is what a search gives of a hit: its id and score, and the
// locations of its matches in each field, in order.
type phraseHit struct {
	ID        string
	Score     float64
	Locations []string
}

// phraseHits runs q on every document of ix, with match locations or
// without, and gives every hit by score, then id.
func phraseHits(t *testing.T, ix *Index, q query.Query, locations bool) []phraseHit {
	t.Helper()
	req := bleve.NewSearchRequestOptions(q, 10000, 0, false)
	req.SortBy([]string{"-_score", "_id"})
	req.IncludeLocations = locations
	sr, err := ix.idx.SearchInContext(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var out []phraseHit
	for _, h := range sr.Hits {
		ph := phraseHit{ID: h.ID, Score: h.Score}
		// Without locations asked for, bleve's phrase searcher gives them
		// anyway, and a search reads none.
		for field, tlm := range h.Locations {
			if !locations {
				break
			}
			for term, locs := range tlm {
				for _, l := range locs {
					ph.Locations = append(ph.Locations, fmt.Sprintf("%s:%s@%d[%d,%d]", field, term, l.Pos, l.Start, l.End))
				}
			}
		}
		slices.Sort(ph.Locations)
		ph.Locations = slices.Compact(ph.Locations)
		out = append(out, ph)
	}
	return out
}

// TestPhraseSearcherAsBleve: phraseQuery finds the documents bleve's
// MatchPhraseQuery finds, with the same scores, alone and as the query
// string builds phrases (text or title, the title boosted), and, with
// match locations asked for (the page's highlights), the same locations.
func TestPhraseSearcherAsBleve(t *testing.T) {
	ix, err := OpenShards(filepath.Join(t.TempDir(), "index"), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// Several batches, so that each shard has several segments.
	for chunk := range slices.Chunk(phraseDocs(1200), 300) {
		if err := ix.Put(chunk); err != nil {
			t.Fatal(err)
		}
	}
	bleveQuery := func(s, field string, boost float64) query.Query {
		q := query.NewMatchPhraseQuery(s)
		q.SetField(field)
		if boost != 1 {
			q.SetBoost(boost)
		}
		return q
	}
	either := func(phrase func(s, field string, boost float64) query.Query, s string) query.Query {
		return query.NewDisjunctionQuery([]query.Query{phrase(s, fieldText, 1), phrase(s, fieldTitle, titleBoost)})
	}
	ours := func(s, field string, boost float64) query.Query { return newPhraseQuery(s, field, boost) }
	matched := 0
	for _, phrase := range []string{
		"interest rates", "rates interest", "interest rate", "oil prices", "crude oil prices",
		"rates of interest", "the bank", "interest interest", "oil and the rising", "central bank of the rates",
		"rising", "no such words",
	} {
		for _, locations := range []bool{false, true} {
			name := fmt.Sprintf("%s/locations=%v", phrase, locations)
			want := phraseHits(t, ix, bleveQuery(phrase, fieldText, 1), locations)
			got := phraseHits(t, ix, ours(phrase, fieldText, 1), locations)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s, text: (-want +got)\n%s", name, diff)
			}
			want = phraseHits(t, ix, either(bleveQuery, phrase), locations)
			got = phraseHits(t, ix, either(ours, phrase), locations)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s, text or title: (-want +got)\n%s", name, diff)
			}
			matched += len(got)
		}
	}
	if matched < 1000 {
		t.Errorf("the phrases matched %d documents in all: too few to compare", matched)
	}
}

// The phrase searcher is a search.Searcher.
var _ search.Searcher = (*phraseSearcher)(nil)

// BenchmarkPhrase measures a search of a two-word phrase in the text or
// the title (as the query string builds it) on 4,000 generated articles in
// two shards, by bleve's MatchPhraseQuery and by phraseQuery, without match
// locations (a search's hits) and with them (its page).
func BenchmarkPhrase(b *testing.B) {
	ix, err := OpenShards(filepath.Join(b.TempDir(), "index"), 2)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	for chunk := range slices.Chunk(phraseDocs(4000), 500) {
		if err := ix.Put(chunk); err != nil {
			b.Fatal(err)
		}
	}
	bleveQuery := func(s, field string, boost float64) query.Query {
		q := query.NewMatchPhraseQuery(s)
		q.SetField(field)
		q.SetBoost(boost)
		return q
	}
	ours := func(s, field string, boost float64) query.Query { return newPhraseQuery(s, field, boost) }
	for _, bc := range []struct {
		name   string
		phrase func(s, field string, boost float64) query.Query
	}{{"bleve", bleveQuery}, {"trawl", ours}} {
		for _, locations := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/locations=%v", bc.name, locations), func(b *testing.B) {
				b.ReportAllocs()
				q := query.NewDisjunctionQuery([]query.Query{bc.phrase("interest rates", fieldText, 1), bc.phrase("interest rates", fieldTitle, titleBoost)})
				req := bleve.NewSearchRequestOptions(q, 10, 0, false)
				req.IncludeLocations = locations
				for b.Loop() {
					if _, err := ix.idx.SearchInContext(context.Background(), req); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
