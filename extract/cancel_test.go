package extract

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/trawlnews/trawl"
)

// cancelAfter is a context whose Err is nil for its first n calls and
// context.Canceled after: a cancellation that arrives while a long text is
// being extracted, at a known point.
type cancelAfter struct {
	context.Context
	n int
}

func (c *cancelAfter) Err() error {
	if c.n > 0 {
		c.n--
		return nil
	}
	return context.Canceled
}

// TestExtractContextStopsInsideALongArticle is issue 17 case 6 inside one
// article: a text of several chunks is not extracted to its end once the
// run is cancelled (here after its first chunk); the article is left as it
// was, and a run that is not cancelled finds what Extract finds.
func TestExtractContextStopsInsideALongArticle(t *testing.T) {
	smallChunks(t)
	x := New(Options{})
	text := strings.Repeat("Treasury Secretary Scott Bessent said on Monday that steel tariffs rose to 50%. ", 3*chunkBytes/80)
	a := trawl.Article{ID: "long", Text: text, Published: "2025-06-09"}
	if err := x.ExtractContext(&cancelAfter{Context: context.Background(), n: 2}, &a); !errors.Is(err, context.Canceled) {
		t.Fatalf("ExtractContext cancelled after the first chunk: %v, want context.Canceled", err)
	}
	if a.Mentions != nil || a.Commodities != nil {
		t.Errorf("a cancelled extraction changed the article: %d mentions", len(a.Mentions))
	}
	short := trawl.Article{ID: "short", Text: text[:2000], Published: "2025-06-09"}
	want := short
	x.Extract(&want)
	if err := x.ExtractContext(context.Background(), &short); err != nil {
		t.Fatal(err)
	}
	if len(short.Mentions) == 0 || len(short.Mentions) != len(want.Mentions) {
		t.Errorf("ExtractContext found %d mentions, Extract %d", len(short.Mentions), len(want.Mentions))
	}
}
