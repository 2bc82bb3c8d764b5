package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/trawlnews/trawl/index"
	"github.com/trawlnews/trawl/report"
)

// searchExportFlags are the search flags of exports and batches.
var searchExportFlags = []cli.Flag{
	&cli.StringFlag{Name: "format", Value: "text", Usage: "text, csv or jsonl (every hit, no page cap); with --batch also json"},
	&cli.StringFlag{Name: "batch", Usage: "run each line of `FILE` as a query (- for stdin) and print per query the number of articles and the best ones (--limit, 3 unless set)"},
}

// wantsExport reports whether a search asks for an export or a batch
// rather than a page of results.
func wantsExport(c *cli.Command) bool {
	return c.String("format") != "text" || c.String("batch") != ""
}

// searchExport runs an export (every hit of q as csv or jsonl) or a batch
// (--batch) for the search command; q has been checked.
func searchExport(ctx context.Context, c *cli.Command, e *env, q index.Query) error {
	format, batch := c.String("format"), c.String("batch")
	formats := []string{"text", "csv", "jsonl"}
	if batch != "" {
		formats = append(formats, "json")
	}
	if !slices.Contains(formats, format) {
		return usagef("search: --format %q: want %s", format, strings.Join(formats, ", "))
	}
	var queries []string
	if batch != "" {
		if q.Text != "" {
			return usagef("search: give either a query or --batch, not both")
		}
		var b []byte
		var err error
		if batch == "-" {
			b, err = io.ReadAll(e.stdin)
		} else {
			b, err = os.ReadFile(batch)
		}
		if err != nil {
			return fmt.Errorf("search: --batch: %w", err)
		}
		if queries = index.ReadBatch(string(b)); len(queries) == 0 {
			return usagef("search: --batch %s: no queries (one a line)", batch)
		}
		if !c.IsSet("limit") {
			q.Limit = 3
		}
	}
	s, err := openStore(c, true)
	if err != nil {
		return err
	}
	defer s.Close()
	ix, err := s.OpenIndex()
	if err != nil {
		return err
	}
	defer ix.Close()
	if batch == "" {
		lw, err := report.NewListWriter(e.stdout, format, index.ExportHeader, index.ExportHit.Cells)
		if err != nil {
			return err
		}
		if err := ix.Each(ctx, q, func(h index.Hit) error { return lw.Write(h.Export()) }); err != nil {
			return err
		}
		return lw.Flush()
	}
	rs, err := ix.Batch(ctx, queries, q)
	if err != nil {
		return err
	}
	switch format {
	case "json":
		return writeJSON(e.stdout, rs)
	case "jsonl":
		return report.WriteList(e.stdout, format, nil, nil, rs)
	case "csv":
		cw := csv.NewWriter(e.stdout)
		cw.Write(index.BatchHeader)
		cw.WriteAll(index.BatchRows(rs))
		return cw.Error()
	}
	return writeBatch(e.stdout, rs)
}

// writeBatch prints one block per query: the number of articles, then the
// best ones.
func writeBatch(w io.Writer, rs []index.BatchResult) error {
	found := 0
	for _, r := range rs {
		if r.Total > 0 {
			found++
		}
	}
	fmt.Fprintf(w, "%d of %d queries found articles\n", found, len(rs))
	for _, r := range rs {
		if r.Error != "" {
			fmt.Fprintf(w, "\n%q: error: %s\n", r.Query, r.Error)
			continue
		}
		fmt.Fprintf(w, "\n%q: %s\n", r.Query, countOf(int(r.Total), "article", "articles"))
		for i, h := range r.Best {
			title := h.Title
			if title == "" {
				title = h.ID
			}
			fmt.Fprintf(w, "  %d. %s  [%s%s]\n", i+1, oneLine(title), h.ID, prefixed(", ", h.Published))
		}
	}
	return nil
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}
