package index

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// maxSuggestions is how many known values an unknown filter value's error
// names.
const maxSuggestions = 3

// knownTerm reports whether the index holds term in field.
func (ix *Index) knownTerm(field, term string) (bool, error) {
	terms, err := ix.termsWithPrefix(field, term)
	if err != nil {
		return false, err
	}
	_, found := slices.BinarySearch(terms, term)
	return found, nil
}

// fieldTerms lists every term of field, in every shard, sorted and distinct.
func (ix *Index) fieldTerms(field string) ([]string, error) {
	return ix.termsWithPrefix(field, "")
}

// candidate is a known filter value: how an error shows it, and the
// strings a mistyped value is compared with.
type candidate struct {
	label string
	keys  []string
}

// unknownFilter is the error for a filter value the index does not know:
// what, the value, and the closest known values by edit distance.
func unknownFilter(what, v string, known []candidate) error {
	type scored struct {
		label string
		d     int
	}
	key := strings.ToLower(v)
	ss := make([]scored, 0, len(known))
	for _, k := range known {
		d := -1
		for _, s := range k.keys {
			if e := editDistance(key, strings.ToLower(s)); d < 0 || e < d {
				d = e
			}
		}
		ss = append(ss, scored{k.label, d})
	}
	slices.SortFunc(ss, func(a, b scored) int { return cmp.Or(cmp.Compare(a.d, b.d), strings.Compare(a.label, b.label)) })
	var near []string
	for _, s := range ss[:min(maxSuggestions, len(ss))] {
		near = append(near, s.label)
	}
	if len(near) == 0 {
		return badQueryf("%s %q: no article has it (the store has none)", what, v)
	}
	return badQueryf("%s %q: no article has it; the closest known: %s", what, v, strings.Join(near, ", "))
}

// checkPerson fails for a person filter value that names nobody: not an
// entity id, a name, a variant or a surname of anyone the index knows.
func (ix *Index) checkPerson(v string, ids []string) error {
	for _, id := range ids {
		if id != v {
			return nil // a name resolved
		}
	}
	if ok, err := ix.knownTerm(fieldPerson, v); ok || err != nil {
		return err
	}
	p, err := ix.lookup()
	if err != nil {
		return err
	}
	names := map[string]string{}
	if p != nil {
		names = p.Canonical
	} else {
		ids, err := ix.fieldTerms(fieldPerson)
		if err != nil {
			return err
		}
		for _, id := range ids {
			names[id] = id
		}
	}
	known := make([]candidate, 0, len(names))
	for id, n := range names {
		label := id
		if n != "" && n != id {
			label = n + " (" + id + ")"
		}
		known = append(known, candidate{label, []string{id, n}})
	}
	return unknownFilter("person", v, known)
}

// checkTerms fails for a value found in none of fields, naming the closest
// terms of those fields.
func (ix *Index) checkTerms(what, v string, fields ...string) error {
	var known []string
	for _, f := range fields {
		if ok, err := ix.knownTerm(f, v); ok || err != nil {
			return err
		}
		ts, err := ix.fieldTerms(f)
		if err != nil {
			return err
		}
		known = append(known, ts...)
	}
	slices.Sort(known)
	var cs []candidate
	for _, k := range slices.Compact(known) {
		cs = append(cs, candidate{fmt.Sprintf("%q", k), []string{k}})
	}
	return unknownFilter(what, v, cs)
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
