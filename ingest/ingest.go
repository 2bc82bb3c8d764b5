// Package ingest is trawl's pipeline: it walks folders, reads and hashes
// each file, extracts the new and changed ones, commits them to a store in
// chunks, drops the articles of files that are gone, and has the store
// reconcile and index what changed. Every command that extracts articles
// goes through it: Run for a store, Extract for articles in memory.
//
// Crash protocol: each chunk of files is committed in one transaction, the
// store's dirty flag is set before the first write of a run and cleared by
// the refresh once the index is flushed, so an interrupted or killed run
// loses nothing it committed and the next run finishes the rest.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/extract"
	"github.com/trawlnews/trawl/store"
)

// Options tunes Run. The zero value reads with corpus defaults, uses
// GOMAXPROCS workers and reports nothing.
type Options struct {
	Corpus corpus.Options
	// Workers is the number of files read and extracted at once; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
	// Extractor is shared by all workers; nil builds one (unless
	// ExtractChunk is set).
	Extractor *extract.Extractor
	// ExtractChunk, when set, replaces the local extractor: the files of
	// each chunk are read and hashed here, and the articles of its new and
	// changed files are handed to ExtractChunk, which must extract them in
	// place (trawl ingest --nats sends them to remote workers). An error
	// ends the run; nothing of the chunk is committed.
	ExtractChunk func(ctx context.Context, arts []trawl.Article) error
	// Rehash reads and hashes every file even when its size and
	// modification time say it is unchanged since the last ingest.
	Rehash bool
	// Progress, when set, is called after each chunk of files with the
	// running totals, and once when the reconcile phase starts.
	Progress func(Progress)
	// Problem, when set, is called with each file or line that could not be
	// used (the batch goes on).
	Problem func(error)
}

