package cluster

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/cluster/embedded"
	"github.com/trawlnews/trawl/extract"
	"github.com/trawlnews/trawl/ingest"
	"github.com/trawlnews/trawl/internal/proctest"
	"github.com/trawlnews/trawl/report"
	"github.com/trawlnews/trawl/store"
)

// testWait bounds each distributed ingest of these tests.
const testWait = 3 * time.Minute

// xOnce is the one extractor of the test binary: every worker, and the
// local ingest the distributed ones are compared with, share it, as the
// goroutines of one worker process do.
var xOnce = sync.OnceValue(func() *extract.Extractor { return extract.New(extract.Options{}) })

// TestCluster runs distributed ingests on a 3-node JetStream cluster with
// streams of 3 replicas, on the sample articles and 300 generated ones,
// and checks each against a single-machine ingest of the same files.
func TestCluster(t *testing.T) {
	roots := []string{filepath.Join(proctest.Root(t), "testdata", "articles"), proctest.ManyArticles(t, 300)}
	ctx, cancel := context.WithTimeout(context.Background(), 5*testWait)
	defer cancel()
	local := openStore(t)
	sum, err := ingest.Run(ctx, local, roots, ingest.Options{Extractor: xOnce()})
	if err != nil {
		t.Fatal(err)
	}
	files := sum.New
	articles, err := local.Count()
	if err != nil {
		t.Fatal(err)
	}
	want := dump(t, local)

	t.Run("three workers, then a re-run", func(t *testing.T) {
		c := newTestCluster(t)
		for i := range 3 {
			c.worker(t, i, nil)
		}
		s := c.ingestByWorkers(t, roots, want)
		if st := c.last; st.Inline != articles || st.Uploaded != 0 {
			t.Errorf("stats %+v: want all %d texts sent in their batches, none through the object store", st, articles)
		}
		sum, st := c.ingest(t, s, roots, nil)
		if diff := cmp.Diff(Stats{}, st); diff != "" {
			t.Errorf("re-run with nothing changed went through NATS (-want +got):\n%s", diff)
		}
		if sum.Unchanged != files || sum.Extracted != 0 {
			t.Errorf("re-run: %d unchanged, %d extracted; want %d unchanged, 0 extracted", sum.Unchanged, sum.Extracted, files)
		}
	})

	t.Run("a worker of the wire form before signatures and binary results", func(t *testing.T) {
		c := newTestCluster(t)
		c.worker(t, 0, nil)
		c.oldWorker(t, 1)
		c.ingestByWorkers(t, roots, want)
	})

	t.Run("a worker dies in the middle of a batch", func(t *testing.T) {
		c := newTestCluster(t)
		// Batches carry the texts that fit in 4,000 bytes and name the
		// others in the object store: both ways reach the workers.
		c.inlineBytes = 4000
		// The doomed worker starts alone, so the first batch is its; it
		// drops its connection after extracting it, before publishing or
		// acknowledging, and only then do two healthy workers start.
		died := make(chan struct{})
		c.worker(t, 0, func(stop func()) {
			stop()
			close(died)
		})
		s := openStore(t)
		done := make(chan Stats, 1)
		go func() {
			_, st, err := c.run(s, roots, nil)
			if err != nil {
				t.Errorf("ingest: %v (stats %+v)", err, st)
			}
			done <- st
		}()
		select {
		case <-died:
		case <-time.After(testWait):
			t.Fatal("the doomed worker got no batch")
		}
		c.worker(t, 1, nil)
		c.worker(t, 2, nil)
		st := <-done
		if st.Redelivered == 0 {
			t.Errorf("stats %+v: want the dead worker's batch redelivered", st)
		}
		if st.Inline == 0 || st.Uploaded == 0 {
			t.Errorf("stats %+v: want texts both in batches and in the object store", st)
		}
		n, err := s.Count()
		if err != nil {
			t.Fatal(err)
		}
		if n != articles {
			t.Errorf("store holds %d articles, want %d", n, articles)
		}
		if diff := cmp.Diff(want, dump(t, s)); diff != "" {
			t.Errorf("distributed ingest differs from the local one (-want +got):\n%s", diff)
		}
	})

	t.Run("the workers give up on a batch whose texts are gone", func(t *testing.T) {
		c := newTestCluster(t)
		c.inlineBytes = -1 // every text in the object store
		s := openStore(t)
		queued := make(chan struct{})
		var once sync.Once
		done := make(chan Stats, 1)
		go func() {
			_, st, err := c.run(s, roots, func(st Stats) {
				if st.Queued > 0 {
					once.Do(func() { close(queued) })
				}
			})
			if err != nil {
				t.Errorf("ingest: %v (stats %+v)", err, st)
			}
			done <- st
		}()
		select {
		case <-queued:
		case <-time.After(testWait):
			t.Fatal("no batch queued")
		}
		// No worker runs yet: take the texts of the first batch away, so
		// that the worker that gets it rejects it.
		ctx, cancel := context.WithTimeout(context.Background(), testWait)
		defer cancel()
		res, err := setUp(ctx, c.connect(t), c.opts)
		if err != nil {
			t.Fatal(err)
		}
		objs, err := res.texts.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objs {
			if err := res.texts.Delete(ctx, o.Name); err != nil {
				t.Fatal(err)
			}
		}
		c.worker(t, 0, nil)
		st := <-done
		if st.Local == 0 {
			t.Errorf("stats %+v: want the rejected batch extracted by the coordinator", st)
		}
		if diff := cmp.Diff(want, dump(t, s)); diff != "" {
			t.Errorf("distributed ingest differs from the local one (-want +got):\n%s", diff)
		}
	})

	t.Run("a NATS server stops during the run", func(t *testing.T) {
		c := newTestCluster(t)
		for i := range 3 {
			c.worker(t, i, nil)
		}
		s := openStore(t)
		var once sync.Once
		var stopped atomic.Bool
		_, st := c.ingest(t, s, roots, func(st Stats) {
			if st.Done >= 3 {
				once.Do(func() {
					go func() {
						embedded.Shutdown(c.servers[0])
						stopped.Store(true)
					}()
				})
			}
		})
		if !stopped.Load() {
			t.Errorf("stats %+v: the run ended before a server was stopped", st)
		}
		if diff := cmp.Diff(want, dump(t, s)); diff != "" {
			t.Errorf("distributed ingest differs from the local one (-want +got):\n%s", diff)
		}
	})
}

