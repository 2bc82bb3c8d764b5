package store

import (
	"math"
	"slices"
	"strings"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/internal/text"
	"github.com/trawlnews/trawl/reconcile"
)

// The thinning of articles for reconciliation, a memory measure of Refresh.
// It is the only use of extract in store: the sentences it keeps must be
// those reconcile cuts evidence from, so both take them from the same
// splitter.

// textSegment maps a piece of a thinned article's text back to the full
// text: bytes [Thin, Thin+Len) of the thin text are [Full, Full+Len) of the
// full one. Every thin article keeps its segments in memory until the
// evidence is mapped, so they are int32s (thinArticle keeps no text of an
// article over 2 GB).
type textSegment struct{ Thin, Full, Len int32 }

// thinArticle returns the part of a that reconciliation reads, in
// reconcile's compact form: its PERSON, DATE and PERCENT mentions
// (reconcile.KindOf), and as text only the sentences that hold them (each
// kept whole, by the rules of text.Sentences, joined by line breaks, which
// end a sentence under the same rules), with the mention offsets moved to
// the thin text. Commodities, organisations, places and other names, which
// reconciliation passes over, are dropped, and so are the article's fields
// it does not read (path, hash, encoding, commodities, the notes on its
// title and date), and the mention fields it does not read (category,
// parents, warning). The strings of the mentions go into strs, and so do
// the title, source and date, so the many mentions of one name or date
// hold one copy of it; the id is copied, since the decoder cuts it from
// one string with the rest of the record. The segments map offsets back
// (mapEvidence).
func thinArticle(a trawl.Article, strs *reconcile.Strings) (reconcile.Article, []textSegment) {
	full := a.Text
	n := 0
	for _, m := range a.Mentions {
		if reconcile.KindOf(m.Type) != reconcile.Other {
			n++
		}
	}
	keep := make([]reconcile.Mention, 0, n) // exact size: the mentions of every article stay in memory
	spans := make([][2]int, 0, n)
	var sents []text.Span
	for _, m := range a.Mentions {
		if reconcile.KindOf(m.Type) == reconcile.Other {
			continue
		}
		cm := strs.Mention(m)
		if m.Start < 0 || m.End > len(full) || m.Start > m.End || len(full) > math.MaxInt32 {
			cm.Start, cm.End = -1, -1
			keep = append(keep, cm)
			continue
		}
		keep = append(keep, cm)
		if sents == nil {
			sents = text.Sentences(full)
		}
		// The sentence that holds m.Start, as text.SentenceAt finds it.
		s, e := m.Start, m.Start
		if sp, ok := text.SentenceAt(sents, m.Start); ok {
			s, e = sp.Start, sp.End
		}
		spans = append(spans, [2]int{min(s, m.Start), max(e, m.End)})
	}
	slices.SortFunc(spans, func(p, q [2]int) int { return p[0] - q[0] })
	// Overlapping spans merged in place, so that the segments and the text
	// are allocated at their exact sizes: every thin article stays in
	// memory, and a slice or builder grown by appending has up to twice the
	// room it needs.
	merged, size := spans[:0], 0
	for i := 0; i < len(spans); {
		lo, hi := spans[i][0], spans[i][1]
		for i++; i < len(spans) && spans[i][0] <= hi; i++ {
			hi = max(hi, spans[i][1])
		}
		merged = append(merged, [2]int{lo, hi})
		size += hi - lo
	}
	segs := make([]textSegment, len(merged))
	var b strings.Builder
	b.Grow(size + max(0, len(merged)-1))
	for i, sp := range merged {
		if i > 0 {
			b.WriteByte('\n')
		}
		segs[i] = textSegment{Thin: int32(b.Len()), Full: int32(sp[0]), Len: int32(sp[1] - sp[0])}
		b.WriteString(full[sp[0]:sp[1]])
	}
	for i := range keep {
		m := &keep[i]
		if m.Start < 0 {
			continue
		}
		off := fullToThin(segs, m.Start)
		m.Start, m.End = m.Start+off, m.End+off
	}
	return reconcile.Article{
		ID: strings.Clone(a.ID), Title: strs.Intern(a.Title), Source: strs.Intern(a.Source), Published: strs.Intern(a.Published),
		Text: b.String(), Mentions: keep,
	}, segs
}

// fullToThin is what to add to an offset of the full text inside a kept
// segment to get its offset in the thin text.
func fullToThin(segs []textSegment, pos int32) int32 {
	i, _ := slices.BinarySearchFunc(segs, pos, func(sg textSegment, p int32) int {
		if sg.Full+sg.Len < p {
			return -1
		}
		if sg.Full > p {
			return 1
		}
		return 0
	})
	if i >= len(segs) {
		return 0
	}
	return segs[i].Thin - segs[i].Full
}

// mapEvidence moves the offsets of the evidence of discrepancies found in
// thinned articles back to the articles' full texts.
func mapEvidence(ds []trawl.Discrepancy, segs map[string][]textSegment) {
	for i := range ds {
		for j := range ds[i].Versions {
			for k := range ds[i].Versions[j].Evidence {
				ev := &ds[i].Versions[j].Evidence[k]
				sg := segs[ev.Article]
				if len(sg) == 0 {
					continue
				}
				n, _ := slices.BinarySearchFunc(sg, ev.Start, func(s textSegment, p int) int {
					if int(s.Thin+s.Len) < p {
						return -1
					}
					if int(s.Thin) > p {
						return 1
					}
					return 0
				})
				if n >= len(sg) {
					continue
				}
				off := int(sg[n].Full - sg[n].Thin)
				ev.Start, ev.End = ev.Start+off, ev.End+off
			}
		}
	}
}
