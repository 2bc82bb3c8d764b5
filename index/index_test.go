package index

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlnews/trawl"
	"golang.org/x/sync/errgroup"
)

// seedDocs are three hand-written articles like the seed set (one spells
// Scott Bessent "Scott Besset") and an unrelated undated one.
func seedDocs() []Doc {
	return []Doc{
		{
			ID: "seed/000", Title: "US and China to meet on tariffs and critical minerals",
			Source: "Trade Wire", Published: "2025-06-07",
			Text: "Washington - Treasury Secretary Scott Besset, Commerce Secretary Howard Lutnick and Trade Representative Jamie Greer will meet Chinese counterparts on Monday.\n" +
				"The talks will cover tariffs and export licences for critical minerals used in batteries.",
			People: []Person{
				{ID: "scott-bessent", Canonical: "Scott Bessent", Variants: []string{"Scott Besset"}},
				{ID: "howard-lutnick", Canonical: "Howard Lutnick", Variants: []string{"Howard Lutnick"}},
				{ID: "jamieson-greer", Canonical: "Jamieson Greer", Variants: []string{"Jamie Greer"}},
			},
			Commodities: []string{"rare-earths"}, CommodityCategories: []string{"metals"},
			Percents:      []Percent{{Value: "90", Subject: "day pause"}},
			Organizations: []Named{{Key: "u-s-treasury", Name: "U.S. Treasury"}},
			Places:        []Named{{Key: "washington", Name: "Washington"}},
		},
		{
			ID: "seed/001", Title: "New round of US-China trade discussions in London",
			Source: "Supply Chain Report", Published: "2025-06-08",
			Text: "A delegation including Treasury Secretary Scott Bessent and Trade Representative Jamieson Greer will meet Vice Premier He Lifeng.\n" +
				"Under the accord the US lowered tariffs on Chinese products to 30%. Rare earth exports have resumed.",
			People: []Person{
				{ID: "scott-bessent", Canonical: "Scott Bessent", Variants: []string{"Scott Bessent"}},
				{ID: "jamieson-greer", Canonical: "Jamieson Greer", Variants: []string{"Jamieson Greer"}},
				{ID: "he-lifeng", Canonical: "He Lifeng", Variants: []string{"He Lifeng"}},
			},
			Commodities: []string{"rare-earths"}, CommodityCategories: []string{"metals"},
			Places: []Named{{Key: "london", Name: "London"}, {Key: "washington", Name: "Washington"}},
		},
		{
			ID: "seed/003", Title: "Trade talks continue for a second day",
			Source: "Supply Chain Report", Published: "2025-06-10",
			Text: "Treasury Secretary Scott Bessent described the meeting as good. A reader comment read <script>alert('x')</script> & more.\n" +
				"The US is raising duties on imported steel and aluminum from 25% to 50%, and has added controls on ethane exports.",
			People: []Person{
				{ID: "scott-bessent", Canonical: "Scott Bessent", Variants: []string{"Scott Bessent", "Bessent"}},
			},
			// About aluminium and ethane; steel is mentioned too.
			Commodities: []string{"aluminum", "ethane"}, Mentioned: []string{"aluminum", "ethane", "steel"},
			CommodityCategories: []string{"energy", "metals"},
		},
		{
			ID: "farm/soy", Title: "Soybean harvest outlook",
			Source:      "Farm News",
			Text:        "Farmers expect a record soybean harvest as exports to Asia recover.",
			Commodities: []string{"soybeans"}, CommodityCategories: []string{"agriculture"},
		},
	}
}

// newTestIndex builds an index of seedDocs in a temporary directory.
func newTestIndex(t testing.TB) (*Index, string) {
	t.Helper()
	path := t.TempDir() + "/index.bleve"
	ix, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Put(seedDocs()); err != nil {
		t.Fatal(err)
	}
	return ix, path
}

// setPeople records ents in ix as a refresh does.
func setPeople(t testing.TB, ix *Index, ents []trawl.Entity) {
	t.Helper()
	if err := ix.SetPeople(ents); err != nil {
		t.Fatal(err)
	}
}

