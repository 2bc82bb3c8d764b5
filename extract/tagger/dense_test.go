package tagger

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl/extract/internal/gold"
	"github.com/trawlnews/trawl/internal/text"
)

// TestScoreToken checks the tagger's scoring (Model.scoreToken: the
// features of few values added from arrays, the others looked up) against
// the straightforward sum of the weights of every feature q.features
// gives, which is how the model was trained: on every token of written
// texts and of the first 300 articles of the shared benchmark corpus, for
// every pair of labels before it on the written texts and the first 50
// articles and for the labels the tagger gave on the others, at the point of the left-to-right
// tagging where the tagger scores it (the history then is as it was).
func TestScoreToken(t *testing.T) {
	texts := []string{
		"Acme CEO Jo Smith said on Monday that Bank of England shares rose .",
		"RESULTS TABLE\nOlimpija 3 1 0\nFerencvaros 2 1 1\n",
		"Shares of Boeing fell. Mr Jacobs, the airline Aer Lingus and AT&T's unit (ABC) said.",
		"ÉCOLE Zoë naïve \xff x1Y2 U.S. Federal District Court",
	}
	texts = append(texts, gold.BenchTexts(t, 300)...)
	m := embedded()
	tokens := 0
	for k, s := range texts {
		pairs := label(numLabels)
		if k >= 54 {
			pairs = 1
		}
		q := newSequence(s, text.Tokens(nil, s))
		p1, p2 := labelO, labelO
		q.history.reset(q.capitals)
		var fs, fast []uint64
		for i := range q.words {
			l := labelO
			if q.scored(i, p1) {
				for a := range pairs {
					for b := range pairs {
						if pairs == 1 {
							a, b = p1, p2
						}
						var want, got [numLabels]int32
						fs = q.features(fs[:0], i, a, b)
						m.scores(&want, fs)
						fast, _ = m.scoreToken(q, &got, fast, i, a, b)
						if diff := cmp.Diff(want, got); diff != "" {
							t.Fatalf("%q: token %d %q after labels %d %d (-want +got):\n%s",
								s[:min(len(s), 60)], i, s[q.words[i].start:q.words[i].end], a, b, diff)
						}
					}
				}
				var sc [numLabels]int32
				fs = q.features(fs[:0], i, p1, p2)
				m.scores(&sc, fs)
				l = best(&sc, p1, q.info[i].upper)
				tokens++
			}
			q.record(i, l)
			p1, p2 = l, p1
		}
		q.release()
	}
	if tokens == 0 {
		t.Fatal("no token scored")
	}
	t.Logf("%d tokens scored", tokens)
}
