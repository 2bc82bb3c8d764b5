package index

import (
	"encoding/json"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// planSegment is a segment of the merge simulation: docs live documents.
type planSegment struct {
	id   uint64
	docs int64
}

func (s planSegment) Id() uint64          { return s.id }
func (s planSegment) FullSize() int64     { return s.docs }
func (s planSegment) LiveSize() int64     { return s.docs }
func (s planSegment) HasVector() bool     { return false }
func (s planSegment) FileSize() int64     { return s.docs << 10 }
func (s planSegment) LiveFileSize() int64 { return s.docs << 10 }

// simulateMerges writes n segments of size documents into a shard one after
// another, as a refresh's Put calls do, and lets the merge planner with
// options o merge after each, as scorch's merger does after each new
// snapshot. It returns how many documents the merges rewrote and how many
// segments are left.
func simulateMerges(t *testing.T, o *mergeplan.MergePlanOptions, n int, size int64) (rewritten int64, left int) {
	t.Helper()
	var segs []mergeplan.Segment
	next := uint64(1)
	for range n {
		segs = append(segs, planSegment{id: next, docs: size})
		next++
		plan, err := mergeplan.Plan(segs, o)
		if err != nil {
			t.Fatal(err)
		}
		if plan == nil {
			continue
		}
		for _, task := range plan.Tasks {
			merged := planSegment{id: next}
			next++
			gone := map[uint64]bool{}
			for _, s := range task.Segments {
				merged.docs += s.LiveSize()
				gone[s.Id()] = true
			}
			rewritten += merged.docs
			kept := segs[:0]
			for _, s := range segs {
				if !gone[s.Id()] {
					kept = append(kept, s)
				}
			}
			segs = append(kept, merged)
		}
	}
	return rewritten, len(segs)
}

// writeOptions are the merge planner's options of a shard opened for
// writing, read from writeConfig the way scorch reads them (JSON over its
// defaults).
func writeOptions(t *testing.T) *mergeplan.MergePlanOptions {
	t.Helper()
	raw, err := json.Marshal(writeConfig()["scorchMergePlanOptions"])
	if err != nil {
		t.Fatal(err)
	}
	o := mergeplan.DefaultMergePlanOptions
	if err := json.Unmarshal(raw, &o); err != nil {
		t.Fatal(err)
	}
	return &o
}

// TestMergesPerDocument counts the work of merging a shard of the 10x
// bench corpus as a refresh builds it (80 segments of 250 documents): each
// document should be rewritten about once per tier of the planner (log10
// of the segments), not over and over.
func TestMergesPerDocument(t *testing.T) {
	const segments, size = 80, 250
	docs := int64(segments * size)
	rewritten, left := simulateMerges(t, writeOptions(t), segments, size)
	if perDoc := float64(rewritten) / float64(docs); perDoc > 2 {
		t.Errorf("each document was merged %.1f times on average, want at most 2", perDoc)
	}
	if left > 20 {
		t.Errorf("%d segments left, want at most 20", left)
	}
	defRewritten, defLeft := simulateMerges(t, &mergeplan.DefaultMergePlanOptions, segments, size)
	t.Logf("documents rewritten per document: %.2f (%d segments left); with scorch's default options %.2f (%d left)",
		float64(rewritten)/float64(docs), left, float64(defRewritten)/float64(docs), defLeft)
}
