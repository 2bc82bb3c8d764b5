package index

import (
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/document"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// A search reads the doc values of the facet field for every hit (the id
// tie-break, the copy group and the key of the facet term set), those of
// the facet_terms field for one hit of each distinct set, those of the
// day field for every hit of a search by date, and those of the copy field
// for every copy a page lists. bleve stores doc values in
// snappy-compressed chunks of 1,024 documents, so reading one hit's values
// decompresses the values of 1,023 others: on the 10x corpus that was half
// the CPU of a search, for 60 hits as much as for 4,590. These columns
// are therefore stored one document per chunk and uncompressed
// (bleve's SkipDVChunking and SkipDVCompression, as its geo fields have
// them), and a hit's values are read in place from the mapped segment.
//
// Both flags, never SkipDVCompression alone: when zapx (v17.2.5) merges
// segments it reads a field with SkipDVCompression as if it also had
// SkipDVChunking (docValueReader.iterateAllDocValues gives a whole chunk's
// values to the document numbered like the chunk), so a merged segment
// without SkipDVChunking gives a document another's values or none. That
// is what made the uncompressed column of mapping trawl-index-8 wrong after
// incremental ingests. TestDocValuesAfterMerges checks every document's
// values after forced merges.
const plainDocValues = bleveindex.SkipDVChunking | bleveindex.SkipDVCompression

// plainDocValueFields are the fields whose doc values are stored per
// document and uncompressed: every field of the mapping with doc values.
var plainDocValueFields = map[string]bool{fieldFacet: true, fieldFacetTerms: true, fieldCopy: true, fieldDay: true}

// keywordAnalyzer is the analyzer of the doc-values fields (keyword: the
// whole value is the term).
var keywordAnalyzer = sync.OnceValue(func() analysis.Analyzer {
	return indexMapping().AnalyzerNamed(keyword.Name)
})

// bleveDocument is the bleve document of fields (docFields of an article)
// under id: fields mapped by the index mapping, as bleve's Batch.Index maps
// them, with the doc values of plainDocValueFields stored per document and
// uncompressed, the title and text analysed by indexAnalyzer and the
// values of a keyword array in one field (keywordValues).
func bleveDocument(id string, fields map[string]interface{}) (*document.Document, error) {
	doc := document.NewDocument(id)
	if err := indexMapping().MapDocument(doc, fields); err != nil {
		return nil, err
	}
	for i, f := range doc.Fields {
		tf, ok := f.(*document.TextField)
		if !ok {
			continue
		}
		if tf.Name() == fieldText || tf.Name() == fieldTitle {
			doc.Fields[i] = document.NewTextFieldCustom(tf.Name(), tf.ArrayPositions(), tf.Value(),
				tf.Options(), indexAnalyzer())
			continue
		}
		if !plainDocValueFields[tf.Name()] {
			continue
		}
		doc.Fields[i] = document.NewTextFieldCustom(tf.Name(), tf.ArrayPositions(), tf.Value(),
			tf.Options()|plainDocValues, keywordAnalyzer())
	}
	doc.Fields = joinKeywordValues(doc.Fields)
	return doc, nil
}

// keywordValues is the values of one array field of a document (a keyword
// field: no term vectors, not stored), which bleve's mapping gives as one
// field per value, given to bleve as one field. bleve adds the terms of
// fields of one name up (a document's term frequencies and field length
// per field name, its doc values per term), so the index holds the same;
// but each field costs an analysis, a term map and a merge into the
// document's map, for each of the 20 to 50 facet, person, organisation
// and place values of an article.
type keywordValues struct {
	// TextField is the first value: the name, options and analyzer.
	*document.TextField
	values     [][]byte
	plainBytes uint64
	length     int
	freqs      bleveindex.TokenFrequencies
}

// Analyze makes the terms of every value, as TextField.Analyze does for
// one, into one map.
func (f *keywordValues) Analyze() {
	f.freqs = make(bleveindex.TokenFrequencies, len(f.values))
	f.length = 0
	add := func(term []byte) {
		f.length++
		tf, ok := f.freqs[string(term)]
		if !ok {
			tf = &bleveindex.TokenFreq{Term: term}
			f.freqs[string(term)] = tf
		}
		if !f.Options().SkipFreqNorm() {
			tf.SetFrequency(tf.Frequency() + 1)
		}
	}
	a := f.TextField.Analyzer()
	for _, v := range f.values {
		if a == keywordAnalyzer() {
			add(v) // the keyword analyzer's one token: the whole value
			continue
		}
		for _, t := range a.Analyze(v) {
			add(t.Term)
		}
	}
}

// AnalyzedLength is the number of terms of all values.
func (f *keywordValues) AnalyzedLength() int { return f.length }

// AnalyzedTokenFrequencies are the terms of all values.
func (f *keywordValues) AnalyzedTokenFrequencies() bleveindex.TokenFrequencies { return f.freqs }

// NumPlainTextBytes is the size of all values.
func (f *keywordValues) NumPlainTextBytes() uint64 { return f.plainBytes }

// Size is the memory the field holds, for bleve's accounting.
func (f *keywordValues) Size() int {
	n := f.TextField.Size()
	for _, v := range f.values[1:] {
		n += len(v)
	}
	if f.freqs != nil {
		n += f.freqs.Size()
	}
	return n
}

// joinKeywordValues replaces the fields of each keyword array of fields (a
// name given more than once, not stored, without term vectors) by one
// keywordValues, where its first value was.
func joinKeywordValues(fields []document.Field) []document.Field {
	joinable := func(f document.Field) (*document.TextField, bool) {
		tf, ok := f.(*document.TextField)
		return tf, ok && !tf.Options().IsStored() && !tf.Options().IncludeTermVectors()
	}
	count := map[string]int{}
	for _, f := range fields {
		if _, ok := joinable(f); ok {
			count[f.Name()]++
		}
	}
	out := fields[:0]
	joined := map[string]*keywordValues{}
	for _, f := range fields {
		tf, ok := joinable(f)
		if !ok || count[f.Name()] < 2 {
			out = append(out, f)
			continue
		}
		if kv := joined[f.Name()]; kv != nil {
			kv.values = append(kv.values, tf.Value())
			kv.plainBytes += tf.NumPlainTextBytes()
			continue
		}
		kv := &keywordValues{TextField: tf, values: [][]byte{tf.Value()}, plainBytes: tf.NumPlainTextBytes()}
		joined[f.Name()] = kv
		out = append(out, kv)
	}
	return out
}
