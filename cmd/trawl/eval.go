package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v3"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/eval"
	"github.com/trawlnews/trawl/extract"
	"github.com/trawlnews/trawl/extract/commodity"
	"github.com/trawlnews/trawl/ingest"
)

func evalCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "eval",
		Usage:     "score extraction against gold JSONL files (precision, recall, F1 per type)",
		ArgsUsage: "GOLD.jsonl...",
		Description: "Runs extraction on the text of each gold record (with its publication date),\n" +
			"groups people across the file, and prints strict and lenient span scores per type,\n" +
			"DATE and PERCENT value accuracy, person grouping (pairwise, B-cubed) and\n" +
			"document-level commodity scores, as defined in FORMAT.md.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "markdown", Usage: "also write all reports as Markdown to `FILE` (e.g. docs/accuracy.md)"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.NArg() == 0 {
				return usagef("eval: give at least one gold JSONL file")
			}
			x := extract.New(extract.Options{})
			labels := map[string][]string{}
			for _, ce := range commodity.Catalogue() {
				labels[ce.ID] = ce.Reuters
			}
			var reports []*eval.Report
			for _, path := range c.Args().Slice() {
				gold, err := eval.ReadGold(path)
				if err != nil {
					return err
				}
				pred := make([]trawl.Article, len(gold))
				for i, g := range gold {
					pred[i] = trawl.Article{ID: g.ID, Text: g.Text, Published: g.Published}
				}
				if err := ingest.Extract(ctx, pred, ingest.ExtractOptions{Extractor: x}); err != nil {
					return err
				}
				r := eval.Score(filepath.Base(path), gold, pred, eval.Options{CommodityLabels: labels})
				if err := r.WriteText(e.stdout); err != nil {
					return err
				}
				fmt.Fprintln(e.stdout)
				reports = append(reports, r)
			}
			if out := c.String("markdown"); out != "" {
				var buf bytes.Buffer
				fmt.Fprintf(&buf, "# trawl accuracy\n\nWritten by `make eval` (`trawl eval --markdown docs/accuracy.md ../shared/eval/dev/*.jsonl`); "+
					"do not edit by hand. Gold files and scoring rules: ../shared/eval/FORMAT.md and README.md.\n\n")
				if err := eval.WriteMarkdown(&buf, reports); err != nil {
					return err
				}
				if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
					return fmt.Errorf("eval: write %s: %w", out, err)
				}
				fmt.Fprintf(e.stderr, "wrote %s\n", out)
			}
			return nil
		},
	}
}
