package web

import (
	"context"
	"errors"
	"image/png"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// chromium finds a Chromium binary, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium not installed; run make test-ui")
	return ""
}

// runChromium runs headless Chromium with args and returns its stdout and
// stderr.
func runChromium(t *testing.T, bin string, args ...string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
		"--user-data-dir=" + t.TempDir(),
	}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	cmd.WaitDelay = 5 * time.Second
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\nstderr:\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String(), errb.String()
}

// TestBrowserSearch loads the search page for "Bessent" over the three seed
// articles in headless Chromium, checks what it rendered and saves
// phone-width screenshots of the search, article and discrepancy pages
// (kept in $TRAWL_SCREENSHOTS when that names a folder).
func TestBrowserSearch(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode; run make test-ui")
	}
	bin := chromium(t)
	dir := t.TempDir()
	if err := buildStore(dir, copySeeds(t, seedIDs...)); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(ln.Addr().String(), Options{Store: dir, Logf: t.Logf})
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	}()
	base := "http://" + ln.Addr().String()
	search := base + "/?q=Bessent"

	dom, logs := runChromium(t, bin, "--window-size=1280,900", "--dump-dom", search)
	hits := regexp.MustCompile(`(?s)<li class="hit">.*?</li>`).FindAllString(dom, -1)
	if len(hits) != 3 {
		t.Errorf("browser rendered %d results for Bessent, want the 3 seeds\n%s", len(hits), dom)
	}
	for _, h := range hits {
		if !strings.Contains(h, "<mark>") {
			t.Errorf("result without a <mark> highlight: %s", h)
		}
	}
	for _, id := range seedIDs {
		if !strings.Contains(dom, `href="/article?id=`+url.QueryEscape(id)+`"`) {
			t.Errorf("no link to seed %s", id)
		}
	}
	// app.js ran under the CSP: it opens the filters on a wide window.
	if !regexp.MustCompile(`<details id="filters" open="">`).MatchString(dom) {
		t.Error("filters are folded on a wide window: /static/app.js did not run")
	}
	if strings.Contains(logs, "Content Security Policy") {
		t.Errorf("the page broke its own Content Security Policy:\n%s", logs)
	}

	for _, shot := range []struct{ name, url string }{
		{"search-bessent.png", search},
		{"article-000.png", base + "/article?id=" + url.QueryEscape(seedIDs[0])},
		{"discrepancies.png", base + "/discrepancies"},
	} {
		path := filepath.Join(t.TempDir(), shot.name)
		_, logs := runChromium(t, bin, "--window-size=412,900", "--screenshot="+path, shot.url)
		if strings.Contains(logs, "Content Security Policy") {
			t.Errorf("%s broke its own Content Security Policy:\n%s", shot.url, logs)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatalf("no screenshot: %v", err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil {
			t.Fatalf("screenshot %s: %v", path, err)
		}
		if cfg.Width != 412 || cfg.Height != 900 {
			t.Errorf("screenshot is %dx%d, want the 412x900 phone window", cfg.Width, cfg.Height)
		}
		t.Logf("screenshot of %s: %s", shot.url, path)
		if keep := os.Getenv("TRAWL_SCREENSHOTS"); keep != "" {
			if b, err := os.ReadFile(path); err == nil {
				os.WriteFile(filepath.Join(keep, shot.name), b, 0o644)
			}
		}
	}
}
