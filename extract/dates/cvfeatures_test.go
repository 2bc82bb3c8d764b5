package dates

import (
	"strconv"
	"strings"
)

// The value choices cross-validated by TestValueChoiceCV (make cv-dates):
// three kinds of expression whose value the rules choose by a fixed rule
// and TimeML annotators by context:
//
//   - a relative period whose rules give a week, a month or a quarter
//     ("last week", "the quarter", "the latest period", "this month"):
//     that period, or only a period somewhere in its year, which TIMEX3
//     writes with X for the unknown digits ("1989-WXX", "1989-QX",
//     "1989-XX"), as annotators do when the text leaves open which week or
//     quarter is meant;
//   - a year back from publication ("a year ago", "a year earlier",
//     "year-earlier", "last year"): the year before, the year-ago quarter
//     of a results story, or the day a year before publication;
//   - a month or weekday named alone ("in May", "on Tuesday"): the last
//     one before publication or the next one after it.
//
// A learned choice is a logistic model over a few general features of the
// expression and its clause. The rules do not use these models: on
// TempEval-3's TimeBank part they did not beat the rules' choices (see
// docs/accuracy.md).

// dgYearOnly is a week, month or quarter (its granularity in n) of year y,
// which one left open: TIMEX3 "1989-WXX", "1989-QX"; the scorer compares it
// as the year.
const dgYearOnly granularity = 100

// Families of value choices: which alternatives it chooses from.
const (
	famPeriod    = iota // the rules' value (0) or its year only (1)
	famYearBack         // the year before (0), the year-ago quarter (1), the day a year before (2)
	famDirection        // a bare month or weekday: the last one before publication (0) or the next (1)
)

// famNames prefix the features of each family.
var famNames = [...]string{famPeriod: "period", famYearBack: "yearback", famDirection: "direction"}

// granAlts is how many values a family chooses from at most.
const granAlts = 3

// granCandidate returns the family of hit h, the n values it chooses from
// and which of them the rules chose; ok is false when h is no candidate.
func (p *parser) granCandidate(h hit) (fam int, alts [granAlts]value, n, rule int, ok bool) {
	if fam, alts, n, rule, ok := p.directionCandidate(h); ok {
		return fam, alts, n, rule, ok
	}
	switch h.val.gran {
	case dgWeek, dgMonth, dgQuarter, dgYear:
	default:
		return 0, alts, 0, 0, false
	}
	year := false
	for i := h.start; i < h.end; i++ {
		t := &p.toks[i]
		if t.kind == dtNum || t.class == dcMonth || t.class == dcMonAbbr || t.class == dcWeekday || t.class == dcOrd || t.class == dcQCode || t.class == dcUnitPl || t.class == dcSeason {
			return 0, alts, 0, 0, false
		}
		if t.class == dcUnit && t.unit() == duYear {
			year = true
		}
	}
	if year && p.known {
		back := p.pub.AddDate(-1, 0, 0)
		alts = [granAlts]value{yearVal(back.Year()), p.yearAgoQuarter(), dayVal(back)}
		switch h.val {
		case alts[0]:
			return famYearBack, alts, 3, 0, true
		case alts[1]:
			return famYearBack, alts, 3, 1, true
		}
	}
	if h.val.gran == dgYear {
		return 0, alts, 0, 0, false
	}
	alts = [granAlts]value{h.val, {gran: dgYearOnly, y: h.val.y, n: int(h.val.gran)}}
	return famPeriod, alts, 2, 0, true
}

