package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/reconcile"
)

// TestWrittenKeepsEveryPair covers what finish records after a refresh: each
// document's id with its own digest, in the order written, however often
// the packed buffer grew on the way (a digest recorded under the wrong id
// would make the next refresh rewrite or, worse, skip documents).
func TestWrittenKeepsEveryPair(t *testing.T) {
	var want [][2]string
	w := &written{}
	for i := range 3000 {
		id := fmt.Sprintf("%0*d", i%40, i) // ids of 1 to 39 bytes
		digest := fmt.Sprintf("digest-%d", i*7)
		want = append(want, [2]string{id, digest})
		w.add(id, digest)
	}
	var got [][2]string
	for i := range w.len() {
		id, digest := w.at(i)
		got = append(got, [2]string{string(id), string(digest)})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("written pairs (-want +got):\n%s", diff)
	}
}

// TestCrashBetweenAssignChunks stops a refresh after the first transaction
// of entity ids (recordAssignments writes assignChunk articles a
// transaction), as a crash there would, in a store that already held the
// results of an earlier refresh: the reopened store must say it is dirty
// and not clean, so that the next ingest reconciles again, and after that
// refresh it must hold what a store that never crashed holds: the same
// people, discrepancies, articles with their entity ids, and no entity ids
// of articles no longer stored.
func TestCrashBetweenAssignChunks(t *testing.T) {
	chunk := assignChunk
	assignChunk = 4
	t.Cleanup(func() { assignChunk, assignChunkDone = chunk, nil })

	names := []string{"Scott Bessent", "Janet Yellen", "He Lifeng", "Howard Lutnick", "Jamieson Greer"}
	article := func(i int) FileWrite {
		a, b := names[i%len(names)], names[(i+2)%len(names)]
		text := fmt.Sprintf("%s met %s on Monday; copper rose %d%% in week %d.", a, b, i%7+1, i)
		id := fmt.Sprintf("a%03d.txt", i)
		art := trawl.Article{ID: id, Text: text, Hash: id, Mentions: []trawl.Mention{
			{Type: trawl.Person, Text: a, Start: 0, End: len(a), Entity: "p1"},
			{Type: trawl.Person, Text: b, Start: len(a) + 5, End: len(a) + 5 + len(b), Entity: "p2"},
		}}
		return FileWrite{Key: FileKey("/root", id), Hash: id, Size: int64(len(text)), Read: time.Now(), Articles: []trawl.Article{art}}
	}
	// first stores articles 0-29 and refreshes; second removes every third
	// of them (stale entity ids in every chunk's range) and adds 30-44.
	first := func(s *Store) {
		t.Helper()
		var ws []FileWrite
		for i := range 30 {
			ws = append(ws, article(i))
		}
		must(t, s.MarkDirty())
		if _, err := s.Commit(ws); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Refresh(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	second := func(s *Store) error {
		t.Helper()
		must(t, s.MarkDirty())
		var gone []string
		for i := 0; i < 30; i += 3 {
			gone = append(gone, FileKey("/root", fmt.Sprintf("a%03d.txt", i)))
		}
		must(t, s.RemoveFiles(gone))
		var ws []FileWrite
		for i := 30; i < 45; i++ {
			ws = append(ws, article(i))
		}
		if _, err := s.Commit(ws); err != nil {
			t.Fatal(err)
		}
		_, err := s.Refresh(context.Background())
		return err
	}

	want := mustOpen(t, t.TempDir())
	defer want.Close()
	first(want)
	must(t, second(want))

	dir := t.TempDir()
	s := mustOpen(t, dir)
	first(s)
	crash := errors.New("crash")
	chunks := 0
	assignChunkDone = func(n int) error {
		chunks++
		return crash
	}
	if err := second(s); !errors.Is(err, crash) {
		t.Fatalf("refresh stopped after the first chunk of entity ids: err %v, want the crash", err)
	}
	assignChunkDone = nil
	if chunks != 1 {
		t.Fatalf("%d chunks written before the crash, want 1", chunks)
	}
	must(t, s.Close())

	s = mustOpen(t, dir)
	defer s.Close()
	if dirty, err := s.Dirty(); !dirty || err != nil {
		t.Errorf("after a crash between two transactions of entity ids Dirty = %v, %v; want true", dirty, err)
	}
	if clean, err := s.Clean(); clean || err != nil {
		t.Errorf("after a crash between two transactions of entity ids Clean = %v, %v; want false, so that the next ingest reconciles again", clean, err)
	}
	if _, err := s.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if clean, err := s.Clean(); !clean || err != nil {
		t.Errorf("Clean after the refresh that followed the crash = %v, %v; want true", clean, err)
	}
	for _, what := range []struct {
		name string
		of   func(*Store) any
	}{
		{"people", func(s *Store) any { es, err := s.Entities(); must(t, err); return es }},
		{"discrepancies", func(s *Store) any { ds, err := s.Discrepancies(); must(t, err); return ds }},
		{"articles", func(s *Store) any {
			var as []trawl.Article
			must(t, s.Articles(func(a trawl.Article) error { as = append(as, a); return nil }))
			return as
		}},
		{"assign bucket", assignBucket(t)},
	} {
		if diff := cmp.Diff(what.of(want), what.of(s)); diff != "" {
			t.Errorf("%s after a crash between chunks and a refresh differ from a store that never crashed (-want +got):\n%s", what.name, diff)
		}
	}
	if got := assignBucket(t)(s).([]string); len(got) != 35 || !slices.IsSorted(got) {
		t.Errorf("the assign bucket holds %d entries, want one for each of the 35 articles stored:\n%s", len(got), strings.Join(got, "\n"))
	}
}

// assignBucket lists the assign bucket of a store, one "id ids" a line.
func assignBucket(t *testing.T) func(*Store) any {
	return func(s *Store) any {
		var kvs []string
		must(t, s.view(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketAssign).ForEach(func(k, v []byte) error {
				kvs = append(kvs, string(k)+" "+string(v))
				return nil
			})
		}))
		return kvs
	}
}

