// Package eval scores trawl's extraction against gold JSONL files in the
// format of shared/eval/FORMAT.md: span precision, recall and F1 (strict and
// lenient) per mention type, DATE and PERCENT value accuracy, cross-document
// person grouping (pairwise and B-cubed) and document-level commodity labels.
//
// Lenient matching is one to one: first every gold mention takes a prediction
// with exactly its offsets, then each remaining gold mention, in start order,
// takes the unmatched prediction of its type that overlaps it by the most
// bytes (ties: the earlier prediction). Value accuracy and grouping use these
// lenient pairs.
package eval

import (
	"cmp"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/trawlnews/trawl"
)

// Options tunes Score. The zero value compares commodity ids directly.
type Options struct {
	// CommodityLabels maps a predicted commodity id to gold document labels
	// (e.g. Reuters topic codes). Nil: compare ids directly with the labels;
	// non-nil: an id missing from the map gives no label.
	CommodityLabels map[string][]string
	// AllErrors also keeps every error, each with its context, in
	// Report.AllErrors (trawl eval --errors).
	AllErrors bool
}

// Report is the scores of one gold file.
type Report struct {
	// Name identifies the gold file in tables, usually its base name.
	Name string
	// Docs is the number of gold records.
	Docs int
	// Types holds the span scores of each type annotated in some record.
	Types map[trawl.Kind]*TypeScore
	// DateValue and PercentValue are the value accuracies among the gold
	// mentions found (lenient) that have a non-empty gold value.
	DateValue, PercentValue Accuracy
	// Grouping scores cross-document person grouping over the gold PERSON
	// mentions found that have an entity id; nil when the gold has none.
	Grouping *GroupingScore
	// Commodities is the document-level label score; nil when no gold record
	// has a commodities list.
	Commodities *PRF
	// Errors is a bounded, deterministic sample of errors, at most
	// MaxExamples per type and error kind, spread over the file.
	Errors []ErrorExample
	// AllErrors is every error, with Options.AllErrors; nil otherwise.
	AllErrors []ErrorExample
}

// TypeScore is the span score of one mention type.
type TypeScore struct {
	Strict, Lenient PRF
	// Partial is set when the type is only partly labelled in some record:
	// predictions are not counted against precision, so P and F1 are unset.
	Partial bool
	// Gold and Pred count the gold mentions and the scored predictions
	// (after predictions on ignore spans are dropped).
	Gold, Pred int
}

// PRF is a precision/recall/F1 triple with the counts it comes from. A
// ratio whose denominator is zero is left 0 (reports print it as "-").
type PRF struct {
	TP, FP, FN int
	P, R, F1   float64
}

// Accuracy is the share of Total items that were Correct.
type Accuracy struct {
	Correct, Total int
	Acc            float64
}

// GroupingScore compares the predicted person clusters with the gold ones
// over the Mentions gold PERSON mentions that were found. Pairwise counts are
// mention pairs; B-cubed has no counts, only the per-mention averages.
type GroupingScore struct {
	Pairwise, BCubed PRF
	Mentions         int
}

// Error kinds of an ErrorExample.
const (
	Missed   = "missed"   // a gold mention or label with no prediction
	Spurious = "spurious" // a prediction with no gold mention or label
	Boundary = "boundary" // found (lenient) but with other offsets
	Value    = "value"    // found, but the normalised value differs
)

// MaxExamples bounds the error examples kept per type and error kind.
const MaxExamples = 5

// ErrorExample is one error, for the accuracy document.
type ErrorExample struct {
	Doc  string
	Type trawl.Kind
	// Kind is Missed, Spurious, Boundary or Value.
	Kind string
	// Text is the gold mention's text (the prediction's for Spurious, the
	// label for commodity labels).
	Text string
	// Want and Got are the gold and predicted value (Value), or the gold and
	// predicted span text (Boundary). For a commodity label, Got lists the
	// predicted commodity ids: all of the document's for Missed, those
	// giving the label for Spurious.
	Want, Got string
	// Context is the text around the mention, the mention in [[ ]].
	Context string
}

