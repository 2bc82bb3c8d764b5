package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/internal/proctest"
)

// TestIngestSkippedNamedInText checks that the text summary's per-reason
// counts come with one stderr line per skipped file, capped for huge folders.
func TestIngestSkippedNamedInText(t *testing.T) {
	dir := t.TempDir()
	relMust(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("Copper rose 2% on Monday.\n"), 0o644))
	for i := range maxSkippedShown + 5 {
		relMust(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("img%03d.png", i)), []byte("\x89PNG"), 0o644))
	}
	out, errs, code := trawlRun(t, "", "--store", filepath.Join(t.TempDir(), "s"), "ingest", "--quiet", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	if !strings.Contains(out, fmt.Sprintf("skipped:  %d x unsupported extension .png", maxSkippedShown+5)) {
		t.Errorf("summary does not count the skipped files:\n%s", out)
	}
	if !strings.Contains(errs, "skipped: img000.png: unsupported extension .png") {
		t.Errorf("stderr does not name img000.png:\n%s", errs)
	}
	if !strings.Contains(errs, "and 5 more files") || strings.Count(errs, "\nskipped: img") != maxSkippedShown-1 {
		t.Errorf("stderr should name %d files then say how many more:\n%s", maxSkippedShown, errs)
	}
}

// relStoredDecision is a decision made in a test and what it must keep doing.
type relStoredDecision struct {
	id, name string
	file     []byte // decisions.json as written
}

// relEntityID returns the id of the first person entity whose name contains part.
func relEntityID(t *testing.T, st, part string) string {
	t.Helper()
	for _, e := range relEntitiesJSON(t, st) {
		if strings.Contains(e.Canonical, part) {
			return e.ID
		}
	}
	t.Fatalf("no entity named like %q", part)
	return ""
}

func relEntitiesJSON(t *testing.T, st string) []trawl.Entity {
	t.Helper()
	var es []trawl.Entity
	if err := json.Unmarshal([]byte(mustRun(t, "--store", st, "entities", "--json")), &es); err != nil {
		t.Fatal(err)
	}
	return es
}

func relMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// manyFiles is the size of the folder TestIngestProcesses interrupts: long
// enough for four refused commands to run while one ingest holds the store.
const manyFiles = 800

