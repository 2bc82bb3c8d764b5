// Package store keeps trawl's state in a directory: the articles and their
// mentions, the files they came from (for incremental ingest), the reconciled
// entities and discrepancies, the user's decisions and the search index.
//
// Layout of a store directory:
//
//	trawl.db        bbolt database: the source of truth (articles, files, results)
//	index.bleve/    bleve index, derived from trawl.db and rebuilt when stale
//	decisions.json  the user's entity decisions as indented JSON, written atomically
//	lock            pid of the process that holds the store for writing
//
// One process at a time may write a store; readers that find it busy get
// ErrBusy naming the writer instead of waiting.
package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/trawlnews/trawl"
	"github.com/trawlnews/trawl/index"
)

// Names of the files and buckets of a store.
const (
	dbFile   = "trawl.db"
	indexDir = "index.bleve"
	lockFile = "lock"

	schemaVersion = "1"
)

var (
	bucketMeta     = []byte("meta")     // schema, dirty flag, last summary
	bucketFiles    = []byte("files")    // file key -> fileRecord
	bucketArticles = []byte("articles") // article id -> trawl.Article (encodeArticle; JSON in older stores)
	bucketIndexed  = []byte("indexed")  // article id -> digest of the indexed Doc and the key of its inputs (digestLen)
	bucketResults  = []byte("results")  // "entities", "discrepancies" -> JSON
	bucketAssign   = []byte("assign")   // article id -> entity id of each PERSON mention
	bucketOwners   = []byte("owners")   // article id -> key of the file that holds it

	keySchema        = []byte("schema")
	keyDirty         = []byte("dirty")
	keyDecisionsHash = []byte("decisions-sha256") // of the decisions.json the last refresh applied
	keyEntities      = []byte("entities")
	keyDiscrepancies = []byte("discrepancies")
	keyCounts        = []byte("counts")       // resultCounts of the last reconciliation
	keyIndexPeople   = []byte("index-people") // set once a refresh has recorded the people in the index
)

// ErrBusy is returned when another process holds the store for writing.
var ErrBusy = errors.New("store is busy")

// Store is an open store directory.
type Store struct {
	dir      string
	db       *bolt.DB
	readOnly bool
	shards   int // Options.Shards
	// dirtyChecked is set once this Store has looked for a dirty flag left
	// by an earlier process.
	dirtyChecked bool
	// progress, when set, hears how far Refresh is (see OnProgress).
	progress func(phase trawl.Phase, done, total int)
	// recordReads counts what FileRecords reads through the database's map
	// from one call to the next (see FileRecords).
	recordReads struct {
		sync.Mutex
		mappedReads
	}
}

// OnProgress has Refresh call fn as it reads the stored articles, in the
// reconcile phase and then the index phase, with the number read so far
// and the total; nil stops the calls.
func (s *Store) OnProgress(fn func(phase trawl.Phase, done, total int)) { s.progress = fn }

// progressEvery is how many articles Refresh reads between two progress
// calls.
const progressEvery = 256

// report tells the progress callback, if any, how far a phase is: every
// progressEvery articles and at the end.
func (s *Store) report(phase trawl.Phase, done, total int) {
	if s.progress != nil && (done%progressEvery == 0 || done == total) {
		s.progress(phase, done, total)
	}
}

// Options tunes Open. The zero value opens read-write and creates the store
// when it is missing.
type Options struct {
	// ReadOnly opens the store for reading only; the store must exist.
	ReadOnly bool
	// Shards is the number of shards a new search index gets (0: one per
	// 10,000 articles, at most one per core; see newIndexShards). An
	// existing index keeps its own, so this only matters when the index is
	// first built or rebuilt.
	Shards int
}

// Exists reports whether dir holds a store (its database file), so that a
// command can refuse to work on a missing store without creating one.
func Exists(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, dbFile))
	return err == nil && fi.Mode().IsRegular()
}

