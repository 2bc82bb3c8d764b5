package extract

import "testing"

// TestSentenceSpansAgreeWithSentence checks that looking positions up in
// SentenceSpans gives what Sentence gives, at every byte.
func TestSentenceSpansAgreeWithSentence(t *testing.T) {
	for _, text := range []string{
		"",
		"Treasury Secretary Scott Bessent said on Friday that tariffs rose. The U.S. Trade Representative Jamieson Greer agreed!  \"Really?\" he asked.\nNew line",
		"  Mr. Smith went to Washington D.C. on Jan. 5. He met H. Lutnick there.\n\n",
	} {
		spans := SentenceSpans(text)
		for pos := 0; pos <= len(text); pos++ {
			s, e := Sentence(text, pos)
			gs, ge := pos, pos
			for _, sp := range spans {
				if sp[0] <= pos && pos < sp[1] {
					gs, ge = sp[0], sp[1]
				}
			}
			if s != gs || e != ge {
				t.Errorf("%q at %d: Sentence gives [%d,%d), SentenceSpans [%d,%d)", text, pos, s, e, gs, ge)
			}
		}
	}
}