// Progress is the running state of an ingest.
type Progress struct {
	Done, Total int   // files
	Bytes       int64 // bytes of the files done
	Phase       trawl.Phase
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

// racyWindow is how long before a file was read its modification time must
// be for a matching size and mtime to prove it unchanged: a write in the
// same clock tick as the read (coarse mtimes on some file systems are 1 or
// 2 seconds) could otherwise go unseen.
const racyWindow = 2 * time.Second

// statUnchanged reports whether f can be taken as unchanged since rec was
// written without reading it: same size and modification time, and that
// time well before the file was last read. Any edit through the file
// system changes the mtime; a tool that rewrites a file and then sets its
// old mtime back with the same size is not noticed (Options.Rehash).
func statUnchanged(rec *store.FileRecord, f corpus.File) bool {
	return rec != nil && rec.Hash != "" && !rec.Read.IsZero() && !f.ModTime.IsZero() &&
		rec.Size == f.Size && rec.ModTime.Equal(f.ModTime) && rec.Read.Sub(f.ModTime) > racyWindow
}

// fileResult is the outcome of reading one file in a worker.
type fileResult struct {
	file     corpus.File
	key      string
	hash     string
	status   trawl.FileStatus
	read     time.Time // when the worker started on the file
	articles []trawl.Article
	problems []error
}

// write is what the store must commit for r, and whether there is any.
func (r fileResult) write() (store.FileWrite, bool) {
	w := store.FileWrite{Key: r.key, Hash: r.hash, Size: r.file.Size, ModTime: r.file.ModTime, Read: r.read, Articles: r.articles}
	switch r.status {
	case trawl.FileNew, trawl.FileChanged:
		return w, true
	case trawl.FileRechecked:
		w.Renew, w.Articles = true, nil
		return w, true
	}
	return w, false
}

// Run reads every article under roots into s, extracts the new and changed
// ones, drops those whose files are gone, then has the store reconcile and
// index (store.Refresh). Work is committed in chunks, so an interrupted run
// loses nothing done and the next run picks up the rest.
func Run(ctx context.Context, s *store.Store, roots []string, opts Options) (*Summary, error) {
	if s.ReadOnly() {
		return nil, errors.New("store: opened read-only")
	}
	r := newRun(s, opts)
	// A store whose last run finished cleanly and whose files are all
	// unchanged needs no reconciliation or indexing: a re-ingest of an
	// unchanged corpus costs only the walk and the hashes.
	clean, err := s.Clean()
	if err != nil {
		return nil, err
	}
	all, err := r.walkRoots(ctx, roots)
	if err != nil {
		return nil, err
	}
	for _, rf := range all {
		if err := r.ingestRoot(ctx, rf); err != nil {
			return nil, err
		}
		if r.sum.Interrupted {
			return r.finishInterrupted(), nil
		}
	}
	if clean && r.nothingChanged() {
		return r.finishUnchanged()
	}
	return r.refresh(ctx)
}

// run is one ingest in progress: the store and options it works with, the
// summary it fills and the running state shared by its phases.
type run struct {
	s       *store.Store
	opts    Options
	workers int
	x       *extract.Extractor
	start   time.Time
	sum     *Summary
	// dirtied is set once the store's dirty flag has been set by this run.
	dirtied bool
	// seenIDs maps each article id kept so far to its file key, to refuse
	// duplicates.
	seenIDs     map[string]string
	done, total int // files
}

// rootFiles is the walk of one root: its absolute path, its files, and
// whether the walk finished without error (only then may files missing
// from it be removed from the store).
type rootFiles struct {
	abs   string
	files []corpus.File
	ok    bool
}

// newRun starts the clock and settles the worker count and extractor of
// opts.
func newRun(s *store.Store, opts Options) *run {
	r := &run{
		s:       s,
		opts:    opts,
		start:   time.Now(),
		sum:     &Summary{Mentions: map[trawl.Kind]int{}},
		workers: opts.Workers,
		x:       opts.Extractor,
		seenIDs: map[string]string{},
	}
	if r.workers <= 0 {
		r.workers = runtime.GOMAXPROCS(0)
	}
	if r.x == nil && opts.ExtractChunk == nil {
		r.x = extract.New(extract.Options{})
	}
	return r
}

// problem records err in the summary and passes it to Options.Problem.
func (r *run) problem(err error) {
	r.sum.Problems = append(r.sum.Problems, err.Error())
	if r.opts.Problem != nil {
		r.opts.Problem(err)
	}
}

// progress reports the running totals to Options.Progress, if set.
func (r *run) progress(phase trawl.Phase) {
	if r.opts.Progress != nil {
		r.opts.Progress(Progress{Done: r.done, Total: r.total, Bytes: r.sum.Bytes, Phase: phase})
	}
}

// markDirty sets the store's dirty flag before the first write of the run,
// not at its start, so that a run that finds nothing to change writes
// nothing (no fsync).
func (r *run) markDirty() error {
	if r.dirtied {
		return nil
	}
	r.dirtied = true
	return r.s.MarkDirty()
}

// walkRoots lists the files under every root, counting them and the
// skipped ones in the summary; a walk that fails part way is a problem,
// not an error.
func (r *run) walkRoots(ctx context.Context, roots []string) ([]rootFiles, error) {
	var all []rootFiles
	for _, root := range roots {
		abs, err := filepath.Abs(root)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", root, err)
		}
		if _, err := os.Stat(root); err != nil {
			return nil, fmt.Errorf("store: ingest %s: %w", root, err)
		}
		files, skipped, err := corpus.Walk(ctx, root, r.opts.Corpus)
		r.sum.Skipped = append(r.sum.Skipped, skipped...)
		if err != nil && ctx.Err() == nil {
			r.problem(fmt.Errorf("store: walk %s: %w", root, err))
		}
		all = append(all, rootFiles{abs: abs, files: files, ok: err == nil})
		r.total += len(files)
	}
	r.sum.Files = r.total + len(r.sum.Skipped)
	return all, nil
}

// ingestRoot commits the files of one root chunk by chunk, then removes
// the store's files under it that the walk no longer found; it sets
// Summary.Interrupted and stops when ctx is cancelled.
func (r *run) ingestRoot(ctx context.Context, rf rootFiles) error {
	seen := map[string]bool{} // file keys found under the root
	chunk := 16 * r.workers
	for lo := 0; lo < len(rf.files); lo += chunk {
		if ctx.Err() != nil {
			break
		}
		hi := min(lo+chunk, len(rf.files))
		if err := r.processChunk(ctx, rf.abs, rf.files[lo:hi], seen); err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		r.sum.Interrupted = true
		return nil
	}
	if !rf.ok {
		return nil
	}
	return r.removeGone(rf.abs, seen)
}

