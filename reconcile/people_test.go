package reconcile

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlnews/trawl"
)

func TestGrouping(t *testing.T) {
	tests := []struct {
		name string
		arts func(t *testing.T) []trawl.Article
		want map[string]string // entity id -> variants in entity order
	}{
		{
			name: "misspelt surname joins the best-supported spelling",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2025-06-08", "Wire A", "Treasury Secretary Scott Besset met Commerce Secretary Howard Lutnick.",
						per("Scott Besset", "", "Treasury Secretary"), per("Howard Lutnick", "", "Commerce Secretary")),
					article(t, "a2", "2025-06-08", "Wire B", "Treasury Secretary Scott Bessent and Howard Lutnick spoke. Bessent said more.",
						per("Scott Bessent", "", "Treasury Secretary"), per("Howard Lutnick", "", ""), per("Bessent", "Scott Bessent", "")),
					article(t, "a3", "2025-06-09", "Wire C", "Scott Bessent met Lutnick in London.",
						per("Scott Bessent", "", ""), per("Lutnick", "", "")),
				}
			},
			want: map[string]string{
				"scott-bessent":  "Scott Bessent|Scott Besset|Bessent",
				"howard-lutnick": "Howard Lutnick|Lutnick",
			},
		},
		{
			name: "prefix short form of a given name",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2025-06-08", "A", "Trade Representative Jamie Greer will attend.",
						per("Jamie Greer", "", "Trade Representative")),
					article(t, "a2", "2025-06-08", "B", "U.S. Trade Representative Jamieson Greer will attend.",
						per("Jamieson Greer", "", "U.S. Trade Representative")),
				}
			},
			want: map[string]string{"jamieson-greer": "Jamieson Greer|Jamie Greer"},
		},
		{
			name: "nickname table and initials with a shared title",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2025-06-08", "A", "Former president Bill Clinton and Commerce Secretary H. Lutnick spoke.",
						per("Bill Clinton", "", ""), per("H. Lutnick", "", "Commerce Secretary")),
					article(t, "a2", "2025-06-08", "B", "William Clinton met Commerce Secretary Howard Lutnick.",
						per("William Clinton", "", ""), per("Howard Lutnick", "", "Commerce Secretary")),
					article(t, "a3", "2025-06-09", "C", "William Clinton spoke.", per("William Clinton", "", "")),
				}
			},
			want: map[string]string{
				"william-clinton": "William Clinton|Bill Clinton",
				"howard-lutnick":  "Howard Lutnick|H. Lutnick",
			},
		},
		{
			name: "He the pronoun stays apart from He Lifeng",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2025-06-08", "A", "Vice Premier He Lifeng will lead. Vice Premier He is expected to stay.",
						per("He Lifeng", "", "Vice Premier"), per("He", "He Lifeng", "Vice Premier")),
					article(t, "a2", "2025-06-08", "B", "He said the talks were good.", per("He", "", "")),
					article(t, "a3", "2025-06-09", "C", "He Lifeng arrived. He smiled.", per("He Lifeng", "", ""), per("He", "He", "")),
				}
			},
			want: map[string]string{
				"he-lifeng": "He Lifeng|He",
				"he":        "He",
			},
		},
		{
			name: "a surname shared by two people goes to the one whose title matches",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2025-06-08", "A", "President Donald Trump spoke.", per("Donald Trump", "", "President")),
					article(t, "a2", "2025-06-08", "B", "Businessman Eric Trump spoke.", per("Eric Trump", "", "Businessman")),
					article(t, "a3", "2025-06-09", "C", "President Trump said so.", per("Trump", "", "President")),
					article(t, "a4", "2025-06-09", "D", "Trump said so.", per("Trump", "", "")),
				}
			},
			want: map[string]string{
				"donald-trump": "Donald Trump|Trump",
				"eric-trump":   "Eric Trump",
				"trump":        "Trump",
			},
		},
		{
			name: "President Trump is not attached to Eric Trump of the same article",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2025-06-08", "A", "President Donald Trump spoke.", per("Donald Trump", "", "President")),
					article(t, "a2", "2025-06-12", "B", "Eric Trump spoke in Miami. President Trump spoke at the White House.",
						per("Eric Trump", "", ""), per("Trump", "", "President")),
				}
			},
			want: map[string]string{
				"donald-trump": "Donald Trump|Trump",
				"eric-trump":   "Eric Trump",
			},
		},
		{
			name: "a rare nickname pairing with one person in common is not enough",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "", "A", "Robert Gates was nominated, and Ronald Reagan backed him.",
						per("Robert Gates", "", ""), per("Ronald Reagan", "", "")),
					article(t, "a2", "", "B", "Bill Gates met Ronald Reagan.", per("Bill Gates", "", ""), per("Ronald Reagan", "", "")),
					article(t, "a3", "", "C", "Bill Gates spoke.", per("Bill Gates", "", "")),
				}
			},
			want: map[string]string{
				"robert-gates":  "Robert Gates",
				"bill-gates":    "Bill Gates",
				"ronald-reagan": "Ronald Reagan",
			},
		},
		{
			name: "Korean names sharing Kim stay apart and Kim alone is ambiguous",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2025-06-08", "A", "Kim Jong Un met Kim Yo Jong.", per("Kim Jong Un", "", ""), per("Kim Yo Jong", "", "")),
					article(t, "a2", "2025-06-08", "B", "Kim Jong-un spoke. Kim said more.", per("Kim Jong-un", "", ""), per("Kim", "", "")),
					article(t, "a3", "2025-06-09", "C", "Kim visited.", per("Kim", "", "")),
				}
			},
			want: map[string]string{
				"kim-jong-un": "Kim Jong Un|Kim", // "Kim Jong-un" is the same spelling
				"kim-yo-jong": "Kim Yo Jong",
				"kim":         "Kim",
			},
		},
		{
			name: "family name first joins alone",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2025-06-08", "A", "President Xi Jinping spoke.", per("Xi Jinping", "", "President")),
					article(t, "a2", "2025-06-09", "B", "Xi said so.", per("Xi", "", "")),
				}
			},
			want: map[string]string{"xi-jinping": "Xi Jinping|Xi"},
		},
		{
			name: "chain guard: John~Jon Smith and Jon Smith~Jon Smyth do not pull Jon Smyth in",
			arts: func(t *testing.T) []trawl.Article {
				text := func(n string) string { return "Acme chief executive " + n + " met Mary Jones." }
				a := func(id, n string) trawl.Article {
					return article(t, id, "2025-06-08", id, text(n), per(n, "", "Acme chief executive"), per("Mary Jones", "", ""))
				}
				// Jon Smyth comes first so that a single-link pass over
				// articles would see the chain from its end.
				return []trawl.Article{a("a1", "Jon Smyth"), a("a2", "Jon Smyth"), a("a3", "Jon Smith"), a("a4", "John Smith"), a("a5", "John Smith"), a("a6", "John Smith")}
			},
			want: map[string]string{
				"john-smith": "John Smith|Jon Smith",
				"jon-smyth":  "Jon Smyth",
				"mary-jones": "Mary Jones",
			},
		},
		{
			name: "a nickname whose title contradicts is someone else",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2025-06-08", "A", "Senator Jon Tester spoke.", per("Jon Tester", "", "Senator")),
					article(t, "a2", "2025-06-08", "B", "Goalkeeper John Tester spoke.", per("John Tester", "", "Goalkeeper")),
				}
			},
			want: map[string]string{"jon-tester": "Jon Tester", "john-tester": "John Tester"},
		},
		{
			name: "a misspelling without shared title or people is not merged",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2025-06-08", "A", "Anna Karlsen spoke.", per("Anna Karlsen", "", "")),
					article(t, "a2", "2025-06-08", "B", "Anna Karlson spoke.", per("Anna Karlson", "", "")),
				}
			},
			want: map[string]string{"anna-karlsen": "Anna Karlsen", "anna-karlson": "Anna Karlson"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arts := tt.arts(t)
			got := groups(reconcileT(t, arts, Options{}))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("entities (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReconcileRewritesMentionEntities(t *testing.T) {
	arts := []trawl.Article{
		article(t, "b", "2025-06-09", "B", "Scott Bessent spoke. Bessent left.", per("Scott Bessent", "", ""), per("Bessent", "Scott Bessent", "")),
		article(t, "a", "2025-06-08", "A", "He said Scott Besset spoke with Howard Lutnick and Lutnick.",
			per("Scott Besset", "", "Treasury Secretary"), per("Howard Lutnick", "", ""), per("Lutnick", "Howard Lutnick", "")),
	}
	reconcileT(t, arts, Options{})
	got := map[string]string{}
	for _, a := range arts {
		for _, m := range a.Mentions {
			got[a.ID+":"+m.Text] = m.Entity
		}
	}
	want := map[string]string{
		"b:Scott Bessent": "scott-bessent", "b:Bessent": "scott-bessent",
		"a:Scott Besset": "scott-besset", "a:Howard Lutnick": "howard-lutnick", "a:Lutnick": "howard-lutnick",
	}
	// Besset and Bessent share no title or people here, so they stay apart:
	// a misspelling alone is weak evidence.
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mention entities (-want +got):\n%s", diff)
	}
}

