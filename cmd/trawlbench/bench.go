package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/extract"
	"github.com/trawlnews/trawl/index"
	"github.com/trawlnews/trawl/ingest"
	"github.com/trawlnews/trawl/store"
)

// config is what the flags ask for.
type config struct {
	corpus     string // the 1x corpus
	grow       string // grow.sh, for the larger scales
	trawl      string // the trawl binary that ingests
	tmp        string // where stores and grown corpora go
	scales     []int
	workers    int // N of "1 and N workers"
	reps       int // runs of the in-process measurements; the median is shown
	queries    int // searches per query for the latencies
	cpuprofile string
	bigFile    bool
	chart      string // write the scaling chart (SVG) here
	// ingestProfile, when set, makes the run only ingest the corpus in
	// process and write a CPU profile of it there.
	ingestProfile string
	// refreshProfile, when set, names an existing store whose
	// reconciliation and indexing are re-run under the CPU profiler
	// (written to -cpuprofile).
	refreshProfile string
	memprofile     string // heap profile at the peak of -refreshprofile
	searchProfile  string // an existing store whose search latencies are measured under -cpuprofile
}

// row is one line of the result table.
type row struct{ bench, corpus, workers, result string }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("trawlbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	var scales string
	fs.StringVar(&c.corpus, "corpus", "../shared/bench/corpus", "benchmark corpus (1x)")
	fs.StringVar(&c.grow, "grow", "", "grow.sh that makes the larger corpora (default: next to -corpus)")
	fs.StringVar(&c.trawl, "trawl", "bin/trawl", "trawl binary used for the ingest runs")
	fs.StringVar(&c.tmp, "tmp", os.TempDir(), "directory for stores and grown corpora (removed afterwards)")
	fs.StringVar(&scales, "scales", "1,10", "corpus sizes for the ingest runs, in copies of the corpus (empty: no ingest runs)")
	fs.IntVar(&c.workers, "workers", runtime.NumCPU(), "N for the parallel runs")
	fs.IntVar(&c.reps, "reps", 3, "runs of each in-process measurement (the median is shown)")
	fs.IntVar(&c.queries, "queries", 200, "searches per query for the latency percentiles")
	fs.StringVar(&c.cpuprofile, "cpuprofile", "", "write a CPU profile of the single-worker extraction here")
	fs.StringVar(&c.chart, "chart", "", "write an SVG chart of ingest MB/s and peak RSS against corpus size here")
	fs.BoolVar(&c.bigFile, "bigfile", true, "also ingest a 50 MB file (refused) and a 40 MB one-line file (raised limit)")
	fs.StringVar(&c.ingestProfile, "ingestprofile", "", "only ingest -corpus in process and write its CPU profile here")
	fs.StringVar(&c.refreshProfile, "refreshprofile", "", "only re-run reconcile+index of this existing store, profiled to -cpuprofile")
	fs.StringVar(&c.searchProfile, "searchprofile", "", "only measure the search latencies of this existing store, profiled to -cpuprofile")
	fs.StringVar(&c.memprofile, "memprofile", "", "with -refreshprofile: write a heap profile at the peak here")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	for _, f := range strings.FieldsFunc(scales, func(r rune) bool { return r == ',' }) {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			fmt.Fprintf(stderr, "trawlbench: -scales: %q is not a positive number\n", f)
			return 2
		}
		c.scales = append(c.scales, n)
	}
	if c.grow == "" {
		c.grow = filepath.Join(filepath.Dir(filepath.Clean(c.corpus)), "grow.sh")
	}
	if c.workers < 1 {
		c.workers = 1
	}
	if c.reps < 1 {
		c.reps = 1
	}
	if c.refreshProfile != "" {
		if err := profileRefresh(c, stdout); err != nil {
			fmt.Fprintf(stderr, "trawlbench: %v\n", err)
			return 1
		}
		return 0
	}
	if c.searchProfile != "" {
		lat, err := latenciesProfiled(c)
		if err != nil {
			fmt.Fprintf(stderr, "trawlbench: %v\n", err)
			return 1
		}
		for _, l := range lat {
			fmt.Fprintf(stdout, "%s: p50 %s p99 %s (%d hits)\n", l.name, ms(l.p50), ms(l.p99), l.hits)
		}
		return 0
	}
	if c.ingestProfile != "" {
		if err := profileIngest(c, stdout); err != nil {
			fmt.Fprintf(stderr, "trawlbench: %v\n", err)
			return 1
		}
		return 0
	}
	if err := bench(c, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "trawlbench: %v\n", err)
		return 1
	}
	return 0
}

