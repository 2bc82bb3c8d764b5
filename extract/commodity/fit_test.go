package commodity

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"math"
	"os"
	"slices"
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

// fitModel fits the logistic model by full-batch gradient descent with an
// L2 penalty, from zero weights: deterministic, no random state. A
// candidate's target is 1 when one of its Reuters codes is a gold label of
// its article; candidates with no Reuters code are left out. Context words
// get a weight when at least -min-context mentions of docs are next to
// them.
func fitModel(docs []labelled) model {
	labels := reuters()
	type row struct {
		x   [nFeatures]float64
		ctx []int // indexes into vocab
		v   []float64
		y   float64
	}
	var cs [][]candidate
	seen := map[string]int{}
	empty := &model{}
	for _, d := range docs {
		c := candidates(d.ms, d.title, d.text, empty)
		cs = append(cs, c)
		for _, c := range c {
			if c.named {
				for k, v := range c.ctx {
					seen[k] += int(math.Round(v * math.Expm1(c.x[fCount])))
				}
			}
		}
	}
	var vocab []string
	for k, n := range seen {
		if n >= *minContext {
			vocab = append(vocab, k)
		}
	}
	slices.Sort(vocab)
	at := map[string]int{}
	for i, k := range vocab {
		at[k] = i
	}
	var rows []row
	for i, d := range docs {
		for _, c := range cs[i] {
			ls := labels[c.id]
			if len(ls) == 0 {
				continue
			}
			r := row{x: c.x}
			if slices.ContainsFunc(ls, func(l string) bool { return d.gold[l] }) {
				r.y = 1
			}
			keys := make([]string, 0, len(c.ctx))
			for k := range c.ctx {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				if j, ok := at[k]; ok {
					r.ctx = append(r.ctx, j)
					r.v = append(r.v, c.ctx[k])
				}
			}
			rows = append(rows, r)
		}
	}
	const (
		steps = 3000
		rate  = 0.5
		l2    = 1e-4 // on the features
		l2ctx = 1e-3 // on the context words, which are many and each seen less
	)
	var w [nFeatures]float64
	u := make([]float64, len(vocab))
	for range steps {
		var g [nFeatures]float64
		gu := make([]float64, len(vocab))
		for _, r := range rows {
			z := 0.0
			for j := range r.x {
				z += r.x[j] * w[j]
			}
			for k, j := range r.ctx {
				z += r.v[k] * u[j]
			}
			d := 1/(1+math.Exp(-z)) - r.y
			for j := range g {
				g[j] += d * r.x[j]
			}
			for k, j := range r.ctx {
				gu[j] += d * r.v[k]
			}
		}
		n := float64(len(rows))
		for j := range w {
			reg := l2 * w[j]
			if j == fBias {
				reg = 0
			}
			w[j] -= rate * (g[j]/n + reg)
		}
		for j := range u {
			u[j] -= rate * (gu[j]/n + l2ctx*u[j])
		}
	}
	m := model{context: map[string]float64{}}
	for j := range w {
		m.w[j] = round4(w[j])
	}
	for j, k := range vocab {
		if x := round4(u[j]); x != 0 {
			m.context[k] = x
		}
	}
	return m
}

// round4 rounds a weight to 4 decimals, so the file is the same from one
// fit to the next on any machine.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// TestFitCentrality fits the centrality model on the first half of the
// Reuters file and picks the highest threshold that costs at most -max-loss
// of the label recall that half has without a threshold; with -fit it
// rewrites centrality.go. It logs the scores of both halves.
func TestFitCentrality(t *testing.T) {
	if !*fit {
		t.Skip("run with -fit to refit the centrality model (make fit-commodity)")
	}
	fitPart, heldOut := reutersParts(t)
	m := fitModel(fitPart)
	_, all, _, _, _ := labelScore(fitPart, &m)
	for k := 1; k < 100; k++ {
		try := m
		try.threshold = float64(k) / 100
		if _, r, _, _, _ := labelScore(fitPart, &try); r < all-*maxLoss {
			break
		}
		m.threshold = try.threshold
	}
	if testing.Verbose() {
		for k := 5; k < 100; k += 5 {
			try := m
			try.threshold = float64(k) / 100
			pa, ra, _, _, _ := labelScore(fitPart, &try)
			pb, rb, _, _, _ := labelScore(heldOut, &try)
			t.Logf("curve: threshold %.2f: first half P %.3f R %.3f, second half P %.3f R %.3f", try.threshold, pa, ra, pb, rb)
		}
	}
	var none model
	for _, cm := range []*model{&none, &m} {
		for _, p := range []struct {
			name string
			docs []labelled
		}{{"first half (fitted on)", fitPart}, {"second half (held out)", heldOut}} {
			pr, r, tp, fp, fn := labelScore(p.docs, cm)
			t.Logf("threshold %.2f, %s: P %.3f R %.3f (TP %d FP %d FN %d)", cm.threshold, p.name, pr, r, tp, fp, fn)
		}
	}
	_, _, tp, fp, fn := labelScore(fitPart, &m)
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by TestFitCentrality (make fit-commodity); DO NOT EDIT.\n\npackage commodity\n\n")
	fmt.Fprintf(&b, "// centralityModel is the centrality model, fitted by logistic regression\n"+
		"// (full-batch gradient descent from zero weights, deterministic) on the\n"+
		"// first half of ../shared/eval/dev/reuters-commodities.jsonl (Reuters-21578\n"+
		"// ModApte train, %d articles, eval.Split): a commodity is central when one\n"+
		"// of its Reuters codes is among the article's topic labels. Context words\n"+
		"// are those next to at least %d mentions of that half. The threshold is\n"+
		"// the highest (in steps of 0.01) that costs at most %.3f of the label\n"+
		"// recall the fitted half has without one (there: TP %d FP %d FN %d); the\n"+
		"// other half is the held-out score in docs/accuracy.md.\n", len(fitPart), *minContext, *maxLoss, tp, fp, fn)
	fmt.Fprintf(&b, "var centralityModel = model{\n\tw: [nFeatures]float64{")
	for i, x := range m.w {
		fmt.Fprintf(&b, "\n\t\t%s: %v, // %s", constNames[i], x, featureNames[i])
	}
	fmt.Fprintf(&b, "\n\t},\n\tcontext: map[string]float64{")
	keys := make([]string, 0, len(m.context))
	for k := range m.context {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "\n\t\t%q: %v,", k, m.context[k])
	}
	fmt.Fprintf(&b, "\n\t},\n\tthreshold: %v,\n}\n", m.threshold)
	src, err := format.Source(b.Bytes())
	if err != nil {
		t.Fatalf("format centrality.go: %v", err)
	}
	if err := os.WriteFile("centrality.go", src, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote centrality.go: %d context words, threshold %.2f", len(m.context), m.threshold)
}

// constNames are the names of the feature constants, for centrality.go.
var constNames = [nFeatures]string{"fBias", "fTitle", "fCount", "fShare", "fLead", "fFirst", "fTop", "fKinds", "fDensity", "fAnyTitle", "fTotal"}
