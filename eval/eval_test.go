package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trawlnews/trawl/internal/golden"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/trawlnews/trawl"
)

// devDir holds the shared gold files, next to the repository.
const devDir = "../../shared/eval/dev"

// tinyLabels maps the tiny predictions' commodity ids to gold labels.
var tinyLabels = map[string][]string{
	"steel-id": {"steel"},
	"gold-id":  {"gold"},
	"oil-id":   {"crude", "heat"},
}

// readPred reads a prediction JSONL file (the `trawl extract --format jsonl`
// shape).
func readPred(t *testing.T, path string) []trawl.Article {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var arts []trawl.Article
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var a trawl.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		arts = append(arts, a)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return arts
}

func scoreTiny(t *testing.T) *Report {
	t.Helper()
	gold, err := ReadGold("testdata/tiny.gold.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	pred := readPred(t, "testdata/tiny.pred.jsonl")
	return Score("tiny", gold, pred, Options{CommodityLabels: tinyLabels})
}

// The tiny set (testdata/tiny.*.jsonl), four gold docs and predictions for
// three of them plus one unknown id (tiny/zzz, ignored):
//
//	a: PERSON Scott Bessent, He Lifeng, Bessent; DATE "Monday, June 9";
//	   PERCENT (partial) 25%, "10 pct"; ignore "now".
//	   pred: the three people exact + "London" (spurious); DATE "June 9"
//	   (lenient), DATE "now" (on the ignore span: dropped); PERCENT 25%
//	   exact, "10" (lenient, value "10.0" = 10), "15" (unlabelled, partial:
//	   not a FP); COMMODITY "Steel" (type not annotated: not scored).
//	b: PERSON Bessent, Jamieson Greer, Greer; DATE Friday, "May 2025".
//	   pred: the people exact (Greer put in Bessent's cluster E1); DATE
//	   "on Friday" (lenient, value 2025-06-13 wrong), "May 2025" exact;
//	   PERCENT 5% (not annotated in b: not counted).
//	c: PERSON Xi Jinping, Donald Trump, Trump; DATE "last week"; PERCENT
//	   (partial) 30%. pred: Xi exact, "Donald" (lenient), Trump exact; DATE
//	   "last week" exact with no value (wrong); no PERCENT (30% missed).
//	d: PERSON Howard Lutnick, DATE "4 June"; no prediction: both missed.
//
// PERSON: gold 3+3+3+1 = 10, pred 4+3+3 = 10.
//
//	strict TP 8 (all but Donald/Donald Trump and Lutnick), FP 2 (London,
//	Donald), FN 2 -> P = R = F1 = 0.8.
//	lenient TP 9, FP 1 (London), FN 1 (Lutnick) -> P = R = F1 = 0.9.
//
// DATE: gold 1+2+1+1 = 5, pred 1+2+1 = 4 ("now" dropped).
//
//	strict TP 2 (May 2025, last week), FP 2, FN 3 -> P 0.5, R 0.4,
//	F1 = 2*0.5*0.4/0.9 = 4/9.
//	lenient TP 4, FP 0, FN 1 (4 June) -> P 1, R 0.8, F1 = 1.6/1.8 = 8/9.
//	values: Monday June 9 right, Friday wrong, May 2025 right, last week
//	wrong -> 2/4.
//
// PERCENT (partial in a and c): gold 2+1 = 3, pred 3 (doc a only).
//
//	strict TP 1, FN 2 -> R 1/3; lenient TP 2, FN 1 -> R 2/3; FP not
//	counted, P and F1 not given. values: 25 = 25, 10 = 10.0 -> 2/2.
//
// Grouping over the 9 found gold PERSON mentions (Lutnick not found):
//
//	gold clusters sb 3, he 1, jg 2, xi 1, dt 2; predicted E1 4 (3 sb + the
//	jg "Greer"), E2 1, E4 1, E5 1, E6 2. Cells (sb,E1)=3, (jg,E1)=1,
//	(he,E2)=1, (jg,E4)=1, (xi,E5)=1, (dt,E6)=2.
//	pairwise: TP = C(3,2)+C(2,2) = 4; gold pairs 3+1+1 = 5 (FN 1); predicted
//	pairs 6+1 = 7 (FP 3) -> P 4/7, R 4/5, F1 = 8/12 = 2/3.
//	B-cubed P: sb 3×3/4 + Greer 1/4 + he 1 + JG 1 + xi 1 + dt 2×2/2 = 7.5,
//	/9; R: sb 3×3/3 + Greer 1/2 + JG 1/2 + he 1 + xi 1 + dt 2 = 8, /9;
//	F1 = 2(7.5/9)(8/9)/(15.5/9) = 120/139.5.
//
// Commodities (docs with a gold list): a {alum, steel} vs {steel}: TP 1
// FN 1; b {crude, gold} vs {gold, crude, heat}: TP 2 FP 1; c {} vs {crude,
// heat}: FP 2; d {} vs nothing: nothing. TP 3 FP 3 FN 1 -> P 0.5, R 0.75,
// F1 0.6.
func TestScoreTiny(t *testing.T) {
	got := scoreTiny(t)
	want := &Report{
		Name: "tiny",
		Docs: 4,
		Types: map[trawl.Kind]*TypeScore{
			trawl.Person: {
				Gold: 10, Pred: 10,
				Strict:  PRF{TP: 8, FP: 2, FN: 2, P: 0.8, R: 0.8, F1: 0.8},
				Lenient: PRF{TP: 9, FP: 1, FN: 1, P: 0.9, R: 0.9, F1: 0.9},
			},
			trawl.Date: {
				Gold: 5, Pred: 4,
				Strict:  PRF{TP: 2, FP: 2, FN: 3, P: 0.5, R: 0.4, F1: 4.0 / 9},
				Lenient: PRF{TP: 4, FP: 0, FN: 1, P: 1, R: 0.8, F1: 8.0 / 9},
			},
			trawl.Percent: {
				Gold: 3, Pred: 3, Partial: true,
				Strict:  PRF{TP: 1, FN: 2, R: 1.0 / 3},
				Lenient: PRF{TP: 2, FN: 1, R: 2.0 / 3},
			},
		},
		DateValue:    Accuracy{Correct: 2, Total: 4, Acc: 0.5},
		PercentValue: Accuracy{Correct: 2, Total: 2, Acc: 1},
		Grouping: &GroupingScore{
			Mentions: 9,
			Pairwise: PRF{TP: 4, FP: 3, FN: 1, P: 4.0 / 7, R: 0.8, F1: 2.0 / 3},
			BCubed:   PRF{P: 7.5 / 9, R: 8.0 / 9, F1: 120 / 139.5},
		},
		Commodities: &PRF{TP: 3, FP: 3, FN: 1, P: 0.5, R: 0.75, F1: 0.6},
	}
	opts := cmp.Options{cmpopts.EquateApprox(0, 1e-12), cmpopts.IgnoreFields(Report{}, "Errors")}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("Score(tiny) (-want +got):\n%s", diff)
	}
}

