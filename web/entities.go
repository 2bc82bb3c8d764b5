package web

import (
	"cmp"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/figures"
	"github.com/trawlnews/trawl/index"
	"github.com/trawlnews/trawl/report"
	"github.com/trawlnews/trawl/store"
	"github.com/trawlnews/trawl/tally"
)

func init() {
	pageNames = append(pageNames, "tally")
}

// EntityPageSize is the number of entities a page of the entity list shows.
const EntityPageSize = 100

// entityTypes are the values of the type parameter of the entity lists, in
// the order the tabs show them.
var entityTypes = []struct {
	Value, Label string
	Kind         trawl.Kind
}{
	{"person", "People", trawl.Person},
	{"organization", "Organisations", trawl.Organization},
	{"location", "Places", trawl.Location},
	{"commodity", "Commodities", trawl.Commodity},
}

// entityListParams are the parameters of the entity lists: type, name (a
// part of the name or a spelling, any case) and page.
type entityListParams struct {
	Type, Label string
	Kind        trawl.Kind
	Name        string
	Page        int
	// Limit is the page size of the API: 0 means the whole list.
	Limit int
}

func parseEntityList(r *http.Request, api bool) (entityListParams, error) {
	v := r.URL.Query()
	p := entityListParams{Type: cmp.Or(v.Get("type"), "person"), Name: strings.TrimSpace(v.Get("name")), Page: 1}
	i := slices.IndexFunc(entityTypes, func(t struct {
		Value, Label string
		Kind         trawl.Kind
	}) bool {
		return t.Value == p.Type
	})
	if i < 0 {
		return p, errBadRequest("type %q: want person, organization, location or commodity", p.Type)
	}
	p.Label, p.Kind = entityTypes[i].Label, entityTypes[i].Kind
	if len(p.Name) > MaxQueryBytes {
		return p, errBadRequest("name: longer than %d bytes", MaxQueryBytes)
	}
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxPage {
			return p, errBadRequest("page %q: want 1 to %d", s, MaxPage)
		}
		p.Page = n
	}
	if s := v.Get("limit"); s != "" && api {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return p, errBadRequest("limit %q: want 1 or more", s)
		}
		p.Limit = min(n, 1000)
	} else if !api {
		p.Limit = EntityPageSize
	}
	return p, nil
}

