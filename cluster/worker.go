package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/dedup"
	"github.com/trawlnews/trawl/extract"
)

// WorkerOptions tunes Work. The zero value uses GOMAXPROCS goroutines,
// builds an extractor and names the worker after the host and process.
type WorkerOptions struct {
	Cluster Options
	// Workers is the number of articles extracted at once, over the
	// batches in hand; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// Extractor is the extractor; nil builds one.
	Extractor *extract.Extractor
	// Name names the worker in results and logs; "" means host:pid.
	Name string
	// Done, when set, is called after each batch with what became of it.
	Done func(BatchDone)
	// Problem, when set, is called with each batch that could not be
	// extracted (it is redelivered or, if it can never be, given up).
	Problem func(error)

	// afterExtract, in tests, is called after a batch is extracted and
	// before its result is published.
	afterExtract func()
	// oldWire, in tests, makes the worker answer as the workers before
	// batch.Sign and batch.Codec did: JSON results without signatures.
	oldWire bool
}

// BatchDone is what a worker did with one batch.
type BatchDone struct {
	Run       string
	Seq       int
	Articles  int
	Delivered uint64 // 1 for a first delivery
	Elapsed   time.Duration
}

// fetchWait is how long one pull waits for a batch: it bounds how long a
// worker takes to notice that its context was cancelled.
const fetchWait = time.Second

// Work pulls batches from the work queue on nc and extracts them until ctx
// is cancelled, then returns nil. A batch it cannot finish is not
// acknowledged (or is rejected at once when it stops) and goes to another
// worker.
func Work(ctx context.Context, nc *nats.Conn, opts WorkerOptions) error {
	res, err := setUp(ctx, nc, opts.Cluster)
	if ctx.Err() != nil {
		return nil // stopped before it started
	}
	if err != nil {
		return err
	}
	w := &worker{res: res, opts: opts, x: opts.Extractor, workers: opts.Workers}
	if w.x == nil {
		w.x = extract.New(extract.Options{})
	}
	if w.workers <= 0 {
		w.workers = runtime.GOMAXPROCS(0)
	}
	w.cores = make(chan struct{}, w.workers)
	if w.opts.Name == "" {
		host, _ := os.Hostname()
		w.opts.Name = host + ":" + strconv.Itoa(os.Getpid())
	}
	cons, err := workerConsumer(ctx, res)
	if ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return err
	}
	go w.x.Warm()
	// A batch in hand takes a slot; the next batch is pulled while the
	// last one is extracted.
	hand := make(chan struct{}, batchesInHand)
	var wg sync.WaitGroup
	defer wg.Wait()
	for ctx.Err() == nil {
		select {
		case hand <- struct{}{}:
		case <-ctx.Done():
			continue
		}
		msgs, err := cons.Fetch(1, jetstream.FetchMaxWait(fetchWait))
		if err != nil {
			<-hand
			// The server is gone or electing a leader: wait and pull again.
			select {
			case <-ctx.Done():
			case <-time.After(fetchWait):
			}
			continue
		}
		got := false
		for msg := range msgs.Messages() {
			got = true
			wg.Add(1)
			go func() {
				defer func() { <-hand }()
				defer wg.Done()
				w.handle(ctx, msg)
			}()
		}
		if !got {
			<-hand
		}
	}
	return nil
}

// batchesInHand is how many batches a worker holds at once: it pulls the
// next while it extracts the last, so that its cores do not wait for the
// round trips between two batches (publish, acknowledge, pull) nor for the
// last, longest article of a batch, and still takes no more than it is
// about to work on, so that a slow machine takes less.
const batchesInHand = 2

