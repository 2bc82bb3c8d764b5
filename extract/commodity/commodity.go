// Package commodity finds COMMODITY mentions and holds trawl's commodity
// catalogue. Mentions are catalogue synonyms found by one pass over the words
// of the text: each word is looked up in a map keyed by first word, and the
// phrases starting with it are tried longest first ("crude oil" before
// "oil", "rare earth elements" before "rare earth"). Synonyms that are also
// ordinary words ("lead", "gold", "crude") must pass the context rules of
// commodity-context.txt; prose's tagger is asked only when those rules
// leave a word undecided.
package commodity

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/extract/document"
	"github.com/trawlnews/trawl/extract/tagger"
	"github.com/trawlnews/trawl/internal/lexicon"
	"github.com/trawlnews/trawl/internal/text"
)

// span is a byte range of a document's text.
type span = text.Span

// CatalogueEntry is one commodity, or commodity category, of trawl's
// catalogue: the Value of COMMODITY mentions is its ID.
type CatalogueEntry struct {
	ID       string // stable id, the Value of a COMMODITY mention ("crude-oil")
	Name     string // display name ("crude oil")
	Category string // metals, energy, agriculture, livestock, minerals, softs, forestry, chemicals
	HS       string // Harmonized System code (2, 4 or 6 digits), "" for a category with no code
	// Synonyms are the lower-case words and phrases that mention the entry.
	Synonyms []string
	// Reuters are the Reuters-21578 topic codes the entry counts as, so
	// document labels can be compared with the extracted commodities.
	Reuters []string
	// Parents are the ids of the groups the entry belongs to, nearest
	// first (wheat: grain; pork bellies: pork, meat).
	Parents []string
}

// Catalogue returns a copy of the commodity catalogue, in file order, so
// reports, search facets and evaluation can use names, categories and
// Reuters labels.
func Catalogue() []CatalogueEntry {
	es := indexOnce().entries
	out := make([]CatalogueEntry, len(es))
	for i, e := range es {
		e.Synonyms = slices.Clone(e.Synonyms)
		e.Reuters = slices.Clone(e.Reuters)
		e.Parents = slices.Clone(e.Parents)
		out[i] = e
	}
	return out
}

// parseCatalogue parses the columns of the catalogue file (see
// the header of commodities.tsv in internal/lexicon).
func parseCatalogue(lines [][]string) ([]CatalogueEntry, error) {
	var out []CatalogueEntry
	for n, f := range lines {
		if len(f) != 7 {
			return nil, fmt.Errorf("commodities.tsv entry %d: %d fields, want 7", n+1, len(f))
		}
		e := CatalogueEntry{ID: f[0], Name: f[1], Category: f[2], HS: f[3]}
		if e.ID == "" || e.Name == "" || e.Category == "" {
			return nil, fmt.Errorf("commodities.tsv entry %d: empty id, name or category", n+1)
		}
		if e.HS == "-" {
			e.HS = ""
		}
		for _, s := range strings.Split(f[4], "|") {
			if s == "" || s != strings.ToLower(s) {
				return nil, fmt.Errorf("commodities.tsv entry %d: synonym %q is empty or not lower case", n+1, s)
			}
			e.Synonyms = append(e.Synonyms, s)
		}
		if f[5] != "" {
			e.Reuters = strings.Split(f[5], "|")
		}
		if f[6] != "" {
			e.Parents = strings.Split(f[6], "|")
		}
		out = append(out, e)
	}
	ids := map[string]bool{}
	for _, e := range out {
		ids[e.ID] = true
	}
	for n, e := range out {
		for _, p := range e.Parents {
			if !ids[p] || p == e.ID {
				return nil, fmt.Errorf("commodities.tsv entry %d: parent %q is not another entry's id", n+1, p)
			}
		}
	}
	return out, nil
}

// rule is the context rule set of one synonym.
type rule struct {
	lower, name, pos bool
	notPrev, notNext map[string]bool
	okPrev, okNext   map[string]bool
	need, notNear    map[string]bool
}

