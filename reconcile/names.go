package reconcile

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trawlnews/trawl/internal/lexicon"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// personName is a person's name split into comparable, normalised tokens.
type personName struct {
	tokens []string // lower case, accents folded, no dots, quotes or suffixes
}

// key is the normalised name, the identity of a spelling.
func (n personName) key() string { return strings.Join(n.tokens, " ") }

// single reports whether the name is one word ("Bessent", "He").
func (n personName) single() bool { return len(n.tokens) == 1 }

// given is the first token, surname the last; for a one-word name both are
// that word.
func (n personName) given() string   { return n.tokens[0] }
func (n personName) surname() string { return n.tokens[len(n.tokens)-1] }
func (n personName) middle() []string {
	if len(n.tokens) <= 2 {
		return nil
	}
	return n.tokens[1 : len(n.tokens)-1]
}

// honorifics are dropped from the start of a name ("Gov. Sarah Palin").
var honorifics = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "dr": true, "gov": true,
	"sen": true, "rep": true, "sir": true, "dame": true, "prof": true,
	"gen": true, "lt": true, "col": true, "capt": true, "sgt": true, "rev": true,
	"president": true, "judge": true, "justice": true, "mayor": true, "senator": true,
}

// suffixes are dropped from the end of a name ("Arcade Joseph Comeaux Jr").
var suffixes = map[string]bool{"jr": true, "sr": true, "ii": true, "iii": true, "iv": true}

var foldAccents = runes.Remove(runes.In(unicode.Mn))

// parseName normalises a name for comparison. It returns false when nothing
// name-like is left.
func parseName(s string) (personName, bool) {
	if !isASCII(s) {
		if t, _, err := transform.String(transform.Chain(norm.NFD, foldAccents, norm.NFC), s); err == nil {
			s = t
		}
	}
	s = strings.ToLower(s)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "'s"), "’s")
	var toks []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			toks = append(toks, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		case r == '\'' || r == '’' || r == '`':
			// O'Leary -> oleary; quotes around nicknames vanish.
		default:
			flush()
		}
	}
	flush()
	for len(toks) > 1 && honorifics[toks[0]] {
		toks = toks[1:]
	}
	for len(toks) > 1 && suffixes[toks[len(toks)-1]] {
		toks = toks[:len(toks)-1]
	}
	if len(toks) == 0 {
		return personName{}, false
	}
	return personName{tokens: toks}, true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// tokenRel is how two name tokens relate.
type tokenRel int

const (
	relNone     tokenRel = iota
	relEqual             // the same word
	relNickname          // Bill / William, by the nickname table
	relPrefix            // Jamie / Jamieson: a short form that is a prefix
	relInitial           // H / Howard
	relMisspell          // Besset / Bessent: a small spelling difference
)

// givenRel relates two given names.
func givenRel(a, b string) tokenRel {
	switch {
	case a == b:
		return relEqual
	case len(a) == 1 || len(b) == 1:
		if a[0] == b[0] {
			return relInitial
		}
		return relNone
	case nicknames(a, b):
		return relNickname
	case isFormal(a) && isFormal(b):
		return relNone // two different names: Joseph and Josephine, Paul and Paula
	case isPrefixForm(a, b) && prefixNamed(a, b) || isPrefixForm(b, a) && prefixNamed(b, a):
		return relPrefix
	case similarSpelling(a, b, 4):
		return relMisspell
	}
	return relNone
}

// minSurnameMisspell is the length below which surnames must match exactly.
const minSurnameMisspell = 5

// surnameRel relates two surnames; only equality and small misspellings
// count, and short surnames must match exactly.
func surnameRel(a, b string) tokenRel {
	if a == b {
		return relEqual
	}
	if similarSpelling(a, b, minSurnameMisspell) {
		return relMisspell
	}
	return relNone
}

// isPrefixForm reports whether short is a short form of long made by
// cutting its end: "jamie" of "jamieson", "mo" of "maurice" is not (not a
// prefix) but "mo" of "morris" is. The cut must remove at least two
// letters, so "daniel" is not a form of "daniela".
func isPrefixForm(short, long string) bool {
	return len(short) >= 2 && len(long) >= len(short)+2 && strings.HasPrefix(long, short)
}

// prefixNamed reports whether a prefix short form may stand for long: the
// long form is a known given name (lexicon.GivenName: "Jamie" of
// "Jamieson"), or the short one is an abbreviation of two letters ("Mi." of
// "Mirco"). "Wood" of "Woodford" is neither: Wood Green and Woodford Green
// are two places.
func prefixNamed(short, long string) bool { return len(short) <= 2 || lexicon.GivenName(long) }

// nicknameOf reports whether the nickname table lists nick as a nickname of
// the formal name formal ("jim" of "james").
func nicknameOf(nick, formal string) bool {
	return nick != formal && slices.Contains(lexicon.FormalNames(nick), formal)
}

