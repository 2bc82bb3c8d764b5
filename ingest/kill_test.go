package ingest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The tests in this file kill real trawl processes: a kill -9 cannot be
// simulated in-process. They build the binary themselves.

// buildTrawl builds the trawl binary for tests that need a real process.
func buildTrawl(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "trawl")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.Command("go", "build", "-o", bin, "../cmd/trawl")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// manyArticles writes n small articles made from the samples, each with its
// own number, so an ingest takes long enough to be interrupted.
func manyArticles(t *testing.T, n int) string {
	t.Helper()
	src := filepath.Join("..", "testdata", "articles")
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

// TestKill9DuringIngest kills trawl ingest at random moments, reruns it, and
// checks that the store ends up exactly as after an uninterrupted run.
func TestKill9DuringIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills real processes; skipped with -short")
	}
	bin := buildTrawl(t)
	dir := manyArticles(t, 400)

	clean := filepath.Join(t.TempDir(), "clean")
	if out, err := exec.Command(bin, "--store", clean, "ingest", "--quiet", dir).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted ingest: %v\n%s", err, out)
	}
	want := storeState(t, bin, clean)

	rng := rand.New(rand.NewPCG(1, 2))
	for run := range 3 {
		st := filepath.Join(t.TempDir(), "killed")
		kills := 0
		for attempt := 0; attempt < 3; attempt++ {
			cmd := exec.Command(bin, "--store", st, "ingest", "--quiet", dir)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			delay := time.Duration(50+rng.IntN(1500)) * time.Millisecond
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(delay):
				cmd.Process.Signal(syscall.SIGKILL)
				<-done
				kills++
			}
		}
		out, err := exec.Command(bin, "--store", st, "ingest", "--quiet", dir).CombinedOutput()
		if err != nil {
			t.Fatalf("run %d: ingest after %d kill(s): %v\n%s", run, kills, err, out)
		}
		got := storeState(t, bin, st)
		if got != want {
			t.Errorf("run %d: after %d kill -9(s) and a rerun the store differs from an uninterrupted run", run, kills)
		}
		t.Logf("run %d: %d kill -9(s), rerun gave the same entities, search results and discrepancies", run, kills)
	}
}

// TestKill9KeepsDecisions kills ingests of a store that holds a user's
// decision at several points, reruns, and checks that the store ends up as
// after an uninterrupted run with the decisions file untouched and applied.
func TestKill9KeepsDecisions(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills real processes; skipped with -short")
	}
	bin := buildTrawl(t)
	dir := manyArticles(t, 1200)
	base := copyArticles(t, "004_london_framework.txt", "005_talks_conclude.txt")
	prepare := func(st string) storedDecision {
		mustIngestInto(t, st, base)
		return setDecision(t, st)
	}
	clean := filepath.Join(t.TempDir(), "clean")
	prepare(clean)
	start := time.Now()
	if out, err := exec.Command(bin, "--store", clean, "ingest", "--quiet", dir).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted ingest: %v\n%s", err, out)
	}
	full := time.Since(start)
	want := storeState(t, bin, clean)

	st := filepath.Join(t.TempDir(), "st")
	d := prepare(st)
	for i, frac := range []float64{0.15, 0.4, 0.7} {
		cmd := exec.Command(bin, "--store", st, "ingest", "--quiet", dir)
		must(t, cmd.Start())
		waitForLock(t, st, cmd.Process.Pid)
		time.Sleep(time.Duration(frac * float64(full)))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		t.Logf("kill %d: kill -9 after %.0f%% of a full run", i, frac*100)
	}
	if out, err := exec.Command(bin, "--store", st, "ingest", "--quiet", dir).CombinedOutput(); err != nil {
		t.Fatalf("ingest after the kills: %v\n%s", err, out)
	}
	if got := storeState(t, bin, st); got != want {
		t.Errorf("after kill -9s and a rerun the store differs from an uninterrupted run")
	}
	checkDecisions(t, st, d)
}

// waitForLock waits until the process pid holds the store st for writing
// (it has written the store's lock file).
func waitForLock(t *testing.T, st string, pid int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(filepath.Join(st, "lock"))
		if strings.TrimSpace(string(b)) == strconv.Itoa(pid) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("process %d never took the store", pid)
}
