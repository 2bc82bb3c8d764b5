package lexicon

// Filter is a compact membership test over a set of words (a Bloom filter
// of two bits a word): MayHold is true for every word of the set and false
// for all but about one in seventy of the others. A lexicon lookup on
// every word of a text asks it first and skips the map for most words,
// since a map lookup reads the map's memory, often out of cache, where
// the filter is a few kilobytes.
type Filter struct {
	bits []uint64
	mask uint64 // the number of bits minus one, a power of two minus one
}

// NewFilter returns a filter holding the keys of each of maps.
func NewFilter[V any](maps ...map[string]V) *Filter {
	n := 0
	for _, m := range maps {
		n += len(m)
	}
	size := uint64(512)
	for size < uint64(n)*16 {
		size *= 2
	}
	f := &Filter{bits: make([]uint64, size/64), mask: size - 1}
	for _, m := range maps {
		for w := range m {
			h := filterHash(w)
			f.set(h)
			f.set(h >> 32)
		}
	}
	return f
}

func (f *Filter) set(h uint64) { f.bits[(h&f.mask)/64] |= 1 << (h % 64) }

func (f *Filter) has(h uint64) bool { return f.bits[(h&f.mask)/64]&(1<<(h%64)) != 0 }

// MayHold reports whether w may be in the set; false means it is not.
func (f *Filter) MayHold(w string) bool {
	h := filterHash(w)
	return f.has(h) && f.has(h>>32)
}

// MayHoldBytes is MayHold of a word held in a byte slice.
func (f *Filter) MayHoldBytes(w []byte) bool {
	h := filterHash(w)
	return f.has(h) && f.has(h>>32)
}

// filterHash mixes the bytes of w, eight at a time, into 64 bits whose
// low and high halves serve as the filter's two hashes.
func filterHash[T string | []byte](w T) uint64 {
	const m = 0x9e3779b97f4a7c15
	h := uint64(len(w)) * m
	i := 0
	for ; i+8 <= len(w); i += 8 {
		v := uint64(w[i]) | uint64(w[i+1])<<8 | uint64(w[i+2])<<16 | uint64(w[i+3])<<24 |
			uint64(w[i+4])<<32 | uint64(w[i+5])<<40 | uint64(w[i+6])<<48 | uint64(w[i+7])<<56
		h = (h ^ v) * m
		h ^= h >> 29
	}
	var v uint64
	for ; i < len(w); i++ {
		v = v<<8 | uint64(w[i])
	}
	h = (h ^ v) * m
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 29
	return h
}