// TestIngestProcesses runs the built binary: Ctrl-C during an ingest, a
// second ingest and a search while one runs, and an unreadable file as an
// unprivileged user, and checks what the commands say and exit with. The
// pipeline's own crash tests (kill -9, full disk, read-only store, bad
// input) are in package ingest.
func TestIngestProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and signals real processes; skipped with -short")
	}
	bin := proctest.Build(t)
	dir := proctest.ManyArticles(t, manyFiles)
	// The store starts from the samples with a user decision, so that the
	// decision is seen to survive the interrupted run.
	base := proctest.CopyArticles(t, "004_london_framework.txt", "005_talks_conclude.txt")
	prepare := func(st string) relStoredDecision {
		relMustRunBin(t, bin, "--store", st, "ingest", "--quiet", base)
		id := relEntityID(t, st, "Bessent")
		relMustRunBin(t, bin, "--store", st, "entities", "rename", id, "Scott K. Bessent")
		b, _ := os.ReadFile(filepath.Join(st, "decisions.json"))
		return relStoredDecision{id: id, name: "Scott K. Bessent", file: b}
	}
	clean := filepath.Join(t.TempDir(), "clean")
	prepare(clean)
	start := time.Now()
	relMustRunBin(t, bin, "--store", clean, "ingest", "--quiet", dir)
	full := time.Since(start)
	want := proctest.StoreState(t, bin, clean)
	t.Logf("uninterrupted ingest of %d files: %s", manyFiles, full.Round(time.Millisecond))

	t.Run("ctrl-c", func(t *testing.T) {
		for i, frac := range []float64{0.2, 0.5} {
			st := filepath.Join(t.TempDir(), "st")
			d := prepare(st)
			cmd := exec.Command(bin, "--store", st, "ingest", dir)
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			relMust(t, cmd.Start())
			proctest.WaitForLock(t, st, cmd.Process.Pid)
			time.Sleep(time.Duration(frac * float64(full)))
			cmd.Process.Signal(os.Interrupt)
			err := cmd.Wait()
			code := cmd.ProcessState.ExitCode()
			if code == 0 {
				t.Logf("run %d: finished before Ctrl-C arrived", i)
			} else {
				if code != 1 {
					t.Errorf("run %d: Ctrl-C: exit %d (%v), want 1", i, code, err)
				}
				if !strings.Contains(errb.String(), "ingest interrupted; what was done is stored, run the same command again to finish") {
					t.Errorf("run %d: Ctrl-C: stderr does not say the ingest was interrupted:\n%s", i, errb.String())
				}
				m := regexp.MustCompile(`(\d+) seen, (\d+) new.*\n(?s:.*)articles: (\d+) in store`).FindStringSubmatch(out.String())
				if m == nil {
					t.Errorf("run %d: Ctrl-C: stdout does not say how far it got:\n%s", i, out.String())
				} else {
					t.Logf("run %d: Ctrl-C after %.0f%% of a full run: %s new files of %s, %s articles stored", i, frac*100, m[2], m[1], m[3])
					// The store held the 2 base articles before; the count
					// must say what is stored now, never less.
					if n, _ := strconv.Atoi(m[3]); n < 2 {
						t.Errorf("run %d: Ctrl-C: the summary says %d articles in store, but the store holds at least 2", i, n)
					}
				}
			}
			relMustRunBin(t, bin, "--store", st, "ingest", "--quiet", dir)
			if got := proctest.StoreState(t, bin, st); got != want {
				t.Errorf("run %d: after Ctrl-C and a rerun the store differs from an uninterrupted run", i)
			}
			b, _ := os.ReadFile(filepath.Join(st, "decisions.json"))
			if !bytes.Equal(b, d.file) {
				t.Errorf("run %d: decisions.json changed:\n%s", i, b)
			}
		}
	})

	t.Run("second ingest and search while one runs", func(t *testing.T) {
		st := filepath.Join(t.TempDir(), "st")
		prepare(st)
		cmd := exec.Command(bin, "--store", st, "ingest", "--quiet", dir)
		relMust(t, cmd.Start())
		defer cmd.Wait()
		pid := cmd.Process.Pid
		proctest.WaitForLock(t, st, pid)
		for _, args := range [][]string{
			{"ingest", "--quiet", dir},
			{"search", "tariffs"},
			{"entities"},
			{"discrepancies"},
		} {
			start := time.Now()
			c := exec.Command(bin, append([]string{"--store", st}, args...)...)
			out, err := c.CombinedOutput()
			took := time.Since(start)
			if cmd.ProcessState != nil || !relProcessAlive(pid) {
				t.Skipf("the first ingest ended before trawl %s ran; machine too fast for this test", args[0])
			}
			if err == nil {
				t.Errorf("trawl %s while an ingest runs: succeeded, want a clear busy error\n%s", args[0], out)
				continue
			}
			msg := string(out)
			if !strings.Contains(msg, "store is busy") || !strings.Contains(msg, "trawl process "+strconv.Itoa(pid)+" (") || !strings.Contains(msg, " ingest --quiet ") || !strings.Contains(msg, ") is writing it") {
				t.Errorf("trawl %s while an ingest runs: %q, want \"store is busy\" naming process %d and its command", args[0], msg, pid)
			}
			t.Logf("trawl %s while an ingest runs: refused in %s: %s", args[0], took.Round(time.Millisecond), strings.TrimSpace(msg))
		}
		if err := cmd.Wait(); err != nil {
			t.Fatalf("the first ingest failed: %v", err)
		}
		if got := proctest.StoreState(t, bin, st); got != want {
			t.Errorf("the first ingest's result differs from an undisturbed run")
		}
	})

	t.Run("serve while ingest runs", func(t *testing.T) {
		st := filepath.Join(t.TempDir(), "st")
		prepare(st)
		srv := exec.Command(bin, "--store", st, "serve", "--addr", "127.0.0.1:0")
		stdout, err := srv.StdoutPipe()
		relMust(t, err)
		relMust(t, srv.Start())
		defer func() { srv.Process.Signal(os.Interrupt); srv.Wait() }()
		sc := bufio.NewScanner(stdout)
		var base string
		for sc.Scan() {
			if m := regexp.MustCompile(`at (http://\S+/)`).FindStringSubmatch(sc.Text()); m != nil {
				base = m[1]
				break
			}
		}
		if base == "" {
			t.Fatal("trawl serve did not print its address")
		}
		if code := relHTTPStatus(t, base+"api/search?q=tariffs"); code != 200 {
			t.Fatalf("search before the ingest: status %d", code)
		}
		cmd := exec.Command(bin, "--store", st, "ingest", "--quiet", dir)
		relMust(t, cmd.Start())
		proctest.WaitForLock(t, st, cmd.Process.Pid)
		code := relHTTPStatus(t, base+"api/search?q=tariffs")
		if cmd.ProcessState == nil && relProcessAlive(cmd.Process.Pid) && code != 503 && code != 200 {
			t.Errorf("search while an ingest runs: status %d, want 503 (busy) or 200", code)
		}
		t.Logf("serve during an ingest: /api/search answered %d", code)
		relMust(t, cmd.Wait())
		if code := relHTTPStatus(t, base+"api/search?q=copper"); code != 200 {
			t.Errorf("search after the ingest: status %d, want 200", code)
		}
	})

	t.Run("unreadable file as nobody", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("not root: ingest.TestUnreadable covers permission denied")
		}
		if _, err := exec.LookPath("setpriv"); err != nil {
			t.Skip("setpriv not installed; cannot drop to nobody")
		}
		top, err := os.MkdirTemp("", "trawl-nobody")
		relMust(t, err)
		defer os.RemoveAll(top)
		relMust(t, os.Chmod(top, 0o777))
		in := filepath.Join(top, "in")
		relMust(t, os.Mkdir(in, 0o755))
		relMust(t, os.WriteFile(filepath.Join(in, "ok.txt"), []byte("Copper rose 2% on Monday.\n"), 0o644))
		relMust(t, os.WriteFile(filepath.Join(in, "secret.txt"), []byte("Zinc rose 3%.\n"), 0o000))
		relMust(t, os.Mkdir(filepath.Join(in, "locked"), 0o000))
		relMust(t, os.Chmod(bin, 0o755))
		relMust(t, os.Chmod(filepath.Dir(bin), 0o755))
		cmd := exec.Command("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", bin, "--store", filepath.Join(top, "st"), "ingest", "--quiet", in)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			if strings.Contains(errb.String(), "setpriv") {
				t.Skipf("cannot run as nobody: %s", errb.String())
			}
			t.Fatalf("ingest as nobody: %v\n%s", err, errb.String())
		}
		for _, want := range []string{"skipped: secret.txt: unreadable file: permission denied", "skipped: locked: unreadable directory: permission denied"} {
			if !strings.Contains(errb.String(), want) {
				t.Errorf("stderr does not say %q:\n%s", want, errb.String())
			}
		}
		if !strings.Contains(out.String(), "articles: 1 in store") {
			t.Errorf("the readable file was not kept:\n%s", out.String())
		}
	})
}

