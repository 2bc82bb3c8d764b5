package percent

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/extract/document"
	"github.com/trawlnews/trawl/extract/internal/gold"
)

// findText runs Find over text.
func findText(text string) []trawl.Mention {
	return Find(document.New(text, time.Time{}))
}

// fields is the part of a PERCENT mention the table tests compare.
type fields struct {
	Text, Value, Unit, From, Change, Subject string
}

func TestPercentSpansAndValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want []fields
	}{
		{"percent sign", "Tariffs of 30% apply.", []fields{{Text: "30%", Value: "30", Unit: "percent", Subject: "tariffs"}}},
		{"pct", "Output was 4.8 pct.", []fields{{Text: "4.8 pct", Value: "4.8", Unit: "percent", Subject: "output"}}},
		{"per cent", "It is 3.4 per cent.", []fields{{Text: "3.4 per cent", Value: "3.4", Unit: "percent"}}},
		{"word number", "It is five percent.", []fields{{Text: "five percent", Value: "5", Unit: "percent"}}},
		{"hyphenated word number", "a twenty-five percent share", []fields{{Text: "twenty-five percent", Value: "25", Unit: "percent", Subject: "share"}}},
		{"a 10 percent cut", "They agreed a 10 percent cut.", []fields{{Text: "10 percent", Value: "10", Unit: "percent", Change: "fall"}}},
		{"half a percentage point", "Rates rose half a percentage point.", []fields{{Text: "half a percentage point", Value: "0.5", Unit: "points", Change: "rise", Subject: "rates"}}},
		{"percentage points", "Rates fell 0.25 percentage points.", []fields{{Text: "0.25 percentage points", Value: "0.25", Unit: "points", Change: "fall", Subject: "rates"}}},
		{"pct points", "Rates fell 1.5 pct points.", []fields{{Text: "1.5 pct points", Value: "1.5", Unit: "points", Change: "fall", Subject: "rates"}}},
		{"range with hyphen", "improvements of 15-20% are required", []fields{{Text: "15-20%", Unit: "percent", Subject: "improvements"}}},
		{"range with two signs", "a 25%-30% band", []fields{{Text: "25%-30%", Unit: "percent", Subject: "band"}}},
		{"range with to", "between 20 to 25 percent", []fields{{Text: "20 to 25 percent", Unit: "percent"}}},
		{"range with between and", "between 20 and 25 percent", []fields{{Text: "20 and 25 percent", Unit: "percent"}}},
		{"hedge trimmed", "more than 7% of them", []fields{{Text: "7%", Value: "7", Unit: "percent"}}},
		{"trailing zeros", "a 5.00% coupon", []fields{{Text: "5.00%", Value: "5", Unit: "percent", Subject: "coupon"}}},
		{"thousands", "up 1,250.50% in a year", []fields{{Text: "1,250.50%", Value: "1250.5", Unit: "percent", Change: "rise"}}},
		{"leading point", "just .5% of it", []fields{{Text: ".5%", Value: "0.5", Unit: "percent"}}},
		{"minus word", "growth of minus 2% was", []fields{{Text: "minus 2%", Value: "-2", Unit: "percent", Subject: "growth"}}},
		{"minus sign", "growth of -2% was", []fields{{Text: "-2%", Value: "-2", Unit: "percent", Subject: "growth"}}},
		{"unicode minus", "growth of −2% was", []fields{{Text: "−2%", Value: "-2", Unit: "percent", Subject: "growth"}}},
		{"hyphenated unit", "a 10-percent tariff", []fields{{Text: "10-percent", Value: "10", Unit: "percent", Subject: "tariff"}}},
		{"space before sign", "inflation at 3 % now", []fields{{Text: "3 %", Value: "3", Unit: "percent", Subject: "inflation"}}},
		{"basis points", "The bank cut rates by 25 basis points.", []fields{{Text: "25 basis points", Value: "25", Unit: "basis points", Change: "fall", Subject: "rates"}}},
		{"bps", "spreads widened 40bps", []fields{{Text: "40bps", Value: "40", Unit: "basis points"}}},
		{"BP is a company", "BP said 10 BP shares", nil},
		{"glued exponent dropped", "a 1e309% rise", nil},
		{"percentage without number", "the percentage of exports", nil},
		{"percent without number", "a few percent", nil},
		{"huge number kept exact", "a " + strings.Repeat("9", 400) + "% rise",
			[]fields{{Text: strings.Repeat("9", 400) + "%", Value: strings.Repeat("9", 400), Unit: "percent", Change: "rise"}}},
		{"word inside expect", "we expect 5 percentile", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []fields
			for _, m := range findText(tc.text) {
				got = append(got, fields{m.Text, m.Value, m.Unit, m.From, m.Change, m.Subject})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Find(%q) (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

func TestPercentFrames(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want []fields
	}{
		{"from to", "As of Wednesday, June 4, the U.S. is increasing tariffs on imported steel and aluminum from 25% to 50%.",
			[]fields{
				{Text: "25%", Value: "25", Unit: "percent", Change: "rise"},
				{Text: "50%", Value: "50", Unit: "percent", From: "25", Change: "rise", Subject: "tariffs on imported steel and aluminum"},
			}},
		{"participle after a comma", "Traders said U.S. tariffs on steel and aluminium, raised from 25% to 50% on June 4, were reshaping trade.",
			[]fields{
				{Text: "25%", Value: "25", Unit: "percent", Change: "rise"},
				{Text: "50%", Value: "50", Unit: "percent", From: "25", Change: "rise", Subject: "U.S. tariffs on steel and aluminium"},
			}},
		{"grew by", "Data showed that exports in May grew by 4.8% year-over-year, while imports declined by 3.4%, underperforming.",
			[]fields{
				{Text: "4.8%", Value: "4.8", Unit: "percent", Change: "rise", Subject: "exports in May"},
				{Text: "3.4%", Value: "3.4", Unit: "percent", Change: "fall", Subject: "imports"},
			}},
		{"lower to, reduced to", "Under the earlier accord, the U.S. agreed to lower tariffs on certain Chinese products to 30%, while China reduced levies on U.S. goods to 10%.",
			[]fields{
				{Text: "30%", Value: "30", Unit: "percent", Change: "fall", Subject: "tariffs on certain Chinese products"},
				{Text: "10%", Value: "10", Unit: "percent", Change: "fall", Subject: "levies on U.S. goods"},
			}},
		{"to from in wire style", "Unemployment rose to 5.2 pct from 4.8 pct.",
			[]fields{
				{Text: "5.2 pct", Value: "5.2", Unit: "percent", From: "4.8", Change: "rise", Subject: "unemployment"},
				{Text: "4.8 pct", Value: "4.8", Unit: "percent", Change: "rise"},
			}},
		{"from bare number", "Tariffs went from 20 to 25 percent.",
			[]fields{{Text: "25 percent", Value: "25", Unit: "percent", From: "20", Change: "rise", Subject: "tariffs"}}},
		{"set", "Washington imposed a 25% tariff on steel imports.",
			[]fields{{Text: "25%", Value: "25", Unit: "percent", Change: "set", Subject: "tariff on steel imports"}}},
		{"set at", "The central bank kept rates at 4.5%.",
			[]fields{{Text: "4.5%", Value: "4.5", Unit: "percent", Change: "set", Subject: "rates"}}},
		{"change noun after", "Apple has reached 78 percent increase in its profits.",
			[]fields{{Text: "78 percent", Value: "78", Unit: "percent", Change: "rise", Subject: "profits"}}},
		{"hedged by", "Winglets boost fuel efficiency by as much as 3%.",
			[]fields{{Text: "3%", Value: "3", Unit: "percent", Change: "rise", Subject: "fuel efficiency"}}},
		{"name keeps capital", "China's exports rose 5%. Imports from China fell.",
			[]fields{{Text: "5%", Value: "5", Unit: "percent", Change: "rise", Subject: "China's exports"}}},
		{"up is a rise", "Exports were up 5% and imports were down 2%.",
			[]fields{
				{Text: "5%", Value: "5", Unit: "percent", Change: "rise", Subject: "exports"},
				{Text: "2%", Value: "2", Unit: "percent", Change: "fall", Subject: "imports"},
			}},
		{"up to is a hedge", "Tariffs of up to 30% apply.",
			[]fields{{Text: "30%", Value: "30", Unit: "percent", Subject: "tariffs"}}},
		{"wrapped wire copy", "Japan's industrial output\nrose 2.1 pct in January.",
			[]fields{{Text: "2.1 pct", Value: "2.1", Unit: "percent", Change: "rise", Subject: "Japan's industrial output"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []fields
			for _, m := range findText(tc.text) {
				got = append(got, fields{m.Text, m.Value, m.Unit, m.From, m.Change, m.Subject})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Find(%q) (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

func TestPercentSubjectIsShort(t *testing.T) {
	text := "The government raised the tariffs on all of the many imported steel and aluminum products from the European Union and Canada to 50%."
	for _, m := range findText(text) {
		if n := len(strings.Fields(m.Subject)); n > 8 {
			t.Errorf("subject %q has %d words, want <= 8", m.Subject, n)
		}
		if m.Subject == "" {
			t.Errorf("no subject for %q", m.Text)
		}
	}
}

func TestPercentCompare(t *testing.T) {
	for _, tc := range []struct {
		x, y string
		want int
	}{
		{"50", "25", 1}, {"4.8", "5.2", -1}, {"10", "9.99", 1}, {"-2", "1", -1}, {"-2", "-3", 1},
		{"0.5", "0.50", 0}, {"", "1", 0}, {strings.Repeat("9", 400), "1", 1},
	} {
		if got := compare(tc.x, tc.y); got != tc.want {
			t.Errorf("compare(%q, %q) = %d, want %d", tc.x, tc.y, got, tc.want)
		}
	}
}

func TestPercentGold(t *testing.T) {
	for _, tc := range []struct {
		file  string
		minF1 float64
	}{
		{"seeds.jsonl", 1},
		{"meantime.jsonl", 0.85},
	} {
		t.Run(tc.file, func(t *testing.T) {
			p, r, f1 := gold.StrictScore(t, gold.Records(t, tc.file), trawl.Percent, findText)
			t.Logf("%s PERCENT strict P=%.3f R=%.3f F1=%.3f", tc.file, p, r, f1)
			if f1 < tc.minF1 {
				t.Errorf("%s: PERCENT strict F1 = %.3f, want >= %.2f", tc.file, f1, tc.minF1)
			}
		})
	}
}

func FuzzPercents(f *testing.F) {
	for _, s := range []string{
		"exports grew by 4.8% while imports fell 3.4 pct", "from 25% to 50%", "1e309%", "−2 %",
		"half a percentage point", "20 to 25 percent", "15%-20%", "25 basis points", "％", "5,5%",
		strings.Repeat("9", 400) + "%", "rose to 5.2 pct from 4.8 pct", "\xff%", "a%b pct per cent", "000000000000%\x80",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		gold.CheckMentions(t, text, findText(text))
	})
}

func BenchmarkPercents(b *testing.B) {
	text := gold.Seeds(b)
	doc := document.New(text, time.Time{})
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Find(doc)
	}
}
