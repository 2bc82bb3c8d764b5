package commodity

import (
	"cmp"
	"slices"
	"time"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/extract/document"
)

// LeadBytes is how much of an article's text counts as its lead when
// commodities are ranked: about the first two sentences of a news story.
const LeadBytes = 400

// Weights of a commodity's evidence when ranking: every mention counts
// once, one in the lead once more, and one in the title three times more.
const (
	weightMention = 1
	weightLead    = 1
	weightTitle   = 3
)

// Rank returns the document's commodities, the catalogue ids of its
// COMMODITY mentions ms and their parents, most central first. A
// commodity's centrality is the sum of the weights of its mentions in the
// text (a mention in the first LeadBytes bytes weighs more) plus a bonus when
// the title names it; a parent adds up the centrality of its children and
// its own mentions, so a story about wheat and corn ranks "grain" first.
// Ties go to an id mentioned in the text over a parent only implied, then to
// the earlier first mention, then to the id. The result is never nil.
func Rank(ms []trawl.Mention, title string) []string {
	type score struct {
		w, first  int
		mentioned bool
	}
	scores := map[string]*score{}
	add := func(id string, w, pos int, mentioned bool) {
		s := scores[id]
		if s == nil {
			s = &score{first: pos}
			scores[id] = s
		}
		s.w += w
		s.first = min(s.first, pos)
		s.mentioned = s.mentioned || mentioned
	}
	credit := func(m trawl.Mention, w int) {
		add(m.Value, w, m.Start, true)
		for _, p := range m.Parents {
			add(p, w, m.Start, false)
		}
	}
	for _, m := range ms {
		if m.Type != trawl.Commodity || m.Value == "" {
			continue
		}
		w := weightMention
		if m.Start < LeadBytes {
			w += weightLead
		}
		credit(m, w)
	}
	if title != "" && len(scores) > 0 {
		seen := map[string]bool{}
		doc := document.New(title, time.Time{})
		for _, m := range Find(doc) {
			if !seen[m.Value] && scores[m.Value] != nil {
				seen[m.Value] = true
				m.Start = -1
				credit(m, weightTitle)
			}
		}
		doc.Release()
	}
	ids := make([]string, 0, len(scores))
	for id := range scores {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		sa, sb := scores[a], scores[b]
		if c := cmp.Compare(sb.w, sa.w); c != 0 {
			return c
		}
		if sa.mentioned != sb.mentioned {
			if sa.mentioned {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(sa.first, sb.first); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return ids
}
