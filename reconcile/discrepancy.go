package reconcile

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/internal/lexicon"
)

// maxEvidence caps the evidence kept for one version; a canonical name in
// thousands of articles needs only a few quotes.
const maxEvidence = 10

// kindWeight ranks the kinds of discrepancy: a wrong figure or date misleads
// a reader more than a misspelt name.
var kindWeight = map[trawl.DiscrepancyKind]float64{
	trawl.FigureConflict: 1,
	trawl.DateConflict:   .9,
	trawl.RoleConflict:   .8,
	trawl.NameSpelling:   .7,
	trawl.NameForm:       .4,
	trawl.FigureChange:   .1,
}

// evidence quotes the sentence of article ai that holds mention mi.
func (c *collation) evidence(r mentionRef) trawl.Evidence {
	a := c.arts[r.art]
	m := c.mention(int(r.art), int(r.idx))
	start, end := m.Start, m.End
	if start < 0 || end > len(a.Text) || start > end {
		start, end = 0, 0
	}
	s, e := c.sentence(int(r.art), start)
	s, e = min(s, start), max(e, end)
	return trawl.Evidence{
		Article: a.ID, Title: a.Title, Source: a.Source, Published: a.Published,
		Sentence:     a.Text[s:e],
		MentionStart: start - s, MentionEnd: end - s,
		Start: start, End: end,
	}
}

// evidenceList quotes one mention per article, at most maxEvidence, the
// most recent articles first.
func (c *collation) evidenceList(refs []mentionRef) []trawl.Evidence {
	var one []mentionRef
	for _, r := range refs {
		if len(one) == 0 || one[len(one)-1].art != r.art {
			one = append(one, r)
		}
	}
	slices.SortStableFunc(one, func(a, b mentionRef) int {
		if x := cmp.Compare(c.arts[b.art].Published, c.arts[a.art].Published); x != 0 {
			return x
		}
		return cmp.Compare(a.art, b.art)
	})
	if len(one) > maxEvidence {
		one = one[:maxEvidence]
	}
	slices.SortFunc(one, func(a, b mentionRef) int { return cmp.Compare(a.art, b.art) })
	out := make([]trawl.Evidence, len(one))
	for i, r := range one {
		out[i] = c.evidence(r)
	}
	return out
}

// discrepancies finds every kind and ranks them, checking ctx between
// kinds.
func (c *collation) discrepancies(ctx context.Context) ([]trawl.Discrepancy, error) {
	var ds []trawl.Discrepancy
	for i, p := range c.people {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		ds = append(ds, c.nameDiscrepancies(p)...)
		if d, ok := c.personRoles(p); ok {
			ds = append(ds, d)
		}
	}
	for _, find := range []func() []trawl.Discrepancy{c.titleHolders, c.dateConflicts, c.figureConflicts, c.figureChanges} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ds = append(ds, find()...)
	}
	c.rank(ds)
	return ds, nil
}

// decidedNote is the note of a discrepancy about a person the user made
// decisions on, empty when there are none.
func (c *collation) decidedNote(p *person) string {
	if len(p.decided) == 0 {
		return ""
	}
	return "decided by user: " + strings.Join(p.decided, "; ")
}

