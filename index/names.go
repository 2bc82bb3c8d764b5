package index

import (
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/trawlnews/trawl"
)

// nameTokens splits a name or query words into lower-case tokens, dropping
// the punctuation around them ("Scott  Bessent," -> [scott bessent];
// "J.D." -> [jd]).
func nameTokens(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == ';' || r == '"' || r == '(' || r == ')'
	})
	out := f[:0]
	for _, t := range f {
		t = strings.Map(func(r rune) rune {
			if r == '.' {
				return -1
			}
			if r == '’' {
				return '\''
			}
			return r
		}, t)
		t = strings.Trim(t, "'-:")
		if t != "" {
			out = append(out, t)
		}
	}
	return out
}

// Keys of the person_key field: "n:<name tokens>|<id>" for every canonical
// or variant name of a person, and "s:<last token>|<id>" for the surname of
// multi-word names. A prefix lookup in the field's term dictionary resolves
// a name or a surname to the ids of the people so named, in any article.
const (
	keyName    = "n:"
	keySurname = "s:"
	keySep     = "|"
)

// personKeys are the person_key terms of p.
func personKeys(p Person) []string {
	var keys []string
	for _, n := range append([]string{p.Canonical}, p.Variants...) {
		toks := nameTokens(n)
		if len(toks) == 0 {
			continue
		}
		keys = append(keys, keyName+strings.Join(toks, " ")+keySep+p.ID)
		if len(toks) > 1 {
			keys = append(keys, keySurname+toks[len(toks)-1]+keySep+p.ID)
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// entityCache is a lookup of the people of a Query.Entities slice by name
// and by surname, kept for the next query with the same slice.
type entityCache struct {
	first   *trawl.Entity
	n       int
	ids     map[string]bool
	names   map[string][]string // name tokens joined by " " -> ids
	surname map[string][]string // last token of a multi-word name -> ids
}

func newEntityCache(ents []trawl.Entity) *entityCache {
	c := &entityCache{
		n:       len(ents),
		ids:     map[string]bool{},
		names:   map[string][]string{},
		surname: map[string][]string{},
	}
	if len(ents) > 0 {
		c.first = &ents[0]
	}
	for _, e := range ents {
		if e.Type != "" && e.Type != trawl.Person {
			continue
		}
		c.ids[e.ID] = true
		p := Person{ID: e.ID, Canonical: e.Canonical}
		for _, v := range e.Variants {
			p.Variants = append(p.Variants, v.Name)
		}
		for _, k := range personKeys(p) {
			name, id, _ := strings.Cut(k[2:], keySep)
			if strings.HasPrefix(k, keyName) {
				c.names[name] = append(c.names[name], id)
			} else {
				c.surname[name] = append(c.surname[name], id)
			}
		}
	}
	return c
}

// entityLookup returns the lookup for ents, reusing the last one when ents
// is the same slice. Callers must not modify a slice they have passed in a
// Query.
func (ix *Index) entityLookup(ents []trawl.Entity) *entityCache {
	if len(ents) == 0 {
		return nil
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if c := ix.entities; c != nil && c.first == &ents[0] && c.n == len(ents) {
		return c
	}
	lastEntities.Lock()
	c := lastEntities.c
	if c == nil || c.first != &ents[0] || c.n != len(ents) {
		c = newEntityCache(ents)
		lastEntities.c = c
	}
	lastEntities.Unlock()
	ix.entities = c
	return c
}

// lastEntities is the lookup built for the latest Query.Entities slice of
// any Index: the web server opens the index for each request and passes the
// same slice every time, so the lookup (most of a search's cost over a store
// with thousands of people) is built once, not per request. A lookup is
// never changed once built, so sharing it is safe.
var lastEntities struct {
	sync.Mutex
	c *entityCache
}

// resolveName returns the sorted ids of the people named by toks: a full
// canonical or variant name, or, when surname is set and toks is one word,
// the surname of a multi-word name. It consults the index's person_key
// dictionary and the query's entities.
func (ix *Index) resolveName(toks []string, surname bool, ents *entityCache) ([]string, error) {
	if len(toks) == 0 {
		return nil, nil
	}
	name := strings.Join(toks, " ")
	var ids []string
	prefixes := []string{keyName + name + keySep}
	if surname && len(toks) == 1 {
		prefixes = append(prefixes, keySurname+name+keySep)
	}
	for _, p := range prefixes {
		d, err := ix.idx.FieldDictPrefix(fieldPersonKey, []byte(p))
		if err != nil {
			return nil, err
		}
		for {
			e, err := d.Next()
			if err != nil {
				d.Close()
				return nil, err
			}
			if e == nil {
				break
			}
			ids = append(ids, e.Term[len(p):])
		}
		if err := d.Close(); err != nil {
			return nil, err
		}
	}
	if ents != nil {
		ids = append(ids, ents.names[name]...)
		if surname && len(toks) == 1 {
			ids = append(ids, ents.surname[name]...)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// resolvePerson returns the ids a person filter value stands for: the value
// itself as an id, plus the people it names in full or by surname.
func (ix *Index) resolvePerson(v string, ents *entityCache) ([]string, error) {
	ids, err := ix.resolveName(nameTokens(v), true, ents)
	if err != nil {
		return nil, err
	}
	ids = append(ids, v)
	slices.Sort(ids)
	return slices.Compact(ids), nil
}
