// Package percent finds PERCENT mentions. They are found by a byte scan for the units ('%', "pct",
// "percent", "per cent", "percentage point", "basis points"), then the number
// is read backwards from the unit: digits ("4.8", "1,000", "-2", ".5"), a
// range ("15-20%", "20 to 25 percent", one mention with an empty Value) or
// number words ("five percent", "half a percentage point"). Numbers are kept
// as decimal strings and never converted to floats, so a 400-digit number
// stays exact and nothing can become Inf or NaN.
//
// Units: "percent" for per cent, "points" for percentage points, and
// "basis points" for basis points with the Value in basis points ("25 basis
// points" -> "25"): a basis point is not a per cent, and keeping the unit the
// text used lets a report compare like with like.
//
// The frame (Change, From, Subject) is read from the mention's sentence with
// the cue words of percent-cues.txt; see frame.
package percent

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/extract/document"
	"github.com/trawlnews/trawl/internal/lexicon"
	"github.com/trawlnews/trawl/internal/text"
)

// span is a byte range of a document's text.
type span = text.Span

const (
	unitPercent = "percent"
	unitPoints  = "points"
	unitBasis   = "basis points"
)

// Find returns the PERCENT mentions of doc, sorted by Start, with
// their frame fields filled from the sentence they are in.
func Find(doc *document.Document) []trawl.Mention { return AppendFind(nil, doc) }

// AppendFind appends the PERCENT mentions of doc to dst, as Find finds
// them, and returns the extended slice.
func AppendFind(dst []trawl.Mention, doc *document.Document) []trawl.Mention {
	text := doc.Text
	out, start := dst, len(dst)
	for i := 0; i < len(text); i++ {
		c := text[i]
		var uStart, uEnd int
		var unit string
		switch {
		case c == '%':
			uStart, uEnd, unit = i, i+1, unitPercent
			uEnd, unit = pointsAfter(text, uEnd, unit)
		case c == 0xef && strings.HasPrefix(text[i:], "％"):
			uStart, uEnd, unit = i, i+len("％"), unitPercent
			uEnd, unit = pointsAfter(text, uEnd, unit)
		case (c == 'p' || c == 'P' || c == 'b' || c == 'B') && (i == 0 || !isWordBefore(text, i)):
			uStart = i
			uEnd, unit = unitWord(text, i)
			if unit == "" {
				continue
			}
		default:
			continue
		}
		m, ok := numberBefore(text, uStart, uEnd, unit)
		if !ok {
			continue
		}
		// A range such as "15%-20%" also produced "15%"; keep the range.
		for len(out) > start && out[len(out)-1].End > m.Start {
			out = out[:len(out)-1]
		}
		out = append(out, m)
		i = uEnd - 1
	}
	if len(out) > start {
		frames(doc, out[start:])
	}
	return out
}

