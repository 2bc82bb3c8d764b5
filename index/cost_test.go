package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
)

// TestBadQueriesAreQueryErrors runs the queries an adversarial run answered
// with a server error or a NaN score: each is refused before it runs, with
// a QueryError that says what is wrong.
func TestBadQueriesAreQueryErrors(t *testing.T) {
	ix, _ := newTestIndex(t)
	tests := []struct {
		text string
		want string // in the message
	}{
		{`/.{0,1000}/`, "repeat count 1000"},
		{`tariffs~100`, "fuzziness 100"},
		{`tariffs~3`, "fuzziness 3"},
		{`tariffs^1e308`, "boost"},
		{`tariffs^-1`, "boost"},
		{`/[/`, "missing closing ]"},
		{`title:/(a|b/`, "missing closing )"},
		{`/` + strings.Repeat("a", MaxPatternBytes+1) + `/`, "longer than"},
		{`published:bogus`, "not a date"},
		{`published:2025-06-10..2025-06-01`, "ends before it starts"},
		{strings.TrimSpace(strings.Repeat("*a* ", MaxExpandingTerms+1)), fmt.Sprintf("more than %d wildcard", MaxExpandingTerms)},
	}
	for _, tt := range tests {
		_, err := ix.Search(context.Background(), Query{Text: tt.text})
		var qe *QueryError
		if !errors.As(err, &qe) || !errors.Is(err, ErrBadQuery) {
			t.Errorf("Search(%q): %v, want a *QueryError", tt.text, err)
			continue
		}
		if !strings.Contains(qe.Msg, tt.want) {
			t.Errorf("Search(%q): %q, want it to say %q", tt.text, qe.Msg, tt.want)
		}
	}
}

// TestSixtyWildcardsAreRefused is the query that took 1.8 GB: 60 wildcard
// terms in 600 bytes. It is refused after expanding at most
// MaxExpandingTerms of them, whatever the index holds.
func TestSixtyWildcardsAreRefused(t *testing.T) {
	ix, _ := newTestIndex(t)
	var terms []string
	for i := range 60 {
		terms = append(terms, fmt.Sprintf("*%c%c*", 'a'+i%26, 'a'+i/26))
	}
	text := strings.Join(terms, " ") + strings.Repeat(" ", 600-len(strings.Join(terms, " ")))
	if len(text) != 600 {
		t.Fatalf("query is %d bytes", len(text))
	}
	c := ix.newCostCheck()
	var err error
	for _, term := range terms {
		if err = c.expand(term); err != nil {
			break
		}
	}
	if err == nil || c.expanding != MaxExpandingTerms+1 {
		t.Errorf("cost check counted %d terms (%v), want a refusal at %d", c.expanding, err, MaxExpandingTerms+1)
	}
	if _, err := ix.Search(context.Background(), Query{Text: text}); !errors.Is(err, ErrBadQuery) {
		t.Errorf("Search(60 wildcards): %v, want a bad-query error", err)
	}
}

// TestExpansionIsBounded lowers the expansion limits on an index of many
// distinct words: a wildcard matching more words than the limit is refused,
// one matching fewer runs, and the total over several terms is bounded too.
func TestExpansionIsBounded(t *testing.T) {
	ix, _ := newTestIndex(t)
	var words []string
	for i := range 50 {
		words = append(words, fmt.Sprintf("zeta%03d", i))
	}
	if err := ix.Put([]Doc{{ID: "many", Text: strings.Join(words, " ")}}); err != nil {
		t.Fatal(err)
	}
	ix.maxExpansion, ix.maxTotalExpansion = 20, 30
	for _, tt := range []struct {
		text string
		ok   bool
	}{
		{"zeta00*", true},                          // 10 words
		{"zeta0*", false},                          // 50 words
		{"/zeta0[0-4][0-9]/", false},               // 50 words
		{"zeta00* zeta01*", true},                  // 20 in all
		{"zeta00* zeta01* zeta02* zeta03*", false}, // 40 in all
		{"zeta001~1", true},
	} {
		r, err := ix.Search(context.Background(), Query{Text: tt.text})
		switch {
		case tt.ok && err != nil:
			t.Errorf("Search(%q): %v, want results", tt.text, err)
		case tt.ok && !slices.Contains(hitIDs(r), "many"):
			t.Errorf("Search(%q) = %v, want the document of many words", tt.text, hitIDs(r))
		case !tt.ok && !errors.Is(err, ErrBadQuery):
			t.Errorf("Search(%q): %v, want a bad-query error", tt.text, err)
		}
	}
}

// TestScoresAreFinite checks that the largest boost allowed still gives
// finite scores, which JSON can carry.
func TestScoresAreFinite(t *testing.T) {
	ix, _ := newTestIndex(t)
	r, err := ix.Search(context.Background(), Query{Text: fmt.Sprintf("tariffs^%d", MaxBoost)})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range r.Hits {
		if math.IsNaN(h.Score) || math.IsInf(h.Score, 0) {
			t.Errorf("hit %s: score %v", h.ID, h.Score)
		}
	}
}

