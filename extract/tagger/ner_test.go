package tagger

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl/internal/text"
)

func namesOf(s string) []string {
	var out []string
	for _, n := range Names(s, text.Tokens(nil, s)) {
		out = append(out, n.Type.String()+" "+s[n.Start:n.End])
	}
	return out
}

// TestNames checks names a reader of the extract output would look for:
// people, firms, places, in prose and in a headline.
func TestNames(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Shares of Ford Motor Co rose in New York on Tuesday, said analyst John Smith.",
			[]string{"ORG Ford Motor Co", "LOC New York", "PER John Smith"}},
		{"The European Commission said on Thursday it disagreed with Germany .",
			[]string{"ORG European Commission", "LOC Germany"}},
		{"Washington D.C. / Beijing - Officials of the United States and China will meet.",
			[]string{"LOC Washington D.C.", "LOC Beijing", "LOC United States", "LOC China"}},
		{"Treasury Secretary Scott Bessent and Commerce Secretary Howard Lutnick will attend.",
			[]string{"ORG Treasury", "PER Scott Bessent", "ORG Commerce", "PER Howard Lutnick"}},
		{"nothing here is a name.", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, namesOf(tt.text)); diff != "" {
			t.Errorf("Names(%q) (-want +got):\n%s", tt.text, diff)
		}
	}
}

// TestNamesIndependentOfOrder checks that the pooled buffers carry nothing
// from one text to the next: a text gives the same names whatever was
// tagged before it.
func TestNamesIndependentOfOrder(t *testing.T) {
	a := "Morgan Stanley and Merrill Lynch cut forecasts for Germany. Morgan Stanley said so."
	b := "SOCCER - SMITH NAMED AS CLUB CAPTAIN . LONDON 1996-08-30 Alan Smith was named captain of Leeds."
	first := namesOf(b)
	namesOf(a)
	if diff := cmp.Diff(first, namesOf(b)); diff != "" {
		t.Errorf("names of the same text differ after tagging another (-first +second):\n%s", diff)
	}
}

// TestClusterPrefix checks the cut of a cluster path to its first bits.
func TestClusterPrefix(t *testing.T) {
	tests := []struct {
		path string
		n    int
		want string
	}{
		{"0110101", 4, "0110"},
		{"0110101", 10, "0110101"},
		{"", 6, ""},
		{"1", 1, "1"},
	}
	for _, tt := range tests {
		p := uint32(1)
		for _, c := range tt.path {
			p = p<<1 | uint32(c-'0')
		}
		got := ""
		for v := clusterPrefix(p, tt.n); v > 1; v >>= 1 {
			got = string(rune('0'+v&1)) + got
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("clusterPrefix(%q, %d) (-want +got):\n%s", tt.path, tt.n, diff)
		}
	}
}

// TestClustersGroupWords checks that the embedded word clusters put words
// of one kind together: the weekdays share a long prefix, which they do
// not share with a month.
func TestClustersGroupWords(t *testing.T) {
	table := loadClusters()
	path := func(w string) uint32 {
		p := table.get(hashLower(fWord, w))
		if p == clusterNone {
			t.Fatalf("%q is in no cluster", w)
		}
		return p
	}
	monday := clusterPrefix(path("monday"), 10)
	for _, w := range []string{"tuesday", "wednesday", "thursday", "friday"} {
		if got := clusterPrefix(path(w), 10); got != monday {
			t.Errorf("%s has the 10-bit prefix %b, monday %b", w, got, monday)
		}
	}
	if clusterPrefix(path("january"), 10) == monday {
		t.Errorf("january shares the 10-bit prefix %b of the weekdays", monday)
	}
}

// TestNamesTrimTitle checks that a person's name the tagger ran into a
// title ends before it, and that a surname that is also a title stays.
func TestNamesTrimTitle(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Acme CEO Jo Smith spoke .", []string{"PER Acme"}},
		{"Larry King spoke .", []string{"PER Larry King"}},
	}
	for _, tt := range tests {
		q := newSequence(tt.text, text.Tokens(nil, tt.text))
		ls := make([]label, len(q.words))
		ls[0], ls[1] = begin(Person), inside(Person)
		var got []string
		for _, n := range names(q, ls) {
			got = append(got, n.Type.String()+" "+tt.text[n.Start:n.End])
		}
		q.release()
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("names(%q) (-want +got):\n%s", tt.text, diff)
		}
	}
}

// TestNamesFromLabels checks how names cut and join what the tagger
// labelled: a name ends before an opening bracket or a joining word, a
// month or weekday alone is no place or organisation, and two names with
// only a space between them become one when the first is a nationality or
// place before an organisation, a nationality before a place, or an
// organisation before a person.
func TestNamesFromLabels(t *testing.T) {
	B, I, O := begin, inside, labelO
	tests := []struct {
		text   string
		labels []label
		want   []string
	}{
		{"Olimpija ( Slovenia ) 0", []label{B(Organization), I(Organization), B(Location), O, O},
			[]string{"ORG Olimpija", "LOC Slovenia"}},
		{"drew with Ferencvaros of Hungary", []label{O, O, B(Organization), I(Organization), B(Location)},
			[]string{"ORG Ferencvaros", "LOC Hungary"}},
		{"Bank of England", []label{B(Organization), I(Organization), I(Organization)},
			[]string{"ORG Bank of England"}},
		{"Jul 5 Friday March", []label{B(Organization), O, B(Location), B(Person)},
			[]string{"PER March"}},
		{"the British Heart Foundation said", []label{O, B(Misc), B(Organization), I(Organization), O},
			[]string{"ORG British Heart Foundation"}},
		{"a U.S. Federal District Court", []label{O, B(Location), B(Organization), I(Organization), I(Organization)},
			[]string{"ORG U.S. Federal District Court"}},
		{"Faroe Islands", []label{B(Misc), B(Location)},
			[]string{"LOC Faroe Islands"}},
		{"Ruud Gullit said", []label{B(Organization), B(Person), O},
			[]string{"PER Ruud Gullit"}},
		{"Chelsea , Ruud Gullit said", []label{B(Organization), O, B(Person), I(Person), O},
			[]string{"ORG Chelsea", "PER Ruud Gullit"}},
		{"Germany Bayer", []label{B(Location), B(Person)},
			[]string{"LOC Germany", "PER Bayer"}},
	}
	for _, tt := range tests {
		q := newSequence(tt.text, text.Tokens(nil, tt.text))
		if len(q.words) != len(tt.labels) {
			t.Fatalf("%q: %d tokens, %d labels", tt.text, len(q.words), len(tt.labels))
		}
		var got []string
		for _, n := range names(q, tt.labels) {
			got = append(got, n.Type.String()+" "+tt.text[n.Start:n.End])
		}
		q.release()
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("names(%q) (-want +got):\n%s", tt.text, diff)
		}
	}
}
