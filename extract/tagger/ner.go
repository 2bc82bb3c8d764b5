package tagger

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/trawlnews/trawl/internal/lexicon"
	"github.com/trawlnews/trawl/internal/text"
)

// Type is the kind of a proper name the name tagger finds.
type Type uint8

// Name types, as CoNLL-2003 labels them.
const (
	Person Type = iota + 1
	Organization
	Location
	Misc
)

// String returns the CoNLL-2003 label of t ("PER", "ORG", "LOC", "MISC").
func (t Type) String() string {
	switch t {
	case Person:
		return "PER"
	case Organization:
		return "ORG"
	case Location:
		return "LOC"
	case Misc:
		return "MISC"
	}
	return "O"
}

// Name is a proper name the name tagger found: a byte range of the text
// and its type.
type Name struct {
	Start, End int
	Type       Type
}

// label is a BIO tag: 0 is O, then B and I of each Type in turn.
type label uint8

const numLabels = 9

const labelO label = 0

func begin(t Type) label  { return label(2*t - 1) }
func inside(t Type) label { return label(2 * t) }

// typeOf returns the type of a B or I label.
func (l label) typeOf() Type { return Type((l + 1) / 2) }

// isBegin reports whether l is a B label.
func (l label) isBegin() bool { return l != labelO && l%2 == 1 }

// allowed reports whether label l may follow label prev: an I label only
// continues a name of its type.
func allowed(prev, l label) bool {
	return l == labelO || l.isBegin() || prev != labelO && prev.typeOf() == l.typeOf()
}

// The feature templates; a feature is a template and a value hashed into
// one uint64.
const (
	fBias byte = iota + 1
	fWord
	fPrev1Word
	fPrev2Word
	fNext1Word
	fNext2Word
	fShape
	fPrev1Shape
	fNext1Shape
	fShapes3
	fPrefix3
	fSuffix2
	fSuffix3
	fSuffix4
	fTag1
	fTag12
	fTag1Word
	fSentStart
	fCapsLine
	fCapsLineTag1
	fLinePos
	fTableRow
	fGaz
	fPrev1Gaz
	fNext1Gaz
	fWordNextWord
	fLowerElsewhere
	fDocCtx
	fCased
	fPrev1Tag1
	fPrefix4
	fPrev2Shape
	fNext2Shape
	fRunPos
	fRunFirst
	fRunLast
	fRunBefore
	fRunAfter
	fHistory
	fCluster4
	fCluster6
	fCluster10
	fCluster20
	fPrev1Cluster
	fNext1Cluster
)

// Gazetteer bits of a word, from the project's public-sourced lexicons.
const (
	gazGiven uint8 = 1 << iota
	gazSurname
	gazCommon
	gazOrgWord
	gazCountry
	gazTitle
)

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// hashLower hashes template t with s lower-cased in ASCII.
func hashLower(t byte, s string) uint64 {
	h := uint64(fnvOffset)
	h ^= uint64(t)
	h *= fnvPrime
	return hashLowerOn(h, s)
}

