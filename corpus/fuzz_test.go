package corpus

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"",
		"Steel rose.",
		"Title: T\nPublished: June 8, 2025\n\nBody.",
		"---\ntitle: \"x\"\npublished: 2025-06-08\n---\nBody",
		"Published: next tuesday-ish\n\nLONDON, June 9, 2025 (Reuters) - x",
		"Caf\xe9 \x93quoted\x94 \x81",
		"Café \x93mixed\x94",
		"\xff\xfeT\x00i\x00\r\x00\n\x00",
		"\xfe\xff\x00T\x00\n\xd8\x00",
		"\x89PNG\r\n\x1a\n",
		"a\x00b\r\n\r\nc\x1a",
		"Title: T\r\n\r\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		art, err := Parse("fuzz.txt", raw, Options{})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "corpus: fuzz.txt: ") {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		if !utf8.ValidString(art.Text) || !utf8.ValidString(art.Title) || !utf8.ValidString(art.URL) {
			t.Errorf("invalid UTF-8 out: %q", art.Text)
		}
		if art.BodyOffset < 0 || art.BodyOffset > 4*len(raw) {
			t.Errorf("BodyOffset %d out of bounds for %d bytes", art.BodyOffset, len(raw))
		}
		if strings.TrimSpace(art.Text) == "" {
			t.Errorf("empty Text accepted")
		}
		if strings.ContainsAny(art.Text, "\r\x00") {
			t.Errorf("Text keeps CR or NUL: %q", art.Text)
		}
		if art.Published != "" && !isoDate.MatchString(art.Published) {
			t.Errorf("Published %q is not YYYY-MM-DD", art.Published)
		}
		if art.Hash != Hash(raw) {
			t.Errorf("Hash is not of the raw bytes")
		}
	})
}

func FuzzReadJSONL(f *testing.F) {
	for _, seed := range []string{
		`{"id":"a","text":"Steel."}`,
		"{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"a\",\"text\":\"y\"}\n\n[1]\n{\"id\":1}",
		`{"id":"a","text":"\ud800 lone","published":"2025/06/08"}`,
		"\xff\xfe{\x00}\x00",
		"{\"id\":\"a\",\"text\":\"caf\xe9\"}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		arts, problems, err := readJSONL("f.jsonl", bytes.NewReader(raw), Options{})
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, a := range arts {
			if seen[a.ID] {
				t.Errorf("duplicate id %q kept", a.ID)
			}
			seen[a.ID] = true
			if !utf8.ValidString(a.Text) || a.Text == "" || a.Line < 1 {
				t.Errorf("bad article %+v", a)
			}
		}
		for _, p := range problems {
			if !strings.HasPrefix(p.Error(), "corpus: f.jsonl line ") {
				t.Errorf("problem %q does not name file and line", p)
			}
		}
	})
}

// BenchmarkParse measures decoding, header and date handling of a ~3 KB
// article, the typical size of a trade-news story.
func BenchmarkParse(b *testing.B) {
	raw, err := os.ReadFile("testdata/article.txt")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("article.txt", raw, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
