package extract

import (
	"testing"
	"unicode/utf8"

	"github.com/trawlnews/trawl"
)

// FuzzExtract runs the whole Extractor, every kind at once and in the order
// the store uses it: no panic, offsets inside the text and on character
// boundaries, mentions sorted by Start, valid UTF-8 out, and the same
// mentions on a second run (extraction is deterministic).
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"Treasury Secretary Scott Bessent said on Friday, June 6, that tariffs on steel rose to 50%.",
		"Copper rose 5% as Treasury Secretary Scott Bessent spoke on June 3, 2025; Copper rose 5%",
		"February 30, the 32nd of June, 1e309%, " + "99999999999999999999999999999999%",
		"Theresa May May March Lead lead LEAD Mr. Ms. Dr. ((((((!!!!!!......",
		"\xff\xfe Caf\xc3\xa9 \x93quoted\x94 M\xc3\xbcnchen 5\xc3%",
		"",
	} {
		f.Add(s, "2025-06-09")
		f.Add(s, "")
	}
	x := New(Options{})
	f.Fuzz(func(t *testing.T, text, published string) {
		a := trawl.Article{ID: "f", Text: text, Published: published}
		x.Extract(&a)
		boundary := map[int]bool{len(text): true}
		for i := range text {
			boundary[i] = true
		}
		for i, m := range a.Mentions {
			if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
				t.Fatalf("mention %+v: offsets outside the text (%d bytes)", m, len(text))
			}
			if !boundary[m.Start] || !boundary[m.End] {
				t.Fatalf("mention %+v: offsets split a character", m)
			}
			if m.Text != text[m.Start:m.End] {
				t.Fatalf("mention text %q is not text[%d:%d]", m.Text, m.Start, m.End)
			}
			if i > 0 && a.Mentions[i-1].Start > m.Start {
				t.Fatalf("mentions not sorted by Start: %+v before %+v", a.Mentions[i-1], m)
			}
			if utf8.ValidString(text) && (!utf8.ValidString(m.Value) || !utf8.ValidString(m.Subject)) {
				t.Fatalf("mention %+v: value or subject is not valid UTF-8", m)
			}
		}
		b := trawl.Article{ID: "f", Text: text, Published: published}
		x.Extract(&b)
		if len(b.Mentions) != len(a.Mentions) {
			t.Fatalf("second run: %d mentions, first run %d", len(b.Mentions), len(a.Mentions))
		}
		for i := range a.Mentions {
			if a.Mentions[i].Start != b.Mentions[i].Start || a.Mentions[i].Value != b.Mentions[i].Value {
				t.Fatalf("second run differs at %d: %+v vs %+v", i, a.Mentions[i], b.Mentions[i])
			}
		}
	})
}
