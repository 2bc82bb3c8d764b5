package reconcile

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/trawlnews/trawl"
)

// changeFact is one reported change of a figure: the "to" PERCENT mention
// (with From set) and where its "from" value is written.
type changeFact struct {
	subject  string
	date     string
	ref      mentionRef
	from, to float64
	unit     string
	// fromStart and fromEnd are the byte offsets of the old value in the
	// article text.
	fromStart, fromEnd int
}

// changeCountries are the country words dropped from a change's subject key:
// "U.S. tariffs on steel rose from 25% to 50%" and "the U.S. is increasing
// tariffs on steel from 25% to 50%" report one change, the country being the
// subject of the sentence in one and part of the phrase in the other. Only
// changes with the same from and to values are grouped, so the loss is small.
// These are subject-key words, not the country words of lexicon.Country:
// dropping all of those would also drop "germany" from "West Germany".
var changeCountries = map[string]bool{"us": true, "uk": true, "eu": true}

// changeKey is the subject key of a change, without country words.
func changeKey(subject string) string {
	words := strings.Fields(subjectKey(subject))
	words = slices.DeleteFunc(words, func(w string) bool { return changeCountries[w] })
	return strings.Join(words, " ")
}

// figureChanges reports the changes over time that articles state ("is
// increasing tariffs on imported steel and aluminum from 25% to 50%"), one
// entry per subject and pair of values, with the sentence of every article
// that reports it. They are context for the figures, never a conflict.
func (c *collation) figureChanges() []trawl.Discrepancy {
	byKey := map[string][]changeFact{}
	var keys []string
	for ai, a := range c.arts {
		dates := map[[2]int]string{} // sentence span -> its date, read once
		for mi, cm := range a.Mentions {
			if cm.Type != Percent || c.strs.Extra(cm).From == 0 {
				continue
			}
			m := c.strs.expand(cm)
			if m.Start < 0 || m.End > len(a.Text) || m.Start > m.End {
				continue
			}
			to, err1 := strconv.ParseFloat(m.Value, 64)
			from, err2 := strconv.ParseFloat(m.From, 64)
			if err1 != nil || err2 != nil || to == from {
				continue
			}
			subject := m.Subject
			sk := changeKey(subject)
			if sk == "" || !nounPhrase(subject) {
				// "Five years ago rose from 35% to 36%": the change is
				// kept, without a subject it does not have.
				subject, sk = "", ""
			}
			unit := cmp.Or(m.Unit, "percent")
			s, e := c.sentence(ai, m.Start)
			s = min(s, m.Start)
			f := changeFact{subject: subject, ref: ref(ai, mi), from: from, to: to, unit: unit}
			f.fromStart, f.fromEnd = c.fromSpan(ai, c.mentionsBefore(ai, mi, s), mi, s, m)
			dk := [2]int{s, max(e, m.End)}
			d, ok := dates[dk]
			if !ok {
				lo, hi := c.mentionsIn(ai, s, max(e, m.End)+1)
				d = c.sentenceDate(a.Mentions[lo:hi], s, max(e, m.End))
				dates[dk] = d
			}
			f.date = d
			k := sk + "|" + formatNumber(from) + "|" + formatNumber(to) + "|" + unit
			if byKey[k] == nil {
				keys = append(keys, k)
			}
			byKey[k] = append(byKey[k], f)
		}
	}
	slices.Sort(keys)
	var out []trawl.Discrepancy
	for _, k := range keys {
		fs := byKey[k]
		subjects, dates := map[string]int{}, map[string]int{}
		for _, f := range fs {
			subjects[f.subject]++
			if f.date != "" {
				dates[f.date]++
			}
		}
		subject := mostCommon(subjects)
		if subject == "" {
			subject = unnamedFigure
		}
		title := subject
		if len(dates) > 0 {
			title += " (from " + mostCommon(dates) + ")"
		}
		before := trawl.Version{Value: figureValue(fs[0].from, fs[0].unit), Status: trawl.Before}
		after := trawl.Version{Value: figureValue(fs[0].to, fs[0].unit), Status: trawl.After}
		for _, f := range c.oneFactPerArticle(fs) {
			ae := c.evidence(f.ref)
			be := ae
			if sentStart := ae.Start - ae.MentionStart; f.fromStart >= sentStart && f.fromEnd <= sentStart+len(ae.Sentence) {
				be.Start, be.End = f.fromStart, f.fromEnd
				be.MentionStart, be.MentionEnd = f.fromStart-sentStart, f.fromEnd-sentStart
			}
			before.Evidence = append(before.Evidence, be)
			after.Evidence = append(after.Evidence, ae)
		}
		verb := "rose"
		if fs[0].to < fs[0].from {
			verb = "fell"
		}
		n, _ := c.countSources(refsOf(fs))
		id := strings.SplitN(k, "|", 2)[0]
		if id == "" {
			id = "figure " + formatNumber(fs[0].from) + " " + formatNumber(fs[0].to)
		}
		out = append(out, trawl.Discrepancy{
			ID: "figure-change:" + slug(id), Kind: trawl.FigureChange, Subject: title,
			Summary: fmt.Sprintf("%s %s from %s to %s (%s); a change over time, not a conflict",
				capitalise(subject), verb, before.Value, after.Value, plural(n, "article", "articles")),
			Confidence: 1, Versions: []trawl.Version{before, after},
		})
	}
	return out
}

// unnamedFigure is the subject shown for a change whose sentence names no
// noun phrase that the figure measures.
const unnamedFigure = "a figure"

// timeWords head or open a time expression, not a noun phrase a figure
// measures ("Five years ago", "Year end", "Two years", "Month ago").
var timeWords = map[string]bool{
	"ago": true, "year": true, "years": true, "month": true, "months": true, "week": true, "weeks": true,
	"day": true, "days": true, "quarter": true, "quarters": true, "end": true, "today": true, "yesterday": true,
}

