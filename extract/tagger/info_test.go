package tagger

import (
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl/extract/internal/gold"
	"github.com/trawlnews/trawl/internal/text"
)

// infoRunes is infoOf done rune by rune for every word, as the tagger
// was trained: infoOf's pass over the bytes of ASCII words must agree.
func infoRunes(ws string) wordInfo {
	wi := wordInfo{word: hashLower(fWord, ws), shape: shapeHash(ws)}
	r, _ := utf8.DecodeRuneInString(ws)
	letters, ups := 0, 0
	for _, c := range ws {
		if unicode.IsLetter(c) {
			letters++
			if unicode.IsUpper(c) {
				ups++
			}
		}
	}
	wi.upper = ups > 0
	wi.caps = letters >= 2 && ups == letters
	switch {
	case unicode.IsLower(r):
		wi.class = classLower
	case ups > 0:
		wi.class = classUpper
	case unicode.IsDigit(r):
		wi.class = classDigit
	}
	wi.mark = ws == "." || ws == "!" || ws == "?" || ws == ":"
	return wi
}

// TestInfoOf checks what the tagger reads of a word (hash, shape, case,
// line class) against the rune-by-rune reading, on written words and on
// every word of the first 300 articles of the shared benchmark corpus
// when ../shared is there.
func TestInfoOf(t *testing.T) {
	ws := []string{"", "a", "A", "1", ".", ":", "!", "?", "'s", "’s", "U.S.", "AT&T", "O'Neill", "Jean-Pierre",
		"1996-08-30", "x1Y2", "ÉCOLE", "Zoë", "naïve", "\x00", "\xff", "ABC", "Ab", "aB", "a.b.", "--", "$5"}
	for _, s := range gold.BenchTexts(t, 300) {
		for _, w := range words(s, text.Tokens(nil, s), nil) {
			ws = append(ws, s[w.start:w.end])
		}
	}
	for _, w := range ws {
		if diff := cmp.Diff(infoRunes(w), infoOf(w), cmp.AllowUnexported(wordInfo{})); diff != "" {
			t.Fatalf("infoOf(%q) (-want +got):\n%s", w, diff)
		}
	}
}
