package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/trawlnews/trawl"
)

// csvHeader names the columns of WriteCSV.
var csvHeader = []string{"id", "kind", "subject", "value", "status", "articles", "confidence"}

// WriteCSV writes the report as CSV (RFC 4180) for a spreadsheet: a header,
// then one row per version of each discrepancy, in report order, figure
// changes included (kind figure-change). The articles column lists the ids
// of the articles quoted as evidence for the version, separated by "; ";
// confidence is the discrepancy's, from 0 to 1.
func WriteCSV(w io.Writer, ds []trawl.Discrepancy) error {
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	for _, d := range ds {
		for _, v := range d.Versions {
			var arts []string
			for _, e := range v.Evidence {
				if !slices.Contains(arts, e.Article) {
					arts = append(arts, e.Article)
				}
			}
			cw.Write([]string{d.ID, string(d.Kind), d.Subject, v.Value, string(v.Status),
				strings.Join(arts, "; "), strconv.FormatFloat(d.Confidence, 'f', -1, 64)})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("report: write csv: %w", err)
	}
	return nil
}
