// Package proctest supports tests that run trawl as a real process (kill -9,
// signals, concurrent writers): it builds the binary and writes corpora large
// enough to interrupt.
package proctest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// ModuleRoot returns the module's root directory: the nearest parent of the
// working directory that holds go.mod.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("proctest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Root is ModuleRoot for a test, which fails when there is none.
func Root(t testing.TB) string {
	t.Helper()
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// Build builds the trawl binary of this module into a temporary directory of
// t and returns its path. Tests that need it more than once share one build
// through subtests.
func Build(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "trawl")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/trawl")
	cmd.Dir = Root(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// ManyArticles writes n small articles made from the bundled samples
// (testdata/articles), each with its own number and figure, so that an
// ingest takes long enough to be interrupted.
func ManyArticles(t testing.TB, n int) string {
	t.Helper()
	src := filepath.Join(Root(t), "testdata", "articles")
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, string(b))
	}
	dir := t.TempDir()
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("batch%02d", i%10))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		body := bodies[i%len(bodies)] + fmt.Sprintf("\nReport number %d: copper rose %d.%d%% on the day.\n", i, i%9, i%10)
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("a%04d.txt", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// StoreState is what a user sees of a store, as one string to compare: the
// entities, a search for "copper" (its timing removed) and the discrepancies.
func StoreState(t testing.TB, bin, store string) string {
	t.Helper()
	var parts []string
	for _, args := range [][]string{
		{"entities", "--json"},
		{"search", "--json", "--limit", "100", "copper"},
		{"discrepancies", "--format", "json"},
	} {
		out, err := exec.Command(bin, append([]string{"--store", store}, args...)...).Output()
		if err != nil {
			t.Fatalf("trawl %v: %v", args, err)
		}
		parts = append(parts, withoutTook(string(out)))
	}
	return strings.Join(parts, "\n")
}

// withoutTook removes the timing field of search results.
func withoutTook(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, `"took_ms"`) {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// CopyArticles copies the bundled sample articles (testdata/articles), or
// the named ones, into a temporary folder the test may change.
func CopyArticles(t testing.TB, names ...string) string {
	t.Helper()
	src := filepath.Join(Root(t), "testdata", "articles")
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

// WaitForLock waits until the process pid holds the store for writing (it
// has written the store's lock file), for at most 30 seconds.
func WaitForLock(t testing.TB, store string, pid int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(filepath.Join(store, "lock"))
		// The lock file holds the pid on its first line, then the command.
		if first, _, _ := strings.Cut(string(b), "\n"); strings.TrimSpace(first) == strconv.Itoa(pid) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("process %d never took the store", pid)
}
