package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/index"
	"github.com/trawlnews/trawl/report"
	"github.com/trawlnews/trawl/store"
)

// searchResult is one search run against the store, with the names of the
// people it mentions.
type searchResult struct {
	res   *index.Results
	names map[string]string // entity id -> canonical name
	// warning says that the index may lag the store: an ingest is
	// running, or the last one did not finish (its index phase failed).
	warning string
}

// staleWarning is the warning of a search while the store is dirty.
const staleWarning = "an ingest is running or the last one did not finish, so the search index may miss or hold stale articles; run trawl ingest again to complete it"

// search runs p against the store's index, holding one of the
// MaxConcurrent slots. The answer comes by SearchTimeout whatever the index
// does: a search still running then gets the context's error (503), and
// keeps its slot until it stops, so runaway searches cannot pile up.
func (s *server) search(ctx context.Context, p searchParams) (searchResult, error) {
	release, err := s.acquire(ctx)
	if err != nil {
		return searchResult{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.SearchTimeout)
	type outcome struct {
		res searchResult
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		defer release()
		if s.searching != nil {
			s.searching()
		}
		res, err := s.runSearch(ctx, p)
		done <- outcome{res, err}
	}()
	defer cancel()
	select {
	case o := <-done:
		return o.res, o.err
	case <-ctx.Done():
		return searchResult{}, ctx.Err()
	}
}

// runSearch opens the store and its index and runs p.
func (s *server) runSearch(ctx context.Context, p searchParams) (searchResult, error) {
	st, err := s.openStore()
	if err != nil {
		return searchResult{}, err
	}
	defer st.Close()
	ix, err := st.OpenIndex()
	if err != nil {
		return searchResult{}, err
	}
	defer ix.Close()
	res, err := ix.Search(ctx, p.query())
	if err != nil {
		if ctx.Err() != nil {
			return searchResult{}, ctx.Err()
		}
		// A query the index cannot parse or a filter it cannot apply is
		// the client's mistake; anything else is the server's fault.
		var qe *index.QueryError
		if errors.As(err, &qe) {
			return searchResult{}, errBadRequest("%s", qe.Msg)
		}
		return searchResult{}, err
	}
	names, err := ix.Names()
	if err != nil {
		return searchResult{}, err
	}
	sr := searchResult{res: res, names: names}
	if dirty, err := st.Dirty(); err == nil && dirty {
		sr.warning = staleWarning
	}
	return sr, nil
}

// SearchResponse is the body of /api/search and the output of trawl
// search --json (docs/api.md).
type SearchResponse struct {
	Total uint64 `json:"total"`
	Page  int    `json:"page"`
	Limit int    `json:"limit"`
	// Pages is the number of pages of Limit hits.
	Pages  int     `json:"pages"`
	TookMS float64 `json:"took_ms"`
	// Warning is set when the index may lag the store (see staleWarning).
	Warning string `json:"warning,omitempty"`
	Hits    []Hit  `json:"hits"`
	// Facets are keyed person, commodity, category, source and published
	// (YYYY-MM months), counted over every matching article.
	Facets map[string][]Facet `json:"facets"`
}

// Hit is one matching article of /api/search.
type Hit struct {
	ID        string  `json:"id"`
	Title     string  `json:"title,omitempty"`
	Source    string  `json:"source,omitempty"`
	Published string  `json:"published,omitempty"`
	Score     float64 `json:"score"`
	// Snippet is HTML: escaped text with the matches in <mark>...</mark>.
	Snippet     string         `json:"snippet,omitempty"`
	People      []index.Person `json:"people"`
	Commodities []string       `json:"commodities"`
	// Organizations and Places are the organisations and places the
	// article names, each with its key (the org and place filters' term).
	Organizations []index.Named `json:"organizations"`
	Places        []index.Named `json:"places"`
	// MatchedVariants are spellings that matched only because they name the
	// same person as the query ("Scott Besset" for "Bessent").
	MatchedVariants []string `json:"matched_variants,omitempty"`
	// AlsoPublished are the near-duplicate copies of the article (the same
	// story published again), which search shows as this one hit.
	AlsoPublished []Copy `json:"also_published,omitempty"`
	// URL is the API address of the article.
	URL string `json:"url"`
}

// Copy is a near-duplicate of a hit.
type Copy struct {
	ID        string `json:"id"`
	Title     string `json:"title,omitempty"`
	Source    string `json:"source,omitempty"`
	Published string `json:"published,omitempty"`
	URL       string `json:"url"`
}

// Facet is one term of a facet with the number of matching articles.
type Facet struct {
	Term  string `json:"term"`
	Count int    `json:"count"`
	// Label is the canonical name, for person facets (whose terms are
	// entity ids).
	Label string `json:"label,omitempty"`
}

func (s *server) apiSearch(r *http.Request) (any, error) {
	p, err := parseSearch(r)
	if err != nil {
		return nil, err
	}
	sr, err := s.search(r.Context(), p)
	if err != nil {
		return nil, err
	}
	resp := NewSearchResponse(sr.res, sr.names, p.Page, p.Limit)
	resp.Warning = sr.warning
	return resp, nil
}

// NewSearchResponse is the JSON form of one page of results, for the API
// and for trawl search --json alike; names labels the person facet (entity
// id to canonical name), page is 1-based and limit the page size.
func NewSearchResponse(res *index.Results, names map[string]string, page, limit int) SearchResponse {
	out := SearchResponse{
		Total: res.Total, Page: page, Limit: limit, Pages: pages(res.Total, limit),
		TookMS: float64(res.Took.Microseconds()) / 1000,
		Hits:   make([]Hit, 0, len(res.Hits)),
		Facets: map[string][]Facet{},
	}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, Hit{
			ID: h.ID, Title: h.Title, Source: h.Source, Published: h.Published, Score: h.Score,
			Snippet: h.Snippet, People: nonNil(h.People), Commodities: nonNil(h.Commodities),
			Organizations: nonNil(h.Organizations), Places: nonNil(h.Places),
			MatchedVariants: h.MatchedVariants, URL: apiArticleURL(h.ID),
		})
		for _, c := range h.AlsoPublished {
			last := &out.Hits[len(out.Hits)-1]
			last.AlsoPublished = append(last.AlsoPublished, Copy{ID: c.ID, Title: c.Title, Source: c.Source, Published: c.Published, URL: apiArticleURL(c.ID)})
		}
	}
	for name, fcs := range res.Facets {
		fs := make([]Facet, 0, len(fcs))
		for _, f := range fcs {
			fc := Facet{Term: f.Term, Count: f.Count}
			if name == "person" {
				fc.Label = names[f.Term]
			}
			fs = append(fs, fc)
		}
		out.Facets[name] = fs
	}
	return out
}

