// Package cluster spreads trawl's extraction over several machines on NATS
// JetStream. A coordinator (Ingest, trawl ingest --nats) walks, reads and
// hashes the folders exactly as a local ingest does, queues batches of
// articles on a work-queue stream, each message carrying its texts (those
// too big for it go to a JetStream object store keyed by their SHA-256),
// and collects the extracted articles from a results stream into its
// store; reconciliation and indexing then run on the coordinator as in a
// local ingest. Workers (Work, trawl worker) pull batches with a durable
// pull consumer, fetch the texts that are not in the batch, extract them
// with the extractor a local ingest uses, publish the results and
// acknowledge.
//
// Delivery is at least once: a batch whose worker dies is delivered again
// after AckWait, and a batch processed twice changes nothing, because the
// coordinator keeps the first result of each batch and the result is a
// function of the texts, which are named by their content hash.
package cluster

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/store"
)

// Names of the JetStream resources trawl uses. They are shared by every
// coordinator and worker on one NATS system.
const (
	// BatchStream is the work queue of batches to extract.
	BatchStream = "TRAWL_BATCHES"
	// BatchSubject is the subject batches are published on.
	BatchSubject = "trawl.batch"
	// WorkerConsumer is the durable pull consumer every worker pulls from,
	// so that each batch goes to one worker at a time.
	WorkerConsumer = "trawl-workers"
	// ResultStream holds the extracted batches until their coordinator
	// takes them.
	ResultStream = "TRAWL_RESULTS"
	// ResultSubjects are the subjects of results: trawl.result.<run>.
	ResultSubjects = "trawl.result.*"
	// TextBucket is the object store of article texts, named by the hex
	// SHA-256 of the text.
	TextBucket = "trawl-texts"
)

// Options are the stream and consumer settings. Coordinators and workers
// on one NATS system must agree on them; the zero value gives the
// defaults below on both sides.
type Options struct {
	// Replicas is how many servers keep each stream; 0 means 1 on a lone
	// server and 3 in a cluster (a stream of 3 replicas survives the loss
	// of one server).
	Replicas int
	// AckWait is how long a batch may go without a word from its worker
	// before it is delivered to another; 0 means 30 s. A live worker says
	// "in progress" every AckWait/3, so only a dead or cut-off worker
	// loses its batch.
	AckWait time.Duration
	// MaxDeliver is how many times a batch is delivered before the workers
	// give up on it; 0 means 5. The coordinator then extracts it itself.
	MaxDeliver int
	// MaxAge is how long a batch, result or text is kept at most; 0 means
	// 7 days. It bounds what a coordinator that died leaves behind.
	MaxAge time.Duration
}

func (o Options) withDefaults(nc *nats.Conn) Options {
	if o.Replicas <= 0 {
		o.Replicas = 1
		if nc.ConnectedClusterName() != "" {
			o.Replicas = 3
		}
	}
	if o.AckWait <= 0 {
		o.AckWait = 30 * time.Second
	}
	if o.MaxDeliver <= 0 {
		o.MaxDeliver = 5
	}
	if o.MaxAge <= 0 {
		o.MaxAge = 7 * 24 * time.Hour
	}
	return o
}

// task is one article of a batch: the article as read, without its text,
// and the name of the text in TextBucket.
type task struct {
	Article trawl.Article `json:"article"`
	Text    string        `json:"text_sha256"`
	// Chunk, when the text is one chunk of the object store, is that
	// chunk's id, so a worker reads the text with one request instead of
	// two (the object's info, then its chunk). Empty: read by name.
	Chunk string `json:"chunk,omitempty"`
	// Inline says the text travels in the batch's message, after its
	// JSON (encodeBatch), and not in the object store.
	Inline bool `json:"inline,omitempty"`

	body string // the text, when Inline
}

