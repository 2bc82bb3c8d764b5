package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/trawlnews/trawl/index"
	"github.com/trawlnews/trawl/web"
)

func searchCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "search",
		Usage:     "search the store: full text with person, commodity, source and date filters",
		ArgsUsage: "QUERY",
		Description: "QUERY: words, \"phrases\" and the operators AND, OR, NOT (upper case) with\n" +
			"parentheses: (tariffs OR duties) AND steel NOT China. Words side by side form a\n" +
			"group in which any may match; +word must and -word must not match. Fields:\n" +
			"title:, text:, source:, person:, commodity:, about:, category:, month:YYYY-MM and\n" +
			"published:DATE, published:>DATE (also >=, <, <=), published:DATE..DATE, where\n" +
			"DATE is YYYY-MM-DD, YYYY-MM or YYYY. Also wild*cards, fuzzy~1 and /regexp/ (at\n" +
			"most 8 of them, fuzziness at most 2). A name also finds the other spellings of\n" +
			"the same person (\"Bessent\" finds \"Besset\"). commodity: and --commodity match\n" +
			"the commodities an article mentions, word senses checked and parents included\n" +
			"(wheat is also grain); about: matches only those it is about, the list shown\n" +
			"as a hit's commodities (about:grain for grain stories). An unknown --person,\n" +
			"--commodity or --source is an error naming the closest known ones. Dates of\n" +
			"--from and --to:\n" +
			"YYYY-MM-DD, YYYY-MM, YYYY, today, yesterday, last week, last month.\n" +
			"Put a query that starts with a dash after --: trawl search -- -China tariffs.",
		Flags: append([]cli.Flag{
			&cli.StringSliceFlag{Name: "person", Usage: "only articles that mention this person (name, variant or entity id)"},
			&cli.StringSliceFlag{Name: "commodity", Usage: "only articles that mention this commodity (id, parent or category), not only those about it"},
			&cli.StringSliceFlag{Name: "org", Usage: "only articles that name this organisation"},
			&cli.StringSliceFlag{Name: "place", Usage: "only articles that name this place"},
			&cli.StringSliceFlag{Name: "source", Usage: "only articles from this source"},
			&cli.StringFlag{Name: "from", Usage: "published on or after this date"},
			&cli.StringFlag{Name: "to", Usage: "published on or before this date"},
			&cli.StringFlag{Name: "sort", Value: "relevance", Usage: "relevance or date"},
			&cli.IntFlag{Name: "limit", Value: 10, Usage: "results per page (at most 100)"},
			&cli.IntFlag{Name: "page", Value: 1, Usage: "page of results"},
			&cli.BoolFlag{Name: "json", Usage: "print the results as JSON"},
		}, searchExportFlags...),
		Action: func(ctx context.Context, c *cli.Command) error {
			q := index.Query{
				Text:          strings.Join(c.Args().Slice(), " "),
				People:        c.StringSlice("person"),
				Commodities:   c.StringSlice("commodity"),
				Sources:       c.StringSlice("source"),
				Organizations: c.StringSlice("org"),
				Places:        c.StringSlice("place"),
				Sort:          c.String("sort"),
				Limit:         c.Int("limit"),
			}
			if q.Sort != "relevance" && q.Sort != "date" {
				return usagef("search: --sort %q: want relevance or date", q.Sort)
			}
			if q.Limit < 1 || q.Limit > 100 {
				return usagef("search: --limit %d: want 1 to 100", q.Limit)
			}
			if c.Int("page") < 1 {
				return usagef("search: --page %d: want 1 or more", c.Int("page"))
			}
			q.Offset = (c.Int("page") - 1) * q.Limit
			now := time.Now()
			var err error
			if q.From, err = index.ParseDate(c.String("from"), now, false); err != nil {
				return usagef("search: --from: %v", err)
			}
			if q.To, err = index.ParseDate(c.String("to"), now, true); err != nil {
				return usagef("search: --to: %v", err)
			}
			if q.From != "" && q.To != "" && q.To < q.From {
				return usagef("search: --to %s is before --from %s", q.To, q.From)
			}
			if err := index.CheckSyntax(q.Text); err != nil {
				return usagef("search: %v", strings.TrimPrefix(err.Error(), "index: "))
			}
			if wantsExport(c) {
				return searchExport(ctx, c, e, q)
			}
			s, err := openStore(c, true)
			if err != nil {
				return err
			}
			defer s.Close()
			if dirty, err := s.Dirty(); err == nil && dirty {
				fmt.Fprintf(e.stderr, "warning: the last ingest into %s did not finish, so the search index may miss or hold stale articles; run trawl ingest again to complete it\n", s.Dir())
			}
			ix, err := s.OpenIndex()
			if err != nil {
				return err
			}
			defer ix.Close()
			res, err := ix.Search(ctx, q)
			if errors.Is(err, index.ErrBadQuery) {
				return usagef("search: %v", strings.TrimPrefix(err.Error(), "index: "))
			}
			if err != nil {
				return err
			}
			names, err := ix.Names()
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return writeJSON(e.stdout, web.NewSearchResponse(res, names, c.Int("page"), q.Limit))
			}
			writeResults(e.stdout, q, res, names)
			return nil
		},
	}
}

