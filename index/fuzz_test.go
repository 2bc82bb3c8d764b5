package index

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSplitClauses tokenizes and parses query strings: no panic, every
// clause a non-empty part of the input.
func FuzzSplitClauses(f *testing.F) {
	for _, s := range []string{`Bessent`, `+steel -"rare earth" source:"Farm News"`, `tarif~1 U.S.`, `"a\"b"`, `\`, `+`, `person:"Scott Besset"`,
		`(Blair OR Brown) AND NOT tariffs`, `-(a b) /(x|y)/`, `NOT`, `((`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parseQuery(s) // must not panic
		toks, err := tokenize(s)
		if err != nil {
			return
		}
		for _, tok := range toks {
			if tok.kind != tokClause {
				continue
			}
			c := tok.clause
			if c.body == "" {
				t.Errorf("tokenize(%q): empty clause %+v", s, c)
			}
			if !strings.Contains(s, c.body) {
				t.Errorf("tokenize(%q): clause %q is not in the input", s, c.body)
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
