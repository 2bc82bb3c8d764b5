package main

import (
	"io"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/reconcile"
)

func discrepanciesCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "discrepancies",
		Usage: "report where articles disagree on a name, a role, a date or a figure",
		Description: "Each discrepancy lists every version with the articles and the sentence that\n" +
			"carries it, ranked by how much it matters, with a confidence. Changes that articles\n" +
			"report (\"from 25% to 50%\") follow as context, not discrepancies.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "text", Usage: "text, md, json or html"},
			&cli.StringFlag{Name: "kind", Usage: "only these kinds, comma-separated: name, name-spelling, name-form, role, date, figure, figure-change (or change)"},
			&cli.Float64Flag{Name: "min-confidence", Usage: "only discrepancies at least this confident (0 to 1)"},
		},
		Action: func(c *cli.Context) error {
			write := map[string]func(io.Writer, []trawl.Discrepancy) error{
				"text": reconcile.WriteText,
				"md":   reconcile.WriteMarkdown,
				"json": reconcile.WriteJSON,
				"html": reconcile.WriteHTML,
			}[c.String("format")]
			if write == nil {
				return usagef("discrepancies: --format %q: want text, md, json or html", c.String("format"))
			}
			kinds, err := parseKinds(c.String("kind"))
			if err != nil {
				return err
			}
			minConf := c.Float64("min-confidence")
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
			return write(e.stdout, reconcile.Filter(ds, kinds, minConf))
		},
	}
}

// parseKinds reads the --kind list; "name" stands for both name kinds and
// "change" for figure-change.
func parseKinds(s string) ([]trawl.DiscrepancyKind, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []trawl.DiscrepancyKind
	for _, k := range strings.Split(s, ",") {
		switch k = strings.TrimSpace(k); k {
		case "name":
			out = append(out, trawl.NameSpelling, trawl.NameForm)
		case "change":
			out = append(out, trawl.FigureChange)
		case string(trawl.NameSpelling), string(trawl.NameForm), string(trawl.RoleConflict), string(trawl.DateConflict), string(trawl.FigureConflict), string(trawl.FigureChange):
			out = append(out, trawl.DiscrepancyKind(k))
		default:
			return nil, usagef("discrepancies: --kind %q: want name, name-spelling, name-form, role, date, figure or figure-change", k)
		}
	}
	return out, nil
}
