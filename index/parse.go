package index

import (
	"fmt"
	"strings"
)

// The query string is bleve's query-string syntax (words, "phrases",
// +must, -not, field:value, wildcards, fuzzy~, /regexp/, boost^) with the
// operators a journalist expects on top:
//
//	query   = or
//	or      = and { "OR" and }
//	and     = not { ["AND"] not }   (AND may be left out before NOT)
//	not     = "NOT" not | group
//	group   = clause { clause }      (words side by side: any may match, as in bleve)
//	clause  = ["+" | "-"] ( "(" query ")" | word | "phrase" | field:value | ... )
//
// So words side by side bind tightest ("Tony Blair AND Gordon Brown" is
// two names joined by AND), then NOT, then AND, then OR. The operators are
// upper-case words; "and", "or" and "not" in lower case are plain words.

// tokenKind is the kind of a token of the query string.
type tokenKind int

const (
	tokClause tokenKind = iota // a clause (see clause)
	tokOpen                    // "(", with an optional + or - before it
	tokClose                   // ")"
	tokAnd                     // AND
	tokOr                      // OR
	tokNot                     // NOT
)

// token is one unit of the query string.
type token struct {
	kind   tokenKind
	clause clause // for tokClause
	occur  byte   // for tokOpen: '+', '-' or 0
	pos    int    // byte offset, for messages
}

// tokenize splits a query string into clauses, parentheses and operators.
// A clause ends at unquoted white space or parenthesis; a regular
// expression (/.../) is read whole, parentheses and all.
func tokenize(s string) ([]token, error) {
	var out []token
	i := 0
	for i < len(s) {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i == len(s) {
			break
		}
		start := i
		switch {
		case s[i] == '(':
			out = append(out, token{kind: tokOpen, pos: i})
			i++
			continue
		case s[i] == ')':
			out = append(out, token{kind: tokClose, pos: i})
			i++
			continue
		case (s[i] == '+' || s[i] == '-') && i+1 < len(s) && s[i+1] == '(':
			out = append(out, token{kind: tokOpen, occur: s[i], pos: i})
			i += 2
			continue
		}
		inQuote, inRegexp := false, false
		for i < len(s) {
			c := s[i]
			if c == '\\' {
				i += 2
				continue
			}
			switch {
			case inQuote:
				inQuote = c != '"'
			case inRegexp:
				inRegexp = c != '/'
			case c == '"':
				inQuote = true
			case c == '/' && regexpStart(s[start:i]):
				inRegexp = true
			case isSpace(c) || c == '(' || c == ')':
				goto done
			}
			i++
		}
	done:
		if inQuote {
			return nil, badQueryf("unterminated quote at byte %d", start)
		}
		if inRegexp {
			return nil, badQueryf("unterminated regular expression at byte %d", start)
		}
		raw := s[start:min(i, len(s))]
		switch raw {
		case "AND":
			out = append(out, token{kind: tokAnd, pos: start})
			continue
		case "OR":
			out = append(out, token{kind: tokOr, pos: start})
			continue
		case "NOT":
			out = append(out, token{kind: tokNot, pos: start})
			continue
		}
		if c, ok := parseClause(raw); ok {
			out = append(out, token{kind: tokClause, clause: c, pos: start})
		}
	}
	return out, nil
}

// regexpStart reports whether a '/' after before (the clause so far) opens
// a regular expression: at the start of a clause, after its + or -, or
// right after field:.
func regexpStart(before string) bool {
	before = strings.TrimLeft(before, "+-")
	if before == "" {
		return true
	}
	f, rest, ok := strings.Cut(before, ":")
	return ok && rest == "" && isFieldName(f)
}

// parseClause classifies one clause; ok is false for a lone + or -.
func parseClause(raw string) (clause, bool) {
	c := clause{body: raw}
	if (raw[0] == '+' || raw[0] == '-') && len(raw) > 1 {
		c.occur, c.body = raw[0], raw[1:]
	}
	b := c.body
	switch {
	case len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && !strings.ContainsRune(unescapeQuery(b[1:len(b)-1]), '"'):
		c.kind, c.text = clausePhrase, unescapeQuery(b[1:len(b)-1])
	case !strings.ContainsAny(b, specialChars):
		c.kind, c.text = clauseWord, b
	default:
		c.kind = clauseOther
		if f, v, ok := strings.Cut(b, ":"); ok && isFieldName(f) {
			c.kind, c.field, c.text = clauseField, f, v
		}
	}
	if c.kind == clauseWord && strings.Trim(c.text, "+-") == "" {
		return clause{}, false // a lone operator
	}
	return c, true
}

