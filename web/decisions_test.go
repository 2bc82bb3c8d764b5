package web

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/trawlnews/trawl/reconcile"
)

// TestDecisionsListed checks the decisions page and /api/decisions: the
// recorded decisions, numbered as trawl entities undo takes them, with the
// command that removes each; none on a store without decisions.
func TestDecisionsListed(t *testing.T) {
	clean := newTestServer(t)
	if got := decode[[]Decision](t, mustGet(t, clean, "/api/decisions")); len(got) != 0 {
		t.Errorf("/api/decisions of a store without decisions: %v", got)
	}
	if page := mustGet(t, clean, "/decisions"); !strings.Contains(page, "No decisions yet.") {
		t.Error("the decisions page of a store without decisions does not say so")
	}

	dir := filepath.Join(t.TempDir(), "store")
	if err := os.CopyFS(dir, os.DirFS(sharedStore(t))); err != nil {
		t.Fatal(err)
	}
	decisions := `{"decisions":[{"op":"merge","a":"scott-bessent","b":"howard-lutnick"},{"op":"rename","a":"jamieson-greer","b":"Jamieson L. Greer"}]}` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "decisions.json"), []byte(decisions), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(Options{Store: dir, Logf: t.Logf}))
	defer srv.Close()
	want := []Decision{
		{N: 1, Decision: reconcile.Decision{Op: "merge", A: "scott-bessent", B: "howard-lutnick"}, Undo: "trawl entities undo 1"},
		{N: 2, Decision: reconcile.Decision{Op: "rename", A: "jamieson-greer", B: "Jamieson L. Greer"}, Undo: "trawl entities undo 2"},
	}
	if diff := cmp.Diff(want, decode[[]Decision](t, mustGet(t, srv, "/api/decisions"))); diff != "" {
		t.Errorf("/api/decisions (-want +got):\n%s", diff)
	}
	page := mustGet(t, srv, "/decisions")
	for _, s := range []string{"<code>rename jamieson-greer &#34;Jamieson L. Greer&#34;</code>", "<code>trawl entities undo 2</code>", `aria-current="page">Decisions`} {
		if !strings.Contains(page, s) {
			t.Errorf("the decisions page lacks %q", s)
		}
	}
}
