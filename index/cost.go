package index

import (
	"math"
	"regexp/syntax"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Limits on what one query may cost, checked before it runs. A wildcard,
// regular expression, prefix or fuzzy term is expanded by the index into
// every word of the dictionary it matches, and each word becomes a searcher:
// unbounded, 60 such terms took gigabytes. So a query may hold at most
// MaxExpandingTerms of them, each may match at most MaxExpansion words of
// its field, and they may match MaxTotalExpansion words in all.
const (
	// MaxExpandingTerms is how many wildcard, regexp, prefix and fuzzy
	// terms one query may hold (a term searched in the text and the title
	// counts once).
	MaxExpandingTerms = 8
	// MaxExpansion is how many words of a field one such term may match.
	MaxExpansion = 1000
	// MaxTotalExpansion is how many words all of them may match together.
	MaxTotalExpansion = 4000
	// MaxFuzziness is the largest edit distance of a fuzzy term (word~2).
	MaxFuzziness = 2
	// MaxBoost is the largest boost (word^5) a term may have; a larger one
	// only breaks the scores (1e308 makes them NaN).
	MaxBoost = 1000
	// MaxPatternBytes is the longest wildcard or regular expression.
	MaxPatternBytes = 100
	// MaxRepeat is the largest repeat count in a regular expression
	// ({0,1000} builds an automaton too large to run).
	MaxRepeat = 20
)

// costCheck walks the bleve queries of one search and counts what they will
// expand to.
type costCheck struct {
	ix        *Index
	expanding int // expanding terms seen
	matched   int // dictionary words they match so far
	limit     int // MaxExpansion, lowered by tests
	total     int // MaxTotalExpansion, lowered by tests
}

// newCostCheck starts the cost check of one search.
func (ix *Index) newCostCheck() *costCheck {
	c := &costCheck{ix: ix, limit: MaxExpansion, total: MaxTotalExpansion}
	if ix.maxExpansion > 0 {
		c.limit = ix.maxExpansion
	}
	if ix.maxTotalExpansion > 0 {
		c.total = ix.maxTotalExpansion
	}
	return c
}

// clause checks the bleve queries one clause of the query string was
// parsed into (the same clause searched in the text and in the title, say):
// its expanding terms count once, however many fields it searches. body is
// the clause as the user wrote it, for messages.
func (c *costCheck) clause(body string, qs ...query.Query) error {
	before, most := c.expanding, 0
	for _, q := range qs {
		c.expanding = before
		if err := c.check(q, body); err != nil {
			return err
		}
		most = max(most, c.expanding-before)
	}
	c.expanding = before + most
	return nil
}

// expand counts one expanding term, refusing more than MaxExpandingTerms.
func (c *costCheck) expand(body string) error {
	c.expanding++
	if c.expanding > MaxExpandingTerms {
		return badQueryf("more than %d wildcard, regular-expression, prefix or fuzzy terms (at %s); use fewer", MaxExpandingTerms, body)
	}
	return nil
}

// check walks q, checking boosts, fuzziness and patterns and counting the
// dictionary words each expanding term matches. body is the clause q was
// parsed from, for messages.
func (c *costCheck) check(q query.Query, body string) error {
	if b, ok := q.(query.BoostableQuery); ok {
		if v := b.Boost(); math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > MaxBoost {
			return badQueryf("%s: boost must be a number from 0 to %d", body, MaxBoost)
		}
	}
	switch q := q.(type) {
	case *query.BooleanQuery:
		for _, sub := range []query.Query{q.Must, q.Should, q.MustNot, q.Filter} {
			if sub != nil {
				if err := c.check(sub, body); err != nil {
					return err
				}
			}
		}
	case *query.ConjunctionQuery:
		for _, sub := range q.Conjuncts {
			if err := c.check(sub, body); err != nil {
				return err
			}
		}
	case *query.DisjunctionQuery:
		for _, sub := range q.Disjuncts {
			if err := c.check(sub, body); err != nil {
				return err
			}
		}
	case *query.MatchQuery:
		return c.fuzzy(q.FieldVal, q.Match, q.Fuzziness, body)
	case *query.MatchPhraseQuery:
		return c.fuzzy(q.FieldVal, q.MatchPhrase, q.Fuzziness, body)
	case *query.FuzzyQuery:
		return c.fuzzy(q.FieldVal, q.Term, q.Fuzziness, body)
	case *query.WildcardQuery:
		if len(q.Wildcard) > MaxPatternBytes {
			return badQueryf("%s: wildcard longer than %d bytes", body, MaxPatternBytes)
		}
		return c.regexp(q.FieldVal, wildcardRegexp.Replace(q.Wildcard), body)
	case *query.RegexpQuery:
		if len(q.Regexp) > MaxPatternBytes {
			return badQueryf("%s: regular expression longer than %d bytes", body, MaxPatternBytes)
		}
		re, err := syntax.Parse(q.Regexp, syntax.Perl)
		if err != nil {
			return badQueryf("%s: %w", body, err)
		}
		if n := maxRepeat(re); n > MaxRepeat {
			return badQueryf("%s: repeat count %d; at most %d", body, n, MaxRepeat)
		}
		return c.regexp(q.FieldVal, q.Regexp, body)
	case *query.PrefixQuery:
		if err := c.expand(body); err != nil {
			return err
		}
		return c.words(q.FieldVal, body, func(r index.IndexReader) (index.FieldDict, error) {
			return r.FieldDictPrefix(q.FieldVal, []byte(q.Prefix))
		})
	}
	return nil
}

// fuzzy checks a term with an edit distance; 0 is an exact term.
func (c *costCheck) fuzzy(field, term string, fuzziness int, body string) error {
	switch {
	case fuzziness == 0:
		return nil
	case fuzziness < 0 || fuzziness > MaxFuzziness:
		return badQueryf("%s: fuzziness %d; at most %d (word~1 or word~2)", body, fuzziness, MaxFuzziness)
	}
	if err := c.expand(body); err != nil {
		return err
	}
	for _, w := range strings.Fields(strings.ToLower(term)) {
		err := c.words(field, body, func(r index.IndexReader) (index.FieldDict, error) {
			fr, ok := r.(index.IndexReaderFuzzy)
			if !ok {
				return nil, nil
			}
			return fr.FieldDictFuzzy(field, w, fuzziness, "")
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// regexp counts the words a regular expression matches.
func (c *costCheck) regexp(field, pattern, body string) error {
	if err := c.expand(body); err != nil {
		return err
	}
	return c.words(field, body, func(r index.IndexReader) (index.FieldDict, error) {
		rr, ok := r.(index.IndexReaderRegexp)
		if !ok {
			return nil, nil
		}
		d, err := rr.FieldDictRegexp(field, pattern)
		if err != nil {
			// The automaton's own limit ("dfa contains more than 10000
			// states") is the query's fault.
			return nil, badQueryf("%s: pattern too complex: %w", body, err)
		}
		return d, nil
	})
}

// words counts the dictionary entries open returns, stopping at the limits.
func (c *costCheck) words(field, body string, open func(index.IndexReader) (index.FieldDict, error)) error {
	if field == "" {
		field = fieldText
	}
	// The words of every shard, each counted once.
	seen := map[string]bool{}
	for _, sh := range c.ix.shards {
		if err := c.shardWords(sh, field, body, seen, open); err != nil {
			return err
		}
	}
	return nil
}

// shardWords adds the dictionary entries open returns in one shard to seen,
// stopping at the limits.
func (c *costCheck) shardWords(sh bleve.Index, field, body string, seen map[string]bool, open func(index.IndexReader) (index.FieldDict, error)) error {
	adv, err := sh.Advanced()
	if err != nil {
		return err
	}
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	d, err := open(r)
	if err != nil || d == nil {
		return err
	}
	defer d.Close()
	for {
		e, err := d.Next()
		if err != nil {
			return err
		}
		if e == nil {
			return nil
		}
		if seen[e.Term] {
			continue
		}
		seen[e.Term] = true
		c.matched++
		if len(seen) > c.limit {
			return badQueryf("%s matches more than %d words of %s; make it more specific", body, c.limit, field)
		}
		if c.matched > c.total {
			return badQueryf("the wildcard, regular-expression, prefix and fuzzy terms match more than %d words in all; make them more specific", c.total)
		}
	}
}

// maxRepeat is the largest explicit repeat count ({n,m}) in re.
func maxRepeat(re *syntax.Regexp) int {
	n := 0
	if re.Op == syntax.OpRepeat {
		n = max(re.Min, re.Max)
	}
	for _, sub := range re.Sub {
		n = max(n, maxRepeat(sub))
	}
	return n
}

// wildcardRegexp turns a wildcard into the regular expression bleve runs
// for it ('*' any run, '?' any one character, the rest literal).
var wildcardRegexp = strings.NewReplacer(
	"+", `\+`, "(", `\(`, ")", `\)`, "^", `\^`, "$", `\$`, ".", `\.`,
	"{", `\{`, "}", `\}`, "[", `\[`, "]", `\]`, `|`, `\|`, `\`, `\\`,
	"*", ".*", "?", ".")
