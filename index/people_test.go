package index

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
)

// TestPeopleSurviveReopen checks that the people a refresh records are
// read back by a later open, read-only, so that a search needs no caller
// to pass them, and that Names labels them.
func TestPeopleSurviveReopen(t *testing.T) {
	ix, path := newTestIndex(t)
	setPeople(t, ix, []trawl.Entity{{
		ID: "scott-bessent", Type: trawl.Person, Canonical: "Scott Bessent",
		Variants: []trawl.Variant{{Name: "Scot Bessant"}},
	}})
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	r, err := ro.Search(context.Background(), Query{Text: "Bessant"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) != 3 {
		t.Errorf("Search(Bessant) after reopen = %v, want 3 hits", hitIDs(r))
	}
	names, err := ro.Names()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"scott-bessent": "Scott Bessent"}, names); diff != "" {
		t.Errorf("Names (-want +got):\n%s", diff)
	}
}

// TestBadQueriesAreTyped checks that a caller can tell its own mistakes
// from the index's failures without reading the message.
func TestBadQueriesAreTyped(t *testing.T) {
	ix, _ := newTestIndex(t)
	for _, q := range []Query{
		{Text: `"open`},
		{From: "yesterday"},
		{From: "2025-02-01", To: "2025-01-01"},
		{Sort: "size"},
	} {
		_, err := ix.Search(context.Background(), q)
		var qe *QueryError
		if !errors.Is(err, ErrBadQuery) || !errors.As(err, &qe) {
			t.Errorf("Search(%+v) = %v, want a *QueryError", q, err)
			continue
		}
		if qe.Error() != "index: "+qe.Msg {
			t.Errorf("Search(%+v): Error() = %q, Msg = %q", q, qe.Error(), qe.Msg)
		}
	}
}

func TestParseDate(t *testing.T) {
	now := time.Date(2025, 3, 15, 18, 0, 0, 0, time.UTC)
	tests := []struct {
		in         string
		lower, upp string
	}{
		{"", "", ""},
		{"2025-01-31", "2025-01-31", "2025-01-31"},
		{" 2024-02 ", "2024-02-01", "2024-02-29"},
		{"2024", "2024-01-01", "2024-12-31"},
		{"today", "2025-03-15", "2025-03-15"},
		{"Yesterday", "2025-03-14", "2025-03-14"},
		{"last week", "2025-03-08", "2025-03-15"},
		{"last month", "2025-02-15", "2025-03-15"},
	}
	for _, tt := range tests {
		lo, err := ParseDate(tt.in, now, false)
		if err != nil {
			t.Fatalf("ParseDate(%q, lower): %v", tt.in, err)
		}
		up, err := ParseDate(tt.in, now, true)
		if err != nil {
			t.Fatalf("ParseDate(%q, upper): %v", tt.in, err)
		}
		if diff := cmp.Diff([2]string{tt.lower, tt.upp}, [2]string{lo, up}); diff != "" {
			t.Errorf("ParseDate(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
	for _, bad := range []string{"2025-13-01", "March", "15/03/2025"} {
		if d, err := ParseDate(bad, now, false); err == nil {
			t.Errorf("ParseDate(%q) = %q, want an error", bad, d)
		}
	}
}
