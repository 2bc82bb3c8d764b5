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
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/sync/errgroup"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/extract"
	"github.com/trawlnews/trawl/index"
	"github.com/trawlnews/trawl/internal/text"
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
	// Rehash reads and hashes every file even when its size and
	// modification time say it is unchanged since the last ingest.
	Rehash bool
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
	Changes       int           `json:"changes"` // figure changes ("from 25% to 50%"): context, not in Discrepancies
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
	// Read is when the file was last read and hashed; with Size and ModTime
	// it lets a re-ingest skip reading a file that has not been touched
	// since (see statUnchanged). Zero in stores written before it existed.
	Read time.Time `json:"read,omitzero"`
}

// racyWindow is how long before a file was read its modification time must
// be for a matching size and mtime to prove it unchanged: a write in the
// same clock tick as the read (coarse mtimes on some file systems are 1 or
// 2 seconds) could otherwise go unseen.
const racyWindow = 2 * time.Second

// statUnchanged reports whether f can be taken as unchanged since rec was
// written without reading it: same size and modification time, and that
// time well before the file was last read. Any edit through the file
// system changes the mtime; a tool that rewrites a file and then sets its
// old mtime back with the same size is not noticed (IngestOptions.Rehash).
func statUnchanged(rec *fileRecord, f corpus.File) bool {
	return rec != nil && rec.Hash != "" && !rec.Read.IsZero() && !f.ModTime.IsZero() &&
		rec.Size == f.Size && rec.ModTime.Equal(f.ModTime) && rec.Read.Sub(f.ModTime) > racyWindow
}

