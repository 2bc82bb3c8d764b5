package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v3"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/ingest"
)

func extractCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "extract",
		Usage:     "print the mentions found in articles, without a store",
		ArgsUsage: "[FILE|DIR|-]...",
		Description: "Prints one JSON line per article (the record of FORMAT.md: id, published,\n" +
			"published_source, mentions, commodities). PERSON entity ids are consistent across all\n" +
			"inputs of the run. '-' reads one article from stdin.",
		Flags: append(corpusFlags(),
			&cli.StringFlag{Name: "format", Value: "jsonl", Usage: "jsonl or text"},
			&cli.BoolFlag{Name: "text", Usage: "include the article text in each JSON record"},
		),
		Action: func(ctx context.Context, c *cli.Command) error {
			format := c.String("format")
			if format != "jsonl" && format != "text" {
				return usagef("extract: --format %q: want jsonl or text", format)
			}
			if c.NArg() == 0 {
				return usagef("extract: give files, folders, or - for stdin")
			}
			copts, err := corpusOptions(c)
			if err != nil {
				return err
			}
			arts, failed := readInputs(ctx, c, e, copts)
			if err := ingest.Extract(ctx, arts, ingest.ExtractOptions{}); err != nil {
				return err
			}
			if format == "text" {
				err = writeMentionTable(e.stdout, arts)
			} else {
				err = writeJSONL(e.stdout, arts, c.Bool("text"))
			}
			if err != nil {
				return err
			}
			if failed > 0 {
				return fmt.Errorf("%d input(s) could not be read (see above)", failed)
			}
			return nil
		},
	}
}

// readInputs reads every article named by the command's arguments, in
// order; files that cannot be read are reported on stderr and counted.
func readInputs(ctx context.Context, c *cli.Command, e *env, copts corpus.Options) ([]trawl.Article, int) {
	var arts []trawl.Article
	failed := 0
	warn := func(err error) { fmt.Fprintf(e.stderr, "warning: %v\n", err) }
	for _, arg := range c.Args().Slice() {
		if arg == "-" {
			raw, err := io.ReadAll(e.stdin)
			if err != nil {
				warn(fmt.Errorf("read stdin: %w", err))
				failed++
				continue
			}
			a, err := corpus.Parse("-", raw, copts)
			if err != nil {
				warn(err)
				failed++
				continue
			}
			arts = append(arts, a)
			continue
		}
		if _, err := os.Stat(arg); err != nil {
			warn(fmt.Errorf("%s: %w", arg, err))
			failed++
			continue
		}
		files, skipped, err := corpus.Walk(ctx, arg, copts)
		if err != nil {
			warn(err)
			failed++
		}
		for _, s := range skipped {
			warn(fmt.Errorf("%s: skipped: %s", s.Path, s.Reason))
		}
		for _, f := range files {
			as, problems, err := corpus.Read(f, copts)
			for _, p := range problems {
				warn(p)
			}
			if err != nil {
				warn(err)
				failed++
				continue
			}
			arts = append(arts, as...)
		}
	}
	return arts, failed
}

// writeJSONL prints one FORMAT.md record per article.
func writeJSONL(w io.Writer, arts []trawl.Article, withText bool) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, a := range arts {
		if !withText {
			a.Text = ""
		}
		if a.Mentions == nil {
			a.Mentions = []trawl.Mention{}
		}
		if a.Commodities == nil {
			a.Commodities = []string{}
		}
		if err := enc.Encode(a); err != nil {
			return err
		}
	}
	return nil
}

// writeMentionTable prints the mentions of each article as a table.
func writeMentionTable(w io.Writer, arts []trawl.Article) error {
	for i, a := range arts {
		if i > 0 {
			fmt.Fprintln(w)
		}
		pub := a.Published
		if pub == "" {
			pub = "unknown"
		}
		fmt.Fprintf(w, "%s  (published %s, from %s)\n", a.ID, pub, a.PublishedSource)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TYPE\tSPAN\tTEXT\tVALUE\tDETAIL")
		for _, m := range a.Mentions {
			var detail []string
			for _, kv := range [][2]string{{"role", m.Role}, {"entity", m.Entity}, {"unit", m.Unit}, {"from", m.From},
				{"change", m.Change}, {"subject", m.Subject}, {"category", m.Category}, {"warning", m.Warning}} {
				if kv[1] != "" {
					detail = append(detail, kv[0]+"="+kv[1])
				}
			}
			fmt.Fprintf(tw, "%s\t%d-%d\t%s\t%s\t%s\n", m.Type, m.Start, m.End, oneLine(m.Text), m.Value, strings.Join(detail, " "))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if len(a.Commodities) > 0 {
			fmt.Fprintf(w, "commodities: %s\n", strings.Join(a.Commodities, ", "))
		}
	}
	return nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
