package tagger

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trawlnews/trawl/extract/internal/gold"
	"github.com/trawlnews/trawl/internal/text"
)

// clusterSettings are the choices of make clusters, fixed so that the
// table is rebuilt byte for byte.
const (
	clusterWords    = 20000 // the most frequent words that get a cluster
	clusterMinCount = 3     // and only words seen at least this often
	clusterContexts = 2000  // the most frequent words used as contexts
	clusterDepth    = 20    // bits of a path at most
	clusterLeaf     = 4     // a set of at most this many words is not split
	clusterRounds   = 8     // 2-means rounds a split
)

// clusterOffsets are the places of the context words, relative to the word.
var clusterOffsets = []int{-2, -1, 1, 2}

// lowerASCII lower-cases the ASCII letters of w, as hashLower does.
func lowerASCII(w string) string {
	b := []byte(w)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// clusterTexts returns the unlabelled texts the clusters are learned
// from: the training part of the CoNLL-2003 file (never its held-out 15%)
// and the benchmark corpus, in a fixed order.
func clusterTexts(t *testing.T) []string {
	trainPart, _ := trainFile(t)
	var out []string
	for _, r := range trainPart {
		out = append(out, r.Text)
	}
	files, _ := filepath.Glob(gold.Shared("bench", "corpus", "*.txt"))
	if len(files) == 0 {
		t.Skip("benchmark corpus not available (needs ../shared/bench/corpus)")
	}
	slices.Sort(files)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(raw))
	}
	return out
}

// buildClusters learns a binary hierarchy of the frequent words of texts
// from the words seen next to them: each word is a vector of the positive
// pointwise mutual information of its left and right neighbours (among
// the most frequent words), and the words are split in two along their
// principal direction, refined by spherical 2-means, again and again, down to clusterDepth bits. It returns each
// word's path ("0110...").
func buildClusters(texts []string) map[string]string {
	var seqs [][]string
	count := map[string]int{}
	var atoms []text.Token
	var ws []word
	for _, s := range texts {
		atoms = text.Tokens(atoms[:0], s)
		ws = words(s, atoms, ws)
		seq := make([]string, len(ws))
		for i, w := range ws {
			seq[i] = lowerASCII(s[w.start:w.end])
			count[seq[i]]++
		}
		seqs = append(seqs, seq)
	}
	byFreq := make([]string, 0, len(count))
	for w := range count {
		byFreq = append(byFreq, w)
	}
	slices.SortFunc(byFreq, func(a, b string) int {
		if count[a] != count[b] {
			return count[b] - count[a]
		}
		return strings.Compare(a, b)
	})
	vocab := map[string]int32{}
	for _, w := range byFreq {
		if len(vocab) == clusterWords || count[w] < clusterMinCount {
			break
		}
		vocab[w] = int32(len(vocab))
	}
	ctxID := map[string]int32{}
	for _, w := range byFreq[:min(clusterContexts, len(byFreq))] {
		ctxID[w] = int32(len(ctxID))
	}
	const edge = clusterContexts // the context id of a text's edge
	dims := len(clusterOffsets) * (clusterContexts + 1)
	pairs := make([]map[int32]float64, len(vocab))
	for i := range pairs {
		pairs[i] = map[int32]float64{}
	}
	ctxTotal := make([]float64, dims)
	wordTotal := make([]float64, len(vocab))
	total := 0.0
	ctxOf := func(seq []string, k int) int32 {
		if k < 0 || k >= len(seq) {
			return edge
		}
		if c, ok := ctxID[seq[k]]; ok {
			return c
		}
		return -1
	}
	for _, seq := range seqs {
		for i, w := range seq {
			id, ok := vocab[w]
			if !ok {
				continue
			}
			for d, off := range clusterOffsets {
				c := ctxOf(seq, i+off)
				if c < 0 {
					continue
				}
				f := int32(d*(clusterContexts+1)) + c
				pairs[id][f]++
				ctxTotal[f]++
				wordTotal[id]++
				total++
			}
		}
	}
	// Sparse unit vectors of positive PMI.
	type entry struct {
		f int32
		v float32
	}
	vecs := make([][]entry, len(vocab))
	for id, m := range pairs {
		var v []entry
		norm := 0.0
		for f, n := range m {
			pmi := math.Log(n * total / (wordTotal[id] * ctxTotal[f]))
			if pmi > 0 {
				v = append(v, entry{f, float32(pmi)})
				norm += pmi * pmi
			}
		}
		slices.SortFunc(v, func(a, b entry) int { return int(a.f - b.f) })
		for k := range v {
			v[k].v /= float32(math.Sqrt(norm))
		}
		vecs[id] = v
	}
	dot := func(c []float32, v []entry) float32 {
		s := float32(0)
		for _, e := range v {
			s += c[e.f] * e.v
		}
		return s
	}
	mean := func(ids []int32) []float32 {
		c := make([]float32, dims)
		for _, id := range ids {
			for _, e := range vecs[id] {
				c[e.f] += e.v
			}
		}
		norm := float32(0)
		for _, x := range c {
			norm += x * x
		}
		if norm > 0 {
			n := float32(math.Sqrt(float64(norm)))
			for k := range c {
				c[k] /= n
			}
		}
		return c
	}
	unit := func(id int32) []float32 {
		c := make([]float32, dims)
		for _, e := range vecs[id] {
			c[e.f] = e.v
		}
		return c
	}
	// principalHalves splits ids along the principal direction of their
	// vectors (a few rounds of power iteration from a fixed start) and
	// returns the unit means of the two sides, where 2-means starts.
	principalHalves := func(ids []int32) ([]float32, []float32) {
		m := make([]float64, dims)
		for _, id := range ids {
			for _, e := range vecs[id] {
				m[e.f] += float64(e.v)
			}
		}
		for k := range m {
			m[k] /= float64(len(ids))
		}
		v := make([]float64, dims)
		for k := range v {
			v[k] = float64(k%7) - 3 // a fixed start that no mean is parallel to
		}
		proj := make([]float64, len(ids))
		for range 12 {
			mv := 0.0
			for k := range v {
				mv += m[k] * v[k]
			}
			sum := 0.0
			for j, id := range ids {
				s := -mv
				for _, e := range vecs[id] {
					s += float64(e.v) * v[e.f]
				}
				proj[j] = s
				sum += s
			}
			next := make([]float64, dims)
			for j, id := range ids {
				for _, e := range vecs[id] {
					next[e.f] += proj[j] * float64(e.v)
				}
			}
			norm := 0.0
			for k := range next {
				next[k] -= m[k] * sum
				norm += next[k] * next[k]
			}
			if norm == 0 {
				break
			}
			for k := range next {
				next[k] /= math.Sqrt(norm)
			}
			v = next
		}
		var left, right []int32
		for j, id := range ids {
			if proj[j] >= 0 {
				left = append(left, id)
			} else {
				right = append(right, id)
			}
		}
		if len(left) == 0 || len(right) == 0 {
			return unit(ids[0]), unit(ids[len(ids)-1])
		}
		return mean(left), mean(right)
	}
	paths := make([]string, len(vocab))
	var split func(ids []int32, path string)
	split = func(ids []int32, path string) {
		if len(ids) <= clusterLeaf || len(path) == clusterDepth {
			for _, id := range ids {
				paths[id] = path
			}
			return
		}
		ca, cb := principalHalves(ids)
		var left, right []int32
		for range clusterRounds {
			left, right = left[:0], right[:0]
			for _, id := range ids {
				if dot(ca, vecs[id]) >= dot(cb, vecs[id]) {
					left = append(left, id)
				} else {
					right = append(right, id)
				}
			}
			if len(left) == 0 || len(right) == 0 {
				break
			}
			ca, cb = mean(left), mean(right)
		}
		if len(left) == 0 || len(right) == 0 {
			for _, id := range ids {
				paths[id] = path
			}
			return
		}
		split(slices.Clone(left), path+"0")
		split(slices.Clone(right), path+"1")
	}
	all := make([]int32, len(vocab))
	for i := range all {
		all[i] = int32(i)
	}
	split(all, "")
	out := make(map[string]string, len(vocab))
	for w, id := range vocab {
		out[w] = paths[id]
	}
	return out
}