// workerConsumer returns the consumer the workers share, creating it when
// it is missing and updating it when its acknowledgement settings are not
// those of res.
func workerConsumer(ctx context.Context, res *resources) (jetstream.Consumer, error) {
	cfg := jetstream.ConsumerConfig{
		Durable:       WorkerConsumer,
		Description:   "trawl workers: each batch to one worker at a time",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       res.opts.AckWait,
		MaxDeliver:    res.opts.MaxDeliver,
		MaxAckPending: -1,
		Replicas:      res.opts.Replicas,
	}
	var cons jetstream.Consumer
	err := retry(ctx, "consumer "+WorkerConsumer, func(ctx context.Context) error {
		var err error
		cons, err = res.js.Consumer(ctx, BatchStream, WorkerConsumer)
		switch {
		case errors.Is(err, jetstream.ErrConsumerNotFound):
			cons, err = res.js.CreateConsumer(ctx, BatchStream, cfg)
		case err == nil:
			if have := cons.CachedInfo().Config; have.AckWait != cfg.AckWait || have.MaxDeliver != cfg.MaxDeliver {
				cons, err = res.js.UpdateConsumer(ctx, BatchStream, cfg)
			}
		}
		return err
	})
	return cons, err
}

// worker is one running Work.
type worker struct {
	res     *resources
	opts    WorkerOptions
	x       *extract.Extractor
	workers int
	// cores holds a token for each article being extracted, at most
	// workers, across the batches in hand.
	cores chan struct{}
}

// problem reports err to WorkerOptions.Problem.
func (w *worker) problem(err error) {
	if w.opts.Problem != nil {
		w.opts.Problem(err)
	}
}

// handle extracts one batch, publishes its result and acknowledges it.
// Until the result is published the batch is kept alive with "in
// progress" acknowledgements; any failure leaves it to be delivered again.
func (w *worker) handle(ctx context.Context, msg jetstream.Msg) {
	start := time.Now()
	var delivered uint64 = 1
	if md, err := msg.Metadata(); err == nil {
		delivered = md.NumDelivered
	}
	var b batch
	if err := decodeBatch(msg.Data(), &b); err != nil {
		w.problem(err)
		_ = msg.TermWithReason(err.Error()) // a bad message never gets better
		return
	}
	if w.opts.oldWire {
		b.Sign, b.Codec = false, ""
	}
	stop := w.keepAlive(msg)
	defer stop()
	r, err := w.extract(ctx, b)
	if err != nil {
		w.problem(fmt.Errorf("cluster: batch %s.%d: %w", b.Run, b.Seq, err))
		if errors.Is(err, jetstream.ErrObjectNotFound) {
			_ = msg.TermWithReason(err.Error()) // the coordinator extracts it itself
		} else {
			_ = msg.Nak()
		}
		return
	}
	if w.opts.afterExtract != nil {
		w.opts.afterExtract()
	}
	if ctx.Err() != nil {
		_ = msg.Nak() // stopping: let another worker have it now
		return
	}
	r.Worker, r.Delivered = w.opts.Name, delivered
	if err := w.publish(ctx, r); err != nil {
		w.problem(fmt.Errorf("cluster: batch %s.%d: %w", b.Run, b.Seq, err))
		_ = msg.Nak()
		return
	}
	// A lost acknowledgement only means the batch is done twice, which
	// changes nothing.
	_ = msg.DoubleAck(ctx)
	if w.opts.Done != nil {
		w.opts.Done(BatchDone{Run: b.Run, Seq: b.Seq, Articles: len(b.Tasks), Delivered: delivered, Elapsed: time.Since(start)})
	}
}

// keepAlive tells the server every AckWait/3 that msg is still being
// worked on, until the returned function is called.
func (w *worker) keepAlive(msg jetstream.Msg) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(w.res.opts.AckWait / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				_ = msg.InProgress()
			}
		}
	}()
	return func() { close(done) }
}

// fetchParallel is how many texts of a batch a worker reads from the
// object store at once. A read mostly waits on the network and the
// server, not on a core, so more reads than extracting goroutines are in
// flight: the texts of a batch arrive while its first articles are
// extracted, instead of one read before each extraction.
const fetchParallel = 8

