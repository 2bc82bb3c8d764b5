package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v3"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/cluster"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/ingest"
)

func ingestCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "ingest",
		Usage:     "read, extract, reconcile and index the articles under DIR (incremental)",
		ArgsUsage: "DIR...",
		Description: "Walks each DIR (or file) for .txt, .text, .md and .jsonl articles. Files whose content\n" +
			"did not change since the last run are not extracted again; articles whose files are\n" +
			"gone are dropped. Progress goes to stderr; the summary to stdout.",
		Flags: append(append(corpusFlags(),
			&cli.IntFlag{Name: "workers", Usage: "files extracted at once (default: GOMAXPROCS)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress, only the summary"},
			&cli.BoolFlag{Name: "json", Usage: "print the summary as JSON"},
			&cli.BoolFlag{Name: "rehash", Usage: "read and hash every file, even those whose size and mtime are unchanged"},
		), clusterFlags()...), // --nats: extraction by trawl worker processes (docs/cluster.md)
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.NArg() == 0 {
				return usagef("ingest: give at least one folder or file to read")
			}
			copts, err := corpusOptions(c)
			if err != nil {
				return err
			}
			s, err := openStore(c, false)
			if err != nil {
				return err
			}
			defer s.Close()
			opts := ingest.Options{Corpus: copts, Workers: c.Int("workers"), Rehash: c.Bool("rehash")}
			opts.Problem = func(err error) { fmt.Fprintf(e.stderr, "warning: %v\n", err) }
			var report func(ingest.Progress)
			if !c.Bool("quiet") {
				report = progressReporter(e.stderr)
			}
			opts.Progress = func(p ingest.Progress) {
				if p.Phase == trawl.PhaseReconcile {
					limitHeap()
				}
				if report != nil {
					report(p)
				}
			}
			var sum *ingest.Summary
			var batches *cluster.Stats
			if c.String("nats") != "" {
				sum, batches, err = clusterIngest(ctx, c, e, s, opts)
			} else {
				sum, err = ingest.Run(ctx, s, c.Args().Slice(), opts)
			}
			if err != nil {
				return err
			}
			writeSkipped(e.stderr, sum.Skipped)
			if c.Bool("json") {
				var out any = sum
				if batches != nil {
					out = struct {
						*ingest.Summary
						Batches *cluster.Stats `json:"batches"`
					}{sum, batches}
				}
				if err := writeJSON(e.stdout, out); err != nil {
					return err
				}
			} else {
				writeSummary(e.stdout, s.Dir(), sum)
				if batches != nil {
					writeBatches(e.stdout, batches)
				}
			}
			if sum.Interrupted {
				return fmt.Errorf("ingest interrupted; what was done is stored, run the same command again to finish")
			}
			return nil
		},
	}
}

// corpusFlags are the flags that say how articles are read.
func corpusFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "published", Usage: "publication date `YYYY-MM-DD` for articles whose header gives none"},
		&cli.StringFlag{Name: "max-file-size", Value: "20MB", Usage: "skip files larger than this (e.g. 20MB, 500KB)"},
	}
}

func corpusOptions(c *cli.Command) (corpus.Options, error) {
	var o corpus.Options
	if p := c.String("published"); p != "" {
		if _, err := time.Parse("2006-01-02", p); err != nil {
			return o, usagef("--published %q: want a date like 2025-06-08", p)
		}
		o.Published = p
	}
	n, err := parseSize(c.String("max-file-size"))
	if err != nil {
		return o, usagef("--max-file-size: %v", err)
	}
	o.MaxFileSize = n
	return o, nil
}

// parseSize reads sizes like "20MB", "500KB", "1GB" or a byte count.
func parseSize(s string) (int64, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, suf := range []struct {
		s string
		m int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(u, suf.s) {
			u, mult = strings.TrimSpace(strings.TrimSuffix(u, suf.s)), suf.m
			break
		}
	}
	var n int64
	if _, err := fmt.Sscanf(u, "%d", &n); err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a size (e.g. 20MB)", s)
	}
	return n * mult, nil
}