// Open opens the store in dir. A store that another process is writing
// returns an error wrapping ErrBusy that names the process.
func Open(dir string, opts Options) (*Store, error) {
	dbPath := filepath.Join(dir, dbFile)
	if opts.ReadOnly {
		if _, err := os.Stat(dbPath); err != nil {
			return nil, fmt.Errorf("store: %s: no trawl store here (run trawl ingest first)", dir)
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: create %s: %w", dir, err)
	}
	if opts.ReadOnly {
		if who, waiting := writerWaiting(dir); waiting {
			return nil, fmt.Errorf("store: %s: %w: %s is waiting to write it; try again when it finishes", dir, ErrBusy, who)
		}
	}
	db, err := openBolt(dir, dbPath, &bolt.Options{Timeout: 200 * time.Millisecond, ReadOnly: opts.ReadOnly})
	if errors.Is(err, berrors.ErrTimeout) && !opts.ReadOnly && !writerHolds(dir, dbPath) {
		// Readers hold the store (a server answering requests opens it per
		// request, so one or another always has it open): ask new ones to
		// wait, and wait for those open to finish.
		db, err = waitForReaders(dir, dbPath)
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("store: %s: %w: other processes kept it open for reading (such as trawl serve) for %s; try again", dir, ErrBusy, writerWait)
		}
	}
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("store: %s: %w: %s", dir, ErrBusy, holder(dir))
	}
	if err != nil && (damagedOpen(err) || errors.Is(err, ErrDamaged)) {
		if errors.Is(err, ErrDamaged) {
			return nil, err
		}
		return nil, &damagedError{dir: dir, cause: err.Error()}
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dbPath, err)
	}
	if opts.Shards < 0 {
		db.Close()
		return nil, fmt.Errorf("store: %s: %d index shards", dir, opts.Shards)
	}
	s := &Store{dir: dir, db: db, readOnly: opts.ReadOnly, shards: opts.Shards}
	s.recordReads.dir = dir
	if opts.ReadOnly {
		// A damaged root page shows on the first look at the buckets.
		if err := s.view(func(tx *bolt.Tx) error { tx.Bucket(bucketMeta); return nil }); err != nil {
			db.Close()
			return nil, err
		}
	}
	if !opts.ReadOnly {
		if err := s.init(); err != nil {
			db.Close()
			return nil, err
		}
		// The lock file is informational: bbolt's flock is the real lock.
		_ = os.WriteFile(filepath.Join(dir, lockFile), []byte(whoAmI()), 0o644)
	}
	return s, nil
}

// holder describes the process that holds the store, from its lock file.
func holder(dir string) string {
	who := readWho(filepath.Join(dir, lockFile))
	if who == "" {
		return "another trawl process is writing it"
	}
	return who + " is writing it; try again when it finishes"
}

// allBuckets are the buckets every store has.
var allBuckets = [][]byte{bucketMeta, bucketFiles, bucketArticles, bucketIndexed, bucketResults, bucketAssign, bucketOwners, bucketSignatures, bucketThin}

