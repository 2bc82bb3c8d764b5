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
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/store"
)

// relBadInputCase is one file of the bad-input folder and what a user must be
// told about it.
type relBadInputCase struct {
	name    string // file (or link, or directory) name
	content []byte // nil for the special ones made by setup
	// kept says the file still gives an article.
	kept bool
	// msg must appear on a stderr line that also names the file; "" means
	// nothing is said (a good file).
	msg string
}

// relIngestSummaryJSON parses the JSON summary of trawl ingest --json.
func relIngestSummaryJSON(t *testing.T, out string) store.Summary {
	t.Helper()
	var s store.Summary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("ingest --json: %v\n%s", err, out)
	}
	return s
}

// TestIngestBadInput puts every kind of bad file the issue lists next to good
// ones in one folder and ingests it: the batch goes on, each bad file is
// named on stderr with its problem, the summary counts it, and the good and
// salvageable articles are stored.
func TestIngestBadInput(t *testing.T) {
	good := []byte("Title: Talks\nPublished: 2025-06-08\n\nTreasury Secretary Scott Bessent said on Friday that tariffs on steel rose to 50%.\n")
	stray := bytes.Repeat([]byte("Copper prices rose on Monday as traders bet on tariffs. "), 40)
	stray = append(stray[:100:100], append([]byte("\x00\x00"), stray[100:]...)...)
	cases := []relBadInputCase{
		{name: "good.txt", content: good, kept: true},
		{name: "empty.txt", content: []byte{}, msg: "empty file"},
		{name: "blank.txt", content: []byte("  \n\t\n   \r\n"), msg: "empty file"},
		{name: "header-only.txt", content: []byte("Title: Nothing here\nPublished: 2025-06-01\n\n"), msg: "header but no body"},
		{name: "bad-date.txt", content: []byte("Title: Bad date\nPublished: February 30th, sometime\n\nCopper rose 5% on the day.\n"), kept: true,
			msg: `unparseable Published header "February 30th, sometime"; kept, published date unknown`},
		{name: "png-named.txt", content: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), msg: "binary file (PNG image), skipped"},
		{name: "pdf-named.txt", content: []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"), msg: "binary file (PDF document), skipped"},
		{name: "zip-named.txt", content: []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), msg: "binary file (zip archive), skipped"},
		{name: "photo.png", content: []byte("\x89PNG\r\n\x1a\n\x00\x00"), msg: "unsupported extension .png"},
		{name: "paper.pdf", content: []byte("%PDF-1.4\n"), msg: "unsupported extension .pdf"},
		{name: "bundle.zip", content: []byte("PK\x03\x04"), msg: "unsupported extension .zip"},
		{name: "mixed-utf8.txt", content: []byte("Caf\xc3\xa9 owners in M\xc3\xbcnchen and K\xc3\xb6ln said copper rose 5% \x96 a record.\n"), kept: true,
			msg: "invalid UTF-8 at byte 55; kept, with the stray bytes read as windows-1252"},
		{name: "utf16le.txt", content: relUtf16Bytes("\uFEFFCopper rose 4% in Zürich.\n", false), kept: true},
		{name: "utf16be.txt", content: relUtf16Bytes("\uFEFFWheat fell 2% in Köln.\n", true), kept: true},
		{name: "cp1252.txt", content: []byte("He said \x93we will\x94 and it\x92s fine; copper rose 3%.\n"), kept: true},
		{name: "stray-nul.txt", content: stray, kept: true},
		{name: "mostly-nul.txt", content: []byte("Copper\x00 rose\x00 5%\x00.\n"), msg: "binary file (contains NUL bytes), skipped"},
		{name: "too-big.txt", content: bytes.Repeat([]byte("steel "), 400_000), msg: "over --max-file-size 1 MB"},
		{name: "dangling.txt", msg: "dangling symlink: target nowhere.txt does not exist"},
		{name: "loop1.txt", msg: "symlink loop"},
		{name: "folder.txt", msg: ""}, // a directory named like an article is walked as a directory
		{name: "lines.jsonl", kept: true, msg: "line 2: invalid JSON", content: []byte(`{"id":"j1","text":"Treasury Secretary Scott Bessent said tariffs rose 10%."}
{"id":"j2", bad json
{"id":"j3"}
{"id":"j4","text":42}
{"id":"j1","text":"A duplicate id."}
{"id":"j5","text":"Copper rose 2% on Monday."}
`)},
	}
	dir := t.TempDir()
	for _, c := range cases {
		if c.content != nil {
			if err := os.WriteFile(filepath.Join(dir, c.name), c.content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	relMust(t, os.Symlink("nowhere.txt", filepath.Join(dir, "dangling.txt")))
	relMust(t, os.Symlink("loop2.txt", filepath.Join(dir, "loop1.txt")))
	relMust(t, os.Symlink("loop1.txt", filepath.Join(dir, "loop2.txt")))
	relMust(t, os.Mkdir(filepath.Join(dir, "folder.txt"), 0o755))
	relMust(t, os.WriteFile(filepath.Join(dir, "folder.txt", "inner.txt"), []byte("Zinc rose 1% on Tuesday.\n"), 0o644))

	st := filepath.Join(t.TempDir(), "store")
	out, errs, code := trawlRun(t, "", "--store", st, "ingest", "--quiet", "--json", "--max-file-size", "1MB", dir)
	if code != 0 {
		t.Fatalf("ingest: exit %d, want 0 (bad files never stop the batch)\n%s", code, errs)
	}
	sum := relIngestSummaryJSON(t, out)
	lines := strings.Split(errs, "\n")
	said := func(name, msg string) bool {
		for _, l := range lines {
			if strings.Contains(l, name) && strings.Contains(l, msg) {
				return true
			}
		}
		return false
	}
	for _, c := range cases {
		if c.msg != "" && !said(c.name, c.msg) {
			t.Errorf("%s: no stderr line names it with %q", c.name, c.msg)
		}
		if c.msg == "" && said(c.name, "") && c.name != "folder.txt" {
			t.Errorf("%s: a good file was reported:\n%s", c.name, errs)
		}
	}
	for _, want := range []string{
		"lines.jsonl line 2: invalid JSON",
		`lines.jsonl line 3: missing "text"`,
		`lines.jsonl line 4: "text" is a number, not a string`,
		`lines.jsonl line 5: duplicate id "j1" (first on line 1)`,
		"loop2.txt", // both ends of the loop are named
	} {
		if !said(want, "") {
			t.Errorf("stderr does not say %q:\n%s", want, errs)
		}
	}
	// The summary counts every file that was not (fully) used.
	if got, want := len(sum.Skipped), 7; got != want {
		t.Errorf("summary: %d skipped, want %d (3 extensions, too big, dangling, 2 loop ends): %+v", got, want, sum.Skipped)
	}
	// empty, blank, header-only, 3 binaries named .txt, mostly-nul, mixed
	// UTF-8, bad date, 4 bad JSONL lines.
	if got, want := len(sum.Problems), 13; got != want {
		t.Errorf("summary: %d problems, want %d:\n%s", got, want, strings.Join(sum.Problems, "\n"))
	}
	if sum.Articles != 10 {
		t.Errorf("summary: %d articles, want 10 (8 kept files, 2 good JSONL lines)", sum.Articles)
	}

	s, err := store.Open(st, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	get := func(id string) trawl.Article {
		t.Helper()
		a, ok, err := s.Article(id)
		if err != nil || !ok {
			t.Fatalf("article %s: found %v, err %v", id, ok, err)
		}
		return a
	}
	for _, c := range cases {
		if c.name == "lines.jsonl" || c.name == "folder.txt" {
			continue // their articles are named by record id or inner file
		}
		if _, ok, _ := s.Article(c.name); ok != c.kept {
			t.Errorf("%s: stored %v, want %v", c.name, ok, c.kept)
		}
	}
	checks := []struct {
		id, field, got, want string
	}{
		{"bad-date.txt", "published", get("bad-date.txt").Published, ""},
		{"bad-date.txt", "published source", string(get("bad-date.txt").PublishedSource), string(trawl.PublishedUnknown)},
		{"bad-date.txt", "published note", get("bad-date.txt").PublishedNote, `unparseable Published header "February 30th, sometime"`},
		{"utf16le.txt", "text", get("utf16le.txt").Text, "Copper rose 4% in Zürich.\n"},
		{"utf16be.txt", "text", get("utf16be.txt").Text, "Wheat fell 2% in Köln.\n"},
		{"cp1252.txt", "text", get("cp1252.txt").Text, "He said “we will” and it’s fine; copper rose 3%.\n"},
		{"mixed-utf8.txt", "text", get("mixed-utf8.txt").Text, "Café owners in München and Köln said copper rose 5% – a record.\n"},
		{"stray-nul.txt", "NUL bytes", strconv.Itoa(strings.Count(get("stray-nul.txt").Text, "\x00")), "0"},
		{"folder.txt/inner.txt", "text", get("folder.txt/inner.txt").Text, "Zinc rose 1% on Tuesday.\n"},
		{"j5", "text", get("j5").Text, "Copper rose 2% on Monday."},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s %s = %q, want %q", c.id, c.field, c.got, c.want)
		}
	}
	if a := get("j1"); a.Text != "Treasury Secretary Scott Bessent said tariffs rose 10%." {
		t.Errorf("j1 = %q: the first line with a duplicated id must win", a.Text)
	}
	if r := searchJSON(t, st, "Bessent"); len(r.Hits) < 2 {
		t.Errorf("search Bessent after a batch of bad files: %d hits, want good.txt and j1", len(r.Hits))
	}
}

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

// TestIngestHugeLine ingests one file that is a single line of 40 MB (4 MB
// under the race detector) with --max-file-size raised: it must be read,
// extracted, reconciled and indexed, and found by search. It takes minutes
// (4 min 23 s on a shared 2-core machine), so it runs only with
// TRAWL_HUGE_LINE=1; reading the line (corpus.TestReadHugeLine) and
// extracting from long single-sentence texts (extract.TestPathologicalText)
// run in every make test. See docs/reliability.md.
func TestIngestHugeLine(t *testing.T) {
	if os.Getenv("TRAWL_HUGE_LINE") == "" {
		t.Skip("takes minutes; set TRAWL_HUGE_LINE=1 to run it (docs/reliability.md)")
	}
	size := 40 << 20
	if raceEnabled {
		size = 4 << 20
	}
	dir := t.TempDir()
	// Plain sentences with a few mentions every kilobyte, and no line break.
	unit := strings.Repeat("The delegates met again in the afternoon and talked about shipping schedules and port fees. ", 10) +
		"Copper rose 5% as Treasury Secretary Scott Bessent spoke on June 3, 2025. "
	line := strings.Repeat(unit, size/len(unit)) + "zanzibarite\n"
	relMust(t, os.WriteFile(filepath.Join(dir, "line.txt"), []byte(line), 0o644))
	st := filepath.Join(t.TempDir(), "s")
	start := time.Now()
	out, errs, code := trawlRun(t, "", "--store", st, "ingest", "--quiet", "--json", "--max-file-size", "64MB", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	sum := relIngestSummaryJSON(t, out)
	t.Logf("one %d MB line: ingested in %s, %d percentages", size>>20, time.Since(start).Round(time.Millisecond), sum.Mentions[trawl.Percent])
	if sum.Articles != 1 || sum.Mentions[trawl.Percent] == 0 {
		t.Errorf("summary %+v: want 1 article with its percentages", sum)
	}
	if r := searchJSON(t, st, "zanzibarite"); len(r.Hits) != 1 {
		t.Errorf("search for the last word of the line: %d hits, want 1", len(r.Hits))
	}
}

// TestIngestReadOnlyStore makes the store directory read-only (a read-only
// bind mount when root, chmod otherwise): ingest fails at once with a clear
// message, and the store still answers as before.
func TestIngestReadOnlyStore(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("read-only mounts are tested on linux only")
	}
	st := filepath.Join(t.TempDir(), "store")
	ingestJSON(t, st, copyArticles(t, "004_london_framework.txt", "005_talks_conclude.txt"))
	before := searchJSON(t, st, "tariffs")
	decisions := relSetDecision(t, st)

	if os.Geteuid() == 0 {
		if out, err := exec.Command("mount", "--bind", st, st).CombinedOutput(); err != nil {
			t.Skipf("root but cannot bind-mount (%v: %s); read-only store not tested", err, out)
		}
		t.Cleanup(func() { exec.Command("umount", st).Run() })
		if out, err := exec.Command("mount", "-o", "remount,bind,ro", st).CombinedOutput(); err != nil {
			t.Skipf("cannot remount read-only (%v: %s)", err, out)
		}
	} else {
		relChmodTree(t, st, 0o555, 0o444)
		t.Cleanup(func() { relChmodTree(t, st, 0o755, 0o644) })
	}
	start := time.Now()
	_, errs, code := trawlRun(t, "", "--store", st, "ingest", "--quiet", copyArticles(t))
	if code != 1 {
		t.Errorf("ingest into a read-only store: exit %d, want 1\n%s", code, errs)
	}
	if !strings.Contains(errs, "read-only file system") && !strings.Contains(errs, "permission denied") {
		t.Errorf("ingest into a read-only store: message %q does not say why", errs)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("ingest into a read-only store took %s to fail", d)
	}
	if os.Geteuid() == 0 {
		exec.Command("umount", st).Run()
	} else {
		relChmodTree(t, st, 0o755, 0o644)
	}
	after := searchJSON(t, st, "tariffs")
	if fmt.Sprint(hitIDs(before)) != fmt.Sprint(hitIDs(after)) {
		t.Errorf("search after the failed ingest: %v, want %v", hitIDs(after), hitIDs(before))
	}
	relCheckDecisions(t, st, decisions)
}

// TestIngestFullDisk runs an ingest on a 2 MB tmpfs that fills up: ingest
// fails with "no space left on device", the store still answers as before,
// decisions.json is unchanged, and once space is freed a rerun completes.
func TestIngestFullDisk(t *testing.T) {
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("needs root to mount a small tmpfs; full disk not tested")
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (%v: %s); full disk not tested", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	st := filepath.Join(mnt, "store")
	ingestJSON(t, st, copyArticles(t, "004_london_framework.txt", "005_talks_conclude.txt"))
	before := searchJSON(t, st, "tariffs")
	decisions := relSetDecision(t, st)

	// Fill the disk, leaving a few KB.
	filler := filepath.Join(mnt, "filler")
	relFillDisk(t, filler, 8<<10)
	big := manyArticles(t, 300)
	_, errs, code := trawlRun(t, "", "--store", st, "ingest", "--quiet", big)
	if code != 1 || !strings.Contains(errs, "no space left on device") {
		t.Fatalf("ingest on a full disk: exit %d, want 1 with \"no space left on device\"\n%s", code, errs)
	}
	t.Logf("full disk: %s", strings.TrimSpace(errs))
	// Deciding on a full disk fails and leaves decisions.json as it was.
	relFillDisk(t, filler+"2", 0)
	_, errs, code = trawlRun(t, "", "--store", st, "entities", "rename", relEntityID(t, st, "Bessent"), "Someone Else")
	if code == 0 {
		t.Errorf("a decision on a full disk succeeded:\n%s", errs)
	}
	os.Remove(filler + "2")
	relCheckDecisions(t, st, decisions)
	after := searchJSON(t, st, "tariffs")
	if fmt.Sprint(hitIDs(before)) != fmt.Sprint(hitIDs(after)) {
		t.Errorf("search after the failed ingest: %v, want %v", hitIDs(after), hitIDs(before))
	}
	// Free the space: the same command completes.
	relMust(t, os.Remove(filler))
	sum := ingestJSON(t, st, copyArticles(t, "004_london_framework.txt", "005_talks_conclude.txt", "006_grain_energy.txt"))
	if sum.Articles != 3 {
		t.Errorf("rerun after freeing space: %d articles, want 3", sum.Articles)
	}
	relCheckDecisions(t, st, decisions)
}

// relFillDisk writes path until the file system is full, then trims it so that
// about leave bytes stay free.
func relFillDisk(t *testing.T, path string, leave int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		if leave == 0 {
			return
		}
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	var n int64
	for {
		m, err := f.Write(buf)
		n += int64(m)
		if err != nil {
			break
		}
	}
	if leave > 0 {
		relMust(t, f.Truncate(max(0, n-leave)))
	}
}

// relStoredDecision is a decision made in a test and what it must keep doing.
type relStoredDecision struct {
	id, name string
	file     []byte // decisions.json as written
}

// relSetDecision renames the entity of Scott Bessent and returns the decision.
func relSetDecision(t *testing.T, st string) relStoredDecision {
	t.Helper()
	id := relEntityID(t, st, "Bessent")
	mustRun(t, "--store", st, "entities", "rename", id, "Scott K. Bessent")
	b, err := os.ReadFile(filepath.Join(st, "decisions.json"))
	if err != nil {
		t.Fatal(err)
	}
	return relStoredDecision{id: id, name: "Scott K. Bessent", file: b}
}

// relCheckDecisions asserts that decisions.json is byte for byte as written and
// still applied.
func relCheckDecisions(t *testing.T, st string, d relStoredDecision) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(st, "decisions.json"))
	if err != nil || !bytes.Equal(b, d.file) {
		t.Errorf("decisions.json changed (err %v):\n%s\nwant:\n%s", err, b, d.file)
	}
	if !relHasEntity(t, st, d.name) {
		t.Errorf("no entity is called %q: the user's rename of %s is lost", d.name, d.id)
	}
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

// relHasEntity reports whether a person entity is called name.
func relHasEntity(t *testing.T, st, name string) bool {
	t.Helper()
	for _, e := range relEntitiesJSON(t, st) {
		if e.Canonical == name {
			return true
		}
	}
	return false
}

func relEntitiesJSON(t *testing.T, st string) []trawl.Entity {
	t.Helper()
	var es []trawl.Entity
	if err := json.Unmarshal([]byte(mustRun(t, "--store", st, "entities", "--json")), &es); err != nil {
		t.Fatal(err)
	}
	return es
}

// relChmodTree sets the mode of every directory and file under dir.
func relChmodTree(t *testing.T, dir string, dirMode, fileMode os.FileMode) {
	t.Helper()
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		if fi.IsDir() {
			os.Chmod(p, dirMode)
		} else {
			os.Chmod(p, fileMode)
		}
		return nil
	})
}

func relMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// relUtf16Bytes encodes s as UTF-16, big- or little-endian.
func relUtf16Bytes(s string, bigEndian bool) []byte {
	var b []byte
	for _, r := range s {
		var units []uint16
		if r >= 0x10000 {
			r -= 0x10000
			units = []uint16{uint16(0xD800 + r>>10), uint16(0xDC00 + r&0x3FF)}
		} else {
			units = []uint16{uint16(r)}
		}
		for _, u := range units {
			if bigEndian {
				b = append(b, byte(u>>8), byte(u))
			} else {
				b = append(b, byte(u), byte(u>>8))
			}
		}
	}
	return b
}

// TestIngestProcesses runs the built binary: Ctrl-C during an ingest, a
// second ingest and a search while one runs, and an unreadable file as an
// unprivileged user.
func TestIngestProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and signals real processes; skipped with -short")
	}
	bin := buildTrawl(t)
	dir := manyArticles(t, 1200)
	// The store starts from the samples with a user decision, so that the
	// decision is seen to survive the interrupted run.
	base := copyArticles(t, "004_london_framework.txt", "005_talks_conclude.txt")
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
	want := storeState(t, bin, clean)
	t.Logf("uninterrupted ingest of 1200 files: %s", full.Round(time.Millisecond))

	t.Run("ctrl-c", func(t *testing.T) {
		for i, frac := range []float64{0.2, 0.5} {
			st := filepath.Join(t.TempDir(), "st")
			d := prepare(st)
			cmd := exec.Command(bin, "--store", st, "ingest", dir)
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			relMust(t, cmd.Start())
			relWaitForLock(t, st, cmd.Process.Pid)
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
			if got := storeState(t, bin, st); got != want {
				t.Errorf("run %d: after Ctrl-C and a rerun the store differs from an uninterrupted run", i)
			}
			b, _ := os.ReadFile(filepath.Join(st, "decisions.json"))
			if !bytes.Equal(b, d.file) {
				t.Errorf("run %d: decisions.json changed:\n%s", i, b)
			}
		}
	})

	t.Run("kill -9 keeps the user's decisions", func(t *testing.T) {
		st := filepath.Join(t.TempDir(), "st")
		d := prepare(st)
		for i, frac := range []float64{0.15, 0.4, 0.7} {
			cmd := exec.Command(bin, "--store", st, "ingest", "--quiet", dir)
			relMust(t, cmd.Start())
			relWaitForLock(t, st, cmd.Process.Pid)
			time.Sleep(time.Duration(frac * float64(full)))
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
			t.Logf("kill %d: kill -9 after %.0f%% of a full run", i, frac*100)
		}
		relMustRunBin(t, bin, "--store", st, "ingest", "--quiet", dir)
		if got := storeState(t, bin, st); got != want {
			t.Errorf("after kill -9s and a rerun the store differs from an uninterrupted run")
		}
		b, _ := os.ReadFile(filepath.Join(st, "decisions.json"))
		if !bytes.Equal(b, d.file) {
			t.Errorf("decisions.json changed:\n%s", b)
		}
		if !strings.Contains(storeState(t, bin, st), d.name) {
			t.Errorf("the user's rename to %q is not in the entities after the rerun", d.name)
		}
	})

	t.Run("second ingest and search while one runs", func(t *testing.T) {
		st := filepath.Join(t.TempDir(), "st")
		prepare(st)
		cmd := exec.Command(bin, "--store", st, "ingest", "--quiet", dir)
		relMust(t, cmd.Start())
		defer cmd.Wait()
		pid := cmd.Process.Pid
		relWaitForLock(t, st, pid)
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
			if !strings.Contains(msg, "store is busy") || !strings.Contains(msg, "trawl process "+strconv.Itoa(pid)+" is writing it") {
				t.Errorf("trawl %s while an ingest runs: %q, want \"store is busy\" naming process %d", args[0], msg, pid)
			}
			if took > 5*time.Second {
				t.Errorf("trawl %s while an ingest runs: refused after %s, want at once", args[0], took)
			}
			t.Logf("trawl %s while an ingest runs: refused in %s: %s", args[0], took.Round(time.Millisecond), strings.TrimSpace(msg))
		}
		if err := cmd.Wait(); err != nil {
			t.Fatalf("the first ingest failed: %v", err)
		}
		if got := storeState(t, bin, st); got != want {
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
		relWaitForLock(t, st, cmd.Process.Pid)
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
			t.Skip("not root: TestIngestUnreadable covers permission denied")
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

// relWaitForLock waits until the process pid has written the store's lock
// file, i.e. holds the store for writing.
func relWaitForLock(t *testing.T, st string, pid int) {
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

// relProcessAlive reports whether pid still runs (and is not a zombie).
func relProcessAlive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return syscall.Kill(pid, 0) == nil
	}
	f := strings.Fields(string(b))
	return len(f) > 2 && f[2] != "Z"
}

// TestIngestUnreadable checks permission denied on a file and a directory
// in-process; root reads everything, so as root TestIngestProcesses runs the
// same case as the user nobody.
func TestIngestUnreadable(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("permissions are not enforced for root (covered as nobody by TestIngestProcesses) or on windows")
	}
	dir := t.TempDir()
	relMust(t, os.WriteFile(filepath.Join(dir, "ok.txt"), []byte("Copper rose 2% on Monday.\n"), 0o644))
	relMust(t, os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("Zinc rose 3%.\n"), 0o000))
	relMust(t, os.Mkdir(filepath.Join(dir, "locked"), 0o000))
	t.Cleanup(func() { os.Chmod(filepath.Join(dir, "locked"), 0o755) })
	out, errs, code := trawlRun(t, "", "--store", filepath.Join(t.TempDir(), "s"), "ingest", "--quiet", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	for _, want := range []string{"skipped: secret.txt: unreadable file: permission denied", "skipped: locked: unreadable directory: permission denied"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr does not say %q:\n%s", want, errs)
		}
	}
	if !strings.Contains(out, "articles: 1 in store") {
		t.Errorf("the readable file was not kept:\n%s", out)
	}
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
// listen where other machines can reach it.
func TestServeBindsLoopbackAndWarns(t *testing.T) {
	out, _, _ := trawlRun(t, "", "serve", "--help")
	if !strings.Contains(out, `(default: "127.0.0.1:8080")`) {
		t.Errorf("serve --help does not show the loopback default:\n%s", out)
	}
	st := filepath.Join(t.TempDir(), "s")
	ingestJSON(t, st, copyArticles(t, "004_london_framework.txt"))
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
