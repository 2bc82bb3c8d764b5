package web

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/figures"
	"github.com/trawlnews/trawl/index"
	"github.com/trawlnews/trawl/report"
	"github.com/trawlnews/trawl/store"
)

// featureRoutes registers the figure pages, the batch search and the
// entity lists of other kinds, with their API endpoints.
func (s *server) featureRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /figures", s.page(s.figuresPage))
	mux.HandleFunc("GET /figures/{id...}", s.page(s.figurePage))
	mux.HandleFunc("GET /api/figures", s.exportable(s.api(s.apiFigures), s.exportFigures))
	mux.HandleFunc("GET /api/figures/{id...}", s.api(s.apiFigure))
	mux.HandleFunc("GET /api/mentions", s.exportable(nil, s.exportMentions))
	mux.HandleFunc("GET /batch", s.page(s.batchPage))
	mux.HandleFunc("POST /batch", s.batchPost)
	mux.HandleFunc("POST /api/batch", s.apiBatch)
	mux.HandleFunc("GET /decisions", s.page(s.decisionsPage))
	mux.HandleFunc("GET /api/decisions", s.api(s.apiDecisions))
}

// An exporter checks a list request and returns the name of its download
// and the function that writes the list in format ("csv" or "jsonl").
// Errors it returns come before any byte is written, so they get their
// status; write's errors come after and are only logged.
type exporter func(r *http.Request, format string) (name string, write func(io.Writer) error, err error)

