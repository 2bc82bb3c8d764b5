// Package people finds PERSON mentions. It works in one pass over the text: it
// splits the text into words, groups capitalised words into runs ("U.S.
// Treasury Secretary Scott Bessent" gives the run "Treasury Secretary Scott
// Bessent"), strips a title from each run and decides whether the rest is a
// person's name from the evidence at hand: a title or role next to it, a known
// given name or surname, an initial, an apposition ("Kevin Hassett, director
// of ..."), a scorecard. Runs the rules leave open (several capitalised words,
// none of them a common word, no title, no known name) are weighed by the
// article around them (a later surname-only mention, an age, a results list, a
// name listed next to them, an organisation word next to them anywhere in the
// article), and those still open are decided by the name tagger
// (extract/tagger), which also sets aside names the rules took for people
// that it calls organisations or places, by a vote over every occurrence of
// the name in the article. Finally every name found once makes the
// same name, or its surname, a person everywhere else in the article, and
// mentions are grouped under the longest full name of the person.
package people

import (
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/extract/document"
	"github.com/trawlnews/trawl/extract/tagger"
	"github.com/trawlnews/trawl/internal/lexicon"
	"github.com/trawlnews/trawl/internal/text"
)

// span is a byte range of a document's text.
type span = text.Span

// wordLists holds the word lists the PERSON extractor reads, lower case.
type wordLists struct {
	titles    map[string]bool // title phrase (words joined by one space) -> matches in any case
	titleLen  map[string]int  // first word of a title -> most words in a title starting with it
	given     map[string]bool
	surnames  map[string]bool
	nonnames  map[string]bool
	orgwords  map[string]bool
	datewords map[string]bool
	demonyms  map[string]bool // country words and title qualifiers ("former")
	honorific map[string]bool // titles that are not roles ("Mr.")
	// lists are the lists above from given to honorific, and pronouns, in
	// the order of lexBits.
	lists [8]map[string]bool
}

// Warm loads the word lists Find reads, which takes a noticeable time, once
// per process; Find loads them itself when it first needs them.
func Warm() { loadLexicon() }

// loadLexicon loads the lexicons once per process.
var loadLexicon = sync.OnceValue(func() *wordLists {
	lx := &wordLists{
		titles:    lexicon.Titles(),
		titleLen:  map[string]int{},
		given:     lexicon.GivenNames(),
		surnames:  lexicon.Set("people-surnames.txt"),
		nonnames:  lexicon.Set("people-nonnames.txt"),
		orgwords:  lexicon.Set("people-orgwords.txt"),
		datewords: lexicon.Set("people-datewords.txt"),
		demonyms:  map[string]bool{},
		honorific: map[string]bool{
			"mr": true, "mr.": true, "mrs": true, "mrs.": true, "ms": true, "ms.": true,
			"miss": true, "sir": true, "dame": true, "lady": true, "lord": true,
			// Kin words are evidence of a person but no role.
			"wife": true, "husband": true, "son": true, "daughter": true, "brother": true,
			"sister": true, "father": true, "mother": true, "dad": true, "mom": true, "mum": true,
			"uncle": true, "aunt": true, "cousin": true, "girlfriend": true, "boyfriend": true,
			"fiancee": true, "fiance": true, "widow": true,
		},
	}
	for _, w := range append(lexicon.Demonyms(), lexicon.TitleQualifiers()...) {
		lx.demonyms[w] = true
	}
	lx.lists = [...]map[string]bool{lx.given, lx.surnames, lx.nonnames, lx.orgwords, lx.datewords, lx.demonyms, lx.honorific, pronouns}
	for t := range lx.titles {
		words := strings.Fields(t)
		if n := len(words); n > lx.titleLen[words[0]] {
			lx.titleLen[words[0]] = n
		}
	}
	return lx
})

// wordShape is the shape of a tok: how its letters are capitalised.
type wordShape uint8

// Word shapes of a tok.
const (
	shapeOther   wordShape = iota // digits, lower-case words that are not particles
	shapeCap                      // "Bessent", "O'Leary", "McCain", "Jean-Pierre"
	shapeInitial                  // "W.", "T.O'Brien"
	shapeUpper                    // "EADS", "U.S.", "CEO"
	shapeLower                    // "said", "von", "of"
)

// tok is one word of the text.
type tok struct {
	start, end int
	shape      wordShape
	lex        lexBits // the word lists that hold the word, of those asked about (scan.has)
	lexAsked   lexBits // the word lists asked about
	word       int32   // the word's number in the document (document.WordID) plus one; 0 until scan.has asks
	sent       int     // index of the sentence
	first      bool    // the first word of its sentence
}

// lexBits says which of the word lists hold a word, lower-cased.
type lexBits uint16

// The word lists of lexBits, in the order of wordLists.lists.
const (
	lexGiven lexBits = 1 << iota
	lexSurname
	lexNonname
	lexOrgword
	lexDateword
	lexDemonym
	lexHonorific
	lexPronoun
	lexAll = 1<<iota - 1
)

// lowerASCII appends s lower-cased in ASCII to buf (other bytes as
// they are), so map lookups need no allocation.
func lowerASCII(buf []byte, s string) []byte {
	buf = buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}

// tokenize builds the words of s from its shared tokens atoms, with
// their shapes. A word is a run of letters, digits and marks, joined across
// an apostrophe, a hyphen or a dot followed by a letter; a final dot belongs
// to an initial or a known abbreviation ("Mr.", "U.S."). A possessive 's is
// left out of the word.
func tokenize(toks []tok, s string, sents []span, atoms []text.Token) []tok {
	toks = toks[:0]
	si := 0
	for k := 0; k < len(atoms); {
		if !atoms[k].IsWord() {
			k++
			continue
		}
		head := k
		start, i := atoms[k].Start, atoms[k].End
		for k++; k < len(atoms) && !atoms[k].Space; k++ {
			a := atoms[k]
			if a.IsWord() || a.Class == text.Mark {
				i = a.End
				continue
			}
			joiner := a.Class == text.Punct && (s[a.Start] == '\'' || s[a.Start] == '-' || s[a.Start] == '.') ||
				a.Class == text.Symbol && s[a.Start:a.End] == "’"
			if joiner && k+1 < len(atoms) && !atoms[k+1].Space && (atoms[k+1].Class == text.Alpha || atoms[k+1].Class == text.Letter) {
				i = a.End
				continue
			}
			break
		}
		end := i
		// Possessive: "Bessent's", "Bessent’s".
		if w := s[start:end]; len(w) > 2 && (strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "'S")) {
			end -= 2
		} else if len(w) > 4 && strings.HasSuffix(w, "’s") {
			end -= len("’s")
		}
		if end < len(s) && s[end] == '.' && end == i && takesDot(s[start:end]) {
			end++
			k++ // the dot's token
		}
		for si < len(sents) && sents[si].End <= start {
			si++
		}
		first := si < len(sents) && (len(toks) == 0 || toks[len(toks)-1].start < sents[si].Start)
		var shape wordShape
		if a := atoms[head]; a.Class == text.Alpha && a.Start == start && a.End == end {
			shape = alphaShape[a.Case] // what shapeOf says of a word of ASCII letters
		} else {
			shape = shapeOf(s[start:end])
		}
		toks = append(toks, tok{start: start, end: end, shape: shape, sent: si, first: first})
	}
	return toks
}

// alphaShape is the shape of a word of ASCII letters alone, by its case.
var alphaShape = [...]wordShape{text.Lower: shapeLower, text.Title: shapeCap, text.Upper: shapeUpper}

