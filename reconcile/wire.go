package reconcile

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The serial form of an Article, which a caller that holds many articles
// (a store) keeps beside each one so that a later reconciliation decodes
// it rather than making it again from the whole article. It keeps what
// Mark read (so a decoded article is marked as the encoded one was) and
// the strings themselves, not their ids: a Strings table is one
// reconciliation's.
//
// The form: a version byte; the text; the count of mentions; the title,
// source and publication date; then each mention's offsets (varints), kind,
// flags and its eight strings (Text, Value, Entity, then Extra's Role,
// Unit, From, Change, Subject). Each string is a uvarint length and its
// bytes. The text comes first so that ArticleText reads it alone. The ID,
// copy group and TextLater are not kept: the caller has the first as a key
// and sets the others.
const wireVersion = 1

// ErrWire is the error of a serial form that cannot be read.
var ErrWire = errors.New("reconcile: damaged article form")

// AppendArticle appends the serial form of a, whose strings are in t, to
// b. a should be marked (Mark) when its text has been cut down to the
// names: the decoded article is marked only when a was.
func AppendArticle(b []byte, a *Article, t *Strings) []byte {
	b = append(b, wireVersion)
	b = appendString(b, a.Text)
	b = binary.AppendUvarint(b, uint64(len(a.Mentions)))
	marked := byte(0)
	if a.marked {
		marked = 1
	}
	b = append(b, marked)
	b = appendString(b, a.Title)
	b = appendString(b, a.Source)
	b = appendString(b, a.Published)
	for _, m := range a.Mentions {
		b = binary.AppendVarint(b, int64(m.Start))
		b = binary.AppendVarint(b, int64(m.End))
		b = append(b, byte(m.Type), m.flags)
		x := t.extras[m.extra]
		for _, id := range [...]Str{m.Text, m.Value, m.Entity, x.Role, x.Unit, x.From, x.Change, x.Subject} {
			b = appendString(b, t.list[id])
		}
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// ArticleText returns the text of the article whose serial form is b and
// the count of its mentions, reading nothing else. The text is a copy.
func ArticleText(b []byte) (text string, mentions int, err error) {
	d := wireDecoder{b: b}
	d.version()
	raw := d.bytes()
	mentions = d.count()
	if d.err != nil {
		return "", 0, fmt.Errorf("%w: %w", ErrWire, d.err)
	}
	return string(raw), mentions, nil
}

// DecodeArticle sets a to the article of id whose serial form
// (AppendArticle) is b, its strings added to t (the title, source and
// date as t's copies), all but its Text, which it returns as a slice of b
// for the caller to copy or leave for later (TextLater).
func (t *Strings) DecodeArticle(id string, b []byte, a *Article) (text []byte, err error) {
	d := wireDecoder{b: b}
	d.version()
	text = d.bytes()
	n := d.count()
	marked := d.byte()
	title, source, published := d.bytes(), d.bytes(), d.bytes()
	if d.err != nil {
		return nil, fmt.Errorf("%w: %w", ErrWire, d.err)
	}
	*a = Article{ID: id, Title: t.internBytes(title), Source: t.internBytes(source), Published: t.internBytes(published), marked: marked == 1}
	if n > 0 {
		a.Mentions = make([]Mention, n)
	}
	for i := range a.Mentions {
		m := &a.Mentions[i]
		start, end := d.varint(), d.varint()
		m.Start, m.End = int32(start), int32(end)
		m.Type, m.flags = Kind(d.byte()), d.byte()
		m.Text, m.Value, m.Entity = t.idBytes(d.bytes()), t.idBytes(d.bytes()), t.idBytes(d.bytes())
		var x Extra
		x.Role, x.Unit, x.From, x.Change, x.Subject = t.idBytes(d.bytes()), t.idBytes(d.bytes()), t.idBytes(d.bytes()), t.idBytes(d.bytes()), t.idBytes(d.bytes())
		m.extra = t.extraID(x)
		if d.err == nil && (int64(m.Start) != start || int64(m.End) != end || m.Type == Other || m.Type > Percent) {
			d.err = fmt.Errorf("mention %d is out of range", i)
		}
	}
	if d.err == nil && len(d.b) != 0 {
		d.err = fmt.Errorf("%d bytes after the last mention", len(d.b))
	}
	if d.err != nil {
		*a = Article{}
		return nil, fmt.Errorf("%w: %w", ErrWire, d.err)
	}
	return text, nil
}

// idBytes is ID of string(b): no copy of b when t holds it, one when not.
func (t *Strings) idBytes(b []byte) Str {
	if id, ok := t.ids[string(b)]; ok {
		return id
	}
	return t.add(string(b))
}

func (t *Strings) internBytes(b []byte) string { return t.list[t.idBytes(b)] }

// wireDecoder reads the serial form; the first failure is kept in err and
// every later read returns zero.
type wireDecoder struct {
	b   []byte
	err error
}

func (d *wireDecoder) version() {
	if len(d.b) == 0 || d.b[0] != wireVersion {
		d.err = errors.New("unknown version")
		return
	}
	d.b = d.b[1:]
}

func (d *wireDecoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if len(d.b) == 0 {
		d.err = errors.New("cut short")
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *wireDecoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errors.New("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

// varint reads a signed varint (binary.AppendVarint's zig-zag form).
func (d *wireDecoder) varint() int64 {
	u := d.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

// count reads a count of mentions, each of which takes at least 10 bytes.
func (d *wireDecoder) count() int {
	n := d.uvarint()
	if d.err == nil && n > uint64(len(d.b)/10) {
		d.err = errors.New("more mentions than bytes")
		return 0
	}
	return int(n)
}

func (d *wireDecoder) bytes() []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.err = errors.New("cut short")
		return nil
	}
	s := d.b[:n:n]
	d.b = d.b[n:]
	return s
}
