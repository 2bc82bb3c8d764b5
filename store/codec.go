package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/trawlnews/trawl"
)

// The encoding of the articles bucket. An article is written once and read
// by every refresh, twice (reconciliation, then the index), so its
// decoding is much of what a refresh costs: this compact binary form
// decodes several times faster than JSON and with fewer allocations.
// Values written before it (JSON objects, which start with '{') are still
// read, so a store needs no migration.
//
// The form: articleCodec, then each field of trawl.Article in the order of
// encodeArticle. A string is its length as a uvarint then its bytes; an int
// a varint; a slice its length plus one as a uvarint (0 for nil, so that
// nil and empty slices come back as they went) then its elements. The
// article's Text comes first, so that the decoder copies it out on its own
// and cuts every other string of the article from one more allocation.
// TestArticleCodecEveryField fails when a field is added to trawl.Article
// or trawl.Mention and not here.

// articleCodec is the first byte of an article in the binary form.
const articleCodec = 0x01

// encodeArticle returns the stored form of a.
func encodeArticle(a *trawl.Article) []byte {
	n := 64 + len(a.Text) + len(a.ID) + len(a.Path) + len(a.Title) + len(a.Hash)
	for i := range a.Mentions {
		n += 32 + len(a.Mentions[i].Text) + len(a.Mentions[i].Value) + len(a.Mentions[i].Entity)
	}
	e := articleEncoder{b: make([]byte, 0, n)}
	e.b = append(e.b, articleCodec)
	e.str(a.Text)
	e.str(a.ID)
	e.str(a.Path)
	e.int(a.Line)
	e.str(a.Title)
	e.str(a.Source)
	e.str(a.Author)
	e.str(a.URL)
	e.str(a.TitleSource)
	e.str(a.Published)
	e.str(a.PublishedSource)
	e.str(a.PublishedNote)
	e.int(a.BodyOffset)
	e.str(a.Encoding)
	e.str(a.Hash)
	e.str(a.CopyGroup)
	e.strs(a.Commodities)
	e.len(a.Mentions == nil, len(a.Mentions))
	for i := range a.Mentions {
		m := &a.Mentions[i]
		e.str(string(m.Type))
		e.int(m.Start)
		e.int(m.End)
		e.str(m.Text)
		e.str(m.Value)
		e.str(m.Entity)
		e.str(m.Role)
		e.str(m.Unit)
		e.str(m.From)
		e.str(m.Change)
		e.str(m.Subject)
		e.str(m.Category)
		e.strs(m.Parents)
		e.str(m.Warning)
	}
	return e.b
}

// decodeArticle decodes a stored article, in either form, into a.
func decodeArticle(v []byte, a *trawl.Article) error {
	if len(v) == 0 || v[0] != articleCodec {
		return json.Unmarshal(v, a)
	}
	*a = trawl.Article{}
	d := articleDecoder{b: v[1:]}
	text := d.bytes()
	if d.err != nil {
		return d.err
	}
	a.Text = string(text)
	// Every other string is cut from one copy of the rest.
	d = articleDecoder{b: d.b[d.off:]}
	d.head = string(d.b)
	a.ID = d.str()
	a.Path = d.str()
	a.Line = d.int()
	a.Title = d.str()
	a.Source = d.str()
	a.Author = d.str()
	a.URL = d.str()
	a.TitleSource = d.str()
	a.Published = d.str()
	a.PublishedSource = d.str()
	a.PublishedNote = d.str()
	a.BodyOffset = d.int()
	a.Encoding = d.str()
	a.Hash = d.str()
	a.CopyGroup = d.str()
	a.Commodities = d.strs()
	if n, ok := d.len(); ok {
		a.Mentions = make([]trawl.Mention, 0, n)
		for range n {
			if d.err != nil {
				break
			}
			a.Mentions = append(a.Mentions, trawl.Mention{
				Type:     kindOf(d.bytes()),
				Start:    d.int(),
				End:      d.int(),
				Text:     d.str(),
				Value:    d.str(),
				Entity:   d.str(),
				Role:     d.str(),
				Unit:     d.str(),
				From:     d.str(),
				Change:   d.str(),
				Subject:  d.str(),
				Category: d.str(),
				Parents:  d.strs(),
				Warning:  d.str(),
			})
		}
	}
	if d.err == nil && d.off != len(d.b) {
		d.fail("end")
	}
	return d.err
}

// kindOf returns the trawl.Kind constant spelled b, without allocating for
// the known kinds.
func kindOf(b []byte) trawl.Kind {
	for _, k := range trawl.Kinds {
		if string(k) == string(b) {
			return k
		}
	}
	return trawl.Kind(b)
}

// articleEncoder appends the binary form of an article to b.
type articleEncoder struct{ b []byte }

func (e *articleEncoder) str(s string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *articleEncoder) int(n int) { e.b = binary.AppendVarint(e.b, int64(n)) }

func (e *articleEncoder) len(isNil bool, n int) {
	if isNil {
		e.b = append(e.b, 0)
		return
	}
	e.b = binary.AppendUvarint(e.b, uint64(n)+1)
}

func (e *articleEncoder) strs(ss []string) {
	e.len(ss == nil, len(ss))
	for _, s := range ss {
		e.str(s)
	}
}

// articleDecoder reads the binary form from b at off; head is b as a
// string, which the strings read are cut from. The first error sticks;
// reads after it return zero values.
type articleDecoder struct {
	b    []byte
	off  int
	head string
	err  error
}

func (d *articleDecoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("corrupt article: bad %s at byte %d", what, d.off+1)
	}
}

func (d *articleDecoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.fail("length")
		return 0
	}
	d.off += n
	return v
}

func (d *articleDecoder) int() int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b[d.off:])
	if n <= 0 {
		d.fail("number")
		return 0
	}
	d.off += n
	return int(v)
}

// bytes reads a string's bytes without copying them.
func (d *articleDecoder) bytes() []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)-d.off) {
		d.fail("string")
		return nil
	}
	s := d.b[d.off : d.off+int(n)]
	d.off += int(n)
	return s
}

func (d *articleDecoder) str() string {
	b := d.bytes()
	if len(b) == 0 {
		return ""
	}
	return d.head[d.off-len(b) : d.off]
}

// len reads a slice length; ok is false for a nil slice.
func (d *articleDecoder) len() (n int, ok bool) {
	v := d.uvarint()
	if v == 0 || d.err != nil {
		return 0, false
	}
	if v-1 > uint64(len(d.b)-d.off) { // each element takes a byte at least
		d.fail("count")
		return 0, false
	}
	return int(v - 1), true
}

func (d *articleDecoder) strs() []string {
	n, ok := d.len()
	if !ok {
		return nil
	}
	ss := make([]string, 0, n)
	for range n {
		ss = append(ss, d.str())
	}
	return ss
}
