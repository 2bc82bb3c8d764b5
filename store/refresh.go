package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
	"golang.org/x/sync/errgroup"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/corpus"
	"github.com/trawlnews/trawl/dedup"
	"github.com/trawlnews/trawl/index"
	"github.com/trawlnews/trawl/internal/text"
	"github.com/trawlnews/trawl/reconcile"
)

// MarkDirty records that the index may lag the database; the ingest calls
// it before its first write of a run, Refresh before it touches the index. The first time a
// Store is written, a dirty flag left by an earlier process means that run
// died between writing the database and flushing the index: every recorded
// digest is blanked (ids kept, so deleted articles still leave the index) and
// the next refresh rewrites every document; bleve upserts make that safe. A
// missing index forgets the digests altogether.
func (s *Store) MarkDirty() error {
	if s.readOnly {
		return errReadOnly
	}
	if err := index.Check(s.IndexPath()); errors.Is(err, index.ErrIncompatible) {
		// Built by another version of trawl (another mapping or layout):
		// removed here, and rebuilt from the database by the refresh.
		if err := os.RemoveAll(s.IndexPath()); err != nil {
			return fmt.Errorf("store: remove the outdated index: %w", err)
		}
	}
	_, statErr := os.Stat(s.IndexPath())
	check := !s.dirtyChecked
	s.dirtyChecked = true
	return s.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		switch {
		case statErr != nil:
			if err := tx.DeleteBucket(bucketIndexed); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
				return err
			}
			if _, err := tx.CreateBucket(bucketIndexed); err != nil {
				return err
			}
		case check && meta.Get(keyDirty) != nil:
			idx := tx.Bucket(bucketIndexed)
			var keys [][]byte
			idx.ForEach(func(k, _ []byte) error { keys = append(keys, slices.Clone(k)); return nil })
			for _, k := range keys {
				if err := idx.Put(k, []byte{}); err != nil {
					return err
				}
			}
		}
		return meta.Put(keyDirty, []byte(time.Now().UTC().Format(time.RFC3339)))
	})
}

// Counts are the totals of a reconciliation and of the indexing after it.
type Counts struct {
	Articles      int // articles in the store
	Entities      int // people
	Discrepancies int // discrepancies, not counting figure changes
	Changes       int // figure changes ("from 25% to 50%"), reported as context
	Indexed       int // documents (re)written to the index by this refresh
	Signed        int // articles whose near-duplicate signature this refresh computed
	Thinned       int // articles whose thin form this refresh made (see bucketThin)
	Copies        int // groups of near-duplicate articles
	Undated       int // articles without a publication date
}

