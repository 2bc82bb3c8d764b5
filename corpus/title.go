package corpus

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/trawlnews/trawl/internal/lexicon"
)

// The longest first line taken as a title, in words and in characters: a
// headline is short, a first paragraph is not.
const (
	titleMaxWords = 15
	titleMaxChars = 150
)

// abbreviations are the words whose final stop does not end a sentence
// ("Corp.", "U.S."), from the lexicon the sentence splitter reads.
var abbreviations = sync.OnceValue(func() map[string]bool { return lexicon.Words("abbreviations.txt") })

// firstLineTitle returns the title of an article without a header: its
// first non-blank line, when that line
//
//   - is short: at most titleMaxWords words and titleMaxChars characters,
//     with at least one letter;
//   - reads as a headline, not a sentence or a lead-in: it does not end
//     with a full stop (unless the last word is an abbreviation such as
//     "Corp." or a single initial, or the stop is an ellipsis "..."), a
//     comma, a colon or a semicolon;
//   - is not a dateline or date line (topDate), which gives the date;
//   - is followed by more text, the body: after a blank line, or directly
//     on the next line when that line does not start with a lower-case
//     letter (which would make the first line the first of a wrapped
//     sentence) or the first line has no lower-case letter (a headline in
//     capitals).
//
// It returns "" when the first line is no title.
func firstLineTitle(text string) string {
	pos := skipBlankLines(text, 0)
	line, next := nextLine(text, pos)
	line = strings.TrimSpace(line)
	if line == "" || strings.TrimSpace(text[next:]) == "" {
		return ""
	}
	if following, _ := nextLine(text, next); strings.TrimSpace(following) != "" && strings.ContainsFunc(line, unicode.IsLower) {
		if r, _ := utf8.DecodeRuneInString(strings.TrimSpace(following)); unicode.IsLower(r) {
			return ""
		}
	}
	if utf8.RuneCountInString(line) > titleMaxChars || len(strings.Fields(line)) > titleMaxWords {
		return ""
	}
	if !strings.ContainsFunc(line, unicode.IsLetter) {
		return ""
	}
	switch last, _ := utf8.DecodeLastRuneInString(line); last {
	case ',', ':', ';':
		return ""
	case '.':
		if !abbreviated(line) {
			return ""
		}
	}
	if _, ok := dateLine(line); ok {
		return ""
	}
	if _, ok := dateline(line); ok {
		return ""
	}
	return line
}

// abbreviated reports whether line ends with an abbreviation's stop or an
// ellipsis rather than a full stop: a known abbreviation ("Corp.",
// "U.S."), a single capital initial ("George W.") or "...".
func abbreviated(line string) bool {
	words := strings.Fields(line)
	w := strings.TrimSuffix(words[len(words)-1], ".")
	if strings.HasSuffix(w, "..") {
		return true
	}
	if r, n := utf8.DecodeRuneInString(w); n == len(w) && unicode.IsUpper(r) {
		return true
	}
	return abbreviations()[strings.ToLower(w)]
}