// recordOwners fills the owners bucket of a store written before it
// existed from the files' records; of two files that claim an id, the
// first in key order is its owner. An id whose article is not stored gets
// no owner, so that the file that lists it is stale (see stale) and read
// again.
func recordOwners(tx *bolt.Tx) error {
	owners, arts := tx.Bucket(bucketOwners), tx.Bucket(bucketArticles)
	return tx.Bucket(bucketFiles).ForEach(func(k, v []byte) error {
		var rec FileRecord
		if decodeFileRecord(v, &rec) != nil {
			return nil
		}
		for _, id := range rec.IDs {
			if owners.Get([]byte(id)) == nil && arts.Get([]byte(id)) != nil {
				if err := owners.Put([]byte(id), k); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (s *Store) init() error {
	// An existing store of this schema needs no write (and so no fsync) to
	// be opened.
	ready := false
	if err := s.view(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if tx.Bucket(b) == nil {
				return nil
			}
		}
		v := tx.Bucket(bucketMeta).Get(keySchema)
		if v != nil && string(v) != schemaVersion {
			return fmt.Errorf("store: %s: schema version %s, this trawl reads %s", s.dir, v, schemaVersion)
		}
		ready = v != nil
		return nil
	}); err != nil || ready {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		fillOwners := tx.Bucket(bucketOwners) == nil
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("store: create bucket %s: %w", b, err)
			}
		}
		if fillOwners {
			if err := recordOwners(tx); err != nil {
				return fmt.Errorf("store: record article owners: %w", err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keySchema); v != nil && string(v) != schemaVersion {
			return fmt.Errorf("store: %s: schema version %s, this trawl reads %s", s.dir, v, schemaVersion)
		}
		return meta.Put(keySchema, []byte(schemaVersion))
	})
}

// Dir is the store's directory.
func (s *Store) Dir() string { return s.dir }

// ReadOnly reports whether the store was opened for reading only.
func (s *Store) ReadOnly() bool { return s.readOnly }

// DBPath is the path of the store's database, the source of truth; its size
// and modification time change with every write.
func (s *Store) DBPath() string { return filepath.Join(s.dir, dbFile) }

// IndexPath is the path of the store's search index.
func (s *Store) IndexPath() string { return filepath.Join(s.dir, indexDir) }

// DecisionsPath is the path of the user's decisions file.
func (s *Store) DecisionsPath() string { return filepath.Join(s.dir, decisionsFile) }

// Close releases the store.
func (s *Store) Close() error {
	if !s.readOnly {
		os.Remove(filepath.Join(s.dir, lockFile))
	}
	return s.db.Close()
}

// Article returns the stored article with the given id.
func (s *Store) Article(id string) (trawl.Article, bool, error) {
	var a trawl.Article
	found := false
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketArticles)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(id))
		if v == nil {
			return nil
		}
		found = true
		if err := decodeArticle(v, &a); err != nil {
			return err
		}
		if as := tx.Bucket(bucketAssign); as != nil {
			applyEntities(&a, as.Get([]byte(id)))
		}
		a.CopyGroup = copyGroupsTx(tx)[id]
		return nil
	})
	if err != nil {
		return a, false, fmt.Errorf("store: article %q: %w", id, err)
	}
	return a, found, nil
}

// Articles calls fn for every stored article in id order, with PERSON
// mentions carrying their cross-article entity ids and the copy group the
// last refresh found.
func (s *Store) Articles(fn func(trawl.Article) error) error {
	return s.articles(true, fn)
}

// articles calls fn for every stored article; reconciled says whether to
// apply the cross-article entity ids (reconciliation itself wants the
// document-local keys).
func (s *Store) articles(reconciled bool, fn func(trawl.Article) error) error {
	return s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketArticles)
		if b == nil {
			return nil
		}
		as := tx.Bucket(bucketAssign)
		var copies map[string]string
		if reconciled {
			copies = copyGroupsTx(tx)
		}
		return b.ForEach(func(k, v []byte) error {
			var a trawl.Article
			if err := decodeArticle(v, &a); err != nil {
				return fmt.Errorf("store: article %q: %w", k, err)
			}
			if reconciled && as != nil {
				applyEntities(&a, as.Get(k))
			}
			a.CopyGroup = copies[a.ID]
			return fn(a)
		})
	})
}

// Count returns the number of stored articles, counted as articleCount
// does: counting the articles bucket itself maps the whole database into
// the process's memory (930 MB of a 50x store, when an interrupted ingest
// counted what it had stored).
func (s *Store) Count() (int, error) {
	n := 0
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketArticles) != nil {
			n = s.articleCount(tx)
		}
		return nil
	})
	return n, err
}

// Entities returns the reconciled PERSON entities, sorted by id.
func (s *Store) Entities() ([]trawl.Entity, error) {
	var es []trawl.Entity
	return es, s.result(keyEntities, &es)
}

// EachEntity calls fn with each reconciled PERSON entity in id order,
// decoding one at a time, so that a caller streaming them (the web API)
// holds one entity in memory rather than the whole list.
func (s *Store) EachEntity(fn func(trawl.Entity) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketResults)
		if b == nil {
			return nil
		}
		raw := b.Get(keyEntities)
		if raw == nil {
			return nil
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			if t == nil && err == nil { // null
				return nil
			}
			return fmt.Errorf("store: read %s: want a JSON array (%v)", keyEntities, err)
		}
		for dec.More() {
			var e trawl.Entity
			if err := dec.Decode(&e); err != nil {
				return fmt.Errorf("store: read %s: %w", keyEntities, err)
			}
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	})
}

