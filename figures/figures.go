// Package figures groups the percentages of a store into series: every
// PERCENT mention that names what it measures (its Subject), keyed by the
// normalised subject of reconcile.SubjectKey, so that the same measure
// written differently across articles ("tariffs on imported steel", "the
// steel import tariff") is one series. Each point carries its value, unit and
// direction, the date it refers to, and the article and sentence it comes
// from; points of one series that give different values for the same date
// are marked as conflicting.
//
// It is pure: articles in, series out, with no files and no rendering.
package figures

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/internal/text"
	"github.com/trawlnews/trawl/reconcile"
)

// Where a point's date came from (Point.DateSource).
const (
	DateSentence  = "sentence"  // a DATE mention in the same sentence
	DatePublished = "published" // the article's publication date
	DateUnknown   = "unknown"   // neither: the point has no date
)

// Point is one PERCENT mention of a series.
type Point struct {
	// Subject is the subject as the article words it.
	Subject string `json:"subject"`
	// Value is the decimal number of the mention ("25", "0.5").
	Value string `json:"value"`
	// Unit is "percent" or "points".
	Unit string `json:"unit"`
	// Change is the direction the sentence gives: "rise", "fall", "set" or
	// empty for a level.
	Change string `json:"change,omitempty"`
	// From is the value before a change ("from 25% to 50%").
	From string `json:"from,omitempty"`
	// Date is the date the figure refers to, TIMEX3-style (2025-06-11,
	// 2025-06, 2025): the value of the first dated DATE mention in the same
	// sentence, else the article's publication date; DateSource says which.
	Date       string `json:"date,omitempty"`
	DateSource string `json:"date_source"`
	// Article, Title, Source and Published describe the article.
	Article   string `json:"article"`
	Title     string `json:"title,omitempty"`
	Source    string `json:"source,omitempty"`
	Published string `json:"published,omitempty"`
	// Sentence is the sentence that carries the figure; MentionStart and
	// MentionEnd are the mention's byte offsets inside it, Start and End in
	// the article text.
	Sentence     string `json:"sentence"`
	MentionStart int    `json:"mention_start"`
	MentionEnd   int    `json:"mention_end"`
	Start        int    `json:"start"`
	End          int    `json:"end"`
	// Conflict is true when another point of the series gives a different
	// value, in the same unit and direction, for the same date.
	Conflict bool `json:"conflict,omitempty"`
}

// Series is every point of one normalised subject.
type Series struct {
	// Key is the normalised subject (reconcile.SubjectKey), the series' id.
	Key string `json:"key"`
	// Subject is the most common wording of the subject, ties broken
	// alphabetically.
	Subject string `json:"subject"`
	// Wordings are the distinct wordings of the subject, sorted.
	Wordings []string `json:"wordings"`
	// Articles is the number of distinct articles of the points.
	Articles int `json:"articles"`
	// Conflicts is the number of points marked Conflict.
	Conflicts int `json:"conflicts"`
	// Points are ordered by date (undated last), then article and offset.
	Points []Point `json:"points"`
}

// Collector builds series from articles given one at a time, so that a
// store can stream its articles through it.
type Collector struct {
	byKey map[string]*Series
}

// NewCollector returns an empty Collector.
func NewCollector() *Collector { return &Collector{byKey: map[string]*Series{}} }

// Add takes the PERCENT mentions of a that have a subject. Mentions whose
// offsets fall outside the text are skipped.
func (c *Collector) Add(a trawl.Article) {
	var spans []text.Span
	for _, m := range a.Mentions {
		if m.Type != trawl.Percent || strings.TrimSpace(m.Subject) == "" || m.Start < 0 || m.End > len(a.Text) || m.Start > m.End {
			continue
		}
		key := reconcile.SubjectKey(m.Subject)
		if key == "" {
			continue
		}
		if spans == nil {
			spans = text.Sentences(a.Text)
		}
		sent, ok := text.SentenceAt(spans, m.Start)
		if !ok || m.End > sent.End {
			sent = text.Span{Start: m.Start, End: m.End}
		}
		unit := m.Unit
		if unit == "" {
			unit = "percent"
		}
		p := Point{
			Subject: m.Subject, Value: m.Value, Unit: unit, Change: m.Change, From: m.From,
			Article: a.ID, Title: a.Title, Source: a.Source, Published: a.Published,
			Sentence: a.Text[sent.Start:sent.End], MentionStart: m.Start - sent.Start, MentionEnd: m.End - sent.Start,
			Start: m.Start, End: m.End,
		}
		p.Date, p.DateSource = dateOf(a, sent), DateSentence
		if p.Date == "" {
			p.Date, p.DateSource = a.Published, DatePublished
		}
		if p.Date == "" {
			p.DateSource = DateUnknown
		}
		s := c.byKey[key]
		if s == nil {
			s = &Series{Key: key}
			c.byKey[key] = s
		}
		s.Points = append(s.Points, p)
	}
}

