package corpus

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/internal/lexicon"
)

// monthRE matches a month name or abbreviation, with the abbreviation's dot.
var monthRE = `(` + strings.Join(lexicon.MonthWords(), "|") + `)\.?`

// Full dates, that is with a year: "June 9, 2025", "9 June 2025",
// "2025-06-09" and "2025/06/09". findDate looks for four-digit years first
// and runs these on the few bytes around each, so text without a year costs
// one scan: the month-name forms end where the year starts, the numeric form
// starts after it.
var (
	monthFirst = regexp.MustCompile(`(?i)\b` + monthRE + `\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+$`)
	dayFirst   = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?` + monthRE + `,?\s+$`)
	numeric    = regexp.MustCompile(`^[-/](\d{1,2})[-/](\d{1,2})(?:$|[^\d/])`)
)

// beforeYear is how many bytes before a year the month-name forms may
// start: "30th of September, " is 19.
const beforeYear = 32

// findDate finds the first full date in s and returns it as YYYY-MM-DD with
// the byte offsets where it starts and ends.
func findDate(s string) (iso string, start, end int, ok bool) {
	for i := 0; i+4 <= len(s); i++ {
		if !isYearAt(s, i) {
			continue
		}
		year := s[i : i+4]
		if i+4 == len(s) || !isWordByte(s[i+4]) {
			lo := max(0, i-beforeYear)
			before := s[lo:i]
			if m := monthFirst.FindStringSubmatchIndex(before); m != nil && wordStart(s, lo+m[0]) {
				if v, valid := makeDate(year, before[m[2]:m[3]], before[m[4]:m[5]]); valid {
					return v, lo + m[0], i + 4, true
				}
			}
			if m := dayFirst.FindStringSubmatchIndex(before); m != nil && wordStart(s, lo+m[0]) {
				if v, valid := makeDate(year, before[m[4]:m[5]], before[m[2]:m[3]]); valid {
					return v, lo + m[0], i + 4, true
				}
			}
		}
		if i == 0 || !strings.ContainsRune("0123456789/.-", rune(s[i-1])) {
			after := s[i+4 : min(len(s), i+4+7)]
			if m := numeric.FindStringSubmatchIndex(after); m != nil {
				if v, valid := makeDate(year, after[m[2]:m[3]], after[m[4]:m[5]]); valid {
					return v, i, i + 4 + m[5], true
				}
			}
		}
		i += 3
	}
	return "", 0, 0, false
}

// isYearAt reports whether s has a four-digit number from 1900 to 2100 at i,
// not part of a longer number.
func isYearAt(s string, i int) bool {
	if !(s[i] == '1' && s[i+1] == '9' || s[i] == '2' && (s[i+1] == '0' || s[i+1] == '1' && s[i+2] == '0' && s[i+3] == '0')) {
		return false
	}
	if !isDigit(s[i+2]) || !isDigit(s[i+3]) {
		return false
	}
	if i > 0 && isDigit(s[i-1]) || i+4 < len(s) && isDigit(s[i+4]) {
		return false
	}
	return true
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// isWordByte reports whether b is an ASCII letter or digit.
func isWordByte(b byte) bool {
	return isDigit(b) || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// wordStart reports whether a match at i in s starts a word, which the \b of
// a regexp run on a window cut out of s cannot tell.
func wordStart(s string, i int) bool {
	return i == 0 || !isWordByte(s[i-1])
}

// makeDate validates a year, a month (number or name) and a day and
// formats them as YYYY-MM-DD.
func makeDate(year, month, day string) (string, bool) {
	y, err := strconv.Atoi(year)
	if err != nil || y < 1900 || y > 2100 {
		return "", false
	}
	mon, ok := lexicon.Month(strings.TrimSuffix(month, "."))
	if !ok {
		n, err := strconv.Atoi(month)
		if err != nil || n < 1 || n > 12 {
			return "", false
		}
		mon = time.Month(n)
	}
	d, err := strconv.Atoi(day)
	if err != nil || d < 1 || d > 31 {
		return "", false
	}
	t := time.Date(y, mon, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return "", false // February 30
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, int(mon), d), true
}

// parseDate reads a header, record or flag date in any of the common forms
// (2025-06-08, 2025/06/08, "June 8, 2025", "8 June 2025", RFC 1123 and RFC
// 3339 timestamps) and returns it as YYYY-MM-DD. The calendar date is kept
// as written: a timestamp is not converted to UTC. Numeric day/month forms
// such as 08/06/2025 are ambiguous and rejected.
func parseDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if m := timestamp.FindStringSubmatch(s); m != nil && !validClock(m[1], m[2], m[3]) {
		return "", false
	}
	iso, _, _, ok := findDate(s)
	return iso, ok
}

// timestamp matches a value that starts with an ISO 8601 date and time
// ("2025-06-11T09:30:00Z", "2025-06-11 09:30"), capturing hour, minute and
// second.
var timestamp = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[T ](\d{2}):(\d{2})(?::(\d{2}))?`)

// validClock reports whether hour, minute and second (which may be empty)
// are a time of day; a leap second (60) is allowed.
func validClock(hour, minute, second string) bool {
	h, _ := strconv.Atoi(hour)
	m, _ := strconv.Atoi(minute)
	sec := 0
	if second != "" {
		sec, _ = strconv.Atoi(second)
	}
	return h < 24 && m < 60 && sec <= 60
}

