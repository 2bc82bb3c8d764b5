package reconcile

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
	discs, changes := SplitChanges(ds)
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
		for _, v := range d.Versions {
			status := ""
			if v.Status != "" {
				status = " (" + v.Status + ")"
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
	discs, changes := SplitChanges(ds)
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
		for _, v := range d.Versions {
			status := ""
			if v.Status != "" {
				status = " (" + v.Status + ")"
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
	_, changes := SplitChanges(ds)
	if err := enc.Encode(jsonReport{Version: 1, Count: len(ds), Changes: len(changes), Discrepancies: ds}); err != nil {
		return fmt.Errorf("reconcile: write json: %w", err)
	}
	return nil
}

var htmlReport = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct": func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"pre": func(e trawl.Evidence) string { return oneLine(prefix(e)) },
	"men": func(e trawl.Evidence) string { return mention(e) },
	"suf": func(e trawl.Evidence) string { return oneLine(suffix(e)) },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Discrepancies</title>
<style>
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:46rem;padding:1rem;color:#1d1d1f;background:#fff}
h1{font-size:1.4rem}
section{border:1px solid #d0d0d5;border-radius:8px;padding:.75rem 1rem;margin:1rem 0}
section:target{border-color:#b35c00;box-shadow:0 0 0 3px #ffd7a8}
h2{font-size:1.05rem;margin:.2rem 0}
h2 a{color:inherit;text-decoration:none}
.meta{color:#5f5f66;font-size:.85rem}
.kind{display:inline-block;background:#eef;border-radius:4px;padding:0 .35rem;margin-right:.35rem}
.decided{color:#25632a;font-style:italic}
ul{padding-left:1.1rem}
li{margin:.35rem 0}
.version{font-weight:600}
.status{color:#5f5f66;font-weight:normal}
blockquote{margin:.25rem 0 .5rem;padding-left:.6rem;border-left:3px solid #d0d0d5;overflow-wrap:anywhere}
mark{background:#ffe08a;padding:0 .1rem}
@media (prefers-color-scheme:dark){body{background:#16161a;color:#e8e8ec}section{border-color:#3a3a44}.meta,.status{color:#a0a0aa}.kind{background:#2a2a44}mark{background:#8a6d00;color:#fff}}
</style>
</head>
<body>
<h1>Discrepancies ({{len .Discrepancies}})</h1>
{{if not .Discrepancies}}<p>No discrepancies.</p>{{end}}
{{range .Discrepancies}}{{template "entry" .}}{{end}}
{{- if .Changes}}<h1 id="changes">{{.ChangesHeading}}</h1>
{{range .Changes}}{{template "entry" .}}{{end}}
{{- end}}</body>
</html>
{{define "entry"}}<section id="{{.ID}}">
<h2><a href="#{{.ID}}"><span class="kind">{{.Kind}}</span>{{.Subject}}</a></h2>
<p class="meta">confidence {{pct .Confidence}} · score {{printf "%.3f" .Score}} · <code>{{.ID}}</code></p>
<p>{{.Summary}}</p>
{{if .Decided}}<p class="decided">{{.Decided}}</p>{{end}}
<ul>
{{range .Versions}}<li><span class="version">{{.Value}}</span>{{if .Status}} <span class="status">({{.Status}})</span>{{end}}
<ul>
{{range .Evidence}}<li><span class="meta">{{.Article}}{{if .Title}} · {{.Title}}{{end}}{{if .Source}} · {{.Source}}{{end}}{{if .Published}} · {{.Published}}{{end}}</span>
<blockquote>{{pre .}}<mark>{{men .}}</mark>{{suf .}}</blockquote></li>
{{end}}</ul></li>
{{end}}</ul>
</section>
{{end}}`))

func fits(e trawl.Evidence) bool {
	return e.MentionStart >= 0 && e.MentionEnd <= len(e.Sentence) && e.MentionStart <= e.MentionEnd
}

func prefix(e trawl.Evidence) string {
	if !fits(e) {
		return e.Sentence
	}
	return e.Sentence[:e.MentionStart]
}

func mention(e trawl.Evidence) string {
	if !fits(e) {
		return ""
	}
	return e.Sentence[e.MentionStart:e.MentionEnd]
}

func suffix(e trawl.Evidence) string {
	if !fits(e) {
		return ""
	}
	return e.Sentence[e.MentionEnd:]
}

// htmlData is what the HTML report template shows.
type htmlData struct {
	Discrepancies, Changes []trawl.Discrepancy
	ChangesHeading         string
}

// WriteHTML writes the report as one self-contained HTML page (inline CSS,
// no scripts, no network), readable on a phone; each discrepancy is a
// section linkable by #id and mentions are highlighted with <mark>. Figure
// changes follow under ChangesHeading.
func WriteHTML(w io.Writer, ds []trawl.Discrepancy) error {
	discs, changes := SplitChanges(ds)
	if err := htmlReport.Execute(w, htmlData{discs, changes, ChangesHeading}); err != nil {
		return fmt.Errorf("reconcile: write html: %w", err)
	}
	return nil
}
