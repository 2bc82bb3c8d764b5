package lexicon

import (
	"strings"
	"sync"
)

// countryTable is countries.txt.
type countryTable struct {
	key       map[string]string // word, lower case, spaces for '_' -> country key
	words     []string          // the words in file order
	qualifier map[string]bool   // words the PERSON extractor takes as qualifiers
}

var countries = sync.OnceValue(func() *countryTable {
	t := &countryTable{key: map[string]string{}, qualifier: map[string]bool{}}
	for _, f := range Lines("countries.txt") {
		for _, w := range f[1:] {
			w, only := strings.CutPrefix(w, "(")
			if only {
				w = strings.TrimSuffix(w, ")")
			}
			w = lowerASCII(strings.ReplaceAll(w, "_", " "))
			if !only {
				t.qualifier[w] = true
			}
			if _, dup := t.key[w]; dup {
				panic("lexicon: countries.txt: " + w + " listed twice")
			}
			t.key[w] = f[0]
			t.words = append(t.words, w)
		}
	}
	return t
})

// Country returns the key of the country, bloc or region a word names
// ("Chinese" -> "china", "U.S." -> "us", "south korean" -> "korea"),
// ignoring case and a trailing possessive 's ("China's").
func Country(word string) (key string, ok bool) {
	w := strings.ToLower(word)
	if key, ok = countries().key[w]; ok {
		return key, true
	}
	if b, cut := strings.CutSuffix(w, "'s"); cut {
		key, ok = countries().key[b]
	}
	return key, ok
}

// CountryWords returns every word of countries.txt that names a country,
// bloc or region or its people, lower case, multi-word names with one space
// ("south korean"), in file order.
func CountryWords() []string {
	return append([]string(nil), countries().words...)
}

// Demonyms returns the words of countries.txt that qualify a title in a
// person's name ("U.S. Treasury Secretary", "Chinese President"), lower
// case, in file order: CountryWords less those written in parentheses,
// which only reconciliation reads.
func Demonyms() []string {
	var out []string
	for _, w := range countries().words {
		if countries().qualifier[w] {
			out = append(out, w)
		}
	}
	return out
}
