package tagger

import (
	"github.com/trawlnews/trawl/internal/text"
)

// word is one token the name tagger labels: a word, a possessive "'s" or
// one punctuation mark, with where it stands on its line.
type word struct {
	start, end int
	line       int  // index of the line (lines end at '\n')
	lineStart  bool // the first token of its line
}

// words cuts s into the name tagger's tokens from its shared atoms, the
// way CoNLL-2003 tokenises news: a word joins letters and digits across an
// inner apostrophe, hyphen, dot or ampersand ("O'Neill", "Jean-Pierre",
// "U.S", "AT&T"); a final dot stays with an initial, a word with inner dots
// or a known abbreviation ("W.", "U.S.", "Corp."); a possessive "'s" and
// every other punctuation mark is a token of its own; line breaks are no
// tokens but start a new line.
func words(s string, atoms []text.Token, buf []word) []word {
	out := buf[:0]
	line, lineStart := 0, true
	for k := 0; k < len(atoms); {
		a := atoms[k]
		switch {
		case a.Class == text.Break:
			line++
			lineStart = true
			k++
			continue
		case !a.IsWord() && a.Class != text.Mark:
			end := a.End
			k++
			// A possessive or contraction written apart: "Germany 's".
			if s[a.Start] == '\'' && k < len(atoms) && !atoms[k].Space && atoms[k].Class == text.Alpha &&
				atoms[k].End-atoms[k].Start == 1 && (s[atoms[k].Start] == 's' || s[atoms[k].Start] == 'S') &&
				(k+1 >= len(atoms) || atoms[k+1].Space || !atoms[k+1].IsWord()) {
				end = atoms[k].End
				k++
			}
			out = append(out, word{start: a.Start, end: end, line: line, lineStart: lineStart})
			lineStart = false
			continue
		}
		start, end := a.Start, a.End
		for k++; k < len(atoms) && !atoms[k].Space; k++ {
			b := atoms[k]
			if b.IsWord() || b.Class == text.Mark {
				end = b.End
				continue
			}
			c := s[b.Start]
			joiner := b.Class == text.Punct && (c == '\'' || c == '-' || c == '.' || c == '&') ||
				b.Class == text.Symbol && s[b.Start:b.End] == "’"
			if !joiner || k+1 >= len(atoms) || atoms[k+1].Space || !atoms[k+1].IsWord() {
				break
			}
			// A possessive 's is a token of its own: "Bessent's".
			if (c == '\'' || b.Class == text.Symbol) && atoms[k+1].End-atoms[k+1].Start == 1 &&
				(s[atoms[k+1].Start] == 's' || s[atoms[k+1].Start] == 'S') &&
				(k+2 >= len(atoms) || atoms[k+2].Space || !atoms[k+2].IsWord()) {
				break
			}
			end = b.End
		}
		if k < len(atoms) && !atoms[k].Space && atoms[k].Class == text.Punct && s[atoms[k].Start] == '.' && keepsDot(s[start:end]) {
			end = atoms[k].End
			k++
		}
		out = append(out, word{start: start, end: end, line: line, lineStart: lineStart})
		lineStart = false
	}
	return out
}

// keepsDot reports whether a word followed by '.' keeps the dot: an
// initial ("W"), a word with inner dots ("U.S") or a common abbreviation.
func keepsDot(w string) bool {
	if len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z' {
		return true
	}
	for i := 0; i < len(w); i++ {
		if w[i] == '.' {
			return true
		}
	}
	switch w {
	case "Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen", "Prof", "Lt", "Col", "Capt", "Sgt", "St", "Jr", "Sr",
		"Rev", "Hon", "Co", "Inc", "Corp", "Ltd", "Bros", "No", "Jan", "Feb", "Mar", "Apr", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec":
		return true
	}
	return false
}