func bench(c config, stdout, stderr io.Writer) error {
	files, size, err := corpusFiles(c.corpus)
	if err != nil {
		return err
	}
	logf := func(format string, args ...any) { fmt.Fprintf(stderr, "trawlbench: "+format+"\n", args...) }
	load0 := loadAvg()
	started := time.Now()
	var rows []row
	add := func(b, corp, w, res string) {
		rows = append(rows, row{b, corp, w, res})
		logf("%s | %s | %s | %s", b, corp, w, res)
	}
	oneX := fmt.Sprintf("1x (%d files, %s)", len(files), mb(size))

	// The floor: read every file and split it into words.
	var floorRate float64
	{
		var ds []time.Duration
		words := 0
		for range c.reps {
			t := time.Now()
			words = floor(files)
			ds = append(ds, time.Since(t))
		}
		d := median(ds)
		floorRate = rate(size, d)
		add("floor: os.ReadFile + bytes.Fields", oneX, "1", fmt.Sprintf("%.0f MB/s (%d words)", floorRate, words))
	}

	// Extraction in process: read, decode, extract all four kinds.
	// Build the extractor and its models once, and warm them up on the first
	// articles, as a long ingest would be: the one-off cost of loading
	// prose's model (about a CPU-second) is not extraction throughput.
	x := extract.New(extract.Options{})
	x.Warm()
	if _, err := extractAll(files[:min(200, len(files))], runtime.NumCPU(), x); err != nil {
		return err
	}
	extractRates := map[int]float64{}
	for _, w := range uniq(1, c.workers) {
		var rs []extractResult
		for i := range c.reps {
			var prof *os.File
			if w == 1 && i == 0 && c.cpuprofile != "" {
				if prof, err = os.Create(c.cpuprofile); err != nil {
					return err
				}
				pprof.StartCPUProfile(prof)
			}
			r, err := extractAll(files, w, x)
			if prof != nil {
				pprof.StopCPUProfile()
				prof.Close()
			}
			if err != nil {
				return err
			}
			rs = append(rs, r)
		}
		slices.SortFunc(rs, func(a, b extractResult) int { return int(a.wall - b.wall) })
		r := rs[len(rs)/2]
		extractRates[w] = rate(r.bytes, r.wall)
		res := fmt.Sprintf("%.2f MB/s, %.0f articles/s, %.2f MB/s per CPU-second; 1/%.0f of the floor; %.0f allocs and %s per article; %d mentions",
			rate(r.bytes, r.wall), float64(r.articles)/r.wall.Seconds(), rate(r.bytes, r.cpu),
			floorRate/rate(r.bytes, r.wall), float64(r.mallocs)/float64(r.articles), kb(r.allocBytes/int64(r.articles)), r.mentions)
		if w > 1 {
			res += fmt.Sprintf("; speed-up %.2fx over 1 worker", extractRates[w]/extractRates[1])
		}
		add("extract (4 kinds), GOMAXPROCS=workers", oneX, strconv.Itoa(w), res)
	}
	runtime.GOMAXPROCS(runtime.NumCPU())

	if _, err := os.Stat(c.trawl); err != nil {
		return fmt.Errorf("trawl binary %s: %w (run make build)", c.trawl, err)
	}
	tmp, err := os.MkdirTemp(c.tmp, "trawlbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	// Full ingest, re-ingest and search at each scale.
	var points []scalePoint
	for _, scale := range c.scales {
		dir, label := c.corpus, oneX
		if scale > 1 {
			dir = filepath.Join(tmp, fmt.Sprintf("corpus%dx", scale))
			logf("growing the corpus %dx into %s", scale, dir)
			cmd := exec.Command("bash", c.grow, strconv.Itoa(scale), dir)
			cmd.Stderr = stderr
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("grow.sh %d: %w", scale, err)
			}
			label = fmt.Sprintf("%dx (%d files, %s)", scale, scale*len(files), mb(int64(scale)*size))
		}
		ws := []int{c.workers}
		if scale == 1 {
			ws = uniq(1, c.workers)
		}
		var last string
		ingestRates := map[int]float64{}
		for _, w := range ws {
			st := filepath.Join(tmp, fmt.Sprintf("store%dx-%dw", scale, w))
			r, err := runIngest(c.trawl, st, dir, w, nil)
			if err != nil {
				return err
			}
			ingestRates[w] = rate(r.sum.Bytes, r.wall)
			res := fmt.Sprintf("%.2f MB/s, %.0f articles/s, %.1f CPU-s, peak RSS %s; %d entities, %d discrepancies",
				ingestRates[w], float64(r.sum.Articles)/r.wall.Seconds(), r.cpu.Seconds(), mb(r.rss), r.sum.Entities, r.sum.Discrepancies)
			if w > 1 && ingestRates[1] > 0 {
				res += fmt.Sprintf("; speed-up %.2fx over 1 worker", ingestRates[w]/ingestRates[1])
			}
			res += "; " + ingest.DescribePhases(r.sum.Phases)
			add("ingest: extract + reconcile + index, new store", label, strconv.Itoa(w), res)
			if w == c.workers {
				points = append(points, scalePoint{scale: scale, mbytes: float64(r.sum.Bytes) / 1e6, rate: ingestRates[w], rssMB: float64(r.rss) / 1e6})
			}
			if last != "" {
				os.RemoveAll(last)
			}
			last = st
		}
		r, err := runIngest(c.trawl, last, dir, c.workers, nil)
		if err != nil {
			return err
		}
		if r.sum.Unchanged != r.sum.Files-len(r.sum.Skipped) {
			return fmt.Errorf("re-ingest of %s: %d of %d files unchanged", dir, r.sum.Unchanged, r.sum.Files)
		}
		add("re-ingest, nothing changed", label, strconv.Itoa(c.workers),
			fmt.Sprintf("%.0f MB/s, %.1f CPU-s, peak RSS %s, %d documents re-indexed", rate(r.sum.Bytes, r.wall), r.cpu.Seconds(), mb(r.rss), r.sum.Indexed))
		lat, err := latencies(context.Background(), last, c.queries)
		if err != nil {
			return err
		}
		for _, l := range lat {
			add("search: "+l.name, label, "-", fmt.Sprintf("p50 %s, p99 %s (%d hits)", ms(l.p50), ms(l.p99), l.hits))
		}
		added := filepath.Join(tmp, fmt.Sprintf("added%dx", scale))
		if err := writeAdded(added, files, addedFiles); err != nil {
			return err
		}
		r, err = runIngest(c.trawl, last, added, c.workers, []string{dir})
		if err != nil {
			return err
		}
		if r.sum.New != addedFiles {
			return fmt.Errorf("ingest of %s beside %s: %d new files, want %d", added, dir, r.sum.New, addedFiles)
		}
		add(fmt.Sprintf("ingest: %d new files into the store", addedFiles), label, strconv.Itoa(c.workers),
			fmt.Sprintf("%.1f s, %.1f CPU-s, peak RSS %s, %d documents re-indexed; %s", r.wall.Seconds(), r.cpu.Seconds(), mb(r.rss), r.sum.Indexed, ingest.DescribePhases(r.sum.Phases)))
		os.RemoveAll(added)
		os.RemoveAll(last)
		if dir != c.corpus {
			os.RemoveAll(dir)
		}
	}

	if c.bigFile {
		if err := bigFiles(c, tmp, add); err != nil {
			return err
		}
	}

	if c.chart != "" {
		f, err := os.Create(c.chart)
		if err != nil {
			return err
		}
		err = writeChart(f, fmt.Sprintf("trawl ingest, %d workers, %s", c.workers, runtime.Version()), points)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("chart %s: %w", c.chart, err)
		}
		logf("chart written to %s", c.chart)
	}

	w := bufio.NewWriter(stdout)
	fmt.Fprintf(w, "Machine: %s, %d cores, %s, %s/%s; load average %s at start, %s at end; %s in all.\n\n",
		cpuModel(), runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH, load0, loadAvg(), time.Since(started).Round(time.Second))
	fmt.Fprintln(w, "| benchmark | corpus | workers | result |")
	fmt.Fprintln(w, "| --- | --- | --- | --- |")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", r.bench, r.corpus, r.workers, r.result)
	}
	return w.Flush()
}

