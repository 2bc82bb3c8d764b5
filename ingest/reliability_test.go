package ingest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/index"
	"github.com/trawlnews/trawl/internal/proctest"
	"github.com/trawlnews/trawl/reconcile"
	"github.com/trawlnews/trawl/store"
)

// These tests drive the pipeline in-process over bad input and a hostile
// file system; cmd/trawl tests only how the command reports them.

// ingestInto ingests dir into the store st (created when missing), and
// returns the summary and every problem and skip as "path: reason" lines.
func ingestInto(t *testing.T, st, dir string, opts Options) (*Summary, []string, error) {
	t.Helper()
	s, err := store.Open(st, store.Options{})
	if err != nil {
		return nil, nil, err
	}
	defer s.Close()
	var lines []string
	opts.Problem = func(err error) { lines = append(lines, err.Error()) }
	sum, err := Run(context.Background(), s, []string{dir}, opts)
	if sum != nil {
		for _, sk := range sum.Skipped {
			lines = append(lines, sk.Path+": "+sk.Reason)
		}
	}
	return sum, lines, err
}

// mustIngestInto is ingestInto with default options that must succeed.
func mustIngestInto(t *testing.T, st, dir string) *Summary {
	t.Helper()
	sum, _, err := ingestInto(t, st, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// searchIDs returns the sorted ids of the articles of store st that match
// text, as a reader sees them.
func searchIDs(t *testing.T, st, text string) []string {
	t.Helper()
	s, err := store.Open(st, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ix, err := s.OpenIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	r, err := ix.Search(context.Background(), index.Query{Text: text, Limit: index.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range r.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}

// storedDecision is a decision made in a test and what it must keep doing.
type storedDecision struct {
	id, name string
	file     []byte // the decisions file as written
}

// rename records the user's decision to call entity id name in store st.
func rename(t *testing.T, st, id, name string) error {
	t.Helper()
	s, err := store.Open(st, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Decide(context.Background(), func(d *reconcile.Decisions, _ []trawl.Entity) error {
		d.Rename(id, name)
		return nil
	})
}

// setDecision renames the entity of Scott Bessent and returns the decision.
func setDecision(t *testing.T, st string) storedDecision {
	t.Helper()
	id := entityID(t, st, "Bessent")
	must(t, rename(t, st, id, "Scott K. Bessent"))
	b, err := os.ReadFile(decisionsPath(t, st))
	if err != nil {
		t.Fatal(err)
	}
	return storedDecision{id: id, name: "Scott K. Bessent", file: b}
}

// checkDecisions asserts that the decisions file is byte for byte as
// written and still applied.
func checkDecisions(t *testing.T, st string, d storedDecision) {
	t.Helper()
	b, err := os.ReadFile(decisionsPath(t, st))
	if err != nil || !bytes.Equal(b, d.file) {
		t.Errorf("decisions file changed (err %v):\n%s\nwant:\n%s", err, b, d.file)
	}
	if !slices.ContainsFunc(entities(t, st), func(e trawl.Entity) bool { return e.Canonical == d.name }) {
		t.Errorf("no entity is called %q: the user's rename of %s is lost", d.name, d.id)
	}
}

// decisionsPath is where store st keeps the user's decisions.
func decisionsPath(t *testing.T, st string) string {
	t.Helper()
	s, err := store.Open(st, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	return s.DecisionsPath()
}

// entities returns the entities of store st.
func entities(t *testing.T, st string) []trawl.Entity {
	t.Helper()
	s, err := store.Open(st, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	es, err := s.Entities()
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// entityID returns the id of the first entity whose name contains part.
func entityID(t *testing.T, st, part string) string {
	t.Helper()
	for _, e := range entities(t, st) {
		if strings.Contains(e.Canonical, part) {
			return e.ID
		}
	}
	t.Fatalf("no entity named like %q", part)
	return ""
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// badInputCase is one file of the bad-input folder and what a user must be
// told about it.
type badInputCase struct {
	name    string // file (or link, or directory) name
	content []byte // nil for the special ones made by setup
	// kept says the file still gives an article.
	kept bool
	// msg must appear on a stderr line that also names the file; "" means
	// nothing is said (a good file).
	msg string
}

// TestBadInput puts every kind of bad file the issue lists next to good
// ones in one folder and ingests it: the batch goes on, each bad file is
// reported with its problem, the summary counts it, and the good and
// salvageable articles are stored.
func TestBadInput(t *testing.T) {
	good := []byte("Title: Talks\nPublished: 2025-06-08\n\nTreasury Secretary Scott Bessent said on Friday that tariffs on steel rose to 50%.\n")
	stray := bytes.Repeat([]byte("Copper prices rose on Monday as traders bet on tariffs. "), 40)
	stray = append(stray[:100:100], append([]byte("\x00\x00"), stray[100:]...)...)
	cases := []badInputCase{
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
		{name: "utf16le.txt", content: utf16Bytes("\uFEFFCopper rose 4% in Zürich.\n", false), kept: true},
		{name: "utf16be.txt", content: utf16Bytes("\uFEFFWheat fell 2% in Köln.\n", true), kept: true},
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
	must(t, os.Symlink("nowhere.txt", filepath.Join(dir, "dangling.txt")))
	must(t, os.Symlink("loop2.txt", filepath.Join(dir, "loop1.txt")))
	must(t, os.Symlink("loop1.txt", filepath.Join(dir, "loop2.txt")))
	must(t, os.Mkdir(filepath.Join(dir, "folder.txt"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "folder.txt", "inner.txt"), []byte("Zinc rose 1% on Tuesday.\n"), 0o644))

	st := filepath.Join(t.TempDir(), "store")
	sum, lines, err := ingestInto(t, st, dir, Options{Corpus: corpus.Options{MaxFileSize: 1 << 20}})
	if err != nil {
		t.Fatalf("ingest: %v, want none (bad files never stop the batch)", err)
	}
	errs := strings.Join(lines, "\n")
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
			t.Errorf("%s: no problem or skip names it with %q:\n%s", c.name, c.msg, errs)
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
			t.Errorf("no problem or skip says %q:\n%s", want, errs)
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
	if ids := searchIDs(t, st, "Bessent"); len(ids) < 2 {
		t.Errorf("search Bessent after a batch of bad files: %v, want good.txt and j1", ids)
	}
}

// TestHugeLine ingests one file that is a single line of 40 MB (4 MB
// under the race detector) with the file size limit raised: it must be read,
// extracted, reconciled and indexed, and found by search. It takes minutes
// (4 min 23 s on a shared 2-core machine), so it runs only with
// TRAWL_HUGE_LINE=1; reading the line (corpus.TestReadHugeLine) and
// extracting from long single-sentence texts (extract.TestPathologicalText)
// run in every make test. See docs/reliability.md.
func TestHugeLine(t *testing.T) {
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
	must(t, os.WriteFile(filepath.Join(dir, "line.txt"), []byte(line), 0o644))
	st := filepath.Join(t.TempDir(), "s")
	start := time.Now()
	sum, _, err := ingestInto(t, st, dir, Options{Corpus: corpus.Options{MaxFileSize: 64 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("one %d MB line: ingested in %s, %d percentages", size>>20, time.Since(start).Round(time.Millisecond), sum.Mentions[trawl.Percent])
	if sum.Articles != 1 || sum.Mentions[trawl.Percent] == 0 {
		t.Errorf("summary %+v: want 1 article with its percentages", sum)
	}
	if ids := searchIDs(t, st, "zanzibarite"); len(ids) != 1 {
		t.Errorf("search for the last word of the line: %v, want 1 hit", ids)
	}
}

// TestReadOnlyStore makes the store directory read-only (a read-only
// bind mount when root, chmod otherwise): ingest fails at once with a clear
// message, and the store still answers as before.
func TestReadOnlyStore(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("read-only mounts are tested on linux only")
	}
	st := filepath.Join(t.TempDir(), "store")
	mustIngestInto(t, st, proctest.CopyArticles(t, "004_london_framework.txt", "005_talks_conclude.txt"))
	before := searchIDs(t, st, "tariffs")
	decisions := setDecision(t, st)

	if os.Geteuid() == 0 {
		if out, err := exec.Command("mount", "--bind", st, st).CombinedOutput(); err != nil {
			t.Skipf("root but cannot bind-mount (%v: %s); read-only store not tested", err, out)
		}
		t.Cleanup(func() { exec.Command("umount", st).Run() })
		if out, err := exec.Command("mount", "-o", "remount,bind,ro", st).CombinedOutput(); err != nil {
			t.Skipf("cannot remount read-only (%v: %s)", err, out)
		}
	} else {
		chmodTree(t, st, 0o555, 0o444)
		t.Cleanup(func() { chmodTree(t, st, 0o755, 0o644) })
	}
	start := time.Now()
	_, _, err := ingestInto(t, st, proctest.CopyArticles(t), Options{})
	if err == nil {
		t.Errorf("ingest into a read-only store succeeded")
	} else if errs := err.Error(); !strings.Contains(errs, "read-only file system") && !strings.Contains(errs, "permission denied") {
		t.Errorf("ingest into a read-only store: message %q does not say why", errs)
	}
	t.Logf("ingest into a read-only store failed after %s", time.Since(start).Round(time.Millisecond))
	if os.Geteuid() == 0 {
		exec.Command("umount", st).Run()
	} else {
		chmodTree(t, st, 0o755, 0o644)
	}
	if diff := cmp.Diff(before, searchIDs(t, st, "tariffs")); diff != "" {
		t.Errorf("search after the failed ingest (-want +got):\n%s", diff)
	}
	checkDecisions(t, st, decisions)
}

// TestFullDisk runs an ingest on a 2 MB tmpfs that fills up: ingest
// fails with "no space left on device", the store still answers as before,
// decisions.json is unchanged, and once space is freed a rerun completes.
func TestFullDisk(t *testing.T) {
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("needs root to mount a small tmpfs; full disk not tested")
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (%v: %s); full disk not tested", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	st := filepath.Join(mnt, "store")
	mustIngestInto(t, st, proctest.CopyArticles(t, "004_london_framework.txt", "005_talks_conclude.txt"))
	before := searchIDs(t, st, "tariffs")
	decisions := setDecision(t, st)

	// Fill the disk, leaving a few KB.
	filler := filepath.Join(mnt, "filler")
	fillDisk(t, filler, 8<<10)
	big := proctest.ManyArticles(t, 300)
	_, _, err := ingestInto(t, st, big, Options{})
	if err == nil || !strings.Contains(err.Error(), "no space left on device") {
		t.Fatalf("ingest on a full disk: %v, want \"no space left on device\"", err)
	}
	t.Logf("full disk: %v", err)
	// Deciding on a full disk fails and leaves decisions.json as it was.
	fillDisk(t, filler+"2", 0)
	if err := rename(t, st, entityID(t, st, "Bessent"), "Someone Else"); err == nil {
		t.Errorf("a decision on a full disk succeeded")
	}
	os.Remove(filler + "2")
	checkDecisions(t, st, decisions)
	if diff := cmp.Diff(before, searchIDs(t, st, "tariffs")); diff != "" {
		t.Errorf("search after the failed ingest (-want +got):\n%s", diff)
	}
	// Free the space: the same ingest completes.
	must(t, os.Remove(filler))
	sum := mustIngestInto(t, st, proctest.CopyArticles(t, "004_london_framework.txt", "005_talks_conclude.txt", "006_grain_energy.txt"))
	if sum.Articles != 3 {
		t.Errorf("rerun after freeing space: %d articles, want 3", sum.Articles)
	}
	checkDecisions(t, st, decisions)
}

// fillDisk writes path until the file system is full, then trims it so that
// about leave bytes stay free.
func fillDisk(t *testing.T, path string, leave int64) {
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
		must(t, f.Truncate(max(0, n-leave)))
	}
}

// chmodTree sets the mode of every directory and file under dir.
func chmodTree(t *testing.T, dir string, dirMode, fileMode os.FileMode) {
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

// utf16Bytes encodes s as UTF-16, big- or little-endian.
func utf16Bytes(s string, bigEndian bool) []byte {
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

// TestUnreadable checks permission denied on a file and a directory
// in-process; root reads everything, so as root TestIngestProcesses runs the
// same case as the user nobody.
// TestUnreadable checks permission denied on a file and a directory
// in-process; root reads everything, so as root cmd/trawl's
// TestIngestProcesses runs the same case as the user nobody.
func TestUnreadable(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("permissions are not enforced for root (covered as nobody by cmd/trawl TestIngestProcesses) or on windows")
	}
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "ok.txt"), []byte("Copper rose 2% on Monday.\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("Zinc rose 3%.\n"), 0o000))
	must(t, os.Mkdir(filepath.Join(dir, "locked"), 0o000))
	t.Cleanup(func() { os.Chmod(filepath.Join(dir, "locked"), 0o755) })
	sum, lines, err := ingestInto(t, filepath.Join(t.TempDir(), "s"), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"secret.txt: unreadable file: permission denied", "locked: unreadable directory: permission denied"} {
		if !slices.Contains(lines, want) {
			t.Errorf("no skip says %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
	if sum.Articles != 1 {
		t.Errorf("%d articles stored, want the readable file's 1", sum.Articles)
	}
}
