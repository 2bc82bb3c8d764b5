package store

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestWrittenKeepsEveryPair covers what finish records after a refresh: each
// document's id with its own digest, in the order written, however often
// the packed buffer grew on the way (a digest recorded under the wrong id
// would make the next refresh rewrite or, worse, skip documents).
func TestWrittenKeepsEveryPair(t *testing.T) {
	var want [][2]string
	w := &written{}
	for i := range 3000 {
		id := fmt.Sprintf("%0*d", i%40, i) // ids of 1 to 39 bytes
		digest := fmt.Sprintf("digest-%d", i*7)
		want = append(want, [2]string{id, digest})
		w.add(id, digest)
	}
	var got [][2]string
	for i := range w.len() {
		id, digest := w.at(i)
		got = append(got, [2]string{string(id), string(digest)})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("written pairs (-want +got):\n%s", diff)
	}
}
