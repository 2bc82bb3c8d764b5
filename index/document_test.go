package index

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	bleveindex "github.com/blevesearch/bleve_index_api"
	"github.com/google/go-cmp/cmp"
)

// TestDocumentsAsBleveMapsThem checks that the documents Put writes
// (bleveDocument: the title and text analysed by indexAnalyzer, keyword
// arrays given as one field) make the index bleve makes of the same fields
// through the mapping alone: the same terms in every field, with the same
// documents, frequencies, norms and term vectors, the same doc values and
// the same stored fields.
func TestDocumentsAsBleveMapsThem(t *testing.T) {
	docs := equivalenceDocs(t)
	build := func(name string, add func(b *bleve.Batch, d Doc) error) bleve.Index {
		t.Helper()
		s, err := bleve.NewUsing(filepath.Join(t.TempDir(), name), indexMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		b := s.NewBatch()
		for _, d := range docs {
			if err := add(b, d); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Batch(b); err != nil {
			t.Fatal(err)
		}
		return s
	}
	want := build("mapping", func(b *bleve.Batch, d Doc) error {
		f, err := docFields(d)
		if err != nil {
			return err
		}
		return b.Index(d.ID, f)
	})
	got := build("put", func(b *bleve.Batch, d Doc) error {
		f, err := docFields(d)
		if err != nil {
			return err
		}
		doc, err := bleveDocument(d.ID, f)
		if err != nil {
			return err
		}
		return b.IndexAdvanced(doc)
	})
	if diff := cmp.Diff(dumpIndex(t, want), dumpIndex(t, got)); diff != "" {
		t.Errorf("index (-bleve's mapping +Put's documents):\n%s", diff)
	}
}

// equivalenceDocs are documents with every field: articles of the
// benchmark corpus when it is there (every 20th, so some with a pound
// sign), with organisations, places, copies and repeated values added,
// and the hand-made documents of the other tests.
func equivalenceDocs(t *testing.T) []Doc {
	t.Helper()
	docs := append(seedDocs(), goldenDocs()...)
	corpus, _, err := benchDocs(1)
	if err != nil {
		t.Logf("benchmark corpus: %v; hand-made documents only", err)
	}
	for i := 0; i < len(corpus); i += 20 {
		d := corpus[i]
		d.Organizations = []Named{{Key: "opec", Name: "OPEC"}, {Key: "reuters", Name: "Reuters"}}
		d.Places = []Named{{Key: "london", Name: "London"}, {Key: fmt.Sprintf("place-%d", i%7), Name: "Somewhere"}}
		d.Mentioned = []string{"oil", "steel", "oil"}
		d.CommodityCategories = append(d.CommodityCategories, "energy", "energy")
		if i%40 == 0 {
			d.CopyGroup = fmt.Sprintf("group-%d", i%3)
		}
		docs = append(docs, d)
	}
	return docs
}

// dumpIndex is everything a search can read from the index s, keyed by
// document id rather than bleve's internal numbers: per field and term, the
// postings with frequency, norm and term vectors; per document, its doc
// values and stored fields.
func dumpIndex(t *testing.T, s bleve.Index) map[string][]string {
	t.Helper()
	adv, err := s.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	fields, err := r.Fields()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, field := range fields {
		dict, err := r.FieldDict(field)
		if err != nil {
			t.Fatal(err)
		}
		for {
			e, err := dict.Next()
			if err != nil {
				t.Fatal(err)
			}
			if e == nil {
				break
			}
			tfr, err := r.TermFieldReader(context.Background(), []byte(e.Term), field, true, true, true)
			if err != nil {
				t.Fatal(err)
			}
			var postings []string
			for {
				p, err := tfr.Next(nil)
				if err != nil {
					t.Fatal(err)
				}
				if p == nil {
					break
				}
				id, err := r.ExternalID(p.ID)
				if err != nil {
					t.Fatal(err)
				}
				s := fmt.Sprintf("%s freq %d norm %v", id, p.Freq, p.Norm)
				for _, v := range p.Vectors {
					s += fmt.Sprintf(" [%s %d %d-%d %v]", v.Field, v.Pos, v.Start, v.End, v.ArrayPositions)
				}
				postings = append(postings, s)
			}
			tfr.Close()
			slices.Sort(postings)
			out["term "+field+" "+e.Term] = postings
		}
		dict.Close()
	}
	dvr, err := r.DocValueReader(fields)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := r.DocIDReaderAll()
	if err != nil {
		t.Fatal(err)
	}
	defer ids.Close()
	for {
		iid, err := ids.Next()
		if err != nil {
			t.Fatal(err)
		}
		if iid == nil {
			break
		}
		id, err := r.ExternalID(iid)
		if err != nil {
			t.Fatal(err)
		}
		var values []string
		if err := dvr.VisitDocValues(iid, func(field string, term []byte) {
			values = append(values, field+"="+string(term))
		}); err != nil {
			t.Fatal(err)
		}
		slices.Sort(values)
		out["docvalues "+id] = values
		doc, err := r.Document(id)
		if err != nil {
			t.Fatal(err)
		}
		var stored []string
		doc.VisitFields(func(f bleveindex.Field) {
			stored = append(stored, fmt.Sprintf("%s %v %q", f.Name(), f.ArrayPositions(), f.Value()))
		})
		slices.Sort(stored)
		out["stored "+id] = stored
	}
	return out
}
