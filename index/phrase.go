package index

import (
	"context"
	"math"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// phraseQuery is a phrase of the query string searched in one field: the
// hits and scores of bleve's MatchPhraseQuery, found with less work when
// the search needs no match locations.
//
// bleve's phrase searcher turns the term locations of every document that
// has all the phrase's words into a map of maps before it looks for the
// phrase (search.DocumentMatch.Complete): for "interest rates" on the 10x
// corpus that was 43% of the bytes a search allocates and a fifth of its
// CPU, for thousands of candidate documents of which a page shows ten.
// phraseSearcher looks for the phrase in the flat list of locations the
// same conjunction of term searchers gives, and keeps bleve's score (the
// conjunction's). A search that asks for locations (the page's hits, to
// highlight them) gets bleve's searcher itself, so the highlights are
// bleve's.
type phraseQuery struct {
	*query.MatchPhraseQuery
}

// newPhraseQuery is the phrase s in field, boosted by boost (1: none).
func newPhraseQuery(s, field string, boost float64) *phraseQuery {
	q := query.NewMatchPhraseQuery(s)
	q.SetField(field)
	if boost != 1 {
		q.SetBoost(boost)
	}
	return &phraseQuery{q}
}

// Searcher is bleve's phrase searcher when the search wants term vectors
// (locations), a phraseSearcher with the same hits and scores otherwise.
func (q *phraseQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	terms := q.terms(m)
	if options.IncludeTermVectors || len(terms) == 0 || q.Fuzziness != 0 {
		return q.MatchPhraseQuery.Searcher(ctx, r, m, options)
	}
	// As bleve's NewMultiPhraseSearcher builds it: one term searcher with
	// term vectors per position (none for a gap), under a conjunction.
	options.IncludeTermVectors = true
	var ts []search.Searcher
	closeAll := func() {
		for _, s := range ts {
			s.Close()
		}
	}
	for _, t := range terms {
		if t == "" {
			continue
		}
		s, err := searcher.NewTermSearcher(ctx, r, t, q.FieldVal, q.BoostVal.Value(), options)
		if err != nil {
			closeAll()
			return nil, err
		}
		ts = append(ts, s)
	}
	must, err := searcher.NewConjunctionSearcher(ctx, r, ts, options)
	if err != nil {
		closeAll()
		return nil, err
	}
	// bleve's PhraseSearcher sets this query norm when it is built; a
	// searcher above it may set another.
	must.SetQueryNorm(1 / math.Sqrt(must.Weight()))
	return &phraseSearcher{must: must, field: q.FieldVal, terms: terms}, nil
}

// terms are the phrase's terms by position as the field's analyzer gives
// them, "" at a position with none (a stop word); nil when the phrase has
// no terms or a position has more than one (bleve's searcher handles those).
func (q *phraseQuery) terms(m mapping.IndexMapping) []string {
	name := q.Analyzer
	if name == "" {
		name = m.AnalyzerNameForPath(q.FieldVal)
	}
	a := m.AnalyzerNamed(name)
	if a == nil {
		return nil
	}
	tokens := a.Analyze([]byte(q.MatchPhrase))
	if len(tokens) == 0 {
		return nil
	}
	first, last := tokens[0].Position, tokens[0].Position
	for _, t := range tokens {
		first, last = min(first, t.Position), max(last, t.Position)
	}
	terms := make([]string, last-first+1)
	for _, t := range tokens {
		if terms[t.Position-first] != "" {
			return nil
		}
		terms[t.Position-first] = string(t.Term)
	}
	return terms
}

// phraseSearcher passes on the documents of a conjunction of term searchers
// (with term vectors) in which the terms occur one after the other, as
// bleve's PhraseSearcher does with no slop and no fuzziness, without
// building its map of locations.
type phraseSearcher struct {
	must  search.Searcher
	field string
	// terms are the phrase's terms by position, "" for a gap; the first
	// and the last are never "".
	terms []string
}

// Next returns the next document with the phrase.
func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for {
		d, err := s.must.Next(ctx)
		if err != nil || d == nil {
			return d, err
		}
		if s.matches(d) {
			return s.hit(d), nil
		}
		ctx.DocumentMatchPool.Put(d)
	}
}

// Advance returns the first document at or after id with the phrase.
func (s *phraseSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := s.must.Advance(ctx, id)
	if err != nil || d == nil {
		return d, err
	}
	if s.matches(d) {
		return s.hit(d), nil
	}
	ctx.DocumentMatchPool.Put(d)
	return s.Next(ctx)
}

// hit is d as a hit: its locations are dropped, since the search asked for
// none.
func (s *phraseSearcher) hit(d *search.DocumentMatch) *search.DocumentMatch {
	d.FieldTermLocations = d.FieldTermLocations[:0]
	return d
}

// matches reports whether the terms occur in d at consecutive positions
// (a gap counting one) of one value of the field: some location of the
// first term at position p, and of the term at offset i at p+i.
func (s *phraseSearcher) matches(d *search.DocumentMatch) bool {
	locs := d.FieldTermLocations
	for _, first := range locs {
		if first.Field != s.field || first.Term != s.terms[0] {
			continue
		}
		found := true
		for i := 1; i < len(s.terms) && found; i++ {
			if s.terms[i] == "" {
				continue
			}
			found = false
			for _, l := range locs {
				if l.Term == s.terms[i] && l.Field == s.field && l.Location.Pos == first.Location.Pos+uint64(i) &&
					l.Location.ArrayPositions.Equals(first.Location.ArrayPositions) {
					found = true
					break
				}
			}
		}
		if found {
			return true
		}
	}
	return false
}

// Close closes the term searchers.
func (s *phraseSearcher) Close() error { return s.must.Close() }

// Weight is the conjunction's, as bleve's PhraseSearcher has it.
func (s *phraseSearcher) Weight() float64 { return s.must.Weight() }

// SetQueryNorm sets the conjunction's query norm.
func (s *phraseSearcher) SetQueryNorm(n float64) { s.must.SetQueryNorm(n) }

// Size is the conjunction's size.
func (s *phraseSearcher) Size() int { return s.must.Size() }

// Count is at most the conjunction's.
func (s *phraseSearcher) Count() uint64 { return s.must.Count() }

// Min is 0.
func (s *phraseSearcher) Min() int { return 0 }

// DocumentMatchPoolSize is the conjunction's, and one more for the match
// being checked.
func (s *phraseSearcher) DocumentMatchPoolSize() int { return s.must.DocumentMatchPoolSize() + 1 }
