package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"runtime"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/sync/errgroup"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/reconcile"
)

// The thin forms of a store's articles: each article's thinArticle, in
// reconcile's serial form (reconcile.AppendArticle), kept in a bucket of
// its own so that a refresh decodes it instead of decoding the whole
// article and thinning it again, which was a third of an incremental
// ingest's CPU (10.4 of 31.2 CPU-s at 50x). The ingest's workers make the
// forms of the articles they extract (ThinForm, FileWrite.Thin), and Commit
// writes them with their articles; a refresh makes those that are missing
// or were made by other code or from other content (makeThinForms) before
// it reads them.
//
// A value is the build that made it (codeIdentity, a length byte and its
// bytes), the article's content hash (a uvarint length and its bytes) and
// the serial form. A form of another build is made again, since thinning
// is code (sentence splitting, what Mark reads); so is one whose hash is
// not the stored article's, which only a trawl that knows nothing of the
// bucket leaves behind (its Commit rewrites the article and not the form).
var bucketThin = []byte("thin") // article id -> build, content hash, thin article (reconcile.AppendArticle)

// thinChunk is how many articles makeThinForms thins and writes in one
// transaction: a new build's first refresh makes the form of every article,
// and bbolt holds the pages a transaction dirties until it commits.
const thinChunk = 5000

// ThinForm returns the value the thin bucket keeps for a, made by this
// build: what a refresh would otherwise make from the stored article.
// Ingest's workers call it for each article they extract (FileWrite.Thin).
func ThinForm(a *trawl.Article) []byte {
	_, form := thinFormOf(a, reconcile.NewStrings())
	return form
}

// thinFormOf returns a thinned (thinArticle), its strings in strs, and its
// thin form made by this build.
func thinFormOf(a *trawl.Article, strs *reconcile.Strings) (reconcile.Article, []byte) {
	ta, _ := thinArticle(*a, strs)
	return ta, appendThinForm(nil, codeIdentity(), a.Hash, &ta, strs)
}

// thinStored is thinFormOf for the article id stored as v.
func thinStored(id string, v []byte, strs *reconcile.Strings) (reconcile.Article, []byte, error) {
	var a trawl.Article
	if err := decodeArticle(v, &a); err != nil {
		return reconcile.Article{}, nil, fmt.Errorf("store: article %q: %w", id, err)
	}
	ta, form := thinFormOf(&a, strs)
	return ta, form, nil
}

func appendThinForm(b, code []byte, hash string, ta *reconcile.Article, strs *reconcile.Strings) []byte {
	b = append(b, byte(len(code)))
	b = append(b, code...)
	b = binary.AppendUvarint(b, uint64(len(hash)))
	b = append(b, hash...)
	return reconcile.AppendArticle(b, ta, strs)
}

// splitThinForm cuts a value of the thin bucket into the build that made
// it, the content hash it was made from and the serial form.
func splitThinForm(v []byte) (code, hash, form []byte, ok bool) {
	if len(v) == 0 || len(v) < 1+int(v[0]) {
		return nil, nil, nil, false
	}
	code, v = v[1:1+int(v[0])], v[1+int(v[0]):]
	n, w := binary.Uvarint(v)
	if w <= 0 || n > uint64(len(v)-w) {
		return nil, nil, nil, false
	}
	return code, v[w : w+int(n)], v[w+int(n):], true
}

// thinCheck finds, beside the articles read in key order, those whose
// thin form must be made (missing: none stored, or one of another build
// or content) and the forms of articles no longer stored (stale), reading
// the stored forms with a cursor in the same order. A build that cannot
// identify itself (codeIdentity nil) trusts no form, and makes them all.
type thinCheck struct {
	stored  *bolt.Cursor
	at      []byte
	atVal   []byte
	mapped  *mappedReads
	code    []byte
	missing []string
	stale   []string
}

func newThinCheck(tx *bolt.Tx, mapped *mappedReads) *thinCheck {
	tc := &thinCheck{stored: tx.Bucket(bucketThin).Cursor(), mapped: mapped, code: codeIdentity()}
	tc.at, tc.atVal = tc.stored.First()
	return tc
}

// add checks the form of the article stored under key, of content hash
// hash. Articles come in key order.
func (tc *thinCheck) add(key, hash []byte) {
	for tc.at != nil && bytes.Compare(tc.at, key) < 0 {
		tc.stale = append(tc.stale, string(tc.at))
		tc.next()
	}
	if tc.at != nil && bytes.Equal(tc.at, key) {
		code, h, _, ok := splitThinForm(tc.atVal)
		tc.next()
		if ok && len(tc.code) > 0 && bytes.Equal(code, tc.code) && bytes.Equal(h, hash) {
			return
		}
	}
	tc.missing = append(tc.missing, string(key))
}

func (tc *thinCheck) next() {
	tc.mapped.read(len(tc.at) + len(tc.atVal))
	tc.at, tc.atVal = tc.stored.Next()
}

// done records the stored forms past the last article as stale.
func (tc *thinCheck) done() {
	for tc.at != nil {
		tc.stale = append(tc.stale, string(tc.at))
		tc.next()
	}
}

// makeThinForms makes and stores the thin forms tc found missing, and
// drops those it found stale, stopping when ctx is done: thinChunk
// articles a transaction, thinned on every core. A refresh with neither
// writes nothing.
func (s *Store) makeThinForms(ctx context.Context, tc *thinCheck) error {
	if err := s.writeThinForms(tc.stale, make([][]byte, len(tc.stale))); err != nil {
		return err
	}
	if len(tc.missing) > 0 {
		s.report(trawl.PhaseReconcile, 0, len(tc.missing))
	}
	for done := 0; done < len(tc.missing); {
		ids := tc.missing[done:min(done+thinChunk, len(tc.missing))]
		forms := make([][]byte, len(ids))
		err := s.view(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketArticles)
			mapped := s.mappedReads()
			g, gctx := errgroup.WithContext(ctx)
			g.SetLimit(runtime.GOMAXPROCS(0))
			for i, id := range ids {
				v := b.Get([]byte(id))
				if v == nil {
					return fmt.Errorf("store: article %q is no longer stored", id)
				}
				mapped.read(len(v))
				g.Go(func() error {
					if err := gctx.Err(); err != nil {
						return err
					}
					var err error
					_, forms[i], err = thinStored(id, v, reconcile.NewStrings())
					return err
				})
			}
			return g.Wait()
		})
		releaseMapped(s.dir)
		if err != nil {
			return err
		}
		if err := s.writeThinForms(ids, forms); err != nil {
			return err
		}
		done += len(ids)
		s.report(trawl.PhaseReconcile, done, len(tc.missing))
	}
	return nil
}

// writeThinForms stores forms[i] as the thin form of article ids[i], or
// drops the stored one where forms[i] is nil (putThin), in one
// transaction; none when ids is empty.
func (s *Store) writeThinForms(ids []string, forms [][]byte) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketThin)
		for i, id := range ids {
			if err := putThin(b, id, forms[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: write thin forms: %w", err)
	}
	return nil
}