// Score compares predictions, matched to gold records on ID, with the gold
// records. Predictions for ids not in gold are ignored; a gold record without
// a prediction has all its mentions missed. The Entity of pred's PERSON
// mentions must be cross-document cluster ids; an empty Entity is a cluster of
// its own.
func Score(name string, gold []Gold, pred []trawl.Article, opts Options) *Report {
	s := scorer{
		r:        &Report{Name: name, Docs: len(gold), Types: make(map[trawl.Kind]*TypeScore)},
		opts:     opts,
		cells:    make(map[[2]string]int),
		goldSize: make(map[string]int),
		predSize: make(map[string]int),
	}
	byID := make(map[string]*trawl.Article, len(pred))
	for i := range pred {
		if _, ok := byID[pred[i].ID]; !ok {
			byID[pred[i].ID] = &pred[i]
		}
	}
	for i := range gold {
		s.doc(&gold[i], byID[gold[i].ID])
	}
	return s.finish()
}

// scorer accumulates counts over the records of one file.
type scorer struct {
	r    *Report
	opts Options

	// Grouping: contingency counts of (gold entity, predicted entity), and
	// cluster sizes, over the found gold PERSON mentions.
	hasEntity          bool
	cells              map[[2]string]int
	goldSize, predSize map[string]int
	found              int
	singletons         int

	commodities *PRF
	errs        []errorRef
}

// errorRef is an error before sampling; Context is built only for the kept.
type errorRef struct {
	ErrorExample
	text       string
	start, end int
}