// Clean reports whether the last run left the store consistent: no dirty
// flag (so the index holds what the database says), an index on disk with
// the people recorded in it, the results of a reconciliation, and the
// decisions file it applied unchanged since (a hand edit of decisions.json
// is applied by the next ingest). A clean store whose files are unchanged
// needs no Refresh.
func (s *Store) Clean() (bool, error) {
	if err := index.Check(s.IndexPath()); err != nil {
		return false, nil
	}
	decisions := s.decisionsHash()
	ok := false
	err := s.view(func(tx *bolt.Tx) error {
		r := tx.Bucket(bucketResults)
		meta := tx.Bucket(bucketMeta)
		ok = meta.Get(keyDirty) == nil && r.Get(keyEntities) != nil && r.Get(keyDiscrepancies) != nil &&
			string(meta.Get(keyDecisionsHash)) == decisions && meta.Get(keyIndexPeople) != nil
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: read state: %w", err)
	}
	return ok, nil
}

// decisionsHash is the SHA-256 of decisions.json, "none" when there is
// none, or "" when it cannot be read (which never matches a stored hash).
func (s *Store) decisionsHash() string {
	b, err := os.ReadFile(s.DecisionsPath())
	if errors.Is(err, os.ErrNotExist) {
		return "none"
	}
	if err != nil {
		return ""
	}
	return corpus.Hash(b)
}

// resultCounts are the totals of the last refresh, kept so that a
// re-ingest that changed nothing can report them without reading the
// results.
type resultCounts struct {
	Articles      int `json:"articles"`
	Entities      int `json:"entities"`
	Discrepancies int `json:"discrepancies"`
	Changes       int `json:"changes"`
	Copies        int `json:"copies,omitempty"`
	Undated       int `json:"undated,omitempty"`
}

// LastCounts returns the totals of the last reconciliation (Indexed is 0),
// for a run that changed nothing. clearDirty says the run set the dirty
// flag (it renewed file records): the flag is cleared in the same
// transaction.
func (s *Store) LastCounts(clearDirty bool) (Counts, error) {
	var st Counts
	txn := s.view
	if clearDirty {
		txn = s.update
	}
	err := txn(func(tx *bolt.Tx) error {
		r := tx.Bucket(bucketResults)
		var n resultCounts
		if v := r.Get(keyCounts); v != nil && json.Unmarshal(v, &n) == nil {
			st.Articles, st.Entities, st.Discrepancies, st.Changes = n.Articles, n.Entities, n.Discrepancies, n.Changes
			st.Copies, st.Undated = n.Copies, n.Undated
			return clearDirtyTx(tx)
		}
		st.Articles = tx.Bucket(bucketArticles).Stats().KeyN
		// A store from before the counts were kept: count the results.
		var ents []json.RawMessage
		if err := json.Unmarshal(r.Get(keyEntities), &ents); err != nil {
			return fmt.Errorf("read entities: %w", err)
		}
		var discs []struct {
			Kind trawl.DiscrepancyKind `json:"kind"`
		}
		if err := json.Unmarshal(r.Get(keyDiscrepancies), &discs); err != nil {
			return fmt.Errorf("read discrepancies: %w", err)
		}
		st.Entities = len(ents)
		for _, d := range discs {
			if d.Kind == trawl.FigureChange {
				st.Changes++
			} else {
				st.Discrepancies++
			}
		}
		return clearDirtyTx(tx)
	})
	if err != nil {
		return st, fmt.Errorf("store: %w", err)
	}
	return st, nil
}

// clearDirtyTx deletes the dirty flag in a write transaction; in a read-only
// one (nothing was written, so the flag was never set) it does nothing.
func clearDirtyTx(tx *bolt.Tx) error {
	if !tx.Writable() {
		return nil
	}
	return tx.Bucket(bucketMeta).Delete(keyDirty)
}

// Refresh reconciles every stored article with the user's decisions, stores
// the entities and discrepancies, and brings the index up to date by
// writing only the documents whose indexed form changed, and the people
// (for name search). The ingest calls it after a run that changed files;
// Decide after a decision; a tool may call it to redo both.
//
// It reads the articles twice so that memory stays bounded by the number of
// mentions rather than the size of the corpus: reconciliation gets each
// article thinned to its PERSON, DATE and PERCENT mentions and the sentences
// that hold them (see thinArticle); the index is then fed one batch of full
// articles at a time. The order of the writes is what keeps a crash safe:
// results and entity ids are committed, then the index is written and
// closed, and only then are the digests recorded and the dirty flag cleared.
func (s *Store) Refresh(ctx context.Context) (Counts, error) {
	var st Counts
	if err := s.MarkDirty(); err != nil {
		return st, err
	}
	decisionsHash := s.decisionsHash()
	d, err := s.Decisions()
	if err != nil {
		return st, err
	}
	rec, enc, err := s.reconcileThin(ctx, d, &st)
	if err != nil {
		return st, err
	}
	// The index phase starts here, with the entity ids it reads back: it
	// is reported before they and the results are written, so that the
	// heap reconciliation leaves behind, most of the process's resident
	// memory then, is given back first (the ingest command's releaseHeap)
	// rather than under the results' transactions.
	s.report(trawl.PhaseIndex, 0, st.Articles)
	dels, err := s.recordResults(enc, rec.assigned.pairs(), st)
	if err != nil {
		return st, err
	}
	// The index phase reads the entity ids back from the assign bucket
	// recordResults wrote (buildChanged): a map of one entry per article
	// held through the whole phase was some 100 MB of a 50x ingest's heap.
	rec.assigned = assignments{}
	done, compactErr, err := s.updateIndex(ctx, rec, dels, &st.Indexed)
	if err != nil {
		return st, err
	}
	if err := s.finish(done, dels, decisionsHash); err != nil {
		return st, err
	}
	// A compaction cut short (or failed) leaves an index that holds every
	// document: what was written is recorded, and then the refresh reports
	// the error.
	return st, compactErr
}

// reconciled is what the reconciliation of pass 1 hands on to the index.
type reconciled struct {
	copies   map[string]string // the copy group of each article that has one
	entities []trawl.Entity    // the people, for name search
	names    map[string]string // the canonical name of each entity id
	assigned assignments       // each article's PERSON entity ids (see personEntities); empty once recorded
}

// assignments are the entity ids of each article's PERSON mentions (as
// personEntities encodes them), in ascending order of article id, packed
// one after another in one buffer like written: a map of one entry and two
// allocations per article was a fifth of the live heap at the end of
// reconciliation. The buffer holds no pointers, so the collector does not
// scan it.
type assignments struct {
	buf  []byte // id, ids, id, ids, ...
	ends []int  // where each id and each ids end in buf
}

// assignmentsOf is the entity ids of each article of thin, which is in id
// order, in buffers sized before they are filled: grown by doubling, they
// cost 0.53-0.87 s of samples at 50x, most of it the collector's assists
// while the largest heap of the refresh was live. The size counts each PERSON
// mention's id with its quotes and comma; an id that JSON escapes makes the
// buffer grow once.
func assignmentsOf(thin []reconcile.Article, strs *reconcile.Strings) assignments {
	size := 0
	for i := range thin {
		size += len(thin[i].ID) + len("[]")
		for _, m := range thin[i].Mentions {
			if m.Type == reconcile.Person {
				size += len(strs.String(m.Entity)) + len(`"",`)
			}
		}
	}
	as := assignments{buf: make([]byte, 0, size), ends: make([]int, 0, 2*len(thin))}
	for i := range thin {
		as.add(thin[i].ID, personEntities(thin[i], strs))
	}
	return as
}

// add appends the ids of article id, which must sort after every id added.
func (as *assignments) add(id string, ids []byte) {
	as.buf = append(as.buf, id...)
	as.ends = append(as.ends, len(as.buf))
	as.buf = append(as.buf, ids...)
	as.ends = append(as.ends, len(as.buf))
}

// len is the number of articles added.
func (as *assignments) len() int { return len(as.ends) / 2 }

// at returns the id of the i-th article added and its ids; they share the
// buffer and must not be changed.
func (as *assignments) at(i int) (id, ids []byte) {
	start := 0
	if i > 0 {
		start = as.ends[2*i-1]
	}
	mid, end := as.ends[2*i], as.ends[2*i+1]
	return as.buf[start:mid:mid], as.buf[mid:end:end]
}

// pairs gives each article's id and ids, in the order they were added
// (id order), for recordResults.
func (as *assignments) pairs() iter.Seq2[string, []byte] {
	return func(yield func(string, []byte) bool) {
		for i := range as.len() {
			id, ids := as.at(i)
			if !yield(string(id), ids) {
				return
			}
		}
	}
}

// encodedResults are the entities and discrepancies of a reconciliation,
// encoded for the results bucket.
type encodedResults struct {
	entities, discrepancies, copies []byte
}

// written are the records finish writes to the indexed bucket, those of
// the documents the index now holds and those of documents unchanged but
// built from a new inputs key (see digestLen), packed one after another in
// one buffer: a refresh into a new store holds one for every article until
// the index is closed (see finish), and a pair of strings each, cut from
// the decoded article, kept every article's decoded mentions alive through
// the index phase (about 1.4 KB an article, 290 MB at 50x). The buffer
// holds no pointers, so the collector does not scan it.
type written struct {
	buf  []byte // id, record, id, record, ...
	ends []int  // where each id and each record ends in buf
}

// add appends the document of article id and its digest.
func (w *written) add(id, digest string) {
	w.buf = append(w.buf, id...)
	w.ends = append(w.ends, len(w.buf))
	w.buf = append(w.buf, digest...)
	w.ends = append(w.ends, len(w.buf))
}

// len is the number of documents added.
func (w *written) len() int { return len(w.ends) / 2 }

// at returns the id and the digest of the i-th document added; they share
// the buffer, which add may reallocate, and must not be changed.
func (w *written) at(i int) (id, digest []byte) {
	start := 0
	if i > 0 {
		start = w.ends[2*i-1]
	}
	mid, end := w.ends[2*i], w.ends[2*i+1]
	return w.buf[start:mid:mid], w.buf[mid:end:end]
}

// loadSignatures checks the near-duplicate signature of every stored
// article, signing the new and changed ones and finding those of articles
// no longer stored, stopping when ctx is done; it decodes of each article
// only its id, hash and text, and holds only the signatures it made:
// saveSignatures stores them, and copyGroups reads them all from the store.
// In the same pass it checks the articles' thin forms (thinCheck), for
// makeThinForms.
func (s *Store) loadSignatures(ctx context.Context) (*signatures, *thinCheck, error) {
	var (
		sigs *signatures
		tc   *thinCheck
	)
	err := s.view(func(tx *bolt.Tx) error {
		mapped := s.mappedReads()
		sigs, tc = newSignatures(tx, mapped), newThinCheck(tx, mapped)
		err := tx.Bucket(bucketArticles).ForEach(func(k, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			mapped.read(len(v))
			id, hash, text, err := signingFields(v)
			if err != nil {
				return fmt.Errorf("store: article %q: %w", k, err)
			}
			tc.add(k, hash)
			return sigs.add(k, id, hash, text)
		})
		if err == nil {
			sigs.done()
			tc.done()
		}
		return err
	})
	releaseMapped(s.dir)
	return sigs, tc, err
}

// loadThinArticles reads the thin form of every stored article (see
// bucketThin; makeThinForms has made those missing), stopping when ctx is
// done, so that pass 1 holds mentions rather than whole articles. The
// segments that map a thin text back to the full one are not kept: only
// the few articles a discrepancy quotes need them, and placeEvidence thins
// those again. Nor is the thin text of an article with a DATE or PERCENT
// mention (most of the thin text): the grouping of people does not read
// it, and thinTexts reads it again for the discrepancy finders
// (reconcile.Options.Texts).
func (s *Store) loadThinArticles(ctx context.Context, strs *reconcile.Strings) ([]reconcile.Article, error) {
	var thin []reconcile.Article
	total := 0
	// Forms made again, in key order (ForEach's), stored after the pass.
	var remadeIDs []string
	var remade [][]byte
	err := s.view(func(tx *bolt.Tx) error {
		total = s.articleCount(tx)
		thin = make([]reconcile.Article, 0, total)
		s.report(trawl.PhaseReconcile, 0, total)
		mapped := s.mappedReads()
		arts := tx.Bucket(bucketArticles)
		return tx.Bucket(bucketThin).ForEach(func(k, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			mapped.read(len(v))
			var ta reconcile.Article
			text, err := decodeThinForm(k, v, strs, &ta)
			if err != nil {
				// A damaged form is made again from its article, and
				// stored after this pass.
				var form []byte
				if ta, form, err = remakeThinForm(arts, string(k), strs); err != nil {
					return err
				}
				remadeIDs, remade = append(remadeIDs, string(k)), append(remade, form)
				text = []byte(ta.Text)
			}
			if slices.ContainsFunc(ta.Mentions, func(m reconcile.Mention) bool { return m.Type != reconcile.Person }) {
				// The sentences of dates and figures are read by the
				// finders only: thinTexts reads them again for those.
				ta.Text, ta.TextLater = "", true
			} else {
				ta.Text = string(text)
			}
			thin = append(thin, ta)
			s.report(trawl.PhaseReconcile, len(thin), total)
			return nil
		})
	})
	releaseMapped(s.dir)
	if err == nil && len(thin) != total {
		return nil, fmt.Errorf("store: %d thin forms for %d articles", len(thin), total)
	}
	if err == nil {
		err = s.writeThinForms(remadeIDs, remade)
	}
	return thin, err
}

// decodeThinForm decodes into ta the thin form v of the article stored
// under key, and returns its text, a slice of v.
func decodeThinForm(key, v []byte, strs *reconcile.Strings, ta *reconcile.Article) ([]byte, error) {
	_, _, form, ok := splitThinForm(v)
	if !ok {
		return nil, reconcile.ErrWire
	}
	return strs.DecodeArticle(string(key), form, ta)
}

// remakeThinForm thins the article id as it is stored in arts, in a
// refresh whose strings are strs, and returns it and its thin form, for an
// article whose stored form cannot be read.
func remakeThinForm(arts *bolt.Bucket, id string, strs *reconcile.Strings) (reconcile.Article, []byte, error) {
	v := arts.Get([]byte(id))
	if v == nil {
		return reconcile.Article{}, nil, fmt.Errorf("store: thin form of article %q, which is not stored", id)
	}
	return thinStored(id, v, strs)
}

// thinTexts sets the thin text of arts, articles loadThinArticles left
// without it (TextLater), in ID order, reading it again from their thin
// forms, stopping when ctx is done: reconciliation calls it once the
// people are grouped.
func (s *Store) thinTexts(ctx context.Context, arts []*reconcile.Article) error {
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketThin).Cursor()
		mapped := s.mappedReads()
		for _, a := range arts {
			if err := ctx.Err(); err != nil {
				return err
			}
			k, v := c.Seek([]byte(a.ID))
			if string(k) != a.ID {
				return fmt.Errorf("store: article %q is no longer stored", a.ID)
			}
			mapped.read(len(v))
			// loadThinArticles decoded this form, or made it again and
			// stored it, in this refresh.
			_, _, form, ok := splitThinForm(v)
			if !ok {
				return fmt.Errorf("store: thin form of article %q: %w", a.ID, reconcile.ErrWire)
			}
			text, n, err := reconcile.ArticleText(form)
			if err != nil {
				return fmt.Errorf("store: thin form of article %q: %w", a.ID, err)
			}
			if n != len(a.Mentions) {
				return fmt.Errorf("store: article %q changed while it was reconciled", a.ID)
			}
			a.Text = text
		}
		return nil
	})
	releaseMapped(s.dir)
	return err
}

