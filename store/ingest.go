package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/sync/errgroup"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/extract"
	"github.com/trawlnews/trawl/index"
	"github.com/trawlnews/trawl/reconcile"
)

// IngestOptions tunes Ingest. The zero value reads with corpus defaults,
// uses GOMAXPROCS workers and reports nothing.
type IngestOptions struct {
	Corpus corpus.Options
	// Workers is the number of files read and extracted at once; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
	// Extractor is shared by all workers; nil builds one.
	Extractor *extract.Extractor
	// Progress, when set, is called after each file with the running totals.
	Progress func(Progress)
	// Problem, when set, is called with each file or line that could not be
	// used (the batch goes on).
	Problem func(error)
}

// Progress is the running state of an ingest.
type Progress struct {
	Done, Total int   // files
	Bytes       int64 // bytes of the files done
	Phase       string
}

// Summary is what one ingest did.
type Summary struct {
	Files     int `json:"files"` // files seen
	New       int `json:"new"`
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
	Removed   int `json:"removed"`
	// Skipped are files that were not used, with the reason.
	Skipped []corpus.Skip `json:"skipped"`
	// Problems are files kept in part (bad JSONL lines) or not at all.
	Problems []string `json:"problems"`
	// Articles is the number of articles in the store afterwards.
	Articles int `json:"articles"`
	// Extracted is the number of articles extracted in this run.
	Extracted int `json:"extracted"`
	// Mentions counts the mentions per kind of the articles extracted in
	// this run.
	Mentions map[trawl.Kind]int `json:"mentions"`
	// Entities and Discrepancies are the totals after reconciliation.
	Entities      int           `json:"entities"`
	Discrepancies int           `json:"discrepancies"`
	Indexed       int           `json:"indexed"` // documents (re)written to the index
	Bytes         int64         `json:"bytes"`   // bytes of every file seen
	Elapsed       time.Duration `json:"elapsed"`
	// Interrupted is set when the context was cancelled; what was done is
	// kept and the next run finishes the rest.
	Interrupted bool `json:"interrupted"`
}

// fileRecord is what the store remembers of an ingested file.
type fileRecord struct {
	Hash    string    `json:"sha256"`
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mtime"`
	IDs     []string  `json:"ids"`
}

// fileResult is the outcome of reading one file in a worker.
type fileResult struct {
	file     corpus.File
	key      string
	hash     string
	status   string // "new", "changed", "unchanged", "failed"
	articles []trawl.Article
	problems []error
}

