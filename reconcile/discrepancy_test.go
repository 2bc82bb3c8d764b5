package reconcile

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlnews/trawl"
)

// byID indexes discrepancies by id.
func byID(ds []trawl.Discrepancy) map[string]trawl.Discrepancy {
	m := map[string]trawl.Discrepancy{}
	for _, d := range ds {
		m[d.ID] = d
	}
	return m
}

func ids(ds []trawl.Discrepancy) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.ID)
	}
	slices.Sort(out)
	return out
}

func nameArticles(t *testing.T) []trawl.Article {
	return []trawl.Article{
		article(t, "a1", "2025-06-08", "Wire A", "Treasury Secretary Scott Besset and Trade Representative Jamie Greer met Howard Lutnick.",
			per("Scott Besset", "", "Treasury Secretary"), per("Jamie Greer", "", "Trade Representative"), per("Howard Lutnick", "", "")),
		article(t, "a2", "2025-06-08", "Wire B", "Officials said so. Treasury Secretary Scott Bessent and U.S. Trade Representative Jamieson Greer met Howard Lutnick. Bessent spoke.",
			per("Scott Bessent", "", "Treasury Secretary"), per("Jamieson Greer", "", "U.S. Trade Representative"), per("Howard Lutnick", "", ""), per("Bessent", "Scott Bessent", "")),
		article(t, "a3", "2025-06-09", "Wire C", "Scott Bessent met Howard Lutnick.",
			per("Scott Bessent", "", ""), per("Howard Lutnick", "", "")),
	}
}

func TestNameDiscrepancies(t *testing.T) {
	r := reconcileT(t, nameArticles(t), Options{})
	if diff := cmp.Diff([]string{"name-form:jamieson-greer", "name-spelling:scott-bessent"}, ids(r.Discrepancies)); diff != "" {
		t.Fatalf("discrepancies (-want +got):\n%s\n(Bessent alone and Trade Representative/U.S. Trade Representative are not discrepancies)", diff)
	}
	d := byID(r.Discrepancies)["name-spelling:scott-bessent"]
	if want := "'Scott Besset' in 1 article is probably a misspelling of 'Scott Bessent' (2 articles, 2 sources)"; d.Summary != want {
		t.Errorf("summary = %q, want %q", d.Summary, want)
	}
	var got []string
	for _, v := range d.Versions {
		got = append(got, v.Value+"="+string(v.Status))
	}
	if diff := cmp.Diff([]string{"Scott Bessent=preferred", "Scott Besset=probable misspelling"}, got); diff != "" {
		t.Errorf("versions (-want +got):\n%s", diff)
	}
	e := d.Versions[0].Evidence[0]
	want := trawl.Evidence{
		Article: "a2", Title: "Title of a2", Source: "Wire B", Published: "2025-06-08",
		Sentence:     "Treasury Secretary Scott Bessent and U.S. Trade Representative Jamieson Greer met Howard Lutnick.",
		MentionStart: 19, MentionEnd: 32, Start: 38, End: 51,
	}
	if diff := cmp.Diff(want, e); diff != "" {
		t.Errorf("evidence (-want +got):\n%s", diff)
	}
	if d.Confidence <= 0 || d.Confidence > 1 || d.Score <= 0 {
		t.Errorf("confidence %v score %v, want in (0,1] and > 0", d.Confidence, d.Score)
	}
	f := byID(r.Discrepancies)["name-form:jamieson-greer"]
	if len(f.Versions) != 2 || f.Versions[1].Value != "Jamie Greer" || f.Versions[1].Status != "short form" {
		t.Errorf("name-form versions = %+v, want Jamieson Greer then Jamie Greer (short form)", f.Versions)
	}
	// A misspelling outranks a short form.
	if r.Discrepancies[0].Kind != trawl.NameSpelling {
		t.Errorf("first discrepancy %s, want the misspelling first", r.Discrepancies[0].ID)
	}
}

