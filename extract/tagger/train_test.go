package tagger

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sync/errgroup"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/eval"
	"github.com/trawlnews/trawl/extract/internal/gold"
	"github.com/trawlnews/trawl/internal/text"
)

var (
	train    = flag.Bool("train", false, "train the name tagger from ../shared/eval/train and rewrite ner.model (make train)")
	epochs   = flag.Int("epochs", 12, "training passes over the training part")
	seed     = flag.Uint64("seed", 12, "seed of the shuffle of the training documents")
	prune    = flag.Float64("prune", 0.1, "drop features whose averaged weights are all below this in absolute value")
	models   = flag.Int("models", 1, "perceptrons trained with seeds seed, seed+1...; the model is the mean of their weights")
	clusters = flag.Bool("clusters", false, "learn the word clusters from unlabelled text and rewrite clusters.txt.gz (make clusters)")
	folds    = flag.Int("folds", 1, "with -tune: score by this many folds of the training part (each scored by a model trained on the others) instead of its last 10%")
	minCount = flag.Int("mincount", 0, "drop features seen in fewer than this many tokens a training pass (on average over the passes)")
	augment  = flag.Float64("augment", 0, "share of the training documents that are trained on a second time with their first line (the headline) in title case (case augmentation, seeded by -seed)")
	tune     = flag.Bool("tune", false, "with -train: train on the first 90% of the training part and score on its last 10%, to choose features and settings without looking at the held-out part; ner.model is not written")
)

// trainFile reads the CoNLL-2003 training file and splits it into the part
// trained on and the held-out part (the last 15% of the records).
func trainFile(t *testing.T) (trainPart, heldOut []eval.Gold) {
	t.Helper()
	recs, err := eval.ReadGold(gold.Shared("eval", "train", "conll2003-train.jsonl"))
	if err != nil {
		t.Skipf("training data not available (needs ../shared next to the repository): %v", err)
	}
	cut := HeldOutStart(len(recs))
	return recs[:cut], recs[cut:]
}

// kindType maps the gold mention kinds to the tagger's types.
var kindType = map[trawl.Kind]Type{trawl.Person: Person, trawl.Organization: Organization, trawl.Location: Location, trawl.Misc: Misc}

// example is one training document: its sequence and gold labels.
type example struct {
	q    *sequence
	gold []label
}

// goldLabels gives each token of q its BIO label from the gold mentions;
// a token is in a mention when it starts inside it.
func goldLabels(q *sequence, ms []trawl.Mention) []label {
	ls := make([]label, len(q.words))
	mi := 0
	for i, w := range q.words {
		for mi < len(ms) && ms[mi].End <= w.start {
			mi++
		}
		if mi >= len(ms) || w.start < ms[mi].Start {
			continue
		}
		t, ok := kindType[ms[mi].Type]
		if !ok {
			continue
		}
		if w.start == ms[mi].Start || i == 0 || q.words[i-1].start < ms[mi].Start {
			ls[i] = begin(t)
		} else {
			ls[i] = inside(t)
		}
	}
	return ls
}

// examples turns recs into training examples, followed by the case
// augmentation's copies: a share -augment of the records, chosen by a
// generator seeded with -seed, again with their first line in title case.
// CoNLL-2003 headlines are in sentence case or in capitals; news elsewhere
// writes them in title case ("Actress Leaves Clinic, Checks Into Rehab"),
// where a name stands among capitalised common words.
func examples(recs []eval.Gold) []example {
	out := make([]example, 0, len(recs))
	for _, r := range recs {
		q := newSequence(r.Text, text.Tokens(nil, r.Text))
		out = append(out, example{q: q, gold: goldLabels(q, r.Mentions)})
	}
	if *augment <= 0 {
		return out
	}
	rng := rand.New(rand.NewPCG(*seed, *seed^0xca5e))
	for _, r := range recs {
		if rng.Float64() >= *augment {
			continue
		}
		s := titleCaseFirstLine(r.Text)
		if s == r.Text {
			continue
		}
		q := newSequence(s, text.Tokens(nil, s))
		out = append(out, example{q: q, gold: goldLabels(q, r.Mentions)})
	}
	return out
}

