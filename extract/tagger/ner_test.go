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