func TestRoleDiscrepancies(t *testing.T) {
	arts := []trawl.Article{
		article(t, "a1", "2025-06-08", "A", "Commerce Secretary Howard Lutnick met Vice Premier He Lifeng.",
			per("Howard Lutnick", "", "Commerce Secretary"), per("He Lifeng", "", "Vice Premier")),
		article(t, "a2", "2025-06-09", "B", "Treasury Secretary Howard Lutnick met Vice Premier Liu He.",
			per("Howard Lutnick", "", "Treasury Secretary"), per("Liu He", "", "Vice Premier")),
		article(t, "a3", "2025-06-10", "C", "U.S. Commerce Secretary Gina Raimondo spoke with Vice Premier He Lifeng.",
			per("Gina Raimondo", "", "U.S. Commerce Secretary"), per("He Lifeng", "", "Chinese Vice Premier")),
		article(t, "a4", "2025-06-10", "D", "Commerce Secretary Howard Lutnick spoke.",
			per("Howard Lutnick", "", "Commerce Secretary")),
	}
	r := reconcileT(t, arts, Options{})
	// Vice Premier is held by several people at once; "Chinese Vice
	// Premier" is the same title as "Vice Premier".
	if diff := cmp.Diff([]string{"role:commerce-secretary", "role:howard-lutnick"}, ids(r.Discrepancies)); diff != "" {
		t.Fatalf("discrepancies (-want +got):\n%s", diff)
	}
	d := byID(r.Discrepancies)["role:howard-lutnick"]
	if want := "'Howard Lutnick' is called 'Commerce Secretary' in 2 articles and 'Treasury Secretary' in 1 article"; d.Summary != want {
		t.Errorf("summary = %q, want %q", d.Summary, want)
	}
	if d.Versions[0].Status != "preferred" {
		t.Errorf("version 0 status %q, want preferred", d.Versions[0].Status)
	}
	h := byID(r.Discrepancies)["role:commerce-secretary"]
	var holders []string
	for _, v := range h.Versions {
		holders = append(holders, v.Value)
	}
	if diff := cmp.Diff([]string{"Howard Lutnick", "Gina Raimondo"}, holders); diff != "" {
		t.Errorf("title holders (-want +got):\n%s", diff)
	}
}

func TestNameFormWhenTheNicknameIsMostUsed(t *testing.T) {
	arts := []trawl.Article{
		article(t, "a1", "2025-06-08", "A", "House Speaker Jim Wright spoke.", per("Jim Wright", "", "House Speaker")),
		article(t, "a2", "2025-06-09", "B", "House Speaker Jim Wright left.", per("Jim Wright", "", "House Speaker")),
		article(t, "a3", "2025-06-09", "C", "House Speaker James Wright arrived.", per("James Wright", "", "House Speaker")),
	}
	r := reconcileT(t, arts, Options{})
	d, ok := byID(r.Discrepancies)["name-form:jim-wright"]
	if !ok {
		t.Fatalf("no name-form discrepancy; have %v", ids(r.Discrepancies))
	}
	want := "'James Wright' (formal name, 1 article) and 'Jim Wright' (2 articles) name the same person; 'Jim Wright' is the form most articles use"
	if d.Summary != want {
		t.Errorf("summary = %q, want %q", d.Summary, want)
	}
}

func TestRolesOverACareerAreNotAConflict(t *testing.T) {
	arts := []trawl.Article{
		article(t, "a1", "", "Reuters", "Prime Minister Jacques Chirac said the franc would hold.",
			per("Jacques Chirac", "", "Prime Minister")),
		article(t, "a2", "", "BBC", "President Jacques Chirac met the Chancellor.",
			per("Jacques Chirac", "", "President")),
		article(t, "a3", "2004-05-01", "BBC", "President Jacques Chirac spoke.",
			per("Jacques Chirac", "", "President")),
	}
	r := reconcileT(t, arts, Options{})
	for _, d := range r.Discrepancies {
		if d.Kind == trawl.RoleConflict {
			t.Errorf("titles in undated articles reported as a conflict: %s", d.Summary)
		}
	}
}

