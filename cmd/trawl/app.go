package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"sync"
	"time"

	"github.com/urfave/cli/v3"
	"golang.org/x/term"

	"github.com/trawlnews/trawl/store"
)

// Exit codes of the trawl command.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// usageError is a mistake in how the command was called (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// env carries the streams of one run, so tests can run the CLI in-process,
// and the arguments it was given.
type env struct {
	args  []string
	stdin io.Reader
	// stdout and stderr escape control characters (see safeWriter):
	// everything the CLI prints goes through them.
	stdout, stderr io.Writer
	// progress is the raw stderr, for the progress bar alone, which
	// writes its own control sequences.
	progress io.Writer
}

// run builds the app, runs it with args and maps the outcome to an exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	out, errw := newSafeWriter(stdout), newSafeWriter(stderr)
	defer out.Flush()
	defer errw.Flush()
	e := &env{args: args, stdin: stdin, stdout: out, stderr: errw, progress: stderr}
	err := newApp(e).Run(ctx, args)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(errw, "trawl: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitFailure
}

func newApp(e *env) *cli.Command {
	onUsage := func(_ context.Context, _ *cli.Command, err error, _ bool) error { return usageError{err.Error()} }
	app := &cli.Command{
		Name:  "trawl",
		Usage: "turn a folder of trade-news articles into a searchable, reconciled record",
		Description: "trawl ingests articles into a store (people, dates, percentages and commodities\n" +
			"extracted per article, people reconciled across articles), then searches the store\n" +
			"and reports where articles disagree.",
		Version:         version(),
		Reader:          e.stdin,
		Writer:          e.stdout,
		ErrWriter:       e.stderr,
		ExitErrHandler:  func(context.Context, *cli.Command, error) {},
		HideHelpCommand: true,
		Flags: []cli.Flag{
			&cli.StringFlag{
				Name: "store", Value: "./trawl-store", Sources: cli.EnvVars("TRAWL_STORE"),
				Usage: "store directory",
			},
		},
		Commands: []*cli.Command{
			ingestCommand(e),
			extractCommand(e),
			searchCommand(e),
			duplicatesCommand(e),
			entitiesCommand(e),
			discrepanciesCommand(e),
			figuresCommand(e),
			mentionsCommand(e),
			evalCommand(e),
			serveCommand(e),
			workerCommand(e),
		},
		Action: func(_ context.Context, c *cli.Command) error {
			if c.NArg() > 0 {
				return usagef("unknown command %q (see trawl --help)", c.Args().First())
			}
			return cli.ShowRootCommandHelp(c)
		},
	}
	var setUsage func(cmds []*cli.Command)
	setUsage = func(cmds []*cli.Command) {
		for _, cmd := range cmds {
			cmd.OnUsageError = onUsage
			if cmd.Action != nil {
				cmd.Action = noDashArgs(e.args, cmd.Action)
			}
			setUsage(cmd.Commands)
		}
	}
	setUsage([]*cli.Command{app})
	return app
}

// version is the module version and, when built from a git checkout, the
// commit (with "+dirty" when the tree had changes), from the build
// information Go records in the binary: "(devel) commit 96da3196a1c2".
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev != "" {
		v += " commit " + rev[:min(12, len(rev))]
		if modified == "true" {
			v += "+dirty"
		}
	}
	return v
}

// noDashArgs wraps a command's action so that an argument starting with a
// dash, such as "-5", is a usage error, as any unknown flag is, unless a
// "--" before it marks where the arguments start. urfave/cli reads flags
// after arguments too, but takes a word of a dash and no letter, and every
// word after it, as arguments: "search -5 --json" would search for
// "-5 --json".
func noDashArgs(args []string, action cli.ActionFunc) cli.ActionFunc {
	return func(ctx context.Context, c *cli.Command) error {
		dashes := slices.Index(args, "--")
		for _, a := range c.Args().Slice() {
			if len(a) > 1 && a[0] == '-' && (dashes < 0 || slices.Index(args, a) < dashes) {
				return usagef("flag provided but not defined: %s", a)
			}
		}
		return action(ctx, c)
	}
}

