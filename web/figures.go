package web

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/figures"
	"github.com/trawlnews/trawl/store"
)

func init() {
	pageNames = append(pageNames, "figures", "figure", "batch")
}

// storeFigures collects the figure series of the store's articles.
func (s *server) storeFigures() ([]figures.Series, error) {
	return withStore(s, func(st *store.Store) ([]figures.Series, error) {
		col := figures.NewCollector()
		err := st.Articles(func(a trawl.Article) error {
			col.Add(a)
			return nil
		})
		return col.Series(), err
	})
}

// figureURL is the address of a series' page.
func figureURL(key string) string { return "/figures/" + url.PathEscape(key) }

// figuresView is the data of the figures index page.
type figuresView struct {
	Series     []seriesRow
	Filter     string
	Total      int
	First      int
	Last       int
	Prev, Next string
}

// FiguresPageSize is the number of series a page of /figures lists.
const FiguresPageSize = 100

type seriesRow struct {
	Subject, Key, Href, First, Last string
	Points, Articles, Conflicts     int
}

func (s *server) figuresPage(r *http.Request) (string, view, error) {
	series, err := s.storeFigures()
	if err != nil {
		return "", view{}, err
	}
	fv := figuresView{Filter: strings.TrimSpace(r.URL.Query().Get("q"))}
	if len(fv.Filter) > MaxQueryBytes {
		return "", view{}, errBadRequest("q: longer than %d bytes", MaxQueryBytes)
	}
	page := 1
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxPage {
			return "", view{}, errBadRequest("page %q: want 1 to %d", v, MaxPage)
		}
		page = n
	}
	if fv.Filter != "" {
		series = figures.Match(series, fv.Filter)
	}
	fv.Total = len(series)
	lo := min((page-1)*FiguresPageSize, len(series))
	hi := min(lo+FiguresPageSize, len(series))
	fv.First, fv.Last = lo+1, hi
	at := func(p int) string {
		v := url.Values{}
		if fv.Filter != "" {
			v.Set("q", fv.Filter)
		}
		if p > 1 {
			v.Set("page", strconv.Itoa(p))
		}
		if len(v) == 0 {
			return "/figures"
		}
		return "/figures?" + v.Encode()
	}
	if page > 1 {
		fv.Prev = at(page - 1)
	}
	if hi < len(series) {
		fv.Next = at(page + 1)
	}
	for _, sr := range series[lo:hi] {
		row := seriesRow{Subject: sr.Subject, Key: sr.Key, Href: figureURL(sr.Key), Points: len(sr.Points), Articles: sr.Articles, Conflicts: sr.Conflicts}
		for _, p := range sr.Points {
			if p.Date == "" {
				continue
			}
			if row.First == "" || p.Date < row.First {
				row.First = p.Date
			}
			if p.Date > row.Last {
				row.Last = p.Date
			}
		}
		fv.Series = append(fv.Series, row)
	}
	return "figures", view{Title: "Figures", Nav: "figures", Page: fv}, nil
}

// figureView is the data of one series' page.
type figureView struct {
	Series figures.Series
	Chart  template.HTML
	Points []pointView
	// Download is the address of the series as CSV.
	Download string
}

type pointView struct {
	figures.Point
	Href                   string
	Before, Figure, After  string
	ValueText, DateSourceT string
}

func (s *server) figurePage(r *http.Request) (string, view, error) {
	key, err := idParam(r)
	if err != nil {
		return "", view{}, err
	}
	series, err := s.storeFigures()
	if err != nil {
		return "", view{}, err
	}
	sr, ok := figures.Find(series, key)
	if !ok {
		return "", view{}, errNotFound("no figures for %q", key)
	}
	fv := figureView{Series: sr, Chart: chartSVG(sr), Download: "/api/figures?format=csv&subject=" + url.QueryEscape(sr.Key)}
	for _, p := range sr.Points {
		pv := pointView{Point: p, Href: articleURL(p.Article, mentionAnchor(p.Start, p.End)), ValueText: valueText(p), DateSourceT: p.DateSource}
		if p.MentionStart >= 0 && p.MentionStart <= p.MentionEnd && p.MentionEnd <= len(p.Sentence) {
			pv.Before, pv.Figure, pv.After = p.Sentence[:p.MentionStart], p.Sentence[p.MentionStart:p.MentionEnd], p.Sentence[p.MentionEnd:]
		} else {
			pv.Before = p.Sentence
		}
		fv.Points = append(fv.Points, pv)
	}
	return "figure", view{Title: sr.Subject, Nav: "figures", Page: fv}, nil
}

// valueText is a point's value as a reader writes it: "25%", "0.5 points",
// "25% → 50%", with the direction.
func valueText(p figures.Point) string {
	unit := "%"
	if p.Unit == "points" {
		unit = " points"
	}
	v := p.Value + unit
	if p.From != "" {
		v = p.From + unit + " → " + v
	}
	if p.Change != "" {
		v += " (" + p.Change + ")"
	}
	return v
}

