package corpus

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSilentChanges is issue 17 cases 17 and 18: a bad JSONL published
// value was dropped with no warning, a UTF-8 file with a few stray bytes
// was decoded wholly as windows-1252 ("café" became "cafÃ©") with no
// warning, an impossible time of day was accepted, and a valid date
// outside the years trawl reads was called unparseable.
func TestSilentChanges(t *testing.T) {
	t.Run("jsonl published", func(t *testing.T) {
		in := `{"id":"a","published":"0000-01-01","text":"Copper rose."}` + "\n" +
			`{"id":"b","published":"yesterday","text":"Zinc fell."}` + "\n" +
			`{"id":"c","published":"2025-06-11T25:61:00Z","text":"Tin rose."}` + "\n" +
			`{"id":"d","published":"1850-03-01","text":"Lead fell."}` + "\n" +
			`{"id":"e","published":"2025-06-11T09:30:00Z","text":"Gold rose."}` + "\n"
		arts, problems, err := readJSONL("w.jsonl", strings.NewReader(in), Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range problems {
			got = append(got, p.Error())
		}
		want := []string{
			`corpus: w.jsonl line 1: published field "0000-01-01" is outside the years 1900-2100 that trawl reads; kept, published date unknown`,
			`corpus: w.jsonl line 2: unparseable published field "yesterday"; kept, published date unknown`,
			`corpus: w.jsonl line 3: published field "2025-06-11T25:61:00Z" has a time of day that does not exist; kept, published date unknown`,
			`corpus: w.jsonl line 4: published field "1850-03-01" is outside the years 1900-2100 that trawl reads; kept, published date unknown`,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("problems (-want +got):\n%s", diff)
		}
		if len(arts) != 5 || arts[2].Published != "" || arts[4].Published != "2025-06-11" {
			t.Errorf("articles %d, published of c %q (want none), of e %q (want 2025-06-11)", len(arts), arts[2].Published, arts[4].Published)
		}
	})
	t.Run("utf-8 with stray bytes", func(t *testing.T) {
		raw := []byte("Le café de Paris a ouvert \x85 lundi; prix \x80 5.\n")
		art, err := Parse("cafe.txt", raw, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(art.Text, "café") || art.Encoding != EncMixed {
			t.Errorf("text %q, encoding %s; want café kept as UTF-8 and encoding %s", art.Text, art.Encoding, EncMixed)
		}
		notes := keptNotes("cafe.txt", raw, art)
		if len(notes) != 1 || !strings.Contains(notes[0].Error(), "invalid UTF-8 at byte 27") {
			t.Errorf("notes %v, want one naming the first stray byte", notes)
		}
	})
}
