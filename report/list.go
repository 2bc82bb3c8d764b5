package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
)

// ListFormats are the formats WriteList and ListWriter take.
var ListFormats = []string{"csv", "jsonl"}

// ListWriter writes a list one item at a time, as CSV (RFC 4180: a header
// row, then one row per item) or as JSON Lines (one JSON object per line),
// so a long list is streamed rather than built.
type ListWriter[T any] struct {
	format string
	cw     *csv.Writer
	enc    *json.Encoder
	row    func(T) []string
	err    error
}

// NewListWriter returns a ListWriter for format "csv" or "jsonl"; header
// names the CSV columns and row gives an item's cells in the same order
// (JSON Lines encode the item itself). It writes the CSV header at once.
func NewListWriter[T any](w io.Writer, format string, header []string, row func(T) []string) (*ListWriter[T], error) {
	l := &ListWriter[T]{format: format, row: row}
	switch format {
	case "csv":
		l.cw = csv.NewWriter(w)
		l.err = l.cw.Write(header)
	case "jsonl":
		l.enc = json.NewEncoder(w)
		l.enc.SetEscapeHTML(false)
	default:
		return nil, fmt.Errorf("format %q: want csv or jsonl", format)
	}
	return l, nil
}

// Write writes one item.
func (l *ListWriter[T]) Write(v T) error {
	if l.err != nil {
		return l.err
	}
	if l.cw != nil {
		l.err = l.cw.Write(l.row(v))
	} else {
		l.err = l.enc.Encode(v)
	}
	if l.err != nil {
		l.err = fmt.Errorf("report: write %s: %w", l.format, l.err)
	}
	return l.err
}

// Flush writes out what is buffered and returns the first error met.
func (l *ListWriter[T]) Flush() error {
	if l.cw != nil {
		l.cw.Flush()
		if err := l.cw.Error(); err != nil && l.err == nil {
			l.err = fmt.Errorf("report: write csv: %w", err)
		}
	}
	return l.err
}

// WriteList writes items in format "csv" or "jsonl" (see ListWriter).
func WriteList[T any](w io.Writer, format string, header []string, row func(T) []string, items []T) error {
	l, err := NewListWriter(w, format, header, row)
	if err != nil {
		return err
	}
	for _, v := range items {
		if err := l.Write(v); err != nil {
			return err
		}
	}
	return l.Flush()
}