// ordinals alone are no subject ("First fell from 70% to 54.25%").
var ordinals = map[string]bool{"first": true, "second": true, "third": true, "last": true, "next": true}

// nounPhrase reports whether a figure's subject can be a noun phrase the
// figure measures: it is not a time expression (a month or weekday name
// first, "ago" anywhere, a time word first or last: "November", "Five years
// ago", "Year end"), not an ordinal alone ("First"), and does not start with
// a verb form: a past participle ending in "-ed" that stands alone or before
// a particle ("Delivered", "Scaled back", "Revised upwards").
func nounPhrase(subject string) bool {
	var words []string
	for _, w := range strings.Fields(subject) {
		w = strings.ToLower(strings.Trim(w, ".,;:'\"’"))
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		if w != "" {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return false
	}
	first, last := words[0], words[len(words)-1]
	if isCalendarWord(first) || timeWords[first] || timeWords[last] || slices.Contains(words, "ago") {
		return false
	}
	if len(words) == 1 && ordinals[first] {
		return false
	}
	if strings.HasSuffix(first, "ed") && len(first) > 4 {
		if len(words) == 1 || particles[words[1]] {
			return false
		}
	}
	return true
}

// particles follow a verb in a phrasal verb ("scaled back", "revised up").
var particles = map[string]bool{
	"back": true, "down": true, "up": true, "off": true, "out": true, "upwards": true, "downwards": true,
	"upward": true, "downward": true, "in": true, "away": true,
}

// oneFactPerArticle keeps the first fact of each article, at most
// maxEvidence of them, the most recent articles first, in article order.
func (c *collation) oneFactPerArticle(fs []changeFact) []changeFact {
	var one []changeFact
	seen := map[int]bool{}
	for _, f := range fs {
		if !seen[int(f.ref.art)] {
			seen[int(f.ref.art)] = true
			one = append(one, f)
		}
	}
	slices.SortStableFunc(one, func(a, b changeFact) int {
		if x := cmp.Compare(c.arts[b.ref.art].Published, c.arts[a.ref.art].Published); x != 0 {
			return x
		}
		return cmp.Compare(a.ref.art, b.ref.art)
	})
	if len(one) > maxEvidence {
		one = one[:maxEvidence]
	}
	slices.SortStableFunc(one, func(a, b changeFact) int { return cmp.Compare(a.ref.art, b.ref.art) })
	return one
}

func refsOf(fs []changeFact) []mentionRef {
	out := make([]mentionRef, len(fs))
	for i, f := range fs {
		out[i] = f.ref
	}
	return out
}

// mentionsBefore returns the index of the first mention of article ai that
// may lie in [s, the start of mention mi), the mentions from there to mi
// being those, nearest last: when the mentions are sorted by Start, the
// first starting at s or after (found by binary search), else 0 (all of
// them).
func (c *collation) mentionsBefore(ai, mi, s int) int {
	ms := c.arts[ai].Mentions
	if !c.index(ai).sorted {
		return 0
	}
	lo, _ := slices.BinarySearchFunc(ms[:mi], s, func(m Mention, p int) int { return int(m.Start) - p })
	return lo
}

// fromSpan finds the old value of change m in its sentence, which starts at
// s: the last PERCENT mention of that value before m, else the last number
// of that value written there (with its "%"), else m itself. m is mention
// mi of article ai; the mentions of ai from lo up to mi (with mi, when the
// mentions are not sorted: lo is then 0 and every mention is read) are
// those that may lie in the sentence, in order. Both searches go backwards
// from m and stop at the first match, so a sentence of many changes is not
// read once per change.
func (c *collation) fromSpan(ai, lo, mi, s int, m mention) (start, end int) {
	a := c.arts[ai]
	ms := a.Mentions[lo:mi]
	if !c.index(ai).sorted {
		ms = a.Mentions
	}
	for k := len(ms) - 1; k >= 0; k-- {
		if o := ms[k]; o.Type == Percent && int(o.Start) >= s && int(o.End) <= m.Start && sameNumber(c.strs.String(o.Value), m.From) {
			return int(o.Start), int(o.End)
		}
	}
	text := a.Text[:m.Start]
	for j := len(text); j > s; {
		if !isDigit(text[j-1]) {
			j--
			continue
		}
		// text[i:j] is a number: digits with inner decimal points.
		i := j
		for i > s && (isDigit(text[i-1]) || text[i-1] == '.' && i-1 > s && isDigit(text[i-2]) && i < j) {
			i--
		}
		if sameNumber(text[i:j], m.From) {
			end := j
			if strings.HasPrefix(text[j:], "%") {
				end++
			}
			return i, end
		}
		j = i
	}
	return m.Start, m.End
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// sentenceDate is the value of the first dated DATE mention (a day, else a
// month) of ms in the text between s and e, or "".
func (c *collation) sentenceDate(ms []Mention, s, e int) string {
	month := ""
	for _, cd := range ms {
		if cd.Type != Date || int(cd.Start) < s || int(cd.End) > e {
			continue
		}
		d := c.strs.expand(cd)
		if isDay(d.Value) {
			return d.Value
		}
		if month == "" && len(d.Value) == 7 && d.Value[4] == '-' && d.Value[5] != 'W' && d.Value[5] != 'Q' {
			month = d.Value
		}
	}
	return month
}

func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// figureValue writes a figure with its unit: "25%" or "0.5 points".
func figureValue(f float64, unit string) string {
	if unit == "points" {
		return formatNumber(f) + " points"
	}
	return formatNumber(f) + "%"
}
