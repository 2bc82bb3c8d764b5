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
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/dedup"
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
	// sigs has one element per article: fn may set each to the article's
	// dedup.Sign, which the store then keeps instead of signing the
	// articles itself in the refresh; a zero Signature is signed there.
	ExtractChunk func(ctx context.Context, arts []trawl.Article, sigs []dedup.Signature) error
	// Rehash reads and hashes every file even when its size and
	// modification time say it is unchanged since the last ingest.
	Rehash bool
	// Progress, when set, is called after each chunk of files with the
	// running totals, then through the reconcile and index phases as the
	// stored articles are read.
	Progress func(Progress)
	// Problem, when set, is called with each file or line that could not be
	// used (the batch goes on).
	Problem func(error)
}

// Progress is the running state of an ingest.
type Progress struct {
	// Done and Total count files in the extract phase, stored articles in
	// the reconcile and index phases.
	Done, Total int
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
	// Kept are files that exist but could not be read this time
	// (unreadable, over the size limit, a symlink whose target is missing):
	// their articles from the last good read stay in the store, so a
	// passing condition loses nothing. Each names the file and the reason.
	Kept []string `json:"kept"`
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
	Copies        int           `json:"copies"`  // groups of near-duplicate articles (package dedup)
	Undated       int           `json:"undated"` // articles without a publication date
	Indexed       int           `json:"indexed"` // documents (re)written to the index
	Bytes         int64         `json:"bytes"`   // bytes of every file seen
	Elapsed       time.Duration `json:"-"`       // in JSON as elapsed_ms (see MarshalJSON)
	// Phases are the phases the run went through, in order, with their
	// times: extract (the walk, reading, extraction and commits), then,
	// when anything changed, reconcile, index and compact.
	Phases []PhaseTime `json:"phases"`
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
	// sigs are the near-duplicate signatures of articles, signed by the
	// worker that extracted them (nil when another process extracts).
	sigs []dedup.Signature
	// thin are the articles' thin forms (store.ThinForm), made by the
	// worker that extracted them (nil when another process extracts).
	thin     [][]byte
	problems []error
	// kept names a stored file that could not be read this time, whose
	// articles stay (Summary.Kept).
	kept string
}

// write is what the store must commit for r, and whether there is any.
func (r fileResult) write() (store.FileWrite, bool) {
	w := store.FileWrite{Key: r.key, Hash: r.hash, Size: r.file.Size, ModTime: r.file.ModTime, Read: r.read, Articles: r.articles, Signatures: r.sigs, Thin: r.thin}
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
	// A damaged index is deleted, so that this run rebuilds it.
	damage, err := s.RepairIndex()
	if err != nil {
		return nil, err
	}
	if damage != nil {
		r.problem(fmt.Errorf("store: %s: the search index was damaged (%w); it is rebuilt from the store", s.Dir(), damage))
	}
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
	// Files that are gone are removed first, so that an article id they
	// held is free for a file of this run that holds it too.
	for _, rf := range all {
		if err := r.removeGone(rf); err != nil {
			return nil, err
		}
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
	clock   *phaseClock
	sum     *Summary
	// dirtied is set once the store's dirty flag has been set by this run.
	dirtied     bool
	done, total int // files
}

// rootFiles is the walk of one root: its absolute path, its files, and
// whether the walk finished without error (only then may files missing
// from it be removed from the store).
type rootFiles struct {
	abs     string
	files   []corpus.File
	skipped []corpus.Skip
	ok      bool
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
	}
	r.clock = startClock(trawl.PhaseExtract, r.start)
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
		all = append(all, rootFiles{abs: abs, files: files, skipped: skipped, ok: err == nil})
		r.total += len(files)
	}
	r.sum.Files = r.total + len(r.sum.Skipped)
	return all, nil
}

// The number of files of a chunk, per worker: the first chunk of a root
// has firstChunk, and each next one twice as many, up to maxChunk. Small
// chunks first show progress early; larger ones later make fewer commits
// (each one a transaction and an fsync, during which no file is
// extracted), while a kill -9 loses at most one chunk of work.
const (
	firstChunk = 16
	maxChunk   = 128
)

