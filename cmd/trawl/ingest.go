package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v3"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/cluster"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/ingest"
	"github.com/trawlnews/trawl/store"
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
			&cli.IntFlag{Name: "shards", Usage: "search-index shards, written in parallel, when the index is built (default: one per 10,000 articles, at most one per core; an existing index keeps its own)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress, only the summary"},
			&cli.BoolFlag{Name: "json", Usage: "print the summary as JSON"},
			&cli.BoolFlag{Name: "rehash", Usage: "read and hash every file, even those whose size and mtime are unchanged"},
			&cli.BoolFlag{Name: "repair", Usage: "check the store; a damaged one is moved aside (trawl.db.damaged) and rebuilt from the files, keeping decisions.json"},
			&cli.StringFlag{Name: "cpuprofile", Usage: "write a CPU profile of the whole ingest to `FILE` (go tool pprof reads it)"},
			&cli.StringFlag{Name: "memprofile", Usage: "write the Go heap profile of the moment the live heap was largest to `FILE` (go tool pprof)"},
		), clusterFlags()...), // --nats: extraction by trawl worker processes (docs/cluster.md)
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.NArg() == 0 {
				return usagef("ingest: give at least one folder or file to read")
			}
			copts, err := corpusOptions(c)
			if err != nil {
				return err
			}
			// Deferred first, so run last: the peak of the whole command.
			defer writePeakRSS(e.stderr)
			if path := c.String("cpuprofile"); path != "" {
				stop, err := startCPUProfile(path)
				if err != nil {
					return err
				}
				defer stop()
			}
			if path := c.String("memprofile"); path != "" {
				prof := startPeakProfile(path)
				defer func() {
					if perr := prof.Stop(); perr != nil {
						fmt.Fprintf(e.stderr, "warning: %v\n", perr)
					}
				}()
			}
			// Refuse before the store is created: a mistyped folder must
			// not leave an empty store behind.
			for _, root := range c.Args().Slice() {
				if _, err := os.Stat(root); err != nil {
					return fmt.Errorf("ingest: %s: %w (nothing was read; no store was changed)", root, unwrapPath(err))
				}
			}
			s, err := openStore(c, false)
			if c.Bool("repair") {
				s, err = repairStore(e, c, s, err)
			}
			if err != nil {
				return err
			}
			defer s.Close()
			opts := ingest.Options{Corpus: copts, Workers: c.Int("workers"), Rehash: c.Bool("rehash")}
			opts.Problem = func(err error) { fmt.Fprintf(e.stderr, "warning: %v\n", err) }
			var report func(ingest.Progress)
			if !c.Bool("quiet") {
				report = progressReporter(e.progress)
			}
			opts.Progress = func(p ingest.Progress) {
				if p.Phase == trawl.PhaseReconcile {
					limitHeap()
				}
				releaseHeap(p)
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
			for _, k := range sum.Kept {
				fmt.Fprintf(e.stderr, "kept: %s\n", k)
			}
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

// startCPUProfile writes a CPU profile of the rest of the command to path
// (ingest --cpuprofile); the returned function stops it and closes the file.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("ingest: --cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("ingest: --cpuprofile %s: %w", path, err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// repairStore is ingest --repair: a store that failed to open as damaged,
// or that opened (s, err) but fails a full check, is moved aside and opened
// anew, empty but for decisions.json, for the ingest to rebuild.
func repairStore(e *env, c *cli.Command, s *store.Store, err error) (*store.Store, error) {
	if err == nil {
		if err = s.Check(); err == nil {
			return s, nil
		}
		s.Close()
	}
	if !errors.Is(err, store.ErrDamaged) {
		return nil, err
	}
	if err := store.MoveDamaged(c.String("store")); err != nil {
		return nil, err
	}
	fmt.Fprintf(e.stderr, "repair: %v\nrepair: the damaged database is moved aside; the store is rebuilt from the files (decisions.json is kept)\n", err)
	return openStore(c, false)
}

// corpusFlags are the flags that say how articles are read.
func corpusFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "published", Usage: "publication date `YYYY-MM-DD` for articles whose header gives none"},
		&cli.BoolFlag{Name: "follow-symlinks", Usage: "follow symlinks that lead outside the folder (by default they are skipped and reported)"},
		&cli.StringFlag{Name: "max-file-size", Value: "20MB", Usage: "skip files larger than this: bytes or KB, MB, GB (binary, also KiB, MiB, GiB), e.g. 20MB; a stored file over it keeps its articles"},
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
	o.FollowSymlinks = c.Bool("follow-symlinks")
	return o, nil
}

// sizeUnits are the units --max-file-size takes, upper-cased. KB, MB and
// GB are binary multiples, as the skip messages print sizes; KiB, MiB and
// GiB say the same unambiguously.
var sizeUnits = map[string]int64{
	"": 1, "B": 1,
	"K": 1 << 10, "KB": 1 << 10, "KIB": 1 << 10,
	"M": 1 << 20, "MB": 1 << 20, "MIB": 1 << 20,
	"G": 1 << 30, "GB": 1 << 30, "GIB": 1 << 30,
}

