package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/index"
	"github.com/trawlnews/trawl/report"
	"github.com/trawlnews/trawl/store"
)

func decode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode JSON: %v\n%s", err, body)
	}
	return v
}

// mustGet fetches a path that must answer 200 and returns the body.
func mustGet(t *testing.T, srv *httptest.Server, path string) string {
	t.Helper()
	resp, body := get(t, srv, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", path, resp.StatusCode, body)
	}
	return body
}

func TestSearchAPIFindsTheSeedsForBessent(t *testing.T) {
	srv := newTestServer(t)
	resp, body := get(t, srv, "/api/search?q=Bessent&limit=100")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	res := decode[SearchResponse](t, body)
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
		if !strings.Contains(h.Snippet, "<mark>") {
			t.Errorf("hit %s: snippet has no <mark>: %q", h.ID, h.Snippet)
		}
		if !slices.ContainsFunc(h.People, func(p index.Person) bool { return p.Canonical == "Scott Bessent" }) {
			t.Errorf("hit %s does not mention Scott Bessent: %+v", h.ID, h.People)
		}
	}
	for _, id := range seedIDs {
		if !slices.Contains(ids, id) {
			t.Errorf("seed %s missing from the results %v", id, ids)
		}
	}
	if int(res.Total) != len(res.Hits) {
		t.Errorf("total %d, but %d hits on a page of 100", res.Total, len(res.Hits))
	}
	// The seed that misspells the name is found through the entity.
	for _, h := range res.Hits {
		if h.ID == seedIDs[0] && !slices.Contains(h.MatchedVariants, "Scott Besset") {
			t.Errorf("hit %s: matched_variants %v, want Scott Besset", h.ID, h.MatchedVariants)
		}
	}
	if fs := res.Facets["person"]; !slices.ContainsFunc(fs, func(f Facet) bool { return f.Label == "Scott Bessent" && f.Count == len(res.Hits) }) {
		t.Errorf("person facet %+v has no Scott Bessent counting every hit", fs)
	}
	// Each hit's url answers with that article.
	for _, h := range res.Hits {
		a := decode[trawl.Article](t, mustGet(t, srv, h.URL))
		if a.ID != h.ID {
			t.Errorf("GET %s gave article %q", h.URL, a.ID)
		}
	}
}