// dateOf returns the value of the first DATE mention inside the sentence
// whose value begins with a four-digit year, or "".
func dateOf(a trawl.Article, sent text.Span) string {
	for _, d := range a.Mentions {
		if d.Type == trawl.Date && d.Start >= sent.Start && d.End <= sent.End && hasYear(d.Value) {
			return d.Value
		}
	}
	return ""
}

func hasYear(v string) bool {
	if len(v) < 4 {
		return false
	}
	for _, r := range v[:4] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return len(v) == 4 || v[4] == '-'
}

// Series returns every series, the one with most articles first, then by
// key; points are sorted and conflicts marked. The Collector may be used
// again afterwards.
func (c *Collector) Series() []Series {
	out := make([]Series, 0, len(c.byKey))
	for _, k := range slices.Sorted(maps.Keys(c.byKey)) {
		out = append(out, finish(*c.byKey[k]))
	}
	slices.SortStableFunc(out, func(a, b Series) int { return cmp.Compare(b.Articles, a.Articles) })
	return out
}

// finish sorts a series' points, names it and marks its conflicts.
func finish(s Series) Series {
	s.Points = slices.Clone(s.Points)
	slices.SortFunc(s.Points, func(a, b Point) int {
		if (a.Date == "") != (b.Date == "") {
			if a.Date == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Article, b.Article), cmp.Compare(a.Start, b.Start))
	})
	wordings := map[string]int{}
	arts := map[string]bool{}
	for _, p := range s.Points {
		wordings[p.Subject]++
		arts[p.Article] = true
	}
	s.Wordings = slices.Sorted(maps.Keys(wordings))
	s.Subject = s.Wordings[0]
	for _, w := range s.Wordings {
		if wordings[w] > wordings[s.Subject] {
			s.Subject = w
		}
	}
	s.Articles = len(arts)
	// A conflict: two points of one date, unit and direction whose values
	// differ. The value before a change is history, so From is not compared.
	type slot struct{ date, unit, change string }
	values := map[slot]map[float64]bool{}
	for _, p := range s.Points {
		if p.Date == "" {
			continue
		}
		v, err := strconv.ParseFloat(p.Value, 64)
		if err != nil {
			continue
		}
		k := slot{p.Date, p.Unit, p.Change}
		if values[k] == nil {
			values[k] = map[float64]bool{}
		}
		values[k][v] = true
	}
	s.Conflicts = 0
	for i, p := range s.Points {
		if p.Date != "" && len(values[slot{p.Date, p.Unit, p.Change}]) > 1 {
			s.Points[i].Conflict = true
			s.Conflicts++
		}
	}
	return s
}

// Collect returns the series of arts (Collector in one call).
func Collect(arts []trawl.Article) []Series {
	c := NewCollector()
	for _, a := range arts {
		c.Add(a)
	}
	return c.Series()
}

// Find returns the series whose key is the normalised form of subject, and
// whether there is one; subject may be the key itself or any wording.
func Find(series []Series, subject string) (Series, bool) {
	key := reconcile.SubjectKey(subject)
	for _, s := range series {
		if s.Key == key || s.Key == subject {
			return s, true
		}
	}
	return Series{}, false
}

// Match returns the series whose key contains every word of the normalised
// subject, for a search by part of a subject ("tariff" finds "steel
// tariff").
func Match(series []Series, subject string) []Series {
	words := strings.Fields(reconcile.SubjectKey(subject))
	var out []Series
	for _, s := range series {
		keyWords := strings.Fields(s.Key)
		if len(words) > 0 && !slices.ContainsFunc(words, func(w string) bool { return !slices.Contains(keyWords, w) }) {
			out = append(out, s)
		}
	}
	return out
}

// Row is one point with the series it belongs to: one line of the figures
// table (CSV and JSON Lines).
type Row struct {
	Key    string `json:"key"`
	Series string `json:"series"`
	Point
}

// Rows flattens series into their points, in series order.
func Rows(series []Series) []Row {
	var out []Row
	for _, s := range series {
		for _, p := range s.Points {
			out = append(out, Row{Key: s.Key, Series: s.Subject, Point: p})
		}
	}
	return out
}

// Header names the CSV columns of Row.Cells.
var Header = []string{"key", "series", "date", "date_source", "value", "unit", "change", "from", "conflict", "subject", "article", "title", "source", "published", "sentence"}

// Cells is the row's CSV cells, in Header order.
func (r Row) Cells() []string {
	return []string{r.Key, r.Series, r.Date, r.DateSource, r.Value, r.Unit, r.Change, r.From, strconv.FormatBool(r.Conflict),
		r.Subject, r.Article, r.Title, r.Source, r.Published, r.Sentence}
}
