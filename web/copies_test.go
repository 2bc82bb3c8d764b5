package web

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCopiesOneHit: a story republished by a second outlet is one hit in
// the API and on the search page, with the copy as "also published by".
func TestCopiesOneHit(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(articlesDir, seedIDs[1]))
	if err != nil {
		t.Fatal(err)
	}
	_, text, _ := strings.Cut(string(body), "\n\n")
	dir := t.TempDir()
	for name, head := range map[string]string{
		"wire.txt":  "Title: Trade talks set\nSource: Wire\n\n",
		"daily.txt": "Title: Trade talks set for London\nSource: Daily\n\nBy a staff reporter\n\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(head+text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	storeDir := filepath.Join(t.TempDir(), "store")
	if err := buildStore(storeDir, dir); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(Options{Store: storeDir, Logf: t.Logf}))
	defer srv.Close()

	_, raw := get(t, srv, "/api/search?q=London")
	var res SearchResponse
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	if len(res.Hits) != 1 {
		t.Fatalf("hits = %+v, want one hit for the two copies", res.Hits)
	}
	other := map[string]string{"daily.txt": "wire.txt", "wire.txt": "daily.txt"}[res.Hits[0].ID]
	var got []string
	for _, c := range res.Hits[0].AlsoPublished {
		got = append(got, c.ID)
	}
	if diff := cmp.Diff([]string{other}, got); diff != "" {
		t.Errorf("also published (-want +got):\n%s", diff)
	}
	_, page := get(t, srv, "/?q=London")
	if !strings.Contains(page, "Also published by: <a href=") {
		t.Errorf("search page does not list the copy:\n%s", page)
	}
}

// TestUndatedNote: the discrepancies page says how many articles have no
// publication date.
func TestUndatedNote(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("Talks resume\n\nOfficials met on Monday to resume the talks.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	storeDir := filepath.Join(t.TempDir(), "store")
	if err := buildStore(storeDir, dir, copySeeds(t, seedIDs[0])); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(Options{Store: storeDir, Logf: t.Logf}))
	defer srv.Close()
	_, page := get(t, srv, "/discrepancies")
	if !strings.Contains(page, "1 of 2 articles have no publication date") {
		t.Errorf("discrepancies page does not count the undated article:\n%s", page)
	}
}
