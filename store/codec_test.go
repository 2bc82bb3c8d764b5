package store

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
)

// filled sets every field of the struct v points to, and of the structs in
// its slices, to a value no other field has, so that a field the codec
// forgets or swaps shows in a round trip.
func filled(v reflect.Value, n *int) {
	for i := range v.NumField() {
		f := v.Field(i)
		*n++
		switch f.Kind() {
		case reflect.String:
			f.SetString(fmt.Sprintf("%s-%d-é", v.Type().Field(i).Name, *n))
		case reflect.Int:
			f.SetInt(int64(*n * 1000))
		case reflect.Slice:
			s := reflect.MakeSlice(f.Type(), 2, 2)
			for j := range 2 {
				switch e := s.Index(j); e.Kind() {
				case reflect.String:
					e.SetString(fmt.Sprintf("%s[%d]-%d", v.Type().Field(i).Name, j, *n))
				case reflect.Struct:
					filled(e, n)
				default:
					panic("filled: no value for a slice of " + e.Kind().String())
				}
			}
			f.Set(s)
		default:
			panic("filled: no value for a field of kind " + f.Kind().String() + "; teach encodeArticle and this test the new field")
		}
	}
}

// TestArticleCodecEveryField round-trips an article whose every field,
// and every field of its mentions, is set: a field added to trawl.Article
// or trawl.Mention and not to encodeArticle and decodeArticle fails here.
func TestArticleCodecEveryField(t *testing.T) {
	var a trawl.Article
	n := 0
	filled(reflect.ValueOf(&a).Elem(), &n)
	var got trawl.Article
	if err := decodeArticle(encodeArticle(&a), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// TestArticleCodecNilAndEmpty checks that nil and empty slices come back
// as they went (JSON output of a stored article tells them apart: null or
// []), and that the kinds come back as the package's constants.
func TestArticleCodecNilAndEmpty(t *testing.T) {
	for _, a := range []trawl.Article{
		{},
		{ID: "a", Mentions: []trawl.Mention{}, Commodities: []string{}},
		{ID: "b", Text: "Oil rose 5%.", Mentions: []trawl.Mention{{Type: trawl.Percent, Start: 9, End: 11, Text: "5%", Parents: []string{}}}},
		{ID: "c", Text: strings.Repeat("ü", 300), Line: -3, BodyOffset: 1 << 40},
	} {
		var got trawl.Article
		if err := decodeArticle(encodeArticle(&a), &got); err != nil {
			t.Fatalf("%q: %v", a.ID, err)
		}
		if diff := cmp.Diff(a, got); diff != "" {
			t.Errorf("%q round trip (-want +got):\n%s", a.ID, diff)
		}
		wantJSON, _ := json.Marshal(a)
		gotJSON, _ := json.Marshal(got)
		if diff := cmp.Diff(string(wantJSON), string(gotJSON)); diff != "" {
			t.Errorf("%q as JSON after a round trip (-want +got):\n%s", a.ID, diff)
		}
	}
}

// TestArticleCodecReadsJSON checks that an article stored as JSON, as
// stores written before the binary form hold them, is still read.
func TestArticleCodecReadsJSON(t *testing.T) {
	a := trawl.Article{ID: "x.txt", Text: "Copper rose 2%.", Hash: "h", Mentions: []trawl.Mention{{Type: trawl.Percent, Start: 12, End: 14, Text: "2%", Value: "2"}}}
	raw, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var got trawl.Article
	if err := decodeArticle(raw, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, got); diff != "" {
		t.Errorf("JSON article (-want +got):\n%s", diff)
	}
}

// TestArticleCodecInStore commits an article and reads it back through
// the store's public methods.
func TestArticleCodecInStore(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	defer s.Close()
	a := trawl.Article{ID: "001.txt", Text: "Copper rose 2% on Monday.", Hash: "h", Mentions: []trawl.Mention{{Type: trawl.Percent, Start: 12, End: 14, Text: "2%", Value: "2", Unit: "percent"}}}
	if _, err := s.Commit([]FileWrite{{Key: FileKey("/A", "001.txt"), Hash: "h", Size: 1, Read: time.Now(), Articles: []trawl.Article{a}}}); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Article(a.ID)
	if err != nil || !ok {
		t.Fatalf("Article: %v, found %v", err, ok)
	}
	if diff := cmp.Diff(a, got); diff != "" {
		t.Errorf("stored article (-want +got):\n%s", diff)
	}
}

// TestArticleCodecCorrupt checks that damaged values are errors, never
// panics or articles.
func TestArticleCodecCorrupt(t *testing.T) {
	a := trawl.Article{ID: "a", Text: "Oil rose 5%.", Mentions: []trawl.Mention{{Type: trawl.Percent, Text: "5%", Parents: []string{"x"}}}}
	enc := encodeArticle(&a)
	for i := 1; i < len(enc); i++ {
		var got trawl.Article
		if err := decodeArticle(enc[:i], &got); err == nil {
			t.Errorf("a value cut to %d of %d bytes decoded without error", i, len(enc))
		}
	}
	var got trawl.Article
	if err := decodeArticle(append(enc, 0), &got); err == nil {
		t.Errorf("a value with a byte too many decoded without error")
	}
}

// FuzzDecodeArticle checks that no stored value, however damaged, makes
// decodeArticle panic, and that what decodes re-encodes to the same bytes.
func FuzzDecodeArticle(f *testing.F) {
	f.Add(encodeArticle(&trawl.Article{ID: "a", Text: "Oil rose 5%.", Mentions: []trawl.Mention{{Type: trawl.Percent, Text: "5%", Parents: []string{"x"}}}}))
	f.Add(encodeArticle(&trawl.Article{}))
	f.Add([]byte(`{"id":"a","text":"x"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var a trawl.Article
		if decodeArticle(b, &a) != nil || len(b) == 0 || b[0] != articleCodec {
			return
		}
		if again := encodeArticle(&a); string(again) != string(b) {
			// Varints have one canonical form but a decoder accepts
			// others; the article must still be the same.
			var b2 trawl.Article
			if err := decodeArticle(again, &b2); err != nil || !cmp.Equal(a, b2) {
				t.Errorf("re-encoded article differs: %v", err)
			}
		}
	})
}

// benchArticle is an article the size of an average bench corpus article
// (2.4 KB of text) with the mentions extraction finds in one (34).
func benchArticle() trawl.Article {
	text := strings.Repeat("Shares of Example Corp rose 5.2% on Tuesday, said chief executive Jane Doe in London. ", 28)
	a := trawl.Article{ID: "bbc/business/001.txt", Path: "bbc/business/001.txt", Title: "Example Corp shares rise", Text: text, Encoding: "utf-8", Hash: strings.Repeat("ab", 32), Commodities: []string{"oil"}}
	kinds := []trawl.Kind{trawl.Percent, trawl.Date, trawl.Person, trawl.Organization, trawl.Location}
	for i := range 34 {
		a.Mentions = append(a.Mentions, trawl.Mention{Type: kinds[i%len(kinds)], Start: i * 70, End: i*70 + 8, Text: "Jane Doe", Value: "5.2", Entity: "p1"})
	}
	return a
}

// BenchmarkDecodeArticle decodes a stored article in the binary form, and
// BenchmarkDecodeArticleJSON the same article as JSON, the form before it;
// both report MB/s of stored value.
func BenchmarkDecodeArticle(b *testing.B) {
	a := benchArticle()
	benchDecode(b, encodeArticle(&a))
}

func BenchmarkDecodeArticleJSON(b *testing.B) {
	a := benchArticle()
	raw, err := json.Marshal(a)
	if err != nil {
		b.Fatal(err)
	}
	benchDecode(b, raw)
}

func benchDecode(b *testing.B, v []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(v)))
	for b.Loop() {
		var a trawl.Article
		if err := decodeArticle(v, &a); err != nil {
			b.Fatal(err)
		}
	}
}
