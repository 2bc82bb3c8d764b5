package trawl

import (
	"errors"
	"fmt"
	"slices"
)

// Kind is the type of a mention: what an extractor found in the text.
type Kind string

// The mention kinds trawl extracts. Their string values are the `type` field
// of the FORMAT.md record.
const (
	Person    Kind = "PERSON"
	Date      Kind = "DATE"
	Percent   Kind = "PERCENT"
	Commodity Kind = "COMMODITY"
	// Organization is a named organisation: a company, bank, ministry,
	// agency, party, club or team.
	Organization Kind = "ORGANIZATION"
	// Location is a named place: a country, region, city or river.
	Location Kind = "LOCATION"
	// Misc is any other proper name in CoNLL-2003's sense: nationalities,
	// events, works, products.
	Misc Kind = "MISC"
)

// Kinds lists every mention kind in a fixed order, for summaries and reports.
var Kinds = []Kind{Person, Date, Percent, Commodity, Organization, Location}

// Where an article's publication date came from (Article.PublishedSource).
const (
	PublishedHeader = "header" // a Published:/Date: header line or front matter
	PublishedRecord = "record" // the `published` field of a JSONL record
	PublishedFlag   = "flag"   // the --published flag of the run
	// PublishedDateline is a dateline that starts the story ("LONDON,
	// June 9, 2025 (Reuters) -").
	PublishedDateline = "dateline"
	// PublishedDateLine is a line at the top of the article that is only a
	// date ("Published: June 9, 2025").
	PublishedDateLine = "date line"
	// PublishedText is what stores written before datelines and date lines
	// were told apart hold for either (or for a full date near the top of
	// the text); it is read as it stands and no longer written.
	PublishedText    = "text"
	PublishedUnknown = "unknown" // no date; relative dates stay unresolved
)

// Where an article's title came from (Article.TitleSource).
const (
	TitleHeader    = "header"     // a Title: header line or front matter
	TitleRecord    = "record"     // the `title` field of a JSONL record
	TitleFirstLine = "first line" // a short first line followed by a blank line or the body
	TitleFileName  = "file name"  // no title in the file: its name stands in
)

// Article is one news article and what trawl extracted from it. Its JSON form
// is the record of ../shared/eval/FORMAT.md plus trawl's own metadata.
type Article struct {
	// ID is stable across runs: the path relative to the ingested root, or
	// the `id` of a JSONL record.
	ID string `json:"id"`
	// Path is the file the article came from, relative to the ingested root;
	// for a JSONL record it is the JSONL file and Line the 1-based line.
	Path string `json:"path,omitempty"`
	Line int    `json:"line,omitempty"`

	Title  string `json:"title,omitempty"`
	Source string `json:"source,omitempty"`
	Author string `json:"author,omitempty"`
	URL    string `json:"url,omitempty"`

	// TitleSource says where Title came from (TitleHeader ...).
	TitleSource string `json:"title_source,omitempty"`

	// Published is the publication date as YYYY-MM-DD, empty when unknown.
	Published string `json:"published,omitempty"`
	// PublishedSource says where Published came from (PublishedHeader ...).
	PublishedSource string `json:"published_source,omitempty"`
	// PublishedNote explains a date that could not be used, e.g. an
	// unparseable header value.
	PublishedNote string `json:"published_note,omitempty"`

	// Text is the body of the article, after any header block. Mention
	// offsets are UTF-8 byte offsets into Text.
	Text string `json:"text,omitempty"`
	// BodyOffset is the byte offset of Text in the decoded file (the length
	// of the header block), so a mention's offset in the file is
	// BodyOffset+Start.
	BodyOffset int `json:"body_offset,omitempty"`
	// Encoding is the encoding the file was decoded from (utf-8, utf-16le,
	// utf-16be, windows-1252).
	Encoding string `json:"encoding,omitempty"`
	// Hash is the hex SHA-256 of the raw bytes the article was read from.
	Hash string `json:"sha256,omitempty"`
	// CopyGroup is the id of the group of near-duplicates the article
	// belongs to (the smallest article id of the group; see package dedup),
	// empty when it has no near-duplicate. The copies of a group count as
	// one source of evidence. It is set before reconciliation and indexing,
	// not read from files.
	CopyGroup string `json:"copy_group,omitempty"`

	Mentions []Mention `json:"mentions"`
	// Commodities is the catalogue ids of the commodities the article is
	// about, among those of its COMMODITY mentions and their parents, most
	// central first (commodity.Rank: one named once in passing is left out).
	Commodities []string `json:"commodities"`
}

