package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trawlnews/trawl/internal/golden"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl/index"
	"github.com/trawlnews/trawl/ingest"
)

// trawlRun runs the CLI in-process and returns stdout, stderr and the exit code.
func trawlRun(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"trawl"}, args...), strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

// mustRun runs the CLI and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errs, code := trawlRun(t, "", args...)
	if code != 0 {
		t.Fatalf("trawl %s: exit %d\nstderr:\n%s", strings.Join(args, " "), code, errs)
	}
	return out
}

// copyArticles copies the bundled sample articles (or the named ones) into a
// temporary folder the test may change.
func copyArticles(t *testing.T, names ...string) string {
	t.Helper()
	src := filepath.Join("..", "..", "testdata", "articles")
	if len(names) == 0 {
		ents, err := os.ReadDir(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			names = append(names, e.Name())
		}
	}
	dir := t.TempDir()
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(src, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func ingestJSON(t *testing.T, storeDir, dir string) ingest.Summary {
	t.Helper()
	out := mustRun(t, "--store", storeDir, "ingest", "--quiet", "--json", dir)
	var s ingest.Summary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("ingest --json: %v\n%s", err, out)
	}
	return s
}

func searchJSON(t *testing.T, storeDir string, args ...string) index.Results {
	t.Helper()
	out := mustRun(t, append([]string{"--store", storeDir, "search", "--json"}, args...)...)
	var r index.Results
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("search --json: %v\n%s", err, out)
	}
	return r
}

func hitIDs(r index.Results) []string {
	var ids []string
	for _, h := range r.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}

type counts struct{ Files, New, Changed, Unchanged, Removed, Extracted int }

func countsOf(s ingest.Summary) counts {
	return counts{s.Files, s.New, s.Changed, s.Unchanged, s.Removed, s.Extracted}
}

func TestIngestIsIncremental(t *testing.T) {
	dir := copyArticles(t)
	st := filepath.Join(t.TempDir(), "store")
	files, _ := os.ReadDir(dir)
	n := len(files)

	first := ingestJSON(t, st, dir)
	if first.New != n || first.Unchanged != 0 || first.Articles < n {
		t.Fatalf("first ingest: %+v, want %d new files", countsOf(first), n)
	}

	second := ingestJSON(t, st, dir)
	if diff := cmp.Diff(counts{Files: n, Unchanged: n}, countsOf(second)); diff != "" {
		t.Errorf("second ingest of an unchanged folder (-want +got):\n%s", diff)
	}
	if second.Indexed != 0 {
		t.Errorf("second ingest rewrote %d index documents, want 0", second.Indexed)
	}
	if second.Articles != first.Articles {
		t.Errorf("second ingest: %d articles, first had %d", second.Articles, first.Articles)
	}

	// Change one file: only it is extracted again.
	p := filepath.Join(dir, "006_grain_energy.txt")
	b, _ := os.ReadFile(p)
	b = append(b, []byte("\nSugar prices jumped 7% on Friday.\n")...)
	os.WriteFile(p, b, 0o644)
	third := ingestJSON(t, st, dir)
	if diff := cmp.Diff(counts{Files: n, Changed: 1, Unchanged: n - 1, Extracted: 1}, countsOf(third)); diff != "" {
		t.Errorf("ingest after changing one file (-want +got):\n%s", diff)
	}
	if got := hitIDs(searchJSON(t, st, "sugar")); !slices.Contains(got, "006_grain_energy.txt") {
		t.Errorf("search sugar after the change: %v, want 006_grain_energy.txt", got)
	}

	// Delete one file: its article leaves the store and the index.
	if got := hitIDs(searchJSON(t, st, "Hassett")); !slices.Contains(got, "001_65d83bc85e607672.txt") {
		t.Fatalf("search Hassett before delete: %v, want 001", got)
	}
	os.Remove(filepath.Join(dir, "001_65d83bc85e607672.txt"))
	fourth := ingestJSON(t, st, dir)
	if diff := cmp.Diff(counts{Files: n - 1, Unchanged: n - 1, Removed: 1}, countsOf(fourth)); diff != "" {
		t.Errorf("ingest after deleting one file (-want +got):\n%s", diff)
	}
	if fourth.Articles != first.Articles-1 {
		t.Errorf("after delete: %d articles, want %d", fourth.Articles, first.Articles-1)
	}
	if got := hitIDs(searchJSON(t, st, "Hassett")); slices.Contains(got, "001_65d83bc85e607672.txt") {
		t.Errorf("search Hassett after deleting 001 still finds it: %v", got)
	}
}

var seeds = []string{"000_ac9690d5760d0952.txt", "001_65d83bc85e607672.txt", "003_a17ed81ac00cb93e.txt"}

func TestSearchBessentFindsEverySpelling(t *testing.T) {
	dir := copyArticles(t, seeds...)
	st := filepath.Join(t.TempDir(), "store")
	ingestJSON(t, st, dir)
	for _, q := range []string{"Bessent", "bessent", "Besset"} {
		r := searchJSON(t, st, q)
		if diff := cmp.Diff(seeds, hitIDs(r)); diff != "" {
			t.Errorf("search %q (-want +got):\n%s", q, diff)
		}
	}
	r := searchJSON(t, st, "Bessent")
	for _, h := range r.Hits {
		if h.ID == seeds[0] && !slices.Contains(h.MatchedVariants, "Scott Besset") {
			t.Errorf("hit %s: matched variants %v, want Scott Besset", h.ID, h.MatchedVariants)
		}
	}
	// The person filter works by any spelling too.
	if diff := cmp.Diff(seeds, hitIDs(searchJSON(t, st, "--person", "Scott Besset"))); diff != "" {
		t.Errorf("search --person 'Scott Besset' (-want +got):\n%s", diff)
	}
}

