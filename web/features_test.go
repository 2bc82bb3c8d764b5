package web

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/figures"
	"github.com/trawlnews/trawl/index"
	"github.com/trawlnews/trawl/store"
	"github.com/trawlnews/trawl/tally"
)

// readCSV parses a CSV body, failing the test when it is not RFC 4180.
func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, body)
	}
	return rows
}

// readJSONL decodes every line of a JSON Lines body.
func readJSONL[T any](t *testing.T, body string) []T {
	t.Helper()
	var out []T
	for _, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		if line == "" {
			continue
		}
		out = append(out, decode[T](t, line))
	}
	return out
}

func TestFiguresAPIAndPages(t *testing.T) {
	srv := newTestServer(t)
	res := decode[FiguresResponse](t, mustGet(t, srv, "/api/figures"))
	if res.Count == 0 || res.Count != len(res.Series) {
		t.Fatalf("/api/figures: count %d, %d series", res.Count, len(res.Series))
	}
	// Two articles give different rates for the tariffs on Chinese goods in
	// May: the series marks both.
	s, ok := figures.Find(res.Series, "tariffs on Chinese goods")
	if !ok || s.Conflicts != 2 {
		t.Fatalf("series of tariffs on Chinese goods: found %v, %d conflicts; want 2", ok, s.Conflicts)
	}
	page := mustGet(t, srv, figureURL(s.Key))
	if !strings.Contains(page, "<svg") || strings.Contains(page, "<script>") {
		t.Errorf("figure page has no inline SVG chart, or a script")
	}
	// Each mark links to its sentence; a conflicting one is drawn red.
	for _, p := range s.Points {
		if !strings.Contains(page, `href="`+strings.ReplaceAll(articleURL(p.Article, mentionAnchor(p.Start, p.End)), "&", "&amp;")+`"`) {
			t.Errorf("no link to the sentence of %s %d-%d", p.Article, p.Start, p.End)
		}
	}
	if n := count(page, `fill="#c62828"`); n != 2 {
		t.Errorf("%d red marks, want the 2 conflicting figures", n)
	}
	index := mustGet(t, srv, "/figures")
	if !strings.Contains(index, `href="`+figureURL(s.Key)+`"`) || !strings.Contains(index, "2 conflicting") {
		t.Errorf("figures index does not link the conflicting series")
	}
	if resp, _ := get(t, srv, "/figures/no%20such%20thing"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown subject: status %d, want 404", resp.StatusCode)
	}

	resp, body := get(t, srv, "/api/figures?format=csv&subject=tariff")
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type %q, want text/csv", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "trawl-figures.csv") {
		t.Errorf("Content-Disposition %q, want an attachment named trawl-figures.csv", cd)
	}
	rows := readCSV(t, body)
	if diff := cmp.Diff(figures.Header, rows[0]); diff != "" {
		t.Errorf("CSV header (-want +got):\n%s", diff)
	}
	for _, r := range rows[1:] {
		if !strings.Contains(r[0], "tariff") {
			t.Errorf("subject=tariff let through %q", r[0])
		}
	}
	if resp, _ := get(t, srv, "/api/figures?format=xml"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("format=xml: status %d, want 400", resp.StatusCode)
	}
}

func TestSearchExportHasEveryHit(t *testing.T) {
	srv := newTestServer(t)
	page := decode[SearchResponse](t, mustGet(t, srv, "/api/search?q=tariffs&limit=1"))
	rows := readCSV(t, mustGet(t, srv, "/api/search?q=tariffs&limit=1&page=2&format=csv"))
	if len(rows)-1 != int(page.Total) || page.Total < 2 {
		t.Errorf("CSV export has %d rows, want every one of the %d hits (page and limit ignored)", len(rows)-1, page.Total)
	}
	hits := readJSONL[index.ExportHit](t, mustGet(t, srv, "/api/search?q=tariffs&format=jsonl"))
	if len(hits) != int(page.Total) || hits[0].ID != page.Hits[0].ID {
		t.Errorf("JSONL export: %d hits starting %v, want %d starting %s", len(hits), hits[:1], page.Total, page.Hits[0].ID)
	}
	if resp, _ := get(t, srv, `/api/search?q=%22oil&format=csv`); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad query export: status %d, want 400", resp.StatusCode)
	}
	search := mustGet(t, srv, "/?q=tariffs")
	if !strings.Contains(search, `href="/api/search?format=csv&amp;q=tariffs"`) {
		t.Errorf("search page offers no CSV download")
	}
}

