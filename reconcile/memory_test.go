package reconcile

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
)

// TestLocalsHeldAtTheirCount counts what the grouping's largest structure
// holds: one local per person and article, allocated at that count, not
// one per mention of every kind (an article of many dates and figures and
// few people held room for all of them: 73 MB at 10x for 17 MB of locals).
func TestLocalsHeldAtTheirCount(t *testing.T) {
	var arts []trawl.Article
	for i := range 40 {
		text := "Anne Henderson met Paul Rowe on Monday. Henderson said 12% of the 2024 budget was spent in 2023 and 2022. Rowe agreed."
		arts = append(arts, article(t, fmt.Sprintf("a%02d", i), "2025-01-02", "wire", text,
			per("Anne Henderson", "", ""), per("Paul Rowe", "", ""), per("Henderson", "Anne Henderson", ""),
			pct("12%", "12", "the budget"), date("2024", "2024"), date("2023", "2023"), date("2022", "2022"),
			per("Rowe", "Paul Rowe", "")))
	}
	strs := NewStrings()
	compact := make([]Article, len(arts))
	for i, a := range arts {
		compact[i] = Article{ID: a.ID, Published: a.Published, Source: a.Source, Text: a.Text}
		for _, m := range a.Mentions {
			compact[i].Mentions = append(compact[i].Mentions, strs.Mention(m))
		}
		Mark(&compact[i])
	}
	ordered := make([]*Article, len(compact))
	for i := range compact {
		ordered[i] = &compact[i]
	}
	g := &grouper{arts: ordered, strs: strs, roles: roleNorms{}, names: map[string]personName{}}
	g.buildLocals()
	// Two people an article, their surnames alone attached to them.
	if want := 2 * len(arts); len(g.locals) != want || cap(g.locals) != want {
		t.Errorf("locals: %d held in room for %d, want %d in room for %d", len(g.locals), cap(g.locals), want, want)
	}
	// Their mentions are held in one slice of the PERSON mentions' count,
	// each local's side by side, the surname's with its full name's.
	if want := 4 * len(arts); len(g.mentions) != want || cap(g.mentions) != want {
		t.Errorf("mentions of the locals: %d held in room for %d, want %d in room for %d", len(g.mentions), cap(g.mentions), want, want)
	}
	for i := range g.locals {
		l := &g.locals[i]
		want := []int32{0, 2} // Anne Henderson, Henderson
		if l.name.surname() == "rowe" {
			want = []int32{1, 7} // Paul Rowe, Rowe
		}
		if diff := cmp.Diff(want, g.mentionsOf(l)); diff != "" {
			t.Errorf("mentions of local %d, %v (-want +got):\n%s", i, l.name.tokens, diff)
		}
	}
}
