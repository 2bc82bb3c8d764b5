package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/trawlnews/trawl"
)

// WritePeople writes a table of person entities for a terminal, one line
// each: id, name, how many articles and mentions, the other spellings with
// their status, and the roles given.
func WritePeople(w io.Writer, es []trawl.Entity) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tARTICLES\tMENTIONS\tVARIANTS\tROLES")
	for _, ent := range es {
		var vs []string
		for _, v := range ent.Variants {
			if v.Name != ent.Canonical {
				vs = append(vs, fmt.Sprintf("%s (%s)", v.Name, v.Status))
			}
		}
		var roles []string
		for _, r := range ent.Roles {
			if !slices.Contains(roles, r.Role) {
				roles = append(roles, r.Role)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\n", ent.ID, ent.Canonical, len(ent.Articles), ent.Mentions, strings.Join(vs, "; "), strings.Join(roles, "; "))
	}
	return tw.Flush()
}

// WriteEntity writes everything about one entity for a terminal: why its
// name was chosen, the user's decisions, its variants and roles, and the
// articles that mention it: arts, in the order given (the caller looks up
// ent.Articles).
func WriteEntity(w io.Writer, ent trawl.Entity, arts []trawl.Article) error {
	bw := bufio.NewWriter(w)
	w = bw
	fmt.Fprintf(w, "%s  %s\n", ent.ID, ent.Canonical)
	if ent.Reason != "" {
		fmt.Fprintf(w, "  why this name: %s\n", ent.Reason)
	}
	for _, d := range ent.Decided {
		fmt.Fprintf(w, "  decided by user: %s\n", d)
	}
	fmt.Fprintf(w, "  variants:\n")
	for _, v := range ent.Variants {
		fmt.Fprintf(w, "    %-24s %d mention(s) in %d article(s), %s", v.Name, v.Mentions, v.Articles, v.Status)
		if v.Reason != "" {
			fmt.Fprintf(w, ": %s", v.Reason)
		}
		fmt.Fprintln(w)
	}
	if len(ent.Roles) > 0 {
		fmt.Fprintf(w, "  roles:\n")
		for _, r := range ent.Roles {
			fmt.Fprintf(w, "    %-34s %s %s\n", r.Role, r.Published, r.Article)
		}
	}
	fmt.Fprintf(w, "  articles:\n")
	for _, a := range arts {
		fmt.Fprintf(w, "    %s  %s  %s\n", orDash(a.Published), a.ID, a.Title)
	}
	return bw.Flush()
}

// orDash is s, or "-" for an empty s, so that a column is never blank.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
