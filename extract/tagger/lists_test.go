package tagger

import (
	"strings"
	"testing"

	"github.com/trawlnews/trawl/extract/internal/gold"
	"github.com/trawlnews/trawl/internal/lexicon"
	"github.com/trawlnews/trawl/internal/text"
)

// TestListsOf checks ListsOf, a read of the gazetteer's table of word
// hashes, against the four word lists it stands for (the maps people
// would look the word up in, lower-cased in ASCII): on every entry of the
// lists, in upper case too, and on every word of the first 300 articles
// of the shared benchmark corpus when ../shared is there.
func TestListsOf(t *testing.T) {
	lists := []struct {
		bit   WordLists
		words map[string]bool
	}{
		{GivenName, lexicon.GivenNames()},
		{Surname, lexicon.Set("people-surnames.txt")},
		{CommonWord, lexicon.Set("people-nonnames.txt")},
		{OrgWord, lexicon.Set("people-orgwords.txt")},
	}
	lower := func(w string) string {
		b := []byte(w)
		for i, c := range b {
			if c >= 'A' && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
		}
		return string(b)
	}
	check := func(w string) {
		t.Helper()
		var want WordLists
		for _, l := range lists {
			if l.words[lower(w)] {
				want |= l.bit
			}
		}
		if got := ListsOf(w); got != want {
			t.Fatalf("ListsOf(%q) = %04b, the lists say %04b", w, got, want)
		}
	}
	words := []string{"John", "SMITH", "said", "Ministry", "", "É", "école"}
	for _, l := range lists {
		for w := range l.words {
			words = append(words, w, strings.ToUpper(w))
		}
	}
	for _, txt := range gold.BenchTexts(t, 300) {
		for _, a := range text.Tokens(nil, txt) {
			words = append(words, txt[a.Start:a.End])
		}
		words = append(words, strings.Fields(txt)...)
	}
	for _, w := range words {
		check(w)
	}
}
