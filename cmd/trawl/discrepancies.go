package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/report"
)

func discrepanciesCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "discrepancies",
		Usage: "report where articles disagree on a name, a role, a date or a figure",
		Description: "Each discrepancy lists every version with the articles and the sentence that\n" +
			"carries it, ranked by how much it matters, with a confidence. Changes that articles\n" +
			"report (\"from 25% to 50%\") follow as context, not discrepancies.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "text", Usage: "text, md, json, html, csv or jsonl"},
			&cli.StringFlag{Name: "kind", Usage: "only these kinds, comma-separated: name, name-spelling, name-form, role, date, figure, figure-change (or change)"},
			&cli.FloatFlag{Name: "min-confidence", Usage: "only discrepancies at least this confident (0 to 1)"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			write := map[string]func(io.Writer, []trawl.Discrepancy) error{
				"text": report.WriteText,
				"md":   report.WriteMarkdown,
				"json": report.WriteJSON,
				"html": report.WriteHTML,
				"csv":  report.WriteCSV,
				"jsonl": func(w io.Writer, ds []trawl.Discrepancy) error {
					return report.WriteList(w, "jsonl", nil, nil, ds)
				},
			}[c.String("format")]
			if write == nil {
				return usagef("discrepancies: --format %q: want text, md, json, html, csv or jsonl", c.String("format"))
			}
			kinds, err := parseKinds(c.String("kind"))
			if err != nil {
				return err
			}
			minConf := c.Float("min-confidence")
			if minConf < 0 || minConf > 1 {
				return usagef("discrepancies: --min-confidence %s: want a number from 0 to 1", strconv.FormatFloat(minConf, 'g', -1, 64))
			}
			s, err := openStore(c, true)
			if err != nil {
				return err
			}
			defer s.Close()
			ds, err := s.Discrepancies()
			if err != nil {
				return err
			}
			// Text and Markdown say first how many articles are undated.
			if f := c.String("format"); f == "text" || f == "md" {
				n, err := s.LastCounts(false)
				if err != nil {
					return err
				}
				if n.Undated > 0 {
					prefix := "Note: "
					if f == "md" {
						prefix = "> "
					}
					fmt.Fprintf(e.stdout, "%s%s.\n\n", prefix, undatedNote(n.Undated, n.Articles))
				}
			}
			return write(e.stdout, report.Filter(ds, kinds, minConf))
		},
	}
}

// parseKinds reads the --kind list, comma-separated kinds as
// trawl.ParseDiscrepancyKinds reads them.
func parseKinds(s string) ([]trawl.DiscrepancyKind, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []trawl.DiscrepancyKind
	for _, k := range strings.Split(s, ",") {
		ks, err := trawl.ParseDiscrepancyKinds(strings.TrimSpace(k))
		if err != nil {
			return nil, usagef("discrepancies: --kind %v", err)
		}
		out = append(out, ks...)
	}
	return out, nil
}
