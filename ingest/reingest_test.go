package ingest

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
)

// TestUnchangedReingestSkipsReconcile checks the fast path of a re-ingest
// that changed nothing: nothing is re-indexed, the totals stay, and a hand
// edit of decisions.json still reaches the entities on the next run.
func TestUnchangedReingestSkipsReconcile(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.txt": sample,
		"b.txt": "Published: 2025-06-09\n\nCommerce Secretary Howard Lutnick said copper prices rose 4%.\n",
	})
	st := t.TempDir()
	s := mustOpen(t, st)
	defer s.Close()
	ctx := context.Background()
	first, err := Run(ctx, s, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	again, err := Run(ctx, s, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	type totals struct{ Unchanged, Articles, Entities, Discrepancies, Indexed, Extracted int }
	want := totals{Unchanged: 2, Articles: first.Articles, Entities: first.Entities, Discrepancies: first.Discrepancies}
	got := totals{again.Unchanged, again.Articles, again.Entities, again.Discrepancies, again.Indexed, again.Extracted}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("unchanged re-ingest (-want +got):\n%s", diff)
	}
	if ok, err := s.Clean(); err != nil || !ok {
		t.Errorf("after an unchanged re-ingest the store is not clean (%v, %v): the next run would reconcile again", ok, err)
	}

	// A decision written by hand is applied by the next ingest.
	es, err := s.Entities()
	if err != nil || len(es) == 0 {
		t.Fatalf("entities: %v, %d", err, len(es))
	}
	var lutnick trawl.Entity
	for _, e := range es {
		if e.Canonical == "Howard Lutnick" {
			lutnick = e
		}
	}
	if lutnick.ID == "" {
		t.Fatalf("no Howard Lutnick among %d entities", len(es))
	}
	line := "rename " + lutnick.ID + " \"H. Lutnick\"\n"
	if err := os.WriteFile(s.DecisionsPath(), []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(ctx, s, []string{dir}, Options{}); err != nil {
		t.Fatal(err)
	}
	es, err = s.Entities()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Canonical)
	}
	if !slices.Contains(names, "H. Lutnick") {
		t.Errorf("after a hand-written rename and a re-ingest the entities are %q, want one called %q", names, "H. Lutnick")
	}
}

// TestReingestTrustsUntouchedFiles checks the stat fast path of a
// re-ingest: a file whose size and mtime are those recorded, and older than
// its last read, is not read again; any edit that moves the mtime is seen;
// Rehash reads everything; a file written around the time it was read is
// hashed on the next run even if its mtime is put back.
func TestReingestTrustsUntouchedFiles(t *testing.T) {
	const before = "Published: 2025-06-08\n\nCopper prices rose 4% on Monday, Howard Lutnick said.\n"
	const after = "Published: 2025-06-08\n\nCopper prices rose 5% on Monday, Howard Lutnick said.\n"
	dir := writeFiles(t, map[string]string{"old.txt": before, "racy.txt": before})
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(filepath.Join(dir, "old.txt"), old, old); err != nil {
		t.Fatal(err)
	}
	s := mustOpen(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	if _, err := Run(ctx, s, []string{dir}, Options{}); err != nil {
		t.Fatal(err)
	}
	// Rewrite both files with the same size and put their mtimes back, as
	// a tool that restores timestamps would (or a file system with 2-second
	// mtimes, for the file written just before it was read).
	for _, name := range []string{"old.txt", "racy.txt"} {
		p := filepath.Join(dir, name)
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(after), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, fi.ModTime(), fi.ModTime()); err != nil {
			t.Fatal(err)
		}
	}
	type counts struct{ Changed, Unchanged int }
	for _, tc := range []struct {
		name   string
		rehash bool
		touch  bool
		want   counts
	}{
		// racy.txt was written within racyWindow of its read: it is hashed.
		{"stat fast path", false, false, counts{Changed: 1, Unchanged: 1}},
		// old.txt's edit hid behind its restored mtime: only Rehash sees it.
		{"rehash", true, false, counts{Changed: 1, Unchanged: 1}},
		{"nothing changed since", false, false, counts{Unchanged: 2}},
		// An ordinary edit moves the mtime.
		{"touched", false, true, counts{Changed: 1, Unchanged: 1}},
	} {
		if tc.touch {
			p := filepath.Join(dir, "old.txt")
			if err := os.WriteFile(p, []byte(before), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		sum, err := Run(ctx, s, []string{dir}, Options{Rehash: tc.rehash})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, counts{sum.Changed, sum.Unchanged}); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}
