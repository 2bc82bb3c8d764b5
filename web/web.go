// Package web is trawl's read-only web UI and JSON API over a store: search
// with facets, articles with their mentions highlighted, people with their
// name variants and roles, and the discrepancy report. It holds HTTP
// handlers and embedded templates only; the work is done by store, index and
// reconcile.
//
// The store is opened read-only for each request and closed after it, so a
// `trawl ingest` can take the store between two requests; a request that
// finds the store busy gets 503 with a message saying so.
package web

import (
	"bufio"
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/trawlnews/trawl/index"
	"github.com/trawlnews/trawl/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Limits on what a request may ask for.
const (
	// MaxQueryBytes is the longest search text (the q parameter) accepted;
	// longer gets 400.
	MaxQueryBytes = 1024
	// MaxRawQueryBytes bounds the whole query string of a request.
	MaxRawQueryBytes = 8 << 10
	// MaxLimit is the most results per page; a larger limit is capped.
	MaxLimit = index.MaxLimit
	// MaxPage is the last page that may be asked for, so that deep paging
	// cannot make the index sort the whole corpus for nothing.
	MaxPage = 1000
	// MaxFilterValues is how many values one filter parameter (person,
	// commodity, source, kind) may carry.
	MaxFilterValues = 20
	// MaxConnections is how many connections trawl serve keeps open at
	// once; more wait to be accepted.
	MaxConnections = 256
	// DefaultMaxConcurrent is how many requests may read the store at once
	// (a search, a list, a page) unless Options says otherwise.
	DefaultMaxConcurrent = 8
)

// SecurityHeaders are set on every response. The policy allows no inline
// script or style, so the pages use only the embedded static files.
var SecurityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
	"X-Content-Type-Options":  "nosniff",
	"Referrer-Policy":         "no-referrer",
	"X-Frame-Options":         "DENY",
}

// Options configures Handler. Store is required; the other fields have
// documented zero values.
type Options struct {
	// Store is the directory of the trawl store.
	Store string
	// SearchTimeout bounds one search; 0 means 10 seconds. A search that
	// takes longer is answered 503 at the deadline, whatever the index
	// does meanwhile.
	SearchTimeout time.Duration
	// MaxConcurrent bounds the requests that read the store at once; 0
	// means DefaultMaxConcurrent. A request that finds every slot taken
	// waits up to QueueWait, then gets 503 with Retry-After.
	MaxConcurrent int
	// QueueWait is how long a request waits for a slot; 0 means 5 seconds.
	QueueWait time.Duration
	// AllowHosts are host names, besides localhost and IP addresses, that
	// the Host header of a request may name (the name the server listens
	// as, names the user adds); any other gets 421, which keeps a
	// DNS-rebinding page from reading the store through a browser.
	AllowHosts []string
	// Logf logs server-side failures (never shown to clients in full);
	// nil means log.Printf.
	Logf func(format string, args ...any)
}

// server holds what the handlers share.
type server struct {
	opts Options
	logf func(format string, args ...any)
	// slots holds a token per request reading the store (MaxConcurrent).
	slots chan struct{}
	// hosts are the allowed Host names, lower-cased.
	hosts map[string]bool
	// searching, when set (tests), runs before each search in the
	// goroutine that does it.
	searching func()
}

// Handler returns the web UI and JSON API over the store in opts.Store,
// with the security headers on every response.
func Handler(opts Options) http.Handler {
	return newServer(opts).handler()
}

// newServer fills in the defaults of opts.
func newServer(opts Options) *server {
	if opts.SearchTimeout <= 0 {
		opts.SearchTimeout = 10 * time.Second
	}
	if opts.MaxConcurrent <= 0 {
		opts.MaxConcurrent = DefaultMaxConcurrent
	}
	if opts.QueueWait <= 0 {
		opts.QueueWait = 5 * time.Second
	}
	s := &server{opts: opts, logf: opts.Logf, slots: make(chan struct{}, opts.MaxConcurrent), hosts: map[string]bool{"localhost": true}}
	if s.logf == nil {
		s.logf = log.Printf
	}
	for _, h := range opts.AllowHosts {
		s.hosts[strings.ToLower(strings.Trim(h, "[]"))] = true
	}
	return s
}

