package reconcile

import (
	"strings"
	"testing"

	"github.com/trawlnews/trawl"
)

// spec describes a mention by its text; its offsets are found in the
// article text (the nth occurrence, counted from 0, after earlier specs of
// the same text).
type spec struct {
	kind    trawl.Kind
	text    string
	entity  string
	role    string
	value   string
	subject string
	from    string
	change  string
	nth     int // skip this many further occurrences of text
}

// nth returns s for the (n+1)th occurrence of its text.
func (s spec) at(n int) spec { s.nth = n; return s }

func per(text, entity, role string) spec {
	return spec{kind: trawl.Person, text: text, entity: entity, role: role}
}
func date(text, value string) spec { return spec{kind: trawl.Date, text: text, value: value} }
func pct(text, value, subject string) spec {
	return spec{kind: trawl.Percent, text: text, value: value, subject: subject}
}

// article builds an article whose mentions are found by text, in order.
func article(t testing.TB, id, published, source, text string, specs ...spec) trawl.Article {
	t.Helper()
	a := trawl.Article{ID: id, Title: "Title of " + id, Source: source, Published: published, Text: text}
	next := map[string]int{}
	for _, s := range specs {
		from := next[s.text]
		start := -1
		for k := 0; k <= s.nth; k++ {
			i := strings.Index(text[from:], s.text)
			if i < 0 {
				t.Fatalf("article %s: mention %q not found", id, s.text)
			}
			start = from + i
			from = start + len(s.text)
		}
		next[s.text] = start + len(s.text)
		m := trawl.Mention{Type: s.kind, Start: start, End: start + len(s.text), Text: s.text,
			Value: s.value, Entity: s.entity, Role: s.role, Subject: s.subject, From: s.from, Change: s.change}
		if s.kind == trawl.Percent {
			m.Unit = "percent"
		}
		if s.kind == trawl.Person && m.Entity == "" {
			m.Entity = s.text
		}
		a.Mentions = append(a.Mentions, m)
	}
	return a
}

// groups returns, for each entity, its sorted variant names, as a readable
// map id -> "name|name".
func groups(r Result) map[string]string {
	out := map[string]string{}
	for _, e := range r.Entities {
		var names []string
		for _, v := range e.Variants {
			names = append(names, v.Name)
		}
		out[e.ID] = strings.Join(names, "|")
	}
	return out
}

// reconcileT reconciles arts and fails the test on an error.
func reconcileT(t testing.TB, arts []trawl.Article, opts Options) Result {
	t.Helper()
	r, err := Reconcile(t.Context(), arts, opts)
	if err != nil {
		t.Fatalf("Reconcile: %v", err)
	}
	return r
}

// ofKind returns the discrepancies of one kind, in their order.
func ofKind(ds []trawl.Discrepancy, k trawl.DiscrepancyKind) []trawl.Discrepancy {
	var out []trawl.Discrepancy
	for _, d := range ds {
		if d.Kind == k {
			out = append(out, d)
		}
	}
	return out
}
