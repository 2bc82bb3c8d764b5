package lexicon

import (
	"slices"
	"strings"
	"sync"
)

// givenNames is people-given-names.txt.
var givenNames = sync.OnceValue(func() map[string]bool { return Set("people-given-names.txt") })

// GivenName reports whether word, lower case, is a known given name: evidence
// that a capitalised word starts a person's name ("Scott Bessent"). The list
// is wide (it holds "Xi" and "Wang", also surnames); reconciliation, which
// must tell a given name from a family name written first, asks the
// nickname table (FormalNames) instead.
func GivenName(word string) bool { return givenNames()[word] }

// GivenNames returns the known given names of GivenName, lower case. The
// map is shared: callers must not modify it.
func GivenNames() map[string]bool { return givenNames() }

// nicknames is nicknames.txt: a name -> the formal names it is a nickname
// of, itself among them when it is a formal name, in file order.
var nicknames = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	add := func(name, formal string) {
		if !slices.Contains(m[name], formal) {
			m[name] = append(m[name], formal)
		}
	}
	for _, f := range Lines("nicknames.txt") {
		root := strings.ReplaceAll(f[0], "_", " ")
		add(root, root)
		for _, n := range f[1:] {
			add(strings.ReplaceAll(n, "_", " "), root)
		}
	}
	return m
})

// FormalNames returns the formal given names that name, lower case, is a
// nickname of ("bob" -> "robert"), name itself among them when it is a
// formal name too, or nil when the nickname table (nicknames.txt) does not
// list name. Reconciliation takes two given names for one when they share a
// formal name. The slice is shared: callers must not modify it.
func FormalNames(name string) []string { return nicknames()[name] }