// Entity returns one entity by id.
func (s *Store) Entity(id string) (trawl.Entity, bool, error) {
	es, err := s.Entities()
	if err != nil {
		return trawl.Entity{}, false, err
	}
	for _, e := range es {
		if e.ID == id {
			return e, true, nil
		}
	}
	return trawl.Entity{}, false, nil
}

// Discrepancies returns the discrepancies, most important first.
func (s *Store) Discrepancies() ([]trawl.Discrepancy, error) {
	var ds []trawl.Discrepancy
	return ds, s.result(keyDiscrepancies, &ds)
}

func (s *Store) result(key []byte, v any) error {
	return s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketResults)
		if b == nil {
			return nil
		}
		raw := b.Get(key)
		if raw == nil {
			return nil
		}
		if err := json.Unmarshal(raw, v); err != nil {
			return fmt.Errorf("store: read %s: %w", key, err)
		}
		return nil
	})
}

// OpenIndex opens the store's search index for reading. An index that
// cannot be opened for another reason than a writer holding it or another
// version of trawl having built it is damaged: the error says so, and that
// trawl ingest rebuilds it from the store.
func (s *Store) OpenIndex() (ix *index.Index, err error) {
	path := s.IndexPath()
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("store: %s has no search index yet (run trawl ingest)", s.dir)
	}
	defer func() {
		if r := recover(); r != nil {
			ix, err = nil, fmt.Errorf("%v", r)
		}
		if err != nil && !errors.Is(err, index.ErrLocked) && !errors.Is(err, index.ErrIncompatible) {
			err = fmt.Errorf("store: %s: the search index is damaged (%w); run trawl ingest to rebuild it from the store", s.dir, err)
		}
	}()
	ix, err = index.OpenReadOnly(path)
	if err != nil {
		return nil, err
	}
	if err := s.checkCount(ix); err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// checkCount compares the number of documents in ix with the number the
// store recorded as indexed; after a finished refresh they are equal, and a
// difference means index files were lost or truncated. A dirty store is
// not checked: its index lags by design until the next refresh.
func (s *Store) checkCount(ix *index.Index) error {
	n, err := ix.Count()
	if err != nil {
		return err
	}
	var want int
	dirty := false
	if err := s.view(func(tx *bolt.Tx) error {
		dirty = tx.Bucket(bucketMeta).Get(keyDirty) != nil
		want = tx.Bucket(bucketIndexed).Stats().KeyN
		return nil
	}); err != nil {
		return err
	}
	if !dirty && int(n) != want {
		return fmt.Errorf("it holds %d documents where the store indexed %d", n, want)
	}
	return nil
}

// Dirty reports whether the last ingest or refresh of the store did not
// finish (killed, interrupted, disk full): the index may then lack or hold
// stale documents until the next ingest completes.
func (s *Store) Dirty() (bool, error) {
	dirty := false
	err := s.view(func(tx *bolt.Tx) error {
		dirty = tx.Bucket(bucketMeta).Get(keyDirty) != nil
		return nil
	})
	return dirty, err
}

// RepairIndex checks that the search index opens and counts its
// documents; a damaged one (not one merely locked by a reader) is deleted,
// so that the next Refresh rebuilds it from the store, and the damage is
// returned for the caller to report. A missing index is not damage.
func (s *Store) RepairIndex() (damage error, err error) {
	if s.readOnly {
		return nil, errReadOnly
	}
	if _, statErr := os.Stat(s.IndexPath()); statErr != nil {
		return nil, nil
	}
	damage = func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("%v", r)
			}
		}()
		ix, err := index.OpenReadOnly(s.IndexPath())
		if err != nil {
			return err
		}
		defer ix.Close()
		return s.checkCount(ix)
	}()
	if damage == nil || errors.Is(damage, index.ErrLocked) {
		return nil, nil
	}
	if err := os.RemoveAll(s.IndexPath()); err != nil {
		return damage, fmt.Errorf("store: remove the damaged index of %s: %w", s.dir, err)
	}
	return damage, nil
}
