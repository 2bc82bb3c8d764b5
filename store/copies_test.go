package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

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