// reconcileThin is pass 1: it reconciles the thinned articles with the
// decisions d and sets the counts in st, releasing the thin articles and
// segments as soon as it is done with them so that only what the results
// bucket and the index need outlives it.
func (s *Store) reconcileThin(ctx context.Context, d *reconcile.Decisions, st *Counts) (reconciled, encodedResults, error) {
	sigs, tc, err := s.loadSignatures(ctx)
	if err != nil {
		return reconciled{}, encodedResults{}, err
	}
	if err := s.saveSignatures(sigs); err != nil {
		return reconciled{}, encodedResults{}, fmt.Errorf("store: write signatures: %w", err)
	}
	// Writing them reads the database through its map.
	releaseMapped(s.dir)
	st.Signed = len(sigs.fresh)
	sigs = nil
	groups, err := s.copyGroups(ctx)
	if err != nil {
		return reconciled{}, encodedResults{}, err
	}
	copies := dedup.Of(groups)
	st.Copies = len(groups)
	if err := s.makeThinForms(ctx, tc); err != nil {
		return reconciled{}, encodedResults{}, err
	}
	st.Thinned = len(tc.missing)
	tc = nil
	strs := reconcile.NewStrings()
	thin, err := s.loadThinArticles(ctx, strs)
	if err != nil {
		return reconciled{}, encodedResults{}, err
	}
	for i := range thin {
		thin[i].CopyGroup = copies[thin[i].ID]
		if thin[i].Published == "" {
			st.Undated++
		}
	}
	st.Articles = len(thin)
	texts := func(ctx context.Context, arts []*reconcile.Article) error { return s.thinTexts(ctx, arts) }
	res, err := reconcile.ReconcileArticles(ctx, thin, strs, reconcile.Options{Decisions: d, Texts: texts})
	if err != nil {
		return reconciled{}, encodedResults{}, err
	}
	if err := s.placeEvidence(res.Discrepancies); err != nil {
		return reconciled{}, encodedResults{}, err
	}
	found, changes := trawl.SplitChanges(res.Discrepancies)
	st.Entities, st.Discrepancies, st.Changes = len(res.Entities), len(found), len(changes)
	names := map[string]string{}
	for _, e := range res.Entities {
		names[e.ID] = e.Canonical
	}
	// The store reads its articles in key order, and so thin is in it;
	// ReconcileArticles sorted pointers to them, not the slice.
	if !slices.IsSortedFunc(thin, func(a, b reconcile.Article) int { return cmp.Compare(a.ID, b.ID) }) {
		slices.SortFunc(thin, func(a, b reconcile.Article) int { return cmp.Compare(a.ID, b.ID) })
	}
	assigned := assignmentsOf(thin, strs)
	thin = nil
	var enc encodedResults
	if enc.entities, err = encodeEntities(res.Entities); err != nil {
		return reconciled{}, encodedResults{}, err
	}
	if enc.discrepancies, err = json.Marshal(res.Discrepancies); err != nil {
		return reconciled{}, encodedResults{}, err
	}
	if enc.copies, err = encodeCopies(groups); err != nil {
		return reconciled{}, encodedResults{}, err
	}
	return reconciled{copies: copies, entities: res.Entities, names: names, assigned: assigned}, enc, nil
}

