// Package report renders what reconciliation found for people to read: the
// discrepancy report as text, Markdown, JSON, HTML and CSV, and the people
// of a store as text. The CLI and the web server both render through it, so
// a discrepancy looks the same in a report file and on the web page.
package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"github.com/trawlnews/trawl"
)

// Filter keeps the discrepancies of the given kinds (all kinds when kinds is
// empty) whose confidence is at least minConfidence, in their order. Figure
// changes (FigureChange) are kept when kinds is empty or includes them.
func Filter(ds []trawl.Discrepancy, kinds []trawl.DiscrepancyKind, minConfidence float64) []trawl.Discrepancy {
	out := []trawl.Discrepancy{}
	for _, d := range ds {
		if len(kinds) > 0 && !slices.Contains(kinds, d.Kind) {
			continue
		}
		if d.Confidence < minConfidence {
			continue
		}
		out = append(out, d)
	}
	return out
}

// marked returns the evidence sentence with the mention between open and
// close, or the bare sentence when the offsets do not fit it.
func marked(e trawl.Evidence, open, close string, esc func(string) string) string {
	s := e.Sentence
	if e.MentionStart < 0 || e.MentionEnd > len(s) || e.MentionStart > e.MentionEnd {
		return esc(s)
	}
	return esc(s[:e.MentionStart]) + open + esc(s[e.MentionStart:e.MentionEnd]) + close + esc(s[e.MentionEnd:])
}

func where(e trawl.Evidence) string {
	var parts []string
	for _, s := range []string{e.Title, e.Source, e.Published} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return e.Article
	}
	return e.Article + " (" + strings.Join(parts, ", ") + ")"
}

func identity(s string) string { return s }

// oneLine folds line breaks so a quote stays on its line.
func oneLine(s string) string { return lineBreaks.Replace(s) }

var lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// ChangesHeading heads the part of a report that lists figure changes
// (FigureChange), after the discrepancies.
const ChangesHeading = "Changes reported (context, not discrepancies)"

// WriteText writes a plain report for a terminal: kind, confidence and
// summary, then each version with its articles and the sentence, the
// mention marked «like this». Figure changes follow the discrepancies under
// ChangesHeading.
func WriteText(w io.Writer, ds []trawl.Discrepancy) error {
	bw := bufio.NewWriter(w)
	discs, changes := trawl.SplitChanges(ds)
	if len(discs) == 0 {
		fmt.Fprintln(bw, "No discrepancies.")
	}
	writeTextEntries(bw, discs)
	if len(changes) > 0 {
		fmt.Fprintf(bw, "\n%s\n\n", ChangesHeading)
		writeTextEntries(bw, changes)
	}
	return bw.Flush()
}

func writeTextEntries(bw *bufio.Writer, ds []trawl.Discrepancy) {
	for i, d := range ds {
		if i > 0 {
			fmt.Fprintln(bw)
		}
		fmt.Fprintf(bw, "%d. [%s] confidence %.2f  %s\n", i+1, d.Kind, d.Confidence, d.ID)
		fmt.Fprintf(bw, "   %s\n", d.Summary)
		if d.Decided != "" {
			fmt.Fprintf(bw, "   (%s)\n", d.Decided)
		}
		for _, g := range d.Copies {
			fmt.Fprintf(bw, "   copies counted as one source: %s\n", strings.Join(g, ", "))
		}
		for _, v := range d.Versions {
			status := ""
			if v.Status != "" {
				status = " (" + string(v.Status) + ")"
			}
			fmt.Fprintf(bw, "   - %q%s\n", v.Value, status)
			for _, e := range v.Evidence {
				fmt.Fprintf(bw, "       %s\n", where(e))
				fmt.Fprintf(bw, "         %s\n", oneLine(marked(e, "«", "»", identity)))
			}
		}
	}
}

// mdEscape escapes the characters markdown would interpret.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_{}[]<>#|", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// WriteMarkdown writes the report as markdown, one section a discrepancy,
// the mention in bold inside its quoted sentence. Figure changes follow
// under ChangesHeading.
func WriteMarkdown(w io.Writer, ds []trawl.Discrepancy) error {
	bw := bufio.NewWriter(w)
	discs, changes := trawl.SplitChanges(ds)
	fmt.Fprintf(bw, "# Discrepancies\n\n")
	if len(discs) == 0 {
		fmt.Fprintf(bw, "No discrepancies.\n\n")
	}
	writeMarkdownEntries(bw, discs)
	if len(changes) > 0 {
		fmt.Fprintf(bw, "# %s\n\n", ChangesHeading)
		writeMarkdownEntries(bw, changes)
	}
	return bw.Flush()
}

func writeMarkdownEntries(bw *bufio.Writer, ds []trawl.Discrepancy) {
	for _, d := range ds {
		fmt.Fprintf(bw, "## %s: %s\n\n", d.Kind, mdEscape(d.Subject))
		fmt.Fprintf(bw, "<a id=\"%s\"></a>`%s` · confidence %.2f · score %.3f\n\n", template.HTMLEscapeString(d.ID), d.ID, d.Confidence, d.Score)
		fmt.Fprintf(bw, "%s\n\n", mdEscape(d.Summary))
		if d.Decided != "" {
			fmt.Fprintf(bw, "_%s_\n\n", mdEscape(d.Decided))
		}
		for _, g := range d.Copies {
			fmt.Fprintf(bw, "Copies counted as one source: %s\n\n", mdEscape(strings.Join(g, ", ")))
		}
		for _, v := range d.Versions {
			status := ""
			if v.Status != "" {
				status = " (" + string(v.Status) + ")"
			}
			fmt.Fprintf(bw, "- **%s**%s\n", mdEscape(v.Value), status)
			for _, e := range v.Evidence {
				fmt.Fprintf(bw, "  - %s: %s\n", mdEscape(where(e)), oneLine(marked(e, "**", "**", mdEscape)))
			}
		}
		fmt.Fprintln(bw)
	}
}

// jsonReport is the top level of WriteJSON's output; see
// docs/discrepancies-json.md.
type jsonReport struct {
	Version int `json:"version"`
	// Count is the length of Discrepancies, figure changes included;
	// Changes is how many of them are figure changes.
	Count         int                 `json:"count"`
	Changes       int                 `json:"changes"`
	Discrepancies []trawl.Discrepancy `json:"discrepancies"`
}

// WriteJSON writes the report as indented JSON, documented in
// docs/discrepancies-json.md.
func WriteJSON(w io.Writer, ds []trawl.Discrepancy) error {
	if ds == nil {
		ds = []trawl.Discrepancy{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_, changes := trawl.SplitChanges(ds)
	if err := enc.Encode(jsonReport{Version: 1, Count: len(ds), Changes: len(changes), Discrepancies: ds}); err != nil {
		return fmt.Errorf("report: write json: %w", err)
	}
	return nil
}