// nameDiscrepancies reports misspelt names and short forms of a person.
func (c *collation) nameDiscrepancies(p *person) []trawl.Discrepancy {
	if p.canonName.single() || len(p.variants) < 2 {
		return nil
	}
	var canon *variant
	for _, v := range p.variants {
		if v.status == trawl.Canonical {
			canon = v
			break
		}
	}
	if canon == nil {
		return nil
	}
	ca, cs := c.countSources(canon.refs)
	preferred := trawl.Version{Value: canon.display, Status: trawl.Preferred, Evidence: c.evidenceList(canon.refs)}
	var out []trawl.Discrepancy
	var miss, forms []*variant
	for _, v := range p.variants {
		switch {
		case v.status == trawl.Misspelling:
			miss = append(miss, v)
		case !v.name.single() && ((v.status == trawl.ShortForm || v.status == trawl.FullForm) && givenRel(v.name.given(), p.canonName.given()) == relPrefix ||
			v.status == trawl.Nickname || v.status == trawl.FormalName || v.status == trawl.Initials):
			forms = append(forms, v)
		}
	}
	if len(miss) > 0 {
		d := trawl.Discrepancy{
			ID: "name-spelling:" + p.id, Kind: trawl.NameSpelling, Subject: p.canonical, Entity: p.id,
			Versions: []trawl.Version{preferred}, Decided: c.decidedNote(p),
		}
		var parts []string
		minority := 0
		for _, v := range miss {
			va, vs := c.countSources(v.refs)
			minority += vs
			d.Versions = append(d.Versions, trawl.Version{Value: v.display, Status: trawl.ProbableMisspelling, Evidence: c.evidenceList(v.refs)})
			parts = append(parts, fmt.Sprintf("'%s' in %s%s", v.display, plural(va, "article", "articles"), c.copiesNote(refArticles(v.refs))))
		}
		verb := "is"
		if len(parts) > 1 {
			verb = "are"
		}
		d.Summary = fmt.Sprintf("%s %s probably a misspelling of '%s' (%s)", joinAnd(parts), verb, canon.display,
			c.support(refArticles(canon.refs), ", "))
		d.Confidence = .5 + .45*float64(cs)/float64(cs+minority)
		out = append(out, d)
	}
	if len(forms) > 0 {
		d := trawl.Discrepancy{
			ID: "name-form:" + p.id, Kind: trawl.NameForm, Subject: p.canonical, Entity: p.id,
			Versions: []trawl.Version{preferred}, Decided: c.decidedNote(p), Confidence: .9,
		}
		var parts []string
		for _, v := range forms {
			va, _ := c.countSources(v.refs)
			d.Versions = append(d.Versions, trawl.Version{Value: v.display, Status: trawl.VersionStatus(v.status), Evidence: c.evidenceList(v.refs)})
			parts = append(parts, fmt.Sprintf("'%s' (%s, %s)", v.display, v.status, plural(va, "article", "articles")))
			if v.status == trawl.Initials {
				d.Confidence = .8
			}
		}
		which := "the full form"
		for _, v := range forms {
			if v.status == trawl.FormalName || v.status == trawl.FullForm || v.status == trawl.LongForm {
				which = "the form most articles use"
			}
		}
		d.Summary = fmt.Sprintf("%s and '%s' (%s) name the same person; '%s' is %s",
			joinAnd(parts), canon.display, plural(ca, "article", "articles"), canon.display, which)
		out = append(out, d)
	}
	return out
}

func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// days returns the days between two YYYY-MM-DD dates, and false when either
// is unknown.
func days(a, b string) (int, bool) {
	ta, err1 := time.Parse("2006-01-02", a)
	tb, err2 := time.Parse("2006-01-02", b)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	d := int(ta.Sub(tb).Hours() / 24)
	return abs(d), true
}

// dayNumber is the number of days from 1970-01-01 to a YYYY-MM-DD date, or
// -1 when the date is unknown.
func dayNumber(s string) int {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return -1
	}
	return int(t.Unix() / 86400)
}

// closeInTime reports whether some article of a and some other article of
// b were published within the given days; articles without a date count as
// close when unknownClose is set.
func (c *collation) closeInTime(a, b []mentionRef, within int, unknownClose bool) bool {
	days := func(refs []mentionRef) (ds []int, arts map[int]bool, unknown bool) {
		arts = map[int]bool{}
		for _, r := range refs {
			arts[int(r.art)] = true
			if d := c.day[r.art]; d >= 0 {
				ds = append(ds, d)
			} else {
				unknown = true
			}
		}
		slices.Sort(ds)
		return slices.Compact(ds), arts, unknown
	}
	da, aa, ua := days(a)
	db, ab, ub := days(b)
	distinct := false
	for x := range aa {
		if !ab[x] || len(ab) > 1 {
			distinct = true
			break
		}
	}
	if !distinct || len(aa) == 1 && len(ab) == 1 && aa[int(a[0].art)] && ab[int(a[0].art)] {
		return false // all in one article
	}
	if unknownClose && (ua || ub) {
		return true
	}
	i, j := 0, 0
	for i < len(da) && j < len(db) {
		if abs(da[i]-db[j]) <= within {
			return true
		}
		if da[i] < db[j] {
			i++
		} else {
			j++
		}
	}
	return false
}

// roleGroup is one title (and the titles contained in it) with its mentions.
type roleGroup struct {
	titles  []string
	display map[string]int
	refs    []mentionRef
}

