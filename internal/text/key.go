package text

import (
	"strings"
	"unicode"
)

// NameKey normalises the name of an organisation or a place for grouping
// and filtering: lower case, a leading "the" dropped, every run of
// characters other than letters and digits made one hyphen ("The World
// Bank" and "world bank" are "world-bank"). It is empty when no letter or
// digit is left.
func NameKey(name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	name = strings.TrimPrefix(name, "the ")
	var b strings.Builder
	dash := false
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}
