package figures

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
)

// article builds an article whose text is the sentences given, with a
// PERCENT mention on the first "N%" of each sentence that names a subject,
// and a DATE mention where a sentence has "[date]" (the value given).
func article(id, published string, sentences ...[3]string) trawl.Article {
	a := trawl.Article{ID: id, Published: published}
	var b strings.Builder
	for _, s := range sentences {
		text, subject, date := s[0], s[1], s[2]
		start := b.Len()
		b.WriteString(text)
		b.WriteString(" ")
		if i := strings.Index(text, "%"); i >= 0 && subject != "" {
			j := strings.LastIndexAny(text[:i], " ") + 1
			a.Mentions = append(a.Mentions, trawl.Mention{Type: trawl.Percent, Start: start + j, End: start + i + 1, Text: text[j : i+1], Value: text[j:i], Unit: "percent", Subject: subject})
		}
		if date != "" {
			if i := strings.Index(text, "June"); i >= 0 {
				a.Mentions = append(a.Mentions, trawl.Mention{Type: trawl.Date, Start: start + i, End: start + i + 4, Text: "June", Value: date})
			}
		}
	}
	a.Text = b.String()
	return a
}

func TestSeriesGroupsWordingsAndDates(t *testing.T) {
	arts := []trawl.Article{
		article("a", "2025-06-10", [3]string{"Tariffs on imported steel rose to 50% in June.", "tariffs on imported steel", "2025-06"}),
		article("b", "2025-06-12", [3]string{"The steel import tariff is 25% now.", "the steel import tariff", ""}),
		article("c", "2025-06-13", [3]string{"In June the steel tariffs stood at 40%.", "steel tariffs", "2025-06"}),
		article("d", "", [3]string{"Copper prices rose 2%.", "copper prices", ""}),
		article("e", "2025-06-01", [3]string{"Something moved 3%.", "", ""}),
	}
	got := Collect(arts)
	type pt struct{ Date, Source, Value, Article string }
	type sr struct {
		Key, Subject string
		Articles     int
		Points       []pt
		Conflicts    int
	}
	var short []sr
	for _, s := range got {
		x := sr{Key: s.Key, Subject: s.Subject, Articles: s.Articles, Conflicts: s.Conflicts}
		for _, p := range s.Points {
			x.Points = append(x.Points, pt{p.Date, p.DateSource, p.Value, p.Article})
		}
		short = append(short, x)
	}
	want := []sr{
		{Key: "steel tariff", Subject: "steel tariffs", Articles: 3, Conflicts: 2, Points: []pt{
			{"2025-06", DateSentence, "50", "a"},
			{"2025-06", DateSentence, "40", "c"},
			{"2025-06-12", DatePublished, "25", "b"},
		}},
		{Key: "copper price", Subject: "copper prices", Articles: 1, Points: []pt{{"", DateUnknown, "2", "d"}}},
	}
	if diff := cmp.Diff(want, short); diff != "" {
		t.Errorf("series (-want +got):\n%s", diff)
	}
	p := got[0].Points[0]
	if p.Sentence != "Tariffs on imported steel rose to 50% in June." || p.Sentence[p.MentionStart:p.MentionEnd] != "50%" {
		t.Errorf("point sentence %q [%d:%d], want the mention's sentence around 50%%", p.Sentence, p.MentionStart, p.MentionEnd)
	}
}

func TestFindAndMatch(t *testing.T) {
	series := Collect([]trawl.Article{
		article("a", "2025-06-10", [3]string{"Steel tariffs rose to 50%.", "steel tariffs", ""}),
		article("b", "2025-06-10", [3]string{"Copper tariffs rose to 10%.", "copper tariffs", ""}),
	})
	if s, ok := Find(series, "the tariffs on steel"); !ok || s.Key != "steel tariff" {
		t.Errorf("Find(the tariffs on steel) = %q, %v; want steel tariff", s.Key, ok)
	}
	var keys []string
	for _, s := range Match(series, "tariff") {
		keys = append(keys, s.Key)
	}
	if diff := cmp.Diff([]string{"copper tariff", "steel tariff"}, keys); diff != "" {
		t.Errorf("Match(tariff) (-want +got):\n%s", diff)
	}
	if got := Match(series, "wheat"); len(got) != 0 {
		t.Errorf("Match(wheat) = %d series, want none", len(got))
	}
}

// TestCollectIsDeterministic checks that the same articles in another
// order give the same series.
func TestCollectIsDeterministic(t *testing.T) {
	arts := []trawl.Article{
		article("a", "2025-06-10", [3]string{"Steel tariffs rose to 50%.", "steel tariffs", ""}),
		article("b", "2025-06-10", [3]string{"Copper tariffs rose to 10%.", "copper tariffs", ""}),
		article("c", "2025-06-10", [3]string{"Tariffs on steel are 40%.", "tariffs on steel", ""}),
	}
	want := Collect(arts)
	got := Collect([]trawl.Article{arts[2], arts[1], arts[0]})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("series depend on article order (-first +reversed):\n%s", diff)
	}
}
