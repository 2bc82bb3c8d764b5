// Package dates finds DATE mentions. It works in one pass: the text is cut
// into tokens (words, numbers, punctuation, line breaks), each word is
// classified once against a small grammar lexicon (month and weekday names,
// "last", "quarter"...), and a left-to-right matcher tries the date patterns
// only at tokens that can start one. Relative expressions resolve against Document.Published; when it
// is unknown they keep an empty Value.
package dates

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/extract/document"
	"github.com/trawlnews/trawl/internal/lexicon"
	"github.com/trawlnews/trawl/internal/text"
)

// span is a byte range of a document's text.
type span = text.Span

// tokKind is what a tok is.
type tokKind uint8

// Kinds of date token.
const (
	dtWord tokKind = iota + 1
	dtNum
	dtPunct
	dtBreak // a line break: no date spans it
)

// suffix is the letters written after a number ("9th", "1990s").
type suffix uint8

// Number suffixes.
const (
	dtSufNone suffix = iota
	dtSufOrd
	dtSufS
	dtSufOther
)

// tok is one token of the text.
type tok struct {
	s, e  int
	kind  tokKind
	class class  // of a word
	suf   suffix // of a number
	nd    uint8  // digit count of a number, capped
	val   int    // lexicon value of a word (month, count... typed by fn and unit), value of a number (-1 when too big)
	up    bool   // a word that starts with an upper-case ASCII letter
	gap   bool   // whitespace before the token
}

// fn is which function word a dcFn token is.
func (t *tok) fn() funcWord { return funcWord(t.val) }

// unit is the unit of time of a dcUnit or dcUnitPl token.
func (t *tok) unit() timeUnit { return timeUnit(t.val) }

// class is the class of a word in the date lexicon.
type class uint8

// Word classes of the date lexicon.
const (
	dcNone class = iota
	dcMonth
	dcMonAbbr // "Jan", "Sept": a month only with a dot or a day number
	dcWeekday
	dcRelDay  // today, yesterday, tomorrow, tonight
	dcUnit    // day, week, weekend, month, quarter, year, decade
	dcUnitPl  // the plural forms
	dcPart    // morning, afternoon, evening, night
	dcCount   // a, an, one ... twelve
	dcOrd     // first ... fourth
	dcSeason  // spring, summer, fall, autumn, winter
	dcQCode   // q1 ... q4, and h1, h2 (val 5, 6)
	dcFn      // function words, val says which
	dcHoliday // the first word of a holiday's name
	dcCentury // "nineteen", which starts a year said in words
)

// timeUnit is a unit of time: the val of a dcUnit or dcUnitPl word.
type timeUnit int

// Units of time.
const (
	duDay timeUnit = iota + 1
	duWeek
	duWeekend
	duMonth
	duQuarter
	duYear
	duDecade
)

// funcWord is which function word a dcFn word is: its val.
type funcWord int

// Function words.
const (
	dfThe funcWord = iota + 1
	dfOf
	dfLast
	dfNext
	dfThis
	dfPast
	dfPrevious
	dfComing
	dfCurrent
	dfLatest
	dfEarly
	dfMid
	dfLate
	dfEnd
	dfBeginning
	dfMiddle
	dfStart
	dfEarlier
	dfLater
	dfAgo
	dfFiscal
	dfHalf
	dfEvery
	dfNearly
	dfNoon
	dfPrep
	dfPronoun
	dfPeriod
	dfOr
	dfSo
	dfThat
	dfFollowing
)

// wordEntry is a lexicon entry.
type wordEntry struct {
	class class
	val   int
}

// wordTable is the grammar lexicon, keyed by lower-case word. It holds the
// closed classes of English date expressions, not an open vocabulary, so it
// lives here rather than in a data file.
var wordTable = func() map[string]wordEntry {
	m := map[string]wordEntry{}
	for _, w := range lexicon.MonthWords() {
		mo, _ := lexicon.Month(w)
		if w == strings.ToLower(lexicon.MonthName(mo)) {
			m[w] = wordEntry{dcMonth, int(mo)}
		} else {
			m[w] = wordEntry{dcMonAbbr, int(mo)}
		}
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		m[strings.ToLower(lexicon.WeekdayName(d))] = wordEntry{dcWeekday, int(d)}
	}
	for w, v := range map[string]int{"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1} {
		m[w] = wordEntry{dcRelDay, v}
	}
	for w, v := range map[string]timeUnit{"day": duDay, "week": duWeek, "weekend": duWeekend, "month": duMonth, "quarter": duQuarter, "year": duYear, "decade": duDecade} {
		m[w] = wordEntry{dcUnit, int(v)}
		m[w+"s"] = wordEntry{dcUnitPl, int(v)}
	}
	for _, w := range []string{"morning", "afternoon", "evening", "night"} {
		m[w] = wordEntry{dcPart, 0}
	}
	for w, v := range map[string]int{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12} {
		m[w] = wordEntry{dcCount, v}
	}
	for w, v := range map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4} {
		m[w] = wordEntry{dcOrd, v}
	}
	for w, v := range map[string]int{"spring": 1, "summer": 2, "fall": 3, "autumn": 3, "winter": 4} {
		m[w] = wordEntry{dcSeason, v}
	}
	for w, v := range map[string]int{"q1": 1, "q2": 2, "q3": 3, "q4": 4, "h1": 5, "h2": 6} {
		m[w] = wordEntry{dcQCode, v}
	}
	m["nineteen"] = wordEntry{dcCentury, 19}
	for _, f := range lexicon.Lines("dates-holidays.txt") {
		if len(f) > 1 {
			w := holidayKey(f[1])
			if _, taken := m[w]; !taken {
				m[w] = wordEntry{dcHoliday, 0}
			}
		}
	}
	for _, mh := range movable {
		w := holidayKey(mh.name)
		if _, taken := m[w]; !taken {
			m[w] = wordEntry{dcHoliday, 0}
		}
	}
	for w, v := range map[string]funcWord{
		"the": dfThe, "of": dfOf, "last": dfLast, "next": dfNext, "this": dfThis, "past": dfPast,
		"previous": dfPrevious, "coming": dfComing, "current": dfCurrent, "latest": dfLatest,
		"early": dfEarly, "mid": dfMid, "late": dfLate, "end": dfEnd, "beginning": dfBeginning,
		"middle": dfMiddle, "start": dfStart, "earlier": dfEarlier, "later": dfLater, "ago": dfAgo,
		"fiscal": dfFiscal, "half": dfHalf, "every": dfEvery, "each": dfEvery, "nearly": dfNearly,
		"almost": dfNearly, "noon": dfNoon, "midnight": dfNoon, "period": dfPeriod, "or": dfOr, "so": dfSo,
		"that": dfThat, "following": dfFollowing,
		"in": dfPrep, "on": dfPrep, "by": dfPrep, "since": dfPrep, "until": dfPrep, "till": dfPrep,
		"from": dfPrep, "through": dfPrep, "to": dfPrep, "before": dfPrep, "after": dfPrep,
		"during": dfPrep, "at": dfPrep, "for": dfPrep, "between": dfPrep, "around": dfPrep,
		"and": dfPrep, "as": dfPrep, "until-": dfPrep, "into": dfPrep, "within": dfPrep,
		"i": dfPronoun, "we": dfPronoun, "you": dfPronoun, "he": dfPronoun, "she": dfPronoun,
		"it": dfPronoun, "they": dfPronoun,
	} {
		m[w] = wordEntry{dcFn, int(v)}
	}
	return m
}()

// inWordTable turns away most words that are not in wordTable before it
// is looked up.
var inWordTable = lexicon.NewFilter(wordTable)

// holidayKey is the first token of a holiday's name, the word a date token
// of the text holds: its letters up to an apostrophe, a dot or a space
// ("valentine" for "valentine's day", "st" for "st. andrew's day").
func holidayKey(name string) string {
	if k := strings.IndexAny(name, "'. "); k >= 0 {
		return name[:k]
	}
	return name
}

// holiday is a holiday on a fixed date: its name, lower case, and its
// month and day.
type holiday struct {
	name string
	m, d int
}

// cueLists holds the word lists of the data files, loaded once.
type cueLists struct {
	tense      map[string]int  // +1 future, -1 past
	afterYear  map[string]bool // "2019 tonnes"
	beforeYear map[string]bool // "Flight 1549"
	// holidays are the holidays of dates-holidays.txt by the first word
	// of their name without a dot ("st"), in file order (longer names
	// first).
	holidays map[string][]holiday
}

var loadCues = sync.OnceValue(func() *cueLists {
	c := &cueLists{tense: map[string]int{}, afterYear: map[string]bool{}, beforeYear: map[string]bool{}, holidays: map[string][]holiday{}}
	for _, f := range lexicon.Lines("dates-holidays.txt") {
		var m, d int
		if _, err := fmt.Sscanf(f[0], "%d-%d", &m, &d); err != nil || len(f) < 2 || !validDate(2000, m, d) {
			panic(fmt.Sprintf("dates: dates-holidays.txt: bad entry %q", strings.Join(f, " ")))
		}
		key := holidayKey(f[1])
		c.holidays[key] = append(c.holidays[key], holiday{name: strings.Join(f[1:], " "), m: m, d: d})
	}
	for _, f := range lexicon.Lines("dates-tense.txt") {
		if kind, w := f[0], strings.Join(f[1:], " "); len(f) > 1 {
			if kind == "future" {
				c.tense[w] = 1
			} else {
				c.tense[w] = -1
			}
		}
	}
	for _, f := range lexicon.Lines("dates-not-years.txt") {
		if kind, w := f[0], strings.Join(f[1:], " "); len(f) > 1 {
			if kind == "after" {
				c.afterYear[w] = true
			} else {
				c.beforeYear[w] = true
			}
		}
	}
	return c
})