// encodeEntities returns json.Marshal(es), the largest result (54 MB at
// 50x), in a buffer of its exact size: json.Marshal builds it in a buffer
// grown by doubling, copies it out, and keeps the buffer for its next call,
// up to three times its size held at the end of reconciliation. It encodes
// the entities one at a time, twice: once to count the bytes.
func encodeEntities(es []trawl.Entity) ([]byte, error) {
	if es == nil {
		return []byte("null"), nil
	}
	var count byteCounter
	if err := encodeEach(&count, es); err != nil {
		return nil, err
	}
	buf := bytes.NewBuffer(make([]byte, 0, int(count)))
	if err := encodeEach(buf, es); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// encodeEach writes the JSON array of es to w as json.Marshal encodes it,
// an element at a time.
func encodeEach(w io.Writer, es []trawl.Entity) error {
	// An Encoder ends each value with a line break, which Marshal does
	// not write: the separator is written before the next value instead.
	lb := &lineBreakless{w: w}
	e := json.NewEncoder(lb)
	if _, err := io.WriteString(w, "["); err != nil {
		return err
	}
	for i := range es {
		if i > 0 {
			if _, err := io.WriteString(w, ","); err != nil {
				return err
			}
		}
		if err := e.Encode(&es[i]); err != nil {
			return fmt.Errorf("entity %s: %w", es[i].ID, err)
		}
	}
	_, err := io.WriteString(w, "]")
	return err
}

// lineBreakless writes to w what a json.Encoder writes to it, less the line
// break the Encoder ends each value with (an encoded value holds no other:
// its strings escape theirs).
type lineBreakless struct{ w io.Writer }

func (l *lineBreakless) Write(p []byte) (int, error) {
	if n := len(p); n > 0 && p[n-1] == '\n' {
		if _, err := l.w.Write(p[:n-1]); err != nil {
			return 0, err
		}
		return n, nil
	}
	return l.w.Write(p)
}

// byteCounter is an io.Writer that counts the bytes written to it.
type byteCounter int

func (c *byteCounter) Write(p []byte) (int, error) {
	*c += byteCounter(len(p))
	return len(p), nil
}

// placeEvidence moves the evidence of ds, found in thin articles, to the
// full texts of its articles (mapEvidence) and quotes the sentences of the
// names from them (quoteSentence): it reads each article the evidence
// cites once, and thins it again for the segments that map its offsets.
func (s *Store) placeEvidence(ds []trawl.Discrepancy) error {
	byArticle := map[string][]*trawl.Evidence{}
	for i := range ds {
		for j := range ds[i].Versions {
			for k := range ds[i].Versions[j].Evidence {
				ev := &ds[i].Versions[j].Evidence[k]
				byArticle[ev.Article] = append(byArticle[ev.Article], ev)
			}
		}
	}
	if len(byArticle) == 0 {
		return nil
	}
	scratch := reconcile.NewStrings()
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketArticles)
		for _, id := range slices.Sorted(maps.Keys(byArticle)) {
			v := b.Get([]byte(id))
			if v == nil {
				return fmt.Errorf("store: article %q, quoted by a discrepancy, is not stored", id)
			}
			var a trawl.Article
			if err := decodeArticle(v, &a); err != nil {
				return fmt.Errorf("store: article %q: %w", id, err)
			}
			_, segs := thinArticle(a, scratch)
			var sents []text.Span
			for _, ev := range byArticle[id] {
				if !mapOffsets(ev, segs) {
					continue
				}
				if sents == nil {
					sents = text.Sentences(a.Text)
				}
				quoteSentence(ev, a.Text, sents)
			}
		}
		return nil
	})
	releaseMapped(s.dir)
	return err
}

