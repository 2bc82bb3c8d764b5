package reconcile

import (
	"slices"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/extract"
)

// textIndex is what the discrepancy finders look up in an article again and
// again: its sentence spans, split once (extract.Sentence splits the whole
// text on every call), and whether its mentions are sorted by Start, which
// lets a sentence's mentions be found by binary search. Without it an
// article with many mentions costs time in the square of its size.
type textIndex struct {
	built  bool
	sents  [][2]int
	sorted bool
}

// index returns the textIndex of article ai, building it on first use.
func (c *collation) index(ai int) *textIndex {
	if len(c.text) != len(c.arts) {
		c.text = make([]textIndex, len(c.arts))
	}
	t := &c.text[ai]
	if !t.built {
		a := c.arts[ai]
		t.built = true
		t.sents = extract.SentenceSpans(a.Text)
		t.sorted = slices.IsSortedFunc(a.Mentions, func(p, q trawl.Mention) int { return p.Start - q.Start })
	}
	return t
}

// sentence is extract.Sentence(c.arts[ai].Text, pos): the byte range of the
// sentence that holds pos, or (pos, pos) when none does.
func (c *collation) sentence(ai, pos int) (start, end int) {
	sents := c.index(ai).sents
	i, ok := slices.BinarySearchFunc(sents, pos, func(sp [2]int, p int) int {
		switch {
		case sp[1] <= p:
			return -1
		case sp[0] > p:
			return 1
		}
		return 0
	})
	if !ok {
		return pos, pos
	}
	return sents[i][0], sents[i][1]
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
	lo, _ = slices.BinarySearchFunc(ms, s, func(m trawl.Mention, p int) int { return m.Start - p })
	for lo > 0 && ms[lo-1].Start >= s {
		lo--
	}
	hi = lo
	for hi < len(ms) && ms[hi].Start < e {
		hi++
	}
	return lo, hi
}
