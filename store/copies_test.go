package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/dedup"
)

// TestCopiesIncremental: a refresh signs only new and changed articles,
// compares them with the stored signatures, records the groups, and a
// removed copy leaves its group.
func TestCopiesIncremental(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	defer s.Close()
	story := strings.Repeat("The harbour authority said container traffic fell by a fifth as crane operators stayed away from the night shift. ", 3)
	other := "Shares in the airline rose after it returned to profit and said summer bookings were ahead of last year."
	commit := func(id, hash, text string) {
		t.Helper()
		a := trawl.Article{ID: id, Text: text, Hash: hash}
		if _, err := s.Commit([]FileWrite{{Key: FileKey("/root", id), Hash: hash, Size: int64(len(text)), Read: time.Now(), Articles: []trawl.Article{a}}}); err != nil {
			t.Fatal(err)
		}
	}
	refresh := func() Counts {
		t.Helper()
		st, err := s.Refresh(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	copies := func() []dedup.Group {
		t.Helper()
		gs, err := s.Copies()
		if err != nil {
			t.Fatal(err)
		}
		return gs
	}
	commit("wire.txt", "h1", story)
	commit("other.txt", "h2", other)
	if st := refresh(); st.Signed != 2 || st.Copies != 0 {
		t.Errorf("first refresh: signed %d, %d groups; want 2 and 0", st.Signed, st.Copies)
	}
	commit("daily.txt", "h3", "By a staff writer. "+story)
	if st := refresh(); st.Signed != 1 || st.Copies != 1 {
		t.Errorf("refresh after one new article: signed %d, %d groups; want 1 and 1", st.Signed, st.Copies)
	}
	if diff := cmp.Diff([]dedup.Group{{ID: "daily.txt", Articles: []string{"daily.txt", "wire.txt"}}}, copies()); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	if st := refresh(); st.Signed != 0 {
		t.Errorf("refresh with nothing changed signed %d articles, want 0", st.Signed)
	}
	if err := s.RemoveFiles([]string{FileKey("/root", "daily.txt")}); err != nil {
		t.Fatal(err)
	}
	if st := refresh(); st.Signed != 0 || st.Copies != 0 || len(copies()) != 0 {
		t.Errorf("after the copy is removed: signed %d, %d groups %v; want none", st.Signed, st.Copies, copies())
	}
}

// TestSignaturesReadBeside: the stored signatures are read beside the
// articles, so a refresh that changed nothing neither writes the bucket nor
// reads it again (a second scan held every page of it resident until its
// commit: 1.1 GB of a 200x store), and the signatures of articles no longer
// stored are found in the same pass and dropped.
func TestSignaturesReadBeside(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	defer s.Close()
	const n = 2000
	fw := FileWrite{Key: FileKey("/root", "many.txt"), Hash: "h", Read: time.Now()}
	for i := range n {
		text := fmt.Sprintf("Report %d: the port of call number %d handled %d containers last week.", i, i, i*7)
		fw.Articles = append(fw.Articles, trawl.Article{ID: fmt.Sprintf("a%05d", i), Text: text, Hash: fmt.Sprintf("h%d", i)})
	}
	if _, err := s.Commit([]FileWrite{fw}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	stored := func() (ids []string) {
		t.Helper()
		if err := s.db.View(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketSignatures).ForEach(func(k, _ []byte) error {
				ids = append(ids, string(k))
				return nil
			})
		}); err != nil {
			t.Fatal(err)
		}
		return ids
	}
	want := stored()
	if len(want) != n {
		t.Fatalf("%d signatures stored for %d articles", len(want), n)
	}

	sigs, _, err := s.loadSignatures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(sigs.fresh) != 0 || len(sigs.stale) != 0 {
		t.Fatalf("nothing changed, yet %d fresh and %d stale signatures", len(sigs.fresh), len(sigs.stale))
	}
	path := s.DBPath()
	st := s.db.Stats()
	before := st.TxStats.GetWrite()
	if err := s.saveSignatures(sigs); err != nil {
		t.Fatal(err)
	}
	st = s.db.Stats()
	if w := st.TxStats.GetWrite() - before; w != 0 {
		t.Errorf("saving unchanged signatures wrote %d pages", w)
	}
	if kb := residentKB(t, path); kb > 256 {
		t.Errorf("%d kB of the database resident after saving unchanged signatures (%d stored, about %d kB)", kb, n, n*600>>10)
	}

	// Signatures whose articles are gone: before the first article, between
	// two, and after the last.
	gone := []string{"0gone", "a00100x", "zgone"}
	if err := s.db.Update(func(tx *bolt.Tx) error {
		for _, id := range gone {
			if err := tx.Bucket(bucketSignatures).Put([]byte(id), []byte("h\x00")); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if sigs, _, err = s.loadSignatures(context.Background()); err != nil {
		t.Fatal(err)
	}
	var stale []string
	for _, k := range sigs.stale {
		stale = append(stale, string(k))
	}
	if diff := cmp.Diff(gone, stale); diff != "" {
		t.Errorf("stale signatures (-want +got):\n%s", diff)
	}
	if err := s.saveSignatures(sigs); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, stored()); diff != "" {
		t.Errorf("signatures stored after the stale ones were dropped (-want +got):\n%s", diff)
	}
}
