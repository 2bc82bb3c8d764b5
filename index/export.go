package index

import (
	"context"
	"errors"
	"strconv"
	"strings"
)

// ExportHit is a hit as the CSV and JSON Lines exports of a search write
// it: display data, no HTML.
type ExportHit struct {
	ID        string   `json:"id"`
	Title     string   `json:"title,omitempty"`
	Source    string   `json:"source,omitempty"`
	Published string   `json:"published,omitempty"`
	Score     float64  `json:"score"`
	People    []Person `json:"people"`
	// Commodities are the catalogue ids the article mentions.
	Commodities []string `json:"commodities"`
	// Snippet is the plain-text extract around the matches.
	Snippet string `json:"snippet,omitempty"`
}

// Export returns the hit's export form.
func (h Hit) Export() ExportHit {
	return ExportHit{
		ID: h.ID, Title: h.Title, Source: h.Source, Published: h.Published, Score: h.Score,
		People: nonNilSlice(h.People), Commodities: nonNilSlice(h.Commodities), Snippet: strings.Join(h.Fragments, ""),
	}
}

// ExportHeader names the CSV columns of ExportHit.Cells.
var ExportHeader = []string{"id", "title", "source", "published", "score", "people", "commodities", "snippet"}

// Cells is the hit's CSV cells, in ExportHeader order; people (canonical
// names) and commodities are joined with "; ".
func (h ExportHit) Cells() []string {
	var people []string
	for _, p := range h.People {
		people = append(people, p.Canonical)
	}
	return []string{h.ID, h.Title, h.Source, h.Published, strconv.FormatFloat(h.Score, 'f', 4, 64),
		strings.Join(people, "; "), strings.Join(h.Commodities, "; "), h.Snippet}
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// BatchResult is what one query of a batch found.
type BatchResult struct {
	// Query is the line of the batch as given.
	Query string `json:"query"`
	// Total is the number of matching articles.
	Total uint64 `json:"total"`
	// Best are the best hits, at most the batch's limit.
	Best []ExportHit `json:"best"`
	// Error says why the query could not be run (a syntax error or an
	// unknown filter value); Total is then 0.
	Error string `json:"error,omitempty"`
}

// Batch runs each query of queries with the filters, sort and limit of
// base and returns one result per query, in order. A query the index
// cannot parse gives a result with its Error, not an error: one bad line
// does not stop a batch. Any other error, or ctx ending, stops it.
func (ix *Index) Batch(ctx context.Context, queries []string, base Query) ([]BatchResult, error) {
	out := make([]BatchResult, 0, len(queries))
	for _, text := range queries {
		q := base
		q.Text, q.Offset = text, 0
		res, err := ix.Search(ctx, q)
		var qe *QueryError
		switch {
		case errors.As(err, &qe):
			out = append(out, BatchResult{Query: text, Best: []ExportHit{}, Error: qe.Msg})
			continue
		case err != nil:
			return out, err
		}
		br := BatchResult{Query: text, Total: res.Total, Best: make([]ExportHit, 0, len(res.Hits))}
		for _, h := range res.Hits {
			br.Best = append(br.Best, h.Export())
		}
		out = append(out, br)
	}
	return out, nil
}

// BatchHeader names the CSV columns of BatchRows: one row per best hit of
// each query, and one row with empty hit columns for a query that found
// nothing.
var BatchHeader = []string{"query", "total", "rank", "id", "title", "source", "published", "score", "error"}

// BatchRows is the CSV rows of batch results, in BatchHeader order.
func BatchRows(rs []BatchResult) [][]string {
	var out [][]string
	for _, r := range rs {
		total := strconv.FormatUint(r.Total, 10)
		if len(r.Best) == 0 {
			out = append(out, []string{r.Query, total, "", "", "", "", "", "", r.Error})
		}
		for i, h := range r.Best {
			out = append(out, []string{r.Query, total, strconv.Itoa(i + 1), h.ID, h.Title, h.Source, h.Published,
				strconv.FormatFloat(h.Score, 'f', 4, 64), ""})
		}
	}
	return out
}

// ReadBatch splits the text of a batch file into queries: one a line,
// blank lines and lines starting with '#' left out, spaces trimmed.
func ReadBatch(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out
}
