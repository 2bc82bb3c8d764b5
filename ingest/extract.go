package ingest

import (
	"context"
	"runtime"

	"golang.org/x/sync/errgroup"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/dedup"
	"github.com/trawlnews/trawl/extract"
	"github.com/trawlnews/trawl/reconcile"
)

// ExtractFile reads the articles of one file and extracts their mentions:
// the step Run takes for every new or changed file, for callers that stream
// files themselves. problems are lines or records that could not be used;
// err means the file could not be read at all.
func ExtractFile(f corpus.File, copts corpus.Options, x *extract.Extractor) (arts []trawl.Article, problems []error, err error) {
	arts, problems, err = corpus.Read(f, copts)
	if err != nil {
		return nil, problems, err
	}
	for j := range arts {
		x.Extract(&arts[j])
	}
	return arts, problems, nil
}

// ExtractOptions tunes Extract. The zero value uses GOMAXPROCS workers and
// builds an extractor.
type ExtractOptions struct {
	// Workers is the number of articles extracted at once; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
	// Extractor is shared by all workers; nil builds one.
	Extractor *extract.Extractor
}

// MarkCopies sets the CopyGroup of every article of arts that has a
// near-duplicate among them (package dedup), and clears it on the others:
// what a store's refresh does before reconciling.
func MarkCopies(arts []trawl.Article) {
	sigs := make(map[string]dedup.Signature, len(arts))
	for _, a := range arts {
		sigs[a.ID] = dedup.Sign(a.Text)
	}
	copies := dedup.Of(dedup.Groups(sigs))
	for i := range arts {
		arts[i].CopyGroup = copies[arts[i].ID]
	}
}

// Extract extracts the mentions of every article in place, in parallel,
// marks the near-duplicates (MarkCopies), then reconciles them so that PERSON mentions carry entity ids consistent
// across arts: the store-less path of trawl extract and trawl eval. It
// stops with ctx's error when ctx is cancelled.
func Extract(ctx context.Context, arts []trawl.Article, opts ExtractOptions) error {
	x := opts.Extractor
	if x == nil {
		x = extract.New(extract.Options{})
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i := range arts {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			x.Extract(&arts[i])
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	MarkCopies(arts)
	_, err := reconcile.Reconcile(ctx, arts, reconcile.Options{})
	return err
}
