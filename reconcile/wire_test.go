package reconcile

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
)

// wireSample is a marked article with a mention of each kind, an Extra of
// each field and a name Mark flags as a common noun ("a Wayne Rooney").
func wireSample(t *Strings) Article {
	text := "Treasury Secretary Scott Bessent said on Monday, June 9th, that tariffs rose from 25% to 50%. They want a Wayne Rooney."
	at := func(m trawl.Mention) trawl.Mention {
		m.Start = strings.Index(text, m.Text)
		m.End = m.Start + len(m.Text)
		return m
	}
	ms := []trawl.Mention{
		at(trawl.Mention{Type: trawl.Person, Text: "Scott Bessent", Entity: "scott-bessent", Role: "Treasury Secretary"}),
		at(trawl.Mention{Type: trawl.Date, Text: "Monday, June 9th", Value: "2025-06-09"}),
		at(trawl.Mention{Type: trawl.Percent, Text: "50%", Value: "50", Unit: "%", From: "25", Change: "up", Subject: "tariffs"}),
		at(trawl.Mention{Type: trawl.Person, Text: "Wayne Rooney"}),
	}
	a := Article{ID: "a1", Title: "Talks", Source: "Reuters", Published: "2025-06-08", Text: text}
	for _, m := range ms {
		a.Mentions = append(a.Mentions, t.Mention(m))
	}
	Mark(&a)
	return a
}

// TestWireKeepsTheArticle checks that an article decoded from its serial
// form into another reconciliation's table is the article encoded: its
// fields, each mention's offsets, kind and strings, and what Mark read.
func TestWireKeepsTheArticle(t *testing.T) {
	t1 := NewStrings()
	a := wireSample(t1)
	if a.Mentions[3].flags&flagGeneric == 0 {
		t.Fatal(`Mark did not flag "a Wayne Rooney" as a common noun: the test checks no flag`)
	}
	// A mention whose offsets did not fit (-1) keeps them.
	a.Mentions = append(a.Mentions, t1.Mention(trawl.Mention{Type: trawl.Date, Text: "May", Value: "2025-05", Start: -1, End: -1}))
	b := AppendArticle([]byte("prefix"), &a, t1)
	t2 := NewStrings()
	t2.ID("something else") // so that the ids of the two tables differ
	var got Article
	text, err := t2.DecodeArticle("a1", b[len("prefix"):], &got)
	if err != nil {
		t.Fatal(err)
	}
	if string(text) != a.Text {
		t.Errorf("text %q, want %q", text, a.Text)
	}
	type plain struct {
		Article  Article
		Mentions []mention
		Flags    []uint8
	}
	view := func(a Article, t *Strings) plain {
		p := plain{Article: a}
		p.Article.Mentions, p.Article.Text = nil, ""
		for _, m := range a.Mentions {
			p.Mentions = append(p.Mentions, t.expand(m))
			p.Flags = append(p.Flags, m.flags)
		}
		return p
	}
	if diff := cmp.Diff(view(a, t1), view(got, t2), cmp.AllowUnexported(Article{})); diff != "" {
		t.Errorf("decoded article differs (-encoded +decoded):\n%s", diff)
	}
	if !got.marked {
		t.Error("the decoded article is not marked")
	}
	if text, n, err := ArticleText(b[len("prefix"):]); err != nil || text != a.Text || n != len(a.Mentions) {
		t.Errorf("ArticleText = %q, %d, %v; want the text and %d mentions", text, n, err, len(a.Mentions))
	}
}

// TestWireRefusesDamage checks that every cut-short form, one with bytes
// after its end and one of another version give ErrWire, and no article.
func TestWireRefusesDamage(t *testing.T) {
	strs := NewStrings()
	a := wireSample(strs)
	b := AppendArticle(nil, &a, strs)
	for n := range len(b) {
		var got Article
		if _, err := strs.DecodeArticle("a1", b[:n], &got); !errors.Is(err, ErrWire) {
			t.Errorf("the first %d of %d bytes: error %v, want ErrWire", n, len(b), err)
		}
		if got.ID != "" || got.Mentions != nil {
			t.Errorf("the first %d of %d bytes gave an article %+v", n, len(b), got)
		}
	}
	var got Article
	if _, err := strs.DecodeArticle("a1", append(b, 0), &got); !errors.Is(err, ErrWire) {
		t.Errorf("a byte after the end: error %v, want ErrWire", err)
	}
	other := append([]byte{wireVersion + 1}, b[1:]...)
	if _, err := strs.DecodeArticle("a1", other, &got); !errors.Is(err, ErrWire) {
		t.Errorf("another version: error %v, want ErrWire", err)
	}
	if _, _, err := ArticleText(other); !errors.Is(err, ErrWire) {
		t.Errorf("ArticleText of another version: error %v, want ErrWire", err)
	}
}

// FuzzDecodeArticle checks that no input makes the decoder panic or
// return an article with an error.
func FuzzDecodeArticle(f *testing.F) {
	strs := NewStrings()
	a := wireSample(strs)
	f.Add(AppendArticle(nil, &a, strs))
	f.Add([]byte{wireVersion, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		var got Article
		if _, err := NewStrings().DecodeArticle("x", b, &got); err != nil && (got.ID != "" || got.Mentions != nil) {
			t.Errorf("error %v with an article %+v", err, got)
		}
		_, _, _ = ArticleText(b)
	})
}
