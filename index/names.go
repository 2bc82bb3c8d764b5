package index

import (
	"encoding/json"
	"fmt"
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
// or variant name of a person, "s:<last token>|<id>" for the surname of
// multi-word names, and "c:<last token>|<id>" for the surname of the
// canonical name alone. A prefix lookup in the field's term dictionary
// resolves a name or a surname to the ids of the people so named, in any
// article.
const (
	keyName      = "n:"
	keySurname   = "s:"
	keyCanonical = "c:"
	keySep       = "|"
)

// personKeys are the person_key terms of p.
func personKeys(p Person) []string {
	var keys []string
	if toks := nameTokens(p.Canonical); len(toks) > 1 {
		keys = append(keys, keyCanonical+toks[len(toks)-1]+keySep+p.ID)
	}
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

// peopleKey holds, inside the index, the names of the store's people (see
// SetPeople), so that a search resolves names without its caller loading
// the entities.
var peopleKey = []byte("trawl_people")

// people is the lookup of the store's people by name and by surname, as
// written by SetPeople and read once per open Index.
type people struct {
	// Names maps name tokens joined by " " to the ids of the people so
	// named; Surnames the last token of a multi-word name.
	Names    map[string][]string `json:"names"`
	Surnames map[string][]string `json:"surnames"`
	// CanonicalSurnames maps the last token of multi-word canonical names
	// to the ids of the people so named.
	CanonicalSurnames map[string][]string `json:"canonical_surnames,omitempty"`
	// Canonical maps an entity id to its canonical name.
	Canonical map[string]string `json:"canonical"`
}

// peopleOf builds the lookup of ents.
func peopleOf(ents []trawl.Entity) *people {
	c := &people{
		Names:             map[string][]string{},
		Surnames:          map[string][]string{},
		CanonicalSurnames: map[string][]string{},
		Canonical:         make(map[string]string, len(ents)),
	}
	for _, e := range ents {
		c.Canonical[e.ID] = e.Canonical
		if e.Type != "" && e.Type != trawl.Person {
			continue
		}
		p := Person{ID: e.ID, Canonical: e.Canonical}
		for _, v := range e.Variants {
			p.Variants = append(p.Variants, v.Name)
		}
		for _, k := range personKeys(p) {
			name, id, _ := strings.Cut(k[2:], keySep)
			switch k[:2] {
			case keyName:
				c.Names[name] = append(c.Names[name], id)
			case keySurname:
				c.Surnames[name] = append(c.Surnames[name], id)
			case keyCanonical:
				c.CanonicalSurnames[name] = append(c.CanonicalSurnames[name], id)
			}
		}
	}
	return c
}

// SetPeople records the reconciled people in the index, so that searches
// match any of their names and variants and Names can label them. The
// refresh that writes the documents calls it with the same entities.
func (ix *Index) SetPeople(ents []trawl.Entity) error {
	if ix.readOnly {
		return fmt.Errorf("index: set people %s: %w", ix.path, ErrReadOnly)
	}
	lookup := peopleOf(ents)
	raw, err := json.Marshal(lookup)
	if err != nil {
		return fmt.Errorf("index: set people %s: %w", ix.path, err)
	}
	if err := ix.shards[0].SetInternal(peopleKey, raw); err != nil {
		return fmt.Errorf("index: set people %s: %w", ix.path, err)
	}
	// Read back on first use rather than kept: a refresh, which writes the
	// people, rarely searches, and its memory is tight.
	ix.mu.Lock()
	ix.people = sync.OnceValues(ix.loadPeople)
	ix.mu.Unlock()
	return nil
}

// lookup returns the people of the index, loading them on first use.
func (ix *Index) lookup() (*people, error) {
	ix.mu.Lock()
	load := ix.people
	ix.mu.Unlock()
	return load()
}

// loadPeople reads the lookup SetPeople wrote; an index written before it
// existed has none, and names then resolve through the documents alone.
func (ix *Index) loadPeople() (*people, error) {
	raw, err := ix.shards[0].GetInternal(peopleKey)
	if err != nil {
		return nil, fmt.Errorf("index: read people %s: %w", ix.path, err)
	}
	if raw == nil {
		return nil, nil
	}
	var p people
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("index: read people %s: %w", ix.path, err)
	}
	return &p, nil
}

// Names returns the canonical name of every person the index knows, by
// entity id, for labelling the person facet.
func (ix *Index) Names() (map[string]string, error) {
	p, err := ix.lookup()
	if err != nil || p == nil {
		return map[string]string{}, err
	}
	return p.Canonical, nil
}

// resolveName returns the sorted ids of the people named by toks: a full
// canonical or variant name, or, when surname is set and toks is one word,
// a surname. A surname expands through the people whose canonical name has
// it, when there are any: "Regan" names Donald Regan, not Ronald Reagan
// through an article that misspelt him "Ronald Regan"; only a surname that
// no canonical name has expands through the variants ("Besset" for Scott
// Bessent). It consults the index's person_key dictionary and the people
// recorded by SetPeople.
func (ix *Index) resolveName(toks []string, surname bool) ([]string, error) {
	if len(toks) == 0 {
		return nil, nil
	}
	name := strings.Join(toks, " ")
	ents, err := ix.lookup()
	if err != nil {
		return nil, err
	}
	ids, err := ix.personKeyIDs(keyName + name + keySep)
	if err != nil {
		return nil, err
	}
	if ents != nil {
		ids = append(ids, ents.Names[name]...)
	}
	if surname && len(toks) == 1 {
		canon, err := ix.personKeyIDs(keyCanonical + name + keySep)
		if err != nil {
			return nil, err
		}
		if ents != nil {
			canon = append(canon, ents.CanonicalSurnames[name]...)
		}
		if len(canon) > 0 {
			// The word is someone's surname: it names them, and those
			// whose whole name it is, not whoever a variant gave it.
			own := canon
			for _, id := range ids {
				if ents == nil || len(nameTokens(ents.Canonical[id])) <= 1 {
					own = append(own, id)
				}
			}
			ids = own
		} else {
			more, err := ix.personKeyIDs(keySurname + name + keySep)
			if err != nil {
				return nil, err
			}
			ids = append(ids, more...)
			if ents != nil {
				ids = append(ids, ents.Surnames[name]...)
			}
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// personKeyIDs returns the ids of the person_key terms that start with
// prefix, in dictionary order.
func (ix *Index) personKeyIDs(prefix string) ([]string, error) {
	terms, err := ix.termsWithPrefix(fieldPersonKey, prefix)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(terms))
	for i, t := range terms {
		ids[i] = t[len(prefix):]
	}
	return ids, nil
}

// resolvePerson returns the ids a person filter value stands for: the value
// itself as an id, plus the people it names in full or by surname.
func (ix *Index) resolvePerson(v string) ([]string, error) {
	ids, err := ix.resolveName(nameTokens(v), true)
	if err != nil {
		return nil, err
	}
	ids = append(ids, v)
	slices.Sort(ids)
	return slices.Compact(ids), nil
}