// testCluster is a 3-node JetStream cluster with short acknowledgement
// waits, and the connection options of its clients.
type testCluster struct {
	servers []*server.Server
	urls    string
	opts    Options
	// inlineBytes is IngestOptions.InlineBytes of the coordinators.
	inlineBytes int
	// last is the stats of the last ingest through c.ingest.
	last Stats
}

func newTestCluster(t *testing.T) *testCluster {
	t.Helper()
	servers, err := embedded.Cluster(t.TempDir(), 3)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { embedded.Shutdown(servers...) })
	return &testCluster{
		servers: servers,
		urls:    embedded.URLs(servers),
		opts:    Options{Replicas: 3, AckWait: 2 * time.Second, MaxDeliver: 5},
	}
}

// connect opens a client connection to any of the cluster's servers that
// reconnects to another when its server goes.
func (c *testCluster) connect(t *testing.T) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(c.urls, nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// worker starts worker i until the test ends. With die set, the worker
// calls die after extracting its first batch, with a function that closes
// its connection and stops it, as a crash would.
func (c *testCluster) worker(t *testing.T, i int, die func(stop func())) {
	t.Helper()
	nc := c.connect(t)
	ctx, cancel := context.WithCancel(context.Background())
	opts := WorkerOptions{Cluster: c.opts, Extractor: xOnce(), Workers: 2, Name: "w" + string(rune('0'+i))}
	opts.Problem = func(err error) { t.Logf("worker %d: %v", i, err) }
	if die != nil {
		var once sync.Once
		opts.afterExtract = func() {
			once.Do(func() {
				die(func() {
					nc.Close()
					cancel()
				})
			})
		}
	}
	done := make(chan error, 1)
	go func() { done <- Work(ctx, nc, opts) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && die == nil {
			t.Errorf("worker %d: %v", i, err)
		}
	})
}

// oldWorker starts worker i answering in JSON without signatures, as
// the workers before batch.Sign and batch.Codec did.
func (c *testCluster) oldWorker(t *testing.T, i int) {
	t.Helper()
	nc := c.connect(t)
	ctx, cancel := context.WithCancel(context.Background())
	opts := WorkerOptions{Cluster: c.opts, Extractor: xOnce(), Workers: 2, Name: "old" + string(rune('0'+i)), oldWire: true}
	done := make(chan error, 1)
	go func() { done <- Work(ctx, nc, opts) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("worker %d: %v", i, err)
		}
	})
}

// ingest runs a coordinator on s and fails the test on an error.
func (c *testCluster) ingest(t *testing.T, s *store.Store, roots []string, progress func(Stats)) (*ingest.Summary, Stats) {
	t.Helper()
	sum, st, err := c.run(s, roots, progress)
	if err != nil {
		t.Fatalf("ingest: %v (stats %+v)", err, st)
	}
	c.last = st
	if sum == nil || sum.Interrupted {
		t.Fatalf("ingest interrupted (stats %+v)", st)
	}
	return sum, st
}

// ingestByWorkers ingests roots into a new store through c, checks that
// the workers did every batch and that the store dumps as want, and
// returns the store.
func (c *testCluster) ingestByWorkers(t *testing.T, roots []string, want string) *store.Store {
	t.Helper()
	s := openStore(t)
	_, st := c.ingest(t, s, roots, nil)
	if st.Queued == 0 || st.Done != st.Queued || st.Local != 0 {
		t.Errorf("stats %+v: want every batch queued done by the workers", st)
	}
	if diff := cmp.Diff(want, dump(t, s)); diff != "" {
		t.Errorf("distributed ingest differs from the local one (-want +got):\n%s", diff)
	}
	return s
}

// run runs a coordinator on s.
func (c *testCluster) run(s *store.Store, roots []string, progress func(Stats)) (*ingest.Summary, Stats, error) {
	nc, err := nats.Connect(c.urls, nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond))
	if err != nil {
		return nil, Stats{}, err
	}
	defer nc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	return Ingest(ctx, nc, s, roots, IngestOptions{Cluster: c.opts, Progress: progress, InlineBytes: c.inlineBytes})
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// dump is what a user reads from a store: the JSON of trawl entities
// --json and of trawl discrepancies --format json, then every stored
// article, one JSON line each.
func dump(t *testing.T, s *store.Store) string {
	t.Helper()
	var b bytes.Buffer
	es, err := s.Entities()
	if err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(es); err != nil {
		t.Fatal(err)
	}
	ds, err := s.Discrepancies()
	if err != nil {
		t.Fatal(err)
	}
	if err := report.WriteJSON(&b, ds); err != nil {
		t.Fatal(err)
	}
	err = s.Articles(func(a trawl.Article) error {
		line, err := json.Marshal(a)
		b.Write(line)
		b.WriteByte('\n')
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
