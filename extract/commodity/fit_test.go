package commodity

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/eval"
	"github.com/trawlnews/trawl/extract/document"
	"github.com/trawlnews/trawl/extract/internal/gold"
)

var (
	fit        = flag.Bool("fit", false, "fit the centrality model on the first half of ../shared/eval/dev/reuters-commodities.jsonl and rewrite centrality.go (make fit-commodity)")
	maxLoss    = flag.Float64("max-loss", 0.005, "how much of the first half's label recall without a threshold the fitted threshold may lose")
	minContext = flag.Int("min-context", 20, "how many mentions of the first half a word must be next to for a context weight")
	minWord    = flag.Int("min-word", 8, "how many candidates of a commodity in the first half must have a word for a weight of that word")
	l2Dense    = flag.Float64("l2-dense", 1e-4, "L2 penalty on the weights of the f features")
	l2Sparse   = flag.Float64("l2-sparse", 1e-2, "L2 penalty on the weights of context and article words")
	heldout    = flag.Bool("heldout", true, "log the scores of the second half")
	write      = flag.Bool("write", true, "rewrite centrality.go")
	fitSteps   = flag.Int("steps", 1500, "gradient steps of the fit")
	folds      = flag.Int("folds", 5, "cross-validation folds of the first half for the threshold")
)

// labelled is one article of the Reuters file: its commodity mentions,
// title and text, and its gold Reuters topic labels.
type labelled struct {
	ms          []trawl.Mention
	title, text string
	gold        map[string]bool
}

// reutersParts reads the Reuters-21578 commodity file and returns its two
// halves (eval.Split), the first to fit on and the second to report on.
func reutersParts(t *testing.T) (fitPart, heldOut []labelled) {
	t.Helper()
	recs, err := eval.ReadGold(gold.Shared("eval", "dev", "reuters-commodities.jsonl"))
	if err != nil {
		t.Skipf("Reuters commodity labels not available (needs ../shared next to the repository): %v", err)
	}
	_, a, b, ok := eval.Split(recs)
	if !ok {
		t.Fatal("eval.Split has no rule for reuters-commodities.jsonl")
	}
	part := func(p eval.Part) []labelled {
		out := make([]labelled, len(p.Records))
		for k, i := range p.Records {
			r := recs[i]
			doc := document.New(r.Text, time.Time{})
			ms := Find(doc)
			doc.Release()
			out[k] = labelled{ms: ms, title: r.Title, text: r.Text, gold: map[string]bool{}}
			for _, l := range r.Commodities {
				out[k].gold[l] = true
			}
		}
		return out
	}
	return part(a), part(b)
}

// reuters maps catalogue ids to their Reuters topic codes.
func reuters() map[string][]string {
	m := map[string][]string{}
	for _, e := range Catalogue() {
		m[e.ID] = e.Reuters
	}
	return m
}

// labelScore is the document-label score of trawl eval: the labels of the
// commodities Rank lists under model cm against the gold labels.
func labelScore(docs []labelled, cm *model) (p, r float64, tp, fp, fn int) {
	labels := reuters()
	for _, d := range docs {
		got := map[string]bool{}
		for _, c := range candidates(d.ms, d.title, d.text, cm) {
			if c.score >= cm.threshold {
				for _, l := range labels[c.id] {
					got[l] = true
				}
			}
		}
		for l := range got {
			if d.gold[l] {
				tp++
			} else {
				fp++
			}
		}
		for l := range d.gold {
			if !got[l] {
				fn++
			}
		}
	}
	return float64(tp) / float64(max(tp+fp, 1)), float64(tp) / float64(max(tp+fn, 1)), tp, fp, fn
}

// A fitRow is one candidate of the fit: its features as indexes into the
// fit's feature table with their values, its target and its article.
type fitRow struct {
	f      []int32
	v      []float64
	y      float64
	doc    int
	labels []string // its Reuters codes
}

// fitData is the fit's rows and feature table.
type fitData struct {
	rows  []fitRow
	names []string // feature names: the f constants, then "ctx:" and a context key, then "w:" id NUL key
}

