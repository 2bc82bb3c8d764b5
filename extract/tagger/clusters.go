package tagger

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"maps"
	"slices"
	"strings"
	"sync"
)

// clusterData is the word-cluster table (make clusters): a header of '#'
// lines naming its sources, then one "word<TAB>path" a line.
//
//go:embed clusters.txt.gz
var clusterData []byte

// A cluster path is held as a number: its bits after a leading 1, so that
// paths of every length are distinct and no path is 0.
const (
	clusterNone    uint32 = 1 << 31 // looked up, not in the table
	clusterUnknown uint32 = 0       // not looked up yet
)

// clusterTable maps word hashes (as tokenInfo.word) to cluster paths, at
// most half full.
type clusterTable = hashTable[uint32]

// loadClusters decodes the embedded cluster table once per process.
var loadClusters = sync.OnceValue(func() *clusterTable {
	zr, err := gzip.NewReader(bytes.NewReader(clusterData))
	if err != nil {
		panic("tagger: embedded clusters.txt.gz: " + err.Error())
	}
	out := map[uint64]uint32{}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		w, path, ok := strings.Cut(line, "\t")
		if !ok || len(path) > 30 {
			panic("tagger: embedded clusters.txt.gz: bad line " + line)
		}
		p := uint32(1)
		for _, c := range path {
			p = p<<1 | uint32(c-'0')
		}
		out[hashLower(fWord, w)] = p
	}
	if err := sc.Err(); err != nil {
		panic("tagger: embedded clusters.txt.gz: " + err.Error())
	}
	t := new(clusterTable)
	t.reset(len(out))
	for _, k := range slices.Sorted(maps.Keys(out)) {
		*t.at(k, true) = out[k]
	}
	return t
})

// clusterOf returns the cluster path of token i, or clusterNone, looked up
// the first time it or the token's gazetteer bits are asked for.
func (q *sequence) clusterOf(i int) uint32 {
	if c := q.cluster[i]; c != clusterUnknown {
		return c
	}
	q.lookUp(i)
	return q.cluster[i]
}

// clusterPrefix returns the first n bits of path p (all of it when it is
// shorter), still after a leading 1.
func clusterPrefix(p uint32, n int) uint32 {
	l := 0
	for v := p; v > 1; v >>= 1 {
		l++
	}
	if l <= n {
		return p
	}
	return p >> (l - n)
}

// clusterFeatures appends the word-cluster features of token i: prefixes
// of 4, 6, 10 and 20 bits of its own path and of 6 bits of its
// neighbours'; words in no cluster add nothing.
func (q *sequence) clusterFeatures(fs []uint64, i int) []uint64 {
	if c := q.clusterOf(i); c != clusterNone {
		fs = append(fs,
			mix(uint64(fCluster4), uint64(clusterPrefix(c, 4))),
			mix(uint64(fCluster6), uint64(clusterPrefix(c, 6))),
			mix(uint64(fCluster10), uint64(clusterPrefix(c, 10))),
			mix(uint64(fCluster20), uint64(clusterPrefix(c, 20))),
		)
	}
	if i > 0 {
		if c := q.clusterOf(i - 1); c != clusterNone {
			fs = append(fs, mix(uint64(fPrev1Cluster), uint64(clusterPrefix(c, 6))))
		}
	}
	if i+1 < len(q.info) {
		if c := q.clusterOf(i + 1); c != clusterNone {
			fs = append(fs, mix(uint64(fNext1Cluster), uint64(clusterPrefix(c, 6))))
		}
	}
	return fs
}
