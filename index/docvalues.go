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
// uncompressed, and the title and text analysed by indexAnalyzer.
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
	return doc, nil
}
