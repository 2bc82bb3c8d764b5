package dedup

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// story is a wire story written for these tests.
const story = `The port authority said on Tuesday that container traffic through the harbour fell by a fifth in the first quarter, the steepest drop since records began, as shipping lines diverted vessels away from the congested northern terminals.
Officials blamed a shortage of crane operators and a dispute over night shifts that has dragged on for three months. The authority's chairman, Miriam Oduya, told reporters that talks with the dockworkers' union would resume next week and that she expected a settlement before the summer peak.
Exporters of fruit and timber have complained that delays of up to nine days are costing them customers in Europe and Asia. A spokesman for the growers' association said several members had started sending produce by road to a rival port two hundred kilometres to the south.
The government has promised to fund two new berths and an automated gate system, but construction is not due to start until next year. Opposition lawmakers said the plans came too late and called for an inquiry into how the backlog was allowed to build up.`

// sameTopic is a different story about the same port, written for these
// tests: it shares names and a few phrases with story, not its text.
const sameTopic = `Dockworkers at the harbour voted on Thursday to accept a new shift pattern, ending a three-month dispute that had slowed container traffic and angered exporters.
The union said its members would return to full night shifts from Monday after the port authority agreed to hire forty additional crane operators and raise overtime pay. Miriam Oduya, the authority's chairman, welcomed the vote and said the backlog of ships waiting at anchor should clear within a fortnight.
Fruit growers, who had been sending produce by road to another port, said they would wait to see whether the promised improvements materialised before switching back. Analysts said the dispute had cost the regional economy millions and exposed how dependent the port remained on a small pool of skilled staff.`

func TestNearDuplicates(t *testing.T) {
	paragraphs := strings.Split(story, "\n")
	arts := map[string]string{
		"a-original": story,
		"b-exact":    story,
		// A syndicated copy: another outlet's byline and dateline on top, a
		// credit line at the end.
		"c-syndicated": "By Staff Reporter\nHARBOUR CITY (Wire) -\n" + story + "\nReporting by the wire service; editing by the night desk.",
		// A lightly edited copy: a sentence reworded, a word changed.
		"d-edited": strings.NewReplacer(
			"fell by a fifth", "dropped 20 percent",
			"told reporters", "said",
			"several members", "a number of members").Replace(story),
		// A copy cut short: the first two paragraphs of the story.
		"e-shortened":  strings.Join(paragraphs[:2], "\n"),
		"f-same-topic": sameTopic,
		"g-other":      "Shares in the airline rose sharply after it reported a return to profit and said bookings for the summer were ahead of last year's levels.",
	}
	sigs := map[string]Signature{}
	for id, text := range arts {
		sigs[id] = Sign(text)
	}
	want := []Group{{ID: "a-original", Articles: []string{"a-original", "b-exact", "c-syndicated", "d-edited", "e-shortened"}}}
	if diff := cmp.Diff(want, Groups(sigs)); diff != "" {
		t.Errorf("Groups (-want +got):\n%s", diff)
	}
	if r := Resemblance(sigs["a-original"], sigs["f-same-topic"]); r > 0.1 {
		t.Errorf("resemblance of two stories on one topic = %.2f, want near 0", r)
	}
	if c := Containment(sigs["a-original"], sigs["f-same-topic"]); c > 0.2 {
		t.Errorf("containment of two stories on one topic = %.2f, want near 0", c)
	}
}

