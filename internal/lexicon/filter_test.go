package lexicon

import (
	"strconv"
	"testing"
)

// TestFilter checks that a filter holds every key of its maps, in both
// forms of a word, and turns away most other words: the lookups it saves
// are the misses.
func TestFilter(t *testing.T) {
	given, months := GivenNames(), map[string]int{"january": 1, "february": 2, "a-very-long-word-of-many-bytes": 3}
	f := NewFilter(given)
	g := NewFilter(months, map[string]int{"": 0})
	for w := range given {
		if !f.MayHold(w) || !f.MayHoldBytes([]byte(w)) {
			t.Fatalf("the filter of the given names turns away %q", w)
		}
	}
	for w := range months {
		if !g.MayHold(w) || !g.MayHoldBytes([]byte(w)) {
			t.Fatalf("the filter of %v turns away %q", months, w)
		}
	}
	if !g.MayHold("") {
		t.Error("the filter turns away the empty word it holds")
	}
	passed, tried := 0, 0
	for i := range 100000 {
		w := "w" + strconv.Itoa(i)
		if given[w] {
			continue
		}
		tried++
		if f.MayHold(w) {
			passed++
		}
	}
	t.Logf("%d of %d words not in the set pass", passed, tried)
	if passed*20 > tried {
		t.Errorf("the filter lets %d of %d words not in the set through, want under 5%%", passed, tried)
	}
}