// node is a parsed query: an orNode, andNode, notNode or groupNode.
type node interface{ isNode() }

type orNode struct{ parts []node }
type andNode struct{ parts []node }
type notNode struct{ n node }

// groupNode is clauses side by side; an item is a clause or a
// parenthesised query with its + or -.
type groupNode struct{ items []groupItem }

type groupItem struct {
	clause clause // when sub is nil
	sub    node   // a parenthesised query
	occur  byte   // of sub
}

func (orNode) isNode()    {}
func (andNode) isNode()   {}
func (notNode) isNode()   {}
func (groupNode) isNode() {}

// maxDepth bounds the nesting of parentheses and NOTs.
const maxDepth = 20

// parser reads tokens into nodes by recursive descent.
type parser struct {
	toks  []token
	i     int
	depth int
}

// CheckSyntax reports a query string that cannot be parsed, as the
// *QueryError Search would return, without an index: the CLI calls it
// before it opens the store, so that a typo is a usage error either way.
func CheckSyntax(text string) error {
	if _, err := parseQuery(text); err != nil {
		return queryError(fmt.Sprintf("query %q", text), err)
	}
	return nil
}

// parseQuery parses a query string; nil means it holds no clause (match
// everything).
func parseQuery(s string) (node, error) {
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, nil
	}
	p := &parser{toks: toks}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		t := p.toks[p.i]
		if t.kind == tokClose {
			return nil, badQueryf("unmatched ) at byte %d", t.pos)
		}
		return nil, badQueryf("unexpected %s at byte %d", t.describe(), t.pos)
	}
	return n, nil
}

func (p *parser) peek() (token, bool) {
	if p.i < len(p.toks) {
		return p.toks[p.i], true
	}
	return token{}, false
}

func (p *parser) or() (node, error) {
	var parts []node
	for {
		n, err := p.and()
		if err != nil {
			return nil, err
		}
		parts = append(parts, n)
		t, ok := p.peek()
		if !ok || t.kind != tokOr {
			break
		}
		p.i++
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return orNode{parts}, nil
}

func (p *parser) and() (node, error) {
	var parts []node
	for {
		n, err := p.not()
		if err != nil {
			return nil, err
		}
		parts = append(parts, n)
		t, ok := p.peek()
		if !ok {
			break
		}
		if t.kind == tokAnd {
			p.i++
			continue
		}
		if t.kind == tokNot {
			continue // "tariffs NOT China": AND NOT
		}
		break
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return andNode{parts}, nil
}

func (p *parser) not() (node, error) {
	t, ok := p.peek()
	if ok && t.kind == tokNot {
		p.i++
		if p.depth++; p.depth > maxDepth {
			return nil, badQueryf("more than %d levels of NOT and parentheses", maxDepth)
		}
		defer func() { p.depth-- }()
		n, err := p.not()
		if err != nil {
			return nil, err
		}
		return notNode{n}, nil
	}
	return p.group()
}

func (p *parser) group() (node, error) {
	var g groupNode
	for {
		t, ok := p.peek()
		if !ok {
			break
		}
		if t.kind == tokClause {
			g.items = append(g.items, groupItem{clause: t.clause})
			p.i++
			continue
		}
		if t.kind != tokOpen {
			break
		}
		p.i++
		if p.depth++; p.depth > maxDepth {
			return nil, badQueryf("more than %d levels of NOT and parentheses", maxDepth)
		}
		if c, ok := p.peek(); ok && c.kind == tokClose {
			return nil, badQueryf("empty parentheses at byte %d", t.pos)
		}
		sub, err := p.or()
		if err != nil {
			return nil, err
		}
		p.depth--
		if c, ok := p.peek(); !ok || c.kind != tokClose {
			return nil, badQueryf("unmatched ( at byte %d", t.pos)
		}
		p.i++
		g.items = append(g.items, groupItem{sub: sub, occur: t.occur})
	}
	if len(g.items) == 0 {
		t, ok := p.peek()
		if !ok {
			prev := p.toks[p.i-1]
			return nil, badQueryf("%s at byte %d needs a term after it", prev.describe(), prev.pos)
		}
		return nil, badQueryf("%s at byte %d needs a term before it", t.describe(), t.pos)
	}
	return g, nil
}

// describe names a token in a message.
func (t token) describe() string {
	switch t.kind {
	case tokAnd:
		return "AND"
	case tokOr:
		return "OR"
	case tokNot:
		return "NOT"
	case tokOpen:
		return "("
	case tokClose:
		return ")"
	}
	return t.clause.body
}
