package eval

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
)

// ReadLabelKeywords reads a JSON object mapping each gold document label to
// the words that signal it, such as shared/eval/commodity_map.json
// ("alum": ["aluminium", "aluminum", ...]).
func ReadLabelKeywords(path string) (map[string][]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	var m map[string][]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("eval: %s: %w", path, err)
	}
	return m, nil
}

// CommodityLabels builds Options.CommodityLabels: each commodity id gets
// every label one of whose keywords equals, ignoring case, the id or one of
// names[id] (the catalogue's names for it). Ids that match no keyword are
// left out, so their predictions give no label. Labels are sorted.
func CommodityLabels(names map[string][]string, keywords map[string][]string) map[string][]string {
	byWord := make(map[string][]string)
	for label, words := range keywords {
		for _, w := range words {
			w = strings.ToLower(strings.TrimSpace(w))
			if !slices.Contains(byWord[w], label) {
				byWord[w] = append(byWord[w], label)
			}
		}
	}
	out := make(map[string][]string)
	for id, ns := range names {
		var labels []string
		for _, n := range append([]string{id}, ns...) {
			for _, l := range byWord[strings.ToLower(strings.TrimSpace(n))] {
				if !slices.Contains(labels, l) {
					labels = append(labels, l)
				}
			}
		}
		if len(labels) > 0 {
			slices.Sort(labels)
			out[id] = labels
		}
	}
	return out
}
