package index

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDocValuesAfterMerges: every document's facet, facet_terms and day
// doc values are its own after the index was written in many batches,
// rewritten in part
// (new copy groups, as an incremental ingest gives) and merged into one
// segment per shard. With bleve's SkipDVCompression alone, zapx's merge
// gave documents the values of others (see docvalues.go).
func TestDocValuesAfterMerges(t *testing.T) {
	ix, err := OpenShards(filepath.Join(t.TempDir(), "index"), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	doc := func(i, round int) Doc {
		d := Doc{
			ID: fmt.Sprintf("a%04d", i), Title: "Copper", Source: fmt.Sprintf("wire-%d", i%3),
			Text:        fmt.Sprintf("Report number %d: copper rose %d%% on the day.", i, i%7),
			Commodities: []string{fmt.Sprintf("metal-%d", i%11)},
			CopyGroup:   fmt.Sprintf("g%04d", i/(5+round)*(5+round)),
		}
		if i%4 != 0 {
			d.Published = fmt.Sprintf("2024-%02d-%02d", 1+i%12, 1+i%28)
		}
		return d
	}
	want := map[string]Doc{}
	for round := range 2 {
		var docs []Doc
		for i := range 2500 {
			if round == 1 && i%3 != 0 {
				continue // the second round rewrites a third of them
			}
			d := doc(i, round)
			docs = append(docs, d)
			want[d.ID] = d
		}
		for chunk := range slices.Chunk(docs, 100) {
			if err := ix.Put(chunk); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := ix.Compact(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, s := range ix.shards {
		adv, err := s.Advanced()
		if err != nil {
			t.Fatal(err)
		}
		r, err := adv.Reader()
		if err != nil {
			t.Fatal(err)
		}
		dvr, err := r.DocValueReader([]string{fieldFacet, fieldFacetTerms, fieldDay})
		if err != nil {
			t.Fatal(err)
		}
		for id, d := range want {
			if shardOf(id, len(ix.shards)) != slices.Index(ix.shards, s) {
				continue
			}
			iid, err := r.InternalID(id)
			if err != nil || iid == nil {
				t.Fatalf("%s: internal id: %v", id, err)
			}
			var facet, terms, day []string
			err = dvr.VisitDocValues(iid, func(field string, term []byte) {
				switch field {
				case fieldFacet:
					facet = append(facet, string(term))
				case fieldFacetTerms:
					terms = append(terms, string(term))
				case fieldDay:
					day = append(day, string(term))
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			var wantDay []string
			if d.Published != "" {
				wantDay = []string{d.Published}
			}
			if diff := cmp.Diff(keyTerms(d, facetTerms(d)), facet); diff != "" {
				t.Errorf("%s: facet doc values (-want +got):\n%s", id, diff)
			}
			if diff := cmp.Diff(facetTerms(d), terms); diff != "" {
				t.Errorf("%s: facet_terms doc values (-want +got):\n%s", id, diff)
			}
			if diff := cmp.Diff(wantDay, day); diff != "" {
				t.Errorf("%s: day doc values (-want +got):\n%s", id, diff)
			}
		}
		r.Close()
	}
}
