package dates

import (
	"flag"
	"maps"
	"math"
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
	cvRun   = flag.Bool("cv", false, "cross-validate learned value and span choices on TempEval-3's TimeBank part against the rules (make cv-dates)")
	cvMin   = flag.Int("min-count", 3, "how many training rows a feature must have to get a weight")
	cvSteps = flag.Int("steps", 2000, "gradient steps of a fit")
	cvFolds = flag.Int("folds", 5, "cross-validation folds of TimeBank, by document")
	cvDrop  = flag.String("drop", "", "comma-separated feature kinds (prev, next, expr, first, head, anchor...) left out")
)

// cvL2s are the L2 penalties the cross-validation tries.
var cvL2s = []float64{0.001, 0.003, 0.01, 0.03, 0.1}

// cvRow is one decision: its document (by order in the TimeBank part), its
// features, how many values it chooses from, which the rules chose, which
// is right by the gold, and for a span decision whether keeping it is an
// exact match.
type cvRow struct {
	doc     int
	f       []string
	n, rule int
	y       int
	exact   bool
	text    string // the expression, lower-cased
}

// goldForm is v as the scorer compares it with a gold value: a period of a
// year left open is the year.
func goldForm(v value) string {
	if v.gran == dgYearOnly {
		return yearVal(v.y).String()
	}
	return v.String()
}

// timeBank is what the rules find on TempEval-3's TimeBank part (the
// first part of eval.Split; the AQUAINT part is never read here): the value
// decisions whose gold value is one of their values, the keep-or-drop
// decision of every scored mention, the number of documents and gold DATE
// mentions.
type timeBank struct {
	values, spans, bounds []cvRow
	docs, gold            int
}

func readTimeBank(t *testing.T) timeBank {
	t.Helper()
	recs := gold.Records(t, "tempeval3.jsonl")
	_, part, _, ok := eval.Split(recs)
	if !ok || part.Name != "TimeBank" {
		t.Fatalf("eval.Split of tempeval3.jsonl: first part %q, want TimeBank", part.Name)
	}
	tb := timeBank{docs: len(part.Records)}
	for k, i := range part.Records {
		r := recs[i]
		doc := document.New(r.Text, time.Time{})
		if r.Published != "" {
			pub, err := time.Parse("2006-01-02", r.Published)
			if err != nil {
				t.Fatalf("tempeval3.jsonl %s: published %q: %v", r.ID, r.Published, err)
			}
			doc.Published = pub
		}
		var golds []trawl.Mention
		for _, m := range r.Mentions {
			if m.Type == trawl.Date {
				golds = append(golds, m)
			}
		}
		tb.gold += len(golds)
		find(nil, doc, func(state parser, h hit, s, e int) {
			p := &state
			g, ok := goldAt(golds, s, e)
			if !ok {
				for _, ig := range r.Ignore {
					if ig.Start < e && s < ig.End {
						return // the scorer drops it
					}
				}
			}
			tb.spans = append(tb.spans, cvRow{doc: k, f: p.spanFeatures(h, s, e), n: 2, y: map[bool]int{true: 0, false: 1}[ok], exact: ok && g.Start == s && g.End == e})
			if !ok {
				return
			}
			if ns, w, add, cand := p.boundaryCandidate(s, e); cand {
				switch {
				case g.Start == s && g.End == e:
					tb.bounds = append(tb.bounds, cvRow{doc: k, f: p.boundaryFeatures(h, s, e, w, add), n: 2})
				case g.Start == ns && g.End == e:
					tb.bounds = append(tb.bounds, cvRow{doc: k, f: p.boundaryFeatures(h, s, e, w, add), n: 2, y: 1})
				}
			}
			if h.val.String() == "" {
				return
			}
			fam, alts, n, rule, cand := p.granCandidate(h)
			if !cand {
				return
			}
			for a, v := range alts[:n] {
				if goldForm(v) == g.Value {
					tb.values = append(tb.values, cvRow{doc: k, f: p.granFeatures(fam, rule, h, s, e), n: n, rule: rule, y: a, text: strings.ToLower(r.Text[s:e])})
					return
				}
			}
		})
		doc.Release()
	}
	return tb
}

// goldAt returns the gold mention with span [s, e), else the first that
// overlaps it.
func goldAt(golds []trawl.Mention, s, e int) (trawl.Mention, bool) {
	for _, g := range golds {
		if g.Start == s && g.End == e {
			return g, true
		}
	}
	for _, g := range golds {
		if g.Start < e && s < g.End {
			return g, true
		}
	}
	return trawl.Mention{}, false
}

