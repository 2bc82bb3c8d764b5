package commodity

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/extract/document"
	"github.com/trawlnews/trawl/extract/internal/gold"
	"github.com/trawlnews/trawl/internal/lexicon"
)

// findPairs runs Find over text and returns "text=id" pairs.
func findPairs(text string) []string {
	var out []string
	for _, m := range Find(document.New(text, time.Time{})) {
		out = append(out, m.Text+"="+m.Value)
	}
	return out
}

// findText runs Find over text.
func findText(text string) []trawl.Mention { return Find(document.New(text, time.Time{})) }

func TestCommodityMatches(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want []string
	}{
		{"steel and aluminum", "tariffs on imported steel and aluminum from 25% to 50%", []string{"steel=steel", "aluminum=aluminium"}},
		{"british spelling", "aluminium smelters", []string{"aluminium=aluminium"}},
		{"sulfur spelling", "sulfur and sulphur", []string{"sulfur=sulphur", "sulphur=sulphur"}},
		{"longest match crude oil", "crude oil prices rose", []string{"crude oil=crude-oil"}},
		{"crude alone in wire copy", "OPEC crude output fell", []string{"crude=crude-oil"}},
		{"rare earth elements longest", "licensing related to rare earth elements.", []string{"rare earth elements=rare-earths"}},
		{"rare earth before a noun", "rare earth export licenses", []string{"rare earth=rare-earths"}},
		{"rare-earth hyphenated", "rare-earth magnets", []string{"rare-earth magnets=rare-earths"}},
		{"critical mineral", "critical mineral exports", []string{"critical mineral=critical-minerals"}},
		{"critical materials", "sectors involving critical materials", []string{"critical materials=critical-minerals"}},
		{"key minerals", "several key minerals", []string{"key minerals=minerals"}},
		{"mineral exports", "the pace of mineral exports", []string{"mineral=minerals"}},
		{"ethane", "controls on ethane exports", []string{"ethane=ethane"}},
		{"lng and natural gas", "LNG and natural gas", []string{"LNG=lng", "natural gas=natural-gas"}},
		{"soybeans", "soybeans and soybean meal", []string{"soybeans=soybeans", "soybean meal=soymeal"}},
		{"critical minerals list", "lithium, cobalt, nickel, graphite, gallium, germanium, antimony, tungsten and manganese",
			[]string{"lithium=lithium", "cobalt=cobalt", "nickel=nickel", "graphite=graphite", "gallium=gallium", "germanium=germanium", "antimony=antimony", "tungsten=tungsten", "manganese=manganese"}},
		{"lead the metal", "lead and zinc prices", []string{"lead=lead", "zinc=zinc"}},
		{"lead prices", "LME lead prices fell", []string{"lead=lead"}},
		{"all caps headline", "GOLD PRICES RISE", []string{"GOLD=gold"}},
		{"title case headline", "Copper Prices Hit Record High", []string{"Copper=copper"}},
		{"iron ore", "iron ore shipments", []string{"iron ore=iron-ore"}},
		{"fuel noun", "fuel prices rose", []string{"fuel=fuel"}},
		{"apples lower case", "apple exports to India", []string{"apple=apples"}},
		// words that are not commodities
		{"a company before its ticker", "CINCINNATI GAS <CIN> FILES SHELF OFFERING", nil},
		{"a company of several words before its ticker", "KELLY OIL AND GAS PARTNERS <KLY> YEAR NET", nil},
		{"a company inside angle brackets", "said <Triton Oil Corp> would sell natural gas", []string{"natural gas=natural-gas"}},
		{"a ticker does not reach past lower-case words", "GAS PRICES RISE, SAYS <XON>", []string{"GAS=natural-gas"}},
		{"oil beside soybeans is the edible oil", "crushers turned soybeans into meal and oil", []string{"soybeans=soybeans", "oil=vegetable-oils"}},
		{"oil beside oilseeds with petroleum in the article", "soybeans into meal and oil. Crude oil rose.",
			[]string{"soybeans=soybeans", "oil=crude-oil", "Crude oil=crude-oil"}},
		{"oil in another sentence than the oilseeds", "Palm oil output rose. Oil prices fell.", []string{"Palm oil=palm-oil", "Oil=crude-oil"}},
		{"lead the verb", "Vice Premier He Lifeng will lead its delegation", nil},
		{"take the lead", "China wants to take the lead in talks", nil},
		{"lead manager of a bond issue", "The bonds carry a 7-3/4 pct coupon and 101 issue price, lead manager Swiss Bank Corp said.", nil},
		{"Lead at sentence start", "Lead negotiators met on Monday.", nil},
		{"iron out", "they hope to iron out differences", nil},
		{"gold medal", "She won a gold medal.", nil},
		{"won gold", "She won gold in Paris.", nil},
		{"Apple the company", "Apple said sales rose.", nil},
		{"corn inside cornerstone", "a cornerstone of policy", nil},
		{"tin inside a word", "continued, tinted", nil},
		{"oil painting", "an oil painting sold", nil},
		{"crude remarks", "He made crude remarks.", nil},
		{"a crude attempt", "a crude attempt at humour", nil},
		{"Copper Mountain", "They skied at Copper Mountain last year.", nil},
		{"platinum record", "The album earned a platinum record.", nil},
		{"silver lining", "There is a silver lining.", nil},
		{"golden", "a golden opportunity", nil},
		{"tear gas", "police fired tear gas", nil},
		{"fuel the verb", "The move could fuel tensions.", nil},
		{"company name", "Occidental Petroleum Corp said", nil},
		{"plastics is not a commodity", "a component used in plastics manufacturing", nil},
		{"energy is not a commodity", "renewable energy technologies", nil},
		{"Rice the person", "Secretary of State Condoleezza Rice said on Monday that talks would go on.", nil},
		{"hashtag", "#RareEarthMaterials", nil},
		{"medals in a list", "She won silver and bronze medals in Paris.", nil},
		{"gold in a results line", "Britain took two golds and a silver at the Olympics.", nil},
		{"davis cup rubber", "Spain won the deciding rubber of the Davis Cup tie.", nil},
		{"dead rubber", "He lost a dead rubber on Sunday.", nil},
		{"cotton on to", "Investors were slow to cotton on to the risk.", nil},
		{"organisation named for a commodity", "Nippon Steel said on Monday it would raise prices.", nil},
		{"organisation after a country", "Shares of US Steel rose on Tuesday after the bid.", nil},
		{"organisation before a capitalised word", "The mine belongs to Gold Fields and was sold last year.", nil},
		{"commodity beside an organisation", "Nippon Steel said steel demand would fall.", []string{"steel=steel"}},
		{"cotton on a market", "Prices of cotton on the New York market fell.", []string{"cotton=cotton"}},
		{"rubber output", "Thai rubber output rose in the quarter.", []string{"rubber=rubber"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, findPairs(tc.text)); diff != "" {
				t.Errorf("Find(%q) (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

func TestCommodityCategory(t *testing.T) {
	ms := Find(document.New("steel, crude oil, wheat and rare earths", time.Time{}))
	var got []string
	for _, m := range ms {
		got = append(got, m.Category)
	}
	if diff := cmp.Diff([]string{"metals", "energy", "agriculture", "minerals"}, got); diff != "" {
		t.Errorf("categories (-want +got):\n%s", diff)
	}
}

func TestCommodityParents(t *testing.T) {
	got := map[string][]string{}
	for _, m := range Find(document.New("wheat, soybean oil, pork bellies, gold and crude oil", time.Time{})) {
		got[m.Text] = m.Parents
	}
	want := map[string][]string{
		"wheat": {"grain"}, "soybean oil": {"vegetable-oils"}, "pork bellies": {"pork", "meat"},
		"gold": {"precious-metals"}, "crude oil": nil,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parents (-want +got):\n%s", diff)
	}
}

func TestCommodityCatalogue(t *testing.T) {
	es, err := parseCatalogue(lexicon.Columns("commodities.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseContext(lexicon.Columns("commodity-context.txt")); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	synonyms := map[string]string{}
	for _, e := range es {
		if ids[e.ID] {
			t.Errorf("duplicate id %q", e.ID)
		}
		ids[e.ID] = true
		for _, s := range e.Synonyms {
			if other, ok := synonyms[s]; ok {
				t.Errorf("synonym %q maps to both %q and %q", s, other, e.ID)
			}
			synonyms[s] = e.ID
		}
		if len(e.HS) != 0 && len(e.HS) != 2 && len(e.HS) != 4 && len(e.HS) != 6 {
			t.Errorf("%s: HS code %q is not 2, 4 or 6 digits", e.ID, e.HS)
		}
	}
	// Every rule names a synonym of the catalogue.
	rules, _ := parseContext(lexicon.Columns("commodity-context.txt"))
	for s := range rules {
		if _, ok := synonyms[s]; !ok {
			t.Errorf("commodity-context.txt: %q is not a catalogue synonym", s)
		}
	}
	// The commodity topics of Reuters-21578 and today's trade news are covered.
	for _, s := range []string{"crude oil", "natural gas", "lng", "soybeans", "steel", "aluminum", "lithium", "cobalt", "graphite",
		"gallium", "germanium", "antimony", "tungsten", "manganese", "rare earths", "rare earth elements", "rare earth magnets", "ethane"} {
		if synonyms[s] == "" {
			t.Errorf("catalogue lacks %q", s)
		}
	}
	// A parent with an HS code encloses its child's code, and no entry is
	// its own ancestor.
	byID := map[string]CatalogueEntry{}
	for _, e := range es {
		byID[e.ID] = e
	}
	for _, e := range es {
		for _, p := range e.Parents {
			if ph := byID[p].HS; ph != "" && e.HS != "" && (len(ph) >= len(e.HS) || !strings.HasPrefix(e.HS, ph)) {
				t.Errorf("%s (HS %s): parent %s has HS code %s, which does not enclose it", e.ID, e.HS, p, ph)
			}
		}
		seen := map[string]bool{e.ID: true}
		for up := e.Parents; len(up) > 0; up = byID[up[0]].Parents {
			if seen[up[0]] {
				t.Errorf("%s is its own ancestor", e.ID)
				break
			}
			seen[up[0]] = true
		}
	}
	if got := Catalogue(); len(got) != len(es) || got[0].Name == "" {
		t.Errorf("Catalogue() returned %d entries, want %d", len(got), len(es))
	}

	// HS codes exist in the Harmonized System nomenclature.
	f, err := os.Open(gold.Shared("data", "hs", "harmonized-system.csv"))
	if err != nil {
		t.Skipf("HS nomenclature not available (needs ../shared next to the repository): %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, r := range rows[1:] {
		codes[r[1]] = true
	}
	for _, e := range es {
		if e.HS != "" && !codes[e.HS] {
			t.Errorf("%s: HS code %s is not in the nomenclature", e.ID, e.HS)
		}
	}
}

func TestCommodityReutersLabels(t *testing.T) {
	data, err := os.ReadFile(gold.Shared("eval", "commodity_map.json"))
	if err != nil {
		t.Skipf("commodity map not available: %v", err)
	}
	for _, e := range Catalogue() {
		for _, l := range e.Reuters {
			if !strings.Contains(string(data), `"`+l+`"`) {
				t.Errorf("%s: Reuters code %q is not a label of commodity_map.json", e.ID, l)
			}
		}
	}
}

func TestCommodityGold(t *testing.T) {
	p, r, f1 := gold.StrictScore(t, gold.Records(t, "seeds.jsonl"), trawl.Commodity, findText)
	t.Logf("seeds COMMODITY strict P=%.3f R=%.3f F1=%.3f", p, r, f1)
	if f1 < 1 {
		t.Errorf("seeds: COMMODITY strict F1 = %.3f, want 1", f1)
	}
}

func FuzzCommodities(f *testing.F) {
	for _, s := range []string{"crude oil and rare earth elements", "Lead lead LEAD", "rare-\nearth", "gold\xffsilver", "ñsteel steelñ", "fuel"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ms := Find(document.New(text, time.Time{}))
		gold.CheckMentions(t, text, ms)
	})
}

func BenchmarkCommodities(b *testing.B) {
	text := gold.Seeds(b)
	doc := document.New(text, time.Time{})
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Find(doc)
	}
}