// dateNote says why a date given as what (a header, field or flag) was not
// used: a well-formed ISO date outside the years trawl reads is named as
// such, not called unparseable.
func dateNote(what, value string) string {
	v := strings.TrimSpace(value)
	if len(v) >= 10 {
		if d, err := time.Parse("2006-01-02", v[:10]); err == nil && (len(v) == 10 || v[10] == 'T' || v[10] == ' ') {
			if m := timestamp.FindStringSubmatch(v); m != nil && !validClock(m[1], m[2], m[3]) {
				return fmt.Sprintf("%s %q has a time of day that does not exist", what, value)
			}
			if y := d.Year(); y < 1900 || y > 2100 {
				return fmt.Sprintf("%s %q is outside the years 1900-2100 that trawl reads", what, value)
			}
		}
	}
	return fmt.Sprintf("unparseable %s %q", what, value)
}

// The top of an article, where a publication date may stand: the first
// topLines non-blank lines, within the first topBytes bytes. A title line,
// a byline and a date line fit in it; a date further down is a date the
// article talks about (a birth date, a deadline, a bond's maturity), not
// the day it was published.
const (
	topLines = 3
	topBytes = 600
)

// The parts of a dateline and a date line, around a full date (findDate):
//
//   - datelinePlace: an optional place in capitals ("LONDON", "NEW YORK",
//     "ST. LOUIS"), an optional news agency in brackets ("(Reuters)",
//     "(AP)"), and the comma or space before the date;
//   - datelineRegion: a region after the place ("SPRINGFIELD, Ill.,");
//   - datelineEnd: after the date, an optional agency in brackets and the
//     dash (-, – or —) that starts the story;
//   - dateLabel: what may stand before the date on a line of its own (a
//     label such as "Published:" or "Updated on", and a weekday);
//   - dateLineEnd: what may follow it there (a time of day with an
//     optional zone).
var (
	datelinePlace  = regexp.MustCompile(`^\s*(?:[A-Z][A-Z'.\-]*[A-Z.](?:\s+[A-Z][A-Z'.\-]*[A-Z.]){0,3}\s*)?(?:\([A-Za-z][A-Za-z .&\-]{0,29}\)\s*)?,?\s*`)
	datelineRegion = regexp.MustCompile(`^[A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*){0,2},\s*`)
	datelineEnd    = regexp.MustCompile(`^,?\s*(?:\([A-Za-z][A-Za-z .&\-]{0,29}\)\s*)?[-\x{2013}\x{2014}]`)
	dateLabel      = regexp.MustCompile(`(?i)^\s*(?:(?:first\s+)?(?:published|posted|updated|dated?)\s*(?::|on\b)?\s*)?(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?`)
	dateLineEnd    = regexp.MustCompile(`(?i)^(?:[t ,]*(?:at\s+)?\d{1,2}[:.]\d{2}[\d:.+\-z]*(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{2,5})?)?\s*$`)
)

// topDate finds the publication date at the top of an article's text (see
// topLines): a dateline, where the story starts after a date and a dash,
// optionally after a place in capitals and a news agency ("LONDON, June 9,
// 2025 (Reuters) - ...", "WASHINGTON (AP) June 9, 2025 - ...",
// "SPRINGFIELD, Ill., 9 June 2025 - ..."), or a date line, a line that is
// only a date, optionally labelled ("Published: June 9, 2025"), with a
// weekday and a time of day. The date must be full, with its year: a
// dateline without a year ("June 9 (Reuters)") gives no date. It returns
// the date as YYYY-MM-DD and its source (trawl.PublishedDateline or
// trawl.PublishedDateLine).
func topDate(text string) (iso, source string, ok bool) {
	if len(text) > topBytes {
		text = text[:topBytes]
	}
	pos, n := 0, 0
	for pos < len(text) && n < topLines {
		line, next := nextLine(text, pos)
		pos = next
		if strings.TrimSpace(line) == "" {
			continue
		}
		n++
		if iso, ok := dateLine(line); ok {
			return iso, trawl.PublishedDateLine, true
		}
		if iso, ok := dateline(line); ok {
			return iso, trawl.PublishedDateline, true
		}
	}
	return "", "", false
}

// dateLine reads a line that is only a date, as topDate describes.
func dateLine(line string) (string, bool) {
	rest := line[len(dateLabel.FindString(line)):]
	iso, start, end, ok := findDate(rest)
	if !ok || start != 0 || !dateLineEnd.MatchString(rest[end:]) {
		return "", false
	}
	return iso, true
}

// dateline reads the dateline that starts a line, as topDate describes.
func dateline(line string) (string, bool) {
	rest := line[len(datelinePlace.FindString(line)):]
	if iso, ok := datelineDate(rest); ok {
		return iso, true
	}
	if m := datelineRegion.FindString(rest); m != "" {
		return datelineDate(rest[len(m):])
	}
	return "", false
}

// datelineDate reads a full date at the start of s followed by the end of
// a dateline.
func datelineDate(s string) (string, bool) {
	iso, start, end, ok := findDate(s)
	if !ok || start != 0 || !datelineEnd.MatchString(s[end:]) {
		return "", false
	}
	return iso, true
}