// addedFiles is how many new files the incremental ingest of each scale
// adds to its store.
const addedFiles = 10

// writeAdded writes n new articles into dir for the incremental ingest.
// Article k is the title of one file of files followed by the start of
// the body of n others, all spread over the corpus, so that it is no
// copy of a stored article and names the people, dates and figures of
// the corpus as new articles on the same news would.
func writeAdded(dir string, files []string, n int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	step := max(1, len(files)/(n*(n+1)))
	for k := range n {
		var b strings.Builder
		for j := range n + 1 {
			raw, err := os.ReadFile(files[((k*(n+1)+j)*step)%len(files)])
			if err != nil {
				return err
			}
			title, body, _ := strings.Cut(string(raw), "\n")
			if j == 0 {
				b.WriteString(title + "\n\n")
				continue
			}
			// A third of the body, at most 600 bytes, cut at a line or word
			// end: the whole of a short body would make its file a copy of
			// the new one by containment (dedup.Near).
			if cut := min(600, len(body)/3); cut < len(body) {
				body = body[:cut]
				if i := strings.LastIndexAny(body, "\n "); i > 0 {
					body = body[:i]
				}
			}
			b.WriteString(strings.TrimSpace(body) + "\n\n")
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("added_%02d.txt", k)), []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// corpusFiles lists the .txt files of dir, sorted, with their total size.
func corpusFiles(dir string) ([]string, int64, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		return nil, 0, fmt.Errorf("no benchmark corpus in %s", dir)
	}
	slices.Sort(files)
	var size int64
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			return nil, 0, err
		}
		size += fi.Size()
	}
	return files, size, nil
}