// handler is the router with the security headers and host check.
func (s *server) handler() http.Handler {
	templates() // parse now: a broken template fails at start, not per request
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}

	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticFiles(http.FileServerFS(static))))
	mux.HandleFunc("GET /{$}", s.page(s.searchPage))
	mux.HandleFunc("GET /article", s.page(s.articlePage))
	mux.HandleFunc("GET /entities", s.page(s.entityListPage))
	mux.HandleFunc("GET /entities/{id...}", s.page(s.anyEntityPage))
	mux.HandleFunc("GET /discrepancies", s.page(s.discrepanciesPage))

	mux.HandleFunc("GET /api/search", s.exportable(s.api(s.apiSearch), s.exportSearch))
	mux.HandleFunc("GET /api/articles", s.api(s.apiArticle))
	mux.HandleFunc("GET /api/articles/{id...}", s.api(s.apiArticle))
	mux.HandleFunc("GET /api/entities", s.exportable(s.api(s.apiEntityList), s.exportEntities))
	mux.HandleFunc("GET /api/entities/{id...}", s.api(s.apiAnyEntity))
	mux.HandleFunc("GET /api/discrepancies", s.exportable(s.api(s.apiDiscrepancies), s.exportDiscrepancies))
	s.featureRoutes(mux)
	// What no pattern above takes: 405 for another method on a known path
	// (the patterns above answer GET and HEAD), 404 for an unknown path.
	mux.HandleFunc("/api/", s.api(func(r *http.Request) (any, error) {
		if known(mux, r) {
			return nil, errMethod(r)
		}
		return nil, errNotFound("no such API endpoint (see docs/api.md)")
	}))
	mux.HandleFunc("/", s.page(func(r *http.Request) (string, view, error) {
		if known(mux, r) {
			return "", view{}, errMethod(r)
		}
		return "", view{}, errNotFound("no such page")
	}))
	return s.secure(mux)
}

// known reports whether a GET of r's path would reach a handler other than
// the catch-alls.
func known(mux *http.ServeMux, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return false
	}
	g := r.Clone(r.Context())
	g.Method = http.MethodGet
	_, pattern := mux.Handler(g)
	return pattern != "/" && pattern != "/api/"
}

// errMethod is the answer to a method other than GET on a known path.
func errMethod(r *http.Request) error {
	return &httpError{http.StatusMethodNotAllowed, fmt.Sprintf("method %s not allowed: trawl serve is read-only (GET and HEAD only)", r.Method)}
}

