package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/index"
)

// searchParams are the parameters of /api/search and the search page.
type searchParams struct {
	Q           string
	People      []string
	Commodities []string
	Orgs        []string
	Places      []string
	Sources     []string
	From, To    string
	Sort        string
	Page, Limit int
}

// query is the index query of the parameters.
func (p searchParams) query() index.Query {
	return index.Query{
		Text: p.Q, People: p.People, Commodities: p.Commodities, Sources: p.Sources,
		Organizations: p.Orgs, Places: p.Places,
		From: p.From, To: p.To, Sort: p.Sort,
		Limit: p.Limit, Offset: (p.Page - 1) * p.Limit,
	}
}

// values encodes the parameters back into a query string, leaving out
// defaults, for links to other pages of the same search.
func (p searchParams) values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", p.Q)
	v["person"] = p.People
	v["commodity"] = p.Commodities
	v["org"] = p.Orgs
	v["place"] = p.Places
	v["source"] = p.Sources
	set("from", p.From)
	set("to", p.To)
	if p.Sort != index.SortRelevance {
		set("sort", p.Sort)
	}
	if p.Limit != index.DefaultLimit {
		v.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Page > 1 {
		v.Set("page", strconv.Itoa(p.Page))
	}
	for k, vs := range v {
		if len(vs) == 0 {
			delete(v, k)
		}
	}
	return v
}

// parseSearch reads and checks the search parameters of r.
func parseSearch(r *http.Request) (searchParams, error) {
	v := r.URL.Query()
	p := searchParams{Q: strings.TrimSpace(v.Get("q")), Sort: v.Get("sort"), Page: 1, Limit: index.DefaultLimit}
	if len(p.Q) > MaxQueryBytes {
		return p, errBadRequest("q: query is %d bytes long; the limit is %d", len(p.Q), MaxQueryBytes)
	}
	if !utf8.ValidString(p.Q) {
		return p, errBadRequest("q: not valid UTF-8")
	}
	var err error
	if p.People, err = filterValues(v, "person"); err != nil {
		return p, err
	}
	if p.Commodities, err = filterValues(v, "commodity"); err != nil {
		return p, err
	}
	if p.Sources, err = filterValues(v, "source"); err != nil {
		return p, err
	}
	if p.Orgs, err = filterValues(v, "org"); err != nil {
		return p, err
	}
	if p.Places, err = filterValues(v, "place"); err != nil {
		return p, err
	}
	switch p.Sort {
	case "":
		p.Sort = index.SortRelevance
	case index.SortRelevance, index.SortDate:
	default:
		return p, errBadRequest("sort %q: want relevance or date", p.Sort)
	}
	now := time.Now()
	if p.From, err = dateParam(v, "from", now, false); err != nil {
		return p, err
	}
	if p.To, err = dateParam(v, "to", now, true); err != nil {
		return p, err
	}
	if p.From != "" && p.To != "" && p.To < p.From {
		return p, errBadRequest("to %s is before from %s", p.To, p.From)
	}
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxPage {
			return p, errBadRequest("page %q: want a number from 1 to %d", s, MaxPage)
		}
		p.Page = n
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return p, errBadRequest("limit %q: want a number from 1 to %d", s, MaxLimit)
		}
		p.Limit = min(n, MaxLimit)
	}
	return p, nil
}

// filterValues returns the non-empty values of a repeatable parameter.
func filterValues(v url.Values, name string) ([]string, error) {
	var out []string
	for _, s := range v[name] {
		if s = strings.TrimSpace(s); s != "" {
			if !utf8.ValidString(s) {
				return nil, errBadRequest("%s: not valid UTF-8", name)
			}
			out = append(out, s)
		}
	}
	if len(out) > MaxFilterValues {
		return nil, errBadRequest("%s: %d values; the limit is %d", name, len(out), MaxFilterValues)
	}
	return out, nil
}

// dateParam reads an optional date bound as YYYY-MM-DD, in any syntax
// index.ParseDate accepts (the CLI's --from and --to take the same); upper
// says it ends the range.
func dateParam(v url.Values, name string, now time.Time, upper bool) (string, error) {
	d, err := index.ParseDate(v.Get(name), now, upper)
	if err != nil {
		return "", errBadRequest("%s: %v", name, err)
	}
	return d, nil
}

// discrepancyParams are the filters of /api/discrepancies and its page.
type discrepancyParams struct {
	// Kind is the kind parameter as given, for the form.
	Kind          string
	Kinds         []trawl.DiscrepancyKind
	MinConfidence float64
	// MinConfidenceText is min_confidence as given, for the form.
	MinConfidenceText string
}

// parseDiscrepancies reads kind (comma-separated or repeated; "name" stands
// for both name kinds, "change" for figure-change) and min_confidence (0 to
// 1).
func parseDiscrepancies(r *http.Request) (discrepancyParams, error) {
	v := r.URL.Query()
	var p discrepancyParams
	var given []string
	for _, s := range v["kind"] {
		for _, k := range strings.Split(s, ",") {
			if k = strings.TrimSpace(k); k != "" {
				given = append(given, k)
			}
		}
	}
	if len(given) > MaxFilterValues {
		return p, errBadRequest("kind: %d values; the limit is %d", len(given), MaxFilterValues)
	}
	p.Kind = strings.Join(given, ",")
	for _, k := range given {
		ks, err := trawl.ParseDiscrepancyKinds(k)
		if err != nil {
			return p, errBadRequest("kind %v", err)
		}
		p.Kinds = append(p.Kinds, ks...)
	}
	if s := strings.TrimSpace(v.Get("min_confidence")); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 0 || f > 1 || f != f {
			return p, errBadRequest("min_confidence %q: want a number from 0 to 1", s)
		}
		p.MinConfidence, p.MinConfidenceText = f, s
	}
	return p, nil
}

// idParam is the id of an article or entity: the rest of the path after the
// endpoint, or the id query parameter.
func idParam(r *http.Request) (string, error) {
	id := r.PathValue("id")
	if id == "" {
		id = r.URL.Query().Get("id")
	}
	if id == "" {
		return "", errBadRequest("id: missing")
	}
	if len(id) > MaxQueryBytes || !utf8.ValidString(id) {
		return "", errBadRequest("id: not a valid id")
	}
	return id, nil
}