// personRoles reports a person given different offices of one class
// (lexicon.OfficeClass: two ministries, two heads of government) in articles
// published within 90 days of each other. Titles that are no office
// ("actor" and "star", "boss" and "manager") and offices of different
// classes, which one person often holds together ("chairman" and "chief
// executive"), are no conflict. Articles without a date never count as close:
// titles change over a career ("Prime Minister" Chirac in 1987, "President"
// in 2004), so undated differences are not evidence of a conflict. A title
// inside another ("Trade Representative" in "U.S. Trade Representative") is
// the same title.
func (c *collation) personRoles(p *person) (trawl.Discrepancy, bool) {
	var groups []*roleGroup
	for _, r := range p.refs {
		raw := strings.TrimSpace(c.strs.String(c.strs.Extra(c.arts[r.art].Mentions[r.idx]).Role))
		t, _ := c.roles.norm(raw)
		if t == "" || lexicon.OfficeClass(t) == "" {
			continue
		}
		var g *roleGroup
		for _, x := range groups {
			for _, y := range x.titles {
				if sameRole(t, y) {
					g = x
				}
			}
		}
		if g == nil {
			g = &roleGroup{display: map[string]int{}}
			groups = append(groups, g)
		}
		g.titles = appendUnique(g.titles, t)
		g.display[raw]++
		g.refs = append(g.refs, r)
	}
	if len(groups) < 2 {
		return trawl.Discrepancy{}, false
	}
	conflicting := map[int]bool{}
	for i := range groups {
		for j := i + 1; j < len(groups); j++ {
			if lexicon.OfficeClass(groups[i].titles[0]) == lexicon.OfficeClass(groups[j].titles[0]) &&
				c.closeInTime(groups[i].refs, groups[j].refs, 90, false) {
				conflicting[i], conflicting[j] = true, true
			}
		}
	}
	if len(conflicting) == 0 {
		return trawl.Discrepancy{}, false
	}
	var kept []*roleGroup
	for i, g := range groups {
		if conflicting[i] {
			kept = append(kept, g)
		}
	}
	groups = kept
	vs, parts := c.versionsOf(groups)
	return trawl.Discrepancy{
		ID: "role:" + p.id, Kind: trawl.RoleConflict, Subject: p.canonical, Entity: p.id,
		Summary:    fmt.Sprintf("'%s' is called %s", p.canonical, joinAnd(parts)),
		Confidence: .6, Versions: vs, Decided: c.decidedNote(p),
	}, true
}

// versionsOf turns role groups into versions, the best-supported first and
// marked preferred when it has more sources than the next.
func (c *collation) versionsOf(groups []*roleGroup) ([]trawl.Version, []string) {
	type gv struct {
		g                 *roleGroup
		value             string
		articles, sources int
	}
	var list []gv
	for _, g := range groups {
		a, s := c.countSources(g.refs)
		slices.SortFunc(g.refs, func(x, y mentionRef) int {
			if d := cmp.Compare(x.art, y.art); d != 0 {
				return d
			}
			return cmp.Compare(x.idx, y.idx)
		})
		list = append(list, gv{g, mostCommon(g.display), a, s})
	}
	slices.SortStableFunc(list, func(x, y gv) int {
		if d := cmp.Compare(y.sources, x.sources); d != 0 {
			return d
		}
		if d := cmp.Compare(y.articles, x.articles); d != 0 {
			return d
		}
		return cmp.Compare(x.value, y.value)
	})
	var vs []trawl.Version
	var parts []string
	for i, x := range list {
		v := trawl.Version{Value: x.value, Evidence: c.evidenceList(x.g.refs)}
		if i == 0 && len(list) > 1 && x.sources > list[1].sources {
			v.Status = trawl.Preferred
		}
		vs = append(vs, v)
		parts = append(parts, fmt.Sprintf("'%s' in %s", x.value, plural(x.articles, "article", "articles")))
	}
	return vs, parts
}