// batch is the message a coordinator queues: the articles of one batch of
// one run.
type batch struct {
	Run   string `json:"run"`
	Seq   int    `json:"seq"`
	Tasks []task `json:"tasks"`
	// Sign asks the worker for the dedup signature of each article
	// (result.Signatures); a coordinator that does not ask signs them
	// itself.
	Sign bool `json:"sign,omitempty"`
	// Codec, when codecStore, asks for the result in that form
	// (encodeResult); a coordinator that does not ask gets JSON.
	Codec string `json:"codec,omitempty"`
}

// encodeBatch returns the body of the message of b: its JSON, then, when
// some of its tasks are Inline, a newline and the text of each of them in
// task order, each preceded by its length as a uvarint. A batch of small
// articles then costs one message, where each text put in the object
// store and read from it costs a request of the coordinator, two
// publishes and a read of the worker, which cost the server and both
// sides more CPU than the texts themselves.
func encodeBatch(b *batch) ([]byte, error) {
	data, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, t := range b.Tasks {
		if t.Inline {
			n += binary.MaxVarintLen64 + len(t.body)
		}
	}
	if n == 0 {
		return data, nil
	}
	data = slices.Grow(data, 1+n)
	data = append(data, '\n')
	for _, t := range b.Tasks {
		if t.Inline {
			data = binary.AppendUvarint(data, uint64(len(t.body)))
			data = append(data, t.body...)
		}
	}
	return data, nil
}

// decodeBatch decodes a body written by encodeBatch, giving each Inline
// task its text.
func decodeBatch(data []byte, b *batch) error {
	head, rest, _ := bytes.Cut(data, []byte{'\n'})
	if err := decode("batch", head, b); err != nil {
		return err
	}
	for i := range b.Tasks {
		if !b.Tasks[i].Inline {
			continue
		}
		n, k := binary.Uvarint(rest)
		if k <= 0 || uint64(len(rest)-k) < n {
			return fmt.Errorf("cluster: decode batch: the text of task %d is truncated", i)
		}
		b.Tasks[i].body = string(rest[k : k+int(n)])
		rest = rest[k+int(n):]
	}
	return nil
}

// codecStore names the form of a result whose articles are in the
// store's binary article form (store.EncodeArticle) rather than in JSON.
const codecStore = "store"

// result is the message a worker publishes for a batch: the articles
// extracted, without their texts, in the order of the batch. A result too
// big for one message is put in TextBucket under Object instead.
type result struct {
	Run       string          `json:"run"`
	Seq       int             `json:"seq"`
	Worker    string          `json:"worker"`
	Delivered uint64          `json:"delivered"` // 1 for a first delivery
	Articles  []trawl.Article `json:"articles,omitempty"`
	// Signatures are the dedup signatures (dedup.Signature.Marshal) of the
	// texts of Articles, one each, when the batch asked for them.
	Signatures [][]byte `json:"signatures,omitempty"`
	// Codec is codecStore when Articles and Signatures follow the JSON of
	// the rest in binary (encodeResult), and Count is then their number.
	Codec  string `json:"codec,omitempty"`
	Count  int    `json:"count,omitempty"`
	Object string `json:"object,omitempty"`
}

// resources are the streams, consumer and bucket trawl works with.
type resources struct {
	js    jetstream.JetStream
	texts jetstream.ObjectStore
	opts  Options

	mu         sync.Mutex
	textStream jetstream.Stream // the stream behind texts, once looked up
}

