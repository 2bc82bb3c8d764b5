package lexicon

import (
	"slices"
	"strings"
	"sync"
)

// titleKind is a set of the kinds of title titles.txt gives a title.
type titleKind uint8

// The kinds of titles.txt.
const (
	kindName      titleKind = 1 << iota // written next to a person's name
	kindHead                            // an office so prominent that a surname under it stands alone
	kindUnique                          // held by one person at a time
	kindQualifier                       // qualifies a title ("former")
)

var kindNames = map[string]titleKind{"name": kindName, "head": kindHead, "unique": kindUnique, "qualifier": kindQualifier}

// titleTable is titles.txt: lower-cased title -> its kinds, the spelling of
// each title of kind "name" as written, and the qualifiers, in file order.
type titleTable struct {
	kinds      map[string]titleKind
	written    []string // the "name" titles as written in the file
	qualifiers []string // the "qualifier" titles, lower case
}

var titles = sync.OnceValue(func() *titleTable {
	t := &titleTable{kinds: map[string]titleKind{}}
	for _, c := range Columns("titles.txt") {
		if len(c) != 2 {
			panic("lexicon: titles.txt: want TITLE<TAB>KINDS, got " + strings.Join(c, "<TAB>"))
		}
		title := strings.Join(strings.Fields(c[0]), " ")
		key := lowerASCII(title)
		for _, name := range strings.Fields(c[1]) {
			k, ok := kindNames[name]
			if !ok {
				panic("lexicon: titles.txt: " + title + ": unknown kind " + name)
			}
			t.kinds[key] |= k
			switch k {
			case kindName:
				t.written = append(t.written, title)
			case kindQualifier:
				t.qualifiers = append(t.qualifiers, key)
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
func titleIs(title string, kind titleKind) bool {
	return titles().kinds[lowerASCII(strings.Join(strings.Fields(title), " "))]&kind != 0
}

// HeadTitle reports whether role names an office so prominent that a
// surname under it ("President Trump") must not be tied to a full name of
// the same article given no such title ("Eric Trump"); extraction and
// reconciliation both use it, so they agree.
func HeadTitle(role string) bool { return titles().kinds[strings.ToLower(role)]&kindHead != 0 }

// UniqueTitle reports whether title, lower case without its country
// ("treasury secretary"), is held by one person at a time, so two people
// given it at the same time is a role discrepancy.
func UniqueTitle(title string) bool { return titleIs(title, kindUnique) }

// TitleQualifiers returns the words that qualify a title without being part
// of the role or the name ("former", "acting"), lower case, in file order.
func TitleQualifiers() []string { return slices.Clone(titles().qualifiers) }

// offices is offices.txt: exact titles and "* " suffixes -> their class.
type officeTable struct {
	exact, suffix map[string]string
}

var offices = sync.OnceValue(func() *officeTable {
	t := &officeTable{exact: map[string]string{}, suffix: map[string]string{}}
	for _, c := range Columns("offices.txt") {
		if len(c) != 2 {
			panic("lexicon: offices.txt: want TITLE<TAB>CLASS, got " + strings.Join(c, "<TAB>"))
		}
		title := strings.Join(strings.Fields(c[0]), " ")
		if rest, ok := strings.CutPrefix(title, "* "); ok {
			t.suffix[lowerASCII(rest)] = c[1]
		} else {
			t.exact[lowerASCII(title)] = c[1]
		}
	}
	return t
})

// OfficeClass returns the class of office (offices.txt: "head", "minister",
// "chair"...) that title, lower case without country words, names, or ""
// when it names no office one person holds one of at a time ("actor",
// "boss"). An exact title wins over a suffix ("prime minister" is head, not
// minister); a title with a rank word before the office ("vice president")
// is matched whole only, so it is no office here.
func OfficeClass(title string) string {
	t := offices()
	title = lowerASCII(strings.Join(strings.Fields(title), " "))
	if c, ok := t.exact[title]; ok {
		return c
	}
	words := strings.Fields(title)
	if len(words) < 2 {
		return ""
	}
	switch words[0] {
	case "vice", "deputy", "assistant", "under", "associate", "shadow", "junior", "acting", "former":
		return ""
	}
	if c, ok := t.suffix[words[len(words)-1]]; ok {
		return c
	}
	return ""
}