// floor reads every file and splits it into words: the least any extractor
// has to do.
func floor(files []string) int {
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		n += len(bytes.Fields(b))
	}
	return n
}

// extractResult is one in-process extraction run over the corpus.
type extractResult struct {
	bytes, allocBytes  int64
	articles, mentions int
	mallocs            uint64
	wall, cpu          time.Duration
}

// extractAll reads, decodes and extracts every file with workers goroutines
// and GOMAXPROCS set to workers, one article in memory per worker.
func extractAll(files []string, workers int, x *extract.Extractor) (extractResult, error) {
	runtime.GOMAXPROCS(workers)
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	cpu0, t0 := cpuTime(), time.Now()
	var nbytes, arts, mentions atomic.Int64
	var g errgroup.Group
	g.SetLimit(workers)
	for _, f := range files {
		g.Go(func() error {
			fi, err := os.Stat(f)
			if err != nil {
				return err
			}
			as, _, err := ingest.ExtractFile(corpus.File{Rel: filepath.Base(f), Abs: f, Format: corpus.FormatText}, corpus.Options{}, x)
			if err != nil {
				return nil // the table counts what was read; ingest reports bad files
			}
			nbytes.Add(fi.Size())
			for _, a := range as {
				arts.Add(1)
				mentions.Add(int64(len(a.Mentions)))
			}
			return nil
		})
	}
	err := g.Wait()
	wall, cpu := time.Since(t0), cpuTime()-cpu0
	runtime.ReadMemStats(&m1)
	return extractResult{
		bytes: nbytes.Load(), articles: int(arts.Load()), mentions: int(mentions.Load()),
		mallocs: m1.Mallocs - m0.Mallocs, allocBytes: int64(m1.TotalAlloc - m0.TotalAlloc),
		wall: wall, cpu: cpu,
	}, err
}

