package eval

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/trawlnews/trawl"
)

// kinds returns the scored types of r in trawl.Kinds order, others after.
func (r *Report) kinds() []trawl.Kind {
	ks := make([]trawl.Kind, 0, len(r.Types))
	for k := range r.Types {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(a, b trawl.Kind) int {
		return cmp.Or(cmp.Compare(kindRank(a), kindRank(b)), cmp.Compare(a, b))
	})
	return ks
}

// ratio formats a score with three decimals, or "-" when it is undefined.
func ratio(v float64, defined bool) string {
	if !defined {
		return "-"
	}
	return fmt.Sprintf("%.3f", v)
}

// cells formats P, R and F1; partial hides P and F1.
func (p PRF) cells(partial bool) (string, string, string) {
	return ratio(p.P, !partial && p.TP+p.FP > 0),
		ratio(p.R, p.TP+p.FN > 0),
		ratio(p.F1, !partial && p.TP+p.FP+p.FN > 0)
}

// String formats the accuracy with its counts, "-" when nothing was counted.
func (a Accuracy) String() string {
	if a.Total == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f (%d/%d)", a.Acc, a.Correct, a.Total)
}

// typeName marks partial types with an asterisk.
func typeName(k trawl.Kind, ts *TypeScore) string {
	if ts.Partial {
		return string(k) + "*"
	}
	return string(k)
}