// setUp creates or updates the streams and the text bucket (both sides do,
// so either may start first).
func setUp(ctx context.Context, nc *nats.Conn, opts Options) (*resources, error) {
	opts = opts.withDefaults(nc)
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("cluster: jetstream: %w", err)
	}
	r := &resources{js: js, opts: opts}
	streams := []jetstream.StreamConfig{{
		Name:        BatchStream,
		Description: "trawl: batches of articles to extract",
		Subjects:    []string{BatchSubject},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Replicas:    opts.Replicas,
		MaxAge:      opts.MaxAge,
		Duplicates:  2 * time.Minute,
	}, {
		Name:        ResultStream,
		Description: "trawl: extracted batches, one subject per coordinator run",
		Subjects:    []string{ResultSubjects},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Replicas:    opts.Replicas,
		MaxAge:      opts.MaxAge,
		Duplicates:  2 * time.Minute,
	}}
	// A stream or bucket that exists is used as it is: coordinators and
	// workers start at the same time, and concurrent updates of one
	// stream can leave a request without an answer.
	for _, cfg := range streams {
		err := retry(ctx, "stream "+cfg.Name, func(ctx context.Context) error {
			_, err := js.Stream(ctx, cfg.Name)
			if errors.Is(err, jetstream.ErrStreamNotFound) {
				// A create racing another client's can go unanswered;
				// the next try finds the stream the other made.
				cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
				defer cancel()
				_, err = js.CreateStream(cctx, cfg)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	err = retry(ctx, "object store "+TextBucket, func(ctx context.Context) error {
		texts, err := js.ObjectStore(ctx, TextBucket)
		if errors.Is(err, jetstream.ErrBucketNotFound) {
			cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			texts, err = js.CreateObjectStore(cctx, jetstream.ObjectStoreConfig{
				Bucket:      TextBucket,
				Description: "trawl: article texts by SHA-256",
				TTL:         opts.MaxAge,
				Storage:     jetstream.FileStorage,
				Replicas:    opts.Replicas,
			})
		}
		r.texts = texts
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// getText returns the object named name from the text bucket. A text
// (up to 128 KB) is one chunk, read with two direct reads of the bucket's
// stream; the object store's own Get, which creates a consumer per object,
// is kept for bigger ones. Creating consumers is slower, and with a server
// of the cluster down nats-server 2.9 sometimes leaves the request
// unanswered.
func (r *resources) getText(ctx context.Context, name string) ([]byte, error) {
	info, err := r.texts.GetInfo(ctx, name)
	if err != nil {
		return nil, err
	}
	if info.Chunks != 1 {
		return r.texts.GetBytes(ctx, name)
	}
	return r.getChunk(ctx, info.NUID)
}

// putText puts text in the object store under the name h, its hex
// SHA-256, and returns its info. A text of one chunk (up to 128 KB) is put
// with two publishes on the bucket's own subjects, the chunk
// and then the object's info, under the shared JetStream context; the
// object store's Put makes a JetStream context, a reply subscription and
// an extra info request for every object, which cost the coordinator and
// the server more than the text itself. The object is the one Put would
// make (same subjects, same info), so GetInfo, Get and older workers read
// it as any other.
func (r *resources) putText(ctx context.Context, h, text string) (*jetstream.ObjectInfo, error) {
	sum, err := hex.DecodeString(h)
	if err != nil || len(sum) != sha256.Size || len(text) > objChunkSize || len(text) == 0 {
		return r.texts.PutString(ctx, h, text)
	}
	info := &jetstream.ObjectInfo{
		ObjectMeta: jetstream.ObjectMeta{Name: h, Opts: &jetstream.ObjectMetaOptions{ChunkSize: objChunkSize}},
		Bucket:     TextBucket,
		NUID:       nuid.Next(),
		Size:       uint64(len(text)),
		Chunks:     1,
		Digest:     "SHA-256=" + base64.URLEncoding.EncodeToString(sum),
	}
	meta, err := json.Marshal(info)
	if err != nil {
		return nil, fmt.Errorf("encode object info: %w", err)
	}
	chunk := nats.NewMsg("$O." + TextBucket + ".C." + info.NUID)
	chunk.Data = []byte(text)
	head := nats.NewMsg("$O." + TextBucket + ".M." + base64.URLEncoding.EncodeToString([]byte(h)))
	head.Header.Set(jetstream.MsgRollup, jetstream.MsgRollupSubject)
	head.Data = meta
	for _, m := range []*nats.Msg{chunk, head} {
		// The chunk is stored before its info is sent, so that no one
		// finds an object whose chunk is not there yet.
		if _, err := r.js.PublishMsg(ctx, m); err != nil {
			return nil, err
		}
	}
	return info, nil
}

// objChunkSize is the chunk size of the object store (nats.go's default):
// a text up to this size is one chunk.
const objChunkSize = 128 * 1024

// getChunk returns the chunk whose id is nuid from the text bucket's
// stream, with one direct read.
func (r *resources) getChunk(ctx context.Context, nuid string) ([]byte, error) {
	var err error
	r.mu.Lock()
	s := r.textStream
	r.mu.Unlock()
	if s == nil {
		if s, err = r.js.Stream(ctx, "OBJ_"+TextBucket); err != nil {
			return nil, err
		}
		r.mu.Lock()
		r.textStream = s
		r.mu.Unlock()
	}
	msg, err := s.GetLastMsgForSubject(ctx, "$O."+TextBucket+".C."+nuid)
	if err != nil {
		return nil, err
	}
	return msg.Data, nil
}

// retryFor is how long an operation on JetStream is retried: long enough
// for a stream to elect a new leader after the loss of a server.
const retryFor = time.Minute

// retry calls fn until it succeeds, ctx is done or retryFor has passed,
// each call bounded to 5 s, with a growing pause between calls. A server
// that is lost or a stream that is electing a leader fails calls for a few
// seconds; retrying rides that out.
func retry(ctx context.Context, what string, fn func(context.Context) error) error {
	deadline := time.Now().Add(retryFor)
	pause := 50 * time.Millisecond
	for {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := fn(cctx)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(err, errPermanent) || time.Now().After(deadline) {
			return fmt.Errorf("cluster: %s: %w", what, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
		pause = min(2*pause, 2*time.Second)
	}
}

// errPermanent marks an error that retrying will not cure.
var errPermanent = errors.New("permanent")

// resultSubject is the subject of the results of one run.
func resultSubject(run string) string { return "trawl.result." + run }

// encodeResult returns the body of the message of r: its JSON, or, with
// codec codecStore, the JSON of the rest of r, a newline, then each
// article in the store's binary form and each signature, each preceded by
// its length as a uvarint. Decoding that costs the coordinator a fraction
// of decoding the articles' JSON, and the worker less to encode.
func encodeResult(r *result, codec string) ([]byte, error) {
	if codec != codecStore {
		return json.Marshal(r)
	}
	head := *r
	head.Articles, head.Signatures, head.Codec, head.Count = nil, nil, codecStore, len(r.Articles)
	data, err := json.Marshal(head)
	if err != nil {
		return nil, err
	}
	data = append(data, '\n')
	for i := range r.Articles {
		enc := store.EncodeArticle(&r.Articles[i])
		data = binary.AppendUvarint(data, uint64(len(enc)))
		data = append(data, enc...)
	}
	for _, sig := range r.Signatures {
		data = binary.AppendUvarint(data, uint64(len(sig)))
		data = append(data, sig...)
	}
	return data, nil
}

// decodeResult decodes a body written by encodeResult, in either form.
// JSON from json.Marshal has no newline outside its strings, so a newline
// marks the binary form.
func decodeResult(what string, data []byte, r *result) error {
	head, rest, binaryForm := bytes.Cut(data, []byte{'\n'})
	if err := decode(what, head, r); err != nil || !binaryForm || r.Codec != codecStore {
		return err
	}
	next := func() ([]byte, error) {
		n, k := binary.Uvarint(rest)
		if k <= 0 || uint64(len(rest)-k) < n {
			return nil, fmt.Errorf("cluster: decode %s: truncated", what)
		}
		v := rest[k : k+int(n)]
		rest = rest[k+int(n):]
		return v, nil
	}
	r.Articles = make([]trawl.Article, r.Count)
	for i := range r.Articles {
		v, err := next()
		if err != nil {
			return err
		}
		if err := store.DecodeArticle(v, &r.Articles[i]); err != nil {
			return fmt.Errorf("cluster: decode %s: article %d: %w", what, i, err)
		}
	}
	if len(rest) > 0 {
		r.Signatures = make([][]byte, r.Count)
		for i := range r.Signatures {
			v, err := next()
			if err != nil {
				return err
			}
			r.Signatures[i] = v
		}
	}
	return nil
}

// decode unmarshals a message body, naming what it was.
func decode(what string, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("cluster: decode %s: %w", what, err)
	}
	return nil
}