// takesDot reports whether a word followed by '.' keeps the dot: an
// initial ("W"), a word with inner dots ("U.S"), or a title abbreviation.
func takesDot(w string) bool {
	if len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z' {
		return true
	}
	if strings.IndexByte(w, '.') >= 0 {
		return true
	}
	switch w {
	case "Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen", "Prof", "Lt", "Col", "Capt", "Sgt", "St", "Jr", "Sr", "Rev", "Hon", "Co", "Inc", "Corp", "Ltd", "Jan", "Feb", "Mar", "Apr", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec":
		return true
	}
	return false
}

// shapeOf classifies a word by its letters.
func shapeOf(w string) wordShape {
	r, n := utf8.DecodeRuneInString(w)
	if unicode.IsDigit(r) {
		return shapeOther
	}
	if i := strings.LastIndexByte(w, '-'); i > 0 && w[0] >= 'A' && w[0] <= 'Z' && len(w)-i > 4 && w[i+1] >= 'a' && w[i+1] <= 'z' {
		return shapeOther // "Intel-based", "Family-controlled", but not "Kim Jong-un"
	}
	if strings.HasPrefix(w, "Ex-") || strings.HasSuffix(w, "n't") || strings.HasSuffix(w, "n’t") {
		return shapeOther // "Ex-Yankee Tom Rizzo", "Anna Berg Won't"
	}
	if !unicode.IsUpper(r) {
		// "al-Assad", "d'Estaing", "bin"
		if i := strings.IndexAny(w, "-'"); i > 0 && i <= 3 && i+1 < len(w) && w[i+1] >= 'A' && w[i+1] <= 'Z' {
			return shapeCap
		}
		for _, r := range w {
			if unicode.IsDigit(r) {
				return shapeOther
			}
		}
		return shapeLower
	}
	if len(w) == n+1 && w[n] == '.' {
		return shapeInitial
	}
	if n < len(w) && w[n] == '.' && strings.ContainsAny(w[n+1:], "abcdefghijklmnopqrstuvwxyz") {
		return shapeInitial // "T.O'Brien"
	}
	hasLower := false
	for _, r := range w[n:] {
		if unicode.IsLower(r) {
			hasLower = true
		} else if unicode.IsDigit(r) {
			return shapeOther
		}
	}
	if hasLower {
		return shapeCap
	}
	return shapeUpper
}

// particles are lower-case words inside names ("von der Leyen").
var particles = map[string]bool{
	"von": true, "van": true, "der": true, "den": true, "de": true, "da": true, "del": true,
	"della": true, "di": true, "du": true, "la": true, "le": true, "bin": true, "ibn": true,
	"al": true, "el": true, "dos": true, "das": true, "ter": true, "zu": true, "y": true,
}

// suffixes follow a name and belong to it ("Jr.").
var suffixes = map[string]bool{"jr": true, "jr.": true, "sr": true, "sr.": true, "i": true, "ii": true, "iii": true, "iv": true}

// placePrefixes start a place name whose next word is no person's.
var placePrefixes = map[string]bool{"san": true, "santa": true, "los": true, "las": true, "puerto": true, "st.": true, "saint": true, "fort": true, "port": true}

// ambiguousGiven are given names that are also common words, so that at
// the start of a sentence, before another common word, they are no name:
// "Will Exports Rise", "May Day".
var ambiguousGiven = map[string]bool{
	"will": true, "may": true, "mark": true, "bill": true, "grant": true, "rose": true,
	"frank": true, "sue": true, "pat": true, "art": true, "jack": true, "ray": true,
	"dawn": true, "hope": true, "faith": true, "joy": true, "rich": true, "guy": true,
	"don": true, "gene": true, "lee": true, "bob": true, "bud": true, "chase": true,
	"drew": true, "cliff": true, "dean": true, "earl": true, "grace": true, "iris": true,
	"ivy": true, "june": true, "lily": true, "max": true, "miles": true, "nick": true,
	"penny": true, "rob": true, "rusty": true, "sandy": true, "summer": true, "victor": true,
	"wade": true, "win": true, "young": true, "christian": true, "august": true,
}

// adjectiveTitles are titles that in lower case are adjectives.
var adjectiveTitles = map[string]bool{"major": true, "general": true}

// scorecardWords are the lower-case words of a cricket scorecard around a
// player's name: "Brown b Green 4", "White c Black b Grey".
var scorecardWords = map[string]bool{"b": true, "c": true, "lbw": true, "st": true}

// beforePlace are words before a place rather than a person.
var beforePlace = map[string]bool{"in": true, "at": true, "near": true, "In": true, "At": true, "Near": true, "outside": true, "across": true}

// pronouns are never a person without a title attached ("He said").
var pronouns = map[string]bool{"he": true, "she": true, "his": true, "her": true, "him": true, "it": true, "they": true, "we": true, "i": true, "you": true}

// verdict is what is decided about a candidate name.
type verdict int

// Decisions on a candidate name, in order of certainty.
const (
	nameNo      verdict = iota // not a person
	nameUnknown                // a person only if the article names it elsewhere
	nameUnsure                 // weigh the article around it, then ask the name tagger
	nameYes                    // a person
)

// cand is one candidate name: a range of words and what is known.
type cand struct {
	lo, hi   int // word indexes, hi exclusive
	decision verdict
	role     string
	titled   bool // a title is attached
}

// scan holds the state of one Find call.
type scan struct {
	doc       *document.Document
	lx        *wordLists
	toks      []tok
	buf       []byte
	wordLex   []wordLex       // what has found of each distinct word of the document, by its number
	names     []tagger.Name   // what the name tagger found in the text
	notPerson map[string]bool // names the tagger's vote set aside
	orgs      map[string]bool // names the article uses as an organisation's or a place's
	sets      *nameSets       // the maps of the scan, empty at its start, from the scratch; nil in tests
	votes     *votes          // weighTagger's working memory, from the scratch
}

// lower returns the lower-cased word i; the result is valid until the next call.
func (s *scan) lower(i int) []byte {
	s.buf = lowerASCII(s.buf, s.word(i))
	return s.buf
}

func (s *scan) word(i int) string { return s.doc.Text[s.toks[i].start:s.toks[i].end] }

// joined reports whether words i and i+1 are separated by blanks only.
func (s *scan) joined(i int) bool {
	if i+1 >= len(s.toks) || s.toks[i].sent != s.toks[i+1].sent {
		return false
	}
	gap := s.doc.Text[s.toks[i].end:s.toks[i+1].start]
	if len(gap) == 0 || len(gap) > 3 {
		return false
	}
	for j := 0; j < len(gap); j++ {
		if gap[j] != ' ' && gap[j] != '\t' {
			return false
		}
	}
	return true
}

// is looks word i up, lower-cased, in m.
// has reports whether one of the word lists of want holds word i,
// lower-cased. Each list is looked up once per distinct word of the
// document (by its document.WordID), the first time the rules ask about
// any of its occurrences (they ask about a word several times, and news
// repeats its words); it leaves s.buf alone.
func (s *scan) has(i int, want lexBits) bool {
	t := &s.toks[i]
	if ask := want &^ t.lexAsked; ask != 0 {
		if t.word == 0 {
			t.word = int32(s.doc.WordID(t.start, t.end)) + 1
			for int(t.word) > len(s.wordLex) {
				s.wordLex = append(s.wordLex, wordLex{})
			}
		}
		w := &s.wordLex[t.word-1]
		if rest := ask &^ w.asked; rest&lexGazetteer != 0 {
			// The four lists of the tagger's gazetteer in one read.
			g := tagger.ListsOf(s.word(i))
			for _, l := range gazetteerLists {
				if g&l.in != 0 {
					w.lex |= l.bit
				}
			}
			w.asked |= lexGazetteer
		}
		if rest := ask &^ w.asked; rest != 0 {
			l := s.doc.LowerASCII(t.start, t.end)
			for ; rest != 0; rest &= rest - 1 {
				k := bits.TrailingZeros16(uint16(rest))
				if s.lx.lists[k][l] {
					w.lex |= 1 << k
				}
				w.asked |= 1 << k
			}
		}
		t.lex |= w.lex & ask
		t.lexAsked |= ask
	}
	return t.lex&want != 0
}

