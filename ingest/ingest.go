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
	// Extractor is shared by all workers; nil builds one.
	Extractor *extract.Extractor
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
	clean, err := s.Clean()
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
		return s.MarkDirty()
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
			results, err := readChunk(ctx, s, rf.abs, rf.files[lo:hi], workers, x, opts.Corpus, opts.Rehash)
			if err != nil {
				return nil, err
			}
			var writes []store.FileWrite
			for i := range results {
				r := &results[i]
				seen[r.key] = true
				sum.Bytes += r.file.Size
				switch r.status {
				case trawl.FileNew:
					sum.New++
				case trawl.FileChanged:
					sum.Changed++
				case trawl.FileUnchanged, trawl.FileRechecked:
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
				if r.status == trawl.FileNew || r.status == trawl.FileChanged {
					sum.Extracted += len(kept)
				}
				if w, ok := r.write(); ok {
					writes = append(writes, w)
				}
			}
			if len(writes) > 0 {
				if err := dirty(); err != nil {
					return nil, err
				}
			}
			if err := s.Commit(writes); err != nil {
				return nil, err
			}
			done += hi - lo
			if opts.Progress != nil {
				opts.Progress(Progress{Done: done, Total: total, Bytes: sum.Bytes, Phase: trawl.PhaseExtract})
			}
		}
		if ctx.Err() != nil {
			sum.Interrupted = true
			break
		}
		if rf.ok {
			// Look first, and set the dirty flag only when there is something
			// to remove, so that a run with nothing to remove writes nothing.
			gone, err := s.Unseen(rf.abs, seen)
			if err != nil {
				return nil, err
			}
			if len(gone) > 0 {
				if err := dirty(); err != nil {
					return nil, err
				}
				if err := s.RemoveFiles(gone); err != nil {
					return nil, err
				}
			}
			sum.Removed += len(gone)
		}
	}
	if sum.Interrupted {
		sum.Articles, _ = s.Count()
		sum.Elapsed = time.Since(start)
		return sum, nil
	}
	if clean && sum.New == 0 && sum.Changed == 0 && sum.Removed == 0 {
		n, err := s.LastCounts(dirtied)
		if err != nil {
			return nil, err
		}
		sum.Articles, sum.Entities, sum.Discrepancies, sum.Changes = n.Articles, n.Entities, n.Discrepancies, n.Changes
		sum.Elapsed = time.Since(start)
		return sum, nil
	}
	if opts.Progress != nil {
		opts.Progress(Progress{Done: done, Total: total, Bytes: sum.Bytes, Phase: trawl.PhaseReconcile})
	}
	n, err := s.Refresh(ctx)
	if err != nil {
		if ctx.Err() != nil {
			sum.Interrupted = true
			sum.Articles, _ = s.Count()
			sum.Elapsed = time.Since(start)
			return sum, nil
		}
		return nil, err
	}
	sum.Articles, sum.Entities, sum.Discrepancies, sum.Indexed = n.Articles, n.Entities, n.Discrepancies, n.Indexed
	sum.Changes = n.Changes
	sum.Elapsed = time.Since(start)
	return sum, nil
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
			r := fileResult{file: f, key: keys[i], status: trawl.FileFailed, read: time.Now()}
			defer func() { results[i] = r }()
			if !rehash && statUnchanged(old[i], f) {
				r.hash, r.status = old[i].Hash, trawl.FileUnchanged
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
					r.status = trawl.FileUnchanged
					if !statUnchanged(old[i], f) {
						r.status = trawl.FileRechecked // same content: renew the record's stat data
					}
					return nil
				}
			}
			warm.Do(func() { go x.Warm() }) // the models load while this file is read
			arts, problems, err := ExtractFile(f, copts, x)
			r.problems = append(r.problems, problems...)
			if err != nil {
				r.problems = append(r.problems, err)
				return nil
			}
			if r.hash == "" && len(arts) > 0 {
				r.hash = arts[0].Hash
			}
			r.articles = arts
			r.status = trawl.FileNew
			if old[i] != nil {
				r.status = trawl.FileChanged
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