func TestSearchAPIFiltersAndPages(t *testing.T) {
	srv := newTestServer(t)
	all := decode[SearchResponse](t, mustGet(t, srv, "/api/search?limit=100"))
	if all.Total < 8 || int(all.Total) != len(all.Hits) {
		t.Fatalf("empty query matched %d articles (%d hits), want every article", all.Total, len(all.Hits))
	}
	// Pages of 3 cover every article once, in the same order.
	var want, paged []string
	for _, h := range all.Hits {
		want = append(want, h.ID)
	}
	first := decode[SearchResponse](t, mustGet(t, srv, "/api/search?limit=3"))
	if first.Pages != (len(want)+2)/3 {
		t.Errorf("pages = %d for %d hits by 3", first.Pages, len(want))
	}
	for page := 1; page <= first.Pages; page++ {
		r := decode[SearchResponse](t, mustGet(t, srv, "/api/search?limit=3&page="+strconv.Itoa(page)))
		if r.Page != page || r.Limit != 3 {
			t.Errorf("page %d: got page %d limit %d", page, r.Page, r.Limit)
		}
		for _, h := range r.Hits {
			paged = append(paged, h.ID)
		}
	}
	if diff := cmp.Diff(want, paged); diff != "" {
		t.Errorf("paging through by 3 (-want +got):\n%s", diff)
	}

	src := decode[SearchResponse](t, mustGet(t, srv, "/api/search?source="+url.QueryEscape("Metals Brief")))
	if src.Total != 2 {
		t.Errorf("source=Metals Brief: %d hits, want the 2 briefs", src.Total)
	}
	for _, h := range src.Hits {
		if h.Source != "Metals Brief" {
			t.Errorf("source filter let through %s from %q", h.ID, h.Source)
		}
	}
	dated := decode[SearchResponse](t, mustGet(t, srv, "/api/search?from=2025-06-11&to=2025-06-12&sort=date&limit=100"))
	if dated.Total == 0 {
		t.Error("from=2025-06-11 to=2025-06-12: no hits")
	}
	for i, h := range dated.Hits {
		if h.Published < "2025-06-11" || h.Published > "2025-06-12" {
			t.Errorf("date filter let through %s published %q", h.ID, h.Published)
		}
		if i > 0 && h.Published > dated.Hits[i-1].Published {
			t.Errorf("sort=date: %s (%s) after %s (%s)", h.ID, h.Published, dated.Hits[i-1].ID, dated.Hits[i-1].Published)
		}
	}
	// The same date syntaxes as trawl search --from/--to: a month stands
	// for its first day as from and its last as to.
	month := decode[SearchResponse](t, mustGet(t, srv, "/api/search?from=2025-06&to=2025-06&limit=100"))
	june := decode[SearchResponse](t, mustGet(t, srv, "/api/search?from=2025-06-01&to=2025-06-30&limit=100"))
	if month.Total == 0 || month.Total != june.Total {
		t.Errorf("from=to=2025-06: %d hits, want those of 2025-06-01..2025-06-30 (%d)", month.Total, june.Total)
	}
	person := decode[SearchResponse](t, mustGet(t, srv, "/api/search?person=scott-bessent&commodity=rare-earths&limit=100"))
	for _, h := range person.Hits {
		if !slices.Contains(h.Commodities, "rare-earths") || !slices.ContainsFunc(h.People, func(p index.Person) bool { return p.ID == "scott-bessent" }) {
			t.Errorf("person+commodity filter let through %s (%v, %v)", h.ID, h.People, h.Commodities)
		}
	}
	if person.Total == 0 {
		t.Error("person=scott-bessent&commodity=rare-earths: no hits")
	}
	capped := decode[SearchResponse](t, mustGet(t, srv, "/api/search?limit=5000"))
	if capped.Limit != MaxLimit {
		t.Errorf("limit=5000 gave limit %d, want it capped at %d", capped.Limit, MaxLimit)
	}
}