// titleHolders reports a title one person holds at a time given to two
// people in articles published within 30 days of each other.
func (c *collation) titleHolders() []trawl.Discrepancy {
	type holder struct {
		p       *person
		country string
		refs    []mentionRef
		display map[string]int
	}
	byTitle := map[string][]*holder{}
	for _, p := range c.people {
		for _, r := range p.refs {
			raw := strings.TrimSpace(c.strs.String(c.strs.Extra(c.arts[r.art].Mentions[r.idx]).Role))
			t, country := c.roles.norm(raw)
			if !lexicon.UniqueTitle(t) {
				continue
			}
			var h *holder
			for _, x := range byTitle[t] {
				if x.p == p {
					h = x
				}
			}
			if h == nil {
				h = &holder{p: p, display: map[string]int{}}
				byTitle[t] = append(byTitle[t], h)
			}
			if country != "" {
				h.country = country
			}
			h.refs = append(h.refs, r)
			h.display[raw]++
		}
	}
	titles := make([]string, 0, len(byTitle))
	for t, hs := range byTitle {
		if len(hs) > 1 {
			titles = append(titles, t)
		}
	}
	slices.Sort(titles)
	var out []trawl.Discrepancy
	for _, t := range titles {
		hs := byTitle[t]
		clash := func(a, b *holder) bool {
			if a.country != "" && b.country != "" && a.country != b.country {
				return false
			}
			return c.closeInTime(a.refs, b.refs, 30, false)
		}
		var in []*holder
		for i, a := range hs {
			for j, b := range hs {
				if i != j && clash(a, b) {
					in = append(in, a)
					break
				}
			}
		}
		if len(in) < 2 {
			continue
		}
		var groups []*roleGroup
		names := map[*roleGroup]string{}
		for _, h := range in {
			g := &roleGroup{display: map[string]int{h.p.canonical: 1}, refs: h.refs}
			names[g] = h.p.id
			groups = append(groups, g)
		}
		vs, parts := c.versionsOf(groups)
		title := displayTitle(in[0].display)
		out = append(out, trawl.Discrepancy{
			ID: "role:" + slug(t), Kind: trawl.RoleConflict, Subject: title,
			Summary: fmt.Sprintf("'%s', a title one person holds at a time, is given to %s in articles published within 30 days",
				title, joinAnd(parts)),
			Confidence: .7, Versions: vs,
		})
	}
	return out
}

// displayTitle is the most common spelling of a title without its country.
func displayTitle(m map[string]int) string {
	raw := mostCommon(m)
	var words []string
	for _, w := range strings.Fields(raw) {
		if _, ok := lexicon.Country(strings.TrimSuffix(w, ".")); ok {
			continue
		}
		if _, ok := lexicon.Country(w); ok {
			continue
		}
		words = append(words, w)
	}
	if len(words) == 0 {
		return raw
	}
	return strings.Join(words, " ")
}

// word is one word of a sentence with its byte offsets in the text.
type word struct {
	text       string
	start, end int
}

func wordsOf(text string, s, e int) []word {
	var out []word
	i := s
	for i < e {
		for i < e && !isWordStart(text[i]) {
			i++
		}
		j := i
		for j < e && (isWordStart(text[j]) || text[j] == '\'' || text[j] == '-') {
			j++
		}
		if j > i {
			out = append(out, word{text[i:j], i, j})
		}
		i = j
	}
	return out
}

func isWordStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// dateFact is one DATE mention tied to an event and an actor or place.
type dateFact struct {
	key, event, who string
	value           string
	ref             mentionRef
}

// eventWindow is how many words from a date the event word may be.
const eventWindow = 8

