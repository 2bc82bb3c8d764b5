package reconcile

import (
	"cmp"
	"context"
	"maps"
	"slices"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/internal/lexicon"
)

// mergeThreshold is the lowest pair score at which two spellings are the
// same person. Exact names score 1, a nickname .9, a prefix short form .85;
// a misspelling or an initial scores .75 and needs a shared role or shared
// co-occurring people to pass.
const mergeThreshold = 0.8

// mentionRef points at one mention: the article's position in ID order and
// the mention's index in its Mentions.
type mentionRef struct{ art, idx int }

// local is one person inside one article: the PERSON mentions sharing a
// document-local Entity key.
type local struct {
	art      int
	name     personName
	mentions []int
	roles    []string // normalised titles
	ctx      []string // surnames of the people in the article, its own included
}

// node is one distinct multi-word spelling of a name across the corpus.
type node struct {
	name   personName
	locals []int
	roles  []string
	ctx    map[string]int
}

// grouper clusters PERSON mentions of articles (in ID order) into people.
type grouper struct {
	arts   []*trawl.Article
	locals []local
	nodes  []node
	byKey  map[string]int
	memo   map[[2]int]float64
	roles  roleNorms
	names  map[string]personName // parseName cache; zero tokens: no name
	// clusterOf maps a node to its cluster; clusters hold locals.
	clusterOf []int
	clusters  [][]int // cluster -> locals
	nodeSets  [][]int // cluster -> nodes
}

// group returns the clusters of locals, each a person, in a deterministic
// order (by first local), checking ctx between its steps.
func (g *grouper) group(ctx context.Context) ([][]int, error) {
	for _, step := range []func(){g.buildLocals, g.buildNodes, g.clusterNodes, g.attachSingles} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		step()
	}
	var out [][]int
	for _, c := range g.clusters {
		if len(c) > 0 {
			slices.Sort(c)
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b []int) int { return cmp.Compare(a[0], b[0]) })
	return out, nil
}

// buildLocals groups each article's PERSON mentions by their document-local
// key and attaches a one-word key to the one full name of the article that
// contains it ("He" -> "He Lifeng").
func (g *grouper) buildLocals() {
	total := 0
	for _, a := range g.arts {
		total += len(a.Mentions)
	}
	g.locals = make([]local, 0, total)
	for ai, a := range g.arts {
		byKey := map[string]int{}
		first := len(g.locals)
		for mi, m := range a.Mentions {
			if m.Type != trawl.Person {
				continue
			}
			k := m.Entity
			if k == "" {
				k = m.Text
			}
			n, ok := g.parse(k)
			if !ok {
				if n, ok = g.parse(m.Text); !ok {
					continue
				}
			}
			li, seen := byKey[n.key()]
			if !seen {
				li = len(g.locals)
				byKey[n.key()] = li
				g.locals = append(g.locals, local{art: ai, name: n})
			}
			l := &g.locals[li]
			l.mentions = append(l.mentions, mi)
			if m.Role != "" {
				t, _ := g.roles.norm(m.Role)
				if t != "" && !slices.Contains(l.roles, t) {
					l.roles = append(l.roles, t)
				}
			}
		}
		// Attach one-word keys to the article's unique full name holding them.
		for li := first; li < len(g.locals); li++ {
			l := &g.locals[li]
			if !l.name.single() {
				continue
			}
			t := l.name.tokens[0]
			target := -1
			for _, pass := range []func(personName) bool{
				func(n personName) bool { return n.surname() == t },
				func(n personName) bool { return n.given() == t },
				func(n personName) bool { return similarSpelling(t, n.surname(), 6) },
			} {
				count := 0
				for lj := first; lj < len(g.locals); lj++ {
					o := &g.locals[lj]
					if !o.name.single() && len(o.mentions) > 0 && pass(o.name) && !titleRulesOut(l.roles, o.roles) {
						target = lj
						count++
					}
				}
				if count == 1 {
					break
				}
				target = -1
				if count > 1 {
					break
				}
			}
			if target >= 0 {
				o := &g.locals[target]
				o.mentions = append(o.mentions, l.mentions...)
				slices.Sort(o.mentions)
				for _, r := range l.roles {
					if !slices.Contains(o.roles, r) {
						o.roles = append(o.roles, r)
					}
				}
				l.mentions = nil
			}
		}
		// Context: the surnames of everyone in the article.
		var names []string
		for li := first; li < len(g.locals); li++ {
			if len(g.locals[li].mentions) > 0 {
				names = append(names, g.locals[li].name.surname())
			}
		}
		for li := first; li < len(g.locals); li++ {
			g.locals[li].ctx = names // shared; users skip the local's own surname
		}
	}
}

