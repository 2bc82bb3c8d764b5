// Package dedup finds near-duplicate articles: the same story republished
// by several outlets, a page published twice, a lightly edited copy. Such
// copies are one source of evidence, not several, and one search hit.
//
// The method is MinHash over word shingles with locality-sensitive hashing
// in bands (A. Z. Broder, "On the resemblance and containment of
// documents", Compression and Complexity of Sequences 1997; the banding
// technique as in J. Leskovec, A. Rajaraman and J. D. Ullman, "Mining of
// Massive Datasets", chapter 3, "Finding Similar Items"):
//
//   - a text's shingles are its runs of ShingleWords consecutive words,
//     lower-cased, punctuation dropped;
//   - its Signature holds, for each of Hashes hash functions, the least
//     hash of any shingle; the share of equal positions in two signatures
//     estimates the Jaccard similarity of the two shingle sets;
//   - Groups compares only the pairs that agree on all rows of at least one
//     band of the signatures (Bands bands of Rows rows), keeps those that
//     are Near, and groups the articles connected by such pairs.
//
// Two articles are near-duplicates when their estimated resemblance (the
// Jaccard similarity of their shingle sets) is at least Threshold, 0.5, or
// the estimated containment of the shorter one's shingles in the other's
// (Broder's second measure) is at least ContainThreshold, 0.7. A copy with
// a different header, byline or closing line, or with a sentence reworded,
// keeps well over half of its shingles; a copy cut short, or a story and its
// longer update, shares most of the shorter text; two different stories on
// the same topic share a few phrases and stay far below both (the tests show
// each case). With 64 bands of 2 rows a pair of resemblance 0.25 (the
// least a containment of 0.7 allows when one text is up to 3.5 times the
// other's length) becomes a candidate with probability 1-(1-0.25^2)^64 >
// 0.98; unrelated news stories share almost no 5-word shingle and are
// rarely candidates.
package dedup