// dateConflicts reports one event given different days: DATE mentions
// (day precision) within eventWindow words of the same event word, sharing
// a person or a place ("in Geneva") in the sentence, in articles published
// within 3 days of each other, with different values.
func (c *collation) dateConflicts() []trawl.Discrepancy {
	// sentenceDates looks people up only in the articles with a DATE of
	// day precision, so only their PERSON mentions are mapped: not all of
	// the corpus's at once.
	daily := make([]bool, len(c.arts))
	for ai, a := range c.arts {
		daily[ai] = slices.ContainsFunc(a.Mentions, func(cm Mention) bool {
			return cm.Type == Date && isDay(c.strs.list[cm.Value])
		})
	}
	idOf := map[mentionRef]string{}
	names := map[string]string{}
	for _, p := range c.people {
		names[p.id] = p.canonical
		for _, r := range p.refs {
			if daily[r.art] {
				idOf[r] = p.id
			}
		}
	}
	byKey := map[string][]dateFact{}
	for ai, a := range c.arts {
		sents := map[int]*sentenceDates{} // by sentence start: each sentence is read once
		for mi, cm := range a.Mentions {
			if cm.Type != Date {
				continue
			}
			m := c.strs.expand(cm)
			if !isDay(m.Value) || m.Start < 0 || m.End > len(a.Text) {
				continue
			}
			s, e := c.sentence(ai, m.Start)
			sd := sents[s]
			if sd == nil {
				sd = c.sentenceDates(ai, s, e, idOf)
				sents[s] = sd
			}
			d := sd.date(m.Start)
			if d < 0 {
				continue
			}
			event := sd.event(d)
			if event == "" {
				continue
			}
			who := slices.Clone(sd.people)
			who = append(who, sd.places[d]...)
			for _, w := range who {
				k := event + "|" + w
				byKey[k] = append(byKey[k], dateFact{k, event, w, m.Value, ref(ai, mi)})
			}
		}
	}
	keys := slices.Sorted(maps.Keys(byKey))
	var out []trawl.Discrepancy
	var emitted []map[mentionRef]bool
	emittedWith := map[mentionRef][]int{} // fact -> the emitted sets holding it
	for _, k := range keys {
		fs := byKey[k]
		if !c.conflictWithin(len(fs), func(i int) (int, string) { return int(fs[i].ref.art), fs[i].value }, 3) {
			continue
		}
		set := map[mentionRef]bool{}
		for _, f := range fs {
			set[f.ref] = true
		}
		// A set of facts already reported under another key is not
		// reported again; only the sets holding its first fact can hold it.
		dup := false
		for _, pi := range emittedWith[fs[0].ref] {
			prev := emitted[pi]
			sub := len(set) <= len(prev)
			for r := range set {
				if !sub {
					break
				}
				sub = prev[r]
			}
			if sub {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		for r := range set {
			emittedWith[r] = append(emittedWith[r], len(emitted))
		}
		emitted = append(emitted, set)
		byValue := map[string]*roleGroup{}
		var groups []*roleGroup
		for _, f := range fs {
			g := byValue[f.value]
			if g == nil {
				g = &roleGroup{display: map[string]int{f.value: 1}}
				byValue[f.value] = g
				groups = append(groups, g)
			}
			g.refs = append(g.refs, f.ref)
		}
		vs, parts := c.versionsOf(groups)
		who := fs[0].who
		subject := fs[0].event
		if id, ok := strings.CutPrefix(who, "person:"); ok {
			subject += " with " + names[id]
		} else {
			subject += " in " + strings.TrimPrefix(who, "place:")
		}
		conf := .65
		if vs[0].Status == trawl.Preferred {
			conf = .75
		}
		out = append(out, trawl.Discrepancy{
			ID: "date:" + fs[0].event + ":" + slug(strings.SplitN(who, ":", 2)[1]), Kind: trawl.DateConflict,
			Subject: subject, Summary: fmt.Sprintf("The %s is dated %s", subject, joinAnd(parts)),
			Confidence: conf, Versions: vs,
		})
	}
	return out
}

// sentenceDates is one sentence read once for the date finder: its words,
// its DATE mentions (by start, with the words before each), the people in
// it and, per date, the places ("in Geneva") nearer that date than any
// other.
type sentenceDates struct {
	ws     []word
	dates  []dateSpan
	people []string         // "person:<id>", each once, in order
	places map[int][]string // date index -> "place:<word>", in order
}

// dateSpan is a DATE mention of a sentence: its byte span and the number of
// words starting before its start (ms) and before its end (me).
type dateSpan struct{ start, end, ms, me int }

// sentenceDates reads the sentence [s, e) of article ai: one pass over its
// words and mentions, and one over its "in"/"at" places, each place given
// to its nearest dates by binary search.
func (c *collation) sentenceDates(ai, s, e int, idOf map[mentionRef]string) *sentenceDates {
	a := c.arts[ai]
	sd := &sentenceDates{ws: wordsOf(a.Text, s, e), places: map[int][]string{}}
	starts := make([]int, len(sd.ws))
	for i, w := range sd.ws {
		starts[i] = w.start
	}
	count := func(pos int) int { n, _ := slices.BinarySearch(starts, pos); return n }
	lo, hi := c.mentionsIn(ai, s, e)
	seen := map[string]bool{}
	for pi := lo; pi < hi; pi++ {
		pm := c.mention(ai, pi)
		if pm.Start < s || pm.End > e {
			continue
		}
		switch pm.Type {
		case trawl.Date:
			sd.dates = append(sd.dates, dateSpan{pm.Start, pm.End, count(pm.Start), count(pm.End)})
		case trawl.Person:
			if id := idOf[ref(ai, pi)]; id != "" && !seen[id] {
				seen[id] = true
				sd.people = append(sd.people, "person:"+id)
			}
		}
	}
	slices.SortStableFunc(sd.dates, func(x, y dateSpan) int { return cmp.Compare(x.start, y.start) })
	sd.dates = slices.CompactFunc(sd.dates, func(x, y dateSpan) bool { return x.start == y.start })
	for i := 0; i+1 < len(sd.ws); i++ {
		p := strings.ToLower(sd.ws[i].text)
		if (p != "in" && p != "at") || !isCapital(sd.ws[i+1].text) || isCalendarWord(sd.ws[i+1].text) {
			continue
		}
		near, best := sd.nearest(i + 1)
		for _, d := range near {
			if sd.dist(i+1, d) == best {
				sd.places[d] = appendUnique(sd.places[d], "place:"+sd.ws[i+1].text)
			}
		}
	}
	return sd
}

// date returns the index of the DATE mention starting at start, -1 if none.
func (sd *sentenceDates) date(start int) int {
	i, ok := slices.BinarySearchFunc(sd.dates, start, func(d dateSpan, p int) int { return cmp.Compare(d.start, p) })
	if !ok {
		return -1
	}
	return i
}

// dist counts the words between word i and date d, -1 when the word is in
// the date, from the counts of words kept with the date.
func (sd *sentenceDates) dist(i, d int) int {
	w, ds := sd.ws[i], sd.dates[d]
	switch {
	case w.end <= ds.start:
		return ds.ms - i - 1
	case w.start >= ds.end:
		return i - ds.me
	}
	return -1
}

// nearest returns the dates that may be nearest to word i (those holding
// it, the first after it and the last before it) and the smallest distance
// among them. Dates of a sentence do not overlap, so no other date is
// nearer.
func (sd *sentenceDates) nearest(i int) (cands []int, best int) {
	w := sd.ws[i]
	p, _ := slices.BinarySearchFunc(sd.dates, w.end, func(d dateSpan, pos int) int { return cmp.Compare(d.start, pos) })
	if p < len(sd.dates) {
		cands = append(cands, p)
	}
	for q := p - 1; q >= 0; q-- {
		cands = append(cands, q)
		if sd.dates[q].end <= w.start {
			break // the last date before the word; earlier ones are farther
		}
	}
	best = -2
	for _, d := range cands {
		if x := sd.dist(i, d); best == -2 || x < best {
			best = x
		}
	}
	return cands, best
}

// isNearest reports whether no other date is nearer to word i than date d.
func (sd *sentenceDates) isNearest(i, d int) bool {
	_, best := sd.nearest(i)
	return sd.dist(i, d) <= best
}

// event returns the event word within eventWindow words of date d that is
// nearest to it and nearer to it than to any other date of the sentence,
// as its lexicon event, or "". Only the words within the window are read.
func (sd *sentenceDates) event(d int) string {
	ds := sd.dates[d]
	event, best := "", eventWindow+1
	try := func(i int) {
		ev, ok := lex().events[strings.ToLower(sd.ws[i].text)]
		if !ok {
			return
		}
		if dist := sd.dist(i, d); dist >= 0 && dist < best && sd.isNearest(i, d) {
			event, best = ev, dist
		}
	}
	for i := max(0, ds.ms-1-eventWindow); i < ds.ms; i++ {
		try(i)
	}
	for i := ds.me; i < min(len(sd.ws), ds.me+eventWindow+1); i++ {
		try(i)
	}
	return event
}

// conflictWithin reports whether two of n facts, in different articles,
// give different values in articles published within days of each other
// (both dated). fact returns a fact's article and value. The facts are
// swept in order of publication with a window of days, so the check is
// linear after the sort, not a comparison of every pair: a window holding
// two values and two articles always holds such a pair.
func (c *collation) conflictWithin(n int, fact func(int) (int, string), days int) bool {
	var idx []int
	for i := range n {
		if art, _ := fact(i); c.day[art] >= 0 {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		ax, _ := fact(x)
		ay, _ := fact(y)
		return cmp.Compare(c.day[ax], c.day[ay])
	})
	values, arts := map[string]int{}, map[int]int{}
	j := 0
	for i := range idx {
		for j < len(idx) {
			art, v := fact(idx[j])
			a0, _ := fact(idx[i])
			if c.day[art]-c.day[a0] > days {
				break
			}
			values[v]++
			arts[art]++
			j++
		}
		if len(values) >= 2 && len(arts) >= 2 {
			return true
		}
		art, v := fact(idx[i])
		if values[v]--; values[v] == 0 {
			delete(values, v)
		}
		if arts[art]--; arts[art] == 0 {
			delete(arts, art)
		}
	}
	return false
}

func isDay(v string) bool {
	_, err := time.Parse("2006-01-02", v)
	return err == nil
}

func isCapital(s string) bool {
	for _, r := range s {
		return unicode.IsUpper(r)
	}
	return false
}

// isCalendarWord reports whether s is the name of a month or a weekday
// ("May", "friday"), not an abbreviation.
func isCalendarWord(s string) bool {
	if m, ok := lexicon.Month(s); ok {
		return strings.EqualFold(s, lexicon.MonthName(m))
	}
	_, ok := lexicon.Weekday(s)
	return ok
}

// figureFact is one PERCENT mention with its comparable slot.
type figureFact struct {
	key, subject, period string
	value                float64
	ref                  mentionRef
}

// subjectKey normalises what a figure measures: lower-case content words,
// crudely lemmatised, sorted ("tariffs on imported steel" and "steel import
// tariffs" meet).
func subjectKey(s string) string {
	var words []string
	// "U.S." and "U.K." are one word each.
	s = abbrevDots.ReplaceAllStringFunc(s, func(a string) string { return strings.ReplaceAll(a, ".", "") })
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
		w = strings.Trim(w, "-")
		if w == "" || lex().stop[w] {
			continue
		}
		words = appendUnique(words, lemma(w))
	}
	// A tariff is on imports: "tariffs on imported steel" and "U.S. tariffs
	// on steel" measure the same thing.
	if slices.ContainsFunc(words, func(w string) bool { return w == "tariff" || w == "duty" || w == "levy" || w == "levie" }) {
		words = slices.DeleteFunc(words, func(w string) bool { return w == "import" })
	}
	slices.Sort(words)
	return strings.Join(words, " ")
}

// abbrevDots matches dotted abbreviations such as "U.S." and "U.K.".
var abbrevDots = regexp.MustCompile(`\b(?:[A-Za-z]\.){2,}`)

// spellings maps regional spellings of commodity words to one form.
var spellings = map[string]string{"aluminium": "aluminum", "sulphur": "sulfur", "tyre": "tire", "jewellery": "jewelry"}

func lemma(w string) string {
	if s, ok := spellings[w]; ok {
		return s
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ed") && len(w) > 5:
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && len(w) > 3:
		return w[:len(w)-1]
	}
	return w
}

// figureConflicts reports one measure given different values: PERCENT
// mentions with the same subject key, period (the month of a date in the
// sentence), unit and kind (level, rise, fall) in different articles. The
// old value of "from 25% to 50%" is not compared: it is history, not a
// claim about now (figureChanges reports the change, as context). Without a period in the sentence, the articles must be
// published within 14 days of each other.
func (c *collation) figureConflicts() []trawl.Discrepancy {
	byKey := map[string][]figureFact{}
	for ai, a := range c.arts {
		sents := map[int]*sentenceFigures{} // by sentence start: each sentence is read once
		for mi, cm := range a.Mentions {
			if cm.Type != Percent || c.strs.Extra(cm).Subject == 0 {
				continue
			}
			m := c.strs.expand(cm)
			if m.Start < 0 || m.End > len(a.Text) {
				continue
			}
			v, err := strconv.ParseFloat(m.Value, 64)
			if err != nil {
				continue
			}
			s, e := c.sentence(ai, m.Start)
			sf := sents[s]
			if sf == nil {
				sf = c.sentenceFigures(ai, s, e)
				sents[s] = sf
			}
			if last, ok := sf.lastFrom[v]; ok && last > m.Start {
				continue // the old value of a change later in the sentence
			}
			sk := subjectKey(m.Subject)
			if sk == "" {
				continue
			}
			period := sf.period
			kind := "level"
			if m.From == "" && (m.Change == "rise" || m.Change == "fall") {
				kind = m.Change
			}
			unit := m.Unit
			if unit == "" {
				unit = "percent"
			}
			k := sk + "|" + period + "|" + kind + "|" + unit
			byKey[k] = append(byKey[k], figureFact{k, m.Subject, period, v, ref(ai, mi)})
		}
	}
	keys := slices.Sorted(maps.Keys(byKey))
	var out []trawl.Discrepancy
	for _, k := range keys {
		fs := byKey[k]
		fact := func(i int) (int, string) { return int(fs[i].ref.art), formatNumber(fs[i].value) }
		if fs[0].period != "" {
			// The sentence dates the figure: two values in two articles
			// always hold a pair of different values in different articles.
			values, arts := map[float64]bool{}, map[int]bool{}
			for _, f := range fs {
				values[f.value], arts[int(f.ref.art)] = true, true
			}
			if len(values) < 2 || len(arts) < 2 {
				continue
			}
		} else if !c.conflictWithin(len(fs), fact, 14) {
			continue
		}
		byValue := map[float64]*roleGroup{}
		var groups []*roleGroup
		subjects := map[string]int{}
		for _, f := range fs {
			g := byValue[f.value]
			if g == nil {
				g = &roleGroup{display: map[string]int{}}
				byValue[f.value] = g
				groups = append(groups, g)
			}
			g.display[strconv.FormatFloat(f.value, 'f', -1, 64)+"%"]++
			g.refs = append(g.refs, f.ref)
			subjects[f.subject]++
		}
		vs, parts := c.versionsOf(groups)
		subject := mostCommon(subjects)
		id := "figure:" + slug(strings.SplitN(k, "|", 2)[0])
		if fs[0].period != "" {
			id += ":" + fs[0].period
			subject += " (" + fs[0].period + ")"
		}
		conf := .6
		if fs[0].period != "" {
			conf += .15
		}
		if vs[0].Status == trawl.Preferred {
			conf += .1
		}
		out = append(out, trawl.Discrepancy{
			ID: id, Kind: trawl.FigureConflict, Subject: subject,
			Summary:    fmt.Sprintf("%s is given as %s", capitalise(subject), joinAnd(parts)),
			Confidence: conf, Versions: vs,
		})
	}
	return out
}

func capitalise(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

// sentenceFigures is what the figure finder needs of one sentence, read
// once: the last start of a change whose old value is each number, and the
// sentence's period (the month of its first dated DATE mention).
type sentenceFigures struct {
	lastFrom map[float64]int
	period   string
}

func (c *collation) sentenceFigures(ai, s, e int) *sentenceFigures {
	a := c.arts[ai]
	sf := &sentenceFigures{lastFrom: map[float64]int{}}
	lo, hi := c.mentionsIn(ai, s, e)
	for _, co := range a.Mentions[lo:hi] {
		o := c.strs.expand(co)
		switch {
		case o.Type == trawl.Percent && o.From != "" && o.Start < e:
			if f, err := strconv.ParseFloat(o.From, 64); err == nil {
				sf.lastFrom[f] = max(sf.lastFrom[f], o.Start)
			}
		case o.Type == trawl.Date && sf.period == "" && o.Start >= s && o.End <= e && len(o.Value) >= 7 && o.Value[4] == '-' && o.Value[5] != 'W' && o.Value[5] != 'Q':
			sf.period = o.Value[:7]
		}
	}
	return sf
}

func sameNumber(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && x == y
}

// rank scores each discrepancy by kind, confidence, the number of articles
// involved and how recent they are, and sorts the most important first;
// name forms come after the conflicts and figure changes last (rankGroup).
func (c *collation) rank(ds []trawl.Discrepancy) {
	latest := ""
	for _, a := range c.arts {
		if a.Published > latest {
			latest = a.Published
		}
	}
	for i := range ds {
		d := &ds[i]
		arts := map[string]bool{}
		newest := ""
		for _, v := range d.Versions {
			for _, e := range v.Evidence {
				arts[e.Article] = true
				if e.Published > newest {
					newest = e.Published
				}
			}
		}
		recency := .5
		if age, ok := days(latest, newest); ok {
			recency = 1 / (1 + float64(age)/30)
		}
		d.Confidence = round(min(max(d.Confidence, 0), 1), 2)
		d.Score = round(d.Confidence*kindWeight[d.Kind]*(1+math.Log(float64(len(arts))))*recency, 3)
	}
	slices.SortStableFunc(ds, func(a, b trawl.Discrepancy) int {
		if x := cmp.Compare(rankGroup(a.Kind), rankGroup(b.Kind)); x != 0 {
			return x
		}
		if x := cmp.Compare(b.Score, a.Score); x != 0 {
			return x
		}
		return cmp.Compare(a.ID, b.ID)
	})
	// IDs stay unique even if two slots share one.
	seen := map[string]int{}
	for i := range ds {
		seen[ds[i].ID]++
		if n := seen[ds[i].ID]; n > 1 {
			ds[i].ID = fmt.Sprintf("%s-%d", ds[i].ID, n)
		}
	}
}

// rankGroup orders the kinds of discrepancy in three bands: conflicts
// first (a spelling, a role, a date, a figure), then name forms, which say
// that one person goes by two forms of a name and contradict nothing, then
// figure changes, which are context.
func rankGroup(k trawl.DiscrepancyKind) int {
	switch k {
	case trawl.NameForm:
		return 1
	case trawl.FigureChange:
		return 2
	}
	return 0
}

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}
