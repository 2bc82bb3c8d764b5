package commodity

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"sync"
	"time"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/extract/document"
)

// LeadBytes is how much of an article's text counts as its lead when
// commodities are ranked: about the first two sentences of a news story.
const LeadBytes = 400

// The features of one commodity of an article, the inputs of the
// centrality model (centralityModel). A parent's features add up its
// children's mentions and its own.
const (
	fBias     = iota // always 1
	fTitle           // 1 when the title names it
	fCount           // log(1 + its mentions in the text)
	fShare           // its mentions / the article's COMMODITY mentions
	fLead            // 1 when it is mentioned in the first LeadBytes of the text
	fFirst           // where it is first mentioned: offset / (offset + 1000), 0 at the start
	fTop             // 1 when no other commodity of the article has more mentions
	fKinds           // log of the number of distinct commodities the article mentions
	fDensity         // the article's COMMODITY mentions per 1000 bytes of text, at most 10, / 10
	fAnyTitle        // 1 when the title names some commodity
	fTotal           // log(1 + the article's COMMODITY mentions)
	nFeatures
)

// featureNames name the features, in order, for the fitted weights' file.
var featureNames = [nFeatures]string{"bias", "title", "count", "share", "lead", "first", "top", "kinds", "density", "anytitle", "total"}

// model is the centrality model: a logistic regression over the features
// of a commodity, the words next to its mentions, and, for each commodity
// on its own, the words of the article and the other commodities it names.
type model struct {
	// w weighs the features, in the order of the f constants.
	w [nFeatures]float64
	// context weighs the words next to a commodity's mentions: "next:w" is
	// the share of its mentions followed by the word w, "prev:w" the share
	// preceded by it ("oil and gas properties", "lower oil prices").
	context map[string]float64
	// words weighs, for each commodity id, the words of the article: a key
	// is a lower-case word of the text ("opec"), a word of the title with
	// "T:" before it ("T:opec"), "#bias" (the commodity's own bias), or
	// "#with:" and the id of another commodity the text names
	// ("#with:natural-gas"). A word counts once however often it occurs.
	words map[string][]idWeight
	// threshold is the centrality a commodity needs to be listed.
	threshold float64
}

// idWeight is the weight of one key of model.words for one commodity.
type idWeight struct {
	id string
	w  float64
}

// wordIndex numbers the keys of model.words, so an article's words can be
// counted once each in a fixed order, and holds their weights by the
// catalogue position of the commodity, so that adding them up compares no
// strings.
type wordIndex struct {
	at      map[string]int32
	table   keyTable // at, for the lookup of every word of an article
	weights [][]posWeight
	pos     map[string]int32 // catalogue position by id
}

// posWeight is an idWeight with the catalogue position of its id.
type posWeight struct {
	pos int32
	w   float64
}

// index returns the numbered keys of m.words, built once per model.
func (m *model) index() *wordIndex {
	if m == &centralityModel {
		return centralityIndex()
	}
	return newWordIndex(m.words)
}

var centralityIndex = sync.OnceValue(func() *wordIndex { return newWordIndex(centralityModel.words) })

