// Package index is trawl's full-text search: a bleve (scorch) index of the
// articles with their reconciled people, commodities and dates, searched with
// the bleve query-string syntax plus entity-aware expansion of person names,
// filters, facets and highlighted snippets. It is the only package that
// imports bleve.
package index

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Doc is what is indexed for one article.
type Doc struct {
	ID     string
	Title  string
	Source string
	// Published is the publication date as YYYY-MM-DD, or "" when unknown.
	Published string
	Text      string
	// People are the people the article mentions, after reconciliation.
	People []Person
	// Commodities are the catalogue ids of the commodities the article is
	// about, most central first (trawl.Article.Commodities): the hit's
	// display list and the about: field.
	Commodities []string
	// Mentioned are the catalogue ids of the article's COMMODITY mentions
	// and their parents, sorted: what the commodity filter, the commodity:
	// field and the commodity facet match, so that an article naming steel
	// in passing is found under steel.
	Mentioned []string
	// CommodityCategories are the categories of its COMMODITY mentions.
	CommodityCategories []string
	// Organizations and Places are the organisations and places the
	// article names (Named.Key is text.NameKey of the name), sorted by key.
	Organizations []Named
	Places        []Named
	// Percents are stored with the article but not searchable.
	Percents []Percent
	// CopyGroup is the id of the article's group of near-duplicates
	// (trawl.Article.CopyGroup), "" when it has none: search shows a group
	// as one hit.
	CopyGroup string
}

// Person is one reconciled person as an article mentions them.
type Person struct {
	// ID is the id of the cross-article entity.
	ID string `json:"id"`
	// Canonical is the entity's best-supported name.
	Canonical string `json:"canonical"`
	// Variants are the spellings used in this article.
	Variants []string `json:"variants,omitempty"`
}

// Named is an organisation or a place as an article names it.
type Named struct {
	// Key is the normalised name (text.NameKey), the facet and filter term.
	Key string `json:"key"`
	// Name is the article's first spelling of it.
	Name string `json:"name"`
}

// Percent is one percentage figure of an article and what it measures.
type Percent struct {
	Value   string `json:"value"`
	Subject string `json:"subject,omitempty"`
}

// ErrLocked is returned (wrapped) by OpenReadOnly when another process has
// the index open for writing.
var ErrLocked = errors.New("index is being written by another process; retry when the ingest finishes")

// ErrInUse is returned (wrapped) by Open when another process has the index
// open, for reading (trawl search or serve) or writing.
var ErrInUse = errors.New("index is open in another process (search, serve or ingest); retry when it exits")

// ErrIncompatible is returned (wrapped) by Open and OpenReadOnly for an index
// written with another mapping: delete it and index the articles again.
var ErrIncompatible = errors.New("index was built by another version of trawl; rebuild it")

// ErrReadOnly is returned by Put and Delete on an index opened read-only.
var ErrReadOnly = errors.New("index is open read-only")

// lockWait is how long opening waits for another process's lock before it
// gives up with ErrLocked.
const lockWait = "500ms"

// batchSize bounds the number of documents in one bleve batch. Larger
// batches cost more CPU per document, not less (BenchmarkIndexCPU, 1x
// corpus, busy machine: 6.6 CPU-seconds per 10 MB at 500, 8.0 at 2000).
const batchSize = 500

// mergeFloor is the size, in documents, below which scorch's merge planner
// counts a segment as if it had this many. It is the size of the segments
// a store's refresh writes: one bleve batch per shard of each Put of
// indexBatch (500) documents, so 250 to 500 documents. scorch's default
// (2,000) counts each of those segments four to eight times over, so the
// planner keeps too few segments for their real size and merges the same
// documents again and again while an index is built: at 12,468 documents
// in two shards, 6.3 CPU-seconds per 10 MB of text with it, 4.1 with this
// (BenchmarkIndexCPU, TRAWL_BENCH_COPIES=3), ending with 7 segments a
// shard instead of 4 or 5.
const mergeFloor = 250

// writeConfig is the scorch configuration of a shard opened for writing:
// the merge planner's options (see mergeFloor; the others are scorch's
// defaults: up to 10 segments a tier, 10 merged at a time).
func writeConfig() map[string]interface{} {
	return map[string]interface{}{
		"scorchMergePlanOptions": map[string]interface{}{
			"FloorSegmentSize": mergeFloor,
		},
	}
}

