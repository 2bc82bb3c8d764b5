// Package tally groups the mentions that reconciliation does not merge
// into entities: commodities by their catalogue id, organisations and places
// by their normalised name. Each entity lists the articles that mention it
// and the ways it is written. It is pure: articles in, entities out.
package tally

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/internal/lexicon"
	"github.com/trawlnews/trawl/internal/text"
)

// Kinds are the mention kinds tally groups.
var Kinds = []trawl.Kind{trawl.Commodity, trawl.Organization, trawl.Location}

// Id prefixes of organisations and places, which keep their ids apart from
// people's and commodities' ("org/world-bank", "place/geneva").
const (
	OrgPrefix   = "org/"
	PlacePrefix = "place/"
)

// Entity is a commodity, organisation or place as the store's articles
// mention it.
type Entity struct {
	// ID is the catalogue id of a commodity ("rare-earths"), or OrgPrefix or
	// PlacePrefix and the key of the normalised name ("org/world-bank").
	ID   string     `json:"id"`
	Type trawl.Kind `json:"type"`
	// Name is the catalogue name of a commodity, or the most frequent
	// spelling of an organisation or place (ties: the alphabetically first).
	Name string `json:"name"`
	// Category and HS are the catalogue category and Harmonized System code
	// of a commodity.
	Category string `json:"category,omitempty"`
	HS       string `json:"hs,omitempty"`
	Mentions int    `json:"mentions"`
	// Variants are the distinct spellings, sorted (commodities lower-cased).
	Variants []string `json:"variants"`
	// Articles are the ids of the articles that mention the entity, sorted.
	Articles []string `json:"articles"`
}

// catalogueEntry is the display data of a commodity of the catalogue.
type catalogueEntry struct{ name, category, hs string }

// catalogue reads the id, display name, category and HS code columns of
// the commodity catalogue (internal/lexicon's commodities.tsv, whose header
// documents them): the extractor owns the catalogue, but the web server,
// which must not link it, shows these names too.
var catalogue = sync.OnceValue(func() map[string]catalogueEntry {
	out := map[string]catalogueEntry{}
	for _, f := range lexicon.Columns("commodities.tsv") {
		if len(f) < 4 {
			continue
		}
		hs := f[3]
		if hs == "-" {
			hs = ""
		}
		out[f[0]] = catalogueEntry{f[1], f[2], hs}
	}
	return out
})

// Key normalises the name of an organisation or place (text.NameKey, the
// key the search index files them under too): "The World Bank" and "world
// bank" are "world-bank".
func Key(name string) string { return text.NameKey(name) }

// Collector builds entities from articles given one at a time.
type Collector struct {
	byID     map[string]*Entity
	spelling map[string]map[string]int
}

// NewCollector returns an empty Collector.
func NewCollector() *Collector {
	return &Collector{byID: map[string]*Entity{}, spelling: map[string]map[string]int{}}
}

// Add takes the COMMODITY, ORGANIZATION and LOCATION mentions of a.
func (c *Collector) Add(a trawl.Article) {
	for _, m := range a.Mentions {
		var id, spelling string
		switch m.Type {
		case trawl.Commodity:
			id, spelling = m.Value, strings.ToLower(strings.TrimSpace(m.Text))
		case trawl.Organization:
			if k := Key(m.Text); k != "" {
				id, spelling = OrgPrefix+k, strings.Join(strings.Fields(m.Text), " ")
			}
		case trawl.Location:
			if k := Key(m.Text); k != "" {
				id, spelling = PlacePrefix+k, strings.Join(strings.Fields(m.Text), " ")
			}
		}
		if id == "" {
			continue
		}
		e := c.byID[id]
		if e == nil {
			e = &Entity{ID: id, Type: m.Type}
			if m.Type == trawl.Commodity {
				ce := catalogue()[id]
				e.Name, e.Category, e.HS = cmp.Or(ce.name, id), cmp.Or(ce.category, m.Category), ce.hs
			}
			c.byID[id] = e
			c.spelling[id] = map[string]int{}
		}
		e.Mentions++
		c.spelling[id][spelling]++
		if n := len(e.Articles); n == 0 || e.Articles[n-1] != a.ID {
			e.Articles = append(e.Articles, a.ID)
		}
	}
}

// Entities returns the entities of the given kinds (every kind of Kinds
// when none is given), the most articles first, then by id.
func (c *Collector) Entities(kinds ...trawl.Kind) []Entity {
	out := []Entity{}
	for _, id := range slices.Sorted(maps.Keys(c.byID)) {
		e := *c.byID[id]
		if len(kinds) > 0 && !slices.Contains(kinds, e.Type) {
			continue
		}
		sp := c.spelling[id]
		e.Variants = slices.Sorted(maps.Keys(sp))
		if e.Type != trawl.Commodity {
			e.Name = e.Variants[0]
			for _, v := range e.Variants {
				if sp[v] > sp[e.Name] {
					e.Name = v
				}
			}
		}
		e.Articles = slices.Clone(e.Articles)
		slices.Sort(e.Articles)
		e.Articles = slices.Compact(e.Articles)
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b Entity) int { return cmp.Compare(len(b.Articles), len(a.Articles)) })
	return out
}

// Find returns the entity with id, and whether there is one.
func (c *Collector) Find(id string) (Entity, bool) {
	e, ok := c.byID[id]
	if !ok {
		return Entity{}, false
	}
	for _, x := range c.Entities(e.Type) {
		if x.ID == id {
			return x, true
		}
	}
	return Entity{}, false
}

// Header names the CSV columns of Entity.Cells.
var Header = []string{"id", "type", "name", "category", "hs", "articles", "mentions", "variants"}

// Cells is the entity's CSV cells, in Header order; variants are joined
// with "; ".
func (e Entity) Cells() []string {
	return []string{e.ID, string(e.Type), e.Name, e.Category, e.HS, strconv.Itoa(len(e.Articles)), strconv.Itoa(e.Mentions), strings.Join(e.Variants, "; ")}
}