// recordResults commits the entity ids assigned to each article
// (recordAssignments, in transactions of assignChunk articles) and then the
// results and their counts st, before the index is touched, and returns the
// ids the index holds of articles no longer stored, for deleteGone. pairs
// gives every stored article's id and entity ids, in id order.
//
// The writes take several transactions, so that bbolt, which holds every
// page a transaction dirties until it commits, holds a chunk's: one
// transaction for the 207,800 entity-id records of a new 50x store was the
// reconciliation phase's largest moment. A crash between two of them is
// safe because the store is dirty all along (Refresh marks it before, and
// only finish clears it): the store answers with the results it had, which
// search and the web interface flag as possibly stale, Clean reports false,
// and the next ingest reconciles again and rewrites what differs.
func (s *Store) recordResults(enc encodedResults, pairs iter.Seq2[string, []byte], st Counts) ([]string, error) {
	if err := s.recordAssignments(pairs); err != nil {
		return nil, fmt.Errorf("store: write results: %w", err)
	}
	var dels []string
	err := s.update(func(tx *bolt.Tx) error {
		r := tx.Bucket(bucketResults)
		if err := r.Put(keyEntities, enc.entities); err != nil {
			return err
		}
		if err := r.Put(keyDiscrepancies, enc.discrepancies); err != nil {
			return err
		}
		if err := r.Put(keyCopies, enc.copies); err != nil {
			return err
		}
		counts, err := json.Marshal(resultCounts{st.Articles, st.Entities, st.Discrepancies, st.Changes, st.Copies, st.Undated})
		if err != nil {
			return err
		}
		if err := r.Put(keyCounts, counts); err != nil {
			return err
		}
		// The assign bucket now holds exactly the stored articles; both
		// are read in key order, side by side (a lookup of each indexed id
		// was 0.43 CPU-s of a 50x refresh).
		assign := tx.Bucket(bucketAssign).Cursor()
		at, av := assign.First()
		mapped := s.mappedReads()
		return tx.Bucket(bucketIndexed).ForEach(func(k, v []byte) error {
			mapped.read(len(k) + len(v))
			for at != nil && bytes.Compare(at, k) < 0 {
				mapped.read(len(at) + len(av))
				at, av = assign.Next()
			}
			if at == nil || !bytes.Equal(at, k) {
				dels = append(dels, string(k))
			}
			return nil
		})
	})
	releaseMapped(s.dir)
	if err != nil {
		return nil, fmt.Errorf("store: write results: %w", err)
	}
	return dels, nil
}

