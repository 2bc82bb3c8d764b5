package reconcile

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trawlnews/trawl/internal/golden"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlnews/trawl"
)

// seedText reads a seed article: the project's copy with its header block
// (testdata/articles) when present, else the shared seed with the
// metadata given here.
func seedText(t *testing.T, name, title, published, source string) trawl.Article {
	t.Helper()
	a := trawl.Article{ID: "seeds/" + strings.TrimSuffix(name, ".txt"), Title: title, Published: published, Source: source}
	if b, err := os.ReadFile(filepath.Join("..", "testdata", "articles", name)); err == nil {
		head, body, ok := strings.Cut(string(b), "\n\n")
		if !ok {
			t.Fatalf("%s: no header block", name)
		}
		for _, line := range strings.Split(head, "\n") {
			k, v, _ := strings.Cut(line, ":")
			switch strings.TrimSpace(k) {
			case "Title":
				a.Title = strings.TrimSpace(v)
			case "Published":
				a.Published = strings.TrimSpace(v)
			case "Source":
				a.Source = strings.TrimSpace(v)
			}
		}
		a.Text = body
		return a
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "shared", "seeds", name))
	if err != nil {
		t.Skipf("seed article %s not found in ../testdata/articles or ../../shared/seeds", name)
	}
	a.Text = string(b)
	return a
}

// seedArticles are the three seed articles with hand-written mentions.
func seedArticles(t *testing.T) []trawl.Article {
	mk := func(a trawl.Article, specs ...spec) trawl.Article {
		b := article(t, a.ID, a.Published, a.Source, a.Text, specs...)
		b.Title = a.Title
		return b
	}
	change := func(s spec, from, ch string) spec { s.from, s.change = from, ch; return s }
	a000 := mk(seedText(t, "000_ac9690d5760d0952.txt", "US and China to hold trade talks on critical minerals", "2025-06-08", "seed-000"),
		date("next week", "2025-W24"),
		per("Scott Besset", "", "U.S. Treasury Secretary"), per("Howard Lutnick", "", "Commerce Secretary"),
		per("Jamie Greer", "", "Trade Representative"), date("Monday, June 9th", "2025-06-09"),
		date("last Friday (June 6th)", "2025-06-06"), per("Donald Trump", "", "U.S. President"),
		per("Xi Jinping", "", "Chinese President"), date("Monday", "2025-06-09").at(1))
	a001 := mk(seedText(t, "001_65d83bc85e607672.txt", "US-China trade talks set for London", "2025-06-08", "seed-001"),
		date("Monday", "2025-06-09"), date("Friday", "2025-06-06"),
		per("Scott Bessent", "", "Treasury Secretary"), per("Howard Lutnick", "", "Commerce Secretary"),
		per("Jamieson Greer", "", "U.S. Trade Representative"), date("the weekend", "2025-W23"),
		per("He Lifeng", "", "Vice Premier"), date("May", "2025-05"),
		pct("30%", "30", "tariffs on certain Chinese products"), pct("10%", "10", "levies on U.S. goods"),
		per("Kevin Hassett", "", "U.S. National Economic Council Director"), date("May", "2025-05"),
		change(pct("4.8%", "4.8", "exports"), "", "rise"), change(pct("3.4%", "3.4", "imports"), "", "fall"),
		per("He", "He Lifeng", "Vice Premier"), date("June 13", "2025-06-13"))
	a003 := mk(seedText(t, "003_a17ed81ac00cb93e.txt", "US-China talks to continue for a second day", "2025-06-09", "seed-003"),
		date("Tuesday", "2025-06-10"), date("Monday", "2025-06-09"),
		per("Scott Bessent", "", "Treasury Secretary"), per("Howard Lutnick", "", "Commerce Secretary"),
		per("Trump", "", "President"), per("He Lifeng", "", "Chinese Vice Premier"), date("May", "2025-05"),
		date("early July", "2025-07"), date("Wednesday, June 4", "2025-06-04"),
		pct("25%", "25", "tariffs on imported steel and aluminum"),
		change(pct("50%", "50", "tariffs on imported steel and aluminum"), "25", "rise"))
	return []trawl.Article{a003, a000, a001} // out of order on purpose
}

// TestSeedsGolden freezes what reconciliation finds in the seed articles:
// the entities and the ranked discrepancies, as data (their renderings are
// the report package's).
func TestSeedsGolden(t *testing.T) {
	r := reconcileT(t, seedArticles(t), Options{})
	for _, g := range []struct {
		file string
		v    any
	}{
		{"seeds-entities.json.golden", r.Entities},
		{"seeds-discrepancies.json.golden", r.Discrepancies},
	} {
		b, err := json.MarshalIndent(g.v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", g.file), append(b, '\n'))
	}

	// The same input in another order gives the same output.
	again := seedArticles(t)
	again[0], again[2] = again[2], again[0]
	if diff := cmp.Diff(r, reconcileT(t, again, Options{})); diff != "" {
		t.Errorf("output depends on input order (-first +second):\n%s", diff)
	}
}

func TestReconcileCancelled(t *testing.T) {
	arts := seedArticles(t)
	before := slices.Clone(arts[0].Mentions)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Reconcile(ctx, arts, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Reconcile(cancelled) error = %v, want context.Canceled", err)
	}
	if diff := cmp.Diff(before, arts[0].Mentions); diff != "" {
		t.Errorf("a cancelled Reconcile changed the mentions (-want +got):\n%s", diff)
	}
}
