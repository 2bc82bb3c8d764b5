package index

import (
	"context"
	"math"
	"sort"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/scorer"
	index "github.com/blevesearch/bleve_index_api"
)

// phraseQuery is a phrase of the query string searched in one field: the
// hits, scores and match locations of bleve's MatchPhraseQuery, found with
// less work.
//
// bleve's phrase searcher turns the term locations of every document that
// has all the phrase's words into a map of maps before it looks for the
// phrase (search.DocumentMatch.Complete): for "interest rates" on the 10x
// corpus that was 43% of the bytes a search allocates and a fifth of its
// CPU, for thousands of candidate documents of which a page shows ten.
// phraseSearcher reads the terms' postings and locations itself and looks
// for the phrase in them, and keeps bleve's score (that of the conjunction
// of term searchers bleve's searcher runs) and, when the search asks for
// them (the page's hits, to highlight them), the locations of the phrase's
// occurrences that bleve's searcher gives.
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

// Searcher is bleve's phrase searcher when the search wants explanations
// or scores other than tf-idf; a phraseSearcher with the same hits, scores
// and locations otherwise.
func (q *phraseQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	terms := q.terms(m)
	if options.Explain || len(terms) == 0 || q.Fuzziness != 0 || !tfIDF(ctx) {
		return q.MatchPhraseQuery.Searcher(ctx, r, m, options)
	}
	return newPhraseSearcher(ctx, r, q.FieldVal, terms, q.BoostVal.Value(), options)
}

// tfIDF reports whether a search in ctx scores with tf-idf, bleve's default
// (trawl's indexes do), and expands no synonyms.
func tfIDF(ctx context.Context) bool {
	if ctx == nil {
		return true
	}
	if _, ok := ctx.Value(search.FieldTermSynonymMapKey).(search.FieldTermSynonymMap); ok {
		return false
	}
	if f, ok := ctx.Value(search.GetScoringModelCallbackKey).(search.GetScoringModelCallbackFn); ok {
		return f() != index.BM25Scoring
	}
	return true
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

// phraseSearcher passes on the documents in which the phrase's terms occur
// one after the other, as bleve's PhraseSearcher does with no slop and no
// fuzziness, with the score bleve gives them: the sum, in bleve's
// conjunction order, of each term's tf-idf score.
//
// It reads the terms' postings itself: one term field reader a position,
// moved to the next document they all hold, the phrase looked for in the
// locations the readers decoded, and a score computed only for a document
// that has the phrase. bleve's conjunction of term searchers would make a
// DocumentMatch for each term of each candidate, copy every location into
// it and merge them into one list, for thousands of candidates of which a
// page shows ten.
type phraseSearcher struct {
	field string
	// terms are in the order bleve's conjunction sorts its term searchers
	// (by number of documents), which is the order their scores are added.
	terms []*phraseTerm
	// first is the term at the phrase's first position.
	first *phraseTerm
	count uint64
	// locations is set when the search asks for the locations of the
	// matches (to highlight them); found are those of the document being
	// checked.
	locations bool
	found     []phraseLocation
	// started is set once every reader has been read; step is set when
	// the readers still stand on the document last returned.
	started, step, done bool
	at                  index.IndexInternalID
}

// phraseLocation is a location of one of the phrase's terms.
type phraseLocation struct {
	term string
	*index.TermFieldVector
}

// phraseTerm is one position of a phrase: its reader, its scorer and where
// the reader stands.
type phraseTerm struct {
	term   string
	reader index.TermFieldReader
	scorer *scorer.TermQueryScorer
	// offset is the position in the phrase, counting gaps.
	offset uint64
	tfd    index.TermFieldDoc
	count  uint64
}

// byCount sorts phrase terms as bleve's OrderedSearcherList sorts term
// searchers, with the same algorithm, so that the order (and with it the
// sum of the scores) is the same.
type byCount []*phraseTerm

func (b byCount) Len() int           { return len(b) }
func (b byCount) Less(i, j int) bool { return b[i].count < b[j].count }
func (b byCount) Swap(i, j int)      { b[i], b[j] = b[j], b[i] }

// newPhraseSearcher is the phraseSearcher of terms (by position, "" for a
// gap; the first and last never "") in field, scored as bleve scores each
// term (tf-idf) with boost.
func newPhraseSearcher(ctx context.Context, r index.IndexReader, field string, terms []string, boost float64, options search.SearcherOptions) (*phraseSearcher, error) {
	docs, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	s := &phraseSearcher{field: field, locations: options.IncludeTermVectors}
	for i, t := range terms {
		if t == "" {
			continue
		}
		if err := search.RecordTermSearcher(ctx); err != nil {
			s.Close()
			return nil, err
		}
		tr, err := r.TermFieldReader(ctx, []byte(t), field, true, true, true)
		if err != nil {
			s.Close()
			return nil, err
		}
		pt := &phraseTerm{term: t, reader: tr, offset: uint64(i), count: tr.Count()}
		pt.scorer = scorer.NewTermQueryScorer([]byte(t), field, boost, docs, pt.count, 0, options)
		if i == 0 {
			s.first = pt
		}
		s.terms = append(s.terms, pt)
		s.count += pt.count
	}
	sort.Sort(byCount(s.terms))
	// bleve's ConjunctionSearcher sets this query norm when it is built; a
	// searcher above it may set another.
	s.SetQueryNorm(1 / math.Sqrt(s.Weight()))
	// As bleve's conjunction does: the readers iterate over the documents
	// of the intersection of their postings only.
	if len(s.terms) > 1 {
		var octx index.OptimizableContext
		for _, t := range s.terms {
			o, ok := t.reader.(index.Optimizable)
			if !ok {
				octx = nil
				break
			}
			if octx, err = o.Optimize("conjunction", octx); err != nil {
				s.Close()
				return nil, err
			}
			if octx == nil {
				break
			}
		}
		if octx != nil {
			if _, err := octx.Finish(); err != nil {
				s.Close()
				return nil, err
			}
		}
	}
	return s, nil
}

// Next returns the next document with the phrase.
func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return s.seek(ctx, nil)
}

