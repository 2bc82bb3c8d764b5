// Package document holds the per-article state the extractors share: the
// text, its sentences, its tokens (cut once; each extractor builds its words
// from them) and the publication date relative dates resolve against.
package document

import (
	"hash/maphash"
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
	words  *wordTable    // the distinct words numbered by WordID, from wordPool
}

// wordTable numbers the distinct words of a document: an open-addressing
// table of the words' hashes, kept at most half full.
type wordTable struct {
	slots []wordSlot // len a power of two
	keys  []string   // the words by number
}

// wordSlot is one slot of a wordTable: a word's hash and its number plus
// one (0 for an empty slot).
type wordSlot struct {
	hash uint32
	n    int32
}

// wordSeed seeds the hashes of wordTable; the numbers do not depend on it.
var wordSeed = maphash.MakeSeed()

// wordPool recycles word tables between documents.
var wordPool = sync.Pool{New: func() any { return &wordTable{slots: make([]wordSlot, 256)} }}

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
	return d.lowerText()[start:end]
}

// lowerText returns Text with its ASCII letters lower-cased, made once
// per document.
func (d *Document) lowerText() string {
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
	return d.lower
}

// LowerASCII returns Text[start:end] with its ASCII letters lower-cased
// and every other byte as it is, a slice of one lower-cased copy of the
// text (made once per document): the form of a word the extractors'
// word lists are keyed by.
func (d *Document) LowerASCII(start, end int) string {
	return d.lowerText()[start:end]
}

// WordID returns the number of the word Text[start:end] among the
// distinct words of the document, by LowerASCII form: the same number
// for every occurrence of the word in any case, numbered from 0 in the
// order the words are first asked about. Extractors keep what they look
// up about a word by its number, so that a word repeated in an article
// is looked up in their word lists once (one probe of a small table
// instead of a lookup in each list again).
func (d *Document) WordID(start, end int) int {
	w := d.LowerASCII(start, end)
	t := d.words
	if t == nil {
		t = wordPool.Get().(*wordTable)
		d.words = t
	}
	h := uint32(maphash.String(wordSeed, w))
	mask := uint32(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		sl := &t.slots[i]
		if sl.n == 0 {
			t.keys = append(t.keys, w)
			*sl = wordSlot{hash: h, n: int32(len(t.keys))}
			if 2*len(t.keys) > len(t.slots) {
				t.grow()
			}
			return len(t.keys) - 1
		}
		if sl.hash == h && t.keys[sl.n-1] == w {
			return int(sl.n - 1)
		}
	}
}

// grow doubles the table's slots.
func (t *wordTable) grow() {
	slots := make([]wordSlot, 2*len(t.slots))
	mask := uint32(len(slots) - 1)
	for _, sl := range t.slots {
		if sl.n == 0 {
			continue
		}
		i := sl.hash & mask
		for slots[i].n != 0 {
			i = (i + 1) & mask
		}
		slots[i] = sl
	}
	t.slots = slots
}

// Release returns the document's tokens and word numbers to their pools;
// the document must not be used afterwards.
func (d *Document) Release() {
	if d.pooled != nil && cap(d.Tokens) <= 1<<20 { // keep big slices out of the pool
		*d.pooled = d.Tokens[:0]
		tokPool.Put(d.pooled)
	}
	if t := d.words; t != nil && len(t.slots) <= 1<<16 {
		clear(t.slots)
		clear(t.keys) // drop the strings into the text
		t.keys = t.keys[:0]
		wordPool.Put(t)
	}
	d.Tokens, d.pooled, d.words = nil, nil, nil
}
