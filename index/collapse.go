package index

import (
	"context"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	index "github.com/blevesearch/bleve_index_api"
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
// hit ("" when none) and the key of its facet term set ("" when none), as
// "group\x00set", read from the facet field's doc values that the id
// tie-break reads anyway. It never changes the order, since the id before
// it is unique; it only carries the group and the set to the collector's
// hit handler (withFolding), which folds the copies and counts the facets,
// and the group to foldCopies.
type groupSort struct {
	group, set []byte
	// key is the value being built; keys interns the values, which the
	// copies of a story share.
	key  []byte
	keys map[string]string
}

// groupSetSep separates the group from the set key in a groupSort value: no
// group (a document id) or set key (hex) contains it.
const groupSetSep = "\x00"

// setSep ends each term of a facet term set. bleve separates the terms of
// a document's doc values with it, so no term contains it.
const setSep = 0xff

// UpdateVisitor records the copy group and the facet set key of the hit
// being visited.
func (s *groupSort) UpdateVisitor(field string, term []byte) {
	if field != fieldFacet || len(term) < 2 || term[0] == sortIDPrefix[0] {
		return
	}
	switch string(term[:2]) {
	case copyPrefix:
		s.group = append(s.group[:0], term[2:]...)
	case setPrefix:
		s.set = append(s.set[:0], term[2:]...)
	}
}

// Value returns the group and set key of the hit just visited, and
// forgets them.
func (s *groupSort) Value(*search.DocumentMatch) string {
	s.key = append(append(append(s.key[:0], s.group...), groupSetSep...), s.set...)
	s.group, s.set = s.group[:0], s.set[:0]
	v, ok := s.keys[string(s.key)]
	if !ok {
		v = string(s.key)
		s.keys[v] = v
	}
	return v
}

// DecodeValue returns the value as it is.
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
// gives each shard a copy of the sort order).
func (s *groupSort) Copy() search.SearchSort { return newGroupSort() }

// newGroupSort returns a groupSort.
func newGroupSort() *groupSort {
	return &groupSort{keys: map[string]string{}}
}

// facetCounts are the facet term counts of a search: each collector (one
// per shard) counts its hits by facet term set (the set key the facet
// field holds) and reads each distinct set's terms once, from the
// facet_terms doc values of its first hit; total adds up the terms. This
// replaces bleve's facet builders, which give every term to each of the
// seven facet requests (one per prefix) and count a shard's terms only up
// to a top-N; here each term is counted exactly. The copies of a story
// mostly have the same facet terms, so a search with thousands of hits
// reads a few hundred sets, not thirty terms for every hit.
type facetCounts struct {
	// known are the terms of the sets earlier searches read (nil: none).
	known *setTerms
	mu    sync.Mutex
	sets  []map[string]*setCount
}

// setTerms are the terms of facet term sets by set key, kept for every
// search of an open index, so that a set many searches meet (a story's
// copies, in every search that finds the story) is read from the index
// once. A key is the hash of its terms (facetSetKey), so an entry is never
// stale, whatever is written to the index later. It holds at most
// setTermsBudget bytes of terms.
type setTerms struct {
	mu    sync.Mutex
	terms map[string]string
	bytes int
}

// setTermsBudget is the most bytes of keys and terms a setTerms holds.
const setTermsBudget = 16 << 20

// get returns the terms of the set key, if known.
func (c *setTerms) get(key string) (string, bool) {
	if c == nil {
		return "", false
	}
	c.mu.Lock()
	t, ok := c.terms[key]
	c.mu.Unlock()
	return t, ok
}

// put records the terms of the set key. When they would go over the
// budget, entries are dropped (any, as map order gives them) down to three
// quarters of it first.
func (c *setTerms) put(key, terms string) {
	if c == nil {
		return
	}
	size := len(key) + len(terms)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.terms[key]; ok {
		return
	}
	if c.terms == nil {
		c.terms = map[string]string{}
	}
	if c.bytes+size > setTermsBudget {
		for k, t := range c.terms {
			if c.bytes+size <= setTermsBudget*3/4 {
				break
			}
			delete(c.terms, k)
			c.bytes -= len(k) + len(t)
		}
	}
	c.terms[key] = terms
	c.bytes += size
}

// setCount is the number of hits with one set of facet terms, and the
// terms, each followed by setSep.
type setCount struct {
	n     int
	terms string
}

// add registers a collector's counts of facet term sets.
func (fc *facetCounts) add(sets map[string]*setCount) {
	fc.mu.Lock()
	fc.sets = append(fc.sets, sets)
	fc.mu.Unlock()
}

// total returns the number of hits with each facet term: the count of
// every set that holds the term, over every collector.
func (fc *facetCounts) total() map[string]int {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	out := map[string]int{}
	for _, sets := range fc.sets {
		for _, c := range sets {
			for set := c.terms; len(set) > 0; {
				i := strings.IndexByte(set, setSep)
				out[set[:i]] += c.n
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
	g, _, _ := strings.Cut(h.Sort[len(h.Sort)-1], groupSetSep)
	return g
}

// hitSet is the facet set key of a hit found with a sort order ending in
// groupSort, "" when it has none.
func hitSet(h *search.DocumentMatch) string {
	if len(h.Sort) == 0 {
		return ""
	}
	_, set, _ := strings.Cut(h.Sort[len(h.Sort)-1], groupSetSep)
	return set
}

// withFolding returns ctx with a hit handler for bleve's top-N collector
// that passes on only the best hit of each copy group, by order so (which
// must end in a groupSort), and counts every hit's facet terms into counts
// (see facetCounts).
func withFolding(ctx context.Context, so search.SortOrder, counts *facetCounts) context.Context {
	scoring, desc := so.CacheIsScore(), so.CacheDescending()
	better := func(a, b *search.DocumentMatch) bool { return so.Compare(scoring, desc, a, b) < 0 }
	var mk search.MakeDocumentMatchHandler = func(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
		next, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
		if err != nil || next == nil {
			return next, loadID, err
		}
		best := map[string]*search.DocumentMatch{}
		sets := map[string]*setCount{}
		var terms index.DocValueReader
		var buf []byte
		visit := func(_ string, term []byte) { buf = append(append(buf, term...), setSep) }
		// count adds d to the count of its facet set, reading the set's
		// terms when it is the first hit with it.
		count := func(d *search.DocumentMatch) error {
			key := hitSet(d)
			if key == "" {
				return nil
			}
			if c := sets[key]; c != nil {
				c.n++
				return nil
			}
			if t, ok := counts.known.get(key); ok {
				sets[key] = &setCount{n: 1, terms: t}
				return nil
			}
			if terms == nil {
				var err error
				if terms, err = sctx.IndexReader.DocValueReader([]string{fieldFacetTerms}); err != nil {
					return err
				}
			}
			buf = buf[:0]
			if err := terms.VisitDocValues(d.IndexInternalID, visit); err != nil {
				return err
			}
			t := string(buf)
			sets[key] = &setCount{n: 1, terms: t}
			counts.known.put(strings.Clone(key), t)
			return nil
		}
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
				counts.add(sets)
				return next(nil)
			}
			if len(d.Sort) != len(so) {
				return next(d) // a collector with another order (none today)
			}
			if err := count(d); err != nil {
				return err
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
