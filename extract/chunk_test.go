package extract

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
)

// smallChunks makes Extract chunk texts above 64 KB for the rest of the
// test, so that chunking is tested on texts that extract in a moment even
// under the race detector; the rule does not depend on the size.
func smallChunks(t *testing.T) {
	old := chunkBytes
	chunkBytes = 64 << 10
	t.Cleanup(func() { chunkBytes = old })
}

// TestBigTextIsExtractedInChunks checks that an article far longer than
// chunkBytes gives, chunk by chunk, the mentions of its parts at the right
// offsets: the same as extracting each copy of a paragraph alone.
func TestBigTextIsExtractedInChunks(t *testing.T) {
	const para = "Treasury Secretary Scott Bessent said on June 9, 2025 that tariffs on steel rose to 50% from 25%.\n"
	smallChunks(t)
	x := New(Options{})
	one := trawl.Article{Text: para, Published: "2025-06-10"}
	x.Extract(&one)
	if len(one.Mentions) < 4 {
		t.Fatalf("the paragraph gives %d mentions, want at least 4: %+v", len(one.Mentions), one.Mentions)
	}
	n := chunkBytes/len(para) + 50 // more than one chunk
	big := trawl.Article{Text: strings.Repeat(para, n), Published: "2025-06-10"}
	x.Extract(&big)
	if len(big.Mentions) != n*len(one.Mentions) {
		t.Fatalf("%d copies give %d mentions, want %d", n, len(big.Mentions), n*len(one.Mentions))
	}
	for _, k := range []int{0, n / 2, n - 1} {
		got := big.Mentions[k*len(one.Mentions) : (k+1)*len(one.Mentions)]
		want := make([]trawl.Mention, len(one.Mentions))
		for i, m := range one.Mentions {
			m.Start += k * len(para)
			m.End += k * len(para)
			want[i] = m
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("copy %d (-want +got):\n%s", k, diff)
		}
	}
}
