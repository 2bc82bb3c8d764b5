package index

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/internal/text"
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
	cats, mentioned := map[string]bool{}, map[string]bool{}
	orgs, places := map[string]string{}, map[string]string{}
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
			if m.Value != "" {
				mentioned[m.Value] = true
			}
			for _, p := range m.Parents {
				mentioned[p] = true
			}
		case trawl.Organization:
			addNamed(orgs, m.Text)
		case trawl.Location:
			addNamed(places, m.Text)
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
	doc.Mentioned = slices.Sorted(maps.Keys(mentioned))
	doc.Organizations, doc.Places = sortedNamed(orgs), sortedNamed(places)
	return doc
}

// addNamed records the first spelling of a name under its key.
func addNamed(m map[string]string, name string) {
	k := text.NameKey(name)
	if _, ok := m[k]; k != "" && !ok {
		m[k] = strings.Join(strings.Fields(name), " ")
	}
}

func sortedNamed(m map[string]string) []Named {
	var out []Named
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, Named{Key: k, Name: m[k]})
	}
	return out
}

func namedKeys(ns []Named) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Key)
	}
	return out
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
