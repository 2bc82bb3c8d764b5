package ingest

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl/internal/proctest"
)

// testChurn is the churn test of issue 17: rounds of random edits,
// deletions, truncations, files replaced by images, renames, new files and
// permission flips, each followed by an ingest, some of them killed with
// kill -9 part way; at the end (permissions restored) the store must equal
// a fresh store of the final folder: the same articles, entities, search
// results and discrepancies. The seed is fixed, so a failure replays.
func testChurn(t *testing.T, bin string) {
	dir := proctest.ManyArticles(t, 40)
	wire := filepath.Join(dir, "wire.jsonl")
	var jl strings.Builder
	for i := range 8 {
		fmt.Fprintf(&jl, `{"id":"wire-%d","published":"2025-06-1%d","text":"Copper rose %d%% in Lima, said Treasury Secretary Scott Bessent."}`+"\n", i, i, i+1)
	}
	must(t, os.WriteFile(wire, []byte(jl.String()), 0o644))
	st := filepath.Join(t.TempDir(), "churned")
	ingest := func() {
		t.Helper()
		if out, err := exec.Command(bin, "--store", st, "ingest", "--quiet", dir).CombinedOutput(); err != nil {
			t.Fatalf("ingest: %v\n%s", err, out)
		}
	}
	start := time.Now()
	ingest()
	full := time.Since(start)

	rng := rand.New(rand.NewPCG(17, 17))
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
	var flipped []string
	kills, ops := 0, map[string]int{}
	for round := range 6 {
		files := textFiles(t, dir)
		for range 6 {
			f := files[rng.IntN(len(files))]
			op := []string{"edit", "delete", "truncate", "image", "rename", "flip", "new", "jsonl"}[rng.IntN(8)]
			ops[op]++
			switch op {
			case "edit":
				appendTo(t, f, fmt.Sprintf("\nCopper rose %d%% on Friday, round %d.\n", rng.IntN(90)+1, round))
			case "delete":
				os.Remove(f)
			case "truncate":
				os.Truncate(f, 0)
			case "image":
				os.WriteFile(f, png, 0o644)
			case "rename":
				os.Rename(f, filepath.Join(dir, fmt.Sprintf("batch%02d", rng.IntN(10)), fmt.Sprintf("r%d-%d.txt", round, rng.IntN(1000))))
			case "flip":
				if os.Chmod(f, 0) == nil {
					flipped = append(flipped, f)
				}
			case "new":
				os.WriteFile(filepath.Join(dir, fmt.Sprintf("new%d-%d.txt", round, rng.IntN(1000))),
					[]byte(fmt.Sprintf("Published: 2025-06-0%d\n\nCommerce Secretary Howard Lutnick said zinc rose %d%%.\n", rng.IntN(9)+1, rng.IntN(50)+1)), 0o644)
			case "jsonl":
				appendTo(t, wire, fmt.Sprintf(`{"id":"wire-r%d-%d","text":"Copper fell %d%% in Oslo."}`+"\n", round, rng.IntN(1000), rng.IntN(9)+1))
			}
		}
		if rng.IntN(2) == 0 {
			cmd := exec.Command(bin, "--store", st, "ingest", "--quiet", dir)
			must(t, cmd.Start())
			proctest.WaitForLock(t, st, cmd.Process.Pid)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(time.Duration(rng.Float64() * 0.8 * float64(full))):
				cmd.Process.Signal(syscall.SIGKILL)
				if <-done != nil {
					kills++
				}
			}
		}
		if rng.IntN(3) != 0 {
			ingest()
		}
	}
	for _, f := range flipped {
		os.Chmod(f, 0o644)
	}
	ingest()
	t.Logf("churn: %d rounds, ops %v, %d kill -9(s)", 6, ops, kills)

	fresh := filepath.Join(t.TempDir(), "fresh")
	if out, err := exec.Command(bin, "--store", fresh, "ingest", "--quiet", dir).CombinedOutput(); err != nil {
		t.Fatalf("fresh ingest: %v\n%s", err, out)
	}
	if diff := cmp.Diff(storedText(t, fresh), storedText(t, st)); diff != "" {
		t.Errorf("articles of the churned store differ from a fresh store of the folder (-fresh +churned):\n%s", diff)
	}
	if want, got := proctest.StoreState(t, bin, fresh), proctest.StoreState(t, bin, st); want != got {
		t.Errorf("entities, search results or discrepancies of the churned store differ from a fresh store:\n%s", cmp.Diff(want, got))
	}
}

// textFiles lists the .txt files under dir, sorted.
func textFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".txt") {
			out = append(out, p)
		}
		return nil
	})
	slices.Sort(out)
	return out
}

// appendTo appends s to the file at path.
func appendTo(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return // flipped or gone: the op does nothing this round
	}
	defer f.Close()
	f.WriteString(s)
}
