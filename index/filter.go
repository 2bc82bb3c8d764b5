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

// filteredQuery is a query whose hits must also match a filter that does
// not change their scores: the hits and scores of bleve's BooleanQuery with
// must and the filter (AddFilter), found with less work.
//
// bleve's boolean query visits and scores every document the query
// matches and then asks the filter about it: "market" filtered by one
// person scored every article with "market" to keep one in fifty. A
// filteredSearcher moves whichever of the two is behind to the other's
// document (each searcher skips ahead in its postings), so it scores only
// documents the filter may keep. The score of a document is its score
// under must alone, as bleve gives it.
type filteredQuery struct {
	// bleve is bleve's query: Must, and Filter.
	bleve *query.BooleanQuery
}

// newFilteredQuery is q filtered by f.
func newFilteredQuery(q, f query.Query) *filteredQuery {
	b := query.NewBooleanQuery([]query.Query{q}, nil, nil)
	b.AddFilter(f)
	return &filteredQuery{bleve: b}
}

// Searcher is a filteredSearcher of the query's must part, scored as
// bleve's boolean searcher scores it (the query norm of its weight; the
// filter only drops hits), and of the filter, searched without scores as
// bleve searches a filter. A must part that can match nothing is left to
// bleve, which then filters every document.
func (q *filteredQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	ms, err := q.bleve.Must.Searcher(ctx, r, m, options)
	if err != nil {
		return nil, err
	}
	if _, ok := ms.(*searcher.MatchNoneSearcher); ok {
		ms.Close()
		return q.bleve.Searcher(ctx, r, m, options)
	}
	ms.SetQueryNorm(1 / math.Sqrt(ms.Weight()))
	fs, err := q.bleve.Filter.Searcher(ctx, r, m, search.SearcherOptions{Score: "none"})
	if err != nil {
		ms.Close()
		return nil, err
	}
	return &filteredSearcher{must: ms, filter: fs}, nil
}

// filteredSearcher passes on the documents of must that filter also
// matches, with must's score.
type filteredSearcher struct {
	must, filter search.Searcher
	// at is the id of the filter's current document; nil before the
	// first, and done once the filter has no more.
	at   index.IndexInternalID
	done bool
}

// Next returns the next document of must that the filter matches.
func (s *filteredSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := s.must.Next(ctx)
	if err != nil {
		return nil, err
	}
	return s.align(ctx, d)
}

// Advance returns the first document at or after id of must that the
// filter matches.
func (s *filteredSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := s.must.Advance(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.align(ctx, d)
}

// align moves must and the filter forward, from must's document d, until
// both are on one document, and returns it (nil when either has no more).
func (s *filteredSearcher) align(ctx *search.SearchContext, d *search.DocumentMatch) (*search.DocumentMatch, error) {
	for d != nil {
		if s.done {
			ctx.DocumentMatchPool.Put(d)
			return nil, nil
		}
		if s.at == nil || s.at.Compare(d.IndexInternalID) < 0 {
			f, err := s.filter.Advance(ctx, d.IndexInternalID)
			if err != nil {
				return nil, err
			}
			if f == nil {
				s.done = true
				continue
			}
			s.at = append(s.at[:0], f.IndexInternalID...)
			ctx.DocumentMatchPool.Put(f)
		}
		if s.at.Equals(d.IndexInternalID) {
			return d, nil
		}
		// The filter is ahead: skip must to its document.
		ctx.DocumentMatchPool.Put(d)
		var err error
		if d, err = s.must.Advance(ctx, s.at); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// Close closes both searchers.
func (s *filteredSearcher) Close() error {
	err := s.must.Close()
	if ferr := s.filter.Close(); err == nil {
		err = ferr
	}
	return err
}

// Weight is must's: the filter does not score.
func (s *filteredSearcher) Weight() float64 { return s.must.Weight() }

// SetQueryNorm sets must's query norm.
func (s *filteredSearcher) SetQueryNorm(n float64) { s.must.SetQueryNorm(n) }

// Size is the size of both searchers.
func (s *filteredSearcher) Size() int { return s.must.Size() + s.filter.Size() }

// Count is at most must's.
func (s *filteredSearcher) Count() uint64 { return s.must.Count() }

// Min is 0.
func (s *filteredSearcher) Min() int { return 0 }

// DocumentMatchPoolSize is what both searchers hold at once.
func (s *filteredSearcher) DocumentMatchPoolSize() int {
	return s.must.DocumentMatchPoolSize() + s.filter.DocumentMatchPoolSize()
}