// smallWords stay in lower case inside a title-case line, as most
// newspapers' headline styles keep them.
var smallWords = map[string]bool{"a": true, "an": true, "the": true, "and": true, "or": true, "but": true, "of": true, "in": true, "on": true, "at": true, "to": true, "for": true, "by": true, "with": true, "as": true, "'s": true}

// titleCaseFirstLine writes the first line of s in title case: each word
// of ASCII letters capitalised and the rest of it in lower case, except the
// small words after the first and the words of one or two capitals or with
// a dot (acronyms: "UK", "U.S."). Only ASCII letters change, so every byte
// offset stays where it was.
func titleCaseFirstLine(s string) string {
	end := strings.IndexByte(s, '\n')
	if end < 0 {
		end = len(s)
	}
	b := []byte(s)
	first := true
	for i := 0; i < end; {
		for i < end && b[i] == ' ' {
			i++
		}
		j := i
		for j < end && b[j] != ' ' {
			j++
		}
		if i == j {
			break
		}
		titleCaseWord(b[i:j], first)
		first = false
		i = j
	}
	return string(b)
}

// titleCaseWord rewrites word w in place for titleCaseFirstLine.
func titleCaseWord(w []byte, first bool) {
	upper, lower := 0, 0
	for _, c := range w {
		switch {
		case c >= 'A' && c <= 'Z':
			upper++
		case c >= 'a' && c <= 'z':
			lower++
		case c == '.' || c >= 0x80:
			return
		}
	}
	if upper+lower == 0 {
		return
	}
	if !first && smallWords[strings.ToLower(string(w))] {
		for k, c := range w {
			if c >= 'A' && c <= 'Z' {
				w[k] = c + 'a' - 'A'
			}
		}
		return
	}
	if lower == 0 && upper <= 2 {
		return // "UK", "EU"
	}
	if lower > 0 && upper > 0 {
		// Mixed case ("McDonald", "iPhone"): a capital first letter only.
		if w[0] >= 'a' && w[0] <= 'z' {
			w[0] -= 'a' - 'A'
		}
		return
	}
	for k, c := range w {
		switch {
		case k == 0 && c >= 'a' && c <= 'z':
			w[k] = c - ('a' - 'A')
		case k > 0 && c >= 'A' && c <= 'Z':
			w[k] = c + 'a' - 'A'
		}
	}
}

// trainer is an averaged perceptron in training.
type trainer struct {
	index  map[uint64]int32
	w      []float64 // current weights, numLabels a row
	total  []float64 // weights summed over the steps, up to stamp
	stamp  []int     // step at which total was last brought up to date
	step   int
	counts []int // how often each feature was seen
}

func (tr *trainer) row(f uint64, add bool) int {
	r, ok := tr.index[f]
	if !ok {
		if !add {
			return -1
		}
		r = int32(len(tr.counts))
		tr.index[f] = r
		tr.w = append(tr.w, make([]float64, numLabels)...)
		tr.total = append(tr.total, make([]float64, numLabels)...)
		tr.stamp = append(tr.stamp, make([]int, numLabels)...)
		tr.counts = append(tr.counts, 0)
	}
	return int(r)
}

func (tr *trainer) scores(sc *[numLabels]float64, fs []uint64) {
	*sc = [numLabels]float64{}
	for _, f := range fs {
		r := tr.row(f, false)
		if r < 0 {
			continue
		}
		for l := range numLabels {
			sc[l] += tr.w[r*numLabels+l]
		}
	}
}

func (tr *trainer) update(fs []uint64, l label, d float64) {
	for _, f := range fs {
		r := tr.row(f, true)
		i := r*numLabels + int(l)
		tr.total[i] += float64(tr.step-tr.stamp[i]) * tr.w[i]
		tr.stamp[i] = tr.step
		tr.w[i] += d
	}
}

