package cluster

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/dedup"
	"github.com/trawlnews/trawl/extract"
)

// TestResultForms checks that a result comes back the same from both of
// its forms, and that a JSON result (a worker from before the binary
// form) is still read.
func TestResultForms(t *testing.T) {
	texts := []string{"Copper rose 2% on Monday, said Janet Yellen.\nA second line.", "Wheat fell 3 pct.", ""}
	want := result{Run: "run1", Seq: 7, Worker: "w", Delivered: 2}
	x := extract.New(extract.Options{})
	for i, text := range texts {
		a := trawl.Article{ID: string(rune('a' + i)), Path: "p.txt", Line: i, Text: text, Hash: "h"}
		x.Extract(&a)
		want.Signatures = append(want.Signatures, dedup.Sign(a.Text).Marshal())
		a.Text = ""
		want.Articles = append(want.Articles, a)
	}
	for _, codec := range []string{"", codecStore} {
		data, err := encodeResult(&want, codec)
		if err != nil {
			t.Fatal(err)
		}
		var got result
		if err := decodeResult("result", data, &got); err != nil {
			t.Fatalf("codec %q: %v", codec, err)
		}
		got.Codec, got.Count = "", 0
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("codec %q: result after a round trip (-want +got):\n%s", codec, diff)
		}
	}
	old, err := json.Marshal(map[string]any{"run": "r", "seq": 1, "articles": []trawl.Article{{ID: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	var got result
	if err := decodeResult("result", old, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(result{Run: "r", Seq: 1, Articles: []trawl.Article{{ID: "x"}}}, got); diff != "" {
		t.Errorf("JSON result of an older worker (-want +got):\n%s", diff)
	}
	data, _ := encodeResult(&want, codecStore)
	if err := decodeResult("result", data[:len(data)-3], &got); err == nil {
		t.Error("a truncated result decoded without an error")
	}
}

// TestBatchForms checks that a batch comes back the same with its texts
// inline, in the object store, or some of each, and that a batch cut
// short is an error.
func TestBatchForms(t *testing.T) {
	a := trawl.Article{ID: "a", Path: "p.txt", Hash: "h", Title: "Copper\nrises"}
	for _, inline := range [][]bool{{false, false}, {true, true}, {true, false, true}} {
		want := batch{Run: "run1", Seq: 3, Sign: true, Codec: codecStore}
		for i, in := range inline {
			tk := task{Article: a, Text: "sha", Chunk: "c"}
			if in {
				tk = task{Article: a, Inline: true, body: strings.Repeat("Wheat fell 3 pct.\n", i)}
			}
			want.Tasks = append(want.Tasks, tk)
		}
		data, err := encodeBatch(&want)
		if err != nil {
			t.Fatal(err)
		}
		var got batch
		if err := decodeBatch(data, &got); err != nil {
			t.Fatalf("inline %v: %v", inline, err)
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(task{})); diff != "" {
			t.Errorf("inline %v: batch after a round trip (-want +got):\n%s", inline, diff)
		}
		if inline[len(inline)-1] {
			if err := decodeBatch(data[:len(data)-2], &got); err == nil {
				t.Errorf("inline %v: a truncated batch decoded without an error", inline)
			}
		}
	}
}
