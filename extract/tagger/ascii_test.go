package tagger

import (
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

// TestASCIIWord checks that the one-pass hashes of an ASCII word are the
// ones the features were trained with: hashLower, shapeHash and the
// letter counts of the general path.
func TestASCIIWord(t *testing.T) {
	type info struct {
		Word, Shape    uint64
		Letters, Upper int
	}
	for _, w := range []string{"a", "A", "said", "Bessent", "EADS", "U.S", "U.S.", "O'Neill", "Jean-Pierre", "AT&T",
		"1990s", "3rd", "x86", "'s", ".", "(", "iPhone", "MCCAIN", "McCain", "a1b2", "--", "\x7f"} {
		var want info
		want.Word, want.Shape = hashLower(fWord, w), shapeHash(w)
		for _, c := range w {
			if unicode.IsLetter(c) {
				want.Letters++
				if unicode.IsUpper(c) {
					want.Upper++
				}
			}
		}
		var got info
		got.Word, got.Shape, got.Letters, got.Upper = asciiWord(w)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("asciiWord(%q) (-want +got):\n%s", w, diff)
		}
	}
}
