package reconcile

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlnews/trawl"
)

// spellingPairs returns the name-spelling discrepancies of r as preferred
// value -> the probable misspellings, in order, joined by "|".
func spellingPairs(r Result) map[string]string {
	out := map[string]string{}
	for _, d := range ofKind(r.Discrepancies, trawl.NameSpelling) {
		var miss []string
		for _, v := range d.Versions[1:] {
			miss = append(miss, v.Value)
		}
		out[d.Versions[0].Value] = strings.Join(miss, "|")
	}
	return out
}

// withCopyGroup marks a as a copy of the story g (a near-duplicate).
func withCopyGroup(a trawl.Article, g string) trawl.Article {
	a.CopyGroup = g
	return a
}

// TestSpellingPreference checks, one class at a time, which spelling a
// name-spelling discrepancy prefers and which one-word names it may call
// misspellings. The articles are written for the test.
func TestSpellingPreference(t *testing.T) {
	tests := []struct {
		name string
		arts func(t *testing.T) []trawl.Article
		want map[string]string
	}{
		{
			// "Brandon" and "Bandon" share neither their Soundex code nor
			// their first three letters; the deletion neighbourhood makes
			// them meet, and the full name written wrongly is the slip.
			name: "a slip that changes the first letters meets the name",
			arts: func(t *testing.T) []trawl.Article {
				body := " wrote about Ruth Kelso and Ian Marsh."
				ppl := []spec{per("Ruth Kelso", "", ""), per("Ian Marsh", "", "")}
				return []trawl.Article{
					article(t, "a1", "", "", "Alan Brandon"+body, append([]spec{per("Alan Brandon", "", "")}, ppl...)...),
					article(t, "a2", "", "", "Alan Brandon"+body, append([]spec{per("Alan Brandon", "", "")}, ppl...)...),
					article(t, "a3", "", "", "Alan Bandon"+body+" Mr Brandon said so.",
						per("Alan Bandon", "", ""), per("Ruth Kelso", "", ""), per("Ian Marsh", "", ""), per("Brandon", "", "")),
				}
			},
			want: map[string]string{"Alan Brandon": "Alan Bandon"},
		},
		{
			// A surname in a line-up that only resembles a player's is no
			// misspelling of it: it is someone of the other side.
			name: "a resembling surname in a team sheet is someone else",
			arts: func(t *testing.T) []trawl.Article {
				text := "Sean Donnelly was fouled and Donnelly scored.\n\nWard, Kerr, Boyd, Donnely, Hart.\n"
				return []trawl.Article{
					article(t, "a1", "", "", text, per("Sean Donnelly", "", ""), per("Donnelly", "Sean Donnelly", ""),
						per("Ward", "", ""), per("Kerr", "", ""), per("Boyd", "", ""), per("Donnely", "", ""), per("Hart", "", "")),
				}
			},
			want: map[string]string{},
		},
		{
			// In running text a resembling surname is the article's person.
			name: "a resembling surname in running text is the person",
			arts: func(t *testing.T) []trawl.Article {
				text := "Managing director Anne Henderson said it works. Mr Hendreson says the sound bends."
				return []trawl.Article{
					article(t, "a1", "", "", text, per("Anne Henderson", "", "managing director"), per("Hendreson", "", "")),
				}
			},
			want: map[string]string{"Anne Henderson": "Hendreson"},
		},
		{
			// Two copies of one story are one source: one source against
			// one, and the listed given name decides, not the copy.
			name: "copies are one source and a listed name breaks the tie",
			arts: func(t *testing.T) []trawl.Article {
				body := " met Ann Cole and Ken Bates."
				ppl := []spec{per("Ann Cole", "", ""), per("Ken Bates", "", "")}
				return []trawl.Article{
					withCopyGroup(article(t, "a1", "", "", "Chairman Dainel Hale"+body, append([]spec{per("Dainel Hale", "", "Chairman")}, ppl...)...), "g1"),
					withCopyGroup(article(t, "a2", "", "", "Chairman Dainel Hale"+body, append([]spec{per("Dainel Hale", "", "Chairman")}, ppl...)...), "g1"),
					article(t, "a3", "", "", "Chairman Daniel Hale"+body, append([]spec{per("Daniel Hale", "", "Chairman")}, ppl...)...),
				}
			},
			want: map[string]string{"Daniel Hale": "Dainel Hale"},
		},
		{
			// Two letters swapped in a name no list holds is a slip even
			// with nothing else shared; a letter added or a swap beside a
			// listed surname may be a name of its own and needs more.
			name: "two letters swapped is a slip, other differences need evidence",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "", "", "Carla Vardelli bid for the airline.", per("Carla Vardelli", "", "")),
					article(t, "a2", "", "", "Carla Vardelli raised her stake.", per("Carla Vardelli", "", "")),
					article(t, "a3", "", "", "Investor Carla Vradelli sold shares.", per("Carla Vradelli", "", "")),
					article(t, "a4", "", "", "Anna Smith sang at the gala.", per("Anna Smith", "", "")),
					article(t, "a5", "", "", "Anna Smit led the team.", per("Anna Smit", "", "")),
					article(t, "a6", "", "", "Owen Pierce scored a try.", per("Owen Pierce", "", "")),
					article(t, "a7", "", "", "Lawyer Owen Peirce spoke.", per("Owen Peirce", "", "")),
				}
			},
			want: map[string]string{"Carla Vardelli": "Carla Vradelli"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := reconcileT(t, tt.arts(t), Options{})
			if diff := cmp.Diff(tt.want, spellingPairs(r)); diff != "" {
				t.Errorf("name spellings, preferred -> misspelt (-want +got):\n%s", diff)
			}
		})
	}
}
