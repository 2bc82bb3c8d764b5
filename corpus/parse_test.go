package corpus

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/trawlnews/trawl"
)

// ignoreHash leaves the content hash out of comparisons; TestHash covers it.
var ignoreHash = cmpopts.IgnoreFields(trawl.Article{}, "Hash")

func TestParseHeader(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opts Options
		want trawl.Article
	}{{
		name: "no header",
		in:   "Steel tariffs rose to 50% on Monday.\n",
		want: trawl.Article{Text: "Steel tariffs rose to 50% on Monday.\n", PublishedSource: trawl.PublishedUnknown},
	}, {
		name: "key value header",
		in:   "Title: Tariffs rise\nPublished: 2025-06-08\nSource: Reuters\nAuthor: Jane Doe\nURL: https://example.com/a?b=c:d\n\nSteel tariffs rose.\n",
		want: trawl.Article{
			Title: "Tariffs rise", Source: "Reuters", Author: "Jane Doe", URL: "https://example.com/a?b=c:d",
			Published: "2025-06-08", PublishedSource: trawl.PublishedHeader,
			Text: "Steel tariffs rose.\n", BodyOffset: len("Title: Tariffs rise\nPublished: 2025-06-08\nSource: Reuters\nAuthor: Jane Doe\nURL: https://example.com/a?b=c:d\n\n"),
		},
	}, {
		name: "keys are case-insensitive and Date is accepted",
		in:   "TITLE: Tariffs\ndate: Sun, 08 Jun 2025 10:00:00 GMT\n\nBody.",
		want: trawl.Article{Title: "Tariffs", Published: "2025-06-08", PublishedSource: trawl.PublishedHeader, Text: "Body.", BodyOffset: len("TITLE: Tariffs\ndate: Sun, 08 Jun 2025 10:00:00 GMT\n\n")},
	}, {
		name: "several blank lines end the header",
		in:   "Title: T\n\n\n  \nBody.",
		want: trawl.Article{Title: "T", Text: "Body.", BodyOffset: 14, PublishedSource: trawl.PublishedUnknown},
	}, {
		name: "unknown key means no header",
		in:   "Title: T\nSubject: steel\n\nBody.",
		// Not a header; its short first line, followed by more, is the title.
		want: trawl.Article{Title: "Title: T", TitleSource: trawl.TitleFirstLine, Text: "Title: T\nSubject: steel\n\nBody.", PublishedSource: trawl.PublishedUnknown},
	}, {
		name: "header line must be first",
		in:   "\nTitle: T\n\nBody.",
		want: trawl.Article{Title: "Title: T", TitleSource: trawl.TitleFirstLine, Text: "\nTitle: T\n\nBody.", PublishedSource: trawl.PublishedUnknown},
	}, {
		name: "prose line in block means no header",
		in:   "Source: officials in Beijing\nsaid on Friday.\n\nMore.",
		want: trawl.Article{Text: "Source: officials in Beijing\nsaid on Friday.\n\nMore.", PublishedSource: trawl.PublishedUnknown},
	}, {
		name: "front matter",
		in:   "---\ntitle: \"Tariffs: the fallout\"\npublished: 2025-06-08\nsource: 'Reuters'\ntags:\n  - steel\ndraft: false\n---\n\nBody.\n",
		want: trawl.Article{Title: "Tariffs: the fallout", Source: "Reuters", Published: "2025-06-08", PublishedSource: trawl.PublishedHeader, Text: "Body.\n", BodyOffset: len("---\ntitle: \"Tariffs: the fallout\"\npublished: 2025-06-08\nsource: 'Reuters'\ntags:\n  - steel\ndraft: false\n---\n\n")},
	}, {
		name: "horizontal rule is not front matter",
		in:   "---\nSteel rose.\n---\nBody.",
		want: trawl.Article{Text: "---\nSteel rose.\n---\nBody.", PublishedSource: trawl.PublishedUnknown},
	}, {
		name: "unparseable header date falls through to the flag",
		in:   "Published: next tuesday-ish\n\nBody.",
		opts: Options{Published: "2025-06-10"},
		want: trawl.Article{
			Published: "2025-06-10", PublishedSource: trawl.PublishedFlag,
			PublishedNote: `unparseable Published header "next tuesday-ish"`,
			Text:          "Body.", BodyOffset: 29,
		},
	}, {
		name: "unparseable header date falls through to the text",
		in:   "Date: 08/06/2025\n\nLONDON, June 9, 2025 (Reuters) - Body.",
		want: trawl.Article{
			Published: "2025-06-09", PublishedSource: trawl.PublishedDateline,
			PublishedNote: `unparseable Date header "08/06/2025"`,
			Text:          "LONDON, June 9, 2025 (Reuters) - Body.", BodyOffset: 18,
		},
	}, {
		name: "header date beats the flag",
		in:   "Published: June 8, 2025\n\nBody.",
		opts: Options{Published: "2025-06-10"},
		want: trawl.Article{Published: "2025-06-08", PublishedSource: trawl.PublishedHeader, Text: "Body.", BodyOffset: 25},
	}, {
		name: "flag beats the text",
		in:   "LONDON, June 9, 2025 (Reuters) - Body.",
		opts: Options{Published: "2025-06-10"},
		want: trawl.Article{Published: "2025-06-10", PublishedSource: trawl.PublishedFlag, Text: "LONDON, June 9, 2025 (Reuters) - Body."},
	}, {
		name: "CRLF line ends",
		in:   "Title: T\r\n\r\nLine one.\r\nLine two.\r\n",
		want: trawl.Article{Title: "T", Text: "Line one.\nLine two.\n", BodyOffset: 10, PublishedSource: trawl.PublishedUnknown},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("a.txt", []byte(tt.in), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.ID, tt.want.Encoding = "a.txt", EncUTF8
			if tt.want.TitleSource == "" {
				// A header title, or none: every body here is one line.
				tt.want.TitleSource = trawl.TitleFileName
				if tt.want.Title != "" {
					tt.want.TitleSource = trawl.TitleHeader
				}
			}
			if diff := cmp.Diff(tt.want, got, ignoreHash); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"2025-06-08", "2025-06-08"},
		{"2025/06/08", "2025-06-08"},
		{"2025-6-8", "2025-06-08"},
		{"June 8, 2025", "2025-06-08"},
		{"june 8th, 2025", "2025-06-08"},
		{"Jun. 8 2025", "2025-06-08"},
		{"Sept 30, 2025", "2025-09-30"},
		{"8 June 2025", "2025-06-08"},
		{"Sunday, June 8, 2025", "2025-06-08"},
		{"Sun, 08 Jun 2025 10:00:00 GMT", "2025-06-08"},
		{"2025-06-08T23:30:00-05:00", "2025-06-08"},
		{"2025-06-08 10:00", "2025-06-08"},
		{"next tuesday-ish", ""},
		{"08/06/2025", ""},
		{"June 2025", ""},
		{"February 30, 2025", ""},
		{"2025-13-01", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("parseDate(%q) = %q, %v, want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestPublishedAtTop(t *testing.T) {
	long := strings.Repeat("Steel tariffs were discussed at length. ", 20)
	tests := []struct {
		name, text, want, source string
	}{
		{"dateline with year", "LONDON, June 9, 2025 (Reuters) - Steel rose.", "2025-06-09", trawl.PublishedDateline},
		{"agency before the date", "WASHINGTON (AP) June 9, 2025 - Steel rose.", "2025-06-09", trawl.PublishedDateline},
		{"place and region", "SPRINGFIELD, Ill., 9 June 2025 - Steel rose.", "2025-06-09", trawl.PublishedDateline},
		{"two-word place, em dash", "NEW YORK, Sept. 30, 2025 — Steel rose.", "2025-09-30", trawl.PublishedDateline},
		{"ISO date and dash", "2025-06-09 - Steel rose.", "2025-06-09", trawl.PublishedDateline},
		{"dateline after a title", "Steel rises again\n\nLONDON, June 9, 2025 (Reuters) - Steel rose.", "2025-06-09", trawl.PublishedDateline},
		{"earliest date wins", "WASHINGTON, 2 May 2025 - talks set for June 9, 2025.", "2025-05-02", trawl.PublishedDateline},
		{"weekday and date", "Monday, June 9, 2025\nSteel rose.", "2025-06-09", trawl.PublishedDateLine},
		{"labelled date line with time", "Steel rises again\nBy Jane Doe\nPublished: 9 June 2025 10:30 BST\n\nSteel rose.", "2025-06-09", trawl.PublishedDateLine},
		{"date in a sentence", "Published 9 June 2025. Steel rose.", "", trawl.PublishedUnknown},
		{"dateline without year", "LONDON, June 9 (Reuters) - Steel rose in 2025.", "", trawl.PublishedUnknown},
		{"relative date only", "Officials met last Friday.", "", trawl.PublishedUnknown},
		{"birth date in the first sentence", "Singer dies at 84\n\nThe singer, born on April 5, 1920 in Leeds, died on Sunday.", "", trawl.PublishedUnknown},
		{"maturity in the lead", "Bond sale\n\nThe bonds mature on November 20, 2013, the agency said.", "", trawl.PublishedUnknown},
		{"deadline on the fourth line", "Talks\n\nOne.\nTwo.\nJuly 15, 2006\nThree.", "", trawl.PublishedUnknown},
		{"date too far in", long + "\nJune 9, 2025\nSteel rose.", "", trawl.PublishedUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("a.txt", []byte(tt.text), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([2]string{tt.want, tt.source}, [2]string{got.Published, got.PublishedSource}); diff != "" {
				t.Errorf("published, source (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFirstLineTitle(t *testing.T) {
	tests := []struct {
		name, text, title, source string
	}{
		{"headline and blank line", "Games win for Blu-ray DVD format\n\nThe format is winning.", "Games win for Blu-ray DVD format", trawl.TitleFirstLine},
		{"capitals, body follows directly", "BANK LOWERING VISA RATES\nThe bank said it was lowering rates.", "BANK LOWERING VISA RATES", trawl.TitleFirstLine},
		{"capitals, wrapped lower-case body", "BANK TO CUT RATES\nthe bank said on friday it\nwould cut rates.", "BANK TO CUT RATES", trawl.TitleFirstLine},
		{"ellipsis", "Rivals of the new phone...\n\nThe phone is cheap.", "Rivals of the new phone...", trawl.TitleFirstLine},
		{"question", "Is the boom over?\n\nPrices fell.", "Is the boom over?", trawl.TitleFirstLine},
		{"ends in an abbreviation", "Profits rise at Acme Corp.\n\nAcme said profits rose.", "Profits rise at Acme Corp.", trawl.TitleFirstLine},
		{"leading blank lines", "\n\nSteel rises\n\nSteel rose.", "Steel rises", trawl.TitleFirstLine},
		{"a sentence", "Steel rose on Monday.\n\nIt fell on Tuesday.", "", trawl.TitleFileName},
		{"too long", strings.Repeat("word ", 16) + "\n\nBody.", "", trawl.TitleFileName},
		{"wrapped first sentence", "Steel prices rose sharply\nafter the tariff rise.\n\nMore.", "", trawl.TitleFileName},
		{"lead-in colon", "The figures were:\n\n5% and 6%.", "", trawl.TitleFileName},
		{"no body", "Steel rises\n\n", "", trawl.TitleFileName},
		{"date line is no title", "June 9, 2025\n\nSteel rose.", "", trawl.TitleFileName},
		{"header title wins", "Title: Tariffs\n\nSteel rises\n\nSteel rose.", "Tariffs", trawl.TitleHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("a.txt", []byte(tt.text), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([2]string{tt.title, tt.source}, [2]string{got.Title, got.TitleSource}); diff != "" {
				t.Errorf("title, source (-want +got):\n%s", diff)
			}
		})
	}
}

// utf16 encodes s as UTF-16 with the given byte order, without a BOM.
func utf16(s string, bigEndian bool) []byte {
	var out []byte
	for _, r := range s {
		if r > 0xFFFF {
			r -= 0x10000
			hi, lo := 0xD800+(r>>10), 0xDC00+(r&0x3FF)
			out = append(out, pair(uint16(hi), bigEndian)...)
			out = append(out, pair(uint16(lo), bigEndian)...)
			continue
		}
		out = append(out, pair(uint16(r), bigEndian)...)
	}
	return out
}

func pair(u uint16, bigEndian bool) []byte {
	if bigEndian {
		return []byte{byte(u >> 8), byte(u)}
	}
	return []byte{byte(u), byte(u >> 8)}
}

func TestParseEncoding(t *testing.T) {
	const text = "Title: Café talks\n\n“Steel” rose 5% — said Lutnick 🚢.\n"
	const body = "“Steel” rose 5% — said Lutnick 🚢.\n"
	tests := []struct {
		name     string
		raw      []byte
		wantText string
		wantEnc  string
	}{
		{"utf-8", []byte(text), body, EncUTF8},
		{"utf-8 BOM", append([]byte{0xEF, 0xBB, 0xBF}, text...), body, EncUTF8},
		{"utf-16le BOM", append([]byte{0xFF, 0xFE}, utf16(text, false)...), body, EncUTF16LE},
		{"utf-16be BOM", append([]byte{0xFE, 0xFF}, utf16(text, true)...), body, EncUTF16BE},
		{"utf-16le no BOM", utf16("Title: Steel\n\nSteel rose 5% on Monday.\n", false), "Steel rose 5% on Monday.\n", EncUTF16LE},
		{"utf-16be CRLF", append([]byte{0xFE, 0xFF}, utf16("Steel\r\nrose\r\n", true)...), "Steel\nrose\n", EncUTF16BE},
		{
			"windows-1252 smart quotes",
			[]byte("Title: Caf\xe9 talks\n\n\x93Steel\x94 rose 5% \x97 said Lutnick.\n"),
			"“Steel” rose 5% — said Lutnick.\n", EncWindows1252,
		},
		{
			"utf-8 with stray windows-1252 quotes",
			[]byte("Title: Café talks\n\nCafé, naïve, résumé \x93Steel\x94 rose.\n"),
			"Café, naïve, résumé “Steel” rose.\n", EncMixed,
		},
		{
			"undefined windows-1252 byte",
			[]byte("Caf\xe9 \x81 rose.\n"),
			"Café \uFFFD rose.\n", EncWindows1252,
		},
		{
			"a few NUL bytes are stripped",
			[]byte(strings.Repeat("Steel rose 5% on Monday. ", 8) + "Officials met\x00 in London.\n"),
			strings.Repeat("Steel rose 5% on Monday. ", 8) + "Officials met in London.\n", EncUTF8,
		},
		{"DOS end of file mark", []byte("Steel rose.\r\n\x1a"), "Steel rose.\n", EncUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("a.txt", tt.raw, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantText, got.Text); diff != "" {
				t.Errorf("Text (-want +got):\n%s", diff)
			}
			if got.Encoding != tt.wantEnc {
				t.Errorf("Encoding = %q, want %q", got.Encoding, tt.wantEnc)
			}
			if !utf8.ValidString(got.Text) {
				t.Errorf("Text is not valid UTF-8: %q", got.Text)
			}
		})
	}
}

func TestParseTitleDecoded(t *testing.T) {
	got, err := Parse("a.txt", append([]byte{0xFF, 0xFE}, utf16("Title: Café\n\nBody.", false)...), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Café" || got.BodyOffset != len("Title: Café\n\n") {
		t.Errorf("Title %q BodyOffset %d, want %q %d", got.Title, got.BodyOffset, "Café", len("Title: Café\n\n"))
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		raw  []byte
		want string
	}{
		{"empty", nil, "corpus: a/b.txt: empty file"},
		{"whitespace only", []byte(" \n\t\r\n  "), "corpus: a/b.txt: empty file"},
		{"BOM only", []byte{0xEF, 0xBB, 0xBF, '\n'}, "corpus: a/b.txt: empty file"},
		{"utf-16 BOM only", []byte{0xFF, 0xFE}, "corpus: a/b.txt: empty file"},
		{"header but no body", []byte("Title: T\nPublished: 2025-06-08\n"), "corpus: a/b.txt: header but no body"},
		{"header and blank lines only", []byte("Title: T\n\n \n\n"), "corpus: a/b.txt: header but no body"},
		{"front matter but no body", []byte("---\ntitle: T\n---\n"), "corpus: a/b.txt: header but no body"},
		{"PNG", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "corpus: a/b.txt: binary file (PNG image), skipped"},
		{"PDF", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "corpus: a/b.txt: binary file (PDF document), skipped"},
		{"zip", []byte("PK\x03\x04\x14\x00\x06\x00word/document.xml"), "corpus: a/b.txt: binary file (zip archive), skipped"},
		{"gzip", []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"), "corpus: a/b.txt: binary file (gzip archive), skipped"},
		{"JPEG", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), "corpus: a/b.txt: binary file (JPEG image), skipped"},
		{"many NUL bytes", []byte("Steel\x00\x00\x00\x01\x02rose\x00\x00\x00\x00 and fell\x00\x00\xff\x00"), "corpus: a/b.txt: binary file (contains NUL bytes), skipped"},
		{"control bytes", []byte("\x01\x02\x03\x04\x05\x06 steel \x07\x08\x0e\x0f"), "corpus: a/b.txt: binary file (control characters), skipped"},
		{"not western text", []byte("\xc4\xe3\xba\xc3\xca\xc0\xbd\xe7 \xb8\xd6\xcc\xfa"), "corpus: a/b.txt: unknown encoding (not UTF-8, UTF-16 or windows-1252), skipped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("a/b.txt", tt.raw, Options{})
			if err == nil {
				t.Fatalf("Parse(%q) = nil error, want %q", tt.raw, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Parse(%q) error = %q, want %q", tt.raw, err, tt.want)
			}
		})
	}
}

func TestHash(t *testing.T) {
	raw := []byte("Title: T\r\n\r\nBody.\r\n")
	art, err := Parse("a.txt", raw, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The hash is of the raw bytes, CRLF and header included, so any change
	// to the file on disk shows.
	if art.Hash != Hash(raw) {
		t.Errorf("Hash = %q, want Hash(raw) %q", art.Hash, Hash(raw))
	}
	if Hash([]byte("abc")) != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("Hash(abc) = %s, not the SHA-256 test vector", Hash([]byte("abc")))
	}
	other, _ := Parse("a.txt", []byte("Title: T\n\nBody.\n"), Options{})
	if other.Hash == art.Hash {
		t.Error("files differing only in line ends have the same hash")
	}
}
