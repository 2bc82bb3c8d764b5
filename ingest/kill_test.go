package ingest

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/trawlnews/trawl/internal/proctest"
)

// TestKill9 kills real trawl processes, since a kill -9 cannot be simulated
// in-process; its subtests share one build of the binary.
func TestKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills real processes; skipped with -short")
	}
	bin := proctest.Build(t)
	t.Run("DuringIngest", func(t *testing.T) { testKill9DuringIngest(t, bin) })
	t.Run("KeepsDecisions", func(t *testing.T) { testKill9KeepsDecisions(t, bin) })
	t.Run("Churn", func(t *testing.T) { testChurn(t, bin) })
}

// testKill9DuringIngest kills trawl ingest at random moments, reruns it, and
// checks that the store ends up exactly as after an uninterrupted run.
func testKill9DuringIngest(t *testing.T, bin string) {
	dir := proctest.ManyArticles(t, 400)

	clean := filepath.Join(t.TempDir(), "clean")
	start := time.Now()
	if out, err := exec.Command(bin, "--store", clean, "ingest", "--quiet", dir).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted ingest: %v\n%s", err, out)
	}
	full := time.Since(start)
	want := proctest.StoreState(t, bin, clean)

	// Each kill comes at a random fraction of an uninterrupted run after
	// the process took the store, so that it lands inside the run however
	// fast the machine is; a run that still finished first is retried
	// sooner. Without a kill the test would prove nothing.
	rng := rand.New(rand.NewPCG(1, 2))
	for run := range 3 {
		st := filepath.Join(t.TempDir(), "killed")
		kills := 0
		for attempt := 0; attempt < 6 && kills < 2; attempt++ {
			cmd := exec.Command(bin, "--store", st, "ingest", "--quiet", dir)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			proctest.WaitForLock(t, st, cmd.Process.Pid)
			delay := time.Duration(rng.Float64() * 0.8 * float64(full) / float64(attempt+1))
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
				if kills == 0 {
					// The run finished before the kill: a rerun of a
					// complete store has nothing left to interrupt, so
					// start again from an empty one.
					os.RemoveAll(st)
				}
			case <-time.After(delay):
				cmd.Process.Signal(syscall.SIGKILL)
				if err := <-done; err != nil {
					kills++
				}
			}
		}
		if kills == 0 {
			t.Fatalf("run %d: no ingest was killed; the test proves nothing", run)
		}
		out, err := exec.Command(bin, "--store", st, "ingest", "--quiet", dir).CombinedOutput()
		if err != nil {
			t.Fatalf("run %d: ingest after %d kill(s): %v\n%s", run, kills, err, out)
		}
		got := proctest.StoreState(t, bin, st)
		if got != want {
			t.Errorf("run %d: after %d kill -9(s) and a rerun the store differs from an uninterrupted run", run, kills)
		}
		t.Logf("run %d: %d kill -9(s), rerun gave the same entities, search results and discrepancies", run, kills)
	}
}

// testKill9KeepsDecisions kills ingests of a store that holds a user's
// decision at several points, reruns, and checks that the store ends up as
// after an uninterrupted run with the decisions file untouched and applied.
func testKill9KeepsDecisions(t *testing.T, bin string) {
	dir := proctest.ManyArticles(t, 1200)
	base := proctest.CopyArticles(t, "004_london_framework.txt", "005_talks_conclude.txt")
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
	want := proctest.StoreState(t, bin, clean)

	st := filepath.Join(t.TempDir(), "st")
	d := prepare(st)
	for i, frac := range []float64{0.15, 0.4, 0.7} {
		cmd := exec.Command(bin, "--store", st, "ingest", "--quiet", dir)
		must(t, cmd.Start())
		proctest.WaitForLock(t, st, cmd.Process.Pid)
		time.Sleep(time.Duration(frac * float64(full)))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		t.Logf("kill %d: kill -9 after %.0f%% of a full run", i, frac*100)
	}
	if out, err := exec.Command(bin, "--store", st, "ingest", "--quiet", dir).CombinedOutput(); err != nil {
		t.Fatalf("ingest after the kills: %v\n%s", err, out)
	}
	if got := proctest.StoreState(t, bin, st); got != want {
		t.Errorf("after kill -9s and a rerun the store differs from an uninterrupted run")
	}
	checkDecisions(t, st, d)
}
