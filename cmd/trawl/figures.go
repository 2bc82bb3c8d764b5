package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/figures"
	"github.com/trawlnews/trawl/report"
	"github.com/trawlnews/trawl/store"
)

func figuresCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "figures",
		Usage:     "list the percentages of the store by what they measure, as series over time",
		ArgsUsage: "[SUBJECT]",
		Description: "Every percentage whose subject the extractor found, grouped by the normalised\n" +
			"subject: lower case, stop words and determiners dropped, words made singular and\n" +
			"sorted, so \"tariffs on imported steel\" and \"the steel import tariff\" are one series.\n" +
			"Each point is dated by a date in its sentence, else by the article's date. Points\n" +
			"of one series that give different values for the same date are marked CONFLICT.\n" +
			"SUBJECT keeps the series whose subject contains all of its words.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "text", Usage: "text, csv, json or jsonl"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			format := c.String("format")
			if !slices.Contains([]string{"text", "csv", "json", "jsonl"}, format) {
				return usagef("figures: --format %q: want text, csv, json or jsonl", format)
			}
			s, err := openStore(c, true)
			if err != nil {
				return err
			}
			defer s.Close()
			series, err := storeFigures(s)
			if err != nil {
				return err
			}
			if subject := strings.Join(c.Args().Slice(), " "); subject != "" {
				series = figures.Match(series, subject)
				if len(series) == 0 {
					return fmt.Errorf("figures: no series for %q (see trawl figures)", subject)
				}
			}
			switch format {
			case "json":
				if series == nil {
					series = []figures.Series{}
				}
				return writeJSON(e.stdout, series)
			case "csv", "jsonl":
				return report.WriteList(e.stdout, format, figures.Header, figures.Row.Cells, figures.Rows(series))
			}
			return writeFigures(e.stdout, series)
		},
	}
}

// storeFigures collects the figure series of every stored article.
func storeFigures(s *store.Store) ([]figures.Series, error) {
	col := figures.NewCollector()
	err := s.Articles(func(a trawl.Article) error {
		col.Add(a)
		return nil
	})
	return col.Series(), err
}

// writeFigures prints each series with its points, one a line.
func writeFigures(w io.Writer, series []figures.Series) error {
	if len(series) == 0 {
		_, err := fmt.Fprintln(w, "no figures with a subject in the store")
		return err
	}
	for i, s := range series {
		if i > 0 {
			fmt.Fprintln(w)
		}
		conflicts := ""
		if s.Conflicts > 0 {
			conflicts = fmt.Sprintf(", %d conflicting", s.Conflicts)
		}
		fmt.Fprintf(w, "%s  [%s]  %s, %s%s\n", s.Subject, s.Key, countOf(len(s.Points), "point", "points"),
			countOf(s.Articles, "article", "articles"), conflicts)
		for _, p := range s.Points {
			value := p.Value + "%"
			if p.Unit == "points" {
				value = p.Value + " points"
			}
			if p.From != "" {
				value = p.From + " -> " + value
			}
			if p.Change != "" {
				value += " (" + p.Change + ")"
			}
			mark := ""
			if p.Conflict {
				mark = "  CONFLICT"
			}
			fmt.Fprintf(w, "  %-10s %-22s %s%s\n", orDash(p.Date), value, p.Article, mark)
			fmt.Fprintf(w, "             %s\n", oneLine(p.Sentence))
		}
	}
	return nil
}

// countOf writes "1 point" or "2 points".
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
