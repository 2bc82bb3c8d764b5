package lexicon

// FormalNamesTable exposes the nickname table's name -> formal names map to
// the tests.
func FormalNamesTable() map[string][]string { return forms().formals }
