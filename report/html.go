package report

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/trawlnews/trawl"
)

// Links say where the HTML rendering of a discrepancy links to. The zero
// value suits a standalone page: the heading links to the discrepancy's own
// anchor and the evidence links nowhere.
type Links struct {
	// Entity returns the address of an entity's page; the heading of a
	// discrepancy about an entity links there.
	Entity func(id string) string
	// Evidence returns the address of the mention an evidence quotes; the
	// article id of the evidence links there.
	Evidence func(e trawl.Evidence) string
}

// discrepancyBlock is the one HTML rendering of a discrepancy: a <section>
// whose id is the discrepancy's, every version with its evidence sentences,
// the mention marked with <mark>.
const discrepancyBlock = `<section id="{{.ID}}">
<h2><a href="{{with .EntityHref}}{{.}}{{else}}#{{$.ID}}{{end}}"><span class="kind">{{.Kind}}</span>{{.Subject}}</a></h2>
<p class="meta">confidence {{pct .Confidence}} · score {{printf "%.3f" .Score}} · <code>{{.ID}}</code></p>
<p>{{.Summary}}</p>
{{if .Decided}}<p class="decided">{{.Decided}}</p>{{end}}
{{range .Copies}}<p class="meta">copies counted as one source: {{join .}}</p>
{{end}}<ul>
{{range .Versions}}<li><span class="version">{{.Value}}</span>{{if .Status}} <span class="status">({{.Status}})</span>{{end}}
<ul>
{{range .Evidence}}<li><span class="meta">{{if .Href}}<a href="{{.Href}}">{{.Article}}</a>{{else}}{{.Article}}{{end}}{{if .Title}} · {{.Title}}{{end}}{{if .Source}} · {{.Source}}{{end}}{{if .Published}} · {{.Published}}{{end}}</span>
<blockquote>{{.Before}}<mark>{{.Mention}}</mark>{{.After}}</blockquote></li>
{{end}}</ul></li>
{{end}}</ul>
</section>
`

var discrepancyTemplate = template.Must(template.New("discrepancy").Funcs(template.FuncMap{
	"pct":  func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"join": func(ids []string) string { return strings.Join(ids, ", ") },
}).Parse(discrepancyBlock))

// htmlDiscrepancy is what discrepancyBlock shows of a discrepancy.
type htmlDiscrepancy struct {
	trawl.Discrepancy
	EntityHref string
	Versions   []htmlVersion
}

type htmlVersion struct {
	Value, Status string
	Evidence      []htmlEvidence
}

// htmlEvidence is an evidence sentence cut around its mention, on one line.
type htmlEvidence struct {
	trawl.Evidence
	Href                   string
	Before, Mention, After string
}

// DiscrepancyHTML renders one discrepancy as an HTML <section> whose id is
// the discrepancy's. The standalone report (WriteHTML) and the web server's
// page both show a discrepancy this way; l says where it links to.
func DiscrepancyHTML(d trawl.Discrepancy, l Links) (template.HTML, error) {
	v := htmlDiscrepancy{Discrepancy: d}
	if d.Entity != "" && l.Entity != nil {
		v.EntityHref = l.Entity(d.Entity)
	}
	for _, ver := range d.Versions {
		hv := htmlVersion{Value: ver.Value, Status: string(ver.Status)}
		for _, e := range ver.Evidence {
			he := htmlEvidence{Evidence: e, Before: oneLine(e.Sentence)}
			if fits(e) {
				he.Before = oneLine(e.Sentence[:e.MentionStart])
				he.Mention = e.Sentence[e.MentionStart:e.MentionEnd]
				he.After = oneLine(e.Sentence[e.MentionEnd:])
			}
			if l.Evidence != nil {
				he.Href = l.Evidence(e)
			}
			hv.Evidence = append(hv.Evidence, he)
		}
		v.Versions = append(v.Versions, hv)
	}
	var b strings.Builder
	if err := discrepancyTemplate.Execute(&b, v); err != nil {
		return "", fmt.Errorf("report: render discrepancy %s: %w", d.ID, err)
	}
	return template.HTML(b.String()), nil
}

// fits reports whether the mention offsets of e cut its sentence between
// characters.
func fits(e trawl.Evidence) bool {
	s := e.Sentence
	return 0 <= e.MentionStart && e.MentionStart <= e.MentionEnd && e.MentionEnd <= len(s) &&
		boundary(s, e.MentionStart) && boundary(s, e.MentionEnd)
}

// boundary reports whether byte offset i of s starts a character or is the
// end of s.
func boundary(s string, i int) bool { return i == len(s) || utf8.RuneStart(s[i]) }

var htmlReport = template.Must(template.New("report").Funcs(template.FuncMap{
	"discrepancy": func(d trawl.Discrepancy) (template.HTML, error) { return DiscrepancyHTML(d, Links{}) },
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
{{range .Discrepancies}}{{discrepancy .}}{{end}}
{{- if .Changes}}<h1 id="changes">{{.ChangesHeading}}</h1>
{{range .Changes}}{{discrepancy .}}{{end}}
{{- end}}</body>
</html>
`))

// htmlData is what the HTML report template shows.
type htmlData struct {
	Discrepancies, Changes []trawl.Discrepancy
	ChangesHeading         string
}

// WriteHTML writes the report as one self-contained HTML page (inline CSS,
// no scripts, no network), readable on a phone; each discrepancy is a
// section linkable by #id (see DiscrepancyHTML) and mentions are
// highlighted with <mark>. Figure changes follow under ChangesHeading.
func WriteHTML(w io.Writer, ds []trawl.Discrepancy) error {
	discs, changes := trawl.SplitChanges(ds)
	if err := htmlReport.Execute(w, htmlData{discs, changes, ChangesHeading}); err != nil {
		return fmt.Errorf("report: write html: %w", err)
	}
	return nil
}