// TestBuildClusters learns the word clusters and rewrites clusters.txt.gz
// when run with -clusters (make clusters).
func TestBuildClusters(t *testing.T) {
	if !*clusters {
		t.Skip("run with -clusters (make clusters) to learn the word clusters")
	}
	texts := clusterTexts(t)
	paths := buildClusters(texts)
	keys := make([]string, 0, len(paths))
	for w := range paths {
		keys = append(keys, w)
	}
	slices.Sort(keys)
	var b strings.Builder
	fmt.Fprintf(&b, clusterHeader, len(texts), clusterWords, clusterMinCount, clusterContexts, clusterDepth)
	for _, w := range keys {
		fmt.Fprintf(&b, "%s\t%s\n", w, paths[w])
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write([]byte(b.String()))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("clusters.txt.gz", buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d texts, %d words clustered, clusters.txt.gz %d bytes", len(texts), len(keys), buf.Len())
}

const clusterHeader = `# Word clusters of the name tagger: a lower-cased word, a tab, its path in
# a binary hierarchy of words (each bit one split; words that share a
# prefix occur between the same words). Built by make clusters
# (TestBuildClusters in clusters_build_test.go) from %d unlabelled texts:
# the first 85%% of the CoNLL-2003 training file (Reuters 1996; research use
# under the Reuters RCV1 agreement), never its held-out 15%%, and the
# benchmark corpus (BBC News 2004-05, Greene & Cunningham 2006, research
# use; Reuters-21578, Reuters-21578 distribution terms). Like ner.model it
# is a model derived from that text, not the text: the %d most frequent
# words seen at least %d times, each a vector of the positive pointwise
# mutual information of its left and right neighbours among the %d most
# frequent words, split by spherical 2-means down to %d bits.
`