// alsoPublished lists the copies of a hit: each by its source and id, or
// by its id when the file names no source.
func alsoPublished(cs []index.Copy) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.ID
		if c.Source != "" {
			parts[i] = c.Source + " (" + c.ID + ")"
		}
	}
	return strings.Join(parts, ", ")
}

// writeResults prints a readable list of search results; names labels the
// people of the person facet.
func writeResults(w io.Writer, q index.Query, res *index.Results, names map[string]string) {
	what := q.Text
	if what == "" {
		what = "everything"
	}
	fmt.Fprintf(w, "%d result(s) for %q (%s)\n", res.Total, what, res.Took.Round(time.Microsecond))
	for _, h := range res.Hits {
		if len(h.AlsoPublished) > 0 {
			fmt.Fprintln(w, "Near-duplicate copies of one story are shown as one result.")
			break
		}
	}
	for i, h := range res.Hits {
		title := h.Title
		if title == "" {
			title = h.ID
		}
		meta := []string{}
		for _, m := range []string{h.Source, h.Published} {
			if m != "" {
				meta = append(meta, m)
			}
		}
		fmt.Fprintf(w, "\n%d. %s\n   %s  [%s]  score %.3f\n", q.Offset+i+1, title, h.ID, strings.Join(meta, ", "), h.Score)
		if h.Snippet != "" {
			var snip strings.Builder
			for i, f := range h.Fragments {
				if i%2 == 1 {
					f = "«" + f + "»"
				}
				snip.WriteString(f)
			}
			fmt.Fprintf(w, "   %s\n", oneLine(snip.String()))
		}
		if len(h.MatchedVariants) > 0 {
			fmt.Fprintf(w, "   matched as: %s\n", strings.Join(h.MatchedVariants, ", "))
		}
		if len(h.AlsoPublished) > 0 {
			fmt.Fprintf(w, "   also published by: %s\n", alsoPublished(h.AlsoPublished))
		}
		var people []string
		for _, p := range h.People {
			people = append(people, p.Canonical)
		}
		if len(people) > 0 {
			fmt.Fprintf(w, "   people: %s\n", strings.Join(people, ", "))
		}
		if len(h.Commodities) > 0 {
			fmt.Fprintf(w, "   commodities: %s\n", strings.Join(h.Commodities, ", "))
		}
	}
	for _, name := range []string{"person", "commodity", "org", "place", "source", "published"} {
		fs := res.Facets[name]
		if len(fs) == 0 {
			continue
		}
		var parts []string
		for _, f := range fs {
			term := f.Term
			if name := names[term]; name != "" && name != term {
				term = name + " [" + term + "]"
			}
			parts = append(parts, fmt.Sprintf("%s (%d)", term, f.Count))
		}
		fmt.Fprintf(w, "\n%s: %s", name, strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)
}
