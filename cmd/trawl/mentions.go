package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v3"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/report"
)

// mentionKinds are the values --type of `trawl mentions` takes.
var mentionKinds = []trawl.Kind{trawl.Person, trawl.Date, trawl.Percent, trawl.Commodity, trawl.Organization, trawl.Location, trawl.Misc}

func mentionsCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "mentions",
		Usage: "list every mention of the store, one row each, with its article and sentence",
		Description: "One row per mention: article, publication date, type, text, normalised value,\n" +
			"entity id (people), role, unit, change and subject (percentages), offsets and the\n" +
			"sentence. Articles in id order, mentions in text order.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "text", Usage: "text, csv or jsonl"},
			&cli.StringSliceFlag{Name: "type", Usage: "only mentions of this type (person, date, percent, commodity, organization, location, misc)"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			format := c.String("format")
			if !slices.Contains([]string{"text", "csv", "jsonl"}, format) {
				return usagef("mentions: --format %q: want text, csv or jsonl", format)
			}
			var kinds []trawl.Kind
			for _, t := range c.StringSlice("type") {
				for _, t := range strings.Split(t, ",") {
					k := trawl.Kind(strings.ToUpper(strings.TrimSpace(t)))
					if !slices.Contains(mentionKinds, k) {
						return usagef("mentions: --type %q: want person, date, percent, commodity, organization, location or misc", t)
					}
					kinds = append(kinds, k)
				}
			}
			s, err := openStore(c, true)
			if err != nil {
				return err
			}
			defer s.Close()
			if format == "text" {
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ARTICLE\tTYPE\tTEXT\tVALUE\tENTITY\tROLE")
				err := s.Articles(func(a trawl.Article) error {
					for _, r := range report.MentionRows(a, kinds) {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Article, r.Type, oneLine(r.Text), orDash(r.Value), orDash(r.Entity), orDash(r.Role))
					}
					return nil
				})
				if err != nil {
					return err
				}
				return tw.Flush()
			}
			lw, err := report.NewListWriter(e.stdout, format, report.MentionHeader, report.MentionRow.Cells)
			if err != nil {
				return err
			}
			err = s.Articles(func(a trawl.Article) error {
				for _, r := range report.MentionRows(a, kinds) {
					if err := lw.Write(r); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			return lw.Flush()
		},
	}
}