func TestErrors(t *testing.T) {
	srv := newTestServer(t)
	long := strings.Repeat("a", MaxQueryBytes+1)
	tests := []struct {
		path   string
		status int
		json   bool
	}{
		{"/api/articles/no-such-article.txt", http.StatusNotFound, true},
		{"/api/articles?id=no/such/article.txt", http.StatusNotFound, true},
		{"/api/articles", http.StatusBadRequest, true},
		{"/article?id=no-such-article.txt", http.StatusNotFound, false},
		{"/article", http.StatusBadRequest, false},
		{"/api/entities/nobody", http.StatusNotFound, true},
		{"/entities/nobody", http.StatusNotFound, false},
		{"/api/search?q=" + long, http.StatusBadRequest, true},
		{"/?q=" + long, http.StatusBadRequest, false},
		{"/api/search?q=" + strings.Repeat("a", MaxQueryBytes), http.StatusOK, true},
		{"/api/search?page=0", http.StatusBadRequest, true},
		{"/api/search?page=two", http.StatusBadRequest, true},
		{"/api/search?page=" + strconv.Itoa(MaxPage+1), http.StatusBadRequest, true},
		{"/api/search?limit=0", http.StatusBadRequest, true},
		{"/api/search?sort=random", http.StatusBadRequest, true},
		{"/api/search?from=June", http.StatusBadRequest, true},
		{"/api/search?from=2025-06-12&to=2025-06-01", http.StatusBadRequest, true},
		{"/api/search?q=%22unterminated", http.StatusBadRequest, true},
		{"/api/search?q=" + strings.Repeat("%C3", 3), http.StatusBadRequest, true},
		{"/api/search?" + strings.Repeat("person=x&", MaxFilterValues+1), http.StatusBadRequest, true},
		{"/api/discrepancies?min_confidence=2", http.StatusBadRequest, true},
		{"/api/discrepancies?min_confidence=NaN", http.StatusBadRequest, true},
		{"/api/discrepancies?kind=typo", http.StatusBadRequest, true},
		{"/discrepancies?kind=typo", http.StatusBadRequest, false},
		{"/api/nothing-here", http.StatusNotFound, true},
		{"/nothing-here", http.StatusNotFound, false},
		{"/?" + strings.Repeat("x", MaxRawQueryBytes+1), http.StatusBadRequest, true},
	}
	for _, tt := range tests {
		resp, body := get(t, srv, tt.path)
		name := tt.path[:min(len(tt.path), 70)]
		if resp.StatusCode != tt.status {
			t.Errorf("GET %s: status %d, want %d\n%s", name, resp.StatusCode, tt.status, body[:min(len(body), 300)])
			continue
		}
		if tt.status == http.StatusOK {
			continue
		}
		ct := resp.Header.Get("Content-Type")
		if tt.json {
			var e struct{ Error string }
			if !strings.HasPrefix(ct, "application/json") || json.Unmarshal([]byte(body), &e) != nil || e.Error == "" {
				t.Errorf("GET %s: want a JSON {\"error\": ...}, got %s %q", name, ct, body)
			}
		} else if !strings.HasPrefix(ct, "text/html") || !strings.Contains(body, `role="alert"`) {
			t.Errorf("GET %s: want an HTML error page, got %s", name, ct)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	srv := newTestServer(t)
	for _, path := range []string{
		"/", "/?q=Bessent", "/article?id=" + url.QueryEscape(seedIDs[0]), "/entities", "/entities/scott-bessent",
		"/discrepancies", "/static/style.css", "/static/app.js", "/nothing-here",
		"/api/search?q=Bessent", "/api/articles/nope", "/api/entities", "/api/discrepancies",
	} {
		resp, _ := get(t, srv, path)
		for k, v := range map[string]string{
			"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
		} {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("GET %s: %s = %q, want %q", path, k, got, v)
			}
		}
	}
}

// inlineCode finds, in a tag, what the CSP would block: inline scripts,
// event handler attributes, style attributes and <style> elements. Escaped
// text has no raw '<', so every match is markup.
var inlineCode = regexp.MustCompile(`(?i)<script>|<script\s[^>]*>[^<]|<[a-z][^>]*\s(?:on[a-z]+|style)\s*=[^>]*>|<style`)

func TestPagesNeedNoInlineCode(t *testing.T) {
	srv := newTestServer(t)
	for _, path := range []string{
		"/", "/?q=Bessent&person=scott-bessent", "/article?id=" + url.QueryEscape(seedIDs[0]), "/article?id=" + url.QueryEscape(xssID),
		"/entities", "/entities/scott-bessent", "/discrepancies", "/nothing-here",
	} {
		body := mustGetAny(t, srv, path)
		if m := inlineCode.FindString(body); m != "" {
			t.Errorf("GET %s: page has %q, which the CSP blocks", path, m)
		}
		for _, want := range []string{`<meta name="viewport"`, `<main id="main"`, `<nav aria-label="Main">`, `href="/static/style.css"`} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s: page lacks %s", path, want)
			}
		}
	}
}

// mustGetAny fetches a path whatever its status.
func mustGetAny(t *testing.T, srv *httptest.Server, path string) string {
	t.Helper()
	_, body := get(t, srv, path)
	return body
}