// internalMappingKey holds mappingVersion inside each shard.
var internalMappingKey = []byte("trawl_mapping")

// Index is an open bleve index of articles, split into shards (see
// shards.go) that are written in parallel and searched together. Its methods
// are safe for concurrent use.
type Index struct {
	// shards are the bleve indexes, in shard order; a document lives in
	// shards[shardOf(id, len(shards))].
	shards []bleve.Index
	// idx searches all shards: an alias with global scoring statistics, or
	// the only shard.
	idx      bleve.Index
	path     string
	readOnly bool

	mu sync.Mutex // guards people
	// people loads the lookup written by SetPeople, once per open.
	people func() (*people, error)

	// setTerms are the terms of the facet term sets searches read.
	setTerms setTerms

	// written counts, per shard, the documents Put or Delete wrote since
	// the index was opened (see CompactWritten).
	written []atomic.Int64

	closeOnce sync.Once
	closeErr  error

	// maxExpansion and maxTotalExpansion replace MaxExpansion and
	// MaxTotalExpansion when set (tests).
	maxExpansion, maxTotalExpansion int
}

// Open opens the index at path read-write, creating it with DefaultShards
// shards when it does not exist. While it is open, no other process can
// open the index: OpenReadOnly fails with ErrLocked, Open with ErrInUse,
// after a 500ms wait. Open itself fails with ErrInUse while any other
// process has the index open.
func Open(path string) (*Index, error) {
	return OpenShards(path, DefaultShards())
}

// OpenShards is Open with the number of shards a new index gets; an
// existing index keeps the number it was created with, so that every
// document stays in the shard it was routed to.
func OpenShards(path string, n int) (*Index, error) {
	if n < 1 {
		return nil, fmt.Errorf("index: create %s: %d shards", path, n)
	}
	m, err := readManifest(path)
	if errors.Is(err, os.ErrNotExist) {
		return create(path, n)
	}
	if err != nil {
		return nil, err
	}
	return open(path, m, false)
}

// create makes a new index of n empty shards at path. The manifest is
// written last, so a crash in between leaves no index that looks whole.
func create(path string, n int) (*Index, error) {
	if _, err := os.Stat(filepath.Join(path, legacyMeta)); err == nil {
		return nil, fmt.Errorf("index: open %s: %w", path, ErrIncompatible)
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("index: create %s: %w", path, err)
	}
	shards := make([]bleve.Index, 0, n)
	fail := func(err error) (*Index, error) {
		for _, s := range shards {
			s.Close()
		}
		return nil, fmt.Errorf("index: create %s: %w", path, err)
	}
	for i := range n {
		dir := shardPath(path, i)
		os.RemoveAll(dir) // a shard left by a creation that died before the manifest
		s, err := bleve.NewUsing(dir, indexMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, writeConfig())
		if err != nil {
			return fail(err)
		}
		shards = append(shards, s)
		if err := s.SetInternal(internalMappingKey, []byte(mappingVersion)); err != nil {
			return fail(err)
		}
	}
	if err := writeManifest(path, manifest{Version: mappingVersion, Shards: n}); err != nil {
		return fail(err)
	}
	return newIndex(shards, path, false), nil
}

// OpenReadOnly opens an existing index for searching while an ingest may
// run in another process.
//
// bleve's scorch keeps a bolt file (store/root.bolt) open for as long as a
// shard is open, and bolt locks it with flock(2): exclusively for a writer,
// shared for a reader. So:
//   - while a writer (Open, e.g. trawl ingest) has the index open,
//     OpenReadOnly waits 500ms and then fails with an error wrapping
//     ErrLocked ("index is being written by another process; retry when the
//     ingest finishes");
//   - any number of readers may be open at once; while one is open, a
//     writer's Open fails with ErrInUse, so a long-running server should
//     open the index per request (opening takes milliseconds) or close it
//     when asked to;
//   - a read-only Index sees the index as it was when it was opened: open it
//     again to see documents written later.
func OpenReadOnly(path string) (*Index, error) {
	m, err := readManifest(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("index: open %s: %w", path, err)
		}
		return nil, err
	}
	return open(path, m, true)
}