// lexGazetteer are the word lists the name tagger's gazetteer holds too
// (tagger.ListsOf), from the same files.
const lexGazetteer = lexGiven | lexSurname | lexNonname | lexOrgword

// gazetteerLists pairs the lists of lexGazetteer with tagger.ListsOf's.
var gazetteerLists = [...]struct {
	in  tagger.WordLists
	bit lexBits
}{{tagger.GivenName, lexGiven}, {tagger.Surname, lexSurname}, {tagger.CommonWord, lexNonname}, {tagger.OrgWord, lexOrgword}}

// wordLex is what scan.has found of a distinct word: the word lists that
// hold it, of those asked about.
type wordLex struct {
	lex, asked lexBits
}

// set returns the empty map of the scan's sets that which picks, or a new
// map when the scan has no sets.
func (s *scan) set(which func(*nameSets) map[string]bool) map[string]bool {
	if s.sets == nil {
		return map[string]bool{}
	}
	return which(s.sets)
}

// capLike reports whether word i can be part of a capitalised run.
func (s *scan) capLike(i int) bool {
	switch s.toks[i].shape {
	case shapeCap, shapeInitial:
		return true
	case shapeUpper:
		// Titles and suffixes written in capitals: "CEO", "III".
		l := s.lower(i)
		_, title := s.lx.titles[string(l)]
		return title || s.lx.titleLen[string(l)] > 0 || suffixes[string(l)]
	}
	return false
}

// titleAt returns the number of words of the longest title starting at word
// i and ending by word lim (exclusive), or 0.
func (s *scan) titleAt(i, lim int) int {
	max := s.lx.titleLen[string(s.lower(i))]
	if max == 0 {
		return 0
	}
	for n := min(max, lim-i); n >= 1; n-- {
		b := s.buf[:0]
		ok := true
		for k := i; k < i+n; k++ {
			if k > i {
				if !s.joined(k - 1) {
					ok = false
					break
				}
				b = append(b, ' ')
			}
			w := s.word(k)
			for j := 0; j < len(w); j++ {
				c := w[j]
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				b = append(b, c)
			}
		}
		s.buf = b
		if !ok {
			continue
		}
		if anyCase, found := s.lx.titles[string(b)]; found && (anyCase || s.toks[i].shape == shapeLower || s.toks[i].first) {
			return n
		}
	}
	return 0
}

// Find returns the PERSON mentions of doc.
func Find(doc *document.Document) []trawl.Mention {
	buf := scratchPool.Get().(*scratch)
	ms, _ := find(nil, doc, buf)
	buf.release()
	return ms
}

// FindNames returns the PERSON mentions of doc followed by its
// ORGANIZATION and LOCATION mentions: the names the tagger gives those types
// that overlap no person.
func FindNames(doc *document.Document) []trawl.Mention {
	return AppendNames(nil, doc)
}

// AppendNames appends the mentions FindNames returns to dst and returns
// the extended slice, so that a caller gathering the mentions of several
// extractors in a buffer of its own makes no slice for these.
func AppendNames(dst []trawl.Mention, doc *document.Document) []trawl.Mention {
	base := len(dst)
	buf := scratchPool.Get().(*scratch)
	defer buf.release()
	ms, names := find(dst, doc, buf)
	people := len(ms)
	// scan.mentions made room for the organisations and places when it
	// found people.
	ms = slices.Grow(ms, placeNames(names))
	pi := base // the people are sorted by Start, like the names
	for _, n := range names {
		for pi < people && ms[pi].End <= n.Start {
			pi++
		}
		var k trawl.Kind
		switch n.Type {
		case tagger.Organization:
			k = trawl.Organization
		case tagger.Location:
			k = trawl.Location
		default:
			continue
		}
		if overlapsMention(ms[pi:people], n.Start, n.End) || n.Start > 0 && (doc.Text[n.Start-1] == '#' || doc.Text[n.Start-1] == '@') {
			continue // a person's, or a hashtag or handle
		}
		ms = append(ms, trawl.Mention{Type: k, Start: n.Start, End: n.End, Text: doc.Text[n.Start:n.End]})
	}
	return ms
}

// placeNames counts the organisations and locations of names.
func placeNames(names []tagger.Name) int {
	n := 0
	for _, nm := range names {
		if nm.Type == tagger.Organization || nm.Type == tagger.Location {
			n++
		}
	}
	return n
}

// overlapsMention reports whether [start, end) overlaps one of ms, which
// are sorted by Start and do not overlap one another.
func overlapsMention(ms []trawl.Mention, start, end int) bool {
	for _, m := range ms {
		if m.Start >= end {
			return false
		}
		if start < m.End {
			return true
		}
	}
	return false
}

// scratch is the working memory of a scan that outlives it, for reuse.
type scratch struct {
	toks    []tok
	cands   []cand
	buf     []byte
	wordLex []wordLex
	names   []tagger.Name
	votes   votes
	sets    nameSets
}

// nameSets are the maps of names a scan fills, kept empty between scans
// so that each article does not make and grow them again.
type nameSets struct {
	alone, known, orgs, notPerson map[string]bool
	byLast, byFirst, fullRole     map[string]string
}

// newNameSets returns empty name sets.
func newNameSets() nameSets {
	return nameSets{alone: map[string]bool{}, known: map[string]bool{}, orgs: map[string]bool{}, notPerson: map[string]bool{},
		byLast: map[string]string{}, byFirst: map[string]string{}, fullRole: map[string]string{}}
}

// reset empties the sets; it reports false when one grew past what is
// worth keeping (then the sets are better made anew).
func (n *nameSets) reset() bool {
	if max(len(n.alone), len(n.known), len(n.orgs), len(n.notPerson), len(n.byLast), len(n.byFirst), len(n.fullRole)) > 1<<10 {
		return false
	}
	clear(n.alone)
	clear(n.known)
	clear(n.orgs)
	clear(n.notPerson)
	clear(n.byLast)
	clear(n.byFirst)
	clear(n.fullRole)
	return true
}

// votes is the working memory of scan.weighTagger: the tagger's votes by
// name, their arrays and the type of each candidate.
type votes struct {
	byName map[string]*[5]int
	counts [][5]int
	types  []tagger.Type
}

// scratchPool recycles the word and candidate slices of scans.
var scratchPool = sync.Pool{New: func() any { return &scratch{sets: newNameSets()} }}

// release puts b back in scratchPool; it and what find returned from it
// (the names) must not be used afterwards.
func (b *scratch) release() {
	if cap(b.toks) <= 1<<16 && cap(b.cands) <= 1<<14 && cap(b.names) <= 1<<14 && cap(b.votes.counts) <= 1<<12 && cap(b.wordLex) <= 1<<16 && b.sets.reset() { // keep big slices and maps out of the pool
		b.toks, b.cands, b.buf, b.wordLex, b.names = b.toks[:0], b.cands[:0], b.buf[:0], b.wordLex[:0], b.names[:0]
		clear(b.votes.byName)
		scratchPool.Put(b)
	}
}

