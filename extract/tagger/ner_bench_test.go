package tagger

import (
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/trawlnews/trawl/extract/internal/gold"
	"github.com/trawlnews/trawl/internal/text"
)

// cpuTime is the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkNames tags the texts of the shared benchmark corpus
// (../shared/bench/corpus, 10 MB) with the embedded model; run it with
// GOMAXPROCS=1 for the single-core cost the name tagger adds to extraction.
// MB/cpu-s is MB per CPU-second, steadier than MB/s on a loaded machine.
func BenchmarkNames(b *testing.B) {
	names, _ := filepath.Glob(gold.Shared("bench", "corpus", "*.txt"))
	if len(names) == 0 {
		b.Skip("benchmark corpus not available (needs ../shared/bench/corpus)")
	}
	slices.Sort(names)
	var texts []string
	var size int64
	for _, n := range names {
		raw, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(raw))
		size += int64(len(raw))
	}
	WarmNames()
	b.SetBytes(size)
	b.ReportAllocs()
	var atoms []text.Token
	found := 0
	cpu := cpuTime()
	for b.Loop() {
		found = 0
		for _, s := range texts {
			atoms = text.Tokens(atoms[:0], s)
			found += len(Names(s, atoms))
		}
	}
	cpu = cpuTime() - cpu
	b.ReportMetric(float64(found), "names")
	b.ReportMetric(float64(size)*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
}
