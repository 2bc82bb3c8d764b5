package index

import (
	"bytes"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
)

// englishAnalyzer gives the tokens of bleve's English analyzer (en: the
// unicode tokenizer, the possessive filter, lower case, the English stop
// words, the Porter stemmer), the analyzer of the title and text fields,
// at a fraction of its CPU: analysing the text was a quarter of the CPU of
// writing the index (docs/performance.md, "The index's analysis and
// compaction"). It is
// used when documents are written; the mapping still names en, which
// analyses queries, so an index written with it is the index en would
// have written: same terms, positions and offsets
// (TestEnglishAnalyzerMatchesBleve compares them token for token).
//
// Text is cut into regions at the places where any word segmentation must
// break: after ASCII white space and before a printable ASCII byte. A region
// of ASCII bytes only is split into words by the rules of Unicode's word
// boundaries (UAX #29) restricted to ASCII, written out in asciiWord, and
// its words are lower-cased, stop words dropped and the rest stemmed
// without a string or rune slice per word, the stems of words seen before
// read from a table; a region that holds any other byte (a pound sign, an
// accented letter) goes through bleve's own tokenizer and filters, and
// text that is not valid UTF-8 through bleve's analyzer.
type englishAnalyzer struct {
	// reference is bleve's analyzer, whose tokenizer and filters analyse
	// the regions that are not plain ASCII.
	reference *analysis.DefaultAnalyzer
	stemmer   analysis.TokenFilter

	mu sync.RWMutex
	// stems maps a lower-case word to its stem, for at most maxStems
	// words, and each English stop word to stopWord, so that a word is
	// looked up once.
	stems map[string]string
}

// stopWord is the stem of the English stop words: no word of an ASCII
// region (letters, digits, _ and the middle characters) holds a NUL.
const stopWord = "\x00"

// maxStems bounds the stem table: news in one language uses fewer distinct
// words than this, and past it words are stemmed each time they occur.
const maxStems = 1 << 17

// indexAnalyzer is the englishAnalyzer of the index, built once.
var indexAnalyzer = sync.OnceValue(func() *englishAnalyzer {
	ref, ok := indexMapping().AnalyzerNamed(en.AnalyzerName).(*analysis.DefaultAnalyzer)
	if !ok {
		panic("index: the en analyzer is not a bleve DefaultAnalyzer")
	}
	stop, err := en.TokenMapConstructor(nil, nil)
	if err != nil {
		panic("index: English stop words: " + err.Error())
	}
	stems := make(map[string]string, len(stop))
	for w := range stop {
		stems[w] = stopWord
	}
	return &englishAnalyzer{reference: ref, stemmer: porter.NewPorterStemmer(), stems: stems}
})

// Byte classes of asciiWord: the word-break properties of UAX #29 that
// ASCII characters have.
const (
	classOther        = iota
	classLetter       // ALetter: A-Z, a-z
	classDigit        // Numeric: 0-9
	classExtendNumLet // ExtendNumLet: _
	classMidLetter    // MidLetter: :
	classMidNum       // MidNum: , ;
	classMidNumLet    // MidNumLet and Single_Quote: . '
	classSpace        // not a word-break property: the bytes after which a region may end
)

// asciiClasses is the class of each ASCII byte.
var asciiClasses = func() (c [128]uint8) {
	for b := 'a'; b <= 'z'; b++ {
		c[b] = classLetter
		c[b-'a'+'A'] = classLetter
	}
	for b := '0'; b <= '9'; b++ {
		c[b] = classDigit
	}
	c['_'] = classExtendNumLet
	c[':'] = classMidLetter
	c[','] = classMidNum
	c[';'] = classMidNum
	c['.'] = classMidNumLet
	c['\''] = classMidNumLet
	for _, b := range " \t\n\v\f\r" {
		c[b] = classSpace
	}
	return c
}()

// inWord reports whether class c is part of a word by itself (UAX #29 rules
// WB5, WB8-WB10, WB13a and WB13b join any two of them).
func inWord(c uint8) bool {
	return c == classLetter || c == classDigit || c == classExtendNumLet
}

// asciiWord returns the end of the word that starts at s[i], a byte of a
// class inWord, and whether it is a number (digits, no letters): the
// segment UAX #29 gives for ASCII text. A middle character joins two
// letters (WB6, WB7: MidLetter, MidNumLet, Single_Quote) or two digits
// (WB11, WB12: MidNum, MidNumLet, Single_Quote).
func asciiWord(s []byte, i int) (end int, number bool) {
	letter, digit := false, false
	j := i
	for j < len(s) {
		c := asciiClasses[s[j]]
		if inWord(c) {
			letter = letter || c == classLetter
			digit = digit || c == classDigit
			j++
			continue
		}
		if j+1 < len(s) && s[j+1] < 0x80 {
			prev, next := asciiClasses[s[j-1]], asciiClasses[s[j+1]]
			if prev == classLetter && next == classLetter && (c == classMidLetter || c == classMidNumLet) ||
				prev == classDigit && next == classDigit && (c == classMidNum || c == classMidNumLet) {
				j += 2
				continue
			}
		}
		break
	}
	return j, digit && !letter
}