// parse is parseName with a cache.
func (g *grouper) parse(s string) (personName, bool) {
	if n, ok := g.names[s]; ok {
		return n, len(n.tokens) > 0
	}
	n, ok := parseName(s)
	g.names[s] = n
	return n, ok
}

// context returns the surnames a spelling appears with, built on first use.
func (g *grouper) context(ni int) map[string]int {
	n := &g.nodes[ni]
	if n.ctx == nil {
		n.ctx = map[string]int{}
		for _, li := range n.locals {
			for _, s := range g.locals[li].ctx {
				if s != n.name.surname() {
					n.ctx[s]++
				}
			}
		}
	}
	return n.ctx
}

// buildNodes gathers the multi-word locals by spelling.
func (g *grouper) buildNodes() {
	g.byKey = map[string]int{}
	for li := range g.locals {
		l := &g.locals[li]
		if len(l.mentions) == 0 || l.name.single() {
			continue
		}
		ni, ok := g.byKey[l.name.key()]
		if !ok {
			ni = len(g.nodes)
			g.byKey[l.name.key()] = ni
			g.nodes = append(g.nodes, node{name: l.name})
		}
		n := &g.nodes[ni]
		n.locals = append(n.locals, li)
		for _, r := range l.roles {
			if !slices.Contains(n.roles, r) {
				n.roles = append(n.roles, r)
			}
		}
	}
}

// blockKeys are the keys under which a spelling meets its candidate
// variants: the surname's Soundex code and its first three letters, each
// with the initial of the given name or of its formal forms.
func blockKeys(n personName) []string {
	s := n.surname()
	initials := []byte{n.given()[0]}
	for _, r := range lexicon.FormalNames(n.given()) {
		if !slices.Contains(initials, r[0]) {
			initials = append(initials, r[0])
		}
	}
	p := s
	if len(p) > 3 {
		p = p[:3]
	}
	var keys []string
	for _, i := range initials {
		keys = append(keys, "s"+soundex(s)+string(i), "p"+p+string(i))
	}
	return keys
}

// clusterNodes merges spellings by complete linkage: candidate pairs come
// from blocks, strongest first, and two clusters merge only when every pair
// of their spellings is compatible, so A~B and B~C never pull in C alone.
func (g *grouper) clusterNodes() {
	g.memo = map[[2]int]float64{}
	blocks := map[string][]int{}
	for ni := range g.nodes {
		for _, k := range blockKeys(g.nodes[ni].name) {
			blocks[k] = append(blocks[k], ni)
		}
	}
	type edge struct {
		a, b  int
		score float64
	}
	var edges []edge
	seen := map[[2]int]bool{}
	keys := slices.Sorted(maps.Keys(blocks))
	for _, k := range keys {
		b := blocks[k]
		for i := 0; i < len(b); i++ {
			for j := i + 1; j < len(b); j++ {
				p := [2]int{b[i], b[j]}
				if seen[p] {
					continue
				}
				seen[p] = true
				if s := g.score(b[i], b[j]); s >= mergeThreshold {
					edges = append(edges, edge{b[i], b[j], s})
				}
			}
		}
	}
	slices.SortFunc(edges, func(x, y edge) int {
		if c := cmp.Compare(y.score, x.score); c != 0 {
			return c
		}
		if c := cmp.Compare(x.a, y.a); c != 0 {
			return c
		}
		return cmp.Compare(x.b, y.b)
	})
	g.clusterOf = make([]int, len(g.nodes))
	g.nodeSets = make([][]int, len(g.nodes))
	for ni := range g.nodes {
		g.clusterOf[ni] = ni
		g.nodeSets[ni] = []int{ni}
	}
	for _, e := range edges {
		ca, cb := g.clusterOf[e.a], g.clusterOf[e.b]
		if ca == cb || !g.compatible(g.nodeSets[ca], g.nodeSets[cb]) {
			continue
		}
		if ca > cb {
			ca, cb = cb, ca
		}
		for _, n := range g.nodeSets[cb] {
			g.clusterOf[n] = ca
		}
		g.nodeSets[ca] = append(g.nodeSets[ca], g.nodeSets[cb]...)
		g.nodeSets[cb] = nil
	}
	g.clusters = make([][]int, len(g.nodes))
	for ni, n := range g.nodes {
		c := g.clusterOf[ni]
		g.clusters[c] = append(g.clusters[c], n.locals...)
	}
}