// find returns the PERSON mentions of doc appended to dst, and the
// tagger's names, which live in buf: the scan's working memory, kept in
// buf for the caller to release.
func find(dst []trawl.Mention, doc *document.Document, buf *scratch) ([]trawl.Mention, []tagger.Name) {
	s := &scan{doc: doc, lx: loadLexicon(), toks: tokenize(buf.toks, doc.Text, doc.Sentences, doc.Tokens), buf: buf.buf, wordLex: buf.wordLex[:0], votes: &buf.votes, sets: &buf.sets}
	cands := buf.cands[:0]
	defer func() {
		buf.toks, buf.cands, buf.buf, buf.wordLex, buf.names = s.toks, cands, s.buf, s.wordLex, s.names
	}()
	s.names = tagger.AppendNames(buf.names[:0], doc.Text, doc.Tokens)
	for i := 0; i < len(s.toks); {
		if !s.capLike(i) {
			i++
			continue
		}
		j := i + 1
		for j < len(s.toks) && s.joined(j-1) {
			if s.capLike(j) {
				j++
				continue
			}
			// Particles and "of" continue a run when a capital follows.
			if s.toks[j].shape == shapeLower && j+1 < len(s.toks) && s.joined(j) {
				l := string(s.lower(j))
				next := j + 1
				if l == "of" && s.word(next) == "the" && next+1 < len(s.toks) && s.joined(next) {
					next++
				}
				// "von der Leyen"
				for particles[l] && particles[s.word(next)] && next+1 < len(s.toks) && s.joined(next) {
					next++
				}
				if (particles[l] || l == "of") && s.capLike(next) {
					j = next + 1
					continue
				}
			}
			break
		}
		cands = s.runCandidates(cands, i, j)
		i = j
	}
	s.decideUnsure(cands)
	cands = s.weighTagger(cands)
	return s.mentions(dst, cands), s.names
}

// runCandidates appends the candidate names of the run of words [lo, hi).
func (s *scan) runCandidates(cands []cand, lo, hi int) []cand {
	// The last title of the run that leaves words after it.
	tStart, tEnd := -1, -1
	for i := lo; i < hi-1; {
		if n := s.titleAt(i, hi); n > 0 {
			if i+n < hi && !suffixes[string(s.lower(i+n))] { // not "King Jr."
				tStart, tEnd = i, i+n
			}
			i += n
			continue
		}
		i++
	}
	from := lo
	role, titled := "", false
	if tStart >= 0 {
		from, titled = tEnd, true
		if !s.has(tStart, lexHonorific) || tEnd-tStart > 1 {
			role = s.roleBefore(lo, tStart, tEnd)
		}
		if tEnd < hi && string(s.lower(tEnd)) == "of" {
			return s.ofTitleName(cands, role, tEnd, hi)
		}
	} else if r, ok := s.lowerTitleBefore(lo); ok {
		titled, role, tEnd = true, r, lo
	}
	// Organisation and date words, demonyms and connectors split the rest
	// into segments: "Acme Corp. Jane Smith", "Xi Jinping Thursday".
	for k := from; k <= hi; k++ {
		if k < hi {
			if l := s.lower(k); !(s.has(k, lexOrgword|lexDateword) || k > from && s.has(k, lexDemonym) || string(l) == "of" || string(l) == "the") {
				continue
			}
		}
		if k > from {
			c := cand{lo: from, hi: k, role: role, titled: titled && from == tEnd}
			if c.titled || !s.orgFollows(k) {
				cands = s.segmentCandidate(cands, c)
			} else if j := s.headlineBreak(c); j > c.lo {
				// A title-case headline: the organisation's name starts
				// after its last common word, and the words before that are
				// a candidate ("Mary Rich Checks Into Anna Berg Clinic").
				cands = s.segmentCandidate(cands, cand{lo: c.lo, hi: j, role: c.role})
				s.orgName(cand{lo: j + 1, hi: c.hi})
			} else {
				s.orgName(c)
			}
		} else if titled && k == from {
			return cands // "Justice Department", "Vice Premier" alone
		}
		from = k + 1
		if k < hi && placePrefixes[string(s.lower(k))] {
			from = k + 2 // "San Diego Padres", "Los Angeles"
		}
		if from > tEnd {
			// Only the words right after a title take its role.
			role = ""
		}
	}
	return cands
}

// headlineBreak returns the last capitalised common word of candidate c
// when words that are not common come before it and words follow it (the
// verb or preposition of a title-case headline between a name and an
// organisation's name), or -1.
func (s *scan) headlineBreak(c cand) int {
	for j := c.hi - 2; j > c.lo; j-- {
		if s.toks[j].shape != shapeCap || !s.commonWord(j) {
			continue
		}
		for k := c.lo; k < j; k++ {
			if s.toks[k].shape == shapeCap && !s.commonWord(k) {
				return j
			}
		}
		return -1
	}
	return -1
}

// ofTitleName finds the name after a title whose complement starts with
// "of" at word of and runs on in capitals to the end of the run at word hi
// ("President of the United States Barack Obama"). Where the complement ends
// is not written, so the name is taken to start at the first known given
// name after at least one word of the complement and to have at least two
// words; the complement joins the role. Without such a given name the run
// is a title alone ("Bank of England Governor" is left to other rules).
func (s *scan) ofTitleName(cands []cand, role string, of, hi int) []cand {
	if hi < len(s.toks) && s.capLike(hi) && strings.TrimSpace(s.doc.Text[s.toks[hi-1].end:s.toks[hi].start]) == "" {
		return cands // the run goes on past a line break: "the Christian Social\nUnion"
	}
	for j := of + 2; j+1 < hi; j++ {
		if s.toks[j].shape != shapeCap || !s.has(j, lexGiven) {
			continue
		}
		for k := j; k < hi; k++ {
			if s.has(k, lexOrgword) {
				return cands
			}
		}
		if role != "" {
			role += s.doc.Text[s.toks[of-1].end:s.toks[j-1].end]
		}
		return s.segmentCandidate(cands, cand{lo: j, hi: hi, role: role, titled: true})
	}
	return cands
}

// orgName notes that the article uses the name of candidate c as an
// organisation's or a place's, so that no weak evidence elsewhere makes it
// a person.
func (s *scan) orgName(c cand) {
	if c.lo >= c.hi {
		return
	}
	if s.orgs == nil {
		s.orgs = s.set(func(n *nameSets) map[string]bool { return n.orgs })
	}
	s.orgs[s.nameText(c)] = true
}

// orgFollows reports whether the segment ending before word k is an
// organisation's or a place's name: an organisation word follows it
// ("Charles de Gaulle airport", "Northrop Grumman Corp").
func (s *scan) orgFollows(k int) bool {
	end := s.toks[k-1].end
	if rest := strings.TrimLeft(s.doc.Text[end:min(len(s.doc.Text), end+3)], " "); strings.HasPrefix(rest, "&") {
		return true // "Baker & Hollis", "Thomas R. Price & Co"
	}
	if k+1 < len(s.toks) && s.word(k) == "and" && s.joined(k-1) {
		switch s.word(k + 1) {
		case "Co", "Co.", "Sons":
			return true // "James Capel and Co", "John Wiley and Sons"
		}
	}
	return k < len(s.toks) && s.joined(k-1) && s.has(k, lexOrgword)
}