// relMustRunBin runs the built binary and fails the test unless it exits 0.
func relMustRunBin(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("trawl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// relProcessAlive reports whether pid still runs (and is not a zombie).
func relProcessAlive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return syscall.Kill(pid, 0) == nil
	}
	f := strings.Fields(string(b))
	return len(f) > 2 && f[2] != "Z"
}

// relHTTPStatus GETs url and returns the status code.
func relHTTPStatus(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// relSyncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type relSyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *relSyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *relSyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestServeBindsLoopbackAndWarns checks that trawl serve listens on
// 127.0.0.1 unless told otherwise, and warns on stderr when it is told to
// listen where other machines can reach it. (That --help shows the loopback
// default is checked in testdata/script/help.txtar.)
func TestServeBindsLoopbackAndWarns(t *testing.T) {
	st := filepath.Join(t.TempDir(), "s")
	ingestJSON(t, st, proctest.CopyArticles(t, "004_london_framework.txt"))
	for _, tt := range []struct {
		addr string
		warn bool
	}{
		{"127.0.0.1:0", false},
		{"0.0.0.0:0", true},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		var stdout, stderr relSyncBuffer
		done := make(chan int, 1)
		go func() {
			done <- run(ctx, []string{"trawl", "--store", st, "serve", "--addr", tt.addr}, strings.NewReader(""), &stdout, &stderr)
		}()
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(stdout.String(), "serving") && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve --addr %s: exit %d\n%s", tt.addr, code, stderr.String())
		}
		warned := strings.Contains(stderr.String(), "warning: listening on") && strings.Contains(stderr.String(), "other machines can reach")
		if warned != tt.warn {
			t.Errorf("serve --addr %s: warned %v, want %v\nstderr: %s", tt.addr, warned, tt.warn, stderr.String())
		}
		if !strings.Contains(stdout.String(), "server stopped") {
			t.Errorf("serve --addr %s: did not stop cleanly on cancel:\n%s", tt.addr, stdout.String())
		}
	}
}
