package commodity

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl/extract/document"
	"github.com/trawlnews/trawl/extract/internal/gold"
)

func TestRank(t *testing.T) {
	tests := []struct {
		name, title, text string
		want              []string
	}{
		{"a wheat story is a grain story", "", "Wheat exports rose.", []string{"wheat", "grain"}},
		{"grain above two grains", "", "Wheat exports rose and corn exports fell.", []string{"grain", "wheat", "corn"}},
		{"the main commodity first", "",
			"Copper prices rose as copper stocks fell and copper demand held. Freight costs for oil were steady.",
			[]string{"copper", "base-metals", "crude-oil"}},
		{"the title counts", "Oil prices rise", "Traders said gold was steady. Oil rose and gold fell.",
			[]string{"crude-oil", "gold", "precious-metals"}},
		{"no commodity", "", "The minister spoke on Monday.", []string{}},
		{"a commodity named once in passing deep in a long story is not what it is about", "Brazil coffee exports rise",
			"Brazil coffee exports rise\n\nBrazil's coffee exports rose in March, the coffee institute said. " +
				"Coffee shipments to Europe were up and coffee stocks at the ports fell. The institute said " +
				"the harvest of the new coffee crop would start in May. " + strings.Repeat("Growers in the south said the rains came late this year. ", 50) +
				"Exporters said the country's trade " +
				"balance also gained from lower bills for imported oil.",
			[]string{"coffee"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Rank(Find(document.New(tt.text, time.Time{})), tt.title, tt.text)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Rank(%q) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

// TestRankSameEveryRun checks that Rank gives the same list every time:
// its scores add up map entries, whose order changes from run to run.
func TestRankSameEveryRun(t *testing.T) {
	text := "Wheat and corn exports rose while soybean and palm oil prices fell. " +
		"Copper, aluminium and zinc stocks were steady; gold and silver eased. Oil and natural gas output rose."
	ms := Find(document.New(text, time.Time{}))
	want := Rank(ms, "Grain exports rise", text)
	for range 50 {
		if diff := cmp.Diff(want, Rank(ms, "Grain exports rise", text)); diff != "" {
			t.Fatalf("Rank changed between runs (-first +later):\n%s", diff)
		}
	}
}

// TestRankStories checks the lists a researcher filtering by commodity
// would see for a few stories.
func TestRankStories(t *testing.T) {
	tests := []struct {
		name, title, text string
		want              []string
	}{
		{"a wheat and corn story that never says grain is a grain story", "U.S. WHEAT EXPORTS RISE",
			"U.S. WHEAT EXPORTS RISE\n\nU.S. wheat exports rose to 612,000 tonnes in the week, up from 480,000 " +
				"the week before, the Agriculture Department said. Egypt bought 200,000 tonnes of soft red winter " +
				"wheat and Japan took 90,000 tonnes. Corn shipments were steady at 1.1 mln tonnes, with most of the " +
				"corn going to Taiwan and South Korea. Exporters said wheat sales to the Soviet Union could follow.",
			[]string{"grain", "wheat", "corn"}},
		{"a steel maker's results are not a steel story by its name alone", "Nippon Steel profit rises",
			"Nippon Steel profit rises\n\nNippon Steel Corp said on Tuesday its net profit rose 12 pct in the year " +
				"to March as costs fell and the yen weakened. The company said it would pay a higher dividend.",
			[]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Rank(Find(document.New(tt.text, time.Time{})), tt.title, tt.text)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Rank (-want +got):\n%s", diff)
			}
		})
	}
}

// BenchmarkRank ranks the commodities of a wire story of about 1.5 KB
// with a dozen commodity mentions.
func BenchmarkRank(b *testing.B) {
	title := "EC SUGAR AND WHEAT EXPORTS RISE"
	text := title + "\n\n" + strings.Repeat("The European Community sold 60,000 tonnes of white sugar and "+
		"120,000 tonnes of soft wheat at its weekly tender, traders said. Barley and corn bids were rejected, "+
		"and oil prices had no effect on the market. Soybean and palm oil prices were steady. ", 5)
	ms := Find(document.New(text, time.Time{}))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Rank(ms, title, text)
	}
}

// TestKeyTable checks the centrality model's word table against the map
// it stands for: every key, and every word key of the first 300 articles
// of the shared benchmark corpus when ../shared is there, gets the same
// number or none.
func TestKeyTable(t *testing.T) {
	x := centralityIndex()
	check := func(w []byte) {
		want, wantOK := x.at[string(w)]
		got, ok := x.table.find(w)
		if got != want || ok != wantOK {
			t.Fatalf("find(%q) = %d, %v; the map says %d, %v", w, got, ok, want, wantOK)
		}
	}
	for k := range x.at {
		check([]byte(k))
	}
	check([]byte("no such word"))
	check(nil)
	for _, s := range gold.BenchTexts(t, 300) {
		articleWords(s[:min(len(s), 80)], s, check)
	}
}
