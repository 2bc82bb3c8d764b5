package index

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzQuery drives the whole query parser, the text and every filter, as the
// web API and the CLI pass them through: no panic, no hang, at most a page of
// hits (never more than 100), never more hits than the total, and snippets
// that are valid UTF-8.
func FuzzQuery(f *testing.F) {
	seeds := []struct {
		text, person, commodity, source, from, to, sort string
		limit, offset                                   int
	}{
		{"Bessent", "", "", "", "", "", "", 10, 0},
		{`+tariffs -"rare earth"`, "Scott Bessent", "steel", "", "2025-01-01", "2025-12-31", "date", 5, 0},
		{`person:"He Lifeng" soyb*`, "", "", "Farm News", "", "", "relevance", 0, 3},
		{`published:>"2025" /re.*/ tarif~2`, "", "", "", "2025-06-31", "2025-02-30", "", 200, -5},
		{`"unterminated`, "\\", "::", "", "last week", "", "sideways", -1, 1 << 30},
		{`\\\"` + strings.Repeat("(", 200), strings.Repeat("Scott ", 50), "", "", "", "", "", 100, 99},
		{"title: text: source:", "", "", "", "0000-00-00", "9999-12-31", "", 1, 0},
		{strings.Repeat("a* ", 100), "", "", "", "", "", "", 10, 0},
		{"\xff\xfe Bess\u00e9nt", "\xff", "\xfe", "", "", "", "", 10, 0},
	}
	for _, s := range seeds {
		f.Add(s.text, s.person, s.commodity, s.source, s.from, s.to, s.sort, s.limit, s.offset)
	}
	ix, _ := newTestIndex(f)
	f.Fuzz(func(t *testing.T, text, person, commodity, source, from, to, sort string, limit, offset int) {
		q := Query{Text: text, From: from, To: to, Sort: sort, Limit: limit, Offset: offset}
		if person != "" {
			q.People = []string{person}
		}
		if commodity != "" {
			q.Commodities = []string{commodity}
		}
		if source != "" {
			q.Sources = []string{source}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		r, err := ix.Search(ctx, q)
		if err != nil {
			if !utf8.ValidString(err.Error()) && utf8.ValidString(text+person+commodity+source+from+to+sort) {
				t.Errorf("Search(%+v): error message is not valid UTF-8: %q", q, err)
			}
			return
		}
		if len(r.Hits) > 100 {
			t.Errorf("Search(%+v): %d hits on one page, the cap is 100", q, len(r.Hits))
		}
		if limit > 0 && len(r.Hits) > limit {
			t.Errorf("Search(%+v): %d hits, limit %d", q, len(r.Hits), limit)
		}
		if uint64(len(r.Hits)) > r.Total {
			t.Errorf("Search(%+v): %d hits, total %d", q, len(r.Hits), r.Total)
		}
		for _, h := range r.Hits {
			if !utf8.ValidString(h.Snippet) {
				t.Errorf("Search(%+v): hit %s snippet %q is not valid UTF-8", q, h.ID, h.Snippet)
			}
		}
	})
}

// FuzzUnescapeQuery checks the escape remover the clause splitter relies
// on: never longer than its input, the identity without backslashes, and an
// escaped string comes back as it was.
func FuzzUnescapeQuery(f *testing.F) {
	for _, s := range []string{`plain`, `a\:b`, `\\`, `\`, `trailing\`, `"quoted \" phrase"`, "\xff\\\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u := unescapeQuery(s)
		if len(u) > len(s) {
			t.Errorf("unescapeQuery(%q) = %q: longer than its input", s, u)
		}
		if !strings.Contains(s, `\`) && u != s {
			t.Errorf("unescapeQuery(%q) = %q: changed a string without escapes", s, u)
		}
		var esc strings.Builder
		for i := 0; i < len(s); i++ {
			if strings.IndexByte(specialChars+`+-&\ `, s[i]) >= 0 {
				esc.WriteByte('\\')
			}
			esc.WriteByte(s[i])
		}
		if got := unescapeQuery(esc.String()); got != s {
			t.Errorf("unescapeQuery(escape(%q)) = %q", s, got)
		}
	})
}