// segmentCandidate trims candidate c, decides it and appends it.
func (s *scan) segmentCandidate(cands []cand, c cand) []cand {
	if !c.titled {
		// Leading common words: "Meanwhile", "Analysts", "Yesterday"; a
		// lone common word stays for the article-level pass ("said Nantes").
		for c.lo < c.hi-1 && s.commonWord(c.lo) {
			c.lo++
		}
		// A capitalised common word before a given name is a role: "Senior
		// Trooper John Doe", "Famous Film Star Jane Doe". In a title-case
		// headline it separates two names instead, and the words before it
		// are a candidate of their own: "Mary Rich Leaves Anna Berg", "Mary
		// Rich Checks Into Anna Berg Clinic".
		for k := c.lo + 1; k < c.hi; k++ {
			if s.has(k, lexGiven) && s.toks[k-1].shape == shapeCap && s.commonWord(k-1) {
				head := k - 1
				for head > c.lo && s.commonWord(head-1) {
					head--
				}
				if head > c.lo {
					cands = s.segmentCandidate(cands, cand{lo: c.lo, hi: head, role: c.role})
					c.role = ""
				}
				c.lo = k
				break
			}
		}
	}
	// A common word inside ends the name, as in a headline: "Mary Rich
	// Checks Into Clinic", "Director Anna Berg Still In Talks"; a
	// two-word name may end in one ("Tom Little", "Mary Rich").
	for k := c.lo + 2; k < c.hi; k++ {
		if s.toks[k].shape != shapeLower && s.commonWord(k) && !suffixes[string(s.lower(k))] {
			c.hi = k
			break
		}
	}
	for c.lo < c.hi && s.toks[c.lo].shape == shapeLower {
		c.lo++
	}
	for c.hi > c.lo && s.toks[c.hi-1].shape == shapeLower {
		c.hi--
	}
	if c.lo >= c.hi {
		return cands
	}
	c.decision = s.decide(&c)
	if c.decision == nameNo {
		return cands
	}
	if c.role == "" {
		if r := s.roleAfter(c.hi); r != "" {
			c.role = r
			if c.decision < nameYes && !s.has(c.lo, lexPronoun) {
				c.decision = nameYes
			}
		}
	}
	return append(cands, c)
}

// commonWord reports whether word i is a common word, a demonym or an
// organisation word and no known name.
func (s *scan) commonWord(i int) bool {
	if s.has(i, lexGiven|lexSurname) {
		return false
	}
	return s.has(i, lexNonname|lexDemonym|lexOrgword|lexDateword|lexPronoun)
}

// decide weighs the evidence for candidate c. The rules are tried in this
// order and the first that applies decides.
func (s *scan) decide(c *cand) verdict {
	n := c.hi - c.lo
	first := string(s.lower(c.lo))
	switch {
	case n == 1 && s.toks[c.lo].shape == shapeInitial:
		return s.decideLoneInitial(c)
	case c.titled:
		return s.decideTitled(c, first)
	case pronouns[first] && n == 1:
		return nameNo
	case s.scorecard(c):
		return nameYes
	case n == 1 && s.leadsOffice(c):
		c.titled = true // the office is its title: no vote of the tagger undoes it
		return nameYes
	case n == 1:
		return nameUnknown
	case !s.lx.given[first] && s.pluralNoun(c.hi-1):
		s.orgName(*c)
		return nameNo // "Boston Pilgrims", "Carter Communications", "Royal Gardens"
	}
	return s.decideRun(c, first)
}

// officeNouns, after "the" and a surname, name what a person leads: "the
// Berg campaign", "the Berg administration", "the Berg presidency".
var officeNouns = map[string]bool{"administration": true, "presidency": true, "campaign": true}

// leadsOffice reports whether the single word of candidate c stands
// between "the" and an office noun written in lower case, and is no common
// word, demonym or country.
func (s *scan) leadsOffice(c *cand) bool {
	if c.lo == 0 || c.hi >= len(s.toks) || !s.joined(c.lo-1) || !s.joined(c.lo) {
		return false
	}
	if l := s.word(c.lo - 1); l != "the" && l != "The" || !officeNouns[s.word(c.hi)] {
		return false
	}
	return s.toks[c.lo].shape == shapeCap && !s.commonWord(c.lo) && !s.isCountry(c.lo)
}

// decideLoneInitial decides a candidate that is a single word written as
// initials: a person when it is longer than three bytes ("T.O'Brien"),
// else no name ("W.").
func (s *scan) decideLoneInitial(c *cand) verdict {
	if len(s.word(c.lo)) > 3 {
		return nameYes
	}
	return nameNo
}

// decideTitled decides a candidate after a title: a person, unless it is a
// single common word ("General Motors") or starts with a demonym.
func (s *scan) decideTitled(c *cand, first string) verdict {
	if c.hi-c.lo == 1 && s.lx.nonnames[first] && !s.lx.given[first] && !s.lx.surnames[first] {
		return nameNo // "General Motors"
	}
	if s.lx.demonyms[first] {
		return nameNo
	}
	return nameYes
}

// decideRun decides a run of several capitalised words with no title from
// the given names, initials, surnames and common words in it.
func (s *scan) decideRun(c *cand, first string) verdict {
	common := 0
	for k := c.lo; k < c.hi; k++ {
		if suffixes[string(s.lower(k))] {
			continue
		}
		if s.commonWord(k) {
			common++
		}
	}
	_, last := s.nameEnds(*c)
	switch {
	case s.runGivenFirst(c, first, last):
		return nameYes
	case s.runInitialFirst(c, last):
		return nameYes
	case s.lx.given[first] && s.has(last, lexSurname):
		return nameYes // a given name and a surname: "Mark Carney"
	case common == 0:
		return s.decideRunOfNames(c, last)
	}
	return nameUnknown
}

// runGivenFirst reports whether the run starts with a given name and either
// ends in no common word, does not start the sentence, or starts with a
// given name that is not also a common word ("John Smith"; not "May Day"
// at the start of a sentence).
func (s *scan) runGivenFirst(c *cand, first string, last int) bool {
	return s.lx.given[first] && (!s.commonWord(last) || !s.toks[c.lo].first || !ambiguousGiven[first])
}

// runInitialFirst reports whether the run starts with initials, ends in no
// common word and does not follow an ampersand ("J.K. Rowling"; not "AT&T
// Wireless").
func (s *scan) runInitialFirst(c *cand, last int) bool {
	return s.toks[c.lo].shape == shapeInitial && !s.commonWord(last) && (s.toks[c.lo].start == 0 || s.doc.Text[s.toks[c.lo].start-1] != '&')
}

// decideRunOfNames decides a run with no common word: a person when it
// ends in a known surname, a place after a preposition of place ("in San
// Francisco"), an organisation after a lower-case organisation word ("bank
// Goldman Sachs"), else unsure.
func (s *scan) decideRunOfNames(c *cand, last int) verdict {
	switch {
	case s.has(last, lexSurname):
		return nameYes
	case c.lo > 0 && s.joined(c.lo-1) && beforePlace[s.word(c.lo-1)]:
		return nameUnknown // "in San Francisco", "at Royal Leamington Spa"
	case c.lo > 0 && s.joined(c.lo-1) && s.toks[c.lo-1].shape == shapeLower && s.has(c.lo-1, lexOrgword):
		s.orgName(*c)
		return nameUnknown // "bank Goldman Sachs", "newspaper Nihon Keizai Shimbun"
	}
	return nameUnsure
}

// pluralNoun reports whether word i is the plural of a common noun, an
// organisation word or a demonym and no known name: the last word of a team
// or company name rather than a surname.
func (s *scan) pluralNoun(i int) bool {
	w := s.word(i)
	if len(w) < 4 || w[len(w)-1] != 's' || s.toks[i].shape != shapeCap {
		return false
	}
	l := string(s.lower(i))
	if s.lx.surnames[l] || s.lx.given[l] {
		return false
	}
	one := l[:len(l)-1]
	return s.lx.nonnames[one] || s.lx.orgwords[one] || s.lx.demonyms[one]
}

