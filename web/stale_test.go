package web

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trawlnews/trawl/store"
)

// TestSearchWarnsOfStaleIndex is issue 17 case 12 for the server: after an
// ingest that did not finish (its index phase failed, or it was killed) the
// store stays dirty and the index may miss articles, so the API and the
// search page say so instead of passing a partial answer off as whole.
func TestSearchWarnsOfStaleIndex(t *testing.T) {
	clean := newTestServer(t)
	if body := mustGet(t, clean, "/api/search?q=tariffs"); strings.Contains(body, `"warning"`) {
		t.Errorf("a clean store's search warns:\n%.300s", body)
	}

	dir := filepath.Join(t.TempDir(), "store")
	if err := os.CopyFS(dir, os.DirFS(sharedStore(t))); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.MarkDirty(); err != nil { // as an ingest does before its first write
		t.Fatal(err)
	}
	st.Close()
	srv := httptest.NewServer(Handler(Options{Store: dir, Logf: t.Logf}))
	defer srv.Close()
	var resp SearchResponse
	if err := json.Unmarshal([]byte(mustGet(t, srv, "/api/search?q=tariffs")), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Warning != staleWarning || resp.Total == 0 {
		t.Errorf("search of a dirty store: warning %q, %d hits; want the stale-index warning with the hits", resp.Warning, resp.Total)
	}
	if page := mustGet(t, srv, "/?q=tariffs"); !strings.Contains(page, "Warning: an ingest is running or the last one did not finish") {
		t.Errorf("the search page of a dirty store does not warn")
	}
}
