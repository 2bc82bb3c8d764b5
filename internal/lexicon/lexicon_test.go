package lexicon

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name  string
		text  string
		split func(string) []string
		want  [][]string
	}{
		{"empty", "", strings.Fields, nil},
		{"comments and blank lines", "# header\n\n  # indented comment\n\t\nword\n", strings.Fields, [][]string{{"word"}}},
		{"fields", "future will\npast  rose\tfell \n", strings.Fields, [][]string{{"future", "will"}, {"past", "rose", "fell"}}},
		{"no final newline, CRLF", "a b\r\nc", strings.Fields, [][]string{{"a", "b"}, {"c"}}},
		{"columns keep spaces and empty columns", "crude oil\tenergy\t\n# x\n", func(s string) []string { return strings.Split(s, "\t") },
			[][]string{{"crude oil", "energy", ""}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, parse(tc.text, tc.split)); diff != "" {
				t.Errorf("parse(%q) (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

func TestSetAndWords(t *testing.T) {
	// Set lower-cases entries: titles.txt is not a set file, but the given
	// names are, and Words reads every word of a line.
	if !Set("people-given-names.txt")["robert"] {
		t.Error(`Set("people-given-names.txt") lacks "robert"`)
	}
	stop := Words("stopwords.txt")
	for _, w := range []string{"the", "of", "year-over-year"} {
		if !stop[w] {
			t.Errorf("Words(stopwords.txt) lacks %q", w)
		}
	}
	if Lines("events.txt")[0][0] != "meeting" {
		t.Errorf("Lines(events.txt)[0] = %q, want the meeting line", Lines("events.txt")[0])
	}
}

// TestHeaders checks that every embedded data file names its source and its
// licence in its header comment.
func TestHeaders(t *testing.T) {
	names := Names()
	if len(names) < 10 {
		t.Fatalf("Names() = %q, want every data file", names)
	}
	for _, name := range names {
		var source, licence bool
		for _, h := range Header(name) {
			source = source || strings.HasPrefix(h, "Source: ") || strings.HasPrefix(h, "Sources: ")
			licence = licence || strings.HasPrefix(h, "Licence: ")
		}
		if !source || !licence {
			t.Errorf("%s: header names a source: %v, a licence: %v; want a \"# Source:\" and a \"# Licence:\" line", name, source, licence)
		}
		for _, h := range Header(name) {
			if strings.Contains(h, "same as trawl") || strings.Contains(h, "same as the trawl") {
				t.Errorf("%s: header says %q; name the licence", name, h)
			}
		}
	}
}

func TestMonths(t *testing.T) {
	for _, tc := range []struct {
		word string
		want time.Month
		ok   bool
	}{
		{"Sept", time.September, true},
		{"sep", time.September, true},
		{"SEPTEMBER", time.September, true},
		{"May", time.May, true},
		{"Jan", time.January, true},
		{"Mayday", 0, false},
		{"Sept.", 0, false}, // callers strip the dot
	} {
		got, ok := Month(tc.word)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Month(%q) = %v, %v; want %v, %v", tc.word, got, ok, tc.want, tc.ok)
		}
	}
	for m := time.January; m <= time.December; m++ {
		if got := MonthName(m); got != m.String() {
			t.Errorf("MonthName(%d) = %q, want %q", m, got, m.String())
		}
	}
	if got := MonthName(13); got != "" {
		t.Errorf("MonthName(13) = %q, want \"\"", got)
	}
	// corpus builds its date regexp from MonthWords: full names first, then
	// abbreviations, "sept" before "sep".
	want := "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
	if got := strings.Join(MonthWords(), "|"); got != want {
		t.Errorf("MonthWords() = %s\nwant %s", got, want)
	}
}

func TestWeekdays(t *testing.T) {
	if d, ok := Weekday("Friday"); d != time.Friday || !ok {
		t.Errorf("Weekday(Friday) = %v, %v; want Friday, true", d, ok)
	}
	if _, ok := Weekday("Fri"); ok {
		t.Error("Weekday(Fri) = true; weekdays have no abbreviations in calendar.txt")
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if got := WeekdayName(d); got != d.String() {
			t.Errorf("WeekdayName(%d) = %q, want %q", d, got, d.String())
		}
	}
}

func TestTitles(t *testing.T) {
	for _, tc := range []struct {
		role string
		want bool
	}{
		{"President", true},
		{"prime minister", true},
		{"Emperor", true},
		{"Treasury Secretary", false},
		{"Vice President", false},
	} {
		if got := HeadTitle(tc.role); got != tc.want {
			t.Errorf("HeadTitle(%q) = %v, want %v", tc.role, got, tc.want)
		}
	}
	for _, tc := range []struct {
		title string
		want  bool
	}{
		{"treasury secretary", true},
		{"Treasury  Secretary", true},
		{"fed chair", true},
		{"vice premier", false},
		{"prime minister", false},
	} {
		if got := UniqueTitle(tc.title); got != tc.want {
			t.Errorf("UniqueTitle(%q) = %v, want %v", tc.title, got, tc.want)
		}
	}
	ts := Titles()
	for title, anyCase := range map[string]bool{"treasury secretary": true, "vice president": true, "analyst": false} {
		if got, ok := ts[title]; !ok || got != anyCase {
			t.Errorf("Titles()[%q] = %v, %v; want %v, true", title, got, ok, anyCase)
		}
	}
	// A title that is only unique or only a head title is not matched next
	// to a name.
	for _, title := range []string{"fed chair", "emperor"} {
		if _, ok := ts[title]; ok {
			t.Errorf("Titles() has %q, which titles.txt does not mark as name", title)
		}
	}
	if diff := cmp.Diff([]string{"former", "then", "acting", "interim", "deputy", "outgoing", "incoming", "new"}, TitleQualifiers()); diff != "" {
		t.Errorf("TitleQualifiers() (-want +got):\n%s", diff)
	}
}

func TestCountries(t *testing.T) {
	for _, tc := range []struct {
		word, want string
		ok         bool
	}{
		{"U.S.", "us", true},
		{"u.s", "us", true},
		{"Chinese", "china", true},
		{"China's", "china", true},
		{"south korean", "korea", true},
		{"British", "uk", true},
		{"European", "eu", true},
		{"India", "india", true},
		{"Treasury", "", false},
	} {
		got, ok := Country(tc.word)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Country(%q) = %q, %v; want %q, %v", tc.word, got, ok, tc.want, tc.ok)
		}
	}
	dem := map[string]bool{}
	for _, w := range Demonyms() {
		dem[w] = true
	}
	for w, want := range map[string]bool{"u.s.": true, "chinese": true, "south korean": true, "india": false, "united states": false} {
		if dem[w] != want {
			t.Errorf("Demonyms() has %q: %v, want %v", w, dem[w], want)
		}
	}
	if len(CountryWords()) <= len(Demonyms()) {
		t.Errorf("CountryWords() has %d words, Demonyms() %d; want the words in parentheses in the first only", len(CountryWords()), len(Demonyms()))
	}
}

func TestGivenNames(t *testing.T) {
	for name, want := range map[string]bool{"scott": true, "robert": true, "bessent": false, "than": false} {
		if got := GivenName(name); got != want {
			t.Errorf("GivenName(%q) = %v, want %v", name, got, want)
		}
	}
	if got := FormalNames("bob"); !slices.Contains(got, "robert") {
		t.Errorf("FormalNames(bob) = %q, want robert among them", got)
	}
	if got := FormalNames("robert"); !slices.Contains(got, "robert") {
		t.Errorf("FormalNames(robert) = %q, want robert itself among them", got)
	}
	if got := FormalNames("bessent"); got != nil {
		t.Errorf("FormalNames(bessent) = %q, want nil", got)
	}
}

func TestNameForms(t *testing.T) {
	if got := FormalNames("than"); got != nil {
		t.Errorf("FormalNames(than) = %q, want nil: not a given name", got)
	}
	for name, forms := range FormalNamesTable() {
		if !GivenName(name) && !strings.Contains(name, " ") {
			t.Errorf("FormalNames(%q) = %q, but GivenName(%q) is false", name, forms, name)
		}
	}
	if got := Nicknames("robert"); !slices.Contains(got, "bob") {
		t.Errorf("Nicknames(robert) = %q, want bob among them", got)
	}
	for w, want := range map[string]bool{"wang": true, "thomas": true, "jinping": false} {
		if got := Surname(w); got != want {
			t.Errorf("Surname(%q) = %v, want %v", w, got, want)
		}
	}
}

func TestOfficeClass(t *testing.T) {
	for title, want := range map[string]string{
		"home secretary": "minister", "prime minister": "head", "president": "head", "chief executive": "executive",
		"actor": "", "star": "", "boss": "", "manager": "", "vice president": "", "shadow home secretary": "",
		"former foreign secretary": "",
	} {
		if got := OfficeClass(title); got != want {
			t.Errorf("OfficeClass(%q) = %q, want %q", title, got, want)
		}
	}
}
