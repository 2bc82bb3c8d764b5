package index

import (
	"sync"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/simple"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/mapping"
)

// The indexed fields. They are also the field names a user can write in the
// query string (source:Reuters, person:scott-bessent, commodity:steel,
// published:>="2025-06-01").
const (
	fieldTitle      = "title"       // English analyzer, stored, term vectors
	fieldText       = "text"        // English analyzer, stored, term vectors
	fieldSource     = "source"      // keyword, exact
	fieldPerson     = "person"      // keyword: reconciled entity ids
	fieldPersonName = "person_name" // lower-cased keyword: canonical and variant names
	fieldPersonWord = "person_word" // simple analyzer: the words of the names
	fieldPersonKey  = "person_key"  // keyword: name or surname -> id, see personKeys
	fieldCommodity  = "commodity"   // keyword: catalogue ids of the commodities mentioned, parents included
	fieldAbout      = "about"       // keyword: catalogue ids of the commodities the article is about
	fieldCategory   = "category"    // keyword: catalogue categories
	fieldOrg        = "org"         // keyword: organisation keys (text.NameKey)
	fieldPlace      = "place"       // keyword: place keys (text.NameKey)
	fieldPublished  = "published"   // datetime, from YYYY-MM-DD
	fieldMonth      = "month"       // keyword YYYY-MM
	fieldDay        = "day"         // keyword YYYY-MM-DD, doc values: the date sort
	fieldFacet      = "facet"       // keyword, doc values: id, copy group and facet set key, see keyTerms
	fieldFacetTerms = "facet_terms" // keyword, doc values: every facet term, see facetPrefixes
	fieldCopy       = "copy"        // keyword, doc values: a copy's title, source and date, see copyTerm
	fieldMeta       = "meta"        // stored only: JSON of the hit's display data
)

// mappingVersion is stored in the index; an index written with another
// version is reported as incompatible so the store can rebuild it.
// trawl-index-9: the doc values of the facet and day fields are stored per
// document, uncompressed (docvalues.go). 8 is skipped: a reverted change
// wrote it with a facet column that merges corrupted.
// trawl-index-10 (two changes made side by side, then merged as 11): the
// commodity field holds the commodities mentioned (Doc.Mentioned), the new
// about field those the article is about; and the facet terms moved from the
// facet field to facet_terms, the facet field holding the key of the set
// instead (keyTerms).
// trawl-index-11: both.
const mappingVersion = "trawl-index-11"

// facetPrefixes are the prefixes of the facet_terms field's terms, by
// Results.Facets key. All facets live in one doc-values field, read once
// for each distinct set of them a search meets (see collapse.go), not for
// every hit.
var facetPrefixes = []struct{ name, prefix string }{
	{"person", "p/"},
	{"commodity", "c/"},
	{"category", "k/"},
	{"source", "s/"},
	{"published", "m/"},
	{"org", "o/"},
	{"place", "l/"},
}

// The facet field holds the document id, the tie-break of every sort, so
// that a search by relevance reads a single doc-values column per hit. Its
// prefix sorts before those of the field's other terms (lower-case
// letters), so the id is the first term of the field, which a SortField
// with the default mode picks.
const sortIDPrefix = "!"

// setPrefix is the prefix of the facet field's term that names a
// document's set of facet terms (facetSetKey).
const setPrefix = "f/"

// copyPrefix is the prefix of the facet field's term that names a
// document's group of near-duplicates, by which search finds the other
// copies of a hit.
const copyPrefix = "d/"

// analyzerLowerKeyword is the whole value as one lower-cased token.
const analyzerLowerKeyword = "trawl_lower_keyword"

// indexMapping is the deliberate (non-dynamic) mapping of an article,
// built once.
var indexMapping = sync.OnceValue(func() *mapping.IndexMappingImpl {
	im := mapping.NewIndexMapping()
	if err := im.AddCustomAnalyzer(analyzerLowerKeyword, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     single.Name,
		"token_filters": []interface{}{lowercase.Name},
	}); err != nil {
		panic("index: lower keyword analyzer: " + err.Error())
	}
	im.DefaultAnalyzer = en.AnalyzerName
	im.DefaultField = fieldText
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false

	text := func() *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = en.AnalyzerName
		f.Store = true
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func(analyzer string, docValues bool) *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = docValues
		return f
	}
	published := mapping.NewDateTimeFieldMapping()
	published.Store = false
	published.DocValues = false
	published.IncludeInAll = false
	meta := mapping.NewTextFieldMapping()
	meta.Index = false
	meta.Store = true
	meta.IncludeTermVectors = false
	meta.IncludeInAll = false
	meta.DocValues = false

	doc := mapping.NewDocumentMapping()
	doc.Dynamic = false
	doc.AddFieldMappingsAt(fieldTitle, text())
	doc.AddFieldMappingsAt(fieldText, text())
	doc.AddFieldMappingsAt(fieldSource, kw(keyword.Name, false))
	doc.AddFieldMappingsAt(fieldPerson, kw(keyword.Name, false))
	doc.AddFieldMappingsAt(fieldPersonName, kw(analyzerLowerKeyword, false))
	doc.AddFieldMappingsAt(fieldPersonWord, kw(simple.Name, false))
	doc.AddFieldMappingsAt(fieldPersonKey, kw(keyword.Name, false))
	doc.AddFieldMappingsAt(fieldCommodity, kw(keyword.Name, false))
	doc.AddFieldMappingsAt(fieldAbout, kw(keyword.Name, false))
	doc.AddFieldMappingsAt(fieldCategory, kw(keyword.Name, false))
	doc.AddFieldMappingsAt(fieldOrg, kw(keyword.Name, false))
	doc.AddFieldMappingsAt(fieldPlace, kw(keyword.Name, false))
	doc.AddFieldMappingsAt(fieldPublished, published)
	doc.AddFieldMappingsAt(fieldMonth, kw(keyword.Name, false))
	doc.AddFieldMappingsAt(fieldDay, kw(keyword.Name, true))
	doc.AddFieldMappingsAt(fieldFacet, kw(keyword.Name, true))
	doc.AddFieldMappingsAt(fieldFacetTerms, kw(keyword.Name, true))
	doc.AddFieldMappingsAt(fieldCopy, kw(keyword.Name, true))
	doc.AddFieldMappingsAt(fieldMeta, meta)
	im.DefaultMapping = doc
	return im
})