// extract fetches the texts of b that are not inline, fetchParallel at a
// time, and extracts its articles in parallel as their texts are there, in
// batch order.
func (w *worker) extract(ctx context.Context, b batch) (*result, error) {
	r := &result{Run: b.Run, Seq: b.Seq, Codec: b.Codec}
	r.Articles = make([]trawl.Article, len(b.Tasks))
	if b.Sign {
		r.Signatures = make([][]byte, len(b.Tasks))
	}
	texts := make([]string, len(b.Tasks))
	ready := make([]chan struct{}, len(b.Tasks))
	for i, t := range b.Tasks {
		ready[i] = make(chan struct{})
		if t.Inline {
			texts[i] = t.body
			close(ready[i])
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		fetch, fctx := errgroup.WithContext(gctx)
		fetch.SetLimit(fetchParallel)
		for i, t := range b.Tasks {
			if t.Inline {
				continue
			}
			fetch.Go(func() error {
				var text []byte
				checked := false // the hash of text was checked
				err := retry(fctx, "get text "+t.Text, func(ctx context.Context) error {
					var err error
					if t.Chunk != "" {
						text, err = w.res.getChunk(ctx, t.Chunk)
						if checked = err == nil && corpus.Hash(text) == t.Text; checked {
							return nil
						}
						// a text put again since the batch was queued has
						// another chunk: read it by name
					}
					text, err = w.res.getText(ctx, t.Text)
					if errors.Is(err, jetstream.ErrObjectNotFound) {
						return fmt.Errorf("%w (%w)", err, errPermanent)
					}
					return err
				})
				if err != nil {
					return err
				}
				if !checked {
					if got := corpus.Hash(text); got != t.Text {
						return fmt.Errorf("text %s: content hash is %s", t.Text, got)
					}
				}
				texts[i] = string(text)
				close(ready[i])
				return nil
			})
		}
		return fetch.Wait()
	})
	g.Go(func() error {
		ext, ectx := errgroup.WithContext(gctx)
		for i, t := range b.Tasks {
			select {
			case <-ready[i]:
			case <-ectx.Done():
				return ext.Wait()
			}
			select {
			case w.cores <- struct{}{}:
			case <-ectx.Done():
				return ext.Wait()
			}
			ext.Go(func() error {
				defer func() { <-w.cores }()
				a := t.Article
				a.Text = texts[i]
				texts[i] = ""
				w.x.Extract(&a)
				if r.Signatures != nil {
					// signed here rather than at the coordinator, which
					// would sign every text in its refresh
					r.Signatures[i] = dedup.Sign(a.Text).Marshal()
				}
				a.Text = ""
				r.Articles[i] = a
				return nil
			})
		}
		return ext.Wait()
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return r, nil
}

// publish sends r to its coordinator's results subject; a result too big
// for one message goes to the object store and the message names it. The
// message id makes a publish that is retried after a lost reply count
// once.
func (w *worker) publish(ctx context.Context, r *result) error {
	data, err := encodeResult(r, r.Codec)
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	if int64(len(data)) > w.res.js.Conn().MaxPayload()-4096 {
		name := fmt.Sprintf("result.%s.%d", r.Run, r.Seq)
		err := retry(ctx, "put "+name, func(ctx context.Context) error {
			_, err := w.res.texts.PutBytes(ctx, name, data)
			return err
		})
		if err != nil {
			return err
		}
		small := *r
		small.Articles, small.Signatures, small.Codec, small.Object = nil, nil, "", name
		if data, err = json.Marshal(small); err != nil {
			return fmt.Errorf("encode result: %w", err)
		}
	}
	id := fmt.Sprintf("%s.%d", r.Run, r.Seq)
	return retry(ctx, "publish result "+id, func(ctx context.Context) error {
		_, err := w.res.js.Publish(ctx, resultSubject(r.Run), data, jetstream.WithMsgID(id))
		return err
	})
}
