package cluster

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/trawlnews/trawl/cluster/embedded"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/extract"
	"github.com/trawlnews/trawl/internal/proctest"
)

// BenchmarkWorkerRate compares a worker's extraction rate with extraction
// in one process, one batch of 16 articles of ../shared/bench/corpus per
// operation: "in-process" extracts texts held in memory; "one-at-a-time"
// reads each text by name (two requests) and then extracts it, as the
// worker did before reading a batch's texts concurrently; "by-name" and
// "by-chunk" are the worker's batch step (worker.extract) with tasks that
// name the text only and with tasks that carry the chunk id (one request a
// text); "inline" decodes a batch message that carries its texts
// (encodeBatch) and extracts it, with no request at all. It reports articles per second of wall time and per CPU-second of
// the process (user+sys). Run it with GOMAXPROCS=1 and the server in
// another process (TRAWL_BENCH_NATS=URL, e.g. bin/trawlnats -url-file), so
// that the server's work is not counted; without the variable it starts an
// embedded server in this process.
func BenchmarkWorkerRate(b *testing.B) {
	root, err := proctest.ModuleRoot()
	if err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(root, "..", "shared", "bench", "corpus", "*"))
	if len(files) == 0 {
		b.Skip("benchmark corpus not available (needs ../shared/bench/corpus)")
	}
	url := os.Getenv("TRAWL_BENCH_NATS")
	if url == "" {
		srv, err := embedded.Server(b.TempDir(), 0)
		if err != nil {
			b.Fatal(err)
		}
		defer embedded.Shutdown(srv)
		url = srv.ClientURL()
	}
	ctx := context.Background()
	res := benchResources(ctx, b, url)
	var tasks []task
	texts := map[string]string{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		a, err := corpus.Parse(filepath.Base(f), raw, corpus.Options{})
		if err != nil {
			continue
		}
		h := corpus.Hash([]byte(a.Text))
		info, err := res.texts.GetInfo(ctx, h)
		if err != nil {
			info, err = res.texts.PutString(ctx, h, a.Text)
		}
		if err != nil {
			b.Fatal(err)
		}
		texts[h] = a.Text
		a.Text = ""
		tasks = append(tasks, task{Article: a, Text: h, Chunk: info.NUID})
	}
	var batches, byName []batch
	var inline [][]byte // the messages of batches with their texts inline
	for i := 0; i < len(tasks); i += 16 {
		bt := batch{Run: "bench", Seq: i / 16, Tasks: tasks[i:min(i+16, len(tasks))]}
		batches = append(batches, bt)
		bt.Tasks = append([]task(nil), bt.Tasks...)
		for k := range bt.Tasks {
			bt.Tasks[k].Chunk = ""
		}
		byName = append(byName, bt)
		in := bt
		in.Tasks = nil
		for _, t := range bt.Tasks {
			in.Tasks = append(in.Tasks, task{Article: t.Article, Inline: true, body: texts[t.Text]})
		}
		data, err := encodeBatch(&in)
		if err != nil {
			b.Fatal(err)
		}
		inline = append(inline, data)
	}
	x := extract.New(extract.Options{})
	x.Warm()
	w := &worker{res: res, x: x, workers: 1, cores: make(chan struct{}, 1)}
	run := func(name string, fn func(bt batch)) {
		b.Run(name, func(b *testing.B) {
			articles := 0
			c0 := cpuTime()
			b.ResetTimer()
			for i := range b.N {
				bt := batches[i%len(batches)]
				fn(bt)
				articles += len(bt.Tasks)
			}
			b.StopTimer()
			cpu := cpuTime() - c0
			b.ReportMetric(float64(articles)/b.Elapsed().Seconds(), "articles/s")
			b.ReportMetric(float64(articles)/cpu.Seconds(), "articles/CPU-s")
		})
	}
	run("in-process", func(bt batch) {
		for _, t := range bt.Tasks {
			a := t.Article
			a.Text = texts[t.Text]
			x.Extract(&a)
		}
	})
	run("one-at-a-time", func(bt batch) {
		for _, t := range bt.Tasks {
			text, err := res.getText(ctx, t.Text)
			if err != nil {
				b.Fatal(err)
			}
			a := t.Article
			a.Text = string(text)
			x.Extract(&a)
		}
	})
	run("by-name", func(bt batch) {
		if _, err := w.extract(ctx, byName[bt.Seq]); err != nil {
			b.Fatal(err)
		}
	})
	run("by-chunk", func(bt batch) {
		if _, err := w.extract(ctx, bt); err != nil {
			b.Fatal(err)
		}
	})
	run("inline", func(bt batch) {
		var in batch
		if err := decodeBatch(inline[bt.Seq], &in); err != nil {
			b.Fatal(err)
		}
		if _, err := w.extract(ctx, in); err != nil {
			b.Fatal(err)
		}
	})
}

// cpuTime is the user+sys CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchResources connects to the server at url and sets up the streams and
// buckets of a run; the connection is closed when b ends.
func benchResources(ctx context.Context, b *testing.B, url string) *resources {
	b.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(nc.Close)
	res, err := setUp(ctx, nc, Options{})
	if err != nil {
		b.Fatal(err)
	}
	return res
}
