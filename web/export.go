package web

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/figures"
	"github.com/trawlnews/trawl/index"
	"github.com/trawlnews/trawl/report"
)

// featureRoutes registers the figure pages, the batch search and the
// entity lists of other kinds, with their API endpoints.
func (s *server) featureRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /figures", s.page(s.figuresPage))
	mux.HandleFunc("GET /figures/{id...}", s.page(s.figurePage))
	mux.HandleFunc("GET /api/figures", s.exportable(s.api(s.apiFigures), s.exportFigures))
	mux.HandleFunc("GET /api/figures/{id...}", s.api(s.apiFigure))
	mux.HandleFunc("GET /api/mentions", s.exportable(nil, s.exportMentions))
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
// of the kinds in the type parameter (comma-separated, every kind when
// absent).
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
	st, err := s.openStore()
	if err != nil {
		return "", nil, err
	}
	return "mentions", func(w io.Writer) error {
		defer st.Close()
		lw, err := report.NewListWriter(w, format, report.MentionHeader, report.MentionRow.Cells)
		if err != nil {
			return err
		}
		err = st.Articles(func(a trawl.Article) error {
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