// scorecard reports whether candidate c stands in a cricket scorecard:
// next to "b", "c", "lbw" or "st", or before bowling figures ("Grey
// 2-0-23-0").
func (s *scan) scorecard(c *cand) bool {
	if c.lo > 0 && s.joined(c.lo-1) && scorecardWords[s.word(c.lo-1)] {
		return true
	}
	if c.hi < len(s.toks) && s.joined(c.hi-1) {
		if scorecardWords[s.word(c.hi)] {
			return true
		}
		if w := s.word(c.hi); strings.Count(w, "-") == 3 && w[0] >= '0' && w[0] <= '9' {
			return true
		}
	}
	return false
}

// roleBefore returns the role of the title [tStart, tEnd) of the run that
// starts at word lo: the title with an organisation before it when that
// ends in an organisation word ("National Economic Council Director").
func (s *scan) roleBefore(lo, tStart, tEnd int) string {
	from := tStart
	if tStart > lo && s.has(tStart-1, lexOrgword) {
		from = tStart - 1
		for from > lo {
			if s.has(from-1, lexDemonym) || s.toks[from-1].first && s.commonWord(from-1) && !s.has(from-1, lexOrgword) {
				break
			}
			from--
		}
	}
	return s.doc.Text[s.toks[from].start:s.toks[tEnd-1].end]
}

// lowerTitleBefore reports whether a role written in lower case comes just
// before word lo ("analyst Paul Nesbit", "off-spinner Grant", "his wife
// Portia") and returns it; kin words give no role.
func (s *scan) lowerTitleBefore(lo int) (string, bool) {
	if lo == 0 || !s.joined(lo-1) {
		return "", false
	}
	for k := max(0, lo-3); k < lo; k++ {
		if s.toks[k].sent != s.toks[lo].sent {
			continue
		}
		if n := s.titleAt(k, lo); n == lo-k {
			if n == 1 && s.toks[k].shape == shapeLower && adjectiveTitles[s.word(k)] {
				return "", false // "a major Hong Kong-listed company"
			}
			if s.has(k, lexHonorific) {
				return "", true
			}
			return s.doc.Text[s.toks[k].start:s.toks[lo-1].end], true
		}
	}
	return "", false
}

// roleAfter returns the role of an apposition after the name ending before
// word hi: ", director of the National Economic Council," or ", the Treasury
// Secretary".
func (s *scan) roleAfter(hi int) string {
	if hi >= len(s.toks) || s.toks[hi].sent != s.toks[hi-1].sent {
		return ""
	}
	gap := strings.TrimSpace(s.doc.Text[s.toks[hi-1].end:s.toks[hi].start])
	if gap != "," {
		return ""
	}
	k := hi
	if l := string(s.lower(k)); l == "the" || l == "a" || l == "an" || l == "its" {
		k++
	}
	for k < len(s.toks) && s.toks[k].sent == s.toks[hi].sent && s.has(k, lexDemonym) {
		k++
	}
	if k >= len(s.toks) || s.toks[k].sent != s.toks[hi].sent || s.has(k, lexHonorific) {
		return ""
	}
	n := s.titleAt(k, min(len(s.toks), k+4))
	if n == 0 || k+n < len(s.toks) && s.joined(k+n-1) && s.toks[k+n].shape == shapeCap {
		return "" // ", Spanish Defence Minister Ana Ortiz": a new person
	}
	// The role runs to the end of the clause, within a few words.
	end := k + n
	for end < len(s.toks) && end < k+n+6 && s.joined(end-1) {
		l := string(s.lower(end))
		if l == "who" || l == "said" || l == "says" || l == "told" || l == "and" || l == "which" || l == "was" || l == "is" || l == "in" {
			break
		}
		if s.toks[end].shape == shapeOther {
			break
		}
		end++
	}
	if end < len(s.toks) && s.joined(end-1) && end == k+n+6 {
		end = k + n // too long to be a role phrase
	}
	for end > k+n && s.toks[end-1].shape == shapeLower && s.has(end-1, lexNonname) {
		if l := string(s.lower(end - 1)); l == "of" || l == "the" || l == "for" {
			end--
			continue
		}
		break
	}
	return s.doc.Text[s.toks[k].start:s.toks[end-1].end]
}

// decideUnsure decides the unsure candidates from their context in the
// article, and asks the name tagger about those the context leaves open.
func (s *scan) decideUnsure(cands []cand) {
	var alone map[string]bool // words that are a candidate on their own
	for ci := range cands {
		c := &cands[ci]
		if c.decision != nameUnsure {
			continue
		}
		if alone == nil {
			alone = s.set(func(n *nameSets) map[string]bool { return n.alone })
			for _, d := range cands {
				if d.hi-d.lo == 1 {
					alone[s.word(d.lo)] = true
				}
			}
		}
		if s.orgs[s.nameText(*c)] {
			c.decision = nameUnknown
			continue
		}
		if score := s.contextScore(cands, ci, alone); score != 0 {
			if score > 0 {
				c.decision = nameYes
			} else {
				c.decision = nameUnknown
			}
			continue
		}
		c.decision = nameUnknown
		if s.taggedAs(c) == tagger.Person {
			c.decision = nameYes
		}
	}
}

// contextScore weighs what the article says around an unsure candidate: a
// positive score for a person, negative for an organisation or place, zero
// when it says nothing.
func (s *scan) contextScore(cands []cand, ci int, alone map[string]bool) int {
	c := &cands[ci]
	score := 0
	first, last := s.nameEnds(*c)
	// People are referred to later by surname, organisations by their
	// first word: "Anna Berg ... Berg", "Acme Widgets ... Acme".
	if last > first && alone[s.word(last)] {
		score += 2
	}
	if last > first && alone[s.word(first)] {
		score -= 2
	}
	end := s.toks[c.hi-1].end
	sentEnd := len(s.doc.Text)
	if si := s.toks[c.lo].sent; si < len(s.doc.Sentences) {
		sentEnd = s.doc.Sentences[si].End
	}
	rest := strings.TrimLeft(s.doc.Text[end:sentEnd], " ")
	switch {
	case strings.HasPrefix(rest, "("):
		// A results list gives a person's country in brackets: "Ana Silva
		// ( Brazil ) 61.20 metres".
		score += 2
	case strings.HasPrefix(rest, ","):
		// An age: "Jane Doe, 33, who".
		r := strings.TrimLeft(rest[1:], " ")
		if len(r) > 2 && r[0] >= '1' && r[0] <= '9' && r[1] >= '0' && r[1] <= '9' && (len(r) == 2 || r[2] == ' ' || r[2] == ',') {
			score += 2
		}
	}
	// A name listed next to a name: "Anna Berg and Mary Rich".
	for _, d := range []int{ci - 1, ci + 1} {
		if d < 0 || d >= len(cands) || cands[d].decision != nameYes || cands[d].hi-cands[d].lo < 2 {
			continue
		}
		a, b := cands[min(ci, d)], cands[max(ci, d)]
		switch strings.TrimSpace(s.doc.Text[s.toks[a.hi-1].end:s.toks[b.lo].start]) {
		case ",", "and", ", and", "or":
			score++
		}
	}
	if c.hi < len(s.toks) && s.joined(c.hi-1) && sayVerbs[s.word(c.hi)] ||
		c.lo > 0 && s.joined(c.lo-1) && sayVerbs[s.word(c.lo-1)] {
		score++
	}
	return score
}

