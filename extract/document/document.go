// Package document holds the per-article state the extractors share: the
// text, its sentences, its tokens (cut once; each extractor builds its words
// from them) and the publication date relative dates resolve against.
package document

import (
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/trawlnews/trawl/internal/text"
)

// Document is one article's text, cut into sentences and tokens once for
// every extractor. Call Release when done with it.
type Document struct {
	// Text is the text the extractors read; mention offsets are into it.
	Text string
	// Sentences are the byte ranges of Text's sentences, in order.
	Sentences []text.Span
	// Tokens are the tokens of Text, in order.
	Tokens []text.Token
	// Published is the date relative dates resolve against; zero when
	// unknown.
	Published time.Time

	pooled *[]text.Token // where Tokens goes back to tokPool
	lower  string        // Text with its ASCII letters lower-cased, made when Lower first needs it
}

// tokPool recycles token slices between documents.
var tokPool = sync.Pool{New: func() any { return new([]text.Token) }}

// New splits s into sentences and tokens. Call Release when done with the
// document.
func New(s string, published time.Time) *Document {
	pooled := tokPool.Get().(*[]text.Token)
	return &Document{Text: s, Sentences: text.Sentences(s), Tokens: text.Tokens((*pooled)[:0], s), Published: published, pooled: pooled}
}

// SentenceAt returns the sentence of the document that holds byte offset
// pos; ok is false when pos is outside every sentence.
func (d *Document) SentenceAt(pos int) (text.Span, bool) { return text.SentenceAt(d.Sentences, pos) }

// Lower returns Text[start:end] lower-cased, as strings.ToLower would,
// without a new string for each word: the span itself when it holds no
// upper-case letter, a slice of one lower-cased copy of the text (made
// once per document) when it is ASCII, and strings.ToLower's own result
// otherwise. Extractors look words up in their lexicons through it.
func (d *Document) Lower(start, end int) string {
	s := d.Text[start:end]
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return strings.ToLower(s)
		}
		if c >= 'A' && c <= 'Z' {
			upper = true
		}
	}
	if !upper {
		return s
	}
	if d.lower == "" {
		// The spans between upper-case letters are copied whole.
		var b strings.Builder
		b.Grow(len(d.Text))
		from := 0
		for i := 0; i < len(d.Text); i++ {
			if c := d.Text[i]; c >= 'A' && c <= 'Z' {
				b.WriteString(d.Text[from:i])
				b.WriteByte(c + 'a' - 'A')
				from = i + 1
			}
		}
		b.WriteString(d.Text[from:])
		d.lower = b.String()
	}
	return d.lower[start:end]
}

// Release returns the document's tokens to the pool; the document must not
// be used afterwards.
func (d *Document) Release() {
	if d.pooled != nil && cap(d.Tokens) <= 1<<20 { // keep big slices out of the pool
		*d.pooled = d.Tokens[:0]
		tokPool.Put(d.pooled)
	}
	d.Tokens, d.pooled = nil, nil
}