func TestArticlePageEscapesScript(t *testing.T) {
	srv := newTestServer(t)
	body := mustGet(t, srv, "/article?id="+url.QueryEscape(xssID))
	for _, bad := range []string{"<script>alert(1)</script>", "<img src=x", `onerror="alert(2)"`} {
		if strings.Contains(body, bad) {
			t.Errorf("article page contains %q unescaped", bad)
		}
	}
	if n := count(body, "&lt;script&gt;alert(1)&lt;/script&gt;"); n < 2 {
		t.Errorf("article page shows the script as text %d times, want the title and the body", n)
	}
	if !strings.Contains(body, "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;") {
		t.Error("article page does not show the <img> tag as text")
	}
	// The mentions around the script are still highlighted.
	if !regexp.MustCompile(`<a class="m m-person" id="m-\d+-\d+" href="/entities/howard-lutnick" title="Person\nentity: Howard Lutnick`).MatchString(body) {
		t.Error("Howard Lutnick is not highlighted as a person linking to his page")
	}
	for _, kind := range []string{"date", "percent", "commodity"} {
		if !strings.Contains(body, `<mark class="m m-`+kind+`"`) {
			t.Errorf("no %s mention highlighted", kind)
		}
	}
	// The same article through the API, by path with its slash.
	a := decode[trawl.Article](t, mustGet(t, srv, "/api/articles/"+xssID))
	if !strings.Contains(a.Text, "<script>alert(1)</script>") {
		t.Errorf("API text lost the script text: %q", a.Text)
	}
	b := decode[trawl.Article](t, mustGet(t, srv, "/api/articles/evil%2Fxss.txt"))
	if b.ID != xssID {
		t.Errorf("escaped slash: got article %q", b.ID)
	}
}

func TestArticlePageHighlightsEveryMention(t *testing.T) {
	srv := newTestServer(t)
	a := decode[trawl.Article](t, mustGet(t, srv, "/api/articles/"+seedIDs[0]))
	body := mustGet(t, srv, "/article?id="+url.QueryEscape(seedIDs[0]))
	for _, m := range a.Mentions {
		anchor := mentionAnchor(m.Start, m.End)
		if !strings.Contains(body, `id="`+anchor+`"`) {
			t.Errorf("mention %s %q at %d-%d is not highlighted", m.Type, m.Text, m.Start, m.End)
		}
	}
	// Stripping the tags gives back the text: no character lost or doubled.
	start := strings.Index(body, `<div class="text">`)
	end := strings.Index(body[start:], "</div>")
	if start < 0 || end < 0 {
		t.Fatal("no article text block")
	}
	got := htmlText(body[start+len(`<div class="text">`) : start+end])
	if got != a.Text {
		t.Errorf("article text block differs from the article text:\n%s", cmp.Diff(a.Text, got))
	}
	if !strings.Contains(body, `class="legend"`) {
		t.Error("no legend")
	}
}

// htmlText strips tags and unescapes the entities html/template writes.
func htmlText(s string) string {
	s = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(s, "")
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&amp;", "&", "&#43;", "+").Replace(s)
}