// saysNext reports whether a verb of saying stands right before or after
// candidate c ("Berg said", "said Berg."); a verb before it counts only
// when punctuation follows the name (not "said Acme's results").
func (s *scan) saysNext(c *cand) bool {
	if c.hi < len(s.toks) && s.joined(c.hi-1) && sayVerbs[s.word(c.hi)] {
		return true
	}
	if c.lo == 0 || !s.joined(c.lo-1) || !sayVerbs[s.word(c.lo-1)] {
		return false
	}
	end := s.toks[c.hi-1].end
	return end == len(s.doc.Text) || strings.IndexByte(",.;:", s.doc.Text[end]) >= 0
}

// inOtherName reports whether word w is a word of a name the article uses
// for an organisation or a place: one the rules set aside as such, or one
// the tagger gives another type than a person's ("Acme said" after "Acme
// Corp").
func (s *scan) inOtherName(w string) bool {
	for name := range s.orgs {
		if containsWord(name, w) {
			return true
		}
	}
	for _, n := range s.names {
		if n.Type != tagger.Person && containsWord(s.doc.Text[n.Start:n.End], w) {
			return true
		}
	}
	return false
}

// containsWord reports whether w stands in name as a whole word.
func containsWord(name, w string) bool {
	for i := 0; ; {
		k := strings.Index(name[i:], w)
		if k < 0 {
			return false
		}
		k += i
		end := k + len(w)
		if (k == 0 || !isLetter(name[k-1])) && (end == len(name) || !isLetter(name[end])) {
			return true
		}
		i = k + 1
	}
}

