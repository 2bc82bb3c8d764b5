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
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net/http"
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
	// SearchTimeout bounds one search; 0 means 10 seconds.
	SearchTimeout time.Duration
	// Logf logs server-side failures (never shown to clients in full);
	// nil means log.Printf.
	Logf func(format string, args ...any)
}

// server holds what the handlers share.
type server struct {
	opts Options
	logf func(format string, args ...any)
}

// Handler returns the web UI and JSON API over the store in opts.Store,
// with the security headers on every response.
func Handler(opts Options) http.Handler {
	if opts.SearchTimeout <= 0 {
		opts.SearchTimeout = 10 * time.Second
	}
	templates() // parse now: a broken template fails at start, not per request
	s := &server{opts: opts, logf: opts.Logf}
	if s.logf == nil {
		s.logf = log.Printf
	}
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
	mux.HandleFunc("/api/", s.api(func(*http.Request) (any, error) {
		return nil, errNotFound("no such API endpoint (see docs/api.md)")
	}))
	mux.HandleFunc("/", s.page(func(*http.Request) (string, view, error) {
		return "", view{}, errNotFound("no such page")
	}))
	return secure(mux)
}

// NewServer returns an http.Server for addr serving Handler(opts), with
// timeouts and header limits that keep a slow or hostile client from holding
// connections open.
func NewServer(addr string, opts Options) *http.Server {
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

// secure sets the security headers and refuses over-long query strings
// before any handler runs.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range SecurityHeaders {
			h.Set(k, v)
		}
		if len(r.URL.RawQuery) > MaxRawQueryBytes {
			writeJSONError(w, http.StatusBadRequest, fmt.Sprintf("query string longer than %d bytes", MaxRawQueryBytes))
			return
		}
		next.ServeHTTP(w, r)
	})
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
			writeJSONError(w, code, msg)
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

// withStore runs fn with the store open, then closes it.
func withStore[T any](s *server, fn func(*store.Store) (T, error)) (T, error) {
	st, err := s.openStore()
	if err != nil {
		var zero T
		return zero, err
	}
	defer st.Close()
	return fn(st)
}