// parseSize reads a size: a whole number of bytes, or a whole number with
// a unit (20MB, 500KiB, 1 GiB). Anything else (1e3, 2.5MB, 20XB, a size
// that does not fit in 63 bits) is refused, never read as a prefix.
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	end := 0
	for end < len(t) && t[end] >= '0' && t[end] <= '9' {
		end++
	}
	mult, ok := sizeUnits[strings.ToUpper(strings.TrimSpace(t[end:]))]
	n, err := strconv.ParseInt(t[:end], 10, 64)
	if end == 0 || !ok || err != nil || n <= 0 || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("%q is not a size: want a whole number of bytes or one with a unit, e.g. 20MB, 500KiB, 1GiB", s)
	}
	return n * mult, nil
}

// releaseHeap returns to the operating system the memory of the Go heap
// that is free once reconciliation is over (debug.FreeOSMemory), when an
// ingest enters its index phase: what reconciliation grew would otherwise
// stay in the process's resident set until the runtime's scavenger got to
// it, through the indexing and the compaction, whose own peaks it adds to.
func releaseHeap(p ingest.Progress) {
	if p.Phase == trawl.PhaseIndex && p.Done == 0 {
		restartHeapLimit()
		debug.FreeOSMemory()
	}
}

// progressReporter shows a progress bar per phase on a terminal (files
// extracted, then articles reconciled, then articles indexed, then index
// shards compacted) and a log line every few seconds elsewhere.
func progressReporter(w io.Writer) func(ingest.Progress) {
	if isTerminal(w) {
		var bar *progressbar.ProgressBar
		var phase trawl.Phase
		return func(p ingest.Progress) {
			if bar == nil || p.Phase != phase {
				if bar != nil {
					bar.Finish()
				}
				phase = p.Phase
				unit := "articles"
				switch phase {
				case trawl.PhaseExtract:
					unit = "files"
				case trawl.PhaseCompact:
					unit = "shards"
				}
				bar = progressbar.NewOptions(p.Total,
					progressbar.OptionSetWriter(w),
					progressbar.OptionSetDescription(phaseLabel[phase]),
					progressbar.OptionShowCount(),
					progressbar.OptionSetItsString(unit),
					progressbar.OptionShowIts(),
					progressbar.OptionThrottle(100*time.Millisecond),
					progressbar.OptionClearOnFinish(),
				)
			}
			bar.Set(p.Done)
		}
	}
	start, last := time.Now(), time.Time{}
	var phase trawl.Phase
	return func(p ingest.Progress) {
		now := time.Now()
		if p.Phase != phase {
			phase = p.Phase
			if p.Phase != trawl.PhaseExtract {
				last = now
				fmt.Fprintf(w, "%s...\n", p.Phase)
				return
			}
		}
		if p.Phase != trawl.PhaseExtract {
			if now.Sub(last) >= 2*time.Second {
				last = now
				fmt.Fprintf(w, "%s: %d/%d articles, %s\n", p.Phase, p.Done, p.Total, now.Sub(start).Round(time.Millisecond))
			}
			return
		}
		if p.Done < p.Total && now.Sub(last) < 2*time.Second {
			return
		}
		last = now
		fmt.Fprintf(w, "%d/%d files, %.1f MB, %s\n", p.Done, p.Total, float64(p.Bytes)/1e6, now.Sub(start).Round(time.Millisecond))
	}
}

// phaseLabel is the description of each phase's progress bar.
var phaseLabel = map[trawl.Phase]string{
	trawl.PhaseExtract:   "extracting",
	trawl.PhaseReconcile: "reconciling",
	trawl.PhaseIndex:     "indexing",
	trawl.PhaseCompact:   "compacting",
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
// undatedNote says how many articles have no publication date and what
// that costs.
func undatedNote(undated, articles int) string {
	return fmt.Sprintf("%d of %d articles have no publication date (no header, dateline or date line): date and figure conflicts need dates", undated, articles)
}

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
	if len(s.Kept) > 0 {
		fmt.Fprintf(w, "  kept:     %d files could not be read this time; their stored articles are kept (see above)\n", len(s.Kept))
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
		if s.Copies > 0 {
			fmt.Fprintf(w, "  copies:   %d group(s) of near-duplicate articles, each one source (trawl duplicates)\n", s.Copies)
		}
		if s.Undated > 0 {
			fmt.Fprintf(w, "  undated:  %s\n", undatedNote(s.Undated, s.Articles))
		}
	} else {
		fmt.Fprintf(w, "  interrupted: reconciliation and indexing will run on the next ingest\n")
	}
	if len(s.Phases) > 0 {
		fmt.Fprintf(w, "  time:     %s\n", ingest.DescribePhases(s.Phases))
	}
}

// unwrapPath drops the path an *fs.PathError repeats.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