// ingestResult is one run of trawl ingest.
type ingestResult struct {
	sum       ingest.Summary
	wall, cpu time.Duration
	rss       int64
	stderr    string
}

// runIngest runs trawl ingest of dir into the store st with workers workers
// (and GOMAXPROCS=workers) and measures it from outside.
func runIngest(bin, st, dir string, workers int, extra []string) (ingestResult, error) {
	args := append([]string{"--store", st, "ingest", "--quiet", "--json", "--workers", strconv.Itoa(workers)}, extra...)
	cmd := exec.Command(bin, append(args, dir)...)
	// TRAWL_PEAK_RSS=1: trawl prints its own VmHWM when it ends (Linux).
	cmd.Env = append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(workers), "TRAWL_PEAK_RSS=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	t := time.Now()
	if err := cmd.Start(); err != nil {
		return ingestResult{}, fmt.Errorf("%s: %w", strings.Join(cmd.Args, " "), err)
	}
	stop := watchPeak(cmd.Process.Pid)
	err := cmd.Wait()
	peak := stop()
	r := ingestResult{wall: time.Since(t), stderr: errb.String()}
	if err != nil {
		return r, fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, lastLines(errb.String(), 10))
	}
	r.cpu, r.rss, _ = childUsage(cmd.ProcessState)
	if own, ok := reportedPeak(errb.String()); ok {
		// The child's own VmHWM, read as it ended: exact.
		r.rss = own
	} else if peak > 0 {
		// The polled VmHWM of the child itself (see watchPeak); it misses
		// at most the last 20 ms of the run.
		r.rss = peak
	}
	if err := json.Unmarshal(out.Bytes(), &r.sum); err != nil {
		return r, fmt.Errorf("%s: read summary: %w", strings.Join(cmd.Args, " "), err)
	}
	return r, nil
}

// reportedPeak finds in the stderr of trawl ingest the peak resident set
// size it prints when TRAWL_PEAK_RSS=1 ("peak RSS: N kB (VmHWM)"), in
// bytes; ok is false when there is none (not Linux, or an older trawl).
func reportedPeak(stderr string) (bytes int64, ok bool) {
	for _, l := range strings.Split(stderr, "\n") {
		v, found := strings.CutPrefix(l, "peak RSS: ")
		if !found {
			continue
		}
		v, found = strings.CutSuffix(v, " kB (VmHWM)")
		kb, err := strconv.ParseInt(v, 10, 64)
		if found && err == nil && kb > 0 {
			bytes, ok = kb*1024, true
		}
	}
	return bytes, ok
}

// latency is the result of one benchmark query.
type latency struct {
	name     string
	p50, p99 time.Duration
	hits     uint64
}