// Mention is one span of an article's text that an extractor recognised.
type Mention struct {
	Type Kind `json:"type"`
	// Start and End are UTF-8 byte offsets into Article.Text, end exclusive.
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
	// Value is the normalised value: a TIMEX3-style date for DATE, a decimal
	// number for PERCENT, a catalogue id for COMMODITY; empty when unknown.
	Value string `json:"value,omitempty"`
	// Entity groups PERSON mentions that refer to the same person. Extraction
	// gives a document-local key; reconciliation replaces it with the id of
	// the cross-article Entity.
	Entity string `json:"entity,omitempty"`
	// Role is the title or role stated next to a PERSON ("Treasury
	// Secretary").
	Role string `json:"role,omitempty"`

	// Unit is "percent" or "points" for PERCENT mentions.
	Unit string `json:"unit,omitempty"`
	// From is the starting value of a change ("from 25% to 50%" gives the
	// 50% mention From "25").
	From string `json:"from,omitempty"`
	// Change is "rise", "fall" or "set" when the sentence says which.
	Change string `json:"change,omitempty"`
	// Subject is the short phrase a PERCENT measures ("tariffs on imported
	// steel and aluminum").
	Subject string `json:"subject,omitempty"`
	// Category is the catalogue category of a COMMODITY (metals, energy...).
	Category string `json:"category,omitempty"`
	// Parents are the catalogue ids of the groups a COMMODITY belongs to,
	// nearest first (wheat: grain).
	Parents []string `json:"parents,omitempty"`
	// Warning notes a problem with the mention itself, such as a weekday that
	// does not match its date.
	Warning string `json:"warning,omitempty"`
}

// Entity is a real-world thing mentioned across articles: a person grouped
// from name variants, or a commodity of the catalogue.
type Entity struct {
	ID   string `json:"id"`
	Type Kind   `json:"type"`
	// Canonical is the best-supported name.
	Canonical string `json:"canonical"`
	// Reason says in words why Canonical was chosen.
	Reason   string    `json:"reason,omitempty"`
	Variants []Variant `json:"variants"`
	Roles    []Role    `json:"roles,omitempty"`
	// Articles are the ids of the articles that mention the entity, sorted.
	Articles []string `json:"articles"`
	// Mentions is the number of mentions grouped into the entity.
	Mentions int `json:"mentions"`
	// Decided lists the user decisions applied to this entity, if any.
	Decided []string `json:"decided,omitempty"`
}

// Variant is one surface form of an entity's name.
type Variant struct {
	Name     string `json:"name"`
	Mentions int    `json:"mentions"`
	Articles int    `json:"articles"`
	Sources  int    `json:"sources"`
	// Status is how the variant relates to the canonical name.
	Status VariantStatus `json:"status"`
	// Reason says in words why the variant was grouped and given its status.
	Reason string `json:"reason,omitempty"`
}

// VariantStatus is how a variant of an entity's name relates to its
// canonical name; the string is the `status` of the JSON encoding.
type VariantStatus string

// The statuses reconciliation gives to the variants of a name.
const (
	Canonical   VariantStatus = "canonical"   // the canonical name itself
	ShortForm   VariantStatus = "short form"  // a prefix of the given name, or a middle name left out
	FullForm    VariantStatus = "full form"   // the given name of which the canonical one is a prefix
	LongForm    VariantStatus = "long form"   // the canonical name with a middle name added
	Surname     VariantStatus = "surname"     // the family name alone
	Initials    VariantStatus = "initials"    // the given name as an initial
	Nickname    VariantStatus = "nickname"    // a nickname of the canonical given name
	FormalName  VariantStatus = "formal name" // the formal name of a canonical nickname
	Misspelling VariantStatus = "misspelling" // a probable misspelling
	UserGrouped VariantStatus = "user"        // grouped by a user decision
	OtherForm   VariantStatus = "variant"     // grouped for no reason stated above
)

// Role is a title given to an entity in one article.
type Role struct {
	Role      string `json:"role"`
	Article   string `json:"article"`
	Published string `json:"published,omitempty"`
}

// DiscrepancyKind is the slot on which articles disagree.
type DiscrepancyKind string

// The kinds of discrepancy that reconciliation reports.
const (
	NameSpelling   DiscrepancyKind = "name-spelling"
	NameForm       DiscrepancyKind = "name-form"
	RoleConflict   DiscrepancyKind = "role"
	DateConflict   DiscrepancyKind = "date"
	FigureConflict DiscrepancyKind = "figure"
	// FigureChange is a change over time that articles report ("from 25% to
	// 50%"), shown for context, never a conflict: its versions are the value
	// before and the value after.
	FigureChange DiscrepancyKind = "figure-change"
)

// DiscrepancyKinds lists every discrepancy kind in the order reports and
// forms offer them.
var DiscrepancyKinds = []DiscrepancyKind{NameSpelling, NameForm, RoleConflict, DateConflict, FigureConflict, FigureChange}

// ErrUnknownDiscrepancyKind is wrapped by the error ParseDiscrepancyKinds
// returns for a word that names no kind.
var ErrUnknownDiscrepancyKind = errors.New("want name, name-spelling, name-form, role, date, figure or figure-change")