// isFormal reports whether the nickname table lists name as a formal name.
func isFormal(name string) bool { return slices.Contains(lexicon.FormalNames(name), name) }

// similarSpelling reports whether a and b are probably the same word
// misspelt: Damerau-Levenshtein distance 1 for words of at least minLen
// letters, 2 for words of 8 or more that are also close by Jaro-Winkler.
// Both must start with the same letter, which is rarely misspelt.
func similarSpelling(a, b string, minLen int) bool {
	la, lb := len(a), len(b)
	short := min(la, lb)
	if short < minLen || a[0] != b[0] || abs(la-lb) > 2 {
		return false
	}
	d := damerauLevenshtein(a, b, 2)
	switch {
	case d <= 1:
		return true
	case d == 2 && short >= 8:
		return jaroWinkler(a, b) >= 0.93
	}
	return false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// isTransposition reports whether a and b differ only by two adjacent
// letters written in the wrong order ("Vradelli" for "Vardelli"). It is the most
// frequent slip of typing (Damerau 1964), and unlike a letter added, dropped
// or changed it seldom turns one real name into another: "Smit" and
// "Smith", "Thomson" and "Thompson" are names of their own.
func isTransposition(a, b string) bool {
	if len(a) != len(b) || a == b {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
}

// spellingDistance is the Damerau-Levenshtein distance, for reasons.
func spellingDistance(a, b string) int { return damerauLevenshtein(a, b, 100) }

// damerauLevenshtein returns the optimal string alignment distance between a
// and b (bytes), or limit+1 once it exceeds limit.
func damerauLevenshtein(a, b string, limit int) int {
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// jaroWinkler returns the Jaro-Winkler similarity of a and b in [0,1].
//
// It is not github.com/xrash/smetrics.JaroWinkler (already in the module
// graph) because the two disagree: smetrics counts transpositions as
// floor(unaligned/2) where Jaro's definition (and this code) takes half the
// unaligned matches, 0.5 included. Over every pair of the 7,622 name tokens
// of the bench corpus's PERSON mentions the values differed on 2,074,605 of
// 29,043,631 pairs and the >= 0.93 test of similarSpelling on 5, two of them
// pairs that reach that test ("iliaronov"/"illarionov",
// "stephansen"/"stephenson"), so switching would change which names group.
func jaroWinkler(a, b string) float64 {
	if a == b {
		return 1
	}
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	window := max(la, lb)/2 - 1
	if window < 0 {
		window = 0
	}
	ma := make([]bool, la)
	mb := make([]bool, lb)
	matches := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-window), min(lb, i+window+1)
		for j := lo; j < hi; j++ {
			if !mb[j] && a[i] == b[j] {
				ma[i], mb[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	trans, k := 0, 0
	for i := 0; i < la; i++ {
		if !ma[i] {
			continue
		}
		for !mb[k] {
			k++
		}
		if a[i] != b[k] {
			trans++
		}
		k++
	}
	m := float64(matches)
	jaro := (m/float64(la) + m/float64(lb) + (m-float64(trans)/2)/m) / 3
	prefix := 0
	for prefix < min(4, la, lb) && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}

// soundex is the American Soundex code of a word, used to block candidate
// spellings together; "" for a word without a letter a-z.
//
// It is not github.com/xrash/smetrics.Soundex (already in the module graph)
// because that one is not American Soundex: it skips a letter equal to the
// previous letter rather than a code equal to the previous code ("ackerman"
// gives A226, not A265), ignores the rule for h and w, keeps a leading
// non-letter as the first character and panics on "". It gave another code
// for 440 of the 7,622 name tokens of the bench corpus, which would change
// the candidate blocks and so the people found.
func soundex(s string) string {
	codes := "01230120022455012623010202" // a..z
	out := []byte{}
	var last byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 'a' || c > 'z' {
			continue
		}
		code := codes[c-'a']
		if len(out) == 0 {
			out = append(out, c-'a'+'A')
			last = code
			continue
		}
		if code != '0' && code != last {
			out = append(out, code)
			if len(out) == 4 {
				break
			}
		}
		if c != 'h' && c != 'w' {
			last = code
		}
	}
	for len(out) > 0 && len(out) < 4 {
		out = append(out, '0')
	}
	return string(out)
}

// slug turns a name into a readable id: lower case ASCII words joined by '-'.
func slug(s string) string {
	if !isASCII(s) {
		if t, _, err := transform.String(transform.Chain(norm.NFD, foldAccents, norm.NFC), s); err == nil {
			s = t
		}
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == '\'' || r == '’':
		default:
			dash = true
		}
	}
	if b.Len() == 0 {
		return "person"
	}
	return b.String()
}