// trainModel trains one perceptron a seed, seed, seed+1 and on, on exs
// for the given passes each, shuffling the documents with its seed, and
// returns the mean of their averaged weights, pruned and quantised.
func trainModel(exs []example, passes int, seed uint64, prune float64) *Model {
	sum := map[uint64][]float64{}
	for k := range *models {
		for f, w := range trainAveraged(exs, passes, seed+uint64(k)) {
			if sum[f] == nil {
				sum[f] = make([]float64, numLabels)
			}
			for l := range numLabels {
				sum[f][l] += w[l] / float64(*models)
			}
		}
	}
	maxAbs := 0.0
	for _, w := range sum {
		for _, v := range w {
			maxAbs = max(maxAbs, math.Abs(v))
		}
	}
	scale := 30000 / maxAbs
	m := &Model{index: map[uint64]int32{}}
	keys := make([]uint64, 0, len(sum))
	for k := range sum {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		w := sum[k]
		keep := false
		for l := range numLabels {
			if math.Abs(w[l]) >= prune {
				keep = true
			}
		}
		if !keep {
			continue
		}
		m.index[k] = int32(len(m.weights) / numLabels)
		for l := range numLabels {
			m.weights = append(m.weights, int16(math.Round(w[l]*scale)))
		}
	}
	return m
}

// trainAveraged trains one averaged perceptron on exs and returns its
// averaged weights by feature.
func trainAveraged(exs []example, passes int, seed uint64) map[uint64][]float64 {
	tr := &trainer{index: map[uint64]int32{}}
	order := make([]int, len(exs))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	var fs []uint64
	var sc [numLabels]float64
	for range passes {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, ei := range order {
			ex := exs[ei]
			p1, p2 := labelO, labelO
			ex.q.history.reset(ex.q.capitals)
			for i := range ex.q.words {
				if !ex.q.scored(i, p1) {
					p1, p2 = labelO, p1
					continue
				}
				tr.step++
				fs = ex.q.features(fs[:0], i, p1, p2)
				for _, f := range fs {
					if r := tr.row(f, true); r >= 0 {
						tr.counts[r]++
					}
				}
				tr.scores(&sc, fs)
				pred := labelO
				for l := label(1); l < numLabels; l++ {
					if allowed(p1, l) && (ex.q.info[i].upper || !l.isBegin()) && sc[l] > sc[pred] {
						pred = l
					}
				}
				g := ex.gold[i]
				if !allowed(p1, g) {
					g = begin(g.typeOf())
				}
				if g.isBegin() && !ex.q.info[i].upper {
					g = labelO // out of reach: a name begins with a capitalised word
				}
				if pred != g {
					tr.update(fs, g, 1)
					tr.update(fs, pred, -1)
				}
				ex.q.record(i, pred)
				p1, p2 = pred, p1
			}
		}
	}
	out := make(map[uint64][]float64, len(tr.index))
	for f, r := range tr.index {
		if tr.counts[r] < *minCount*passes {
			continue
		}
		w := make([]float64, numLabels)
		for l := range numLabels {
			k := int(r)*numLabels + l
			w[l] = (tr.total[k] + float64(tr.step-tr.stamp[k])*tr.w[k]) / float64(tr.step)
		}
		out[f] = w
	}
	return out
}

// typeScore counts exact-span matches of one type.
type typeScore struct{ tp, fp, fn int }