// compatible reports whether every spelling of a may join every spelling
// of b.
func (g *grouper) compatible(a, b []int) bool {
	for _, x := range a {
		for _, y := range b {
			if g.score(x, y) < mergeThreshold {
				return false
			}
		}
	}
	return true
}

func (g *grouper) score(a, b int) float64 {
	if a > b {
		a, b = b, a
	}
	p := [2]int{a, b}
	if s, ok := g.memo[p]; ok {
		return s
	}
	na, nb := &g.nodes[a], &g.nodes[b]
	s := pairScore(na.name, nb.name, na.roles, nb.roles, func() int { return g.ctxOverlap(a, b) })
	g.memo[p] = s
	return s
}

// ctxOverlap counts the people (by surname) both spellings appear with,
// other than the spellings themselves.
func (g *grouper) ctxOverlap(ai, bi int) int {
	a, b := &g.nodes[ai], &g.nodes[bi]
	x, y := g.context(ai), g.context(bi)
	if len(x) > len(y) {
		x, y = y, x
	}
	n := 0
	for s := range x {
		if s == a.name.surname() || s == b.name.surname() {
			continue
		}
		if y[s] > 0 {
			n++
		}
	}
	return n
}

// pairScore scores how likely two multi-word spellings name the same
// person, from the spelling of the surname and given name, the titles given
// to each and the number of people both appear with. 0 means never.
// The overlap is counted only when the names and titles alone fall short.
func pairScore(a, b personName, rolesA, rolesB []string, overlap func() int) float64 {
	base := nameScore(a, b)
	if base == 0 {
		return 0
	}
	support, against := roleEvidence(rolesA, rolesB)
	if against && base < 1 {
		return 0 // a variant whose title contradicts is someone else
	}
	if support {
		base += .15
	}
	if base >= mergeThreshold {
		return base
	}
	if overlap() >= 2 {
		// Two people in common: one alone is too common a coincidence
		// ("Reagan" in stories about Robert Gates and about Bill Gates).
		base += .15
	}
	return base
}

// nameScore scores two spellings by the names alone: 1 for the same name
// (middle names aside), .9 for a nickname, .85 for a prefix short form, .75
// for weak evidence (an initial, a two-letter short form, one misspelt
// name, a name that is the end of the other), 0 for different names.
func nameScore(a, b personName) float64 {
	if isTokenSuffix(a.tokens, b.tokens) || isTokenSuffix(b.tokens, a.tokens) {
		return .75 // "Boone Isaacs" of "Cheryl Boone Isaacs"
	}
	s := surnameRel(a.surname(), b.surname())
	if s == relNone {
		return 0
	}
	gr := givenRel(a.given(), b.given())
	if gr == relNone || !middlesAgree(a.middle(), b.middle()) {
		return 0
	}
	if s == relMisspell {
		if gr != relEqual {
			return 0 // two weak differences at once
		}
		return .75
	}
	switch gr {
	case relEqual:
		return 1
	case relNickname:
		if strongNickname(a.given(), b.given()) {
			return .9
		}
		return .75 // a rare pairing of the table: Robert / Bill, John / Ian
	case relPrefix:
		if min(len(a.given()), len(b.given())) >= 3 {
			return .85
		}
	}
	return .75
}

// classicNicknames are the pairs of the nickname table so common that they
// need no other evidence although they start with different letters.
var classicNicknames = map[[2]string]bool{
	{"bill", "william"}: true, {"billy", "william"}: true, {"will", "william"}: true, {"liam", "william"}: true,
	{"bob", "robert"}: true, {"bobby", "robert"}: true, {"rob", "robert"}: true,
	{"dick", "richard"}: true, {"rick", "richard"}: true, {"ted", "edward"}: true, {"ned", "edward"}: true,
	{"peggy", "margaret"}: true, {"betty", "elizabeth"}: true, {"liz", "elizabeth"}: true, {"beth", "elizabeth"}: true,
	{"hank", "henry"}: true, {"harry", "henry"}: true, {"chuck", "charles"}: true, {"sally", "sarah"}: true,
	{"polly", "mary"}: true, {"molly", "mary"}: true, {"tony", "anthony"}: true, {"jack", "john"}: true,
	{"sandy", "alexander"}: true, {"sasha", "alexander"}: true, {"bess", "elizabeth"}: true, {"ted", "theodore"}: true,
}

