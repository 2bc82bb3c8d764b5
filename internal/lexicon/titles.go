package lexicon

import (
	"strings"
	"sync"
)

// titleTable is titles.txt: lower-cased title -> its kinds, and the spelling
// of each title of kind "name" as written.
type titleTable struct {
	kinds   map[string]map[string]bool
	written []string // the "name" titles as written in the file, in file order
}

var titles = sync.OnceValue(func() *titleTable {
	t := &titleTable{kinds: map[string]map[string]bool{}}
	for _, c := range Columns("titles.txt") {
		if len(c) != 2 {
			panic("lexicon: titles.txt: want TITLE<TAB>KINDS, got " + strings.Join(c, "<TAB>"))
		}
		title := strings.Join(strings.Fields(c[0]), " ")
		key := lowerASCII(title)
		if t.kinds[key] == nil {
			t.kinds[key] = map[string]bool{}
		}
		for _, k := range strings.Fields(c[1]) {
			t.kinds[key][k] = true
			if k == "name" {
				t.written = append(t.written, title)
			}
		}
	}
	return t
})

// Titles returns the titles and roles written next to a person's name, as
// the PERSON extractor matches them: lower-cased title (words joined by one
// space) -> whether it matches in any case (written with a capital in the
// lexicon) rather than only in lower case ("analyst").
func Titles() map[string]bool {
	m := map[string]bool{}
	for _, w := range titles().written {
		key := lowerASCII(w)
		m[key] = m[key] || key != w
	}
	return m
}

// titleIs reports whether title, compared in lower case with its spaces
// collapsed, is of the kind.
func titleIs(title, kind string) bool {
	return titles().kinds[lowerASCII(strings.Join(strings.Fields(title), " "))][kind]
}

// HeadTitle reports whether role names an office so prominent that a
// surname under it ("President Trump") must not be tied to a full name of
// the same article given no such title ("Eric Trump"); extraction and
// reconciliation both use it, so they agree.
func HeadTitle(role string) bool { return titles().kinds[strings.ToLower(role)]["head"] }

// UniqueTitle reports whether title, lower case without its country
// ("treasury secretary"), is held by one person at a time, so two people
// given it at the same time is a role discrepancy.
func UniqueTitle(title string) bool { return titleIs(title, "unique") }

// TitleQualifiers returns the words that qualify a title without being part
// of the role or the name ("former", "acting"), lower case, in file order.
func TitleQualifiers() []string {
	var out []string
	for _, c := range Columns("titles.txt") {
		if strings.Contains(" "+c[1]+" ", " qualifier ") {
			out = append(out, lowerASCII(strings.Join(strings.Fields(c[0]), " ")))
		}
	}
	return out
}
