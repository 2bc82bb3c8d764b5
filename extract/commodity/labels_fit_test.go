package commodity

import (
	"flag"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var (
	l2Labels   = flag.String("l2-labels", "1e-4,3e-4,1e-3", "L2 penalties of the label model to choose from by cross-validation, comma-separated")
	labelSteps = flag.Int("label-steps", 600, "gradient steps of the label model's fit")
	labelCV    = flag.Bool("label-cv", false, "measure the label model by cross-validation on the first half of the Reuters file (TestLabelModelCV)")
)

// mixes are the weights of the label model's log-odds against the
// centrality model's that TestLabelModelCV measures (0: the centrality
// model alone, 1: the label model alone).
var mixes = []float64{0, 0.3, 0.5, 0.7, 1}

// labelRow is one grounded label of an article in the fit: its features
// (buckets and values), its target and its article.
type labelRow struct {
	b   []uint32
	v   []float64
	y   float64
	doc int
	l   string
}

// labelDoc is what the fit keeps of an article to turn label decisions
// into listed commodities: its candidates' Reuters codes.
type labelDoc struct {
	codes [][]string
}

// buildLabelRows returns the rows of the labels the articles' commodity
// mentions ground (codes of candidates; a candidate with none gives no
// row), and the codes of each article's candidates.
func buildLabelRows(docs []labelled) ([]labelRow, []labelDoc) {
	var rows []labelRow
	lds := make([]labelDoc, len(docs))
	for i, d := range docs {
		cs := candidates(d.ms, d.title, d.text, &model{})
		for _, c := range cs {
			lds[i].codes = append(lds[i].codes, reutersCodes()[c.id])
		}
		words := articleKeys(d.title, d.text)
		for _, lc := range labelCandidates(cs) {
			if strings.HasPrefix(lc.label, "#") {
				continue
			}
			r := labelRow{doc: i, l: lc.label}
			if d.gold[lc.label] {
				r.y = 1
			}
			acc := map[uint32]float64{}
			lc.features(words, func(b uint32, v float64) { acc[b] += v })
			for _, b := range slices.Sorted(maps.Keys(acc)) {
				r.b = append(r.b, b)
				r.v = append(r.v, acc[b])
			}
			rows = append(rows, r)
		}
	}
	return rows, lds
}

func avgLen(rows []labelRow) int {
	n := 0
	for _, r := range rows {
		n += len(r.b)
	}
	return n / max(len(rows), 1)
}

func trainLabels(rows []labelRow, l2 float64) []float64 {
	const rate = 0.1
	nw := 1 << labelBits
	w := make([]float64, nw)
	g := make([]float64, nw)
	h := make([]float64, nw)
	n := float64(len(rows))
	touched := make([]bool, nw)
	var used []int
	for _, r := range rows {
		for _, b := range r.b {
			if !touched[b] {
				touched[b] = true
				used = append(used, int(b))
			}
		}
	}
	slices.Sort(used)
	for range *labelSteps {
		for _, j := range used {
			g[j] = 0
		}
		for _, r := range rows {
			z := 0.0
			for k, j := range r.b {
				z += r.v[k] * w[j]
			}
			d := 1/(1+math.Exp(-z)) - r.y
			for k, j := range r.b {
				g[j] += d * r.v[k]
			}
		}
		for _, j := range used {
			gj := g[j]/n + l2*w[j]
			h[j] += gj * gj
			if h[j] > 0 {
				w[j] -= rate * gj / math.Sqrt(h[j])
			}
		}
	}
	return w
}

func labelProbs(rows []labelRow, w []float64) []float64 {
	out := make([]float64, len(rows))
	for i, r := range rows {
		z := 0.0
		for k, j := range r.b {
			z += r.v[k] * w[j]
		}
		out[i] = prob(z)
	}
	return out
}

func crossLabelProbs(rows []labelRow, l2 float64) []float64 {
	out := make([]float64, len(rows))
	for k := range *folds {
		var in []labelRow
		var outIdx []int
		for i, r := range rows {
			if r.doc%*folds == k {
				outIdx = append(outIdx, i)
			} else {
				in = append(in, r)
			}
		}
		w := trainLabels(in, l2)
		for _, i := range outIdx {
			out[i] = labelProbs(rows[i:i+1], w)[0]
		}
	}
	return out
}

// scoreLabels is the document-label score of the decisions p >= t: an
// article lists each candidate commodity all of whose Reuters codes are
// decided, and its labels are the codes of those it lists.
func scoreLabels(docs []labelled, lds []labelDoc, rows []labelRow, p []float64, t float64) (prec, rec float64, tp, fp, fn int) {
	decided := make([]map[string]bool, len(docs))
	for i := range decided {
		decided[i] = map[string]bool{}
	}
	for i, r := range rows {
		if p[i] >= t {
			decided[r.doc][r.l] = true
		}
	}
	for i, d := range docs {
		got := map[string]bool{}
		for _, codes := range lds[i].codes {
			all := len(codes) > 0
			for _, c := range codes {
				all = all && decided[i][c]
			}
			if all {
				for _, c := range codes {
					got[c] = true
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

// ensembleProbs combines the label model's out-of-fold probabilities p
// with the centrality model's: a label's centrality probability is the
// highest of the commodities that give it; the two log-odds are averaged
// with weight a on the label model.
func ensembleProbs(rows []labelRow, p []float64, oldRows fitData, oldP []float64, a float64) []float64 {
	type key struct {
		doc   int
		label string
	}
	best := map[key]float64{}
	for i, r := range oldRows.rows {
		for _, l := range r.labels {
			k := key{r.doc, l}
			best[k] = max(best[k], oldP[i])
		}
	}
	out := make([]float64, len(rows))
	for i, r := range rows {
		out[i] = prob(a*logit(p[i]) + (1-a)*logit(best[key{r.doc, r.l}]))
	}
	return out
}

// TestLabelModelCV measures the label model (labels_test.go) by 5-fold
// cross-validation inside the first half of the Reuters file, alone and
// mixed with the centrality model, against the centrality model alone:
// for each L2 penalty and mix it logs the out-of-fold precision and recall
// at the threshold rule of TestFitCentrality and, with -v, the curve. It
// reads nothing of the second half.
func TestLabelModelCV(t *testing.T) {
	if !*labelCV {
		t.Skip("run with -label-cv to measure the label model by cross-validation (slow)")
	}
	fitPart, _ := reutersParts(t)
	oldFD := buildRows(fitPart)
	oldP := crossScores(oldFD)
	rows, lds := buildLabelRows(fitPart)
	t.Logf("label model: %d grounded labels, %d features a row on average", len(rows), avgLen(rows))
	for _, s := range strings.Split(*l2Labels, ",") {
		l2, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("-l2-labels %q: %v", s, err)
		}
		oof := crossLabelProbs(rows, l2)
		for _, mix := range mixes {
			ep := ensembleProbs(rows, oof, oldFD, oldP, mix)
			_, all, _, _, _ := scoreLabels(fitPart, lds, rows, ep, 0)
			var th, p, r float64
			var tp, fp, fn int
			for k := 1; k < 100; k++ {
				x := float64(k) / 100
				xp, xr, xtp, xfp, xfn := scoreLabels(fitPart, lds, rows, ep, x)
				if xr < all-*maxLoss {
					break
				}
				th, p, r, tp, fp, fn = x, xp, xr, xtp, xfp, xfn
			}
			t.Logf("L2 %g mix %.1f: threshold %.2f, first half out of fold P %.3f R %.3f (TP %d FP %d FN %d)", l2, mix, th, p, r, tp, fp, fn)
			if testing.Verbose() {
				for k := 2; k <= 50; k += 2 {
					p, r, _, _, _ := scoreLabels(fitPart, lds, rows, ep, float64(k)/100)
					t.Logf("curve: L2 %g mix %.1f threshold %.2f: P %.3f R %.3f", l2, mix, float64(k)/100, p, r)
				}
			}
		}
	}
}

// TestLabelGateCV measures, by 5-fold cross-validation inside the first
// half of the Reuters file, an article gate added to the centrality
// model: a logistic model over the hashed words of an article and the
// strongest mention features of its commodities, fitted to whether any
// label its mentions ground is one of its topic labels, whose log-odds are
// added (with a weight) to each label's centrality log-odds. Many wrong
// labels go to articles with no commodity label at all. It logs the
// out-of-fold curve for each penalty and weight.
func TestLabelGateCV(t *testing.T) {
	if !*labelCV {
		t.Skip("run with -label-cv to measure the article gate by cross-validation (slow)")
	}
	fitPart, _ := reutersParts(t)
	oldFD := buildRows(fitPart)
	oldP := crossScores(oldFD)
	rows, lds := buildLabelRows(fitPart)
	// One gate row per article with a grounded label: its words and the
	// strongest mention features of its commodities; target 1 when one of
	// its grounded labels is a gold label.
	pos := map[int]bool{}
	has := map[int]bool{}
	for _, r := range rows {
		has[r.doc] = true
		if r.y == 1 {
			pos[r.doc] = true
		}
	}
	var gates []labelRow
	gateAt := map[int]int{}
	for _, i := range slices.Sorted(maps.Keys(has)) {
		d := fitPart[i]
		cs := candidates(d.ms, d.title, d.text, &model{})
		lc := labelCandidate{label: "#gate"}
		for k, c := range cs {
			for j := range lc.x {
				if k == 0 {
					lc.x[j] = c.x[j]
				} else if j == fFirst {
					lc.x[j] = min(lc.x[j], c.x[j])
				} else {
					lc.x[j] = max(lc.x[j], c.x[j])
				}
			}
		}
		r := labelRow{doc: i, l: "#gate"}
		if pos[i] {
			r.y = 1
		}
		acc := map[uint32]float64{}
		lc.features(articleKeys(d.title, d.text), func(b uint32, v float64) { acc[b] += v })
		for _, b := range slices.Sorted(maps.Keys(acc)) {
			r.b = append(r.b, b)
			r.v = append(r.v, acc[b])
		}
		gateAt[i] = len(gates)
		gates = append(gates, r)
	}
	t.Logf("%d gate rows", len(gates))
	base := ensembleProbs(rows, make([]float64, len(rows)), oldFD, oldP, 0)
	for _, l2 := range []float64{3e-4, 1e-3} {
		gp := crossLabelProbs(gates, l2)
		for _, beta := range []float64{0, 0.25, 0.5, 1} {
			ep := make([]float64, len(rows))
			for i, r := range rows {
				ep[i] = prob(logit(base[i]) + beta*logit(gp[gateAt[r.doc]]))
			}
			for k := 2; k <= 60; k += 2 {
				p, r, tp, fp, fn := scoreLabels(fitPart, lds, rows, ep, float64(k)/100)
				if r < 0.94 {
					break
				}
				t.Logf("gate L2 %g weight %.2f threshold %.2f: first half out of fold P %.3f R %.3f (TP %d FP %d FN %d)", l2, beta, float64(k)/100, p, r, tp, fp, fn)
			}
		}
	}
}