// strongNickname reports whether the nickname pairing of two given names is
// evidence on its own: the forms start alike (Steve / Stephen, Jim / James)
// or are a classic pair (Bill / William). Other pairings of the table
// (Robert / Bill, John / Ian) need a shared title or shared company.
func strongNickname(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if a[0] == b[0] {
		return true
	}
	return classicNicknames[[2]string{a, b}] || classicNicknames[[2]string{b, a}]
}

// isTokenSuffix reports whether short is the last words of long, at least
// two of them.
func isTokenSuffix(short, long []string) bool {
	if len(short) < 2 || len(short) >= len(long) {
		return false
	}
	return slices.Equal(short, long[len(long)-len(short):])
}

// middlesAgree reports whether middle names do not contradict: when both
// have them, each of the shorter list matches one of the other (equal or
// initial).
func middlesAgree(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	for _, x := range a {
		ok := false
		for _, y := range b {
			if r := givenRel(x, y); r == relEqual || r == relInitial {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// attachSingles gives each remaining one-word local ("Bessent", "Trump")
// to the person it names when the corpus leaves one choice, or when the
// title or co-occurring people pick one; the rest stay apart, grouped by
// word. Common words ("He") never leave their article.
func (g *grouper) attachSingles() {
	bySurname := map[string][]int{}
	byGiven := map[string][]int{}
	type spelt struct {
		surname string
		cluster int
	}
	bySound := map[string][]spelt{}
	for ni, n := range g.nodes {
		c := g.clusterOf[ni]
		sc := soundex(n.name.surname())
		bySound[sc] = append(bySound[sc], spelt{n.name.surname(), c})
		bySurname[n.name.surname()] = appendUnique(bySurname[n.name.surname()], c)
		byGiven[n.name.given()] = appendUnique(byGiven[n.name.given()], c)
	}
	clusterRoles := map[int][]string{}
	clusterCtx := map[int]map[string]int{}
	rolesOf := func(c int) []string {
		if r, ok := clusterRoles[c]; ok {
			return r
		}
		var rs []string
		for _, n := range g.nodeSets[c] {
			for _, r := range g.nodes[n].roles {
				rs = appendUnique(rs, r)
			}
		}
		clusterRoles[c] = rs
		return rs
	}
	ctxOf := func(c int) map[string]int {
		if m, ok := clusterCtx[c]; ok {
			return m
		}
		m := map[string]int{}
		for _, n := range g.nodeSets[c] {
			for s, k := range g.context(n) {
				m[s] += k
			}
		}
		clusterCtx[c] = m
		return m
	}
	leftover := map[string]int{}
	for li := range g.locals {
		l := &g.locals[li]
		if len(l.mentions) == 0 || !l.name.single() {
			continue
		}
		t := l.name.tokens[0]
		if lex().common[t] {
			g.clusters = append(g.clusters, []int{li})
			continue
		}
		cands, needContext := bySurname[t], false
		if len(cands) == 0 {
			cands, needContext = byGiven[t], nicknamed(t)
		}
		if len(cands) == 0 {
			// A misspelt surname alone ("Klistchko") needs context too.
			for _, x := range bySound[soundex(t)] {
				if similarSpelling(t, x.surname, 6) {
					cands = appendUnique(cands, x.cluster)
				}
			}
			needContext = true
		}
		best, bestScore, second := -1, -1.0, -1.0
		for _, c := range cands {
			support, against := roleEvidence(l.roles, rolesOf(c))
			if against {
				continue
			}
			sc := 0.0
			if support {
				sc += 2
			}
			ctx := ctxOf(c)
			for _, s := range l.ctx {
				if s != t && ctx[s] > 0 {
					sc++
				}
			}
			if sc > bestScore {
				best, bestScore, second = c, sc, bestScore
			} else if sc > second {
				second = sc
			}
		}
		ok := best >= 0
		if ok && len(cands) > 1 {
			ok = bestScore > 0 && bestScore > second
		}
		if ok && needContext {
			ok = bestScore > 0 // a given name alone needs context
		}
		if ok {
			g.clusters[best] = append(g.clusters[best], li)
			continue
		}
		if c, seen := leftover[t]; seen {
			g.clusters[c] = append(g.clusters[c], li)
			continue
		}
		leftover[t] = len(g.clusters)
		g.clusters = append(g.clusters, []int{li})
	}
}
