package index

import (
	"fmt"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/trawlnews/trawl/internal/text"
)

// clauseKind is how a clause of the query string is handled.
type clauseKind int

const (
	clauseWord   clauseKind = iota // a plain word: text and title, maybe a person
	clausePhrase                   // "a phrase": text and title, maybe a person
	clauseField                    // field:value, left to bleve's parser
	clauseOther                    // wildcard, fuzzy, regexp...: bleve's parser on text and title
)

// clause is one whitespace-separated unit of the query string.
type clause struct {
	occur byte // '+', '-' or 0
	kind  clauseKind
	body  string // without the occur prefix
	text  string // the word, or the phrase without quotes
	field string // for clauseField
}

// specialChars mark a clause that is not a plain word.
const specialChars = `:"*?~^/\(){}[]<>=!|`

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isFieldName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// unescapeQuery removes the backslashes of bleve's query-string escapes.
func unescapeQuery(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// expansion records that query words named people: the words, as tokens,
// and the ids of the people.
type expansion struct {
	words []string
	ids   []string
}

// maxNameWords is the longest run of unquoted words tried as a name.
const maxNameWords = 4

// textQuery builds the bleve query for a query string (see parse.go),
// expanding names of people into a disjunction with their ids. An empty
// string matches all.
func (ix *Index) textQuery(s string) (query.Query, []expansion, bool, error) {
	n, err := parseQuery(s)
	if err != nil {
		return nil, nil, false, err
	}
	if n == nil {
		return query.NewMatchAllQuery(), nil, false, nil
	}
	b := &builder{ix: ix, cost: ix.newCostCheck()}
	q, err := b.build(n)
	if err != nil {
		return nil, nil, false, err
	}
	return q, b.exps, b.hasText, nil
}

// builder turns a parsed query into a bleve query, recording the names it
// expanded and checking its cost.
type builder struct {
	ix      *Index
	cost    *costCheck
	exps    []expansion
	hasText bool
}

// build is the bleve query of n: OR a disjunction, AND a conjunction (its
// NOT parts excluded), NOT everything but its part, a group as bleve's
// query string has it.
func (b *builder) build(n node) (query.Query, error) {
	switch n := n.(type) {
	case orNode:
		qs := make([]query.Query, 0, len(n.parts))
		for _, p := range n.parts {
			q, err := b.build(p)
			if err != nil {
				return nil, err
			}
			qs = append(qs, q)
		}
		return query.NewDisjunctionQuery(qs), nil
	case andNode:
		var must, mustNot []query.Query
		for _, p := range n.parts {
			if not, ok := p.(notNode); ok {
				q, err := b.build(not.n)
				if err != nil {
					return nil, err
				}
				mustNot = append(mustNot, q)
				continue
			}
			q, err := b.build(p)
			if err != nil {
				return nil, err
			}
			must = append(must, q)
		}
		if len(must) == 0 {
			must = []query.Query{query.NewMatchAllQuery()}
		}
		return query.NewBooleanQuery(must, nil, mustNot), nil
	case notNode:
		q, err := b.build(n.n)
		if err != nil {
			return nil, err
		}
		return query.NewBooleanQuery([]query.Query{query.NewMatchAllQuery()}, nil, []query.Query{q}), nil
	case groupNode:
		return b.group(n.items)
	}
	return nil, badQueryf("internal: unknown query node %T", n)
}

// group is the query of clauses side by side, as bleve's query string has
// them: +clauses must match, -clauses must not, and of the others any may.
func (b *builder) group(items []groupItem) (query.Query, error) {
	ix, cost := b.ix, b.cost
	var must, should, mustNot []query.Query
	add := func(occur byte, q query.Query) {
		switch occur {
		case '+':
			must = append(must, q)
		case '-':
			mustNot = append(mustNot, q)
		default:
			should = append(should, q)
		}
	}
	hasText := false
	// isWord reports whether item j is an unprefixed plain word.
	isWord := func(j int) bool {
		return items[j].sub == nil && items[j].clause.kind == clauseWord && items[j].clause.occur == 0
	}
	for i := 0; i < len(items); i++ {
		if items[i].sub != nil {
			q, err := b.build(items[i].sub)
			if err != nil {
				return nil, err
			}
			add(items[i].occur, q)
			continue
		}
		c := items[i].clause
		switch c.kind {
		case clauseWord, clausePhrase:
			hasText = hasText || c.occur != '-'
			// A run of unprefixed words may name a person: "Jamie Greer".
			if c.kind == clauseWord && c.occur == 0 {
				j := i
				for j < len(items) && j-i < maxNameWords && isWord(j) {
					j++
				}
				for n := j - i; n >= 2; n-- {
					var toks []string
					for _, w := range items[i : i+n] {
						toks = append(toks, nameTokens(w.clause.text)...)
					}
					ids, err := ix.resolveName(toks, false)
					if err != nil {
						return nil, err
					}
					if len(ids) > 0 {
						b.exps = append(b.exps, expansion{toks, ids})
						should = append(should, personQuery(ids))
						for _, w := range items[i : i+n] {
							should = append(should, plainQuery(w.clause.text, false))
						}
						i += n - 1
						continue
					}
				}
			}
			{
				q := plainQuery(c.text, c.kind == clausePhrase)
				toks := nameTokens(c.text)
				if c.kind == clausePhrase || len(toks) == 1 && len([]rune(toks[0])) >= 3 {
					ids, err := ix.resolveName(toks, c.kind == clauseWord)
					if err != nil {
						return nil, err
					}
					if len(ids) > 0 {
						b.exps = append(b.exps, expansion{toks, ids})
						q = query.NewDisjunctionQuery([]query.Query{q, personQuery(ids)})
					}
				}
				add(c.occur, q)
			}
		case clauseField:
			hasText = hasText || c.occur != '-'
			v := c.text
			if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
				v = unescapeQuery(v[1 : len(v)-1])
			}
			if c.field == fieldPublished {
				q, err := publishedQuery(v, time.Now())
				if err != nil {
					return nil, err
				}
				add(c.occur, q)
				continue
			}
			if c.field == fieldPerson && v != "" && !strings.ContainsAny(v, specialChars) {
				ids, err := ix.resolvePerson(v)
				if err != nil {
					return nil, err
				}
				add(c.occur, personQuery(ids))
				continue
			}
			if kw, ok := keywordFields[c.field]; ok && v != "" && !strings.ContainsAny(v, specialChars) {
				if kw.lower {
					v = strings.ToLower(v)
				}
				add(c.occur, termsQuery([]string{v}, c.field))
				continue
			}
			q, err := query.NewQueryStringQuery(c.body).Parse()
			if err != nil {
				return nil, badQueryf("%s: %w", c.body, err)
			}
			if err := cost.clause(c.body, q); err != nil {
				return nil, err
			}
			add(c.occur, q)
		case clauseOther:
			hasText = hasText || c.occur != '-'
			qt, err := query.NewQueryStringQuery(fieldText + ":" + c.body).Parse()
			if err != nil {
				return nil, badQueryf("%s: %w", c.body, err)
			}
			qh, err := query.NewQueryStringQuery(fieldTitle + ":" + c.body).Parse()
			if err != nil {
				return nil, badQueryf("%s: %w", c.body, err)
			}
			if err := cost.clause(c.body, qt, qh); err != nil {
				return nil, err
			}
			add(c.occur, query.NewDisjunctionQuery([]query.Query{qt, qh}))
		}
	}
	b.hasText = b.hasText || hasText
	return query.NewBooleanQueryForQueryString(must, should, mustNot), nil
}

