// Package index is trawl's full-text search: a bleve (scorch) index of the
// articles with their reconciled people, commodities and dates, searched with
// the bleve query-string syntax plus entity-aware expansion of person names,
// filters, facets and highlighted snippets. It is the only package that
// imports bleve.
package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
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
	// Commodities are catalogue ids; CommodityCategories their categories.
	Commodities         []string
	CommodityCategories []string
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

// batchSize bounds the number of documents in one bleve batch.
const batchSize = 500

// internalMappingKey holds mappingVersion inside the index.
var internalMappingKey = []byte("trawl_mapping")

// Index is an open bleve index of articles. Its methods are safe for
// concurrent use.
type Index struct {
	idx      bleve.Index
	path     string
	readOnly bool

	mu sync.Mutex // guards people
	// people loads the lookup written by SetPeople, once per open.
	people func() (*people, error)

	closeOnce sync.Once
	closeErr  error
}

// Open opens the index at path read-write, creating it when it does not
// exist. While it is open, no other process can open the index: OpenReadOnly
// fails with ErrLocked, Open with ErrInUse, after a 500ms wait. Open itself
// fails with ErrInUse while any other process has the index open.
func Open(path string) (*Index, error) {
	if _, err := os.Stat(filepath.Join(path, "index_meta.json")); errors.Is(err, os.ErrNotExist) {
		idx, err := bleve.NewUsing(path, indexMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, nil)
		if err != nil {
			return nil, fmt.Errorf("index: create %s: %w", path, err)
		}
		if err := idx.SetInternal(internalMappingKey, []byte(mappingVersion)); err != nil {
			idx.Close()
			return nil, fmt.Errorf("index: create %s: %w", path, err)
		}
		return newIndex(idx, path, false), nil
	}
	return open(path, false)
}

// OpenReadOnly opens an existing index for searching while an ingest may
// run in another process.
//
// bleve's scorch keeps a bolt file (store/root.bolt) open for as long as the
// index is open, and bolt locks it with flock(2): exclusively for a writer,
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
	if _, err := os.Stat(filepath.Join(path, "index_meta.json")); err != nil {
		return nil, fmt.Errorf("index: open %s: %w", path, err)
	}
	return open(path, true)
}

func open(path string, readOnly bool) (*Index, error) {
	cfg := map[string]interface{}{"bolt_timeout": lockWait}
	if readOnly {
		cfg["read_only"] = true
	}
	idx, err := bleve.OpenUsing(path, cfg)
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			if readOnly {
				return nil, fmt.Errorf("index: open %s: %w", path, ErrLocked)
			}
			return nil, fmt.Errorf("index: open %s: %w", path, ErrInUse)
		}
		return nil, fmt.Errorf("index: open %s: %w", path, err)
	}
	v, err := idx.GetInternal(internalMappingKey)
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("index: open %s: %w", path, err)
	}
	if string(v) != mappingVersion {
		idx.Close()
		return nil, fmt.Errorf("index: open %s: mapping %q, want %q: %w", path, v, mappingVersion, ErrIncompatible)
	}
	return newIndex(idx, path, readOnly), nil
}

func newIndex(idx bleve.Index, path string, readOnly bool) *Index {
	ix := &Index{idx: idx, path: path, readOnly: readOnly}
	ix.people = sync.OnceValues(ix.loadPeople)
	return ix
}

// Close closes the index and releases its lock. Closing again does nothing.
func (ix *Index) Close() error {
	ix.closeOnce.Do(func() {
		if err := ix.idx.Close(); err != nil {
			ix.closeErr = fmt.Errorf("index: close %s: %w", ix.path, err)
		}
	})
	return ix.closeErr
}

// Count returns the number of documents in the index.
func (ix *Index) Count() (uint64, error) {
	n, err := ix.idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("index: count %s: %w", ix.path, err)
	}
	return n, nil
}