// progressReporter shows a progress bar on a terminal and a log line every
// few seconds elsewhere.
func progressReporter(w io.Writer) func(ingest.Progress) {
	if isTerminal(w) {
		var bar *progressbar.ProgressBar
		return func(p ingest.Progress) {
			if bar == nil {
				bar = progressbar.NewOptions(p.Total,
					progressbar.OptionSetWriter(w),
					progressbar.OptionSetDescription("extracting"),
					progressbar.OptionShowCount(),
					progressbar.OptionSetItsString("files"),
					progressbar.OptionShowIts(),
					progressbar.OptionThrottle(100*time.Millisecond),
					progressbar.OptionClearOnFinish(),
				)
			}
			if p.Phase != trawl.PhaseExtract {
				bar.Finish()
				fmt.Fprintf(w, "%s...\n", p.Phase)
				return
			}
			bar.Set(p.Done)
		}
	}
	start, last := time.Now(), time.Time{}
	return func(p ingest.Progress) {
		now := time.Now()
		if p.Phase == trawl.PhaseExtract && p.Done < p.Total && now.Sub(last) < 2*time.Second {
			return
		}
		last = now
		if p.Phase != trawl.PhaseExtract {
			fmt.Fprintf(w, "%s...\n", p.Phase)
			return
		}
		fmt.Fprintf(w, "%d/%d files, %.1f MB, %s\n", p.Done, p.Total, float64(p.Bytes)/1e6, now.Sub(start).Round(time.Millisecond))
	}
}

// maxSkippedShown is how many skipped files ingest names on stderr; --json
// lists them all.
const maxSkippedShown = 50

// writeSkipped names each file the ingest did not use, and why, so that a
// user can find and fix it; the summary only counts them by reason.
func writeSkipped(w io.Writer, skipped []corpus.Skip) {
	for i, sk := range skipped {
		if i == maxSkippedShown {
			fmt.Fprintf(w, "skipped: ... and %d more files (trawl ingest --json lists them all)\n", len(skipped)-i)
			break
		}
		fmt.Fprintf(w, "skipped: %s: %s\n", sk.Path, sk.Reason)
	}
}

// writeSummary prints what an ingest did.
func writeSummary(w io.Writer, dir string, s *ingest.Summary) {
	secs := s.Elapsed.Seconds()
	mbs := 0.0
	if secs > 0 {
		mbs = float64(s.Bytes) / 1e6 / secs
	}
	fmt.Fprintf(w, "ingested into %s in %s (%.1f MB, %.2f MB/s)\n", dir, s.Elapsed.Round(time.Millisecond), float64(s.Bytes)/1e6, mbs)
	fmt.Fprintf(w, "  files:    %d seen, %d new, %d changed, %d unchanged, %d removed, %d skipped\n",
		s.Files, s.New, s.Changed, s.Unchanged, s.Removed, len(s.Skipped))
	reasons := map[string]int{}
	for _, sk := range s.Skipped {
		reasons[sk.Reason]++
	}
	keys := make([]string, 0, len(reasons))
	for r := range reasons {
		keys = append(keys, r)
	}
	slices.Sort(keys)
	for _, r := range keys {
		fmt.Fprintf(w, "  skipped:  %d x %s\n", reasons[r], r)
	}
	if len(s.Problems) > 0 {
		fmt.Fprintf(w, "  problems: %d (see warnings above)\n", len(s.Problems))
	}
	var parts []string
	for _, k := range trawl.Kinds {
		parts = append(parts, fmt.Sprintf("%s %d", k, s.Mentions[k]))
	}
	fmt.Fprintf(w, "  articles: %d in store, %d extracted this run\n", s.Articles, s.Extracted)
	fmt.Fprintf(w, "  mentions: %s\n", strings.Join(parts, ", "))
	if !s.Interrupted {
		changes := "changes"
		if s.Changes == 1 {
			changes = "change"
		}
		fmt.Fprintf(w, "  entities: %d people, %d discrepancies, %d %s reported (context), %d documents indexed\n",
			s.Entities, s.Discrepancies, s.Changes, changes, s.Indexed)
	} else {
		fmt.Fprintf(w, "  interrupted: reconciliation and indexing will run on the next ingest\n")
	}
}