// directionCandidate returns the two readings of a month or weekday named
// alone ("in May", "on Tuesday") when they differ: the last one before the
// publication date and the next one after it.
func (p *parser) directionCandidate(h hit) (fam int, alts [granAlts]value, n, rule int, ok bool) {
	if !p.known || h.end-h.start != 1 {
		return 0, alts, 0, 0, false
	}
	t := &p.toks[h.start]
	switch {
	case t.class == dcMonth && h.val.gran == dgMonth:
		pm := int(p.pub.Month())
		if t.val == pm {
			return 0, alts, 0, 0, false
		}
		y := p.pub.Year()
		past, next := value{gran: dgMonth, y: y, m: t.val}, value{gran: dgMonth, y: y, m: t.val}
		if t.val > pm {
			past.y--
		} else {
			next.y++
		}
		alts = [granAlts]value{past, next}
	case t.class == dcWeekday && h.val.gran == dgDay:
		back := (int(p.pub.Weekday()) - t.val + 7) % 7
		if back == 0 {
			return 0, alts, 0, 0, false
		}
		alts = [granAlts]value{dayVal(p.pub.AddDate(0, 0, -back)), dayVal(p.pub.AddDate(0, 0, 7-back))}
	default:
		return 0, alts, 0, 0, false
	}
	switch h.val {
	case alts[0]:
		return famDirection, alts, 2, 0, true
	case alts[1]:
		return famDirection, alts, 2, 1, true
	}
	return 0, alts, 0, 0, false
}

// granFeatures returns the features of candidate h of family fam, whose
// text is p.text[s:e] and of whose alternatives the rules chose rule, each
// a feature name of the model.
func (p *parser) granFeatures(fam, rule int, h hit, s, e int) []string {
	pre := famNames[fam] + "|"
	f := make([]string, 0, 12)
	f = append(f, pre+"bias", pre+"rule="+strconv.Itoa(rule))
	f = append(f, pre+"first="+p.lower(h.start), pre+"head="+p.lower(h.end-1), pre+"expr="+strings.ToLower(p.text[s:e]))
	sent := p.clauseAround(s, e)
	if ws, we := wordBefore(p.text, s, sent.Start); ws >= 0 {
		f = append(f, pre+"prev="+strings.ToLower(p.text[ws:we]))
	} else {
		f = append(f, pre+"prev=^")
	}
	if ws, we := wordAfter(p.text, e, sent.End); ws >= 0 && strings.TrimSpace(p.text[e:ws]) == "" {
		f = append(f, pre+"next="+strings.ToLower(p.text[ws:we]))
	} else {
		f = append(f, pre+"next=punct")
	}
	switch p.tense(s, e) {
	case 1:
		f = append(f, pre+"tense=future")
	case -1:
		f = append(f, pre+"tense=past")
	default:
		f = append(f, pre+"tense=none")
	}
	said, quarter := false, false
	for k := sent.Start; k < sent.End; {
		ws, we := wordAfter(p.text, k, sent.End)
		if ws < 0 {
			break
		}
		switch w := p.text[ws:we]; {
		case strings.EqualFold(w, "said"), strings.EqualFold(w, "says"):
			said = true
		case strings.EqualFold(w, "quarter"):
			quarter = quarter || ws < s || ws >= e
		}
		k = we
	}
	if said {
		f = append(f, pre+"said")
	}
	if quarter {
		f = append(f, pre+"quarter-in-sentence")
	}
	if p.quarterlyText() {
		f = append(f, pre+"quarterly")
	}
	f = append(f, pre+"anchor="+granNames[p.anchor.gran])
	if fam == famDirection {
		t := &p.toks[h.start]
		back := (int(p.pub.Weekday()) - t.val + 7) % 7
		if t.class == dcMonth {
			back = (int(p.pub.Month()) - t.val + 12) % 12
			f = append(f, pre+"kind=month")
		} else {
			f = append(f, pre+"kind=weekday")
		}
		f = append(f, pre+"back="+strconv.Itoa(back))
	}
	return f
}

// granNames name the granularities in the features.
var granNames = map[granularity]string{dgNone: "none", dgDay: "day", dgMonth: "month", dgYear: "year", dgWeek: "week", dgQuarter: "quarter", dgDecade: "decade", dgHalf: "half", dgSeason: "season"}