// TestScoreTinyErrors checks the error examples a reader of the accuracy
// document sees: every error of the tiny set (none exceeds MaxExamples),
// grouped by type and kind.
func TestScoreTinyErrors(t *testing.T) {
	got := scoreTiny(t)
	want := []ErrorExample{
		{Doc: "tiny/d", Type: trawl.Person, Kind: Missed, Text: "Howard Lutnick",
			Context: "In Zürich, [[Howard Lutnick]] spoke on 4 June."},
		{Doc: "tiny/a", Type: trawl.Person, Kind: Spurious, Text: "London",
			Context: "Scott Bessent met He Lifeng in [[London]] on Monday, June 9. Steel tariffs rose t…"},
		{Doc: "tiny/c", Type: trawl.Person, Kind: Boundary, Text: "Donald Trump", Want: "Donald Trump", Got: "Donald"},
		{Doc: "tiny/d", Type: trawl.Date, Kind: Missed, Text: "4 June", Want: "2025-06-04"},
		{Doc: "tiny/a", Type: trawl.Date, Kind: Boundary, Text: "Monday, June 9", Want: "Monday, June 9", Got: "June 9"},
		{Doc: "tiny/b", Type: trawl.Date, Kind: Boundary, Text: "Friday", Want: "Friday", Got: "on Friday"},
		{Doc: "tiny/b", Type: trawl.Date, Kind: Value, Text: "Friday", Want: "2025-06-06", Got: "2025-06-13"},
		{Doc: "tiny/c", Type: trawl.Date, Kind: Value, Text: "last week", Want: "2025-W23", Got: ""},
		{Doc: "tiny/c", Type: trawl.Percent, Kind: Missed, Text: "30%", Want: "30"},
		{Doc: "tiny/a", Type: trawl.Percent, Kind: Boundary, Text: "10 pct", Want: "10 pct", Got: "10"},
		{Doc: "tiny/a", Type: trawl.Commodity, Kind: Missed, Text: "alum", Want: "alum", Got: "steel-id"},
		{Doc: "tiny/b", Type: trawl.Commodity, Kind: Spurious, Text: "heat", Got: "oil-id"},
		{Doc: "tiny/c", Type: trawl.Commodity, Kind: Spurious, Text: "crude", Got: "oil-id"},
		{Doc: "tiny/c", Type: trawl.Commodity, Kind: Spurious, Text: "heat", Got: "oil-id"},
	}
	// Contexts are checked for two examples above; the rest only by the
	// golden Markdown test.
	keep := map[string]bool{"Howard Lutnick": true, "London": true}
	for i := range got.Errors {
		if !keep[got.Errors[i].Text] {
			got.Errors[i].Context = ""
		}
	}
	if diff := cmp.Diff(want, got.Errors); diff != "" {
		t.Errorf("Score(tiny).Errors (-want +got):\n%s", diff)
	}
}