func TestEntityListsAndPages(t *testing.T) {
	srv := newTestServer(t)
	cs := decode[[]tally.Entity](t, mustGet(t, srv, "/api/entities?type=commodity"))
	if len(cs) == 0 || slices.ContainsFunc(cs, func(e tally.Entity) bool { return e.Type != trawl.Commodity }) {
		t.Fatalf("/api/entities?type=commodity returned %d entities, not all commodities: %+v", len(cs), cs)
	}
	i := slices.IndexFunc(cs, func(e tally.Entity) bool { return e.ID == "rare-earths" })
	if i < 0 || cs[i].HS != "2805" || cs[i].Category != "minerals" {
		t.Errorf("rare earths: %+v, want HS 2805 in minerals", cs)
	}
	page := mustGet(t, srv, "/entities/rare-earths")
	for _, want := range []string{"<h1>rare earths</h1>", "2805", "minerals", `href="/?commodity=rare-earths"`} {
		if !strings.Contains(page, want) {
			t.Errorf("/entities/rare-earths lacks %q", want)
		}
	}
	e := decode[tally.Entity](t, mustGet(t, srv, "/api/entities/rare-earths"))
	if e.Name != "rare earths" {
		t.Errorf("/api/entities/rare-earths: %+v", e)
	}

	people := decode[[]trawl.Entity](t, mustGet(t, srv, "/api/entities?name=bess"))
	if len(people) != 1 || people[0].ID != "scott-bessent" {
		t.Errorf("name=bess: %v, want Scott Bessent alone", people)
	}
	all := decode[[]trawl.Entity](t, mustGet(t, srv, "/api/entities"))
	paged := decode[[]trawl.Entity](t, mustGet(t, srv, "/api/entities?limit=2&page=2"))
	if len(all) < 4 || len(paged) != 2 || paged[0].ID != all[2].ID {
		t.Errorf("limit=2&page=2 gave %d people starting %v; want the 3rd and 4th of %d", len(paged), paged, len(all))
	}
	list := mustGet(t, srv, "/entities?name=bess")
	if count(list, `<tr><td data-label="Name">`) != 1 || !strings.Contains(list, `href="/entities/scott-bessent"`) {
		t.Errorf("people page filtered by bess does not show Scott Bessent alone")
	}
	person := mustGet(t, srv, "/entities/scott-bessent")
	if !strings.Contains(person, `href="/?person=scott-bessent"`) || !strings.Contains(person, `href="/discrepancies#name-spelling:scott-bessent"`) {
		t.Errorf("person page does not link to the person's search and discrepancy")
	}
	rows := readCSV(t, mustGet(t, srv, "/api/entities?type=commodity&format=csv"))
	if diff := cmp.Diff(tally.Header, rows[0]); diff != "" || len(rows) != len(cs)+1 {
		t.Errorf("commodity CSV: %d rows for %d commodities; header diff:\n%s", len(rows), len(cs), diff)
	}
	if resp, _ := get(t, srv, "/api/entities?type=animal"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("type=animal: status %d, want 400", resp.StatusCode)
	}
	ds := readJSONL[trawl.Discrepancy](t, mustGet(t, srv, "/api/discrepancies?format=jsonl"))
	if len(ds) == 0 || ds[0].ID == "" {
		t.Errorf("discrepancies JSONL: %v", ds)
	}
}

func TestMentionsExport(t *testing.T) {
	srv := newTestServer(t)
	rows := readCSV(t, mustGet(t, srv, "/api/mentions?type=person"))
	if len(rows) < 2 || rows[0][0] != "article" {
		t.Fatalf("mentions CSV: %v", rows[:1])
	}
	for _, r := range rows[1:] {
		if r[2] != "PERSON" || !strings.Contains(r[12], r[3]) {
			t.Errorf("row %v: want a PERSON whose sentence holds its text", r)
		}
	}
	one := readCSV(t, mustGet(t, srv, "/api/mentions?format=csv&article="+url.QueryEscape(seedIDs[0])))
	for _, r := range one[1:] {
		if r[0] != seedIDs[0] {
			t.Errorf("article=%s let through a mention of %s", seedIDs[0], r[0])
		}
	}
	if !strings.Contains(mustGet(t, srv, articleURL(seedIDs[0], "")), `href="/api/mentions?article=`+url.QueryEscape(seedIDs[0])+`&amp;format=csv"`) {
		t.Errorf("article page offers no download of its mentions")
	}
	if resp, _ := get(t, srv, "/api/mentions?article=nope"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("article=nope: status %d, want 404", resp.StatusCode)
	}
	if resp, _ := get(t, srv, "/api/mentions?type=animal"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("type=animal: status %d, want 400", resp.StatusCode)
	}
}

