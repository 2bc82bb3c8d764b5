package report

import (
	"slices"
	"strconv"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/internal/text"
)

// MentionRow is one mention with its article and sentence: a line of the
// mentions table (`trawl mentions`, /api/mentions).
type MentionRow struct {
	Article   string     `json:"article"`
	Published string     `json:"published,omitempty"`
	Type      trawl.Kind `json:"type"`
	Text      string     `json:"text"`
	Value     string     `json:"value,omitempty"`
	// Entity is the cross-article entity id of a PERSON mention.
	Entity  string `json:"entity,omitempty"`
	Role    string `json:"role,omitempty"`
	Unit    string `json:"unit,omitempty"`
	Change  string `json:"change,omitempty"`
	Subject string `json:"subject,omitempty"`
	// Start and End are the mention's byte offsets in the article text.
	Start int `json:"start"`
	End   int `json:"end"`
	// Sentence is the sentence of the article that holds the mention.
	Sentence string `json:"sentence"`
}

// MentionHeader names the CSV columns of MentionRow.Cells.
var MentionHeader = []string{"article", "published", "type", "text", "value", "entity", "role", "unit", "change", "subject", "start", "end", "sentence"}

// Cells is the row's CSV cells, in MentionHeader order.
func (r MentionRow) Cells() []string {
	return []string{r.Article, r.Published, string(r.Type), r.Text, r.Value, r.Entity, r.Role, r.Unit, r.Change, r.Subject,
		strconv.Itoa(r.Start), strconv.Itoa(r.End), r.Sentence}
}

// MentionRows returns one row per mention of a whose type is in kinds (every
// mention when kinds is empty), in the article's order.
func MentionRows(a trawl.Article, kinds []trawl.Kind) []MentionRow {
	var spans []text.Span
	var out []MentionRow
	for _, m := range a.Mentions {
		if len(kinds) > 0 && !slices.Contains(kinds, m.Type) {
			continue
		}
		if spans == nil {
			spans = text.Sentences(a.Text)
		}
		sentence := ""
		if sp, ok := text.SentenceAt(spans, m.Start); ok && m.Start >= 0 && m.End <= len(a.Text) {
			sentence = a.Text[sp.Start:max(sp.End, min(m.End, len(a.Text)))]
		}
		out = append(out, MentionRow{
			Article: a.ID, Published: a.Published, Type: m.Type, Text: m.Text, Value: m.Value, Entity: m.Entity,
			Role: m.Role, Unit: m.Unit, Change: m.Change, Subject: m.Subject, Start: m.Start, End: m.End, Sentence: sentence,
		})
	}
	return out
}