// WriteText writes r as aligned plain-text tables for a terminal.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d docs\n", r.Name, r.Docs)
	if len(r.Types) > 0 {
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(tw, "type\tgold\tpred\tstrict P\tR\tF1\tlenient P\tR\tF1\t\n")
		partial := false
		for _, k := range r.kinds() {
			ts := r.Types[k]
			partial = partial || ts.Partial
			sp, sr, sf := ts.Strict.cells(ts.Partial)
			lp, lr, lf := ts.Lenient.cells(ts.Partial)
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n",
				typeName(k, ts), ts.Gold, ts.Pred, sp, sr, sf, lp, lr, lf)
		}
		tw.Flush()
		if partial {
			b.WriteString("* partly annotated: recall only\n")
		}
	}
	if _, ok := r.Types[trawl.Date]; ok {
		fmt.Fprintf(&b, "DATE values correct: %s\n", r.DateValue)
	}
	if _, ok := r.Types[trawl.Percent]; ok {
		fmt.Fprintf(&b, "PERCENT values correct: %s\n", r.PercentValue)
	}
	if g := r.Grouping; g != nil {
		pp, pr, pf := g.Pairwise.cells(false)
		bp, br, bf := g.BCubed.bcubedCells(g.Mentions)
		fmt.Fprintf(&b, "person grouping over %d found mentions: pairwise P %s R %s F1 %s; B-cubed P %s R %s F1 %s\n",
			g.Mentions, pp, pr, pf, bp, br, bf)
	}
	if c := r.Commodities; c != nil {
		p, rr, f := c.cells(false)
		fmt.Fprintf(&b, "commodity labels: P %s R %s F1 %s (TP %d FP %d FN %d)\n", p, rr, f, c.TP, c.FP, c.FN)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// cells3 formats B-cubed scores, defined whenever a mention was found.
func (p PRF) bcubedCells(mentions int) (string, string, string) {
	ok := mentions > 0
	return ratio(p.P, ok), ratio(p.R, ok), ratio(p.F1, ok)
}

// WriteErrors writes r's errors, one a line, for a terminal: all of them
// when Options.AllErrors kept them, else the sample.
func (r *Report) WriteErrors(w io.Writer) error {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 1, ' ', 0)
	errs := r.Errors
	if r.AllErrors != nil {
		errs = r.AllErrors
	}
	for _, e := range errs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%q", e.Type, e.Kind, e.Doc, e.Text)
		switch {
		case e.Kind == Value:
			fmt.Fprintf(tw, " want %q got %q", e.Want, e.Got)
		case e.Kind == Boundary || e.Got != "":
			fmt.Fprintf(tw, " got %q", e.Got)
		}
		if e.Context != "" {
			fmt.Fprintf(tw, ": %s", e.Context)
		}
		fmt.Fprint(tw, "\n")
	}
	tw.Flush()
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the body of docs/accuracy.md for reports, one per
// gold file: span scores per file and type (strict and lenient), value
// accuracies, person grouping, commodity labels, then the error examples.
func WriteMarkdown(w io.Writer, reports []*Report) error {
	var b strings.Builder

	b.WriteString("## Mention spans\n\n")
	b.WriteString("Strict: exact offsets and type. Lenient: overlapping spans of the same type, matched one to one " +
		"(exact matches first, then each gold mention in start order takes the unmatched prediction that overlaps it most). " +
		"Predictions on a gold `ignore` span that overlap no gold mention of their type are dropped. " +
		"A type marked * is annotated only in part of each text: its recall is measured, its precision and F1 are not.\n\n")
	b.WriteString("| file | docs | type | gold | pred | strict P | strict R | strict F1 | lenient P | lenient R | lenient F1 |\n")
	b.WriteString("|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, r := range reports {
		if len(r.Types) == 0 {
			fmt.Fprintf(&b, "| %s | %d | (none) | | | | | | | | |\n", md(r.Name), r.Docs)
		}
		for _, k := range r.kinds() {
			ts := r.Types[k]
			sp, sr, sf := ts.Strict.cells(ts.Partial)
			lp, lr, lf := ts.Lenient.cells(ts.Partial)
			fmt.Fprintf(&b, "| %s | %d | %s | %d | %d | %s | %s | %s | %s | %s | %s |\n",
				md(r.Name), r.Docs, md(typeName(k, ts)), ts.Gold, ts.Pred, sp, sr, sf, lp, lr, lf)
		}
	}

	var values []*Report
	for _, r := range reports {
		if r.DateValue.Total+r.PercentValue.Total > 0 {
			values = append(values, r)
		}
	}
	if len(values) > 0 {
		b.WriteString("\n## Normalised values\n\n")
		b.WriteString("Of the gold DATE and PERCENT mentions found (lenient) that have a value, the share whose predicted value " +
			"equals it (PERCENT compared as numbers). Ranges without a gold value are not counted.\n\n")
		b.WriteString("| file | DATE value accuracy | PERCENT value accuracy |\n|---|--:|--:|\n")
		for _, r := range values {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", md(r.Name), r.DateValue, r.PercentValue)
		}
	}

	var grouped []*Report
	for _, r := range reports {
		if r.Grouping != nil {
			grouped = append(grouped, r)
		}
	}
	if len(grouped) > 0 {
		b.WriteString("\n## Person grouping\n\n")
		b.WriteString("Cross-document grouping of the gold PERSON mentions that were found (lenient) and have a gold entity, " +
			"across all articles of the file: pairwise over mention pairs, and B-cubed averaged over mentions. " +
			"Unlabelled predictions cannot affect these scores.\n\n")
		b.WriteString("| file | mentions found | pairwise P | pairwise R | pairwise F1 | B-cubed P | B-cubed R | B-cubed F1 |\n")
		b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|\n")
		for _, r := range grouped {
			g := r.Grouping
			pp, pr, pf := g.Pairwise.cells(false)
			bp, br, bf := g.BCubed.bcubedCells(g.Mentions)
			fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s | %s |\n", md(r.Name), g.Mentions, pp, pr, pf, bp, br, bf)
		}
	}

	var labelled []*Report
	for _, r := range reports {
		if r.Commodities != nil {
			labelled = append(labelled, r)
		}
	}
	if len(labelled) > 0 {
		b.WriteString("\n## Commodity labels\n\n")
		b.WriteString("Document-level labels: the labels the predicted commodities map to against the gold labels; " +
			"documents with no gold label and no prediction count nothing.\n\n")
		b.WriteString("| file | docs | TP | FP | FN | P | R | F1 |\n|---|--:|--:|--:|--:|--:|--:|--:|\n")
		for _, r := range labelled {
			c := r.Commodities
			p, rr, f := c.cells(false)
			fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %s | %s | %s |\n", md(r.Name), r.Docs, c.TP, c.FP, c.FN, p, rr, f)
		}
	}

	var withErrors []*Report
	for _, r := range reports {
		if len(r.Errors) > 0 {
			withErrors = append(withErrors, r)
		}
	}
	if len(withErrors) > 0 {
		b.WriteString("\n## Error examples\n\n")
		fmt.Fprintf(&b, "At most %d per file, type and kind, spread over the file. missed: gold with no prediction; "+
			"spurious: prediction with no gold; boundary: found with other offsets; value: found with another value.\n", MaxExamples)
		for _, r := range withErrors {
			fmt.Fprintf(&b, "\n### %s\n\n", md(r.Name))
			b.WriteString("| type | error | doc | text | want | got | context |\n|---|---|---|---|---|---|---|\n")
			for _, e := range r.Errors {
				fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n",
					e.Type, e.Kind, md(e.Doc), md(e.Text), md(e.Want), md(e.Got), mdContext(e.Context))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdEscaper escapes what Markdown would read as markup inside a table cell.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`",
	"[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "#", `\#`,
)

// md escapes s for a Markdown table cell.
func md(s string) string { return mdEscaper.Replace(oneLine(s)) }

// mdContext escapes a context and shows its [[mention]] in bold.
func mdContext(s string) string {
	i := strings.Index(s, "[[")
	j := strings.LastIndex(s, "]]")
	if i < 0 || j < i {
		return md(s)
	}
	return md(s[:i]) + "**" + md(s[i+2:j]) + "**" + md(s[j+2:])
}
