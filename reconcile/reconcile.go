// Package reconcile groups the PERSON mentions of many articles into
// cross-article people and reports the slots articles fill differently:
// name spellings and forms, titles, event dates and figures. It is a pure
// stage: mentions and the user's decisions in, entities and discrepancies
// out. It reads and writes no files (package store keeps the decisions
// file) and renders nothing (package report does).
package reconcile

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/internal/lexicon"
)

// Options configure Reconcile. The zero value applies no user decisions.
type Options struct {
	// Decisions are the user's merge, split and rename decisions, applied
	// after automatic grouping; nil for none.
	Decisions *Decisions
	// Texts, when set, is called once by ReconcileArticles after the people
	// are built and before the discrepancies are looked for, with the
	// articles marked TextLater, in ID order: it sets their Text. A caller
	// that holds many articles leaves those texts out while the people are
	// grouped (the grouping reads no text once the articles are marked), so
	// that they are not held beside the grouping's own memory. When Texts is
	// set, ReconcileArticles also empties every article's Text once the
	// discrepancies are found: building the entities reads none.
	Texts func(ctx context.Context, arts []*Article) error
}

// Result is what Reconcile finds.
type Result struct {
	// Entities are the PERSON entities, sorted by ID.
	Entities []trawl.Entity
	// Discrepancies are ranked, most important first.
	Discrepancies []trawl.Discrepancy
}

// Reconcile groups PERSON mentions across articles and finds discrepancies.
// It rewrites every PERSON Mention.Entity in arts to the id of its
// cross-article entity (empty for a mention with no name in it). arts is
// processed in ID order whatever the input order; output is deterministic.
// Reconcile checks ctx between its phases; when ctx is done it returns
// ctx's error and leaves arts as they were. It reads only the PERSON, DATE
// and PERCENT mentions, through the compact form of ReconcileArticles.
func Reconcile(ctx context.Context, arts []trawl.Article, opts Options) (Result, error) {
	strs := NewStrings()
	compact := make([]Article, len(arts))
	from := make([][]int, len(arts)) // the index in arts of each compact mention
	for i, a := range arts {
		c := Article{ID: a.ID, Title: a.Title, Source: a.Source, Published: a.Published, CopyGroup: a.CopyGroup, Text: a.Text}
		for j, m := range a.Mentions {
			if KindOf(m.Type) == Other {
				continue
			}
			c.Mentions = append(c.Mentions, strs.Mention(m))
			from[i] = append(from[i], j)
		}
		compact[i] = c
	}
	res, err := ReconcileArticles(ctx, compact, strs, opts)
	if err != nil {
		return res, err
	}
	for i, c := range compact {
		for j, m := range c.Mentions {
			if m.Type == Person {
				arts[i].Mentions[from[i][j]].Entity = strs.String(m.Entity)
			}
		}
	}
	return res, nil
}