// pages is the number of pages of limit hits that total hits fill.
func pages(total uint64, limit int) int {
	return int((total + uint64(limit) - 1) / uint64(limit))
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// escapeID escapes each slash-separated segment of an id for a path.
func escapeID(id string) string {
	parts := strings.Split(id, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

// apiArticleURL is the API address of an article. Ids whose segments the
// router would clean up ("a/../b", "a//b") go in the id parameter instead.
func apiArticleURL(id string) string {
	if pathSafe(id) {
		return "/api/articles/" + escapeID(id)
	}
	return "/api/articles?id=" + url.QueryEscape(id)
}

// pathSafe reports whether an id survives the router's path cleaning.
func pathSafe(id string) bool {
	for _, seg := range strings.Split(id, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// articleURL is the address of an article's page, with a fragment naming a
// mention anchor when anchor is not empty.
func articleURL(id, anchor string) string {
	u := "/article?id=" + url.QueryEscape(id)
	if anchor != "" {
		u += "#" + anchor
	}
	return u
}

// entityURL is the address of an entity's page.
func entityURL(id string) string {
	if pathSafe(id) {
		return "/entities/" + escapeID(id)
	}
	return "/entities?id=" + url.QueryEscape(id)
}

func (s *server) apiArticle(r *http.Request) (any, error) {
	id, err := idParam(r)
	if err != nil {
		return nil, err
	}
	return withStore(s, func(st *store.Store) (any, error) {
		a, ok, err := st.Article(id)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errNotFound("no article %q", id)
		}
		return a, nil
	})
}

func (s *server) apiEntity(r *http.Request) (any, error) {
	id, err := idParam(r)
	if err != nil {
		return nil, err
	}
	return withStore(s, func(st *store.Store) (any, error) {
		e, ok, err := st.Entity(id)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errNotFound("no entity %q", id)
		}
		return e, nil
	})
}

// DiscrepanciesResponse is the body of /api/discrepancies.
type DiscrepanciesResponse struct {
	Count         int                 `json:"count"`
	Discrepancies []trawl.Discrepancy `json:"discrepancies"`
}

func (s *server) apiDiscrepancies(r *http.Request) (any, error) {
	p, err := parseDiscrepancies(r)
	if err != nil {
		return nil, err
	}
	return withStore(s, func(st *store.Store) (any, error) {
		ds, err := st.Discrepancies()
		if err != nil {
			return nil, err
		}
		ds = report.Filter(ds, p.Kinds, p.MinConfidence)
		return DiscrepanciesResponse{Count: len(ds), Discrepancies: ds}, nil
	})
}
