package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"
	"golang.org/x/sync/errgroup"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/dedup"
	"github.com/trawlnews/trawl/extract"
	"github.com/trawlnews/trawl/ingest"
	"github.com/trawlnews/trawl/store"
)

// IngestOptions tunes Ingest. The zero value ingests with the defaults of
// ingest.Options and Options, in batches of 16 articles.
type IngestOptions struct {
	// Ingest is passed to ingest.Run, with its ExtractChunk set to the
	// workers. Its Workers is the number of files read at once (0 means
	// 16); a chunk of 16 times as many files is in flight at a time.
	Ingest  ingest.Options
	Cluster Options
	// BatchArticles is the number of articles in one batch; 0 means 16.
	BatchArticles int
	// InlineBytes is how many bytes of text a batch carries in its own
	// message; the texts that do not fit go through the object store. 0
	// means half the largest message the server takes (512 KB by
	// default); a negative value puts every text in the object store.
	InlineBytes int
	// Progress, when set, is called whenever a batch is queued or done.
	Progress func(Stats)
}

// Stats counts what went through JetStream in one Ingest.
type Stats struct {
	Queued int `json:"queued"` // batches queued
	Done   int `json:"done"`   // batches whose result came back
	// Redelivered is the number of batches done on a second or later
	// delivery (the worker that had it first died, was cut off or failed).
	Redelivered int `json:"redelivered"`
	// Duplicates is the number of results that came for a batch already
	// done; they are dropped.
	Duplicates int `json:"duplicates"`
	// Local is the number of batches the coordinator extracted itself,
	// because every delivery failed or a worker gave up on them.
	Local int `json:"local"`
	// Inline is the number of texts sent in their batch's message.
	Inline int `json:"inline"`
	// Uploaded is the number of texts put in the object store (those too
	// big to go in their batch); texts already there are not sent again.
	Uploaded int `json:"uploaded"`
}

// Ingest is ingest.Run with the extraction done by the workers on nc: the
// same walk, hashing, commits, removal of vanished files, reconciliation
// and indexing, so the store ends up as a local ingest would leave it.
// Only new and changed files are queued; a re-run with nothing changed
// queues nothing.
func Ingest(ctx context.Context, nc *nats.Conn, s *store.Store, roots []string, opts IngestOptions) (*ingest.Summary, Stats, error) {
	res, err := setUp(ctx, nc, opts.Cluster)
	if err != nil {
		return nil, Stats{}, err
	}
	c := &coordinator{
		res:     res,
		nc:      nc,
		opts:    opts,
		run:     nuid.Next(),
		pending: map[int]*pendingBatch{},
		byMsg:   map[uint64]int{},
		texts:   map[string]*textPut{},
		wake:    make(chan struct{}),
	}
	if c.opts.BatchArticles <= 0 {
		c.opts.BatchArticles = 16
	}
	if c.opts.InlineBytes == 0 {
		c.opts.InlineBytes = int(nc.MaxPayload() / 2)
	}
	stop, err := c.listen(ctx)
	if err != nil {
		return nil, Stats{}, err
	}
	defer stop()
	iopts := opts.Ingest
	if iopts.Workers <= 0 {
		iopts.Workers = 16
	}
	iopts.ExtractChunk = c.extractChunk
	sum, err := ingest.Run(ctx, s, roots, iopts)
	c.mu.Lock()
	st := c.stats
	c.mu.Unlock()
	return sum, st, err
}

// coordinator is one Ingest in progress.
type coordinator struct {
	res  *resources
	nc   *nats.Conn
	opts IngestOptions
	run  string // names this run's results subject and batch ids

	mu      sync.Mutex
	stats   Stats
	seq     int                   // of the last batch queued
	pending map[int]*pendingBatch // batches queued and not yet done, by seq
	byMsg   map[uint64]int        // stream sequence of each pending batch -> seq
	wake    chan struct{}         // closed and replaced when a pending batch is done or failed

	xOnce sync.Once
	x     *extract.Extractor // for batches no worker could do

	texts map[string]*textPut // the texts of this run put or found in the object store, by hash (under mu)
}