// exportable serves a list endpoint: JSON through asJSON, or with
// ?format=csv or ?format=jsonl the whole list as a download, streamed. A nil
// asJSON makes csv the default format.
func (s *server) exportable(asJSON http.HandlerFunc, ex exporter) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		format := r.URL.Query().Get("format")
		switch {
		case (format == "" || format == "json") && asJSON != nil:
			asJSON(w, r)
			return
		case format == "" && asJSON == nil:
			format = "csv"
		case format != "csv" && format != "jsonl":
			want := "csv or jsonl"
			if asJSON != nil {
				want = "json, csv or jsonl"
			}
			writeJSONError(w, http.StatusBadRequest, fmt.Sprintf("format %q: want %s", format, want))
			return
		}
		name, write, err := ex(r, format)
		if err != nil {
			code, msg := s.status(r, err)
			if code == http.StatusServiceUnavailable {
				w.Header().Set("Retry-After", "5")
			}
			writeJSONError(w, code, msg)
			return
		}
		ctype := "text/csv; charset=utf-8; header=present"
		if format == "jsonl" {
			ctype = "application/jsonl; charset=utf-8"
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="trawl-%s.%s"`, name, format))
		if err := write(w); err != nil {
			s.logf("web: %s %s: export: %v", r.Method, r.URL.Path, err)
		}
	}
}

// FiguresResponse is the body of /api/figures.
type FiguresResponse struct {
	Count  int              `json:"count"`
	Series []figures.Series `json:"series"`
}

// filteredFigures reads the store's series, keeping those that match the
// subject parameter when there is one.
func (s *server) filteredFigures(r *http.Request) ([]figures.Series, error) {
	subject := strings.TrimSpace(r.URL.Query().Get("subject"))
	if len(subject) > MaxQueryBytes {
		return nil, errBadRequest("subject: longer than %d bytes", MaxQueryBytes)
	}
	series, err := s.storeFigures()
	if err != nil {
		return nil, err
	}
	if subject != "" {
		series = figures.Match(series, subject)
	}
	return nonNil(series), nil
}

func (s *server) apiFigures(r *http.Request) (any, error) {
	series, err := s.filteredFigures(r)
	if err != nil {
		return nil, err
	}
	return FiguresResponse{Count: len(series), Series: series}, nil
}

func (s *server) apiFigure(r *http.Request) (any, error) {
	key, err := idParam(r)
	if err != nil {
		return nil, err
	}
	series, err := s.storeFigures()
	if err != nil {
		return nil, err
	}
	sr, ok := figures.Find(series, key)
	if !ok {
		return nil, errNotFound("no figures for %q", key)
	}
	return sr, nil
}

func (s *server) exportFigures(r *http.Request, format string) (string, func(io.Writer) error, error) {
	series, err := s.filteredFigures(r)
	if err != nil {
		return "", nil, err
	}
	return "figures", func(w io.Writer) error {
		return report.WriteList(w, format, figures.Header, figures.Row.Cells, figures.Rows(series))
	}, nil
}

// mentionKinds are the values of the type parameter of /api/mentions.
var mentionKinds = []trawl.Kind{trawl.Person, trawl.Date, trawl.Percent, trawl.Commodity, trawl.Organization, trawl.Location, trawl.Misc}

// exportMentions serves /api/mentions: one row per mention of the store,
// or of the article parameter's article, of the kinds in the type parameter
// (comma-separated, every kind when absent).
func (s *server) exportMentions(r *http.Request, format string) (string, func(io.Writer) error, error) {
	var kinds []trawl.Kind
	for _, v := range r.URL.Query()["type"] {
		for _, t := range strings.Split(v, ",") {
			k := trawl.Kind(strings.ToUpper(strings.TrimSpace(t)))
			if !slices.Contains(mentionKinds, k) {
				return "", nil, errBadRequest("type %q: want person, date, percent, commodity, organization, location or misc", t)
			}
			kinds = append(kinds, k)
		}
	}
	article := r.URL.Query().Get("article")
	if len(article) > MaxQueryBytes {
		return "", nil, errBadRequest("article: longer than %d bytes", MaxQueryBytes)
	}
	st, err := s.openStore()
	if err != nil {
		return "", nil, err
	}
	each := st.Articles
	if article != "" {
		a, ok, err := st.Article(article)
		if err != nil || !ok {
			st.Close()
			if err == nil {
				err = errNotFound("no article %q", article)
			}
			return "", nil, err
		}
		each = func(fn func(trawl.Article) error) error { return fn(a) }
	}
	return "mentions", func(w io.Writer) error {
		defer st.Close()
		lw, err := report.NewListWriter(w, format, report.MentionHeader, report.MentionRow.Cells)
		if err != nil {
			return err
		}
		err = each(func(a trawl.Article) error {
			if err := r.Context().Err(); err != nil {
				return err
			}
			for _, row := range report.MentionRows(a, kinds) {
				if err := lw.Write(row); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		return lw.Flush()
	}, nil
}

// exportSearch serves /api/search?format=csv|jsonl: every hit of the search,
// page and limit ignored, streamed.
func (s *server) exportSearch(r *http.Request, format string) (string, func(io.Writer) error, error) {
	p, err := parseSearch(r)
	if err != nil {
		return "", nil, err
	}
	q := p.query()
	q.Offset = 0
	// A first page checks the query, so that a bad one gets its 400 before
	// the download starts.
	if _, err := s.search(r.Context(), p); err != nil {
		return "", nil, err
	}
	st, err := s.openStore()
	if err != nil {
		return "", nil, err
	}
	ix, err := st.OpenIndex()
	if err != nil {
		st.Close()
		return "", nil, err
	}
	return "search", func(w io.Writer) error {
		defer st.Close()
		defer ix.Close()
		lw, err := report.NewListWriter(w, format, index.ExportHeader, index.ExportHit.Cells)
		if err != nil {
			return err
		}
		if err := ix.Each(r.Context(), q, func(h index.Hit) error { return lw.Write(h.Export()) }); err != nil {
			return err
		}
		return lw.Flush()
	}, nil
}

// Limits on a batch search.
const (
	// MaxBatchBytes bounds the body of a batch request (pasted list and
	// uploaded file together).
	MaxBatchBytes = 1 << 20
	// MaxBatchQueries is the most queries one batch may hold.
	MaxBatchQueries = 1000
)

// batchQueries reads the queries of a batch request: the queries field
// (pasted, one a line) and the file field (an uploaded list), for a form
// post; the body itself for any other content type.
func batchQueries(w http.ResponseWriter, r *http.Request) ([]string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBatchBytes)
	var text strings.Builder
	ct := r.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "multipart/form-data"):
		if err := r.ParseMultipartForm(MaxBatchBytes); err != nil {
			return nil, errBadRequest("batch: %v", err)
		}
		text.WriteString(r.FormValue("queries"))
		if f, _, err := r.FormFile("file"); err == nil {
			defer f.Close()
			text.WriteString("\n")
			if _, err := io.Copy(&text, f); err != nil {
				return nil, errBadRequest("batch: file: %v", err)
			}
		}
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		if err := r.ParseForm(); err != nil {
			return nil, errBadRequest("batch: %v", err)
		}
		text.WriteString(r.PostFormValue("queries"))
	default:
		if _, err := io.Copy(&text, r.Body); err != nil {
			return nil, errBadRequest("batch: body: %v", err)
		}
	}
	if !utf8.ValidString(text.String()) {
		return nil, errBadRequest("batch: not valid UTF-8")
	}
	qs := index.ReadBatch(text.String())
	if len(qs) > MaxBatchQueries {
		return nil, errBadRequest("batch: %d queries; the limit is %d", len(qs), MaxBatchQueries)
	}
	for _, q := range qs {
		if len(q) > MaxQueryBytes {
			return nil, errBadRequest("batch: a query is %d bytes long; the limit is %d", len(q), MaxQueryBytes)
		}
	}
	return qs, nil
}

// BatchResponse is the body of POST /api/batch.
type BatchResponse struct {
	Count   int                 `json:"count"`
	Results []index.BatchResult `json:"results"`
}

// runBatch runs the queries with the filters of the request's query string
// (person, commodity, source, from, to, sort; limit is the number of best
// hits, 3 unless given).
func (s *server) runBatch(r *http.Request, qs []string) ([]index.BatchResult, error) {
	p, err := parseSearch(r)
	if err != nil {
		return nil, err
	}
	base := p.query()
	if !r.URL.Query().Has("limit") {
		base.Limit = 3
	}
	return withStore(s, func(st *store.Store) ([]index.BatchResult, error) {
		ix, err := st.OpenIndex()
		if err != nil {
			return nil, err
		}
		defer ix.Close()
		ctx, cancel := context.WithTimeout(r.Context(), s.opts.SearchTimeout)
		defer cancel()
		rs, err := ix.Batch(ctx, qs, base)
		if err != nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return rs, err
	})
}

// apiBatch serves POST /api/batch: JSON, or CSV / JSON Lines with ?format=.
func (s *server) apiBatch(w http.ResponseWriter, r *http.Request) {
	format := cmp.Or(r.URL.Query().Get("format"), "json")
	if format != "json" && format != "csv" && format != "jsonl" {
		writeJSONError(w, http.StatusBadRequest, fmt.Sprintf("format %q: want json, csv or jsonl", format))
		return
	}
	qs, err := batchQueries(w, r)
	if err == nil && len(qs) == 0 {
		err = errBadRequest("batch: no queries: post them one a line as a text/plain body, or as the queries field of a form")
	}
	var rs []index.BatchResult
	if err == nil {
		rs, err = s.runBatch(r, qs)
	}
	if err != nil {
		code, msg := s.status(r, err)
		writeJSONError(w, code, msg)
		return
	}
	if format == "json" {
		s.api(func(*http.Request) (any, error) { return BatchResponse{Count: len(rs), Results: rs}, nil })(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="trawl-batch.%s"`, format))
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8; header=present")
		cw := csv.NewWriter(w)
		cw.Write(index.BatchHeader)
		cw.WriteAll(index.BatchRows(rs))
		return
	}
	w.Header().Set("Content-Type", "application/jsonl; charset=utf-8")
	if err := report.WriteList(w, "jsonl", nil, nil, rs); err != nil {
		s.logf("web: batch: %v", err)
	}
}