func (s *scorer) doc(g *Gold, p *trawl.Article) {
	var kinds []trawl.Kind
	for _, k := range g.Annotated {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	for _, k := range kinds {
		s.kind(g, p, k, slices.Contains(g.Partial, k))
	}
	if g.Commodities != nil {
		s.labels(g, p)
	}
}

// kind scores the mentions of type k of one record.
func (s *scorer) kind(g *Gold, p *trawl.Article, k trawl.Kind, partial bool) {
	ts := s.r.Types[k]
	if ts == nil {
		ts = &TypeScore{}
		s.r.Types[k] = ts
	}
	ts.Partial = ts.Partial || partial

	var gm, pm []trawl.Mention
	for _, m := range g.Mentions {
		if m.Type == k {
			gm = append(gm, m)
		}
	}
	if p != nil {
		for _, m := range p.Mentions {
			if m.Type == k && !(overlapsAny(m, g.Ignore) && !overlapsMention(m, gm)) {
				pm = append(pm, m)
			}
		}
	}
	ts.Gold += len(gm)
	ts.Pred += len(pm)

	pairs, strict := match(gm, pm)
	ts.Strict.TP += strict
	ts.Strict.FN += len(gm) - strict
	ts.Lenient.TP += len(pairs)
	ts.Lenient.FN += len(gm) - len(pairs)
	if !partial {
		ts.Strict.FP += len(pm) - strict
		ts.Lenient.FP += len(pm) - len(pairs)
	}

	goldOf := make([]int, len(gm)) // matched prediction index + 1
	predOf := make([]bool, len(pm))
	for _, pr := range pairs {
		goldOf[pr[0]] = pr[1] + 1
		predOf[pr[1]] = true
	}
	for gi, m := range gm {
		if goldOf[gi] == 0 {
			s.addErr(g.ID, k, Missed, m.Text, m.Value, "", g.Text, m.Start, m.End)
			if k == trawl.Person && m.Entity != "" {
				s.hasEntity = true
			}
			continue
		}
		pmi := pm[goldOf[gi]-1]
		if pmi.Start != m.Start || pmi.End != m.End {
			s.addErr(g.ID, k, Boundary, m.Text, m.Text, spanText(p.Text, pmi), g.Text, m.Start, m.End)
		}
		switch k {
		case trawl.Date, trawl.Percent:
			if m.Value == "" {
				break
			}
			acc := &s.r.DateValue
			if k == trawl.Percent {
				acc = &s.r.PercentValue
			}
			acc.Total++
			if sameValue(k, m.Value, pmi.Value) {
				acc.Correct++
			} else {
				s.addErr(g.ID, k, Value, m.Text, m.Value, pmi.Value, g.Text, m.Start, m.End)
			}
		case trawl.Person:
			if m.Entity == "" {
				break
			}
			s.hasEntity = true
			pe := pmi.Entity
			if pe == "" {
				s.singletons++
				pe = "\x00" + strconv.Itoa(s.singletons)
			}
			s.cells[[2]string{m.Entity, pe}]++
			s.goldSize[m.Entity]++
			s.predSize[pe]++
			s.found++
		}
	}
	if !partial {
		for pi, m := range pm {
			if !predOf[pi] {
				text := g.Text
				if m.End > len(text) || m.Start < 0 {
					text = p.Text
				}
				s.addErr(g.ID, k, Spurious, spanText(text, m), "", m.Value, text, m.Start, m.End)
			}
		}
	}
}

// labels scores the document-level commodity labels of one record.
func (s *scorer) labels(g *Gold, p *trawl.Article) {
	if s.commodities == nil {
		s.commodities = &PRF{}
	}
	want := make(map[string]bool)
	for _, l := range g.Commodities {
		want[l] = true
	}
	got := make(map[string][]string) // label -> the predicted ids giving it
	var ids []string
	if p != nil {
		ids = p.Commodities
		for _, id := range ids {
			if s.opts.CommodityLabels == nil {
				got[id] = append(got[id], id)
				continue
			}
			for _, l := range s.opts.CommodityLabels[id] {
				got[l] = append(got[l], id)
			}
		}
	}
	ctx := g.Title
	if ctx == "" {
		ctx = clip(g.Text, 0, 80)
		if len(ctx) < len(g.Text) {
			ctx += "…"
		}
	}
	for _, l := range slices.Sorted(maps.Keys(want)) {
		if got[l] != nil {
			s.commodities.TP++
		} else {
			s.commodities.FN++
			s.errs = append(s.errs, errorRef{ErrorExample: ErrorExample{
				Doc: g.ID, Type: trawl.Commodity, Kind: Missed, Text: l, Want: l, Got: strings.Join(ids, ", "), Context: ctx}})
		}
	}
	for _, l := range slices.Sorted(maps.Keys(got)) {
		if !want[l] {
			s.commodities.FP++
			s.errs = append(s.errs, errorRef{ErrorExample: ErrorExample{
				Doc: g.ID, Type: trawl.Commodity, Kind: Spurious, Text: l, Got: strings.Join(got[l], ", "), Context: ctx}})
		}
	}
}

func (s *scorer) addErr(doc string, k trawl.Kind, kind, text, want, got, full string, start, end int) {
	s.errs = append(s.errs, errorRef{
		ErrorExample: ErrorExample{Doc: doc, Type: k, Kind: kind, Text: text, Want: want, Got: got},
		text:         full, start: start, end: end,
	})
}

func (s *scorer) finish() *Report {
	r := s.r
	for _, ts := range r.Types {
		ts.Strict.compute()
		ts.Lenient.compute()
		if ts.Partial {
			ts.Strict.P, ts.Strict.F1 = 0, 0
			ts.Lenient.P, ts.Lenient.F1 = 0, 0
		}
	}
	r.DateValue.compute()
	r.PercentValue.compute()
	if s.hasEntity {
		r.Grouping = s.grouping()
	}
	if s.commodities != nil {
		s.commodities.compute()
		r.Commodities = s.commodities
	}
	r.Errors = sample(s.errs)
	if s.opts.AllErrors {
		r.AllErrors = allErrors(s.errs)
	}
	return r
}

// grouping computes pairwise and B-cubed scores from the contingency counts:
// with n_ij mentions in gold cluster i and predicted cluster j, a_i and b_j
// the cluster sizes, the pairs in both are sum C(n_ij,2), B-cubed precision
// is sum n_ij²/b_j / N and recall sum n_ij²/a_i / N.
func (s *scorer) grouping() *GroupingScore {
	gs := &GroupingScore{Mentions: s.found}
	pairs := func(n int) int { return n * (n - 1) / 2 }
	var both, goldPairs, predPairs int
	var bp, br float64
	for c, n := range s.cells {
		both += pairs(n)
		nn := float64(n) * float64(n)
		bp += nn / float64(s.predSize[c[1]])
		br += nn / float64(s.goldSize[c[0]])
	}
	for _, n := range s.goldSize {
		goldPairs += pairs(n)
	}
	for _, n := range s.predSize {
		predPairs += pairs(n)
	}
	gs.Pairwise = PRF{TP: both, FP: predPairs - both, FN: goldPairs - both}
	gs.Pairwise.compute()
	if s.found > 0 {
		gs.BCubed.P = bp / float64(s.found)
		gs.BCubed.R = br / float64(s.found)
		gs.BCubed.F1 = f1(gs.BCubed.P, gs.BCubed.R)
	}
	return gs
}

// match pairs gold and predicted mentions of one type one to one: exact
// offsets first, then greedily by overlap (see the package comment). It
// returns the (gold, pred) index pairs sorted by gold index and how many of
// them have exact offsets.
func match(gm, pm []trawl.Mention) (pairs [][2]int, strict int) {
	usedG := make([]bool, len(gm))
	usedP := make([]bool, len(pm))
	bySpan := make(map[[2]int][]int, len(pm))
	for pi, m := range pm {
		sp := [2]int{m.Start, m.End}
		bySpan[sp] = append(bySpan[sp], pi)
	}
	for gi, m := range gm {
		sp := [2]int{m.Start, m.End}
		if q := bySpan[sp]; len(q) > 0 {
			pairs = append(pairs, [2]int{gi, q[0]})
			bySpan[sp] = q[1:]
			usedG[gi], usedP[q[0]] = true, true
		}
	}
	strict = len(pairs)
	order := make([]int, len(gm))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(gm[a].Start, gm[b].Start) })
	for _, gi := range order {
		if usedG[gi] {
			continue
		}
		best, bestOv := -1, 0
		for pi, m := range pm {
			if usedP[pi] {
				continue
			}
			ov := min(m.End, gm[gi].End) - max(m.Start, gm[gi].Start)
			if ov > bestOv || (ov == bestOv && ov > 0 && m.Start < pm[best].Start) {
				best, bestOv = pi, ov
			}
		}
		if best >= 0 {
			pairs = append(pairs, [2]int{gi, best})
			usedG[gi], usedP[best] = true, true
		}
	}
	slices.SortFunc(pairs, func(a, b [2]int) int { return cmp.Compare(a[0], b[0]) })
	return pairs, strict
}

