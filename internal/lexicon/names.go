package lexicon

import (
	"slices"
	"strings"
	"sync"
)

// givenNames is people-given-names.txt: the one list of given names, which
// extraction and reconciliation both ask.
var givenNames = sync.OnceValue(func() map[string]bool { return Set("people-given-names.txt") })

// surnames is people-surnames.txt.
var surnames = sync.OnceValue(func() map[string]bool { return Set("people-surnames.txt") })

// GivenName reports whether word, lower case, is a known given name: evidence
// that a capitalised word starts a person's name ("Scott Bessent") for the
// extractor, and that a one-word name is a given name rather than a surname
// for reconciliation. It is the one given-name source: the nickname table
// only relates the forms of the names this list holds (FormalNames). The list
// is wide: it holds "Xi" and "Wang", which are also family names written
// first; Surname tells those apart.
func GivenName(word string) bool { return givenNames()[word] }

// GivenNames returns the known given names of GivenName, lower case. The
// map is shared: callers must not modify it.
func GivenNames() map[string]bool { return givenNames() }

// Surname reports whether word, lower case, is a frequent surname
// (people-surnames.txt): "xi", "wang" and "thomas" are, "bessent" is not.
func Surname(word string) bool { return surnames()[word] }

// nameForms is nicknames.txt, read once: formal -> its nicknames, and
// name -> the formal names it is a nickname of (itself among them when it
// is a formal name), each in file order, only for the names GivenName holds.
type nameForms struct {
	formals   map[string][]string
	nicknames map[string][]string
}

var forms = sync.OnceValue(func() *nameForms {
	t := &nameForms{formals: map[string][]string{}, nicknames: map[string][]string{}}
	add := func(m map[string][]string, k, v string) {
		if !slices.Contains(m[k], v) {
			m[k] = append(m[k], v)
		}
	}
	known := func(n string) bool { return GivenName(n) || strings.Contains(n, " ") }
	for _, f := range Lines("nicknames.txt") {
		root := strings.ReplaceAll(f[0], "_", " ")
		if !known(root) {
			continue
		}
		add(t.formals, root, root)
		for _, n := range f[1:] {
			n = strings.ReplaceAll(n, "_", " ")
			if !known(n) {
				continue
			}
			add(t.formals, n, root)
			add(t.nicknames, root, n)
		}
	}
	return t
})

// FormalNames returns the formal given names that name, lower case, is a
// nickname of ("bob" -> "robert"), name itself among them when it is a
// formal name too, or nil when the nickname table (nicknames.txt) does not
// list name or GivenName does not know it (the table also lists words such
// as "than" and "governor", which the given-name list leaves out). The slice
// is shared: callers must not modify it.
func FormalNames(name string) []string { return forms().formals[name] }

// Nicknames returns the nicknames the nickname table lists for the formal
// name formal ("robert" -> "bill", "bob", ...), lower case, or nil. The slice
// is shared: callers must not modify it.
func Nicknames(formal string) []string { return forms().nicknames[formal] }