// ParseDiscrepancyKinds reads one kind as a user writes it in a filter: the
// name of a kind, "name" for both name kinds (NameSpelling, NameForm) or
// "change" for FigureChange.
func ParseDiscrepancyKinds(s string) ([]DiscrepancyKind, error) {
	switch s {
	case "name":
		return []DiscrepancyKind{NameSpelling, NameForm}, nil
	case "change":
		return []DiscrepancyKind{FigureChange}, nil
	}
	if k := DiscrepancyKind(s); slices.Contains(DiscrepancyKinds, k) {
		return []DiscrepancyKind{k}, nil
	}
	return nil, fmt.Errorf("%q: %w", s, ErrUnknownDiscrepancyKind)
}

// SplitChanges separates the discrepancies proper from the figure changes
// (FigureChange), which reports show apart as context; both keep their
// order.
func SplitChanges(ds []Discrepancy) (discrepancies, changes []Discrepancy) {
	for _, d := range ds {
		if d.Kind == FigureChange {
			changes = append(changes, d)
		} else {
			discrepancies = append(discrepancies, d)
		}
	}
	return discrepancies, changes
}

// Discrepancy is a slot that articles fill differently, with every version and
// the evidence that carries it. It is data, never an error.
type Discrepancy struct {
	ID   string          `json:"id"`
	Kind DiscrepancyKind `json:"kind"`
	// Subject names the slot: the entity, event or figure the versions are
	// about.
	Subject string `json:"subject"`
	// Entity is the id of the entity concerned, when there is one.
	Entity string `json:"entity,omitempty"`
	// Summary is one sentence a fact-checker can read, saying which version
	// is probably right and why.
	Summary    string    `json:"summary"`
	Confidence float64   `json:"confidence"`
	Score      float64   `json:"score"`
	Versions   []Version `json:"versions"`
	Decided    string    `json:"decided,omitempty"`
	// Copies are the groups of near-duplicate articles (Article.CopyGroup)
	// the evidence comes from, each group's article ids sorted: the copies
	// of a group counted as one source.
	Copies [][]string `json:"copies,omitempty"`
}

// Version is one value articles give for a discrepancy's slot.
type Version struct {
	Value string `json:"value"`
	// Status qualifies the version: Preferred, ProbableMisspelling, Before
	// or After, or the VariantStatus of a name form ("short form"...);
	// empty when there is nothing to say.
	Status   VersionStatus `json:"status,omitempty"`
	Evidence []Evidence    `json:"evidence"`
}

// VersionStatus qualifies a version of a discrepancy; the string is the
// `status` of the JSON encoding.
type VersionStatus string

// The statuses of versions that are not a name form; a version of a
// name-form discrepancy carries the VariantStatus of its spelling
// (VersionStatus(ShortForm)...).
const (
	Preferred           VersionStatus = "preferred"            // the version the evidence supports best
	ProbableMisspelling VersionStatus = "probable misspelling" // a spelling that is probably a typo of the preferred one
	Before              VersionStatus = "before"               // a figure change's value before the change
	After               VersionStatus = "after"                // a figure change's value after the change
)

// Evidence is one article's sentence that carries a version.
type Evidence struct {
	Article   string `json:"article"`
	Title     string `json:"title,omitempty"`
	Source    string `json:"source,omitempty"`
	Published string `json:"published,omitempty"`
	// Sentence is the sentence of the article that carries the version;
	// MentionStart and MentionEnd are byte offsets of the mention inside it.
	Sentence     string `json:"sentence"`
	MentionStart int    `json:"mention_start"`
	MentionEnd   int    `json:"mention_end"`
	// Start and End are the mention's byte offsets in the article text.
	Start int `json:"start"`
	End   int `json:"end"`
}

// FileStatus is what an ingest found when it looked at one file again.
type FileStatus string

// The statuses of an ingested file.
const (
	FileNew       FileStatus = "new"       // not in the store before: read and extracted
	FileChanged   FileStatus = "changed"   // content differs from the stored one: extracted again
	FileUnchanged FileStatus = "unchanged" // same content as stored (or untouched since it was read)
	FileRechecked FileStatus = "rechecked" // same content, but its size or mtime moved: record renewed
	FileFailed    FileStatus = "failed"    // could not be read or parsed; reported and skipped
)

// Phase is the stage an ingest is in, as reported to its progress callback.
type Phase string

// The phases of an ingest, in order.
const (
	PhaseExtract   Phase = "extract"   // reading, hashing and extracting files
	PhaseReconcile Phase = "reconcile" // reading and reconciling all stored articles
	PhaseIndex     Phase = "index"     // writing the changed articles to the search index
	PhaseCompact   Phase = "compact"   // merging the index's segments, one per shard
)
