package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/internal/golden"
)

// seeds reads the discrepancies of the seed articles from
// testdata/seeds.json, the JSON report that the CLI test
// (cmd/trawl TestDiscrepanciesSeedsGolden) writes and checks.
func seeds(t *testing.T) []trawl.Discrepancy {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "seeds.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Discrepancies []trawl.Discrepancy `json:"discrepancies"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("testdata/seeds.json: %v", err)
	}
	if len(doc.Discrepancies) == 0 {
		t.Fatal("testdata/seeds.json holds no discrepancies: the test checks nothing")
	}
	return doc.Discrepancies
}

// TestReportsGolden renders the seed discrepancies in every format; the
// golden files are those the CLI prints for the seed articles.
func TestReportsGolden(t *testing.T) {
	ds := seeds(t)
	for _, w := range []struct {
		file  string
		write func(io.Writer, []trawl.Discrepancy) error
	}{
		{"seeds.txt", WriteText},
		{"seeds.md", WriteMarkdown},
		{"seeds.json", WriteJSON},
		{"seeds.html", WriteHTML},
		{"seeds.csv", WriteCSV},
	} {
		t.Run(w.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := w.write(&b, ds); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", w.file), b.Bytes())
		})
	}
}

func TestReportsShowMentions(t *testing.T) {
	ds := seeds(t)
	var text, md, html bytes.Buffer
	WriteText(&text, ds)
	WriteMarkdown(&md, ds)
	WriteHTML(&html, ds)
	for _, c := range []struct{ name, out, want string }{
		{"text", text.String(), "«Scott Besset»"},
		{"markdown", md.String(), "**Scott Besset**"},
		{"html", html.String(), "<mark>Scott Besset</mark>"},
		{"html anchor", html.String(), `<section id="name-spelling:scott-bessent">`},
	} {
		if !strings.Contains(c.out, c.want) {
			t.Errorf("%s report lacks %q", c.name, c.want)
		}
	}
	if strings.Contains(html.String(), "http") && strings.Contains(html.String(), "<link") {
		t.Errorf("html report loads external resources")
	}
}

func TestHTMLEscapes(t *testing.T) {
	ds := []trawl.Discrepancy{{ID: "x", Kind: trawl.NameSpelling, Subject: "<script>alert(1)</script>", Summary: "a & b",
		Versions: []trawl.Version{{Value: "<b>", Evidence: []trawl.Evidence{{Article: "a", Sentence: "x <i>y</i> z", MentionStart: 2, MentionEnd: 10}}}}}}
	var b bytes.Buffer
	if err := WriteHTML(&b, ds); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<script>") || strings.Contains(b.String(), "<i>") {
		t.Errorf("html report does not escape article text:\n%s", b.String())
	}
}

// TestDiscrepancyHTML checks the one HTML rendering of a discrepancy: the
// standalone report embeds it as is, and links, when given, point to the
// entity and to each evidence.
func TestDiscrepancyHTML(t *testing.T) {
	d := trawl.Discrepancy{ID: "name-spelling:ann", Kind: trawl.NameSpelling, Subject: "Ann", Entity: "ann", Summary: "s",
		Versions: []trawl.Version{{Value: "Anne", Status: "probable misspelling", Evidence: []trawl.Evidence{
			{Article: "a/1", Sentence: "Then Anne\nspoke.", MentionStart: 5, MentionEnd: 9, Start: 40, End: 44},
			{Article: "a/2", Sentence: "Zoë spoke.", MentionStart: 2, MentionEnd: 3}, // inside a character
		}}}}
	plain, err := DiscrepancyHTML(d, Links{})
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := WriteHTML(&page, []trawl.Discrepancy{d}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), string(plain)) {
		t.Errorf("the HTML report does not show the discrepancy as DiscrepancyHTML renders it:\n%s", plain)
	}
	linked, err := DiscrepancyHTML(d, Links{
		Entity:   func(id string) string { return "/entities/" + id },
		Evidence: func(e trawl.Evidence) string { return "/article?id=" + e.Article },
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		html template.HTML
		want string
	}{
		{plain, `<h2><a href="#name-spelling%3aann">`},
		{plain, "<blockquote>Then <mark>Anne</mark> spoke.</blockquote>"},
		{plain, "<blockquote>Zoë spoke.<mark></mark></blockquote>"},
		{linked, `<h2><a href="/entities/ann">`},
		{linked, `<a href="/article?id=a/1">a/1</a>`},
	} {
		if !strings.Contains(string(c.html), c.want) {
			t.Errorf("discrepancy HTML lacks %s:\n%s", c.want, c.html)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	ds := []trawl.Discrepancy{
		{ID: "figure:x", Kind: trawl.FigureConflict, Subject: `tariffs on "steel", aluminum`, Confidence: 0.75, Versions: []trawl.Version{
			{Value: "25%", Status: "preferred", Evidence: []trawl.Evidence{{Article: "a"}, {Article: "b"}, {Article: "a"}}},
			{Value: "50%", Evidence: []trawl.Evidence{{Article: "line\nbreak"}}},
		}},
		{ID: "figure-change:y", Kind: trawl.FigureChange, Subject: "rate", Confidence: 1, Versions: []trawl.Version{
			{Value: "1%", Status: "before"}, {Value: "2%", Status: "after"},
		}},
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, ds); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatalf("WriteCSV output is not CSV: %v", err)
	}
	want := [][]string{
		{"id", "kind", "subject", "value", "status", "articles", "confidence"},
		{"figure:x", "figure", `tariffs on "steel", aluminum`, "25%", "preferred", "a; b", "0.75"},
		{"figure:x", "figure", `tariffs on "steel", aluminum`, "50%", "", "line\nbreak", "0.75"},
		{"figure-change:y", "figure-change", "rate", "1%", "before", "", "1"},
		{"figure-change:y", "figure-change", "rate", "2%", "after", "", "1"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CSV rows (-want +got):\n%s", diff)
	}
}

func TestFilter(t *testing.T) {
	ids := func(ds []trawl.Discrepancy) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.ID)
		}
		slices.Sort(out)
		return out
	}
	ds := []trawl.Discrepancy{
		{ID: "a", Kind: trawl.NameSpelling, Confidence: .9},
		{ID: "b", Kind: trawl.FigureConflict, Confidence: .5},
		{ID: "c", Kind: trawl.FigureConflict, Confidence: .8},
	}
	if diff := cmp.Diff([]string{"c"}, ids(Filter(ds, []trawl.DiscrepancyKind{trawl.FigureConflict}, .7))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a", "c"}, ids(Filter(ds, nil, .8))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	ds = append(ds, trawl.Discrepancy{ID: "d", Kind: trawl.FigureChange, Confidence: 1})
	if diff := cmp.Diff([]string{"a", "c", "d"}, ids(Filter(ds, nil, .8))); diff != "" {
		t.Errorf("no kinds: figure changes are kept (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"c"}, ids(Filter(ds, []trawl.DiscrepancyKind{trawl.FigureConflict}, .7))); diff != "" {
		t.Errorf("kind figure: figure changes are left out (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"d"}, ids(Filter(ds, []trawl.DiscrepancyKind{trawl.FigureChange}, 0))); diff != "" {
		t.Errorf("kind figure-change (-want +got):\n%s", diff)
	}
}
