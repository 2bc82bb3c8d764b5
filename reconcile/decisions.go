package reconcile

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Op is the operation of a user decision.
type Op string

// The decision operations.
const (
	OpMerge  Op = "merge"  // merge A B: A and B are the same person
	OpSplit  Op = "split"  // split A V: the spelling V of A is someone else
	OpRename Op = "rename" // rename A N: call A by the name N
)

// Ops lists every decision operation.
var Ops = []Op{OpMerge, OpSplit, OpRename}

// Decision is one user decision. A and B name entities by id or by any of
// their spellings; names survive id changes when more articles arrive.
type Decision struct {
	Op Op     `json:"op"`
	A  string `json:"a"`
	B  string `json:"b"`
	// ID is, for a rename, the entity id when it was decided: the renamed
	// entity keeps it, so links and commands that name it go on working.
	ID string `json:"id,omitempty"`
}

// String is the decision as the user would type it ("merge A B", values
// with spaces quoted); entities and discrepancies cite decisions this way.
func (d Decision) String() string { return string(d.Op) + " " + quoteArg(d.A) + " " + quoteArg(d.B) }

// Decisions are a user's merge, split and rename decisions, in the order
// they are applied. The zero value holds none.
type Decisions struct {
	list []Decision
}

// Add records a decision of any operation, as Merge, Split or Rename do; it
// fails on an operation that is not one of Ops.
func (d *Decisions) Add(x Decision) error {
	if !slices.Contains(Ops, x.Op) {
		return fmt.Errorf("reconcile: decision %q: want merge, split or rename", x.Op)
	}
	d.add(x)
	return nil
}

// Merge records that the entities a and b (ids or names) are one person.
func (d *Decisions) Merge(a, b string) { d.add(Decision{Op: OpMerge, A: a, B: b}) }

// Split records that the spelling variant grouped under id is someone else.
func (d *Decisions) Split(id, variant string) { d.add(Decision{Op: OpSplit, A: id, B: variant}) }

// Rename records that the entity id is to be called name, and is to keep
// the id.
func (d *Decisions) Rename(id, name string) { d.add(Decision{OpRename, id, name, id}) }

// Remove deletes the i-th decision (0-based) of List; it reports whether
// there was one.
func (d *Decisions) Remove(i int) bool {
	if d == nil || i < 0 || i >= len(d.list) {
		return false
	}
	d.list = slices.Delete(d.list, i, i+1)
	return true
}

// List returns the decisions in the order they are applied.
func (d *Decisions) List() []Decision {
	if d == nil {
		return nil
	}
	return slices.Clone(d.list)
}

func (d *Decisions) add(x Decision) {
	x.A, x.B = strings.TrimSpace(x.A), strings.TrimSpace(x.B)
	if x.Op == OpRename {
		// A later rename of the same entity replaces the earlier one.
		d.list = slices.DeleteFunc(d.list, func(y Decision) bool { return y.Op == OpRename && y.A == x.A })
	}
	if !slices.Contains(d.list, x) {
		d.list = append(d.list, x)
	}
}

// Bind checks the decisions against a result and replaces entity ids by a
// name of the entity (the spelling its id was made from, else its canonical
// name), so the decisions still apply when ids change. It
// returns an error naming the references that match no entity.
func (d *Decisions) Bind(r Result) error {
	byID := map[string]string{}
	names := map[string]bool{}
	for _, e := range r.Entities {
		// The spelling the id was made from, which a rename does not
		// change, else the canonical name.
		byID[e.ID] = e.Canonical
		for _, v := range e.Variants {
			if slug(v.Name) == e.ID {
				byID[e.ID] = v.Name
				break
			}
		}
		names[slug(e.Canonical)] = true
		for _, v := range e.Variants {
			names[slug(v.Name)] = true
		}
	}
	var missing []string
	bind := func(s string) string {
		if c, ok := byID[s]; ok {
			return c
		}
		if !names[slug(s)] {
			missing = append(missing, strconv.Quote(s))
		}
		return s
	}
	for i := range d.list {
		x := &d.list[i]
		x.A = bind(x.A)
		if x.Op == OpMerge {
			x.B = bind(x.B)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("reconcile: decisions: no entity matches %s", strings.Join(missing, ", "))
	}
	return nil
}

func quoteArg(s string) string {
	if s == "" || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '"' || r == '#' }) {
		return strconv.Quote(s)
	}
	return s
}

// apply carries out the decisions on the automatically grouped people.
func (c *collation) apply(d *Decisions) {
	for _, x := range d.list {
		switch x.Op {
		case OpSplit:
			p := c.find(x.A)
			if p == nil {
				continue
			}
			key := slug(x.B)
			var out, keep []mentionRef
			for _, r := range p.refs {
				if slug(c.strs.String(c.arts[r.art].Mentions[r.idx].Text)) == key {
					out = append(out, r)
				} else {
					keep = append(keep, r)
				}
			}
			if len(out) == 0 || len(keep) == 0 {
				continue
			}
			p.refs = keep
			p.decided = append(p.decided, x.String())
			np := &person{refs: out, decided: []string{x.String()}}
			c.people = append(c.people, np)
			c.describe(p)
			c.describe(np)
		case OpMerge:
			p, q := c.find(x.A), c.find(x.B)
			if p == nil || q == nil || p == q {
				continue
			}
			p.refs = append(p.refs, q.refs...)
			p.decided = append(append(p.decided, q.decided...), x.String())
			if p.renamed == "" {
				p.renamed, p.keepID = q.renamed, q.keepID
			}
			c.people = slices.DeleteFunc(c.people, func(o *person) bool { return o == q })
			c.describe(p)
		case OpRename:
			p := c.find(x.A)
			if p == nil || strings.TrimSpace(x.B) == "" {
				continue
			}
			p.renamed, p.keepID = x.B, x.ID
			p.decided = append(p.decided, x.String())
			c.describe(p)
		}
		c.assignIDs()
	}
}

// find returns the person a reference names: by id, else by the slug of
// its canonical name, else of a full spelling, else of any spelling; the
// person with most mentions wins a tie.
func (c *collation) find(ref string) *person {
	for _, p := range c.people {
		if p.id == ref {
			return p
		}
	}
	key := slug(ref)
	for pass := 0; pass < 3; pass++ {
		var best *person
		for _, p := range c.people {
			hit := false
			switch pass {
			case 0:
				hit = slug(p.canonical) == key
			default:
				for _, v := range p.variants {
					if slug(v.display) == key && (pass == 2 || !v.name.single()) {
						hit = true
					}
				}
			}
			if hit && (best == nil || len(p.refs) > len(best.refs)) {
				best = p
			}
		}
		if best != nil {
			return best
		}
	}
	return nil
}
