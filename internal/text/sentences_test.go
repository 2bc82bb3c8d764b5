package text

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

var sentenceSeeds = []string{
	"",
	"Treasury Secretary Scott Bessent said on Friday that tariffs rose. The U.S. Trade Representative Jamieson Greer agreed!  \"Really?\" he asked.\nNew line",
	"  Mr. Smith went to Washington D.C. on Jan. 5. He met H. Lutnick there.\n\n",
	"He said “no.” Then he left.\tPrices rose 5%. 2025 was a year.",
}

func TestSentences(t *testing.T) {
	text := "Mr. Smith went to Washington D.C. on Jan. 5. He met H. Lutnick there.\n\n  “Yes,” he said. no stop here. Done?"
	var got []string
	for _, sp := range Sentences(text) {
		got = append(got, text[sp.Start:sp.End])
	}
	want := []string{
		"Mr. Smith went to Washington D.C. on Jan. 5.",
		"He met H. Lutnick there.",
		"“Yes,” he said. no stop here.",
		"Done?",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Sentences (-want +got):\n%s", diff)
	}
}

// checkSentences checks that the spans of text are in order, disjoint,
// trimmed and inside the text, and that SentenceAt agrees with a linear
// scan at every byte.
func checkSentences(t *testing.T, text string) {
	spans := Sentences(text)
	prev := 0
	for _, sp := range spans {
		if sp.Start < prev || sp.Start >= sp.End || sp.End > len(text) {
			t.Fatalf("%q: span %v out of order or outside the text (previous end %d)", text, sp, prev)
		}
		if isSpaceByte(text[sp.Start]) || isSpaceByte(text[sp.End-1]) {
			t.Errorf("%q: span %v not trimmed", text, sp)
		}
		prev = sp.End
	}
	for pos := -1; pos <= len(text)+1; pos++ {
		got, gotOK := SentenceAt(spans, pos)
		var want Span
		wantOK := false
		for _, sp := range spans {
			if sp.Start <= pos && pos < sp.End {
				want, wantOK = sp, true
			}
		}
		if got != want || gotOK != wantOK {
			t.Errorf("%q: SentenceAt(%d) = %v, %v; the linear scan finds %v, %v", text, pos, got, gotOK, want, wantOK)
		}
	}
}

func TestSentenceAt(t *testing.T) {
	for _, text := range sentenceSeeds {
		checkSentences(t, text)
	}
}

func FuzzSentences(f *testing.F) {
	for _, s := range sentenceSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 4096 {
			return
		}
		checkSentences(t, text)
	})
}
