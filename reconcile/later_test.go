package reconcile

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlnews/trawl"
)

// TestTextsGivenLater reconciles articles whose texts of dates and figures
// are left out while the people are grouped and given by Options.Texts, as
// a store's refresh does, and checks that the result is the one of the same
// articles with their texts held throughout.
func TestTextsGivenLater(t *testing.T) {
	steel := "tariffs on imported steel and aluminum"
	arts := []trawl.Article{
		article(t, "a1", "2025-05-08", "A", "Scott Bessent will meet He Lifeng in Geneva on Saturday, May 10.",
			per("Scott Bessent", "", ""), per("He Lifeng", "", ""), date("Saturday, May 10", "2025-05-10")),
		article(t, "a2", "2025-05-09", "B", "Officials said Bessent will meet Chinese officials in Geneva on Sunday.",
			per("Bessent", "", ""), date("Sunday", "2025-05-11")),
		article(t, "a3", "2025-05-09", "C", "Treasury Secretary Scott Besent spoke. Scott Bessent left.",
			per("Scott Besent", "", "Treasury Secretary"), per("Scott Bessent", "", "")),
		article(t, "a4", "2025-06-08", "A", "The U.S. set tariffs on imported steel and aluminum at 50%.", pct("50%", "50", steel)),
		article(t, "a5", "2025-06-09", "B", "Steel and aluminium import tariffs now stand at 25%.", pct("25%", "25", "steel and aluminium import tariffs")),
		article(t, "a6", "2025-06-09", "C", "Tariffs on imported steel and aluminum are 50%, Scott Bessent said.", pct("50%", "50", steel), per("Scott Bessent", "", "")),
	}
	compact := func() ([]Article, *Strings) {
		strs := NewStrings()
		out := make([]Article, len(arts))
		for i, a := range arts {
			out[i] = Article{ID: a.ID, Title: a.Title, Source: a.Source, Published: a.Published, Text: a.Text}
			for _, m := range a.Mentions {
				out[i].Mentions = append(out[i].Mentions, strs.Mention(m))
			}
			Mark(&out[i])
		}
		return out, strs
	}
	held, strs := compact()
	want, err := ReconcileArticles(t.Context(), held, strs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ofKind(want.Discrepancies, trawl.DateConflict)) == 0 || len(ofKind(want.Discrepancies, trawl.FigureConflict)) == 0 {
		t.Fatalf("the articles give no date or no figure conflict: the test checks nothing: %v", ids(want.Discrepancies))
	}

	later, strs := compact()
	texts := map[string]string{}
	var wantLater []string
	for i := range later {
		a := &later[i]
		if a.ID == "a3" {
			continue // names only: its text stays
		}
		texts[a.ID], a.Text, a.TextLater = a.Text, "", true
		wantLater = append(wantLater, a.ID)
	}
	var given []string
	fill := func(_ context.Context, arts []*Article) error {
		for _, a := range arts {
			given = append(given, a.ID)
			a.Text = texts[a.ID]
		}
		return nil
	}
	got, err := ReconcileArticles(t.Context(), later, strs, Options{Texts: fill})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantLater, given); diff != "" {
		t.Errorf("articles given to Texts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result with texts given later (-held +later):\n%s", diff)
	}
	unmarked := []Article{{ID: "x", TextLater: true}}
	if _, err := ReconcileArticles(t.Context(), unmarked, NewStrings(), Options{Texts: fill}); err == nil {
		t.Error("an article left without its text and not marked was reconciled")
	}
}
