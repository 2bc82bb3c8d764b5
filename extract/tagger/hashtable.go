package tagger

// hashTable maps word hashes to small values: an open-addressing table
// with linear probing, kept at most half full by reset, cheaper than a map
// for a lookup a token. Key 0 marks an empty slot, so a hash of 0 is
// stored as 1.
type hashTable[V uint16 | uint32] struct {
	keys []uint64
	vals []V
	n    int
}

// reset empties t and sizes it for up to n keys, reusing its buffers when
// they are large enough.
func (t *hashTable[V]) reset(n int) {
	size := 16
	for size < 2*n+1 {
		size <<= 1
	}
	if cap(t.keys) >= size {
		t.keys, t.vals = t.keys[:size], t.vals[:size]
		clear(t.keys)
		clear(t.vals)
	} else {
		t.keys, t.vals = make([]uint64, size), make([]V, size)
	}
	t.n = 0
}

// at returns the value of key k, adding it when add is true (nil when it is
// absent and add is false). The table never fills: reset sized it for every
// key it will hold.
func (t *hashTable[V]) at(k uint64, add bool) *V {
	if k == 0 {
		k = 1
	}
	mask := uint64(len(t.keys) - 1)
	for i := k & mask; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case k:
			return &t.vals[i]
		case 0:
			if !add {
				return nil
			}
			t.keys[i] = k
			t.n++
			return &t.vals[i]
		}
	}
}

// get returns the value of key k, or 0.
func (t *hashTable[V]) get(k uint64) V {
	if v := t.at(k, false); v != nil {
		return *v
	}
	return 0
}