// isWordBefore reports whether the byte before i continues a word, so
// that a unit word starting at i would be inside it ("expect", "subpar").
func isWordBefore(text string, i int) bool {
	if i == 0 {
		return false
	}
	c := text[i-1]
	if c < 0x80 {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' // digits may touch: "10pct"
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return unicode.IsLetter(r)
}

// wordEnd reports whether position i of text ends a word: the end of
// the text or a byte that is not a letter or digit.
func wordEnd(text string, i int) bool {
	if i >= len(text) {
		return true
	}
	c := text[i]
	if c < 0x80 {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// hasWordFold reports whether text has word w (lower-case ASCII) at i,
// case-insensitively, ending at a word boundary.
func hasWordFold(text string, i int, w string) bool {
	if len(text)-i < len(w) || !strings.EqualFold(text[i:i+len(w)], w) {
		return false
	}
	return wordEnd(text, i+len(w))
}

// unitWord recognises a unit word starting at i and returns its end
// and unit, or unit "" when there is none.
func unitWord(text string, i int) (end int, unit string) {
	sep := func(j int) int { // one space or hyphen between unit words
		if j < len(text) && (text[j] == ' ' || text[j] == '-') {
			return j + 1
		}
		return -1
	}
	points := func(j int, u string) (int, string) { // "point" or "points" at j
		switch {
		case j < 0:
			return 0, ""
		case hasWordFold(text, j, "points"):
			return j + len("points"), u
		case hasWordFold(text, j, "point"):
			return j + len("point"), u
		}
		return 0, ""
	}
	switch {
	case hasWordFold(text, i, "percentage"):
		return points(sep(i+len("percentage")), unitPoints)
	case hasWordFold(text, i, "percent"):
		end = i + len("percent")
	case hasWordFold(text, i, "pct"):
		end = i + len("pct")
	case strings.HasPrefix(text[i:], "per") || strings.HasPrefix(text[i:], "Per") || strings.HasPrefix(text[i:], "PER"):
		j := sep(i + 3)
		if j < 0 || !hasWordFold(text, j, "cent") {
			return 0, ""
		}
		end = j + len("cent")
	case hasWordFold(text, i, "basis"):
		return points(sep(i+len("basis")), unitBasis)
	case hasWordFold(text, i, "bps"):
		return i + 3, unitBasis
	case strings.HasPrefix(text[i:], "bp") && wordEnd(text, i+2):
		return i + 2, unitBasis // lower case only: "BP" is a company
	default:
		return 0, ""
	}
	end, unit = pointsAfter(text, end, unitPercent)
	return end, unit
}

// pointsAfter extends a per-cent unit ending at end with a following
// "point(s)" or "pts" ("2 pct points", "1%-point"), which makes it points.
func pointsAfter(text string, end int, unit string) (int, string) {
	j := end
	if j < len(text) && (text[j] == ' ' || text[j] == '-') {
		j++
	} else {
		return end, unit
	}
	for _, w := range [...]string{"points", "point", "pts"} {
		if hasWordFold(text, j, w) {
			return j + len(w), unitPoints
		}
	}
	return end, unit
}

// numberBefore reads the number that ends just before the unit at
// [uStart, uEnd) and returns the mention, or ok false when there is none.
func numberBefore(text string, uStart, uEnd int, unit string) (trawl.Mention, bool) {
	e := uStart
	// The gap between number and unit: nothing, spaces (one line break at
	// most: wire copy breaks lines anywhere), a no-break space or a hyphen.
	for n := 0; e > 0 && n < 4; n++ {
		switch {
		case text[e-1] == ' ' || text[e-1] == '\t' || text[e-1] == '\n' || text[e-1] == '\r':
			e--
			continue
		case text[e-1] == '-' && text[uStart] != '%' && uStart-e == 0:
			e--
			continue
		case strings.HasSuffix(text[:e], "\u00a0"):
			e -= len("\u00a0")
			continue
		case strings.HasSuffix(text[:e], "\u202f"):
			e -= len("\u202f")
			continue
		}
		break
	}
	if strings.Count(text[e:uStart], "\n") > 1 {
		return trawl.Mention{}, false
	}
	m := trawl.Mention{Type: trawl.Percent, End: uEnd, Unit: unit}
	if e > 0 && text[e-1] >= '0' && text[e-1] <= '9' {
		s, v, ok := digitsBefore(text, e)
		if !ok {
			return m, false
		}
		s, v = signBefore(text, s, v)
		if rs, ok := rangeBefore(text, s); ok {
			s, v = rs, ""
		}
		m.Start, m.Value = s, v
	} else {
		s, v, ok := wordsBefore(text, e)
		if !ok {
			return m, false
		}
		m.Start, m.Value = s, v
	}
	m.Text = text[m.Start:m.End]
	return m, true
}

// digitsBefore reads a decimal number ("1,234.50") ending at e and
// returns its start and normalised value. It fails when the number is glued
// to a word ("1e309", "A4") or is not a plain decimal ("1.2.3").
func digitsBefore(text string, e int) (start int, value string, ok bool) {
	s := e
	for s > 0 && (text[s-1] >= '0' && text[s-1] <= '9' || text[s-1] == ',' || text[s-1] == '.') {
		s--
	}
	for s < e && text[s] == ',' {
		s++
	}
	if text[s] == '.' && (s+1 >= e || text[s+1] < '0' || text[s+1] > '9') {
		s++
	}
	if s >= e {
		return 0, "", false
	}
	if s > 0 && !wordEnd(text, s-1) && text[s-1] != '.' {
		// glued to a word before: "1e309", "x5"
		c := text[s-1]
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
			return 0, "", false
		}
		if c >= 0x80 {
			r, _ := utf8.DecodeLastRuneInString(text[:s])
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return 0, "", false
			}
		}
	}
	num := text[s:e]
	if strings.Count(num, ".") > 1 {
		return 0, "", false
	}
	// "5,5" is not "55": a comma must separate groups of three digits;
	// otherwise the number starts after the last comma.
	if strings.IndexByte(num, ',') >= 0 {
		intPart, _, _ := strings.Cut(num, ".")
		groups := strings.Split(intPart, ",")
		valid := true
		for _, g := range groups[1:] {
			if len(g) != 3 {
				valid = false
			}
		}
		if !valid || len(groups[0]) == 0 || len(groups[0]) > 3 {
			k := strings.LastIndexByte(num, ',')
			s += k + 1
			num = text[s:e]
			if num == "" || strings.IndexByte(num, ',') >= 0 {
				return 0, "", false
			}
		}
	}
	return s, normalise(num), true
}

// normalise turns "0,012.500" into "12.5": no thousands separators,
// no leading zeros in the integer part, no trailing zeros after the point.
func normalise(num string) string {
	num = strings.ReplaceAll(num, ",", "")
	intPart, frac, _ := strings.Cut(num, ".")
	intPart = strings.TrimLeft(intPart, "0")
	frac = strings.TrimRight(frac, "0")
	if intPart == "" {
		intPart = "0"
	}
	if frac == "" {
		return intPart
	}
	return intPart + "." + frac
}

// signBefore takes a sign before the number at s into the mention:
// "-2%", "−2%", "+3%", "minus 2%", "negative 2%".
func signBefore(text string, s int, value string) (int, string) {
	neg := func(v string) string {
		if v == "0" {
			return v
		}
		return "-" + v
	}
	signOK := func(at int) bool { // a sign must not follow a digit or word
		if at == 0 {
			return true
		}
		c := text[at-1]
		return c == ' ' || c == '\t' || c == '\n' || c == '(' || c == '[' || c == '"' || c >= 0x80 && wordEnd(text, at-1)
	}
	switch {
	case s > 0 && text[s-1] == '-' && signOK(s-1):
		return s - 1, neg(value)
	case s > 0 && text[s-1] == '+' && signOK(s-1):
		return s - 1, value
	case strings.HasSuffix(text[:s], "−") && signOK(s-len("−")):
		return s - len("−"), neg(value)
	}
	for _, w := range [...]string{"minus ", "negative "} {
		if k := s - len(w); k >= 0 && strings.EqualFold(text[k:s], w) && (k == 0 || wordEnd(text, k-1)) {
			return k, neg(value)
		}
	}
	return s, value
}

// rangeBefore extends a number at s to a range that ends with it:
// "15-20%", "15%-20%", "15–20 %", "20 to 25 percent", "between 20 and 25
// percent". A "from 20 to 25 percent" is a change, not a range.
func rangeBefore(text string, s int) (int, bool) {
	j := s
	for j > 0 && text[j-1] == ' ' {
		j--
	}
	word := ""
	switch {
	case j > 0 && text[j-1] == '-':
		j--
	case strings.HasSuffix(text[:j], "–"):
		j -= len("–")
	case j >= 3 && strings.EqualFold(text[j-3:j], " to") && j < s:
		j -= 2
		word = "to"
	case j >= 4 && strings.EqualFold(text[j-4:j], " and") && j < s:
		j -= 3
		word = "and"
	default:
		return s, false
	}
	for j > 0 && text[j-1] == ' ' {
		j--
	}
	// The first number may carry its own '%' only in the hyphen form.
	if word == "" && j > 0 && text[j-1] == '%' {
		j--
	}
	if j == 0 || text[j-1] < '0' || text[j-1] > '9' {
		return s, false
	}
	fs, _, ok := digitsBefore(text, j)
	if !ok {
		return s, false
	}
	prev := prevWord(text, fs)
	switch word {
	case "to":
		if prev == "from" {
			return s, false
		}
	case "and":
		if prev != "between" {
			return s, false
		}
	}
	return fs, true
}

// prevWord returns the lower-cased word before position s (skipping
// spaces), or "".
func prevWord(text string, s int) string {
	e := s
	for e > 0 && (text[e-1] == ' ' || text[e-1] == '\n') {
		e--
	}
	b := e
	for b > 0 && (text[b-1] >= 'a' && text[b-1] <= 'z' || text[b-1] >= 'A' && text[b-1] <= 'Z') {
		b--
	}
	return strings.ToLower(text[b:e])
}

// wordsBefore reads a number written in words ending at e ("five",
// "twenty-five", "half a", "a quarter of a", "one and a half").
func wordsBefore(text string, e int) (start int, value string, ok bool) {
	words := numberWords()
	// collect up to 6 words backwards, separated by spaces or hyphens
	type w struct{ s, e int }
	var ws [6]w
	n := 0
	p := e
	for n < len(ws) {
		q := p
		for q > 0 && (text[q-1] >= 'a' && text[q-1] <= 'z' || text[q-1] >= 'A' && text[q-1] <= 'Z') {
			q--
		}
		if q == p || q > 0 && !wordEnd(text, q-1) {
			break
		}
		ws[n] = w{q, p}
		n++
		if q == 0 || (text[q-1] != ' ' && text[q-1] != '-') {
			break
		}
		p = q - 1
	}
	var buf [64]byte
	for k := n; k >= 1; k-- {
		b := buf[:0]
		for i := k - 1; i >= 0; i-- {
			if len(b)+ws[i].e-ws[i].s+1 > len(buf) {
				b = nil
				break
			}
			for _, c := range []byte(text[ws[i].s:ws[i].e]) {
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				b = append(b, c)
			}
			if i > 0 {
				b = append(b, ' ')
			}
		}
		if b == nil {
			continue
		}
		if v, ok := words[string(b)]; ok {
			return ws[k-1].s, v, true
		}
	}
	return 0, "", false
}

// numberWords maps number phrases (lower case, words separated by one
// space) to decimal strings: zero to one hundred, halves and quarters.
var numberWords = sync.OnceValue(func() map[string]string {
	units := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
		"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
	tens := []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
	m := map[string]string{}
	itoa := func(n int) string {
		if n < 10 {
			return string(rune('0' + n))
		}
		return string(rune('0'+n/10)) + string(rune('0'+n%10))
	}
	for n := 0; n < 100; n++ {
		var name string
		if n < 20 {
			name = units[n]
		} else {
			name = tens[n/10]
			if n%10 != 0 {
				name += " " + units[n%10]
			}
		}
		m[name] = itoa(n)
		if n >= 1 && n <= 20 {
			m[name+" and a half"] = itoa(n) + ".5"
			m[name+" and a quarter"] = itoa(n) + ".25"
		}
	}
	delete(m, "zero and a half")
	m["one hundred"] = "100"
	m["a hundred"] = "100"
	for phrase, v := range map[string]string{
		"half": "0.5", "a half": "0.5", "one half": "0.5",
		"quarter": "0.25", "a quarter": "0.25", "one quarter": "0.25",
		"three quarters": "0.75", "three quarter": "0.75",
	} {
		m[phrase] = v
		m[phrase+" a"] = v
		m[phrase+" of a"] = v
		m[phrase+" of one"] = v
	}
	return m
})

// cueSet is the parsed percent-cues.txt.
type cueSet struct {
	class  map[string]string // lower-case word -> class
	hedges [][]string        // multi-word and single-word hedges, longest first
}

// loadCues parses the cue file once.
var loadCues = sync.OnceValue(func() cueSet {
	cs := cueSet{class: map[string]string{}}
	for _, f := range lexicon.Lines("percent-cues.txt") {
		for _, w := range f[1:] {
			if f[0] == "hedge" {
				cs.hedges = append(cs.hedges, strings.Split(w, "|"))
				continue
			}
			cs.class[w] = f[0]
		}
	}
	// longest hedge first, so "as much as" wins over "as"
	slices.SortStableFunc(cs.hedges, func(a, b []string) int { return len(b) - len(a) })
	return cs
})

// tok is a token of a sentence being framed: a word, a bare number,
// a PERCENT mention or a punctuation mark.
type tok struct {
	start, end int
	kind       tokKind
	lower      string // lower-cased text of a word or number
	m          int    // index of the mention, for ptMention
}

// tokKind is what a tok is.
type tokKind uint8

// Kinds of tok.
const (
	ptWord    tokKind = iota + 1
	ptNum             // a bare number
	ptMention         // a PERCENT mention
	ptPunct           // a punctuation mark
)

// framer fills the frame fields of the mentions of one sentence.
type framer struct {
	doc   *document.Document
	ms    []trawl.Mention
	toks  []tok
	cues  cueSet
	first int // index of the first word token of the sentence proper
}

// frames fills Change, From and Subject of the sorted mentions ms.
func frames(doc *document.Document, ms []trawl.Mention) {
	cues := loadCues()
	pooled := tokPool.Get().(*[]tok)
	toks := (*pooled)[:0] // reused from window to window
	defer func() {
		if cap(toks) <= 1<<16 { // keep big slices out of the pool
			clear(toks[:cap(toks)]) // drop the strings the tokens hold
			*pooled = toks[:0]
			tokPool.Put(pooled)
		}
	}()
	for i := 0; i < len(ms); {
		sp, ok := doc.SentenceAt(ms[i].Start)
		if !ok {
			sp = span{Start: ms[i].Start, End: ms[i].End}
		}
		win := window(doc, sp)
		j := i
		for j < len(ms) && ms[j].Start < win.End {
			if ms[j].End > win.End {
				win.End = ms[j].End
			}
			j++
		}
		f := &framer{doc: doc, ms: ms, cues: cues, toks: toks[:0]}
		f.tokenize(win, i, j, sp.Start)
		f.frameAll()
		toks = f.toks
		i = j
	}
}

// tokPool recycles the token buffers of frames.
var tokPool = sync.Pool{New: func() any { return new([]tok) }}

// window widens a sentence over line breaks that do not end a
// sentence, as in wire copy wrapped at 65 columns.
func window(doc *document.Document, sp span) span {
	t := doc.Text
	for n := 0; n < 3; n++ {
		p := sp.Start
		for p > 0 && (t[p-1] == ' ' || t[p-1] == '\t' || t[p-1] == '\r') {
			p--
		}
		if p == 0 || t[p-1] != '\n' {
			break
		}
		p--
		for p > 0 && (t[p-1] == ' ' || t[p-1] == '\t' || t[p-1] == '\r') {
			p--
		}
		if p == 0 || t[p-1] == '\n' || strings.IndexByte(".!?:;", t[p-1]) >= 0 {
			break
		}
		prev, ok := doc.SentenceAt(p - 1)
		if !ok {
			break
		}
		sp.Start = prev.Start
	}
	for n := 0; n < 3; n++ {
		e := sp.End
		if e == 0 || strings.IndexByte(".!?:;", t[e-1]) >= 0 {
			break
		}
		q := e
		for q < len(t) && (t[q] == ' ' || t[q] == '\t' || t[q] == '\r') {
			q++
		}
		if q >= len(t) || t[q] != '\n' {
			break
		}
		q++
		for q < len(t) && (t[q] == ' ' || t[q] == '\t' || t[q] == '\r') {
			q++
		}
		if q >= len(t) || t[q] == '\n' {
			break
		}
		next, ok := doc.SentenceAt(q)
		if !ok {
			break
		}
		sp.End = next.End
	}
	return sp
}

// tokenize builds the tokens of the window from the document's shared
// tokens: words and numbers (letters and digits joined across '.', an
// apostrophe, '-', '/' and a ',' between digits), punctuation marks, and
// the mentions ms[mi:mj] as single ptMention tokens. sentStart is where the
// sentence of the first mention begins.
func (f *framer) tokenize(win span, mi, mj int, sentStart int) {
	t := f.doc.Text
	atoms := f.doc.Tokens
	f.first = -1
	// k is the first shared token that ends after i.
	k, _ := slices.BinarySearchFunc(atoms, win.Start+1, func(a text.Token, end int) int { return cmp.Compare(a.End, end) })
	for i := win.Start; i < win.End; {
		if mi < mj && f.ms[mi].Start <= i {
			f.toks = append(f.toks, tok{start: f.ms[mi].Start, end: f.ms[mi].End, kind: ptMention, m: mi})
			i = f.ms[mi].End
			mi++
			continue
		}
		for k < len(atoms) && atoms[k].End <= i {
			k++
		}
		if k == len(atoms) || atoms[k].Start > i || atoms[k].Class == text.Break {
			// A blank or a line break: on to the next token or mention.
			next := win.End
			if k < len(atoms) {
				next = max(atoms[k].Start, i+1)
			}
			if mi < mj {
				next = min(next, f.ms[mi].Start)
			}
			i = next
			continue
		}
		a := atoms[k]
		if !a.IsWord() || a.Start < i && a.Class != text.Alpha && a.Class != text.Digits {
			// A mark, or a rune a mention ended inside of.
			end := a.End
			if a.Start < i {
				end = i + 1
			}
			f.toks = append(f.toks, tok{start: i, end: end, kind: ptPunct})
			i = end
			continue
		}
		j := atomEnd(a, win.End)
		for n := k + 1; j < win.End && n < len(atoms) && atoms[n].Start == j; n++ {
			b := atoms[n]
			if b.IsWord() {
				j = atomEnd(b, win.End)
				continue
			}
			c := t[b.Start]
			joiner := b.Class == text.Punct && (c == '.' || c == '\'' || c == '-' || c == ',' || c == '/') ||
				b.Class == text.Symbol && t[b.Start:b.End] == "’"
			if !joiner || b.End >= win.End || n+1 >= len(atoms) || atoms[n+1].Start != b.End || !atoms[n+1].IsWord() {
				break
			}
			if c == ',' && !(isDigit(t[j-1]) && (atoms[n+1].Class == text.Digits || atoms[n+1].Class == text.Digit)) {
				break // a comma only inside a number: "1,000"
			}
			j = b.End
		}
		// "U.S." keeps its final stop
		if j < win.End && t[j] == '.' && strings.IndexByte(t[i:j], '.') >= 0 {
			j++
		}
		kind := ptWord
		if c := t[i]; c >= '0' && c <= '9' {
			kind = ptNum
		}
		if f.first < 0 && i >= sentStart {
			f.first = len(f.toks)
		}
		f.toks = append(f.toks, tok{start: i, end: j, kind: kind, lower: f.doc.Lower(i, j)})
		i = j
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// atomEnd is where a word of the framer stops in the shared token a:
// at its end, or at the end of the window for a run of ASCII letters or
// digits, whose bytes are read one at a time.
func atomEnd(a text.Token, winEnd int) int {
	if a.Class == text.Alpha || a.Class == text.Digits {
		return min(a.End, winEnd)
	}
	return a.End
}

// class is the cue class of a framer token: a class of the cue file
// (internal/lexicon/data/percent-cues.txt, whose class names are the
// values), or the class of a number, a mention, a punctuation mark or the
// edge of the tokens.
type class string

// Cue classes.
const (
	pcNone   class = ""       // a word the cue file does not list; no cue word at all
	pcEdge   class = "edge"   // before the first token or after the last
	pcNum    class = "num"    // a bare number
	pcPct    class = "pct"    // a PERCENT mention
	pcPunct  class = "punct"  // a punctuation mark
	pcRise   class = "rise"   // "rose", "up"
	pcFall   class = "fall"   // "fell", "falling"
	pcSet    class = "set"    // "set", "imposed"
	pcVerb   class = "verb"   // other verbs that take a percentage: "was", "stood"
	pcAux    class = "aux"    // adverbs between verb and figure: "also", "sharply"
	pcDet    class = "det"    // determiners: "the", "its"
	pcClause class = "clause" // words that start a clause: "that", "which"
	pcAfter  class = "after"  // time words after a figure: "now", "today"
)

// cls returns the cue class of token i.
func (f *framer) cls(i int) class {
	if i < 0 || i >= len(f.toks) {
		return pcEdge
	}
	switch f.toks[i].kind {
	case ptNum:
		return pcNum
	case ptMention:
		return pcPct
	case ptPunct:
		return pcPunct
	}
	t := f.toks[i]
	if i != f.first {
		// "May" inside a sentence is a month or a name, not the verb "may"
		r, n := utf8.DecodeRuneInString(f.doc.Text[t.start:])
		if unicode.IsUpper(r) && t.end-t.start > n && strings.ToUpper(f.doc.Text[t.start:t.end]) != f.doc.Text[t.start:t.end] {
			return pcNone
		}
	}
	return class(f.cues.class[t.lower])
}

// word returns the lower-case word of token i, or "".
func (f *framer) word(i int) string {
	if i < 0 || i >= len(f.toks) || f.toks[i].kind != ptWord {
		return ""
	}
	return f.toks[i].lower
}

// skipHedgesLeft moves j left over hedges that end at token j.
func (f *framer) skipHedgesLeft(j int) int {
	for {
		moved := false
		for _, h := range f.cues.hedges {
			if j-len(h)+1 < 0 {
				continue
			}
			match := true
			for x := range h {
				if f.word(j-len(h)+1+x) != h[x] {
					match = false
					break
				}
			}
			if match {
				j -= len(h)
				moved = true
				break
			}
		}
		if !moved {
			return j
		}
	}
}

// value returns the number of a ptMention or ptNum token.
func (f *framer) value(i int) string {
	t := f.toks[i]
	if t.kind == ptMention {
		return f.ms[t.m].Value
	}
	if t.kind == ptNum {
		s := strings.ReplaceAll(t.lower, ",", "")
		for _, c := range []byte(s) {
			if (c < '0' || c > '9') && c != '.' {
				return ""
			}
		}
		if strings.Count(s, ".") > 1 {
			return ""
		}
		return normalise(s)
	}
	return ""
}

// frameAll frames every mention token: first those that are not the
// starting point of a change, then the starting points, which copy the
// Change of their partner.
func (f *framer) frameAll() {
	partner := map[int]int{} // from-mention token -> to-mention token
	for k, t := range f.toks {
		if t.kind == ptMention {
			if p, ok := f.frame(k); ok {
				partner[p] = k
			}
		}
	}
	for p, k := range partner {
		if f.toks[p].kind == ptMention {
			m := &f.ms[f.toks[p].m]
			m.Change, m.Subject, m.From = f.ms[f.toks[k].m].Change, "", ""
		}
	}
}

// frame is what framing one mention has found so far; the frame
// rules read and fill it.
type frame struct {
	k       int            // the mention's token
	m       *trawl.Mention // the mention
	j       int            // the token before the figure, past hedges
	prep    string         // the preposition at token j ("from", "to", "of"...), "" when none
	edge    int            // the first token after the subject phrase or verb region
	verb    int            // the cue word of the clause, -1 when none
	verbCls class          // the class of the cue word: pcRise, pcFall, pcSet or pcVerb
	nounCls class          // pcRise or pcFall when a change noun follows the figure
	fromTok int            // the token of the start of the change
	hasFrom bool           // fromTok is a percentage
	a, b    int            // the subject phrase found by a subject rule
}

// frame fills the frame of the mention at token k. When the mention is the
// end of a change whose start is token p ("from 25% to 50%", "to 5.2 pct
// from 4.8 pct"), it returns p and true.
//
// The rules run in a fixed order: the start of a change is left to its
// end, then the start of the change is read, then the direction of the
// change (the first change rule that applies wins), then the subject (the
// first subject rule that finds a phrase wins).
func (f *framer) frame(k int) (fromTok int, hasFrom bool) {
	fr := frame{k: k, m: &f.ms[f.toks[k].m]}
	fr.j = f.skipHedgesLeft(k - 1)
	if w := f.word(fr.j); w != "" && f.cls(fr.j) == pcAfter {
		fr.prep = w
	}
	fr.edge = fr.j + 1
	if fr.prep != "" {
		fr.edge = fr.j
	}
	if f.ruleChangeStart(&fr) {
		return 0, false
	}
	if fr.prep == "to" {
		f.ruleFromBefore(&fr)
		if fr.m.From == "" {
			f.ruleFromAfter(&fr)
		}
	}
	fr.verb, fr.verbCls = f.clauseVerb(fr.edge)
	if c := f.cls(k + 1); c == pcRise || c == pcFall {
		fr.nounCls = c
	}
	switch {
	case f.ruleChangeVerb(&fr),
		f.ruleChangeNoun(&fr),
		f.ruleChangeFromValue(&fr),
		f.ruleChangeSetVerb(&fr),
		f.ruleChangeToAfterVerb(&fr):
	}
	f.ruleBasisPointsNotSet(&fr)
	switch {
	case f.ruleSubjectAfterChangeNoun(&fr),
		f.ruleSubjectVerbObject(&fr),
		f.ruleSubjectChangeNounOf(&fr),
		f.ruleSubjectBeforeOfAt(&fr),
		f.ruleSubjectFollowing(&fr),
		f.ruleSubjectBeforeVerb(&fr),
		f.ruleSubjectBeforeParticiple(&fr):
		fr.m.Subject = f.subjectText(fr.a, fr.b)
	}
	return fr.fromTok, fr.hasFrom
}

// ruleChangeStart reports whether the mention after "from" is the start of
// a change whose end is another percentage ("from 25% to 50%", "to 50% from
// 25%"); such a mention is framed by its partner.
func (f *framer) ruleChangeStart(fr *frame) bool {
	if fr.prep != "from" {
		return false
	}
	if f.word(fr.k+1) == "to" {
		if q := f.skipHedgesRight(fr.k + 2); f.cls(q) == pcPct {
			return true
		}
	}
	q := f.skipHedgesLeft(fr.j - 1)
	return f.cls(q) == pcPct && f.word(f.skipHedgesLeft(q-1)) == "to"
}

// ruleFromBefore reads the start of a change written before the mention
// after "to": "from 25% to 50%", "from 4.8 to 5.2 percent".
func (f *framer) ruleFromBefore(fr *frame) {
	q := f.skipHedgesLeft(fr.j - 1)
	c := f.cls(q)
	if c != pcPct && c != pcNum {
		return
	}
	if r := f.skipHedgesLeft(q - 1); f.word(r) == "from" {
		if v := f.value(q); v != "" {
			fr.m.From = v
		}
		fr.fromTok, fr.hasFrom = q, c == pcPct
		fr.edge = r
	}
}

// ruleFromAfter reads the start of a change written after the mention
// after "to": "to 5.2 pct from 4.8 pct".
func (f *framer) ruleFromAfter(fr *frame) {
	if f.word(fr.k+1) != "from" {
		return
	}
	q := f.skipHedgesRight(fr.k + 2)
	if c := f.cls(q); c == pcPct || c == pcNum {
		fr.m.From = f.value(q)
		fr.fromTok, fr.hasFrom = q, c == pcPct
	}
}

// clauseVerb finds the nearest cue word (rise, fall, set or verb) left of
// token edge inside the clause, looking at most 24 tokens back and stopping
// at punctuation other than a hyphen, at another percentage and at clause
// words other than "and" and "or"; it returns -1 when there is none.
func (f *framer) clauseVerb(edge int) (verb int, verbCls class) {
	for i := edge - 1; i >= 0 && edge-i <= 24; i-- {
		c := f.cls(i)
		if c == pcPunct && f.toks[i].end-f.toks[i].start == 1 && f.doc.Text[f.toks[i].start] == '-' {
			continue
		}
		if c == pcPunct || c == pcPct || c == pcClause && f.word(i) != "and" && f.word(i) != "or" {
			break
		}
		if c == pcRise || c == pcFall || c == pcSet || c == pcVerb {
			return i, c
		}
	}
	return -1, pcNone
}

// ruleChangeVerb takes the direction of a rising or falling verb of the
// clause ("rose to 5%", "fell 3%"), except "up to 5%", which is a ceiling.
func (f *framer) ruleChangeVerb(fr *frame) bool {
	if fr.verbCls != pcRise && fr.verbCls != pcFall {
		return false
	}
	fr.m.Change = string(fr.verbCls)
	if fr.verbCls == pcRise && f.word(fr.verb) == "up" && f.word(fr.verb+1) == "to" {
		fr.m.Change = ""
	}
	return true
}

// ruleChangeNoun takes the direction of a change noun right after the
// figure: "a 10 percent cut", "a 78 percent increase".
func (f *framer) ruleChangeNoun(fr *frame) bool {
	if fr.nounCls == pcNone {
		return false
	}
	fr.m.Change = string(fr.nounCls)
	return true
}

// ruleChangeFromValue compares the figure with the start of its change:
// "from 25% to 50%" is a rise, "to 4% from 5%" a fall; equal or unreadable
// values leave the direction unset.
func (f *framer) ruleChangeFromValue(fr *frame) bool {
	if fr.m.From == "" {
		return false
	}
	switch compare(fr.m.Value, fr.m.From) {
	case 1:
		fr.m.Change = "rise"
	case -1:
		fr.m.Change = "fall"
	}
	return true
}

// ruleChangeSetVerb makes a figure that a setting verb governs directly or
// through "at", "to" or "of" a level that was set: "set tariffs at 25%",
// "imposed a 25% tariff".
func (f *framer) ruleChangeSetVerb(fr *frame) bool {
	if fr.verbCls != pcSet || fr.prep != "at" && fr.prep != "to" && fr.prep != "" && fr.prep != "of" {
		return false
	}
	fr.m.Change = "set"
	return true
}

// ruleChangeToAfterVerb makes a figure after "to" in a clause with any cue
// word a level that was set: "lower tariffs to 30%".
func (f *framer) ruleChangeToAfterVerb(fr *frame) bool {
	if fr.prep != "to" || fr.verb < 0 {
		return false
	}
	fr.m.Change = "set"
	return true
}

// ruleBasisPointsNotSet undoes "set" for a figure in basis points unless a
// setting verb governs it: basis points measure a move, not a level.
func (f *framer) ruleBasisPointsNotSet(fr *frame) {
	if fr.m.Unit == unitBasis && fr.m.Change == "set" && fr.verbCls != pcSet {
		fr.m.Change = ""
	}
}

// ruleSubjectAfterChangeNoun takes the phrase after a change noun and "in",
// "of", "on" or "for" when no rising or falling verb governs the figure:
// "a 10% cut in [tariffs on steel]".
func (f *framer) ruleSubjectAfterChangeNoun(fr *frame) bool {
	if fr.nounCls == pcNone || fr.verbCls == pcRise || fr.verbCls == pcFall {
		return false
	}
	if w := f.word(fr.k + 2); w != "in" && w != "of" && w != "on" && w != "for" {
		return false
	}
	var ok bool
	fr.a, fr.b, ok = f.rightNP(fr.k + 3)
	return ok
}

// ruleSubjectVerbObject takes the object between the cue word and the
// figure: "lower [tariffs on certain Chinese products] to 30%".
func (f *framer) ruleSubjectVerbObject(fr *frame) bool {
	if fr.verb < 0 || fr.verb+1 > fr.edge-1 {
		return false
	}
	var ok bool
	fr.a, fr.b, ok = f.betweenNP(fr.verb+1, fr.edge-1)
	return ok
}

// ruleSubjectChangeNounOf takes a change noun right before "of" and the
// figure, with its modifiers, as the subject: "[growth] of 5%", "[a cut] of
// 10%"; a negative figure then has no direction of its own.
func (f *framer) ruleSubjectChangeNounOf(fr *frame) bool {
	if fr.prep != "of" || fr.verb < 0 || fr.verb != fr.j-1 || fr.verbCls == pcVerb {
		return false
	}
	fr.a, fr.b = fr.j-1, fr.j-1
	if a2, _, ok2 := f.collectLeft(fr.j - 2); ok2 {
		fr.a = a2
	}
	if strings.HasPrefix(fr.m.Value, "-") {
		fr.m.Change = ""
	}
	return true
}

// ruleSubjectBeforeOfAt takes the phrase before "of" or "at" when the
// clause has no cue word: "[inflation] at 3%", "[a tariff rate] of 25%".
func (f *framer) ruleSubjectBeforeOfAt(fr *frame) bool {
	if fr.prep != "of" && fr.prep != "at" || fr.verb >= 0 {
		return false
	}
	var ok bool
	fr.a, fr.b, ok = f.leftNP(fr.j - 1)
	return ok
}

// ruleSubjectFollowing takes the phrase right after the figure when a
// setting verb or no cue word governs it, or a determiner precedes it, and
// it does not follow "by": "a 25% [tariff on steel]".
func (f *framer) ruleSubjectFollowing(fr *frame) bool {
	if !(fr.verbCls == pcSet || fr.verb < 0 || f.cls(fr.j) == pcDet) || fr.prep == "by" {
		return false
	}
	var ok bool
	fr.a, fr.b, ok = f.rightNP(fr.k + 1)
	return ok
}

// ruleSubjectBeforeVerb takes the phrase before the cue word, the subject
// of an intransitive verb: "[exports in May] grew 5%".
func (f *framer) ruleSubjectBeforeVerb(fr *frame) bool {
	if fr.verb < 0 {
		return false
	}
	var ok bool
	fr.a, fr.b, ok = f.leftNP(fr.verb - 1)
	return ok
}

// ruleSubjectBeforeParticiple takes the phrase before a comma and a
// participle cue word: "[tariffs on steel], raised from 25% to 50%".
func (f *framer) ruleSubjectBeforeParticiple(fr *frame) bool {
	v := fr.verb
	if v < 2 || !strings.HasSuffix(f.word(v), "ed") || f.cls(v-1) != pcPunct || f.doc.Text[f.toks[v-1].start] != ',' {
		return false
	}
	var ok bool
	fr.a, fr.b, ok = f.leftNP(v - 2)
	return ok
}

// skipHedgesRight moves i right over single-word hedges ("to about 5%").
func (f *framer) skipHedgesRight(i int) int {
	for n := 0; n < 3; n++ {
		matched := false
		for _, h := range f.cues.hedges {
			match := true
			for x := range h {
				if f.word(i+x) != h[x] {
					match = false
					break
				}
			}
			if match {
				i += len(h)
				matched = true
				break
			}
		}
		if !matched {
			break
		}
	}
	return i
}

// boundary reports whether token i cannot be inside a subject phrase.
func (f *framer) boundary(i int) bool {
	switch f.cls(i) {
	case pcPunct:
		t := f.toks[i]
		return !(t.end-t.start == 1 && (f.doc.Text[t.start] == '-' || f.doc.Text[t.start] == '&'))
	case pcPct, pcRise, pcFall, pcSet, pcVerb, pcAux, pcEdge:
		return true
	case pcClause:
		w := f.word(i)
		if w == "and" || w == "or" {
			// "steel and aluminum" is one phrase; "5% and imports" is not
			return f.boundary(i-1) || f.boundary(i+1) || f.cls(i-1) == pcNum || f.cls(i+1) == pcDet
		}
		return true
	}
	return false
}

// leftNP collects the noun phrase that ends at token end (the subject of
// an intransitive verb): "exports in May grew" -> "exports in May".
func (f *framer) leftNP(end int) (a, b int, ok bool) {
	b = end
	for b >= 0 && (f.cls(b) == pcAux || f.cls(b) == pcVerb || f.word(b) == "to" || f.cls(b) == pcPunct && f.toks[b].kind == ptPunct && f.doc.Text[f.toks[b].start] == ',') {
		if f.cls(b) == pcPunct && b == end {
			break
		}
		b--
	}
	return f.collectLeft(b)
}

// collectLeft collects the noun phrase that ends at token b.
func (f *framer) collectLeft(b int) (int, int, bool) {
	a := b + 1
	for i := b; i >= 0 && b-i < 14; i-- {
		if f.cls(i) == pcDet {
			a = i
			break
		}
		if f.boundary(i) {
			break
		}
		a = i
	}
	return f.trimNP(a, b)
}

// betweenNP is the object between a transitive verb and the figure:
// "lower [tariffs on certain Chinese products] to 30%".
func (f *framer) betweenNP(a, b int) (int, int, bool) {
	for i := b; i >= a; i-- {
		if f.boundary(i) && f.cls(i) != pcAux {
			a = i + 1
			break
		}
	}
	return f.trimNP(a, b)
}

// rightNP is the noun phrase that starts at token a: "a 25% [tariff on
// steel]".
func (f *framer) rightNP(a int) (int, int, bool) {
	if a >= len(f.toks) || f.toks[a].kind != ptWord || f.cls(a) != pcNone && f.cls(a) != pcDet {
		return 0, 0, false
	}
	b := a - 1
	for i := a; i < len(f.toks) && i-a < 14; i++ {
		if f.boundary(i) || f.cls(i) == pcClause && f.word(i) != "and" {
			break
		}
		if c := f.cls(i); c == pcAfter {
			w := f.word(i)
			if w != "on" && w != "of" && w != "in" && w != "for" && w != "from" {
				break
			}
		}
		b = i
	}
	return f.trimNP(a, b)
}

// trimNP trims determiners and hedges from the front and function words
// from the back of tokens a..b, keeps at most 8 words, and reports whether
// a content word is left.
func (f *framer) trimNP(a, b int) (int, int, bool) {
	trim := func() {
		for a <= b {
			c := f.cls(a)
			if c == pcDet || c == pcAux || c == pcAfter || c == pcClause || c == pcPunct || c == pcNum && f.word(a+1) == "" {
				a++
				continue
			}
			if q := f.skipHedgesRight(a); q > a {
				a = q
				continue
			}
			break
		}
		for b >= a {
			c := f.cls(b)
			if c == pcDet || c == pcAux || c == pcAfter || c == pcClause || c == pcPunct {
				b--
				continue
			}
			break
		}
	}
	trim()
	if b-a+1 > 8 {
		b = a + 7
		trim()
	}
	if a > b {
		return 0, 0, false
	}
	for i := a; i <= b; i++ {
		if f.toks[i].kind == ptWord && f.cls(i) == pcNone {
			return a, b, true
		}
	}
	return 0, 0, false
}

// subjectText returns the text of tokens a..b with spaces collapsed and the
// first letter lower-cased when it is capitalised only because it starts the
// sentence.
func (f *framer) subjectText(a, b int) string {
	s := strings.Join(strings.Fields(f.doc.Text[f.toks[a].start:f.toks[b].end]), " ")
	if a != f.first {
		return s
	}
	w := f.doc.Text[f.toks[a].start:f.toks[a].end]
	r, n := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) || strings.ToUpper(w) == w || strings.ContainsAny(w, ".0123456789") {
		return s
	}
	if i := strings.IndexAny(w, "'’"); i > 0 {
		w = w[:i]
	}
	if properNoun(f.doc, w) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// properNoun reports whether capitalised word w appears capitalised
// inside a sentence of doc (not at its start), i.e. is a name.
func properNoun(doc *document.Document, w string) bool {
	t := doc.Text
	for off := 0; ; {
		i := strings.Index(t[off:], w)
		if i < 0 {
			return false
		}
		i += off
		off = i + len(w)
		if !wordEnd(t, i+len(w)) || i > 0 && !wordEnd(t, i-1) {
			continue
		}
		if sp, ok := doc.SentenceAt(i); ok && sp.Start != i {
			p := i
			for p > sp.Start && (t[p-1] == ' ' || t[p-1] == '"' || t[p-1] == '(') {
				p--
			}
			if p > sp.Start && !strings.ContainsRune(":;", rune(t[p-1])) {
				return true
			}
		}
	}
}

// compare compares two decimal strings (optionally negative) as
// numbers; it returns 0 when either is not a number.
func compare(x, y string) int {
	if x == "" || y == "" {
		return 0
	}
	nx, ny := strings.HasPrefix(x, "-"), strings.HasPrefix(y, "-")
	if nx != ny {
		if nx {
			return -1
		}
		return 1
	}
	sign := 1
	if nx {
		x, y, sign = x[1:], y[1:], -1
	}
	xi, xf, _ := strings.Cut(x, ".")
	yi, yf, _ := strings.Cut(y, ".")
	c := 0
	switch {
	case len(xi) != len(yi):
		c = 1
		if len(xi) < len(yi) {
			c = -1
		}
	default:
		c = strings.Compare(xi, yi)
		if c == 0 {
			for len(xf) < len(yf) {
				xf += "0"
			}
			for len(yf) < len(xf) {
				yf += "0"
			}
			c = strings.Compare(xf, yf)
		}
	}
	return c * sign
}
