package lexicon

import (
	"strconv"
	"strings"
	"sync"
	"time"
)

// calendarTable is calendar.txt.
type calendarTable struct {
	month      map[string]time.Month // lower-case name or abbreviation -> month
	monthName  [13]string
	monthWords []string // names in month order, then abbreviations
	weekday    map[string]time.Weekday
	dayName    [7]string
}

var calendar = sync.OnceValue(func() *calendarTable {
	t := &calendarTable{month: map[string]time.Month{}, weekday: map[string]time.Weekday{}}
	var abbrevs []string
	for _, f := range Lines("calendar.txt") {
		if len(f) < 3 {
			panic("lexicon: calendar.txt: short line " + strings.Join(f, " "))
		}
		n, err := strconv.Atoi(f[1])
		switch {
		case err == nil && f[0] == "month" && n >= 1 && n <= 12:
			t.monthName[n] = f[2]
			for i, w := range f[2:] {
				w = strings.ToLower(w)
				t.month[w] = time.Month(n)
				if i == 0 {
					t.monthWords = append(t.monthWords, w)
				} else {
					abbrevs = append(abbrevs, w)
				}
			}
		case err == nil && f[0] == "weekday" && n >= 0 && n <= 6 && len(f) == 3:
			t.dayName[n] = f[2]
			t.weekday[strings.ToLower(f[2])] = time.Weekday(n)
		default:
			panic("lexicon: calendar.txt: bad line " + strings.Join(f, " "))
		}
	}
	t.monthWords = append(t.monthWords, abbrevs...)
	return t
})

// Month returns the month a name or abbreviation names, in any case and
// without its dot ("September", "sept", "Sep" -> time.September).
func Month(word string) (time.Month, bool) {
	m, ok := calendar().month[strings.ToLower(word)]
	return m, ok
}

// MonthName returns the English name of month m as written in text
// ("September"), or "" when m is not a month.
func MonthName(m time.Month) string {
	if m < 1 || m > 12 {
		return ""
	}
	return calendar().monthName[m]
}

// MonthWords returns every spelling Month accepts, lower case: the names in
// month order, then the abbreviations, the longer of two for one month
// first ("sept" before "sep"), so a regexp alternation built from them
// prefers the longer spelling.
func MonthWords() []string {
	return append([]string(nil), calendar().monthWords...)
}

// Weekday returns the day a weekday name names, in any case ("friday").
func Weekday(word string) (time.Weekday, bool) {
	d, ok := calendar().weekday[strings.ToLower(word)]
	return d, ok
}

// WeekdayName returns the English name of day d ("Friday"), or "" when d is
// not a weekday.
func WeekdayName(d time.Weekday) string {
	if d < 0 || d > 6 {
		return ""
	}
	return calendar().dayName[d]
}
