package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v3"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/report"
	"github.com/trawlnews/trawl/store"
	"github.com/trawlnews/trawl/tally"
)

// entityTypes maps the values of `entities --type` to mention kinds.
var entityTypes = map[string]trawl.Kind{
	"person": trawl.Person, "commodity": trawl.Commodity, "organization": trawl.Organization, "location": trawl.Location,
	// The spellings a British user types.
	"organisation": trawl.Organization,
}

// listEntities prints the entities of one type (`trawl entities`).
func listEntities(c *cli.Command, e *env) error {
	kind, ok := entityTypes[c.String("type")]
	if !ok {
		return usagef("entities: --type %q: want person, commodity, organization or location", c.String("type"))
	}
	format := c.String("format")
	if c.Bool("json") {
		format = "json"
	}
	if !slices.Contains([]string{"text", "json", "csv", "jsonl"}, format) {
		return usagef("entities: --format %q: want text, json, csv or jsonl", format)
	}
	name := strings.ToLower(c.String("name"))
	limit, page := c.Int("limit"), c.Int("page")
	if limit < 0 || page < 1 {
		return usagef("entities: --limit %d --page %d: want a limit of 0 or more and a page of 1 or more", limit, page)
	}
	s, err := openStore(c, true)
	if err != nil {
		return err
	}
	defer s.Close()
	if kind == trawl.Person {
		es, err := s.Entities()
		if err != nil {
			return err
		}
		es = pageOf(slices.DeleteFunc(slices.Clone(es), func(x trawl.Entity) bool { return !personMatches(x, name) }), limit, page)
		switch format {
		case "json":
			return writeJSON(e.stdout, nonNilList(es))
		case "csv", "jsonl":
			return report.WriteList(e.stdout, format, report.PersonHeader, report.PersonCells, es)
		}
		return report.WritePeople(e.stdout, es)
	}
	es, err := tallyEntities(s, kind)
	if err != nil {
		return err
	}
	es = pageOf(slices.DeleteFunc(es, func(x tally.Entity) bool { return !tallyMatches(x, name) }), limit, page)
	switch format {
	case "json":
		return writeJSON(e.stdout, es)
	case "csv", "jsonl":
		return report.WriteList(e.stdout, format, tally.Header, tally.Entity.Cells, es)
	}
	return writeTally(e.stdout, kind, es)
}

// pageOf returns page (1-based) of limit items, or all of them when limit
// is 0.
func pageOf[T any](items []T, limit, page int) []T {
	if limit == 0 {
		return items
	}
	lo := min((page-1)*limit, len(items))
	return items[lo:min(lo+limit, len(items))]
}

func nonNilList[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// personMatches reports whether a person's canonical name or a variant
// contains name (lower case; "" matches everyone).
func personMatches(e trawl.Entity, name string) bool {
	if name == "" || strings.Contains(strings.ToLower(e.Canonical), name) || strings.Contains(e.ID, name) {
		return true
	}
	return slices.ContainsFunc(e.Variants, func(v trawl.Variant) bool { return strings.Contains(strings.ToLower(v.Name), name) })
}

// tallyMatches is personMatches for commodities, organisations and places.
func tallyMatches(e tally.Entity, name string) bool {
	if name == "" || strings.Contains(strings.ToLower(e.Name), name) || strings.Contains(e.ID, name) {
		return true
	}
	return slices.ContainsFunc(e.Variants, func(v string) bool { return strings.Contains(strings.ToLower(v), name) })
}

// tallyEntities collects the commodities, organisations or places of the
// store.
func tallyEntities(s *store.Store, kind trawl.Kind) ([]tally.Entity, error) {
	col := tally.NewCollector()
	err := s.Articles(func(a trawl.Article) error {
		col.Add(a)
		return nil
	})
	return col.Entities(kind), err
}

func writeTally(w io.Writer, kind trawl.Kind, es []tally.Entity) error {
	if len(es) == 0 {
		_, err := fmt.Fprintf(w, "no %s mentions in the store\n", strings.ToLower(string(kind)))
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if kind == trawl.Commodity {
		fmt.Fprintln(tw, "ID\tNAME\tCATEGORY\tHS\tARTICLES\tMENTIONS\tAS WRITTEN")
		for _, c := range es {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\n", c.ID, c.Name, c.Category, orDash(c.HS), len(c.Articles), c.Mentions, strings.Join(c.Variants, ", "))
		}
		return tw.Flush()
	}
	fmt.Fprintln(tw, "ID\tNAME\tARTICLES\tMENTIONS\tAS WRITTEN")
	for _, c := range es {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", c.ID, c.Name, len(c.Articles), c.Mentions, strings.Join(c.Variants, ", "))
	}
	return tw.Flush()
}

// showTally prints a commodity, organisation or place (`entities show` of
// an id that names no person).
func showTally(e *env, s *store.Store, id string, asJSON bool) error {
	col := tally.NewCollector()
	err := s.Articles(func(a trawl.Article) error {
		col.Add(a)
		return nil
	})
	if err != nil {
		return err
	}
	ent, ok := col.Find(id)
	if !ok {
		return usagef("entities show: no entity %q (see trawl entities --type person|commodity|organization|location)", id)
	}
	if asJSON {
		return writeJSON(e.stdout, ent)
	}
	w := e.stdout
	fmt.Fprintf(w, "%s  [%s]  %s\n", ent.Name, ent.ID, strings.ToLower(string(ent.Type)))
	if ent.Type == trawl.Commodity {
		fmt.Fprintf(w, "category: %s   HS code: %s\n", ent.Category, orDash(ent.HS))
	}
	fmt.Fprintf(w, "%d mentions in %d articles, written as: %s\n\narticles:\n", ent.Mentions, len(ent.Articles), strings.Join(ent.Variants, ", "))
	for _, id := range ent.Articles {
		a, ok, err := s.Article(id)
		if err != nil {
			return err
		}
		if ok {
			fmt.Fprintf(w, "  %s  %s  %s\n", orDash(a.Published), a.ID, oneLine(a.Title))
		}
	}
	return nil
}