// cvModel is the weights of a multinomial logistic model: a feature's
// weights by the index of the value chosen.
type cvModel map[string][granAlts]float64

// choose returns the value (of n) that m scores highest for features f;
// the rules' choice rule when it is among the best.
func (m cvModel) choose(f []string, n, rule int) int {
	var z [granAlts]float64
	for _, name := range f {
		ws := m[name]
		for a := range n {
			z[a] += ws[a]
		}
	}
	best := rule
	for a := range n {
		if z[a] > z[best] {
			best = a
		}
	}
	return best
}

// fitModel fits a multinomial logistic model on rows (full-batch AdaGrad
// from zero weights with an L2 penalty on all but the biases: deterministic)
// over the features that at least *cvMin rows have.
func fitModel(rows []cvRow, l2 float64) cvModel {
	count := map[string]int{}
	for _, r := range rows {
		for _, f := range r.f {
			count[f]++
		}
	}
	names := slices.Sorted(maps.Keys(count))
	names = slices.DeleteFunc(names, func(n string) bool {
		return (count[n] < *cvMin && !strings.HasSuffix(n, "|bias")) || dropped(n)
	})
	index := make(map[string]int, len(names))
	for j, n := range names {
		index[n] = j
	}
	xs := make([][]int, len(rows))
	for i, r := range rows {
		for _, f := range r.f {
			if j, ok := index[f]; ok {
				xs[i] = append(xs[i], j)
			}
		}
	}
	const rate = 0.1
	w := make([][granAlts]float64, len(names))
	g := make([][granAlts]float64, len(names))
	h := make([][granAlts]float64, len(names))
	n := float64(len(rows))
	for range *cvSteps {
		clear(g)
		for i, r := range rows {
			var z [granAlts]float64
			for _, j := range xs[i] {
				for a := range r.n {
					z[a] += w[j][a]
				}
			}
			p := softmax(z, r.n)
			for a := range r.n {
				d := p[a]
				if a == r.y {
					d--
				}
				for _, j := range xs[i] {
					g[j][a] += d
				}
			}
		}
		for j := range w {
			for a := range granAlts {
				gj := g[j][a] / n
				if !strings.HasSuffix(names[j], "|bias") {
					gj += l2 * w[j][a]
				}
				h[j][a] += gj * gj
				if h[j][a] > 0 {
					w[j][a] -= rate * gj / math.Sqrt(h[j][a])
				}
			}
		}
	}
	m := cvModel{}
	for j, name := range names {
		m[name] = w[j]
	}
	return m
}

// dropped reports whether feature n is of a kind listed in -drop.
func dropped(n string) bool {
	if *cvDrop == "" {
		return false
	}
	_, kind, _ := strings.Cut(n, "|")
	kind, _, _ = strings.Cut(kind, "=")
	return slices.Contains(strings.Split(*cvDrop, ","), kind)
}

// softmax returns the probabilities of the first n scores of z.
func softmax(z [granAlts]float64, n int) [granAlts]float64 {
	top := z[0]
	for a := 1; a < n; a++ {
		top = max(top, z[a])
	}
	var p [granAlts]float64
	sum := 0.0
	for a := range n {
		p[a] = math.Exp(z[a] - top)
		sum += p[a]
	}
	for a := range n {
		p[a] /= sum
	}
	return p
}

// nestedOutOfFold returns each row's choice by a model fitted on the other
// folds with the L2 penalty that cross-validation inside those folds
// chooses (the most right, the larger penalty on a tie), so that the choice
// of penalty is out of fold too.
func nestedOutOfFold(rows []cvRow) []int {
	got := make([]int, len(rows))
	for fold := range *cvFolds {
		var train []cvRow
		for _, r := range rows {
			if r.doc%*cvFolds != fold {
				train = append(train, r)
			}
		}
		best, bestRight := cvL2s[0], -1
		for _, l2 := range cvL2s {
			inner := outOfFold(train, l2)
			right := 0
			for i, r := range train {
				if inner[i] == r.y {
					right++
				}
			}
			if right >= bestRight {
				best, bestRight = l2, right
			}
		}
		m := fitModel(train, best)
		for i, r := range rows {
			if r.doc%*cvFolds == fold {
				got[i] = m.choose(r.f, r.n, r.rule)
			}
		}
	}
	return got
}