// TestScoreNoPrediction checks that without predictions every gold mention
// is missed and nothing is spurious.
func TestScoreNoPrediction(t *testing.T) {
	gold, err := ReadGold("testdata/tiny.gold.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	got := Score("tiny", gold, nil, Options{})
	want := map[trawl.Kind]PRF{
		trawl.Person:  {FN: 10},
		trawl.Date:    {FN: 5},
		trawl.Percent: {FN: 3},
	}
	gotLenient := make(map[trawl.Kind]PRF)
	for k, ts := range got.Types {
		gotLenient[k] = ts.Lenient
	}
	if diff := cmp.Diff(want, gotLenient); diff != "" {
		t.Errorf("lenient scores without predictions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(&PRF{FN: 4}, got.Commodities); diff != "" {
		t.Errorf("commodities without predictions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(&GroupingScore{}, got.Grouping); diff != "" {
		t.Errorf("grouping without predictions (-want +got):\n%s", diff)
	}
}

func TestMatch(t *testing.T) {
	m := func(start, end int) trawl.Mention { return trawl.Mention{Start: start, End: end} }
	tests := []struct {
		name       string
		gold, pred []trawl.Mention
		pairs      [][2]int
		strict     int
	}{
		{"exact", []trawl.Mention{m(0, 5), m(10, 15)}, []trawl.Mention{m(10, 15), m(0, 5)}, [][2]int{{0, 1}, {1, 0}}, 2},
		{"one prediction covers two gold mentions", []trawl.Mention{m(0, 5), m(6, 10)}, []trawl.Mention{m(0, 10)}, [][2]int{{0, 0}}, 0},
		{"two predictions inside one gold mention", []trawl.Mention{m(0, 10)}, []trawl.Mention{m(0, 3), m(4, 10)}, [][2]int{{0, 1}}, 0},
		// A greedy pass alone would give the long gold mention the exact
		// prediction of the nested one and miss it.
		{"exact matches first", []trawl.Mention{m(0, 10), m(5, 10)}, []trawl.Mention{m(5, 10), m(0, 3)}, [][2]int{{0, 1}, {1, 0}}, 1},
		{"adjacent spans do not overlap", []trawl.Mention{m(0, 5)}, []trawl.Mention{m(5, 9)}, nil, 0},
		{"tie goes to the earlier prediction", []trawl.Mention{m(4, 8)}, []trawl.Mention{m(6, 10), m(2, 6)}, [][2]int{{0, 1}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pairs, strict := match(tt.gold, tt.pred)
			if diff := cmp.Diff(tt.pairs, pairs); diff != "" {
				t.Errorf("pairs (-want +got):\n%s", diff)
			}
			if strict != tt.strict {
				t.Errorf("strict = %d, want %d", strict, tt.strict)
			}
		})
	}
}

// TestIgnoreKeepsOverlappingGold checks that a prediction on an ignore span
// still counts when it also overlaps a gold mention of its type.
func TestIgnoreKeepsOverlappingGold(t *testing.T) {
	text := "from May until now"
	gold := []Gold{{
		Article:   trawl.Article{ID: "x", Text: text, Mentions: []trawl.Mention{{Type: trawl.Date, Start: 5, End: 8, Text: "May", Value: "2025-05"}}},
		Annotated: []trawl.Kind{trawl.Date},
		Ignore:    []Span{{Start: 0, End: 18}},
	}}
	pred := []trawl.Article{{ID: "x", Mentions: []trawl.Mention{
		{Type: trawl.Date, Start: 0, End: 8, Value: "2025-05"}, // overlaps gold: kept, lenient match
		{Type: trawl.Date, Start: 15, End: 18},                 // only the ignore span: dropped
	}}}
	got := Score("x", gold, pred, Options{})
	want := &TypeScore{Gold: 1, Pred: 1,
		Strict:  PRF{FP: 1, FN: 1},
		Lenient: PRF{TP: 1, P: 1, R: 1, F1: 1},
	}
	if diff := cmp.Diff(want, got.Types[trawl.Date]); diff != "" {
		t.Errorf("DATE (-want +got):\n%s", diff)
	}
}

func TestSample(t *testing.T) {
	var errs []errorRef
	for i := range 12 {
		errs = append(errs, errorRef{ErrorExample: ErrorExample{Doc: string(rune('a' + i)), Type: trawl.Date, Kind: Missed}})
	}
	errs = append(errs, errorRef{ErrorExample: ErrorExample{Doc: "p", Type: trawl.Person, Kind: Spurious}})
	var docs []string
	for _, e := range sample(errs) {
		docs = append(docs, string(e.Type)+" "+e.Doc)
	}
	// PERSON sorts first; 5 of the 12 DATE errors, at i*12/5.
	want := []string{"PERSON p", "DATE a", "DATE c", "DATE e", "DATE h", "DATE j"}
	if diff := cmp.Diff(want, docs); diff != "" {
		t.Errorf("sample (-want +got):\n%s", diff)
	}
}

func TestContext(t *testing.T) {
	text := strings.Repeat("é", 30) + "\nmention" + strings.Repeat("x", 50)
	start := strings.Index(text, "mention")
	got := context(text, start, start+len("mention"))
	want := "…" + strings.Repeat("é", 19) + " [[mention]]" + strings.Repeat("x", 40) + "…"
	if got != want {
		t.Errorf("context = %q, want %q", got, want)
	}
}

func TestReadGoldErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"bad json", `{"id":"a","text":"x"}` + "\n\n" + `{"id":"b",`, "bad.jsonl:3: unexpected end of JSON input"},
		{"no id", `{"text":"x"}`, "bad.jsonl:1: record has no id"},
		{"offsets outside text", `{"id":"a","text":"abc","mentions":[{"type":"DATE","start":2,"end":5,"text":"c"}]}`,
			"bad.jsonl:1: a: mention 0 (DATE \"c\"): offsets 2-5 outside text of 3 bytes"},
		{"rune offsets instead of bytes", `{"id":"a","text":"Zürich May","mentions":[{"type":"DATE","start":7,"end":10,"text":"May"}]}`,
			"bad.jsonl:1: a: mention 0 (DATE): text[7:10] is \" Ma\", record says \"May\""},
		{"duplicate id", `{"id":"a","text":""}` + "\n" + `{"id":"a","text":""}`, "bad.jsonl:2: id \"a\" already used on line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.jsonl")
			if err := os.WriteFile(path, []byte(tt.data), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadGold(path)
			if err == nil || !strings.HasSuffix(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "eval: "+path) {
				t.Errorf("ReadGold error = %v, want eval: %s...%s", err, path, tt.want)
			}
		})
	}
}