func hitIDs(r *Results) []string {
	var ids []string
	for _, h := range r.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestSearch(t *testing.T) {
	ix, _ := newTestIndex(t)
	all := []string{"farm/soy", "seed/000", "seed/001", "seed/003"}
	bessent := []string{"seed/000", "seed/001", "seed/003"}
	tests := []struct {
		name    string
		q       Query
		want    []string
		ordered bool // compare the order too; otherwise the set
	}{
		{"surname", Query{Text: "Bessent"}, bessent, false},
		{"misspelt surname", Query{Text: "Besset"}, bessent, false},
		{"lower case", Query{Text: "bessent"}, bessent, false},
		{"full name unquoted", Query{Text: "Jamie Greer"}, []string{"seed/000", "seed/001"}, false},
		{"full name phrase", Query{Text: `"Jamieson Greer"`}, []string{"seed/000", "seed/001"}, false},
		{"phrase", Query{Text: `"critical minerals"`}, []string{"seed/000"}, false},
		{"phrase words apart", Query{Text: `"minerals critical"`}, nil, false},
		{"stemming", Query{Text: "battery"}, []string{"seed/000"}, false},
		{"must and not", Query{Text: "+tariffs -steel"}, []string{"seed/000", "seed/001"}, false},
		{"must person", Query{Text: "+Besset +aluminum"}, []string{"seed/003"}, false},
		{"not person", Query{Text: "-Besset"}, []string{"farm/soy"}, false},
		{"field source", Query{Text: `source:"Farm News"`}, []string{"farm/soy"}, false},
		{"field category", Query{Text: "+category:metals -commodity:steel"}, []string{"seed/000", "seed/001"}, false},
		{"field month", Query{Text: "month:2025-06"}, []string{"seed/000", "seed/001", "seed/003"}, false},
		{"field title", Query{Text: "title:london"}, []string{"seed/001"}, false},
		{"field person id", Query{Text: "person:he-lifeng"}, []string{"seed/001"}, false},
		{"field person name", Query{Text: "person:Besset"}, bessent, false},
		{"field commodity", Query{Text: "commodity:ethane"}, []string{"seed/003"}, false},
		{"field commodity, mentioned only", Query{Text: "commodity:steel"}, []string{"seed/003"}, false},
		{"field about", Query{Text: "about:aluminum"}, []string{"seed/003"}, false},
		{"field about, mentioned only", Query{Text: "about:steel"}, nil, false},
		{"field about, listed without mentions", Query{Text: "about:rare-earths"}, []string{"seed/000", "seed/001"}, false},
		{"field published range", Query{Text: `published:>="2025-06-08"`}, []string{"seed/001", "seed/003"}, false},
		{"wildcard", Query{Text: "soyb*"}, []string{"farm/soy"}, false},
		{"empty matches all", Query{}, all, false},
		{"person filter by id", Query{People: []string{"howard-lutnick"}}, []string{"seed/000"}, false},
		{"person filter by name", Query{People: []string{"Bessent"}}, bessent, false},
		{"person filter by variant", Query{People: []string{"Jamie Greer"}}, []string{"seed/000", "seed/001"}, false},
		{"person filters all must match", Query{People: []string{"Bessent", "he-lifeng"}}, []string{"seed/001"}, false},
		{"commodity filter by id", Query{Commodities: []string{"steel"}}, []string{"seed/003"}, false},
		{"commodity filter by category", Query{Commodities: []string{"metals"}}, bessent, false},
		{"source filter", Query{Sources: []string{"Supply Chain Report", "Farm News"}}, []string{"farm/soy", "seed/001", "seed/003"}, false},
		{"date range inclusive", Query{From: "2025-06-08", To: "2025-06-10"}, []string{"seed/001", "seed/003"}, false},
		{"date from", Query{From: "2025-06-09"}, []string{"seed/003"}, false},
		{"date to", Query{To: "2025-06-07"}, []string{"seed/000"}, false},
		{"text and filters", Query{Text: "tariffs", Sources: []string{"Supply Chain Report"}, From: "2025-06-08"}, []string{"seed/001"}, false},
		{"ties by id", Query{}, all, true},
		{"ties by id, filtered", Query{Commodities: []string{"metals"}}, bessent, true},
		{"sort by date", Query{Sort: SortDate}, []string{"seed/003", "seed/001", "seed/000", "farm/soy"}, true},
		{"sort by date, undated by id", Query{Sort: SortDate, Text: "-Besset"}, []string{"farm/soy"}, true},
		{"page", Query{Sort: SortDate, Limit: 2, Offset: 1}, []string{"seed/001", "seed/000"}, true},
		{"page past the end", Query{Sort: SortDate, Limit: 2, Offset: 4}, nil, true},
		{"title outranks text", Query{Text: "soybean"}, []string{"farm/soy"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ix.Search(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := hitIDs(r)
			if !tt.ordered {
				slices.Sort(got)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Search(%+v) ids (-want +got):\n%s", tt.q, diff)
			}
		})
	}
}

func TestSearchTotalWithPagination(t *testing.T) {
	ix, _ := newTestIndex(t)
	r, err := ix.Search(context.Background(), Query{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 4 || len(r.Hits) != 1 {
		t.Errorf("Search(Limit 1): total %d, %d hits; want 4, 1", r.Total, len(r.Hits))
	}
}

func TestMatchedVariants(t *testing.T) {
	ix, _ := newTestIndex(t)
	ents := []trawl.Entity{{
		ID: "scott-bessent", Type: trawl.Person, Canonical: "Scott Bessent",
		Variants: []trawl.Variant{{Name: "Scott Bessent"}, {Name: "Scott Besset"}, {Name: "Bessent"}},
	}}
	tests := []struct {
		text     string
		entities []trawl.Entity
		want     map[string][]string
	}{
		{"Bessent", nil, map[string][]string{"seed/000": {"Scott Besset"}}},
		{"Bessent", ents, map[string][]string{"seed/000": {"Scott Besset"}}},
		{"besset", nil, map[string][]string{"seed/001": {"Scott Bessent"}, "seed/003": {"Bessent", "Scott Bessent"}}},
		// seed/003 also says plain "Bessent", which the phrase does not match.
		{"Jamie Greer", nil, map[string][]string{"seed/001": {"Jamieson Greer"}}},
		{`tariffs "Scott Bessent"`, nil, map[string][]string{"seed/000": {"Scott Besset"}, "seed/003": {"Bessent"}}},
	}
	for _, tt := range tests {
		setPeople(t, ix, tt.entities)
		r, err := ix.Search(context.Background(), Query{Text: tt.text})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]string{}
		for _, h := range r.Hits {
			if len(h.MatchedVariants) > 0 {
				got[h.ID] = h.MatchedVariants
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Search(%q) MatchedVariants (-want +got):\n%s", tt.text, diff)
		}
	}
}

// TestEntitiesExpandBeyondIndex checks that a name known only from the
// entities (no article spells it so) still finds the person's articles.
func TestEntitiesExpandBeyondIndex(t *testing.T) {
	ix, _ := newTestIndex(t)
	ents := []trawl.Entity{{
		ID: "scott-bessent", Type: trawl.Person, Canonical: "Scott Bessent",
		Variants: []trawl.Variant{{Name: "Scot Bessant"}},
	}}
	for _, tc := range []struct {
		ents []trawl.Entity
		want int
	}{{nil, 0}, {ents, 3}} {
		setPeople(t, ix, tc.ents)
		r, err := ix.Search(context.Background(), Query{Text: "Bessant"})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Hits) != tc.want {
			t.Errorf("Search(Bessant, %d entities) = %v, want %d hits", len(tc.ents), hitIDs(r), tc.want)
		}
	}
}

func TestFacets(t *testing.T) {
	ix, _ := newTestIndex(t)
	r, err := ix.Search(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]FacetCount{
		"person": {
			{"scott-bessent", 3}, {"jamieson-greer", 2}, {"he-lifeng", 1}, {"howard-lutnick", 1},
		},
		"commodity": {
			{"rare-earths", 2}, {"aluminum", 1}, {"ethane", 1}, {"soybeans", 1}, {"steel", 1},
		},
		"category":  {{"metals", 3}, {"agriculture", 1}, {"energy", 1}},
		"source":    {{"Supply Chain Report", 2}, {"Farm News", 1}, {"Trade Wire", 1}},
		"published": {{"2025-06", 3}},
		"org":       {{"u-s-treasury", 1}},
		"place":     {{"washington", 2}, {"london", 1}},
	}
	if diff := cmp.Diff(want, r.Facets); diff != "" {
		t.Errorf("facets of all (-want +got):\n%s", diff)
	}
	r, err = ix.Search(context.Background(), Query{Text: "tariffs", From: "2025-06-08"})
	if err != nil {
		t.Fatal(err)
	}
	wantSources := []FacetCount{{"Supply Chain Report", 1}}
	if diff := cmp.Diff(wantSources, r.Facets["source"]); diff != "" {
		t.Errorf("source facet of a narrowed search (-want +got):\n%s", diff)
	}
}

func TestSnippet(t *testing.T) {
	ix, _ := newTestIndex(t)
	tests := []struct {
		text, id   string
		want       []string // substrings of Snippet
		notWant    []string
		fragMarked []string // the odd Fragments
	}{
		{
			text: "alert", id: "seed/003",
			want:       []string{"&lt;script&gt;<mark>alert</mark>(&#39;x&#39;)&lt;/script&gt; &amp; more"},
			notWant:    []string{"<script>"},
			fragMarked: []string{"alert"},
		},
		{
			text: "Bessent", id: "seed/000",
			want:       []string{"Treasury Secretary <mark>Scott Besset</mark>,"},
			fragMarked: []string{"Scott Besset"},
		},
		{
			text: `"critical minerals"`, id: "seed/000",
			want:       []string{"<mark>critical</mark> <mark>minerals</mark>"},
			notWant:    []string{"\n"},
			fragMarked: []string{"critical", "minerals"},
		},
	}
	for _, tt := range tests {
		r, err := ix.Search(context.Background(), Query{Text: tt.text})
		if err != nil {
			t.Fatal(err)
		}
		var h *Hit
		for i := range r.Hits {
			if r.Hits[i].ID == tt.id {
				h = &r.Hits[i]
			}
		}
		if h == nil {
			t.Fatalf("Search(%q) = %v, want %s", tt.text, hitIDs(r), tt.id)
		}
		for _, w := range tt.want {
			if !strings.Contains(h.Snippet, w) {
				t.Errorf("Search(%q) snippet %q does not contain %q", tt.text, h.Snippet, w)
			}
		}
		for _, w := range tt.notWant {
			if strings.Contains(h.Snippet, w) {
				t.Errorf("Search(%q) snippet %q contains %q", tt.text, h.Snippet, w)
			}
		}
		var marked []string
		for i := 1; i < len(h.Fragments); i += 2 {
			marked = append(marked, h.Fragments[i])
		}
		if diff := cmp.Diff(tt.fragMarked, marked); diff != "" {
			t.Errorf("Search(%q) marked fragments (-want +got):\n%s", tt.text, diff)
		}
	}
}

func TestHitFields(t *testing.T) {
	ix, _ := newTestIndex(t)
	r, err := ix.Search(context.Background(), Query{Text: "ethane"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) != 1 {
		t.Fatalf("Search(ethane) = %v, want one hit", hitIDs(r))
	}
	h := r.Hits[0]
	d := seedDocs()[2]
	got := []any{h.ID, h.Title, h.Source, h.Published, h.People, h.Commodities}
	want := []any{d.ID, d.Title, d.Source, d.Published, d.People, d.Commodities}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hit fields (-want +got):\n%s", diff)
	}
	if h.Score <= 0 {
		t.Errorf("hit score %v, want > 0", h.Score)
	}
}

func TestDeterministic(t *testing.T) {
	ix, _ := newTestIndex(t)
	q := Query{Text: "trade tariffs Bessent"}
	first, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		r, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(first.Hits, r.Hits); diff != "" {
			t.Fatalf("same search, different hits (-first +again):\n%s", diff)
		}
	}
}

func TestDeleteAndUpsert(t *testing.T) {
	ix, _ := newTestIndex(t)
	if err := ix.Put(seedDocs()); err != nil {
		t.Fatal(err)
	}
	changed := seedDocs()[3]
	changed.Title = "Maize harvest outlook"
	if err := ix.Put([]Doc{changed}); err != nil {
		t.Fatal(err)
	}
	if n, err := ix.Count(); err != nil || n != 4 {
		t.Errorf("Count after putting twice = %d, %v; want 4", n, err)
	}
	for text, want := range map[string]int{"maize": 1, "title:soybean": 0} {
		r, err := ix.Search(context.Background(), Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Hits) != want {
			t.Errorf("after upsert, Search(%q) = %v, want %d hits", text, hitIDs(r), want)
		}
	}
	if err := ix.Delete([]string{"seed/000", "no/such"}); err != nil {
		t.Fatal(err)
	}
	if n, err := ix.Count(); err != nil || n != 3 {
		t.Errorf("Count after delete = %d, %v; want 3", n, err)
	}
	// No article spells "Besset" any more: the entities still know it.
	ents := []trawl.Entity{{
		ID: "scott-bessent", Type: trawl.Person, Canonical: "Scott Bessent",
		Variants: []trawl.Variant{{Name: "Scott Bessent"}, {Name: "Scott Besset"}},
	}}
	setPeople(t, ix, ents)
	r, err := ix.Search(context.Background(), Query{Text: "Besset"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"seed/001", "seed/003"}, hitIDs(r), cmp.Transformer("sort", func(s []string) []string {
		s = slices.Clone(s)
		slices.Sort(s)
		return s
	})); diff != "" {
		t.Errorf("after delete, Search(Besset) (-want +got):\n%s", diff)
	}
}

func TestPutLargeBatch(t *testing.T) {
	ix, err := Open(t.TempDir() + "/ix")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	docs := make([]Doc, 1203)
	for i := range docs {
		docs[i] = Doc{ID: strings.Repeat("x", i%7) + time.Duration(i).String(), Text: "word"}
	}
	if err := ix.Put(docs); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); n != uint64(len(docs)) {
		t.Errorf("Count = %d, want %d", n, len(docs))
	}
}

func TestErrors(t *testing.T) {
	ix, _ := newTestIndex(t)
	for _, q := range []Query{
		{Text: `"unterminated`},
		{From: "June 2025"},
		{To: "2025-13-01"},
		{From: "2025-06-10", To: "2025-06-01"},
		{Sort: "popularity"},
	} {
		if _, err := ix.Search(context.Background(), q); err == nil {
			t.Errorf("Search(%+v) succeeded, want an error", q)
		}
	}
	for _, d := range []Doc{{ID: ""}, {ID: "x", Published: "07/06/2025"}} {
		if err := ix.Put([]Doc{d}); err == nil {
			t.Errorf("Put(%+v) succeeded, want an error", d)
		}
	}
}

func TestOpenReadOnly(t *testing.T) {
	ix, path := newTestIndex(t)

	// While a writer has the index open, a reader gets ErrLocked quickly.
	ro, err := OpenReadOnly(path)
	if !errors.Is(err, ErrLocked) {
		if ro != nil {
			ro.Close()
		}
		t.Fatalf("OpenReadOnly during a write: %v, want ErrLocked", err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	// After the writer closes, several readers can search at once.
	ro, err = OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	ro2, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro2.Close()
	r, err := ro2.Search(context.Background(), Query{Text: "Besset"})
	if err != nil || len(r.Hits) != 3 {
		t.Errorf("read-only Search(Besset) = %v, %v; want 3 hits", r, err)
	}
	if err := ro.Put(seedDocs()); !errors.Is(err, ErrReadOnly) {
		t.Errorf("read-only Put: %v, want ErrReadOnly", err)
	}
	// While readers are open, a writer cannot open.
	if w, err := Open(path); !errors.Is(err, ErrInUse) {
		if w != nil {
			w.Close()
		}
		t.Errorf("Open during a read: %v, want ErrInUse", err)
	}
	if _, err := OpenReadOnly(t.TempDir() + "/missing"); err == nil {
		t.Error("OpenReadOnly of a missing index succeeded")
	}
}

func TestSplitClauses(t *testing.T) {
	tests := []struct {
		in   string
		want []clause
	}{
		{`Bessent`, []clause{{kind: clauseWord, body: "Bessent", text: "Bessent"}}},
		{`+steel -"rare earth" source:"Farm News"`, []clause{
			{occur: '+', kind: clauseWord, body: "steel", text: "steel"},
			{occur: '-', kind: clausePhrase, body: `"rare earth"`, text: "rare earth"},
			{kind: clauseField, body: `source:"Farm News"`, field: "source", text: `"Farm News"`},
		}},
		{`tarif~1  U.S.`, []clause{
			{kind: clauseOther, body: "tarif~1"},
			{kind: clauseWord, body: "U.S.", text: "U.S."},
		}},
		{` + - `, nil},
	}
	for _, tt := range tests {
		toks, err := tokenize(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		var got []clause
		for _, tok := range toks {
			got = append(got, tok.clause)
		}
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(clause{})); diff != "" {
			t.Errorf("tokenize(%q) clauses (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestOpenIncompatible(t *testing.T) {
	ix, path := newTestIndex(t)
	if err := ix.shards[0].SetInternal(internalMappingKey, []byte("trawl-index-0")); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	for name, open := range map[string]func(string) (*Index, error){"Open": Open, "OpenReadOnly": OpenReadOnly} {
		if ix, err := open(path); !errors.Is(err, ErrIncompatible) {
			if ix != nil {
				ix.Close()
			}
			t.Errorf("%s of an index with an old mapping: %v, want ErrIncompatible", name, err)
		}
	}
}

func TestLatencies(t *testing.T) {
	ix, _ := newTestIndex(t)
	p50, p99, err := Latencies(context.Background(), ix, Query{Text: "Bessent"}, 20)
	if err != nil {
		t.Fatal(err)
	}
	if p50 <= 0 || p99 < p50 {
		t.Errorf("Latencies = p50 %v, p99 %v; want 0 < p50 <= p99", p50, p99)
	}
	if _, _, err := Latencies(context.Background(), ix, Query{Text: `"open`}, 5); err == nil {
		t.Error("Latencies of a bad query succeeded")
	}
}

func TestConcurrentSearch(t *testing.T) {
	ix, _ := newTestIndex(t)
	ents := []trawl.Entity{{ID: "scott-bessent", Type: trawl.Person, Canonical: "Scott Bessent",
		Variants: []trawl.Variant{{Name: "Scott Besset"}}}}
	setPeople(t, ix, ents)
	var g errgroup.Group
	for range 8 {
		g.Go(func() error {
			q := Query{Text: "Besset tariffs"}
			r, err := ix.Search(context.Background(), q)
			if err == nil && len(r.Hits) != 3 {
				err = fmt.Errorf("Search(%q) = %v, want 3 hits", q.Text, hitIDs(r))
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		t.Error(err)
	}
}

// holdEnv makes the test binary a writer process that holds the index at
// the given path open until its standard input closes.
const holdEnv = "TRAWL_INDEX_TEST_HOLD"

func holdIndex(path string) int {
	ix, err := Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("open")
	io.Copy(io.Discard, os.Stdin)
	ix.Close()
	return 0
}

// TestOpenReadOnlyOtherProcess is the situation of trawl search while trawl
// ingest runs: another process has the index open for writing.
func TestOpenReadOnlyOtherProcess(t *testing.T) {
	ix, path := newTestIndex(t)
	ix.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdEnv+"="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "open\n" {
		stdin.Close()
		cmd.Wait()
		t.Fatalf("writer process: %q, %v", line, err)
	}
	ro, err := OpenReadOnly(path)
	if !errors.Is(err, ErrLocked) {
		if ro != nil {
			ro.Close()
		}
		t.Errorf("OpenReadOnly while another process writes: %v, want ErrLocked", err)
	} else if !strings.Contains(err.Error(), "retry when the ingest finishes") {
		t.Errorf("error %q does not tell the user what to do", err)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("writer process: %v", err)
	}
	ro, err = OpenReadOnly(path)
	if err != nil {
		t.Fatalf("OpenReadOnly after the writer exited: %v", err)
	}
	ro.Close()
}
