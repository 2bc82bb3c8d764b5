package reconcile

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/trawlnews/trawl"
)

// The pathological shapes of issue 17: inputs that once made reconciliation
// super-linear. Each builds articles of about size bytes of text with the
// mentions extraction finds in them.
var shapes = []struct {
	name  string
	build func(size int) []trawl.Article
}{
	{"dates-in-one-sentence", datesSentence},
	{"one-long-sentence", longSentence},
	{"repeated-figure-lines", figureLines},
}

// datesSentence is one sentence of "on Monday, June 9, 2025 and the meeting
// in Geneva " repeated, every date a DATE mention, and a second article
// dating the meeting otherwise.
func datesSentence(size int) []trawl.Article {
	const unit = "on Monday, June 9, 2025 and the meeting in Geneva "
	var b strings.Builder
	a := trawl.Article{ID: "long", Source: "A", Published: "2025-06-08"}
	for b.Len() < size {
		start := b.Len() + len("on ")
		b.WriteString(unit)
		d := "Monday, June 9, 2025"
		a.Mentions = append(a.Mentions, trawl.Mention{Type: trawl.Date, Start: start, End: start + len(d), Text: d, Value: "2025-06-09"})
	}
	b.WriteString("ended.")
	a.Text = b.String()
	other := "The meeting in Geneva on Tuesday, June 10, 2025 ended."
	o := trawl.Article{ID: "short", Source: "B", Published: "2025-06-08", Text: other,
		Mentions: []trawl.Mention{{Type: trawl.Date, Start: 26, End: 51, Text: other[26:51], Value: "2025-06-10"}}}
	return []trawl.Article{a, o}
}

// longSentence is one sentence without a full stop, of people, dates and
// figures: "Scott Bessent said tariffs on steel rose to 25% on Monday, June
// 9, 2025 and ".
func longSentence(size int) []trawl.Article {
	var b strings.Builder
	a := trawl.Article{ID: "long", Source: "A", Published: "2025-06-08"}
	for i := 0; b.Len() < size; i++ {
		s := b.Len()
		name := "Scott Bessent"
		b.WriteString(name + " said tariffs on steel rose to ")
		a.Mentions = append(a.Mentions, trawl.Mention{Type: trawl.Person, Start: s, End: s + len(name), Text: name, Entity: name})
		s = b.Len()
		v := fmt.Sprint(25 + i%3)
		b.WriteString(v + "% on ")
		a.Mentions = append(a.Mentions, trawl.Mention{Type: trawl.Percent, Start: s, End: s + len(v) + 1, Text: v + "%", Value: v, Unit: "percent", Subject: "tariffs on steel"})
		s = b.Len()
		d := "Monday, June 9, 2025"
		b.WriteString(d + " and ")
		a.Mentions = append(a.Mentions, trawl.Mention{Type: trawl.Date, Start: s, End: s + len(d), Text: d, Value: "2025-06-09"})
	}
	a.Text = b.String()
	return []trawl.Article{a}
}

// figureLines is lines of "Tariffs on steel rose from 25% to 50%." in two
// articles, with the other article giving another level.
func figureLines(size int) []trawl.Article {
	var arts []trawl.Article
	for k, v := range []string{"50", "55"} {
		var b strings.Builder
		a := trawl.Article{ID: fmt.Sprint("lines", k), Source: fmt.Sprint("S", k), Published: "2025-06-08"}
		for b.Len() < size/2 {
			s := b.Len()
			b.WriteString("Tariffs on steel rose from 25% to " + v + "%. Steel tariffs are " + v + "%.\n")
			a.Mentions = append(a.Mentions,
				trawl.Mention{Type: trawl.Percent, Start: s + 27, End: s + 30, Text: "25%", Value: "25", Unit: "percent", Subject: "tariffs on steel"},
				trawl.Mention{Type: trawl.Percent, Start: s + 34, End: s + 37, Text: v + "%", Value: v, From: "25", Change: "rise", Unit: "percent", Subject: "tariffs on steel"},
				trawl.Mention{Type: trawl.Percent, Start: s + 56, End: s + 59, Text: v + "%", Value: v, Unit: "percent", Subject: "steel tariffs"})
		}
		a.Text = b.String()
		arts = append(arts, a)
	}
	return arts
}

// BenchmarkPathological reconciles each shape at doubling sizes (64, 128
// and 256 KB) and at 4 MB; near-linear work shows as a flat MB/s across
// sizes.
func BenchmarkPathological(b *testing.B) {
	for _, sh := range shapes {
		for _, size := range []int{64 << 10, 128 << 10, 256 << 10, 4 << 20} {
			b.Run(fmt.Sprintf("%s/%dKB", sh.name, size>>10), func(b *testing.B) {
				arts := sh.build(size)
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					in := cloneArticles(arts)
					if _, err := Reconcile(b.Context(), in, Options{}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestPathologicalGrowth checks that reconciling each shape at twice the
// size allocates at most about twice as much: the bytes and the number of
// allocations are counted, not timed, so the test is as fast and as
// reliable on a loaded machine as on an idle one. A step that re-reads a
// sentence for every mention in it allocates in the square of the size.
func TestPathologicalGrowth(t *testing.T) {
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			small, large := allocated(t, sh.build(32<<10)), allocated(t, sh.build(64<<10))
			if large.bytes > 3*small.bytes || large.count > 3*small.count {
				t.Errorf("doubling the input from 32 KB to 64 KB took %d -> %d bytes, %d -> %d allocations; want at most 3 times as many",
					small.bytes, large.bytes, small.count, large.count)
			}
		})
	}
}

type allocs struct{ bytes, count uint64 }

// allocated reconciles arts and returns what that allocated.
func allocated(t *testing.T, arts []trawl.Article) allocs {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if _, err := Reconcile(t.Context(), arts, Options{}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	return allocs{after.TotalAlloc - before.TotalAlloc, after.Mallocs - before.Mallocs}
}

// cloneArticles copies the mentions, which Reconcile rewrites.
func cloneArticles(arts []trawl.Article) []trawl.Article {
	out := make([]trawl.Article, len(arts))
	for i, a := range arts {
		a.Mentions = append([]trawl.Mention(nil), a.Mentions...)
		out[i] = a
	}
	return out
}
