package index

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"golang.org/x/sync/errgroup"
)

// Query is a search: query-string text, filters, order and page.
type Query struct {
	// Text uses bleve's query-string syntax: words, "phrases", +must,
	// -not, field:value (fields title, text, source, person, person_name,
	// person_word, commodity, category, published, month). Words and phrases
	// that name a known person also match the articles that mention that
	// person under any spelling. "" matches every article.
	Text string
	// People keeps articles that mention every one of these people, each
	// given as an entity id or any of their names or surnames.
	People []string
	// Commodities keeps articles that mention every one of these
	// commodities, each a catalogue id or category.
	Commodities []string
	// Organizations and Places keep articles that name every one of these
	// organisations or places, each a name or its key (text.NameKey).
	Organizations, Places []string
	// Sources keeps articles from any of these sources (exact names).
	Sources []string
	// From and To are inclusive YYYY-MM-DD bounds on the publication date;
	// articles without a date are left out when either is set.
	From, To string
	// Sort is "relevance" (the default) or "date" (newest first, undated
	// last). Ties are broken by article id.
	Sort string
	// Limit is the page size: 0 means 10, at most 100. Offset is the number
	// of hits skipped.
	Limit, Offset int
}

// Results is one page of hits with the facets of all matching articles.
// Near-duplicate articles (Doc.CopyGroup) are one hit: the best-ranked copy,
// with the others in its AlsoPublished.
type Results struct {
	// Total is the number of matching articles, on all pages, copies
	// included.
	Total uint64
	Took  time.Duration
	Hits  []Hit
	// Facets are keyed "person" (entity ids), "commodity", "category",
	// "source", "org" and "place" (keys; the 10 most frequent, by count then
	// term) and "published" (every YYYY-MM month, in order).
	Facets map[string][]FacetCount
}

// Hit is one matching article.
type Hit struct {
	ID, Title, Source, Published string
	Score                        float64
	// Snippet is an HTML-safe extract of the text with the matches in
	// <mark>...</mark>.
	Snippet string
	// Fragments is the same extract as plain text, split so that the
	// odd-numbered parts (Fragments[1], [3]...) are the matches: a terminal
	// can print them highlighted. Fragments[0] may be "".
	Fragments   []string
	People      []Person
	Commodities []string
	// Organizations and Places are what the article names.
	Organizations, Places []Named
	// MatchedVariants are the spellings of this article's people that
	// matched only through name expansion: a query for "Bessent" gives
	// ["Scott Besset"] for an article that spells it so.
	MatchedVariants []string
	// CopyGroup is the id of the article's group of near-duplicates, ""
	// when it has none; AlsoPublished are the group's other articles, by
	// id, whether or not they match the query themselves.
	CopyGroup     string
	AlsoPublished []Copy
}

// Copy is a near-duplicate of a hit: the same story published again.
type Copy struct {
	ID, Title, Source, Published string
}

// FacetCount is the number of matching articles with a facet term.
type FacetCount struct {
	Term  string
	Count int
}

// Sort orders.
const (
	SortRelevance = "relevance"
	SortDate      = "date"
)

// Page sizes.
const (
	DefaultLimit = 10
	MaxLimit     = 100
	facetSize    = 10
	monthsMax    = 1200
)