// assignChunk is how many articles' entity ids recordAssignments writes in
// one transaction: a few MB of bbolt's pages and nodes.
var assignChunk = 10_000

// assignChunkDone, when set (by tests), is called after each transaction
// of recordAssignments but the last, with the number of articles written
// so far; an error it returns stops the refresh there, as a crash would.
var assignChunkDone func(n int) error

// recordAssignments brings the assign bucket in line with pairs (article
// id, entity ids, in id order), writing only the articles whose entity ids
// changed and dropping those of articles no longer stored, so that a
// refresh that changed nothing rewrites nothing. It writes assignChunk
// articles a transaction: each deletes the stale keys between the last id
// of the one before (excluded) and its own last id (included), the last one
// every stale key after that. It reads the articles in key order, a page of
// the map at a time, and counts each read as a page (mappedReads).
func (s *Store) recordAssignments(pairs iter.Seq2[string, []byte]) error {
	type pair struct {
		id  string
		ids []byte
	}
	chunk := make([]pair, 0, assignChunk)
	var after []byte // the last id written by the transaction before, nil before the first
	written := 0
	mapped := s.mappedReads()
	write := func(last bool) error {
		err := s.update(func(tx *bolt.Tx) error {
			if tx.Bucket(bucketMeta).Get(keyDirty) == nil {
				return errors.New("the entity ids are written to a store not marked dirty")
			}
			assign := tx.Bucket(bucketAssign)
			for _, p := range chunk {
				mapped.read(os.Getpagesize())
				if !bytes.Equal(assign.Get([]byte(p.id)), p.ids) {
					if err := assign.Put([]byte(p.id), p.ids); err != nil {
						return err
					}
				}
			}
			// The stale keys of this chunk's range, found by walking it
			// beside the chunk (both in key order) and deleted after the
			// walk: a cursor is not to be moved past a deletion.
			var stale [][]byte
			c := assign.Cursor()
			k, v := c.First()
			if after != nil {
				k, v = c.Seek(after)
				if bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			i := 0
			for ; k != nil; k, v = c.Next() {
				mapped.read(len(k) + len(v))
				for i < len(chunk) && chunk[i].id < string(k) {
					i++
				}
				if i == len(chunk) && !last {
					break
				}
				if i == len(chunk) || chunk[i].id != string(k) {
					stale = append(stale, slices.Clone(k))
				}
			}
			for _, k := range stale {
				if err := assign.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		written += len(chunk)
		if len(chunk) > 0 {
			after = []byte(chunk[len(chunk)-1].id)
		}
		chunk = chunk[:0]
		if !last && assignChunkDone != nil {
			return assignChunkDone(written)
		}
		return nil
	}
	prev := ""
	for id, ids := range pairs {
		if len(chunk)+written > 0 && id <= prev {
			return fmt.Errorf("entity ids of article %q given after those of %q", id, prev)
		}
		prev = id
		if len(chunk) == assignChunk {
			if err := write(false); err != nil {
				return err
			}
		}
		chunk = append(chunk, pair{id, ids})
	}
	return write(true)
}

// articlesPerShard is how many articles a shard of a new index is for: a
// store of fewer articles gets one shard. Shards make indexing parallel, but
// bleve scores a word with the statistics of the shard it is in, so on a
// small corpus, where a shard's statistics are far from the whole's, the
// order of hits would change for the worse; past some ten thousand
// articles per shard the difference is a few percent of the score.
const articlesPerShard = 10_000

// newIndexShards is the number of shards a new index gets: Options.Shards
// when set, else one per articlesPerShard stored articles, at most
// index.DefaultShards (the number of cores) and at least one. An existing
// index keeps its own.
func (s *Store) newIndexShards() (int, error) {
	if s.shards > 0 {
		return s.shards, nil
	}
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		n = s.articleCount(tx)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: count articles: %w", err)
	}
	return max(1, min(index.DefaultShards(), n/articlesPerShard)), nil
}

// updateIndex is pass 2: it gives the index the people, writes the changed
// documents (indexChanged), deletes the gone ones (deleteGone), compacts
// the shards it wrote much of (index.CompactWritten) and closes the index,
// so that what it returns to record is flushed to disk; on any error before
// the compaction the index is closed and nothing is recorded. An error of
// the compaction alone (ctx cancelled during it) comes back as compactErr,
// with the documents to record.
func (s *Store) updateIndex(ctx context.Context, rec reconciled, dels []string, indexed *int) (done *written, compactErr, err error) {
	shards, err := s.newIndexShards()
	if err != nil {
		return nil, nil, err
	}
	ix, err := index.OpenShards(s.IndexPath(), shards)
	if err != nil {
		return nil, nil, err
	}
	if err := ix.SetPeople(rec.entities); err != nil {
		ix.Close()
		return nil, nil, err
	}
	rec.entities = nil
	// Opening the index and counting the articles read through the maps
	// of both: the pages go before pass 2 reads the articles again.
	releaseMapped(s.dir)
	// While documents are written, bleve's merges read segments through
	// their maps too (up to 460 MB resident at 50x), but the writes read
	// the same dictionary pages again and again, and releasing evicts them
	// from the page cache: the pages go only when the resident mapped
	// files pass writeMappedAbove.
	stopWrites := releasingMapped(s.dir, releaseInterval, writeMappedAbove)
	done, err = s.indexChanged(ctx, ix, rec, indexed)
	stopWrites()
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = deleteGone(ix, dels)
	}
	if err != nil {
		ix.Close()
		return nil, nil, err
	}
	// The compaction reads every segment of the shards it merges through
	// their maps without counting what it reads: those pages are released
	// on a clock (1.1 GB of them were resident at the end of a 50x ingest),
	// whatever their size. While documents are written they are released
	// only past writeMappedAbove: releasing evicts the pages from the page
	// cache (releaseMapped), and the writes read the same dictionary pages
	// again and again (an unconditional clock through the whole index
	// phase read 100 MB from disk at 1x, 2.5 CPU-s more).
	s.report(trawl.PhaseCompact, 0, ix.Shards())
	stop := releasingMapped(s.dir, releaseInterval, 0)
	compactErr = ix.CompactWritten(ctx)
	stop()
	s.report(trawl.PhaseCompact, ix.Shards(), ix.Shards())
	if err := ix.Close(); err != nil {
		return nil, nil, err
	}
	return done, compactErr, nil
}

// indexChanged streams the documents whose indexed form changed to ix one
// bounded batch at a time, adding their number to indexed, and returns them
// with their digests. One goroutine reads the articles and builds the
// changed documents, the other writes them to the index, so that both cores
// stay busy; at most two batches wait between them.
func (s *Store) indexChanged(ctx context.Context, ix *index.Index, rec reconciled, indexed *int) (*written, error) {
	var done *written
	batches := make(chan []index.Doc, 1)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return putBatches(ix, batches, indexed) })
	g.Go(func() error {
		defer close(batches)
		var err error
		done, err = s.buildChanged(gctx, batches, rec)
		return err
	})
	err := g.Wait()
	return done, err
}