// Put indexes docs, replacing any document with the same ID, in batches of
// at most 500 documents. Documents are checked before anything is written: an
// empty ID or a malformed Published date fails the whole call.
func (ix *Index) Put(docs []Doc) error {
	if ix.readOnly {
		return fmt.Errorf("index: put %s: %w", ix.path, ErrReadOnly)
	}
	fields := make([]map[string]interface{}, len(docs))
	for i, d := range docs {
		f, err := docFields(d)
		if err != nil {
			return fmt.Errorf("index: put %q: %w", d.ID, err)
		}
		fields[i] = f
	}
	b := ix.idx.NewBatch()
	for i, d := range docs {
		if err := b.Index(d.ID, fields[i]); err != nil {
			return fmt.Errorf("index: put %q: %w", d.ID, err)
		}
		if b.Size() >= batchSize {
			if err := ix.idx.Batch(b); err != nil {
				return fmt.Errorf("index: put batch ending %q: %w", d.ID, err)
			}
			b.Reset()
		}
	}
	if b.Size() > 0 {
		if err := ix.idx.Batch(b); err != nil {
			return fmt.Errorf("index: put last batch: %w", err)
		}
	}
	return nil
}

// Delete removes the documents with the given ids; unknown ids are ignored.
func (ix *Index) Delete(ids []string) error {
	if ix.readOnly {
		return fmt.Errorf("index: delete %s: %w", ix.path, ErrReadOnly)
	}
	b := ix.idx.NewBatch()
	for _, id := range ids {
		b.Delete(id)
		if b.Size() >= batchSize {
			if err := ix.idx.Batch(b); err != nil {
				return fmt.Errorf("index: delete batch ending %q: %w", id, err)
			}
			b.Reset()
		}
	}
	if b.Size() > 0 {
		if err := ix.idx.Batch(b); err != nil {
			return fmt.Errorf("index: delete: %w", err)
		}
	}
	return nil
}

// Compact merges the index's segments into one, which makes searches
// faster; call it at the end of an ingest. It returns when the merge is done
// or ctx is cancelled.
func (ix *Index) Compact(ctx context.Context) error {
	if ix.readOnly {
		return fmt.Errorf("index: compact %s: %w", ix.path, ErrReadOnly)
	}
	adv, err := ix.idx.Advanced()
	if err != nil {
		return fmt.Errorf("index: compact %s: %w", ix.path, err)
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	if err := s.ForceMerge(ctx, nil); err != nil {
		return fmt.Errorf("index: compact %s: %w", ix.path, err)
	}
	return ctx.Err()
}

// facetTerms are the terms of d's facet field.
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
	add(facetPrefixes[1].prefix, d.Commodities...)
	add(facetPrefixes[2].prefix, d.CommodityCategories...)
	add(facetPrefixes[3].prefix, d.Source)
	if d.Published != "" {
		add(facetPrefixes[4].prefix, d.Published[:7])
	}
	add(copyPrefix, d.CopyGroup)
	add(sortIDPrefix, d.ID)
	slices.Sort(ts)
	return slices.Compact(ts)
}

// meta is the stored display data of a document, returned with each hit.
type meta struct {
	Title       string    `json:"title,omitempty"`
	Source      string    `json:"source,omitempty"`
	Published   string    `json:"published,omitempty"`
	People      []Person  `json:"people,omitempty"`
	Commodities []string  `json:"commodities,omitempty"`
	Percents    []Percent `json:"percents,omitempty"`
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
	m[fieldFacet] = facetTerms(d)
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
	if len(d.Commodities) > 0 {
		m[fieldCommodity] = d.Commodities
	}
	if len(d.CommodityCategories) > 0 {
		m[fieldCategory] = d.CommodityCategories
	}
	js, err := json.Marshal(meta{
		Title: d.Title, Source: d.Source, Published: d.Published,
		People: d.People, Commodities: d.Commodities, Percents: d.Percents,
		CopyGroup: d.CopyGroup,
	})
	if err != nil {
		return nil, err
	}
	m[fieldMeta] = string(js)
	return m, nil
}
