package document

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestLower checks that Lower gives what strings.ToLower gives for every
// span of a text mixing ASCII, accented capitals and invalid UTF-8.
func TestLower(t *testing.T) {
	const s = "Mr BESSENT said 5% of ÉLYSÉE's \xff Budget was İstanbul-bound; ÖL and OIL."
	d := New(s, time.Time{})
	defer d.Release()
	var want, got []string
	for i := 0; i <= len(s); i++ {
		for j := i; j <= len(s); j++ {
			want = append(want, strings.ToLower(s[i:j]))
			got = append(got, d.Lower(i, j))
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Lower differs from strings.ToLower (-want +got):\n%s", diff)
	}
}

// TestWordID checks that WordID gives two words the same number exactly
// when their LowerASCII forms are equal, and numbers the words from 0 in
// the order they are first asked about: on the words of a written text
// and on 3,000 made-up words (enough to grow the table several times).
func TestWordID(t *testing.T) {
	var b strings.Builder
	b.WriteString("Oil and OIL and oil; ÉLYSÉE élysée Élysée, Mr MR mr. ")
	for i := range 3000 {
		fmt.Fprintf(&b, "W%dx w%dX ", i, i%1500)
	}
	s := b.String()
	d := New(s, time.Time{})
	defer d.Release()
	byForm := map[string]int{}
	for _, tok := range d.Tokens {
		if !tok.IsWord() {
			continue
		}
		form := d.LowerASCII(tok.Start, tok.End)
		if want := lowerASCII(s[tok.Start:tok.End]); form != want {
			t.Fatalf("LowerASCII(%q) = %q, want %q", s[tok.Start:tok.End], form, want)
		}
		want, seen := byForm[form]
		if !seen {
			want = len(byForm)
			byForm[form] = want
		}
		if got := d.WordID(tok.Start, tok.End); got != want {
			t.Fatalf("WordID(%q) = %d, want %d", s[tok.Start:tok.End], got, want)
		}
	}
	if len(byForm) < 3000 {
		t.Fatalf("only %d distinct words in the test text", len(byForm))
	}
}

// lowerASCII lower-cases the ASCII letters of s, byte by byte.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