// TestPublishedClauses checks the published: forms of the query string and
// dates outside what the index can hold, which mean no bound.
func TestPublishedClauses(t *testing.T) {
	ix, _ := newTestIndex(t)
	for _, tt := range []struct {
		q    Query
		want []string
	}{
		{Query{Text: "published:2025-06-08"}, []string{"seed/001"}},
		{Query{Text: "published:>2025-06-08"}, []string{"seed/003"}},
		{Query{Text: "published:>=2025-06-08"}, []string{"seed/001", "seed/003"}},
		{Query{Text: "published:<2025-06-08"}, []string{"seed/000"}},
		{Query{Text: "published:<=2025-06-08"}, []string{"seed/000", "seed/001"}},
		{Query{Text: "published:2025-06-07..2025-06-08"}, []string{"seed/000", "seed/001"}},
		{Query{Text: "published:2025-06"}, []string{"seed/000", "seed/001", "seed/003"}},
		{Query{Text: `published:"2025-06-10"`}, []string{"seed/003"}},
		{Query{From: "0000-01-01"}, []string{"seed/000", "seed/001", "seed/003"}},
		{Query{To: "9999-12-31"}, []string{"seed/000", "seed/001", "seed/003"}},
		{Query{From: "0000-01-01", To: "9999-12-31"}, []string{"seed/000", "seed/001", "seed/003"}},
	} {
		r, err := ix.Search(context.Background(), tt.q)
		if err != nil {
			t.Errorf("Search(%+v): %v", tt.q, err)
			continue
		}
		got := hitIDs(r)
		slices.Sort(got)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Search(%+v) ids (-want +got):\n%s", tt.q, diff)
		}
	}
}

// TestOperators checks AND, OR, NOT and parentheses: AND never finds more
// than OR, NOT removes, words side by side still form a name.
func TestOperators(t *testing.T) {
	ix, _ := newTestIndex(t)
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"Lutnick AND Lifeng", nil},
		{"Lutnick OR Lifeng", []string{"seed/000", "seed/001"}},
		{"Bessent AND tariffs", []string{"seed/000", "seed/001"}},
		{"Bessent AND NOT steel", []string{"seed/000", "seed/001"}},
		{"Bessent NOT steel", []string{"seed/000", "seed/001"}},
		{"NOT Bessent", []string{"farm/soy"}},
		{"(steel OR soybean) AND NOT ethane", []string{"farm/soy"}},
		{"Jamie Greer AND He Lifeng", []string{"seed/001"}},
		{"-(steel OR soybean)", []string{"seed/000", "seed/001"}},
		{`"critical minerals" OR soybean`, []string{"farm/soy", "seed/000"}},
		{"tariffs and or not", []string{"seed/000", "seed/001"}},
	} {
		r, err := ix.Search(context.Background(), Query{Text: tt.text})
		if err != nil {
			t.Errorf("Search(%q): %v", tt.text, err)
			continue
		}
		got := hitIDs(r)
		slices.Sort(got)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Search(%q) ids (-want +got):\n%s", tt.text, diff)
		}
	}
	for _, pair := range [][2]string{{"Bessent", "tariffs"}, {"Besset", "Greer"}, {"steel", "minerals"}} {
		and, err1 := ix.Search(context.Background(), Query{Text: pair[0] + " AND " + pair[1]})
		or, err2 := ix.Search(context.Background(), Query{Text: pair[0] + " OR " + pair[1]})
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if and.Total > or.Total {
			t.Errorf("%s AND %s: %d hits, more than OR's %d", pair[0], pair[1], and.Total, or.Total)
		}
	}
	for _, bad := range []string{"(tariffs", "tariffs)", "()", "AND tariffs", "tariffs OR", "tariffs NOT", `"open`, "/open"} {
		if _, err := ix.Search(context.Background(), Query{Text: bad}); !errors.Is(err, ErrBadQuery) {
			t.Errorf("Search(%q): %v, want a bad-query error", bad, err)
		}
	}
}

// TestUnknownFilterValues checks that a person, commodity or source no
// article has is an error naming the closest known ones.
func TestUnknownFilterValues(t *testing.T) {
	ix, _ := newTestIndex(t)
	setPeople(t, ix, []trawl.Entity{
		{ID: "scott-bessent", Type: trawl.Person, Canonical: "Scott Bessent", Variants: []trawl.Variant{{Name: "Scott Besset"}}},
		{ID: "he-lifeng", Type: trawl.Person, Canonical: "He Lifeng"},
		{ID: "howard-lutnick", Type: trawl.Person, Canonical: "Howard Lutnick"},
		{ID: "jamieson-greer", Type: trawl.Person, Canonical: "Jamieson Greer", Variants: []trawl.Variant{{Name: "Jamie Greer"}}},
	})
	for _, tt := range []struct {
		q    Query
		want string
	}{
		{Query{People: []string{"Scot Besent"}}, `person "Scot Besent": no article has it; the closest known: Scott Bessent (scott-bessent)`},
		{Query{Commodities: []string{"steal"}}, `commodity "steal": no article has it; the closest known: "steel"`},
		{Query{Sources: []string{"Farm Newz"}}, `source "Farm Newz": no article has it; the closest known: "Farm News"`},
	} {
		_, err := ix.Search(context.Background(), tt.q)
		if !errors.Is(err, ErrBadQuery) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Search(%+v): %v, want a bad-query error saying %s", tt.q, err, tt.want)
		}
	}
	for _, q := range []Query{
		{People: []string{"scott-bessent"}}, {People: []string{"Besset"}}, {People: []string{"jamie greer"}},
		{Commodities: []string{"metals"}}, {Sources: []string{"Trade Wire"}},
	} {
		if _, err := ix.Search(context.Background(), q); err != nil {
			t.Errorf("Search(%+v): %v", q, err)
		}
	}
	if got := editDistance("Besset", "Bessent"); got != 1 {
		t.Errorf("editDistance(Besset, Bessent) = %d, want 1", got)
	}
}
