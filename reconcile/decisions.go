package reconcile

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Decision operations, the first word of a line of a decisions file.
const (
	OpMerge  = "merge"  // merge A B: A and B are the same person
	OpSplit  = "split"  // split A V: the spelling V of A is someone else
	OpRename = "rename" // rename A N: call A by the name N
)

// Decision is one user decision. A and B name entities by id or by any of
// their spellings; names survive id changes when more articles arrive.
type Decision struct {
	Op string
	A  string
	B  string
}

// String is the decision as a line of the decisions file.
func (d Decision) String() string { return d.Op + " " + quoteArg(d.A) + " " + quoteArg(d.B) }

// Decisions are a user's merge/split/rename decisions, stored as a small
// human-readable file with one decision a line.
type Decisions struct {
	list []Decision
}

const decisionsHeader = `# trawl reconcile decisions: one a line, applied in order after automatic grouping.
#   merge A B    A and B are the same person
#   split A V    the spelling V grouped under A is someone else
#   rename A N   call A by the name N
# A, B and V are entity ids or names (names survive new articles); quote values with spaces.
`

// LoadDecisions reads a decisions file; a missing file gives empty
// decisions and no error.
func LoadDecisions(path string) (*Decisions, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Decisions{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reconcile: decisions: %w", err)
	}
	defer f.Close()
	d := &Decisions{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		args, err := splitArgs(line)
		if err != nil {
			return nil, fmt.Errorf("reconcile: decisions %s:%d: %w", path, n, err)
		}
		if len(args) != 3 || (args[0] != OpMerge && args[0] != OpSplit && args[0] != OpRename) {
			return nil, fmt.Errorf("reconcile: decisions %s:%d: want \"merge|split|rename A B\", got %q", path, n, line)
		}
		d.add(Decision{args[0], args[1], args[2]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reconcile: decisions %s: %w", path, err)
	}
	return d, nil
}

// Save writes the decisions atomically: a temporary file in the same
// directory, synced, then renamed over path.
func (d *Decisions) Save(path string) error {
	var b strings.Builder
	b.WriteString(decisionsHeader)
	for _, x := range d.list {
		b.WriteString(x.String())
		b.WriteByte('\n')
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("reconcile: save decisions %s: %w", path, err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("reconcile: save decisions %s: %w", path, err)
	}
	if _, err := f.WriteString(b.String()); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("reconcile: save decisions %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("reconcile: save decisions %s: %w", path, err)
	}
	if dh, err := os.Open(dir); err == nil {
		dh.Sync() // best effort: make the rename durable
		dh.Close()
	}
	return nil
}

// Merge records that the entities a and b (ids or names) are one person.
func (d *Decisions) Merge(a, b string) { d.add(Decision{OpMerge, a, b}) }

// Split records that the spelling variant grouped under id is someone else.
func (d *Decisions) Split(id, variant string) { d.add(Decision{OpSplit, id, variant}) }

// Rename records that the entity id is to be called name.
func (d *Decisions) Rename(id, name string) { d.add(Decision{OpRename, id, name}) }

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

// Bind checks the decisions against a result and replaces entity ids by the
// entity's canonical name, so the decisions still apply when ids change. It
// returns an error naming the references that match no entity.
func (d *Decisions) Bind(r Result) error {
	byID := map[string]string{}
	names := map[string]bool{}
	for _, e := range r.Entities {
		byID[e.ID] = e.Canonical
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

// splitArgs splits a line into words; a word in double quotes may hold
// spaces and Go escapes.
func splitArgs(line string) ([]string, error) {
	var out []string
	for {
		line = strings.TrimLeftFunc(line, unicode.IsSpace)
		if line == "" {
			return out, nil
		}
		if line[0] == '"' {
			q, err := strconv.QuotedPrefix(line)
			if err != nil {
				return nil, fmt.Errorf("bad quoted value %s", line)
			}
			s, _ := strconv.Unquote(q)
			out = append(out, s)
			line = line[len(q):]
			continue
		}
		i := strings.IndexFunc(line, unicode.IsSpace)
		if i < 0 {
			i = len(line)
		}
		out = append(out, line[:i])
		line = line[i:]
	}
}

// apply carries out the decisions on the automatically grouped people.
func (c *corpus) apply(d *Decisions) {
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
				m := &c.arts[r.art].Mentions[r.idx]
				if slug(m.Text) == key {
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
				p.renamed = q.renamed
			}
			c.people = slices.DeleteFunc(c.people, func(o *person) bool { return o == q })
			c.describe(p)
		case OpRename:
			p := c.find(x.A)
			if p == nil || strings.TrimSpace(x.B) == "" {
				continue
			}
			p.renamed = x.B
			p.decided = append(p.decided, x.String())
			c.describe(p)
		}
		c.assignIDs()
	}
}

// find returns the person a reference names: by id, else by the slug of
// its canonical name, else of a full spelling, else of any spelling; the
// person with most mentions wins a tie.
func (c *corpus) find(ref string) *person {
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
