package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/store"
)

// TestUserErrorsAre400 sends the requests an adversarial run answered with
// 500 (or a NaN score): each is now 400 with a JSON message, or, for dates
// outside what the index holds, a plain answer.
func TestUserErrorsAre400(t *testing.T) {
	srv := newTestServer(t)
	wildcards := strings.TrimSpace(strings.Repeat("*e* ", 60))
	for _, tt := range []struct {
		q      url.Values
		status int
		msg    string // in the error message
	}{
		{url.Values{"q": {"/.{0,1000}/"}}, http.StatusBadRequest, "repeat count"},
		{url.Values{"q": {"tariffs~100"}}, http.StatusBadRequest, "fuzziness 100"},
		{url.Values{"q": {"tariffs^1e308"}}, http.StatusBadRequest, "boost"},
		{url.Values{"q": {"/[/"}}, http.StatusBadRequest, "missing closing ]"},
		{url.Values{"q": {wildcards}}, http.StatusBadRequest, "wildcard"},
		{url.Values{"q": {"published:>2025-06-10"}}, http.StatusOK, ""},
		{url.Values{"from": {"0000-01-01"}}, http.StatusOK, ""},
		{url.Values{"to": {"9999-12-31"}}, http.StatusOK, ""},
	} {
		resp, body := get(t, srv, "/api/search?"+tt.q.Encode())
		if resp.StatusCode != tt.status {
			t.Errorf("GET /api/search?%s: status %d, want %d\n%s", tt.q.Encode(), resp.StatusCode, tt.status, body)
			continue
		}
		if tt.status == http.StatusOK {
			var r SearchResponse
			if err := json.Unmarshal([]byte(body), &r); err != nil || r.Total == 0 {
				t.Errorf("GET /api/search?%s: %v, total %d; want hits", tt.q.Encode(), err, r.Total)
			}
			continue
		}
		var e struct{ Error string }
		if json.Unmarshal([]byte(body), &e) != nil || !strings.Contains(e.Error, tt.msg) {
			t.Errorf("GET /api/search?%s: body %s, want an error saying %q", tt.q.Encode(), body, tt.msg)
		}
	}
}

// TestMethodNotAllowed checks 405 (with Allow) for another method on a
// known path, and 404 for an unknown path whatever the method.
func TestMethodNotAllowed(t *testing.T) {
	srv := newTestServer(t)
	for _, tt := range []struct {
		method, path string
		status       int
	}{
		{http.MethodPost, "/api/search", http.StatusMethodNotAllowed},
		{http.MethodDelete, "/api/entities/scott-bessent", http.StatusMethodNotAllowed},
		{http.MethodPut, "/api/articles/x", http.StatusMethodNotAllowed},
		{http.MethodPost, "/", http.StatusMethodNotAllowed},
		{http.MethodPost, "/discrepancies", http.StatusMethodNotAllowed},
		{http.MethodPost, "/api/nothing-here", http.StatusNotFound},
		{http.MethodPost, "/nothing-here", http.StatusNotFound},
		{http.MethodHead, "/api/search", http.StatusOK},
	} {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, resp.StatusCode, tt.status)
		}
		if tt.status == http.StatusMethodNotAllowed && resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s %s: Allow %q, want \"GET, HEAD\"", tt.method, tt.path, resp.Header.Get("Allow"))
		}
	}
}

// TestHostHeader checks that a request naming a host the server does not
// serve as (what a DNS-rebinding page sends) is refused, and that
// localhost, IP addresses and added names are served.
func TestHostHeader(t *testing.T) {
	h := Handler(Options{Store: sharedStore(t), Logf: t.Logf, AllowHosts: []string{"trawl.example"}})
	for _, tt := range []struct {
		host   string
		status int
	}{
		{"localhost:8080", http.StatusOK},
		{"LOCALHOST", http.StatusOK},
		{"127.0.0.1:8080", http.StatusOK},
		{"[::1]:8080", http.StatusOK},
		{"192.168.1.20:8080", http.StatusOK},
		{"trawl.example:8080", http.StatusOK},
		{"evil.example:8080", http.StatusMisdirectedRequest},
		{"localhost.evil.example", http.StatusMisdirectedRequest},
	} {
		req := httptest.NewRequest(http.MethodGet, "/api/discrepancies", nil)
		req.Host = tt.host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != tt.status {
			t.Errorf("Host %s: status %d, want %d (%s)", tt.host, w.Code, tt.status, w.Body)
		}
	}
	// NewServer allows the name it listens as.
	srv := NewServer("trawl.internal:8080", Options{Store: sharedStore(t)})
	req := httptest.NewRequest(http.MethodGet, "/api/discrepancies", nil)
	req.Host = "trawl.internal:8080"
	w := httptest.NewRecorder()
	srv.Handler.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Errorf("Host trawl.internal on a server listening as it: status %d, want 200", w.Code)
	}
}

