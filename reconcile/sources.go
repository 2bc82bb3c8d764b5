package reconcile

import (
	"fmt"
	"slices"

	"github.com/trawlnews/trawl"
)

// Independent evidence. The copies of one story (trawl.Article.CopyGroup:
// near-duplicates such as a wire story republished by several outlets) are
// one source, as are the articles of one named source; an article that is
// neither a copy nor from a named source is a source of its own. These
// units are what every count that weighs evidence counts: the preferred
// spelling, the confidence of a name discrepancy, the preferred version of
// a role.

// source is the unit of independent evidence article ai belongs to.
func (c *collation) source(ai int) string {
	if g := c.arts[ai].CopyGroup; g != "" {
		return "copies:" + g
	}
	if s := c.arts[ai].Source; s != "" {
		return "source:" + s
	}
	return "article:" + c.arts[ai].ID
}

// countSources counts the articles of refs and the independent sources
// among them (source).
func (c *collation) countSources(refs []mentionRef) (articles, sources int) {
	arts := map[int]bool{}
	srcs := map[string]bool{}
	for _, r := range refs {
		arts[int(r.art)] = true
		srcs[c.source(int(r.art))] = true
	}
	return len(arts), len(srcs)
}

// uncopied counts the articles of refs and the refs themselves with the
// copies of a story counted once: of each copy group only the first of its
// articles in refs counts, with its mentions.
func (c *collation) uncopied(refs []mentionRef) (articles, mentions int) {
	first := map[string]int{}
	for _, r := range refs {
		key := c.arts[r.art].CopyGroup
		if key == "" {
			key = "article:" + c.arts[r.art].ID
		}
		a, seen := first[key]
		if !seen {
			first[key], a = int(r.art), int(r.art)
			articles++
		}
		if a == int(r.art) {
			mentions++
		}
	}
	return articles, mentions
}

// refArticles returns the distinct articles of refs, in order.
func refArticles(refs []mentionRef) []int {
	arts := make([]int, 0, len(refs))
	for _, r := range refs {
		arts = append(arts, int(r.art))
	}
	slices.Sort(arts)
	return slices.Compact(arts)
}

// support says in words how much evidence the articles arts (indexes, no
// repeats) give: how many articles, how many of them are copies of another
// that count once, and, after sep (", " or " from "), how many named
// sources they come from, when any names its source ("3 articles, 1 of
// them a copy, 2 sources"). A corpus whose files name no source gets
// "articles" only: the articles are not sources anyone named.
func (c *collation) support(arts []int, sep string) string {
	named := map[string]bool{}
	for _, a := range arts {
		if s := c.arts[a].Source; s != "" {
			named[s] = true
		}
	}
	out := plural(len(arts), "article", "articles")
	if n := c.copies(arts); n > 0 {
		out += ", " + copiesPhrase(n)
	}
	if len(named) > 0 {
		out += sep + plural(len(named), "source", "sources")
	}
	return out
}

// copies counts the articles among arts that are copies of another among
// them: each copy group counts once.
func (c *collation) copies(arts []int) int {
	groups := map[string]bool{}
	n := 0
	for _, a := range arts {
		if g := c.arts[a].CopyGroup; g != "" {
			if groups[g] {
				n++
			}
			groups[g] = true
		}
	}
	return n
}

// copiesPhrase is "1 of them a copy" or "N of them copies".
func copiesPhrase(n int) string {
	if n == 1 {
		return "1 of them a copy"
	}
	return fmt.Sprintf("%d of them copies", n)
}

// copiesNote is " (1 of them a copy)" (or " (N of them copies)") when some of
// the articles arts are copies of another among them, else empty: a
// misspelling "in 3 articles" against a spelling "in 2" is a tie when two of
// the three are one story.
func (c *collation) copiesNote(arts []int) string {
	if n := c.copies(arts); n > 0 {
		return " (" + copiesPhrase(n) + ")"
	}
	return ""
}

// markCopies sets each discrepancy's Copies: the groups of near-duplicate
// articles its evidence comes from, each counted as one source, with every
// article of the group, sorted.
func (c *collation) markCopies(ds []trawl.Discrepancy) {
	members := map[string][]string{}
	byID := map[string]string{}
	for _, a := range c.arts {
		if a.CopyGroup != "" {
			members[a.CopyGroup] = append(members[a.CopyGroup], a.ID)
			byID[a.ID] = a.CopyGroup
		}
	}
	if len(members) == 0 {
		return
	}
	for i := range ds {
		var gs []string
		for _, v := range ds[i].Versions {
			for _, e := range v.Evidence {
				if g := byID[e.Article]; g != "" {
					gs = append(gs, g)
				}
			}
		}
		slices.Sort(gs)
		for _, g := range slices.Compact(gs) {
			ids := slices.Clone(members[g])
			slices.Sort(ids)
			ds[i].Copies = append(ds[i].Copies, ids)
		}
	}
}