// open opens the shards the manifest m lists.
func open(path string, m manifest, readOnly bool) (*Index, error) {
	if m.Version != mappingVersion {
		return nil, fmt.Errorf("index: open %s: mapping %q, want %q: %w", path, m.Version, mappingVersion, ErrIncompatible)
	}
	cfg := map[string]interface{}{"bolt_timeout": lockWait}
	if readOnly {
		cfg["read_only"] = true
	} else {
		maps.Copy(cfg, writeConfig())
	}
	shards := make([]bleve.Index, 0, m.Shards)
	fail := func(err error) (*Index, error) {
		for _, s := range shards {
			s.Close()
		}
		return nil, err
	}
	for i := range m.Shards {
		dir := shardPath(path, i)
		s, err := bleve.OpenUsing(dir, cfg)
		if err != nil {
			if errors.Is(err, bolterrors.ErrTimeout) {
				if readOnly {
					return fail(fmt.Errorf("index: open %s: %w", path, ErrLocked))
				}
				return fail(fmt.Errorf("index: open %s: %w", path, ErrInUse))
			}
			return fail(fmt.Errorf("index: open %s: %w", dir, err))
		}
		shards = append(shards, s)
		v, err := s.GetInternal(internalMappingKey)
		if err != nil {
			return fail(fmt.Errorf("index: open %s: %w", dir, err))
		}
		if string(v) != mappingVersion {
			return fail(fmt.Errorf("index: open %s: mapping %q, want %q: %w", dir, v, mappingVersion, ErrIncompatible))
		}
	}
	return newIndex(shards, path, readOnly), nil
}

func newIndex(shards []bleve.Index, path string, readOnly bool) *Index {
	ix := &Index{shards: shards, idx: shards[0], path: path, readOnly: readOnly, written: make([]atomic.Int64, len(shards))}
	if len(shards) > 1 {
		alias := bleve.NewIndexAlias(shards...)
		// The alias needs the mapping to know that the shards score with
		// BM25, and then gathers the statistics of every shard before a
		// search (see globalScoring), so that a document scores as it would
		// in one index.
		if err := alias.SetIndexMapping(indexMapping()); err != nil {
			panic("index: alias mapping: " + err.Error())
		}
		ix.idx = alias
	}
	ix.people = sync.OnceValues(ix.loadPeople)
	return ix
}

// Close closes the index and releases its locks. Closing again does nothing.
func (ix *Index) Close() error {
	ix.closeOnce.Do(func() {
		var errs []error
		for _, s := range ix.shards {
			errs = append(errs, s.Close())
		}
		if err := errors.Join(errs...); err != nil {
			ix.closeErr = fmt.Errorf("index: close %s: %w", ix.path, err)
		}
	})
	return ix.closeErr
}

// Count returns the number of documents in the index.
func (ix *Index) Count() (uint64, error) {
	var total uint64
	for _, s := range ix.shards {
		n, err := s.DocCount()
		if err != nil {
			return 0, fmt.Errorf("index: count %s: %w", ix.path, err)
		}
		total += n
	}
	return total, nil
}

// Put indexes docs, replacing any document with the same ID, in batches of
// at most 500 documents per shard, every shard written at the same time.
// Documents are checked before anything is written: an empty ID or a
// malformed Published date fails the whole call.
func (ix *Index) Put(docs []Doc) error {
	if ix.readOnly {
		return fmt.Errorf("index: put %s: %w", ix.path, ErrReadOnly)
	}
	type entry struct {
		id     string
		fields map[string]interface{}
	}
	routed := make([][]entry, len(ix.shards))
	for _, d := range docs {
		f, err := docFields(d)
		if err != nil {
			return fmt.Errorf("index: put %q: %w", d.ID, err)
		}
		i := shardOf(d.ID, len(ix.shards))
		routed[i] = append(routed[i], entry{d.ID, f})
	}
	return ix.eachShard(func(i int, s bleve.Index) error {
		b := s.NewBatch()
		for _, e := range routed[i] {
			doc, err := bleveDocument(e.id, e.fields)
			if err == nil {
				err = b.IndexAdvanced(doc)
			}
			if err != nil {
				return fmt.Errorf("index: put %q: %w", e.id, err)
			}
			if b.Size() >= batchSize {
				if err := s.Batch(b); err != nil {
					return fmt.Errorf("index: put batch ending %q: %w", e.id, err)
				}
				b.Reset()
			}
		}
		if b.Size() > 0 {
			if err := s.Batch(b); err != nil {
				return fmt.Errorf("index: put last batch of shard %d: %w", i, err)
			}
		}
		ix.written[i].Add(int64(len(routed[i])))
		return nil
	})
}