// pointTime reads a TIMEX3-style date as the first day it covers: 2025,
// 2025-06, 2025-06-11, 2025-Q2, 2025-H1, 2025-W23; ok is false for anything
// else.
func pointTime(v string) (time.Time, bool) {
	if len(v) < 4 {
		return time.Time{}, false
	}
	y, err := strconv.Atoi(v[:4])
	if err != nil {
		return time.Time{}, false
	}
	switch {
	case len(v) == 4:
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), true
	case len(v) >= 10:
		t, err := time.Parse("2006-01-02", v[:10])
		return t, err == nil
	case len(v) == 7 && v[4] == '-' && v[5] >= '0' && v[5] <= '9':
		t, err := time.Parse("2006-01", v)
		return t, err == nil
	case len(v) == 7 && v[4] == '-' && v[5] == 'Q':
		q, err := strconv.Atoi(v[6:])
		if err != nil || q < 1 || q > 4 {
			return time.Time{}, false
		}
		return time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC), true
	case len(v) == 7 && v[4] == '-' && v[5] == 'H':
		if v[6] == '2' {
			return time.Date(y, 7, 1, 0, 0, 0, 0, time.UTC), true
		}
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), true
	case len(v) == 8 && v[4:6] == "-W":
		w, err := strconv.Atoi(v[6:])
		if err != nil {
			return time.Time{}, false
		}
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7*(w-1)), true
	}
	return time.Time{}, false
}

// The chart's size in SVG user units and its margins.
const (
	chartW, chartH                  = 720.0, 300.0
	marginL, marginR, marginT, marg = 56.0, 16.0, 16.0, 40.0
)

// chartSVG draws a series as an SVG scatter of value against date: one
// mark per dated point, linked to its sentence on the article page, a
// conflicting point drawn larger in the conflict colour, points in
// percentage points as squares. The drawing is plain SVG with presentation
// attributes, so it needs neither script nor inline style.
func chartSVG(s figures.Series) template.HTML {
	type mark struct {
		t time.Time
		v float64
		p figures.Point
	}
	var marks []mark
	for _, p := range s.Points {
		t, ok := pointTime(p.Date)
		v, err := strconv.ParseFloat(p.Value, 64)
		if ok && err == nil && !math.IsInf(v, 0) && !math.IsNaN(v) {
			marks = append(marks, mark{t, v, p})
		}
	}
	if len(marks) == 0 {
		return ""
	}
	t0, t1 := marks[0].t, marks[0].t
	first, last := marks[0].p.Date, marks[0].p.Date
	v0, v1 := 0.0, marks[0].v
	for _, m := range marks {
		if m.t.Before(t0) {
			first = m.p.Date
		}
		if m.t.After(t1) {
			last = m.p.Date
		}
		t0, t1 = minTime(t0, m.t), maxTime(t1, m.t)
		v0, v1 = math.Min(v0, m.v), math.Max(v1, m.v)
	}
	// Four gridlines at a round step (1, 2, 2.5 or 5 times a power of ten)
	// from 0, or from below the least value when it is negative.
	step := niceStep(math.Max(v1-v0, 1e-9) / 4)
	v0 = math.Floor(v0/step) * step
	for v0+4*step < v1 {
		step = niceStep(step * 1.01)
	}
	v1 = v0 + 4*step
	single := t0.Equal(t1)
	span := t1.Sub(t0).Hours()
	if single {
		span = 24
		t0 = t0.Add(-12 * time.Hour)
	}
	plotW, plotH := chartW-marginL-marginR, chartH-marginT-marg
	x := func(t time.Time) float64 { return marginL + plotW*t.Sub(t0).Hours()/span }
	y := func(v float64) float64 { return marginT + plotH*(1-(v-v0)/(v1-v0)) }
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %s %s" role="img" aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg">`, f(chartW), f(chartH))
	fmt.Fprintf(&b, `<title id="chart-title">%s: %d figures over time</title>`, template.HTMLEscapeString(s.Subject), len(marks))
	// Axes, with ticks at five values and at the first and last date.
	fmt.Fprintf(&b, `<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#555"/>`, f(marginL), f(marginT+plotH), f(chartW-marginR), f(marginT+plotH))
	fmt.Fprintf(&b, `<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#555"/>`, f(marginL), f(marginT), f(marginL), f(marginT+plotH))
	for i := 0; i <= 4; i++ {
		v := v0 + (v1-v0)*float64(i)/4
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#ddd"/>`, f(marginL), f(y(v)), f(chartW-marginR), f(y(v)))
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" font-size="12" fill="#333">%s</text>`, f(marginL-6), f(y(v)+4), strconv.FormatFloat(v, 'g', 3, 64))
	}
	type tick struct {
		t            time.Time
		label, align string
	}
	ticks := []tick{{t0, first, "start"}, {t1, last, "end"}}
	if single {
		ticks = []tick{{t1, last, "middle"}}
	}
	for _, tk := range ticks {
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="%s" font-size="12" fill="#333">%s</text>`, f(x(tk.t)), f(chartH-marg/2+4), tk.align, template.HTMLEscapeString(tk.label))
	}
	for _, m := range marks {
		label := fmt.Sprintf("%s: %s, %s", m.p.Date, valueText(m.p), m.p.Article)
		if m.p.Conflict {
			label += " (conflicting figure)"
		}
		fill, r := "#1f5fa8", 5.0
		if m.p.Conflict {
			fill, r = "#c62828", 7.0
		}
		fmt.Fprintf(&b, `<a href="%s" class="point">`, template.HTMLEscapeString(articleURL(m.p.Article, mentionAnchor(m.p.Start, m.p.End))))
		fmt.Fprintf(&b, `<title>%s</title>`, template.HTMLEscapeString(label))
		cx, cy := x(m.t), y(m.v)
		if m.p.Unit == "points" {
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`, f(cx-r), f(cy-r), f(2*r), f(2*r), fill)
		} else {
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="%s" fill="%s"/>`, f(cx), f(cy), f(r), fill)
		}
		b.WriteString(`</a>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// niceStep is the least round number (1, 2, 2.5 or 5 times a power of ten)
// not below raw.
func niceStep(raw float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