// isLetter reports whether byte c is an ASCII letter or part of a
// multi-byte character.
func isLetter(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// sayVerbs are verbs of saying next to a name.
var sayVerbs = map[string]bool{"said": true, "says": true, "told": true, "added": true, "explained": true, "wrote": true, "argued": true, "insisted": true, "recalled": true, "stated": true}

// mentions turns the candidates into mentions: a name decided a person
// anywhere in the article is a person everywhere in it, and each mention's
// Entity is the longest full name it is part of. It appends them to dst.
func (s *scan) mentions(dst []trawl.Mention, cands []cand) []trawl.Mention {
	known := s.set(func(n *nameSets) map[string]bool { return n.known })
	for _, c := range cands {
		if c.decision == nameYes {
			known[s.nameText(c)] = true
		}
	}
	if len(known) == 0 {
		return dst
	}
	pn := personNames{known: known}
	if s.sets != nil {
		pn.byLast, pn.byFirst, pn.fullRole = s.sets.byLast, s.sets.byFirst, s.sets.fullRole
	} else {
		pn.byLast, pn.byFirst, pn.fullRole = map[string]string{}, map[string]string{}, map[string]string{}
	}
	s.indexPersonNames(cands, &pn)
	// One allocation for the people and the organisations and places
	// FindNames adds after them (at most one mention a candidate).
	base := len(dst)
	out := slices.Grow(dst, len(cands)+placeNames(s.names))
	for _, c := range cands {
		name := s.nameText(c)
		if c.decision != nameYes && !s.personElsewhere(c, name, &pn) {
			continue
		}
		out = append(out, trawl.Mention{
			Type:   trawl.Person,
			Start:  s.toks[c.lo].start,
			End:    s.toks[c.hi-1].end,
			Text:   name,
			Role:   c.role,
			Entity: s.personEntity(c, name, &pn),
		})
	}
	if upper := s.upperMentions(out[base:]); len(upper) > 0 {
		out = append(out, upper...)
		slices.SortStableFunc(out[base:], func(p, q trawl.Mention) int { return p.Start - q.Start })
	}
	return out
}

// personNames are the names of one article decided a person, for tying
// the other mentions to them.
type personNames struct {
	known    map[string]bool   // the text of every candidate decided a person
	byLast   map[string]string // last word -> the longest multi-word name ending in it
	byFirst  map[string]string // first word -> the longest multi-word name starting with it
	fullRole map[string]string // name -> the role of its first mention decided a person
}

// indexPersonNames fills pn with the roles of the candidates decided a
// person and indexes their multi-word names by their first and last words.
// (The caller makes the maps, so that they can stay on its stack.)
func (s *scan) indexPersonNames(cands []cand, pn *personNames) {
	for _, c := range cands {
		if c.decision != nameYes {
			continue
		}
		full := s.nameText(c)
		if pn.fullRole[full] == "" {
			pn.fullRole[full] = c.role
		}
		first, last := s.nameEnds(c)
		if first == last {
			continue
		}
		if cur, ok := pn.byLast[s.word(last)]; !ok || len(full) > len(cur) {
			pn.byLast[s.word(last)] = full
		}
		if cur, ok := pn.byFirst[s.word(first)]; !ok || len(full) > len(cur) {
			pn.byFirst[s.word(first)] = full
		}
	}
}

// personElsewhere reports whether candidate c, not decided a person
// itself, is a person because of the rest of the article: its name was
// decided a person elsewhere, or it is a single word that is the surname of
// a person, or a given name that is the first name of one; a pronoun never
// is.
func (s *scan) personElsewhere(c cand, name string, pn *personNames) bool {
	if s.notPerson[name] {
		return false
	}
	if !pn.known[name] && (c.hi-c.lo != 1 || pn.byLast[name] == "" && (pn.byFirst[name] == "" || !s.has(c.lo, lexGiven))) {
		return false
	}
	return !s.has(c.lo, lexPronoun)
}

// personEntity is the full name that mention c of text name refers to: for
// a single word, the longest name it is the surname of (unless their roles
// contradict) or else the first name of; for several words, the longest
// other name that ends in its last word and starts with its first word
// ("George Bush" -> "George W. Bush"); else the name itself.
func (s *scan) personEntity(c cand, name string, pn *personNames) string {
	if c.hi-c.lo == 1 {
		if full := pn.byLast[name]; full != "" && !roleContradicts(c.role, pn.fullRole[full]) {
			return full
		}
		if full := pn.byFirst[name]; full != "" {
			return full
		}
		return name
	}
	first, last := s.nameEnds(c)
	if full := pn.byLast[s.word(last)]; full != "" && full != name && strings.HasPrefix(full, s.word(first)) {
		return full // "George Bush" -> "George W. Bush"
	}
	return name
}

// roleContradicts reports whether a surname mention's role rules out
// the full name of the same article whose role is fullRole.
func roleContradicts(role, fullRole string) bool {
	return lexicon.HeadTitle(role) && !strings.EqualFold(role, fullRole)
}

// upperMentions finds the people of ms again in words written in capitals,
// as in a headline: "SMITH NAMED AS CLUB CAPTAIN", "MARIA LOPEZ".
func (s *scan) upperMentions(ms []trawl.Mention) []trawl.Mention {
	var names map[string]string // lower-cased name or surname -> entity, made at the first word in capitals
	var out []trawl.Mention
	for i := 0; i < len(s.toks); i++ {
		if s.toks[i].shape != shapeUpper || len(s.word(i)) < 3 || strings.IndexByte(s.word(i), '.') >= 0 {
			continue
		}
		if names == nil {
			names = map[string]string{}
			for _, m := range ms {
				names[strings.ToLower(m.Text)] = m.Entity
				if i := strings.LastIndexByte(m.Entity, ' '); i > 0 {
					names[strings.ToLower(m.Entity[i+1:])] = m.Entity
				}
				names[strings.ToLower(m.Entity)] = m.Entity
			}
		}
		n := 1
		if i+1 < len(s.toks) && s.joined(i) && s.toks[i+1].shape == shapeUpper {
			if _, ok := names[s.doc.Lower(s.toks[i].start, s.toks[i+1].end)]; ok {
				n = 2
			}
		}
		text := s.doc.Text[s.toks[i].start:s.toks[i+n-1].end]
		entity, ok := names[s.doc.Lower(s.toks[i].start, s.toks[i+n-1].end)]
		if !ok {
			continue
		}
		out = append(out, trawl.Mention{Type: trawl.Person, Start: s.toks[i].start, End: s.toks[i+n-1].end, Text: text, Entity: entity})
		i += n - 1
	}
	return out
}

// nameText is the text of candidate c.
func (s *scan) nameText(c cand) string {
	return s.doc.Text[s.toks[c.lo].start:s.toks[c.hi-1].end]
}

// nameEnds returns the first and last words of c's name, the last before
// any suffix ("Jr.").
func (s *scan) nameEnds(c cand) (first, last int) {
	last = c.hi - 1
	for last > c.lo && suffixes[string(s.lower(last))] {
		last--
	}
	return c.lo, last
}

// lineWindow bounds how far listed looks either side of a candidate.
const lineWindow = 160

// listed reports whether candidate c stands in a list, a table or a
// results line: an opening bracket right after it ("Silva ( Brazil )"),
// or a line of at least two numbers and at most two lower-case words
// ("Berg 2 Rich 1", "1. Silva 61.20"), not a number in prose ("Airbus
// A380", "Acme 737 jets").
func (s *scan) listed(c *cand) bool {
	t := s.doc.Text
	end := s.toks[c.hi-1].end
	if after := strings.TrimLeft(t[end:min(len(t), end+4)], " "); after != "" && after[0] == '(' {
		return true
	}
	// The line around it, within a window, so that a text of one long line
	// costs no more than one of many.
	from := max(0, s.toks[c.lo].start-lineWindow)
	lineStart := from + strings.LastIndexByte(t[from:s.toks[c.lo].start], '\n') + 1
	lineEnd := min(len(t), end+lineWindow)
	if k := strings.IndexByte(t[end:lineEnd], '\n'); k >= 0 {
		lineEnd = end + k
	}
	numbers, lower := 0, 0
	for w := range strings.FieldsSeq(t[lineStart:lineEnd]) {
		switch {
		case w[0] >= '0' && w[0] <= '9':
			numbers++
		case w[0] >= 'a' && w[0] <= 'z':
			lower++
		}
	}
	return numbers >= 2 && lower <= 2
}

// taggedAs returns the type the name tagger gives the words of candidate c:
// the type of the tagger's name that overlaps it, or 0 when none does.
func (s *scan) taggedAs(c *cand) tagger.Type {
	n, ok := s.taggerName(s.toks[c.lo].start, s.toks[c.hi-1].end)
	if !ok {
		return 0
	}
	return n.Type
}

// taggerName returns the first of the tagger's names that overlaps
// [start, end).
func (s *scan) taggerName(start, end int) (tagger.Name, bool) {
	i, _ := slices.BinarySearchFunc(s.names, start, func(n tagger.Name, pos int) int {
		if n.End <= pos {
			return -1
		}
		return 1
	})
	if i < len(s.names) && s.names[i].Start < end {
		return s.names[i], true
	}
	return tagger.Name{}, false
}

// isCountry reports whether word i names a country, bloc or region
// (countries.txt). An ASCII word is handed over lower-cased from the
// document's lower-case copy, which lexicon.Country then need not copy.
func (s *scan) isCountry(i int) bool {
	w := s.word(i)
	ascii := true
	for k := 0; k < len(w); k++ {
		if w[k] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		w = s.doc.Lower(s.toks[i].start, s.toks[i].end)
	}
	_, ok := lexicon.Country(w)
	return ok
}

// weighTagger combines the rules' decisions with the name tagger's, by a
// vote of the tagger over every occurrence of a name in the article (so
// that one odd label does not spread through the article): a candidate
// the rules left open becomes a person when the tagger calls most of the
// occurrences of its name a person's (all of them, for a single word); a
// candidate the rules took for a person on the evidence of its words alone
// (no title, no role) is set aside, and not made a person elsewhere, when
// the tagger calls most of its occurrences an organisation's or a place's
// name ("Morgan Stanley", "Ford Motor"); and a country word alone that the
// rules left open and the tagger calls an organisation's or a place's name
// in most of its occurrences is not made a person because a person's name
// elsewhere in the article starts or ends with it ("India" when "Aero
// India" was taken for a person). (The same for every single word cost
// 1.4 points of person recall on cross-document news: surnames the tagger
// took for places.) A single word the tagger calls a person's name in every
// occurrence becomes a person when one stands in a list or next to a verb
// of saying ("Okonkwo argued"). A name of several words also counts, as votes for a
// person, the occurrences of its last word alone when the tagger calls most
// of them a person's.
func (s *scan) weighTagger(cands []cand) []cand {
	if s.votes == nil {
		s.votes = new(votes)
	}
	if s.votes.byName == nil {
		s.votes.byName = make(map[string]*[5]int, len(cands))
	}
	votes := s.votes.byName
	clear(votes)
	s.votes.counts = reuse(s.votes.counts, len(cands)) // the votes' arrays, one allocation
	s.votes.types = reuse(s.votes.types, len(cands))
	counts, types := s.votes.counts, s.votes.types
	for ci := range cands {
		c := &cands[ci]
		start, end := s.toks[c.lo].start, s.toks[c.hi-1].end
		if n, ok := s.taggerName(start, end); ok && n.Start <= start && n.End >= end {
			types[ci] = n.Type
		}
		name := s.nameText(*c)
		v := votes[name]
		if v == nil {
			v = &counts[ci]
			votes[name] = v
		}
		v[types[ci]]++
	}
	for ci := range cands {
		c := &cands[ci]
		v := votes[s.nameText(*c)]
		if _, last := s.nameEnds(*c); last > c.lo {
			// When the tagger calls most occurrences of its last word alone
			// a person's name, those occurrences vote for it too: a person
			// is referred to by surname ("Anna Berg ... Berg said").
			if lv := votes[s.word(last)]; lv != nil && 2*lv[tagger.Person] > lv[0]+lv[tagger.Person]+lv[tagger.Organization]+lv[tagger.Location]+lv[tagger.Misc] {
				sum := *v
				sum[tagger.Person] += lv[tagger.Person]
				v = &sum
			}
		}
		other := v[tagger.Organization] + v[tagger.Location] + v[tagger.Misc]
		switch {
		case c.decision == nameUnknown && !s.has(c.lo, lexPronoun) &&
			v[tagger.Person] > other && (c.hi-c.lo > 1 || v[0] == 0 && other == 0 && (s.listed(c) || s.saysNext(c) && !s.inOtherName(s.word(c.lo)))):
			c.decision = nameYes
		case c.decision == nameYes && !c.titled && c.role == "" && other > v[tagger.Person]:
			c.decision = nameUnknown
			if s.notPerson == nil {
				s.notPerson = s.set(func(n *nameSets) map[string]bool { return n.notPerson })
			}
			s.notPerson[s.nameText(*c)] = true
		case c.decision != nameYes && c.hi-c.lo == 1 && other > v[tagger.Person] && s.isCountry(c.lo):
			if s.notPerson == nil {
				s.notPerson = s.set(func(n *nameSets) map[string]bool { return n.notPerson })
			}
			s.notPerson[s.nameText(*c)] = true
		}
	}
	return cands
}

// reuse returns buf cleared and cut to n elements, growing it when needed.
func reuse[T any](buf []T, n int) []T {
	buf = slices.Grow(buf[:0], n)[:n]
	clear(buf)
	return buf
}
