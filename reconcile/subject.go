package reconcile

// SubjectKey is the normalised form of what a figure measures, the key under
// which figure conflicts compare PERCENT mentions and the figures package
// groups them into series: the subject lower-cased, dotted abbreviations
// joined ("U.S." is "us"), split into words at every character that is not a
// letter or a hyphen, the words of stopwords.txt (determiners, prepositions
// and other function words) dropped, each word made singular by a suffix rule
// ("tariffs" tariff, "duties" duty), repeated words dropped and the rest
// sorted ("tariffs on imported steel" and "steel import tariffs" are one
// subject). It is empty when no content word is left.
func SubjectKey(s string) string { return subjectKey(s) }
