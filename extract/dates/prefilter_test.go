package dates

import (
	"testing"

	"github.com/trawlnews/trawl/extract/internal/gold"
	"github.com/trawlnews/trawl/internal/text"
)

// TestPatternFilters checks that the quick tests run before clockBefore,
// approxBefore and openEndAfter never turn away text the pattern matches:
// at every token of written cases and of the first 300 articles of the
// shared benchmark corpus (when ../shared is there), on the 40 bytes
// before it and the 16 after it, as Find reads them.
func TestPatternFilters(t *testing.T) {
	texts := []string{
		"at 10 p.m. Wednesday", "5 p.m. EST, Nov. 9", "at 5pm  Friday", "mid-afternoon yesterday", "midday Monday",
		"by noon\ttoday", "at midnight\nMonday", "9 a.m. UTC , Tuesday", "around Nov. 1", "Around\r\n2010",
		"1994 or later", "1990 and beyond", "next year or so", "2001\tor sooner", "3 May, or",
	}
	texts = append(texts, gold.BenchTexts(t, 300)...)
	matched := 0
	for _, s := range texts {
		for _, tk := range text.Tokens(nil, s) {
			before := s[max(0, tk.Start-40):tk.Start]
			core, spaced := trimSpaceRight(before)
			if clockBefore.MatchString(before) {
				matched++
				if !spaced || !mayEndClock(core) {
					t.Errorf("clockBefore matches %q, the quick test turns it away", before)
				}
			}
			if approxBefore.MatchString(before) {
				matched++
				if !spaced || !mayEndApprox(core) {
					t.Errorf("approxBefore matches %q, the quick test turns it away", before)
				}
			}
			after := s[tk.Start:min(len(s), tk.Start+16)]
			if openEndAfter.MatchString(after) {
				matched++
				if !mayOpenEnd(after) {
					t.Errorf("openEndAfter matches %q, the quick test turns it away", after)
				}
			}
		}
	}
	if matched < 15 {
		t.Errorf("the patterns matched %d times, want at least the 15 written cases", matched)
	}
}