// Advance returns the first document at or after id with the phrase.
func (s *phraseSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	return s.seek(ctx, id)
}

// seek returns the first document with the phrase after the one last
// returned and at or after id (when not nil).
func (s *phraseSearcher) seek(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if s.done {
		return nil, nil
	}
	if !s.started || s.step {
		s.started, s.step = true, false
		for _, t := range s.terms {
			if err := s.next(t); err != nil || s.done {
				return nil, err
			}
		}
	}
	if id != nil {
		if err := s.advance(id); err != nil || s.done {
			return nil, err
		}
	}
	for {
		// Move every reader to the furthest document any stands on until
		// they all stand on one.
		s.at = append(s.at[:0], s.terms[0].tfd.ID...)
		for _, t := range s.terms[1:] {
			if t.tfd.ID.Compare(s.at) > 0 {
				s.at = append(s.at[:0], t.tfd.ID...)
			}
		}
		if err := s.advance(s.at); err != nil || s.done {
			return nil, err
		}
		same := true
		for _, t := range s.terms {
			same = same && t.tfd.ID.Equals(s.at)
		}
		if !same {
			continue
		}
		if s.matches() {
			s.step = true
			return s.hit(ctx), nil
		}
		for _, t := range s.terms {
			if err := s.next(t); err != nil || s.done {
				return nil, err
			}
		}
	}
}

// next moves t to its next document; s is done when there is none.
func (s *phraseSearcher) next(t *phraseTerm) error {
	d, err := t.reader.Next(t.tfd.Reset())
	if d == nil {
		s.done = true
	}
	return err
}

// advance moves every reader that stands before id to its first document
// at or after id; s is done when one has none.
func (s *phraseSearcher) advance(id index.IndexInternalID) error {
	for _, t := range s.terms {
		if t.tfd.ID.Compare(id) >= 0 {
			continue
		}
		d, err := t.reader.Advance(id, t.tfd.Reset())
		if err != nil {
			return err
		}
		if d == nil {
			s.done = true
			return nil
		}
	}
	return nil
}