// keywordFields are the fields whose field:value and field:"value" clauses
// are exact term queries; lower says the field is indexed lower-cased.
var keywordFields = map[string]struct{ lower bool }{
	fieldSource:     {},
	fieldCommodity:  {},
	fieldAbout:      {},
	fieldCategory:   {},
	fieldOrg:        {},
	fieldPlace:      {},
	fieldMonth:      {},
	fieldPersonKey:  {},
	fieldPersonName: {lower: true},
}

// titleBoost weighs a match in the title against one in the text.
const titleBoost = 2

// plainQuery matches a word or a phrase in the text or the title.
func plainQuery(s string, phrase bool) query.Query {
	if phrase {
		return query.NewDisjunctionQuery([]query.Query{
			newPhraseQuery(s, fieldText, 1), newPhraseQuery(s, fieldTitle, titleBoost),
		})
	}
	t := query.NewMatchQuery(s)
	t.SetField(fieldText)
	h := query.NewMatchQuery(s)
	h.SetField(fieldTitle)
	h.SetBoost(titleBoost)
	return query.NewDisjunctionQuery([]query.Query{t, h})
}

// personQuery matches articles that mention any of the people ids.
func personQuery(ids []string) query.Query {
	qs := make([]query.Query, len(ids))
	for i, id := range ids {
		t := query.NewTermQuery(id)
		t.SetField(fieldPerson)
		qs[i] = t
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

// termsQuery matches any of the values in any of the fields.
func termsQuery(values []string, fields ...string) query.Query {
	var qs []query.Query
	for _, v := range values {
		for _, f := range fields {
			t := query.NewTermQuery(v)
			t.SetField(f)
			qs = append(qs, t)
		}
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

// filterQuery is the conjunction of the filters of q, or nil when there are
// none. Each person and each commodity must match (an article mentioning
// all of them); any of the sources may.
func (ix *Index) filterQuery(q Query) (query.Query, error) {
	var fs []query.Query
	// A value the index does not know is an error naming the closest
	// known ones, not a silent zero.
	for _, p := range q.People {
		ids, err := ix.resolvePerson(p)
		if err != nil {
			return nil, err
		}
		if err := ix.checkPerson(p, ids); err != nil {
			return nil, err
		}
		fs = append(fs, personQuery(ids))
	}
	for _, c := range q.Commodities {
		if err := ix.checkTerms("commodity", c, fieldCommodity, fieldCategory); err != nil {
			return nil, err
		}
		fs = append(fs, termsQuery([]string{c}, fieldCommodity, fieldCategory))
	}
	for _, o := range q.Organizations {
		fs = append(fs, termsQuery([]string{text.NameKey(o)}, fieldOrg))
	}
	for _, p := range q.Places {
		fs = append(fs, termsQuery([]string{text.NameKey(p)}, fieldPlace))
	}
	for _, src := range q.Sources {
		if err := ix.checkTerms("source", src, fieldSource); err != nil {
			return nil, err
		}
	}
	if len(q.Sources) > 0 {
		fs = append(fs, termsQuery(q.Sources, fieldSource))
	}
	if q.From != "" || q.To != "" {
		var from, to time.Time
		var err error
		if q.From != "" {
			if from, err = time.Parse(time.DateOnly, q.From); err != nil {
				return nil, badQueryf("from %q: want YYYY-MM-DD", q.From)
			}
		}
		if q.To != "" {
			if to, err = time.Parse(time.DateOnly, q.To); err != nil {
				return nil, badQueryf("to %q: want YYYY-MM-DD", q.To)
			}
		}
		if !from.IsZero() && !to.IsZero() && to.Before(from) {
			return nil, badQueryf("to is before from")
		}
		fs = append(fs, dateRange(from, to, true, true))
	}
	switch len(fs) {
	case 0:
		return nil, nil
	case 1:
		return fs[0], nil
	}
	return query.NewConjunctionQuery(fs), nil
}

// dateRange matches articles published between from and to (either may be
// zero: no bound). Bounds outside the years the index can hold (about 1678
// to 2262) are no bound: every stored date lies inside them.
func dateRange(from, to time.Time, inclFrom, inclTo bool) query.Query {
	if from.Before(query.MinRFC3339CompatibleTime) {
		from = time.Time{}
	}
	if to.After(query.MaxRFC3339CompatibleTime) {
		to = time.Time{}
	}
	r := query.NewDateRangeInclusiveQuery(from, to, &inclFrom, &inclTo)
	r.SetField(fieldPublished)
	return r
}

// publishedQuery is the query of a published:VALUE clause: a day, month or
// year (published:2025-06-11, published:2025-06), a comparison with one
// (published:>2025-06-10, >=, <, <=) or a range (published:2025-06-01..2025-06-15),
// in any form ParseDate reads.
func publishedQuery(v string, now time.Time) (query.Query, error) {
	unquote := func(s string) string {
		s = strings.TrimSpace(s)
		if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
			s = unescapeQuery(s[1 : len(s)-1])
		}
		return s
	}
	v = unquote(v)
	bounds := func(s string) (lo, hi time.Time, err error) {
		s = unquote(s)
		a, err := ParseDate(s, now, false)
		if err == nil && a == "" {
			err = fmt.Errorf("missing date")
		}
		if err != nil {
			return lo, hi, badQueryf("published:%s: %w", v, err)
		}
		b, _ := ParseDate(s, now, true)
		lo, _ = time.Parse(time.DateOnly, a)
		hi, _ = time.Parse(time.DateOnly, b)
		return lo, hi, nil
	}
	for _, op := range []string{">=", "<=", ">", "<"} {
		rest, ok := strings.CutPrefix(v, op)
		if !ok {
			continue
		}
		lo, hi, err := bounds(rest)
		if err != nil {
			return nil, err
		}
		switch op {
		case ">=":
			return dateRange(lo, time.Time{}, true, true), nil
		case ">":
			return dateRange(hi.AddDate(0, 0, 1), time.Time{}, true, true), nil
		case "<=":
			return dateRange(time.Time{}, hi, true, true), nil
		default:
			return dateRange(time.Time{}, lo.AddDate(0, 0, -1), true, true), nil
		}
	}
	if a, b, ok := strings.Cut(v, ".."); ok {
		lo, _, err := bounds(a)
		if err != nil {
			return nil, err
		}
		_, hi, err := bounds(b)
		if err != nil {
			return nil, err
		}
		if hi.Before(lo) {
			return nil, badQueryf("published:%s: the range ends before it starts", v)
		}
		return dateRange(lo, hi, true, true), nil
	}
	lo, hi, err := bounds(v)
	if err != nil {
		return nil, err
	}
	return dateRange(lo, hi, true, true), nil
}