// ingestRoot commits the files of one root chunk by chunk; it sets
// Summary.Interrupted and stops when ctx is cancelled. With
// Options.ExtractChunk, the next chunk is read and handed over while the
// last one is extracted elsewhere, so that the reads, the extraction and the
// commits overlap; chunks are still committed one at a time, in order.
func (r *run) ingestRoot(ctx context.Context, rf rootFiles) error {
	chunk := firstChunk * r.workers
	var last *chunkRun // handed to ExtractChunk, not yet committed
	for lo := 0; lo < len(rf.files); lo += chunk {
		if ctx.Err() != nil {
			break
		}
		if lo > 0 {
			chunk = min(2*chunk, maxChunk*r.workers)
		}
		hi := min(lo+chunk, len(rf.files))
		c, err := r.startChunk(ctx, rf.abs, rf.files[lo:hi])
		if err != nil {
			if last != nil {
				<-last.done
			}
			return err
		}
		if last != nil {
			if err := r.commitChunk(ctx, last); err != nil {
				<-c.done
				return err
			}
		}
		last = c
		if r.opts.ExtractChunk == nil {
			// extracted already: committed at once, so that a kill loses
			// at most this chunk
			if err := r.commitChunk(ctx, last); err != nil {
				return err
			}
			last = nil
		}
	}
	if last != nil {
		if err := r.commitChunk(ctx, last); err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		r.sum.Interrupted = true
	}
	return nil
}

// chunkRun is one chunk of files read and on its way to the store.
type chunkRun struct {
	files   []corpus.File
	results []fileResult
	done    chan struct{} // closed when results are extracted or err is set
	err     error
}

// startChunk reads one chunk of files and extracts them: in place with the
// local extractor, or by Options.ExtractChunk in a goroutine of its own.
func (r *run) startChunk(ctx context.Context, absRoot string, files []corpus.File) (*chunkRun, error) {
	results, err := readChunk(ctx, r.s, absRoot, files, r.workers, r.x, r.opts.Corpus, r.opts.Rehash)
	if err != nil {
		return nil, err
	}
	c := &chunkRun{files: files, results: results, done: make(chan struct{})}
	if r.opts.ExtractChunk == nil {
		close(c.done)
		return c, nil
	}
	go func() {
		defer close(c.done)
		c.err = extractChunk(ctx, r.opts.ExtractChunk, results)
	}()
	return c, nil
}

// commitChunk waits until the chunk is extracted, adds it to the summary
// and commits it in one transaction.
func (r *run) commitChunk(ctx context.Context, c *chunkRun) error {
	<-c.done
	if c.err != nil {
		if ctx.Err() != nil {
			return nil // interrupted: the chunk is not committed
		}
		return c.err
	}
	results := c.results
	var writes []store.FileWrite
	for i := range results {
		res := &results[i]
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
	conflicts, err := r.s.Commit(writes)
	if err != nil {
		return err
	}
	refused := map[string]map[string]bool{} // file key -> refused ids
	for _, c := range conflicts {
		r.problem(c)
		if refused[c.File] == nil {
			refused[c.File] = map[string]bool{}
		}
		refused[c.File][c.ID] = true
	}
	for i := range results {
		r.countArticles(&results[i], refused[results[i].key])
	}
	r.done += len(c.files)
	r.progress(trawl.PhaseExtract)
	return nil
}

// extractChunk hands the articles of the new and changed files of results
// to fn in one slice and puts them back, extracted, in their files, with
// the near-duplicate signatures fn gives (a file gets them only when every
// one of its articles was signed).
func extractChunk(ctx context.Context, fn func(context.Context, []trawl.Article, []dedup.Signature) error, results []fileResult) error {
	var arts []trawl.Article
	for _, res := range results {
		arts = append(arts, res.articles...) // only new and changed files have any
	}
	if len(arts) == 0 {
		return nil
	}
	sigs := make([]dedup.Signature, len(arts))
	if err := fn(ctx, arts, sigs); err != nil {
		return err
	}
	for i := range results {
		res := &results[i]
		n := copy(res.articles, arts)
		res.sigs = nil
		if n > 0 && !slices.ContainsFunc(sigs[:n], func(s dedup.Signature) bool { return s.Shingles == 0 }) {
			res.sigs = slices.Clone(sigs[:n])
		}
		arts, sigs = arts[n:], sigs[n:]
	}
	return nil
}

// count adds one file's result to the summary and reports its problems.
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
	if res.kept != "" {
		r.sum.Kept = append(r.sum.Kept, res.kept)
	}
}

