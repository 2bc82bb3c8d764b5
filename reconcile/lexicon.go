package reconcile

import (
	"sync"

	"github.com/trawlnews/trawl/internal/lexicon"
)

// reconcileLexicon holds the word lists reconciliation relies on beyond the shared
// accessors of internal/lexicon.
type reconcileLexicon struct {
	events map[string]string
	stop   map[string]bool
	common map[string]bool
}

// lex is built once, on first use.
var lex = sync.OnceValue(func() *reconcileLexicon {
	l := &reconcileLexicon{
		events: map[string]string{},
		stop:   lexicon.Words("stopwords.txt"),
		common: lexicon.Words("common-words.txt"),
	}
	for _, f := range lexicon.Lines("events.txt") {
		for _, w := range f[1:] {
			l.events[w] = f[0]
		}
	}
	return l
})

// nicknamed reports whether the nickname table (lexicon.FormalNames) lists
// name, formal or nickname: reconciliation's evidence that a word is a given
// name and not a family name written first. It is narrower than
// lexicon.GivenName, the extractor's evidence that a word can start a name,
// which lists "Xi" and "He" as well; asking that instead would call "Xi" of
// "Xi Jinping" a short form rather than his family name.
func nicknamed(name string) bool { return len(lexicon.FormalNames(name)) > 0 }

func appendUnique[T comparable](s []T, v T) []T {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// nicknames reports whether two given names are the same name by the
// nickname table: one is a nickname of the other, or both are nicknames of
// the same formal name.
func nicknames(a, b string) bool {
	ra, rb := lexicon.FormalNames(a), lexicon.FormalNames(b)
	for _, x := range ra {
		if x == b {
			return true
		}
		for _, y := range rb {
			if x == y {
				return true
			}
		}
	}
	for _, y := range rb {
		if y == a {
			return true
		}
	}
	return false
}
