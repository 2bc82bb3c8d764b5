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

// TestCompactionRewrites counts the work of compacting (compactOptions)
// the shards a refresh leaves at 1x, 10x and 50x of the bench corpus (8,
// 83 and 415 segments of 250 documents written, merged as they were
// written): one merge that rewrites each document once.
func TestCompactionRewrites(t *testing.T) {
	for _, written := range []int{8, 83, 415} {
		segs := make([]mergeplan.Segment, 0, written)
		for i := range written {
			segs = append(segs, planSegment{id: uint64(i + 1), docs: 250})
			plan, err := mergeplan.Plan(segs, writeOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			if plan != nil {
				segs = applyPlan(segs, plan, uint64(1000+i))
			}
		}
		left := len(segs)
		o := compactOptions
		plan, err := mergeplan.Plan(segs, &o)
		if err != nil {
			t.Fatal(err)
		}
		var tasks, rewritten int
		if plan != nil {
			tasks = len(plan.Tasks)
			for _, task := range plan.Tasks {
				for _, s := range task.Segments {
					rewritten += int(s.LiveSize())
				}
			}
		}
		if tasks != 1 || rewritten != written*250 {
			t.Errorf("%d segments written, %d left: compaction in %d merges rewriting %d documents, want 1 merge of all %d",
				written, left, tasks, rewritten, written*250)
		}
	}
}

// applyPlan replaces the segments each task of plan merges by one segment
// of their documents, numbered from id.
func applyPlan(segs []mergeplan.Segment, plan *mergeplan.MergePlan, id uint64) []mergeplan.Segment {
	for _, task := range plan.Tasks {
		merged := planSegment{id: id}
		id += 1 << 20
		gone := map[uint64]bool{}
		for _, s := range task.Segments {
			merged.docs += s.LiveSize()
			gone[s.Id()] = true
		}
		kept := segs[:0]
		for _, s := range segs {
			if !gone[s.Id()] {
				kept = append(kept, s)
			}
		}
		segs = append(kept, merged)
	}
	return segs
}