// putBatches writes each batch to ix and adds its size to indexed; after a
// failed write it drains batches, so the reader is never blocked on a full
// channel.
func putBatches(ix *index.Index, batches <-chan []index.Doc, indexed *int) error {
	for b := range batches {
		if err := ix.Put(b); err != nil {
			for range batches {
			}
			return err
		}
		*indexed += len(b)
	}
	return nil
}

// buildChanged goes through the stored articles by their entity ids (the
// assign bucket, which recordResults left holding exactly the stored
// articles), gives them those ids and the copy groups of rec, and sends in
// batches of indexBatch the documents whose digest differs from the
// recorded one, so that only one batch is built while another is written;
// it returns them with their new records (digest and inputs key), and the
// records of the articles read whose documents came out the same but whose
// key was new. An article whose recorded inputs key is the one it has now
// is not read at all (see digestLen): a refresh after a few files were
// added reads those and the articles whose people changed.
func (s *Store) buildChanged(ctx context.Context, batches chan<- []index.Doc, rec reconciled) (*written, error) {
	done := &written{}
	batch := make([]index.Doc, 0, indexBatch)
	code := codeIdentity()
	var scratch []byte // inputsKey's
	err := s.view(func(tx *bolt.Tx) error {
		idx := tx.Bucket(bucketIndexed)
		arts := tx.Bucket(bucketArticles).Cursor()
		// Refresh reported the phase's start (0 of total).
		total, seen := s.articleCount(tx), 0
		mapped := s.mappedReads()
		return tx.Bucket(bucketAssign).ForEach(func(k, ids []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			seen++
			s.report(trawl.PhaseIndex, seen, total)
			old := idx.Get(k)
			mapped.read(len(k) + len(ids) + len(old))
			id := string(k)
			key := ""
			if code != nil {
				key = inputsKey(&scratch, code, ids, rec.copies[id], rec.names)
				if len(old) == 2*digestLen && string(old[digestLen:]) == key {
					return nil
				}
			}
			ak, v := arts.Seek(k)
			if !bytes.Equal(ak, k) {
				return fmt.Errorf("store: article %q has entity ids but is not stored", k)
			}
			mapped.read(len(v))
			if indexRead != nil {
				indexRead(id)
			}
			var a trawl.Article
			if err := decodeArticle(v, &a); err != nil {
				return fmt.Errorf("store: article %q: %w", k, err)
			}
			applyEntities(&a, ids)
			a.CopyGroup = rec.copies[a.ID]
			doc := index.DocOf(a, rec.names)
			digest, err := doc.Digest(a.Hash)
			if err != nil {
				return err
			}
			if len(old) >= digestLen && string(old[:digestLen]) == digest {
				if string(old[digestLen:]) != key {
					done.add(id, digest+key)
				}
				return nil
			}
			done.add(id, digest+key)
			batch = append(batch, doc)
			if len(batch) == indexBatch {
				select {
				case batches <- batch:
				case <-ctx.Done():
					return ctx.Err()
				}
				batch = make([]index.Doc, 0, indexBatch)
			}
			return nil
		})
	})
	if err == nil && len(batch) > 0 {
		select {
		case batches <- batch:
		case <-ctx.Done():
			return done, ctx.Err()
		}
	}
	return done, err
}

// indexRead, when set (by tests), is called with the id of each article
// buildChanged reads.
var indexRead func(id string)

// deleteGone removes from ix the documents of articles no longer stored.
func deleteGone(ix *index.Index, dels []string) error {
	if len(dels) == 0 {
		return nil
	}
	return ix.Delete(dels)
}

