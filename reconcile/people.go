package reconcile

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/trawlnews/trawl/internal/lexicon"
)

// mergeThreshold is the lowest pair score at which two spellings are the
// same person. Exact names score 1, a nickname .9, a prefix short form .85;
// a misspelling or an initial scores .75 and needs a shared role or shared
// co-occurring people to pass.
const mergeThreshold = 0.8

// mentionRef points at one mention: the article's position in ID order and
// the mention's index in its Mentions. A person holds one for each of its
// mentions (twice, in its variants too), so the two are int32s.
type mentionRef struct{ art, idx int32 }

// ref is the mentionRef of mention mi of article ai.
func ref(ai, mi int) mentionRef { return mentionRef{int32(ai), int32(mi)} }

// mentionsOf returns the indexes of the mentions of l in its article's
// Mentions, in order; they must not be changed.
func (g *grouper) mentionsOf(l *local) []int32 {
	return g.mentions[l.first : l.first+l.count : l.first+l.count]
}

// rolesOf returns the normalised titles of l; they must not be changed.
func (g *grouper) rolesOf(l *local) []string { return g.roleSets[l.roles] }

// roleSet returns the index in g.roleSets of the list rs, adding a copy of
// it when needed.
func (g *grouper) roleSet(rs []string) int32 {
	if len(rs) == 0 {
		return 0
	}
	k := strings.Join(rs, "\x00")
	if id, ok := g.roleSetIDs[k]; ok {
		return id
	}
	id := int32(len(g.roleSets))
	g.roleSets = append(g.roleSets, slices.Clone(rs))
	g.roleSetIDs[k] = id
	return id
}

// local is one person inside one article: the PERSON mentions sharing a
// document-local Entity key. There is one for every such key of every
// article, so its fields are kept small and hold no slice of their own:
// a 50x corpus holds 700,000 of them beside the articles.
type local struct {
	art int32
	// near is the local of the article's one full name whose surname a
	// one-word name resembles without matching it ("Hendreson" of "Anne
	// Henderson"), -1 for none; attachSingles decides (see there).
	near int32
	// first and count place its mentions (their indexes in the article's
	// Mentions) in grouper.mentions; count is 0 for a local attached to
	// another of its article.
	first, count int32
	// roles is the index of its normalised titles in grouper.roleSets.
	roles int32
	// apart marks a name used as a common noun ("a Wayne Rooney", "Alfa
	// Romeos"): it is grouped only with the same use of the same words.
	apart bool
	name  personName
}

// node is one distinct multi-word spelling of a name across the corpus.
type node struct {
	name   personName
	locals []int
	roles  []string
	ctx    map[string]int
	// first and last are the publication days of its first and last dated
	// article (see era); 0 until computed, -1 when none is dated.
	first, last int
}

// grouper clusters PERSON mentions of articles (in ID order) into people.
type grouper struct {
	arts   []*Article
	strs   *Strings
	locals []local
	// mentions holds the mentions of every local, those of one local side
	// by side (local.first, local.count), in one allocation.
	mentions []int32
	// roleSets holds each distinct list of a local's normalised titles
	// once (local.roles), the empty list first; roleSetIDs finds them.
	roleSets   [][]string
	roleSetIDs map[string]int32
	// ctx holds per article the surnames of the people in it, which are
	// the context of each of its locals (their own surname included).
	ctx   [][]string
	nodes []node
	byKey map[string]int
	memo  map[[2]int]float64
	roles roleNorms
	names map[string]personName // parseName cache; zero tokens: no name
	// clusterOf maps a node to its cluster; clusters hold locals.
	clusterOf []int
	clusters  [][]int // cluster -> locals
	nodeSets  [][]int // cluster -> nodes
}

