package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v3"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/extract/commodity"
	"github.com/trawlnews/trawl/reconcile"
	"github.com/trawlnews/trawl/report"
	"github.com/trawlnews/trawl/store"
)

func entitiesCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "entities",
		Usage: "list the people (or commodities) of the store; merge, split and rename people",
		Flags: []cli.Flag{
			// Local: the subcommands take no --type, and only show a --json.
			&cli.StringFlag{Name: "type", Value: "person", Usage: "person or commodity", Local: true},
			&cli.BoolFlag{Name: "json", Usage: "print JSON", Local: true},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.NArg() > 0 {
				return usagef("entities: unknown subcommand %q (list with --type, or show, merge, split, rename)", c.Args().First())
			}
			s, err := openStore(c, true)
			if err != nil {
				return err
			}
			defer s.Close()
			switch c.String("type") {
			case "person":
				es, err := s.Entities()
				if err != nil {
					return err
				}
				if c.Bool("json") {
					return writeJSON(e.stdout, es)
				}
				return report.WritePeople(e.stdout, es)
			case "commodity":
				cs, err := commodityEntities(s)
				if err != nil {
					return err
				}
				if c.Bool("json") {
					return writeJSON(e.stdout, cs)
				}
				return writeCommodities(e.stdout, cs)
			default:
				return usagef("entities: --type %q: want person or commodity", c.String("type"))
			}
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
						return usagef("entities show: no entity %q (see trawl entities)", c.Args().First())
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

// commodityEntity is a catalogue commodity as seen in the store.
type commodityEntity struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Category string   `json:"category"`
	HS       string   `json:"hs,omitempty"`
	Mentions int      `json:"mentions"`
	Variants []string `json:"variants"`
	Articles []string `json:"articles"`
}

// commodityEntities groups the COMMODITY mentions of the store by catalogue id.
func commodityEntities(s *store.Store) ([]commodityEntity, error) {
	cat := map[string]commodity.CatalogueEntry{}
	for _, c := range commodity.Catalogue() {
		cat[c.ID] = c
	}
	byID := map[string]*commodityEntity{}
	err := s.Articles(func(a trawl.Article) error {
		for _, m := range a.Mentions {
			if m.Type != trawl.Commodity || m.Value == "" {
				continue
			}
			ce := byID[m.Value]
			if ce == nil {
				c := cat[m.Value]
				ce = &commodityEntity{ID: m.Value, Name: c.Name, Category: c.Category, HS: c.HS}
				byID[m.Value] = ce
			}
			ce.Mentions++
			if v := strings.ToLower(m.Text); !slices.Contains(ce.Variants, v) {
				ce.Variants = append(ce.Variants, v)
			}
			if !slices.Contains(ce.Articles, a.ID) {
				ce.Articles = append(ce.Articles, a.ID)
			}
		}
		return nil
	})
	out := make([]commodityEntity, 0, len(byID))
	for _, ce := range byID {
		slices.Sort(ce.Variants)
		out = append(out, *ce)
	}
	slices.SortFunc(out, func(a, b commodityEntity) int {
		if len(a.Articles) != len(b.Articles) {
			return len(b.Articles) - len(a.Articles)
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, err
}

func writeCommodities(w io.Writer, cs []commodityEntity) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tCATEGORY\tHS\tARTICLES\tMENTIONS\tAS WRITTEN")
	for _, c := range cs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\n", c.ID, c.Name, c.Category, orDash(c.HS), len(c.Articles), c.Mentions, strings.Join(c.Variants, ", "))
	}
	return tw.Flush()
}