// devCounts are the record counts of the README table.
var devCounts = map[string]int{
	"seeds.jsonl":               3,
	"meantime.jsonl":            60,
	"tempeval3.jsonl":           256,
	"conll2003-dev.jsonl":       216,
	"ecbplus-people.jsonl":      462,
	"reuters-commodities.jsonl": 8762,
}

// devGold holds the dev files read so far, so that the tests of this
// package read each one once (the Reuters file has 8,762 records).
var devGold sync.Map

func readDev(t *testing.T, name string) []Gold {
	t.Helper()
	if g, ok := devGold.Load(name); ok {
		return g.([]Gold)
	}
	path := filepath.Join(devDir, name)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("gold file %s not available: %v", path, err)
	}
	start := time.Now()
	gold, err := ReadGold(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d records in %v", name, len(gold), time.Since(start))
	devGold.Store(name, gold)
	return gold
}

func TestReadGoldDev(t *testing.T) {
	for name, n := range devCounts {
		t.Run(name, func(t *testing.T) {
			gold := readDev(t, name)
			if len(gold) != n {
				t.Errorf("ReadGold(%s) read %d records, want %d", name, len(gold), n)
			}
		})
	}
}

// TestSelfScoreSeeds scores the seeds gold against itself: every score must
// be 1 and no error reported.
func TestSelfScoreSeeds(t *testing.T) {
	gold := readDev(t, "seeds.jsonl")
	got := Score("seeds", gold, articles(gold), Options{})
	one := PRF{P: 1, R: 1, F1: 1}
	var want, have []string
	for _, k := range []trawl.Kind{trawl.Person, trawl.Date, trawl.Percent, trawl.Commodity} {
		ts := got.Types[k]
		if ts == nil {
			t.Fatalf("no score for %s", k)
		}
		for _, p := range []PRF{ts.Strict, ts.Lenient} {
			want = append(want, string(k)+" "+ratios(one))
			have = append(have, string(k)+" "+ratios(p))
		}
	}
	if got.Grouping == nil {
		t.Fatal("no grouping score")
	}
	want = append(want, "pairwise "+ratios(one), "b-cubed "+ratios(one), "date 1.000", "percent 1.000")
	have = append(have, "pairwise "+ratios(got.Grouping.Pairwise), "b-cubed "+ratios(got.Grouping.BCubed),
		"date "+ratio(got.DateValue.Acc, true), "percent "+ratio(got.PercentValue.Acc, true))
	if diff := cmp.Diff(want, have); diff != "" {
		t.Errorf("seeds against itself (-want +got):\n%s", diff)
	}
	if got.Grouping.Mentions != 15 || got.Types[trawl.Person].Gold != 15 {
		t.Errorf("grouping over %d mentions of %d, want 15 of 15", got.Grouping.Mentions, got.Types[trawl.Person].Gold)
	}
	if len(got.Errors) != 0 {
		t.Errorf("errors scoring gold against itself: %+v", got.Errors)
	}
}

