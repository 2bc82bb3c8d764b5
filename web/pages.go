package web

import (
	"bytes"
	"cmp"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/report"
	"github.com/trawlnews/trawl/store"
)

// pageNames are the templates under templates/, each rendered inside
// layout.html.
var pageNames = []string{"decisions", "search", "article", "entities", "entity", "discrepancies", "error"}

// templates parses the embedded templates once.
var templates = sync.OnceValue(func() map[string]*template.Template {
	funcs := template.FuncMap{
		"pct":   func(f float64) string { return strconv.FormatFloat(f*100, 'f', 0, 64) + "%" },
		"lower": strings.ToLower,
		// slug makes a class name of a status such as "short form".
		"slug": func(s trawl.VariantStatus) string { return strings.ReplaceAll(strings.ToLower(string(s)), " ", "-") },
		// discrepancy is the one HTML rendering of a discrepancy, shared
		// with the CLI's HTML report.
		"discrepancy": func(d trawl.Discrepancy) (template.HTML, error) { return report.DiscrepancyHTML(d, discrepancyLinks) },
		"plural": func(n any, one, many string) string {
			if fmt.Sprint(n) == "1" {
				return one
			}
			return many
		},
	}
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		out[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	return out
})

// view is what every page template gets.
type view struct {
	// Title is the page's <title> and <h1>.
	Title string
	// Nav names the navigation entry of the page: search, entities or
	// discrepancies.
	Nav string
	// Page is the page's own data.
	Page any
}

// page adapts a handler that returns a template name and its data,
// rendering errors as an HTML error page with the right status.
func (s *server) page(fn func(*http.Request) (string, view, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name, v, err := fn(r)
		code := http.StatusOK
		if err != nil {
			var msg string
			code, msg = s.status(r, err)
			name, v = "error", view{Title: http.StatusText(code), Page: errorView{Status: code, Message: msg}}
			if code == http.StatusServiceUnavailable {
				w.Header().Set("Retry-After", "5")
			}
			if code == http.StatusMethodNotAllowed {
				w.Header().Set("Allow", "GET, HEAD")
			}
		}
		var buf bytes.Buffer
		if err := templates()[name].ExecuteTemplate(&buf, "layout", v); err != nil {
			s.logf("web: render %s: %v", name, err)
			http.Error(w, "internal error (see the server log)", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		buf.WriteTo(w)
	}
}

// errorView is the data of the error page.
type errorView struct {
	Status  int
	Message string
}

// searchView is the data of the search page.
type searchView struct {
	Params     searchParams
	Warning    string
	Total      uint64
	Hits       []hitView
	Facets     []facetGroup
	Pagination []pageLink
	Prev, Next string
	First      int // 1-based number of the first hit shown
	Active     int // filters in use besides the text
	Sorts      []option
}

type hitView struct {
	Title, Href, ID, Source, Published string
	Snippet                            template.HTML
	MatchedVariants                    []string
	People                             []link
	Commodities                        []string
	// AlsoPublished are the hit's near-duplicate copies, by source (or id).
	AlsoPublished []link
}

type link struct{ Text, Href string }

type option struct {
	Value, Label string
	Selected     bool
}

type facetGroup struct {
	Param, Legend string
	Items         []facetItem
}

type facetItem struct {
	Value, Label string
	Count        int
	Checked      bool
}

type pageLink struct {
	Number  int
	Href    string
	Current bool
}

func (s *server) searchPage(r *http.Request) (string, view, error) {
	p, err := parseSearch(r)
	if err != nil {
		return "", view{}, err
	}
	sr, err := s.search(r.Context(), p)
	if err != nil {
		return "", view{}, err
	}
	res := sr.res
	sv := searchView{Params: p, Warning: sr.warning, Total: res.Total, First: (p.Page-1)*p.Limit + 1}
	sv.Active = len(p.People) + len(p.Commodities) + len(p.Sources) + len(p.Orgs) + len(p.Places)
	if p.From != "" {
		sv.Active++
	}
	if p.To != "" {
		sv.Active++
	}
	for _, o := range []option{{Value: "relevance", Label: "Relevance"}, {Value: "date", Label: "Newest first"}} {
		o.Selected = o.Value == p.Sort
		sv.Sorts = append(sv.Sorts, o)
	}
	for _, h := range res.Hits {
		hv := hitView{
			Title: cmp.Or(h.Title, h.ID), Href: articleURL(h.ID, ""), ID: h.ID,
			Source: h.Source, Published: h.Published,
			Snippet: safeSnippet(h.Snippet), MatchedVariants: h.MatchedVariants, Commodities: h.Commodities,
		}
		for _, pr := range h.People {
			hv.People = append(hv.People, link{cmp.Or(pr.Canonical, sr.names[pr.ID], pr.ID), entityURL(pr.ID)})
		}
		for _, c := range h.AlsoPublished {
			hv.AlsoPublished = append(hv.AlsoPublished, link{cmp.Or(c.Source, c.ID), articleURL(c.ID, "")})
		}
		sv.Hits = append(sv.Hits, hv)
	}
	groups := []struct {
		facet, param, legend string
		selected             []string
	}{
		{"person", "person", "People", p.People},
		{"commodity", "commodity", "Commodities mentioned", p.Commodities},
		{"org", "org", "Organisations", p.Orgs},
		{"place", "place", "Places", p.Places},
		{"source", "source", "Sources", p.Sources},
	}
	named := namedLabels(res.Hits)
	for _, g := range groups {
		fg := facetGroup{Param: g.param, Legend: g.legend}
		seen := map[string]bool{}
		for _, f := range res.Facets[g.facet] {
			label := f.Term
			if g.facet == "person" {
				label = cmp.Or(sr.names[f.Term], f.Term)
			} else if g.facet == "org" || g.facet == "place" {
				label = named.label(g.facet, f.Term)
			}
			fg.Items = append(fg.Items, facetItem{Value: f.Term, Label: label, Count: f.Count, Checked: slices.Contains(g.selected, f.Term)})
			seen[f.Term] = true
		}
		// A selected value the facet does not list stays visible, so it can
		// be unticked.
		for _, v := range g.selected {
			if !seen[v] {
				label := v
				if g.facet == "person" {
					label = cmp.Or(sr.names[v], v)
				}
				fg.Items = append(fg.Items, facetItem{Value: v, Label: label, Checked: true})
				seen[v] = true
			}
		}
		if len(fg.Items) > 0 {
			sv.Facets = append(sv.Facets, fg)
		}
	}
	n := pages(res.Total, p.Limit)
	at := func(page int) string {
		q := p
		q.Page = page
		return "/?" + q.values().Encode()
	}
	if p.Page > 1 {
		sv.Prev = at(p.Page - 1)
	}
	if p.Page < n {
		sv.Next = at(p.Page + 1)
	}
	if n > 1 {
		lo, hi := max(1, p.Page-3), min(n, p.Page+3)
		for i := lo; i <= hi; i++ {
			sv.Pagination = append(sv.Pagination, pageLink{Number: i, Href: at(i), Current: i == p.Page})
		}
	}
	title := "Search"
	if p.Q != "" {
		title = "Search: " + p.Q
	}
	return "search", view{Title: title, Nav: "search", Page: sv}, nil
}

// safeSnippet returns the index's snippet as HTML when it is what the index
// promises (escaped text with balanced <mark> tags only), and the snippet
// escaped as plain text otherwise.
func safeSnippet(s string) template.HTML {
	depth := 0
	rest := s
	for {
		i := strings.IndexAny(rest, "<>")
		if i < 0 {
			break
		}
		switch {
		case strings.HasPrefix(rest[i:], "<mark>") && depth == 0:
			depth, rest = 1, rest[i+len("<mark>"):]
		case strings.HasPrefix(rest[i:], "</mark>") && depth == 1:
			depth, rest = 0, rest[i+len("</mark>"):]
		default:
			return template.HTML(html.EscapeString(s))
		}
	}
	if depth != 0 {
		return template.HTML(html.EscapeString(s))
	}
	return template.HTML(s)
}

// articleView is the data of the article page.
type articleView struct {
	Article  trawl.Article
	Segments []segment
	Mentions []mentionView
	Counts   []kindCount
}

// segment is a run of the article text, plain or one mention.
type segment struct {
	Text string
	// Kind is the lower-case mention type, "" for plain text.
	Kind   string
	Anchor string
	Title  string
	// Href links a person mention to its entity.
	Href string
}

type mentionView struct {
	Kind, Text, Value, Detail, Anchor string
	Entity                            link
}

type kindCount struct {
	Kind, Label string
	Count       int
}

// kindLabels are the legend labels of the mention kinds.
var kindLabels = map[trawl.Kind]string{
	trawl.Person:       "Person",
	trawl.Date:         "Date",
	trawl.Percent:      "Percentage",
	trawl.Commodity:    "Commodity",
	trawl.Organization: "Organisation",
	trawl.Location:     "Place",
}

// mentionAnchor is the id of a mention's element on the article page.
func mentionAnchor(start, end int) string { return fmt.Sprintf("m-%d-%d", start, end) }

func (s *server) articlePage(r *http.Request) (string, view, error) {
	id, err := idParam(r)
	if err != nil {
		return "", view{}, err
	}
	type result struct {
		a     trawl.Article
		names map[string]string
	}
	res, err := withStore(s, func(st *store.Store) (result, error) {
		a, ok, err := st.Article(id)
		if err != nil {
			return result{}, err
		}
		if !ok {
			return result{}, errNotFound("no article %q", id)
		}
		es, err := st.Entities()
		if err != nil {
			return result{}, err
		}
		names := map[string]string{}
		for _, e := range es {
			names[e.ID] = e.Canonical
		}
		return result{a, names}, nil
	})
	if err != nil {
		return "", view{}, err
	}
	av := articleView{Article: res.a}
	av.Segments, av.Mentions = segments(res.a, res.names)
	counts := map[trawl.Kind]int{}
	for _, m := range res.a.Mentions {
		counts[m.Type]++
	}
	for _, k := range trawl.Kinds {
		av.Counts = append(av.Counts, kindCount{Kind: strings.ToLower(string(k)), Label: kindLabels[k], Count: counts[k]})
	}
	return "article", view{Title: cmp.Or(res.a.Title, res.a.ID), Page: av}, nil
}

// segments cuts the article text at its mentions' byte offsets. Mentions
// that overlap an earlier one or whose offsets do not fit the text are left
// out of the highlighting but still listed.
func segments(a trawl.Article, names map[string]string) ([]segment, []mentionView) {
	ms := slices.Clone(a.Mentions)
	slices.SortStableFunc(ms, func(x, y trawl.Mention) int {
		return cmp.Or(cmp.Compare(x.Start, y.Start), cmp.Compare(y.End, x.End))
	})
	text := a.Text
	var segs []segment
	var views []mentionView
	pos := 0
	for _, m := range ms {
		kind := strings.ToLower(string(m.Type))
		mv := mentionView{Kind: kind, Text: m.Text, Value: m.Value, Detail: mentionDetail(m)}
		if m.Type == trawl.Person && m.Entity != "" {
			mv.Entity = link{cmp.Or(names[m.Entity], m.Entity), entityURL(m.Entity)}
		}
		if m.Start >= pos && m.Start < m.End && m.End <= len(text) && boundary(text, m.Start) && boundary(text, m.End) {
			if m.Start > pos {
				segs = append(segs, segment{Text: text[pos:m.Start]})
			}
			sg := segment{Text: text[m.Start:m.End], Kind: kind, Anchor: mentionAnchor(m.Start, m.End), Title: mentionTitle(m, names)}
			if m.Type == trawl.Person && m.Entity != "" {
				sg.Href = entityURL(m.Entity)
			}
			segs = append(segs, sg)
			mv.Anchor = sg.Anchor
			pos = m.End
		}
		views = append(views, mv)
	}
	if pos < len(text) {
		segs = append(segs, segment{Text: text[pos:]})
	}
	return segs, views
}

// boundary reports whether byte offset i of s starts a character (or is
// the end).
func boundary(s string, i int) bool {
	return i == len(s) || utf8.RuneStart(s[i])
}

// mentionTitle is the hover text of a mention: its kind, normalised value,
// role and entity.
func mentionTitle(m trawl.Mention, names map[string]string) string {
	lines := []string{kindLabels[m.Type]}
	if lines[0] == "" {
		lines[0] = string(m.Type)
	}
	if m.Type == trawl.Person && m.Entity != "" {
		lines = append(lines, "entity: "+cmp.Or(names[m.Entity], m.Entity))
	}
	if m.Value != "" {
		lines = append(lines, "value: "+m.Value)
	}
	if d := mentionDetail(m); d != "" {
		lines = append(lines, d)
	}
	return strings.Join(lines, "\n")
}

// mentionDetail is what a mention says besides its value: role, unit,
// change, subject, category, warning.
func mentionDetail(m trawl.Mention) string {
	var parts []string
	add := func(label, v string) {
		if v != "" {
			parts = append(parts, label+": "+v)
		}
	}
	add("role", m.Role)
	add("unit", m.Unit)
	add("change", m.Change)
	add("from", m.From)
	add("subject", m.Subject)
	add("category", m.Category)
	add("warning", m.Warning)
	return strings.Join(parts, "; ")
}

// entityView is the data of an entity's page.
type entityView struct {
	Entity   trawl.Entity
	Roles    []roleView
	Timeline []timelineItem
	// Search is the address of the search for the entity's articles;
	// Discrepancies link to the discrepancies about the entity.
	Search        string
	Discrepancies []link
}

// roleView is a role the entity has in one article.
type roleView struct {
	Role, Published, Title, Href string
}

// timelineItem is one article that mentions the entity.
type timelineItem struct {
	Published, Title, Source, Href string
	Spellings, Roles               []string
}

func (s *server) entityPage(r *http.Request) (string, view, error) {
	id, err := idParam(r)
	if err != nil {
		return "", view{}, err
	}
	ev, err := withStore(s, func(st *store.Store) (entityView, error) {
		e, ok, err := st.Entity(id)
		if err != nil {
			return entityView{}, err
		}
		if !ok {
			return entityView{}, errNotFound("no entity %q", id)
		}
		ev := entityView{Entity: e}
		titles := map[string]string{}
		for _, aid := range e.Articles {
			a, ok, err := st.Article(aid)
			if err != nil {
				return entityView{}, err
			}
			if !ok {
				continue
			}
			it := timelineItem{Published: a.Published, Title: cmp.Or(a.Title, a.ID), Source: a.Source, Href: articleURL(a.ID, "")}
			for _, m := range a.Mentions {
				if m.Type != trawl.Person || m.Entity != e.ID {
					continue
				}
				if len(it.Spellings) == 0 {
					it.Href = articleURL(a.ID, mentionAnchor(m.Start, m.End))
				}
				if !slices.Contains(it.Spellings, m.Text) {
					it.Spellings = append(it.Spellings, m.Text)
				}
				if m.Role != "" && !slices.Contains(it.Roles, m.Role) {
					it.Roles = append(it.Roles, m.Role)
				}
			}
			ev.Timeline = append(ev.Timeline, it)
			titles[a.ID] = it.Title
		}
		for _, ro := range e.Roles {
			ev.Roles = append(ev.Roles, roleView{Role: ro.Role, Published: ro.Published, Title: cmp.Or(titles[ro.Article], ro.Article), Href: articleURL(ro.Article, "")})
		}
		return ev, nil
	})
	if err != nil {
		return "", view{}, err
	}
	// Oldest first; undated articles last.
	slices.SortStableFunc(ev.Timeline, func(a, b timelineItem) int {
		if (a.Published == "") != (b.Published == "") {
			if a.Published == "" {
				return 1
			}
			return -1
		}
		return strings.Compare(a.Published, b.Published)
	})
	return "entity", view{Title: ev.Entity.Canonical, Nav: "entities", Page: ev}, nil
}

// discrepanciesView is the data of the discrepancy report page.
type discrepanciesView struct {
	Params        discrepancyParams
	Kinds         []option
	Discrepancies []trawl.Discrepancy
	// Changes are the figure changes articles report, shown apart as
	// context under ChangesHeading.
	Changes        []trawl.Discrepancy
	ChangesHeading string
	// Articles and Undated count the store's articles and those without a
	// publication date, for the note that date and figure conflicts need
	// dates.
	Articles, Undated int
}

// discrepancyLinks link a discrepancy to the entity it concerns and its
// evidence to the mention on the article page.
var discrepancyLinks = report.Links{
	Entity:   entityURL,
	Evidence: func(e trawl.Evidence) string { return articleURL(e.Article, mentionAnchor(e.Start, e.End)) },
}

func (s *server) discrepanciesPage(r *http.Request) (string, view, error) {
	p, err := parseDiscrepancies(r)
	if err != nil {
		return "", view{}, err
	}
	var counts store.Counts
	ds, err := withStore(s, func(st *store.Store) ([]trawl.Discrepancy, error) {
		var err error
		if counts, err = st.LastCounts(false); err != nil {
			return nil, err
		}
		return st.Discrepancies()
	})
	if err != nil {
		return "", view{}, err
	}
	ds = report.Filter(ds, p.Kinds, p.MinConfidence)
	dv := discrepanciesView{Params: p, ChangesHeading: report.ChangesHeading, Articles: counts.Articles, Undated: counts.Undated}
	dv.Kinds = append(dv.Kinds, option{Value: "", Label: "all kinds", Selected: p.Kind == ""}, option{Value: "name", Label: "name", Selected: p.Kind == "name"})
	for _, k := range trawl.DiscrepancyKinds {
		dv.Kinds = append(dv.Kinds, option{Value: string(k), Label: string(k), Selected: string(k) == p.Kind})
	}
	dv.Discrepancies, dv.Changes = trawl.SplitChanges(ds)
	return "discrepancies", view{Title: "Discrepancies", Nav: "discrepancies", Page: dv}, nil
}