// matches reports whether the terms occur in the readers' document at
// consecutive positions (a gap counting one) of one value of the field:
// some location of the first term at position p, and of the term at
// offset i at p+i. With locations asked for, it notes the locations of
// every occurrence of the phrase in s.found.
func (s *phraseSearcher) matches() bool {
	s.found = s.found[:0]
	ok := false
	for _, first := range s.first.tfd.Vectors {
		if first.Field != s.field {
			continue
		}
		n := len(s.found)
		if s.locations {
			s.found = append(s.found, phraseLocation{s.first.term, first})
		}
		found := true
		for _, t := range s.terms {
			if t == s.first {
				continue
			}
			found = false
			for _, l := range t.tfd.Vectors {
				if l.Pos == first.Pos+t.offset && l.Field == s.field &&
					search.ArrayPositions(l.ArrayPositions).Equals(first.ArrayPositions) {
					found = true
					if s.locations {
						s.found = append(s.found, phraseLocation{t.term, l})
					}
					break
				}
			}
			if !found {
				break
			}
		}
		if !found {
			s.found = s.found[:n]
			continue
		}
		if !s.locations {
			return true
		}
		ok = true
	}
	return ok
}

// hit is the readers' document as a hit, scored as bleve's conjunction of
// term searchers scores it (the sum of the terms' scores, in order), with
// the locations of the phrase's occurrences when they were asked for:
// the locations bleve's PhraseSearcher gives, though maybe in another
// order (and a search orders them anyway).
func (s *phraseSearcher) hit(ctx *search.SearchContext) *search.DocumentMatch {
	var rv *search.DocumentMatch
	var sum float64
	for i, t := range s.terms {
		// The scorer would copy every location of the term.
		vs := t.tfd.Vectors
		t.tfd.Vectors = nil
		d := t.scorer.Score(ctx, &t.tfd)
		t.tfd.Vectors = vs
		sum += d.Score
		if i == 0 {
			rv = d
		} else {
			ctx.DocumentMatchPool.Put(d)
		}
	}
	rv.Score = sum
	for _, f := range s.found {
		var ap search.ArrayPositions
		if len(f.ArrayPositions) > 0 {
			ap = append(ap, f.ArrayPositions...)
		}
		rv.FieldTermLocations = append(rv.FieldTermLocations, search.FieldTermLocation{
			Field: f.Field, Term: f.term,
			Location: search.Location{Pos: f.Pos, Start: f.Start, End: f.End, ArrayPositions: ap},
		})
	}
	return rv
}

// Close closes the readers.
func (s *phraseSearcher) Close() error {
	var err error
	for _, t := range s.terms {
		if e := t.reader.Close(); e != nil && err == nil {
			err = e
		}
	}
	return err
}

// Weight is the sum of the terms' weights, as bleve's conjunction has it.
func (s *phraseSearcher) Weight() float64 {
	var w float64
	for _, t := range s.terms {
		w += t.scorer.Weight()
	}
	return w
}

// SetQueryNorm sets the terms' query norm.
func (s *phraseSearcher) SetQueryNorm(n float64) {
	for _, t := range s.terms {
		t.scorer.SetQueryNorm(n)
	}
}

// Size is an estimate of the memory the searcher holds.
func (s *phraseSearcher) Size() int {
	n := 0
	for _, t := range s.terms {
		n += t.reader.Size() + t.scorer.Size()
	}
	return n
}

// Count is at most the sum of the terms' document counts, as bleve's
// conjunction gives it.
func (s *phraseSearcher) Count() uint64 { return s.count }

// Min is 0.
func (s *phraseSearcher) Min() int { return 0 }

// DocumentMatchPoolSize is one for each term's score, and one for the hit.
func (s *phraseSearcher) DocumentMatchPoolSize() int { return len(s.terms) + 1 }
