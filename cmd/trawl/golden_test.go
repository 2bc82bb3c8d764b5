package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/trawlnews/trawl/internal/golden"
	"github.com/trawlnews/trawl/internal/proctest"
)

// The golden guard: the user-visible outputs of trawl (extract, entities,
// discrepancies in every machine and report format, search) on a fixed set of
// articles, run in-process and compared byte for byte with files written by
// an earlier run. On testdata/articles the outputs themselves are stored
// under testdata/golden/; on the bench corpus only their SHA-256 digests, in
// testdata/golden/bench.sha256. Rerun with -update after a change of output
// that is right, and review the diff.

// goldenQueries are the search --json runs of the guard: the name after
// "search." in each golden file, and the arguments after --json.
var goldenQueries = []struct {
	name string
	args []string
}{
	{"Bessent", []string{"Bessent"}},
	{"Besset", []string{"Besset"}},
	{"steel", []string{"steel"}},
	{"tariff_rate", []string{"tariff rate"}},
	{"China", []string{"China"}},
	{"Blair", []string{"Blair"}},
	{"Brown", []string{"Brown"}},
	{"oil", []string{"oil"}},
	{"person", []string{"--person", "Scott Bessent", "tariffs"}},
	{"commodity", []string{"--commodity", "steel", "tariffs"}},
}

// tookField is the search time in search --json output, the one part of
// the guarded outputs that changes from run to run.
var tookField = regexp.MustCompile(`(?m)^  "took_ms": [0-9.e+-]+,$`)

// maskTook replaces the search time in search --json output with 0.
func maskTook(out string) string { return tookField.ReplaceAllString(out, `  "took_ms": 0,`) }

// goldenOutput is one guarded output: the golden file's name and the bytes.
type goldenOutput struct {
	name string
	out  string
}

// goldenOutputs runs the guarded commands on the article folder articles,
// ingesting it into a temporary store, and returns each output under the
// name "prefix.<command>.<ext>".
func goldenOutputs(t *testing.T, prefix, articles string) []goldenOutput {
	t.Helper()
	var outs []goldenOutput
	add := func(name, out string) { outs = append(outs, goldenOutput{prefix + "." + name, out}) }

	out, errs, code := trawlRun(t, "", "extract", "--format", "jsonl", articles)
	if code != 0 || errs != "" {
		t.Fatalf("trawl extract --format jsonl %s: exit %d, stderr:\n%s", articles, code, errs)
	}
	add("extract.jsonl", out)

	st := filepath.Join(t.TempDir(), "store")
	mustRun(t, "--store", st, "ingest", "--quiet", articles)
	add("entities.json", mustRun(t, "--store", st, "entities", "--json"))
	for _, f := range []string{"json", "md", "html", "text"} {
		add("disc."+f, mustRun(t, "--store", st, "discrepancies", "--format", f))
	}
	for _, q := range goldenQueries {
		args := append([]string{"--store", st, "search", "--json"}, q.args...)
		out, errs, code := trawlRun(t, "", args...)
		if code == exitUsage {
			// A filter the corpus does not know (no Scott Bessent in the
			// bench corpus) is an error naming the closest: guard that.
			add("search."+q.name+".json", fmt.Sprintf("exit %d\n%s", code, errs))
			continue
		}
		if code != 0 {
			t.Fatalf("trawl %s: exit %d\nstderr:\n%s", strings.Join(args, " "), code, errs)
		}
		if !tookField.MatchString(out) {
			t.Errorf("search --json %q: no \"took_ms\" line to mask:\n%s", q.args, out)
		}
		add("search."+q.name+".json", maskTook(out))
	}
	return outs
}

// TestGoldenSamples runs the guarded commands on testdata/articles and
// compares each output with its file under testdata/golden/.
func TestGoldenSamples(t *testing.T) {
	articles, err := filepath.Abs(filepath.Join("..", "..", "testdata", "articles"))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range goldenOutputs(t, "sample", articles) {
		golden.Check(t, filepath.Join("testdata", "golden", o.name), []byte(o.out))
	}
}

// benchCorpus is the bench corpus beside the repository (../shared), unless
// TRAWL_BENCH_CORPUS names another folder.
func benchCorpus() string {
	if dir := os.Getenv("TRAWL_BENCH_CORPUS"); dir != "" {
		return dir
	}
	return filepath.Join("..", "..", "..", "shared", "bench", "corpus")
}

// TestGoldenBench runs the guarded commands on the 4,156-article bench corpus
// and compares the SHA-256 digest of each output with
// testdata/golden/bench.sha256 (the format of sha256sum, search outputs with
// "took_ms" masked). It takes about 20 s without -race, so it runs only with
// TRAWL_GOLDEN_BENCH=1 (make golden-bench, part of make test).
func TestGoldenBench(t *testing.T) {
	if os.Getenv("TRAWL_GOLDEN_BENCH") != "1" {
		t.Skip("bench corpus guard: set TRAWL_GOLDEN_BENCH=1 to run it (make golden-bench)")
	}
	corpus, err := filepath.Abs(benchCorpus())
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(corpus); err != nil || !fi.IsDir() {
		t.Skipf("bench corpus guard skipped: no bench corpus at %s (set TRAWL_BENCH_CORPUS to its folder)", corpus)
	}
	var sums strings.Builder
	for _, o := range goldenOutputs(t, "bench", corpus) {
		d := sha256.Sum256([]byte(o.out))
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(d[:]), o.name)
	}
	golden.Check(t, filepath.Join("testdata", "golden", "bench.sha256"), []byte(sums.String()))
}

// TestDiscrepanciesSeedsGolden checks the CLI's discrepancy report on the
// seed articles in every format against the golden files of package
// report, which renders them (report/testdata, one copy for both tests).
func TestDiscrepanciesSeedsGolden(t *testing.T) {
	dir := proctest.CopyArticles(t, seeds...)
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