// parseContext parses the columns of commodity-context.txt.
func parseContext(lines [][]string) (map[string]*rule, error) {
	rules := map[string]*rule{}
	for n, f := range lines {
		if len(f) != 3 {
			return nil, fmt.Errorf("commodity-context.txt entry %d: %d fields, want 3", n+1, len(f))
		}
		r := rules[f[0]]
		if r == nil {
			r = &rule{}
			rules[f[0]] = r
		}
		set := func() map[string]bool {
			m := map[string]bool{}
			for _, w := range strings.Fields(f[2]) {
				m[w] = true
			}
			return m
		}
		switch f[1] {
		case "lower":
			r.lower = true
		case "name":
			r.name = true
		case "pos":
			r.pos = true
		case "not-prev":
			r.notPrev = set()
		case "not-next":
			r.notNext = set()
		case "ok-prev":
			r.okPrev = set()
		case "ok-next":
			r.okNext = set()
		case "need":
			r.need = set()
		case "not-near":
			r.notNear = set()
		default:
			return nil, fmt.Errorf("commodity-context.txt entry %d: unknown rule %q", n+1, f[1])
		}
	}
	return rules, nil
}

// phrase is one synonym split into words.
type phrase struct {
	words []string
	entry int
	rule  *rule
}

// index is the catalogue ready for matching.
type index struct {
	entries []CatalogueEntry
	first   map[string][]phrase // by first word, longest first
	// mayStart turns away most words that start no phrase before first
	// is looked up.
	mayStart *lexicon.Filter
}

// indexOnce parses the embedded catalogue and rules once; a
// malformed embedded file is a build defect, caught by the tests.
var indexOnce = sync.OnceValue(func() *index {
	x, err := buildIndex(lexicon.Columns("commodities.tsv"), lexicon.Columns("commodity-context.txt"))
	if err != nil {
		panic("commodity: " + err.Error())
	}
	return x
})

// buildIndex builds the matching index of a catalogue and its
// context rules.
func buildIndex(catalogue, context [][]string) (*index, error) {
	entries, err := parseCatalogue(catalogue)
	if err != nil {
		return nil, err
	}
	rules, err := parseContext(context)
	if err != nil {
		return nil, err
	}
	x := &index{entries: entries, first: map[string][]phrase{}}
	for i, e := range entries {
		for _, s := range e.Synonyms {
			words := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' })
			if len(words) == 0 {
				continue
			}
			x.first[words[0]] = append(x.first[words[0]], phrase{words: words, entry: i, rule: rules[s]})
		}
	}
	for _, ps := range x.first {
		slices.SortStableFunc(ps, func(a, b phrase) int { return len(b.words) - len(a.words) })
	}
	x.mayStart = lexicon.NewFilter(x.first)
	return x, nil
}