// Delete removes the documents with the given ids; unknown ids are ignored.
func (ix *Index) Delete(ids []string) error {
	if ix.readOnly {
		return fmt.Errorf("index: delete %s: %w", ix.path, ErrReadOnly)
	}
	routed := make([][]string, len(ix.shards))
	for _, id := range ids {
		i := shardOf(id, len(ix.shards))
		routed[i] = append(routed[i], id)
	}
	return ix.eachShard(func(i int, s bleve.Index) error {
		b := s.NewBatch()
		for _, id := range routed[i] {
			b.Delete(id)
			if b.Size() >= batchSize {
				if err := s.Batch(b); err != nil {
					return fmt.Errorf("index: delete batch ending %q: %w", id, err)
				}
				b.Reset()
			}
		}
		if b.Size() > 0 {
			if err := s.Batch(b); err != nil {
				return fmt.Errorf("index: delete: %w", err)
			}
		}
		ix.written[i].Add(int64(len(routed[i])))
		return nil
	})
}

// Compact merges each shard's segments into one, which makes searches
// faster (a search visits every segment of every shard). It returns when the
// merges are done or ctx is cancelled; a compaction cut short leaves each
// shard as it was before the merge it was in, with every document: scorch
// writes a merged segment to a new file and swaps it in for the segments it
// replaces in one step, only once the merge is whole.
func (ix *Index) Compact(ctx context.Context) error {
	return ix.compact(ctx, func(int, bleve.Index) (bool, error) { return true, nil })
}

// compactShare is the share of a shard's documents that must have been
// written since the index was opened for CompactWritten to compact it.
// Compacting rewrites every document of the shard once; at this share that
// is at most two rewrites per document written, about what the merges
// while writing already cost (TestMergesPerDocument), and one for a new
// index. A smaller write leaves its few new segments to the merge planner.
const compactShare = 0.5

// CompactWritten compacts (see Compact) each shard to which Put and Delete
// have written, since the index was opened, at least half as many
// documents as it now holds: call it at the end of a refresh. A shard
// with one segment or none is left alone.
func (ix *Index) CompactWritten(ctx context.Context) error {
	return ix.compact(ctx, func(i int, s bleve.Index) (bool, error) {
		n, err := s.DocCount()
		if err != nil {
			return false, err
		}
		return float64(ix.written[i].Load()) >= compactShare*float64(n), nil
	})
}

// maxForceMerges bounds the force merges of one shard in compact: each
// merges every segment into one (compactOptions), so one does unless
// documents were written meanwhile.
const maxForceMerges = 8

// compactOptions are the merge planner's options of a compaction: scorch's
// options for a single segment, all segments in one merge. scorch's own
// merge ten at a time, so that compacting the 11 to 31 segments a shard of
// a refresh has left rewrote most documents twice (1.88 times on average
// at 10x, TestCompactionRewrites), where one merge of them all rewrites
// each once.
var compactOptions = func() mergeplan.MergePlanOptions {
	o := mergeplan.SingleSegmentMergePlanOptions
	o.SegmentsPerMergeTask = math.MaxInt32
	return o
}()