// overlaps reports whether [s1,e1) and [s2,e2) share a byte.
func overlaps(s1, e1, s2, e2 int) bool { return s1 < e2 && s2 < e1 }

func overlapsAny(m trawl.Mention, spans []Span) bool {
	for _, sp := range spans {
		if overlaps(m.Start, m.End, sp.Start, sp.End) {
			return true
		}
	}
	return false
}

func overlapsMention(m trawl.Mention, ms []trawl.Mention) bool {
	for _, o := range ms {
		if overlaps(m.Start, m.End, o.Start, o.End) {
			return true
		}
	}
	return false
}

// sameValue compares normalised values; PERCENT values are compared as
// numbers, so "5" equals "5.0", and a richer TIMEX3 DATE value is reduced
// to the FORMAT.md form it starts with ("2024-H1" is "2024").
func sameValue(k trawl.Kind, want, got string) bool {
	if want == got {
		return true
	}
	if k == trawl.Date {
		return want == reduceDate(got)
	}
	if k != trawl.Percent {
		return false
	}
	w, err1 := strconv.ParseFloat(want, 64)
	g, err2 := strconv.ParseFloat(got, 64)
	return err1 == nil && err2 == nil && w == g
}

// dateForms are the DATE value forms of FORMAT.md, longest first.
var dateForms = []*regexp.Regexp{
	regexp.MustCompile(`^\d{4}-\d{2}-\d{2}`),
	regexp.MustCompile(`^\d{4}-W\d{2}`),
	regexp.MustCompile(`^\d{4}-Q[1-4]`),
	regexp.MustCompile(`^\d{4}-\d{2}`),
	regexp.MustCompile(`^\d{4}`),
}

// reduceDate reduces a TIMEX3 DATE value to the longest FORMAT.md form it
// starts with, as the gold converters reduce TIMEX3 values:
// "2008-03-01T15:00" to "2008-03-01", "2010-W04-WE" to "2010-W04",
// "2024-H1" and "2024-SU" to "2024". A value that starts with none of them
// (a decade, "199") is returned as it is.
func reduceDate(v string) string {
	for _, re := range dateForms {
		if m := re.FindString(v); m != "" {
			return m
		}
	}
	return v
}