// spanFeatures returns the features of the keep-or-drop decision over a
// mention the rules found: the expression's words and value, its
// neighbours and its clause.
func (p *parser) spanFeatures(h hit, s, e int) []string {
	const pre = "span|"
	f := []string{pre + "bias", pre + "gran=" + granNames[h.val.gran], pre + "first=" + p.lower(h.start), pre + "head=" + p.lower(h.end-1)}
	if h.end-h.start == 1 && p.toks[h.start].kind == dtNum {
		f = append(f, pre+"shape=number")
	}
	sent := p.clauseAround(s, e)
	if ws, we := wordBefore(p.text, s, sent.Start); ws >= 0 {
		f = append(f, pre+"prev="+strings.ToLower(p.text[ws:we]))
		if c := p.text[ws]; c >= 'A' && c <= 'Z' && ws > sent.Start {
			f = append(f, pre+"prevcap")
		}
	} else {
		f = append(f, pre+"prev=^")
	}
	if ws, we := wordAfter(p.text, e, sent.End); ws >= 0 && strings.TrimSpace(p.text[e:ws]) == "" {
		f = append(f, pre+"next="+strings.ToLower(p.text[ws:we]))
	} else {
		f = append(f, pre+"next=punct")
	}
	switch p.tense(s, e) {
	case 1:
		f = append(f, pre+"tense=future")
	case -1:
		f = append(f, pre+"tense=past")
	default:
		f = append(f, pre+"tense=none")
	}
	return f
}

// boundaryWords are the words at the start of a date expression or just
// before it that a TIMEX3 extent takes in or leaves out depending on their
// role (TimeML 1.2.1 annotation guidelines): determiners and possessives,
// and modifiers of the kind TIMEX3's MOD attribute records ("early",
// "about").
var boundaryWords = map[string]bool{
	"the": true, "a": true, "an": true, "its": true, "their": true,
	"earlier": true, "later": true, "early": true, "late": true, "mid": true,
	"around": true, "about": true, "sometime": true, "some": true,
}

// boundaryCandidate returns the other extent a mention [s, e) could have:
// without its first word when that is a boundary word, else with the
// boundary word before it; ok is false when there is neither.
func (p *parser) boundaryCandidate(s, e int) (ns int, word string, add, ok bool) {
	if ws, we := wordAfter(p.text, s, e); ws == s && we < e {
		w := strings.ToLower(p.text[ws:we])
		if boundaryWords[w] {
			if nws, _ := wordAfter(p.text, we, e); nws > 0 && strings.TrimSpace(p.text[we:nws]) == "" {
				return nws, w, false, true
			}
		}
	}
	sent, ok := p.doc.SentenceAt(s)
	if !ok {
		sent = span{Start: 0, End: len(p.text)}
	}
	if ws, we := wordBefore(p.text, s, max(sent.Start, s-40)); ws >= 0 && strings.TrimSpace(p.text[we:s]) == "" {
		w := strings.ToLower(p.text[ws:we])
		if boundaryWords[w] {
			return ws, w, true, true
		}
	}
	return 0, "", false, false
}

// boundaryFeatures returns the features of the choice between the rules'
// extent of h ([s, e)) and the other one, which adds or drops word.
func (p *parser) boundaryFeatures(h hit, s, e int, word string, add bool) []string {
	const pre = "bound|"
	op := "drop="
	if add {
		op = "add="
	}
	f := []string{pre + "bias", pre + op[:len(op)-1], pre + op + word, pre + "gran=" + granNames[h.val.gran], pre + "head=" + p.lower(h.end-1)}
	sent, ok := p.doc.SentenceAt(s)
	if !ok {
		sent = span{Start: 0, End: len(p.text)}
	}
	// The word before the longer extent.
	before := s
	if add {
		before, _ = wordBefore(p.text, s, max(sent.Start, s-40))
	}
	if ws, we := wordBefore(p.text, before, max(sent.Start, before-40)); before >= 0 && ws >= 0 {
		f = append(f, pre+"prev="+strings.ToLower(p.text[ws:we]))
	} else {
		f = append(f, pre+"prev=^")
	}
	if ws, we := wordAfter(p.text, e, min(sent.End, e+40)); ws >= 0 && strings.TrimSpace(p.text[e:ws]) == "" {
		f = append(f, pre+"next="+strings.ToLower(p.text[ws:we]))
	} else {
		f = append(f, pre+"next=punct")
	}
	return f
}