// Search runs q. A query string it cannot parse or a filter it cannot
// apply gives a *QueryError (errors.Is(err, ErrBadQuery)).
func (ix *Index) Search(ctx context.Context, q Query) (*Results, error) {
	tq, exps, hasText, err := ix.textQuery(q.Text)
	if err != nil {
		return nil, queryError(fmt.Sprintf("query %q", q.Text), err)
	}
	fq, err := ix.filterQuery(q)
	if err != nil {
		return nil, queryError("filter", err)
	}
	var bq query.Query = tq
	if fq != nil {
		bq = newFilteredQuery(tq, fq)
	}

	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	offset := max(q.Offset, 0)
	// Copies of one story are one hit: each shard folds them as it
	// collects (see collapse.go), and the merged hits are folded again.
	req := bleve.NewSearchRequestOptions(bq, len(ix.shards)*(offset+limit), 0, false)
	// Ties are broken by the id kept in the facet field's doc values (its
	// first term): search.SortDocID would read every hit's stored _id,
	// which costs more than the search itself.
	byID := &search.SortField{Field: fieldFacet, Type: search.SortFieldAsString, Mode: search.SortFieldDefault}
	counts := &facetCounts{known: &ix.setTerms}
	switch q.Sort {
	case "", SortRelevance:
		req.SortByCustom(search.SortOrder{&search.SortScore{Desc: true}, byID, newGroupSort()})
	case SortDate:
		req.SortByCustom(search.SortOrder{
			&search.SortField{Field: fieldDay, Desc: true, Type: search.SortFieldAsString, Missing: search.SortFieldMissingLast},
			byID, newGroupSort(),
		})
	default:
		return nil, &QueryError{Msg: fmt.Sprintf("sort %q: want %q or %q", q.Sort, SortRelevance, SortDate)}
	}
	// The text and match locations are read for the page alone
	// (pageHits), not for every hit the shards return; the facets are
	// counted by the collector's hit handler (withFolding), not by bleve.
	sr, err := ix.idx.SearchInContext(withFolding(ctx, req.Sort, counts), req)
	if err == nil {
		err = shardErrors(sr)
	}
	if err != nil {
		return nil, fmt.Errorf("index: search %q: %w", q.Text, err)
	}
	folded := foldCopies(sr.Hits)
	page := folded[min(offset, len(folded)):min(offset+limit, len(folded))]
	// The page's texts and match locations, and the copies of its stories
	// (the groups its sort values carry, which are the hits' CopyGroup),
	// are read side by side.
	var groups []string
	for _, h := range page {
		if g := hitGroup(h); g != "" {
			groups = append(groups, g)
		}
	}
	var members map[string][]Copy
	var g errgroup.Group
	g.Go(func() (err error) {
		page, err = ix.pageHits(ctx, bq, page, hasText)
		return err
	})
	g.Go(func() (err error) {
		members, err = ix.copyGroups(ctx, groups)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	res := &Results{Total: sr.Total, Took: sr.Took, Hits: make([]Hit, 0, len(page)), Facets: map[string][]FacetCount{}}
	for _, h := range page {
		hit, err := makeHit(h, exps)
		if err != nil {
			return nil, fmt.Errorf("index: hit %q: %w", h.ID, err)
		}
		res.Hits = append(res.Hits, hit)
	}
	for i, h := range res.Hits {
		if h.CopyGroup == "" {
			continue
		}
		for _, c := range members[h.CopyGroup] {
			if c.ID != h.ID && len(res.Hits[i].AlsoPublished) < maxCopies {
				res.Hits[i].AlsoPublished = append(res.Hits[i].AlsoPublished, c)
			}
		}
	}
	res.Facets = facetsOf(counts.total())
	return res, nil
}

// facetsOf is Results.Facets of the facet term counts of a search: the
// facetSize most frequent terms of each prefix, by count then term, and
// every month (at most monthsMax), in order.
func facetsOf(counts map[string]int) map[string][]FacetCount {
	byCount := func(a, b FacetCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Term, b.Term))
	}
	out := make(map[string][]FacetCount, len(facetPrefixes))
	for _, fp := range facetPrefixes {
		out[fp.name] = []FacetCount{}
	}
	for t, n := range counts {
		for _, fp := range facetPrefixes {
			v, ok := strings.CutPrefix(t, fp.prefix)
			if !ok {
				continue
			}
			fc, fcs := FacetCount{Term: v, Count: n}, out[fp.name]
			if fp.name == "published" {
				out[fp.name] = append(fcs, fc)
				break
			}
			// Keep the facetSize best so far, in order: most terms
			// are below the last of them and cost one comparison.
			if len(fcs) == facetSize && byCount(fc, fcs[facetSize-1]) >= 0 {
				break
			}
			i, _ := slices.BinarySearchFunc(fcs, fc, byCount)
			if len(fcs) == facetSize {
				fcs = fcs[:facetSize-1]
			}
			out[fp.name] = slices.Insert(fcs, i, fc)
			break
		}
	}
	months := out["published"]
	if len(months) > monthsMax {
		slices.SortFunc(months, byCount)
		months = months[:monthsMax]
	}
	slices.SortFunc(months, func(a, b FacetCount) int { return strings.Compare(a.Term, b.Term) })
	out["published"] = months
	return out
}

// pageHits reads the stored text of the page's hits, and their match
// locations when the query has text, by running bq again on their ids; the
// page keeps its order and scores.
func (ix *Index) pageHits(ctx context.Context, bq query.Query, page []*search.DocumentMatch, hasText bool) ([]*search.DocumentMatch, error) {
	if len(page) == 0 {
		return page, nil
	}
	ids := make([]string, len(page))
	for i, h := range page {
		ids[i] = h.ID
	}
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{bq, query.NewDocIDQuery(ids)}), len(ids), 0, false)
	req.Fields = []string{fieldMeta, fieldText}
	req.IncludeLocations = hasText
	sr, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: read hits: %w", err)
	}
	byID := make(map[string]*search.DocumentMatch, len(sr.Hits))
	for _, h := range sr.Hits {
		byID[h.ID] = h
	}
	out := make([]*search.DocumentMatch, 0, len(page))
	for _, h := range page {
		if full := byID[h.ID]; full != nil {
			full.Score = h.Score
			out = append(out, full)
		}
	}
	return out, nil
}