// compact force-merges, in parallel, each shard that want chooses down to
// one segment.
func (ix *Index) compact(ctx context.Context, want func(i int, s bleve.Index) (bool, error)) error {
	if ix.readOnly {
		return fmt.Errorf("index: compact %s: %w", ix.path, ErrReadOnly)
	}
	err := ix.eachShard(func(i int, s bleve.Index) error {
		ok, err := want(i, s)
		if err != nil || !ok {
			return err
		}
		adv, err := s.Advanced()
		if err != nil {
			return err
		}
		sc, ok := adv.(*scorch.Scorch)
		if !ok {
			return nil
		}
		before, err := segmentCount(sc)
		merged := false
		for range maxForceMerges {
			if err != nil || before <= 1 || ctx.Err() != nil {
				break
			}
			o := compactOptions
			if err = sc.ForceMerge(ctx, &o); err != nil {
				break
			}
			merged = true
			var after int
			if after, err = segmentCount(sc); err == nil && after >= before {
				break // no progress: nothing the planner will merge
			}
			before = after
		}
		if err != nil || !merged {
			return err
		}
		// scorch swaps a merged segment in at once but records the new set
		// of segments on disk later, and Close does not wait for that: a
		// write (the same mapping version again) returns only when a set of
		// segments including the merged ones is on disk, so that the
		// compaction survives a Close.
		return s.SetInternal(internalMappingKey, []byte(mappingVersion))
	})
	if err != nil {
		return fmt.Errorf("index: compact %s: %w", ix.path, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("index: compact %s: %w", ix.path, err)
	}
	return nil
}

// segmentCount is the number of segments of sc's current snapshot.
func segmentCount(sc *scorch.Scorch) (int, error) {
	r, err := sc.Reader()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return 0, fmt.Errorf("reader of type %T, want a scorch snapshot", r)
	}
	return len(snap.Segments()), nil
}

// Segments returns the number of segments of each shard, in shard order: a
// search visits each of them.
func (ix *Index) Segments() ([]int, error) {
	counts := make([]int, len(ix.shards))
	for i, s := range ix.shards {
		adv, err := s.Advanced()
		if err != nil {
			return nil, fmt.Errorf("index: segments of %s: %w", ix.path, err)
		}
		sc, ok := adv.(*scorch.Scorch)
		if !ok {
			return nil, fmt.Errorf("index: segments of %s: shard %d is not a scorch index", ix.path, i)
		}
		if counts[i], err = segmentCount(sc); err != nil {
			return nil, fmt.Errorf("index: segments of %s: %w", ix.path, err)
		}
	}
	return counts, nil
}

// facetTerms are the terms of d's facet_terms field: its facet terms
// (facetPrefixes), sorted and distinct.
func facetTerms(d Doc) []string {
	var ts []string
	add := func(prefix string, vs ...string) {
		for _, v := range vs {
			if v != "" {
				ts = append(ts, prefix+v)
			}
		}
	}
	for _, p := range d.People {
		add(facetPrefixes[0].prefix, p.ID)
	}
	add(facetPrefixes[1].prefix, mentioned(d)...)
	add(facetPrefixes[2].prefix, d.CommodityCategories...)
	add(facetPrefixes[3].prefix, d.Source)
	if d.Published != "" {
		add(facetPrefixes[4].prefix, d.Published[:7])
	}
	for _, n := range d.Organizations {
		add(facetPrefixes[5].prefix, n.Key)
	}
	for _, n := range d.Places {
		add(facetPrefixes[6].prefix, n.Key)
	}
	slices.Sort(ts)
	return slices.Compact(ts)
}

// mentioned is the commodities d mentions: Mentioned with the
// commodities it is about, which a caller may set alone.
func mentioned(d Doc) []string {
	if len(d.Commodities) == 0 {
		return d.Mentioned
	}
	ids := slices.Concat(d.Mentioned, d.Commodities)
	slices.Sort(ids)
	return slices.Compact(ids)
}

// keyTerms are the terms of d's facet field, the doc values a search reads
// for every hit: the id (the tie-break of every sort), the copy group and,
// when d has facet terms, the key of their set (facetSetKey), sorted.
func keyTerms(d Doc, facets []string) []string {
	ts := []string{sortIDPrefix + d.ID}
	if d.CopyGroup != "" {
		ts = append(ts, copyPrefix+d.CopyGroup)
	}
	if len(facets) > 0 {
		ts = append(ts, setPrefix+facetSetKey(facets))
	}
	return ts
}

