package reconcile

import (
	"math"
	"strings"

	"github.com/trawlnews/trawl"
)

// Article is what Reconcile reads of an article: its identity, the fields
// that weigh and date evidence, a text that holds at least the sentences of
// its mentions, and its PERSON, DATE and PERCENT mentions in the compact
// form. A caller that holds many articles at once (a store's refresh) gives
// them in this form rather than as trawl.Articles: a Mention is 44 bytes
// where a trawl.Mention is 216, and the strings of all of them are kept
// once, in a Strings table.
type Article struct {
	ID, Title, Source, Published, CopyGroup string
	// Text holds the sentences the mentions' offsets point into. The
	// sentence of a PERSON mention may be left out once Mark has read it:
	// the rules read a name's sentence only to quote it as evidence.
	Text     string
	Mentions []Mention
	// TextLater marks an article whose Text the caller left out, after
	// marking it (Mark), to be set by Options.Texts before the
	// discrepancy finders read it.
	TextLater bool

	marked bool // Mark has read the text around the PERSON mentions
}

// Mention is a PERSON, DATE or PERCENT mention as Reconcile reads it: the
// kind, the byte offsets into Article.Text (both -1 when they do not fit
// an int32; offsets outside the text are passed over by the rules) and, as ids in the Strings table of the
// reconciliation, the fields of trawl.Mention of the same names. The fields
// most mentions leave empty (a role, a figure's unit, change and subject)
// are kept once per distinct combination in the Strings table (see
// Strings.Extra): a Mention is 28 bytes, and a store holds millions.
type Mention struct {
	Start, End          int32
	Type                Kind
	flags               uint8 // what Mark read around a PERSON mention
	Text, Value, Entity Str
	extra               uint32 // the index of its Extra in the Strings table
}

// Extra holds the fields of a Mention that most mentions leave empty, as
// ids in the Strings table: a PERSON mention's role, a PERCENT mention's
// unit, earlier value, change and subject.
type Extra struct {
	Role, Unit, From, Change, Subject Str
}

// The flags Mark sets on a PERSON mention.
const (
	flagGeneric  = 1 << iota // the name is used as a common noun (genericUse)
	flagListItem             // the name is an item of a list of names (listItem)
)

// Mark reads the text around each PERSON mention of a, which the grouping
// needs (whether the name is used as a common noun, "a Wayne Rooney", and
// whether it is an item of a list of names), and records it in the
// mention, so that a caller may then cut the sentences that hold only
// names out of the text (keeping the mentions' own text at their offsets)
// before it calls ReconcileArticles. ReconcileArticles marks the articles
// not marked yet.
func Mark(a *Article) {
	for i := range a.Mentions {
		m := &a.Mentions[i]
		if m.Type != Person {
			continue
		}
		m.flags = 0
		if genericUse(a.Text, int(m.Start), int(m.End)) {
			m.flags |= flagGeneric
		}
		if listItem(a.Text, int(m.Start), int(m.End)) {
			m.flags |= flagListItem
		}
	}
	a.marked = true
}

// ReadsSentence reports whether the rules read the sentence of a mention of
// kind k and value v, and the DATE mentions in it: that of a PERCENT mention
// (the figure rules: the month a figure is of) and that of a DATE of day
// precision (the date rules: the event and the people a day is given for).
// The rules read a DATE mention in no other sentence, so a caller that holds
// many articles may leave out the DATE mentions outside every such sentence,
// and their sentences, without changing what Reconcile finds.
func ReadsSentence(k Kind, v string) bool { return k == Percent || k == Date && isDay(v) }

// Kind is the kind of a Mention: one of the kinds Reconcile reads.
type Kind uint8

// The kinds of mention Reconcile reads; KindOf maps the others to Other.
const (
	Other Kind = iota
	Person
	Date
	Percent
)

var kindNames = [...]trawl.Kind{Other: "", Person: trawl.Person, Date: trawl.Date, Percent: trawl.Percent}