// Ingest reads every article under roots, extracts the new and changed ones,
// drops those whose files are gone, then reconciles and indexes. Work is
// committed in chunks, so an interrupted run loses nothing done and the next
// run picks up the rest.
func (s *Store) Ingest(ctx context.Context, roots []string, opts IngestOptions) (*Summary, error) {
	if s.readOnly {
		return nil, errors.New("store: opened read-only")
	}
	start := time.Now()
	sum := &Summary{Mentions: map[trawl.Kind]int{}}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	x := opts.Extractor
	if x == nil {
		x = extract.New(extract.Options{})
	}
	problem := func(err error) {
		sum.Problems = append(sum.Problems, err.Error())
		if opts.Problem != nil {
			opts.Problem(err)
		}
	}
	if err := s.markDirty(); err != nil {
		return nil, err
	}

	type rootFiles struct {
		abs   string
		files []corpus.File
		ok    bool
	}
	var all []rootFiles
	total := 0
	for _, root := range roots {
		abs, err := filepath.Abs(root)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", root, err)
		}
		if _, err := os.Stat(root); err != nil {
			return nil, fmt.Errorf("store: ingest %s: %w", root, err)
		}
		files, skipped, err := corpus.Walk(ctx, root, opts.Corpus)
		sum.Skipped = append(sum.Skipped, skipped...)
		if err != nil && ctx.Err() == nil {
			problem(fmt.Errorf("store: walk %s: %w", root, err))
		}
		all = append(all, rootFiles{abs: abs, files: files, ok: err == nil})
		total += len(files)
	}
	sum.Files = total + len(sum.Skipped)

	seenIDs := map[string]string{} // article id -> file key, to refuse duplicates
	done := 0
	for _, rf := range all {
		seen := map[string]bool{}
		chunk := 16 * workers
		for lo := 0; lo < len(rf.files); lo += chunk {
			if ctx.Err() != nil {
				break
			}
			hi := min(lo+chunk, len(rf.files))
			results, err := s.readChunk(ctx, rf.abs, rf.files[lo:hi], workers, x, opts.Corpus)
			if err != nil {
				return nil, err
			}
			for i := range results {
				r := &results[i]
				seen[r.key] = true
				sum.Bytes += r.file.Size
				switch r.status {
				case "new":
					sum.New++
				case "changed":
					sum.Changed++
				case "unchanged":
					sum.Unchanged++
				}
				for _, p := range r.problems {
					problem(p)
				}
				kept := r.articles[:0]
				for _, a := range r.articles {
					if owner, dup := seenIDs[a.ID]; dup && owner != r.key {
						problem(fmt.Errorf("store: %s: article id %q already used by %s; skipped", r.file.Rel, a.ID, owner))
						continue
					}
					seenIDs[a.ID] = r.key
					kept = append(kept, a)
					for _, m := range a.Mentions {
						sum.Mentions[m.Type]++
					}
				}
				r.articles = kept
				if r.status == "new" || r.status == "changed" {
					sum.Extracted += len(kept)
				}
			}
			if err := s.commit(results); err != nil {
				return nil, err
			}
			done += hi - lo
			if opts.Progress != nil {
				opts.Progress(Progress{Done: done, Total: total, Bytes: sum.Bytes, Phase: "extract"})
			}
		}
		if ctx.Err() != nil {
			sum.Interrupted = true
			break
		}
		if rf.ok {
			n, err := s.removeUnseen(rf.abs, seen)
			if err != nil {
				return nil, err
			}
			sum.Removed += n
		}
	}
	if sum.Interrupted {
		sum.Articles, _ = s.Count()
		sum.Elapsed = time.Since(start)
		return sum, nil
	}
	if opts.Progress != nil {
		opts.Progress(Progress{Done: done, Total: total, Bytes: sum.Bytes, Phase: "reconcile"})
	}
	rs, err := s.refresh(ctx)
	if err != nil {
		if ctx.Err() != nil {
			sum.Interrupted = true
			sum.Elapsed = time.Since(start)
			return sum, nil
		}
		return nil, err
	}
	sum.Articles, sum.Entities, sum.Discrepancies, sum.Indexed = rs.articles, rs.entities, rs.discrepancies, rs.indexed
	sum.Elapsed = time.Since(start)
	return sum, nil
}

// fileKey identifies a file across runs: its root and its path under it.
func fileKey(absRoot, rel string) string { return absRoot + "\x00" + rel }

