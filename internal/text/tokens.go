// Package text holds what every extractor reads an article through: one
// tokenizer pass, the sentence splitter and the sentence-at-offset lookup.
package text

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Class is what a Token is made of. The classes are fine enough that each
// extractor builds its own words by joining adjacent tokens (a date number
// takes its "th", a name joins across an apostrophe), so one pass over the
// text serves them all.
type Class uint8

// Token classes.
const (
	Alpha   Class = iota + 1 // a run of ASCII letters
	Digits                   // a run of ASCII digits
	Punct                    // one ASCII byte that is no letter, digit, blank or line break (including '\f' and '\v')
	Break                    // a line break, '\n'
	Letter                   // one non-ASCII letter
	Digit                    // one non-ASCII digit
	Mark                     // one non-ASCII combining mark
	Symbol                   // one other non-ASCII rune: dashes, curly quotes, currency, spaces
	Invalid                  // one byte that is not valid UTF-8
)

var classNames = [...]string{"", "alpha", "digits", "punct", "break", "letter", "digit", "mark", "symbol", "invalid"}

// String returns the lower-case name of c.
func (c Class) String() string {
	if int(c) < len(classNames) && c != 0 {
		return classNames[c]
	}
	return "class(" + strconv.Itoa(int(c)) + ")"
}

// Case is the capitalisation of an Alpha token.
type Case uint8

// Capitalisations of an Alpha token; other classes have NoCase.
const (
	NoCase Case = iota
	Lower       // "said", "iPhone": a lower-case first letter
	Title       // "Bessent", "McCain": an upper-case first letter and a lower-case one after it
	Upper       // "EADS", "A": no lower-case letter
)

// Token is a piece of a text. Blanks (' ', '\t', '\r') are not tokens:
// Space says whether any come before the token.
type Token struct {
	Start, End int // byte offsets, End exclusive
	Class      Class
	Case       Case // for Alpha
	Space      bool // preceded by a blank, or the first token of the text
}

// IsWord reports whether t can be part of a word: a letter or a digit,
// ASCII or not.
func (t Token) IsWord() bool {
	return t.Class == Alpha || t.Class == Digits || t.Class == Letter || t.Class == Digit
}

// Tokens cuts text into tokens, appending them to toks (which may be nil),
// in order and without overlaps; every byte that is not a blank is in
// exactly one token.
func Tokens(toks []Token, text string) []Token {
	space := true
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			space = true
			i++
			continue
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i + 1
			lower := c >= 'a'
			for ; j < len(text); j++ {
				d := text[j]
				if d >= 'a' && d <= 'z' {
					lower = true
				} else if d < 'A' || d > 'Z' {
					break
				}
			}
			cs := Lower
			switch {
			case c < 'a' && lower:
				cs = Title
			case !lower:
				cs = Upper
			}
			toks = append(toks, Token{Start: i, End: j, Class: Alpha, Case: cs, Space: space})
			i = j
		case c >= '0' && c <= '9':
			j := i + 1
			for j < len(text) && text[j] >= '0' && text[j] <= '9' {
				j++
			}
			toks = append(toks, Token{Start: i, End: j, Class: Digits, Space: space})
			i = j
		case c == '\n':
			toks = append(toks, Token{Start: i, End: i + 1, Class: Break, Space: space})
			i++
		case c < utf8.RuneSelf:
			toks = append(toks, Token{Start: i, End: i + 1, Class: Punct, Space: space})
			i++
		default:
			r, n := utf8.DecodeRuneInString(text[i:])
			cl := Symbol
			switch {
			case r == utf8.RuneError && n == 1:
				cl = Invalid
			case unicode.IsLetter(r):
				cl = Letter
			case unicode.IsDigit(r):
				cl = Digit
			case unicode.IsMark(r):
				cl = Mark
			}
			toks = append(toks, Token{Start: i, End: i + n, Class: cl, Space: space})
			i += n
		}
		space = false
	}
	return toks
}
