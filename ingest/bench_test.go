package ingest

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/trawlnews/trawl/store"
)

// benchCorpus returns the first n files of the shared benchmark corpus
// (../../shared/bench/corpus), copied into a temporary folder, or skips
// when it is not there.
func benchCorpus(b *testing.B, n int) string {
	b.Helper()
	src := filepath.Join("..", "..", "shared", "bench", "corpus")
	paths, err := filepath.Glob(filepath.Join(src, "*.txt"))
	if err != nil || len(paths) == 0 {
		b.Skipf("shared bench corpus %s not present", src)
	}
	dir := b.TempDir()
	old := time.Now().Add(-time.Hour) // older than the racy window of a re-ingest
	for _, p := range paths[:min(n, len(paths))] {
		raw, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(p)), raw, 0o644); err != nil {
			b.Fatal(err)
		}
		if err := os.Chtimes(filepath.Join(dir, filepath.Base(p)), old, old); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// cpuTime is the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkIngest ingests 1,000 files of the bench corpus (about 2.4 MB)
// into a new store, as trawl ingest does: read, hash, extract, sign,
// commit, reconcile, index. It reports MB/s of wall time and MB per
// CPU-second (the steadier figure on a shared machine).
func BenchmarkIngest(b *testing.B) {
	dir := benchCorpus(b, 1000)
	benchRun(b, dir, func(b *testing.B) string { return filepath.Join(b.TempDir(), "st") })
}

// BenchmarkReingest ingests the same 1,000 files again into a store that
// holds them, unchanged: the walk, the stat checks, no extraction, no
// refresh.
func BenchmarkReingest(b *testing.B) {
	dir := benchCorpus(b, 1000)
	st := filepath.Join(b.TempDir(), "st")
	s, err := store.Open(st, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := Run(context.Background(), s, []string{dir}, Options{}); err != nil {
		b.Fatal(err)
	}
	s.Close()
	benchRun(b, dir, func(*testing.B) string { return st })
}

// benchRun ingests dir into the store storeFor gives, once per iteration,
// and reports the rates.
func benchRun(b *testing.B, dir string, storeFor func(*testing.B) string) {
	var bytes int64
	var wall, cpu time.Duration
	for b.Loop() {
		st := storeFor(b)
		s, err := store.Open(st, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		start, cpu0 := time.Now(), cpuTime()
		sum, err := Run(context.Background(), s, []string{dir}, Options{})
		wall += time.Since(start)
		cpu += cpuTime() - cpu0
		if err != nil {
			b.Fatal(err)
		}
		bytes += sum.Bytes
		s.Close()
	}
	b.ReportMetric(float64(bytes)/1e6/wall.Seconds(), "MB/s")
	b.ReportMetric(float64(bytes)/1e6/cpu.Seconds(), "MB/CPU-s")
}
