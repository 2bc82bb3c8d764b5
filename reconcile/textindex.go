package reconcile

import (
	"cmp"
	"slices"

	"github.com/trawlnews/trawl/internal/text"
)

// textIndex is what the discrepancy finders look up in an article again and
// again: its sentence spans, split once, and whether its mentions are sorted by Start, which
// lets a sentence's mentions be found by binary search. Without it an
// article with many mentions costs time in the square of its size.
type textIndex struct {
	built  bool
	art    int // the article it is of
	sents  []text.Span
	sorted bool
}

// index returns the textIndex of article ai. Only the last one built is
// kept: the finders read one article at a time, and an index of every
// article they read would grow with the corpus (4 MB at 10x).
func (c *collation) index(ai int) *textIndex {
	t := &c.text
	if !t.built || t.art != ai {
		a := c.arts[ai]
		*t = textIndex{built: true, art: ai, sents: text.Sentences(a.Text)}
		t.sorted = slices.IsSortedFunc(a.Mentions, func(p, q Mention) int { return cmp.Compare(p.Start, q.Start) })
	}
	return t
}

// sentence returns the byte range of the sentence of article ai that holds
// pos, or (pos, pos) when none does.
func (c *collation) sentence(ai, pos int) (start, end int) {
	if sp, ok := text.SentenceAt(c.index(ai).sents, pos); ok {
		return sp.Start, sp.End
	}
	return pos, pos
}

// mentionsIn returns the index range [lo, hi) of the mentions of article ai
// that holds, in their order, every mention starting in [s, e): a window
// found by binary search when the mentions are sorted by Start, all of them
// otherwise.
func (c *collation) mentionsIn(ai, s, e int) (lo, hi int) {
	ms := c.arts[ai].Mentions
	if !c.index(ai).sorted {
		return 0, len(ms)
	}
	lo, _ = slices.BinarySearchFunc(ms, s, func(m Mention, p int) int { return int(m.Start) - p })
	for lo > 0 && int(ms[lo-1].Start) >= s {
		lo--
	}
	hi = lo
	for hi < len(ms) && int(ms[hi].Start) < e {
		hi++
	}
	return lo, hi
}