func TestDateDiscrepancies(t *testing.T) {
	tests := []struct {
		name string
		arts func(t *testing.T) []trawl.Article
		want []string
	}{
		{
			name: "one meeting, two days",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2025-05-08", "A", "Scott Bessent will meet He Lifeng in Geneva on Saturday, May 10.",
						per("Scott Bessent", "", ""), per("He Lifeng", "", ""), date("Saturday, May 10", "2025-05-10")),
					article(t, "a2", "2025-05-09", "B", "Officials said Bessent will meet Chinese officials in Geneva on Sunday.",
						per("Bessent", "", ""), date("Sunday", "2025-05-11")),
				}
			},
			want: []string{"date:meeting:scott-bessent"},
		},
		{
			name: "seed articles: the same Monday is no conflict, nor a Friday announcement",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "000", "2025-06-08", "A", "Treasury Secretary Scott Besset and Commerce Secretary Howard Lutnick will meet with Chinese counterparts on Monday, June 9th, to revisit current trade agreements. Observers will be closely watching Monday’s meeting.",
						per("Scott Besset", "", "Treasury Secretary"), per("Howard Lutnick", "", "Commerce Secretary"), date("Monday, June 9th", "2025-06-09"), date("Monday", "2025-06-09")),
					article(t, "001", "2025-06-08", "B", "A new round of trade discussions is scheduled to take place in London on Monday. On Friday, U.S. officials announced that Treasury Secretary Scott Bessent and Commerce Secretary Howard Lutnick will meet with their Chinese counterparts.",
						date("Monday", "2025-06-09"), date("Friday", "2025-06-06"), per("Scott Bessent", "", "Treasury Secretary"), per("Howard Lutnick", "", "Commerce Secretary")),
					article(t, "003", "2025-06-09", "C", "Trade discussions will continue on Tuesday, following six hours of dialogue between top officials in London on Monday.",
						date("Tuesday", "2025-06-10"), date("Monday", "2025-06-09")),
				}
			},
			want: nil,
		},
		{
			name: "same event words but articles weeks apart",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2025-05-08", "A", "Scott Bessent will meet He Lifeng in Geneva on Saturday, May 10.",
						per("Scott Bessent", "", ""), per("He Lifeng", "", ""), date("Saturday, May 10", "2025-05-10")),
					article(t, "a2", "2025-06-08", "B", "Scott Bessent will meet He Lifeng in London on Monday.",
						per("Scott Bessent", "", ""), per("He Lifeng", "", ""), date("Monday", "2025-06-09")),
				}
			},
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := reconcileT(t, tt.arts(t), Options{})
			got := ids(ofKind(r.Discrepancies, trawl.DateConflict))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("date discrepancies (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFigureDiscrepancies(t *testing.T) {
	steel := "tariffs on imported steel and aluminum"
	tests := []struct {
		name string
		arts func(t *testing.T) []trawl.Article
		want []string
	}{
		{
			name: "two levels for one measure",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2025-06-08", "A", "The U.S. set tariffs on imported steel and aluminum at 50%.", pct("50%", "50", steel)),
					article(t, "a2", "2025-06-09", "B", "Steel and aluminium import tariffs now stand at 25%.", pct("25%", "25", "steel and aluminium import tariffs")),
					article(t, "a3", "2025-06-09", "C", "Tariffs on imported steel and aluminum are 50%.", pct("50%", "50", steel)),
				}
			},
			want: []string{"figure:aluminum-steel-tariff"},
		},
		{
			name: "from 25% to 50% is a change, not a conflict",
			arts: func(t *testing.T) []trawl.Article {
				a := article(t, "a1", "2025-06-09", "A", "The U.S. is increasing tariffs on imported steel and aluminum from 25% to 50%.",
					pct("25%", "25", steel), pct("50%", "50", steel))
				a.Mentions[1].From, a.Mentions[1].Change = "25", "rise"
				return []trawl.Article{a,
					article(t, "a2", "2025-06-09", "B", "Tariffs on imported steel and aluminum are now 50%.", pct("50%", "50", steel)),
				}
			},
			want: nil,
		},
		{
			name: "different periods are different figures",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2025-06-09", "A", "Exports in May grew by 4.8%.", date("May", "2025-05"), pct("4.8%", "4.8", "exports")),
					article(t, "a2", "2025-06-09", "B", "Exports in April grew by 8.1%.", date("April", "2025-04"), pct("8.1%", "8.1", "exports")),
				}
			},
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := reconcileT(t, tt.arts(t), Options{})
			got := ids(ofKind(r.Discrepancies, trawl.FigureConflict))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("figure discrepancies (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFigureSummary(t *testing.T) {
	arts := []trawl.Article{
		article(t, "a1", "2025-06-08", "A", "Tariffs on steel are 50%.", pct("50%", "50", "tariffs on steel")),
		article(t, "a2", "2025-06-09", "B", "Steel tariffs are 25%.", pct("25%", "25", "steel tariffs")),
		article(t, "a3", "2025-06-09", "C", "Tariffs on steel are 50%.", pct("50%", "50", "tariffs on steel")),
	}
	r := reconcileT(t, arts, Options{})
	if len(r.Discrepancies) != 1 {
		t.Fatalf("got %d discrepancies, want 1", len(r.Discrepancies))
	}
	d := r.Discrepancies[0]
	if want := "Tariffs on steel is given as '50%' in 2 articles and '25%' in 1 article"; d.Summary != want {
		t.Errorf("summary = %q, want %q", d.Summary, want)
	}
	for _, v := range d.Versions {
		for _, e := range v.Evidence {
			if got := e.Sentence[e.MentionStart:e.MentionEnd]; !strings.HasSuffix(v.Value, "%") || got != v.Value {
				t.Errorf("evidence marks %q for version %q", got, v.Value)
			}
		}
	}
}

