package reconcile

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlnews/trawl"
)

// TestMergesNeedEvidence checks, one class at a time, that names which
// differ in something a person's name does not vary in stay apart, and that
// the forms of one name still join. The articles are written for the test.
func TestMergesNeedEvidence(t *testing.T) {
	tests := []struct {
		name string
		arts func(t *testing.T) []trawl.Article
		want map[string]string
	}{
		{
			name: "different middle initials are two people",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2005-03-01", "A", "George W. Bush spoke in Texas.", per("George W. Bush", "", "")),
					article(t, "a2", "2005-03-02", "B", "George H. W. Bush spoke in Maine.", per("George H. W. Bush", "", "")),
				}
			},
			want: map[string]string{"george-w-bush": "George W. Bush", "george-h-w-bush": "George H. W. Bush"},
		},
		{
			name: "nicknames of two formal names are two people",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2005-03-01", "A", "Chairman Bob Murray met Ken Bates.", per("Bob Murray", "", "Chairman"), per("Ken Bates", "", "")),
					article(t, "a2", "2005-03-02", "B", "Chairman Bill Murray met Ken Bates.", per("Bill Murray", "", "Chairman"), per("Ken Bates", "", "")),
				}
			},
			want: map[string]string{"bob-murray": "Bob Murray", "bill-murray": "Bill Murray", "ken-bates": "Ken Bates"},
		},
		{
			name: "a formal name of its own is not a nickname",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2005-03-01", "A", "John Edwards won. Paul Adams lost.", per("John Edwards", "", ""), per("Paul Adams", "", "")),
					article(t, "a2", "2005-03-02", "B", "Jonathan Edwards won. Polly Adams lost.", per("Jonathan Edwards", "", ""), per("Polly Adams", "", "")),
				}
			},
			want: map[string]string{
				"john-edwards": "John Edwards", "jonathan-edwards": "Jonathan Edwards",
				"paul-adams": "Paul Adams", "polly-adams": "Polly Adams",
			},
		},
		{
			name: "nicknames of one name still join",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2005-03-01", "A", "Jim Wright spoke. Chris Leslie spoke.", per("Jim Wright", "", ""), per("Chris Leslie", "", "")),
					article(t, "a2", "2005-03-02", "B", "James Wright spoke. Christopher Leslie spoke.", per("James Wright", "", ""), per("Christopher Leslie", "", "")),
					article(t, "a3", "2005-03-03", "C", "James Wright spoke. Christopher Leslie spoke.", per("James Wright", "", ""), per("Christopher Leslie", "", "")),
				}
			},
			want: map[string]string{"james-wright": "James Wright|Jim Wright", "christopher-leslie": "Christopher Leslie|Chris Leslie"},
		},
		{
			name: "a middle name on one side and different given names",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2005-03-01", "A", "Singer Tom Jones sang.", per("Tom Jones", "", "")),
					article(t, "a2", "2005-03-02", "B", "Tommy Lee Jones acted.", per("Tommy Lee Jones", "", "")),
				}
			},
			want: map[string]string{"tom-jones": "Tom Jones", "tommy-lee-jones": "Tommy Lee Jones"},
		},
		{
			name: "a royal title with a given name alone",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2005-03-01", "A", "Prince Charles met Charles Kennedy. Charles smiled.",
						per("Charles", "Charles Kennedy", "Prince"), per("Charles Kennedy", "", ""), per("Charles", "Charles Kennedy", "")),
					article(t, "a2", "2005-03-02", "B", "Prince Harry flew. Harry Potter sold well.",
						per("Harry", "", "Prince"), per("Harry Potter", "", "")),
				}
			},
			want: map[string]string{
				"charles": "Charles", "charles-kennedy": "Charles Kennedy",
				"harry": "Harry", "harry-potter": "Harry Potter",
			},
		},
		{
			name: "different eras with different offices",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "1987-03-01", "A", "Vice President George Bush flew.", per("George Bush", "", "Vice President")),
					article(t, "a2", "2005-03-02", "B", "President George Bush spoke.", per("George Bush", "", "President")),
				}
			},
			// One spelling is one node; the era rule splits spellings, so
			// two spellings are needed to show it.
			want: map[string]string{"george-bush": "George Bush"},
		},
		{
			name: "different eras with different offices, two spellings",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "1987-03-01", "A", "Vice President George Bush flew.", per("George Bush", "", "Vice President")),
					article(t, "a2", "2005-03-02", "B", "President George W. Bush spoke.", per("George W. Bush", "", "President")),
				}
			},
			want: map[string]string{"george-bush": "George Bush", "george-w-bush": "George W. Bush"},
		},
		{
			name: "plural and generic uses of a name",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2005-03-01", "A", "Wayne Rooney scored twice.", per("Wayne Rooney", "", "")),
					article(t, "a2", "2005-03-02", "B", "We can't all be Wayne Rooneys, he said.", per("Wayne Rooneys", "", "")),
					article(t, "a3", "2005-03-03", "C", "He is not a Wayne Rooney, the coach said.", per("Wayne Rooney", "", "")),
					article(t, "a4", "2005-03-04", "D", "It was a Wayne Rooney goal.", per("Wayne Rooney", "", "")),
				}
			},
			want: map[string]string{"wayne-rooney": "Wayne Rooney", "wayne-rooneys": "Wayne Rooneys", "wayne-rooney-2": "Wayne Rooney"},
		},
		{
			name: "a frequent surname ending in s is no plural",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2005-03-01", "A", "Home Secretary Ann Edwards spoke.", per("Ann Edwards", "", "Home Secretary")),
					article(t, "a2", "2005-03-02", "B", "Ann Edwards spoke again.", per("Ann Edwards", "", "")),
					article(t, "a3", "2005-03-03", "C", "Home Secretary Ann Edward spoke.", per("Ann Edward", "", "Home Secretary")),
				}
			},
			want: map[string]string{"ann-edwards": "Ann Edwards|Ann Edward"},
		},
		{
			name: "place names sharing a head word",
			arts: func(t *testing.T) []trawl.Article {
				return []trawl.Article{
					article(t, "a1", "2005-03-01", "A", "Wood Green voted.", per("Wood Green", "", "")),
					article(t, "a2", "2005-03-02", "B", "Woodford Green voted.", per("Woodford Green", "", "")),
				}
			},
			want: map[string]string{"wood-green": "Wood Green", "woodford-green": "Woodford Green"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := reconcileT(t, tt.arts(t), Options{})
			if diff := cmp.Diff(tt.want, groups(r)); diff != "" {
				t.Errorf("groups (-want +got):\n%s", diff)
			}
		})
	}
}

