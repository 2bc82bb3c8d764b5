package store

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
)

// TestEncodeEntitiesAsMarshal checks that the entities written to the
// results bucket, encoded one at a time into a buffer of their size, are
// the bytes json.Marshal gives for the whole slice, which readers decode.
func TestEncodeEntitiesAsMarshal(t *testing.T) {
	one := trawl.Entity{ID: "anne-henderson", Canonical: "Anne Henderson",
		Variants: []trawl.Variant{{Name: "Anne Henderson", Mentions: 3}, {Name: "A <Henderson> & \u2028co", Mentions: 1}}}
	for _, es := range [][]trawl.Entity{
		nil,
		{},
		{one},
		{one, {ID: "paul-rowe", Canonical: "Paul \"Rowe\"\n"}, {}},
	} {
		want, err := json.Marshal(es)
		if err != nil {
			t.Fatal(err)
		}
		got, err := encodeEntities(es)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%d entities (-json.Marshal +encodeEntities):\n%s", len(es), diff)
		}
		if len(got) != cap(got) {
			t.Errorf("%d entities: %d bytes in room for %d", len(es), len(got), cap(got))
		}
	}
}

// TestAssignments checks the packed entity ids of the articles: each
// article's ids given back in the order added, by index and as the pairs
// recordResults writes; a walk of the pairs cut short stops.
func TestAssignments(t *testing.T) {
	var as assignments
	var want [][2]string
	for i := range 50 {
		id, ids := fmt.Sprintf("a/%03d.txt", 2*i), fmt.Sprintf(`["p%d"]`, i)
		if i%7 == 0 {
			ids = "[]"
		}
		as.add(id, []byte(ids))
		want = append(want, [2]string{id, ids})
	}
	var got, pairs [][2]string
	for i := range as.len() {
		id, ids := as.at(i)
		got = append(got, [2]string{string(id), string(ids)})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("assignments (-added +given back):\n%s", diff)
	}
	for id, ids := range as.pairs() {
		pairs = append(pairs, [2]string{id, string(ids)})
		if len(pairs) == 60 {
			break
		}
	}
	if diff := cmp.Diff(want, pairs); diff != "" {
		t.Errorf("pairs (-added +given):\n%s", diff)
	}
	// An iterator that yields again after the loop broke makes the
	// runtime panic: this walk checks that pairs stops.
	n := 0
	for range as.pairs() {
		if n++; n == 3 {
			break
		}
	}
}
