package index

import (
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// benchCorpus is the throughput corpus of the project (../../shared/bench).
const benchCorpus = "../../shared/bench/corpus"

// benchDir holds the index built once per test binary run; TestMain
// removes it.
var benchDir string

func TestMain(m *testing.M) {
	if path := os.Getenv(holdEnv); path != "" {
		os.Exit(holdIndex(path))
	}
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// benchPeople are synthetic people given to the corpus articles, so that
// the filters and facets have something to work on.
var benchPeople = []Person{
	{ID: "scott-bessent", Canonical: "Scott Bessent", Variants: []string{"Scott Bessent"}},
	{ID: "scott-bessent", Canonical: "Scott Bessent", Variants: []string{"Scott Besset"}},
	{ID: "howard-lutnick", Canonical: "Howard Lutnick", Variants: []string{"Howard Lutnick"}},
	{ID: "jamieson-greer", Canonical: "Jamieson Greer", Variants: []string{"Jamie Greer"}},
	{ID: "he-lifeng", Canonical: "He Lifeng", Variants: []string{"He Lifeng"}},
	{ID: "tony-blair", Canonical: "Tony Blair", Variants: []string{"Tony Blair", "Blair"}},
	{ID: "gordon-brown", Canonical: "Gordon Brown", Variants: []string{"Gordon Brown"}},
	{ID: "james-baker", Canonical: "James Baker", Variants: []string{"James Baker"}},
}

var benchCommodities = [][2]string{
	{"steel", "metals"}, {"aluminum", "metals"}, {"copper", "metals"}, {"oil", "energy"},
	{"natural-gas", "energy"}, {"wheat", "agriculture"}, {"cocoa", "agriculture"}, {"coffee", "agriculture"},
}

// benchDocs reads the corpus, copies times over (copy k keeps the headline
// and rotates the other lines by k, like grow.sh), with synthetic people,
// commodities, sources and dates derived from a hash of the id.
func benchDocs(copies int) ([]Doc, int64, error) {
	files, err := filepath.Glob(filepath.Join(benchCorpus, "*.txt"))
	if err != nil || len(files) == 0 {
		return nil, 0, fmt.Errorf("no corpus at %s", benchCorpus)
	}
	slices.Sort(files)
	var docs []Doc
	var size int64
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, 0, err
		}
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		for k := range copies {
			body := slices.Clone(lines[1:])
			if len(body) > 0 {
				r := k % len(body)
				body = append(body[r:], body[:r]...)
			}
			id := name
			if k > 0 {
				id = fmt.Sprintf("c%04d_%s", k, name)
			}
			h := fnv.New64a()
			h.Write([]byte(id))
			x := h.Sum64()
			c := benchCommodities[x%uint64(len(benchCommodities))]
			src, _, _ := strings.Cut(name, "_")
			d := Doc{
				ID: id, Title: lines[0], Text: strings.Join(body, "\n"), Source: src,
				Published:           time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(x>>8%730)).Format(time.DateOnly),
				People:              []Person{benchPeople[x>>16%uint64(len(benchPeople))], benchPeople[x>>24%uint64(len(benchPeople))]},
				Commodities:         []string{c[0]},
				CommodityCategories: []string{c[1]},
			}
			if copies > 1 {
				d.CopyGroup = name // one story, copies times, as grow.sh makes it
			}
			if d.People[0].ID == d.People[1].ID {
				d.People = d.People[:1]
			}
			size += int64(len(d.Text))
			docs = append(docs, d)
		}
	}
	return docs, size, nil
}

