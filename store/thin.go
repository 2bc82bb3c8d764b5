package store

import (
	"cmp"
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
// full one. Names marks a piece that holds PERSON mentions only, not their
// sentences, whose evidence is quoted from the full text (placeEvidence).
// The refresh keeps no segments while it reconciles: it thins the few
// articles a discrepancy quotes again to map their evidence. The offsets
// are int32s (thinArticle keeps no text of an article over 2 GB).
type textSegment struct {
	Thin, Full, Len int32
	Names           bool
}

// textSpan is a piece of the full text a thin article keeps: [lo, hi), and
// whether it is only a name (see textSegment.Names).
type textSpan struct {
	lo, hi int
	names  bool
}

// thinArticle returns the part of a that reconciliation reads, in
// reconcile's compact form: its PERSON, DATE and PERCENT mentions
// (reconcile.KindOf), and as text the sentences that hold the DATE and
// PERCENT mentions (each kept whole, by the rules of text.Sentences, joined
// by line breaks, which end a sentence under the same rules) and of the
// PERSON mentions only the names, with the mention offsets moved to the
// thin text. What the grouping reads around a name (whether it is used as a
// common noun, whether it stands in a list) is read first, by
// reconcile.Mark, from a thin text that holds the names' sentences too, as
// reconciliation read it before; the rules read a name's sentence
// otherwise only to quote it, and placeEvidence quotes it from the stored
// article when a discrepancy needs it. Commodities, organisations, places
// and other names, which reconciliation passes over, are dropped, and so
// are the article's fields it does not read (path, hash, encoding,
// commodities, the notes on its title and date), and the mention fields it
// does not read (category, parents, warning). The strings of the mentions
// go into strs, and so do the title, source and date, so the many mentions
// of one name or date hold one copy of it; the id is copied, since the
// decoder cuts it from one string with the rest of the record. The
// segments map offsets back (mapEvidence, placeEvidence).
func thinArticle(a trawl.Article, strs *reconcile.Strings) (reconcile.Article, []textSegment) {
	full := a.Text
	n := 0
	for _, m := range a.Mentions {
		if reconcile.KindOf(m.Type) != reconcile.Other {
			n++
		}
	}
	keep := make([]reconcile.Mention, 0, n) // exact size: the mentions of every article stay in memory
	at := make([][2]int, 0, n)              // the offsets of each kept mention in the full text, -1 for none
	sentences := make([]textSpan, 0, n)
	slim := make([]textSpan, 0, n)
	sentOf := make([]int, 0, n) // the index in sentences (and slim) of each kept mention's, -1 for none
	var sents []text.Span
	for _, m := range a.Mentions {
		k := reconcile.KindOf(m.Type)
		if k == reconcile.Other {
			continue
		}
		keep = append(keep, strs.Mention(m))
		if m.Start < 0 || m.End > len(full) || m.Start > m.End || len(full) > math.MaxInt32 {
			at = append(at, [2]int{-1, -1})
			sentOf = append(sentOf, -1)
			continue
		}
		at = append(at, [2]int{m.Start, m.End})
		if sents == nil {
			sents = text.Sentences(full)
		}
		// The sentence that holds m.Start, as text.SentenceAt finds it.
		s, e := m.Start, m.Start
		if sp, ok := text.SentenceAt(sents, m.Start); ok {
			s, e = sp.Start, sp.End
		}
		sent := textSpan{lo: min(s, m.Start), hi: max(e, m.End)}
		sentOf = append(sentOf, len(sentences))
		sentences = append(sentences, sent)
		if k == reconcile.Person {
			slim = append(slim, textSpan{lo: m.Start, hi: m.End, names: true})
		} else {
			slim = append(slim, sent)
		}
	}
	ta := reconcile.Article{
		ID: strings.Clone(a.ID), Title: strs.Intern(a.Title), Source: strs.Intern(a.Source), Published: strs.Intern(a.Published),
		Mentions: keep,
	}
	var segs []textSegment
	ta.Text, segs = cutText(full, sentences)
	moveMentions(ta.Mentions, at, segs)
	reconcile.Mark(&ta)
	if unread := unreadDates(ta.Mentions, sentOf, sentences, strs); unread != nil {
		// Of the kept mentions, at and slim, those not unread.
		n := len(keep) - len(unread)
		ms, pos, sl := make([]reconcile.Mention, 0, n), make([][2]int, 0, n), make([]textSpan, 0, n)
		for i, m := range ta.Mentions {
			if unread[i] {
				continue
			}
			ms, pos = append(ms, m), append(pos, at[i])
			if j := sentOf[i]; j >= 0 {
				sl = append(sl, slim[j])
			}
		}
		ta.Mentions, at, slim = ms, pos, sl
	}
	ta.Text, segs = cutText(full, slim)
	moveMentions(ta.Mentions, at, segs)
	return ta, segs
}

// unreadDates returns, when there are any, the DATE mentions of ms that no
// rule of reconciliation reads, marked true by index, and nil when there
// are none: the rules read DATE mentions only in the sentences of a PERCENT
// mention or of a DATE of day precision (reconcile.ReadsSentence), so a
// DATE of another precision whose sentence (sentences[sentOf[i]]) meets
// none of those is dropped, and its sentence with it, which is most of
// the text of most articles. Nothing is dropped from mentions not sorted by
// offset: the rules read the mentions of such an article differently
// (every mention, not those of a sentence), and dropping some could sort
// them.
func unreadDates(ms []reconcile.Mention, sentOf []int, sentences []textSpan, strs *reconcile.Strings) map[int]bool {
	var read []textSpan
	for i, m := range ms {
		if sentOf[i] >= 0 && reconcile.ReadsSentence(m.Type, strs.String(m.Value)) {
			read = append(read, sentences[sentOf[i]])
		}
	}
	var unread map[int]bool
	for i, m := range ms {
		if m.Type != reconcile.Date || sentOf[i] < 0 || reconcile.ReadsSentence(m.Type, strs.String(m.Value)) {
			continue
		}
		sp := sentences[sentOf[i]]
		if slices.ContainsFunc(read, func(r textSpan) bool { return sp.lo <= r.hi && r.lo <= sp.hi }) {
			continue
		}
		if unread == nil {
			if !slices.IsSortedFunc(ms, func(p, q reconcile.Mention) int { return cmp.Compare(p.Start, q.Start) }) {
				return nil
			}
			unread = map[int]bool{}
		}
		unread[i] = true
	}
	return unread
}

// cutText returns the pieces spans of full, overlapping ones merged, joined
// by line breaks, and the segments that map them back. A merged piece is
// names only when all its spans are. The text and the segments are
// allocated at their exact sizes: every thin article stays in memory, and a
// slice or builder grown by appending has up to twice the room it needs.
func cutText(full string, spans []textSpan) (string, []textSegment) {
	spans = slices.Clone(spans)
	slices.SortFunc(spans, func(p, q textSpan) int { return p.lo - q.lo })
	merged, size := spans[:0], 0
	for i := 0; i < len(spans); {
		sp := spans[i]
		for i++; i < len(spans) && spans[i].lo <= sp.hi; i++ {
			sp.hi = max(sp.hi, spans[i].hi)
			sp.names = sp.names && spans[i].names
		}
		merged = append(merged, sp)
		size += sp.hi - sp.lo
	}
	segs := make([]textSegment, len(merged))
	var b strings.Builder
	b.Grow(size + max(0, len(merged)-1))
	for i, sp := range merged {
		if i > 0 {
			b.WriteByte('\n')
		}
		segs[i] = textSegment{Thin: int32(b.Len()), Full: int32(sp.lo), Len: int32(sp.hi - sp.lo), Names: sp.names}
		b.WriteString(full[sp.lo:sp.hi])
	}
	return b.String(), segs
}

// moveMentions sets the offsets of ms to those in the thin text of segs of
// their offsets at in the full text (-1 for none).
func moveMentions(ms []reconcile.Mention, at [][2]int, segs []textSegment) {
	for i := range ms {
		if at[i][0] < 0 {
			ms[i].Start, ms[i].End = -1, -1
			continue
		}
		off := fullToThin(segs, int32(at[i][0]))
		ms[i].Start, ms[i].End = int32(at[i][0])+off, int32(at[i][1])+off
	}
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
// thinned articles back to the articles' full texts, segs being the
// segments of each article's thin text, and returns the evidence that
// quotes a name-only piece of a thin text, whose sentence quoteSentence
// must cut from the stored article.
func mapEvidence(ds []trawl.Discrepancy, segs map[string][]textSegment) []*trawl.Evidence {
	var names []*trawl.Evidence
	for i := range ds {
		for j := range ds[i].Versions {
			for k := range ds[i].Versions[j].Evidence {
				ev := &ds[i].Versions[j].Evidence[k]
				if mapOffsets(ev, segs[ev.Article]) {
					names = append(names, ev)
				}
			}
		}
	}
	return names
}

// mapOffsets moves the offsets of ev, found in a thin text of segments sg,
// to the full text, and reports whether they are in a name-only piece
// (textSegment.Names), whose sentence is to be quoted from the full text.
func mapOffsets(ev *trawl.Evidence, sg []textSegment) bool {
	if len(sg) == 0 {
		return false
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
		return false
	}
	off := int(sg[n].Full - sg[n].Thin)
	ev.Start, ev.End = ev.Start+off, ev.End+off
	return sg[n].Names
}

// quoteSentence sets the sentence of ev, and the mention's place in it, to
// those of the full text of its article, sents being that text's
// sentences: the sentence that holds ev.Start, widened to hold the mention,
// as reconcile quotes it.
func quoteSentence(ev *trawl.Evidence, full string, sents []text.Span) {
	start, end := ev.Start, ev.End
	if start < 0 || end > len(full) || start > end {
		start, end = 0, 0
	}
	s, e := start, start
	if sp, ok := text.SentenceAt(sents, start); ok {
		s, e = sp.Start, sp.End
	}
	s, e = min(s, start), max(e, end)
	ev.Sentence = strings.Clone(full[s:e])
	ev.MentionStart, ev.MentionEnd = start-s, end-s
	ev.Start, ev.End = start, end
}
