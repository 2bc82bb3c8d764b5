package commodity

import (
	"maps"
	"math"
	"slices"
	"sync"
)

// This file is an experiment, not part of the extractor: a label model
// that decides each Reuters-style label of an article (a catalogue
// commodity's topic code, or a parent group's) from the whole article, by
// a logistic model whose features are hashed into a fixed table of
// weights. Every feature weighs twice, once in a table part shared by all
// labels and once in the label's own part, so "oil" can weigh for crude
// only where the other words of the article say oil market, and words of
// trade statistics can weigh against every label at once.
// TestLabelModelCV measures it by cross-validation against the centrality
// model (rank.go); it did not beat that model (docs/accuracy.md), so Rank
// does not use it.

// labelBits is the size of the hashed weight table: 1<<labelBits weights.
const labelBits = 18

// sharedSpace is the namespace of the weights every label shares.
const sharedSpace = "*"

// hashKey is the 64-bit FNV-1a hash of a feature key.
func hashKey(parts ...string) uint64 {
	h := uint64(14695981039346656037)
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			h ^= uint64(p[i])
			h *= 1099511628211
		}
	}
	return h
}

// bucket is where the feature with key hash k weighs in namespace ns.
func bucket(ns, k uint64) uint32 {
	x := k ^ (ns * 0x9e3779b97f4a7c15)
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return uint32(x & (1<<labelBits - 1))
}

// docWords are the hashed word keys of an article, each once, sorted:
// "w:" and a lower-case word of the text, "t:" and one of the title.
type docWords []uint64

// articleKeys returns the word keys of an article.
func articleKeys(title, text string) docWords {
	var ks []uint64
	articleWords(title, text, func(w []byte) {
		if len(w) > 2 && w[0] == 'T' && w[1] == ':' {
			ks = append(ks, hashKey("t:", string(w[2:])))
			return
		}
		ks = append(ks, hashKey("w:", string(w)))
	})
	slices.Sort(ks)
	return slices.Compact(ks)
}

// labelCandidate is one label an article's commodity mentions ground: a
// Reuters code of a candidate commodity, or "#" and the id of a candidate
// with no code. Its mention features are the strongest of the commodities
// that give it.
type labelCandidate struct {
	label string
	x     [nFeatures]float64
	ctx   map[string]float64
}

// labelCandidates groups the candidates cs by the labels they give.
func labelCandidates(cs []candidate) []labelCandidate {
	at := map[string]int{}
	var out []labelCandidate
	for _, c := range cs {
		codes := reutersCodes()[c.id]
		if len(codes) == 0 {
			codes = []string{"#" + c.id}
		}
		for _, l := range codes {
			i, ok := at[l]
			if !ok {
				i = len(out)
				at[l] = i
				out = append(out, labelCandidate{label: l, x: c.x, ctx: maps.Clone(c.ctx)})
				continue
			}
			lc := &out[i]
			for j := range lc.x {
				if j == fFirst {
					lc.x[j] = min(lc.x[j], c.x[j])
				} else {
					lc.x[j] = max(lc.x[j], c.x[j])
				}
			}
			for k, v := range c.ctx {
				lc.ctx[k] = max(lc.ctx[k], v)
			}
		}
	}
	return out
}

// features calls visit with each feature of label candidate l of an
// article with word keys words: its bucket and value, in a fixed order.
func (l *labelCandidate) features(words docWords, visit func(b uint32, v float64)) {
	shared, own := hashKey(sharedSpace), hashKey(l.label)
	both := func(k uint64, v float64) {
		visit(bucket(shared, k), v)
		visit(bucket(own, k), v)
	}
	for j, x := range l.x {
		if x != 0 {
			both(hashKey("f:", featureNames[j]), x)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(l.ctx)) {
		both(hashKey("c:", k), l.ctx[k])
	}
	// The words weigh 1/sqrt(n) each, n the article's word keys, so that
	// a long article's words do not outweigh its mentions.
	wv := 1 / math.Sqrt(float64(max(len(words), 1)))
	for _, k := range words {
		both(k, wv)
	}
}

// prob is the logistic function.
func prob(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// logit is the log-odds of probability p, kept finite.
func logit(p float64) float64 {
	p = min(max(p, 1e-6), 1-1e-6)
	return math.Log(p / (1 - p))
}

// reutersCodes maps catalogue ids to their Reuters topic codes.
var reutersCodes = sync.OnceValue(reuters)
