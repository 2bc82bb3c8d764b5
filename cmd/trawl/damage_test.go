package main

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trawlnews/trawl/internal/proctest"
	"github.com/trawlnews/trawl/store"
)

// damageFile overwrites the head of every page of path after the first
// two (bbolt's meta pages) with random bytes, as a torn write or a bad
// disk would.
func damageFile(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	junk := make([]byte, 64)
	for off := int64(2 * 4096); off < fi.Size(); off += 4096 {
		for i := range junk {
			junk[i] = byte(rng.Uint32())
		}
		if _, err := f.WriteAt(junk, off); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDamagedStore is issue 17 case 10: a damaged trawl.db made search,
// entities and ingest panic with a Go stack trace. Each now says the store
// is damaged and how to rebuild it, and ingest --repair rebuilds it from
// the files, keeping the user's decisions.
func TestDamagedStore(t *testing.T) {
	dir := proctest.ManyArticles(t, 40)
	st := filepath.Join(t.TempDir(), "store")
	mustRun(t, "--store", st, "ingest", "--quiet", dir)
	hits := resultCount(t, st, "tariffs")
	mustRun(t, "--store", st, "entities", "rename", "scott-bessent", "Secretary Bessent")
	decisions, err := os.ReadFile(filepath.Join(st, "decisions.json"))
	if err != nil {
		t.Fatal(err)
	}
	damageFile(t, filepath.Join(st, "trawl.db"))

	for _, args := range [][]string{
		{"search", "tariffs"},
		{"entities"},
		{"discrepancies"},
		{"ingest", "--quiet", dir},
	} {
		_, errs, code := trawlRun(t, "", append([]string{"--store", st}, args...)...)
		if code == 0 || !strings.Contains(errs, "store is damaged") || !strings.Contains(errs, "ingest --repair") || strings.Contains(errs, "goroutine") {
			t.Errorf("trawl %s on a damaged store: exit %d, stderr:\n%s\nwant a non-zero exit and a message saying the store is damaged and how to repair it", strings.Join(args, " "), code, errs)
		}
	}

	_, errs, code := trawlRun(t, "", "--store", st, "ingest", "--quiet", "--repair", dir)
	if code != 0 || !strings.Contains(errs, "moved aside") {
		t.Fatalf("ingest --repair: exit %d\n%s", code, errs[max(0, len(errs)-3000):])
	}
	if got := resultCount(t, st, "tariffs"); got != hits {
		t.Errorf("search after the repair finds %s, before the damage %s", got, hits)
	}
	if out := mustRun(t, "--store", st, "entities"); !strings.Contains(out, "Secretary Bessent") {
		t.Errorf("the rename decision was lost by the repair:\n%s", out)
	}
	after, err := os.ReadFile(filepath.Join(st, "decisions.json"))
	if err != nil || string(after) != string(decisions) {
		t.Errorf("decisions.json changed by the repair (%v):\n%s\nwant\n%s", err, after, decisions)
	}
	// --repair on a sound store changes nothing.
	if _, errs, code := trawlRun(t, "", "--store", st, "ingest", "--quiet", "--repair", dir); code != 0 || strings.Contains(errs, "moved aside") {
		t.Errorf("ingest --repair of a sound store: exit %d\n%s", code, errs)
	}
}

// TestDamagedIndex is issue 17 case 11: a damaged search index was not
// rebuilt by ingest ("0 documents indexed", search still broken with
// "error parsing mapping JSON"). Search now says the index is damaged and
// ingest rebuilds it from the store.
func TestDamagedIndex(t *testing.T) {
	dir := proctest.ManyArticles(t, 20)
	for name, damage := range map[string]func(t *testing.T, ix string){
		"manifest": func(t *testing.T, ix string) {
			relMust(t, os.WriteFile(filepath.Join(ix, "trawl-shards.json"), []byte("{not json"), 0o644))
		},
		"meta": func(t *testing.T, ix string) {
			metas, _ := filepath.Glob(filepath.Join(ix, "shard-*", "index_meta.json"))
			if len(metas) == 0 {
				t.Fatal("no shard to damage")
			}
			relMust(t, os.WriteFile(metas[0], []byte("{not json"), 0o644))
		},
		"segments": func(t *testing.T, ix string) {
			segs, _ := filepath.Glob(filepath.Join(ix, "shard-*", "store", "*.zap"))
			if len(segs) == 0 {
				t.Fatal("no segment files to damage")
			}
			for _, s := range segs {
				relMust(t, os.Truncate(s, 10))
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			st := filepath.Join(t.TempDir(), "store")
			mustRun(t, "--store", st, "ingest", "--quiet", dir)
			hits := resultCount(t, st, "tariffs")
			damage(t, filepath.Join(st, "index.bleve"))
			if _, errs, code := trawlRun(t, "", "--store", st, "search", "tariffs"); code == 0 || !strings.Contains(errs, "search index is damaged") || strings.Contains(errs, "goroutine") {
				t.Errorf("search on a damaged index: exit %d\n%s", code, errs)
			}
			sum := ingestJSON(t, st, dir)
			if sum.Indexed != 20 {
				t.Errorf("ingest after the damage indexed %d documents, want all 20", sum.Indexed)
			}
			if got := resultCount(t, st, "tariffs"); got != hits {
				t.Errorf("search after the rebuild finds %s, before the damage %s", got, hits)
			}
		})
	}
}

// resultCount is the number of results trawl search prints for q.
func resultCount(t *testing.T, st, q string) string {
	t.Helper()
	out := mustRun(t, "--store", st, "search", q)
	n, _, _ := strings.Cut(out, " ")
	return n
}

// TestSearchWarnsAfterFailedIndex is issue 17 case 12: after an ingest
// whose index phase failed (disk full, killed), search silently served a
// partial index although the store knew it was dirty. It now warns.
func TestSearchWarnsAfterFailedIndex(t *testing.T) {
	dir := proctest.ManyArticles(t, 10)
	st := filepath.Join(t.TempDir(), "store")
	mustRun(t, "--store", st, "ingest", "--quiet", dir)
	if _, errs, _ := trawlRun(t, "", "--store", st, "search", "tariffs"); errs != "" {
		t.Fatalf("search of a clean store warns:\n%s", errs)
	}
	s, err := store.Open(st, store.Options{})
	relMust(t, err)
	relMust(t, s.MarkDirty()) // what a run that died before the index was flushed leaves
	relMust(t, s.Close())
	_, errs, code := trawlRun(t, "", "--store", st, "search", "tariffs")
	if code != 0 || !strings.Contains(errs, "warning: the last ingest into "+st+" did not finish") {
		t.Errorf("search of a dirty store: exit %d, stderr:\n%s\nwant a warning that the index may be incomplete", code, errs)
	}
	mustRun(t, "--store", st, "ingest", "--quiet", dir)
	if _, errs, _ := trawlRun(t, "", "--store", st, "search", "tariffs"); errs != "" {
		t.Errorf("search after a finished ingest still warns:\n%s", errs)
	}
}