// hashLowerOn goes on with the hash h over the bytes of s, ASCII letters
// lower-cased: hashLower's loop, which infoOf continues past its first
// non-ASCII byte.
func hashLowerOn(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// hashCased hashes template t with s as it is.
func hashCased(t byte, s string) uint64 {
	h := uint64(fnvOffset)
	h ^= uint64(t)
	h *= fnvPrime
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// mix adds v to the hash h.
func mix(h, v uint64) uint64 {
	h ^= v
	h *= fnvPrime
	h ^= h >> 29
	return h
}

// tokenInfo is what the features need to know of one token, computed once.
type tokenInfo struct {
	word    uint64 // hash of the lower-cased word
	shape   uint64 // hash of its collapsed shape ("Xx", "X.X.", "d")
	gaz     uint8
	gazDone bool // gaz was looked up
	upper   bool // holds an upper-case letter
	caps    bool // all letters upper case and at least two of them
	stop    bool // ends a sentence: . ! ? or a line break after it
	// runLo and runHi bound the run of capitalised words the token is in
	// ("Bank of New York"): upper-case words on one line, joined by "of",
	// "&", "de" or "for" between two of them.
	runLo, runHi int32
}

// sequence is a text cut into tokens with what the features read.
type sequence struct {
	text     string
	words    []word
	info     []tokenInfo
	capsLine []bool    // by line: no lower-case letter on the line
	table    []bool    // by line: a row of a table or results list
	docCtx   wordTable // capitalised word -> the contexts it has anywhere in the text
	gaz      *gazTable // gazetteer bits and cluster paths by word hash
	// history counts the labels the tagger gave each capitalised word
	// earlier in the text: three bits a type, O first (see record).
	history  wordTable
	capitals int // capitalised tokens, the most words history holds
	// lower, upper and digits count by line the words that start with a
	// lower-case letter, hold an upper-case letter or start with a digit;
	// buffers of newSequence.
	lower, upper, digits []int
	labels               []label  // buffer of Model.tag
	fs                   []uint64 // buffer of Model.tag: a token's features
	touched              uint64   // what Model.scores returned
	// cluster holds the word-cluster path of each token once looked up in
	// gaz (see clusterOf).
	cluster []uint32
}

// gazOf returns the gazetteer bits of token i, looked up the first time
// they are asked for (only the capitalised words and their neighbours
// are).
func (q *sequence) gazOf(i int) uint8 {
	in := &q.info[i]
	if in.gazDone {
		return in.gaz
	}
	q.lookUp(i)
	return in.gaz
}

// lookUp fills in the gazetteer bits and the cluster path of token i.
func (q *sequence) lookUp(i int) {
	in := &q.info[i]
	in.gaz, q.cluster[i] = q.gaz.lookup(in.word)
	in.gazDone = true
}

// Contexts a capitalised word has somewhere in a text: evidence that is
// shared by every occurrence of the word ("Mr Jacobs" makes "Jacobs" a
// person in the results table too).
const (
	ctxAfterTitle uint16 = 1 << iota
	ctxBeforeOrgWord
	ctxAfterIn
	ctxAfterGiven
	ctxBeforeCap
	ctxAfterThe
	ctxBeforeSaid
	ctxAfterOf
	ctxBeforeParen
	ctxPossessive
	ctxSentStart
	ctxMidSentence
	ctxLowerElsewhere
	// ctxOrgContext: the word is in a run of capitalised words that a
	// business context surrounds: a lower-case organisation word before it
	// ("airline Aer Lingus", "shares of Boeing") or after it ("Boeing
	// shares", "Boeing 's plant"), or an organisation word ending the run
	// ("Ford Motor Co").
	ctxOrgContext
)

// loadGazetteers builds, once per process, the gazetteer bits and the
// cluster path (loadClusters) of every word of the word lists the features
// consult and of the cluster table, keyed by the hash of the lower-cased
// word (as tokenInfo.word): one table, so that a word's bits and path are
// one read of memory.
var loadGazetteers = sync.OnceValue(func() *gazTable {
	g := map[string]uint8{}
	add := func(words map[string]bool, bit uint8) {
		for w := range words {
			g[w] |= bit
		}
	}
	add(lexicon.GivenNames(), gazGiven)
	add(lexicon.Set("people-surnames.txt"), gazSurname)
	add(lexicon.Set("people-nonnames.txt"), gazCommon)
	add(lexicon.Set("people-orgwords.txt"), gazOrgWord)
	for _, w := range lexicon.CountryWords() {
		g[w] |= gazCountry
	}
	for _, w := range lexicon.Demonyms() {
		g[w] |= gazCountry
	}
	for t := range lexicon.Titles() {
		if !strings.Contains(t, " ") {
			g[t] |= gazTitle
		}
	}
	keys := make([]uint64, 0, len(g))
	bits := make(map[uint64]uint8, len(g))
	for w, b := range g {
		k := hashLower(fWord, w)
		keys = append(keys, k)
		bits[k] |= b
	}
	clusters := loadClusters()
	paths := make(map[uint64]uint32, clusters.n)
	for i, k := range clusters.keys {
		if k != 0 {
			keys = append(keys, k)
			paths[k] = clusters.vals[i]
		}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	t := &gazTable{slots: make([]gazSlot, tableSize(len(keys)))}
	mask := uint64(len(t.slots) - 1)
	for _, k := range keys {
		i := k & mask
		for t.slots[i].used {
			i = (i + 1) & mask
		}
		p := paths[k]
		if p == 0 {
			p = clusterNone
		}
		t.slots[i] = gazSlot{key: k, cluster: p, bits: bits[k], used: true}
	}
	return t
})

// WordLists says which of the word lists the gazetteer is built from hold
// a word.
type WordLists uint8

// The word lists of WordLists: the lexicons' given names, surnames
// (people-surnames.txt), common words (people-nonnames.txt) and
// organisation words (people-orgwords.txt).
const (
	GivenName  = WordLists(gazGiven)
	Surname    = WordLists(gazSurname)
	CommonWord = WordLists(gazCommon)
	OrgWord    = WordLists(gazOrgWord)
)

// ListsOf returns which of GivenName, Surname, CommonWord and OrgWord hold
// word lower-cased in ASCII: one read of the gazetteer table the tagger
// reads for every capitalised word and its neighbours, where a map of each
// list would be a lookup apiece. (The table is keyed by 64-bit hashes of
// the words; TestListsOf checks it against the lists.)
func ListsOf(word string) WordLists {
	b, _ := loadGazetteers().lookup(hashLower(fWord, word))
	return WordLists(b) & (GivenName | Surname | CommonWord | OrgWord)
}

// gazTable maps word hashes to gazetteer bits and cluster paths: an
// open-addressing table with each key, its bits and its path in one slot,
// so that a lookup reads memory once.
type gazTable struct{ slots []gazSlot }

// gazSlot is one word of a gazTable.
type gazSlot struct {
	key     uint64
	cluster uint32 // clusterNone when the word is in no cluster
	bits    uint8
	used    bool
}

// lookup returns the gazetteer bits and the cluster path of word hash k,
// or 0 and clusterNone.
func (t *gazTable) lookup(k uint64) (uint8, uint32) {
	mask := uint64(len(t.slots) - 1)
	for i := k & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if !s.used {
			return 0, clusterNone
		}
		if s.key == k {
			return s.bits, s.cluster
		}
	}
}

// tableSize returns the size of an open-addressing table for n keys: a
// power of two, at least 16 and more than twice n.
func tableSize(n int) int {
	size := 16
	for size < 2*n+1 {
		size <<= 1
	}
	return size
}

// Line classes of a word, by its first letter: what tells a line of
// capitals or a table row.
const (
	classOther uint8 = iota
	classLower
	classUpper
	classDigit
)

// wordInfo is what the tagger reads of one word wherever it stands.
type wordInfo struct {
	word, shape uint64 // as tokenInfo
	upper, caps bool   // as tokenInfo
	class       uint8  // classLower, classUpper, classDigit or classOther
	mark        bool   // ".", "!", "?" or ":"
}

// infoOf returns the wordInfo of word ws.
func infoOf(ws string) wordInfo {
	wi := wordInfo{mark: ws == "." || ws == "!" || ws == "?" || ws == ":"}
	// ASCII words, most of them, in one pass over the bytes that also
	// hashes the word (as hashLower); the same results as the rune-by-rune
	// pass below.
	h, last := uint64(fnvOffset), byte(0)
	h ^= uint64(fShape)
	h *= fnvPrime
	wh := uint64(fnvOffset)
	wh ^= uint64(fWord)
	wh *= fnvPrime
	letters, ups := 0, 0
	i := 0
	for ; i < len(ws); i++ {
		c := ws[i]
		if c >= utf8.RuneSelf {
			break
		}
		lc := c
		switch {
		case 'A' <= c && c <= 'Z':
			letters++
			ups++
			lc += 'a' - 'A'
			c = 'X'
		case 'a' <= c && c <= 'z':
			letters++
			c = 'x'
		case '0' <= c && c <= '9':
			c = 'd'
		}
		wh ^= uint64(lc)
		wh *= fnvPrime
		if i > 0 && c == last {
			continue
		}
		last = c
		h ^= uint64(c)
		h *= fnvPrime
	}
	wi.word = hashLowerOn(wh, ws[i:])
	if i < len(ws) {
		wi.shape = shapeHash(ws)
		letters, ups = 0, 0
		for _, c := range ws {
			if unicode.IsLetter(c) {
				letters++
				if unicode.IsUpper(c) {
					ups++
				}
			}
		}
	} else {
		wi.shape = h
	}
	wi.upper = ups > 0
	wi.caps = letters >= 2 && ups == letters
	r, _ := utf8.DecodeRuneInString(ws)
	switch {
	case unicode.IsLower(r):
		wi.class = classLower
	case ups > 0:
		wi.class = classUpper
	case unicode.IsDigit(r):
		wi.class = classDigit
	}
	return wi
}

// newSequence tokenises s for the tagger.
func newSequence(s string, atoms []text.Token) *sequence {
	q := seqPool.Get().(*sequence)
	q.gaz, q.text, q.words = loadGazetteers(), s, words(s, atoms, q.words)
	q.info = slices.Grow(q.info[:0], len(q.words))[:len(q.words)]
	clear(q.info)
	q.cluster = slices.Grow(q.cluster[:0], len(q.words))[:len(q.words)]
	clear(q.cluster)
	capitals := 0
	for _, a := range atoms {
		if a.Class == text.Alpha && a.Case != text.Lower || a.Class == text.Letter {
			capitals++
		}
	}
	q.docCtx.reset(capitals)
	lines := 0
	if n := len(q.words); n > 0 {
		lines = q.words[n-1].line + 1
	}
	q.capsLine = reuse(q.capsLine, lines)
	q.table = reuse(q.table, lines)
	q.lower = reuse(q.lower, lines)
	q.upper = reuse(q.upper, lines)
	q.digits = reuse(q.digits, lines)
	lower, upper, digits := q.lower, q.upper, q.digits
	for i, w := range q.words {
		ws := s[w.start:w.end]
		in := &q.info[i]
		wi := infoOf(ws)
		in.word, in.shape, in.upper, in.caps = wi.word, wi.shape, wi.upper, wi.caps
		switch wi.class {
		case classLower:
			lower[w.line]++
		case classUpper:
			upper[w.line]++
		case classDigit:
			digits[w.line]++
		}
		if wi.mark || i+1 < len(q.words) && q.words[i+1].line != w.line {
			in.stop = true
		}
	}
	q.runs()
	q.prefetchGaz()
	q.docContexts()
	q.capitals = capitals
	q.history.reset(capitals)
	for l := range lines {
		q.capsLine[l] = lower[l] == 0 && upper[l] >= 2
		q.table[l] = digits[l] >= 2 && lower[l] <= 2
	}
	return q
}

// prefetchGaz reads the gazetteer slot of every capitalised word and of
// the two words either side of it, the words whose bits and cluster paths
// the contexts and the features ask for, before the first of those
// lookups: the reads do not wait for one another, so their cache misses
// overlap (as in Model.addScores) instead of coming one at each lookup.
func (q *sequence) prefetchGaz() {
	slots, mask := q.gaz.slots, uint64(len(q.gaz.slots)-1)
	touch, next := uint64(0), 0 // next: the first token not read yet
	for i := range q.info {
		if !q.info[i].upper {
			continue
		}
		for k := max(i-2, next); k <= i+2 && k < len(q.info); k++ {
			touch += slots[q.info[k].word&mask].key
		}
		next = max(next, i+3)
	}
	q.touched += touch
}

// reuse returns buf cleared and cut to n elements, growing it when needed.
func reuse[T any](buf []T, n int) []T {
	buf = slices.Grow(buf[:0], n)[:n]
	clear(buf)
	return buf
}

// docContexts records, for every capitalised word, the contexts it has
// anywhere in the text.
func (q *sequence) docContexts() {
	for i, w := range q.words {
		in := &q.info[i]
		if !in.upper {
			continue
		}
		var c uint16
		if i > 0 {
			prev := q.info[i-1]
			pw := q.text[q.words[i-1].start:q.words[i-1].end]
			switch {
			case prev.upper && q.gazOf(i-1)&gazTitle != 0:
				c |= ctxAfterTitle
			case pw == "in" || pw == "at" || pw == "near" || pw == "from":
				c |= ctxAfterIn
			case pw == "the":
				c |= ctxAfterThe
			case pw == "of":
				c |= ctxAfterOf
			case prev.upper && q.gazOf(i-1)&gazGiven != 0:
				c |= ctxAfterGiven
			}
		}
		if i == 0 || q.info[i-1].stop || q.words[i].lineStart {
			c |= ctxSentStart
		} else {
			c |= ctxMidSentence
		}
		if i+1 < len(q.words) {
			next := q.info[i+1]
			nw := q.text[q.words[i+1].start:q.words[i+1].end]
			switch {
			case next.upper && q.gazOf(i+1)&gazOrgWord != 0:
				c |= ctxBeforeOrgWord
			case nw == "said" || nw == "says" || nw == "told":
				c |= ctxBeforeSaid
			case nw == "(":
				c |= ctxBeforeParen
			case nw == "'s" || nw == "’s":
				c |= ctxPossessive
			case next.upper && !next.caps && q.words[i+1].line == w.line:
				c |= ctxBeforeCap
			}
		}
		if in.runLo == int32(i) && q.orgContext(i, int(in.runHi)) {
			for k := i; k < int(in.runHi); k++ {
				if q.info[k].upper {
					*q.docCtx.at(q.info[k].word, true) |= ctxOrgContext
				}
			}
		}
		*q.docCtx.at(in.word, true) |= c
	}
	if q.docCtx.n == 0 {
		return
	}
	for i, w := range q.words {
		if c := q.text[w.start]; c >= 'a' && c <= 'z' {
			if v := q.docCtx.at(q.info[i].word, false); v != nil {
				*v |= ctxLowerElsewhere
			}
		}
	}
}

// runs sets the capitalised run of every token. A capitalised function
// word that starts a sentence ("The", "In") is a run of its own.
func (q *sequence) runs() {
	n := len(q.words)
	stop := loadStopwords()
	for i := 0; i < n; {
		if !q.info[i].upper || q.sentStart(i) && stop[q.info[i].word] {
			q.info[i].runLo, q.info[i].runHi = int32(i), int32(i+1)
			i++
			continue
		}
		j := i + 1
		for j < n && q.words[j].line == q.words[i].line {
			if q.info[j].upper {
				j++
				continue
			}
			// A sentence's first word alone is not joined to what follows
			// ("Shares of Ford").
			if (j > i+1 || !q.sentStart(i)) && j+1 < n && q.info[j+1].upper && q.words[j+1].line == q.words[i].line &&
				runJoiner(q.text[q.words[j].start:q.words[j].end]) {
				j += 2
				continue
			}
			break
		}
		for k := i; k < j; k++ {
			q.info[k].runLo, q.info[k].runHi = int32(i), int32(j)
		}
		i = j
	}
}

// loadStopwords returns the word hashes (as tokenInfo.word) of the
// function words of stopwords.txt.
var loadStopwords = sync.OnceValue(func() map[uint64]bool {
	out := map[uint64]bool{}
	for w := range lexicon.Words("stopwords.txt") {
		out[hashLower(fWord, w)] = true
	}
	return out
})

// sentStart reports whether token i starts a sentence or a line.
func (q *sequence) sentStart(i int) bool {
	return i == 0 || q.info[i-1].stop || q.words[i].lineStart
}

// runJoiner reports whether lower-case word w joins two capitalised words
// into one run ("Bank of England", "AT & T", "Banco de Chile").
func runJoiner(w string) bool {
	switch w {
	case "of", "&", "de", "for", "du", "del", "der", "la", "van", "von":
		return true
	}
	return false
}

// Bits of a history value: a 3-bit saturating count for O and each Type.
const histBits = 3

// record adds label l of token i to the history of its word; only the
// capitalised words have one, and an O at the start of a sentence, where
// every word is capitalised, is not counted ("Trade policy ...", then
// "Court of International Trade").
func (q *sequence) record(i int, l label) {
	if !q.info[i].upper || l == labelO && q.sentStart(i) {
		return
	}
	v := q.history.at(q.info[i].word, true)
	sh := histBits * uint(l.typeOf())
	if (*v>>sh)&7 < 7 {
		*v += 1 << sh
	}
}

// historyOf sums up the history of token i's word: the type given most
// often (O is 0) and whether it was the only one given, or ok false when
// the word was not tagged before.
func (q *sequence) historyOf(i int) (t Type, only, ok bool) {
	v := q.history.get(q.info[i].word)
	if v == 0 {
		return 0, false, false
	}
	best, kinds := uint16(0), 0
	for k := range Misc + 1 {
		c := (v >> (histBits * uint(k))) & 7
		if c > 0 {
			kinds++
		}
		if c > best {
			best, t = c, k
		}
	}
	return t, kinds == 1, true
}

// orgContext reports whether the run of capitalised words [lo, hi) stands
// in a business context (see ctxOrgContext).
func (q *sequence) orgContext(lo, hi int) bool {
	org := func(k int) bool {
		return k >= 0 && k < len(q.words) && q.words[k].line == q.words[lo].line && q.gazOf(k)&gazOrgWord != 0
	}
	// An organisation word in lower case, or capitalised as a sentence's
	// first word ("Shares of Boeing").
	lowerOrg := func(k int) bool { return org(k) && (!q.info[k].upper || q.sentStart(k)) }
	word := func(k int) string {
		if k < 0 || k >= len(q.words) {
			return ""
		}
		return q.text[q.words[k].start:q.words[k].end]
	}
	switch {
	case lowerOrg(lo - 1), hi-lo > 1 && org(hi-1) && q.info[hi-1].upper:
		return true
	case (word(lo-1) == "of" || word(lo-1) == "in") && lowerOrg(lo-2):
		return true // "shares of", "stake in"
	case lowerOrg(hi):
		return true
	case (word(hi) == "'s" || word(hi) == "’s") && lowerOrg(hi+1):
		return true
	}
	return false
}

// shapeHash hashes the collapsed shape of w: upper-case letters become X,
// lower-case x, digits d, other runes stay, and repeats collapse.
func shapeHash(w string) uint64 {
	h := uint64(fnvOffset)
	h ^= uint64(fShape)
	h *= fnvPrime
	var last rune = -1
	for _, c := range w {
		switch {
		case unicode.IsUpper(c):
			c = 'X'
		case unicode.IsLower(c):
			c = 'x'
		case unicode.IsDigit(c):
			c = 'd'
		case c >= utf8.RuneSelf:
			c = '*'
		}
		if c == last {
			continue
		}
		last = c
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// boundary stands for a word before the first or after the last token.
const boundary = 0x9e3779b97f4a7c15

// features appends the features of token i, given the labels of the two
// tokens before it, to fs.
func (q *sequence) features(fs []uint64, i int, p1, p2 label) []uint64 {
	return q.labelFeatures(q.wordFeatures(fs, i), i, p1, p2)
}

// labelFeatures appends the features of token i that depend on the labels
// of the two tokens before it.
func (q *sequence) labelFeatures(fs []uint64, i int, p1, p2 label) []uint64 {
	in := &q.info[i]
	prev := uint64(boundary)
	if i > 0 {
		prev = q.info[i-1].word
	}
	return append(fs,
		mix(uint64(fTag1), uint64(p1)),
		mix(mix(uint64(fTag12), uint64(p1)), uint64(p2)),
		mix(mix(uint64(fTag1Word), uint64(p1)), in.word),
		mix(mix(uint64(fCapsLineTag1), b2u(q.capsLine[q.words[i].line])), uint64(p1)),
		mix(mix(uint64(fPrev1Tag1), uint64(p1)), prev),
	)
}

// wordAt is the word hash of token k, or boundary outside the sequence.
func (q *sequence) wordAt(k int) uint64 {
	if k < 0 || k >= len(q.info) {
		return boundary
	}
	return q.info[k].word
}

// shapeAt is the shape hash of token k, or boundary outside the sequence.
func (q *sequence) shapeAt(k int) uint64 {
	if k < 0 || k >= len(q.info) {
		return boundary
	}
	return q.info[k].shape
}

// linePos is token i's place in its line as the position features name
// it: 0 the line's first word, 2 its second, 1 its third, 3 any later one.
func (q *sequence) linePos(i int) uint64 {
	w := q.words[i]
	if w.lineStart {
		return 0
	}
	if i > 0 && q.words[i-1].lineStart {
		return 2
	}
	if i > 1 && !q.words[i-1].lineStart && !q.words[i-2].lineStart {
		return 3
	}
	return 1
}

// wordFeatures appends the features of token i that do not depend on the
// labels before it.
func (q *sequence) wordFeatures(fs []uint64, i int) []uint64 {
	in := &q.info[i]
	w := q.words[i]
	ctx, ctxShape := q.wordAt, q.shapeAt
	ws := q.text[w.start:w.end]
	sentStart := i == 0 || q.info[i-1].stop
	pos := q.linePos(i)
	fs = append(fs,
		mix(uint64(fBias), 0),
		in.word,
		mix(uint64(fPrev1Word), ctx(i-1)),
		mix(uint64(fPrev2Word), ctx(i-2)),
		mix(uint64(fNext1Word), ctx(i+1)),
		mix(uint64(fNext2Word), ctx(i+2)),
		in.shape,
		mix(uint64(fPrev1Shape), ctxShape(i-1)),
		mix(uint64(fNext1Shape), ctxShape(i+1)),
		mix(mix(mix(uint64(fShapes3), ctxShape(i-1)), in.shape), ctxShape(i+1)),
		mix(mix(uint64(fWordNextWord), in.word), ctx(i+1)),
		mix(mix(uint64(fSentStart), b2u(sentStart)), in.shape),
		mix(mix(uint64(fCapsLine), b2u(q.capsLine[w.line])), in.shape),
		mix(mix(uint64(fLinePos), pos), in.shape),
		mix(mix(uint64(fTableRow), b2u(q.table[w.line])), in.shape),
		mix(mix(uint64(fGaz), uint64(q.gazOf(i))), b2u(in.upper)),
	)
	if i > 0 {
		fs = append(fs, mix(mix(uint64(fPrev1Gaz), uint64(q.gazOf(i-1))), q.info[i-1].shape))
	}
	if i+1 < len(q.info) {
		fs = append(fs, mix(mix(uint64(fNext1Gaz), uint64(q.gazOf(i+1))), q.info[i+1].shape))
	}
	if c := q.docCtx.get(in.word); c != 0 {
		for b := 0; b < 14; b++ {
			if c&(1<<b) != 0 && 1<<b != ctxLowerElsewhere {
				fs = append(fs, mix(mix(uint64(fDocCtx), uint64(b)), b2u(in.caps)))
			}
		}
	}
	if !q.capsLine[w.line] {
		fs = append(fs, hashCased(fCased, ws))
	}
	if in.upper && q.docCtx.get(in.word)&ctxLowerElsewhere != 0 {
		fs = append(fs, mix(uint64(fLowerElsewhere), b2u(sentStart)))
	}
	if len(ws) >= 2 {
		fs = append(fs, hashLower(fSuffix2, ws[len(ws)-2:]))
	}
	if len(ws) >= 4 {
		fs = append(fs, hashLower(fPrefix3, ws[:3]), hashLower(fSuffix3, ws[len(ws)-3:]))
	}
	if len(ws) >= 5 {
		fs = append(fs, hashLower(fSuffix4, ws[len(ws)-4:]), hashLower(fPrefix4, ws[:4]))
	}
	fs = append(fs,
		mix(uint64(fPrev2Shape), ctxShape(i-2)),
		mix(uint64(fNext2Shape), ctxShape(i+2)),
	)
	if in.upper {
		lo, hi := int(in.runLo), int(in.runHi)
		n := hi - lo
		at := uint64(0) // alone
		switch {
		case n == 1:
		case i == lo:
			at = 1
		case i == hi-1:
			at = 2
		default:
			at = 3
		}
		fs = append(fs,
			mix(mix(uint64(fRunPos), uint64(min(n, 5))), at),
			mix(uint64(fRunBefore), ctx(lo-1)),
			mix(uint64(fRunAfter), ctx(hi)),
		)
		if n > 1 {
			fs = append(fs,
				mix(uint64(fRunFirst), q.info[lo].word),
				mix(uint64(fRunLast), q.info[hi-1].word),
			)
		}
		if t, only, ok := q.historyOf(i); ok {
			fs = append(fs, mix(mix(uint64(fHistory), uint64(t)), b2u(only)))
		}
	}
	return q.clusterFeatures(fs, i)
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// scored reports whether token i is weighed at all: one with an
// upper-case letter, or a lower-case word or mark inside a name ("Bank of
// England", "van der Pas") when the token before it is in a name and one
// of the next two has an upper-case letter, but not a slash. Every other token is O, which
// keeps the tagger's cost to the capitalised words of a text.
func (q *sequence) scored(i int, prev label) bool {
	if q.info[i].upper {
		return true
	}
	if prev == labelO || q.info[i].stop {
		return false
	}
	if w := q.words[i]; w.end-w.start == 1 && q.text[w.start] == '/' {
		return false // a slash parts two names ("Washington / Beijing")
	}
	return i+1 < len(q.info) && q.info[i+1].upper || i+2 < len(q.info) && q.info[i+2].upper
}

// Model is a trained averaged-perceptron name tagger: a weight for each
// feature and label.
type Model struct {
	index   map[uint64]int32 // feature -> row of weights
	weights []int16          // numLabels a row
	// table is index as an open-addressing table, for lookups, with the
	// weights of each feature in its slot: one read of memory a lookup.
	table []slot
	// dense holds the weights of the features of few values in arrays
	// (see denseWeights); built with table.
	dense *denseWeights
}

// slot is one feature of Model.table and its weights.
type slot struct {
	key  uint64
	w    [numLabels]int16
	used bool
}

// buildTable fills m.table from m.index, at most half full.
func (m *Model) buildTable() {
	n := 1
	for n < 2*len(m.index)+1 {
		n <<= 1
	}
	m.table = make([]slot, n)
	keys := make([]uint64, 0, len(m.index))
	for k := range m.index {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		i := k & uint64(n-1)
		for m.table[i].used {
			i = (i + 1) & uint64(n-1)
		}
		r := int(m.index[k])
		m.table[i] = slot{key: k, used: true}
		copy(m.table[i].w[:], m.weights[r*numLabels:r*numLabels+numLabels])
	}
}

// row returns the weights of feature f, or nil when the model has none.
func (m *Model) row(f uint64) *[numLabels]int16 {
	mask := uint64(len(m.table) - 1)
	for i := f & mask; ; i = (i + 1) & mask {
		s := &m.table[i]
		if !s.used {
			return nil
		}
		if s.key == f {
			return &s.w
		}
	}
}

// scores adds up the weights of features fs into sc. It returns a sum of
// the keys it read first, which a caller keeps so that the compiler keeps
// the reads.
func (m *Model) scores(sc *[numLabels]int32, fs []uint64) uint64 {
	*sc = [numLabels]int32{}
	if m.table == nil {
		m.buildTable()
	}
	return m.addScores(sc, fs)
}

// addScores adds the weights of features fs to sc, as scores does.
func (m *Model) addScores(sc *[numLabels]int32, fs []uint64) uint64 {
	// Read the first slot of every feature before the lookups: the reads do
	// not wait for each other, so the table's cache misses overlap instead
	// of coming one after another.
	mask, touch := uint64(len(m.table)-1), uint64(0)
	for _, f := range fs {
		touch += m.table[f&mask].key
	}
	for _, f := range fs {
		row := m.row(f)
		if row == nil {
			continue
		}
		sc[0] += int32(row[0])
		sc[1] += int32(row[1])
		sc[2] += int32(row[2])
		sc[3] += int32(row[3])
		sc[4] += int32(row[4])
		sc[5] += int32(row[5])
		sc[6] += int32(row[6])
		sc[7] += int32(row[7])
		sc[8] += int32(row[8])
	}
	return touch
}

// best returns the highest-scoring label allowed after prev, B labels
// only when begins is true; ties go to the lower label, so the result is
// deterministic.
func best(sc *[numLabels]int32, prev label, begins bool) label {
	b := labelO
	for l := label(1); l < numLabels; l++ {
		if allowed(prev, l) && (begins || !l.isBegin()) && sc[l] > sc[b] {
			b = l
		}
	}
	return b
}

// tag labels every token of q, greedily left to right. (A beam of 2 to 8
// labellings was tried: on the tuning slice of the training part it gained
// half a point of F1 over all types and nothing on organisations, for 60%
// more time.)
func (m *Model) tag(q *sequence) []label {
	out := reuse(q.labels, len(q.words))
	q.labels = out
	if m.table == nil {
		m.buildTable()
	}
	if m.dense == nil {
		m.buildDense()
	}
	fs := q.fs
	var sc [numLabels]int32
	p1, p2 := labelO, labelO
	q.history.reset(q.capitals)
	for i := range q.words {
		l := labelO
		if q.scored(i, p1) {
			var touched uint64
			fs, touched = m.scoreToken(q, &sc, fs, i, p1, p2)
			q.touched += touched
			l = best(&sc, p1, q.info[i].upper) // a name begins with a capitalised word
		}
		q.record(i, l)
		out[i] = l
		p1, p2 = l, p1
	}
	q.fs = fs
	return out
}

// names turns the labels of q into names.
func names(q *sequence, ls []label) []Name { return appendNames(nil, q, ls) }

// appendNames appends the names of the labels of q to dst.
func appendNames(dst []Name, q *sequence, ls []label) []Name {
	base := len(dst)
	out := dst
	for i := 0; i < len(ls); i++ {
		if ls[i] == labelO {
			continue
		}
		t := ls[i].typeOf()
		j := i + 1
		for j < len(ls) && ls[j] == inside(t) {
			j++
		}
		next := j
		for j > i+1 && q.danglingEnd(j-1) {
			j-- // "Olimpija (", "Ferencvaros of"
		}
		if t == Person {
			for j > i && q.titleOnly(j-1) {
				j-- // a person's name ends before a title: "Ryanair CEO"
			}
		}
		if j == i+1 && t != Person && q.calendarWord(i) {
			j = i // "Jul" in a table, "Friday" in a headline: a date's word is no place or organisation
		}
		if j > i {
			if n := (Name{Start: q.words[i].start, End: q.words[j-1].end, Type: t}); hasLetter(q.text[n.Start:n.End]) {
				out = append(out, n)
			}
		}
		i = next - 1
	}
	return out[:base+len(joinNames(q.text, out[base:]))]
}

// joinNames joins two names that follow each other with nothing but
// spaces between them on one line, where the tagger began a name at its
// second word: a place or a MISC name (a nationality) followed by an
// organisation is one organisation ("British Heart Foundation", "U.S.
// Federal District Court"), a MISC name followed by a place one place, and
// an organisation followed by a person one person. Which pairs to join was
// chosen by cross-validation inside the training part.
func joinNames(s string, ns []Name) []Name {
	out := ns[:0]
	for _, n := range ns {
		if k := len(out) - 1; k >= 0 && joins(out[k].Type, n.Type) && strings.TrimLeft(s[out[k].End:n.Start], " ") == "" {
			out[k] = Name{Start: out[k].Start, End: n.End, Type: n.Type}
			continue
		}
		out = append(out, n)
	}
	return out
}

// joins reports whether a name of type a directly followed by one of type
// b is one name of type b (see joinNames).
func joins(a, b Type) bool {
	switch b {
	case Organization:
		return a == Location || a == Misc
	case Location:
		return a == Misc
	case Person:
		return a == Organization
	}
	return false
}

// calendarWord reports whether token i is the name of a month or a
// weekday, or a month's abbreviation ("Jul", "Sept.").
func (q *sequence) calendarWord(i int) bool {
	return loadCalendarWords()[q.info[i].word]
}

// loadCalendarWords returns the word hashes (as tokenInfo.word) of the
// month names and abbreviations, with and without a final dot, and of the
// weekday names.
var loadCalendarWords = sync.OnceValue(func() map[uint64]bool {
	out := map[uint64]bool{}
	for _, w := range lexicon.MonthWords() {
		out[hashLower(fWord, w)] = true
		out[hashLower(fWord, w+".")] = true
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		out[hashLower(fWord, lexicon.WeekdayName(d))] = true
	}
	return out
})

// danglingEnd reports whether token i cannot end a name: an opening
// bracket, or a word that joins two names or two parts of one ("of",
// "and", "de").
func (q *sequence) danglingEnd(i int) bool {
	w := q.text[q.words[i].start:q.words[i].end]
	return w == "(" || w == "and" || runJoiner(w)
}

// titleOnly reports whether token i is a title or role (titles.txt, one
// word) that is no given name or surname: "CEO", "Minister", but not
// "King".
func (q *sequence) titleOnly(i int) bool {
	g := q.gazOf(i)
	return g&gazTitle != 0 && g&(gazGiven|gazSurname) == 0
}

// hasLetter reports whether s holds a letter: a name of punctuation alone
// ("/") is none.
func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// Names finds the proper names of s, whose shared tokens are atoms (from
// text.Tokens), with the embedded model. The result is sorted by Start and
// the names do not overlap.
func Names(s string, atoms []text.Token) []Name { return AppendNames(nil, s, atoms) }

// AppendNames appends the names Names finds to dst and returns the
// extended slice, for a caller that reuses a buffer.
func AppendNames(dst []Name, s string, atoms []text.Token) []Name {
	m := embedded()
	q := newSequence(s, atoms)
	out := appendNames(dst, q, m.tag(q))
	q.release()
	return out
}

// seqPool keeps the buffers of sequences for reuse.
var seqPool = sync.Pool{New: func() any { return new(sequence) }}

// wordTable maps word hashes to context bits, sized once per text: cheaper
// than a map for the many lookups of a text's lower-case words.
type wordTable = hashTable[uint16]

// release puts q back in seqPool; q must not be used afterwards.
func (q *sequence) release() {
	if cap(q.words) > 1<<16 {
		return // keep big buffers out of the pool
	}
	q.text = ""
	seqPool.Put(q)
}

//go:embed ner.model
var modelData []byte

// embedded is the model shipped in the binary, decoded once per process.
var embedded = sync.OnceValue(func() *Model {
	m, err := ReadModel(bytes.NewReader(modelData))
	if err != nil {
		panic("tagger: embedded ner.model: " + err.Error())
	}
	return m
})

// WarmNames loads the name tagger's model and word lists, once per
// process; Names loads them itself when it first needs them.
func WarmNames() {
	embedded()
	loadGazetteers()
	loadClusters()
}

// modelMagic starts a model file.
const modelMagic = "trawl-ner-1\n"

// ReadModel reads a model written by Model.Write: gzip around the magic
// line, the number of rows, the features as ascending varint deltas, then
// the weights as zig-zag varints, numLabels a row.
func ReadModel(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	br := bufio.NewReader(zr)
	magic := make([]byte, len(modelMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != modelMagic {
		return nil, errors.New("read model: not a trawl name-tagger model")
	}
	n, err := binary.ReadUvarint(br)
	if err != nil || n > 1<<24 {
		return nil, fmt.Errorf("read model: bad row count: %v", err)
	}
	m := &Model{index: make(map[uint64]int32, n), weights: make([]int16, int(n)*numLabels)}
	var key uint64
	for i := range int(n) {
		d, err := binary.ReadUvarint(br)
		if err != nil {
			return nil, fmt.Errorf("read model: feature %d: %w", i, err)
		}
		key += d
		m.index[key] = int32(i)
	}
	for i := range m.weights {
		v, err := binary.ReadVarint(br)
		if err != nil {
			return nil, fmt.Errorf("read model: weight %d: %w", i, err)
		}
		if v < math.MinInt16 || v > math.MaxInt16 {
			return nil, fmt.Errorf("read model: weight %d out of range: %d", i, v)
		}
		m.weights[i] = int16(v)
	}
	m.buildTable()
	m.buildDense()
	return m, nil
}

// Write writes m in the format ReadModel reads; the same model gives the
// same bytes.
func (m *Model) Write(w io.Writer) error {
	keys := make([]uint64, 0, len(m.index))
	for k := range m.index {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	bw.WriteString(modelMagic)
	var tmp [binary.MaxVarintLen64]byte
	bw.Write(tmp[:binary.PutUvarint(tmp[:], uint64(len(keys)))])
	prev := uint64(0)
	for _, k := range keys {
		bw.Write(tmp[:binary.PutUvarint(tmp[:], k-prev)])
		prev = k
	}
	for _, k := range keys {
		r := int(m.index[k])
		for _, v := range m.weights[r*numLabels : r*numLabels+numLabels] {
			bw.Write(tmp[:binary.PutVarint(tmp[:], int64(v))])
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// HeldOutStart returns the index of the first record of the part of the
// CoNLL-2003 training file that is never trained on: the last 15% of its n
// records, by record order.
func HeldOutStart(n int) int { return n - (n*15+99)/100 }