func TestEntityPage(t *testing.T) {
	srv := newTestServer(t)
	es := decode[[]trawl.Entity](t, mustGet(t, srv, "/api/entities"))
	i := slices.IndexFunc(es, func(e trawl.Entity) bool {
		return slices.ContainsFunc(e.Variants, func(v trawl.Variant) bool { return v.Name == "Scott Besset" })
	})
	if i < 0 {
		t.Fatal("no entity has the variant Scott Besset")
	}
	ent := es[i]
	one := decode[trawl.Entity](t, mustGet(t, srv, "/api/entities/"+ent.ID))
	if diff := cmp.Diff(ent, one); diff != "" {
		t.Errorf("/api/entities/%s differs from its entry in /api/entities (-want +got):\n%s", ent.ID, diff)
	}
	body := mustGet(t, srv, entityURL(ent.ID))
	for _, v := range ent.Variants {
		row := regexp.MustCompile(`<li><span class="variant">` + regexp.QuoteMeta(v.Name) + `</span> <span class="status[^"]*">` + regexp.QuoteMeta(string(v.Status)) + `</span>`)
		if !row.MatchString(body) {
			t.Errorf("entity page has no row for variant %q with status %q", v.Name, v.Status)
		}
		if v.Reason != "" && !strings.Contains(body, htmlEscape(v.Reason)) {
			t.Errorf("entity page lacks the reason %q", v.Reason)
		}
	}
	// The timeline lists every article, oldest first, linking to the mention.
	tl := body[strings.Index(body, `<ol class="timeline">`):]
	dates := regexp.MustCompile(`<time datetime="(\d{4}-\d\d-\d\d)">`).FindAllStringSubmatch(tl, -1)
	if len(dates) != len(ent.Articles) {
		t.Errorf("timeline has %d dated articles, want %d", len(dates), len(ent.Articles))
	}
	for i := 1; i < len(dates); i++ {
		if dates[i][1] < dates[i-1][1] {
			t.Errorf("timeline out of order: %s after %s", dates[i][1], dates[i-1][1])
		}
	}
	if !strings.Contains(tl, `href="/article?id=`+url.QueryEscape(seedIDs[0])+`#m-`) {
		t.Error("timeline does not link to the mention in the misspelling article")
	}
	people := mustGet(t, srv, "/entities")
	if !strings.Contains(people, `href="`+entityURL(ent.ID)+`"`) {
		t.Error("people page does not link to the entity")
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

func TestDiscrepancyPageListsBesset(t *testing.T) {
	srv := newTestServer(t)
	res := decode[DiscrepanciesResponse](t, mustGet(t, srv, "/api/discrepancies?kind=name-spelling"))
	var d trawl.Discrepancy
	for _, x := range res.Discrepancies {
		if x.Kind != trawl.NameSpelling {
			t.Errorf("kind=name-spelling let through %s", x.ID)
		}
		vals := []string{}
		for _, v := range x.Versions {
			vals = append(vals, v.Value)
		}
		if slices.Contains(vals, "Scott Besset") && slices.Contains(vals, "Scott Bessent") {
			d = x
		}
	}
	if d.ID == "" {
		t.Fatalf("no name-spelling discrepancy between Scott Besset and Scott Bessent in %+v", res)
	}
	if res.Count != len(res.Discrepancies) {
		t.Errorf("count %d for %d discrepancies", res.Count, len(res.Discrepancies))
	}
	none := decode[DiscrepanciesResponse](t, mustGet(t, srv, "/api/discrepancies?min_confidence=1"))
	for _, x := range none.Discrepancies {
		if x.Confidence < 1 {
			t.Errorf("min_confidence=1 let through %s at %v", x.ID, x.Confidence)
		}
	}

	body := mustGet(t, srv, "/discrepancies")
	if !strings.Contains(body, `id="`+d.ID+`"`) {
		t.Fatalf("discrepancy page has no section %s", d.ID)
	}
	// The page shows the discrepancy as the HTML report does: one
	// rendering, with the web's links.
	shared, err := report.DiscrepancyHTML(d, discrepancyLinks)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, string(shared)) {
		t.Errorf("the page does not show %s as report.DiscrepancyHTML renders it:\n%s", d.ID, shared)
	}
	for _, v := range d.Versions {
		if !strings.Contains(body, `<span class="version">`+v.Value+`</span>`) {
			t.Errorf("discrepancy page lacks version %q", v.Value)
		}
		for _, e := range v.Evidence {
			href := articleURL(e.Article, mentionAnchor(e.Start, e.End))
			if !strings.Contains(body, `href="`+strings.ReplaceAll(href, "&", "&amp;")+`"`) {
				t.Errorf("no link to the evidence %s", href)
				continue
			}
			// The anchor exists on the article page.
			art := mustGet(t, srv, strings.Split(href, "#")[0])
			if !strings.Contains(art, `id="`+mentionAnchor(e.Start, e.End)+`"`) {
				t.Errorf("article %s has no anchor for the evidence at %d-%d", e.Article, e.Start, e.End)
			}
		}
	}
	if !strings.Contains(body, "<mark>Scott Besset</mark>") {
		t.Error("the misspelling is not marked in its evidence sentence")
	}
	filtered := mustGet(t, srv, "/discrepancies?kind=figure")
	if strings.Contains(filtered, `id="`+d.ID+`"`) {
		t.Error("kind=figure still lists the name discrepancy")
	}
}

func TestDiscrepancyPageShowsChangesApart(t *testing.T) {
	srv := newTestServer(t)
	body := mustGet(t, srv, "/discrepancies")
	head, changes, ok := strings.Cut(body, `<h2 id="changes"`)
	if !ok {
		t.Fatal("the discrepancy page has no section of changes")
	}
	if !strings.Contains(changes, "Changes reported (context, not discrepancies)") {
		t.Error("the section of changes lacks its heading")
	}
	id := `id="figure-change:aluminum-steel-tariff"`
	if strings.Contains(head, id) || !strings.Contains(changes, id) {
		t.Errorf("the steel and aluminum change is not listed under the changes, after the discrepancies")
	}
	for _, want := range []string{"rose from 25% to 50%", "from <mark>25%</mark> to 50%", "from 25% to <mark>50%</mark>"} {
		if !strings.Contains(changes, want) {
			t.Errorf("the section of changes lacks %q", want)
		}
	}
	if strings.Contains(changes, `<span class="kind">name-spelling</span>`) {
		t.Error("a discrepancy is listed among the changes")
	}
	if only := mustGet(t, srv, "/discrepancies?kind=change"); !strings.Contains(only, id) || strings.Contains(only, `<span class="kind">name-spelling</span>`) {
		t.Error("kind=change does not list the changes alone")
	}
	if figures := mustGet(t, srv, "/discrepancies?kind=figure"); strings.Contains(figures, id) {
		t.Error("kind=figure lists a change as a figure conflict")
	}
}

func TestSearchPage(t *testing.T) {
	srv := newTestServer(t)
	body := mustGet(t, srv, "/?q=Bessent&limit=2")
	if n := count(body, `<li class="hit">`); n != 2 {
		t.Errorf("%d hits on a page of 2", n)
	}
	if !strings.Contains(body, `<label for="q">`) || !strings.Contains(body, `id="q" name="q" value="Bessent"`) {
		t.Error("no labelled query box holding the query")
	}
	if !regexp.MustCompile(`<p class="snippet">[^<]*<mark>`).MatchString(body) {
		t.Error("no highlighted snippet")
	}
	if !regexp.MustCompile(`<input type="checkbox" id="f-person-\d+" name="person" value="scott-bessent"><label for="f-person-\d+">Scott Bessent <span class="count">\(\d+\)</span>`).MatchString(body) {
		t.Error("no person facet checkbox for Scott Bessent with a count")
	}
	for _, want := range []string{`name="commodity"`, `name="source"`, `type="date" id="from"`, `type="date" id="to"`, `<select id="sort" name="sort">`} {
		if !strings.Contains(body, want) {
			t.Errorf("search page lacks %s", want)
		}
	}
	if !strings.Contains(body, `href="/?limit=2&amp;page=2&amp;q=Bessent" rel="next"`) {
		t.Error("no link to the next page")
	}
	// A ticked facet stays ticked and narrows the results.
	body = mustGet(t, srv, "/?q=Bessent&source=seed-003")
	if n := count(body, `<li class="hit">`); n != 1 {
		t.Errorf("source=seed-003: %d hits, want 1", n)
	}
	if !strings.Contains(body, `value="seed-003" checked>`) {
		t.Error("the source facet is not ticked")
	}
}

func TestStoreBusy(t *testing.T) {
	dir := t.TempDir()
	if err := buildStore(dir, copySeeds(t, seedIDs[1])); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(Options{Store: dir, Logf: t.Logf}))
	defer srv.Close()
	mustGet(t, srv, "/api/search?q=Bessent")

	w, err := store.Open(dir, store.Options{}) // as trawl ingest does
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/api/search?q=Bessent", "/api/entities", "/?q=Bessent", "/article?id=" + seedIDs[1]} {
		resp, body := get(t, srv, path)
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "busy") || resp.Header.Get("Retry-After") == "" {
			t.Errorf("GET %s while the store is written: status %d, Retry-After %q, body %q", path, resp.StatusCode, resp.Header.Get("Retry-After"), body[:min(300, len(body))])
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	mustGet(t, srv, "/api/search?q=Bessent")
}

