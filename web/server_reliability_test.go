package web

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/reconcile"
	"github.com/trawlnews/trawl/store"
)

// TestArticleIDsAreNeverPaths asks for articles by ids that would reach
// files outside the store if they were joined into a path: each is looked up
// and not found, and nothing of the files leaks.
func TestArticleIDsAreNeverPaths(t *testing.T) {
	srv := newTestServer(t)
	for _, path := range []string{
		"/api/articles/../../../../etc/passwd",
		"/api/articles/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
		"/api/articles?id=/etc/passwd",
		"/api/articles?id=../../../../etc/passwd",
		"/api/articles?id=../trawl.db",
		"/api/articles?id=trawl.db",
		"/api/articles?id=..%2Findex.bleve%2Findex_meta.json",
		"/article?id=/etc/passwd",
		"/article?id=..%2F..%2F..%2Fetc%2Fhostname",
		"/api/entities/..%2F..%2Fetc%2Fpasswd",
	} {
		resp, body := get(t, srv, path)
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s: status %d, want 404 (or 400)", path, resp.StatusCode)
		}
		for _, leak := range []string{"root:", "bbolt", "index_type", "scorch"} {
			if strings.Contains(body, leak) {
				t.Errorf("GET %s: the body shows file contents (%q):\n%s", path, leak, body)
			}
		}
	}
}

// TestOversizedRequestsAreRefused sends a header block larger than the
// server allows to a real server built by NewServer: it answers 431 and
// keeps serving.
func TestOversizedRequestsAreRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(ln.Addr().String(), Options{Store: sharedStore(t), Logf: t.Logf})
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	conn, err := net.DialTimeout("tcp", ln.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "GET /api/search?q=tariffs HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", 1<<20))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.Contains(line, "431") {
		t.Errorf("1 MB header: got %q (%v), want 431 Request Header Fields Too Large", line, err)
	}
	resp, err := http.Get("http://" + ln.Addr().String() + "/api/search?q=tariffs")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("a normal request after the big one: %v %v", resp, err)
	}
	resp.Body.Close()
}

// TestSearchFollowsStoreChanges checks that the entities the server keeps
// between searches are reloaded when the store changes: a rename decided
// while the server runs shows in the next search's person facet.
func TestSearchFollowsStoreChanges(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	if err := buildStore(dir, articlesDir); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(Options{Store: dir, Logf: t.Logf}))
	t.Cleanup(srv.Close)
	label := func() string {
		r := decode[SearchResponse](t, mustGet(t, srv, "/api/search?q=Bessent"))
		for _, f := range r.Facets["person"] {
			if strings.Contains(f.Label, "Bessent") {
				return f.Label
			}
		}
		return ""
	}
	if got := label(); got != "Scott Bessent" {
		t.Fatalf("person facet before the rename: %q, want Scott Bessent", got)
	}
	s, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Decide(context.Background(), func(d *reconcile.Decisions, es []trawl.Entity) error {
		d.Rename("scott-bessent", "Scott K. Bessent")
		return nil
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if got := label(); got != "Scott K. Bessent" {
		t.Errorf("person facet after the rename: %q, want the new name", got)
	}
}

// TestConcurrentSearches runs searches from many clients at once against one
// server: all succeed and agree (the load test, cmd/trawlload, does the same
// at scale).
func TestConcurrentSearches(t *testing.T) {
	srv := newTestServer(t)
	want := decode[SearchResponse](t, mustGet(t, srv, "/api/search?q=tariffs&limit=100")).Total
	var wg sync.WaitGroup
	errs := make(chan string, 200)
	for c := range 20 {
		wg.Go(func() {
			for i := range 5 {
				resp, body := get(t, srv, "/api/search?q=tariffs&limit=100")
				if resp.StatusCode != http.StatusOK {
					errs <- fmt.Sprintf("client %d request %d: status %d", c, i, resp.StatusCode)
					continue
				}
				if got := decode[SearchResponse](t, body).Total; got != want {
					errs <- fmt.Sprintf("client %d request %d: total %d, want %d", c, i, got, want)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