// must fails the test on an error.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestAssignmentsOfEveryArticle covers the entity ids the refresh records
// for each article (the assign bucket, which the index phase reads back):
// assignmentsOf, which sizes its buffers first, gives each article exactly
// the ids that adding the articles one at a time gives, including ids that
// JSON escapes (beyond its size estimate) and articles without people.
func TestAssignmentsOfEveryArticle(t *testing.T) {
	strs := reconcile.NewStrings()
	var thin []reconcile.Article
	var want [][2]string
	for i := range 500 {
		a := reconcile.Article{ID: fmt.Sprintf("a%04d", i)}
		for j := range i % 4 {
			name := fmt.Sprintf("person-%d", (i+j)%37)
			if j == 2 {
				name = "o<neil&co" // JSON writes < and & as \u003c and \u0026
			}
			a.Mentions = append(a.Mentions, reconcile.Mention{Type: reconcile.Person, Entity: strs.ID(name)})
		}
		a.Mentions = append(a.Mentions, reconcile.Mention{Type: reconcile.Date, Entity: strs.ID("not-a-person")})
		thin = append(thin, a)
		var one assignments
		one.add(a.ID, personEntities(a, strs))
		id, ids := one.at(0)
		want = append(want, [2]string{string(id), string(ids)})
	}
	as := assignmentsOf(thin, strs)
	var got [][2]string
	for i := range as.len() {
		id, ids := as.at(i)
		got = append(got, [2]string{string(id), string(ids)})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entity ids per article (-one at a time +assignmentsOf):\n%s", diff)
	}
	if want[7][1] != `["person-7","person-8","o\u003cneil\u0026co"]` {
		t.Errorf("article a0007's ids = %s", want[7][1])
	}
}