// TestSelfScoreDev scores every dev file against itself: recall 1 everywhere,
// precision 1 where it is measured, no errors; it also shows that scoring the
// largest files is quick.
func TestSelfScoreDev(t *testing.T) {
	for name := range devCounts {
		t.Run(name, func(t *testing.T) {
			gold := readDev(t, name)
			start := time.Now()
			got := Score(name, gold, articles(gold), Options{})
			t.Logf("scored in %v", time.Since(start))
			for k, ts := range got.Types {
				if ts.Lenient.R != 1 && ts.Gold > 0 || ts.Strict.FP+ts.Strict.FN+ts.Lenient.FP+ts.Lenient.FN != 0 {
					t.Errorf("%s: strict %+v lenient %+v", k, ts.Strict, ts.Lenient)
				}
			}
			if g := got.Grouping; g != nil && (g.Pairwise.FP+g.Pairwise.FN != 0 || g.BCubed.F1 != 1 && g.Mentions > 0) {
				t.Errorf("grouping %+v", g)
			}
			if c := got.Commodities; c != nil && c.FP+c.FN != 0 {
				t.Errorf("commodities %+v", c)
			}
			if len(got.Errors) != 0 {
				t.Errorf("%d errors, first %+v", len(got.Errors), got.Errors[0])
			}
		})
	}
}

