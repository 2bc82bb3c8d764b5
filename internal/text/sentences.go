package text

import (
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/trawlnews/trawl/internal/lexicon"
)

// Span is a byte range [Start, End) of a text.
type Span struct{ Start, End int }

// Sentences splits text into sentence spans by rule: a sentence ends at a
// line break, or at '.', '!' or '?' (plus closing quotes and brackets)
// followed by space and an upper-case letter, a digit or a quote, unless the
// word before the stop is a known abbreviation ("U.S.", "Mr.", "Jan.") or a
// single initial. Leading and trailing space is trimmed from each span.
func Sentences(text string) []Span {
	var out []Span
	start := 0
	emit := func(end int) {
		s, e := start, end
		for s < e && isSpaceByte(text[s]) {
			s++
		}
		for e > s && isSpaceByte(text[e-1]) {
			e--
		}
		if e > s {
			out = append(out, Span{s, e})
		}
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '\n' {
			emit(i)
			start = i + 1
			continue
		}
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(text) && (text[j] == '"' || text[j] == '\'' || text[j] == ')' || text[j] == ']') {
			j++
		}
		if j < len(text) && (text[j] == 0xe2) { // closing curly quote ” or ’
			if r, n := utf8.DecodeRuneInString(text[j:]); r == '”' || r == '’' {
				j += n
			}
		}
		if j >= len(text) {
			continue
		}
		if text[j] != ' ' && text[j] != '\t' {
			continue
		}
		k := j
		for k < len(text) && (text[k] == ' ' || text[k] == '\t') {
			k++
		}
		if k >= len(text) || text[k] == '\n' {
			continue
		}
		r, _ := utf8.DecodeRuneInString(text[k:])
		if !(unicode.IsUpper(r) || unicode.IsDigit(r) || r == '"' || r == '“' || r == '\'' || r == '‘') {
			continue
		}
		if c == '.' && isAbbreviationBefore(text, i) {
			continue
		}
		emit(j)
		start = j
		i = j - 1
	}
	emit(len(text))
	return out
}

// abbreviations do not end a sentence when followed by a capital.
var abbreviations = sync.OnceValue(func() map[string]bool { return lexicon.Words("abbreviations.txt") })

// isAbbreviationBefore reports whether the '.' at text[dot] ends an
// abbreviation or an initial rather than a sentence.
func isAbbreviationBefore(text string, dot int) bool {
	s := dot
	for s > 0 && (isWordByte(text[s-1]) || text[s-1] == '.') {
		s--
	}
	w := text[s:dot]
	if len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z' {
		return true // an initial: "H. Lutnick"
	}
	lw := make([]byte, len(w))
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lw[i] = c
	}
	return abbreviations()[string(lw)]
}

// SentenceAt returns the span of spans (sorted and disjoint, as Sentences
// returns them) that contains byte offset pos; ok is false when pos is
// outside every span.
func SentenceAt(spans []Span, pos int) (Span, bool) {
	i, ok := slices.BinarySearchFunc(spans, pos, func(sp Span, p int) int {
		switch {
		case sp.End <= p:
			return -1
		case sp.Start > p:
			return 1
		}
		return 0
	})
	if !ok {
		return Span{}, false
	}
	return spans[i], true
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// isWordByte reports whether c is an ASCII letter or digit, or any byte of a
// multi-byte UTF-8 sequence (so accented letters stay inside words).
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