// latencies times the four benchmark queries on the store's index, the way
// trawl search runs them (read-only; the index resolves names itself).
func latencies(ctx context.Context, dir string, n int) ([]latency, error) {
	s, err := store.Open(dir, store.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	es, err := s.Entities()
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, errors.New("search: the store has no entities")
	}
	top := slices.MaxFunc(es, func(a, b trawl.Entity) int {
		if a.Mentions != b.Mentions {
			return a.Mentions - b.Mentions
		}
		return strings.Compare(b.ID, a.ID)
	})
	ix, err := s.OpenIndex()
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	qs := []struct {
		name string
		q    index.Query
	}{
		{`word "oil"`, index.Query{Text: "oil"}},
		{`phrase "interest rates"`, index.Query{Text: `"interest rates"`}},
		{fmt.Sprintf("person filter (%s) + word \"market\"", top.Canonical), index.Query{Text: "market", People: []string{top.ID}}},
		{`"prices", 1987-03-01..1987-06-30, category energy, facets`, index.Query{Text: "prices", From: "1987-03-01", To: "1987-06-30", Commodities: []string{"energy"}}},
	}
	var out []latency
	for _, q := range qs {
		r, err := ix.Search(ctx, q.q) // warm up, and count the hits
		if err != nil {
			return nil, fmt.Errorf("search %s: %w", q.name, err)
		}
		p50, p99, err := index.Latencies(ctx, ix, q.q, n)
		if err != nil {
			return nil, fmt.Errorf("search %s: %w", q.name, err)
		}
		out = append(out, latency{q.name, p50, p99, r.Total})
	}
	return out, nil
}

// bigFiles ingests a 50 MB file with the default --max-file-size (it must be
// refused without being read) and a 40 MB file of one line under a raised
// limit, and reports time and peak RSS of each.
func bigFiles(c config, tmp string, add func(b, corp, w, res string)) error {
	sample, err := os.ReadFile(filepath.Join(c.corpus, "bbc_business_001.txt"))
	if err != nil {
		files, _, _ := corpusFiles(c.corpus)
		if sample, err = os.ReadFile(files[0]); err != nil {
			return err
		}
	}
	line := bytes.ReplaceAll(bytes.TrimSpace(sample), []byte("\n"), []byte(" "))
	for _, tc := range []struct {
		name  string
		size  int
		extra []string
	}{
		{"50 MB file, default --max-file-size 20MB", 50 << 20, nil},
		{"40 MB file of one line, --max-file-size 64MB", 40 << 20, []string{"--max-file-size", "64MB"}},
	} {
		dir := filepath.Join(tmp, "big")
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		var b bytes.Buffer
		for b.Len() < tc.size {
			b.Write(line)
			b.WriteByte(' ')
		}
		if err := os.WriteFile(filepath.Join(dir, "big.txt"), b.Bytes()[:tc.size], 0o644); err != nil {
			return err
		}
		st := filepath.Join(tmp, "store-big")
		r, err := runIngest(c.trawl, st, dir, c.workers, tc.extra)
		if err != nil {
			return err
		}
		res := fmt.Sprintf("%.1f s, peak RSS %s; ", r.wall.Seconds(), mb(r.rss))
		if len(r.sum.Skipped) > 0 {
			res += "skipped: " + r.sum.Skipped[0].Reason
		} else {
			res += fmt.Sprintf("%d article, %.2f MB/s", r.sum.Articles, rate(r.sum.Bytes, r.wall))
		}
		add(tc.name, "1 file", strconv.Itoa(c.workers), res)
		os.RemoveAll(st)
		os.RemoveAll(dir)
	}
	return nil
}

func uniq(a, b int) []int {
	if a == b {
		return []int{a}
	}
	return []int{a, b}
}

func median(ds []time.Duration) time.Duration {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// rate is n bytes over d in MB/s (10^6 bytes, as the issue counts them).
func rate(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / 1e6 / d.Seconds()
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
func kb(n int64) string { return fmt.Sprintf("%.0f KB", float64(n)/1e3) }
func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000)
}

// cpuModel is the processor's model name from /proc/cpuinfo, or GOARCH.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				return strings.TrimSpace(v)
			}
		}
	}
	return runtime.GOARCH
}

