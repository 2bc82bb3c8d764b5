package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/urfave/cli/v3"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/reconcile"
)

// numberedDecision is one decision as trawl entities decisions --json
// prints it: its number (what entities undo takes) and the decision.
type numberedDecision struct {
	N int `json:"n"`
	reconcile.Decision
}

func decisionsCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "decisions",
		Usage: "list the merge, split and rename decisions, numbered for undo",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print JSON"}},
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.NArg() > 0 {
				return usagef("entities decisions: unexpected argument %q", c.Args().First())
			}
			s, err := openStore(c, true)
			if err != nil {
				return err
			}
			defer s.Close()
			d, err := s.Decisions()
			if err != nil {
				return err
			}
			list := []numberedDecision{}
			for i, x := range d.List() {
				list = append(list, numberedDecision{i + 1, x})
			}
			if c.Bool("json") {
				return writeJSON(e.stdout, list)
			}
			writeDecisions(e.stdout, list)
			return nil
		},
	}
}

// writeDecisions prints the decisions one a line, numbered.
func writeDecisions(w io.Writer, list []numberedDecision) {
	if len(list) == 0 {
		fmt.Fprintln(w, "no decisions (trawl entities merge, split and rename record them)")
		return
	}
	for _, x := range list {
		fmt.Fprintf(w, "%d. %s\n", x.N, x.Decision)
	}
}

func undoCommand(e *env) *cli.Command {
	return &cli.Command{
		Name: "undo", Usage: "remove decision N (see trawl entities decisions) and reconcile again", ArgsUsage: "N",
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.NArg() != 1 {
				return usagef("entities undo: give the number of one decision (see trawl entities decisions)")
			}
			n, err := strconv.Atoi(c.Args().First())
			if err != nil || n < 1 {
				return usagef("entities undo: %q is not a decision number (see trawl entities decisions)", c.Args().First())
			}
			var undone reconcile.Decision
			err = decide(ctx, c, e, func(d *reconcile.Decisions, _ []trawl.Entity) error {
				list := d.List()
				if n > len(list) {
					return usagef("entities undo: no decision %d; there are %d (see trawl entities decisions)", n, len(list))
				}
				undone = list[n-1]
				d.Remove(n - 1)
				return nil
			}, "")
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "undid decision %d: %s\n", n, undone)
			return nil
		},
	}
}
