package index

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzSplitClauses(f *testing.F) {
	for _, s := range []string{`Bessent`, `+steel -"rare earth" source:"Farm News"`, `tarif~1 U.S.`, `"a\"b"`, `\`, `+`, `person:"Scott Besset"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cs, err := splitClauses(s)
		if err != nil {
			return
		}
		for _, c := range cs {
			if c.body == "" {
				t.Errorf("splitClauses(%q): empty clause %+v", s, c)
			}
			if !strings.Contains(s, c.body) {
				t.Errorf("splitClauses(%q): clause %q is not in the input", s, c.body)
			}
		}
	})
}

func FuzzFragments(f *testing.F) {
	f.Add("Treasury Secretary Scott Besset said <b>no</b>.\nThe talks resume.", 19, 31, 40, 45)
	f.Add("é"+strings.Repeat("ü ", 300), 1, 3, 200, 205)
	f.Fuzz(func(t *testing.T, text string, s1, e1, s2, e2 int) {
		if !utf8.ValidString(text) {
			return
		}
		parts := fragments(text, []span{{s1, e1}, {s2, e2}})
		for i, p := range parts {
			if !utf8.ValidString(p) {
				t.Errorf("fragments(%q): part %d %q is not valid UTF-8", text, i, p)
			}
			if i%2 == 1 && p == "" {
				t.Errorf("fragments(%q): empty match at part %d", text, i)
			}
		}
		h := snippetHTML(parts)
		if strings.Count(h, "<mark>") != len(parts)/2 || strings.Count(h, "<") != 2*(len(parts)/2) {
			t.Errorf("snippetHTML(%q) = %q: markup other than the marks", parts, h)
		}
	})
}

func FuzzSearch(f *testing.F) {
	for _, s := range []string{`Bessent`, `+Besset -steel`, `"Jamie Greer" tariffs`, `person:"He Lifeng"`, `published:>"2025"`, `soyb*`, `/re.*/`, `title:`} {
		f.Add(s)
	}
	ix, _ := newTestIndex(f)
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ix.Search(context.Background(), Query{Text: s})
		if err != nil {
			return
		}
		if uint64(len(r.Hits)) > r.Total {
			t.Errorf("Search(%q): %d hits, total %d", s, len(r.Hits), r.Total)
		}
	})
}