// loadAvg is the 1-minute load average, to show how busy the machine was.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "unknown"
	}
	return f[0]
}

func lastLines(s string, n int) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(ls[max(0, len(ls)-n):], "\n")
}

// profileIngest ingests the corpus into a new store in this process under
// the CPU profiler, for docs/performance.md.
func profileIngest(c config, stdout io.Writer) error {
	tmp, err := os.MkdirTemp(c.tmp, "trawlbench-profile-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	s, err := store.Open(tmp, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	f, err := os.Create(c.ingestProfile)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	t := time.Now()
	sum, err := ingest.Run(context.Background(), s, []string{c.corpus}, ingest.Options{Workers: c.workers})
	pprof.StopCPUProfile()
	if err != nil {
		return err
	}
	if again := os.Getenv("TRAWLBENCH_REINGEST_PROFILE"); again != "" {
		// Profile re-ingests of the unchanged corpus instead.
		g, err := os.Create(again)
		if err != nil {
			return err
		}
		defer g.Close()
		pprof.StartCPUProfile(g)
		t := time.Now()
		for range 10 {
			if _, err := ingest.Run(context.Background(), s, []string{c.corpus}, ingest.Options{Workers: c.workers}); err != nil {
				return err
			}
		}
		pprof.StopCPUProfile()
		fmt.Fprintf(stdout, "10 re-ingests: %v each\n", time.Since(t)/10)
	}
	fmt.Fprintf(stdout, "ingested %d articles (%s) in %v: %.2f MB/s\n", sum.Articles, mb(sum.Bytes), time.Since(t).Round(time.Millisecond), rate(sum.Bytes, time.Since(t)))
	return nil
}

// profileRefresh re-runs the reconciliation and indexing of an existing
// store (store.Refresh, under the heap limit trawl sets for it) under the
// CPU profiler and reports the time and the peak Go heap.
func profileRefresh(c config, stdout io.Writer) error {
	s, err := store.Open(c.refreshProfile, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	if c.cpuprofile != "" {
		f, err := os.Create(c.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
				if c.memprofile != "" && m.HeapInuse > 100<<20 {
					if f, err := os.Create(c.memprofile); err == nil {
						pprof.Lookup("heap").WriteTo(f, 0)
						f.Close()
					}
				}
			}
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Millisecond):
			}
		}
	}()
	if os.Getenv("GOMEMLIMIT") == "" && debug.SetMemoryLimit(-1) > 512<<20 {
		debug.SetMemoryLimit(512 << 20) // as trawl does for a refresh
	}
	t := time.Now()
	_, err = s.Refresh(context.Background())
	close(stop)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "refresh of %s: %v, peak Go heap in use %s\n", c.refreshProfile, time.Since(t).Round(time.Millisecond), mb(int64(peak.Load())))
	return nil
}

// latenciesProfiled measures the search latencies of an existing store,
// under the CPU profiler when -cpuprofile is set.
func latenciesProfiled(c config) ([]latency, error) {
	if c.cpuprofile != "" {
		f, err := os.Create(c.cpuprofile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
		defer pprof.StopCPUProfile()
	}
	if os.Getenv("TRAWLBENCH_COMPACT") != "" {
		s, err := store.Open(c.searchProfile, store.Options{})
		if err != nil {
			return nil, err
		}
		ix, err := index.Open(s.IndexPath())
		if err != nil {
			s.Close()
			return nil, err
		}
		t := time.Now()
		if err := ix.Compact(context.Background()); err != nil {
			return nil, err
		}
		if err := ix.Close(); err != nil {
			return nil, err
		}
		if err := s.Close(); err != nil {
			return nil, err
		}
		fmt.Fprintf(os.Stderr, "compacted in %v\n", time.Since(t))
	}
	return latencies(context.Background(), c.searchProfile, c.queries)
}