// values encodes the parameters for a link, with page and format.
func (p entityListParams) url(base string, page int, format string) string {
	v := url.Values{}
	if p.Type != "person" {
		v.Set("type", p.Type)
	}
	if p.Name != "" {
		v.Set("name", p.Name)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if format != "" {
		v.Set("format", format)
	}
	if len(v) == 0 {
		return base
	}
	return base + "?" + v.Encode()
}

// entityRow is one line of an entity list, whatever its kind.
type entityRow struct {
	ID, Name, Href     string
	Variants, Roles    []string
	Category, HS       string
	Articles, Mentions int
}

// entityList is one page of one kind of entity, filtered.
type entityList struct {
	Total int
	Rows  []entityRow
	// The underlying entities of the page, for the API.
	people []trawl.Entity
	others []tally.Entity
}

// storeTally collects the commodities, organisations and places of st.
func storeTally(st *store.Store) (*tally.Collector, error) {
	col := tally.NewCollector()
	err := st.Articles(func(a trawl.Article) error {
		col.Add(a)
		return nil
	})
	return col, err
}

// listEntities reads the entities of p.Kind that match p.Name, and the page
// of them p asks for (all of them when p.Limit is 0).
func listEntities(st *store.Store, p entityListParams) (entityList, error) {
	name := strings.ToLower(p.Name)
	var out entityList
	page := func(n int) (lo, hi int) {
		if p.Limit == 0 {
			return 0, n
		}
		lo = min((p.Page-1)*p.Limit, n)
		return lo, min(lo+p.Limit, n)
	}
	if p.Kind == trawl.Person {
		es, err := st.Entities()
		if err != nil {
			return out, err
		}
		es = slices.DeleteFunc(slices.Clone(es), func(e trawl.Entity) bool { return !personMatches(e, name) })
		slices.SortStableFunc(es, func(a, b trawl.Entity) int {
			return cmp.Or(cmp.Compare(len(b.Articles), len(a.Articles)), cmp.Compare(b.Mentions, a.Mentions), strings.Compare(a.Canonical, b.Canonical))
		})
		out.Total = len(es)
		lo, hi := page(len(es))
		out.people = es[lo:hi]
		for _, e := range out.people {
			row := entityRow{ID: e.ID, Name: e.Canonical, Href: entityURL(e.ID), Articles: len(e.Articles), Mentions: e.Mentions}
			for _, v := range e.Variants {
				if v.Name != e.Canonical {
					row.Variants = append(row.Variants, v.Name)
				}
			}
			for _, ro := range e.Roles {
				if !slices.Contains(row.Roles, ro.Role) {
					row.Roles = append(row.Roles, ro.Role)
				}
			}
			out.Rows = append(out.Rows, row)
		}
		return out, nil
	}
	col, err := storeTally(st)
	if err != nil {
		return out, err
	}
	es := slices.DeleteFunc(col.Entities(p.Kind), func(e tally.Entity) bool { return !tallyMatches(e, name) })
	out.Total = len(es)
	lo, hi := page(len(es))
	out.others = es[lo:hi]
	for _, e := range out.others {
		out.Rows = append(out.Rows, entityRow{ID: e.ID, Name: e.Name, Href: entityURL(e.ID), Variants: slices.DeleteFunc(slices.Clone(e.Variants), func(v string) bool { return v == e.Name }),
			Category: e.Category, HS: e.HS, Articles: len(e.Articles), Mentions: e.Mentions})
	}
	return out, nil
}

// personMatches reports whether a person's id, canonical name or a variant
// contains name (lower case; "" matches everyone).
func personMatches(e trawl.Entity, name string) bool {
	if name == "" || strings.Contains(strings.ToLower(e.Canonical), name) || strings.Contains(e.ID, name) {
		return true
	}
	return slices.ContainsFunc(e.Variants, func(v trawl.Variant) bool { return strings.Contains(strings.ToLower(v.Name), name) })
}

// tallyMatches is personMatches for commodities, organisations and places.
func tallyMatches(e tally.Entity, name string) bool {
	if name == "" || strings.Contains(strings.ToLower(e.Name), name) || strings.Contains(e.ID, name) {
		return true
	}
	return slices.ContainsFunc(e.Variants, func(v string) bool { return strings.Contains(strings.ToLower(v), name) })
}

// entityListView is the data of the entity list page.
type entityListView struct {
	Params     entityListParams
	Types      []option
	Total      int
	Rows       []entityRow
	First      int
	Last       int
	Prev, Next string
	CSV, JSONL string
}

func (s *server) entityListPage(r *http.Request) (string, view, error) {
	if r.URL.Query().Has("id") {
		return s.anyEntityPage(r)
	}
	p, err := parseEntityList(r, false)
	if err != nil {
		return "", view{}, err
	}
	list, err := withStore(s, func(st *store.Store) (entityList, error) { return listEntities(st, p) })
	if err != nil {
		return "", view{}, err
	}
	ev := entityListView{Params: p, Total: list.Total, Rows: list.Rows, First: (p.Page-1)*p.Limit + 1,
		Last: (p.Page-1)*p.Limit + len(list.Rows), CSV: p.url("/api/entities", 1, "csv"), JSONL: p.url("/api/entities", 1, "jsonl")}
	for _, t := range entityTypes {
		ev.Types = append(ev.Types, option{Value: entityListParams{Type: t.Value, Name: p.Name}.url("/entities", 1, ""), Label: t.Label, Selected: t.Value == p.Type})
	}
	if p.Page > 1 {
		ev.Prev = p.url("/entities", p.Page-1, "")
	}
	if p.Page*p.Limit < list.Total {
		ev.Next = p.url("/entities", p.Page+1, "")
	}
	return "entities", view{Title: p.Label, Nav: "entities", Page: ev}, nil
}

// apiEntityList serves /api/entities: the entities of one type (people by
// default), filtered by name, all of them or a page of limit.
func (s *server) apiEntityList(r *http.Request) (any, error) {
	p, err := parseEntityList(r, true)
	if err != nil {
		return nil, err
	}
	if p.Kind == trawl.Person && p.Name == "" && p.Limit == 0 {
		return s.streamPeople(r, p)
	}
	return withStore(s, func(st *store.Store) (any, error) {
		list, err := listEntities(st, p)
		if err != nil {
			return nil, err
		}
		if p.Kind == trawl.Person {
			return nonNil(list.people), nil
		}
		return nonNil(list.others), nil
	})
}

// streamPeople writes every reconciled person in the order of the paged
// list, one at a time, while holding a slot until the response is written:
// the whole list is never encoded in memory, and at most as many lists as
// there are slots are held however many clients read slowly.
func (s *server) streamPeople(r *http.Request, p entityListParams) (any, error) {
	release, err := s.acquire(r.Context())
	if err != nil {
		return nil, err
	}
	st, err := s.openStore()
	if err != nil {
		release()
		return nil, err
	}
	list, err := listEntities(st, p)
	st.Close()
	if err != nil {
		release()
		return nil, err
	}
	return &stream{
		write: func(w io.Writer) error {
			return jsonArray(w, func(fn func(trawl.Entity) error) error {
				for _, e := range list.people {
					if err := fn(e); err != nil {
						return err
					}
				}
				return nil
			})
		},
		close: release,
	}, nil
}

func (s *server) exportEntities(r *http.Request, format string) (string, func(io.Writer) error, error) {
	p, err := parseEntityList(r, true)
	if err != nil {
		return "", nil, err
	}
	list, err := withStore(s, func(st *store.Store) (entityList, error) { return listEntities(st, p) })
	if err != nil {
		return "", nil, err
	}
	return "entities-" + p.Type, func(w io.Writer) error {
		if p.Kind == trawl.Person {
			return report.WriteList(w, format, report.PersonHeader, report.PersonCells, list.people)
		}
		return report.WriteList(w, format, tally.Header, tally.Entity.Cells, list.others)
	}, nil
}

func (s *server) exportDiscrepancies(r *http.Request, format string) (string, func(io.Writer) error, error) {
	p, err := parseDiscrepancies(r)
	if err != nil {
		return "", nil, err
	}
	ds, err := withStore(s, func(st *store.Store) ([]trawl.Discrepancy, error) { return st.Discrepancies() })
	if err != nil {
		return "", nil, err
	}
	ds = report.Filter(ds, p.Kinds, p.MinConfidence)
	return "discrepancies", func(w io.Writer) error {
		if format == "csv" {
			return report.WriteCSV(w, ds)
		}
		return report.WriteList(w, format, nil, nil, ds)
	}, nil
}

// tallyView is the data of a commodity's, organisation's or place's page.
type tallyView struct {
	Entity   tally.Entity
	Kind     string
	Search   string
	Articles []timelineItem
	Figures  []link
	// Discrepancies are the figure conflicts whose subject names the entity.
	Discrepancies []link
}

// anyEntityPage shows a person's page, or else a commodity's, an
// organisation's or a place's.
func (s *server) anyEntityPage(r *http.Request) (string, view, error) {
	name, v, err := s.entityPage(r)
	var he *httpError
	if err == nil {
		ev := v.Page.(entityView)
		ev.Search = "/?" + url.Values{"person": {ev.Entity.ID}}.Encode()
		ev.Discrepancies, err = withStore(s, func(st *store.Store) ([]link, error) {
			ds, err := st.Discrepancies()
			var out []link
			for _, d := range ds {
				if d.Entity == ev.Entity.ID {
					out = append(out, link{string(d.Kind) + ": " + d.Summary, "/discrepancies#" + d.ID})
				}
			}
			return out, err
		})
		v.Page = ev
		return name, v, err
	}
	if !errors.As(err, &he) || he.status != http.StatusNotFound {
		return name, v, err
	}
	id, _ := idParam(r)
	tv, err := withStore(s, func(st *store.Store) (tallyView, error) {
		col, err := storeTally(st)
		if err != nil {
			return tallyView{}, err
		}
		// The figure series of the entity's articles, read one by one below.
		fcol := figures.NewCollector()
		e, ok := col.Find(id)
		if !ok {
			return tallyView{}, errNotFound("no entity %q", id)
		}
		tv := tallyView{Entity: e, Kind: kindWord(e.Type)}
		tv.Search = "/?" + searchFilter(e).Encode()
		for _, aid := range e.Articles {
			a, ok, err := st.Article(aid)
			if err != nil {
				return tv, err
			}
			if !ok {
				continue
			}
			fcol.Add(a)
			it := timelineItem{Published: a.Published, Title: cmp.Or(a.Title, a.ID), Source: a.Source, Href: articleURL(a.ID, "")}
			for _, m := range a.Mentions {
				if m.Type == e.Type && slices.Contains(e.Variants, spellingOf(m)) && !slices.Contains(it.Spellings, m.Text) {
					if len(it.Spellings) == 0 {
						it.Href = articleURL(a.ID, mentionAnchor(m.Start, m.End))
					}
					it.Spellings = append(it.Spellings, m.Text)
				}
			}
			tv.Articles = append(tv.Articles, it)
		}
		slices.SortStableFunc(tv.Articles, func(a, b timelineItem) int { return strings.Compare(b.Published, a.Published) })
		for _, sr := range fcol.Series() {
			if mentionsEntity(sr.Wordings, e) {
				tv.Figures = append(tv.Figures, link{sr.Subject, figureURL(sr.Key)})
			}
		}
		ds, err := st.Discrepancies()
		for _, d := range ds {
			if (d.Kind == trawl.FigureConflict || d.Kind == trawl.FigureChange) && mentionsEntity([]string{d.Subject}, e) {
				tv.Discrepancies = append(tv.Discrepancies, link{string(d.Kind) + ": " + d.Summary, "/discrepancies#" + d.ID})
			}
		}
		return tv, err
	})
	if err != nil {
		return "", view{}, err
	}
	return "tally", view{Title: tv.Entity.Name, Nav: "entities", Page: tv}, nil
}

// apiAnyEntity serves /api/entities/{id}: a person, or else a commodity,
// an organisation or a place.
func (s *server) apiAnyEntity(r *http.Request) (any, error) {
	v, err := s.apiEntity(r)
	var he *httpError
	if err == nil || !errors.As(err, &he) || he.status != http.StatusNotFound {
		return v, err
	}
	id, _ := idParam(r)
	return withStore(s, func(st *store.Store) (any, error) {
		col, err := storeTally(st)
		if err != nil {
			return nil, err
		}
		e, ok := col.Find(id)
		if !ok {
			return nil, errNotFound("no entity %q", id)
		}
		return e, nil
	})
}

// spellingOf is how tally records the spelling of a mention.
func spellingOf(m trawl.Mention) string {
	if m.Type == trawl.Commodity {
		return strings.ToLower(strings.TrimSpace(m.Text))
	}
	return strings.Join(strings.Fields(m.Text), " ")
}

// mentionsEntity reports whether one of the texts contains the entity's
// name or a spelling of it, as whole words, in any case.
func mentionsEntity(texts []string, e tally.Entity) bool {
	for _, t := range texts {
		t = " " + strings.Join(strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return r == ' ' || r == ',' || r == '.' }), " ") + " "
		for _, n := range append([]string{e.Name}, e.Variants...) {
			if n != "" && strings.Contains(t, " "+strings.ToLower(n)+" ") {
				return true
			}
		}
	}
	return false
}

