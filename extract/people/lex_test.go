package people

import (
	"testing"
	"time"

	"github.com/trawlnews/trawl/extract/document"
	"github.com/trawlnews/trawl/extract/internal/gold"
)

// TestHas checks scan.has, which looks a word up in each word list once
// and remembers it, against a lookup in the list itself at every ask, for
// every list, on written words and on every word of the first 300
// articles of the shared benchmark corpus when ../shared is there; each
// word is asked about twice, in two orders of the lists, as the rules do.
func TestHas(t *testing.T) {
	texts := []string{"Mr. John Smith, a French official, said he and Ms. Brown met the Treasury on Monday."}
	texts = append(texts, gold.BenchTexts(t, 300)...)
	lx := loadLexicon()
	held := 0
	for _, txt := range texts {
		doc := document.New(txt, time.Time{})
		s := &scan{doc: doc, lx: lx, toks: tokenize(nil, doc.Text, doc.Sentences, doc.Tokens)}
		for i := range s.toks {
			for _, k := range []int{3, 0, 7, 5, 1, 6, 2, 4, 4, 2, 6, 1, 5, 7, 0, 3} {
				want := lx.lists[k][string(lowerASCII(nil, s.word(i)))]
				if got := s.has(i, 1<<k); got != want {
					t.Fatalf("has(%q, list %d) = %v, the list says %v", s.word(i), k, got, want)
				}
				if want {
					held++
				}
			}
			if s.has(i, lexAll) != (s.toks[i].lex != 0) {
				t.Fatalf("has(%q, every list) disagrees with the lists", s.word(i))
			}
		}
		doc.Release()
	}
	if held == 0 {
		t.Error("no word of the texts is in any list")
	}
}
