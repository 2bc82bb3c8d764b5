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
			// "Preston" and "Peston" share neither their Soundex code nor
			// their first three letters; the deletion neighbourhood makes
			// them meet, and the full name written wrongly is the slip.
			name: "a slip that changes the first letters meets the name",
			arts: func(t *testing.T) []trawl.Article {
				body := " wrote about Gordon Brown and Tony Blair."
				ppl := []spec{per("Gordon Brown", "", ""), per("Tony Blair", "", "")}
				return []trawl.Article{
					article(t, "a1", "", "", "Robert Peston"+body, append([]spec{per("Robert Peston", "", "")}, ppl...)...),
					article(t, "a2", "", "", "Robert Peston"+body, append([]spec{per("Robert Peston", "", "")}, ppl...)...),
					article(t, "a3", "", "", "Robert Preston"+body+" Mr Peston said so.",
						per("Robert Preston", "", ""), per("Gordon Brown", "", ""), per("Tony Blair", "", ""), per("Peston", "", "")),
				}
			},
			want: map[string]string{"Robert Peston": "Robert Preston"},
		},
		{
			// A surname in a line-up that only resembles a player's is no
			// misspelling of it: it is someone of the other side.
			name: "a resembling surname in a team sheet is someone else",
			arts: func(t *testing.T) []trawl.Article {
				text := "Shaun Maloney was fouled and Maloney scored.\n\nHalliwell, Mensing, Bollan, Malone, Harty.\n"
				return []trawl.Article{
					article(t, "a1", "", "", text, per("Shaun Maloney", "", ""), per("Maloney", "Shaun Maloney", ""),
						per("Halliwell", "", ""), per("Mensing", "", ""), per("Bollan", "", ""), per("Malone", "", "").at(2), per("Harty", "", "")),
				}
			},
			want: map[string]string{},
		},
		{
			// In running text a resembling surname is the article's person.
			name: "a resembling surname in running text is the person",
			arts: func(t *testing.T) []trawl.Article {
				text := "Managing director David Monteith said it works. Mr Montieth says the sound bends."
				return []trawl.Article{
					article(t, "a1", "", "", text, per("David Monteith", "", "managing director"), per("Montieth", "", "")),
				}
			},
			want: map[string]string{"David Monteith": "Montieth"},
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
					article(t, "a1", "", "", "Carl Icahn bid for the airline.", per("Carl Icahn", "", "")),
					article(t, "a2", "", "", "Carl Icahn raised his stake.", per("Carl Icahn", "", "")),
					article(t, "a3", "", "", "Investor Carl Ichan sold shares.", per("Carl Ichan", "", "")),
					article(t, "a4", "", "", "John Smith sang at the gala.", per("John Smith", "", "")),
					article(t, "a5", "", "", "John Smit led the Springboks.", per("John Smit", "", "")),
					article(t, "a6", "", "", "Gareth Pierce scored a try.", per("Gareth Pierce", "", "")),
					article(t, "a7", "", "", "Lawyer Gareth Peirce spoke.", per("Gareth Peirce", "", "")),
				}
			},
			want: map[string]string{"Carl Icahn": "Carl Ichan"},
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