// lowerWord writes the lower-case form of the ASCII word w into buf and
// returns it; ok is false when w does not fit.
func lowerWord(buf []byte, w string) ([]byte, bool) {
	if len(w) > len(buf) {
		return nil, false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return buf[:len(w)], true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// tokPool recycles token slices between documents.
var tokPool = sync.Pool{New: func() any { return new([]tok) }}

// wordAtom reports whether a token of the shared pass belongs to a date
// word: ASCII letters and digits, and any non-ASCII byte but the lead byte of
// the General Punctuation block (dashes, curly quotes), which separates
// words.
func wordAtom(s string, a text.Token) bool {
	switch a.Class {
	case text.Alpha, text.Digits:
		return true
	case text.Letter, text.Digit, text.Mark, text.Symbol, text.Invalid:
		return !isPunctLead(s[a.Start])
	}
	return false
}

// tokens builds the date tokens of s from its shared tokens atoms:
// words (letters and digits), numbers with their suffix ("9th", "1990s"),
// punctuation and line breaks, each word classified against the date
// lexicon. It appends to toks.
func tokens(toks []tok, s string, atoms []text.Token) []tok {
	var buf [12]byte
	gap := true
	for k := 0; k < len(atoms); {
		a := atoms[k]
		gap = gap || a.Space
		switch {
		case a.Class == text.Break:
			toks = append(toks, tok{s: a.Start, e: a.End, kind: dtBreak, gap: gap})
			gap = true
			k++
			continue
		case a.Class == text.Punct && (s[a.Start] == '\f' || s[a.Start] == '\v'):
			gap = true
			k++
			continue
		case a.Class == text.Digits:
			v := 0
			for j := a.Start; j < a.End && v >= 0; j++ {
				v = v*10 + int(s[j]-'0')
				if v > 99999 {
					v = -1
				}
			}
			t := tok{s: a.Start, e: a.End, kind: dtNum, val: v, nd: uint8(min(a.End-a.Start, 255)), gap: gap}
			k++
			for k < len(atoms) && !atoms[k].Space && atoms[k].Class != text.Digits && wordAtom(s, atoms[k]) {
				t.e = atoms[k].End
				k++
			}
			if t.e > a.End {
				switch strings.ToLower(s[a.End:min(t.e, a.End+3)]) {
				case "st", "nd", "rd", "th":
					if t.e-a.End == 2 {
						t.suf = dtSufOrd
					} else {
						t.suf = dtSufOther
					}
				case "s":
					t.suf = dtSufS
				default:
					t.suf = dtSufOther
				}
			}
			toks = append(toks, t)
		case wordAtom(s, a):
			t := tok{s: a.Start, e: a.End, kind: dtWord, up: a.Class == text.Alpha && a.Case != text.Lower, gap: gap}
			for k++; k < len(atoms) && !atoms[k].Space && wordAtom(s, atoms[k]); k++ {
				t.e = atoms[k].End
			}
			if lw, ok := lowerWord(buf[:], s[t.s:t.e]); ok && inWordTable.MayHoldBytes(lw) {
				if en, ok := wordTable[string(lw)]; ok {
					t.class, t.val = en.class, en.val
				}
			}
			toks = append(toks, t)
		default:
			toks = append(toks, tok{s: a.Start, e: a.End, kind: dtPunct, gap: gap})
			k++
		}
		gap = false
	}
	return toks
}

// isPunctLead reports whether c starts a UTF-8 sequence of the General
// Punctuation block (dashes, curly quotes), which separates words.
func isPunctLead(c byte) bool { return c == 0xe2 }

// granularity is the granularity of a date value.
type granularity uint8

// Granularities of a date value.
const (
	dgNone granularity = iota
	dgDay
	dgMonth
	dgYear
	dgWeek
	dgQuarter
	dgDecade
	dgHalf   // TIMEX3 "2024-H1"
	dgSeason // TIMEX3 "2024-SU"
)

// seasonCodes are the TIMEX3 codes of the seasons, by the val of a
// dcSeason word: spring, summer, fall (autumn), winter.
var seasonCodes = [...]string{"", "SP", "SU", "FA", "WI"}

// value is a resolved date at some granularity.
type value struct {
	gran       granularity
	y, m, d, n int // n is the ISO week, the quarter, the half, the season or the decade's first three digits
}

// String formats v as a TIMEX3 DATE value, "" when unresolved. Half-years
// and seasons are richer than the forms of FORMAT.md; a scorer reduces them
// to the year they start with.
func (v value) String() string {
	if v.y < 0 || v.y > 9999 {
		return ""
	}
	switch v.gran {
	case dgDay:
		return fmt.Sprintf("%04d-%02d-%02d", v.y, v.m, v.d)
	case dgMonth:
		return fmt.Sprintf("%04d-%02d", v.y, v.m)
	case dgYear:
		return fmt.Sprintf("%04d", v.y)
	case dgWeek:
		return fmt.Sprintf("%04d-W%02d", v.y, v.n)
	case dgQuarter:
		return fmt.Sprintf("%04d-Q%d", v.y, v.n)
	case dgDecade:
		return fmt.Sprintf("%03d", v.n)
	case dgHalf:
		return fmt.Sprintf("%04d-H%d", v.y, v.n)
	case dgSeason:
		return fmt.Sprintf("%04d-%s", v.y, seasonCodes[v.n])
	}
	return ""
}

func dayVal(t time.Time) value {
	return value{gran: dgDay, y: t.Year(), m: int(t.Month()), d: t.Day()}
}

func weekVal(t time.Time) value {
	y, w := t.ISOWeek()
	return value{gran: dgWeek, y: y, n: w}
}

func monthVal(t time.Time, add int) value {
	t = time.Date(t.Year(), t.Month()+time.Month(add), 1, 0, 0, 0, 0, time.UTC)
	return value{gran: dgMonth, y: t.Year(), m: int(t.Month())}
}

func quarterVal(t time.Time, add int) value {
	q := t.Year()*4 + (int(t.Month())-1)/3 + add
	return value{gran: dgQuarter, y: q / 4, n: q%4 + 1}
}

func yearVal(y int) value { return value{gran: dgYear, y: y} }

// validDate reports whether day d exists in month m of year y.
func validDate(y, m, d int) bool {
	return m >= 1 && m <= 12 && d >= 1 && d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// parser matches date expressions over the tokens of one document.
type parser struct {
	doc   *document.Document
	text  string
	toks  []tok
	pub   time.Time
	known bool
	// quarterly is 1 when the text talks about quarters ("third-quarter
	// profit"), so "a year ago" means the year-ago quarter; 0 unknown, -1 no.
	quarterly int
	// report is the reporting quarter: the last quarter named by its
	// ordinal, without a year, and its end ("the fourth quarter ended
	// Sept. 30"), which may be a fiscal quarter; zero until one is named.
	report value
	// anchor is the value of the last date found, which "that year" and
	// "the following month" refer to; zero before the first.
	anchor value
	// quarterAnchor is the last quarter found, which "that quarter" refers
	// to even when a day came after it ("the second quarter ended Oct. 31.
	// Results for that quarter..."); zero before the first.
	quarterAnchor value
}

// hit is a matched expression: tokens [start, end), its value and an
// optional warning.
type hit struct {
	start, end int
	val        value
	warn       string
}

// Find returns the DATE mentions of doc.
func Find(doc *document.Document) []trawl.Mention { return find(nil, doc, nil) }

// AppendFind appends the DATE mentions of doc to dst, as Find finds them,
// and returns the extended slice.
func AppendFind(dst []trawl.Mention, doc *document.Document) []trawl.Mention {
	return find(dst, doc, nil)
}

// hitHook sees each expression find keeps, with the byte range of its
// mention and a copy of the parser's state before the expression becomes
// the anchor of later ones, for the cross-validation of learned choices
// (cv_test.go). A copy, so that the parser does not escape to the heap.
type hitHook func(p parser, h hit, s, e int)

// find is AppendFind with a hook (nil for none).
func find(out []trawl.Mention, doc *document.Document, hook hitHook) []trawl.Mention {
	pooled := tokPool.Get().(*[]tok)
	p := &parser{doc: doc, text: doc.Text, toks: tokens((*pooled)[:0], doc.Text, doc.Tokens), pub: doc.Published, known: !doc.Published.IsZero()}
	defer func() {
		if cap(p.toks) <= 1<<20 { // keep big slices out of the pool
			*pooled = p.toks[:0]
			tokPool.Put(pooled)
		}
	}()
	lastEnd := 0
	for i := 0; i < len(p.toks); {
		t := &p.toks[i]
		if t.class == dcNone && t.kind != dtNum {
			i++
			continue
		}
		h, ok := p.match(i)
		if !ok || h.end <= i {
			i++
			continue
		}
		if h.start < h.end {
			s, e := p.toks[h.start].s, p.toks[h.end-1].e
			s = p.prefix(h, s, lastEnd)
			if after := p.text[e:min(len(p.text), e+16)]; mayOpenEnd(after) {
				if loc := openEndAfter.FindStringIndex(after); loc != nil {
					e += loc[1]
				}
			}
			lastEnd = e
			if hook != nil {
				hook(*p, h, s, e)
			}
			if h.val.y > 0 && h.val.gran != dgDecade {
				p.anchor = h.val
			}
			if h.val.gran == dgQuarter {
				p.quarterAnchor = h.val
			}
			out = append(out, trawl.Mention{Type: trawl.Date, Start: s, End: e, Text: doc.Text[s:e], Value: h.val.String(), Warning: h.warn})
		}
		i = h.end
	}
	return out
}

// clockBefore matches a clock time closing the text before a day ("10 p.m.
// Wednesday", "5 p.m. EST, Nov. 9", "mid-afternoon yesterday"), with an
// optional time zone and comma.
var clockBefore = regexp.MustCompile(`(?:\b\d{1,2}(?::\d{2})?\s?(?:[aApP]\.[mM]\.|[aApP][mM]\b)|\bmid[ -]?(?:morning|afternoon|day)|\bnoon|\bmidnight)(?:\s+(?:[A-Z]{1,3}T|UTC)\b)?\s*,?\s+$`)

// openEndAfter matches what TIMEX3 counts as a modifier after a date
// (TimeML annotation guidelines, the MOD attribute): an open end ("1994 or
// later", "1990 and beyond", MOD="EQUAL_OR_AFTER") and "or so" (the next
// year or so, MOD="APPROX").
var openEndAfter = regexp.MustCompile(`^[ \t]+(?:or[ \t]+(?:later|earlier|sooner|so)|and[ \t]+beyond)\b`)

// approxBefore matches "around" right before a date.
var approxBefore = regexp.MustCompile(`\b[Aa]round\s+$`)

// prefix returns the start of hit h, at byte s, moved back over what
// TIMEX3 counts as part of the expression (TimeML annotation guidelines
// 1.2.1, section 2.2): the clock time before a day, which is the same
// point in time at a finer grain ("10 p.m. Wednesday"), and the modifier
// "around" (MOD="APPROX": "around Nov. 1", "around year end"). It does not
// move back past lo, the end of the previous mention, nor over "around"
// when the date qualifies an amount after it.
func (p *parser) prefix(h hit, s, lo int) int {
	from := max(lo, s-40)
	if from >= s {
		return s
	}
	before := p.text[from:s]
	core, spaced := trimSpaceRight(before)
	if !spaced {
		return s // both patterns end in blanks
	}
	switch p.toks[h.start].class {
	case dcWeekday, dcRelDay, dcMonth, dcMonAbbr:
		if mayEndClock(core) {
			if loc := clockBefore.FindStringIndex(before); loc != nil && !strings.ContainsAny(p.text[from+loc[0]:s], "\n\r") {
				s = from + loc[0]
				before = p.text[from:s]
				core, spaced = trimSpaceRight(before)
			}
		}
	}
	if spaced && mayEndApprox(core) {
		if loc := approxBefore.FindStringIndex(before); loc != nil && !strings.ContainsAny(p.text[from+loc[0]:s], "\n\r") && !p.qualifiesQuantity(h) {
			s = from + loc[0]
		}
	}
	return s
}

// The tests below are necessary conditions of the patterns above, checked
// first because a pattern anchored at the end ($) is tried from every byte
// of the text before a date.

// trimSpaceRight returns t without its trailing blanks as the patterns'
// \s counts them (tab, line feed, form feed, carriage return, space), and
// whether there were any.
func trimSpaceRight(t string) (string, bool) {
	i := len(t)
	for i > 0 && isRESpace(t[i-1]) {
		i--
	}
	return t[:i], i < len(t)
}

func isRESpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// mayEndClock reports whether core, the text before a date without its
// trailing blanks, can end the way clockBefore needs: in the last letter
// of a clock time ("p.m.", "pm", "noon", "midnight", "mid-morning"), of a
// time zone ("EST", "UTC"), or in a comma after one of those.
func mayEndClock(core string) bool {
	if strings.HasSuffix(core, ",") {
		core, _ = trimSpaceRight(core[:len(core)-1])
	}
	if core == "" {
		return false
	}
	return strings.IndexByte(".mMgnytTC", core[len(core)-1]) >= 0
}

// mayEndApprox reports whether core, the text before a date without its
// trailing blanks, can end the way approxBefore needs: in "around".
func mayEndApprox(core string) bool { return strings.HasSuffix(core, "round") }

// mayOpenEnd reports whether after, the text after a date, can start the
// way openEndAfter needs: a blank, then "or" or "and".
func mayOpenEnd(after string) bool {
	i := 0
	for i < len(after) && (after[i] == ' ' || after[i] == '\t') {
		i++
	}
	return i > 0 && i < len(after) && (after[i] == 'o' || after[i] == 'a')
}

// qualifiesQuantity reports whether the date of hit h qualifies an amount
// after it, as a possessive or before "level" ("around last year's record",
// "around 1986 levels"): "around" then approximates the amount, not the
// date.
func (p *parser) qualifiesQuantity(h hit) bool {
	if p.isApos(h.end) {
		return true
	}
	w := p.lower(h.end)
	return w == "level" || w == "levels"
}

// Token predicates; all are false past the end of the tokens.

func (p *parser) tok(i int) *tok {
	if i < 0 || i >= len(p.toks) {
		return nil
	}
	return &p.toks[i]
}

func (p *parser) isFn(i int, fn funcWord) bool {
	t := p.tok(i)
	return t != nil && t.class == dcFn && t.fn() == fn
}

func (p *parser) isClass(i int, c class) bool {
	t := p.tok(i)
	return t != nil && t.class == c
}

func (p *parser) isUnit(i int, u timeUnit) bool {
	t := p.tok(i)
	return t != nil && t.class == dcUnit && t.unit() == u
}

func (p *parser) isPunct(i int, c byte) bool {
	t := p.tok(i)
	return t != nil && t.kind == dtPunct && p.text[t.s] == c
}

// isDash reports whether token i is a hyphen written without spaces
// ("mid-2011", "third-quarter").
func (p *parser) isDash(i int) bool {
	t := p.tok(i)
	return t != nil && t.kind == dtPunct && !t.gap && p.text[t.s] == '-' && i+1 < len(p.toks) && !p.toks[i+1].gap
}

// isApos reports whether token i is an apostrophe (' or ’).
func (p *parser) isApos(i int) bool {
	t := p.tok(i)
	return t != nil && t.kind == dtPunct && (p.text[t.s] == '\'' || p.text[t.s:t.e] == "’")
}

func (p *parser) lower(i int) string {
	t := p.tok(i)
	if t == nil {
		return ""
	}
	return p.doc.Lower(t.s, t.e)
}

// match tries every pattern that can start at token i.
func (p *parser) match(i int) (hit, bool) {
	t := &p.toks[i]
	switch t.class {
	case dcMonth, dcMonAbbr:
		return p.matchMonth(i, i)
	case dcWeekday:
		return p.matchWeekday(i, i)
	case dcRelDay:
		return p.matchRelDay(i, i)
	case dcCount:
		return p.matchAgo(i, i)
	case dcQCode:
		return p.matchQCode(i)
	case dcSeason:
		return p.seasonYear(i, i)
	case dcHoliday:
		return p.matchHoliday(i)
	case dcCentury:
		return p.spelledYear(i)
	case dcUnit:
		return p.matchYearAgoAdj(i, i)
	case dcOrd:
		return p.matchQuarter(i, i)
	case dcFn:
		switch t.fn() {
		case dfThe:
			return p.matchThe(i)
		case dfLast, dfNext, dfThis, dfPast, dfPrevious, dfComing, dfCurrent, dfLatest:
			return p.matchDeictic(i, i)
		case dfEarly, dfMid, dfLate, dfEarlier, dfLater:
			return p.matchEdge(i)
		case dfThat:
			return p.matchAnaphor(i, i+1, 0)
		case dfNoon:
			if p.isClass(i+1, dcWeekday) {
				return p.matchWeekday(i, i+1)
			}
			if p.isClass(i+1, dcRelDay) {
				return p.matchRelDay(i, i+1)
			}
		case dfFiscal:
			if y, ok := p.yearAt(i+1, true); ok {
				return hit{start: i, end: i + 2, val: yearVal(y)}, true
			}
			return p.matchQuarter(i, i+1)
		case dfNearly:
			if p.isClass(i+1, dcCount) || p.isNum(i+1) {
				return p.matchAgo(i, i+1)
			}
		}
	}
	if t.kind == dtNum {
		return p.matchNumber(i)
	}
	return hit{}, false
}

func (p *parser) isNum(i int) bool {
	t := p.tok(i)
	return t != nil && t.kind == dtNum
}

// yearAt reads a four-digit year at token i. loose accepts any year 1000-2099
// (after "fiscal", a month, "of"); otherwise years before 1900 need a
// preposition before them.
func (p *parser) yearAt(i int, loose bool) (int, bool) {
	t := p.tok(i)
	if t == nil || t.kind != dtNum || t.nd != 4 || t.suf != dtSufNone {
		return 0, false
	}
	if t.val < 1000 || t.val > 2099 {
		return 0, false
	}
	if !loose && t.val < 1900 && !p.isFn(i-1, dfPrep) && !p.isFn(i-1, dfOf) {
		return 0, false
	}
	if p.notYearBefore(i) || p.notYearAfter(i) {
		return 0, false
	}
	return t.val, true
}

// notYearBefore reports whether the token before the number at token i
// shows it is no year: money, codes, decimals, times and thousands ("$2019",
// "#2019", "20:19", "2,019", "£2019"), a word attached to it ("US$2019",
// "A2019") or a word listed as coming before numbers that are not years
// ("Flight 1549"). A hyphen after "mid", "early" or "late" ("mid-2011") is
// allowed.
func (p *parser) notYearBefore(i int) bool {
	if i == 0 {
		return false
	}
	t, b := &p.toks[i], &p.toks[i-1]
	if b.kind == dtPunct && !t.gap && !(p.text[b.s] == '-' && !b.gap && i >= 2 && (p.isFn(i-2, dfMid) || p.isFn(i-2, dfEarly) || p.isFn(i-2, dfLate))) {
		switch p.text[b.s] {
		case '$', '#', '.', ',', ':', '/', '-', '+':
			return true
		}
		if b.e-b.s > 1 { // £, €, ¥
			if r, _ := utf8.DecodeRuneInString(p.text[b.s:]); r == '£' || r == '€' || r == '¥' {
				return true
			}
		}
	}
	if b.kind == dtWord && !t.gap {
		return true // "US$2019", "A2019"
	}
	return b.kind == dtWord && loadCues().beforeYear[p.lower(i-1)]
}

// notYearAfter reports whether the tokens after the number at token i show
// it is no year: a percentage, a time or a fraction ("2019%", "20:19",
// "2019/20"), a decimal or a larger number ("2019.5", "2019,000",
// "2019-20" with digits attached) or a word listed as coming after numbers
// that are not years ("2019 tonnes").
func (p *parser) notYearAfter(i int) bool {
	n := p.tok(i + 1)
	if n == nil {
		return false
	}
	if n.kind == dtPunct && !n.gap {
		switch p.text[n.s] {
		case '%', ':', '/':
			return true
		case '.', ',', '-':
			if m := p.tok(i + 2); m != nil && m.kind == dtNum && !m.gap {
				return true
			}
		}
	}
	return n.kind == dtWord && loadCues().afterYear[p.lower(i+1)]
}

// dayAt reads a day of the month (1-31, "9th") at token i. An ordinal day
// out of range ("32nd") is returned with valid false so the caller can warn.
func (p *parser) dayAt(i int) (day int, ok, valid bool) {
	t := p.tok(i)
	if t != nil && t.kind == dtWord && !t.up {
		// "March eighth", as transcripts write a day; not "May first
		// quarter" nor "June second half".
		if d := spelledOrdinals[p.lower(i)]; d > 0 && !p.isClass(i+1, dcUnit) && !p.isFn(i+1, dfHalf) && !p.isDash(i+1) {
			return d, true, true
		}
		return 0, false, false
	}
	if t == nil || t.kind != dtNum || t.nd > 2 || (t.suf != dtSufNone && t.suf != dtSufOrd) {
		return 0, false, false
	}
	if n := p.tok(i + 1); n != nil && n.kind == dtPunct && !n.gap {
		switch p.text[n.s] {
		case '%':
			return 0, false, false
		case '.', ',', ':':
			if m := p.tok(i + 2); m != nil && m.kind == dtNum && !m.gap {
				return 0, false, false
			}
		}
	}
	if t.val >= 1 && t.val <= 31 {
		return t.val, true, true
	}
	if t.suf == dtSufOrd {
		return t.val, true, false
	}
	return 0, false, false
}

// spelledOrdinals are the days of the month written as one ordinal word.
var spelledOrdinals = map[string]int{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
	"ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
	"fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
	"twentieth": 20, "thirtieth": 30,
}

// monthAt reads a month name at token i and returns the month and the
// token index after it (past the dot of an abbreviation). Month names must
// be capitalised; an abbreviation needs its dot or a following day number.
func (p *parser) monthAt(i int) (month, next int, ok bool) {
	t := p.tok(i)
	if t == nil || !t.up {
		return 0, 0, false
	}
	switch t.class {
	case dcMonth:
		return t.val, i + 1, true
	case dcMonAbbr:
		if p.isPunct(i+1, '.') && !p.toks[i+1].gap {
			return t.val, i + 2, true
		}
		if _, ok, _ := p.dayAt(i + 1); ok {
			return t.val, i + 1, true
		}
	}
	return 0, 0, false
}

// monthContext reports whether a bare month name at token i reads as a
// month rather than a modal verb or a person's name: it needs a preposition
// or a date modifier before it, and no pronoun or capitalised name around it.
func (p *parser) monthContext(i, next int) bool {
	t := &p.toks[i]
	prev := p.tok(i - 1)
	ambiguous := t.val == 5 || t.val == 3 || t.val == 8
	if prev != nil && prev.kind == dtWord {
		if prev.class == dcFn {
			switch prev.fn() {
			case dfPrep, dfOf, dfLast, dfNext, dfThis, dfEarly, dfMid, dfLate, dfPast, dfPrevious, dfComing, dfSo:
				return true // "in August she said", "since May we have"
			}
		}
	}
	// "May" is also the modal verb, which a pronoun follows ("May I",
	// "May we"); no other month name is a verb.
	if n := p.tok(next); t.val == 5 && t.class == dcMonth && n != nil && n.kind == dtWord && n.class == dcFn && n.fn() == dfPronoun {
		return false
	}
	if prev != nil && prev.kind == dtWord {
		if prev.up && prev.class == dcNone {
			return false // "Theresa May", "Lady March"
		}
	}
	if prev != nil && prev.kind == dtPunct && p.text[prev.s] == '-' && !t.gap && p.isFn(i-2, dfMid) {
		return true
	}
	if n := p.tok(next); n != nil && n.kind == dtWord && n.up && n.class == dcNone {
		return false // "August Wilson", "June Carter"
	}
	if ambiguous {
		return false
	}
	return prev == nil || prev.kind != dtWord || !prev.up || prev.class != dcNone
}

// monthDate is a parsed month name with its day and year, if written: end
// is the token after it, d is 0 for a bare month, dayValid is false for an
// impossible ordinal day ("32nd"), bareName is true when only the name was
// read.
type monthDate struct {
	end               int
	y, m, d           int
	hasYear, dayValid bool
	bareName          bool
}

// monthDateAt parses Month [Day[,] [Year]] or Month [of|,] Year at token i.
func (p *parser) monthDateAt(i int) (monthDate, bool) {
	m, next, ok := p.monthAt(i)
	if !ok {
		return monthDate{}, false
	}
	md := monthDate{end: next, m: m, bareName: true}
	if d, ok, valid := p.dayAt(next); ok {
		md.d, md.end, md.bareName = d, next+1, false
		md.dayValid = valid
		j := md.end
		if p.isPunct(j, ',') {
			j++
		}
		if y, ok := p.yearAt(j, true); ok {
			md.y, md.hasYear, md.end = y, true, j+1
		}
		return md, true
	}
	j := next
	if p.isFn(j, dfOf) {
		j++
	} else if p.isPunct(j, ',') {
		j++
	}
	if y, ok := p.yearAt(j, true); ok {
		md.y, md.hasYear, md.end, md.bareName = y, true, j+1, false
	}
	return md, true
}

// dayFirstAt parses Day [of] Month [Year] ("9 June 2025", "6th of June").
func (p *parser) dayFirstAt(i int) (monthDate, bool) {
	d, ok, valid := p.dayAt(i)
	if !ok {
		return monthDate{}, false
	}
	j := i + 1
	if p.isFn(j, dfOf) {
		j++
	}
	m, next, ok := p.monthAt(j)
	if !ok {
		return monthDate{}, false
	}
	md := monthDate{end: next, m: m, d: d, dayValid: valid}
	if p.isPunct(md.end, ',') {
		if y, ok := p.yearAt(md.end+1, true); ok {
			md.y, md.hasYear, md.end = y, true, md.end+2
		}
	} else if y, ok := p.yearAt(md.end, true); ok {
		md.y, md.hasYear, md.end = y, true, md.end+1
	}
	return md, true
}

// resolveDay gives the value of a day-of-month date, choosing the year
// nearest the publication date when none is written, with a warning when
// the day does not exist.
func (p *parser) resolveDay(md monthDate, s, e int) (value, string) {
	if !md.dayValid {
		return value{}, fmt.Sprintf("%s %d is not a valid date", lexicon.MonthName(time.Month(md.m)), md.d)
	}
	if md.hasYear {
		if !validDate(md.y, md.m, md.d) {
			return value{}, fmt.Sprintf("%s %d, %d is not a valid date", lexicon.MonthName(time.Month(md.m)), md.d, md.y)
		}
		return value{gran: dgDay, y: md.y, m: md.m, d: md.d}, ""
	}
	if !p.known {
		if !validDate(2000, md.m, md.d) {
			return value{}, fmt.Sprintf("%s %d is not a valid date", lexicon.MonthName(time.Month(md.m)), md.d)
		}
		return value{}, ""
	}
	var cands [3]time.Time
	nc := 0
	for y := p.pub.Year() - 1; y <= p.pub.Year()+1; y++ {
		if validDate(y, md.m, md.d) {
			cands[nc] = time.Date(y, time.Month(md.m), md.d, 0, 0, 0, 0, time.UTC)
			nc++
		}
	}
	if nc == 0 {
		return value{}, fmt.Sprintf("%s %d is not a valid date", lexicon.MonthName(time.Month(md.m)), md.d)
	}
	return dayVal(p.nearest(cands[:nc], s, e)), ""
}

// nearest picks among cands, the same day of the year in successive years
// in time order, the one nearest the publication date, unless it is more
// than two months away on the side the tense of the text at [s, e)
// contradicts: then the one on the other side, within a year.
func (p *parser) nearest(cands []time.Time, s, e int) time.Time {
	var best time.Time
	bestDist := -1
	for _, t := range cands {
		dist := int(t.Sub(p.pub).Hours() / 24)
		if dist < 0 {
			dist = -dist
		}
		if bestDist < 0 || dist < bestDist {
			best, bestDist = t, dist
		}
	}
	if bestDist > 60 {
		tense := p.tense(s, e)
		for _, t := range cands {
			if tense < 0 && best.After(p.pub) && !t.After(p.pub) && p.pub.Sub(t).Hours() < 366*24 {
				best = t
			}
			if tense > 0 && best.Before(p.pub) && !t.Before(p.pub) && t.Sub(p.pub).Hours() < 366*24 {
				best = t
				break
			}
		}
	}
	return best
}

// movableHoliday is a holiday whose calendar date changes from year to
// year, with the rule that gives it.
type movableHoliday struct {
	name string // lower case, words separated by one space
	date func(year int) time.Time
}

// movable are the holidays on a date that moves, longer names of the same
// start first. Their rules: Easter Sunday by the Gregorian computus (the
// anonymous algorithm of Meeus, "Astronomical Algorithms", ch. 8), Good
// Friday two days before it and Easter Monday the day after; and the United
// States federal holidays of 5 U.S.C. 6103(a): Memorial Day the last Monday
// in May, Labor Day the first Monday in September, Thanksgiving Day the
// fourth Thursday in November, Martin Luther King Jr. Day and Washington's
// Birthday (Presidents' Day) the third Monday in January and February,
// Columbus Day the second Monday in October; Election Day, the Tuesday
// after the first Monday in November (2 U.S.C. 7); Mother's Day the
// second Sunday in May and Father's Day the third Sunday in June (36
// U.S.C. 117 and 109).
var movable = []movableHoliday{
	{"easter sunday", easter},
	{"easter monday", func(y int) time.Time { return easter(y).AddDate(0, 0, 1) }},
	{"easter", easter},
	{"good friday", func(y int) time.Time { return easter(y).AddDate(0, 0, -2) }},
	{"memorial day", func(y int) time.Time { return nthWeekday(y, time.May, time.Monday, -1) }},
	{"labor day", func(y int) time.Time { return nthWeekday(y, time.September, time.Monday, 1) }},
	{"thanksgiving day", func(y int) time.Time { return nthWeekday(y, time.November, time.Thursday, 4) }},
	{"thanksgiving", func(y int) time.Time { return nthWeekday(y, time.November, time.Thursday, 4) }},
	{"martin luther king jr. day", mlkDay},
	{"martin luther king jr day", mlkDay},
	{"martin luther king day", mlkDay},
	{"presidents' day", presidentsDay},
	{"presidents day", presidentsDay},
	{"president's day", presidentsDay},
	{"washington's birthday", presidentsDay},
	{"columbus day", func(y int) time.Time { return nthWeekday(y, time.October, time.Monday, 2) }},
	{"election day", func(y int) time.Time { return nthWeekday(y, time.November, time.Monday, 1).AddDate(0, 0, 1) }},
	{"mother's day", func(y int) time.Time { return nthWeekday(y, time.May, time.Sunday, 2) }},
	{"father's day", func(y int) time.Time { return nthWeekday(y, time.June, time.Sunday, 3) }},
}

// mlkDay is Martin Luther King Jr. Day, the third Monday in January
// (5 U.S.C. 6103(a)).
func mlkDay(y int) time.Time { return nthWeekday(y, time.January, time.Monday, 3) }

// presidentsDay is Washington's Birthday, called Presidents' Day, the
// third Monday in February (5 U.S.C. 6103(a)).
func presidentsDay(y int) time.Time { return nthWeekday(y, time.February, time.Monday, 3) }

// easter gives Easter Sunday of year y in the Gregorian calendar (Meeus's
// anonymous algorithm, valid for every Gregorian year).
func easter(y int) time.Time {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// nthWeekday gives the n-th weekday wd of month m in year y, counting from
// the end of the month when n is negative (-1: the last).
func nthWeekday(y int, m time.Month, wd time.Weekday, n int) time.Time {
	if n < 0 {
		t := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC) // the month's last day
		back := (int(t.Weekday()) - int(wd) + 7) % 7
		return t.AddDate(0, 0, -back-7*(-n-1))
	}
	t := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	fwd := (int(wd) - int(t.Weekday()) + 7) % 7
	return t.AddDate(0, 0, fwd+7*(n-1))
}

// resolveMonth gives the value of a month named without a year: the most
// recent one in a past-tense sentence, the next one in a future-tense
// sentence, else the nearest.
func (p *parser) resolveMonth(m, s, e int) value {
	if !p.known {
		return value{}
	}
	y, pm := p.pub.Year(), int(p.pub.Month())
	off := m - pm // months from the publication month to the nearest such month
	switch {
	case off > 6:
		off -= 12
		y--
	case off < -6:
		off += 12
		y++
	}
	switch {
	case off > 0 && p.tense(s, e) < 0:
		y--
	case off < 0 && p.tense(s, e) > 0:
		y++
	}
	return value{gran: dgMonth, y: y, m: m}
}

// matchMonth matches expressions headed by a month name at token i, with
// the expression starting at token start (a modifier before it).
func (p *parser) matchMonth(start, i int) (hit, bool) {
	md, ok := p.monthDateAt(i)
	if !ok {
		return hit{}, false
	}
	if md.bareName && start == i && !p.monthContext(i, md.end) {
		return hit{}, false
	}
	if md.d == 0 && !md.hasYear && start == i && p.toks[i].class == dcMonAbbr {
		// "Jan." alone is too often an abbreviation of something else.
		if !p.monthContext(i, md.end) {
			return hit{}, false
		}
	}
	h := hit{start: start, end: md.end}
	s, e := p.toks[start].s, p.toks[md.end-1].e
	switch {
	case md.d > 0:
		h.val, h.warn = p.resolveDay(md, p.toks[h.start].s, p.toks[h.end-1].e)
	case md.hasYear:
		h.val = value{gran: dgMonth, y: md.y, m: md.m}
	case p.isClass(md.end, dcCentury):
		// "January nineteen ninety-seven", as transcripts write a year.
		if y, ok := p.spelledYear(md.end); ok {
			h.end = y.end
			h.val = value{gran: dgMonth, y: y.val.y, m: md.m}
			return h, true
		}
		h.val = p.resolveMonth(md.m, s, e)
	default:
		// "June last year", "January this year".
		if (p.isFn(md.end, dfLast) || p.isFn(md.end, dfThis) || p.isFn(md.end, dfNext)) && p.isUnit(md.end+1, duYear) {
			h.end = md.end + 2
			if p.known {
				y := p.pub.Year()
				if p.isFn(md.end, dfLast) {
					y--
				} else if p.isFn(md.end, dfNext) {
					y++
				}
				h.val = value{gran: dgMonth, y: y, m: md.m}
			}
			return h, true
		}
		h.val = p.resolveMonth(md.m, s, e)
	}
	return h, true
}

// tensWords and unitWords are the number words of a year said in words.
var (
	tensWords = map[string]int{"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
	unitWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
)

// spelledYear matches a year of the 1900s said in words, as broadcast
// transcripts write it: "nineteen ninety-six", "nineteen eighty" (a tens
// word, with a unit word after a hyphen or not).
func (p *parser) spelledYear(i int) (hit, bool) {
	tens, ok := tensWords[p.lower(i+1)]
	if !ok || !p.toks[i+1].gap {
		return hit{}, false
	}
	y, end := 1900+tens, i+2
	k := i + 2
	if p.isDash(k) {
		k++
	}
	if u, ok := unitWords[p.lower(k)]; ok && (k > i+2 || p.toks[k].gap) {
		y, end = y+u, k+1
	}
	if u := p.tok(end); u != nil && u.kind == dtWord && (u.class == dcUnitPl || p.lower(end) == "percent" || p.lower(end) == "per") {
		return hit{}, false // "nineteen ninety days", a quantity
	}
	return hit{start: i, end: end, val: yearVal(y)}, true
}

// matchHoliday matches the capitalised name of a holiday on a fixed date at
// token i ("Christmas Day", "New Year's Eve", "Independence Day"), with a
// year after it when one is written ("Christmas 2024"); without one, the
// year is the one that puts the day nearest the publication date, as for
// "June 13".
func (p *parser) matchHoliday(i int) (hit, bool) {
	if !p.toks[i].up {
		return hit{}, false
	}
	var buf [40]byte
	for _, mh := range movable {
		end, ok := p.matchName(i, mh.name, buf[:0])
		if !ok {
			continue
		}
		if pr := p.tok(i - 1); pr != nil && pr.kind == dtWord && pr.up && pr.class == dcNone {
			return hit{}, false // "Holocaust Memorial Day": a longer name
		}
		if n := p.tok(end); n != nil && n.kind == dtWord && n.up && n.gap {
			// "Easter Island", "the Good Friday Agreement": a name,
			// none of whose words is a date.
			return hit{start: end, end: end}, true
		}
		h := hit{start: i, end: end}
		j := end
		if p.isPunct(j, ',') {
			j++
		}
		if y, ok := p.yearAt(j, true); ok {
			h.end = j + 1
			h.val = dayVal(mh.date(y))
			return h, true
		}
		if p.known {
			var cands [3]time.Time
			for k := range cands {
				cands[k] = mh.date(p.pub.Year() - 1 + k)
			}
			h.val = dayVal(p.nearest(cands[:], p.toks[i].s, p.toks[end-1].e))
		}
		return h, true
	}
	for _, hd := range loadCues().holidays[p.lower(i)] {
		end, ok := p.matchName(i, hd.name, buf[:0])
		if !ok {
			continue
		}
		md := monthDate{end: end, m: hd.m, d: hd.d, dayValid: true}
		j := end
		if p.isPunct(j, ',') {
			j++
		}
		if y, ok := p.yearAt(j, true); ok {
			md.y, md.hasYear, md.end = y, true, j+1
		}
		h := hit{start: i, end: md.end}
		h.val, h.warn = p.resolveDay(md, p.toks[i].s, p.toks[md.end-1].e)
		return h, true
	}
	return hit{}, false
}

// matchName reports whether the tokens from i spell name (lower case,
// words separated by one space, a straight apostrophe for either kind) and
// returns the token after them.
func (p *parser) matchName(i int, name string, buf []byte) (int, bool) {
	for k := i; k < len(p.toks) && k < i+8; k++ {
		t := &p.toks[k]
		if t.kind == dtBreak {
			return 0, false
		}
		if k > i && t.gap {
			buf = append(buf, ' ')
		}
		w := p.text[t.s:t.e]
		if w == "’" {
			w = "'"
		}
		for j := 0; j < len(w); j++ {
			c := w[j]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
		}
		if len(buf) > len(name) || name[:len(buf)] != string(buf) {
			return 0, false
		}
		if len(buf) == len(name) {
			return k + 1, true
		}
	}
	return 0, false
}

// matchWeekday matches a weekday at token i, optionally with an explicit
// date after it ("Monday, June 9th", "last Friday (June 6th)") and a part of
// the day ("Friday morning"). mod is the modifier token before it, if any.
func (p *parser) matchWeekday(start, i int) (hit, bool) {
	t := &p.toks[i]
	if !t.up {
		return hit{}, false
	}
	if p.isFn(start-1, dfEvery) {
		return hit{}, false // a set: "every Monday"
	}
	wd := time.Weekday(t.val)
	h := hit{start: start, end: i + 1}
	// An explicit date after the weekday.
	j := i + 1
	paren := false
	if p.isPunct(j, ',') {
		j++
	} else if p.isPunct(j, '(') {
		j++
		paren = true
	}
	md, ok := p.monthDateAt(j)
	if !ok || md.bareName {
		md, ok = p.dayFirstAt(j)
	}
	if ok && (md.d > 0) {
		end := md.end
		if paren {
			if !p.isPunct(end, ')') {
				ok = false
			} else {
				end++
			}
		}
		if ok {
			h.end = end
			h.val, h.warn = p.resolveDay(md, p.toks[h.start].s, p.toks[h.end-1].e)
			if h.warn == "" && h.val.gran == dgDay {
				got := time.Date(h.val.y, time.Month(h.val.m), h.val.d, 0, 0, 0, 0, time.UTC).Weekday()
				if got != wd {
					h.warn = fmt.Sprintf("%s %d, %d is a %s, not a %s", lexicon.MonthName(time.Month(h.val.m)), h.val.d, h.val.y, got, wd)
				}
			}
			return h, true
		}
	}
	if p.isClass(i+1, dcPart) {
		h.end = i + 2
	}
	if !p.known {
		return h, true
	}
	pub := p.pub
	anaphor := start < i && (p.isFn(i-1, dfPrevious) || p.isFn(i-1, dfFollowing))
	if anaphor && p.anchor.gran == dgDay {
		// "the previous Friday", "the following Monday" count from the
		// day the text is telling, the last one it named (TimeML: the
		// anchor is the reference time, not the document's date, unlike
		// "last Friday").
		pub = time.Date(p.anchor.y, time.Month(p.anchor.m), p.anchor.d, 0, 0, 0, 0, time.UTC)
	}
	back := (int(pub.Weekday()) - int(wd) + 7) % 7 // days back to the last such weekday
	fwd := (int(wd) - int(pub.Weekday()) + 7) % 7
	var d time.Time
	switch {
	case start < i && p.isFn(i-1, dfFollowing):
		if fwd == 0 {
			fwd = 7
		}
		d = pub.AddDate(0, 0, fwd)
	case start < i && (p.isFn(i-1, dfLast) || p.isFn(i-1, dfPrevious)):
		if back == 0 {
			back = 7
		}
		d = pub.AddDate(0, 0, -back)
	case start < i && (p.isFn(i-1, dfNext) || p.isFn(i-1, dfComing)):
		if fwd == 0 {
			fwd = 7
		}
		d = pub.AddDate(0, 0, fwd)
	default:
		if back == 0 {
			d = pub
		} else if p.tense(p.toks[start].s, p.toks[h.end-1].e) > 0 {
			d = pub.AddDate(0, 0, fwd)
		} else {
			d = pub.AddDate(0, 0, -back)
		}
	}
	h.val = dayVal(d)
	return h, true
}

// matchRelDay matches today, yesterday, tomorrow and tonight, with an
// optional part of the day after them.
func (p *parser) matchRelDay(start, i int) (hit, bool) {
	if start == i && p.genericRelDay(i) {
		return hit{}, false
	}
	h := hit{start: start, end: i + 1}
	if p.isClass(i+1, dcPart) {
		h.end = i + 2
	}
	if p.known {
		h.val = dayVal(p.pub.AddDate(0, 0, p.toks[i].val))
	}
	return h, true
}

// nowadaysNouns are the nouns after which "today's" means "of our time"
// rather than the publication day ("today's world", "today's youth",
// "today's computers"): people, ages and things that exist across a period.
// TimeML annotation guidelines (section on PRESENT_REF): "today" used in
// this generic sense is not a calendar date.
var nowadaysNouns = map[string]bool{
	"world": true, "society": true, "youth": true, "generation": true, "generations": true,
	"young": true, "children": true, "kids": true, "teenagers": true, "students": true,
	"standards": true, "terms": true, "dollars": true, "age": true, "era": true, "times": true,
	"technology": true, "computers": true, "culture": true, "economy": true, "people": true,
}

// genericRelDay reports whether "today" or "tomorrow" at token i is part of
// a name after an acronym ("USA Today") or is used in the generic sense of "nowadays" or "the future" (TimeML PRESENT_REF and
// FUTURE_REF, not dates): "today's world", "today's personal computers",
// and after a noun and "of" ("the people of tomorrow", "the Europe of
// today"), but not "as of today".
func (p *parser) genericRelDay(i int) bool {
	w := p.lower(i)
	if w != "today" && w != "tomorrow" {
		return false
	}
	if p.toks[i].up && p.acronymAt(i-1) {
		return true // "USA Today", "VOA Today": the name of a paper or a programme
	}
	possessive := p.isApos(i+1) && p.lower(i+2) == "s"
	if p.isFn(i-1, dfOf) && !possessive { // not "ahead of today's meeting"
		if b := p.tok(i - 2); b != nil && b.kind == dtWord && b.class != dcFn && b.class != dcUnit && b.class != dcPart && p.lower(i-2) != "as" {
			return true
		}
	}
	if possessive {
		k := i + 3
		// One adjective may come first ("today's personal computers").
		for range 2 {
			if nowadaysNouns[p.lower(k)] {
				return true
			}
			k++
		}
	}
	return false
}

// acronymAt reports whether token i is a word of two to five upper-case
// letters ("USA", "VOA") written with a space before the next token.
func (p *parser) acronymAt(i int) bool {
	t := p.tok(i)
	if t == nil || t.kind != dtWord || t.e-t.s < 2 || t.e-t.s > 5 || !p.toks[i+1].gap {
		return false
	}
	for k := t.s; k < t.e; k++ {
		if c := p.text[k]; c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// countAt reads a small count ("a", "two", "10") at token i.
func (p *parser) countAt(i int) (int, bool) {
	t := p.tok(i)
	if t == nil {
		return 0, false
	}
	if t.class == dcCount {
		return t.val, true
	}
	if t.kind == dtNum && t.suf == dtSufNone && t.nd <= 3 && t.val > 0 {
		if p.isPunct(i+1, '-') || p.isPunct(i+1, '.') || p.isPunct(i+1, ',') && p.isNum(i+2) {
			return 0, false
		}
		return t.val, true
	}
	return 0, false
}

// matchAgo matches "two weeks ago", "a year ago", "a year earlier", "nearly
// four years ago" starting at start with the count at token i.
func (p *parser) matchAgo(start, i int) (hit, bool) {
	n, ok := p.countAt(i)
	if !ok {
		return hit{}, false
	}
	j := i + 1
	u := p.tok(j)
	if u == nil || (u.class != dcUnit && u.class != dcUnitPl) {
		return hit{}, false
	}
	unit := u.unit()
	j++
	if p.isFn(j, dfOr) && p.isFn(j+1, dfSo) {
		j += 2 // "a week or so ago"
	}
	ago := p.isFn(j, dfAgo)
	earlier := n == 1 && unit == duYear && p.isFn(j, dfEarlier)
	if !ago && !earlier {
		return hit{}, false
	}
	h := hit{start: start, end: j + 1}
	if !p.known {
		return h, true
	}
	pub := p.pub
	switch unit {
	case duDay:
		h.val = dayVal(pub.AddDate(0, 0, -n))
	case duWeek, duWeekend:
		h.val = weekVal(pub.AddDate(0, 0, -7*n))
	case duMonth:
		h.val = monthVal(pub, -n)
	case duQuarter:
		h.val = quarterVal(pub, -n)
	case duYear:
		if n == 1 {
			h.val = p.yearAgo(p.toks[h.start].s)
		} else {
			h.val = yearVal(pub.Year() - n)
		}
	case duDecade:
		h.val = yearVal(pub.Year() - 10*n)
	}
	return h, true
}

// yearAgo gives the value of "a year ago", "a year earlier", "year-earlier":
// the year before publication, or the year-ago quarter in an article that
// reports quarterly figures.
func (p *parser) yearAgo(s int) value {
	if p.quarterlyText() && !p.monthsPeriod(s) {
		return p.yearAgoQuarter()
	}
	return yearVal(p.pub.Year() - 1)
}

// quarterlyText reports whether the text talks about quarters.
func (p *parser) quarterlyText() bool {
	if p.quarterly == 0 {
		p.quarterly = -1
		if strings.Contains(p.text, "quarter") {
			p.quarterly = 1
		}
	}
	return p.quarterly > 0
}

// lastPeriodIsQuarter reports whether a quarter is named in the
// periodWindow bytes before s.
func (p *parser) lastPeriodIsQuarter(s int) bool {
	return strings.Contains(p.text[max(0, s-periodWindow):s], "quarter")
}

// periodWords finds the words that name a reporting period in results:
// a quarter, or a run of months ("the nine months", "six-month").
var periodWords = regexp.MustCompile(`(?i)\b(?:quarter|(?:three|six|nine|twelve|\d{1,2})[ -]months?)\b`)

// periodWindow is how many bytes before a year-ago expression the period
// it compares is looked for: about two sentences.
const periodWindow = 300

// monthsPeriod reports whether the reporting period last named before byte
// s is a run of months rather than a quarter ("For the nine months, net
// rose from a year earlier"): then a year-ago expression compares that
// period, whose TIMEX3 value is the year before, not a quarter.
func (p *parser) monthsPeriod(s int) bool {
	lo := max(0, s-periodWindow)
	locs := periodWords.FindAllStringIndex(p.text[lo:s], -1)
	if len(locs) == 0 {
		return false
	}
	last := locs[len(locs)-1]
	return !strings.EqualFold(p.text[lo+last[0]:lo+last[1]], "quarter")
}

// reportQuarter gives the quarter that "the quarter", "the latest period"
// and "the latest quarter" mean in an article on quarterly results: the
// reporting quarter when the article has named it by its ordinal, which may
// be a fiscal quarter ("the fourth quarter ended Sept. 30"), else the last
// completed calendar quarter before publication. A quarter named without its
// end ("fourth-quarter earnings are expected to...") is as often a forecast
// as the quarter reported, so it does not set the reporting quarter.
func (p *parser) reportQuarter() value {
	if p.report.gran == dgQuarter {
		return p.report
	}
	return quarterVal(p.pub, -1)
}

// quarterEnded reads "ended" or "ending" and a month at token k, after "the
// quarter": "the quarter ended July 31" spans the three months that end in
// July, and its calendar quarter is the one that holds most of them, the
// quarter of the middle month (May to July: the second). The month is in
// the year before publication when "ended" puts it in the past and it is
// later in the year than the publication month.
func (p *parser) quarterEnded(k int) (value, bool) {
	w := p.lower(k)
	if w != "ended" && w != "ending" {
		return value{}, false
	}
	m, _, ok := p.monthAt(k + 1)
	if !ok {
		return value{}, false
	}
	y := p.pub.Year()
	if w == "ended" && m > int(p.pub.Month()) {
		y--
	}
	if m--; m == 0 {
		m, y = 12, y-1
	}
	return value{gran: dgQuarter, y: y, n: (m-1)/3 + 1}, true
}

// yearAgoQuarter gives the year-ago quarter ("a year earlier" in quarterly
// results, "the year-ago quarter"): the reporting quarter a year back.
func (p *parser) yearAgoQuarter() value {
	v := p.reportQuarter()
	v.y--
	return v
}

// matchQCode matches "Q3", "Q3 2025", "Q3 of 2025", and the half-years
// "H1 2025" (2025-H1), which need their year.
func (p *parser) matchQCode(i int) (hit, bool) {
	q, gran := p.toks[i].val, dgQuarter
	if q > 4 {
		q, gran = q-4, dgHalf
	}
	h := hit{start: i, end: i + 1}
	j := i + 1
	if p.isFn(j, dfOf) || p.isPunct(j, ',') {
		j++
	}
	if y, ok := p.yearAt(j, true); ok {
		h.end = j + 1
		h.val = value{gran: gran, y: y, n: q}
		return h, true
	}
	if !p.toks[i].up || gran == dgHalf {
		return hit{}, false // "H2" alone is as often hydrogen
	}
	if p.known {
		h.val = value{gran: gran, y: p.pub.Year(), n: q}
	}
	return h, true
}

// matchQuarter matches "third quarter", "third-quarter", "fourth quarter of
// 1989", with the ordinal at token i (after "the", "fiscal", a year...).
func (p *parser) matchQuarter(start, i int) (hit, bool) {
	if p.isFn(i, dfFiscal) {
		i++
	}
	t := p.tok(i)
	if t == nil || t.class != dcOrd {
		return hit{}, false
	}
	q := t.val
	j := i + 1
	if p.isDash(j) {
		j++
	}
	if !p.isUnit(j, duQuarter) {
		if p.isFn(j, dfHalf) && q <= 2 {
			return p.matchHalf(start, j, q)
		}
		return hit{}, false
	}
	h := hit{start: start, end: j + 1}
	if j > i+1 && p.isFn(start, dfThe) {
		h.start = start + 1 // "the third-quarter loss": the adjective alone
	}
	if p.isFn(j+1, dfOf) || p.isPunct(j+1, ',') {
		if y, ok := p.yearAt(j+2, true); ok {
			h.end = j + 3
			h.val = value{gran: dgQuarter, y: y, n: q}
			return h, true
		}
	}
	// "the first quarter of last year", "the fourth quarter last year",
	// "the first quarter of the year".
	if end, add, ok := p.yearOf(j + 1); ok {
		h.end = end
		if p.known {
			h.val = value{gran: dgQuarter, y: p.pub.Year() + add, n: q}
		}
		return h, true
	}
	if y, ok := p.yearAt(j+1, true); ok && !p.isPunct(j+1, ',') {
		h.end = j + 2
		h.val = value{gran: dgQuarter, y: y, n: q}
		return h, true
	}
	if p.known {
		y := p.pub.Year()
		cur := (int(p.pub.Month())-1)/3 + 1
		if q > cur && p.tense(p.toks[start].s, p.toks[h.end-1].e) < 0 {
			y--
		}
		h.val = value{gran: dgQuarter, y: y, n: q}
		if w := p.lower(h.end); w == "ended" || w == "ending" {
			p.report = h.val
		}
	}
	return h, true
}

// yearOf reads "of" and a year named by its relation to the publication
// year at token k: "of last year", "of next year", "of this year", "of the
// year" (the publication year). It returns the token after it and the years
// to add to the publication year. Without "of" ("the fourth quarter last
// year") the two are left as two expressions, as TimeML annotates them.
func (p *parser) yearOf(k int) (end, add int, ok bool) {
	if !p.isFn(k, dfOf) {
		return 0, 0, false
	}
	k++
	if p.isFn(k, dfThe) && p.isUnit(k+1, duYear) && !p.isDash(k+2) && !p.isApos(k+2) {
		return k + 2, 0, true
	}
	if !p.isUnit(k+1, duYear) || p.isDash(k+2) || p.toks[k+1].up {
		return 0, 0, false
	}
	switch {
	case p.isFn(k, dfLast):
		return k + 2, -1, true
	case p.isFn(k, dfThis):
		return k + 2, 0, true
	case p.isFn(k, dfNext):
		return k + 2, 1, true
	}
	return 0, 0, false
}

// matchHalf matches a half-year with its ordinal q (1 or 2) before the word
// "half" at token j: "the first half of 2024" (2024-H1), "the second half of
// next year", "the first half of the year". The year must be written or
// named: "the first half" alone is as often a half of a game.
func (p *parser) matchHalf(start, j, q int) (hit, bool) {
	if p.isFn(j+1, dfOf) {
		if y, ok := p.yearAt(j+2, true); ok {
			return hit{start: start, end: j + 3, val: value{gran: dgHalf, y: y, n: q}}, true
		}
	}
	end, add, ok := p.yearOf(j + 1)
	if !ok {
		return hit{}, false
	}
	h := hit{start: start, end: end}
	if p.known {
		h.val = value{gran: dgHalf, y: p.pub.Year() + add, n: q}
	}
	return h, true
}

// matchYearAgoAdj matches "year-earlier", "year-ago" and "year-end", with
// an optional "quarter" or "period" after the first two.
func (p *parser) matchYearAgoAdj(start, i int) (hit, bool) {
	if !p.isUnit(i, duYear) {
		return hit{}, false
	}
	if !p.isDash(i + 1) {
		// "year end", "year's end"
		end := 0
		if p.isFn(i+1, dfEnd) {
			end = i + 2
		} else if p.isApos(i+1) && p.lower(i+2) == "s" && p.isFn(i+3, dfEnd) {
			end = i + 4
		}
		if end == 0 || p.isFn(start-1, dfThe) {
			return hit{}, false
		}
		h := hit{start: start, end: end}
		if p.known {
			h.val = yearVal(p.pub.Year())
		}
		return h, true
	}
	h := hit{start: start, end: i + 3}
	switch {
	case p.isFn(i+2, dfAgo), p.isFn(i+2, dfEarlier):
		k := i + 3
		if p.isClass(k, dcOrd) && p.isUnit(k+1, duQuarter) {
			h.end = k + 2
			if p.known {
				h.val = value{gran: dgQuarter, y: p.pub.Year() - 1, n: p.toks[k].val}
			}
			return h, true
		}
		if p.isUnit(k, duQuarter) {
			h.end = k + 1
			if p.known {
				h.val = p.yearAgoQuarter()
			}
			return h, true
		}
		if p.isFn(k, dfPeriod) {
			h.end = k + 1
		} else {
			h.start = i // "the year-ago results": the span is the adjective
		}
		if p.known {
			h.val = p.yearAgo(p.toks[h.start].s)
		}
		return h, true
	case p.isFn(i+2, dfEnd):
		if p.known {
			h.val = yearVal(p.pub.Year())
		}
		return h, true
	}
	return hit{}, false
}

// matchThe matches expressions that start with "the"; the word after it
// says which rule applies.
func (p *parser) matchThe(i int) (hit, bool) {
	j := i + 1
	t := p.tok(j)
	if t == nil {
		return hit{}, false
	}
	switch t.class {
	case dcUnit:
		return p.theUnit(i, j)
	case dcSeason:
		return p.theSeason(i, j)
	case dcOrd:
		return p.matchQuarter(i, j)
	case dcFn:
		switch t.fn() {
		case dfLast, dfNext, dfPast, dfPrevious, dfComing, dfCurrent, dfLatest:
			return p.theDeictic(i, j)
		case dfEnd, dfBeginning, dfMiddle, dfStart:
			return p.thePartOf(i, j)
		case dfPeriod:
			return p.thePeriodYearBack(i, j)
		case dfEarly, dfMid, dfLate:
			// "the early summer", "the late 1989": the modifier and the
			// period after it, the article included as for "the summer";
			// a decade keeps to its number, as "the 1990s" does.
			if h, ok := p.matchEdge(j); ok && h.start == j && h.val.gran != dgDecade {
				h.start = i
				return h, true
			}
		case dfFiscal:
			if p.isUnit(j+1, duYear) && !p.isDash(j+2) {
				// "the fiscal year", in the contexts of "the year".
				if h, ok := p.theYear(i, j+1); ok {
					return h, true
				}
			}
			return p.matchQuarter(i, j)
		case dfFollowing:
			if p.isClass(j+1, dcWeekday) && p.anchor.gran == dgDay {
				return p.matchWeekday(i, j+1) // "the following Friday"
			}
			if p.isClass(j+1, dcPart) || p.isUnit(j+1, duDay) {
				return p.matchAnaphorDay(i, j+1, 1) // "the following morning"
			}
			return p.matchAnaphor(i, j+1, 1)
		}
	case dcNone:
		if h, ok := p.theSamePeriod(i, j); ok {
			return h, true
		}
		if h, ok := p.theYearPeriod(i, j); ok {
			return h, true
		}
		return p.theFullYear(i, j)
	}
	return hit{}, false
}

// matchAnaphor matches "that" or "the following" and a unit at token j,
// starting at token start: "that year", "that quarter", "the following
// month", "the following day". They refer to the last date the text named
// (the anchor), not to the publication date; add is 1 for "the following".
// Without an anchor fine enough for the unit they are no date, and "that
// day" and "that week" are left alone: in news they are as often a
// generic moment ("losses on trades made that day") as a date.
func (p *parser) matchAnaphor(start, j, add int) (hit, bool) {
	t := p.tok(j)
	if t == nil || t.class != dcUnit || t.up && j > start+1 || p.isDash(j+1) {
		return hit{}, false
	}
	a := p.anchor
	if a.y == 0 {
		return hit{}, false
	}
	h := hit{start: start, end: j + 1}
	switch t.unit() {
	case duYear:
		h.val = yearVal(a.y + add)
	case duMonth:
		if a.gran != dgDay && a.gran != dgMonth {
			return hit{}, false
		}
		h.val = monthVal(time.Date(a.y, time.Month(a.m), 1, 0, 0, 0, 0, time.UTC), add)
	case duQuarter:
		if a = p.quarterAnchor; a.gran != dgQuarter {
			return hit{}, false
		}
		q := a.y*4 + a.n - 1 + add
		h.val = value{gran: dgQuarter, y: q / 4, n: q%4 + 1}
	case duDay:
		if a.gran != dgDay || add == 0 {
			return hit{}, false
		}
		h.val = dayVal(time.Date(a.y, time.Month(a.m), a.d+add, 0, 0, 0, 0, time.UTC))
	default:
		return hit{}, false
	}
	return h, true
}

// matchAnaphorDay matches a day told from the last day the text named (the
// anchor), with the day or part of the day at token j and the expression
// starting at token start: "the next day", "the following morning", "the
// previous day" (add 1 or -1) and "earlier that day", "later that day"
// (add 0). It is no date when the anchor is not a day, since these count
// from the story's own time line, not from the publication date.
func (p *parser) matchAnaphorDay(start, j, add int) (hit, bool) {
	t := p.tok(j)
	if t == nil || !(t.class == dcPart || t.class == dcUnit && t.unit() == duDay) || p.isDash(j+1) {
		return hit{}, false
	}
	a := p.anchor
	if a.gran != dgDay {
		return hit{}, false
	}
	return hit{start: start, end: j + 1, val: dayVal(time.Date(a.y, time.Month(a.m), a.d+add, 0, 0, 0, 0, time.UTC))}, true
}

// theUnit matches "the" and a unit at token j: "the weekend" is the one
// just past, "the quarter" the last completed quarter, "the year-ago
// quarter" a year-ago adjective; other units are no date.
func (p *parser) theUnit(i, j int) (hit, bool) {
	switch p.toks[j].unit() {
	case duDay:
		return p.theDay(i, j)
	case duWeek:
		return p.theWeek(i, j)
	case duYear:
		if !p.isDash(j + 1) {
			return p.theYear(i, j)
		}
	case duWeekend:
		h := hit{start: i, end: j + 1}
		if p.known {
			h.val = p.lastWeekend(p.toks[i].s, p.toks[j].e)
		}
		return h, true
	case duQuarter:
		if p.isDash(j + 1) {
			return hit{}, false // "the quarter-to-quarter comparison"
		}
		if h, ok := p.thePeriodYearBack(i, j); ok {
			return h, true
		}
		h := hit{start: i, end: j + 1}
		if p.known {
			if v, ok := p.quarterEnded(j + 1); ok {
				h.val, p.report = v, v
			} else {
				h.val = p.reportQuarter()
			}
		}
		return h, true
	}
	if p.toks[j].unit() == duYear {
		return p.matchYearAgoAdj(i, j)
	}
	return hit{}, false
}

// theDay matches "on the day" or "for the day" closing a clause, as market
// reports write it ("shares rose 3% on the day."): the day of the report,
// which is the publication date. "the day" with anything after it but
// punctuation ("on the day of the vote", "the day before") is left alone.
//
// "earlier in the day" and "later in the day" closing a clause place an
// event on the day the text is telling, the one it named last or else the
// day of the report; TimeML counts "the day" as the expression and the
// adverb and preposition as its signal, outside it.
func (p *parser) theDay(i, j int) (hit, bool) {
	prev := p.lower(i - 1)
	told := prev == "in" && (p.lower(i-2) == "earlier" || p.lower(i-2) == "later")
	if prev != "on" && prev != "for" && !told {
		return hit{}, false
	}
	if !p.closesClause(j + 1) {
		return hit{}, false
	}
	h := hit{start: i, end: j + 1}
	switch {
	case told && p.anchor.gran == dgDay:
		h.val = p.anchor
	case p.known:
		h.val = dayVal(p.pub)
	}
	return h, true
}

// closesClause reports whether token i ends a clause: the end of the text,
// a line break or a closing punctuation mark.
func (p *parser) closesClause(i int) bool {
	n := p.tok(i)
	return n == nil || n.kind == dtBreak || n.kind == dtPunct && strings.IndexByte(".,;:)", p.text[n.s]) >= 0
}

// theWeek matches "the week" as market reports write it, the week of the
// report: after "for", "during", "over" or "in" and closing a clause ("For
// the week, the index fell 3.8%"), or as a possessive ("the week's most
// active session"). It is the week of the last day or week the text
// named, else of the publication date. "the week" before anything else ("the week
// before", "the week ended Friday", "twice a week") is left alone.
func (p *parser) theWeek(i, j int) (hit, bool) {
	switch p.lower(i - 1) {
	case "for", "during", "over", "in":
		if !p.closesClause(j + 1) {
			return hit{}, false
		}
	default:
		if !p.isApos(j+1) || p.lower(j+2) != "s" {
			return hit{}, false
		}
	}
	h := hit{start: i, end: j + 1}
	switch {
	case p.anchor.gran == dgDay:
		h.val = weekVal(time.Date(p.anchor.y, time.Month(p.anchor.m), p.anchor.d, 0, 0, 0, 0, time.UTC))
	case p.anchor.gran == dgWeek:
		h.val = p.anchor
	case p.known:
		h.val = weekVal(p.pub)
	}
	return h, true
}

// theYear matches "the year" after "for", "in", "during" or "through" and
// closing a clause ("profit for the year.", "sales rose 5% in the year,"):
// the year of the report, which is the publication year; "the year ended
// June 30" is a fiscal year (yearEnded). "the year" with another word after
// it ("the year before") is left alone.
func (p *parser) theYear(i, j int) (hit, bool) {
	if h, ok := p.theYearNamed(i, j); ok {
		return h, true
	}
	switch p.lower(i - 1) {
	case "for", "in", "during", "through", "throughout":
	case "of":
		// "the first nine months of the year", "the rest of the year": a
		// part of the year of the report. "of the year" after anything
		// else is as often a title or a generic time ("car of the year",
		// "this time of the year").
		if !periodPart[p.lower(i-2)] {
			return hit{}, false
		}
	default:
		return hit{}, false
	}
	if v, ok := p.yearEnded(j + 1); ok && p.lower(i-1) != "of" {
		return hit{start: i, end: j + 1, val: v}, true
	}
	n := p.tok(j + 1)
	if n != nil && !(n.kind == dtBreak || n.kind == dtPunct && strings.IndexByte(".,;:)", p.text[n.s]) >= 0) {
		return hit{}, false
	}
	h := hit{start: i, end: j + 1}
	if p.known {
		h.val = yearVal(p.pub.Year())
	}
	return h, true
}

// yearEnded reads "ended" or "ending" and a month at token k, after "the
// year" or "the fiscal year": "for the year ended Sept. 30" is the
// (fiscal) year that ends on that day, valued as the calendar year it ends
// in, as TimeML values a fiscal year by its year. The year is the one
// written after the month, else the publication year, or the year before
// it when "ended" puts a later month than the publication month in the
// past.
func (p *parser) yearEnded(k int) (value, bool) {
	w := p.lower(k)
	if w != "ended" && w != "ending" {
		return value{}, false
	}
	md, ok := p.monthDateAt(k + 1)
	if !ok {
		return value{}, false
	}
	if md.hasYear {
		return yearVal(md.y), true
	}
	if !p.known {
		return value{}, true
	}
	y := p.pub.Year()
	if w == "ended" && md.m > int(p.pub.Month()) {
		y--
	}
	return yearVal(y), true
}

// periodPart are the words before "of the year" that make it the year of
// the report: the parts of a year ("the first nine months of the year",
// "the rest of the year", "the second half of the year").
var periodPart = map[string]bool{
	"months": true, "weeks": true, "days": true, "quarters": true, "quarter": true, "half": true,
	"part": true, "rest": true, "remainder": true, "balance": true,
}

// theYearNamed matches "the year" and the year itself at token j+1: "the
// year 2000", "the year two thousand" (TimeML annotation guidelines: the
// whole phrase is one expression, valued as the year).
func (p *parser) theYearNamed(i, j int) (hit, bool) {
	if y, ok := p.yearAt(j+1, true); ok {
		return hit{start: i, end: j + 2, val: yearVal(y)}, true
	}
	if p.lower(j+1) == "two" && p.lower(j+2) == "thousand" {
		h := hit{start: i, end: j + 3, val: yearVal(2000)}
		k := j + 3
		if p.lower(k) == "and" {
			k++
		}
		if u, ok := unitWords[p.lower(k)]; ok {
			h.end, h.val = k+1, yearVal(2000+u)
		}
		return h, true
	}
	return hit{}, false
}

// theSeason matches "the" and a season at token j ("the summer") as the
// publication year; "the spring" and "the fall" are too often something
// else.
func (p *parser) theSeason(i, j int) (hit, bool) {
	if h, ok := p.seasonYear(i, j); ok {
		return h, true
	}
	if v := p.toks[j].val; v == 1 || v == 3 && p.lower(j) == "fall" {
		return hit{}, false
	}
	h := hit{start: i, end: j + 1}
	if p.known {
		h.val = value{gran: dgSeason, y: p.pub.Year(), n: p.toks[j].val}
	}
	return h, true
}

// seasonYear matches a season at token j with its year written after it,
// directly or after "of", with the expression starting at start: "summer
// 2024", "the winter of 1998" (TIMEX3 2024-SU, 1998-WI).
func (p *parser) seasonYear(start, j int) (hit, bool) {
	k := j + 1
	if p.isFn(k, dfOf) {
		k++
	}
	y, ok := p.yearAt(k, true)
	if !ok {
		if p.isClass(k, dcCentury) { // "the winter of nineteen ninety-four"
			if sy, ok := p.spelledYear(k); ok {
				return hit{start: start, end: sy.end, val: value{gran: dgSeason, y: sy.val.y, n: p.toks[j].val}}, true
			}
		}
		return hit{}, false
	}
	return hit{start: start, end: k + 1, val: value{gran: dgSeason, y: y, n: p.toks[j].val}}, true
}

// theDeictic matches "the" and a deictic word at token j: "the previous
// Friday", "the latest period" (the last completed quarter), "the current
// fiscal year", else as a deictic expression ("the next month").
func (p *parser) theDeictic(i, j int) (hit, bool) {
	d := p.toks[j].fn()
	if (d == dfNext || d == dfPrevious) && (p.isUnit(j+1, duDay) || p.isClass(j+1, dcPart)) {
		// "the next day", "the next morning", "the previous day"
		if h, ok := p.matchAnaphorDay(i, j+1, deicticDirection(d)); ok {
			return h, true
		}
	}
	if d == dfLast && p.isFn(j+1, dfHalf) {
		if h, ok := p.matchHalf(i, j+1, 2); ok {
			return h, true // "the last half of 1989", the second half
		}
	}
	if d == dfLast && p.isUnit(j+1, duQuarter) && !p.isDash(j+2) {
		// "the last quarter of 1997", "the last quarter of the year": the
		// fourth quarter, one expression as "the fourth quarter of 1997".
		if p.isFn(j+2, dfOf) {
			if y, ok := p.yearAt(j+3, true); ok {
				return hit{start: i, end: j + 4, val: value{gran: dgQuarter, y: y, n: 4}}, true
			}
		}
		if end, add, ok := p.yearOf(j + 2); ok {
			h := hit{start: i, end: end}
			if p.known {
				h.val = value{gran: dgQuarter, y: p.pub.Year() + add, n: 4}
			}
			return h, true
		}
	}
	if p.isClass(j+1, dcWeekday) && d == dfPrevious {
		return p.matchWeekday(i, j+1)
	}
	if d == dfLatest && p.isFn(j+1, dfPeriod) {
		h := hit{start: i, end: j + 2}
		if p.known {
			h.val = p.reportQuarter()
		}
		return h, true
	}
	if d == dfCurrent && p.isFn(j+1, dfFiscal) && p.isUnit(j+2, duYear) {
		h := hit{start: i, end: j + 3}
		if p.known {
			h.val = yearVal(p.pub.Year())
		}
		return h, true
	}
	return p.matchDeictic(i, j)
}

// thePartOf matches "the end/beginning/middle/start of" and a period: a
// year ("the end of 2024"), a month without a day ("the start of June"),
// "the" and a unit ("the end of the year") or a deictic expression ("the
// end of last year"); the value is the whole period.
func (p *parser) thePartOf(i, j int) (hit, bool) {
	if !p.isFn(j+1, dfOf) {
		return hit{}, false
	}
	k := j + 2
	if y, ok := p.yearAt(k, true); ok {
		return hit{start: i, end: k + 1, val: yearVal(y)}, true
	}
	if p.isClass(k, dcMonth) || p.isClass(k, dcMonAbbr) {
		if md, ok := p.monthDateAt(k); ok && md.d == 0 {
			h, ok := p.matchMonth(i, k)
			return h, ok
		}
		return hit{}, false
	}
	if p.isFn(k, dfThe) && p.isClass(k+1, dcUnit) {
		return p.thePartOfTheUnit(i, k)
	}
	if p.isFn(k, dfThis) || p.isFn(k, dfLast) || p.isFn(k, dfNext) {
		if h, ok := p.matchDeictic(k, k); ok {
			h.start = i
			return h, true
		}
	}
	return hit{}, false
}

// thePartOfTheUnit matches the period "the year", "the month" or "the week"
// at token k after "the end of" (starting at token i) as the current one;
// other units are no date.
func (p *parser) thePartOfTheUnit(i, k int) (hit, bool) {
	u := p.toks[k+1].unit()
	h := hit{start: i, end: k + 2}
	if !p.known {
		if u != duYear && u != duMonth && u != duWeek {
			return hit{}, false
		}
		return h, true
	}
	switch u {
	case duYear:
		h.val = yearVal(p.pub.Year())
	case duMonth:
		h.val = monthVal(p.pub, 0)
	case duWeek:
		h.val = weekVal(p.pub)
	default:
		return hit{}, false
	}
	return h, true
}

// theSamePeriod matches "the same period a year earlier" and its variants,
// with the adjective at token j: "same", "corresponding", "comparable" or
// "like", then "period" or "quarter", then a year back ("a year earlier",
// "a year ago", "a year before", "last year", "of last year", "the
// previous year", "the prior year"). It is the reporting period a year
// before: the year-ago quarter for "quarter" and, for "period", in an
// article that reports quarterly figures; else the year before
// publication.
func (p *parser) theSamePeriod(i, j int) (hit, bool) {
	switch p.lower(j) {
	case "same", "corresponding", "comparable", "like":
	default:
		return hit{}, false
	}
	k := j + 1
	quarter := p.isUnit(k, duQuarter)
	if !quarter && !p.isFn(k, dfPeriod) {
		return hit{}, false
	}
	k++
	if p.isFn(k, dfOf) || p.isFn(k, dfPrep) && p.lower(k) == "in" {
		k++
	}
	end := 0
	switch {
	case p.aYearBack(k) > 0:
		end = p.aYearBack(k)
	case p.isFn(k, dfLast) && p.isUnit(k+1, duYear):
		end = k + 2
	case p.isFn(k, dfThe) && (p.isFn(k+1, dfPrevious) || p.lower(k+1) == "prior") && p.isUnit(k+2, duYear):
		end = k + 3
	default:
		return hit{}, false
	}
	h := hit{start: i, end: end}
	if p.known {
		if quarter {
			h.val = p.yearAgoQuarter()
		} else {
			h.val = p.yearAgo(p.toks[h.start].s)
		}
	}
	return h, true
}

// aYearBack reads "a year earlier", "a year ago" or "a year before" at
// token k and returns the token after it, or 0.
func (p *parser) aYearBack(k int) int {
	if p.isClass(k, dcCount) && p.toks[k].val == 1 && p.isUnit(k+1, duYear) && (p.isFn(k+2, dfEarlier) || p.isFn(k+2, dfAgo) || p.lower(k+2) == "before") {
		return k + 3
	}
	return 0
}

// thePeriodYearBack matches "the quarter" or "the period" at token j
// followed by a year back ("the quarter a year ago", "the period a year
// earlier"): one expression, the reporting period a year before, as "the
// same quarter a year ago" is.
func (p *parser) thePeriodYearBack(i, j int) (hit, bool) {
	end := p.aYearBack(j + 1)
	if end == 0 {
		return hit{}, false
	}
	h := hit{start: i, end: end}
	if p.known {
		if p.isUnit(j, duQuarter) {
			h.val = p.yearAgoQuarter()
		} else {
			h.val = p.yearAgo(p.toks[i].s)
		}
	}
	return h, true
}

// theYearPeriod matches "the" and a year followed by "period", "quarter" or
// an ordinal quarter: "the 1988 period" (the year), "the 1988 quarter" (the
// quarter of the year matching the last completed one), "the 1988 third
// quarter"; "the 1990s" is left to the decade alone.
func (p *parser) theYearPeriod(i, j int) (hit, bool) {
	y, ok := p.yearAt(j, true)
	if !ok {
		return hit{}, false
	}
	switch {
	case p.isFn(j+1, dfPeriod):
		h := hit{start: i, end: j + 2, val: yearVal(y)}
		if p.known && p.quarterlyText() && !p.monthsPeriod(p.toks[i].s) && p.lastPeriodIsQuarter(p.toks[i].s) {
			// "the 1988 period" in quarterly results, after a quarter
			// was named: that quarter of 1988.
			h.val = value{gran: dgQuarter, y: y, n: p.reportQuarter().n}
		}
		return h, true
	case p.isUnit(j+1, duQuarter):
		h := hit{start: i, end: j + 2}
		if p.known {
			h.val = value{gran: dgQuarter, y: y, n: p.reportQuarter().n}
		}
		return h, true
	case p.isClass(j+1, dcOrd) && p.isUnit(j+2, duQuarter):
		return hit{start: i, end: j + 3, val: value{gran: dgQuarter, y: y, n: p.toks[j+1].val}}, true
	}
	return hit{}, false
}

// theFullYear matches "the full year" as the publication year. ("the
// fiscal year" normally goes to matchQuarter, since the lexicon classes
// "fiscal" as a function word.)
func (p *parser) theFullYear(i, j int) (hit, bool) {
	if w := p.lower(j); (w == "full" || w == "fiscal") && p.isUnit(j+1, duYear) {
		h := hit{start: i, end: j + 2}
		if p.known {
			h.val = yearVal(p.pub.Year())
		}
		return h, true
	}
	return hit{}, false
}

// lastWeekend gives the ISO week of the weekend a past-tense "the weekend"
// refers to: this week's when published on a Saturday or Sunday, or in a
// future-tense sentence, else last week's.
func (p *parser) lastWeekend(s, e int) value {
	wd := p.pub.Weekday()
	if wd == time.Saturday || wd == time.Sunday || p.tense(s, e) > 0 {
		return weekVal(p.pub)
	}
	return weekVal(p.pub.AddDate(0, 0, -7))
}

// matchDeictic matches "last/next/this/past/... X" with the deictic word at
// token i and the expression starting at start: X is a unit ("last week"),
// a weekday, a month, a season or a part of the day ("this morning"), and
// a rule named for it resolves the expression.
func (p *parser) matchDeictic(start, i int) (hit, bool) {
	d, j := p.deicticWord(i)
	t := p.tok(j)
	if t == nil {
		return hit{}, false
	}
	switch t.class {
	case dcWeekday:
		if d == dfThis || d == dfLast || d == dfNext {
			return p.matchWeekday(start, j)
		}
	case dcMonth, dcMonAbbr:
		return p.deicticMonth(start, j, d)
	case dcSeason:
		return p.deicticSeason(start, j, d)
	case dcPart:
		return p.deicticPartOfDay(start, j, d)
	case dcUnit:
		return p.deicticUnit(start, j, d)
	case dcFn:
		if t.fn() == dfFiscal && p.isUnit(j+1, duYear) && !p.toks[j+1].up && !p.isDash(j+2) && d != dfComing {
			// "last fiscal year", "the latest fiscal year", "next fiscal
			// year": valued as the calendar year it is counted from, as
			// "last year" is (a fiscal year has no TIMEX3 value of its
			// own but its year).
			h := hit{start: start, end: j + 2}
			if p.known {
				h.val = yearVal(p.pub.Year() + deicticDirection(d))
			}
			return h, true
		}
	}
	return hit{}, false
}

// deicticWord reads the deictic word at token i and returns it with the
// token after it; "this coming" reads as "next" and "this past" as "last".
func (p *parser) deicticWord(i int) (d funcWord, next int) {
	d, next = p.toks[i].fn(), i+1
	if d == dfThis && (p.isFn(next, dfComing) || p.isFn(next, dfPast)) {
		if p.toks[next].fn() == dfPast {
			return dfLast, next + 1
		}
		return dfNext, next + 1
	}
	return d, next
}

// deicticDirection is -1 for a deictic word that looks back ("last",
// "past", "previous", "latest"), +1 for one that looks ahead ("next",
// "coming") and 0 for the others ("this", "current").
func deicticDirection(d funcWord) int {
	switch d {
	case dfLast, dfPast, dfPrevious, dfLatest:
		return -1
	case dfNext, dfComing:
		return 1
	}
	return 0
}

// deicticMonth matches "this", "last" or "next" and a month name with no
// day or year at token j: "last March" is the most recent March before the
// publication month, "next March" the first one after it, "this March" the
// one of the publication year.
func (p *parser) deicticMonth(start, j int, d funcWord) (hit, bool) {
	if d != dfThis && d != dfLast && d != dfNext {
		return hit{}, false
	}
	md, ok := p.monthDateAt(j)
	if !ok || md.d != 0 || md.hasYear {
		return hit{}, false
	}
	h := hit{start: start, end: md.end}
	if p.known {
		add := deicticDirection(d)
		y, pm := p.pub.Year(), int(p.pub.Month())
		switch {
		case add < 0 && md.m >= pm:
			y--
		case add > 0 && md.m <= pm:
			y++
		}
		h.val = value{gran: dgMonth, y: y, m: md.m}
	}
	return h, true
}

// deicticSeason matches "this", "last" or "next" and a season at token j
// as that season of the year it ends in (TIMEX3 "2024-SU"): "last summer" is the most recent summer
// that is over, "next summer" the first one not yet begun, "this summer"
// the one that ends in the publication year.
func (p *parser) deicticSeason(start, j int, d funcWord) (hit, bool) {
	if d != dfThis && d != dfLast && d != dfNext {
		return hit{}, false
	}
	h := hit{start: start, end: j + 1}
	if p.known {
		add := deicticDirection(d)
		y := p.pub.Year()
		// The month a season is over: spring May, summer August,
		// fall November, winter February.
		endMonth := [...]int{0, 5, 8, 11, 2}[p.toks[j].val]
		if add < 0 && int(p.pub.Month()) <= endMonth {
			y--
		}
		if add > 0 {
			y++
			if int(p.pub.Month()) < endMonth-2 {
				y--
			}
		}
		h.val = value{gran: dgSeason, y: y, n: p.toks[j].val}
	}
	return h, true
}

// deicticPartOfDay matches "this" and a part of the day other than "night"
// ("this morning") as the publication day, and "last night" as the day
// before; other combinations are no date.
func (p *parser) deicticPartOfDay(start, j int, d funcWord) (hit, bool) {
	h := hit{start: start, end: j + 1}
	if d == dfThis && p.lower(j) != "night" {
		if p.known {
			h.val = dayVal(p.pub)
		}
		return h, true
	}
	if d == dfLast && p.lower(j) == "night" {
		if p.known {
			h.val = dayVal(p.pub.AddDate(0, 0, -1))
		}
		return h, true
	}
	return hit{}, false
}

// deicticUnit matches a deictic word and a unit at token j ("last week",
// "next year", "the previous quarter", "next year's first quarter") as the
// period one unit before or after the one of the publication date, or that
// one itself for "this" ("last weekend" is the one just past). A
// capitalised unit is a title (ABC's "This Week"), "past" takes only "year"
// ("the past week" is a duration), "latest" and "previous" take only
// "quarter", and "day" and "decade" are no date when the publication date
// is known (an unresolved match otherwise).
func (p *parser) deicticUnit(start, j int, d funcWord) (hit, bool) {
	t := &p.toks[j]
	unit := t.unit()
	if t.up {
		return hit{}, false
	}
	if d == dfPast && unit != duYear {
		return hit{}, false
	}
	if (d == dfLatest || d == dfPrevious) && unit != duQuarter {
		return hit{}, false
	}
	add := deicticDirection(d)
	h := hit{start: start, end: j + 1}
	if p.isApos(j+1) && p.isClass(j+3, dcOrd) && p.isUnit(j+4, duQuarter) && p.known {
		// "next year's first quarter"
		h.end = j + 5
		h.val = value{gran: dgQuarter, y: p.pub.Year() + add, n: p.toks[j+3].val}
		return h, true
	}
	if d == dfLast && unit == duYear && p.isApos(j+1) && p.lower(j+2) == "s" && p.isUnit(j+3, duQuarter) && !p.isDash(j+4) {
		// "last year's quarter": the year-ago quarter, one expression.
		h.end = j + 4
		if p.known {
			h.val = p.yearAgoQuarter()
		}
		return h, true
	}
	if !p.known {
		return h, true
	}
	switch unit {
	case duWeek:
		h.val = weekVal(p.pub.AddDate(0, 0, 7*add))
	case duWeekend:
		switch {
		case add < 0:
			h.val = p.lastWeekend(p.toks[start].s, p.toks[j].e)
		case add > 0:
			h.val = weekVal(p.pub.AddDate(0, 0, 7))
		default:
			h.val = weekVal(p.pub)
		}
	case duMonth:
		h.val = monthVal(p.pub, add)
	case duQuarter:
		if d == dfLatest {
			h.val = p.reportQuarter()
		} else {
			h.val = quarterVal(p.pub, add)
		}
	case duYear:
		h.val = yearVal(p.pub.Year() + add)
	default: // duDay, duDecade
		return hit{}, false
	}
	return h, true
}

// matchEdge matches expressions starting with early, mid, late, earlier or
// later: "early July", "mid-2026", "earlier this year", "late yesterday".
func (p *parser) matchEdge(i int) (hit, bool) {
	j := i + 1
	if p.isDash(j) {
		j++
	}
	t := p.tok(j)
	if t == nil {
		return hit{}, false
	}
	edge := p.toks[i].fn()
	switch t.class {
	case dcMonth, dcMonAbbr:
		if edge == dfEarlier || edge == dfLater {
			return hit{}, false
		}
		return p.matchMonth(i, j)
	case dcWeekday:
		if edge == dfMid {
			return hit{}, false
		}
		return p.matchWeekday(i, j)
	case dcRelDay:
		return p.matchRelDay(i, j)
	case dcPart:
		if edge == dfMid {
			return p.midPart(i, j)
		}
	case dcSeason:
		if edge == dfEarlier || edge == dfLater {
			return hit{}, false
		}
		// "early summer", "late spring 2024": the season (TIMEX3 puts
		// the modifier in MOD), of the publication year unless written.
		if h, ok := p.seasonYear(i, j); ok {
			return h, true
		}
		if p.toks[j].up || p.isDash(j+1) {
			return hit{}, false
		}
		h := hit{start: i, end: j + 1}
		if p.known {
			h.val = value{gran: dgSeason, y: p.pub.Year(), n: p.toks[j].val}
		}
		return h, true
	case dcFn:
		switch t.fn() {
		case dfThis, dfLast, dfNext:
			return p.matchDeictic(i, j)
		case dfThat:
			if edge == dfEarlier || edge == dfLater {
				return p.matchAnaphorDay(i, j+1, 0) // "earlier that day"
			}
		case dfPrep:
			if (edge == dfEarlier || edge == dfLater) && p.lower(j) == "in" && p.isFn(j+1, dfThe) && p.isUnit(j+2, duYear) && !p.isDash(j+3) && !p.isApos(j+3) {
				// "earlier in the year": the year of the report, the
				// modifier part of the expression as in "earlier this
				// year".
				h := hit{start: i, end: j + 3}
				if p.known {
					h.val = yearVal(p.pub.Year())
				}
				return h, true
			}
		}
	}
	if y, ok := p.yearAt(j, true); ok && edge != dfEarlier && edge != dfLater {
		return hit{start: i, end: j + 1, val: yearVal(y)}, true
	}
	if p.isNum(j) && p.isDecade(j) && edge != dfEarlier && edge != dfLater {
		if h, ok := p.numberDecade(j); ok {
			h.start = i // "the early 1990s", "mid-1980s"
			return h, true
		}
	}
	return hit{}, false
}

// onLastDay is the hit of tokens [start, end), a time of day with no day of
// its own, valued as the last day-precise date the text named, else the
// publication day (when it is known), else left without a value.
func (p *parser) onLastDay(start, end int) hit {
	h := hit{start: start, end: end}
	switch {
	case p.anchor.gran == dgDay:
		h.val = p.anchor
	case p.known:
		h.val = dayVal(p.pub)
	}
	return h
}

// midPart matches "mid" and a part of the day at token j ("by
// mid-afternoon", "at mid morning"): a time of the day the text is telling,
// TIMEX3 type TIME, valued as the last day-precise date named, else the
// publication date. Before a day ("mid-morning yesterday") it is left to
// the day, which takes it in as a prefix; after a determiner it names a
// kind of time, no date ("a mid-morning break").
func (p *parser) midPart(i, j int) (hit, bool) {
	if p.isDash(j+1) || determiners[p.lower(i-1)] {
		return hit{}, false // "mid-afternoon-like", "a mid-morning break"
	}
	k := j + 1
	if p.isPunct(k, ',') {
		k++
	}
	if n := p.tok(k); n != nil && (n.class == dcWeekday || n.class == dcRelDay) {
		return hit{}, false
	}
	return p.onLastDay(i, j+1), true
}

// matchNumber matches expressions that start with a number: years, decades,
// ISO and numeric dates, day-first dates and "10 days ago". The rules are
// tried in this order; the first whose shape fits decides.
func (p *parser) matchNumber(i int) (hit, bool) {
	if p.numberInNumber(i) {
		return hit{}, false
	}
	if p.isISODate(i) {
		return p.numberISO(i)
	}
	if p.isUSDate(i) {
		return p.numberUS(i)
	}
	if p.isDecade(i) {
		return p.numberDecade(i)
	}
	if h, ok := p.shortDecade(i); ok {
		return h, true
	}
	if h, ok := p.yearRange(i); ok {
		return h, true
	}
	// Day-first: "9 June 2025", "6th of June", "32nd of June".
	if md, ok := p.dayFirstAt(i); ok {
		h := hit{start: i, end: md.end}
		h.val, h.warn = p.resolveDay(md, p.toks[h.start].s, p.toks[h.end-1].e)
		return h, true
	}
	// "10 days ago".
	if h, ok := p.matchAgo(i, i); ok {
		return h, true
	}
	if h, ok := p.numberClock(i); ok {
		return h, true
	}
	return p.numberYear(i)
}

// clockAlone matches a clock time at the start of the text: hours, optional
// minutes, a.m. or p.m., and an optional time zone ("7:15 p.m.", "10 a.m.
// EST", "6:40 p.m. (GMT +8)").
var clockAlone = regexp.MustCompile(`^\d{1,2}(?::\d{2})?\s?(?:[aApP]\.[mM]\.|[aApP][mM]\b)(?:[ \t]+(?:[A-Z]{1,3}T|UTC)\b|[ \t]*\((?:GMT|UTC)[ \t]*[+-][ \t]*\d{1,2}(?::?\d{2})?\))?`)

// clockLetterNear reports whether an a or p that may start "a.m." or
// "pm" follows the hours ending at byte k, after optional minutes and a
// space: a cheap test before clockAlone.
func clockLetterNear(text string, k int) bool {
	if k+2 < len(text) && text[k] == ':' {
		k += 3
	}
	if k < len(text) && text[k] == ' ' {
		k++
	}
	return k < len(text) && (text[k]|0x20 == 'a' || text[k]|0x20 == 'p')
}

// clockRangeEnd matches a clock time and a word or dash of range closing
// the text before the end of a range of hours ("8am to ", "11pm-").
var clockRangeEnd = regexp.MustCompile(`\d\s?(?:[aApP]\.[mM]\.|[aApP][mM])\s*(?:to|till|until|and|-|–)\s*$`)

// numberClock matches a clock time at token i that no day follows ("the
// robbery happened around 7:15 p.m., police said"). TimeML annotates it as
// a TIMEX3 of type TIME valued with the date and time it points to (TimeML
// annotation guidelines 1.2.1, TIMEX3 type TIME), which a DATE value
// reduces to the day: here the day of the last day-precise date the text
// named, else the publication date. A clock time followed by a day ("10
// p.m. Wednesday", "8am on Friday") is left to the day, and one that
// bounds a range of hours ("from 8am to 6pm", "11pm-2am") or follows
// "every" or "each" is no date.
func (p *parser) numberClock(i int) (hit, bool) {
	t := &p.toks[i]
	if t.nd > 2 || t.suf != dtSufNone && t.suf != dtSufOther || !clockLetterNear(p.text, t.s+int(t.nd)) {
		return hit{}, false
	}
	loc := clockAlone.FindStringIndex(p.text[t.s:min(len(p.text), t.s+40)])
	if loc == nil {
		return hit{}, false
	}
	hours := t.val
	if hours < 1 || hours > 12 {
		return hit{}, false
	}
	end := t.s + loc[1]
	j := i
	for j < len(p.toks) && p.toks[j].e < end {
		j++
	}
	if j == len(p.toks) || p.toks[j].e != end {
		return hit{}, false
	}
	switch p.lower(i - 1) {
	case "from", "between", "every", "each":
		return hit{}, false // opening hours, a range or a set: "from 8am to 6pm"
	}
	if clockRangeEnd.MatchString(p.text[max(0, t.s-24):t.s]) {
		return hit{}, false // the end of "8am to 6pm"
	}
	k := j + 1
	switch w := p.lower(k); {
	case w == "to" || w == "till" || w == "until" || p.isDash(k):
		return hit{}, false // "8am to 6pm", "11pm-2am"
	case w == "on" || w == "of":
		k++ // "at 8am on Friday" is the day's
	case p.isPunct(k, ','):
		k++
	}
	if n := p.tok(k); n != nil {
		switch n.class {
		case dcWeekday, dcRelDay, dcMonth, dcMonAbbr:
			return hit{}, false
		}
	}
	return p.onLastDay(i, j+1), true
}

// numberInNumber reports whether the number at token i continues a larger
// one ("1,000", "3.2019"); such a number is no date.
func (p *parser) numberInNumber(i int) bool {
	if i == 0 || p.toks[i].gap {
		return false
	}
	b := p.toks[i-1]
	return b.kind == dtPunct && (p.text[b.s] == ',' || p.text[b.s] == '.') && p.isNum(i-2) && !b.gap
}

// isISODate reports whether the number at token i starts an ISO date
// written with hyphens: four digits, two digits, two digits ("2025-06-09").
func (p *parser) isISODate(i int) bool {
	t := &p.toks[i]
	return t.nd == 4 && t.suf == dtSufNone && p.isDash(i+1) && p.isNum(i+2) && p.toks[i+2].nd == 2 && p.isDash(i+3) && p.isNum(i+4) && p.toks[i+4].nd == 2 && p.toks[i+4].suf == dtSufNone
}

// numberISO resolves the ISO date at token i: a day, or a warning when the
// day does not exist; a date followed by another hyphen is part of a longer
// code and no date.
func (p *parser) numberISO(i int) (hit, bool) {
	t := &p.toks[i]
	y, m, d := t.val, p.toks[i+2].val, p.toks[i+4].val
	if p.isDash(i + 5) {
		return hit{}, false // part of a longer code; a timestamp is left to the day
	}
	if !validDate(y, m, d) {
		return hit{start: i, end: i + 5, warn: fmt.Sprintf("%s is not a valid date", p.text[t.s:p.toks[i+4].e])}, true
	}
	return hit{start: i, end: i + 5, val: value{gran: dgDay, y: y, m: m, d: d}}, true
}

// isUSDate reports whether the number at token i starts a US numeric date,
// month/day/year written without spaces with a two- or four-digit year
// ("7/8/07", "7/8/2007").
func (p *parser) isUSDate(i int) bool {
	t := &p.toks[i]
	return t.nd <= 2 && t.suf == dtSufNone && p.isPunct(i+1, '/') && !p.toks[i+1].gap && p.isNum(i+2) && p.toks[i+2].nd <= 2 && !p.toks[i+2].gap &&
		p.isPunct(i+3, '/') && !p.toks[i+3].gap && p.isNum(i+4) && !p.toks[i+4].gap && (p.toks[i+4].nd == 2 || p.toks[i+4].nd == 4) && p.toks[i+4].suf == dtSufNone
}

// numberUS resolves the US numeric date at token i: a two-digit year is
// 1950-2049; a date followed by another slash (a fraction or a path) or
// that does not exist is no date.
func (p *parser) numberUS(i int) (hit, bool) {
	if p.isPunct(i+5, '/') && !p.toks[i+5].gap {
		return hit{}, false
	}
	m, d, y := p.toks[i].val, p.toks[i+2].val, p.toks[i+4].val
	if p.toks[i+4].nd == 2 {
		y += 1900
		if y < 1950 {
			y += 100
		}
	}
	if !validDate(y, m, d) {
		return hit{}, false
	}
	return hit{start: i, end: i + 5, val: value{gran: dgDay, y: y, m: m, d: d}}, true
}

// yearRange matches a range of years written as one word: "1995-96",
// "1995–1996", "2019/20". Such a range is one DATE mention valued as its
// first year, since a TIMEX3 DATE value names one period and the range
// starts in that year. The second year must come after the first, within
// ten years when written with two digits; anything else ("2019-12", read as
// a month, or "2019/18") is left to the other rules. Ranges written with
// words ("from 2019 to 2021", "between 2019 and 2021") are two mentions, one
// for each year, as TimeML annotates them.
func (p *parser) yearRange(i int) (hit, bool) {
	t := &p.toks[i]
	if t.nd != 4 || t.suf != dtSufNone || t.val < 1000 || t.val > 2099 {
		return hit{}, false
	}
	d := p.tok(i + 1)
	if d == nil || d.kind != dtPunct || d.gap {
		return hit{}, false
	}
	sep := p.text[d.s:d.e]
	if sep != "-" && sep != "/" && sep != "–" {
		return hit{}, false
	}
	n := p.tok(i + 2)
	if n == nil || n.kind != dtNum || n.gap || n.suf != dtSufNone || (n.nd != 2 && n.nd != 4) {
		return hit{}, false
	}
	if p.notYearBefore(i) || t.val < 1900 && !p.isFn(i-1, dfPrep) && !p.isFn(i-1, dfOf) || p.notYearAfter(i+2) {
		return hit{}, false
	}
	if m := p.tok(i + 3); m != nil && m.kind == dtPunct && !m.gap && (p.isNum(i+4) || p.text[m.s] == '%') {
		return hit{}, false // "2019-20-21", "1995-96%"
	}
	y2 := n.val
	if n.nd == 2 {
		y2 += t.val / 100 * 100
		if y2 <= t.val {
			y2 += 100
		}
		if y2-t.val > 10 {
			return hit{}, false
		}
	} else if sep == "/" || y2 <= t.val || y2 > 2099 {
		return hit{}, false
	}
	return hit{start: i, end: i + 3, val: yearVal(t.val)}, true
}

// isDecade reports whether the number at token i is a decade: four digits
// ending in 0 with an "s", 1000s to 2090s ("1990s").
func (p *parser) isDecade(i int) bool {
	t := &p.toks[i]
	return t.nd == 4 && t.suf == dtSufS && t.val%10 == 0 && t.val >= 1000 && t.val <= 2090
}

// shortDecade matches a decade written with two digits after an apostrophe
// ("the '90s") at token i: the 2000s when that decade has begun by the
// publication date (or the year 2000 when it is unknown), else the 1900s.
func (p *parser) shortDecade(i int) (hit, bool) {
	t := &p.toks[i]
	if t.nd != 2 || t.suf != dtSufS || t.val%10 != 0 || t.gap || !p.isApos(i-1) {
		return hit{}, false
	}
	if b := p.tok(i - 2); b != nil && !p.toks[i-1].gap && b.kind != dtPunct {
		return hit{}, false // "Rock'n'90s", an apostrophe inside a word
	}
	y := 1900 + t.val
	ref := 2000
	if p.known {
		ref = p.pub.Year()
	}
	if 2000+t.val <= ref {
		y = 2000 + t.val
	}
	return hit{start: i - 1, end: i + 1, val: value{gran: dgDecade, n: y / 10}}, true
}

// numberDecade resolves the decade at token i, unless a "$" or "#" is
// attached before it ("$1990s" is no decade).
func (p *parser) numberDecade(i int) (hit, bool) {
	t := &p.toks[i]
	if b := p.tok(i - 1); b != nil && !t.gap && b.kind == dtPunct && (p.text[b.s] == '$' || p.text[b.s] == '#') {
		return hit{}, false
	}
	return hit{start: i, end: i + 1, val: value{gran: dgDecade, n: t.val / 10}}, true
}

// numberYear matches a year at token i, with a quarter after it when one
// is written ("1989 second quarter", "2024 Q3").
func (p *parser) numberYear(i int) (hit, bool) {
	y, ok := p.yearAt(i, false)
	if !ok {
		return hit{}, false
	}
	if p.isClass(i+1, dcOrd) && p.isUnit(i+2, duQuarter) {
		return hit{start: i, end: i + 3, val: value{gran: dgQuarter, y: y, n: p.toks[i+1].val}}, true
	}
	if p.isClass(i+1, dcQCode) {
		return hit{start: i, end: i + 2, val: value{gran: dgQuarter, y: y, n: p.toks[i+1].val}}, true
	}
	return hit{start: i, end: i + 1, val: yearVal(y)}, true
}

// tenseWindow is how many bytes around a mention tense cues are
// looked for.
const tenseWindow = 200

// clauseAround is the part of the sentence of [s, e) where tense cues are
// looked for: no further than tenseWindow either way, so that a long
// run-on "sentence" cannot make the scan quadratic.
func (p *parser) clauseAround(s, e int) span {
	sent, ok := p.doc.SentenceAt(s)
	if !ok {
		sent = span{Start: 0, End: len(p.text)}
	}
	sent.Start = max(sent.Start, s-tenseWindow)
	sent.End = min(sent.End, e+tenseWindow)
	return sent
}

// tense says whether the clause around the byte range [s, e) is in the
// future (+1) or the past (-1), from the nearest tense cue in its sentence;
// 0 when there is none.
func (p *parser) tense(s, e int) (t int) {
	sent := p.clauseAround(s, e)
	if ws, we := wordBefore(p.text, s, sent.Start); ws >= 0 {
		w := strings.ToLower(p.text[ws:we])
		if w == "on" || w == "at" {
			ws, we = wordBefore(p.text, ws, sent.Start)
			if ws >= 0 {
				w = strings.ToLower(p.text[ws:we])
			}
		}
		switch w {
		case "until", "till":
			if ws > sent.Start { // "Until Thursday, they had not..." looks back
				return 1
			}
		case "by":
			// "by May" is a deadline ahead unless the clause is in the
			// past perfect ("had filed reports by Wednesday").
			deadline := true
			for k := ws; ; {
				pws, pwe := wordBefore(p.text, k, sent.Start)
				if pws < 0 {
					break
				}
				if strings.EqualFold(p.text[pws:pwe], "had") {
					deadline = false
					break
				}
				k = pws
			}
			if deadline {
				return 1
			}
		case "as":
			if ws2, we2 := wordBefore(p.text, ws, sent.Start); ws2 >= 0 && strings.EqualFold(p.text[ws2:we2], "soon") {
				return 1
			}
		}
	}
	cues := loadCues()
	before, bdist := 0, -1
	nextWS := -1 // the word after the one looked at, -1 for the date itself
	for k := s; k > sent.Start; {
		ws, we := wordBefore(p.text, k, sent.Start)
		if ws < 0 {
			break
		}
		if c := tenseCue(cues, p.text, ws, we, sent.Start); c != 0 {
			before, bdist = c, s-we
			break
		}
		if nextWS >= 0 && we-ws == 2 && strings.EqualFold(p.text[ws:we], "to") && strings.TrimSpace(p.text[we:nextWS]) == "" && infinitiveAt(p.text, nextWS) {
			// "agreed to buy the unit in February": the date belongs to
			// the infinitive's event, which the tense of the verb before
			// it does not place.
			bdist = s - we
			break
		}
		nextWS, k = ws, ws
	}
	after, adist := 0, -1
	for k := e; k < sent.End; {
		ws, we := wordAfter(p.text, k, sent.End)
		if ws < 0 {
			break
		}
		if c := tenseCue(cues, p.text, ws, we, sent.Start); c != 0 {
			after, adist = c, ws-e
			break
		}
		k = we
	}
	switch {
	case bdist < 0:
		return after
	case adist < 0:
		return before
	case adist < bdist:
		return after
	}
	return before
}

// wordBefore returns the word (letters and apostrophes) that ends
// before byte k and starts at or after lo; ws is -1 when there is none.
func wordBefore(text string, k, lo int) (ws, we int) {
	for k > lo && !isWordChar(text[k-1]) {
		k--
	}
	if k <= lo {
		return -1, -1
	}
	we = k
	for k > lo && isWordChar(text[k-1]) {
		k--
	}
	return k, we
}

func wordAfter(text string, k, hi int) (ws, we int) {
	for k < hi && !isWordChar(text[k]) {
		k++
	}
	if k >= hi {
		return -1, -1
	}
	ws = k
	for k < hi && isWordChar(text[k]) {
		k++
	}
	return ws, k
}

func isWordChar(c byte) bool { return isLetter(c) || c == '\'' }

// infinitiveAt reports whether the word at byte ws reads as the verb of
// an infinitive after "to": a lower-case word that is no determiner ("to
// buy", not "to the bank", "to $5", "to Paris").
func infinitiveAt(text string, ws int) bool {
	if ws >= len(text) || text[ws] < 'a' || text[ws] > 'z' {
		return false
	}
	_, we := wordAfter(text, ws, len(text))
	var buf [8]byte
	lw, ok := lowerWord(buf[:], text[ws:we])
	if !ok {
		return true
	}
	if en, listed := wordTable[string(lw)]; listed && en.class == dcFn {
		return false // "to within", "to about"
	}
	return !determiners[string(lw)] && !prepositions[string(lw)]
}

// prepositions are the prepositions and adverbs of degree after "to" that
// show it is no infinitive marker ("rose to within 70 points", "to about
// $5").
var prepositions = map[string]bool{
	"about": true, "above": true, "below": true, "near": true, "nearly": true, "over": true, "under": true,
	"roughly": true, "some": true, "more": true, "less": true, "just": true, "where": true, "what": true,
}

// determiners are the words after which a word in -ed is an adjective
// ("the reduced dividend", "an unspecified date"), not a past-tense verb.
var determiners = map[string]bool{
	"a": true, "an": true, "the": true, "its": true, "their": true, "his": true, "her": true,
	"our": true, "this": true, "that": true, "these": true, "those": true, "still": true, "newly": true,
}

// afterDeterminer reports whether the word before byte ws (and at or after
// lo) is a determiner.
func afterDeterminer(text string, ws, lo int) bool {
	pws, pwe := wordBefore(text, ws, lo)
	if pws < 0 || pwe-pws > 6 {
		return false
	}
	var buf [8]byte
	lw, ok := lowerWord(buf[:], text[pws:pwe])
	return ok && determiners[string(lw)]
}

// schedule are the future cues that name a plan ("due", "scheduled"); after
// "had" and before "to" or "for" they are a plan seen from the past.
var schedule = map[string]bool{"due": true, "scheduled": true, "expected": true, "planned": true, "slated": true}

// hadBefore reports whether "had" is one of the three words before byte ws
// (and at or after lo): "had been due", "had originally been scheduled".
func hadBefore(text string, ws, lo int) bool {
	for range 3 {
		pws, pwe := wordBefore(text, ws, lo)
		if pws < 0 {
			return false
		}
		if strings.EqualFold(text[pws:pwe], "had") {
			return true
		}
		ws = pws
	}
	return false
}

// tenseCue classifies the word text[ws:we] as a tense cue: +1 future, -1
// past, 0 none. A participle after "be"/"been" is passive, not a cue, and
// "to" is future after "set", "is", "are", "due" or "going".
func tenseCue(cues *cueLists, text string, ws, we, lo int) int {
	var buf [16]byte
	lw, ok := lowerWord(buf[:], text[ws:we])
	if !ok {
		return 0
	}
	w := string(lw)
	if w == "to" {
		pws, pwe := wordBefore(text, ws, lo)
		if pws >= 0 {
			switch pw := strings.ToLower(text[pws:pwe]); pw {
			case "set", "is", "are", "due", "going", "likely", "about", "ready", "scheduled", "expected", "planned", "slated":
				if schedule[pw] && hadBefore(text, pws, lo) {
					// "had been due to expire Friday": a plan seen
					// from the past, overtaken since.
					return -1
				}
				return 1
			}
		}
		return 0
	}
	c, listed := cues.tense[w]
	if c > 0 && schedule[w] && hadBefore(text, ws, lo) {
		if nws, nwe := wordAfter(text, we, len(text)); nws >= 0 && strings.EqualFold(text[nws:nwe], "for") {
			return -1 // "had been scheduled for Monday"
		}
	}
	if !listed && len(w) >= 5 && strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed") && !(text[ws] >= 'A' && text[ws] <= 'Z') && !afterDeterminer(text, ws, lo) {
		c = -1
	}
	if c < 0 && !(w == "was" || w == "were" || w == "had") {
		if pws, pwe := wordBefore(text, ws, lo); pws >= 0 {
			switch strings.ToLower(text[pws:pwe]) {
			case "be", "been", "being":
				return 0
			case "is", "are", "am":
				return 1 // "is heard in May", "are planned"
			}
		}
	}
	return c
}