// NewServer returns an http.Server for addr serving Handler(opts), with
// timeouts and header limits that keep a slow or hostile client from holding
// connections open. The host of addr, when it is a name, is allowed in the
// Host header besides opts.AllowHosts.
func NewServer(addr string, opts Options) *http.Server {
	if h, _, err := net.SplitHostPort(addr); err == nil && h != "" {
		opts.AllowHosts = append(slices.Clone(opts.AllowHosts), h)
	}
	return &http.Server{
		Addr:              addr,
		Handler:           Handler(opts),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
}

// secure sets the security headers and refuses requests for a host the
// server does not serve as, and over-long query strings, before any handler
// runs.
func (s *server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range SecurityHeaders {
			h.Set(k, v)
		}
		if !s.hostAllowed(r.Host) {
			writeJSONError(w, http.StatusMisdirectedRequest, fmt.Sprintf("host %q: this server answers only as localhost, its IP addresses and the names given with trawl serve --allow-host", r.Host))
			return
		}
		if len(r.URL.RawQuery) > MaxRawQueryBytes {
			writeJSONError(w, http.StatusBadRequest, fmt.Sprintf("query string longer than %d bytes", MaxRawQueryBytes))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// hostAllowed reports whether a Host header names this server: empty (an
// HTTP/1.0 client), an IP address, localhost, or a name in AllowHosts. A
// page on another name that resolves to this machine (DNS rebinding) sends
// its own name, and is refused.
func (s *server) hostAllowed(host string) bool {
	if host == "" {
		return true
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if _, err := netip.ParseAddr(host); err == nil {
		return true
	}
	return s.hosts[host]
}

// staticFiles makes browsers check the embedded files on each load, so a
// new trawl never shows with an old stylesheet.
func staticFiles(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		next.ServeHTTP(w, r)
	})
}

// httpError is an error with the status and the message a client sees.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func errBadRequest(format string, args ...any) error {
	return &httpError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func errNotFound(format string, args ...any) error {
	return &httpError{http.StatusNotFound, fmt.Sprintf(format, args...)}
}

// errServerBusy is the answer when every slot stayed taken for QueueWait.
var errServerBusy = &httpError{http.StatusServiceUnavailable, "the server is busy with other requests; try again in a moment"}

// acquire takes a slot for a request that reads the store, waiting up to
// QueueWait; release gives it back.
func (s *server) acquire(ctx context.Context) (release func(), err error) {
	release = func() { <-s.slots }
	select {
	case s.slots <- struct{}{}:
		return release, nil
	default:
	}
	t := time.NewTimer(s.opts.QueueWait)
	defer t.Stop()
	select {
	case s.slots <- struct{}{}:
		return release, nil
	case <-t.C:
		return nil, errServerBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// busyMessage is what a client is told while an ingest holds the store.
const busyMessage = "the store is busy: trawl ingest is writing it; try again when it finishes"

// status maps an error to the status and message a client sees, logging
// what the client is not shown.
func (s *server) status(r *http.Request, err error) (int, string) {
	var he *httpError
	switch {
	case errors.As(err, &he):
		return he.status, he.msg
	case errors.Is(err, store.ErrBusy), errors.Is(err, index.ErrLocked):
		return http.StatusServiceUnavailable, busyMessage
	case errors.Is(err, store.ErrDamaged):
		s.logf("web: %s %s: %v", r.Method, r.URL.Path, err)
		return http.StatusServiceUnavailable, "the store is damaged; rebuild it with trawl ingest --repair (see the server log)"
	case errors.Is(err, index.ErrIncompatible):
		s.logf("web: %s %s: %v", r.Method, r.URL.Path, err)
		return http.StatusServiceUnavailable, "the search index was built by another version of trawl; run trawl ingest to rebuild it"
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "the search took too long; narrow it down"
	case errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable, "request cancelled"
	}
	s.logf("web: %s %s: %v", r.Method, r.URL.Path, err)
	return http.StatusInternalServerError, "internal error (see the server log)"
}

// api adapts a handler that returns a value to encode as JSON.
func (s *server) api(fn func(*http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := fn(r)
		if err != nil {
			code, msg := s.status(r, err)
			if code == http.StatusServiceUnavailable {
				w.Header().Set("Retry-After", "5")
			}
			if code == http.StatusMethodNotAllowed {
				w.Header().Set("Allow", "GET, HEAD")
			}
			writeJSONError(w, code, msg)
			return
		}
		if st, ok := v.(*stream); ok {
			defer st.close()
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			bw := bufio.NewWriterSize(w, 32<<10)
			if err := st.write(bw); err != nil {
				// The status is sent: the client sees a cut-off body.
				s.logf("web: %s %s: %v", r.Method, r.URL.Path, err)
				return
			}
			bw.Flush()
			return
		}
		// Snippets carry <mark> tags: keep them readable. The content type
		// and nosniff keep a browser from treating the body as HTML.
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			code, msg := s.status(r, fmt.Errorf("encode response: %w", err))
			writeJSONError(w, code, msg)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		buf.WriteTo(w)
	}
}

// stream is an API response written piece by piece, so that a long list is
// never held whole in memory; close frees what write reads (the open store
// and its slot).
type stream struct {
	write func(io.Writer) error
	close func()
}

// jsonArray writes the items next(fn) produces as an indented JSON array
// in the layout of the other responses.
func jsonArray[T any](w io.Writer, each func(fn func(T) error) error) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ")
	n := 0
	err := each(func(v T) error {
		buf.Reset()
		if n == 0 {
			buf.WriteString("[\n  ")
		} else {
			buf.WriteString(",\n  ")
		}
		n++
		if err := enc.Encode(v); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		_, err := buf.WriteTo(w)
		return err
	})
	if err != nil {
		return err
	}
	if n == 0 {
		_, err = io.WriteString(w, "[]\n")
	} else {
		_, err = io.WriteString(w, "\n]\n")
	}
	return err
}

// writeJSONError writes {"error": msg} with the status code.
func writeJSONError(w http.ResponseWriter, code int, msg string) {
	b, _ := json.Marshal(map[string]string{"error": msg})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(append(b, '\n'))
}

// openStore opens the store read-only for one request.
func (s *server) openStore() (*store.Store, error) {
	return store.Open(s.opts.Store, store.Options{ReadOnly: true})
}

// withStore runs fn with the store open, then closes it. It holds one of
// the MaxConcurrent slots meanwhile.
func withStore[T any](s *server, fn func(*store.Store) (T, error)) (T, error) {
	var zero T
	release, err := s.acquire(context.Background())
	if err != nil {
		return zero, err
	}
	defer release()
	st, err := s.openStore()
	if err != nil {
		return zero, err
	}
	defer st.Close()
	return fn(st)
}