// processChunk reads and extracts one chunk of files, adds them to the
// summary and to seen, and commits them in one transaction.
func (r *run) processChunk(ctx context.Context, absRoot string, files []corpus.File, seen map[string]bool) error {
	results, err := readChunk(ctx, r.s, absRoot, files, r.workers, r.x, r.opts.Corpus, r.opts.Rehash)
	if err != nil {
		return err
	}
	if r.opts.ExtractChunk != nil {
		if err := extractChunk(ctx, r.opts.ExtractChunk, results); err != nil {
			if ctx.Err() != nil {
				return nil // interrupted: the chunk is not committed
			}
			return err
		}
	}
	var writes []store.FileWrite
	for i := range results {
		res := &results[i]
		seen[res.key] = true
		r.count(res)
		if w, ok := res.write(); ok {
			writes = append(writes, w)
		}
	}
	if len(writes) > 0 {
		if err := r.markDirty(); err != nil {
			return err
		}
	}
	if err := r.s.Commit(writes); err != nil {
		return err
	}
	r.done += len(files)
	r.progress(trawl.PhaseExtract)
	return nil
}

// extractChunk hands the articles of the new and changed files of results
// to fn in one slice and puts them back, extracted, in their files.
func extractChunk(ctx context.Context, fn func(context.Context, []trawl.Article) error, results []fileResult) error {
	var arts []trawl.Article
	for _, res := range results {
		arts = append(arts, res.articles...) // only new and changed files have any
	}
	if len(arts) == 0 {
		return nil
	}
	if err := fn(ctx, arts); err != nil {
		return err
	}
	for i := range results {
		n := copy(results[i].articles, arts)
		arts = arts[n:]
	}
	return nil
}

// count adds one file's result to the summary and reports its problems,
// dropping from it the articles whose id another file already uses.
func (r *run) count(res *fileResult) {
	r.sum.Bytes += res.file.Size
	switch res.status {
	case trawl.FileNew:
		r.sum.New++
	case trawl.FileChanged:
		r.sum.Changed++
	case trawl.FileUnchanged, trawl.FileRechecked:
		r.sum.Unchanged++
	}
	for _, p := range res.problems {
		r.problem(p)
	}
	res.articles = r.dropDuplicateIDs(res)
	if res.status == trawl.FileNew || res.status == trawl.FileChanged {
		r.sum.Extracted += len(res.articles)
	}
}

// dropDuplicateIDs returns the articles of res whose id no other file has
// used so far, reporting the others as problems, and counts their
// mentions.
func (r *run) dropDuplicateIDs(res *fileResult) []trawl.Article {
	kept := res.articles[:0]
	for _, a := range res.articles {
		if owner, dup := r.seenIDs[a.ID]; dup && owner != res.key {
			r.problem(fmt.Errorf("store: %s: article id %q already used by %s; skipped", res.file.Rel, a.ID, owner))
			continue
		}
		r.seenIDs[a.ID] = res.key
		kept = append(kept, a)
		for _, m := range a.Mentions {
			r.sum.Mentions[m.Type]++
		}
	}
	return kept
}

// removeGone removes the store's files under absRoot that are not in seen.
// It looks first, and sets the dirty flag only when there is something to
// remove, so that a run with nothing to remove writes nothing.
func (r *run) removeGone(absRoot string, seen map[string]bool) error {
	gone, err := r.s.Unseen(absRoot, seen)
	if err != nil {
		return err
	}
	if len(gone) > 0 {
		if err := r.markDirty(); err != nil {
			return err
		}
		if err := r.s.RemoveFiles(gone); err != nil {
			return err
		}
	}
	r.sum.Removed += len(gone)
	return nil
}

// nothingChanged reports whether the run found no new, changed or removed
// files.
func (r *run) nothingChanged() bool {
	return r.sum.New == 0 && r.sum.Changed == 0 && r.sum.Removed == 0
}

