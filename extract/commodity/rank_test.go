package commodity

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl/extract/document"
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
