package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestBrowserFeaturePages loads the figure pages, the entity lists and a
// commodity page, and the batch form in headless Chromium over the sample
// articles, and checks what it rendered: the chart is drawn without breaking
// the Content Security Policy, and its marks link to their sentences.
func TestBrowserFeaturePages(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode; run make test-ui")
	}
	bin := chromium(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(ln.Addr().String(), Options{Store: sharedStore(t), Logf: t.Logf})
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
	for _, page := range []struct {
		path string
		want []*regexp.Regexp
	}{
		{"/figures", []*regexp.Regexp{
			regexp.MustCompile(`<tr class="conflict"><td data-label="Subject"><a href="/figures/chinese%20good%20tariff">tariffs on Chinese goods</a>`),
		}},
		{"/figures/chinese%20good%20tariff", []*regexp.Regexp{
			regexp.MustCompile(`<svg class="chart"`),
			regexp.MustCompile(`<a href="/article\?id=004_london_framework.txt#m-\d+-\d+" class="point"><title>2025-05: 30% \(fall\)`),
			regexp.MustCompile(`<circle [^>]*fill="#c62828"`),
		}},
		{"/entities?type=commodity&name=rare", []*regexp.Regexp{
			regexp.MustCompile(`<a href="/entities/rare-earths">rare earths</a>`),
			regexp.MustCompile(`<a href="/api/entities\?format=csv&amp;name=rare&amp;type=commodity" download="">CSV</a>`),
		}},
		{"/entities/rare-earths", []*regexp.Regexp{
			regexp.MustCompile(`<dt>HS code</dt><dd>2805</dd>`),
			regexp.MustCompile(`<a href="/\?commodity=rare-earths" class="entity-search">`),
		}},
		{"/batch", []*regexp.Regexp{
			regexp.MustCompile(`<textarea id="queries" name="queries"`),
			regexp.MustCompile(`<input type="file" id="file" name="file"`),
		}},
		{"/decisions", []*regexp.Regexp{
			regexp.MustCompile(`<h1>Decisions</h1>`),
			regexp.MustCompile(`<a href="/decisions" aria-current="page">Decisions</a>`),
		}},
	} {
		dom, logs := runChromium(t, bin, "--window-size=1280,900", "--dump-dom", base+page.path)
		for _, re := range page.want {
			if !re.MatchString(dom) {
				t.Errorf("%s: the rendered page does not match %s", page.path, re)
			}
		}
		if strings.Contains(logs, "Content Security Policy") {
			t.Errorf("%s broke its own Content Security Policy:\n%s", page.path, logs)
		}
	}
}