// group returns the clusters of locals, each a person, in a deterministic
// order (by first local), checking ctx between its steps.
func (g *grouper) group(ctx context.Context) ([][]int, error) {
	for _, step := range []func(){g.buildLocals, g.dropPlurals, g.buildNodes, g.clusterNodes, g.attachSingles} {
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
	// The locals are counted first, so that their slice is allocated at
	// its size: it is the largest thing the grouping builds.
	total, totalMentions := 0, 0
	seen := map[string]bool{}
	for _, a := range g.arts {
		clear(seen)
		titled := g.titledWords(a)
		for _, cm := range a.Mentions {
			if key, _, _, ok := g.localKey(cm, titled); ok {
				totalMentions++
				if !seen[key] {
					seen[key] = true
					total++
				}
			}
		}
	}
	g.locals = make([]local, 0, total)
	g.mentions = make([]int32, 0, totalMentions)
	g.roleSets, g.roleSetIDs = [][]string{nil}, map[string]int32{}
	g.ctx = make([][]string, len(g.arts))
	// The mentions and titles of the article's locals while it is read,
	// by local (li - first), moved into g.mentions and g.roleSets once it
	// is: the slices are reused from one article to the next.
	var mentions [][]int32
	var roles [][]string
	for ai, a := range g.arts {
		byKey := map[string]int{}
		first := len(g.locals)
		titled := g.titledWords(a)
		for mi, cm := range a.Mentions {
			key, n, generic, ok := g.localKey(cm, titled)
			if !ok {
				continue
			}
			li, seen := byKey[key]
			if !seen {
				li = len(g.locals)
				byKey[key] = li
				g.locals = append(g.locals, local{art: int32(ai), name: n, apart: generic, near: -1})
				if k := li - first; k < len(mentions) {
					mentions[k], roles[k] = mentions[k][:0], roles[k][:0]
				} else {
					mentions, roles = append(mentions, nil), append(roles, nil)
				}
			}
			k := li - first
			mentions[k] = append(mentions[k], int32(mi))
			if role := g.strs.Extra(cm).Role; role != 0 {
				t, _ := g.roles.norm(g.strs.String(role))
				if t != "" && !slices.Contains(roles[k], t) {
					roles[k] = append(roles[k], t)
				}
			}
		}
		// Attach one-word keys to the article's unique full name holding them.
		for li := first; li < len(g.locals); li++ {
			l := &g.locals[li]
			if !l.name.single() || l.apart {
				continue
			}
			t := l.name.tokens[0]
			target, via := -1, -1
			sovereign, noble := titledGivenName(roles[li-first])
			for pi, pass := range []func(personName) bool{
				func(n personName) bool { return n.surname() == t },
				func(n personName) bool { return n.given() == t },
				func(n personName) bool { return similarSpelling(t, n.surname(), 6) },
			} {
				if sovereign || noble && pi == 1 {
					continue // "Prince Charles" is not Charles Kennedy
				}
				count := 0
				for lj := first; lj < len(g.locals); lj++ {
					o := &g.locals[lj]
					if !o.name.single() && !o.apart && len(mentions[lj-first]) > 0 && pass(o.name) && !titleRulesOut(roles[li-first], roles[lj-first]) {
						target = lj
						count++
					}
				}
				if count == 1 {
					via = pi
					break
				}
				target = -1
				if count > 1 {
					break
				}
			}
			if target >= 0 && via == 2 && listed(a, mentions[li-first]) {
				continue // see listed: resemblance is no evidence in a team sheet
			}
			if target >= 0 && via == 2 {
				// Resembled, not matched: attachSingles decides.
				l.near = int32(target)
				continue
			}
			if target >= 0 {
				o, l := target-first, li-first
				mentions[o] = append(mentions[o], mentions[l]...)
				slices.Sort(mentions[o])
				for _, r := range roles[l] {
					if !slices.Contains(roles[o], r) {
						roles[o] = append(roles[o], r)
					}
				}
				mentions[l] = mentions[l][:0]
			}
		}
		// Context: the surnames of everyone in the article.
		var names []string
		for li := first; li < len(g.locals); li++ {
			if len(mentions[li-first]) > 0 && g.locals[li].near < 0 {
				names = append(names, g.locals[li].name.surname())
			}
		}
		g.ctx[ai] = names // users skip the local's own surname
		for li := first; li < len(g.locals); li++ {
			l, k := &g.locals[li], li-first
			l.first, l.count = int32(len(g.mentions)), int32(len(mentions[k]))
			g.mentions = append(g.mentions, mentions[k]...)
			l.roles = g.roleSet(roles[k])
		}
	}
}

// localKey returns the document-local key of mention cm of an article
// whose titled one-word names are titled (titledWords), its name, whether
// the name is used as a common noun, and false for a mention that is not
// a PERSON or holds no name.
func (g *grouper) localKey(cm Mention, titled map[string]bool) (key string, n personName, generic, ok bool) {
	if cm.Type != Person {
		return "", personName{}, false, false
	}
	text := g.strs.String(cm.Text)
	k := g.strs.String(cm.Entity)
	if k == "" || titled[strings.ToLower(text)] {
		// A one-word name the article gives a royal, noble or
		// church title ("Prince Charles") is that titled person
		// wherever it stands alone in the article, whatever full
		// name extraction tied it to.
		k = text
	}
	if n, ok = g.parse(k); !ok {
		if n, ok = g.parse(text); !ok {
			return "", personName{}, false, false
		}
	}
	// "a Wayne Rooney", "all Billy Elliots": a kind, not a person.
	generic = cm.flags&flagGeneric != 0
	key = n.key()
	if generic {
		key = "\x00" + key
	}
	return key, n, generic, true
}

// listed reports whether every mention of a one-word local stands in a
// list of names: a line of at least four commas in which the mention's item
// (the text between two commas, brackets aside) is the name with at most an
// initial before it ("Ward, Kerr, Boyd, Donnely, Hart."; "J Ward (Leeds),
// P Kerr (Hull), ..."). Team sheets and lists of nominees
// name many people by surname alone, so a surname there that only resembles
// a person's is as likely someone else (a "Donnely" in the other side's
// line-up next to "Donnelly"); only an exact surname attaches it.
func (g *grouper) listed(l *local) bool { return listed(g.arts[l.art], g.mentionsOf(l)) }

// listed reports whether the mentions ms of article a, at least one, all
// stand in a list of names (see grouper.listed).
func listed(a *Article, ms []int32) bool {
	if len(ms) == 0 {
		return false
	}
	for _, mi := range ms {
		if a.Mentions[mi].flags&flagListItem == 0 {
			return false
		}
	}
	return true
}

// listItem reports whether the mention at [start, end) of text is an item
// of a list of names (see listed).
func listItem(text string, start, end int) bool {
	if start < 0 || end > len(text) || start > end {
		return false
	}
	ls := strings.LastIndexByte(text[:start], '\n') + 1
	le := strings.IndexByte(text[end:], '\n')
	if le < 0 {
		le = len(text)
	} else {
		le += end
	}
	line := text[ls:le]
	if strings.Count(line, ",") < 4 {
		return false
	}
	is := strings.LastIndexAny(text[ls:start], ",;:") + 1 + ls
	ie := strings.IndexAny(text[end:le], ",;(")
	if ie < 0 {
		ie = le
	} else {
		ie += end
	}
	before := strings.Fields(text[is:start])
	after := strings.Trim(text[end:ie], " .")
	return after == "" && len(before) <= 1 && (len(before) == 0 || len(strings.Trim(before[0], ".")) <= 1)
}

// titledWords returns the one-word PERSON mentions of a, lower case, that
// the article gives a royal, noble or church title (titledGivenName).
func (g *grouper) titledWords(a *Article) map[string]bool {
	var out map[string]bool
	for _, cm := range a.Mentions {
		if cm.Type != Person || g.strs.Extra(cm).Role == 0 {
			continue
		}
		m := g.strs.expand(cm)
		if strings.ContainsAny(strings.TrimSpace(m.Text), " .") {
			continue
		}
		t, _ := g.roles.norm(m.Role)
		if _, noble := titledGivenName([]string{t}); noble {
			if out == nil {
				out = map[string]bool{}
			}
			out[strings.ToLower(strings.TrimSpace(m.Text))] = true
		}
	}
	return out
}

// genericUse reports whether the name at [start, end) is used as a common
// noun: written after "a", "an" or "all" ("a Wayne Rooney", "all Billy
// Elliots") and not followed by a lower-case word, which makes the name a
// modifier of that word ("a Tony Blair speech" is about Tony Blair).
func genericUse(text string, start, end int) bool {
	if start <= 0 || start > len(text) || end < start || end > len(text) {
		return false
	}
	if rest := strings.TrimLeft(text[end:], " "); rest != "" && rest[0] >= 'a' && rest[0] <= 'z' {
		return false
	}
	wend := start
	for wend > 0 && text[wend-1] == ' ' {
		wend--
	}
	if wend == start {
		return false
	}
	i := wend
	for i > 0 && isWordStart(text[i-1]) {
		i--
	}
	switch strings.ToLower(text[i:wend]) {
	case "a", "an", "all":
		return true
	}
	return false
}

// dropPlurals takes out the multi-word names used in the plural ("We can't
// all be Wayne Rooneys", "Alfa Romeos"): the last word ends in "s", the name
// without that "s" is a name of the corpus, and the last word is not itself a
// frequent surname (lexicon.Surname: "Davies", "Jones"). A plural is a kind
// of person, or a thing named after one, never a spelling of the name.
func (g *grouper) dropPlurals() {
	names := map[string]bool{}
	for _, l := range g.locals {
		if l.count > 0 && !l.name.single() {
			names[l.name.key()] = true
		}
	}
	for li := range g.locals {
		l := &g.locals[li]
		if l.count == 0 || l.name.single() {
			continue
		}
		last := l.name.surname()
		if len(last) < 3 || !strings.HasSuffix(last, "s") || lexicon.Surname(last) {
			continue
		}
		sing := slices.Clone(l.name.tokens)
		sing[len(sing)-1] = strings.TrimSuffix(last, "s")
		if names[strings.Join(sing, " ")] {
			l.apart = true
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
			for _, s := range g.ctx[g.locals[li].art] {
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
		if l.count == 0 || l.name.single() || l.apart {
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
		for _, r := range g.rolesOf(l) {
			if !slices.Contains(n.roles, r) {
				n.roles = append(n.roles, r)
			}
		}
	}
}

// blockKeys are the keys under which a spelling meets its candidate
// variants: the surname's Soundex code, its first three letters and its
// deletion neighbourhood, each with the initial of the given name or of its
// formal forms. The deletion neighbourhood (the surname and the surname with
// any one letter left out, as in the symmetric-delete spelling correction of
// SymSpell) makes two surnames one typing slip apart meet even when the slip
// changes their Soundex code and first letters ("Brandon" and "Bandon"
// share "Bandon").
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
	dels := []string{s}
	if len(s) >= minSurnameMisspell {
		for i := 1; i < len(s); i++ { // the first letter is rarely misspelt (similarSpelling)
			dels = append(dels, s[:i]+s[i+1:])
		}
	}
	var keys []string
	for _, i := range initials {
		keys = append(keys, "s"+soundex(s)+string(i), "p"+p+string(i))
		for _, d := range dels {
			keys = append(keys, "d"+d+" "+string(i))
		}
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
	if s > 0 && g.eraGap(a, b) > eraYears*366 {
		if _, against := roleEvidence(na.roles, nb.roles); against {
			s = 0 // a Vice President of 1987 and a President of 2005
		}
	}
	g.memo[p] = s
	return s
}

// eraYears is the gap between the publication dates of two spellings,
// beyond which different titles make them different people however alike
// the names ("George Bush", Vice President in 1987, and "George W. Bush",
// President in 2005).
const eraYears = 4

// eraGap is the number of days between the last article of one spelling and
// the first of the other, 0 when they overlap or a date is unknown.
func (g *grouper) eraGap(a, b int) int {
	fa, la := g.era(a)
	fb, lb := g.era(b)
	if fa < 0 || fb < 0 {
		return 0
	}
	return max(0, fb-la, fa-lb)
}

// era returns the first and last publication day of a spelling's articles,
// -1 when none is dated.
func (g *grouper) era(ni int) (first, last int) {
	n := &g.nodes[ni]
	if n.first == 0 {
		n.first, n.last = -1, -1
		for _, li := range n.locals {
			d := dayNumber(g.arts[g.locals[li].art].Published)
			if d < 0 {
				continue
			}
			if n.first < 0 || d < n.first {
				n.first = d
			}
			n.last = max(n.last, d)
		}
	}
	return n.first, n.last
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
	if gr != relEqual && gr != relInitial && spelledMiddle(a) != spelledMiddle(b) {
		// "Tom Jones" and "Tommy Lee Jones": a middle name written out on
		// one side only, and given names that differ: only a shared title
		// and shared company together make them one.
		return middleOneSide
	}
	if s == relMisspell {
		if gr != relEqual {
			return 0 // two weak differences at once
		}
		return slipScore(a.surname(), b.surname(), lexicon.Surname)
	}
	if gr == relMisspell && s == relEqual {
		return slipScore(a.given(), b.given(), lexicon.GivenName)
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

// slipScore scores two spellings of one word of a name, the other words
// equal: .85 (enough alone) for two letters swapped (isTransposition) when
// neither spelling is a listed name (listed: "Jaime" and "Jamie" are two
// given names, "Peirce" is a spelling of its own beside the listed
// "Pierce"), else .75, which needs a shared title or shared company.
func slipScore(a, b string, listed func(string) bool) float64 {
	if isTransposition(a, b) && !listed(a) && !listed(b) {
		return .85
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

// middleOneSide is the name score of two names whose given names differ
// and only one of which writes out a middle name: below the threshold with
// a shared title (+.15) or shared company (+.15) alone, above it with both.
const middleOneSide = .6

// middlesAgree reports whether middle names do not contradict: when both
// have them, they are as many and match in order, each equal to the other
// or its initial. "George H. W. Bush" and "George W. Bush" are two people.
func middlesAgree(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if r := givenRel(a[i], b[i]); r != relEqual && r != relInitial {
			return false
		}
	}
	return true
}

// spelledMiddle reports whether a name writes out a middle name of more than
// one letter ("Tommy Lee Jones", not "George W. Bush").
func spelledMiddle(n personName) bool {
	for _, m := range n.middle() {
		if len(m) > 1 {
			return true
		}
	}
	return false
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
		if l.count == 0 {
			continue
		}
		if l.apart {
			// A common-noun use stays with the same use of the same words.
			k := "\x00" + l.name.key()
			if c, seen := leftover[k]; seen {
				g.clusters[c] = append(g.clusters[c], li)
			} else {
				leftover[k] = len(g.clusters)
				g.clusters = append(g.clusters, []int{li})
			}
			continue
		}
		if !l.name.single() {
			continue
		}
		t := l.name.tokens[0]
		if l.near >= 0 && len(bySurname[t]) == 0 {
			// A one-word name that resembles the surname of its article's
			// full name ("Mr Hendreson" in an article on Anne Henderson) is
			// that person, unless the word is itself the surname of a full
			// name of the corpus: then it may be that other person (a
			// "Donnely" in the other side's line-up next to "Sean
			// Donnelly"), or the article's full name may be the slip ("Alan
			// Bandon" for Alan Brandon, who is "Mr Brandon" in the same
			// article), and it is attached like any one-word name.
			o := &g.locals[l.near]
			if ni, ok := g.byKey[o.name.key()]; ok && !o.apart {
				g.clusters[g.clusterOf[ni]] = append(g.clusters[g.clusterOf[ni]], li)
				continue
			}
		}
		if lex().common[t] {
			g.clusters = append(g.clusters, []int{li})
			continue
		}
		sovereign, noble := titledGivenName(g.rolesOf(l))
		var cands []int
		needContext := false
		if !sovereign {
			cands = bySurname[t]
		}
		if len(cands) == 0 && !noble {
			cands, needContext = byGiven[t], givenOnly(t)
		}
		if len(cands) == 0 && !sovereign && !g.listed(l) {
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
			support, against := roleEvidence(g.rolesOf(l), rolesOf(c))
			if against {
				continue
			}
			sc := 0.0
			if support {
				sc += 2
			}
			ctx := ctxOf(c)
			for _, s := range g.ctx[l.art] {
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