func TestGroupsDeterministic(t *testing.T) {
	sigs := map[string]Signature{"z": Sign(story), "m": Sign(story), "a": Sign(story + " An extra line."), "q": Sign(sameTopic)}
	first := Groups(sigs)
	for range 5 {
		if diff := cmp.Diff(first, Groups(sigs)); diff != "" {
			t.Fatalf("Groups differ between runs (-first +now):\n%s", diff)
		}
	}
	if want := []Group{{ID: "a", Articles: []string{"a", "m", "z"}}}; !cmp.Equal(want, first) {
		t.Errorf("Groups = %v, want %v: the group's id is its smallest article id", first, want)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	for _, sig := range []Signature{Sign(story), Sign("")} {
		got, err := Unmarshal(sig.Marshal())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(sig, got); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	}
	if _, err := Unmarshal([]byte{1, 2, 3}); err == nil {
		t.Error("Unmarshal of 3 bytes: no error")
	}
}

func TestNoWords(t *testing.T) {
	if sig := Sign(" -- ... "); sig.valid() {
		t.Errorf("Sign of a text without words = %+v, want the zero signature", sig)
	}
	if got := Groups(map[string]Signature{"a": Sign(""), "b": Sign("")}); len(got) != 0 {
		t.Errorf("Groups of empty texts = %v, want none", got)
	}
}

// TestWorkGrowsWithCandidates: unrelated articles are rarely candidates, so
// doubling their number does not quadruple the pairs compared.
func TestWorkGrowsWithCandidates(t *testing.T) {
	words := strings.Fields(story + " " + sameTopic)
	texts := func(n int) map[string]Signature {
		sigs := map[string]Signature{}
		r := uint64(1)
		for i := range n {
			var b strings.Builder
			for range 80 {
				r = r*6364136223846793005 + 1442695040888963407
				b.WriteString(words[(r>>33)%uint64(len(words))])
				b.WriteByte(' ')
			}
			sigs[fmt.Sprint(i)] = Sign(b.String())
		}
		return sigs
	}
	_, small, _ := groups(newMemSource(texts(500)))
	gs, large, _ := groups(newMemSource(texts(1000)))
	if len(gs) != 0 {
		t.Errorf("%d groups among unrelated texts, want none", len(gs))
	}
	if large > 3*small+50 {
		t.Errorf("pairs compared: %d for 500 texts, %d for 1000: more than linear growth in candidates", small, large)
	}
	t.Logf("pairs compared: %d for 500 texts, %d for 1000 (of %d and %d pairs)", small, large, 500*499/2, 1000*999/2)
}

// TestManyCopiesLinear: a thousand copies of one text are one group, found
// with about one comparison a copy, not one a pair.
func TestManyCopiesLinear(t *testing.T) {
	sigs := map[string]Signature{}
	for i := range 1000 {
		sigs[fmt.Sprintf("copy-%04d", i)] = Sign(story)
	}
	gs, compared, _ := groups(newMemSource(sigs))
	if len(gs) != 1 || len(gs[0].Articles) != 1000 || gs[0].ID != "copy-0000" {
		t.Fatalf("got %d groups, want one of 1000 named copy-0000", len(gs))
	}
	if compared > 2*1000 {
		t.Errorf("compared %d pairs for 1000 copies, want about 1000 (there are %d pairs)", compared, 1000*999/2)
	}
}

// storedSource is a Source over marshalled signatures, as a store keeps
// them, that records what GroupsOf asks of it.
type storedSource struct {
	ids      []string
	enc      map[string][]byte
	widest   int // the most positions one Rows call read
	passes   int
	signings int
}

func (s *storedSource) IDs() ([]string, error) { return s.ids, nil }

func (s *storedSource) Rows(lo, hi int, fn func(i int, rows []uint32)) error {
	s.passes++
	s.widest = max(s.widest, hi-lo)
	for i, id := range s.ids {
		sig, err := Unmarshal(s.enc[id])
		if err != nil {
			return err
		}
		fn(i, sig.Mins[lo:hi])
	}
	return nil
}

func (s *storedSource) Signature(i int) (Signature, error) {
	s.signings++
	return Unmarshal(s.enc[s.ids[i]])
}

// TestGroupsOfPasses: grouping signatures read a few bands at a time from a
// Source finds the groups Groups finds over the same signatures held in
// memory, reads no pass wider than BandsPerPass bands, and reads whole
// signatures only for the pairs it compares, each representative of a
// bucket once.
func TestGroupsOfPasses(t *testing.T) {
	paragraphs := strings.Split(story, "\n")
	texts := []string{story, sameTopic, strings.Join(paragraphs[:2], "\n"), "By Staff Reporter\n" + story, "", "Shares in the airline rose."}
	sigs := map[string]Signature{}
	src := &storedSource{enc: map[string][]byte{}}
	for i := range 60 {
		id := fmt.Sprintf("art-%03d", i)
		sigs[id] = Sign(texts[i%len(texts)])
		if sigs[id].valid() {
			src.ids = append(src.ids, id)
		}
		src.enc[id] = sigs[id].Marshal()
		if Valid(src.enc[id]) != sigs[id].valid() {
			t.Fatalf("Valid(%q's stored signature) = %v, want %v", texts[i%len(texts)], Valid(src.enc[id]), sigs[id].valid())
		}
	}
	want := Groups(sigs)
	got, compared, err := groups(src)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GroupsOf differs from Groups (-Groups +GroupsOf):\n%s", diff)
	}
	if len(want) < 2 {
		t.Fatalf("%d groups: the test checks nothing", len(want))
	}
	if src.widest > BandsPerPass*Rows || src.passes != Bands/BandsPerPass {
		t.Errorf("%d passes, the widest %d positions; want %d of %d", src.passes, src.widest, Bands/BandsPerPass, BandsPerPass*Rows)
	}
	// Each pair compared reads at most its two signatures, and a bucket's
	// representative is read once for all the articles compared with it.
	if compared < 2 {
		t.Fatalf("%d pairs compared: the test checks no reuse", compared)
	}
	if src.signings >= 2*compared {
		t.Errorf("%d signatures read for %d pairs compared, want fewer than two a pair", src.signings, compared)
	}
}