func TestCanonicalAndReasons(t *testing.T) {
	arts := []trawl.Article{
		article(t, "a1", "2025-06-08", "Wire A", "Treasury Secretary Scott Besset and Trade Representative Jamie Greer met Howard Lutnick.",
			per("Scott Besset", "", "Treasury Secretary"), per("Jamie Greer", "", "Trade Representative"), per("Howard Lutnick", "", "")),
		article(t, "a2", "2025-06-08", "Wire B", "Treasury Secretary Scott Bessent and Jamieson Greer met Howard Lutnick. Bessent spoke.",
			per("Scott Bessent", "", "Treasury Secretary"), per("Jamieson Greer", "", ""), per("Howard Lutnick", "", ""), per("Bessent", "Scott Bessent", "")),
		article(t, "a3", "2025-06-09", "Wire C", "Scott Bessent met Howard Lutnick.",
			per("Scott Bessent", "", ""), per("Howard Lutnick", "", "")),
	}
	r := reconcileT(t, arts, Options{})
	byID := map[string]trawl.Entity{}
	for _, e := range r.Entities {
		byID[e.ID] = e
	}
	want := trawl.Entity{
		ID: "scott-bessent", Type: trawl.Person, Canonical: "Scott Bessent",
		Reason: "'Scott Bessent' appears in 2 articles from 2 sources, the best-supported full form",
		Variants: []trawl.Variant{
			{Name: "Scott Bessent", Mentions: 2, Articles: 2, Sources: 2, Status: "canonical", Reason: "the canonical name"},
			{Name: "Scott Besset", Mentions: 1, Articles: 1, Sources: 1, Status: "misspelling",
				Reason: "'Besset' differs from 'Bessent' by one letter and appears in 1 article against 2; probable misspelling"},
			{Name: "Bessent", Mentions: 1, Articles: 1, Sources: 1, Status: "surname", Reason: "'Bessent' alone is the surname of 'Scott Bessent'"},
		},
		Roles: []trawl.Role{
			{Role: "Treasury Secretary", Article: "a1", Published: "2025-06-08"},
			{Role: "Treasury Secretary", Article: "a2", Published: "2025-06-08"},
		},
		Articles: []string{"a1", "a2", "a3"},
		Mentions: 4,
	}
	if diff := cmp.Diff(want, byID["scott-bessent"]); diff != "" {
		t.Errorf("scott-bessent (-want +got):\n%s", diff)
	}
	g := byID["jamieson-greer"]
	if g.Canonical != "Jamieson Greer" || len(g.Variants) != 2 || g.Variants[1].Status != "short form" {
		t.Errorf("jamieson-greer: got canonical %q variants %+v; want the full form canonical and Jamie a short form", g.Canonical, g.Variants)
	}
}

func TestSlugCollisions(t *testing.T) {
	// Different people with one slug get a numeric suffix: the pronoun "He"
	// of two articles is never linked across them.
	arts := []trawl.Article{
		article(t, "a1", "2025-06-08", "A", "Kim Jong Un met Kim Yo Jong.", per("Kim Jong Un", "", ""), per("Kim Yo Jong", "", "")),
		article(t, "a2", "2025-06-08", "B", "Kim visited. Kim left.", per("Kim", "", "Soldier")),
		article(t, "a3", "2025-06-08", "C", "He spoke. He Lifeng left.", per("He", "He", ""), per("He Lifeng", "", "")),
		article(t, "a4", "2025-06-08", "D", "He spoke.", per("He", "", "")),
		article(t, "a5", "2025-06-08", "E", "He spoke.", per("He", "", "")),
	}
	r := reconcileT(t, arts, Options{})
	var ids []string
	for _, e := range r.Entities {
		ids = append(ids, e.ID)
	}
	want := []string{"he", "he-2", "he-lifeng", "kim", "kim-jong-un", "kim-yo-jong"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
}
