package extract

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/extract/document"
)

// percentFind runs findPercents over text.
func percentFind(text string) []trawl.Mention {
	return findPercents(document.New(text, time.Time{}))
}

// percentGot is the part of a PERCENT mention the table tests compare.
type percentGot struct {
	Text, Value, Unit, From, Change, Subject string
}

func TestPercentSpansAndValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want []percentGot
	}{
		{"percent sign", "Tariffs of 30% apply.", []percentGot{{Text: "30%", Value: "30", Unit: "percent", Subject: "tariffs"}}},
		{"pct", "Output was 4.8 pct.", []percentGot{{Text: "4.8 pct", Value: "4.8", Unit: "percent", Subject: "output"}}},
		{"per cent", "It is 3.4 per cent.", []percentGot{{Text: "3.4 per cent", Value: "3.4", Unit: "percent"}}},
		{"word number", "It is five percent.", []percentGot{{Text: "five percent", Value: "5", Unit: "percent"}}},
		{"hyphenated word number", "a twenty-five percent share", []percentGot{{Text: "twenty-five percent", Value: "25", Unit: "percent", Subject: "share"}}},
		{"a 10 percent cut", "They agreed a 10 percent cut.", []percentGot{{Text: "10 percent", Value: "10", Unit: "percent", Change: "fall"}}},
		{"half a percentage point", "Rates rose half a percentage point.", []percentGot{{Text: "half a percentage point", Value: "0.5", Unit: "points", Change: "rise", Subject: "rates"}}},
		{"percentage points", "Rates fell 0.25 percentage points.", []percentGot{{Text: "0.25 percentage points", Value: "0.25", Unit: "points", Change: "fall", Subject: "rates"}}},
		{"pct points", "Rates fell 1.5 pct points.", []percentGot{{Text: "1.5 pct points", Value: "1.5", Unit: "points", Change: "fall", Subject: "rates"}}},
		{"range with hyphen", "improvements of 15-20% are required", []percentGot{{Text: "15-20%", Unit: "percent", Subject: "improvements"}}},
		{"range with two signs", "a 25%-30% band", []percentGot{{Text: "25%-30%", Unit: "percent", Subject: "band"}}},
		{"range with to", "between 20 to 25 percent", []percentGot{{Text: "20 to 25 percent", Unit: "percent"}}},
		{"range with between and", "between 20 and 25 percent", []percentGot{{Text: "20 and 25 percent", Unit: "percent"}}},
		{"hedge trimmed", "more than 7% of them", []percentGot{{Text: "7%", Value: "7", Unit: "percent"}}},
		{"trailing zeros", "a 5.00% coupon", []percentGot{{Text: "5.00%", Value: "5", Unit: "percent", Subject: "coupon"}}},
		{"thousands", "up 1,250.50% in a year", []percentGot{{Text: "1,250.50%", Value: "1250.5", Unit: "percent", Change: "rise"}}},
		{"leading point", "just .5% of it", []percentGot{{Text: ".5%", Value: "0.5", Unit: "percent"}}},
		{"minus word", "growth of minus 2% was", []percentGot{{Text: "minus 2%", Value: "-2", Unit: "percent", Subject: "growth"}}},
		{"minus sign", "growth of -2% was", []percentGot{{Text: "-2%", Value: "-2", Unit: "percent", Subject: "growth"}}},
		{"unicode minus", "growth of −2% was", []percentGot{{Text: "−2%", Value: "-2", Unit: "percent", Subject: "growth"}}},
		{"hyphenated unit", "a 10-percent tariff", []percentGot{{Text: "10-percent", Value: "10", Unit: "percent", Subject: "tariff"}}},
		{"space before sign", "inflation at 3 % now", []percentGot{{Text: "3 %", Value: "3", Unit: "percent", Subject: "inflation"}}},
		{"basis points", "The bank cut rates by 25 basis points.", []percentGot{{Text: "25 basis points", Value: "25", Unit: "basis points", Change: "fall", Subject: "rates"}}},
		{"bps", "spreads widened 40bps", []percentGot{{Text: "40bps", Value: "40", Unit: "basis points"}}},
		{"BP is a company", "BP said 10 BP shares", nil},
		{"glued exponent dropped", "a 1e309% rise", nil},
		{"percentage without number", "the percentage of exports", nil},
		{"percent without number", "a few percent", nil},
		{"huge number kept exact", "a " + strings.Repeat("9", 400) + "% rise",
			[]percentGot{{Text: strings.Repeat("9", 400) + "%", Value: strings.Repeat("9", 400), Unit: "percent", Change: "rise"}}},
		{"word inside expect", "we expect 5 percentile", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []percentGot
			for _, m := range percentFind(tc.text) {
				got = append(got, percentGot{m.Text, m.Value, m.Unit, m.From, m.Change, m.Subject})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findPercents(%q) (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

func TestPercentFrames(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want []percentGot
	}{
		{"from to", "As of Wednesday, June 4, the U.S. is increasing tariffs on imported steel and aluminum from 25% to 50%.",
			[]percentGot{
				{Text: "25%", Value: "25", Unit: "percent", Change: "rise"},
				{Text: "50%", Value: "50", Unit: "percent", From: "25", Change: "rise", Subject: "tariffs on imported steel and aluminum"},
			}},
		{"participle after a comma", "Traders said U.S. tariffs on steel and aluminium, raised from 25% to 50% on June 4, were reshaping trade.",
			[]percentGot{
				{Text: "25%", Value: "25", Unit: "percent", Change: "rise"},
				{Text: "50%", Value: "50", Unit: "percent", From: "25", Change: "rise", Subject: "U.S. tariffs on steel and aluminium"},
			}},
		{"grew by", "Data showed that exports in May grew by 4.8% year-over-year, while imports declined by 3.4%, underperforming.",
			[]percentGot{
				{Text: "4.8%", Value: "4.8", Unit: "percent", Change: "rise", Subject: "exports in May"},
				{Text: "3.4%", Value: "3.4", Unit: "percent", Change: "fall", Subject: "imports"},
			}},
		{"lower to, reduced to", "Under the earlier accord, the U.S. agreed to lower tariffs on certain Chinese products to 30%, while China reduced levies on U.S. goods to 10%.",
			[]percentGot{
				{Text: "30%", Value: "30", Unit: "percent", Change: "fall", Subject: "tariffs on certain Chinese products"},
				{Text: "10%", Value: "10", Unit: "percent", Change: "fall", Subject: "levies on U.S. goods"},
			}},
		{"to from in wire style", "Unemployment rose to 5.2 pct from 4.8 pct.",
			[]percentGot{
				{Text: "5.2 pct", Value: "5.2", Unit: "percent", From: "4.8", Change: "rise", Subject: "unemployment"},
				{Text: "4.8 pct", Value: "4.8", Unit: "percent", Change: "rise"},
			}},
		{"from bare number", "Tariffs went from 20 to 25 percent.",
			[]percentGot{{Text: "25 percent", Value: "25", Unit: "percent", From: "20", Change: "rise", Subject: "tariffs"}}},
		{"set", "Washington imposed a 25% tariff on steel imports.",
			[]percentGot{{Text: "25%", Value: "25", Unit: "percent", Change: "set", Subject: "tariff on steel imports"}}},
		{"set at", "The central bank kept rates at 4.5%.",
			[]percentGot{{Text: "4.5%", Value: "4.5", Unit: "percent", Change: "set", Subject: "rates"}}},
		{"change noun after", "Apple has reached 78 percent increase in its profits.",
			[]percentGot{{Text: "78 percent", Value: "78", Unit: "percent", Change: "rise", Subject: "profits"}}},
		{"hedged by", "Winglets boost fuel efficiency by as much as 3%.",
			[]percentGot{{Text: "3%", Value: "3", Unit: "percent", Change: "rise", Subject: "fuel efficiency"}}},
		{"name keeps capital", "China's exports rose 5%. Imports from China fell.",
			[]percentGot{{Text: "5%", Value: "5", Unit: "percent", Change: "rise", Subject: "China's exports"}}},
		{"up is a rise", "Exports were up 5% and imports were down 2%.",
			[]percentGot{
				{Text: "5%", Value: "5", Unit: "percent", Change: "rise", Subject: "exports"},
				{Text: "2%", Value: "2", Unit: "percent", Change: "fall", Subject: "imports"},
			}},
		{"up to is a hedge", "Tariffs of up to 30% apply.",
			[]percentGot{{Text: "30%", Value: "30", Unit: "percent", Subject: "tariffs"}}},
		{"wrapped wire copy", "Japan's industrial output\nrose 2.1 pct in January.",
			[]percentGot{{Text: "2.1 pct", Value: "2.1", Unit: "percent", Change: "rise", Subject: "Japan's industrial output"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []percentGot
			for _, m := range percentFind(tc.text) {
				got = append(got, percentGot{m.Text, m.Value, m.Unit, m.From, m.Change, m.Subject})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findPercents(%q) (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

func TestPercentSubjectIsShort(t *testing.T) {
	text := "The government raised the tariffs on all of the many imported steel and aluminum products from the European Union and Canada to 50%."
	for _, m := range percentFind(text) {
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
		if got := percentCompare(tc.x, tc.y); got != tc.want {
			t.Errorf("percentCompare(%q, %q) = %d, want %d", tc.x, tc.y, got, tc.want)
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
			p, r, f1 := percentStrictScore(t, percentGoldRecords(t, tc.file), trawl.Percent, findPercents)
			t.Logf("%s PERCENT strict P=%.3f R=%.3f F1=%.3f", tc.file, p, r, f1)
			if f1 < tc.minF1 {
				t.Errorf("%s: PERCENT strict F1 = %.3f, want >= %.2f", tc.file, f1, tc.minF1)
			}
		})
	}
}

// percentCheckMentions fails when a mention is outside the text, not on
// rune boundaries (of a valid UTF-8 text), or has a Text that is not its span, or a Value that is
// not a finite decimal (for PERCENT).
func percentCheckMentions(t *testing.T, text string, ms []trawl.Mention) {
	t.Helper()
	for _, m := range ms {
		if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
			t.Fatalf("mention %+v outside text of %d bytes", m, len(text))
		}
		if utf8.ValidString(text) && (!utf8.RuneStart(text[m.Start]) || m.End < len(text) && !utf8.RuneStart(text[m.End])) {
			t.Fatalf("mention %+v not on rune boundaries", m)
		}
		if m.Text != text[m.Start:m.End] {
			t.Fatalf("mention Text %q != text[%d:%d] %q", m.Text, m.Start, m.End, text[m.Start:m.End])
		}
		if m.Type == trawl.Percent && m.Value != "" {
			if f, err := strconv.ParseFloat(m.Value, 64); err == nil && (math.IsNaN(f) || math.IsInf(f, 0)) {
				t.Fatalf("mention %+v has a non-finite value", m)
			}
			if strings.ContainsAny(m.Value, "eEnN+") {
				t.Fatalf("mention %+v value is not a plain decimal", m)
			}
		}
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
		percentCheckMentions(t, text, percentFind(text))
	})
}

func BenchmarkPercents(b *testing.B) {
	text := seedsText(b)
	doc := document.New(text, time.Time{})
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		findPercents(doc)
	}
}

// percentGoldRecord is the part of a ../shared/eval record that the PERCENT
// and COMMODITY gold tests read.
type percentGoldRecord struct {
	ID        string          `json:"id"`
	Text      string          `json:"text"`
	Annotated []trawl.Kind    `json:"annotated"`
	Mentions  []trawl.Mention `json:"mentions"`
	Ignore    []struct {
		Start int `json:"start"`
		End   int `json:"end"`
	} `json:"ignore"`
	Commodities []string `json:"commodities"`
}

// percentGoldRecords reads a gold JSONL file of ../shared/eval/dev, or
// skips the test when the shared data is not there.
func percentGoldRecords(t testing.TB, name string) []percentGoldRecord {
	t.Helper()
	f, err := os.Open("../../shared/eval/dev/" + name)
	if err != nil {
		t.Skipf("gold data not available (needs ../shared next to the repository): %v", err)
	}
	defer f.Close()
	var out []percentGoldRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var r percentGoldRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return out
}

// percentStrictScore runs find over the records that annotate kind and
// returns strict span precision, recall and F1, dropping predictions that
// overlap an ignore span and no gold mention, as the scorer does. It logs
// each error so a failing test shows what went wrong.
func percentStrictScore(t *testing.T, recs []percentGoldRecord, kind trawl.Kind, find func(*document.Document) []trawl.Mention) (p, r, f1 float64) {
	t.Helper()
	tp, fp, fn := 0, 0, 0
	for _, rec := range recs {
		annotated := false
		for _, k := range rec.Annotated {
			annotated = annotated || k == kind
		}
		if !annotated {
			continue
		}
		type key struct{ s, e int }
		gold := map[key]bool{}
		var golds []trawl.Mention
		for _, m := range rec.Mentions {
			if m.Type == kind {
				gold[key{m.Start, m.End}] = true
				golds = append(golds, m)
			}
		}
		doc := document.New(rec.Text, time.Time{})
		found := map[key]bool{}
		for _, m := range find(doc) {
			k := key{m.Start, m.End}
			if gold[k] {
				tp++
				found[k] = true
				continue
			}
			overlaps := func(s, e int) bool { return m.Start < e && s < m.End }
			ignored := false
			for _, ig := range rec.Ignore {
				ignored = ignored || overlaps(ig.Start, ig.End)
			}
			for _, g := range golds {
				if overlaps(g.Start, g.End) {
					ignored = false
				}
			}
			if ignored {
				continue
			}
			fp++
			t.Logf("%s: false %s %q at %d", rec.ID, kind, m.Text, m.Start)
		}
		for _, g := range golds {
			if !found[key{g.Start, g.End}] {
				fn++
				t.Logf("%s: missed %s %q at %d", rec.ID, kind, g.Text, g.Start)
			}
		}
	}
	if tp+fp > 0 {
		p = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		r = float64(tp) / float64(tp+fn)
	}
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return p, r, f1
}