// readChunk reads, hashes and (when new or changed) extracts files in
// parallel; results come back in input order.
func (s *Store) readChunk(ctx context.Context, absRoot string, files []corpus.File, workers int, x *extract.Extractor, copts corpus.Options) ([]fileResult, error) {
	results := make([]fileResult, len(files))
	old := make([]*fileRecord, len(files))
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFiles)
		for i, f := range files {
			if v := b.Get([]byte(fileKey(absRoot, f.Rel))); v != nil {
				var rec fileRecord
				if err := json.Unmarshal(v, &rec); err == nil {
					old[i] = &rec
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: read file records: %w", err)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i, f := range files {
		g.Go(func() error {
			if gctx.Err() != nil {
				return nil
			}
			r := fileResult{file: f, key: fileKey(absRoot, f.Rel), status: "failed"}
			defer func() { results[i] = r }()
			raw, err := os.ReadFile(f.Abs)
			if err != nil {
				r.problems = append(r.problems, fmt.Errorf("corpus: read %s: %w", f.Rel, err))
				return nil
			}
			r.hash = corpus.Hash(raw)
			if old[i] != nil && old[i].Hash == r.hash {
				r.status = "unchanged"
				return nil
			}
			arts, problems, err := corpus.Read(f, copts)
			r.problems = append(r.problems, problems...)
			if err != nil {
				r.problems = append(r.problems, err)
				return nil
			}
			for j := range arts {
				x.Extract(&arts[j])
			}
			r.articles = arts
			r.status = "new"
			if old[i] != nil {
				r.status = "changed"
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		// Keep only the files that were fully handled before the cancel.
		kept := results[:0]
		for _, r := range results {
			if r.key != "" {
				kept = append(kept, r)
			}
		}
		results = kept
	}
	return results, nil
}

// commit writes one chunk of file results in a single transaction.
func (s *Store) commit(results []fileResult) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		files, arts := tx.Bucket(bucketFiles), tx.Bucket(bucketArticles)
		for _, r := range results {
			if r.status != "new" && r.status != "changed" {
				continue
			}
			var old fileRecord
			if v := files.Get([]byte(r.key)); v != nil {
				_ = json.Unmarshal(v, &old)
			}
			rec := fileRecord{Hash: r.hash, Size: r.file.Size, ModTime: r.file.ModTime}
			for _, a := range r.articles {
				v, err := json.Marshal(a)
				if err != nil {
					return fmt.Errorf("encode article %q: %w", a.ID, err)
				}
				if err := arts.Put([]byte(a.ID), v); err != nil {
					return err
				}
				rec.IDs = append(rec.IDs, a.ID)
			}
			for _, id := range old.IDs {
				if !slices.Contains(rec.IDs, id) {
					if err := arts.Delete([]byte(id)); err != nil {
						return err
					}
				}
			}
			v, err := json.Marshal(rec)
			if err != nil {
				return err
			}
			if err := files.Put([]byte(r.key), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: write %s: %w", s.dir, err)
	}
	return nil
}

// removeUnseen drops the files under absRoot that the walk no longer found,
// with their articles, and returns how many files were removed.
func (s *Store) removeUnseen(absRoot string, seen map[string]bool) (int, error) {
	n := 0
	prefix := []byte(absRoot + "\x00")
	err := s.db.Update(func(tx *bolt.Tx) error {
		files, arts := tx.Bucket(bucketFiles), tx.Bucket(bucketArticles)
		var gone [][]byte
		c := files.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if seen[string(k)] {
				continue
			}
			var rec fileRecord
			_ = json.Unmarshal(v, &rec)
			for _, id := range rec.IDs {
				if err := arts.Delete([]byte(id)); err != nil {
					return err
				}
			}
			gone = append(gone, slices.Clone(k))
		}
		for _, k := range gone {
			if err := files.Delete(k); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: remove deleted files: %w", err)
	}
	return n, nil
}

// markDirty records that the index may lag the database. The first time a
// Store is written, a dirty flag left by an earlier process means that run
// died between writing the database and flushing the index: every recorded
// digest is blanked (ids kept, so deleted articles still leave the index) and
// the next refresh rewrites every document; bleve upserts make that safe. A
// missing index forgets the digests altogether.
func (s *Store) markDirty() error {
	_, statErr := os.Stat(filepath.Join(s.dir, indexDir))
	check := !s.dirtyChecked
	s.dirtyChecked = true
	return s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		switch {
		case statErr != nil:
			if err := tx.DeleteBucket(bucketIndexed); err != nil && !errors.Is(err, bolt.ErrBucketNotFound) {
				return err
			}
			if _, err := tx.CreateBucket(bucketIndexed); err != nil {
				return err
			}
		case check && meta.Get(keyDirty) != nil:
			idx := tx.Bucket(bucketIndexed)
			var keys [][]byte
			idx.ForEach(func(k, _ []byte) error { keys = append(keys, slices.Clone(k)); return nil })
			for _, k := range keys {
				if err := idx.Put(k, []byte{}); err != nil {
					return err
				}
			}
		}
		return meta.Put(keyDirty, []byte(time.Now().UTC().Format(time.RFC3339)))
	})
}

type refreshStats struct{ articles, entities, discrepancies, indexed int }

// refresh reconciles every stored article, stores the entities and
// discrepancies, and brings the index up to date by writing only the
// documents whose indexed form changed.
func (s *Store) refresh(ctx context.Context) (refreshStats, error) {
	var st refreshStats
	if ctx == nil {
		ctx = context.Background()
	}
	if err := s.markDirty(); err != nil {
		return st, err
	}
	var arts []trawl.Article
	if err := s.articles(false, func(a trawl.Article) error { arts = append(arts, a); return nil }); err != nil {
		return st, err
	}
	st.articles = len(arts)
	d, err := s.Decisions()
	if err != nil {
		return st, err
	}
	res := reconcile.Reconcile(arts, reconcile.Options{Decisions: d})
	st.entities, st.discrepancies = len(res.Entities), len(res.Discrepancies)
	names := map[string]string{}
	for _, e := range res.Entities {
		names[e.ID] = e.Canonical
	}

	ents, err := json.Marshal(res.Entities)
	if err != nil {
		return st, err
	}
	discs, err := json.Marshal(res.Discrepancies)
	if err != nil {
		return st, err
	}
	// Work out which documents changed before touching the index.
	type pending struct {
		doc    index.Doc
		digest string
	}
	var puts []pending
	var dels []string
	err = s.db.Update(func(tx *bolt.Tx) error {
		r := tx.Bucket(bucketResults)
		if err := r.Put(keyEntities, ents); err != nil {
			return err
		}
		if err := r.Put(keyDiscrepancies, discs); err != nil {
			return err
		}
		idx, assign := tx.Bucket(bucketIndexed), tx.Bucket(bucketAssign)
		live := map[string]bool{}
		for _, a := range arts {
			live[a.ID] = true
			ids := personEntities(a)
			if string(assign.Get([]byte(a.ID))) != string(ids) {
				if err := assign.Put([]byte(a.ID), ids); err != nil {
					return err
				}
			}
			doc := indexDoc(a, names)
			raw, err := json.Marshal(doc)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(raw)
			digest := hex.EncodeToString(sum[:])
			if string(idx.Get([]byte(a.ID))) != digest {
				puts = append(puts, pending{doc, digest})
			}
		}
		var stale [][]byte
		if err := assign.ForEach(func(k, _ []byte) error {
			if !live[string(k)] {
				stale = append(stale, slices.Clone(k))
			}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range stale {
			if err := assign.Delete(k); err != nil {
				return err
			}
		}
		return idx.ForEach(func(k, _ []byte) error {
			if !live[string(k)] {
				dels = append(dels, string(k))
			}
			return nil
		})
	})
	if err != nil {
		return st, fmt.Errorf("store: write results: %w", err)
	}

	ix, rebuilt, err := s.openIndexForWrite(ctx)
	if err != nil {
		return st, err
	}
	if rebuilt {
		// A fresh index holds nothing: every live document goes in.
		puts = puts[:0]
		for _, a := range arts {
			doc := indexDoc(a, names)
			raw, _ := json.Marshal(doc)
			sum := sha256.Sum256(raw)
			puts = append(puts, pending{doc, hex.EncodeToString(sum[:])})
		}
		dels = nil
	}
	const batch = 500
	for lo := 0; lo < len(puts); lo += batch {
		if ctx.Err() != nil {
			ix.Close()
			return st, ctx.Err()
		}
		hi := min(lo+batch, len(puts))
		docs := make([]index.Doc, 0, hi-lo)
		for _, p := range puts[lo:hi] {
			docs = append(docs, p.doc)
		}
		if err := ix.Put(docs); err != nil {
			ix.Close()
			return st, err
		}
		st.indexed += len(docs)
	}
	if len(dels) > 0 {
		if err := ix.Delete(dels); err != nil {
			ix.Close()
			return st, err
		}
	}
	if st.indexed > 0 || len(dels) > 0 {
		// One segment makes every later search faster.
		if err := ix.Compact(ctx); err != nil && ctx.Err() == nil {
			ix.Close()
			return st, err
		}
	}
	if err := ix.Close(); err != nil {
		return st, err
	}
	// The index is flushed: record what it holds and clear the dirty flag.
	err = s.db.Update(func(tx *bolt.Tx) error {
		idx := tx.Bucket(bucketIndexed)
		for _, p := range puts {
			if err := idx.Put([]byte(p.doc.ID), []byte(p.digest)); err != nil {
				return err
			}
		}
		for _, id := range dels {
			if err := idx.Delete([]byte(id)); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Delete(keyDirty)
	})
	if err != nil {
		return st, fmt.Errorf("store: record index state: %w", err)
	}
	return st, nil
}

// openIndexForWrite opens the store's index for writing. A search or a
// server that holds the index for a moment makes Open fail with
// index.ErrInUse, so it is retried for a few seconds. An index built by
// another version of trawl is deleted and rebuilt from the database; rebuilt
// says so.
func (s *Store) openIndexForWrite(ctx context.Context) (ix *index.Index, rebuilt bool, err error) {
	path := filepath.Join(s.dir, indexDir)
	deadline := time.Now().Add(10 * time.Second)
	for {
		ix, err = index.Open(path)
		switch {
		case err == nil:
			return ix, rebuilt, nil
		case errors.Is(err, index.ErrIncompatible) && !rebuilt:
			if err := os.RemoveAll(path); err != nil {
				return nil, false, fmt.Errorf("store: remove outdated index %s: %w", path, err)
			}
			rebuilt = true
		case errors.Is(err, index.ErrInUse) && time.Now().Before(deadline) && ctx.Err() == nil:
			time.Sleep(200 * time.Millisecond)
		default:
			return nil, false, err
		}
	}
}

// personEntities encodes the cross-article entity id of each PERSON mention
// of a reconciled article, in mention order.
func personEntities(a trawl.Article) []byte {
	ids := []string{}
	for _, m := range a.Mentions {
		if m.Type == trawl.Person {
			ids = append(ids, m.Entity)
		}
	}
	b, _ := json.Marshal(ids)
	return b
}

// applyEntities replaces the document-local entity keys of a stored article's
// PERSON mentions with the cross-article ids recorded by the last refresh.
func applyEntities(a *trawl.Article, raw []byte) {
	var ids []string
	if json.Unmarshal(raw, &ids) != nil {
		return
	}
	i := 0
	for j := range a.Mentions {
		if a.Mentions[j].Type == trawl.Person && i < len(ids) {
			a.Mentions[j].Entity = ids[i]
			i++
		}
	}
}

// indexDoc is the search document of an article whose PERSON mentions carry
// cross-article entity ids.
func indexDoc(a trawl.Article, names map[string]string) index.Doc {
	doc := index.Doc{
		ID: a.ID, Title: a.Title, Source: a.Source, Published: a.Published, Text: a.Text,
		Commodities: a.Commodities,
	}
	people := map[string]*index.Person{}
	var order []string
	cats := map[string]bool{}
	for _, m := range a.Mentions {
		switch m.Type {
		case trawl.Person:
			p := people[m.Entity]
			if p == nil {
				p = &index.Person{ID: m.Entity, Canonical: names[m.Entity]}
				people[m.Entity] = p
				order = append(order, m.Entity)
			}
			if !slices.Contains(p.Variants, m.Text) {
				p.Variants = append(p.Variants, m.Text)
			}
		case trawl.Commodity:
			if m.Category != "" {
				cats[m.Category] = true
			}
		case trawl.Percent:
			doc.Percents = append(doc.Percents, index.Percent{Value: m.Value, Subject: m.Subject})
		}
	}
	slices.Sort(order)
	for _, id := range order {
		doc.People = append(doc.People, *people[id])
	}
	for c := range cats {
		doc.CommodityCategories = append(doc.CommodityCategories, c)
	}
	slices.Sort(doc.CommodityCategories)
	return doc
}