// facetSetKey names a set of facet terms (sorted): the first 128 bits of
// the SHA-256 of the terms, each ended by setSep, in hex. Documents with
// the same facet terms (the copies of a story mostly have them) share the
// key, so a search counts hits by key and reads the terms of each key once;
// two sets with one key would need a SHA-256 collision.
func facetSetKey(facets []string) string {
	h := sha256.New()
	for _, t := range facets {
		h.Write([]byte(t))
		h.Write([]byte{setSep})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// copyTerm is the term of d's copy field: its title, source and date as a
// JSON array, what a hit lists of each of its copies (Copy). A page reads
// it from doc values for up to maxCopies copies of each hit, where reading
// the stored meta would decompress each copy's whole stored text.
func copyTerm(d Doc) (string, error) {
	js, err := json.Marshal([3]string{d.Title, d.Source, d.Published})
	return string(js), err
}

// copyOfTerm is the Copy of the document id whose copy term is t.
func copyOfTerm(id, t string) (Copy, error) {
	var v [3]string
	if err := json.Unmarshal([]byte(t), &v); err != nil {
		return Copy{}, fmt.Errorf("copy term %q: %w", t[:min(len(t), 20)], err)
	}
	return Copy{ID: id, Title: v[0], Source: v[1], Published: v[2]}, nil
}

// meta is the stored display data of a document, returned with each hit.
type meta struct {
	Title       string    `json:"title,omitempty"`
	Source      string    `json:"source,omitempty"`
	Published   string    `json:"published,omitempty"`
	People      []Person  `json:"people,omitempty"`
	Commodities []string  `json:"commodities,omitempty"`
	Percents    []Percent `json:"percents,omitempty"`
	Orgs        []Named   `json:"orgs,omitempty"`
	Places      []Named   `json:"places,omitempty"`
	CopyGroup   string    `json:"copy_group,omitempty"`
}

// docFields is the bleve document of d.
func docFields(d Doc) (map[string]interface{}, error) {
	if d.ID == "" {
		return nil, errors.New("empty id")
	}
	m := map[string]interface{}{
		fieldTitle: d.Title,
		fieldText:  d.Text,
	}
	if d.Source != "" {
		m[fieldSource] = d.Source
	}
	if d.Published != "" {
		t, err := time.Parse(time.DateOnly, d.Published)
		if err != nil {
			return nil, fmt.Errorf("published %q: want YYYY-MM-DD", d.Published)
		}
		m[fieldPublished] = t
		m[fieldMonth] = d.Published[:7]
		m[fieldDay] = d.Published
	}
	facets := facetTerms(d)
	if len(facets) > 0 {
		m[fieldFacetTerms] = facets
	}
	m[fieldFacet] = keyTerms(d, facets)
	if d.CopyGroup != "" {
		ct, err := copyTerm(d)
		if err != nil {
			return nil, err
		}
		m[fieldCopy] = ct
	}
	var ids, names, keys []string
	for _, p := range d.People {
		if p.ID == "" {
			return nil, fmt.Errorf("person %q: empty id", p.Canonical)
		}
		ids = append(ids, p.ID)
		for _, n := range append([]string{p.Canonical}, p.Variants...) {
			if n != "" {
				names = append(names, n)
			}
		}
		keys = append(keys, personKeys(p)...)
	}
	if len(ids) > 0 {
		m[fieldPerson] = ids
		m[fieldPersonName] = names
		m[fieldPersonWord] = strings.Join(names, " ; ")
		m[fieldPersonKey] = keys
	}
	if ids := mentioned(d); len(ids) > 0 {
		m[fieldCommodity] = ids
	}
	if len(d.Commodities) > 0 {
		m[fieldAbout] = d.Commodities
	}
	if len(d.CommodityCategories) > 0 {
		m[fieldCategory] = d.CommodityCategories
	}
	if keys := namedKeys(d.Organizations); len(keys) > 0 {
		m[fieldOrg] = keys
	}
	if keys := namedKeys(d.Places); len(keys) > 0 {
		m[fieldPlace] = keys
	}
	js, err := json.Marshal(meta{
		Title: d.Title, Source: d.Source, Published: d.Published,
		People: d.People, Commodities: d.Commodities, Percents: d.Percents,
		Orgs: d.Organizations, Places: d.Places,
		CopyGroup: d.CopyGroup,
	})
	if err != nil {
		return nil, err
	}
	m[fieldMeta] = string(js)
	return m, nil
}
