package main

import (
	"fmt"
	"html"
	"io"
	"math"
	"slices"
	"strings"
)

// scalePoint is one ingest of a new store at one corpus size: the points of
// the scaling chart.
type scalePoint struct {
	scale  int     // copies of the 1x corpus
	mbytes float64 // corpus size in MB (10^6 bytes)
	rate   float64 // ingest MB/s
	rssMB  float64 // peak RSS in MB
}

// writeChart draws ingest throughput and peak RSS against corpus size as an
// SVG of two panels side by side, the x axis logarithmic (corpus sizes grow
// by factors). It draws nothing but a note when there are no points.
func writeChart(w io.Writer, title string, pts []scalePoint) error {
	const (
		panelW, panelH = 360.0, 220.0
		left, top      = 60.0, 40.0
		gap            = 90.0
	)
	pts = slices.Clone(pts)
	slices.SortFunc(pts, func(a, b scalePoint) int { return a.scale - b.scale })
	width := left + 2*panelW + gap + 20
	height := top + panelH + 60
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="20" font-size="14">%s</text>`+"\n", left, html.EscapeString(title))
	if len(pts) == 0 {
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f">no ingest runs</text>`+"\n", left, top+20)
		b.WriteString("</svg>\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	panel := func(x0 float64, label, unit string, value func(scalePoint) float64) {
		ymax := 0.0
		for _, p := range pts {
			ymax = max(ymax, value(p))
		}
		ymax = niceCeil(ymax)
		lo, hi := math.Log10(float64(pts[0].scale)), math.Log10(float64(pts[len(pts)-1].scale))
		if hi == lo {
			lo, hi = lo-0.5, hi+0.5
		}
		px := func(s int) float64 { return x0 + (math.Log10(float64(s))-lo)/(hi-lo)*panelW }
		py := func(v float64) float64 { return top + panelH - v/ymax*panelH }
		fmt.Fprintf(&b, `<g><text x="%.0f" y="%.0f">%s</text>`+"\n", x0, top-8, html.EscapeString(label))
		fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/>`+"\n", x0, top+panelH, x0+panelW, top+panelH)
		fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/>`+"\n", x0, top, x0, top+panelH)
		for i := 0; i <= 4; i++ {
			v := ymax * float64(i) / 4
			fmt.Fprintf(&b, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" stroke="#ddd"/><text x="%.0f" y="%.1f" text-anchor="end">%s</text>`+"\n",
				x0, py(v), x0+panelW, py(v), x0-6, py(v)+4, trimFloat(v))
		}
		var path []string
		for _, p := range pts {
			x, y := px(p.scale), py(value(p))
			path = append(path, fmt.Sprintf("%.1f,%.1f", x, y))
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="#1f5fa8"><title>%dx (%.0f MB): %s %s</title></circle>`+"\n",
				x, y, p.scale, p.mbytes, trimFloat(value(p)), unit)
			fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" text-anchor="middle">%dx</text>`+"\n", x, top+panelH+16, p.scale)
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="#1f5fa8" stroke-width="2"/>`+"\n", strings.Join(path, " "))
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="middle">corpus size (copies of the 1x corpus, log scale)</text></g>`+"\n", x0+panelW/2, top+panelH+36)
	}
	panel(left, "ingest into a new store, MB/s", "MB/s", func(p scalePoint) float64 { return p.rate })
	panel(left+panelW+gap, "peak RSS, MB", "MB", func(p scalePoint) float64 { return p.rssMB })
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten, so that the axis
// ticks are round numbers.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// trimFloat prints v with at most one decimal and no trailing ".0".
func trimFloat(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	return strings.TrimSuffix(s, ".0")
}