func TestBatch(t *testing.T) {
	srv := newTestServer(t)
	resp, err := srv.Client().Post(srv.URL+"/api/batch", "text/plain", strings.NewReader("Bessent\nnosuchwordanywhere\n\n\"oil\n"))
	if err != nil {
		t.Fatal(err)
	}
	var br BatchResponse
	if err := json.NewDecoder(resp.Body).Decode(&br); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if br.Count != 3 || br.Results[0].Total != 5 || len(br.Results[0].Best) != 3 || br.Results[1].Total != 0 || br.Results[2].Error == "" {
		t.Errorf("batch: %+v", br)
	}
	form := url.Values{"queries": {"Bessent\nrare earths"}}
	resp, err = srv.Client().PostForm(srv.URL+"/batch", form)
	if err != nil {
		t.Fatal(err)
	}
	var page strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		page.Write(buf[:n])
		if err != nil {
			break
		}
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || count(page.String(), `<tr><td data-label="Query">`) != 2 || !strings.Contains(page.String(), `href="/?q=rare&#43;earths"`) {
		t.Errorf("batch page: status %d, want a row per query with a link to its search\n%s", resp.StatusCode, page.String())
	}
	resp, err = srv.Client().Post(srv.URL+"/api/batch", "text/plain", strings.NewReader("\n"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("empty batch: status %d, want 400", resp.StatusCode)
	}
}

// TestOrganisationsAndPlaces builds a store from articles whose
// ORGANIZATION and LOCATION mentions are written by hand (as the tagger
// will emit them) and checks their lists, pages, facets and filters.
func TestOrganisationsAndPlaces(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mention := func(text string, kind trawl.Kind, start int) trawl.Mention {
		return trawl.Mention{Type: kind, Start: start, End: start + len(text), Text: text}
	}
	a1 := trawl.Article{ID: "a1", Title: "Bank loan", Published: "2025-06-10",
		Text: "The World Bank lent Kenya money in Nairobi."}
	a1.Mentions = []trawl.Mention{mention("World Bank", trawl.Organization, 4), mention("Kenya", trawl.Location, 20), mention("Nairobi", trawl.Location, 35)}
	a2 := trawl.Article{ID: "a2", Title: "IMF talks", Published: "2025-06-11",
		Text: "The IMF and the world bank met in Nairobi."}
	a2.Mentions = []trawl.Mention{mention("IMF", trawl.Organization, 4), mention("world bank", trawl.Organization, 16), mention("Nairobi", trawl.Location, 34)}
	now := time.Now()
	if _, err := st.Commit([]store.FileWrite{
		{Key: store.FileKey("/r", "a1"), Hash: "1", ModTime: now, Read: now, Articles: []trawl.Article{a1}},
		{Key: store.FileKey("/r", "a2"), Hash: "2", ModTime: now, Read: now, Articles: []trawl.Article{a2}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	srv := httptest.NewServer(Handler(Options{Store: dir, Logf: t.Logf}))
	defer srv.Close()

	orgs := decode[[]tally.Entity](t, mustGet(t, srv, "/api/entities?type=organization"))
	var ids []string
	for _, o := range orgs {
		ids = append(ids, o.ID)
	}
	if diff := cmp.Diff([]string{"org/world-bank", "org/imf"}, ids); diff != "" {
		t.Errorf("organisations (-want +got):\n%s", diff)
	}
	page := mustGet(t, srv, "/entities/org/world-bank")
	if !strings.Contains(page, "<h1>World Bank</h1>") || !strings.Contains(page, `href="/?org=world-bank"`) {
		t.Errorf("organisation page lacks its name or its search link")
	}
	places := mustGet(t, srv, "/entities?type=location")
	if !strings.Contains(places, `href="/entities/place/nairobi"`) {
		t.Errorf("places list does not link Nairobi")
	}

	res := decode[SearchResponse](t, mustGet(t, srv, "/api/search?org=World+Bank&place=Kenya"))
	if res.Total != 1 || res.Hits[0].ID != "a1" {
		t.Errorf("org=World Bank&place=Kenya: %d hits, want a1 alone", res.Total)
	}
	res = decode[SearchResponse](t, mustGet(t, srv, "/api/search?place=nairobi"))
	if diff := cmp.Diff([]Facet{{Term: "world-bank", Count: 2}, {Term: "imf", Count: 1}}, res.Facets["org"]); diff != "" {
		t.Errorf("org facet (-want +got):\n%s", diff)
	}
	search := mustGet(t, srv, "/?place=nairobi")
	if !regexp.MustCompile(`name="org" value="world-bank"[^>]*><label[^>]*>World Bank`).MatchString(search) {
		t.Errorf("search page has no organisation facet labelled World Bank")
	}
}