// ReconcileArticles is Reconcile for articles in the compact form, whose
// strings are in strs: it rewrites every PERSON Mention.Entity in arts to
// the id (in strs) of its cross-article entity (0, "", for a mention with
// no name in it), and marks the articles not marked yet (Mark). A caller
// that holds many articles at once gives them so.
func ReconcileArticles(ctx context.Context, arts []Article, strs *Strings, opts Options) (Result, error) {
	ordered := make([]*Article, len(arts))
	for i := range arts {
		if arts[i].TextLater && !arts[i].marked {
			return Result{}, fmt.Errorf("reconcile: article %s: its text comes later (TextLater) but it is not marked", arts[i].ID)
		}
		if !arts[i].marked {
			Mark(&arts[i])
		}
		ordered[i] = &arts[i]
	}
	slices.SortStableFunc(ordered, func(a, b *Article) int { return cmp.Compare(a.ID, b.ID) })

	g := &grouper{arts: ordered, strs: strs, roles: roleNorms{}, names: map[string]personName{}}
	clusters, err := g.group(ctx)
	if err != nil {
		return Result{}, err
	}
	c := &collation{arts: ordered, strs: strs, roles: g.roles, day: make([]int, len(ordered))}
	for i, a := range ordered {
		c.day[i] = dayNumber(a.Published)
	}
	for _, cl := range clusters {
		p := &person{}
		for _, li := range cl {
			l := &g.locals[li]
			for _, mi := range g.mentionsOf(l) {
				p.refs = append(p.refs, mentionRef{l.art, mi})
			}
		}
		c.people = append(c.people, p)
	}
	for i, p := range c.people {
		if i%256 == 0 && ctx.Err() != nil {
			return Result{}, ctx.Err()
		}
		c.describe(p)
	}
	c.assignIDs()
	if opts.Decisions != nil {
		c.apply(opts.Decisions)
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if opts.Texts != nil {
		var later []*Article
		for _, a := range ordered {
			if a.TextLater {
				later = append(later, a)
			}
		}
		if err := opts.Texts(ctx, later); err != nil {
			return Result{}, err
		}
	}
	var res Result
	if res.Discrepancies, err = c.discrepancies(ctx); err != nil {
		return Result{}, err
	}
	c.markCopies(res.Discrepancies)
	if opts.Texts != nil {
		for _, a := range ordered {
			a.Text = ""
		}
		c.text = textIndex{}
	}
	// Only now, past the last cancellation point, are the mentions
	// rewritten; nothing before reads the reconciled ids.
	for _, a := range ordered {
		for i := range a.Mentions {
			if a.Mentions[i].Type == Person {
				a.Mentions[i].Entity = 0
			}
		}
	}
	// The entities are built after the discrepancies, which read the texts:
	// they read none, and so are not held beside them. Each person's
	// mentions get its id as its entity is built, and the person (its
	// mentions and variants, read by nothing after) is let go, so that the
	// people and the entities are not held whole side by side.
	if len(c.people) > 0 { // none: nil, as before
		res.Entities = make([]trawl.Entity, 0, len(c.people))
	}
	for i, p := range c.people {
		res.Entities = append(res.Entities, c.entity(p))
		id := strs.ID(p.id)
		for _, r := range p.refs {
			ordered[r.art].Mentions[r.idx].Entity = id
		}
		c.people[i] = nil
	}
	slices.SortFunc(res.Entities, func(a, b trawl.Entity) int { return cmp.Compare(a.ID, b.ID) })
	return res, nil
}

// collation is the state of one reconciliation: the articles set side by
// side in ID order and the people found in them.
type collation struct {
	arts   []*Article
	strs   *Strings
	people []*person
	roles  roleNorms
	day    []int     // publication day number of each article, -1 when unknown
	text   textIndex // of the article read last (see index)
}

// person is one cross-article entity being built.
type person struct {
	refs      []mentionRef
	id        string
	canonical string
	canonName personName
	reason    string
	renamed   string
	idName    string // the automatic canonical name, which the id is made from: a rename does not change it
	keepID    string // the id a rename decision recorded, which the person keeps
	decided   []string
	variants  []*variant
}

// variant is one spelling of a person's name (by normalised key).
type variant struct {
	name      personName
	display   string
	refs      []mentionRef
	articles  []int
	sources   int
	status    trawl.VariantStatus
	reason    string
	dominated bool

	// ownArticles and ownRefs count the articles and mentions with the
	// copies of a story counted once (collation.uncopied).
	ownArticles, ownRefs int
}

// describe computes a person's variants, canonical name and statuses.
func (c *collation) describe(p *person) {
	slices.SortFunc(p.refs, func(a, b mentionRef) int {
		if x := cmp.Compare(a.art, b.art); x != 0 {
			return x
		}
		return cmp.Compare(a.idx, b.idx)
	})
	p.refs = slices.Compact(p.refs)
	byKey := map[string]*variant{}
	displays := map[string]map[string]int{}
	p.variants = nil
	for _, r := range p.refs {
		m := c.mention(int(r.art), int(r.idx))
		n, ok := parseName(m.Text)
		if !ok {
			n, _ = parseName(m.Entity)
		}
		if len(n.tokens) == 0 {
			n = personName{tokens: []string{strings.ToLower(m.Text)}}
		}
		v := byKey[n.key()]
		if v == nil {
			v = &variant{name: n}
			byKey[n.key()] = v
			displays[n.key()] = map[string]int{}
			p.variants = append(p.variants, v)
		}
		v.refs = append(v.refs, r)
		if len(v.articles) == 0 || v.articles[len(v.articles)-1] != int(r.art) {
			v.articles = append(v.articles, int(r.art))
		}
		displays[n.key()][strings.Join(strings.Fields(m.Text), " ")]++
	}
	for _, v := range p.variants {
		v.display = mostCommon(displays[v.name.key()])
		srcs := map[string]bool{}
		for _, a := range v.articles {
			srcs[c.source(a)] = true
		}
		v.sources = len(srcs)
		v.ownArticles, v.ownRefs = c.uncopied(v.refs)
	}
	// A full form dominates the short forms of the same person.
	for _, v := range p.variants {
		v.dominated = false
		for _, w := range p.variants {
			if v != w && shorterForm(v.name, w.name) {
				v.dominated = true
				break
			}
		}
	}
	cands := slices.Clone(p.variants)
	slices.SortFunc(cands, func(a, b *variant) int {
		if x := cmp.Compare(b2i(a.name.single()), b2i(b.name.single())); x != 0 {
			return x
		}
		if x := cmp.Compare(b2i(a.dominated), b2i(b.dominated)); x != 0 {
			return x
		}
		if x := cmp.Compare(b.sources, a.sources); x != 0 {
			return x
		}
		if x := cmp.Compare(b.ownArticles, a.ownArticles); x != 0 {
			return x
		}
		if x := cmp.Compare(b.ownRefs, a.ownRefs); x != 0 {
			return x
		}
		if x := cmp.Compare(len(b.name.tokens), len(a.name.tokens)); x != 0 {
			return x
		}
		if x := cmp.Compare(listedWords(b.name), listedWords(a.name)); x != 0 {
			return x
		}
		if x := cmp.Compare(len(b.display), len(a.display)); x != 0 {
			return x
		}
		return cmp.Compare(a.display, b.display)
	})
	best := cands[0]
	p.canonical, p.canonName = best.display, best.name
	p.idName = best.display
	p.reason = canonicalReason(best, cands, c.support(best.articles, " from "))
	if p.renamed != "" {
		p.canonical = p.renamed
		if n, ok := parseName(p.renamed); ok {
			p.canonName = n
		}
		p.reason = fmt.Sprintf("renamed to '%s' by user", p.renamed)
	}
	for _, v := range p.variants {
		v.status, v.reason = variantStatus(v, p, best)
	}
	// Variants in a stable order: canonical first, then by support.
	slices.SortStableFunc(p.variants, func(a, b *variant) int {
		ia, ib := slices.Index(cands, a), slices.Index(cands, b)
		if a.status == trawl.Canonical && b.status != trawl.Canonical {
			return -1
		}
		if b.status == trawl.Canonical && a.status != trawl.Canonical {
			return 1
		}
		return cmp.Compare(ia, ib)
	})
}

// listedWords counts the words of a name that the name lists hold: its
// given name among the given names (lexicon.GivenName), its surname among
// the frequent surnames (lexicon.Surname). Between two spellings of as many
// words that as many independent sources and mentions support, the one with
// more listed words is preferred: a slip of the pen seldom makes a listed
// name ("Dainel" for the listed "Daniel"), and of two transliterations the
// listed one is the form English-language writing uses most.
// It decides ties only, never against more sources.
func listedWords(n personName) int {
	k := 0
	if !n.single() && len(n.given()) > 1 && lexicon.GivenName(n.given()) {
		k++
	}
	if lexicon.Surname(n.surname()) {
		k++
	}
	return k
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func mostCommon(m map[string]int) string {
	best, n := "", -1
	for k, c := range m {
		if c > n || c == n && k < best {
			best, n = k, c
		}
	}
	return best
}

// shorterForm reports whether a is a short form of b: an initial or a
// prefix of b's given name, or b's name with middle names left out.
func shorterForm(a, b personName) bool {
	if a.single() || b.single() || a.surname() != b.surname() {
		return false
	}
	switch givenRel(a.given(), b.given()) {
	case relInitial, relPrefix:
		return len(a.given()) < len(b.given())
	case relEqual:
		return len(a.tokens) < len(b.tokens)
	}
	return false
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// canonicalReason says why best was chosen; support describes its evidence
// (collation.support).
func canonicalReason(best *variant, cands []*variant, support string) string {
	s := fmt.Sprintf("'%s' appears in %s", best.display, support)
	if len(cands) == 1 {
		return s + "; it is the only spelling"
	}
	if best.name.single() {
		return s + "; no full name is known"
	}
	for _, o := range cands[1:] {
		if o.name.single() || o.dominated {
			continue
		}
		if o.sources == best.sources && len(o.articles) == len(best.articles) {
			return s + ", as many as " + fmt.Sprintf("'%s'", o.display) + "; chosen as the fuller or first spelling"
		}
		return s + ", the best-supported full form"
	}
	return s + "; the other forms are short forms of it"
}

// variantStatus says how a spelling relates to the canonical name, in a
// status word and a sentence.
func variantStatus(v *variant, p *person, best *variant) (status trawl.VariantStatus, reason string) {
	c := p.canonName
	cd := p.canonical
	if v == best && p.renamed == "" || v.name.key() == c.key() {
		return trawl.Canonical, "the canonical name"
	}
	user := len(p.decided) > 0
	against := fmt.Sprintf("appears in %s against %d", plural(len(v.articles), "article", "articles"), len(best.articles))
	if v.name.single() {
		t := v.name.tokens[0]
		switch {
		case t == c.surname():
			return trawl.Surname, fmt.Sprintf("'%s' alone is the surname of '%s'", v.display, cd)
		case t == c.given() && !givenOnly(t):
			return trawl.Surname, fmt.Sprintf("'%s' alone is the family name of '%s', written first", v.display, cd)
		case t == c.given():
			return trawl.ShortForm, fmt.Sprintf("'%s' alone is the given name of '%s'", v.display, cd)
		case similarSpelling(t, c.surname(), 5):
			return trawl.Misspelling, fmt.Sprintf("'%s' differs from the surname of '%s' by %s; probable misspelling",
				v.display, cd, letters(spellingDistance(t, c.surname())))
		}
		if user {
			return trawl.UserGrouped, "grouped by a user decision"
		}
		return trawl.OtherForm, fmt.Sprintf("'%s' was grouped with '%s'", v.display, cd)
	}
	if c.single() {
		return trawl.OtherForm, "grouped under a one-word name"
	}
	s := surnameRel(v.name.surname(), c.surname())
	gr := givenRel(v.name.given(), c.given())
	vw, cw := displayWords(v.display), displayWords(cd)
	switch {
	case s == relMisspell && gr == relEqual:
		return trawl.Misspelling, fmt.Sprintf("'%s' differs from '%s' by %s and %s; probable misspelling",
			vw[len(vw)-1], cw[len(cw)-1], letters(spellingDistance(v.name.surname(), c.surname())), against)
	case s == relEqual && gr == relMisspell:
		return trawl.Misspelling, fmt.Sprintf("'%s' differs from '%s' by %s and %s; probable misspelling",
			vw[0], cw[0], letters(spellingDistance(v.name.given(), c.given())), against)
	case s == relEqual && gr == relInitial:
		return trawl.Initials, fmt.Sprintf("'%s' is the initial of '%s'", vw[0], cw[0])
	case s == relEqual && gr == relPrefix && len(v.name.given()) > len(c.given()):
		return trawl.FullForm, fmt.Sprintf("'%s' is the full form of '%s' (same surname '%s')", vw[0], cw[0], cw[len(cw)-1])
	case s == relEqual && gr == relPrefix:
		return trawl.ShortForm, fmt.Sprintf("'%s' is a short form of '%s' (same surname '%s')", vw[0], cw[0], cw[len(cw)-1])
	case s == relEqual && gr == relNickname && nicknameOf(c.given(), v.name.given()):
		return trawl.FormalName, fmt.Sprintf("'%s' is the formal name of which '%s' is a nickname, by the nickname table (same surname '%s')", vw[0], cw[0], cw[len(cw)-1])
	case s == relEqual && gr == relNickname:
		return trawl.Nickname, fmt.Sprintf("'%s' is a nickname of '%s' by the nickname table (same surname '%s')", vw[0], cw[0], cw[len(cw)-1])
	case s == relEqual && gr == relEqual && len(v.name.tokens) < len(c.tokens):
		return trawl.ShortForm, fmt.Sprintf("'%s' leaves out a middle name of '%s'", v.display, cd)
	case s == relEqual && gr == relEqual:
		return trawl.LongForm, fmt.Sprintf("'%s' adds a middle name to '%s'", v.display, cd)
	}
	if user {
		return trawl.UserGrouped, "grouped by a user decision"
	}
	return trawl.OtherForm, fmt.Sprintf("'%s' was grouped with '%s'", v.display, cd)
}

// displayWords splits a displayed name into words without punctuation.
func displayWords(s string) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		w = strings.Trim(w, ".,;:\"“”()")
		if w != "" {
			out = append(out, w)
		}
	}
	if len(out) == 0 {
		return []string{s}
	}
	return out
}

func letters(d int) string {
	switch d {
	case 1:
		return "one letter"
	case 2:
		return "two letters"
	}
	return fmt.Sprintf("%d letters", d)
}

// assignIDs gives every person a slug of its canonical name, with a numeric
// suffix on collision, in a deterministic order.
func (c *collation) assignIDs() {
	type item struct {
		p    *person
		slug string
	}
	items := make([]item, len(c.people))
	for i, p := range c.people {
		items[i] = item{p, cmp.Or(p.keepID, slug(cmp.Or(p.idName, p.canonical)))}
	}
	slices.SortStableFunc(items, func(a, b item) int {
		if x := cmp.Compare(a.slug, b.slug); x != 0 {
			return x
		}
		// More articles first, then earliest mention.
		if x := cmp.Compare(len(b.p.articleSet()), len(a.p.articleSet())); x != 0 {
			return x
		}
		ra, rb := a.p.refs[0], b.p.refs[0]
		if x := cmp.Compare(ra.art, rb.art); x != 0 {
			return x
		}
		return cmp.Compare(ra.idx, rb.idx)
	})
	used := map[string]int{}
	for _, it := range items {
		used[it.slug]++
		id := it.slug
		if n := used[it.slug]; n > 1 {
			id = fmt.Sprintf("%s-%d", it.slug, n)
			for used[id] > 0 {
				n++
				id = fmt.Sprintf("%s-%d", it.slug, n)
			}
			used[id]++
		}
		it.p.id = id
	}
}

func (p *person) articleSet() []int {
	var out []int
	for _, r := range p.refs {
		if len(out) == 0 || out[len(out)-1] != int(r.art) {
			out = append(out, int(r.art))
		}
	}
	return out
}

// entity converts a person to the shared Entity type.
func (c *collation) entity(p *person) trawl.Entity {
	e := trawl.Entity{
		ID:        p.id,
		Type:      trawl.Person,
		Canonical: p.canonical,
		Reason:    p.reason,
		Mentions:  len(p.refs),
		Decided:   slices.Clone(p.decided),
	}
	for _, v := range p.variants {
		e.Variants = append(e.Variants, trawl.Variant{
			Name: v.display, Mentions: len(v.refs), Articles: len(v.articles),
			Sources: v.sources, Status: v.status, Reason: v.reason,
		})
	}
	seen := map[[2]string]bool{}
	for _, r := range p.refs {
		a := c.arts[r.art]
		if n := len(e.Articles); n == 0 || e.Articles[n-1] != a.ID {
			e.Articles = append(e.Articles, a.ID)
		}
		role := strings.TrimSpace(c.strs.String(c.strs.Extra(a.Mentions[r.idx]).Role))
		if role == "" || seen[[2]string{role, a.ID}] {
			continue
		}
		seen[[2]string{role, a.ID}] = true
		e.Roles = append(e.Roles, trawl.Role{Role: role, Article: a.ID, Published: a.Published})
	}
	// The refs are in article order (describe), so each article came once;
	// sorted and compacted all the same, in linear time where a lookup of
	// each in the list took the square of a much-quoted person's articles
	// (1.2 of 1.7 CPU-s of the entities at 50x).
	slices.Sort(e.Articles)
	e.Articles = slices.Compact(e.Articles)
	slices.SortStableFunc(e.Roles, func(a, b trawl.Role) int {
		if x := cmp.Compare(a.Article, b.Article); x != 0 {
			return x
		}
		return cmp.Compare(a.Role, b.Role)
	})
	return e
}

// mention returns mention mi of article ai with its strings looked up.
func (c *collation) mention(ai, mi int) mention { return c.strs.expand(c.arts[ai].Mentions[mi]) }