// KindOf is the Kind of a trawl.Kind, Other for a kind Reconcile passes over
// (commodities, organisations, places, other names).
func KindOf(k trawl.Kind) Kind {
	switch k {
	case trawl.Person:
		return Person
	case trawl.Date:
		return Date
	case trawl.Percent:
		return Percent
	}
	return Other
}

// Str is the id of a string in a Strings table; 0 is "".
type Str uint32

// Strings is the table the strings of compact Mentions are kept in, each
// once: a corpus repeats its names, roles, dates and units many times over.
// It is not safe for concurrent use.
type Strings struct {
	list     []string
	ids      map[string]Str
	extras   []Extra // each distinct Extra once; 0 is the empty one
	extraIDs map[Extra]uint32
}

// NewStrings returns a table holding only "" and the empty Extra.
func NewStrings() *Strings {
	return &Strings{list: []string{""}, ids: map[string]Str{"": 0}, extras: []Extra{{}}, extraIDs: map[Extra]uint32{{}: 0}}
}

// Extra returns the fields of m kept in the table (see Mention).
func (t *Strings) Extra(m Mention) Extra { return t.extras[m.extra] }

// extraID returns the index of x in the table, adding it when needed.
func (t *Strings) extraID(x Extra) uint32 {
	if id, ok := t.extraIDs[x]; ok {
		return id
	}
	id := uint32(len(t.extras))
	t.extras = append(t.extras, x)
	t.extraIDs[x] = id
	return id
}

// ID returns the id of s, adding a copy of s (which so keeps no larger
// string it is part of alive) when the table does not hold it yet.
func (t *Strings) ID(s string) Str {
	if id, ok := t.ids[s]; ok {
		return id
	}
	return t.add(strings.Clone(s))
}

// add adds s, which the table does not hold and which no larger string
// keeps alive, and returns its id.
func (t *Strings) add(s string) Str {
	id := Str(len(t.list))
	t.list = append(t.list, s)
	t.ids[s] = id
	return id
}

// Intern returns the table's copy of s, adding it when needed.
func (t *Strings) Intern(s string) string { return t.list[t.ID(s)] }

// String returns the string of id.
func (t *Strings) String(id Str) string { return t.list[id] }

// Mention returns m in the compact form, its strings added to t, offsets
// that do not fit an int32 made -1. m should be of a kind Reconcile reads
// (KindOf(m.Type) != Other).
func (t *Strings) Mention(m trawl.Mention) Mention {
	start, end := int32(-1), int32(-1)
	if fits := func(n int) bool { return n >= math.MinInt32 && n <= math.MaxInt32 }; fits(m.Start) && fits(m.End) {
		start, end = int32(m.Start), int32(m.End)
	}
	return Mention{
		Start: start, End: end, Type: KindOf(m.Type),
		Text: t.ID(m.Text), Value: t.ID(m.Value), Entity: t.ID(m.Entity),
		extra: t.extraID(Extra{Role: t.ID(m.Role), Unit: t.ID(m.Unit), From: t.ID(m.From), Change: t.ID(m.Change), Subject: t.ID(m.Subject)}),
	}
}

// mention is a Mention with its strings looked up, as the rules read it.
type mention struct {
	Type                                                   trawl.Kind
	Start, End                                             int
	Text, Value, Entity, Role, Unit, From, Change, Subject string
}

// expand looks up the strings of m.
func (t *Strings) expand(m Mention) mention {
	x := t.extras[m.extra]
	return mention{
		Type: kindNames[m.Type], Start: int(m.Start), End: int(m.End),
		Text: t.list[m.Text], Value: t.list[m.Value], Entity: t.list[m.Entity], Role: t.list[x.Role],
		Unit: t.list[x.Unit], From: t.list[x.From], Change: t.list[x.Change], Subject: t.list[x.Subject],
	}
}
