package index

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"

	"github.com/trawlnews/trawl"
)

// DocOf is the search document of an article whose PERSON mentions carry
// cross-article entity ids; names maps an entity id to its canonical name.
func DocOf(a trawl.Article, names map[string]string) Doc {
	doc := Doc{
		ID: a.ID, Title: a.Title, Source: a.Source, Published: a.Published, Text: a.Text,
		Commodities: a.Commodities, CopyGroup: a.CopyGroup,
	}
	people := map[string]*Person{}
	var order []string
	cats := map[string]bool{}
	for _, m := range a.Mentions {
		switch m.Type {
		case trawl.Person:
			p := people[m.Entity]
			if p == nil {
				p = &Person{ID: m.Entity, Canonical: names[m.Entity]}
				people[m.Entity] = p
				order = append(order, m.Entity)
			}
			if !slices.Contains(p.Variants, m.Text) {
				p.Variants = append(p.Variants, m.Text)
			}
		case trawl.Commodity:
			if m.Category != "" {
				cats[m.Category] = true
			}
		case trawl.Percent:
			doc.Percents = append(doc.Percents, Percent{Value: m.Value, Subject: m.Subject})
		}
	}
	slices.Sort(order)
	for _, id := range order {
		doc.People = append(doc.People, *people[id])
	}
	for c := range cats {
		doc.CommodityCategories = append(doc.CommodityCategories, c)
	}
	slices.Sort(doc.CommodityCategories)
	return doc
}

// Digest identifies what the index holds for doc: its fields, with the text
// stood for by the article's content hash (when not "") so that a refresh
// need not re-encode every article's text to find the few that changed.
func (doc Doc) Digest(contentHash string) (string, error) {
	if contentHash != "" {
		doc.Text = contentHash
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:]), nil
}
