package extract

import (
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/extract/tagger"
)

// benchArticles reads up to n articles of the shared benchmark corpus
// (../../shared/bench/corpus), parsed the way ingest parses them; n <= 0
// means all of them.
func benchArticles(b testing.TB, n int) ([]trawl.Article, int64) {
	b.Helper()
	dir := filepath.Join("..", "..", "shared", "bench", "corpus")
	names, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(names) == 0 {
		b.Skipf("benchmark corpus not available in %s", dir)
	}
	slices.Sort(names)
	if n > 0 {
		names = names[:min(n, len(names))]
	}
	var arts []trawl.Article
	var size int64
	for _, name := range names {
		raw, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		a, err := corpus.Parse(filepath.Base(name), raw, corpus.Options{})
		if err != nil {
			continue
		}
		arts = append(arts, a)
		size += int64(len(raw))
	}
	return arts, size
}

// cpuTime is the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkExtractCorpus extracts all four kinds from the whole benchmark
// corpus (10 MB, 4,156 articles) with the default options; run it with
// GOMAXPROCS=1 for the single-core figure of docs/performance.md. Besides
// wall time it reports CPU time per article and MB per CPU-second, the
// steadier figures on a loaded machine.
func BenchmarkExtractCorpus(b *testing.B) {
	arts, size := benchArticles(b, 0)
	x := New(Options{})
	tagger.Warm() // loaded once per process, not per article
	x.Extract(&trawl.Article{Text: "Warm up on 3 May, 5% more steel, said John Smith."})
	b.SetBytes(size)
	b.ReportAllocs()
	mentions := 0
	cpu := cpuTime()
	for b.Loop() {
		mentions = 0
		for i := range arts {
			a := arts[i]
			x.Extract(&a)
			mentions += len(a.Mentions)
		}
	}
	cpu = cpuTime() - cpu
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(arts))/1e3, "us/article")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*len(arts))/1e3, "cpu-us/article")
	b.ReportMetric(float64(size)*float64(b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
	if mentions == 0 {
		b.Fatal("no mentions in the benchmark corpus")
	}
}

// BenchmarkExtractKind extracts one kind at a time from the first 1,000
// articles of the benchmark corpus, to show where the time goes.
func BenchmarkExtractKind(b *testing.B) {
	arts, size := benchArticles(b, 1000)
	for _, k := range trawl.Kinds {
		b.Run(string(k), func(b *testing.B) {
			x := New(Options{Kinds: []trawl.Kind{k}})
			tagger.Warm()
			x.Extract(&trawl.Article{Text: "Warm up on 3 May, 5% more steel, said John Smith."})
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for i := range arts {
					a := arts[i]
					x.Extract(&a)
				}
			}
		})
	}
}