func newWordIndex(words map[string][]idWeight) *wordIndex {
	keys := make([]string, 0, len(words))
	for k := range words {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	x := &wordIndex{at: make(map[string]int32, len(keys)), weights: make([][]posWeight, len(keys)), pos: map[string]int32{}}
	for i, e := range indexOnce().entries {
		x.pos[e.ID] = int32(i)
	}
	x.table = newKeyTable(keys)
	for i, k := range keys {
		x.at[k] = int32(i)
		for _, iw := range words[k] {
			if p, ok := x.pos[iw.id]; ok {
				x.weights[i] = append(x.weights[i], posWeight{p, iw.w})
			}
		}
	}
	return x
}

// keyTable numbers strings like a map from string to int32, as an
// open-addressing table of their hashes at most a quarter full, which the
// sparse features' lookup of every word of an article reads faster than a
// map.
type keyTable struct {
	slots []keySlot
	keys  []string
}

// keySlot is one key of a keyTable: its hash and its number plus one (0
// is an empty slot).
type keySlot struct {
	hash uint64
	n    int32
}

// newKeyTable numbers keys by their index.
func newKeyTable(keys []string) keyTable {
	size := 16
	for size < 4*len(keys) {
		size <<= 1
	}
	t := keyTable{slots: make([]keySlot, size), keys: keys}
	mask := uint64(size - 1)
	for n, k := range keys {
		h := keyHash([]byte(k))
		i := h & mask
		for t.slots[i].n != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = keySlot{hash: h, n: int32(n + 1)}
	}
	return t
}

// keyHash is the FNV-1a hash of w.
func keyHash(w []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range w {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// find returns the number of key w, or ok false when w is no key.
func (t *keyTable) find(w []byte) (n int32, ok bool) {
	h := keyHash(w)
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.n == 0 {
			return 0, false
		}
		if s.hash == h && t.keys[s.n-1] == string(w) {
			return s.n - 1, true
		}
	}
}

// articleWords calls visit with each word key of the article (see
// model.words): the lower-case words of the text of two to 24 ASCII
// letters, and those of the title with "T:" before them. The key is only
// valid during the call.
func articleWords(title, text string, visit func(key []byte)) {
	var buf [26]byte
	scan := func(s string, prefix string) {
		for i := 0; i < len(s); {
			c := s[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				i++
				continue
			}
			j := asciiWord(s, i)
			if n := j - i; n >= 2 && n <= 24 {
				w := append(buf[:0], prefix...)
				for k := i; k < j; k++ {
					c := s[k]
					if c >= 'A' && c <= 'Z' {
						c += 'a' - 'A'
					}
					w = append(w, c)
				}
				visit(w)
			}
			i = j
		}
	}
	scan(text, "")
	scan(title, "T:")
}

// sparse adds to the candidates' scores the weights of model.words: each
// key of the article once, in the order of the index.
func (m *model) sparse(cs []candidate, title, text string) {
	if len(m.words) == 0 || len(cs) == 0 {
		return
	}
	x := m.index()
	// The article's keys as a set of key numbers, one bit a key: read in
	// order, each once, they are the keys sorted without repeats.
	var small [64]uint64
	seen := small[:]
	if n := (len(x.weights) + 63) / 64; n > len(seen) {
		seen = make([]uint64, n)
	}
	articleWords(title, text, func(w []byte) {
		if i, ok := x.table.find(w); ok {
			seen[i/64] |= 1 << (i % 64)
		}
	})
	var buf []byte
	key := func(s ...string) {
		buf = buf[:0]
		for _, p := range s {
			buf = append(buf, p...)
		}
		if i, ok := x.at[string(buf)]; ok {
			seen[i/64] |= 1 << (i % 64)
		}
	}
	key("#bias")
	for _, c := range cs {
		if c.named {
			key("#with:", c.id)
		}
	}
	var buf256 [256]float64
	z := buf256[:]
	if n := len(x.pos); n > len(z) {
		z = make([]float64, n)
	}
	for wi, word := range seen {
		for ; word != 0; word &= word - 1 {
			k := wi*64 + bits.TrailingZeros64(word)
			for _, pw := range x.weights[k] {
				z[pw.pos] += pw.w
			}
		}
	}
	for j := range cs {
		if p, ok := x.pos[cs[j].id]; ok {
			cs[j].z += z[p]
		}
	}
}

// candidate is one commodity of an article with its features and its
// centrality.
type candidate struct {
	id    string
	x     [nFeatures]float64
	ctx   map[string]float64 // the shares of its mentions next to each word: "next:prices"
	z     float64            // the model's log-odds that the article is about it
	score float64            // the same as a probability
	order float64            // the log-odds without the context and article words: how central its mentions are, for the order
	first int                // byte offset of its first mention
	named bool               // the text mentions it, not only a child
}

// candidates returns every commodity the mentions ms name or imply, with
// their features and centrality, in no particular order.
func candidates(ms []trawl.Mention, title, text string, cm *model) []candidate {
	type tally struct {
		n, first  int
		lead      bool
		mentioned bool
		title     bool
		ctx       map[string]float64
	}
	tallies := map[string]*tally{}
	var order []string
	add := func(id string, m trawl.Mention, mentioned bool) {
		pos := m.Start
		t := tallies[id]
		if t == nil {
			t = &tally{first: pos, ctx: map[string]float64{}}
			tallies[id] = t
			order = append(order, id)
		}
		if m.End <= len(text) {
			if w := prevWord(text, m.Start); w != "" {
				t.ctx["prev:"+w]++
			}
			if w := nextWord(text, m.End); w != "" {
				t.ctx["next:"+w]++
			}
		}
		t.n++
		t.first = min(t.first, pos)
		t.lead = t.lead || pos < LeadBytes
		t.mentioned = t.mentioned || mentioned
	}
	total := 0
	for _, m := range ms {
		if m.Type != trawl.Commodity || m.Value == "" {
			continue
		}
		total++
		add(m.Value, m, true)
		for _, p := range m.Parents {
			add(p, m, false)
		}
	}
	anyTitle := false
	if title != "" && total > 0 {
		doc := document.New(title, time.Time{})
		for _, m := range Find(doc) {
			anyTitle = true
			for _, id := range append([]string{m.Value}, m.Parents...) {
				if t := tallies[id]; t != nil {
					t.title = true
				}
			}
		}
		doc.Release()
	}
	most, kinds := 0, 0
	for _, t := range tallies {
		if t.mentioned {
			most = max(most, t.n)
			kinds++
		}
	}
	out := make([]candidate, 0, len(order))
	for _, id := range order {
		t := tallies[id]
		for k := range t.ctx {
			t.ctx[k] /= float64(t.n)
		}
		c := candidate{id: id, first: t.first, named: t.mentioned, ctx: t.ctx}
		c.x[fBias] = 1
		c.x[fTitle] = b2f(t.title)
		c.x[fCount] = math.Log1p(float64(t.n))
		c.x[fShare] = float64(t.n) / float64(total)
		c.x[fLead] = b2f(t.lead)
		c.x[fFirst] = float64(t.first) / float64(t.first+1000)
		c.x[fTop] = b2f(t.n >= most)
		c.x[fKinds] = math.Log(float64(max(kinds, 1)))
		c.x[fDensity] = min(float64(total)*1000/float64(max(len(text), 1)), 10) / 10
		c.x[fAnyTitle] = b2f(anyTitle)
		c.x[fTotal] = math.Log1p(float64(total))
		c.z = cm.logOdds(&c.x, c.ctx)
		c.order = cm.logOdds(&c.x, nil)
		out = append(out, c)
	}
	cm.sparse(out, title, text)
	for i := range out {
		out[i].score = 1 / (1 + math.Exp(-out[i].z))
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// logOdds is the part of the logistic model that does not depend on the
// article's words: the log-odds, given features x and the context shares
// ctx, that the article is about the commodity.
func (cm *model) logOdds(x *[nFeatures]float64, ctx map[string]float64) float64 {
	z := 0.0
	for i := range x {
		z += x[i] * cm.w[i]
	}
	// The context terms are summed in fixed point (1e-9), so that the sum
	// does not depend on the order of the map and the output is the same
	// from run to run.
	var fixed int64
	for k, v := range ctx {
		fixed += int64(math.Round(v * cm.context[k] * 1e9))
	}
	return z + float64(fixed)/1e9
}

// Rank returns the commodities the article is about: the catalogue ids of
// its COMMODITY mentions ms and their parents whose centrality reaches
// the model's threshold, most central first. Centrality is a logistic model
// (centralityModel, fitted on Reuters-21578 topic labels) over how the
// article mentions a commodity: whether the title names it, how often and
// how early the text does, its share of the article's commodity mentions,
// how many commodities the article names, and the words next to its
// mentions ("oil and gas properties" is an asset, "oil prices" the
// commodity); and, for each commodity on its own, the words of the article
// and of its title ("opec" and "barrels" for crude oil, "dividend" against
// it) and the other commodities the text names. A parent counts its
// children's mentions with its own, so it is listed with its child
// ("aluminium", "base-metals"), and a story naming wheat, corn and barley
// once each can be a grain story when none of the three is central alone.
// A commodity named once in passing ("lower oil prices hurt exports") is
// not what the article is about and is left out; its mentions stay. The
// order is by centrality from the mentions alone (by title, count,
// position and share, without the words: "copper prices rose" is a
// copper story, though wire copy often writes "oil prices" in passing);
// ties go to a commodity the text names over a parent only implied, then to
// the earlier first mention, then to the id. The result is never nil.
//
// Each commodity is decided on its own, so two named in one coordination
// can part ("tariffs on imported steel and aluminum" can list aluminium and
// not steel). Listing every commodity of a coordination (mentions joined
// only by commas, "and", "or" or "as well as") when the model keeps one of
// them was measured on the Reuters labels and not adopted: on the fitted
// first half precision fell from .689 to .676 with recall unchanged at .967
// (second half .660 to .650, recall .948 unchanged); the labels it added
// were mostly the other half of "oil and gas" and "iron and steel" in
// stories the labels give only one of. Search does not lose the other one:
// its commodity filter matches every commodity an article mentions
// (index.Doc.Mentioned), and only about: matches this list.
func Rank(ms []trawl.Mention, title, text string) []string {
	cm := &centralityModel
	cs := candidates(ms, title, text, cm)
	cs = slices.DeleteFunc(cs, func(c candidate) bool { return c.score < cm.threshold })
	slices.SortFunc(cs, func(a, b candidate) int {
		if c := cmp.Compare(b.order, a.order); c != 0 {
			return c
		}
		if a.named != b.named {
			if a.named {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(a.first, b.first); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.id
	}
	return ids
}
