package ingest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
)

// phaseNames are the phases of sum, in order.
func phaseNames(sum *Summary) []trawl.Phase {
	var names []trawl.Phase
	for _, p := range sum.Phases {
		names = append(names, p.Phase)
	}
	return names
}

// TestSummaryTimesEachPhase checks that an ingest says how long each of its
// phases took: extraction, reconciliation, indexing and the index's
// compaction when files changed,
// only the walk's phase when none did; that the phases fit in the run's
// time; and that the times survive the JSON summary, which the benchmark
// harness reads.
func TestSummaryTimesEachPhase(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.txt": sample,
		"b.txt": "Published: 2025-06-09\n\nVice Premier He Lifeng met Jamieson Greer in London on Monday. Copper fell 2%.\n",
	})
	s := mustOpen(t, t.TempDir())
	defer s.Close()

	sum := mustIngest(t, s, dir)
	want := []trawl.Phase{trawl.PhaseExtract, trawl.PhaseReconcile, trawl.PhaseIndex, trawl.PhaseCompact}
	if diff := cmp.Diff(want, phaseNames(sum)); diff != "" {
		t.Fatalf("phases of a new store (-want +got):\n%s", diff)
	}
	var total, cpu time.Duration
	for _, p := range sum.Phases {
		if p.Elapsed <= 0 || p.CPU < 0 {
			t.Errorf("phase %s: elapsed %v, CPU %v", p.Phase, p.Elapsed, p.CPU)
		}
		total += p.Elapsed
		cpu += p.CPU
	}
	if total > sum.Elapsed {
		t.Errorf("phases add up to %v, more than the run's %v", total, sum.Elapsed)
	}
	if _, ok := processCPU(); ok && cpu <= 0 {
		t.Errorf("phases used %v of CPU, though the system reports it", cpu)
	}

	js, err := json.Marshal(sum)
	if err != nil {
		t.Fatal(err)
	}
	var back Summary
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	micro := cmp.Transformer("micro", func(d time.Duration) time.Duration { return d.Truncate(time.Microsecond) })
	if diff := cmp.Diff(sum.Phases, back.Phases, micro); diff != "" {
		t.Errorf("phases after a JSON round trip (-before +after):\n%s", diff)
	}

	again := mustIngest(t, s, dir)
	if diff := cmp.Diff([]trawl.Phase{trawl.PhaseExtract}, phaseNames(again)); diff != "" {
		t.Errorf("phases of an unchanged re-ingest (-want +got):\n%s", diff)
	}
}

func TestDescribePhases(t *testing.T) {
	got := DescribePhases([]PhaseTime{
		{Phase: trawl.PhaseExtract, Elapsed: 14500 * time.Millisecond, CPU: 26 * time.Second},
		{Phase: trawl.PhaseReconcile, Elapsed: 2300 * time.Millisecond}, // CPU unknown
		{Phase: trawl.PhaseIndex, Elapsed: 20 * time.Second, CPU: 37 * time.Second},
	})
	want := "extract 14.5 s (1.8 cores), reconcile 2.3 s, index 20.0 s (1.9 cores)"
	if got != want {
		t.Errorf("DescribePhases = %q, want %q", got, want)
	}
}
