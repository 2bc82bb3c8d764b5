package reconcile

import (
	"bufio"
	"embed"
	"strings"
	"sync"
)

//go:embed data/*.txt
var dataFS embed.FS

// lexicon holds the embedded word lists reconciliation relies on.
type lexicon struct {
	// nick maps a given name to the formal names it is a nickname of, and a
	// formal name to itself.
	nick         map[string][]string
	givenNames   map[string]bool
	uniqueTitles map[string]bool
	events       map[string]string
	stop         map[string]bool
	common       map[string]bool
}

// lex is built once, on first use.
var lex = sync.OnceValue(func() *lexicon {
	l := &lexicon{
		nick:         map[string][]string{},
		givenNames:   map[string]bool{},
		uniqueTitles: map[string]bool{},
		events:       map[string]string{},
		stop:         map[string]bool{},
		common:       map[string]bool{},
	}
	for _, f := range dataLines("data/nicknames.txt") {
		root := strings.ReplaceAll(f[0], "_", " ")
		l.givenNames[root] = true
		l.nick[root] = appendUnique(l.nick[root], root)
		for _, n := range f[1:] {
			n = strings.ReplaceAll(n, "_", " ")
			l.givenNames[n] = true
			l.nick[n] = appendUnique(l.nick[n], root)
		}
	}
	for _, f := range dataLines("data/unique-titles.txt") {
		l.uniqueTitles[strings.Join(f, " ")] = true
	}
	for _, f := range dataLines("data/events.txt") {
		for _, w := range f[1:] {
			l.events[w] = f[0]
		}
	}
	for _, f := range dataLines("data/stopwords.txt") {
		for _, w := range f {
			l.stop[w] = true
		}
	}
	for _, f := range dataLines("data/common-words.txt") {
		for _, w := range f {
			l.common[w] = true
		}
	}
	return l
})

// dataLines returns the fields of each non-comment, non-blank line of an
// embedded data file. The files are part of the binary, so a read error is a
// build defect and panics.
func dataLines(name string) [][]string {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		panic("reconcile: embedded " + name + ": " + err.Error())
	}
	var out [][]string
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, strings.Fields(line))
	}
	return out
}

func appendUnique[T comparable](s []T, v T) []T {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// nicknames reports whether two given names are the same name by the
// nickname table: one is a nickname of the other, or both are nicknames of
// the same formal name.
func nicknames(a, b string) bool {
	l := lex()
	ra, rb := l.nick[a], l.nick[b]
	for _, x := range ra {
		if x == b {
			return true
		}
		for _, y := range rb {
			if x == y {
				return true
			}
		}
	}
	for _, y := range rb {
		if y == a {
			return true
		}
	}
	return false
}
