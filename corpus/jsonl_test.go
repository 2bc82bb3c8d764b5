package corpus

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlnews/trawl"
)

func TestReadJSONL(t *testing.T) {
	lines := []string{
		`{"id": "a", "text": "Steel rose 5%.", "published": "2025-06-08", "title": "T", "source": "Reuters", "mentions": [{"type": "PERCENT"}]}`,
		``,
		`{"id": "b", "text": "LONDON, June 9, 2025 (Reuters) - Copper fell.\r\nMore."}`,
		`{"id": "c", "text": "Zinc.", "published": "soon"}`,
		`not json`,
		`{"id": "d"}`,
		`{"text": "no id"}`,
		`{"id": 7, "text": "numeric id"}`,
		`{"id": "e", "text": ["not", "a", "string"]}`,
		`{"id": "a", "text": "duplicate"}`,
		`["an", "array"]`,
		`{"id": "f", "text": "   "}`,
		`{"id": "g", "text": "ok", "title": 3}`,
		`   `,
		`{"id": "h", "text": "last line without newline", "published": null}`,
	}
	raw := strings.Join(lines, "\n")
	arts, problems, err := readJSONL("a/b.jsonl", strings.NewReader(raw), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []trawl.Article{{
		ID: "a", Path: "a/b.jsonl", Line: 1, Title: "T", TitleSource: trawl.TitleRecord, Source: "Reuters",
		Published: "2025-06-08", PublishedSource: trawl.PublishedRecord,
		Text: "Steel rose 5%.", Encoding: EncUTF8, Hash: Hash([]byte(lines[0])),
	}, {
		ID: "b", Path: "a/b.jsonl", Line: 3, TitleSource: trawl.TitleFileName,
		Published: "2025-06-09", PublishedSource: trawl.PublishedDateline,
		Text: "LONDON, June 9, 2025 (Reuters) - Copper fell.\r\nMore.", Encoding: EncUTF8, Hash: Hash([]byte(lines[2])),
	}, {
		ID: "c", Path: "a/b.jsonl", Line: 4, TitleSource: trawl.TitleFileName, PublishedSource: trawl.PublishedUnknown,
		PublishedNote: `unparseable published field "soon"`,
		Text:          "Zinc.", Encoding: EncUTF8, Hash: Hash([]byte(lines[3])),
	}, {
		ID: "h", Path: "a/b.jsonl", Line: 15, TitleSource: trawl.TitleFileName, PublishedSource: trawl.PublishedUnknown,
		Text: "last line without newline", Encoding: EncUTF8, Hash: Hash([]byte(lines[14])),
	}}
	if diff := cmp.Diff(want, arts); diff != "" {
		t.Errorf("articles (-want +got):\n%s", diff)
	}
	wantProblems := []string{
		`corpus: a/b.jsonl line 4: unparseable published field "soon"; kept, published date unknown`,
		`corpus: a/b.jsonl line 5: invalid JSON: invalid character 'o' in literal null (expecting 'u')`,
		`corpus: a/b.jsonl line 6: missing "text"`,
		`corpus: a/b.jsonl line 7: missing "id"`,
		`corpus: a/b.jsonl line 8: "id" is a number, not a string`,
		`corpus: a/b.jsonl line 9: "text" is an array, not a string`,
		`corpus: a/b.jsonl line 10: duplicate id "a" (first on line 1)`,
		`corpus: a/b.jsonl line 11: not a JSON object but array`,
		`corpus: a/b.jsonl line 12: empty "text"`,
		`corpus: a/b.jsonl line 13: "title" is a number, not a string`,
	}
	var gotProblems []string
	for _, p := range problems {
		gotProblems = append(gotProblems, p.Error())
	}
	if diff := cmp.Diff(wantProblems, gotProblems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestReadJSONLFlag(t *testing.T) {
	raw := `{"id": "a", "text": "Steel.", "published": "2025-06-08"}` + "\n" + `{"id": "b", "text": "Copper."}` + "\n"
	arts, problems, err := readJSONL("x.jsonl", strings.NewReader(raw), Options{Published: "2025-06-10"})
	if err != nil || len(problems) > 0 {
		t.Fatal(err, problems)
	}
	got := [][2]string{{arts[0].Published, arts[0].PublishedSource}, {arts[1].Published, arts[1].PublishedSource}}
	want := [][2]string{{"2025-06-08", trawl.PublishedRecord}, {"2025-06-10", trawl.PublishedFlag}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("published (-want +got):\n%s", diff)
	}
}

func TestReadJSONLLongLine(t *testing.T) {
	long := strings.Repeat("Steel tariffs rose. ", 50000) // 1 MB, far beyond bufio's buffer
	raw := `{"id": "long", "text": "` + long + `"}` + "\n" + `{"id": "next", "text": "Copper."}`
	arts, problems, err := readJSONL("x.jsonl", strings.NewReader(raw), Options{})
	if err != nil || len(problems) > 0 {
		t.Fatal(err, problems)
	}
	if len(arts) != 2 || arts[0].Text != long || arts[1].Line != 2 {
		t.Errorf("got %d articles, first text %d bytes, want 2 with %d bytes and the second on line 2", len(arts), len(arts[0].Text), len(long))
	}
}

func TestReadJSONLEncodings(t *testing.T) {
	const line = `{"id": "a", "text": "Café “talks”"}`
	tests := []struct {
		name    string
		raw     []byte
		wantEnc string
	}{
		{"utf-8 BOM", append([]byte{0xEF, 0xBB, 0xBF}, line...), EncUTF8},
		{"utf-16le BOM", append([]byte{0xFF, 0xFE}, utf16(line+"\r\n", false)...), EncUTF16LE},
		{"utf-16be BOM", append([]byte{0xFE, 0xFF}, utf16(line, true)...), EncUTF16BE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arts, problems, err := readJSONL("x.jsonl", bytes.NewReader(tt.raw), Options{})
			if err != nil || len(problems) > 0 {
				t.Fatal(err, problems)
			}
			if len(arts) != 1 || arts[0].Text != "Café “talks”" || arts[0].Encoding != tt.wantEnc {
				t.Errorf("got %+v, want one article %q in %s", arts, "Café “talks”", tt.wantEnc)
			}
		})
	}
}

func TestReadJSONLBinary(t *testing.T) {
	_, _, err := readJSONL("x.jsonl", strings.NewReader("\x1f\x8b\x08\x00\x00\x00"), Options{})
	if err == nil || err.Error() != "corpus: x.jsonl: binary file (gzip archive), skipped" {
		t.Errorf("err = %v, want the gzip archive named", err)
	}
}

// TestReadFile reads text and JSONL files through Read, as the store does.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.txt", "Title: T\n\nSteel rose.\n")
	write(t, dir, "b.jsonl", `{"id": "x", "text": "Copper."}`+"\n"+`{"id": "y"}`+"\n")
	write(t, dir, "c.txt", "\x89PNG\r\n\x1a\n\x00\x00")
	files, _, err := Walk(t.Context(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		arts, problems, err := Read(f, Options{})
		for _, a := range arts {
			got = append(got, a.ID+" "+a.Path+" "+a.Text)
		}
		for _, p := range problems {
			got = append(got, "problem: "+p.Error())
		}
		if err != nil {
			got = append(got, "error: "+err.Error())
		}
	}
	want := []string{
		"a.txt a.txt Steel rose.\n",
		"x b.jsonl Copper.",
		`problem: corpus: b.jsonl line 2: missing "text"`,
		"error: corpus: c.txt: binary file (PNG image), skipped",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
}

func TestReadChanged(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.txt", "Steel rose.\n")
	write(t, dir, "b.txt", "Copper fell.\n")
	files, _, err := Walk(t.Context(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	write(t, dir, "a.txt", "Steel rose sharply.\n")
	if err := os.Remove(filepath.Join(dir, "b.txt")); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		_, _, err := Read(f, Options{})
		got = append(got, strings.Split(errString(err), " (")[0])
	}
	want := []string{
		"corpus: read a.txt: file changed since it was listed",
		"corpus: read b.txt: file vanished since it was listed: file does not exist",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read errors (-want +got):\n%s", diff)
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
