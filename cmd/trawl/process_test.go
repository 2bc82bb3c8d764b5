package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// buildTrawl builds the trawl binary for tests that need a real process.
func buildTrawl(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "trawl")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// manyArticles writes n small articles made from the samples, each with its
// own number, so an ingest takes long enough to be interrupted.
func manyArticles(t *testing.T, n int) string {
	t.Helper()
	src := filepath.Join("..", "..", "testdata", "articles")
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		b, _ := os.ReadFile(filepath.Join(src, e.Name()))
		bodies = append(bodies, string(b))
	}
	dir := t.TempDir()
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("batch%02d", i%10))
		os.MkdirAll(sub, 0o755)
		body := bodies[i%len(bodies)] + fmt.Sprintf("\nReport number %d: copper rose %d.%d%% on the day.\n", i, i%9, i%10)
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("a%04d.txt", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// storeState is what a user sees of a store: counts, entities, a search.
func storeState(t *testing.T, bin, st string) string {
	t.Helper()
	var parts []string
	for _, args := range [][]string{
		{"entities", "--json"},
		{"search", "--json", "--limit", "100", "copper"},
		{"discrepancies", "--format", "json"},
	} {
		cmd := exec.Command(bin, append([]string{"--store", st}, args...)...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("trawl %v: %v", args, err)
		}
		parts = append(parts, stripTook(string(out)))
	}
	return strings.Join(parts, "\n")
}

// stripTook removes the timing field of search results.
func stripTook(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, `"Took"`) || strings.Contains(l, `"took"`) {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