// TestVariantReasons checks that every grouped variant says why it was
// grouped, as entities show and entities --json print it.
func TestVariantReasons(t *testing.T) {
	arts := []trawl.Article{
		article(t, "a1", "2005-03-01", "A", "Jim Wright spoke.", per("Jim Wright", "", "")),
		article(t, "a2", "2005-03-02", "B", "James Wright spoke. Wright left.", per("James Wright", "", ""), per("Wright", "James Wright", "")),
		article(t, "a3", "2005-03-03", "C", "James Wright spoke.", per("James Wright", "", "")),
	}
	r := reconcileT(t, arts, Options{})
	got := map[string]string{}
	for _, e := range r.Entities {
		for _, v := range e.Variants {
			got[v.Name] = v.Reason
		}
	}
	want := map[string]string{
		"James Wright": "the canonical name",
		"Jim Wright":   "'Jim' is a nickname of 'James' by the nickname table (same surname 'Wright')",
		"Wright":       "'Wright' alone is the surname of 'James Wright'",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("variant reasons (-want +got):\n%s", diff)
	}
}

// TestNameAsModifierIsThePerson checks that "a Wayne Rooney goal" is about
// Wayne Rooney, while "not a Wayne Rooney," is a kind of player.
func TestNameAsModifierIsThePerson(t *testing.T) {
	arts := []trawl.Article{
		article(t, "a1", "2005-03-01", "A", "Wayne Rooney scored twice.", per("Wayne Rooney", "", "")),
		article(t, "a2", "2005-03-03", "C", "He is not a Wayne Rooney, the coach said.", per("Wayne Rooney", "", "")),
		article(t, "a3", "2005-03-04", "D", "It was a Wayne Rooney goal.", per("Wayne Rooney", "", "")),
	}
	got := map[string][]string{}
	for _, e := range reconcileT(t, arts, Options{}).Entities {
		got[e.ID] = e.Articles
	}
	want := map[string][]string{"wayne-rooney": {"a1", "a3"}, "wayne-rooney-2": {"a2"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("articles per entity (-want +got):\n%s", diff)
	}
}