// maxCopies is the most copies listed with one hit.
const maxCopies = 50

// copyGroups returns the first maxCopies+1 articles, by id, of each of the
// copy groups gs: a hit lists those but itself, at most maxCopies. One
// search reads every group of a page, each member's id, group and copy
// term taken from its sort values by a hit handler as the shards collect
// them, so no shard holds a top-N list of hundreds of hits.
func (ix *Index) copyGroups(ctx context.Context, gs []string) (map[string][]Copy, error) {
	slices.Sort(gs)
	gs = slices.Compact(gs)
	out := make(map[string][]Copy, len(gs))
	if len(gs) == 0 {
		return out, nil
	}
	qs := make([]query.Query, len(gs))
	for i, g := range gs {
		tq := query.NewTermQuery(copyPrefix + g)
		tq.SetField(fieldFacet)
		qs[i] = tq
	}
	req := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(qs), 1, 0, false)
	// The id (the facet field's first term), the group and the copy's
	// title, source and date (the copy field's doc values, not the stored
	// fields) are the sort values of each member.
	req.SortByCustom(search.SortOrder{
		&search.SortField{Field: fieldFacet, Type: search.SortFieldAsString, Mode: search.SortFieldDefault},
		newGroupSort(),
		&search.SortField{Field: fieldCopy, Type: search.SortFieldAsString, Mode: search.SortFieldDefault},
	})
	type member struct{ group, id, copy string }
	var mu sync.Mutex
	var members []member
	var mk search.MakeDocumentMatchHandler = func(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
		var mine []member
		return func(d *search.DocumentMatch) error {
			if d == nil {
				mu.Lock()
				members = append(members, mine...)
				mu.Unlock()
				return nil
			}
			g, _, _ := strings.Cut(d.Sort[1], groupSetSep)
			mine = append(mine, member{group: g, id: strings.TrimPrefix(d.Sort[0], sortIDPrefix), copy: d.Sort[2]})
			sctx.DocumentMatchPool.Put(d)
			return nil
		}, false, nil
	}
	sr, err := ix.idx.SearchInContext(context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, mk), req)
	if err == nil {
		err = shardErrors(sr)
	}
	if err != nil {
		return nil, fmt.Errorf("index: copies of %s: %w", strings.Join(gs, ", "), err)
	}
	slices.SortFunc(members, func(a, b member) int { return strings.Compare(a.id, b.id) })
	for _, m := range members {
		if len(out[m.group]) > maxCopies {
			continue
		}
		c, err := copyOfTerm(m.id, m.copy)
		if err != nil {
			return nil, fmt.Errorf("index: hit %q: %w", m.id, err)
		}
		out[m.group] = append(out[m.group], c)
	}
	return out, nil
}

// makeHit turns a bleve hit into a Hit.
func makeHit(h *search.DocumentMatch, exps []expansion) (Hit, error) {
	var m meta
	if s, ok := h.Fields[fieldMeta].(string); ok {
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			return Hit{}, fmt.Errorf("stored meta: %w", err)
		}
	}
	text, _ := h.Fields[fieldText].(string)
	hit := Hit{
		ID: h.ID, Title: m.Title, Source: m.Source, Published: m.Published,
		Score: h.Score, People: m.People, Commodities: m.Commodities,
		Organizations: m.Orgs, Places: m.Places,
		CopyGroup: m.CopyGroup,
	}
	hit.MatchedVariants = matchedVariants(m.People, exps)
	var spans []span
	for _, terms := range h.Locations[fieldText] {
		for _, l := range terms {
			spans = append(spans, span{int(l.Start), int(l.End)})
		}
	}
	for _, v := range hit.MatchedVariants {
		for off := 0; ; {
			i := strings.Index(text[off:], v)
			if i < 0 {
				break
			}
			spans = append(spans, span{off + i, off + i + len(v)})
			off += i + len(v)
		}
	}
	hit.Fragments = fragments(text, spans)
	hit.Snippet = snippetHTML(hit.Fragments)
	return hit, nil
}

// matchedVariants lists the spellings, in this article, of the people the
// query named, that do not contain the query's own words: the matches due to
// expansion alone.
func matchedVariants(people []Person, exps []expansion) []string {
	var out []string
	for _, e := range exps {
		for _, p := range people {
			if !slices.Contains(e.ids, p.ID) {
				continue
			}
			for _, v := range p.Variants {
				if !containsRun(nameTokens(v), e.words) {
					out = append(out, v)
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// containsRun reports whether words occur in toks as consecutive tokens.
func containsRun(toks, words []string) bool {
	for i := 0; i+len(words) <= len(toks); i++ {
		if slices.Equal(toks[i:i+len(words)], words) {
			return true
		}
	}
	return false
}
