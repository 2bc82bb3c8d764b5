package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/reconcile"
	"github.com/trawlnews/trawl/report"
	"github.com/trawlnews/trawl/store"
)

func entitiesCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "entities",
		Usage: "list the people, commodities, organisations or places of the store; merge, split and rename people",
		Flags: []cli.Flag{
			// Local: the subcommands take no --type, and only show a --json.
			&cli.StringFlag{Name: "type", Value: "person", Usage: "person, commodity, organization or location", Local: true},
			&cli.BoolFlag{Name: "json", Usage: "print JSON", Local: true},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "text, json, csv or jsonl", Local: true},
			&cli.StringFlag{Name: "name", Usage: "only entities whose name or a spelling contains this text (any case)", Local: true},
			&cli.IntFlag{Name: "limit", Usage: "at most this many entities (0: all)", Local: true},
			&cli.IntFlag{Name: "page", Value: 1, Usage: "page of --limit entities", Local: true},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.NArg() > 0 {
				return usagef("entities: unknown subcommand %q (list with --type, or show, merge, split, rename)", c.Args().First())
			}
			return listEntities(c, e)
		},
		Commands: []*cli.Command{
			decisionsCommand(e),
			undoCommand(e),
			{
				Name: "show", Usage: "everything about one entity", ArgsUsage: "ID",
				Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print JSON"}},
				Action: func(ctx context.Context, c *cli.Command) error {
					if c.NArg() != 1 {
						return usagef("entities show: give one entity id")
					}
					s, err := openStore(c, true)
					if err != nil {
						return err
					}
					defer s.Close()
					ent, ok, err := s.Entity(c.Args().First())
					if err != nil {
						return err
					}
					if !ok {
						return showTally(e, s, c.Args().First(), c.Bool("json"))
					}
					if c.Bool("json") {
						return writeJSON(e.stdout, ent)
					}
					return writeEntity(e.stdout, s, ent)
				},
			},
			{
				Name: "merge", Usage: "decide that two entities are one person", ArgsUsage: "ID ID",
				Action: func(ctx context.Context, c *cli.Command) error {
					if c.NArg() != 2 {
						return usagef("entities merge: give two entity ids")
					}
					a, b := c.Args().Get(0), c.Args().Get(1)
					if a == b {
						return usagef("entities merge: %s and %s are the same entity", a, b)
					}
					return decide(ctx, c, e, func(d *reconcile.Decisions, es []trawl.Entity) error {
						if err := requireEntities(es, a, b); err != nil {
							return err
						}
						d.Merge(a, b)
						return nil
					}, fmt.Sprintf("merged %s and %s", a, b))
				},
			},
			{
				Name: "split", Usage: "decide that a variant name is a different person", ArgsUsage: "ID",
				Flags: []cli.Flag{&cli.StringFlag{Name: "variant", Required: true, Usage: "the variant name to split out"}},
				Action: func(ctx context.Context, c *cli.Command) error {
					if c.NArg() != 1 {
						return usagef("entities split: give one entity id and --variant NAME")
					}
					id, v := c.Args().First(), c.String("variant")
					return decide(ctx, c, e, func(d *reconcile.Decisions, es []trawl.Entity) error {
						if err := requireEntities(es, id); err != nil {
							return err
						}
						i := slices.IndexFunc(es, func(x trawl.Entity) bool { return x.ID == id })
						if !slices.ContainsFunc(es[i].Variants, func(x trawl.Variant) bool { return x.Name == v }) {
							return usagef("entities split: %s has no variant %q (see trawl entities show %s)", id, v, id)
						}
						d.Split(id, v)
						return nil
					}, fmt.Sprintf("split %q out of %s", v, id))
				},
			},
			{
				Name: "rename", Usage: "decide the canonical name of an entity", ArgsUsage: "ID NAME",
				Action: func(ctx context.Context, c *cli.Command) error {
					if c.NArg() < 2 {
						return usagef("entities rename: give an entity id and the new name")
					}
					id, name := c.Args().First(), strings.TrimSpace(strings.Join(c.Args().Tail(), " "))
					if name == "" {
						return usagef("entities rename: the new name is empty")
					}
					return decide(ctx, c, e, func(d *reconcile.Decisions, es []trawl.Entity) error {
						if err := requireEntities(es, id); err != nil {
							return err
						}
						d.Rename(id, name)
						return nil
					}, fmt.Sprintf("renamed %s to %q", id, name))
				},
			},
		},
	}
}

// decide records a user decision in the store and re-reconciles.
func decide(ctx context.Context, c *cli.Command, e *env, change func(*reconcile.Decisions, []trawl.Entity) error, done string) error {
	s, err := openStore(c, false)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Decide(ctx, change); err != nil {
		return err
	}
	if done != "" {
		fmt.Fprintf(e.stdout, "%s (decided by user; kept across re-ingests)\n", done)
	}
	return nil
}

// requireEntities is a usage error unless every id names an entity.
func requireEntities(es []trawl.Entity, ids ...string) error {
	for _, id := range ids {
		if !slices.ContainsFunc(es, func(x trawl.Entity) bool { return x.ID == id }) {
			return usagef("no entity %q (see trawl entities)", id)
		}
	}
	return nil
}

// writeJSON prints v as indented JSON; an empty list is [], never null.
func writeJSON(w io.Writer, v any) error {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && rv.IsNil() {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeEntity prints everything about one entity, with the articles of the
// store that mention it.
func writeEntity(w io.Writer, s *store.Store, ent trawl.Entity) error {
	var arts []trawl.Article
	for _, id := range ent.Articles {
		a, ok, err := s.Article(id)
		if err != nil {
			return err
		}
		if ok {
			arts = append(arts, a)
		}
	}
	return report.WriteEntity(w, ent, arts)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
