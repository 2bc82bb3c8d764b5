package reconcile

import (
	"slices"
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

// givenOnly reports whether name is a given name (lexicon.GivenName, the
// list extraction uses too) whose forms the nickname table knows
// (lexicon.FormalNames, which answers only for names of that list): the
// evidence that a one-word name is a given name and not a family name
// written first. "Xi" and "Wang" are given names with no forms, so "Xi" of
// "Xi Jinping" is taken for his family name; "Charles" has forms.
func givenOnly(name string) bool { return len(lexicon.FormalNames(name)) > 0 }

func appendUnique[T comparable](s []T, v T) []T {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// nicknames reports whether two different given names are forms of one
// name by the nickname table (lexicon.FormalNames, lexicon.Nicknames), read
// both ways: one is a listed short form of the other (listedForm: Jim of
// James, Bill of William), or both are listed short forms of one formal name
// that both start like ("Jim" and "Jimmy" of James), or a classic pair. Two
// nicknames of one formal name that do not start like it share nothing else:
// Bob and Bill are both listed under Robert, but Bill is William's, so Bob
// Murray and Bill Murray are two people.
func nicknames(a, b string) bool {
	if classicNicknames[[2]string{a, b}] || classicNicknames[[2]string{b, a}] {
		return true
	}
	if listedForm(a, b) || listedForm(b, a) {
		return true
	}
	for _, x := range lexicon.FormalNames(a) {
		if x != a && x != b && x[0] == a[0] && x[0] == b[0] && listedForm(a, x) && listedForm(b, x) {
			return true
		}
	}
	return false
}

// listedForm reports whether the nickname table lists nick as a nickname of
// formal in a way that makes them one name: nick is shorter (a nickname
// shortens or softens its name: Polly, listed under Paul, is not a form of
// Paul) and is not a name in its own right. A nickname the table also lists
// as a formal name is a name in its own right when its own line neither
// names formal back nor keeps, but for one, to formal's nicknames: John is listed under
// Jonathan but has Ian, Jack and Jock of its own, so John and Jonathan are
// two names; Jim lists only Jimmie, one of James's, so Jim is James, and
// Chris lists one other spelling (Kris), so Chris is Christopher.
func listedForm(nick, formal string) bool {
	if nick == formal || len(nick) >= len(formal) || !slices.Contains(lexicon.Nicknames(formal), nick) {
		return false
	}
	own := lexicon.Nicknames(nick)
	if slices.Contains(own, formal) {
		return true
	}
	extra := 0
	for _, n := range own {
		if !slices.Contains(lexicon.Nicknames(formal), n) {
			extra++
		}
	}
	return extra < 2
}