func TestExtractSeedsGolden(t *testing.T) {
	dir := copyArticles(t, seeds...)
	var args []string
	for _, s := range seeds {
		args = append(args, filepath.Join(dir, s))
	}
	out := mustRun(t, append([]string{"extract"}, args...)...)
	golden.Check(t, filepath.Join("testdata", "extract-seeds.jsonl"), []byte(out))
	// Determinism: a second run prints the same bytes.
	if again := mustRun(t, append([]string{"extract"}, args...)...); again != out {
		t.Error("trawl extract printed different output on a second run")
	}
	for _, want := range []string{`"text":"Scott Besset"`, `"text":"Scott Bessent"`, `"text":"Jamie Greer"`, `"text":"Jamieson Greer"`} {
		if !strings.Contains(out, want) {
			t.Errorf("extract output lacks %s", want)
		}
	}
}

// TestDiscrepanciesSeedsGolden checks the CLI's discrepancy report on the
// seed articles in every format against the golden files of package
// report, which renders them (report/testdata, one copy for both tests).
func TestDiscrepanciesSeedsGolden(t *testing.T) {
	dir := copyArticles(t, seeds...)
	st := filepath.Join(t.TempDir(), "store")
	ingestJSON(t, st, dir)
	for _, f := range []struct{ format, file, before, after string }{
		{"text", "seeds.txt", "from «25%» to 50%", "from 25% to «50%»"},
		{"md", "seeds.md", "from **25%** to 50%", "from 25% to **50%**"},
		{"json", "seeds.json", `"status": "before"`, `"status": "after"`},
		{"html", "seeds.html", "from <mark>25%</mark> to 50%", "from 25% to <mark>50%</mark>"},
		{"csv", "seeds.csv", ",before,", ",after,"},
	} {
		out := mustRun(t, "--store", st, "discrepancies", "--format", f.format)
		golden.Check(t, filepath.Join("..", "..", "report", "testdata", f.file), []byte(out))
		for _, want := range []string{"Scott Besset", "Scott Bessent", "Jamie Greer", "Jamieson Greer", "Treasury Secretary",
			"rose from 25% to 50%", f.before, f.after} {
			if f.format == "csv" && (want == "rose from 25% to 50%" || want == "Treasury Secretary") {
				continue // CSV has no summaries and no sentences
			}
			if !strings.Contains(out, want) {
				t.Errorf("--format %s: discrepancy report lacks %q", f.format, want)
			}
		}
		if f.format != "json" && f.format != "csv" {
			// The change is context, listed after every discrepancy.
			head, changes, ok := strings.Cut(out, "Changes reported (context, not discrepancies)")
			if !ok || strings.Contains(head, "figure-change") || !strings.Contains(changes, "figure-change") || strings.Contains(changes, "name-spelling") {
				t.Errorf("--format %s: the steel and aluminum change is not alone in a section after the discrepancies", f.format)
			}
		}
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	st := filepath.Join(t.TempDir(), "store")
	for _, args := range [][]string{
		{"bogus"},
		{"ingest"},
		{"--store", st, "search", "--limit", "0", "x"},
		{"--store", st, "search", "--from", "someday", "x"},
		{"--store", st, "discrepancies", "--format", "pdf"},
		{"extract", "--format", "xml", "-"},
		{"ingest", "--no-such-flag", "x"},
	} {
		_, errs, code := trawlRun(t, "", args...)
		if code != 2 {
			t.Errorf("trawl %s: exit %d, want 2 (stderr %q)", strings.Join(args, " "), code, errs)
		}
		if !strings.HasPrefix(errs, "trawl: ") && !strings.Contains(errs, "Incorrect Usage") {
			t.Errorf("trawl %s: stderr %q, want a trawl: message", strings.Join(args, " "), errs)
		}
	}
}

func TestMissingStoreIsAClearError(t *testing.T) {
	st := filepath.Join(t.TempDir(), "nowhere")
	_, errs, code := trawlRun(t, "", "--store", st, "search", "x")
	if code != 1 || !strings.Contains(errs, "no trawl store") {
		t.Errorf("search on a missing store: exit %d, stderr %q", code, errs)
	}
}

func TestExtractStdin(t *testing.T) {
	out, errs, code := trawlRun(t, "Published: 2025-06-08\n\nTreasury Secretary Scott Bessent said tariffs rose to 50% last Friday.\n", "extract", "--format", "text", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"PERSON", "Scott Bessent", "role=Treasury Secretary", "PERCENT", "50%", "DATE", "2025-06-06"} {
		if !strings.Contains(out, want) {
			t.Errorf("extract - output lacks %q:\n%s", want, out)
		}
	}
}

func TestFlagsAfterArguments(t *testing.T) {
	app := newApp(&env{})
	for _, tc := range []struct{ in, want string }{
		{"trawl search tariffs --person Bessent --json", "trawl search --person Bessent --json tariffs"},
		{"trawl --store s search tariffs --limit=5 steel", "trawl --store s search --limit=5 tariffs steel"},
		{"trawl entities split scott-bessent --variant Scott", "trawl entities split --variant Scott scott-bessent"},
		{"trawl extract - --format text", "trawl extract --format text -"},
		{"trawl search -- --not-a-flag", "trawl search -- --not-a-flag"},
	} {
		got := strings.Join(flagsFirst(app, strings.Fields(tc.in)), " ")
		if got != tc.want {
			t.Errorf("flagsFirst(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