// changeView is what a reader sees of a figure change: its slot, summary
// and, per version, the marked text of each evidence with its article.
type changeView struct {
	ID, Subject, Summary string
	Versions             []string
}

func viewChange(d trawl.Discrepancy) changeView {
	v := changeView{ID: d.ID, Subject: d.Subject, Summary: d.Summary}
	for _, ver := range d.Versions {
		s := ver.Value + " (" + string(ver.Status) + "):"
		for _, e := range ver.Evidence {
			s += " " + e.Article + "=" + e.Sentence[e.MentionStart:e.MentionEnd]
		}
		v.Versions = append(v.Versions, s)
	}
	return v
}

func TestFigureChanges(t *testing.T) {
	steel := "tariffs on imported steel and aluminum"
	seed003 := func(t *testing.T, id, source string) trawl.Article {
		a := article(t, id, "2025-06-09", source, "New trade measures are also taking effect. As of Wednesday, June 4, the U.S. is increasing tariffs on imported steel and aluminum from 25% to 50%. However, the implementation remains under review.",
			date("Wednesday, June 4", "2025-06-04"), pct("25%", "25", ""), pct("50%", "50", steel))
		a.Mentions[2].From, a.Mentions[2].Change = "25", "rise"
		return a
	}
	tests := []struct {
		name string
		arts func(t *testing.T) []trawl.Article
		want []changeView
	}{
		{
			name: "seed 003: from 25% to 50%",
			arts: func(t *testing.T) []trawl.Article { return []trawl.Article{seed003(t, "003", "seed-003")} },
			want: []changeView{{
				ID: "figure-change:aluminum-steel-tariff", Subject: "tariffs on imported steel and aluminum (from 2025-06-04)",
				Summary:  "Tariffs on imported steel and aluminum rose from 25% to 50% (1 article); a change over time, not a conflict",
				Versions: []string{"25% (before): 003=25%", "50% (after): 003=50%"},
			}},
		},
		{
			name: "the same change in two articles is one entry with evidence from each",
			arts: func(t *testing.T) []trawl.Article {
				// The old value is not a mention of its own here: it is found in the text.
				b := article(t, "b", "2025-06-13", "Metals Brief", "Aluminium traders said U.S. steel and aluminium import tariffs, raised from 25% to 50% on June 4, were reshaping trade.",
					date("June 4", "2025-06-04"), pct("50%", "50", "steel and aluminium import tariffs"))
				b.Mentions[1].From, b.Mentions[1].Change = "25.0", "rise"
				return []trawl.Article{seed003(t, "a", "seed-003"), b}
			},
			want: []changeView{{
				ID: "figure-change:aluminum-steel-tariff", Subject: "steel and aluminium import tariffs (from 2025-06-04)",
				Summary:  "Steel and aluminium import tariffs rose from 25% to 50% (2 articles); a change over time, not a conflict",
				Versions: []string{"25% (before): a=25% b=25%", "50% (after): a=50% b=50%"},
			}},
		},
		{
			name: "a country word in one subject does not split the change",
			arts: func(t *testing.T) []trawl.Article {
				b := article(t, "b", "2025-06-13", "Metals Brief", "Traders said U.S. tariffs on steel and aluminium, raised from 25% to 50% on June 4, were reshaping trade.",
					pct("25%", "25", ""), pct("50%", "50", "U.S. tariffs on steel and aluminium"), date("June 4", "2025-06-04"))
				b.Mentions[1].From, b.Mentions[1].Change = "25", "rise"
				return []trawl.Article{seed003(t, "a", "seed-003"), b}
			},
			want: []changeView{{
				ID: "figure-change:aluminum-steel-tariff", Subject: "U.S. tariffs on steel and aluminium (from 2025-06-04)",
				Summary:  "U.S. tariffs on steel and aluminium rose from 25% to 50% (2 articles); a change over time, not a conflict",
				Versions: []string{"25% (before): a=25% b=25%", "50% (after): a=50% b=50%"},
			}},
		},
		{
			name: "a fall without a date",
			arts: func(t *testing.T) []trawl.Article {
				a := article(t, "a", "2025-06-12", "A", "China will cut levies on U.S. goods from 125% to 10%.", pct("125%", "125", ""), pct("10%", "10", "levies on U.S. goods"))
				a.Mentions[1].From, a.Mentions[1].Change = "125", "fall"
				return []trawl.Article{a}
			},
			want: []changeView{{
				ID: "figure-change:good-levy", Subject: "levies on U.S. goods",
				Summary:  "Levies on U.S. goods fell from 125% to 10% (1 article); a change over time, not a conflict",
				Versions: []string{"125% (before): a=125%", "10% (after): a=10%"},
			}},
		},
		{
			name: "a level without a from is no change",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{article(t, "a", "2025-06-09", "A", "Tariffs on imported steel and aluminum are now 50%.", pct("50%", "50", steel))}
			},
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := reconcileT(t, tt.arts(t), Options{})
			var got []changeView
			for _, d := range r.Discrepancies {
				switch d.Kind {
				case trawl.FigureChange:
					got = append(got, viewChange(d))
					if d.Confidence != 1 {
						t.Errorf("%s: confidence %v, want 1 (the change is stated)", d.ID, d.Confidence)
					}
				case trawl.FigureConflict:
					t.Errorf("a reported change gives the figure conflict %s: %s", d.ID, d.Summary)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("figure changes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFigureChangesRankLast(t *testing.T) {
	r := reconcileT(t, seedArticles(t), Options{})
	changes := 0
	for i, d := range r.Discrepancies {
		if d.Kind == trawl.FigureChange {
			changes++
			continue
		}
		if changes > 0 {
			t.Errorf("discrepancy %d %s ranks after a figure change", i, d.ID)
		}
	}
	if changes != 1 {
		t.Errorf("%d figure changes on the seeds, want 1 (steel and aluminum tariffs from 25%% to 50%%)", changes)
	}
	discs, ch := trawl.SplitChanges(r.Discrepancies)
	if len(ch) != changes || len(discs)+len(ch) != len(r.Discrepancies) {
		t.Errorf("SplitChanges gives %d discrepancies and %d changes of %d", len(discs), len(ch), len(r.Discrepancies))
	}
}
