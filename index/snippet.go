package index

import (
	"html"
	"slices"
	"strings"
	"unicode/utf8"
)

// span is a match in the text: byte offsets, end exclusive.
type span struct{ start, end int }

// Snippet geometry, in bytes.
const (
	snippetWidth   = 240
	snippetLeadIn  = 60
	snippetEllipis = "…"
)

// fragments cuts the extract of text that holds the most matches and
// splits it into alternating plain and matched parts, plain first. White
// space runs become one space.
func fragments(text string, spans []span) []string {
	if text == "" {
		return nil
	}
	spans = mergeSpans(spans, text)
	// The window [start, end) starts before the span that has the most
	// spans within snippetWidth of it.
	best, bestN := -1, 0
	for i, s := range spans {
		n := 0
		for _, t := range spans[i:] {
			if t.end > s.start+snippetWidth {
				break
			}
			n++
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	start := 0
	if best >= 0 {
		first := spans[best].start
		start = max(0, first-snippetLeadIn)
		if start > 0 {
			if i := strings.IndexAny(text[start:first], " \n\t"); i >= 0 {
				start += i + 1
			} else {
				start = first
			}
		}
	}
	end := min(len(text), start+snippetWidth)
	if end < len(text) {
		if i := strings.LastIndexAny(text[start:end], " \n\t"); i > 0 {
			end = start + i
		}
	}
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	for start > 0 && !utf8.RuneStart(text[start]) {
		start--
	}
	var parts []string
	plain := ""
	if start > 0 {
		plain = snippetEllipis + " "
	}
	at := start
	for _, s := range spans {
		if s.end <= start || s.start < start {
			continue
		}
		if s.start >= end {
			break
		}
		e := max(min(s.end, end), s.start)
		parts = append(parts, collapseSpace(plain+text[at:s.start]), collapseSpace(text[s.start:e]))
		plain, at = "", e
	}
	tail := collapseSpace(plain + text[at:end])
	if end < len(text) {
		tail = strings.TrimRight(tail, " ") + " " + snippetEllipis
	}
	parts = append(parts, tail)
	return parts
}

// mergeSpans drops the spans outside text, widens the others to whole
// runes, sorts them and merges overlaps.
func mergeSpans(spans []span, text string) []span {
	n := len(text)
	spans = slices.DeleteFunc(slices.Clone(spans), func(s span) bool {
		return s.start < 0 || s.end > n || s.start >= s.end
	})
	for i, s := range spans {
		for s.start > 0 && !utf8.RuneStart(text[s.start]) {
			s.start--
		}
		for s.end < n && !utf8.RuneStart(text[s.end]) {
			s.end++
		}
		spans[i] = s
	}
	slices.SortFunc(spans, func(a, b span) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return a.end - b.end
	})
	var out []span
	for _, s := range spans {
		if k := len(out) - 1; k >= 0 && s.start <= out[k].end {
			out[k].end = max(out[k].end, s.end)
			continue
		}
		out = append(out, s)
	}
	return out
}

// collapseSpace replaces each run of white space with one space.
func collapseSpace(s string) string {
	if !strings.ContainsAny(s, "\n\t\r  ") {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// snippetHTML escapes the parts and marks the matches.
func snippetHTML(parts []string) string {
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 1 {
			b.WriteString("<mark>")
			b.WriteString(html.EscapeString(p))
			b.WriteString("</mark>")
			continue
		}
		b.WriteString(html.EscapeString(p))
	}
	return b.String()
}