// articles returns the gold records as predictions.
func articles(gold []Gold) []trawl.Article {
	out := make([]trawl.Article, len(gold))
	for i, g := range gold {
		out[i] = g.Article
	}
	return out
}

func ratios(p PRF) string { return ratio(p.P, true) + " " + ratio(p.R, true) + " " + ratio(p.F1, true) }

// TestWriteMarkdown compares the accuracy document body for the tiny set, and
// for a file without any scored span type, with testdata/tiny.md.golden.
func TestWriteMarkdown(t *testing.T) {
	labelsOnly := Score("labels-only", []Gold{{
		Article: trawl.Article{ID: "r/1", Title: "GOLD | SILVER", Text: "GOLD | SILVER\n\nprices", Commodities: []string{"gold", "silver"}},
	}}, []trawl.Article{{ID: "r/1", Commodities: []string{"gold"}}}, Options{})
	var b bytes.Buffer
	if err := WriteMarkdown(&b, []*Report{scoreTiny(t), labelsOnly}); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/tiny.md.golden", b.Bytes())
}

// TestWriteText compares the terminal table and error list of the tiny set
// with testdata/tiny.txt.golden.
func TestWriteText(t *testing.T) {
	r := scoreTiny(t)
	var b bytes.Buffer
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteErrors(&b); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/tiny.txt.golden", b.Bytes())
}

