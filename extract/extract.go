// Package extract finds PERSON, DATE, PERCENT and COMMODITY mentions in an
// article's text, with rules plus prose's part-of-speech tagger and NER where
// the rules are unsure.
package extract

import (
	"slices"
	"strings"
	"time"

	"github.com/trawlnews/trawl"
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
	if x.kinds[trawl.Person] || x.kinds[trawl.Commodity] {
		// prose's model takes about a second of CPU to decode; start it now
		// so that it overlaps the reading of the first files. Extract waits
		// for it (sync.OnceValue) when it first needs it.
		go proseModel()
	}
	return x
}

// document is the per-article state shared by the extractors: the text, its
// sentences and the publication date relative dates resolve against.
type document struct {
	text      string
	sentences []span
	published time.Time // zero when unknown
}

// Extract fills a.Mentions and a.Commodities from a.Text, resolving relative
// dates against a.Published. Mentions are sorted by Start; overlapping
// mentions of different kinds are kept, overlapping mentions of one kind are
// reduced to the longest.
func (x *Extractor) Extract(a *trawl.Article) {
	doc := &document{text: a.Text, sentences: sentences(a.Text)}
	if t, err := time.Parse("2006-01-02", a.Published); err == nil {
		doc.published = t
	}
	var ms []trawl.Mention
	if x.kinds[trawl.Date] {
		ms = append(ms, findDates(doc)...)
	}
	if x.kinds[trawl.Percent] {
		ms = append(ms, findPercents(doc)...)
	}
	if x.kinds[trawl.Commodity] {
		ms = append(ms, findCommodities(doc)...)
	}
	if x.kinds[trawl.Person] {
		ms = append(ms, findPeople(doc)...)
	}
	slices.SortStableFunc(ms, func(p, q trawl.Mention) int {
		if p.Start != q.Start {
			return p.Start - q.Start
		}
		if p.End != q.End {
			return q.End - p.End
		}
		return strings.Compare(string(p.Type), string(q.Type))
	})
	a.Mentions = ms
	a.Commodities = commodityIDs(ms)
}

// commodityIDs returns the sorted distinct Values of the COMMODITY mentions.
func commodityIDs(ms []trawl.Mention) []string {
	ids := []string{}
	for _, m := range ms {
		if m.Type == trawl.Commodity && m.Value != "" {
			ids = append(ids, m.Value)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// Sentence returns the byte range of the sentence of text that contains
// offset pos, by the same rules the extractors use; reports quote it as
// evidence.
func Sentence(text string, pos int) (start, end int) {
	if s, ok := sentenceAt(sentences(text), pos); ok {
		return s.Start, s.End
	}
	return pos, pos
}