// isLetter reports whether the rune at text[i] is a letter or digit
// (so a match touching it would be inside a longer word).
func isLetter(text string, i int) bool {
	if i < 0 || i >= len(text) {
		return false
	}
	c := text[i]
	if c < 0x80 {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// letterBefore reports whether the rune ending at text[:i] is a
// letter or digit.
func letterBefore(text string, i int) bool {
	if i <= 0 {
		return false
	}
	c := text[i-1]
	if c < 0x80 {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// asciiWord returns the end of the run of ASCII letters at i.
func asciiWord(text string, i int) int {
	j := i
	for j < len(text) && (text[j] >= 'a' && text[j] <= 'z' || text[j] >= 'A' && text[j] <= 'Z') {
		j++
	}
	return j
}

// matcher holds the per-document state of Find.
type matcher struct {
	doc  *document.Document
	x    *index
	tags map[span][]tagger.Token // prose tags of the sentences asked about
	// wordCase counts the capitalised and lower-case words of the
	// sentences asked about, so a long sentence is counted once, not once
	// per match.
	wordCase map[span][2]int
}

// Find returns the COMMODITY mentions of doc, sorted by Start.
func Find(doc *document.Document) []trawl.Mention {
	x := indexOnce()
	cm := &matcher{doc: doc, x: x}
	s, atoms := doc.Text, doc.Tokens
	var out []trawl.Mention
	var buf [32]byte
	next := 0 // where the text after the last match starts
	for k, a := range atoms {
		// A phrase starts at a run of ASCII letters that is a whole word.
		if a.Class != text.Alpha || a.Start < next {
			continue
		}
		i, j := a.Start, a.End
		if k > 0 && atoms[k-1].End == i && wordAtom(s, atoms[k-1]) ||
			k+1 < len(atoms) && atoms[k+1].Start == j && wordAtom(s, atoms[k+1]) || j-i > len(buf) {
			continue
		}
		w := buf[:0]
		for b := i; b < j; b++ {
			c := s[b]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			w = append(w, c)
		}
		if !x.mayStart.MayHoldBytes(w) {
			continue
		}
		for _, p := range x.first[string(w)] {
			end, ok := matchRest(s, j, p.words[1:])
			if !ok || !cm.accept(i, end, p) {
				continue
			}
			e := x.entries[p.entry]
			out = append(out, trawl.Mention{Type: trawl.Commodity, Start: i, End: end, Text: s[i:end], Value: e.ID, Category: e.Category, Parents: slices.Clip(e.Parents)})
			next = end
			break
		}
	}
	return vegetableOil(doc, out)
}

// vegetableOil reads a bare "oil", "oils" or "crude" that shares its
// sentence with a vegetable oil or an oilseed ("soybean meal and oil",
// "crude, refined or purified vegetable oils") in an article that names no
// other energy commodity as the edible oil: a crude "oils" or "crude" is
// dropped, an "oil" or "oils" becomes a vegetable-oils mention (the oil
// pressed from the seed). An article that also names a petroleum product
// or another fuel ("crude oil", "petroleum", "natural gas") keeps them as
// crude oil.
func vegetableOil(doc *document.Document, ms []trawl.Mention) []trawl.Mention {
	var veg []span // the sentences with a vegetable oil or an oilseed
	for _, m := range ms {
		switch {
		case m.Value == "vegetable-oils" || m.Value == "oilseeds" || slices.Contains(m.Parents, "vegetable-oils") || slices.Contains(m.Parents, "oilseeds"):
			if sp, ok := doc.SentenceAt(m.Start); ok {
				veg = append(veg, sp)
			}
		case m.Category == "energy" && !(m.Value == "crude-oil" && bareOil(m.Text)):
			return ms
		}
	}
	if len(veg) == 0 {
		return ms
	}
	var vo *CatalogueEntry
	for i, e := range indexOnce().entries {
		if e.ID == "vegetable-oils" {
			vo = &indexOnce().entries[i]
		}
	}
	out := ms[:0]
	for _, m := range ms {
		if m.Value == "crude-oil" && bareOil(m.Text) {
			if sp, ok := doc.SentenceAt(m.Start); ok && slices.Contains(veg, sp) {
				if strings.EqualFold(m.Text, "crude") || vo == nil {
					continue
				}
				m.Value, m.Category, m.Parents = vo.ID, vo.Category, slices.Clip(vo.Parents)
			}
		}
		out = append(out, m)
	}
	return out
}

// bareOil reports whether a crude-oil mention is one of the words that
// also name edible oils: "oil", "oils", "crude".
func bareOil(s string) bool {
	return strings.EqualFold(s, "oil") || strings.EqualFold(s, "oils") || strings.EqualFold(s, "crude")
}

// inTicker reports whether the match [s, e) is part of a company name
// in the wire-copy convention that marks companies with angle brackets:
// inside the brackets ("<Triton Oil Corp>", "TRITON<OIL>"), or in the run of
// capitalised words just before a bracketed ticker ("IOWA-ILLINOIS GAS
// <IWG>", "KELLY OIL AND GAS PARTNERS <KLY>").
func inTicker(text string, s, e int) bool {
	for i := s - 1; i >= 0 && s-i < 80; i-- {
		if c := text[i]; c == '<' {
			for j := e; j < len(text) && j-e < 80; j++ {
				switch text[j] {
				case '>':
					return true
				case '<', '\n':
					return false
				}
			}
			return false
		} else if c == '>' || c == '\n' {
			break
		}
	}
	if text[s] < 'A' || text[s] > 'Z' {
		return false
	}
	i := e
	for n := 0; n < 5; n++ {
		for i < len(text) && (text[i] == ' ' || text[i] == '-' || text[i] == '&') {
			i++
		}
		if i < len(text) && text[i] == '<' {
			return true
		}
		j := asciiWord(text, i)
		w := text[i:j]
		if j == i || !isUpperASCII(text[i]) && w != "and" && w != "of" {
			return false
		}
		i = j
	}
	return false
}

// wordAtom reports whether the shared token a is made of letters,
// digits or '_', as isLetter tells them.
func wordAtom(s string, a text.Token) bool {
	return a.IsWord() || a.Class == text.Punct && s[a.Start] == '_'
}

// matchRest matches the remaining words of a phrase after position
// i: each separated by white space or one hyphen, case-insensitively, and
// returns the end of the match.
func matchRest(text string, i int, words []string) (int, bool) {
	for _, w := range words {
		k := i
		if k < len(text) && text[k] == '-' {
			k++
		} else {
			for k < len(text) && k-i < 16 && (text[k] == ' ' || text[k] == '\t' || text[k] == '\n' || text[k] == '\r') {
				k++
			}
			if k == i {
				return 0, false
			}
		}
		if len(text)-k < len(w) || !strings.EqualFold(text[k:k+len(w)], w) || isLetter(text, k+len(w)) {
			return 0, false
		}
		i = k + len(w)
	}
	return i, true
}

// nextWord returns the lower-case word after position i (skipping
// spaces and one hyphen), or "".
func nextWord(text string, i int) string {
	for i < len(text) && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r' || text[i] == '-') {
		i++
	}
	j := asciiWord(text, i)
	return strings.ToLower(text[i:j])
}

// prevWord returns the lower-case word before position i, or "".
func prevWord(text string, i int) string {
	for i > 0 && (text[i-1] == ' ' || text[i-1] == '\t' || text[i-1] == '\n' || text[i-1] == '\r' || text[i-1] == '-') {
		i--
	}
	j := i
	for j > 0 && (text[j-1] >= 'a' && text[j-1] <= 'z' || text[j-1] >= 'A' && text[j-1] <= 'Z') {
		j--
	}
	return strings.ToLower(text[j:i])
}

// wordAfter returns the lower-case second word after position i, or "".
func wordAfter(text string, i int) string {
	for i < len(text) && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r' || text[i] == '-') {
		i++
	}
	return nextWord(text, asciiWord(text, i))
}

// inOrgName reports whether the match [s, e) is a capitalised word inside a
// run of capitalised words in a sentence written in lower case ("Nippon
// Steel said", "US Steel", "Gold Fields"): in running text a commodity is
// written in lower case, so a capitalised one next to another capitalised
// word is part of a name (a company, a place), not a mention of the
// commodity. The first word of a sentence and headlines are left alone.
func (cm *matcher) inOrgName(s, e int) bool {
	text := cm.doc.Text
	if text[s] < 'A' || text[s] > 'Z' {
		return false
	}
	w := s - 1 // the start of the word before, with its dots ("U.S.")
	for w > 0 && (isLetter(text, w-1) || text[w-1] == '.') {
		w--
	}
	capBefore := s >= 2 && text[s-1] == ' ' && w < s-1 && isUpperASCII(text[w])
	capAfter := e+1 < len(text) && text[e] == ' ' && isUpperASCII(text[e+1])
	if !capBefore && !capAfter {
		return false
	}
	if capBefore {
		// the word before must be a word of the sentence, not its end
		if sp, ok := cm.doc.SentenceAt(s); ok && sp.Start >= s-1 {
			return false
		}
	}
	return cm.looksLikeName(s, e)
}

func isUpperASCII(c byte) bool { return c >= 'A' && c <= 'Z' }

// companySuffixes end company names, in which a commodity word is
// part of the name: "Occidental Petroleum Corp", "Iowa Beef Processors Inc".
var companySuffixes = map[string]bool{
	"corp": true, "co": true, "cos": true, "inc": true, "ltd": true, "plc": true, "llc": true,
	"company": true, "corporation": true, "industries": true, "limited": true, "ag": true,
	"nv": true, "sa": true, "bhd": true, "pty": true, "group": true,
}

// inCompanyName reports whether the capitalised match [s, e) is
// followed, within three capitalised words, by a company suffix.
func inCompanyName(text string, s, e int) bool {
	if text[s] < 'A' || text[s] > 'Z' {
		return false
	}
	i := e
	for n := 0; n < 4; n++ {
		for i < len(text) && (text[i] == ' ' || text[i] == '-' || text[i] == '&' || text[i] == '\n' && n == 0) {
			i++
		}
		j := asciiWord(text, i)
		if j == i || text[i] < 'A' || text[i] > 'Z' {
			return false
		}
		if companySuffixes[strings.ToLower(text[i:j])] {
			return true
		}
		i = j
		if i < len(text) && text[i] == '.' {
			return false
		}
	}
	return false
}

// accept applies the context rules of phrase p to the match [s, e).
func (cm *matcher) accept(s, e int, p phrase) bool {
	text := cm.doc.Text
	if inCompanyName(text, s, e) || inTicker(text, s, e) || cm.inOrgName(s, e) {
		return false
	}
	r := p.rule
	if r == nil {
		return true
	}
	if r.lower && strings.ToLower(text[s:e]) != text[s:e] {
		return false
	}
	if r.name && cm.looksLikeName(s, e) {
		return false
	}
	prev, next := prevWord(text, s), nextWord(text, e)
	if r.notPrev[prev] || r.notNext[next] || r.notNext[next+"_"+wordAfter(text, e)] {
		return false
	}
	if r.notNear != nil && cm.near(s, e, r.notNear) {
		return false
	}
	if r.okPrev[prev] || r.okNext[next] {
		return true
	}
	if r.need != nil && !cm.near(s, e, r.need) {
		return false
	}
	if r.pos && cm.taggedVerb(s) {
		return false
	}
	return true
}

// near reports whether a word of set is within four words of [s, e).
func (cm *matcher) near(s, e int, set map[string]bool) bool {
	text := cm.doc.Text
	i := e
	for n := 0; n < 4 && i < len(text); n++ {
		for i < len(text) && !(text[i] >= 'a' && text[i] <= 'z' || text[i] >= 'A' && text[i] <= 'Z') {
			if text[i] == '.' || text[i] == ';' {
				i = len(text)
				break
			}
			i++
		}
		j := asciiWord(text, i)
		if set[strings.ToLower(text[i:j])] {
			return true
		}
		i = j
	}
	i = s
	for n := 0; n < 4 && i > 0; n++ {
		for i > 0 && !(text[i-1] >= 'a' && text[i-1] <= 'z' || text[i-1] >= 'A' && text[i-1] <= 'Z') {
			if text[i-1] == '.' || text[i-1] == ';' {
				i = 0
				break
			}
			i--
		}
		j := i
		for j > 0 && (text[j-1] >= 'a' && text[j-1] <= 'z' || text[j-1] >= 'A' && text[j-1] <= 'Z') {
			j--
		}
		if set[strings.ToLower(text[j:i])] {
			return true
		}
		i = j
	}
	return false
}

// looksLikeName reports whether the match is capitalised inside a sentence
// whose other words are mostly lower case: "Copper Mountain", "Ms. Rice".
func (cm *matcher) looksLikeName(s, e int) bool {
	text := cm.doc.Text
	r, n := utf8.DecodeRuneInString(text[s:])
	if !unicode.IsUpper(r) || strings.ToUpper(text[s+n:e]) == text[s+n:e] {
		return false // lower case, or all capitals as in a wire headline
	}
	sp, ok := cm.doc.SentenceAt(s)
	if !ok {
		return false
	}
	p := s
	for p > sp.Start && !letterBefore(text, p) {
		p--
	}
	if p == sp.Start {
		return false // first word of the sentence
	}
	// a headline in title case capitalises most words
	c, ok := cm.wordCase[sp]
	if !ok {
		c = wordCase(text, sp)
		if cm.wordCase == nil {
			cm.wordCase = map[span][2]int{}
		}
		cm.wordCase[sp] = c
	}
	upper, lower := c[0], c[1]
	return upper*2 <= upper+lower+1 || lower > 2
}

// wordCase counts the words of more than three letters of a
// sentence that start with a capital and with a lower-case letter.
func wordCase(text string, sp span) [2]int {
	upper, lower := 0, 0
	for i := sp.Start; i < sp.End; {
		if !(text[i] >= 'a' && text[i] <= 'z' || text[i] >= 'A' && text[i] <= 'Z') {
			i++
			continue
		}
		j := asciiWord(text, i)
		if j-i > 3 {
			if text[i] >= 'A' && text[i] <= 'Z' {
				upper++
			} else {
				lower++
			}
		}
		i = j
	}
	return [2]int{upper, lower}
}

// taggedVerb reports whether prose tags the word at s as a verb; the
// sentence is tagged once per document.
func (cm *matcher) taggedVerb(s int) bool {
	sp, ok := cm.doc.SentenceAt(s)
	if !ok {
		return false
	}
	if cm.tags == nil {
		cm.tags = map[span][]tagger.Token{}
	}
	toks, ok := cm.tags[sp]
	if !ok {
		toks = tagger.Tag(cm.doc.Text[sp.Start:sp.End])
		cm.tags[sp] = toks
	}
	for _, t := range toks {
		if sp.Start+t.Start == s {
			return strings.HasPrefix(t.Tag, "VB")
		}
	}
	return false
}
