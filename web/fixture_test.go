package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/trawlnews/trawl/ingest"
	"github.com/trawlnews/trawl/store"
)

// articlesDir holds the sample articles every test ingests.
const articlesDir = "../testdata/articles"

// seedIDs are the three seed articles that name Scott Bessent (one of them
// misspells him "Scott Besset").
var seedIDs = []string{"000_ac9690d5760d0952.txt", "001_65d83bc85e607672.txt", "003_a17ed81ac00cb93e.txt"}

// xssID is the id of an extra article whose title and text carry a script.
const xssID = "evil/xss.txt"

const xssArticle = `Title: Tariff row <script>alert(1)</script>
Published: 2025-06-15
Source: Hostile Wire

Commerce Secretary Howard Lutnick said <script>alert(1)</script> tariffs on copper rose 5% on Monday, June 9.
<img src=x onerror="alert(2)"> & "quotes" stay text.
`

// buildStore ingests the given roots into a new store in dir with the real
// pipeline and closes it, so that it can be opened read-only.
func buildStore(dir string, roots ...string) error {
	s, err := store.Open(dir, store.Options{})
	if err != nil {
		return err
	}
	if _, err := ingest.Run(context.Background(), s, roots, ingest.Options{}); err != nil {
		s.Close()
		return err
	}
	return s.Close()
}

var (
	sharedOnce sync.Once
	sharedDir  string
	sharedErr  string
)

// sharedStore returns a read-only store of the sample articles plus the
// hostile article, built once for the package's tests.
func sharedStore(t *testing.T) string {
	t.Helper()
	sharedOnce.Do(func() {
		tmp, err := os.MkdirTemp("", "trawl-web-test-")
		if err != nil {
			sharedErr = err.Error()
			return
		}
		extra := filepath.Join(tmp, "extra")
		if err := os.MkdirAll(filepath.Join(extra, "evil"), 0o755); err != nil {
			sharedErr = err.Error()
			return
		}
		if err := os.WriteFile(filepath.Join(extra, filepath.FromSlash(xssID)), []byte(xssArticle), 0o644); err != nil {
			sharedErr = err.Error()
			return
		}
		sharedDir = filepath.Join(tmp, "store")
		if err := buildStore(sharedDir, articlesDir, extra); err != nil {
			sharedErr = err.Error()
		}
	})
	if sharedErr != "" {
		t.Fatal(sharedErr)
	}
	return sharedDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedDir != "" {
		os.RemoveAll(filepath.Dir(sharedDir))
	}
	os.Exit(code)
}

// newTestServer serves the shared store.
func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(Handler(Options{Store: sharedStore(t), Logf: t.Logf}))
	t.Cleanup(srv.Close)
	return srv
}

// get fetches a path and returns the response with its body read.
func get(t *testing.T, srv *httptest.Server, path string) (*http.Response, string) {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// copySeeds copies the named sample articles into a new folder.
func copySeeds(t testing.TB, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(articlesDir, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// count counts the non-overlapping occurrences of sub in s.
func count(s, sub string) int { return strings.Count(s, sub) }