// textPut is a text on its way to the object store: done is closed when it
// is there (err nil) or could not be put.
type textPut struct {
	done  chan struct{}
	chunk string // the id of its one chunk, "" when it has several
	err   error
}

// pendingBatch is a queued batch waiting for its result.
type pendingBatch struct {
	arts    []trawl.Article   // the articles of the batch in the chunk, with their texts
	msg     uint64            // its stream sequence
	result  []trawl.Article   // set when done
	outSigs []dedup.Signature // where the signatures of arts go (ingest.Options.ExtractChunk)
	sigs    [][]byte          // the worker's dedup signatures of result, if it sent them
	failed  bool              // the workers gave up on it
}

// listen takes the results of this run and the advisories of batches the
// workers gave up on, until stop is called.
func (c *coordinator) listen(ctx context.Context) (stop func(), err error) {
	var cons jetstream.Consumer
	name := "trawl-coordinator-" + c.run
	err = retry(ctx, "consumer "+name, func(ctx context.Context) error {
		cons, err = c.res.js.CreateOrUpdateConsumer(ctx, ResultStream, jetstream.ConsumerConfig{
			Durable:       name,
			Description:   "trawl coordinator: the results of one run",
			FilterSubject: resultSubject(c.run),
			AckPolicy:     jetstream.AckExplicitPolicy,
			MaxAckPending: -1,
			// A coordinator that died leaves its consumer behind; the
			// server removes it after an hour without a pull.
			InactiveThreshold: time.Hour,
			Replicas:          c.res.opts.Replicas,
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	// Pulls expire every 5 s, so a pull lost with a server is renewed soon.
	cc, err := cons.Consume(c.onResult, jetstream.PullExpiry(5*time.Second))
	if err != nil {
		return nil, fmt.Errorf("cluster: consume results: %w", err)
	}
	var subs []*nats.Subscription
	for _, pre := range []string{"$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES", "$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED"} {
		sub, err := c.nc.Subscribe(pre+"."+BatchStream+"."+WorkerConsumer, c.onGiveUp)
		if err != nil {
			cc.Stop()
			return nil, fmt.Errorf("cluster: subscribe %s: %w", pre, err)
		}
		subs = append(subs, sub)
	}
	return func() {
		cc.Stop()
		for _, sub := range subs {
			_ = sub.Unsubscribe()
		}
		dctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = c.res.js.DeleteConsumer(dctx, ResultStream, name)
	}, nil
}

// onResult records the result of a pending batch; results of batches
// already done (a batch done twice) are counted and dropped.
func (c *coordinator) onResult(msg jetstream.Msg) {
	var r result
	if err := decodeResult("result", msg.Data(), &r); err != nil {
		_ = msg.Term()
		return
	}
	if r.Object != "" {
		data, err := c.res.texts.GetBytes(context.Background(), r.Object)
		if err != nil {
			_ = msg.Nak() // try again
			return
		}
		name := r.Object
		r = result{}
		if err := decodeResult("result "+name, data, &r); err != nil {
			_ = msg.Term()
			return
		}
		dctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = c.res.texts.Delete(dctx, name)
		cancel()
	}
	_ = msg.Ack()
	c.mu.Lock()
	p := c.pending[r.Seq]
	if p == nil || p.result != nil || p.failed || len(r.Articles) != len(p.arts) {
		c.stats.Duplicates++
		c.mu.Unlock()
		return
	}
	p.result = r.Articles
	if len(r.Signatures) == len(r.Articles) {
		p.sigs = r.Signatures
	}
	c.stats.Done++
	if r.Delivered > 1 {
		c.stats.Redelivered++
	}
	c.mu.Unlock()
	c.signal()
}

// onGiveUp marks a pending batch as failed when the server says the
// workers gave up on it (too many deliveries, or a worker rejected it).
func (c *coordinator) onGiveUp(m *nats.Msg) {
	var adv struct {
		StreamSeq uint64 `json:"stream_seq"`
	}
	if json.Unmarshal(m.Data, &adv) != nil {
		return
	}
	c.mu.Lock()
	seq, ok := c.byMsg[adv.StreamSeq]
	if ok && c.pending[seq] != nil && c.pending[seq].result == nil {
		c.pending[seq].failed = true
	}
	c.mu.Unlock()
	if ok {
		c.signal()
	}
}

// signal wakes every extractChunk waiting for results.
func (c *coordinator) signal() {
	c.mu.Lock()
	close(c.wake)
	c.wake = make(chan struct{})
	c.mu.Unlock()
}

// progress reports the stats to IngestOptions.Progress.
func (c *coordinator) progress() {
	if c.opts.Progress == nil {
		return
	}
	c.mu.Lock()
	st := c.stats
	c.mu.Unlock()
	c.opts.Progress(st)
}

// extractChunk is ingest.Options.ExtractChunk: it queues the articles of
// arts in batches, each with the texts that fit in its message
// (IngestOptions.InlineBytes) and the others put in the object store
// first, then waits for the results. ingest.Run calls it for the next
// chunk while it waits for this one, so the calls overlap.
func (c *coordinator) extractChunk(ctx context.Context, arts []trawl.Article, sigs []dedup.Signature) error {
	var seqs []int
	for lo := 0; lo < len(arts); lo += c.opts.BatchArticles {
		hi := min(lo+c.opts.BatchArticles, len(arts))
		inline := c.inline(arts[lo:hi])
		hashes, err := c.upload(ctx, arts[lo:hi], inline)
		if err != nil {
			return err
		}
		seq, err := c.queue(ctx, arts[lo:hi], hashes, inline, sigs[lo:hi])
		if err != nil {
			return err
		}
		seqs = append(seqs, seq)
		c.progress()
	}
	return c.collect(ctx, seqs)
}

// inline says which texts of the batch arts go in its message: each, in
// order, that still fits in IngestOptions.InlineBytes.
func (c *coordinator) inline(arts []trawl.Article) []bool {
	in := make([]bool, len(arts))
	left := c.opts.InlineBytes
	for i := range arts {
		if n := len(arts[i].Text); n <= left {
			in[i] = true
			left -= n
		}
	}
	return in
}

// upload puts each distinct text of arts that is not inline in the object
// store unless it is there already, all at once, and returns their hashes
// ("" for the inline ones). A text another batch of the run is putting is
// waited for, not put twice.
func (c *coordinator) upload(ctx context.Context, arts []trawl.Article, inline []bool) ([]string, error) {
	hashes := make([]string, len(arts))
	g, gctx := errgroup.WithContext(ctx)
	var wait []*textPut
	for i := range arts {
		if inline[i] {
			continue
		}
		h := corpus.Hash([]byte(arts[i].Text))
		hashes[i] = h
		c.mu.Lock()
		t := c.texts[h]
		if t == nil {
			t = &textPut{done: make(chan struct{})}
			c.texts[h] = t
			g.Go(func() error {
				defer close(t.done)
				t.chunk, t.err = c.putText(gctx, h, arts[i].Text)
				if t.err != nil {
					c.mu.Lock()
					delete(c.texts, h) // the next batch with it tries again
					c.mu.Unlock()
				}
				return t.err
			})
		}
		c.mu.Unlock()
		wait = append(wait, t)
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, t := range wait {
		select {
		case <-t.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if t.err != nil {
			return nil, t.err
		}
	}
	return hashes, nil
}

// putText puts one text in the object store under its hash unless it is
// there, and returns the id of its chunk ("" when it has several).
func (c *coordinator) putText(ctx context.Context, h, text string) (chunk string, err error) {
	err = retry(ctx, "put text "+h, func(ctx context.Context) error {
		info, err := c.res.texts.GetInfo(ctx, h)
		put := false
		if errors.Is(err, jetstream.ErrObjectNotFound) {
			info, err = c.res.putText(ctx, h, text)
			put = true
		}
		if err != nil {
			return err
		}
		if put {
			c.mu.Lock()
			c.stats.Uploaded++
			c.mu.Unlock()
		}
		chunk = ""
		if info.Chunks == 1 {
			chunk = info.NUID
		}
		return nil
	})
	return chunk, err
}

// queue publishes one batch, with its inline texts, and records it as
// pending.
func (c *coordinator) queue(ctx context.Context, arts []trawl.Article, hashes []string, inline []bool, sigs []dedup.Signature) (int, error) {
	c.mu.Lock()
	c.seq++
	seq := c.seq
	b := batch{Run: c.run, Seq: seq, Tasks: make([]task, len(arts)), Sign: true, Codec: codecStore}
	for i, a := range arts {
		a.Text = ""
		if inline[i] {
			b.Tasks[i] = task{Article: a, Inline: true, body: arts[i].Text}
			c.stats.Inline++
			continue
		}
		var chunk string
		if t := c.texts[hashes[i]]; t != nil {
			chunk = t.chunk
		}
		b.Tasks[i] = task{Article: a, Text: hashes[i], Chunk: chunk}
	}
	c.mu.Unlock()
	data, err := encodeBatch(&b)
	if err != nil {
		return 0, fmt.Errorf("cluster: encode batch: %w", err)
	}
	p := &pendingBatch{arts: arts, outSigs: sigs}
	c.mu.Lock()
	c.pending[seq] = p
	c.mu.Unlock()
	id := fmt.Sprintf("%s.%d", c.run, seq)
	var ack *jetstream.PubAck
	err = retry(ctx, "queue batch "+id, func(ctx context.Context) error {
		ack, err = c.res.js.Publish(ctx, BatchSubject, data, jetstream.WithMsgID(id))
		return err
	})
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	p.msg = ack.Sequence
	c.byMsg[ack.Sequence] = seq
	c.stats.Queued++
	c.mu.Unlock()
	return seq, nil
}

// collect waits until every batch of seqs is done, extracting here those
// the workers gave up on, and puts the results in place.
func (c *coordinator) collect(ctx context.Context, seqs []int) error {
	for {
		var waiting int
		var failed []*pendingBatch
		c.mu.Lock()
		wake := c.wake
		for _, seq := range seqs {
			p := c.pending[seq]
			switch {
			case p.failed:
				failed = append(failed, p)
				p.failed, p.result = false, []trawl.Article{} // taken care of below
				c.stats.Local++
			case p.result == nil:
				waiting++
			}
		}
		c.mu.Unlock()
		for _, p := range failed {
			c.extractHere(ctx, p)
		}
		if len(failed) > 0 {
			c.progress()
		}
		if waiting == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
			c.progress()
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, seq := range seqs {
		p := c.pending[seq]
		for i := range p.arts {
			text := p.arts[i].Text
			p.arts[i] = p.result[i]
			p.arts[i].Text = text
			if p.sigs != nil {
				if sig, err := dedup.Unmarshal(p.sigs[i]); err == nil {
					p.outSigs[i] = sig
				}
			}
		}
		delete(c.pending, seq)
		delete(c.byMsg, p.msg)
	}
	return nil
}

// extractHere extracts a batch the workers gave up on with a local
// extractor, and removes it from the work queue.
func (c *coordinator) extractHere(ctx context.Context, p *pendingBatch) {
	c.xOnce.Do(func() { c.x = extract.New(extract.Options{}) })
	out := make([]trawl.Article, len(p.arts))
	for i, a := range p.arts {
		c.x.Extract(&a)
		a.Text = ""
		out[i] = a
	}
	c.mu.Lock()
	p.result = out
	c.mu.Unlock()
	if s, err := c.res.js.Stream(ctx, BatchStream); err == nil {
		_ = s.DeleteMsg(ctx, p.msg)
	}
}