// Analyze returns the tokens of input, those bleve's en analyzer gives.
func (a *englishAnalyzer) Analyze(input []byte) analysis.TokenStream {
	if !utf8.Valid(input) {
		// bleve's segmenter stops at the first invalid byte; the regions
		// would go on.
		return a.reference.Analyze(bytes.Clone(input))
	}
	toks := make([]analysis.Token, 0, len(input)/8+1)
	// terms holds the lower-cased words and the stems, so that input is
	// never written to; a term stays valid when append moves the rest.
	terms := make([]byte, 0, len(input))
	pos := 1
	for i := 0; i < len(input); {
		k := i
		for k < len(input) && input[k] < 0x80 {
			k++
		}
		if k == len(input) {
			toks, _, _ = a.ascii(input, i, len(input), pos, toks, terms)
			break
		}
		start := k
		for start > i && !regionStart(input, start) {
			start--
		}
		// The region ends where the next one starts, or after the next
		// ones when they too hold bytes outside ASCII, so that a text
		// with many of them goes to bleve's tokenizer in few pieces.
		end := k + 1
		for {
			for end < len(input) && !regionStart(input, end) {
				end++
			}
			next := end
			for next < len(input) && input[next] < 0x80 && (next == end || !regionStart(input, next)) {
				next++
			}
			if next == len(input) || input[next] < 0x80 {
				break
			}
			end = next + 1
		}
		toks, terms, pos = a.ascii(input, i, start, pos, toks, terms)
		toks, terms, pos = a.other(input, start, end, pos, toks, terms)
		i = end
	}
	stream := make(analysis.TokenStream, len(toks))
	for i := range toks {
		stream[i] = &toks[i]
	}
	return stream
}

// regionStart reports whether a region may start at input[i]: any word
// segmentation breaks between ASCII white space and a printable ASCII byte
// that follows it (no UAX #29 rule joins them, and none looks back past
// the space).
func regionStart(input []byte, i int) bool {
	c, prev := input[i], input[i-1]
	return c < 0x80 && prev < 0x80 && asciiClasses[c] != classSpace && asciiClasses[prev] == classSpace
}

// ascii appends the tokens of input[from:to], ASCII bytes only, numbered
// from pos, and returns the next position.
func (a *englishAnalyzer) ascii(input []byte, from, to, pos int, toks []analysis.Token, terms []byte) ([]analysis.Token, []byte, int) {
	s := input[:to]
	for i := from; i < to; {
		if !inWord(asciiClasses[s[i]]) {
			i++
			continue
		}
		end, number := asciiWord(s, i)
		word := s[i:end]
		// The possessive filter: a final 's or 'S goes.
		if n := len(word); n >= 2 && (word[n-1] == 's' || word[n-1] == 'S') && word[n-2] == '\'' {
			word = word[:n-2]
		}
		at := len(terms)
		for _, c := range word {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			terms = append(terms, c)
		}
		if stem := a.stem(terms[at:]); stem != stopWord {
			terms = append(terms[:at], stem...)
			typ := analysis.AlphaNumeric
			if number {
				typ = analysis.Numeric
			}
			toks = append(toks, analysis.Token{
				Term: terms[at:len(terms):len(terms)], Start: i, End: end, Position: pos, Type: typ,
			})
		} else {
			terms = terms[:at]
		}
		pos++
		i = end
	}
	return toks, terms, pos
}

// stem is the Porter stem of the lower-case word w, from the table when the
// word was seen before, or stopWord.
func (a *englishAnalyzer) stem(w []byte) string {
	a.mu.RLock()
	s, ok := a.stems[string(w)]
	a.mu.RUnlock()
	if ok {
		return s
	}
	tok := &analysis.Token{Term: bytes.Clone(w)}
	a.stemmer.Filter(analysis.TokenStream{tok})
	s = string(tok.Term)
	a.mu.Lock()
	if len(a.stems) < maxStems {
		a.stems[string(w)] = s
	}
	a.mu.Unlock()
	return s
}

// other appends the tokens of input[from:to], a region with bytes outside
// ASCII, as bleve's en analyzer makes them, numbered from pos, and returns
// the next position.
func (a *englishAnalyzer) other(input []byte, from, to, pos int, toks []analysis.Token, terms []byte) ([]analysis.Token, []byte, int) {
	// The lower-case filter writes in place: analyse a copy.
	region := bytes.Clone(input[from:to])
	ts := a.reference.Tokenizer.Tokenize(region)
	next := pos + len(ts)
	for _, f := range a.reference.TokenFilters {
		ts = f.Filter(ts)
	}
	for _, t := range ts {
		tok := *t
		tok.Start += from
		tok.End += from
		tok.Position += pos - 1
		toks = append(toks, tok)
	}
	return toks, terms, next
}