// fileResult is the outcome of reading one file in a worker.
type fileResult struct {
	file     corpus.File
	key      string
	hash     string
	status   string    // "new", "changed", "unchanged", "rechecked" (unchanged, record renewed), "failed"
	read     time.Time // when the worker started on the file
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
	// A store whose last run finished cleanly and whose files are all
	// unchanged needs no reconciliation or indexing: a re-ingest of an
	// unchanged corpus costs only the walk and the hashes.
	clean, err := s.clean()
	if err != nil {
		return nil, err
	}
	// The dirty flag is set before the first write, not at the start, so that
	// a run that finds nothing to change writes nothing (no fsync).
	dirtied := false
	dirty := func() error {
		if dirtied {
			return nil
		}
		dirtied = true
		return s.markDirty()
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
			results, err := s.readChunk(ctx, rf.abs, rf.files[lo:hi], workers, x, opts.Corpus, opts.Rehash)
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
				case "unchanged", "rechecked":
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
			if slices.ContainsFunc(results, fileResult.writes) {
				if err := dirty(); err != nil {
					return nil, err
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
			n, err := s.removeUnseen(rf.abs, seen, dirty)
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
	if clean && sum.New == 0 && sum.Changed == 0 && sum.Removed == 0 {
		rs, err := s.unchangedStats(dirtied)
		if err != nil {
			return nil, err
		}
		sum.Articles, sum.Entities, sum.Discrepancies, sum.Changes = rs.articles, rs.entities, rs.discrepancies, rs.changes
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
			sum.Articles, _ = s.Count()
			sum.Elapsed = time.Since(start)
			return sum, nil
		}
		return nil, err
	}
	sum.Articles, sum.Entities, sum.Discrepancies, sum.Indexed = rs.articles, rs.entities, rs.discrepancies, rs.indexed
	sum.Changes = rs.changes
	sum.Elapsed = time.Since(start)
	return sum, nil
}

// fileKey identifies a file across runs: its root and its path under it.
func fileKey(absRoot, rel string) string { return absRoot + "\x00" + rel }

// readChunk reads, hashes and (when new or changed) extracts files in
// parallel; results come back in input order.
func (s *Store) readChunk(ctx context.Context, absRoot string, files []corpus.File, workers int, x *extract.Extractor, copts corpus.Options, rehash bool) ([]fileResult, error) {
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
	var warm sync.Once
	for i, f := range files {
		g.Go(func() error {
			if gctx.Err() != nil {
				return nil
			}
			r := fileResult{file: f, key: fileKey(absRoot, f.Rel), status: "failed", read: time.Now()}
			defer func() { results[i] = r }()
			if !rehash && statUnchanged(old[i], f) {
				r.hash, r.status = old[i].Hash, "unchanged"
				return nil
			}
			// A new text file is read once, by corpus.Read, whose article
			// carries the hash of the raw bytes; any other file is hashed
			// first to see whether it changed.
			if old[i] != nil || f.Format != corpus.FormatText {
				raw, err := os.ReadFile(f.Abs)
				if err != nil {
					r.problems = append(r.problems, fmt.Errorf("corpus: read %s: %w", f.Rel, err))
					return nil
				}
				r.hash = corpus.Hash(raw)
				if old[i] != nil && old[i].Hash == r.hash {
					r.status = "unchanged"
					if !statUnchanged(old[i], f) {
						r.status = "rechecked" // same content: renew the record's stat data
					}
					return nil
				}
			}
			warm.Do(func() { go x.Warm() }) // the models load while this file is read
			arts, problems, err := corpus.Read(f, copts)
			r.problems = append(r.problems, problems...)
			if err != nil {
				r.problems = append(r.problems, err)
				return nil
			}
			for j := range arts {
				x.Extract(&arts[j])
			}
			if r.hash == "" && len(arts) > 0 {
				r.hash = arts[0].Hash
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

// writes reports whether commit writes anything for r.
func (r fileResult) writes() bool {
	return r.status == "new" || r.status == "changed" || r.status == "rechecked"
}

// commit writes one chunk of file results in a single transaction.
func (s *Store) commit(results []fileResult) error {
	if !slices.ContainsFunc(results, fileResult.writes) {
		return nil // nothing to write: no transaction, no fsync
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		files, arts := tx.Bucket(bucketFiles), tx.Bucket(bucketArticles)
		for _, r := range results {
			if r.status != "new" && r.status != "changed" && r.status != "rechecked" {
				continue
			}
			var old fileRecord
			if v := files.Get([]byte(r.key)); v != nil {
				_ = json.Unmarshal(v, &old)
			}
			if r.status == "rechecked" {
				old.Size, old.ModTime, old.Read = r.file.Size, r.file.ModTime, r.read
				v, err := json.Marshal(old)
				if err != nil {
					return err
				}
				if err := files.Put([]byte(r.key), v); err != nil {
					return err
				}
				continue
			}
			rec := fileRecord{Hash: r.hash, Size: r.file.Size, ModTime: r.file.ModTime, Read: r.read}
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
// with their articles, and returns how many files were removed. It looks
// first and calls dirty before it writes, so that a run with nothing to
// remove writes nothing.
func (s *Store) removeUnseen(absRoot string, seen map[string]bool, dirty func() error) (int, error) {
	prefix := []byte(absRoot + "\x00")
	var gone [][]byte
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketFiles).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			if !seen[string(k)] {
				gone = append(gone, slices.Clone(k))
			}
		}
		return nil
	})
	if err != nil || len(gone) == 0 {
		return 0, err
	}
	if err := dirty(); err != nil {
		return 0, err
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		files, arts := tx.Bucket(bucketFiles), tx.Bucket(bucketArticles)
		for _, k := range gone {
			var rec fileRecord
			_ = json.Unmarshal(files.Get(k), &rec)
			for _, id := range rec.IDs {
				if err := arts.Delete([]byte(id)); err != nil {
					return err
				}
			}
			if err := files.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: remove deleted files: %w", err)
	}
	return len(gone), nil
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

type refreshStats struct{ articles, entities, discrepancies, changes, indexed int }

// clean reports whether the last run left the store consistent: no dirty
// flag (so the index holds what the database says), an index on disk, the
// results of a reconciliation, and the decisions file it applied unchanged
// since (a hand edit of decisions.json is applied by the next ingest).
func (s *Store) clean() (bool, error) {
	if _, err := os.Stat(filepath.Join(s.dir, indexDir)); err != nil {
		return false, nil
	}
	decisions := s.decisionsHash()
	ok := false
	err := s.db.View(func(tx *bolt.Tx) error {
		r := tx.Bucket(bucketResults)
		meta := tx.Bucket(bucketMeta)
		ok = meta.Get(keyDirty) == nil && r.Get(keyEntities) != nil && r.Get(keyDiscrepancies) != nil &&
			string(meta.Get(keyDecisionsHash)) == decisions
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: read state: %w", err)
	}
	return ok, nil
}

// decisionsHash is the SHA-256 of decisions.json, "none" when there is
// none, or "" when it cannot be read (which never matches a stored hash).
func (s *Store) decisionsHash() string {
	b, err := os.ReadFile(filepath.Join(s.dir, decisionsFile))
	if errors.Is(err, os.ErrNotExist) {
		return "none"
	}
	if err != nil {
		return ""
	}
	return corpus.Hash(b)
}

// resultCounts are the totals of the last refresh, kept so that a
// re-ingest that changed nothing can report them without reading the
// results.
type resultCounts struct {
	Articles      int `json:"articles"`
	Entities      int `json:"entities"`
	Discrepancies int `json:"discrepancies"`
	Changes       int `json:"changes"`
}

// unchangedStats returns the totals of the last reconciliation for a run
// that changed nothing, and clears the dirty flag when the run set it
// (dirtied: it renewed file records).
func (s *Store) unchangedStats(dirtied bool) (refreshStats, error) {
	var st refreshStats
	txn := s.db.View
	if dirtied {
		txn = s.db.Update
	}
	err := txn(func(tx *bolt.Tx) error {
		r := tx.Bucket(bucketResults)
		var n resultCounts
		if v := r.Get(keyCounts); v != nil && json.Unmarshal(v, &n) == nil {
			st.articles, st.entities, st.discrepancies, st.changes = n.Articles, n.Entities, n.Discrepancies, n.Changes
			return clearDirty(tx)
		}
		st.articles = tx.Bucket(bucketArticles).Stats().KeyN
		// A store from before the counts were kept: count the results.
		var ents []json.RawMessage
		if err := json.Unmarshal(r.Get(keyEntities), &ents); err != nil {
			return fmt.Errorf("read entities: %w", err)
		}
		var discs []struct {
			Kind trawl.DiscrepancyKind `json:"kind"`
		}
		if err := json.Unmarshal(r.Get(keyDiscrepancies), &discs); err != nil {
			return fmt.Errorf("read discrepancies: %w", err)
		}
		st.entities = len(ents)
		for _, d := range discs {
			if d.Kind == trawl.FigureChange {
				st.changes++
			} else {
				st.discrepancies++
			}
		}
		return clearDirty(tx)
	})
	if err != nil {
		return st, fmt.Errorf("store: %w", err)
	}
	return st, nil
}

// clearDirty deletes the dirty flag in a write transaction; in a read-only
// one (nothing was written, so the flag was never set) it does nothing.
func clearDirty(tx *bolt.Tx) error {
	if !tx.Writable() {
		return nil
	}
	return tx.Bucket(bucketMeta).Delete(keyDirty)
}

// refresh reconciles every stored article, stores the entities and
// discrepancies, and brings the index up to date by writing only the
// documents whose indexed form changed.
//
// It reads the articles twice so that memory stays bounded by the number of
// mentions rather than the size of the corpus: reconciliation gets each
// article thinned to its PERSON, DATE and PERCENT mentions and the sentences
// that hold them (see thinArticle); the index is then fed one batch of full
// articles at a time. The order of the writes is what keeps a crash safe:
// results and entity ids are committed, then the index is written and
// closed, and only then are the digests recorded and the dirty flag cleared.
func (s *Store) refresh(ctx context.Context) (refreshStats, error) {
	var st refreshStats
	if ctx == nil {
		ctx = context.Background()
	}
	if err := s.markDirty(); err != nil {
		return st, err
	}
	defer limitHeap()()
	decisionsHash := s.decisionsHash()
	d, err := s.Decisions()
	if err != nil {
		return st, err
	}

	// Pass 1: reconcile thinned articles.
	var thin []trawl.Article
	segs := map[string][]textSegment{}
	err = s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketArticles).ForEach(func(k, v []byte) error {
			var a trawl.Article
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("store: article %q: %w", k, err)
			}
			var sg []textSegment
			a, sg = thinArticle(a)
			segs[a.ID] = sg
			thin = append(thin, a)
			return nil
		})
	})
	if err != nil {
		return st, err
	}
	st.articles = len(thin)
	res := reconcile.Reconcile(thin, reconcile.Options{Decisions: d})
	mapEvidence(res.Discrepancies, segs)
	segs = nil
	found, changes := reconcile.SplitChanges(res.Discrepancies)
	st.entities, st.discrepancies, st.changes = len(res.Entities), len(found), len(changes)
	names := map[string]string{}
	for _, e := range res.Entities {
		names[e.ID] = e.Canonical
	}
	assigned := make(map[string][]byte, len(thin))
	for _, a := range thin {
		assigned[a.ID] = personEntities(a)
	}
	thin = nil
	ents, err := json.Marshal(res.Entities)
	if err != nil {
		return st, err
	}
	discs, err := json.Marshal(res.Discrepancies)
	if err != nil {
		return st, err
	}
	res = reconcile.Result{}

	var dels []string
	err = s.db.Update(func(tx *bolt.Tx) error {
		r := tx.Bucket(bucketResults)
		if err := r.Put(keyEntities, ents); err != nil {
			return err
		}
		if err := r.Put(keyDiscrepancies, discs); err != nil {
			return err
		}
		counts, err := json.Marshal(resultCounts{st.articles, st.entities, st.discrepancies, st.changes})
		if err != nil {
			return err
		}
		if err := r.Put(keyCounts, counts); err != nil {
			return err
		}
		idx, assign := tx.Bucket(bucketIndexed), tx.Bucket(bucketAssign)
		for id, ids := range assigned {
			if !bytes.Equal(assign.Get([]byte(id)), ids) {
				if err := assign.Put([]byte(id), ids); err != nil {
					return err
				}
			}
		}
		var stale [][]byte
		if err := assign.ForEach(func(k, _ []byte) error {
			if _, live := assigned[string(k)]; !live {
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
			if _, live := assigned[string(k)]; !live {
				dels = append(dels, string(k))
			}
			return nil
		})
	})
	if err != nil {
		return st, fmt.Errorf("store: write results: %w", err)
	}

	// Pass 2: stream the documents whose indexed form changed to the index,
	// one bounded batch at a time.
	ix, err := index.Open(filepath.Join(s.dir, indexDir))
	if err != nil {
		return st, err
	}
	// One goroutine reads the articles and builds the changed documents, the
	// other writes them to the index, so that both cores stay busy; at most
	// two batches wait between them.
	type written struct{ id, digest string }
	var done []written
	batches := make(chan []index.Doc, 1)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for b := range batches {
			if err := ix.Put(b); err != nil {
				// Drain, so the reader is never blocked on a full channel.
				for range batches {
				}
				return err
			}
			st.indexed += len(b)
		}
		return nil
	})
	g.Go(func() error {
		defer close(batches)
		batch := make([]index.Doc, 0, indexBatch)
		err := s.db.View(func(tx *bolt.Tx) error {
			idx := tx.Bucket(bucketIndexed)
			return tx.Bucket(bucketArticles).ForEach(func(k, v []byte) error {
				if err := gctx.Err(); err != nil {
					return err
				}
				var a trawl.Article
				if err := json.Unmarshal(v, &a); err != nil {
					return fmt.Errorf("store: article %q: %w", k, err)
				}
				applyEntities(&a, assigned[a.ID])
				doc := indexDoc(a, names)
				digest, err := docDigest(doc, a.Hash)
				if err != nil {
					return err
				}
				if string(idx.Get(k)) == digest {
					return nil
				}
				done = append(done, written{a.ID, digest})
				batch = append(batch, doc)
				if len(batch) == indexBatch {
					select {
					case batches <- batch:
					case <-gctx.Done():
						return gctx.Err()
					}
					batch = make([]index.Doc, 0, indexBatch)
				}
				return nil
			})
		})
		if err == nil && len(batch) > 0 {
			select {
			case batches <- batch:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return err
	})
	err = g.Wait()
	if err == nil {
		err = ctx.Err()
	}
	if err == nil && len(dels) > 0 {
		err = ix.Delete(dels)
	}
	if err != nil {
		ix.Close()
		return st, err
	}
	if err := ix.Close(); err != nil {
		return st, err
	}
	// The index is flushed: record what it holds and clear the dirty flag.
	err = s.db.Update(func(tx *bolt.Tx) error {
		idx := tx.Bucket(bucketIndexed)
		for _, w := range done {
			if err := idx.Put([]byte(w.id), []byte(w.digest)); err != nil {
				return err
			}
		}
		for _, id := range dels {
			if err := idx.Delete([]byte(id)); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if err := meta.Put(keyDecisionsHash, []byte(decisionsHash)); err != nil {
			return err
		}
		return meta.Delete(keyDirty)
	})
	if err != nil {
		return st, fmt.Errorf("store: record index state: %w", err)
	}
	return st, nil
}

// refreshHeapLimit is the soft limit on the Go heap while refresh runs: it
// decodes every stored article twice, which makes garbage fast, and with
// the default GOGC the heap would grow to twice what is live. Past the
// limit the collector simply runs more often (what is live is not capped).
const refreshHeapLimit = 512 << 20

// limitHeap lowers the Go memory limit to refreshHeapLimit, unless the user
// set GOMEMLIMIT or a lower limit is in force, and returns the function
// that puts it back.
func limitHeap() (restore func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	old := debug.SetMemoryLimit(-1)
	if old <= refreshHeapLimit {
		return func() {}
	}
	debug.SetMemoryLimit(refreshHeapLimit)
	return func() { debug.SetMemoryLimit(old) }
}

// indexBatch is the number of documents handed to the index at once: it
// bounds the memory of pass 2 of refresh and is bleve's batch size.
const indexBatch = 500

// textSegment maps a piece of a thinned article's text back to the full
// text: bytes [Thin, Thin+Len) of the thin text are [Full, Full+Len) of the
// full one.
type textSegment struct{ Thin, Full, Len int }

// thinArticle returns the part of a that reconciliation reads: its PERSON,
// DATE and PERCENT mentions, and as text only the sentences that hold them
// (each kept whole, by the rules of text.Sentences, joined by line breaks, which
// end a sentence under the same rules), with the mention offsets moved to
// the thin text. Commodities, which reconciliation ignores, are dropped.
// The segments map offsets back (mapEvidence).
func thinArticle(a trawl.Article) (trawl.Article, []textSegment) {
	full := a.Text
	n := 0
	for _, m := range a.Mentions {
		if m.Type != trawl.Commodity {
			n++
		}
	}
	keep := make([]trawl.Mention, 0, n) // exact size: the mentions of every article stay in memory
	spans := make([][2]int, 0, n)
	var sents []text.Span
	for _, m := range a.Mentions {
		if m.Type == trawl.Commodity {
			continue
		}
		m.Type = internKind(m.Type)
		keep = append(keep, m)
		if m.Start < 0 || m.End > len(full) || m.Start > m.End {
			continue
		}
		if sents == nil {
			sents = text.Sentences(full)
		}
		// The sentence that holds m.Start, as text.SentenceAt finds it.
		s, e := m.Start, m.Start
		if sp, ok := text.SentenceAt(sents, m.Start); ok {
			s, e = sp.Start, sp.End
		}
		spans = append(spans, [2]int{min(s, m.Start), max(e, m.End)})
	}
	slices.SortFunc(spans, func(p, q [2]int) int { return p[0] - q[0] })
	var segs []textSegment
	var b strings.Builder
	for i := 0; i < len(spans); {
		lo, hi := spans[i][0], spans[i][1]
		for i++; i < len(spans) && spans[i][0] <= hi; i++ {
			hi = max(hi, spans[i][1])
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		segs = append(segs, textSegment{Thin: b.Len(), Full: lo, Len: hi - lo})
		b.WriteString(full[lo:hi])
	}
	thin := b.String()
	for i := range keep {
		m := &keep[i]
		if m.Start < 0 || m.End > len(full) || m.Start > m.End {
			m.Start, m.End = -1, -1
			continue
		}
		off := fullToThin(segs, m.Start)
		m.Start, m.End = m.Start+off, m.End+off
	}
	a.Text, a.Mentions, a.Commodities = thin, keep, nil
	return a, segs
}

// internKind returns the package constant equal to k, so that the copies
// the JSON decoder made of the kind of every mention can be freed.
func internKind(k trawl.Kind) trawl.Kind {
	for _, c := range trawl.Kinds {
		if c == k {
			return c
		}
	}
	return k
}

// fullToThin is what to add to an offset of the full text inside a kept
// segment to get its offset in the thin text.
func fullToThin(segs []textSegment, pos int) int {
	i, _ := slices.BinarySearchFunc(segs, pos, func(sg textSegment, p int) int {
		if sg.Full+sg.Len < p {
			return -1
		}
		if sg.Full > p {
			return 1
		}
		return 0
	})
	if i >= len(segs) {
		return 0
	}
	return segs[i].Thin - segs[i].Full
}

// mapEvidence moves the offsets of the evidence of discrepancies found in
// thinned articles back to the articles' full texts.
func mapEvidence(ds []trawl.Discrepancy, segs map[string][]textSegment) {
	for i := range ds {
		for j := range ds[i].Versions {
			for k := range ds[i].Versions[j].Evidence {
				ev := &ds[i].Versions[j].Evidence[k]
				sg := segs[ev.Article]
				if len(sg) == 0 {
					continue
				}
				n, _ := slices.BinarySearchFunc(sg, ev.Start, func(s textSegment, p int) int {
					if s.Thin+s.Len < p {
						return -1
					}
					if s.Thin > p {
						return 1
					}
					return 0
				})
				if n >= len(sg) {
					continue
				}
				off := sg[n].Full - sg[n].Thin
				ev.Start, ev.End = ev.Start+off, ev.End+off
			}
		}
	}
}

// docDigest identifies what the index holds for one document: its fields,
// with the text stood for by the article's content hash so that a refresh
// does not re-encode every article's text to find the few that changed.
func docDigest(doc index.Doc, contentHash string) (string, error) {
	if contentHash != "" {
		doc.Text = contentHash
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:]), nil
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