// finishInterrupted completes the summary of a run stopped by its context:
// the work committed so far is kept.
func (r *run) finishInterrupted() *Summary {
	r.sum.Interrupted = true
	r.sum.Articles, _ = r.s.Count()
	r.sum.Elapsed = time.Since(r.start)
	return r.sum
}

// finishUnchanged completes the summary of a run over a clean store that
// changed nothing, with the totals of the last refresh instead of a new one.
func (r *run) finishUnchanged() (*Summary, error) {
	n, err := r.s.LastCounts(r.dirtied)
	if err != nil {
		return nil, err
	}
	r.sum.Articles, r.sum.Entities, r.sum.Discrepancies, r.sum.Changes = n.Articles, n.Entities, n.Discrepancies, n.Changes
	r.sum.Elapsed = time.Since(r.start)
	return r.sum, nil
}

// refresh has the store reconcile and index what changed (store.Refresh)
// and completes the summary with its totals; a refresh cut short by ctx
// ends the run as interrupted.
func (r *run) refresh(ctx context.Context) (*Summary, error) {
	r.progress(trawl.PhaseReconcile)
	n, err := r.s.Refresh(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return r.finishInterrupted(), nil
		}
		return nil, err
	}
	r.sum.Articles, r.sum.Entities, r.sum.Discrepancies, r.sum.Indexed = n.Articles, n.Entities, n.Discrepancies, n.Indexed
	r.sum.Changes = n.Changes
	r.sum.Elapsed = time.Since(r.start)
	return r.sum, nil
}

// readChunk reads, hashes and (when new or changed) extracts files in
// parallel; results come back in input order.
func readChunk(ctx context.Context, s *store.Store, absRoot string, files []corpus.File, workers int, x *extract.Extractor, copts corpus.Options, rehash bool) ([]fileResult, error) {
	results := make([]fileResult, len(files))
	keys := make([]string, len(files))
	for i, f := range files {
		keys[i] = store.FileKey(absRoot, f.Rel)
	}
	old, err := s.FileRecords(keys)
	if err != nil {
		return nil, err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	var warm sync.Once
	for i, f := range files {
		g.Go(func() error {
			if gctx.Err() != nil {
				return nil
			}
			results[i] = readFile(f, keys[i], old[i], x, &warm, copts, rehash)
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

// readFile reads and hashes one file and, when it is new or changed since
// old (its record from the last ingest, nil if none), extracts its
// articles; warm starts loading x's models once, with the first file
// extracted.
func readFile(f corpus.File, key string, old *store.FileRecord, x *extract.Extractor, warm *sync.Once, copts corpus.Options, rehash bool) fileResult {
	r := fileResult{file: f, key: key, status: trawl.FileFailed, read: time.Now()}
	if !rehash && statUnchanged(old, f) {
		r.hash, r.status = old.Hash, trawl.FileUnchanged
		return r
	}
	// A new text file is read once, by corpus.Read, whose article
	// carries the hash of the raw bytes; any other file is hashed
	// first to see whether it changed.
	if old != nil || f.Format != corpus.FormatText {
		raw, err := os.ReadFile(f.Abs)
		if err != nil {
			r.problems = append(r.problems, fmt.Errorf("corpus: read %s: %w", f.Rel, err))
			return r
		}
		r.hash = corpus.Hash(raw)
		if old != nil && old.Hash == r.hash {
			r.status = trawl.FileUnchanged
			if !statUnchanged(old, f) {
				r.status = trawl.FileRechecked // same content: renew the record's stat data
			}
			return r
		}
	}
	var arts []trawl.Article
	var problems []error
	var err error
	if x == nil { // Options.ExtractChunk extracts
		arts, problems, err = corpus.Read(f, copts)
	} else {
		warm.Do(func() { go x.Warm() }) // the models load while this file is read
		arts, problems, err = ExtractFile(f, copts, x)
	}
	r.problems = append(r.problems, problems...)
	if err != nil {
		r.problems = append(r.problems, err)
		return r
	}
	if r.hash == "" && len(arts) > 0 {
		r.hash = arts[0].Hash
	}
	r.articles = arts
	r.status = trawl.FileNew
	if old != nil {
		r.status = trawl.FileChanged
	}
	return r
}