// countArticles counts the articles extracted from res and their mentions,
// leaving out those the store refused (another file holds their id).
func (r *run) countArticles(res *fileResult, refused map[string]bool) {
	if res.status != trawl.FileNew && res.status != trawl.FileChanged {
		return
	}
	for _, a := range res.articles {
		if refused[a.ID] {
			continue
		}
		r.sum.Extracted++
		for _, m := range a.Mentions {
			r.sum.Mentions[m.Type]++
		}
	}
}

// removeGone removes the store's files under the root of rf that its walk
// no longer found. A file the walk found but could not read (Skip.Keep, or
// under such a directory) is not gone: its articles are kept and it is
// listed in Summary.Kept. Nothing is removed after a walk that failed part
// way. It looks first, and sets the dirty flag only when there is something
// to remove, so that a run with nothing to remove writes nothing.
func (r *run) removeGone(rf rootFiles) error {
	if !rf.ok {
		return nil
	}
	rels := make([]string, len(rf.files))
	for i, f := range rf.files {
		rels[i] = f.Rel
	}
	unseen, err := r.s.Unseen(rf.abs, rels)
	if err != nil {
		return err
	}
	var gone []string
	for _, key := range unseen {
		if sk, ok := keptBy(rf, key); ok {
			r.sum.Kept = append(r.sum.Kept, fmt.Sprintf("%s: %s; its stored articles are kept", relOf(key), sk.Reason))
			continue
		}
		gone = append(gone, key)
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

// keptBy returns the walk's Skip that keeps the stored file key: the file
// itself, or a directory above it, found but unreadable.
func keptBy(rf rootFiles, key string) (corpus.Skip, bool) {
	for _, sk := range rf.skipped {
		if !sk.Keep {
			continue
		}
		if k := store.FileKey(rf.abs, sk.Path); k == key || sk.Dir && (sk.Path == "" || strings.HasPrefix(key, k+"/")) {
			return sk, true
		}
	}
	return corpus.Skip{}, false
}

// relOf is the path under its root of the file a store file key names.
func relOf(key string) string {
	_, rel, _ := strings.Cut(key, "\x00")
	return rel
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
	r.finishClock()
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
	r.sum.Copies, r.sum.Undated = n.Copies, n.Undated
	r.finishClock()
	return r.sum, nil
}

// refresh has the store reconcile and index what changed (store.Refresh)
// and completes the summary with its totals; a refresh cut short by ctx
// ends the run as interrupted.
func (r *run) refresh(ctx context.Context) (*Summary, error) {
	r.clock.enter(trawl.PhaseReconcile)
	r.s.OnProgress(func(phase trawl.Phase, done, total int) {
		r.clock.enter(phase)
		if r.opts.Progress != nil {
			r.opts.Progress(Progress{Done: done, Total: total, Bytes: r.sum.Bytes, Phase: phase})
		}
	})
	defer r.s.OnProgress(nil)
	n, err := r.s.Refresh(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return r.finishInterrupted(), nil
		}
		return nil, err
	}
	r.sum.Articles, r.sum.Entities, r.sum.Discrepancies, r.sum.Indexed = n.Articles, n.Entities, n.Discrepancies, n.Indexed
	r.sum.Changes, r.sum.Copies, r.sum.Undated = n.Changes, n.Copies, n.Undated
	r.finishClock()
	return r.sum, nil
}

// finishClock ends the run's clock: its elapsed time and phases.
func (r *run) finishClock() {
	r.sum.Phases = r.clock.phases()
	r.sum.Elapsed = time.Since(r.start)
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
		// A file that its size and time show unchanged needs no worker:
		// on a re-ingest of an unchanged corpus that is every file.
		if r, ok := unchangedFile(f, keys[i], old[i], rehash); ok {
			results[i] = r
			continue
		}
		g.Go(func() error {
			if gctx.Err() != nil {
				return nil
			}
			results[i] = readFile(gctx, f, keys[i], old[i], x, &warm, copts, rehash)
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
// old (its record from the last ingest, nil if none) or the store lost
// track of its articles (FileRecord.Stale), extracts its articles; warm
// starts loading x's models once, with the first file extracted. A stored
// file that cannot be read keeps its articles (fileResult.kept); one that
// is no longer an article (corpus.ErrNotArticle) is written with none. A
// result cut short by ctx has no key.
func readFile(ctx context.Context, f corpus.File, key string, old *store.FileRecord, x *extract.Extractor, warm *sync.Once, copts corpus.Options, rehash bool) fileResult {
	if r, ok := unchangedFile(f, key, old, rehash); ok {
		return r
	}
	r := fileResult{file: f, key: key, status: trawl.FileFailed, read: time.Now()}
	stale := old != nil && old.Stale
	// A new text file is read once, by corpus.Read, whose article
	// carries the hash of the raw bytes; any other file is hashed
	// first to see whether it changed.
	if old != nil || f.Format != corpus.FormatText {
		raw, err := os.ReadFile(f.Abs)
		if err != nil {
			r.fail(old, fmt.Errorf("corpus: read %s: %w", f.Rel, unwrapPath(err)))
			return r
		}
		r.hash = corpus.Hash(raw)
		if old != nil && !stale && old.Hash == r.hash {
			r.status = trawl.FileUnchanged
			if !statUnchanged(old, f) {
				r.status = trawl.FileRechecked // same content: renew the record's stat data
			}
			return r
		}
	}
	if x != nil {
		warm.Do(func() { go x.Warm() }) // the models load while this file is read
	}
	arts, problems, err := corpus.Read(f, copts)
	r.problems = append(r.problems, problems...)
	if err != nil {
		if errors.Is(err, corpus.ErrNotArticle) && old != nil && r.hash != "" {
			r.problems = append(r.problems, fmt.Errorf("%w; what the store held of it is removed", err))
			r.status = trawl.FileChanged
			return r
		}
		r.fail(old, err)
		return r
	}
	for j := range arts {
		if x == nil { // Options.ExtractChunk extracts
			break
		}
		if x.ExtractContext(ctx, &arts[j]) != nil {
			return fileResult{}
		}
		// Signed here, by the worker, rather than one by one in the
		// refresh; extraction leaves the text as it is.
		r.sigs = append(r.sigs, dedup.Sign(arts[j].Text))
		// So is the thin form the refresh reconciles, for the same reason.
		r.thin = append(r.thin, store.ThinForm(&arts[j]))
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

// unchangedFile is the result of a file whose record old shows it
// unchanged by its size and modification time alone (statUnchanged), unless
// rehash is set or the store lost track of its articles; ok is false when
// the file must be read.
func unchangedFile(f corpus.File, key string, old *store.FileRecord, rehash bool) (r fileResult, ok bool) {
	if rehash || old == nil || old.Stale || !statUnchanged(old, f) {
		return fileResult{}, false
	}
	return fileResult{file: f, key: key, hash: old.Hash, status: trawl.FileUnchanged, read: time.Now()}, true
}

// fail records that the file could not be read; a file the store holds
// keeps its articles, and is named in kept.
func (r *fileResult) fail(old *store.FileRecord, err error) {
	r.problems = append(r.problems, err)
	if old != nil {
		r.kept = fmt.Sprintf("%s: could not be read this time; its %d stored article(s) are kept", r.file.Rel, len(old.IDs))
	}
}

// unwrapPath drops the *fs.PathError wrapper, whose message repeats the
// absolute path, so the error names the file once, by its relative path.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
