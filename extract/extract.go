// Package extract finds PERSON, ORGANIZATION, LOCATION, DATE, PERCENT and
// COMMODITY mentions in an article's text, with rules plus a trained name
// tagger, and prose's part-of-speech tagger where the commodity rules are
// unsure.
//
// Each kind has a package of its own (dates, percent, commodity, people),
// run in that order over one shared document.Document per article; the
// tagger package is the only one that imports prose. This package runs them,
// merges and sorts their mentions, and cuts very long texts into chunks.
package extract

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/extract/commodity"
	"github.com/trawlnews/trawl/extract/dates"
	"github.com/trawlnews/trawl/extract/document"
	"github.com/trawlnews/trawl/extract/people"
	"github.com/trawlnews/trawl/extract/percent"
	"github.com/trawlnews/trawl/extract/tagger"
	"github.com/trawlnews/trawl/internal/text"
)

// Options tunes an Extractor. The zero value extracts every kind.
type Options struct {
	// Kinds restricts extraction to these kinds; nil means all.
	Kinds []trawl.Kind
}

// Extractor finds mentions in articles. It is safe for concurrent use; build
// one per process, since its lexicons and models are loaded once.
type Extractor struct {
	kinds map[trawl.Kind]bool
}

// New returns an Extractor with its lexicons loaded.
func New(opts Options) *Extractor {
	x := &Extractor{kinds: map[trawl.Kind]bool{}}
	kinds := opts.Kinds
	if len(kinds) == 0 {
		kinds = trawl.Kinds
	}
	for _, k := range kinds {
		x.kinds[k] = true
	}
	return x
}

// Warm loads the lexicons and the prose model that Extract will need, which
// takes about a CPU-second, once per process. Extract loads them itself when
// it first needs them; a caller with many articles to extract can call Warm
// ahead of time, or in a goroutine so that the loading overlaps other work
// (Extract then waits for it).
func (x *Extractor) Warm() {
	if x.kinds[trawl.Person] {
		people.Warm()
	}
	if x.kinds[trawl.Commodity] {
		tagger.Warm()
	}
	if x.names() {
		tagger.WarmNames()
	}
}

// Extract fills a.Mentions and a.Commodities from a.Text, resolving relative
// dates against a.Published. Mentions are sorted by Start; overlapping
// mentions of different kinds are kept, overlapping mentions of one kind are
// reduced to the longest.
//
// A text longer than chunkBytes is extracted a chunk of whole sentences at
// a time, so that the working memory stays bounded however big the article
// (an article is typically 2-5 KB; the working memory is about 25 bytes per
// byte of text).
func (x *Extractor) Extract(a *trawl.Article) {
	x.ExtractContext(context.Background(), a)
}

// ExtractContext is Extract that stops when ctx is done: it checks ctx
// before each chunk of a long text (chunkBytes, a fraction of a second of
// work), so that an interrupted run stops within a second even inside one
// very long article. When it stops it returns ctx's error and leaves a as
// it was.
func (x *Extractor) ExtractContext(ctx context.Context, a *trawl.Article) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var published time.Time
	if t, err := time.Parse("2006-01-02", a.Published); err == nil {
		published = t
	}
	var ms []trawl.Mention
	if len(a.Text) <= chunkBytes {
		doc := document.New(a.Text, published)
		ms = x.find(doc)
		doc.Release()
	} else {
		for _, c := range chunks(text.Sentences(a.Text), chunkBytes) {
			if err := ctx.Err(); err != nil {
				return err
			}
			doc := document.New(a.Text[c.Start:c.End], published)
			found := x.find(doc)
			doc.Release()
			for _, m := range found {
				m.Start += c.Start
				m.End += c.Start
				ms = append(ms, m)
			}
		}
	}
	// find gives a document's mentions in order; those of an article cut in
	// chunks are put in order again as a whole.
	if len(a.Text) > chunkBytes {
		slices.SortStableFunc(ms, func(p, q trawl.Mention) int { return mentionOrder(&p, &q) })
	}
	a.Mentions = ms
	a.Commodities = commodity.Rank(ms, a.Title, a.Text)
	return nil
}

// chunkBytes is the size above which Extract works on a text in chunks. It
// is a variable only so that tests can exercise chunking on small texts.
var chunkBytes = 1 << 20

// chunks groups sentence spans into runs of at most max bytes (a longer
// sentence is a chunk of its own) and returns the byte range of each run.
func chunks(sents []text.Span, max int) []text.Span {
	var out []text.Span
	for i := 0; i < len(sents); {
		c := text.Span{Start: sents[i].Start, End: sents[i].End}
		for i++; i < len(sents) && sents[i].End-c.Start <= max; i++ {
			c.End = sents[i].End
		}
		out = append(out, c)
	}
	return out
}

// find runs the extractors of the kinds asked for over one document.
func (x *Extractor) find(doc *document.Document) []trawl.Mention {
	buf := foundPool.Get().(*[]trawl.Mention)
	found := (*buf)[:0]
	if x.kinds[trawl.Date] {
		found = dates.AppendFind(found, doc)
	}
	if x.kinds[trawl.Percent] {
		found = percent.AppendFind(found, doc)
	}
	if x.kinds[trawl.Commodity] {
		found = append(found, commodity.Find(doc)...)
	}
	if x.names() {
		found = people.AppendNames(found, doc)
	}
	// The mentions of the kinds asked for, sorted through pointers: a
	// Mention is too large to move around in a sort.
	order := orderPool.Get().(*[]*trawl.Mention)
	kept := (*order)[:0]
	for i := range found {
		if x.kinds[found[i].Type] {
			kept = append(kept, &found[i])
		}
	}
	slices.SortStableFunc(kept, mentionOrder)
	var ms []trawl.Mention
	if len(kept) > 0 { // else nil, as no mentions were before: JSON null, not []
		ms = make([]trawl.Mention, len(kept))
		for i, m := range kept {
			ms[i] = *m
		}
	}
	if cap(found) <= 1<<14 { // keep big slices out of the pool
		clear(found) // drop the strings the mentions hold
		*buf = found[:0]
		foundPool.Put(buf)
		clear(kept)
		*order = kept[:0]
		orderPool.Put(order)
	}
	return ms
}

// mentionOrder is the order of an article's mentions: by start, the
// longer first, then by type.
func mentionOrder(p, q *trawl.Mention) int {
	if p.Start != q.Start {
		return p.Start - q.Start
	}
	if p.End != q.End {
		return q.End - p.End
	}
	return strings.Compare(string(p.Type), string(q.Type))
}

// foundPool recycles the buffers find gathers the extractors' mentions in.
var foundPool = sync.Pool{New: func() any { return new([]trawl.Mention) }}

// orderPool recycles the buffers find sorts the mentions in.
var orderPool = sync.Pool{New: func() any { return new([]*trawl.Mention) }}

// names reports whether x extracts any of the kinds of proper names.
func (x *Extractor) names() bool {
	return x.kinds[trawl.Person] || x.kinds[trawl.Organization] || x.kinds[trawl.Location]
}
