package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/urfave/cli/v3"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/dedup"
	"github.com/trawlnews/trawl/store"
)

func duplicatesCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "duplicates",
		Usage: "list the groups of near-duplicate articles (copies of one story)",
		Description: "Articles that share most of their text (a wire story republished, a page\n" +
			"published twice, a lightly edited or shortened copy) are one group: one source\n" +
			"in the discrepancies, one hit in search. Each group is named by its smallest\n" +
			"article id.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print the groups as JSON"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.Args().Len() > 0 {
				return usagef("duplicates: takes no arguments")
			}
			s, err := openStore(c, true)
			if err != nil {
				return err
			}
			defer s.Close()
			gs, err := s.Copies()
			if err != nil {
				return err
			}
			if c.Bool("json") {
				if gs == nil {
					gs = []dedup.Group{}
				}
				enc := json.NewEncoder(e.stdout)
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				return enc.Encode(gs)
			}
			return writeDuplicates(e.stdout, s, gs)
		},
	}
}

// writeDuplicates prints each group with the title, source and date of its
// articles.
func writeDuplicates(w io.Writer, s *store.Store, gs []dedup.Group) error {
	n := 0
	for _, g := range gs {
		n += len(g.Articles)
	}
	// One pass over the store for the titles, not one look-up an article.
	arts := map[string]trawl.Article{}
	if len(gs) > 0 {
		if err := s.Articles(func(a trawl.Article) error {
			if a.CopyGroup != "" {
				arts[a.ID] = trawl.Article{Title: a.Title, Source: a.Source, Published: a.Published}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "%d group(s) of near-duplicate articles, %d articles in all\n", len(gs), n)
	for i, g := range gs {
		fmt.Fprintf(w, "\n%d. %s (%d articles)\n", i+1, g.ID, len(g.Articles))
		for _, id := range g.Articles {
			a := arts[id]
			line := "   " + id
			for _, m := range []string{oneLine(a.Title), a.Source, a.Published} {
				if m != "" {
					line += "  " + m
				}
			}
			fmt.Fprintln(w, line)
		}
	}
	return nil
}