// outOfFold returns each row's choice by a model fitted with penalty l2 on
// the other folds (documents split into *cvFolds folds by their order).
func outOfFold(rows []cvRow, l2 float64) []int {
	got := make([]int, len(rows))
	for fold := range *cvFolds {
		var train []cvRow
		for _, r := range rows {
			if r.doc%*cvFolds != fold {
				train = append(train, r)
			}
		}
		m := fitModel(train, l2)
		for i, r := range rows {
			if r.doc%*cvFolds == fold {
				got[i] = m.choose(r.f, r.n, r.rule)
			}
		}
	}
	return got
}

// family returns the index in famNames of the family of a value row.
func family(r cvRow) int {
	for k, name := range famNames {
		if strings.HasPrefix(r.f[0], name+"|") {
			return k
		}
	}
	return -1
}

// TestValueChoiceCV cross-validates, by document over TempEval-3's TimeBank
// part, learned value choices (cvfeatures_test.go) and a learned
// keep-or-drop decision over the rules' mentions, and logs them against
// the rules. The rules were written on the same part, so their score
// there is in-sample; a model must beat it to be worth trying on held-out
// news. Run by make cv-dates.
func TestValueChoiceCV(t *testing.T) {
	if !*cvRun {
		t.Skip("cross-validation of learned date choices: run by make cv-dates (-cv)")
	}
	tb := readTimeBank(t)
	var fams [len(famNames)]int
	for _, r := range tb.values {
		fams[family(r)]++
	}
	t.Logf("TimeBank: %d documents, %d gold DATE mentions", tb.docs, tb.gold)
	t.Logf("value choices whose gold value is one of theirs: %d (by family %v: %v)", len(tb.values), famNames, fams)
	// The most a choice that sees only the words of the expression could
	// get right on this part, fitted on it: the gold's own consistency.
	var bound [len(famNames)]int
	byText := map[string]*[granAlts]int{}
	for _, r := range tb.values {
		key := famNames[family(r)] + "|" + r.text
		if byText[key] == nil {
			byText[key] = new([granAlts]int)
		}
		byText[key][r.y]++
	}
	for key, c := range byText {
		name, _, _ := strings.Cut(key, "|")
		bound[slices.Index(famNames[:], name)] += slices.Max(c[:])
	}
	t.Logf("values: the most a choice by the expression's words alone gets right, in sample: %v", bound)
	for _, l2 := range cvL2s {
		got := outOfFold(tb.values, l2)
		var model, rules [len(famNames)]int
		for i, r := range tb.values {
			k := family(r)
			if got[i] == r.y {
				model[k]++
			}
			if r.rule == r.y {
				rules[k]++
			}
		}
		t.Logf("values, L2 %g: right out of fold %v, the rules %v", l2, model, rules)
	}
	nested := nestedOutOfFold(tb.values)
	var model [len(famNames)]int
	for i, r := range tb.values {
		if nested[i] == r.y {
			model[family(r)]++
		}
	}
	t.Logf("values, L2 chosen inside each training fold: right out of fold %v", model)

	t.Logf("extents: %d mentions with a boundary word in or next to them, %d of them with the other extent in the gold", len(tb.bounds), countY(tb.bounds, 1))
	for _, l2 := range cvL2s {
		got := outOfFold(tb.bounds, l2)
		right := 0
		for i, r := range tb.bounds {
			if got[i] == r.y {
				right++
			}
		}
		t.Logf("extents, L2 %g: right out of fold %d, the rules %d", l2, right, countY(tb.bounds, 0))
	}

	tp, pred := 0, len(tb.spans)
	for _, r := range tb.spans {
		if r.exact {
			tp++
		}
	}
	f1 := func(tp, pred int) float64 { return 2 * float64(tp) / float64(tb.gold+pred) }
	t.Logf("spans: %d scored mentions, %d exact, %d overlapping no gold mention; rules strict F1 %.4f", pred, tp, countY(tb.spans, 1), f1(tp, pred))
	for _, l2 := range cvL2s {
		got := outOfFold(tb.spans, l2)
		ntp, npred, spurious, lost := tp, pred, 0, 0
		for i, r := range tb.spans {
			if got[i] != 1 {
				continue
			}
			npred--
			if r.y == 1 {
				spurious++
			} else {
				lost++
			}
			if r.exact {
				ntp--
			}
		}
		t.Logf("spans, L2 %g: out of fold dropped %d with no gold mention and %d with one; strict F1 %.4f", l2, spurious, lost, f1(ntp, npred))
	}
}

// countY counts the rows whose right choice is y.
func countY(rows []cvRow, y int) int {
	n := 0
	for _, r := range rows {
		if r.y == y {
			n++
		}
	}
	return n
}
