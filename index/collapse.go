package index

import (
	"context"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
)

// Copies of one story are folded into one hit inside bleve's collector, in
// the same pass that scores the hits, counts them and builds the facets:
// every matching copy still counts in Results.Total and in the facets,
// but only the best-ranked copy of each group reaches the top-N heap. So a
// page of ten stories costs one search of ten hits per shard, however many
// copies each story has, where folding after the search had to fetch and
// refetch until ten distinct stories came up (hundreds of hits on a corpus
// with fifty copies of each story).
//
// Each shard folds its own hits; a group's copies may lie in several
// shards, so a shard's best copy may be outranked by another shard's. A
// search of n stories therefore asks each shard for shards*n hits (each
// group appears at most once per shard, so the merged list holds at least
// n groups) and folds the merged list again (foldCopies): the k-th story's
// best copy is preceded in the merged list only by copies of the k-1
// stories above it, at most shards of each.

// groupSort is the last key of a search's sort order: the copy group of a
// hit ("" when none), read from the facet field's doc values that the id
// tie-break reads anyway. It never changes the order, since the id before
// it is unique; it only carries the group to the collector's hit handler
// (foldingHandler) and to foldCopies. When it has a facetCounts, it also
// counts the facet terms of every hit as the collector visits them.
type groupSort struct {
	group string
	// groups interns the group names, which the copies of a story share.
	groups map[string]string
	// set is the facet terms of the hit being visited, each followed by
	// setSep; sets counts this collector's hits by their set, and is
	// registered in all. nil when the search counts no facets.
	set  []byte
	sets map[string]*int
	all  *facetCounts
}

// setSep ends each term of a facet term set. bleve separates the terms of
// a document's doc values with it, so no term contains it.
const setSep = 0xff

// UpdateVisitor records the copy-group term of the hit being visited and
// adds its facet terms to its set.
func (s *groupSort) UpdateVisitor(field string, term []byte) {
	if field != fieldFacet || len(term) == 0 || term[0] == sortIDPrefix[0] {
		return
	}
	if len(term) > len(copyPrefix) && string(term[:len(copyPrefix)]) == copyPrefix {
		g, ok := s.groups[string(term[len(copyPrefix):])]
		if !ok {
			g = string(term[len(copyPrefix):])
			s.groups[g] = g
		}
		s.group = g
		return
	}
	if s.sets != nil {
		s.set = append(append(s.set, term...), setSep)
	}
}

// Value counts the facet term set of the hit just visited, and returns its
// group and forgets it. The copies of a story mostly have the same facet
// terms (all but the id, which is not one), so counting sets and each
// distinct set's terms once at the end (facetCounts.total) looks up a few
// hundred sets instead of thirty terms for each of thousands of hits.
func (s *groupSort) Value(*search.DocumentMatch) string {
	if len(s.set) > 0 {
		if c := s.sets[string(s.set)]; c != nil {
			*c++
		} else {
			n := 1
			s.sets[string(s.set)] = &n
		}
		s.set = s.set[:0]
	}
	g := s.group
	s.group = ""
	return g
}

// DecodeValue returns the group as it is.
func (s *groupSort) DecodeValue(v string) string { return v }

// Descending is false: the key never decides an order anyway.
func (s *groupSort) Descending() bool { return false }

// RequiresDocID is false: the group comes from doc values.
func (s *groupSort) RequiresDocID() bool { return false }

// RequiresScoring is false.
func (s *groupSort) RequiresScoring() bool { return false }

// RequiresFields is none, though the group term is in the facet field:
// the collector would visit a field as many times as sort keys and facets
// name it, so a groupSort must follow a sort key on the facet field (the
// id tie-break), which makes it visited.
func (s *groupSort) RequiresFields() []string { return nil }

// Reverse does nothing: the key never decides an order.
func (s *groupSort) Reverse() {}

// Copy returns a fresh groupSort for another collector (bleve's alias
// gives each shard a copy of the sort order), counting into the same
// facetCounts.
func (s *groupSort) Copy() search.SearchSort { return newGroupSort(s.all) }

// newGroupSort returns a groupSort that counts facet terms into all, or
// none when all is nil.
func newGroupSort(all *facetCounts) *groupSort {
	s := &groupSort{all: all, groups: map[string]string{}}
	if all != nil {
		s.sets = all.add()
	}
	return s
}

// facetCounts are the facet term counts of a search: each collector (one
// per shard) counts its hits by facet term set, and total adds up the
// terms. Counting them in groupSort, as the collector visits each hit's
// facet terms, replaces bleve's facet builders, which give every term to
// each of the seven facet requests (one per prefix) and count a shard's
// terms only up to a top-N; here each term is counted exactly.
type facetCounts struct {
	mu   sync.Mutex
	sets []map[string]*int
}

// add registers a new collector's counts of facet term sets.
func (fc *facetCounts) add() map[string]*int {
	m := map[string]*int{}
	fc.mu.Lock()
	fc.sets = append(fc.sets, m)
	fc.mu.Unlock()
	return m
}

// total returns the number of hits with each facet term: the count of
// every set that holds the term, over every collector.
func (fc *facetCounts) total() map[string]int {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	out := map[string]int{}
	for _, sets := range fc.sets {
		for set, n := range sets {
			for len(set) > 0 {
				i := strings.IndexByte(set, setSep)
				out[set[:i]] += *n
				set = set[i+1:]
			}
		}
	}
	return out
}

// hitGroup is the copy group of a hit found with a sort order ending in
// groupSort, "" when it has none.
func hitGroup(h *search.DocumentMatch) string {
	if len(h.Sort) == 0 {
		return ""
	}
	return h.Sort[len(h.Sort)-1]
}

// withFolding returns ctx with a hit handler for bleve's top-N collector
// that passes on only the best hit of each copy group, by order so (which
// must end in a groupSort).
func withFolding(ctx context.Context, so search.SortOrder) context.Context {
	scoring, desc := so.CacheIsScore(), so.CacheDescending()
	better := func(a, b *search.DocumentMatch) bool { return so.Compare(scoring, desc, a, b) < 0 }
	var mk search.MakeDocumentMatchHandler = func(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
		next, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
		if err != nil || next == nil {
			return next, loadID, err
		}
		best := map[string]*search.DocumentMatch{}
		return func(d *search.DocumentMatch) error {
			if d == nil {
				// The best copy of each group goes to the heap at the end,
				// once no better one can come.
				for _, b := range best {
					if err := next(b); err != nil {
						return err
					}
				}
				clear(best)
				return next(nil)
			}
			if len(d.Sort) != len(so) {
				return next(d) // a collector with another order (none today)
			}
			g := hitGroup(d)
			if g == "" {
				return next(d)
			}
			cur, ok := best[g]
			switch {
			case !ok:
				best[g] = d
			case better(d, cur):
				best[g] = d
				sctx.DocumentMatchPool.Put(cur)
			default:
				sctx.DocumentMatchPool.Put(d)
			}
			return nil
		}, loadID, nil
	}
	return context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, mk)
}

// foldCopies keeps the first hit of each copy group, in order.
func foldCopies(hits search.DocumentMatchCollection) []*search.DocumentMatch {
	out := make([]*search.DocumentMatch, 0, len(hits))
	seen := map[string]bool{}
	for _, h := range hits {
		if g := hitGroup(h); g != "" {
			if seen[g] {
				continue
			}
			seen[g] = true
		}
		out = append(out, h)
	}
	return out
}