// sparseKeys returns the model.words keys of candidate c of an article
// whose word keys are words and whose candidates are cs.
func sparseKeys(c candidate, cs []candidate, words []string) []string {
	keys := append([]string{"#bias"}, words...)
	for _, o := range cs {
		if o.named && o.id != c.id {
			keys = append(keys, "#with:"+o.id)
		}
	}
	return keys
}

// buildRows turns the candidates of docs into rows. A candidate's target is
// the share of its Reuters codes that are gold labels of its article
// (wheat, whose codes are wheat and grain, is 1/2 in an article labelled
// grain alone): the share of the labels it gives that are right.
// Candidates with no Reuters code are left out. Context words get a
// feature when at least -min-context mentions are next to them, an
// article's words a feature for a commodity when at least -min-word
// candidates of that commodity have them.
func buildRows(docs []labelled) fitData {
	labels := reuters()
	empty := &model{}
	type docFeatures struct {
		cs    []candidate
		words []string
	}
	dfs := make([]docFeatures, len(docs))
	ctxSeen := map[string]int{}
	wordSeen := map[string]int{}
	for i, d := range docs {
		cs := candidates(d.ms, d.title, d.text, empty)
		set := map[string]bool{}
		articleWords(d.title, d.text, func(w []byte) { set[string(w)] = true })
		words := make([]string, 0, len(set))
		for w := range set {
			words = append(words, w)
		}
		slices.Sort(words)
		dfs[i] = docFeatures{cs, words}
		for _, c := range cs {
			if c.named {
				for k, v := range c.ctx {
					ctxSeen[k] += int(math.Round(v * math.Expm1(c.x[fCount])))
				}
			}
			if len(labels[c.id]) == 0 {
				continue
			}
			for _, k := range sparseKeys(c, cs, words) {
				wordSeen[c.id+"\x00"+k]++
			}
		}
	}
	var fd fitData
	at := map[string]int32{}
	add := func(name string) {
		at[name] = int32(len(fd.names))
		fd.names = append(fd.names, name)
	}
	for _, n := range featureNames {
		add(n)
	}
	for _, k := range slices.Sorted(maps.Keys(ctxSeen)) {
		if ctxSeen[k] >= *minContext {
			add("ctx:" + k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(wordSeen)) {
		if wordSeen[k] >= *minWord || strings.HasSuffix(k, "\x00#bias") {
			add("w:" + k)
		}
	}
	for i, d := range docs {
		for _, c := range dfs[i].cs {
			ls := labels[c.id]
			if len(ls) == 0 {
				continue
			}
			r := fitRow{doc: i, labels: ls}
			for _, l := range ls {
				if d.gold[l] {
					r.y++
				}
			}
			r.y /= float64(len(ls))
			for j, x := range c.x {
				if x != 0 {
					r.f = append(r.f, int32(j))
					r.v = append(r.v, x)
				}
			}
			keys := make([]string, 0, len(c.ctx))
			for k := range c.ctx {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				if j, ok := at["ctx:"+k]; ok {
					r.f = append(r.f, j)
					r.v = append(r.v, c.ctx[k])
				}
			}
			for _, k := range sparseKeys(c, dfs[i].cs, dfs[i].words) {
				if j, ok := at["w:"+c.id+"\x00"+k]; ok {
					r.f = append(r.f, j)
					r.v = append(r.v, 1)
				}
			}
			fd.rows = append(fd.rows, r)
		}
	}
	return fd
}

// train fits the weights of the logistic model on rows by full-batch
// gradient descent with per-weight step sizes (AdaGrad) and an L2 penalty,
// from zero weights: deterministic, no random state.
func train(rows []fitRow, nf int) []float64 {
	const rate = 0.1
	steps := *fitSteps
	w := make([]float64, nf)
	g := make([]float64, nf)
	h := make([]float64, nf)
	n := float64(len(rows))
	for range steps {
		clear(g)
		for _, r := range rows {
			z := 0.0
			for k, j := range r.f {
				z += r.v[k] * w[j]
			}
			d := 1/(1+math.Exp(-z)) - r.y
			for k, j := range r.f {
				g[j] += d * r.v[k]
			}
		}
		for j := range w {
			gj := g[j] / n
			switch {
			case j == fBias:
			case j < nFeatures:
				gj += *l2Dense * w[j]
			default:
				gj += *l2Sparse * w[j]
			}
			h[j] += gj * gj
			if h[j] > 0 {
				w[j] -= rate * gj / math.Sqrt(h[j])
			}
		}
	}
	return w
}

// rowScores returns the probability of each row under weights w.
func rowScores(rows []fitRow, w []float64) []float64 {
	out := make([]float64, len(rows))
	for i, r := range rows {
		z := 0.0
		for k, j := range r.f {
			z += r.v[k] * w[j]
		}
		out[i] = 1 / (1 + math.Exp(-z))
	}
	return out
}

// rowLabelScore is labelScore over rows with the probabilities p: an
// article's labels are the codes of its rows that reach threshold t.
func rowLabelScore(docs []labelled, rows []fitRow, p []float64, t float64) (prec, rec float64, tp, fp, fn int) {
	got := make([]map[string]bool, len(docs))
	for i, r := range rows {
		if p[i] < t {
			continue
		}
		if got[r.doc] == nil {
			got[r.doc] = map[string]bool{}
		}
		for _, l := range r.labels {
			got[r.doc][l] = true
		}
	}
	for i, d := range docs {
		for l := range got[i] {
			if d.gold[l] {
				tp++
			} else {
				fp++
			}
		}
		for l := range d.gold {
			if !got[i][l] {
				fn++
			}
		}
	}
	return float64(tp) / float64(max(tp+fp, 1)), float64(tp) / float64(max(tp+fn, 1)), tp, fp, fn
}

// crossScores returns the out-of-fold probability of every row: the
// articles are dealt into -folds folds by record order (article i in fold
// i mod folds), and each fold is scored by a model fitted on the others.
func crossScores(fd fitData) []float64 {
	out := make([]float64, len(fd.rows))
	for k := range *folds {
		var in []fitRow
		var outIdx []int
		for i, r := range fd.rows {
			if r.doc%*folds == k {
				outIdx = append(outIdx, i)
			} else {
				in = append(in, r)
			}
		}
		w := train(in, len(fd.names))
		for _, i := range outIdx {
			out[i] = rowScores(fd.rows[i:i+1], w)[0]
		}
	}
	return out
}

// toModel turns fitted weights into a model, rounded to 4 decimals and
// without the weights that round to 0.
func toModel(fd fitData, w []float64) model {
	m := model{context: map[string]float64{}, words: map[string][]idWeight{}}
	for j, name := range fd.names {
		x := round4(w[j])
		switch {
		case j < nFeatures:
			m.w[j] = x
		case x == 0:
		case strings.HasPrefix(name, "ctx:"):
			m.context[name[len("ctx:"):]] = x
		default:
			id, key, _ := strings.Cut(name[len("w:"):], "\x00")
			m.words[key] = append(m.words[key], idWeight{id, x})
		}
	}
	return m
}

// round4 rounds a weight to 4 decimals, so the file is the same from one
// fit to the next on any machine.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// TestFitCentrality fits the centrality model on the first half of the
// Reuters file. The threshold is chosen on that half alone, by
// cross-validation: the highest (in steps of 0.01) at which the
// out-of-fold label recall is at most -max-loss below the out-of-fold
// recall with no threshold. With -fit it rewrites centrality.go. It logs
// the scores of both halves (the second only with -heldout).
func TestFitCentrality(t *testing.T) {
	if !*fit {
		t.Skip("run with -fit to refit the centrality model (make fit-commodity)")
	}
	fitPart, heldOut := reutersParts(t)
	fd := buildRows(fitPart)
	t.Logf("%d candidates, %d features", len(fd.rows), len(fd.names))
	oof := crossScores(fd)
	_, all, _, _, _ := rowLabelScore(fitPart, fd.rows, oof, 0)
	threshold := 0.0
	for k := 1; k < 100; k++ {
		if _, r, _, _, _ := rowLabelScore(fitPart, fd.rows, oof, float64(k)/100); r < all-*maxLoss {
			break
		}
		threshold = float64(k) / 100
	}
	if testing.Verbose() {
		for k := 2; k <= 50; k++ {
			p, r, _, _, _ := rowLabelScore(fitPart, fd.rows, oof, float64(k)/100)
			t.Logf("curve: threshold %.2f: first half out of fold P %.3f R %.3f", float64(k)/100, p, r)
		}
	}
	op, or, otp, ofp, ofn := rowLabelScore(fitPart, fd.rows, oof, threshold)
	t.Logf("threshold %.2f, first half out of fold: P %.3f R %.3f (TP %d FP %d FN %d)", threshold, op, or, otp, ofp, ofn)
	m := toModel(fd, train(fd.rows, len(fd.names)))
	m.threshold = threshold
	parts := []struct {
		name string
		docs []labelled
	}{{"first half (fitted on)", fitPart}}
	if *heldout {
		parts = append(parts, struct {
			name string
			docs []labelled
		}{"second half (held out)", heldOut})
	}
	for _, p := range parts {
		pr, r, tp, fp, fn := labelScore(p.docs, &m)
		t.Logf("threshold %.2f, %s: P %.3f R %.3f (TP %d FP %d FN %d)", m.threshold, p.name, pr, r, tp, fp, fn)
	}
	if !*write {
		return
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by TestFitCentrality (make fit-commodity); DO NOT EDIT.\n\npackage commodity\n\n")
	fmt.Fprintf(&b, "// centralityModel is the centrality model, fitted by logistic regression\n"+
		"// (full-batch AdaGrad from zero weights, L2 %g on the features and %g on\n"+
		"// the words, deterministic) on the first half of\n"+
		"// ../shared/eval/dev/reuters-commodities.jsonl (Reuters-21578 ModApte\n"+
		"// train, %d articles, eval.Split). A commodity's target is the share of\n"+
		"// its Reuters codes among the article's topic labels. Context words are\n"+
		"// those next to at least %d mentions of that half; an article's words\n"+
		"// weigh for a commodity when at least %d of its candidates there have\n"+
		"// them. The threshold is the highest (in steps of 0.01) whose %d-fold\n"+
		"// cross-validated label recall on that half is at most %.3f below the\n"+
		"// recall without one (out of fold there: TP %d FP %d FN %d); the other\n"+
		"// half is the held-out score in docs/accuracy.md.\n",
		*l2Dense, *l2Sparse, len(fitPart), *minContext, *minWord, *folds, *maxLoss, otp, ofp, ofn)
	fmt.Fprintf(&b, "var centralityModel = model{\n\tw: [nFeatures]float64{")
	for i, x := range m.w {
		fmt.Fprintf(&b, "\n\t\t%s: %v, // %s", constNames[i], x, featureNames[i])
	}
	fmt.Fprintf(&b, "\n\t},\n\tcontext: map[string]float64{")
	for _, k := range slices.Sorted(maps.Keys(m.context)) {
		fmt.Fprintf(&b, "\n\t\t%q: %v,", k, m.context[k])
	}
	fmt.Fprintf(&b, "\n\t},\n\twords: map[string][]idWeight{")
	for _, k := range slices.Sorted(maps.Keys(m.words)) {
		fmt.Fprintf(&b, "\n\t\t%q: {", k)
		for i, iw := range m.words[k] {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "{%q, %v}", iw.id, iw.w)
		}
		b.WriteString("},")
	}
	fmt.Fprintf(&b, "\n\t},\n\tthreshold: %v,\n}\n", m.threshold)
	src, err := format.Source(b.Bytes())
	if err != nil {
		t.Fatalf("format centrality.go: %v", err)
	}
	if err := os.WriteFile("centrality.go", src, 0o644); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ws := range m.words {
		n += len(ws)
	}
	t.Logf("wrote centrality.go: %d context words, %d word weights, threshold %.2f", len(m.context), n, m.threshold)
}

// constNames are the names of the feature constants, for centrality.go.
var constNames = [nFeatures]string{"fBias", "fTitle", "fCount", "fShare", "fLead", "fFirst", "fTop", "fKinds", "fDensity", "fAnyTitle", "fTotal"}