// benchCopies is TRAWL_BENCH_COPIES, the number of copies of the corpus to
// index (default 1, 4156 articles; 10 gives the 40,000-article target).
func benchCopies() int {
	n, err := strconv.Atoi(os.Getenv("TRAWL_BENCH_COPIES"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// benchPath is the path of the benchmark index.
var benchPath string

// benchIndex builds the benchmark index once per run of the test binary.
var benchIndex = sync.OnceValues(func() (*Index, error) {
	docs, _, err := benchDocs(benchCopies())
	if err != nil {
		return nil, err
	}
	benchDir, err = os.MkdirTemp("", "trawl-bench-index-")
	if err != nil {
		return nil, err
	}
	path := filepath.Join(benchDir, "index.bleve")
	benchPath = path
	ix, err := Open(path)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	if err := ix.Put(docs); err != nil {
		return nil, err
	}
	built := time.Since(start)
	if err := ix.Compact(context.Background()); err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "index: built benchmark index of %d articles in %v, compacted in %v\n",
		len(docs), built.Round(time.Millisecond), (time.Since(start) - built).Round(time.Millisecond))
	// Search the way trawl search and serve do: read-only, after the ingest.
	if err := ix.Close(); err != nil {
		return nil, err
	}
	return OpenReadOnly(path)
})

// benchQueries are the searches of BenchmarkSearch.
var benchQueries = []struct {
	name string
	q    Query
}{
	{"word", Query{Text: "tariffs"}},
	{"phrase", Query{Text: `"interest rates"`}},
	{"person", Query{Text: "Bessent"}},
	{"person-filter", Query{Text: "market", People: []string{"scott-bessent"}}},
	{"faceted-date-range", Query{Text: "oil prices", From: "2024-03-01", To: "2024-09-30", Commodities: []string{"energy"}}},
	{"match-all-by-date", Query{Sort: SortDate}},
}

// BenchmarkSearch measures Search on the benchmark corpus and reports the
// median and 99th-percentile latency.
func BenchmarkSearch(b *testing.B) {
	if _, err := os.Stat(benchCorpus); err != nil {
		b.Skipf("benchmark corpus %s missing: %v", benchCorpus, err)
	}
	ix, err := benchIndex()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, bq := range benchQueries {
		b.Run(bq.name, func(b *testing.B) {
			b.ReportAllocs()
			ds := make([]time.Duration, 0, b.N)
			var total uint64
			for b.Loop() {
				t := time.Now()
				r, err := ix.Search(ctx, bq.q)
				if err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(t))
				total = r.Total
			}
			slices.Sort(ds)
			n := len(ds)
			b.ReportMetric(float64(ds[n/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(ds[(n*99+99)/100-1].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(total), "hits")
		})
	}
}

// BenchmarkPut measures indexing the benchmark corpus into a fresh index of
// one shard and of DefaultShards shards (written in parallel).
func BenchmarkPut(b *testing.B) {
	docs, size, err := benchDocs(1)
	if err != nil {
		b.Skipf("benchmark corpus: %v", err)
	}
	for _, n := range uniqueInts(1, DefaultShards()) {
		b.Run(fmt.Sprintf("shards=%d", n), func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				ix, err := OpenShards(filepath.Join(b.TempDir(), strconv.Itoa(i)), n)
				if err != nil {
					b.Fatal(err)
				}
				if err := ix.Put(docs); err != nil {
					b.Fatal(err)
				}
				ix.Close()
			}
		})
	}
}

// uniqueInts is a and b, once if they are equal.
func uniqueInts(a, b int) []int {
	if a == b {
		return []int{a}
	}
	return []int{a, b}
}

// BenchmarkShardAgreement indexes the benchmark corpus into one shard and
// into four, and reports how many of the top 10 hits of each benchmark
// query the two share (bleve scores a term within each shard, so relevance
// order can differ; hits, totals and facets do not).
func BenchmarkShardAgreement(b *testing.B) {
	docs, _, err := benchDocs(1)
	if err != nil {
		b.Skipf("benchmark corpus: %v", err)
	}
	build := func(n int) *Index {
		ix, err := OpenShards(filepath.Join(b.TempDir(), strconv.Itoa(n)), n)
		if err != nil {
			b.Fatal(err)
		}
		if err := ix.Put(docs); err != nil {
			b.Fatal(err)
		}
		return ix
	}
	one, four := build(1), build(4)
	defer one.Close()
	defer four.Close()
	for b.Loop() {
		shared, all := 0, 0
		for _, bq := range benchQueries {
			q := bq.q
			q.Limit = 10
			r1, err := one.Search(context.Background(), q)
			if err != nil {
				b.Fatal(err)
			}
			r4, err := four.Search(context.Background(), q)
			if err != nil {
				b.Fatal(err)
			}
			if r1.Total != r4.Total {
				b.Fatalf("%s: %d hits in one shard, %d in four", bq.name, r1.Total, r4.Total)
			}
			top := map[string]bool{}
			for _, h := range r1.Hits {
				top[h.ID] = true
			}
			for _, h := range r4.Hits {
				if top[h.ID] {
					shared++
				}
			}
			all += len(r1.Hits)
		}
		b.ReportMetric(float64(shared)/float64(all), "top10-shared")
	}
}

// BenchmarkOpenReadOnly measures opening the benchmark index for a search,
// as a server that opens it per request would.
func BenchmarkOpenReadOnly(b *testing.B) {
	if _, err := os.Stat(benchCorpus); err != nil {
		b.Skipf("benchmark corpus %s missing: %v", benchCorpus, err)
	}
	if _, err := benchIndex(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		ix, err := OpenReadOnly(benchPath)
		if err != nil {
			b.Fatal(err)
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndexCPU measures the CPU the index spends per 10 MB of article
// text when the benchmark corpus (TRAWL_BENCH_COPIES copies, default 1) is
// written as a store's refresh writes it (Put calls of 500 documents, then
// Close, which waits for the shards' persisters), into DefaultShards
// shards. cpu-s/10MB and docs/cpu-s count every goroutine of the process
// (bleve analyses on the caller's goroutine and persists and merges
// segments on its own), from getrusage; segments is the number of segment
// files the shards are left with (what a search visits).
func BenchmarkIndexCPU(b *testing.B) {
	docs, size, err := benchDocs(benchCopies())
	if err != nil {
		b.Skipf("benchmark corpus: %v", err)
	}
	var cpu time.Duration
	b.SetBytes(size)
	for i := 0; b.Loop(); i++ {
		dir := filepath.Join(b.TempDir(), strconv.Itoa(i))
		before := cpuTime(b)
		ix, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		for chunk := range slices.Chunk(docs, 500) {
			if err := ix.Put(chunk); err != nil {
				b.Fatal(err)
			}
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime(b) - before
		segs, _ := filepath.Glob(filepath.Join(dir, "shard-*", "store", "*.zap"))
		b.ReportMetric(float64(len(segs)), "segments")
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N)/(float64(size)/10e6), "cpu-s/10MB")
	b.ReportMetric(float64(len(docs)*b.N)/cpu.Seconds(), "docs/cpu-s")
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// storeQueries are the four searches of docs/performance.md, as
// cmd/trawlbench runs them (its person filter is the most mentioned
// person, Tony Blair on the bench corpus).
var storeQueries = []struct {
	name string
	q    Query
}{
	{"oil", Query{Text: "oil"}},
	{"interest-rates", Query{Text: `"interest rates"`}},
	{"person-market", Query{Text: "market", People: []string{"Tony Blair"}}},
	{"dated-facets", Query{Text: "prices", From: "1987-03-01", To: "1987-06-30", Commodities: []string{"energy"}}},
}

// BenchmarkSearchStore measures the CPU of the searches of
// docs/performance.md on the index of an existing store
// (TRAWL_BENCH_INDEX=STORE/index.bleve, e.g. a store of the 10x or 50x
// corpus; skipped when unset): cpu-ms/op counts every goroutine (both
// shards), from getrusage, which a loaded machine disturbs less than wall
// time.
func BenchmarkSearchStore(b *testing.B) {
	path := os.Getenv("TRAWL_BENCH_INDEX")
	if path == "" {
		b.Skip("TRAWL_BENCH_INDEX (a store's index.bleve) not set")
	}
	ix, err := OpenReadOnly(path)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	for _, sq := range storeQueries {
		b.Run(sq.name, func(b *testing.B) {
			b.ReportAllocs()
			r, err := ix.Search(ctx, sq.q) // warm up
			if err != nil {
				b.Fatal(err)
			}
			before := cpuTime(b)
			for b.Loop() {
				if _, err := ix.Search(ctx, sq.q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime(b)-before).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(r.Total), "hits")
		})
	}
}
