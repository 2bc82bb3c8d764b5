package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
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

// env carries the streams of one run, so tests can run the CLI in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// run builds the app, runs it with args and maps the outcome to an exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	app := newApp(e)
	err := app.RunContext(ctx, flagsFirst(app, args))
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "trawl: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitFailure
}

func newApp(e *env) *cli.App {
	onUsage := func(c *cli.Context, err error, _ bool) error { return usageError{err.Error()} }
	app := &cli.App{
		Name:  "trawl",
		Usage: "turn a folder of trade-news articles into a searchable, reconciled record",
		Description: "trawl ingests articles into a store (people, dates, percentages and commodities\n" +
			"extracted per article, people reconciled across articles), then searches the store\n" +
			"and reports where articles disagree.",
		Reader:          e.stdin,
		Writer:          e.stdout,
		ErrWriter:       e.stderr,
		ExitErrHandler:  func(*cli.Context, error) {},
		OnUsageError:    onUsage,
		HideHelpCommand: true,
		Flags: []cli.Flag{
			&cli.StringFlag{
				Name: "store", Value: "./trawl-store", EnvVars: []string{"TRAWL_STORE"},
				Usage: "store directory",
			},
		},
		Commands: []*cli.Command{
			ingestCommand(e),
			extractCommand(e),
			searchCommand(e),
			entitiesCommand(e),
			discrepanciesCommand(e),
			evalCommand(e),
			serveCommand(e),
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("unknown command %q (see trawl --help)", c.Args().First())
			}
			return cli.ShowAppHelp(c)
		},
	}
	var setUsage func(cmds []*cli.Command)
	setUsage = func(cmds []*cli.Command) {
		for _, cmd := range cmds {
			cmd.OnUsageError = onUsage
			setUsage(cmd.Subcommands)
		}
	}
	setUsage(app.Commands)
	return app
}

// openStore opens the store named by --store / TRAWL_STORE. A command that
// opens it for writing may refresh it (reconcile and index), so the Go heap
// is held down as for a refresh, except by ingest, which does so only when
// its refresh starts.
func openStore(c *cli.Context, readOnly bool) (*store.Store, error) {
	if !readOnly && c.Command.Name != "ingest" {
		limitHeap()
	}
	return store.Open(c.String("store"), store.Options{ReadOnly: readOnly})
}

// refreshHeapLimit is the soft limit on the Go heap while a store refresh
// runs: it decodes every stored article twice, which makes garbage fast, and
// with the default GOGC the heap would grow to twice what is live. Past the
// limit the collector simply runs more often (what is live is not capped).
const refreshHeapLimit = 512 << 20

// limitHeap lowers the process's Go memory limit to refreshHeapLimit for
// the rest of the command, unless the user set GOMEMLIMIT or a lower limit
// is in force. It is the command's decision, not the store's: the limit is
// process-wide.
func limitHeap() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	if debug.SetMemoryLimit(-1) > refreshHeapLimit {
		debug.SetMemoryLimit(refreshHeapLimit)
	}
}

// isTerminal reports whether w is a terminal, for progress bars and colour.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// flagsFirst moves the flags that follow a command's arguments in front of
// them, so that "trawl search tariffs --person Bessent" works as users type
// it: urfave/cli stops parsing flags at the first argument. Everything after
// "--" is left alone.
func flagsFirst(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	out := []string{args[0]}
	flags := app.Flags
	cmds := app.Commands
	i := 1
	// Walk the global flags and the command path.
	for i < len(args) {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			out = append(out, a)
			if takesValue(flags, a) && i+1 < len(args) {
				out = append(out, args[i+1])
				i++
			}
			i++
			continue
		}
		var next *cli.Command
		for _, c := range cmds {
			if c.HasName(a) {
				next = c
			}
		}
		if next == nil {
			break
		}
		out = append(out, a)
		flags, cmds = next.Flags, next.Subcommands
		i++
		if len(cmds) == 0 {
			break
		}
	}
	var moved, rest []string
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		if strings.HasPrefix(a, "-") && a != "-" {
			moved = append(moved, a)
			if takesValue(flags, a) && i+1 < len(args) {
				moved = append(moved, args[i+1])
				i++
			}
			continue
		}
		rest = append(rest, a)
	}
	return append(append(out, moved...), rest...)
}

// takesValue reports whether the flag token a names a flag of flags that
// takes a separate value ("--limit 5", not "--json" or "--limit=5").
func takesValue(flags []cli.Flag, a string) bool {
	if strings.Contains(a, "=") {
		return false
	}
	name := strings.TrimLeft(a, "-")
	for _, f := range flags {
		for _, n := range f.Names() {
			if n != name {
				continue
			}
			if bf, ok := f.(*cli.BoolFlag); ok && bf != nil {
				return false
			}
			return true
		}
	}
	return false
}