// TestBusyServer fills every slot: a request then waits QueueWait and gets
// 503 with Retry-After; once a slot frees, requests are served again.
func TestBusyServer(t *testing.T) {
	s := newServer(Options{Store: sharedStore(t), Logf: t.Logf, MaxConcurrent: 2, QueueWait: time.Millisecond})
	h := s.handler()
	s.slots <- struct{}{}
	s.slots <- struct{}{}
	for _, path := range []string{"/api/search?q=tariffs", "/api/entities", "/api/discrepancies", "/entities"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, localRequest(path))
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
			t.Errorf("GET %s with every slot taken: status %d, Retry-After %q; want 503 with Retry-After", path, w.Code, w.Header().Get("Retry-After"))
		}
	}
	<-s.slots
	w := httptest.NewRecorder()
	h.ServeHTTP(w, localRequest("/api/search?q=tariffs"))
	if w.Code != http.StatusOK {
		t.Errorf("GET /api/search with a slot free: status %d, want 200", w.Code)
	}
}

// TestSearchDeadline makes a search hang (a hook blocks it before the index
// runs) and checks that the client still gets 503 at the deadline, and that
// the hung search keeps its slot until it ends, so that hung searches
// cannot pile up past MaxConcurrent.
func TestSearchDeadline(t *testing.T) {
	s := newServer(Options{Store: sharedStore(t), Logf: t.Logf, MaxConcurrent: 1, QueueWait: time.Millisecond, SearchTimeout: time.Millisecond})
	h := s.handler()
	unblock := make(chan struct{})
	finished := make(chan struct{})
	s.searching = func() { <-unblock }
	w := httptest.NewRecorder()
	h.ServeHTTP(w, localRequest("/api/search?q=tariffs"))
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "too long") {
		t.Fatalf("hung search: status %d %s, want 503 saying it took too long", w.Code, w.Body)
	}
	// The hung search still holds the only slot.
	w = httptest.NewRecorder()
	h.ServeHTTP(w, localRequest("/api/discrepancies"))
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("request while the hung search runs: status %d, want 503", w.Code)
	}
	go func() {
		close(unblock)
		s.slots <- struct{}{} // waits until the hung search gave its slot back
		<-s.slots
		close(finished)
	}()
	<-finished
}

// TestEntitiesStreamed checks that the streamed /api/entities is the same
// JSON as the paged list's order, byte for byte as an indented encoding of it.
func TestEntitiesStreamed(t *testing.T) {
	srv := newTestServer(t)
	resp, body := get(t, srv, "/api/entities")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/entities: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	st, err := store.Open(sharedStore(t), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	list, err := listEntities(st, entityListParams{Type: "person", Kind: trawl.Person, Page: 1})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	es := list.people
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(es)
	if diff := cmp.Diff(want.String(), body); diff != "" {
		t.Errorf("GET /api/entities (-want +got):\n%s", diff)
	}
	var empty bytes.Buffer
	if err := jsonArray(&empty, func(func(trawl.Entity) error) error { return nil }); err != nil || empty.String() != "[]\n" {
		t.Errorf("empty list: %q, %v; want []", empty.String(), err)
	}
}

// localRequest is a GET of path as a browser on this machine sends it.
func localRequest(path string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.Host = "localhost:8080"
	return r
}

// TestQuerySyntaxInTheAPI checks that the API and the search page take the
// operators: AND finds no more than OR, and an unknown filter value is 400
// naming the closest known one.
func TestQuerySyntaxInTheAPI(t *testing.T) {
	srv := newTestServer(t)
	total := func(q string) uint64 {
		resp, body := get(t, srv, "/api/search?q="+url.QueryEscape(q))
		var r SearchResponse
		if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &r) != nil {
			t.Fatalf("GET /api/search?q=%s: %d %s", q, resp.StatusCode, body)
		}
		return r.Total
	}
	and, or := total("Lutnick AND Greer"), total("Lutnick OR Greer")
	if and == 0 || and > or {
		t.Errorf("Lutnick AND Greer: %d hits, Lutnick OR Greer: %d; want 0 < AND <= OR", and, or)
	}
	if n := total("Lutnick NOT Greer"); n+and != total("Lutnick") {
		t.Errorf("Lutnick NOT Greer (%d) + Lutnick AND Greer (%d) != Lutnick (%d)", n, and, total("Lutnick"))
	}
	resp, body := get(t, srv, "/api/search?person=Scot+Besent")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Scott Bessent (scott-bessent)") {
		t.Errorf("unknown person: %d %s, want 400 naming Scott Bessent", resp.StatusCode, body)
	}
	resp, body = get(t, srv, "/?q="+url.QueryEscape("(tariffs"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "unmatched (") {
		t.Errorf("search page with an unmatched parenthesis: %d, want 400 saying so", resp.StatusCode)
	}
}
