package extract

import (
	"fmt"
	"math"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/trawlnews/trawl"
)

// pathological are texts built to break extractors: each is a function of a
// size n (about n bytes), so the tests can check the time grows linearly.
var pathological = []struct {
	name string
	make func(n int) string
}{
	{"capitalised words", func(n int) string { return repeatTo("Theresa Marcus Bessent ", n) }},
	{"capitalised titles", func(n int) string { return repeatTo("Treasury Secretary Minister President Chairman ", n) }},
	{"repeated punctuation", func(n int) string { return repeatTo("!?.,;:-", n) }},
	{"nested brackets", func(n int) string { return strings.Repeat("(", n/2) + strings.Repeat(")", n/2) }},
	{"dots", func(n int) string { return strings.Repeat(".", n) }},
	{"quotes and dashes", func(n int) string { return repeatTo("\u201c\u2014\u2019\u201d ", n) }},
	{"impossible dates", func(n int) string { return repeatTo("February 30, 2025 and the 32nd of June 2025; 2025-13-45. ", n) }},
	{"percent overflow", func(n int) string { return repeatTo("1e309% and -1e309 per cent, NaN%. ", n) }},
	{"long number", func(n int) string { return strings.Repeat("9", n) + "% rise" }},
	{"long decimal", func(n int) string { return "0." + strings.Repeat("0", n) + "1%" }},
	{"digits and commas", func(n int) string { return repeatTo("1,000,", n) + "% of 2025" }},
	{"month words", func(n int) string { return repeatTo("May June March August ", n) }},
	{"commodity words", func(n int) string { return repeatTo("crude oil steel soybeans rare earths ", n) }},
	{"no spaces", func(n int) string { return repeatTo("SteelRoseFivePercent", n) }},
	{"invalid UTF-8", func(n int) string { return repeatTo("Scott \xff\xfe Bessent 5\xc3% ", n) }},
	// One endless sentence with a match of every kind in each clause: an
	// extractor that looks at the whole sentence per match is quadratic.
	{"one long sentence", func(n int) string {
		return repeatTo("Copper rose 5% as Treasury Secretary Scott Bessent spoke on June 3, 2025; ", n)
	}},
	{"capitalised commodities", func(n int) string { return repeatTo("Copper rose as Steel and Soybeans fell; ", n) }},
}

// repeatTo repeats unit until the result is about n bytes.
func repeatTo(unit string, n int) string {
	return strings.Repeat(unit, max(1, n/len(unit)))
}

// extractTimed runs the full extractor over text once and returns the time
// and the mentions.
func extractTimed(x *Extractor, text string) (time.Duration, []trawl.Mention) {
	a := trawl.Article{ID: "p", Text: text, Published: "2025-06-09"}
	runtime.GC()
	start := time.Now()
	x.Extract(&a)
	return time.Since(start), a.Mentions
}

// TestPathologicalText runs every extractor over inputs that would expose a
// panic or bad offsets, at two sizes. The time for 8x the input is logged;
// quadratic behaviour is measured by BenchmarkPathological, which compares
// throughput at two sizes (make bench-pathological), not by a time limit.
func TestPathologicalText(t *testing.T) {
	x := New(Options{})
	warm := trawl.Article{ID: "w", Text: "Scott Bessent said on June 3 that steel rose 5%."}
	x.Extract(&warm) // load the lexicons before timing
	n := 128 << 10
	if raceEnabled {
		n = 16 << 10 // the race detector is ten times slower
	}
	for _, p := range pathological {
		t.Run(p.name, func(t *testing.T) {
			small, big := p.make(n), p.make(8*n)
			t1, _ := extractTimed(x, small)
			t8, ms := extractTimed(x, big)
			checkMentions(t, big, ms)
			t.Logf("%d KB: %s, %d KB: %s (x%.1f), %d mentions", len(small)>>10, t1.Round(time.Microsecond),
				len(big)>>10, t8.Round(time.Microsecond), float64(t8)/float64(max(t1, time.Microsecond)), len(ms))
		})
	}
}

// TestHundredThousandCapitalisedWords is the case as written.
func TestHundredThousandCapitalisedWords(t *testing.T) {
	words := []string{"Scott", "Bessent", "Treasury", "Secretary", "Jamieson", "Greer", "Beijing", "London"}
	var b strings.Builder
	for i := range 100_000 {
		b.WriteString(words[i%len(words)])
		b.WriteByte(' ')
	}
	text := b.String()
	start := time.Now()
	a := trawl.Article{ID: "caps", Text: text}
	New(Options{}).Extract(&a)
	d := time.Since(start)
	checkMentions(t, text, a.Mentions)
	t.Logf("100,000 capitalised words (%d KB): %s, %d mentions", len(text)>>10, d.Round(time.Millisecond), len(a.Mentions))
}

var isoDay = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)

// TestImpossibleDatesAndNumbers checks that impossible dates never become
// dates and that overflowing percentages never become Inf or NaN.
func TestImpossibleDatesAndNumbers(t *testing.T) {
	text := "On February 30, 2025 and on the 32nd of June 2025, 2025-13-45 and 31/02/2025, " +
		"prices rose 1e309% then 1e-400% and " + strings.Repeat("9", 400) + "% while steel fell " +
		"0." + strings.Repeat("0", 400) + "1 per cent."
	a := trawl.Article{ID: "d", Text: text, Published: "2025-06-09"}
	New(Options{}).Extract(&a)
	checkMentions(t, text, a.Mentions)
	for _, m := range a.Mentions {
		switch m.Type {
		case trawl.Date:
			if g := isoDay.FindStringSubmatch(m.Value); g != nil {
				y, _ := strconv.Atoi(g[1])
				mo, _ := strconv.Atoi(g[2])
				d, _ := strconv.Atoi(g[3])
				if tm := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC); tm.Month() != time.Month(mo) || tm.Day() != d {
					t.Errorf("impossible date %q became %s", m.Text, m.Value)
				}
			}
		case trawl.Percent:
			if m.Value == "" {
				continue
			}
			if f, err := strconv.ParseFloat(m.Value, 64); err == nil && (math.IsInf(f, 0) || math.IsNaN(f)) {
				t.Errorf("percentage %q has value %q", m.Text, m.Value)
			}
			if strings.ContainsAny(strings.ToLower(m.Value), "infna") {
				t.Errorf("percentage %q has value %q", m.Text, m.Value)
			}
		}
	}
}

// checkMentions asserts what every consumer of mentions relies on.
func checkMentions(t *testing.T, text string, ms []trawl.Mention) {
	t.Helper()
	for _, m := range ms {
		if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
			t.Fatalf("mention %+v: offsets outside the text (%d bytes)", m, len(text))
		}
		if m.Text != text[m.Start:m.End] {
			t.Fatalf("mention text %q is not text[%d:%d]", m.Text, m.Start, m.End)
		}
		if utf8.ValidString(text) && !utf8.ValidString(m.Text) {
			t.Fatalf("mention %q splits a character", m.Text)
		}
	}
}

// BenchmarkPathological reports throughput on each pathological input at two
// sizes; linear extractors show the same MB/s at both.
func BenchmarkPathological(b *testing.B) {
	x := New(Options{})
	for _, p := range pathological {
		for _, n := range []int{16 << 10, 256 << 10} {
			text := p.make(n)
			b.Run(fmt.Sprintf("%s/%dKB", p.name, n>>10), func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				b.ReportAllocs()
				for b.Loop() {
					a := trawl.Article{ID: "p", Text: text}
					x.Extract(&a)
				}
			})
		}
	}
}