import (
	"cmp"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The parameters of the method, fixed so that signatures stored by one run
// compare with those of the next.
const (
	ShingleWords     = 5
	Bands            = 64
	Rows             = 2
	Hashes           = Bands * Rows
	Threshold        = 0.5
	ContainThreshold = 0.7
)

// Signature is the MinHash signature of a text.
type Signature struct {
	// Shingles is the number of distinct shingles of the text (estimated
	// by counting them, duplicates included, at most once per position).
	Shingles int
	// Mins holds the least hash of any shingle for each of Hashes hash
	// functions.
	Mins []uint32
}

// seedMul and seedAdd are the multipliers and offsets of the hash
// functions, from a fixed seed so that every run computes the same
// signatures.
var seedMul, seedAdd = func() (mul, add [Hashes]uint64) {
	r := rand.New(rand.NewPCG(0x7472617761, 0x6465647570))
	for i := range mul {
		mul[i], add[i] = r.Uint64()|1, r.Uint64()
	}
	return mul, add
}()

// Sign returns the signature of text, the zero Signature when text has no
// word. A text of fewer than ShingleWords words is one shingle.
//
// Words are the runs of letters and digits of the lower-cased text; a
// shingle's hash is FNV-1a of its words, each followed by a zero byte. The
// distinct shingle hashes are found by sorting, not by a map, each one
// updates every position of the signature in one pass (minHashes), and the
// working memory is reused from one call to the next (Sign runs once per
// stored article, and its garbage would otherwise cost the collector).
func Sign(text string) Signature {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	sc.split(text)
	words, lower := sc.words, sc.lower
	if len(words) == 0 {
		return Signature{}
	}
	n := max(1, len(words)-ShingleWords+1)
	hs := slices.Grow(sc.hashes[:0], n)[:n]
	for i := range hs {
		h := uint64(fnvOffset)
		for _, w := range words[i:min(len(words), i+ShingleWords)] {
			for _, c := range lower[w[0]:w[1]] {
				h = (h ^ uint64(c)) * fnvPrime
			}
			h *= fnvPrime // the zero byte after each word: h ^ 0 == h
		}
		hs[i] = h
	}
	sc.hashes = hs
	slices.Sort(hs)
	hs = slices.Compact(hs)
	sig := make([]uint32, Hashes)
	minHashes((*[Hashes]uint32)(sig), hs)
	return Signature{Shingles: len(hs), Mins: sig}
}

// The 64-bit FNV-1a parameters (hash/fnv), inlined in Sign.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// scratch is the working memory of one Sign call.
type scratch struct {
	lower  []byte     // the text lower-cased
	words  [][2]int32 // the byte ranges of its words in lower
	hashes []uint64   // the shingle hashes
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// split sets sc.lower to text lower-cased as strings.ToLower does (rune by
// rune with unicode.ToLower; invalid UTF-8 becomes U+FFFD) and sc.words to
// the byte ranges in it of the runs of letters and digits, the words
// strings.FieldsFunc finds there.
func (sc *scratch) split(text string) {
	lower, words := sc.lower[:0], sc.words[:0]
	start := -1
	for i := 0; i < len(text); {
		c := text[i]
		var word bool
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			word = 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
			i++
			if word && start < 0 {
				start = len(lower)
			} else if !word && start >= 0 {
				words = append(words, [2]int32{int32(start), int32(len(lower))})
				start = -1
			}
			lower = append(lower, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		r = unicode.ToLower(r) // utf8.RuneError (invalid input) stays itself
		word = unicode.IsLetter(r) || unicode.IsDigit(r)
		if word && start < 0 {
			start = len(lower)
		} else if !word && start >= 0 {
			words = append(words, [2]int32{int32(start), int32(len(lower))})
			start = -1
		}
		lower = utf8.AppendRune(lower, r)
	}
	if start >= 0 {
		words = append(words, [2]int32{int32(start), int32(len(lower))})
	}
	sc.lower, sc.words = lower, words
}

// minHashes sets sig to the least value of each hash function over the
// shingle hashes hs (at least one). The functions are multiply-shift
// hashes, the high 32 bits of a*x+b; four shingles go through each
// function at a time, so that its multiplier and offset are loaded once
// for four.
func minHashes(sig *[Hashes]uint32, hs []uint64) {
	for j := range sig {
		sig[j] = ^uint32(0)
	}
	i := 0
	for ; i+4 <= len(hs); i += 4 {
		x0, x1, x2, x3 := hs[i], hs[i+1], hs[i+2], hs[i+3]
		for j := range sig {
			a, b := seedMul[j], seedAdd[j]
			m := sig[j]
			m = min(m, uint32((a*x0+b)>>32))
			m = min(m, uint32((a*x1+b)>>32))
			m = min(m, uint32((a*x2+b)>>32))
			m = min(m, uint32((a*x3+b)>>32))
			sig[j] = m
		}
	}
	for _, x := range hs[i:] {
		for j := range sig {
			sig[j] = min(sig[j], uint32((seedMul[j]*x+seedAdd[j])>>32))
		}
	}
}

// valid reports whether sig was made by Sign from a text with words.
func (sig Signature) valid() bool { return len(sig.Mins) == Hashes && sig.Shingles > 0 }

// Resemblance estimates the Jaccard similarity of the shingle sets of the
// texts a and b were signed from: the share of positions where their
// signatures agree.
func Resemblance(a, b Signature) float64 {
	if !a.valid() || !b.valid() {
		return 0
	}
	same := 0
	for i := range a.Mins {
		if a.Mins[i] == b.Mins[i] {
			same++
		}
	}
	return float64(same) / Hashes
}

// Containment estimates the share of the shingles of the shorter of the two
// texts that the other one holds too, from their Resemblance r and shingle
// counts: the shared shingles number r(|A|+|B|)/(1+r).
func Containment(a, b Signature) float64 {
	r := Resemblance(a, b)
	if r == 0 {
		return 0
	}
	shared := r * float64(a.Shingles+b.Shingles) / (1 + r)
	return min(1, shared/float64(min(a.Shingles, b.Shingles)))
}

// Near reports whether a and b are near-duplicates: Resemblance at least
// Threshold, or Containment at least ContainThreshold (a copy cut short,
// or a story and its longer update).
func Near(a, b Signature) bool {
	return Resemblance(a, b) >= Threshold || Containment(a, b) >= ContainThreshold
}

// Marshal encodes sig for storage: the shingle count, then the values, 4
// bytes each, little-endian.
func (sig Signature) Marshal() []byte {
	b := make([]byte, 4+4*len(sig.Mins))
	binary.LittleEndian.PutUint32(b, uint32(sig.Shingles))
	for i, v := range sig.Mins {
		binary.LittleEndian.PutUint32(b[4+4*i:], v)
	}
	return b
}

// Unmarshal decodes a signature stored by Marshal.
func Unmarshal(b []byte) (Signature, error) {
	if len(b) == 4 && binary.LittleEndian.Uint32(b) == 0 {
		return Signature{}, nil
	}
	if len(b) != 4+4*Hashes {
		return Signature{}, errors.New("dedup: stored signature has the wrong length")
	}
	sig := Signature{Shingles: int(binary.LittleEndian.Uint32(b)), Mins: make([]uint32, Hashes)}
	for i := range sig.Mins {
		sig.Mins[i] = binary.LittleEndian.Uint32(b[4+4*i:])
	}
	return sig, nil
}

// Group is a set of near-duplicate articles.
type Group struct {
	// ID is the smallest article id of the group, so that the same articles
	// always make the same group.
	ID string `json:"id"`
	// Articles are the ids of the group's articles, sorted; two or more.
	Articles []string `json:"articles"`
}

// Groups returns the groups of near-duplicates among the signed articles
// (id to signature; articles without a signature are left out), sorted by
// id. Articles connected by a chain of near-duplicate pairs are one group.
// The work is one pass over the bands plus, in each band's buckets, a
// comparison of each article with one article of each group already there:
// not of every pair.
func Groups(sigs map[string]Signature) []Group {
	gs, _, _ := groups(newMemSource(sigs))
	return gs
}

// A Source holds the signatures GroupsOf groups, one per article, read in
// passes rather than held: the bands of a pass, then any two signatures a
// band makes candidates.
type Source interface {
	// IDs returns the ids of the articles with a signature made from a
	// text with words (see Unmarshal and Valid), sorted.
	IDs() ([]string, error)
	// Rows calls fn for each article of IDs, in their order, with the
	// values of its signature at positions lo to hi (Mins[lo:hi]); fn must
	// not keep rows.
	Rows(lo, hi int, fn func(i int, rows []uint32)) error
	// Signature returns the signature of the i-th article of IDs.
	Signature(i int) (Signature, error)
}

// BandsPerPass is how many bands GroupsOf reads from its Source at once:
// it holds 8 bytes an article for each, so 64 bytes an article in all (the
// whole signature is 516).
const BandsPerPass = 8

// GroupsOf is Groups over the signatures of src, holding a few bands of
// them at a time (BandsPerPass) instead of every signature: the groups are
// those Groups finds for the same signatures.
func GroupsOf(src Source) ([]Group, error) {
	gs, _, err := groups(src)
	return gs, err
}

// Valid reports whether a signature stored by Marshal was made from a text
// with words, and so takes part in Groups, without decoding it.
func Valid(b []byte) bool {
	return len(b) == 4+4*Hashes && binary.LittleEndian.Uint32(b) > 0
}

// memSource is the Source of signatures held in memory, by id.
type memSource struct {
	ids  []string
	sigs map[string]Signature
}

func newMemSource(sigs map[string]Signature) memSource {
	ids := make([]string, 0, len(sigs))
	for id, s := range sigs {
		if s.valid() {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return memSource{ids, sigs}
}

func (m memSource) IDs() ([]string, error) { return m.ids, nil }

func (m memSource) Rows(lo, hi int, fn func(i int, rows []uint32)) error {
	for i, id := range m.ids {
		fn(i, m.sigs[id].Mins[lo:hi])
	}
	return nil
}

func (m memSource) Signature(i int) (Signature, error) { return m.sigs[m.ids[i]], nil }

// groups is GroupsOf, also returning how many pairs it compared: the work,
// which the tests check grows with the candidates, not the square of the
// articles.
func groups(src Source) ([]Group, int, error) {
	ids, err := src.IDs()
	if err != nil {
		return nil, 0, err
	}
	parent := make([]int, len(ids))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	// A band's rows are packed in one uint64 below: two of them.
	var _ [Rows - 2]struct{}
	var _ [2 - Rows]struct{}
	compared := map[[2]int]bool{}
	// The articles of each band sorted by the band's rows, then by index:
	// runs of equal rows are the band's buckets, their members in index
	// order, without a map of buckets per band.
	byRows := make([]entry, len(ids))
	sorted := make([]entry, len(ids))             // radixSort's other buffer
	pass := make([]uint64, len(ids)*BandsPerPass) // article i's band b at i*BandsPerPass+b-first
	var lists [][]int
	var reps []int          // a bucket's representatives, reused
	var repSigs []Signature // their signatures
	for first := 0; first < Bands; first += BandsPerPass {
		last := min(Bands, first+BandsPerPass)
		err := src.Rows(first*Rows, last*Rows, func(i int, rows []uint32) {
			for b := range last - first {
				pass[i*BandsPerPass+b] = uint64(rows[b*Rows])<<32 | uint64(rows[b*Rows+1])
			}
		})
		if err != nil {
			return nil, 0, err
		}
		for band := first; band < last; band++ {
			for i := range byRows {
				byRows[i] = entry{pass[i*BandsPerPass+band-first], i}
			}
			// Filled in index order, so a stable sort by rows alone is
			// the order by rows, then index: a radix sort, ten times
			// faster than a comparison sort at 200,000 articles.
			byRows, sorted = radixSort(byRows, sorted)
			// Buckets in the order of their first article, so that the
			// comparisons made do not depend on the order of the rows.
			lists = lists[:0]
			for lo := 0; lo < len(byRows); {
				hi := lo + 1
				for hi < len(byRows) && byRows[hi].rows == byRows[lo].rows {
					hi++
				}
				if hi-lo > 1 {
					members := make([]int, hi-lo)
					for k := range members {
						members[k] = byRows[lo+k].i
					}
					lists = append(lists, members)
				}
				lo = hi
			}
			slices.SortFunc(lists, func(a, b []int) int { return cmp.Compare(a[0], b[0]) })
			for _, members := range lists {
				// Each article is compared with one article of each
				// group already in the bucket, not with every article:
				// many copies of one text cost one comparison each, not
				// a square.
				// The signatures of the bucket's representatives are
				// read once each (repSigs, beside reps; Mins nil until
				// read), and an article's once for all of them: a source
				// such as a store reads each from disk.
				reps, repSigs = reps[:0], repSigs[:0]
				for _, j := range members {
					joined := false
					var sj Signature
					for r, i := range reps {
						if find(i) == find(j) {
							joined = true
							continue
						}
						if compared[[2]int{i, j}] {
							continue
						}
						compared[[2]int{i, j}] = true
						if repSigs[r].Mins == nil {
							if repSigs[r], err = src.Signature(i); err != nil {
								return nil, 0, err
							}
						}
						if sj.Mins == nil {
							if sj, err = src.Signature(j); err != nil {
								return nil, 0, err
							}
						}
						if Near(repSigs[r], sj) {
							ri, rj := find(i), find(j)
							parent[max(ri, rj)] = min(ri, rj)
							joined = true
						}
					}
					if !joined {
						reps, repSigs = append(reps, j), append(repSigs, sj)
					}
				}
			}
		}
	}
	byRoot := map[int][]string{}
	for i, id := range ids {
		r := find(i)
		byRoot[r] = append(byRoot[r], id)
	}
	var out []Group
	for _, members := range byRoot {
		if len(members) > 1 {
			out = append(out, Group{ID: members[0], Articles: members})
		}
	}
	slices.SortFunc(out, func(a, b Group) int { return cmp.Compare(a.ID, b.ID) })
	return out, len(compared), nil
}

// entry is an article's band in groups: the band's rows, packed, and the
// article's index.
type entry struct {
	rows uint64
	i    int
}

// radixSort sorts es by rows, stably (entries of equal rows keep their
// order), using buf, as long as es, as its other buffer: a
// least-significant-digit radix sort, 16 bits a pass. It returns the
// sorted entries and the other buffer, which holds garbage: es and buf in
// one order or the other.
func radixSort(es, buf []entry) (sorted, other []entry) {
	if len(es) < 2 {
		return es, buf
	}
	var count [1 << 16]int
	for shift := 0; shift < 64; shift += 16 {
		clear(count[:])
		for _, e := range es {
			count[uint16(e.rows>>shift)]++
		}
		if count[uint16(es[0].rows>>shift)] == len(es) {
			continue // one digit for all: the pass would change nothing
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, e := range es {
			d := uint16(e.rows >> shift)
			buf[count[d]] = e
			count[d]++
		}
		es, buf = buf, es
	}
	return es, buf
}

// Of maps each article of groups to its group's id.
func Of(groups []Group) map[string]string {
	m := map[string]string{}
	for _, g := range groups {
		for _, a := range g.Articles {
			m[a] = g.ID
		}
	}
	return m
}
