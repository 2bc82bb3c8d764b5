package index

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrBadQuery is matched (errors.Is) by every QueryError: the query or a
// filter is the caller's mistake, not the index's.
var ErrBadQuery = errors.New("bad query")

// QueryError is a query string that cannot be parsed, or a filter, sort or
// date bound that cannot be applied. Search returns it as is.
type QueryError struct {
	// Msg says what is wrong, without the "index: " prefix, e.g.
	// `query "\"oil": unterminated quote at byte 0`.
	Msg string
}

// Error is Msg prefixed with "index: ".
func (e *QueryError) Error() string { return "index: " + e.Msg }

// Is makes errors.Is(err, ErrBadQuery) true for a QueryError.
func (e *QueryError) Is(target error) bool { return target == ErrBadQuery }

// badQuery marks an error met while building a query as the caller's
// mistake; Search turns it into a QueryError.
type badQuery struct{ err error }

func (e badQuery) Error() string { return e.err.Error() }
func (e badQuery) Unwrap() error { return e.err }

// badQueryf is a badQuery with a formatted message.
func badQueryf(format string, args ...any) error {
	return badQuery{fmt.Errorf(format, args...)}
}

// queryError wraps err from the part of a search named by prefix: a
// QueryError when err is the caller's mistake, else an internal error.
func queryError(prefix string, err error) error {
	var bq badQuery
	if errors.As(err, &bq) {
		return &QueryError{Msg: prefix + ": " + err.Error()}
	}
	return fmt.Errorf("index: %s: %w", prefix, err)
}

// ParseDate reads a date bound of a search filter as YYYY-MM-DD, from
// YYYY-MM-DD, YYYY-MM, YYYY, "today", "yesterday", "last week" or "last
// month" (relative to now's calendar day); upper says the bound is the end
// of the range, so that a month, a year or a week stands for its last day
// rather than its first. "" gives "". The CLI's --from/--to and the web's
// from/to parameters both go through it.
func ParseDate(s string, now time.Time, upper bool) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	switch s {
	case "":
		return "", nil
	case "today":
		return day(today), nil
	case "yesterday":
		return day(today.AddDate(0, 0, -1)), nil
	case "last week":
		if upper {
			return day(today), nil
		}
		return day(today.AddDate(0, 0, -7)), nil
	case "last month":
		if upper {
			return day(today), nil
		}
		return day(today.AddDate(0, -1, 0)), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return day(t), nil
	}
	if t, err := time.Parse("2006-01", s); err == nil {
		if upper {
			t = t.AddDate(0, 1, -1)
		}
		return day(t), nil
	}
	if t, err := time.Parse("2006", s); err == nil {
		if upper {
			t = t.AddDate(1, 0, -1)
		}
		return day(t), nil
	}
	return "", fmt.Errorf("%q is not a date (want YYYY-MM-DD, YYYY-MM, YYYY, today, yesterday, last week, last month)", s)
}
