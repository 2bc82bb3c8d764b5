package reconcile

import (
	"strings"
	"sync"

	"github.com/trawlnews/trawl/internal/lexicon"
)

// countryPhrases are the words of more than one word that name a country
// ("united states", "south korean"), found in a role before it is split into
// words.
var countryPhrases = sync.OnceValue(func() []string {
	var out []string
	for _, w := range lexicon.CountryWords() {
		if strings.Contains(w, " ") {
			out = append(out, w)
		}
	}
	return out
})

// roleNorms caches normRole for one reconciliation: titles repeat across
// thousands of mentions.
type roleNorms map[string][2]string

func (rn roleNorms) norm(r string) (title, country string) {
	if v, ok := rn[r]; ok {
		return v[0], v[1]
	}
	t, c := normRole(r)
	rn[r] = [2]string{t, c}
	return t, c
}

// normRole splits a role into its title, lower case without country words,
// and the country it names ("U.S. Treasury Secretary" -> "treasury
// secretary", "us").
func normRole(r string) (title, country string) {
	r = strings.ToLower(strings.TrimSpace(r))
	r = strings.NewReplacer("’", "'", ",", " ", "-", " ").Replace(r)
	for _, two := range countryPhrases() {
		if strings.Contains(r, two) {
			country, _ = lexicon.Country(two)
			r = strings.ReplaceAll(r, two, " ")
		}
	}
	var words []string
	for _, w := range strings.Fields(r) {
		if c, ok := lexicon.Country(w); ok {
			country = c
			continue
		}
		if c, ok := lexicon.Country(strings.TrimSuffix(w, ".")); ok {
			country = c
			continue
		}
		if w == "the" || w == "of" && len(words) == 0 {
			continue
		}
		words = append(words, strings.Trim(w, ".'"))
	}
	return strings.Join(words, " "), country
}

// sameRole reports whether two titles say the same thing: equal, or one
// contained in the other word for word ("trade representative" in "chief
// trade representative").
func sameRole(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	i := strings.Index(" "+b+" ", " "+a+" ")
	if i < 0 {
		return false
	}
	// The words around the shorter title must not change its rank: a vice
	// president is not the president, a shadow home secretary not the home
	// secretary.
	for _, w := range strings.Fields(b[:i] + " " + b[min(len(b), i+len(a)):]) {
		if rankWords[w] {
			return false
		}
	}
	return true
}

// rankWords turn a title into another office when they qualify it: "vice
// president", "deputy governor", "shadow chancellor", "assistant secretary".
var rankWords = map[string]bool{
	"vice": true, "deputy": true, "assistant": true, "under": true, "associate": true,
	"shadow": true, "junior": true, "lieutenant": true, "sub": true, "co": true,
}

// sovereignTitles are the royal and religious titles written before a given
// name alone, not a surname ("Prince Charles", "Pope Francis", "King
// Abdullah"): a one-word name under one of them is never attached to a
// person with a surname. nobleTitles are written before a given name or a
// surname ("Lady Diana", "Lord Falconer"): a one-word name under one is not
// attached through a given name. The ranks are those of Wikipedia's
// "Royal and noble ranks" and "Ecclesiastical titles and styles" articles.
var (
	sovereignTitles = map[string]bool{
		"prince": true, "princess": true, "king": true, "queen": true, "emperor": true, "empress": true,
		"tsar": true, "czar": true, "sultan": true, "emir": true, "pope": true, "pontiff": true,
		"saint": true, "st": true, "patriarch": true, "infanta": true, "infante": true,
	}
	nobleTitles = map[string]bool{
		"lord": true, "lady": true, "duke": true, "duchess": true, "earl": true, "count": true, "countess": true,
		"baron": true, "baroness": true, "marquess": true, "marquis": true, "viscount": true, "archduke": true,
		"cardinal": true, "archbishop": true, "bishop": true, "sister": true, "brother": true, "father": true,
	}
)

// titledGivenName reports whether the titles of a one-word name put it
// under a sovereign title (any attachment ruled out) or a noble or church
// title (attachment through a given name ruled out).
func titledGivenName(roles []string) (sovereign, noble bool) {
	for _, r := range roles {
		for _, w := range strings.Fields(r) {
			sovereign = sovereign || sovereignTitles[w]
			noble = noble || nobleTitles[w]
		}
	}
	return sovereign, noble || sovereign
}

// roleEvidence compares two sets of titles: support when they share one,
// against when both have titles and none agree.
func roleEvidence(a, b []string) (support, against bool) {
	if len(a) == 0 || len(b) == 0 {
		return false, false
	}
	for _, x := range a {
		for _, y := range b {
			if sameRole(x, y) {
				return true, false
			}
		}
	}
	return false, true
}

// titleRulesOut reports whether a one-word name's titles rule out attaching
// it to a full name with titles full: they contradict, or it carries a head
// title (lexicon.HeadTitle) the full name lacks.
func titleRulesOut(single, full []string) bool {
	if _, against := roleEvidence(single, full); against {
		return true
	}
	if len(full) == 0 {
		for _, r := range single {
			if lexicon.HeadTitle(r) {
				return true
			}
		}
	}
	return false
}