func (s typeScore) prf() (p, r, f float64) {
	if s.tp+s.fp > 0 {
		p = float64(s.tp) / float64(s.tp+s.fp)
	}
	if s.tp+s.fn > 0 {
		r = float64(s.tp) / float64(s.tp+s.fn)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// score tags the held-out records with m and counts exact-span matches per
// type, as the evaluator's strict score does.
func score(m *Model, recs []eval.Gold) map[Type]*typeScore {
	out := map[Type]*typeScore{Person: {}, Organization: {}, Location: {}, Misc: {}}
	for _, r := range recs {
		q := newSequence(r.Text, text.Tokens(nil, r.Text))
		got := map[Name]bool{}
		for _, n := range names(q, m.tag(q)) {
			got[n] = true
		}
		for _, g := range r.Mentions {
			t, ok := kindType[g.Type]
			if !ok {
				continue
			}
			n := Name{Start: g.Start, End: g.End, Type: t}
			if got[n] {
				out[t].tp++
				delete(got, n)
			} else {
				out[t].fn++
			}
		}
		for n := range got {
			out[n.Type].fp++
		}
	}
	return out
}

// foldBounds returns the records [lo, hi) of fold k of n folds of recs.
func foldBounds(recs []eval.Gold, k, n int) (lo, hi int) {
	return len(recs) * k / n, len(recs) * (k + 1) / n
}

// trainFolds trains a model for each of n folds of recs on the other
// folds, side by side (each fold builds its own sequences, so they share
// nothing); fold k's model is out[k].
func trainFolds(recs []eval.Gold, n int) []*Model {
	out := make([]*Model, n)
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for k := range n {
		g.Go(func() error {
			lo, hi := foldBounds(recs, k, n)
			rest := append(slices.Clone(recs[:lo]), recs[hi:]...)
			out[k] = trainModel(examples(rest), *epochs, *seed, *prune)
			return nil
		})
	}
	g.Wait()
	return out
}

func report(scores map[Type]*typeScore) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| type | precision | recall | F1 |\n|---|---:|---:|---:|\n")
	all := typeScore{}
	for _, t := range []Type{Person, Organization, Location, Misc} {
		s := scores[t]
		p, r, f := s.prf()
		fmt.Fprintf(&b, "| %s | %.3f | %.3f | %.3f |\n", t, p, r, f)
		all.tp += s.tp
		all.fp += s.fp
		all.fn += s.fn
	}
	p, r, f := all.prf()
	fmt.Fprintf(&b, "| all | %.3f | %.3f | %.3f |\n", p, r, f)
	return b.String()
}

// TestTrain trains the model and rewrites ner.model when run with -train
// (make train); it reports the held-out scores of the new model.
func TestTrain(t *testing.T) {
	if !*train {
		t.Skip("run with -train (make train) to train the name tagger")
	}
	trainPart, heldOut := trainFile(t)
	if *tune && *folds > 1 {
		sum := map[Type]*typeScore{Person: {}, Organization: {}, Location: {}, Misc: {}}
		for k, m := range trainFolds(trainPart, *folds) {
			lo, hi := foldBounds(trainPart, k, *folds)
			for typ, s := range score(m, trainPart[lo:hi]) {
				sum[typ].tp += s.tp
				sum[typ].fp += s.fp
				sum[typ].fn += s.fn
			}
		}
		t.Logf("tuning: %d folds of the %d training records (strict spans):\n%s", *folds, len(trainPart), report(sum))
		return
	}
	if *tune {
		cut := len(trainPart) * 9 / 10
		m := trainModel(examples(trainPart[:cut]), *epochs, *seed, *prune)
		t.Logf("tuning: trained on %d records, scored on the next %d (strict spans), %d features:\n%s",
			cut, len(trainPart)-cut, len(m.index), report(score(m, trainPart[cut:])))
		return
	}
	start := time.Now()
	exs := examples(trainPart)
	m := trainModel(exs, *epochs, *seed, *prune)
	elapsed := time.Since(start)
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("ner.model", buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("trained on %d records (%d held out) in %s: %d passes, seed %d, %d features, ner.model %d bytes",
		len(trainPart), len(heldOut), elapsed.Round(time.Millisecond), *epochs, *seed, len(m.index), buf.Len())
	t.Logf("held-out scores (strict spans):\n%s", report(score(m, heldOut)))
}

// TestHeldOut scores the embedded model on the held-out 15% of the
// training file: a reader of docs/accuracy.md would notice a model that
// lost accuracy.
func TestHeldOut(t *testing.T) {
	_, heldOut := trainFile(t)
	scores := score(embedded(), heldOut)
	t.Logf("held-out scores of ner.model (strict spans):\n%s", report(scores))
	want := map[Type]float64{Person: 0.93, Organization: 0.83, Location: 0.92}
	for typ, min := range want {
		if _, _, f := scores[typ].prf(); f < min {
			t.Errorf("held-out %s F1 = %.3f, want >= %.2f", typ, f, min)
		}
	}
}

func TestTitleCaseFirstLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"China says time right for Taiwan talks .\nBEIJING 1996-08-22", "China Says Time Right for Taiwan Talks .\nBEIJING 1996-08-22"},
		{"SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT .\nAL-AIN", "Soccer - Japan Get Lucky Win , China in Surprise Defeat .\nAL-AIN"},
		{"U.S. and UK back McDonald 's bid", "U.S. and UK Back McDonald 's Bid"},
		{"the end", "The End"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, titleCaseFirstLine(tt.in)); diff != "" {
			t.Errorf("titleCaseFirstLine(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}