// openStore opens the store named by --store / TRAWL_STORE. A command that
// opens it for writing may refresh it (reconcile and index), so the Go heap
// is held down as for a refresh, except by ingest, which does so only when
// its refresh starts.
func openStore(c *cli.Command, readOnly bool) (*store.Store, error) {
	if !readOnly && c.Name != "ingest" {
		// Only ingest creates a store; a decision needs one to decide on.
		if !store.Exists(c.String("store")) {
			return nil, fmt.Errorf("store: %s: no trawl store here (run trawl ingest first)", c.String("store"))
		}
		limitHeap()
	}
	opts := store.Options{ReadOnly: readOnly}
	if c.Name == "ingest" {
		opts.Shards = int(c.Int("shards"))
	}
	return store.Open(c.String("store"), opts)
}

// refreshHeapLimit is the soft limit on the Go heap while a store refresh
// runs: it decodes every stored article twice, which makes garbage fast, and
// with the default GOGC the heap would grow to twice what is live. Past the
// limit the collector runs more often; what is live is not capped, and when
// the live heap itself nears the limit the limit is raised (see
// raisedLimit), or the collector would run all the time. The limit counts
// all the runtime's memory, so the heap's goal sits about 100 MB under it:
// at 512 MiB a 50x ingest (live heap 385 MB in reconciliation, 400-500 MB
// of bleve's in the index phase) collected 984 times, 18% of its CPU,
// 569 CPU-seconds and a peak RSS of 1,146 MB; at 768 MiB 461 times, 405
// CPU-seconds and 1,137 MB (docs/performance.md, the fifth wave's
// integration).
const refreshHeapLimit = 768 << 20

// limitHeap lowers the process's Go memory limit to refreshHeapLimit for
// the rest of the command, unless the user set GOMEMLIMIT or a lower limit
// is in force, and keeps it above the live heap (watchHeap). It is the
// command's decision, not the store's: the limit is process-wide.
func limitHeap() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	heapMu.Lock()
	defer heapMu.Unlock()
	if debug.SetMemoryLimit(-1) > refreshHeapLimit {
		debug.SetMemoryLimit(refreshHeapLimit)
		if !heapWatched {
			heapWatched = true
			go watchHeap()
		}
	}
}

// heapMu guards the changes of the memory limit limitHeap installed;
// heapWatched says it did.
var (
	heapMu      sync.Mutex
	heapWatched bool
)

// restartHeapLimit brings the limit limitHeap installed, raised since with
// the live heap, back to refreshHeapLimit: when indexing starts, the heap
// reconciliation grew is garbage, and a limit raised for it would let
// bleve's heap grow to it. It then rises with the live heap again. (At 50x
// the reconciliation's live heap, 385 MB, no longer raises the limit, so
// this matters for larger stores.)
func restartHeapLimit() {
	heapMu.Lock()
	defer heapMu.Unlock()
	if heapWatched {
		debug.SetMemoryLimit(refreshHeapLimit)
	}
}

// watchHeap raises the memory limit as the live heap grows (raisedLimit),
// checking twice a second for the rest of the process. Measured on a 10x
// bench corpus (100 MB), whose live heap passes 512 MB in reconciliation, a
// fixed limit made the collector run without pause: 182 CPU-seconds against
// 90 with no limit.
func watchHeap() {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	for range time.Tick(500 * time.Millisecond) {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return
		}
		heapMu.Lock()
		limit := debug.SetMemoryLimit(-1)
		if next := raisedLimit(int64(sample[0].Value.Uint64()), limit); next > limit {
			debug.SetMemoryLimit(next)
		}
		heapMu.Unlock()
	}
}

// raisedLimit is the memory limit for a live heap of live bytes under the
// limit limit: unchanged while the live heap is under four fifths of it,
// else a quarter as much again as the live heap, so that garbage has room
// and the collector runs in proportion to it. Twice the live heap past half
// of the limit gave a 50x reconciliation (live heap 385 MB) half the
// collections, but bleve's heap then raised the limit through the index
// phase too, to a peak RSS of 1,066 MB against 892 MB with half again
// (docs/performance.md, branch memory5). A quarter against half, back to
// back on a quiet machine at 200x: peak RSS 1,331,992 against 1,423,028 kB
// for 938.6 against 935.8 CPU-s.
func raisedLimit(live, limit int64) int64 {
	if live*5 <= limit*4 {
		return limit
	}
	return live * 5 / 4
}

// isTerminal reports whether w is a terminal, for progress bars and colour.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