// finish records, now that the index is flushed, the record (digest and
// inputs key) of every document written or found unchanged under a new key
// (buildChanged), and the decisions applied, drops the deleted ids and
// clears the dirty flag, all in one transaction: a crash before it leaves
// the store dirty, so the next run rewrites the index.
func (s *Store) finish(done *written, dels []string, decisionsHash string) error {
	err := s.update(func(tx *bolt.Tx) error {
		idx := tx.Bucket(bucketIndexed)
		for i := range done.len() {
			if err := idx.Put(done.at(i)); err != nil {
				return err
			}
		}
		for _, id := range dels {
			if err := idx.Delete([]byte(id)); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if err := meta.Put(keyDecisionsHash, []byte(decisionsHash)); err != nil {
			return err
		}
		if err := meta.Put(keyIndexPeople, []byte("1")); err != nil {
			return err
		}
		return meta.Delete(keyDirty)
	})
	if err != nil {
		return fmt.Errorf("store: record index state: %w", err)
	}
	return nil
}

// releaseEvery is how many bytes of stored articles a pass of Refresh
// reads through bbolt's map between two releases of the mapped pages
// (releaseMapped), so that the pages of the database it has read do not add
// up to the size of the database in its resident memory. A variable only so
// that tests can lower it.
var releaseEvery = 32 << 20

// articleCount counts the stored articles by their entries in the owners
// bucket, which Commit and dropOwned write and delete with the articles.
// bbolt counts the keys of a bucket by visiting every leaf page, and those
// of the articles bucket are most of the database: counting them mapped the
// whole of it into the process's memory at the start of each pass (a peak
// of 300 MB more on a 10x store). A store without owners counts the articles
// and releases the pages after (releaseMapped).
func (s *Store) articleCount(tx *bolt.Tx) int {
	if owners := tx.Bucket(bucketOwners); owners != nil {
		return owners.Stats().KeyN
	}
	n := tx.Bucket(bucketArticles).Stats().KeyN
	releaseMapped(s.dir)
	return n
}

// releaseInterval is how often the mapped pages are released while the
// index is written and compacted (releasingMapped): a merge reads its segments at some
// hundreds of MB a second at most, so a quarter of a second lets well under
// 100 MB of them become resident.
const releaseInterval = 250 * time.Millisecond

// writeMappedAbove is how much of the mapped files may be resident while
// the index's documents are written before their pages are released
// (releasingMapped); a 10x ingest stays under it.
const writeMappedAbove = 160 << 20

// releasingMapped releases the mapped pages of the files under dir
// (releaseMapped) every interval, until the function it returns is called;
// that function releases them once more and returns when the releases have
// stopped. It is for work that reads mapped files without counting what it
// reads, such as the index's merges. With above > 0 a tick releases only
// when the process's resident mapped files (RssFile) exceed above bytes, so
// that pages read again and again stay mapped until the merges have
// mapped many more; where RssFile is unknown it never releases on a tick.
func releasingMapped(dir string, interval time.Duration, above int64) (stop func()) {
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				if above == 0 {
					releaseMapped(dir)
				} else if n, ok := residentFile(); ok && n > above {
					releaseMapped(dir)
				}
			case <-done:
				return
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
		releaseMapped(dir)
	}
}

// mappedReads counts the bytes a pass reads through bbolt's map.
type mappedReads struct {
	dir   string
	bytes int
	// above, when not 0, lets the mapped pages stay while the process's
	// resident mapped files (residentFile) are at most above bytes: for a
	// pass that reads the same pages several times (see groupMappedAbove).
	above int64
}

func (s *Store) mappedReads() *mappedReads { return &mappedReads{dir: s.dir} }

// read counts n bytes read, releasing the mapped pages every releaseEvery,
// or, when m.above is set, at the first of those moments when the resident
// mapped files exceed it (always where they are unknown).
func (m *mappedReads) read(n int) {
	m.bytes += n
	if m.bytes >= releaseEvery {
		m.bytes = 0
		if m.above > 0 {
			if r, ok := residentFile(); ok && r <= m.above {
				return
			}
		}
		releaseMapped(m.dir)
	}
}

// readScattered counts a read of n bytes out of key order. Such a read maps
// the pages around the one it faults in too (the kernel's fault-around,
// 64 kB): counted as 4 kB, the pages the signatures' comparisons of a 50x
// store mapped reached 280 MB between two releases; counted as 64 kB, the
// releases cost half again the grouping's CPU in faults. A quarter of it
// bounds them at 128 MB.
func (m *mappedReads) readScattered(n int) { m.read(max(faultAround/4, n)) }

// indexBatch is the number of documents handed to the index at once: it
// bounds the memory of pass 2 of refresh and is bleve's batch size.
const indexBatch = 500

// personEntities encodes the cross-article entity id of each PERSON mention
// of a reconciled article, in mention order.
func personEntities(a reconcile.Article, strs *reconcile.Strings) []byte {
	ids := []string{}
	for _, m := range a.Mentions {
		if m.Type == reconcile.Person {
			ids = append(ids, strs.String(m.Entity))
		}
	}
	b, _ := json.Marshal(ids)
	return b
}

// applyEntities replaces the document-local entity keys of a stored article's
// PERSON mentions with the cross-article ids recorded by the last refresh.
func applyEntities(a *trawl.Article, raw []byte) {
	var ids []string
	if json.Unmarshal(raw, &ids) != nil {
		return
	}
	i := 0
	for j := range a.Mentions {
		if a.Mentions[j].Type == trawl.Person && i < len(ids) {
			a.Mentions[j].Entity = ids[i]
			i++
		}
	}
}