// batchView is the data of the batch search page.
type batchView struct {
	Queries string
	Ran     bool
	Found   int
	Rows    []batchRow
}

type batchRow struct {
	Query, Href, Error string
	Total              uint64
	Best               []link
}

func (s *server) batchPage(r *http.Request) (string, view, error) {
	return "batch", view{Title: "Batch search", Nav: "batch", Page: batchView{}}, nil
}

// batchPost runs a pasted or uploaded list and shows one row per query.
func (s *server) batchPost(w http.ResponseWriter, r *http.Request) {
	s.page(func(r *http.Request) (string, view, error) {
		qs, err := batchQueries(w, r)
		if err != nil {
			return "", view{}, err
		}
		if len(qs) == 0 {
			return "", view{}, errBadRequest("batch: no queries: paste or upload a list, one query a line")
		}
		rs, err := s.runBatch(r, qs)
		if err != nil {
			return "", view{}, err
		}
		bv := batchView{Queries: strings.Join(qs, "\n"), Ran: true}
		for _, res := range rs {
			row := batchRow{Query: res.Query, Total: res.Total, Error: res.Error, Href: "/?" + url.Values{"q": {res.Query}}.Encode()}
			if res.Total > 0 {
				bv.Found++
			}
			for _, h := range res.Best {
				row.Best = append(row.Best, link{cmp.Or(h.Title, h.ID), articleURL(h.ID, "")})
			}
			bv.Rows = append(bv.Rows, row)
		}
		return "batch", view{Title: "Batch search", Nav: "batch", Page: bv}, nil
	})(w, r)
}

// Export is the address of the whole result list of the search in format
// (csv or jsonl), for the search page's download links.
func (p searchParams) Export(format string) string {
	v := p.values()
	v.Del("page")
	v.Del("limit")
	v.Set("format", format)
	return "/api/search?" + v.Encode()
}

// Export is the address of the filtered discrepancies in format (csv or
// jsonl), for the discrepancy page's download links.
func (p discrepancyParams) Export(format string) string {
	v := url.Values{"format": {format}}
	if p.Kind != "" {
		v.Set("kind", p.Kind)
	}
	if p.MinConfidenceText != "" {
		v.Set("min_confidence", p.MinConfidenceText)
	}
	return "/api/discrepancies?" + v.Encode()
}

// MentionsDownload is the address of the article's mentions in format (csv
// or jsonl), for the article page's download links.
func (v articleView) MentionsDownload(format string) string {
	return "/api/mentions?" + url.Values{"article": {v.Article.ID}, "format": {format}}.Encode()
}