func TestSafeSnippet(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Scott <mark>Bessent</mark> said", "Scott <mark>Bessent</mark> said"},
		{"a &lt;b&gt; <mark>c</mark> &amp; <mark>d</mark>", "a &lt;b&gt; <mark>c</mark> &amp; <mark>d</mark>"},
		{"no marks at all", "no marks at all"},
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"<mark>open", "&lt;mark&gt;open"},
		{"<mark><mark>x</mark></mark>", "&lt;mark&gt;&lt;mark&gt;x&lt;/mark&gt;&lt;/mark&gt;"},
		{"</mark>x<mark>", "&lt;/mark&gt;x&lt;mark&gt;"},
		{`<mark onclick="x">a</mark>`, "&lt;mark onclick=&#34;x&#34;&gt;a&lt;/mark&gt;"},
		{"a > b", "a &gt; b"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, string(safeSnippet(tt.in))); diff != "" {
			t.Errorf("safeSnippet(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestSegments(t *testing.T) {
	a := trawl.Article{
		Text: "Jamie <b>Greer</b> said 5%, café 10%.",
		Mentions: []trawl.Mention{
			{Type: trawl.Percent, Start: 24, End: 26, Text: "5%", Value: "5"},
			{Type: trawl.Person, Start: 0, End: 18, Text: "Jamie <b>Greer</b>", Entity: "jamieson-greer"},
			{Type: trawl.Person, Start: 6, End: 18, Text: "<b>Greer</b>"},         // overlaps: listed only
			{Type: trawl.Commodity, Start: 31, End: 32, Text: "\xa9", Value: "x"}, // inside é: listed only
			{Type: trawl.Percent, Start: 34, End: 99, Text: "10%."},               // past the end: listed only
		},
	}
	segs, views := segments(a, map[string]string{"jamieson-greer": "Jamieson Greer"})
	var got []segment
	for _, s := range segs {
		s.Title = ""
		got = append(got, s)
	}
	want := []segment{
		{Text: "Jamie <b>Greer</b>", Kind: "person", Anchor: "m-0-18", Href: "/entities/jamieson-greer"},
		{Text: " said "},
		{Text: "5%", Kind: "percent", Anchor: "m-24-26"},
		{Text: ", café 10%."},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("segments (-want +got):\n%s", diff)
	}
	if len(views) != len(a.Mentions) {
		t.Errorf("%d mentions listed, want all %d", len(views), len(a.Mentions))
	}
	if title := segs[0].Title; title != "Person\nentity: Jamieson Greer" {
		t.Errorf("person title %q", title)
	}
}

func TestURLs(t *testing.T) {
	tests := []struct{ id, article, api, entity string }{
		{"seeds/000.txt", "/article?id=seeds%2F000.txt", "/api/articles/seeds/000.txt", "/entities/seeds/000.txt"},
		{"a b?#.txt", "/article?id=a+b%3F%23.txt", "/api/articles/a%20b%3F%23.txt", "/entities/a%20b%3F%23.txt"},
		{"../x", "/article?id=..%2Fx", "/api/articles?id=..%2Fx", "/entities?id=..%2Fx"},
	}
	for _, tt := range tests {
		got := []string{articleURL(tt.id, ""), apiArticleURL(tt.id), entityURL(tt.id)}
		if diff := cmp.Diff([]string{tt.article, tt.api, tt.entity}, got); diff != "" {
			t.Errorf("urls of %q (-want +got):\n%s", tt.id, diff)
		}
	}
}

func TestNewServerHasTimeouts(t *testing.T) {
	s := NewServer("127.0.0.1:0", Options{Store: t.TempDir()})
	if s.ReadHeaderTimeout <= 0 || s.ReadTimeout <= 0 || s.WriteTimeout <= 0 || s.IdleTimeout <= 0 || s.MaxHeaderBytes <= 0 {
		t.Errorf("server without limits: %+v", s)
	}
}