// BenchmarkReadGoldReuters reads the largest dev file.
func BenchmarkReadGoldReuters(b *testing.B) {
	path := filepath.Join(devDir, "reuters-commodities.jsonl")
	st, err := os.Stat(path)
	if err != nil {
		b.Skipf("gold file %s not available: %v", path, err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadGold(path); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGrouping checks the cluster scores on small hand-computed cases, over
// two documents so that clusters span articles.
func TestGrouping(t *testing.T) {
	// Each case has three gold mentions: a in doc 1, a and b in doc 2.
	goldDocs := []Gold{
		{Article: trawl.Article{ID: "1", Text: "Ann", Mentions: []trawl.Mention{
			{Type: trawl.Person, Start: 0, End: 3, Text: "Ann", Entity: "a"}}}, Annotated: []trawl.Kind{trawl.Person}},
		{Article: trawl.Article{ID: "2", Text: "Ann Bob", Mentions: []trawl.Mention{
			{Type: trawl.Person, Start: 0, End: 3, Text: "Ann", Entity: "a"},
			{Type: trawl.Person, Start: 4, End: 7, Text: "Bob", Entity: "b"}}}, Annotated: []trawl.Kind{trawl.Person}},
	}
	pred := func(e1, e2, e3 string) []trawl.Article {
		return []trawl.Article{
			{ID: "1", Mentions: []trawl.Mention{{Type: trawl.Person, Start: 0, End: 3, Entity: e1}}},
			{ID: "2", Mentions: []trawl.Mention{{Type: trawl.Person, Start: 0, End: 3, Entity: e2}, {Type: trawl.Person, Start: 4, End: 7, Entity: e3}}},
		}
	}
	tests := []struct {
		name string
		pred []trawl.Article
		want *GroupingScore
	}{
		// One gold pair, predicted: TP 1. B-cubed all 1.
		{"right", pred("x", "x", "y"), &GroupingScore{Mentions: 3,
			Pairwise: PRF{TP: 1, P: 1, R: 1, F1: 1}, BCubed: PRF{P: 1, R: 1, F1: 1}}},
		// Empty ids are clusters of their own: no predicted pair, the gold
		// pair missed. B-cubed P 1; R (1/2 + 1/2 + 1)/3 = 2/3; F1 0.8.
		{"no entity ids", pred("", "", ""), &GroupingScore{Mentions: 3,
			Pairwise: PRF{FN: 1}, BCubed: PRF{P: 1, R: 2.0 / 3, F1: 0.8}}},
		// All in one cluster: 3 predicted pairs, 1 right: P 1/3, R 1, F1 1/2.
		// B-cubed P (2/3 + 2/3 + 1/3)/3 = 5/9, R 1, F1 (10/9)/(14/9) = 5/7.
		{"all merged", pred("x", "x", "x"), &GroupingScore{Mentions: 3,
			Pairwise: PRF{TP: 1, FP: 2, P: 1.0 / 3, R: 1, F1: 0.5}, BCubed: PRF{P: 5.0 / 9, R: 1, F1: 5.0 / 7}}},
		// Doc 2 not predicted: only Ann in doc 1 found; no pairs at all.
		{"one found", pred("x", "x", "x")[:1], &GroupingScore{Mentions: 1,
			BCubed: PRF{P: 1, R: 1, F1: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Score("g", goldDocs, tt.pred, Options{}).Grouping
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("Grouping (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDateValueReduced checks that a richer TIMEX3 DATE value counts as
// correct when the FORMAT.md form it starts with is the gold value, and
// only then.
func TestDateValueReduced(t *testing.T) {
	text := "Sales rose in the first half of 2024 and in summer 2023."
	span := func(s, v string) trawl.Mention {
		i := strings.Index(text, s)
		return trawl.Mention{Type: trawl.Date, Start: i, End: i + len(s), Text: s, Value: v}
	}
	gold := []Gold{{Article: trawl.Article{ID: "a", Text: text,
		Mentions: []trawl.Mention{span("the first half of 2024", "2024"), span("summer 2023", "2024")}}, Annotated: []trawl.Kind{trawl.Date}}}
	pred := []trawl.Article{{ID: "a", Text: text,
		Mentions: []trawl.Mention{span("the first half of 2024", "2024-H1"), span("summer 2023", "2023-SU")}}}
	r := Score("t", gold, pred, Options{})
	if diff := cmp.Diff(Accuracy{Correct: 1, Total: 2, Acc: 0.5}, r.DateValue); diff != "" {
		t.Errorf("DateValue (-want +got):\n%s", diff)
	}
	for v, want := range map[string]string{"2008-03-01T15:00": "2008-03-01", "2010-W04-WE": "2010-W04", "2024-H1": "2024", "1998-SU": "1998", "2024-Q3": "2024-Q3", "2024-06": "2024-06", "199": "199"} {
		if got := reduceDate(v); got != want {
			t.Errorf("reduceDate(%q) = %q, want %q", v, got, want)
		}
	}
}

// TestScoreAllErrors checks that Options.AllErrors keeps every error, each
// with its context, while Errors stays a sample.
func TestScoreAllErrors(t *testing.T) {
	text := strings.Repeat("On Monday. ", MaxExamples+2)
	g := Gold{Article: trawl.Article{ID: "a", Text: text}, Annotated: []trawl.Kind{trawl.Date}}
	for i := range MaxExamples + 2 {
		s := i*len("On Monday. ") + len("On ")
		g.Mentions = append(g.Mentions, trawl.Mention{Type: trawl.Date, Start: s, End: s + len("Monday"), Text: "Monday", Value: "2025-06-09"})
	}
	r := Score("a", []Gold{g}, []trawl.Article{{ID: "a", Text: text}}, Options{AllErrors: true})
	if len(r.Errors) != MaxExamples {
		t.Errorf("Errors: %d examples, want the sample of %d", len(r.Errors), MaxExamples)
	}
	var got []string
	for _, e := range r.AllErrors {
		got = append(got, e.Kind+" "+e.Context)
	}
	want := make([]string, 0, MaxExamples+2)
	for i := range MaxExamples + 2 {
		want = append(want, Missed+" "+context(text, g.Mentions[i].Start, g.Mentions[i].End))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AllErrors (-want +got):\n%s", diff)
	}
	if r := Score("a", []Gold{g}, nil, Options{}); r.AllErrors != nil {
		t.Errorf("AllErrors without the option: %d errors, want none", len(r.AllErrors))
	}
}