func (p *PRF) compute() {
	p.P, p.R, p.F1 = 0, 0, 0
	if p.TP+p.FP > 0 {
		p.P = float64(p.TP) / float64(p.TP+p.FP)
	}
	if p.TP+p.FN > 0 {
		p.R = float64(p.TP) / float64(p.TP+p.FN)
	}
	p.F1 = f1(p.P, p.R)
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func (a *Accuracy) compute() {
	a.Acc = 0
	if a.Total > 0 {
		a.Acc = float64(a.Correct) / float64(a.Total)
	}
}

// errorKinds orders error kinds in reports.
var errorKinds = []string{Missed, Spurious, Boundary, Value}

// sample keeps at most MaxExamples errors per (type, kind), evenly spaced
// over the file so that examples do not all come from its first records, in
// type, kind, then file order. Contexts are built for the kept ones only.
func sample(errs []errorRef) []ErrorExample {
	groups := make(map[[2]string][]int)
	for i, e := range errs {
		key := [2]string{string(e.Type), e.Kind}
		groups[key] = append(groups[key], i)
	}
	keys := make([][2]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]string) int {
		return cmp.Or(
			cmp.Compare(kindRank(trawl.Kind(a[0])), kindRank(trawl.Kind(b[0]))),
			cmp.Compare(a[0], b[0]),
			cmp.Compare(slices.Index(errorKinds, a[1]), slices.Index(errorKinds, b[1])),
			cmp.Compare(a[1], b[1]))
	})
	var out []ErrorExample
	for _, k := range keys {
		idx := groups[k]
		n := min(len(idx), MaxExamples)
		for i := range n {
			e := errs[idx[i*len(idx)/n]]
			if e.text != "" {
				e.Context = context(e.text, e.start, e.end)
			}
			out = append(out, e.ErrorExample)
		}
	}
	return out
}

// allErrors returns every error with its context, in type and kind order as
// sample orders them, then in file order.
func allErrors(errs []errorRef) []ErrorExample {
	out := make([]ErrorExample, len(errs))
	for i, e := range errs {
		if e.text != "" {
			e.Context = context(e.text, e.start, e.end)
		}
		out[i] = e.ErrorExample
	}
	slices.SortStableFunc(out, func(a, b ErrorExample) int {
		return cmp.Or(
			cmp.Compare(kindRank(a.Type), kindRank(b.Type)),
			cmp.Compare(a.Type, b.Type),
			cmp.Compare(slices.Index(errorKinds, a.Kind), slices.Index(errorKinds, b.Kind)))
	})
	return out
}

// kindRank orders mention types as trawl.Kinds does, unknown types last.
func kindRank(k trawl.Kind) int {
	if i := slices.Index(trawl.Kinds, k); i >= 0 {
		return i
	}
	return len(trawl.Kinds)
}

// contextBytes is how much text a context shows on each side of a mention.
const contextBytes = 40

// context returns the text around [start,end) on one line, the mention
// marked with [[ ]].
func context(text string, start, end int) string {
	if start < 0 || end > len(text) || start > end {
		return ""
	}
	lo, hi := max(0, start-contextBytes), min(len(text), end+contextBytes)
	before, after := clip(text, lo, start), clip(text, end, hi)
	if lo > 0 {
		before = "…" + before
	}
	if hi < len(text) {
		after += "…"
	}
	return before + "[[" + oneLine(text[start:end]) + "]]" + after
}

// clip returns text[lo:hi] moved inwards to rune boundaries, on one line.
func clip(text string, lo, hi int) string {
	hi = min(hi, len(text))
	for lo < hi && !runeStart(text[lo]) {
		lo++
	}
	for hi < len(text) && hi > lo && !runeStart(text[hi]) {
		hi--
	}
	return oneLine(text[lo:hi])
}

func runeStart(b byte) bool { return b&0xC0 != 0x80 }

// oneLine replaces line breaks and tabs with spaces.
func oneLine(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '\n' || c == '\r' || c == '\t' {
			b[i] = ' '
		}
	}
	return string(b)
}

func spanText(text string, m trawl.Mention) string {
	if m.Start < 0 || m.End > len(text) || m.Start > m.End {
		return m.Text
	}
	return text[m.Start:m.End]
}