// searchFilter is the search that finds an entity's articles.
func searchFilter(e tally.Entity) url.Values {
	switch e.Type {
	case trawl.Commodity:
		return url.Values{"commodity": {e.ID}}
	case trawl.Organization:
		return url.Values{"org": {strings.TrimPrefix(e.ID, tally.OrgPrefix)}}
	case trawl.Location:
		return url.Values{"place": {strings.TrimPrefix(e.ID, tally.PlacePrefix)}}
	}
	return url.Values{"q": {`"` + e.Name + `"`}}
}

// kindWord names a kind of entity in a sentence.
func kindWord(k trawl.Kind) string {
	switch k {
	case trawl.Organization:
		return "organisation"
	case trawl.Location:
		return "place"
	}
	return strings.ToLower(string(k))
}

// namedIndex maps the keys of organisations and places to the names the
// hits of a page give them, for the labels of their facets.
type namedIndex map[string]string

func namedLabels(hits []index.Hit) namedIndex {
	out := namedIndex{}
	for _, h := range hits {
		for _, n := range h.Organizations {
			out["org/"+n.Key] = cmp.Or(out["org/"+n.Key], n.Name)
		}
		for _, n := range h.Places {
			out["place/"+n.Key] = cmp.Or(out["place/"+n.Key], n.Name)
		}
	}
	return out
}

// label is the name of an organisation's or a place's key: as a hit of the
// page spells it, else the key with spaces for hyphens.
func (n namedIndex) label(facet, key string) string {
	if s := n[facet+"/"+key]; s != "" {
		return s
	}
	return strings.ReplaceAll(key, "-", " ")
}
