package report

import (
	"slices"
	"strconv"
	"strings"

	"github.com/trawlnews/trawl"
)

// PersonHeader names the columns of PersonCells: the people list as CSV,
// for the CLI's and the web's downloads alike.
var PersonHeader = []string{"id", "type", "name", "articles", "mentions", "variants", "roles"}

// PersonCells is one person's row under PersonHeader: the variants other
// than the canonical name and the distinct roles, each joined by "; ".
func PersonCells(e trawl.Entity) []string {
	var variants, roles []string
	for _, v := range e.Variants {
		if v.Name != e.Canonical {
			variants = append(variants, v.Name)
		}
	}
	for _, r := range e.Roles {
		if !slices.Contains(roles, r.Role) {
			roles = append(roles, r.Role)
		}
	}
	return []string{e.ID, string(e.Type), e.Canonical, strconv.Itoa(len(e.Articles)), strconv.Itoa(e.Mentions),
		strings.Join(variants, "; "), strings.Join(roles, "; ")}
}
